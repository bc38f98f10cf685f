// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_migrate_mt.c - migration racing user accesses (threaded):
 * CPU 0 migrates batches of an address space's pages over and over (all
 * three modes) while CPUs 1 and 2 increment counters in those pages
 * through the MMU, faulting whenever they meet a migration entry (the
 * fault waits in migration_entry_wait and retries).  No increment may be
 * lost -- one landing in the old page after its bytes were copied would
 * be -- and afterwards the page tables, rss counters and mapcounts agree
 * (mm_is_valid, the mapcount census).  A second round adds fork and
 * MADV_DONTNEED-style zaps on the migrating CPU.  First, the race step
 * by step: a store that meets a migration entry waits in the fault until
 * the migration ends, then lands in the new page.  Run under
 * ThreadSanitizer by `make test` (the _mt suffix).
 */
#include <pthread.h>
#include <sched.h>
#include "fault_fixture.h"
#include <mmsim/migrate.h>
#include <mmsim/swap.h>
#include <mmsim/vmstat.h>
#include "mm/lru_internal.h"
#include <mmsim/swapops.h>
#include <mmsim/pagemap.h>
#include <mmsim/rmap.h>

#define VA		0x50000000UL
#define NPAGES		48
#define NMUTATORS	2
#define ROUNDS		4000

static struct mmsim *machine;
static struct mm_struct *shared_mm;
static atomic_int mutators_left;
static atomic_ulong pages_moved;	/* by the migrator, this round */
static atomic_ulong entry_faults;	/* stores that met a migration entry */

/* Enough migrations to race with, however the host schedules the threads. */
#define MIN_MOVED	200

struct mutator {
	int cpu;
	unsigned int seed;
	unsigned long done[NPAGES];	/* increments this thread made per page */
	pthread_t thread;
};

static unsigned int next_rand(unsigned int *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* One increment of this mutator's counter in page @idx, as a user store. */
static void bump(struct mutator *w, unsigned long idx)
{
	unsigned long va = VA + idx * PAGE_SIZE + (unsigned long)w->cpu * sizeof(u64);

	for (;;) {
		u64 *p = mmu_access(va, MMU_WRITE | MMU_USER, NULL);

		if (!p) {
			pte_t *ptep = mm_find_pte(shared_mm, va);
			pte_t pte = ptep ? ptep_get(ptep) : __pte(0);

			if (is_swap_pte(pte) && is_migration_entry(pte_to_swp_entry(pte)))
				atomic_fetch_add(&entry_faults, 1);	/* waits in the fault */
			KT_EQ(fx_fault(shared_mm, va, true), 0);
			continue;
		}
		if (!mmu_access_begin())
			continue;	/* a shootdown came in: translate again */
		*p += 1;
		mmu_access_end();
		break;
	}
	w->done[idx]++;
}

static void *mutator(void *arg)
{
	struct mutator *w = arg;

	KT_EQ(mmsim_enter(machine, w->cpu), 0);
	switch_mm(NULL, shared_mm, NULL);
	for (int i = 0; i < ROUNDS || atomic_load(&pages_moved) < MIN_MOVED; i++)
		bump(w, next_rand(&w->seed) % NPAGES);
	switch_mm(NULL, &init_mm, NULL);
	mmsim_leave();
	atomic_fetch_sub(&mutators_left, 1);
	return NULL;
}

static struct folio *new_folio(struct folio *src, unsigned long private)
{
	struct page *page = alloc_pages_node(page_to_nid(&src->page), GFP_HIGHUSER_MOVABLE, 0);

	(void)private;
	return page ? page_folio(page) : NULL;
}

/* Migrate up to 8 present pages from @first; the folios left go back. */
static void migrate_batch(struct mm_struct *mm, unsigned long first, enum migrate_mode mode)
{
	unsigned int nr = 0;
	LIST_HEAD(list);

	for (unsigned long k = 0; k < 8; k++) {
		unsigned long va = VA + ((first + k * 7) % NPAGES) * PAGE_SIZE;
		struct page *page;

		spin_lock(pte_lockptr(mm));
		page = fx_page(mm, va);
		if (page && !is_zero_pfn(page_to_pfn(page)))
			get_page(page);
		else
			page = NULL;
		spin_unlock(pte_lockptr(mm));
		if (!page)
			continue;
		if (folio_isolate_lru(page_folio(page))) {
			mod_node_page_state(page_pgdat(page), NR_ISOLATED_ANON, 1);
			lru_list_add_tail(&page->lru, &list);
		}
		put_page(page);
	}
	KT_ASSERT(migrate_pages(&list, new_folio, NULL, 0, mode, MR_COMPACTION, &nr) >= 0);
	atomic_fetch_add(&pages_moved, nr);
	putback_movable_pages(&list);
}

static void run_round(bool fork_and_zap)
{
	struct mutator w[NMUTATORS];
	unsigned long moved = sum_vm_event(PGMIGRATE_SUCCESS);
	unsigned int seed = 4242;
	u64 sum[NPAGES][NMUTATORS] = { { 0 } };

	shared_mm = fx_mm();
	fx_vma(shared_mm, VA, NPAGES * PAGE_SIZE, VM_READ | VM_WRITE);
	for (unsigned long i = 0; i < NPAGES; i++)
		KT_EQ(fx_fault(shared_mm, VA + i * PAGE_SIZE, true), 0);
	atomic_store(&mutators_left, NMUTATORS);
	atomic_store(&pages_moved, 0);
	atomic_store(&entry_faults, 0);
	for (int i = 0; i < NMUTATORS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].cpu = i + 1;
		w[i].seed = 31u * (unsigned int)i + 7;
		pthread_create(&w[i].thread, NULL, mutator, &w[i]);
	}
	switch_mm(NULL, shared_mm, NULL);
	while (atomic_load(&mutators_left)) {
		unsigned int r = next_rand(&seed);

		if (fork_and_zap && r % 16 == 0) {
			struct mm_struct *child = fx_fork(shared_mm);

			fx_destroy(child);
			switch_mm(NULL, shared_mm, NULL);
		}
		migrate_batch(shared_mm, r % NPAGES, (enum migrate_mode)((r >> 8) % 3));
	}
	for (int i = 0; i < NMUTATORS; i++)
		pthread_join(w[i].thread, NULL);

	/* Every increment is there: read the counters back through the MMU. */
	for (unsigned long i = 0; i < NPAGES; i++) {
		for (int k = 0; k < NMUTATORS; k++) {
			unsigned long va = VA + i * PAGE_SIZE + (unsigned long)w[k].cpu * sizeof(u64);
			u64 *p;

			while (!(p = mmu_access(va, MMU_READ | MMU_USER, NULL)))
				KT_EQ(fx_fault(shared_mm, va, false), 0);
			sum[i][k] = *p;
			KT_EQ(sum[i][k], w[k].done[i]);
		}
	}
	printf("# %lu pages migrated under %d mutators, %lu stores met a migration entry%s\n",
	       sum_vm_event(PGMIGRATE_SUCCESS) - moved, NMUTATORS, atomic_load(&entry_faults),
	       fork_and_zap ? ", with forks" : "");
	KT_ASSERT(sum_vm_event(PGMIGRATE_SUCCESS) - moved >= MIN_MOVED);
	KT_ASSERT(fx_valid(&shared_mm, 1));
	fx_destroy(shared_mm);
}

/*
 * A fault racing a migration entry, step by step: CPU 0 unmaps a page to
 * migration entries and holds it locked; CPU 1 stores to it, meets the
 * entry and waits in the fault (migration_entry_wait); only then does
 * CPU 0 finish the move by hand with the exported steps
 * (folio_migrate_mapping, folio_migrate_copy, remove_migration_ptes).
 * The store lands in the new page, once.
 */
static void *one_store(void *arg)
{
	struct mutator *w = arg;

	KT_EQ(mmsim_enter(machine, w->cpu), 0);
	switch_mm(NULL, shared_mm, NULL);
	bump(w, 0);
	switch_mm(NULL, &init_mm, NULL);
	mmsim_leave();
	return NULL;
}

static void test_fault_waits_on_entry(void)
{
	struct mutator w = { .cpu = 1 };
	struct folio *src, *dst;
	struct anon_vma *anon_vma;
	struct page *page;
	u64 *p;

	shared_mm = fx_mm();
	fx_vma(shared_mm, VA, PAGE_SIZE, VM_READ | VM_WRITE);
	KT_EQ(fx_fault(shared_mm, VA, true), 0);
	switch_mm(NULL, shared_mm, NULL);
	page = fx_page(shared_mm, VA);
	src = page_folio(page);
	KT_ASSERT(folio_isolate_lru(src));
	folio_lock(src);
	anon_vma = folio_get_anon_vma(src);
	KT_ASSERT(anon_vma);
	try_to_migrate(src, 0);
	KT_ASSERT(!folio_mapped(src));
	atomic_store(&entry_faults, 0);

	pthread_create(&w.thread, NULL, one_store, &w);
	while (!atomic_load(&entry_faults))
		sched_yield();		/* CPU 1 met the entry and is waiting */

	dst = page_folio(alloc_page(GFP_HIGHUSER_MOVABLE));
	KT_ASSERT(folio_trylock(dst));
	KT_EQ(folio_migrate_mapping(NULL, dst, src, 0), 0);
	folio_migrate_copy(dst, src);
	folio_add_lru(dst);
	remove_migration_ptes(src, dst, 0);
	folio_unlock(dst);
	put_page(&dst->page);
	put_anon_vma(anon_vma);
	folio_unlock(src);
	put_page(&src->page);		/* the isolation's: src is freed */
	pthread_join(w.thread, NULL);

	KT_ASSERT(fx_page(shared_mm, VA) == &dst->page);
	while (!(p = mmu_access(VA + sizeof(u64), MMU_READ | MMU_USER, NULL)))
		KT_EQ(fx_fault(shared_mm, VA + sizeof(u64), false), 0);
	KT_EQ(*p, 1);			/* CPU 1's one increment, in the new page */
	KT_ASSERT(fx_valid(&shared_mm, 1));
	fx_destroy(shared_mm);
}

static void test_migrate_vs_stores(void)
{
	run_round(false);
}

static void test_migrate_vs_stores_fork(void)
{
	run_round(true);
}

int main(void)
{
	static const char *const specs[] = {
		"arch=x86_64 ram=128M cpus=3",
		"arch=arm64 page_size=64K ram=256M cpus=3",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(specs); i++) {
		machine = boot_or_die(specs[i]);
		printf("# %s\n", specs[i]);
		KT_RUN(test_fault_waits_on_entry);
		KT_RUN(test_migrate_vs_stores);
		KT_RUN(test_migrate_vs_stores_fork);
		KT_ASSERT(mm_allocator_is_valid());
		mmsim_shutdown(machine);
	}
	return kt_done();
}
