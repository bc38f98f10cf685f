// SPDX-License-Identifier: GPL-2.0
/*
 * test_lab_policies.c - the research policies of mm/policy/ (arc, lirs,
 * clockpro, s3fifo) on bare page ids, through <mmsim/cache_policy.h>.
 *
 *  - hand-worked sequences, derived on paper in the comments: each request's
 *    hit or miss and each victim;
 *  - properties: a scan larger than the cache does not flush ARC's T2,
 *    LIRS' LIR set or S3-FIFO's main queue; one-hit wonders leave S3-FIFO
 *    through the small queue;
 *  - is_valid after every step of randomized mixes, in cache mode and in
 *    the kernel adapter's way (capacity 0, victims answered with access(),
 *    pages freed with remove(id, false));
 *  - golden miss counts on the fixed synthetic traces of lab_traces.h, at
 *    20 and 100 pages: ARC and S3-FIFO equal libCacheSim's counts (its
 *    commit aa0fc40, measured request by request with liblibCacheSim.a,
 *    obj_size 1, the same as `cachesim F txt ALGO N --ignore-obj-size 1`;
 *    docs/policies.md has the table and how to remeasure).  LIRS and
 *    CLOCK-Pro equal naive models below (plain arrays and linear searches,
 *    written from the papers, independent of the policies' lists, hands
 *    and id map), whose counts are pinned too.  For LIRS a second model
 *    follows libCacheSim's LIRS.c step by step: it gives libCacheSim's
 *    counts exactly, and without the one step where libCacheSim leaves the
 *    paper (mm/policy/lirs.c says which) it gives ours -- so the difference
 *    is that step and nothing else.  libCacheSim has no CLOCK-Pro.
 *
 *  - every policy of the registry on the real trace shipped in the
 *    repository (tests/data/lab/small.oracleGeneral.zst), through the
 *    trace reader and cache_sim_run, at 16 and 64 pages: libCacheSim's
 *    counts where it has the policy, the naive models' where it has not
 *    (test_shipped_trace says which figure comes from where).
 *
 * The other cases' cache-mode loop is written here from the contract (not
 * cache_sim_run), so they need nothing but the policies.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/cache_policy.h>
#include "ktest.h"
#include "lab_traces.h"
#include "tools/lab/trace.h"

#define NR_VICTIMS_MAX	64

struct run {
	uint64_t misses;
	uint64_t nr_victims;
	cache_id_t victims[NR_VICTIMS_MAX];	/* the first ones */
	char hits[256];				/* 'h' / 'm' of the first requests */
	bool valid;
};

static void *must_create(const struct cache_policy_ops *ops, uint64_t cap, const char *args)
{
	struct cache_policy_params p = { .capacity = cap, .args = args };
	char err[160] = "";
	void *st = ops->create(&p, err, sizeof(err));

	if (!st) {
		fprintf(stderr, "create %s: %s\n", ops->name, err);
		exit(2);
	}
	return st;
}

/* The contract's cache mode: access, else evict while full, insert. */
static void run_cache(const struct cache_policy_ops *ops, uint64_t cap, const char *args,
		      const cache_id_t *ids, uint64_t n, bool check, struct run *r)
{
	void *st = must_create(ops, cap, args);
	uint64_t i;

	memset(r, 0, sizeof(*r));
	r->valid = true;
	for (i = 0; i < n; i++) {
		bool hit = ops->access(st, ids[i], i);

		if (i < sizeof(r->hits) - 1)
			r->hits[i] = hit ? 'h' : 'm';
		if (!hit) {
			r->misses++;
			while (ops->nr_resident(st) >= cap) {
				cache_id_t v = ops->victim(st, ids[i]);

				if (v == CACHE_ID_NONE) {
					r->valid = false;
					break;
				}
				if (r->nr_victims < NR_VICTIMS_MAX)
					r->victims[r->nr_victims] = v;
				r->nr_victims++;
				ops->remove(st, v, true);
			}
			ops->insert(st, ids[i], i);
		}
		if (check && !ops->is_valid(st))
			r->valid = false;
	}
	ops->destroy(st);
}

static const struct cache_policy_ops *find(const char *name)
{
	const struct cache_policy_ops *ops = cache_policy_find(name);

	if (!ops) {
		fprintf(stderr, "policy %s not registered\n", name);
		exit(2);
	}
	return ops;
}

static void check_victims(const struct run *r, const cache_id_t *want, unsigned int nr)
{
	unsigned int k;

	KT_EQ(r->nr_victims, nr);
	for (k = 0; k < nr && k < r->nr_victims; k++)
		KT_EQ(r->victims[k], want[k]);
}

static void test_registry(void)
{
	static const char *const names[] = { "arc", "lirs", "clockpro", "s3fifo", "linux2q" };
	unsigned int k;

	for (k = 0; k < 5; k++) {
		const struct cache_policy_ops *ops = cache_policy_find(names[k]);

		KT_ASSERT(ops && !strcmp(ops->name, names[k]) && ops->title && *ops->title);
		KT_ASSERT(ops && !(ops->flags & CACHE_POLICY_OFFLINE));
	}
}

static void test_bad_args(void)
{
	static const char *const bad[][2] = {
		{ "arc", "x=1" }, { "clockpro", "hot=3" }, { "linux2q", "ratio=2" }, { "lirs", "hir=0" },
		{ "lirs", "hir=1.5" }, { "lirs", "lir=0.5" }, { "s3fifo", "small=0" },
		{ "s3fifo", "threshold=4" }, { "s3fifo", "ghost=abc" },
	};
	unsigned int k;

	for (k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		struct cache_policy_params p = { .capacity = 10, .args = bad[k][1] };
		char err[160] = "";

		KT_ASSERT(!find(bad[k][0])->create(&p, err, sizeof(err)));
		KT_ASSERT(strstr(err, bad[k][0]) == err);
	}
	{
		struct cache_policy_params p = { .capacity = 10, .args = "hir=0.2" };
		char err[160];
		void *st = find("lirs")->create(&p, err, sizeof(err));

		KT_ASSERT(st);
		if (st)
			find("lirs")->destroy(st);
	}
}

/*
 * ARC, c = 2.  State after each request as (T1 | T2 | B1 | B2), MRU first.
 *  1 m (1|-|-|-)          2 m (2 1|-|-|-)        1 h (2|1|-|-)
 *  3 m IV.B, REPLACE: |T1|=1 > p=0: 2 -> B1        (3|1|2|-)
 *  2 m II: p = 0 + max(0/1,1) = 1; REPLACE: |T1|=1 not > 1: 1 -> B2 (3|2|-|1)
 *  1 m III: p = 1 - max(0/1,1) = 0; REPLACE: 1 > 0: 3 -> B1        (-|1 2|3|-)
 *  4 m IV.B (|T1|+|B1| = 1 < 2, 3 ids < 4): REPLACE: T1 empty: 2 -> B2
 *                                                   (4|1|3|2)
 *  5 m IV.A (|T1|+|B1| = 2): drop 3 from B1; REPLACE: 4 -> B1 (5|1|4|2)
 *  3 m IV.A: drop 4; REPLACE: 5 -> B1               (3|1|5|2)
 *  2 m III: p = max(0 - 1, 0) = 0; REPLACE (x in B2): 1 > 0: 3 -> B1
 *                                                   (-|2 1|3 5|-)
 *  5 m II: p = 0 + max(0/2, 1) = 1; REPLACE: T1 empty: 1 -> B2 (-|5 2|3|1)
 *  1 m III: p = 0; REPLACE: T1 empty: 2 -> B2        (-|1 5|3|2)
 * Victims 2 1 3 2 4 5 3 1 2; one hit.  The second victim (1, from T2 although
 * T1 holds 3) is p's adaptation at work.
 */
static void test_arc_hand(void)
{
	static const cache_id_t seq[] = { 1, 2, 1, 3, 2, 1, 4, 5, 3, 2, 5, 1 };
	static const cache_id_t victims[] = { 2, 1, 3, 2, 4, 5, 3, 1, 2 };
	struct run r;

	run_cache(find("arc"), 2, NULL, seq, 12, true, &r);
	KT_ASSERT(r.valid);
	KT_ASSERT(!strcmp(r.hits, "mmhmmmmmmmmm"));
	check_victims(&r, victims, 9);
}

/*
 * p's deltas are doubles (libCacheSim's convention, not the paper's
 * integer division): on this sequence in 5 pages a ghost hit in B1 with
 * |B2|/|B1| = 3/2 raises p by 1.5, which changes a later REPLACE.
 * libCacheSim (aa0fc40, libcachesim_run on it as a txt trace) misses 15
 * times; ARC with integer deltas would miss 14 (found by a random search
 * comparing the two).
 */
static void test_arc_fractional_delta(void)
{
	static const cache_id_t seq[] = { 7, 9, 3, 10, 5, 5, 7, 8, 4, 10,
					  4, 6, 8, 7, 1, 11, 6, 3, 8, 7 };
	struct run r;

	run_cache(find("arc"), 5, NULL, seq, 20, true, &r);
	KT_ASSERT(r.valid);
	KT_EQ(r.misses, 15);
}

/*
 * LIRS, c = 3: L_hirs = max(1, floor(0.01 * 3)) = 1, L_lirs = 2.  S top
 * first (L: LIR, H: resident HIR, n: non-resident), Q end first.
 *  1 m S[1L]                2 m S[2L 1L]             3 m S[3H 2L 1L] Q[3]
 *  1 h S[1L 3H 2L]          (prune: bottom 2L)
 *  4 m evict Q's front 3 (stays, n): S[4H 1L 3n 2L] Q[4]
 *  2 h S[2L 4H 1L 3n] -> prune drops 3n: S[2L 4H 1L]
 *  3 m evict 4 (n); 3 new HIR: S[3H 2L 4n 1L] Q[3]
 *  4 m evict 3 (n); 4 in S: LIR, S[4L 3n 2L 1L], 3 LIR > 2: 1 -> Q:
 *      S[4L 3n 2L] Q[1]
 *  1 h (HIR not in S): S[1H 4L 3n 2L] Q[1]
 *  3 m evict 1 (n); 3 in S: LIR, S[3L 1n 4L 2L]; 2 -> Q: S[3L 1n 4L] Q[2]
 *  2 h (HIR not in S): S[2H 3L 1n 4L] Q[2]
 *  4 h S[4L 2H 3L 1n] -> prune drops 1n: S[4L 2H 3L]
 *  1 m evict 2 (n); 1 new HIR: S[1H 4L 2n 3L] Q[1]
 * LRU would miss 11 of these 13 (after the first 3, every request but the
 * 4th misses); LIRS misses 8.
 */
static void test_lirs_hand(void)
{
	static const cache_id_t seq[] = { 1, 2, 3, 1, 4, 2, 3, 4, 1, 3, 2, 4, 1 };
	static const cache_id_t victims[] = { 3, 4, 3, 1, 2 };
	struct run r;

	run_cache(find("lirs"), 3, NULL, seq, 13, true, &r);
	KT_ASSERT(r.valid);
	KT_ASSERT(!strcmp(r.hits, "mmmhmhmmhmhhm"));
	check_victims(&r, victims, 5);
}

/*
 * CLOCK-Pro, m = 3, m_c = 1 (its start).  The clock listed from HAND_hot on
 * (oldest first); c: cold resident, t: in its test period, H: hot,
 * n: non-resident (in test); * marks a set reference bit.
 *  1 2 3 m  [1ct 2ct 3ct], all hands at 1
 *  1 h      [1ct* 2ct 3ct]
 *  4 m HAND_cold at 1: bit set in its test period: hot, to the head (just
 *      behind HAND_hot, which moves on to 2), m_c = 2; hot 1 > m - m_c = 1?
 *      no.  HAND_cold at 2: bit 0: victim 2; in test: stays, non-resident.
 *      4 at the head: [2n 3ct 1H 4ct], all hands at 2
 *  1 h      1's bit set
 *  5 m HAND_cold passes 2n, stops at 3: victim 3 (stays, n).
 *      [2n 3n 1H* 4ct 5ct], HAND_cold at 3
 *  3 m HAND_cold passes 3n, 1H, stops at 4: victim 4 (stays, n; 3 non-resident
 *      pages <= m).  3 was re-accessed in its test period: hot at the head,
 *      m_c = 3; hot 2 > 0 so HAND_hot runs: 2n removed (m_c = 2), 1H* bit
 *      cleared, 4n removed (m_c = 1); hot 2 > 2? no.
 *      [5ct 3H 1H], HAND_hot and HAND_cold at 5
 *  2 m HAND_cold at 5: victim 5 (stays, n).  [5n 3H 1H 2ct]
 *  1 h      1 stayed hot
 * Victims 2 3 4 5, hits 4th, 6th, 10th.  LRU (3 pages) misses 8 of these 10:
 * it evicts 1 at the 9th request.
 */
static void test_clockpro_hand(void)
{
	static const cache_id_t seq[] = { 1, 2, 3, 1, 4, 1, 5, 3, 2, 1 };
	static const cache_id_t victims[] = { 2, 3, 4, 5 };
	struct run r;

	run_cache(find("clockpro"), 3, NULL, seq, 10, true, &r);
	KT_ASSERT(r.valid);
	KT_ASSERT(!strcmp(r.hits, "mmmhmhmmmh"));
	check_victims(&r, victims, 4);
}

/*
 * linux2q, c = 4 (under a GiB: inactive_is_low is inactive < active).
 * Lists head first; a page enters inactive with PG_referenced (*).
 *  1 2 3 4 m  I[4* 3* 2* 1*]
 *  1 h  referenced and inactive: activated, bit cleared: A[1] I[4* 3* 2*]
 *  1 h  active, bit set: A[1*]
 *  5 m  3 < 1? no: victim 2         I[5* 4* 3*]
 *  6 m  victim 3; 2 m victim 4; 4 m victim 5   I[4* 2* 6*]
 *  1 h  (active, referenced: nothing)
 *  2 h, 4 h  activated: A[4 2 1*] I[6*]
 *  7 m  1 < 3: deactivate 1 (bit kept) -> I[1* 6*] A[4 2]; 2 < 2? no;
 *       victim 6                   I[7* 1*]
 *  1 h  inactive, bit set: activated: A[1 4 2] I[7*]
 *  8 m  1 < 3: deactivate 2 -> I[2 7*]; victim 7
 */
static void test_linux2q_hand(void)
{
	static const cache_id_t seq[] = { 1, 2, 3, 4, 1, 1, 5, 6, 2, 4, 1, 2, 4, 7, 1, 8 };
	static const cache_id_t victims[] = { 2, 3, 4, 5, 6, 7 };
	struct run r;

	run_cache(find("linux2q"), 4, NULL, seq, 16, true, &r);
	KT_ASSERT(r.valid);
	KT_ASSERT(!strcmp(r.hits, "mmmmhhmmmmhhhmhm"));
	check_victims(&r, victims, 6);

	/*
	 * The adapter's "referenced at reclaim": 1 and 2 activated, A[2 1];
	 * reclaim deactivates 1 (PG_referenced clear) and offers it.  Answered
	 * with access(): PG_referenced set, back to the inactive head -- still
	 * the only inactive page, so offered again; answered again: activated,
	 * A[1 2], and reclaim deactivates and offers 2.
	 */
	{
		const struct cache_policy_ops *ops = find("linux2q");
		void *st = must_create(ops, 0, NULL);
		cache_id_t k;

		for (k = 1; k <= 2; k++) {
			ops->insert(st, k, 0);
			KT_ASSERT(ops->access(st, k, 0));	/* activated */
		}
		KT_EQ(ops->victim(st, CACHE_ID_NONE), 1);
		KT_ASSERT(ops->access(st, 1, 0));
		KT_EQ(ops->victim(st, CACHE_ID_NONE), 1);
		KT_ASSERT(ops->access(st, 1, 0));
		KT_EQ(ops->victim(st, CACHE_ID_NONE), 2);
		KT_ASSERT(ops->is_valid(st));
		ops->destroy(st);
	}
}

/*
 * S3-FIFO, c = 20: S holds floor(0.1 * 20) = 2, M 18, G 18.
 * Hot pages 1..10 requested three times in a row: insertion and two hits
 * in S (freq 2 >= the threshold 2), so when the next one pushes them out
 * of S they move to M.  A scan of 1,000 new ids: each enters S, is never
 * hit, and leaves S into G (M holds 10 <= 18, so evictions come from S):
 * every victim of the scan is a scan id, and the hot set then all hits.
 */
static void test_s3fifo_one_hit_wonders(void)
{
	const struct cache_policy_ops *ops = find("s3fifo");
	cache_id_t seq[30 + 1000 + 10];
	struct run r;
	unsigned int k, n = 0;

	for (k = 1; k <= 10; k++) {
		seq[n++] = k;
		seq[n++] = k;
		seq[n++] = k;
	}
	for (k = 0; k < 1000; k++)
		seq[n++] = 1000 + k;
	for (k = 1; k <= 10; k++)
		seq[n++] = k;
	run_cache(ops, 20, NULL, seq, n, true, &r);
	KT_ASSERT(r.valid);
	KT_EQ(r.misses, 10 + 1000);
	for (k = 0; k < NR_VICTIMS_MAX && k < r.nr_victims; k++)
		KT_ASSERT(r.victims[k] >= 1000);
	/* The last 10 requests (the hot set again) all hit. */
	{
		struct run tail;

		run_cache(ops, 20, NULL, seq, n - 10, false, &tail);
		KT_EQ(r.misses, tail.misses);
	}
	/* A ghost hit goes to M: the scan's first id, requested again soon. */
	{
		cache_id_t g[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
				   17, 18, 19, 20, 21, 22, 1 };
		void *st = must_create(ops, 20, NULL);

		for (k = 0; k < 22; k++) {
			KT_ASSERT(!ops->access(st, g[k], k));
			if (ops->nr_resident(st) >= 20) {
				cache_id_t v = ops->victim(st, g[k]);

				ops->remove(st, v, true);
				KT_EQ(v, k == 20 ? 1 : 2);	/* S's tail, freq 0 */
			}
			ops->insert(st, g[k], k);
		}
		/* 1 is a ghost: a miss that now lands in M, so it survives a scan. */
		KT_ASSERT(!ops->access(st, 1, 22));
		ops->remove(st, ops->victim(st, 1), true);
		ops->insert(st, 1, 22);
		for (k = 0; k < 40; k++) {
			cache_id_t id = 5000 + k;

			if (ops->nr_resident(st) >= 20)
				ops->remove(st, ops->victim(st, id), true);
			ops->insert(st, id, 23 + k);
		}
		KT_ASSERT(ops->access(st, 1, 63));
		KT_ASSERT(ops->is_valid(st));
		ops->destroy(st);
	}
}

/* Warm @hot ids (each twice), scan @scan new ids, then the hot ids: hits? */
static uint64_t scan_then_hot_hits(const char *name, uint64_t cap, unsigned int hot,
				   unsigned int scan)
{
	cache_id_t *seq = malloc((3 * hot + scan) * sizeof(*seq));
	struct run a, b;
	unsigned int k, n = 0;

	for (k = 1; k <= hot; k++)
		seq[n++] = k;
	for (k = 1; k <= hot; k++)
		seq[n++] = k;
	for (k = 0; k < scan; k++)
		seq[n++] = 100000 + k;
	for (k = 1; k <= hot; k++)
		seq[n++] = k;
	run_cache(find(name), cap, NULL, seq, n, true, &a);
	run_cache(find(name), cap, NULL, seq, n - hot, false, &b);
	KT_ASSERT(a.valid);
	free(seq);
	return hot - (a.misses - b.misses);
}

static void test_scan_resistance(void)
{
	/* ARC: the hot set is in T2; the scan goes through T1 (p stays 0). */
	KT_EQ(scan_then_hot_hits("arc", 10, 5, 100), 5);
	/* LIRS: 9 LIR pages (L_lirs = 10 - 1); the scan passes through Q. */
	KT_EQ(scan_then_hot_hits("lirs", 10, 9, 100), 9);
	/* CLOCK-Pro: the hot set proved its reuse in its test period. */
	KT_EQ(scan_then_hot_hits("clockpro", 10, 5, 100), 5);
}

/* Randomized mixes with is_valid after every step. */
static void mix_cache_mode(const struct cache_policy_ops *ops, const char *args)
{
	uint64_t rng = 42, i;
	bool res[64] = { false };
	void *st = must_create(ops, 16, args);
	uint64_t nr = 0;

	for (i = 0; i < 6000; i++) {
		/* a hot 8 ids half the time, else any of 64 */
		cache_id_t id = (lab_rand(&rng) & 1) ? lab_rand(&rng) % 8 : lab_rand(&rng) % 64;
		bool hit = ops->access(st, id, i);

		KT_ASSERT(hit == res[id]);
		if (!hit) {
			while (ops->nr_resident(st) >= 16) {
				cache_id_t v = ops->victim(st, id);

				KT_ASSERT(v < 64 && res[v]);
				if (v >= 64 || !res[v])
					goto out;
				ops->remove(st, v, true);
				res[v] = false;
				nr--;
			}
			ops->insert(st, id, i);
			res[id] = true;
			nr++;
		}
		KT_EQ(ops->nr_resident(st), nr);
		if (!ops->is_valid(st)) {
			KT_ASSERT(!"is_valid");
			break;
		}
	}
out:
	ops->destroy(st);
}

/*
 * The kernel adapter's way: capacity 0; reclaim runs when 24 pages are
 * resident and takes 4, answering a third of the victims with access()
 * ("referenced"); pages are freed with remove(id, false) now and then.
 */
static void mix_kernel_mode(const struct cache_policy_ops *ops)
{
	uint64_t rng = 7, i;
	bool res[96] = { false };
	void *st = must_create(ops, 0, NULL);
	uint64_t nr = 0;

	for (i = 0; i < 6000; i++) {
		unsigned int op = lab_rand(&rng) % 10;
		cache_id_t id = lab_rand(&rng) % 96;

		if (op == 0) {			/* free a resident page */
			if (res[id]) {
				ops->remove(st, id, false);
				res[id] = false;
				nr--;
			}
		} else if (!ops->access(st, id, i)) {
			KT_ASSERT(!res[id]);
			if (nr >= 24) {
				unsigned int got = 0, tries = 0;

				while (got < 4 && tries++ < 64) {
					cache_id_t v = ops->victim(st, tries & 1 ? id : CACHE_ID_NONE);

					KT_ASSERT(v < 96 && res[v]);
					if (v >= 96 || !res[v])
						goto out;
					if (lab_rand(&rng) % 3 == 0) {
						KT_ASSERT(ops->access(st, v, i));
						continue;
					}
					ops->remove(st, v, true);
					res[v] = false;
					nr--;
					got++;
				}
			}
			ops->insert(st, id, i);
			res[id] = true;
			nr++;
		} else {
			KT_ASSERT(res[id]);
		}
		KT_EQ(ops->nr_resident(st), nr);
		if (!ops->is_valid(st)) {
			KT_ASSERT(!"is_valid");
			break;
		}
	}
	/* Drain: every resident page is a victim once. */
	while (nr) {
		cache_id_t v = ops->victim(st, CACHE_ID_NONE);

		KT_ASSERT(v < 96 && res[v]);
		if (v >= 96 || !res[v])
			break;
		ops->remove(st, v, true);
		res[v] = false;
		nr--;
		KT_ASSERT(ops->is_valid(st));
	}
	KT_EQ(ops->victim(st, CACHE_ID_NONE), CACHE_ID_NONE);
	KT_EQ(ops->nr_resident(st), 0);
out:
	ops->destroy(st);
}

static void test_random_mix(void)
{
	static const char *const names[] = { "arc", "lirs", "clockpro", "s3fifo", "linux2q" };
	unsigned int k;

	for (k = 0; k < 5; k++) {
		mix_cache_mode(find(names[k]), NULL);
		mix_kernel_mode(find(names[k]));
	}
	mix_cache_mode(find("lirs"), "hir=0.25");
	mix_cache_mode(find("s3fifo"), "small=0.3,threshold=1");
}

/* ---- naive models (the golden figures of LIRS and CLOCK-Pro) ---- */

/* Dense ids 0..nr-1 for a trace (its distinct ids in order of first use). */
static uint32_t *densify(const cache_id_t *ids, uint64_t n, uint32_t *nr)
{
	struct { cache_id_t id; uint64_t at; } *v = malloc(n * sizeof(*v));
	uint32_t *out = malloc(n * sizeof(*out)), next = 0;
	uint64_t i;

	/* n is small (50,000): a sort by id, then ranks by first use. */
	for (i = 0; i < n; i++) {
		v[i].id = ids[i];
		v[i].at = i;
	}
	{	/* a shell sort by (id, first use) */
		uint64_t gap, j;

		for (gap = n / 2; gap; gap /= 2)
			for (i = gap; i < n; i++) {
				__typeof__(v[0]) t = v[i];

				for (j = i; j >= gap && (v[j - gap].id > t.id ||
					(v[j - gap].id == t.id && v[j - gap].at > t.at)); j -= gap)
					v[j] = v[j - gap];
				v[j] = t;
			}
	}
	for (i = 0; i < n; i++) {
		if (!i || v[i].id != v[i - 1].id)
			next++;
		out[v[i].at] = next - 1;
	}
	*nr = next;
	free(v);
	return out;
}

static void arr_del(uint32_t *a, uint64_t *n, uint64_t k)
{
	memmove(a + k, a + k + 1, (*n - k - 1) * sizeof(*a));
	(*n)--;
}

static uint64_t arr_find(const uint32_t *a, uint64_t n, uint32_t x)
{
	uint64_t k;

	for (k = 0; k < n; k++)
		if (a[k] == x)
			return k;
	return UINT64_MAX;
}

static void arr_push_front(uint32_t *a, uint64_t *n, uint32_t x)
{
	memmove(a + 1, a, *n * sizeof(*a));
	a[0] = x;
	(*n)++;
}

/*
 * LIRS from the paper's Section 3.3, with S bounded to 2c entries by
 * forgetting the non-resident entry evicted longest ago.  S[0] is the top,
 * Q[0] the end (newest), NH[0] the latest eviction.
 */
enum { M_IN_S = 1, M_LIR = 2, M_RES = 4 };

struct mlirs {
	uint64_t c, lmax, ns, nq, nnh, nr_lir;
	uint32_t *S, *Q, *NH;
	uint8_t *st;
};

static void ml_prune(struct mlirs *m)
{
	while (m->ns && !(m->st[m->S[m->ns - 1]] & M_LIR)) {
		uint32_t x = m->S[--m->ns];

		m->st[x] &= ~M_IN_S;
		if (!(m->st[x] & M_RES)) {
			arr_del(m->NH, &m->nnh, arr_find(m->NH, m->nnh, x));
			m->st[x] = 0;
		}
	}
}

static void ml_to_top(struct mlirs *m, uint32_t x)
{
	uint64_t k = arr_find(m->S, m->ns, x);

	if (k != UINT64_MAX)
		arr_del(m->S, &m->ns, k);
	arr_push_front(m->S, &m->ns, x);
}

static void ml_make_lir(struct mlirs *m, uint32_t x)
{
	m->st[x] |= M_LIR | M_IN_S;
	m->nr_lir++;
	ml_to_top(m, x);
	while (m->nr_lir > m->lmax) {
		uint32_t b = m->S[--m->ns];

		m->st[b] &= ~(M_LIR | M_IN_S);
		m->nr_lir--;
		arr_push_front(m->Q, &m->nq, b);
		ml_prune(m);
	}
}

static void ml_limit(struct mlirs *m)
{
	while (m->ns > 2 * m->c && m->nnh) {
		uint32_t x = m->NH[--m->nnh];

		arr_del(m->S, &m->ns, arr_find(m->S, m->ns, x));
		m->st[x] = 0;
	}
}

static uint64_t model_lirs(const uint32_t *ids, uint64_t n, uint32_t nr_obj, uint64_t c)
{
	struct mlirs m = { .c = c };
	uint64_t h = c / 100 ? c / 100 : 1, misses = 0, i;

	m.lmax = c - h;
	m.S = malloc((2 * c + 2) * sizeof(uint32_t));
	m.Q = malloc((c + 2) * sizeof(uint32_t));
	m.NH = malloc((2 * c + 2) * sizeof(uint32_t));
	m.st = calloc(nr_obj, 1);
	for (i = 0; i < n; i++) {
		uint32_t x = ids[i];

		if (m.st[x] & M_RES) {
			if (m.st[x] & M_LIR) {
				ml_to_top(&m, x);
				ml_prune(&m);
			} else if (m.st[x] & M_IN_S) {
				arr_del(m.Q, &m.nq, arr_find(m.Q, m.nq, x));
				ml_make_lir(&m, x);
			} else {
				m.st[x] |= M_IN_S;
				arr_push_front(m.S, &m.ns, x);
				arr_del(m.Q, &m.nq, arr_find(m.Q, m.nq, x));
				arr_push_front(m.Q, &m.nq, x);
			}
			ml_limit(&m);
			continue;
		}
		misses++;
		if (m.nr_lir + m.nq >= c) {
			uint32_t v = m.Q[--m.nq];

			if (m.st[v] & M_IN_S) {
				m.st[v] &= ~M_RES;
				arr_push_front(m.NH, &m.nnh, v);
			} else {
				m.st[v] = 0;
			}
			ml_prune(&m);
			ml_limit(&m);
		}
		if (m.st[x] & M_IN_S) {
			arr_del(m.NH, &m.nnh, arr_find(m.NH, m.nnh, x));
			m.st[x] |= M_RES;
			ml_make_lir(&m, x);
		} else {
			m.st[x] = M_IN_S | M_RES;
			arr_push_front(m.S, &m.ns, x);
			if (m.nr_lir < m.lmax) {
				m.st[x] |= M_LIR;
				m.nr_lir++;
			} else {
				arr_push_front(m.Q, &m.nq, x);
			}
		}
		ml_limit(&m);
	}
	free(m.S);
	free(m.Q);
	free(m.NH);
	free(m.st);
	return misses;
}

/*
 * libCacheSim's LIRS (cache/eviction/LIRS.c at aa0fc40), step by step on
 * plain arrays: its S, Q and NH LRU lists, its lirs/hirs counters, its
 * prune that never removes S's top entry, and its hit on a resident HIR
 * page that is in Q but not in S, which first demotes S's bottom LIR pages
 * while the LIR set is full (evicting Q's front, possibly that very page:
 * it then stays in S as "resident" while counted nowhere).  With
 * @quirk false that one step is left out, and nothing else changes.
 */
struct mlcs {
	uint32_t *S, *Q, *NH;	/* [0]: head (most recent) */
	uint64_t ns, nq, nnh, L, H, lirs, hirs;
	uint8_t *ins, *lir, *inc, *inq;
};

static void mlcs_to_front(uint32_t *a, uint64_t *n, uint32_t x)
{
	uint64_t k = arr_find(a, *n, x);

	if (k != UINT64_MAX)
		arr_del(a, n, k);
	arr_push_front(a, n, x);
}

static void mlcs_prune(struct mlcs *m)
{
	while (m->ns > 1) {
		uint32_t y = m->S[m->ns - 1];

		if (m->lir[y])
			break;
		if (!m->inc[y]) {
			uint64_t k = arr_find(m->NH, m->nnh, y);

			if (k != UINT64_MAX)
				arr_del(m->NH, &m->nnh, k);
		}
		m->ns--;
		m->ins[y] = 0;
	}
}

static void mlcs_evict_hir(struct mlcs *m)
{
	uint32_t z = m->Q[--m->nq];

	m->inq[z] = 0;
	m->hirs--;
	m->inc[z] = 0;
	if (m->ins[z])
		arr_push_front(m->NH, &m->nnh, z);
}

static void mlcs_evict_lir(struct mlcs *m)
{
	uint32_t y = m->S[--m->ns];

	m->ins[y] = 0;
	m->lir[y] = 0;
	m->lirs--;
	while (m->hirs + 1 > m->H)
		mlcs_evict_hir(m);
	arr_push_front(m->Q, &m->nq, y);
	m->inq[y] = 1;
	m->inc[y] = 1;
	m->hirs++;
	mlcs_prune(m);
}

static uint64_t model_lirs_libcachesim(const uint32_t *ids, uint64_t n, uint32_t nr_obj,
				       uint64_t c, bool quirk)
{
	struct mlcs m = { 0 };
	uint64_t misses = 0, i;

	m.S = malloc((nr_obj + 1) * sizeof(uint32_t));
	m.Q = malloc((nr_obj + 1) * sizeof(uint32_t));
	m.NH = malloc((nr_obj + 1) * sizeof(uint32_t));
	m.ins = calloc(nr_obj, 1);
	m.lir = calloc(nr_obj, 1);
	m.inc = calloc(nr_obj, 1);
	m.inq = calloc(nr_obj, 1);
	m.H = c / 100 ? c / 100 : 1;
	m.L = c - m.H;
	for (i = 0; i < n; i++) {
		uint32_t x = ids[i];
		bool hit = false;

		if (m.ins[x])			/* find() promotes in S and in Q */
			mlcs_to_front(m.S, &m.ns, x);
		if (m.inq[x])
			mlcs_to_front(m.Q, &m.nq, x);
		if (m.ins[x] && m.lir[x]) {
			mlcs_prune(&m);
			hit = true;
		} else if (m.ins[x] && m.inc[x]) {		/* hit_RD_HIRinS */
			if (m.inq[x]) {
				m.hirs--;
				arr_del(m.Q, &m.nq, arr_find(m.Q, m.nq, x));
				m.inq[x] = 0;
			}
			while (m.lirs + 1 > m.L)
				mlcs_evict_lir(&m);
			m.lir[x] = 1;
			m.lirs++;
			hit = true;
		} else if (!m.ins[x] && m.inq[x]) {		/* hit_RD_HIRinQ */
			while (quirk && m.lirs + 1 > m.L)
				mlcs_evict_lir(&m);
			arr_push_front(m.S, &m.ns, x);
			m.ins[x] = 1;
			m.inc[x] = 1;
			hit = true;
		}
		if (!hit) {
			bool nr_in_s = m.ins[x];		/* a non-resident HIR entry */

			misses++;
			if (nr_in_s) {				/* LIRS_can_insert */
				uint64_t k;

				while (m.lirs + 1 > m.L)
					mlcs_evict_lir(&m);
				k = arr_find(m.NH, m.nnh, x);
				if (k != UINT64_MAX)
					arr_del(m.NH, &m.nnh, k);
			} else if (m.lirs + 1 > m.L && m.hirs + 1 > m.H) {
				while (m.hirs + 1 > m.H)
					mlcs_evict_hir(&m);
			}
			while (m.lirs + m.hirs + 1 > c) {	/* LIRS_evict */
				if (nr_in_s) {
					while (m.hirs >= m.H)
						mlcs_evict_hir(&m);
					mlcs_evict_lir(&m);
				} else if (m.lirs + 1 > m.L && m.hirs + 1 > m.H) {
					mlcs_evict_hir(&m);
				}
			}
			m.inc[x] = 1;				/* LIRS_insert */
			if (nr_in_s) {
				m.lir[x] = 1;
				m.lirs++;
			} else {
				arr_push_front(m.S, &m.ns, x);
				m.ins[x] = 1;
				if (m.lirs + 1 <= m.L) {
					m.lir[x] = 1;
					m.lirs++;
				} else {
					arr_push_front(m.Q, &m.nq, x);
					m.inq[x] = 1;
					m.hirs++;
				}
			}
		}
		while (m.ns > 2 * c && m.nnh) {			/* limitStack */
			uint32_t z = m.NH[--m.nnh];

			arr_del(m.S, &m.ns, arr_find(m.S, m.ns, z));
			m.ins[z] = 0;
		}
	}
	free(m.S);
	free(m.Q);
	free(m.NH);
	free(m.ins);
	free(m.lir);
	free(m.inc);
	free(m.inq);
	return misses;
}

/*
 * CLOCK-Pro (mm/policy/clockpro.c's statement of it) on a plain array: V
 * holds the clock from its first to its last position, the hands are
 * indexes; "the head" is the position just before HAND_hot.
 */
enum { K_NONE, K_HOT, K_COLD, K_TEST };

struct mcp {
	uint64_t m, m_c, n, nr_hot, nr_cold, nr_test;
	int64_t hh, hc, ht;
	uint32_t *V;
	uint8_t *kind, *ref, *test;
};

static void mc_del_at(struct mcp *s, int64_t k)
{
	int64_t *h[3] = { &s->hh, &s->hc, &s->ht };
	int j;

	arr_del(s->V, &s->n, (uint64_t)k);
	for (j = 0; j < 3; j++) {
		if (!s->n)
			*h[j] = -1;
		else if (*h[j] > k)
			(*h[j])--;
		else if (*h[j] == k && k == (int64_t)s->n)
			*h[j] = 0;
	}
}

static void mc_ins_head(struct mcp *s, uint32_t x)
{
	int64_t *h[3] = { &s->hh, &s->hc, &s->ht }, at = s->hh;
	int j;

	if (!s->n) {
		s->V[0] = x;
		s->n = 1;
		s->hh = s->hc = s->ht = 0;
		return;
	}
	memmove(s->V + at + 1, s->V + at, (s->n - (uint64_t)at) * sizeof(uint32_t));
	s->V[at] = x;
	s->n++;
	for (j = 0; j < 3; j++)
		if (*h[j] >= at)
			(*h[j])++;
}

static void mc_count(struct mcp *s, uint32_t x, int d)
{
	if (s->kind[x] == K_HOT)
		s->nr_hot += d;
	else if (s->kind[x] == K_COLD)
		s->nr_cold += d;
	else if (s->kind[x] == K_TEST)
		s->nr_test += d;
}

static void mc_forget_at(struct mcp *s, int64_t k)
{
	uint32_t x = s->V[k];

	mc_count(s, x, -1);
	s->kind[x] = K_NONE;
	mc_del_at(s, k);
}

static void mc_end_test(struct mcp *s, uint32_t x)
{
	if (s->test[x]) {
		s->test[x] = 0;
		if (!s->ref[x] && s->m_c > 1)
			s->m_c--;
	}
}

static void mc_hand_hot(struct mcp *s)
{
	while (s->nr_hot && s->nr_hot > s->m - s->m_c) {
		uint32_t x = s->V[s->hh];

		if (s->kind[x] == K_TEST) {
			if (s->m_c > 1)
				s->m_c--;
			mc_forget_at(s, s->hh);
			continue;
		}
		if (s->kind[x] == K_HOT) {
			if (s->ref[x]) {
				s->ref[x] = 0;
			} else {
				s->kind[x] = K_COLD;
				s->test[x] = 0;
				s->nr_hot--;
				s->nr_cold++;
			}
		} else {
			mc_end_test(s, x);
		}
		s->hh = (s->hh + 1) % (int64_t)s->n;
	}
}

static void mc_hand_test(struct mcp *s)
{
	while (s->nr_test > s->m) {
		uint32_t x = s->V[s->ht];

		if (s->kind[x] == K_TEST) {
			if (s->m_c > 1)
				s->m_c--;
			mc_forget_at(s, s->ht);
			continue;
		}
		if (s->kind[x] == K_COLD)
			mc_end_test(s, x);
		s->ht = (s->ht + 1) % (int64_t)s->n;
	}
}

static uint64_t model_clockpro(const uint32_t *ids, uint64_t n, uint32_t nr_obj, uint64_t m)
{
	struct mcp s = { .m = m, .m_c = 1, .hh = -1, .hc = -1, .ht = -1 };
	uint64_t misses = 0, i;

	s.V = malloc((2 * m + 2) * sizeof(uint32_t));
	s.kind = calloc(nr_obj, 1);
	s.ref = calloc(nr_obj, 1);
	s.test = calloc(nr_obj, 1);
	for (i = 0; i < n; i++) {
		uint32_t x = ids[i];

		if (s.kind[x] == K_HOT || s.kind[x] == K_COLD) {
			s.ref[x] = 1;
			continue;
		}
		misses++;
		while (s.nr_hot + s.nr_cold >= m) {	/* HAND_cold */
			uint32_t y = s.V[s.hc];

			if (s.kind[y] != K_COLD) {
				s.hc = (s.hc + 1) % (int64_t)s.n;
				continue;
			}
			if (!s.ref[y]) {
				if (s.test[y]) {
					s.kind[y] = K_TEST;
					s.nr_cold--;
					s.nr_test++;
				} else {
					mc_forget_at(&s, s.hc);
				}
				mc_hand_test(&s);
				break;
			}
			s.ref[y] = 0;
			mc_del_at(&s, s.hc);
			if (s.test[y]) {
				s.kind[y] = K_HOT;
				s.test[y] = 0;
				s.nr_cold--;
				s.nr_hot++;
				mc_ins_head(&s, y);
				if (s.m_c < m)
					s.m_c++;
				mc_hand_hot(&s);
			} else {
				s.test[y] = 1;
				mc_ins_head(&s, y);
			}
		}
		if (s.kind[x] == K_TEST) {
			mc_del_at(&s, (int64_t)arr_find(s.V, s.n, x));
			s.nr_test--;
			s.kind[x] = K_HOT;
			s.ref[x] = 0;
			s.test[x] = 0;
			s.nr_hot++;
			mc_ins_head(&s, x);
			if (s.m_c < m)
				s.m_c++;
			mc_hand_hot(&s);
		} else {
			s.kind[x] = K_COLD;
			s.ref[x] = 0;
			s.test[x] = 1;
			s.nr_cold++;
			mc_ins_head(&s, x);
		}
		mc_hand_test(&s);
	}
	free(s.V);
	free(s.kind);
	free(s.ref);
	free(s.test);
	return misses;
}

/*
 * linux2q (mm/policy/linux2q.c's statement of it) on two plain arrays, [0]
 * the head; ratio 1 (the golden caches are far under a GiB).
 */
static uint64_t model_linux2q(const uint32_t *ids, uint64_t n, uint32_t nr_obj, uint64_t c)
{
	uint32_t *I = malloc((c + 1) * sizeof(uint32_t)), *A = malloc((c + 1) * sizeof(uint32_t));
	uint8_t *where = calloc(nr_obj, 1), *ref = calloc(nr_obj, 1);	/* 1 I, 2 A */
	uint64_t ni = 0, na = 0, misses = 0, i;

	for (i = 0; i < n; i++) {
		uint32_t x = ids[i];

		if (where[x]) {
			if (!ref[x]) {
				ref[x] = 1;
			} else if (where[x] == 1) {
				arr_del(I, &ni, arr_find(I, ni, x));
				arr_push_front(A, &na, x);
				where[x] = 2;
				ref[x] = 0;
			}
			continue;
		}
		misses++;
		if (ni + na >= c) {
			uint32_t v;

			while (ni < na) {
				uint32_t t = A[--na];

				arr_push_front(I, &ni, t);
				where[t] = 1;
			}
			v = I[--ni];
			where[v] = 0;
		}
		arr_push_front(I, &ni, x);
		where[x] = 1;
		ref[x] = 1;
	}
	free(I);
	free(A);
	free(where);
	free(ref);
	return misses;
}

/*
 * The golden table: misses per trace (lab_traces.h) and cache size.
 * arc, s3fifo: libCacheSim's counts (identical semantics).
 * lirs, clockpro, linux2q: the models' counts (pinned here so that a change to a
 * model shows); libCacheSim's LIRS counts are in docs/policies.md.
 */
static const uint64_t golden_sizes[2] = { 20, 100 };
static const struct {
	const char *policy;
	uint64_t misses[LAB_TRACE_NR][2];
} golden[] = {
	{ "arc",      { { 28488, 17733 }, { 22000, 22000 }, { 36814, 25759 } } },
	{ "s3fifo",   { { 27288, 16927 }, { 22000, 6971 },  { 35628, 24624 } } },
	{ "lirs",     { { 28082, 17476 }, { 18219, 2299 }, { 36438, 25481 } } },
	{ "clockpro", { { 28071, 17211 }, { 22000, 6365 }, { 36402, 25092 } } },
	{ "linux2q",  { { 30889, 19137 }, { 22000, 22000 }, { 38759, 26696 } } },
};

/* libCacheSim's own LIRS counts (sizes 20, 100), which its model above reproduces. */
static const uint64_t golden_lirs_libcachesim[LAB_TRACE_NR][2] = {
	{ 28080, 17483 }, { 18219, 2299 }, { 36437, 25476 },
};

static void test_golden(void)
{
	unsigned int t, z, g;

	for (t = 0; t < LAB_TRACE_NR; t++) {
		uint64_t n = lab_trace_len[t];
		cache_id_t *ids = malloc(n * sizeof(*ids));
		uint32_t *dense, nr_obj;

		KT_ASSERT(!lab_trace_build(t, ids));
		dense = densify(ids, n, &nr_obj);
		for (z = 0; z < 2; z++) {
			uint64_t c = golden_sizes[z];
			uint64_t ml = model_lirs(dense, n, nr_obj, c);
			uint64_t mc = model_clockpro(dense, n, nr_obj, c);
			uint64_t m2 = model_linux2q(dense, n, nr_obj, c);

			/* libCacheSim's LIRS: its figure with its quirk, ours without. */
			KT_EQ(model_lirs_libcachesim(dense, n, nr_obj, c, true),
			      golden_lirs_libcachesim[t][z]);
			KT_EQ(model_lirs_libcachesim(dense, n, nr_obj, c, false), ml);

			for (g = 0; g < sizeof(golden) / sizeof(golden[0]); g++) {
				struct run r;

				run_cache(find(golden[g].policy), c, NULL, ids, n, false, &r);
				if (getenv("LAB_PRINT"))
					printf("%s %s %llu: %llu (lirs model %llu, clockpro model %llu)\n",
					       lab_trace_names[t], golden[g].policy,
					       (unsigned long long)c, (unsigned long long)r.misses,
					       (unsigned long long)ml, (unsigned long long)mc);
				KT_EQ(r.misses, golden[g].misses[t][z]);
				if (!strcmp(golden[g].policy, "lirs"))
					KT_EQ(r.misses, ml);
				if (!strcmp(golden[g].policy, "clockpro"))
					KT_EQ(r.misses, mc);
				if (!strcmp(golden[g].policy, "linux2q"))
					KT_EQ(r.misses, m2);
			}
		}
		free(dense);
		free(ids);
	}
}

/*
 * libCacheSim's LIRS misses 1,207 times on a loop of 1,100 ids (20 times)
 * in 1,100 pages, where everything fits and 1,100 cold misses is the most
 * any policy may take (the cache helper's table, /work/notes'
 * h17-libcachesim-figures.md).  Its model gives the same 1,207 -- and 1,100
 * without the quirk: its Q-only hit demotes LIR pages and evicts pages of a
 * cache that is not full.  Ours takes the 1,100 cold misses.
 */
static void test_lirs_libcachesim_loop(void)
{
	cache_id_t *ids = malloc(22000 * sizeof(*ids));
	uint32_t *dense, nr_obj;
	struct run r;

	lab_trace_loop(ids, 22000, 1100);
	dense = densify(ids, 22000, &nr_obj);
	KT_EQ(model_lirs_libcachesim(dense, 22000, nr_obj, 1100, true), 1207);
	KT_EQ(model_lirs_libcachesim(dense, 22000, nr_obj, 1100, false), 1100);
	run_cache(find("lirs"), 1100, NULL, ids, 22000, false, &r);
	KT_EQ(r.misses, 1100);
	free(dense);
	free(ids);
}

/*
 * The trace shipped in the repository (tests/data/lab/small.oracleGeneral.zst:
 * 201,479 requests of `ls /` under valgrind lackey, 128 pages), every policy of
 * the registry at 16 and 64 pages.  The figures and where each comes from:
 *  - lru, fifo, clock, sieve, arc, s3fifo (64), opt: libCacheSim aa0fc40's
 *    counts (`libcachesim_run FILE oracleGeneral ALGO SIZE`, belady for opt);
 *    lru and opt also equal an independent Python LRU and MIN
 *    (tests/data/lab/README.md);
 *  - lirs: the naive model above, which with libCacheSim's quirk gives
 *    libCacheSim's own 2553 / 173;
 *  - clockpro, linux2q: the naive models above (libCacheSim has neither);
 *  - s3fifo at 16 pages: libCacheSim admits nothing there (201,479 misses:
 *    its small queue rounds to one page and every object leaves it at once),
 *    so the figure is ours alone, pinned; docs/policies.md explains it.
 */
static const struct {
	const char *policy;
	uint64_t misses[2];		/* at 16 and 64 pages */
} golden_shipped[] = {
	{ "lru",    { 2532, 162 } }, { "fifo",  { 3572, 229 } }, { "clock", { 2723, 173 } },
	{ "sieve",  { 2480, 178 } }, { "arc",   { 2507, 165 } }, { "s3fifo", { 2535, 189 } },
	{ "opt",    { 1451, 131 } },
};

static void test_shipped_trace(void)
{
	const char *src = getenv("MMSIM_SRCDIR");
	static const uint64_t sizes[2] = { 16, 64 };
	char path[4096], err[256];
	cache_id_t *ids;
	uint32_t *dense, nr_obj;
	uint64_t n, z;
	unsigned int i, checked = 0;
	const struct cache_policy_ops *ops;

	snprintf(path, sizeof(path), "%s/tests/data/lab/small.oracleGeneral.zst", src ? src : ".");
	if (trace_load_ids(path, TRACE_FMT_AUTO, &ids, &n, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		KT_ASSERT(0);
		return;
	}
	KT_EQ(n, 201479);
	dense = densify(ids, n, &nr_obj);
	KT_EQ(nr_obj, 128);
	for (z = 0; z < 2; z++) {
		uint64_t c = sizes[z];

		KT_EQ(model_lirs_libcachesim(dense, n, nr_obj, c, true), z ? 173 : 2553);
		for (i = 0; (ops = cache_policy_at(i)); i++) {
			struct cache_policy_params p = { .capacity = c };
			struct cache_sim_result res;
			uint64_t want = 0;
			unsigned int g;

			if (ops->flags & CACHE_POLICY_OFFLINE) {
				p.next_use = cache_next_use(ids, n);
				p.nr_requests = n;
			}
			KT_ASSERT(!cache_sim_run(ops, &p, ids, n, &res, err, sizeof(err)));
			free((void *)p.next_use);
			for (g = 0; g < sizeof(golden_shipped) / sizeof(golden_shipped[0]); g++)
				if (!strcmp(golden_shipped[g].policy, ops->name))
					want = golden_shipped[g].misses[z];
			if (!strcmp(ops->name, "lirs"))
				want = model_lirs(dense, n, nr_obj, c);
			if (!strcmp(ops->name, "clockpro"))
				want = model_clockpro(dense, n, nr_obj, c);
			if (!strcmp(ops->name, "linux2q"))
				want = model_linux2q(dense, n, nr_obj, c);
			if (getenv("LAB_PRINT"))
				printf("shipped %s %llu: %llu (want %llu)\n", ops->name,
				       (unsigned long long)c, (unsigned long long)res.misses,
				       (unsigned long long)want);
			KT_ASSERT(want != 0);	/* every registered policy has a figure */
			KT_EQ(res.misses, want);
			checked++;
		}
	}
	KT_ASSERT(checked >= 20);
	free(dense);
	free(ids);
}

int main(void)
{
	KT_RUN(test_registry);
	KT_RUN(test_bad_args);
	KT_RUN(test_arc_hand);
	KT_RUN(test_arc_fractional_delta);
	KT_RUN(test_lirs_hand);
	KT_RUN(test_clockpro_hand);
	KT_RUN(test_linux2q_hand);
	KT_RUN(test_s3fifo_one_hit_wonders);
	KT_RUN(test_scan_resistance);
	KT_RUN(test_random_mix);
	KT_RUN(test_golden);
	KT_RUN(test_lirs_libcachesim_loop);
	KT_RUN(test_shipped_trace);
	return kt_done();
}
