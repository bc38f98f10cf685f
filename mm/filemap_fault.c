// SPDX-License-Identifier: GPL-2.0
/*
 * mm/filemap_fault.c - mapping the page cache into user space (Linux's
 * filemap_fault, filemap_map_pages, filemap_page_mkwrite and
 * generic_file_mmap of mm/filemap.c): the vm_operations of a file whose
 * pages live in the cache (generic_file_vm_ops).
 *
 * Design.  A fault on an empty PTE of such a VMA first tries fault-around
 * (mm/memory.c do_read_fault -> filemap_map_pages): the cached, uptodate,
 * unlocked folios of the fault_around_bytes window around the address
 * are mapped without I/O; if that mapped the faulting address the fault
 * was minor and is done.  Otherwise filemap_fault:
 *   - beyond EOF (the page holding i_size - 1 is the last): SIGBUS;
 *   - the folio is cached: an async mmap readahead if it carries the
 *     PG_readahead marker (and ra->mmap_miss goes down: a hit);
 *   - it is not: PGMAJFAULT, VM_FAULT_MAJOR, and sync mmap readahead:
 *     VM_SEQ_READ (MADV_SEQUENTIAL) reads ra_pages ahead, VM_RAND_READ
 *     none; otherwise ra->mmap_miss goes up and, unless it passed
 *     MMAP_LOTSAMISS (the file misses far more than it hits), a window of
 *     ra_pages around the address is read (read-around: start at pgoff -
 *     ra_pages/2, async_size ra_pages/4);
 *   - then the folio is found or created (FGP_CREAT), locked, and if still
 *     not uptodate read synchronously once (an error is SIGBUS); i_size is
 *     rechecked under the folio lock (a racing truncate: SIGBUS);
 *   - it returns the folio locked with a reference in vmf->page
 *     (VM_FAULT_LOCKED); do_read_fault / do_shared_fault / do_cow_fault
 *     map it (or a private copy) and unlock it.
 * filemap_page_mkwrite (a write to a shared page, first time) locks the
 * folio, checks it still belongs to the file and lies before EOF
 * (VM_FAULT_NOPAGE otherwise: the fault is retried and finds the truth),
 * updates the file's mtime and marks the folio dirty (folio_mark_dirty,
 * through the file system's ->dirty_folio), waiting for stable pages.
 * mmsim has no VM_FAULT_RETRY: the mmap_lock is never dropped for I/O, the
 * fault waits for it holding the lock (Linux drops it and retries).
 *
 * Locking: the invalidate_lock is taken shared around creating and
 * reading a folio (truncation holds it exclusively); the folio lock
 * orders against truncation (filemap_fault rechecks ->mapping and i_size
 * under it); fault-around only trylocks, under no PTE lock, and maps under
 * the PTE lock of the faulting mm after checking the PTE is still empty.
 *
 * Invariants: a PTE maps a folio only while the folio is in the cache
 * (truncation unmaps before it removes); the PTE holds a reference and a
 * mapcount (file rmap) and counts in MM_FILEPAGES / MM_SHMEMPAGES.
 */
#include <errno.h>
#include <mmsim/err.h>
#include <mmsim/pagemap.h>
#include <mmsim/rmap.h>
#include <mmsim/vmstat.h>
#include <mmsim/writeback.h>
#include <mmsim/printk.h>
#include "mm/pagecache_internal.h"

/* --- mmap -------------------------------------------------------------- */

int generic_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct address_space *mapping = file->f_mapping;

	if (!mapping->a_ops || !mapping->a_ops->read_folio)
		return -ENOEXEC;
	vma->vm_ops = &generic_file_vm_ops;
	return 0;
}

/* A shared map that may become writable is refused (Linux's). */
int generic_file_readonly_mmap(struct file *file, struct vm_area_struct *vma)
{
	if ((vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == (VM_SHARED | VM_MAYWRITE))
		return -EINVAL;
	return generic_file_mmap(file, vma);
}

/* --- filemap_fault ----------------------------------------------------- */

static pgoff_t file_pages(struct inode *inode)
{
	return (pgoff_t)((i_size_read(inode) + PAGE_SIZE - 1) >> PAGE_SHIFT);
}

/* A miss: read ahead (VM_SEQ_READ), around the fault, or nothing. */
static void do_sync_mmap_readahead(struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file;
	struct file_ra_state *ra = &file->f_ra;
	struct address_space *mapping = file->f_mapping;
	struct readahead_control rac = {
		.file = file, .mapping = mapping, .ra = ra, ._index = vmf->pgoff,
	};
	vm_flags_t vm_flags = vmf->vma->vm_flags;
	unsigned int mmap_miss;

	if (vm_flags & VM_RAND_READ)	/* no read-ahead wanted */
		return;
	if (!ra->ra_pages)
		return;
	if (vm_flags & VM_SEQ_READ) {
		page_cache_sync_ra(&rac, ra->ra_pages);
		return;
	}
	mmap_miss = __atomic_load_n(&ra->mmap_miss, __ATOMIC_RELAXED);
	if (mmap_miss < MMAP_LOTSAMISS * 10)
		__atomic_store_n(&ra->mmap_miss, ++mmap_miss, __ATOMIC_RELAXED);
	/* Missing far more than hitting: read-ahead would only hurt. */
	if (mmap_miss > MMAP_LOTSAMISS)
		return;
	/* mmap read-around */
	{
		/* Faults on other CPUs update the same file's ra state (Linux
		 * tolerates the race): publish it with relaxed atomic stores
		 * and work on the local copy. */
		pgoff_t start = vmf->pgoff > ra->ra_pages / 2 ? vmf->pgoff - ra->ra_pages / 2 : 0;
		unsigned long nr = ra->ra_pages, la = ra->ra_pages / 4;
		/* page_cache_ra_order -> do_page_cache_ra: not past EOF. */
		pgoff_t end = file_pages(mapping->host);

		__atomic_store_n(&ra->start, start, __ATOMIC_RELAXED);
		__atomic_store_n(&ra->size, (__typeof__(ra->size))nr, __ATOMIC_RELAXED);
		__atomic_store_n(&ra->async_size, (__typeof__(ra->async_size))la, __ATOMIC_RELAXED);
		rac._index = start;

		if (!end || rac._index >= end)
			return;
		if (nr > end - rac._index)
			nr = end - rac._index;
		if (la > nr)
			la = 0;
		page_cache_ra_unbounded(&rac, nr, la);
	}
}

/* A hit: a marker starts the next window; the hit lowers mmap_miss. */
static void do_async_mmap_readahead(struct vm_fault *vmf, struct folio *folio)
{
	struct file *file = vmf->vma->vm_file;
	struct file_ra_state *ra = &file->f_ra;
	struct readahead_control rac = {
		.file = file, .mapping = file->f_mapping, .ra = ra, ._index = vmf->pgoff,
	};
	unsigned int mmap_miss;

	if ((vmf->vma->vm_flags & VM_RAND_READ) || !ra->ra_pages)
		return;
	mmap_miss = __atomic_load_n(&ra->mmap_miss, __ATOMIC_RELAXED);
	if (mmap_miss)
		__atomic_store_n(&ra->mmap_miss, --mmap_miss, __ATOMIC_RELAXED);
	if (folio_test_readahead(folio))
		page_cache_async_ra(&rac, folio, ra->ra_pages);
}

vm_fault_t filemap_fault(struct vm_fault *vmf)
{
	struct file *file = vmf->vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	struct inode *inode = mapping->host;
	pgoff_t index = vmf->pgoff;
	bool mapping_locked = false;
	struct folio *folio;
	vm_fault_t ret = 0;
	int error;

	if (unlikely(index >= file_pages(inode)))
		return VM_FAULT_SIGBUS;

	folio = filemap_get_folio(mapping, index);
	if (likely(!IS_ERR(folio))) {
		/* Found: async readahead before waiting for the lock. */
		if (!(vmf->flags & FAULT_FLAG_TRIED))
			do_async_mmap_readahead(vmf, folio);
		if (unlikely(!folio_test_uptodate(folio))) {
			filemap_invalidate_lock_shared(mapping);
			mapping_locked = true;
		}
	} else {
		/* Not cached at all: this fault does I/O. */
		count_vm_event(PGMAJFAULT);
		ret = VM_FAULT_MAJOR;
		do_sync_mmap_readahead(vmf);
retry_find:
		if (!mapping_locked) {
			filemap_invalidate_lock_shared(mapping);
			mapping_locked = true;
		}
		folio = __filemap_get_folio(mapping, index, FGP_CREAT, vmf->gfp_mask);
		if (IS_ERR(folio)) {
			filemap_invalidate_unlock_shared(mapping);
			return VM_FAULT_OOM;
		}
	}

	folio_lock(folio);
	if (unlikely(folio_mapping_raw(folio) != mapping)) {	/* truncated */
		folio_unlock(folio);
		put_page(&folio->page);
		goto retry_find;
	}
	if (unlikely(!folio_test_uptodate(folio))) {
		/* Cached and uptodate earlier, not now: retry with the lock. */
		if (!mapping_locked) {
			folio_unlock(folio);
			put_page(&folio->page);
			goto retry_find;
		}
		goto page_not_uptodate;
	}
	if (mapping_locked)
		filemap_invalidate_unlock_shared(mapping);

	/* Recheck i_size under the folio lock: a racing truncate. */
	if (unlikely(index >= file_pages(inode))) {
		folio_unlock(folio);
		put_page(&folio->page);
		return VM_FAULT_SIGBUS;
	}
	vmf->page = &folio->page;
	return ret | VM_FAULT_LOCKED;

page_not_uptodate:
	/* Readahead did not read it (or failed): read it once, synchronously. */
	error = filemap_read_folio(file, folio);
	put_page(&folio->page);
	if (!error || error == AOP_TRUNCATED_PAGE)
		goto retry_find;
	filemap_invalidate_unlock_shared(mapping);
	return VM_FAULT_SIGBUS;
}

/* --- fault-around ------------------------------------------------------ */

/*
 * The cached folio at @index, referenced and locked, if it can be mapped
 * without I/O now (Linux's next_uptodate_folio): uptodate, not a
 * readahead marker (the real fault must see it), lockable without waiting,
 * still this mapping's and before EOF.  NULL otherwise.
 */
static struct folio *map_pages_folio(struct address_space *mapping, pgoff_t index,
				     pgoff_t file_end)
{
	XA_STATE(xas, &mapping->i_pages, index);
	struct folio *folio;

	xas_lock(&xas);
	folio = xas_load(&xas);
	if (!folio || xa_is_value(folio) || !folio_test_uptodate(folio) ||
	    folio_test_readahead(folio)) {
		xas_unlock(&xas);
		return NULL;
	}
	get_page(&folio->page);
	xas_unlock(&xas);
	if (!folio_trylock(folio))
		goto put;
	if (folio_mapping_raw(folio) != mapping || !folio_test_uptodate(folio) ||
	    index > file_end) {
		folio_unlock(folio);
		goto put;
	}
	return folio;
put:
	put_page(&folio->page);
	return NULL;
}

vm_fault_t filemap_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff, pgoff_t end_pgoff)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	struct file *file = vma->vm_file;
	struct address_space *mapping = file->f_mapping;
	spinlock_t *ptl = pte_lockptr(mm);
	pgoff_t file_end, index;
	unsigned int mapped = 0, mmap_miss;
	vm_fault_t ret = 0;

	if (!file_pages(mapping->host))
		return 0;
	file_end = file_pages(mapping->host) - 1;
	if (end_pgoff > file_end)
		end_pgoff = file_end;
	for (index = start_pgoff; index <= end_pgoff; index++) {
		unsigned long addr = vma->vm_start + ((index - vma->vm_pgoff) << PAGE_SHIFT);
		struct folio *folio;
		pte_t *ptep, entry;

		if (addr < vma->vm_start || addr >= vma->vm_end)
			continue;
		ptep = addr == vmf->address ? vmf->pte : mm_find_pte(mm, addr);
		if (!ptep || !pte_none(ptep_get(ptep)))
			continue;
		folio = map_pages_folio(mapping, index, file_end);
		if (!folio)
			continue;
		entry = mk_pte(&folio->page, vma->vm_page_prot);
		/* The faulting address is young; prefaulted neighbours old
		 * (arch_wants_old_prefaulted_pte: reclaim sees what is used). */
		entry = addr == vmf->address ? pte_mkyoung(entry) : pte_mkold(entry);
		spin_lock(ptl);
		if (!pte_none(ptep_get(ptep))) {
			spin_unlock(ptl);
			folio_unlock(folio);
			put_page(&folio->page);
			continue;
		}
		inc_mm_counter(mm, mm_counter_file(folio));
		folio_add_file_rmap_pte(folio, &folio->page, vma);
		if (unlikely((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED))
			mlock_new_folio(folio);
		set_pte_at(mm, addr, ptep, entry);
		spin_unlock(ptl);
		folio_unlock(folio);	/* the reference is the PTE's now */
		mapped++;
		if (addr == vmf->address)
			ret = VM_FAULT_NOPAGE;
	}
	/* Pages found cached are hits for the mmap read-around heuristic. */
	mmap_miss = __atomic_load_n(&file->f_ra.mmap_miss, __ATOMIC_RELAXED);
	__atomic_store_n(&file->f_ra.mmap_miss, mmap_miss > mapped ? mmap_miss - mapped : 0,
			 __ATOMIC_RELAXED);
	return ret;
}

/* --- the first write to a shared page ---------------------------------- */

vm_fault_t filemap_page_mkwrite(struct vm_fault *vmf)
{
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;
	struct folio *folio = page_folio(vmf->page);

	file_update_time(vmf->vma->vm_file);
	folio_lock(folio);
	if (folio_mapping_raw(folio) != mapping ||
	    folio_pos(folio) >= i_size_read(mapping->host)) {
		folio_unlock(folio);
		return VM_FAULT_NOPAGE;
	}
	/* Dirty now, so that writeback that starts before the PTE is
	 * writable sees it and writeprotects it again. */
	folio_mark_dirty(folio);
	folio_wait_stable(folio);
	return VM_FAULT_LOCKED;
}

const struct vm_operations_struct generic_file_vm_ops = {
	.fault = filemap_fault,
	.map_pages = filemap_map_pages,
	.page_mkwrite = filemap_page_mkwrite,
};
