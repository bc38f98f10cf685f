// SPDX-License-Identifier: GPL-2.0
/*
 * mm/mprotect.c - mprotect(2) and change_protection(), Linux 6.x.
 *
 * mprotect walks the VMAs of [start, end) (they must leave no hole:
 * -ENOMEM), computes each one's new flags (the access bits asked for, the
 * rest kept; -EACCES when a bit lacks its VM_MAY* twin) and gives them to
 * [start, end) of it through mprotect_fixup(), which merges with the
 * neighbours or splits (vma_modify_flags), keeps the commit charge right
 * (a private mapping made writable is charged unless already VM_ACCOUNT;
 * an untouched anonymous one made read-only is uncharged) and rewrites the
 * PTEs (change_protection).
 *
 * change_protection: every present PTE of the range gets the VMA's new
 * vm_page_prot, keeping its page, Accessed and Dirty bits.  A private
 * writable VMA's vm_page_prot is read-only (PAGE_COPY): its PTEs become
 * writable only where can_change_pte_writable() says so -- an anonymous
 * page that is PageAnonExclusive (the write fault would reuse it anyway);
 * shared writable PTEs only when already dirty.  Everything else is left
 * to the write fault.  A PTE losing a right is flushed from the TLBs
 * (batched in the mmu_gather) before mprotect returns.
 *
 * Locking: mmap_lock for writing; PTEs are changed under the mm's
 * page_table_lock with ptep_get_and_clear + set (the MMU's concurrent A/D
 * updates cannot be lost: a cleared PTE makes a concurrent access fault and
 * wait for mmap_lock).
 */
#include "mm/vma.h"
#include <mmsim/swapops.h>
#include <mmsim/rmap.h>

#define MM_CP_TRY_CHANGE_WRITABLE	(1UL << 0)

/* The new PTE: @newprot over @old's page, keeping Accessed and Dirty. */
static pte_t pte_change_prot(pte_t old, pgprot_t newprot)
{
	pte_t ptent = pfn_pte(pte_pfn(old), newprot);

	if (pte_young(old))
		ptent = pte_mkyoung(ptent);
	else
		ptent = pte_mkold(ptent);
	if (pte_dirty(old))
		ptent = pte_mkdirty(ptent);
	return ptent;
}

static bool can_change_pte_writable(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	struct page *page;

	if (WARN_ON_ONCE(!(vma->vm_flags & VM_WRITE)))
		return false;
	if (pte_protnone(pte))
		return false;
	if (!(vma->vm_flags & VM_SHARED)) {
		page = vm_normal_page(vma, addr, pte);
		return page && PageAnon(page) && PageAnonExclusive(page);
	}
	return pte_dirty(pte);
}

/* Removes a right (write, exec, read) the old PTE had: the TLB must forget it. */
static bool pte_needs_flush(pte_t oldpte, pte_t newpte)
{
	if (pte_present(oldpte) && !pte_present(newpte))
		return true;
	if (pte_write(oldpte) && !pte_write(newpte))
		return true;
	if (pte_exec(oldpte) && !pte_exec(newpte))
		return true;
	if (pte_user(oldpte) && !pte_user(newpte))
		return true;
	return pte_val(oldpte) != pte_val(newpte) && pte_protnone(newpte);
}

long change_protection(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long start,
		       unsigned long end, unsigned long cp_flags)
{
	struct mm_struct *mm = vma->vm_mm;
	pgprot_t newprot = vma->vm_page_prot;
	unsigned long addr;
	long pages = 0;

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *ptep = mm_find_pte(mm, addr), oldpte, ptent;

		if (!ptep) {
			/* no PTE table here: skip to the next one */
			unsigned long next = (addr | (PMD_SIZE - 1)) + 1;

			if (!next || next >= end)
				break;
			addr = next - PAGE_SIZE;
			continue;
		}
		spin_lock(&mm->page_table_lock);
		oldpte = ptep_get(ptep);
		if (!pte_present(oldpte) && !pte_protnone(oldpte)) {
			swp_entry_t entry = pte_to_swp_entry(oldpte);

			/* Linux: a writable migration entry loses write (the check
			 * of the new protection is hard; the fault gets it back). */
			if (is_swap_pte(oldpte) && is_writable_migration_entry(entry)) {
				if (folio_test_anon(pfn_swap_entry_folio(entry)))
					entry = make_readable_exclusive_migration_entry(swp_offset(entry));
				else
					entry = make_readable_migration_entry(swp_offset(entry));
				set_pte_at(mm, addr, ptep, swp_entry_to_pte(entry));
				pages++;
			}
			spin_unlock(&mm->page_table_lock);
			continue;
		}
		oldpte = ptep_get_and_clear(mm, addr, ptep);
		ptent = pte_change_prot(oldpte, newprot);
		if ((cp_flags & MM_CP_TRY_CHANGE_WRITABLE) && !pte_write(ptent) &&
		    can_change_pte_writable(vma, addr, ptent))
			ptent = pte_mkwrite(ptent, vma);
		set_pte_at(mm, addr, ptep, ptent);
		spin_unlock(&mm->page_table_lock);
		if (pte_needs_flush(oldpte, ptent))
			tlb_remove_tlb_entry(tlb, ptep, addr);
		pages++;
	}
	return pages;
}

static bool vma_wants_manual_pte_write_upgrade(struct vm_area_struct *vma)
{
	/* Shared anonymous memory needs no write notification. */
	return !!(vma->vm_flags & VM_WRITE);
}

/**
 * mprotect_fixup - give [start, end) of @vma the flags @newflags.
 * *pprev becomes the VMA now covering the range.  0 or -errno.
 */
int mprotect_fixup(struct vm_area_struct *vma, struct vm_area_struct **pprev,
		   unsigned long start, unsigned long end, vm_flags_t newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	vm_flags_t oldflags = vma->vm_flags;
	long nrpages = (long)((end - start) >> PAGE_SHIFT);
	unsigned long charged = 0, cp_flags = 0;
	struct mmu_gather tlb;
	int error;

	if (newflags == oldflags) {
		*pprev = vma;
		return 0;
	}
	/*
	 * A private mapping made writable is charged; one made read-only is
	 * uncharged only if anonymous and never faulted (no anon_vma).
	 */
	if (newflags & VM_WRITE) {
		if (!may_expand_vm(mm, newflags, (unsigned long)nrpages) &&
		    may_expand_vm(mm, oldflags, (unsigned long)nrpages))
			return -ENOMEM;
		if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE))) {
			charged = (unsigned long)nrpages;
			if (security_vm_enough_memory_mm(mm, (long)charged))
				return -ENOMEM;
			newflags |= VM_ACCOUNT;
		}
	} else if ((oldflags & VM_ACCOUNT) && vma_is_anonymous(vma) && !vma->anon_vma) {
		newflags &= ~VM_ACCOUNT;
	}
	vma = vma_modify_flags(*pprev, vma, start, end, newflags);
	if (IS_ERR(vma)) {
		error = (int)PTR_ERR(vma);
		goto fail;
	}
	*pprev = vma;
	vma->vm_flags = newflags;
	if (vma_wants_manual_pte_write_upgrade(vma))
		cp_flags |= MM_CP_TRY_CHANGE_WRITABLE;
	vma_set_page_prot(vma);
	tlb_gather_mmu(&tlb, mm);
	change_protection(&tlb, vma, start, end, cp_flags);
	tlb_finish_mmu(&tlb);
	if ((oldflags & VM_ACCOUNT) && !(newflags & VM_ACCOUNT))
		vm_unacct_memory(nrpages);
	/* Private VM_LOCKED VMA becoming writable: trigger COW to avoid major faults. */
	if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) == VM_LOCKED && (newflags & VM_WRITE))
		populate_vma_page_range(vma, start, end, NULL);
	vm_stat_account(mm, oldflags, -nrpages);
	vm_stat_account(mm, newflags, nrpages);
	return 0;
fail:
	vm_unacct_memory((long)charged);
	return error;
}

static vm_flags_t calc_prot_bits(unsigned long prot)
{
	return ((prot & PROT_READ) ? VM_READ : 0) | ((prot & PROT_WRITE) ? VM_WRITE : 0) |
	       ((prot & PROT_EXEC) ? VM_EXEC : 0);
}

long do_mprotect_mm(struct mm_struct *mm, unsigned long start, size_t len, unsigned long prot)
{
	unsigned long nstart, end, tmp;
	struct vm_area_struct *vma, *prev;
	const unsigned long grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
	long error;

	prot &= ~(unsigned long)(PROT_GROWSDOWN | PROT_GROWSUP);
	if (grows == (PROT_GROWSDOWN | PROT_GROWSUP))	/* can't be both */
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (end <= start)
		return -ENOMEM;
	if (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM))
		return -EINVAL;		/* arch_validate_prot */

	mmap_write_lock(mm);
	error = -ENOMEM;
	vma = find_vma_intersection(mm, start, end);
	if (!vma)
		goto out;
	if (grows & PROT_GROWSDOWN) {
		if (vma->vm_start >= end)
			goto out;
		start = vma->vm_start;
		error = -EINVAL;
		if (!(vma->vm_flags & VM_GROWSDOWN))
			goto out;
	} else {
		if (vma->vm_start > start)
			goto out;
		if (grows & PROT_GROWSUP) {
			error = -EINVAL;	/* no VM_GROWSUP on these arches */
			goto out;
		}
	}
	prev = vma_prev_of(mm, vma->vm_start);
	if (start > vma->vm_start)
		prev = vma;
	nstart = start;
	tmp = vma->vm_start;
	error = 0;
	while (vma && vma->vm_start < end) {
		vm_flags_t newflags;

		if (vma->vm_start != tmp) {
			error = -ENOMEM;
			break;
		}
		newflags = calc_prot_bits(prot) | (vma->vm_flags & ~VM_ACCESS_FLAGS);
		/* newflags >> 4 shift VM_MAY% in place of VM_% */
		if ((newflags & ~(newflags >> 4)) & VM_ACCESS_FLAGS) {
			error = -EACCES;
			break;
		}
		tmp = min(vma->vm_end, end);
		error = mprotect_fixup(vma, &prev, nstart, tmp, newflags);
		if (error)
			break;
		/* the VMA now covering the range may reach past it (merged) */
		tmp = prev->vm_end;
		nstart = tmp;
		vma = find_vma(mm, tmp);
	}
	if (!error && tmp < end)
		error = -ENOMEM;
out:
	mmap_write_unlock(mm);
	return error;
}

long sys_mprotect(unsigned long start, size_t len, unsigned long prot)
{
	long err = syscall_enter_check();

	if (err)
		return err;
	return do_mprotect_mm(current_user_mm(), start, len, prot);
}
