// SPDX-License-Identifier: GPL-2.0
/*
 * fs/stubs_vfs.c - TEMPORARY contract stubs (issue 12): every function declared for
 * the VFS core (the fs/ files) and its system calls that is not written yet, so that main links while the owner
 * writes the real ones.  The owner deletes each stub as it lands and this
 * file with the last one; none may remain when issue 12 is resolved
 * (grep ENOSYS).
 */
#include <errno.h>
#include <stddef.h>
#include <mmsim/fs.h>
#include <mmsim/fcntl.h>
#include <mmsim/uio.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include <mmsim/backing-dev.h>
#include <mmsim/workqueue.h>
#include <mmsim/syscalls.h>
#include "init/init.h"

int register_filesystem(struct file_system_type *fs)
{
	(void)fs;
	return -ENOSYS;
}

int unregister_filesystem(struct file_system_type *fs)
{
	(void)fs;
	return -ENOSYS;
}

struct file_system_type *get_fs_type(const char *name)
{
	(void)name;
	return NULL;
}

struct dentry *mount_bdev(struct file_system_type *fs_type, int flags, const char *dev_name, void *data, int (*fill_super)(struct super_block *, void *, int))
{
	(void)fs_type;
	(void)flags;
	(void)dev_name;
	(void)data;
	return NULL;
}

struct dentry *mount_nodev(struct file_system_type *fs_type, int flags, void *data, int (*fill_super)(struct super_block *, void *, int))
{
	(void)fs_type;
	(void)flags;
	(void)data;
	return NULL;
}

void kill_block_super(struct super_block *sb)
{
	(void)sb;
}

void kill_anon_super(struct super_block *sb)
{
	(void)sb;
}

void kill_litter_super(struct super_block *sb)
{
	(void)sb;
}

void generic_shutdown_super(struct super_block *sb)
{
	(void)sb;
}

void iterate_supers(void (*f)(struct super_block *sb, void *arg), void *arg)
{
	(void)f;
	(void)arg;
}

struct inode *new_inode(struct super_block *sb)
{
	(void)sb;
	return NULL;
}

struct inode *iget_locked(struct super_block *sb, unsigned long ino)
{
	(void)sb;
	(void)ino;
	return NULL;
}

struct inode *ilookup(struct super_block *sb, unsigned long ino)
{
	(void)sb;
	(void)ino;
	return NULL;
}

void unlock_new_inode(struct inode *inode)
{
	(void)inode;
}

void iget_failed(struct inode *inode)
{
	(void)inode;
}

void ihold(struct inode *inode)
{
	(void)inode;
}

void iput(struct inode *inode)
{
	(void)inode;
}

void clear_inode(struct inode *inode)
{
	(void)inode;
}

int generic_drop_inode(struct inode *inode)
{
	(void)inode;
	return -ENOSYS;
}

void inode_init_owner(struct inode *inode, const struct inode *dir, umode_t mode)
{
	(void)inode;
	(void)dir;
	(void)mode;
}

void set_nlink(struct inode *inode, unsigned int nlink)
{
	(void)inode;
	(void)nlink;
}

void inc_nlink(struct inode *inode)
{
	(void)inode;
}

void drop_nlink(struct inode *inode)
{
	(void)inode;
}

void clear_nlink(struct inode *inode)
{
	(void)inode;
}

void init_special_inode(struct inode *inode, umode_t mode, dev_t dev)
{
	(void)inode;
	(void)mode;
	(void)dev;
}

struct timespec current_time(struct inode *inode)
{
	(void)inode;
	return (struct timespec){0};
}

void evict_inodes(struct super_block *sb)
{
	(void)sb;
}

void prune_icache_sb(struct super_block *sb, unsigned long nr)
{
	(void)sb;
	(void)nr;
}

void inode_init_once(struct inode *inode)
{
	(void)inode;
}

int simple_setattr(struct dentry *dentry, struct iattr *attr)
{
	(void)dentry;
	(void)attr;
	return -ENOSYS;
}

void setattr_copy(struct inode *inode, const struct iattr *attr)
{
	(void)inode;
	(void)attr;
}

int inode_newsize_ok(const struct inode *inode, loff_t offset)
{
	(void)inode;
	(void)offset;
	return -ENOSYS;
}

void generic_fillattr(struct inode *inode, struct kstat *stat)
{
	(void)inode;
	(void)stat;
}

int kern_path(const char *name, unsigned int flags, struct path *path)
{
	(void)name;
	(void)flags;
	(void)path;
	return -ENOSYS;
}

void path_get(const struct path *path)
{
	(void)path;
}

void path_put(const struct path *path)
{
	(void)path;
}

int do_mount(const char *dev_name, const char *dir_name, const char *type_page, unsigned long flags, void *data)
{
	(void)dev_name;
	(void)dir_name;
	(void)type_page;
	(void)flags;
	(void)data;
	return -ENOSYS;
}

struct vfsmount *kern_mount(struct file_system_type *type)
{
	(void)type;
	return NULL;
}

void kern_unmount(struct vfsmount *mnt)
{
	(void)mnt;
}

int vfs_create(struct inode *dir, struct dentry *dentry, umode_t mode, bool excl)
{
	(void)dir;
	(void)dentry;
	(void)mode;
	(void)excl;
	return -ENOSYS;
}

int vfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode)
{
	(void)dir;
	(void)dentry;
	(void)mode;
	return -ENOSYS;
}

int vfs_rmdir(struct inode *dir, struct dentry *dentry)
{
	(void)dir;
	(void)dentry;
	return -ENOSYS;
}

int vfs_unlink(struct inode *dir, struct dentry *dentry)
{
	(void)dir;
	(void)dentry;
	return -ENOSYS;
}

int vfs_getattr(const struct path *path, struct kstat *stat)
{
	(void)path;
	(void)stat;
	return -ENOSYS;
}

int vfs_truncate(const struct path *path, loff_t length)
{
	(void)path;
	(void)length;
	return -ENOSYS;
}

int do_truncate(struct dentry *dentry, loff_t length, unsigned int time_attrs, struct file *filp)
{
	(void)dentry;
	(void)length;
	(void)time_attrs;
	(void)filp;
	return -ENOSYS;
}

int notify_change(struct dentry *dentry, struct iattr *attr)
{
	(void)dentry;
	(void)attr;
	return -ENOSYS;
}

struct file *filp_open(const char *filename, int flags, umode_t mode)
{
	(void)filename;
	(void)flags;
	(void)mode;
	return NULL;
}

int filp_close(struct file *filp)
{
	(void)filp;
	return -ENOSYS;
}

struct file *alloc_file_pseudo(struct inode *inode, const char *name, int flags, const struct file_operations *fops)
{
	(void)inode;
	(void)name;
	(void)flags;
	(void)fops;
	return NULL;
}

struct file *fget(unsigned int fd)
{
	(void)fd;
	return NULL;
}

ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos)
{
	(void)file;
	(void)buf;
	(void)count;
	(void)pos;
	return -ENOSYS;
}

ssize_t kernel_write(struct file *file, const void *buf, size_t count, loff_t *pos)
{
	(void)file;
	(void)buf;
	(void)count;
	(void)pos;
	return -ENOSYS;
}

ssize_t vfs_read(struct file *file, unsigned long ubuf, size_t count, loff_t *pos)
{
	(void)file;
	(void)ubuf;
	(void)count;
	(void)pos;
	return -ENOSYS;
}

ssize_t vfs_write(struct file *file, unsigned long ubuf, size_t count, loff_t *pos)
{
	(void)file;
	(void)ubuf;
	(void)count;
	(void)pos;
	return -ENOSYS;
}

loff_t generic_file_llseek(struct file *file, loff_t offset, int whence)
{
	(void)file;
	(void)offset;
	(void)whence;
	return -ENOSYS;
}

loff_t vfs_llseek(struct file *file, loff_t offset, int whence)
{
	(void)file;
	(void)offset;
	(void)whence;
	return -ENOSYS;
}

int generic_file_open(struct inode *inode, struct file *filp)
{
	(void)inode;
	(void)filp;
	return -ENOSYS;
}

int get_unused_fd_flags(unsigned int flags)
{
	(void)flags;
	return -ENOSYS;
}

void put_unused_fd(unsigned int fd)
{
	(void)fd;
}

void fd_install(unsigned int fd, struct file *file)
{
	(void)fd;
	(void)file;
}

int close_fd(unsigned int fd)
{
	(void)fd;
	return -ENOSYS;
}

int copy_files(unsigned long clone_flags, struct task_struct *tsk)
{
	(void)clone_flags;
	(void)tsk;
	return -ENOSYS;
}

void exit_files(struct task_struct *tsk)
{
	(void)tsk;
}

struct files_struct *files_alloc(void)
{
	return NULL;
}

unsigned int files_count_open(struct files_struct *files)
{
	(void)files;
	return 0;
}

struct dentry *simple_lookup(struct inode *dir, struct dentry *dentry, unsigned int flags)
{
	(void)dir;
	(void)dentry;
	(void)flags;
	return NULL;
}

int simple_link(struct dentry *old_dentry, struct inode *dir, struct dentry *dentry)
{
	(void)old_dentry;
	(void)dir;
	(void)dentry;
	return -ENOSYS;
}

int simple_unlink(struct inode *dir, struct dentry *dentry)
{
	(void)dir;
	(void)dentry;
	return -ENOSYS;
}

int simple_rmdir(struct inode *dir, struct dentry *dentry)
{
	(void)dir;
	(void)dentry;
	return -ENOSYS;
}

int simple_empty(struct dentry *dentry)
{
	(void)dentry;
	return -ENOSYS;
}

int dcache_readdir(struct file *file, struct dir_context *ctx)
{
	(void)file;
	(void)ctx;
	return -ENOSYS;
}

int noop_fsync(struct file *file, loff_t start, loff_t end, int datasync)
{
	(void)file;
	(void)start;
	(void)end;
	(void)datasync;
	return -ENOSYS;
}

int simple_statfs(struct dentry *dentry, struct kstatfs *buf)
{
	(void)dentry;
	(void)buf;
	return -ENOSYS;
}

void init_sync_kiocb(struct kiocb *kiocb, struct file *filp)
{
	(void)kiocb;
	(void)filp;
}

long sys_open(const char *path, int flags, int mode)
{
	(void)path;
	(void)flags;
	(void)mode;
	return -ENOSYS;
}

long sys_close(int fd)
{
	(void)fd;
	return -ENOSYS;
}

long sys_read(int fd, unsigned long ubuf, size_t n)
{
	(void)fd;
	(void)ubuf;
	(void)n;
	return -ENOSYS;
}

long sys_write(int fd, unsigned long ubuf, size_t n)
{
	(void)fd;
	(void)ubuf;
	(void)n;
	return -ENOSYS;
}

long sys_pread64(int fd, unsigned long ubuf, size_t n, long pos)
{
	(void)fd;
	(void)ubuf;
	(void)n;
	(void)pos;
	return -ENOSYS;
}

long sys_pwrite64(int fd, unsigned long ubuf, size_t n, long pos)
{
	(void)fd;
	(void)ubuf;
	(void)n;
	(void)pos;
	return -ENOSYS;
}

long sys_lseek(int fd, long off, int whence)
{
	(void)fd;
	(void)off;
	(void)whence;
	return -ENOSYS;
}

long sys_ftruncate(int fd, long len)
{
	(void)fd;
	(void)len;
	return -ENOSYS;
}

long sys_truncate(const char *path, long len)
{
	(void)path;
	(void)len;
	return -ENOSYS;
}

long sys_unlink(const char *path)
{
	(void)path;
	return -ENOSYS;
}

long sys_mkdir(const char *path, int mode)
{
	(void)path;
	(void)mode;
	return -ENOSYS;
}

long sys_rmdir(const char *path)
{
	(void)path;
	return -ENOSYS;
}

long sys_fstat(int fd, struct stat *st)
{
	(void)fd;
	(void)st;
	return -ENOSYS;
}

long sys_stat(const char *path, struct stat *st)
{
	(void)path;
	(void)st;
	return -ENOSYS;
}

long sys_dup(int fd)
{
	(void)fd;
	return -ENOSYS;
}

const struct file_operations simple_dir_operations;
const struct inode_operations simple_dir_inode_operations;
DEFINE_SUBSYSTEM(vfs);
DEFINE_SUBSYSTEM(mount_root);
