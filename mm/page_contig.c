// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page_contig.c - the contiguous allocator (Linux's alloc_contig_range,
 * alloc_contig_pages and free_contig_range of mm/page_alloc.c, under
 * CONFIG_CONTIG_ALLOC): physically contiguous ranges of any size, larger
 * than the buddy allocator's MAX_PAGE_ORDER blocks (gigantic hugetlb pages
 * at run time; CMA in Linux).
 *
 * Design.  alloc_contig_range(start, end):
 *   1. every pageblock of the range, widened to MAX_ORDER_NR_PAGES
 *      alignment so that no free buddy block straddles its ends (Linux's
 *      pfn_max_align_down/up before 5.18), is isolated
 *      (start_isolate_page_range, mm/page_isolation.c): -EBUSY when one
 *      holds unmovable pages in use (slab, a hugetlb page, a page-table
 *      page, a reserved page); its free pages leave the allocator's reach;
 *   2. the LRU folios in use in [start, end) are migrated elsewhere
 *      (__alloc_contig_migrate_range: order-0 folios and THPs, which
 *      migrate_pages() splits and moves piece by piece; targets come from
 *      outside the isolated blocks since those cannot be allocated from);
 *   3. test_pages_isolated(): every page of the range is a free buddy page
 *      now, else -EBUSY (a pinned page stayed, or a page was busy);
 *   4. the free buddy blocks covering the range are taken off the free
 *      lists (__isolate_free_page, which does not count isolated blocks in
 *      NR_FREE_PAGES) and handed out as order-0 pages with refcount 1
 *      (post_alloc_hook + split_page, as compaction's split_map_pages);
 *      the pages of those blocks outside [start, end) are freed again;
 *   5. the blocks get their migratetype back (undo_isolate_page_range).
 * The caller owns [start, end) as nr order-0 pages; free_contig_range()
 * puts each one (Linux's).  alloc_contig_pages() looks for a naturally
 * aligned range of nr_pages in the zones the gfp mask allows (on @nid, or
 * on every node), skipping ranges that obviously cannot be had
 * (pfn_range_valid_contig: reserved pages, hugetlb pages, holes, a zone
 * boundary) and trying alloc_contig_range on the others.
 *
 * Locking: no lock held on entry (it migrates, which sleeps); zone->lock
 * around each free block taken.  Concurrent alloc_contig_range calls on
 * overlapping ranges are refused by the isolation (a block already
 * isolated is -EBUSY).
 *
 * Invariants: on success every page of [start, end) has refcount 1, no
 * flags the allocator checks, and is on no list; on failure the range's
 * blocks have their migratetype back and nothing was taken.
 */
#include <errno.h>
#include <mmsim/gfp.h>
#include <mmsim/hugetlb.h>
#include <mmsim/compaction.h>
#include <mmsim/swap.h>
#include <mmsim/migrate.h>
#include "mm/internal.h"

/* The first pfn of the free buddy block holding @pfn, or @pfn if none. */
static unsigned long buddy_start(struct zone *zone, unsigned long pfn)
{
	unsigned long found = pfn;

	spin_lock(&zone->lock);
	for (unsigned int order = 0; order <= MAX_PAGE_ORDER; order++) {
		unsigned long head = pfn & ~((1UL << order) - 1);
		struct page *page;

		if (!zone_spans_pfn(zone, head))
			break;
		page = pfn_to_page(head);
		if (PageBuddy(page) && buddy_order(page) >= order) {
			found = head;
			break;
		}
	}
	spin_unlock(&zone->lock);
	return found;
}

/*
 * Take the free blocks from @start up to at least @end (Linux's
 * isolate_freepages_range, strict): the pfn after the last page taken, or
 * 0 when a page of the range was not free (what was taken is freed again).
 */
static unsigned long take_free_range(struct zone *zone, unsigned long start, unsigned long end)
{
	unsigned long pfn = start;

	while (pfn < end) {
		struct page *page = pfn_to_page(pfn);
		unsigned int order = 0;
		bool taken = false;

		spin_lock(&zone->lock);
		if (PageBuddy(page)) {
			order = buddy_order(page);
			taken = __isolate_free_page(page, order) != 0;
		}
		spin_unlock(&zone->lock);
		if (!taken) {
			if (pfn > start)
				free_contig_range(start, pfn - start);
			return 0;
		}
		post_alloc_hook(page, order, __GFP_MOVABLE);
		if (order)
			split_page(page, order);
		pfn += 1UL << order;
	}
	return pfn;
}

/**
 * alloc_contig_range - take the pages [start, end) for the caller
 * @migratetype: the pageblocks' type, given back afterwards (MIGRATE_MOVABLE)
 * @gfp_mask: the caller's (reclaim/compaction modifiers); unused beyond that
 * Context: may sleep; no lock held.
 * Return: 0 (the caller owns end - start order-0 pages, refcount 1 each),
 * -EBUSY (something in the range cannot be moved or is in use), -ENOMEM
 * (no page to migrate to), -EINVAL (an empty range).
 */
int alloc_contig_range(unsigned long start, unsigned long end, unsigned int migratetype,
		       gfp_t gfp_mask)
{
	unsigned long iso_start = ALIGN_DOWN(start, MAX_ORDER_NR_PAGES);
	unsigned long iso_end = ALIGN(end, MAX_ORDER_NR_PAGES);
	unsigned long outer_start, outer_end;
	struct zone *zone;
	int ret;

	(void)gfp_mask;
	if (start >= end || !pfn_valid(start) || !pfn_valid(end - 1))
		return -EINVAL;
	zone = page_zone(pfn_to_page(start));
	if (!zone_spans_pfn(zone, end - 1))
		return -EINVAL;
	/* The widened range must stay in the zone; the plain one then. */
	if (!zone_spans_pfn(zone, iso_start))
		iso_start = ALIGN_DOWN(start, pageblock_nr_pages);
	if (!zone_spans_pfn(zone, iso_end - 1))
		iso_end = ALIGN(end, pageblock_nr_pages);

	lru_add_drain_all();	/* folios in per-CPU batches get PG_lru */
	ret = start_isolate_page_range(iso_start, iso_end, (int)migratetype);
	if (ret)
		return ret;
	ret = __alloc_contig_migrate_range(start, end);
	if (ret && ret != -EBUSY)
		goto done;
	/* Pages parked on per-CPU lists by the frees above come home. */
	drain_all_pages(zone);
	ret = -EBUSY;
	outer_start = buddy_start(zone, start);
	if (outer_start < iso_start || test_pages_isolated(outer_start, end))
		goto done;
	outer_end = take_free_range(zone, outer_start, end);
	if (!outer_end)
		goto done;
	if (outer_end > iso_end) {
		/* Cannot happen: no block straddles an isolated MAX_ORDER edge. */
		WARN_ON_ONCE(1);
	}
	if (start != outer_start)
		free_contig_range(outer_start, start - outer_start);
	if (end != outer_end)
		free_contig_range(end, outer_end - end);
	ret = 0;
done:
	undo_isolate_page_range(iso_start, iso_end, (int)migratetype);
	return ret;
}

/**
 * free_contig_range - put each of the @nr_pages order-0 pages from @pfn
 * (what alloc_contig_range handed out)
 */
void free_contig_range(unsigned long pfn, unsigned long nr_pages)
{
	for (unsigned long i = 0; i < nr_pages; i++)
		__free_page(pfn_to_page(pfn + i));
}

/* Could [start, start + nr) be had (Linux's pfn_range_valid_contig)? */
static bool pfn_range_valid_contig(struct zone *zone, unsigned long start, unsigned long nr)
{
	for (unsigned long pfn = start; pfn < start + nr; pfn++) {
		struct page *page;

		if (!pfn_valid(pfn))
			return false;
		page = pfn_to_page(pfn);
		if (page_zone(page) != zone || PageReserved(page) || PageHuge(page))
			return false;
	}
	return true;
}

static struct page *alloc_contig_node(unsigned long nr_pages, gfp_t gfp_mask, int nid)
{
	pg_data_t *pgdat = NODE_DATA(nid);

	for (int z = gfp_zone(gfp_mask); z >= 0; z--) {
		struct zone *zone = &pgdat->node_zones[z];
		unsigned long pfn;

		if (!populated_zone(zone))
			continue;
		/* Naturally aligned when nr_pages is a power of two (Linux's). */
		for (pfn = (zone->zone_start_pfn + nr_pages - 1) / nr_pages * nr_pages;
		     pfn + nr_pages <= zone_end_pfn(zone) && pfn + nr_pages > pfn; pfn += nr_pages) {
			if (!pfn_range_valid_contig(zone, pfn, nr_pages))
				continue;
			if (!alloc_contig_range(pfn, pfn + nr_pages, MIGRATE_MOVABLE, gfp_mask))
				return pfn_to_page(pfn);
		}
	}
	return NULL;
}

/**
 * alloc_contig_pages - @nr_pages contiguous pages, naturally aligned when
 * @nr_pages is a power of two
 * @nid: the node to look on, or NUMA_NO_NODE for any (the local one first)
 * Return: the first page (each page order 0, refcount 1; free_contig_range
 * gives them back), or NULL.
 */
struct page *alloc_contig_pages(unsigned long nr_pages, gfp_t gfp_mask, int nid)
{
	struct page *page;
	int n;

	if (!nr_pages)
		return NULL;
	if (nid != NUMA_NO_NODE)
		return alloc_contig_node(nr_pages, gfp_mask, nid);
	for_each_online_node(n) {
		page = alloc_contig_node(nr_pages, gfp_mask, n);
		if (page)
			return page;
		if (gfp_mask & __GFP_THISNODE)
			break;
	}
	return NULL;
}
