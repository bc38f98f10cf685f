// SPDX-License-Identifier: GPL-2.0
/*
 * tests/pagecache_stress_mt.c - the page-cache stress of
 * tests/pagecache_stress.h on three host threads, each on its own CPU
 * with its own set of processes and files (names of its own on "/" and
 * /tmp): the file systems' allocators, the LRU lists, the flusher (any
 * thread's virtual-time step runs it, over every set's dirty pages),
 * sync and drop_caches (machine-wide) are shared.  After every step a
 * thread checks its own files (mapping_is_valid; every 20 steps each is
 * read whole through kernel_read against the shadow) and its process
 * (mm_is_valid); every ROTATE steps the threads meet at a barrier, go
 * idle, and one checks the machine (lru_all_valid, mm_mapcounts_are_valid,
 * mmfs_fsck, shmem_sb_is_valid, mapping_is_valid of every set's files)
 * while the others wait.
 *
 * Not in the suite yet: it becomes tests/test_pagecache_stress_mt.c (the
 * _mt suffix: labelled `threaded`, `make test` runs it under TSan) once
 * TSan reports no race in it; it passes under ASan, and the races TSan
 * finds (mmfs metadata bytes against bdev writeback, inode times against
 * ->write_inode, fork's file VMA against rmap) are in /work/notes/bugs12.md.
 * To run it now: copy it to tests/test_pagecache_stress_mt.c and build.
 * MMSIM_STRESS_SEED, MMSIM_STRESS_STEPS as test_pagecache_stress.
 */
#include <pthread.h>
#include "pagecache_stress.h"

#define NSETS		3
#define ROTATE		50
#if defined(__SANITIZE_THREAD__)
#define DEFAULT_STEPS	1000		/* TSan is ~5x slower */
#else
#define DEFAULT_STEPS	2500
#endif

static struct mmsim *machine;
static int steps = DEFAULT_STEPS;
static unsigned long seed = 0x5eedf11e;
static struct ps_set sets[NSETS];
static pthread_barrier_t barrier;

static void *worker(void *arg)
{
	int cpu = (int)(long)arg;
	struct ps_set *s = &sets[cpu];

	if (mmsim_enter(machine, cpu)) {
		atomic_fetch_add(&ps_failures, 1);
		return NULL;
	}
	for (s->step = 1; s->step <= steps; ) {
		for (int i = 0; i < ROTATE && s->step <= steps; i++, s->step++)
			if (s->failures < 20)
				ps_step(s);
		mmsim_switch_idle();
		s->cur = -1;
		pthread_barrier_wait(&barrier);
		if (cpu == 0)
			ps_check_global(s, sets, NSETS);
		pthread_barrier_wait(&barrier);
	}
	ps_finish(s);
	switch_mm(NULL, &init_mm, NULL);
	pthread_barrier_wait(&barrier);
	mmsim_leave();
	return NULL;
}

static void run_stress(const char *spec)
{
	pthread_t th[NSETS];
	unsigned long forks = 0, sigbus = 0, unlinked = 0;

	kt_begin(spec);
	machine = boot_or_die(spec);
	atomic_store(&ps_failures, 0);
	ps_find_sbs();
	KT_ASSERT(ps_root_sb && ps_tmp_sb);
	for (int i = 0; i < NSETS; i++)
		ps_init_set(&sets[i], machine, i, seed);
	mmsim_leave();
	pthread_barrier_init(&barrier, NULL, NSETS);
	for (int i = 0; i < NSETS; i++)
		pthread_create(&th[i], NULL, worker, (void *)(long)i);
	for (int i = 0; i < NSETS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&barrier);
	KT_EQ(mmsim_enter(machine, 0), 0);
	for (int i = 0; i < NSETS; i++) {
		ps_report(&sets[i]);
		forks += sets[i].n_forks;
		sigbus += sets[i].n_sigbus;
		unlinked += sets[i].n_unlinked_in_use;
	}
	ps_check_global(&sets[0], sets, NSETS);
	KT_EQ(atomic_load(&ps_failures), 0);
	KT_ASSERT(forks > 0 && sigbus > 0 && unlinked > 0);
	kt_end();
	mmsim_shutdown(machine);
}

int main(void)
{
	const char *e = getenv("MMSIM_STRESS_SEED");

	if (e)
		seed = strtoul(e, NULL, 0);
	e = getenv("MMSIM_STRESS_STEPS");
	if (e)
		steps = atoi(e);
	printf("seed %#lx, %d steps per set\n", seed, steps);
	run_stress("ram=128M cpus=3 disk=64M");
	return kt_done();
}
