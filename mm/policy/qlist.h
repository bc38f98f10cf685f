/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/policy/qlist.h - the resident list the queue-shaped policies share
 * (LRU, FIFO, CLOCK, SIEVE): an idmap from page id to slot, and a node
 * array whose nodes are linked by 32-bit slot numbers into one doubly
 * linked list.  No per-node malloc: the array is sized to the capacity at
 * create (cache mode never allocates while it runs) and doubles with
 * realloc only when the capacity is 0 (kernel mode, unbounded).
 *
 * Layout.  node[0] is the sentinel: node[0].next is the head (the newest
 * end, where insert links), node[0].prev the tail (the oldest end, where
 * LRU/FIFO/CLOCK look for a victim).  Slots [1, nr_used) were handed out
 * once; a freed slot is chained through .next from @free (0: none).
 * @flag, when asked for, is one byte per slot (CLOCK's reference bit,
 * SIEVE's visited bit), kept apart so the 16-byte nodes stay four per
 * cache line.
 *
 * Invariants (qlist_is_valid checks them): walking next from the sentinel
 * visits nr nodes and comes back to it; every visited node's prev names the
 * one before; map.nr == nr and map[node.id] == its slot.
 *
 * Single-threaded: the policy's caller serializes.
 */
#ifndef MMSIM_MM_POLICY_QLIST_H
#define MMSIM_MM_POLICY_QLIST_H

#include <stdbool.h>
#include <stdint.h>
#include <mmsim/cache_policy.h>
#include <mmsim/compiler.h>
#include "mm/policy/idmap.h"

struct qnode {
	cache_id_t id;		/* the page id this slot holds */
	uint32_t prev;		/* slot towards the head (newer); 0: the sentinel */
	uint32_t next;		/* slot towards the tail (older); 0: the sentinel */
};

struct qlist {
	struct idmap map;	/* resident id -> slot */
	struct qnode *node;	/* node[0] the sentinel, then the slots */
	uint8_t *flag;		/* one byte a slot, or NULL when not asked for */
	uint32_t nr_alloc;	/* slots allocated, the sentinel included */
	uint32_t nr_used;	/* slots [0, nr_used) handed out at least once */
	uint32_t free;		/* first freed slot, chained through .next; 0: none */
	uint64_t nr;		/* resident ids (= nodes on the list) */
};

/* Room for @capacity ids (0: start small and grow); 0 or -ENOMEM. */
int qlist_init(struct qlist *q, uint64_t capacity, bool with_flags);
void qlist_destroy(struct qlist *q);
/* A slot for @id, linked at the head and mapped; 0 on -ENOMEM (WARNs). */
uint32_t qlist_add(struct qlist *q, cache_id_t id);
/* Unlink, unmap and free @slot. */
void qlist_del(struct qlist *q, uint32_t slot);
/* The structure checks above; WARN + false on the first error. */
bool qlist_is_valid(const struct qlist *q, const char *who);

static inline uint32_t qlist_find(const struct qlist *q, cache_id_t id)
{
	return idmap_get(&q->map, id);
}

static inline uint32_t qlist_tail(const struct qlist *q)
{
	return q->node[0].prev;
}

static inline void qlist_unlink(struct qlist *q, uint32_t s)
{
	struct qnode *n = &q->node[s];

	q->node[n->prev].next = n->next;
	q->node[n->next].prev = n->prev;
}

static inline void qlist_link_head(struct qlist *q, uint32_t s)
{
	struct qnode *n = &q->node[s];
	uint32_t h = q->node[0].next;

	n->prev = 0;
	n->next = h;
	q->node[h].prev = s;
	q->node[0].next = s;
}

/* Move @s to the head (LRU's hit, CLOCK's second chance). */
static inline void qlist_move_head(struct qlist *q, uint32_t s)
{
	if (q->node[0].next == s)
		return;
	qlist_unlink(q, s);
	qlist_link_head(q, s);
}

#endif
