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

/*
 * Weak stand-ins for dcache functions the contract declares but no stub
 * file defines yet (fs/dcache.c is V's): the real ones override these.
 * Removed as soon as fs/dcache.c lands on main.
 */
__attribute__((weak)) struct dentry *d_make_root(struct inode *root_inode)
{
	iput(root_inode);
	return NULL;
}

__attribute__((weak)) struct dentry *d_splice_alias(struct inode *inode, struct dentry *dentry)
{
	(void)inode;
	(void)dentry;
	return NULL;
}

__attribute__((weak)) void d_instantiate(struct dentry *dentry, struct inode *inode)
{
	(void)dentry;
	(void)inode;
}
