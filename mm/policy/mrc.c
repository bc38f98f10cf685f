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
 * ids densely for the "last position" array.  The positions live in a
 * window that is compacted when full (only their order matters), so the
 * tree stays a few times the number of distinct ids, not the trace's
 * length, and stays in the CPU's caches longer.
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
 * Memory: 8 bytes a window position (2 to 4 per distinct id, at least
 * 4 k), 4 a distinct id, 8 a histogram bucket, plus the idmap.  No state outlives a call; thread-safe.
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

/*
 * The Fenwick tree over a window of positions 1..n: t[] the tree, owner[p]
 * the dense id whose last request sits at position p (MRC_NONE: none).
 * When the window is full, compaction renumbers the marked positions
 * 1..marks in order (order is all the distances need) and rebuilds the
 * tree in O(n); the window is kept at least twice the marks, so each
 * compaction pays for the half window of requests before it.
 */
#define MRC_NONE	UINT32_MAX
#define MRC_MIN_WINDOW	(1u << 12)

struct fenwick {
	uint32_t *t;		/* t[1..n] */
	uint32_t *owner;	/* owner[1..n]: dense id marked there, or MRC_NONE */
	uint64_t n;		/* window size */
	uint64_t used;		/* positions 1..used handed out since the last compaction */
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

/* Renumber the @marks marked positions 1..marks (updating @last), maybe grow, rebuild. */
static int fenwick_compact(struct fenwick *f, uint32_t *last, uint64_t marks)
{
	uint64_t p, q = 0, n = f->n;

	for (p = 1; p <= f->used; p++)
		if (f->owner[p] != MRC_NONE) {
			f->owner[++q] = f->owner[p];
			last[f->owner[q]] = (uint32_t)q;
		}
	if (marks * 2 > n) {
		uint32_t *t, *o;

		n = marks * 4;
		if (n >= MRC_NONE)
			return -ENOMEM;
		t = realloc(f->t, (n + 1) * sizeof(*t));
		if (!t)
			return -ENOMEM;
		f->t = t;
		o = realloc(f->owner, (n + 1) * sizeof(*o));
		if (!o)
			return -ENOMEM;
		f->owner = o;
		f->n = n;
	}
	for (p = q + 1; p <= n; p++)
		f->owner[p] = MRC_NONE;
	/* Linear build: each node adds itself into its parent. */
	for (p = 1; p <= n; p++)
		f->t[p] = f->owner[p] != MRC_NONE;
	for (p = 1; p <= n; p++) {
		uint64_t up = p + (p & -p);

		if (up <= n)
			f->t[up] += f->t[p];
	}
	f->used = q;
	return 0;
}

int mrc_lru(const cache_id_t *ids, uint64_t n, double sample_rate,
	    const uint64_t *sizes, unsigned int nr_sizes, uint64_t *misses)
{
	uint64_t threshold = SHARDS_P, nr_ids = 0, cold = 0, marks = 0, i;
	uint32_t *last = NULL;
	uint64_t *hist = NULL, cap_ids = 0;
	struct fenwick f = { NULL, NULL, MRC_MIN_WINDOW, 0 };
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
	f.t = calloc(f.n + 1, sizeof(*f.t));
	f.owner = malloc((f.n + 1) * sizeof(*f.owner));
	if (!f.t || !f.owner || idmap_init(&map, 1024)) {
		free(f.t);
		free(f.owner);
		return -ENOMEM;
	}
	/* hist[d]: sampled requests at stack distance d (1-based); grown with the ids. */
	for (i = 0; i < n; i++) {
		cache_id_t id = ids[i];
		uint32_t d;

		if (threshold != SHARDS_P && (shards_hash(id) & (SHARDS_P - 1)) >= threshold)
			continue;
		if (id == CACHE_ID_NONE) {
			ret = -EINVAL;
			goto out;
		}
		d = idmap_get(&map, id);
		if (d == IDMAP_NONE) {
			if (nr_ids == cap_ids) {
				uint64_t c = cap_ids ? 2 * cap_ids : 1024;
				uint32_t *l = c < MRC_NONE ? realloc(last, c * sizeof(*l)) : NULL;
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
			f.owner[p] = MRC_NONE;
			marks--;
		}
		if (f.used == f.n && fenwick_compact(&f, last, marks))
			goto out;
		last[d] = (uint32_t)++f.used;
		f.owner[f.used] = d;
		fenwick_add(&f, f.used, 1);
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
	free(f.owner);
	free(last);
	free(hist);
	return ret;
}
