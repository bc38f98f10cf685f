/* SPDX-License-Identifier: GPL-2.0 */
/*
 * huge_mm.h - transparent huge pages (Linux's include/linux/huge_mm.h).
 * Implementation, locking and invariants: mm/huge_memory.c (faults, PMD
 * mappings, splitting, the huge zero page, sysfs) and mm/khugepaged.c.
 *
 * An anonymous VMA that THP allows (transparent_hugepage= / the sysfs
 * "enabled" mode, VM_HUGEPAGE / VM_NOHUGEPAGE, prctl) gets on a fault in an
 * empty, PMD-aligned 2 MiB range one order-9 folio mapped by a single PMD
 * leaf (do_huge_pmd_anonymous_page); a read maps the huge zero page.  A
 * PMD-mapped folio is split into PTEs (split_huge_pmd) when an munmap,
 * mprotect, mremap or COW touches part of it, and the folio itself is split
 * (split_huge_page) before it is swapped out or partially freed.
 * khugepaged collapses 512 PTE-mapped pages back into one.
 */
#ifndef MMSIM_HUGE_MM_H
#define MMSIM_HUGE_MM_H

#include <mmsim/mm.h>
#include <mmsim/mm_vma.h>

struct mmu_gather;

/* /sys/kernel/mm/transparent_hugepage/enabled and defrag, as bits. */
enum transparent_hugepage_flag {
	TRANSPARENT_HUGEPAGE_UNSUPPORTED,
	TRANSPARENT_HUGEPAGE_FLAG,		/* enabled=always */
	TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG,	/* enabled=madvise */
	TRANSPARENT_HUGEPAGE_DEFRAG_DIRECT_FLAG,
	TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_FLAG,
	TRANSPARENT_HUGEPAGE_DEFRAG_KSWAPD_OR_MADV_FLAG,
	TRANSPARENT_HUGEPAGE_DEFRAG_REQ_MADV_FLAG,
	TRANSPARENT_HUGEPAGE_DEFRAG_KHUGEPAGED_FLAG,
	TRANSPARENT_HUGEPAGE_USE_ZERO_PAGE_FLAG,
};

/*
 * The PMD-sized huge page of the machine: 2 MiB on x86_64 and arm64 with
 * 4K pages (order 9), 32 MiB with 16K pages (order 11).  A machine whose
 * page tables have no PMD leaves, or whose PMD order is above
 * MAX_PAGE_ORDER, has no THP (hugepage_pmd_supported() false).
 */
#define HPAGE_PMD_SHIFT		PMD_SHIFT
#define HPAGE_PMD_ORDER		(HPAGE_PMD_SHIFT - PAGE_SHIFT)
#define HPAGE_PMD_NR		(1UL << HPAGE_PMD_ORDER)
#define HPAGE_PMD_SIZE		(1UL << HPAGE_PMD_SHIFT)
#define HPAGE_PMD_MASK		(~(HPAGE_PMD_SIZE - 1))
bool hugepage_pmd_supported(void);

bool thp_vma_allowable_order(struct vm_area_struct *vma, vm_flags_t vm_flags, unsigned int order);
/* thp_vma_allowable_order and the PMD range around @addr fits in @vma. */
bool thp_vma_suitable_order(struct vm_area_struct *vma, unsigned long addr, unsigned int order);
/* The transparent_hugepage_flags bit @flag is set (the sysfs modes). */
bool transparent_hugepage_flag_test(enum transparent_hugepage_flag flag);
vm_fault_t do_huge_pmd_anonymous_page(struct vm_fault *vmf);
vm_fault_t do_huge_pmd_wp_page(struct vm_fault *vmf);
int copy_huge_pmd(struct mm_struct *dst_mm, struct mm_struct *src_mm, pmd_t *dst_pmd,
		  pmd_t *src_pmd, unsigned long addr, struct vm_area_struct *dst_vma,
		  struct vm_area_struct *src_vma);
int zap_huge_pmd(struct mmu_gather *tlb, struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr);
int change_huge_pmd(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr, pgprot_t newprot);
/* Replace the PMD leaf mapping @address by a table of 512 PTEs (the folio stays whole). */
void split_huge_pmd(struct vm_area_struct *vma, pmd_t *pmd, unsigned long address);
/* Split every huge PMD that [start, end) cuts (vma_adjust_trans_huge). */
void vma_adjust_trans_huge(struct vm_area_struct *vma, unsigned long start, unsigned long end,
			   long adjust_next);
/* The PMD leaf at @address (PMD-aligned or not), split if present. */
void split_huge_pmd_address(struct vm_area_struct *vma, unsigned long address);
/* Split every PMD leaf of [start, end) of @vma (walkers that move PTEs: mremap). */
void split_huge_pmd_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
/* Split a locked, unmapped-or-mapped THP into order-0 folios; 0 or -EBUSY (pinned). */
int split_huge_page(struct page *page);
int split_folio(struct folio *folio);
/*
 * split_huge_page_to_list - as split_huge_page; an isolated folio's tail
 * pages go onto @list, each with a reference (reclaim), instead of onto
 * the LRU.  The caller holds @page's folio locked and one reference, which
 * stay on @page; the other pages come back unlocked.
 */
int split_huge_page_to_list(struct page *page, struct list_head *list);
static inline int split_folio_to_list(struct folio *folio, struct list_head *list)
{
	return split_huge_page_to_list(&folio->page, list);
}
/* khugepaged and MADV_COLLAPSE (mm/khugepaged.c). */
void khugepaged_enter_vma(struct vm_area_struct *vma, vm_flags_t vm_flags);
int madvise_collapse(struct vm_area_struct *vma, unsigned long start, unsigned long end);

/* The huge zero page (refcounted, allocated on first use). */
struct folio *mm_get_huge_zero_folio(struct mm_struct *mm);
bool is_huge_zero_pmd(pmd_t pmd);
bool is_huge_zero_folio(const struct folio *folio);

/* ---------------------------------------------------------------------
 * For the page-table walkers (mm/memory.c, mm/memory_copy.c, mm/mprotect.c,
 * mm/mlock.c, mm/gup.c, mm/mincore.c, fs/proc/task_mmu.c, mm/debug_vm.c)
 */

/* The PMD entry covering @addr, or NULL where an upper level is missing
 * (mm/memory.c, beside mm_find_pte, which it serves). */
pmd_t *mm_find_pmd(struct mm_struct *mm, unsigned long addr);
/* ... allocating the upper levels (the fault path, fork's child). */
pmd_t *mm_pmd_alloc(struct mm_struct *mm, unsigned long addr);
/*
 * mm_next_huge_pmd - the first PMD leaf at or after *addrp below @end
 * (*addrp moves to its PMD-aligned address, which may lie below the
 * original *addrp); NULL when none is left.  Cheap for a VMA that cannot
 * hold one (vma_may_have_thp).
 */
pmd_t *mm_next_huge_pmd(struct mm_struct *mm, unsigned long *addrp, unsigned long end);
/* @vma may hold PMD leaves: private anonymous, and this machine made a THP. */
bool vma_may_have_thp(struct vm_area_struct *vma);
/* The fault path's PMD step: 0 handled, VM_FAULT_FALLBACK to the PTEs. */
vm_fault_t handle_huge_pmd_fault(struct vm_fault *vmf);
/* mlock/munlock of a PMD-mapped THP (mm/mlock.c). */
struct folio *huge_pmd_folio(struct vm_area_struct *vma, pmd_t pmd);
/* The deposited PTE table of a PMD leaf (Linux's pgtable_trans_huge_*). */
void pgtable_trans_huge_deposit(struct mm_struct *mm, pmd_t *pmdp, pgtable_t pgtable);
pgtable_t pgtable_trans_huge_withdraw(struct mm_struct *mm, pmd_t *pmdp);
/* Clear the Accessed bit of a PMD leaf, flushing its TLB entry (rmap). */
int pmdp_clear_flush_young(struct vm_area_struct *vma, unsigned long address, pmd_t *pmdp);

#endif
