/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/fault_internal.h - what the fault-side files (mm/memory.c,
 * mm/memory_copy.c, mm/rmap.c, mm/gup.c, mm/maccess.c, mm/debug_vm.c)
 * share and nobody else needs: the per-machine state of the "memory"
 * subsystem (the shared zero page, the anon_vma caches, the
 * exception-trace sysctl).  Not installed.
 */
#ifndef MMSIM_MM_FAULT_INTERNAL_H
#define MMSIM_MM_FAULT_INTERNAL_H

#include "mm/vma_internal.h"
#include <mmsim/slab.h>

struct mmsim;

/* Per-machine state of subsystem "memory" (mm/memory.c). */
struct memory_state {
	struct page *zero_page;		/* the shared zero page (ZERO_PAGE(0)) */
	struct kmem_cache *anon_vma_cachep;
	struct kmem_cache *anon_vma_chain_cachep;
	int show_unhandled_signals;	/* debug.exception-trace, 1 */
};

struct memory_state *memory_state(void);

/* mm/rmap.c: the slab caches of the reverse map (from the memory initcall). */
int anon_vma_init(struct memory_state *ms);
void anon_vma_exit(struct memory_state *ms);
/* mm/maccess.c: /proc/sys/debug/exception-trace. */
int exception_trace_sysctl_init(struct memory_state *ms);

/* mm/memory.c: the PTE lock of a user mm (Linux's pte_lockptr: one lock
 * per mm here, the page_table_lock). */
static inline spinlock_t *pte_lockptr(struct mm_struct *mm)
{
	return &mm->page_table_lock;
}

/* mm/memory.c: fault in @address of @vma for gup/uaccess (the mmap_lock is
 * held for reading); the VM_FAULT_* result. */
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags, struct pt_regs *regs);

/* mm/memory.c: a write (or unshare) fault on a present read-only PTE, called
 * with the PTE lock held, returning with it dropped (do_swap_page's COW). */
vm_fault_t do_wp_page(struct vm_fault *vmf);

/* mm/memory.c: the next PMD entry under a present PMD table, and the next
 * PTE table, at or after *addrp below @end (skipping empty upper levels);
 * *addrp moves to the address it covers. */
pmd_t *mm_next_pmd(struct mm_struct *mm, unsigned long *addrp, unsigned long end);
pte_t *mm_next_pte_table(struct mm_struct *mm, unsigned long *addrp, unsigned long end);

/* mm/memory.c: clear the Accessed bit of the PTE and flush its TLB entry. */
int ptep_clear_flush_young(struct vm_area_struct *vma, unsigned long address, pte_t *ptep);

/* mm->flags bits are set atomically (Linux's set_bit/test_bit). */
static inline bool test_bit_mm_pinned(struct mm_struct *mm)
{
	return __atomic_load_n(&mm->flags, __ATOMIC_RELAXED) & (1UL << MMF_HAS_PINNED);
}
static inline void set_bit_mm_pinned(struct mm_struct *mm)
{
	__atomic_fetch_or(&mm->flags, 1UL << MMF_HAS_PINNED, __ATOMIC_RELAXED);
}

/*
 * Page flags the fault side changes on pages other CPUs may be looking at
 * (mapped ones): atomic, as Linux's set_bit/clear_bit/test_bit.
 */
static inline void page_flag_set(struct page *p, int nr)
{
	__atomic_fetch_or(&p->flags, 1UL << nr, __ATOMIC_RELAXED);
}
static inline void page_flag_clear(struct page *p, int nr)
{
	__atomic_fetch_and(&p->flags, ~(1UL << nr), __ATOMIC_RELAXED);
}
static inline bool page_flag_test(const struct page *p, int nr)
{
	return (__atomic_load_n(&p->flags, __ATOMIC_RELAXED) >> nr) & 1;
}
static inline bool page_anon_exclusive(const struct page *p)
{
	return page_flag_test(p, PG_anon_exclusive);
}
/* The folio's ->mapping as rmap reads it from any CPU (READ_ONCE); a page
 * of a large folio answers for its folio (a tail's mapping is no mapping). */
static inline bool page_is_anon(const struct page *p)
{
	p = compound_head(p);
	return (unsigned long)__atomic_load_n(&p->mapping, __ATOMIC_RELAXED) & PAGE_MAPPING_ANON;
}
/* The mm counter of a file page: shmem's are swap-backed (Linux's mm_counter_file). */
static inline int mm_counter_file(const struct folio *folio)
{
	return page_flag_test(&folio->page, PG_swapbacked) ? MM_SHMEMPAGES : MM_FILEPAGES;
}
/* anon_vma_prepare with the lockless check as an acquire load. */
int __anon_vma_prepare(struct vm_area_struct *vma);
static inline int anon_vma_prepare_once(struct vm_area_struct *vma)
{
	return __atomic_load_n(&vma->anon_vma, __ATOMIC_ACQUIRE) ? 0 : __anon_vma_prepare(vma);
}

static inline bool is_cow_mapping(vm_flags_t flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/* mm/debug_vm.c: the mapcount check over an explicit set of mms (the
 * tests' fixtures; mm_mapcounts_are_valid passes every live task's). */
bool mm_mapcounts_valid_for(struct mm_struct **mms, int nr);

/* mm/debug_vm.c: visit every non-none PTE of @mm's user half, for the
 * checkers (the caller holds what keeps the tables stable). */
typedef void (*pte_visit_t)(unsigned long addr, pte_t *ptep, void *arg);
void walk_user_ptes(struct mm_struct *mm, pte_visit_t fn, void *arg);

#endif
