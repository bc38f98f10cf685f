// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/clock.c - CLOCK, the second-chance algorithm with one
 * reference bit.
 *
 * Algorithm (Corbató, "A paging experiment with the Multics system", MIT
 * Project MAC report MAC-M-384, 1968; in Festschrift for P. M. Morse, MIT
 * Press 1969): the frames form a ring swept by a hand; a hit sets the
 * page's reference bit; to find a victim the hand clears set bits as it
 * passes (the page's second chance) and stops at the first page whose bit
 * is clear.  A newly loaded page starts with its bit clear, as in
 * libCacheSim's Clock (n-bit-counter=1), so that miss counts compare.
 *
 * Structure: the ring is a qlist (qlist.h) read from the tail: the tail is
 * the page under the hand, and passing a page with its bit set moves it to
 * the head, which is exactly the ring order (the hand's page becomes the
 * one just behind it).  The reference bit is the qlist's per-slot flag.
 * victim() moves the hand and clears bits but removes nothing; the kernel
 * adapter's access(victim) sets the bit again, so the next victim() gives
 * the page another round.  Single-threaded; invariants are qlist's.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include "mm/policy/qlist.h"

static void *clock_create(const struct cache_policy_params *p, char *err, size_t errlen)
{
	struct qlist *q = malloc(sizeof(*q));

	if (!q || qlist_init(q, p->capacity, true)) {
		free(q);
		snprintf(err, errlen, "clock: out of memory for %llu pages",
			 (unsigned long long)p->capacity);
		return NULL;
	}
	return q;
}

static void clock_destroy(void *st)
{
	qlist_destroy(st);
	free(st);
}

static bool clock_access(void *st, cache_id_t id, uint64_t seq)
{
	struct qlist *q = st;
	uint32_t s = qlist_find(q, id);

	(void)seq;
	if (s == IDMAP_NONE)
		return false;
	q->flag[s] = 1;
	return true;
}

static void clock_insert(void *st, cache_id_t id, uint64_t seq)
{
	(void)seq;
	qlist_add(st, id);
}

static cache_id_t clock_victim(void *st, cache_id_t incoming)
{
	struct qlist *q = st;
	uint32_t s;

	(void)incoming;
	if (!q->nr)
		return CACHE_ID_NONE;
	/* Ends: a full sweep clears every bit it passes. */
	while (q->flag[s = qlist_tail(q)]) {
		q->flag[s] = 0;
		qlist_move_head(q, s);
	}
	return q->node[s].id;
}

static void clock_remove(void *st, cache_id_t id, bool evicted)
{
	struct qlist *q = st;
	uint32_t s = qlist_find(q, id);

	(void)evicted;
	if (s != IDMAP_NONE)
		qlist_del(q, s);
}

static uint64_t clock_nr_resident(void *st)
{
	return ((struct qlist *)st)->nr;
}

static bool clock_is_valid(void *st)
{
	return qlist_is_valid(st, "clock");
}

const struct cache_policy_ops cache_policy_clock = {
	.name = "clock",
	.title = "CLOCK: one reference bit, second chance (Corbato, MIT Project MAC 1968)",
	.flags = 0,
	.create = clock_create,
	.destroy = clock_destroy,
	.access = clock_access,
	.insert = clock_insert,
	.victim = clock_victim,
	.remove = clock_remove,
	.nr_resident = clock_nr_resident,
	.is_valid = clock_is_valid,
};
