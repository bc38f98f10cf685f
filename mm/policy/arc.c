// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/arc.c - ARC, the Adaptive Replacement Cache.
 *
 * N. Megiddo and D. S. Modha, "ARC: A Self-Tuning, Low Overhead
 * Replacement Cache", USENIX FAST 2003 (Fig. 4, "ARC(c)").
 *
 * The algorithm.  c pages of cache; four LRU lists of page ids:
 *   T1 resident, seen once recently        B1 ghosts evicted from T1
 *   T2 resident, seen at least twice       B2 ghosts evicted from T2
 * and a target p (0 <= p <= c) for |T1|.  On a request for x:
 *   I   x in T1 or T2 (a hit): move x to the MRU end of T2.
 *   II  x in B1 (a miss): p = min(c, p + max(|B2|/|B1|, 1));
 *       REPLACE(x); move x from B1 to the MRU end of T2.
 *   III x in B2 (a miss): p = max(0, p - max(|B1|/|B2|, 1));
 *       REPLACE(x); move x from B2 to the MRU end of T2.
 *   IV  x nowhere (a miss):
 *       A |T1|+|B1| = c: if |T1| < c, drop B1's LRU ghost and REPLACE(x);
 *         else evict T1's LRU page with no ghost;
 *       B |T1|+|B1| < c: if the four lists hold 2c ids, drop B2's LRU
 *         ghost; REPLACE(x) when the cache is full;
 *       put x at the MRU end of T1.
 *   REPLACE(x): if |T1| >= 1 and (|T1| > p or (x in B2 and |T1| = p)),
 *       evict T1's LRU page into B1's MRU end; else T2's LRU into B2's.
 *
 * libCacheSim's conventions, followed here so that miss counts are equal
 * (libCacheSim/cache/eviction/ARC.c): p is a double and so is the
 * quotient of the deltas (the paper's integer division would differ);
 * REPLACE also takes T1's page when T2 is empty.
 *
 * How the contract (<mmsim/cache_policy.h>) maps it.  access() is case I
 * only.  victim(x) is REPLACE, or IV.A's "T1's LRU page": when x is a
 * ghost it first applies II/III's adaptation of p (once per miss: the
 * id adapted for is remembered in adapted_for, so the kernel adapter may
 * call victim() again after answering with access()).  remove(v, true)
 * moves v to the MRU end of B1 or B2.  insert(x) finishes II/III (or
 * adapts p itself when no eviction was needed) or puts x in T1.  The
 * ghost drops of case IV are done by trim() after every insert and
 * remove, which keeps |T1|+|B1| <= c and |T1|+|T2|+|B1|+|B2| <= 2c,
 * dropping B1's LRU ghost for the first and B2's (else B1's) for the
 * second.  In cache mode this drops exactly the ghosts case IV drops:
 * IV.A's "no ghost" page enters B1 and leaves again at the insert, IV.A's
 * and IV.B's dropped ghosts are the same LRU ids, whether dropped before
 * the eviction or after it.
 *
 * Capacity 0 (kernel mode, the caller evicts): c is the number of
 * resident pages at the moment (at least 1), so the ghost lists hold as
 * many pages as the cache does now and p is clamped to it.
 *
 * Invariants (arc_is_valid): each list's links match its counter; every
 * node is in the id map under its own id, and the map holds nothing else;
 * 0 <= p <= c; with a capacity, |T1|+|T2| <= c; always
 * |T1|+|B1| <= c and |T1|+|T2|+|B1|+|B2| <= 2c.
 * Single-threaded: the caller serializes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mmsim/cache_policy.h>
#include <mmsim/printk.h>
#include "mm/policy/idmap.h"
#include "mm/policy/plist.h"

enum arc_where { ARC_T1, ARC_T2, ARC_B1, ARC_B2, ARC_NR };

struct arc_node {
	struct plist_link lk;	/* on list[where] */
	cache_id_t id;
	uint8_t where;		/* enum arc_where */
};

struct arc {
	uint64_t capacity;	/* pages; 0: the caller evicts */
	double p;		/* target size of T1, pages */
	cache_id_t adapted_for;	/* ghost id p was adapted for in victim() */
	struct plist list[ARC_NR];
	struct plist_pool pool;
	struct idmap map;	/* id -> node, resident and ghost */
};

static inline struct arc_node *arc_node(struct arc *s, uint32_t i)
{
	return pl_node(&s->pool, i);
}

static uint64_t arc_c(const struct arc *s)
{
	uint64_t r = s->list[ARC_T1].nr + s->list[ARC_T2].nr;

	if (s->capacity)
		return s->capacity;
	return r ? r : 1;
}

static void *arc_create(const struct cache_policy_params *p, char *err, size_t errlen)
{
	struct arc *s;
	int i;

	if (p->args && *p->args) {
		snprintf(err, errlen, "arc: takes no arguments ('%s')", p->args);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		goto nomem;
	s->capacity = p->capacity;
	s->adapted_for = CACHE_ID_NONE;
	for (i = 0; i < ARC_NR; i++)
		plist_init(&s->list[i], offsetof(struct arc_node, lk));
	if (plist_table_init(&s->pool, &s->map, sizeof(struct arc_node), 2 * p->capacity + 1))
		goto nomem_s;
	return s;
nomem_s:
	free(s);
nomem:
	snprintf(err, errlen, "arc: out of memory");
	return NULL;
}

static void arc_destroy(void *st)
{
	struct arc *s = st;

	plist_table_destroy(&s->pool, &s->map);
	free(s);
}

static bool arc_access(void *st, cache_id_t id, uint64_t seq)
{
	struct arc *s = st;
	uint32_t i = idmap_get(&s->map, id);
	struct arc_node *n;

	(void)seq;
	if (i == IDMAP_NONE)
		return false;
	n = arc_node(s, i);
	if (n->where == ARC_T1) {
		plist_del(&s->pool, &s->list[ARC_T1], i);
		n->where = ARC_T2;
		plist_push_head(&s->pool, &s->list[ARC_T2], i);
	} else if (n->where == ARC_T2) {
		plist_move_head(&s->pool, &s->list[ARC_T2], i);
	} else {
		return false;	/* a ghost: a miss, handled by victim/insert */
	}
	return true;
}

/* Cases II and III's adaptation of p for a request to ghost node @n. */
static void arc_adapt(struct arc *s, const struct arc_node *n)
{
	double b1 = (double)s->list[ARC_B1].nr, b2 = (double)s->list[ARC_B2].nr;
	double c = (double)arc_c(s), d;

	if (n->where == ARC_B1) {
		d = b2 / b1 > 1.0 ? b2 / b1 : 1.0;
		s->p = s->p + d < c ? s->p + d : c;
	} else {
		d = b1 / b2 > 1.0 ? b1 / b2 : 1.0;
		s->p = s->p - d > 0.0 ? s->p - d : 0.0;
	}
}

static void arc_drop(struct arc *s, enum arc_where w)
{
	uint32_t i = s->list[w].tail;

	plist_del(&s->pool, &s->list[w], i);
	idmap_del(&s->map, arc_node(s, i)->id);
	plist_free(&s->pool, i);
}

/* Keep |T1|+|B1| <= c and the four lists within 2c (case IV's drops). */
static void arc_trim(struct arc *s)
{
	uint64_t c = arc_c(s);
	struct plist *l = s->list;

	while (l[ARC_T1].nr + l[ARC_B1].nr > c && l[ARC_B1].nr)
		arc_drop(s, ARC_B1);
	while (l[ARC_T1].nr + l[ARC_T2].nr + l[ARC_B1].nr + l[ARC_B2].nr > 2 * c) {
		if (l[ARC_B2].nr)
			arc_drop(s, ARC_B2);
		else if (l[ARC_B1].nr)
			arc_drop(s, ARC_B1);
		else
			break;
	}
	if (s->p > (double)c)
		s->p = (double)c;
}

/* REPLACE(x): the list whose LRU page goes. */
static enum arc_where arc_replace(const struct arc *s, bool x_in_b2)
{
	uint64_t t1 = s->list[ARC_T1].nr;

	if ((t1 && ((double)t1 > s->p || ((double)t1 == s->p && x_in_b2))) ||
	    !s->list[ARC_T2].nr)
		return ARC_T1;
	return ARC_T2;
}

static cache_id_t arc_victim(void *st, cache_id_t incoming)
{
	struct arc *s = st;
	uint32_t i = incoming == CACHE_ID_NONE ? IDMAP_NONE : idmap_get(&s->map, incoming);
	enum arc_where w;

	if (!s->list[ARC_T1].nr && !s->list[ARC_T2].nr)
		return CACHE_ID_NONE;
	if (i != IDMAP_NONE && arc_node(s, i)->where >= ARC_B1) {
		struct arc_node *x = arc_node(s, i);

		if (s->adapted_for != incoming) {
			arc_adapt(s, x);
			s->adapted_for = incoming;
		}
		w = arc_replace(s, x->where == ARC_B2);
	} else if (s->list[ARC_T1].nr + s->list[ARC_B1].nr >= arc_c(s) &&
		   !s->list[ARC_B1].nr) {
		w = s->list[ARC_T1].nr ? ARC_T1 : ARC_T2;	/* IV.A, |T1| = c */
	} else {
		w = arc_replace(s, false);
	}
	return arc_node(s, s->list[w].tail)->id;
}

static void arc_remove(void *st, cache_id_t id, bool evicted)
{
	struct arc *s = st;
	uint32_t i = idmap_get(&s->map, id);
	struct arc_node *n;

	if (WARN(i == IDMAP_NONE || arc_node(s, i)->where >= ARC_B1,
		 "arc: remove of %llu, not resident\n", (unsigned long long)id))
		return;
	n = arc_node(s, i);
	plist_del(&s->pool, &s->list[n->where], i);
	if (evicted) {
		n->where = n->where == ARC_T1 ? ARC_B1 : ARC_B2;
		plist_push_head(&s->pool, &s->list[n->where], i);
	} else {
		idmap_del(&s->map, id);
		plist_free(&s->pool, i);
	}
	arc_trim(s);
}

static void arc_insert(void *st, cache_id_t id, uint64_t seq)
{
	struct arc *s = st;
	uint32_t i = idmap_get(&s->map, id);
	struct arc_node *n;

	(void)seq;
	if (i != IDMAP_NONE) {
		n = arc_node(s, i);
		if (WARN(n->where < ARC_B1, "arc: insert of %llu, already resident\n",
			 (unsigned long long)id))
			return;
		if (s->adapted_for != id)
			arc_adapt(s, n);
		plist_del(&s->pool, &s->list[n->where], i);
		n->where = ARC_T2;
		plist_push_head(&s->pool, &s->list[ARC_T2], i);
	} else {
		i = plist_alloc(&s->pool);
		if (i == PL_NONE || idmap_put(&s->map, id, i)) {
			/* The caller has no error path: ENOMEM here is fatal. */
			fprintf(stderr, "arc: out of memory\n");
			abort();
		}
		n = arc_node(s, i);
		n->id = id;
		n->where = ARC_T1;
		plist_push_head(&s->pool, &s->list[ARC_T1], i);
	}
	s->adapted_for = CACHE_ID_NONE;
	arc_trim(s);
}

static uint64_t arc_nr_resident(void *st)
{
	struct arc *s = st;

	return s->list[ARC_T1].nr + s->list[ARC_T2].nr;
}

static bool arc_is_valid(void *st)
{
	struct arc *s = st;
	struct plist *l = s->list;
	uint64_t c = arc_c(s), total = 0;
	int w;

	for (w = 0; w < ARC_NR; w++) {
		uint32_t i;

		if (WARN(!plist_check(&s->pool, &l[w]), "arc: list %d corrupt\n", w))
			return false;
		for (i = l[w].head; i != PL_NONE; i = arc_node(s, i)->lk.next) {
			struct arc_node *n = arc_node(s, i);

			if (WARN(n->where != w || idmap_get(&s->map, n->id) != i,
				 "arc: node %u (id %llu) misplaced\n", i,
				 (unsigned long long)n->id))
				return false;
		}
		total += l[w].nr;
	}
	if (WARN(s->map.nr != total, "arc: map holds %llu ids, lists %llu\n",
		 (unsigned long long)s->map.nr, (unsigned long long)total))
		return false;
	if (WARN(s->p < 0.0 || s->p > (double)c, "arc: p %f out of [0, %llu]\n", s->p,
		 (unsigned long long)c))
		return false;
	if (WARN(s->capacity && l[ARC_T1].nr + l[ARC_T2].nr > c, "arc: over capacity\n"))
		return false;
	if (WARN(l[ARC_T1].nr + l[ARC_B1].nr > c || total > 2 * c,
		 "arc: ghost bounds: |T1|+|B1| %llu, all %llu, c %llu\n",
		 (unsigned long long)(l[ARC_T1].nr + l[ARC_B1].nr),
		 (unsigned long long)total, (unsigned long long)c))
		return false;
	return true;
}

const struct cache_policy_ops cache_policy_arc = {
	.name = "arc",
	.title = "ARC: Megiddo & Modha, FAST 2003",
	.access = arc_access,
	.insert = arc_insert,
	.victim = arc_victim,
	.remove = arc_remove,
	.create = arc_create,
	.destroy = arc_destroy,
	.nr_resident = arc_nr_resident,
	.is_valid = arc_is_valid,
};
