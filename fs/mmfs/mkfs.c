// SPDX-License-Identifier: GPL-2.0
/*
 * fs/mmfs/mkfs.c - mkfs.mmfs: a new, empty mmfs over a whole disk, and the
 * probe that tells whether a disk already holds one (boot keeps an
 * existing valid file system, so a disk=FILE:SIZE image survives shutdown
 * and boot; it runs mkfs on any other disk).
 *
 * Design.  The layout (docs/mmfs.md): block 0 the super block, then the
 * block bitmap, the inode bitmap, the inode table (one inode slot per 4
 * blocks of the disk, at least 32, a multiple of 32), then data.  mkfs
 * writes the super block, both bitmaps (the metadata blocks and inodes 0
 * and 1 marked used) and the inode table's first block (the root
 * directory, inode 1, empty); the rest of the inode table is never read
 * before its bitmap bit is set, so it is not written.  It writes the
 * disk's bytes directly (the host fd behind vda), as mkfs.mmfs would have
 * formatted the image before the machine powered on: no bios, no virtual
 * time, nothing in /proc/diskstats or the disk's page cache.  So it must
 * run while the disk is not mounted and its page cache holds none of
 * those blocks: boot runs it from the mmfs subsystem's device initcall.
 *
 * Locking: none (boot, one CPU).  Invariants: what it writes passes
 * mmfs_load_super's checks and mmfs_fsck.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <mmsim/printk.h>
#include "block/blk.h"
#include "fs/mmfs/mmfs.h"

/* Write @n blocks from @start, each filled by @fill (block index, buffer). */
static int mkfs_write(struct block_device *bdev, u64 start, u64 n,
		      void (*fill)(u64 i, void *buf, const void *arg), const void *arg)
{
	int fd = bdev->bd_disk->dev->fd;
	char *buf = malloc(MMFS_BLOCK_SIZE);
	int ret = 0;

	if (!buf)
		return -ENOMEM;
	for (u64 i = 0; i < n && !ret; i++) {
		memset(buf, 0, MMFS_BLOCK_SIZE);
		fill(i, buf, arg);
		if (pwrite(fd, buf, MMFS_BLOCK_SIZE, (off_t)((start + i) << MMFS_BLOCK_SHIFT)) !=
		    (ssize_t)MMFS_BLOCK_SIZE)
			ret = -EIO;
	}
	free(buf);
	return ret;
}

struct mkfs_plan {
	struct mmfs_super_block sb;
	u64 blocks, first_data;
	u32 inodes;
	u64 now;
};

static void fill_super_block(u64 i, void *buf, const void *arg)
{
	const struct mkfs_plan *p = arg;

	(void)i;
	memcpy(buf, &p->sb, sizeof(p->sb));
}

/* Bit b of bitmap block i set iff i * 32768 + b < the count of used ones. */
static void fill_bitmap(u64 i, void *buf, const void *arg)
{
	u64 used = *(const u64 *)arg, first = i * MMFS_BITS_PER_BLOCK;
	unsigned char *b = buf;

	for (u64 bit = first; bit < used && bit < first + MMFS_BITS_PER_BLOCK; bit++)
		b[(bit - first) / 8] |= (unsigned char)(1u << ((bit - first) % 8));
}

static void fill_root_inode(u64 i, void *buf, const void *arg)
{
	const struct mkfs_plan *p = arg;
	struct mmfs_inode *di = (struct mmfs_inode *)buf + MMFS_ROOT_INO;

	(void)i;
	di->i_mode = mmfs_le16(S_IFDIR | 0755);
	di->i_nlink = mmfs_le16(2);
	di->i_parent = mmfs_le32(MMFS_ROOT_INO);
	di->i_atime = di->i_mtime = di->i_ctime = mmfs_le64(p->now);
}

int mmfs_mkfs(struct block_device *bdev)
{
	u64 blocks = ((u64)bdev_nr_sectors(bdev) << SECTOR_SHIFT) >> MMFS_BLOCK_SHIFT;
	struct mkfs_plan p = { .now = mmfs_now_ns() };
	struct mmfs_super_block *s = &p.sb;
	u64 bb, ib, it, inode_bits = 2;
	int ret;

	if (blocks > MMFS_MAX_BLOCKS)
		blocks = MMFS_MAX_BLOCKS;
	p.inodes = (u32)(blocks / 4 < 32 ? 32 : blocks / 4);
	if (p.inodes > (1u << 30))
		p.inodes = 1u << 30;
	p.inodes = (p.inodes + MMFS_INODES_PER_BLOCK - 1) / MMFS_INODES_PER_BLOCK * MMFS_INODES_PER_BLOCK;
	bb = (blocks + MMFS_BITS_PER_BLOCK - 1) / MMFS_BITS_PER_BLOCK;
	ib = (p.inodes + MMFS_BITS_PER_BLOCK - 1) / MMFS_BITS_PER_BLOCK;
	it = p.inodes / MMFS_INODES_PER_BLOCK;
	p.first_data = 1 + bb + ib + it;
	if (p.first_data + 8 > blocks)
		return -ENOSPC;
	p.blocks = blocks;

	s->s_magic = mmfs_le32(MMFS_MAGIC);
	s->s_version = mmfs_le32(MMFS_VERSION);
	s->s_block_size = mmfs_le32(MMFS_BLOCK_SIZE);
	s->s_state = mmfs_le32(MMFS_STATE_CLEAN);
	s->s_blocks_count = mmfs_le64(blocks);
	s->s_free_blocks = mmfs_le64(blocks - p.first_data);
	s->s_inodes_count = mmfs_le32(p.inodes);
	s->s_free_inodes = mmfs_le32(p.inodes - 2);
	s->s_block_bitmap = mmfs_le32(1);
	s->s_block_bitmap_blocks = mmfs_le32((u32)bb);
	s->s_inode_bitmap = mmfs_le32((u32)(1 + bb));
	s->s_inode_bitmap_blocks = mmfs_le32((u32)ib);
	s->s_inode_table = mmfs_le32((u32)(1 + bb + ib));
	s->s_inode_table_blocks = mmfs_le32((u32)it);
	s->s_first_data_block = mmfs_le32((u32)p.first_data);
	s->s_root_ino = mmfs_le32(MMFS_ROOT_INO);
	s->s_mkfs_time = mmfs_le64(p.now);
	memcpy(s->s_volume_name, "mmfs", 5);

	ret = mkfs_write(bdev, 1, bb, fill_bitmap, &p.first_data);
	if (!ret)
		ret = mkfs_write(bdev, 1 + bb, ib, fill_bitmap, &inode_bits);
	if (!ret)
		ret = mkfs_write(bdev, 1 + bb + ib, 1, fill_root_inode, &p);
	if (!ret)	/* the super block last: a valid one means the rest is there */
		ret = mkfs_write(bdev, 0, 1, fill_super_block, &p);
	if (ret)
		return ret;
	pr_info("mmfs: mkfs.mmfs on %s: %llu blocks of 4096 bytes, %u inodes, first data block %llu\n",
		bdev->bd_disk->disk_name, (unsigned long long)blocks, p.inodes,
		(unsigned long long)p.first_data);
	return 0;
}

/* Read block 0 from the disk's bytes (nothing enters the disk's page cache). */
bool mmfs_probe(struct block_device *bdev)
{
	u64 disk_blocks = ((u64)bdev_nr_sectors(bdev) << SECTOR_SHIFT) >> MMFS_BLOCK_SHIFT;
	struct mmfs_super_block *ds;
	bool ok = false;

	if (disk_blocks < 16)
		return false;
	ds = malloc(sizeof(*ds));
	if (!ds)
		return false;
	if (pread(bdev->bd_disk->dev->fd, ds, sizeof(*ds), 0) == (ssize_t)sizeof(*ds))
		ok = mmfs_le32(ds->s_magic) == MMFS_MAGIC && mmfs_le32(ds->s_version) == MMFS_VERSION &&
		     mmfs_le32(ds->s_block_size) == MMFS_BLOCK_SIZE &&
		     mmfs_le64(ds->s_blocks_count) <= disk_blocks &&
		     mmfs_le32(ds->s_first_data_block) < mmfs_le64(ds->s_blocks_count);
	free(ds);
	return ok;
}
