// SPDX-License-Identifier: GPL-2.0
/*
 * mm/mlock.c - mlock(2), mlock2(2), munlock(2), mlockall(2),
 * munlockall(2), Linux 6.x.
 *
 * A locked range's VMAs get VM_LOCKED (and VM_LOCKONFAULT for
 * MLOCK_ONFAULT / MCL_ONFAULT) through mlock_fixup, which merges or splits
 * as mprotect does (vma_modify_flags) and keeps mm->locked_vm equal to the
 * pages of VM_LOCKED VMAs.  mlock then populates the range (__mm_populate,
 * mm/gup.c; VM_LOCKONFAULT VMAs are left to fault), mapping Linux's errors
 * for POSIX (-EFAULT -> -ENOMEM, -ENOMEM -> -EAGAIN).  MCL_FUTURE sets
 * mm->def_flags, so later mmaps and brk are locked too.  VM_SPECIAL VMAs
 * are never locked (and not counted).
 *
 * Limits: RLIMIT_MEMLOCK (8 MiB by default) binds only tasks without
 * CAP_IPC_LOCK; every mmsim task is root with every capability (DESIGN
 * §3b), so, as on Linux for root, it does not stop mlock, mlockall,
 * MAP_LOCKED or locked stacks.  can_do_mlock() fails (-EPERM) only without
 * the capability and with a zero limit.
 *
 * Mlocked pages: a page mapped in a VM_LOCKED VMA is PG_mlocked and
 * counted in NR_MLOCK (/proc/meminfo Mlocked): mlock_fixup marks the
 * present pages of the range, the fault path marks new ones
 * (mlock_new_folio), munlock and the unmap path unmark them
 * (munlock_vma_folio), and a page freed still PG_mlocked is cleared and
 * uncounted on its way to the buddy allocator (mm/page_alloc.c, Linux's
 * __page_cache_release).  mmsim keeps no per-folio mlock_count: a page
 * unmapped from one of several locked VMAs (possible only for a page
 * shared by processes that each locked it) stops being counted.  An
 * mlocked page on the LRU lives on LRU_UNEVICTABLE: mlock_folio moves it
 * there and munlock_folio back (mm/swap.c, under lru_lock).
 *
 * Locking: mmap_lock for writing around the VMA changes; populate runs
 * after it is dropped.  PG_mlocked is changed with atomic bit operations.
 */
#include <mmsim/swap.h>
#include "mm/vma.h"
#include <mmsim/huge_mm.h>

static bool folio_test_set_mlocked(struct folio *folio)
{
	unsigned long bit = 1UL << PG_mlocked;

	return __atomic_fetch_or(&folio->page.flags, bit, __ATOMIC_RELAXED) & bit;
}

static bool folio_test_clear_mlocked(struct folio *folio)
{
	unsigned long bit = 1UL << PG_mlocked;

	return __atomic_fetch_and(&folio->page.flags, ~bit, __ATOMIC_RELAXED) & bit;
}

static void mlock_folio(struct folio *folio)
{
	if (!folio_test_set_mlocked(folio)) {
		long nr = folio_nr_pages(folio);

		mod_zone_page_state(page_zone(&folio->page), NR_MLOCK, nr);
		count_vm_events(UNEVICTABLE_PGMLOCKED, nr);
		folio_lru_mlock(folio);		/* to LRU_UNEVICTABLE if on the LRU */
	}
}

static void munlock_folio(struct folio *folio)
{
	if (folio_test_clear_mlocked(folio)) {
		long nr = folio_nr_pages(folio);

		mod_zone_page_state(page_zone(&folio->page), NR_MLOCK, -nr);
		count_vm_events(UNEVICTABLE_PGMUNLOCKED, nr);
		folio_lru_munlock(folio);	/* back to an evictable list */
	}
}

/* A new page was mapped into a VM_LOCKED VMA (the fault path). */
void mlock_new_folio(struct folio *folio)
{
	mlock_folio(folio);
}

/* A page is being unmapped from @vma (the zap path): unlock it if locked there. */
void munlock_vma_folio(struct folio *folio, struct vm_area_struct *vma)
{
	if (vma->vm_flags & VM_LOCKED)
		munlock_folio(folio);
}

bool can_do_mlock(void)
{
	if (mm_rlimit(RLIMIT_MEMLOCK) != 0)
		return true;
	return capable(CAP_IPC_LOCK);
}

bool mlock_future_ok(struct mm_struct *mm, vm_flags_t flags, unsigned long bytes)
{
	unsigned long locked_pages, limit_pages;

	if (!(flags & VM_LOCKED) || capable(CAP_IPC_LOCK))
		return true;
	locked_pages = (bytes >> PAGE_SHIFT) + mm->locked_vm;
	limit_pages = mm_rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	return locked_pages <= limit_pages;
}

/* Mark or unmark the present pages of [start, end) of @vma. */
static void mlock_vma_pages_range(struct vm_area_struct *vma, unsigned long start,
				  unsigned long end, vm_flags_t newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr;

	vma->vm_flags = newflags;
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *ptep = mm_find_pte(mm, addr), pte;
		struct page *page;

		if (!ptep) {
			/* A PMD-mapped THP (the VMA split cut none): the folio once. */
			pmd_t *pmd = mm_find_pmd(mm, addr);
			struct folio *folio = pmd ? huge_pmd_folio(vma, pmdp_get(pmd)) : NULL;

			if (folio && !(addr & ~HPAGE_PMD_MASK)) {
				if (newflags & VM_LOCKED)
					mlock_folio(folio);
				else
					munlock_folio(folio);
			}
			continue;
		}
		pte = ptep_get(ptep);
		if (!pte_present(pte))
			continue;
		page = vm_normal_page(vma, addr, pte);
		if (!page)
			continue;
		if (newflags & VM_LOCKED)
			mlock_folio(page_folio(page));
		else
			munlock_folio(page_folio(page));
	}
}

static int mlock_fixup(struct vm_area_struct *vma, struct vm_area_struct **prev,
		       unsigned long start, unsigned long end, vm_flags_t newflags)
{
	struct mm_struct *mm = vma->vm_mm;
	vm_flags_t oldflags = vma->vm_flags;
	long nr_pages;

	if (newflags == oldflags || (oldflags & VM_SPECIAL) || (oldflags & VM_HUGETLB))
		goto out;	/* don't set VM_LOCKED or VM_LOCKONFAULT and don't count */
	vma = vma_modify_flags(*prev, vma, start, end, newflags);
	if (IS_ERR(vma))
		return (int)PTR_ERR(vma);
	nr_pages = (long)((end - start) >> PAGE_SHIFT);
	if (!(newflags & VM_LOCKED))
		nr_pages = -nr_pages;
	else if (oldflags & VM_LOCKED)
		nr_pages = 0;
	mm->locked_vm += (unsigned long)nr_pages;
	if ((newflags & VM_LOCKED) && (oldflags & VM_LOCKED))
		vma->vm_flags = newflags;	/* no work to do, and mlocking twice would be wrong */
	else
		mlock_vma_pages_range(vma, start, end, newflags);
out:
	*prev = vma;
	return 0;
}

static int apply_vma_lock_flags(struct mm_struct *mm, unsigned long start, size_t len,
				vm_flags_t flags)
{
	unsigned long nstart, end = start + len, tmp;
	struct vm_area_struct *vma, *prev;
	int error;

	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	vma = vma_lookup(mm, start);
	if (!vma)
		return -ENOMEM;
	prev = start > vma->vm_start ? vma : vma_prev_of(mm, vma->vm_start);
	nstart = start;
	tmp = vma->vm_start;
	while (vma && vma->vm_start < end) {
		vm_flags_t newflags;

		if (vma->vm_start != tmp)
			return -ENOMEM;
		newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | flags;
		tmp = min(vma->vm_end, end);
		error = mlock_fixup(vma, &prev, nstart, tmp, newflags);
		if (error)
			return error;
		tmp = prev->vm_end;	/* may reach past the range (merged) */
		nstart = tmp;
		vma = find_vma(mm, tmp);
	}
	if (tmp < end)
		return -ENOMEM;
	return 0;
}

/* Pages of [start, start + len) already in VM_LOCKED VMAs. */
static unsigned long count_mm_mlocked_page_nr(struct mm_struct *mm, unsigned long start,
					      size_t len)
{
	unsigned long count = 0, end = start + len;
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, start);

	for_each_vma_range(vmi, vma, end) {
		if (vma->vm_flags & VM_LOCKED)
			count += (min(end, vma->vm_end) - max(start, vma->vm_start)) >> PAGE_SHIFT;
	}
	return count;
}

static long mlock_posix_error_return(long retval)
{
	if (retval == -EFAULT)
		return -ENOMEM;
	if (retval == -ENOMEM)
		return -EAGAIN;
	return retval;
}

static long do_mlock(unsigned long start, size_t len, vm_flags_t flags)
{
	struct mm_struct *mm = current_user_mm();
	unsigned long locked, lock_limit;
	long error = -ENOMEM;

	if (!can_do_mlock())
		return -EPERM;
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	lock_limit = mm_rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	locked = len >> PAGE_SHIFT;
	mmap_write_lock(mm);
	locked += mm->locked_vm;
	if (locked > lock_limit && !capable(CAP_IPC_LOCK))
		locked -= count_mm_mlocked_page_nr(mm, start, len);
	if (locked <= lock_limit || capable(CAP_IPC_LOCK))
		error = apply_vma_lock_flags(mm, start, len, flags);
	mmap_write_unlock(mm);
	if (error)
		return error;
	error = __mm_populate(start, len, 0);
	if (error)
		return mlock_posix_error_return(error);
	return 0;
}

long sys_mlock(unsigned long start, size_t len)
{
	long err = syscall_enter_check();

	if (err)
		return err;
	return do_mlock(start, len, VM_LOCKED);
}

long sys_mlock2(unsigned long start, size_t len, int flags)
{
	vm_flags_t vm_flags = VM_LOCKED;
	long err = syscall_enter_check();

	if (err)
		return err;
	if (flags & ~MLOCK_ONFAULT)
		return -EINVAL;
	if (flags & MLOCK_ONFAULT)
		vm_flags |= VM_LOCKONFAULT;
	return do_mlock(start, len, vm_flags);
}

long sys_munlock(unsigned long start, size_t len)
{
	struct mm_struct *mm;
	long err = syscall_enter_check();

	if (err)
		return err;
	mm = current_user_mm();
	len = PAGE_ALIGN(len + (start & ~PAGE_MASK));
	start &= PAGE_MASK;
	mmap_write_lock(mm);
	err = apply_vma_lock_flags(mm, start, len, 0);
	mmap_write_unlock(mm);
	return err;
}

int apply_mlockall_flags_mm(struct mm_struct *mm, int flags)
{
	struct vm_area_struct *vma, *prev = NULL;
	vm_flags_t to_add = 0;
	unsigned long addr = 0;

	mm->def_flags &= ~VM_LOCKED_MASK;
	if (flags & MCL_FUTURE) {
		mm->def_flags |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			mm->def_flags |= VM_LOCKONFAULT;
		if (!(flags & MCL_CURRENT))
			return 0;
	}
	if (flags & MCL_CURRENT) {
		to_add |= VM_LOCKED;
		if (flags & MCL_ONFAULT)
			to_add |= VM_LOCKONFAULT;
	}
	while ((vma = find_vma(mm, addr)) != NULL) {
		vm_flags_t newflags = (vma->vm_flags & ~VM_LOCKED_MASK) | to_add;

		addr = vma->vm_end;
		/* Ignore errors, but prev needs fixing up. */
		if (mlock_fixup(vma, &prev, vma->vm_start, vma->vm_end, newflags))
			prev = vma;
		else if (prev->vm_end > addr)
			addr = prev->vm_end;
	}
	return 0;
}

long sys_mlockall(int flags)
{
	struct mm_struct *mm;
	unsigned long lock_limit;
	long ret = syscall_enter_check();

	if (ret)
		return ret;
	if (!flags || (flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) || flags == MCL_ONFAULT)
		return -EINVAL;
	if (!can_do_mlock())
		return -EPERM;
	mm = current_user_mm();
	lock_limit = mm_rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	mmap_write_lock(mm);
	ret = -ENOMEM;
	if (!(flags & MCL_CURRENT) || mm->total_vm <= lock_limit || capable(CAP_IPC_LOCK))
		ret = apply_mlockall_flags_mm(mm, flags);
	mmap_write_unlock(mm);
	if (!ret && (flags & MCL_CURRENT))
		mm_populate(0, TASK_SIZE);
	return ret;
}

long sys_munlockall(void)
{
	struct mm_struct *mm;
	long ret = syscall_enter_check();

	if (ret)
		return ret;
	mm = current_user_mm();
	mmap_write_lock(mm);
	ret = apply_mlockall_flags_mm(mm, 0);
	mmap_write_unlock(mm);
	return ret;
}
