// SPDX-License-Identifier: GPL-2.0
/*
 * mm/mremap.c - mremap(2), Linux 6.x.
 *
 * Shrinking unmaps the tail.  Growing extends the VMA in place when the
 * range after it is free (vma_merge_extend: it may merge with the next VMA
 * too); otherwise, with MREMAP_MAYMOVE, the mapping moves: copy_vma makes
 * (or merges into) a VMA at the new address with the same flags, anon_vma
 * and page offset, move_page_tables moves every PTE (the pages do not
 * move, so an anonymous page's index stays valid: vm_pgoff is kept across
 * the move and rmap finds the page at its new address), and the old range
 * is unmapped -- except with MREMAP_DONTUNMAP, which leaves it mapped
 * with no pages (its anon_vma links dropped when the whole VMA moved).
 * MREMAP_FIXED moves to exactly new_addr, unmapping what was there.
 *
 * Accounting: only the growth is charged (the old charge moves with the
 * pages: VM_ACCOUNT is hidden from the munmap of the old range and put
 * back on the pieces left around it); MREMAP_DONTUNMAP charges the whole
 * new length since the old range stays.
 *
 * Locking: mmap_lock for writing; PTEs move under the mm's
 * page_table_lock with the anon_vma's write lock held, so that an rmap
 * walk never sees a page at neither address.
 */
#include <mmsim/huge_mm.h>
#include <mmsim/fs.h>
#include "mm/vma.h"
#include <mmsim/hugetlb.h>

/* Move the PTEs of [old_addr, old_addr + len) to new_addr; bytes moved. */
static unsigned long move_page_tables(struct vm_area_struct *vma, unsigned long old_addr,
				      struct vm_area_struct *new_vma, unsigned long new_addr,
				      unsigned long len)
{
	struct mm_struct *mm = vma->vm_mm;
	struct anon_vma *av = vma->anon_vma;
	struct address_space *mapping = vma->vm_file ? vma->vm_file->f_mapping : NULL;
	unsigned long off;
	bool flush = false;

	(void)new_vma;
	/* PMD leaves (THP) move as their PTEs: split first (Linux moves a
	 * whole PMD when both ends are aligned: move_huge_pmd). */
	split_huge_pmd_range(vma, old_addr, old_addr + len);
	/* Linux's take_rmap_locks: a file rmap walk must not see the PTE in
	 * neither place; i_mmap_rwsem before the anon_vma's. */
	if (mapping)
		i_mmap_lock_write(mapping);
	if (av)
		anon_vma_lock_write(av);
	for (off = 0; off < len; off += PAGE_SIZE) {
		pte_t *old_pte = mm_find_pte(mm, old_addr + off), *new_pte, pte;

		if (!old_pte || pte_none(ptep_get(old_pte)))
			continue;
		new_pte = walk_to_pte_alloc(mm, new_addr + off);
		if (!new_pte)
			break;
		spin_lock(&mm->page_table_lock);
		pte = ptep_get_and_clear(mm, old_addr + off, old_pte);
		if (pte_present(pte))
			flush = true;
		set_pte_at(mm, new_addr + off, new_pte, pte);
		spin_unlock(&mm->page_table_lock);
	}
	if (flush)
		flush_tlb_mm_range(mm, old_addr, old_addr + len, PAGE_SHIFT, false);
	if (av)
		anon_vma_unlock_write(av);
	if (mapping)
		i_mmap_unlock_write(mapping);
	return off;
}

/*
 * copy_vma - the VMA at [addr, addr + len) for the pages of *vmap, merged
 * with its new neighbours when Linux would; NULL when out of memory.
 */
static struct vm_area_struct *copy_vma(struct vm_area_struct **vmap, unsigned long addr,
				       unsigned long len, pgoff_t pgoff)
{
	struct vm_area_struct *vma = *vmap, *new_vma;
	unsigned long vma_start = vma->vm_start;
	struct mm_struct *mm = vma->vm_mm;
	struct vma_merge_struct vmg = {
		.mm = mm, .start = addr, .end = addr + len, .flags = vma->vm_flags,
		.file = vma->vm_file, .anon_vma = vma->anon_vma, .anon_name = vma->anon_name,
		.priv = vma->vm_private_data,
	};

	/* An anonymous VMA never faulted may take its new address's offset. */
	if (vma_is_anonymous(vma) && !vma->anon_vma && !(vma->vm_flags & VM_SHARED))
		pgoff = addr >> PAGE_SHIFT;
	new_vma = find_vma_prev(mm, addr, &vmg.prev);
	if (new_vma && new_vma->vm_start < addr + len)
		return NULL;	/* should never get here */
	vmg.next = new_vma;
	vmg.pgoff = pgoff;
	new_vma = vma_merge_new_range(&vmg);
	if (new_vma) {
		if (vma_start >= new_vma->vm_start && vma_start < new_vma->vm_end)
			*vmap = new_vma;	/* the source merged into it */
		return new_vma;
	}
	new_vma = vm_area_dup(vma);
	if (!new_vma)
		return NULL;
	new_vma->vm_start = addr;
	new_vma->vm_end = addr + len;
	new_vma->vm_pgoff = pgoff;
	if (new_vma->vm_file)
		vma_link_file(new_vma);
	if (anon_vma_clone(new_vma, vma))
		goto out_free;
	if (new_vma->vm_ops && new_vma->vm_ops->open)
		new_vma->vm_ops->open(new_vma);
	if (vma_tree_store(mm, new_vma)) {
		if (new_vma->anon_vma)
			unlink_anon_vmas(new_vma);
		goto out_free;
	}
	mm->map_count++;
	return new_vma;
out_free:
	vm_area_free(new_vma);
	return NULL;
}

static unsigned long move_vma(struct vm_area_struct *vma, unsigned long old_addr,
			      unsigned long old_len, unsigned long new_len, unsigned long new_addr,
			      bool *locked, unsigned long flags)
{
	struct mm_struct *mm = vma->vm_mm;
	long to_account = (long)(new_len - old_len);
	vm_flags_t vm_flags = vma->vm_flags;
	struct vm_area_struct *new_vma, *piece;
	unsigned long moved_len, hiwater_vm, ret;
	bool account_start = false, account_end = false;
	int err = 0;

	/* Avoid failing later in do_munmap, which may split one VMA into three. */
	if (mm->map_count >= READ_ONCE(mm_user_sysctls()->max_map_count) - 3)
		return -ENOMEM;
	if (flags & MREMAP_DONTUNMAP)
		to_account = (long)new_len;
	if (vma->vm_ops && vma->vm_ops->may_split) {
		if (vma->vm_start != old_addr)
			err = vma->vm_ops->may_split(vma, old_addr);
		if (!err && vma->vm_end != old_addr + old_len)
			err = vma->vm_ops->may_split(vma, old_addr + old_len);
		if (err)
			return (unsigned long)(long)err;
	}
	if ((vm_flags & VM_ACCOUNT) &&
	    security_vm_enough_memory_mm(mm, to_account >> PAGE_SHIFT))
		return -ENOMEM;
	new_vma = copy_vma(&vma, new_addr, new_len,
			   vma->vm_pgoff + ((old_addr - vma->vm_start) >> PAGE_SHIFT));
	if (!new_vma) {
		if (vm_flags & VM_ACCOUNT)
			vm_unacct_memory(to_account >> PAGE_SHIFT);
		return -ENOMEM;
	}
	moved_len = move_page_tables(vma, old_addr, new_vma, new_addr, old_len);
	if (moved_len < old_len)
		err = -ENOMEM;
	else if (vma->vm_ops && vma->vm_ops->mremap)
		err = vma->vm_ops->mremap(new_vma);
	ret = new_addr;
	if (unlikely(err)) {
		/* Move back what moved, and unmap the new area instead of the old. */
		move_page_tables(new_vma, new_addr, vma, old_addr, moved_len);
		vma = new_vma;
		old_len = new_len;
		old_addr = new_addr;
		ret = (unsigned long)(long)err;
	}
	/* Conceal VM_ACCOUNT so the old reservation is not undone. */
	if ((vm_flags & VM_ACCOUNT) && !(flags & MREMAP_DONTUNMAP)) {
		vma->vm_flags &= ~VM_ACCOUNT;
		if (vma->vm_start < old_addr)
			account_start = true;
		if (vma->vm_end > old_addr + old_len)
			account_end = true;
	}
	hiwater_vm = mm->hiwater_vm;
	vm_stat_account(mm, vma->vm_flags, (long)(new_len >> PAGE_SHIFT));
	if (!err && (flags & MREMAP_DONTUNMAP)) {
		/*
		 * The old VMA stays, empty and unlocked.  Linux leaves
		 * locked_vm alone here, which is exact only when the whole
		 * VMA moved; mmsim keeps locked_vm equal to the VM_LOCKED
		 * pages in every case (the same when the whole VMA moved).
		 */
		if (vma->vm_flags & VM_LOCKED)
			mm->locked_vm += (new_len >> PAGE_SHIFT) - vma_pages(vma);
		vma->vm_flags &= ~VM_LOCKED_MASK;
		if (new_vma != vma && vma->vm_start == old_addr &&
		    vma->vm_end == old_addr + old_len && vma->anon_vma)
			unlink_anon_vmas(vma);
		return ret;
	}
	if (do_vmi_align_munmap(mm, old_addr, old_addr + old_len) < 0) {
		/* OOM: unable to split vma, just get accounts right */
		if ((vm_flags & VM_ACCOUNT) && !(flags & MREMAP_DONTUNMAP))
			vm_acct_memory((long)(old_len >> PAGE_SHIFT));
		account_start = account_end = false;
	}
	if (vm_flags & VM_LOCKED) {
		mm->locked_vm += new_len >> PAGE_SHIFT;
		*locked = true;
	}
	mm->hiwater_vm = hiwater_vm;
	/* Restore VM_ACCOUNT if one or two pieces of the VMA are left. */
	if (account_start) {
		piece = vma_prev_of(mm, old_addr);
		if (piece)
			piece->vm_flags |= VM_ACCOUNT;
	}
	if (account_end) {
		piece = find_vma(mm, old_addr + old_len);
		if (piece)
			piece->vm_flags |= VM_ACCOUNT;
	}
	return ret;
}

static struct vm_area_struct *vma_to_resize(struct mm_struct *mm, unsigned long addr,
					    unsigned long old_len, unsigned long new_len,
					    unsigned long flags)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	pgoff_t pgoff;

	if (!vma)
		return ERR_PTR(-EFAULT);
	/* hugetlb: mmsim moves no huge leaves (Linux moves aligned ranges) */
	if (is_vm_hugetlb_page(vma))
		return ERR_PTR(-EINVAL);
	if (!old_len && !(vma->vm_flags & (VM_SHARED | VM_MAYSHARE))) {
		struct task_struct *t = current;

		pr_warn_once("%s (%d): attempted to duplicate a private mapping with mremap.  This is not supported.\n",
			     t ? t->comm : "?", t ? t->pid : 0);
		return ERR_PTR(-EINVAL);
	}
	if ((flags & MREMAP_DONTUNMAP) && (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP)))
		return ERR_PTR(-EINVAL);
	/* We can't remap across vm area boundaries */
	if (old_len > vma->vm_end - addr)
		return ERR_PTR(-EFAULT);
	if (new_len == old_len)
		return vma;
	pgoff = ((addr - vma->vm_start) >> PAGE_SHIFT) + vma->vm_pgoff;
	if (pgoff + (new_len >> PAGE_SHIFT) < pgoff)
		return ERR_PTR(-EINVAL);
	if (vma->vm_flags & (VM_DONTEXPAND | VM_PFNMAP))
		return ERR_PTR(-EFAULT);
	if (!mlock_future_ok(mm, vma->vm_flags, new_len - old_len))
		return ERR_PTR(-EAGAIN);
	if (!may_expand_vm(mm, vma->vm_flags, (new_len - old_len) >> PAGE_SHIFT))
		return ERR_PTR(-ENOMEM);
	return vma;
}

static unsigned long mremap_to(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
			       unsigned long new_addr, unsigned long new_len, bool *locked,
			       unsigned long flags)
{
	struct vm_area_struct *vma;
	unsigned long ret, map_flags = 0;

	if (new_addr & ~PAGE_MASK)
		return -EINVAL;
	if (new_len > TASK_SIZE || new_addr > TASK_SIZE - new_len)
		return -EINVAL;
	/* Ensure the old/new locations do not overlap */
	if (addr + old_len > new_addr && new_addr + new_len > addr)
		return -EINVAL;
	/* Room for the new area in terms of vm.max_map_count */
	if ((mm->map_count + 2) >= READ_ONCE(mm_user_sysctls()->max_map_count) - 3)
		return -ENOMEM;
	if (flags & MREMAP_FIXED) {
		ret = (unsigned long)(long)do_munmap(mm, new_addr, new_len, NULL);
		if (ret)
			return ret;
	}
	if (old_len > new_len) {
		ret = (unsigned long)(long)do_munmap(mm, addr + new_len, old_len - new_len, NULL);
		if (ret)
			return ret;
		old_len = new_len;
	}
	vma = vma_to_resize(mm, addr, old_len, new_len, flags);
	if (IS_ERR(vma))
		return (unsigned long)PTR_ERR(vma);
	/* MREMAP_DONTUNMAP expands by old_len since old_len == new_len */
	if ((flags & MREMAP_DONTUNMAP) && !may_expand_vm(mm, vma->vm_flags, old_len >> PAGE_SHIFT))
		return -ENOMEM;
	if (flags & MREMAP_FIXED)
		map_flags |= MAP_FIXED;
	if (vma->vm_flags & VM_MAYSHARE)
		map_flags |= MAP_SHARED;
	ret = get_unmapped_area_mm(mm, vma->vm_file, new_addr, new_len,
				   vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT), map_flags,
				   vma->vm_flags);
	if (IS_ERR_VALUE(ret))
		return ret;
	if (!(flags & MREMAP_FIXED))
		new_addr = ret;
	return move_vma(vma, addr, old_len, new_len, new_addr, locked, flags);
}

static bool vma_expandable(struct vm_area_struct *vma, unsigned long delta)
{
	unsigned long end = vma->vm_end + delta;

	if (end < vma->vm_end)
		return false;
	if (find_vma_intersection(vma->vm_mm, vma->vm_end, end))
		return false;
	if (get_unmapped_area_mm(vma->vm_mm, NULL, vma->vm_start, end - vma->vm_start, 0,
				 MAP_FIXED, 0) & ~PAGE_MASK)
		return false;
	return true;
}

/* Extend @vma by @delta, merging with the next VMA where possible. */
static struct vm_area_struct *vma_merge_extend(struct vm_area_struct *vma, unsigned long delta)
{
	struct vma_merge_struct vmg = {
		.mm = vma->vm_mm, .prev = vma, .start = vma->vm_end, .end = vma->vm_end + delta,
		.flags = vma->vm_flags, .file = vma->vm_file, .anon_vma = vma->anon_vma,
		.anon_name = vma->anon_name, .priv = vma->vm_private_data,
		.pgoff = vma->vm_pgoff + vma_pages(vma),
	};

	vmg.next = find_vma(vma->vm_mm, vma->vm_end);
	return vma_merge_new_range(&vmg);
}

unsigned long do_mremap_mm(struct mm_struct *mm, unsigned long addr, unsigned long old_len,
			   unsigned long new_len, unsigned long flags, unsigned long new_addr)
{
	struct vm_area_struct *vma;
	unsigned long ret = -EINVAL;
	bool locked = false;

	if (flags & ~(unsigned long)(MREMAP_FIXED | MREMAP_MAYMOVE | MREMAP_DONTUNMAP))
		return ret;
	if ((flags & MREMAP_FIXED) && !(flags & MREMAP_MAYMOVE))
		return ret;
	/* MREMAP_DONTUNMAP is always a move and it does not allow resizing in the process. */
	if ((flags & MREMAP_DONTUNMAP) && (!(flags & MREMAP_MAYMOVE) || old_len != new_len))
		return ret;
	if (addr & ~PAGE_MASK)
		return ret;
	old_len = PAGE_ALIGN(old_len);
	new_len = PAGE_ALIGN(new_len);
	/* A zero old_len duplicates a shared mapping; a zero new_len is nonsense. */
	if (!new_len)
		return ret;

	mmap_write_lock(mm);
	vma = vma_lookup(mm, addr);
	if (!vma) {
		ret = -EFAULT;
		goto out;
	}
	if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
		ret = mremap_to(mm, addr, old_len, new_addr, new_len, &locked, flags);
		goto out;
	}
	/* Always allow a shrinking remap: that just unmaps the unnecessary pages. */
	if (old_len >= new_len) {
		if (old_len == new_len) {
			ret = addr;
			goto out;
		}
		ret = (unsigned long)(long)do_munmap(mm, addr + new_len, old_len - new_len, NULL);
		if (!ret)
			ret = addr;
		goto out;
	}
	/* Ok, we need to grow.. */
	vma = vma_to_resize(mm, addr, old_len, new_len, flags);
	if (IS_ERR(vma)) {
		ret = (unsigned long)PTR_ERR(vma);
		goto out;
	}
	/* old_len exactly to the end of the area.. */
	if (old_len == vma->vm_end - addr) {
		unsigned long delta = new_len - old_len;

		if (vma_expandable(vma, delta)) {
			long pages = (long)(delta >> PAGE_SHIFT), charged = 0;

			if (vma->vm_flags & VM_ACCOUNT) {
				if (security_vm_enough_memory_mm(mm, pages)) {
					ret = -ENOMEM;
					goto out;
				}
				charged = pages;
			}
			vma = vma_merge_extend(vma, delta);
			if (!vma) {
				vm_unacct_memory(charged);
				ret = -ENOMEM;
				goto out;
			}
			vm_stat_account(mm, vma->vm_flags, pages);
			if (vma->vm_flags & VM_LOCKED) {
				mm->locked_vm += (unsigned long)pages;
				locked = true;
				new_addr = addr;
			}
			ret = addr;
			goto out;
		}
	}
	/* Create a new mapping and move the pages there. */
	ret = -ENOMEM;
	if (flags & MREMAP_MAYMOVE) {
		unsigned long map_flags = (vma->vm_flags & VM_MAYSHARE) ? MAP_SHARED : 0;

		new_addr = get_unmapped_area_mm(mm, vma->vm_file, 0, new_len,
						vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT),
						map_flags, vma->vm_flags);
		if (IS_ERR_VALUE(new_addr)) {
			ret = new_addr;
			goto out;
		}
		ret = move_vma(vma, addr, old_len, new_len, new_addr, &locked, flags);
	}
out:
	if (ret & ~PAGE_MASK)
		locked = false;
	mmap_write_unlock(mm);
	if (locked && new_len > old_len)
		mm_populate(new_addr + old_len, new_len - old_len);
	return ret;
}

unsigned long sys_mremap(unsigned long addr, unsigned long old_len, unsigned long new_len,
			 unsigned long flags, unsigned long new_addr)
{
	long err = syscall_enter_check();

	if (err)
		return (unsigned long)err;
	return do_mremap_mm(current_user_mm(), addr, old_len, new_len, flags, new_addr);
}
