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
 *   ZONE_DEVICE (mm/memremap.c)  pgmap, zone_device_data; never in the buddy
 *
 * flags holds PG_* bits at the bottom and, at the top, the zone and node
 * (fixed at boot) and the order the page was allocated with (a debugging
 * record like page_owner's, used to catch frees with the wrong order).
 */
#ifndef MMSIM_MM_TYPES_H
#define MMSIM_MM_TYPES_H

#include <mmsim/types.h>
#include <mmsim/list.h>
#include <mmsim/rbtree.h>
#include <mmsim/rwsem.h>

struct address_space;
struct dev_pagemap;

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
			/* First tail page of a large folio only (Linux's folio
			 * fields of page[1]; prep_compound_page sets them,
			 * mm/rmap.c keeps them, mm/huge_memory.c reads them): */
			atomic_int _entire_mapcount;	/* PMD leaves mapping it, -1: none */
			atomic_int _large_mapcount;	/* every PMD + PTE mapping, -1: none */
			atomic_int _nr_pages_mapped;	/* pages with a PTE mapping,
							 * + ENTIRELY_MAPPED while PMD-mapped */
			atomic_int _pincount;		/* FOLL_PIN pins of a large folio */
		};
		struct {			/* ZONE_DEVICE pages (mm/memremap.c) */
			struct dev_pagemap *pgmap;	/* overlays compound_head: bit 0 clear */
			void *zone_device_data;	/* the driver's */
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

/* PG_swapcache is PG_owner_priv_1 of a swap-backed folio, as in Linux. */
#define PG_swapcache	PG_owner_priv_1

/* PageAnonExclusive shares its bit with PG_mappedtodisk, as in Linux. */
#define PG_anon_exclusive	PG_mappedtodisk

/* page->mapping of an anonymous page: the anon_vma | PAGE_MAPPING_ANON. */
#define PAGE_MAPPING_ANON	0x1UL
#define PAGE_MAPPING_FLAGS	0x3UL

/*
 * struct folio: a head page seen as the whole (possibly compound) unit.
 * It overlays struct page (Linux's is a union over the head and first
 * tail pages); a large folio (a THP: mm/huge_memory.c) keeps its mapcounts
 * in the first tail page, folio_page(folio, 1), and every folio_* helper
 * works from the head page.  page_folio(p) is
 * compound_head(p) cast; &folio->page is the head.
 */
struct folio {
	struct page page;
};

/* ---------------------------------------------------------------------
 * Address spaces: VMAs and their reverse mapping (mm/mmap.c, mm/vma.c,
 * mm/rmap.c).  Linux's include/linux/mm_types.h fields, as mm needs them.
 */
typedef unsigned long vm_flags_t;
typedef unsigned int vm_fault_t;

struct mm_struct;
struct file;
struct vm_area_struct;
struct vm_fault;

struct vm_operations_struct {
	void (*open)(struct vm_area_struct *vma);
	void (*close)(struct vm_area_struct *vma);
	int (*may_split)(struct vm_area_struct *vma, unsigned long addr);
	int (*mremap)(struct vm_area_struct *vma);
	vm_fault_t (*fault)(struct vm_fault *vmf);
	/* Fault-around: map what the cache has of [start, end] (filemap_map_pages). */
	vm_fault_t (*map_pages)(struct vm_fault *vmf, pgoff_t start_pgoff, pgoff_t end_pgoff);
	vm_fault_t (*page_mkwrite)(struct vm_fault *vmf);
	const char *(*name)(struct vm_area_struct *vma);
};

/*
 * An anon_vma: the root of the reverse map of anonymous pages.  Every
 * anonymous page's ->mapping points at the anon_vma of the VMA that first
 * faulted it; the VMAs that may map it (the VMA, its splits, and after
 * fork the children's copies) are reached through the anon_vma_chains
 * in rb_root (an interval tree on the VMAs' page offsets).
 */
struct anon_vma {
	struct anon_vma *root;		/* the root of this anon_vma tree */
	struct rw_semaphore rwsem;	/* the root's is the one taken (anon_vma_lock_*) */
	atomic_t refcount;
	unsigned long num_children;	/* anon_vmas whose parent is this one */
	unsigned long num_active_vmas;	/* VMAs whose vma->anon_vma is this one */
	struct anon_vma *parent;
	struct rb_root_cached rb_root;	/* anon_vma_chains by [pgoff, last pgoff] */
};

/* Links one VMA with one anon_vma (a VMA has one per ancestor after fork). */
struct anon_vma_chain {
	struct vm_area_struct *vma;
	struct anon_vma *anon_vma;
	struct list_head same_vma;	/* on vma->anon_vma_chain */
	struct rb_node rb;		/* in anon_vma->rb_root */
	unsigned long rb_subtree_last;
};

struct vm_area_struct {
	unsigned long vm_start;		/* first byte */
	unsigned long vm_end;		/* first byte after */
	struct mm_struct *vm_mm;
	pgprot_t vm_page_prot;		/* the PTE protection of vm_flags */
	vm_flags_t vm_flags;		/* VM_* (mm.h) */
	unsigned long vm_pgoff;		/* offset in PAGE_SIZE units (file, or vm_start >> PAGE_SHIFT for anon) */
	struct file *vm_file;		/* NULL for anonymous memory */
	struct list_head shared;	/* on vm_file->f_mapping->i_mmap (Linux: shared.rb,
					 * an interval tree; a list until the page cache) */
	void *vm_private_data;
	struct anon_vma *anon_vma;	/* NULL until the first anonymous page */
	struct list_head anon_vma_chain;	/* its anon_vma_chains (same_vma) */
	const struct vm_operations_struct *vm_ops;
	const char *anon_name;		/* prctl(PR_SET_VMA_ANON_NAME), or NULL */
	unsigned long vm_lock_seq;	/* per-VMA lock: == mm->mm_lock_seq when write-locked */
};

#endif
