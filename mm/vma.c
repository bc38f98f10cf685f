// SPDX-License-Identifier: GPL-2.0
/*
 * mm/vma.c - VMA objects and the operations on the VMA tree that Linux
 * 6.12 keeps in mm/vma.c: allocation (the "vm_area_struct" cache),
 * splitting, merging (vma_merge_new_range for a new range,
 * vma_merge_existing_range behind vma_modify_* for a changed one),
 * munmap's core, free_pgtables and insert_vm_struct.
 *
 * The tree: mm->mm_mt, a maple tree holding each VMA over [vm_start,
 * vm_end - 1].  A store over part of a VMA's range shrinks that VMA's
 * entry, so a split stores only the new half and a merge stores only the
 * VMA that grew.  Every store that could fail is preallocated first
 * (mas_preallocate), so an operation fails before it changes anything.
 *
 * Merging follows Linux exactly:
 *  - never with VM_SPECIAL flags; flags must be equal but for
 *    VM_SOFTDIRTY; same file, same anon_vma_name;
 *  - anon_vmas: equal, or one is NULL and (for a merge with prev) prev's
 *    anon_vma_chain is singular (is_mergeable_anon_vma);
 *  - page offsets must be contiguous; merging both sides also needs prev
 *    and next's anon_vmas compatible;
 *  - a VMA that would be deleted must not have vm_ops->close.
 * A range being changed (mprotect, mlock, madvise) merges only at a side
 * of its VMA (left_side: start == vm_start; right_side: end == vm_end);
 * otherwise vma_modify splits the VMA so one VMA covers exactly the range.
 * Splits past vm.max_map_count fail with -ENOMEM (split_vma), except
 * munmap's, which may go one over as Linux lets it.
 *
 * Reverse map: around every change of vm_start/vm_end/vm_pgoff of a VMA
 * with an anon_vma, the VMA leaves and re-enters the anon_vma interval
 * tree (anon_vma_interval_tree_pre/post_update_vma, mm/rmap.c) under the
 * anon_vma's write lock; a split clones the chain (anon_vma_clone); a
 * merge that deletes a VMA unlinks its chain, after giving its anon_vma
 * to the survivor when that had none (dup_anon_vma).
 *
 * Locking: mmap_lock held for writing by the caller throughout.
 * Invariants: VMAs are disjoint, sorted, page aligned, non-empty, and
 * mm->map_count equals the number in the tree.
 */
#include <mmsim/huge_mm.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/slab.h>
#include <mmsim/fs.h>
#include "mm/vma.h"

/* --- VMA objects ----------------------------------------------------- */

/* The file whose i_mmap lists @vma, or NULL. */
static struct address_space *vma_file_mapping(const struct vm_area_struct *vma)
{
	return vma && vma->vm_file ? vma->vm_file->f_mapping : NULL;
}

struct vm_area_struct *vm_area_alloc(struct mm_struct *mm)
{
	struct vm_area_struct *vma = kmem_cache_zalloc(vm_area_cachep(), GFP_KERNEL);

	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	INIT_LIST_HEAD(&vma->shared);
	vma->vm_lock_seq = ~0UL;
	return vma;
}

struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig)
{
	struct vm_area_struct *new = kmem_cache_alloc(vm_area_cachep(), GFP_KERNEL);

	size_t s = offsetof(struct vm_area_struct, shared), e = s + sizeof(orig->shared);

	if (!new)
		return NULL;
	/*
	 * Everything but the i_mmap links (Linux: data_race(memcpy(...))):
	 * they change under i_mmap_rwsem whenever a neighbour on the file's
	 * list comes or goes, and the copy gets its own below anyway.
	 */
	memcpy(new, orig, s);
	memcpy((char *)new + e, (const char *)orig + e, sizeof(*new) - e);
	INIT_LIST_HEAD(&new->anon_vma_chain);
	INIT_LIST_HEAD(&new->shared);
	new->vm_lock_seq = ~0UL;
	/* Another VMA of the same file (a split, a move, fork's copy): the
	 * caller puts it on i_mmap once its range and mm are final, as
	 * Linux's vma_complete and dup_mmap do, so that an rmap walk never
	 * reads a half-made VMA. */
	if (new->vm_file)
		get_file(new->vm_file);
	return new;
}

void vm_area_free(struct vm_area_struct *vma)
{
	if (vma->vm_file) {
		vma_unlink_file(vma);
		fput(vma->vm_file);
	}
	kmem_cache_free(vm_area_cachep(), vma);
}

void remove_vma(struct vm_area_struct *vma)
{
	if (vma->vm_ops && vma->vm_ops->close)
		vma->vm_ops->close(vma);
	vm_area_free(vma);
}

/* --- the tree -------------------------------------------------------- */

int vma_tree_store(struct mm_struct *mm, struct vm_area_struct *vma)
{
	MA_STATE(mas, &mm->mm_mt, vma->vm_start, vma->vm_end - 1);

	return mas_store_gfp(&mas, vma, GFP_KERNEL);
}

int vma_tree_clear(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	MA_STATE(mas, &mm->mm_mt, start, end - 1);

	return mas_store_gfp(&mas, NULL, GFP_KERNEL);
}

struct vm_area_struct *vma_prev_of(struct mm_struct *mm, unsigned long addr)
{
	MA_STATE(mas, &mm->mm_mt, 0, 0);

	if (!addr)
		return NULL;
	mas_set(&mas, addr - 1);
	return mas_find_rev(&mas, 0);
}

unsigned long count_vma_pages_range(struct mm_struct *mm, unsigned long start,
				    unsigned long end)
{
	unsigned long nr = 0;
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, start);

	for_each_vma_range(vmi, vma, end) {
		unsigned long s = max(vma->vm_start, start), e = min(vma->vm_end, end);

		nr += (e - s) >> PAGE_SHIFT;
	}
	return nr;
}

static bool list_is_singular_(const struct list_head *h)
{
	return !list_empty(h) && h->next == h->prev;
}

static void vma_rmap_pre(struct vm_area_struct *vma)
{
	if (vma && vma->anon_vma)
		anon_vma_interval_tree_pre_update_vma(vma);
}

static void vma_rmap_post(struct vm_area_struct *vma)
{
	if (vma && vma->anon_vma)
		anon_vma_interval_tree_post_update_vma(vma);
}

/* --- splitting ------------------------------------------------------- */

int __split_vma(struct vma_iterator *vmi, struct vm_area_struct *vma, unsigned long addr,
		int new_below)
{
	struct mm_struct *mm = vma->vm_mm;
	struct anon_vma *av = vma->anon_vma;
	struct address_space *mapping = vma_file_mapping(vma);
	struct vm_area_struct *new;
	int err;

	WARN_ON(vma->vm_start >= addr);
	WARN_ON(vma->vm_end <= addr);
	if (vma->vm_ops && vma->vm_ops->may_split) {
		err = vma->vm_ops->may_split(vma, addr);
		if (err)
			return err;
	}
	new = vm_area_dup(vma);
	if (!new)
		return -ENOMEM;
	/* A PMD leaf (THP) the new boundary cuts becomes PTEs first. */
	vma_adjust_trans_huge(vma, vma->vm_start, addr, 0);
	if (new_below) {
		new->vm_end = addr;
	} else {
		new->vm_start = addr;
		new->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
	}
	{
		MA_STATE(mas, &mm->mm_mt, new->vm_start, new->vm_end - 1);

		err = mas_preallocate(&mas, new, GFP_KERNEL);
		if (err)
			goto out_free;
		err = anon_vma_clone(new, vma);
		if (err) {
			mas_destroy(&mas);
			goto out_free;
		}
		if (new->vm_ops && new->vm_ops->open)
			new->vm_ops->open(new);
		/* vma_prepare: i_mmap_rwsem, then the anon_vma lock, around
		 * the change the file's and the anon_vma's rmap walks see. */
		if (mapping) {
			i_mmap_lock_write(mapping);
			__vma_link_file(new);
		}
		if (av) {
			anon_vma_lock_write(av);
			anon_vma_interval_tree_pre_update_vma(vma);
		}
		if (new_below) {
			vma->vm_pgoff += (addr - vma->vm_start) >> PAGE_SHIFT;
			vma->vm_start = addr;
		} else {
			vma->vm_end = addr;
		}
		if (av) {
			anon_vma_interval_tree_post_update_vma(vma);
			anon_vma_unlock_write(av);
		}
		if (mapping)
			i_mmap_unlock_write(mapping);
		mas_store_prealloc(&mas, new);
		mas_destroy(&mas);
	}
	mm->map_count++;
	if (vmi)
		vma_iter_set(vmi, vma->vm_start);
	return 0;
out_free:
	vm_area_free(new);
	return err;
}

/**
 * split_vma - split @vma at @addr; the new VMA takes the part below @addr
 * (new_below) or above it.  -ENOMEM when the mm has max_map_count VMAs.
 */
int split_vma(struct vma_iterator *vmi, struct vm_area_struct *vma, unsigned long addr,
	      int new_below)
{
	if (vma->vm_mm->map_count >= READ_ONCE(mm_user_sysctls()->max_map_count))
		return -ENOMEM;
	return __split_vma(vmi, vma, addr, new_below);
}

/* --- merging --------------------------------------------------------- */

static bool anon_name_eq(const char *a, const char *b)
{
	if (a == b)
		return true;
	return a && b && !strcmp(a, b);
}

static bool is_mergeable_vma(const struct vma_merge_struct *vmg, const struct vm_area_struct *vma)
{
	if ((vma->vm_flags ^ vmg->flags) & ~VM_SOFTDIRTY)
		return false;
	if (vma->vm_file != vmg->file || vma->vm_private_data != vmg->priv)
		return false;
	return anon_name_eq(vma->anon_name, vmg->anon_name);
}

static bool is_mergeable_anon_vma(struct anon_vma *a1, struct anon_vma *a2,
				  struct vm_area_struct *vma)
{
	/*
	 * The list_is_singular() test is to avoid merging VMA cloned from
	 * parents. This can improve scalability caused by anon_vma lock.
	 */
	if ((!a1 || !a2) && (!vma || list_is_singular_(&vma->anon_vma_chain)))
		return true;
	return a1 == a2;
}

static bool can_merge_remove_vma(const struct vm_area_struct *vma)
{
	return !vma->vm_ops || !vma->vm_ops->close;
}

/* May the range be merged at the end of prev? */
static bool can_vma_merge_after(const struct vma_merge_struct *vmg)
{
	struct vm_area_struct *prev = vmg->prev;

	return is_mergeable_vma(vmg, prev) &&
	       is_mergeable_anon_vma(vmg->anon_vma, prev->anon_vma, prev) &&
	       prev->vm_pgoff + vma_pages(prev) == vmg->pgoff;
}

/* May the range be merged at the start of next? */
static bool can_vma_merge_before(const struct vma_merge_struct *vmg)
{
	struct vm_area_struct *next = vmg->next;
	pgoff_t pglen = (vmg->end - vmg->start) >> PAGE_SHIFT;

	return is_mergeable_vma(vmg, next) &&
	       is_mergeable_anon_vma(vmg->anon_vma, next->anon_vma, NULL) &&
	       next->vm_pgoff == vmg->pgoff + pglen;
}

static bool can_vma_merge_left(const struct vma_merge_struct *vmg)
{
	return vmg->prev && vmg->prev->vm_end == vmg->start && can_vma_merge_after(vmg);
}

static bool can_vma_merge_right(const struct vma_merge_struct *vmg, bool can_merge_left)
{
	struct vm_area_struct *next = vmg->next, *prev = vmg->prev;

	if (!next || vmg->end != next->vm_start || !can_vma_merge_before(vmg))
		return false;
	if (!can_merge_left)
		return true;
	/* Merging both: prev's and next's anon_vmas must agree too. */
	return is_mergeable_anon_vma(prev->anon_vma, next->anon_vma, NULL);
}

/* Give @dst @src's anon_vma if it has none (a merge deletes or shrinks src). */
static int dup_anon_vma(struct vm_area_struct *dst, struct vm_area_struct *src,
			struct vm_area_struct **dup)
{
	int ret;

	if (!src->anon_vma || dst->anon_vma)
		return 0;
	dst->anon_vma = src->anon_vma;
	ret = anon_vma_clone(dst, src);
	if (ret) {
		dst->anon_vma = NULL;
		return ret;
	}
	*dup = dst;
	return 0;
}

static void undo_dup_anon_vma(struct vm_area_struct *dup)
{
	if (dup)
		unlink_anon_vmas(dup);
}

/* Drop a VMA swallowed by a merge: it already left the tree. */
static void merge_remove_vma(struct mm_struct *mm, struct vm_area_struct *vma)
{
	mm->map_count--;
	if (vma->anon_vma)
		unlink_anon_vmas(vma);
	remove_vma(vma);
}

int vma_expand(struct vma_merge_struct *vmg, bool remove_next)
{
	struct vm_area_struct *vma = vmg->vma, *next = vmg->next, *dup = NULL;
	struct mm_struct *mm = vma->vm_mm;
	struct anon_vma *av;
	struct address_space *mapping;
	int ret;

	mmap_assert_write_locked(mm);
	if (remove_next) {
		WARN_ON(!can_merge_remove_vma(next));
		ret = dup_anon_vma(vma, next, &dup);
		if (ret)
			return ret;
	}
	{
		MA_STATE(mas, &mm->mm_mt, vmg->start, vmg->end - 1);

		if (mas_preallocate(&mas, vma, GFP_KERNEL)) {
			undo_dup_anon_vma(dup);
			if (dup)
				vma->anon_vma = NULL;
			return -ENOMEM;
		}
		av = vma->anon_vma;
		mapping = vma_file_mapping(vma);
		if (mapping)
			i_mmap_lock_write(mapping);
		if (av) {
			anon_vma_lock_write(av);
			anon_vma_interval_tree_pre_update_vma(vma);
		}
		vma->vm_start = vmg->start;
		vma->vm_end = vmg->end;
		vma->vm_pgoff = vmg->pgoff;
		if (av) {
			anon_vma_interval_tree_post_update_vma(vma);
			anon_vma_unlock_write(av);
		}
		if (mapping)
			i_mmap_unlock_write(mapping);
		mas_store_prealloc(&mas, vma);
		mas_destroy(&mas);
	}
	if (remove_next)
		merge_remove_vma(mm, next);
	return 0;
}

/**
 * vma_merge_new_range - merge the new range [vmg->start, vmg->end) with
 * vmg->prev and/or vmg->next (its neighbours, adjacent or not).
 *
 * Return: the VMA that now covers the range, or NULL (nothing merged).
 */
struct vm_area_struct *vma_merge_new_range(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *prev = vmg->prev, *next = vmg->next;
	unsigned long start = vmg->start, end = vmg->end;
	pgoff_t pgoff = vmg->pgoff, pglen = (end - start) >> PAGE_SHIFT;
	bool left, right, remove_next = false;

	mmap_assert_write_locked(vmg->mm);
	if ((vmg->flags & VM_SPECIAL) || (!prev && !next))
		return NULL;
	left = can_vma_merge_left(vmg);
	right = can_vma_merge_right(vmg, left);
	vmg->vma = NULL;
	if (right) {
		vmg->end = next->vm_end;
		vmg->vma = next;
		vmg->pgoff = next->vm_pgoff - pglen;
	}
	if (left) {
		vmg->start = prev->vm_start;
		vmg->vma = prev;
		vmg->pgoff = prev->vm_pgoff;
		if (right && !can_merge_remove_vma(next))
			vmg->end = end;
		else if (right)
			remove_next = true;
	}
	if (vmg->vma && !vma_expand(vmg, remove_next))
		return vmg->vma;
	vmg->vma = NULL;
	vmg->start = start;
	vmg->end = end;
	vmg->pgoff = pgoff;
	return NULL;
}

/*
 * vma_merge_existing_range - [vmg->start, vmg->end) of vmg->vma is to get
 * vmg->flags (or vmg->anon_name): merge it into prev and/or next where
 * Linux would.  Returns the merged VMA, NULL (no merge) or ERR_PTR(-ENOMEM).
 */
static struct vm_area_struct *vma_merge_existing_range(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *vma = vmg->vma, *prev = vmg->prev, *next = vmg->next;
	struct vm_area_struct *grow, *shrink = NULL, *dup = NULL, *res;
	struct mm_struct *mm = vma->vm_mm;
	unsigned long start = vmg->start, end = vmg->end;
	unsigned long g_start, g_end, s_start = 0, s_end = 0;
	pgoff_t g_pgoff, s_pgoff = 0;
	bool left_side = start == vma->vm_start, right_side = end == vma->vm_end;
	bool merge_left, merge_right, merge_both, del_vma, del_next;
	struct anon_vma *av;
	struct address_space *mapping;
	int err;

	if ((vmg->flags & VM_SPECIAL) || (!left_side && !right_side))
		return NULL;
	merge_left = left_side && can_vma_merge_left(vmg);
	merge_right = right_side && can_vma_merge_right(vmg, merge_left);
	if (!merge_left && !merge_right)
		return NULL;
	merge_both = merge_left && merge_right;
	del_vma = left_side && right_side;
	if (del_vma && !can_merge_remove_vma(vma))
		return NULL;
	del_next = merge_both;
	if (del_next && !can_merge_remove_vma(next)) {
		del_next = false;
		merge_right = false;
		merge_both = false;
	}

	if (merge_both) {
		/* prev grows over vma and next; both deleted */
		grow = prev;
		g_start = prev->vm_start;
		g_end = next->vm_end;
		g_pgoff = prev->vm_pgoff;
		err = dup_anon_vma(prev, next->anon_vma ? next : vma, &dup);
	} else if (merge_left) {
		/* prev grows to end; vma shrinks or is deleted */
		grow = prev;
		g_start = prev->vm_start;
		g_end = end;
		g_pgoff = prev->vm_pgoff;
		if (!del_vma) {
			shrink = vma;
			s_start = end;
			s_end = vma->vm_end;
			s_pgoff = vma->vm_pgoff + ((end - vma->vm_start) >> PAGE_SHIFT);
		}
		err = dup_anon_vma(prev, vma, &dup);
	} else {
		/* next grows down to start; vma shrinks or is deleted */
		grow = next;
		g_start = start;
		g_end = next->vm_end;
		g_pgoff = next->vm_pgoff - ((next->vm_start - start) >> PAGE_SHIFT);
		if (!del_vma) {
			shrink = vma;
			s_start = vma->vm_start;
			s_end = start;
			s_pgoff = vma->vm_pgoff;
		}
		err = dup_anon_vma(next, vma, &dup);
	}
	if (err)
		return ERR_PTR(err);

	{
		MA_STATE(mas, &mm->mm_mt, g_start, g_end - 1);

		if (mas_preallocate(&mas, grow, GFP_KERNEL)) {
			undo_dup_anon_vma(dup);
			if (dup)
				dup->anon_vma = NULL;
			return ERR_PTR(-ENOMEM);
		}
		if (shrink)
			vma_adjust_trans_huge(shrink, s_start, s_end, 0);
		av = grow->anon_vma ? grow->anon_vma : vma->anon_vma;
		mapping = vma_file_mapping(grow);
		if (mapping)
			i_mmap_lock_write(mapping);
		if (av) {
			anon_vma_lock_write(av);
			vma_rmap_pre(grow);
			vma_rmap_pre(shrink);
		}
		grow->vm_start = g_start;
		grow->vm_end = g_end;
		grow->vm_pgoff = g_pgoff;
		if (shrink) {
			shrink->vm_start = s_start;
			shrink->vm_end = s_end;
			shrink->vm_pgoff = s_pgoff;
		}
		if (av) {
			vma_rmap_post(grow);
			vma_rmap_post(shrink);
			anon_vma_unlock_write(av);
		}
		if (mapping)
			i_mmap_unlock_write(mapping);
		mas_store_prealloc(&mas, grow);
		mas_destroy(&mas);
	}
	if (del_vma)
		merge_remove_vma(mm, vma);
	if (del_next)
		merge_remove_vma(mm, next);
	res = grow;
	return res;
}

static struct vm_area_struct *vma_modify(struct vma_merge_struct *vmg)
{
	struct vm_area_struct *vma = vmg->vma, *merged;
	int err;

	merged = vma_merge_existing_range(vmg);
	if (merged)
		return merged;
	if (vma->vm_start < vmg->start) {
		err = split_vma(NULL, vma, vmg->start, 1);
		if (err)
			return ERR_PTR(err);
	}
	if (vma->vm_end > vmg->end) {
		err = split_vma(NULL, vma, vmg->end, 0);
		if (err)
			return ERR_PTR(err);
	}
	return vma;
}

static void vmg_init_existing(struct vma_merge_struct *vmg, struct vm_area_struct *vma,
			      unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;

	memset(vmg, 0, sizeof(*vmg));
	vmg->mm = mm;
	vmg->vma = vma;
	vmg->start = start;
	vmg->end = end;
	vmg->prev = start == vma->vm_start ? vma_prev_of(mm, vma->vm_start) : vma;
	vmg->next = end == vma->vm_end ? find_vma(mm, vma->vm_end) : NULL;
	vmg->flags = vma->vm_flags;
	vmg->file = vma->vm_file;
	vmg->anon_vma = vma->anon_vma;
	vmg->anon_name = vma->anon_name;
	vmg->priv = vma->vm_private_data;
	vmg->pgoff = vma->vm_pgoff + ((start - vma->vm_start) >> PAGE_SHIFT);
}

struct vm_area_struct *vma_modify_flags(struct vm_area_struct *prev, struct vm_area_struct *vma,
					unsigned long start, unsigned long end,
					vm_flags_t new_flags)
{
	struct vma_merge_struct vmg;

	(void)prev;
	vmg_init_existing(&vmg, vma, start, end);
	vmg.flags = new_flags;
	return vma_modify(&vmg);
}

struct vm_area_struct *vma_modify_name(struct vm_area_struct *prev, struct vm_area_struct *vma,
				       unsigned long start, unsigned long end,
				       const char *new_name)
{
	struct vma_merge_struct vmg;

	(void)prev;
	vmg_init_existing(&vmg, vma, start, end);
	vmg.anon_name = new_name;
	return vma_modify(&vmg);
}

/* --- inserting, unmapping -------------------------------------------- */

/**
 * insert_vm_struct - put a new VMA (not in the tree) into @mm, charging
 * its pages when it is VM_ACCOUNT.  0, or -ENOMEM (the range is taken,
 * commit refused, or no memory).
 */
int insert_vm_struct(struct mm_struct *mm, struct vm_area_struct *vma)
{
	unsigned long charged = vma_pages(vma);

	if (find_vma_intersection(mm, vma->vm_start, vma->vm_end))
		return -ENOMEM;
	if ((vma->vm_flags & VM_ACCOUNT) && security_vm_enough_memory_mm(mm, (long)charged))
		return -ENOMEM;
	/* Anonymous: vm_pgoff is the page index of its start (anon_vma's key). */
	if (vma_is_anonymous(vma) && !vma->vm_file)
		vma->vm_pgoff = vma->vm_start >> PAGE_SHIFT;
	if (vma_tree_store(mm, vma)) {
		if (vma->vm_flags & VM_ACCOUNT)
			vm_unacct_memory((long)charged);
		return -ENOMEM;
	}
	mm->map_count++;
	return 0;
}

/**
 * free_pgtables - free the page tables of the VMAs from @vma on (the
 * cursor @mas finds the ones after it, up to @ceiling), unlinking them
 * from the reverse map first (their anon_vmas, their file's i_mmap); tables are freed only where they lie wholly inside [floor,
 * ceiling) (free_pgd_range's rule).
 */
void free_pgtables(struct mmu_gather *tlb, struct ma_state *mas, struct vm_area_struct *vma,
		   unsigned long floor, unsigned long ceiling)
{
	do {
		unsigned long addr = vma->vm_start;
		struct vm_area_struct *next = mas_find(mas, ceiling - 1);

		/* No rmap walk may reach the tables once they go (unlink_file_vma). */
		if (vma->anon_vma)
			unlink_anon_vmas(vma);
		if (vma->vm_file)
			vma_unlink_file(vma);
		/* Gather nearby VMAs into one call down. */
		while (next && next->vm_start <= vma->vm_end + PMD_SIZE) {
			vma = next;
			next = mas_find(mas, ceiling - 1);
			if (vma->anon_vma)
				unlink_anon_vmas(vma);
			if (vma->vm_file)
				vma_unlink_file(vma);
		}
		free_pgd_range(tlb, addr, vma->vm_end, floor, next ? next->vm_start : ceiling);
		vma = next;
	} while (vma);
}

/*
 * unmap_region - zap the pages of the VMAs in [start, end) (all wholly
 * inside it) and free the tables only they used.
 */
static void unmap_region(struct mm_struct *mm, struct vm_area_struct *first,
			 struct vm_area_struct *prev, struct vm_area_struct *next,
			 unsigned long start, unsigned long end)
{
	struct mmu_gather tlb;
	MA_STATE(mas, &mm->mm_mt, first->vm_end, first->vm_end);

	tlb_gather_mmu(&tlb, mm);
	update_hiwater_rss(mm);
	unmap_vmas(&tlb, &mas, first, start, end, end);
	mas_set(&mas, first->vm_end);
	free_pgtables(&tlb, &mas, first, prev ? prev->vm_end : FIRST_USER_ADDRESS,
		      next ? next->vm_start : USER_PGTABLES_CEILING);
	tlb_finish_mmu(&tlb);
}

/**
 * do_vmi_align_munmap - unmap [start, end) (page aligned) of @mm.
 *
 * Splits the VMAs at both ends (a split in the middle of a VMA is refused
 * with -ENOMEM when the mm already has max_map_count VMAs), zaps their
 * pages, frees their page tables, unaccounts them (total_vm and friends,
 * locked_vm, vm_committed_as) and frees them.  0 or -errno; on an error
 * nothing has been unmapped.
 */
int do_vmi_align_munmap(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma, *prev, *next, *last, **vmas;
	unsigned long nr_accounted = 0, locked = 0;
	int count = 0, err, i;

	mmap_assert_write_locked(mm);
	vma = find_vma_intersection(mm, start, end);
	if (!vma)
		return 0;
	if (start > vma->vm_start) {
		/*
		 * Make sure that map_count on return from munmap() will not
		 * exceed its limit; but let map_count go just above its limit
		 * temporarily, to help free resources as expected.
		 */
		if (end < vma->vm_end &&
		    mm->map_count >= READ_ONCE(mm_user_sysctls()->max_map_count))
			return -ENOMEM;
		err = __split_vma(NULL, vma, start, 1);
		if (err)
			return err;
	}
	last = vma_lookup(mm, end - 1);
	if (last && last->vm_end > end) {
		err = __split_vma(NULL, last, end, 0);
		if (err)
			return err;
	}
	vma = find_vma(mm, start);
	prev = vma_prev_of(mm, start);
	next = find_vma(mm, end);
	{
		VMA_ITERATOR(vmi, mm, start);
		struct vm_area_struct *v;

		for_each_vma_range(vmi, v, end)
			count++;
	}
	vmas = malloc(sizeof(*vmas) * (size_t)count);
	if (!vmas)
		return -ENOMEM;
	{
		VMA_ITERATOR(vmi, mm, start);
		struct vm_area_struct *v;

		i = 0;
		for_each_vma_range(vmi, v, end)
			vmas[i++] = v;
	}
	{
		MA_STATE(mas, &mm->mm_mt, start, end - 1);

		if (mas_preallocate(&mas, NULL, GFP_KERNEL)) {
			free(vmas);
			return -ENOMEM;
		}
		update_hiwater_vm(mm);
		unmap_region(mm, vma, prev, next, start, end);
		for (i = 0; i < count; i++) {
			struct vm_area_struct *v = vmas[i];
			long pages = (long)vma_pages(v);

			if (v->vm_flags & VM_ACCOUNT)
				nr_accounted += (unsigned long)pages;
			if (v->vm_flags & VM_LOCKED)
				locked += (unsigned long)pages;
			vm_stat_account(mm, v->vm_flags, -pages);
		}
		mas_store_prealloc(&mas, NULL);
		mas_destroy(&mas);
	}
	mm->map_count -= count;
	mm->locked_vm -= locked;
	vm_unacct_memory((long)nr_accounted);
	for (i = 0; i < count; i++)
		remove_vma(vmas[i]);
	free(vmas);
	return 0;
}

/**
 * do_vmi_munmap - munmap's checks, then do_vmi_align_munmap.
 * -EINVAL: start not page aligned, past TASK_SIZE, or len 0 / too big.
 */
int do_vmi_munmap(struct vma_iterator *vmi, struct mm_struct *mm, unsigned long start,
		  size_t len, struct list_head *uf, bool unlock)
{
	unsigned long end;
	int ret;

	(void)uf;
	if ((start & ~PAGE_MASK) || start > TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	end = start + PAGE_ALIGN(len);
	if (end == start)
		return -EINVAL;
	ret = do_vmi_align_munmap(mm, start, end);
	if (vmi)
		vma_iter_set(vmi, end);
	if (unlock)
		mmap_write_unlock(mm);
	return ret;
}

int do_munmap(struct mm_struct *mm, unsigned long start, size_t len, struct list_head *uf)
{
	return do_vmi_munmap(NULL, mm, start, len, uf, false);
}

/**
 * vma_tree_is_consistent - the tree against map_count and the VM counters:
 * sorted, disjoint, page aligned, each stored over its own range.
 */
bool vma_tree_is_consistent(struct mm_struct *mm)
{
	unsigned long last_end = 0, total = 0, data = 0, exec = 0, stack = 0, locked = 0;
	struct vm_area_struct *vma;
	int n = 0;
	VMA_ITERATOR(vmi, mm, 0);

	for_each_vma(vmi, vma) {
		unsigned long pages = vma_pages(vma);

		if (vma->vm_start >= vma->vm_end || vma->vm_start < last_end ||
		    (vma->vm_start | vma->vm_end) & ~PAGE_MASK || vma->vm_mm != mm) {
			pr_err("vma %lx-%lx: bad range (previous ended at %lx)\n",
			       vma->vm_start, vma->vm_end, last_end);
			return false;
		}
		if (vmi.mas.index != vma->vm_start || vmi.mas.last != vma->vm_end - 1) {
			pr_err("vma %lx-%lx: stored over %lx-%lx\n", vma->vm_start, vma->vm_end,
			       vmi.mas.index, vmi.mas.last + 1);
			return false;
		}
		last_end = vma->vm_end;
		n++;
		total += pages;
		if (is_exec_mapping(vma->vm_flags))
			exec += pages;
		else if (is_stack_mapping(vma->vm_flags))
			stack += pages;
		else if (is_data_mapping(vma->vm_flags))
			data += pages;
		if (vma->vm_flags & VM_LOCKED)
			locked += pages;
	}
	if (n != mm->map_count || total != mm->total_vm || data != mm->data_vm ||
	    exec != mm->exec_vm || stack != mm->stack_vm || locked != mm->locked_vm) {
		pr_err("mm counters: map_count %d/%d total %lu/%lu data %lu/%lu exec %lu/%lu stack %lu/%lu locked %lu/%lu\n",
		       mm->map_count, n, mm->total_vm, total, mm->data_vm, data, mm->exec_vm, exec,
		       mm->stack_vm, stack, mm->locked_vm, locked);
		return false;
	}
	return true;
}
