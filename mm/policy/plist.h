/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/policy/plist.h - index-linked lists and a node pool for the research
 * policies (arc.c, lirs.c, clockpro.c, s3fifo.c).
 *
 * A policy keeps its nodes in one array (a struct of its own, grown by
 * doubling) and links them by 32-bit index, not pointer, so the array may
 * move when it grows.  A node may sit on several lists at once (LIRS: stack
 * S and queue Q): each list names the offset of the struct plist_link it
 * uses inside the node.  A list's head is its newest (MRU) end, its tail
 * the oldest (LRU) end.  Free nodes are chained through link 0's next.
 *
 * Invariant (plist_check): walking a list from head to tail meets exactly
 * nr nodes, each one's prev is the one before it, and tail is the last.
 * Single-threaded: a policy instance is (the caller serializes).
 */
#ifndef MMSIM_MM_POLICY_PLIST_H
#define MMSIM_MM_POLICY_PLIST_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "mm/policy/idmap.h"

#define PL_NONE	UINT32_MAX

struct plist_link {
	uint32_t prev;		/* toward the head (newer); PL_NONE at the head */
	uint32_t next;		/* toward the tail (older); PL_NONE at the tail */
};

struct plist {
	uint32_t head;		/* newest */
	uint32_t tail;		/* oldest */
	uint64_t nr;		/* nodes on the list */
	size_t off;		/* offset of this list's plist_link in a node */
};

/* The pool: nodes of @size bytes, link 0 at offset 0 chains the free ones. */
struct plist_pool {
	void *nodes;
	size_t size;		/* bytes a node */
	uint32_t cap;		/* nodes allocated */
	uint32_t used;		/* nodes ever handed out (a high-water mark) */
	uint32_t free;		/* first free node, PL_NONE if none */
};

static inline struct plist_link *pl_link(const struct plist_pool *p, const struct plist *l,
					 uint32_t i)
{
	return (struct plist_link *)((char *)p->nodes + (size_t)i * p->size + l->off);
}

static inline void plist_init(struct plist *l, size_t off)
{
	l->head = l->tail = PL_NONE;
	l->nr = 0;
	l->off = off;
}

static inline void plist_push_head(const struct plist_pool *p, struct plist *l, uint32_t i)
{
	struct plist_link *k = pl_link(p, l, i);

	k->prev = PL_NONE;
	k->next = l->head;
	if (l->head != PL_NONE)
		pl_link(p, l, l->head)->prev = i;
	else
		l->tail = i;
	l->head = i;
	l->nr++;
}

/* Insert @i just before @at (toward the head); @at PL_NONE: at the tail. */
static inline void plist_insert_before(const struct plist_pool *p, struct plist *l,
				       uint32_t at, uint32_t i)
{
	struct plist_link *k = pl_link(p, l, i);

	if (at == PL_NONE) {
		k->next = PL_NONE;
		k->prev = l->tail;
		if (l->tail != PL_NONE)
			pl_link(p, l, l->tail)->next = i;
		else
			l->head = i;
		l->tail = i;
	} else {
		struct plist_link *a = pl_link(p, l, at);

		k->next = at;
		k->prev = a->prev;
		if (a->prev != PL_NONE)
			pl_link(p, l, a->prev)->next = i;
		else
			l->head = i;
		a->prev = i;
	}
	l->nr++;
}

static inline void plist_del(const struct plist_pool *p, struct plist *l, uint32_t i)
{
	struct plist_link *k = pl_link(p, l, i);

	if (k->prev != PL_NONE)
		pl_link(p, l, k->prev)->next = k->next;
	else
		l->head = k->next;
	if (k->next != PL_NONE)
		pl_link(p, l, k->next)->prev = k->prev;
	else
		l->tail = k->prev;
	k->prev = k->next = PL_NONE;
	l->nr--;
}

static inline void plist_move_head(const struct plist_pool *p, struct plist *l, uint32_t i)
{
	if (l->head == i)
		return;
	plist_del(p, l, i);
	plist_push_head(p, l, i);
}

/* True when @l's links are consistent with its counter (see above). */
static inline bool plist_check(const struct plist_pool *p, const struct plist *l)
{
	uint32_t i = l->head, prev = PL_NONE;
	uint64_t n = 0;

	while (i != PL_NONE) {
		if (i >= p->used || pl_link(p, l, i)->prev != prev || ++n > l->nr)
			return false;
		prev = i;
		i = pl_link(p, l, i)->next;
	}
	return n == l->nr && l->tail == prev;
}

static inline int plist_pool_init(struct plist_pool *p, size_t size, uint64_t expect)
{
	p->size = size;
	p->cap = expect < 16 ? 16 : expect > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uint32_t)expect;
	p->used = 0;
	p->free = PL_NONE;
	p->nodes = malloc((size_t)p->cap * size);
	return p->nodes ? 0 : -ENOMEM;
}

static inline void plist_pool_destroy(struct plist_pool *p)
{
	free(p->nodes);
	p->nodes = NULL;
}

/* A policy's node pool and its id map, made and freed together: 0 or -ENOMEM. */
static inline int plist_table_init(struct plist_pool *pool, struct idmap *map, size_t size,
				   uint64_t expect)
{
	if (plist_pool_init(pool, size, expect))
		return -ENOMEM;
	if (idmap_init(map, expect)) {
		plist_pool_destroy(pool);
		return -ENOMEM;
	}
	return 0;
}

static inline void plist_table_destroy(struct plist_pool *pool, struct idmap *map)
{
	idmap_destroy(map);
	plist_pool_destroy(pool);
}

static inline void *pl_node(const struct plist_pool *p, uint32_t i)
{
	return (char *)p->nodes + (size_t)i * p->size;
}

/* A node's index (its bytes undefined), PL_NONE on ENOMEM. */
static inline uint32_t plist_alloc(struct plist_pool *p)
{
	uint32_t i = p->free;

	if (i != PL_NONE) {
		p->free = ((struct plist_link *)pl_node(p, i))->next;
		return i;
	}
	if (p->used == p->cap) {
		void *n;

		if (p->cap >= UINT32_MAX / 2)
			return PL_NONE;
		n = realloc(p->nodes, (size_t)p->cap * 2 * p->size);
		if (!n)
			return PL_NONE;
		p->nodes = n;
		p->cap *= 2;
	}
	return p->used++;
}

static inline void plist_free(struct plist_pool *p, uint32_t i)
{
	((struct plist_link *)pl_node(p, i))->next = p->free;
	p->free = i;
}

/*
 * The policies' "key=value,..." argument parser: calls @fn for each pair;
 * returns 0 or the first non-zero @fn result.  A pair without '=' is passed
 * with an empty value.
 */
int policy_parse_args(const char *args, int (*fn)(void *arg, const char *key, const char *val),
		      void *arg);
/* @val as a fraction in (0, 1); 0 or -EINVAL. */
int policy_parse_ratio(const char *val, double *out);

#endif
