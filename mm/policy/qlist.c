// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/qlist.c - the slot allocation and the checker of the resident
 * list that LRU, FIFO, CLOCK and SIEVE share (qlist.h states the layout and
 * the invariants).  Slots come from the free chain, then from the unused
 * tail of the array, then (capacity 0 only) from doubling the array.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/printk.h>
#include "mm/policy/qlist.h"

static int qlist_resize(struct qlist *q, uint64_t nr_alloc)
{
	struct qnode *node;

	if (nr_alloc > IDMAP_NONE)
		return -ENOMEM;
	node = realloc(q->node, nr_alloc * sizeof(*node));
	if (!node)
		return -ENOMEM;
	q->node = node;
	if (q->flag || !q->nr_alloc) {
		uint8_t *flag = realloc(q->flag, nr_alloc);

		if (!flag)
			return -ENOMEM;
		q->flag = flag;
	}
	q->nr_alloc = (uint32_t)nr_alloc;
	return 0;
}

int qlist_init(struct qlist *q, uint64_t capacity, bool with_flags)
{
	uint64_t slots = (capacity ? capacity : 63) + 1;

	memset(q, 0, sizeof(*q));
	if (slots > IDMAP_NONE)
		return -ENOMEM;
	if (idmap_init(&q->map, slots))
		return -ENOMEM;
	if (qlist_resize(q, slots)) {
		qlist_destroy(q);
		return -ENOMEM;
	}
	if (!with_flags) {
		free(q->flag);
		q->flag = NULL;
	}
	q->node[0].id = CACHE_ID_NONE;
	q->node[0].prev = q->node[0].next = 0;
	q->nr_used = 1;
	return 0;
}

void qlist_destroy(struct qlist *q)
{
	idmap_destroy(&q->map);
	free(q->node);
	free(q->flag);
	q->node = NULL;
	q->flag = NULL;
	q->nr = 0;
}

static uint32_t qlist_alloc_slot(struct qlist *q)
{
	uint32_t s = q->free;

	if (s) {
		q->free = q->node[s].next;
		return s;
	}
	if (q->nr_used == q->nr_alloc && qlist_resize(q, 2 * (uint64_t)q->nr_alloc))
		return 0;
	return q->nr_used++;
}

uint32_t qlist_add(struct qlist *q, cache_id_t id)
{
	uint32_t s = qlist_alloc_slot(q);

	if (WARN(!s, "policy list: no memory for page id %llu", (unsigned long long)id))
		return 0;
	if (WARN(idmap_put(&q->map, id, s), "policy map: no memory for page id %llu",
		 (unsigned long long)id)) {
		q->node[s].next = q->free;
		q->free = s;
		return 0;
	}
	q->node[s].id = id;
	if (q->flag)
		q->flag[s] = 0;
	qlist_link_head(q, s);
	q->nr++;
	return s;
}

void qlist_del(struct qlist *q, uint32_t s)
{
	qlist_unlink(q, s);
	idmap_del(&q->map, q->node[s].id);
	q->node[s].id = CACHE_ID_NONE;
	q->node[s].next = q->free;
	q->free = s;
	q->nr--;
}

bool qlist_is_valid(const struct qlist *q, const char *who)
{
	uint64_t count = 0;
	uint32_t prev = 0, s;

	for (s = q->node[0].next; s; prev = s, s = q->node[s].next) {
		if (WARN(s >= q->nr_used, "%s: slot %u past the used slots %u", who, s, q->nr_used))
			return false;
		if (WARN(q->node[s].prev != prev, "%s: slot %u prev %u, expected %u", who, s,
			 q->node[s].prev, prev))
			return false;
		if (WARN(idmap_get(&q->map, q->node[s].id) != s, "%s: id %llu not mapped to slot %u",
			 who, (unsigned long long)q->node[s].id, s))
			return false;
		if (WARN(++count > q->nr, "%s: list longer than nr %llu", who,
			 (unsigned long long)q->nr))
			return false;
	}
	if (WARN(q->node[0].prev != prev, "%s: tail %u, list ends at %u", who, q->node[0].prev, prev))
		return false;
	if (WARN(count != q->nr || q->map.nr != q->nr, "%s: %llu on the list, nr %llu, map %llu",
		 who, (unsigned long long)count, (unsigned long long)q->nr,
		 (unsigned long long)q->map.nr))
		return false;
	return true;
}
