// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page_isolation.c - taking pageblocks out of circulation.
 *
 * start_isolate_page_range() marks every pageblock of a pfn range
 * MIGRATE_ISOLATE: their free pages move to the Isolate free lists, leave
 * NR_FREE_PAGES and cannot be allocated; pages freed into an isolated block
 * stay there (free_pcppages_bulk and free_unref_page check).  This is what
 * contiguous allocation, memory offlining and compaction build on.
 * undo_isolate_page_range() gives the blocks back and lets their free pages
 * merge again.  As in Linux, isolation fails with -EBUSY on a block that
 * holds unmovable pages in use (mmsim cannot migrate pages yet, so outside
 * ZONE_MOVABLE every page in use counts as unmovable).
 *
 * Locking: each block changes under its zone->lock (set_pageblock_isolate
 * in mm/page_mobility.c); per-CPU lists are drained after isolating so pages
 * parked there come home to the isolated block.
 */
#include "mm/internal.h"

/**
 * start_isolate_page_range - isolate the pageblocks of [start_pfn, end_pfn)
 * @migratetype: the type to restore if isolation fails part way
 *
 * Return: 0, or -EBUSY (nothing stays isolated then).
 */
int start_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype)
{
	unsigned long pfn;

	start_pfn = ALIGN_DOWN(start_pfn, pageblock_nr_pages);
	for (pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages) {
		if (!pfn_valid(pfn) || set_pageblock_isolate(pfn_to_page(pfn), true, 0)) {
			undo_isolate_page_range(start_pfn, pfn, migratetype);
			return -EBUSY;
		}
	}
	drain_all_pages(page_zone(pfn_to_page(start_pfn)));
	return 0;
}

/**
 * undo_isolate_page_range - give isolated pageblocks back as @migratetype
 */
void undo_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype)
{
	start_pfn = ALIGN_DOWN(start_pfn, pageblock_nr_pages);
	for (unsigned long pfn = start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages)
		if (pfn_valid(pfn))
			set_pageblock_isolate(pfn_to_page(pfn), false, migratetype);
}
