// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_migrate.c - page migration (mm/migrate.c, mm/migrate_ptes.c):
 * anonymous pages mapped by a parent and its fork child move to new
 * frames -- every process reads back the same bytes, the PFN changed, the
 * PTEs were rewritten (and the stale TLB entries flushed: a write through
 * the MMU lands in the new page), mapcounts and refcounts are right and
 * the old page is freed; pgmigrate_success counts them.  Every step ends
 * with mm_is_valid and the mapcount census.
 */
#include "fault_fixture.h"
#include <mmsim/migrate.h>
#include <mmsim/swap.h>
#include <mmsim/vmstat.h>
#include <mmsim/highmem.h>
#include "mm/lru_internal.h"

#define VA	0x20000000UL
#define NPAGES	8

static char *uptr(struct mm_struct *mm, unsigned long va, bool write)
{
	switch_mm(NULL, mm, NULL);
	for (int i = 0; i < 4; i++) {
		char *p = mmu_access(va, (write ? MMU_WRITE : MMU_READ) | MMU_USER, NULL);

		if (p)
			return p;
		KT_EQ(fx_fault(mm, va, write), 0);
	}
	KT_ASSERT(0);
	return NULL;
}

/* Fill page @i of the range with a pattern of its own (@salt varies it). */
static void fill_page(struct mm_struct *mm, unsigned long va, int salt)
{
	for (unsigned long off = 0; off < PAGE_SIZE; off += 64)
		*uptr(mm, va + off, true) = (char)(off / 64 + salt);
}

static bool page_holds(struct mm_struct *mm, unsigned long va, int salt)
{
	for (unsigned long off = 0; off < PAGE_SIZE; off += 64)
		if (*uptr(mm, va + off, false) != (char)(off / 64 + salt))
			return false;
	return true;
}

/*
 * Destinations come from a pool filled before the migration, so that an
 * old page freed by it is not handed out again as a later destination
 * (the per-CPU lists are LIFO) and its freeing can be checked.
 */
struct pool {
	int nr;
	struct page *pages[64];
};

static void pool_fill(struct pool *p, int nr)
{
	p->nr = 0;
	while (p->nr < nr) {
		p->pages[p->nr] = alloc_page(GFP_HIGHUSER_MOVABLE);
		KT_ASSERT(p->pages[p->nr]);
		p->nr++;
	}
}

static void pool_drain(struct pool *p)
{
	while (p->nr)
		__free_page(p->pages[--p->nr]);
}

static struct folio *new_folio(struct folio *src, unsigned long private)
{
	struct pool *p = (struct pool *)private;

	(void)src;
	return p->nr ? page_folio(p->pages[--p->nr]) : NULL;
}

static void put_new_folio(struct folio *dst, unsigned long private)
{
	struct pool *p = (struct pool *)private;

	p->pages[p->nr++] = &dst->page;
}

/* Isolate @page for migration as a caller does (NR_ISOLATED counted). */
static bool isolate(struct page *page, struct list_head *list)
{
	struct folio *folio = page_folio(page);

	if (!folio_isolate_lru(folio))
		return false;
	mod_node_page_state(page_pgdat(page),
			    folio_is_file_lru(folio) ? NR_ISOLATED_FILE : NR_ISOLATED_ANON, 1);
	lru_list_add_tail(&page->lru, list);
	return true;
}

static bool all_valid(struct mm_struct *a, struct mm_struct *b)
{
	struct mm_struct *mms[2] = { a, b };

	return fx_valid(mms, b ? 2 : 1);
}

/*
 * Anonymous pages after fork: pages 0..NPAGES-1 written by the parent,
 * page 0 then written by the child (its own copy), the rest shared.
 * Every parent page migrates; shared ones keep being shared.
 */
static void test_anon_fork(void)
{
	struct mm_struct *parent = fx_mm(), *child;
	struct page *old[NPAGES], *now;
	unsigned long before = sum_vm_event(PGMIGRATE_SUCCESS);
	unsigned int nr = 0;
	struct pool pool;
	LIST_HEAD(list);
	int ret;

	fx_vma(parent, VA, NPAGES * PAGE_SIZE, VM_READ | VM_WRITE);
	for (int i = 0; i < NPAGES; i++)
		fill_page(parent, VA + i * PAGE_SIZE, i);
	child = fx_fork(parent);
	fill_page(child, VA, 100);
	KT_ASSERT(all_valid(parent, child));

	for (int i = 0; i < NPAGES; i++) {
		old[i] = fx_page(parent, VA + i * PAGE_SIZE);
		KT_ASSERT(old[i]);
		KT_EQ(page_mapcount(old[i]), i ? 2 : 1);
		KT_ASSERT(isolate(old[i], &list));
	}
	pool_fill(&pool, NPAGES);
	ret = migrate_pages(&list, new_folio, put_new_folio, (unsigned long)&pool, MIGRATE_SYNC,
			    MR_SYSCALL, &nr);
	KT_EQ(ret, 0);
	KT_EQ(nr, NPAGES);
	KT_EQ(pool.nr, 0);
	KT_ASSERT(list_empty(&list));
	KT_EQ(sum_vm_event(PGMIGRATE_SUCCESS) - before, NPAGES);
	KT_ASSERT(all_valid(parent, child));

	for (int i = 0; i < NPAGES; i++) {
		unsigned long va = VA + i * PAGE_SIZE;

		now = fx_page(parent, va);
		KT_ASSERT(now && now != old[i]);
		KT_EQ(page_ref_count(old[i]), 0);	/* freed */
		KT_ASSERT(PageAnon(now));
		KT_ASSERT(PageLRU(now));
		KT_EQ(page_mapcount(now), i ? 2 : 1);
		KT_EQ(page_ref_count(now), i ? 2 : 1);
		KT_ASSERT(page_holds(parent, va, i));
		if (i) {
			KT_ASSERT(fx_page(child, va) == now);
			KT_ASSERT(page_holds(child, va, i));
		} else {
			KT_ASSERT(page_holds(child, va, 100));
		}
	}
	/* A write through the MMU lands in the new page: no stale TLB entry. */
	*uptr(parent, VA, true) = 0x5a;
	{
		char c;

		memcpy_from_page(&c, fx_page(parent, VA), 0, 1);
		KT_EQ(c, 0x5a);
	}
	/* The shared pages are still COW: the child's write copies. */
	*uptr(child, VA + PAGE_SIZE, true) = 0x33;
	KT_ASSERT(fx_page(child, VA + PAGE_SIZE) != fx_page(parent, VA + PAGE_SIZE));
	KT_ASSERT(page_holds(parent, VA + PAGE_SIZE, 1));
	KT_ASSERT(all_valid(parent, child));
	pool_drain(&pool);
	fx_destroy(child);
	fx_destroy(parent);
}

static void run(const char *spec)
{
	struct mmsim *m = boot_or_die(spec);

	printf("# %s\n", spec);
	KT_RUN(test_anon_fork);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("arch=x86_64 ram=128M cpus=2");
	run("arch=i386 ram=2G cpus=2");
	run("arch=arm64 page_size=64K ram=256M cpus=2");
	return kt_done();
}
