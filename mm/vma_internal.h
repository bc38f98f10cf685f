/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/vma_internal.h - what the user-address-space files of mm/ call in
 * each other (Linux's mm/internal.h and mm/vma.h, the parts issue 11
 * builds).  Not installed; kernel/ may include it (fork/exit).
 *
 * Ownership: each block names the file that defines it.  Locking: every
 * function here runs under mmap_lock for writing unless it says otherwise.
 */
#ifndef MMSIM_MM_VMA_INTERNAL_H
#define MMSIM_MM_VMA_INTERNAL_H

#include <mmsim/mm.h>
#include <mmsim/rmap.h>
#include <mmsim/tlbflush.h>
#include <mmsim/pgtable.h>
#include <mmsim/sched.h>

/* --- mm/memory.c --- */
struct zap_details {
	bool even_cows;			/* also zap COWed private pages (truncate) */
	bool reclaim_pt;		/* unused */
};
/* Unmap the pages of [start, end) of every VMA from @vma on that
 * intersects it, gathering their freeing into @tlb. */
void unmap_vmas(struct mmu_gather *tlb, struct ma_state *mas, struct vm_area_struct *vma,
		unsigned long start, unsigned long end, unsigned long tree_end);
void unmap_page_range(struct mmu_gather *tlb, struct vm_area_struct *vma,
		      unsigned long addr, unsigned long end, struct zap_details *details);
/* fork: copy the page tables of @src_vma into @dst_vma's mm, write-protecting
 * private writable pages in both (COW); 0 or -ENOMEM. */
int copy_page_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma);
/* The shared zero page (read faults of anonymous memory map it). */
struct page *mm_zero_page(void);
/* The zero page's pfn, or ~0UL before its first use (it is allocated
 * lazily: asking whether a pfn is the zero page does not allocate it). */
unsigned long mm_zero_pfn(void);
static inline bool is_zero_pfn(unsigned long pfn) { return pfn == mm_zero_pfn(); }
/* The page a present PTE maps, or NULL for the zero page and special PTEs. */
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte);
/* Walk to the PTE of @addr in @mm without allocating; NULL if no table. */
pte_t *mm_find_pte(struct mm_struct *mm, unsigned long addr);

/* --- mm/mmap.c, mm/vma.c (VMA tree operations) --- */
/* Insert a new VMA (not yet in the tree) and account it; 0 or -ENOMEM. */
int insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma);
/* Split @vma at @addr; the new VMA is below (new_below) or above @addr. */
int split_vma(struct vma_iterator *vmi, struct vm_area_struct *vma, unsigned long addr,
	      int new_below);
/* Unmap [start, start + len) of current->mm (munmap's core); 0 or -errno. */
int do_vmi_munmap(struct vma_iterator *vmi, struct mm_struct *mm, unsigned long start,
		  size_t len, struct list_head *uf, bool unlock);
int do_munmap(struct mm_struct *mm, unsigned long start, size_t len, struct list_head *uf);
unsigned long get_unmapped_area(struct file *file, unsigned long addr, unsigned long len,
				unsigned long pgoff, unsigned long flags);
unsigned long do_mmap(struct file *file, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, vm_flags_t vm_flags,
		      unsigned long pgoff, unsigned long *populate, struct list_head *uf);
/* Free the page tables under [floor, ceiling) of the VMAs from @vma on. */
void free_pgtables(struct mmu_gather *tlb, struct ma_state *mas, struct vm_area_struct *vma,
		   unsigned long floor, unsigned long ceiling);
/* Set up a new process's address space (mmsim_spawn): layout, stack VMA at
 * the top, brk after an empty data segment.  0 or -ENOMEM. */
int setup_new_exec_mm(struct mm_struct *mm);

/* --- mm/mprotect.c --- */
long change_protection(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long start,
		       unsigned long end, unsigned long cp_flags);

/* --- mm/mlock.c --- */
void munlock_vma_folio(struct folio *folio, struct vm_area_struct *vma);
void mlock_new_folio(struct folio *folio);

/* --- the machine's mm sysctls and counters (mm/util.c owns the state) --- */
struct mm_user_sysctls {
	int max_map_count;		/* vm.max_map_count, 65530 */
	unsigned long mmap_min_addr;	/* vm.mmap_min_addr, 65536 (arm64 32768) */
	unsigned long stack_guard_gap;	/* pages (stack_guard_gap=, 256) */
	int overcommit_memory;		/* 0 guess, 1 always, 2 never */
	int overcommit_ratio;		/* 50 */
	unsigned long overcommit_kbytes; /* 0 */
	unsigned long admin_reserve_kbytes;
	unsigned long user_reserve_kbytes;
	int legacy_va_layout;
	int randomize_va_space;		/* 0: mmsim runs are deterministic */
	atomic_long_t vm_committed_as;	/* pages */
};
struct mm_user_sysctls *mm_user_sysctls(void);

#endif
