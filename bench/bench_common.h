/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bench/bench_common.h - what the benchmarks share: the clock, the timing
 * loop, the references every mmsim number is compared with, and the
 * printing of the tables.
 *
 * Method.  A measurement runs a loop body: first untimed runs of 1, 2, 4,
 * ... iterations until one lasts 10 ms (warm-up and calibration), then
 * BENCH_REPS timed runs of about 40 ms each, each timed with
 * clock_gettime(CLOCK_MONOTONIC) around the whole loop.  A row prints the
 * median ns per operation of the timed runs and their range [lowest,
 * highest] (bench_fmt_med); best_ns keeps the lowest for the few places
 * that want the least disturbed figure.  Loops that are compared (mmsim
 * and its references) take turns, one timed run each per round, so that
 * they see the same host, and a ratio divides one median by another.  Calibrating by time keeps the whole benchmark short on
 * any host, whatever its page faults cost.  MMSIM_BENCH_SCALE=<factor> in
 * the environment scales the run length (0.25 for a quick look, 4 for
 * steadier numbers).
 *
 * References, measured in the same process and the same run, so that a
 * ratio compares like with like on whatever host runs it:
 *
 *   bare free list   a LIFO of struct page nodes linked through the
 *                    kernel's list_head (the same struct page and list.h
 *                    the allocator uses), popped and pushed by two
 *                    noinline functions: what a page allocator costs when
 *                    it does nothing but hand out a cached page.  The
 *                    limit mmsim is measured against.
 *   host kernel      mmap(4K << order, anonymous), a write to each page,
 *                    munmap: the host kernel giving a page and taking it
 *                    back (page fault, zeroing, TLB flush included).
 *
 * A ratio "(x4.7)" is mmsim's time divided by the reference's: below 1,
 * mmsim is the faster.
 *
 * Keeping work alive: bench_keep(p) is an empty asm that takes p in a
 * register and clobbers memory, so the compiler must produce p and must
 * assume anything reachable was read and written.  Every measured loop,
 * mmsim's and the references', passes its page through it once per
 * operation, so they pay the same harness cost.
 */
#ifndef MMSIM_BENCH_COMMON_H
#define MMSIM_BENCH_COMMON_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <mmsim/mmsim.h>

#define BENCH_REPS 7 /* timed runs per measurement (odd: a true median) */
#define HOST_PAGE  4096UL

static inline void bench_keep(const void *p)
{
	__asm__ __volatile__("" : : "r"(p) : "memory");
}

static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The length of one timed run in ns: 40 ms times MMSIM_BENCH_SCALE. */
static inline double bench_run_ns(void)
{
	const char *s = getenv("MMSIM_BENCH_SCALE");
	double f = s ? atof(s) : 1.0;

	return 40e6 * (f > 0 ? f : 1.0);
}

static inline int bench_host_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > NR_CPUS ? NR_CPUS : (int)n;
}

/* One measured loop: run the body @iters times. */
typedef void (*bench_fn)(void *ctx, long iters);

/* One measurement: a loop, its calibrated length, and its best result. */
struct bench_meas {
	bench_fn fn;
	void *ctx;
	long ops_per_iter; /* operations one iteration does */
	long iters;	   /* per timed run, after calibration */
	double best_ns;	   /* best ns per operation so far */
	double runs[BENCH_REPS]; /* ns per operation of each timed run */
	int nr_runs;
	double med_ns, lo_ns, hi_ns; /* median and range, after bench_compare */
};

/* An initializer: the loop, its context and its operations per iteration. */
#define BENCH_MEAS(f, c, ops) { .fn = (f), .ctx = (c), .ops_per_iter = (ops) }

/*
 * Warm-up and calibration in one: the iteration count doubles from 1 until
 * a run lasts a quarter of bench_run_ns(); it is then scaled so that a timed
 * run lasts about bench_run_ns().
 */
static inline void bench_calibrate(struct bench_meas *m)
{
	double want = bench_run_ns();
	long iters = 1;
	uint64_t t;

	for (;;) {
		t = bench_now_ns();
		m->fn(m->ctx, iters);
		t = bench_now_ns() - t;
		if ((double)t >= want / 4 || iters >= (1L << 40))
			break;
		iters *= 2;
	}
	m->iters = (long)((double)iters * want / (double)(t ? t : 1)) + 1;
	m->best_ns = 1e300;
	m->nr_runs = 0;
}

/* One timed run; keeps the best. */
static inline void bench_time(struct bench_meas *m)
{
	uint64_t t = bench_now_ns();

	m->fn(m->ctx, m->iters);
	t = bench_now_ns() - t;

	double ns = (double)t / ((double)m->iters * (double)m->ops_per_iter);

	if (ns < m->best_ns)
		m->best_ns = ns;
	if (m->nr_runs < BENCH_REPS)
		m->runs[m->nr_runs++] = ns;
}

static int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median and range of the timed runs so far. */
static inline void bench_summarize(struct bench_meas *m)
{
	double v[BENCH_REPS];
	int n = m->nr_runs;

	if (!n) {
		m->med_ns = m->lo_ns = m->hi_ns = 0;
		return;
	}
	memcpy(v, m->runs, sizeof(double) * (size_t)n);
	qsort(v, (size_t)n, sizeof(double), bench_cmp_double);
	m->med_ns = n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	m->lo_ns = v[0];
	m->hi_ns = v[n - 1];
}

/*
 * Measure @nr loops against each other: calibrate each, then BENCH_REPS
 * rounds that time each loop once, so that a burst of other load on the
 * host spoils one run of every loop rather than every run of one.
 */
static inline void bench_compare(struct bench_meas *ms, int nr)
{
	for (int i = 0; i < nr; i++)
		bench_calibrate(&ms[i]);
	for (int r = 0; r < BENCH_REPS; r++)
		for (int i = 0; i < nr; i++)
			bench_time(&ms[i]);
	for (int i = 0; i < nr; i++)
		bench_summarize(&ms[i]);
}

/* Median ns per operation of one loop alone. */
static inline double bench_median_ns(bench_fn fn, void *ctx, long ops_per_iter)
{
	struct bench_meas m = { .fn = fn, .ctx = ctx, .ops_per_iter = ops_per_iter };

	bench_compare(&m, 1);
	return m.med_ns;
}

/* Best ns per operation of one loop alone. */
static inline double bench_best_ns(bench_fn fn, void *ctx, long ops_per_iter)
{
	struct bench_meas m = { .fn = fn, .ctx = ctx, .ops_per_iter = ops_per_iter };

	bench_compare(&m, 1);
	return m.best_ns;
}

/* ---------------------------------------------------------------------
 * Reference: the bare free list
 */

struct bare_list {
	struct list_head head[4]; /* one LIFO per order 0..3 */
	struct page *pages;	  /* the nodes, host memory */
	long nr;
};

static noinline __maybe_unused struct page *bare_pop(struct list_head *head)
{
	struct page *page = list_first_entry_or_null(head, struct page, lru);

	if (page)
		list_del(&page->lru);
	return page;
}

static noinline __maybe_unused void bare_push(struct list_head *head, struct page *page)
{
	list_add(&page->lru, head);
}

/* @nr nodes per order list, contiguous like a memmap. */
static inline void bare_list_init(struct bare_list *bl, long nr)
{
	bl->nr = nr * 4;
	bl->pages = aligned_alloc(64, sizeof(struct page) * (size_t)bl->nr);
	if (!bl->pages) {
		perror("bench: bare list");
		exit(1);
	}
	memset(bl->pages, 0, sizeof(struct page) * (size_t)bl->nr);
	for (int o = 0; o < 4; o++) {
		INIT_LIST_HEAD(&bl->head[o]);
		for (long i = 0; i < nr; i++)
			bare_push(&bl->head[o], &bl->pages[o * nr + i]);
	}
}

static inline void bare_list_free(struct bare_list *bl)
{
	free(bl->pages);
	bl->pages = NULL;
}

/* ---------------------------------------------------------------------
 * Reference: the host kernel giving and taking pages
 */

static inline void *host_get(size_t bytes)
{
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("bench: mmap");
		exit(1);
	}
	for (size_t off = 0; off < bytes; off += HOST_PAGE)
		((volatile char *)p)[off] = 1; /* fault the page in */
	return p;
}

static inline void host_put(void *p, size_t bytes)
{
	if (munmap(p, bytes)) {
		perror("bench: munmap");
		exit(1);
	}
}

/* ---------------------------------------------------------------------
 * Printing
 */

/* "9.8 ns", "650 ns", "12.3 us": three significant digits or so. */
static inline const char *bench_fmt_ns(double ns, char *buf, size_t len)
{
	if (ns < 10)
		snprintf(buf, len, "%.2f ns", ns);
	else if (ns < 1000)
		snprintf(buf, len, "%.1f ns", ns);
	else if (ns < 1e6)
		snprintf(buf, len, "%.2f us", ns / 1e3);
	else
		snprintf(buf, len, "%.2f ms", ns / 1e6);
	return buf;
}

/* @ns in the unit bench_fmt_ns would choose for @unit_ns, without the unit. */
static inline const char *bench_fmt_in(double ns, double unit_ns, char *buf, size_t len)
{
	double a = unit_ns < 0 ? -unit_ns : unit_ns;
	double d = a < 1000 ? 1 : a < 1e6 ? 1e3 : 1e6;
	double v = ns / d, av = v < 0 ? -v : v;

	snprintf(buf, len, av < 10 ? "%.2f" : d == 1 ? "%.1f" : "%.2f", v);
	return buf;
}

/*
 * "35.0 ns [34.1..36.9]": a measurement's median and its range, the range in
 * the median's unit ("998.1 us [990.2..1020.5]", never "[990.2..1.02]"); a
 * negative bound (a derived row) keeps its sign: "3.05 us [-3.98..7.50]".
 */
static inline const char *bench_fmt_med(const struct bench_meas *m, char *buf, size_t len)
{
	char a[24], b[24], c[24];

	bench_fmt_ns(m->med_ns, a, sizeof(a));
	bench_fmt_in(m->lo_ns, m->med_ns, b, sizeof(b));
	bench_fmt_in(m->hi_ns, m->med_ns, c, sizeof(c));
	snprintf(buf, len, "%s [%s..%s]", a, b, c);
	return buf;
}

static inline const char *bench_fmt_ratio(double r, char *buf, size_t len)
{
	if (r >= 10)
		snprintf(buf, len, "x%.0f", r);
	else if (r >= 0.1)
		snprintf(buf, len, "x%.2f", r);
	else
		snprintf(buf, len, "x%.2g", r);
	return buf;
}

/* One row: "label: mmsim ns/op | bare free list N (xR) | host ... N (xR)". */
static inline void bench_row(const char *label, double ns, double bare_ns, const char *host_name,
			     double host_ns)
{
	char a[32], b[32], c[32], rb[32], rc[32];

	printf("%-26s %10s/op | bare free list %9s (%6s) | %s %9s (%s)\n", label,
	       bench_fmt_ns(ns, a, sizeof(a)), bench_fmt_ns(bare_ns, b, sizeof(b)),
	       bench_fmt_ratio(ns / bare_ns, rb, sizeof(rb)), host_name,
	       bench_fmt_ns(host_ns, c, sizeof(c)), bench_fmt_ratio(ns / host_ns, rc, sizeof(rc)));
	fflush(stdout);
}

/* One row: "label  median [range] | reference  median [range] (xR)note". */
static inline void bench_row_med(const char *label, const struct bench_meas *mine,
				 const char *ref_name, const struct bench_meas *ref, const char *note)
{
	char a[80], b[80], r[32];

	printf("%-30s %-26s | %-30s %-26s (%s)%s\n", label, bench_fmt_med(mine, a, sizeof(a)),
	       ref_name, bench_fmt_med(ref, b, sizeof(b)),
	       bench_fmt_ratio(mine->med_ns / ref->med_ns, r, sizeof(r)), note);
	fflush(stdout);
}

static inline void bench_rule(void)
{
	printf("----------------------------------------------------------------------"
	       "----------------------------------------\n");
}

#endif
