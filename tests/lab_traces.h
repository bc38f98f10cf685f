/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lab_traces.h - the fixed synthetic page-id traces of the lab's golden
 * tests (tests/test_lab_policies.c; docs/policies.md's table of miss counts
 * against libCacheSim).  Deterministic on every machine: a splitmix64
 * generator and a Zipf sampler by binary search over the CDF (doubles, the
 * same summation order everywhere).  Ids start at 1.
 *
 *   lab_trace_zipf(out, n, nr_obj, alpha, seed)   Zipf(alpha) over nr_obj ids
 *   lab_trace_loop(out, n, len)                    1..len, 1..len, ...
 *   lab_trace_scan_zipf(out, n, nr_obj, alpha, seed, every, scan)
 *        Zipf requests with, after every @every of them, a scan of @scan
 *        new ids never seen before (ids above 10,000,000).
 *
 * The traces of the golden tables (LAB_TRACE_* below) are built by
 * lab_trace_build(); to feed libCacheSim the same requests, write them one
 * id per line (its "txt" format) and run
 *   cachesim FILE txt ALGO SIZE --ignore-obj-size 1
 */
#ifndef MMSIM_TESTS_LAB_TRACES_H
#define MMSIM_TESTS_LAB_TRACES_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static inline uint64_t lab_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* A uniform double in [0, 1). */
static inline double lab_rand_unit(uint64_t *state)
{
	return (double)(lab_rand(state) >> 11) * (1.0 / 9007199254740992.0);
}

struct lab_zipf {
	double *cdf;		/* cdf[k]: sum of weights 0..k */
	uint64_t nr_obj;
};

static inline int lab_zipf_init(struct lab_zipf *z, uint64_t nr_obj, double alpha)
{
	double sum = 0;
	uint64_t k;

	z->cdf = malloc(nr_obj * sizeof(double));
	if (!z->cdf)
		return -1;
	for (k = 0; k < nr_obj; k++) {
		sum += 1.0 / pow((double)(k + 1), alpha);
		z->cdf[k] = sum;
	}
	z->nr_obj = nr_obj;
	return 0;
}

/* An id in 1..nr_obj, id k+1 with probability proportional to 1/(k+1)^alpha. */
static inline uint64_t lab_zipf_next(const struct lab_zipf *z, uint64_t *state)
{
	double u = lab_rand_unit(state) * z->cdf[z->nr_obj - 1];
	uint64_t lo = 0, hi = z->nr_obj - 1;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (z->cdf[mid] > u)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo + 1;
}

static inline int lab_trace_zipf(uint64_t *out, uint64_t n, uint64_t nr_obj, double alpha,
				 uint64_t seed)
{
	struct lab_zipf z;
	uint64_t i;

	if (lab_zipf_init(&z, nr_obj, alpha))
		return -1;
	for (i = 0; i < n; i++)
		out[i] = lab_zipf_next(&z, &seed);
	free(z.cdf);
	return 0;
}

static inline void lab_trace_loop(uint64_t *out, uint64_t n, uint64_t len)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		out[i] = i % len + 1;
}

static inline int lab_trace_scan_zipf(uint64_t *out, uint64_t n, uint64_t nr_obj, double alpha,
				      uint64_t seed, uint64_t every, uint64_t scan)
{
	struct lab_zipf z;
	uint64_t i = 0, since = 0, fresh = 10000001;

	if (lab_zipf_init(&z, nr_obj, alpha))
		return -1;
	while (i < n) {
		if (since == every) {
			uint64_t k;

			for (k = 0; k < scan && i < n; k++)
				out[i++] = fresh++;
			since = 0;
			continue;
		}
		out[i++] = lab_zipf_next(&z, &seed);
		since++;
	}
	free(z.cdf);
	return 0;
}

/* The golden tables' traces. */
enum lab_trace_kind {
	LAB_TRACE_ZIPF,		/* 50,000 requests, Zipf 1.0 over 1,000 ids, seed 17 */
	LAB_TRACE_LOOP,		/* 22,000 requests, a loop over 110 ids */
	LAB_TRACE_SCAN_ZIPF,	/* 50,000: Zipf 0.8 over 500 ids, seed 7, a 300-id scan every 2,000 */
	LAB_TRACE_NR,
};

static const char *const lab_trace_names[LAB_TRACE_NR] = { "zipf", "loop", "scan-zipf" };
static const uint64_t lab_trace_len[LAB_TRACE_NR] = { 50000, 22000, 50000 };

/* @out holds lab_trace_len[kind] ids; 0 or -1 (ENOMEM). */
static inline int lab_trace_build(enum lab_trace_kind kind, uint64_t *out)
{
	switch (kind) {
	case LAB_TRACE_ZIPF:
		return lab_trace_zipf(out, lab_trace_len[kind], 1000, 1.0, 17);
	case LAB_TRACE_LOOP:
		lab_trace_loop(out, lab_trace_len[kind], 110);
		return 0;
	case LAB_TRACE_SCAN_ZIPF:
		return lab_trace_scan_zipf(out, lab_trace_len[kind], 500, 0.8, 7, 2000, 300);
	default:
		return -1;
	}
}

#endif
