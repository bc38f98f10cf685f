// SPDX-License-Identifier: GPL-2.0
/*
 * mm/shmem.c - tmpfs, Linux's shmem: a file system whose files live only
 * in the page cache (registered as "tmpfs", mounted by the VFS on /dev/shm
 * and /tmp), and the unlinked objects behind MAP_SHARED|MAP_ANONYMOUS and
 * SysV shm segments, which are files of the same kind on an internal
 * mount (shm_mnt).  Names and semantics are Linux's; docs/tmpfs.md has
 * the whole design.  This file has the pages, the files and the internal
 * objects; mm/shmem_inode.c the inodes, directories and super blocks;
 * mm/shmem_internal.h what they share.
 *
 * Design.
 *   - A super block (shmem_fill_super via mount_nodev; kill_litter_super)
 *     carries a struct shmem_sb_info: the size= limit in pages
 *     (max_blocks, default half of RAM; 0 = unlimited), the pages in use,
 *     nr_inodes= (max_inodes, default min(lowmem, RAM/2) pages' worth;
 *     0 = unlimited) and the free inode count.  shm_mnt has no limits.
 *   - Each inode is the vfs_inode of a struct shmem_inode_info (our
 *     ->alloc_inode/->destroy_inode, slab cache "shmem_inode_cache"),
 *     with alloced = the pages it owns in the cache and the accounting
 *     flags: VM_NORESERVE (charge Committed_AS page by page as they are
 *     allocated: every tmpfs file, and MAP_NORESERVE objects) or not
 *     (the whole size charged at shmem_file_setup: shmem_acct_size,
 *     adjusted when its size changes) and VM_LOCKED (SHM_LOCK).
 *   - Pages: shmem_get_folio() finds the folio at an index or, for a
 *     write or a fault, allocates a zeroed, uptodate, PG_swapbacked one,
 *     charges it (the sb's blocks: -ENOSPC beyond size=; Committed_AS for
 *     VM_NORESERVE: -ENOMEM), adds it to the cache (counted in
 *     NR_FILE_PAGES and NR_SHMEM by mm/filemap.c) and to the anon LRU
 *     (folio_add_lru, as Linux's shmem; LRU_UNEVICTABLE when the mapping
 *     is SHM_LOCKed).  A read of a hole allocates nothing: it copies
 *     zeroes.  Pages are never written back (the aops' dirty_folio only
 *     sets PG_dirty); they leave only by truncation (shmem_undo_range) or
 *     eviction; swap comes with issue 13.
 *   - Directories hold no data: their entries are the dcache's pinned
 *     dentries (every create/mkdir/link takes a dentry reference that
 *     unlink/rmdir drop, and kill_litter_super drops at unmount); i_size
 *     is BOGO_DIRENT_SIZE per entry, as Linux's.
 *   - Truncation (shmem_setattr, ATTR_SIZE): i_size first, then the PTEs
 *     of every mapping beyond it (unmap_mapping_range), then the pages
 *     (shmem_undo_range: whole pages leave the cache locked, the partial
 *     one is zeroed past the new end); a later touch of the mapping there
 *     faults beyond EOF: SIGBUS.  shmem_recalc_inode turns pages gone from
 *     the cache into freed blocks (alloced - nrpages), as Linux's.
 *   - Eviction: the last iput of an unlinked inode (drop_inode always
 *     drops: a linked inode is pinned by its dentry) truncates everything,
 *     gives back the size charge and the inode slot.
 *
 * Locking.  inode_lock (i_rwsem) serializes writes, truncation and the
 *   directory operations (the VFS takes the directory's); the mapping's
 *   invalidate_lock is held for writing by truncation; a fault takes
 *   neither: it rechecks i_size after adding a page and removes it again
 *   when truncation raced (Linux's SGP_CACHE recheck).  info->lock (a
 *   spinlock) guards alloced, i_blocks and flags; sbinfo->stat_lock
 *   guards free_inodes and next_ino; used_blocks is atomic.  Folio lock
 *   -> i_mmap_rwsem -> xa_lock -> info->lock -> lru_lock.  i_mmap is a
 *   list under i_mmap_rwsem (the VMAs that map the file), linked by
 *   mmap_region/vma_link_file and unlinked before page tables are freed.
 *
 * Invariants (shmem_sb_is_valid): for each inode at rest, alloced ==
 *   nrpages, i_blocks == alloced * BLOCKS_PER_PAGE, no page lies at or
 *   beyond DIV_ROUND_UP(i_size, PAGE_SIZE); the sum of alloced over the
 *   sb's regular inodes == used_blocks <= max_blocks (when limited);
 *   inodes + free_inodes == max_inodes (when limited); every cached page
 *   is PG_swapbacked, on an LRU list, with mapping == the inode's.
 */
#include <string.h>
#include <errno.h>
#include <mmsim/migrate.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <mmsim/err.h>
#include <mmsim/shmem_fs.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include <mmsim/rmap.h>
#include <mmsim/slab.h>
#include <mmsim/swap.h>
#include <mmsim/highmem.h>
#include <mmsim/vmstat.h>
#include <mmsim/printk.h>
#include <mmsim/uaccess.h>
#include <mmsim/fcntl.h>
#include "mm/fault_internal.h"
#include "mm/shmem_internal.h"


/* shmem_get_folio's modes (Linux's enum sgp_type). */
enum sgp_type {
	SGP_READ,	/* don't exceed i_size, don't allocate: NULL for a hole */
	SGP_CACHE,	/* don't exceed i_size, may allocate (faults) */
	SGP_WRITE,	/* may exceed i_size, may allocate (write_begin) */
};

static const struct vm_operations_struct shmem_vm_ops;
static const struct vm_operations_struct shmem_anon_vm_ops;
static vm_fault_t shmem_fault(struct vm_fault *vmf);

bool vma_is_anon_shmem(const struct vm_area_struct *vma)
{
	return vma->vm_ops == &shmem_anon_vm_ops;
}

bool vma_is_shmem(const struct vm_area_struct *vma)
{
	return vma_is_anon_shmem(vma) || vma->vm_ops == &shmem_vm_ops;
}

bool shmem_mapping(const struct address_space *mapping)
{
	return mapping && mapping->a_ops == &shmem_aops;
}

unsigned long shmem_charged_pages(const struct file *file)
{
	return file ? SHMEM_I(file->f_inode)->charged : 0;
}

/* AS_UNEVICTABLE (Linux's mapping_set_unevictable & co., <linux/pagemap.h>). */
static inline bool shmem_mapping_unevictable(const struct address_space *mapping)
{
	return __atomic_load_n(&mapping->flags, __ATOMIC_RELAXED) & (1UL << AS_UNEVICTABLE);
}

/* --- accounting --------------------------------------------------------
 * Committed_AS: the whole size at setup (shmem_acct_size) unless
 * VM_NORESERVE, else page by page as they are allocated (shmem_acct_blocks).
 */

static int shmem_acct_size(unsigned long flags, loff_t size)
{
	if (flags & VM_NORESERVE)
		return 0;
	return security_vm_enough_memory_mm(current ? current->mm : NULL,
					    (long)(PAGE_ALIGN((unsigned long)size) >> PAGE_SHIFT));
}

void shmem_unacct_size(struct shmem_inode_info *info)
{
	if (info->charged)
		vm_unacct_memory((long)info->charged);
	info->charged = 0;
}

/* A VM_ACCOUNT object resized (shmem_reacct_size). */
int shmem_reacct_size(struct shmem_inode_info *info, loff_t oldsize, loff_t newsize)
{
	long oldp = (long)(PAGE_ALIGN((unsigned long)oldsize) >> PAGE_SHIFT);
	long newp = (long)(PAGE_ALIGN((unsigned long)newsize) >> PAGE_SHIFT);

	if (shmem_flags(info) & VM_NORESERVE)
		return 0;
	if (newp > oldp) {
		if (security_vm_enough_memory_mm(current ? current->mm : NULL, newp - oldp))
			return -ENOMEM;
		info->charged += (unsigned long)(newp - oldp);
	} else if (newp < oldp) {
		vm_unacct_memory(oldp - newp);
		info->charged -= (unsigned long)(oldp - newp);
	}
	return 0;
}

/* @pages more for @inode: the sb's size= limit, then Committed_AS. */
static int shmem_inode_acct_blocks(struct inode *inode, long pages)
{
	struct shmem_inode_info *info = SHMEM_I(inode);
	struct shmem_sb_info *sbinfo = SHMEM_SB(inode->i_sb);

	if ((shmem_flags(info) & VM_NORESERVE) &&
	    security_vm_enough_memory_mm(current ? current->mm : NULL, pages))
		return -ENOMEM;
	if (sbinfo && sbinfo->max_blocks) {
		long used = atomic_fetch_add_explicit(&sbinfo->used_blocks.counter, pages,
						      memory_order_relaxed) + pages;

		if ((unsigned long)used > sbinfo->max_blocks) {
			atomic_long_add(-pages, &sbinfo->used_blocks);
			if (shmem_flags(info) & VM_NORESERVE)
				vm_unacct_memory(pages);
			return -ENOSPC;
		}
	} else if (sbinfo) {
		atomic_long_add(pages, &sbinfo->used_blocks);
	}
	return 0;
}

static void shmem_inode_unacct_blocks(struct inode *inode, long pages)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(inode->i_sb);

	if (shmem_flags(SHMEM_I(inode)) & VM_NORESERVE)
		vm_unacct_memory(pages);
	if (sbinfo)
		atomic_long_add(-pages, &sbinfo->used_blocks);
}

/*
 * shmem_recalc_inode - @alloced pages were just added; pages that left the
 * cache since (alloced - nrpages) are freed blocks.
 */
void shmem_recalc_inode(struct inode *inode, long alloced)
{
	struct shmem_inode_info *info = SHMEM_I(inode);
	long freed;

	spin_lock(&info->lock);
	info->alloced += (unsigned long)alloced;
	freed = (long)info->alloced - (long)info->swapped - atomic_long_read(&inode->i_mapping->nrpages);
	if (freed > 0)
		info->alloced -= (unsigned long)freed;
	inode->i_blocks = (blkcnt_t)(info->alloced * BLOCKS_PER_PAGE);
	spin_unlock(&info->lock);
	if (freed > 0)
		shmem_inode_unacct_blocks(inode, freed);
}

/* An inode slot of nr_inodes= (shmem_reserve_inode); its number. */
int shmem_reserve_inode(struct super_block *sb, unsigned long *inop)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(sb);

	if (!sbinfo || sbinfo->kernel) {
		if (inop)
			*inop = get_next_ino();
		return 0;
	}
	spin_lock(&sbinfo->stat_lock);
	if (sbinfo->max_inodes) {
		if (!sbinfo->free_inodes) {
			spin_unlock(&sbinfo->stat_lock);
			return -ENOSPC;
		}
		sbinfo->free_inodes--;
	}
	if (inop)
		*inop = sbinfo->next_ino++;
	spin_unlock(&sbinfo->stat_lock);
	return 0;
}

void shmem_free_inode(struct super_block *sb)
{
	struct shmem_sb_info *sbinfo = SHMEM_SB(sb);

	if (!sbinfo || sbinfo->kernel || !sbinfo->max_inodes)
		return;
	spin_lock(&sbinfo->stat_lock);
	sbinfo->free_inodes++;
	spin_unlock(&sbinfo->stat_lock);
}

/* --- the page cache ----------------------------------------------------- */

/* A new page for @index: zeroed, uptodate, swap-backed, locked, charged, cached. */
static struct folio *shmem_alloc_and_add_folio(struct inode *inode, pgoff_t index, gfp_t gfp)
{
	struct address_space *mapping = inode->i_mapping;
	struct folio *folio;
	struct page *page;
	int err;

	err = shmem_inode_acct_blocks(inode, 1);
	if (err)
		return ERR_PTR(err);
	page = alloc_page(gfp);
	if (!page) {
		shmem_inode_unacct_blocks(inode, 1);
		return ERR_PTR(-ENOMEM);
	}
	clear_highpage(page);
	SetPageUptodate(page);
	page_flag_set(page, PG_swapbacked);
	folio = page_folio(page);
	if (!folio_trylock(folio))	/* new: nobody else has it */
		WARN_ON_ONCE(1);
	err = __filemap_add_folio(mapping, folio, index, gfp, NULL);
	if (err) {
		folio_unlock(folio);
		page_flag_clear(page, PG_swapbacked);
		__free_page(page);
		shmem_inode_unacct_blocks(inode, 1);
		return ERR_PTR(err);
	}
	/* Linux's shmem: onto the anon LRU; unevictable when SHM_LOCKed. */
	folio_add_lru(folio);
	if (shmem_mapping_unevictable(mapping))
		folio_lru_mlock(folio);
	shmem_recalc_inode(inode, 1);
	return folio;	/* the allocation's reference is the caller's */
}

/* Remove a locked @folio of @inode's cache (truncate_inode_folio). */
static void shmem_delete_folio(struct address_space *mapping, struct folio *folio)
{
	if (folio->page.mapping != mapping)
		return;
	if (folio_mapped(folio)) {
		loff_t pos = (loff_t)folio->page.index << PAGE_SHIFT;

		unmap_mapping_range(mapping, pos, PAGE_SIZE, 0);
	}
	page_flag_clear(&folio->page, PG_dirty);	/* folio_cancel_dirty */
	filemap_remove_folio(folio);
}

/*
 * shmem_get_folio - the folio at @index of @inode, referenced and locked,
 * in *@foliop; NULL for a hole with SGP_READ.  -EINVAL beyond i_size for
 * SGP_READ/SGP_CACHE, -ENOSPC past size=, -ENOMEM.
 */
static int shmem_get_folio(struct inode *inode, pgoff_t index, struct folio **foliop,
			   enum sgp_type sgp, bool fault)
{
	struct address_space *mapping = inode->i_mapping;
	struct folio *folio;
	void *entry;

	*foliop = NULL;
	if (sgp <= SGP_CACHE &&
	    ((loff_t)index << PAGE_SHIFT) >= i_size_read(inode))
		return -EINVAL;
repeat:
	folio = __filemap_get_folio(mapping, index, FGP_LOCK, 0);
	if (!IS_ERR(folio)) {
		*foliop = folio;
		return 0;
	}
	/* On swap: bring it back (mm/shmem_swap.c). */
	entry = xa_load(&mapping->i_pages, index);
	if (xa_is_value(entry)) {
		int err = shmem_swapin_folio(inode, index, entry, foliop, fault);

		if (err == -EEXIST)
			goto repeat;	/* the entry changed under us */
		return err;
	}
	if (sgp == SGP_READ)
		return 0;
	folio = shmem_alloc_and_add_folio(inode, index, mapping_gfp_mask(mapping));
	if (IS_ERR(folio)) {
		if (PTR_ERR(folio) == -EEXIST)
			goto repeat;	/* another CPU added it first */
		return (int)PTR_ERR(folio);
	}
	/* Truncated meanwhile?  (a fault does not hold inode_lock) */
	if (sgp <= SGP_CACHE &&
	    ((loff_t)index << PAGE_SHIFT) >= i_size_read(inode)) {
		shmem_delete_folio(mapping, folio);
		folio_unlock(folio);
		put_page(&folio->page);
		shmem_recalc_inode(inode, 0);
		return -EINVAL;
	}
	*foliop = folio;
	return 0;
}

/* The locked folio at @index, swapped in if it is on swap; ERR_PTR for a hole. */
static struct folio *shmem_get_partial_folio(struct inode *inode, pgoff_t index)
{
	struct folio *folio;
	void *entry;

	for (;;) {
		folio = __filemap_get_folio(inode->i_mapping, index, FGP_LOCK, 0);
		if (!IS_ERR(folio))
			return folio;
		entry = xa_load(&inode->i_mapping->i_pages, index);
		if (!xa_is_value(entry))
			return ERR_PTR(-ENOENT);
		if (shmem_swapin_folio(inode, index, entry, &folio, false) != -EEXIST)
			return folio ? folio : ERR_PTR(-ENOENT);
	}
}

/*
 * shmem_undo_range - remove the pages of [lstart, lend] (lend inclusive,
 * -1: to the end); zero the part of a partial page inside the range.
 */
void shmem_undo_range(struct inode *inode, loff_t lstart, loff_t lend)
{
	struct address_space *mapping = inode->i_mapping;
	pgoff_t start = (pgoff_t)((lstart + PAGE_SIZE - 1) >> PAGE_SHIFT);
	pgoff_t end = lend == -1 ? (pgoff_t)-1 : (pgoff_t)((lend + 1) >> PAGE_SHIFT);
	unsigned int partial_start = (unsigned int)(lstart & (PAGE_SIZE - 1));
	unsigned int partial_end = lend == -1 ? 0 : (unsigned int)((lend + 1) & (PAGE_SIZE - 1));
	struct folio_batch fbatch;
	pgoff_t index = start;

	/* whole pages [start, end) */
	folio_batch_init(&fbatch);
	while (index < end &&
	       filemap_get_folios(mapping, &index, end == (pgoff_t)-1 ? end : end - 1, &fbatch)) {
		for (unsigned int i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];

			folio_lock(folio);
			shmem_delete_folio(mapping, folio);
			folio_unlock(folio);
		}
		folio_batch_release(&fbatch);
		if (index == (pgoff_t)-1)
			break;
	}
	shmem_free_swap_range(inode, start, end);	/* whole pages on swap */
	/* the partial pages at either end: zero the range's part */
	if (partial_start) {
		pgoff_t pidx = (pgoff_t)(lstart >> PAGE_SHIFT);
		struct folio *folio = shmem_get_partial_folio(inode, pidx);

		if (!IS_ERR(folio)) {
			unsigned int top = PAGE_SIZE;
			char *kaddr;

			if (lend != -1 && (pgoff_t)(lend >> PAGE_SHIFT) == pidx)
				top = (unsigned int)((lend & (PAGE_SIZE - 1)) + 1);
			kaddr = kmap_local_page(&folio->page);

			memset(kaddr + partial_start, 0, top - partial_start);
			kmsan_unpoison_memory(kaddr + partial_start, top - partial_start);
			kunmap_local(kaddr);
			folio_unlock(folio);
			put_page(&folio->page);
		}
	}
	if (partial_end && end != (pgoff_t)-1 &&
	    (!partial_start || end > (pgoff_t)(lstart >> PAGE_SHIFT))) {
		struct folio *folio = shmem_get_partial_folio(inode, end);

		if (!IS_ERR(folio)) {
			char *kaddr = kmap_local_page(&folio->page);

			memset(kaddr, 0, partial_end);
			kmsan_unpoison_memory(kaddr, partial_end);
			kunmap_local(kaddr);
			folio_unlock(folio);
			put_page(&folio->page);
		}
	}
	shmem_recalc_inode(inode, 0);
}

void shmem_truncate_range(struct inode *inode, loff_t lstart, loff_t lend)
{
	shmem_undo_range(inode, lstart, lend);
	inode->i_mtime = inode->i_ctime = current_time(inode);
}

/* --- SHM_LOCK ------------------------------------------------------------ */

/*
 * shmem_lock - SHM_LOCK (@lock) / SHM_UNLOCK of a SysV segment's file: its
 * pages become unevictable (AS_UNEVICTABLE: new ones go to
 * LRU_UNEVICTABLE, present ones are moved there), or evictable again
 * (shmem_unlock_mapping rescues them).  Linux charges RLIMIT_MEMLOCK to
 * the user; every mmsim task is root (CAP_IPC_LOCK).
 */
int shmem_lock(struct file *file, int lock)
{
	struct inode *inode = file_inode(file);
	struct shmem_inode_info *info = SHMEM_I(inode);
	struct address_space *mapping = file->f_mapping;
	struct folio_batch fbatch;
	pgoff_t index = 0;

	spin_lock(&info->lock);
	if (lock && !(info->flags & VM_LOCKED)) {
		__atomic_fetch_or(&info->flags, VM_LOCKED, __ATOMIC_RELAXED);
		__atomic_fetch_or(&mapping->flags, 1UL << AS_UNEVICTABLE, __ATOMIC_RELAXED);
	} else if (!lock && (info->flags & VM_LOCKED)) {
		__atomic_fetch_and(&info->flags, ~VM_LOCKED, __ATOMIC_RELAXED);
		__atomic_fetch_and(&mapping->flags, ~(1UL << AS_UNEVICTABLE), __ATOMIC_RELAXED);
	} else {
		spin_unlock(&info->lock);
		return 0;
	}
	spin_unlock(&info->lock);
	/* Linux moves them lazily (vmscan culls); mmsim at once. */
	folio_batch_init(&fbatch);
	while (filemap_get_folios(mapping, &index, (pgoff_t)-1, &fbatch)) {
		for (unsigned int i = 0; i < folio_batch_count(&fbatch); i++) {
			if (lock)
				folio_lru_mlock(fbatch.folios[i]);
			else
				folio_lru_munlock(fbatch.folios[i]);	/* shmem_unlock_mapping */
		}
		folio_batch_release(&fbatch);
		if (index == (pgoff_t)-1)
			break;
	}
	return 0;
}

/* --- faults -------------------------------------------------------------- */

/* ->fault: vmf->page gets the page at vmf->pgoff, referenced for the PTE. */
static vm_fault_t shmem_fault(struct vm_fault *vmf)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	struct folio *folio;
	int err;

	err = shmem_get_folio(inode, vmf->pgoff, &folio, SGP_CACHE, true);
	if (err)
		return err == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;	/* vmf_error */
	folio_unlock(folio);
	vmf->page = &folio->page;
	return 0;
}

static const struct vm_operations_struct shmem_vm_ops = {
	.fault = shmem_fault,
};

static const struct vm_operations_struct shmem_anon_vm_ops = {
	.fault = shmem_fault,
};

/* ->mmap of a shmem file: its VMAs fault from the cache. */
int shmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	vma->vm_ops = &shmem_vm_ops;
	return 0;
}

/* --- reads and writes ---------------------------------------------------- */

/*
 * shmem_file_read_iter - copy from the cache; a hole reads as zeroes
 * without allocating (Linux's shmem_file_read_iter).
 */
static ssize_t shmem_file_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file_inode(file);
	pgoff_t index = (pgoff_t)(iocb->ki_pos >> PAGE_SHIFT);
	size_t offset = (size_t)(iocb->ki_pos & (PAGE_SIZE - 1));
	ssize_t retval = 0;
	int error = 0;

	if (iocb->ki_pos < 0)
		return -EINVAL;
	for (;;) {
		struct folio *folio = NULL;
		loff_t i_size = i_size_read(inode);
		pgoff_t end_index = (pgoff_t)(i_size >> PAGE_SHIFT);
		size_t nr = PAGE_SIZE, ret;

		if (index > end_index)
			break;
		if (index == end_index) {
			nr = (size_t)(i_size & (PAGE_SIZE - 1));
			if (nr <= offset)
				break;
		}
		error = shmem_get_folio(inode, index, &folio, SGP_READ, false);
		if (error) {
			if (error == -EINVAL)
				error = 0;
			break;
		}
		if (folio)
			folio_unlock(folio);
		/* i_size may have changed while we looked: recheck */
		i_size = i_size_read(inode);
		end_index = (pgoff_t)(i_size >> PAGE_SHIFT);
		nr = PAGE_SIZE;
		if (index == end_index) {
			nr = (size_t)(i_size & (PAGE_SIZE - 1));
			if (nr <= offset) {
				if (folio)
					put_page(&folio->page);
				break;
			}
		} else if (index > end_index) {
			if (folio)
				put_page(&folio->page);
			break;
		}
		nr -= offset;
		if (folio) {
			if (!offset)
				folio_mark_accessed(folio);
			ret = copy_page_to_iter(&folio->page, offset, nr, to);
			put_page(&folio->page);
		} else {
			ret = iov_iter_zero(nr, to);
		}
		retval += (ssize_t)ret;
		offset += ret;
		index += offset >> PAGE_SHIFT;
		offset &= PAGE_SIZE - 1;
		if (!iov_iter_count(to))
			break;
		if (ret < nr) {
			error = -EFAULT;
			break;
		}
	}
	iocb->ki_pos = ((loff_t)index << PAGE_SHIFT) + (loff_t)offset;
	inode->i_atime = current_time(inode);	/* file_accessed */
	return retval ? retval : error;
}

/* shmem_file_write_iter - generic_perform_write through our write_begin/end. */
static ssize_t shmem_file_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	ssize_t ret;

	inode_lock(inode);
	ret = generic_write_checks(iocb, from);
	if (ret <= 0)
		goto unlock;
	inode->i_mtime = inode->i_ctime = current_time(inode);	/* file_update_time */
	ret = generic_perform_write(iocb, from);
unlock:
	inode_unlock(inode);
	if (ret > 0)
		ret = generic_write_sync(iocb, ret);
	return ret;
}

static int shmem_write_begin(struct file *file, struct address_space *mapping, loff_t pos,
			     unsigned int len, struct folio **foliop, void **fsdata)
{
	struct inode *inode = mapping->host;
	pgoff_t index = (pgoff_t)(pos >> PAGE_SHIFT);
	struct folio *folio;
	int ret;

	(void)file;
	(void)len;
	(void)fsdata;
	ret = shmem_get_folio(inode, index, &folio, SGP_WRITE, false);
	if (ret)
		return ret;
	*foliop = folio;
	return 0;
}

static int shmem_write_end(struct file *file, struct address_space *mapping, loff_t pos,
			   unsigned int len, unsigned int copied, struct folio *folio, void *fsdata)
{
	struct inode *inode = mapping->host;

	(void)file;
	(void)len;
	(void)fsdata;
	if (pos + copied > inode->i_size)
		i_size_write(inode, pos + copied);
	if (!copied && pos >= (loff_t)PAGE_ALIGN((unsigned long)inode->i_size)) {
		/* a failed copy left a page past EOF: it goes again */
		shmem_delete_folio(mapping, folio);
		folio_unlock(folio);
		put_page(&folio->page);
		shmem_recalc_inode(inode, 0);
		return 0;
	}
	/* zeroed and uptodate since allocation: a short copy leaves it so
	 * (no SetPageUptodate here: a plain RMW of the flags of a page other
	 * CPUs may be locking) */
	page_flag_set(&folio->page, PG_dirty);	/* folio_mark_dirty -> noop_dirty_folio */
	folio_unlock(folio);
	put_page(&folio->page);
	return (int)copied;
}

/* shmem pages are never written back: dirty is a flag only (noop_dirty_folio). */
static bool shmem_dirty_folio(struct address_space *mapping, struct folio *folio)
{
	(void)mapping;
	return !(__atomic_fetch_or(&folio->page.flags, 1UL << PG_dirty, __ATOMIC_RELAXED) &
		 (1UL << PG_dirty));
}

const struct address_space_operations shmem_aops = {
	.write_begin = shmem_write_begin,
	.write_end = shmem_write_end,
	.dirty_folio = shmem_dirty_folio,
	.migrate_folio = migrate_folio,
};

const struct file_operations shmem_file_operations = {
	.mmap = shmem_mmap,
	.open = generic_file_open,
	.llseek = generic_file_llseek,
	.read_iter = shmem_file_read_iter,
	.write_iter = shmem_file_write_iter,
	.fsync = noop_fsync,
};

/* --- the internal objects: shared anonymous memory, SysV shm ----------- */

/*
 * __shmem_file_setup - an unlinked shmem file of @size bytes on @mnt
 * (Linux: S_PRIVATE on shm_mnt).  @flags: VM_NORESERVE not to charge its
 * pages to Committed_AS now (they are charged as they are allocated).
 */
static struct file *__shmem_file_setup(struct vfsmount *mnt, const char *name, loff_t size,
				       unsigned long flags)
{
	struct inode *inode;
	struct file *res;

	if (IS_ERR_OR_NULL(mnt))
		return ERR_PTR(mnt ? PTR_ERR(mnt) : -ENODEV);
	if (size < 0 || size > SHMEM_MAX_BYTES)
		return ERR_PTR(-EINVAL);
	if (shmem_acct_size(flags, size))
		return ERR_PTR(-ENOMEM);
	inode = shmem_get_inode(mnt->mnt_sb, NULL, S_IFREG | 0777, 0, flags);
	if (IS_ERR(inode)) {
		if (!(flags & VM_NORESERVE))
			vm_unacct_memory((long)(PAGE_ALIGN((unsigned long)size) >> PAGE_SHIFT));
		return ERR_PTR(PTR_ERR(inode));
	}
	/* from here the inode owns the charge: evict gives it back */
	if (!(flags & VM_NORESERVE))
		SHMEM_I(inode)->charged = PAGE_ALIGN((unsigned long)size) >> PAGE_SHIFT;
	inode->i_size = size;
	clear_nlink(inode);	/* it is unlinked */
	res = alloc_file_pseudo(inode, name, O_RDWR, &shmem_file_operations);
	if (IS_ERR(res))
		iput(inode);
	return res;
}

static struct vfsmount *shm_mnt(void)
{
	struct tmpfs_state *ts = tmpfs_state();

	return ts ? ts->shm_mnt : NULL;
}

struct file *shmem_kernel_file_setup(const char *name, loff_t size, unsigned long flags)
{
	return __shmem_file_setup(shm_mnt(), name, size, flags);
}

struct file *shmem_file_setup(const char *name, loff_t size, unsigned long flags)
{
	return __shmem_file_setup(shm_mnt(), name, size, flags);
}

struct file *shmem_file_setup_with_mnt(struct vfsmount *mnt, const char *name, loff_t size,
				       unsigned long flags)
{
	return __shmem_file_setup(mnt, name, size, flags);
}

/*
 * shmem_zero_setup - back a new shared anonymous VMA (not yet in the tree)
 * with a shmem file of its size, as Linux's mmap of /dev/zero or
 * MAP_SHARED|MAP_ANONYMOUS.  The VMA takes the file's first reference.
 */
int shmem_zero_setup(struct vm_area_struct *vma)
{
	loff_t size = (loff_t)(vma->vm_end - vma->vm_start);
	struct file *file = shmem_kernel_file_setup("/dev/zero", size, vma->vm_flags);

	if (IS_ERR(file))
		return (int)PTR_ERR(file);
	if (vma->vm_file)
		fput(vma->vm_file);
	vma->vm_file = file;
	vma->vm_ops = &shmem_anon_vm_ops;
	vma_link_file(vma);
	return 0;
}

/* --- i_mmap ---------------------------------------------------------- */

void i_mmap_lock_read(struct address_space *mapping)
{
	down_read(&mapping->i_mmap_rwsem);
}

void i_mmap_lock_write(struct address_space *mapping)
{
	down_write(&mapping->i_mmap_rwsem);
}

void i_mmap_unlock_write(struct address_space *mapping)
{
	up_write(&mapping->i_mmap_rwsem);
}

void i_mmap_unlock_read(struct address_space *mapping)
{
	up_read(&mapping->i_mmap_rwsem);
}

void __vma_link_file(struct vm_area_struct *vma)
{
	list_add_tail(&vma->shared, &vma->vm_file->f_mapping->i_mmap);
}

void vma_link_file(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file->f_mapping;

	down_write(&mapping->i_mmap_rwsem);
	__vma_link_file(vma);
	up_write(&mapping->i_mmap_rwsem);
}

/* free_pgtables unlinks a VMA before its tables go, vm_area_free any other. */
void vma_unlink_file(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file->f_mapping;

	down_write(&mapping->i_mmap_rwsem);
	if (!list_empty(&vma->shared))
		list_del_init(&vma->shared);
	up_write(&mapping->i_mmap_rwsem);
}

/* --- the tmpfs subsystem: the inode cache, "tmpfs", the internal mount -- */

static int tmpfs_init(struct mmsim *m, char *err, size_t errlen)
{
	struct tmpfs_state *ts = subsys_state(m, tmpfs);
	struct vfsmount *mnt;
	int ret;

	shmem_swaplist_init(ts);
	ts->inode_cachep = kmem_cache_create("shmem_inode_cache", sizeof(struct shmem_inode_info),
					     0, SLAB_ACCOUNT, NULL);
	if (!ts->inode_cachep) {
		snprintf(err, errlen, "tmpfs: no inode cache");
		return -ENOMEM;
	}
	/* The VFS may not be there yet (its stubs): shmem objects stand alone. */
	mnt = kern_mount(&shmem_fs_type);
	if (!IS_ERR_OR_NULL(mnt))
		ts->shm_mnt = mnt;
	ret = register_filesystem(&shmem_fs_type);
	ts->registered = !ret;
	return 0;
}

static void tmpfs_exit(struct mmsim *m)
{
	struct tmpfs_state *ts = subsys_state(m, tmpfs);

	if (ts->registered)
		unregister_filesystem(&shmem_fs_type);
	ts->registered = false;
	if (ts->shm_mnt)
		kern_unmount(ts->shm_mnt);
	ts->shm_mnt = NULL;
	if (ts->inode_cachep)
		kmem_cache_destroy(ts->inode_cachep);
	ts->inode_cachep = NULL;
}

static const struct initcall tmpfs_initcalls[] = {
	core_initcall(tmpfs_init, tmpfs_exit),
};

DEFINE_SUBSYSTEM(tmpfs, SUBSYS_STATE(struct tmpfs_state, NULL),
		 SUBSYS_INITCALLS(tmpfs_initcalls));
