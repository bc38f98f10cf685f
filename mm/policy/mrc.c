// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/mrc.c - LRU miss-ratio curves in one pass (mrc_lru).
 *
 * Mattson's stack distances (Mattson, Gecsei, Slutz and Traiger,
 * "Evaluation techniques for storage hierarchies", IBM Systems Journal
 * 9(2), 1970): LRU is a stack algorithm, so a request hits in a cache of C
 * pages iff its stack distance -- the number of distinct ids touched since
 * the previous request for the same id, plus one -- is at most C; a first
 * request misses at every size.  One pass gives the histogram of distances
 * and so the misses at every size.
 *
 * The distances in O(N log N) (the Bennett-Kruskal idea, 1975): a Fenwick
 * tree over request positions holds a 1 at the position of each id's last
 * request and 0 elsewhere.  At request t for an id last requested at p,
 * the ids touched since are the marks after p: (marks in all) - (marks at
 * positions <= p); then p is unmarked and t marked.  An idmap numbers the
 * ids densely for the "last position" array.
 *
 * SHARDS, fixed rate (Waldspurger, Park, Garthwaite and Ahmad, "Efficient
 * MRC construction with SHARDS", FAST 2015): with 0 < rate < 1 only the
 * requests of ids whose hash mod P is below T = rate * P are followed
 * (P = 2^24; every request of a chosen id is kept, so its distances within
 * the sample are the full ones scaled by rate); a sampled distance d stands
 * for d / R and each sampled miss for 1 / R misses, R = T / P the rate
 * actually applied.  Misses at C pages = (sampled misses at distance
 * > floor(C * R)) / R, rounded.
 *
 * Memory: 4 bytes a (sampled) request for the tree, 4 a distinct id, 8 a
 * histogram bucket.  No state outlives a call; thread-safe.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "mm/policy/idmap.h"

#define SHARDS_P	(1ULL << 24)

static uint64_t shards_hash(cache_id_t id)
{
	/* splitmix64's finalizer: every input bit reaches the low 24. */
	id ^= id >> 30;
	id *= 0xbf58476d1ce4e5b9ULL;
	id ^= id >> 27;
	id *= 0x94d049bb133111ebULL;
	return id ^ (id >> 31);
}

struct fenwick {
	uint32_t *t;		/* t[1..n] */
	uint64_t n;
};

static void fenwick_add(struct fenwick *f, uint64_t i, int32_t v)
{
	for (; i <= f->n; i += i & -i)
		f->t[i] += (uint32_t)v;
}

static uint64_t fenwick_prefix(const struct fenwick *f, uint64_t i)
{
	uint64_t s = 0;

	for (; i; i &= i - 1)
		s += f->t[i];
	return s;
}

int mrc_lru(const cache_id_t *ids, uint64_t n, double sample_rate,
	    const uint64_t *sizes, unsigned int nr_sizes, uint64_t *misses)
{
	uint64_t threshold = SHARDS_P, m = 0, nr_ids = 0, cold = 0, marks = 0, i;
	uint32_t *last = NULL;
	uint64_t *hist = NULL, cap_ids = 0;
	struct fenwick f = { NULL, 0 };
	struct idmap map;
	double rate = 1.0;
	unsigned int k;
	int ret = -ENOMEM;

	if ((!ids && n) || (!sizes && nr_sizes) || (!misses && nr_sizes) ||
	    !(sample_rate > 0 && sample_rate <= 1))
		return -EINVAL;
	if (sample_rate < 1) {
		threshold = (uint64_t)llround(sample_rate * SHARDS_P);
		if (!threshold)
			threshold = 1;
		rate = (double)threshold / SHARDS_P;
	}
	/* The sampled requests (all of them at rate 1). */
	for (i = 0; i < n; i++)
		m += threshold == SHARDS_P || (shards_hash(ids[i]) & (SHARDS_P - 1)) < threshold;
	if (m >= UINT32_MAX)
		return -ENOMEM;
	f.n = m;
	f.t = calloc(m + 1, sizeof(*f.t));
	if (!f.t || idmap_init(&map, 1024)) {
		free(f.t);
		return -ENOMEM;
	}
	/* hist[d]: sampled requests at stack distance d (1-based); grown with the ids. */
	for (i = 0, m = 0; i < n; i++) {
		cache_id_t id = ids[i];
		uint32_t d;

		if (threshold != SHARDS_P && (shards_hash(id) & (SHARDS_P - 1)) >= threshold)
			continue;
		m++;	/* this request's position, 1-based */
		d = id == CACHE_ID_NONE ? IDMAP_NONE : idmap_get(&map, id);
		if (id == CACHE_ID_NONE) {
			ret = -EINVAL;
			goto out;
		}
		if (d == IDMAP_NONE) {
			if (nr_ids == cap_ids) {
				uint64_t c = cap_ids ? 2 * cap_ids : 1024;
				uint32_t *l = c < IDMAP_NONE ? realloc(last, c * sizeof(*l)) : NULL;
				uint64_t *h = l ? realloc(hist, (c + 2) * sizeof(*h)) : NULL;

				if (l)
					last = l;
				if (!h)
					goto out;
				hist = h;
				memset(hist + cap_ids + (cap_ids ? 2 : 0), 0,
				       (c + 2 - cap_ids - (cap_ids ? 2 : 0)) * sizeof(*h));
				cap_ids = c;
			}
			d = (uint32_t)nr_ids++;
			if (idmap_put(&map, id, d))
				goto out;
			cold++;
		} else {
			uint64_t p = last[d];

			hist[marks - fenwick_prefix(&f, p) + 1]++;
			fenwick_add(&f, p, -1);
			marks--;
		}
		last[d] = (uint32_t)m;
		fenwick_add(&f, m, 1);
		marks++;
	}
	/* hist[d] becomes the sampled misses at every size below d: suffix sums. */
	for (i = nr_ids; i >= 1; i--)
		hist[i] += hist[i + 1];
	for (k = 0; k < nr_sizes; k++) {
		uint64_t c = sizes[k], sampled;

		if (!c) {
			misses[k] = n;
			continue;
		}
		if (rate < 1)
			c = (uint64_t)floor((double)c * rate);
		sampled = cold + (c + 1 <= nr_ids ? hist[c + 1] : 0);
		misses[k] = rate < 1 ? (uint64_t)llround((double)sampled / rate) : sampled;
		if (misses[k] > n)
			misses[k] = n;
	}
	ret = 0;
out:
	idmap_destroy(&map);
	free(f.t);
	free(last);
	free(hist);
	return ret;
}
