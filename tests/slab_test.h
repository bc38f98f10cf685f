/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/slab_test.h - what the slab tests share: the cache an object's slab
 * belongs to, and a cache's active objects as /proc/slabinfo counts them.
 */
#ifndef MMSIM_TESTS_SLAB_TEST_H
#define MMSIM_TESTS_SLAB_TEST_H

#include "mmtest.h"
#include "mm/slab.h"

/* The name of the cache @p's slab belongs to, or "(none)". */
static inline const char *cache_of(const void *p)
{
	struct slab *slab = virt_to_slab(p);

	return slab ? slab->slab_cache->name : "(none)";
}

static inline unsigned long active_objs(struct kmem_cache *s)
{
	struct slabinfo si;

	get_slabinfo(s, &si);
	return si.active_objs;
}

#endif
