/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compaction.h - memory compaction (Linux's include/linux/compaction.h).
 * Implementation, locking and invariants: mm/compaction.c.
 *
 * compact_zone() runs two scanners over a zone: the migration scanner from
 * the bottom isolates movable in-use pages, the free scanner from the top
 * isolates free pages; migrate_pages() moves the former into the latter
 * until the scanners meet or the requested order is free.  Triggers: direct
 * compaction in the allocator's slow path (costly orders), kcompactd per
 * node (woken by kswapd, and proactive compaction on a timer),
 * /proc/sys/vm/compact_memory and /sys/devices/system/node/nodeN/compact.
 */
#ifndef MMSIM_COMPACTION_H
#define MMSIM_COMPACTION_H

#include <mmsim/gfp.h>

struct zone;
struct alloc_context;
struct page;

/* The outcome of a compaction attempt, Linux's enum compact_result. */
enum compact_result {
	COMPACT_NOT_SUITABLE_ZONE,	/* zone is too small or has no free memory */
	COMPACT_SKIPPED,		/* not enough free memory to compact */
	COMPACT_DEFERRED,		/* backed off after recent failures */
	COMPACT_NO_SUITABLE_PAGE,	/* no page of the order could be made */
	COMPACT_CONTINUE,		/* keep going */
	COMPACT_COMPLETE,		/* the scanners met: the whole zone was tried */
	COMPACT_PARTIAL_SKIPPED,	/* only part of the zone was tried */
	COMPACT_CONTENDED,		/* gave up on a lock or a pending signal */
	COMPACT_SUCCESS,		/* a page of the order is free */
};

enum compact_priority {
	COMPACT_PRIO_SYNC_FULL,
	MIN_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_FULL,
	COMPACT_PRIO_SYNC_LIGHT,
	MIN_COMPACT_COSTLY_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	DEF_COMPACT_PRIORITY = COMPACT_PRIO_SYNC_LIGHT,
	COMPACT_PRIO_ASYNC,
	INIT_COMPACT_PRIORITY = COMPACT_PRIO_ASYNC
};

/* Direct compaction, from __alloc_pages_direct_compact (mm/page_alloc_slow.c). */
enum compact_result try_to_compact_pages(gfp_t gfp_mask, unsigned int order, unsigned int alloc_flags,
					 const struct alloc_context *ac, enum compact_priority prio,
					 struct page **capture);
bool compaction_suitable(struct zone *zone, int order, unsigned long watermark, int highest_zoneidx);
/* Deferral after failures: compact_considered/compact_defer_shift/compact_order_failed. */
bool compaction_deferred(struct zone *zone, int order);
void defer_compaction(struct zone *zone, int order);
void compaction_defer_reset(struct zone *zone, int order, bool alloc_success);
/* The fragmentation index of @zone for @order, *1000 (-1000: an order-@order block is free). */
int fragmentation_index(struct zone *zone, unsigned int order);
/* Compact every zone of every node fully (compact_memory), or one node. */
void compact_nodes(void);
void compact_node_by_id(int nid);
/* kcompactd (one per node): woken by kswapd when it has balanced a node. */
void wakeup_kcompactd(int nid, int order, int highest_zoneidx);

/* Linux's compact_gap(): the free pages compaction wants beyond the watermark. */
static inline unsigned long compact_gap(unsigned int order)
{
	return 2UL << order;
}
/* Could reclaim make compaction possible in some zone of @ac (should_compact_retry)? */
bool compaction_zonelist_suitable(const struct alloc_context *ac, int order, unsigned int alloc_flags);
/* The unusable free space index of @zone for @order, *1000 (debugfs unusable_index). */
int unusable_free_index(struct zone *zone, unsigned int order);
/* The invariant checker (docs/invariants.md). */
struct mmsim;
bool compaction_is_valid(struct mmsim *m);
/* mm/page_isolation.c: move the LRU folios out of an isolated pfn range;
 * is the range all free now?  (The steps of Linux's alloc_contig_range.) */
int __alloc_contig_migrate_range(unsigned long start, unsigned long end);
int test_pages_isolated(unsigned long start_pfn, unsigned long end_pfn);
/* kcompactd introspection, for tests. */
unsigned long kcompactd_runs(int nid);
unsigned long kcompactd_proactive_runs(int nid);
bool kcompactd_is_sleeping(int nid);

#endif
