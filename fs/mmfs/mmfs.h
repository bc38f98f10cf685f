/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fs/mmfs/mmfs.h - what the files of fs/mmfs/ share: the on-disk format
 * (docs/mmfs.md has the byte tables), the in-core super block and inode,
 * and the helpers over the disk's page cache (block/bdev.c).
 *
 * Design.  Every metadata block (super block, bitmaps, inode table,
 * directory blocks, extent blocks) is read and written through the disk's
 * own page cache, bdev_inode(bdev)->i_mapping, one 4096-byte block at
 * offset (block << 12) of the disk; file data goes through the file's own
 * mapping and bios built by file.c.  A metadata block is accessed with
 * mmfs_bread() (the folio locked and uptodate) ... mmfs_brelse(); a
 * change marks it dirty (mmfs_mark_meta_dirty: filemap_dirty_folio of the
 * disk's mapping), and writeback or sync_fs writes it.
 *
 * Locking (outer to inner): the VFS's inode_lock (i_rwsem) of a directory
 * or file -> a data folio's lock -> mmfs_inode_info.ext_lock (the extent
 * list) -> mmfs_sb_info.alloc_lock (bitmaps and free counts) -> one
 * metadata folio's lock (never two at once).
 *
 * Invariants (mmfs_fsck checks them): see docs/mmfs.md "Invariants".
 */
#ifndef MMSIM_FS_MMFS_MMFS_H
#define MMSIM_FS_MMFS_MMFS_H

#include <stddef.h>
#include <string.h>
#include <mmsim/fs.h>
#include <mmsim/blkdev.h>
#include <mmsim/mm_types.h>
#include <mmsim/mm.h>
#include <mmsim/mmfs.h>
#include <mmsim/rmap.h>
#include <mmsim/rwsem.h>
#include <mmsim/highmem.h>

#if __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#define mmfs_le16(x)	__builtin_bswap16(x)
#define mmfs_le32(x)	__builtin_bswap32(x)
#define mmfs_le64(x)	__builtin_bswap64(x)
#else
#define mmfs_le16(x)	((u16)(x))
#define mmfs_le32(x)	((u32)(x))
#define mmfs_le64(x)	((u64)(x))
#endif

/* --- the on-disk format (little-endian, fixed width) ------------------ */

#define MMFS_MAGIC		0x53464d4du	/* "MMFS" as bytes on disk */
#define MMFS_EXT_MAGIC		0x5458454du	/* "MEXT": an extent block */
#define MMFS_VERSION		1
#define MMFS_BLOCK_SHIFT	12
#define MMFS_BLOCK_SIZE		(1u << MMFS_BLOCK_SHIFT)
#define MMFS_STATE_CLEAN	1u	/* unmounted cleanly */
#define MMFS_STATE_DIRTY	2u	/* mounted, or not unmounted cleanly */
#define MMFS_ROOT_INO		1u
#define MMFS_INODE_SIZE		128u
#define MMFS_INODES_PER_BLOCK	(MMFS_BLOCK_SIZE / MMFS_INODE_SIZE)
#define MMFS_INLINE_EXTENTS	4u
#define MMFS_BLOCK_EXTENTS	340u	/* in one extent block */
#define MMFS_MAX_EXTENTS	(MMFS_INLINE_EXTENTS + MMFS_BLOCK_EXTENTS)
#define MMFS_NAME_LEN		255u
#define MMFS_DIRENT_SIZE	264u
#define MMFS_DIRENTS_PER_BLOCK	(MMFS_BLOCK_SIZE / MMFS_DIRENT_SIZE)	/* 15 */
#define MMFS_BITS_PER_BLOCK	(MMFS_BLOCK_SIZE * 8)
#define MMFS_MAX_BLOCKS		0xffffffffull	/* block numbers are 32-bit */

struct mmfs_super_block {
	u32 s_magic;			/*   0 */
	u32 s_version;			/*   4 */
	u32 s_block_size;		/*   8 */
	u32 s_state;			/*  12: MMFS_STATE_* */
	u64 s_blocks_count;		/*  16 */
	u64 s_free_blocks;		/*  24 */
	u32 s_inodes_count;		/*  32: inode slots, slot 0 unused */
	u32 s_free_inodes;		/*  36 */
	u32 s_block_bitmap;		/*  40: first block */
	u32 s_block_bitmap_blocks;	/*  44 */
	u32 s_inode_bitmap;		/*  48 */
	u32 s_inode_bitmap_blocks;	/*  52 */
	u32 s_inode_table;		/*  56 */
	u32 s_inode_table_blocks;	/*  60 */
	u32 s_first_data_block;		/*  64 */
	u32 s_root_ino;			/*  68 */
	u64 s_mkfs_time;		/*  72: virtual ns */
	u64 s_mtime;			/*  80: last mount */
	u64 s_wtime;			/*  88: last super block write */
	u32 s_mnt_count;		/*  96 */
	u32 s_reserved0;		/* 100 */
	char s_volume_name[16];		/* 104 */
	u8 s_reserved[4096 - 120];	/* 120 */
} __attribute__((packed));

struct mmfs_extent {
	u32 e_lblk;			/* first file block */
	u32 e_start;			/* first disk block */
	u32 e_len;			/* blocks */
} __attribute__((packed));

struct mmfs_inode {
	u16 i_mode;			/*   0 */
	u16 i_nlink;			/*   2 */
	u32 i_flags;			/*   4 */
	u64 i_size;			/*   8 */
	u64 i_atime;			/*  16: ns */
	u64 i_mtime;			/*  24 */
	u64 i_ctime;			/*  32 */
	u32 i_blocks;			/*  40: disk blocks held (data + extent block) */
	u32 i_nr_extents;		/*  44 */
	u32 i_parent;			/*  48: a directory's parent */
	u32 i_extent_block;		/*  52: 0, or the extent block */
	struct mmfs_extent i_extents[MMFS_INLINE_EXTENTS];	/* 56 */
	u8 i_reserved[24];		/* 104 */
} __attribute__((packed));

struct mmfs_extent_block {
	u32 eb_magic;			/* MMFS_EXT_MAGIC */
	u32 eb_count;
	struct mmfs_extent eb_extents[MMFS_BLOCK_EXTENTS];
	u8 eb_reserved[8];
} __attribute__((packed));

struct mmfs_dirent {
	u32 d_ino;			/* 0: a free slot */
	u16 d_name_len;
	u8 d_type;			/* DT_REG, DT_DIR */
	u8 d_pad;
	char d_name[256];
} __attribute__((packed));

_Static_assert(sizeof(struct mmfs_super_block) == MMFS_BLOCK_SIZE, "super block");
_Static_assert(sizeof(struct mmfs_inode) == MMFS_INODE_SIZE, "inode");
_Static_assert(sizeof(struct mmfs_extent_block) == MMFS_BLOCK_SIZE, "extent block");
_Static_assert(sizeof(struct mmfs_dirent) == MMFS_DIRENT_SIZE, "dirent");

/* --- in core ------------------------------------------------------------ */

struct mmfs_sb_info {
	struct super_block *sb;
	struct block_device *bdev;
	struct address_space *meta;	/* bdev_inode(bdev)->i_mapping */
	u64 blocks_count;
	u32 inodes_count;
	u32 bb_start, bb_blocks, ib_start, ib_blocks, it_start, it_blocks, first_data;
	struct rw_semaphore alloc_lock;	/* bitmaps, free counts, goal (a mutex) */
	u64 free_blocks;
	u32 free_inodes;
	u64 goal;			/* where the next search starts */
	u64 mkfs_time, mtime;
	u32 mnt_count;
	bool was_unclean;		/* mounted with s_state not clean */
	bool sb_dirtied;		/* the on-disk state says dirty (first change done) */
	bool dirtying;			/* a CPU is marking it so */
	char volume_name[16];
};

/* An extent in host order. */
struct mmfs_ext {
	u32 lblk, start, len;
};

struct mmfs_inode_info {
	struct rw_semaphore ext_lock;	/* ext[], nr_ext, ext_block, nblocks */
	struct mmfs_ext *ext;		/* sorted by lblk, disjoint */
	u32 nr_ext, cap_ext;
	u32 ext_block;			/* on disk: the extent block, or 0 */
	u32 nblocks;			/* disk blocks held, ext_block included */
	u32 parent;			/* a directory's parent ino */
	bool live;			/* read from disk or made: eviction may free it */
	struct inode vfs_inode;
};

static inline struct mmfs_inode_info *MMFS_I(struct inode *inode)
{
	return (struct mmfs_inode_info *)((char *)inode - offsetof(struct mmfs_inode_info, vfs_inode));
}

static inline struct mmfs_sb_info *MMFS_SB(struct super_block *sb)
{
	return sb->s_fs_info;
}

static inline unsigned int mmfs_blocks_per_page(void)
{
	return (unsigned int)(PAGE_SIZE >> MMFS_BLOCK_SHIFT);
}

/* Atomic page-flag helpers (block/ and fs/ must not reach mm/'s). */
static inline bool mmfs_folio_test(struct folio *f, int bit)
{
	return (__atomic_load_n(&f->page.flags, __ATOMIC_ACQUIRE) >> bit) & 1;
}
static inline void mmfs_folio_set(struct folio *f, int bit)
{
	__atomic_fetch_or(&f->page.flags, 1UL << bit, __ATOMIC_RELEASE);
}
static inline void mmfs_folio_clear(struct folio *f, int bit)
{
	__atomic_fetch_and(&f->page.flags, ~(1UL << bit), __ATOMIC_RELEASE);
}

/* super.c: metadata blocks through the disk's page cache. */
void *mmfs_bread(struct mmfs_sb_info *sbi, u64 block, struct folio **foliop);
void *mmfs_bget_zero(struct mmfs_sb_info *sbi, u64 block, struct folio **foliop);
/* The same, but NULL rather than waiting for a folio lock or a read (writeback). */
void *mmfs_bread_nowait(struct mmfs_sb_info *sbi, u64 block, struct folio **foliop, bool nowait);
void *mmfs_bget_zero_nowait(struct mmfs_sb_info *sbi, u64 block, struct folio **foliop,
			    bool nowait);
void mmfs_mark_meta_dirty(struct mmfs_sb_info *sbi, struct folio *folio);
void mmfs_brelse(struct folio *folio, void *addr);
/* The in-core super block from its disk copy (no VFS objects needed): 0 or -EINVAL. */
int mmfs_load_super(struct mmfs_sb_info *sbi, struct block_device *bdev, bool silent);
int mmfs_write_super(struct mmfs_sb_info *sbi, u32 state);
u64 mmfs_now_ns(void);

/* mkfs.c */

/* balloc.c */
int mmfs_new_blocks(struct mmfs_sb_info *sbi, u64 goal, u32 want, u32 *start, u32 *got);
void mmfs_free_blocks(struct mmfs_sb_info *sbi, u32 start, u32 len);
int mmfs_new_ino(struct mmfs_sb_info *sbi, u32 *ino);
void mmfs_free_ino(struct mmfs_sb_info *sbi, u32 ino);
bool mmfs_test_bit(struct mmfs_sb_info *sbi, u32 start_block, u64 bit);
int mmfs_count_free(struct mmfs_sb_info *sbi, u64 *free_blocks, u32 *free_inodes);

/* inode.c */
struct inode *mmfs_alloc_inode(struct super_block *sb);
void mmfs_destroy_inode(struct inode *inode);
int mmfs_read_inode(struct inode *inode);		/* fills an inode from disk */
int mmfs_write_inode_raw(struct inode *inode);	/* writes its 128 bytes and extents */
struct inode *mmfs_iget(struct super_block *sb, unsigned long ino);
int mmfs_write_inode(struct inode *inode, struct writeback_control *wbc);
void mmfs_evict_inode(struct inode *inode);
int mmfs_setattr(struct dentry *dentry, struct iattr *attr);
int mmfs_getattr(const struct dentry *dentry, struct kstat *stat);
/* Extents: the disk block of file block @lblk (0: a hole) and how many follow it
 * contiguously (*run); caller holds ext_lock. */
u32 mmfs_map_block(struct mmfs_inode_info *ii, u32 lblk, u32 *run);
/* Map [lblk, lblk + n), allocating the holes near @goal; ext_lock held for writing. */
int mmfs_alloc_range(struct inode *inode, u32 lblk, u32 n);
/* Free every block at or past file block @lblk; ext_lock held for writing. */
void mmfs_truncate_blocks(struct inode *inode, u32 lblk);
void mmfs_read_raw_inode(struct mmfs_sb_info *sbi, u32 ino, struct mmfs_inode *out);
/* A new inode of @mode in directory @dir (not yet linked): ERR_PTR(-ENOSPC)... */
struct inode *mmfs_new_inode(struct inode *dir, umode_t mode);
void mmfs_set_inode_ops(struct inode *inode);
void mmfs_inode_times_to_disk(struct inode *inode, struct mmfs_inode *di);

/* dir.c */
extern const struct inode_operations mmfs_dir_inode_operations;
extern const struct file_operations mmfs_dir_operations;
/* Find @name in @dir: its ino, or 0. */
u32 mmfs_find_entry(struct inode *dir, const char *name, unsigned int len, u8 *type);
int mmfs_add_entry(struct inode *dir, const char *name, unsigned int len, u32 ino, u8 type);
int mmfs_delete_entry(struct inode *dir, const char *name, unsigned int len);
bool mmfs_dir_is_empty(struct inode *dir);
/* Call @fn for every entry of @dir (slot number, entry); stop when it returns false. */
int mmfs_for_each_entry(struct inode *dir,
			bool (*fn)(void *arg, u64 slot, const struct mmfs_dirent *de), void *arg);

/* file.c */
extern const struct address_space_operations mmfs_aops;
extern const struct file_operations mmfs_file_operations;
extern const struct inode_operations mmfs_file_inode_operations;

/* super.c */
int mmfs_fill_super(struct super_block *sb, void *data, int silent);
extern struct file_system_type mmfs_fs_type;

#endif
