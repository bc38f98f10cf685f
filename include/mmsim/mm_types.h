/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm_types.h - struct page, the descriptor of one physical page frame.
 *
 * 64 bytes on a 64-bit host, as in Linux: flags, a 40-byte union whose
 * meaning depends on who owns the page, mapcount/page_type, refcount and
 * one spare word.  Which union member is live:
 *
 *   free in the buddy allocator  PageBuddy(); lru on free_area list,
 *                                private = order of the block
 *   on a per-CPU list            lru on pcp->lists[], index = migratetype
 *   compound tail page           compound_head = head | 1;
 *                                the first tail page holds compound_order
 *   a slab                       struct slab overlays the page (mm/slab.h),
 *                                including the last word
 *   allocated otherwise          lru/mapping/index/private free for the owner
 *
 * flags holds PG_* bits at the bottom and, at the top, the zone and node
 * (fixed at boot) and the order the page was allocated with (a debugging
 * record like page_owner's, used to catch frees with the wrong order).
 */
#ifndef MMSIM_MM_TYPES_H
#define MMSIM_MM_TYPES_H

#include <mmsim/types.h>
#include <mmsim/list.h>

struct address_space;

struct page {
	unsigned long flags;		/* PG_* bits, zone, node, alloc order */
	union {
		struct {			/* buddy, pcp, LRU, page cache */
			struct list_head lru;	/* free list / pcp list / LRU */
			struct address_space *mapping;
			pgoff_t index;		/* pcp: migratetype */
			unsigned long private;	/* buddy: order */
		};
		struct {			/* tail pages of compound pages */
			unsigned long compound_head;	/* head | 1 */
			unsigned int compound_order_;	/* first tail page only */
			unsigned int compound_nr_pages_;
		};
		struct {			/* slab pages (mm/slub.c) */
			void *slab_cache;
			void *slab_freelist;
			unsigned long slab_counters;
			struct list_head slab_list;
		};
	};
	union {
		atomic_int _mapcount;		/* -1: unmapped */
		unsigned int page_type;		/* PageBuddy & co. (mapcount unused) */
	};
	atomic_int _refcount;			/* 0: free */
	unsigned long virtual_or_memcg;		/* slab pages: the local freelist (mm/slab.h);
						 * otherwise reserved (memcg) */
};

_Static_assert(sizeof(struct page) <= 64, "struct page must stay within 64 bytes");

/* Page flags, in Linux's order (include/linux/page-flags.h). */
enum pageflags {
	PG_locked,
	PG_writeback,
	PG_referenced,
	PG_uptodate,
	PG_dirty,
	PG_lru,
	PG_head,
	PG_waiters,
	PG_active,
	PG_workingset,
	PG_error,
	PG_slab,
	PG_owner_priv_1,
	PG_arch_1,
	PG_reserved,
	PG_private,
	PG_private_2,
	PG_mappedtodisk,
	PG_reclaim,
	PG_swapbacked,
	PG_unevictable,
	PG_mlocked,
	__NR_PAGEFLAGS,
};

/* Upper bits of page->flags. */
#define ZONES_WIDTH		3
#define NODES_WIDTH		6
#define ALLOC_ORDER_WIDTH	5
#define ZONES_PGSHIFT		(64 - ZONES_WIDTH)
#define NODES_PGSHIFT		(ZONES_PGSHIFT - NODES_WIDTH)
#define ALLOC_ORDER_PGSHIFT	(NODES_PGSHIFT - ALLOC_ORDER_WIDTH)
#define ZONES_MASK		((1UL << ZONES_WIDTH) - 1)
#define NODES_MASK		((1UL << NODES_WIDTH) - 1)
#define ALLOC_ORDER_MASK	((1UL << ALLOC_ORDER_WIDTH) - 1)

/* page_type values (the pre-6.10 scheme: a cleared bit marks the type). */
#define PAGE_TYPE_BASE	0xf0000000u
#define PG_buddy	0x00000080u
#define PG_table	0x00000200u
#define PAGE_MAPCOUNT_RESERVE (-128)

#endif
