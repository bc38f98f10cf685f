// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_shmem_anon_mt.c - one shmem object (MAP_SHARED|MAP_ANONYMOUS)
 * mapped by a parent and its child running on two CPUs at once: both
 * fault the same page offsets concurrently (the first fault of an offset
 * races to add the page to the object: one wins, the other maps the
 * winner's page), write their own byte of every page, drop their PTEs with
 * MADV_DONTNEED and walk the reverse map (folio_referenced) while the
 * other faults and zaps.  Afterwards each process sees both bytes of every
 * page, the counters and mapcounts check out, and once both exited every
 * page is back in the buddy allocator.
 * Labelled `threaded` (the _mt suffix): `make test` runs it under TSan.
 */
#include <pthread.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/slab.h>
#include <mmsim/rmap.h>
#include "mmtest.h"
#include "mm/fault_internal.h"

#define NP	32
#define ROUNDS	150

static struct mmsim *machine;
static unsigned long va;
static pthread_barrier_t start;

struct worker {
	struct task_struct *task;
	int cpu, idx, bad;
};

static void *worker(void *arg)
{
	struct worker *w = arg;
	unsigned int seed = 0x9e3779b9u * (unsigned int)(w->idx + 1);

	if (mmsim_enter(machine, w->cpu) || mmsim_switch_to(w->task)) {
		w->bad++;
		pthread_barrier_wait(&start);
		return NULL;
	}
	pthread_barrier_wait(&start);
	for (int r = 1; r <= ROUNDS; r++) {
		for (int j = 0; j < NP; j++) {
			unsigned char c = (unsigned char)r;

			if (mmsim_user_write(va + (unsigned long)j * PAGE_SIZE + (unsigned long)w->idx,
					     &c, 1))
				w->bad++;
		}
		seed = seed * 1103515245u + 12345u;
		if ((seed >> 8) % 3 == 0)
			sys_madvise(va + ((seed >> 12) % NP) * PAGE_SIZE, 4 * PAGE_SIZE, MADV_DONTNEED);
		if ((seed >> 8) % 5 == 1) {
			pte_t *ptep = mm_find_pte(current->mm, va);
			pte_t pte = ptep ? ptep_get(ptep) : __pte(0);
			unsigned long flags;

			/* the object keeps the page (our mm only zaps on this CPU) */
			if (pte_present(pte))
				(void)folio_referenced(page_folio(pfn_to_page(pte_pfn(pte))), 0,
						       NULL, &flags);
		}
		if (!mm_is_valid(current->mm))
			w->bad++;
	}
	mmsim_switch_idle();
	switch_mm(NULL, &init_mm, NULL);
	mmsim_leave();
	return NULL;
}

static bool both_bytes(void)
{
	for (int j = 0; j < NP; j++) {
		unsigned char b[2];

		if (mmsim_user_read(va + (unsigned long)j * PAGE_SIZE, b, 2) ||
		    b[0] != ROUNDS || b[1] != ROUNDS)
			return false;
	}
	return true;
}

static void test_race(void)
{
	struct task_struct *p, *c;
	struct worker w[2];
	pthread_t th[2];
	unsigned long before;
	long pid;
	int st;

	machine = boot_or_die("arch=x86_64 ram=128M cpus=3");
	KT_EQ(mmsim_enter(machine, 0), 0);
	p = mmsim_spawn(machine, "shm");
	KT_EQ(mmsim_switch_to(p), 0);
	va = sys_mmap(0, NP * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(c);
	sys_exit_group(0);	/* the warm-up process is gone; the real pair follows */

	/* the pair: exact page count around it */
	KT_EQ(mmsim_switch_to(c), 0);
	sys_exit_group(0);
	mmsim_switch_idle();
	switch_mm(NULL, &init_mm, NULL);
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	before = nr_free_pages();

	p = mmsim_spawn(machine, "shm");
	KT_EQ(mmsim_switch_to(p), 0);
	va = sys_mmap(0, NP * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1UL, 0);
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(c);
	if (!c)
		return;
	mmsim_switch_idle();
	pthread_barrier_init(&start, NULL, 2);
	for (int i = 0; i < 2; i++) {
		w[i] = (struct worker){ .task = i ? c : p, .cpu = i + 1, .idx = i };
		pthread_create(&th[i], NULL, worker, &w[i]);
	}
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	KT_EQ(w[0].bad, 0);
	KT_EQ(w[1].bad, 0);

	KT_ASSERT(mm_mapcounts_are_valid(machine));
	KT_EQ(mmsim_switch_to(c), 0);
	KT_ASSERT(both_bytes());
	KT_ASSERT(mm_is_valid(c->mm));
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_ASSERT(both_bytes());
	KT_ASSERT(mm_is_valid(p->mm));
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	sys_exit_group(0);
	mmsim_switch_idle();
	switch_mm(NULL, &init_mm, NULL);
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), before);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_leave();
	mmsim_shutdown(machine);
}

int main(void)
{
	KT_RUN(test_race);
	return kt_done();
}
