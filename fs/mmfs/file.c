// SPDX-License-Identifier: GPL-2.0
/*
 * fs/mmfs/file.c - mmfs regular files: the file operations (the generic
 * page-cache paths of mm/filemap.c) and the address_space operations that
 * move a file's pages to and from its disk blocks with bios.
 *
 * Design.  A page of the file covers PAGE_SIZE / 4096 file blocks; each
 * maps through the inode's extents to a disk block, or is a hole (reads
 * as zeroes).
 *   - read_folio: one bio when the page's blocks are contiguous on disk,
 *     completed asynchronously (the end_io marks the folio uptodate and
 *     unlocks it); a page of holes is zeroed without I/O; a page of mixed
 *     holes and blocks is read block by block, synchronously.
 *   - readahead: the batch's folios (readahead_folio) go out as one bio
 *     per run of contiguous disk blocks, REQ_RAHEAD, under a plug.
 *   - write_begin: the locked folio (filemap_grab_folio), its blocks
 *     allocated (contiguous-first, after the file's previous block), and,
 *     unless the write covers the whole page, its old bytes read first;
 *     -ENOSPC frees what was allocated past i_size.
 *   - write_end: i_size grows, the folio is dirtied (filemap_dirty_folio)
 *     and the inode written into the disk's page cache when its size
 *     changed.
 *   - page_mkwrite: the blocks of a page first written through a shared
 *     mapping are allocated at that fault (SIGBUS on ENOSPC), then
 *     filemap_page_mkwrite dirties it.
 *   - writepages: writeback_iter's folios, one bio per run of contiguous
 *     disk blocks; folio_start_writeback before, folio_end_writeback in
 *     the bio's end_io.  Nested in a clock advance (current == NULL) or
 *     for WB_SYNC_NONE it only trylocks and never allocates: a busy or
 *     unmapped folio is redirtied for later.  The part of the last page past i_size
 *     is zeroed before it goes out.  Each block written also updates its
 *     copy in the disk's page cache, if there is one (a block freed as
 *     metadata and reused for data), so the two caches never disagree.
 *   - fsync: the file's pages (file_write_and_wait_range), then its inode
 *     and the metadata blocks (sync_blockdev).
 *
 * Locking: the data folio lock, then ext_lock (read to map, write to
 * allocate), then a metadata folio lock; i_size changes under inode_lock
 * (the VFS holds it across write_begin/write_end).
 * Invariants: an uptodate folio's bytes past i_size are zero once written
 * back; every block a dirty folio covers is mapped after writepages.
 */
#include <errno.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include <mmsim/migrate.h>
#include <mmsim/highmem.h>
#include <mmsim/printk.h>
#include <mmsim/sched.h>
#include "fs/mmfs/mmfs.h"

static sector_t blk_sector(u32 pblk)
{
	return (sector_t)pblk << (MMFS_BLOCK_SHIFT - SECTOR_SHIFT);
}

/*
 * The disk blocks of @folio's page: true, with the first in *pblk, if they
 * are all mapped and contiguous; *mapped counts the mapped ones.
 */
static bool folio_blocks_locked(struct inode *inode, struct folio *folio, u32 *pblk, u32 *mapped)
{
	struct mmfs_inode_info *ii = MMFS_I(inode);
	unsigned int bpp = mmfs_blocks_per_page();
	u32 lblk = (u32)(folio->page.index * bpp), first = 0, n = 0;
	bool contig = true;

	for (unsigned int j = 0; j < bpp; j++) {
		u32 p = mmfs_map_block(ii, lblk + j, NULL);

		if (p)
			n++;
		if (!j)
			first = p;
		if (!p || (j && p != first + j))
			contig = false;
	}
	*pblk = first;
	*mapped = n;
	return contig && first;
}

static bool folio_blocks(struct inode *inode, struct folio *folio, u32 *pblk, u32 *mapped)
{
	struct mmfs_inode_info *ii = MMFS_I(inode);
	bool ret;

	down_read(&ii->ext_lock);
	ret = folio_blocks_locked(inode, folio, pblk, mapped);
	up_read(&ii->ext_lock);
	return ret;
}

/* Read the mapped blocks of the locked @folio and zero its holes, waiting. */
static int mmfs_fill_folio_sync(struct inode *inode, struct folio *folio)
{
	struct mmfs_inode_info *ii = MMFS_I(inode);
	unsigned int bpp = mmfs_blocks_per_page();
	u32 lblk = (u32)(folio->page.index * bpp);
	int ret = 0;

	for (unsigned int j = 0; j < bpp && !ret; j++) {
		u32 p;

		down_read(&ii->ext_lock);
		p = mmfs_map_block(ii, lblk + j, NULL);
		up_read(&ii->ext_lock);
		if (p) {
			struct bio *bio = bio_alloc(inode->i_sb->s_bdev, 1, REQ_OP_READ | REQ_SYNC,
						    GFP_NOIO);

			bio->bi_iter.bi_sector = blk_sector(p);
			bio_add_page(bio, &folio->page, MMFS_BLOCK_SIZE, j * MMFS_BLOCK_SIZE);
			ret = submit_bio_wait(bio);
			bio_put(bio);
		} else {
			char *k = kmap_local_page(&folio->page);

			memset(k + j * MMFS_BLOCK_SIZE, 0, MMFS_BLOCK_SIZE);
			kmsan_unpoison_memory(k + j * MMFS_BLOCK_SIZE, MMFS_BLOCK_SIZE);
			kunmap_local(k);
		}
	}
	if (!ret)
		mmfs_folio_set(folio, PG_uptodate);
	return ret;
}

static void mmfs_read_end_io(struct bio *bio)
{
	struct bio_vec *bv;
	unsigned int i;

	bio_for_each_bvec_all(bv, bio, i) {
		struct folio *folio = page_folio(bv->bv_page);

		if (!bio->bi_status)
			mmfs_folio_set(folio, PG_uptodate);
		folio_unlock(folio);
	}
	bio_put(bio);
}

static int mmfs_read_folio(struct file *file, struct folio *folio)
{
	struct inode *inode = folio->page.mapping->host;
	u32 pblk, mapped;
	int ret;

	(void)file;
	if (folio_blocks(inode, folio, &pblk, &mapped)) {
		struct bio *bio = bio_alloc(inode->i_sb->s_bdev, 1, REQ_OP_READ, GFP_NOIO);

		bio->bi_iter.bi_sector = blk_sector(pblk);
		bio_add_page(bio, &folio->page, PAGE_SIZE, 0);
		bio->bi_end_io = mmfs_read_end_io;
		submit_bio(bio);
		return 0;
	}
	if (!mapped) {
		clear_highpage(&folio->page);
		mmfs_folio_set(folio, PG_uptodate);
		folio_unlock(folio);
		return 0;
	}
	ret = mmfs_fill_folio_sync(inode, folio);
	folio_unlock(folio);
	return ret;
}

static void mmfs_readahead(struct readahead_control *rac)
{
	struct inode *inode = rac->mapping->host;
	struct bio *bio = NULL;
	struct blk_plug plug;
	struct folio *folio;

	blk_start_plug(&plug);
	while ((folio = readahead_folio(rac))) {
		u32 pblk, mapped;

		if (!folio_blocks(inode, folio, &pblk, &mapped)) {
			mmfs_read_folio(rac->file, folio);
			continue;
		}
		bio = bio_add_page_run(bio, inode->i_sb->s_bdev, REQ_OP_READ | REQ_RAHEAD,
				       mmfs_read_end_io, &folio->page, PAGE_SIZE, blk_sector(pblk));
	}
	if (bio)
		submit_bio(bio);
	blk_finish_plug(&plug);
}

/* Keep the disk's page cache copy of @pblk (if any) equal to what is written. */
static void mmfs_update_alias(struct mmfs_sb_info *sbi, u32 pblk, struct folio *src,
			      unsigned int src_off, bool nowait)
{
	unsigned int bpp = mmfs_blocks_per_page();
	struct folio *folio = filemap_get_folio(sbi->meta, pblk / bpp);
	char *d, *s;

	if (IS_ERR(folio))
		return;
	if (nowait ? !folio_trylock(folio) : (folio_lock(folio), false)) {
		/* Locked: being read (then not yet uptodate: it will read what
		 * the disk has, which this write reaches first) or changed. */
		put_page(&folio->page);
		return;
	}
	if (folio->page.mapping == sbi->meta && mmfs_folio_test(folio, PG_uptodate)) {
		d = kmap_local_page(&folio->page);
		s = kmap_local_page(&src->page);
		memcpy(d + (pblk % bpp) * MMFS_BLOCK_SIZE, s + src_off, MMFS_BLOCK_SIZE);
		kunmap_local(s);
		kunmap_local(d);
	}
	folio_unlock(folio);
	put_page(&folio->page);
}

/*
 * ->writepages.  The flusher may run it nested inside any clock advance
 * (a task of this file system waiting for a read, holding ext_lock or
 * alloc_lock), with current == NULL: then (and for WB_SYNC_NONE) it only
 * tries the locks and leaves a busy folio dirty for the next pass
 * (folio_redirty_for_writepage), and never allocates (a page's blocks come
 * with write_begin or page_mkwrite; only a synchronous writeback from a
 * task fills a hole left, say, by an earlier ENOSPC).
 */
static int mmfs_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct inode *inode = mapping->host;
	struct mmfs_sb_info *sbi = MMFS_SB(inode->i_sb);
	struct mmfs_inode_info *ii = MMFS_I(inode);
	unsigned int bpp = mmfs_blocks_per_page();
	bool nowait = wbc->sync_mode != WB_SYNC_ALL || !current;
	struct folio *folio = NULL;
	struct bio *bio = NULL;
	struct blk_plug plug;
	int error = 0;

	blk_start_plug(&plug);
	while ((folio = writeback_iter(mapping, wbc, folio, &error))) {
		loff_t size = i_size_read(inode);
		pgoff_t end_index = (pgoff_t)(size >> PAGE_SHIFT);
		unsigned int tail = (unsigned int)(size & (PAGE_SIZE - 1));
		u32 pblk = 0, mapped = 0, map[16];
		bool contig;
		int ret;

		if (folio->page.index > end_index || (folio->page.index == end_index && !tail)) {
			folio_unlock(folio);	/* wholly past the end: truncated */
			continue;
		}
		if (nowait ? !down_read_trylock(&ii->ext_lock) : (down_read(&ii->ext_lock), false))
			goto redirty;
		contig = folio_blocks_locked(inode, folio, &pblk, &mapped);
		up_read(&ii->ext_lock);
		if (mapped < bpp) {
			if (nowait)
				goto redirty;
			down_write(&ii->ext_lock);
			ret = mmfs_alloc_range(inode, (u32)(folio->page.index * bpp), bpp);
			contig = folio_blocks_locked(inode, folio, &pblk, &mapped);
			up_write(&ii->ext_lock);
			if (ret) {
				mapping_set_error(mapping, ret);
				folio_unlock(folio);
				continue;
			}
		}
		if (folio->page.index == end_index) {
			char *k = kmap_local_page(&folio->page);

			memset(k + tail, 0, PAGE_SIZE - tail);
			kmsan_unpoison_memory(k + tail, PAGE_SIZE - tail);
			kunmap_local(k);
		}
		folio_start_writeback(folio);
		if (!contig) {
			/* Blocks not contiguous (page > block): one bio each, waited for. */
			down_read(&ii->ext_lock);
			for (unsigned int j = 0; j < bpp && j < 16; j++)
				map[j] = mmfs_map_block(ii, (u32)(folio->page.index * bpp + j), NULL);
			up_read(&ii->ext_lock);
			for (unsigned int j = 0; j < bpp && j < 16; j++) {
				struct bio *b = bio_alloc(inode->i_sb->s_bdev, 1, REQ_OP_WRITE, GFP_NOIO);

				b->bi_iter.bi_sector = blk_sector(map[j]);
				bio_add_page(b, &folio->page, MMFS_BLOCK_SIZE, j * MMFS_BLOCK_SIZE);
				mmfs_update_alias(sbi, map[j], folio, j * MMFS_BLOCK_SIZE, nowait);
				if (submit_bio_wait(b))
					mapping_set_error(mapping, -EIO);
				bio_put(b);
			}
			folio_unlock(folio);
			folio_end_writeback(folio);
			continue;
		}
		for (unsigned int j = 0; j < bpp; j++)
			mmfs_update_alias(sbi, pblk + j, folio, j * MMFS_BLOCK_SIZE, nowait);
		bio = bio_add_page_run(bio, inode->i_sb->s_bdev, REQ_OP_WRITE, mpage_write_end_io,
				       &folio->page, PAGE_SIZE, blk_sector(pblk));
		folio_unlock(folio);
		continue;
redirty:
		folio_redirty_for_writepage(wbc, folio);
		folio_unlock(folio);
	}
	if (bio)
		submit_bio(bio);
	blk_finish_plug(&plug);
	return error;
}

/* After a failed write: give back the blocks allocated past i_size. */
static void mmfs_write_failed(struct inode *inode)
{
	struct mmfs_inode_info *ii = MMFS_I(inode);
	u64 size = (u64)i_size_read(inode);
	u32 keep = (u32)((size + PAGE_SIZE - 1) >> PAGE_SHIFT) * mmfs_blocks_per_page();

	down_write(&ii->ext_lock);
	mmfs_truncate_blocks(inode, keep);
	up_write(&ii->ext_lock);
}

static int mmfs_write_begin(struct file *file, struct address_space *mapping, loff_t pos,
			    unsigned int len, struct folio **foliop, void **fsdata)
{
	struct inode *inode = mapping->host;
	struct mmfs_inode_info *ii = MMFS_I(inode);
	unsigned int bpp = mmfs_blocks_per_page();
	pgoff_t index = (pgoff_t)(pos >> PAGE_SHIFT);
	unsigned int off = (unsigned int)(pos & (PAGE_SIZE - 1));
	struct folio *folio;
	int ret;

	(void)file, (void)fsdata;
	folio = __filemap_get_folio(mapping, index, FGP_LOCK | FGP_WRITE | FGP_CREAT,
				    mapping_gfp_mask(mapping));
	if (IS_ERR(folio))
		return (int)PTR_ERR(folio);
	folio_wait_stable(folio);
	if (!mmfs_folio_test(folio, PG_uptodate) && !(off == 0 && len == PAGE_SIZE)) {
		/* A partial write: the page's other bytes first (holes read as zeroes). */
		ret = mmfs_fill_folio_sync(inode, folio);
		if (ret)
			goto fail;
	}
	down_write(&ii->ext_lock);
	ret = mmfs_alloc_range(inode, (u32)(index * bpp), bpp);
	up_write(&ii->ext_lock);
	if (ret)
		goto fail;
	*foliop = folio;
	return 0;
fail:
	folio_unlock(folio);
	put_page(&folio->page);
	mmfs_write_failed(inode);
	return ret;
}

static int mmfs_write_end(struct file *file, struct address_space *mapping, loff_t pos,
			  unsigned int len, unsigned int copied, struct folio *folio, void *fsdata)
{
	struct inode *inode = mapping->host;
	bool grew = false;

	(void)file, (void)fsdata;
	if (!mmfs_folio_test(folio, PG_uptodate)) {
		if (copied < len)
			copied = 0;	/* a short copy into a page never read: redo it */
		else
			mmfs_folio_set(folio, PG_uptodate);
	}
	if (copied && pos + copied > i_size_read(inode)) {
		i_size_write(inode, pos + copied);
		grew = true;
	}
	if (copied)
		folio_mark_dirty(folio);
	folio_unlock(folio);
	put_page(&folio->page);
	if (grew)
		mmfs_write_inode_raw(inode);
	return (int)copied;
}

static bool mmfs_dirty_folio(struct address_space *mapping, struct folio *folio)
{
	return filemap_dirty_folio(mapping, folio);
}

static sector_t mmfs_bmap(struct address_space *mapping, sector_t block)
{
	struct mmfs_inode_info *ii = MMFS_I(mapping->host);
	u32 p;

	if (block > 0xffffffffull)
		return 0;
	down_read(&ii->ext_lock);
	p = mmfs_map_block(ii, (u32)block, NULL);
	up_read(&ii->ext_lock);
	return p;
}

const struct address_space_operations mmfs_aops = {
	.read_folio = mmfs_read_folio,
	.readahead = mmfs_readahead,
	.writepages = mmfs_writepages,
	.dirty_folio = mmfs_dirty_folio,
	.write_begin = mmfs_write_begin,
	.write_end = mmfs_write_end,
	.bmap = mmfs_bmap,
	.migrate_folio = filemap_migrate_folio,
};

/*
 * ->page_mkwrite: the first write through a shared mapping to a page
 * gives the page its blocks now (a fault can fail with SIGBUS on ENOSPC;
 * writeback cannot), then the generic part dirties the folio.  Under
 * ext_lock, i_size is checked with the allocation, so a truncation (which
 * sets i_size before it frees under ext_lock) never leaves blocks past
 * the end.
 */
static vm_fault_t mmfs_page_mkwrite(struct vm_fault *vmf)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	struct mmfs_inode_info *ii = MMFS_I(inode);
	unsigned int bpp = mmfs_blocks_per_page();
	int ret = 0;

	down_write(&ii->ext_lock);
	if ((loff_t)vmf->pgoff << PAGE_SHIFT < i_size_read(inode))
		ret = mmfs_alloc_range(inode, (u32)(vmf->pgoff * bpp), bpp);
	up_write(&ii->ext_lock);
	if (ret == -ENOMEM)
		return VM_FAULT_OOM;
	if (ret)
		return VM_FAULT_SIGBUS;
	return filemap_page_mkwrite(vmf);
}

static const struct vm_operations_struct mmfs_file_vm_ops = {
	.fault = filemap_fault,
	.map_pages = filemap_map_pages,
	.page_mkwrite = mmfs_page_mkwrite,
};

static int mmfs_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	int ret = generic_file_mmap(file, vma);

	if (!ret)
		vma->vm_ops = &mmfs_file_vm_ops;
	return ret;
}

static int mmfs_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	struct inode *inode = file_inode(file);
	int ret = file_write_and_wait_range(file, start, end);
	int err;

	(void)datasync;
	err = mmfs_write_inode_raw(inode);
	if (!ret)
		ret = err;
	err = sync_blockdev(inode->i_sb->s_bdev);
	return ret ? ret : err;
}

const struct file_operations mmfs_file_operations = {
	.llseek = generic_file_llseek,
	.read_iter = generic_file_read_iter,
	.write_iter = generic_file_write_iter,
	.mmap = mmfs_file_mmap,
	.open = generic_file_open,
	.fsync = mmfs_fsync,
};

const struct inode_operations mmfs_file_inode_operations = {
	.setattr = mmfs_setattr,
	.getattr = mmfs_getattr,
};
