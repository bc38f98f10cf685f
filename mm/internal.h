/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/internal.h - declarations shared between mm/ files (and init/, fs/proc/),
 * not part of the public API.  Grouped by the file that owns them.  arch/
 * never includes it: what arch/ calls of mm is declared in arch's own
 * headers or the public ones.
 */
#ifndef MMSIM_MM_INTERNAL_H
#define MMSIM_MM_INTERNAL_H

#include "init/machine.h"
#include <mmsim/kasan.h>

/*
 * __mm_local - a function shared between mm/ files that was static before
 * its file was split (mm/page_alloc.c).  Hidden, so that libmmsim.so does
 * not export it and calls to it stay direct and non-interposable, as they
 * were while it was static: the split changes neither the library's
 * symbols nor how the allocator's own calls are made.
 */
#define __mm_local	__attribute__((visibility("hidden")))

/* Allocation flags (internal to the page allocator, as in Linux). */
#define ALLOC_WMARK_MIN		WMARK_MIN
#define ALLOC_WMARK_LOW		WMARK_LOW
#define ALLOC_WMARK_HIGH	WMARK_HIGH
#define ALLOC_NO_WATERMARKS	0x04
#define ALLOC_WMARK_MASK	(ALLOC_NO_WATERMARKS - 1)
#define ALLOC_OOM		0x08
#define ALLOC_NON_BLOCK		0x10	/* caller cannot block */
#define ALLOC_MIN_RESERVE	0x20	/* __GFP_HIGH: half of the min reserve */
#define ALLOC_CPUSET		0x40
#define ALLOC_CMA		0x80
#define ALLOC_NOFRAGMENT	0x100
#define ALLOC_HIGHATOMIC	0x200
#define ALLOC_KSWAPD		0x800

/* zone->flags bits (Linux's enum zone_flags): set by a fallback steal that
 * boosted the watermark (mm/page_mobility.c), cleared by rmqueue as it
 * wakes kswapd to reclaim the boost (mm/kswapd.c). */
#define ZONE_BOOSTED_WATERMARK	0
#define ALLOC_RESERVES (ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM)

/* mm/mm_init.c */
int mm_core_init(struct mmsim *m, char *err, size_t errlen);
void mm_core_exit(struct mmsim *m);
int mm_nr_nodes_wanted(struct mmsim *m);
extern const char *const zone_names[MAX_NR_ZONES];
void set_pageblock_migratetype(struct page *page, int migratetype);
static inline int get_pfnblock_migratetype(const struct zone *zone, unsigned long pfn)
{
	/* Read locklessly on the free path; written under zone->lock. */
	return READ_ONCE(zone->pageblock_flags[(pfn - zone->zone_start_pfn) >> pageblock_order]);
}
static inline int get_pageblock_migratetype(const struct page *page)
{
	return get_pfnblock_migratetype(page_zone(page), page_to_pfn(page));
}
static inline bool is_migrate_cma(int mt) { return mt == MIGRATE_CMA; }
static inline bool is_migrate_cma_page(const struct page *page)
{
	return is_migrate_cma(get_pageblock_migratetype(page));
}

/*
 * mm/page_alloc.c, the buddy core.  Also used by the files split from it:
 * mm/page_alloc_slow.c, mm/page_pcp.c, mm/page_alloc_init.c and
 * mm/page_mobility.c.
 */
void memblock_free_pages(struct page *page, unsigned long pfn, unsigned int order);
void __free_pages_core(struct page *page, unsigned int order);
/* mm/page_alloc.c: the allocation-order record of a split large folio. */
void split_page_owner(struct page *page, int old_order, int new_order);
bool page_is_buddy_of(struct zone *zone, struct page *buddy, unsigned int order);
unsigned long free_reserved_area(void *start, void *end, int poison, const char *s);
void zone_stat_set_threshold(struct zone *zone);
static inline bool is_migrate_highatomic(int mt) { return mt == MIGRATE_HIGHATOMIC; }
static inline int gfp_migratetype(gfp_t gfp)
{
	if (current_machine()->page_group_by_mobility_disabled)
		return MIGRATE_UNMOVABLE;
	return (int)((gfp & GFP_MOVABLE_MASK) >> GFP_MOVABLE_SHIFT);
}
/* Linux's gfp_to_alloc_flags_cma: movable requests may use CMA pageblocks.
 * (A long-term pin's migration target is GFP_USER, not movable: Linux's
 * memalloc_pin_save clearing __GFP_MOVABLE gives the same.) */
static inline unsigned int gfp_to_alloc_flags_cma(gfp_t gfp)
{
	return gfp_migratetype(gfp) == MIGRATE_MOVABLE ? ALLOC_CMA : 0;
}
static inline struct mmsim *M(void)	/* the machine of the calling CPU */
{
	return current_cpu->m;
}
/* What __alloc_pages() works out once and every allocation step shares. */
struct alloc_context {
	struct zonelist *zonelist;
	const unsigned long *nodemask;
	struct zoneref *preferred_zoneref;
	int migratetype;
	int highest_zoneidx;
};
/* May @ac allocate from the zone of @z (zone index and nodemask)? */
static inline bool zone_allowed(const struct zoneref *z, const struct alloc_context *ac)
{
	if (z->zone_idx > ac->highest_zoneidx)
		return false;
	if (ac->nodemask && !((ac->nodemask[z->zone->node / 64] >> (z->zone->node % 64)) & 1))
		return false;
	return true;
}
__mm_local struct page *get_page_from_freelist(gfp_t gfp, unsigned int order,
					       unsigned int alloc_flags,
					       const struct alloc_context *ac);
__mm_local bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
				    int highest_zoneidx, unsigned int alloc_flags,
				    long free_pages);
__mm_local void drain_pcp(struct zone *zone, struct per_cpu_pages *pcp);
/* FPI: free page internal flags. */
#define FPI_NONE	0
#define FPI_TO_TAIL	0x2
__mm_local void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone,
				unsigned int order, int migratetype, int fpi_flags);
__mm_local void free_one_page(struct zone *zone, struct page *page, unsigned long pfn,
			      unsigned int order, int migratetype, int fpi_flags);
__mm_local void bad_page(struct page *page, const char *reason);

/*
 * mm/page_alloc.c: the free lists' primitives, inline for the hot paths
 * and shared with mm/page_mobility.c.  Each is called with zone->lock held.
 */
static inline unsigned int buddy_order(const struct page *page)
{
	return (unsigned int)page->private;
}

/*
 * page->private of a buddy page is read without zone->lock by compaction's
 * migration scanner (buddy_order_unsafe's READ_ONCE), hence WRITE_ONCE.
 */
static inline void set_buddy_order(struct page *page, unsigned int order)
{
	WRITE_ONCE(page->private, order);
	__SetPageBuddy(page);
}

static inline void rmv_page_order(struct page *page)
{
	__ClearPageBuddy(page);
	WRITE_ONCE(page->private, 0);
}

static inline bool migratetype_is_mergeable(int mt)
{
	return mt < MIGRATE_PCPTYPES;
}

static inline void __account_zone_free(struct zone *zone, enum zone_stat_item item, long delta)
{
	atomic_long_t *v = &zone->vm_stat[item];

	lockdep_assert_held(&zone->lock);
	atomic_store_explicit(&v->counter,
			      atomic_load_explicit(&v->counter, memory_order_relaxed) + delta,
			      memory_order_relaxed);
}

/*
 * Account @delta pages of a @mt block free in @zone (Linux's
 * account_freepages): NR_FREE_PAGES, and NR_FREE_CMA_PAGES for CMA
 * blocks.  Always under zone->lock, so a relaxed load+store is exact;
 * readers may look without the lock.
 */
static inline void account_freepages(struct zone *zone, long delta, int mt)
{
	__account_zone_free(zone, NR_FREE_PAGES, delta);
	if (is_migrate_cma(mt))
		__account_zone_free(zone, NR_FREE_CMA_PAGES, delta);
}

static inline void add_to_free_list(struct page *page, struct zone *zone, unsigned int order,
				    int migratetype, bool tail)
{
	struct free_area *area = &zone->free_area[order];

	lockdep_assert_held(&zone->lock);
	if (tail)
		list_add_tail(&page->lru, &area->free_list[migratetype]);
	else
		list_add(&page->lru, &area->free_list[migratetype]);
	page->index = (pgoff_t)migratetype;	/* the list it is on */
	WRITE_ONCE(area->nr_free, area->nr_free + 1);
	WRITE_ONCE(area->nonempty, area->nonempty | (1UL << migratetype));
}

/* Keep free_area.nonempty true to the lists after a removal from @mt's list. */
static inline void update_nonempty(struct free_area *area, int mt)
{
	if (list_empty(&area->free_list[mt]))
		WRITE_ONCE(area->nonempty, area->nonempty & ~(1UL << mt));
}

static inline void move_to_free_list(struct page *page, struct zone *zone, unsigned int order,
				     int migratetype)
{
	struct free_area *area = &zone->free_area[order];
	int old_mt = (int)page->index;

	lockdep_assert_held(&zone->lock);
	list_move_tail(&page->lru, &area->free_list[migratetype]);
	page->index = (pgoff_t)migratetype;
	update_nonempty(area, old_mt);
	WRITE_ONCE(area->nonempty, area->nonempty | (1UL << migratetype));
}

static inline void del_page_from_free_list(struct page *page, struct zone *zone,
					   unsigned int order)
{
	struct free_area *area = &zone->free_area[order];
	int mt = (int)page->index;

	lockdep_assert_held(&zone->lock);
	list_del(&page->lru);
	rmv_page_order(page);
	page->index = 0;
	WRITE_ONCE(area->nr_free, area->nr_free - 1);
	update_nonempty(area, mt);
}

static inline struct page *get_page_from_free_area(struct free_area *area, int migratetype)
{
	return list_first_entry_or_null(&area->free_list[migratetype], struct page, lru);
}

/* mm/page_alloc.c, for compaction's free scanner (mm/compaction.c). */
__mm_local unsigned long __isolate_free_page(struct page *page, unsigned int order);
__mm_local struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int migratetype);
/* mm/cma.c, for __rmqueue (zone->lock held) */
struct page *__rmqueue_cma_balance(struct zone *zone, unsigned int order);
struct page *__rmqueue_cma_fallback(struct zone *zone, unsigned int order);
int cma_reserve_boot(struct mmsim *m, char *err, size_t len);
void cma_activate_areas(struct mmsim *m);
__mm_local void post_alloc_hook(struct page *page, unsigned int order, gfp_t gfp);

/* mm/kswapd.c */
bool kswapd_is_running(pg_data_t *pgdat);
/* mm/compaction.c: kswapd clears the skip hints as it goes to sleep. */
void reset_isolation_suitable(pg_data_t *pgdat);

/* mm/page_alloc_slow.c */
__mm_local struct page *__alloc_pages_slowpath(gfp_t gfp, unsigned int order,
					       struct alloc_context *ac);
void warn_alloc(gfp_t gfp_mask, const char *fmt, ...) __printf(2, 3);

/* mm/page_pcp.c */
void pcp_drain_pending(struct cpu_state *c);
void zone_pcp_init(struct zone *zone);
void zone_pcp_free(struct zone *zone);
void zone_pcp_update(struct zone *zone);
int zone_batchsize(struct zone *zone);

/* mm/page_alloc_init.c */
void build_all_zonelists(struct mmsim *m);
unsigned long nr_free_zone_pages(int offset);
void init_per_zone_wmark_min(void);
void setup_per_zone_wmarks(void);
void setup_per_zone_lowmem_reserve(void);
void calculate_totalreserve_pages(void);
int calculate_min_free_kbytes(void);

/* mm/page_mobility.c */
__mm_local bool __rmqueue_fallback(struct zone *zone, int order, int start_mt,
				   unsigned int alloc_flags);
__mm_local void reserve_highatomic_pageblock(struct page *page, struct zone *zone);
__mm_local bool unreserve_highatomic_pageblock(const struct alloc_context *ac, bool force);
int set_pageblock_isolate(struct page *page, bool isolate, int migratetype);

/* mm/util.c: proc_doulongvec_minmax for one unsigned long (extra1: its
 * minimum, or NULL; no maximum), the handler of the mm sysctls in bytes. */
struct ctl_table;
struct seq_file;
int proc_doulongvec_minmax(const struct ctl_table *t, int write, struct seq_file *sf,
			   const char *text);

/* mm/debug.c: the simulated kernel address of a memmap or direct map
 * pointer, for reports (anything else comes back as it is). */
unsigned long sim_kaddr(unsigned long v);
const char *kaddr_str(const void *p, char *buf, size_t len);
void report_nonlinear_free(const void *x);

/* mm/debug.c: dump_page's "flags" words ("uptodate|lru|node=0|zone=1"). */
void format_page_flags(const struct page *page, char *buf, size_t len);

/* mm/page_owner.c: who allocated each page (page_owner=on). */
void __set_page_owner(struct page *page, unsigned int order, gfp_t gfp_mask);
void __reset_page_owner(struct page *page, unsigned int order);
void __split_page_owner(struct page *page, unsigned int order);
static inline bool page_owner_enabled(void)
{
	return unlikely(M()->page_owner);
}

/* mm/kasan/: kasan=on for this machine (the allocators' hooks test it first). */
static inline bool kasan_enabled(void)
{
#ifdef CONFIG_KASAN
	return unlikely(M()->kasan);
#else
	return false;
#endif
}
/* mm/kmsan/: kmsan=on took effect on this machine (the hooks' switch). */
#ifdef CONFIG_KMSAN
static inline bool kmsan_machine_on(void)
{
	return unlikely(current_machine()->kmsan != NULL);
}
#else
static inline bool kmsan_machine_on(void)
{
	return false;
}
#endif
int kmsan_init_shadow(struct mmsim *m, char *err, size_t len);

/* mm/show_mem.c */
void __show_mem(unsigned int filter, int max_zone_idx);

/* lib/fault-inject.c */
void fault_attr_init(struct fault_attr *fa, uint64_t seed);
bool should_fail(struct fault_attr *fa, const char *name, size_t size);
int setup_fault_attr(struct fault_attr *fa, const char *name, const char *str, char *err,
		     size_t len);

/* mm/fail_page_alloc.c */
bool __should_fail_alloc_page(gfp_t gfp_mask, unsigned int order);
static inline bool should_fail_alloc_page(gfp_t gfp_mask, unsigned int order)
{
	if (likely(!current_cpu->m->fail_page_alloc.probability))
		return false;
	return __should_fail_alloc_page(gfp_mask, order);
}
void fail_page_alloc_init(struct mmsim *m);

/* mm/vmstat.c: the per-CPU event counter, inline for the hot paths. */
static inline void __count_vm_events(enum vm_event_item item, long delta)
{
	unsigned long *c = &current_cpu->vm_events[item];

	WRITE_ONCE(*c, READ_ONCE(*c) + (unsigned long)delta);
}

static inline void __count_zid_vm_events_alloc(int zid, long delta)
{
	__count_vm_events((enum vm_event_item)(PGALLOC_DMA + zid), delta);
}

#endif
