// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_lab_replay.c - kernel-mode replay's speed (`mmsim replay`,
 * tools/lab/replay_kernel.c): accesses per second of host time through
 * the MMU and the whole fault/reclaim/swap path, against references
 * measured in the same run:
 *
 *   host array      the same accesses as loads of one byte of a host
 *                   array of the working set's pages: what replaying
 *                   costs with no machine at all (the limit);
 *   fits in RAM     the same kind of trace over half the RAM: after each
 *                   page's first touch every access is a TLB hit or a
 *                   page walk, no fault (the MMU's share);
 *   2x RAM          a Zipf(1.0) trace over twice the RAM's pages, with
 *                   swap: the goal is >= 2 M accesses/s here;
 *                   per policy (classic, mglru);
 *   2x RAM uniform  the worst case, about half the accesses fault: host
 *                   time per major fault is the fault+reclaim+swap path's
 *                   cost.
 *
 * The traces are id traces fed from memory (struct replay_source), the
 * way an oracleGeneral or csv trace is replayed: one process, the ids
 * compacted into one mapping, each id's first access a write.  Each row
 * is the median of BENCH_RUNS replays (range in brackets) of
 * replay_kernel's own host time (the boot excluded).  MMSIM_BENCH_SCALE
 * scales the number of accesses (default 8 M); MMSIM_BENCH_ONLY=fits,
 * zipf or uniform runs that row alone (with the host array's).
 */
#include <math.h>
#include "bench_common.h"
#include "tools/lab/replay.h"

#define BENCH_RUNS	3
#define RAM_MB		256UL

struct gen {
	const uint32_t *ids;
	uint64_t n, pos;
};

static int gen_read(void *arg, struct trace_rec *rec)
{
	struct gen *g = arg;

	if (g->pos == g->n)
		return 0;
	rec->op = TRACE_READ;
	rec->pid = 1;
	rec->id = g->ids[g->pos++];
	return 1;
}

static const char *gen_error(void *arg)
{
	(void)arg;
	return "";
}

static uint64_t rng = 88172645463325252ULL;

static uint64_t xorshift(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* @n ids in [0, @pages): Zipf(@alpha) ranks scattered over the ids, or uniform (alpha 0). */
static uint32_t *make_trace(uint64_t n, uint32_t pages, double alpha)
{
	uint32_t *ids = malloc(n * sizeof(*ids)), *perm = malloc(pages * sizeof(*perm));
	double *cdf = alpha > 0 ? malloc(pages * sizeof(*cdf)) : NULL, sum = 0;

	if (!ids || !perm || (alpha > 0 && !cdf))
		abort();
	for (uint32_t i = 0; i < pages; i++)
		perm[i] = i;
	for (uint32_t i = pages - 1; i > 0; i--) {
		uint32_t j = (uint32_t)(xorshift() % (i + 1)), t = perm[i];

		perm[i] = perm[j];
		perm[j] = t;
	}
	if (cdf) {
		for (uint32_t i = 0; i < pages; i++)
			cdf[i] = (sum += 1.0 / pow(i + 1, alpha));
		for (uint32_t i = 0; i < pages; i++)
			cdf[i] /= sum;
	}
	for (uint64_t k = 0; k < n; k++) {
		uint32_t r;

		if (cdf) {
			double u = (double)(xorshift() >> 11) / 9007199254740992.0;
			uint32_t lo = 0, hi = pages - 1;

			while (lo < hi) {
				uint32_t mid = (lo + hi) / 2;

				if (cdf[mid] < u)
					lo = mid + 1;
				else
					hi = mid;
			}
			r = lo;
		} else {
			r = (uint32_t)(xorshift() % pages);
		}
		ids[k] = perm[r];
	}
	free(cdf);
	free(perm);
	return ids;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct row {
	double rate[BENCH_RUNS];	/* accesses/s of host time */
	double cpu_rate[BENCH_RUNS];	/* accesses/s of the thread's CPU time */
	struct replay_kresult last;
};

static void replay_row(const char *label, const char *spec, const uint32_t *ids, uint64_t n,
		       struct row *row)
{
	struct replay_kopts o = { .spec = spec, .access_ns = 10 };
	char err[256];

	for (int r = 0; r < BENCH_RUNS; r++) {
		struct gen g = { .ids = ids, .n = n };
		struct replay_source src = { .read = gen_read, .error = gen_error, .arg = &g,
					     .name = label, .page_shift = 12, .nr_records = n };

		if (r)
			replay_kresult_free(&row->last);
		if (replay_kernel(&src, &o, &row->last, err, sizeof(err))) {
			fprintf(stderr, "bench_lab_replay: %s: %s\n", label, err);
			exit(1);
		}
		row->rate[r] = (double)row->last.requests / row->last.wall_seconds;
		row->cpu_rate[r] = (double)row->last.requests / row->last.cpu_seconds;
	}
	qsort(row->rate, BENCH_RUNS, sizeof(double), cmp_double);
	qsort(row->cpu_rate, BENCH_RUNS, sizeof(double), cmp_double);
}

static double host_row(const uint32_t *ids, uint64_t n, uint32_t pages, double *rates)
{
	unsigned char *a = host_get((size_t)pages * HOST_PAGE);

	memset(a, 1, (size_t)pages * HOST_PAGE);
	for (int r = 0; r < BENCH_RUNS; r++) {
		uint64_t t = bench_now_ns();
		unsigned long sum = 0;

		for (uint64_t k = 0; k < n; k++)
			sum += a[(size_t)ids[k] * HOST_PAGE + (k & 63)];
		bench_keep(&sum);
		rates[r] = (double)n / ((double)(bench_now_ns() - t) * 1e-9);
	}
	host_put(a, (size_t)pages * HOST_PAGE);
	qsort(rates, BENCH_RUNS, sizeof(double), cmp_double);
	return rates[BENCH_RUNS / 2];
}

static void print(const char *label, const double *rate, const double *cpu_rate,
		  const struct replay_kresult *r, double ref)
{
	double med = rate[BENCH_RUNS / 2];

	printf("%-38s %7.2f M/s [%.2f..%.2f]  x%-6.2f", label, med / 1e6, rate[0] / 1e6,
	       rate[BENCH_RUNS - 1] / 1e6, ref / med);
	if (cpu_rate)
		printf(" cpu %.2f M/s", cpu_rate[BENCH_RUNS / 2] / 1e6);
	if (r)
		printf(" faults %llu major %llu pswpout %llu tlb %.1f%%", (unsigned long long)r->faults,
		       (unsigned long long)r->major_faults, (unsigned long long)r->pswpout,
		       100.0 * (double)r->tlb_hits / (double)(r->tlb_hits + r->tlb_misses + 1));
	if (r && r->major_faults)
		printf(" %.2f us (cpu %.2f) per major", r->wall_seconds * 1e6 / (double)r->major_faults,
		       r->cpu_seconds * 1e6 / (double)r->major_faults);
	putchar('\n');
}

static bool want(const char *row)
{
	const char *only = getenv("MMSIM_BENCH_ONLY");

	return !only || !strcmp(only, row);
}

int main(void)
{
	const char *s = getenv("MMSIM_BENCH_SCALE");
	double scale = s && atof(s) > 0 ? atof(s) : 1.0;
	uint64_t n = (uint64_t)(8e6 * scale);
	uint32_t ram_pages = (uint32_t)(RAM_MB << 20 >> 12);
	char spec[128];
	struct row fits, zipf[2], uni;
	double host[BENCH_RUNS], ref;
	const char *pol[2] = { "classic", "mglru" };
	uint32_t *ids_fit = make_trace(n, ram_pages / 2, 1.0);
	uint32_t *ids_zipf = make_trace(n, 2 * ram_pages, 1.0);
	uint32_t *ids_uni = make_trace(n / 4, 2 * ram_pages, 0);

	printf("bench_lab_replay: kernel-mode replay, ram=%luM, %llu accesses a run, median of %d "
	       "(x: the host array's rate over the row's)\n", RAM_MB, (unsigned long long)n,
	       BENCH_RUNS);
	ref = host_row(ids_zipf, n, 2 * ram_pages, host);
	print("host array, Zipf 1.0 over 2x RAM", host, NULL, NULL, ref);
	memset(&fits, 0, sizeof(fits));
	memset(zipf, 0, sizeof(zipf));
	memset(&uni, 0, sizeof(uni));
	snprintf(spec, sizeof(spec), "ram=%luM cpus=1 swap=1G", RAM_MB);
	if (want("fits")) {
		replay_row("fits", spec, ids_fit, n, &fits);
		print("replay, Zipf over RAM/2 (fits)", fits.rate, fits.cpu_rate, &fits.last, ref);
	}
	for (int p = 0; p < 2 && want("zipf"); p++) {
		char label[64];

		snprintf(spec, sizeof(spec), "ram=%luM cpus=1 swap=1G lru=%s", RAM_MB, pol[p]);
		snprintf(label, sizeof(label), "replay, Zipf over 2x RAM, %s", pol[p]);
		replay_row(label, spec, ids_zipf, n, &zipf[p]);
		print(label, zipf[p].rate, zipf[p].cpu_rate, &zipf[p].last, ref);
	}
	snprintf(spec, sizeof(spec), "ram=%luM cpus=1 swap=1G", RAM_MB);
	if (want("uniform")) {
		replay_row("uniform", spec, ids_uni, n / 4, &uni);
		print("replay, uniform over 2x RAM, classic", uni.rate, uni.cpu_rate, &uni.last, ref);
	}
	replay_kresult_free(&fits.last);
	replay_kresult_free(&zipf[0].last);
	replay_kresult_free(&zipf[1].last);
	replay_kresult_free(&uni.last);
	free(ids_fit);
	free(ids_zipf);
	free(ids_uni);
	return 0;
}
