// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_migrate_thp_mt.c - THP migration (split, then the pieces
 * moved) racing user accesses (threaded): the region is PMD-mapped THPs
 * (fresh ones every round); CPU 0 migrates batches of it over and over
 * (all three modes): the first batch touching a THP isolates it whole and
 * migrate_pages() splits its PMD and the folio, then moves the pieces,
 * while CPUs 1 and 2 increment counters in those pages through the MMU
 * (a huge TLB entry first, then PTEs, migration entries on the way).  No
 * increment may be lost, and afterwards the page tables, rss counters and
 * mapcounts agree (mm_is_valid, the mapcount census).  Run under
 * ThreadSanitizer (the _mt suffix).
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
#include <mmsim/huge_mm.h>

#define VA		0x50000000UL
#define NPAGES		(2 * HPAGE_PMD_NR)
#define NMUTATORS	2
#define ROUNDS		1500

static struct mmsim *machine;
static struct mm_struct *shared_mm;
static atomic_int mutators_left;
static atomic_ulong pages_moved;	/* by the migrator, this round */
static atomic_ulong entry_faults;	/* stores that met a migration entry */

/* Enough migrations to race with, however the host schedules the threads. */
#define MIN_MOVED	100

struct mutator {
	int cpu;
	unsigned int seed;
	unsigned long done[1024];	/* increments this thread made per page */
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

/* The page mapped at @va: the subpage of a PMD leaf, or of a PTE. */
static struct page *thp_page(struct mm_struct *mm, unsigned long va)
{
	pmd_t *pmdp = mm_find_pmd(mm, va);

	if (pmdp && pmd_trans_huge(pmdp_get(pmdp)))
		return pfn_to_page(pmd_leaf_pfn(pmdp_get(pmdp))) +
		       ((va & ~HPAGE_PMD_MASK) >> PAGE_SHIFT);
	return fx_page(mm, va);
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
		page = thp_page(mm, va);
		if (page && !is_zero_pfn(page_to_pfn(page)))
			get_page(page);
		else
			page = NULL;
		spin_unlock(pte_lockptr(mm));
		if (!page)
			continue;
		if (folio_isolate_lru(page_folio(page))) {
			struct folio *folio = page_folio(page);

			mod_node_page_state(page_pgdat(page), NR_ISOLATED_ANON,
					    folio_nr_pages(folio));
			lru_list_add_tail(&folio->page.lru, &list);
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
	static u64 sum[1024][NMUTATORS];

	shared_mm = fx_mm();
	unsigned long splits = sum_vm_event(THP_SPLIT_PAGE);

	KT_ASSERT(NPAGES <= 1024);
	fx_vma(shared_mm, VA, NPAGES * PAGE_SIZE, VM_READ | VM_WRITE | VM_HUGEPAGE);
	for (unsigned long i = 0; i < NPAGES; i++)
		KT_EQ(fx_fault(shared_mm, VA + i * PAGE_SIZE, true), 0);
	KT_ASSERT(pmd_trans_huge(pmdp_get(mm_find_pmd(shared_mm, VA))));
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
	printf("# %lu THPs split by migration\n", sum_vm_event(THP_SPLIT_PAGE) - splits);
	KT_ASSERT(sum_vm_event(THP_SPLIT_PAGE) > splits);
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
		"arch=x86_64 ram=128M cpus=3 transparent_hugepage=always",
		"arch=arm64 ram=256M cpus=3 transparent_hugepage=always",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(specs); i++) {
		machine = boot_or_die(specs[i]);
		printf("# %s\n", specs[i]);
		KT_RUN(test_migrate_vs_stores);
		KT_RUN(test_migrate_vs_stores_fork);
		KT_ASSERT(mm_allocator_is_valid());
		mmsim_shutdown(machine);
	}
	return kt_done();
}
