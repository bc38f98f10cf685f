// SPDX-License-Identifier: GPL-2.0
/*
 * fs/mmfs/fsck.c - mmfs_fsck: the file system's invariant checker (what
 * e2fsck -n does, on a mounted file system, through the disk's page
 * cache, where every metadata change lands at once).
 *
 * Design.  Walk the tree from the root directory, breadth first; for each
 * inode reached check its slot (bitmap bit set, mode, extents sorted,
 * disjoint, inside the data area, the extent block's header, i_blocks ==
 * its blocks, the size within the extents), claim each of its blocks in a
 * host bitmap (a block claimed twice is in two files), count the
 * references to it; for each directory check its entries (names 1..255
 * bytes, no '/' or NUL, unique; inode in use; type right; a
 * subdirectory's i_parent is this directory, and it is reached once).
 * Then: i_nlink == references (a file: its entries; a directory: 2 + its
 * subdirectories), in-use inodes nobody references are open-but-unlinked
 * (i_nlink 0) ones only, the block bitmap equals the claimed blocks plus
 * the metadata area, the inode bitmap equals the inodes found, and the
 * in-core free counts equal the bitmaps' clear bits.
 *
 * Locking: it holds sbi->alloc_lock for reading throughout (no
 * allocation or free runs meanwhile); the caller keeps the tree still
 * (tests call it between steps).  It writes nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/printk.h>
#include "fs/mmfs/mmfs.h"

#define FSCK_MAX_REPORTS	20

struct fsck {
	struct mmfs_sb_info *sbi;
	unsigned char *claimed;		/* blocks */
	unsigned char *found;		/* inodes reached */
	u32 *refs;			/* references per inode */
	u32 *queue;			/* directories to walk */
	u32 qhead, qtail;
	unsigned int errors;
};

static bool bit(const unsigned char *b, u64 i) { return b[i / 8] & (1u << (i % 8)); }
static void setbit(unsigned char *b, u64 i) { b[i / 8] |= (unsigned char)(1u << (i % 8)); }

#define fsck_err(f, fmt, ...)							\
	do {									\
		if ((f)->errors++ < FSCK_MAX_REPORTS)				\
			pr_err("mmfs_fsck: %s: " fmt "\n",			\
			       (f)->sbi->bdev->bd_disk->disk_name, ##__VA_ARGS__); \
	} while (0)

static void claim(struct fsck *f, u32 ino, u64 start, u64 len)
{
	struct mmfs_sb_info *sbi = f->sbi;

	if (start < sbi->first_data || start + len > sbi->blocks_count || !len) {
		fsck_err(f, "inode %u: blocks %llu+%llu outside the data area", ino,
			 (unsigned long long)start, (unsigned long long)len);
		return;
	}
	for (u64 b = start; b < start + len; b++) {
		if (bit(f->claimed, b))
			fsck_err(f, "inode %u: block %llu is in two files", ino, (unsigned long long)b);
		setbit(f->claimed, b);
	}
}

/* Check inode @ino's slot and claim its blocks; its extents in *ext (malloc'd). */
static bool check_inode(struct fsck *f, u32 ino, struct mmfs_inode *di, struct mmfs_ext **ext,
			u32 *nr)
{
	struct mmfs_sb_info *sbi = f->sbi;
	u32 n, eb, blocks = 0;
	u64 size;
	struct mmfs_ext *e;

	*ext = NULL;
	*nr = 0;
	if (!mmfs_test_bit(sbi, sbi->ib_start, ino))
		fsck_err(f, "inode %u: in use but free in the inode bitmap", ino);
	mmfs_read_raw_inode(sbi, ino, di);
	if (!S_ISDIR(mmfs_le16(di->i_mode)) && !S_ISREG(mmfs_le16(di->i_mode))) {
		fsck_err(f, "inode %u: bad mode %o", ino, mmfs_le16(di->i_mode));
		return false;
	}
	n = mmfs_le32(di->i_nr_extents);
	eb = mmfs_le32(di->i_extent_block);
	if (n > MMFS_MAX_EXTENTS || (n > MMFS_INLINE_EXTENTS) != (eb != 0)) {
		fsck_err(f, "inode %u: %u extents, extent block %u", ino, n, eb);
		return false;
	}
	e = calloc(n ? n : 1, sizeof(*e));
	for (u32 i = 0; i < n && i < MMFS_INLINE_EXTENTS; i++)
		e[i] = (struct mmfs_ext){ mmfs_le32(di->i_extents[i].e_lblk),
					  mmfs_le32(di->i_extents[i].e_start),
					  mmfs_le32(di->i_extents[i].e_len) };
	if (eb) {
		struct folio *folio;
		struct mmfs_extent_block *b;

		claim(f, ino, eb, 1);
		blocks++;
		b = eb < sbi->blocks_count ? mmfs_bread(sbi, eb, &folio) : NULL;
		if (!b || mmfs_le32(b->eb_magic) != MMFS_EXT_MAGIC ||
		    mmfs_le32(b->eb_count) != n - MMFS_INLINE_EXTENTS) {
			fsck_err(f, "inode %u: bad extent block %u", ino, eb);
			if (b)
				mmfs_brelse(folio, b);
			free(e);
			return false;
		}
		for (u32 i = MMFS_INLINE_EXTENTS; i < n; i++) {
			const struct mmfs_extent *x = &b->eb_extents[i - MMFS_INLINE_EXTENTS];

			e[i] = (struct mmfs_ext){ mmfs_le32(x->e_lblk), mmfs_le32(x->e_start),
						  mmfs_le32(x->e_len) };
		}
		mmfs_brelse(folio, b);
	}
	size = mmfs_le64(di->i_size);
	for (u32 i = 0; i < n; i++) {
		u64 end = (u64)e[i].lblk + e[i].len;
		u64 limit = S_ISDIR(mmfs_le16(di->i_mode)) ? size >> MMFS_BLOCK_SHIFT :
			    ((size + PAGE_SIZE - 1) >> PAGE_SHIFT) * mmfs_blocks_per_page();

		if (!e[i].len || (i && e[i].lblk < (u64)e[i - 1].lblk + e[i - 1].len))
			fsck_err(f, "inode %u: extent %u (%u+%u) overlaps or is empty", ino, i,
				 e[i].lblk, e[i].len);
		if (end > limit)
			fsck_err(f, "inode %u: extent %u ends at block %llu, past its size %llu", ino,
				 i, (unsigned long long)end, (unsigned long long)size);
		claim(f, ino, e[i].start, e[i].len);
		blocks += e[i].len;
	}
	if (blocks != mmfs_le32(di->i_blocks))
		fsck_err(f, "inode %u: i_blocks %u, holds %u", ino, mmfs_le32(di->i_blocks), blocks);
	if (S_ISDIR(mmfs_le16(di->i_mode)) && (size % MMFS_BLOCK_SIZE ||
					      blocks - (eb ? 1 : 0) != size / MMFS_BLOCK_SIZE))
		fsck_err(f, "directory %u: size %llu but %u blocks", ino, (unsigned long long)size,
			 blocks);
	*ext = e;
	*nr = n;
	return true;
}

struct dir_walk {
	struct fsck *f;
	u32 dir;
	u32 subdirs;
	struct mmfs_dirent *names;	/* seen so far, for uniqueness */
	u32 nnames, cap;
};

static bool check_entry(void *arg, u64 slot, const struct mmfs_dirent *de)
{
	struct dir_walk *w = arg;
	struct fsck *f = w->f;
	u32 ino = mmfs_le32(de->d_ino), len = mmfs_le16(de->d_name_len);
	struct mmfs_inode di;

	if (!len || len > MMFS_NAME_LEN || memchr(de->d_name, '/', len) ||
	    memchr(de->d_name, '\0', len)) {
		fsck_err(f, "directory %u slot %llu: bad name", w->dir, (unsigned long long)slot);
		return true;
	}
	for (u32 i = 0; i < w->nnames; i++)
		if (mmfs_le16(w->names[i].d_name_len) == len &&
		    !memcmp(w->names[i].d_name, de->d_name, len))
			fsck_err(f, "directory %u: name '%.*s' twice", w->dir, (int)len, de->d_name);
	if (w->nnames == w->cap) {
		w->cap = w->cap ? w->cap * 2 : 16;
		w->names = realloc(w->names, w->cap * sizeof(*w->names));
	}
	w->names[w->nnames++] = *de;
	if (ino <= MMFS_ROOT_INO || ino >= f->sbi->inodes_count) {
		fsck_err(f, "directory %u: '%.*s' names bad inode %u", w->dir, (int)len, de->d_name, ino);
		return true;
	}
	f->refs[ino]++;
	mmfs_read_raw_inode(f->sbi, ino, &di);
	if ((de->d_type == DT_DIR) != S_ISDIR(mmfs_le16(di.i_mode)))
		fsck_err(f, "directory %u: '%.*s' type %u, inode %u mode %o", w->dir, (int)len,
			 de->d_name, de->d_type, ino, mmfs_le16(di.i_mode));
	if (S_ISDIR(mmfs_le16(di.i_mode))) {
		w->subdirs++;
		if (mmfs_le32(di.i_parent) != w->dir)
			fsck_err(f, "directory %u: parent %u, but found in %u", ino,
				 mmfs_le32(di.i_parent), w->dir);
		if (bit(f->found, ino)) {
			fsck_err(f, "directory %u reached twice", ino);
			return true;
		}
		setbit(f->found, ino);
		f->queue[f->qtail++] = ino;
	}
	return true;
}

/* Walk directory @ino; files it names are checked as they are first reached. */
static void walk_dir(struct fsck *f, struct inode *fake, u32 ino)
{
	struct mmfs_inode_info *ii = MMFS_I(fake);
	struct dir_walk w = { .f = f, .dir = ino };
	struct mmfs_inode di;
	struct mmfs_ext *ext;
	u32 nr;

	if (!check_inode(f, ino, &di, &ext, &nr))
		return;
	if (!S_ISDIR(mmfs_le16(di.i_mode))) {
		fsck_err(f, "inode %u: not a directory", ino);
		free(ext);
		return;
	}
	/* A throwaway in-core inode to read the entries with dir.c's walker. */
	ii->ext = ext;
	ii->nr_ext = nr;
	ii->cap_ext = nr;
	i_size_write(fake, (loff_t)mmfs_le64(di.i_size));
	mmfs_for_each_entry(fake, check_entry, &w);
	ii->ext = NULL;
	free(ext);
	if (mmfs_le16(di.i_nlink) != 2 + w.subdirs)
		fsck_err(f, "directory %u: i_nlink %u, has %u subdirectories", ino,
			 mmfs_le16(di.i_nlink), w.subdirs);
	/* The files it names: checked once each. */
	for (u32 i = 0; i < w.nnames; i++) {
		u32 c = mmfs_le32(w.names[i].d_ino);
		struct mmfs_inode cd;

		if (c <= MMFS_ROOT_INO || c >= f->sbi->inodes_count || bit(f->found, c))
			continue;
		mmfs_read_raw_inode(f->sbi, c, &cd);
		if (S_ISDIR(mmfs_le16(cd.i_mode)))
			continue;
		setbit(f->found, c);
		if (check_inode(f, c, &cd, &ext, &nr))
			free(ext);
	}
	free(w.names);
}

bool mmfs_fsck(struct super_block *sb)
{
	struct mmfs_sb_info *sbi = sb ? MMFS_SB(sb) : NULL;
	struct fsck f = { .sbi = sbi };
	struct mmfs_inode_info *fake;
	u64 free_blocks = 0;
	u32 free_inodes = 0;

	if (!sbi)
		return false;
	fake = calloc(1, sizeof(*fake));
	f.claimed = calloc((size_t)(sbi->blocks_count / 8 + 1), 1);
	f.found = calloc(sbi->inodes_count / 8 + 1, 1);
	f.refs = calloc(sbi->inodes_count, sizeof(u32));
	f.queue = calloc(sbi->inodes_count, sizeof(u32));
	init_rwsem(&fake->ext_lock);
	fake->vfs_inode.i_sb = sb;

	down_read(&sbi->alloc_lock);
	for (u64 b = 0; b < sbi->first_data; b++)
		setbit(f.claimed, b);
	setbit(f.found, 0);
	setbit(f.found, MMFS_ROOT_INO);
	f.queue[f.qtail++] = MMFS_ROOT_INO;
	while (f.qhead < f.qtail)
		walk_dir(&f, &fake->vfs_inode, f.queue[f.qhead++]);

	for (u32 ino = MMFS_ROOT_INO + 1; ino < sbi->inodes_count; ino++) {
		bool used = mmfs_test_bit(sbi, sbi->ib_start, ino);
		struct mmfs_inode di;

		if (!used) {
			free_inodes++;
			if (bit(f.found, ino))
				fsck_err(&f, "inode %u: reached but free in the inode bitmap", ino);
			continue;
		}
		mmfs_read_raw_inode(sbi, ino, &di);
		if (!bit(f.found, ino)) {
			struct mmfs_ext *ext;
			u32 nr;

			/* Open but unlinked: i_nlink 0, its blocks still its own. */
			if (mmfs_le16(di.i_nlink) != 0 || !mmfs_le16(di.i_mode)) {
				fsck_err(&f, "inode %u: in use (nlink %u) but in no directory", ino,
					 mmfs_le16(di.i_nlink));
				continue;
			}
			if (check_inode(&f, ino, &di, &ext, &nr))
				free(ext);
			continue;
		}
		if (!S_ISDIR(mmfs_le16(di.i_mode)) && mmfs_le16(di.i_nlink) != f.refs[ino])
			fsck_err(&f, "inode %u: i_nlink %u, %u directory entries", ino,
				 mmfs_le16(di.i_nlink), f.refs[ino]);
		if (S_ISDIR(mmfs_le16(di.i_mode)) && f.refs[ino] != 1)
			fsck_err(&f, "directory %u: %u entries name it", ino, f.refs[ino]);
	}
	if (!mmfs_test_bit(sbi, sbi->ib_start, 0) || !mmfs_test_bit(sbi, sbi->ib_start, MMFS_ROOT_INO))
		fsck_err(&f, "inodes 0 and 1 must be in use in the inode bitmap");

	for (u64 b = 0; b < sbi->blocks_count; b += MMFS_BITS_PER_BLOCK) {
		struct folio *folio;
		unsigned char *bm = mmfs_bread(sbi, sbi->bb_start + b / MMFS_BITS_PER_BLOCK, &folio);
		u64 n = sbi->blocks_count - b < MMFS_BITS_PER_BLOCK ? sbi->blocks_count - b :
								       MMFS_BITS_PER_BLOCK;

		if (!bm) {
			fsck_err(&f, "can't read the block bitmap");
			break;
		}
		for (u64 i = 0; i < n; i++) {
			bool used = bit(bm, i), want = bit(f.claimed, b + i);

			if (!used)
				free_blocks++;
			if (used != want)
				fsck_err(&f, "block %llu: %s in the bitmap but %s",
					 (unsigned long long)(b + i), used ? "used" : "free",
					 want ? "in use" : "in no file");
		}
		mmfs_brelse(folio, bm);
	}
	if (free_blocks != sbi->free_blocks)
		fsck_err(&f, "free blocks count %llu, the bitmap has %llu",
			 (unsigned long long)sbi->free_blocks, (unsigned long long)free_blocks);
	if (free_inodes != sbi->free_inodes)
		fsck_err(&f, "free inodes count %u, the bitmap has %u", sbi->free_inodes, free_inodes);
	up_read(&sbi->alloc_lock);

	if (f.errors > FSCK_MAX_REPORTS)
		pr_err("mmfs_fsck: %s: %u more problems\n", sbi->bdev->bd_disk->disk_name,
		       f.errors - FSCK_MAX_REPORTS);
	destroy_rwsem(&fake->ext_lock);
	free(fake);
	free(f.claimed);
	free(f.found);
	free(f.refs);
	free(f.queue);
	return f.errors == 0;
}
