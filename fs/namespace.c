// SPDX-License-Identifier: GPL-2.0
/*
 * fs/namespace.c - the mount table (Linux's fs/namespace.c, one mount
 * namespace per machine), /proc/mounts, and the `mount_root` subsystem
 * that mounts "/" at boot (init/do_mounts.c) and unmounts at shutdown.
 *
 * Design.  A struct mount (fs/internal.h) wraps the vfsmount and says
 * where it is attached: its parent mount and the mountpoint dentry (which
 * it holds a reference on and marks DCACHE_MOUNTED).  The machine's
 * mounts are on vfs->mounts in mount order; the first mounted on "/" is
 * the namespace's root (vfs->root, its own parent).  The path walk
 * (fs/namei.c) crosses into a mount at a DCACHE_MOUNTED dentry through
 * lookup_mnt (the last mount on that (mount, dentry): stacked mounts
 * hide the earlier ones) and back out at ".." of a mount's root.
 * kern_mount makes an internal mount attached nowhere (tmpfs's shm_mnt).
 * A mount holds an active reference on its super block (deactivate_super
 * at the last mntput) and a reference on its root dentry.
 *
 * mount_root (init/do_mounts.c's prepare_namespace, mmsim's way): at
 * boot, mmfs from the disk on "/" when "mmfs" is registered and the disk
 * exists, else tmpfs on "/" (a rootfs, as Linux's initramfs root), else
 * nothing (a log line); rootfstype=mmfs or rootfstype=tmpfs (Linux's boot
 * parameter) tries only that type (rootfstype=tmpfs leaves the disk
 * unmounted); then /dev, /dev/shm and /tmp are made if missing
 * and tmpfs is mounted on /dev/shm and /tmp (rw,nosuid,nodev).  At
 * shutdown, after every task has exited (the exit hangs on a core
 * initcall, so it runs after pid's), everything is synced and unmounted
 * in reverse order.
 *
 * Locking: vfs->mount_lock guards vfs->mounts, vfs->root and every
 * mnt_count; it nests inside dcache_lock nowhere (d_path takes dcache_lock
 * and mount_lock one after the other).  Mounting runs with the mountpoint
 * directory's i_rwsem held, so two mounts on one dentry serialize.
 *
 * Invariants: every attached mount's mnt_parent is attached (or is the
 * root); a dentry is DCACHE_MOUNTED iff some attached mount's mountpoint
 * is it; mnt_count >= 1 while on the list.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/printk.h>
#include <mmsim/seq_file.h>
#include <mmsim/proc_fs.h>
#include <mmsim/blkdev.h>
#include <mmsim/writeback.h>
#include "fs/internal.h"
#include "lib/cmdline.h"

struct vfsmount *mntget(struct vfsmount *mnt)
{
	if (mnt)
		atomic_inc(&real_mount(mnt)->mnt_count);
	return mnt;
}

static void mount_free(struct mount *mnt)
{
	struct super_block *sb = mnt->mnt.mnt_sb;

	dput(mnt->mnt.mnt_root);
	deactivate_super(sb);
	kfree(mnt->mnt_devname);
	kfree(mnt);
}

void mntput(struct vfsmount *mnt)
{
	if (mnt && atomic_dec_and_test(&real_mount(mnt)->mnt_count))
		mount_free(real_mount(mnt));
}

void path_get(const struct path *path)
{
	mntget(path->mnt);
	dget(path->dentry);
}

void path_put(const struct path *path)
{
	dput(path->dentry);
	mntput(path->mnt);
}

void get_fs_root(struct path *root)
{
	struct vfs_state *vfs = vfs_state();

	spin_lock(&vfs->mount_lock);
	if (vfs->root) {
		root->mnt = &vfs->root->mnt;
		atomic_inc(&vfs->root->mnt_count);
		root->dentry = dget(vfs->root->mnt.mnt_root);
	} else {
		root->mnt = NULL;
		root->dentry = NULL;
	}
	spin_unlock(&vfs->mount_lock);
}

/* The mount attached last on @path (mount, dentry), referenced, or NULL. */
struct mount *lookup_mnt(const struct path *path)
{
	struct vfs_state *vfs = vfs_state();
	struct mount *m, *found = NULL;

	spin_lock(&vfs->mount_lock);
	list_for_each_entry(m, &vfs->mounts, mnt_list)
		if (m->attached && m->mnt_mountpoint == path->dentry &&
		    &m->mnt_parent->mnt == path->mnt && m != vfs->root)
			found = m;
	if (found)
		atomic_inc(&found->mnt_count);
	spin_unlock(&vfs->mount_lock);
	return found;
}

static struct mount *alloc_mount(struct dentry *root, const char *dev_name)
{
	struct mount *mnt = kzalloc(sizeof(*mnt), GFP_KERNEL);
	size_t n = strlen(dev_name ? dev_name : "none");

	if (!mnt)
		return NULL;
	mnt->mnt_devname = kmalloc(n + 1, GFP_KERNEL);
	if (!mnt->mnt_devname) {
		kfree(mnt);
		return NULL;
	}
	memcpy(mnt->mnt_devname, dev_name ? dev_name : "none", n + 1);
	mnt->mnt.mnt_root = root;
	mnt->mnt.mnt_sb = root->d_sb;
	mnt->mnt_parent = mnt;
	atomic_set(&mnt->mnt_count, 1);
	INIT_LIST_HEAD(&mnt->mnt_list);
	return mnt;
}

/* A mount of @type (its ->mount), not attached anywhere. */
static struct mount *vfs_kern_mount(struct file_system_type *type, int flags,
				    const char *name, void *data)
{
	struct dentry *root;
	struct mount *mnt;

	if (!type || !type->mount)
		return ERR_PTR(-ENODEV);
	root = type->mount(type, flags & SB_RDONLY, name, data);
	if (IS_ERR_OR_NULL(root))
		return root ? ERR_CAST(root) : ERR_PTR(-ENOSYS);
	mnt = alloc_mount(root, name);
	if (!mnt) {
		struct super_block *sb = root->d_sb;

		dput(root);
		deactivate_super(sb);
		return ERR_PTR(-ENOMEM);
	}
	mnt->mnt.mnt_flags = flags;
	return mnt;
}

struct vfsmount *kern_mount(struct file_system_type *type)
{
	struct mount *mnt;

	if (!vfs_state())
		return ERR_PTR(-EINVAL);
	mnt = vfs_kern_mount(type, 0, type ? type->name : NULL, NULL);
	return IS_ERR(mnt) ? ERR_CAST(mnt) : &mnt->mnt;
}

void kern_unmount(struct vfsmount *mnt)
{
	if (!IS_ERR_OR_NULL(mnt))
		mntput(mnt);
}

/*
 * do_mount - mount @type_page from @dev_name on the directory @dir_name
 * (the namespace's root: "/" before anything is mounted).  @flags: MS_*.
 */
int do_mount(const char *dev_name, const char *dir_name, const char *type_page,
	     unsigned long flags, void *data)
{
	struct vfs_state *vfs = vfs_state();
	struct file_system_type *type;
	struct path path = { 0 };
	struct mount *mnt;
	struct inode *dir;
	int ret;

	if (!vfs || !dir_name || !type_page)
		return -EINVAL;
	type = get_fs_type(type_page);
	if (!type)
		return -ENODEV;
	spin_lock(&vfs->mount_lock);
	ret = vfs->root ? 0 : -ENOENT;
	spin_unlock(&vfs->mount_lock);
	if (ret) {
		/* the first mount: the namespace's root */
		if (strcmp(dir_name, "/"))
			return -ENOENT;
		mnt = vfs_kern_mount(type, (int)flags, dev_name, data);
		if (IS_ERR(mnt))
			return (int)PTR_ERR(mnt);
		spin_lock(&vfs->mount_lock);
		if (vfs->root) {
			spin_unlock(&vfs->mount_lock);
			mntput(&mnt->mnt);
			return -EBUSY;
		}
		mnt->attached = true;
		vfs->root = mnt;
		list_add_tail(&mnt->mnt_list, &vfs->mounts);
		spin_unlock(&vfs->mount_lock);
		return 0;
	}
	ret = kern_path(dir_name, LOOKUP_FOLLOW | LOOKUP_DIRECTORY, &path);
	if (ret)
		return ret;
	dir = d_inode(path.dentry);
	mnt = vfs_kern_mount(type, (int)flags, dev_name, data);
	if (IS_ERR(mnt)) {
		path_put(&path);
		return (int)PTR_ERR(mnt);
	}
	inode_lock(dir);
	if (d_unhashed(path.dentry) || !dir->i_nlink) {
		inode_unlock(dir);
		mntput(&mnt->mnt);
		path_put(&path);
		return -ENOENT;
	}
	spin_lock(&vfs->dcache_lock);
	d_flags_set(path.dentry, DCACHE_MOUNTED);
	spin_unlock(&vfs->dcache_lock);
	spin_lock(&vfs->mount_lock);
	mnt->mnt_parent = real_mount(path.mnt);	/* the path's references go to the mount */
	mnt->mnt_mountpoint = path.dentry;
	mnt->attached = true;
	list_add_tail(&mnt->mnt_list, &vfs->mounts);
	spin_unlock(&vfs->mount_lock);
	inode_unlock(dir);
	return 0;
}

/* Detach @mnt (no submounts left) and drop the tree's reference. */
static void umount_one(struct vfs_state *vfs, struct mount *mnt)
{
	struct dentry *mp = mnt->mnt_mountpoint;
	struct mount *parent = mnt->mnt_parent;
	struct mount *m;
	bool still = false;

	spin_lock(&vfs->mount_lock);
	list_del_init(&mnt->mnt_list);
	mnt->attached = false;
	if (vfs->root == mnt)
		vfs->root = NULL;
	mnt->mnt_mountpoint = NULL;
	mnt->mnt_parent = mnt;
	list_for_each_entry(m, &vfs->mounts, mnt_list)
		if (m->mnt_mountpoint == mp)
			still = true;
	spin_unlock(&vfs->mount_lock);
	if (mp) {
		if (!still) {
			spin_lock(&vfs->dcache_lock);
			d_flags_clear(mp, DCACHE_MOUNTED);
			spin_unlock(&vfs->dcache_lock);
		}
		dput(mp);
		mntput(&parent->mnt);
	}
	if (atomic_read(&mnt->mnt_count) > 1)
		pr_warn("VFS: umount of %s: %d references left (busy)\n", mnt->mnt_devname,
			atomic_read(&mnt->mnt_count) - 1);
	mntput(&mnt->mnt);
}

static void sync_one_sb(struct super_block *sb, void *arg)
{
	(void)arg;
	sync_filesystem(sb);
}

/* Shutdown: sync, then unmount everything, the last mounted first. */
static void umount_all(struct vfs_state *vfs)
{
	iterate_supers(sync_one_sb, NULL);
	for (;;) {
		struct mount *last = NULL;

		spin_lock(&vfs->mount_lock);
		if (!list_empty(&vfs->mounts))
			last = list_last_entry(&vfs->mounts, struct mount, mnt_list);
		spin_unlock(&vfs->mount_lock);
		if (!last)
			break;
		umount_one(vfs, last);
	}
}

/* --- paths and /proc/mounts ---------------------------------------------- */

/*
 * The absolute path of (@mnt, @dentry): walk up to the mount's root, then
 * out to its mountpoint, until the namespace's root.
 */
int d_path_mnt(struct vfsmount *vmnt, struct dentry *dentry, char *buf, size_t len)
{
	struct vfs_state *vfs = vfs_state();
	struct mount *mnt = vmnt ? real_mount(vmnt) : NULL;
	size_t pos = len;
	int ret = 0;

	if (!len)
		return -ENAMETOOLONG;
	buf[--pos] = '\0';
	spin_lock(&vfs->mount_lock);
	spin_lock(&vfs->dcache_lock);
	for (;;) {
		if (mnt && dentry == mnt->mnt.mnt_root) {
			if (mnt->mnt_parent == mnt || !mnt->mnt_mountpoint)
				break;
			dentry = mnt->mnt_mountpoint;
			mnt = mnt->mnt_parent;
			continue;
		}
		if (dentry->d_parent == dentry)
			break;
		if (pos < dentry->d_name.len + 1) {
			ret = -ENAMETOOLONG;
			break;
		}
		pos -= dentry->d_name.len;
		memcpy(buf + pos, dentry->d_name.name, dentry->d_name.len);
		buf[--pos] = '/';
		dentry = dentry->d_parent;
	}
	spin_unlock(&vfs->dcache_lock);
	spin_unlock(&vfs->mount_lock);
	if (ret)
		return ret;
	if (pos == len - 1) {
		if (pos < 1)
			return -ENAMETOOLONG;
		buf[--pos] = '/';
	}
	memmove(buf, buf + pos, len - pos);
	return 0;
}

static void show_mnt_opts(struct seq_file *sf, int flags)
{
	seq_puts(sf, (flags & MS_RDONLY) ? "ro" : "rw");
	if (flags & MS_NOSUID)
		seq_puts(sf, ",nosuid");
	if (flags & MS_NODEV)
		seq_puts(sf, ",nodev");
	if (flags & MS_NOEXEC)
		seq_puts(sf, ",noexec");
	if (flags & MS_NOATIME)
		seq_puts(sf, ",noatime");
	else if (flags & MS_RELATIME)
		seq_puts(sf, ",relatime");
}

/* /proc/mounts (show_vfsmnt): "device mountpoint type options 0 0". */
int vfs_mounts_show(struct seq_file *sf, struct proc_file *f)
{
	struct vfs_state *vfs = vfs_state_of(f->m);
	struct mount *m;
	char path[PATH_MAX];

	spin_lock(&vfs->mount_lock);
	list_for_each_entry(m, &vfs->mounts, mnt_list) {
		struct vfsmount *parent = &m->mnt_parent->mnt;
		struct dentry *mp = m->mnt_mountpoint ? m->mnt_mountpoint : m->mnt.mnt_root;

		atomic_inc(&m->mnt_count);
		spin_unlock(&vfs->mount_lock);
		if (d_path_mnt(m->mnt_mountpoint ? parent : &m->mnt, mp, path, sizeof(path)))
			strcpy(path, "?");
		seq_printf(sf, "%s %s %s ", m->mnt_devname, path, m->mnt.mnt_sb->s_type->name);
		show_mnt_opts(sf, m->mnt.mnt_flags | ((m->mnt.mnt_sb->s_flags & SB_RDONLY) ? MS_RDONLY : 0));
		seq_puts(sf, " 0 0\n");
		spin_lock(&vfs->mount_lock);
		atomic_dec(&m->mnt_count);	/* the list holds one: never the last */
	}
	spin_unlock(&vfs->mount_lock);
	return 0;
}

/* --- the mount_root subsystem --------------------------------------------- */

/* Boot parameters of init/do_mounts.c: rootfstype= (the types to try). */
struct mount_root_state {
	char rootfstype[32];		/* "" (mmfs, then tmpfs), "mmfs" or "tmpfs" */
};

static int setup_rootfstype(void *state, const struct kernel_param *kp, const char *word,
			    const char *val, char *err, size_t len)
{
	struct mount_root_state *st = state;

	(void)kp;
	if (strcmp(val, "mmfs") && strcmp(val, "tmpfs"))
		return cmdline_fail(err, len, "'%s': unknown root file system type", word);
	snprintf(st->rootfstype, sizeof(st->rootfstype), "%s", val);
	return 0;
}

static const struct kernel_param mount_root_params[] = {
	__setup("rootfstype", setup_rootfstype),
};

static bool root_type_ok(struct mmsim *m, const char *type)
{
	const struct mount_root_state *st = subsys_state(m, mount_root);

	return !st->rootfstype[0] || !strcmp(st->rootfstype, type);
}

static int mount_root_init(struct mmsim *m, char *err, size_t len)
{
	struct block_device *bdev = mmsim_root_bdev(m);
	int ret = -ENODEV;

	(void)err;
	(void)len;
	if (bdev && get_fs_type("mmfs") && root_type_ok(m, "mmfs")) {
		char dev[48];

		snprintf(dev, sizeof(dev), "/dev/%s", bdev->bd_disk->disk_name);
		ret = do_mount(dev, "/", "mmfs", MS_RELATIME, NULL);
		if (ret)
			pr_err("VFS: Cannot open root device \"%s\" or unknown-block(%u,%u): error %d\n",
			       bdev->bd_disk->disk_name, MAJOR(bdev->bd_dev), MINOR(bdev->bd_dev), ret);
		else
			pr_info("VFS: Mounted root (mmfs filesystem) on device %u:%u.\n",
				MAJOR(bdev->bd_dev), MINOR(bdev->bd_dev));
	}
	if (ret && get_fs_type("tmpfs") && root_type_ok(m, "tmpfs")) {
		ret = do_mount("rootfs", "/", "tmpfs", 0, NULL);
		if (!ret)
			pr_info("VFS: Mounted root (tmpfs filesystem).\n");
	}
	if (ret) {
		pr_info("VFS: no root file system mounted (no %s)\n",
			root_type_ok(m, "mmfs") ? "mmfs with a disk, no tmpfs" : "tmpfs");
		return 0;
	}
	if (!get_fs_type("tmpfs")) {
		pr_info("VFS: tmpfs not registered: no /dev/shm, /tmp mounts\n");
		return 0;
	}
	static const char *const dirs[] = { "/dev", "/dev/shm", "/tmp" };

	for (unsigned int i = 0; i < ARRAY_SIZE(dirs); i++) {
		ret = init_mkdir(dirs[i], 0755);
		if (ret && ret != -EEXIST) {
			pr_err("VFS: cannot create %s: error %d\n", dirs[i], ret);
			return 0;
		}
	}
	ret = do_mount("tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, NULL);
	if (ret)
		pr_err("VFS: cannot mount tmpfs on /dev/shm: error %d\n", ret);
	ret = do_mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, NULL);
	if (ret)
		pr_err("VFS: cannot mount tmpfs on /tmp: error %d\n", ret);
	return 0;
}

static int mount_root_core(struct mmsim *m, char *err, size_t len)
{
	(void)m;
	(void)err;
	(void)len;
	return 0;
}

static void mount_root_exit(struct mmsim *m)
{
	struct vfs_state *vfs = vfs_state_of(m);

	if (vfs && vfs->ready)
		umount_all(vfs);
}

static const struct initcall mount_root_initcalls[] = {
	/* the exit hangs here so that it runs after pid's (tasks gone first) */
	core_initcall(mount_root_core, mount_root_exit),
	late_initcall(mount_root_init, NULL),
};

DEFINE_SUBSYSTEM(mount_root, SUBSYS_STATE(struct mount_root_state, NULL),
		 SUBSYS_PARAMS(mount_root_params), SUBSYS_INITCALLS(mount_root_initcalls));
