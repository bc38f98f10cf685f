// SPDX-License-Identifier: GPL-2.0
/*
 * mm/readahead.c - reading a file ahead of its reader (Linux's
 * mm/readahead.c, the classic on-demand algorithm of Linux 6.1-6.9 with
 * order-0 folios).
 *
 * Design.  Each open file has a file_ra_state: the current window
 * [start, start + size) and async_size, the count of its last pages left
 * unread when the next window should start; ra_pages is the window's
 * maximum (the bdi's read_ahead_kb, VM_READAHEAD_PAGES_BYTES = 128 KiB by
 * default; twice that after POSIX_FADV_SEQUENTIAL).  The folio at
 * start + size - async_size gets PG_readahead: a reader that reaches it
 * (filemap_get_pages, filemap_fault) calls page_cache_async_readahead,
 * which clears it and pushes the next window, so a sequential reader
 * never waits once the pipeline is full.
 *
 * page_cache_sync_readahead (a miss) and page_cache_async_readahead (the
 * marker) both land in ondemand_readahead, Linux's window logic:
 *   - index 0, or a read right after the previous one (prev_pos), or an
 *     oversize read: a new window of get_init_ra_size(req) pages
 *     (req rounded up to a power of two, x4 when small, x2 when medium,
 *     else ra_pages), async_size = size - req;
 *   - the index where the current window expected the marker, or its end:
 *     sequential -- the next window starts at start + size with
 *     get_next_ra_size (x4 while below ra_pages/16, x2 up to ra_pages/2,
 *     then ra_pages), all of it async;
 *   - a marker hit without matching state (interleaved streams): the
 *     window is sized from the cached run after the marker;
 *   - a miss preceded by more cached history pages than the request
 *     (context readahead, try_context_readahead);
 *   - otherwise a small random read: read just the request, keep the state.
 * When the new window starts at the index being read and is all async,
 * the next window is merged into it (the reader would hit its own marker).
 * For a 128 KiB window on 4 KiB pages a sequential scan of 1-page reads
 * gives windows of 4, 8, 16, 32, 32... pages.  FMODE_RANDOM (POSIX_FADV_RANDOM) or
 * ra_pages == 0 reads only the request (force_page_cache_ra).
 *
 * page_cache_ra_unbounded allocates the window's missing folios, adds
 * them to the cache locked (and on the LRU), marks the lookahead folio and
 * hands contiguous runs to ->readahead (the folios come out with
 * readahead_folio; the file system unlocks each when its read completes)
 * or ->read_folio each, inside a block plug so adjacent reads merge into
 * one request.  Already-cached folios split the runs.  Reads are not
 * waited for: a reader that needs one waits on its folio lock, which
 * lets virtual time pass (folio_wait_locked).
 *
 * Locking: the mapping's invalidate_lock is held shared while folios are
 * added (truncation takes it exclusively); the folios are locked until
 * read.  ra state is updated without a lock, as Linux's (racing readers
 * of one file only mistune the window).
 *
 * Invariants: a folio added by readahead is locked until its read ends;
 * at most one folio of a window carries PG_readahead; nothing is read at
 * or past the page holding the last byte of the file.
 */
#include <errno.h>
#include <mmsim/err.h>
#include <mmsim/pagemap.h>
#include <mmsim/blkdev.h>
#include <mmsim/swap.h>
#include <mmsim/printk.h>
#include "mm/pagecache_internal.h"

/* file_ra_state_init - a new file's window: the bdi's ra_pages (128 KiB). */
void file_ra_state_init(struct file_ra_state *ra, struct address_space *mapping)
{
	struct backing_dev_info *bdi = mapping_bdi(mapping);

	ra->ra_pages = bdi ? (unsigned int)bdi->ra_pages
			   : (unsigned int)(VM_READAHEAD_PAGES_BYTES / PAGE_SIZE);
	ra->prev_pos = -1;
}

/* The next locked folio of the batch (the cache holds it), or NULL. */
struct folio *readahead_folio(struct readahead_control *rac)
{
	struct folio *folio;

	BUG_ON(rac->_batch_count > rac->_nr_pages);
	rac->_nr_pages -= rac->_batch_count;
	rac->_index += rac->_batch_count;
	if (!rac->_nr_pages) {
		rac->_batch_count = 0;
		return NULL;
	}
	folio = xa_load(&rac->mapping->i_pages, rac->_index);
	if (WARN_ON_ONCE(!folio || xa_is_value(folio) || !folio_test_locked(folio))) {
		rac->_nr_pages = 0;
		rac->_batch_count = 0;
		return NULL;
	}
	rac->_batch_count = 1;
	/* Drop the allocation's reference: the cache keeps its own. */
	put_page(&folio->page);
	return folio;
}

/* Start the reads of the batch [_index, _index + _nr_pages) (Linux's read_pages). */
static void read_pages(struct readahead_control *rac)
{
	const struct address_space_operations *aops = rac->mapping->a_ops;
	struct blk_plug plug;
	struct folio *folio;

	if (!readahead_count(rac))
		return;
	blk_start_plug(&plug);
	if (aops->readahead) {
		aops->readahead(rac);
		/* What ->readahead left: shrink the window and drop the tail. */
		while ((folio = readahead_folio(rac)) != NULL) {
			get_page(&folio->page);
			if (rac->ra) {
				rac->ra->size -= 1;
				if (rac->ra->async_size >= 1) {
					rac->ra->async_size -= 1;
					filemap_remove_folio(folio);
				}
			}
			folio_unlock(folio);
			put_page(&folio->page);
		}
	} else {
		while ((folio = readahead_folio(rac)) != NULL)
			aops->read_folio(rac->file, folio);
	}
	blk_finish_plug(&plug);
	BUG_ON(readahead_count(rac));
}

/*
 * page_cache_ra_unbounded - read [index, index + nr_to_read) ahead, EOF
 * and the window aside (the caller checked them); the folio
 * @lookahead_size before the end gets PG_readahead.
 */
void page_cache_ra_unbounded(struct readahead_control *rac, unsigned long nr_to_read,
			     unsigned long lookahead_size)
{
	struct address_space *mapping = rac->mapping;
	unsigned long index = readahead_index(rac);
	gfp_t gfp = mapping_gfp_mask(mapping) | __GFP_NORETRY | __GFP_NOWARN;
	unsigned long i;

	filemap_invalidate_lock_shared(mapping);
	for (i = 0; i < nr_to_read; i++) {
		struct folio *folio = xa_load(&mapping->i_pages, index + i);

		if (folio && !xa_is_value(folio)) {
			/* Cached already: start the run so far, go on after it. */
			read_pages(rac);
			rac->_index++;
			i = rac->_index + rac->_nr_pages - index - 1;
			continue;
		}
		folio = filemap_alloc_folio(gfp, 0);
		if (!folio)
			break;
		if (filemap_add_folio(mapping, folio, index + i, gfp) < 0) {
			put_page(&folio->page);
			read_pages(rac);
			rac->_index++;
			i = rac->_index + rac->_nr_pages - index - 1;
			continue;
		}
		if (i == nr_to_read - lookahead_size)
			folio_set_readahead(folio);
		rac->_nr_pages++;
	}
	read_pages(rac);
	filemap_invalidate_unlock_shared(mapping);
}

/* Read [index, index + nr_to_read) but nothing past EOF (do_page_cache_ra). */
static void do_page_cache_ra(struct readahead_control *rac, unsigned long nr_to_read,
			     unsigned long lookahead_size)
{
	struct inode *inode = rac->mapping->host;
	unsigned long index = readahead_index(rac);
	loff_t isize = inode ? i_size_read(inode) : 0;
	pgoff_t end_index;

	if (isize == 0)
		return;
	end_index = (pgoff_t)((isize - 1) >> PAGE_SHIFT);
	if (index > end_index)
		return;
	if (nr_to_read > end_index - index)
		nr_to_read = end_index - index + 1;
	if (lookahead_size > nr_to_read)
		lookahead_size = 0;
	page_cache_ra_unbounded(rac, nr_to_read, lookahead_size);
}

/* Read ahead ignoring the window, in 2 MiB chunks (Linux's force_page_cache_ra). */
void force_page_cache_ra(struct readahead_control *rac, unsigned long nr_to_read)
{
	struct address_space *mapping = rac->mapping;
	struct backing_dev_info *bdi = mapping_bdi(mapping);
	unsigned long max_pages, index;

	if (unlikely(!mapping->a_ops || (!mapping->a_ops->read_folio && !mapping->a_ops->readahead)))
		return;
	index = readahead_index(rac);
	max_pages = rac->ra ? rac->ra->ra_pages : VM_READAHEAD_PAGES_BYTES / PAGE_SIZE;
	if (bdi && bdi->io_pages > max_pages)
		max_pages = bdi->io_pages;
	nr_to_read = min(nr_to_read, max_pages);
	while (nr_to_read) {
		unsigned long this_chunk = (2 * 1024 * 1024) / PAGE_SIZE;

		if (this_chunk > nr_to_read)
			this_chunk = nr_to_read;
		rac->_index = index;
		do_page_cache_ra(rac, this_chunk, 0);
		index += this_chunk;
		nr_to_read -= this_chunk;
	}
}

void force_page_cache_readahead(struct address_space *mapping, struct file *file,
				pgoff_t index, unsigned long nr_to_read)
{
	struct file_ra_state local = { 0 };
	struct readahead_control rac = {
		.file = file, .mapping = mapping, ._index = index,
		.ra = file ? &file->f_ra : &local,
	};

	if (!file)
		file_ra_state_init(&local, mapping);
	force_page_cache_ra(&rac, nr_to_read);
}

static unsigned long roundup_pow_of_two_ul(unsigned long n)
{
	unsigned long p = 1;

	while (p < n)
		p <<= 1;
	return p;
}

/*
 * The first window: 4x a small request (up to max/32), 2x a medium one
 * (up to max/4), else the maximum; e.g. 1 page of a 32-page max -> 4.
 */
static unsigned long get_init_ra_size(unsigned long size, unsigned long max)
{
	unsigned long newsize = roundup_pow_of_two_ul(size);

	if (newsize <= max / 32)
		newsize = newsize * 4;
	else if (newsize <= max / 4)
		newsize = newsize * 2;
	else
		newsize = max;
	return newsize;
}

/* The next window: 4x while small (below max/16), 2x up to max/2, then max. */
static unsigned long get_next_ra_size(struct file_ra_state *ra, unsigned long max)
{
	unsigned long cur = ra->size;

	if (cur < max / 16)
		return 4 * cur;
	if (cur <= max / 2)
		return 2 * cur;
	return max;
}

/* Cached pages just before @index (a stream's history): count_history_pages. */
static pgoff_t count_history_pages(struct address_space *mapping, pgoff_t index, unsigned long max)
{
	pgoff_t head = page_cache_prev_miss(mapping, index - 1, max);

	return index - 1 - head;
}

/* Linux's try_context_readahead: a stream seen through the cache's history. */
static int try_context_readahead(struct address_space *mapping, struct file_ra_state *ra,
				 pgoff_t index, unsigned long req_size, unsigned long max)
{
	pgoff_t size = count_history_pages(mapping, index, max);

	if (size <= req_size)		/* not enough history: a random read */
		return 0;
	if (size >= index)		/* from the start of the file: a long stream */
		size *= 2;
	ra->start = index;
	ra->size = (unsigned int)min(size + req_size, max);
	ra->async_size = 1;
	return 1;
}

/* Linux's ondemand_readahead; @folio is the marked folio (async) or NULL (sync). */
static void ondemand_readahead(struct readahead_control *rac, struct folio *folio,
			       unsigned long req_size)
{
	struct backing_dev_info *bdi = mapping_bdi(rac->mapping);
	struct file_ra_state *ra = rac->ra;
	unsigned long max_pages = ra->ra_pages;
	unsigned long add_pages;
	pgoff_t index = readahead_index(rac);
	pgoff_t expected, prev_index;

	/* A request beyond the window may go up to the device's optimal I/O. */
	if (bdi && req_size > max_pages && bdi->io_pages > max_pages)
		max_pages = min(req_size, bdi->io_pages);

	if (!index)			/* start of file */
		goto initial_readahead;

	/* The expected marker or the window's end: sequential, ramp up. */
	expected = ra->start + ra->size - ra->async_size;
	if (index == expected || index == (ra->start + ra->size)) {
		ra->start += ra->size;
		ra->size = (unsigned int)get_next_ra_size(ra, max_pages);
		ra->async_size = ra->size;
		goto readit;
	}

	/* A marker without matching state (interleaved reads): size the
	 * window from the cached run after it. */
	if (folio) {
		pgoff_t start = page_cache_next_miss(rac->mapping, index + 1, max_pages);

		if (!start || start - index > max_pages)
			return;
		ra->start = start;
		ra->size = (unsigned int)(start - index);	/* the old async_size */
		ra->size += (unsigned int)req_size;
		ra->size = (unsigned int)get_next_ra_size(ra, max_pages);
		ra->async_size = ra->size;
		goto readit;
	}

	if (req_size > max_pages)	/* oversize read */
		goto initial_readahead;

	/* A sequential miss: right after (or in the same page as) the last read. */
	prev_index = (pgoff_t)((unsigned long long)ra->prev_pos >> PAGE_SHIFT);
	if (index - prev_index <= 1UL)
		goto initial_readahead;

	/* The traces a sequential stream left in the cache. */
	if (try_context_readahead(rac->mapping, ra, index, req_size, max_pages))
		goto readit;

	/* A small random read: read as is, keep the state. */
	do_page_cache_ra(rac, req_size, 0);
	return;

initial_readahead:
	ra->start = index;
	ra->size = (unsigned int)get_init_ra_size(req_size, max_pages);
	ra->async_size = ra->size > req_size ? ra->size - (unsigned int)req_size : ra->size;

readit:
	/* Would this read hit its own marker?  Then merge the next window now. */
	if (index == ra->start && ra->size == ra->async_size) {
		add_pages = get_next_ra_size(ra, max_pages);
		if (ra->size + add_pages <= max_pages) {
			ra->async_size = (unsigned int)add_pages;
			ra->size += (unsigned int)add_pages;
		} else {
			ra->size = (unsigned int)max_pages;
			ra->async_size = (unsigned int)(max_pages >> 1);
		}
	}
	rac->_index = ra->start;
	do_page_cache_ra(rac, ra->size, ra->async_size);
}

void page_cache_sync_ra(struct readahead_control *rac, unsigned long req_count)
{
	bool do_forced_ra = rac->file && (rac->file->f_mode & FMODE_RANDOM);

	/* Readahead off: still read the request, one page of it. */
	if (!rac->ra->ra_pages) {
		if (!rac->file)
			return;
		req_count = 1;
		do_forced_ra = true;
	}
	if (do_forced_ra) {		/* be dumb */
		force_page_cache_ra(rac, req_count);
		return;
	}
	ondemand_readahead(rac, NULL, req_count);
}

void page_cache_async_ra(struct readahead_control *rac, struct folio *folio,
			 unsigned long req_count)
{
	if (!rac->ra->ra_pages)		/* no readahead */
		return;
	if (folio_test_writeback(folio))	/* the same bit is PG_reclaim */
		return;
	folio_clear_readahead(folio);
	ondemand_readahead(rac, folio, req_count);
}

void page_cache_sync_readahead(struct address_space *mapping, struct file_ra_state *ra,
			       struct file *file, pgoff_t index, unsigned long req_count)
{
	struct readahead_control rac = {
		.file = file, .mapping = mapping, .ra = ra, ._index = index,
	};

	page_cache_sync_ra(&rac, req_count);
}

void page_cache_async_readahead(struct address_space *mapping, struct file_ra_state *ra,
				struct file *file, struct folio *folio, unsigned long req_count)
{
	struct readahead_control rac = {
		.file = file, .mapping = mapping, .ra = ra, ._index = folio->page.index,
	};

	page_cache_async_ra(&rac, folio, req_count);
}
