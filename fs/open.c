// SPDX-License-Identifier: GPL-2.0
/*
 * fs/open.c - opening and closing files, truncation, attribute changes
 * (Linux's fs/open.c, fs/attr.c's notify_change): do_dentry_open,
 * filp_open/filp_close, sys_open/sys_close, do_truncate/vfs_truncate,
 * sys_truncate/sys_ftruncate, generic_file_open.
 *
 * Design.  sys_open reserves the lowest free descriptor, walks and
 * creates through do_filp_open (fs/namei.c: O_CREAT, O_EXCL, O_TRUNC,
 * O_DIRECTORY semantics), and installs the file.  do_dentry_open makes
 * the struct file: f_mode from the access mode (FMODE_READ/WRITE) plus
 * FMODE_LSEEK/PREAD/PWRITE, FMODE_CAN_READ/WRITE where the file system
 * has ->read_iter/->write_iter, f_op = i_fop, the readahead state, the
 * mapping's error cursor, f_name = the file's absolute path; then
 * ->open.  O_APPEND is kept in f_flags and becomes IOCB_APPEND at each
 * write (init_sync_kiocb).  Truncation goes through notify_change with
 * the inode locked: ->setattr or simple_setattr.
 *
 * Locking: do_truncate and notify_change's callers hold i_rwsem for
 * writing (inode_lock); nothing else here takes a lock of its own.
 *
 * Invariants: a file returned by do_dentry_open holds its path; every
 * error path drops what it took.
 */
#include <errno.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/fcntl.h>
#include <mmsim/printk.h>
#include <mmsim/pagemap.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/panic.h>
#include "fs/internal.h"

struct file *do_dentry_open(const struct path *path, int flags, const char *name)
{
	struct inode *inode = d_inode(path->dentry);
	char buf[PATH_MAX];
	struct file *f;
	size_t n;
	int ret;

	f = alloc_empty_file(flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC));
	if (IS_ERR(f)) {
		path_put(path);
		return f;
	}
	f->f_path = *path;		/* the caller's references move to the file */
	f->f_inode = inode;
	f->f_mapping = inode->i_mapping;
	f->f_op = inode->i_fop;
	f->f_mode |= (fmode_t)((flags + 1) & O_ACCMODE) | FMODE_PREAD | FMODE_PWRITE;
	if (f->f_op && f->f_op->llseek)
		f->f_mode |= FMODE_LSEEK;
	if ((f->f_mode & FMODE_READ) && f->f_op && f->f_op->read_iter)
		f->f_mode |= FMODE_CAN_READ;
	if ((f->f_mode & FMODE_WRITE) && f->f_op && f->f_op->write_iter)
		f->f_mode |= FMODE_CAN_WRITE;
	f->f_wb_err = inode->i_mapping->wb_err;
	file_ra_state_init(&f->f_ra, f->f_mapping);
	if (!name) {
		if (d_path_mnt(path->mnt, path->dentry, buf, sizeof(buf)))
			strcpy(buf, "?");
		name = buf;
	}
	n = strlen(name);
	f->f_name = kmalloc(n + 1, GFP_KERNEL);
	if (!f->f_name) {
		ret = -ENOMEM;
		goto fail;
	}
	memcpy((char *)f->f_name, name, n + 1);
	f->f_mode |= FMODE_NAME_OWNED;
	if (f->f_op && f->f_op->open) {
		ret = f->f_op->open(inode, f);
		if (ret)
			goto fail;
	}
	return f;
fail:
	/* no ->release for a file that did not open */
	f->f_path.dentry = NULL;
	f->f_path.mnt = NULL;
	file_free(f);
	path_put(path);
	return ERR_PTR(ret);
}

struct file *filp_open(const char *filename, int flags, umode_t mode)
{
	return do_filp_open(filename, flags, mode);
}

int filp_close(struct file *filp)
{
	if (!filp || atomic_long_read(&filp->f_count) <= 0) {
		WARN(1, "VFS: Close: file count is 0\n");
		return 0;
	}
	fput(filp);
	return 0;
}

int generic_file_open(struct inode *inode, struct file *filp)
{
	/* Linux: -EOVERFLOW for a large file opened without O_LARGEFILE on 32-bit */
	(void)inode;
	(void)filp;
	return 0;
}

long sys_open(const char *path, int flags, int mode)
{
	long ret = vfs_syscall_check();
	struct file *f;
	int fd;

	if (ret)
		return ret;
	if (!path)
		return -EFAULT;
	fd = get_unused_fd_flags((unsigned int)flags);
	if (fd < 0)
		return fd;
	f = do_filp_open(path, flags, (umode_t)mode);
	if (IS_ERR(f)) {
		put_unused_fd((unsigned int)fd);
		return PTR_ERR(f);
	}
	fd_install((unsigned int)fd, f);
	return fd;
}

long sys_close(int fd)
{
	long ret = vfs_syscall_check();

	if (ret)
		return ret;
	if (fd < 0)
		return -EBADF;
	return close_fd((unsigned int)fd);
}

/* --- attributes and truncation ---------------------------------------- */

int notify_change(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);
	struct timespec now = current_time(inode);

	attr->ia_valid |= ATTR_CTIME;
	attr->ia_ctime = now;
	if (attr->ia_valid & ATTR_MTIME)
		attr->ia_mtime = now;
	if (attr->ia_valid & ATTR_ATIME)
		attr->ia_atime = now;
	if ((attr->ia_valid & ATTR_SIZE) && !S_ISREG(inode->i_mode))
		return S_ISDIR(inode->i_mode) ? -EISDIR : -EINVAL;
	if (inode->i_op && inode->i_op->setattr)
		return inode->i_op->setattr(dentry, attr);
	return simple_setattr(dentry, attr);
}

int do_truncate(struct dentry *dentry, loff_t length, unsigned int time_attrs, struct file *filp)
{
	struct inode *inode = d_inode(dentry);
	struct iattr attr = { .ia_valid = ATTR_SIZE | time_attrs, .ia_size = length };
	int ret;

	(void)filp;
	if (length < 0)
		return -EINVAL;
	inode_lock(inode);
	ret = notify_change(dentry, &attr);
	inode_unlock(inode);
	return ret;
}

int vfs_truncate(const struct path *path, loff_t length)
{
	struct inode *inode = d_inode(path->dentry);

	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	if (!S_ISREG(inode->i_mode))
		return -EINVAL;
	return do_truncate(path->dentry, length, ATTR_MTIME | ATTR_CTIME, NULL);
}

/* The entry of truncate(2)/ftruncate(2): the syscall check, then a length >= 0. */
static long truncate_entry(long len)
{
	long ret = vfs_syscall_check();

	return ret ? ret : len < 0 ? -EINVAL : 0;
}

long sys_truncate(const char *path, long len)
{
	struct path p;
	long ret = truncate_entry(len);

	if (ret)
		return ret;
	ret = kern_path(path, LOOKUP_FOLLOW, &p);
	if (ret)
		return ret;
	ret = vfs_truncate(&p, len);
	path_put(&p);
	return ret;
}

long sys_ftruncate(int fd, long len)
{
	struct file *f;
	struct inode *inode;
	long ret = truncate_entry(len);

	if (!ret)
		ret = vfs_fget_entry(fd, &f);
	if (ret)
		return ret;
	inode = file_inode(f);
	if (!f->f_path.dentry || !S_ISREG(inode->i_mode) || !(f->f_mode & FMODE_WRITE))
		ret = -EINVAL;		/* Linux: -EINVAL for a file not open for writing */
	else
		ret = do_truncate(f->f_path.dentry, len, ATTR_MTIME | ATTR_CTIME, f);
	fput(f);
	return ret;
}
