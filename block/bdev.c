// SPDX-License-Identifier: GPL-2.0
/*
 * block/bdev.c - the disk's own page cache (Linux's block/bdev.c and
 * block/fops.c def_blk_aops): bdev_inode(bdev) is an inode of a pseudo
 * super block ("bdev") whose mapping caches the disk's bytes, page index i
 * holding bytes [i * PAGE_SIZE, (i + 1) * PAGE_SIZE).  File systems read
 * and write their metadata through it (fs/mmfs/ does all of its own), so
 * its pages are what meminfo's `Buffers` counts (nr_blockdev_pages), as on
 * Linux, and its dirty pages go out through the same writeback as a
 * file's (its a_ops: read_folio, writepages, dirty_folio).
 *
 * Design.  read_folio reads one page with one bio (the part beyond the end
 * of the disk, if the disk is not a whole number of pages, reads as
 * zeroes); it waits for the bio (submit_bio_wait: virtual time passes), so
 * the folio is uptodate and unlocked when it returns.  writepages walks
 * the dirty folios with writeback_iter() and sends each run of adjacent
 * pages as one bio under a plug; each folio is under writeback
 * (folio_start_writeback) until its bio's completion ends it.
 *
 * Per machine: the inode lives in the `mmfs` subsystem's state
 * (struct mmfs_machine_state), created at the first bdev_inode() call and
 * freed by bdev_inode_release() at shutdown (after every mount is gone).
 *
 * Locking: the folio lock serialises a block's readers, writers and
 * writeback, as for any mapping; creating the inode happens at boot or
 * mount (one CPU).  Invariants: every folio of the mapping has index <
 * the disk's pages; nr_blockdev_pages() == the mapping's nrpages.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mmsim/blkdev.h>
#include <mmsim/fs.h>
#include <mmsim/mmfs.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include <mmsim/backing-dev.h>
#include <mmsim/highmem.h>
#include <mmsim/rmap.h>
#include <mmsim/slab.h>
#include <mmsim/printk.h>
#include <mmsim/err.h>
#include "init/init.h"
#include "init/machine.h"
#include "block/blk.h"

static struct mmfs_machine_state *bdev_state_of(struct block_device *bdev)
{
	struct mmsim *m = bdev->bd_disk->dev->m;

	return m && m->subsys_state ? subsys_state(m, mmfs) : NULL;
}

static loff_t bdev_bytes(struct block_device *bdev)
{
	return (loff_t)bdev_nr_sectors(bdev) << SECTOR_SHIFT;
}

static struct block_device *mapping_bdev(struct address_space *mapping)
{
	return mapping->private_data;
}

static bool folio_flag(struct folio *f, int bit)
{
	return (__atomic_load_n(&f->page.flags, __ATOMIC_ACQUIRE) >> bit) & 1;
}

static void folio_flag_set(struct folio *f, int bit)
{
	__atomic_fetch_or(&f->page.flags, 1UL << bit, __ATOMIC_RELEASE);
}

/* How many bytes of the page at @index lie on the disk. */
static unsigned int bdev_page_bytes(struct block_device *bdev, pgoff_t index)
{
	loff_t pos = (loff_t)index << PAGE_SHIFT, end = bdev_bytes(bdev);

	if (pos >= end)
		return 0;
	return end - pos >= (loff_t)PAGE_SIZE ? (unsigned int)PAGE_SIZE : (unsigned int)(end - pos);
}

static int blkdev_read_folio(struct file *file, struct folio *folio)
{
	struct block_device *bdev = mapping_bdev(folio->page.mapping);
	unsigned int len = bdev_page_bytes(bdev, folio->page.index);
	int ret = 0;

	(void)file;
	if (len < PAGE_SIZE) {
		char *k = kmap_local_page(&folio->page);

		memset(k + len, 0, PAGE_SIZE - len);
		kmsan_unpoison_memory(k + len, PAGE_SIZE - len);
		kunmap_local(k);
	}
	if (len) {
		struct bio *bio = bio_alloc(bdev, 1, REQ_OP_READ | REQ_META | REQ_SYNC, GFP_NOIO);

		bio->bi_iter.bi_sector = (sector_t)folio->page.index << (PAGE_SHIFT - SECTOR_SHIFT);
		bio_add_page(bio, &folio->page, len, 0);
		ret = submit_bio_wait(bio);
		bio_put(bio);
	}
	if (!ret)
		folio_flag_set(folio, PG_uptodate);
	folio_unlock(folio);
	return ret;
}

/*
 * Linux's mpage_write_end_io: a page-cache write bio's completion ends the
 * writeback of each of its folios (an error is recorded on the mapping).
 * Shared by this cache's writepages and fs/mmfs/'s.
 */
void mpage_write_end_io(struct bio *bio)
{
	struct bio_vec *bv;
	unsigned int i;

	bio_for_each_bvec_all(bv, bio, i) {
		struct folio *folio = page_folio(bv->bv_page);

		if (bio->bi_status)
			mapping_set_error(folio->page.mapping, -EIO);
		folio_end_writeback(folio);
	}
	bio_put(bio);
}

/*
 * bio_add_page_run - add @len bytes of @page (from its start), bound for
 * disk sector @sector, to @bio, the bio being built for a run of pages:
 * when they continue it on disk (bio_end_sector) and fit, they are
 * appended; otherwise @bio is submitted and a new one (@opf, @end_io, up
 * to BIO_MAX_VECS pages) started.  Returns the bio now being built; the
 * caller submits the last one (under its plug).
 */
struct bio *bio_add_page_run(struct bio *bio, struct block_device *bdev, blk_opf_t opf,
			     bio_end_io_t *end_io, struct page *page, unsigned int len,
			     sector_t sector)
{
	if (bio && (sector != bio_end_sector(bio) || !bio_add_page(bio, page, len, 0))) {
		submit_bio(bio);
		bio = NULL;
	}
	if (!bio) {
		bio = bio_alloc(bdev, BIO_MAX_VECS, opf, GFP_NOIO);
		bio->bi_iter.bi_sector = sector;
		bio->bi_end_io = end_io;
		bio_add_page(bio, page, len, 0);
	}
	return bio;
}

static int blkdev_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct block_device *bdev = mapping_bdev(mapping);
	struct folio *folio = NULL;
	struct bio *bio = NULL;
	struct blk_plug plug;
	int error = 0;

	blk_start_plug(&plug);
	while ((folio = writeback_iter(mapping, wbc, folio, &error))) {
		unsigned int len = bdev_page_bytes(bdev, folio->page.index);

		folio_start_writeback(folio);
		folio_unlock(folio);
		if (!len) {		/* past the disk: nothing to write */
			folio_end_writeback(folio);
			continue;
		}
		bio = bio_add_page_run(bio, bdev, REQ_OP_WRITE | REQ_META, mpage_write_end_io,
				       &folio->page, len,
				       (sector_t)folio->page.index << (PAGE_SHIFT - SECTOR_SHIFT));
		if (len < PAGE_SIZE) {	/* the disk ends in this page */
			submit_bio(bio);
			bio = NULL;
		}
	}
	if (bio)
		submit_bio(bio);
	blk_finish_plug(&plug);
	return error;
}

static bool blkdev_dirty_folio(struct address_space *mapping, struct folio *folio)
{
	return filemap_dirty_folio(mapping, folio);
}

static const struct address_space_operations def_blk_aops = {
	.read_folio = blkdev_read_folio,
	.writepages = blkdev_writepages,
	.dirty_folio = blkdev_dirty_folio,
};

static const struct super_operations bdev_sops;

struct inode *bdev_inode(struct block_device *bdev)
{
	struct mmfs_machine_state *st = bdev ? bdev_state_of(bdev) : NULL;
	struct super_block *sb;
	struct inode *inode;

	if (!st)
		return NULL;
	if (st->bdev_inode)
		return st->bdev_inode;
	if (st->exiting && !st->mounted)
		return NULL;	/* shutdown: released, not to be made again */
	sb = kzalloc(sizeof(*sb), GFP_KERNEL);
	inode = kzalloc(sizeof(*inode), GFP_KERNEL);
	if (!sb || !inode) {
		kfree(sb);
		kfree(inode);
		return NULL;
	}
	INIT_LIST_HEAD(&sb->s_list);
	INIT_LIST_HEAD(&sb->s_inodes);
	spin_lock_init(&sb->s_inode_list_lock);
	init_rwsem(&sb->s_umount);
	sb->s_dev = 0;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = (unsigned char)PAGE_SHIFT;
	sb->s_op = &bdev_sops;
	sb->s_bdi = bdev->bd_disk->bdi ? bdev->bd_disk->bdi : noop_backing_dev_info();
	snprintf(sb->s_id, sizeof(sb->s_id), "bdev");

	inode->i_mode = S_IFBLK | 0600;
	inode->i_rdev = bdev->bd_dev;
	inode->i_ino = 0;
	atomic_set(&inode->i_count, 1);
	inode->i_nlink = 1;
	i_size_write(inode, bdev_bytes(bdev));
	inode->i_blkbits = PAGE_SHIFT;
	spin_lock_init(&inode->i_lock);
	init_rwsem(&inode->i_rwsem);
	INIT_LIST_HEAD(&inode->i_io_list);
	INIT_LIST_HEAD(&inode->i_sb_list);
	INIT_LIST_HEAD(&inode->i_hash);
	inode->i_sb = sb;
	inode->i_mapping = &inode->i_data;
	address_space_init_once(&inode->i_data);
	init_rwsem(&inode->i_data.invalidate_lock);
	inode->i_data.host = inode;
	inode->i_data.a_ops = &def_blk_aops;
	inode->i_data.private_data = bdev;
	mapping_set_gfp_mask(&inode->i_data, GFP_NOFS);
	list_add(&inode->i_sb_list, &sb->s_inodes);
	st->bdev_sb = sb;
	st->bdev_inode = inode;
	return inode;
}

int sync_blockdev(struct block_device *bdev)
{
	struct inode *inode = bdev_inode(bdev);

	return inode ? filemap_write_and_wait(inode->i_mapping) : 0;
}

void bdev_inode_release(struct block_device *bdev)
{
	struct mmfs_machine_state *st = bdev ? bdev_state_of(bdev) : NULL;
	struct inode *inode = st ? st->bdev_inode : NULL;
	struct address_space *mapping;
	struct folio_batch fbatch;
	pgoff_t index = 0;

	if (!inode)
		return;
	mapping = inode->i_mapping;
	sync_blockdev(bdev);
	inode_io_list_del(inode);
	/* Drop every cached page (truncate_inode_pages_final, done here with
	 * the cache's primitives so that it does not wait on mm/truncate.c). */
	folio_batch_init(&fbatch);
	while (filemap_get_folios(mapping, &index, (pgoff_t)-1, &fbatch)) {
		for (unsigned int i = 0; i < fbatch.nr; i++) {
			struct folio *folio = fbatch.folios[i];

			folio_lock(folio);
			folio_wait_writeback(folio);
			if (folio->page.mapping == mapping) {
				if (folio_flag(folio, PG_dirty))
					folio_account_cleaned(folio, inode_to_wb(inode));
				__atomic_fetch_and(&folio->page.flags, ~(1UL << PG_dirty),
						   __ATOMIC_RELEASE);
				filemap_remove_folio(folio);
			}
			folio_unlock(folio);
		}
		folio_batch_release(&fbatch);
		if (index == (pgoff_t)-1)
			break;
	}
	xa_destroy(&mapping->i_pages);
	st->bdev_inode = NULL;
	kfree(inode);
	kfree(st->bdev_sb);
	st->bdev_sb = NULL;
}

long nr_blockdev_pages(void)
{
	struct mmsim *m = current_machine();
	struct mmfs_machine_state *st;

	if (!m || !m->subsys_state)
		return 0;
	st = subsys_state(m, mmfs);
	if (!st || !st->bdev_inode)
		return 0;
	return atomic_long_read(&st->bdev_inode->i_data.nrpages);
}
