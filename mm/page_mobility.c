// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page_mobility.c - grouping pages by mobility: how pageblocks change
 * migratetype.  Section 2 of the theory statement in mm/page_alloc.c.
 *
 * Owns:
 *   fallbacks[]              the order in which a type borrows from the
 *                            others (Linux's);
 *   __rmqueue_fallback()     an allocation whose own lists are empty takes
 *                            a block of another type, stealing its whole
 *                            pageblock when that fragments least
 *                            (can_steal_fallback, steal_suitable_fallback);
 *   the HighAtomic reserve   reserve_highatomic_pageblock() and
 *                            unreserve_highatomic_pageblock(), counted in
 *                            zone->nr_reserved_highatomic;
 *   isolation                set_pageblock_isolate(), for
 *                            mm/page_isolation.c;
 * and the moves they share: move_freepages(), move_freepages_block(),
 * split_free_block_around().  The free lists themselves and their
 * primitives (add_to_free_list and friends, mm/internal.h) belong to
 * mm/page_alloc.c, which calls in here only when the requested type's
 * lists are empty (__rmqueue) or for a high-order atomic allocation.
 *
 * States of a pageblock (zone->pageblock_flags, one migratetype each):
 *   Unmovable, Movable, Reclaimable - the pcp types.  An allocation whose
 *       own lists are empty takes a block of another, in fallbacks[] order.
 *       A block of pageblock order or more changes type with it
 *       (change_pageblock_range); for a smaller one, a request that may
 *       steal (can_steal_fallback) moves the pageblock's free pages to its
 *       own lists (move_freepages_block) and claims the pageblock when at
 *       least half of it is free or of a compatible kind;
 *   HighAtomic - reserved by a high-order atomic allocation, up to about
 *       1% of the zone; given back to the requester's type when memory is
 *       short (unreserve_highatomic_pageblock);
 *   Isolate - out of circulation: its free pages are kept on the Isolate
 *       lists and not counted in NR_FREE_PAGES; set and cleared only by
 *       set_pageblock_isolate().
 *
 * Locking: everything here runs under zone->lock: __rmqueue_fallback()
 * and the moves are called with it held; reserve_highatomic_pageblock(),
 * unreserve_highatomic_pageblock() and set_pageblock_isolate() take it
 * themselves, one zone at a time, and are called with no zone->lock held.
 * zone->lock is a leaf: nothing here takes another lock under it.
 *
 * Invariants (checkable; zone_is_valid() in mm/debug.c checks the lists):
 *   zone->nr_reserved_highatomic is a multiple of pageblock_nr_pages
 *   reserve_highatomic_pageblock() raises it only while it is below
 *   ALIGN(zone_managed_pages(zone) / 100, pageblock_nr_pages)
 *   after boot, a pageblock becomes or stops being MIGRATE_ISOLATE only
 *   in set_pageblock_isolate()
 *   set_pageblock_isolate(page, true, mt) == 0 implies: the pageblock lies
 *   wholly inside the zone, it is MIGRATE_ISOLATE, no free block on a
 *   list other than Isolate overlaps it, and (outside ZONE_MOVABLE) none
 *   of its pages was PageReserved or in use off the LRU
 *   every free block moved here keeps page->index == the list it is on
 */
#include <mmsim/hugetlb.h>
#include "mm/internal.h"

/* Where an allocation of a type falls back to, in order (Linux's fallbacks[]). */
static const int fallbacks[MIGRATE_PCPTYPES][MIGRATE_PCPTYPES - 1] = {
	[MIGRATE_UNMOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_MOVABLE },
	[MIGRATE_MOVABLE] = { MIGRATE_RECLAIMABLE, MIGRATE_UNMOVABLE },
	[MIGRATE_RECLAIMABLE] = { MIGRATE_UNMOVABLE, MIGRATE_MOVABLE },
};

/* ---------------------------------------------------------------------
 * Fallback and pageblock stealing
 */

/* Move the free blocks in [start_pfn, end_pfn] to @migratetype's lists.  zone->lock held. */
static int move_freepages(struct zone *zone, unsigned long start_pfn, unsigned long end_pfn,
			  int migratetype, int *num_movable)
{
	int moved = 0;

	lockdep_assert_held(&zone->lock);
	if (num_movable)
		*num_movable = 0;
	for (unsigned long pfn = start_pfn; pfn <= end_pfn;) {
		struct page *page = pfn_to_page(pfn);

		if (!PageBuddy(page)) {
			/* Allocated pages that look movable count as "alike". */
			if (num_movable && (PageLRU(page) || READ_ONCE(page->mapping)))
				(*num_movable)++;
			pfn++;
			continue;
		}
		unsigned int order = buddy_order(page);

		move_to_free_list(page, zone, order, migratetype);
		pfn += 1UL << order;
		moved += 1 << order;
	}
	return moved;
}

/* move_freepages() over the whole pageblock of @page.  zone->lock held. */
static int move_freepages_block(struct zone *zone, struct page *page, int migratetype,
				int *num_movable)
{
	unsigned long pfn = ALIGN_DOWN(page_to_pfn(page), pageblock_nr_pages);
	unsigned long end = pfn + pageblock_nr_pages - 1;

	lockdep_assert_held(&zone->lock);
	/* Only whole blocks inside the zone can change type. */
	if (!zone_spans_pfn(zone, pfn) || !zone_spans_pfn(zone, end))
		return 0;
	return move_freepages(zone, pfn, end, migratetype, num_movable);
}

/*
 * A free block larger than a pageblock that contains @target_pfn is split
 * so that the pageblock of @target_pfn is a free block of its own; the
 * other pieces stay as large as they can.  zone->lock held.
 */
static void split_free_block_around(struct zone *zone, unsigned long target_pfn)
{
	lockdep_assert_held(&zone->lock);
	for (unsigned int o = MAX_PAGE_ORDER; o > pageblock_order; o--) {
		unsigned long head_pfn = target_pfn & ~((1UL << o) - 1);
		struct page *head = pfn_to_page(head_pfn);
		int mt;

		if (!zone_spans_pfn(zone, head_pfn) || !PageBuddy(head) || buddy_order(head) != o)
			continue;
		mt = (int)head->index;
		del_page_from_free_list(head, zone, o);
		while (o > pageblock_order) {
			unsigned long half = 1UL << --o;
			struct page *other;

			if (target_pfn >= head_pfn + half) {
				other = head;
				head += half;
				head_pfn += half;
			} else {
				other = head + half;
			}
			add_to_free_list(other, zone, o, mt, false);
			set_buddy_order(other, o);
		}
		add_to_free_list(head, zone, o, mt, false);
		set_buddy_order(head, o);
		return;
	}
}

/*
 * set_pageblock_isolate - make the pageblock of @page MIGRATE_ISOLATE (its
 * free pages leave NR_FREE_PAGES and can no longer be allocated), or give
 * it back as @migratetype.  Returns 0, or -EBUSY when a page of the block
 * is in use and could not be moved away: in use and not on an LRU (in
 * ZONE_MOVABLE every page counts as movable, as in Linux).
 */
int set_pageblock_isolate(struct page *page, bool isolate, int migratetype)
{
	struct zone *zone = page_zone(page);
	unsigned long start = ALIGN_DOWN(page_to_pfn(page), pageblock_nr_pages);
	unsigned long end = start + pageblock_nr_pages;
	int ret = 0, moved, old_mt;

	spin_lock(&zone->lock);
	if (isolate == (get_pfnblock_migratetype(zone, start) == MIGRATE_ISOLATE)) {
		ret = -EBUSY;	/* already (not) isolated */
		goto out;
	}
	if (!zone_spans_pfn(zone, start) || !zone_spans_pfn(zone, end - 1)) {
		ret = -EBUSY;
		goto out;
	}
	if (isolate && zone_idx(zone) != ZONE_MOVABLE) {
		for (unsigned long pfn = start; pfn < end;) {
			struct page *p = pfn_to_page(pfn);

			if (PageBuddy(p)) {
				pfn += 1UL << buddy_order(p);
				continue;
			}
			/* A compound page: a THP on the LRU can be split and
			 * migrated away, the rest (hugetlb, slab) cannot. */
			if (PageCompound(p)) {
				struct page *head = compound_head(p);

				if (PageHead(head) && !PageHuge(head) &&
				    (PageLRU(head) || PageAnon(head))) {
					pfn = page_to_pfn(head) + (1UL << compound_order(head));
					continue;
				}
				ret = -EBUSY;
				goto out;
			}
			/* An LRU folio in use can be migrated away (Linux's
			 * has_unmovable_pages); anything else in use cannot. */
			if (PageLRU(p) && !PageReserved(p)) {
				pfn++;
				continue;
			}
			if (page_ref_count(p) || PageReserved(p)) {
				ret = -EBUSY;	/* unmovable page in use */
				goto out;
			}
			pfn++;	/* free on a per-CPU list: the drain brings it here */
		}
	}
	if (isolate)
		split_free_block_around(zone, start);
	old_mt = get_pfnblock_migratetype(zone, start);
	set_pageblock_migratetype(page, isolate ? MIGRATE_ISOLATE : migratetype);
	moved = move_freepages(zone, start, end - 1, isolate ? MIGRATE_ISOLATE : migratetype,
			       NULL);
	account_freepages(zone, isolate ? -moved : moved, isolate ? old_mt : migratetype);
	if (!isolate) {
		/* Isolated blocks did not merge with their neighbours: let them now. */
		for (unsigned long pfn = start; pfn < end;) {
			struct page *p = pfn_to_page(pfn);
			unsigned int order;

			if (!PageBuddy(p)) {
				pfn++;
				continue;
			}
			order = buddy_order(p);
			if (order >= pageblock_order) {
				del_page_from_free_list(p, zone, order);
				account_freepages(zone, -(1L << order), migratetype);
				__free_one_page(p, pfn, zone, order, migratetype, FPI_NONE);
			}
			pfn += 1UL << order;
		}
	}
out:
	spin_unlock(&zone->lock);
	return ret;
}

/*
 * Should an allocation of @start_mt that falls back at @order steal the
 * whole pageblock?  Large orders, and unmovable or reclaimable requests
 * (which would pollute the block anyway), do.
 */
static bool can_steal_fallback(unsigned int order, int start_mt)
{
	if (order >= pageblock_order)
		return true;
	if (order >= pageblock_order / 2 || start_mt == MIGRATE_RECLAIMABLE ||
	    start_mt == MIGRATE_UNMOVABLE || M()->page_group_by_mobility_disabled)
		return true;
	return false;
}

static void change_pageblock_range(struct page *pageblock_page, unsigned int start_order,
				   int migratetype)
{
	int nr_pageblocks = 1 << (start_order - pageblock_order);

	while (nr_pageblocks--) {
		set_pageblock_migratetype(pageblock_page, migratetype);
		pageblock_page += pageblock_nr_pages;
	}
}

/*
 * steal_suitable_fallback - take @page for @start_type, and its pageblock
 * if it is worth it.  A block of pageblock_order or more changes type
 * whole; a HighAtomic block, or a request that may not steal (@whole_block
 * false), moves only @page to @start_type's list.  Otherwise every free
 * page of the block moves to @start_type's lists first (as Linux 6.8's
 * move_freepages_block() does, counting the movable ones), and the block's
 * type then changes only when more than half of it is free or of a
 * compatible kind; if it does not, the moved pages stay on @start_type's
 * lists in a block of another type, as in Linux.
 */
/*
 * boost_watermark - a fallback steal fragments the zone: raise its
 * watermarks by a pageblock, up to watermark_boost_factor (basis points)
 * of the high watermark, so kswapd reclaims (and compaction could then
 * defragment) before more fallbacks happen.  Not in zones under four
 * pageblocks, nor before the watermarks are set.  zone->lock held.
 */
static bool boost_watermark(struct zone *zone)
{
	unsigned long max_boost;
	int factor = READ_ONCE(M()->vm.watermark_boost_factor);

	if (factor <= 0)
		return false;
	if (pageblock_nr_pages * 4 > zone_managed_pages(zone))
		return false;
	max_boost = zone->_watermark[WMARK_HIGH] * (unsigned long)factor / 10000;
	if (!max_boost)
		return false;
	max_boost = max(pageblock_nr_pages, max_boost);
	WRITE_ONCE(zone->watermark_boost,
		   min(zone->watermark_boost + pageblock_nr_pages, max_boost));
	return true;
}

static void steal_suitable_fallback(struct zone *zone, struct page *page, int start_type,
				    bool whole_block, unsigned int alloc_flags)
{
	unsigned int current_order = buddy_order(page);
	int free_pages, movable_pages, alike_pages;
	int old_block_type = get_pageblock_migratetype(page);

	if (is_migrate_highatomic(old_block_type))
		goto single_page;
	if (current_order >= pageblock_order) {
		change_pageblock_range(page, current_order, start_type);
		goto single_page;
	}
	/*
	 * Boost the watermarks to make future fallbacks less likely; wake
	 * kswapd (rmqueue does, once zone->lock is dropped): the node may be
	 * balanced and kswapd would not wake on its own.
	 */
	if (boost_watermark(zone) && (alloc_flags & ALLOC_KSWAPD))
		__atomic_or_fetch(&zone->flags, 1UL << ZONE_BOOSTED_WATERMARK, __ATOMIC_RELAXED);
	if (!whole_block)
		goto single_page;
	free_pages = move_freepages_block(zone, page, start_type, &movable_pages);
	if (!free_pages)
		goto single_page;
	if (start_type == MIGRATE_MOVABLE)
		alike_pages = movable_pages;
	else if (old_block_type == MIGRATE_MOVABLE)
		alike_pages = (int)pageblock_nr_pages - (free_pages + movable_pages);
	else
		alike_pages = 0;
	/* More than half free or alike: the block becomes ours. */
	if (free_pages + alike_pages >= (1 << (pageblock_order - 1)) ||
	    M()->page_group_by_mobility_disabled)
		set_pageblock_migratetype(page, start_type);
	return;

single_page:
	move_to_free_list(page, zone, current_order, start_type);
}

/* The first fallback type with a free block at @order, or -1. */
static int find_suitable_fallback(struct free_area *area, unsigned int order, int migratetype,
				  bool only_stealable, bool *can_steal)
{
	*can_steal = false;
	if (READ_ONCE(area->nr_free) == 0)
		return -1;
	for (int i = 0; i < MIGRATE_PCPTYPES - 1; i++) {
		int fallback_mt = fallbacks[migratetype][i];

		if (free_area_empty(area, fallback_mt))
			continue;
		if (can_steal_fallback(order, migratetype))
			*can_steal = true;
		if (!only_stealable || *can_steal)
			return fallback_mt;
	}
	return -1;
}

/*
 * __rmqueue_fallback - take a block of another type.  The largest one is
 * stolen first (the least fragmenting choice); with ALLOC_NOFRAGMENT only
 * whole pageblocks may be taken.  zone->lock held.
 */
bool __rmqueue_fallback(struct zone *zone, int order, int start_mt, unsigned int alloc_flags)
{
	int min_order = order, current_order, fallback_mt;
	struct free_area *area;
	struct page *page;
	bool can_steal;

	lockdep_assert_held(&zone->lock);
	if (alloc_flags & ALLOC_NOFRAGMENT)
		min_order = (int)pageblock_order;
	for (current_order = (int)MAX_PAGE_ORDER; current_order >= min_order; --current_order) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(area, (unsigned int)current_order, start_mt,
						     false, &can_steal);
		if (fallback_mt == -1)
			continue;
		/*
		 * A movable request that cannot claim the block takes the
		 * smallest fallback instead of breaking up a large one.
		 */
		if (!can_steal && start_mt == MIGRATE_MOVABLE && current_order > order)
			goto find_smallest;
		goto do_steal;
	}
	return false;

find_smallest:
	for (current_order = order; current_order < (int)NR_PAGE_ORDERS; current_order++) {
		area = &zone->free_area[current_order];
		fallback_mt = find_suitable_fallback(area, (unsigned int)current_order, start_mt,
						     false, &can_steal);
		if (fallback_mt != -1)
			break;
	}
	if (current_order == (int)NR_PAGE_ORDERS)
		return false;
do_steal:
	page = get_page_from_free_area(area, fallback_mt);
	if (!page)
		goto find_smallest;
	steal_suitable_fallback(zone, page, start_mt, can_steal, alloc_flags);
	return true;
}

/* ---------------------------------------------------------------------
 * High-atomic reserves
 */

/* Reserve the pageblock of @page for high-order atomic allocations. */
void reserve_highatomic_pageblock(struct page *page, struct zone *zone)
{
	unsigned long max_managed;
	int mt;

	/* At most 1% of the zone, rounded to a pageblock. */
	max_managed = ALIGN(zone_managed_pages(zone) / 100, pageblock_nr_pages);
	if (READ_ONCE(zone->nr_reserved_highatomic) >= max_managed)
		return;
	spin_lock(&zone->lock);
	if (zone->nr_reserved_highatomic >= max_managed)
		goto out;
	mt = get_pageblock_migratetype(page);
	if (migratetype_is_mergeable(mt)) {
		WRITE_ONCE(zone->nr_reserved_highatomic,
			   zone->nr_reserved_highatomic + pageblock_nr_pages);
		set_pageblock_migratetype(page, MIGRATE_HIGHATOMIC);
		move_freepages_block(zone, page, MIGRATE_HIGHATOMIC, NULL);
	}
out:
	spin_unlock(&zone->lock);
}

/*
 * unreserve_highatomic_pageblock - give a HighAtomic block back to the
 * requester's type when memory is short.  @force: even the last one.
 */
bool unreserve_highatomic_pageblock(const struct alloc_context *ac, bool force)
{
	struct zoneref *z;

	for (z = ac->zonelist->_zonerefs; z->zone; z++) {
		struct zone *zone = z->zone;

		if (z->zone_idx > ac->highest_zoneidx)
			continue;
		if (!force && READ_ONCE(zone->nr_reserved_highatomic) <= pageblock_nr_pages)
			continue;
		spin_lock(&zone->lock);
		for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
			struct page *page =
				get_page_from_free_area(&zone->free_area[order], MIGRATE_HIGHATOMIC);

			if (!page)
				continue;
			if (is_migrate_highatomic(get_pageblock_migratetype(page))) {
				WRITE_ONCE(zone->nr_reserved_highatomic,
					   zone->nr_reserved_highatomic -
					   min(pageblock_nr_pages, zone->nr_reserved_highatomic));
			}
			set_pageblock_migratetype(page, ac->migratetype);
			if (move_freepages_block(zone, page, ac->migratetype, NULL)) {
				spin_unlock(&zone->lock);
				return true;
			}
		}
		spin_unlock(&zone->lock);
	}
	return false;
}
