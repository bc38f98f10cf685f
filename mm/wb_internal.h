/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/wb_internal.h - what mm/page-writeback.c, mm/backing-dev.c,
 * fs/fs-writeback.c, fs/sync.c and fs/drop_caches.c share: the machine's
 * writeback state (the `writeback` subsystem's state) and the flusher's
 * entry points.  Not installed.  docs/writeback.md has the design.
 */
#ifndef MMSIM_MM_WB_INTERNAL_H
#define MMSIM_MM_WB_INTERNAL_H

#include <mmsim/writeback.h>
#include <mmsim/backing-dev.h>
#include <mmsim/workqueue.h>
#include <mmsim/jiffies.h>

struct mmsim;

#define WB_MAX_CPUS		64	/* per-CPU ratelimit slots (cpu % 64) */
/* Linux's INIT_BW: 100 MB/s in pages, the bandwidth a new wb assumes. */
#define INIT_BW			(100 << (20 - PAGE_SHIFT))
#define TICK_NSEC_WB		(1000000000ull / HZ)

struct wb_state {
	/* The vm sysctls (Linux's globals of mm/page-writeback.c). */
	int dirty_background_ratio;		/* % of dirtyable memory */
	unsigned long dirty_background_bytes;	/* or bytes (one of the two is 0) */
	int vm_dirty_ratio;
	unsigned long vm_dirty_bytes;
	unsigned int dirty_writeback_interval;	/* centisecs; 0: no periodic flush */
	unsigned int dirty_expire_interval;	/* centisecs */
	unsigned int dirtytime_expire_interval;	/* seconds */
	int laptop_mode;
	unsigned long dirty_bytes_min;		/* 2 pages: dirty_bytes' minimum */
	int drop_caches;			/* last value written (write-only file) */
	int drop_caches_stfu;			/* bit 4 was written: no more log lines */

	/* The global domain (Linux's global_wb_domain, fewer fields). */
	unsigned long dirty_limit;		/* hard_dirty_limit: follows thresh */
	unsigned long ratelimit_pages;		/* writeback_set_ratelimit() */
	long bdp_ratelimits[WB_MAX_CPUS];	/* pages dirtied per CPU since a balance */

	/* The machine's bdis (mm/backing-dev.c), under bdi_lock. */
	spinlock_t bdi_lock;
	struct list_head bdi_list;
	struct backing_dev_info *noop_bdi;
	bool ready;				/* between init and exit */

	/* Throttling seen (balance_dirty_pages), for tests and docs. */
	atomic_long_t nr_throttle_pauses;
	atomic_long_t throttle_jiffies;		/* the sum of the pauses */
};

/* Linux's mapping_tagged, read under the xa_lock (mmsim's xa_marked is a plain read). */
static inline bool wb_mapping_tagged(struct address_space *mapping, xa_mark_t tag)
{
	bool ret;

	xa_lock(&mapping->i_pages);
	ret = xa_marked(&mapping->i_pages, tag);
	xa_unlock(&mapping->i_pages);
	return ret;
}

struct wb_state *wb_state(void);		/* the current machine's */
struct wb_state *wb_state_of(struct mmsim *m);

/* mm/page-writeback.c */
void writeback_set_ratelimit(void);
bool wb_over_bg_thresh(struct bdi_writeback *wb);
void wb_update_bandwidth(struct bdi_writeback *wb);
unsigned long wb_stat(struct bdi_writeback *wb, enum wb_stat_item item);
/* Throttling statistics: pauses taken and their total in jiffies. */
void dirty_throttle_stats(unsigned long *pauses, unsigned long *jiffies_paused);

/* PG_dirty/PG_writeback agree with the marks for every folio (tests). */
bool mapping_dirty_is_valid(struct address_space *mapping);

/* mm/backing-dev.c */
void wb_wakeup_delayed(struct bdi_writeback *wb);	/* the periodic flush, later */
void wb_wakeup(struct bdi_writeback *wb);		/* the flusher, now */
/* Call @fn for every bdi of the machine (bdi_lock dropped around it). */
void bdi_for_each(void (*fn)(struct backing_dev_info *bdi, void *arg), void *arg);

/* fs/fs-writeback.c */
void wb_workfn(struct work_struct *work);
void wb_start_background_writeback(struct bdi_writeback *wb);
bool writeback_in_progress(struct bdi_writeback *wb);
/* The invariants of @wb's dirty-inode lists; false with a log line. */
bool wb_is_valid(struct bdi_writeback *wb);
/* The bdi goes away: its inodes leave the lists, queued work is finished. */
void wb_shutdown(struct bdi_writeback *wb);

#endif
