/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/vfs_testfs.h - "testfs", a ramfs-like file system for the VFS
 * tests (test_vfs.c, test_vfs_mt.c): directories through libfs (pinned
 * dentries, simple_lookup/link/unlink/rmdir, dcache_readdir), file bytes
 * in a host buffer per inode (i_private) copied through the iov_iter by
 * its own read_iter/write_iter (no page cache), i_rwsem around every
 * access of the buffer, ->release and ->evict_inode counted, s_maxbytes
 * 1 MiB.  Mounted with mount_nodev, killed with kill_litter_super.
 */
#ifndef MMSIM_TESTS_VFS_TESTFS_H
#define MMSIM_TESTS_VFS_TESTFS_H

#include <stdatomic.h>
#include <mmsim/fs.h>
#include <mmsim/uio.h>
#include <mmsim/uaccess.h>
#include <mmsim/mm.h>

static atomic_int nr_released, nr_evicted;

/* --- testfs ----------------------------------------------------------- */

#define TESTFS_MAGIC	0x74657374
#define TESTFS_MAXBYTES	(1 << 20)

struct testfs_data {
	char *buf;
	size_t cap;
};

static const struct inode_operations testfs_dir_iops;
static const struct inode_operations testfs_file_iops;
static const struct file_operations testfs_file_fops;

static struct testfs_data *TD(struct inode *inode)
{
	return inode->i_private;
}

static int testfs_reserve(struct inode *inode, size_t size)
{
	struct testfs_data *d = TD(inode);

	if (size <= d->cap)
		return 0;
	char *n = realloc(d->buf, size);

	if (!n)
		return -ENOMEM;
	memset(n + d->cap, 0, size - d->cap);
	d->buf = n;
	d->cap = size;
	return 0;
}

static ssize_t testfs_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	loff_t size = i_size_read(inode);
	size_t n;

	inode_lock_shared(inode);
	size = i_size_read(inode);
	if (iocb->ki_pos >= size) {
		inode_unlock_shared(inode);
		return 0;
	}
	n = (size_t)(size - iocb->ki_pos);
	if (n > to->count)
		n = to->count;
	if (to->iter_type == ITER_KVEC) {
		memcpy((char *)to->kbuf + to->iov_offset, TD(inode)->buf + iocb->ki_pos, n);
	} else if (copy_to_user(to->ubuf + to->iov_offset, TD(inode)->buf + iocb->ki_pos, n)) {
		inode_unlock_shared(inode);
		return -EFAULT;
	}
	inode_unlock_shared(inode);
	to->iov_offset += n;
	to->count -= n;
	iocb->ki_pos += (loff_t)n;
	return (ssize_t)n;
}

static ssize_t testfs_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	struct inode *inode = file_inode(iocb->ki_filp);
	size_t n = from->count;
	int ret;

	inode_lock(inode);
	if (iocb->ki_flags & IOCB_APPEND)
		iocb->ki_pos = i_size_read(inode);
	if (iocb->ki_pos + (loff_t)n > TESTFS_MAXBYTES) {
		inode_unlock(inode);
		return -EFBIG;
	}
	ret = testfs_reserve(inode, (size_t)iocb->ki_pos + n);
	if (ret) {
		inode_unlock(inode);
		return ret;
	}
	if (from->iter_type == ITER_KVEC)
		memcpy(TD(inode)->buf + iocb->ki_pos, (char *)from->kbuf + from->iov_offset, n);
	else if (copy_from_user(TD(inode)->buf + iocb->ki_pos, from->ubuf + from->iov_offset, n)) {
		inode_unlock(inode);
		return -EFAULT;
	}
	from->iov_offset += n;
	from->count -= n;
	iocb->ki_pos += (loff_t)n;
	if (iocb->ki_pos > i_size_read(inode))
		i_size_write(inode, iocb->ki_pos);
	inode->i_mtime = inode->i_ctime = current_time(inode);
	inode_unlock(inode);
	return (ssize_t)n;
}

static int testfs_release(struct inode *inode, struct file *file)
{
	(void)inode;
	(void)file;
	atomic_fetch_add(&nr_released, 1);
	return 0;
}

static int testfs_setattr(struct dentry *dentry, struct iattr *attr)
{
	struct inode *inode = d_inode(dentry);

	if (attr->ia_valid & ATTR_SIZE) {
		int ret = inode_newsize_ok(inode, attr->ia_size);
		size_t old = (size_t)i_size_read(inode);

		if (ret)
			return ret;
		ret = testfs_reserve(inode, (size_t)attr->ia_size);
		if (ret)
			return ret;
		if ((size_t)attr->ia_size < old)
			memset(TD(inode)->buf + attr->ia_size, 0, old - (size_t)attr->ia_size);
		i_size_write(inode, attr->ia_size);
	}
	setattr_copy(inode, attr);
	return 0;
}

static struct inode *testfs_get_inode(struct super_block *sb, const struct inode *dir, umode_t mode)
{
	struct inode *inode = new_inode(sb);
	struct testfs_data *d;

	if (!inode)
		return NULL;
	d = calloc(1, sizeof(*d));
	inode->i_private = d;
	inode->i_ino = get_next_ino();
	inode_init_owner(inode, dir, mode);
	inode->i_atime = inode->i_mtime = inode->i_ctime = current_time(inode);
	if (S_ISDIR(mode)) {
		inode->i_op = &testfs_dir_iops;
		inode->i_fop = &simple_dir_operations;
		inc_nlink(inode);
	} else {
		inode->i_op = &testfs_file_iops;
		inode->i_fop = &testfs_file_fops;
	}
	return inode;
}

static int testfs_mknod(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	struct inode *inode = testfs_get_inode(dir->i_sb, dir, mode);

	if (!inode)
		return -ENOSPC;
	d_instantiate(dentry, inode);
	dget(dentry);		/* pinned, as ramfs */
	dir->i_mtime = dir->i_ctime = current_time(dir);
	return 0;
}

static int testfs_create(struct inode *dir, struct dentry *dentry, umode_t mode, bool excl)
{
	(void)excl;
	return testfs_mknod(dir, dentry, mode | S_IFREG);
}

static int testfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	int ret = testfs_mknod(dir, dentry, mode | S_IFDIR);

	if (!ret)
		inc_nlink(dir);
	return ret;
}

static void testfs_evict_inode(struct inode *inode)
{
	struct testfs_data *d = TD(inode);

	if (d) {
		free(d->buf);
		free(d);
		inode->i_private = NULL;
	}
	clear_inode(inode);
	atomic_fetch_add(&nr_evicted, 1);
}

static const struct inode_operations testfs_dir_iops = {
	.lookup = simple_lookup,
	.create = testfs_create,
	.mkdir = testfs_mkdir,
	.link = simple_link,
	.unlink = simple_unlink,
	.rmdir = simple_rmdir,
};

static const struct inode_operations testfs_file_iops = {
	.setattr = testfs_setattr,
};

static const struct file_operations testfs_file_fops = {
	.llseek = generic_file_llseek,
	.read_iter = testfs_read_iter,
	.write_iter = testfs_write_iter,
	.open = generic_file_open,
	.release = testfs_release,
	.fsync = noop_fsync,
};

static const struct super_operations testfs_sops = {
	.evict_inode = testfs_evict_inode,
	.drop_inode = generic_drop_inode,
	.statfs = simple_statfs,
};

static int testfs_fill_super(struct super_block *sb, void *data, int silent)
{
	struct inode *root;

	(void)data;
	(void)silent;
	sb->s_op = &testfs_sops;
	sb->s_magic = TESTFS_MAGIC;
	sb->s_maxbytes = TESTFS_MAXBYTES;
	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	root = testfs_get_inode(sb, NULL, S_IFDIR | 0755);
	sb->s_root = d_make_root(root);
	return sb->s_root ? 0 : -ENOMEM;
}

static struct dentry *testfs_mount(struct file_system_type *type, int flags, const char *dev,
				   void *data)
{
	(void)dev;
	return mount_nodev(type, flags, data, testfs_fill_super);
}

static struct file_system_type testfs_type = {
	.name = "testfs",
	.mount = testfs_mount,
	.kill_sb = kill_litter_super,
};

#endif
