// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_vmalloc.c - vmalloc and kmap costs.
 *
 *   1. Linux's test_vmalloc "performance" preset (sequential_test_order=1)
 *      on an x86_64 machine (ram=2G cpus=1), each test case on its own
 *      (run_test_mask), in BENCH_REPS rounds of test_repeat_count=1: a
 *      row prints the median and range of the case's time (its Summary
 *      line's avg).  Next to each case whose work is "allocate N pages,
 *      free them", the host kernel doing the same work in the same round:
 *      the same allocations in the same order (the set-up of
 *      full_fit_alloc_test and long_busy_list_alloc_test included), each
 *      one an mmap of its size, a write to every page (vmalloc gives every
 *      page at once) and a munmap.  The ratio is mmsim's median over the
 *      host's; a second ratio divides the medians of the CPU time (user +
 *      system, getrusage) each side used, which other load on the host
 *      disturbs less than the wall-clock time.  align_shift_alloc_test
 *      (fails by design), pcpu_alloc_test (kmalloc here) and
 *      vm_map_ram_test (maps pages it already has) have no host
 *      counterpart.
 *
 *      Default: test_loop_count=2000 and 7 rounds (15-25 s here).  With
 *      MMSIM_BENCH_LONG=1: test_loop_count=100000 and 3 rounds, the three
 *      repeats of the preset (Linux's default loop count, 1000000, takes
 *      hours here).  MMSIM_BENCH_SCALE scales the loop count of either;
 *      MMSIM_BENCH_VMALLOC_CASES=<names, comma separated> runs only those
 *      cases.
 *
 *   2. kmap/kunmap and kmap_local_page/kunmap_local on i386 (ram=2G): one
 *      page over and over (kmap: the slot stays mapped; kmap_local: the
 *      slot's host mapping is kept), and a cycle over 2 * LAST_PKMAP
 *      (kmap) or 64 (kmap_local) pages, which wraps the pkmap area (flush
 *      + host remaps) or remaps the fixmap slot each time.  Each pair of
 *      rows is measured interleaved (bench_compare); medians with ranges.
 */
#include "bench_common.h"
#include <sys/resource.h>
#include <mmsim/vmalloc.h>
#include <mmsim/highmem.h>

/* ---------------------------------------------------------------------
 * The host kernel doing each test's allocations
 */

static uint64_t rng = 12345;

static unsigned int rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)(rng >> 32);
}

/* vmalloc(@pages pages) and vfree() as the host does them. */
static void *host_alloc(size_t pages)
{
	return host_get(pages * HOST_PAGE);
}

static void host_free(void *p, size_t pages)
{
	host_put(p, pages * HOST_PAGE);
}

static void host_alloc_free(size_t pages)
{
	void *p = host_alloc(pages);

	bench_keep(p);
	host_free(p, pages);
}

static void host_fix_size(int loops)
{
	for (int i = 0; i < loops; i++)
		host_alloc_free(1);
}

/* fls(CPUs) * 32 MiB of one-page areas, half freed, then one-page allocations. */
static void host_full_fit(int loops)
{
	size_t junk = 32UL * 1024 * 1024 / HOST_PAGE;	/* cpus=1: fls(1) == 1 */
	size_t arr = (junk * sizeof(void *) + HOST_PAGE - 1) / HOST_PAGE;
	void **ptr = host_alloc(arr), **junk_ptr = host_alloc(arr);

	for (size_t i = 0; i < junk; i++) {
		ptr[i] = host_alloc(1);
		junk_ptr[i] = host_alloc(1);
	}
	for (size_t i = 0; i < junk; i++)
		host_free(junk_ptr[i], 1);
	for (int i = 0; i < loops; i++)
		host_alloc_free(1);
	for (size_t i = 0; i < junk; i++)
		host_free(ptr[i], 1);
	host_free(ptr, arr);
	host_free(junk_ptr, arr);
}

/* 15000 one-page areas alive, then 100 pages + 1 page per loop. */
static void host_long_busy_list(int loops)
{
	size_t arr = (15000 * sizeof(void *) + HOST_PAGE - 1) / HOST_PAGE;
	void **ptr = host_alloc(arr);

	for (int i = 0; i < 15000; i++)
		ptr[i] = host_alloc(1);
	for (int i = 0; i < loops; i++) {
		void *a = host_alloc(100), *b = host_alloc(1);

		bench_keep(a);
		bench_keep(b);
		host_free(a, 100);
		host_free(b, 1);
	}
	for (int i = 0; i < 15000; i++)
		host_free(ptr[i], 1);
	host_free(ptr, arr);
}

static void host_random_size(int loops)
{
	for (int i = 0; i < loops; i++)
		host_alloc_free(1 + rnd() % 100);
}

static void host_fix_align(int loops)
{
	for (int i = 0; i < loops; i++)
		host_alloc_free(5);
}

/* The sizes only: the host cannot be asked for an alignment. */
static void host_random_size_align(int loops)
{
	for (int i = 0; i < loops; i++)
		host_alloc_free(1 + rnd() % 10);
}

/* Linux's 11 cases, in run_test_mask bit order. */
static const struct vcase {
	const char *name;
	void (*host)(int loops);	/* NULL: no host counterpart */
} cases[] = {
	{ "fix_size_alloc_test", host_fix_size },
	{ "full_fit_alloc_test", host_full_fit },
	{ "long_busy_list_alloc_test", host_long_busy_list },
	{ "random_size_alloc_test", host_random_size },
	{ "fix_align_alloc_test", host_fix_align },
	{ "random_size_align_alloc_test", host_random_size_align },
	{ "align_shift_alloc_test", NULL },
	{ "pcpu_alloc_test", NULL },
	{ "kvfree_rcu_1_arg_vmalloc_test", host_fix_size },
	{ "kvfree_rcu_2_arg_vmalloc_test", host_fix_size },
	{ "vm_map_ram_test", NULL },
};

/* The avg (us) of the last Summary line of test @name in @m's log, or -1. */
static double last_summary_us(struct mmsim *m, const char *name)
{
	char *log = mmsim_read(m, "/dev/kmsg"), *p, *last = NULL;
	char key[96];
	unsigned long long avg;
	double us = -1;

	snprintf(key, sizeof(key), "Summary: %s passed:", name);
	for (p = log; p && (p = strstr(p, key)); p++)
		last = p;
	if (last && (p = strstr(last, "avg: ")) && sscanf(p, "avg: %llu", &avg) == 1)
		us = (double)avg;
	free(log);
	return us;
}

/* "12.34 ms [11.02-15.67]": median and range of @m in ms, one unit for all three. */
static const char *fmt_ms(const struct bench_meas *m, char *buf, size_t len)
{
	snprintf(buf, len, "%.2f ms [%.2f-%.2f]", m->med_ns / 1e6, m->lo_ns / 1e6, m->hi_ns / 1e6);
	return buf;
}

/* CPU time of the whole process (every thread), user + system, in ns. */
static double cpu_ns(void)
{
	struct rusage r;

	getrusage(RUSAGE_SELF, &r);
	return (double)(r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1e9 +
	       (double)(r.ru_utime.tv_usec + r.ru_stime.tv_usec) * 1e3;
}

static void meas_add(struct bench_meas *m, double ns)
{
	if (m->nr_runs < BENCH_REPS)
		m->runs[m->nr_runs++] = ns;
}

static void perf_preset(void)
{
	const char *s = getenv("MMSIM_BENCH_SCALE"), *l = getenv("MMSIM_BENCH_LONG");
	double scale = s && atof(s) > 0 ? atof(s) : 1.0;
	bool long_run = l && atoi(l) > 0;
	int loops = (int)((long_run ? 100000 : 2000) * scale);
	int rounds = long_run ? 3 : BENCH_REPS;
	struct mmsim *m = mmsim_boot("ram=2G cpus=1");
	struct test_vmalloc_params p;
	char err[128];

	if (!m) {
		fprintf(stderr, "bench_vmalloc: boot: %s\n", mmsim_last_error());
		exit(1);
	}
	if (loops < 1)
		loops = 1;
	printf("test_vmalloc performance preset (x86_64, ram=2G cpus=1), each case alone: "
	       "test_loop_count=%d, %d rounds of test_repeat_count=1%s\n", loops, rounds,
	       long_run ? " (MMSIM_BENCH_LONG)" : "");
	printf("  host: the same allocations as mmap + a write to each page + munmap; ratio = "
	       "median / median of the times,\n  cpu = median / median of the CPU time "
	       "(user + system) each used, steadier on a loaded host\n");
	printf("  %-30s %26s %26s %7s %7s\n", "test", "mmsim (median [range])", "host", "ratio",
	       "cpu");
	fflush(stdout);
	for (size_t c = 0; c < ARRAY_SIZE(cases); c++) {
		const char *only = getenv("MMSIM_BENCH_VMALLOC_CASES");
		struct bench_meas mm = { 0 }, hm = { 0 }, mc = { 0 }, hc = { 0 };
		char a[96], b[96], r[32], rc[32];
		int failed = 0;

		if (only && !strstr(only, cases[c].name))
			continue;
		test_vmalloc_default_params(&p);
		test_vmalloc_parse(&p, "performance", err, sizeof(err));
		p.test_repeat_count = 1;
		p.test_loop_count = loops;
		p.run_test_mask = 1 << c;
		for (int i = 0; i < rounds; i++) {
			double cpu = cpu_ns();

			failed += test_vmalloc_run(m, &p);
			meas_add(&mc, cpu_ns() - cpu);
			meas_add(&mm, last_summary_us(m, cases[c].name) * 1e3);
			if (cases[c].host) {
				uint64_t t = bench_now_ns();

				cpu = cpu_ns();
				cases[c].host(loops);
				meas_add(&hc, cpu_ns() - cpu);
				meas_add(&hm, (double)(bench_now_ns() - t));
			}
		}
		bench_summarize(&mm);
		bench_summarize(&hm);
		bench_summarize(&mc);
		bench_summarize(&hc);
		fmt_ms(&mm, a, sizeof(a));
		if (cases[c].host) {
			fmt_ms(&hm, b, sizeof(b));
			snprintf(r, sizeof(r), "%.2fx", mm.med_ns / hm.med_ns);
			snprintf(rc, sizeof(rc), "%.2fx", mc.med_ns / hc.med_ns);
		} else {
			snprintf(b, sizeof(b), "-");
			snprintf(r, sizeof(r), "-");
			snprintf(rc, sizeof(rc), "-");
		}
		/* align_shift_alloc_test fails by design. */
		if (failed && strcmp(cases[c].name, "align_shift_alloc_test"))
			strcat(rc, "  (failed)");
		printf("  %-30s %26s %26s %7s %7s\n", cases[c].name, a, b, r, rc);
		fflush(stdout);
	}
	mmsim_shutdown(m);
}

/* ---------------------------------------------------------------------
 * kmap
 */

struct kctx {
	struct page **pages;
	unsigned int nr;
	unsigned int i;
};

static void kmap_loop(void *arg, long iters)
{
	struct kctx *c = arg;

	for (long n = 0; n < iters; n++) {
		struct page *p = c->pages[c->i];
		char *a = kmap(p);

		bench_keep(a);
		kunmap(p);
		if (++c->i == c->nr)
			c->i = 0;
	}
}

static void kmap_local_loop(void *arg, long iters)
{
	struct kctx *c = arg;

	for (long n = 0; n < iters; n++) {
		char *a = kmap_local_page(c->pages[c->i]);

		bench_keep(a);
		kunmap_local(a);
		if (++c->i == c->nr)
			c->i = 0;
	}
}

static void kmap_row(const char *label, const struct bench_meas *m, const struct bench_meas *ref)
{
	char a[96];

	bench_fmt_med(m, a, sizeof(a));
	if (ref)
		printf("  %-44s %26s  (%.2fx kmap)\n", label, a, m->med_ns / ref->med_ns);
	else
		printf("  %-44s %26s\n", label, a);
}

static void kmap_costs(void)
{
	struct mmsim *m = mmsim_boot("ram=2G arch=i386 cpus=1");
	unsigned int nr;
	struct page **pages;
	struct kctx one_k, one_l, many_k, many_l;

	if (!m) {
		fprintf(stderr, "bench_vmalloc: boot: %s\n", mmsim_last_error());
		exit(1);
	}
	nr = 2 * LAST_PKMAP;
	pages = calloc(nr, sizeof(*pages));
	for (unsigned int i = 0; i < nr; i++)
		pages[i] = alloc_page(GFP_HIGHUSER);
	one_k = (struct kctx){ pages, 1, 0 };
	one_l = (struct kctx){ pages, 1, 0 };
	many_k = (struct kctx){ pages, nr, 0 };
	many_l = (struct kctx){ pages, 64, 0 };

	struct bench_meas one[2] = { BENCH_MEAS(kmap_loop, &one_k, 1),
				     BENCH_MEAS(kmap_local_loop, &one_l, 1) };
	struct bench_meas many[2] = { BENCH_MEAS(kmap_loop, &many_k, 1),
				      BENCH_MEAS(kmap_local_loop, &many_l, 1) };

	printf("\nkmap costs (i386, ram=2G, highmem pages), per map+unmap, median [range]:\n");
	bench_compare(one, 2);
	kmap_row("kmap/kunmap, one page", &one[0], NULL);
	kmap_row("kmap_local_page/kunmap_local, one page", &one[1], &one[0]);
	bench_compare(many, 2);
	kmap_row("kmap/kunmap, 2*LAST_PKMAP pages (wraps)", &many[0], NULL);
	kmap_row("kmap_local_page/kunmap_local, 64 pages", &many[1], NULL);
	fflush(stdout);
	for (unsigned int i = 0; i < nr; i++)
		__free_page(pages[i]);
	free(pages);
	mmsim_shutdown(m);
}

int main(void)
{
	perf_preset();
	kmap_costs();
	return 0;
}
