// SPDX-License-Identifier: GPL-2.0
/*
 * fs/sync.c - sync(2), fsync(2), fdatasync(2) and the helpers file systems
 * call (Linux's fs/sync.c).
 *
 *   ksys_sync: wake every flusher (WB_REASON_SYNC), sync_inodes_sb on every
 *     super block (write and wait for all dirty data), ->sync_fs(sb, 0)
 *     then ->sync_fs(sb, 1) on each, then the disk's own page cache
 *     (bdev_inode: metadata blocks) written and waited for.  Waiting is
 *     virtual time: the clock moves to each I/O completion.
 *   sync_filesystem(sb): writeback_inodes_sb, ->sync_fs(0), sync_inodes_sb,
 *     ->sync_fs(1), the block device's cache: 0 or the first error.
 *   vfs_fsync_range: the file's ->fsync, -EINVAL without one (Linux);
 *     sys_fsync/sys_fdatasync: -EBADF for a bad fd, then vfs_fsync.
 *
 * Locking: none of its own; iterate_supers holds s_umount for reading
 * around each callback; the writeback paths take their own locks.
 * Invariants: after ksys_sync returns (and nothing dirtied meanwhile),
 * NR_FILE_DIRTY and NR_WRITEBACK of disk-backed files are 0.
 */
#include <errno.h>
#include <limits.h>
#include <mmsim/fs.h>
#include <mmsim/blkdev.h>
#include <mmsim/syscalls.h>
#include <mmsim/writeback.h>
#include <mmsim/backing-dev.h>
#include "init/machine.h"
#include "mm/vma.h"

static void sync_inodes_one_sb(struct super_block *sb, void *arg)
{
	(void)arg;
	if (!(sb->s_flags & SB_RDONLY))
		sync_inodes_sb(sb);
}

static void sync_fs_one_sb(struct super_block *sb, void *arg)
{
	if (!(sb->s_flags & SB_RDONLY) && sb->s_op && sb->s_op->sync_fs)
		sb->s_op->sync_fs(sb, *(int *)arg);
}

/*
 * The disk's own page cache (metadata blocks): start writing it, or write
 * and wait for it.  Waiting goes through write_inode_now so the block
 * device's inode also leaves the dirty lists (Linux reaches it through
 * sync_inodes_sb of the bdev pseudo file system, which iterate_supers does
 * not list here).
 */
static int sync_blockdev_range(struct block_device *bdev, bool wait)
{
	struct inode *inode = bdev ? bdev_inode(bdev) : NULL;
	int ret;

	if (!inode)
		return 0;
	if (!wait)
		return filemap_fdatawrite(inode->i_mapping);
	ret = filemap_write_and_wait(inode->i_mapping);
	if (inode->i_sb && inode_to_bdi(inode)->capabilities & BDI_CAP_WRITEBACK) {
		int err = write_inode_now(inode, 1);

		if (!ret)
			ret = err;
	}
	return ret;
}

void ksys_sync(void)
{
	struct mmsim *m = current_machine();
	int nowait = 0, wait = 1;

	wakeup_flusher_threads(WB_REASON_SYNC);
	iterate_supers(sync_inodes_one_sb, NULL);
	iterate_supers(sync_fs_one_sb, &nowait);
	iterate_supers(sync_fs_one_sb, &wait);
	if (m) {
		sync_blockdev_range(mmsim_root_bdev(m), false);
		sync_blockdev_range(mmsim_root_bdev(m), true);
	}
}

long sys_sync(void)
{
	long err = syscall_enter_check();

	if (err)
		return err;
	ksys_sync();
	return 0;
}

int sync_filesystem(struct super_block *sb)
{
	int ret = 0;

	if (sb->s_flags & SB_RDONLY)
		return 0;
	writeback_inodes_sb(sb, WB_REASON_SYNC);
	if (sb->s_op && sb->s_op->sync_fs) {
		ret = sb->s_op->sync_fs(sb, 0);
		if (ret)
			return ret;
	}
	ret = sync_blockdev_range(sb->s_bdev, false);
	if (ret)
		return ret;
	sync_inodes_sb(sb);
	if (sb->s_op && sb->s_op->sync_fs) {
		ret = sb->s_op->sync_fs(sb, 1);
		if (ret)
			return ret;
	}
	return sync_blockdev_range(sb->s_bdev, true);
}

/**
 * vfs_fsync_range - write and wait for [start, end] of @file and its inode
 * @datasync: only what is needed to read the data back (fdatasync)
 * Return: 0, -EINVAL if the file cannot be synced, or the ->fsync error.
 */
int vfs_fsync_range(struct file *file, loff_t start, loff_t end, int datasync)
{
	if (!file->f_op || !file->f_op->fsync)
		return -EINVAL;
	return file->f_op->fsync(file, start, end, datasync);
}

int vfs_fsync(struct file *file, int datasync)
{
	return vfs_fsync_range(file, 0, LLONG_MAX, datasync);
}

static long do_fsync(int fd, int datasync)
{
	long err = syscall_enter_check();
	struct file *file;

	if (err)
		return err;
	if (fd < 0)
		return -EBADF;
	file = fget((unsigned int)fd);
	if (!file)
		return -EBADF;
	err = vfs_fsync(file, datasync);
	fput(file);
	return err;
}

long sys_fsync(int fd)
{
	return do_fsync(fd, 0);
}

long sys_fdatasync(int fd)
{
	return do_fsync(fd, 1);
}
