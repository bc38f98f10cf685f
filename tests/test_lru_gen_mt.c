// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_lru_gen_mt.c - the multi-gen LRU on four CPUs at once
 * (threaded; run under TSan with the `threaded` label): a 32M machine
 * booted with lru=mglru whose memory is oversubscribed by
 *   - a writer streaming a file through the page cache (write, read back),
 *   - a mapper reading a shared file mapping (its PTEs aged by the walk,
 *     unmapped by reclaim through the rmap),
 *   - an anon toucher (swapped if the tree has swap),
 * each allocation reclaiming for itself (direct reclaim racing on the same
 * generations), while a fourth CPU ages the node through
 * /sys/kernel/debug/lru_gen ("+" commands: the page-table walk over the
 * others' mms), reads the histogram, and switches the policy to classic and
 * back through /sys/kernel/mm/lru_gen/enabled.  Every byte read back must
 * match; afterwards lru_all_valid, mm_mapcounts_are_valid, the files'
 * mapping_is_valid and no isolated folio left over.
 */
#include <pthread.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/fcntl.h>
#include <mmsim/err.h>
#include <mmsim/fs.h>
#include <mmsim/rmap.h>
#include <mmsim/pagemap.h>
#include <mmsim/swap.h>
#include <mmsim/lru_policy.h>
#include <sched.h>
#include "mmtest.h"

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)
#define CHUNK	(64 * 1024UL)
#define FILE_MB	12
#define MAP_MB	8
#define ANON_MB	10
#define ROUNDS	3

static struct mmsim *machine;
static pthread_barrier_t start;
static volatile int done_workers;

struct worker {
	struct task_struct *task;
	int cpu, idx;
	long bad;
	long fd;
	unsigned long va, ubuf;
};

static unsigned char pat(unsigned long pos, unsigned int seed)
{
	return (unsigned char)((pos * 13u) ^ (pos >> 12) ^ seed);
}

static void writer(struct worker *w, int r)
{
	unsigned char *buf = malloc(CHUNK);
	unsigned long size = FILE_MB << 20;

	for (unsigned long off = 0; off < size; off += CHUNK) {
		for (unsigned long i = 0; i < CHUNK; i++)
			buf[i] = pat(off + i, (unsigned int)r);
		if (mmsim_user_write(w->ubuf, buf, CHUNK) ||
		    sys_pwrite64((int)w->fd, w->ubuf, CHUNK, (long)off) != (long)CHUNK)
			w->bad++;
	}
	for (unsigned long off = 0; off < size; off += CHUNK) {
		if (sys_pread64((int)w->fd, w->ubuf, CHUNK, (long)off) != (long)CHUNK ||
		    mmsim_user_read(w->ubuf, buf, CHUNK)) {
			w->bad++;
			continue;
		}
		for (unsigned long i = 0; i < CHUNK; i++)
			w->bad += buf[i] != pat(off + i, (unsigned int)r);
	}
	free(buf);
}

static void mapper(struct worker *w)
{
	unsigned long npages = (MAP_MB << 20) / PAGE_SIZE;

	for (unsigned long p = 0; p < npages; p++) {
		unsigned char c = 0;
		unsigned long pos = p * PAGE_SIZE + (p % 97);

		if (mmsim_user_read(w->va + pos, &c, 1) || c != pat(pos, 77))
			w->bad++;
	}
}

static void toucher(struct worker *w, int r)
{
	unsigned long npages = (ANON_MB << 20) / PAGE_SIZE;

	for (unsigned long p = 0; p < npages; p++) {
		unsigned char c = (unsigned char)(p + (unsigned long)r);

		if (mmsim_user_write(w->va + p * PAGE_SIZE + (p % 61), &c, 1))
			w->bad++;
	}
	for (unsigned long p = 0; p < npages; p++) {
		unsigned char c = 0;

		if (mmsim_user_read(w->va + p * PAGE_SIZE + (p % 61), &c, 1) ||
		    c != (unsigned char)(p + (unsigned long)r))
			w->bad++;
	}
}

/* The fourth CPU: age, read the histogram, switch policies, until the others finish. */
static void ager(struct worker *w)
{
	int i = 0;

	while (__atomic_load_n(&done_workers, __ATOMIC_ACQUIRE) < 3) {
		char cmd[64], *s;
		unsigned long max_seq = 0;

		s = mmsim_read(machine, "/sys/kernel/debug/lru_gen");
		if (s) {
			/* the last generation line's seq is max_seq */
			char *line = s, *last = NULL;

			while ((line = strchr(line, '\n')) != NULL) {
				line++;
				if (*line == ' ' && line[1] == ' ')
					last = line;
			}
			if (last)
				max_seq = strtoul(last, NULL, 10);
			free(s);
		}
		if (max_seq) {
			snprintf(cmd, sizeof(cmd), "+ 0 0 %lu", max_seq);
			mmsim_write(machine, "/sys/kernel/debug/lru_gen", cmd);
		}
		if (++i % 8 == 0) {
			if (mmsim_write(machine, "/sys/kernel/mm/lru_gen/enabled", "n") ||
			    mmsim_write(machine, "/sys/kernel/mm/lru_gen/enabled", "y"))
				w->bad++;
		}
		sched_yield();
	}
}

static void *worker(void *arg)
{
	struct worker *w = arg;

	if (mmsim_enter(machine, w->cpu) || mmsim_switch_to(w->task)) {
		w->bad++;
		pthread_barrier_wait(&start);
		return NULL;
	}
	pthread_barrier_wait(&start);
	if (w->idx == 3) {
		ager(w);
	} else {
		for (int r = 1; r <= ROUNDS; r++) {
			if (w->idx == 0)
				writer(w, r);
			else if (w->idx == 1)
				mapper(w);
			else
				toucher(w, r);
		}
		__atomic_fetch_add(&done_workers, 1, __ATOMIC_RELEASE);
	}
	mmsim_switch_idle();
	switch_mm(NULL, &init_mm, NULL);
	mmsim_leave();
	return NULL;
}

/* The mapped file, written once with pattern seed 77. */
static long make_map_file(unsigned long ubuf)
{
	unsigned char *buf = malloc(CHUNK);
	long fd = sys_open("/mapped", O_RDWR | O_CREAT | O_TRUNC, 0644);

	for (unsigned long off = 0; fd >= 0 && off < (MAP_MB << 20); off += CHUNK) {
		for (unsigned long i = 0; i < CHUNK; i++)
			buf[i] = pat(off + i, 77);
		KT_EQ(mmsim_user_write(ubuf, buf, CHUNK), 0);
		KT_EQ(sys_write((int)fd, ubuf, CHUNK), (long)CHUNK);
	}
	free(buf);
	KT_EQ(sys_fsync((int)fd), 0);
	return fd;
}

static void setup(struct worker *w, int idx)
{
	struct task_struct *t = mmsim_spawn(machine, idx == 0 ? "writer" : idx == 1 ? "mapper" :
						     idx == 2 ? "anon" : "ager");

	KT_EQ(mmsim_switch_to(t), 0);
	*w = (struct worker){ .task = t, .cpu = idx + 1, .idx = idx, .fd = -1 };
	w->ubuf = sys_mmap(0, CHUNK, RW, PRIV, -1UL, 0);
	if (idx == 0) {
		w->fd = sys_open("/stream", O_RDWR | O_CREAT | O_TRUNC, 0644);
		KT_ASSERT(w->fd >= 0);
	} else if (idx == 1) {
		w->fd = make_map_file(w->ubuf);
		w->va = sys_mmap(0, MAP_MB << 20, PROT_READ, MAP_SHARED, (unsigned long)w->fd, 0);
		KT_ASSERT(!IS_ERR_VALUE(w->va));
	} else if (idx == 2) {
		w->va = sys_mmap(0, ANON_MB << 20, RW, PRIV, -1UL, 0);
		KT_ASSERT(!IS_ERR_VALUE(w->va));
	}
}

static bool file_valid(struct worker *w)
{
	struct file *file = fget((unsigned int)w->fd);
	bool ok = file && mapping_is_valid(file->f_mapping);

	if (file)
		fput(file);
	return ok;
}

static void test_race(void)
{
	struct worker w[4];
	pthread_t th[4];

	machine = mmsim_boot("ram=32M disk=96M cpus=5 swap=32M lru=mglru");
	if (!machine)
		machine = boot_or_die("ram=32M disk=96M cpus=5 lru=mglru");
	printf("# swap: %ld pages\n", get_total_swap_pages());
	KT_EQ(mmsim_enter(machine, 0), 0);
	for (int i = 0; i < 4; i++)
		setup(&w[i], i);
	mmsim_switch_idle();
	pthread_barrier_init(&start, NULL, 4);
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, worker, &w[i]);
	for (int i = 0; i < 4; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	for (int i = 0; i < 4; i++)
		KT_EQ_WHAT(w[i].bad, 0, "worker %d bad bytes", i);
	KT_ASSERT(lru_policy_current() == &lru_gen_ops);

	KT_ASSERT(lru_all_valid());
	KT_ASSERT(mm_mapcounts_are_valid(machine));
	for (int i = 0; i < 4; i++) {
		KT_EQ(mmsim_switch_to(w[i].task), 0);
		KT_ASSERT(mm_is_valid(w[i].task->mm));
		if (w[i].fd >= 0)
			KT_ASSERT(file_valid(&w[i]));
		sys_exit_group(0);
	}
	mmsim_switch_idle();
	{
		char *s = mmsim_read(machine, "/proc/vmstat");

		KT_EQ(field(s, "nr_isolated_anon "), 0);
		KT_EQ(field(s, "nr_isolated_file "), 0);
		printf("# pgscan_direct %lld pgsteal_direct %lld pswpout %lld\n",
		       field(s, "pgscan_direct "), field(s, "pgsteal_direct "), field(s, "pswpout "));
		KT_ASSERT(field(s, "pgsteal_direct ") + field(s, "pgsteal_kswapd ") > 0);
		free(s);
	}
	KT_ASSERT(lru_all_valid());
	mmsim_leave();
	mmsim_shutdown(machine);
}

int main(void)
{
	KT_RUN(test_race);
	return kt_done();
}
