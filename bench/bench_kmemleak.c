// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_kmemleak.c - what kmemleak (mm/kmemleak*.c) costs.
 *
 * Rows (medians of BENCH_REPS runs with their range, bench/bench_common.h):
 *   pair64   kmalloc(64)+kfree on a machine booted without kmemleak and on
 *            one with kmemleak=on (every allocation records its metadata
 *            and host call chain, every free looks it up), interleaved;
 *            the ratio is on/off.
 *   scan     one kmemleak scan ("scan" to /sys/kernel/debug/kmemleak) of a
 *            machine holding MMSIM_KMEMLEAK_MIB (default 256) MiB of 4 KiB
 *            kmalloc blocks, all reachable (a vmalloc'd array points to
 *            them, a program global to the array), so the scan reads every
 *            byte; printed per scan and per GiB of tracked blocks.
 * The machines: ram=1G cpus=1, kmemleak's automatic scan off.
 */
#define _GNU_SOURCE
#include <mmsim/slab.h>
#include <mmsim/vmalloc.h>
#include <mmsim/kmemleak.h>
#include "bench_common.h"

#ifdef CONFIG_DEBUG_KMEMLEAK

static struct mmsim *m_off, *m_on;
static void **blocks;		/* a root: the vmalloc'd array of the scan row */

static void loop_pair(void *ctx, long iters)
{
	struct mmsim *m = ctx;

	mmsim_enter(m, 0);
	for (long i = 0; i < iters; i++) {
		void *p = kmalloc(64, GFP_KERNEL);

		bench_keep(p);
		kfree(p);
	}
}

static void loop_scan(void *ctx, long iters)
{
	(void)ctx;
	mmsim_enter(m_on, 0);
	for (long i = 0; i < iters; i++)
		if (mmsim_write(m_on, "/sys/kernel/debug/kmemleak", "scan"))
			abort();
}

static struct mmsim *boot(const char *spec)
{
	struct mmsim *m = mmsim_boot(spec);

	if (!m) {
		fprintf(stderr, "boot '%s': %s\n", spec, mmsim_last_error());
		exit(2);
	}
	return m;
}

int main(void)
{
	const char *mib_s = getenv("MMSIM_KMEMLEAK_MIB");
	unsigned long mib = mib_s ? strtoul(mib_s, NULL, 0) : 256;
	unsigned long n = mib * 256;	/* 4 KiB blocks */
	char a[96], b[96], r[32];

	m_off = boot("ram=1G cpus=1");
	m_on = boot("ram=1G cpus=1 kmemleak=on");
	if (mmsim_write(m_on, "/sys/kernel/debug/kmemleak", "scan=off"))
		return 2;

	printf("bench_kmemleak: kmemleak's cost (medians of %d runs [range])\n", BENCH_REPS);
	{
		struct bench_meas ms[2] = { BENCH_MEAS(loop_pair, m_off, 1),
					    BENCH_MEAS(loop_pair, m_on, 1) };

		bench_compare(ms, 2);
		printf("pair64  kmalloc(64)+kfree  kmemleak off %s | on %s (%s)\n",
		       bench_fmt_med(&ms[0], a, sizeof(a)), bench_fmt_med(&ms[1], b, sizeof(b)),
		       bench_fmt_ratio(ms[1].med_ns / ms[0].med_ns, r, sizeof(r)));
	}

	mmsim_enter(m_on, 0);
	blocks = vmalloc(n * sizeof(void *));
	for (unsigned long i = 0; i < n; i++) {
		blocks[i] = kmalloc(4096, GFP_KERNEL);
		if (!blocks[i]) {
			fprintf(stderr, "kmalloc failed after %lu blocks\n", i);
			return 2;
		}
		memset(blocks[i], (int)(i & 0x7f), 4096);
	}
	{
		struct bench_meas s = BENCH_MEAS(loop_scan, NULL, 1);
		double bytes = (double)n * 4096;

		bench_compare(&s, 1);
		printf("scan    %lu MiB in %lu blocks: %s per scan, %.2f s per GiB of tracked blocks\n",
		       mib, n, bench_fmt_med(&s, a, sizeof(a)),
		       s.med_ns / 1e9 * ((double)(1UL << 30) / bytes));
	}
	for (unsigned long i = 0; i < n; i++)
		kfree(blocks[i]);
	vfree(blocks);
	mmsim_shutdown(m_on);
	mmsim_shutdown(m_off);
	return 0;
}

#else

int main(void)
{
	printf("bench_kmemleak: built without CONFIG_DEBUG_KMEMLEAK\n");
	return 0;
}

#endif
