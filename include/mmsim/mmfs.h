/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmfs.h - the disk file system "mmfs" (fs/mmfs/) as the rest of mmsim and
 * the tests see it: its invariant checker, its mkfs, and the per-machine
 * state of the `mmfs` subsystem (which also holds the disk's own page
 * cache inode, block/bdev.c).  docs/mmfs.md has the format and design.
 */
#ifndef MMSIM_MMFS_H
#define MMSIM_MMFS_H

#include <stdbool.h>
#include <mmsim/types.h>

struct super_block;
struct block_device;
struct inode;
struct mmsim;

#define MMFS_SUPER_MAGIC	0x53464d4dul	/* statfs f_type, sb->s_magic */

/*
 * mmfs_fsck - walk the mounted file system @sb from its root and check
 * every invariant of docs/mmfs.md: the bitmaps equal the blocks and inodes
 * in use, no block belongs to two files, every block lies in the data
 * area, i_nlink equals the directory references, sizes lie within the
 * extents, the free counts equal the bitmaps'.  Writes nothing; each
 * problem is one "mmfs_fsck: ..." line in the kernel log.  True if clean.
 */
bool mmfs_fsck(struct super_block *sb);

/*
 * mmfs_mkfs - write a new, empty mmfs over all of @bdev (what boot does to
 * a disk without a valid super block; mkfs.mmfs).  0 or -errno.
 */
int mmfs_mkfs(struct block_device *bdev);

/* Whether @bdev holds a valid mmfs super block. */
bool mmfs_probe(struct block_device *bdev);

/* The `mmfs` subsystem's per-machine state. */
struct mmfs_machine_state {
	struct inode *bdev_inode;	/* block/bdev.c: the disk's page cache */
	struct super_block *bdev_sb;	/* its pseudo super block ("bdev") */
	bool registered;		/* register_filesystem(&mmfs_fs_type) succeeded */
	int mounted;			/* mmfs super blocks alive on the disk */
	bool exiting;			/* the subsystem's exit ran (shutdown) */
	bool mkfs_done;			/* boot ran mkfs on this disk */
};

/* block/bdev.c: write back and drop the disk's page cache, free its inode
 * (the mmfs subsystem's exit, after every mount is gone). */
void bdev_inode_release(struct block_device *bdev);
/* block/bdev.c: write the disk's dirty cached blocks and wait: 0 or -EIO. */
int sync_blockdev(struct block_device *bdev);

#endif
