// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_file_fault_mt.c - file faults racing on host threads (TSan:
 * label "threaded"): a process and its fork child, on two CPUs, write
 * their own byte of every page of a shared mapping of a pcfs.h file (the
 * first write of a page through ->page_mkwrite, dirtying it), read the
 * other bytes back and read a private mapping of the same file, with
 * fault-around and MADV_DONTNEED in the mix; a third CPU meanwhile
 * invalidates the cache (invalidate_inode_pages2_range: it unmaps clean
 * pages from both mms and drops them; dirty ones stay, -EBUSY) and drops
 * unmapped ones (invalidate_mapping_pages).  At the end every page holds
 * both writers' last bytes and the file's own elsewhere, and the cache,
 * the rmap and the LRU lists are valid.
 */
#include <pthread.h>
#include "pcfs.h"

#define NP	32
#define ROUNDS	40

static struct mmsim *machine;
static struct pcfs *fs;
static unsigned long sh, pr;
static pthread_barrier_t start;

struct worker {
	struct task_struct *task;
	int cpu, idx, bad;
};

static void user_worker(struct worker *w)
{
	unsigned int seed = 0x9e3779b9u * (unsigned int)(w->idx + 1);

	for (int r = 1; r <= ROUNDS; r++) {
		for (int j = 0; j < NP; j++) {
			unsigned long base = (unsigned long)j * PAGE_SIZE;
			unsigned char c = (unsigned char)r, b[2];

			if (mmsim_user_write(sh + base + (unsigned long)w->idx, &c, 1))
				w->bad++;
			if (mmsim_user_read(sh + base + 2, b, 2) ||
			    b[0] != pcfs_byte((loff_t)base + 2) || b[1] != pcfs_byte((loff_t)base + 3))
				w->bad++;
			if (mmsim_user_read(pr + base + 100, b, 1) ||
			    b[0] != pcfs_byte((loff_t)base + 100))
				w->bad++;
		}
		seed = seed * 1103515245u + 12345u;
		if ((seed >> 8) % 3 == 0)
			sys_madvise(sh + ((seed >> 12) % NP) * PAGE_SIZE, 4 * PAGE_SIZE, MADV_DONTNEED);
		if ((seed >> 8) % 4 == 1)
			sys_madvise(pr, NP * PAGE_SIZE, MADV_DONTNEED);
		if (!current) {
			/* the task exited under us (a fatal signal from a
			 * failed access): say so with the log, and stop */
			char *log = mmsim_read(machine, "/dev/kmsg");

			fprintf(stderr, "worker %d: its task is gone; the log:\n%s\n", w->idx,
				log ? log : "");
			free(log);
			w->bad++;
			return;
		}
		if (!mm_is_valid(current->mm))
			w->bad++;
	}
}

static void dropper(struct worker *w)
{
	struct address_space *mapping = &fs->inode.i_data;

	for (int r = 0; r < ROUNDS * 3; r++) {
		int ret = invalidate_inode_pages2_range(mapping, 0, (pgoff_t)-1);

		if (ret && ret != -EBUSY)
			w->bad++;
		invalidate_mapping_pages(mapping, 0, (pgoff_t)-1);
	}
}

static void *worker(void *arg)
{
	struct worker *w = arg;

	if (mmsim_enter(machine, w->cpu) || (w->task && mmsim_switch_to(w->task))) {
		w->bad++;
		pthread_barrier_wait(&start);
		return NULL;
	}
	pthread_barrier_wait(&start);
	if (w->task) {
		user_worker(w);
		mmsim_switch_idle();
		switch_mm(NULL, &init_mm, NULL);
	} else {
		dropper(w);
	}
	mmsim_leave();
	return NULL;
}

static bool final_bytes(void)
{
	for (int j = 0; j < NP; j++) {
		unsigned char b[3];

		if (mmsim_user_read(sh + (unsigned long)j * PAGE_SIZE, b, 3) || b[0] != ROUNDS ||
		    b[1] != ROUNDS || b[2] != pcfs_byte((loff_t)j * (loff_t)PAGE_SIZE + 2))
			return false;
	}
	return true;
}

static void test_fault_vs_invalidate(void)
{
	struct task_struct *p, *c;
	struct worker w[3];
	pthread_t th[3];
	long pid;
	int st;

	machine = boot_or_die("arch=x86_64 ram=128M cpus=4");
	KT_EQ(mmsim_enter(machine, 0), 0);
	fs = pcfs_new(NP * (loff_t)PAGE_SIZE, true, false);
	p = mmsim_spawn(machine, "filer");
	KT_EQ(mmsim_switch_to(p), 0);
	sh = pcfs_mmap(fs, NP * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, 0);
	pr = pcfs_mmap(fs, NP * PAGE_SIZE, PROT_READ, MAP_PRIVATE, 0);
	KT_ASSERT(!IS_ERR_VALUE(sh) && !IS_ERR_VALUE(pr));
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(c);
	if (!c)
		return;
	mmsim_switch_idle();
	pthread_barrier_init(&start, NULL, 3);
	for (int i = 0; i < 3; i++) {
		w[i] = (struct worker){ .task = i == 2 ? NULL : i ? c : p, .cpu = i + 1, .idx = i };
		pthread_create(&th[i], NULL, worker, &w[i]);
	}
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	for (int i = 0; i < 3; i++)
		KT_EQ_WHAT(w[i].bad, 0, "worker %d", i);

	KT_ASSERT(mm_mapcounts_are_valid(machine));
	KT_ASSERT(mapping_is_valid(&fs->inode.i_data));
	KT_ASSERT(lru_all_valid());
	KT_EQ(mmsim_switch_to(c), 0);
	KT_ASSERT(final_bytes());
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_ASSERT(final_bytes());
	KT_ASSERT(mm_is_valid(p->mm));
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	sys_exit_group(0);
	pcfs_free(fs);
	mmsim_switch_idle();
	mmsim_leave();
	mmsim_shutdown(machine);
}

int main(void)
{
	KT_RUN(test_fault_vs_invalidate);
	return kt_done();
}
