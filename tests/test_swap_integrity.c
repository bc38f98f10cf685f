// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_swap_integrity.c - nothing is lost and nothing is read back
 * stale under memory pressure: a seeded, randomized family of processes
 * (anon, shared anon, tmpfs and disk file pages; fork, exit, munmap,
 * mprotect, MADV_DONTNEED/COLD/PAGEOUT, swapoff + swapon, kswapd and the
 * flusher in virtual time) at ss_ratio x RAM (MMSIM_SWAP_RATIO, 2 by
 * default) on a machine with four swap areas (two boot areas and a swap
 * file on "/" of equal priority, one lower), every page checked against its stamp (tests/swap_stress.h), and
 * after every step every checker: lru_all_valid, mm_is_valid,
 * mm_mapcounts_are_valid, swap_counts_are_valid, swap_areas_are_valid,
 * shmem_sb_is_valid, mapping_is_valid.  At the end every process exits and
 * the files go: every swap slot is free again and the swap cache empty
 * (once proactive reclaim has dropped the folios left there while under
 * writeback, as Linux leaves them).
 *
 * The probe must find that the machine swaps and reclaims (a failure of
 * the test otherwise); the in-RAM fallback is only for a machine spec
 * that cannot run above RAM.
 *
 * MMSIM_STRESS_SEED, MMSIM_STRESS_STEPS, MMSIM_SWAP_RATIO,
 * MMSIM_STRESS_VERIFY and MMSIM_STRESS_TRACE as tests/swap_stress.h says;
 * The x86_64 machine runs again with lru=mglru.
 * MMSIM_STRESS_LRU=mglru boots every machine with that policy; `make
 * check-long` runs more steps and seeds at 3x RAM, with each policy.
 */
#include "swap_stress.h"

#if defined(__SANITIZE_ADDRESS__)
#define DEFAULT_STEPS	600
#else
#define DEFAULT_STEPS	1500
#endif

static int steps = DEFAULT_STEPS;
static unsigned long seed = 0x5eed5a9;
static struct ss_set set;
static double want_ratio = 2.0;

/*
 * Boot @base with three swap areas of @swap_mb each if such a machine can
 * run at more than RAM (ss_probe_swap); else @base alone.
 */
static struct mmsim *boot_maybe_swap(const char *base, unsigned int swap_mb, bool *can_swap)
{
	char spec[256];

	snprintf(spec, sizeof(spec), "%s swap=%uM@5,%uM@5,%uM%s%s", base, swap_mb, swap_mb, swap_mb,
		 getenv("MMSIM_STRESS_LRU") ? " lru=" : "",
		 getenv("MMSIM_STRESS_LRU") ? getenv("MMSIM_STRESS_LRU") : "");
	*can_swap = ss_probe_swap(spec);
	KT_ASSERT(*can_swap);	/* swap and reclaim exist: running in RAM would test nothing */
	printf("%s: %s\n", *can_swap ? spec : base,
	       *can_swap ? "swap and reclaim" : "no swap or no reclaim yet: the stress fits in RAM");
	return boot_or_die(*can_swap ? spec : base);
}

/*
 * A fourth area: a swap file on "/" (mmsim_mkswap_file, then sys_swapon
 * with priority 5, beside the two boot areas of priority 5), so slots go to
 * mmfs blocks through the file's extents, and swapoff may pick it.
 */
static void add_swapfile(struct mmsim *m, unsigned int mb)
{
	struct task_struct *t = mmsim_spawn(m, "mkswap");

	KT_ASSERT(t && !mmsim_switch_to(t));
	KT_EQ(mmsim_mkswap_file("/swapfile", (unsigned long long)mb << 20), 0);
	KT_EQ(sys_swapon("/swapfile", SWAP_FLAG_PREFER | 5), 0);
	sys_exit_group(0);
}

static void run_stress(const char *base, unsigned int ram_mb)
{
	struct mmsim *m;
	bool can_swap;
	unsigned int swap_mb = (unsigned int)((want_ratio + 0.5) * ram_mb / 2);
	char name[160];

	snprintf(name, sizeof(name), "%s%s%s", base, getenv("MMSIM_STRESS_LRU") ? " lru=" : "",
		 getenv("MMSIM_STRESS_LRU") ? getenv("MMSIM_STRESS_LRU") : "");
	kt_begin(name);
	m = boot_maybe_swap(base, swap_mb, &can_swap);
	atomic_store(&ss_failures, 0);
	ss_ratio = can_swap ? want_ratio : (want_ratio < 0.6 ? want_ratio : 0.6);
	ss_size_regions(1);
	printf("ratio %.2f: %lu pages per region of %lu RAM pages\n", ss_ratio, ss_pages,
	       totalram_pages());
	if (can_swap)
		add_swapfile(m, swap_mb / 2);
	ss_init_set(&set, m, 0, seed);
	set.single = true;
	set.swap_ops = true;
	for (set.step = 1; set.step <= steps && set.failures < 20; set.step++)
		ss_step(&set);
	ss_finish(&set);
	ss_report(&set);
	mmsim_advance_clock(m, 2000000000ULL);
	ss_reclaim_orphans(m);
	ss_check_global(&set, &set, 0);
	/* nothing left behind: every slot free, no swap cache */
	KT_EQ(get_nr_swap_pages(), get_total_swap_pages());
	KT_EQ(fx_meminfo_kb(m, "SwapCached:"), 0);
	KT_EQ(atomic_load(&ss_failures), 0);
	KT_ASSERT(set.n_forks > 0 && set.n_exits > 0);
	if (can_swap) {
		printf("pswpout %lld pswpin %lld pgmajfault %lld pgsteal_kswapd %lld "
		       "pgsteal_direct %lld\n", fx_vmstat(m, "pswpout"), fx_vmstat(m, "pswpin"),
		       fx_vmstat(m, "pgmajfault"), fx_vmstat(m, "pgsteal_kswapd"),
		       fx_vmstat(m, "pgsteal_direct"));
		/* the pressure was real: pages went out and came back */
		KT_ASSERT(fx_vmstat(m, "pswpout") > 0 && fx_vmstat(m, "pswpin") > 0);
		KT_ASSERT(set.peak_footprint > totalram_pages());
	}
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
	ss_params_from_env();
	if (getenv("MMSIM_SWAP_RATIO"))
		want_ratio = ss_ratio;
	printf("seed %#lx, %d steps, ratio %.2f\n", seed, steps, want_ratio);
	run_stress("ram=32M disk=128M", 32);
	run_stress("arch=i386-pae ram=32M disk=128M", 32);
	run_stress("arch=arm64 ram=32M disk=128M", 32);
	if (!getenv("MMSIM_STRESS_LRU")) {
		setenv("MMSIM_STRESS_LRU", "mglru", 1);
		run_stress("ram=32M disk=128M", 32);
		unsetenv("MMSIM_STRESS_LRU");
	}
	return kt_done();
}
