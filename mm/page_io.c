// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page_io.c - a swap slot's bytes on its device (Linux's mm/page_io.c):
 * swap_writepage and swap_read_folio build one bio per folio on the
 * area's block device at swap_folio_sector() (the slot through the area's
 * extents), so swap I/O costs the disk's latency in virtual time, shows in
 * /proc/diskstats, and counts PSWPOUT / PSWPIN (vmstat pswpout/pswpin) as
 * well as the block layer's pgpgout/pgpgin.
 *
 * Write: the folio is locked and in the swap cache.  If nobody uses its
 * slot any more (folio_free_swap) it is simply dropped from the swap
 * cache.  Otherwise writeback starts, the folio is unlocked, and the bio
 * goes out; its completion ends writeback (on an error: the folio is
 * redirtied, PG_reclaim cleared, and Linux's "Write-error on swap-device"
 * line logged).  mmsim has no zswap and no zero-page map: every page is
 * written.
 *
 * Read: the folio is locked, in the swap cache, not uptodate.  A
 * synchronous read (SWP_SYNCHRONOUS_IO or @synchronous) waits for the bio
 * (virtual time passes); otherwise the bio's completion marks the folio
 * uptodate (or logs "Read-error on swap-device") and unlocks it, and
 * folio_lock/folio_wait_locked let virtual time pass to it.  A read of a
 * workingset folio is a memory stall (psi_memstall_enter/leave), as Linux.
 *
 * Locking: the folio lock (and PG_writeback) as above; nothing else.
 * Completions run from the clock (blk_clock_advanced) with no lock held.
 */
#include <mmsim/swapops.h>
#include <mmsim/blkdev.h>
#include <mmsim/pagemap.h>
#include <mmsim/printk.h>
#include <mmsim/ratelimit.h>
#include <mmsim/psi.h>
#include <mmsim/rmap.h>
#include <mmsim/vmstat.h>
#include <mmsim/writeback.h>
#include "mm/pagecache_internal.h"

static void swap_write_end_io(struct bio *bio)
{
	struct folio *folio = page_folio(bio->bi_io_vec[0].bv_page);

	if (bio->bi_status) {
		/* The folio stays in the swap cache, dirty: reclaim tries again. */
		folio_mark_dirty(folio);
		pr_alert("Write-error on swap-device (%u:%u:%llu)\n",
			 MAJOR(bio->bi_bdev->bd_dev), MINOR(bio->bi_bdev->bd_dev),
			 (unsigned long long)bio->bi_iter.bi_sector);
		ClearPageReclaim(&folio->page);
	}
	folio_end_writeback(folio);
	bio_put(bio);
}

int swap_writepage(struct page *page, struct writeback_control *wbc)
{
	struct folio *folio = page_folio(page);
	struct swap_info_struct *si;
	struct bio *bio;
	blk_opf_t opf = REQ_OP_WRITE;

	if (WARN_ON_ONCE(!folio_test_locked(folio)) || WARN_ON_ONCE(!folio_test_swapcache(folio)))
		return -EINVAL;
	if (folio_free_swap(folio)) {
		folio_unlock(folio);
		return 0;
	}
	si = swp_swap_info(folio_swap_entry(folio));
	if (!si || !si->bdev) {
		folio_mark_dirty(folio);
		folio_unlock(folio);
		return -EIO;
	}
	if (wbc && wbc->sync_mode == WB_SYNC_ALL)
		opf |= REQ_SYNC;
	bio = bio_alloc(si->bdev, 1, opf, GFP_NOIO);
	bio->bi_iter.bi_sector = swap_folio_sector(folio);
	bio->bi_end_io = swap_write_end_io;
	bio_add_page(bio, &folio->page, PAGE_SIZE, 0);
	count_vm_event(PSWPOUT);
	folio_start_writeback(folio);
	folio_unlock(folio);
	submit_bio(bio);
	return 0;
}

static void swap_read_end(struct folio *folio, struct bio *bio)
{
	if (!bio->bi_status) {
		SetPageUptodate(&folio->page);
	} else {
		pr_alert("Read-error on swap-device (%u:%u:%llu)\n",
			 MAJOR(bio->bi_bdev->bd_dev), MINOR(bio->bi_bdev->bd_dev),
			 (unsigned long long)bio->bi_iter.bi_sector);
	}
	folio_unlock(folio);
}

static void swap_read_end_io(struct bio *bio)
{
	swap_read_end(page_folio(bio->bi_io_vec[0].bv_page), bio);
	bio_put(bio);
}

void swap_read_folio(struct folio *folio, bool synchronous)
{
	struct swap_info_struct *si = swp_swap_info(folio_swap_entry(folio));
	bool workingset = PageWorkingset(&folio->page);
	unsigned long pflags = 0;
	struct bio *bio;

	if (WARN_ON_ONCE(!folio_test_locked(folio)) || WARN_ON_ONCE(!folio_test_swapcache(folio)) ||
	    WARN_ON_ONCE(folio_test_uptodate(folio))) {
		folio_unlock(folio);
		return;
	}
	if (!si || !si->bdev) {
		folio_unlock(folio);	/* not uptodate: the caller sees the error */
		return;
	}
	if (workingset)
		psi_memstall_enter(&pflags);
	synchronous |= !!(si->flags & SWP_SYNCHRONOUS_IO);
	bio = bio_alloc(si->bdev, 1, REQ_OP_READ, GFP_KERNEL);
	bio->bi_iter.bi_sector = swap_folio_sector(folio);
	bio_add_page(bio, &folio->page, PAGE_SIZE, 0);
	count_vm_event(PSWPIN);
	if (synchronous) {
		submit_bio_wait(bio);
		swap_read_end(folio, bio);
		bio_put(bio);
	} else {
		bio->bi_end_io = swap_read_end_io;
		submit_bio(bio);
	}
	if (workingset)
		psi_memstall_leave(&pflags);
}
