/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm_vma.h - user address spaces: VMA flags and iteration, the fault
 * handler, get_user_pages, and the mm-wide entry points (Linux keeps these
 * in include/linux/mm.h; mm.h includes this file).
 *
 * Owners: VMA iteration/lookup and the mmap family -- mm/mmap.c, mm/vma.c;
 * the fault handler, zapping and fork's page copy -- mm/memory.c;
 * get_user_pages -- mm/gup.c; the checker mm_is_valid -- mm/debug_vm.c.
 */
#ifndef MMSIM_MM_VMA_H
#define MMSIM_MM_VMA_H

#include <mmsim/types.h>
#include <mmsim/mm_types.h>
#include <mmsim/mm_struct.h>
#include <mmsim/maple_tree.h>

struct pt_regs;
struct task_struct;

/* vm_flags (Linux's bit numbers). */
#define VM_NONE		0x00000000UL
#define VM_READ		0x00000001UL
#define VM_WRITE	0x00000002UL
#define VM_EXEC		0x00000004UL
#define VM_SHARED	0x00000008UL
#define VM_MAYREAD	0x00000010UL
#define VM_MAYWRITE	0x00000020UL
#define VM_MAYEXEC	0x00000040UL
#define VM_MAYSHARE	0x00000080UL
#define VM_GROWSDOWN	0x00000100UL
#define VM_UFFD_MISSING	0x00000200UL
#define VM_PFNMAP	0x00000400UL
#define VM_UFFD_WP	0x00001000UL
#define VM_LOCKED	0x00002000UL
#define VM_IO		0x00004000UL
#define VM_SEQ_READ	0x00008000UL
#define VM_RAND_READ	0x00010000UL
#define VM_DONTCOPY	0x00020000UL
#define VM_DONTEXPAND	0x00040000UL
#define VM_LOCKONFAULT	0x00080000UL
#define VM_ACCOUNT	0x00100000UL
#define VM_NORESERVE	0x00200000UL
#define VM_HUGETLB	0x00400000UL
#define VM_SYNC		0x00800000UL
#define VM_ARCH_1	0x01000000UL
#define VM_WIPEONFORK	0x02000000UL
#define VM_DONTDUMP	0x04000000UL
#define VM_SOFTDIRTY	0x08000000UL
#define VM_MIXEDMAP	0x10000000UL
#define VM_HUGEPAGE	0x20000000UL
#define VM_NOHUGEPAGE	0x40000000UL
#define VM_MERGEABLE	0x80000000UL
#define VM_STACK	VM_GROWSDOWN
#define VM_STACK_FLAGS	(VM_STACK | VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT)
#define VM_DATA_DEFAULT_FLAGS (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC)
#define VM_LOCKED_MASK	(VM_LOCKED | VM_LOCKONFAULT)
#define VM_ACCESS_FLAGS	(VM_READ | VM_WRITE | VM_EXEC)
/* Flags that make two otherwise-adjacent VMAs unmergeable when they differ. */
#define VM_SPECIAL	(VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP)

/* The PTE protection of a VMA's flags (Linux's protection_map). */
pgprot_t vm_get_page_prot(vm_flags_t vm_flags);
void vma_set_page_prot(struct vm_area_struct *vma);

static inline bool vma_is_anonymous(const struct vm_area_struct *vma) { return !vma->vm_ops; }
static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> current_layout->page_shift;
}
static inline bool vma_is_accessible(const struct vm_area_struct *vma)
{
	return vma->vm_flags & VM_ACCESS_FLAGS;
}
static inline pgoff_t linear_page_index(const struct vm_area_struct *vma, unsigned long address)
{
	return ((address - vma->vm_start) >> current_layout->page_shift) + vma->vm_pgoff;
}

/* --- VMA lookup and iteration (mm/mmap.c); caller holds mmap_lock --- */
struct vma_iterator {
	struct ma_state mas;
};
#define VMA_ITERATOR(name, __mm, __addr)				\
	struct vma_iterator name = { .mas = { .tree = &(__mm)->mm_mt, .index = (__addr), \
					      .last = (__addr), .node = NULL, .offset = 0, \
					      .status = 0, .min = 0, .max = ~0UL } }
static inline void vma_iter_init(struct vma_iterator *vmi, struct mm_struct *mm, unsigned long addr)
{
	vmi->mas.tree = &mm->mm_mt;
	mas_set(&vmi->mas, addr);
}
static inline struct vm_area_struct *vma_next(struct vma_iterator *vmi)
{
	return mas_find(&vmi->mas, ~0UL);
}
static inline struct vm_area_struct *vma_find(struct vma_iterator *vmi, unsigned long max)
{
	return max ? mas_find(&vmi->mas, max - 1) : NULL;
}
static inline struct vm_area_struct *vma_prev(struct vma_iterator *vmi)
{
	return mas_prev(&vmi->mas, 0);
}
static inline void vma_iter_set(struct vma_iterator *vmi, unsigned long addr)
{
	mas_set(&vmi->mas, addr);
}
#define for_each_vma(__vmi, __vma)					\
	while (((__vma) = vma_next(&(__vmi))) != NULL)
#define for_each_vma_range(__vmi, __vma, __end)				\
	while (((__vma) = vma_find(&(__vmi), (__end))) != NULL)

/* The first VMA with vm_end > addr, or NULL. */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* find_vma, and the VMA before it in *pprev (NULL if none). */
struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev);
/* The VMA containing addr, or NULL. */
struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);
/* The first VMA intersecting [start, end), or NULL. */
struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end);
/* The fault path's lookup: takes mmap_lock for reading, expands a stack
 * below it when addr is in its guard range; NULL (lock dropped) if none. */
struct vm_area_struct *lock_mm_and_find_vma(struct mm_struct *mm, unsigned long addr,
					    struct pt_regs *regs);
int expand_stack_locked(struct vm_area_struct *vma, unsigned long addr);

/* VMA objects (mm/vma.c). */
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);
void vm_area_free(struct vm_area_struct *vma);

/* --- the fault handler (mm/memory.c) --- */
#define VM_FAULT_OOM		0x000001
#define VM_FAULT_SIGBUS		0x000002
#define VM_FAULT_MAJOR		0x000004
#define VM_FAULT_HWPOISON	0x000010
#define VM_FAULT_HWPOISON_LARGE	0x000020
#define VM_FAULT_SIGSEGV	0x000040
#define VM_FAULT_NOPAGE		0x000100
#define VM_FAULT_LOCKED		0x000200
#define VM_FAULT_RETRY		0x000400
#define VM_FAULT_FALLBACK	0x000800
#define VM_FAULT_DONE_COW	0x001000
#define VM_FAULT_NEEDDSYNC	0x002000
#define VM_FAULT_COMPLETED	0x004000
#define VM_FAULT_ERROR	(VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | \
			 VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE)

#define FAULT_FLAG_WRITE		(1u << 0)
#define FAULT_FLAG_MKWRITE		(1u << 1)
#define FAULT_FLAG_ALLOW_RETRY		(1u << 2)
#define FAULT_FLAG_RETRY_NOWAIT		(1u << 3)
#define FAULT_FLAG_KILLABLE		(1u << 4)
#define FAULT_FLAG_TRIED		(1u << 5)
#define FAULT_FLAG_USER			(1u << 6)
#define FAULT_FLAG_REMOTE		(1u << 7)
#define FAULT_FLAG_INSTRUCTION		(1u << 8)
#define FAULT_FLAG_INTERRUPTIBLE	(1u << 9)
#define FAULT_FLAG_UNSHARE		(1u << 10)
#define FAULT_FLAG_ORIG_PTE_VALID	(1u << 11)
#define FAULT_FLAG_VMA_LOCK		(1u << 12)
#define FAULT_FLAG_DEFAULT (FAULT_FLAG_ALLOW_RETRY | FAULT_FLAG_KILLABLE | FAULT_FLAG_INTERRUPTIBLE)

struct vm_fault {
	struct vm_area_struct *vma;
	gfp_t gfp_mask;
	pgoff_t pgoff;
	unsigned long address;		/* page-aligned */
	unsigned long real_address;	/* as faulted */
	unsigned int flags;		/* FAULT_FLAG_* */
	pmd_t *pmd;
	pud_t *pud;
	pte_t orig_pte;
	struct page *cow_page;
	struct page *page;
	pte_t *pte;
	spinlock_t *ptl;
};

vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags, struct pt_regs *regs);
/* Make the pages of [start, end) present as a fault would (MAP_POPULATE,
 * mlock, MADV_POPULATE_*): mm/gup.c.  0 or -errno. */
int __mm_populate(unsigned long start, unsigned long len, int ignore_errors);
static inline void mm_populate(unsigned long addr, unsigned long len)
{
	(void)__mm_populate(addr, len, 1);
}
long populate_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			     unsigned long end, int *locked);
long faultin_page_range(struct mm_struct *mm, unsigned long start, unsigned long end,
			bool write, int *locked);

/* Zap (unmap and free) the pages of a range of one VMA: mm/memory.c. */
struct zap_details;
void zap_page_range_single(struct vm_area_struct *vma, unsigned long address,
			   unsigned long size, struct zap_details *details);

/* --- get_user_pages (mm/gup.c) --- */
#define FOLL_WRITE	0x01
#define FOLL_GET	0x02	/* internal */
#define FOLL_DUMP	0x04
#define FOLL_FORCE	0x08
#define FOLL_NOWAIT	0x10
#define FOLL_NOFAULT	0x20
#define FOLL_HWPOISON	0x40
#define FOLL_ANON	0x80
#define FOLL_LONGTERM	0x100
#define FOLL_SPLIT_PMD	0x200
#define FOLL_PCI_P2PDMA	0x400
#define FOLL_INTERRUPTIBLE 0x800
#define FOLL_HONOR_NUMA_FAULT 0x1000
#define FOLL_PIN	0x10000	/* internal (pin_user_pages) */
#define FOLL_TOUCH	0x20000
#define FOLL_UNSHARE	0x40000

/* GUP_PIN_COUNTING_BIAS: a pin adds this to the page's refcount. */
#define GUP_PIN_COUNTING_BIAS	(1U << 10)

long get_user_pages(unsigned long start, unsigned long nr_pages, unsigned int gup_flags,
		    struct page **pages);
long get_user_pages_remote(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
			   unsigned int gup_flags, struct page **pages, int *locked);
long pin_user_pages(unsigned long start, unsigned long nr_pages, unsigned int gup_flags,
		    struct page **pages);
long pin_user_pages_remote(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
			   unsigned int gup_flags, struct page **pages, int *locked);
int get_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags,
			struct page **pages);
int pin_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags,
			struct page **pages);
void unpin_user_page(struct page *page);
void unpin_user_pages(struct page **pages, unsigned long npages);
void unpin_user_pages_dirty_lock(struct page **pages, unsigned long npages, bool make_dirty);
bool folio_maybe_dma_pinned(struct folio *folio);
/* May @folio be pinned long-term where it is (FOLL_LONGTERM)?  mm/gup.c */
bool folio_is_longterm_pinnable(struct folio *folio);

/* --- mm lifetime (mm/mmap.c, kernel/fork.c) --- */
void exit_mmap(struct mm_struct *mm);
int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm);

/* --- accounting (mm/util.c) --- */
int __vm_enough_memory(struct mm_struct *mm, long pages, int cap_sys_admin);
static inline int security_vm_enough_memory_mm(struct mm_struct *mm, long pages)
{
	return __vm_enough_memory(mm, pages, 1);
}
void vm_unacct_memory(long pages);
void vm_acct_memory(long pages);
unsigned long vm_memory_committed(void);
unsigned long vm_commit_limit(void);
bool may_expand_vm(struct mm_struct *mm, vm_flags_t flags, unsigned long npages);
void vm_stat_account(struct mm_struct *mm, vm_flags_t flags, long npages);

/* --- checkers (mm/debug_vm.c) --- */
/* VMAs sorted, disjoint, in the tree; map_count right; every present PTE
 * inside a VMA with compatible rights; RSS counters equal to the PTEs;
 * total_vm and friends equal to the VMAs.  Logs the first problem. */
bool mm_is_valid(struct mm_struct *mm);
/* Every user page's mapcount equals the PTEs of all live mms that map it. */
bool mm_mapcounts_are_valid(struct mmsim *m);

#endif
