// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_tlb_index_mt.c - a TLB shootdown against a copy in flight,
 * with the L1 index in the way (arch/tlb.c, mm/maccess.c's bracket):
 *   - CPU 1 flushes a page CPU 0 is copying through (between
 *     mmu_access_begin and mmu_access_end): the flush returns only after
 *     the copy ended, so no store through the old translation lands later;
 *   - CPU 1 flushes a page CPU 0 has translated but not begun copying
 *     through: mmu_access_begin refuses, and the translation made again
 *     (an L1 index hit before the flush) gives the new page.
 * Run under ThreadSanitizer by `make test` (label threaded).
 */
#include <pthread.h>
#include <sched.h>
#include <unistd.h>
#include "mmtest.h"

static struct mmsim *machine;
static struct mm_struct *mm;
static struct page *pages[2];
static pte_t *pte;
static const unsigned long va = 0x10000000;
static atomic_int stage, failures, copy_done;

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "test_tlb_index_mt: %s\n", what);
		atomic_fetch_add(&failures, 1);
	}
}

static void wait_stage(int s)
{
	while (atomic_load(&stage) < s)
		sched_yield();
}

/* CPU 0: copies through a translation while CPU 1 flushes it. */
static void copier(void)
{
	char *p;

	/* 1: a copy in flight when the flush comes */
	p = mmu_access(va, MMU_WRITE | MMU_USER, NULL);
	check(p != NULL, "translate");
	p = mmu_access(va, MMU_WRITE | MMU_USER, NULL);	/* an L1 index hit */
	check(mmu_access_begin(), "begin with no flush pending");
	atomic_store(&stage, 1);
	wait_stage(2);		/* CPU 1 is about to flush */
	usleep(20000);
	if (p)
		p[0] = 0x5a;	/* the store through the old translation */
	atomic_store(&copy_done, 1);
	mmu_access_end();
	wait_stage(3);
	check(mmu_access(va, MMU_READ | MMU_USER, NULL) == page_address(pages[1]),
	      "after the flush: the new page");

	/* 2: translated, not yet copying: begin refuses */
	p = mmu_access(va, MMU_READ | MMU_USER, NULL);
	check(p == page_address(pages[1]), "index hit on the new page");
	atomic_store(&stage, 4);
	wait_stage(5);		/* CPU 1 remapped and flushed */
	check(!mmu_access_begin(), "begin refuses after a flush");
	p = mmu_access(va, MMU_READ | MMU_USER, NULL);
	check(p == page_address(pages[0]), "translated again: the page now mapped");
	check(mmu_access_begin(), "begin then");
	mmu_access_end();
}

/* CPU 1: remaps the page and flushes it. */
static void flusher(void)
{
	wait_stage(1);
	set_pte_at(mm, va, pte, pte_mkdirty(mk_pte(pages[1], PAGE_SHARED)));
	atomic_store(&stage, 2);
	flush_tlb_mm_range(mm, va, va + PAGE_SIZE, PAGE_SHIFT, false);
	check(atomic_load(&copy_done) == 1, "the flush returned before the copy ended");
	check(((char *)page_address(pages[0]))[0] == 0x5a, "the copy landed in the old page");
	atomic_store(&stage, 3);
	wait_stage(4);
	set_pte_at(mm, va, pte, pte_mkdirty(mk_pte(pages[0], PAGE_SHARED)));
	flush_tlb_mm_range(mm, va, va + PAGE_SIZE, PAGE_SHIFT, false);
	atomic_store(&stage, 5);
}

static void *worker(void *arg)
{
	int cpu = (int)(long)arg;

	if (mmsim_enter(machine, cpu)) {
		atomic_fetch_add(&failures, 1);
		return NULL;
	}
	switch_mm(NULL, mm, NULL);
	if (cpu == 0)
		copier();
	else
		flusher();
	switch_mm(mm, &init_mm, NULL);
	mmsim_leave();
	return NULL;
}

static void run(const char *spec)
{
	pthread_t th[2];

	machine = boot_or_die(spec);
	mm = mm_alloc();
	for (int i = 0; i < 2; i++)
		pages[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
	pte = walk_to_pte_alloc(mm, va);
	set_pte_at(mm, va, pte, pte_mkdirty(mk_pte(pages[0], PAGE_SHARED)));
	atomic_store(&stage, 0);
	atomic_store(&copy_done, 0);
	mmsim_leave();
	for (long i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, worker, (void *)i);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	KT_EQ(mmsim_enter(machine, 0), 0);
	pte_clear(mm, va, pte);
	flush_tlb_mm(mm);
	mmput(mm);
	for (int i = 0; i < 2; i++)
		__free_page(pages[i]);
	mmsim_shutdown(machine);
	KT_EQ(atomic_exchange(&failures, 0), 0);
}

static void test_copy_in_flight_x86_64(void)
{
	run("arch=x86_64 ram=128M cpus=2");
}

static void test_copy_in_flight_arm64(void)
{
	run("arch=arm64 ram=128M cpus=2");
}

static void test_copy_in_flight_i386(void)
{
	run("arch=i386 ram=128M cpus=2");
}

int main(void)
{
	KT_RUN(test_copy_in_flight_x86_64);
	KT_RUN(test_copy_in_flight_arm64);
	KT_RUN(test_copy_in_flight_i386);
	return kt_done();
}
