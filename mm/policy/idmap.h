/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/policy/idmap.h - the policies' id -> slot map (mm/policy/idmap.c).
 *
 * An open-addressing hash table from a 64-bit page id to a 32-bit slot
 * number (the index of the id's node in a policy's node array): linear
 * probing, backward-shift deletion (no tombstones, so a long run of misses
 * never degrades it), power-of-two size kept at most 1/2 full, grown by
 * doubling.  CACHE_ID_NONE is the empty key and cannot be stored.
 *
 * Single-threaded: the caller serializes (a policy instance is).
 */
#ifndef MMSIM_MM_POLICY_IDMAP_H
#define MMSIM_MM_POLICY_IDMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <mmsim/cache_policy.h>

#define IDMAP_NONE	UINT32_MAX

struct idmap_ent {
	cache_id_t key;
	uint32_t val;
};

struct idmap {
	struct idmap_ent *tab;
	uint64_t mask;		/* size - 1 */
	uint64_t nr;
	unsigned int shift;	/* 64 - log2(size) */
};

/* Room for @expect entries without growing; 0 or -ENOMEM. */
int idmap_init(struct idmap *m, uint64_t expect);
void idmap_destroy(struct idmap *m);

static inline uint64_t idmap_hash(const struct idmap *m, cache_id_t key)
{
	/* Fibonacci hashing: the top bits of key * 2^64/phi. */
	return (key * 0x9e3779b97f4a7c15ULL) >> m->shift;
}

/* The slot of @key, IDMAP_NONE if absent. */
static inline uint32_t idmap_get(const struct idmap *m, cache_id_t key)
{
	uint64_t i = idmap_hash(m, key);

	for (;;) {
		const struct idmap_ent *e = &m->tab[i];

		if (e->key == key)
			return e->val;
		if (e->key == CACHE_ID_NONE)
			return IDMAP_NONE;
		i = (i + 1) & m->mask;
	}
}

/* Start loading @key's home bucket into the CPU cache. */
static inline void idmap_prefetch(const struct idmap *m, cache_id_t key)
{
	__builtin_prefetch(&m->tab[idmap_hash(m, key)]);
}

/* Insert or overwrite; 0 or -ENOMEM (the map is unchanged then). */
int idmap_put(struct idmap *m, cache_id_t key, uint32_t val);
/* Remove @key; its slot or IDMAP_NONE if absent. */
uint32_t idmap_del(struct idmap *m, cache_id_t key);

#endif
