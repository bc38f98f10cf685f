// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_lru.c - the LRU lists' bookkeeping (mm/swap.c): a faulted
 * anonymous page goes on the node's inactive anon list (Linux 6.x, lru_gen
 * off), the COW copy too; folio_mark_accessed's two-touch rule activates;
 * folio_deactivate and MADV_COLD move back, MADV_FREE to inactive file;
 * mlock moves pages to the unevictable list and munlock back; unmapping
 * frees them off the lists; the node counters
 * and /proc/meminfo follow, and lru_is_valid holds after every step; a
 * page freed with PG_lru is a "Bad page state".
 */
#include "vma_test.h"
#include <mmsim/swap.h>

#define B	0x70000000UL
#define P(n)	((unsigned long)(n) * PAGE_SIZE)

static unsigned long nr(enum lru_list lru)
{
	return global_node_page_state((enum node_stat_item)(NR_INACTIVE_ANON + lru));
}

static struct folio *folio_at(unsigned long a)
{
	pte_t *ptep = mm_find_pte(vt_mm(), a);

	if (!ptep || !pte_present(ptep_get(ptep)))
		return NULL;
	return (struct folio *)pfn_to_page(pte_pfn(ptep_get(ptep)));
}

static bool valid(void)
{
	return lru_all_valid() && vt_valid();
}

static void test_add_and_free(void)
{
	unsigned long ia = nr(LRU_INACTIVE_ANON), aa = nr(LRU_ACTIVE_ANON);
	unsigned long a;
	struct folio *f;
	char *mi;

	vt_spawn("lru");
	a = vt_mmap(B, P(8), RW, PRIV | MAP_FIXED);
	KT_EQ(nr(LRU_INACTIVE_ANON), ia);
	for (int i = 0; i < 8; i++)
		KT_EQ(vt_write(a + P(i), (unsigned char)i), 0);
	lru_add_drain_all();
	KT_EQ(nr(LRU_INACTIVE_ANON), ia + 8);
	KT_EQ(nr(LRU_ACTIVE_ANON), aa);
	f = folio_at(a);
	KT_ASSERT(f && PageLRU(&f->page) && !PageActive(&f->page) && !PageUnevictable(&f->page));
	KT_ASSERT(valid());

	/* /proc/meminfo shows the lists */
	mi = mmsim_read(vt_m, "/proc/meminfo");
	KT_EQ(field(mi, "Inactive(anon):"), (long long)((ia + 8) << (PAGE_SHIFT - 10)));
	KT_EQ(field(mi, "Active(anon):"), (long long)(aa << (PAGE_SHIFT - 10)));
	KT_EQ(field(mi, "Unevictable:"), (long long)(nr(LRU_UNEVICTABLE) << (PAGE_SHIFT - 10)));
	free(mi);

	/* two touches activate, with pgactivate counted */
	{
		unsigned long act = sum_vm_event(PGACTIVATE), deact = sum_vm_event(PGDEACTIVATE);

		folio_mark_accessed(f);
		KT_ASSERT(PageReferenced(&f->page) && !PageActive(&f->page));
		KT_EQ(nr(LRU_ACTIVE_ANON), aa);
		folio_mark_accessed(f);
		KT_ASSERT(PageActive(&f->page) && !PageReferenced(&f->page));
		KT_EQ(nr(LRU_ACTIVE_ANON), aa + 1);
		KT_EQ(nr(LRU_INACTIVE_ANON), ia + 7);
		KT_EQ(sum_vm_event(PGACTIVATE), act + 1);
		KT_ASSERT(valid());
		folio_deactivate(f);
		KT_ASSERT(!PageActive(&f->page));
		KT_EQ(nr(LRU_ACTIVE_ANON), aa);
		KT_EQ(sum_vm_event(PGDEACTIVATE), deact + 1);
		folio_activate(f);
		KT_EQ(nr(LRU_ACTIVE_ANON), aa + 1);
		/* MADV_COLD deactivates */
		KT_EQ(sys_madvise(a, P(1), MADV_COLD), 0);
		KT_ASSERT(!PageActive(&f->page) && PageLRU(&f->page));
		KT_EQ(nr(LRU_ACTIVE_ANON), aa);
		KT_EQ(sum_vm_event(PGDEACTIVATE), deact + 2);
		folio_activate(f);		/* active when freed: freed clean */
		KT_EQ(nr(LRU_ACTIVE_ANON), aa + 1);
	}

	/* a COW copy after fork goes on the list too; the child's exit frees its pages */
	{
		struct task_struct *parent = current, *child;
		long pid = sys_fork();
		int st;

		KT_ASSERT(pid > 0);
		KT_EQ(vt_write(a, 0x55), 0);	/* the parent copies the shared page */
		KT_EQ(nr(LRU_INACTIVE_ANON) + nr(LRU_ACTIVE_ANON), ia + aa + 9);
		KT_ASSERT(valid());
		child = find_task_by_vpid((pid_t)pid);
		KT_EQ(mmsim_switch_to(child), 0);
		sys_exit_group(0);
		KT_EQ(mmsim_switch_to(parent), 0);
		KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
		KT_EQ(nr(LRU_INACTIVE_ANON) + nr(LRU_ACTIVE_ANON), ia + aa + 8);
		KT_ASSERT(valid());
	}

	/* MADV_FREE: clean anon pages move to the inactive file list */
	{
		unsigned long iff = nr(LRU_INACTIVE_FILE);

		KT_EQ(sys_madvise(a + P(4), P(2), MADV_FREE), 0);
		KT_EQ(nr(LRU_INACTIVE_FILE), iff + 2);
		KT_ASSERT(!PageSwapBacked(&folio_at(a + P(4))->page));
		KT_ASSERT(valid());
	}

	/* unmapping frees the pages off the lists */
	KT_EQ(sys_munmap(a, P(8)), 0);
	KT_ASSERT(valid());
	sys_exit_group(0);
}

static void test_mlock(void)
{
	unsigned long ia, ue = nr(LRU_UNEVICTABLE);
	unsigned long resc = sum_vm_event(UNEVICTABLE_PGRESCUED);
	unsigned long a;
	struct folio *f;

	vt_spawn("lru-mlock");
	ia = nr(LRU_INACTIVE_ANON);
	a = vt_mmap(B, P(4), RW, PRIV | MAP_FIXED);
	for (int i = 0; i < 4; i++)
		KT_EQ(vt_write(a + P(i), 1), 0);
	KT_EQ(nr(LRU_INACTIVE_ANON), ia + 4);
	KT_EQ(sys_mlock(a, P(2)), 0);
	KT_EQ(nr(LRU_UNEVICTABLE), ue + 2);
	KT_EQ(nr(LRU_INACTIVE_ANON), ia + 2);
	f = folio_at(a);
	KT_ASSERT(PageUnevictable(&f->page) && PageMlocked(&f->page) && PageLRU(&f->page));
	folio_mark_accessed(f);
	folio_mark_accessed(f);			/* never activated while unevictable */
	KT_ASSERT(!PageActive(&f->page));
	KT_ASSERT(valid());
	KT_EQ(sys_munlock(a, P(2)), 0);
	KT_EQ(nr(LRU_UNEVICTABLE), ue);
	KT_EQ(nr(LRU_INACTIVE_ANON), ia + 4);
	KT_EQ(sum_vm_event(UNEVICTABLE_PGRESCUED), resc + 2);
	KT_ASSERT(valid());

	/* a page faulted in a locked VMA starts unevictable; unmapping frees it */
	a = vt_mmap(B + P(16), P(2), RW, PRIV | MAP_FIXED | MAP_LOCKED);
	KT_EQ(nr(LRU_UNEVICTABLE), ue + 2);	/* MAP_LOCKED populates */
	KT_ASSERT(valid());
	KT_EQ(sys_munmap(a, P(2)), 0);
	KT_EQ(nr(LRU_UNEVICTABLE), ue);
	KT_ASSERT(valid());
	sys_exit_group(0);
	KT_EQ(nr(LRU_INACTIVE_ANON), ia);
}

/* A page freed with PG_lru set is a "Bad page state" and is not freed. */
static void test_free_while_lru(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	size_t mark = log_mark(m);
	struct page *p = alloc_page(GFP_KERNEL);
	char *log;

	SetPageLRU(p);
	__free_pages(p, 0);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "BUG: Bad page state in process");
	KT_STR_CONTAINS(log, "PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
	free(log);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

static void run(const char *spec)
{
	vt_boot(spec);
	KT_RUN(test_add_and_free);
	KT_RUN(test_mlock);
	KT_ASSERT(lru_all_valid());
	KT_EQ(nr(LRU_INACTIVE_ANON) + nr(LRU_ACTIVE_ANON) + nr(LRU_UNEVICTABLE), 0);
	vt_exit();
}

int main(void)
{
	KT_RUN(test_free_while_lru);
	run("arch=x86_64 ram=64M cpus=2");
	run("arch=i386 ram=64M cpus=2");
	run("arch=arm64 page_size=64K ram=256M cpus=2");
	return kt_done();
}
