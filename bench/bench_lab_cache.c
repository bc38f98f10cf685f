// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_lab_cache.c - cache mode's speed (`mmsim replay --cache-mode`,
 * cache_sim_run) against libCacheSim on the same trace.
 *
 * The trace: Zipf(alpha 1.0) over 1,000,000 objects, 20,000,000 requests,
 * made in memory from a fixed seed (splitmix64 seed 2026, inverse-CDF
 * sampling; object k, the k-th most popular, gets the id mix64(k + 1), so
 * ids are spread 64-bit numbers as in real traces), and a cache of 100,000
 * pages (MMSIM_LAB_CACHE_REQS / _OBJS / _SIZE override the three numbers).
 *
 * Rows, requests per second, the median of RUNS timed runs over the whole
 * trace with their range (the loops take turns, one run each per round):
 *   limit     the loop over the ids doing only an idmap lookup in a map
 *             holding the 100,000 most popular ids: what any policy with
 *             this hash map costs at the least;
 *   lru, fifo, clock, sieve   cache_sim_run with the registered policy;
 *   libCacheSim   when MMSIM_LIBCACHESIM_RUN names bench/peers/
 *             libcachesim_run (built by scripts/bench-lab-cache.sh): the
 *             trace is written as an oracleGeneral file and libCacheSim's
 *             own simulator loop (reader + cache->get, object sizes
 *             ignored) is timed by it, exact miss count included; and when
 *             MMSIM_CACHESIM names libCacheSim's cachesim, its own
 *             "throughput ... MQPS" is printed too (it times the same loop).
 * Each policy row gives its miss count and, against libCacheSim, the
 * speed ratio and whether the miss counts are identical.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "bench_common.h"
#include "mm/policy/idmap.h"
#include <mmsim/cache_policy.h>

#define RUNS 5

static uint64_t rng_state;

static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t rng_next(void)
{
	return mix64(rng_state += 0x9e3779b97f4a7c15ULL);
}

static uint64_t env_u64(const char *name, uint64_t def)
{
	const char *s = getenv(name);

	return s && *s ? strtoull(s, NULL, 10) : def;
}

static cache_id_t *make_zipf(uint64_t nr_objs, uint64_t n)
{
	double *cdf = malloc(nr_objs * sizeof(*cdf)), sum = 0;
	cache_id_t *ids = malloc(n * sizeof(*ids));
	uint64_t i;

	if (!cdf || !ids) {
		fprintf(stderr, "bench_lab_cache: out of memory for the trace\n");
		exit(1);
	}
	for (i = 0; i < nr_objs; i++)
		cdf[i] = (sum += 1.0 / (double)(i + 1));
	rng_state = 2026;
	for (i = 0; i < n; i++) {
		double u = (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0) * sum;
		uint64_t lo = 0, hi = nr_objs - 1;

		while (lo < hi) {
			uint64_t mid = (lo + hi) / 2;

			if (cdf[mid] < u)
				lo = mid + 1;
			else
				hi = mid;
		}
		ids[i] = mix64(lo + 1);
	}
	free(cdf);
	return ids;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct row {
	const char *name;
	const struct cache_policy_ops *ops;	/* NULL: the limit */
	double rps[RUNS];			/* requests per wall-clock second of each run */
	double cps[RUNS];			/* requests per CPU second of each run */
	uint64_t misses;
};

static const cache_id_t *g_ids;
static uint64_t g_n, g_size, g_objs;
static struct idmap g_limit_map;

static uint64_t cpu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void run_once(struct row *r, int k)
{
	uint64_t t0, t1, c0, c1;

	if (!r->ops) {
		uint64_t i, sum = 0;

		t0 = bench_now_ns();
		c0 = cpu_now_ns();
		for (i = 0; i < g_n; i++)
			sum += idmap_get(&g_limit_map, g_ids[i]);
		c1 = cpu_now_ns();
		t1 = bench_now_ns();
		bench_keep(&sum);
	} else {
		struct cache_policy_params p = { .capacity = g_size };
		struct cache_sim_result res;
		char err[128];

		t0 = bench_now_ns();
		c0 = cpu_now_ns();
		if (cache_sim_run(r->ops, &p, g_ids, g_n, &res, err, sizeof(err))) {
			fprintf(stderr, "bench_lab_cache: %s\n", err);
			exit(1);
		}
		c1 = cpu_now_ns();
		t1 = bench_now_ns();
		r->misses = res.misses;
	}
	r->rps[k] = (double)g_n / ((double)(t1 - t0) * 1e-9);
	r->cps[k] = (double)g_n / ((double)(c1 - c0) * 1e-9);
}

static double median(const double *v, int nr, double *lo, double *hi)
{
	double s[RUNS];

	memcpy(s, v, nr * sizeof(*s));
	qsort(s, nr, sizeof(*s), cmp_double);
	*lo = s[0];
	*hi = s[nr - 1];
	return s[nr / 2];
}

static int write_oracle(const char *path)
{
	uint64_t *next = cache_next_use(g_ids, g_n), i;
	FILE *f = fopen(path, "wb");
	unsigned char rec[24];

	if (!next || !f) {
		free(next);
		if (f)
			fclose(f);
		return -1;
	}
	for (i = 0; i < g_n; i++) {
		uint32_t t = (uint32_t)(i + 1), sz = 1;
		int64_t nx = next[i] == CACHE_NEXT_NEVER ? -1 : (int64_t)next[i] + 1;

		/* uint32 time, uint64 id, uint32 size, int64 next access vtime (x86: LE). */
		memcpy(rec, &t, 4);
		memcpy(rec + 4, &g_ids[i], 8);
		memcpy(rec + 12, &sz, 4);
		memcpy(rec + 16, &nx, 8);
		fwrite(rec, 1, sizeof(rec), f);
	}
	free(next);
	return fclose(f) ? -1 : 0;
}

/* One libCacheSim run: 0 and its rps and misses, or -1. */
static int lcs_run(const char *tool, const char *trace, const char *algo, double *rps,
		   double *cps, uint64_t *misses)
{
	char cmd[1024], line[512];
	unsigned long long req, miss;
	double secs, cpu;
	int ok = -1;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "'%s' '%s' oracleGeneral %s %llu 2>/dev/null", tool, trace, algo,
		 (unsigned long long)g_size);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		if (sscanf(line, "requests %llu misses %llu seconds %lf cpu_seconds %lf", &req, &miss,
			   &secs, &cpu) == 4 && secs > 0 && cpu > 0) {
			*rps = (double)req / secs;
			*cps = (double)req / cpu;
			*misses = miss;
			ok = req == g_n ? 0 : -1;
		}
	pclose(p);
	return ok;
}

/* cachesim's own throughput figure (MQPS), or -1. */
static double cachesim_mqps(const char *tool, const char *trace, const char *algo)
{
	char cmd[1024], line[1024];
	double mqps = -1;
	FILE *p;

	/* cachesim also appends its line to a file: keep it in the trace's directory. */
	snprintf(cmd, sizeof(cmd),
		 "'%s' '%s' oracleGeneral %s %llu --ignore-obj-size 1 -o '%s.out' 2>/dev/null",
		 tool, trace, algo, (unsigned long long)g_size, trace);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p)) {
		char *t = strstr(line, "throughput ");

		if (t)
			mqps = atof(t + strlen("throughput "));
	}
	pclose(p);
	return mqps;
}

int main(void)
{
	static const char *const names[] = { "lru", "fifo", "clock", "sieve" };
	const char *lcs = getenv("MMSIM_LIBCACHESIM_RUN"), *cachesim = getenv("MMSIM_CACHESIM");
	enum { NR = 1 + sizeof(names) / sizeof(names[0]) };
	struct row rows[NR];
	char dir[] = "/tmp/mmsim-lab-cache-XXXXXX", trace[128];
	double lcs_rps[NR][RUNS], lcs_cps[NR][RUNS], cs_mqps[NR][RUNS];
	uint64_t lcs_miss[NR];
	int lcs_ok[NR], i, k;
	uint64_t j;

	g_n = env_u64("MMSIM_LAB_CACHE_REQS", 20000000);
	g_objs = env_u64("MMSIM_LAB_CACHE_OBJS", 1000000);
	g_size = env_u64("MMSIM_LAB_CACHE_SIZE", 100000);
	g_ids = make_zipf(g_objs, g_n);
	if (idmap_init(&g_limit_map, g_size))
		return 1;
	for (j = 0; j < g_size && j < g_objs; j++)
		idmap_put(&g_limit_map, mix64(j + 1), (uint32_t)j);
	rows[0] = (struct row){ .name = "limit (idmap lookup only)", .ops = NULL };
	for (i = 1; i < NR; i++) {
		rows[i] = (struct row){ .name = names[i - 1], .ops = cache_policy_find(names[i - 1]) };
		if (!rows[i].ops) {
			fprintf(stderr, "bench_lab_cache: no policy %s\n", names[i - 1]);
			return 1;
		}
	}
	printf("bench_lab_cache: Zipf 1.0, %llu objects, %llu requests, cache %llu pages; "
	       "median of %d runs [range], M requests/s\n", (unsigned long long)g_objs,
	       (unsigned long long)g_n, (unsigned long long)g_size, RUNS);
	for (k = 0; k < RUNS; k++)
		for (i = 0; i < NR; i++)
			run_once(&rows[i], k);

	memset(lcs_ok, 0, sizeof(lcs_ok));
	if (lcs && *lcs && mkdtemp(dir)) {
		snprintf(trace, sizeof(trace), "%s/zipf.oracleGeneral", dir);
		if (write_oracle(trace)) {
			fprintf(stderr, "bench_lab_cache: cannot write %s\n", trace);
			lcs = NULL;
		}
		for (i = 1; lcs && i < NR; i++) {
			lcs_ok[i] = 1;
			for (k = 0; k < 3; k++) {
				cs_mqps[i][k] = cachesim && *cachesim ?
					cachesim_mqps(cachesim, trace, names[i - 1]) : -1;
				if (lcs_run(lcs, trace, names[i - 1], &lcs_rps[i][k], &lcs_cps[i][k],
					    &lcs_miss[i]))
					lcs_ok[i] = 0;
			}
		}
		unlink(trace);
		snprintf(trace, sizeof(trace), "%s/zipf.oracleGeneral.out", dir);
		unlink(trace);
		rmdir(dir);
	}
	printf("  %-26s %-22s %-22s\n", "", "wall clock", "CPU time");
	for (i = 0; i < NR; i++) {
		double lo, hi, clo, chi, med = median(rows[i].rps, RUNS, &lo, &hi);
		double cmed = median(rows[i].cps, RUNS, &clo, &chi);
		double lim = median(rows[0].cps, RUNS, &clo, &chi);

		median(rows[i].cps, RUNS, &clo, &chi);
		printf("  %-26s %6.2f [%5.2f-%5.2f]  %6.2f [%5.2f-%5.2f]", rows[i].name, med / 1e6,
		       lo / 1e6, hi / 1e6, cmed / 1e6, clo / 1e6, chi / 1e6);
		if (i == 0) {
			printf("\n");
			continue;
		}
		printf("  misses %llu, x%.2f the limit's CPU time\n", (unsigned long long)rows[i].misses,
		       lim / cmed);
		if (lcs_ok[i]) {
			double lmed = median(lcs_rps[i], 3, &lo, &hi);
			double lcmed = median(lcs_cps[i], 3, &clo, &chi);

			printf("    %-24s %6.2f [%5.2f-%5.2f]  %6.2f [%5.2f-%5.2f]  misses %llu\n",
			       "libCacheSim", lmed / 1e6, lo / 1e6, hi / 1e6, lcmed / 1e6, clo / 1e6,
			       chi / 1e6, (unsigned long long)lcs_miss[i]);
			printf("    -> mmsim/libCacheSim requests/s: x%.2f wall clock, x%.2f CPU time; "
			       "miss counts %s\n", med / lmed, cmed / lcmed,
			       lcs_miss[i] == rows[i].misses ? "IDENTICAL" : "DIFFER");
			if (cs_mqps[i][0] > 0)
				printf("    cachesim's own throughput (wall clock, 3 runs): %.2f %.2f %.2f MQPS\n",
				       cs_mqps[i][0], cs_mqps[i][1], cs_mqps[i][2]);
		}
	}
	idmap_destroy(&g_limit_map);
	free((void *)g_ids);
	return 0;
}
