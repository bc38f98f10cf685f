// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_vmalloc.c - vmalloc and kmap costs.
 *
 *   1. Linux's test_vmalloc "performance" preset (sequential_test_order=1
 *      test_repeat_count=3) on an x86_64 machine (ram=2G cpus=1), with
 *      test_loop_count=100000 times MMSIM_BENCH_SCALE (Linux's default is
 *      1000000): the per-test average in µs from the Summary lines.  Next
 *      to each test whose work is "allocate N pages, free them", the host
 *      kernel doing the same sizes in the same run: mmap(N pages), a write
 *      to every page (vmalloc populates every page), munmap, as many times
 *      as the test loops; the ratio is mmsim / host.
 *   2. kmap/kunmap and kmap_local_page/kunmap_local on i386 (ram=2G):
 *      one page over and over (the slot is reused, no flush), and a cycle
 *      over 2 * LAST_PKMAP (kmap) or 64 (kmap_local) pages, which wraps
 *      the pkmap area (flush + host remaps) or remaps the fixmap slot.
 */
#include "bench_common.h"
#include <mmsim/vmalloc.h>
#include <mmsim/highmem.h>

struct host_case {
	const char *name;
	int min_pages, max_pages;	/* uniform in [min, max] */
};

static const struct host_case host_cases[] = {
	{ "fix_size_alloc_test", 1, 1 },
	{ "full_fit_alloc_test", 1, 1 },
	{ "long_busy_list_alloc_test", 100, 100 },	/* + 1 page, see below */
	{ "random_size_alloc_test", 1, 100 },
	{ "fix_align_alloc_test", 5, 5 },
	{ "random_size_align_alloc_test", 1, 10 },
	{ "kvfree_rcu_1_arg_vmalloc_test", 1, 1 },
	{ "kvfree_rcu_2_arg_vmalloc_test", 1, 1 },
};

static uint64_t rng = 12345;

static unsigned int rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)rng;
}

static void host_alloc_touch_free(size_t pages)
{
	size_t len = pages * HOST_PAGE;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	for (size_t off = 0; off < len; off += HOST_PAGE)
		p[off] = 1;
	bench_keep(p);
	munmap(p, len);
}

/* µs for @loops iterations of the case, like test_vmalloc's avg. */
static double host_case_us(const struct host_case *c, int loops)
{
	uint64_t t = bench_now_ns();

	for (int i = 0; i < loops; i++) {
		int n = c->min_pages + (int)(rnd() % (unsigned)(c->max_pages - c->min_pages + 1));

		host_alloc_touch_free((size_t)n);
		if (!strcmp(c->name, "long_busy_list_alloc_test"))
			host_alloc_touch_free(1);
	}
	return (double)(bench_now_ns() - t) / 1000.0;
}

static void perf_preset(void)
{
	const char *s = getenv("MMSIM_BENCH_SCALE");
	double scale = s && atof(s) > 0 ? atof(s) : 1.0;
	struct test_vmalloc_params p;
	char err[128], word[64], *log, *line, *save = NULL;
	struct mmsim *m = mmsim_boot("ram=2G cpus=1");
	int loops = (int)(100000 * scale);

	if (!m) {
		fprintf(stderr, "bench_vmalloc: boot: %s\n", mmsim_last_error());
		exit(1);
	}
	test_vmalloc_default_params(&p);
	test_vmalloc_parse(&p, "performance", err, sizeof(err));
	snprintf(word, sizeof(word), "test_loop_count=%d", loops);
	test_vmalloc_parse(&p, word, err, sizeof(err));
	if (test_vmalloc_run(m, &p))
		fprintf(stderr, "bench_vmalloc: a test failed\n");
	printf("test_vmalloc performance preset: sequential_test_order=1 test_repeat_count=3 "
	       "test_loop_count=%d (x86_64, ram=2G cpus=1)\n", loops);
	printf("  %-32s %14s %14s %8s\n", "test", "mmsim avg us", "host avg us", "ratio");
	log = mmsim_read(m, "/dev/kmsg");
	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		unsigned long long avg;
		const char *sum = strstr(line, "Summary: ");
		const struct host_case *hc = NULL;

		if (!sum || sscanf(sum, "Summary: %63s passed: %*d failed: %*d repeat: %*d loops: %*d avg: %llu",
				   name, &avg) != 2)
			continue;
		for (size_t i = 0; i < ARRAY_SIZE(host_cases); i++)
			if (!strcmp(host_cases[i].name, name))
				hc = &host_cases[i];
		if (hc) {
			double host = host_case_us(hc, loops);

			printf("  %-32s %14llu %14.0f %7.2fx\n", name, avg, host, (double)avg / host);
		} else {
			printf("  %-32s %14llu %14s %8s\n", name, avg, "-", "-");
		}
	}
	free(log);
	mmsim_shutdown(m);
}

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

static void kmap_costs(void)
{
	struct mmsim *m = mmsim_boot("ram=2G arch=i386 cpus=1");
	unsigned int nr;
	struct page **pages;
	struct kctx one, many;

	if (!m) {
		fprintf(stderr, "bench_vmalloc: boot: %s\n", mmsim_last_error());
		exit(1);
	}
	nr = 2 * LAST_PKMAP;
	pages = calloc(nr, sizeof(*pages));
	for (unsigned int i = 0; i < nr; i++)
		pages[i] = alloc_page(GFP_HIGHUSER);
	one = (struct kctx){ pages, 1, 0 };
	many = (struct kctx){ pages, nr, 0 };
	printf("\nkmap costs (i386, ram=2G, highmem pages), ns per map+unmap:\n");
	printf("  %-44s %10.1f\n", "kmap/kunmap, one page", bench_best_ns(kmap_loop, &one, 1));
	printf("  %-44s %10.1f\n", "kmap/kunmap, 2*LAST_PKMAP pages (wraps)",
	       bench_best_ns(kmap_loop, &many, 1));
	many.nr = 64;
	many.i = 0;
	printf("  %-44s %10.1f\n", "kmap_local_page/kunmap_local, one page",
	       bench_best_ns(kmap_local_loop, &one, 1));
	printf("  %-44s %10.1f\n", "kmap_local_page/kunmap_local, 64 pages",
	       bench_best_ns(kmap_local_loop, &many, 1));
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
