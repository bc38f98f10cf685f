/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fs/internal.h - the VFS core's private state and helpers (Linux's
 * fs/internal.h, fs/mount.h, include/linux/fdtable.h).
 *
 * Per-machine state: struct vfs_state is the `vfs` subsystem's state
 * (subsys_state(m, vfs)): the registry of file system types, the super
 * blocks, the dentry tree's lock, the mount table, the slab caches of
 * files and dentries, the counters of /proc/sys/fs.  Nothing of it is a
 * global: the file_system_type structs are static and shared by every
 * machine of the process, so they hold no per-machine state (a machine's
 * registry is an array of pointers to them).
 *
 * Locking (docs/vfs.md has the whole order):
 *   vfs->fs_lock      the registry (file_systems[])
 *   vfs->sb_lock      super_blocks, each sb's s_count
 *   vfs->dcache_lock  the dentry tree: d_subdirs/d_child, d_flags,
 *                     d_inode changes, d_count's transitions to and from 0
 *                     (Linux's dcache_lock of 2.6.37; d_lock is unused)
 *   vfs->mount_lock   the mount table and each mount's mnt_count
 *   sb_ext->hash_lock the per-sb inode hash; nests outside inode->i_lock
 *   files->file_lock  a task's fd table
 */
#ifndef MMSIM_FS_INTERNAL_H
#define MMSIM_FS_INTERNAL_H

#include <mmsim/fs.h>
#include <mmsim/slab.h>
#include "init/init.h"
#include "init/machine.h"

#ifndef ERR_CAST
#define ERR_CAST(p)	((void *)(p))
#endif

#define VFS_MAX_FSTYPES		16
#define NAME_MAX		255
#ifndef PATH_MAX
#define PATH_MAX		4096
#endif
#define MAX_RW_COUNT		(INT_MAX & PAGE_MASK)
#define NR_OPEN_MAX		1048576		/* fs.nr_open (sysctl_nr_open) */
#define INODE_HASH_SIZE		256

/* Mount flags (Linux's MS_* values of do_mount). */
#define MS_RDONLY	1
#define MS_NOSUID	2
#define MS_NODEV	4
#define MS_NOEXEC	8
#define MS_NOATIME	1024
#define MS_RELATIME	(1 << 21)
#define MS_STRICTATIME	(1 << 24)

/* Private dentry flags (fs.h has DCACHE_MOUNTED = 1 << 16). */
#define DCACHE_UNHASHED		(1u << 20)	/* not found by lookups; freed at the last dput */
#define DCACHE_GENOCIDE		(1u << 21)	/* kill_litter_super dropped its pin */

/* d_flags: changed under dcache_lock, read without it (the walk's DCACHE_MOUNTED). */
static inline void d_flags_set(struct dentry *d, unsigned int f)
{
	__atomic_fetch_or(&d->d_flags, f, __ATOMIC_RELAXED);
}

static inline void d_flags_clear(struct dentry *d, unsigned int f)
{
	__atomic_fetch_and(&d->d_flags, ~f, __ATOMIC_RELAXED);
}

static inline bool d_flags_test(const struct dentry *d, unsigned int f)
{
	return __atomic_load_n(&d->d_flags, __ATOMIC_RELAXED) & f;
}

/* Private file flags (f_mode bits Linux does not use in mmsim). */
#define FMODE_VFS_ALLOC		(1u << 27)	/* from filp_cachep: fput frees it */
#define FMODE_NAME_OWNED	(1u << 28)	/* f_name was allocated for the file */

/* struct mount (fs/mount.h): a vfsmount in the machine's tree. */
struct mount {
	struct vfsmount mnt;		/* first */
	struct mount *mnt_parent;	/* itself for the root and for kern_mount */
	struct dentry *mnt_mountpoint;	/* referenced; NULL when not attached */
	atomic_t mnt_count;		/* references (mntget/mntput) */
	struct list_head mnt_list;	/* vfs->mounts, in mount order */
	bool attached;			/* in the tree (not a kern_mount) */
	char *mnt_devname;		/* "/dev/vda", "tmpfs" */
};

static inline struct mount *real_mount(struct vfsmount *mnt)
{
	return container_of(mnt, struct mount, mnt);
}

/* The super block as fs/super.c allocates it: the per-sb inode hash. */
struct super_block_ext {
	struct super_block sb;		/* first */
	int s_count;			/* passive references, under sb_lock */
	spinlock_t hash_lock;
	struct list_head hash[INODE_HASH_SIZE];
	struct shrinker *s_shrink;	/* "sb-TYPE": prunes unused dentries and inodes (fs/super.c) */
};

static inline struct super_block_ext *sb_ext(struct super_block *sb)
{
	return container_of(sb, struct super_block_ext, sb);
}

/* struct files_struct (include/linux/fdtable.h, fdtable folded in). */
struct files_struct {
	atomic_t count;			/* tasks sharing it (CLONE_FILES) */
	spinlock_t file_lock;		/* everything below */
	unsigned int max_fds;		/* slots in fd[] */
	unsigned int next_fd;		/* no free slot below it */
	unsigned int nr_open;		/* installed or reserved slots */
	struct file **fd;		/* fd_array or an allocated array */
	unsigned long *open_fds;	/* reserved (get_unused_fd) or installed */
	unsigned long *close_on_exec;
	struct file *fd_array[NR_OPEN_DEFAULT];
	unsigned long open_fds_init[NR_OPEN_DEFAULT / (8 * sizeof(long))];
	unsigned long close_on_exec_init[NR_OPEN_DEFAULT / (8 * sizeof(long))];
};

struct vfs_state {
	spinlock_t fs_lock;
	struct file_system_type *file_systems[VFS_MAX_FSTYPES];
	spinlock_t sb_lock;
	struct list_head super_blocks;
	unsigned int next_anon_minor;	/* get_anon_bdev, under sb_lock */
	spinlock_t dcache_lock;
	spinlock_t mount_lock;
	struct list_head mounts;
	struct mount *root;		/* "/", or NULL before mount_root */
	struct kmem_cache *filp_cachep;		/* "filp" */
	struct kmem_cache *dentry_cachep;	/* "dentry" */
	struct kmem_cache *inode_cachep;	/* "inode_cache": bare inodes */
	atomic_long_t nr_files;		/* /proc/sys/fs/file-nr */
	atomic_long_t nr_dentry;	/* /proc/sys/fs/dentry-state */
	atomic_long_t nr_inodes;	/* /proc/sys/fs/inode-nr */
	int file_max;			/* fs.file-max (int-sized here) */
	int nr_open;			/* fs.nr_open */
	bool ready;			/* vfs_init ran */
};

struct vfs_state *vfs_state(void);
/* The entry check of the file system calls: -EIO halted, -ESRCH no task, 0. */
long vfs_syscall_check(void);
/* vfs_syscall_check, then current's @fd referenced in *@fp (fput), or -EBADF. */
long vfs_fget_entry(int fd, struct file **fp);
struct vfs_state *vfs_state_of(struct mmsim *m);

/* fs/vfs_check.c: the invariant checkers (tests call them after each step). */
bool vfs_is_valid(struct mmsim *m);
bool files_is_valid(struct files_struct *files);

/* fs/namespace.c */
struct vfsmount *mntget(struct vfsmount *mnt);
void mntput(struct vfsmount *mnt);
struct mount *lookup_mnt(const struct path *path);
void get_fs_root(struct path *root);		/* the namespace's root, referenced */
/* The absolute path of @dentry under @mnt into @buf ("/a/b"); 0 or -ENAMETOOLONG. */
int d_path_mnt(struct vfsmount *mnt, struct dentry *dentry, char *buf, size_t len);

/* fs/super.c */
void deactivate_super(struct super_block *sb);
void __put_super(struct super_block *sb);	/* a passive reference (s_count) */
struct super_block *sget_anon(struct file_system_type *type, int flags);

/* fs/dcache.c */
struct dentry *d_lookup(struct dentry *parent, const struct qstr *name);
struct dentry *__d_lookup(struct dentry *parent, const struct qstr *name, bool positive);
void d_drop(struct dentry *dentry);
void d_genocide(struct dentry *root);
void shrink_dcache_sb(struct super_block *sb);
long dcache_nr_unused(struct super_block *sb);
long prune_dcache_sb(struct super_block *sb, unsigned long nr);
void shrink_dcache_for_umount(struct super_block *sb);
u32 full_name_hash(const char *name, unsigned int len);
bool d_unhashed(const struct dentry *dentry);

/* fs/inode.c */
long icache_nr_unused(struct super_block *sb);
/* mm/shrinker.c: @val scaled by vm.vfs_cache_pressure / 100. */
unsigned long vfs_pressure_ratio(unsigned long val);
void __insert_inode_hash(struct inode *inode, unsigned long ino);
static inline void insert_inode_hash(struct inode *inode)
{
	__insert_inode_hash(inode, inode->i_ino);
}
bool inode_unhashed(struct inode *inode);
long vfs_nr_busy_inodes(struct super_block *sb);

/* fs/namei.c */
/* The parent of @name's last component, referenced, and that component. */
int kern_path_parent(const char *name, struct path *parent, struct qstr *last, bool *trailing);
/* Look @name up in @parent (its inode locked by the caller): a dentry, maybe negative. */
struct dentry *lookup_one_locked(struct dentry *parent, const struct qstr *name);

struct file *do_filp_open(const char *name, int flags, umode_t mode);
/* mkdir with no task needed (Linux's init_mkdir): 0, -EEXIST, ... */
int init_mkdir(const char *path, umode_t mode);

/* fs/file_table.c */
struct file *alloc_empty_file(int flags);
void file_free(struct file *f);

/* fs/file.c */
void put_files_struct(struct files_struct *files);

/* fs/open.c */
struct file *do_dentry_open(const struct path *path, int flags, const char *name);

#endif
