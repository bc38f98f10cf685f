// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_pagecache_stress.c - a seeded, randomized sequence of file
 * operations of a few processes on a few files of "/" (mmfs) and /tmp
 * (tmpfs): open, pwrite, pread, kernel_write, kernel_read, mmap shared and
 * private, reads and writes through the mappings, MADV_DONTNEED, munmap,
 * ftruncate, unlink (of files still open and mapped), fsync, fdatasync,
 * msync, sync, drop_caches, the flusher (virtual time), fork, exit and
 * SIGBUS beyond EOF.  After every step every checker runs:
 * mapping_is_valid of every file, lru_all_valid, mm_is_valid of the
 * running process, mm_mapcounts_are_valid, mmfs_fsck of the root file
 * system; every read is compared with a shadow of the file's bytes, and
 * every file is read whole every few steps.  The engine and its model are
 * in tests/pagecache_stress.h.  At the end every process exits and every
 * file is unlinked: the disk's blocks are free again (mmfs_fsck), the
 * page cache holds nothing of them, the LRU lists are valid.
 *
 * MMSIM_STRESS_SEED and MMSIM_STRESS_STEPS set the seed and the number of
 * steps (make check-long runs more of them).
 */
#include "pagecache_stress.h"

#if defined(__SANITIZE_ADDRESS__)
#define DEFAULT_STEPS	1200
#else
#define DEFAULT_STEPS	3000
#endif

static int steps = DEFAULT_STEPS;
static unsigned long seed = 0x5eedf11e;
static struct ps_set set;

static void run_stress(const char *spec)
{
	struct mmsim *m;
	long long cached0;

	kt_begin(spec);
	m = boot_or_die(spec);
	atomic_store(&ps_failures, 0);
	ps_find_sbs();
	KT_ASSERT(ps_root_sb && ps_tmp_sb);
	cached0 = fx_meminfo_kb(m, "Cached:");
	ps_init_set(&set, m, 0, seed);
	set.single = true;
	for (set.step = 1; set.step <= steps && set.failures < 20; set.step++)
		ps_step(&set);
	ps_finish(&set);
	ps_report(&set);
	KT_ASSERT(ps_spawn(&set) >= 0);
	KT_EQ(sys_sync(), 0);
	KT_EQ(fx_drop_caches(m, 3), 0);
	sys_exit_group(0);
	fx_let_flusher_run(m);	/* inodes whose pages sync wrote leave the lists at kupdate */
	set.cur = -1;
	ps_check_global(&set, &set, 1);
	/* nothing dirty or under writeback is left, the flusher has no work */
	KT_EQ(fx_meminfo_kb(m, "Dirty:"), 0);
	KT_EQ(fx_meminfo_kb(m, "Writeback:"), 0);
	KT_ASSERT(writeback_is_idle());
	/* the files' pages are gone: the cache is no bigger than at the start */
	KT_ASSERT(fx_meminfo_kb(m, "Cached:") <= cached0);
	KT_EQ(atomic_load(&ps_failures), 0);
	KT_ASSERT(set.n_sigbus > 0 && set.n_forks > 0 && set.n_unlinked_in_use > 0);
	kt_end();
	mmsim_shutdown(m);
}

int main(void)
{
	const char *e = getenv("MMSIM_STRESS_SEED");

	if (e)
		seed = strtoul(e, NULL, 0);
	e = getenv("MMSIM_STRESS_STEPS");
	if (e)
		steps = atoi(e);
	printf("seed %#lx, %d steps\n", seed, steps);
	run_stress("ram=128M disk=64M");
	run_stress("arch=i386 ram=1G disk=64M");
	run_stress("arch=arm64 page_size=64K ram=256M disk=128M");
	return kt_done();
}
