// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/fifo.c - FIFO (first in, first out).
 *
 * Algorithm: pages leave in the order they came in; a hit changes nothing.
 * The textbook baseline, and the policy of Belady's anomaly (Belady, Nelson
 * and Shedler, "An anomaly in space-time characteristics of certain
 * programs running in a paging machine", CACM 12(6), 1969): not a stack
 * algorithm, more memory can mean more misses.
 *
 * Structure: a qlist (qlist.h), insert at the head, victim at the tail.
 * Kernel mode may answer a victim with access(victim) (the folio was busy
 * or referenced) instead of removing it; a FIFO hit changes nothing, so the
 * same page would come back forever: the page last offered as victim is
 * therefore moved to the head when it is accessed, i.e. it goes round the
 * queue once more.  Cache mode never does that (victim is always followed
 * by remove), so its misses are plain FIFO's.  Single-threaded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <mmsim/printk.h>
#include "mm/policy/qlist.h"

struct fifo {
	struct qlist q;
	uint32_t offered;	/* slot last returned by victim(), 0: none */
};

static void *fifo_create(const struct cache_policy_params *p, char *err, size_t errlen)
{
	struct fifo *f = malloc(sizeof(*f));

	if (!f || qlist_init(&f->q, p->capacity, false)) {
		free(f);
		snprintf(err, errlen, "fifo: out of memory for %llu pages",
			 (unsigned long long)p->capacity);
		return NULL;
	}
	f->offered = 0;
	return f;
}

static void fifo_destroy(void *st)
{
	struct fifo *f = st;

	qlist_destroy(&f->q);
	free(f);
}

static bool fifo_access(void *st, cache_id_t id, uint64_t seq)
{
	struct fifo *f = st;
	uint32_t s = qlist_find(&f->q, id);

	(void)seq;
	if (s == IDMAP_NONE)
		return false;
	if (unlikely(s == f->offered)) {
		qlist_move_head(&f->q, s);
		f->offered = 0;
	}
	return true;
}

static void fifo_insert(void *st, cache_id_t id, uint64_t seq)
{
	struct fifo *f = st;

	(void)seq;
	qlist_add(&f->q, id);
}

static cache_id_t fifo_victim(void *st, cache_id_t incoming)
{
	struct fifo *f = st;

	(void)incoming;
	if (!f->q.nr)
		return CACHE_ID_NONE;
	f->offered = qlist_tail(&f->q);
	return f->q.node[f->offered].id;
}

static void fifo_remove(void *st, cache_id_t id, bool evicted)
{
	struct fifo *f = st;
	uint32_t s = qlist_find(&f->q, id);

	(void)evicted;
	if (s == IDMAP_NONE)
		return;
	if (s == f->offered)
		f->offered = 0;
	qlist_del(&f->q, s);
}

static uint64_t fifo_nr_resident(void *st)
{
	return ((struct fifo *)st)->q.nr;
}

static bool fifo_is_valid(void *st)
{
	struct fifo *f = st;

	if (!qlist_is_valid(&f->q, "fifo"))
		return false;
	return !WARN(f->offered && f->q.node[f->offered].id == CACHE_ID_NONE,
		     "fifo: offered slot %u is free", f->offered);
}

const struct cache_policy_ops cache_policy_fifo = {
	.name = "fifo",
	.title = "FIFO: first in, first out (Belady, Nelson and Shedler, CACM 1969)",
	.flags = 0,
	.create = fifo_create,
	.destroy = fifo_destroy,
	.access = fifo_access,
	.insert = fifo_insert,
	.victim = fifo_victim,
	.remove = fifo_remove,
	.nr_resident = fifo_nr_resident,
	.is_valid = fifo_is_valid,
};
