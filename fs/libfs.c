// SPDX-License-Identifier: GPL-2.0
/*
 * fs/libfs.c - helpers for simple in-memory file systems (Linux's
 * fs/libfs.c): the directory is the dentry tree itself.
 *
 * Design.  simple_lookup answers every miss with a negative dentry (the
 * file does not exist: every name of such a file system is in the
 * dcache).  Creating a name pins its dentry with an extra reference
 * (simple_link here, tmpfs's create/mkdir the same way), removing it
 * (simple_unlink) drops that pin; kill_litter_super drops the pins that
 * remain at unmount.  dcache_readdir lists ".", ".." and then the
 * positive children, oldest first; its position is an index (2 + the
 * child's rank), so a directory changed between calls may show a name
 * twice or skip one, as Linux's cursor-less readers could.
 *
 * Locking: the callers hold the directory's i_rwsem (creation, removal);
 * readdir walks the children under dcache_lock and calls the actor with
 * no lock held, on a copy of the name.
 *
 * Invariants: a positive dentry of such a file system has d_count >= 1
 * (the pin); a directory's i_nlink is 2 + its subdirectories.
 */
#include <errno.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/mm.h>
#include <mmsim/writeback.h>
#include "fs/internal.h"

struct dentry *simple_lookup(struct inode *dir, struct dentry *dentry, unsigned int flags)
{
	(void)dir;
	(void)flags;
	if (dentry->d_name.len > NAME_MAX)
		return ERR_PTR(-ENAMETOOLONG);
	d_add(dentry, NULL);
	return NULL;
}

int simple_link(struct dentry *old_dentry, struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(old_dentry);

	inode->i_ctime = dir->i_ctime = dir->i_mtime = current_time(inode);
	inc_nlink(inode);
	ihold(inode);
	dget(dentry);		/* the pin */
	d_instantiate(dentry, inode);
	return 0;
}

int simple_empty(struct dentry *dentry)
{
	struct vfs_state *vfs = vfs_state();
	struct dentry *child;
	int ret = 1;

	spin_lock(&vfs->dcache_lock);
	list_for_each_entry(child, &dentry->d_subdirs, d_child)
		if (child->d_inode && !d_flags_test(child, DCACHE_UNHASHED)) {
			ret = 0;
			break;
		}
	spin_unlock(&vfs->dcache_lock);
	return ret;
}

int simple_unlink(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);

	inode->i_ctime = dir->i_ctime = dir->i_mtime = current_time(inode);
	drop_nlink(inode);
	dput(dentry);		/* the pin */
	return 0;
}

int simple_rmdir(struct inode *dir, struct dentry *dentry)
{
	if (!simple_empty(dentry))
		return -ENOTEMPTY;
	drop_nlink(d_inode(dentry));
	simple_unlink(dir, dentry);
	drop_nlink(dir);
	return 0;
}

int dcache_readdir(struct file *file, struct dir_context *ctx)
{
	struct vfs_state *vfs = vfs_state();
	struct dentry *dir = file->f_path.dentry;
	char name[NAME_MAX + 1];

	if (!dir)
		return -ENOTDIR;
	if (ctx->pos == 0) {
		if (!ctx->actor(ctx, ".", 1, 0, d_inode(dir)->i_ino, DT_DIR))
			return 0;
		ctx->pos = 1;
	}
	if (ctx->pos == 1) {
		if (!ctx->actor(ctx, "..", 2, 1, d_inode(dir->d_parent)->i_ino, DT_DIR))
			return 0;
		ctx->pos = 2;
	}
	for (;;) {
		struct dentry *child;
		loff_t i = 2;
		unsigned int type = DT_UNKNOWN, len = 0;
		u64 ino = 0;
		bool found = false;

		spin_lock(&vfs->dcache_lock);
		list_for_each_entry(child, &dir->d_subdirs, d_child) {
			if (!child->d_inode || d_flags_test(child, DCACHE_UNHASHED))
				continue;
			if (i++ < ctx->pos)
				continue;
			len = child->d_name.len;
			memcpy(name, child->d_name.name, len);
			ino = child->d_inode->i_ino;
			type = S_ISDIR(child->d_inode->i_mode) ? DT_DIR :
			       S_ISREG(child->d_inode->i_mode) ? DT_REG : DT_UNKNOWN;
			found = true;
			break;
		}
		spin_unlock(&vfs->dcache_lock);
		if (!found)
			return 0;
		if (!ctx->actor(ctx, name, (int)len, ctx->pos, ino, type))
			return 0;
		ctx->pos++;
	}
}

int noop_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	(void)file;
	(void)start;
	(void)end;
	(void)datasync;
	return 0;
}

int simple_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	memset(buf, 0, sizeof(*buf));
	buf->f_type = (long)dentry->d_sb->s_magic;
	buf->f_bsize = PAGE_SIZE;
	buf->f_namelen = NAME_MAX;
	return 0;
}

const struct file_operations simple_dir_operations = {
	.llseek = generic_file_llseek,
	.iterate_shared = dcache_readdir,
	.fsync = noop_fsync,
};

const struct inode_operations simple_dir_inode_operations = {
	.lookup = simple_lookup,
};
