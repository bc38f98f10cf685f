// SPDX-License-Identifier: GPL-2.0
/*
 * mm/lru_gen_walk.c - the multi-gen LRU's page-table walk (Linux's
 * walk_mm / walk_pte_range in mm/vmscan.c): aging harvests the Accessed
 * bits of the machine's page tables instead of asking the rmap folio by
 * folio.
 *
 * Design.  Linux keeps a list of the mms to walk (lru_gen_add_mm at fork,
 * lru_gen_del_mm at exit) and spreads one walk over concurrent reclaimers;
 * mmsim walks the mms of the machine's live tasks (next_task_of +
 * get_task_mm, each distinct mm once, in task creation order) from the
 * one aging thread.  For each mm: every VMA but VM_LOCKED / VM_SPECIAL
 * ones (and anonymous ones when anon cannot be reclaimed: can_swap), every
 * present PTE whose Accessed bit is set and whose page is a folio on this
 * node's MGLRU lists: the bit is cleared (ptep_test_and_clear_young, no TLB
 * flush per PTE) and the folio moves to generation @gen, the current
 * max_seq, which the caller then closes by opening a new one.  The move is
 * made at once under lru_lock (Linux marks the generation in the flags
 * and lets eviction move the folio lazily; the eager move keeps each
 * list's length equal to its counter, which the checker verifies).
 * Refs and PG_referenced/PG_workingset are cleared as Linux's
 * folio_update_gen does; a folio off the LRU (isolated) gets PG_referenced
 * so that shrink_folio_list keeps it.
 *
 * Locking: mmap_read_trylock (reclaim may run inside an allocation that
 * holds some mmap_lock), then the mm's PTE lock with a trylock (Linux's
 * walk_pte_range), then lru_lock per batch of young PTEs.  The PTE lock
 * keeps the mapping and so the folio alive while it is looked at.
 *
 * One TLB flush per mm that had young PTEs: Linux does not flush (x86
 * hardware sets A again once the small TLB forgets the entry); mmsim's
 * simulated TLBs keep entries much longer relative to its small RAM, and
 * without the flush a hot page would stay old until its entry left the
 * TLB.
 *
 * Invariants: the walk changes only Accessed bits and generations; a PTE
 * it clears stays present and maps the same page.
 */
#include <stdlib.h>
#include "mm/internal.h"
#include <mmsim/sched.h>
#include <mmsim/mm_vma.h>
#include <mmsim/rmap.h>
#include <mmsim/tlbflush.h>
#include "mm/fault_internal.h"
#include "mm/vma_internal.h"
#include "mm/vmscan_internal.h"
#include "mm/lru_internal.h"
#include "mm/lru_gen.h"

struct lru_gen_walk {
	struct lruvec *lruvec;
	struct lru_gen_folio *lrugen;	/* stays allocated even if the node switches away */
	pg_data_t *pgdat;
	int gen;
	bool can_swap;
	unsigned long ptes, young;
};

/* The folio a young PTE maps, if it is an LRU folio of this node. */
static struct folio *walk_pfn_folio(struct lru_gen_walk *w, unsigned long pfn)
{
	struct page *page;

	if (!pfn_valid(pfn) || is_zero_pfn(pfn))
		return NULL;
	page = pfn_to_page(pfn);
	if (page_pgdat(page) != w->pgdat)
		return NULL;
	return page_folio(page);
}

static void walk_update_gen(struct lru_gen_walk *w, struct folio *folio)
{
	struct lruvec *lruvec = w->lruvec;

	spin_lock(&lruvec->lru_lock);
	if (lruvec->ops == &lru_gen_ops && lru_gen_of(lruvec)) {
		if (lru_flag_test(folio, PG_lru) && folio_lru_gen(folio) >= 0) {
			__atomic_fetch_and(&folio->page.flags, ~(LRU_REFS_MASK | LRU_REFS_FLAGS),
					   __ATOMIC_RELAXED);
			lru_gen_move_folio(lruvec, folio, w->gen);
		} else if (!lru_flag_test(folio, PG_lru) && !lru_flag_test(folio, PG_unevictable)) {
			/* isolated: for shrink_folio_list() */
			__atomic_fetch_or(&folio->page.flags, 1UL << PG_referenced, __ATOMIC_RELAXED);
		}
	}
	spin_unlock(&lruvec->lru_lock);
}

static bool walk_skip_vma(struct lru_gen_walk *w, struct vm_area_struct *vma)
{
	if (vma->vm_flags & (VM_LOCKED | VM_SPECIAL | VM_HUGETLB))
		return true;	/* hugetlb: arm64 contiguous PTEs are no LRU pages */
	if (vma_is_anonymous(vma))
		return !w->can_swap;
	return false;
}

static void walk_vma(struct lru_gen_walk *w, struct mm_struct *mm, struct vm_area_struct *vma)
{
	unsigned long addr = vma->vm_start, end = vma->vm_end;
	spinlock_t *ptl = pte_lockptr(mm);

	if (!spin_trylock(ptl))
		return;
	while (addr < end) {
		pte_t *pte = mm_next_pte_table(mm, &addr, end);
		unsigned long next;

		if (!pte)
			break;
		next = pmd_addr_end(addr, end);
		for (; addr < next; addr += PAGE_SIZE, pte = pte_next(pte)) {
			pte_t v = ptep_get(pte);
			struct folio *folio;

			if (!pte_present(v))
				continue;
			w->ptes++;
			if (!pte_young(v))
				continue;
			folio = walk_pfn_folio(w, pte_pfn(v));
			if (!folio || !ptep_test_and_clear_young(vma, addr, pte))
				continue;
			w->young++;
			walk_update_gen(w, folio);
		}
	}
	spin_unlock(ptl);
}

static void walk_mm(struct lru_gen_walk *w, struct mm_struct *mm)
{
	struct vm_area_struct *vma;

	if (!mmap_read_trylock(mm)) {
		__atomic_fetch_add(&w->lrugen->walk_skipped_mms, 1, __ATOMIC_RELAXED);
		return;
	}
	{
		VMA_ITERATOR(vmi, mm, 0);
		unsigned long young = w->young;

		for_each_vma(vmi, vma)
			if (!walk_skip_vma(w, vma))
				walk_vma(w, mm, vma);
		/* the next access must walk again to set A (see the header) */
		if (w->young != young)
			flush_tlb_mm(mm);
	}
	mmap_read_unlock(mm);
	__atomic_fetch_add(&w->lrugen->walk_mms, 1, __ATOMIC_RELAXED);
}

unsigned long lru_gen_walk_mms(struct lruvec *lruvec, int gen, bool can_swap)
{
	struct mmsim *m = M();
	struct lru_gen_walk w = {
		.lruvec = lruvec, .lrugen = lru_gen_of(lruvec), .pgdat = lruvec_pgdat(lruvec),
		.gen = gen, .can_swap = can_swap,
	};
	struct mm_struct **mms = NULL;
	struct task_struct *t = NULL;
	int nr = 0, cap = 0;

	if (!w.lrugen)
		return 0;
	/* the distinct mms of the live tasks, each with a reference */
	while ((t = next_task_of(m, t)) != NULL) {
		struct mm_struct *mm = get_task_mm(t);
		bool dup = false;

		if (!mm)
			continue;
		for (int i = 0; i < nr && !dup; i++)
			dup = mms[i] == mm;
		if (!dup && nr == cap) {
			struct mm_struct **n = realloc(mms, sizeof(*mms) * (cap ? cap * 2 : 16));

			if (!n) {
				dup = true;	/* no host memory: this one is not walked */
			} else {
				mms = n;
				cap = cap ? cap * 2 : 16;
			}
		}
		if (dup) {
			mmput(mm);
			continue;
		}
		mms[nr++] = mm;
	}
	for (int i = 0; i < nr; i++) {
		walk_mm(&w, mms[i]);
		mmput(mms[i]);
	}
	free(mms);
	__atomic_fetch_add(&w.lrugen->walk_ptes, w.ptes, __ATOMIC_RELAXED);
	__atomic_fetch_add(&w.lrugen->walk_young, w.young, __ATOMIC_RELAXED);
	return w.young;
}
