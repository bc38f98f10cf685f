// SPDX-License-Identifier: GPL-2.0
/*
 * test_lab_policy_core.c - the core replacement policies of mm/policy/ and
 * cache mode, checked against independent naive implementations written
 * here (arrays, linear searches: O(n * capacity), obviously correct), on
 * fixed synthetic traces made in the test with a fixed-seed PRNG:
 *
 *   zipf   Zipf(alpha 1.0) over 10,000 ids, 60,000 requests, seed 17
 *          (inverse-CDF sampling, trace_zipf below);
 *   scan   ids 0..4999 twice in order;
 *   loop   ids 0..1099 twenty times (a loop slightly larger than 1,000 pages);
 *   the textbook sequences 1 2 3 4 1 2 5 1 2 3 4 5 (Belady's anomaly) and
 *   1 2 3 1 4 5 6 1, worked by hand below.
 *
 * Also: the LRU miss-ratio curve (exact: equal at every size to a naive
 * LRU stack; SHARDS: within a stated tolerance), is_valid after every step
 * of a randomized access/victim/remove/insert mix for every registered
 * policy (the kernel adapter's victim-then-access included), and the idmap
 * under a randomized put/del mix against a plain array.
 *
 * Links only the library (no lab tool code).
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <mmsim/cache_policy.h>
#include "mm/policy/idmap.h"
#include "ktest.h"

/* ---- deterministic traces ------------------------------------------- */

static uint64_t rng_state;

static uint64_t rng_next(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double rng_unit(void)
{
	return (double)(rng_next() >> 11) * (1.0 / 9007199254740992.0);
}

/* Zipf(@alpha) over ids 0..@nr_ids-1 (id k has weight 1/(k+1)^alpha). */
static cache_id_t *trace_zipf(uint64_t nr_ids, double alpha, uint64_t n, uint64_t seed)
{
	double *cdf = malloc(nr_ids * sizeof(*cdf)), sum = 0;
	cache_id_t *ids = malloc(n * sizeof(*ids));
	uint64_t i;

	for (i = 0; i < nr_ids; i++)
		cdf[i] = (sum += 1.0 / pow((double)(i + 1), alpha));
	rng_state = seed;
	for (i = 0; i < n; i++) {
		double u = rng_unit() * sum;
		uint64_t lo = 0, hi = nr_ids - 1;

		while (lo < hi) {
			uint64_t mid = (lo + hi) / 2;

			if (cdf[mid] < u)
				lo = mid + 1;
			else
				hi = mid;
		}
		ids[i] = lo;
	}
	free(cdf);
	return ids;
}

static cache_id_t *trace_loop(uint64_t len, uint64_t times)
{
	cache_id_t *ids = malloc(len * times * sizeof(*ids));
	uint64_t i;

	for (i = 0; i < len * times; i++)
		ids[i] = i % len;
	return ids;
}

struct trace {
	const char *name;
	cache_id_t *ids;
	uint64_t n;
	uint64_t sizes[3];
};

#define NR_TRACES 3
static struct trace traces[NR_TRACES];

static void make_traces(void)
{
	traces[0] = (struct trace){ "zipf", trace_zipf(10000, 1.0, 60000, 17), 60000,
				    { 10, 100, 1000 } };
	traces[1] = (struct trace){ "scan", trace_loop(5000, 2), 10000, { 100, 1000, 6000 } };
	traces[2] = (struct trace){ "loop", trace_loop(1100, 20), 22000, { 100, 1000, 1100 } };
}

/* ---- naive policies: one array of residents, linear search ----------- */

struct naive {
	cache_id_t *id;
	uint64_t *key;		/* LRU: last use; FIFO: insert time; OPT: next use */
	uint8_t *bit;		/* CLOCK: reference bit; SIEVE: visited bit */
	uint64_t nr, cap, hand;
	int hand_set;		/* SIEVE: 0 = start from the oldest */
};

static void naive_init(struct naive *c, uint64_t cap)
{
	c->id = calloc(cap, sizeof(*c->id));
	c->key = calloc(cap, sizeof(*c->key));
	c->bit = calloc(cap, 1);
	c->nr = 0;
	c->cap = cap;
	c->hand = 0;
	c->hand_set = 0;
}

static void naive_free(struct naive *c)
{
	free(c->id);
	free(c->key);
	free(c->bit);
}

static int64_t naive_find(const struct naive *c, cache_id_t id)
{
	uint64_t i;

	for (i = 0; i < c->nr; i++)
		if (c->id[i] == id)
			return (int64_t)i;
	return -1;
}

/* The resident with the least (@max 0) or greatest (@max 1) key. */
static uint64_t naive_extreme(const struct naive *c, int max)
{
	uint64_t i, best = 0;

	for (i = 1; i < c->nr; i++)
		if (max ? c->key[i] > c->key[best] : c->key[i] < c->key[best])
			best = i;
	return best;
}

/* Next use of each request, by a plain table over the small test ids. */
static uint64_t *naive_next_use(const cache_id_t *ids, uint64_t n)
{
	uint64_t *next = malloc(n * sizeof(*next)), *last = malloc(10001 * sizeof(*last)), i;

	for (i = 0; i <= 10000; i++)
		last[i] = UINT64_MAX;
	for (i = n; i-- > 0;) {
		next[i] = last[ids[i]];
		last[ids[i]] = i;
	}
	free(last);
	return next;
}

enum naive_kind { N_LRU, N_FIFO, N_OPT, N_CLOCK, N_SIEVE };

/* Misses of the naive policy; @pattern (optional) gets 'h'/'m' per request. */
static uint64_t naive_run(enum naive_kind kind, const cache_id_t *ids, uint64_t n, uint64_t cap,
			  char *pattern)
{
	uint64_t *next = kind == N_OPT ? naive_next_use(ids, n) : NULL;
	uint64_t i, misses = 0;
	struct naive c;

	naive_init(&c, cap);
	for (i = 0; i < n; i++) {
		int64_t at = naive_find(&c, ids[i]);

		if (pattern)
			pattern[i] = at >= 0 ? 'h' : 'm';
		if (at >= 0) {
			if (kind == N_LRU)
				c.key[at] = i;
			else if (kind == N_OPT)
				c.key[at] = next[i];
			else if (kind == N_CLOCK || kind == N_SIEVE)
				c.bit[at] = 1;
			continue;
		}
		misses++;
		if (kind == N_CLOCK) {
			/* A ring of frames, the hand at the oldest. */
			if (c.nr < cap) {
				c.id[c.nr] = ids[i];
				c.bit[c.nr++] = 0;
				continue;
			}
			while (c.bit[c.hand]) {
				c.bit[c.hand] = 0;
				c.hand = (c.hand + 1) % cap;
			}
			c.id[c.hand] = ids[i];
			c.hand = (c.hand + 1) % cap;
			continue;
		}
		if (kind == N_SIEVE) {
			/* id[0] the oldest .. id[nr-1] the newest; residents never move. */
			if (c.nr == cap) {
				uint64_t h = c.hand_set ? c.hand : 0;

				while (c.bit[h]) {
					c.bit[h] = 0;
					h = h + 1 == c.nr ? 0 : h + 1;
				}
				memmove(&c.id[h], &c.id[h + 1], (c.nr - h - 1) * sizeof(*c.id));
				memmove(&c.bit[h], &c.bit[h + 1], c.nr - h - 1);
				c.nr--;
				/* The hand stays on the next newer one; past the newest: restart. */
				c.hand = h;
				c.hand_set = h < c.nr;
			}
			c.id[c.nr] = ids[i];
			c.bit[c.nr++] = 0;
			continue;
		}
		if (c.nr == cap) {
			uint64_t v = naive_extreme(&c, kind == N_OPT);

			c.id[v] = c.id[--c.nr];
			c.key[v] = c.key[c.nr];
		}
		c.id[c.nr] = ids[i];
		c.key[c.nr++] = kind == N_OPT ? next[i] : i;
	}
	naive_free(&c);
	free(next);
	return misses;
}

/* ---- the library's policies in cache mode ------------------------------ */

static uint64_t sim_misses(const char *policy, const cache_id_t *ids, uint64_t n, uint64_t cap)
{
	const struct cache_policy_ops *ops = cache_policy_find(policy);
	struct cache_policy_params p = { .capacity = cap };
	struct cache_sim_result r;
	char err[128];
	int ret;

	KT_ASSERT(ops != NULL);
	if (!ops)
		return UINT64_MAX;
	if (ops->flags & CACHE_POLICY_OFFLINE) {
		p.next_use = cache_next_use(ids, n);
		p.nr_requests = n;
	}
	ret = cache_sim_run(ops, &p, ids, n, &r, err, sizeof(err));
	free((void *)p.next_use);
	KT_EQ(ret, 0);
	KT_EQ(r.hits + r.misses, n);
	KT_ASSERT(r.evictions <= r.misses);
	return r.misses;
}

/* The hit/miss pattern of @policy, one request at a time through the ops. */
static void sim_pattern(const char *policy, const cache_id_t *ids, uint64_t n, uint64_t cap,
			char *pattern)
{
	const struct cache_policy_ops *ops = cache_policy_find(policy);
	uint64_t *next = cache_next_use(ids, n);
	struct cache_policy_params p = { .capacity = cap, .next_use = next, .nr_requests = n };
	char err[128];
	uint64_t i;
	void *st;

	KT_ASSERT(ops != NULL);
	if (!ops)
		return;
	st = ops->create(&p, err, sizeof(err));
	for (i = 0; i < n; i++) {
		pattern[i] = ops->access(st, ids[i], i) ? 'h' : 'm';
		if (pattern[i] == 'm') {
			while (ops->nr_resident(st) >= cap)
				ops->remove(st, ops->victim(st, ids[i]), true);
			ops->insert(st, ids[i], i);
		}
		KT_ASSERT(ops->is_valid(st));
	}
	pattern[n] = '\0';
	ops->destroy(st);
	free(next);
}

static const struct {
	const char *policy;
	enum naive_kind kind;
} checked[] = {
	{ "lru", N_LRU },
	{ "fifo", N_FIFO },
	{ "opt", N_OPT },
	{ "clock", N_CLOCK },
	{ "sieve", N_SIEVE },
};

static void test_against_naive(void)
{
	unsigned int t, k, s;

	for (t = 0; t < NR_TRACES; t++)
		for (k = 0; k < sizeof(checked) / sizeof(checked[0]); k++)
			for (s = 0; s < 3; s++) {
				const struct trace *tr = &traces[t];
				uint64_t cap = tr->sizes[s];
				uint64_t want = naive_run(checked[k].kind, tr->ids, tr->n, cap, NULL);
				uint64_t got = sim_misses(checked[k].policy, tr->ids, tr->n, cap);

				if (got != want)
					fprintf(stderr, "%s on %s, %llu pages: %llu misses, naive %llu\n",
						checked[k].policy, tr->name, (unsigned long long)cap,
						(unsigned long long)got, (unsigned long long)want);
				KT_EQ(got, want);
			}
}

/* Known values, worked by hand (see the file's header for the sequences). */
static void test_hand_worked(void)
{
	static const cache_id_t belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
	static const cache_id_t second[] = { 1, 2, 3, 1, 4, 5, 6, 1 };
	static const struct {
		const char *policy;
		const cache_id_t *ids;
		uint64_t n, cap;
		const char *pattern;
	} cases[] = {
		/* Belady's anomaly: FIFO misses 9 times with 3 pages, 10 with 4. */
		{ "fifo", belady, 12, 3, "mmmmmmmhhmmh" },
		{ "fifo", belady, 12, 4, "mmmmhhmmmmmm" },
		{ "lru", belady, 12, 3, "mmmmmmmhhmmm" },
		{ "lru", belady, 12, 4, "mmmmhhmhhmmm" },
		{ "lru", second, 8, 3, "mmmhmmmm" },
		{ "fifo", second, 8, 3, "mmmhmmmm" },
		/* OPT: 7 and 6 misses, the textbook lower bounds. */
		{ "opt", belady, 12, 3, "mmmmhhmhhmmh" },
		{ "opt", belady, 12, 4, "mmmmhhmhhhmh" },
		/* CLOCK (new pages start unreferenced) and SIEVE. */
		{ "clock", belady, 12, 3, "mmmmmmmhhmmm" },
		{ "sieve", belady, 12, 3, "mmmmmmmhhmmm" },
		/* 1 was hit: CLOCK moves it to the head, then 5 and 6 push it out;
		 * SIEVE leaves it at the tail, its hand passes it and it stays. */
		{ "clock", second, 8, 3, "mmmhmmmm" },
		{ "sieve", second, 8, 3, "mmmhmmmh" },
	};
	char pattern[64], naive[64];
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sim_pattern(cases[i].policy, cases[i].ids, cases[i].n, cases[i].cap, pattern);
		if (strcmp(pattern, cases[i].pattern))
			fprintf(stderr, "%s, %llu pages: %s, by hand %s\n", cases[i].policy,
				(unsigned long long)cases[i].cap, pattern, cases[i].pattern);
		KT_ASSERT(!strcmp(pattern, cases[i].pattern));
	}
	/* The naive ones agree with the hand too (they check the tests' checker). */
	naive_run(N_FIFO, belady, 12, 3, naive);
	naive[12] = '\0';
	KT_ASSERT(!strcmp(naive, "mmmmmmmhhmmh"));
	naive_run(N_LRU, belady, 12, 4, naive);
	KT_ASSERT(!strcmp(naive, "mmmmhhmhhmmm"));
	naive_run(N_OPT, belady, 12, 3, naive);
	KT_ASSERT(!strcmp(naive, "mmmmhhmhhmmh"));
	naive_run(N_CLOCK, second, 8, 3, naive);
	naive[8] = '\0';
	KT_ASSERT(!strcmp(naive, "mmmhmmmm"));
	naive_run(N_SIEVE, second, 8, 3, naive);
	KT_ASSERT(!strcmp(naive, "mmmhmmmh"));
	naive_run(N_SIEVE, belady, 12, 3, naive);
	naive[12] = '\0';
	KT_ASSERT(!strcmp(naive, "mmmmmmmhhmmm"));
}

/* ---- every registered policy: is_valid after each step of a random mix -- */

static void mix_one(const struct cache_policy_ops *ops, uint64_t cap, uint64_t limit,
		    const cache_id_t *ids, uint64_t n, const uint64_t *next)
{
	struct cache_policy_params p = { .capacity = cap, .next_use = next, .nr_requests = n };
	bool offline = ops->flags & CACHE_POLICY_OFFLINE;
	uint8_t *resident = calloc(10001, 1);
	cache_id_t *res = malloc(10001 * sizeof(*res));
	uint64_t nr = 0, i, j;
	char err[128];
	void *st;

	st = ops->create(&p, err, sizeof(err));
	KT_ASSERT(st != NULL);
	if (!st)
		goto out;
	for (i = 0; i < n; i++) {
		cache_id_t id = ids[i];
		bool hit = ops->access(st, id, i);

		KT_EQ(hit, resident[id]);
		if (!hit) {
			unsigned int tries = 0;

			while (nr >= limit) {
				cache_id_t v = ops->victim(st, id);

				KT_ASSERT(v <= 10000 && resident[v]);
				if (v > 10000 || !resident[v])
					goto out;
				/* Kernel mode: the victim turned out referenced or busy. */
				if (!offline && tries++ < 3 && rng_next() % 4 == 0) {
					KT_ASSERT(ops->access(st, v, i));
				} else {
					ops->remove(st, v, true);
					resident[v] = 0;
					for (j = 0; res[j] != v; j++)
						;
					res[j] = res[--nr];
				}
				KT_ASSERT(ops->is_valid(st));
			}
			ops->insert(st, id, i);
			resident[id] = 1;
			res[nr++] = id;
		}
		KT_ASSERT(ops->is_valid(st));
		/* Now and then a resident leaves for another reason (freed, unmapped). */
		if (nr && rng_next() % 16 == 0) {
			j = rng_next() % nr;
			ops->remove(st, res[j], false);
			resident[res[j]] = 0;
			res[j] = res[--nr];
			KT_ASSERT(ops->is_valid(st));
		}
		KT_EQ(ops->nr_resident(st), nr);
	}
	ops->destroy(st);
out:
	free(resident);
	free(res);
}

static void test_random_mix(void)
{
	const struct cache_policy_ops *ops;
	cache_id_t *ids = trace_zipf(2000, 0.8, 6000, 5);
	uint64_t *next = cache_next_use(ids, 6000);
	unsigned int i;

	KT_ASSERT(cache_policy_at(0) != NULL);
	rng_state = 99;
	for (i = 0; (ops = cache_policy_at(i)); i++) {
		kt_begin(ops->name);
		/* Cache mode (the policy knows its size), then kernel mode (capacity 0). */
		mix_one(ops, 200, 200, ids, 6000, next);
		mix_one(ops, 0, 300, ids, 6000, next);
		kt_end();
	}
	free(ids);
	free(next);
}

/* ---- cache_next_use and the argument checks ------------------------------ */

static void test_next_use(void)
{
	const struct trace *tr = &traces[0];
	uint64_t *got = cache_next_use(tr->ids, tr->n), *want = naive_next_use(tr->ids, tr->n);
	uint64_t i, bad = 0;

	for (i = 0; i < tr->n; i++)
		bad += got[i] != want[i];
	KT_EQ(bad, 0);
	free(got);
	free(want);
}

static void test_bad_args(void)
{
	const struct cache_policy_ops *ops = cache_policy_find("lru");
	struct cache_policy_params p = { .capacity = 0 };
	cache_id_t ids[] = { 1, CACHE_ID_NONE };
	struct cache_sim_result r;
	char err[128];

	KT_EQ(cache_sim_run(ops, &p, ids, 1, &r, err, sizeof(err)), -EINVAL);
	KT_STR_CONTAINS(err, "at least 1 page");
	p.capacity = 4;
	KT_EQ(cache_sim_run(ops, &p, ids, 2, &r, err, sizeof(err)), -EINVAL);
	KT_STR_CONTAINS(err, "request 1");
	KT_ASSERT(cache_policy_find("no-such-policy") == NULL);
}

/* ---- idmap against a plain array ----------------------------------------- */

static void test_idmap(void)
{
	enum { POOL = 3000 };
	cache_id_t *key = malloc(POOL * sizeof(*key));
	uint32_t *val = malloc(POOL * sizeof(*val));
	uint64_t i, nr = 0;
	struct idmap m;

	rng_state = 7;
	for (i = 0; i < POOL; i++)
		/* Half random 64-bit keys, half small and dense (page-number-like). */
		key[i] = i % 2 ? rng_next() >> (rng_next() % 8) : i;
	for (i = 0; i < POOL; i++)
		val[i] = IDMAP_NONE;
	KT_EQ(idmap_init(&m, 4), 0);
	for (i = 0; i < 200000; i++) {
		uint64_t k = rng_next() % POOL;
		uint32_t v = (uint32_t)(rng_next() % 1000000);

		switch (rng_next() % 3) {
		case 0:
		case 1:
			if (rng_next() % 2) {
				KT_EQ(idmap_put(&m, key[k], v), 0);
				nr += val[k] == IDMAP_NONE;
				val[k] = v;
			} else {
				KT_EQ(idmap_del(&m, key[k]), val[k]);
				nr -= val[k] != IDMAP_NONE;
				val[k] = IDMAP_NONE;
			}
			break;
		default:
			KT_EQ(idmap_get(&m, key[k]), val[k]);
		}
		if (i % 20000 == 0) {
			uint64_t j, bad = 0;

			for (j = 0; j < POOL; j++)
				bad += idmap_get(&m, key[j]) != val[j];
			KT_EQ(bad, 0);
		}
		KT_EQ(m.nr, nr);
	}
	idmap_destroy(&m);
	free(key);
	free(val);
}

int main(void)
{
	unsigned int t;

	make_traces();
	KT_RUN(test_hand_worked);
	KT_RUN(test_against_naive);
	KT_RUN(test_next_use);
	KT_RUN(test_bad_args);
	test_random_mix();
	KT_RUN(test_idmap);
	for (t = 0; t < NR_TRACES; t++)
		free(traces[t].ids);
	return kt_done();
}
