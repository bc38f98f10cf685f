// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_compaction_mt.c - compaction racing user stores and other
 * compactors (threaded): two mutator CPUs keep incrementing their own
 * counter in random pages of a fragmented address space (faulting on the
 * migration entries compaction leaves), a third CPU asks for order-9
 * blocks (direct compaction: async, then sync light, concurrent with the
 * others), and CPU 0 runs compact_memory and moves the virtual clock
 * (kcompactd, proactive compaction).  Afterwards every increment is there,
 * the allocator's and compaction's invariants hold.  Run under
 * ThreadSanitizer by `make test` (the _mt suffix).
 */
#include <pthread.h>
#include "fault_fixture.h"
#include <mmsim/compaction.h>
#include <mmsim/swap.h>
#include <mmsim/vmstat.h>
#include <mmsim/swapops.h>

bool kcompactd_is_valid(struct mmsim *m);
void compact_nodes(void);

#define VA		0x50000000UL
#define CHUNK		16		/* pages: every other chunk is zapped */
#define NMUTATORS	2
#define ROUNDS		3000

static struct mmsim *machine;
static struct mm_struct *shared_mm;
static unsigned long npages;
static atomic_int workers_left;
static atomic_ulong blocks_got;
static atomic_int passes;		/* compact_nodes() runs while the workers run */

/* Enough compaction passes to race with, however the host schedules the threads. */
#define MIN_PASSES	3

struct mutator {
	int cpu;
	unsigned int seed;
	unsigned long *done;		/* increments this thread made per page */
	pthread_t thread;
};

static unsigned int next_rand(unsigned int *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* The pages that stay mapped: the even chunks. */
static unsigned long kept_page(unsigned long r)
{
	unsigned long idx = r % npages;

	return (idx / CHUNK) % 2 ? idx - CHUNK : idx;
}

static void bump(struct mutator *w, unsigned long idx)
{
	unsigned long va = VA + idx * PAGE_SIZE + (unsigned long)w->cpu * sizeof(u64);

	for (;;) {
		u64 *p = mmu_access(va, MMU_WRITE | MMU_USER, NULL);

		if (!p) {
			KT_EQ(fx_fault(shared_mm, va, true), 0);
			continue;
		}
		if (!mmu_access_begin())
			continue;
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
	for (int i = 0; i < ROUNDS || atomic_load(&passes) < MIN_PASSES; i++)
		bump(w, kept_page(next_rand(&w->seed)));
	switch_mm(NULL, &init_mm, NULL);
	mmsim_leave();
	atomic_fetch_sub(&workers_left, 1);
	return NULL;
}

/* Direct compaction from another CPU: order-9 blocks, taken and given back. */
static void *allocator(void *arg)
{
	int cpu = *(int *)arg;

	KT_EQ(mmsim_enter(machine, cpu), 0);
	for (int i = 0; i < 24; i++) {
		struct page *p = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NORETRY | __GFP_NOWARN, 9);

		if (p) {
			atomic_fetch_add(&blocks_got, 1);
			__free_pages(p, 9);
		}
	}
	mmsim_leave();
	atomic_fetch_sub(&workers_left, 1);
	return NULL;
}

static void test_compaction_vs_stores(void)
{
	struct mutator w[NMUTATORS];
	int alloc_cpu = NMUTATORS + 1;
	pthread_t alloc_thread;
	long moved0 = (long)sum_vm_event(PGMIGRATE_SUCCESS);

	npages = (unsigned long)(totalram_pages() / 2) & ~(2UL * CHUNK - 1);
	shared_mm = fx_mm();
	fx_vma(shared_mm, VA, npages * PAGE_SIZE, VM_READ | VM_WRITE);
	for (unsigned long i = 0; i < npages; i++)
		KT_EQ(fx_fault(shared_mm, VA + i * PAGE_SIZE, true), 0);
	for (unsigned long i = CHUNK; i < npages; i += 2 * CHUNK)
		fx_zap(shared_mm, VA + i * PAGE_SIZE, CHUNK * PAGE_SIZE);
	lru_add_drain_all();
	drain_all_pages(NULL);

	atomic_store(&workers_left, NMUTATORS + 1);
	atomic_store(&blocks_got, 0);
	atomic_store(&passes, 0);
	for (int i = 0; i < NMUTATORS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].cpu = i + 1;
		w[i].seed = 17u * (unsigned int)i + 3;
		w[i].done = calloc(npages, sizeof(unsigned long));
		pthread_create(&w[i].thread, NULL, mutator, &w[i]);
	}
	pthread_create(&alloc_thread, NULL, allocator, &alloc_cpu);
	switch_mm(NULL, shared_mm, NULL);
	while (atomic_load(&workers_left)) {
		compact_nodes();
		atomic_fetch_add(&passes, 1);
		mmsim_advance_clock(machine, 300 * 1000000ull);
	}
	for (int i = 0; i < NMUTATORS; i++)
		pthread_join(w[i].thread, NULL);
	pthread_join(alloc_thread, NULL);

	/* Every increment is there, whichever page it landed in. */
	for (unsigned long i = 0; i < npages; i++) {
		if ((i / CHUNK) % 2)
			continue;
		for (int k = 0; k < NMUTATORS; k++) {
			unsigned long va = VA + i * PAGE_SIZE + (unsigned long)w[k].cpu * sizeof(u64);
			u64 *p;

			while (!(p = mmu_access(va, MMU_READ | MMU_USER, NULL)))
				KT_EQ(fx_fault(shared_mm, va, false), 0);
			KT_EQ_WHAT(*p, w[k].done[i], "page %lu, cpu %d", i, w[k].cpu);
		}
	}
	printf("   %ld pages migrated in %d passes, %lu order-9 blocks had\n",
	       (long)sum_vm_event(PGMIGRATE_SUCCESS) - moved0, atomic_load(&passes),
	       atomic_load(&blocks_got));
	KT_ASSERT((long)sum_vm_event(PGMIGRATE_SUCCESS) > moved0);
	switch_mm(NULL, &init_mm, NULL);
	fx_destroy(shared_mm);
	for (int i = 0; i < NMUTATORS; i++)
		free(w[i].done);
	KT_ASSERT(mm_allocator_is_valid());
	KT_ASSERT(compaction_is_valid(machine));
	KT_ASSERT(kcompactd_is_valid(machine));
}

int main(void)
{
	static const char *const specs[] = {
		"arch=x86_64 ram=64M cpus=4",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(specs); i++) {
		machine = boot_or_die(specs[i]);
		printf("# %s\n", specs[i]);
		KT_RUN(test_compaction_vs_stores);
		mmsim_shutdown(machine);
	}
	return kt_done();
}
