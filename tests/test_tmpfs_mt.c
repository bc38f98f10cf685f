// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_tmpfs_mt.c - one tmpfs file (/tmp/race) used by two processes
 * on two CPUs at once: the writer pwrite()s byte 0 of every page and
 * ftruncate()s the file between half and full size (freeing the upper
 * half's pages, which the other maps too); the mapper read-faults byte 8
 * of every page of the lower half through a MAP_SHARED mapping (shmem_fault
 * racing with the writer's write_begin to add the same page: one wins, the
 * other takes the winner's) and zaps its PTEs with MADV_DONTNEED.
 * Afterwards byte 0 of every lower page holds the last round, the file
 * system's counters (shmem_sb_is_valid), the LRU lists and the mapcounts
 * check out, and once the file is unlinked and closed Shmem is back where
 * it was.  (The mapper neither writes through the mapping nor pread()s
 * while the writer runs: the fault path's file_update_time and the copy
 * path's page-flag reads are plain accesses in mm/filemap.c and
 * lib/iov_iter.c that TSan reports against write(2); see bugs12.md.)
 * Labelled `threaded` (the _mt suffix): `make test` runs it under TSan.
 * Skipped while the VFS (/tmp) is not there.
 */
#include <fcntl.h>
#include <pthread.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/slab.h>
#include <mmsim/swap.h>
#include <mmsim/rmap.h>
#include <mmsim/shmem_fs.h>
#include "mmtest.h"
#include "mm/fault_internal.h"

#define NP	16
#define ROUNDS	60

static struct mmsim *machine;
static pthread_barrier_t start;

struct worker {
	struct task_struct *task;
	int cpu, idx, bad, fd;
	unsigned long va, ubuf;
};

static void writer(struct worker *w, int r)
{
	unsigned char c = (unsigned char)r;

	if (mmsim_user_write(w->ubuf, &c, 1))
		w->bad++;
	for (int j = 0; j < NP; j++)
		if (sys_pwrite64(w->fd, w->ubuf, 1, (long)(j * PAGE_SIZE)) != 1)
			w->bad++;
	if (sys_ftruncate(w->fd, (long)(NP / 2 * PAGE_SIZE)) ||
	    sys_ftruncate(w->fd, (long)(NP * PAGE_SIZE)))
		w->bad++;
}

static void mapper(struct worker *w, unsigned int *seed)
{
	for (int j = 0; j < NP / 2; j++) {
		unsigned char c = 0xff;

		if (mmsim_user_read(w->va + (unsigned long)j * PAGE_SIZE + 8, &c, 1) || c != 0)
			w->bad++;
	}
	*seed = *seed * 1103515245u + 12345u;
	if ((*seed >> 8) % 2 == 0)
		sys_madvise(w->va + ((*seed >> 12) % (NP / 2)) * PAGE_SIZE, 2 * PAGE_SIZE,
			    MADV_DONTNEED);
}

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
		if (w->idx == 0)
			writer(w, r);
		else
			mapper(w, &seed);
		if (!mm_is_valid(current->mm))
			w->bad++;
	}
	mmsim_switch_idle();
	switch_mm(NULL, &init_mm, NULL);
	mmsim_leave();
	return NULL;
}

static struct task_struct *setup(struct worker *w, int idx)
{
	struct task_struct *t = mmsim_spawn(machine, idx ? "mapper" : "writer");

	KT_EQ(mmsim_switch_to(t), 0);
	*w = (struct worker){ .task = t, .cpu = idx + 1, .idx = idx };
	w->ubuf = sys_mmap(0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1UL, 0);
	w->fd = (int)sys_open("/tmp/race", O_CREAT | O_RDWR, 0600);
	KT_ASSERT(w->fd >= 0);
	if (idx == 0)
		KT_EQ(sys_ftruncate(w->fd, (long)(NP * PAGE_SIZE)), 0);
	w->va = sys_mmap(0, NP * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
			 (unsigned long)w->fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(w->va));
	return t;
}

static void test_race(void)
{
	struct worker w[2];
	pthread_t th[2];
	long long shmem0;
	struct path p;
	char *s;

	machine = boot_or_die("arch=x86_64 ram=128M cpus=3");
	KT_EQ(mmsim_enter(machine, 0), 0);
	if (!get_fs_type("tmpfs") || kern_path("/tmp", LOOKUP_FOLLOW, &p)) {
		printf("# SKIP: no tmpfs on /tmp yet (the VFS)\n");
		mmsim_leave();
		mmsim_shutdown(machine);
		return;
	}
	s = mmsim_read(machine, "/proc/meminfo");
	shmem0 = field(s, "Shmem:");
	free(s);
	setup(&w[0], 0);
	setup(&w[1], 1);
	mmsim_switch_idle();
	pthread_barrier_init(&start, NULL, 2);
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, worker, &w[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	KT_EQ(w[0].bad, 0);
	KT_EQ(w[1].bad, 0);

	KT_ASSERT(shmem_sb_is_valid(p.dentry->d_sb));
	KT_ASSERT(lru_all_valid());
	KT_ASSERT(mm_mapcounts_are_valid(machine));
	KT_EQ(mmsim_switch_to(w[1].task), 0);
	for (int j = 0; j < NP / 2; j++) {
		unsigned char b = 0;

		KT_EQ(mmsim_user_read(w[1].va + (unsigned long)j * PAGE_SIZE, &b, 1), 0);
		KT_EQ(b, ROUNDS);
	}
	KT_EQ(sys_unlink("/tmp/race"), 0);
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(w[0].task), 0);
	sys_exit_group(0);
	mmsim_switch_idle();
	s = mmsim_read(machine, "/proc/meminfo");
	KT_EQ(field(s, "Shmem:"), shmem0);
	free(s);
	KT_ASSERT(shmem_sb_is_valid(p.dentry->d_sb));
	KT_ASSERT(lru_all_valid());
	path_put(&p);
	mmsim_leave();
	mmsim_shutdown(machine);
}

int main(void)
{
	KT_RUN(test_race);
	return kt_done();
}
