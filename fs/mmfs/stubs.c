// SPDX-License-Identifier: GPL-2.0
/*
 * fs/mmfs/stubs.c - TEMPORARY contract stubs (issue 12): every function declared for
 * the disk file system that is not written yet, so that main links while the owner
 * writes the real ones.  The owner deletes each stub as it lands and this
 * file with the last one; none may remain when issue 12 is resolved
 * (grep ENOSYS).
 */
#include <errno.h>
#include <stddef.h>
#include <mmsim/fs.h>
#include <mmsim/fcntl.h>
#include <mmsim/uio.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include <mmsim/backing-dev.h>
#include <mmsim/workqueue.h>
#include <mmsim/syscalls.h>
#include <mmsim/blkdev.h>
#include "init/init.h"

int mmsim_import_file(const char *host_path, const char *path)
{
	(void)host_path;
	(void)path;
	return -ENOSYS;
}

DEFINE_SUBSYSTEM(mmfs);

long nr_blockdev_pages(void)
{
	return 0;
}

struct inode *bdev_inode(struct block_device *bdev)
{
	(void)bdev;
	return NULL;
}
