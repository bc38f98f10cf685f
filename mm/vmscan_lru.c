// SPDX-License-Identifier: GPL-2.0
/*
 * mm/vmscan_lru.c - the classic policy's scanning (Linux's mm/vmscan.c with
 * lru_gen off): lru_classic_ops.shrink_lruvec and .age_node, behind the
 * seam of <mmsim/lru_policy.h>.  The shared half (shrink_folio_list,
 * shrink_node, the entry points) is mm/vmscan.c, whose header states the
 * theory.
 *
 * Design.  get_scan_count decides how many folios of each evictable list
 * this pass scans: lru_size >> priority, split between anon and file by
 * SCAN_FRACT -- fractions inversely proportional to each type's recent
 * cost (lruvec->anon_cost / file_cost: pages written out and rotated back,
 * lru_note_cost) and weighted by vm.swappiness (anon gets swappiness, file
 * 200 - swappiness) -- or one type alone: SCAN_FILE without swap (or with
 * cache_trim_mode: plenty of inactive cache), SCAN_ANON when the file LRU
 * is tiny, SCAN_EQUAL at priority 0.  shrink_lruvec works the lists down
 * in SWAP_CLUSTER_MAX batches, stopping proportionally once enough came
 * back (not for direct reclaim at DEF_PRIORITY), and keeps the inactive
 * anon list from running low.  shrink_active_list moves folios from an
 * active list to its inactive one (pgdeactivate), except referenced
 * executable file folios, which get another trip (their rotation is a
 * cost); shrink_inactive_list isolates from the tail (isolate_lru_folios:
 * pgscan_*, folios of zones above reclaim_idx skipped to the head) and
 * hands them to shrink_folio_list (pgsteal_*), waking the flusher when
 * every folio taken was dirty and not yet queued.
 *
 * Locking: lru_lock only while folios move on or off the lists; the
 * folio_referenced walk and shrink_folio_list run with no lock held.
 * Invariants: NR_ISOLATED_ANON/FILE count exactly the folios isolated by
 * these functions until they are put back or freed; a folio is isolated
 * with a reference and PG_lru clear.
 */
#include <mmsim/swap.h>
#include <mmsim/rmap.h>
#include <mmsim/writeback.h>
#include <mmsim/mm_vma.h>
#include "mm/internal.h"
#include "mm/pagecache_internal.h"
#include "mm/vmscan_internal.h"
#include "mm/lru_internal.h"

#define MAX_SWAPPINESS	200

enum scan_balance {
	SCAN_EQUAL,
	SCAN_FRACT,
	SCAN_ANON,
	SCAN_FILE,
};

static inline bool is_file_lru(enum lru_list lru)
{
	return lru == LRU_INACTIVE_FILE || lru == LRU_ACTIVE_FILE;
}

static inline bool is_active_lru(enum lru_list lru)
{
	return lru == LRU_ACTIVE_ANON || lru == LRU_ACTIVE_FILE;
}

/* The list's pages in zones up to @zone_idx (Linux's lruvec_lru_size). */
static unsigned long lruvec_lru_size(struct lruvec *lruvec, enum lru_list lru, int zone_idx)
{
	pg_data_t *pgdat = lruvec_pgdat(lruvec);
	unsigned long size = 0;

	for (int zid = 0; zid <= zone_idx && zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];

		if (!managed_zone(zone))
			continue;
		size += zone_page_state(zone, (enum zone_stat_item)(NR_ZONE_INACTIVE_ANON + lru));
	}
	return size;
}

void lru_note_cost(struct lruvec *lruvec, bool file, unsigned int nr_io, unsigned int nr_rotated)
{
	pg_data_t *pgdat = lruvec_pgdat(lruvec);
	unsigned long cost = (unsigned long)nr_io * SWAP_CLUSTER_MAX + nr_rotated;
	unsigned long lrusize;

	spin_lock(&lruvec->lru_lock);
	if (file)
		lruvec->file_cost += cost;
	else
		lruvec->anon_cost += cost;
	/* A floating average: recent events weigh more, and nothing overflows. */
	lrusize = node_page_state(pgdat, NR_INACTIVE_ANON) + node_page_state(pgdat, NR_ACTIVE_ANON) +
		  node_page_state(pgdat, NR_INACTIVE_FILE) + node_page_state(pgdat, NR_ACTIVE_FILE);
	if (lruvec->file_cost + lruvec->anon_cost > lrusize / 4) {
		lruvec->file_cost /= 2;
		lruvec->anon_cost /= 2;
	}
	spin_unlock(&lruvec->lru_lock);
}

/*
 * Isolate up to @nr_to_scan folios from the tail of @lru onto @dst (Linux's
 * isolate_lru_folios), under lru_lock.  *nr_scanned: folios looked at.
 */
static unsigned long isolate_lru_folios(unsigned long nr_to_scan, struct lruvec *lruvec,
					struct list_head *dst, unsigned long *nr_scanned,
					struct scan_control *sc, enum lru_list lru)
{
	struct list_head *src = &lruvec->lists[lru];
	unsigned long nr_taken = 0, scan = 0, total_scan = 0, max_nr_skipped = 0;
	LIST_HEAD(folios_skipped);

	while (scan < nr_to_scan && !list_empty(src)) {
		struct folio *folio = page_folio(list_last_entry(src, struct page, lru));
		long nr_pages = folio_nr_pages_lru(folio);

		total_scan += (unsigned long)nr_pages;
		if (max_nr_skipped < (SWAP_CLUSTER_MAX << 10) &&	/* SWAP_CLUSTER_MAX_SKIPPED */
		    (int)page_zonenum(&folio->page) > sc->reclaim_idx) {
			/* a zone this reclaim may not use: to the head afterwards */
			max_nr_skipped++;
			lru_list_del(&folio->page.lru);
			lru_list_add(&folio->page.lru, &folios_skipped);
			continue;
		}
		scan += (unsigned long)nr_pages;
		if ((!sc->may_unmap && folio_mapped(folio)) || !get_page_unless_zero(&folio->page)) {
			/* rotate it: being freed, or not ours to unmap */
			lru_list_del(&folio->page.lru);
			lru_list_add(&folio->page.lru, src);
			continue;
		}
		lruvec_del_folio(lruvec, folio);
		page_flag_clear(&folio->page, PG_lru);
		lru_list_add(&folio->page.lru, dst);
		nr_taken += (unsigned long)nr_pages;
	}
	while (!list_empty(&folios_skipped)) {
		struct page *page = list_last_entry(&folios_skipped, struct page, lru);

		lru_list_del(&page->lru);
		lru_list_add(&page->lru, src);
	}
	*nr_scanned = total_scan;
	return nr_taken;
}

static void get_scan_count(struct lruvec *lruvec, struct scan_control *sc, unsigned long *nr)
{
	pg_data_t *pgdat = lruvec_pgdat(lruvec);
	int swappiness = sc_swappiness(sc);
	unsigned long long fraction[2] = { 0, 0 }, denominator = 0;
	enum scan_balance scan_balance;
	enum lru_list lru;

	if (!sc->may_swap || !can_reclaim_anon_pages(pgdat->node_id, sc)) {
		scan_balance = SCAN_FILE;
		goto out;
	}
	/* Proactive reclaim with swappiness=0 leaves anon alone. */
	if (sc->proactive && sc->proactive_swappiness && !swappiness) {
		scan_balance = SCAN_FILE;
		goto out;
	}
	/* Close to OOM: scan both equally (unless swappiness says never). */
	if (!sc->priority && swappiness) {
		scan_balance = SCAN_EQUAL;
		goto out;
	}
	if (sc->file_is_tiny) {
		scan_balance = SCAN_ANON;
		goto out;
	}
	if (sc->cache_trim_mode) {
		scan_balance = SCAN_FILE;
		goto out;
	}
	scan_balance = SCAN_FRACT;
	{
		/*
		 * Pressure inversely proportional to each type's cost, times
		 * the relative I/O cost swappiness gives it; each type gets at
		 * least a third before swappiness.
		 */
		unsigned long long total = sc->anon_cost + sc->file_cost;
		unsigned long long anon_cost = total + sc->anon_cost;
		unsigned long long file_cost = total + sc->file_cost;
		unsigned long long ap, fp;

		total = anon_cost + file_cost;
		ap = (unsigned long long)swappiness * (total + 1) / (anon_cost + 1);
		fp = (unsigned long long)(MAX_SWAPPINESS - swappiness) * (total + 1) / (file_cost + 1);
		fraction[0] = ap;
		fraction[1] = fp;
		denominator = ap + fp;
	}
out:
	for (lru = LRU_INACTIVE_ANON; lru <= LRU_ACTIVE_FILE; lru++) {
		bool file = is_file_lru(lru);
		unsigned long scan = lruvec_lru_size(lruvec, lru, sc->reclaim_idx) >> sc->priority;

		switch (scan_balance) {
		case SCAN_EQUAL:
			break;
		case SCAN_FRACT:
			scan = denominator ? (unsigned long)((unsigned long long)scan * fraction[file] /
							     denominator) : 0;
			break;
		case SCAN_FILE:
		case SCAN_ANON:
			if ((scan_balance == SCAN_FILE) != file)
				scan = 0;
			break;
		}
		nr[lru] = scan;
	}
	nr[LRU_UNEVICTABLE] = 0;
}

static void shrink_active_list(unsigned long nr_to_scan, struct lruvec *lruvec,
			       struct scan_control *sc, enum lru_list lru)
{
	pg_data_t *pgdat = lruvec_pgdat(lruvec);
	bool file = is_file_lru(lru);
	unsigned long nr_taken, nr_scanned, vm_flags;
	unsigned int nr_rotated = 0, nr_deactivate;
	LIST_HEAD(l_hold);
	LIST_HEAD(l_active);
	LIST_HEAD(l_inactive);

	lru_add_drain();
	spin_lock(&lruvec->lru_lock);
	nr_taken = isolate_lru_folios(nr_to_scan, lruvec, &l_hold, &nr_scanned, sc, lru);
	mod_node_page_state(pgdat, NR_ISOLATED_ANON + file, (long)nr_taken);
	count_vm_events(PGREFILL, nr_scanned);
	spin_unlock(&lruvec->lru_lock);

	while (!list_empty(&l_hold)) {
		struct folio *folio = page_folio(list_last_entry(&l_hold, struct page, lru));

		lru_list_del(&folio->page.lru);
		if (unlikely(page_flag_test(&folio->page, PG_mlocked))) {
			folio_putback_lru(folio);
			continue;
		}
		/* Referenced or rmap lock contention: rotate executable file folios. */
		if (folio_referenced(folio, 0, NULL, &vm_flags) != 0) {
			if ((vm_flags & VM_EXEC) && folio_is_file_lru(folio)) {
				nr_rotated += (unsigned int)folio_nr_pages_lru(folio);
				lru_list_add(&folio->page.lru, &l_active);
				continue;
			}
		}
		page_flag_clear(&folio->page, PG_active);	/* we are de-activating */
		page_flag_set(&folio->page, PG_workingset);
		lru_list_add(&folio->page.lru, &l_inactive);
	}

	move_folios_to_lru(lruvec, &l_active);
	nr_deactivate = move_folios_to_lru(lruvec, &l_inactive);
	count_vm_events(PGDEACTIVATE, nr_deactivate);
	mod_node_page_state(pgdat, NR_ISOLATED_ANON + file, -(long)nr_taken);
	if (nr_rotated)
		lru_note_cost(lruvec, file, 0, nr_rotated);
}

static unsigned long shrink_inactive_list(unsigned long nr_to_scan, struct lruvec *lruvec,
					  struct scan_control *sc, enum lru_list lru)
{
	pg_data_t *pgdat = lruvec_pgdat(lruvec);
	bool file = is_file_lru(lru);
	unsigned long nr_taken, nr_scanned;
	unsigned int nr_reclaimed;
	struct reclaim_stat stat;
	LIST_HEAD(folio_list);

	lru_add_drain();
	spin_lock(&lruvec->lru_lock);
	nr_taken = isolate_lru_folios(nr_to_scan, lruvec, &folio_list, &nr_scanned, sc, lru);
	mod_node_page_state(pgdat, NR_ISOLATED_ANON + file, (long)nr_taken);
	spin_unlock(&lruvec->lru_lock);
	count_reclaim_events(true, file, nr_scanned);
	if (!nr_taken)
		return 0;

	nr_reclaimed = shrink_folio_list(&folio_list, pgdat, sc, &stat, false);

	move_folios_to_lru(lruvec, &folio_list);
	mod_node_page_state(pgdat, NR_ISOLATED_ANON + file, -(long)nr_taken);
	count_reclaim_events(false, file, nr_reclaimed);
	lru_note_cost(lruvec, file, stat.nr_pageout, (unsigned int)(nr_scanned - nr_reclaimed));

	/*
	 * Dirty folios at the tail that nobody queued for I/O: the flusher
	 * is not keeping up (or was never asked).  Nudge it.
	 */
	if (stat.nr_unqueued_dirty && stat.nr_unqueued_dirty == nr_taken)
		wakeup_flusher_threads(WB_REASON_VMSCAN);

	sc->nr.dirty += stat.nr_dirty;
	sc->nr.congested += stat.nr_congested;
	sc->nr.unqueued_dirty += stat.nr_unqueued_dirty;
	sc->nr.writeback += stat.nr_writeback;
	sc->nr.immediate += stat.nr_immediate;
	sc->nr.taken += (unsigned int)nr_taken;
	if (file)
		sc->nr.file_taken += (unsigned int)nr_taken;
	return nr_reclaimed;
}

static unsigned long shrink_list(enum lru_list lru, unsigned long nr_to_scan,
				 struct lruvec *lruvec, struct scan_control *sc)
{
	if (is_active_lru(lru)) {
		if (sc->may_deactivate & (1u << is_file_lru(lru)))
			shrink_active_list(nr_to_scan, lruvec, sc, lru);
		else
			sc->skipped_deactivate = 1;
		return 0;
	}
	return shrink_inactive_list(nr_to_scan, lruvec, sc, lru);
}

static bool inactive_anon_is_low(struct lruvec *lruvec)
{
	pg_data_t *pgdat = lruvec_pgdat(lruvec);
	unsigned long inactive = node_page_state(pgdat, NR_INACTIVE_ANON);
	unsigned long active = node_page_state(pgdat, NR_ACTIVE_ANON);
	unsigned long gb = (inactive + active) >> (30 - PAGE_SHIFT), ratio = 1;

	while (gb && (ratio + 1) * (ratio + 1) <= 10 * gb)
		ratio++;
	return inactive * ratio < active;
}

void lru_classic_shrink_lruvec(struct lruvec *lruvec, struct scan_control *sc)
{
	unsigned long nr[NR_LRU_LISTS], targets[NR_LRU_LISTS];
	unsigned long nr_reclaimed = 0, nr_to_reclaim = sc->nr_to_reclaim;
	bool proportional_reclaim;
	enum lru_list lru;

	get_scan_count(lruvec, sc, nr);
	memcpy(targets, nr, sizeof(nr));
	/*
	 * Direct reclaim at DEF_PRIORITY does its whole batch (kswapd is not
	 * keeping up); kswapd and proactive reclaim stop once they have
	 * enough, scanning anon and file in proportion to their targets.
	 */
	proportional_reclaim = !current_is_kswapd() && !sc->proactive && sc->priority == DEF_PRIORITY;

	while (nr[LRU_INACTIVE_ANON] || nr[LRU_ACTIVE_FILE] || nr[LRU_INACTIVE_FILE]) {
		unsigned long nr_anon, nr_file, percentage, nr_scanned;

		for (lru = LRU_INACTIVE_ANON; lru <= LRU_ACTIVE_FILE; lru++) {
			if (nr[lru]) {
				unsigned long nr_to_scan = min_t(unsigned long, nr[lru], SWAP_CLUSTER_MAX);

				nr[lru] -= nr_to_scan;
				nr_reclaimed += shrink_list(lru, nr_to_scan, lruvec, sc);
			}
		}
		if (nr_reclaimed < nr_to_reclaim || proportional_reclaim)
			continue;

		nr_file = nr[LRU_INACTIVE_FILE] + nr[LRU_ACTIVE_FILE];
		nr_anon = nr[LRU_INACTIVE_ANON] + nr[LRU_ACTIVE_ANON];
		if (!nr_file || !nr_anon)
			break;
		if (nr_file > nr_anon) {
			unsigned long scan_target = targets[LRU_INACTIVE_ANON] + targets[LRU_ACTIVE_ANON] + 1;

			lru = LRU_BASE;
			percentage = nr_anon * 100 / scan_target;
		} else {
			unsigned long scan_target = targets[LRU_INACTIVE_FILE] + targets[LRU_ACTIVE_FILE] + 1;

			lru = LRU_FILE;
			percentage = nr_file * 100 / scan_target;
		}
		/* Stop scanning the smaller type; trim the other to its share. */
		nr[lru] = 0;
		nr[lru + LRU_ACTIVE] = 0;
		lru = (lru == LRU_FILE) ? LRU_BASE : LRU_FILE;
		nr_scanned = targets[lru] - nr[lru];
		nr[lru] = targets[lru] * (100 - percentage) / 100;
		nr[lru] -= min_t(unsigned long, nr[lru], nr_scanned);
		lru += LRU_ACTIVE;
		nr_scanned = targets[lru] - nr[lru];
		nr[lru] = targets[lru] * (100 - percentage) / 100;
		nr[lru] -= min_t(unsigned long, nr[lru], nr_scanned);
	}
	sc->nr_reclaimed += nr_reclaimed;

	/* Keep enough inactive anon to reclaim from next time. */
	if (can_reclaim_anon_pages(lruvec_pgdat(lruvec)->node_id, sc) && inactive_anon_is_low(lruvec))
		shrink_active_list(SWAP_CLUSTER_MAX, lruvec, sc, LRU_ACTIVE_ANON);
}

/* kswapd's aging of a balanced node (Linux's age_active_anon). */
void lru_classic_age_node(pg_data_t *pgdat, struct scan_control *sc)
{
	struct lruvec *lruvec = &pgdat->__lruvec;

	if (!can_reclaim_anon_pages(pgdat->node_id, sc))
		return;
	if (inactive_anon_is_low(lruvec))
		shrink_active_list(SWAP_CLUSTER_MAX, lruvec, sc, LRU_ACTIVE_ANON);
}
