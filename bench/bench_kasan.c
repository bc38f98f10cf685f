// SPDX-License-Identifier: GPL-2.0
/*
 * bench_kasan - what KASAN costs (docs/kasan.md).
 *
 * Rows:
 *   pair64    kmalloc(64)+kfree on a kasan=on machine | on a kasan=off one:
 *             the hooks (shadow writes, two stack captures, the
 *             quarantine) against the fast path.  Both machines are
 *             booted in this process; each timed run enters its own.
 *   pair64n   the same with kasan.stacktrace=off: no host stack unwinding.
 *   load8     instrumented 8-byte loads (bench/kasan_loads.c, built with
 *             kasan_cflags) of a kmalloc'd buffer of the kasan=on machine
 *             | the same loop uncompiled-for-KASAN: the callback's full
 *             check against a plain load.
 *   load8h    instrumented loads of host memory (a malloc buffer, outside
 *             every machine's window) | plain: the callback's fast path,
 *             two compares.
 * Each prints the medians and ranges of 7 runs (bench_common.h) and the
 * ratio on over off (x1.0: the same).  With CONFIG_KASAN compiled out
 * (-DMMSIM_DEBUG_TOOLS=OFF) only the off machine can boot: the rows say so.
 */
#include "bench_common.h"

#define LOADS	4096	/* loads per iteration */

unsigned long kasan_loads(const volatile unsigned long *p, unsigned long n);

static struct mmsim *m_on, *m_off, *m_nost;

static void enter(struct mmsim *m)
{
	mmsim_leave();
	mmsim_enter(m, 0);
}

static void loop_pair(void *ctx, long iters)
{
	enter(ctx);
	for (long i = 0; i < iters; i++) {
		void *p = kmalloc(64, GFP_KERNEL);

		bench_keep(p);
		kfree(p);
	}
}

static noinline unsigned long plain_loads(const volatile unsigned long *p, unsigned long n)
{
	unsigned long sum = 0;

	for (unsigned long i = 0; i < n; i++)
		sum += p[i & 7];
	return sum;
}

static void loop_kasan_loads(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++)
		bench_keep((void *)kasan_loads(ctx, LOADS));
}

static void loop_plain_loads(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++)
		bench_keep((void *)plain_loads(ctx, LOADS));
}

static void row(const char *what, const char *work, bench_fn a, void *actx, bench_fn b, void *bctx,
		long ops)
{
	struct bench_meas ms[2] = { BENCH_MEAS(a, actx, ops), BENCH_MEAS(b, bctx, ops) };
	char x[80], y[80], r[16];

	bench_compare(ms, 2);
	printf("%-7s %-50s %-24s %-24s %s\n", what, work, bench_fmt_med(&ms[0], x, sizeof(x)),
	       bench_fmt_med(&ms[1], y, sizeof(y)),
	       bench_fmt_ratio(ms[0].med_ns / ms[1].med_ns, r, sizeof(r)));
	fflush(stdout);
}

int main(void)
{
	unsigned long *host = calloc(8, sizeof(long)), *kbuf;

	m_off = mmsim_boot("ram=256M");
	m_on = mmsim_boot("ram=256M kasan=on");
	m_nost = mmsim_boot("ram=256M kasan=on kasan.stacktrace=off");
	if (!m_off) {
		fprintf(stderr, "boot: %s\n", mmsim_last_error());
		return 1;
	}
	printf("%-7s %-50s %-24s %-24s %s\n", "row", "work", "kasan=on ns/op", "off / plain ns/op",
	       "ratio");
	if (!m_on) {
		printf("(kasan=on refused: %s)\n", mmsim_last_error());
		mmsim_shutdown(m_off);
		return 0;
	}
	row("pair64", "kmalloc(64)+kfree, kasan=on | kasan=off machine", loop_pair, m_on, loop_pair,
	    m_off, 1);
	row("pair64n", "the same, kasan.stacktrace=off | kasan=off", loop_pair, m_nost, loop_pair,
	    m_off, 1);
	enter(m_on);
	kbuf = kmalloc(8 * sizeof(long), GFP_KERNEL | __GFP_ZERO);
	row("load8", "instrumented load of kmalloc memory | plain", loop_kasan_loads, kbuf,
	    loop_plain_loads, kbuf, LOADS);
	row("load8h", "instrumented load of host memory | plain", loop_kasan_loads, host,
	    loop_plain_loads, host, LOADS);
	kfree(kbuf);
	mmsim_shutdown(m_on);
	mmsim_shutdown(m_nost);
	mmsim_shutdown(m_off);
	free(host);
	return 0;
}
