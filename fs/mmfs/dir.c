// SPDX-License-Identifier: GPL-2.0
/*
 * fs/mmfs/dir.c - mmfs directories: lookup, create, link, unlink, mkdir,
 * rmdir and readdir (iterate_shared).
 *
 * Design.  A directory is a file of 4096-byte blocks, mapped by its
 * extents like any file, read and written through the disk's page cache
 * (they are metadata).  Each block holds 15 fixed-size entries of 264
 * bytes (inode number, name length, type, name up to 255 bytes); an
 * entry with inode 0 is free.  Entry slot s lives in directory block
 * s / 15 at index s % 15.  "." and ".." are not stored: readdir makes them
 * from the directory's own inode number and i_parent (in its inode).  A
 * new entry takes the first free slot; when there is none the directory
 * grows by one block (i_size is a whole number of blocks).  Removing an
 * entry frees its slot; directories never shrink (rmdir frees them whole).
 * Link counts are Linux's: a file has one per entry naming it, a
 * directory 2 + its subdirectories.
 *
 * readdir positions: 0 is ".", 1 is "..", 2 + s is slot s, so a position
 * stays valid across entries being added and removed.
 *
 * Locking: the VFS holds the directory's inode_lock for every change
 * (and shared for lookup and readdir); a directory block's folio lock is
 * held only while an entry is read or written, and readdir copies a
 * block out before calling the actor (which may fault on a user buffer).
 * Invariants: names within a directory are unique, 1..255 bytes, without
 * '/' or NUL; every entry names an inode in use; i_size == its blocks *
 * 4096.
 */
#include <errno.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/slab.h>
#include <mmsim/writeback.h>
#include <mmsim/printk.h>
#include "fs/mmfs/mmfs.h"

static u32 dir_blocks(struct inode *dir)
{
	return (u32)(i_size_read(dir) >> MMFS_BLOCK_SHIFT);
}

/* The disk block of directory block @lblk, or 0. */
static u32 dir_block(struct inode *dir, u32 lblk)
{
	struct mmfs_inode_info *ii = MMFS_I(dir);
	u32 pblk;

	down_read(&ii->ext_lock);
	pblk = mmfs_map_block(ii, lblk, NULL);
	up_read(&ii->ext_lock);
	return pblk;
}

int mmfs_for_each_entry(struct inode *dir,
			bool (*fn)(void *arg, u64 slot, const struct mmfs_dirent *de), void *arg)
{
	struct mmfs_sb_info *sbi = MMFS_SB(dir->i_sb);
	struct mmfs_dirent *copy = kmalloc(MMFS_BLOCK_SIZE, GFP_NOFS);
	u32 n = dir_blocks(dir);
	int ret = 0;

	if (!copy)
		return -ENOMEM;
	for (u32 lblk = 0; lblk < n; lblk++) {
		u32 pblk = dir_block(dir, lblk);
		struct folio *folio;
		void *b;

		if (!pblk)
			continue;	/* a hole: fsck reports it */
		b = mmfs_bread(sbi, pblk, &folio);
		if (!b) {
			ret = -EIO;
			break;
		}
		memcpy(copy, b, MMFS_BLOCK_SIZE);
		mmfs_brelse(folio, b);
		for (u32 i = 0; i < MMFS_DIRENTS_PER_BLOCK; i++) {
			if (!mmfs_le32(copy[i].d_ino))
				continue;
			if (!fn(arg, (u64)lblk * MMFS_DIRENTS_PER_BLOCK + i, &copy[i]))
				goto out;
		}
	}
out:
	kfree(copy);
	return ret;
}

static bool name_eq(const struct mmfs_dirent *de, const char *name, unsigned int len)
{
	return mmfs_le16(de->d_name_len) == len && !memcmp(de->d_name, name, len);
}

/*
 * Find @name: its slot's disk block and index (for a change), or the first
 * free slot when @name is NULL.  Returns the entry's ino (or 1 for a free
 * slot found), 0 when none.
 */
static u32 find_slot(struct inode *dir, const char *name, unsigned int len, u32 *pblk_out,
		     u32 *idx_out, u8 *type)
{
	struct mmfs_sb_info *sbi = MMFS_SB(dir->i_sb);
	u32 n = dir_blocks(dir);

	for (u32 lblk = 0; lblk < n; lblk++) {
		u32 pblk = dir_block(dir, lblk);
		struct mmfs_dirent *de;
		struct folio *folio;

		if (!pblk)
			continue;
		de = mmfs_bread(sbi, pblk, &folio);
		if (!de)
			return 0;
		for (u32 i = 0; i < MMFS_DIRENTS_PER_BLOCK; i++) {
			u32 ino = mmfs_le32(de[i].d_ino);

			if (name ? (ino && name_eq(&de[i], name, len)) : !ino) {
				*pblk_out = pblk;
				*idx_out = i;
				if (type)
					*type = de[i].d_type;
				mmfs_brelse(folio, de);
				return name ? ino : 1;
			}
		}
		mmfs_brelse(folio, de);
	}
	return 0;
}

u32 mmfs_find_entry(struct inode *dir, const char *name, unsigned int len, u8 *type)
{
	u32 pblk, idx;

	return find_slot(dir, name, len, &pblk, &idx, type);
}

int mmfs_add_entry(struct inode *dir, const char *name, unsigned int len, u32 ino, u8 type)
{
	struct mmfs_sb_info *sbi = MMFS_SB(dir->i_sb);
	struct mmfs_inode_info *ii = MMFS_I(dir);
	struct mmfs_dirent *de;
	struct folio *folio;
	u32 pblk, idx;
	bool fresh = false;

	if (!len || len > MMFS_NAME_LEN)
		return -ENAMETOOLONG;
	if (find_slot(dir, name, len, &pblk, &idx, NULL))
		return -EEXIST;
	if (!find_slot(dir, NULL, 0, &pblk, &idx, NULL)) {
		u32 lblk = dir_blocks(dir);
		int ret;

		down_write(&ii->ext_lock);
		ret = mmfs_alloc_range(dir, lblk, 1);
		pblk = ret ? 0 : mmfs_map_block(ii, lblk, NULL);
		up_write(&ii->ext_lock);
		if (ret)
			return ret;
		idx = 0;
		fresh = true;
		de = mmfs_bget_zero(sbi, pblk, &folio);
		i_size_write(dir, (loff_t)(lblk + 1) << MMFS_BLOCK_SHIFT);
	} else {
		de = mmfs_bread(sbi, pblk, &folio);
	}
	if (!de)
		return -EIO;
	memset(&de[idx], 0, sizeof(de[idx]));
	de[idx].d_ino = mmfs_le32(ino);
	de[idx].d_name_len = mmfs_le16((u16)len);
	de[idx].d_type = type;
	memcpy(de[idx].d_name, name, len);
	mmfs_mark_meta_dirty(sbi, folio);
	mmfs_brelse(folio, de);
	dir->i_mtime = dir->i_ctime = current_time(dir);
	(void)fresh;
	return mmfs_write_inode_raw(dir);
}

int mmfs_delete_entry(struct inode *dir, const char *name, unsigned int len)
{
	struct mmfs_sb_info *sbi = MMFS_SB(dir->i_sb);
	struct mmfs_dirent *de;
	struct folio *folio;
	u32 pblk, idx;

	if (!find_slot(dir, name, len, &pblk, &idx, NULL))
		return -ENOENT;
	de = mmfs_bread(sbi, pblk, &folio);
	if (!de)
		return -EIO;
	memset(&de[idx], 0, sizeof(de[idx]));
	mmfs_mark_meta_dirty(sbi, folio);
	mmfs_brelse(folio, de);
	dir->i_mtime = dir->i_ctime = current_time(dir);
	return mmfs_write_inode_raw(dir);
}

static bool any_entry(void *arg, u64 slot, const struct mmfs_dirent *de)
{
	(void)slot, (void)de;
	*(bool *)arg = true;
	return false;
}

bool mmfs_dir_is_empty(struct inode *dir)
{
	bool found = false;

	mmfs_for_each_entry(dir, any_entry, &found);
	return !found;
}

/* --- inode_operations ---------------------------------------------------- */

static struct dentry *mmfs_lookup(struct inode *dir, struct dentry *dentry, unsigned int flags)
{
	struct inode *inode = NULL;
	u32 ino;

	(void)flags;
	if (dentry->d_name.len > MMFS_NAME_LEN)
		return ERR_PTR(-ENAMETOOLONG);
	ino = mmfs_find_entry(dir, dentry->d_name.name, dentry->d_name.len, NULL);
	if (ino) {
		inode = mmfs_iget(dir->i_sb, ino);
		if (IS_ERR(inode))
			return (struct dentry *)inode;
	}
	return d_splice_alias(inode, dentry);
}

/* A new inode of @mode named by @dentry in @dir. */
static int mmfs_make(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	struct inode *inode;
	int ret;

	if (dentry->d_name.len > MMFS_NAME_LEN)
		return -ENAMETOOLONG;
	inode = mmfs_new_inode(dir, mode);
	if (IS_ERR(inode))
		return (int)PTR_ERR(inode);
	ret = mmfs_write_inode_raw(inode);
	if (!ret)
		ret = mmfs_add_entry(dir, dentry->d_name.name, dentry->d_name.len,
				     (u32)inode->i_ino, S_ISDIR(mode) ? DT_DIR : DT_REG);
	if (ret) {
		clear_nlink(inode);	/* the last iput frees the slot */
		iput(inode);
		return ret;
	}
	if (S_ISDIR(mode)) {
		inc_nlink(dir);
		mmfs_write_inode_raw(dir);
	}
	d_instantiate(dentry, inode);
	return 0;
}

static int mmfs_create(struct inode *dir, struct dentry *dentry, umode_t mode, bool excl)
{
	(void)excl;
	return mmfs_make(dir, dentry, (umode_t)((mode & 07777) | S_IFREG));
}

static int mmfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	return mmfs_make(dir, dentry, (umode_t)((mode & 07777) | S_IFDIR));
}

static int mmfs_link(struct dentry *old_dentry, struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(old_dentry);
	int ret;

	if (S_ISDIR(inode->i_mode))
		return -EPERM;
	if (inode->i_nlink >= 65000)
		return -EMLINK;
	ret = mmfs_add_entry(dir, dentry->d_name.name, dentry->d_name.len, (u32)inode->i_ino,
			     DT_REG);
	if (ret)
		return ret;
	inode->i_ctime = current_time(inode);
	inc_nlink(inode);
	mmfs_write_inode_raw(inode);
	ihold(inode);
	d_instantiate(dentry, inode);
	return 0;
}

static int mmfs_unlink(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);
	int ret = mmfs_delete_entry(dir, dentry->d_name.name, dentry->d_name.len);

	if (ret)
		return ret;
	inode->i_ctime = dir->i_ctime;
	drop_nlink(inode);
	return mmfs_write_inode_raw(inode);
}

static int mmfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);
	int ret;

	if (!mmfs_dir_is_empty(inode))
		return -ENOTEMPTY;
	ret = mmfs_delete_entry(dir, dentry->d_name.name, dentry->d_name.len);
	if (ret)
		return ret;
	inode->i_ctime = dir->i_ctime;
	clear_nlink(inode);
	mmfs_write_inode_raw(inode);
	drop_nlink(dir);
	return mmfs_write_inode_raw(dir);
}

const struct inode_operations mmfs_dir_inode_operations = {
	.lookup = mmfs_lookup,
	.create = mmfs_create,
	.link = mmfs_link,
	.unlink = mmfs_unlink,
	.mkdir = mmfs_mkdir,
	.rmdir = mmfs_rmdir,
	.setattr = mmfs_setattr,
	.getattr = mmfs_getattr,
};

/* --- readdir --------------------------------------------------------------- */

struct readdir_state {
	struct dir_context *ctx;
	u64 from;
};

static bool emit_entry(void *arg, u64 slot, const struct mmfs_dirent *de)
{
	struct readdir_state *rs = arg;

	if (slot < rs->from)
		return true;
	rs->ctx->pos = (loff_t)(slot + 2);
	if (!rs->ctx->actor(rs->ctx, de->d_name, mmfs_le16(de->d_name_len), rs->ctx->pos,
			    mmfs_le32(de->d_ino), de->d_type))
		return false;
	rs->ctx->pos = (loff_t)(slot + 3);
	return true;
}

static int mmfs_readdir(struct file *file, struct dir_context *ctx)
{
	struct inode *dir = file_inode(file);
	struct readdir_state rs = { .ctx = ctx };

	if (ctx->pos == 0) {
		if (!ctx->actor(ctx, ".", 1, 0, dir->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!ctx->actor(ctx, "..", 2, 1, MMFS_I(dir)->parent, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	rs.from = (u64)ctx->pos - 2;
	return mmfs_for_each_entry(dir, emit_entry, &rs);
}

const struct file_operations mmfs_dir_operations = {
	.llseek = generic_file_llseek,
	.iterate_shared = mmfs_readdir,
	.fsync = noop_fsync,
};
