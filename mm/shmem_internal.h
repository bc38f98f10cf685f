/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/shmem_internal.h - what mm/shmem.c (pages, files, the internal
 * objects, the subsystem) and mm/shmem_inode.c (inodes, directories,
 * super blocks, mount options, the checkers) share: tmpfs's private
 * structures (Linux keeps them in include/linux/shmem_fs.h) and helpers.
 * Design, locking and invariants: the head of mm/shmem.c, docs/tmpfs.md.
 */
#ifndef MMSIM_MM_SHMEM_INTERNAL_H
#define MMSIM_MM_SHMEM_INTERNAL_H

#include <limits.h>
#include <pthread.h>
#include <mmsim/shmem_fs.h>
#include <mmsim/pagemap.h>
#include "init/init.h"
#include "init/machine.h"

#define BOGO_DIRENT_SIZE	20
#define BLOCKS_PER_PAGE		(PAGE_SIZE / 512)
#define SHMEM_NAME_MAX		255		/* NAME_MAX */
#define SHMEM_MAX_BYTES		((loff_t)LLONG_MAX)	/* MAX_LFS_FILESIZE (64-bit) */

struct shmem_sb_info {
	unsigned long max_blocks;	/* size= in pages; 0: unlimited */
	atomic_long_t used_blocks;	/* pages the sb's files own */
	unsigned long max_inodes;	/* nr_inodes=; 0: unlimited */
	unsigned long free_inodes;	/* under stat_lock */
	unsigned long next_ino;		/* under stat_lock (0: get_next_ino) */
	spinlock_t stat_lock;
	umode_t mode;			/* the root's, mode= (default 01777) */
	bool kernel;			/* shm_mnt: no limits, get_next_ino() */
};

struct shmem_inode_info {
	spinlock_t lock;		/* alloced, i_blocks, flags */
	unsigned long flags;		/* VM_NORESERVE, VM_LOCKED */
	unsigned long alloced;		/* pages owned in the cache */
	unsigned long charged;		/* pages shmem_acct_size charged */
	unsigned long swapped;		/* pages out on swap (value entries), under lock */
	struct list_head swaplist;	/* on tmpfs_state's swaplist while swapped (mm/shmem_swap.c) */
	int stop_eviction;		/* shmem_unuse is scanning it: eviction waits (atomic) */
	struct inode vfs_inode;
};

struct tmpfs_state {
	struct kmem_cache *inode_cachep;	/* "shmem_inode_cache" */
	struct vfsmount *shm_mnt;		/* the internal mount, or NULL */
	bool registered;
	bool swaplist_ready;			/* swaplist and its mutex initialized */
	pthread_mutex_t swaplist_mutex;		/* shmem_swaplist_mutex */
	struct list_head swaplist;		/* shmem_swaplist: inodes that have swapped pages */
};

static inline struct shmem_inode_info *SHMEM_I(struct inode *inode)
{
	return container_of(inode, struct shmem_inode_info, vfs_inode);
}

/* info->flags: VM_NORESERVE is set once; VM_LOCKED changes atomically under info->lock. */
static inline unsigned long shmem_flags(const struct shmem_inode_info *info)
{
	return __atomic_load_n(&info->flags, __ATOMIC_RELAXED);
}

static inline struct shmem_sb_info *SHMEM_SB(struct super_block *sb)
{
	return sb ? sb->s_fs_info : NULL;
}

static inline struct tmpfs_state *tmpfs_state(void)
{
	struct mmsim *m = current_machine();

	return m ? subsys_state(m, tmpfs) : NULL;
}

extern const struct address_space_operations shmem_aops;
extern struct file_system_type shmem_fs_type;

/* mm/shmem.c */
int shmem_reserve_inode(struct super_block *sb, unsigned long *inop);
void shmem_free_inode(struct super_block *sb);
int shmem_reacct_size(struct shmem_inode_info *info, loff_t oldsize, loff_t newsize);
void shmem_unacct_size(struct shmem_inode_info *info);
void shmem_undo_range(struct inode *inode, loff_t lstart, loff_t lend);
/* @alloced pages added; pages gone from the cache meanwhile are freed blocks. */
void shmem_recalc_inode(struct inode *inode, long alloced);

/* mm/shmem_swap.c: the swp_entry_t value of a shmem mapping's value entry
 * (Linux's radix_to_swp_entry; mincore's filemap_get_incore_folio). */
unsigned long shmem_radix_to_swp_val(const void *radswap);
/* mm/shmem_swap.c: swap entries in the mapping (Linux's swp_to_radix_entry). */
int shmem_swapin_folio(struct inode *inode, pgoff_t index, void *radswap, struct folio **foliop,
		       bool fault);
/* Free the swap entries of [start, end) (end -1: to the end); how many. */
unsigned long shmem_free_swap_range(struct inode *inode, pgoff_t start, pgoff_t end);
/* The inode goes: off the swaplist (shmem_evict_inode). */
void shmem_swaplist_del(struct shmem_inode_info *info);
void shmem_swaplist_init(struct tmpfs_state *ts);

/* mm/shmem_inode.c: every page and the size charge go (evict_inode's start). */
void shmem_evict_inode_pages(struct inode *inode);

#endif
