/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shrinker.h - caches that give memory back under pressure (mm/shrinker.c),
 * Linux's <linux/shrinker.h>: both the 6.7+ API (shrinker_alloc,
 * shrinker_register, shrinker_free) and the older register_shrinker /
 * unregister_shrinker on a caller-owned struct.  Reclaim calls
 * shrink_slab() for each node it scans, in proportion to the LRU pages it
 * scanned (objects to scan = freeable * nr_scanned / (lru_pages + 1) /
 * seeks-scaled), as Linux's do_shrink_slab does.
 */
#ifndef MMSIM_SHRINKER_H
#define MMSIM_SHRINKER_H

#include <stdbool.h>
#include <mmsim/types.h>
#include <mmsim/list.h>
#include <mmsim/gfp.h>

struct shrink_control {
	gfp_t gfp_mask;
	int nid;			/* the node being reclaimed (NUMA-aware shrinkers) */
	unsigned long nr_to_scan;	/* objects to scan this call */
	unsigned long nr_scanned;	/* set by scan_objects if it scanned another number */
	void *memcg;			/* always NULL */
};

#define SHRINK_STOP	(~0UL)
#define SHRINK_EMPTY	(~0UL - 1)
#define DEFAULT_SEEKS	2

#define SHRINKER_REGISTERED	(1 << 0)
#define SHRINKER_ALLOCATED	(1 << 1)
#define SHRINKER_NUMA_AWARE	(1 << 2)
#define SHRINKER_MEMCG_AWARE	(1 << 3)
#define SHRINKER_NONSLAB	(1 << 4)

struct shrinker {
	unsigned long (*count_objects)(struct shrinker *, struct shrink_control *sc);
	unsigned long (*scan_objects)(struct shrinker *, struct shrink_control *sc);
	long batch;			/* objects per scan_objects call; 0: SHRINK_BATCH (128) */
	int seeks;			/* cost to recreate an object (DEFAULT_SEEKS) */
	unsigned int flags;		/* SHRINKER_* */
	void *private_data;
	/* mm/shrinker.c's: */
	struct list_head list;		/* on the machine's shrinker list */
	long nr_deferred[64];		/* per node: work left over from earlier calls */
	char *name;			/* /sys/kernel/debug/shrinker/NAME-ID */
	int debugfs_id;
	void *owner;			/* the machine it is registered on */
};

struct shrinker *shrinker_alloc(unsigned int flags, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void shrinker_register(struct shrinker *shrinker);
void shrinker_free(struct shrinker *shrinker);
int register_shrinker(struct shrinker *shrinker, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void unregister_shrinker(struct shrinker *shrinker);

/* Reclaim's call: objects freed.  @priority as scan_control's (12..0). */
unsigned long shrink_slab(gfp_t gfp_mask, int nid, void *memcg, int priority);
/* drop_caches 2: shrink every shrinker until it frees little (Linux's drop_slab). */
void drop_slab(void);

#endif
