/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/internal.h - declarations shared between mm/ files (and arch/), not
 * part of the public API.  Grouped by the file that owns them.
 */
#ifndef MMSIM_MM_INTERNAL_H
#define MMSIM_MM_INTERNAL_H

#include "arch/machine.h"

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
#define ALLOC_RESERVES (ALLOC_NON_BLOCK | ALLOC_MIN_RESERVE | ALLOC_HIGHATOMIC | ALLOC_OOM)

/* arch/machine.c */
bool cpu_borrow(struct cpu_state *c);
void cpu_return(struct cpu_state *c);

/* mm/mm_init.c */
int mm_boot(struct mmsim *m, char *err, size_t errlen);
void mm_teardown(struct mmsim *m);
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

/* mm/page_alloc.c */
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
struct page *get_page_from_freelist(gfp_t gfp, unsigned int order, unsigned int alloc_flags,
				    const struct alloc_context *ac);
bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			 int highest_zoneidx, unsigned int alloc_flags, long free_pages);
bool unreserve_highatomic_pageblock(const struct alloc_context *ac, bool force);
void drain_pcp(struct zone *zone, struct per_cpu_pages *pcp);
void memblock_free_pages(struct page *page, unsigned long pfn, unsigned int order);
void __free_pages_core(struct page *page, unsigned int order);
int set_pageblock_isolate(struct page *page, bool isolate, int migratetype);
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

/* mm/page_alloc_slow.c */
struct page *__alloc_pages_slowpath(gfp_t gfp, unsigned int order, struct alloc_context *ac);
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
int fail_page_alloc_setup(struct mmsim *m, const char *str, char *err, size_t errlen);
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
