// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/lirs.c - LIRS, the Low Inter-reference Recency Set policy.
 *
 * S. Jiang and X. Zhang, "LIRS: An Efficient Low Inter-reference Recency
 * Set Replacement Policy to Improve Buffer Cache Performance", ACM
 * SIGMETRICS 2002 (Section 3.3).
 *
 * The algorithm.  c pages: at most L_lirs = c - L_hirs are LIR (low
 * inter-reference recency) pages, the rest, L_hirs = max(1, floor(hir c))
 * with hir = 1% by default, are resident HIR pages.  Two structures:
 *   stack S: LIR pages, and HIR pages (resident or not) more recent than
 *            the oldest LIR page, in recency order; its bottom is always an
 *            LIR page ("stack pruning" removes the HIR entries below the
 *            oldest LIR page; a pruned non-resident entry is forgotten);
 *   queue Q: every resident HIR page, in the order of their last access.
 * On a request for x:
 *   1 x LIR (a hit): move x to the top of S; prune.
 *   2 x resident HIR (a hit): if x is in S, x becomes LIR at S's top and
 *     leaves Q, and S's bottom LIR page becomes a resident HIR page at Q's
 *     end; prune.  Else x stays HIR, goes to S's top and Q's end.
 *   3 x not resident (a miss): when the cache is full, evict the resident
 *     HIR page at Q's front (it stays in S, non-resident, if it is there).
 *     If x is in S (a non-resident HIR entry), x becomes LIR at S's top and
 *     S's bottom LIR page moves to Q's end, as in 2; else x becomes a
 *     resident HIR page at S's top and Q's end.  While fewer than L_lirs
 *     pages are LIR (the cache warming up), x becomes LIR instead.
 *
 * Bounding the non-resident entries: the paper leaves them unbounded
 * (they leave S only by pruning).  Like libCacheSim (cache/eviction/LIRS.c,
 * limitStack()), S is kept at most 2c entries by forgetting non-resident
 * entries, the one evicted longest ago first (list NH, their eviction
 * order), after every request, hit or miss, so the metadata stays O(c).
 *
 * Difference from libCacheSim, on purpose: libCacheSim's hit on a resident
 * HIR page that is in Q but not in S (case 2, second half) also demotes
 * S's bottom LIR page into Q and evicts Q's front page -- an eviction on a
 * hit, which the paper does not do, and which the contract of
 * <mmsim/cache_policy.h> cannot express (access() never evicts).  So our
 * miss counts are the paper's; docs/policies.md shows both.
 *
 * Parameter (args): hir=F, the HIR share 0 < F < 1 (default 0.01).
 *
 * The contract: access() is cases 1 and 2; victim() returns Q's front
 * page (S's bottom LIR page when Q is empty, which only a capacity-0 cache
 * can see); remove(v, true) makes v a non-resident entry when it is in S
 * (an evicted LIR page is forgotten and S pruned); insert() is case 3.
 *
 * Capacity 0 (kernel mode): c is the number of resident pages after the
 * insert (at least 1), so L_lirs follows the cache's size and S holds at
 * most twice the resident count of entries with history.
 *
 * Invariants (lirs_is_valid): the lists' links match their counters; S's
 * bottom is LIR; LIR pages are resident, in S, not in Q; resident HIR
 * pages are in Q; non-resident entries are in S and on NH; |Q| + nr_lir
 * = resident; every node is in the id map once, nothing else is; |S| <= 2c
 * unless NH is empty; with a capacity, resident <= c, nr_lir <= L_lirs.
 * Single-threaded: the caller serializes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mmsim/cache_policy.h>
#include <mmsim/printk.h>
#include "mm/policy/idmap.h"
#include "mm/policy/plist.h"

#define LIRS_IN_S	0x1	/* on stack S */
#define LIRS_LIR	0x2	/* an LIR page (else HIR) */
#define LIRS_RESIDENT	0x4	/* resident (on Q when HIR); else on NH */

struct lirs_node {
	struct plist_link s_lk;	/* on S when LIRS_IN_S */
	struct plist_link q_lk;	/* on Q (resident HIR) or NH (non-resident) */
	cache_id_t id;
	uint8_t flags;
};

struct lirs {
	uint64_t capacity;	/* pages; 0: the caller evicts */
	double hir_ratio;	/* L_hirs / c */
	uint64_t nr_lir;	/* LIR pages */
	struct plist s;		/* stack S: head = top (most recent) */
	struct plist q;		/* queue Q: head = end (newest), tail = front */
	struct plist nh;	/* non-resident entries, newest eviction first */
	struct plist_pool pool;
	struct idmap map;
};

static inline struct lirs_node *lirs_node(struct lirs *s, uint32_t i)
{
	return pl_node(&s->pool, i);
}

static uint64_t lirs_c(const struct lirs *s)
{
	uint64_t r = s->nr_lir + s->q.nr;

	if (s->capacity)
		return s->capacity;
	return r ? r : 1;
}

static uint64_t lirs_lir_max(const struct lirs *s)
{
	uint64_t c = lirs_c(s), h = (uint64_t)(s->hir_ratio * (double)c);

	if (!h)
		h = 1;
	return c > h ? c - h : 0;
}

static int lirs_arg(void *arg, const char *key, const char *val)
{
	struct lirs *s = arg;

	if (!strcmp(key, "hir"))
		return policy_parse_ratio(val, &s->hir_ratio);
	return -EINVAL;
}

static void *lirs_create(const struct cache_policy_params *p, char *err, size_t errlen)
{
	struct lirs *s = calloc(1, sizeof(*s));

	if (!s)
		goto nomem;
	s->capacity = p->capacity;
	s->hir_ratio = 0.01;
	if (policy_parse_args(p->args, lirs_arg, s)) {
		snprintf(err, errlen, "lirs: bad argument '%s' (hir=F with 0<F<1)", p->args);
		free(s);
		return NULL;
	}
	plist_init(&s->s, offsetof(struct lirs_node, s_lk));
	plist_init(&s->q, offsetof(struct lirs_node, q_lk));
	plist_init(&s->nh, offsetof(struct lirs_node, q_lk));
	if (plist_table_init(&s->pool, &s->map, sizeof(struct lirs_node), 2 * p->capacity + 1))
		goto nomem_s;
	return s;
nomem_s:
	free(s);
nomem:
	snprintf(err, errlen, "lirs: out of memory");
	return NULL;
}

static void lirs_destroy(void *st)
{
	struct lirs *s = st;

	plist_table_destroy(&s->pool, &s->map);
	free(s);
}

static void lirs_forget(struct lirs *s, uint32_t i)
{
	idmap_del(&s->map, lirs_node(s, i)->id);
	plist_free(&s->pool, i);
}

/* Stack pruning: pop HIR entries off S's bottom until it is LIR. */
static void lirs_prune(struct lirs *s)
{
	uint32_t t;

	while ((t = s->s.tail) != PL_NONE) {
		struct lirs_node *n = lirs_node(s, t);

		if (n->flags & LIRS_LIR)
			return;
		plist_del(&s->pool, &s->s, t);
		n->flags &= ~LIRS_IN_S;
		if (!(n->flags & LIRS_RESIDENT)) {
			plist_del(&s->pool, &s->nh, t);
			lirs_forget(s, t);
		}
	}
}

/* S's bottom LIR page becomes a resident HIR page at Q's end; prune. */
static void lirs_demote_bottom(struct lirs *s)
{
	uint32_t t = s->s.tail;
	struct lirs_node *n = lirs_node(s, t);

	plist_del(&s->pool, &s->s, t);
	n->flags &= ~(LIRS_IN_S | LIRS_LIR);
	s->nr_lir--;
	plist_push_head(&s->pool, &s->q, t);
	lirs_prune(s);
}

/* @i (in S) becomes LIR at S's top; LIR pages past L_lirs are demoted. */
static void lirs_make_lir(struct lirs *s, uint32_t i)
{
	lirs_node(s, i)->flags |= LIRS_LIR;
	s->nr_lir++;
	plist_move_head(&s->pool, &s->s, i);
	while (s->nr_lir > lirs_lir_max(s))
		lirs_demote_bottom(s);
}

/* Keep |S| <= 2c: forget the non-resident entries evicted longest ago. */
static void lirs_limit_stack(struct lirs *s)
{
	uint64_t c = lirs_c(s);

	while (s->s.nr > 2 * c && s->nh.nr) {
		uint32_t t = s->nh.tail;

		plist_del(&s->pool, &s->nh, t);
		plist_del(&s->pool, &s->s, t);
		lirs_forget(s, t);
	}
}

static bool lirs_access(void *st, cache_id_t id, uint64_t seq)
{
	struct lirs *s = st;
	uint32_t i = idmap_get(&s->map, id);
	struct lirs_node *n;

	(void)seq;
	if (i == IDMAP_NONE)
		return false;
	n = lirs_node(s, i);
	if (!(n->flags & LIRS_RESIDENT))
		return false;
	if (n->flags & LIRS_LIR) {				/* case 1 */
		plist_move_head(&s->pool, &s->s, i);
		lirs_prune(s);
	} else if (n->flags & LIRS_IN_S) {			/* case 2, in S */
		plist_del(&s->pool, &s->q, i);
		lirs_make_lir(s, i);
	} else {						/* case 2, not in S */
		n->flags |= LIRS_IN_S;
		plist_push_head(&s->pool, &s->s, i);
		plist_move_head(&s->pool, &s->q, i);
		lirs_prune(s);		/* no LIR page at all: capacity 0 only */
	}
	lirs_limit_stack(s);
	return true;
}

static cache_id_t lirs_victim(void *st, cache_id_t incoming)
{
	struct lirs *s = st;

	(void)incoming;
	if (s->q.nr)
		return lirs_node(s, s->q.tail)->id;
	if (s->s.nr)
		return lirs_node(s, s->s.tail)->id;	/* all LIR: capacity 0 only */
	return CACHE_ID_NONE;
}

static void lirs_remove(void *st, cache_id_t id, bool evicted)
{
	struct lirs *s = st;
	uint32_t i = idmap_get(&s->map, id);
	struct lirs_node *n;

	if (WARN(i == IDMAP_NONE || !(lirs_node(s, i)->flags & LIRS_RESIDENT),
		 "lirs: remove of %llu, not resident\n", (unsigned long long)id))
		return;
	n = lirs_node(s, i);
	if (n->flags & LIRS_LIR) {
		plist_del(&s->pool, &s->s, i);
		s->nr_lir--;
		lirs_forget(s, i);
	} else {
		plist_del(&s->pool, &s->q, i);
		if (evicted && (n->flags & LIRS_IN_S)) {
			n->flags &= ~LIRS_RESIDENT;
			plist_push_head(&s->pool, &s->nh, i);
		} else {
			if (n->flags & LIRS_IN_S)
				plist_del(&s->pool, &s->s, i);
			lirs_forget(s, i);
		}
	}
	lirs_prune(s);
	lirs_limit_stack(s);
}

static void lirs_insert(void *st, cache_id_t id, uint64_t seq)
{
	struct lirs *s = st;
	uint32_t i = idmap_get(&s->map, id);
	struct lirs_node *n;

	(void)seq;
	if (i != IDMAP_NONE) {					/* case 3, in S */
		n = lirs_node(s, i);
		if (WARN(n->flags & LIRS_RESIDENT, "lirs: insert of %llu, already resident\n",
			 (unsigned long long)id))
			return;
		plist_del(&s->pool, &s->nh, i);
		n->flags |= LIRS_RESIDENT;
		lirs_make_lir(s, i);
	} else {
		i = plist_alloc(&s->pool);
		if (i == PL_NONE || idmap_put(&s->map, id, i)) {
			fprintf(stderr, "lirs: out of memory\n");
			abort();
		}
		n = lirs_node(s, i);
		n->id = id;
		n->flags = LIRS_IN_S | LIRS_RESIDENT;
		plist_push_head(&s->pool, &s->s, i);
		/* c counts @id already (capacity 0): add to Q first. */
		plist_push_head(&s->pool, &s->q, i);
		if (s->nr_lir < lirs_lir_max(s)) {		/* warming up */
			plist_del(&s->pool, &s->q, i);
			n->flags |= LIRS_LIR;
			s->nr_lir++;
		}
		lirs_prune(s);		/* no LIR page at all: capacity 0 only */
	}
	lirs_limit_stack(s);
}

static uint64_t lirs_nr_resident(void *st)
{
	struct lirs *s = st;

	return s->nr_lir + s->q.nr;
}

static bool lirs_is_valid(void *st)
{
	struct lirs *s = st;
	uint64_t lir = 0, in_s = 0, c = lirs_c(s);
	uint32_t i;

	if (WARN(!plist_check(&s->pool, &s->s) || !plist_check(&s->pool, &s->q) ||
		 !plist_check(&s->pool, &s->nh), "lirs: a list is corrupt\n"))
		return false;
	for (i = s->s.head; i != PL_NONE; i = lirs_node(s, i)->s_lk.next) {
		struct lirs_node *n = lirs_node(s, i);

		in_s++;
		lir += !!(n->flags & LIRS_LIR);
		if (WARN(!(n->flags & LIRS_IN_S) || idmap_get(&s->map, n->id) != i ||
			 ((n->flags & LIRS_LIR) && !(n->flags & LIRS_RESIDENT)),
			 "lirs: S entry %llu bad (flags %#x)\n", (unsigned long long)n->id,
			 n->flags))
			return false;
	}
	if (WARN(s->s.tail != PL_NONE && !(lirs_node(s, s->s.tail)->flags & LIRS_LIR),
		 "lirs: S's bottom is not LIR\n"))
		return false;
	for (i = s->q.head; i != PL_NONE; i = lirs_node(s, i)->q_lk.next) {
		struct lirs_node *n = lirs_node(s, i);

		if (WARN((n->flags & (LIRS_LIR | LIRS_RESIDENT)) != LIRS_RESIDENT ||
			 idmap_get(&s->map, n->id) != i,
			 "lirs: Q entry %llu bad (flags %#x)\n", (unsigned long long)n->id,
			 n->flags))
			return false;
	}
	for (i = s->nh.head; i != PL_NONE; i = lirs_node(s, i)->q_lk.next) {
		struct lirs_node *n = lirs_node(s, i);

		if (WARN((n->flags & (LIRS_LIR | LIRS_RESIDENT | LIRS_IN_S)) != LIRS_IN_S,
			 "lirs: NH entry %llu bad (flags %#x)\n", (unsigned long long)n->id,
			 n->flags))
			return false;
	}
	if (WARN(lir != s->nr_lir, "lirs: %llu LIR in S, counter %llu\n",
		 (unsigned long long)lir, (unsigned long long)s->nr_lir))
		return false;
	/* nodes = S + (Q not in S); S = LIR + (Q in S) + NH */
	{
		uint64_t q_in_s = in_s - lir - s->nh.nr;

		if (WARN(q_in_s > s->q.nr || s->map.nr != in_s + s->q.nr - q_in_s,
			 "lirs: map holds %llu ids, lists say otherwise\n",
			 (unsigned long long)s->map.nr))
			return false;
	}
	if (WARN(s->nh.nr && s->s.nr > 2 * c, "lirs: S has %llu entries, bound %llu\n",
		 (unsigned long long)s->s.nr, (unsigned long long)(2 * c)))
		return false;
	if (WARN(s->capacity && (lirs_nr_resident(s) > c || s->nr_lir > lirs_lir_max(s)),
		 "lirs: over capacity\n"))
		return false;
	return true;
}

const struct cache_policy_ops cache_policy_lirs = {
	.name = "lirs",
	.title = "LIRS: Jiang & Zhang, SIGMETRICS 2002",
	.access = lirs_access,
	.insert = lirs_insert,
	.victim = lirs_victim,
	.remove = lirs_remove,
	.create = lirs_create,
	.destroy = lirs_destroy,
	.nr_resident = lirs_nr_resident,
	.is_valid = lirs_is_valid,
};
