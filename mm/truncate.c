// SPDX-License-Identifier: GPL-2.0
/*
 * mm/truncate.c - taking folios out of the page cache (Linux's
 * mm/truncate.c): truncation, which must remove every folio of a range
 * (waiting for locked ones and writeback, zeroing the partial folios at
 * its ends), and invalidation, which drops only what is unused.
 *
 * Design.  truncate_inode_pages_range(lstart, lend) removes the folios
 * wholly inside [lstart, lend] in two passes, as Linux's: a first pass
 * takes the batch of folios it can lock without waiting and that are not
 * under writeback (find_lock_entries) and removes them; the partial
 * folios at the two ends are then zeroed over the truncated bytes; a
 * second pass goes over whatever is left, waiting for each lock and for
 * writeback, until the range is empty.  Removing a folio unmaps it first
 * if it is still mapped (a racing fault), cancels its dirty state (the
 * data is being thrown away: folio_account_cleaned undoes NR_FILE_DIRTY),
 * calls ->invalidate_folio for private data, and takes it out of i_pages
 * (filemap_remove_folio drops the cache's reference).
 *
 * truncate_pagecache(inode, newsize) is the setattr path: unmap the
 * pages beyond the new EOF from every VMA (so that a later access faults
 * and gets SIGBUS from filemap_fault), truncate the cache, and unmap again
 * (a fault may have mapped a page between the two: Linux's comment).
 * Private COW copies are zapped too (even_cows): after a truncate they
 * would map data beyond EOF.  truncate_setsize sets i_size first.
 *
 * invalidate_mapping_pages drops the clean, unmapped, unlocked, not
 * written-back folios of a range and returns how many (drop_caches,
 * POSIX_FADV_DONTNEED); a folio anyone else references is left.
 * invalidate_inode_pages2_range is stronger: it unmaps mapped folios and
 * fails with -EBUSY on one it cannot drop (dirty).
 *
 * Locking: the caller of truncation holds the inode lock (i_rwsem) and,
 * for the file systems that take it, the invalidate_lock exclusively, so
 * no new folio appears in the range while it runs; folios are removed
 * locked; unmap_mapping_range takes i_mmap_rwsem for reading (before any
 * folio lock: the order is folio lock -> i_mmap_rwsem only in rmap).
 *
 * Invariants: after truncate_inode_pages_range no folio of the range is
 * in i_pages; a removed folio is unlocked, unmapped, clean as far as the
 * counters know, and has ->mapping == NULL.
 */
#include <errno.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include <mmsim/highmem.h>
#include <mmsim/swap.h>
#include <mmsim/printk.h>
#include "mm/pagecache_internal.h"

/*
 * The folios of [*start, end] with a reference each, in index order (Linux's
 * find_get_entries, without value entries: shadows need no work here);
 * *start moves past the last one.  With @lock, only folios that could be
 * locked without waiting, are not under writeback and still belong to the
 * mapping, returned locked (find_lock_entries).
 */
static unsigned int find_entries(struct address_space *mapping, pgoff_t *start, pgoff_t end,
				 struct folio_batch *fbatch, bool lock)
{
	XA_STATE(xas, &mapping->i_pages, *start);
	struct folio *folio;
	unsigned int i, n;

	xas_lock(&xas);
	xas_for_each(&xas, folio, end) {
		if (xas_retry(&xas, folio) || xa_is_value(folio))
			continue;
		get_page(&folio->page);
		if (!folio_batch_add(fbatch, folio))
			break;
	}
	xas_unlock(&xas);
	n = folio_batch_count(fbatch);
	if (n) {
		pgoff_t next = fbatch->folios[n - 1]->page.index + 1;

		*start = next ? next : (pgoff_t)-1;
	}
	if (!lock)
		return n;
	/* Keep those we can lock now and that are not under writeback. */
	fbatch->nr = 0;
	for (i = 0; i < n; i++) {
		folio = fbatch->folios[i];
		if (!folio_trylock(folio)) {
			put_page(&folio->page);
			continue;
		}
		if (folio_mapping_raw(folio) != mapping || folio_test_writeback(folio)) {
			folio_unlock(folio);
			put_page(&folio->page);
			continue;
		}
		fbatch->folios[fbatch->nr++] = folio;
	}
	return n;	/* found, locked or not: the caller goes on while > 0 */
}

/* Linux's folio_cancel_dirty: the data goes, so does its dirty accounting. */
static void folio_cancel_dirty(struct address_space *mapping, struct folio *folio)
{
	if (page_flag_test(&folio->page, PG_dirty)) {
		page_flag_clear(&folio->page, PG_dirty);
		if (mapping_writeback_capable(mapping))
			folio_account_cleaned(folio, inode_to_wb(mapping->host));
	}
}

/* Linux's truncate_cleanup_folio: unmap, invalidate private data, clean. */
static void truncate_cleanup_folio(struct address_space *mapping, struct folio *folio)
{
	if (folio_mapped(folio))
		unmap_mapping_pages(mapping, folio->page.index, 1, false);
	if (page_flag_test(&folio->page, PG_private) && mapping->a_ops &&
	    mapping->a_ops->invalidate_folio)
		mapping->a_ops->invalidate_folio(folio, 0, PAGE_SIZE);
	folio_cancel_dirty(mapping, folio);
	page_flag_clear(&folio->page, PG_mappedtodisk);
}

static int truncate_inode_folio(struct address_space *mapping, struct folio *folio)
{
	if (folio_mapping_raw(folio) != mapping)
		return -EIO;
	truncate_cleanup_folio(mapping, folio);
	filemap_remove_folio(folio);
	return 0;
}

/*
 * The locked @folio straddles lstart or lend: zero the bytes it holds of
 * [lstart, lend] (removing it if that is all of it).  True if it stays.
 */
static bool truncate_inode_partial_folio(struct folio *folio, loff_t start, loff_t end)
{
	loff_t pos = folio_pos(folio);
	size_t offset, length;

	offset = pos < start ? (size_t)(start - pos) : 0;
	length = PAGE_SIZE;
	if ((u64)pos + length <= (u64)end)
		length = length - offset;
	else
		length = (size_t)(end + 1 - pos) - offset;
	folio_wait_writeback(folio);
	if (length == PAGE_SIZE) {
		truncate_inode_folio(folio_mapping_raw(folio), folio);
		return true;
	}
	/* Zero what is truncated: a later extension must read zeroes. */
	{
		char *kaddr = kmap_local_page(&folio->page);

		memset(kaddr + offset, 0, length);
		kunmap_local(kaddr);
	}
	if (page_flag_test(&folio->page, PG_private) && folio->page.mapping &&
	    folio->page.mapping->a_ops && folio->page.mapping->a_ops->invalidate_folio)
		folio->page.mapping->a_ops->invalidate_folio(folio, offset, length);
	return true;
}

void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend)
{
	pgoff_t start, end, index;	/* [start, end): whole pages; end exclusive */
	struct folio_batch fbatch;
	struct folio *folio;
	bool same_folio;
	unsigned int i;

	if (!atomic_long_read(&mapping->nrpages))
		return;
	start = (pgoff_t)((lstart + PAGE_SIZE - 1) >> PAGE_SHIFT);
	if (lend == -1)
		end = (pgoff_t)-1;
	else
		end = (pgoff_t)((lend + 1) >> PAGE_SHIFT);

	folio_batch_init(&fbatch);
	index = start;
	while (index < end && find_entries(mapping, &index, end - 1, &fbatch, true)) {
		for (i = 0; i < folio_batch_count(&fbatch); i++)
			truncate_inode_folio(mapping, fbatch.folios[i]);
		for (i = 0; i < folio_batch_count(&fbatch); i++)
			folio_unlock(fbatch.folios[i]);
		folio_batch_release(&fbatch);
		if (index == (pgoff_t)-1)
			break;
	}

	same_folio = (lstart >> PAGE_SHIFT) == (lend >> PAGE_SHIFT);
	folio = __filemap_get_folio(mapping, (pgoff_t)(lstart >> PAGE_SHIFT), FGP_LOCK, 0);
	if (!IS_ERR(folio)) {
		same_folio = lend < folio_pos(folio) + (loff_t)PAGE_SIZE;
		if (!truncate_inode_partial_folio(folio, lstart, lend)) {
			start = folio->page.index + 1;
			if (same_folio)
				end = folio->page.index;
		}
		folio_unlock(folio);
		put_page(&folio->page);
		folio = NULL;
	}
	if (!same_folio && lend != -1) {
		folio = __filemap_get_folio(mapping, (pgoff_t)(lend >> PAGE_SHIFT), FGP_LOCK, 0);
		if (!IS_ERR(folio)) {
			if (!truncate_inode_partial_folio(folio, lstart, lend))
				end = folio->page.index;
			folio_unlock(folio);
			put_page(&folio->page);
		}
	}

	/* The second pass: wait for whatever the first one could not take. */
	index = start;
	while (index < end) {
		if (!find_entries(mapping, &index, end - 1, &fbatch, false)) {
			if (index == start)	/* all gone from start onwards */
				break;
			index = start;		/* restart to make sure all gone */
			continue;
		}
		for (i = 0; i < folio_batch_count(&fbatch); i++) {
			folio = fbatch.folios[i];
			folio_lock(folio);
			folio_wait_writeback(folio);
			truncate_inode_folio(mapping, folio);
			folio_unlock(folio);
		}
		folio_batch_release(&fbatch);
		if (index == (pgoff_t)-1 && !atomic_long_read(&mapping->nrpages))
			break;
	}
}

void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	truncate_inode_pages_range(mapping, lstart, (loff_t)-1);
}

/* The inode is being evicted: nothing else can reach the cache now. */
void truncate_inode_pages_final(struct address_space *mapping)
{
	truncate_inode_pages(mapping, 0);
}

void truncate_pagecache(struct inode *inode, loff_t newsize)
{
	struct address_space *mapping = inode->i_mapping;
	loff_t holebegin = (newsize + PAGE_SIZE - 1) & ~((loff_t)PAGE_SIZE - 1);

	/*
	 * Unmap first so that no mapped page beyond EOF survives, then again
	 * after the truncation for a page a racing fault mapped meanwhile;
	 * private COW pages go too (even_cows), as Linux's.
	 */
	unmap_mapping_range(mapping, holebegin, 0, 1);
	truncate_inode_pages(mapping, newsize);
	unmap_mapping_range(mapping, holebegin, 0, 1);
}

void truncate_setsize(struct inode *inode, loff_t newsize)
{
	i_size_write(inode, newsize);
	truncate_pagecache(inode, newsize);
}

/* Punching a hole: unmap the whole pages, truncate (zeroing partial ones). */
void truncate_pagecache_range(struct inode *inode, loff_t lstart, loff_t lend)
{
	struct address_space *mapping = inode->i_mapping;
	loff_t unmap_start = (lstart + PAGE_SIZE - 1) & ~((loff_t)PAGE_SIZE - 1);
	loff_t unmap_end = ((1 + lend) & ~((loff_t)PAGE_SIZE - 1)) - 1;

	if ((u64)unmap_end > (u64)unmap_start)
		unmap_mapping_range(mapping, unmap_start, 1 + unmap_end - unmap_start, 0);
	truncate_inode_pages_range(mapping, lstart, lend);
}

/*
 * Drop the locked @folio if nobody uses it (Linux's mapping_evict_folio +
 * remove_mapping): clean, not under writeback, referenced only by the
 * cache and the caller.  1 if it went.
 */
static unsigned long mapping_evict_folio(struct address_space *mapping, struct folio *folio)
{
	if (folio_mapping_raw(folio) != mapping)
		return 0;
	if (folio_test_dirty(folio) || folio_test_writeback(folio))
		return 0;
	if (page_ref_count(&folio->page) > 2 || folio_mapped(folio))
		return 0;
	if (page_flag_test(&folio->page, PG_private) && mapping->a_ops &&
	    mapping->a_ops->release_folio && !mapping->a_ops->release_folio(folio, 0))
		return 0;
	xa_lock_irq(&mapping->i_pages);
	/* Recheck under the lock lookups take their references under. */
	if (page_ref_count(&folio->page) > 2 || folio_test_dirty(folio)) {
		xa_unlock_irq(&mapping->i_pages);
		return 0;
	}
	__filemap_remove_folio(folio, NULL);
	xa_unlock_irq(&mapping->i_pages);
	put_page(&folio->page);		/* the cache's */
	return 1;
}

unsigned long invalidate_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	struct folio_batch fbatch;
	pgoff_t index = start;
	unsigned long count = 0;
	unsigned int i;

	folio_batch_init(&fbatch);
	while (index <= end && find_entries(mapping, &index, end, &fbatch, true)) {
		for (i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];
			unsigned long ret = mapping_evict_folio(mapping, folio);

			folio_unlock(folio);
			/* Invalidation is a hint the folio is no longer of interest. */
			if (!ret)
				folio_deactivate(folio);
			count += ret;
		}
		folio_batch_release(&fbatch);
		if (index == (pgoff_t)-1 || index == 0)
			break;
	}
	return count;
}

/*
 * invalidate_inode_pages2_range - drop every folio of [start, end],
 * unmapping mapped ones; -EBUSY if one could not be dropped (dirty, or
 * its private data could not be released), 0 otherwise.
 */
int invalidate_inode_pages2_range(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	struct folio_batch fbatch;
	pgoff_t index = start;
	unsigned int i;
	int ret = 0;

	if (!atomic_long_read(&mapping->nrpages))
		return 0;
	folio_batch_init(&fbatch);
	while (index <= end && find_entries(mapping, &index, end, &fbatch, false)) {
		for (i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];

			folio_lock(folio);
			if (folio_mapping_raw(folio) != mapping) {
				folio_unlock(folio);
				continue;
			}
			folio_wait_writeback(folio);
			if (folio_mapped(folio))
				unmap_mapping_pages(mapping, folio->page.index, 1, false);
			if (page_flag_test(&folio->page, PG_private) && mapping->a_ops &&
			    mapping->a_ops->release_folio &&
			    !mapping->a_ops->release_folio(folio, GFP_KERNEL)) {
				ret = -EBUSY;
				folio_unlock(folio);
				continue;
			}
			xa_lock_irq(&mapping->i_pages);
			if (folio_test_dirty(folio)) {
				xa_unlock_irq(&mapping->i_pages);
				ret = -EBUSY;
			} else {
				__filemap_remove_folio(folio, NULL);
				xa_unlock_irq(&mapping->i_pages);
				put_page(&folio->page);
			}
			folio_unlock(folio);
		}
		folio_batch_release(&fbatch);
		if (index == (pgoff_t)-1 || index == 0)
			break;
	}
	return ret;
}
