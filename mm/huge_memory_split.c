// SPDX-License-Identifier: GPL-2.0
/*
 * mm/huge_memory_split.c - split_huge_page: a THP becomes HPAGE_PMD_NR
 * order-0 folios (Linux's split_huge_page_to_list_to_order and
 * __split_huge_page of mm/huge_memory.c).
 *
 * Design.  The caller holds the folio locked and one reference.  Linux
 * unmaps the folio (migration entries), freezes its refcount, splits the
 * struct pages and maps the pieces back.  mmsim keeps the mappings in
 * place instead, since a split changes no PTE:
 *   1. every PMD leaf mapping the folio is split into PTEs
 *      (split_huge_pmd, through the rmap walk);
 *   2. with the anon_vma locked and the PTE lock of every mm mapping the
 *      folio held (trylocked: no lock order among mms is needed; a busy
 *      one makes the split fail with -EBUSY, as Linux's may), and the
 *      LRU lock, nothing can map, unmap, look up or isolate a page of it;
 *   3. the refcount is frozen at 0 if it is exactly what the mappings and
 *      the caller explain (1 + folio_mapcount): otherwise someone holds an
 *      extra reference (a GUP pin, a zap whose TLB flush is pending) and
 *      the split fails with -EBUSY (thp_split_page_failed);
 *   4. each page gets the head's flags (dirty, uptodate, referenced,
 *      active, swapbacked, mlocked, unevictable, the lock), the anon_vma,
 *      index + i, its own _mapcount (its PTEs) and refcount = mapcount + 1;
 *      the compound links and page[1]'s counters go; each page goes onto
 *      the LRU list the folio was on (the LRU keeps counting the same
 *      pages), or, for an isolated folio (reclaim), onto @list with the
 *      reference an isolation holds;
 *   5. the pages but @page are unlocked and their extra reference put:
 *      a page no PTE maps is freed then (the unmapped part of a partially
 *      unmapped THP).  @page keeps the caller's lock and reference.
 *
 * Locking order: folio lock -> anon_vma (read) -> PTE locks -> lru_lock.
 */
#include <stdlib.h>
#include <mmsim/huge_mm.h>
#include <mmsim/swap.h>
#include <mmsim/pagemap.h>
#include "mm/fault_internal.h"
#include "mm/huge_memory_internal.h"
#include "mm/lru_internal.h"
#include "mm/lru_gen.h"
#include "mm/vmscan_internal.h"
#include "mm/internal.h"

/* The head's flags each new folio inherits (Linux's __split_huge_page_tail). */
#define SPLIT_FLAGS_COPY							\
	((1UL << PG_locked) | (1UL << PG_referenced) | (1UL << PG_uptodate) |	\
	 (1UL << PG_dirty) | (1UL << PG_active) | (1UL << PG_workingset) |	\
	 (1UL << PG_swapbacked) | (1UL << PG_unevictable) | (1UL << PG_mlocked) | \
	 (1UL << PG_lru) | LRU_GEN_MASK | LRU_REFS_MASK)

struct split_mms {
	struct mm_struct **mm;
	int nr, cap;
	bool nomem;
};

static bool split_pmd_one(struct folio *folio, struct vm_area_struct *vma, unsigned long address,
			  void *arg)
{
	unsigned long haddr = address & HPAGE_PMD_MASK;
	pmd_t *pmd = mm_find_pmd(vma->vm_mm, address);

	(void)arg;
	if (pmd && pmd_trans_huge(pmdp_get(pmd)) &&
	    pmd_leaf_pfn(pmdp_get(pmd)) == page_to_pfn(&folio->page) && haddr >= vma->vm_start)
		split_huge_pmd(vma, pmd, haddr);
	return true;
}

static bool collect_mm_one(struct folio *folio, struct vm_area_struct *vma, unsigned long address,
			   void *arg)
{
	struct split_mms *s = arg;

	(void)folio;
	(void)address;
	for (int i = 0; i < s->nr; i++)
		if (s->mm[i] == vma->vm_mm)
			return true;
	if (s->nr == s->cap) {
		int cap = s->cap ? 2 * s->cap : 8;
		struct mm_struct **n = realloc(s->mm, sizeof(*n) * (size_t)cap);

		if (!n) {
			s->nomem = true;
			return false;
		}
		s->mm = n;
		s->cap = cap;
	}
	s->mm[s->nr++] = vma->vm_mm;
	return true;
}

/* Steps 4 and 5's first half: under every lock, the refcount frozen at 0. */
static void __split_huge_page(struct folio *folio, struct page *page, struct list_head *list,
			      struct lruvec *lruvec)
{
	struct page *head = &folio->page;
	unsigned int order = folio_order(folio);
	unsigned long nr = 1UL << order;
	bool was_lru = PageLRU(head);
	struct address_space *mapping = head->mapping;
	pgoff_t index = head->index;
	unsigned long copy;

	if (was_lru)
		lruvec_del_folio(lruvec, folio);
	copy = __atomic_load_n(&head->flags, __ATOMIC_RELAXED) & SPLIT_FLAGS_COPY;
	for (unsigned long i = 1; i < nr; i++) {
		struct page *tail = head + i;
		unsigned long f = __atomic_load_n(&tail->flags, __ATOMIC_RELAXED);

		__atomic_store_n(&tail->flags, (f & ~SPLIT_FLAGS_COPY) | copy, __ATOMIC_RELAXED);
		/* compound_head (and page[1]'s counters) are overwritten here. */
		INIT_LIST_HEAD(&tail->lru);
		tail->index = index + i;
		tail->private = 0;
		__atomic_store_n(&tail->mapping, mapping, __ATOMIC_RELEASE);
	}
	__atomic_fetch_and(&head->flags, ~(1UL << PG_head), __ATOMIC_RELEASE);
	split_page_owner(head, (int)order, 0);
	for (unsigned long i = 0; i < nr; i++) {
		struct page *p = head + i;

		/* Its PTEs' references and one more: the caller's for @page, a
		 * temporary one (put by the caller of this) for the others. */
		set_page_count(p, page_mapcount(p) + 1);
	}
	if (was_lru) {
		for (unsigned long i = 0; i < nr; i++)
			lruvec_add_folio_tail(lruvec, page_folio(head + i));
	} else if (list) {
		/* Reclaim's isolated folio: the pages join its list, isolated. */
		for (unsigned long i = 0; i < nr; i++) {
			struct page *p = head + i;

			if (p == page)
				continue;
			atomic_fetch_add_explicit(&p->_refcount, 1, memory_order_relaxed);
			lru_list_add_tail(&p->lru, list);
		}
	}
	(void)page;
}

int split_huge_page_to_list(struct page *page, struct list_head *list)
{
	struct folio *folio = page_folio(page);
	struct split_mms mms = { 0 };
	struct rmap_walk_control rwc = { 0 };
	struct anon_vma *anon_vma = NULL;
	struct lruvec *lruvec;
	unsigned long nr;
	int locked = 0, expected, ret = -EBUSY;

	if (!folio_test_large(folio))
		return 0;
	if (is_huge_zero_folio(folio)) {
		WARN_ON_ONCE(1);	/* Linux: "Called split_huge_page for huge zero page" */
		return -EBUSY;
	}
	if (WARN_ON_ONCE(!folio_test_locked(folio)))
		return -EINVAL;
	/* Anonymous, not in the swap cache (reclaim splits before add_to_swap). */
	if (!folio_test_anon(folio) || PageSwapCache(&folio->page) || PageWriteback(&folio->page))
		goto fail;
	nr = (unsigned long)folio_nr_pages(folio);

	if (folio_mapped(folio)) {
		anon_vma = folio_lock_anon_vma_read(folio);
		if (!anon_vma)
			goto fail;
		/* 1. No PMD maps it any more. */
		rwc.rmap_one = split_pmd_one;
		rmap_walk_locked(folio, &rwc);
		/* 2. The mms that map it. */
		rwc.rmap_one = collect_mm_one;
		rwc.arg = &mms;
		rmap_walk_locked(folio, &rwc);
		if (mms.nomem)
			goto out_unlock;
		for (; locked < mms.nr; locked++)
			if (!spin_trylock(pte_lockptr(mms.mm[locked])))
				goto out_unlock;
	}
	lruvec = folio_lruvec(folio);
	spin_lock(&lruvec->lru_lock);
	/* 3. Freeze: every reference is explained, no PMD is left. */
	expected = 1 + folio_mapcount(folio);
	if (folio_entire_mapcount(folio) ||
	    !atomic_compare_exchange_strong(&folio->page._refcount, &expected, 0)) {
		spin_unlock(&lruvec->lru_lock);
		goto out_unlock;
	}
	__split_huge_page(folio, page, list, lruvec);
	spin_unlock(&lruvec->lru_lock);
	ret = 0;
out_unlock:
	while (locked > 0)
		spin_unlock(pte_lockptr(mms.mm[--locked]));
	if (anon_vma)
		anon_vma_unlock_read(anon_vma);
	free(mms.mm);
	if (ret)
		goto fail;
	count_vm_event(THP_SPLIT_PAGE);
	/* 5. The other pages: unlocked, their temporary reference put. */
	for (unsigned long i = 0; i < nr; i++) {
		struct page *p = &folio->page + i;

		if (p == page)
			continue;
		folio_unlock(page_folio(p));
		put_page(p);
	}
	return 0;
fail:
	count_vm_event(THP_SPLIT_PAGE_FAILED);
	return ret;
}

int split_huge_page(struct page *page)
{
	return split_huge_page_to_list(page, NULL);
}

int split_folio(struct folio *folio)
{
	return split_huge_page_to_list(&folio->page, NULL);
}
