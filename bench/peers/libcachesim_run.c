// SPDX-License-Identifier: GPL-2.0
/*
 * bench/peers/libcachesim_run.c - libCacheSim's simulator loop, counted
 * exactly.  `cachesim` prints the miss ratio to four decimals only, which
 * cannot show that two 20 M-request runs miss the same number of times;
 * this program does what cachesim's simulate() does for one cache (open the
 * trace with the object sizes ignored, create the cache with cachesim's own
 * create_cache(), call cache->get() on each request, count the misses, time
 * the loop) and prints the exact counts:
 *
 *   libcachesim_run TRACE oracleGeneral|txt|csv ALGO SIZE
 *   -> "requests N misses N seconds S cpu_seconds S"
 *
 * seconds is the loop's wall-clock time, cpu_seconds the CPU time the
 * process spent in it (what counts on a host shared with other work).
 *
 * Not part of mmsim: scripts/bench-lab-cache.sh compiles it against a
 * libCacheSim build (its headers and liblibCacheSim.a) for bench_lab_cache
 * and for the golden figures of docs/policies.md.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "libCacheSim/reader.h"
#include "libCacheSim/request.h"
#include "bin/cachesim/cache_init.h"

static double now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	reader_init_param_t rp;
	uint64_t nreq = 0, nmiss = 0;
	trace_type_e type;
	request_t *req;
	reader_t *reader;
	cache_t *cache;
	double t0, t1, c0, c1;

	if (argc != 5) {
		fprintf(stderr, "usage: %s TRACE oracleGeneral|txt|csv ALGO SIZE\n", argv[0]);
		return 2;
	}
	if (!strcasecmp(argv[2], "oracleGeneral"))
		type = ORACLE_GENERAL_TRACE;
	else if (!strcasecmp(argv[2], "txt"))
		type = PLAIN_TXT_TRACE;
	else if (!strcasecmp(argv[2], "csv"))
		type = CSV_TRACE;
	else {
		fprintf(stderr, "%s: unknown trace type '%s'\n", argv[0], argv[2]);
		return 2;
	}
	memset(&rp, 0, sizeof(rp));
	rp.ignore_obj_size = true;
	rp.ignore_size_zero_req = true;
	rp.obj_id_is_num = true;
	rp.cap_at_n_req = -1;
	reader = setup_reader(argv[1], type, &rp);
	cache = create_cache(argv[1], argv[3], strtoull(argv[4], NULL, 10), NULL, false);
	req = new_request();
	t0 = now(CLOCK_MONOTONIC);
	c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	while (read_one_req(reader, req) == 0) {
		nreq++;
		if (!cache->get(cache, req))
			nmiss++;
	}
	t1 = now(CLOCK_MONOTONIC);
	c1 = now(CLOCK_PROCESS_CPUTIME_ID);
	printf("requests %llu misses %llu seconds %.6f cpu_seconds %.6f\n",
	       (unsigned long long)nreq, (unsigned long long)nmiss, t1 - t0, c1 - c0);
	free_request(req);
	cache->cache_free(cache);
	close_reader(reader);
	return 0;
}
