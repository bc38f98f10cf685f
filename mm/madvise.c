// SPDX-License-Identifier: GPL-2.0
/*
 * mm/madvise.c - madvise(2), Linux 6.x.
 *
 * Advice that changes VMA flags (NORMAL/RANDOM/SEQUENTIAL, DONTFORK/
 * DOFORK, WIPEONFORK/KEEPONFORK, DONTDUMP/DODUMP, HUGEPAGE/NOHUGEPAGE,
 * MERGEABLE/UNMERGEABLE) goes through vma_modify_flags (merge or split),
 * with -ENOMEM from a split past max_map_count reported as -EAGAIN, as
 * Linux does.  A range with holes is advised where mapped and then fails
 * with -ENOMEM.
 *
 * Advice acting on pages:
 *  - DONTNEED (and DONTNEED_LOCKED, which also takes VM_LOCKED VMAs) zaps
 *    the range (zap_page_range_single, mm/memory.c): later reads see zero
 *    pages.  -EINVAL on VM_LOCKED or VM_PFNMAP VMAs.
 *  - FREE marks the pages lazily freeable as Linux does: clean, old PTEs
 *    and no PG_swapbacked, on the inactive file LRU list (smaps' LazyFree,
 *    vmstat's pglazyfree); they keep
 *    their data and stay resident until reclaim (which does not exist yet)
 *    drops them, unless written again.  Pages other processes map are left
 *    alone once dirty.  Anonymous private memory only (-EINVAL otherwise,
 *    as Linux).
 *  - WILLNEED: a file VMA reads its range ahead (POSIX_FADV_WILLNEED);
 *    anonymous memory starts reading its swapped-out pages into the swap
 *    cache (read_swap_cache_async).
 *  - COLD and PAGEOUT check the VMA as Linux does (-EINVAL on locked,
 *    PFN-mapped VMAs); COLD then ages the PTEs of the pages mapped only
 *    here and moves those pages to their inactive LRU list
 *    (folio_deactivate, mm/swap.c); PAGEOUT isolates them and reclaims
 *    them at once (reclaim_pages, mm/vmscan.c): dropped if clean cache,
 *    written if dirty file, swapped out if anon and swap exists.  Lock
 *    order: the PTE lock, then lru_lock.
 *  - POPULATE_READ/WRITE: faultin_page_range (mm/gup.c) with Linux's
 *    error mapping (-ENOMEM: hole, -EINVAL: incompatible mapping or
 *    rights, -EFAULT: SIGBUS/SIGSEGV while faulting).
 *  - REMOVE: needs a file (shmem comes with the next issue): -EINVAL.
 *  - COLLAPSE: mm/khugepaged.c's madvise_collapse, under the mmap_lock
 *    for writing (Linux takes it for reading and upgrades around each
 *    collapse).
 *  - PAGEOUT of a PMD-mapped THP the range covers whole hands the folio
 *    to reclaim, which splits it; a PTE-mapped THP only this process
 *    maps is split first (Linux's); COLD and FREE leave THPs alone.
 *  - HWPOISON/SOFT_OFFLINE: memory-failure injection is not modelled:
 *    -EINVAL.
 *
 * Locking: mmap_lock for writing for flag changes, for reading for the
 * page-level advice.
 */
#include <mmsim/huge_mm.h>
#include <mmsim/pagemap.h>
#include <mmsim/swapops.h>
#include "mm/vma.h"
#include "mm/lru_internal.h"
#include <mmsim/fcntl.h>

/* mm/fadvise.c (mm/pagecache_internal.h, which cannot follow mm/vma.h). */
int generic_fadvise(struct file *file, loff_t offset, loff_t len, int advice);

#define MADV_SOFT_OFFLINE_	101

static bool madvise_behavior_valid(int behavior)
{
	switch (behavior) {
	case MADV_DOFORK: case MADV_DONTFORK: case MADV_NORMAL: case MADV_SEQUENTIAL:
	case MADV_RANDOM: case MADV_REMOVE: case MADV_WILLNEED: case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED: case MADV_FREE: case MADV_COLD: case MADV_PAGEOUT:
	case MADV_POPULATE_READ: case MADV_POPULATE_WRITE: case MADV_MERGEABLE:
	case MADV_UNMERGEABLE: case MADV_HUGEPAGE: case MADV_NOHUGEPAGE: case MADV_COLLAPSE:
	case MADV_DONTDUMP: case MADV_DODUMP: case MADV_WIPEONFORK: case MADV_KEEPONFORK:
	case MADV_HWPOISON: case MADV_SOFT_OFFLINE_:
		return true;
	default:
		return false;
	}
}

static bool madvise_need_mmap_write(int behavior)
{
	switch (behavior) {
	case MADV_REMOVE: case MADV_WILLNEED: case MADV_DONTNEED: case MADV_DONTNEED_LOCKED:
	case MADV_COLD: case MADV_PAGEOUT: case MADV_FREE: case MADV_POPULATE_READ:
	case MADV_POPULATE_WRITE:
		return false;
	default:
		return true;
	}
}

static int madvise_update_vma(struct vm_area_struct *vma, struct vm_area_struct **prev,
			      unsigned long start, unsigned long end, vm_flags_t new_flags)
{
	if (new_flags == vma->vm_flags) {
		*prev = vma;
		return 0;
	}
	vma = vma_modify_flags(*prev, vma, start, end, new_flags);
	if (IS_ERR(vma))
		return (int)PTR_ERR(vma);
	*prev = vma;
	vma->vm_flags = new_flags;
	return 0;
}

/*
 * The walk MADV_FREE and MADV_COLD share (Linux's walk_page_range with a
 * pmd_entry each): every present normal page of [start, end), under the
 * PTE lock, is handed to @fn, which may rewrite its PTE (queuing the TLB
 * flush in @tlb) and move its folio between LRU lists (lru_lock nests
 * inside the PTE lock: docs/locking.md).
 */
typedef void (*madvise_pte_fn)(struct mmu_gather *tlb, struct vm_area_struct *vma,
			       unsigned long addr, pte_t *ptep, pte_t pte, struct folio *folio);

static void madvise_walk_ptes(struct vm_area_struct *vma, unsigned long start,
			      unsigned long end, madvise_pte_fn fn)
{
	struct mm_struct *mm = vma->vm_mm;
	struct mmu_gather tlb;
	unsigned long addr;

	tlb_gather_mmu(&tlb, mm);
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *ptep = mm_find_pte(mm, addr), pte;
		struct page *page;

		if (!ptep)
			continue;
		spin_lock(&mm->page_table_lock);
		pte = ptep_get(ptep);
		page = pte_present(pte) ? vm_normal_page(vma, addr, pte) : NULL;
		if (page)
			fn(&tlb, vma, addr, ptep, pte, page_folio(page));
		spin_unlock(&mm->page_table_lock);
	}
	tlb_finish_mmu(&tlb);
}

/* Replace @ptep's entry by @pte, flushing the old translation with @tlb. */
static void madvise_set_pte(struct mmu_gather *tlb, struct mm_struct *mm, unsigned long addr,
			    pte_t *ptep, pte_t pte)
{
	ptep_get_and_clear(mm, addr, ptep);
	set_pte_at(mm, addr, ptep, pte);
	tlb_remove_tlb_entry(tlb, ptep, addr);
}

/*
 * MADV_FREE on [start, end) of an anonymous VMA (madvise_free_pte_range):
 * each present anonymous page mapped only here gets a clean, old PTE and
 * loses PG_swapbacked (folio_mark_lazyfree): reclaim may then drop it
 * instead of swapping it, unless it is written again first (the write
 * dirties the PTE).  Until then it keeps its data and stays resident.
 */
static void madvise_free_pte(struct mmu_gather *tlb, struct vm_area_struct *vma,
			     unsigned long addr, pte_t *ptep, pte_t pte, struct folio *folio)
{
	if (!folio_test_anon(folio))
		return;
	if (test_page_flag(&folio->page, PG_dirty)) {
		/* only a folio this process alone maps may be made clean */
		if (folio_mapcount(folio) != 1)
			return;
		__atomic_fetch_and(&folio->page.flags, ~(1UL << PG_dirty), __ATOMIC_RELAXED);
	}
	if (pte_young(pte) || pte_dirty(pte))
		madvise_set_pte(tlb, vma->vm_mm, addr, ptep, pte_mkclean(pte_mkold(pte)));
	folio_mark_lazyfree(folio);	/* to the inactive file list (mm/swap.c) */
}

/*
 * The swap PTEs of [start, end) (madvise_free_pte_range's and
 * swapin_walk_pmd_entry's part): MADV_FREE drops them -- the data is
 * freeable, and a later read sees zeroes, as Linux -- and their slots
 * (free_swap_and_cache, MM_SWAPENTS); MADV_WILLNEED starts reading them
 * into the swap cache (read_swap_cache_async, not waited for).
 */
static void madvise_swap_ptes(struct vm_area_struct *vma, unsigned long start,
			      unsigned long end, bool free)
{
	struct mm_struct *mm = vma->vm_mm;
	unsigned long addr;

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *ptep = mm_find_pte(mm, addr), pte;
		swp_entry_t entry;
		struct folio *folio;

		if (!ptep)
			continue;
		spin_lock(&mm->page_table_lock);
		pte = ptep_get(ptep);
		if (!is_swap_pte(pte) || non_swap_entry(pte_to_swp_entry(pte))) {
			spin_unlock(&mm->page_table_lock);
			continue;
		}
		entry = pte_to_swp_entry(pte);
		if (free) {
			pte_clear(mm, addr, ptep);
			add_mm_counter(mm, MM_SWAPENTS, -1);
			free_swap_and_cache(entry);
			spin_unlock(&mm->page_table_lock);
			continue;
		}
		spin_unlock(&mm->page_table_lock);
		folio = read_swap_cache_async(entry, GFP_HIGHUSER_MOVABLE, vma, addr);
		if (folio)
			put_page(&folio->page);
	}
	if (!free)
		lru_add_drain();
}

static void madvise_free_range(struct vm_area_struct *vma, unsigned long start,
			       unsigned long end)
{
	update_hiwater_rss(vma->vm_mm);
	madvise_swap_ptes(vma, start, end, true);
	madvise_walk_ptes(vma, start, end, madvise_free_pte);
}

/*
 * MADV_COLD and MADV_PAGEOUT on [start, end) (Linux's
 * madvise_cold_or_pageout_pte_range): each present page on an LRU and
 * mapped only here loses PG_referenced (an active one gets PG_workingset);
 * COLD ages its PTE and moves it to its inactive list (folio_deactivate:
 * pgdeactivate for an active one); PAGEOUT isolates it (folio_isolate_lru,
 * under the PTE lock: lru_lock nests inside) and, after the walk, hands
 * the batch to reclaim_pages (mm/vmscan.c): clean cache is dropped, dirty
 * file folios written, anon ones swapped out if there is swap -- each
 * through the rmap, like reclaim -- and what could not go is put back.
 */
static bool madvise_cold_page_ok(struct folio *folio)
{
	return test_page_flag(&folio->page, PG_lru) && folio_mapcount(folio) == 1;
}

static void madvise_cold_prepare(struct folio *folio)
{
	__atomic_fetch_and(&folio->page.flags, ~(1UL << PG_referenced), __ATOMIC_RELAXED);
	if (test_page_flag(&folio->page, PG_active))
		__atomic_fetch_or(&folio->page.flags, 1UL << PG_workingset, __ATOMIC_RELAXED);
}

static void madvise_cold_pte(struct mmu_gather *tlb, struct vm_area_struct *vma,
			     unsigned long addr, pte_t *ptep, pte_t pte, struct folio *folio)
{
	if (!madvise_cold_page_ok(folio))
		return;
	if (pte_young(pte))
		madvise_set_pte(tlb, vma->vm_mm, addr, ptep, pte_mkold(pte));
	madvise_cold_prepare(folio);
	folio_deactivate(folio);
}

static void madvise_cold_range(struct vm_area_struct *vma, unsigned long start,
			       unsigned long end)
{
	lru_add_drain();
	madvise_walk_ptes(vma, start, end, madvise_cold_pte);
}

static void madvise_pageout_range(struct vm_area_struct *vma, unsigned long start,
				  unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	LIST_HEAD(folio_list);
	unsigned long addr;

	lru_add_drain();
	for (addr = start; addr < end; addr += PAGE_SIZE) {
		pte_t *ptep = mm_find_pte(mm, addr), pte;
		struct page *page;
		struct folio *folio;

		if (!ptep) {
			/* A PMD-mapped THP the range covers whole goes to reclaim
			 * whole (which splits it: thp_swpout_fallback). */
			pmd_t *pmd = mm_find_pmd(mm, addr);

			if (!pmd || (addr & ~HPAGE_PMD_MASK) || addr + HPAGE_PMD_SIZE > end)
				continue;
			spin_lock(&mm->page_table_lock);
			folio = huge_pmd_folio(vma, pmdp_get(pmd));
			if (folio && madvise_cold_page_ok(folio)) {
				madvise_cold_prepare(folio);
				if (folio_isolate_lru(folio)) {
					if (test_page_flag(&folio->page, PG_unevictable))
						folio_putback_lru(folio);
					else
						lru_list_add_tail(&folio->page.lru, &folio_list);
				}
			}
			spin_unlock(&mm->page_table_lock);
			continue;
		}
		spin_lock(&mm->page_table_lock);
		pte = ptep_get(ptep);
		page = pte_present(pte) ? vm_normal_page(vma, addr, pte) : NULL;
		folio = page ? page_folio(page) : NULL;
		if (folio && folio_test_large(folio)) {
			/* A PTE-mapped THP mapped by this process only
			 * (folio_estimated_sharers): split it, then look at
			 * this page again (Linux's). */
			bool split = page_mapcount(page) == 1 && folio_trylock(folio);

			if (split)
				get_page(&folio->page);
			spin_unlock(&mm->page_table_lock);
			if (split) {
				int err = split_folio(folio);

				folio_unlock(folio);
				put_page(&folio->page);
				if (!err)
					addr -= PAGE_SIZE;
			}
			continue;
		}
		if (folio && madvise_cold_page_ok(folio)) {
			madvise_cold_prepare(folio);
			if (folio_isolate_lru(folio)) {
				if (test_page_flag(&folio->page, PG_unevictable))
					folio_putback_lru(folio);
				else
					lru_list_add_tail(&folio->page.lru, &folio_list);
			}
		}
		spin_unlock(&mm->page_table_lock);
	}
	reclaim_pages(&folio_list);
}

static int madvise_dontneed_free(struct vm_area_struct *vma, struct vm_area_struct **prev,
				 unsigned long start, unsigned long end, int behavior)
{
	vm_flags_t forbidden = VM_PFNMAP;
	struct zap_details details = { .even_cows = true };

	*prev = vma;
	if (behavior != MADV_DONTNEED_LOCKED)
		forbidden |= VM_LOCKED;
	if (vma->vm_flags & forbidden)
		return -EINVAL;
	if (behavior == MADV_FREE) {
		/* MADV_FREE works for only anon vma at the moment */
		if (!vma_is_anonymous(vma) || (vma->vm_flags & VM_SHARED))
			return -EINVAL;
		start = max(vma->vm_start, start);
		end = min(vma->vm_end, end);
		if (start < end)
			madvise_free_range(vma, start, end);
		return 0;
	}
	if (start == end)
		return 0;
	zap_page_range_single(vma, start, end - start, &details);
	return 0;
}

/*
 * MADV_WILLNEED (Linux's madvise_willneed): on a file VMA, readahead of
 * the file range it maps (POSIX_FADV_WILLNEED: not waited for).  Linux
 * drops mmap_lock around it; mmsim keeps it (readahead does not take it).
 * Anonymous memory: the swapped-out pages of the range are read into the
 * swap cache (Linux's swapin_walk_ops), not mapped.
 */
static int madvise_willneed(struct vm_area_struct *vma, struct vm_area_struct **prev,
			    unsigned long start, unsigned long end)
{
	struct file *file = vma->vm_file;
	loff_t offset;

	*prev = vma;
	if (!file) {
		madvise_swap_ptes(vma, start, end, false);
		return 0;
	}
	offset = (loff_t)(start - vma->vm_start) + ((loff_t)vma->vm_pgoff << PAGE_SHIFT);
	generic_fadvise(file, offset, (loff_t)(end - start), POSIX_FADV_WILLNEED);
	return 0;
}

static int madvise_vma_behavior(struct vm_area_struct *vma, struct vm_area_struct **prev,
				unsigned long start, unsigned long end, int behavior)
{
	vm_flags_t new_flags = vma->vm_flags;
	int error;

	switch (behavior) {
	case MADV_REMOVE:
		/* VM_LOCKED, or no file behind it (anonymous memory): -EINVAL */
		*prev = NULL;
		return -EINVAL;
	case MADV_WILLNEED:
		return madvise_willneed(vma, prev, start, end);
	case MADV_COLD:
	case MADV_PAGEOUT:
		*prev = vma;
		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_HUGETLB))
			return -EINVAL;
		if (behavior == MADV_COLD)
			madvise_cold_range(vma, start, end);
		else
			madvise_pageout_range(vma, start, end);
		return 0;
	case MADV_FREE:
	case MADV_DONTNEED:
	case MADV_DONTNEED_LOCKED:
		return madvise_dontneed_free(vma, prev, start, end, behavior);
	case MADV_COLLAPSE:
		/* mm/khugepaged.c; the mmap_lock is held for writing here. */
		*prev = vma;
		return madvise_collapse(vma, start, end);
	case MADV_NORMAL:
		new_flags &= ~(VM_RAND_READ | VM_SEQ_READ);
		break;
	case MADV_SEQUENTIAL:
		new_flags = (new_flags & ~VM_RAND_READ) | VM_SEQ_READ;
		break;
	case MADV_RANDOM:
		new_flags = (new_flags & ~VM_SEQ_READ) | VM_RAND_READ;
		break;
	case MADV_DONTFORK:
		new_flags |= VM_DONTCOPY;
		break;
	case MADV_DOFORK:
		if (vma->vm_flags & VM_IO)
			return -EINVAL;
		new_flags &= ~VM_DONTCOPY;
		break;
	case MADV_WIPEONFORK:
		/* MADV_WIPEONFORK is only supported on anonymous memory. */
		if (vma->vm_file || (vma->vm_flags & VM_SHARED))
			return -EINVAL;
		new_flags |= VM_WIPEONFORK;
		break;
	case MADV_KEEPONFORK:
		new_flags &= ~VM_WIPEONFORK;
		break;
	case MADV_DONTDUMP:
		new_flags |= VM_DONTDUMP;
		break;
	case MADV_DODUMP:
		if (new_flags & VM_SPECIAL)
			return -EINVAL;
		new_flags &= ~VM_DONTDUMP;
		break;
	case MADV_MERGEABLE:
		if (!(new_flags & (VM_SHARED | VM_MAYSHARE | VM_SPECIAL | VM_HUGETLB)))
			new_flags |= VM_MERGEABLE;
		break;
	case MADV_UNMERGEABLE:
		new_flags &= ~VM_MERGEABLE;
		break;
	case MADV_HUGEPAGE:
		new_flags = (new_flags & ~VM_NOHUGEPAGE) | VM_HUGEPAGE;
		khugepaged_enter_vma(vma, new_flags);	/* hugepage_madvise */
		break;
	case MADV_NOHUGEPAGE:
		new_flags = (new_flags & ~VM_HUGEPAGE) | VM_NOHUGEPAGE;
		break;
	}
	error = madvise_update_vma(vma, prev, start, end, new_flags);
	/* madvise() returns EAGAIN if kernel resources are temporarily unavailable. */
	if (error == -ENOMEM)
		error = -EAGAIN;
	return error;
}

static int madvise_walk_vmas(struct mm_struct *mm, unsigned long start, unsigned long end,
			     int behavior)
{
	struct vm_area_struct *vma, *prev;
	unsigned long tmp;
	int unmapped_error = 0, error;

	vma = find_vma_prev(mm, start, &prev);
	if (vma && start > vma->vm_start)
		prev = vma;
	for (;;) {
		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start) {
			unmapped_error = -ENOMEM;
			start = vma->vm_start;
			if (start >= end)
				break;
		}
		tmp = min(vma->vm_end, end);
		error = madvise_vma_behavior(vma, &prev, start, tmp, behavior);
		if (error)
			return error;
		start = tmp;
		if (prev && start < prev->vm_end)
			start = prev->vm_end;
		if (start >= end)
			break;
		vma = find_vma(mm, prev ? prev->vm_end : start);
	}
	return unmapped_error;
}

static long madvise_populate(struct mm_struct *mm, unsigned long start, unsigned long end,
			     int behavior)
{
	const bool write = behavior == MADV_POPULATE_WRITE;
	int locked = 1;
	long pages;

	while (start < end) {
		pages = faultin_page_range(mm, start, end, write, &locked);
		if (!locked) {
			mmap_read_lock(mm);
			locked = 1;
		}
		if (pages < 0) {
			switch (pages) {
			case -EINTR:
			case -EINVAL:
			case -EHWPOISON:
			case -EFAULT:
				return pages;
			default:
				pr_warn_once("%s: unhandled return value: %ld\n", "madvise_populate",
					     pages);
				return -ENOMEM;
			case -ENOMEM:
				return -ENOMEM;
			}
		}
		start += (unsigned long)pages * PAGE_SIZE;
	}
	return 0;
}

long do_madvise_mm(struct mm_struct *mm, unsigned long start, size_t len_in, int behavior)
{
	unsigned long end, len;
	bool write;
	long error;

	if (!madvise_behavior_valid(behavior))
		return -EINVAL;
	if (start & ~PAGE_MASK)
		return -EINVAL;
	len = PAGE_ALIGN(len_in);
	/* Check to see whether len was rounded up from small -ve to zero */
	if (len_in && !len)
		return -EINVAL;
	end = start + len;
	if (end < start)
		return -EINVAL;
	if (end == start)
		return 0;
	if (behavior == MADV_HWPOISON || behavior == MADV_SOFT_OFFLINE_)
		return -EINVAL;	/* no memory-failure injection */
	write = madvise_need_mmap_write(behavior);
	if (write)
		mmap_write_lock(mm);
	else
		mmap_read_lock(mm);
	if (behavior == MADV_POPULATE_READ || behavior == MADV_POPULATE_WRITE)
		error = madvise_populate(mm, start, end, behavior);
	else
		error = madvise_walk_vmas(mm, start, end, behavior);
	if (write)
		mmap_write_unlock(mm);
	else
		mmap_read_unlock(mm);
	return error;
}

long sys_madvise(unsigned long start, size_t len, int advice)
{
	long err = syscall_enter_check();

	if (err)
		return err;
	return do_madvise_mm(current_user_mm(), start, len, advice);
}
