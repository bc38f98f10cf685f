/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hugetlb.h - the hugetlb page pools (Linux's include/linux/hugetlb.h).
 * Implementation, locking and invariants: mm/hugetlb.c.
 *
 * One struct hstate per huge page size the arch offers (x86_64: 2M and 1G;
 * arm64 4K granule: 64K (contiguous PTEs), 2M, 32M (contiguous PMDs), 1G;
 * ...).  Pools are filled at boot (hugepages=, hugepagesz=,
 * default_hugepagesz=; gigantic pages from memblock) or at run time
 * (nr_hugepages, order-N buddy allocations), and can grow past nr_hugepages
 * by nr_overcommit_hugepages surplus pages.  A MAP_HUGETLB / SHM_HUGETLB
 * mapping reserves its pages at mmap time (HugePages_Rsvd) and maps them
 * whole, as PMD (or PUD, or contiguous) leaves, on fault: hugetlb_fault().
 * VMAs with VM_HUGETLB are handled by the hugetlb_* functions wherever the
 * generic walkers would see PTEs (fault, unmap, fork, mprotect, GUP, smaps).
 */
#ifndef MMSIM_HUGETLB_H
#define MMSIM_HUGETLB_H

#include <mmsim/mm.h>
#include <mmsim/mm_vma.h>

struct seq_file;
struct mmu_gather;
struct inode;

static inline bool is_vm_hugetlb_page(const struct vm_area_struct *vma)
{
	return (vma->vm_flags & VM_HUGETLB) != 0;
}

vm_fault_t hugetlb_fault(struct mm_struct *mm, struct vm_area_struct *vma,
			 unsigned long address, unsigned int flags);
int copy_hugetlb_page_range(struct mm_struct *dst, struct mm_struct *src,
			    struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma);
void unmap_hugepage_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
long hugetlb_change_protection(struct vm_area_struct *vma, unsigned long address,
			       unsigned long end, pgprot_t newprot);
/* Reserve the pages of [from, to) (huge-page units) of a new mapping; false: -ENOMEM. */
bool hugetlb_reserve_pages(struct inode *inode, long from, long to,
			   struct vm_area_struct *vma, vm_flags_t vm_flags);

/* /proc/meminfo's HugePages_* / Hugepagesize / Hugetlb lines, and the total in pages. */
void hugetlb_report_meminfo(struct seq_file *m);
unsigned long hugetlb_total_pages(void);
/* The default huge page size in bytes (Hugepagesize). */
unsigned long huge_page_size_default(void);

#endif
