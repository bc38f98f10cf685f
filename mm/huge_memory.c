// SPDX-License-Identifier: GPL-2.0
/*
 * mm/huge_memory.c - transparent huge pages: PMD-mapped anonymous THP
 * (Linux's mm/huge_memory.c; Documentation/admin-guide/mm/transhuge.rst).
 * The knobs and files are mm/huge_memory_files.c, the split of a THP into
 * base pages mm/huge_memory_split.c.
 *
 * Design (Linux's).  A fault on an empty PMD whose whole PMD-aligned range
 * (HPAGE_PMD_SIZE: 2 MiB with 4K pages) lies in a private anonymous VMA
 * that THP allows (thp_vma_allowable_order: the "enabled" mode, VM_HUGEPAGE
 * / VM_NOHUGEPAGE) allocates one compound folio of order HPAGE_PMD_ORDER
 * (GFP_TRANSHUGE or _LIGHT per the "defrag" mode), zeroes it and maps it
 * with one PMD leaf (do_huge_pmd_anonymous_page): rmap at PMD level
 * (folio_add_new_anon_rmap: _entire_mapcount 0, PageAnonExclusive on the
 * head), one folio on the LRU counting HPAGE_PMD_NR pages, MM_ANONPAGES +=
 * HPAGE_PMD_NR, NR_ANON_THPS (AnonHugePages) += HPAGE_PMD_NR,
 * thp_fault_alloc.  A failed allocation counts thp_fault_fallback and the
 * fault goes on with base pages.  A read fault maps the huge zero page
 * read-only when use_zero_page is 1.  Every PMD leaf has a PTE table
 * deposited beside it (pgtable_trans_huge_deposit: mm->pmd_huge_pte), so
 * that turning it into 512 PTEs (split_huge_pmd) never allocates.
 *
 * The walkers meet PMD leaves only in private anonymous VMAs; each deals
 * with them before its PTE walk (mm_next_huge_pmd finds them):
 *   - zap (unmap_page_range): a leaf the range covers whole goes at once
 *     (zap_huge_pmd: the folio to the mmu_gather, the table back);
 *     otherwise it is split and the PTE zap takes the part.  A VMA split
 *     or shrink splits a leaf it cuts first (vma_adjust_trans_huge).
 *   - fork (copy_huge_pmd): parent and child share the folio
 *     write-protected (entire mapcount + 1, PageAnonExclusive cleared); a
 *     maybe-pinned exclusive folio makes the parent's PMD split so that
 *     the PTE copy gives the child copies of the pinned pages (Linux's).
 *   - COW (do_huge_pmd_wp_page): an exclusive folio (PageAnonExclusive,
 *     or our PMD holding its only reference) is reused; otherwise the PMD
 *     is split and the PTE fault copies the one page written (Linux >=
 *     5.8: no 2 MiB copy).  The huge zero page splits into zero PTEs.
 *   - mprotect (change_huge_pmd), mlock, GUP, mincore, pagemap, smaps:
 *     the leaf as one entry; mremap splits the leaves it moves.
 *
 * Mapcounts of a large folio (page[1] of the folio: struct page in
 * mm_types.h): _entire_mapcount + 1 == the PMD leaves mapping it;
 * page->_mapcount + 1 == the PTEs mapping that page; _large_mapcount + 1
 * == all of them (folio_mapcount); _nr_pages_mapped == the pages with a
 * PTE, + ENTIRELY_MAPPED while a PMD maps it.  Each PMD and each PTE
 * holds one folio reference.  NR_ANON_MAPPED counts a page mapped either
 * way once.
 *
 * Locking: mmap_lock (read for faults, write for fork/munmap/mprotect);
 * PMD leaves change under the mm's page_table_lock (pte_lockptr), as PTEs
 * do; a fault allocates with it dropped and re-checks the PMD.  The folio
 * lock is only trylocked under it (do_huge_pmd_wp_page).
 *
 * Invariants (mm_is_valid, mm_mapcounts_are_valid; docs/invariants.md):
 * a PMD leaf lies in a private anonymous VMA that covers its whole range,
 * maps the head of an order-HPAGE_PMD_ORDER folio (or the huge zero
 * page, read-only), is writable only in a VM_WRITE VMA; the mapcounts
 * above; each PMD leaf of an mm has one deposited table.
 *
 * Departures: only PMD-sized anonymous THP (no mTHP, no file/shmem THP);
 * the huge zero page lives until shutdown (Linux's shrinker frees it);
 * mremap splits instead of moving whole PMDs; a partially unmapped THP
 * stays whole until reclaim or split_huge_page (no deferred-split queue).
 * Collapsing base pages back into a THP: mm/khugepaged.c.
 */
#include <string.h>
#include <mmsim/huge_mm.h>
#include <mmsim/highmem.h>
#include <mmsim/tlbflush.h>
#include <mmsim/swap.h>
#include <mmsim/pagemap.h>
#include "mm/fault_internal.h"
#include "mm/huge_memory_internal.h"
#include "init/machine.h"

/* ---------------------------------------------------------------------
 * Policy
 */

bool hugepage_pmd_supported(void)
{
	return pgt_geom()->pmd_leaf && HPAGE_PMD_ORDER <= MAX_PAGE_ORDER &&
	       !transparent_hugepage_flag_test(TRANSPARENT_HUGEPAGE_UNSUPPORTED);
}

bool thp_vma_allowable_order(struct vm_area_struct *vma, vm_flags_t vm_flags, unsigned int order)
{
	if (!hugepage_pmd_supported() || order != HPAGE_PMD_ORDER)
		return false;
	if (!vma_is_anonymous(vma) || (vm_flags & (VM_SHARED | VM_SPECIAL | VM_HUGETLB)))
		return false;
	if (vm_flags & VM_NOHUGEPAGE)
		return false;
	if (transparent_hugepage_flag_test(TRANSPARENT_HUGEPAGE_FLAG))
		return true;
	return transparent_hugepage_flag_test(TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG) &&
	       (vm_flags & VM_HUGEPAGE);
}

bool thp_vma_suitable_order(struct vm_area_struct *vma, unsigned long addr, unsigned int order)
{
	unsigned long size = PAGE_SIZE << order, haddr = addr & ~(size - 1);

	/* The linear page index must be aligned too (the folio's index). */
	if (((vma->vm_start >> PAGE_SHIFT) - vma->vm_pgoff) & ((1UL << order) - 1))
		return false;
	return haddr >= vma->vm_start && haddr + size <= vma->vm_end && haddr + size > haddr;
}

/* Linux's vma_thp_gfp_mask: how hard the allocation tries, per "defrag". */
static gfp_t vma_thp_gfp_mask(struct vm_area_struct *vma)
{
	bool madvised = vma->vm_flags & VM_HUGEPAGE;

	if (transparent_hugepage_flag_test(TRANSPARENT_HUGEPAGE_DEFRAG_DIRECT_FLAG))
		return GFP_TRANSHUGE | (madvised ? 0 : __GFP_NORETRY);
	if (transparent_hugepage_flag_test(TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_FLAG))
		return GFP_TRANSHUGE_LIGHT | __GFP_KSWAPD_RECLAIM;
	if (transparent_hugepage_flag_test(TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_OR_MADV_FLAG))
		return GFP_TRANSHUGE_LIGHT |
		       (madvised ? __GFP_DIRECT_RECLAIM : __GFP_KSWAPD_RECLAIM);
	if (transparent_hugepage_flag_test(TRANSPARENT_HUGEPAGE_DEFRAG_REQ_MADV_FLAG))
		return GFP_TRANSHUGE_LIGHT | (madvised ? __GFP_DIRECT_RECLAIM : 0);
	return GFP_TRANSHUGE_LIGHT;
}

/* ---------------------------------------------------------------------
 * The huge zero page
 */

/*
 * The machine's huge zero page: a zeroed order-HPAGE_PMD_ORDER folio taken
 * at the first read fault that wants it (thp_zero_page_alloc), freed at
 * shutdown.  Two first users race with a cmpxchg; the loser frees its own.
 */
struct folio *mm_get_huge_zero_folio(struct mm_struct *mm)
{
	struct thp_state *ts = thp_state();
	struct folio *zero = __atomic_load_n(&ts->huge_zero_folio, __ATOMIC_ACQUIRE), *expected = NULL;
	struct page *page;

	(void)mm;
	if (likely(zero))
		return zero;
	page = alloc_pages((GFP_TRANSHUGE | __GFP_ZERO) & ~(__GFP_MOVABLE | __GFP_HIGHMEM),
			   HPAGE_PMD_ORDER);
	if (!page)
		return NULL;
	count_vm_event(THP_ZERO_PAGE_ALLOC);
	zero = page_folio(page);
	if (!__atomic_compare_exchange_n(&ts->huge_zero_folio, &expected, zero, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		__free_pages(page, HPAGE_PMD_ORDER);
		zero = expected;
	} else {
		__atomic_store_n(&ts->huge_zero_pfn, page_to_pfn(page), __ATOMIC_RELEASE);
	}
	return zero;
}

bool is_huge_zero_folio(const struct folio *folio)
{
	return folio && folio == __atomic_load_n(&thp_state()->huge_zero_folio, __ATOMIC_ACQUIRE);
}

bool is_huge_zero_pmd(pmd_t pmd)
{
	unsigned long pfn = __atomic_load_n(&thp_state()->huge_zero_pfn, __ATOMIC_ACQUIRE);

	return pfn && pmd_present(pmd) && pmd_leaf_pfn(pmd) == pfn;
}

/* ---------------------------------------------------------------------
 * Page-table helpers
 */

pmd_t *mm_pmd_alloc(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d = p4d_alloc(mm, pgd, addr);
	pud_t *pud = p4d ? pud_alloc(mm, p4d, addr) : NULL;

	return pud ? pmd_alloc(mm, pud, addr) : NULL;
}

bool vma_may_have_thp(struct vm_area_struct *vma)
{
	return vma_is_anonymous(vma) && !(vma->vm_flags & VM_SHARED) &&
	       __atomic_load_n(&thp_state()->pmd_mapped_ever, __ATOMIC_RELAXED);
}

pmd_t *mm_next_huge_pmd(struct mm_struct *mm, unsigned long *addrp, unsigned long end)
{
	pmd_t *pmd;

	while ((pmd = mm_next_pmd(mm, addrp, end))) {
		unsigned long addr = *addrp, next;

		if (pmd_trans_huge(pmdp_get(pmd))) {
			*addrp = addr & HPAGE_PMD_MASK;
			return pmd;
		}
		next = pmd_addr_end(addr, end);
		if (next <= addr)
			break;
		*addrp = next;
	}
	*addrp = end;
	return NULL;
}

/* Linux's generic pgtable_trans_huge_deposit/withdraw: a stack per mm. */
void pgtable_trans_huge_deposit(struct mm_struct *mm, pmd_t *pmdp, pgtable_t pgtable)
{
	(void)pmdp;
	lockdep_assert_held(pte_lockptr(mm));
	if (!mm->pmd_huge_pte)
		INIT_LIST_HEAD(&pgtable->lru);
	else
		list_add(&pgtable->lru, &mm->pmd_huge_pte->lru);
	mm->pmd_huge_pte = pgtable;
}

pgtable_t pgtable_trans_huge_withdraw(struct mm_struct *mm, pmd_t *pmdp)
{
	pgtable_t pgtable = mm->pmd_huge_pte;

	(void)pmdp;
	lockdep_assert_held(pte_lockptr(mm));
	if (WARN_ON_ONCE(!pgtable))
		return NULL;
	if (list_empty(&pgtable->lru)) {
		mm->pmd_huge_pte = NULL;
	} else {
		mm->pmd_huge_pte = list_first_entry(&pgtable->lru, struct page, lru);
		list_del(&pgtable->lru);
	}
	INIT_LIST_HEAD(&pgtable->lru);
	return pgtable;
}

/* Flush one PMD leaf's translation on every CPU of the mm (flush_pmd_tlb_range). */
static void flush_pmd_tlb_range(struct vm_area_struct *vma, unsigned long haddr)
{
	flush_tlb_mm_range(vma->vm_mm, haddr, haddr + HPAGE_PMD_SIZE, HPAGE_PMD_SHIFT, false);
}

static pmd_t maybe_pmd_mkwrite(pmd_t pmd, struct vm_area_struct *vma)
{
	if (likely(vma->vm_flags & VM_WRITE))
		pmd = pmd_mkwrite(pmd, vma);
	return pmd;
}

/* Set the A/D (and W) bits a fault asks for without losing the MMU's. */
static void pmdp_set_access_flags(pmd_t *pmdp, pmd_t orig, pmd_t entry)
{
	u64 old = pmd_val(orig);

	if (pmd_val(entry) == old)
		return;
	while (!__pt_cmpxchg(pmdp, &old, pmd_val(entry) | (old & pgt_geom()->b_young)))
		if (pmd_leaf_pfn(__pmd(old)) != pmd_leaf_pfn(entry) || !pmd_trans_huge(__pmd(old)))
			return;
}

int pmdp_clear_flush_young(struct vm_area_struct *vma, unsigned long address, pmd_t *pmdp)
{
	u64 old = __pt_load(pmdp), young = pgt_geom()->b_young;

	while (old & young)
		if (__pt_cmpxchg(pmdp, &old, old & ~young)) {
			flush_pmd_tlb_range(vma, address & HPAGE_PMD_MASK);
			return 1;
		}
	return 0;
}

struct folio *huge_pmd_folio(struct vm_area_struct *vma, pmd_t pmd)
{
	(void)vma;
	if (!pmd_trans_huge(pmd) || is_huge_zero_pmd(pmd))
		return NULL;
	return page_folio(pfn_to_page(pmd_leaf_pfn(pmd)));
}

/* ---------------------------------------------------------------------
 * Faults
 */

static void set_huge_zero_folio(pgtable_t pgtable, struct mm_struct *mm,
				struct vm_area_struct *vma, unsigned long haddr, pmd_t *pmd,
				struct folio *zero)
{
	pmd_t entry = pmd_wrprotect(pfn_pmd(page_to_pfn(&zero->page), vma->vm_page_prot));

	pgtable_trans_huge_deposit(mm, pmd, pgtable);
	set_pmd_at(mm, haddr, pmd, pmd_mkyoung(entry));
}

vm_fault_t do_huge_pmd_anonymous_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	unsigned long haddr = vmf->address & HPAGE_PMD_MASK;
	spinlock_t *ptl = pte_lockptr(mm);
	struct folio *folio;
	struct page *page;
	pgtable_t pgtable;
	pmd_t entry;

	if (!thp_vma_suitable_order(vma, haddr, HPAGE_PMD_ORDER))
		return VM_FAULT_FALLBACK;
	if (unlikely(anon_vma_prepare_once(vma)))
		return VM_FAULT_OOM;

	if (!(vmf->flags & FAULT_FLAG_WRITE) &&
	    transparent_hugepage_flag_test(TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG)) {
		struct folio *zero = mm_get_huge_zero_folio(mm);

		if (!zero) {
			count_vm_event(THP_FAULT_FALLBACK);
			return VM_FAULT_FALLBACK;
		}
		pgtable = pte_alloc_one(mm);
		if (!pgtable)
			return VM_FAULT_OOM;
		spin_lock(ptl);
		if (pmd_none(pmdp_get(vmf->pmd))) {
			set_huge_zero_folio(pgtable, mm, vma, haddr, vmf->pmd, zero);
			pgtable = NULL;
		}
		spin_unlock(ptl);
		if (pgtable)
			pte_free(mm, pgtable);
		__atomic_store_n(&thp_state()->pmd_mapped_ever, true, __ATOMIC_RELAXED);
		return 0;
	}

	page = alloc_pages(vma_thp_gfp_mask(vma), HPAGE_PMD_ORDER);
	if (!page) {
		count_vm_event(THP_FAULT_FALLBACK);
		return VM_FAULT_FALLBACK;
	}
	folio = page_folio(page);
	/* Linux's clear_huge_page: each base page through kmap (highmem). */
	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++)
		clear_highpage(page + i);
	SetPageUptodate(page);
	pgtable = pte_alloc_one(mm);
	if (unlikely(!pgtable)) {
		put_page(page);
		return VM_FAULT_OOM;
	}
	entry = pmd_mkyoung(pfn_pmd(page_to_pfn(page), vma->vm_page_prot));
	entry = maybe_pmd_mkwrite(pmd_mkdirty(entry), vma);

	spin_lock(ptl);
	if (unlikely(!pmd_none(pmdp_get(vmf->pmd)))) {
		spin_unlock(ptl);
		pte_free(mm, pgtable);
		put_page(page);
		return 0;
	}
	folio_add_new_anon_rmap(folio, vma, haddr, RMAP_EXCLUSIVE);
	folio_add_lru_vma(folio, vma);
	pgtable_trans_huge_deposit(mm, vmf->pmd, pgtable);
	set_pmd_at(mm, haddr, vmf->pmd, entry);
	add_mm_counter(mm, MM_ANONPAGES, (long)HPAGE_PMD_NR);
	spin_unlock(ptl);
	__atomic_store_n(&thp_state()->pmd_mapped_ever, true, __ATOMIC_RELAXED);
	count_vm_event(THP_FAULT_ALLOC);
	return 0;
}

vm_fault_t do_huge_pmd_wp_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	spinlock_t *ptl = pte_lockptr(vma->vm_mm);
	bool unshare = vmf->flags & FAULT_FLAG_UNSHARE;
	struct folio *folio;
	struct page *page;
	pmd_t orig, entry;

	spin_lock(ptl);
	orig = pmdp_get(vmf->pmd);
	if (unlikely(!pmd_trans_huge(orig))) {
		spin_unlock(ptl);
		return 0;		/* changed under us: the access retries */
	}
	if (is_huge_zero_pmd(orig)) {
		spin_unlock(ptl);
		goto fallback;
	}
	page = pfn_to_page(pmd_leaf_pfn(orig));
	folio = page_folio(page);
	if (PageAnonExclusive(page))
		goto reuse;
	if (!folio_trylock(folio))
		goto unlock_fallback_nolock;
	if (PageAnonExclusive(page)) {
		folio_unlock(folio);
		goto reuse;
	}
	/* As do_wp_page: reuse only when our PMD holds the only reference. */
	if (page_ref_count(page) > 1 + (PageSwapCache(page) ? (int)HPAGE_PMD_NR : 0))
		goto unlock_fallback;
	if (PageSwapCache(page))
		folio_free_swap(folio);
	if (page_ref_count(page) == 1) {
		folio_unlock(folio);
		folio_move_anon_rmap(folio, vma);
		SetPageAnonExclusive(page);
		goto reuse;
	}
unlock_fallback:
	folio_unlock(folio);
unlock_fallback_nolock:
	spin_unlock(ptl);
fallback:
	split_huge_pmd(vma, vmf->pmd, vmf->address);
	return VM_FAULT_FALLBACK;
reuse:
	if (!unshare) {
		entry = pmd_mkyoung(orig);
		entry = maybe_pmd_mkwrite(pmd_mkdirty(entry), vma);
		pmdp_set_access_flags(vmf->pmd, orig, entry);
	}
	spin_unlock(ptl);
	return 0;
}

/*
 * handle_huge_pmd_fault - the PMD step of __handle_mm_fault (mm/memory.c):
 * an empty PMD THP may fill, or a PMD leaf (a write to a read-only one is
 * COW, a PROT_NONE leftover gets its protection back, anything else is a
 * spurious fault).  VM_FAULT_FALLBACK: go on with the PTEs.
 */
vm_fault_t handle_huge_pmd_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	spinlock_t *ptl = pte_lockptr(vma->vm_mm);
	pmd_t orig = pmdp_get(vmf->pmd), entry;

	if (pmd_none(orig)) {
		if (!thp_vma_allowable_order(vma, vma->vm_flags, HPAGE_PMD_ORDER))
			return VM_FAULT_FALLBACK;
		khugepaged_enter_vma(vma, vma->vm_flags);
		return do_huge_pmd_anonymous_page(vmf);
	}
	if (!pmd_trans_huge(orig))
		return VM_FAULT_FALLBACK;
	if (pmd_protnone(orig)) {
		if (!vma_is_accessible(vma))
			return VM_FAULT_SIGSEGV;
		spin_lock(ptl);
		if (pmd_same(pmdp_get(vmf->pmd), orig))
			set_pmd_at(vma->vm_mm, vmf->address, vmf->pmd,
				   pmd_modify(orig, vma->vm_page_prot));
		spin_unlock(ptl);
		return 0;
	}
	if ((vmf->flags & (FAULT_FLAG_WRITE | FAULT_FLAG_UNSHARE)) && !pmd_write(orig))
		return do_huge_pmd_wp_page(vmf);
	/* huge_pmd_set_accessed */
	spin_lock(ptl);
	orig = pmdp_get(vmf->pmd);
	if (pmd_trans_huge(orig)) {
		entry = pmd_mkyoung(orig);
		if (vmf->flags & FAULT_FLAG_WRITE)
			entry = pmd_mkdirty(entry);
		pmdp_set_access_flags(vmf->pmd, orig, entry);
	}
	spin_unlock(ptl);
	return 0;
}

/* ---------------------------------------------------------------------
 * fork, zap, mprotect
 */

int copy_huge_pmd(struct mm_struct *dst_mm, struct mm_struct *src_mm, pmd_t *dst_pmd,
		  pmd_t *src_pmd, unsigned long addr, struct vm_area_struct *dst_vma,
		  struct vm_area_struct *src_vma)
{
	pgtable_t pgtable = pte_alloc_one(dst_mm);
	struct folio *folio;
	struct page *page;
	pmd_t pmd;
	int ret = 0;

	if (unlikely(!pgtable))
		return -ENOMEM;
	addr &= HPAGE_PMD_MASK;
	spin_lock(pte_lockptr(dst_mm));
	spin_lock(pte_lockptr(src_mm));
	pmd = pmdp_get(src_pmd);
	if (unlikely(!pmd_trans_huge(pmd))) {
		ret = -EAGAIN;		/* split meanwhile: the PTE copy does it */
		goto out_unlock;
	}
	if (is_huge_zero_pmd(pmd)) {
		pgtable_trans_huge_deposit(dst_mm, dst_pmd, pgtable);
		set_pmd_at(dst_mm, addr, dst_pmd, pmd_mkold(pmd_wrprotect(pmd)));
		pgtable = NULL;
		goto out_unlock;
	}
	page = pfn_to_page(pmd_leaf_pfn(pmd));
	folio = page_folio(page);
	get_page(page);
	if (unlikely(folio_try_dup_anon_rmap_pmd(folio, src_vma))) {
		/* A maybe-pinned exclusive folio: split, the PTE copy copies. */
		put_page(page);
		spin_unlock(pte_lockptr(src_mm));
		spin_unlock(pte_lockptr(dst_mm));
		pte_free(dst_mm, pgtable);
		split_huge_pmd(src_vma, src_pmd, addr);
		return -EAGAIN;
	}
	add_mm_counter(dst_mm, MM_ANONPAGES, (long)HPAGE_PMD_NR);
	pgtable_trans_huge_deposit(dst_mm, dst_pmd, pgtable);
	pgtable = NULL;
	if (pmd_write(pmd)) {
		u64 old = __pt_load(src_pmd);

		while (!__pt_cmpxchg(src_pmd, &old, pmd_val(pmd_wrprotect(__pmd(old)))))
			;
	}
	pmd = pmd_mkold(pmd_wrprotect(pmdp_get(src_pmd)));
	set_pmd_at(dst_mm, addr, dst_pmd, pmd);
out_unlock:
	spin_unlock(pte_lockptr(src_mm));
	spin_unlock(pte_lockptr(dst_mm));
	if (pgtable)
		pte_free(dst_mm, pgtable);
	return ret;
}

int zap_huge_pmd(struct mmu_gather *tlb, struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl = pte_lockptr(mm);
	struct page *page;
	pgtable_t pgtable;
	pmd_t orig;

	addr &= HPAGE_PMD_MASK;
	spin_lock(ptl);
	if (!pmd_trans_huge(pmdp_get(pmd))) {
		spin_unlock(ptl);
		return 0;
	}
	orig = pmdp_huge_get_and_clear(mm, addr, pmd);
	__tlb_adjust_range(tlb, addr, HPAGE_PMD_SIZE);
	pgtable = pgtable_trans_huge_withdraw(mm, pmd);
	if (is_huge_zero_pmd(orig)) {
		spin_unlock(ptl);
	} else {
		page = pfn_to_page(pmd_leaf_pfn(orig));
		if (pmd_young(orig) && !(vma->vm_flags & VM_SEQ_READ))
			SetPageReferenced(page);
		folio_remove_rmap_pmd(page_folio(page), vma);
		add_mm_counter(mm, MM_ANONPAGES, -(long)HPAGE_PMD_NR);
		spin_unlock(ptl);
		tlb_remove_page(tlb, page);	/* the PMD's reference, after the flush */
	}
	if (pgtable)
		pte_free(mm, pgtable);	/* never seen by the MMU */
	return 1;
}

int change_huge_pmd(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr, pgprot_t newprot)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl = pte_lockptr(mm);
	pmd_t old, entry;
	bool flush;

	addr &= HPAGE_PMD_MASK;
	spin_lock(ptl);
	if (!pmd_trans_huge(pmdp_get(pmd))) {
		spin_unlock(ptl);
		return 0;
	}
	old = pmdp_huge_get_and_clear(mm, addr, pmd);
	entry = pmd_modify(old, newprot);
	entry = pmd_young(old) ? pmd_mkyoung(entry) : pmd_mkold(entry);
	if (pmd_dirty(old))
		entry = pmd_mkdirty(entry);
	/* Private writable memory maps read-only (PAGE_COPY): an exclusive
	 * folio may be writable at once (can_change_pmd_writable). */
	if ((vma->vm_flags & VM_WRITE) && !pmd_protnone(entry) && !pmd_write(entry) &&
	    !is_huge_zero_pmd(old) && PageAnonExclusive(pfn_to_page(pmd_leaf_pfn(old))))
		entry = pmd_mkwrite(entry, vma);
	if (is_huge_zero_pmd(old))
		entry = pmd_wrprotect(entry);
	set_pmd_at(mm, addr, pmd, entry);
	spin_unlock(ptl);
	flush = (pmd_write(old) && !pmd_write(entry)) || (pmd_exec(old) && !pmd_exec(entry)) ||
		(pmd_user(old) && !pmd_user(entry)) || pmd_protnone(entry);
	if (flush)
		flush_pmd_tlb_range(vma, addr);
	return (int)HPAGE_PMD_NR;
}

/* ---------------------------------------------------------------------
 * split_huge_pmd: one PMD leaf becomes a table of PTEs (the folio stays whole)
 */

static void __split_huge_zero_page_pmd(struct vm_area_struct *vma, unsigned long haddr,
				       pmd_t *pmd, pgtable_t pgtable)
{
	struct mm_struct *mm = vma->vm_mm;
	pte_t *pte = page_address(pgtable), entry;
	unsigned long zero_pfn = page_to_pfn(mm_zero_page());

	entry = pte_wrprotect(pfn_pte(zero_pfn, vma->vm_page_prot));
	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++, pte = pte_next(pte))
		set_pte_at(mm, haddr + i * PAGE_SIZE, pte, entry);
	pmd_populate(mm, pmd, pgtable);
}

/* Called with the PTE lock held and *pmd a leaf. */
static void __split_huge_pmd_locked(struct vm_area_struct *vma, pmd_t *pmd, unsigned long haddr)
{
	struct mm_struct *mm = vma->vm_mm;
	pgtable_t pgtable;
	struct folio *folio;
	struct page *page;
	bool write, young, dirty, anon_exclusive;
	pmd_t old;
	pte_t *pte;

	count_vm_event(THP_SPLIT_PMD);
	/* Linux's pmdp_invalidate: no CPU may use the huge translation now. */
	old = pmdp_huge_get_and_clear(mm, haddr, pmd);
	flush_pmd_tlb_range(vma, haddr);
	pgtable = pgtable_trans_huge_withdraw(mm, pmd);
	if (WARN_ON_ONCE(!pgtable)) {
		set_pmd_at(mm, haddr, pmd, old);
		return;
	}
	if (is_huge_zero_pmd(old)) {
		__split_huge_zero_page_pmd(vma, haddr, pmd, pgtable);
		return;
	}
	page = pfn_to_page(pmd_leaf_pfn(old));
	folio = page_folio(page);
	write = pmd_write(old);
	young = pmd_young(old);
	dirty = pmd_dirty(old);
	anon_exclusive = PageAnonExclusive(page);
	if (dirty)
		SetPageDirty(page);
	/* One reference per PTE from now on (the PMD held one). */
	atomic_fetch_add_explicit(&page->_refcount, (int)HPAGE_PMD_NR - 1, memory_order_relaxed);
	pte = page_address(pgtable);
	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++, pte = pte_next(pte)) {
		/* The leaf had the VMA's protection (change_huge_pmd keeps it so). */
		pte_t entry = pfn_pte(page_to_pfn(page + i), vma->vm_page_prot);

		entry = write ? pte_mkwrite(entry, vma) : pte_wrprotect(entry);
		entry = young ? pte_mkyoung(entry) : pte_mkold(entry);
		if (dirty)
			entry = pte_mkdirty(entry);
		folio_add_anon_rmap_pte(folio, page + i, vma, haddr + i * PAGE_SIZE,
					anon_exclusive ? RMAP_EXCLUSIVE : RMAP_NONE);
		set_pte_at(mm, haddr + i * PAGE_SIZE, pte, entry);
	}
	pmd_populate(mm, pmd, pgtable);
	__folio_remove_rmap_pmd(folio);
}

void split_huge_pmd(struct vm_area_struct *vma, pmd_t *pmd, unsigned long address)
{
	spinlock_t *ptl = pte_lockptr(vma->vm_mm);

	spin_lock(ptl);
	if (pmd_trans_huge(pmdp_get(pmd)))
		__split_huge_pmd_locked(vma, pmd, address & HPAGE_PMD_MASK);
	spin_unlock(ptl);
}

void split_huge_pmd_address(struct vm_area_struct *vma, unsigned long address)
{
	pmd_t *pmd = mm_find_pmd(vma->vm_mm, address);

	if (pmd && pmd_trans_huge(pmdp_get(pmd)))
		split_huge_pmd(vma, pmd, address);
}

void split_huge_pmd_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	unsigned long addr = start;
	pmd_t *pmd;

	if (!vma_may_have_thp(vma))
		return;
	while (addr < end && (pmd = mm_next_huge_pmd(vma->vm_mm, &addr, end)) != NULL) {
		split_huge_pmd(vma, pmd, addr);
		addr += HPAGE_PMD_SIZE;
	}
}

/* A boundary at @address inside a PMD range of @vma splits its leaf. */
static void split_huge_pmd_if_needed(struct vm_area_struct *vma, unsigned long address)
{
	unsigned long haddr = address & HPAGE_PMD_MASK;

	if (!(address & ~HPAGE_PMD_MASK))
		return;
	if (haddr >= vma->vm_start && haddr + HPAGE_PMD_SIZE <= vma->vm_end)
		split_huge_pmd_address(vma, address);
}

void vma_adjust_trans_huge(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			   long adjust_next)
{
	if (!vma_may_have_thp(vma))
		return;
	split_huge_pmd_if_needed(vma, start);
	split_huge_pmd_if_needed(vma, end);
	if (adjust_next > 0) {
		struct vm_area_struct *next = find_vma(vma->vm_mm, vma->vm_end);

		if (next && next->vm_start == vma->vm_end && vma_may_have_thp(next))
			split_huge_pmd_if_needed(next, (unsigned long)((long)next->vm_start +
								       adjust_next));
	}
}
