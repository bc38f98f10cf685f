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
 * holds unmovable pages in use: in use and not on an LRU (outside
 * ZONE_MOVABLE).  In-use LRU folios are movable: isolation succeeds, and
 * __alloc_contig_migrate_range() moves them out of the range with
 * migrate_pages() (mm/migrate.c) into pages allocated elsewhere (the range
 * itself is isolated, so no target can come from it); test_pages_isolated()
 * then says whether the whole range is free.  A THP in the range is
 * isolated whole (Linux's cc->alloc_contig rule) and migrate_pages()
 * splits it and moves the pieces.  alloc_contig_range() (mm/page_contig.c)
 * strings these together and takes the freed range.
 *
 * Locking: each block changes under its zone->lock (set_pageblock_isolate
 * in mm/page_mobility.c); per-CPU lists are drained after isolating so pages
 * parked there come home to the isolated block.  The migration takes the
 * locks migrate_pages() documents, with no lock held on entry.
 */
#include <errno.h>
#include <mmsim/hugetlb.h>
#include <mmsim/migrate.h>
#include <mmsim/swap.h>
#include <mmsim/rmap.h>
#include "mm/internal.h"
#include "mm/lru_internal.h"

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

/* A migration target outside the isolated range (Linux's alloc_migration_target). */
static struct folio *alloc_migration_target(struct folio *src, unsigned long private)
{
	(void)src;
	(void)private;
	return (struct folio *)alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN | __GFP_RETRY_MAYFAIL, 0);
}

/**
 * __alloc_contig_migrate_range - migrate the LRU folios of the isolated
 * range [start, end) elsewhere
 * Context: no lock held; may sleep.
 * Return: 0 when every folio found moved, -EBUSY when some did not (they
 * are back on their LRU), -ENOMEM when no target could be had.
 */
int __alloc_contig_migrate_range(unsigned long start, unsigned long end)
{
	unsigned int tries = 0;
	LIST_HEAD(list);
	int ret = 0;

	lru_add_drain_all();
	while (tries++ < 5) {
		unsigned long nr = 0;

		for (unsigned long pfn = start; pfn < end; pfn++) {
			struct page *page = pfn_to_page(pfn);
			struct folio *folio;
			long nr_pages;

			if (!PageLRU(page) || !get_page_unless_zero(page))
				continue;
			folio = page_folio(page);
			/*
			 * A THP is isolated whole (Linux's cc->alloc_contig rule in
			 * isolate_migratepages_block); migrate_pages() splits it and
			 * moves the pieces.  hugetlb folios are not on the LRU.
			 */
			if (folio_test_hugetlb(folio) || !folio_isolate_lru(folio)) {
				put_page(page);
				continue;
			}
			nr_pages = folio_nr_pages(folio);
			put_page(page);
			mod_node_page_state(page_pgdat(page),
					    (enum node_stat_item)(NR_ISOLATED_ANON +
								  folio_is_file_lru(folio)), nr_pages);
			/* atomic links, as vmscan */
			lru_list_add_tail(&folio->page.lru, &list);
			nr++;
			/* Past the folio (its head may lie before @pfn). */
			pfn = page_to_pfn(&folio->page) + (unsigned long)nr_pages - 1;
		}
		if (!nr)
			break;
		ret = migrate_pages(&list, alloc_migration_target, NULL, 0, MIGRATE_SYNC,
				    MR_CONTIG_RANGE, NULL);
		if (!list_empty(&list))
			putback_movable_pages(&list);
		if (ret == -ENOMEM)
			return ret;
		ret = ret > 0 ? -EBUSY : 0;
	}
	drain_all_pages(NULL);
	return ret;
}

/**
 * test_pages_isolated - is every page of [start_pfn, end_pfn) free in an
 * isolated pageblock?
 * Return: 0, or -EBUSY.
 */
int test_pages_isolated(unsigned long start_pfn, unsigned long end_pfn)
{
	for (unsigned long pfn = ALIGN_DOWN(start_pfn, pageblock_nr_pages); pfn < end_pfn;
	     pfn += pageblock_nr_pages)
		if (get_pageblock_migratetype(pfn_to_page(pfn)) != MIGRATE_ISOLATE)
			return -EBUSY;
	for (unsigned long pfn = start_pfn; pfn < end_pfn;) {
		struct page *page = pfn_to_page(pfn);
		struct zone *zone = page_zone(page);
		bool free;

		spin_lock(&zone->lock);
		free = PageBuddy(page);
		if (free)
			pfn += 1UL << buddy_order(page);
		spin_unlock(&zone->lock);
		if (!free)
			return -EBUSY;
	}
	return 0;
}
