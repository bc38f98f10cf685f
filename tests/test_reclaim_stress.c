// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_reclaim_stress.c - a short randomized stress of reclaim
 * (fixed seeds: deterministic) on a 32M machine, swap if the tree has it:
 * random steps of
 *   file writes and reads at random offsets of three files (page cache),
 *   touching and checking anon regions, mapping a file shared and reading
 *   it, munmap, MADV_PAGEOUT and MADV_COLD of random ranges, fork + exit of
 *   a child that touches the parent's memory (COW), vm.swappiness changes,
 *   proactive reclaim,
 * with the checkers after every step: lru_all_valid (lists, counters, the
 * zone counters, the policy), mm_mapcounts_are_valid, mm_is_valid,
 * swap_counts_are_valid, and no folio left isolated; every byte read back
 * must be the last one written.
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/fcntl.h>
#include <mmsim/err.h>
#include <mmsim/fs.h>
#include <mmsim/rmap.h>
#include <mmsim/pagemap.h>
#include <mmsim/vmstat.h>
#include <mmsim/swap.h>
#include "mmtest.h"

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)
#define NFILES	3
#define FPAGES	2048		/* 8M per file (4K pages) */
#define NANON	2
#define APAGES	2048		/* 8M per region */
#define STEPS	1000

static struct mmsim *m;
static unsigned int rng;

static unsigned int rnd(unsigned int n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 8) % n;
}

struct state {
	struct task_struct *t;
	long fd[NFILES];
	unsigned char fbyte[NFILES][FPAGES];	/* byte 0 of each file page */
	unsigned long anon[NANON];
	unsigned char abyte[NANON][APAGES];	/* byte 0 of each anon page; 0 = never written */
	unsigned long map;			/* file 0 mapped shared, read-only */
	unsigned long ubuf;
	long bad;
};

static bool checkers(struct state *s)
{
	char *v = mmsim_read(m, "/proc/vmstat");
	bool ok = lru_all_valid() && mm_mapcounts_are_valid(m) && mm_is_valid(s->t->mm) &&
		  swap_counts_are_valid(m);

	if (v) {
		ok &= field(v, "nr_isolated_anon ") == 0 && field(v, "nr_isolated_file ") == 0;
		free(v);
	}
	return ok;
}

static void step(struct state *s)
{
	unsigned int op = rnd(10), f = rnd(NFILES), a = rnd(NANON);
	unsigned long p = rnd(FPAGES), q = rnd(APAGES), n = 1 + rnd(256);
	unsigned char c = (unsigned char)(1 + rnd(255));

	switch (op) {
	case 0:	/* file write */
		KT_EQ(mmsim_user_write(s->ubuf, &c, 1), 0);
		KT_EQ(sys_pwrite64((int)s->fd[f], s->ubuf, 1, (long)(p * PAGE_SIZE)), 1);
		s->fbyte[f][p] = c;
		break;
	case 1:	/* file read */
		KT_EQ(sys_pread64((int)s->fd[f], s->ubuf, 1, (long)(p * PAGE_SIZE)), 1);
		KT_EQ(mmsim_user_read(s->ubuf, &c, 1), 0);
		s->bad += c != s->fbyte[f][p];
		break;
	case 2:	/* anon write run */
		for (unsigned long i = q; i < q + n && i < APAGES; i++) {
			c = (unsigned char)(1 + rnd(255));
			KT_EQ(mmsim_user_write(s->anon[a] + i * PAGE_SIZE, &c, 1), 0);
			s->abyte[a][i] = c;
		}
		break;
	case 3:	/* anon read run */
		for (unsigned long i = q; i < q + n && i < APAGES; i++) {
			KT_EQ(mmsim_user_read(s->anon[a] + i * PAGE_SIZE, &c, 1), 0);
			s->bad += c != s->abyte[a][i];
		}
		break;
	case 4:	/* the shared file mapping */
		for (unsigned long i = p; i < p + n && i < FPAGES; i++) {
			KT_EQ(mmsim_user_read(s->map + i * PAGE_SIZE, &c, 1), 0);
			s->bad += c != s->fbyte[0][i];
		}
		break;
	case 5:	/* MADV_PAGEOUT of an anon or the mapped range */
		if (rnd(2))
			KT_EQ(sys_madvise(s->anon[a] + q * PAGE_SIZE,
					  min_t(unsigned long, n, APAGES - q) * PAGE_SIZE, MADV_PAGEOUT), 0);
		else
			KT_EQ(sys_madvise(s->map + p * PAGE_SIZE,
					  min_t(unsigned long, n, FPAGES - p) * PAGE_SIZE, MADV_PAGEOUT), 0);
		break;
	case 6:	/* MADV_COLD */
		KT_EQ(sys_madvise(s->anon[a] + q * PAGE_SIZE,
				  min_t(unsigned long, n, APAGES - q) * PAGE_SIZE, MADV_COLD), 0);
		break;
	case 7:	/* munmap a run of an anon region and map it again (zeroes) */
		KT_EQ(sys_munmap(s->anon[a] + q * PAGE_SIZE, PAGE_SIZE), 0);
		KT_EQ(sys_mmap(s->anon[a] + q * PAGE_SIZE, PAGE_SIZE, RW, PRIV | MAP_FIXED, -1UL, 0),
		      s->anon[a] + q * PAGE_SIZE);
		s->abyte[a][q] = 0;
		break;
	case 8: {	/* fork: the child writes its copy and exits */
		long pid = sys_fork();
		struct task_struct *child = pid > 0 ? find_task_by_vpid((pid_t)pid) : NULL;
		int st;

		KT_ASSERT(child != NULL);
		if (!child)
			break;
		KT_EQ(mmsim_switch_to(child), 0);
		for (unsigned long i = q; i < q + n && i < APAGES; i++)
			mmsim_user_write(s->anon[a] + i * PAGE_SIZE, &c, 1);
		sys_exit_group(0);
		KT_EQ(mmsim_switch_to(s->t), 0);
		KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
		break;
	}
	default: {	/* knobs and proactive reclaim */
		char val[8];

		snprintf(val, sizeof(val), "%u", rnd(201));
		KT_EQ(mmsim_write(m, "/proc/sys/vm/swappiness", val), 0);
		if (rnd(4) == 0)
			try_to_free_mem_cgroup_pages(NULL, 64 + rnd(512), GFP_KERNEL,
						     MEMCG_RECLAIM_MAY_SWAP | MEMCG_RECLAIM_PROACTIVE, -1);
		break;
	}
	}
}

static void stress(const char *spec, unsigned int seed)
{
	struct state *s = calloc(1, sizeof(*s));
	char path[32];
	int failed_at = -1;

	m = mmsim_boot(spec);
	if (!m) {
		/* no swap= yet: the same without it */
		char *copy = strdup(spec), *sw = strstr(copy, " swap=");

		if (sw)
			*sw = 0;
		m = boot_or_die(copy);
		free(copy);
	}
	rng = seed;
	s->t = mmsim_spawn(m, "stress");
	KT_EQ(mmsim_switch_to(s->t), 0);
	s->ubuf = sys_mmap(0, PAGE_SIZE, RW, PRIV, -1UL, 0);
	for (int f = 0; f < NFILES; f++) {
		snprintf(path, sizeof(path), "/stress%d", f);
		s->fd[f] = sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
		KT_ASSERT(s->fd[f] >= 0);
		KT_EQ(sys_ftruncate((int)s->fd[f], FPAGES * PAGE_SIZE), 0);
	}
	for (int a = 0; a < NANON; a++)
		s->anon[a] = sys_mmap(0, APAGES * PAGE_SIZE, RW, PRIV, -1UL, 0);
	s->map = sys_mmap(0, FPAGES * PAGE_SIZE, PROT_READ, MAP_SHARED, (unsigned long)s->fd[0], 0);
	KT_ASSERT(!IS_ERR_VALUE(s->map));
	for (int i = 0; i < STEPS && failed_at < 0; i++) {
		step(s);
		if (i % 4 == 0)
			mmsim_advance_clock(m, 10000000ULL);	/* 10 ms: I/O completes, work runs */
		if (!checkers(s) || s->bad)
			failed_at = i;
	}
	KT_EQ(failed_at, -1);
	KT_EQ(s->bad, 0);
	{
		char *v = mmsim_read(m, "/proc/vmstat");

		printf("# %s seed %u: pgscan %lld pgsteal %lld pswpout %lld pgrotated %lld\n", spec,
		       seed, field(v, "pgscan_direct ") + field(v, "pgscan_kswapd "),
		       field(v, "pgsteal_direct ") + field(v, "pgsteal_kswapd "), field(v, "pswpout "),
		       field(v, "pgrotated "));
		KT_ASSERT(field(v, "pgsteal_direct ") <= field(v, "pgscan_direct "));
		free(v);
	}
	sys_exit_group(0);
	mmsim_shutdown(m);
	free(s);
}

static void test_stress_x86_64(void)
{
	stress("ram=32M disk=64M swap=32M", 1);
}

static void test_stress_i386(void)
{
	stress("arch=i386 ram=32M disk=64M swap=32M", 2);
}

int main(void)
{
	KT_RUN(test_stress_x86_64);
	KT_RUN(test_stress_i386);
	return kt_done();
}
