/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fs.h - the VFS's objects with Linux's names (include/linux/fs.h,
 * dcache.h, mount.h, fdtable.h): super blocks, inodes, address spaces,
 * dentries, mounts, open files and per-task file tables, and the operation
 * tables a file system fills in.  Fields are Linux's, fewer of them.
 *
 * Owners: fs/inode.c, fs/super.c, fs/namei.c, fs/dcache.c, fs/namespace.c,
 * fs/open.c, fs/read_write.c, fs/file.c, fs/file_table.c, fs/libfs.c (the
 * VFS core); mm/shmem.c (tmpfs); fs/mmfs/ (the disk file system);
 * mm/filemap.c, mm/readahead.c, mm/truncate.c (<mmsim/pagemap.h>);
 * mm/page-writeback.c, fs/fs-writeback.c, fs/sync.c (<mmsim/writeback.h>).
 * docs/vfs.md has the design; what mmsim leaves out of Linux's VFS:
 * no idmapped mounts (no mnt_idmap argument), no permissions (every task
 * is root), no rename, no hard links across directories, no symlinks, one
 * mount namespace per machine, no dentry LRU: a dentry lives while its
 * inode is cached or it is referenced.
 *
 *   - i_pages is an XArray (lib/xarray.c), page index -> struct folio *
 *     (or a value entry: a shadow); its xa_lock guards it and nrpages;
 *     mm/filemap.c is its only writer.  Marks: PAGECACHE_TAG_DIRTY,
 *     PAGECACHE_TAG_WRITEBACK, PAGECACHE_TAG_TOWRITE (XA_MARK_0..2).
 *   - i_mmap is a list of the VMAs mapping the file (vma->shared), under
 *     i_mmap_rwsem; rmap_walk filters it by page offset (Linux's interval
 *     tree answers the same question faster).
 *   - Lifetime: an inode is counted (i_count: iget/ihold/iput); the last
 *     iput of an inode with i_nlink == 0 (or of a file system that does
 *     not cache it) evicts it: truncate_inode_pages_final, ->evict_inode,
 *     ->destroy_inode.  A struct file holds its inode and dentry; the last
 *     fput calls ->release.
 */
#ifndef MMSIM_FS_H
#define MMSIM_FS_H

#include <mmsim/migrate_mode.h>
#include <sys/types.h>	/* loff_t, dev_t, mode_t (the host's, as Linux's) */
#include <sys/stat.h>	/* S_IFREG, S_IFDIR, S_ISREG(), ... (Linux's values) */
#include <time.h>	/* struct timespec */
#include <mmsim/types.h>
#include <mmsim/list.h>
#include <mmsim/spinlock.h>
#include <mmsim/rwsem.h>
#include <mmsim/xarray.h>

struct inode;
struct address_space;
struct file;
struct dentry;
struct super_block;
struct vfsmount;
struct vm_area_struct;
struct folio;
struct kiocb;
struct iov_iter;
struct readahead_control;
struct writeback_control;
struct backing_dev_info;
struct block_device;
struct task_struct;
struct files_struct;
struct kstatfs;

typedef unsigned short umode_t;
typedef unsigned int fmode_t;

/* address_space->flags (enum mapping_flags). */
#define AS_EIO		0	/* an asynchronous write failed with -EIO */
#define AS_ENOSPC	1	/* ... with -ENOSPC */
#define AS_UNEVICTABLE	3	/* SHM_LOCK'ed shmem, ramdisks */

/* Per-file readahead state (Linux's struct file_ra_state). */
struct file_ra_state {
	pgoff_t start;			/* where the current window starts */
	unsigned int size;		/* its pages */
	unsigned int async_size;	/* start the next window with this many left */
	unsigned int ra_pages;		/* the window's maximum (bdi ra_pages) */
	unsigned int mmap_miss;		/* cache misses on mmap accesses */
	loff_t prev_pos;		/* where the last read ended */
};

struct address_space_operations {
	int (*read_folio)(struct file *file, struct folio *folio);
	void (*readahead)(struct readahead_control *rac);
	int (*writepages)(struct address_space *mapping, struct writeback_control *wbc);
	/* Mark a folio dirty (filemap_dirty_folio for most); true if it was clean. */
	bool (*dirty_folio)(struct address_space *mapping, struct folio *folio);
	/* The buffered-write path (generic_perform_write): a locked folio to copy into. */
	int (*write_begin)(struct file *file, struct address_space *mapping, loff_t pos,
			   unsigned int len, struct folio **foliop, void **fsdata);
	/* Copied bytes in; unlock and release the folio; bytes accepted or -errno. */
	int (*write_end)(struct file *file, struct address_space *mapping, loff_t pos,
			 unsigned int len, unsigned int copied, struct folio *folio, void *fsdata);
	void (*invalidate_folio)(struct folio *folio, size_t offset, size_t len);
	bool (*release_folio)(struct folio *folio, gfp_t gfp);
	sector_t (*bmap)(struct address_space *mapping, sector_t block);
	/* Move a locked, unmapped @src's place (cache slot, private data, flags,
	 * bytes) to locked @dst (mm/migrate.c; enum migrate_mode): 0 or -errno.
	 * Absent: dirty folios are written back first (MIGRATE_SYNC only). */
	int (*migrate_folio)(struct address_space *mapping, struct folio *dst,
			     struct folio *src, enum migrate_mode mode);
};

struct address_space {
	struct inode *host;		/* owner */
	struct xarray i_pages;		/* page index -> struct folio *, under its xa_lock */
	gfp_t gfp_mask;			/* for the cache's own allocations (mapping_gfp_mask) */
	struct rw_semaphore invalidate_lock;	/* truncation against faults and reads */
	struct rw_semaphore i_mmap_rwsem;	/* protects i_mmap */
	struct list_head i_mmap;	/* VMAs mapping this (vma->shared; Linux: an interval tree) */
	atomic_long_t nrpages;		/* pages in i_pages: changed under xa_lock, read anywhere */
	pgoff_t writeback_index;	/* where range_cyclic writeback goes on */
	const struct address_space_operations *a_ops;
	unsigned long flags;		/* AS_* */
	int wb_err;			/* the last writeback error (Linux: an errseq_t) */
	void *private_data;
};

/* inode->i_state bits (Linux's). */
#define I_DIRTY_SYNC		(1u << 0)
#define I_DIRTY_DATASYNC	(1u << 1)
#define I_DIRTY_PAGES		(1u << 2)
#define I_NEW			(1u << 3)
#define I_WILL_FREE		(1u << 4)
#define I_FREEING		(1u << 5)
#define I_CLEAR			(1u << 6)
#define I_SYNC			(1u << 7)
#define I_DIRTY_INODE		(I_DIRTY_SYNC | I_DIRTY_DATASYNC)
#define I_DIRTY			(I_DIRTY_INODE | I_DIRTY_PAGES)

struct inode {
	umode_t i_mode;
	unsigned int i_flags;		/* S_* (none used yet) */
	unsigned int i_nlink;
	uid_t i_uid;
	gid_t i_gid;
	unsigned long i_ino;		/* the inode number /proc/PID/maps shows */
	dev_t i_rdev;
	atomic_t i_count;		/* references (iget/ihold/iput) */
	loff_t i_size;			/* bytes (i_size_read/i_size_write) */
	struct timespec i_atime, i_mtime, i_ctime;	/* virtual time (current_time) */
	blkcnt_t i_blocks;		/* 512-byte units allocated */
	unsigned int i_blkbits;
	unsigned long i_state;		/* I_*, under i_lock */
	spinlock_t i_lock;		/* i_state, the lists below */
	struct rw_semaphore i_rwsem;	/* inode_lock: writes, truncation, directory changes */
	unsigned long dirtied_when;	/* jiffies when first dirtied (fs-writeback.c) */
	struct list_head i_io_list;	/* on its bdi_writeback's b_dirty/b_io/b_more_io */
	struct list_head i_sb_list;	/* on i_sb->s_inodes */
	struct list_head i_hash;	/* in the inode hash (iget_locked), or empty */
	struct super_block *i_sb;
	const struct inode_operations *i_op;
	const struct file_operations *i_fop;
	struct address_space *i_mapping;	/* &i_data */
	struct address_space i_data;
	void *i_private;		/* the file system's */
};

static inline loff_t i_size_read(const struct inode *inode)
{
	return __atomic_load_n(&inode->i_size, __ATOMIC_ACQUIRE);
}

static inline void i_size_write(struct inode *inode, loff_t size)
{
	__atomic_store_n(&inode->i_size, size, __ATOMIC_RELEASE);
}

static inline void inode_lock(struct inode *inode) { down_write(&inode->i_rwsem); }
static inline void inode_unlock(struct inode *inode) { up_write(&inode->i_rwsem); }
static inline void inode_lock_shared(struct inode *inode) { down_read(&inode->i_rwsem); }
static inline void inode_unlock_shared(struct inode *inode) { up_read(&inode->i_rwsem); }

/* iattr->ia_valid bits. */
#define ATTR_MODE	(1u << 0)
#define ATTR_SIZE	(1u << 3)
#define ATTR_ATIME	(1u << 4)
#define ATTR_MTIME	(1u << 5)
#define ATTR_CTIME	(1u << 6)

struct iattr {
	unsigned int ia_valid;
	umode_t ia_mode;
	loff_t ia_size;
	struct timespec ia_atime, ia_mtime, ia_ctime;
};

struct kstat {
	u64 ino;
	dev_t dev;
	umode_t mode;
	unsigned int nlink;
	loff_t size;
	u64 blocks;			/* 512-byte units */
	u32 blksize;
	struct timespec atime, mtime, ctime;
};

struct inode_operations {
	struct dentry *(*lookup)(struct inode *dir, struct dentry *dentry, unsigned int flags);
	int (*create)(struct inode *dir, struct dentry *dentry, umode_t mode, bool excl);
	int (*link)(struct dentry *old_dentry, struct inode *dir, struct dentry *dentry);
	int (*unlink)(struct inode *dir, struct dentry *dentry);
	int (*mkdir)(struct inode *dir, struct dentry *dentry, umode_t mode);
	int (*rmdir)(struct inode *dir, struct dentry *dentry);
	int (*setattr)(struct dentry *dentry, struct iattr *attr);
	int (*getattr)(const struct dentry *dentry, struct kstat *stat);
};

/* readdir (Linux's struct dir_context, iterate_shared). */
struct dir_context;
typedef bool (*filldir_t)(struct dir_context *ctx, const char *name, int namelen,
			  loff_t offset, u64 ino, unsigned int d_type);
struct dir_context {
	filldir_t actor;
	loff_t pos;
};
#define DT_UNKNOWN	0
#define DT_DIR		4
#define DT_REG		8

struct file_operations {
	loff_t (*llseek)(struct file *file, loff_t offset, int whence);
	ssize_t (*read_iter)(struct kiocb *iocb, struct iov_iter *to);
	ssize_t (*write_iter)(struct kiocb *iocb, struct iov_iter *from);
	int (*iterate_shared)(struct file *file, struct dir_context *ctx);
	int (*mmap)(struct file *file, struct vm_area_struct *vma);
	int (*open)(struct inode *inode, struct file *file);
	int (*release)(struct inode *inode, struct file *file);
	int (*fsync)(struct file *file, loff_t start, loff_t end, int datasync);
};

/* file->f_mode bits. */
#define FMODE_READ	(1u << 0)
#define FMODE_WRITE	(1u << 1)
#define FMODE_LSEEK	(1u << 2)
#define FMODE_PREAD	(1u << 3)
#define FMODE_PWRITE	(1u << 4)
#define FMODE_CAN_READ	(1u << 17)
#define FMODE_CAN_WRITE	(1u << 18)

struct path {
	struct vfsmount *mnt;
	struct dentry *dentry;
};

struct file {
	atomic_long_t f_count;		/* get_file / fput */
	unsigned int f_flags;		/* O_* as opened */
	fmode_t f_mode;			/* FMODE_* */
	struct rw_semaphore f_pos_lock;	/* read/write/lseek of f_pos (fdget_pos) */
	loff_t f_pos;
	struct path f_path;		/* NULL dentry for a pseudo file (shmem_file_setup) */
	struct inode *f_inode;
	struct address_space *f_mapping;	/* f_inode->i_mapping */
	const struct file_operations *f_op;
	struct file_ra_state f_ra;
	int f_wb_err;			/* the mapping's wb_err when last checked */
	const char *f_name;		/* mmsim: its path, what /proc/PID/maps prints
					   (Linux: d_path(&f_path)); valid while the file is */
	void *private_data;		/* the file's owner's (SysV shm: its segment) */
};

static inline struct inode *file_inode(const struct file *f)
{
	return f->f_inode;
}

static inline struct file *get_file(struct file *f)
{
	atomic_long_add(1, &f->f_count);
	return f;
}

/* --- super blocks and file system types (fs/super.c) ---------------- */

#define SB_RDONLY	(1ul << 0)
#define SB_NOSEC	(1ul << 28)
#define SB_ACTIVE	(1ul << 30)

struct super_operations {
	struct inode *(*alloc_inode)(struct super_block *sb);	/* NULL: a bare struct inode */
	void (*destroy_inode)(struct inode *inode);		/* frees what alloc_inode made */
	int (*write_inode)(struct inode *inode, struct writeback_control *wbc);
	int (*drop_inode)(struct inode *inode);		/* 1: evict at the last iput */
	void (*evict_inode)(struct inode *inode);
	void (*put_super)(struct super_block *sb);
	int (*sync_fs)(struct super_block *sb, int wait);
	int (*statfs)(struct dentry *dentry, struct kstatfs *buf);
};

struct kstatfs {
	long f_type;
	long f_bsize;
	u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
	long f_namelen;
};

#define FS_REQUIRES_DEV		1

struct file_system_type {
	const char *name;
	int fs_flags;			/* FS_REQUIRES_DEV */
	/* Linux's legacy ->mount: the root dentry of a new (or the existing)
	 * super block, or ERR_PTR.  mount_bdev/mount_nodev do the common work. */
	struct dentry *(*mount)(struct file_system_type *fs_type, int flags,
				const char *dev_name, void *data);
	void (*kill_sb)(struct super_block *sb);
};

struct super_block {
	struct list_head s_list;	/* the machine's super blocks (fs/super.c) */
	dev_t s_dev;
	unsigned char s_blocksize_bits;
	unsigned long s_blocksize;
	loff_t s_maxbytes;
	struct file_system_type *s_type;
	const struct super_operations *s_op;
	unsigned long s_flags;		/* SB_* */
	unsigned long s_magic;
	struct dentry *s_root;
	struct rw_semaphore s_umount;
	atomic_t s_active;
	struct block_device *s_bdev;	/* FS_REQUIRES_DEV: the device */
	struct backing_dev_info *s_bdi;	/* the disk's, or the machine's noop bdi */
	spinlock_t s_inode_list_lock;
	struct list_head s_inodes;	/* every inode of this sb (i_sb_list) */
	void *s_fs_info;		/* the file system's */
	char s_id[32];			/* "vda", "tmpfs" */
};

int register_filesystem(struct file_system_type *fs);
int unregister_filesystem(struct file_system_type *fs);
struct file_system_type *get_fs_type(const char *name);
struct dentry *mount_bdev(struct file_system_type *fs_type, int flags, const char *dev_name,
			  void *data, int (*fill_super)(struct super_block *, void *, int));
struct dentry *mount_nodev(struct file_system_type *fs_type, int flags, void *data,
			   int (*fill_super)(struct super_block *, void *, int));
void kill_block_super(struct super_block *sb);
void kill_anon_super(struct super_block *sb);
void kill_litter_super(struct super_block *sb);	/* tmpfs: drops the pinned dentries first */
void generic_shutdown_super(struct super_block *sb);
/* Call @f on every live super block, s_umount held for reading. */
void iterate_supers(void (*f)(struct super_block *sb, void *arg), void *arg);

/* --- inodes (fs/inode.c) -------------------------------------------- */

struct inode *new_inode(struct super_block *sb);	/* on sb->s_inodes, i_count 1 */
struct inode *iget_locked(struct super_block *sb, unsigned long ino);	/* I_NEW if new */
struct inode *ilookup(struct super_block *sb, unsigned long ino);
void unlock_new_inode(struct inode *inode);
void iget_failed(struct inode *inode);
void ihold(struct inode *inode);
void iput(struct inode *inode);
void clear_inode(struct inode *inode);		/* ->evict_inode's last step */
int generic_drop_inode(struct inode *inode);	/* !i_nlink */
void inode_init_owner(struct inode *inode, const struct inode *dir, umode_t mode);
void set_nlink(struct inode *inode, unsigned int nlink);
void inc_nlink(struct inode *inode);
void drop_nlink(struct inode *inode);
void clear_nlink(struct inode *inode);
void init_special_inode(struct inode *inode, umode_t mode, dev_t dev);
struct timespec current_time(struct inode *inode);	/* the virtual clock */
/* Each super block's inodes, dropped when unused (drop_caches 2). */
void evict_inodes(struct super_block *sb);
long prune_icache_sb(struct super_block *sb, unsigned long nr);	/* inodes freed */
unsigned long get_next_ino(void);		/* a new inode number, per machine */
/* Initialise an inode's address space: i_pages, locks, i_mmap, a_ops = empty. */
void inode_init_once(struct inode *inode);
/* inode_setattr's common part: size through truncate_setsize, times, mode. */
int simple_setattr(struct dentry *dentry, struct iattr *attr);
void setattr_copy(struct inode *inode, const struct iattr *attr);
int inode_newsize_ok(const struct inode *inode, loff_t offset);	/* -EFBIG past s_maxbytes */
void generic_fillattr(struct inode *inode, struct kstat *stat);

/* --- dentries and lookup (fs/dcache.c, fs/namei.c, fs/namespace.c) - */

struct qstr {
	u32 hash;
	u32 len;
	const char *name;
};

#define DNAME_INLINE_LEN	40

struct dentry {
	unsigned int d_flags;		/* DCACHE_* */
	spinlock_t d_lock;		/* d_count, d_subdirs */
	atomic_t d_count;
	struct dentry *d_parent;	/* itself for a root */
	struct qstr d_name;
	struct inode *d_inode;		/* NULL: a negative dentry */
	struct super_block *d_sb;
	struct list_head d_child;	/* in d_parent->d_subdirs */
	struct list_head d_subdirs;
	void *d_fsdata;
	char d_iname[DNAME_INLINE_LEN];
};

#define DCACHE_MOUNTED		(1u << 16)

static inline struct inode *d_inode(const struct dentry *d) { return d->d_inode; }
static inline bool d_really_is_negative(const struct dentry *d) { return !d->d_inode; }

struct dentry *dget(struct dentry *dentry);
void dput(struct dentry *dentry);
struct dentry *d_alloc(struct dentry *parent, const struct qstr *name);
struct dentry *d_make_root(struct inode *root_inode);	/* iput on failure */
void d_instantiate(struct dentry *dentry, struct inode *inode);
void d_add(struct dentry *dentry, struct inode *inode);
struct dentry *d_splice_alias(struct inode *inode, struct dentry *dentry);
void d_delete(struct dentry *dentry);

struct vfsmount {
	struct dentry *mnt_root;
	struct super_block *mnt_sb;
	int mnt_flags;
};

/* A resolved path with a reference on both, or -ENOENT/-ENOTDIR/... */
#define LOOKUP_FOLLOW		0x0001
#define LOOKUP_DIRECTORY	0x0002
int kern_path(const char *name, unsigned int flags, struct path *path);
void path_get(const struct path *path);
void path_put(const struct path *path);
/* Mount @type on @dir_name (which must exist; "/" at boot): 0 or -errno. */
int do_mount(const char *dev_name, const char *dir_name, const char *type_page,
	     unsigned long flags, void *data);
struct vfsmount *kern_mount(struct file_system_type *type);
void kern_unmount(struct vfsmount *mnt);

int vfs_create(struct inode *dir, struct dentry *dentry, umode_t mode, bool excl);
int vfs_mkdir(struct inode *dir, struct dentry *dentry, umode_t mode);
int vfs_rmdir(struct inode *dir, struct dentry *dentry);
int vfs_unlink(struct inode *dir, struct dentry *dentry);
int vfs_getattr(const struct path *path, struct kstat *stat);
int vfs_truncate(const struct path *path, loff_t length);
int do_truncate(struct dentry *dentry, loff_t length, unsigned int time_attrs, struct file *filp);
int notify_change(struct dentry *dentry, struct iattr *attr);

/* --- open files (fs/open.c, fs/file_table.c, fs/file.c, fs/read_write.c) */

struct file *filp_open(const char *filename, int flags, umode_t mode);	/* or ERR_PTR */
int filp_close(struct file *filp);
/* A struct file for @inode outside any directory (shmem_file_setup): f_name = @name. */
struct file *alloc_file_pseudo(struct inode *inode, const char *name, int flags,
			       const struct file_operations *fops);
void fput(struct file *file);
struct file *fget(unsigned int fd);		/* current's fd, referenced, or NULL */

ssize_t kernel_read(struct file *file, void *buf, size_t count, loff_t *pos);
ssize_t kernel_write(struct file *file, const void *buf, size_t count, loff_t *pos);
ssize_t vfs_read(struct file *file, unsigned long ubuf, size_t count, loff_t *pos);
ssize_t vfs_write(struct file *file, unsigned long ubuf, size_t count, loff_t *pos);
loff_t generic_file_llseek(struct file *file, loff_t offset, int whence);
loff_t vfs_llseek(struct file *file, loff_t offset, int whence);
int generic_file_open(struct inode *inode, struct file *filp);

/* Per-task file tables (fs/file.c).  RLIMIT_NOFILE 1024: -EMFILE beyond. */
#define NR_OPEN_DEFAULT		64
int get_unused_fd_flags(unsigned int flags);
void put_unused_fd(unsigned int fd);
void fd_install(unsigned int fd, struct file *file);
int close_fd(unsigned int fd);
/* fork: the child's table (CLONE_FILES shares); exit: close everything. */
int copy_files(unsigned long clone_flags, struct task_struct *tsk);
void exit_files(struct task_struct *tsk);
/* mmsim: the table of a task spawned by mmsim_spawn (empty). */
struct files_struct *files_alloc(void);
unsigned int files_count_open(struct files_struct *files);	/* /proc/PID/fd counts */

/* fs/sync.c */
int vfs_fsync_range(struct file *file, loff_t start, loff_t end, int datasync);
int vfs_fsync(struct file *file, int datasync);
int sync_filesystem(struct super_block *sb);
void ksys_sync(void);

/* fs/libfs.c: the helpers tmpfs and simple file systems share. */
struct dentry *simple_lookup(struct inode *dir, struct dentry *dentry, unsigned int flags);
int simple_link(struct dentry *old_dentry, struct inode *dir, struct dentry *dentry);
int simple_unlink(struct inode *dir, struct dentry *dentry);
int simple_rmdir(struct inode *dir, struct dentry *dentry);
int simple_empty(struct dentry *dentry);
int dcache_readdir(struct file *file, struct dir_context *ctx);
int noop_fsync(struct file *file, loff_t start, loff_t end, int datasync);
int simple_statfs(struct dentry *dentry, struct kstatfs *buf);
extern const struct file_operations simple_dir_operations;
extern const struct inode_operations simple_dir_inode_operations;

/* The VMAs on mapping->i_mmap (mm/shmem.c today; Linux's vma_interval_tree_*). */
void i_mmap_lock_read(struct address_space *mapping);
void i_mmap_unlock_read(struct address_space *mapping);
void i_mmap_lock_write(struct address_space *mapping);
void i_mmap_unlock_write(struct address_space *mapping);
void vma_link_file(struct vm_area_struct *vma);		/* vma->vm_file set */
void __vma_link_file(struct vm_area_struct *vma);	/* i_mmap_rwsem held for writing */
void vma_unlink_file(struct vm_area_struct *vma);		/* idempotent */
static inline bool mapping_mapped(struct address_space *mapping)
{
	return !list_empty(&mapping->i_mmap);
}

/* mmsim: copy a host file into the machine's file system at @path
 * (mmsim boot --import HOST:PATH); 0 or -errno. */
int mmsim_import_file(const char *host_path, const char *path);

#endif
