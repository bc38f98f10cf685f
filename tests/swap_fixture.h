/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/swap_fixture.h - swap a page out by hand, as reclaim does it
 * (add_to_swap, try_to_unmap's swap PTE, pageout through swap_writepage,
 * __remove_mapping), so that the swap-in side can be tested without
 * reclaim deciding which page goes.  Only for a page that one PTE maps
 * (swap it out before a fork to share it).
 */
#ifndef MMSIM_TESTS_SWAP_FIXTURE_H
#define MMSIM_TESTS_SWAP_FIXTURE_H

#include <mmsim/swapops.h>
#include <mmsim/pagemap.h>
#include <mmsim/rmap.h>
#include <mmsim/writeback.h>
#include <mmsim/tlbflush.h>
#include "mm/fault_internal.h"
#include "mm/pagecache_internal.h"

/*
 * Swap out the page mapped at @va of @mm: its PTE becomes a swap PTE
 * (exclusive if the page was), the slot's bytes are written; with
 * @keep_cache the folio stays in the swap cache (clean, unmapped),
 * otherwise it is freed.  The entry, or {0} if that could not be done.
 */
static inline swp_entry_t swap_out_page(struct mm_struct *mm, unsigned long va, bool keep_cache)
{
	struct writeback_control wbc = { .nr_to_write = 1, .sync_mode = WB_SYNC_NONE,
					 .for_reclaim = 1 };
	swp_entry_t entry = { 0 };
	struct vm_area_struct *vma;
	struct folio *folio;
	struct page *page;
	pte_t *ptep, pte, swp;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, va);
	ptep = vma ? mm_find_pte(mm, va) : NULL;
	pte = ptep ? ptep_get(ptep) : __pte(0);
	if (!pte_present(pte) || !(page = vm_normal_page(vma, va, pte)) || !page_is_anon(page) ||
	    page_mapcount(page) != 1) {
		mmap_read_unlock(mm);
		return entry;
	}
	folio = page_folio(page);
	get_page(page);
	folio_lock(folio);
	if (!folio_test_swapcache(folio) && !add_to_swap(folio))
		goto out;
	entry = folio_swap_entry(folio);

	/* try_to_unmap_one */
	spin_lock(pte_lockptr(mm));
	pte = ptep_get_and_clear(mm, va, ptep);
	flush_tlb_page(vma, va);
	if (pte_dirty(pte))
		folio_mark_dirty(folio);
	if (swap_duplicate(entry) < 0) {
		set_pte_at(mm, va, ptep, pte);
		spin_unlock(pte_lockptr(mm));
		entry.val = 0;
		goto out;
	}
	swp = swp_entry_to_pte(entry);
	if (PageAnonExclusive(page)) {
		swp = pte_swp_mkexclusive(swp);
		ClearPageAnonExclusive(page);
	}
	set_pte_at(mm, va, ptep, swp);
	add_mm_counter(mm, MM_ANONPAGES, -1);
	add_mm_counter(mm, MM_SWAPENTS, 1);
	folio_remove_rmap_pte(folio, page, vma);
	spin_unlock(pte_lockptr(mm));
	put_page(page);			/* the PTE's reference */

	/* pageout */
	if (folio_test_dirty(folio) && folio_clear_dirty_for_io(folio)) {
		if (swap_writeout(folio, &wbc) == 0) {
			folio_wait_writeback(folio);
			folio_lock(folio);
		}
	}
	/* __remove_mapping, without a shadow */
	if (!keep_cache && folio_test_swapcache(folio) && !folio_test_dirty(folio))
		delete_from_swap_cache(folio);
out:
	folio_unlock(folio);
	put_page(page);
	mmap_read_unlock(mm);
	return entry;
}

/* The PTE at @va of @mm (0 if none). */
static inline pte_t pte_at(struct mm_struct *mm, unsigned long va)
{
	pte_t *ptep = mm_find_pte(mm, va);

	return ptep ? ptep_get(ptep) : __pte(0);
}

#endif
