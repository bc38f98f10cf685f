// SPDX-License-Identifier: GPL-2.0
/*
 * fs/mmfs/balloc.c - block and inode allocation from the bitmaps.
 *
 * Design.  Bit b of the block bitmap (block bb_start + b / 32768, byte
 * (b % 32768) / 8, bit b % 8) is set iff disk block b is in use: the
 * metadata blocks from mkfs, and every block some inode holds (data and
 * extent blocks).  Bit i of the inode bitmap is set iff inode i is in use
 * (0 is reserved, 1 is the root).  Allocation is contiguous-first: the
 * search starts at a goal (the block after the file's last one, else
 * where the previous allocation ended), takes the first free block found
 * and as many free blocks after it as asked for (up to the end of that
 * bitmap block), so that a file written sequentially gets long extents.
 *
 * Locking: sbi->alloc_lock (a writer-held rwsem used as a mutex) guards
 * both bitmaps, free_blocks, free_inodes and goal; it is taken with the
 * file's ext_lock held, and takes one bitmap folio lock at a time.
 * Invariants: free_blocks == the clear bits in [0, blocks_count);
 * free_inodes == the clear bits in [0, inodes_count) (checked by fsck).
 */
#include <errno.h>
#include <mmsim/printk.h>
#include "fs/mmfs/mmfs.h"

static inline bool bm_test(const unsigned char *b, u32 bit)
{
	return b[bit / 8] & (1u << (bit % 8));
}

static inline void bm_set(unsigned char *b, u32 bit)
{
	b[bit / 8] |= (unsigned char)(1u << (bit % 8));
}

static inline void bm_clear(unsigned char *b, u32 bit)
{
	b[bit / 8] &= (unsigned char)~(1u << (bit % 8));
}

/*
 * In the bitmap at @bm_start covering [0, @count), find the first clear bit
 * at or after @from in [@lo, @count), wrapping to @lo; set it and up to
 * @want - 1 clear bits after it in the same bitmap block.  0 or -ENOSPC.
 */
static int bm_alloc(struct mmfs_sb_info *sbi, u32 bm_start, u64 count, u64 lo, u64 from,
		    u32 want, u64 *first, u32 *got)
{
	u64 nblocks = (count + MMFS_BITS_PER_BLOCK - 1) / MMFS_BITS_PER_BLOCK;

	if (from < lo || from >= count)
		from = lo;
	for (u64 pass = 0; pass <= nblocks; pass++) {
		u64 bi = (from / MMFS_BITS_PER_BLOCK + pass) % nblocks;
		u64 base = bi * MMFS_BITS_PER_BLOCK;
		u64 bit = pass ? base : from;
		u64 end = base + MMFS_BITS_PER_BLOCK < count ? base + MMFS_BITS_PER_BLOCK : count;
		struct folio *folio;
		unsigned char *b;

		if (pass == nblocks)	/* back in the first block: the part before @from */
			end = from;
		if (bit < lo)
			bit = lo;
		if (bit >= end)
			continue;
		b = mmfs_bread(sbi, bm_start + bi, &folio);
		if (!b)
			return -EIO;
		while (bit < end) {
			u32 off = (u32)(bit - base);

			if (!(off % 8) && b[off / 8] == 0xff) {
				bit += 8;
				continue;
			}
			if (!bm_test(b, off))
				break;
			bit++;
		}
		if (bit < end) {
			u32 n = 0;
			u64 stop = base + MMFS_BITS_PER_BLOCK < count ? base + MMFS_BITS_PER_BLOCK : count;

			while (n < want && bit + n < stop && !bm_test(b, (u32)(bit + n - base))) {
				bm_set(b, (u32)(bit + n - base));
				n++;
			}
			mmfs_mark_meta_dirty(sbi, folio);
			mmfs_brelse(folio, b);
			*first = bit;
			*got = n;
			return 0;
		}
		mmfs_brelse(folio, b);
	}
	return -ENOSPC;
}

int mmfs_new_blocks(struct mmfs_sb_info *sbi, u64 goal, u32 want, u32 *start, u32 *got)
{
	u64 first;
	int ret;

	if (!want)
		return -EINVAL;
	down_write(&sbi->alloc_lock);
	if (!sbi->free_blocks) {
		up_write(&sbi->alloc_lock);
		return -ENOSPC;
	}
	if (!goal)
		goal = sbi->goal;
	ret = bm_alloc(sbi, sbi->bb_start, sbi->blocks_count, sbi->first_data, goal, want,
		       &first, got);
	if (!ret) {
		sbi->free_blocks -= *got;
		sbi->goal = first + *got;
		*start = (u32)first;
	}
	up_write(&sbi->alloc_lock);
	return ret;
}

void mmfs_free_blocks(struct mmfs_sb_info *sbi, u32 start, u32 len)
{
	u64 b = start, end = (u64)start + len;

	if (start < sbi->first_data || end > sbi->blocks_count) {
		pr_err("mmfs (%s): freeing blocks %u+%u outside the data area\n",
		       sbi->bdev->bd_disk->disk_name, start, len);
		return;
	}
	down_write(&sbi->alloc_lock);
	while (b < end) {
		u64 bi = b / MMFS_BITS_PER_BLOCK;
		struct folio *folio;
		unsigned char *bm = mmfs_bread(sbi, sbi->bb_start + bi, &folio);

		if (!bm)
			break;
		for (; b < end && b / MMFS_BITS_PER_BLOCK == bi; b++) {
			u32 off = (u32)(b % MMFS_BITS_PER_BLOCK);

			if (!bm_test(bm, off)) {
				pr_err("mmfs (%s): freeing free block %llu\n",
				       sbi->bdev->bd_disk->disk_name, (unsigned long long)b);
				continue;
			}
			bm_clear(bm, off);
			sbi->free_blocks++;
		}
		mmfs_mark_meta_dirty(sbi, folio);
		mmfs_brelse(folio, bm);
	}
	up_write(&sbi->alloc_lock);
}

int mmfs_new_ino(struct mmfs_sb_info *sbi, u32 *ino)
{
	u64 first;
	u32 got;
	int ret;

	down_write(&sbi->alloc_lock);
	if (!sbi->free_inodes) {
		up_write(&sbi->alloc_lock);
		return -ENOSPC;
	}
	ret = bm_alloc(sbi, sbi->ib_start, sbi->inodes_count, MMFS_ROOT_INO + 1, MMFS_ROOT_INO + 1,
		       1, &first, &got);
	if (!ret) {
		sbi->free_inodes--;
		*ino = (u32)first;
	}
	up_write(&sbi->alloc_lock);
	return ret;
}

void mmfs_free_ino(struct mmfs_sb_info *sbi, u32 ino)
{
	struct folio *folio;
	unsigned char *bm;

	if (ino <= MMFS_ROOT_INO || ino >= sbi->inodes_count)
		return;
	down_write(&sbi->alloc_lock);
	bm = mmfs_bread(sbi, sbi->ib_start + ino / MMFS_BITS_PER_BLOCK, &folio);
	if (bm) {
		if (bm_test(bm, ino % MMFS_BITS_PER_BLOCK)) {
			bm_clear(bm, ino % MMFS_BITS_PER_BLOCK);
			sbi->free_inodes++;
		} else {
			pr_err("mmfs (%s): freeing free inode %u\n", sbi->bdev->bd_disk->disk_name, ino);
		}
		mmfs_mark_meta_dirty(sbi, folio);
		mmfs_brelse(folio, bm);
	}
	up_write(&sbi->alloc_lock);
}

bool mmfs_test_bit(struct mmfs_sb_info *sbi, u32 start_block, u64 bit)
{
	struct folio *folio;
	unsigned char *bm = mmfs_bread(sbi, start_block + bit / MMFS_BITS_PER_BLOCK, &folio);
	bool set;

	if (!bm)
		return false;
	set = bm_test(bm, (u32)(bit % MMFS_BITS_PER_BLOCK));
	mmfs_brelse(folio, bm);
	return set;
}

static int bm_count_clear(struct mmfs_sb_info *sbi, u32 bm_start, u64 count, u64 *out)
{
	u64 clear = 0;

	for (u64 base = 0; base < count; base += MMFS_BITS_PER_BLOCK) {
		struct folio *folio;
		unsigned char *bm = mmfs_bread(sbi, bm_start + base / MMFS_BITS_PER_BLOCK, &folio);
		u64 n = count - base < MMFS_BITS_PER_BLOCK ? count - base : MMFS_BITS_PER_BLOCK;

		if (!bm)
			return -EIO;
		for (u32 i = 0; i < n; i++)
			if (!bm_test(bm, i))
				clear++;
		mmfs_brelse(folio, bm);
	}
	*out = clear;
	return 0;
}

int mmfs_count_free(struct mmfs_sb_info *sbi, u64 *free_blocks, u32 *free_inodes)
{
	u64 fi;
	int ret = bm_count_clear(sbi, sbi->bb_start, sbi->blocks_count, free_blocks);

	if (!ret)
		ret = bm_count_clear(sbi, sbi->ib_start, sbi->inodes_count, &fi);
	if (!ret)
		*free_inodes = (u32)fi;
	return ret;
}
