// SPDX-License-Identifier: GPL-2.0
/*
 * mm/stubs_writeback.c - TEMPORARY contract stubs (issue 12): every function declared for
 * writeback, the flusher, sync and the workqueue that is not written yet, so that main links while the owner
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

bool filemap_dirty_folio(struct address_space *mapping, struct folio *folio)
{
	(void)mapping;
	(void)folio;
	return false;
}

bool folio_mark_dirty(struct folio *folio)
{
	(void)folio;
	return false;
}

bool folio_mark_dirty_lock(struct folio *folio)
{
	(void)folio;
	return false;
}

void folio_account_cleaned(struct folio *folio, struct bdi_writeback *wb)
{
	(void)folio;
	(void)wb;
}

bool folio_clear_dirty_for_io(struct folio *folio)
{
	(void)folio;
	return false;
}

bool folio_redirty_for_writepage(struct writeback_control *wbc, struct folio *folio)
{
	(void)wbc;
	(void)folio;
	return false;
}

void __folio_start_writeback(struct folio *folio, bool keep_write)
{
	(void)folio;
	(void)keep_write;
}

void folio_end_writeback(struct folio *folio)
{
	(void)folio;
}

void folio_wait_writeback(struct folio *folio)
{
	(void)folio;
}

void folio_wait_stable(struct folio *folio)
{
	(void)folio;
}

struct folio *writeback_iter(struct address_space *mapping, struct writeback_control *wbc, struct folio *folio, int *error)
{
	(void)mapping;
	(void)wbc;
	(void)folio;
	(void)error;
	return NULL;
}

int write_cache_pages(struct address_space *mapping, struct writeback_control *wbc, writepage_t writepage, void *data)
{
	(void)mapping;
	(void)wbc;
	(void)writepage;
	(void)data;
	return -ENOSYS;
}

int do_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	(void)mapping;
	(void)wbc;
	return -ENOSYS;
}

int filemap_fdatawrite(struct address_space *mapping)
{
	(void)mapping;
	return -ENOSYS;
}

int filemap_fdatawrite_range(struct address_space *mapping, loff_t start, loff_t end)
{
	(void)mapping;
	(void)start;
	(void)end;
	return -ENOSYS;
}

int filemap_flush(struct address_space *mapping)
{
	(void)mapping;
	return -ENOSYS;
}

int filemap_fdatawait_range(struct address_space *mapping, loff_t start, loff_t end)
{
	(void)mapping;
	(void)start;
	(void)end;
	return -ENOSYS;
}

int filemap_write_and_wait_range(struct address_space *mapping, loff_t lstart, loff_t lend)
{
	(void)mapping;
	(void)lstart;
	(void)lend;
	return -ENOSYS;
}

int filemap_check_errors(struct address_space *mapping)
{
	(void)mapping;
	return -ENOSYS;
}

void mapping_set_error(struct address_space *mapping, int error)
{
	(void)mapping;
	(void)error;
}

int file_check_and_advance_wb_err(struct file *file)
{
	(void)file;
	return -ENOSYS;
}

int file_write_and_wait_range(struct file *file, loff_t start, loff_t end)
{
	(void)file;
	(void)start;
	(void)end;
	return -ENOSYS;
}

void balance_dirty_pages_ratelimited(struct address_space *mapping)
{
	(void)mapping;
}

void global_dirty_limits(unsigned long *pbackground, unsigned long *pdirty)
{
	(void)pbackground;
	(void)pdirty;
}

unsigned long global_dirtyable_memory(void)
{
	return 0;
}

void get_dirty_sysctls(struct dirty_sysctls *out)
{
	(void)out;
}

void laptop_mode_timer_fn(struct timer_list *t)
{
	(void)t;
}

void __mark_inode_dirty(struct inode *inode, int flags)
{
	(void)inode;
	(void)flags;
}

void inode_io_list_del(struct inode *inode)
{
	(void)inode;
}

int write_inode_now(struct inode *inode, int sync)
{
	(void)inode;
	(void)sync;
	return -ENOSYS;
}

int sync_inode_metadata(struct inode *inode, int wait)
{
	(void)inode;
	(void)wait;
	return -ENOSYS;
}

void inode_wait_for_writeback(struct inode *inode)
{
	(void)inode;
}

void wakeup_flusher_threads(enum wb_reason reason)
{
	(void)reason;
}

void wakeup_flusher_threads_bdi(struct backing_dev_info *bdi, enum wb_reason reason)
{
	(void)bdi;
	(void)reason;
}

void writeback_inodes_sb(struct super_block *sb, enum wb_reason reason)
{
	(void)sb;
	(void)reason;
}

void sync_inodes_sb(struct super_block *sb)
{
	(void)sb;
}

bool writeback_is_idle(void)
{
	return false;
}

void drop_pagecache_sb(struct super_block *sb, void *unused)
{
	(void)sb;
	(void)unused;
}

struct backing_dev_info *noop_backing_dev_info(void)
{
	return NULL;
}

struct backing_dev_info *bdi_alloc(const char *dev_name)
{
	(void)dev_name;
	return NULL;
}

void bdi_put(struct backing_dev_info *bdi)
{
	(void)bdi;
}

struct backing_dev_info *inode_to_bdi(struct inode *inode)
{
	(void)inode;
	return NULL;
}

bool wb_has_dirty_io(struct bdi_writeback *wb)
{
	(void)wb;
	return false;
}

int vfs_fsync_range(struct file *file, loff_t start, loff_t end, int datasync)
{
	(void)file;
	(void)start;
	(void)end;
	(void)datasync;
	return -ENOSYS;
}

int vfs_fsync(struct file *file, int datasync)
{
	(void)file;
	(void)datasync;
	return -ENOSYS;
}

int sync_filesystem(struct super_block *sb)
{
	(void)sb;
	return -ENOSYS;
}

void ksys_sync(void)
{
}

long sys_fsync(int fd)
{
	(void)fd;
	return -ENOSYS;
}

long sys_fdatasync(int fd)
{
	(void)fd;
	return -ENOSYS;
}

long sys_sync(void)
{
	return -ENOSYS;
}

DEFINE_SUBSYSTEM(writeback);
