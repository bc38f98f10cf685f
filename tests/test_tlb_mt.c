// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_tlb_mt.c - TLB shootdowns under real concurrency: one host
 * thread per CPU translating addresses of a shared mm while CPU 0 keeps
 * remapping one of them and flushing, and every thread switches between
 * two mms.  A translation must always be one of the pages the address was
 * mapped to; after the final remap and flush (ordered by a barrier) every
 * CPU sees the final page.  Run under ThreadSanitizer by `make test`.
 */
#include <pthread.h>
#include "mmtest.h"

#define NTHREADS 4
#define ROUNDS 20000

static struct mmsim *machine;
static struct mm_struct *shared, *other;
static struct page *pages[3], *fixed;
static pte_t *flip_pte;
static pthread_barrier_t barrier;
static atomic_int failures;
static const unsigned long flip_va = 0x10000000, fixed_va = 0x20000000;

static void check(bool ok)
{
	if (!ok)
		atomic_fetch_add(&failures, 1);
}

static void flipper(void)
{
	for (int i = 0; i < ROUNDS; i++) {
		set_pte_at(shared, flip_va, flip_pte, mk_pte(pages[i & 1], PAGE_SHARED));
		flush_tlb_mm_range(shared, flip_va, flip_va + PAGE_SIZE, PAGE_SHIFT, false);
	}
}

static void reader(int cpu)
{
	phys_addr_t pa0 = page_to_phys(pages[0]), pa1 = page_to_phys(pages[1]);

	for (int i = 0; i < ROUNDS; i++) {
		phys_addr_t pa;

		if ((i & 255) == 0) {
			switch_mm(NULL, other, NULL);
			switch_mm(other, shared, NULL);
		}
		check(!mmu_translate(flip_va + (unsigned long)cpu, MMU_READ | MMU_USER, &pa, NULL));
		pa -= (phys_addr_t)cpu;
		check(pa == pa0 || pa == pa1);
		check(!mmu_translate(fixed_va, MMU_WRITE | MMU_USER, &pa, NULL));
		check(pa == page_to_phys(fixed));
	}
}

static void *worker(void *arg)
{
	int cpu = (int)(long)arg;
	phys_addr_t pa;

	if (mmsim_enter(machine, cpu)) {
		atomic_fetch_add(&failures, 1);
		return NULL;
	}
	switch_mm(NULL, shared, NULL);
	pthread_barrier_wait(&barrier);
	if (cpu == 0)
		flipper();
	else
		reader(cpu);
	pthread_barrier_wait(&barrier);
	if (cpu == 0) {
		set_pte_at(shared, flip_va, flip_pte, mk_pte(pages[2], PAGE_SHARED));
		flush_tlb_mm_range(shared, flip_va, flip_va + PAGE_SIZE, PAGE_SHIFT, false);
	}
	pthread_barrier_wait(&barrier);
	check(!mmu_translate(flip_va, MMU_READ | MMU_USER, &pa, NULL));
	check(pa == page_to_phys(pages[2]));
	switch_mm(shared, &init_mm, NULL);
	mmsim_leave();
	return NULL;
}

static void run(const char *spec)
{
	pthread_t th[NTHREADS];
	pte_t *pte;

	machine = boot_or_die(spec);
	shared = mm_alloc();
	other = mm_alloc();
	for (int i = 0; i < 3; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	fixed = alloc_page(GFP_KERNEL);
	flip_pte = walk_to_pte_alloc(shared, flip_va);
	set_pte_at(shared, flip_va, flip_pte, mk_pte(pages[0], PAGE_SHARED));
	pte = walk_to_pte_alloc(shared, fixed_va);
	set_pte_at(shared, fixed_va, pte, pte_mkdirty(mk_pte(fixed, PAGE_SHARED)));
	mmsim_leave();
	pthread_barrier_init(&barrier, NULL, NTHREADS);
	for (long i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&barrier);
	KT_EQ(mmsim_enter(machine, 0), 0);
	KT_ASSERT(sum_vm_event(NR_TLB_REMOTE_FLUSH) >= ROUNDS);
	pte_clear(shared, flip_va, flip_pte);
	pte_clear(shared, fixed_va, pte);
	flush_tlb_mm(shared);
	mmput(shared);
	mmput(other);
	for (int i = 0; i < 3; i++)
		__free_page(pages[i]);
	__free_page(fixed);
	mmsim_shutdown(machine);
	KT_EQ(atomic_exchange(&failures, 0), 0);
}

static void test_shootdowns_x86_64(void)
{
	run("arch=x86_64 ram=128M cpus=4");
}

static void test_shootdowns_arm64(void)
{
	run("arch=arm64 ram=128M cpus=4");
}

static void test_shootdowns_i386(void)
{
	run("arch=i386 ram=128M cpus=4");
}

int main(void)
{
	KT_RUN(test_shootdowns_x86_64);
	KT_RUN(test_shootdowns_arm64);
	KT_RUN(test_shootdowns_i386);
	return kt_done();
}
