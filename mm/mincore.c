// SPDX-License-Identifier: GPL-2.0
/*
 * mm/mincore.c - mincore(2), Linux 6.x: one byte per page of the range,
 * bit 0 set when the page is resident.
 *
 * For anonymous memory a page is resident when its PTE is present (the
 * shared zero page included); a none PTE is not; a swap PTE is resident
 * iff the swap cache holds its page uptodate (Linux's mincore_page on the
 * swap address_space: a page read ahead, or swapped out and not yet
 * reclaimed from the cache); so is a shmem page swapped out of its file
 * (the swap entry its mapping holds: filemap_get_incore_folio).  For a
 * VMA with a file, a none PTE reads the file's page cache (mincore_page):
 * 1 when the cache holds the page uptodate, e.g. one read ahead, faulted
 * by another process or kept there by MADV_DONTNEED.
 * Errors as Linux: -EINVAL for an unaligned start, -ENOMEM for a range
 * outside the user address space or with an unmapped page in it (the
 * bytes of the pages before the hole are written), 0 for len 0.
 * @vec is host memory (DESIGN §3b): no -EFAULT for it.
 *
 * Locking: mmap_lock for reading, per chunk of PAGE_SIZE pages (Linux's
 * temporary buffer); PTEs are read without the page-table lock, as the
 * lockless walk reads them.
 */
#include <mmsim/huge_mm.h>
#include <string.h>
#include <mmsim/fs.h>
#include <mmsim/pagemap.h>
#include <mmsim/swapops.h>
#include <mmsim/shmem_fs.h>
#include "mm/vma.h"
#include "mm/shmem_internal.h"
#include <mmsim/hugetlb.h>

/* Is @entry's page in the swap cache, uptodate (mincore_page on the swap address_space)? */
static unsigned char mincore_swap(swp_entry_t entry)
{
	struct swap_info_struct *si = get_swap_device(entry);
	struct folio *folio;
	unsigned char present = 0;
	void *e;

	if (!si)
		return 0;
	/* A plain lookup: mincore is no readahead hit (filemap_get_folio). */
	{
		struct address_space *as = swap_address_space(entry);
		XA_STATE(xas, &as->i_pages, swap_cache_index(entry));

		xas_lock(&xas);
		e = xas_load(&xas);
		folio = e && !xa_is_value(e) ? e : NULL;
		if (folio)
			get_page(&folio->page);
		xas_unlock(&xas);
	}
	if (folio) {
		present = test_page_flag(&folio->page, PG_uptodate);
		put_page(&folio->page);
	}
	put_swap_device(si);
	return present;
}

/*
 * A shmem page swapped out: its mapping holds the swap entry as a value
 * entry (mm/shmem_swap.c's encoding); resident iff the swap cache has it
 * (filemap_get_incore_folio).
 */
static unsigned char mincore_shmem_swapped(struct address_space *mapping, pgoff_t index)
{
	void *e;

	if (!shmem_mapping(mapping))
		return 0;
	e = xa_load(&mapping->i_pages, index);
	if (!xa_is_value(e))
		return 0;
	return mincore_swap((swp_entry_t){ shmem_radix_to_swp_val(e) });
}

/* The bytes of the pages [addr, addr + pages pages) in one VMA; pages done or -errno. */
static long do_mincore(struct mm_struct *mm, unsigned long addr, unsigned long pages,
		       unsigned char *vec)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	unsigned long end, a;
	long n = 0;

	if (!vma)
		return -ENOMEM;
	end = min(vma->vm_end, addr + (pages << PAGE_SHIFT));
	for (a = addr; a < end; a += PAGE_SIZE, n++) {
		pte_t *ptep, pte;

		if (is_vm_hugetlb_page(vma)) {	/* mincore_hugetlb */
			vec[n] = hugetlb_page_mapped(vma, a);
			continue;
		}
		ptep = mm_find_pte(mm, a);
		pte = ptep ? ptep_get(ptep) : __pte(0);

		if (!ptep) {
			/* A PMD leaf (THP): every page under it is resident. */
			pmd_t *pmd = mm_find_pmd(mm, a);

			if (pmd && pmd_trans_huge(pmdp_get(pmd))) {
				vec[n] = 1;
				continue;
			}
		}

		/* Linux's pte_present() includes PROT_NONE entries */
		vec[n] = pte_present(pte) || pte_protnone(pte) ? 1 : 0;
		if (!vec[n] && is_swap_pte(pte)) {
			/* swapped out: resident iff its swap cache holds it uptodate */
			swp_entry_t entry = pte_to_swp_entry(pte);

			vec[n] = non_swap_entry(entry) ? 1 : mincore_swap(entry);
		} else if (!vec[n] && pte_none(pte) && vma->vm_file) {
			/* mincore_page: is it in the page cache? */
			struct page *page = find_get_page(vma->vm_file->f_mapping,
							  linear_page_index(vma, a));

			vec[n] = page && PageUptodate(page);
			if (page)
				put_page(page);
			else
				vec[n] = mincore_shmem_swapped(vma->vm_file->f_mapping,
							       linear_page_index(vma, a));
		}
	}
	return n;
}

long sys_mincore(unsigned long start, size_t len, unsigned char *vec)
{
	struct mm_struct *mm;
	unsigned long pages;
	long retval = syscall_enter_check();

	if (retval)
		return retval;
	mm = current_user_mm();
	/* Check the start address: needs to be page-aligned.. */
	if (start & ~PAGE_MASK)
		return -EINVAL;
	/* ..and we need to be passed a valid user-space range */
	if (len > TASK_SIZE || start > TASK_SIZE - len)
		return -ENOMEM;
	pages = len >> PAGE_SHIFT;
	pages += (len & ~PAGE_MASK) != 0;
	if (pages && !vec)
		return -EFAULT;
	retval = 0;
	while (pages) {
		mmap_read_lock(mm);
		retval = do_mincore(mm, start, min(pages, PAGE_SIZE), vec);
		mmap_read_unlock(mm);
		if (retval <= 0)
			break;
		pages -= (unsigned long)retval;
		vec += retval;
		start += (unsigned long)retval << PAGE_SHIFT;
		retval = 0;
	}
	return retval;
}
