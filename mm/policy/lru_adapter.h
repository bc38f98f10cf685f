/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/policy/lru_adapter.h - every policy of the cache-policy registry
 * (<mmsim/cache_policy.h>) as a kernel reclaim policy behind the ops table
 * of <mmsim/lru_policy.h> (mm/policy/lru_adapter.c; docs/reclaim.md,
 * "Research policies in the kernel").  mm/lru_policy.c falls back to
 * lru_adapter_find() for a name that is neither built in nor registered.
 */
#ifndef MMSIM_MM_POLICY_LRU_ADAPTER_H
#define MMSIM_MM_POLICY_LRU_ADAPTER_H

#include <mmsim/cache_policy.h>
#include <mmsim/lru_policy.h>

/* The reclaim ops of the cache policy @name; NULL if none or offline. */
const struct lru_policy_ops *lru_adapter_find(const char *name);
/* Why `lru=@name` cannot be (an offline policy), or NULL. */
const char *lru_adapter_refusal(const char *name);
/* The cache policy behind @ops, or NULL if @ops is not an adapter. */
const struct cache_policy_ops *lru_adapter_cache_policy(const struct lru_policy_ops *ops);

/* What one node's adapter has done (tests, /proc-free introspection). */
struct lru_adapter_stats {
	unsigned long resident;		/* ids in the policy (folios on its lists or being checked) */
	unsigned long pending;		/* chosen victims waiting for writeback (folios) */
	unsigned long unevictable;	/* folios on the adapter's unevictable list */
	unsigned long inserts;		/* insert() calls */
	unsigned long accesses;		/* access() calls: mark_accessed and referenced victims */
	unsigned long evictions;	/* remove(id, true): victims isolated for reclaim */
	unsigned long removals;		/* remove(id, false): folios freed or taken off */
	unsigned long rescued;		/* pending folios referenced again: inserted anew */
	unsigned long bridged;		/* swap-ins that got their evicted id back */
	unsigned long collisions;	/* natural ids already resident: a pfn id instead */
	unsigned long activated;	/* shrink_folio_list: activated (pages; rejected, or under I/O) */
	unsigned long ref_keep;		/* shrink_folio_list: kept for references (pages) */
	unsigned long unmap_fail;	/* shrink_folio_list: still mapped (pages) */
};
/* 0, or -ENOENT if the node's policy is not an adapter. */
int lru_adapter_get_stats(pg_data_t *pgdat, struct lru_adapter_stats *out);

#endif
