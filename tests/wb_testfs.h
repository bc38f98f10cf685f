/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/wb_testfs.h - a tiny in-test file system for the writeback tests:
 * a super block on the disk's bdi and inodes built by hand (no VFS calls),
 * whose pages are written one bio per page at sector (ino * 4096 + index)
 * * (PAGE_SIZE / 512); ->write_inode counts.  The folios are allocated
 * with alloc_page and put in the cache with filemap_add_folio.
 */
#ifndef MMSIM_TESTS_WB_TESTFS_H
#define MMSIM_TESTS_WB_TESTFS_H

#include <mmsim/writeback.h>
#include <mmsim/backing-dev.h>
#include <mmsim/pagemap.h>
#include <mmsim/blkdev.h>
#include <mmsim/highmem.h>
#include <mmsim/sched.h>
#include <mmsim/rmap.h>
#include "mmtest.h"
#include "mm/wb_internal.h"

static int tfs_write_inodes;
static long tfs_pages_written;

static void tfs_end_io(struct bio *bio)
{
	folio_end_writeback(bio->bi_private);
	bio_put(bio);
}

static inline int tfs_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct block_device *bdev = mapping->host->i_sb->s_bdev;
	struct folio *folio = NULL;
	int err = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &err))) {
		struct bio *bio = bio_alloc(bdev, 1, REQ_OP_WRITE, GFP_NOIO);

		folio_start_writeback(folio);
		bio->bi_iter.bi_sector = (sector_t)(mapping->host->i_ino * 4096 + folio->page.index) *
					 (PAGE_SIZE / 512);
		bio_add_page(bio, &folio->page, PAGE_SIZE, 0);
		bio->bi_end_io = tfs_end_io;
		bio->bi_private = folio;
		submit_bio(bio);
		folio_unlock(folio);
		__atomic_fetch_add(&tfs_pages_written, 1, __ATOMIC_RELAXED);
	}
	return err;
}

static int tfs_write_inode(struct inode *inode, struct writeback_control *wbc)
{
	(void)inode, (void)wbc;
	__atomic_fetch_add(&tfs_write_inodes, 1, __ATOMIC_RELAXED);
	return 0;
}

static const struct address_space_operations tfs_aops = {
	.writepages = tfs_writepages,
	.dirty_folio = filemap_dirty_folio,
};

static const struct super_operations tfs_sops = {
	.write_inode = tfs_write_inode,
};

static struct super_block tfs_sb;

/* Write back what the booted machine's own file systems dirtied (mkfs, mount). */
static inline void tfs_quiesce(void)
{
	ksys_sync();
}

static void tfs_sb_init(struct mmsim *m)
{
	memset(&tfs_sb, 0, sizeof(tfs_sb));
	INIT_LIST_HEAD(&tfs_sb.s_list);
	INIT_LIST_HEAD(&tfs_sb.s_inodes);
	spin_lock_init(&tfs_sb.s_inode_list_lock);
	tfs_sb.s_op = &tfs_sops;
	tfs_sb.s_bdev = mmsim_root_bdev(m);
	tfs_sb.s_bdi = tfs_sb.s_bdev->bd_disk->bdi;
	tfs_sb.s_blocksize = PAGE_SIZE;
	tfs_quiesce();
}

static struct inode *tfs_inode(unsigned long ino)
{
	struct inode *inode = calloc(1, sizeof(*inode));

	inode->i_ino = ino;
	inode->i_mode = S_IFREG | 0644;
	inode->i_nlink = 1;
	atomic_set(&inode->i_count, 1);
	spin_lock_init(&inode->i_lock);
	INIT_LIST_HEAD(&inode->i_io_list);
	INIT_LIST_HEAD(&inode->i_sb_list);
	INIT_LIST_HEAD(&inode->i_hash);
	inode->i_sb = &tfs_sb;
	inode->i_mapping = &inode->i_data;
	address_space_init_once(&inode->i_data);
	INIT_LIST_HEAD(&inode->i_data.i_mmap);
	inode->i_data.host = inode;
	inode->i_data.a_ops = &tfs_aops;
	inode->i_data.gfp_mask = GFP_HIGHUSER_MOVABLE;
	return inode;
}

/* Cache page @index of @inode (uptodate, clean, unlocked); the cache holds it. */
static struct folio *tfs_add_page(struct inode *inode, pgoff_t index)
{
	struct folio *folio = page_folio(alloc_page(GFP_HIGHUSER_MOVABLE));

	if (filemap_add_folio(inode->i_mapping, folio, index, GFP_KERNEL)) {
		put_page(&folio->page);
		return NULL;
	}
	SetPageUptodate(&folio->page);
	folio_unlock(folio);
	put_page(&folio->page);		/* the cache's reference stays */
	return folio;
}

/* Dirty pages [first, first + n) of @inode, adding them to the cache. */
static void tfs_dirty(struct inode *inode, pgoff_t first, unsigned long n)
{
	for (pgoff_t i = first; i < first + n; i++) {
		struct page *page = find_get_page(inode->i_mapping, i);
		struct folio *folio = page ? page_folio(page) : tfs_add_page(inode, i);

		folio_mark_dirty(folio);
		if (page)
			put_page(page);
	}
}

/* Drop every page of @inode (they must be clean) and free it. */
static void tfs_inode_free(struct inode *inode)
{
	struct folio_batch fb;
	pgoff_t start = 0;

	filemap_write_and_wait(inode->i_mapping);
	folio_batch_init(&fb);
	while (filemap_get_folios(inode->i_mapping, &start, (pgoff_t)-1, &fb)) {
		for (unsigned int i = 0; i < fb.nr; i++) {
			struct folio *folio = fb.folios[i];

			folio_lock(folio);
			if (folio->page.mapping == inode->i_mapping)
				filemap_remove_folio(folio);
			folio_unlock(folio);
		}
		folio_batch_release(&fb);
	}
	inode_io_list_del(inode);
	free(inode);
}

static inline long vmstat_of(struct mmsim *m, const char *name)
{
	char *text = mmsim_read(m, "/proc/vmstat");
	char label[64];
	long long v;

	snprintf(label, sizeof(label), "%s ", name);
	v = field(text, label);
	free(text);
	return (long)v;
}

#endif
