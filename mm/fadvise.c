// SPDX-License-Identifier: GPL-2.0
/*
 * mm/fadvise.c - posix_fadvise(2) and readahead(2) (Linux's mm/fadvise.c
 * and ksys_readahead of mm/readahead.c).
 *
 * Design (generic_fadvise, Linux's semantics):
 *   NORMAL      the window back to the bdi's ra_pages, FMODE_RANDOM off;
 *   RANDOM      FMODE_RANDOM: reads read only what they ask (no window);
 *   SEQUENTIAL  the window doubled (2 * bdi ra_pages), FMODE_RANDOM off;
 *   WILLNEED    force_page_cache_readahead over the partial pages of the
 *               range (len 0: to the end of the file), not waited for;
 *   NOREUSE     FMODE_NOREUSE (accepted; no reclaim uses it yet);
 *   DONTNEED    start writeback of the range (WB_SYNC_NONE), then drop
 *               the clean, unused folios wholly inside it
 *               (invalidate_mapping_pages): partial pages at its ends stay.
 * A file whose bdi is the noop one (tmpfs, pseudo files) accepts every
 * valid advice and does nothing, as Linux's.  Errors: -EBADF (no such
 * fd), -ESPIPE (a FIFO), -EINVAL (bad advice, negative length).
 *
 * Locking: the f_mode bits change without f_lock (mmsim's struct file has
 * none); the window fields are plain stores, as Linux's.
 */
#include <errno.h>
#include <limits.h>
#include <mmsim/pagemap.h>
#include <mmsim/fcntl.h>
#include <mmsim/writeback.h>
#include <mmsim/syscalls.h>
#include <mmsim/swap.h>
#include "mm/pagecache_internal.h"

int generic_fadvise(struct file *file, loff_t offset, loff_t len, int advice)
{
	struct inode *inode = file_inode(file);
	struct address_space *mapping = file->f_mapping;
	struct backing_dev_info *bdi;
	unsigned long ra_pages;
	pgoff_t start_index, end_index;
	unsigned long nrpages;
	loff_t endbyte;

	if (inode && S_ISFIFO(inode->i_mode))
		return -ESPIPE;
	if (!mapping || len < 0)
		return -EINVAL;
	bdi = mapping_bdi(mapping);
	if (bdi && bdi == noop_backing_dev_info()) {
		switch (advice) {
		case POSIX_FADV_NORMAL:
		case POSIX_FADV_RANDOM:
		case POSIX_FADV_SEQUENTIAL:
		case POSIX_FADV_WILLNEED:
		case POSIX_FADV_NOREUSE:
		case POSIX_FADV_DONTNEED:
			return 0;	/* no bad return value, but ignored */
		default:
			return -EINVAL;
		}
	}
	ra_pages = bdi ? bdi->ra_pages : VM_READAHEAD_PAGES_BYTES / PAGE_SIZE;

	/* Careful about overflows; len == 0 means "as much as possible". */
	endbyte = (loff_t)((u64)offset + (u64)len);
	if (!len || endbyte < len)
		endbyte = LLONG_MAX;
	else
		endbyte--;		/* inclusive */

	switch (advice) {
	case POSIX_FADV_NORMAL:
		file->f_ra.ra_pages = (unsigned int)ra_pages;
		file->f_mode &= ~(FMODE_RANDOM | FMODE_NOREUSE);
		break;
	case POSIX_FADV_RANDOM:
		file->f_mode |= FMODE_RANDOM;
		break;
	case POSIX_FADV_SEQUENTIAL:
		file->f_ra.ra_pages = (unsigned int)(ra_pages * 2);
		file->f_mode &= ~FMODE_RANDOM;
		break;
	case POSIX_FADV_WILLNEED:
		/* First and last PARTIAL page! */
		start_index = (pgoff_t)(offset >> PAGE_SHIFT);
		end_index = (pgoff_t)(endbyte >> PAGE_SHIFT);
		nrpages = end_index - start_index + 1;	/* overflow on the "+1" */
		if (!nrpages)
			nrpages = ~0UL;
		force_page_cache_readahead(mapping, file, start_index, nrpages);
		break;
	case POSIX_FADV_NOREUSE:
		file->f_mode |= FMODE_NOREUSE;
		break;
	case POSIX_FADV_DONTNEED:
		if (mapping_writeback_capable(mapping))
			filemap_fdatawrite_range(mapping, offset, endbyte);
		/* First and last FULL page: partial pages are kept. */
		start_index = (pgoff_t)((offset + (loff_t)PAGE_SIZE - 1) >> PAGE_SHIFT);
		end_index = (pgoff_t)(endbyte >> PAGE_SHIFT);
		/*
		 * The page at end_index is dropped inclusively: skip it unless
		 * endbyte ends a page or is the file's last byte.
		 */
		if ((endbyte & (loff_t)(PAGE_SIZE - 1)) != (loff_t)(PAGE_SIZE - 1) &&
		    (!inode || endbyte != inode->i_size - 1)) {
			if (end_index == 0)
				break;
			end_index--;
		}
		if (end_index >= start_index) {
			lru_add_drain();
			invalidate_mapping_pages(mapping, start_index, end_index);
		}
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

long sys_fadvise64(int fd, long offset, long len, int advice)
{
	struct file *file;
	long ret;

	if (fd < 0)
		return -EBADF;
	file = fget((unsigned int)fd);
	if (!file)
		return -EBADF;
	ret = generic_fadvise(file, offset, len, advice);
	fput(file);
	return ret;
}

long sys_readahead(int fd, long offset, size_t count)
{
	struct file *file;
	struct inode *inode;
	long ret = -EBADF;

	if (fd < 0)
		return -EBADF;
	file = fget((unsigned int)fd);
	if (!file)
		return -EBADF;
	if (!(file->f_mode & FMODE_READ))
		goto out;
	/* Only on files that can read ahead: -EINVAL otherwise. */
	ret = -EINVAL;
	inode = file_inode(file);
	if (!file->f_mapping || !file->f_mapping->a_ops || !inode ||
	    (!S_ISREG(inode->i_mode) && !S_ISBLK(inode->i_mode)))
		goto out;
	ret = generic_fadvise(file, offset, (loff_t)count, POSIX_FADV_WILLNEED);
out:
	fput(file);
	return ret;
}
