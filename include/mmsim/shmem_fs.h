/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shmem_fs.h - shared memory objects (mm/shmem.c; Linux's
 * include/linux/shmem_fs.h names).  Today: MAP_SHARED|MAP_ANONYMOUS, whose
 * VMAs shmem_zero_setup() backs with an unlinked shmem file "/dev/zero".
 * SysV shm (ipc/shm.c) maps such a file through its f_op->mmap (shmem_mmap).
 * tmpfs comes with the page-cache issue.
 */
#ifndef MMSIM_SHMEM_FS_H
#define MMSIM_SHMEM_FS_H

#include <mmsim/fs.h>
#include <mmsim/mm_types.h>

int shmem_zero_setup(struct vm_area_struct *vma);
struct file *shmem_kernel_file_setup(const char *name, loff_t size, unsigned long flags);
struct file *shmem_file_setup(const char *name, loff_t size, unsigned long flags);
extern const struct file_operations shmem_file_operations;
/* ->mmap of a shmem file: vm_ops = shmem's. */
int shmem_mmap(struct file *file, struct vm_area_struct *vma);
bool vma_is_anon_shmem(const struct vm_area_struct *vma);
bool vma_is_shmem(const struct vm_area_struct *vma);
bool shmem_mapping(const struct address_space *mapping);

/* mmsim: the pages shmem_acct_size() charged to Committed_AS for @file's
 * object (0 with VM_NORESERVE), for the tests' bookkeeping. */
unsigned long shmem_charged_pages(const struct file *file);

#endif
