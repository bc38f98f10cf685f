// SPDX-License-Identifier: GPL-2.0
/*
 * fs/vfs_check.c - the VFS core's invariant checkers, for the tests to
 * call after every step of a stress: vfs_is_valid (the mount table, every
 * super block's dentry tree and inode list) and files_is_valid (one fd
 * table).  Each prints what it found wrong to the kernel log
 * ("vfs_is_valid: ...") and returns false.
 *
 * What is checked (docs/vfs.md "Invariants"):
 *   - every attached mount has mnt_count >= 1, an attached parent (or is
 *     its own: the root), and its mountpoint is DCACHE_MOUNTED;
 *   - every dentry's children point back at it, share its super block, and
 *     number at most its d_count; a dentry with d_count 0 is hashed,
 *     positive and childless; a name is at most NAME_MAX bytes and its hash
 *     is full_name_hash of it; a positive hashed dentry's inode belongs to
 *     the super block;
 *   - every inode on s_inodes has i_sb == the super block, i_count >= 0,
 *     no I_CLEAR (cleared inodes are off the list);
 *   - in an fd table: open_fds has a bit for every installed slot,
 *     nr_open == the bits set, next_fd <= the lowest free slot.
 *
 * Locking: the checker takes mount_lock, then (through iterate_supers,
 * s_umount read) dcache_lock,
 * s_inode_list_lock and file_lock, each alone; it is meant for quiescent
 * moments of a test (another CPU changing the tree may make it report
 * a transient state).
 */
#include <stdio.h>
#include <string.h>
#include <mmsim/printk.h>
#include "fs/internal.h"

static bool check_tree(struct super_block *sb, struct dentry *d, int depth)
{
	struct dentry *c;
	int children = 0;
	bool ok = true;

	if (depth > PATH_MAX / 2) {
		pr_err("vfs_is_valid: dentry tree of %s deeper than %d\n", sb->s_id, PATH_MAX / 2);
		return false;
	}
	list_for_each_entry(c, &d->d_subdirs, d_child) {
		children++;
		if (c->d_parent != d || c->d_sb != sb) {
			pr_err("vfs_is_valid: dentry '%s' has parent %p sb %p, listed under %p sb %p\n",
			       c->d_name.name, (void *)c->d_parent, (void *)c->d_sb, (void *)d,
			       (void *)sb);
			ok = false;
		}
		if (c->d_name.len > NAME_MAX ||
		    c->d_name.hash != full_name_hash(c->d_name.name, c->d_name.len)) {
			pr_err("vfs_is_valid: dentry '%s': bad name length or hash\n", c->d_name.name);
			ok = false;
		}
		if (c->d_inode && !d_unhashed(c) && c->d_inode->i_sb != sb) {
			pr_err("vfs_is_valid: dentry '%s': inode of another super block\n",
			       c->d_name.name);
			ok = false;
		}
		if (!check_tree(sb, c, depth + 1))
			ok = false;
	}
	if (atomic_read(&d->d_count) < children) {
		pr_err("vfs_is_valid: dentry '%s': d_count %d < %d children\n", d->d_name.name,
		       atomic_read(&d->d_count), children);
		ok = false;
	}
	if (!atomic_read(&d->d_count) && (d_unhashed(d) || !d->d_inode || children)) {
		pr_err("vfs_is_valid: unused dentry '%s' is %s\n", d->d_name.name,
		       children ? "a parent" : !d->d_inode ? "negative" : "unhashed");
		ok = false;
	}
	return ok;
}

static bool check_sb(struct vfs_state *vfs, struct super_block *sb)
{
	struct inode *inode;
	bool ok = true;

	if (sb->s_root) {
		spin_lock(&vfs->dcache_lock);
		ok = check_tree(sb, sb->s_root, 0);
		spin_unlock(&vfs->dcache_lock);
	}
	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		if (inode->i_sb != sb || atomic_read(&inode->i_count) < 0 ||
		    (READ_ONCE(inode->i_state) & I_CLEAR)) {
			pr_err("vfs_is_valid: inode %lu of %s: i_sb %p, i_count %d, i_state %#lx\n",
			       inode->i_ino, sb->s_id, (void *)inode->i_sb,
			       atomic_read(&inode->i_count), READ_ONCE(inode->i_state));
			ok = false;
		}
	}
	spin_unlock(&sb->s_inode_list_lock);
	return ok;
}

static void check_one_sb(struct super_block *sb, void *arg)
{
	bool *ok = arg;

	if (!check_sb(vfs_state(), sb))
		*ok = false;
}

bool vfs_is_valid(struct mmsim *m)
{
	struct vfs_state *vfs = vfs_state_of(m);
	struct mount *mnt;
	bool ok = true;

	if (!vfs || !vfs->ready)
		return true;
	spin_lock(&vfs->mount_lock);
	list_for_each_entry(mnt, &vfs->mounts, mnt_list) {
		bool root = mnt == vfs->root;

		if (!mnt->attached || atomic_read(&mnt->mnt_count) < 1 ||
		    (root && mnt->mnt_parent != mnt) ||
		    (!root && (!mnt->mnt_mountpoint || !mnt->mnt_parent->attached ||
			       !d_flags_test(mnt->mnt_mountpoint, DCACHE_MOUNTED)))) {
			pr_err("vfs_is_valid: mount of %s (%s): attached %d, count %d, mountpoint %p\n",
			       mnt->mnt_devname, mnt->mnt.mnt_sb->s_type->name, mnt->attached,
			       atomic_read(&mnt->mnt_count), (void *)mnt->mnt_mountpoint);
			ok = false;
		}
	}
	spin_unlock(&vfs->mount_lock);
	iterate_supers(check_one_sb, &ok);	/* the active super blocks */
	return ok;
}

bool files_is_valid(struct files_struct *files)
{
	unsigned int set = 0, lowest_free = ~0u;
	bool ok = true;

	if (!files)
		return true;
	spin_lock(&files->file_lock);
	for (unsigned int fd = 0; fd < files->max_fds; fd++) {
		bool bit = files->open_fds[fd / (8 * sizeof(long))] & (1ul << (fd % (8 * sizeof(long))));

		if (bit)
			set++;
		else if (lowest_free == ~0u)
			lowest_free = fd;
		if (files->fd[fd] && !bit) {
			pr_err("files_is_valid: fd %u installed without its open_fds bit\n", fd);
			ok = false;
		}
		if (files->fd[fd] && atomic_long_read(&files->fd[fd]->f_count) < 1) {
			pr_err("files_is_valid: fd %u: file with f_count %ld\n", fd,
			       atomic_long_read(&files->fd[fd]->f_count));
			ok = false;
		}
	}
	if (set != files->nr_open || (lowest_free != ~0u && files->next_fd > lowest_free)) {
		pr_err("files_is_valid: %u bits set, nr_open %u, next_fd %u, lowest free %u\n", set,
		       files->nr_open, files->next_fd, lowest_free);
		ok = false;
	}
	spin_unlock(&files->file_lock);
	return ok;
}
