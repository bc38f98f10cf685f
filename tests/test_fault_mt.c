// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_fault_mt.c - the fault path from several CPUs at once on one
 * address space: racing demand faults of the same pages (one page wins,
 * the others retry), write faults breaking the zero page, MADV_DONTNEED-
 * style zaps and fork (dup_mmap's copy_page_range under the write lock)
 * running beside them; afterwards the RSS counters, the page tables and
 * every mapcount agree (mm_is_valid, the mapcount census).  Run under
 * ThreadSanitizer by `make test` (the _mt suffix).
 */
#include <pthread.h>
#include "fault_fixture.h"

#define VA		0x50000000UL
#define NPAGES		256
#define NTHREADS	3
#define ROUNDS		3000

static struct mmsim *machine;
static struct mm_struct *shared_mm;

struct worker {
	int cpu;
	unsigned int seed;
	pthread_t thread;
};

static unsigned int next_rand(unsigned int *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void *worker(void *arg)
{
	struct worker *w = arg;

	KT_EQ(mmsim_enter(machine, w->cpu), 0);
	switch_mm(NULL, shared_mm, NULL);
	for (int i = 0; i < ROUNDS; i++) {
		unsigned int r = next_rand(&w->seed);
		unsigned long idx = r % NPAGES, va = VA + idx * PAGE_SIZE;
		unsigned long n = min(1 + (r >> 4) % 4, NPAGES - idx);

		switch (r % 16) {
		case 0:
			fx_zap(shared_mm, va, n * PAGE_SIZE);
			break;
		case 1:
			if (w->cpu == 0) {
				struct mm_struct *child = fx_fork(shared_mm);

				switch_mm(NULL, shared_mm, NULL);
				fx_destroy(child);
				switch_mm(NULL, shared_mm, NULL);
			}
			break;
		default:
			KT_EQ(fx_fault(shared_mm, va, r & 32), 0);
			break;
		}
	}
	switch_mm(NULL, &init_mm, NULL);
	mmsim_leave();
	return NULL;
}

static void test_concurrent_faults(void)
{
	struct worker w[NTHREADS];
	unsigned long faults = sum_vm_event(PGFAULT);

	shared_mm = fx_mm();
	fx_vma(shared_mm, VA, NPAGES * PAGE_SIZE, VM_READ | VM_WRITE);
	mmsim_leave();
	for (int i = 0; i < NTHREADS; i++) {
		w[i].cpu = i;
		w[i].seed = 77u * (unsigned int)i + 1;
		pthread_create(&w[i].thread, NULL, worker, &w[i]);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(w[i].thread, NULL);
	KT_EQ(mmsim_enter(machine, 0), 0);
	KT_ASSERT(sum_vm_event(PGFAULT) > faults + NTHREADS * ROUNDS / 2);
	KT_ASSERT(fx_valid(&shared_mm, 1));
	fx_destroy(shared_mm);
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
		KT_RUN(test_concurrent_faults);
		KT_ASSERT(mm_allocator_is_valid());
		mmsim_shutdown(machine);
	}
	return kt_done();
}
