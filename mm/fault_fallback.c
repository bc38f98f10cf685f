// SPDX-License-Identifier: GPL-2.0
/*
 * mm/fault_fallback.c - TEMPORARY weak stand-ins for what the fault side
 * calls of files being written in parallel (engineer B's mm/mmap.c,
 * mm/vma.c, mm/mlock.c; so that the library links
 * before they land.  Each is replaced by the real (strong) definition as
 * soon as that file exists; this file goes away when all have landed.
 *
 * Semantics: the lookups walk mm_mt as mm/mmap.c will; mlock does nothing.
 */
#include "mm/fault_internal.h"

#define WEAK __attribute__((weak))

WEAK struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	unsigned long index = addr;

	return mt_find(&mm->mm_mt, &index, ~0UL);
}

WEAK struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	return mtree_load(&mm->mm_mt, addr);
}

WEAK struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
						  unsigned long end)
{
	unsigned long index = start;

	return end > start ? mt_find(&mm->mm_mt, &index, end - 1) : NULL;
}

WEAK struct vm_area_struct *lock_mm_and_find_vma(struct mm_struct *mm, unsigned long addr,
						 struct pt_regs *regs)
{
	struct vm_area_struct *vma;

	(void)regs;
	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->vm_start <= addr)
		return vma;
	mmap_read_unlock(mm);
	return NULL;
}

WEAK pgprot_t vm_get_page_prot(vm_flags_t vm_flags)
{
	bool w = vm_flags & VM_WRITE, x = vm_flags & VM_EXEC;

	if (!(vm_flags & VM_ACCESS_FLAGS))
		return PAGE_NONE;
	if (vm_flags & VM_SHARED)
		return w ? (x ? PAGE_SHARED_EXEC : PAGE_SHARED) :
			   (x ? PAGE_READONLY_EXEC : PAGE_READONLY);
	return w ? (x ? PAGE_COPY_EXEC : PAGE_COPY) : (x ? PAGE_READONLY_EXEC : PAGE_READONLY);
}

WEAK void mlock_new_folio(struct folio *folio)
{
	(void)folio;
}

WEAK void munlock_vma_folio(struct folio *folio, struct vm_area_struct *vma)
{
	(void)folio;
	(void)vma;
}
