/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fs.h - the first seed of Linux's include/linux/fs.h: struct inode,
 * struct address_space and struct file, with Linux's field names and only
 * the fields shmem (mm/shmem.c) needs today.  The page-cache issue (12)
 * grows them: a real VFS inode and dentry, the vma_interval_tree for
 * i_mmap, tmpfs and file mappings.
 *
 *   - i_pages is an XArray (lib/xarray.c), page index -> struct folio *
 *     (or a value entry: a shadow), as Linux's; its xa_lock guards it and
 *     nrpages; mm/filemap.c (<mmsim/pagemap.h>) is its only writer;
 *   - i_mmap (to be replaced by issue 12) is a list of the VMAs mapping the file (vma->shared), under
 *     i_mmap_rwsem; rmap_walk filters it by page offset (Linux's interval
 *     tree answers the same question faster).
 *
 * Lifetime: a struct file is counted (f_count: one per VMA whose vm_file
 * it is, plus the creator's while it sets it up); its inode is freed with
 * the last fput (there are no dentries or open file tables yet), and with
 * it every page of i_pages goes back to the buddy allocator.
 */
#ifndef MMSIM_FS_H
#define MMSIM_FS_H

#include <sys/types.h>	/* loff_t (the host's, as Linux's: long long) */
#include <mmsim/types.h>
#include <mmsim/list.h>
#include <mmsim/rwsem.h>
#include <mmsim/xarray.h>

struct inode;
struct vm_area_struct;

struct address_space {
	struct inode *host;		/* owner */
	struct xarray i_pages;		/* page index -> struct folio *, under its xa_lock */
	gfp_t gfp_mask;			/* for the cache's own allocations (mapping_gfp_mask) */
	struct rw_semaphore i_mmap_rwsem;	/* protects i_mmap */
	struct list_head i_mmap;	/* VMAs mapping this (vma->shared; Linux: an interval tree) */
	atomic_long_t nrpages;		/* pages in i_pages: changed under xa_lock, read anywhere */
	unsigned long flags;		/* AS_* (none used yet) */
};

struct inode {
	unsigned long i_ino;		/* the inode number /proc/PID/maps shows */
	atomic_t i_count;		/* references (iget/iput); the file holds one */
	loff_t i_size;			/* bytes: shmem_fault gives SIGBUS at and beyond it */
	struct address_space *i_mapping;	/* &i_data */
	struct address_space i_data;
};

struct file {
	atomic_long_t f_count;		/* get_file / fput */
	struct inode *f_inode;
	struct address_space *f_mapping;	/* f_inode->i_mapping */
	const char *f_name;		/* mmsim: its path (Linux: f_path), e.g. "/dev/zero" */
	void (*f_release)(struct file *file);	/* mmsim: the last fput (Linux: f_op->release + iput) */
	/* mmsim: Linux's f_op->mmap: sets up a new VMA (vm_file set, not yet
	 * in the tree); 0 or -errno.  NULL: the file cannot be mapped. */
	int (*f_mmap)(struct file *file, struct vm_area_struct *vma);
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

void fput(struct file *file);			/* mm/shmem.c */
unsigned long get_next_ino(void);		/* mm/util.c: a new inode number, per machine */

/* The VMAs on mapping->i_mmap (mm/shmem.c; Linux's vma_interval_tree_*). */
void i_mmap_lock_read(struct address_space *mapping);
void i_mmap_unlock_read(struct address_space *mapping);
void vma_link_file(struct vm_area_struct *vma);		/* vma->vm_file set */
void vma_unlink_file(struct vm_area_struct *vma);		/* idempotent */

#endif
