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

bool thp_vma_allowable_order(struct vm_area_struct *vma, vm_flags_t vm_flags, unsigned int order);
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
/* Split a locked, unmapped-or-mapped THP into order-0 folios; 0 or -EBUSY (pinned). */
int split_huge_page(struct page *page);
int split_folio(struct folio *folio);
/* The huge zero page (refcounted, allocated on first use). */
struct folio *mm_get_huge_zero_folio(struct mm_struct *mm);
bool is_huge_zero_pmd(pmd_t pmd);

#endif
