// SPDX-License-Identifier: GPL-2.0
/*
 * mm/memory_copy.c - fork's copy of the page tables (Linux's
 * copy_page_range and copy_present_pte of mm/memory.c).
 *
 * Design.  dup_mmap (kernel/fork.c) copies each VMA and calls
 * copy_page_range for it after anon_vma_fork gave the child's VMA its
 * anon_vma.  Only VMAs whose PTEs a fault could not rebuild are copied:
 * those with an anon_vma (private pages exist) or VM_PFNMAP/VM_MIXEDMAP;
 * for the others the child faults as the parent did (the zero page, file
 * pages).  For each present PTE:
 *   - an anonymous page is shared copy-on-write: folio_try_dup_anon_rmap_pte
 *     clears PageAnonExclusive and adds the child's mapcount, and the PTE is
 *     write-protected in BOTH parent and child when the mapping is a
 *     private writable one (is_cow_mapping); the parent's TLB is flushed
 *     once by the caller, dup_mmap, after the last VMA (flush_tlb_mm);
 *   - a page that may be DMA-pinned (folio_maybe_dma_pinned, only looked at
 *     once the mm ever pinned: MMF_HAS_PINNED) and is exclusive is not
 *     shared: the child gets a copy at once (Linux's copy_present_page) and
 *     the parent keeps its page writable, so the pin stays coherent with
 *     the parent's mapping;
 *   - shared mappings share the page (mapcount and refcount + 1, PTE
 *     clean in the child) -- when they are copied at all: a shared VMA
 *     without an anon_vma (shmem) is skipped, the child faults its pages
 *     in from the object (vma_needs_copy);
 *   - the zero page is copied as is and not counted;
 *   - a swap PTE (a private anon page swapped out) is copied with one
 *     more count of its slot (swap_duplicate, MM_SWAPENTS), and its
 *     swap-exclusive bit cleared in the parent (copy_nonpresent_pte): the
 *     page is shared until a write fault copies or reuses it.
 * Every PTE in the child starts old (Accessed clear), as Linux's.
 *
 * Locking: mmap_lock of both mms held for writing; the child's PTE lock,
 * then the parent's (two different mms: no inversion).  The copy of a
 * pinned page is allocated with both dropped, then the PTE is redone.
 */
#include <errno.h>
#include "mm/fault_internal.h"
#include <mmsim/swapops.h>
#include <mmsim/highmem.h>


static bool vma_needs_copy(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma)
{
	(void)dst_vma;
	if (src_vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))
		return true;
	return src_vma->anon_vma != NULL;
}

/*
 * Copy one present PTE.  Returns 0, or -EAGAIN when the page must be copied
 * and *prealloc is NULL (the caller allocates one and calls again).
 */
static int copy_present_pte(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma,
			    pte_t *dst_pte, pte_t *src_pte, unsigned long addr, long *rss,
			    struct page **prealloc)
{
	struct mm_struct *src_mm = src_vma->vm_mm;
	pte_t pte = ptep_get(src_pte);
	struct page *page = vm_normal_page(src_vma, addr, pte);

	if (page && page_is_anon(page)) {
		struct folio *folio = page_folio(page);

		get_page(page);
		if (unlikely(folio_try_dup_anon_rmap_pte(folio, page, src_vma))) {
			struct page *new_page = *prealloc;

			put_page(page);
			if (!new_page)
				return -EAGAIN;
			/* copy_present_page: the child gets its own copy now. */
			*prealloc = NULL;
			copy_highpage(new_page, page);
			SetPageUptodate(new_page);
			folio_add_new_anon_rmap(page_folio(new_page), dst_vma, addr, RMAP_EXCLUSIVE);
			folio_add_lru_vma(page_folio(new_page), dst_vma);
			rss[MM_ANONPAGES]++;
			pte = mk_pte(new_page, dst_vma->vm_page_prot);
			pte = pte_mkdirty(pte);
			if (dst_vma->vm_flags & VM_WRITE)
				pte = pte_mkwrite(pte, dst_vma);
			set_pte_at(dst_vma->vm_mm, addr, dst_pte, pte);
			return 0;
		}
		rss[MM_ANONPAGES]++;
	} else if (page) {
		get_page(page);
		folio_dup_file_rmap_pte(page_folio(page), page);
		rss[mm_counter_file(page_folio(page))]++;
	}

	if (is_cow_mapping(src_vma->vm_flags) && pte_write(pte)) {
		ptep_set_wrprotect(src_mm, addr, src_pte);
		pte = pte_wrprotect(ptep_get(src_pte));
	}
	if (src_vma->vm_flags & VM_SHARED)
		pte = pte_mkclean(pte);
	pte = pte_mkold(pte);
	set_pte_at(dst_vma->vm_mm, addr, dst_pte, pte);
	return 0;
}

/*
 * Copy one swap PTE (Linux's copy_nonpresent_pte): the child's PTE holds
 * the same slot, one more count of it (swap_duplicate), and neither side
 * may now assume the page is exclusive: the parent's swap-exclusive bit is
 * cleared.  0, or -ENOMEM when the slot's count is full (Linux would add a
 * continuation page: mmsim has none) or the entry is bad.
 */
static int copy_nonpresent_pte(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma,
			       pte_t *dst_pte, pte_t *src_pte, unsigned long addr, long *rss)
{
	pte_t orig = ptep_get(src_pte), pte = orig;
	swp_entry_t entry = pte_to_swp_entry(orig);

	if (is_migration_entry(entry)) {
		struct folio *folio = pfn_swap_entry_folio(entry);

		/* Linux: the page counts in the child's rss; a writable (or
		 * exclusive) entry of a COW mapping becomes a read one in both,
		 * for the page is now shared.  No mapcount: none while migrating. */
		rss[folio_test_anon(folio) ? MM_ANONPAGES : mm_counter_file(folio)]++;
		if (!is_readable_migration_entry(entry) && is_cow_mapping(src_vma->vm_flags)) {
			entry = make_readable_migration_entry(swp_offset(entry));
			pte = swp_entry_to_pte(entry);
			set_pte_at(src_vma->vm_mm, addr, src_pte, pte);
		}
		set_pte_at(dst_vma->vm_mm, addr, dst_pte, pte);
		return 0;
	}
	if (unlikely(non_swap_entry(entry)))
		return -EIO;
	if (swap_duplicate(entry) < 0)
		return -ENOMEM;
	if (pte_swp_exclusive(orig)) {
		pte = pte_swp_clear_exclusive(orig);
		set_pte_at(src_vma->vm_mm, addr, src_pte, pte);
	}
	rss[MM_SWAPENTS]++;
	set_pte_at(dst_vma->vm_mm, addr, dst_pte, pte);
	return 0;
}

/* Copy the PTEs of [addr, end), all under one PMD. */
static int copy_pte_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma,
			  unsigned long addr, unsigned long end)
{
	struct mm_struct *dst_mm = dst_vma->vm_mm, *src_mm = src_vma->vm_mm;
	struct page *prealloc = NULL;
	long rss[NR_MM_COUNTERS] = { 0 };
	int ret = 0;

again:
	{
		pte_t *src_pte = mm_find_pte(src_mm, addr), *dst_pte;

		if (!src_pte)
			goto out;
		dst_pte = walk_to_pte_alloc(dst_mm, addr);
		if (!dst_pte) {
			ret = -ENOMEM;
			goto out;
		}
		spin_lock(pte_lockptr(dst_mm));
		spin_lock(pte_lockptr(src_mm));
		for (; addr != end; addr += PAGE_SIZE, src_pte = pte_next(src_pte),
		     dst_pte = pte_next(dst_pte)) {
			pte_t pte = ptep_get(src_pte);

			if (pte_none(pte))
				continue;
			if (!pte_present(pte)) {
				ret = copy_nonpresent_pte(dst_vma, src_vma, dst_pte, src_pte, addr,
							  rss);
				if (ret)
					break;
				continue;
			}
			if (copy_present_pte(dst_vma, src_vma, dst_pte, src_pte, addr, rss,
					     &prealloc) == -EAGAIN) {
				spin_unlock(pte_lockptr(src_mm));
				spin_unlock(pte_lockptr(dst_mm));
				prealloc = alloc_page(GFP_HIGHUSER_MOVABLE);
				if (!prealloc) {
					ret = -ENOMEM;
					goto out;
				}
				goto again;
			}
		}
		spin_unlock(pte_lockptr(src_mm));
		spin_unlock(pte_lockptr(dst_mm));
		if (ret)
			goto out;
	}
out:
	if (prealloc)
		__free_page(prealloc);
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		if (rss[i])
			add_mm_counter(dst_mm, i, rss[i]);
	return ret;
}

int copy_page_range(struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma)
{
	unsigned long addr = src_vma->vm_start, end = src_vma->vm_end;
	int ret = 0;

	if (!vma_needs_copy(dst_vma, src_vma))
		return 0;
	while (addr < end && mm_next_pte_table(src_vma->vm_mm, &addr, end)) {
		unsigned long next = pmd_addr_end(addr, end);

		ret = copy_pte_range(dst_vma, src_vma, addr, next);
		if (ret)
			break;
		addr = next;
	}
	/*
	 * The parent may cache writable translations of what is now COW: as
	 * in Linux, dup_mmap flushes the parent's TLB once, after the last
	 * VMA (flush_tlb_mm(oldmm)), before it drops oldmm's mmap_lock.
	 */
	return ret;
}
