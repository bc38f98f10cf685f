// SPDX-License-Identifier: GPL-2.0
/*
 * fs/super.c - file system types and super blocks (Linux's fs/super.c,
 * fs/filesystems.c), and the `vfs` subsystem: its per-machine state
 * (struct vfs_state, fs/internal.h), its caches and its /proc/sys/fs files.
 *
 * Design.  register_filesystem adds a static, shared file_system_type to
 * the calling machine's registry (an array of pointers: the type holds no
 * per-machine state, several machines may register the same one).  A
 * file system's ->mount calls mount_bdev (FS_REQUIRES_DEV: the machine's
 * disk, mmsim_root_bdev; one super block per disk and type, shared by the
 * mounts of it) or mount_nodev (a new anonymous super block, s_dev 0:N);
 * either allocates the super block (with fs/inode.c's per-sb inode hash:
 * struct super_block_ext), calls fill_super, and returns a reference on
 * s_root.  A mount holds one s_active; the last deactivate_super calls
 * ->kill_sb under s_umount held for writing: kill_block_super /
 * kill_anon_super / kill_litter_super -> generic_shutdown_super, which
 * drops the dentries (shrink_dcache_for_umount), syncs (sync_filesystem),
 * clears SB_ACTIVE, evicts every unused inode (evict_inodes) and calls
 * ->put_super.  Inodes still referenced then are Linux's "VFS: Busy inodes
 * after unmount" and the super block is leaked rather than freed under
 * them.  The super block itself is freed with its last passive reference
 * (s_count: iterate_supers holds one while it calls back).
 *
 * Locking: vfs->fs_lock guards the registry; vfs->sb_lock the list of
 * super blocks and s_count; s_umount (rwsem) serializes shutdown against
 * iterate_supers' callbacks (which run with it held for reading and only
 * on SB_ACTIVE super blocks).  s_active is atomic; its 1 -> 0 transition
 * is made under sb_lock so that mount_bdev never revives a dying one.
 *
 * Invariants: every super block on the list has s_count >= 1; s_active
 * > 0 iff it is mounted (or kern_mounted) and SB_ACTIVE is set; s_inodes
 * holds exactly the inodes whose i_sb it is.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/printk.h>
#include <mmsim/sysctl.h>
#include <mmsim/seq_file.h>
#include <mmsim/blkdev.h>
#include <mmsim/backing-dev.h>
#include <mmsim/writeback.h>
#include <mmsim/mm.h>
#include <mmsim/sched.h>
#include <mmsim/panic.h>
#include <mmsim/shrinker.h>
#include "fs/internal.h"

struct vfs_state *vfs_state_of(struct mmsim *m)
{
	return m ? subsys_state(m, vfs) : NULL;
}

struct vfs_state *vfs_state(void)
{
	return vfs_state_of(current_machine());
}

long vfs_syscall_check(void)
{
	RETURN_IF_HALTED(-EIO);
	return current ? 0 : -ESRCH;
}

/* --- the registry ------------------------------------------------------ */

int register_filesystem(struct file_system_type *fs)
{
	struct vfs_state *vfs = vfs_state();
	int ret = -EBUSY, free = -1;

	if (!vfs || !fs || !fs->name || strchr(fs->name, '.'))
		return -EINVAL;
	spin_lock(&vfs->fs_lock);
	for (int i = 0; i < VFS_MAX_FSTYPES; i++) {
		struct file_system_type *t = vfs->file_systems[i];

		if (t && !strcmp(t->name, fs->name))
			goto out;
		if (!t && free < 0)
			free = i;
	}
	if (free < 0) {
		ret = -ENOSPC;
		goto out;
	}
	vfs->file_systems[free] = fs;
	ret = 0;
out:
	spin_unlock(&vfs->fs_lock);
	return ret;
}

int unregister_filesystem(struct file_system_type *fs)
{
	struct vfs_state *vfs = vfs_state();
	int ret = -EINVAL;

	if (!vfs)
		return -EINVAL;
	spin_lock(&vfs->fs_lock);
	for (int i = 0; i < VFS_MAX_FSTYPES; i++)
		if (vfs->file_systems[i] == fs) {
			vfs->file_systems[i] = NULL;
			ret = 0;
		}
	spin_unlock(&vfs->fs_lock);
	return ret;
}

struct file_system_type *get_fs_type(const char *name)
{
	struct vfs_state *vfs = vfs_state();
	struct file_system_type *found = NULL;

	if (!vfs || !name)
		return NULL;
	spin_lock(&vfs->fs_lock);
	for (int i = 0; i < VFS_MAX_FSTYPES; i++) {
		struct file_system_type *t = vfs->file_systems[i];

		if (t && !strcmp(t->name, name)) {
			found = t;
			break;
		}
	}
	spin_unlock(&vfs->fs_lock);
	return found;
}

/* /proc/filesystems */
static int filesystems_show(struct seq_file *sf, struct proc_file *f)
{
	struct vfs_state *vfs = vfs_state_of(f->m);

	spin_lock(&vfs->fs_lock);
	for (int i = 0; i < VFS_MAX_FSTYPES; i++) {
		struct file_system_type *t = vfs->file_systems[i];

		if (t)
			seq_printf(sf, "%s\t%s\n", (t->fs_flags & FS_REQUIRES_DEV) ? "" : "nodev",
				   t->name);
	}
	spin_unlock(&vfs->fs_lock);
	return 0;
}

/* --- super blocks ------------------------------------------------------ */

/*
 * The super block's shrinker (Linux's super_cache_count/super_cache_scan):
 * its unused dentries and inodes, counted scaled by vm.vfs_cache_pressure
 * (0: never shrunk by reclaim; 100: fair; more: preferred), scanned in
 * proportion to the two counts, dentries first (they pin the inodes).
 * Only for __GFP_FS reclaim, and only if s_umount can be had for reading
 * without waiting (an unmount in progress: SHRINK_STOP).  The caches are
 * not per node: the shrinker is not NUMA-aware.
 */
static unsigned long super_cache_scan(struct shrinker *shrink, struct shrink_control *sc)
{
	struct super_block *sb = shrink->private_data;
	long dentries, inodes, total, freed;

	if (!(sc->gfp_mask & __GFP_FS))
		return SHRINK_STOP;
	if (!down_read_trylock(&sb->s_umount))
		return SHRINK_STOP;
	if (!sb->s_root || !(sb->s_flags & SB_ACTIVE)) {
		up_read(&sb->s_umount);
		return SHRINK_STOP;
	}
	dentries = dcache_nr_unused(sb);
	inodes = icache_nr_unused(sb);
	total = dentries + inodes + 1;
	dentries = (long)((unsigned long long)sc->nr_to_scan * (unsigned long)dentries / (unsigned long)total);
	inodes = (long)((unsigned long long)sc->nr_to_scan * (unsigned long)inodes / (unsigned long)total);
	freed = prune_dcache_sb(sb, (unsigned long)dentries + 1);
	freed += prune_icache_sb(sb, (unsigned long)inodes + 1);
	up_read(&sb->s_umount);
	return (unsigned long)freed;
}

static unsigned long super_cache_count(struct shrinker *shrink, struct shrink_control *sc)
{
	struct super_block *sb = shrink->private_data;
	unsigned long total;

	(void)sc;
	/* Not born yet, or dying (Linux: SB_BORN, checked without s_umount). */
	if (!READ_ONCE(sb->s_root) || !(READ_ONCE(sb->s_flags) & SB_ACTIVE))
		return 0;
	total = (unsigned long)(dcache_nr_unused(sb) + icache_nr_unused(sb));
	if (!total)
		return SHRINK_EMPTY;
	return vfs_pressure_ratio(total);
}

static void super_shrinker_setup(struct super_block *sb, struct file_system_type *type)
{
	struct shrinker *s = shrinker_alloc(0, "sb-%s", type->name);

	if (!s)
		return;		/* the caches are then only dropped at unmount */
	s->count_objects = super_cache_count;
	s->scan_objects = super_cache_scan;
	s->batch = 1024;
	s->seeks = DEFAULT_SEEKS;
	s->private_data = sb;
	shrinker_register(s);
	sb_ext(sb)->s_shrink = s;
}

static void super_shrinker_free(struct super_block *sb)
{
	struct shrinker *s = sb_ext(sb)->s_shrink;

	sb_ext(sb)->s_shrink = NULL;
	shrinker_free(s);
}

static struct super_block *alloc_super(struct vfs_state *vfs, struct file_system_type *type,
				       int flags)
{
	struct super_block_ext *se = kzalloc(sizeof(*se), GFP_KERNEL);
	struct super_block *sb;

	if (!se)
		return NULL;
	sb = &se->sb;
	INIT_LIST_HEAD(&sb->s_list);
	INIT_LIST_HEAD(&sb->s_inodes);
	spin_lock_init(&sb->s_inode_list_lock);
	init_rwsem(&sb->s_umount);
	spin_lock_init(&se->hash_lock);
	for (int i = 0; i < INODE_HASH_SIZE; i++)
		INIT_LIST_HEAD(&se->hash[i]);
	sb->s_type = type;
	sb->s_flags = (unsigned long)flags & SB_RDONLY;
	sb->s_blocksize_bits = 10;
	sb->s_blocksize = 1024;
	sb->s_maxbytes = 0x7fffffff;	/* MAX_NON_LFS until the fs says more */
	atomic_set(&sb->s_active, 1);
	snprintf(sb->s_id, sizeof(sb->s_id), "%s", type->name);
	se->s_count = 1;
	super_shrinker_setup(sb, type);
	spin_lock(&vfs->sb_lock);
	list_add_tail(&sb->s_list, &vfs->super_blocks);
	spin_unlock(&vfs->sb_lock);
	return sb;
}

/* Drop a passive reference (Linux's put_super): the last frees the sb. */
void __put_super(struct super_block *sb)
{
	struct vfs_state *vfs = vfs_state();
	struct super_block_ext *se = sb_ext(sb);
	bool last;

	spin_lock(&vfs->sb_lock);
	last = --se->s_count == 0;
	if (last)
		list_del_init(&sb->s_list);
	spin_unlock(&vfs->sb_lock);
	if (!last)
		return;
	super_shrinker_free(sb);
	destroy_rwsem(&sb->s_umount);
	kfree(se);
}

/* The disk's bdi (W's gendisk->bdi), or the machine's noop one. */
static struct backing_dev_info *bdev_bdi(struct block_device *bdev)
{
	struct backing_dev_info *bdi = bdev && bdev->bd_disk ? bdev->bd_disk->bdi : NULL;

	return bdi ? bdi : noop_backing_dev_info();
}

static struct dentry *fill_new_super(struct super_block *sb, void *data, int flags,
				     int (*fill_super)(struct super_block *, void *, int))
{
	int ret = fill_super(sb, data, 0);

	(void)flags;
	if (!ret && !sb->s_root)
		ret = -EINVAL;
	if (ret) {
		down_write(&sb->s_umount);
		atomic_set(&sb->s_active, 0);
		sb->s_type->kill_sb(sb);
		up_write(&sb->s_umount);
		__put_super(sb);
		return ERR_PTR(ret);
	}
	sb->s_flags |= SB_ACTIVE;
	return dget(sb->s_root);
}

struct dentry *mount_nodev(struct file_system_type *fs_type, int flags, void *data,
			   int (*fill_super)(struct super_block *, void *, int))
{
	struct vfs_state *vfs = vfs_state();
	struct super_block *sb;

	if (!vfs || !fs_type || !fill_super)
		return ERR_PTR(-EINVAL);
	sb = sget_anon(fs_type, flags);
	if (IS_ERR(sb))
		return ERR_CAST(sb);
	return fill_new_super(sb, data, flags, fill_super);
}

/* A new anonymous super block (set_anon_super: s_dev 0:N). */
struct super_block *sget_anon(struct file_system_type *type, int flags)
{
	struct vfs_state *vfs = vfs_state();
	struct super_block *sb = alloc_super(vfs, type, flags);
	unsigned int minor;

	if (!sb)
		return ERR_PTR(-ENOMEM);
	spin_lock(&vfs->sb_lock);
	minor = ++vfs->next_anon_minor;
	spin_unlock(&vfs->sb_lock);
	sb->s_dev = MKDEV(0, minor);
	sb->s_bdi = noop_backing_dev_info();
	return sb;
}

struct dentry *mount_bdev(struct file_system_type *fs_type, int flags, const char *dev_name,
			  void *data, int (*fill_super)(struct super_block *, void *, int))
{
	struct vfs_state *vfs = vfs_state();
	struct block_device *bdev;
	struct super_block *sb, *old = NULL;

	if (!vfs || !fs_type || !fill_super)
		return ERR_PTR(-EINVAL);
	bdev = mmsim_root_bdev(current_machine());
	if (!bdev || !bdev->bd_disk)
		return ERR_PTR(-ENOENT);	/* lookup_bdev: no such device */
	if (dev_name && strcmp(dev_name, "/dev/vda") && strcmp(dev_name, bdev->bd_disk->disk_name)) {
		char want[48];

		snprintf(want, sizeof(want), "/dev/%s", bdev->bd_disk->disk_name);
		if (strcmp(dev_name, want))
			return ERR_PTR(-ENOENT);
	}
	/* sget: the disk's existing super block of this type is shared. */
	spin_lock(&vfs->sb_lock);
	list_for_each_entry(sb, &vfs->super_blocks, s_list) {
		int active = atomic_read(&sb->s_active);

		if (sb->s_type == fs_type && sb->s_bdev == bdev && active > 0 &&
		    (sb->s_flags & SB_ACTIVE)) {
			atomic_set(&sb->s_active, active + 1);
			old = sb;
			break;
		}
	}
	spin_unlock(&vfs->sb_lock);
	if (old)
		return dget(old->s_root);
	sb = alloc_super(vfs, fs_type, flags);
	if (!sb)
		return ERR_PTR(-ENOMEM);
	sb->s_bdev = bdev;
	sb->s_dev = bdev->bd_dev;
	snprintf(sb->s_id, sizeof(sb->s_id), "%s", bdev->bd_disk->disk_name);
	sb->s_bdi = bdev_bdi(bdev);
	sb->s_blocksize_bits = SECTOR_SHIFT;
	sb->s_blocksize = SECTOR_SIZE;
	return fill_new_super(sb, data, flags, fill_super);
}

/* Inodes still on the super block (not freed by evict_inodes). */
long vfs_nr_busy_inodes(struct super_block *sb)
{
	struct inode *inode;
	long n = 0;

	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list)
		n++;
	spin_unlock(&sb->s_inode_list_lock);
	return n;
}

void generic_shutdown_super(struct super_block *sb)
{
	const struct super_operations *sop = sb->s_op;

	if (sb->s_root) {
		shrink_dcache_for_umount(sb);
		sync_filesystem(sb);
		sb->s_flags &= ~SB_ACTIVE;
		evict_inodes(sb);
		if (sop && sop->put_super)
			sop->put_super(sb);
		if (vfs_nr_busy_inodes(sb)) {
			pr_err("VFS: Busy inodes after unmount of %s (%s)\n", sb->s_id,
			       sb->s_type->name);
			sb_ext(sb)->s_count++;	/* leak it: inodes still point at it */
		}
	} else {
		sb->s_flags &= ~SB_ACTIVE;
		evict_inodes(sb);
	}
}

void kill_anon_super(struct super_block *sb)
{
	generic_shutdown_super(sb);
}

void kill_litter_super(struct super_block *sb)
{
	if (sb->s_root)
		d_genocide(sb->s_root);
	kill_anon_super(sb);
}

void kill_block_super(struct super_block *sb)
{
	generic_shutdown_super(sb);
	/* sync_blockdev: the disk's own cache is written by sync_filesystem's caller. */
}

/* Drop an active reference: the last shuts the file system down. */
void deactivate_super(struct super_block *sb)
{
	struct vfs_state *vfs = vfs_state();
	bool last;

	spin_lock(&vfs->sb_lock);
	last = atomic_read(&sb->s_active) == 1;
	atomic_set(&sb->s_active, atomic_read(&sb->s_active) - 1);
	spin_unlock(&vfs->sb_lock);
	if (!last)
		return;
	/* No shrinker scan runs on it from here (Linux: shrinker_free first). */
	super_shrinker_free(sb);
	down_write(&sb->s_umount);
	sb->s_type->kill_sb(sb);
	up_write(&sb->s_umount);
	__put_super(sb);
}

void iterate_supers(void (*f)(struct super_block *sb, void *arg), void *arg)
{
	struct vfs_state *vfs = vfs_state();
	struct super_block *sb, *prev = NULL;

	if (!vfs)
		return;
	spin_lock(&vfs->sb_lock);
	list_for_each_entry(sb, &vfs->super_blocks, s_list) {
		sb_ext(sb)->s_count++;
		spin_unlock(&vfs->sb_lock);
		if (prev)
			__put_super(prev);
		down_read(&sb->s_umount);
		if (sb->s_root && (sb->s_flags & SB_ACTIVE))
			f(sb, arg);
		up_read(&sb->s_umount);
		prev = sb;
		spin_lock(&vfs->sb_lock);
	}
	spin_unlock(&vfs->sb_lock);
	if (prev)
		__put_super(prev);
}

/* --- the subsystem ----------------------------------------------------- */

static const struct vfs_state vfs_template = {
	.nr_open = NR_OPEN_MAX,
	.file_max = 8192,		/* NR_FILE; vfs_init scales it to memory */
};

static int vfs_init(struct mmsim *m, char *err, size_t len)
{
	struct vfs_state *vfs = subsys_state(m, vfs);
	unsigned long n;

	spin_lock_init(&vfs->fs_lock);
	spin_lock_init(&vfs->sb_lock);
	spin_lock_init(&vfs->dcache_lock);
	spin_lock_init(&vfs->mount_lock);
	INIT_LIST_HEAD(&vfs->super_blocks);
	INIT_LIST_HEAD(&vfs->mounts);
	vfs->filp_cachep = kmem_cache_create("filp", sizeof(struct file), 64, SLAB_HWCACHE_ALIGN, NULL);
	vfs->dentry_cachep = kmem_cache_create("dentry", sizeof(struct dentry), 8, SLAB_RECLAIM_ACCOUNT, NULL);
	vfs->inode_cachep = kmem_cache_create("inode_cache", sizeof(struct inode), 8, SLAB_RECLAIM_ACCOUNT, NULL);
	if (!vfs->filp_cachep || !vfs->dentry_cachep || !vfs->inode_cachep) {
		snprintf(err, len, "vfs: cannot create the file caches");
		return -ENOMEM;
	}
	/* files_maxfiles_init: 10% of memory in KB, at least NR_FILE. */
	n = atomic_long_read(&m->totalram_pages) * (PAGE_SIZE / 1024) / 10;
	vfs->file_max = (int)(n > 8192 ? (n > INT_MAX ? INT_MAX : n) : 8192);
	vfs->ready = true;
	return 0;
}

static void vfs_exit(struct mmsim *m)
{
	struct vfs_state *vfs = vfs_state_of(m);

	if (!vfs->ready)
		return;
	vfs->ready = false;
	kmem_cache_destroy(vfs->filp_cachep);
	kmem_cache_destroy(vfs->dentry_cachep);
	kmem_cache_destroy(vfs->inode_cachep);
}

/* /proc/sys/fs/file-nr: allocated, free (always 0 since 2.6), maximum. */
static int file_nr_handler(const struct ctl_table *t, int write, struct seq_file *sf,
			   const char *text)
{
	struct vfs_state *vfs = vfs_state();

	(void)t;
	(void)text;
	if (write)
		return -EINVAL;
	seq_printf(sf, "%ld\t0\t%d\n", atomic_long_read(&vfs->nr_files), READ_ONCE(vfs->file_max));
	return 0;
}

static void count_unused(struct super_block *sb, void *arg)
{
	long *unused = arg;
	struct inode *inode;

	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list)
		if (!atomic_read(&inode->i_count))
			(*unused)++;
	spin_unlock(&sb->s_inode_list_lock);
}

/* /proc/sys/fs/inode-nr: inodes, unused (cached) inodes. */
static int inode_nr_handler(const struct ctl_table *t, int write, struct seq_file *sf,
			    const char *text)
{
	struct vfs_state *vfs = vfs_state();
	long unused = 0;

	(void)t;
	(void)text;
	if (write)
		return -EINVAL;
	iterate_supers(count_unused, &unused);
	seq_printf(sf, "%ld\t%ld\n", atomic_long_read(&vfs->nr_inodes), unused);
	return 0;
}

int vfs_mounts_show(struct seq_file *sf, struct proc_file *f);

static int vfs_proc_init(struct mmsim *m, char *err, size_t len)
{
	struct vfs_state *vfs = vfs_state_of(m);
	static const int nr_open_min = 64;
	const struct ctl_table fs_table[] = {
		{ .procname = "file-nr", .mode = 0444, .proc_handler = file_nr_handler },
		{ .procname = "inode-nr", .mode = 0444, .proc_handler = inode_nr_handler },
		{ .procname = "file-max", .data = &vfs->file_max, .maxlen = sizeof(int),
		  .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra1 = SYSCTL_ZERO },
		{ .procname = "nr_open", .data = &vfs->nr_open, .maxlen = sizeof(int),
		  .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra1 = &nr_open_min },
	};
	int ret = register_sysctl("fs", fs_table);

	if (!ret)
		ret = proc_create_single("/proc/filesystems", filesystems_show);
	if (!ret)
		ret = proc_create_single("/proc/mounts", vfs_mounts_show);
	if (ret)
		snprintf(err, len, "vfs: cannot create /proc/sys/fs files");
	return ret;
}

static const struct initcall vfs_initcalls[] = {
	core_initcall(vfs_init, vfs_exit),
	fs_initcall(vfs_proc_init, NULL),
};

DEFINE_SUBSYSTEM(vfs, SUBSYS_STATE(struct vfs_state, &vfs_template),
		 SUBSYS_INITCALLS(vfs_initcalls));
