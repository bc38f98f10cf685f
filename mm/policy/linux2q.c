// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/linux2q.c - a cache-mode model of Linux's classic two-list LRU
 * (the active and inactive lists of mm/swap.c and mm/vmscan.c before
 * MGLRU), as one policy on bare page ids.
 *
 * The split is 2Q-like (T. Johnson and D. Shasha, "2Q: A Low Overhead High
 * Performance Buffer Management Replacement Algorithm", VLDB 1994); the
 * rules are Linux's own (mm/swap.c folio_mark_accessed, mm/vmscan.c
 * inactive_is_low, shrink_active_list, folio_check_references), for the
 * page-cache case that cache mode can model:
 *   - a page enters at the head of the inactive list; the access that
 *     brought it in is its first touch, so PG_referenced is set (filemap_read
 *     calls folio_mark_accessed on the folio it just read);
 *   - a hit is folio_mark_accessed's two-touch rule: not referenced ->
 *     set PG_referenced; referenced and inactive -> move to the head of the
 *     active list, PG_referenced cleared; active and referenced -> nothing;
 *   - reclaim (victim) first deactivates while the inactive list is low,
 *     inactive_is_low(): inactive * ratio < active, ratio = int_sqrt(10 *
 *     GiB of the two lists) or 1 under a GiB -- the active list's tail
 *     moves to the inactive list's head, PG_referenced kept (shrink_active_
 *     list does not look at it; an unmapped page has no young PTE to keep it
 *     active) -- then takes the inactive list's tail: folio_check_references
 *     reclaims a clean unmapped page-cache folio even with PG_referenced.
 * Not modelled: workingset shadow entries (refault activation), mapped
 * pages' accessed bits (kernel mode has the real ones: lru=classic), the
 * batched scans (SWAP_CLUSTER_MAX): one page is deactivated at a time.
 * This is the policy named "linux2q" so it does not clash with the boot
 * words lru=classic and lru=mglru, which are the kernel's own faithful code.
 *
 * The contract: victim() deactivates (a hand movement) and returns the
 * inactive tail; remove() leaves no history (there is none).  The kernel
 * adapter answering that victim with access() (its PTEs were young) is
 * folio_check_references' verdict: with PG_referenced already set the page
 * is activated (the two-touch rule, as for any hit), else PG_referenced is
 * set and the page goes back to the inactive head (FOLIOREF_KEEP) --
 * cache mode never does this (it removes every victim at once).  No
 * parameters.  Capacity 0 changes nothing: ratio uses the lists' sizes.
 *
 * Invariants (linux2q_is_valid): both lists' links match their counters;
 * every node is in the id map once and nothing else is; with a capacity,
 * resident <= capacity.  Single-threaded: the caller serializes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mmsim/cache_policy.h>
#include <mmsim/printk.h>
#include "mm/policy/idmap.h"
#include "mm/policy/plist.h"

enum l2q_list { L2Q_INACTIVE, L2Q_ACTIVE, L2Q_NR };

struct l2q_node {
	struct plist_link lk;	/* on list[active] */
	cache_id_t id;
	uint8_t active;		/* enum l2q_list */
	uint8_t referenced;	/* PG_referenced */
};

struct linux2q {
	uint64_t capacity;	/* pages; 0: the caller evicts */
	cache_id_t last_victim;	/* victim()'s answer, until the next insert/remove */
	struct plist list[L2Q_NR];
	struct plist_pool pool;
	struct idmap map;
};

static inline struct l2q_node *l2q_node(struct linux2q *s, uint32_t i)
{
	return pl_node(&s->pool, i);
}

static void *l2q_create(const struct cache_policy_params *p, char *err, size_t errlen)
{
	struct linux2q *s;

	if (p->args && *p->args) {
		snprintf(err, errlen, "linux2q: takes no arguments ('%s')", p->args);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		goto nomem;
	s->capacity = p->capacity;
	s->last_victim = CACHE_ID_NONE;
	plist_init(&s->list[L2Q_INACTIVE], offsetof(struct l2q_node, lk));
	plist_init(&s->list[L2Q_ACTIVE], offsetof(struct l2q_node, lk));
	if (plist_table_init(&s->pool, &s->map, sizeof(struct l2q_node), p->capacity + 1))
		goto nomem_s;
	return s;
nomem_s:
	free(s);
nomem:
	snprintf(err, errlen, "linux2q: out of memory");
	return NULL;
}

static void l2q_destroy(void *st)
{
	struct linux2q *s = st;

	plist_table_destroy(&s->pool, &s->map);
	free(s);
}

static bool l2q_access(void *st, cache_id_t id, uint64_t seq)
{
	struct linux2q *s = st;
	uint32_t i = idmap_get(&s->map, id);
	struct l2q_node *n;

	(void)seq;
	if (i == IDMAP_NONE)
		return false;
	n = l2q_node(s, i);
	if (id == s->last_victim && !n->active && !n->referenced) {
		/* Referenced at reclaim (FOLIOREF_KEEP): PG_referenced, back to the head. */
		n->referenced = 1;
		plist_move_head(&s->pool, &s->list[L2Q_INACTIVE], i);
	} else if (!n->referenced) {
		n->referenced = 1;
	} else if (!n->active) {
		plist_del(&s->pool, &s->list[L2Q_INACTIVE], i);
		n->active = 1;
		n->referenced = 0;
		plist_push_head(&s->pool, &s->list[L2Q_ACTIVE], i);
	}
	return true;
}

/* inactive_is_low(): int_sqrt(10 * GiB) with 4 KiB pages, at least 1. */
static bool l2q_inactive_is_low(const struct linux2q *s)
{
	uint64_t inactive = s->list[L2Q_INACTIVE].nr, active = s->list[L2Q_ACTIVE].nr;
	uint64_t gb = (inactive + active) >> 18, ratio = 1;

	while (gb && (ratio + 1) * (ratio + 1) <= 10 * gb)
		ratio++;
	return inactive * ratio < active;
}

static cache_id_t l2q_victim(void *st, cache_id_t incoming)
{
	struct linux2q *s = st;

	(void)incoming;
	while (l2q_inactive_is_low(s)) {
		uint32_t t = s->list[L2Q_ACTIVE].tail;

		plist_del(&s->pool, &s->list[L2Q_ACTIVE], t);
		l2q_node(s, t)->active = 0;
		plist_push_head(&s->pool, &s->list[L2Q_INACTIVE], t);
	}
	if (!s->list[L2Q_INACTIVE].nr)
		return CACHE_ID_NONE;
	s->last_victim = l2q_node(s, s->list[L2Q_INACTIVE].tail)->id;
	return s->last_victim;
}

static void l2q_remove(void *st, cache_id_t id, bool evicted)
{
	struct linux2q *s = st;
	uint32_t i = idmap_get(&s->map, id);

	(void)evicted;
	s->last_victim = CACHE_ID_NONE;
	if (WARN(i == IDMAP_NONE, "linux2q: remove of %llu, not resident\n",
		 (unsigned long long)id))
		return;
	plist_del(&s->pool, &s->list[l2q_node(s, i)->active], i);
	idmap_del(&s->map, id);
	plist_free(&s->pool, i);
}

static void l2q_insert(void *st, cache_id_t id, uint64_t seq)
{
	struct linux2q *s = st;
	uint32_t i = idmap_get(&s->map, id);
	struct l2q_node *n;

	(void)seq;
	s->last_victim = CACHE_ID_NONE;
	if (WARN(i != IDMAP_NONE, "linux2q: insert of %llu, already resident\n",
		 (unsigned long long)id))
		return;
	i = plist_alloc(&s->pool);
	if (i == PL_NONE || idmap_put(&s->map, id, i)) {
		fprintf(stderr, "linux2q: out of memory\n");
		abort();
	}
	n = l2q_node(s, i);
	n->id = id;
	n->active = 0;
	n->referenced = 1;
	plist_push_head(&s->pool, &s->list[L2Q_INACTIVE], i);
}

static uint64_t l2q_nr_resident(void *st)
{
	struct linux2q *s = st;

	return s->list[L2Q_INACTIVE].nr + s->list[L2Q_ACTIVE].nr;
}

static bool l2q_is_valid(void *st)
{
	struct linux2q *s = st;
	int l;

	for (l = 0; l < L2Q_NR; l++) {
		uint32_t i;

		if (WARN(!plist_check(&s->pool, &s->list[l]), "linux2q: list %d corrupt\n", l))
			return false;
		for (i = s->list[l].head; i != PL_NONE; i = l2q_node(s, i)->lk.next) {
			struct l2q_node *n = l2q_node(s, i);

			if (WARN(n->active != l || idmap_get(&s->map, n->id) != i,
				 "linux2q: node %llu misplaced\n", (unsigned long long)n->id))
				return false;
		}
	}
	if (WARN(s->map.nr != l2q_nr_resident(s), "linux2q: map holds %llu ids\n",
		 (unsigned long long)s->map.nr))
		return false;
	if (WARN(s->capacity && l2q_nr_resident(s) > s->capacity, "linux2q: over capacity\n"))
		return false;
	return true;
}

const struct cache_policy_ops cache_policy_linux2q = {
	.name = "linux2q",
	.title = "Linux's classic active/inactive lists (2Q-like; Johnson & Shasha, VLDB 1994)",
	.access = l2q_access,
	.insert = l2q_insert,
	.victim = l2q_victim,
	.remove = l2q_remove,
	.create = l2q_create,
	.destroy = l2q_destroy,
	.nr_resident = l2q_nr_resident,
	.is_valid = l2q_is_valid,
};
