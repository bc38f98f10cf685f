/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tlbflush.h - TLB flushing (Linux's asm/tlbflush.h) and mmu_gather
 * batching (asm-generic/tlb.h).
 *
 * The local CPU's TLB is flushed at once.  Every other CPU that may hold
 * entries -- those in mm_cpumask(mm) for a user flush, all CPUs for a
 * kernel one -- gets a flush request in its queue, which it applies before
 * its next translation begins (arch/tlb.c).  A request is counted once as
 * nr_tlb_remote_flush by the sender and as nr_tlb_remote_flush_received by
 * each receiver when applied; local flushes count nr_tlb_local_flush_all /
 * nr_tlb_local_flush_one.  A range larger than tlb_single_page_flush_ceiling
 * pages (33, as x86) becomes a flush of the whole mm.
 */
#ifndef MMSIM_TLBFLUSH_H
#define MMSIM_TLBFLUSH_H

#include <mmsim/types.h>
#include <mmsim/mm_struct.h>

#define TLB_FLUSH_ALL	(~0UL)
#define tlb_single_page_flush_ceiling 33UL

void flush_tlb_all(void);
void flush_tlb_mm(struct mm_struct *mm);
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end,
			unsigned int stride_shift, bool freed_tables);
void flush_tlb_kernel_range(unsigned long start, unsigned long end);
void local_flush_tlb_all(void);
void local_flush_tlb_mm(struct mm_struct *mm);
void local_flush_tlb_page(struct mm_struct *mm, unsigned long addr);

/* The VMA forms expand where vm_area_struct (with vm_mm) is defined. */
#define flush_tlb_page(vma, addr) \
	flush_tlb_mm_range((vma)->vm_mm, (addr), (addr) + PAGE_SIZE, PAGE_SHIFT, false)
#define flush_tlb_range(vma, start, end) \
	flush_tlb_mm_range((vma)->vm_mm, (start), (end), PAGE_SHIFT, false)

/*
 * mmu_gather: collect the range of PTEs cleared and the pages and tables
 * they pointed to, flush the TLB once, and only then free what was
 * gathered (a CPU may still be using a stale translation until the flush).
 */
#define MMU_GATHER_BUNDLE 64

struct mmu_gather {
	struct mm_struct *mm;
	unsigned long start, end;	/* range of cleared entries */
	bool fullmm;			/* tearing the whole mm down */
	bool freed_tables;		/* page-table pages were cleared */
	bool need_flush_all;
	unsigned int nr_pages, nr_tables;
	struct page *pages[MMU_GATHER_BUNDLE];	/* put_page after the flush */
	struct page *tables[MMU_GATHER_BUNDLE];	/* page-table pages to free */
	unsigned char table_level[MMU_GATHER_BUNDLE]; /* enum pgt_level of tables[] */
};

void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm);
void tlb_gather_mmu_fullmm(struct mmu_gather *tlb, struct mm_struct *mm);
void tlb_flush_mmu(struct mmu_gather *tlb);
void tlb_finish_mmu(struct mmu_gather *tlb);
void tlb_flush_mmu_tlbonly(struct mmu_gather *tlb);
/* Record that the entry for @address was cleared. */
void tlb_remove_tlb_entry(struct mmu_gather *tlb, void *ptep, unsigned long address);
void __tlb_adjust_range(struct mmu_gather *tlb, unsigned long address, unsigned long size);
/* Drop a reference to @page after the flush (returns true when the batch
 * filled and was flushed). */
bool tlb_remove_page(struct mmu_gather *tlb, struct page *page);
/* Free a page-table page of level @lvl after the flush. */
void tlb_remove_table(struct mmu_gather *tlb, struct page *table, int lvl);

#define pte_free_tlb(tlb, ptep, addr)	__pgtable_free_tlb(tlb, ptep, addr, 4)
#define pmd_free_tlb(tlb, pmdp, addr)	__pgtable_free_tlb(tlb, pmdp, addr, 3)
#define pud_free_tlb(tlb, pudp, addr)	__pgtable_free_tlb(tlb, pudp, addr, 2)
#define p4d_free_tlb(tlb, p4dp, addr)	__pgtable_free_tlb(tlb, p4dp, addr, 1)
void __pgtable_free_tlb(struct mmu_gather *tlb, void *table, unsigned long addr, int lvl);

#endif
