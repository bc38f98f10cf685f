/* SPDX-License-Identifier: GPL-2.0 */
/*
 * include/mmsim/swap.h - the LRU lists' interface (mm/swap.c), Linux's
 * <linux/swap.h> / <linux/mm_inline.h> names.  See mm/swap.c for the
 * design, locking and invariants.
 */
#ifndef MMSIM_SWAP_H
#define MMSIM_SWAP_H

#include <mmsim/mmzone.h>
#include <mmsim/mm_types.h>

#define PAGEVEC_SIZE 31

struct vm_area_struct;

void lruvec_init(struct lruvec *lruvec);
struct lruvec *folio_lruvec(struct folio *folio);

void folio_add_lru(struct folio *folio);
void folio_add_lru_vma(struct folio *folio, struct vm_area_struct *vma);
void lru_add_drain(void);
void lru_add_drain_cpu(int cpu);
void lru_add_drain_all(void);

void folio_activate(struct folio *folio);
void folio_mark_accessed(struct folio *folio);
void folio_deactivate(struct folio *folio);
void folio_mark_lazyfree(struct folio *folio);

/* mlock: an LRU folio moves to or from LRU_UNEVICTABLE. */
void folio_lru_mlock(struct folio *folio);
void folio_lru_munlock(struct folio *folio);

/* The last reference is gone: off the LRU before the allocator sees it. */
void __page_cache_release(struct folio *folio);

/* The lists match their counters and flags (WARNs and false if not). */
bool lru_is_valid(pg_data_t *pgdat);
bool lru_all_valid(void);
unsigned long lruvec_list_size(struct lruvec *lruvec, enum lru_list lru);


/* =====================================================================
 * Issue 13: reclaim and swap.  Linux's <linux/swap.h> names.  Owners:
 * swap areas mm/swapfile.c + mm/page_io.c; the swap cache mm/swap_state.c;
 * reclaim mm/vmscan.c (+ mm/lru_policy.c); kswapd mm/kswapd.c; workingset
 * mm/workingset.c.  Swap entries in page tables: <mmsim/swapops.h>.
 */
#include <mmsim/spinlock.h>
#include <mmsim/rbtree.h>
#include <mmsim/gfp.h>
#include <mmsim/mm.h>

struct writeback_control;
struct vm_fault;
struct block_device;
struct file;
struct address_space;
struct sysinfo;
struct zonelist;
struct zone;
struct mmsim;

/*
 * A swap entry: the area's type in the high bits, the page offset in the
 * area in the low bits (Linux's arch-independent swp_entry_t; the PTE
 * form is arch-specific, see swapops.h).  val == 0 is "no entry" (offset 0
 * of area 0 is the swap header, never handed out).
 */
typedef struct {
	unsigned long val;
} swp_entry_t;

#define SWP_TYPE_SHIFT		(sizeof(unsigned long) * 8 - MAX_SWAPFILES_SHIFT)
#define SWP_OFFSET_MASK		((1UL << SWP_TYPE_SHIFT) - 1)
#define MAX_SWAPFILES_SHIFT	5
/*
 * The top types of the 32 are not swap areas (Linux's <linux/swap.h>):
 * migration entries take three (a PTE of a page being migrated holds its
 * pfn; <mmsim/swapops.h>), leaving 29 areas.  mmsim has no device-private,
 * hwpoison or PTE-marker entries, so SWP_DEVICE_NUM, SWP_HWPOISON_NUM and
 * SWP_PTE_MARKER_NUM are 0.
 */
#define SWP_MIGRATION_NUM	3
#define MAX_SWAPFILES		((1 << MAX_SWAPFILES_SHIFT) - SWP_MIGRATION_NUM)
#define SWP_MIGRATION_READ	(MAX_SWAPFILES)
#define SWP_MIGRATION_READ_EXCLUSIVE (MAX_SWAPFILES + 1)
#define SWP_MIGRATION_WRITE	(MAX_SWAPFILES + 2)

/* sys_swapon's flags (include/uapi/linux/swap.h). */
#define SWAP_FLAG_PREFER	0x8000
#define SWAP_FLAG_PRIO_MASK	0x7fff
#define SWAP_FLAG_PRIO_SHIFT	0
#define SWAP_FLAG_DISCARD	0x10000
#define SWAP_FLAG_DISCARD_ONCE	0x20000
#define SWAP_FLAG_DISCARD_PAGES	0x40000
#define SWAP_FLAGS_VALID	(SWAP_FLAG_PRIO_MASK | SWAP_FLAG_PREFER | SWAP_FLAG_DISCARD | \
				 SWAP_FLAG_DISCARD_ONCE | SWAP_FLAG_DISCARD_PAGES)

/* swap_map[] values: a use count (PTEs and shmem entries) | SWAP_HAS_CACHE. */
#define SWAP_MAP_MAX		0x3e	/* the most a count holds (no continuation pages: -ENOMEM beyond) */
#define SWAP_MAP_BAD		0x3f	/* a bad slot (the header) */
#define SWAP_HAS_CACHE		0x40	/* a folio for this slot is in the swap cache */
#define SWAP_MAP_SHMEM		0xbf	/* (Linux's shmem marker; unused: shmem counts as 1) */
#define SWAPFILE_CLUSTER	256	/* slots per cluster */

/* swap_info_struct.flags (Linux's enum). */
enum {
	SWP_USED		= (1 << 0),	/* the slot of swap_info[] is taken */
	SWP_WRITEOK		= (1 << 1),	/* ok to allocate from (cleared by swapoff) */
	SWP_DISCARDABLE		= (1 << 2),
	SWP_DISCARDING		= (1 << 3),
	SWP_SOLIDSTATE		= (1 << 4),
	SWP_CONTINUED		= (1 << 5),
	SWP_BLKDEV		= (1 << 6),	/* a whole block device (a boot area /dev/swapN) */
	SWP_ACTIVATED		= (1 << 7),
	SWP_FS_OPS		= (1 << 8),
	SWP_AREA_DISCARD	= (1 << 9),
	SWP_PAGE_DISCARD	= (1 << 10),
	SWP_STABLE_WRITES	= (1 << 11),
	SWP_SYNCHRONOUS_IO	= (1 << 12),
	SWP_SCANNING		= (1 << 14),
};

/* A run of an area's pages contiguous on its block device (a swap file's extents). */
struct swap_extent {
	struct rb_node rb_node;
	pgoff_t start_page;		/* first page of the area in this extent */
	pgoff_t nr_pages;
	sector_t start_block;		/* its first block on the device, in PAGE_SIZE units */
};

struct swap_cluster_info {
	spinlock_t lock;		/* count, flags */
	unsigned short count;		/* slots in use */
	unsigned char flags;		/* CLUSTER_FLAG_* (swapfile.c) */
	unsigned char order;
	struct list_head list;		/* on the area's free/nonfull/full lists */
};

/*
 * One swap area.  mm/swapfile.c owns it and may add fields; the fields
 * below are the ones other files read.
 */
struct swap_info_struct {
	unsigned long flags;		/* SWP_*, under swap_lock and si->lock */
	signed short prio;		/* higher is used first; equal ones round-robin */
	signed char type;		/* index in the machine's swap_info[] */
	unsigned int max;		/* slots including the header (offset 0) */
	unsigned char *swap_map;	/* [max]: count | SWAP_HAS_CACHE; under the cluster lock */
	struct swap_cluster_info *cluster_info;
	unsigned int lowest_bit, highest_bit;	/* free slots lie within */
	unsigned int pages;		/* usable slots (max - 1 - bad) */
	unsigned int inuse_pages;	/* slots with a non-zero swap_map */
	struct rb_root swap_extent_root;
	struct block_device *bdev;	/* where the bytes go */
	struct file *swap_file;		/* the file (or device node) swapon was given */
	char *name;			/* the path /proc/swaps shows */
	spinlock_t lock;		/* flags, counters, lists */
	struct list_head list;		/* on the machine's list by priority */
	struct list_head avail_list;	/* on the allocation list while SWP_WRITEOK and not full */
	void *priv;			/* swapfile.c's private state */
};

/* ---- mm/swapfile.c: swap areas and their slots ---- */

/* Allocate one slot for @folio (anon or shmem, locked) with SWAP_HAS_CACHE
 * set: the highest-priority area with room, equal priorities round-robin,
 * cluster by cluster.  {0} when no area has room (or fail_page_alloc-like
 * injection says so). */
swp_entry_t folio_alloc_swap(struct folio *folio);
/* Give back the SWAP_HAS_CACHE of @entry (its slot is freed if no count is left). */
void put_swap_folio(struct folio *folio, swp_entry_t entry);
/* One more user of @entry (fork copies a swap PTE, shmem): 0, -ENOENT (free
 * slot), -ENOMEM (count at SWAP_MAP_MAX), -EINVAL (bad entry). */
int swap_duplicate(swp_entry_t entry);
/* One user fewer. */
void swap_free(swp_entry_t entry);
/* The PTE of @entry goes away (zap): drop the count and, if only the
 * swap cache is left and its folio is not locked/mapped, drop that too. */
void free_swap_and_cache(swp_entry_t entry);
/* Claim SWAP_HAS_CACHE before reading the slot in: 0, -EEXIST (another
 * reader has it), -ENOENT (slot free). */
int swapcache_prepare(swp_entry_t entry);
void swapcache_clear(struct swap_info_struct *si, swp_entry_t entry);
/* The count of @entry without SWAP_HAS_CACHE (0 for a free or bad entry). */
int __swap_count(swp_entry_t entry);
int swap_swapcount(struct swap_info_struct *si, swp_entry_t entry);
int swp_swapcount(swp_entry_t entry);
/* try_to_free_swap: a locked swap-cache folio whose slot nobody else uses
 * leaves the swap cache and frees its slot; true if it did. */
bool folio_free_swap(struct folio *folio);
struct swap_info_struct *swp_swap_info(swp_entry_t entry);
/* Pin the area of @entry against swapoff (NULL if the entry is stale). */
struct swap_info_struct *get_swap_device(swp_entry_t entry);
void put_swap_device(struct swap_info_struct *si);
/* The sector (512 B) of the slot's first byte on si->bdev. */
sector_t swap_folio_sector(struct folio *folio);
sector_t swap_entry_sector(swp_entry_t entry);
/* Free slots in all areas, and all usable slots (pages). */
long get_nr_swap_pages(void);
long get_total_swap_pages(void);
/*
 * Linux's vm_swap_full: more than half of the swap space is in use.  From
 * then on the slots of swap-cache folios that are in memory anyway are let
 * go of early (folio_free_swap): on swap-in (do_swap_page), when reclaim
 * activates a folio (shrink_folio_list), and when the last swap PTE of a
 * still-mapped folio goes (free_swap_and_cache, TTRS_FULL).
 */
bool vm_swap_full(void);
/* sysinfo's totalswap/freeswap (pages). */
void si_swapinfo(struct sysinfo *val);
/* Is there swap anyone could write to (reclaim's can_reclaim_anon_pages)? */
static inline bool swap_available(void) { return get_nr_swap_pages() > 0; }
/* The areas' internal consistency: slots in use == non-zero swap_map,
 * cluster counts, free lists (WARN and false if not). */
bool swap_info_is_valid(struct swap_info_struct *si);
bool swap_areas_are_valid(struct mmsim *m);
/* Iterate the machine's areas (swapon order: type). */
struct swap_info_struct *swap_info_get(struct mmsim *m, int type);
/* mkswap(8): write a swap header (version 1, no bad pages) into the first
 * page of the existing regular file @path, for all its whole pages (at
 * least 10); 0 or -errno.  mmsim_mkswap_file first creates (or truncates)
 * @path with @bytes of zeros written, so that it has no holes. */
int mmsim_mkswap(const char *path);
int mmsim_mkswap_file(const char *path, unsigned long long bytes);

/* ---- mm/page_io.c: a slot's bytes on its device ---- */

/* Write a locked swap-cache folio to its slot: writeback starts, the folio
 * is unlocked, PSWPOUT counted; it stays in the swap cache until reclaim
 * removes it.  0 or -errno (the folio is redirtied). */
int swap_writepage(struct page *page, struct writeback_control *wbc);
static inline int swap_writeout(struct folio *folio, struct writeback_control *wbc)
{
	return swap_writepage(&folio->page, wbc);
}
/* Read the slot of locked swap-cache @folio: uptodate and unlocked when the
 * bio completes (virtual time); PSWPIN counted.  @synchronous waits. */
void swap_read_folio(struct folio *folio, bool synchronous);

/* ---- mm/swap_state.c: the swap cache ---- */

/* The address_space holding @entry's swap-cache folio (one per area). */
struct address_space *swap_address_space(swp_entry_t entry);
static inline pgoff_t swap_cache_index(swp_entry_t entry)
{
	return entry.val & SWP_OFFSET_MASK;
}
static inline bool folio_test_swapcache(const struct folio *folio)
{
	return PageSwapCache(&folio->page);
}
/* folio->swap is page->private for a swap-cache folio (Linux's folio->swap). */
static inline swp_entry_t folio_swap_entry(const struct folio *folio)
{
	return (swp_entry_t){ folio->page.private };
}
int add_to_swap_cache(struct folio *folio, swp_entry_t entry, gfp_t gfp, void **shadowp);
void __delete_from_swap_cache(struct folio *folio, swp_entry_t entry, void *shadow);
void delete_from_swap_cache(struct folio *folio);
/* Reclaim's step for an anon folio: a slot, into the swap cache, dirty. */
bool add_to_swap(struct folio *folio);
/* The swap-cache folio of @entry, with a reference (swap_ra_hit counted). */
struct folio *swap_cache_get_folio(swp_entry_t entry, struct vm_area_struct *vma, unsigned long addr);
struct folio *__read_swap_cache_async(swp_entry_t entry, gfp_t gfp, struct vm_area_struct *vma,
				      unsigned long addr, bool *new_page_allocated);
struct folio *read_swap_cache_async(swp_entry_t entry, gfp_t gfp, struct vm_area_struct *vma,
				    unsigned long addr);
/* do_swap_page's read: the faulting slot and 2^page-cluster around it. */
struct folio *swapin_readahead(swp_entry_t entry, gfp_t gfp, struct vm_fault *vmf);
/* Drop the swap cache of an unmapped folio if its slot has no other user. */
void free_swap_cache(struct folio *folio);
/* show_mem's lines: "N pages in swap cache", "Free swap  = ...", "Total swap = ...". */
void show_swap_cache_info(void);
/* Every slot's count equals the swap PTEs of every mm plus the shmem
 * entries that hold it, and SWAP_HAS_CACHE is set iff the swap cache has
 * a folio for it (WARN and false if not).  Call with no task running. */
bool swap_counts_are_valid(struct mmsim *m);

/* ---- mm/vmscan.c: reclaim ---- */

/* Direct reclaim for an allocation (the slow path); pages reclaimed. */
unsigned long try_to_free_pages(struct zonelist *zonelist, int order, gfp_t gfp_mask,
				const unsigned long *nodemask);
/* Proactive reclaim of the whole machine (the root's memory.reclaim):
 * pages reclaimed; @swappiness < 0 uses vm.swappiness. */
unsigned long try_to_free_mem_cgroup_pages(void *memcg, unsigned long nr_pages, gfp_t gfp_mask,
					   unsigned int reclaim_options, int swappiness);
#define MEMCG_RECLAIM_MAY_SWAP	(1 << 1)
#define MEMCG_RECLAIM_PROACTIVE	(1 << 2)
/* MADV_PAGEOUT: reclaim these isolated folios now; pages reclaimed. */
unsigned long reclaim_pages(struct list_head *folio_list);
/* Pages a zone could get back by reclaim (file always, anon with swap). */
unsigned long zone_reclaimable_pages(struct zone *zone);
/* Off / back onto the LRU for a caller that works on a folio alone. */
bool folio_isolate_lru(struct folio *folio);
void folio_putback_lru(struct folio *folio);
/* A clean, unmapped, unlocked-by-others page-cache or swap-cache folio
 * leaves its mapping (1) or not (0). */
long remove_mapping(struct address_space *mapping, struct folio *folio);
/* vm.swappiness (0..200). */
int vm_swappiness(void);
/* True on the thread running kswapd (Linux: current->flags & PF_KSWAPD). */
bool current_is_kswapd(void);

/* The reclaim context of this CPU (Linux's PF_MEMALLOC on current; kept per
 * CPU because kswapd and other work run with no task): allocations made
 * while reclaiming may dip into the reserves and never reclaim again
 * (mm/page_alloc_slow.c). */
unsigned int memalloc_noreclaim_save(void);
void memalloc_noreclaim_restore(unsigned int flags);
bool current_in_memalloc(void);

/* ---- mm/kswapd.c ---- */
void wakeup_kswapd(struct zone *zone, gfp_t gfp_flags, int order, enum zone_type highest_zoneidx);

/* ---- mm/workingset.c ---- */
void *workingset_eviction(struct folio *folio);
void workingset_refault(struct folio *folio, void *shadow);
void workingset_activation(struct folio *folio);

#endif
