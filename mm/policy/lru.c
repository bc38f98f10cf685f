// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/lru.c - exact LRU (least recently used).
 *
 * Algorithm: the resident pages form one list in recency order; a hit
 * moves the page to the head, a miss inserts at the head, and the victim is
 * the tail, the page whose last use is the oldest.  LRU is a stack
 * algorithm (Mattson, Gecsei, Slutz and Traiger, "Evaluation techniques for
 * storage hierarchies", IBM Systems Journal 9(2), 1970): its misses at every
 * size come from one pass of stack distances (mrc_lru, mm/policy/mrc.c).
 *
 * Structure: a qlist (qlist.h): the idmap finds the slot, the slot's
 * 32-bit links put it back at the head; a hit is one hash probe and six
 * link stores, with no allocation.  Single-threaded (the caller
 * serializes); invariants are qlist's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "mm/policy/qlist.h"

static void *lru_create(const struct cache_policy_params *p, char *err, size_t errlen)
{
	struct qlist *q = malloc(sizeof(*q));

	if (!q || qlist_init(q, p->capacity, false)) {
		free(q);
		snprintf(err, errlen, "lru: out of memory for %llu pages",
			 (unsigned long long)p->capacity);
		return NULL;
	}
	return q;
}

static void lru_destroy(void *st)
{
	qlist_destroy(st);
	free(st);
}

static bool lru_access(void *st, cache_id_t id, uint64_t seq)
{
	struct qlist *q = st;
	uint32_t s = qlist_find(q, id);

	(void)seq;
	if (s == IDMAP_NONE)
		return false;
	qlist_move_head(q, s);
	return true;
}

static void lru_insert(void *st, cache_id_t id, uint64_t seq)
{
	(void)seq;
	qlist_add(st, id);
}

static cache_id_t lru_victim(void *st, cache_id_t incoming)
{
	struct qlist *q = st;

	(void)incoming;
	return q->nr ? q->node[qlist_tail(q)].id : CACHE_ID_NONE;
}

static void lru_remove(void *st, cache_id_t id, bool evicted)
{
	struct qlist *q = st;
	uint32_t s = qlist_find(q, id);

	(void)evicted;
	if (s != IDMAP_NONE)
		qlist_del(q, s);
}

static uint64_t lru_nr_resident(void *st)
{
	return ((struct qlist *)st)->nr;
}

static bool lru_is_valid(void *st)
{
	return qlist_is_valid(st, "lru");
}

const struct cache_policy_ops cache_policy_lru = {
	.name = "lru",
	.title = "LRU: least recently used (Mattson et al., IBM Systems Journal 1970)",
	.flags = CACHE_POLICY_STACK,
	.create = lru_create,
	.destroy = lru_destroy,
	.access = lru_access,
	.insert = lru_insert,
	.victim = lru_victim,
	.remove = lru_remove,
	.nr_resident = lru_nr_resident,
	.is_valid = lru_is_valid,
};
