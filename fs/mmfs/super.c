// SPDX-License-Identifier: GPL-2.0
/*
 * fs/mmfs/super.c - the mmfs super block: reading and checking it
 * (mmfs_load_super), mounting (mmfs_fill_super through mount_bdev),
 * statfs, sync_fs and put_super (the super block with its free counts and
 * clean/dirty state, then every dirty metadata block of the disk's page
 * cache), the metadata block helpers (mmfs_bread/mmfs_brelse over
 * bdev_inode's mapping), and the `mmfs` subsystem: at boot it registers
 * the type and runs mkfs on a disk without a valid super block.
 *
 * Locking: sbi->alloc_lock guards the free counts the super block
 * carries; mmfs_write_super reads them under it, before it locks the
 * super block's folio.  A metadata folio is locked between mmfs_bread and
 * mmfs_brelse (one at a time per CPU; the super block's page is only
 * trylocked while another is held).
 * Invariants: on disk, s_state is MMFS_STATE_DIRTY from the first change
 * after mount (mmfs_mark_meta_dirty, which also counts the mount) to a
 * clean put_super, which writes the free counts and MMFS_STATE_CLEAN
 * last; a mount that changes nothing writes nothing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include <mmsim/backing-dev.h>
#include <mmsim/highmem.h>
#include <mmsim/slab.h>
#include <mmsim/printk.h>
#include "init/init.h"
#include "init/machine.h"
#include "fs/mmfs/mmfs.h"

u64 mmfs_now_ns(void)
{
	struct mmsim *m = current_machine();

	return m ? atomic_load(&m->hw.clock_ns) : 0;
}

/* --- metadata blocks through the disk's page cache -------------------- */

/*
 * The locked, uptodate folio of metadata block @block (read if need be).
 * @nowait (writeback that may run nested in a clock advance, under a
 * caller's locks): never wait for a folio lock or an I/O; NULL instead.
 */
static struct folio *mmfs_get_meta_folio(struct mmfs_sb_info *sbi, u64 block, bool want_read,
					 bool nowait)
{
	pgoff_t index = (pgoff_t)(block / mmfs_blocks_per_page());
	struct folio *folio;

	if (block >= sbi->blocks_count) {
		pr_err("mmfs (%s): block %llu beyond the file system (%llu blocks)\n",
		       sbi->bdev->bd_disk->disk_name, (unsigned long long)block,
		       (unsigned long long)sbi->blocks_count);
		return NULL;
	}
	folio = __filemap_get_folio(sbi->meta, index,
				    FGP_LOCK | FGP_CREAT | FGP_ACCESSED | (nowait ? FGP_NOWAIT : 0),
				    GFP_NOFS);
	if (IS_ERR(folio))
		return NULL;
	if (mmfs_folio_test(folio, PG_uptodate))
		return folio;
	if (nowait && want_read) {
		folio_unlock(folio);
		put_page(&folio->page);
		return NULL;
	}
	if (!want_read) {
		/* The whole page is this one block: no need to read it. */
		clear_highpage(&folio->page);
		mmfs_folio_set(folio, PG_uptodate);
		return folio;
	}
	if (sbi->meta->a_ops->read_folio(NULL, folio)) {	/* unlocks it */
		put_page(&folio->page);
		pr_err("mmfs (%s): I/O error reading block %llu\n",
		       sbi->bdev->bd_disk->disk_name, (unsigned long long)block);
		return NULL;
	}
	folio_lock(folio);
	if (folio->page.mapping != sbi->meta || !mmfs_folio_test(folio, PG_uptodate)) {
		/* Dropped while unlocked (drop_caches): look again. */
		folio_unlock(folio);
		put_page(&folio->page);
		return mmfs_get_meta_folio(sbi, block, want_read, nowait);
	}
	return folio;
}

static void *mmfs_block_addr(struct folio *folio, u64 block)
{
	char *k = kmap(&folio->page);

	return k + (block % mmfs_blocks_per_page()) * MMFS_BLOCK_SIZE;
}

void *mmfs_bread_nowait(struct mmfs_sb_info *sbi, u64 block, struct folio **foliop, bool nowait)
{
	struct folio *folio = mmfs_get_meta_folio(sbi, block, true, nowait);

	*foliop = folio;
	return folio ? mmfs_block_addr(folio, block) : NULL;
}

void *mmfs_bread(struct mmfs_sb_info *sbi, u64 block, struct folio **foliop)
{
	return mmfs_bread_nowait(sbi, block, foliop, false);
}

void *mmfs_bget_zero_nowait(struct mmfs_sb_info *sbi, u64 block, struct folio **foliop,
			    bool nowait)
{
	struct folio *folio = mmfs_get_meta_folio(sbi, block, mmfs_blocks_per_page() > 1, nowait);
	void *addr;

	*foliop = folio;
	if (!folio)
		return NULL;
	addr = mmfs_block_addr(folio, block);
	memset(addr, 0, MMFS_BLOCK_SIZE);
	return addr;
}

void *mmfs_bget_zero(struct mmfs_sb_info *sbi, u64 block, struct folio **foliop)
{
	return mmfs_bget_zero_nowait(sbi, block, foliop, false);
}

/* Set the super block's on-disk state (cached page 0, locked, mapped at @k). */
static void mmfs_super_set_dirty(struct mmfs_sb_info *sbi, struct mmfs_super_block *ds)
{
	ds->s_state = mmfs_le32(MMFS_STATE_DIRTY);
	ds->s_mnt_count = mmfs_le32(sbi->mnt_count);
	ds->s_mtime = mmfs_le64(sbi->mtime);
	ds->s_wtime = mmfs_le64(mmfs_now_ns());
}

/*
 * The first change after mount marks the super block "dirty" (not cleanly
 * unmounted) and counts the mount, so a boot that changes nothing writes
 * nothing.  Called with the changed metadata folio @held locked: page 0 is
 * only trylocked (taken without I/O), else the next change tries again.
 */
static void mmfs_dirty_super(struct mmfs_sb_info *sbi, struct folio *held)
{
	struct folio *f0 = held;
	char *k;

	if (__atomic_exchange_n(&sbi->dirtying, true, __ATOMIC_ACQ_REL))
		return;			/* another CPU is at it */
	if (held->page.index != 0) {
		f0 = __filemap_get_folio(sbi->meta, 0, FGP_LOCK | FGP_NOWAIT, 0);
		if (IS_ERR(f0))
			goto out;
		if (!mmfs_folio_test(f0, PG_uptodate)) {
			folio_unlock(f0);
			put_page(&f0->page);
			goto out;
		}
	}
	k = kmap_local_page(&f0->page);
	sbi->mnt_count++;
	mmfs_super_set_dirty(sbi, (struct mmfs_super_block *)k);
	kunmap_local(k);
	folio_mark_dirty(f0);
	if (f0 != held) {
		folio_unlock(f0);
		put_page(&f0->page);
	}
	__atomic_store_n(&sbi->sb_dirtied, true, __ATOMIC_RELEASE);
out:
	__atomic_store_n(&sbi->dirtying, false, __ATOMIC_RELEASE);
}

void mmfs_mark_meta_dirty(struct mmfs_sb_info *sbi, struct folio *folio)
{
	folio_mark_dirty(folio);
	if (!__atomic_load_n(&sbi->sb_dirtied, __ATOMIC_ACQUIRE))
		mmfs_dirty_super(sbi, folio);
}

void mmfs_brelse(struct folio *folio, void *addr)
{
	(void)addr;
	if (!folio)
		return;
	kunmap(&folio->page);
	folio_unlock(folio);
	put_page(&folio->page);
}

/* --- the super block ---------------------------------------------------- */

static const char *sbi_id(struct mmfs_sb_info *sbi)
{
	return sbi->bdev->bd_disk->disk_name;
}

int mmfs_load_super(struct mmfs_sb_info *sbi, struct block_device *bdev, bool silent)
{
	u64 disk_blocks = ((u64)bdev_nr_sectors(bdev) << SECTOR_SHIFT) >> MMFS_BLOCK_SHIFT;
	struct inode *bi = bdev_inode(bdev);
	struct mmfs_super_block *ds;
	struct folio *folio;
	const char *why = NULL;

	if (!bi)
		return -ENOMEM;
	sbi->bdev = bdev;
	sbi->meta = bi->i_mapping;
	sbi->blocks_count = disk_blocks ? 1 : 0;	/* block 0 readable while checking */
	init_rwsem(&sbi->alloc_lock);
	ds = mmfs_bread(sbi, 0, &folio);
	if (!ds)
		return -EIO;
	if (mmfs_le32(ds->s_magic) != MMFS_MAGIC)
		why = "bad magic";
	else if (mmfs_le32(ds->s_version) != MMFS_VERSION)
		why = "unsupported version";
	else if (mmfs_le32(ds->s_block_size) != MMFS_BLOCK_SIZE)
		why = "unsupported block size";
	else if (mmfs_le64(ds->s_blocks_count) > disk_blocks ||
		 mmfs_le64(ds->s_blocks_count) > MMFS_MAX_BLOCKS)
		why = "larger than the device";
	if (!why) {
		sbi->blocks_count = mmfs_le64(ds->s_blocks_count);
		sbi->inodes_count = mmfs_le32(ds->s_inodes_count);
		sbi->bb_start = mmfs_le32(ds->s_block_bitmap);
		sbi->bb_blocks = mmfs_le32(ds->s_block_bitmap_blocks);
		sbi->ib_start = mmfs_le32(ds->s_inode_bitmap);
		sbi->ib_blocks = mmfs_le32(ds->s_inode_bitmap_blocks);
		sbi->it_start = mmfs_le32(ds->s_inode_table);
		sbi->it_blocks = mmfs_le32(ds->s_inode_table_blocks);
		sbi->first_data = mmfs_le32(ds->s_first_data_block);
		sbi->free_blocks = mmfs_le64(ds->s_free_blocks);
		sbi->free_inodes = mmfs_le32(ds->s_free_inodes);
		sbi->mkfs_time = mmfs_le64(ds->s_mkfs_time);
		sbi->mtime = mmfs_le64(ds->s_mtime);
		sbi->mnt_count = mmfs_le32(ds->s_mnt_count);
		memcpy(sbi->volume_name, ds->s_volume_name, sizeof(sbi->volume_name));
		sbi->volume_name[sizeof(sbi->volume_name) - 1] = '\0';
		if (sbi->inodes_count < 2 || sbi->inodes_count % MMFS_INODES_PER_BLOCK ||
		    sbi->bb_start != 1 ||
		    sbi->bb_blocks != (sbi->blocks_count + MMFS_BITS_PER_BLOCK - 1) / MMFS_BITS_PER_BLOCK ||
		    sbi->ib_start != sbi->bb_start + sbi->bb_blocks ||
		    sbi->ib_blocks != (sbi->inodes_count + MMFS_BITS_PER_BLOCK - 1) / MMFS_BITS_PER_BLOCK ||
		    sbi->it_start != sbi->ib_start + sbi->ib_blocks ||
		    sbi->it_blocks != sbi->inodes_count / MMFS_INODES_PER_BLOCK ||
		    sbi->first_data != sbi->it_start + sbi->it_blocks ||
		    sbi->first_data >= sbi->blocks_count ||
		    mmfs_le32(ds->s_root_ino) != MMFS_ROOT_INO)
			why = "inconsistent layout";
		else if (sbi->free_blocks > sbi->blocks_count - sbi->first_data ||
			 sbi->free_inodes > sbi->inodes_count - 2)
			why = "inconsistent free counts";
	}
	if (!why && mmfs_le32(ds->s_state) != MMFS_STATE_CLEAN && !silent)
		pr_warn("mmfs (%s): warning: mounting fs that was not cleanly unmounted, running mmfs_fsck is recommended\n",
			sbi_id(sbi));
	if (!why && mmfs_le32(ds->s_state) != MMFS_STATE_CLEAN)
		sbi->was_unclean = true;	/* recount below */
	mmfs_brelse(folio, ds);
	if (why) {
		if (!silent)
			pr_err("mmfs (%s): can't find a valid mmfs filesystem: %s\n", sbi_id(sbi), why);
		return -EINVAL;
	}
	if (sbi->was_unclean)	/* the counts come from the bitmaps */
		return mmfs_count_free(sbi, &sbi->free_blocks, &sbi->free_inodes);
	return 0;
}

/* The super block with the free counts and @state, into the disk's cache. */
int mmfs_write_super(struct mmfs_sb_info *sbi, u32 state)
{
	struct mmfs_super_block *ds;
	struct folio *folio;
	u64 free_blocks;
	u32 free_inodes;

	down_read(&sbi->alloc_lock);	/* alloc_lock before any metadata folio */
	free_blocks = sbi->free_blocks;
	free_inodes = sbi->free_inodes;
	up_read(&sbi->alloc_lock);
	ds = mmfs_bread(sbi, 0, &folio);
	if (!ds)
		return -EIO;
	ds->s_free_blocks = mmfs_le64(free_blocks);
	ds->s_free_inodes = mmfs_le32(free_inodes);
	ds->s_mtime = mmfs_le64(sbi->mtime);
	ds->s_mnt_count = mmfs_le32(sbi->mnt_count);
	ds->s_wtime = mmfs_le64(mmfs_now_ns());
	ds->s_state = mmfs_le32(state);
	folio_mark_dirty(folio);
	mmfs_brelse(folio, ds);
	return 0;
}

/* --- super_operations ----------------------------------------------------- */

/* The free counts (if anything changed since mount) and the metadata blocks. */
static int mmfs_sync_fs(struct super_block *sb, int wait)
{
	struct mmfs_sb_info *sbi = MMFS_SB(sb);
	int ret = 0;

	if (__atomic_load_n(&sbi->sb_dirtied, __ATOMIC_ACQUIRE))
		ret = mmfs_write_super(sbi, MMFS_STATE_DIRTY);
	if (ret)
		return ret;
	return wait ? sync_blockdev(sbi->bdev) : filemap_fdatawrite(sbi->meta);
}

static struct mmfs_machine_state *mmfs_state(void)
{
	struct mmsim *m = current_machine();

	return m && m->subsys_state ? subsys_state(m, mmfs) : NULL;
}

static void mmfs_put_super(struct super_block *sb)
{
	struct mmfs_sb_info *sbi = MMFS_SB(sb);
	struct mmfs_machine_state *st = mmfs_state();

	if (!sbi)
		return;
	sync_blockdev(sbi->bdev);		/* every inode's metadata first, */
	if (sbi->sb_dirtied || sbi->was_unclean) {
		mmfs_write_super(sbi, MMFS_STATE_CLEAN);	/* then the clean flag */
		sync_blockdev(sbi->bdev);
	}
	pr_info("mmfs (%s): unmounting filesystem.\n", sbi_id(sbi));
	/* The last mount gone after the subsystem's exit (shutdown unmounts
	 * after it): the disk's page cache goes with it. */
	if (st && !--st->mounted && st->exiting)
		bdev_inode_release(sbi->bdev);
	destroy_rwsem(&sbi->alloc_lock);
	sb->s_fs_info = NULL;
	kfree(sbi);
}

static int mmfs_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	struct mmfs_sb_info *sbi = MMFS_SB(dentry->d_sb);

	buf->f_type = MMFS_SUPER_MAGIC;
	buf->f_bsize = MMFS_BLOCK_SIZE;
	buf->f_blocks = sbi->blocks_count - sbi->first_data;
	down_read(&sbi->alloc_lock);
	buf->f_bfree = sbi->free_blocks;
	buf->f_ffree = sbi->free_inodes;
	up_read(&sbi->alloc_lock);
	buf->f_bavail = buf->f_bfree;
	buf->f_files = sbi->inodes_count - 1;
	buf->f_namelen = MMFS_NAME_LEN;
	return 0;
}

static const struct super_operations mmfs_sops = {
	.alloc_inode = mmfs_alloc_inode,
	.destroy_inode = mmfs_destroy_inode,
	.write_inode = mmfs_write_inode,
	.drop_inode = generic_drop_inode,
	.evict_inode = mmfs_evict_inode,
	.put_super = mmfs_put_super,
	.sync_fs = mmfs_sync_fs,
	.statfs = mmfs_statfs,
};

int mmfs_fill_super(struct super_block *sb, void *data, int silent)
{
	struct mmfs_sb_info *sbi = kzalloc(sizeof(*sbi), GFP_KERNEL);
	struct inode *root;
	int ret;

	(void)data;
	if (!sbi)
		return -ENOMEM;
	sbi->sb = sb;
	ret = mmfs_load_super(sbi, sb->s_bdev, silent);
	if (ret) {
		kfree(sbi);
		return ret;
	}
	sb->s_fs_info = sbi;
	sb->s_blocksize = MMFS_BLOCK_SIZE;
	sb->s_blocksize_bits = MMFS_BLOCK_SHIFT;
	sb->s_maxbytes = (loff_t)MMFS_MAX_BLOCKS << MMFS_BLOCK_SHIFT;
	sb->s_magic = MMFS_SUPER_MAGIC;
	sb->s_op = &mmfs_sops;
	root = mmfs_iget(sb, MMFS_ROOT_INO);
	if (IS_ERR(root)) {
		ret = (int)PTR_ERR(root);
		goto fail;
	}
	if (!S_ISDIR(root->i_mode)) {
		pr_err("mmfs (%s): corrupt root inode\n", sbi_id(sbi));
		iput(root);
		ret = -EINVAL;
		goto fail;
	}
	sb->s_root = d_make_root(root);
	if (!sb->s_root) {
		ret = -ENOMEM;
		goto fail;
	}
	if (mmfs_state())
		mmfs_state()->mounted++;
	sbi->mtime = mmfs_now_ns();	/* on disk with the first change */
	pr_info("mmfs (%s): mounted filesystem r/w: %llu blocks, %u inodes\n", sbi_id(sbi),
		(unsigned long long)sbi->blocks_count, sbi->inodes_count);
	return 0;
fail:
	sb->s_fs_info = NULL;
	kfree(sbi);
	return ret;
}

static struct dentry *mmfs_mount(struct file_system_type *fs_type, int flags,
				 const char *dev_name, void *data)
{
	return mount_bdev(fs_type, flags, dev_name, data, mmfs_fill_super);
}

struct file_system_type mmfs_fs_type = {
	.name = "mmfs",
	.fs_flags = FS_REQUIRES_DEV,
	.mount = mmfs_mount,
	.kill_sb = kill_block_super,
};

/* --- the subsystem ------------------------------------------------------- */

static int mmfs_init(struct mmsim *m, char *err, size_t errlen)
{
	struct mmfs_machine_state *st = subsys_state(m, mmfs);
	struct block_device *bdev = mmsim_root_bdev(m);
	int ret;

	(void)err, (void)errlen;
	st->registered = register_filesystem(&mmfs_fs_type) == 0;
	if (!bdev || mmfs_probe(bdev))
		return 0;
	ret = mmfs_mkfs(bdev);
	if (ret) {
		snprintf(err, errlen, "mmfs: mkfs on %s failed (%d)", bdev->bd_disk->disk_name, ret);
		return ret;
	}
	st->mkfs_done = true;
	return 0;
}

static void mmfs_exit(struct mmsim *m)
{
	struct mmfs_machine_state *st = subsys_state(m, mmfs);

	/* Still mounted: the unmount at shutdown (mount_root's exit, later)
	 * releases the disk's page cache after its last sync. */
	st->exiting = true;
	if (!st->mounted)
		bdev_inode_release(mmsim_root_bdev(m));
	if (st->registered)
		unregister_filesystem(&mmfs_fs_type);
	st->registered = false;
}

static const struct initcall mmfs_initcalls[] = {
	device_initcall(mmfs_init, mmfs_exit),
};

DEFINE_SUBSYSTEM(mmfs, SUBSYS_STATE(struct mmfs_machine_state, NULL),
		 SUBSYS_INITCALLS(mmfs_initcalls));
