// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/opt.c - Belady's MIN (OPT): the offline optimum.
 *
 * Algorithm (Belady, "A study of replacement algorithms for a virtual-
 * storage computer", IBM Systems Journal 5(2), 1966; optimality proved by
 * Mattson et al. 1970): evict the resident page whose next use lies
 * farthest in the future (never again counts as farthest).  It needs the
 * future, so it runs in cache mode only (CACHE_POLICY_OFFLINE): the caller
 * passes params->next_use from cache_next_use(), the index of the next
 * request for the same id, and each access/insert at request @seq keys the
 * page by next_use[seq].  Ties are only between pages never used again,
 * which are interchangeable, so the miss count is unique: it equals
 * libCacheSim's Belady and any other correct MIN.
 *
 * Structure: an idmap from id to slot; per slot the id, its key (the next
 * use) and its place in a binary max-heap of slots ordered by key, so
 * victim() is the root (O(1)) and access/insert/remove re-sift in
 * O(log n).  No per-node allocation: the slot and heap arrays are sized to
 * the capacity (and double when it is 0).
 * Invariants (opt_is_valid): heap[pos[s]] == s for each resident slot,
 * key[parent] >= key[child], map.nr == nr.  Single-threaded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/printk.h>
#include "mm/policy/idmap.h"

struct opt_node {
	cache_id_t id;		/* the page id in this slot; CACHE_ID_NONE: free */
	uint64_t key;		/* request index of its next use; CACHE_NEXT_NEVER: none */
	uint32_t pos;		/* index in heap[] */
	uint32_t free_next;	/* free chain, when free */
};

struct opt {
	struct idmap map;	/* resident id -> slot */
	struct opt_node *node;	/* slots 1.. (slot 0 unused, so 0 ends the free chain) */
	uint32_t *heap;		/* heap[0..nr): slots, max-heap by key */
	uint32_t nr_alloc;	/* node[] and heap[] entries allocated */
	uint32_t nr_used;	/* slots [1, nr_used) handed out once */
	uint32_t free;		/* free slot chain; 0: none */
	uint32_t nr;		/* resident pages (heap size) */
	const uint64_t *next_use; /* params->next_use */
	uint64_t nr_requests;	/* its length */
};

static uint64_t opt_key(const struct opt *o, uint64_t seq)
{
	return seq < o->nr_requests ? o->next_use[seq] : CACHE_NEXT_NEVER;
}

static void opt_set(struct opt *o, uint32_t pos, uint32_t s)
{
	o->heap[pos] = s;
	o->node[s].pos = pos;
}

static void opt_sift_up(struct opt *o, uint32_t pos)
{
	uint32_t s = o->heap[pos];
	uint64_t key = o->node[s].key;

	while (pos) {
		uint32_t up = (pos - 1) / 2;

		if (o->node[o->heap[up]].key >= key)
			break;
		opt_set(o, pos, o->heap[up]);
		pos = up;
	}
	opt_set(o, pos, s);
}

static void opt_sift_down(struct opt *o, uint32_t pos)
{
	uint32_t s = o->heap[pos];
	uint64_t key = o->node[s].key;

	for (;;) {
		uint32_t c = 2 * pos + 1;

		if (c >= o->nr)
			break;
		if (c + 1 < o->nr && o->node[o->heap[c + 1]].key > o->node[o->heap[c]].key)
			c++;
		if (o->node[o->heap[c]].key <= key)
			break;
		opt_set(o, pos, o->heap[c]);
		pos = c;
	}
	opt_set(o, pos, s);
}

static void opt_rekey(struct opt *o, uint32_t s, uint64_t key)
{
	uint64_t old = o->node[s].key;

	o->node[s].key = key;
	if (key > old)
		opt_sift_up(o, o->node[s].pos);
	else if (key < old)
		opt_sift_down(o, o->node[s].pos);
}

static int opt_resize(struct opt *o, uint64_t nr_alloc)
{
	struct opt_node *node;
	uint32_t *heap;

	if (nr_alloc >= IDMAP_NONE)
		return -ENOMEM;
	node = realloc(o->node, nr_alloc * sizeof(*node));
	if (!node)
		return -ENOMEM;
	o->node = node;
	heap = realloc(o->heap, nr_alloc * sizeof(*heap));
	if (!heap)
		return -ENOMEM;
	o->heap = heap;
	o->nr_alloc = (uint32_t)nr_alloc;
	return 0;
}

static void opt_destroy(void *st)
{
	struct opt *o = st;

	idmap_destroy(&o->map);
	free(o->node);
	free(o->heap);
	free(o);
}

static void *opt_create(const struct cache_policy_params *p, char *err, size_t errlen)
{
	struct opt *o = calloc(1, sizeof(*o));
	uint64_t slots = (p->capacity ? p->capacity : 63) + 1;

	if (!o)
		goto nomem;
	if (idmap_init(&o->map, slots)) {
		free(o);
		goto nomem;
	}
	if (opt_resize(o, slots)) {
		opt_destroy(o);
		goto nomem;
	}
	o->nr_used = 1;
	o->next_use = p->next_use;
	o->nr_requests = p->next_use ? p->nr_requests : 0;
	return o;
nomem:
	snprintf(err, errlen, "opt: out of memory for %llu pages", (unsigned long long)p->capacity);
	return NULL;
}

static bool opt_access(void *st, cache_id_t id, uint64_t seq)
{
	struct opt *o = st;
	uint32_t s = idmap_get(&o->map, id);

	if (s == IDMAP_NONE)
		return false;
	opt_rekey(o, s, opt_key(o, seq));
	return true;
}

static void opt_insert(void *st, cache_id_t id, uint64_t seq)
{
	struct opt *o = st;
	uint32_t s = o->free;

	if (s) {
		o->free = o->node[s].free_next;
	} else {
		if (o->nr_used == o->nr_alloc && opt_resize(o, 2 * (uint64_t)o->nr_alloc)) {
			WARN(1, "opt: no memory for page id %llu", (unsigned long long)id);
			return;
		}
		s = o->nr_used++;
	}
	if (WARN(idmap_put(&o->map, id, s), "opt: no memory for page id %llu",
		 (unsigned long long)id)) {
		o->node[s].free_next = o->free;
		o->free = s;
		return;
	}
	o->node[s].id = id;
	o->node[s].key = opt_key(o, seq);
	opt_set(o, o->nr++, s);
	opt_sift_up(o, o->nr - 1);
}

static cache_id_t opt_victim(void *st, cache_id_t incoming)
{
	struct opt *o = st;

	(void)incoming;
	return o->nr ? o->node[o->heap[0]].id : CACHE_ID_NONE;
}

static void opt_remove(void *st, cache_id_t id, bool evicted)
{
	struct opt *o = st;
	uint32_t s = idmap_del(&o->map, id), pos, last;

	(void)evicted;
	if (s == IDMAP_NONE)
		return;
	pos = o->node[s].pos;
	last = o->heap[--o->nr];
	if (last != s) {
		/* The last heap entry fills the hole, then moves whichever way it must. */
		opt_set(o, pos, last);
		opt_sift_up(o, pos);
		opt_sift_down(o, o->node[last].pos);
	}
	o->node[s].id = CACHE_ID_NONE;
	o->node[s].free_next = o->free;
	o->free = s;
}

static uint64_t opt_nr_resident(void *st)
{
	return ((struct opt *)st)->nr;
}

static bool opt_is_valid(void *st)
{
	struct opt *o = st;
	uint32_t i;

	if (WARN(o->map.nr != o->nr, "opt: map holds %llu, heap %u",
		 (unsigned long long)o->map.nr, o->nr))
		return false;
	for (i = 0; i < o->nr; i++) {
		uint32_t s = o->heap[i];

		if (WARN(s == 0 || s >= o->nr_used || o->node[s].pos != i,
			 "opt: heap[%u] = slot %u, whose pos is %u", i, s,
			 s && s < o->nr_used ? o->node[s].pos : 0))
			return false;
		if (WARN(idmap_get(&o->map, o->node[s].id) != s, "opt: id %llu not mapped to slot %u",
			 (unsigned long long)o->node[s].id, s))
			return false;
		if (WARN(i && o->node[o->heap[(i - 1) / 2]].key < o->node[s].key,
			 "opt: heap order broken at %u", i))
			return false;
	}
	return true;
}

const struct cache_policy_ops cache_policy_opt = {
	.name = "opt",
	.title = "OPT: Belady's MIN, evict the farthest next use (Belady, IBM Systems Journal 1966)",
	.flags = CACHE_POLICY_OFFLINE,
	.create = opt_create,
	.destroy = opt_destroy,
	.access = opt_access,
	.insert = opt_insert,
	.victim = opt_victim,
	.remove = opt_remove,
	.nr_resident = opt_nr_resident,
	.is_valid = opt_is_valid,
};
