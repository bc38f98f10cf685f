/* SPDX-License-Identifier: GPL-2.0 */
/*
 * backing-dev.h - what a file's pages are written back to (Linux's
 * include/linux/backing-dev-defs.h, backing-dev.h): a backing_dev_info per
 * disk (and one "noop" bdi for tmpfs and pseudo files, which are never
 * written back), each with one bdi_writeback: its dirty-inode lists and
 * the flusher work that writes them (fs/fs-writeback.c).  mm/backing-dev.c
 * owns the objects; ra_pages is read-ahead's window (read_ahead_kb).
 */
#ifndef MMSIM_BACKING_DEV_H
#define MMSIM_BACKING_DEV_H

#include <mmsim/types.h>
#include <mmsim/list.h>
#include <mmsim/spinlock.h>
#include <mmsim/workqueue.h>
#include <mmsim/fs.h>

struct block_device;

/* bdi_writeback->state bits. */
#define WB_registered		0
#define WB_writeback_running	1
#define WB_has_dirty_io		2

/* Per-wb counters (enum wb_stat_item). */
enum wb_stat_item {
	WB_RECLAIMABLE,
	WB_WRITEBACK,
	WB_DIRTIED,
	WB_WRITTEN,
	NR_WB_STAT_ITEMS,
};

struct bdi_writeback {
	struct backing_dev_info *bdi;
	unsigned long state;		/* WB_* bits */
	unsigned long last_old_flush;	/* jiffies of the last periodic (kupdate) flush */
	struct list_head b_dirty;	/* dirty inodes, oldest dirtied_when first */
	struct list_head b_io;		/* parked for writeback */
	struct list_head b_more_io;	/* parked for more writeback */
	spinlock_t list_lock;		/* the lists above */
	atomic_long_t stat[NR_WB_STAT_ITEMS];
	unsigned long bw_time_stamp;	/* bandwidth estimation (jiffies) */
	unsigned long written_stamp;
	unsigned long write_bandwidth;	/* pages per second, estimated */
	unsigned long avg_write_bandwidth;
	unsigned long dirty_ratelimit;	/* balance_dirty_pages' base rate */
	unsigned long balanced_dirty_ratelimit;
	struct delayed_work dwork;	/* the flusher (wb_workfn) */
	struct list_head work_list;	/* wb_writeback_work items queued */
};

#define BDI_CAP_WRITEBACK	(1u << 0)	/* its pages are written back */
#define BDI_CAP_WRITEBACK_ACCT	(1u << 1)	/* and counted in WB_* stats */

struct backing_dev_info {
	struct list_head bdi_list;	/* the machine's bdis */
	unsigned long ra_pages;		/* read-ahead window, pages (read_ahead_kb) */
	unsigned long io_pages;		/* largest request, pages (max_sectors_kb) */
	unsigned int capabilities;	/* BDI_CAP_* */
	unsigned int min_ratio, max_ratio;	/* share of the dirty limit, per mille * 10 */
	struct bdi_writeback wb;
	char dev_name[32];		/* "253:0" as /sys/class/bdi names it */
};

/* The machine's bdi for files that are never written back (tmpfs). */
struct backing_dev_info *noop_backing_dev_info(void);
/* The disk's bdi, made by the block layer with the disk (blk_alloc_disk). */
struct backing_dev_info *bdi_alloc(const char *dev_name);
void bdi_put(struct backing_dev_info *bdi);
struct backing_dev_info *inode_to_bdi(struct inode *inode);
static inline bool mapping_can_writeback(struct address_space *mapping)
{
	return inode_to_bdi(mapping->host)->capabilities & BDI_CAP_WRITEBACK;
}
static inline struct bdi_writeback *inode_to_wb(struct inode *inode)
{
	return &inode_to_bdi(inode)->wb;
}
bool wb_has_dirty_io(struct bdi_writeback *wb);

#endif
