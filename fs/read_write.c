// SPDX-License-Identifier: GPL-2.0
/*
 * fs/read_write.c - read, write and seek (Linux's fs/read_write.c):
 * vfs_read/vfs_write through ->read_iter/->write_iter with an ITER_UBUF
 * iterator over current's user buffer, kernel_read/kernel_write with an
 * ITER_KVEC one, generic_file_llseek, and the system calls.
 *
 * Design.  The checks are Linux's, in its order: a file not open for
 * reading (writing) is -EBADF; one without ->read_iter (->write_iter)
 * is -EINVAL, a directory -EISDIR; rw_verify_area refuses a negative
 * position or one that overflows with the count (-EINVAL); the count is
 * clamped to MAX_RW_COUNT (INT_MAX & PAGE_MASK); a write at or past the
 * file system's s_maxbytes is -EFBIG.  pread/pwrite on a file without
 * FMODE_PREAD/PWRITE and lseek on one without FMODE_LSEEK are -ESPIPE.
 * read/write/lseek use and update f_pos under f_pos_lock (Linux's
 * fdget_pos takes it when the file is shared; mmsim always does).
 *
 * Locking: f_pos_lock (rwsem, taken for writing) around the f_pos users;
 * the file system's ->read_iter/->write_iter take what they need
 * (i_rwsem for writes, the folio locks, invalidate_lock).
 *
 * Invariants: a successful read or write advances the position by the
 * bytes it returns; no position is ever negative.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/fcntl.h>
#include <mmsim/uio.h>
#include <mmsim/mm.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/panic.h>
#include "fs/internal.h"

#define __O_SYNC	04000000

void init_sync_kiocb(struct kiocb *kiocb, struct file *filp)
{
	int flags = 0;

	if (filp->f_flags & O_APPEND)
		flags |= IOCB_APPEND;
	if (filp->f_flags & O_DSYNC)
		flags |= IOCB_DSYNC;
	if (filp->f_flags & __O_SYNC)
		flags |= IOCB_SYNC;
	*kiocb = (struct kiocb){ .ki_filp = filp, .ki_pos = 0, .ki_flags = flags };
}

static int rw_verify_area(struct file *file, const loff_t *ppos, size_t count)
{
	(void)file;
	if (!ppos)
		return 0;
	if (*ppos < 0)
		return -EINVAL;
	if ((loff_t)(*ppos + (loff_t)count) < 0 || count > (size_t)LLONG_MAX)
		return -EINVAL;
	return 0;
}

static ssize_t do_iter_read(struct file *file, struct iov_iter *iter, loff_t *pos)
{
	struct kiocb kiocb;
	ssize_t ret;

	init_sync_kiocb(&kiocb, file);
	kiocb.ki_pos = pos ? *pos : 0;
	ret = file->f_op->read_iter(&kiocb, iter);
	if (ret > 0 && pos)
		*pos = kiocb.ki_pos;
	return ret;
}

static ssize_t do_iter_write(struct file *file, struct iov_iter *iter, loff_t *pos)
{
	struct kiocb kiocb;
	ssize_t ret;

	init_sync_kiocb(&kiocb, file);
	kiocb.ki_pos = pos ? *pos : 0;
	ret = file->f_op->write_iter(&kiocb, iter);
	if (ret > 0 && pos)
		*pos = kiocb.ki_pos;
	return ret;
}

static ssize_t read_checks(struct file *file, loff_t *pos, size_t *count)
{
	int ret;

	if (!(file->f_mode & FMODE_READ))
		return -EBADF;
	if (!(file->f_mode & FMODE_CAN_READ))
		return S_ISDIR(file_inode(file)->i_mode) ? -EISDIR : -EINVAL;
	ret = rw_verify_area(file, pos, *count);
	if (ret)
		return ret;
	if (*count > MAX_RW_COUNT)
		*count = MAX_RW_COUNT;
	return 0;
}

static ssize_t write_checks(struct file *file, loff_t *pos, size_t *count)
{
	struct inode *inode = file_inode(file);
	int ret;

	if (!(file->f_mode & FMODE_WRITE))
		return -EBADF;
	if (!(file->f_mode & FMODE_CAN_WRITE))
		return S_ISDIR(inode->i_mode) ? -EISDIR : -EINVAL;
	ret = rw_verify_area(file, pos, *count);
	if (ret)
		return ret;
	if (*count > MAX_RW_COUNT)
		*count = MAX_RW_COUNT;
	/* generic_write_check_limits: nothing at or past s_maxbytes */
	if (pos && !(file->f_flags & O_APPEND) && S_ISREG(inode->i_mode) && inode->i_sb) {
		loff_t max = inode->i_sb->s_maxbytes;

		if (*pos >= max)
			return *count ? -EFBIG : 0;
		if ((loff_t)*count > max - *pos)
			*count = (size_t)(max - *pos);
	}
	return 0;
}

ssize_t vfs_read(struct file *file, unsigned long ubuf, size_t count, loff_t *pos)
{
	struct iov_iter iter;
	ssize_t ret = read_checks(file, pos, &count);

	if (ret)
		return ret;
	if (!count)
		return 0;
	iov_iter_ubuf(&iter, ITER_DEST, ubuf, count);
	return do_iter_read(file, &iter, pos);
}

ssize_t vfs_write(struct file *file, unsigned long ubuf, size_t count, loff_t *pos)
{
	struct iov_iter iter;
	ssize_t ret = write_checks(file, pos, &count);

	if (ret)
		return ret;
	if (!count)
		return 0;
	iov_iter_ubuf(&iter, ITER_SOURCE, ubuf, count);
	return do_iter_write(file, &iter, pos);
}

ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos)
{
	struct iov_iter iter;
	ssize_t ret = read_checks(file, pos, &count);

	if (ret)
		return ret;
	if (!count)
		return 0;
	iov_iter_kvec_buf(&iter, ITER_DEST, buf, count);
	return do_iter_read(file, &iter, pos);
}

ssize_t kernel_write(struct file *file, const void *buf, size_t count, loff_t *pos)
{
	struct iov_iter iter;
	ssize_t ret = write_checks(file, pos, &count);

	if (ret)
		return ret;
	if (!count)
		return 0;
	iov_iter_kvec_buf(&iter, ITER_SOURCE, (void *)buf, count);
	return do_iter_write(file, &iter, pos);
}

/* --- seeking ------------------------------------------------------------- */

static loff_t vfs_setpos(struct file *file, loff_t offset, loff_t maxsize)
{
	if (offset < 0 || offset > maxsize)
		return -EINVAL;
	file->f_pos = offset;
	return offset;
}

loff_t generic_file_llseek(struct file *file, loff_t offset, int whence)
{
	struct inode *inode = file_inode(file);
	loff_t maxsize = inode->i_sb ? inode->i_sb->s_maxbytes : LLONG_MAX;
	loff_t eof = i_size_read(inode);

	switch (whence) {
	case SEEK_SET:
		break;
	case SEEK_END:
		if (__builtin_add_overflow(offset, eof, &offset))
			return -EINVAL;
		break;
	case SEEK_CUR:
		if (offset == 0)
			return file->f_pos;
		if (__builtin_add_overflow(offset, file->f_pos, &offset))
			return -EINVAL;
		break;
	case SEEK_DATA:
		/* everything up to i_size is data (no holes are reported) */
		if (offset < 0 || offset >= eof)
			return -ENXIO;
		break;
	case SEEK_HOLE:
		if (offset < 0 || offset >= eof)
			return -ENXIO;
		offset = eof;	/* the virtual hole at the end */
		break;
	default:
		return -EINVAL;
	}
	return vfs_setpos(file, offset, maxsize);
}

loff_t vfs_llseek(struct file *file, loff_t offset, int whence)
{
	if (!(file->f_mode & FMODE_LSEEK) || !file->f_op || !file->f_op->llseek)
		return -ESPIPE;
	return file->f_op->llseek(file, offset, whence);
}

/* --- the system calls ------------------------------------------------------ */

static long fd_syscall_check(void)
{
	RETURN_IF_HALTED(-EIO);
	return current ? 0 : -ESRCH;
}

static struct file *fdget_pos(int fd)
{
	struct file *f = fd < 0 ? NULL : fget((unsigned int)fd);

	if (f)
		down_write(&f->f_pos_lock);
	return f;
}

static void fdput_pos(struct file *f)
{
	up_write(&f->f_pos_lock);
	fput(f);
}

long sys_read(int fd, unsigned long ubuf, size_t n)
{
	struct file *f;
	loff_t pos;
	long ret = fd_syscall_check();

	if (ret)
		return ret;
	f = fdget_pos(fd);
	if (!f)
		return -EBADF;
	pos = f->f_pos;
	ret = vfs_read(f, ubuf, n, &pos);
	if (ret >= 0)
		f->f_pos = pos;
	fdput_pos(f);
	return ret;
}

long sys_write(int fd, unsigned long ubuf, size_t n)
{
	struct file *f;
	loff_t pos;
	long ret = fd_syscall_check();

	if (ret)
		return ret;
	f = fdget_pos(fd);
	if (!f)
		return -EBADF;
	pos = f->f_pos;
	ret = vfs_write(f, ubuf, n, &pos);
	if (ret >= 0)
		f->f_pos = pos;
	fdput_pos(f);
	return ret;
}

long sys_pread64(int fd, unsigned long ubuf, size_t n, long pos)
{
	struct file *f;
	loff_t p = pos;
	long ret = fd_syscall_check();

	if (ret)
		return ret;
	if (pos < 0)
		return -EINVAL;
	f = fd < 0 ? NULL : fget((unsigned int)fd);
	if (!f)
		return -EBADF;
	ret = (f->f_mode & FMODE_PREAD) ? vfs_read(f, ubuf, n, &p) : -ESPIPE;
	fput(f);
	return ret;
}

long sys_pwrite64(int fd, unsigned long ubuf, size_t n, long pos)
{
	struct file *f;
	loff_t p = pos;
	long ret = fd_syscall_check();

	if (ret)
		return ret;
	if (pos < 0)
		return -EINVAL;
	f = fd < 0 ? NULL : fget((unsigned int)fd);
	if (!f)
		return -EBADF;
	ret = (f->f_mode & FMODE_PWRITE) ? vfs_write(f, ubuf, n, &p) : -ESPIPE;
	fput(f);
	return ret;
}

long sys_lseek(int fd, long off, int whence)
{
	struct file *f;
	long ret = fd_syscall_check();

	if (ret)
		return ret;
	f = fdget_pos(fd);
	if (!f)
		return -EBADF;
	ret = (whence < SEEK_SET || whence > SEEK_HOLE) ? -EINVAL : vfs_llseek(f, off, whence);
	fdput_pos(f);
	return ret;
}
