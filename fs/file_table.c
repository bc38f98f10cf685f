// SPDX-License-Identifier: GPL-2.0
/*
 * fs/file_table.c - struct file: allocation from the machine's "filp"
 * slab cache, alloc_file_pseudo, and the last fput (Linux's
 * fs/file_table.c).  /proc/sys/fs/file-nr counts the files allocated.
 *
 * Design.  A file holds a reference on its path (mount and dentry, which
 * holds the inode) or, for a pseudo file (alloc_file_pseudo: shmem's
 * unlinked objects), directly on its inode.  The last fput calls
 * ->release, then drops those references (dput/mntput or iput) and frees
 * the file; Linux defers that to task work, mmsim does it at once in the
 * caller (no locks of the VFS may be held by fput's callers).  A file not
 * allocated here (FMODE_VFS_ALLOC clear: a file system that embeds its own
 * struct file) only gets ->release, which frees it.
 *
 * Locking: f_count is atomic; the 1 -> 0 transition belongs to exactly one
 * caller.  nr_files is an atomic counter (Linux: a percpu counter).
 *
 * Invariants: nr_files == the files allocated here and not yet freed;
 * f_inode == d_inode(f_path.dentry) when f_path.dentry is set; f_mapping
 * == f_inode->i_mapping.
 */
#include <errno.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/printk.h>
#include <mmsim/fcntl.h>
#include <mmsim/pagemap.h>
#include "fs/internal.h"

struct file *alloc_empty_file(int flags)
{
	struct vfs_state *vfs = vfs_state();
	struct file *f;

	if (!vfs || !vfs->ready)
		return ERR_PTR(-ENFILE);
	if (atomic_long_read(&vfs->nr_files) >= READ_ONCE(vfs->file_max)) {
		pr_info("VFS: file-max limit %d reached\n", READ_ONCE(vfs->file_max));
		return ERR_PTR(-ENFILE);
	}
	f = kmem_cache_zalloc(vfs->filp_cachep, GFP_KERNEL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	atomic_long_set(&f->f_count, 1);
	init_rwsem(&f->f_pos_lock);
	f->f_flags = (unsigned int)flags;
	f->f_mode = FMODE_VFS_ALLOC;
	atomic_long_add(1, &vfs->nr_files);
	return f;
}

void file_free(struct file *f)
{
	struct vfs_state *vfs = vfs_state();

	if (f->f_mode & FMODE_NAME_OWNED)
		kfree(f->f_name);
	destroy_rwsem(&f->f_pos_lock);
	atomic_long_add(-(1), &vfs->nr_files);
	kmem_cache_free(vfs->filp_cachep, f);
}

/* fmode of open flags (OPEN_FMODE): O_RDONLY -> read, O_WRONLY -> write, O_RDWR -> both. */
static fmode_t open_fmode(int flags)
{
	return (fmode_t)((flags + 1) & O_ACCMODE);
}

struct file *alloc_file_pseudo(struct inode *inode, const char *name, int flags,
			       const struct file_operations *fops)
{
	struct file *f = alloc_empty_file(flags);
	size_t n;

	if (IS_ERR(f))
		return f;
	n = strlen(name ? name : "");
	f->f_name = kmalloc(n + 1, GFP_KERNEL);
	if (!f->f_name) {
		file_free(f);
		return ERR_PTR(-ENOMEM);
	}
	memcpy((char *)f->f_name, name ? name : "", n + 1);
	f->f_mode |= FMODE_NAME_OWNED | open_fmode(flags) | FMODE_LSEEK | FMODE_PREAD | FMODE_PWRITE;
	f->f_inode = inode;		/* the caller's reference moves to the file */
	f->f_mapping = inode->i_mapping;
	f->f_op = fops;
	if ((f->f_mode & FMODE_READ) && fops && fops->read_iter)
		f->f_mode |= FMODE_CAN_READ;
	if ((f->f_mode & FMODE_WRITE) && fops && fops->write_iter)
		f->f_mode |= FMODE_CAN_WRITE;
	f->f_wb_err = inode->i_mapping->wb_err;
	file_ra_state_init(&f->f_ra, f->f_mapping);
	return f;
}

/* The last reference: ->release, then the path (or inode), then the file. */
static void __fput(struct file *file)
{
	struct dentry *dentry = file->f_path.dentry;
	struct vfsmount *mnt = file->f_path.mnt;
	struct inode *inode = file->f_inode;

	if (!(file->f_mode & FMODE_VFS_ALLOC)) {
		/* a file its file system allocated itself: ->release frees it */
		if (file->f_op && file->f_op->release)
			file->f_op->release(inode, file);
		return;
	}
	if (file->f_op && file->f_op->release)
		file->f_op->release(inode, file);
	if (dentry) {
		dput(dentry);
		mntput(mnt);
	} else if (inode) {
		iput(inode);
	}
	file_free(file);
}

void fput(struct file *file)
{
	long c;

	if (!file)
		return;
	c = atomic_fetch_sub(&file->f_count.counter, 1);
	if (c == 1)
		__fput(file);
	else
		WARN_ON(c <= 0);
}
