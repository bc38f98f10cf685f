/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/vma.h - what the VMA files of engineer B share among themselves
 * (Linux's mm/vma.h and the helpers of mm/internal.h that only the mmap
 * family uses): mm/util.c, mm/vma.c, mm/mmap.c, mm/mprotect.c,
 * mm/mremap.c, mm/madvise.c, mm/mlock.c, mm/mincore.c, mm/msync.c.
 * Other files use mm/vma_internal.h.
 *
 * Locking: every function here runs under mmap_lock held for writing
 * unless it says otherwise.
 */
#ifndef MMSIM_MM_VMA_PRIV_H
#define MMSIM_MM_VMA_PRIV_H

#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/syscalls.h>
#include "mm/internal.h"
#include "mm/vma_internal.h"

/* Linux's capability numbers, as far as mm asks. */
#define CAP_IPC_LOCK	14
#define CAP_SYS_RAWIO	17
#define CAP_SYS_ADMIN	21
#define CAP_SYS_RESOURCE 24

#define OVERCOMMIT_GUESS	0
#define OVERCOMMIT_ALWAYS	1
#define OVERCOMMIT_NEVER	2

#define VM_STARTGAP_FLAGS	VM_GROWSDOWN
#define VM_STACK_INCOMPLETE_SETUP (VM_RAND_READ | VM_SEQ_READ)

#ifndef pr_warn_once
#define pr_warn_once(fmt, ...)						\
	({								\
		static const char __once_key;				\
		if (warn_once_first(&__once_key))			\
			pr_warn(fmt, ##__VA_ARGS__);			\
	})
#endif

/* --- mm/util.c --- */
/* Every task is root with every capability (DESIGN §3b): true. */
bool capable(int cap);
/* current's limit, or Linux's default (init_task's) when no task runs. */
unsigned long mm_rlimit(unsigned int limit);
unsigned long mm_rlimit_max(unsigned int limit);
/* The cache of vm_area_structs of the current machine. */
struct kmem_cache *vm_area_cachep(void);
/*
 * Interim shared anonymous objects (until shmem): shared_anon_new gives
 * the vm_private_data of a new one, charging @pages unless !@charge
 * (ERR_PTR(-ENOMEM) when refused); each VMA carrying it holds a reference
 * (vm_area_dup takes one, vm_area_free drops it; the last uncharges).
 */
bool vma_is_shared_anon(const struct vm_area_struct *vma);
void *shared_anon_new(struct mm_struct *mm, unsigned long pages, bool charge);
void shared_anon_get(struct vm_area_struct *vma);
void shared_anon_put(struct vm_area_struct *vma);
unsigned long shared_anon_charged(const struct vm_area_struct *vma);
/* stack_guard_gap in bytes. */
unsigned long stack_guard_gap_bytes(void);
/* The mm the system calls act on: current's, or NULL. */
struct mm_struct *current_user_mm(void);
/* -ESRCH when no task runs (or it has no mm), -EIO on a halted machine, else 0. */
long syscall_enter_check(void);

static inline bool is_exec_mapping(vm_flags_t flags)
{
	return (flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC;
}
static inline bool is_stack_mapping(vm_flags_t flags)
{
	return (flags & VM_STACK) == VM_STACK;
}
static inline bool is_data_mapping(vm_flags_t flags)
{
	return (flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE;
}
static inline bool is_cow_mapping(vm_flags_t flags)
{
	return (flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
}

/* --- mm/vma.c --- */
/* The tree: store @vma over its range / erase [start, end); 0 or -ENOMEM. */
int vma_tree_store(struct mm_struct *mm, struct vm_area_struct *vma);
int vma_tree_clear(struct mm_struct *mm, unsigned long start, unsigned long end);
/* Split without the max_map_count check (munmap lets the count go one over). */
int __split_vma(struct vma_iterator *vmi, struct vm_area_struct *vma, unsigned long addr,
		int new_below);
/* Close, drop the file and free a VMA no longer in the tree. */
void remove_vma(struct vm_area_struct *vma);

/*
 * struct vma_merge_struct - a range [start, end) with the attributes it
 * is to have (Linux's vmg): prev and next are its neighbours (adjacent or
 * not), vma the existing VMA it lies in (vma_modify) or NULL (a new range).
 */
struct vma_merge_struct {
	struct mm_struct *mm;
	struct vm_area_struct *prev, *next, *vma;
	unsigned long start, end;
	pgoff_t pgoff;
	vm_flags_t flags;
	struct file *file;
	struct anon_vma *anon_vma;
	const char *anon_name;
	void *priv;			/* vm_private_data: the interim shared-anon object */
};
/* Merge a new range with prev and/or next; the VMA it became part of, or NULL. */
struct vm_area_struct *vma_merge_new_range(struct vma_merge_struct *vmg);
/* Expand vmg->vma to [start, end) (removing vmg->next when it is swallowed). */
int vma_expand(struct vma_merge_struct *vmg, bool remove_next);
/*
 * vma_modify_flags - give [start, end) of @vma the flags @new_flags:
 * merges with the neighbours where Linux does, else splits @vma so that one
 * VMA covers exactly the range.  Returns that VMA (the caller then sets its
 * flags) or an ERR_PTR (-ENOMEM: a split past max_map_count).
 */
struct vm_area_struct *vma_modify_flags(struct vm_area_struct *prev, struct vm_area_struct *vma,
					unsigned long start, unsigned long end,
					vm_flags_t new_flags);
/* Same for an anon_vma_name change. */
struct vm_area_struct *vma_modify_name(struct vm_area_struct *prev, struct vm_area_struct *vma,
				       unsigned long start, unsigned long end,
				       const char *new_name);
/* Unmap [start, end) of @mm: split, zap, free tables, unaccount, free. */
int do_vmi_align_munmap(struct mm_struct *mm, unsigned long start, unsigned long end);
/* Pages of [start, end) mapped now (MAP_FIXED's may_expand_vm). */
unsigned long count_vma_pages_range(struct mm_struct *mm, unsigned long start,
				    unsigned long end);
/* The last VMA starting below @addr (the one find_vma(addr) would have before it). */
struct vm_area_struct *vma_prev_of(struct mm_struct *mm, unsigned long addr);
/* Checks of the tree against map_count and the vm counters (debug). */
bool vma_tree_is_consistent(struct mm_struct *mm);

/* --- mm/mmap.c --- */
unsigned long vm_start_gap(const struct vm_area_struct *vma);
unsigned long vm_end_gap(const struct vm_area_struct *vma);
unsigned long do_brk_flags(struct mm_struct *mm, unsigned long addr, unsigned long len,
			   vm_flags_t flags);
/* mmap_region's core for mm @mm. */
unsigned long mmap_region(struct mm_struct *mm, struct file *file, unsigned long addr,
			  unsigned long len, vm_flags_t vm_flags, unsigned long pgoff);
/* do_mmap for an explicit mm (the system call passes current's). */
unsigned long do_mmap_mm(struct mm_struct *mm, struct file *file, unsigned long addr,
			 unsigned long len, unsigned long prot, unsigned long flags,
			 vm_flags_t vm_flags, unsigned long pgoff, unsigned long *populate);
unsigned long get_unmapped_area_mm(struct mm_struct *mm, struct file *file, unsigned long addr,
				   unsigned long len, unsigned long pgoff, unsigned long flags,
				   vm_flags_t vm_flags);
int expand_downwards(struct vm_area_struct *vma, unsigned long address);
/* Fill the layout of a fresh mm (mmap_base, legacy base). */
void arch_pick_mmap_layout(struct mm_struct *mm);
/* The top of the stack of a new process. */
unsigned long mm_stack_top(void);

/* --- mm/mlock.c --- */
bool can_do_mlock(void);
bool mlock_future_ok(struct mm_struct *mm, vm_flags_t flags, unsigned long bytes);
int apply_mlockall_flags_mm(struct mm_struct *mm, int flags);

/* --- mm/mprotect.c --- */
int mprotect_fixup(struct vm_area_struct *vma, struct vm_area_struct **pprev,
		   unsigned long start, unsigned long end, vm_flags_t newflags);
long do_mprotect_mm(struct mm_struct *mm, unsigned long start, size_t len, unsigned long prot);

/* --- mm/mremap.c --- */
unsigned long do_mremap_mm(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
			   unsigned long new_len, unsigned long flags, unsigned long new_addr);

/* --- mm/madvise.c --- */
long do_madvise_mm(struct mm_struct *mm, unsigned long start, size_t len, int behavior);

#endif
