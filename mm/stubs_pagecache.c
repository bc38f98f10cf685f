// SPDX-License-Identifier: GPL-2.0
/*
 * mm/stubs_pagecache.c - TEMPORARY contract stubs (issue 12): every function declared for
 * the page cache's read, fault, readahead and truncate paths that is not written yet, so that main links while the owner
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

struct folio *filemap_alloc_folio(gfp_t gfp, unsigned int order)
{
	(void)gfp;
	(void)order;
	return NULL;
}

struct folio *read_mapping_folio(struct address_space *mapping, pgoff_t index, struct file *file)
{
	(void)mapping;
	(void)index;
	(void)file;
	return NULL;
}

struct page *read_mapping_page(struct address_space *mapping, pgoff_t index, struct file *file)
{
	(void)mapping;
	(void)index;
	(void)file;
	return NULL;
}

void folio_wait_locked(struct folio *folio)
{
	(void)folio;
}

ssize_t filemap_read(struct kiocb *iocb, struct iov_iter *to, ssize_t already_read)
{
	(void)iocb;
	(void)to;
	(void)already_read;
	return -ENOSYS;
}

ssize_t generic_file_read_iter(struct kiocb *iocb, struct iov_iter *to)
{
	(void)iocb;
	(void)to;
	return -ENOSYS;
}

ssize_t generic_perform_write(struct kiocb *iocb, struct iov_iter *from)
{
	(void)iocb;
	(void)from;
	return -ENOSYS;
}

ssize_t __generic_file_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	(void)iocb;
	(void)from;
	return -ENOSYS;
}

ssize_t generic_file_write_iter(struct kiocb *iocb, struct iov_iter *from)
{
	(void)iocb;
	(void)from;
	return -ENOSYS;
}

ssize_t generic_write_checks(struct kiocb *iocb, struct iov_iter *from)
{
	(void)iocb;
	(void)from;
	return -ENOSYS;
}

ssize_t generic_write_sync(struct kiocb *iocb, ssize_t count)
{
	(void)iocb;
	(void)count;
	return -ENOSYS;
}

int generic_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	(void)vma;
	return -ENOSYS;
}

int generic_file_readonly_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	(void)vma;
	return -ENOSYS;
}

vm_fault_t filemap_fault(struct vm_fault *vmf)
{
	(void)vmf;
	return VM_FAULT_SIGBUS;
}

vm_fault_t filemap_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff, pgoff_t end_pgoff)
{
	(void)vmf;
	(void)start_pgoff;
	(void)end_pgoff;
	return VM_FAULT_SIGBUS;
}

vm_fault_t filemap_page_mkwrite(struct vm_fault *vmf)
{
	(void)vmf;
	return VM_FAULT_SIGBUS;
}

int filemap_range_has_page(struct address_space *mapping, loff_t start, loff_t end)
{
	(void)mapping;
	(void)start;
	(void)end;
	return -ENOSYS;
}

bool mapping_is_valid(struct address_space *mapping)
{
	(void)mapping;
	return false;
}

struct folio *readahead_folio(struct readahead_control *rac)
{
	(void)rac;
	return NULL;
}

void file_ra_state_init(struct file_ra_state *ra, struct address_space *mapping)
{
	(void)ra;
	(void)mapping;
}

void page_cache_sync_readahead(struct address_space *mapping, struct file_ra_state *ra, struct file *file, pgoff_t index, unsigned long req_count)
{
	(void)mapping;
	(void)ra;
	(void)file;
	(void)index;
	(void)req_count;
}

void page_cache_async_readahead(struct address_space *mapping, struct file_ra_state *ra, struct file *file, struct folio *folio, unsigned long req_count)
{
	(void)mapping;
	(void)ra;
	(void)file;
	(void)folio;
	(void)req_count;
}

void force_page_cache_readahead(struct address_space *mapping, struct file *file, pgoff_t index, unsigned long nr_to_read)
{
	(void)mapping;
	(void)file;
	(void)index;
	(void)nr_to_read;
}

void page_cache_ra_unbounded(struct readahead_control *rac, unsigned long nr_to_read, unsigned long lookahead_count)
{
	(void)rac;
	(void)nr_to_read;
	(void)lookahead_count;
}

void truncate_inode_pages(struct address_space *mapping, loff_t lstart)
{
	(void)mapping;
	(void)lstart;
}

void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend)
{
	(void)mapping;
	(void)lstart;
	(void)lend;
}

void truncate_inode_pages_final(struct address_space *mapping)
{
	(void)mapping;
}

void truncate_pagecache(struct inode *inode, loff_t newsize)
{
	(void)inode;
	(void)newsize;
}

void truncate_setsize(struct inode *inode, loff_t newsize)
{
	(void)inode;
	(void)newsize;
}

void truncate_pagecache_range(struct inode *inode, loff_t lstart, loff_t lend)
{
	(void)inode;
	(void)lstart;
	(void)lend;
}

unsigned long invalidate_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	(void)mapping;
	(void)start;
	(void)end;
	return 0;
}

int invalidate_inode_pages2_range(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	(void)mapping;
	(void)start;
	(void)end;
	return -ENOSYS;
}

void unmap_mapping_range(struct address_space *mapping, loff_t const holebegin, loff_t const holelen, int even_cows)
{
	(void)mapping;
	(void)holebegin;
	(void)holelen;
	(void)even_cows;
}

void iov_iter_ubuf(struct iov_iter *i, unsigned int direction, unsigned long buf, size_t count)
{
	(void)i;
	(void)direction;
	(void)buf;
	(void)count;
}

void iov_iter_kvec_buf(struct iov_iter *i, unsigned int direction, void *buf, size_t count)
{
	(void)i;
	(void)direction;
	(void)buf;
	(void)count;
}

long sys_fadvise64(int fd, long offset, long len, int advice)
{
	(void)fd;
	(void)offset;
	(void)len;
	(void)advice;
	return -ENOSYS;
}

long sys_readahead(int fd, long offset, size_t count)
{
	(void)fd;
	(void)offset;
	(void)count;
	return -ENOSYS;
}

const struct vm_operations_struct generic_file_vm_ops;
DEFINE_SUBSYSTEM(filemap);
