// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/sieve.c - SIEVE.
 *
 * Algorithm (Zhang, Yang, Yue, Vigfusson and Rashmi, "SIEVE is Simpler than
 * LRU: an Efficient Turn-Key Eviction Algorithm for Web Caches", NSDI
 * 2024): one FIFO-ordered queue, new pages at the head, and a visited bit
 * per page set by a hit.  The hand walks from the tail (the oldest) towards
 * the head clearing visited bits, evicts the first page whose bit is clear
 * and stays where it stopped (on the next newer page); past the head it
 * starts again at the tail.  Unlike CLOCK, a retained page is not moved:
 * new pages stay near the head, survivors sift towards the tail.
 *
 * Structure: a qlist (qlist.h; tail = oldest) with the visited bit in the
 * per-slot flag, and @hand: the slot the next search starts from (0: the
 * tail).  victim() walks and clears but removes nothing; it leaves the
 * hand on the victim, so remove() moves the hand on to the victim's newer
 * neighbour, and a kernel adapter's access(victim) instead sets the bit
 * again, which the next victim() clears and passes.
 * Invariant: @hand is 0 or a resident slot.  Single-threaded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <mmsim/printk.h>
#include "mm/policy/qlist.h"

struct sieve {
	struct qlist q;
	uint32_t hand;		/* slot the next victim search starts at; 0: the tail */
};

static void *sieve_create(const struct cache_policy_params *p, char *err, size_t errlen)
{
	struct sieve *sv = malloc(sizeof(*sv));

	if (!sv || qlist_init(&sv->q, p->capacity, true)) {
		free(sv);
		snprintf(err, errlen, "sieve: out of memory for %llu pages",
			 (unsigned long long)p->capacity);
		return NULL;
	}
	sv->hand = 0;
	return sv;
}

static void sieve_destroy(void *st)
{
	struct sieve *sv = st;

	qlist_destroy(&sv->q);
	free(sv);
}

static bool sieve_access(void *st, cache_id_t id, uint64_t seq)
{
	struct sieve *sv = st;
	uint32_t s = qlist_find(&sv->q, id);

	(void)seq;
	if (s == IDMAP_NONE)
		return false;
	sv->q.flag[s] = 1;
	return true;
}

static void sieve_insert(void *st, cache_id_t id, uint64_t seq)
{
	struct sieve *sv = st;

	(void)seq;
	qlist_add(&sv->q, id);
}

static cache_id_t sieve_victim(void *st, cache_id_t incoming)
{
	struct sieve *sv = st;
	struct qlist *q = &sv->q;
	uint32_t s;

	(void)incoming;
	if (!q->nr)
		return CACHE_ID_NONE;
	s = sv->hand ? sv->hand : qlist_tail(q);
	while (q->flag[s]) {
		q->flag[s] = 0;
		/* Towards the head (prev); past it, back to the tail. */
		s = q->node[s].prev ? q->node[s].prev : qlist_tail(q);
	}
	sv->hand = s;
	return q->node[s].id;
}

static void sieve_remove(void *st, cache_id_t id, bool evicted)
{
	struct sieve *sv = st;
	uint32_t s = qlist_find(&sv->q, id);

	(void)evicted;
	if (s == IDMAP_NONE)
		return;
	if (sv->hand == s)
		sv->hand = sv->q.node[s].prev;
	qlist_del(&sv->q, s);
}

static uint64_t sieve_nr_resident(void *st)
{
	return ((struct sieve *)st)->q.nr;
}

static bool sieve_is_valid(void *st)
{
	struct sieve *sv = st;

	if (!qlist_is_valid(&sv->q, "sieve"))
		return false;
	return !WARN(sv->hand && (sv->hand >= sv->q.nr_used ||
				  sv->q.node[sv->hand].id == CACHE_ID_NONE),
		     "sieve: hand on slot %u, not resident", sv->hand);
}

const struct cache_policy_ops cache_policy_sieve = {
	.name = "sieve",
	.title = "SIEVE: FIFO queue with a sifting hand (Zhang et al., NSDI 2024)",
	.flags = 0,
	.create = sieve_create,
	.destroy = sieve_destroy,
	.access = sieve_access,
	.insert = sieve_insert,
	.victim = sieve_victim,
	.remove = sieve_remove,
	.nr_resident = sieve_nr_resident,
	.is_valid = sieve_is_valid,
};
