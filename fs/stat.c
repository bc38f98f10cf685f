// SPDX-License-Identifier: GPL-2.0
/*
 * fs/stat.c - file attributes (Linux's fs/stat.c): vfs_getattr through
 * ->getattr or generic_fillattr, and stat/fstat filling the host's
 * struct stat (the same layout as Linux's on a Linux host).
 *
 * Locking: none of its own; ->getattr reads the inode's fields (i_size
 * with i_size_read) without i_rwsem, as Linux does.
 *
 * Invariants: st_ino/st_dev identify the inode (i_ino, s_dev); st_blocks
 * is in 512-byte units; st_blksize is the preferred I/O size.
 */
#include <errno.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/panic.h>
#include "fs/internal.h"

int vfs_getattr(const struct path *path, struct kstat *stat)
{
	struct inode *inode = d_inode(path->dentry);
	int ret = 0;

	/* Linux reads the fields unlocked; mmsim takes i_rwsem shared so that
	 * the copy is consistent (and race-free under TSan). */
	inode_lock_shared(inode);
	if (inode->i_op && inode->i_op->getattr)
		ret = inode->i_op->getattr(path->dentry, stat);
	else
		generic_fillattr(inode, stat);
	inode_unlock_shared(inode);
	return ret;
}

static int vfs_getattr_file(struct file *f, struct kstat *stat)
{
	if (f->f_path.dentry)
		return vfs_getattr(&f->f_path, stat);
	inode_lock_shared(file_inode(f));
	generic_fillattr(file_inode(f), stat);	/* a pseudo file */
	inode_unlock_shared(file_inode(f));
	return 0;
}

static void cp_new_stat(const struct kstat *k, const struct inode *inode, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = k->dev;
	st->st_ino = (ino_t)k->ino;
	st->st_mode = k->mode;
	st->st_nlink = k->nlink;
	st->st_uid = inode->i_uid;
	st->st_gid = inode->i_gid;
	st->st_rdev = inode->i_rdev;
	st->st_size = k->size;
	st->st_blksize = (blksize_t)k->blksize;
	st->st_blocks = (blkcnt_t)k->blocks;
	st->st_atim = k->atime;
	st->st_mtim = k->mtime;
	st->st_ctim = k->ctime;
}

long sys_stat(const char *path, struct stat *st)
{
	struct kstat k;
	struct path p;
	long ret;

	ret = vfs_syscall_check();
	if (ret)
		return ret;
	if (!st)
		return -EFAULT;
	ret = kern_path(path, LOOKUP_FOLLOW, &p);
	if (ret)
		return ret;
	ret = vfs_getattr(&p, &k);
	if (!ret)
		cp_new_stat(&k, d_inode(p.dentry), st);
	path_put(&p);
	return ret;
}

long sys_fstat(int fd, struct stat *st)
{
	struct file *f;
	struct kstat k;
	long ret = vfs_fget_entry(fd, &f);

	if (ret)
		return ret;
	ret = st ? vfs_getattr_file(f, &k) : -EFAULT;
	if (!ret)
		cp_new_stat(&k, file_inode(f), st);
	fput(f);
	return ret;
}
