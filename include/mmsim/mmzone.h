/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmzone.h - nodes (pglist_data), zones, free areas, per-CPU page lists,
 * migratetypes and zonelists.
 *
 * Zone indices are fixed across arches (enum zone_type); an arch enables
 * the subset it has (x86_64 and arm64: DMA, DMA32, Normal, Movable; i386:
 * DMA, Normal, HighMem, Movable) and the others stay unconfigured and are
 * never shown.  ZONE_MOVABLE is always configured, as in Linux, and is
 * populated only by kernelcore=/movablecore=.  ZONE_DEVICE (CONFIG_ZONE_DEVICE,
 * 64-bit arches) is never populated: it spans the memmap of memremap_pages()
 * ranges (mm/memremap.c), whose pages no allocator ever hands out.
 *
 * Locking: zone->lock protects free_area[] and the pageblock migratetypes;
 * a per_cpu_pages is touched only by the thread that has entered its CPU
 * (see init/main.c for how a remote drain gets the CPU).  Counters are
 * relaxed atomics and may be read without a lock.
 */
#ifndef MMSIM_MMZONE_H
#define MMSIM_MMZONE_H

#include <mmsim/types.h>
#include <mmsim/list.h>
#include <mmsim/spinlock.h>
#include <mmsim/vmstat.h>
#include <mmsim/mm_types.h>

#define MAX_NUMNODES		64
#define NR_CPUS			256
#define MMSIM_MAX_ORDER		13	/* largest MAX_PAGE_ORDER of any arch (arm64 64K) */
#define NR_PAGE_ORDERS_MAX	(MMSIM_MAX_ORDER + 1)
#define PAGE_ALLOC_COSTLY_ORDER	3

enum migratetype {
	MIGRATE_UNMOVABLE,
	MIGRATE_MOVABLE,
	MIGRATE_RECLAIMABLE,
	MIGRATE_PCPTYPES,		/* the types on the per-CPU lists */
	MIGRATE_HIGHATOMIC = MIGRATE_PCPTYPES,
	MIGRATE_CMA,			/* a CMA area's blocks: movable allocations only (mm/cma.c) */
	MIGRATE_ISOLATE,		/* can't allocate from here */
	MIGRATE_TYPES
};

extern const char *const migratetype_names[MIGRATE_TYPES];

enum zone_type {
	ZONE_DMA,
	ZONE_DMA32,
	ZONE_NORMAL,
	ZONE_HIGHMEM,
	ZONE_MOVABLE,
	ZONE_DEVICE,			/* memremap_pages() memory: never in the buddy */
	MAX_NR_ZONES
};

enum zone_watermarks {
	WMARK_MIN,
	WMARK_LOW,
	WMARK_HIGH,
	WMARK_PROMO,
	NR_WMARK
};

struct free_area {
	struct list_head free_list[MIGRATE_TYPES];	/* blocks of this order, by type */
	unsigned long nr_free;		/* blocks (not pages); written under zone->lock
					 * with WRITE_ONCE, read locklessly */
	unsigned long nonempty;		/* bit t: free_list[t] is not empty (same rule) */
};

/* Per-CPU lists hold orders 0..PAGE_ALLOC_COSTLY_ORDER of the pcp types. */
#define NR_PCP_LISTS (MIGRATE_PCPTYPES * (PAGE_ALLOC_COSTLY_ORDER + 1))

struct per_cpu_pages {
	int count;			/* pages on the lists */
	int high;			/* drain down to high - batch above this */
	int high_min, high_max;		/* bounds of high */
	int batch;			/* chunk size for buddy add/remove */
	int free_count;			/* frees since the last allocation */
	atomic_int drain_pending;	/* a remote drain_all_pages() asked */
	unsigned long numa_events[NR_VM_NUMA_EVENT_ITEMS];	/* owner-written, relaxed */
	struct list_head lists[NR_PCP_LISTS];	/* hot at the head */
} __attribute__((aligned(64)));

struct pglist_data;

struct zone {
	/* Read-mostly fields. */
	unsigned long _watermark[NR_WMARK];	/* pages */
	unsigned long watermark_boost;		/* pages */
	unsigned long nr_reserved_highatomic;	/* pages in HighAtomic blocks */
	long lowmem_reserve[MAX_NR_ZONES];	/* pages kept from higher-zone allocations */
	int node;
	struct pglist_data *zone_pgdat;
	struct per_cpu_pages *per_cpu_pageset;	/* [nr_cpu_ids] */
	int pageset_high_min, pageset_high_max, pageset_batch;
	uint8_t *pageblock_flags;		/* migratetype per pageblock */
	unsigned long zone_start_pfn;
	atomic_long_t managed_pages;		/* present - reserved */
	unsigned long spanned_pages;		/* span including holes */
	unsigned long present_pages;		/* RAM pages in the span */
	unsigned long cma_pages;
	const char *name;
	bool configured;			/* the arch has this zone type */
	int percpu_drift_mark_threshold;	/* "vm stats threshold" */

	/* Write-intensive fields. */
	spinlock_t lock;			/* free_area, pageblock_flags */
	struct free_area free_area[NR_PAGE_ORDERS_MAX];
	unsigned long flags;
	atomic_long_t vm_stat[NR_VM_ZONE_STAT_ITEMS];
	atomic_long_t vm_numa_event[NR_VM_NUMA_EVENT_ITEMS];

	/* Compaction (mm/compaction.c).  Hints, as in Linux: read and written
	 * with READ_ONCE/WRITE_ONCE by any compactor, no lock. */
	unsigned long compact_cached_free_pfn;		/* where the free scanner restarts */
	unsigned long compact_cached_migrate_pfn[2];	/* [async, sync] migration restart */
	unsigned long compact_init_migrate_pfn;		/* restart points after a skip reset */
	unsigned long compact_init_free_pfn;
	unsigned int compact_considered;		/* attempts skipped since the last failure */
	unsigned int compact_defer_shift;		/* skip up to 1 << shift attempts */
	int compact_order_failed;			/* lowest order that failed */
	bool compact_blockskip_flush;			/* clear the skip bits when kswapd sleeps */
	uint8_t *pageblock_skip;			/* PB_migrate_skip, one byte per pageblock */
};

/* A zonelist: zones in allocation fallback order, NULL-terminated. */
struct zoneref {
	struct zone *zone;
	int zone_idx;
};

enum { ZONELIST_FALLBACK, ZONELIST_NOFALLBACK, MAX_ZONELISTS };
#define MAX_ZONES_PER_ZONELIST (MAX_NUMNODES * MAX_NR_ZONES)

struct zonelist {
	struct zoneref _zonerefs[MAX_ZONES_PER_ZONELIST + 1];
};

/*
 * The LRU lists (mm/swap.c): Linux's classic (non-MGLRU) split.  Each node
 * has one lruvec; its lists hold in-use folios through folio->lru, each
 * list's length kept in the node's NR_<list> counter (update_lru_size).
 */
enum lru_list {
	LRU_INACTIVE_ANON,
	LRU_ACTIVE_ANON,
	LRU_INACTIVE_FILE,
	LRU_ACTIVE_FILE,
	LRU_UNEVICTABLE,
	NR_LRU_LISTS
};
#define LRU_BASE	0
#define LRU_ACTIVE	1
#define LRU_FILE	2
#define for_each_lru(lru) for (lru = 0; lru < NR_LRU_LISTS; lru++)

struct lru_policy_ops;

struct lruvec {
	struct list_head lists[NR_LRU_LISTS];
	spinlock_t lru_lock;			/* the lists, PG_lru/active/unevictable moves */
	unsigned long nr_pages[NR_LRU_LISTS];	/* under lru_lock; == list lengths */
	/* The reclaim policy that keeps this lruvec's folios (mm/lru_policy.c;
	 * <mmsim/lru_policy.h>): the classic lists above, or MGLRU's
	 * generations in @lrugen.  Changes only under lru_lock with every
	 * folio moved (lru_policy_switch). */
	const struct lru_policy_ops *ops;
	void *lrugen;				/* the policy's own per-lruvec state (MGLRU: struct lru_gen_folio) */
	/* get_scan_count's cost balance (lru_note_cost), under lru_lock: pages. */
	unsigned long anon_cost;
	unsigned long file_cost;
	/* Workingset (mm/workingset.c): evictions + activations, the clock shadow entries record. */
	atomic_long_t nonresident_age;
	unsigned long refaults[2];		/* [anon, file] workingset_activate_* at the last reclaim */
	unsigned long flags;			/* LRUVEC_* */
};

enum lruvec_flags {
	LRUVEC_CGROUP_CONGESTED,		/* (memcg only in Linux; kept for the names) */
	LRUVEC_NODE_CONGESTED,			/* many dirty file folios under writeback seen by reclaim */
};

/* pgdat->flags (Linux's enum pgdat_flags). */
enum pgdat_flags {
	PGDAT_DIRTY,				/* reclaim saw many dirty file folios at the LRU tail */
	PGDAT_WRITEBACK,			/* reclaim saw many folios under writeback */
	PGDAT_RECLAIM_LOCKED,			/* a node_reclaim is in progress */
};

typedef struct pglist_data {
	struct zone node_zones[MAX_NR_ZONES];
	struct zonelist node_zonelists[MAX_ZONELISTS];
	int nr_zones;				/* highest populated zone index + 1 */
	struct page *node_mem_map;		/* struct page of node_start_pfn */
	unsigned long node_start_pfn;
	unsigned long node_present_pages;
	unsigned long node_spanned_pages;
	int node_id;
	unsigned long totalreserve_pages;
	atomic_long_t vm_stat[NR_VM_NODE_STAT_ITEMS];
	struct lruvec __lruvec;			/* mm/swap.c */
	unsigned long flags;			/* PGDAT_* bits (atomic bitops) */
	/* kswapd (mm/kswapd.c): one per node, a work item in virtual time. */
	void *kswapd;				/* its state (mm/kswapd.c), NULL until started */
	int kswapd_order;			/* the largest order a waker asked for */
	int kswapd_highest_zoneidx;		/* MAX_NR_ZONES: none asked */
	int kswapd_failures;			/* balance_pgdat runs that reclaimed nothing */
	/* kcompactd (mm/kcompactd.c): one per node, a work item in virtual time. */
	void *kcompactd;			/* its state, NULL until started */
	int kcompactd_max_order;		/* the largest order a waker asked for */
	int kcompactd_highest_zoneidx;		/* the lowest highest_zoneidx asked for */
	bool proactive_compact_trigger;		/* vm.compaction_proactiveness was written */
} pg_data_t;

/* kswapd gives up on a node after this many runs that reclaimed nothing. */
#define MAX_RECLAIM_RETRIES	16

#define zone_idx(zone) ((int)((zone) - (zone)->zone_pgdat->node_zones))

static inline unsigned long zone_managed_pages(const struct zone *zone)
{
	return (unsigned long)atomic_long_read(&zone->managed_pages);
}
static inline bool populated_zone(const struct zone *zone)
{
	return zone->present_pages != 0;
}
static inline bool managed_zone(const struct zone *zone)
{
	return zone_managed_pages(zone) != 0;
}
static inline unsigned long zone_end_pfn(const struct zone *zone)
{
	return zone->zone_start_pfn + zone->spanned_pages;
}
static inline bool zone_spans_pfn(const struct zone *zone, unsigned long pfn)
{
	return zone->zone_start_pfn <= pfn && pfn < zone_end_pfn(zone);
}
static inline bool is_highmem_idx(int idx) { return idx == ZONE_HIGHMEM; }
static inline bool is_highmem(const struct zone *zone)
{
	return is_highmem_idx(zone_idx(zone));
}
/* Lockless-safe: reads the nonempty bitmap kept under zone->lock. */
static inline bool free_area_empty(const struct free_area *area, int migratetype)
{
	return !((READ_ONCE(area->nonempty) >> migratetype) & 1);
}

/* Watermarks change under zone->lock (sysctl writes) and are read locklessly. */
#define wmark_pages(z, i)   (READ_ONCE((z)->_watermark[i]) + READ_ONCE((z)->watermark_boost))
#define min_wmark_pages(z)  wmark_pages(z, WMARK_MIN)
#define low_wmark_pages(z)  wmark_pages(z, WMARK_LOW)
#define high_wmark_pages(z) wmark_pages(z, WMARK_HIGH)

int num_online_nodes(void);
int num_online_cpus(void);
int numa_node_id(void);
int cpu_to_node(int cpu);

#define for_each_online_node(nid) for (nid = 0; nid < num_online_nodes(); nid++)
struct zone *next_zone(struct zone *zone);
#define for_each_zone(zone) \
	for (zone = NODE_DATA(0)->node_zones; zone; zone = next_zone(zone))
#define for_each_populated_zone(zone) \
	for_each_zone(zone) if (!populated_zone(zone)) ; else

static inline unsigned long zone_page_state(struct zone *zone, enum zone_stat_item item)
{
	long x = atomic_long_read(&zone->vm_stat[item]);

	return x < 0 ? 0 : (unsigned long)x;
}

bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags);
bool zone_watermark_ok_safe(struct zone *z, unsigned int order, unsigned long mark,
			    int highest_zoneidx);

#endif
