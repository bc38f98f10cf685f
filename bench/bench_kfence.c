// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_kfence.c - what KFENCE, debug_pagealloc and page poisoning
 * cost (mm/kfence/, mm/debug_page_alloc.c, mm/page_poison.c).
 *
 * Rows (ns per operation, median of BENCH_REPS runs [range]; the ratio is
 * the row's time over its "off" reference, measured in turns in the same
 * run - bench/bench_common.h):
 *
 *   kfence-idle    kmalloc(64)+kfree on a machine booted with
 *                  kfence.sample_interval=100 whose virtual clock does
 *                  not move: the gate stays shut, so this is what the
 *                  pool alone costs every allocation (the slab's hooked
 *                  paths and the gate's clock check)
 *   kfence-each    the same pair with the clock moved 100 ms before each
 *                  allocation: every one is a guarded KFENCE object (the
 *                  page opened and closed with mprotect, two stacks
 *                  taken, the canary written and checked); its "off" is
 *                  the same loop, clock moves included, on the machine
 *                  without KFENCE (the timers 100 ms runs).  At a real
 *                  allocation rate R per second the mean cost per
 *                  allocation is idle + each / (R * 0.1)
 *   dpa-pair       alloc_page+__free_page (order 0) with debug_pagealloc=on
 *                  (an mprotect at each end) against the same machine
 *                  without it
 *   poison-pair    alloc_page+__free_page with page_poison=on (4 KiB
 *                  written at free, read at allocation)
 *
 * Every machine is its own boot; each loop enters its machine first, so
 * the loops can take turns.  MMSIM_BENCH_SCALE scales the run length.
 */
#include <mmsim/kfence.h>
#include <mmsim/slab.h>
#include "bench_common.h"
#include "init/machine.h"

struct bctx {
	struct mmsim *m;
	bool advance;		/* move the clock one sample interval per allocation */
};

static void loop_kmalloc_pair(void *ctx, long iters)
{
	struct bctx *c = ctx;

	mmsim_enter(c->m, 0);
	for (long i = 0; i < iters; i++) {
		void *p;

		if (c->advance)
			mmsim_advance_clock(c->m, 100 * 1000000ull);
		p = kmalloc(64, GFP_KERNEL);
		bench_keep(p);
		kfree(p);
	}
}

static void loop_page_pair(void *ctx, long iters)
{
	struct bctx *c = ctx;

	mmsim_enter(c->m, 0);
	for (long i = 0; i < iters; i++) {
		struct page *p = alloc_page(GFP_KERNEL);

		bench_keep(p);
		__free_page(p);
	}
}

static struct mmsim *boot(const char *spec)
{
	struct mmsim *m = mmsim_boot(spec);

	if (!m) {
		fprintf(stderr, "boot '%s': %s\n", spec, mmsim_last_error());
		exit(1);
	}
	return m;
}

static void row(const char *what, const char *work, bench_fn fn, struct bctx *on, struct bctx *off)
{
	struct bench_meas ms[2] = { BENCH_MEAS(fn, on, 1), BENCH_MEAS(fn, off, 1) };
	char a[80], b[80], r[16];

	bench_compare(ms, 2);
	printf("%-12s %-44s %-24s %-24s %s\n", what, work, bench_fmt_med(&ms[0], a, sizeof(a)),
	       bench_fmt_med(&ms[1], b, sizeof(b)),
	       bench_fmt_ratio(ms[0].med_ns / ms[1].med_ns, r, sizeof(r)));
	fflush(stdout);
}

int main(void)
{
	struct bctx off = { boot("ram=512M cpus=2"), false };
	struct bctx kf_idle = { boot("ram=512M cpus=2 kfence.sample_interval=100"), false };
	struct bctx kf_each = { kf_idle.m, true };
	struct bctx off_adv = { off.m, true };	/* the same clock moves, no KFENCE */
	struct bctx dpa = { boot("ram=512M cpus=2 debug_pagealloc=on"), false };
	struct bctx poison = { boot("ram=512M cpus=2 page_poison=on"), false };

	printf("bench_kfence: ns per operation, median of %d runs [range]; ratio = row / off\n",
	       BENCH_REPS);
	printf("%-12s %-44s %-24s %-24s %s\n", "row", "work", "on", "off", "ratio");
	row("kfence-idle", "kmalloc(64)+kfree, pool, gate shut", loop_kmalloc_pair, &kf_idle, &off);
	row("kfence-each", "kmalloc(64)+kfree, every one sampled", loop_kmalloc_pair, &kf_each,
	    &off_adv);
	row("dpa-pair", "alloc_page+__free_page, debug_pagealloc=on", loop_page_pair, &dpa, &off);
	row("poison-pair", "alloc_page+__free_page, page_poison=on", loop_page_pair, &poison, &off);
	mmsim_shutdown(poison.m);
	mmsim_shutdown(dpa.m);
	mmsim_shutdown(kf_idle.m);
	mmsim_shutdown(off.m);
	return 0;
}
