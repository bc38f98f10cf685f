// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_writeback_mt.c - writeback with several host threads on one
 * machine: each CPU's thread runs its own task that dirties its own file
 * of the in-test file system, balances, lets virtual time pass (so the
 * flusher and the disk's completions run on whichever thread moves the
 * clock), flushes ranges and syncs.  At the end: the counters agree with
 * the folios, the lists and the work list are valid, a sync leaves
 * nothing dirty.  Run under ThreadSanitizer (label `threaded`).
 */
#include <pthread.h>
#include <mmsim/jiffies.h>
#include <mmsim/vmstat.h>
#include <mmsim/workqueue.h>
#include "kernel/internal.h"
#include "wb_testfs.h"

#define NR_THREADS	2
#define NR_PAGES	128
#define ROUNDS		300

static struct mmsim *machine;
static struct inode *inodes[NR_THREADS];
static struct task_struct *tasks[NR_THREADS];

struct worker {
	int idx;			/* its inode and task */
	int cpu;
	unsigned long long rng;
	int errors;
};

static unsigned long rnd(struct worker *w, unsigned long n)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return (unsigned long)(w->rng % n);
}

static void *worker(void *arg)
{
	struct worker *w = arg;
	struct inode *inode = inodes[w->idx];

	if (mmsim_enter(machine, w->cpu) || mmsim_switch_to(tasks[w->idx])) {
		w->errors++;
		return NULL;
	}
	for (int r = 0; r < ROUNDS; r++) {
		unsigned long first = rnd(w, NR_PAGES - 8);

		switch (rnd(w, 6)) {
		case 0: case 1: case 2:
			for (unsigned long i = 0; i < 8; i++) {
				tfs_dirty(inode, first + i, 1);
				balance_dirty_pages_ratelimited(inode->i_mapping);
			}
			break;
		case 3:
			mmsim_advance_clock(machine, rnd(w, 100) * 1000000ull);
			break;
		case 4:
			if (filemap_fdatawrite_range(inode->i_mapping, (loff_t)first * PAGE_SIZE,
						     (loff_t)(first + 8) * PAGE_SIZE - 1))
				w->errors++;
			break;
		case 5:
			if (write_inode_now(inode, 1))
				w->errors++;
			break;
		}
		exit_to_user_mode();
	}
	mmsim_switch_idle();
	mmsim_leave();
	return NULL;
}

static void test_threads(void)
{
	struct worker w[NR_THREADS];
	pthread_t th[NR_THREADS];
	struct bdi_writeback *wb;
	long dirty0;

	machine = boot_or_die("arch=x86_64 ram=128M cpus=3 disk=64M disk_latency=2000");
	wb = &mmsim_root_bdev(machine)->bd_disk->bdi->wb;
	KT_EQ(mmsim_write(machine, "/proc/sys/vm/dirty_bytes", "262144"), 0);
	KT_EQ(mmsim_write(machine, "/proc/sys/vm/dirty_background_bytes", "131072"), 0);
	tfs_sb_init(machine);
	dirty0 = (long)global_node_page_state(NR_FILE_DIRTY);
	for (int i = 0; i < NR_THREADS; i++) {
		inodes[i] = tfs_inode(200 + (unsigned long)i);
		tasks[i] = mmsim_spawn(machine, "writer");
		KT_ASSERT(tasks[i]);
		w[i] = (struct worker){ .idx = i, .cpu = i + 1, .rng = 0x1234567ull * (unsigned long long)(i + 3) };
	}
	/* Threads take CPUs 1 and 2; this one stays on CPU 0. */
	for (int i = 0; i < NR_THREADS; i++)
		pthread_create(&th[i], NULL, worker, &w[i]);
	for (int i = 0; i < NR_THREADS; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < NR_THREADS; i++)
		KT_EQ(w[i].errors, 0);
	sync_inodes_sb(&tfs_sb);
	for (int i = 0; i < NR_THREADS; i++) {
		filemap_fdatawait_range(inodes[i]->i_mapping, 0, LLONG_MAX);
		KT_ASSERT(mapping_dirty_is_valid(inodes[i]->i_mapping));
	}
	KT_EQ((long)global_node_page_state(NR_FILE_DIRTY), dirty0);
	KT_EQ(global_node_page_state(NR_WRITEBACK), 0);
	KT_ASSERT(wb_is_valid(wb));
	KT_ASSERT(workqueue_is_valid(machine));
	KT_ASSERT(tfs_pages_written > 0);
	for (int i = 0; i < NR_THREADS; i++)
		tfs_inode_free(inodes[i]);
	mmsim_shutdown(machine);
}

int main(void)
{
	KT_RUN(test_threads);
	return kt_done();
}
