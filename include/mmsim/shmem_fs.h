/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shmem_fs.h - tmpfs and shared memory objects (mm/shmem.c; Linux's
 * include/linux/shmem_fs.h names).  tmpfs is a file system registered as
 * "tmpfs" whose files live only in the page cache; MAP_SHARED|MAP_ANONYMOUS
 * (shmem_zero_setup: "/dev/zero") and SysV shm (ipc/shm.c) are unlinked
 * files of the internal mount.  docs/tmpfs.md has the design.
 */
#ifndef MMSIM_SHMEM_FS_H
#define MMSIM_SHMEM_FS_H

#include <mmsim/fs.h>
#include <mmsim/mm_types.h>

#define TMPFS_MAGIC	0x01021994

int shmem_zero_setup(struct vm_area_struct *vma);
struct file *shmem_kernel_file_setup(const char *name, loff_t size, unsigned long flags);
struct file *shmem_file_setup(const char *name, loff_t size, unsigned long flags);
struct file *shmem_file_setup_with_mnt(struct vfsmount *mnt, const char *name, loff_t size,
				       unsigned long flags);
extern const struct file_operations shmem_file_operations;
/* ->mmap of a shmem file: vm_ops = shmem's. */
int shmem_mmap(struct file *file, struct vm_area_struct *vma);
bool vma_is_anon_shmem(const struct vm_area_struct *vma);
bool vma_is_shmem(const struct vm_area_struct *vma);
bool shmem_mapping(const struct address_space *mapping);
/* A new tmpfs inode (S_IFREG or S_IFDIR) of @sb; ERR_PTR(-ENOSPC) past nr_inodes=. */
struct inode *shmem_get_inode(struct super_block *sb, struct inode *dir, umode_t mode,
			      dev_t dev, unsigned long flags);
/* Free the pages of [lstart, lend] (lend inclusive; -1: to the end). */
void shmem_truncate_range(struct inode *inode, loff_t lstart, loff_t lend);
/* SHM_LOCK / SHM_UNLOCK: the file's pages unevictable (AS_UNEVICTABLE) or not. */
int shmem_lock(struct file *file, int lock);

/* mmsim: the pages shmem_acct_size() charged to Committed_AS for @file's
 * object (0 with VM_NORESERVE), for the tests' bookkeeping. */
unsigned long shmem_charged_pages(const struct file *file);

/* mmsim: the invariant checkers (false with a log line): an inode's pages
 * and counters at rest; a tmpfs super block's inodes and its size= and
 * nr_inodes= bookkeeping. */
bool shmem_inode_is_valid(struct inode *inode);

/* Swap (mm/shmem_swap.c).  Reclaim's step for a shmem folio: it moves to
 * the swap cache, its slot of the mapping holds the swap entry (an XArray
 * value entry), and its bytes go out (swap_writepage).  0, or
 * AOP_WRITEPAGE_ACTIVATE (keep it: no swap, locked/mlocked inode). */
struct writeback_control;
int shmem_writeout(struct folio *folio, struct writeback_control *wbc);
/* swapoff: bring every shmem page of area @type back; 0 or -errno. */
int shmem_unuse(unsigned int type);
/* Swapped-out pages of a shmem inode (/proc/PID/smaps SwapPss, sysvipc). */
unsigned long shmem_swapped(struct address_space *mapping);
/* Every swap entry held by shmem mappings, counted into @counts[type][offset] (the swap checker). */
void shmem_count_swap_entries(void (*fn)(void *arg, unsigned long val), void *arg);
bool shmem_sb_is_valid(struct super_block *sb);

#endif
