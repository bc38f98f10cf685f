/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fault_fixture.h - address spaces built by hand for the fault-side tests
 * (test_fault.c, test_cow.c, test_rmap.c, test_gup.c): an mm from
 * mm_alloc() loaded on the CPU, VMAs stored in its maple tree directly,
 * faults through handle_mm_fault(), fork as dup_mmap does it (VMA copy,
 * anon_vma_fork, copy_page_range), and a teardown that zaps, frees the
 * tables and unlinks the anon_vmas.  No task and no system call is
 * needed, so these run whatever the state of mm/mmap.c and kernel/.
 */
#ifndef MMSIM_TESTS_FAULT_FIXTURE_H
#define MMSIM_TESTS_FAULT_FIXTURE_H

#include "mmtest.h"
#include "mm/fault_internal.h"
#include <mmsim/fault.h>
#include <mmsim/uaccess.h>
#include <mmsim/shmem_fs.h>

static inline struct mm_struct *fx_mm(void)
{
	struct mm_struct *mm = mm_alloc();

	KT_ASSERT(mm);
	mt_init_flags(&mm->mm_mt, MM_MT_FLAGS);
	mmap_init_lock(mm);
	mm->task_size = TASK_SIZE;
	return mm;
}

static inline void fx_insert(struct mm_struct *mm, struct vm_area_struct *vma)
{
	KT_EQ(mtree_store_range(&mm->mm_mt, vma->vm_start, vma->vm_end - 1, vma, GFP_KERNEL), 0);
	mm->map_count++;
	mm->total_vm += vma_pages(vma);
}

static inline struct vm_area_struct *fx_vma(struct mm_struct *mm, unsigned long start,
					    unsigned long len, vm_flags_t flags)
{
	struct vm_area_struct *vma = calloc(1, sizeof(*vma));

	vma->vm_start = start;
	vma->vm_end = start + len;
	vma->vm_mm = mm;
	vma->vm_flags = flags | ((flags & VM_ACCESS_FLAGS) << 4);	/* VM_MAY* */
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	vma->vm_pgoff = start >> PAGE_SHIFT;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	/* shared anonymous memory is shmem's, as mmap makes it */
	if (flags & VM_SHARED) {
		vma->vm_pgoff = 0;
		KT_EQ(shmem_zero_setup(vma), 0);
	}
	fx_insert(mm, vma);
	return vma;
}

static inline vm_fault_t fx_fault(struct mm_struct *mm, unsigned long addr, bool write)
{
	struct vm_area_struct *vma;
	vm_fault_t ret;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	KT_ASSERT(vma);
	ret = handle_mm_fault(vma, addr, write ? FAULT_FLAG_WRITE : 0, NULL);
	mmap_read_unlock(mm);
	return ret;
}

/* fork's dup_mmap, VMA by VMA. */
static inline struct mm_struct *fx_fork(struct mm_struct *old)
{
	struct mm_struct *mm = fx_mm();
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, old, 0);

	mmap_write_lock(old);
	mmap_write_lock(mm);
	for_each_vma(vmi, vma) {
		struct vm_area_struct *n = malloc(sizeof(*n));

		*n = *vma;
		n->vm_mm = mm;
		INIT_LIST_HEAD(&n->anon_vma_chain);
		n->anon_vma = NULL;
		if (n->vm_file) {
			get_file(n->vm_file);
			vma_link_file(n);
		}
		KT_EQ(anon_vma_fork(n, vma), 0);
		fx_insert(mm, n);
		KT_EQ(copy_page_range(n, vma), 0);
	}
	mmap_write_unlock(mm);
	flush_tlb_mm(old);	/* the parent's writable entries of COW pages */
	mmap_write_unlock(old);
	return mm;
}

/* Zap [addr, addr + len) of the VMA there (MADV_DONTNEED's core). */
static inline void fx_zap(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	KT_ASSERT(vma);
	zap_page_range_single(vma, addr, len, NULL);
	mmap_read_unlock(mm);
}

/* exit_mmap: zap everything, free the tables, unlink and free the VMAs. */
static inline void fx_destroy(struct mm_struct *mm)
{
	struct mmu_gather tlb;
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, 0);

	if (mmu_active_mm() == mm)
		switch_mm(mm, &init_mm, NULL);
	mmap_write_lock(mm);
	tlb_gather_mmu_fullmm(&tlb, mm);
	vma = vma_next(&vmi);
	if (vma) {
		vma_iter_set(&vmi, vma->vm_end);
		unmap_vmas(&tlb, &vmi.mas, vma, 0, ~0UL, ~0UL);
	}
	free_pgd_range(&tlb, FIRST_USER_ADDRESS, TASK_SIZE, FIRST_USER_ADDRESS,
		       USER_PGTABLES_CEILING);
	tlb_finish_mmu(&tlb);
	vma_iter_set(&vmi, 0);
	for_each_vma(vmi, vma) {
		unlink_anon_vmas(vma);
		if (vma->vm_file) {
			vma_unlink_file(vma);
			fput(vma->vm_file);
		}
		free(vma);
	}
	mtree_destroy(&mm->mm_mt);
	mm->map_count = 0;
	mm->total_vm = 0;
	mmap_write_unlock(mm);
	KT_EQ(get_mm_counter(mm, MM_ANONPAGES), 0);
	mmput(mm);
}

/* The physical address @va translates to for @acc on this CPU, or -1. */
static inline phys_addr_t fx_xlate(unsigned long va, unsigned int acc)
{
	phys_addr_t pa;

	if (mmu_translate(va, acc, &pa, NULL))
		return (phys_addr_t)-1;
	return pa;
}

static inline pte_t fx_pte(struct mm_struct *mm, unsigned long va)
{
	pte_t *p = mm_find_pte(mm, va);

	return p ? ptep_get(p) : __pte(0);
}

static inline struct page *fx_page(struct mm_struct *mm, unsigned long va)
{
	pte_t pte = fx_pte(mm, va);

	return pte_present(pte) ? pfn_to_page(pte_pfn(pte)) : NULL;
}

static inline bool fx_valid(struct mm_struct **mms, int nr)
{
	for (int i = 0; i < nr; i++)
		if (!mm_is_valid(mms[i]))
			return false;
	return mm_mapcounts_valid_for(mms, nr);
}

#endif
