/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hugetlb.h - the hugetlb page pools (Linux's include/linux/hugetlb.h).
 * Implementation, locking and invariants: mm/hugetlb.c (pools, faults,
 * reservations) and mm/hugetlb_files.c (boot parameters, sysfs, sysctl,
 * meminfo).  docs/hugetlb.md has the design and the departures.
 *
 * One struct hstate per huge page size the arch offers (x86_64: 2M and 1G;
 * i386: 4M (2M with PAE); arm64, per granule, Linux's hugetlbpage.c sizes:
 * 4K pages 64K (16 contiguous PTEs), 2M (PMD), 32M (16 contiguous PMDs),
 * 1G (PUD); 16K pages 2M (128 PTEs), 32M (PMD), 1G (32 PMDs); 64K pages
 * 2M (32 PTEs), 512M (PMD), 16G (32 PMDs)).  A contiguous size is mapped
 * by a run of entries with PTE_CONT, each mapping the next piece of the
 * folio, handled as one (mm/hugetlb_fault.c).  Pools are filled at boot
 * (hugepages=, hugepagesz=, default_hugepagesz=; gigantic pages from
 * memblock) or at run time (nr_hugepages, order-N buddy allocations), and
 * can grow past nr_hugepages by nr_overcommit_hugepages surplus pages.  A
 * MAP_HUGETLB / SHM_HUGETLB mapping reserves its pages at mmap time
 * (HugePages_Rsvd) and maps them whole, as PMD (or PUD) leaves or
 * contiguous runs, on fault:
 * hugetlb_fault().  VMAs with VM_HUGETLB are handled by the hugetlb_*
 * functions wherever the generic walkers would see PTEs (fault, unmap,
 * fork, mprotect, GUP, smaps).
 */
#ifndef MMSIM_HUGETLB_H
#define MMSIM_HUGETLB_H

#include <mmsim/mm.h>
#include <mmsim/mm_vma.h>
#include <mmsim/mmzone.h>
#include <mmsim/rmap.h>

struct seq_file;
struct mmu_gather;
struct inode;
struct file;

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

/* ---------------------------------------------------------------------
 * Pools (mm/hugetlb.c)
 */

#define HUGE_MAX_HSTATE	4

/*
 * struct hstate - one huge page size and its pool.  Counts are in huge
 * pages, under the machine's hugetlb_lock.  Invariants (hugetlb_pool_is_valid):
 *   free_huge_pages <= nr_huge_pages,
 *   surplus_huge_pages <= nr_huge_pages, resv_huge_pages <= free_huge_pages,
 *   each *_node[] sums to its global count,
 *   the free lists hold exactly free_huge_pages_node[nid] folios.
 */
struct hstate {
	unsigned int order;			/* huge_page_order: base pages 2^order */
	int level;				/* PGT_PTE (arm64 CONT_PTE), PGT_PMD or PGT_PUD:
						 * where its leaves live */
	bool gigantic;				/* order > MAX_PAGE_ORDER: memblock at boot only */
	char name[32];				/* "hugepages-2048kB" */
	unsigned long max_huge_pages;		/* persistent pool size asked (nr_hugepages sysctl) */
	unsigned long nr_huge_pages;		/* folios in the pool, surplus included */
	unsigned long free_huge_pages;		/* on the free lists */
	unsigned long resv_huge_pages;		/* promised to mappings, not yet faulted */
	unsigned long surplus_huge_pages;	/* allocated past max_huge_pages (overcommit) */
	unsigned long nr_overcommit_huge_pages;	/* surplus allowed */
	unsigned long nr_huge_pages_node[MAX_NUMNODES];
	unsigned long free_huge_pages_node[MAX_NUMNODES];
	unsigned long surplus_huge_pages_node[MAX_NUMNODES];
	struct list_head hugepage_freelists[MAX_NUMNODES];	/* head->lru */
	int next_nid_to_alloc, next_nid_to_free;	/* round robin over the nodes */
};

static inline unsigned int huge_page_order(const struct hstate *h) { return h->order; }
static inline unsigned int huge_page_shift(const struct hstate *h) { return h->order + PAGE_SHIFT; }
static inline unsigned long huge_page_size(const struct hstate *h) { return PAGE_SIZE << h->order; }
static inline unsigned long huge_page_mask(const struct hstate *h) { return ~(huge_page_size(h) - 1); }
static inline unsigned long pages_per_huge_page(const struct hstate *h) { return 1UL << h->order; }
static inline unsigned long persistent_huge_pages(const struct hstate *h)
{
	return h->nr_huge_pages - h->surplus_huge_pages;
}

/* The machine's hstates: hugetlb_max_hstate of them, the default one. */
struct hstate *hstate_array(int *nr);
struct hstate *default_hstate(void);
struct hstate *size_to_hstate(unsigned long size);	/* bytes; NULL: no such size */
struct hstate *hstate_vma(const struct vm_area_struct *vma);
static inline unsigned long vma_kernel_pagesize(const struct vm_area_struct *vma)
{
	return is_vm_hugetlb_page(vma) ? huge_page_size(hstate_vma(vma)) : PAGE_SIZE;
}

/*
 * Hugetlb folios: a compound page whose head carries the PG_hugetlb page
 * type (Linux 6.9's scheme: a cleared bit of page_type), so the head's
 * _mapcount word is taken; the number of PMD/PUD leaves mapping the folio
 * lives in the first tail page (Linux's _entire_mapcount).
 */
#define PG_hugetlb	0x00000800u
static inline bool folio_test_hugetlb(const struct folio *folio)
{
	const struct page *p = &folio->page;

	return PageHead(p) && (page_type_read(p) & (PAGE_TYPE_BASE | PG_hugetlb)) == PAGE_TYPE_BASE;
}
static inline bool PageHuge(const struct page *page)
{
	return folio_test_hugetlb((const struct folio *)compound_head(page));
}
/* folio_entire_mapcount: <mmsim/rmap.h> (page[1]._entire_mapcount, shared with THP). */

/* The last reference of a hugetlb folio went (put_page): back to its pool. */
void free_huge_folio(struct folio *folio);

/* ---------------------------------------------------------------------
 * Mappings (mm/hugetlb.c)
 */

/* mmap(MAP_HUGETLB): the hstate of the MAP_HUGE_* size bits; NULL: -EINVAL. */
struct hstate *hstate_from_mmap_flags(unsigned long flags);
/*
 * hugetlb_file_setup - an unlinked hugetlbfs file (Linux's anonymous
 * hugetlbfs inode) of @size bytes rounded up to @h's size, shared
 * (MAP_SHARED, SHM_HUGETLB) or private; /proc/PID/maps names it
 * "@name (deleted)".  Its mappings reserve their pages at mmap time.
 * An ERR_PTR: -EINVAL (no such size), -ENOMEM.
 */
struct file *hugetlb_file_setup(const char *name, unsigned long size, struct hstate *h,
				bool shared);
bool is_file_hugepages(const struct file *file);
/* SysV shm glue (ipc/shm.c puts its own f_op on a SHM_HUGETLB segment's
 * file): its ->mmap and ->release call these; a segment reserves at shmget. */
int hugetlbfs_file_mmap(struct file *file, struct vm_area_struct *vma);
int hugetlb_file_release(struct file *file);
bool hugetlb_file_reserve(struct file *file, vm_flags_t acctflag);
struct hstate *hstate_file(struct file *file);
/* fork: a private mapping's child gets no reservation (Linux's hugetlb_dup_vma_private). */
void hugetlb_dup_vma_private(struct vm_area_struct *vma);
/* GUP: the subpage at @address of the leaf mapping it, with a reference
 * (FOLL_GET) or pin; 0, -EAGAIN (fault it first: absent or not writable),
 * -EFAULT. */
int hugetlb_follow_page(struct vm_area_struct *vma, unsigned long address, unsigned int flags,
			struct page **pagep);
/* mincore: a leaf maps @addr of @vma. */
bool hugetlb_page_mapped(struct vm_area_struct *vma, unsigned long addr);
/* /proc/PID/status HugetlbPages (kB), smaps' Shared/Private_Hugetlb (bytes). */
unsigned long hugetlb_mm_usage_kb(struct mm_struct *mm);
void hugetlb_vma_usage(struct vm_area_struct *vma, unsigned long *shared, unsigned long *private_);
/* mm/show_mem.c: the "Node N hugepages_total=..." lines. */
void hugetlb_show_meminfo_node(int nid);
bool hugetlb_mapcounts_valid_for(struct mm_struct **mms, int nr);
/* mm/mm_init.c: gigantic boot pages from memblock, before memblock_free_all. */
int hugetlb_bootmem_alloc(struct mmsim *m, char *err, size_t len);
/* mm/debug_vm.c: pool counts, free lists, every leaf of @mm; false + splat. */
bool hugetlb_pool_is_valid(void);
bool hugetlb_mm_is_valid(struct mm_struct *mm);

#endif
