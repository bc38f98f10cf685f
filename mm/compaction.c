// SPDX-License-Identifier: GPL-2.0
/*
 * mm/compaction.c - memory compaction: making high-order blocks free again
 * by moving movable pages out of the way (Linux's mm/compaction.c).
 *
 * Design.  compact_zone() runs two scanners over one zone:
 *
 *   zone_start_pfn                                           zone_end_pfn
 *   |migrate scanner -->   ...   meeting point   ...   <-- free scanner |
 *
 *   - the migration scanner (isolate_migratepages) walks up from the zone
 *     start (or its cached restart point) one pageblock at a time and
 *     isolates in-use movable LRU folios with folio_isolate_lru(), at most
 *     COMPACT_CLUSTER_MAX pages per batch (a THP is stepped over whole and
 *     counted scanned, once pinned).  Async compaction looks only at
 *     blocks of the allocation's migratetype (Movable for movable ones);
 *     blocks where nothing could be isolated get their skip bit
 *     (zone->pageblock_skip, Linux's PB_migrate_skip) and are passed over
 *     until a full run of the zone finishes and kswapd goes to sleep
 *     (reset_isolation_suitable);
 *   - the free scanner (isolate_freepages) walks down from the zone end one
 *     pageblock at a time, in Movable blocks (or any block for the most
 *     determined priority), takes free buddy blocks with
 *     __isolate_free_page() and splits them into order-0 pages
 *     (split_map_pages), until it has as many as the migration scanner
 *     isolated;
 *   - migrate_pages() (mm/migrate.c) moves each isolated folio into a page
 *     handed out by compaction_alloc() (a new_folio_t); unused ones come
 *     back through compaction_free().  Pages that did not move go back to
 *     their LRU (putback_movable_pages).
 *   The run ends when the scanners meet (COMPACT_COMPLETE, or
 *   COMPACT_PARTIAL_SKIPPED when it did not start at the zone's ends), when
 *   a free block of the requested order and a suitable migratetype exists
 *   (compact_finished: COMPACT_SUCCESS), or on a fatal signal
 *   (COMPACT_CONTENDED).  Free pages left over are freed again.
 *
 * Policy.  compaction_suitable(): the zone must meet its order-0 watermark
 * plus compact_gap(order) (twice the request) of headroom, so that the free
 * scanner finds targets; and for costly orders the fragmentation index
 * (fragmentation_index(), Mel Gorman's: towards 0 the failure is lack of
 * memory, towards 1000 fragmentation) must exceed vm.extfrag_threshold.
 * Deferral: a sync direct compaction that fails defers the zone for its
 * order: 1 << compact_defer_shift attempts are skipped, the shift growing
 * to COMPACT_MAX_DEFER_SHIFT (64 attempts); success resets it.
 *
 * Triggers.  Direct compaction from the allocator's slow path
 * (try_to_compact_pages, mm/page_alloc_slow.c), kcompactd per node and
 * proactive compaction (mm/kcompactd.c), /proc/sys/vm/compact_memory and
 * /sys/devices/system/node/nodeN/compact (mm/compaction_files.c).
 *
 * Locking.  compact_zone takes no lock of its own: zone->lock while it
 * takes free blocks (one pageblock at a time), the lruvec's lru_lock inside
 * folio_isolate_lru.  The zone's compact_* fields are hints read and written
 * with READ_ONCE/WRITE_ONCE by any number of concurrent compactors, as in
 * Linux; the skip bits likewise.  Called with no lock held, from a context
 * that may sleep; direct compaction runs with PF_MEMALLOC set
 * (memalloc_noreclaim_save) so its own allocations do not recurse.
 *
 * Invariants (checked by compaction_is_valid()):
 *   a run returns with its freepages and migratepages lists empty, every
 *   isolated free page freed again and every isolated folio migrated or
 *   back on its LRU;
 *   0 <= compact_defer_shift <= COMPACT_MAX_DEFER_SHIFT,
 *   compact_considered <= 1 << compact_defer_shift;
 *   the cached scanner pfns lie inside the zone.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <mmsim/swap.h>
#include <mmsim/rmap.h>
#include <mmsim/psi.h>
#include <mmsim/signal.h>
#include <mmsim/pgtable.h>
#include <mmsim/printk.h>
#include <mmsim/sched.h>
#include "mm/compaction_internal.h"
#include "mm/lru_internal.h"

#define block_start_pfn(pfn, order)	ALIGN_DOWN((pfn), 1UL << (order))
#define pageblock_start_pfn(pfn)	ALIGN_DOWN((pfn), pageblock_nr_pages)
#define pageblock_end_pfn(pfn)		ALIGN((pfn) + 1, pageblock_nr_pages)
#define pageblock_aligned(pfn)		(((pfn) & (pageblock_nr_pages - 1)) == 0)

static inline bool is_via_compact_memory(int order)
{
	return order == -1;
}

/* The order proactive compaction aims at: the PMD's (a THP), capped. */
unsigned int compaction_hpage_order(void)
{
	unsigned int o = (unsigned int)(PMD_SHIFT - PAGE_SHIFT);

	return min(o, (unsigned int)MAX_PAGE_ORDER);
}

/* ---------------------------------------------------------------------
 * Deferral (Linux's defer_compaction & co.)
 */

/**
 * defer_compaction - compaction of @zone for @order failed: skip the next
 * 1 << compact_defer_shift attempts (at most 64).
 */
void defer_compaction(struct zone *zone, int order)
{
	unsigned int shift = READ_ONCE(zone->compact_defer_shift) + 1;

	WRITE_ONCE(zone->compact_considered, 0);
	if (shift > COMPACT_MAX_DEFER_SHIFT)
		shift = COMPACT_MAX_DEFER_SHIFT;
	WRITE_ONCE(zone->compact_defer_shift, shift);
	if (order < READ_ONCE(zone->compact_order_failed))
		WRITE_ONCE(zone->compact_order_failed, order);
}

/**
 * compaction_deferred - should this attempt at @order be skipped?
 * Return: true while fewer than 1 << compact_defer_shift attempts were
 * skipped since the last failure (each call counts one).
 */
bool compaction_deferred(struct zone *zone, int order)
{
	unsigned long defer_limit = 1UL << READ_ONCE(zone->compact_defer_shift);
	unsigned int considered;

	if (order < READ_ONCE(zone->compact_order_failed))
		return false;
	considered = READ_ONCE(zone->compact_considered) + 1;
	if (considered >= defer_limit) {
		WRITE_ONCE(zone->compact_considered, (unsigned int)defer_limit);
		return false;
	}
	WRITE_ONCE(zone->compact_considered, considered);
	return true;
}

/**
 * compaction_defer_reset - compaction at @order succeeded (an allocation
 * did, when @alloc_success, or is expected to).
 */
void compaction_defer_reset(struct zone *zone, int order, bool alloc_success)
{
	if (alloc_success) {
		WRITE_ONCE(zone->compact_considered, 0);
		WRITE_ONCE(zone->compact_defer_shift, 0);
	}
	if (order >= READ_ONCE(zone->compact_order_failed))
		WRITE_ONCE(zone->compact_order_failed, order + 1);
}

/* Retrying after the longest deferral: start from scratch (skip bits). */
static bool compaction_restarting(struct zone *zone, int order)
{
	if (order < READ_ONCE(zone->compact_order_failed))
		return false;
	return READ_ONCE(zone->compact_defer_shift) == COMPACT_MAX_DEFER_SHIFT &&
	       READ_ONCE(zone->compact_considered) >= 1U << COMPACT_MAX_DEFER_SHIFT;
}

/* ---------------------------------------------------------------------
 * The pageblock skip hints
 */

static inline uint8_t *skip_byte(struct zone *zone, unsigned long pfn)
{
	return &zone->pageblock_skip[(pfn - zone->zone_start_pfn) >> pageblock_order];
}

static inline bool get_pageblock_skip(struct zone *zone, unsigned long pfn)
{
	return zone->pageblock_skip && READ_ONCE(*skip_byte(zone, pfn));
}

static inline void set_pageblock_skip(struct zone *zone, unsigned long pfn)
{
	if (zone->pageblock_skip)
		WRITE_ONCE(*skip_byte(zone, pfn), 1);
}

static void reset_cached_positions(struct zone *zone)
{
	WRITE_ONCE(zone->compact_cached_migrate_pfn[0], zone->zone_start_pfn);
	WRITE_ONCE(zone->compact_cached_migrate_pfn[1], zone->zone_start_pfn);
	WRITE_ONCE(zone->compact_cached_free_pfn, pageblock_start_pfn(zone_end_pfn(zone) - 1));
}

/* Clear every skip bit of @zone and restart both scanners at its ends. */
static void __reset_isolation_suitable(struct zone *zone)
{
	unsigned long nr;

	WRITE_ONCE(zone->compact_blockskip_flush, false);
	if (zone->pageblock_skip) {
		nr = (zone->spanned_pages >> pageblock_order) + 2;
		for (unsigned long i = 0; i < nr; i++)
			WRITE_ONCE(zone->pageblock_skip[i], 0);
	}
	WRITE_ONCE(zone->compact_init_migrate_pfn, zone->zone_start_pfn);
	WRITE_ONCE(zone->compact_init_free_pfn, pageblock_start_pfn(zone_end_pfn(zone) - 1));
	reset_cached_positions(zone);
}

/**
 * reset_isolation_suitable - kswapd goes to sleep: forget the skip hints of
 * the node's zones where a full direct compaction finished since.
 */
void reset_isolation_suitable(pg_data_t *pgdat)
{
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];

		if (populated_zone(zone) && READ_ONCE(zone->compact_blockskip_flush))
			__reset_isolation_suitable(zone);
	}
}

static bool isolation_suitable(struct compact_control *cc, unsigned long pfn)
{
	return cc->ignore_skip_hint || !get_pageblock_skip(cc->zone, pfn);
}

static void update_pageblock_skip(struct compact_control *cc, unsigned long pfn)
{
	if (cc->no_set_skip_hint)
		return;
	set_pageblock_skip(cc->zone, pfn);
	if (pfn < READ_ONCE(cc->zone->compact_cached_free_pfn))
		WRITE_ONCE(cc->zone->compact_cached_free_pfn, pageblock_start_pfn(pfn));
}

static void update_cached_migrate(struct compact_control *cc, unsigned long pfn)
{
	struct zone *zone = cc->zone;

	if (cc->no_set_skip_hint)
		return;
	pfn = pageblock_end_pfn(pfn);
	if (pfn > READ_ONCE(zone->compact_cached_migrate_pfn[0]))
		WRITE_ONCE(zone->compact_cached_migrate_pfn[0], pfn);
	if (cc->mode != MIGRATE_ASYNC && pfn > READ_ONCE(zone->compact_cached_migrate_pfn[1]))
		WRITE_ONCE(zone->compact_cached_migrate_pfn[1], pfn);
}

/* Skip bits of every populated zone, allocated at boot (compaction_init). */
int compaction_alloc_skip_bits(struct mmsim *m, char *err, size_t len)
{
	struct zone *zone;

	(void)m;
	for_each_populated_zone(zone) {
		size_t n = (zone->spanned_pages >> pageblock_order) + 2;

		zone->pageblock_skip = calloc(n, 1);
		if (!zone->pageblock_skip) {
			snprintf(err, len, "compaction: no memory for the skip bits");
			return -ENOMEM;
		}
		zone->compact_order_failed = 0;
		zone->compact_defer_shift = 0;
		zone->compact_considered = 0;
		__reset_isolation_suitable(zone);
	}
	return 0;
}

void compaction_free_skip_bits(struct mmsim *m)
{
	struct zone *zone;

	(void)m;
	for_each_zone(zone) {
		free(zone->pageblock_skip);
		zone->pageblock_skip = NULL;
	}
}

/* ---------------------------------------------------------------------
 * The fragmentation index (Linux's mm/vmstat.c half, used here)
 */

struct contig_page_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};

/* Free pages and blocks of @zone, and how many order-@suitable_order
 * blocks its free blocks could serve.  Racy reads, as Linux's. */
static void fill_contig_page_info(struct zone *zone, unsigned int suitable_order,
				  struct contig_page_info *info)
{
	info->free_pages = 0;
	info->free_blocks_total = 0;
	info->free_blocks_suitable = 0;
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
		unsigned long blocks = READ_ONCE(zone->free_area[order].nr_free);

		info->free_blocks_total += blocks;
		info->free_pages += blocks << order;
		if (order >= suitable_order)
			info->free_blocks_suitable += blocks << (order - suitable_order);
	}
}

/*
 * The index, *1000: 0 means an allocation of @order would fail for lack
 * of memory, 1000 for fragmentation; -1000 means a block of that order is
 * free.  1000 - (1000 + free_pages * 1000 / requested) / free_blocks_total.
 */
static int __fragmentation_index(unsigned int order, const struct contig_page_info *info)
{
	unsigned long requested = 1UL << order;

	if (WARN_ON_ONCE(order > MAX_PAGE_ORDER))
		return 0;
	if (!info->free_blocks_total)
		return 0;
	if (info->free_blocks_suitable)
		return -1000;
	return 1000 - (int)((1000 + info->free_pages * 1000 / requested) / info->free_blocks_total);
}

int fragmentation_index(struct zone *zone, unsigned int order)
{
	struct contig_page_info info;

	fill_contig_page_info(zone, order, &info);
	return __fragmentation_index(order, &info);
}

/* The unusable free space index, *1000 (Linux's unusable_free_index). */
int unusable_free_index(struct zone *zone, unsigned int order)
{
	struct contig_page_info info;

	fill_contig_page_info(zone, order, &info);
	if (!info.free_pages)
		return 1000;
	return (int)((info.free_pages - (info.free_blocks_suitable << order)) * 1000 /
		     info.free_pages);
}

/* Percent of free memory not in blocks of @order or larger (extfrag_for_order). */
static unsigned int extfrag_for_order(struct zone *zone, unsigned int order)
{
	struct contig_page_info info;

	fill_contig_page_info(zone, order, &info);
	if (!info.free_pages)
		return 0;
	return (unsigned int)((info.free_pages - (info.free_blocks_suitable << order)) * 100 /
			      info.free_pages);
}

/* ---------------------------------------------------------------------
 * Fragmentation score (proactive compaction)
 */

unsigned int fragmentation_score_zone(struct zone *zone)
{
	return extfrag_for_order(zone, compaction_hpage_order());
}

/* The zone's score weighted by its share of the node: small zones stay low. */
static unsigned int fragmentation_score_zone_weighted(struct zone *zone)
{
	unsigned long score = zone->present_pages * fragmentation_score_zone(zone);

	return (unsigned int)(score / (zone->zone_pgdat->node_present_pages + 1));
}

unsigned int fragmentation_score_node(pg_data_t *pgdat)
{
	unsigned int score = 0;

	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];

		if (populated_zone(zone))
			score += fragmentation_score_zone_weighted(zone);
	}
	return score;
}

/* Proactive compaction starts above the high mark and stops at the low one. */
unsigned int fragmentation_score_wmark(bool low)
{
	int p = READ_ONCE(compaction_state()->compaction_proactiveness);
	unsigned int wmark_low = (unsigned int)max(100 - p, 5);

	return low ? wmark_low : min(wmark_low + 10, 100U);
}

/* ---------------------------------------------------------------------
 * Suitability
 */

static bool __compaction_suitable(struct zone *zone, int order, unsigned long watermark,
				  int highest_zoneidx, unsigned long free_pages)
{
	/* Order-0 watermark plus room for the pages being migrated. */
	watermark += compact_gap(order < 0 ? 0 : (unsigned int)order);
	return __zone_watermark_ok(zone, 0, watermark, highest_zoneidx, ALLOC_CMA, (long)free_pages);
}

/**
 * compaction_suitable - is it worth compacting @zone for @order now?
 * @watermark: the order-0 watermark the free scanner must keep
 *
 * Return: false when the free pages are below @watermark plus twice the
 * request, or, for costly orders, when the fragmentation index says the
 * failure is for lack of memory (0 <= index <= vm.extfrag_threshold).
 */
bool compaction_suitable(struct zone *zone, int order, unsigned long watermark, int highest_zoneidx)
{
	bool suitable = __compaction_suitable(zone, order, watermark, highest_zoneidx,
					      zone_page_state(zone, NR_FREE_PAGES));

	if (suitable && order > PAGE_ALLOC_COSTLY_ORDER) {
		int fragindex = fragmentation_index(zone, (unsigned int)order);

		if (fragindex >= 0 && fragindex <= READ_ONCE(current_machine()->vm.extfrag_threshold))
			suitable = false;
	}
	return suitable;
}

/* The watermark compaction_suitable() is asked for: low for costly orders. */
static unsigned long suitable_wmark(struct zone *zone, int order)
{
	return order > PAGE_ALLOC_COSTLY_ORDER ? low_wmark_pages(zone) : min_wmark_pages(zone);
}

/**
 * compaction_zonelist_suitable - could reclaim make compaction possible in
 * some zone of @ac?  (Free pages plus a share of the reclaimable ones.)
 */
bool compaction_zonelist_suitable(const struct alloc_context *ac, int order, unsigned int alloc_flags)
{
	(void)alloc_flags;
	for (struct zoneref *z = ac->preferred_zoneref; z->zone; z++) {
		struct zone *zone = z->zone;
		unsigned long available;

		if (!zone_allowed(z, ac))
			continue;
		available = zone_reclaimable_pages(zone) / (unsigned long)order;
		available += zone_page_state(zone, NR_FREE_PAGES);
		if (__compaction_suitable(zone, order, suitable_wmark(zone, order), ac->highest_zoneidx,
					  available))
			return true;
	}
	return false;
}

/* ---------------------------------------------------------------------
 * The free scanner
 */

static inline bool compact_scanners_met(const struct compact_control *cc)
{
	return (cc->free_pfn >> pageblock_order) <= (cc->migrate_pfn >> pageblock_order);
}

/* May the free scanner take pages from the block at @pfn? */
static bool suitable_migration_target(struct compact_control *cc, unsigned long pfn)
{
	struct page *page = pfn_to_page(pfn);
	int mt;

	/* A free block of the order we want: breaking it up defeats the purpose. */
	if (PageBuddy(page)) {
		unsigned long order = cc->order > 0 ? (unsigned long)cc->order : pageblock_order;

		if (data_race_read_ulong(&page->private) >= order)
			return false;
	}
	mt = get_pfnblock_migratetype(cc->zone, pfn);
	if (mt == MIGRATE_ISOLATE || mt == MIGRATE_HIGHATOMIC)
		return false;
	if (cc->ignore_block_suitable)
		return true;
	return mt == MIGRATE_MOVABLE;
}

/*
 * Take the free blocks of [*start_pfn, end_pfn) onto @freelist (each head
 * with its order in ->private).  Stops once the migration scanner's pages
 * are matched.  Returns the pages taken; *start_pfn is where it stopped.
 */
static unsigned long isolate_freepages_block(struct compact_control *cc, unsigned long *start_pfn,
					     unsigned long end_pfn, struct list_head *freelist)
{
	struct zone *zone = cc->zone;
	unsigned long nr_scanned = 0, total_isolated = 0;
	unsigned long pfn = *start_pfn;

	spin_lock(&zone->lock);
	for (; pfn < end_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);
		unsigned int order;
		unsigned long isolated;

		nr_scanned++;
		if (!PageBuddy(page))
			continue;
		order = buddy_order(page);
		isolated = __isolate_free_page(page, order);
		if (!isolated)
			break;		/* below the watermark: stop */
		page->private = order;
		list_add_tail(&page->lru, freelist);
		total_isolated += isolated;
		cc->nr_freepages += isolated;
		nr_scanned += isolated - 1;
		pfn += isolated - 1;
		if (cc->nr_freepages >= cc->nr_migratepages) {
			pfn++;
			break;
		}
	}
	spin_unlock(&zone->lock);
	if (pfn > end_pfn)
		pfn = end_pfn;
	*start_pfn = pfn;
	cc->total_free_scanned += nr_scanned;
	if (total_isolated)
		count_vm_events(COMPACTISOLATED, (long)total_isolated);
	return total_isolated;
}

/* Turn the taken blocks into order-0 pages as an allocation would. */
static void split_map_pages(struct list_head *list)
{
	LIST_HEAD(tmp);
	struct page *page, *next;

	list_for_each_entry_safe(page, next, list, lru) {
		unsigned int order = (unsigned int)page->private;
		unsigned long nr = 1UL << order;

		list_del(&page->lru);
		post_alloc_hook(page, order, __GFP_MOVABLE);
		if (order)
			split_page(page, order);
		for (unsigned long i = 0; i < nr; i++)
			list_add(&page[i].lru, &tmp);
	}
	list_splice_tail_init(&tmp, list);
}

/*
 * isolate_freepages - move the free scanner down from cc->free_pfn, one
 * pageblock at a time, until it has as many free pages as the migration
 * scanner isolated or it reaches the migration scanner's block.
 */
static void isolate_freepages(struct compact_control *cc)
{
	struct zone *zone = cc->zone;
	unsigned long block_start_pfn = cc->free_pfn;
	unsigned long low_pfn = pageblock_end_pfn(cc->migrate_pfn);
	unsigned long block_end_pfn = min(block_start_pfn + pageblock_nr_pages, zone_end_pfn(zone));
	unsigned long isolate_start_pfn = block_start_pfn;
	LIST_HEAD(taken);

	/* low_pfn >= pageblock_nr_pages, so the pfns never wrap below 0. */
	for (; block_start_pfn >= low_pfn;
	     block_end_pfn = block_start_pfn, block_start_pfn -= pageblock_nr_pages,
	     isolate_start_pfn = block_start_pfn) {
		unsigned long nr_isolated, first = max(block_start_pfn, zone->zone_start_pfn);

		if (isolate_start_pfn < first)
			isolate_start_pfn = first;
		if (!suitable_migration_target(cc, first))
			continue;
		if (!isolation_suitable(cc, first))
			continue;
		nr_isolated = isolate_freepages_block(cc, &isolate_start_pfn, block_end_pfn, &taken);
		/* A block scanned through with nothing taken: skip it next time. */
		if (isolate_start_pfn == block_end_pfn && !nr_isolated)
			update_pageblock_skip(cc, first);
		if (cc->nr_freepages >= cc->nr_migratepages) {
			/* Resume inside this block if it was not finished. */
			if (isolate_start_pfn >= block_end_pfn)
				block_start_pfn -= pageblock_nr_pages;
			break;
		}
	}
	split_map_pages(&taken);
	list_splice_tail_init(&taken, &cc->freepages);
	cc->free_pfn = block_start_pfn;
}

/* ---------------------------------------------------------------------
 * Migration targets (new_folio_t / free_folio_t for migrate_pages)
 */

static struct folio *compaction_alloc(struct folio *src, unsigned long data)
{
	struct compact_control *cc = (struct compact_control *)data;
	struct page *page;

	(void)src;
	if (list_empty(&cc->freepages)) {
		isolate_freepages(cc);
		if (list_empty(&cc->freepages))
			return NULL;
	}
	page = list_first_entry(&cc->freepages, struct page, lru);
	list_del(&page->lru);
	INIT_LIST_HEAD(&page->lru);
	cc->nr_freepages--;
	return (struct folio *)page;
}

static void compaction_free(struct folio *dst, unsigned long data)
{
	struct compact_control *cc = (struct compact_control *)data;

	list_add(&dst->page.lru, &cc->freepages);
	cc->nr_freepages++;
}

/* Free what the free scanner took and did not use; the highest pfn freed. */
static unsigned long release_freepages(struct list_head *freelist)
{
	unsigned long high_pfn = 0;
	struct page *page, *next;

	list_for_each_entry_safe(page, next, freelist, lru) {
		unsigned long pfn = page_to_pfn(page);

		list_del(&page->lru);
		INIT_LIST_HEAD(&page->lru);
		__free_pages(page, 0);
		if (pfn > high_pfn)
			high_pfn = pfn;
	}
	return high_pfn;
}

/* ---------------------------------------------------------------------
 * The migration scanner
 */

/* Give isolated folios back to their LRU (after a failed migration). */
static void compact_putback(struct list_head *l)
{
	putback_movable_pages(l);
}

/*
 * isolate_migratepages_block - isolate the movable LRU folios of
 * [low_pfn, end_pfn), at most COMPACT_CLUSTER_MAX.  Returns the pfn the
 * scan stopped at.
 */
static unsigned long isolate_migratepages_block(struct compact_control *cc, unsigned long low_pfn,
						unsigned long end_pfn)
{
	int unevictable_ok = READ_ONCE(compaction_state()->compact_unevictable_allowed);
	unsigned long nr_scanned = 0, nr_isolated = 0;
	unsigned long start_pfn = low_pfn;

	for (; low_pfn < end_pfn; low_pfn++) {
		struct page *page = pfn_to_page(low_pfn);
		struct folio *folio;

		nr_scanned++;
		if (PageBuddy(page)) {
			unsigned long order = data_race_read_ulong(&page->private);

			if (order > 0 && order <= MAX_PAGE_ORDER)
				low_pfn += (1UL << order) - 1;
			continue;
		}
		if (!PageLRU(page))
			continue;
		/* Pin it so that it cannot be freed and reused under us. */
		if (!get_page_unless_zero(page))
			continue;
		folio = page_folio(page);
		if (&folio->page != page || PageCompound(page)) {
			/*
			 * A THP: step over the whole folio and count it scanned
			 * (Linux's rule when !cc->alloc_contig: compaction does not
			 * split a THP to make room, and mmsim cannot move one
			 * whole; the contiguous allocator isolates THPs itself in
			 * __alloc_contig_migrate_range).  The order is read only
			 * here, under our reference: before the pin, page->lru,
			 * which the per-CPU lists write, may still share its word
			 * with compound_head.  hugetlb and slab pages never have
			 * PG_lru and are passed page by page above.
			 */
			if (&folio->page == page) {
				unsigned long last = low_pfn + folio_nr_pages(folio) - 1;

				last = min(last, end_pfn - 1);
				nr_scanned += last - low_pfn;
				low_pfn = last;
			}
			put_page(page);
			continue;
		}
		if (!unevictable_ok && PageUnevictable(page))
			goto skip;
		/* Async compaction does not wait on writeback or dirty file pages. */
		if (cc->mode == MIGRATE_ASYNC &&
		    (PageWriteback(page) || (PageDirty(page) && folio_is_file_lru(folio))))
			goto skip;
		if (!folio_isolate_lru(folio))
			goto skip;
		put_page(page);		/* isolation holds its own reference */
		mod_node_page_state(page_pgdat(page),
				    (enum node_stat_item)(NR_ISOLATED_ANON + folio_is_file_lru(folio)), 1);
		/* page->lru shares its word with compound_head, which lockless
		 * walkers read: the LRU's atomic link helpers, as vmscan. */
		lru_list_add(&page->lru, &cc->migratepages);
		cc->nr_migratepages++;
		nr_isolated++;
		if (cc->nr_migratepages >= COMPACT_CLUSTER_MAX && !cc->finish_pageblock) {
			low_pfn++;
			break;
		}
		continue;
skip:
		put_page(page);
	}
	cc->total_migrate_scanned += nr_scanned;
	if (nr_isolated)
		count_vm_events(COMPACTISOLATED, (long)nr_isolated);
	/* A whole block scanned with nothing isolated: skip it next time. */
	if (low_pfn == end_pfn && !nr_isolated && pageblock_aligned(start_pfn) &&
	    !cc->no_set_skip_hint)
		set_pageblock_skip(cc->zone, start_pfn);
	return low_pfn;
}

/* May the migration scanner take pages from the block at @pfn? */
static bool suitable_migration_source(struct compact_control *cc, unsigned long pfn)
{
	int block_mt;

	if (cc->mode != MIGRATE_ASYNC || !cc->direct_compaction)
		return true;
	block_mt = get_pfnblock_migratetype(cc->zone, pfn);
	if (cc->migratetype == MIGRATE_MOVABLE)
		return block_mt == MIGRATE_MOVABLE;
	return block_mt == cc->migratetype;
}

typedef enum { ISOLATE_ABORT, ISOLATE_NONE, ISOLATE_SUCCESS } isolate_migrate_t;

/*
 * isolate_migratepages - from cc->migrate_pfn, find the first pageblock
 * that yields movable folios and isolate them; never crosses the free
 * scanner.
 */
static isolate_migrate_t isolate_migratepages(struct compact_control *cc)
{
	struct zone *zone = cc->zone;
	unsigned long low_pfn = cc->migrate_pfn;
	unsigned long block_start_pfn = max(pageblock_start_pfn(low_pfn), zone->zone_start_pfn);
	unsigned long block_end_pfn = pageblock_end_pfn(low_pfn);

	for (; block_end_pfn <= cc->free_pfn;
	     cc->migrate_pfn = low_pfn = block_end_pfn, block_start_pfn = block_end_pfn,
	     block_end_pfn += pageblock_nr_pages) {
		if (block_end_pfn > zone_end_pfn(zone))
			break;
		if ((pageblock_aligned(low_pfn) || low_pfn == zone->zone_start_pfn) &&
		    !isolation_suitable(cc, block_start_pfn))
			continue;
		if (!suitable_migration_source(cc, block_start_pfn)) {
			update_cached_migrate(cc, block_end_pfn - 1);
			continue;
		}
		low_pfn = isolate_migratepages_block(cc, low_pfn, block_end_pfn);
		cc->migrate_pfn = low_pfn;
		if (current && fatal_signal_pending(current)) {
			cc->contended = true;
			return ISOLATE_ABORT;
		}
		if (low_pfn >= block_end_pfn)
			update_cached_migrate(cc, block_end_pfn - 1);
		break;
	}
	return cc->nr_migratepages ? ISOLATE_SUCCESS : ISOLATE_NONE;
}

/* ---------------------------------------------------------------------
 * compact_zone
 */

/* May an allocation of cc->order of cc->migratetype be had now? */
static enum compact_result __compact_finished(struct compact_control *cc)
{
	const int migratetype = cc->migratetype;

	if (compact_scanners_met(cc)) {
		/* The next compaction starts anew. */
		reset_cached_positions(cc->zone);
		if (cc->direct_compaction)
			WRITE_ONCE(cc->zone->compact_blockskip_flush, true);
		return cc->whole_zone ? COMPACT_COMPLETE : COMPACT_PARTIAL_SKIPPED;
	}
	if (cc->proactive_compaction) {
		if (kswapd_is_running(cc->zone->zone_pgdat))
			return COMPACT_PARTIAL_SKIPPED;
		if (fragmentation_score_zone(cc->zone) > fragmentation_score_wmark(true))
			goto out_continue;
		return COMPACT_SUCCESS;
	}
	if (is_via_compact_memory(cc->order))
		goto out_continue;
	/* Finish the pageblock we are in, so it is as free as it can be. */
	if (!pageblock_aligned(cc->migrate_pfn))
		goto out_continue;
	for (unsigned int order = (unsigned int)cc->order; order < NR_PAGE_ORDERS; order++) {
		struct free_area *area = &cc->zone->free_area[order];

		if (!free_area_empty(area, migratetype))
			return COMPACT_SUCCESS;
		/* Or the allocation would steal a block of another type
		 * (Linux's find_suitable_fallback with only_stealable):
		 * unmovable and reclaimable requests always may, movable
		 * ones from half a pageblock up. */
		if (migratetype != MIGRATE_MOVABLE || order >= pageblock_order / 2) {
			for (int mt = 0; mt < MIGRATE_PCPTYPES; mt++)
				if (mt != migratetype && !free_area_empty(area, mt))
					return COMPACT_SUCCESS;
		}
	}
out_continue:
	if (cc->contended || (current && fatal_signal_pending(current)))
		return COMPACT_CONTENDED;
	return COMPACT_CONTINUE;
}

/**
 * compact_zone - run the two scanners over cc->zone until they meet or
 * cc->order is satisfiable.
 * Context: may sleep; no lock held.
 * Return: COMPACT_SUCCESS, COMPACT_COMPLETE, COMPACT_PARTIAL_SKIPPED,
 * COMPACT_SKIPPED (not suitable) or COMPACT_CONTENDED.
 */
enum compact_result compact_zone(struct compact_control *cc)
{
	struct zone *zone = cc->zone;
	unsigned long start_pfn = zone->zone_start_pfn, end_pfn = zone_end_pfn(zone);
	const bool sync = cc->mode != MIGRATE_ASYNC;
	enum compact_result ret;

	cc->total_migrate_scanned = 0;
	cc->total_free_scanned = 0;
	cc->nr_migratepages = 0;
	cc->nr_freepages = 0;
	cc->nr_migrated = 0;
	INIT_LIST_HEAD(&cc->freepages);
	INIT_LIST_HEAD(&cc->migratepages);
	cc->migratetype = gfp_migratetype(cc->gfp_mask);

	if (!is_via_compact_memory(cc->order)) {
		unsigned long watermark = wmark_pages(zone, cc->alloc_flags & ALLOC_WMARK_MASK);

		/* The allocation can already succeed: nothing to do. */
		if (zone_watermark_ok(zone, (unsigned int)cc->order, watermark, cc->highest_zoneidx,
				      cc->alloc_flags))
			return COMPACT_SUCCESS;
		if (!compaction_suitable(zone, cc->order, suitable_wmark(zone, cc->order),
					 cc->highest_zoneidx))
			return COMPACT_SKIPPED;
	}
	if (compaction_restarting(zone, cc->order))
		__reset_isolation_suitable(zone);

	if (cc->whole_zone) {
		cc->migrate_pfn = start_pfn;
		cc->free_pfn = pageblock_start_pfn(end_pfn - 1);
	} else {
		cc->migrate_pfn = READ_ONCE(zone->compact_cached_migrate_pfn[sync]);
		cc->free_pfn = READ_ONCE(zone->compact_cached_free_pfn);
		if (cc->free_pfn < start_pfn || cc->free_pfn >= end_pfn) {
			cc->free_pfn = pageblock_start_pfn(end_pfn - 1);
			WRITE_ONCE(zone->compact_cached_free_pfn, cc->free_pfn);
		}
		if (cc->migrate_pfn < start_pfn || cc->migrate_pfn >= end_pfn) {
			cc->migrate_pfn = start_pfn;
			WRITE_ONCE(zone->compact_cached_migrate_pfn[0], start_pfn);
			WRITE_ONCE(zone->compact_cached_migrate_pfn[1], start_pfn);
		}
		if (cc->migrate_pfn <= READ_ONCE(zone->compact_init_migrate_pfn))
			cc->whole_zone = true;
	}

	/* Folios on this CPU's LRU add batch are not on the LRU yet. */
	lru_add_drain();

	while ((ret = __compact_finished(cc)) == COMPACT_CONTINUE) {
		switch (isolate_migratepages(cc)) {
		case ISOLATE_ABORT:
			ret = COMPACT_CONTENDED;
			compact_putback(&cc->migratepages);
			cc->nr_migratepages = 0;
			goto out;
		case ISOLATE_NONE:
			continue;
		case ISOLATE_SUCCESS:
			break;
		}
		{
			unsigned int nr_succeeded = 0;
			int err = migrate_pages(&cc->migratepages, compaction_alloc, compaction_free,
						(unsigned long)cc, cc->mode, MR_COMPACTION,
						&nr_succeeded);

			cc->nr_migrated += nr_succeeded;
			cc->nr_migratepages = 0;
			if (err) {
				compact_putback(&cc->migratepages);
				/* Out of targets before the scanners met: stop. */
				if (err == -ENOMEM && !compact_scanners_met(cc)) {
					ret = COMPACT_CONTENDED;
					goto out;
				}
			}
		}
		/* The source pages were freed to this CPU's lists: let them
		 * merge, so that __compact_finished sees the order (Linux's
		 * lru_add_drain_cpu_zone). */
		if (cc->order != 0)
			drain_pcp(zone, &zone->per_cpu_pageset[current_cpu->id]);
	}
out:
	if (cc->nr_freepages > 0) {
		unsigned long free_pfn = release_freepages(&cc->freepages);

		cc->nr_freepages = 0;
		free_pfn = pageblock_start_pfn(free_pfn);
		/* Only go back, never forward (the finish may have reset it). */
		if (free_pfn > READ_ONCE(zone->compact_cached_free_pfn))
			WRITE_ONCE(zone->compact_cached_free_pfn, free_pfn);
	}
	/* Other CPUs' lists may hold freed pages too (mmsim drains them all,
	 * where Linux leaves that to kcompactd's failure path). */
	if (cc->order != 0)
		drain_all_pages(zone);
	count_vm_events(COMPACTMIGRATE_SCANNED, (long)cc->total_migrate_scanned);
	count_vm_events(COMPACTFREE_SCANNED, (long)cc->total_free_scanned);
	VM_BUG_ON(!list_empty(&cc->freepages));
	VM_BUG_ON(!list_empty(&cc->migratepages));
	return ret;
}

static enum compact_result compact_zone_order(struct zone *zone, int order, gfp_t gfp_mask,
					      enum compact_priority prio, unsigned int alloc_flags,
					      int highest_zoneidx)
{
	struct compact_control cc = {
		.order = order,
		.gfp_mask = gfp_mask,
		.zone = zone,
		.mode = prio == COMPACT_PRIO_ASYNC ? MIGRATE_ASYNC : MIGRATE_SYNC_LIGHT,
		.alloc_flags = alloc_flags,
		.highest_zoneidx = highest_zoneidx,
		.direct_compaction = true,
		.whole_zone = prio == MIN_COMPACT_PRIORITY,
		.ignore_skip_hint = prio == MIN_COMPACT_PRIORITY,
		.ignore_block_suitable = prio == MIN_COMPACT_PRIORITY,
	};

	return compact_zone(&cc);
}

/**
 * try_to_compact_pages - direct compaction for a high-order allocation
 * @capture: mmsim does not capture pages as they merge (always NULL); the
 *           caller allocates after a COMPACT_SUCCESS
 *
 * Compacts each allowed zone of the zonelist in turn, skipping deferred
 * ones unless @prio is the most determined, until one reports success.
 * Context: may sleep; __GFP_IO required (migration may write).
 * Return: the best result over the zones.
 */
enum compact_result try_to_compact_pages(gfp_t gfp_mask, unsigned int order, unsigned int alloc_flags,
					 const struct alloc_context *ac, enum compact_priority prio,
					 struct page **capture)
{
	enum compact_result rc = COMPACT_SKIPPED;

	if (capture)
		*capture = NULL;
	if (!(gfp_mask & __GFP_IO))
		return COMPACT_SKIPPED;
	for (struct zoneref *z = ac->preferred_zoneref; z->zone; z++) {
		struct zone *zone = z->zone;
		enum compact_result status;

		if (!zone_allowed(z, ac) || !populated_zone(zone))
			continue;
		if (prio > MIN_COMPACT_PRIORITY && compaction_deferred(zone, (int)order)) {
			if (rc < COMPACT_DEFERRED)
				rc = COMPACT_DEFERRED;
			continue;
		}
		status = compact_zone_order(zone, (int)order, gfp_mask, prio, alloc_flags,
					    ac->highest_zoneidx);
		if (status > rc)
			rc = status;
		if (status == COMPACT_SUCCESS) {
			/* Expected to succeed; the caller confirms with true. */
			compaction_defer_reset(zone, (int)order, false);
			break;
		}
		if (prio != COMPACT_PRIO_ASYNC &&
		    (status == COMPACT_COMPLETE || status == COMPACT_PARTIAL_SKIPPED))
			defer_compaction(zone, (int)order);
		if (current && fatal_signal_pending(current))
			break;
	}
	return rc;
}

/**
 * compact_node - compact every populated zone of node @nid fully (sync,
 * ignoring the skip hints), as compact_memory and nodeN/compact do.
 */
void compact_node(int nid, bool lru_drain)
{
	pg_data_t *pgdat = NODE_DATA(nid);

	if (lru_drain)
		lru_add_drain_all();
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];
		struct compact_control cc = {
			.order = -1,
			.mode = MIGRATE_SYNC,
			.ignore_skip_hint = true,
			.whole_zone = true,
			.gfp_mask = GFP_KERNEL,
			.zone = zone,
		};

		if (!populated_zone(zone))
			continue;
		compact_zone(&cc);
	}
}

void compact_node_by_id(int nid)
{
	if (nid >= 0 && nid < num_online_nodes())
		compact_node(nid, true);
}

void compact_nodes(void)
{
	int nid;

	lru_add_drain_all();
	for_each_online_node(nid)
		compact_node(nid, false);
}

/* ---------------------------------------------------------------------
 * The invariant checker
 */

/**
 * compaction_is_valid - the zone fields compaction keeps are in range
 * Return: false with a WARN naming what is wrong.
 */
bool compaction_is_valid(struct mmsim *m)
{
	struct zone *zone;
	bool ok = true;

	(void)m;
	for_each_populated_zone(zone) {
		unsigned int shift = READ_ONCE(zone->compact_defer_shift);
		unsigned long cf = READ_ONCE(zone->compact_cached_free_pfn);

		if (WARN(shift > COMPACT_MAX_DEFER_SHIFT, "compaction: %s defer_shift %u\n",
			 zone->name, shift))
			ok = false;
		if (WARN(READ_ONCE(zone->compact_considered) > 1U << shift,
			 "compaction: %s considered %u > %u\n", zone->name,
			 READ_ONCE(zone->compact_considered), 1U << shift))
			ok = false;
		if (WARN(cf < pageblock_start_pfn(zone->zone_start_pfn) || cf >= zone_end_pfn(zone),
			 "compaction: %s cached free pfn %#lx outside the zone\n", zone->name, cf))
			ok = false;
		for (int i = 0; i < 2; i++) {
			unsigned long mp = READ_ONCE(zone->compact_cached_migrate_pfn[i]);

			if (WARN(mp < zone->zone_start_pfn || mp > zone_end_pfn(zone),
				 "compaction: %s cached migrate pfn %#lx outside the zone\n",
				 zone->name, mp))
				ok = false;
		}
	}
	return ok;
}
