// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_mmfs.c - fs/mmfs/ and block/bdev.c: the disk file system's
 * own layer, below the VFS (mkfs at boot and its layout; allocation from
 * the bitmaps, contiguous-first; directory entries; extents spilling into
 * an extent block and back; unlink and truncation freeing blocks; ENOSPC
 * on a small disk; a disk=FILE image kept across shutdown and boot; the
 * disk's page cache counted as Buffers), with mmfs_fsck after every step
 * and a corruption it must catch.  The whole path through the VFS and the
 * page cache is tests/test_mmfs_vfs.c.  These boot with rootfstype=tmpfs:
 * the disk is not mounted by the VFS, only by this test's own view of it.
 */
#include <unistd.h>
#include <stdio.h>
#include <mmsim/blkdev.h>
#include <mmsim/mmfs.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include "fs/mmfs/mmfs.h"
#include "mmtest.h"

/* A super block of the root disk with only mmfs's own part (no VFS). */
static struct super_block *core_mount(struct mmsim *m)
{
	struct super_block *sb = calloc(1, sizeof(*sb));
	struct mmfs_sb_info *sbi = calloc(1, sizeof(*sbi));

	sb->s_bdev = mmsim_root_bdev(m);
	sbi->sb = sb;
	if (mmfs_load_super(sbi, sb->s_bdev, false)) {
		free(sbi);
		free(sb);
		return NULL;
	}
	sb->s_fs_info = sbi;
	return sb;
}

static void core_umount(struct super_block *sb)
{
	struct mmfs_sb_info *sbi = MMFS_SB(sb);

	mmfs_write_super(sbi, MMFS_STATE_CLEAN);
	sync_blockdev(sbi->bdev);
	free(sbi);
	free(sb);
}

static struct inode *core_inode(struct super_block *sb, u32 ino)
{
	struct inode *inode = mmfs_alloc_inode(sb);

	inode->i_sb = sb;
	inode->i_ino = ino;
	inode->i_mapping = &inode->i_data;
	address_space_init_once(&inode->i_data);
	inode->i_data.host = inode;
	return inode;
}

static struct inode *core_iget(struct super_block *sb, u32 ino)
{
	struct inode *inode = core_inode(sb, ino);

	if (mmfs_read_inode(inode)) {
		mmfs_destroy_inode(inode);
		return NULL;
	}
	return inode;
}

static void core_put(struct inode *inode)
{
	mmfs_destroy_inode(inode);
}

/* A new inode named @name in @dir (what create/mkdir do, without dentries). */
static struct inode *core_create(struct super_block *sb, struct inode *dir, const char *name,
				 umode_t mode)
{
	struct mmfs_sb_info *sbi = MMFS_SB(sb);
	struct inode *inode;
	u32 ino;

	if (mmfs_new_ino(sbi, &ino))
		return NULL;
	inode = core_inode(sb, ino);
	inode->i_mode = mode;
	inode->i_nlink = S_ISDIR(mode) ? 2 : 1;
	MMFS_I(inode)->parent = (u32)dir->i_ino;
	KT_EQ(mmfs_write_inode_raw(inode), 0);
	KT_EQ(mmfs_add_entry(dir, name, (unsigned int)strlen(name), ino,
			     S_ISDIR(mode) ? DT_DIR : DT_REG), 0);
	if (S_ISDIR(mode)) {
		dir->i_nlink++;
		mmfs_write_inode_raw(dir);
	}
	return inode;
}

/* unlink + the last iput of an unlinked inode. */
static void core_remove(struct super_block *sb, struct inode *dir, const char *name,
			struct inode *inode)
{
	struct mmfs_inode_info *ii = MMFS_I(inode);

	KT_EQ(mmfs_delete_entry(dir, name, (unsigned int)strlen(name)), 0);
	if (S_ISDIR(inode->i_mode)) {
		dir->i_nlink--;
		mmfs_write_inode_raw(dir);
	}
	inode->i_nlink = 0;
	down_write(&ii->ext_lock);
	i_size_write(inode, 0);
	mmfs_truncate_blocks(inode, 0);
	up_write(&ii->ext_lock);
	inode->i_mode = 0;
	mmfs_write_inode_raw(inode);
	mmfs_free_ino(MMFS_SB(sb), (u32)inode->i_ino);
	core_put(inode);
}

static int grow(struct inode *inode, u32 lblk, u32 n)
{
	struct mmfs_inode_info *ii = MMFS_I(inode);
	int ret;

	down_write(&ii->ext_lock);
	ret = mmfs_alloc_range(inode, lblk, n);
	up_write(&ii->ext_lock);
	if ((u64)(lblk + n) * MMFS_BLOCK_SIZE > (u64)i_size_read(inode)) {
		i_size_write(inode, (loff_t)(lblk + n) * MMFS_BLOCK_SIZE);
		mmfs_write_inode_raw(inode);
	}
	return ret;
}

static void shrink(struct inode *inode, u32 nblocks)
{
	struct mmfs_inode_info *ii = MMFS_I(inode);

	down_write(&ii->ext_lock);
	i_size_write(inode, (loff_t)nblocks * MMFS_BLOCK_SIZE);
	mmfs_truncate_blocks(inode, nblocks);
	up_write(&ii->ext_lock);
	mmfs_write_inode_raw(inode);
}

static bool has_name(void *arg, u64 slot, const struct mmfs_dirent *de)
{
	char **names = arg;

	(void)slot;
	for (int i = 0; names[i]; i++)
		if (strlen(names[i]) == mmfs_le16(de->d_name_len) &&
		    !memcmp(names[i], de->d_name, mmfs_le16(de->d_name_len)))
			names[i] = "";
	return true;
}

static void test_mkfs_layout(void)
{
	struct mmsim *m = boot_or_die("ram=128M disk=64M rootfstype=tmpfs");
	size_t mark = 0;
	char *log = log_since(m, &mark);
	struct super_block *sb;
	struct mmfs_sb_info *sbi;
	struct inode *root;

	KT_STR_CONTAINS(log, "mmfs: mkfs.mmfs on vda: 16384 blocks of 4096 bytes, 4096 inodes, "
			"first data block 131\n");
	free(log);
	KT_ASSERT(mmfs_probe(mmsim_root_bdev(m)));
	sb = core_mount(m);
	KT_ASSERT(sb);
	sbi = MMFS_SB(sb);
	KT_EQ(sbi->blocks_count, 16384);
	KT_EQ(sbi->inodes_count, 4096);
	KT_EQ(sbi->bb_start, 1);
	KT_EQ(sbi->ib_start, 2);
	KT_EQ(sbi->it_start, 3);
	KT_EQ(sbi->it_blocks, 128);
	KT_EQ(sbi->first_data, 131);
	KT_EQ(sbi->free_blocks, 16384 - 131);
	KT_EQ(sbi->free_inodes, 4094);
	KT_ASSERT(mmfs_fsck(sb));
	root = core_iget(sb, MMFS_ROOT_INO);
	KT_ASSERT(root && S_ISDIR(root->i_mode));
	KT_EQ(root->i_nlink, 2);
	KT_EQ(i_size_read(root), 0);
	core_put(root);
	/* The metadata read so far sits in the disk's page cache: Buffers. */
	KT_ASSERT(nr_blockdev_pages() > 0);
	KT_EQ(nr_blockdev_pages(), atomic_long_read(&bdev_inode(mmsim_root_bdev(m))->i_data.nrpages));
	log = mmsim_read(m, "/proc/meminfo");
	KT_ASSERT(log && strstr(log, "Buffers:"));
	free(log);
	core_umount(sb);
	mmsim_shutdown(m);
}

static void test_files_dirs_unlink(void)
{
	struct mmsim *m = boot_or_die("ram=128M disk=64M rootfstype=tmpfs");
	struct super_block *sb = core_mount(m);
	struct mmfs_sb_info *sbi = MMFS_SB(sb);
	struct inode *root = core_iget(sb, MMFS_ROOT_INO), *a, *b, *d, *x;
	u64 free0 = sbi->free_blocks;
	u32 run;
	char *names[] = { "a", "b", "d", NULL };

	a = core_create(sb, root, "a", S_IFREG | 0644);
	KT_ASSERT(mmfs_fsck(sb));
	b = core_create(sb, root, "b", S_IFREG | 0644);
	d = core_create(sb, root, "d", S_IFDIR | 0755);
	KT_ASSERT(mmfs_fsck(sb));
	x = core_create(sb, d, "x", S_IFREG | 0600);
	KT_ASSERT(a && b && d && x);
	KT_EQ(root->i_nlink, 3);
	KT_EQ(i_size_read(root), 4096);		/* one directory block */
	KT_EQ(free0 - sbi->free_blocks, 2);	/* root's and d's blocks */
	KT_ASSERT(mmfs_fsck(sb));

	/* Lookups, duplicate names, readdir's walk. */
	KT_EQ(mmfs_find_entry(root, "a", 1, NULL), a->i_ino);
	KT_EQ(mmfs_find_entry(root, "x", 1, NULL), 0);
	KT_EQ(mmfs_find_entry(d, "x", 1, NULL), x->i_ino);
	KT_EQ(mmfs_add_entry(root, "a", 1, (u32)b->i_ino, DT_REG), -EEXIST);
	mmfs_for_each_entry(root, has_name, names);
	KT_ASSERT(!*names[0] && !*names[1] && !*names[2]);
	KT_ASSERT(!mmfs_dir_is_empty(d));

	/* Contiguous-first: two files written in turns still get one extent each
	 * per run, and appending extends the last extent. */
	KT_EQ(grow(a, 0, 100), 0);
	KT_EQ(MMFS_I(a)->nr_ext, 1);
	KT_EQ(grow(a, 100, 50), 0);
	KT_EQ(MMFS_I(a)->nr_ext, 1);
	KT_EQ(grow(b, 0, 30), 0);
	KT_ASSERT(mmfs_fsck(sb));
	KT_ASSERT(mmfs_map_block(MMFS_I(a), 0, &run) != 0);
	KT_EQ(run, 150);
	KT_EQ(a->i_blocks, 150 * 8);
	KT_EQ(free0 - sbi->free_blocks, 2 + 150 + 30);

	/* A hole stays a hole. */
	KT_EQ(grow(x, 10, 1), 0);
	KT_EQ(mmfs_map_block(MMFS_I(x), 3, &run), 0);
	KT_EQ(run, 7);
	KT_ASSERT(mmfs_fsck(sb));

	/* Truncation frees the tail, unlink frees everything. */
	shrink(a, 20);
	KT_EQ(free0 - sbi->free_blocks, 2 + 20 + 30 + 1);
	KT_ASSERT(mmfs_fsck(sb));
	core_remove(sb, root, "a", a);
	KT_ASSERT(mmfs_fsck(sb));
	core_remove(sb, d, "x", x);
	KT_ASSERT(mmfs_dir_is_empty(d));
	core_remove(sb, root, "d", d);
	KT_EQ(root->i_nlink, 2);
	KT_ASSERT(mmfs_fsck(sb));
	core_remove(sb, root, "b", b);
	KT_ASSERT(mmfs_fsck(sb));
	KT_EQ(sbi->free_blocks, free0 - 1);	/* the root keeps its block */
	KT_EQ(sbi->free_inodes, 4094);
	KT_ASSERT(mmfs_dir_is_empty(root));
	core_put(root);
	core_umount(sb);
	mmsim_shutdown(m);
}

static void test_extent_block(void)
{
	struct mmsim *m = boot_or_die("ram=128M disk=64M rootfstype=tmpfs");
	struct super_block *sb = core_mount(m);
	struct mmfs_sb_info *sbi = MMFS_SB(sb);
	struct inode *root = core_iget(sb, MMFS_ROOT_INO);
	struct inode *f = core_create(sb, root, "frag", S_IFREG | 0644);
	struct inode *g = core_create(sb, root, "gap", S_IFREG | 0644);
	struct inode *again;
	u64 free0;

	/* Interleaved single blocks: every block of f is its own extent. */
	for (u32 i = 0; i < 12; i++) {
		KT_EQ(grow(f, i, 1), 0);
		KT_EQ(grow(g, i, 1), 0);
	}
	KT_EQ(MMFS_I(f)->nr_ext, 12);
	KT_ASSERT(MMFS_I(f)->ext_block != 0);
	KT_EQ(MMFS_I(f)->nblocks, 13);
	KT_ASSERT(mmfs_fsck(sb));
	/* Read back from the disk's cache: the same 12 extents. */
	again = core_iget(sb, (u32)f->i_ino);
	KT_ASSERT(again);
	KT_EQ(MMFS_I(again)->nr_ext, 12);
	for (u32 i = 0; i < 12; i++)
		KT_EQ(mmfs_map_block(MMFS_I(again), i, NULL), mmfs_map_block(MMFS_I(f), i, NULL));
	core_put(again);
	free0 = sbi->free_blocks;
	shrink(f, 3);				/* 3 extents: inline again */
	KT_EQ(MMFS_I(f)->ext_block, 0);
	KT_EQ(sbi->free_blocks - free0, 9 + 1);
	KT_ASSERT(mmfs_fsck(sb));
	core_remove(sb, root, "frag", f);
	core_remove(sb, root, "gap", g);
	KT_ASSERT(mmfs_fsck(sb));
	core_put(root);
	core_umount(sb);
	mmsim_shutdown(m);
}

static void test_enospc_small_disk(void)
{
	struct mmsim *m = boot_or_die("ram=128M disk=1M rootfstype=tmpfs");
	struct super_block *sb = core_mount(m);
	struct mmfs_sb_info *sbi = MMFS_SB(sb);
	struct inode *root = core_iget(sb, MMFS_ROOT_INO), *f, *files[80];
	u64 free0;
	int n = 0;

	KT_EQ(sbi->blocks_count, 256);
	KT_EQ(sbi->inodes_count, 64);
	f = core_create(sb, root, "big", S_IFREG | 0644);
	free0 = sbi->free_blocks;
	KT_EQ(grow(f, 0, 1000), -ENOSPC);
	KT_EQ(sbi->free_blocks, 0);
	KT_EQ(MMFS_I(f)->nblocks, free0);
	KT_ASSERT(mmfs_fsck(sb));
	{
		u32 s, got;

		KT_EQ(mmfs_new_blocks(sbi, 0, 1, &s, &got), -ENOSPC);
	}
	shrink(f, 0);
	KT_EQ(sbi->free_blocks, free0);
	KT_ASSERT(mmfs_fsck(sb));
	/* Inodes run out too: 64 slots, 0 and the root taken, "big" one more. */
	for (n = 0; n < 80; n++) {
		char name[16];

		snprintf(name, sizeof(name), "f%d", n);
		files[n] = core_create(sb, root, name, S_IFREG | 0644);
		if (!files[n])
			break;
	}
	KT_EQ(n, 61);
	KT_EQ(sbi->free_inodes, 0);
	KT_ASSERT(mmfs_fsck(sb));
	for (int i = 0; i < n; i++) {
		char name[16];

		snprintf(name, sizeof(name), "f%d", i);
		core_remove(sb, root, name, files[i]);
	}
	core_remove(sb, root, "big", f);
	KT_ASSERT(mmfs_fsck(sb));
	KT_EQ(sbi->free_inodes, 62);
	core_put(root);
	core_umount(sb);
	mmsim_shutdown(m);
}

static void test_fsck_catches(void)
{
	struct mmsim *m = boot_or_die("ram=128M disk=64M rootfstype=tmpfs");
	struct super_block *sb = core_mount(m);
	struct mmfs_sb_info *sbi = MMFS_SB(sb);
	struct inode *root = core_iget(sb, MMFS_ROOT_INO);
	struct inode *a = core_create(sb, root, "a", S_IFREG | 0644);
	struct folio *folio;
	unsigned char *bm;
	size_t mark;
	char *log;

	KT_EQ(grow(a, 0, 4), 0);
	KT_ASSERT(mmfs_fsck(sb));
	/* A block marked used that no file holds. */
	bm = mmfs_bread(sbi, sbi->bb_start, &folio);
	bm[1000 / 8] |= 1u << (1000 % 8);
	mmfs_brelse(folio, bm);
	mark = log_mark(m);
	KT_ASSERT(!mmfs_fsck(sb));
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "mmfs_fsck: vda: block 1000: used in the bitmap but in no file");
	KT_STR_CONTAINS(log, "mmfs_fsck: vda: free blocks count");
	free(log);
	bm = mmfs_bread(sbi, sbi->bb_start, &folio);
	bm[1000 / 8] &= (unsigned char)~(1u << (1000 % 8));
	mmfs_brelse(folio, bm);
	KT_ASSERT(mmfs_fsck(sb));
	/* A wrong link count. */
	a->i_nlink = 2;
	mmfs_write_inode_raw(a);
	mark = log_mark(m);
	KT_ASSERT(!mmfs_fsck(sb));
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "i_nlink 2, 1 directory entries");
	free(log);
	a->i_nlink = 1;
	mmfs_write_inode_raw(a);
	KT_ASSERT(mmfs_fsck(sb));
	core_put(a);
	core_put(root);
	core_umount(sb);
	mmsim_shutdown(m);
}

/* A disk=FILE image: mkfs at the first boot only; what was synced is there after. */
static void test_image_survives_reboot(void)
{
	char path[] = "/tmp/mmfs-test-XXXXXX";
	int fd = mkstemp(path);
	char spec[128];
	struct mmsim *m;
	struct super_block *sb;
	struct inode *root, *f;
	size_t mark = 0;
	char *log;
	u32 ino;

	KT_ASSERT(fd >= 0);
	close(fd);
	unlink(path);
	snprintf(spec, sizeof(spec), "ram=128M disk=%s:16M rootfstype=tmpfs", path);
	m = boot_or_die(spec);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "mmfs: mkfs.mmfs on vda");
	free(log);
	sb = core_mount(m);
	root = core_iget(sb, MMFS_ROOT_INO);
	f = core_create(sb, root, "kept", S_IFREG | 0644);
	KT_EQ(grow(f, 0, 5), 0);
	ino = (u32)f->i_ino;
	core_put(f);
	core_put(root);
	core_umount(sb);		/* sync_blockdev: through writeback */
	mmsim_shutdown(m);

	m = boot_or_die(spec);
	mark = 0;
	log = log_since(m, &mark);
	KT_ASSERT(!strstr(log, "mkfs.mmfs"));
	free(log);
	sb = core_mount(m);
	KT_ASSERT(sb);
	root = core_iget(sb, MMFS_ROOT_INO);
	KT_EQ(mmfs_find_entry(root, "kept", 4, NULL), ino);
	f = core_iget(sb, ino);
	KT_ASSERT(f);
	if (f) {
		KT_EQ(MMFS_I(f)->nblocks, 5);
		core_put(f);
	}
	KT_ASSERT(mmfs_fsck(sb));
	core_put(root);
	core_umount(sb);
	mmsim_shutdown(m);
	unlink(path);
}

int main(void)
{
	KT_RUN(test_mkfs_layout);
	KT_RUN(test_files_dirs_unlink);
	KT_RUN(test_extent_block);
	KT_RUN(test_enospc_small_disk);
	KT_RUN(test_fsck_catches);
	KT_RUN(test_image_survives_reboot);
	return kt_done();
}
