// SPDX-License-Identifier: GPL-2.0
/*
 * mm/filemap.c - the page cache (Linux's names, <mmsim/pagemap.h>):
 * adding, finding and removing the folios of an address_space, the folio
 * lock (waiting lets virtual time pass while the disk has I/O), reading
 * through the cache (filemap_read, read_mapping_folio), buffered writes
 * (generic_perform_write, generic_file_write_iter), the cache's checker
 * (mapping_is_valid) and the "filemap" subsystem (fault_around_bytes).
 * Faults are in mm/filemap_fault.c, readahead in mm/readahead.c,
 * truncation in mm/truncate.c; docs/pagecache.md has the whole design.
 *
 * Design.  mapping->i_pages is an XArray (lib/xarray.c) from page index
 * to struct folio * (order 0 today), or to a value entry (a shadow that a
 * removal may leave for workingset detection; lookups treat it as a
 * hole).  The cache holds one reference on each of its folios:
 * __filemap_add_folio takes it, filemap_remove_folio drops it.  A folio
 * in the cache has folio->mapping == the mapping and folio->index == its
 * index, and is counted in its node's NR_FILE_PAGES and, when swap-backed
 * (shmem's), NR_SHMEM (meminfo Cached and Shmem); filemap_add_folio puts it
 * on the node's LRU (folio_add_lru).  Lookups return the
 * folio with a reference of the caller's (folio_try_get under the lock,
 * here get_page: nobody drops the cache's reference without the lock).
 * __filemap_get_folio: FGP_LOCK returns it locked, rechecking that it is
 * still this mapping's after the wait; FGP_CREAT allocates (unzeroed, as
 * Linux: the caller fills it) and adds one when absent, retrying the
 * lookup when another CPU added first (-EEXIST); FGP_ACCESSED sets
 * PG_referenced (folio_mark_accessed's first touch; the LRU lists
 * promote on the second).
 *
 * The folio lock is PG_locked, a bit lock as Linux's folio_lock; a
 * contended locker spins, then yields its host thread (Linux sleeps on
 * the folio's wait queue).  New folios are added locked
 * (filemap_add_folio) and removed locked (filemap_remove_folio).
 *
 * Locking.  The XArray's xa_lock (a spinlock; mmsim's XArray readers take
 * it too, docs/xarray.md) guards i_pages, every folio's membership in it
 * (->mapping of a cached folio is set before and cleared under it) and
 * nrpages.  Order: folio lock -> i_mmap_rwsem -> xa_lock -> zone locks
 * (docs/locking.md P3b).  No sleeping (folio_lock, allocation with
 * reclaim) under xa_lock: xas_nomem allocates with the lock dropped.
 *
 * Invariants: nrpages == the folio entries of i_pages; for each such
 * entry at index i, folio->mapping == mapping, folio->index == i, and
 * page_count(folio) >= 1 (the cache's); NR_FILE_PAGES counts every cached
 * page of the node, NR_SHMEM the swap-backed ones.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <mmsim/workqueue.h>
#include <mmsim/fcntl.h>
#include <mmsim/slab.h>
#include <mmsim/highmem.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include <mmsim/err.h>
#include <mmsim/pagemap.h>
#include <mmsim/rmap.h>
#include <mmsim/mm.h>
#include <mmsim/vmstat.h>
#include <mmsim/printk.h>
#include <mmsim/spinlock.h>
#include <mmsim/swap.h>
#include <mmsim/blkdev.h>
#include <mmsim/writeback.h>
#include <mmsim/psi.h>
#include "mm/workingset.h"
#include <mmsim/mmsim.h>
#include "init/machine.h"
#include "init/init.h"
#include <mmsim/signal.h>
#include "mm/pagecache_internal.h"

/* --- the folio lock --------------------------------------------------- */

bool folio_test_locked(const struct folio *folio)
{
	return page_flag_test(&folio->page, PG_locked);
}

bool folio_trylock(struct folio *folio)
{
	return !(__atomic_fetch_or(&folio->page.flags, 1UL << PG_locked, __ATOMIC_ACQUIRE) &
		 (1UL << PG_locked));
}

/*
 * folio_wait_locked - wait for PG_locked to clear (Linux's
 * folio_wait_bit(folio, PG_locked)).  The lock of a folio under read is
 * released by the bio's completion, which happens in virtual time: while
 * the disk has I/O queued, waiting lets the machine's clock run to its
 * next completion (as submit_bio_wait does, as a task sleeping in
 * io_schedule lets time pass); otherwise another CPU holds the lock and
 * the host thread spins, then yields.
 */
void folio_wait_locked(struct folio *folio)
{
	unsigned int spins = 0;
	unsigned long pflags;
	/* Waiting for a refaulting workingset folio to be read: thrashing,
	 * a memory stall (Linux's folio_wait_bit_common). */
	bool thrashing = folio_test_locked(folio) && !PageUptodate(&folio->page) &&
			 PageWorkingset(&folio->page);

	if (thrashing)
		psi_memstall_enter(&pflags);
	while (folio_test_locked(folio)) {
		struct mmsim *m = current_machine();
		u64 t = m ? blk_machine_next_completion(m) : 0;

		if (t) {
			u64 now = atomic_load_explicit(&m->hw.clock_ns, memory_order_relaxed);

			io_wait_advance_clock(m, t > now ? t - now : 0);
			spins = 0;
		} else if (++spins > 64) {
			sched_yield();	/* Linux: folio_wait_bit_common sleeps */
			spins = 0;
		} else {
			cpu_relax();
		}
	}
	if (thrashing)
		psi_memstall_leave(&pflags);
}

void folio_lock(struct folio *folio)
{
	while (!folio_trylock(folio))
		folio_wait_locked(folio);
}

void folio_unlock(struct folio *folio)
{
	unsigned long old = __atomic_fetch_and(&folio->page.flags, ~(1UL << PG_locked),
					       __ATOMIC_RELEASE);

	WARN_ON_ONCE(!(old & (1UL << PG_locked)));
}

void folio_batch_release(struct folio_batch *fbatch)
{
	for (unsigned int i = 0; i < fbatch->nr; i++)
		put_page(&fbatch->folios[i]->page);
	fbatch->nr = 0;
}

void address_space_init_once(struct address_space *mapping)
{
	xa_init_flags(&mapping->i_pages, XA_FLAGS_LOCK_IRQ | XA_FLAGS_ACCOUNT);
	init_rwsem(&mapping->i_mmap_rwsem);
	init_rwsem(&mapping->invalidate_lock);
	INIT_LIST_HEAD(&mapping->i_mmap);
	atomic_long_set(&mapping->nrpages, 0);
	mapping->gfp_mask = GFP_HIGHUSER_MOVABLE;
}

/* --- adding and removing ---------------------------------------------- */

static void filemap_account_folio(struct folio *folio, long nr)
{
	mod_node_page_state(page_pgdat(&folio->page), NR_FILE_PAGES, nr);
	if (page_flag_test(&folio->page, PG_swapbacked))
		mod_node_page_state(page_pgdat(&folio->page), NR_SHMEM, nr);
}

/*
 * __filemap_add_folio - put the locked @folio at @index of @mapping, taking
 * the cache's reference.  A shadow entry there is replaced (returned in
 * *@shadowp); a folio there fails it with -EEXIST, leaving @folio as it was.
 */
int __filemap_add_folio(struct address_space *mapping, struct folio *folio,
			pgoff_t index, gfp_t gfp, void **shadowp)
{
	XA_STATE(xas, &mapping->i_pages, index);
	struct page *page = &folio->page;
	void *old;

	WARN_ON_ONCE(!folio_test_locked(folio));
	get_page(page);
	page->index = index;
	__atomic_store_n(&page->mapping, mapping, __ATOMIC_RELEASE);
	mapping_set_update(&xas, mapping);
	do {
		xas_lock_irq(&xas);
		old = xas_load(&xas);
		if (old && !xa_is_value(old)) {
			xas_set_err(&xas, -EEXIST);
			goto unlock;
		}
		xas_store(&xas, folio);
		if (xas_error(&xas))
			goto unlock;
		if (old && shadowp)
			*shadowp = old;
		atomic_long_add(1, &mapping->nrpages);
		filemap_account_folio(folio, 1);
unlock:
		xas_unlock_irq(&xas);
	} while (xas_nomem(&xas, gfp));

	if (xas_error(&xas)) {
		__atomic_store_n(&page->mapping, NULL, __ATOMIC_RELEASE);
		put_page(page);
		return xas_error(&xas);
	}
	return 0;
}

/* filemap_add_folio - @folio (new, unlocked) added and returned locked. */
int filemap_add_folio(struct address_space *mapping, struct folio *folio,
		      pgoff_t index, gfp_t gfp)
{
	void *shadow = NULL;
	int ret;

	if (!folio_trylock(folio))
		WARN_ON_ONCE(1);	/* Linux: __folio_set_locked on a new folio */
	ret = __filemap_add_folio(mapping, folio, index, gfp, &shadow);
	if (ret) {
		folio_unlock(folio);
		return ret;
	}
	/*
	 * Evicted only recently (a shadow was there): activate it like any
	 * folio used again -- unless it is being written over (__GFP_WRITE):
	 * evicting other data only to cache data about to be overwritten
	 * would waste memory.  (mm/workingset.c)
	 */
	WARN_ON_ONCE(PageActive(&folio->page));
	if (!(gfp & __GFP_WRITE) && shadow)
		workingset_refault(folio, shadow);
	folio_add_lru(folio);
	return 0;
}

/* __filemap_remove_folio - under xa_lock: @shadow (or a hole) replaces it. */
void __filemap_remove_folio(struct folio *folio, void *shadow)
{
	struct address_space *mapping = folio->page.mapping;
	XA_STATE(xas, &mapping->i_pages, folio->page.index);

	/*
	 * A dirty folio here lost its data (truncation cancels the dirty
	 * bit first); fix the dirty accounting as Linux's
	 * filemap_unaccount_folio does, leaving the flag for the free path.
	 */
	if (WARN_ON_ONCE(page_flag_test(&folio->page, PG_dirty) &&
			 mapping_writeback_capable(mapping)))
		folio_account_cleaned(folio, inode_to_wb(mapping->host));
	mapping_set_update(&xas, mapping);
	xas_store(&xas, shadow);
	xas_init_marks(&xas);
	__atomic_store_n(&folio->page.mapping, NULL, __ATOMIC_RELEASE);
	atomic_long_add(-1, &mapping->nrpages);
	filemap_account_folio(folio, -1);
}

/* filemap_remove_folio - the locked @folio leaves the cache, with its reference. */
void filemap_remove_folio(struct folio *folio)
{
	struct address_space *mapping = folio->page.mapping;

	WARN_ON_ONCE(!folio_test_locked(folio));
	if (WARN_ON_ONCE(!mapping))
		return;
	xa_lock_irq(&mapping->i_pages);
	__filemap_remove_folio(folio, NULL);
	xa_unlock_irq(&mapping->i_pages);
	put_page(&folio->page);		/* filemap_free_folio: the cache's */
}

/* --- lookups ----------------------------------------------------------- */

/* The entry at @index with a reference if a folio (filemap_get_entry). */
static void *filemap_get_entry(struct address_space *mapping, pgoff_t index)
{
	XA_STATE(xas, &mapping->i_pages, index);
	void *entry;

	xas_lock(&xas);
	entry = xas_load(&xas);
	if (entry && !xa_is_value(entry))
		get_page(&((struct folio *)entry)->page);
	xas_unlock(&xas);
	return entry;
}

struct folio *__filemap_get_folio(struct address_space *mapping, pgoff_t index,
				  unsigned int fgp_flags, gfp_t gfp)
{
	struct folio *folio;
	int err;

repeat:
	folio = filemap_get_entry(mapping, index);
	if (xa_is_value(folio))
		folio = NULL;
	if (folio) {
		if (fgp_flags & FGP_LOCK) {
			if (fgp_flags & FGP_NOWAIT) {
				if (!folio_trylock(folio)) {
					put_page(&folio->page);
					return ERR_PTR(-EAGAIN);
				}
			} else {
				folio_lock(folio);
			}
			/* Has it been truncated while we waited? */
			if (__atomic_load_n(&folio->page.mapping, __ATOMIC_ACQUIRE) != mapping) {
				folio_unlock(folio);
				put_page(&folio->page);
				goto repeat;
			}
		}
		if (fgp_flags & FGP_ACCESSED)
			page_flag_set(&folio->page, PG_referenced);
		return folio;
	}
	if (!(fgp_flags & FGP_CREAT))
		return ERR_PTR(-ENOENT);

	{
		struct page *page = alloc_page(gfp ? gfp : mapping_gfp_mask(mapping));

		if (!page)
			return ERR_PTR(-ENOMEM);
		folio = page_folio(page);
	}
	if (fgp_flags & FGP_ACCESSED)
		page_flag_set(&folio->page, PG_referenced);
	err = filemap_add_folio(mapping, folio, index, gfp ? gfp : mapping_gfp_mask(mapping));
	if (err) {
		put_page(&folio->page);
		if (err == -EEXIST)
			goto repeat;
		return ERR_PTR(err);
	}
	if (!(fgp_flags & FGP_LOCK))
		folio_unlock(folio);
	return folio;
}

struct page *find_get_page(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio = __filemap_get_folio(mapping, index, 0, 0);

	return IS_ERR(folio) ? NULL : &folio->page;
}

unsigned int filemap_get_folios(struct address_space *mapping, pgoff_t *start,
				pgoff_t end, struct folio_batch *fbatch)
{
	XA_STATE(xas, &mapping->i_pages, *start);
	struct folio *folio;

	xas_lock(&xas);
	xas_for_each(&xas, folio, end) {
		if (xas_retry(&xas, folio) || xa_is_value(folio))
			continue;
		get_page(&folio->page);
		if (!folio_batch_add(fbatch, folio)) {
			*start = folio->page.index + 1;
			if (*start == 0)	/* wrapped past ULONG_MAX */
				*start = (pgoff_t)-1;
			goto out;
		}
	}
	*start = end == (pgoff_t)-1 ? (pgoff_t)-1 : end + 1;
out:
	xas_unlock(&xas);
	return folio_batch_count(fbatch);
}

/*
 * The first hole (no entry, or a value entry) from @index within
 * @max_scan, going up (@forward) or down; (pgoff_t)-1 when the scan runs
 * into the end of the index space (ULONG_MAX going up, 0 going down)
 * without a hole.
 */
static pgoff_t page_cache_miss(struct address_space *mapping, pgoff_t index,
			       unsigned long max_scan, bool forward)
{
	XA_STATE(xas, &mapping->i_pages, index);
	pgoff_t last = forward ? (pgoff_t)-1 : 0;

	xas_lock(&xas);
	while (max_scan--) {
		void *entry = xas_load(&xas);

		if (!entry || xa_is_value(entry))
			break;
		if (index == last) {
			index = (pgoff_t)-1;
			break;
		}
		index = forward ? index + 1 : index - 1;
		xas_set(&xas, index);
	}
	xas_unlock(&xas);
	return index;
}

/* The first hole at or after @index within @max_scan (Linux's). */
pgoff_t page_cache_next_miss(struct address_space *mapping, pgoff_t index, unsigned long max_scan)
{
	return page_cache_miss(mapping, index, max_scan, true);
}

/* The first hole at or before @index within @max_scan, going down. */
pgoff_t page_cache_prev_miss(struct address_space *mapping, pgoff_t index, unsigned long max_scan)
{
	return page_cache_miss(mapping, index, max_scan, false);
}

/* --- reading folios ---------------------------------------------------- */

/* A new folio for the cache: 2^order pages, unzeroed (the reader fills it). */
struct folio *filemap_alloc_folio(gfp_t gfp, unsigned int order)
{
	struct page *page = alloc_pages(order ? gfp | __GFP_COMP : gfp, order);

	return page ? page_folio(page) : NULL;
}

/*
 * filemap_read_folio - @folio is locked and in the cache, not uptodate:
 * start ->read_folio (which unlocks it when the read completes, in virtual
 * time) and wait for it.  0, -EIO, or AOP_TRUNCATED_PAGE (Linux's).
 */
int filemap_read_folio(struct file *file, struct folio *folio)
{
	struct address_space *mapping = folio_mapping_raw(folio);
	int error;

	if (!mapping || !mapping->a_ops || !mapping->a_ops->read_folio) {
		folio_unlock(folio);
		return -EIO;
	}
	page_flag_clear(&folio->page, PG_error);
	error = mapping->a_ops->read_folio(file, folio);
	if (error)
		return error;
	folio_wait_locked(folio);
	if (folio_test_uptodate(folio))
		return 0;
	return -EIO;
}

/*
 * do_read_cache_folio - the uptodate folio at @index with a reference,
 * reading it through ->read_folio when needed (Linux's read_cache_folio).
 */
struct folio *read_mapping_folio(struct address_space *mapping, pgoff_t index, struct file *file)
{
	struct folio *folio;
	int err;

repeat:
	folio = filemap_get_folio(mapping, index);
	if (IS_ERR(folio)) {
		folio = filemap_alloc_folio(mapping_gfp_mask(mapping), 0);
		if (!folio)
			return ERR_PTR(-ENOMEM);
		filemap_invalidate_lock_shared(mapping);
		err = filemap_add_folio(mapping, folio, index, mapping_gfp_mask(mapping));
		if (unlikely(err)) {
			filemap_invalidate_unlock_shared(mapping);
			put_page(&folio->page);
			if (err == -EEXIST)
				goto repeat;
			return ERR_PTR(err);
		}
		goto filler;
	}
	if (folio_test_uptodate(folio))
		goto out;
	filemap_invalidate_lock_shared(mapping);
	folio_lock(folio);
	if (folio_mapping_raw(folio) != mapping) {	/* truncated meanwhile */
		folio_unlock(folio);
		filemap_invalidate_unlock_shared(mapping);
		put_page(&folio->page);
		goto repeat;
	}
	if (folio_test_uptodate(folio)) {
		folio_unlock(folio);
		filemap_invalidate_unlock_shared(mapping);
		goto out;
	}
filler:
	err = filemap_read_folio(file, folio);
	filemap_invalidate_unlock_shared(mapping);
	if (err) {
		put_page(&folio->page);
		if (err == AOP_TRUNCATED_PAGE)
			goto repeat;
		return ERR_PTR(err);
	}
out:
	folio_mark_accessed(folio);
	return folio;
}

struct page *read_mapping_page(struct address_space *mapping, pgoff_t index, struct file *file)
{
	struct folio *folio = read_mapping_folio(mapping, index, file);

	return IS_ERR(folio) ? (struct page *)folio : &folio->page;
}

/*
 * filemap_get_read_batch - the run of cached folios from @index to @max,
 * referenced, ending at a hole, after a folio that is not uptodate or
 * carries the readahead marker (the caller deals with those).
 */
static void filemap_get_read_batch(struct address_space *mapping, pgoff_t index, pgoff_t max,
				   struct folio_batch *fbatch)
{
	XA_STATE(xas, &mapping->i_pages, index);
	struct folio *folio;

	xas_lock(&xas);
	for (folio = xas_load(&xas); folio; folio = xas_next(&xas)) {
		if (xas_retry(&xas, folio))
			continue;
		if (xas.xa_index > max || xa_is_value(folio))
			break;
		get_page(&folio->page);
		if (!folio_batch_add(fbatch, folio))
			break;
		if (!folio_test_uptodate(folio))
			break;
		if (folio_test_readahead(folio))
			break;
	}
	xas_unlock(&xas);
}

/* A folio that is not uptodate: lock it (waiting for a read in flight) and read it. */
static int filemap_update_page(struct kiocb *iocb, struct address_space *mapping,
			       struct folio *folio)
{
	int error;

	if (iocb->ki_flags & IOCB_NOWAIT) {
		if (!folio_trylock(folio))
			return -EAGAIN;
	} else {
		folio_lock(folio);
	}
	if (folio_mapping_raw(folio) != mapping) {
		folio_unlock(folio);
		put_page(&folio->page);
		return AOP_TRUNCATED_PAGE;
	}
	if (folio_test_uptodate(folio)) {
		folio_unlock(folio);
		return 0;
	}
	if (iocb->ki_flags & (IOCB_NOIO | IOCB_NOWAIT)) {
		folio_unlock(folio);
		return -EAGAIN;
	}
	error = filemap_read_folio(iocb->ki_filp, folio);
	if (error == AOP_TRUNCATED_PAGE)
		put_page(&folio->page);
	return error;
}

/* No folio and readahead made none: read this one page alone. */
static int filemap_create_folio(struct file *file, struct address_space *mapping, pgoff_t index,
				struct folio_batch *fbatch)
{
	struct folio *folio = filemap_alloc_folio(mapping_gfp_mask(mapping), 0);
	int error;

	if (!folio)
		return -ENOMEM;
	filemap_invalidate_lock_shared(mapping);
	error = filemap_add_folio(mapping, folio, index, mapping_gfp_mask(mapping));
	if (error == -EEXIST)
		error = AOP_TRUNCATED_PAGE;
	if (error)
		goto error;
	error = filemap_read_folio(file, folio);
	if (error)
		goto error;
	filemap_invalidate_unlock_shared(mapping);
	folio_batch_add(fbatch, folio);
	return 0;
error:
	filemap_invalidate_unlock_shared(mapping);
	put_page(&folio->page);
	return error;
}

static int filemap_readahead(struct kiocb *iocb, struct file *file, struct address_space *mapping,
			     struct folio *folio, pgoff_t last_index)
{
	if (iocb->ki_flags & IOCB_NOIO)
		return -EAGAIN;
	page_cache_async_readahead(mapping, &file->f_ra, file, folio, last_index - folio->page.index);
	return 0;
}

/* Linux's filemap_get_pages: a batch of uptodate folios at ki_pos, reading ahead. */
static int filemap_get_pages(struct kiocb *iocb, size_t count, struct folio_batch *fbatch)
{
	struct file *filp = iocb->ki_filp;
	struct address_space *mapping = filp->f_mapping;
	struct file_ra_state *ra = &filp->f_ra;
	pgoff_t index = (pgoff_t)(iocb->ki_pos >> PAGE_SHIFT);
	pgoff_t last_index = (pgoff_t)((iocb->ki_pos + (loff_t)count + PAGE_SIZE - 1) >> PAGE_SHIFT);
	struct folio *folio;
	int err = 0;

retry:
	if (current && fatal_signal_pending(current))
		return -EINTR;
	filemap_get_read_batch(mapping, index, last_index - 1, fbatch);
	if (!folio_batch_count(fbatch)) {
		if (iocb->ki_flags & IOCB_NOIO)
			return -EAGAIN;
		page_cache_sync_readahead(mapping, ra, filp, index, last_index - index);
		filemap_get_read_batch(mapping, index, last_index - 1, fbatch);
	}
	if (!folio_batch_count(fbatch)) {
		if (iocb->ki_flags & IOCB_NOWAIT)
			return -EAGAIN;
		err = filemap_create_folio(filp, mapping, index, fbatch);
		if (err == AOP_TRUNCATED_PAGE)
			goto retry;
		return err;
	}
	folio = fbatch->folios[folio_batch_count(fbatch) - 1];
	if (folio_test_readahead(folio)) {
		err = filemap_readahead(iocb, filp, mapping, folio, last_index);
		if (err)
			goto err;
	}
	if (!folio_test_uptodate(folio)) {
		err = filemap_update_page(iocb, mapping, folio);
		if (err)
			goto err;
	}
	return 0;
err:
	if (err < 0)
		put_page(&folio->page);
	if (likely(--fbatch->nr))
		return 0;
	if (err == AOP_TRUNCATED_PAGE)
		goto retry;
	return err;
}

static inline bool pos_same_folio(loff_t pos1, loff_t pos2)
{
	return (pos1 >> PAGE_SHIFT) == (pos2 >> PAGE_SHIFT);
}

static loff_t inode_maxbytes(const struct inode *inode)
{
	return inode->i_sb && inode->i_sb->s_maxbytes ? inode->i_sb->s_maxbytes
						       : (loff_t)0x7fffffffffffffffLL;
}

/*
 * filemap_read - copy from the page cache to @iter, reading what is
 * missing (Linux's): batches of folios from filemap_get_pages, each copied
 * up to i_size (rechecked after the batch arrived), marked accessed once
 * per folio of a sequential stream; ra->prev_pos remembers where the read
 * ended for the readahead heuristics.  Returns the bytes read (plus
 * @already_read), or -errno when none were.
 */
ssize_t filemap_read(struct kiocb *iocb, struct iov_iter *iter, ssize_t already_read)
{
	struct file *filp = iocb->ki_filp;
	struct file_ra_state *ra = &filp->f_ra;
	struct address_space *mapping = filp->f_mapping;
	struct inode *inode = mapping->host;
	struct folio_batch fbatch;
	unsigned int i;
	int error = 0;
	loff_t isize = 0, end_offset;
	loff_t last_pos = ra->prev_pos;

	if (unlikely(iocb->ki_pos >= inode_maxbytes(inode)))
		return 0;
	if (unlikely(!iov_iter_count(iter)))
		return 0;
	if (iocb->ki_pos < 0)
		return -EINVAL;
	iov_iter_truncate(iter, (size_t)(inode_maxbytes(inode) - iocb->ki_pos));
	folio_batch_init(&fbatch);

	do {
		if (unlikely(iocb->ki_pos >= i_size_read(inode)))
			break;
		error = filemap_get_pages(iocb, iov_iter_count(iter), &fbatch);
		if (error < 0)
			break;
		error = 0;
		/* i_size must be checked after the folios are uptodate
		 * (a racing truncate or extending write). */
		isize = i_size_read(inode);
		if (unlikely(iocb->ki_pos >= isize))
			goto put_folios;
		end_offset = min_t(loff_t, isize, iocb->ki_pos + (loff_t)iov_iter_count(iter));

		/* Once per folio of a sequential stream, not per small read. */
		if (!pos_same_folio(iocb->ki_pos, last_pos - 1))
			folio_mark_accessed(fbatch.folios[0]);

		for (i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];
			size_t offset = (size_t)(iocb->ki_pos & (PAGE_SIZE - 1));
			size_t bytes = (size_t)min_t(loff_t, end_offset - iocb->ki_pos,
						     (loff_t)(PAGE_SIZE - offset));
			size_t copied;

			if (end_offset < folio_pos(folio))
				break;
			if (i > 0)
				folio_mark_accessed(folio);
			copied = copy_folio_to_iter(folio, offset, bytes, iter);
			already_read += copied;
			iocb->ki_pos += copied;
			last_pos = iocb->ki_pos;
			if (copied < bytes) {
				error = -EFAULT;
				break;
			}
		}
put_folios:
		for (i = 0; i < folio_batch_count(&fbatch); i++)
			put_page(&fbatch.folios[i]->page);
		folio_batch_init(&fbatch);
	} while (iov_iter_count(iter) && iocb->ki_pos < isize && !error);

	ra->prev_pos = last_pos;
	return already_read ? already_read : error;
}

ssize_t generic_file_read_iter(struct kiocb *iocb, struct iov_iter *iter)
{
	if (!iov_iter_count(iter))
		return 0;
	/* No O_DIRECT: it reads through the cache, as a file system without
	 * ->direct_IO falls back to. */
	return filemap_read(iocb, iter, 0);
}

/* --- writing ----------------------------------------------------------- */

/* file_update_time: mtime and ctime to now, the inode dirtied (sync). */
int file_update_time(struct file *file)
{
	struct inode *inode = file_inode(file);
	struct timespec now;

	if (!inode)
		return 0;
	now = current_time(inode);
	/* i_lock: a fault's page_mkwrite and write(2) both get here without
	 * a common lock, and ->write_inode reads the times under it. */
	spin_lock(&inode->i_lock);
	if (inode->i_mtime.tv_sec == now.tv_sec && inode->i_mtime.tv_nsec == now.tv_nsec &&
	    inode->i_ctime.tv_sec == now.tv_sec && inode->i_ctime.tv_nsec == now.tv_nsec) {
		spin_unlock(&inode->i_lock);
		return 0;
	}
	inode->i_mtime = now;
	inode->i_ctime = now;
	spin_unlock(&inode->i_lock);
	if (inode->i_sb)
		mark_inode_dirty_sync(inode);
	return 0;
}

/*
 * generic_perform_write - copy @i into the cache a page at a time through
 * ->write_begin/->write_end (Linux's).  Linux copies from the user with
 * page faults disabled while the folio is locked, faulting the source in
 * first and retrying a short copy; mmsim has no pagefault_disable, so it
 * copies the chunk into a bounce buffer before locking the folio (the
 * fault, if any, happens there, where a mapping of this very folio can
 * take its lock), then copies the bounce into the locked folio.
 */
ssize_t generic_perform_write(struct kiocb *iocb, struct iov_iter *i)
{
	struct file *file = iocb->ki_filp;
	loff_t pos = iocb->ki_pos;
	struct address_space *mapping = file->f_mapping;
	const struct address_space_operations *a_ops = mapping->a_ops;
	long status = 0;
	ssize_t written = 0;
	char *bounce = NULL;

	if (!a_ops || !a_ops->write_begin || !a_ops->write_end)
		return -EINVAL;
	if (user_backed_iter(i)) {
		bounce = kmalloc(PAGE_SIZE, GFP_KERNEL);
		if (!bounce)
			return -ENOMEM;
	}
	do {
		struct folio *folio;
		size_t offset = (size_t)(pos & (PAGE_SIZE - 1));
		size_t bytes = min_t(size_t, PAGE_SIZE - offset, iov_iter_count(i));
		size_t copied;
		void *fsdata = NULL;

		if (unlikely(fault_in_iov_iter_readable(i, bytes) == bytes)) {
			status = -EFAULT;
			break;
		}
		if (current && fatal_signal_pending(current)) {
			status = -EINTR;
			break;
		}
		if (bounce) {
			copied = copy_from_iter(bounce, bytes, i);
			if (!copied) {
				status = -EFAULT;
				break;
			}
			bytes = copied;
		}
		status = a_ops->write_begin(file, mapping, pos, (unsigned int)bytes, &folio, &fsdata);
		if (unlikely(status < 0)) {
			if (bounce)
				iov_iter_revert(i, bytes);
			break;
		}
		if (bounce) {
			memcpy_to_page(&folio->page, offset, bounce, bytes);
		} else {
			copied = copy_folio_from_iter_atomic(folio, offset, bytes, i);
		}
		status = a_ops->write_end(file, mapping, pos, (unsigned int)bytes,
					  (unsigned int)copied, folio, fsdata);
		if (unlikely(status != (long)copied)) {
			iov_iter_revert(i, copied - (size_t)max(status, 0L));
			if (unlikely(status < 0))
				break;
		}
		if (unlikely(status == 0))
			continue;	/* ->write_end refused a short copy: again */
		pos += status;
		written += status;
		balance_dirty_pages_ratelimited(mapping);
	} while (iov_iter_count(i));
	kfree(bounce);
	if (!written)
		return status;
	iocb->ki_pos += written;
	return written;
}

/*
 * generic_write_checks - Linux's: O_APPEND positions at i_size; a write at
 * or past s_maxbytes is -EFBIG (RLIMIT_FSIZE is unlimited); the write is
 * cut to end at s_maxbytes.  The bytes to write, 0, or -errno.
 */
ssize_t generic_write_checks(struct kiocb *iocb, struct iov_iter *from)
{
	struct file *file = iocb->ki_filp;
	struct inode *inode = file->f_mapping->host;
	loff_t max_size = inode_maxbytes(inode);
	size_t count;

	if (!iov_iter_count(from))
		return 0;
	if (iocb->ki_flags & IOCB_APPEND)
		iocb->ki_pos = i_size_read(inode);
	if (iocb->ki_flags & IOCB_NOWAIT)
		return -EINVAL;		/* no IOCB_DIRECT: buffered writes may block */
	if (iocb->ki_pos < 0)
		return -EINVAL;
	if (unlikely(iocb->ki_pos >= max_size))
		return -EFBIG;
	count = iov_iter_count(from);
	if ((loff_t)count > max_size - iocb->ki_pos)
		count = (size_t)(max_size - iocb->ki_pos);
	iov_iter_truncate(from, count);
	return (ssize_t)iov_iter_count(from);
}

ssize_t __generic_file_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	int ret = file_update_time(iocb->ki_filp);

	if (ret)
		return ret;
	return generic_perform_write(iocb, from);
}

ssize_t generic_file_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = iocb->ki_filp->f_mapping->host;
	ssize_t ret;

	inode_lock(inode);
	ret = generic_write_checks(iocb, from);
	if (ret > 0)
		ret = __generic_file_write_iter(iocb, from);
	inode_unlock(inode);
	if (ret > 0)
		ret = generic_write_sync(iocb, ret);
	return ret;
}

/* O_SYNC/O_DSYNC: write back what was just written and wait (Linux's). */
ssize_t generic_write_sync(struct kiocb *iocb, ssize_t count)
{
	if (iocb->ki_flags & (IOCB_DSYNC | IOCB_SYNC)) {
		int ret = vfs_fsync_range(iocb->ki_filp, iocb->ki_pos - count, iocb->ki_pos - 1,
					  (iocb->ki_flags & IOCB_SYNC) ? 0 : 1);

		if (ret)
			return ret;
	}
	return count;
}

/* Whether any folio of [start, end] (bytes) is cached (Linux's). */
int filemap_range_has_page(struct address_space *mapping, loff_t start_byte, loff_t end_byte)
{
	XA_STATE(xas, &mapping->i_pages, (pgoff_t)(start_byte >> PAGE_SHIFT));
	pgoff_t max = (pgoff_t)(end_byte >> PAGE_SHIFT);
	struct folio *folio;
	int found = 0;

	if (end_byte < start_byte)
		return 0;
	xas_lock(&xas);
	xas_for_each(&xas, folio, max) {
		if (xas_retry(&xas, folio) || xa_is_value(folio))
			continue;
		found = 1;
		break;
	}
	xas_unlock(&xas);
	return found;
}

/* --- the cache's invariant checker ------------------------------------- */

/* Is @folio linked on an LRU list (its neighbours point back at it)? */
static bool folio_lru_linked(struct folio *folio)
{
	struct lruvec *lruvec = folio_lruvec(folio);
	struct list_head *l = &folio->page.lru;
	bool ok;

	spin_lock(&lruvec->lru_lock);
	ok = !page_flag_test(&folio->page, PG_lru) ||
	     (l->next && l->prev && l->next->prev == l && l->prev->next == l);
	spin_unlock(&lruvec->lru_lock);
	return ok;
}

/*
 * mapping_is_valid - the cache's invariants for @mapping (docs/pagecache.md):
 * every entry of i_pages is a folio whose ->mapping is @mapping and ->index
 * its index (or a value entry: a shadow), with a reference (the cache's),
 * PG_lru and linked on an LRU list (lru_is_valid checks that list);
 * the dirty mark only with PG_dirty, and PG_dirty only with the mark where
 * the mapping's ->dirty_folio tags (not shmem's); the writeback mark iff
 * PG_writeback;
 * nrpages == the folio entries; NR_FILE_PAGES covers them.  Checked under
 * xa_lock, so a folio being added or removed is seen wholly or not at all.
 * False, with a log line naming the folio, when one fails.
 */
bool mapping_is_valid(struct address_space *mapping)
{
	XA_STATE(xas, &mapping->i_pages, 0);
	unsigned long nr = 0;
	struct folio *folio;
	bool ok = true;
	/* Mappings whose ->dirty_folio tags (filemap_dirty_folio's kind); a
	 * swap-backed (shmem) folio is dirtied untagged, as Linux's
	 * noop_dirty_folio does. */
	bool tags_dirty = mapping->a_ops && mapping->a_ops->dirty_folio;

	xas_lock(&xas);
	xas_for_each(&xas, folio, (pgoff_t)-1) {
		struct page *page;
		bool dirty, wb;

		if (xas_retry(&xas, folio) || xa_is_value(folio))
			continue;
		page = &folio->page;
		nr++;
		dirty = xas_get_mark(&xas, PAGECACHE_TAG_DIRTY);
		wb = xas_get_mark(&xas, PAGECACHE_TAG_WRITEBACK);
		if (WARN(page->mapping != mapping || page->index != xas.xa_index,
			 "pagecache: index %lu: pfn %lx has mapping %p index %lu, not %p\n",
			 xas.xa_index, page_to_pfn(page), (void *)page->mapping, page->index,
			 (void *)mapping) ||
		    WARN(page_ref_count(page) < 1, "pagecache: index %lu: pfn %lx refcount %d\n",
			 xas.xa_index, page_to_pfn(page), page_ref_count(page)) ||
		    WARN(!page_flag_test(page, PG_lru) || !folio_lru_linked(folio),
			 "pagecache: index %lu: pfn %lx not on an LRU list (flags %lx)\n",
			 xas.xa_index, page_to_pfn(page), page->flags) ||
		    WARN(dirty ? !page_flag_test(page, PG_dirty)
			       : (tags_dirty && !page_flag_test(page, PG_swapbacked) &&
				  page_flag_test(page, PG_dirty)),
			 "pagecache: index %lu: pfn %lx dirty mark %d, PG_dirty %d\n",
			 xas.xa_index, page_to_pfn(page), dirty, page_flag_test(page, PG_dirty)) ||
		    WARN(wb != page_flag_test(page, PG_writeback),
			 "pagecache: index %lu: pfn %lx writeback mark %d, PG_writeback %d\n",
			 xas.xa_index, page_to_pfn(page), wb, page_flag_test(page, PG_writeback))) {
			ok = false;
			break;
		}
	}
	if (ok && WARN((unsigned long)atomic_long_read(&mapping->nrpages) != nr,
		       "pagecache: nrpages %ld, %lu folios cached\n",
		       atomic_long_read(&mapping->nrpages), nr))
		ok = false;
	xas_unlock(&xas);
	if (ok && WARN(global_node_page_state(NR_FILE_PAGES) < nr,
		       "pagecache: NR_FILE_PAGES %lu < %lu folios cached\n",
		       global_node_page_state(NR_FILE_PAGES), nr))
		ok = false;
	return ok;
}

/* --- the "filemap" subsystem: /sys/kernel/debug/fault_around_bytes ------ */

struct filemap_state {
	unsigned long fault_around_pages;	/* Linux's fault_around_pages */
};

unsigned long fault_around_pages(void)
{
	struct mmsim *m = current_machine();
	struct filemap_state *fs = m ? subsys_state(m, filemap) : NULL;

	return fs ? __atomic_load_n(&fs->fault_around_pages, __ATOMIC_RELAXED) : 1;
}

static int fault_around_bytes_show(struct seq_file *sf, struct proc_file *f)
{
	struct filemap_state *fs = subsys_state(f->m, filemap);

	seq_printf(sf, "%lu\n", __atomic_load_n(&fs->fault_around_pages, __ATOMIC_RELAXED)
				<< PAGE_SHIFT);
	return 0;
}

static unsigned long rounddown_pow_of_two_ul(unsigned long v)
{
	unsigned long p = 1;

	while (p <= v / 2)
		p <<= 1;
	return p;
}

/* Linux's fault_around_bytes_set: at most a PTE table's worth; rounded
 * down to a power of two; at least one page (which disables it). */
static int fault_around_bytes_store(struct proc_file *f, const char *text)
{
	struct filemap_state *fs = subsys_state(f->m, filemap);
	unsigned long long val;
	char *end;

	errno = 0;
	val = strtoull(text, &end, 0);
	while (*end == '\n' || *end == ' ')
		end++;
	if (errno || end == text || *end || text[0] == '-')
		return -EINVAL;
	if (val / PAGE_SIZE > (unsigned long long)PTRS_PER_PTE)
		return -EINVAL;
	if (val < PAGE_SIZE)
		val = PAGE_SIZE;
	__atomic_store_n(&fs->fault_around_pages,
			 rounddown_pow_of_two_ul((unsigned long)val) >> PAGE_SHIFT, __ATOMIC_RELAXED);
	return 0;
}

static const struct proc_entry filemap_files[] = {
	{ "/sys/kernel/debug/fault_around_bytes", fault_around_bytes_show,
	  fault_around_bytes_store, NULL },
};

static int filemap_init(struct mmsim *m, char *err, size_t len)
{
	struct filemap_state *fs = subsys_state(m, filemap);
	unsigned long bytes = 65536;	/* Linux's default fault_around_bytes */

	(void)err;
	(void)len;
	if (bytes < PAGE_SIZE)
		bytes = PAGE_SIZE;
	fs->fault_around_pages = rounddown_pow_of_two_ul(bytes) >> PAGE_SHIFT;
	return 0;
}

static int filemap_debugfs_init(struct mmsim *m, char *err, size_t len)
{
	int ret = proc_create_table(filemap_files);

	(void)m;
	if (ret)
		snprintf(err, len, "filemap: /sys/kernel/debug/fault_around_bytes: %d", ret);
	return ret;
}

static const struct initcall filemap_initcalls[] = {
	core_initcall(filemap_init, NULL),
	fs_initcall(filemap_debugfs_init, NULL),
};

DEFINE_SUBSYSTEM(filemap, SUBSYS_STATE(struct filemap_state, NULL),
		 SUBSYS_INITCALLS(filemap_initcalls));
