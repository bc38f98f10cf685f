/* SPDX-License-Identifier: GPL-2.0 */
/*
 * writeback.h - dirty pages and writing them back (Linux's
 * include/linux/writeback.h names): dirty accounting and throttling
 * (mm/page-writeback.c), the flusher and inode dirtying
 * (fs/fs-writeback.c), sync and fsync (fs/sync.c), drop_caches
 * (fs/drop_caches.c).  docs/writeback.md has the design.
 *
 * The vm sysctls (Linux's defaults): dirty_ratio 20, dirty_background_ratio
 * 10, dirty_bytes 0, dirty_background_bytes 0, dirty_writeback_centisecs
 * 500, dirty_expire_centisecs 3000, dirtytime_expire_seconds 43200,
 * drop_caches (write-only 1/2/3), laptop_mode 0.
 */
#ifndef MMSIM_WRITEBACK_H
#define MMSIM_WRITEBACK_H

#include <mmsim/fs.h>
#include <mmsim/backing-dev.h>

struct folio;

enum writeback_sync_modes {
	WB_SYNC_NONE,	/* don't wait on anything */
	WB_SYNC_ALL,	/* wait on every mapping */
};

enum wb_reason {
	WB_REASON_BACKGROUND,
	WB_REASON_VMSCAN,
	WB_REASON_SYNC,
	WB_REASON_PERIODIC,
	WB_REASON_LAPTOP_TIMER,
	WB_REASON_FS_FREE_SPACE,
	WB_REASON_FORKER_THREAD,
	WB_REASON_FOREIGN_FLUSH,
	WB_REASON_MAX,
};

/* A writepage/writeout return: keep the folio, move it to the active list. */
#define AOP_WRITEPAGE_ACTIVATE	0x80000

struct writeback_control {
	long nr_to_write;		/* pages to write; decremented per page */
	long pages_skipped;		/* pages not written */
	loff_t range_start;
	loff_t range_end;		/* inclusive; LLONG_MAX: to the end */
	enum writeback_sync_modes sync_mode;
	unsigned for_kupdate:1;		/* the periodic flush */
	unsigned for_background:1;	/* background writeback */
	unsigned tagged_writepages:1;	/* tag-and-write to avoid livelock */
	unsigned for_reclaim:1;		/* from vmscan's pageout */
	unsigned range_cyclic:1;	/* from writeback_index, wrapping */
	unsigned for_sync:1;		/* sync(2) */
	pgoff_t index;			/* mmsim: writeback_iter's cursor */
	int err;			/* mmsim: writeback_iter's first error */
};

typedef int (*writepage_t)(struct folio *folio, struct writeback_control *wbc, void *data);

/* --- mm/page-writeback.c --------------------------------------------- */

bool filemap_dirty_folio(struct address_space *mapping, struct folio *folio);
bool folio_mark_dirty(struct folio *folio);	/* through ->dirty_folio; true if newly dirty */
bool folio_mark_dirty_lock(struct folio *folio);
#define set_page_dirty(page)	folio_mark_dirty(page_folio(page))
void folio_account_cleaned(struct folio *folio, struct bdi_writeback *wb);
bool folio_clear_dirty_for_io(struct folio *folio);	/* locked folio: true if it was dirty */
bool folio_redirty_for_writepage(struct writeback_control *wbc, struct folio *folio);
void __folio_start_writeback(struct folio *folio, bool keep_write);
#define folio_start_writeback(folio)	__folio_start_writeback((folio), false)
void folio_end_writeback(struct folio *folio);	/* from the bio's completion */
void folio_wait_writeback(struct folio *folio);	/* lets virtual time pass */
void folio_wait_stable(struct folio *folio);
/* The writeback_iter() loop of Linux 6.10+: the next dirty folio to write, locked. */
struct folio *writeback_iter(struct address_space *mapping, struct writeback_control *wbc,
			     struct folio *folio, int *error);
int write_cache_pages(struct address_space *mapping, struct writeback_control *wbc,
		      writepage_t writepage, void *data);
int do_writepages(struct address_space *mapping, struct writeback_control *wbc);
int filemap_fdatawrite(struct address_space *mapping);
int filemap_fdatawrite_range(struct address_space *mapping, loff_t start, loff_t end);
int filemap_flush(struct address_space *mapping);	/* WB_SYNC_NONE */
int filemap_fdatawait_range(struct address_space *mapping, loff_t start, loff_t end);
int filemap_write_and_wait_range(struct address_space *mapping, loff_t lstart, loff_t lend);
static inline int filemap_write_and_wait(struct address_space *mapping)
{
	return filemap_write_and_wait_range(mapping, 0, (loff_t)0x7fffffffffffffffLL);
}
int filemap_check_errors(struct address_space *mapping);
void mapping_set_error(struct address_space *mapping, int error);
int file_check_and_advance_wb_err(struct file *file);
int file_write_and_wait_range(struct file *file, loff_t start, loff_t end);

/* Throttle a task that dirtied pages (Linux's balance_dirty_pages). */
void balance_dirty_pages_ratelimited(struct address_space *mapping);
/* The global limits in pages (background, foreground), as Linux computes them. */
void global_dirty_limits(unsigned long *pbackground, unsigned long *pdirty);
unsigned long global_dirtyable_memory(void);
/* mmsim: the dirty_* sysctls (for the tests' arithmetic). */
struct dirty_sysctls {
	int dirty_background_ratio, vm_dirty_ratio;
	unsigned long dirty_background_bytes, vm_dirty_bytes;
	unsigned int dirty_writeback_interval, dirty_expire_interval;	/* centisecs */
};
void get_dirty_sysctls(struct dirty_sysctls *out);
void laptop_mode_timer_fn(struct timer_list *t);

/* --- fs/fs-writeback.c -------------------------------------------------- */

void __mark_inode_dirty(struct inode *inode, int flags);
static inline void mark_inode_dirty(struct inode *inode) { __mark_inode_dirty(inode, I_DIRTY); }
static inline void mark_inode_dirty_sync(struct inode *inode) { __mark_inode_dirty(inode, I_DIRTY_SYNC); }
void inode_io_list_del(struct inode *inode);	/* eviction: off the wb lists */
int write_inode_now(struct inode *inode, int sync);
int sync_inode_metadata(struct inode *inode, int wait);
void inode_wait_for_writeback(struct inode *inode);
void wakeup_flusher_threads(enum wb_reason reason);
void wakeup_flusher_threads_bdi(struct backing_dev_info *bdi, enum wb_reason reason);
void writeback_inodes_sb(struct super_block *sb, enum wb_reason reason);
void sync_inodes_sb(struct super_block *sb);
/* The flusher is idle and no page of the machine is dirty or under writeback. */
bool writeback_is_idle(void);

/* --- fs/drop_caches.c: vm.drop_caches ----------------------------------- */
void drop_pagecache_sb(struct super_block *sb, void *unused);

#endif
