// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/idmap.c - the policies' id -> slot hash map (idmap.h states the
 * design).  Invariant: every stored key sits in the probe run that starts at
 * its hash slot, with no empty slot between its hash slot and itself; the
 * backward-shift deletion below keeps that true without tombstones.
 */
#include <errno.h>
#include <stdlib.h>
#include "mm/policy/idmap.h"

static int idmap_alloc(struct idmap *m, unsigned int order)
{
	uint64_t size = 1ULL << order, i;
	struct idmap_ent *tab = malloc(size * sizeof(*tab));

	if (!tab)
		return -ENOMEM;
	for (i = 0; i < size; i++)
		tab[i].key = CACHE_ID_NONE;
	m->tab = tab;
	m->mask = size - 1;
	m->shift = 64 - order;
	m->nr = 0;
	return 0;
}

int idmap_init(struct idmap *m, uint64_t expect)
{
	unsigned int order = 4;

	while ((1ULL << order) < 2 * expect && order < 40)
		order++;
	return idmap_alloc(m, order);
}

void idmap_destroy(struct idmap *m)
{
	free(m->tab);
	m->tab = NULL;
	m->nr = 0;
}

static void idmap_place(struct idmap *m, cache_id_t key, uint32_t val)
{
	uint64_t i = idmap_hash(m, key);

	while (m->tab[i].key != CACHE_ID_NONE)
		i = (i + 1) & m->mask;
	m->tab[i].key = key;
	m->tab[i].val = val;
	m->nr++;
}

static int idmap_grow(struct idmap *m)
{
	struct idmap old = *m;
	uint64_t i;

	if (idmap_alloc(m, 64 - old.shift + 1)) {
		*m = old;
		return -ENOMEM;
	}
	for (i = 0; i <= old.mask; i++)
		if (old.tab[i].key != CACHE_ID_NONE)
			idmap_place(m, old.tab[i].key, old.tab[i].val);
	free(old.tab);
	return 0;
}

int idmap_put(struct idmap *m, cache_id_t key, uint32_t val)
{
	uint64_t i = idmap_hash(m, key);

	for (;;) {
		struct idmap_ent *e = &m->tab[i];

		if (e->key == key) {
			e->val = val;
			return 0;
		}
		if (e->key == CACHE_ID_NONE)
			break;
		i = (i + 1) & m->mask;
	}
	if (2 * (m->nr + 1) > m->mask + 1) {
		if (idmap_grow(m))
			return -ENOMEM;
		idmap_place(m, key, val);
		return 0;
	}
	m->tab[i].key = key;
	m->tab[i].val = val;
	m->nr++;
	return 0;
}

uint32_t idmap_del(struct idmap *m, cache_id_t key)
{
	uint64_t i = idmap_hash(m, key), j;
	uint32_t val;

	for (;;) {
		if (m->tab[i].key == key)
			break;
		if (m->tab[i].key == CACHE_ID_NONE)
			return IDMAP_NONE;
		i = (i + 1) & m->mask;
	}
	val = m->tab[i].val;
	/* Backward shift: pull each later entry of the run that may move into the hole. */
	j = i;
	for (;;) {
		uint64_t home;

		j = (j + 1) & m->mask;
		if (m->tab[j].key == CACHE_ID_NONE)
			break;
		home = idmap_hash(m, m->tab[j].key);
		/* The entry at j may fill hole i unless its home lies cyclically in (i, j]. */
		if (((j - home) & m->mask) >= ((j - i) & m->mask)) {
			m->tab[i] = m->tab[j];
			i = j;
		}
	}
	m->tab[i].key = CACHE_ID_NONE;
	m->nr--;
	return val;
}
