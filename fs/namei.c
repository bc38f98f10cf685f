// SPDX-License-Identifier: GPL-2.0
/*
 * fs/namei.c - path walk and the directory operations (Linux's
 * fs/namei.c): kern_path, the open path (do_filp_open), vfs_create,
 * vfs_mkdir, vfs_rmdir, vfs_unlink and their system calls.
 *
 * Design.  Every path is absolute ("a/b" is taken relative to "/", every
 * task's cwd and root).  The walk starts at the namespace's root
 * (get_fs_root) and takes one component at a time (link_path_walk): the
 * current dentry must be a directory (-ENOTDIR); a component longer than
 * NAME_MAX (255) is -ENAMETOOLONG, as is a path of PATH_MAX (4096) bytes
 * or more; "." stays, ".." goes to the parent (follow_dotdot: out of a
 * mount's root to its mountpoint, never above the namespace's root); any
 * other name is looked up in the dentry tree (d_lookup) and, on a miss,
 * through the directory's ->lookup with its i_rwsem held (lookup_slow);
 * a negative result is -ENOENT.  A DCACHE_MOUNTED dentry is crossed into
 * the root of the mount on it (follow_mount).  Trailing slashes ask for a
 * directory.  The "parent" walks (creation, removal) stop before the last
 * component and hand it back; the caller locks the parent directory's
 * inode and looks the last component up itself (lookup_one_locked).
 *
 * Locking: a walk holds a reference on its current (mount, dentry) and
 * no lock between components; lookup_slow takes the directory's i_rwsem
 * for writing (Linux: shared, with in-lookup dentries; mmsim serializes
 * lookups of one directory).  Directory changes hold the parent's i_rwsem
 * for writing, and the victim's (vfs_unlink, vfs_rmdir) inside it: parent
 * before child, as Linux's I_MUTEX_PARENT/I_MUTEX_CHILD.
 *
 * Invariants: every successful walk returns referenced dentry and mount;
 * a positive dentry the walk returns is hashed or was looked up by the
 * caller; no error path leaks a reference.
 */
#include <errno.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/fcntl.h>
#include <mmsim/printk.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/panic.h>
#include "fs/internal.h"

/* Every task's umask is 0022 (/proc/PID/status Umask); mmsim has no umask(2). */
static umode_t current_umask(void)
{
	return 0022;
}

static bool is_dot(const struct qstr *q)
{
	return q->len == 1 && q->name[0] == '.';
}

static bool is_dotdot(const struct qstr *q)
{
	return q->len == 2 && q->name[0] == '.' && q->name[1] == '.';
}

/* Cross into whatever is mounted on @path, as often as it takes. */
static void follow_mount(struct path *path)
{
	while (d_flags_test(path->dentry, DCACHE_MOUNTED)) {
		struct mount *m = lookup_mnt(path);

		if (!m)
			break;
		path_put(path);
		path->mnt = &m->mnt;	/* lookup_mnt's reference */
		path->dentry = dget(m->mnt.mnt_root);
	}
}

static void follow_dotdot(struct path *path, const struct path *root)
{
	struct vfs_state *vfs = vfs_state();

	for (;;) {
		struct dentry *parent;
		struct mount *m;

		if (path->dentry == root->dentry && path->mnt == root->mnt)
			break;
		if (path->dentry != path->mnt->mnt_root) {
			parent = dget(path->dentry->d_parent);
			dput(path->dentry);
			path->dentry = parent;
			break;
		}
		m = real_mount(path->mnt);
		spin_lock(&vfs->mount_lock);
		if (m->mnt_parent == m || !m->mnt_mountpoint) {
			spin_unlock(&vfs->mount_lock);
			break;
		}
		{
			struct path up = { &m->mnt_parent->mnt, m->mnt_mountpoint };

			path_get(&up);
			spin_unlock(&vfs->mount_lock);
			path_put(path);
			*path = up;
		}
	}
	follow_mount(path);
}

/* @name in the locked directory @parent: a referenced dentry, maybe negative. */
struct dentry *lookup_one_locked(struct dentry *parent, const struct qstr *name)
{
	struct inode *dir = d_inode(parent);
	struct dentry *d, *old;

	d = d_lookup(parent, name);
	if (d)
		return d;
	if (!dir->i_nlink && S_ISDIR(dir->i_mode))
		return ERR_PTR(-ENOENT);	/* IS_DEADDIR */
	if (!dir->i_op || !dir->i_op->lookup)
		return ERR_PTR(-ENOTDIR);
	d = d_alloc(parent, name);
	if (!d)
		return ERR_PTR(-ENOMEM);
	old = dir->i_op->lookup(dir, d, 0);
	if (old) {
		dput(d);
		return old;
	}
	return d;
}

/* A positive dentry for @name, or -ENOENT (decided under the directory's lock). */
static struct dentry *lookup_slow(struct dentry *parent, const struct qstr *name)
{
	struct inode *dir = d_inode(parent);
	struct dentry *d;

	inode_lock(dir);
	d = lookup_one_locked(parent, name);
	if (!IS_ERR(d) && d_really_is_negative(d)) {
		dput(d);
		d = ERR_PTR(-ENOENT);
	}
	inode_unlock(dir);
	return d;
}

/*
 * link_path_walk: walk @name from the root.  With @last, stop before the
 * last component and return it (its name points into @name; len 0 for
 * "/" itself) with the parent in @path; else return the whole path.
 */
static int path_walk(const char *name, unsigned int flags, struct path *path,
		     struct qstr *last, bool *trailing)
{
	struct path root;
	const char *p;
	size_t len;
	bool slash = false;

	if (!name)
		return -EFAULT;
	len = strnlen(name, PATH_MAX);
	if (len >= PATH_MAX)
		return -ENAMETOOLONG;
	if (!len)
		return -ENOENT;
	if (!vfs_state())
		return -ENOENT;
	get_fs_root(&root);
	if (!root.mnt)
		return -ENOENT;
	*path = root;
	path_get(path);
	p = name;
	while (*p == '/')
		p++;
	if (last) {
		last->name = p;
		last->len = 0;
	}
	while (*p) {
		struct qstr comp = { .name = p };
		const char *q;
		struct dentry *d;

		while (*p && *p != '/')
			p++;
		comp.len = (u32)(p - comp.name);
		q = p;
		while (*q == '/')
			q++;
		slash = q != p;
		if (comp.len > NAME_MAX)
			goto err_nametoolong;
		if (!S_ISDIR(d_inode(path->dentry)->i_mode))
			goto err_notdir;
		if (last && !*q) {
			*last = comp;
			break;
		}
		p = q;
		if (is_dot(&comp))
			continue;
		if (is_dotdot(&comp)) {
			follow_dotdot(path, &root);
			continue;
		}
		d = __d_lookup(path->dentry, &comp, true);
		if (!d)
			d = lookup_slow(path->dentry, &comp);
		if (IS_ERR(d)) {
			path_put(path);
			path_put(&root);
			return (int)PTR_ERR(d);
		}
		dput(path->dentry);
		path->dentry = d;
		follow_mount(path);
	}
	path_put(&root);
	if (trailing)
		*trailing = slash;
	if (!last && (slash || (flags & LOOKUP_DIRECTORY)) &&
	    !S_ISDIR(d_inode(path->dentry)->i_mode)) {
		path_put(path);
		return -ENOTDIR;
	}
	return 0;
err_nametoolong:
	path_put(path);
	path_put(&root);
	return -ENAMETOOLONG;
err_notdir:
	path_put(path);
	path_put(&root);
	return -ENOTDIR;
}

int kern_path(const char *name, unsigned int flags, struct path *path)
{
	return path_walk(name, flags, path, NULL, NULL);
}

int kern_path_parent(const char *name, struct path *parent, struct qstr *last, bool *trailing)
{
	return path_walk(name, 0, parent, last, trailing);
}

/* --- the directory operations ------------------------------------------ */

int vfs_create(struct inode *dir, struct dentry *dentry, umode_t mode, bool excl)
{
	if (!dir->i_op || !dir->i_op->create)
		return -EACCES;
	mode = (mode & 07777) | S_IFREG;
	return dir->i_op->create(dir, dentry, mode, excl);
}

int vfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	if (!dir->i_op || !dir->i_op->mkdir)
		return -EPERM;
	mode = (mode & 01777) | S_IFDIR;
	return dir->i_op->mkdir(dir, dentry, mode);
}

int vfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);
	int ret;

	if (!dir->i_op || !dir->i_op->rmdir)
		return -EPERM;
	if (!S_ISDIR(inode->i_mode))
		return -ENOTDIR;
	inode_lock(inode);
	if (d_flags_test(dentry, DCACHE_MOUNTED))
		ret = -EBUSY;
	else
		ret = dir->i_op->rmdir(dir, dentry);
	inode_unlock(inode);
	if (!ret)
		d_delete(dentry);
	return ret;
}

int vfs_unlink(struct inode *dir, struct dentry *dentry)
{
	struct inode *inode = d_inode(dentry);
	int ret;

	if (!dir->i_op || !dir->i_op->unlink)
		return -EPERM;
	if (S_ISDIR(inode->i_mode))
		return -EISDIR;
	inode_lock(inode);
	if (d_flags_test(dentry, DCACHE_MOUNTED))
		ret = -EBUSY;
	else
		ret = dir->i_op->unlink(dir, dentry);
	inode_unlock(inode);
	if (!ret)
		d_delete(dentry);
	return ret;
}

/* --- open ----------------------------------------------------------------- */

/* The part of the open path that finds (or creates) the dentry. */
static int open_lookup(const char *name, int flags, umode_t mode, struct path *path,
		       bool *created)
{
	struct path parent;
	struct qstr last;
	struct dentry *d;
	struct inode *dir;
	bool trailing;
	int ret;

	*created = false;
	if (!(flags & O_CREAT))
		return kern_path(name, (flags & O_DIRECTORY) ? LOOKUP_DIRECTORY : 0, path);
	ret = kern_path_parent(name, &parent, &last, &trailing);
	if (ret)
		return ret;
	if (!last.len || is_dot(&last) || is_dotdot(&last) || trailing) {
		path_put(&parent);
		return -EISDIR;
	}
	dir = d_inode(parent.dentry);
	inode_lock(dir);
	d = lookup_one_locked(parent.dentry, &last);
	if (IS_ERR(d)) {
		ret = (int)PTR_ERR(d);
	} else if (d_really_is_negative(d)) {
		ret = vfs_create(dir, d, mode & ~current_umask(), flags & O_EXCL);
		*created = !ret;
	} else if (flags & O_EXCL) {
		ret = -EEXIST;
	}
	inode_unlock(dir);
	if (ret) {
		if (!IS_ERR(d))
			dput(d);
		path_put(&parent);
		return ret;
	}
	if (d_really_is_negative(d)) {	/* ->create left it negative: a bug */
		dput(d);
		path_put(&parent);
		return -ENOENT;
	}
	path->mnt = parent.mnt;		/* the parent's mount reference moves */
	path->dentry = d;
	dput(parent.dentry);
	follow_mount(path);
	return 0;
}

struct file *do_filp_open(const char *name, int flags, umode_t mode)
{
	struct path path;
	struct inode *inode;
	struct file *f;
	bool created;
	int ret;

	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return ERR_PTR(-EINVAL);
	ret = open_lookup(name, flags, mode, &path, &created);
	if (ret)
		return ERR_PTR(ret);
	inode = d_inode(path.dentry);
	/* may_open */
	if (S_ISDIR(inode->i_mode)) {
		if ((flags & O_CREAT) ||
		    (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)) {
			path_put(&path);
			return ERR_PTR(-EISDIR);
		}
	} else if (flags & O_DIRECTORY) {
		path_put(&path);
		return ERR_PTR(-ENOTDIR);
	}
	f = do_dentry_open(&path, flags, NULL);	/* takes the path's references */
	if (IS_ERR(f))
		return f;
	if ((flags & O_TRUNC) && !created && S_ISREG(inode->i_mode)) {
		ret = do_truncate(path.dentry, 0, ATTR_MTIME | ATTR_CTIME, f);
		if (ret) {
			fput(f);
			return ERR_PTR(ret);
		}
	}
	return f;
}

/* --- the system calls ------------------------------------------------------ */

static long path_syscall_check(void)
{
	RETURN_IF_HALTED(-EIO);
	return current ? 0 : -ESRCH;
}

/* The parent of @path, locked, and the dentry of its last component. */
static int lookup_locked_last(const char *name, struct path *parent, struct qstr *last,
			      bool *trailing, struct dentry **dp)
{
	int ret = kern_path_parent(name, parent, last, trailing);
	struct dentry *d;

	if (ret)
		return ret;
	*dp = NULL;
	if (!last->len || is_dot(last) || is_dotdot(last))
		return 0;
	inode_lock(d_inode(parent->dentry));
	d = lookup_one_locked(parent->dentry, last);
	if (IS_ERR(d)) {
		inode_unlock(d_inode(parent->dentry));
		path_put(parent);
		return (int)PTR_ERR(d);
	}
	*dp = d;
	return 0;
}

static void unlock_last(struct path *parent, struct dentry *d)
{
	if (d) {
		dput(d);
		inode_unlock(d_inode(parent->dentry));
	}
	path_put(parent);
}

/* mkdir without a task (Linux's init_mkdir of fs/init.c): boot and import. */
int init_mkdir(const char *path, umode_t mode)
{
	struct path parent;
	struct qstr last;
	struct dentry *d;
	bool trailing;
	int ret = lookup_locked_last(path, &parent, &last, &trailing, &d);

	if (ret)
		return ret;
	if (!d || d_inode(d))
		ret = -EEXIST;
	else
		ret = vfs_mkdir(d_inode(parent.dentry), d, mode & ~current_umask());
	unlock_last(&parent, d);
	return ret;
}

long sys_mkdir(const char *path, int mode)
{
	struct path parent;
	struct qstr last;
	struct dentry *d;
	bool trailing;
	long ret = path_syscall_check();

	if (ret)
		return ret;
	ret = lookup_locked_last(path, &parent, &last, &trailing, &d);
	if (ret)
		return ret;
	if (!d)
		ret = -EEXIST;
	else if (d_inode(d))
		ret = -EEXIST;
	else
		ret = vfs_mkdir(d_inode(parent.dentry), d, (umode_t)mode & ~current_umask());
	unlock_last(&parent, d);
	return ret;
}

long sys_rmdir(const char *path)
{
	struct path parent;
	struct qstr last;
	struct dentry *d;
	bool trailing;
	long ret = path_syscall_check();

	if (ret)
		return ret;
	ret = lookup_locked_last(path, &parent, &last, &trailing, &d);
	if (ret)
		return ret;
	if (!d)
		ret = !last.len ? -EBUSY : is_dot(&last) ? -EINVAL : -ENOTEMPTY;
	else if (!d_inode(d))
		ret = -ENOENT;
	else if (!S_ISDIR(d_inode(d)->i_mode))
		ret = -ENOTDIR;
	else
		ret = vfs_rmdir(d_inode(parent.dentry), d);
	unlock_last(&parent, d);
	return ret;
}

long sys_unlink(const char *path)
{
	struct path parent;
	struct qstr last;
	struct dentry *d;
	bool trailing;
	long ret = path_syscall_check();

	if (ret)
		return ret;
	ret = lookup_locked_last(path, &parent, &last, &trailing, &d);
	if (ret)
		return ret;
	if (!d)
		ret = -EISDIR;
	else if (!d_inode(d))
		ret = -ENOENT;
	else if (S_ISDIR(d_inode(d)->i_mode))
		ret = -EISDIR;
	else if (trailing)
		ret = -ENOTDIR;
	else
		ret = vfs_unlink(d_inode(parent.dentry), d);
	unlock_last(&parent, d);
	return ret;
}
