// SPDX-License-Identifier: GPL-2.0
/*
 * mm/vmscan.c - page reclaim: freeing in-use pages when memory runs short
 * (Linux's mm/vmscan.c, lru_gen off).  The classic policy's list scanning
 * (get_scan_count, shrink_active_list, shrink_inactive_list) is in
 * mm/vmscan_lru.c; kswapd's loop in mm/kswapd.c; the policy seam in
 * mm/lru_policy.c.
 *
 * Theory.  Every evictable in-use page is on an LRU of its node (mm/swap.c)
 * and can be given back by dropping what it caches (a clean page-cache
 * folio: the disk has it), writing it out first (a dirty one), or moving
 * its contents to swap (anon and shmem).  Reclaim picks the pages least
 * likely to be used soon: the policy approximates that with the lists'
 * order and the Accessed bits the MMU sets (folio_referenced through the
 * rmap), and balances anon against file by what each costs to bring back
 * (lruvec->anon_cost/file_cost, fed by lru_note_cost, weighed by
 * vm.swappiness 0..200).  Pressure is applied in passes of increasing
 * intensity: at priority p a pass scans lru_size >> p folios of each list
 * (DEF_PRIORITY 12 -> 0), in batches of SWAP_CLUSTER_MAX (32), until
 * sc->nr_to_reclaim pages came back.  Who reclaims:
 *   - direct reclaim: an allocation in the slow path
 *     (mm/page_alloc_slow.c: allocstall counted, PF_MEMALLOC, PSI) calls
 *     try_to_free_pages -> do_try_to_free_pages: the priority loop over
 *     shrink_zones -> shrink_node for each node of the zonelist;
 *   - kswapd (mm/kswapd.c) calls shrink_node with its own scan_control
 *     until the node is balanced (pgdat_balanced: high watermark);
 *   - proactive reclaim (memory.reclaim) try_to_free_mem_cgroup_pages;
 *   - MADV_PAGEOUT: reclaim_pages on folios the caller isolated.
 * shrink_node asks the node's policy (lruvec->ops->shrink_lruvec) and the
 * shrinkers (shrink_slab), notes dirty/writeback congestion for kswapd
 * (PGDAT_DIRTY, PGDAT_WRITEBACK) and throttles (reclaim_throttle: virtual
 * time passes for the disk to finish writeback).  shrink_folio_list is the
 * part every policy shares: for each isolated folio, locked (trylock),
 *   - referenced again (folio_check_references): back to the active list,
 *     or kept on the inactive one;
 *   - under writeback: PG_reclaim set, kept (the end of writeback rotates
 *     it to the inactive tail: folio_rotate_reclaimable, pgrotated);
 *   - anon without swap cache: add_to_swap (a slot, into the swap cache,
 *     dirty); no slot: activated;
 *   - mapped: try_to_unmap (swap PTEs for anon, TLB flushes batched);
 *   - dirty: file folios get PG_reclaim and the flusher is woken (only
 *     kswapd writes them, and only once PGDAT_DIRTY says the tail is full
 *     of dirty folios already marked); anon/shmem go out through
 *     pageout -> swap_writeout / shmem_writeout and are freed by a later
 *     pass once written;
 *   - clean: leaves its mapping (__remove_mapping, with a workingset
 *     shadow) and is freed; a clean lazyfree (MADV_FREE) folio is freed
 *     outright (pglazyfreed).
 * Counters as Linux: pgscan_kswapd/direct + pgscan_anon/file, pgsteal_*,
 * pgrefill, pgdeactivate, pgactivate, pgrotated, pglazyfreed,
 * nr_vmscan_write, nr_vmscan_immediate_reclaim, pageoutrun (kswapd's).
 *
 * Reference counts: a folio on an LRU list has PG_lru and a reference of
 * whoever uses it (mapping, PTEs); isolation takes one more (get_page_
 * unless_zero, so a folio being freed is never isolated) and clears PG_lru
 * under lru_lock.  A folio whose only users are its cache and reclaim has
 * refcount 2: __remove_mapping freezes it to 0 under the mapping's xa_lock
 * (lookups take references under that lock), removes it, and reclaim frees
 * it.  Putting back (move_folios_to_lru) drops the isolation reference.
 *
 * Locking.  Reclaim runs inside allocations, so it never blocks on a lock
 * an allocating path may hold: folios are trylocked, the rmap walks
 * trylock the anon_vma/i_mmap and PTE locks (try_to_unmap,
 * folio_referenced), and the folio stays where it was on contention.
 * lru_lock is held only to move folios on and off the lists, never across
 * a walk, a write or a free.  Order: folio lock -> i_mmap/anon_vma ->
 * PTE lock -> xa_lock -> lru_lock -> zone->lock.  Reclaim's own
 * allocations are PF_MEMALLOC (memalloc_noreclaim_save): they never
 * reclaim again.
 *
 * Invariants (lru_is_valid, the policy's is_valid): every folio with
 * PG_lru is on exactly one list of its node and counted there; an isolated
 * folio has PG_lru clear and is counted in NR_ISOLATED_ANON/FILE until put
 * back or freed; shrink_folio_list returns every folio it did not free on
 * the list, unlocked, PG_active set iff it was activated; pages freed ==
 * the return value.
 */
#include <mmsim/huge_mm.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <mmsim/swap.h>
#include <mmsim/swapops.h>
#include <mmsim/rmap.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include <mmsim/shmem_fs.h>
#include <mmsim/shrinker.h>
#include <mmsim/sysctl.h>
#include <mmsim/workqueue.h>
#include <mmsim/jiffies.h>
#include <mmsim/mmsim.h>
#include "init/machine.h"
#include "mm/internal.h"
#include "mm/pagecache_internal.h"
#include "mm/shmem_internal.h"
#include "mm/vmscan_internal.h"
#include "mm/lru_internal.h"

#define MAX_SWAPPINESS	200
/* The gfp bits reclaim honours (Linux's GFP_RECLAIM_MASK, mm/internal.h). */
#define GFP_RECLAIM_MASK (__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN | \
			     __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC | \
			     __GFP_NOMEMALLOC)

static inline bool ftest(const struct folio *f, int nr) { return page_flag_test(&f->page, nr); }
static inline void fset(struct folio *f, int nr) { page_flag_set((struct page *)&f->page, nr); }
static inline void fclear(struct folio *f, int nr) { page_flag_clear(&f->page, nr); }
static inline bool ftest_clear(struct folio *f, int nr)
{
	return __atomic_fetch_and(&f->page.flags, ~(1UL << nr), __ATOMIC_RELAXED) & (1UL << nr);
}

/* pgdat->flags / lruvec->flags bits (Linux's set_bit & co). */
static inline bool test_bit(int nr, const unsigned long *word)
{
	return (__atomic_load_n(word, __ATOMIC_RELAXED) >> nr) & 1;
}
static inline void set_bit(int nr, unsigned long *word)
{
	__atomic_fetch_or(word, 1UL << nr, __ATOMIC_RELAXED);
}
static inline void clear_bit(int nr, unsigned long *word)
{
	__atomic_fetch_and(word, ~(1UL << nr), __ATOMIC_RELAXED);
}

/* ---------------------------------------------------------------------
 * Context and knobs
 */

bool current_is_kswapd(void)
{
	return current_cpu && (current_cpu->memalloc_flags & PF_KSWAPD);
}

int vm_swappiness(void)
{
	return READ_ONCE(vmscan_state()->swappiness);
}

int sc_swappiness(struct scan_control *sc)
{
	if (sc && sc->proactive && sc->proactive_swappiness)
		return *sc->proactive_swappiness;
	return vm_swappiness();
}

/* Linux's can_reclaim_anon_pages: is there swap space to move anon to? */
bool can_reclaim_anon_pages(int nid, struct scan_control *sc)
{
	(void)nid;
	(void)sc;
	return get_nr_swap_pages() > 0;
}

unsigned long zone_reclaimable_pages(struct zone *zone)
{
	unsigned long nr;

	nr = zone_page_state(zone, NR_ZONE_INACTIVE_FILE) + zone_page_state(zone, NR_ZONE_ACTIVE_FILE);
	if (can_reclaim_anon_pages(zone->node, NULL))
		nr += zone_page_state(zone, NR_ZONE_INACTIVE_ANON) +
		      zone_page_state(zone, NR_ZONE_ACTIVE_ANON);
	return nr;
}

bool pgdat_balanced(pg_data_t *pgdat, int order, int highest_zoneidx)
{
	bool any = false;

	for (int i = 0; i <= highest_zoneidx && i < MAX_NR_ZONES; i++) {
		struct zone *zone = &pgdat->node_zones[i];

		if (!managed_zone(zone))
			continue;
		any = true;
		if (zone_watermark_ok_safe(zone, (unsigned int)order, high_wmark_pages(zone),
					   highest_zoneidx))
			return true;
	}
	/* No managed zone up to highest_zoneidx: nothing to balance. */
	return !any;
}

/* pgscan/pgsteal by who reclaims (Linux's reclaimer_offset) and by type. */
void count_reclaim_events(bool scan, bool file, unsigned long nr)
{
	enum vm_event_item base = scan ? PGSCAN_KSWAPD : PGSTEAL_KSWAPD;

	if (!nr)
		return;
	count_vm_events(current_is_kswapd() ? base : base + 1, nr);
	count_vm_events((scan ? PGSCAN_ANON : PGSTEAL_ANON) + file, nr);
}

/* ---------------------------------------------------------------------
 * Isolation
 */

static bool folio_evictable(struct folio *folio)
{
	struct address_space *mapping = folio_mapping_raw(folio);

	if (ftest(folio, PG_mlocked))
		return false;
	if (mapping && !((unsigned long)mapping & PAGE_MAPPING_FLAGS) &&
	    (__atomic_load_n(&mapping->flags, __ATOMIC_RELAXED) & (1UL << AS_UNEVICTABLE)))
		return false;
	return true;
}

/* Linux's folio_mapping: the swap cache's space for a swap-cache folio. */
static struct address_space *folio_mapping(struct folio *folio)
{
	struct address_space *mapping;

	if (folio_test_swapcache(folio))
		return swap_address_space(folio_swap_entry(folio));
	mapping = folio_mapping_raw(folio);
	if ((unsigned long)mapping & PAGE_MAPPING_FLAGS)
		return NULL;
	return mapping;
}

bool folio_isolate_lru(struct folio *folio)
{
	struct lruvec *lruvec = folio_lruvec(folio);
	bool ret = false;

	WARN_ON_ONCE(!page_ref_count(&folio->page));
	spin_lock(&lruvec->lru_lock);
	if (ftest(folio, PG_lru)) {
		get_page(&folio->page);
		lruvec_del_folio(lruvec, folio);
		fclear(folio, PG_lru);
		ret = true;
	}
	spin_unlock(&lruvec->lru_lock);
	return ret;
}

void folio_putback_lru(struct folio *folio)
{
	folio_add_lru(folio);
	put_page(&folio->page);
}

/*
 * Put isolated folios back (Linux's move_folios_to_lru), dropping the
 * isolation reference: an unevictable one through folio_putback_lru, one
 * whose last reference that was is freed.  Takes lru_lock itself (call
 * it without).  Returns the pages put back.
 */
unsigned int move_folios_to_lru(struct lruvec *lruvec, struct list_head *list)
{
	unsigned int nr_moved = 0;
	LIST_HEAD(free_list);

	spin_lock(&lruvec->lru_lock);
	while (!list_empty(list)) {
		struct folio *folio = page_folio(list_first_entry(list, struct page, lru));

		lru_list_del(&folio->page.lru);
		if (unlikely(!folio_evictable(folio))) {
			spin_unlock(&lruvec->lru_lock);
			folio_putback_lru(folio);
			spin_lock(&lruvec->lru_lock);
			continue;
		}
		if (atomic_fetch_sub_explicit(&folio->page._refcount, 1, memory_order_acq_rel) == 1) {
			/* we held the last reference: free it after the lock */
			fclear(folio, PG_active);
			fclear(folio, PG_unevictable);
			atomic_store_explicit(&folio->page._refcount, 1, memory_order_relaxed);
			lru_list_add(&folio->page.lru, &free_list);
			continue;
		}
		fset(folio, PG_lru);
		lruvec_add_folio(lruvec, folio);
		nr_moved += (unsigned int)folio_nr_pages_lru(folio);
	}
	spin_unlock(&lruvec->lru_lock);
	while (!list_empty(&free_list)) {
		struct page *page = list_first_entry(&free_list, struct page, lru);

		lru_list_del(&page->lru);
		put_page(page);
	}
	return nr_moved;
}

/* ---------------------------------------------------------------------
 * shrink_folio_list: the shared second half
 */

enum folio_references {
	FOLIOREF_RECLAIM,
	FOLIOREF_RECLAIM_CLEAN,
	FOLIOREF_KEEP,
	FOLIOREF_ACTIVATE,
};

static enum folio_references folio_check_references(struct folio *folio, struct scan_control *sc)
{
	unsigned long vm_flags;
	int referenced_ptes;
	bool referenced_folio;

	(void)sc;
	referenced_ptes = folio_referenced(folio, 1, NULL, &vm_flags);
	referenced_folio = ftest_clear(folio, PG_referenced);
	/* mlocked in some VMA: not reclaimable (Linux moves it to unevictable). */
	if (vm_flags & VM_LOCKED)
		return FOLIOREF_ACTIVATE;
	/* rmap lock contention: rotate */
	if (referenced_ptes == -1)
		return FOLIOREF_KEEP;
	if (referenced_ptes) {
		/*
		 * All mapped folios start out with page table references from
		 * the instantiating fault, so a folio with one reference is
		 * kept once (PG_referenced set) and activated if seen again;
		 * shared or executable file folios go straight back.
		 */
		fset(folio, PG_referenced);
		if (referenced_folio || referenced_ptes > 1)
			return FOLIOREF_ACTIVATE;
		if ((vm_flags & VM_EXEC) && folio_is_file_lru(folio))
			return FOLIOREF_ACTIVATE;
		return FOLIOREF_KEEP;
	}
	/* Reclaim if clean, defer dirty folios to writeback. */
	if (referenced_folio && folio_is_file_lru(folio))
		return FOLIOREF_RECLAIM_CLEAN;
	return FOLIOREF_RECLAIM;
}

static void folio_check_dirty_writeback(struct folio *folio, bool *dirty, bool *writeback)
{
	/* Anon (and lazyfree) folios are not the flusher's: never stall on them. */
	if (!folio_is_file_lru(folio) || (folio_test_anon(folio) && !ftest(folio, PG_swapbacked))) {
		*dirty = false;
		*writeback = false;
		return;
	}
	*dirty = folio_test_dirty(folio);
	*writeback = folio_test_writeback(folio);
}

static bool may_enter_fs(struct folio *folio, gfp_t gfp_mask)
{
	if (gfp_mask & __GFP_FS)
		return true;
	if (!folio_test_swapcache(folio) || !(gfp_mask & __GFP_IO))
		return false;
	return true;	/* swap to a block device: no file system re-entered */
}

/*
 * Linux's __remove_mapping: a clean folio used only by its cache and by
 * reclaim leaves the cache (a workingset shadow in its slot when
 * @reclaimed).  Returns 1 with the refcount frozen at 0 (the caller
 * unfreezes or frees), 0 if somebody else holds it or it was redirtied.
 */
static int __remove_mapping(struct address_space *mapping, struct folio *folio, bool reclaimed)
{
	int expected = 2;	/* the cache's + ours */
	void *shadow = NULL;

	WARN_ON_ONCE(!folio_test_locked(folio));
	if (ftest(folio, PG_private))
		expected++;
	xa_lock_irq(&mapping->i_pages);
	if (!atomic_compare_exchange_strong_explicit(&folio->page._refcount, &expected, 0,
						     memory_order_acquire, memory_order_relaxed))
		goto cannot_free;
	if (unlikely(folio_test_dirty(folio))) {
		atomic_store_explicit(&folio->page._refcount, expected, memory_order_release);
		goto cannot_free;
	}
	if (folio_test_swapcache(folio)) {
		swp_entry_t swap = folio_swap_entry(folio);

		if (reclaimed)
			shadow = workingset_eviction(folio);
		__delete_from_swap_cache(folio, swap, shadow);
		xa_unlock_irq(&mapping->i_pages);
		put_swap_folio(folio, swap);
	} else {
		struct inode *host = mapping->host;

		if (reclaimed && folio_is_file_lru(folio))
			shadow = workingset_eviction(folio);
		__filemap_remove_folio(folio, shadow);
		xa_unlock_irq(&mapping->i_pages);
		/* shmem's blocks: pages gone from the cache are freed ones */
		if (shmem_mapping(mapping) && host)
			shmem_recalc_inode(host, 0);
	}
	return 1;

cannot_free:
	xa_unlock_irq(&mapping->i_pages);
	return 0;
}

long remove_mapping(struct address_space *mapping, struct folio *folio)
{
	if (__remove_mapping(mapping, folio, false)) {
		/* Unfreeze to the caller's one reference (the cache's is gone). */
		atomic_store_explicit(&folio->page._refcount, 1, memory_order_release);
		return 1;
	}
	return 0;
}

/* A folio nobody but its cache and reclaim holds (Linux's is_page_cache_freeable). */
static bool is_page_cache_freeable(struct folio *folio)
{
	return page_ref_count(&folio->page) - (int)ftest(folio, PG_private) == 2;
}

typedef enum {
	PAGE_KEEP,		/* failed to write: keep it */
	PAGE_ACTIVATE,		/* move it to the active list */
	PAGE_SUCCESS,		/* writeback started (the folio is unlocked) */
	PAGE_CLEAN,		/* it was clean: free it now */
} pageout_t;

/*
 * Write one dirty file folio for kswapd (Linux's pageout of a file folio):
 * the folio lock is dropped for the file system's writepages, which locks
 * it again, cleans it and starts writeback; the folio stays isolated.
 */
static int writeout_file(struct folio *folio, struct address_space *mapping,
			 struct writeback_control *wbc)
{
	folio_unlock(folio);
	wbc->range_start = folio_pos(folio);
	wbc->range_end = folio_pos(folio) + (loff_t)PAGE_SIZE - 1;
	return do_writepages(mapping, wbc);
}

static pageout_t pageout(struct folio *folio, struct address_space *mapping)
{
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_NONE,
		.nr_to_write = SWAP_CLUSTER_MAX,
		.range_start = 0,
		.range_end = LLONG_MAX,
		.for_reclaim = 1,
	};
	int res;

	if (!is_page_cache_freeable(folio))
		return PAGE_KEEP;
	if (!mapping)
		return PAGE_KEEP;
	if (!folio_test_swapcache(folio) && !shmem_mapping(mapping) &&
	    (!mapping->a_ops || !mapping->a_ops->writepages))
		return PAGE_ACTIVATE;
	if (folio_test_swapcache(folio) || shmem_mapping(mapping)) {
		if (!folio_clear_dirty_for_io(folio))
			return PAGE_CLEAN;
		fset(folio, PG_reclaim);
		if (shmem_mapping(mapping) && !folio_test_swapcache(folio))
			res = shmem_writeout(folio, &wbc);
		else
			res = swap_writeout(folio, &wbc);
	} else {
		if (!folio_test_dirty(folio))
			return PAGE_CLEAN;
		fset(folio, PG_reclaim);
		res = writeout_file(folio, mapping, &wbc);
	}
	if (res < 0)
		mapping_set_error(mapping, res);
	if (res == AOP_WRITEPAGE_ACTIVATE) {
		/* still locked; kept dirty so it is never dropped as clean */
		fclear(folio, PG_reclaim);
		if (!folio_test_dirty(folio))
			folio_mark_dirty(folio);
		return PAGE_ACTIVATE;
	}
	if (!folio_test_writeback(folio))
		fclear(folio, PG_reclaim);	/* synchronous, or not written */
	mod_node_page_state(page_pgdat(&folio->page), NR_VMSCAN_WRITE, 1);
	return PAGE_SUCCESS;
}

unsigned int shrink_folio_list(struct list_head *folio_list, pg_data_t *pgdat,
			       struct scan_control *sc, struct reclaim_stat *stat,
			       bool ignore_references)
{
	LIST_HEAD(ret_folios);
	LIST_HEAD(free_folios);
	unsigned int nr_reclaimed = 0, pgactivate;

	memset(stat, 0, sizeof(*stat));
	while (!list_empty(folio_list)) {
		struct folio *folio = page_folio(list_first_entry(folio_list, struct page, lru));
		enum folio_references references = FOLIOREF_RECLAIM;
		struct address_space *mapping;
		bool dirty, writeback;
		unsigned int nr_pages;

		lru_list_del(&folio->page.lru);
		if (!folio_trylock(folio))
			goto keep;
		WARN_ON_ONCE(ftest(folio, PG_active));
		nr_pages = (unsigned int)folio_nr_pages_lru(folio);
		sc->nr_scanned += nr_pages;

		if (unlikely(!folio_evictable(folio)))
			goto activate_locked;
		if (!sc->may_unmap && folio_mapped(folio))
			goto keep_locked;

		/* Dirty and writeback file folios tell kswapd the tail is congested. */
		folio_check_dirty_writeback(folio, &dirty, &writeback);
		if (dirty || writeback)
			stat->nr_dirty += nr_pages;
		if (dirty && !writeback)
			stat->nr_unqueued_dirty += nr_pages;
		if (writeback && ftest(folio, PG_reclaim))
			stat->nr_congested += nr_pages;

		if (folio_test_writeback(folio)) {
			/*
			 * Case 1: kswapd sees a folio it already marked still
			 * under writeback with PGDAT_WRITEBACK set: the disk is
			 * behind; count it (shrink_node throttles) and move on.
			 * Case 2: mark it PG_reclaim so its completion rotates
			 * it to the tail, and move on.
			 */
			if (current_is_kswapd() && ftest(folio, PG_reclaim) &&
			    test_bit(PGDAT_WRITEBACK, &pgdat->flags)) {
				stat->nr_immediate += nr_pages;
				goto activate_locked;
			}
			fset(folio, PG_reclaim);
			stat->nr_writeback += nr_pages;
			goto activate_locked;
		}

		if (!ignore_references)
			references = folio_check_references(folio, sc);
		switch (references) {
		case FOLIOREF_ACTIVATE:
			goto activate_locked;
		case FOLIOREF_KEEP:
			stat->nr_ref_keep += nr_pages;
			goto keep_locked;
		case FOLIOREF_RECLAIM:
		case FOLIOREF_RECLAIM_CLEAN:
			break;
		}

		/* Anon: a swap slot and the swap cache first. */
		if (folio_test_anon(folio) && ftest(folio, PG_swapbacked) &&
		    !folio_test_swapcache(folio)) {
			if (!(sc->gfp_mask & __GFP_IO) || !sc->may_swap)
				goto keep_locked;
			if (folio_maybe_dma_pinned(folio))
				goto keep_locked;
			/* A THP is swapped as base pages: split it, its other
			 * pages join the list (Linux's split_folio_to_list). */
			if (folio_test_large(folio)) {
				if (split_folio_to_list(folio, folio_list))
					goto activate_locked;
				count_vm_event(THP_SWPOUT_FALLBACK);
				sc->nr_scanned -= nr_pages - 1;
				nr_pages = 1;
			}
			if (!add_to_swap(folio))
				goto activate_locked;
		}

		/* Mapped: unmap it everywhere (swap PTEs for anon). */
		if (folio_mapped(folio)) {
			bool was_swapbacked = ftest(folio, PG_swapbacked);

			try_to_unmap(folio, TTU_BATCH_FLUSH);
			if (folio_mapped(folio)) {
				stat->nr_unmap_fail += nr_pages;
				if (!was_swapbacked && ftest(folio, PG_swapbacked))
					stat->nr_lazyfree_fail += nr_pages;
				goto activate_locked;
			}
		}
		/* Unmapped now, so it cannot be newly pinned. */
		if (folio_maybe_dma_pinned(folio))
			goto activate_locked;

		mapping = folio_mapping(folio);
		if (folio_test_dirty(folio)) {
			/*
			 * Only kswapd writes file folios, and only those it
			 * has seen at the tail before (PG_reclaim) once the
			 * node's tail is full of dirty folios (PGDAT_DIRTY):
			 * otherwise the flusher does it in better order.
			 */
			if (folio_is_file_lru(folio) &&
			    (!current_is_kswapd() || !ftest(folio, PG_reclaim) ||
			     !test_bit(PGDAT_DIRTY, &pgdat->flags))) {
				mod_node_page_state(pgdat, NR_VMSCAN_IMMEDIATE, nr_pages);
				fset(folio, PG_reclaim);
				goto activate_locked;
			}
			if (references == FOLIOREF_RECLAIM_CLEAN)
				goto keep_locked;
			if (!may_enter_fs(folio, sc->gfp_mask))
				goto keep_locked;
			if (!sc->may_writepage)
				goto keep_locked;
			/* No stale writable TLB entry may write it behind the I/O. */
			try_to_unmap_flush_dirty();
			switch (pageout(folio, mapping)) {
			case PAGE_KEEP:
				goto keep_locked;
			case PAGE_ACTIVATE:
				goto activate_locked;
			case PAGE_SUCCESS:
				stat->nr_pageout += nr_pages;
				if (folio_test_writeback(folio) || folio_test_dirty(folio))
					goto keep;
				/* written synchronously: try to free it now */
				if (!folio_trylock(folio))
					goto keep;
				if (folio_test_dirty(folio) || folio_test_writeback(folio))
					goto keep_locked;
				mapping = folio_mapping(folio);
				break;
			case PAGE_CLEAN:
				break;
			}
		}

		/* Private data (buffers) must be released first. */
		if (ftest(folio, PG_private) && mapping && mapping->a_ops &&
		    mapping->a_ops->release_folio) {
			if (!mapping->a_ops->release_folio(folio, sc->gfp_mask))
				goto activate_locked;
		}
		if (folio_test_anon(folio) && !ftest(folio, PG_swapbacked)) {
			/* A clean lazyfree folio: nobody but us holds it any more. */
			int one = 1;

			if (!atomic_compare_exchange_strong_explicit(&folio->page._refcount, &one, 0,
								     memory_order_acquire,
								     memory_order_relaxed))
				goto keep_locked;
			if (folio_test_dirty(folio)) {
				atomic_store_explicit(&folio->page._refcount, 1, memory_order_release);
				goto keep_locked;
			}
			count_vm_events(PGLAZYFREED, nr_pages);
		} else if (!mapping || !__remove_mapping(mapping, folio, true)) {
			goto keep_locked;
		}
		folio_unlock(folio);
		/* frozen at 0: ours again, freed below after the TLB flush */
		atomic_store_explicit(&folio->page._refcount, 1, memory_order_relaxed);
		nr_reclaimed += nr_pages;
		lru_list_add(&folio->page.lru, &free_folios);
		continue;

activate_locked:
		/* Not a candidate for swapping: give its slot back early. */
		if (folio_test_swapcache(folio) && (vm_swap_full() || ftest(folio, PG_mlocked)))
			folio_free_swap(folio);
		if (!ftest(folio, PG_mlocked)) {
			fset(folio, PG_active);
			stat->nr_activate[folio_is_file_lru(folio)] += nr_pages;
		}
keep_locked:
		folio_unlock(folio);
keep:
		lru_list_add(&folio->page.lru, &ret_folios);
	}
	pgactivate = stat->nr_activate[0] + stat->nr_activate[1];

	try_to_unmap_flush();
	while (!list_empty(&free_folios)) {
		struct page *page = list_first_entry(&free_folios, struct page, lru);

		lru_list_del(&page->lru);
		put_page(page);
	}
	/* back in their order */
	while (!list_empty(&ret_folios)) {
		struct page *page = list_last_entry(&ret_folios, struct page, lru);

		lru_list_del(&page->lru);
		lru_list_add(&page->lru, folio_list);
	}
	count_vm_events(PGACTIVATE, pgactivate);
	return nr_reclaimed;
}

/* ---------------------------------------------------------------------
 * Throttling in virtual time
 */

enum vmscan_throttle_state {
	VMSCAN_THROTTLE_WRITEBACK,
	VMSCAN_THROTTLE_ISOLATED,
	VMSCAN_THROTTLE_NOPROGRESS,
	VMSCAN_THROTTLE_CONGESTED,
};

/*
 * Linux's reclaim_throttle: wait for the disk to make progress.  mmsim
 * lets virtual time pass a jiffy at a time (the disks complete what falls
 * due; no deferred work runs: the caller may hold locks), up to the
 * reason's timeout (HZ/10 for writeback and congestion, HZ/50 for
 * isolation), and stops early once SWAP_CLUSTER_MAX of the node's folios
 * under writeback finished or none is left.  NOPROGRESS (direct reclaim
 * that freed nothing at priority 1) waits like WRITEBACK when the node
 * has writeback in flight -- the folios it queued can only be freed once
 * written -- and one jiffy otherwise.
 */
static void reclaim_throttle(pg_data_t *pgdat, enum vmscan_throttle_state reason)
{
	struct mmsim *m = M();
	unsigned long start = node_page_state(pgdat, NR_WRITEBACK);
	unsigned long timeout;

	switch (reason) {
	case VMSCAN_THROTTLE_ISOLATED:
		timeout = HZ / 50;
		break;
	case VMSCAN_THROTTLE_NOPROGRESS:
		timeout = start ? HZ / 10 : 1;
		break;
	default:
		timeout = HZ / 10;
		break;
	}
	for (unsigned long j = 0; j < timeout; j++) {
		unsigned long now;

		io_wait_advance_clock(m, 1000000000ULL / HZ);
		now = node_page_state(pgdat, NR_WRITEBACK);
		if (!now || now + SWAP_CLUSTER_MAX <= start)
			break;
	}
}

/* ---------------------------------------------------------------------
 * shrink_node and the entry points
 */

static bool inactive_is_low(struct lruvec *lruvec, enum lru_list inactive_lru)
{
	pg_data_t *pgdat = lruvec_pgdat(lruvec);
	unsigned long inactive = node_page_state(pgdat, (enum node_stat_item)(NR_INACTIVE_ANON + inactive_lru));
	unsigned long active = node_page_state(pgdat, (enum node_stat_item)(NR_INACTIVE_ANON + inactive_lru + LRU_ACTIVE));
	unsigned long gb = (inactive + active) >> (30 - PAGE_SHIFT);
	unsigned long ratio = 1;

	if (gb) {
		/* int_sqrt(10 * gb) */
		unsigned long x = 10 * gb;

		while ((ratio + 1) * (ratio + 1) <= x)
			ratio++;
	}
	return inactive * ratio < active;
}

/* Linux's prepare_scan_control: cost snapshot, deactivation, cache trim, tiny file. */
static void prepare_scan_control(pg_data_t *pgdat, struct scan_control *sc)
{
	struct lruvec *lruvec = &pgdat->__lruvec;
	unsigned long file, free = 0, anon, total_high_wmark = 0;

	spin_lock(&lruvec->lru_lock);
	sc->anon_cost = lruvec->anon_cost;
	sc->file_cost = lruvec->file_cost;
	spin_unlock(&lruvec->lru_lock);

	if (!sc->force_deactivate) {
		unsigned long refaults = node_page_state(pgdat, WORKINGSET_ACTIVATE_ANON);

		if (refaults != __atomic_load_n(&lruvec->refaults[0], __ATOMIC_RELAXED) ||
		    inactive_is_low(lruvec, LRU_INACTIVE_ANON))
			sc->may_deactivate |= DEACTIVATE_ANON;
		else
			sc->may_deactivate &= ~DEACTIVATE_ANON;
		refaults = node_page_state(pgdat, WORKINGSET_ACTIVATE_FILE);
		if (refaults != __atomic_load_n(&lruvec->refaults[1], __ATOMIC_RELAXED) ||
		    inactive_is_low(lruvec, LRU_INACTIVE_FILE))
			sc->may_deactivate |= DEACTIVATE_FILE;
		else
			sc->may_deactivate &= ~DEACTIVATE_FILE;
	} else {
		sc->may_deactivate = DEACTIVATE_ANON | DEACTIVATE_FILE;
	}

	/* Plenty of inactive cache not thrashing: reclaim only that. */
	file = node_page_state(pgdat, NR_INACTIVE_FILE);
	sc->cache_trim_mode = (file >> sc->priority) && !(sc->may_deactivate & DEACTIVATE_FILE);

	/* A tiny, thrashing file LRU must not soak up all the pressure. */
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];

		if (!managed_zone(zone))
			continue;
		total_high_wmark += high_wmark_pages(zone);
		free += zone_page_state(zone, NR_FREE_PAGES);
	}
	file = node_page_state(pgdat, NR_ACTIVE_FILE) + node_page_state(pgdat, NR_INACTIVE_FILE);
	anon = node_page_state(pgdat, NR_INACTIVE_ANON);
	sc->file_is_tiny = file + free <= total_high_wmark &&
			   !(sc->may_deactivate & DEACTIVATE_ANON) && (anon >> sc->priority);
}

void shrink_node(pg_data_t *pgdat, struct scan_control *sc)
{
	struct lruvec *lruvec = &pgdat->__lruvec;
	unsigned long nr_reclaimed, nr_scanned, nr_node_reclaimed;

	memset(&sc->nr, 0, sizeof(sc->nr));
	nr_reclaimed = sc->nr_reclaimed;
	nr_scanned = sc->nr_scanned;
	prepare_scan_control(pgdat, sc);

	READ_ONCE(lruvec->ops)->shrink_lruvec(lruvec, sc);	/* switched under lru_lock */
	sc->reclaim_state.reclaimed = 0;
	shrink_slab(sc->gfp_mask, pgdat->node_id, NULL, sc->priority);
	/* Slab pages the shrinkers freed count as reclaimed (flush_reclaim_state). */
	sc->nr_reclaimed += sc->reclaim_state.reclaimed;
	sc->reclaim_state.reclaimed = 0;

	nr_node_reclaimed = sc->nr_reclaimed - nr_reclaimed;
	if (current_is_kswapd()) {
		/* The disk is behind: every folio kswapd took is under writeback. */
		if (sc->nr.writeback && sc->nr.writeback == sc->nr.taken)
			set_bit(PGDAT_WRITEBACK, &pgdat->flags);
		/* The flusher is not keeping up: kswapd writes file folios itself. */
		if (sc->nr.unqueued_dirty && sc->nr.unqueued_dirty == sc->nr.file_taken)
			set_bit(PGDAT_DIRTY, &pgdat->flags);
		if (sc->nr.immediate)
			reclaim_throttle(pgdat, VMSCAN_THROTTLE_WRITEBACK);
	}
	/* Many dirty folios under writeback at the tail: the node is congested. */
	if (sc->nr.dirty && sc->nr.dirty == sc->nr.congested)
		set_bit(LRUVEC_NODE_CONGESTED, &lruvec->flags);
	if (!current_is_kswapd() && !sc->proactive && test_bit(LRUVEC_NODE_CONGESTED, &lruvec->flags)) {
		reclaim_throttle(pgdat, VMSCAN_THROTTLE_CONGESTED);
		clear_bit(LRUVEC_NODE_CONGESTED, &lruvec->flags);
	}
	/* kswapd (another CPU's work) reads it: relaxed atomics */
	if (nr_node_reclaimed && __atomic_load_n(&pgdat->kswapd_failures, __ATOMIC_RELAXED))
		__atomic_store_n(&pgdat->kswapd_failures, 0, __ATOMIC_RELAXED);
	(void)nr_scanned;
}

/* The node has reclaimed well or not at all at priority 1: maybe wait. */
static void consider_reclaim_throttle(pg_data_t *pgdat, struct scan_control *sc)
{
	if (sc->nr_reclaimed > (sc->nr_scanned >> 3))
		return;
	if (current_is_kswapd() || sc->proactive)
		return;
	if (sc->priority == 1 && !sc->nr_reclaimed)
		reclaim_throttle(pgdat, VMSCAN_THROTTLE_NOPROGRESS);
}

static bool node_allowed(const unsigned long *nodemask, int nid)
{
	return !nodemask || ((nodemask[nid / 64] >> (nid % 64)) & 1);
}

static void shrink_zones(struct zonelist *zonelist, struct scan_control *sc)
{
	pg_data_t *seen[MAX_NUMNODES] = { NULL };
	int nr_seen = 0;

	for (struct zoneref *z = zonelist->_zonerefs; z->zone; z++) {
		struct zone *zone = z->zone;
		pg_data_t *pgdat = zone->zone_pgdat;
		bool dup = false;

		if (z->zone_idx > sc->reclaim_idx || !populated_zone(zone) ||
		    !node_allowed(sc->nodemask, zone->node))
			continue;
		for (int i = 0; i < nr_seen; i++)
			dup |= seen[i] == pgdat;
		if (dup)
			continue;
		seen[nr_seen++] = pgdat;
		shrink_node(pgdat, sc);
		consider_reclaim_throttle(pgdat, sc);
	}
}

/* The workingset activations seen at this reclaim (prepare_scan_control compares). */
static void snapshot_refaults(const unsigned long *nodemask)
{
	struct mmsim *m = M();

	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (!node_allowed(nodemask, nid))
			continue;
		/* relaxed atomics: other CPUs' reclaim reads them (WRITE_ONCE) */
		__atomic_store_n(&pgdat->__lruvec.refaults[0],
				 node_page_state(pgdat, WORKINGSET_ACTIVATE_ANON), __ATOMIC_RELAXED);
		__atomic_store_n(&pgdat->__lruvec.refaults[1],
				 node_page_state(pgdat, WORKINGSET_ACTIVATE_FILE), __ATOMIC_RELAXED);
	}
}

/*
 * The priority loop (Linux's do_try_to_free_pages): scan harder until
 * enough came back; let writeback start after the first gentle passes;
 * once more with forced deactivation if active lists were skipped.
 */
static unsigned long do_try_to_free_pages(struct zonelist *zonelist, struct scan_control *sc)
{
	int initial_priority = sc->priority;

retry:
	do {
		sc->nr_scanned = 0;
		shrink_zones(zonelist, sc);
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
		if (sc->compaction_ready)
			break;
		if (sc->priority < DEF_PRIORITY - 2)
			sc->may_writepage = 1;
	} while (--sc->priority >= 0);

	snapshot_refaults(sc->nodemask);
	if (sc->nr_reclaimed)
		return sc->nr_reclaimed;
	if (sc->compaction_ready)
		return 1;
	/* Untapped cgroup... no: active lists were never deactivated. Retry with force. */
	if (sc->skipped_deactivate) {
		sc->priority = (s8)initial_priority;
		sc->force_deactivate = 1;
		sc->skipped_deactivate = 0;
		goto retry;
	}
	return 0;
}

unsigned long try_to_free_pages(struct zonelist *zonelist, int order, gfp_t gfp_mask,
				const unsigned long *nodemask)
{
	struct scan_control sc = {
		.nr_to_reclaim = SWAP_CLUSTER_MAX,
		.gfp_mask = gfp_mask,
		.reclaim_idx = (s8)gfp_zone(gfp_mask),
		.order = (s8)order,
		.nodemask = nodemask,
		.priority = DEF_PRIORITY,
		.may_writepage = 1,
		.may_unmap = 1,
		.may_swap = 1,
	};

	/* allocstall is counted by the caller (mm/page_alloc_slow.c). */
	return do_try_to_free_pages(zonelist, &sc);
}

unsigned long try_to_free_mem_cgroup_pages(void *memcg, unsigned long nr_pages, gfp_t gfp_mask,
					   unsigned int reclaim_options, int swappiness)
{
	struct scan_control sc = {
		.nr_to_reclaim = max_t(unsigned long, nr_pages, SWAP_CLUSTER_MAX),
		.proactive_swappiness = swappiness >= 0 ? &swappiness : NULL,
		.gfp_mask = (gfp_mask & GFP_RECLAIM_MASK) | (GFP_HIGHUSER_MOVABLE & ~GFP_RECLAIM_MASK),
		.reclaim_idx = MAX_NR_ZONES - 1,
		.target_mem_cgroup = memcg,
		.priority = DEF_PRIORITY,
		.may_writepage = 1,
		.may_unmap = 1,
		.may_swap = !!(reclaim_options & MEMCG_RECLAIM_MAY_SWAP),
		.proactive = !!(reclaim_options & MEMCG_RECLAIM_PROACTIVE),
	};
	int nid = current_cpu ? current_cpu->node : 0;
	unsigned int noreclaim_flag;
	unsigned long nr_reclaimed;

	noreclaim_flag = memalloc_noreclaim_save();
	nr_reclaimed = do_try_to_free_pages(&NODE_DATA(nid)->node_zonelists[ZONELIST_FALLBACK], &sc);
	memalloc_noreclaim_restore(noreclaim_flag);
	return nr_reclaimed;
}

/* MADV_PAGEOUT's reclaim of one node's isolated folios (Linux's reclaim_folio_list). */
static unsigned int reclaim_folio_list(struct list_head *folio_list, pg_data_t *pgdat)
{
	struct reclaim_stat stat;
	struct scan_control sc = {
		.gfp_mask = GFP_KERNEL,
		.may_writepage = 1,
		.may_unmap = 1,
		.may_swap = 1,
		.no_demotion = 1,
	};
	unsigned int nr_reclaimed;

	nr_reclaimed = shrink_folio_list(folio_list, pgdat, &sc, &stat, true);
	while (!list_empty(folio_list)) {
		struct page *page = list_first_entry(folio_list, struct page, lru);

		lru_list_del(&page->lru);
		folio_putback_lru(page_folio(page));
	}
	return nr_reclaimed;
}

unsigned long reclaim_pages(struct list_head *folio_list)
{
	unsigned long nr_reclaimed = 0;
	LIST_HEAD(node_folio_list);
	unsigned int noreclaim_flag;
	int nid;

	if (list_empty(folio_list))
		return 0;
	noreclaim_flag = memalloc_noreclaim_save();
	nid = page_to_nid(list_first_entry(folio_list, struct page, lru));
	while (!list_empty(folio_list)) {
		struct page *page = list_first_entry(folio_list, struct page, lru);

		if (page_to_nid(page) != nid) {
			nr_reclaimed += reclaim_folio_list(&node_folio_list, NODE_DATA(nid));
			nid = page_to_nid(page);
			continue;
		}
		lru_list_del(&page->lru);
		fclear(page_folio(page), PG_active);
		lru_list_add_tail(&page->lru, &node_folio_list);
	}
	nr_reclaimed += reclaim_folio_list(&node_folio_list, NODE_DATA(nid));
	memalloc_noreclaim_restore(noreclaim_flag);
	return nr_reclaimed;
}

/* ---------------------------------------------------------------------
 * vm.swappiness
 */

static const int max_swappiness = MAX_SWAPPINESS;

int vmscan_sysctl_init(struct mmsim *m, char *err, size_t len)
{
	struct vmscan_state *st = subsys_state(m, vmscan);
	const struct ctl_table table[] = {
		{ .procname = "swappiness", .data = &st->swappiness, .maxlen = sizeof(int),
		  .mode = 0644, .proc_handler = proc_dointvec_minmax,
		  .extra1 = SYSCTL_ZERO, .extra2 = &max_swappiness },
	};
	int ret = register_sysctl("vm", table);

	if (ret)
		snprintf(err, len, "vmscan: cannot register vm.swappiness (%d)", ret);
	return ret;
}
