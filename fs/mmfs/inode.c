// SPDX-License-Identifier: GPL-2.0
/*
 * fs/mmfs/inode.c - mmfs inodes: reading one from the inode table (iget),
 * writing it back (write_inode), its extent list (mapping file blocks to
 * disk blocks, allocating holes contiguously, freeing blocks past a new
 * end), setattr truncation and eviction (an unlinked inode's blocks and
 * its inode slot are freed at its last iput).
 *
 * Design.  In core, an inode's extents are one sorted array (ext[]); on
 * disk the first 4 are inline in the inode and the rest (up to 340) in
 * one extent block (ext_block, allocated while there are more than 4).
 * Every change of the extents, the size or the link count is written at
 * once into the inode's block in the disk's page cache
 * (mmfs_write_inode_raw), so that the cached metadata is always
 * consistent for mmfs_fsck; writeback or sync_fs takes it to the disk.
 * ->write_inode (the times) does the same.
 *
 * Locking: ext_lock (rwsem) guards ext[], nr_ext, ext_block and nblocks:
 * readers map blocks (read_folio, readahead, bmap), writers allocate
 * (write_begin, writepages) and truncate (setattr, evict).  It nests
 * inside the VFS's inode_lock and a data folio's lock, and outside
 * sbi->alloc_lock and any metadata folio lock.
 * Invariants: ext[] sorted by lblk, disjoint, every e_len > 0, every block
 * in the data area; nblocks == sum of e_len + (ext_block != 0);
 * ext_block != 0 iff nr_ext > 4.
 */
#include <errno.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include <mmsim/slab.h>
#include <mmsim/printk.h>
#include <mmsim/kmsan.h>
#include "fs/internal.h"
#include "fs/mmfs/mmfs.h"

struct inode *mmfs_alloc_inode(struct super_block *sb)
{
	struct mmfs_inode_info *ii = kzalloc(sizeof(*ii), GFP_KERNEL);

	(void)sb;
	if (!ii)
		return NULL;
	init_rwsem(&ii->ext_lock);
	return &ii->vfs_inode;
}

void mmfs_destroy_inode(struct inode *inode)
{
	struct mmfs_inode_info *ii = MMFS_I(inode);

	kfree(ii->ext);
	destroy_rwsem(&ii->ext_lock);
	kfree(ii);
}

static u64 ts_to_ns(struct timespec ts)
{
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

static struct timespec ns_to_ts(u64 ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / 1000000000ull),
				  .tv_nsec = (long)(ns % 1000000000ull) };
}

/* The times are changed under i_lock (file_update_time, setattr_copy). */
void mmfs_inode_times_to_disk(struct inode *inode, struct mmfs_inode *di)
{
	spin_lock(&inode->i_lock);
	di->i_atime = mmfs_le64(ts_to_ns(inode->i_atime));
	di->i_mtime = mmfs_le64(ts_to_ns(inode->i_mtime));
	di->i_ctime = mmfs_le64(ts_to_ns(inode->i_ctime));
	spin_unlock(&inode->i_lock);
}

static void *inode_slot(struct mmfs_sb_info *sbi, u32 ino, struct folio **folio,
			struct mmfs_inode **di, bool nowait)
{
	char *b = mmfs_bread_nowait(sbi, sbi->it_start + ino / MMFS_INODES_PER_BLOCK, folio, nowait);

	if (b)
		*di = (struct mmfs_inode *)(b + (ino % MMFS_INODES_PER_BLOCK) * MMFS_INODE_SIZE);
	return b;
}

void mmfs_read_raw_inode(struct mmfs_sb_info *sbi, u32 ino, struct mmfs_inode *out)
{
	struct mmfs_inode *di;
	struct folio *folio;
	void *b = inode_slot(sbi, ino, &folio, &di, false);

	if (!b) {
		memset(out, 0, sizeof(*out));
		return;
	}
	*out = *di;
	mmfs_brelse(folio, b);
}

/* Make room for @n extents in core. */
static int ext_reserve(struct mmfs_inode_info *ii, u32 n)
{
	struct mmfs_ext *e;
	u32 cap;

	if (n <= ii->cap_ext)
		return 0;
	cap = ii->cap_ext ? ii->cap_ext * 2 : 8;
	while (cap < n)
		cap *= 2;
	e = krealloc(ii->ext, cap * sizeof(*e), GFP_NOFS);
	if (!e)
		return -ENOMEM;
	ii->ext = e;
	ii->cap_ext = cap;
	return 0;
}

int mmfs_read_inode(struct inode *inode)
{
	struct mmfs_sb_info *sbi = MMFS_SB(inode->i_sb);
	struct mmfs_inode_info *ii = MMFS_I(inode);
	u32 ino = (u32)inode->i_ino, nr;
	struct mmfs_inode di;
	int ret;

	if (ino < MMFS_ROOT_INO || ino >= sbi->inodes_count ||
	    !mmfs_test_bit(sbi, sbi->ib_start, ino)) {
		pr_err("mmfs (%s): bad inode number %u\n", sbi->bdev->bd_disk->disk_name, ino);
		return -ESTALE;
	}
	mmfs_read_raw_inode(sbi, ino, &di);
	nr = mmfs_le32(di.i_nr_extents);
	if (!mmfs_le16(di.i_mode) || nr > MMFS_MAX_EXTENTS ||
	    (nr > MMFS_INLINE_EXTENTS) != (mmfs_le32(di.i_extent_block) != 0)) {
		pr_err("mmfs (%s): corrupt inode %u\n", sbi->bdev->bd_disk->disk_name, ino);
		return -EIO;
	}
	inode->i_mode = mmfs_le16(di.i_mode);
	inode->i_nlink = mmfs_le16(di.i_nlink);
	i_size_write(inode, (loff_t)mmfs_le64(di.i_size));
	inode->i_atime = ns_to_ts(mmfs_le64(di.i_atime));
	inode->i_mtime = ns_to_ts(mmfs_le64(di.i_mtime));
	inode->i_ctime = ns_to_ts(mmfs_le64(di.i_ctime));
	inode->i_blkbits = MMFS_BLOCK_SHIFT;
	ii->nblocks = mmfs_le32(di.i_blocks);
	inode->i_blocks = (blkcnt_t)ii->nblocks << (MMFS_BLOCK_SHIFT - 9);
	ii->parent = mmfs_le32(di.i_parent);
	ii->ext_block = mmfs_le32(di.i_extent_block);
	ret = ext_reserve(ii, nr);
	if (ret)
		return ret;
	ii->nr_ext = nr;
	for (u32 i = 0; i < nr && i < MMFS_INLINE_EXTENTS; i++) {
		ii->ext[i].lblk = mmfs_le32(di.i_extents[i].e_lblk);
		ii->ext[i].start = mmfs_le32(di.i_extents[i].e_start);
		ii->ext[i].len = mmfs_le32(di.i_extents[i].e_len);
	}
	if (nr > MMFS_INLINE_EXTENTS) {
		struct folio *folio;
		struct mmfs_extent_block *eb = mmfs_bread(sbi, ii->ext_block, &folio);

		if (!eb)
			return -EIO;
		if (mmfs_le32(eb->eb_magic) != MMFS_EXT_MAGIC ||
		    mmfs_le32(eb->eb_count) != nr - MMFS_INLINE_EXTENTS) {
			mmfs_brelse(folio, eb);
			pr_err("mmfs (%s): corrupt extent block of inode %u\n",
			       sbi->bdev->bd_disk->disk_name, ino);
			return -EIO;
		}
		for (u32 i = MMFS_INLINE_EXTENTS; i < nr; i++) {
			const struct mmfs_extent *e = &eb->eb_extents[i - MMFS_INLINE_EXTENTS];

			ii->ext[i].lblk = mmfs_le32(e->e_lblk);
			ii->ext[i].start = mmfs_le32(e->e_start);
			ii->ext[i].len = mmfs_le32(e->e_len);
		}
		mmfs_brelse(folio, eb);
	}
	mmfs_set_inode_ops(inode);
	ii->live = true;
	return 0;
}

/*
 * Write the inode (and its extent block) into the disk's page cache;
 * ext_lock held.  @nowait: -EAGAIN rather than wait for a metadata folio.
 */
static int __mmfs_write_inode_raw(struct inode *inode, bool nowait)
{
	struct mmfs_sb_info *sbi = MMFS_SB(inode->i_sb);
	struct mmfs_inode_info *ii = MMFS_I(inode);
	struct mmfs_inode *di;
	struct folio *folio;
	void *b;

	if (ii->nr_ext > MMFS_INLINE_EXTENTS && ii->ext_block) {
		struct mmfs_extent_block *eb = mmfs_bget_zero_nowait(sbi, ii->ext_block, &folio,
								     nowait);

		if (!eb && nowait)
			return -EAGAIN;
		if (eb) {
			eb->eb_magic = mmfs_le32(MMFS_EXT_MAGIC);
			eb->eb_count = mmfs_le32(ii->nr_ext - MMFS_INLINE_EXTENTS);
			for (u32 i = MMFS_INLINE_EXTENTS; i < ii->nr_ext; i++) {
				struct mmfs_extent *e = &eb->eb_extents[i - MMFS_INLINE_EXTENTS];

				e->e_lblk = mmfs_le32(ii->ext[i].lblk);
				e->e_start = mmfs_le32(ii->ext[i].start);
				e->e_len = mmfs_le32(ii->ext[i].len);
			}
			mmfs_mark_meta_dirty(sbi, folio);
			mmfs_brelse(folio, eb);
		}
	}
	b = inode_slot(sbi, (u32)inode->i_ino, &folio, &di, nowait);
	if (!b)
		return nowait ? -EAGAIN : -EIO;
	memset(di, 0, sizeof(*di));
	di->i_mode = mmfs_le16(inode->i_mode);
	di->i_nlink = mmfs_le16((u16)inode->i_nlink);
	di->i_size = mmfs_le64((u64)i_size_read(inode));
	mmfs_inode_times_to_disk(inode, di);
	di->i_blocks = mmfs_le32(ii->nblocks);
	di->i_nr_extents = mmfs_le32(ii->nr_ext);
	di->i_parent = mmfs_le32(ii->parent);
	di->i_extent_block = mmfs_le32(ii->ext_block);
	for (u32 i = 0; i < ii->nr_ext && i < MMFS_INLINE_EXTENTS; i++) {
		di->i_extents[i].e_lblk = mmfs_le32(ii->ext[i].lblk);
		di->i_extents[i].e_start = mmfs_le32(ii->ext[i].start);
		di->i_extents[i].e_len = mmfs_le32(ii->ext[i].len);
	}
	mmfs_mark_meta_dirty(sbi, folio);
	mmfs_brelse(folio, b);
	return 0;
}

int mmfs_write_inode_raw(struct inode *inode)
{
	struct mmfs_inode_info *ii = MMFS_I(inode);
	int ret;

	down_read(&ii->ext_lock);
	ret = __mmfs_write_inode_raw(inode, false);
	up_read(&ii->ext_lock);
	return ret;
}

/*
 * ->write_inode.  Every change but the times is in the cache already
 * (written through); the flusher's WB_SYNC_NONE calls may run nested in a
 * clock advance under this file system's own locks (the caller waiting for
 * a read), so they only try: a busy inode's times wait for the next
 * write_inode or sync.
 */
int mmfs_write_inode(struct inode *inode, struct writeback_control *wbc)
{
	struct mmfs_inode_info *ii = MMFS_I(inode);

	if (wbc && wbc->sync_mode == WB_SYNC_ALL)
		return mmfs_write_inode_raw(inode);
	if (!down_read_trylock(&ii->ext_lock))
		return 0;
	__mmfs_write_inode_raw(inode, true);
	up_read(&ii->ext_lock);
	return 0;
}

struct inode *mmfs_iget(struct super_block *sb, unsigned long ino)
{
	struct inode *inode = iget_locked(sb, ino);
	int ret;

	if (!inode)
		return ERR_PTR(-ENOMEM);
	if (!(inode->i_state & I_NEW))
		return inode;
	ret = mmfs_read_inode(inode);
	if (ret) {
		iget_failed(inode);
		return ERR_PTR(ret);
	}
	unlock_new_inode(inode);
	return inode;
}

/* --- extents ----------------------------------------------------------- */

/* The index of the first extent with lblk > @lblk. */
static u32 ext_upper(struct mmfs_inode_info *ii, u32 lblk)
{
	u32 lo = 0, hi = ii->nr_ext;

	while (lo < hi) {
		u32 mid = (lo + hi) / 2;

		if (ii->ext[mid].lblk <= lblk)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

u32 mmfs_map_block(struct mmfs_inode_info *ii, u32 lblk, u32 *run)
{
	u32 i = ext_upper(ii, lblk);

	if (i > 0) {
		struct mmfs_ext *e = &ii->ext[i - 1];

		if (lblk < e->lblk + e->len) {
			if (run)
				*run = e->lblk + e->len - lblk;
			return e->start + (lblk - e->lblk);
		}
	}
	if (run)
		*run = i < ii->nr_ext ? ii->ext[i].lblk - lblk : 0xffffffffu - lblk;
	return 0;
}

/* Insert [lblk, +len) -> start, merging with neighbours; -ENOSPC when full. */
static int ext_insert(struct mmfs_inode_info *ii, u32 lblk, u32 start, u32 len)
{
	u32 i = ext_upper(ii, lblk);
	struct mmfs_ext *prev = i ? &ii->ext[i - 1] : NULL;
	struct mmfs_ext *next = i < ii->nr_ext ? &ii->ext[i] : NULL;
	int ret;

	if (prev && prev->lblk + prev->len == lblk && prev->start + prev->len == start) {
		prev->len += len;
		if (next && prev->lblk + prev->len == next->lblk &&
		    prev->start + prev->len == next->start) {
			prev->len += next->len;
			memmove(next, next + 1, (ii->nr_ext - i - 1) * sizeof(*next));
			ii->nr_ext--;
		}
		return 0;
	}
	if (next && lblk + len == next->lblk && start + len == next->start) {
		next->lblk = lblk;
		next->start = start;
		next->len += len;
		return 0;
	}
	if (ii->nr_ext >= MMFS_MAX_EXTENTS)
		return -ENOSPC;
	ret = ext_reserve(ii, ii->nr_ext + 1);
	if (ret)
		return ret;
	memmove(&ii->ext[i + 1], &ii->ext[i], (ii->nr_ext - i) * sizeof(ii->ext[0]));
	ii->ext[i] = (struct mmfs_ext){ .lblk = lblk, .start = start, .len = len };
	ii->nr_ext++;
	return 0;
}

int mmfs_alloc_range(struct inode *inode, u32 lblk, u32 n)
{
	struct mmfs_sb_info *sbi = MMFS_SB(inode->i_sb);
	struct mmfs_inode_info *ii = MMFS_I(inode);
	u32 end = lblk + n;
	bool changed = false;
	int ret = 0;

	while (lblk < end) {
		u32 run, start, got, want;
		u64 goal = 0;

		if (mmfs_map_block(ii, lblk, &run)) {
			lblk += run < end - lblk ? run : end - lblk;
			continue;
		}
		want = run < end - lblk ? run : end - lblk;
		if (lblk) {
			u32 prev = mmfs_map_block(ii, lblk - 1, NULL);

			if (prev)
				goal = (u64)prev + 1;
		}
		/* A fifth extent needs the extent block: take it first. */
		if (ii->nr_ext >= MMFS_INLINE_EXTENTS && !ii->ext_block) {
			ret = mmfs_new_blocks(sbi, goal, 1, &start, &got);
			if (ret)
				break;
			ii->ext_block = start;
			ii->nblocks++;
			changed = true;
			if (goal)
				goal = 0;
		}
		ret = mmfs_new_blocks(sbi, goal, want, &start, &got);
		if (ret)
			break;
		ret = ext_insert(ii, lblk, start, got);
		if (ret) {
			mmfs_free_blocks(sbi, start, got);
			break;
		}
		ii->nblocks += got;
		changed = true;
		lblk += got;
	}
	if (ii->ext_block && ii->nr_ext <= MMFS_INLINE_EXTENTS) {
		/* Taken for an extent that merged, or that failed. */
		mmfs_free_blocks(sbi, ii->ext_block, 1);
		ii->ext_block = 0;
		ii->nblocks--;
	}
	if (changed) {
		inode->i_blocks = (blkcnt_t)ii->nblocks << (MMFS_BLOCK_SHIFT - 9);
		__mmfs_write_inode_raw(inode, false);
	}
	return ret;
}

void mmfs_truncate_blocks(struct inode *inode, u32 lblk)
{
	struct mmfs_sb_info *sbi = MMFS_SB(inode->i_sb);
	struct mmfs_inode_info *ii = MMFS_I(inode);
	bool changed = false;

	while (ii->nr_ext) {
		struct mmfs_ext *e = &ii->ext[ii->nr_ext - 1];

		if (e->lblk + e->len <= lblk)
			break;
		if (e->lblk >= lblk) {
			mmfs_free_blocks(sbi, e->start, e->len);
			ii->nblocks -= e->len;
			ii->nr_ext--;
		} else {
			u32 keep = lblk - e->lblk;

			mmfs_free_blocks(sbi, e->start + keep, e->len - keep);
			ii->nblocks -= e->len - keep;
			e->len = keep;
		}
		changed = true;
	}
	if (ii->ext_block && ii->nr_ext <= MMFS_INLINE_EXTENTS) {
		mmfs_free_blocks(sbi, ii->ext_block, 1);
		ii->ext_block = 0;
		ii->nblocks--;
		changed = true;
	}
	if (changed) {
		inode->i_blocks = (blkcnt_t)ii->nblocks << (MMFS_BLOCK_SHIFT - 9);
		__mmfs_write_inode_raw(inode, false);
	}
}

/* --- inode operations ------------------------------------------------- */

/* Zero the bytes of the last block past @size, so that growing the file
 * again reads zeroes there (block_truncate_page). */
static void mmfs_zero_tail(struct inode *inode, loff_t size)
{
	struct folio *folio;
	unsigned int off = (unsigned int)(size & (PAGE_SIZE - 1));
	char *k;

	if (!off)
		return;
	folio = read_mapping_folio(inode->i_mapping, (pgoff_t)(size >> PAGE_SHIFT), NULL);
	if (!folio || IS_ERR(folio))
		return;
	folio_lock(folio);
	if (folio->page.mapping == inode->i_mapping) {
		k = kmap_local_page(&folio->page);
		memset(k + off, 0, PAGE_SIZE - off);
		kmsan_unpoison_memory(k + off, PAGE_SIZE - off);
		kunmap_local(k);
		folio_mark_dirty(folio);
	}
	folio_unlock(folio);
	put_page(&folio->page);
}

int mmfs_setattr(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);
	struct mmfs_inode_info *ii = MMFS_I(inode);
	int ret;

	if ((attr->ia_valid & ATTR_SIZE) && S_ISREG(inode->i_mode)) {
		loff_t old = i_size_read(inode), size = attr->ia_size;

		ret = inode_newsize_ok(inode, size);
		if (ret)
			return ret;
		if (size != old) {
			u32 keep;

			truncate_setsize(inode, size);
			i_size_write(inode, size);
			/* Keep every block of the page holding the new end. */
			keep = (u32)(((u64)size + PAGE_SIZE - 1) >> PAGE_SHIFT) * mmfs_blocks_per_page();
			down_write(&ii->ext_lock);
			mmfs_truncate_blocks(inode, keep);
			up_write(&ii->ext_lock);
			if (size < old)
				mmfs_zero_tail(inode, size);
			inode->i_mtime = inode->i_ctime = current_time(inode);
		}
		attr->ia_valid &= ~ATTR_SIZE;
	}
	setattr_copy(inode, attr);
	return mmfs_write_inode_raw(inode);
}

int mmfs_getattr(const struct dentry *dentry, struct kstat *stat)
{
	generic_fillattr(d_inode(dentry), stat);
	stat->blksize = MMFS_BLOCK_SIZE;
	return 0;
}

void mmfs_evict_inode(struct inode *inode)
{
	struct mmfs_sb_info *sbi = MMFS_SB(inode->i_sb);
	struct mmfs_inode_info *ii = MMFS_I(inode);

	truncate_inode_pages_final(&inode->i_data);
	/* An inode whose read failed (iget_failed) has i_nlink 0 too: only a
	 * live one's blocks and slot are freed. */
	if (!inode->i_nlink && inode->i_ino > MMFS_ROOT_INO && ii->live) {
		down_write(&ii->ext_lock);
		i_size_write(inode, 0);
		mmfs_truncate_blocks(inode, 0);
		inode->i_mode = 0;	/* the slot reads as free */
		__mmfs_write_inode_raw(inode, false);
		up_write(&ii->ext_lock);
		mmfs_free_ino(sbi, (u32)inode->i_ino);
	}
	clear_inode(inode);
}

struct inode *mmfs_new_inode(struct inode *dir, umode_t mode)
{
	struct super_block *sb = dir->i_sb;
	struct mmfs_sb_info *sbi = MMFS_SB(sb);
	struct inode *inode;
	u32 ino;
	int ret = mmfs_new_ino(sbi, &ino);

	if (ret)
		return ERR_PTR(ret);
	inode = new_inode(sb);
	if (!inode) {
		mmfs_free_ino(sbi, ino);
		return ERR_PTR(-ENOMEM);
	}
	inode->i_ino = ino;
	inode_init_owner(inode, dir, mode);
	inode->i_mode = mode;
	inode->i_blkbits = MMFS_BLOCK_SHIFT;
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	MMFS_I(inode)->parent = (u32)dir->i_ino;
	MMFS_I(inode)->live = true;
	set_nlink(inode, S_ISDIR(mode) ? 2 : 1);
	mmfs_set_inode_ops(inode);
	insert_inode_hash(inode);	/* iget of its number finds this one */
	return inode;
}

void mmfs_set_inode_ops(struct inode *inode)
{
	if (S_ISDIR(inode->i_mode)) {
		inode->i_op = &mmfs_dir_inode_operations;
		inode->i_fop = &mmfs_dir_operations;
	} else {
		inode->i_op = &mmfs_file_inode_operations;
		inode->i_fop = &mmfs_file_operations;
	}
	inode->i_mapping->a_ops = &mmfs_aops;
}
