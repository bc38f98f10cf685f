// SPDX-License-Identifier: GPL-2.0
/*
 * mm/swap.c - the LRU lists' bookkeeping (Linux's classic LRU, lru_gen
 * off) and the routing of every list change through the node's reclaim
 * policy (lruvec->ops, <mmsim/lru_policy.h>).  Reclaim (mm/vmscan.c,
 * mm/vmscan_lru.c, mm/lru_gen.c) scans the lists; this file keeps them.
 *
 * Design: each node has one lruvec (pglist_data.__lruvec) with five lists,
 * enum lru_list: inactive/active anon, inactive/active file, unevictable.
 * A folio is on at most one list, linked through folio->lru (page->lru:
 * free for the owner of an allocated page; the buddy and pcp lists use it
 * only while the page is free, and a page is taken off the LRU before it is
 * freed).  Which list follows from its flags, as folio_lru_list() in
 * Linux: PG_unevictable -> LRU_UNEVICTABLE, else anon (PG_swapbacked) or
 * file, inactive or active by PG_active.  The node counters NR_INACTIVE_ANON
 * .. NR_UNEVICTABLE follow each list's length (update_lru_size), so
 * /proc/meminfo's Active/Inactive/Unevictable and /proc/vmstat's nr_* show
 * the lists.
 *
 * New anonymous folios (do_anonymous_page, wp_page_copy, the copy of a
 * pinned page at fork) go through folio_add_lru_vma(): on LRU_INACTIVE_ANON,
 * as Linux 6.x does with lru_gen off (anon starts inactive since 5.9), or,
 * in a VM_LOCKED VMA, mlocked on LRU_UNEVICTABLE.  folio_mark_accessed()
 * is Linux's two-touch rule: the first marks PG_referenced, the second
 * activates (PGACTIVATE).  mlock/munlock move a folio to and from
 * LRU_UNEVICTABLE (mm/mlock.c calls folio_lru_mlock/munlock; munlock counts
 * unevictable_pgs_rescued).  The last folio_put takes a folio off its list
 * (__page_cache_release, clearing PG_lru/active/unevictable) before the
 * buddy allocator sees it; a page freed with PG_lru still set is a "Bad
 * page state" in free_pages_prepare, as in Linux.
 *
 * Not (yet) as Linux: folio_add_lru adds directly under lru_lock instead of
 * through the per-CPU folio_batch (PAGEVEC_SIZE); lru_add_drain*() are kept
 * as the seams for that batch and drain nothing.
 *
 * Locking: lruvec->lru_lock guards the lists, nr_pages[] and the changes of
 * PG_lru/PG_active/PG_unevictable of a folio on a list.  Order: mmap_lock
 * -> the PTE lock -> lru_lock -> zone->lock (the free path drops lru_lock
 * before the allocator takes zone->lock).  Flag bits change with atomic
 * operations: PG_mlocked and PG_referenced change without lru_lock.
 *
 * Invariants (lru_is_valid): each list's length == nr_pages[lru] == the
 * node counter; every folio on a list has PG_lru, the PG_active and
 * PG_unevictable its list implies, a non-zero refcount, is mapped or in a
 * mapping, belongs to the list's node and is on one list only.
 */
#include <mmsim/swap.h>
#include <mmsim/rmap.h>
#include <mmsim/mm_vma.h>
#include "mm/internal.h"
#include "mm/vma_internal.h"
#include "mm/vmscan_internal.h"
#include "mm/lru_internal.h"

static inline void flag_set(struct folio *f, int nr)
{
	__atomic_fetch_or(&f->page.flags, 1UL << nr, __ATOMIC_RELAXED);
}
static inline void flag_clear(struct folio *f, int nr)
{
	__atomic_fetch_and(&f->page.flags, ~(1UL << nr), __ATOMIC_RELAXED);
}
#define flag_test(f, nr) lru_flag_test(f, nr)

void lruvec_init(struct lruvec *lruvec)
{
	enum lru_list lru;

	spin_lock_init(&lruvec->lru_lock);
	for_each_lru(lru) {
		INIT_LIST_HEAD(&lruvec->lists[lru]);
		lruvec->nr_pages[lru] = 0;
	}
	/* Every node starts classic; lru= switches it at boot (mm/lru_policy.c). */
	lruvec->ops = &lru_classic_ops;
	lruvec->lrugen = NULL;
	lruvec->anon_cost = lruvec->file_cost = 0;
	atomic_long_set(&lruvec->nonresident_age, 0);
	lruvec->refaults[0] = lruvec->refaults[1] = 0;
	lruvec->flags = 0;
}

struct lruvec *folio_lruvec(struct folio *folio)
{
	return &page_pgdat(&folio->page)->__lruvec;
}

/* The list's length and its node counter, under lru_lock (every policy). */
void update_lru_size(struct lruvec *lruvec, enum lru_list lru, long nr)
{
	lruvec->nr_pages[lru] += nr;
	mod_node_page_state(lruvec_pgdat(lruvec), (enum node_stat_item)(NR_INACTIVE_ANON + lru), nr);
}

/* The classic policy's add/del: the list the flags name, hot or cold end. */
void lru_classic_add_folio(struct lruvec *lruvec, struct folio *folio, bool tail)
{
	enum lru_list lru = folio_lru_list(folio);

	update_lru_size(lruvec, lru, folio_nr_pages_lru(folio));
	if (tail)
		lru_list_add_tail(&folio->page.lru, &lruvec->lists[lru]);
	else
		lru_list_add(&folio->page.lru, &lruvec->lists[lru]);
}

void lru_classic_del_folio(struct lruvec *lruvec, struct folio *folio)
{
	enum lru_list lru = folio_lru_list(folio);

	lru_list_del(&folio->page.lru);
	update_lru_size(lruvec, lru, -folio_nr_pages_lru(folio));
}

/*
 * The zone's NR_ZONE_<list> counters (zone_reclaimable_pages, show_mem,
 * highmem_dirtyable_memory): kept here around the policy's add/del, from
 * the folio's flags while it is on the lists (after add, before del).  A
 * policy that keeps PG_active clear on its lists (MGLRU) has all its
 * folios counted inactive per zone; the per-type sums are exact for every
 * policy, the per-list split for classic.
 */
void lru_zone_account(struct folio *folio, long sign)
{
	mod_zone_page_state(page_zone(&folio->page),
			    (enum zone_stat_item)(NR_ZONE_INACTIVE_ANON + folio_lru_list(folio)),
			    sign * folio_nr_pages_lru(folio));
}

/* Linux's lruvec_add_folio & co (mm_inline.h), through the node's policy. */
void lruvec_add_folio(struct lruvec *lruvec, struct folio *folio)
{
	lruvec->ops->add_folio(lruvec, folio, false);
	lru_zone_account(folio, 1);
}

void lruvec_add_folio_tail(struct lruvec *lruvec, struct folio *folio)
{
	lruvec->ops->add_folio(lruvec, folio, true);
	lru_zone_account(folio, 1);
}

void lruvec_del_folio(struct lruvec *lruvec, struct folio *folio)
{
	lru_zone_account(folio, -1);
	lruvec->ops->del_folio(lruvec, folio);
}

unsigned long lruvec_list_size(struct lruvec *lruvec, enum lru_list lru)
{
	unsigned long n;

	spin_lock(&lruvec->lru_lock);
	n = lruvec->nr_pages[lru];
	spin_unlock(&lruvec->lru_lock);
	return n;
}

/* Linux's lru_add_fn: evictable or not, then onto its list. */
void folio_add_lru(struct folio *folio)
{
	struct lruvec *lruvec = folio_lruvec(folio);

	if (WARN_ON(flag_test(folio, PG_lru)))
		return;
	if (WARN_ON(flag_test(folio, PG_active) && flag_test(folio, PG_unevictable)))
		flag_clear(folio, PG_active);
	spin_lock(&lruvec->lru_lock);
	if (flag_test(folio, PG_mlocked)) {
		flag_clear(folio, PG_active);
		flag_set(folio, PG_unevictable);
		count_vm_events(UNEVICTABLE_PGCULLED, folio_nr_pages_lru(folio));
	} else {
		flag_clear(folio, PG_unevictable);
	}
	flag_set(folio, PG_lru);
	lruvec_add_folio(lruvec, folio);
	spin_unlock(&lruvec->lru_lock);
}

/* A new folio mapped in @vma: mlocked and unevictable in a VM_LOCKED one. */
void folio_add_lru_vma(struct folio *folio, struct vm_area_struct *vma)
{
	if (unlikely((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED))
		mlock_new_folio(folio);		/* sets PG_mlocked */
	folio_add_lru(folio);
}

/* Nothing is batched per CPU yet (see the header): the seams stay. */
void lru_add_drain_cpu(int cpu)
{
	(void)cpu;
}

void lru_add_drain(void)
{
	lru_add_drain_cpu(smp_processor_id());
}

void lru_add_drain_all(void)
{
	for (int cpu = 0; cpu < nr_cpu_ids_of(M()); cpu++)
		lru_add_drain_cpu(cpu);
}

/* Inactive -> active (Linux's folio_activate / folio_activate_fn). */
void folio_activate(struct folio *folio)
{
	struct lruvec *lruvec = folio_lruvec(folio);

	spin_lock(&lruvec->lru_lock);
	if (flag_test(folio, PG_lru) && !flag_test(folio, PG_active) &&
	    !flag_test(folio, PG_unevictable)) {
		long nr = folio_nr_pages_lru(folio);

		lruvec_del_folio(lruvec, folio);
		flag_set(folio, PG_active);
		lruvec_add_folio(lruvec, folio);
		count_vm_events(PGACTIVATE, nr);
	}
	spin_unlock(&lruvec->lru_lock);
}

/* Active -> inactive (Linux's lru_deactivate_fn, without the batch). */
void folio_deactivate(struct folio *folio)
{
	struct lruvec *lruvec = folio_lruvec(folio);

	spin_lock(&lruvec->lru_lock);
	if (flag_test(folio, PG_lru) && flag_test(folio, PG_active) &&
	    !flag_test(folio, PG_unevictable)) {
		long nr = folio_nr_pages_lru(folio);

		lruvec_del_folio(lruvec, folio);
		flag_clear(folio, PG_active);
		flag_clear(folio, PG_referenced);
		lruvec_add_folio(lruvec, folio);
		count_vm_events(PGDEACTIVATE, nr);
	}
	spin_unlock(&lruvec->lru_lock);
}

/*
 * MADV_FREE (Linux's folio_mark_lazyfree / lru_lazyfree_fn): a clean anon
 * folio loses PG_swapbacked and moves to the inactive file list, where
 * reclaim may drop it instead of swapping it.
 */
void folio_mark_lazyfree(struct folio *folio)
{
	struct lruvec *lruvec = folio_lruvec(folio);
	bool lru;

	if (!PageAnon(&folio->page) || !flag_test(folio, PG_swapbacked) ||
	    flag_test(folio, PG_unevictable))
		return;
	spin_lock(&lruvec->lru_lock);
	lru = flag_test(folio, PG_lru);
	if (flag_test(folio, PG_swapbacked) && !flag_test(folio, PG_unevictable)) {
		if (lru)
			lruvec_del_folio(lruvec, folio);
		flag_clear(folio, PG_active);
		flag_clear(folio, PG_referenced);
		flag_clear(folio, PG_swapbacked);
		if (lru)
			lruvec_add_folio(lruvec, folio);
		count_vm_events(PGLAZYFREE, folio_nr_pages_lru(folio));
	}
	spin_unlock(&lruvec->lru_lock);
}

/*
 * Linux's two-touch rule: inactive,unreferenced -> inactive,referenced;
 * inactive,referenced -> active,unreferenced.  Unevictable folios stay.
 */
void folio_mark_accessed(struct folio *folio)
{
	const struct lru_policy_ops *ops = READ_ONCE(folio_lruvec(folio)->ops);

	if (ops->mark_accessed) {
		ops->mark_accessed(folio);
		return;
	}
	if (!flag_test(folio, PG_referenced)) {
		flag_set(folio, PG_referenced);
	} else if (flag_test(folio, PG_unevictable)) {
		/* never activated: it is not on the lists reclaim scans */
	} else if (!flag_test(folio, PG_active)) {
		if (flag_test(folio, PG_lru))
			folio_activate(folio);
		else
			flag_set(folio, PG_active);	/* goes on active when added */
		flag_clear(folio, PG_referenced);
		workingset_activation(folio);
	}
}

/* mlock: onto LRU_UNEVICTABLE (Linux's mlock_folio / __mlock_folio). */
void folio_lru_mlock(struct folio *folio)
{
	struct lruvec *lruvec = folio_lruvec(folio);

	spin_lock(&lruvec->lru_lock);
	if (flag_test(folio, PG_lru) && !flag_test(folio, PG_unevictable)) {
		lruvec_del_folio(lruvec, folio);
		flag_clear(folio, PG_active);
		flag_set(folio, PG_unevictable);
		lruvec_add_folio(lruvec, folio);
		count_vm_events(UNEVICTABLE_PGCULLED, folio_nr_pages_lru(folio));
	}
	spin_unlock(&lruvec->lru_lock);
}

/* munlock: back to an evictable list (Linux's __munlock_folio: rescued). */
void folio_lru_munlock(struct folio *folio)
{
	struct lruvec *lruvec = folio_lruvec(folio);

	spin_lock(&lruvec->lru_lock);
	if (flag_test(folio, PG_lru) && flag_test(folio, PG_unevictable) &&
	    !flag_test(folio, PG_mlocked)) {
		lruvec_del_folio(lruvec, folio);
		flag_clear(folio, PG_unevictable);
		lruvec_add_folio(lruvec, folio);
		count_vm_events(UNEVICTABLE_PGRESCUED, folio_nr_pages_lru(folio));
	}
	spin_unlock(&lruvec->lru_lock);
}

/* Linux's __page_cache_release + __folio_clear_lru_flags. */
void __page_cache_release(struct folio *folio)
{
	struct lruvec *lruvec;

	if (!flag_test(folio, PG_lru))
		return;
	lruvec = folio_lruvec(folio);
	spin_lock(&lruvec->lru_lock);
	lruvec_del_folio(lruvec, folio);
	flag_clear(folio, PG_lru);
	/* both set should not happen: leave the flags to bad_page() */
	if (!(flag_test(folio, PG_active) && flag_test(folio, PG_unevictable))) {
		flag_clear(folio, PG_active);
		flag_clear(folio, PG_unevictable);
	}
	spin_unlock(&lruvec->lru_lock);
}

/* The classic lists against their counters (lru_lock not held). */
bool lru_classic_is_valid(struct lruvec *lruvec)
{
	pg_data_t *pgdat = lruvec_pgdat(lruvec);
	enum lru_list lru;
	bool ok = true;

	spin_lock(&lruvec->lru_lock);
	for_each_lru(lru) {
		unsigned long n = 0;
		struct page *page;

		list_for_each_entry(page, &lruvec->lists[lru], lru) {
			struct folio *folio = page_folio(page);

			n += (unsigned long)folio_nr_pages_lru(folio);
			if (WARN(!flag_test(folio, PG_lru) || folio_lru_list(folio) != lru ||
				 page_pgdat(page) != pgdat || page_ref_count(page) <= 0 ||
				 (!folio_mapped(folio) && !page->mapping && !PageSwapCache(page)),
				 "lru: pfn %lx on list %d: flags %lx ref %d map %d\n",
				 page_to_pfn(page), (int)lru, page->flags, page_ref_count(page),
				 folio_mapcount(folio))) {
				ok = false;
				break;
			}
			if (n > pgdat->node_spanned_pages) {
				WARN(1, "lru: list %d loops\n", (int)lru);
				ok = false;
				break;
			}
		}
		if (WARN(ok && n != lruvec->nr_pages[lru], "lru: list %d has %lu pages, counted %lu\n",
			 (int)lru, n, lruvec->nr_pages[lru]))
			ok = false;
	}
	spin_unlock(&lruvec->lru_lock);
	return ok;
}

/*
 * Every policy: nr_pages[] matches the node counters, and the policy's
 * own check (the classic one walks the lists).
 */
bool lru_is_valid(pg_data_t *pgdat)
{
	struct lruvec *lruvec = &pgdat->__lruvec;
	const struct lru_policy_ops *ops;
	enum lru_list lru;
	bool ok = true;

	spin_lock(&lruvec->lru_lock);
	ops = lruvec->ops;
	for_each_lru(lru) {
		unsigned long node = node_page_state(pgdat, (enum node_stat_item)(NR_INACTIVE_ANON + lru));

		if (WARN(lruvec->nr_pages[lru] != node, "lru: list %d has %lu pages, node counter %lu\n",
			 (int)lru, lruvec->nr_pages[lru], node))
			ok = false;
	}
	{
		unsigned long lists = 0, zones = 0;

		for_each_lru(lru)
			lists += lruvec->nr_pages[lru];
		for (int z = 0; z < MAX_NR_ZONES; z++)
			for_each_lru(lru)
				zones += zone_page_state(&pgdat->node_zones[z],
							 (enum zone_stat_item)(NR_ZONE_INACTIVE_ANON + lru));
		if (WARN(lists != zones, "lru: %lu pages on the lists, %lu in the zone counters\n",
			 lists, zones))
			ok = false;
	}
	spin_unlock(&lruvec->lru_lock);
	if (ops && ops->is_valid && !ops->is_valid(lruvec))
		ok = false;
	return ok;
}

/*
 * Linux's folio_rotate_reclaimable: a folio reclaim wanted (PG_reclaim)
 * finished writeback; if it is still clean, unlocked and evictable, move
 * it to the cold end of its inactive list (Linux's lru_move_tail: an
 * active one is deactivated) so the next scan frees it (PGROTATED).  Called from folio_end_writeback, any context.
 */
void folio_rotate_reclaimable(struct folio *folio)
{
	struct lruvec *lruvec;

	if (flag_test(folio, PG_locked) || flag_test(folio, PG_dirty) ||
	    flag_test(folio, PG_unevictable) || !flag_test(folio, PG_lru))
		return;
	lruvec = folio_lruvec(folio);
	spin_lock(&lruvec->lru_lock);
	if (flag_test(folio, PG_lru) && !flag_test(folio, PG_unevictable)) {
		lruvec_del_folio(lruvec, folio);
		flag_clear(folio, PG_active);
		lruvec_add_folio_tail(lruvec, folio);
		count_vm_events(PGROTATED, folio_nr_pages_lru(folio));
	}
	spin_unlock(&lruvec->lru_lock);
}

bool lru_all_valid(void)
{
	bool ok = true;

	lru_add_drain_all();
	for (int nid = 0; nid < M()->nr_nodes; nid++)
		ok &= lru_is_valid(NODE_DATA(nid));
	return ok;
}
