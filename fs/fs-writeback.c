// SPDX-License-Identifier: GPL-2.0
/*
 * fs/fs-writeback.c - dirty inodes and the flusher (Linux's
 * fs/fs-writeback.c, without cgroup writeback).
 *
 * Design.
 *   - __mark_inode_dirty(inode, I_DIRTY_*) sets the bits in i_state; an
 *     inode that was clean gets dirtied_when = jiffies and goes to the tail
 *     of its wb's b_dirty (so b_dirty runs oldest first), and if it is the
 *     wb's first dirty inode the flusher is armed for
 *     dirty_writeback_centisecs later (wb_wakeup_delayed).  Inodes of a bdi
 *     that does not write back (tmpfs: the noop bdi) only get the bits.
 *   - The flusher of a wb is its delayed work wb_workfn (kernel/
 *     workqueue.c: it runs in virtual time on the thread that advances the
 *     clock).  It runs the wb_writeback_work items queued on wb->work_list
 *     (sync, writeback_inodes_sb, wakeup_flusher_threads), then the
 *     periodic "kupdate" writeback -- every dirty_writeback_centisecs, the
 *     inodes dirtied more than dirty_expire_centisecs ago -- then
 *     background writeback while NR_FILE_DIRTY is over the background
 *     threshold; it re-arms itself while dirty inodes remain.
 *   - wb_writeback: queue_io moves b_more_io and the expired part of
 *     b_dirty to b_io; writeback_sb_inodes takes inodes off b_io, sets
 *     I_SYNC, calls __writeback_single_inode (do_writepages; for
 *     WB_SYNC_ALL outside sync(2), wait; clear I_DIRTY and write_inode if
 *     the inode itself was dirty) and requeue_inode puts it back: b_more_io
 *     if its slice ran out, b_dirty (redirty_tail, keeping time order) if
 *     it is still dirty, off the lists if clean.
 *   - sync_inodes_sb / writeback_inodes_sb queue a work item and run the
 *     flusher on the caller (flush_delayed_work) until the item is done;
 *     sync_inodes_sb then waits for every page of the sb under writeback
 *     (wait_sb_inodes).
 *
 * Locking: wb->list_lock (spinlock) -> inode->i_lock (spinlock), as
 * Linux's.  list_lock guards b_dirty/b_io/b_more_io, i_io_list, the
 * WB_has_dirty_io bit and work_list; i_lock guards i_state and
 * dirtied_when.  I_SYNC marks an inode being written (it pins it: evict
 * waits with inode_wait_for_writeback).  No spinlock is held across
 * do_writepages or ->write_inode.
 *
 * Invariants (under list_lock):
 *   an inode is on at most one of b_dirty, b_io, b_more_io;
 *   on one of them => (i_state & I_DIRTY) or I_SYNC is set;
 *   b_dirty is in non-decreasing dirtied_when order (time_after_eq);
 *   WB_has_dirty_io iff one of the three lists is non-empty.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdlib.h>
#include <mmsim/pagemap.h>
#include <mmsim/printk.h>
#include <mmsim/vmstat.h>
#include "init/machine.h"
#include "mm/wb_internal.h"

#define MIN_WRITEBACK_PAGES	(4096ul >> (PAGE_SHIFT - 10))
#define DIRTY_SCOPE		8

struct wb_writeback_work {
	long nr_pages;
	struct super_block *sb;
	enum writeback_sync_modes sync_mode;
	unsigned int tagged_writepages:1;
	unsigned int for_kupdate:1;
	unsigned int range_cyclic:1;
	unsigned int for_background:1;
	unsigned int for_sync:1;
	unsigned int auto_free:1;
	enum wb_reason reason;
	struct list_head list;		/* on wb->work_list */
	bool done;			/* finished (the waiter's flag) */
};

static unsigned long jiffies_now(void)
{
	return (unsigned long)get_jiffies_64();
}

static struct inode *wb_inode(struct list_head *head)
{
	return list_entry(head, struct inode, i_io_list);
}

static void wb_update_has_dirty_io(struct bdi_writeback *wb)
{
	bool dirty = !list_empty(&wb->b_dirty) || !list_empty(&wb->b_io) ||
		     !list_empty(&wb->b_more_io);

	if (dirty)
		__atomic_fetch_or(&wb->state, 1ul << WB_has_dirty_io, __ATOMIC_RELEASE);
	else
		__atomic_fetch_and(&wb->state, ~(1ul << WB_has_dirty_io), __ATOMIC_RELEASE);
}

/* Move @inode to @head's tail; true if the wb had no dirty inode before. */
static bool inode_io_list_move_locked(struct inode *inode, struct bdi_writeback *wb,
				      struct list_head *head)
{
	bool was = wb_has_dirty_io(wb);

	list_move_tail(&inode->i_io_list, head);
	wb_update_has_dirty_io(wb);
	return !was;
}

static void inode_io_list_del_locked(struct inode *inode, struct bdi_writeback *wb)
{
	list_del_init(&inode->i_io_list);
	wb_update_has_dirty_io(wb);
}

/* Still dirty after writeback: back to b_dirty as the newest (Linux's redirty_tail). */
static void redirty_tail_locked(struct inode *inode, struct bdi_writeback *wb)
{
	if (!list_empty(&wb->b_dirty)) {
		struct inode *newest = wb_inode(wb->b_dirty.prev);

		if (time_before(inode->dirtied_when, newest->dirtied_when))
			inode->dirtied_when = jiffies_now();
	}
	inode_io_list_move_locked(inode, wb, &wb->b_dirty);
}

static void requeue_io(struct inode *inode, struct bdi_writeback *wb)
{
	inode_io_list_move_locked(inode, wb, &wb->b_more_io);
}

void __mark_inode_dirty(struct inode *inode, int flags)
{
	struct backing_dev_info *bdi;
	struct bdi_writeback *wb;
	bool wakeup = false;
	unsigned long was_dirty;

	if (!inode || !inode->i_sb)
		return;
	/* Already so (Linux tests this without the lock; i_state is i_lock's here). */
	spin_lock(&inode->i_lock);
	was_dirty = inode->i_state & (unsigned long)flags;
	spin_unlock(&inode->i_lock);
	if (was_dirty == (unsigned long)flags)
		return;
	bdi = inode_to_bdi(inode);
	wb = &bdi->wb;
	spin_lock(&wb->list_lock);
	spin_lock(&inode->i_lock);
	was_dirty = inode->i_state & I_DIRTY;
	inode->i_state |= (unsigned long)flags;
	if (!was_dirty && !(inode->i_state & (I_FREEING | I_WILL_FREE)) &&
	    !(inode->i_state & I_SYNC) && (bdi->capabilities & BDI_CAP_WRITEBACK)) {
		inode->dirtied_when = jiffies_now();
		wakeup = inode_io_list_move_locked(inode, wb, &wb->b_dirty);
	}
	spin_unlock(&inode->i_lock);
	spin_unlock(&wb->list_lock);
	/* The first dirty inode of an idle wb: the periodic flush, later. */
	if (wakeup)
		wb_wakeup_delayed(wb);
}

void inode_io_list_del(struct inode *inode)
{
	struct bdi_writeback *wb = inode_to_wb(inode);

	spin_lock(&wb->list_lock);
	spin_lock(&inode->i_lock);
	if (!list_empty(&inode->i_io_list))
		inode_io_list_del_locked(inode, wb);
	spin_unlock(&inode->i_lock);
	spin_unlock(&wb->list_lock);
}

/* Wait for I_SYNC to clear (another thread writes the inode). */
void inode_wait_for_writeback(struct inode *inode)
{
	spin_lock(&inode->i_lock);
	while (inode->i_state & I_SYNC) {
		spin_unlock(&inode->i_lock);
		sched_yield();
		spin_lock(&inode->i_lock);
	}
	spin_unlock(&inode->i_lock);
}

static int write_inode(struct inode *inode, struct writeback_control *wbc)
{
	if (inode->i_sb->s_op && inode->i_sb->s_op->write_inode)
		return inode->i_sb->s_op->write_inode(inode, wbc);
	return 0;
}

/* Linux's __writeback_single_inode: data, then the inode if it was dirty. */
static int __writeback_single_inode(struct inode *inode, struct writeback_control *wbc)
{
	struct address_space *mapping = inode->i_mapping;
	unsigned long dirty;
	int ret;

	WARN_ON_ONCE(!(inode->i_state & I_SYNC));
	ret = do_writepages(mapping, wbc);
	if (wbc->sync_mode == WB_SYNC_ALL && !wbc->for_sync) {
		int err = filemap_fdatawait_range(mapping, 0, LLONG_MAX);

		if (!ret)
			ret = err;
	}
	spin_lock(&inode->i_lock);
	dirty = inode->i_state & I_DIRTY;
	inode->i_state &= ~dirty;
	if (wb_mapping_tagged(mapping, PAGECACHE_TAG_DIRTY))
		inode->i_state |= I_DIRTY_PAGES;
	spin_unlock(&inode->i_lock);
	if (dirty & ~I_DIRTY_PAGES) {
		int err = write_inode(inode, wbc);

		if (!ret)
			ret = err;
	}
	return ret;
}

static void inode_sync_complete(struct inode *inode)
{
	inode->i_state &= ~I_SYNC;
}

/* Linux's writeback_single_inode: write one inode outside the flusher. */
static int writeback_single_inode(struct inode *inode, struct writeback_control *wbc)
{
	struct bdi_writeback *wb = inode_to_wb(inode);
	int ret;

	spin_lock(&inode->i_lock);
	if (inode->i_state & I_SYNC) {
		if (wbc->sync_mode != WB_SYNC_ALL) {
			spin_unlock(&inode->i_lock);
			return 0;
		}
		spin_unlock(&inode->i_lock);
		inode_wait_for_writeback(inode);
		spin_lock(&inode->i_lock);
	}
	if (!(inode->i_state & I_DIRTY) &&
	    (wbc->sync_mode != WB_SYNC_ALL ||
	     !wb_mapping_tagged(inode->i_mapping, PAGECACHE_TAG_WRITEBACK))) {
		spin_unlock(&inode->i_lock);
		return 0;
	}
	inode->i_state |= I_SYNC;
	spin_unlock(&inode->i_lock);
	ret = __writeback_single_inode(inode, wbc);
	spin_lock(&wb->list_lock);
	spin_lock(&inode->i_lock);
	if (!(inode->i_state & I_FREEING)) {
		if (!(inode->i_state & I_DIRTY)) {
			if (!list_empty(&inode->i_io_list))
				inode_io_list_del_locked(inode, wb);
		} else if (inode_to_bdi(inode)->capabilities & BDI_CAP_WRITEBACK) {
			redirty_tail_locked(inode, wb);
		}
	}
	inode_sync_complete(inode);
	spin_unlock(&inode->i_lock);
	spin_unlock(&wb->list_lock);
	return ret;
}

int write_inode_now(struct inode *inode, int sync)
{
	struct writeback_control wbc = {
		.nr_to_write = LONG_MAX,
		.sync_mode = sync ? WB_SYNC_ALL : WB_SYNC_NONE,
		.range_start = 0,
		.range_end = LLONG_MAX,
	};

	if (!mapping_can_writeback(inode->i_mapping))
		wbc.nr_to_write = 0;
	return writeback_single_inode(inode, &wbc);
}

int sync_inode_metadata(struct inode *inode, int wait)
{
	struct writeback_control wbc = {
		.sync_mode = wait ? WB_SYNC_ALL : WB_SYNC_NONE,
		.nr_to_write = 0,	/* metadata only */
	};

	return writeback_single_inode(inode, &wbc);
}

/* Move the expired inodes of b_dirty (and all of b_more_io) to b_io. */
static void queue_io(struct bdi_writeback *wb, unsigned long dirtied_before)
{
	list_splice_tail_init(&wb->b_more_io, &wb->b_io);
	while (!list_empty(&wb->b_dirty)) {
		struct inode *inode = wb_inode(wb->b_dirty.next);

		if (time_after(inode->dirtied_when, dirtied_before))
			break;
		list_move_tail(&inode->i_io_list, &wb->b_io);
	}
	wb_update_has_dirty_io(wb);
}

static void requeue_inode(struct inode *inode, struct bdi_writeback *wb,
			  struct writeback_control *wbc, unsigned long dirtied_before)
{
	if (inode->i_state & I_FREEING)
		return;
	if ((inode->i_state & I_DIRTY) &&
	    (wbc->sync_mode == WB_SYNC_ALL || wbc->tagged_writepages))
		inode->dirtied_when = jiffies_now();
	if (wbc->pages_skipped) {
		if (inode->i_state & I_DIRTY)
			redirty_tail_locked(inode, wb);
		else
			inode_io_list_del_locked(inode, wb);
		return;
	}
	if (wb_mapping_tagged(inode->i_mapping, PAGECACHE_TAG_DIRTY)) {
		if (wbc->nr_to_write <= 0 && !time_after(inode->dirtied_when, dirtied_before))
			requeue_io(inode, wb);		/* slice used up: next turn */
		else
			redirty_tail_locked(inode, wb);
	} else if (inode->i_state & I_DIRTY) {
		redirty_tail_locked(inode, wb);
	} else {
		inode_io_list_del_locked(inode, wb);	/* clean */
	}
}

static long writeback_chunk_size(struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	struct wb_state *ws = wb_state();
	long pages;

	if (work->sync_mode == WB_SYNC_ALL || work->tagged_writepages)
		return LONG_MAX;
	pages = (long)min(READ_ONCE(wb->avg_write_bandwidth) / 2,
			  (ws ? READ_ONCE(ws->dirty_limit) : 0) / DIRTY_SCOPE);
	pages = min(pages, work->nr_pages);
	return (long)((unsigned long)(pages + (long)MIN_WRITEBACK_PAGES) / MIN_WRITEBACK_PAGES *
		      MIN_WRITEBACK_PAGES);
}

/* Write the inodes of b_io (of @work->sb only, if set); pages and inodes cleaned. */
static long writeback_sb_inodes(struct bdi_writeback *wb, struct wb_writeback_work *work,
				unsigned long dirtied_before)
{
	unsigned long start = jiffies_now();
	long total = 0;
	struct list_head skipped;

	INIT_LIST_HEAD(&skipped);
	spin_lock(&wb->list_lock);
	while (!list_empty(&wb->b_io)) {
		struct inode *inode = wb_inode(wb->b_io.next);
		struct writeback_control wbc = {
			.sync_mode = work->sync_mode,
			.tagged_writepages = work->tagged_writepages,
			.for_kupdate = work->for_kupdate,
			.for_background = work->for_background,
			.for_sync = work->for_sync,
			.range_cyclic = work->range_cyclic,
			.range_start = 0,
			.range_end = LLONG_MAX,
		};
		long chunk, wrote;

		if (work->sb && inode->i_sb != work->sb) {
			redirty_tail_locked(inode, wb);	/* another sb's: leave it */
			continue;
		}
		spin_lock(&inode->i_lock);
		if (inode->i_state & (I_NEW | I_FREEING | I_WILL_FREE)) {
			redirty_tail_locked(inode, wb);
			spin_unlock(&inode->i_lock);
			continue;
		}
		if (inode->i_state & I_SYNC) {
			/* Written by another thread: try again later (WB_SYNC_ALL waits then). */
			requeue_io(inode, wb);
			spin_unlock(&inode->i_lock);
			if (work->sync_mode == WB_SYNC_ALL) {
				spin_unlock(&wb->list_lock);
				inode_wait_for_writeback(inode);
				spin_lock(&wb->list_lock);
			}
			continue;
		}
		inode->i_state |= I_SYNC;
		spin_unlock(&inode->i_lock);
		spin_unlock(&wb->list_lock);

		chunk = writeback_chunk_size(wb, work);
		wbc.nr_to_write = chunk;
		wbc.pages_skipped = 0;
		__writeback_single_inode(inode, &wbc);
		work->nr_pages -= chunk - wbc.nr_to_write;
		wrote = chunk - wbc.nr_to_write - wbc.pages_skipped;
		total += wrote > 0 ? wrote : 0;

		spin_lock(&wb->list_lock);
		spin_lock(&inode->i_lock);
		if (!(inode->i_state & I_DIRTY))
			total++;
		requeue_inode(inode, wb, &wbc, dirtied_before);
		inode_sync_complete(inode);
		spin_unlock(&inode->i_lock);
		if (total) {
			if (time_is_before_jiffies(start + HZ / 10))
				break;
			if (work->nr_pages <= 0)
				break;
		}
	}
	spin_unlock(&wb->list_lock);
	return total;
}

static long wb_writeback(struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	struct wb_state *ws = wb_state();
	long nr_pages = work->nr_pages;
	unsigned long dirtied_before = jiffies_now();

	for (;;) {
		long progress;
		bool empty_io, more;

		if (work->nr_pages <= 0)
			break;
		if ((work->for_background || work->for_kupdate) && !list_empty(&wb->work_list))
			break;	/* sync and friends go first */
		if (work->for_background && !wb_over_bg_thresh(wb))
			break;
		spin_lock(&wb->list_lock);
		empty_io = list_empty(&wb->b_io);
		if (empty_io) {
			if (work->for_kupdate)
				dirtied_before = jiffies_now() -
					(unsigned long)READ_ONCE(ws->dirty_expire_interval) * 10 /
					(1000 / HZ);
			else if (work->for_background)
				dirtied_before = jiffies_now();
			queue_io(wb, dirtied_before);
		}
		spin_unlock(&wb->list_lock);
		progress = writeback_sb_inodes(wb, work, dirtied_before);
		if (progress)
			continue;
		spin_lock(&wb->list_lock);
		more = !list_empty(&wb->b_more_io);
		spin_unlock(&wb->list_lock);
		if (!more)
			break;
		/* Nothing written, inodes busy elsewhere: let time pass. */
		mmsim_advance_clock(current_machine(), TICK_NSEC_WB);
	}
	return nr_pages - work->nr_pages;
}

static long get_nr_dirty_pages(void)
{
	return (long)global_node_page_state(NR_FILE_DIRTY);
}

static long wb_check_old_data_flush(struct bdi_writeback *wb)
{
	struct wb_state *ws = wb_state();
	unsigned long expired, interval = READ_ONCE(ws->dirty_writeback_interval);
	long nr_pages;

	if (!interval)
		return 0;
	expired = wb->last_old_flush + interval * 10 / (1000 / HZ);
	if (time_before(jiffies_now(), expired))
		return 0;
	wb->last_old_flush = jiffies_now();
	nr_pages = get_nr_dirty_pages();
	if (nr_pages) {
		struct wb_writeback_work work = {
			.nr_pages = nr_pages,
			.sync_mode = WB_SYNC_NONE,
			.for_kupdate = 1,
			.range_cyclic = 1,
			.reason = WB_REASON_PERIODIC,
		};

		return wb_writeback(wb, &work);
	}
	return 0;
}

static long wb_check_background_flush(struct bdi_writeback *wb)
{
	if (wb_over_bg_thresh(wb)) {
		struct wb_writeback_work work = {
			.nr_pages = LONG_MAX,
			.sync_mode = WB_SYNC_NONE,
			.for_background = 1,
			.range_cyclic = 1,
			.reason = WB_REASON_BACKGROUND,
		};

		return wb_writeback(wb, &work);
	}
	return 0;
}

static struct wb_writeback_work *get_next_work_item(struct bdi_writeback *wb)
{
	struct wb_writeback_work *work = NULL;

	spin_lock(&wb->list_lock);
	if (!list_empty(&wb->work_list)) {
		work = list_first_entry(&wb->work_list, struct wb_writeback_work, list);
		list_del_init(&work->list);
	}
	spin_unlock(&wb->list_lock);
	return work;
}

static long wb_do_writeback(struct bdi_writeback *wb)
{
	struct wb_writeback_work *work;
	long wrote = 0;

	__atomic_fetch_or(&wb->state, 1ul << WB_writeback_running, __ATOMIC_RELEASE);
	while ((work = get_next_work_item(wb))) {
		wrote += wb_writeback(wb, work);
		if (work->auto_free)
			free(work);
		else
			__atomic_store_n(&work->done, true, __ATOMIC_RELEASE);
	}
	wrote += wb_check_old_data_flush(wb);
	wrote += wb_check_background_flush(wb);
	__atomic_fetch_and(&wb->state, ~(1ul << WB_writeback_running), __ATOMIC_RELEASE);
	return wrote;
}

/**
 * wb_workfn - the flusher of one bdi_writeback (a delayed work item)
 *
 * Runs the queued work items, the periodic and the background writeback;
 * re-arms itself: now if items remain, in dirty_writeback_centisecs while
 * dirty inodes remain.
 */
void wb_workfn(struct work_struct *work)
{
	struct bdi_writeback *wb = container_of(to_delayed_work(work), struct bdi_writeback,
						dwork);
	struct wb_state *ws = wb_state();
	bool more;

	do {
		wb_do_writeback(wb);
		spin_lock(&wb->list_lock);
		more = !list_empty(&wb->work_list);
		spin_unlock(&wb->list_lock);
	} while (more);
	if (wb_has_dirty_io(wb) && ws && READ_ONCE(ws->dirty_writeback_interval))
		wb_wakeup_delayed(wb);
}

bool writeback_in_progress(struct bdi_writeback *wb)
{
	return (__atomic_load_n(&wb->state, __ATOMIC_ACQUIRE) & (1ul << WB_writeback_running)) ||
	       delayed_work_pending(&wb->dwork);
}

void wb_start_background_writeback(struct bdi_writeback *wb)
{
	wb_wakeup(wb);	/* wb_check_background_flush does the rest */
}

static void wb_queue_work(struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	spin_lock(&wb->list_lock);
	list_add_tail(&work->list, &wb->work_list);
	spin_unlock(&wb->list_lock);
	wb_wakeup(wb);
}

/* Queue @work and run the flusher on this thread until it is done. */
static void wb_queue_and_wait(struct bdi_writeback *wb, struct wb_writeback_work *work)
{
	work->done = false;
	wb_queue_work(wb, work);
	while (!__atomic_load_n(&work->done, __ATOMIC_ACQUIRE)) {
		if (!flush_delayed_work(&wb->dwork)) {
			/* Running elsewhere, or not queued: queue it again. */
			wb_wakeup(wb);
			if (!flush_delayed_work(&wb->dwork))
				sched_yield();
		}
	}
}

static void wakeup_one(struct backing_dev_info *bdi, void *arg)
{
	enum wb_reason reason = (enum wb_reason)(long)arg;
	struct wb_writeback_work *work;

	if (!(bdi->capabilities & BDI_CAP_WRITEBACK) || !wb_has_dirty_io(&bdi->wb))
		return;
	work = calloc(1, sizeof(*work));
	if (!work) {
		wb_wakeup(&bdi->wb);
		return;
	}
	work->nr_pages = get_nr_dirty_pages();
	work->sync_mode = WB_SYNC_NONE;
	work->range_cyclic = 1;
	work->reason = reason;
	work->auto_free = 1;
	INIT_LIST_HEAD(&work->list);
	wb_queue_work(&bdi->wb, work);
}

void wakeup_flusher_threads_bdi(struct backing_dev_info *bdi, enum wb_reason reason)
{
	wakeup_one(bdi, (void *)(long)reason);
}

void wakeup_flusher_threads(enum wb_reason reason)
{
	bdi_for_each(wakeup_one, (void *)(long)reason);
}

void writeback_inodes_sb(struct super_block *sb, enum wb_reason reason)
{
	struct backing_dev_info *bdi = sb->s_bdi;
	struct wb_writeback_work work = {
		.sb = sb,
		.sync_mode = WB_SYNC_NONE,
		.tagged_writepages = 1,
		.nr_pages = get_nr_dirty_pages(),
		.reason = reason,
	};

	if (!bdi || !(bdi->capabilities & BDI_CAP_WRITEBACK) || !wb_has_dirty_io(&bdi->wb))
		return;
	INIT_LIST_HEAD(&work.list);
	wb_queue_and_wait(&bdi->wb, &work);
}

/* Wait for every page of @sb under writeback (Linux's wait_sb_inodes). */
static void wait_sb_inodes(struct super_block *sb)
{
	struct inode *inode, *pinned = NULL;

	spin_lock(&sb->s_inode_list_lock);
	list_for_each_entry(inode, &sb->s_inodes, i_sb_list) {
		struct address_space *mapping = inode->i_mapping;

		if (!wb_mapping_tagged(mapping, PAGECACHE_TAG_WRITEBACK))
			continue;
		spin_lock(&inode->i_lock);
		if (inode->i_state & (I_FREEING | I_WILL_FREE | I_NEW)) {
			spin_unlock(&inode->i_lock);
			continue;
		}
		atomic_inc(&inode->i_count);	/* __iget */
		spin_unlock(&inode->i_lock);
		spin_unlock(&sb->s_inode_list_lock);
		if (pinned)
			iput(pinned);
		pinned = inode;
		filemap_fdatawait_range(mapping, 0, LLONG_MAX);
		spin_lock(&sb->s_inode_list_lock);
	}
	spin_unlock(&sb->s_inode_list_lock);
	if (pinned)
		iput(pinned);
}

void sync_inodes_sb(struct super_block *sb)
{
	struct backing_dev_info *bdi = sb->s_bdi;
	struct wb_writeback_work work = {
		.sb = sb,
		.sync_mode = WB_SYNC_ALL,
		.nr_pages = LONG_MAX,
		.range_cyclic = 0,
		.reason = WB_REASON_SYNC,
		.for_sync = 1,
	};

	if (!bdi || !(bdi->capabilities & BDI_CAP_WRITEBACK))
		return;
	INIT_LIST_HEAD(&work.list);
	wb_queue_and_wait(&bdi->wb, &work);
	wait_sb_inodes(sb);
}

static void idle_one(struct backing_dev_info *bdi, void *arg)
{
	bool *idle = arg;

	if (wb_has_dirty_io(&bdi->wb) ||
	    (__atomic_load_n(&bdi->wb.state, __ATOMIC_ACQUIRE) & (1ul << WB_writeback_running)))
		*idle = false;
}

bool writeback_is_idle(void)
{
	bool idle = true;

	bdi_for_each(idle_one, &idle);
	return idle && !global_node_page_state(NR_FILE_DIRTY) &&
	       !global_node_page_state(NR_WRITEBACK);
}

static bool wb_list_ok(struct bdi_writeback *wb, struct list_head *head, const char *name,
		       bool ordered)
{
	struct inode *inode, *prev = NULL;
	unsigned long n = 0;

	list_for_each_entry(inode, head, i_io_list) {
		unsigned long state = __atomic_load_n(&inode->i_state, __ATOMIC_RELAXED);

		if (++n > (1ul << 24)) {
			pr_err("wb %s: %s loops\n", wb->bdi->dev_name, name);
			return false;
		}
		if (!(state & (I_DIRTY | I_SYNC))) {
			pr_err("wb %s: clean inode %lu on %s\n", wb->bdi->dev_name, inode->i_ino,
			       name);
			return false;
		}
		if (inode_to_wb(inode) != wb) {
			pr_err("wb %s: inode %lu of another wb on %s\n", wb->bdi->dev_name,
			       inode->i_ino, name);
			return false;
		}
		if (ordered && prev && time_before(inode->dirtied_when, prev->dirtied_when)) {
			pr_err("wb %s: %s out of dirtied_when order at inode %lu\n",
			       wb->bdi->dev_name, name, inode->i_ino);
			return false;
		}
		prev = inode;
	}
	return true;
}

/**
 * wb_is_valid - the invariants of @wb's lists (the header's): listed inodes
 * dirty or being written, of this wb, b_dirty in dirtied_when order,
 * WB_has_dirty_io iff a list is non-empty.
 * Return: false with a log line naming what is wrong.
 */
bool wb_is_valid(struct bdi_writeback *wb)
{
	bool ok, any;

	spin_lock(&wb->list_lock);
	ok = wb_list_ok(wb, &wb->b_dirty, "b_dirty", true) &&
	     wb_list_ok(wb, &wb->b_io, "b_io", false) &&
	     wb_list_ok(wb, &wb->b_more_io, "b_more_io", false);
	any = !list_empty(&wb->b_dirty) || !list_empty(&wb->b_io) || !list_empty(&wb->b_more_io);
	if (ok && any != wb_has_dirty_io(wb)) {
		pr_err("wb %s: WB_has_dirty_io %d with lists %s\n", wb->bdi->dev_name,
		       wb_has_dirty_io(wb), any ? "non-empty" : "empty");
		ok = false;
	}
	spin_unlock(&wb->list_lock);
	return ok;
}

/* The bdi goes away: no more flusher runs; its inodes leave the lists. */
void wb_shutdown(struct bdi_writeback *wb)
{
	struct wb_writeback_work *work, *n;

	__atomic_fetch_and(&wb->state, ~(1ul << WB_registered), __ATOMIC_RELEASE);
	cancel_delayed_work_sync(&wb->dwork);
	spin_lock(&wb->list_lock);
	list_for_each_entry_safe(work, n, &wb->work_list, list) {
		list_del_init(&work->list);
		if (work->auto_free)
			free(work);
		else
			work->done = true;
	}
	while (!list_empty(&wb->b_dirty))
		list_del_init(wb->b_dirty.next);
	while (!list_empty(&wb->b_io))
		list_del_init(wb->b_io.next);
	while (!list_empty(&wb->b_more_io))
		list_del_init(wb->b_more_io.next);
	wb_update_has_dirty_io(wb);
	spin_unlock(&wb->list_lock);
}
