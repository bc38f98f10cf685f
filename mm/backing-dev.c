// SPDX-License-Identifier: GPL-2.0
/*
 * mm/backing-dev.c - what a file's pages are written back to (Linux's
 * mm/backing-dev.c): backing_dev_info objects, each with one
 * bdi_writeback (no cgroup writeback), and the machine's "noop" bdi.
 *
 *   - The disk's bdi is made with the disk (block/genhd.c: bdi_alloc
 *     "253:0"), can write back (BDI_CAP_WRITEBACK | _ACCT), and has
 *     ra_pages = read_ahead_kb / 4 (128 KiB by default: VM_READAHEAD_PAGES)
 *     and io_pages from max_sectors_kb.
 *   - noop_backing_dev_info() is the machine's bdi for files nothing
 *     writes back (tmpfs, pseudo files): no capabilities, same read-ahead.
 *   - inode_to_bdi(inode) is inode->i_sb->s_bdi, or the noop bdi.
 *   - A wb's flusher is its delayed work `dwork` (wb_workfn,
 *     fs/fs-writeback.c).  wb_wakeup() runs it at the next clock advance;
 *     wb_wakeup_delayed() arms it for dirty_writeback_centisecs later, as
 *     Linux's does when the first inode of an idle wb gets dirty.
 *
 * Locking: ws->bdi_lock (a spinlock) guards the machine's bdi_list; a
 * bdi's fields are set before it is listed; ra_pages is read and written
 * with READ_ONCE/WRITE_ONCE (the sysfs store).  wb->list_lock is
 * fs-writeback.c's.
 *
 * Invariants: every bdi of the machine is on bdi_list exactly once; the
 * noop bdi has no capabilities and its wb never has dirty inodes;
 * WB_has_dirty_io is set iff b_dirty, b_io or b_more_io is non-empty
 * (fs-writeback.c keeps it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/printk.h>
#include <mmsim/pagemap.h>
#include "init/init.h"
#include "init/machine.h"
#include "mm/wb_internal.h"

static void bdi_init(struct backing_dev_info *bdi, const char *name, unsigned int caps)
{
	struct bdi_writeback *wb = &bdi->wb;

	memset(bdi, 0, sizeof(*bdi));
	INIT_LIST_HEAD(&bdi->bdi_list);
	snprintf(bdi->dev_name, sizeof(bdi->dev_name), "%s", name);
	bdi->ra_pages = VM_READAHEAD_PAGES_BYTES / PAGE_SIZE;
	bdi->io_pages = (1280u * 1024) / PAGE_SIZE;	/* max_sectors_kb 1280 */
	bdi->capabilities = caps;
	bdi->min_ratio = 0;
	bdi->max_ratio = 100 * 10000;			/* 100% (BDI_RATIO_SCALE) */
	wb->bdi = bdi;
	INIT_LIST_HEAD(&wb->b_dirty);
	INIT_LIST_HEAD(&wb->b_io);
	INIT_LIST_HEAD(&wb->b_more_io);
	INIT_LIST_HEAD(&wb->work_list);
	spin_lock_init(&wb->list_lock);
	for (int i = 0; i < NR_WB_STAT_ITEMS; i++)
		atomic_long_set(&wb->stat[i], 0);
	wb->last_old_flush = (unsigned long)get_jiffies_64();
	wb->bw_time_stamp = wb->last_old_flush;
	wb->write_bandwidth = INIT_BW;
	wb->avg_write_bandwidth = INIT_BW;
	wb->dirty_ratelimit = INIT_BW;
	wb->balanced_dirty_ratelimit = INIT_BW;
	INIT_DELAYED_WORK(&wb->dwork, wb_workfn);
	wb->state = 1ul << WB_registered;
}

static struct backing_dev_info *__bdi_alloc(struct wb_state *ws, const char *name,
					    unsigned int caps)
{
	struct backing_dev_info *bdi = malloc(sizeof(*bdi));

	if (!bdi)
		return NULL;
	bdi_init(bdi, name, caps);
	spin_lock(&ws->bdi_lock);
	list_add_tail(&bdi->bdi_list, &ws->bdi_list);
	spin_unlock(&ws->bdi_lock);
	return bdi;
}

/**
 * bdi_alloc - a registered bdi for a disk named @dev_name ("253:0")
 * Context: on the machine (its writeback subsystem is up).
 * Return: the bdi, or NULL without memory.
 */
struct backing_dev_info *bdi_alloc(const char *dev_name)
{
	struct wb_state *ws = wb_state();

	if (WARN_ON_ONCE(!ws))
		return NULL;
	return __bdi_alloc(ws, dev_name, BDI_CAP_WRITEBACK | BDI_CAP_WRITEBACK_ACCT);
}

/* Unregister and free @bdi: the flusher is cancelled, its inodes dropped from the lists. */
void bdi_put(struct backing_dev_info *bdi)
{
	struct wb_state *ws = wb_state();

	if (!bdi)
		return;
	wb_shutdown(&bdi->wb);
	if (ws) {
		spin_lock(&ws->bdi_lock);
		list_del_init(&bdi->bdi_list);
		spin_unlock(&ws->bdi_lock);
	}
	free(bdi);
}

struct backing_dev_info *noop_backing_dev_info(void)
{
	struct wb_state *ws = wb_state();

	return ws ? ws->noop_bdi : NULL;
}

struct backing_dev_info *inode_to_bdi(struct inode *inode)
{
	struct super_block *sb;

	if (!inode)
		return noop_backing_dev_info();
	sb = inode->i_sb;
	if (sb && sb->s_bdi)
		return sb->s_bdi;
	return noop_backing_dev_info();
}

bool wb_has_dirty_io(struct bdi_writeback *wb)
{
	return __atomic_load_n(&wb->state, __ATOMIC_ACQUIRE) & (1ul << WB_has_dirty_io);
}

/* The flusher runs at the next clock advance (Linux's wb_wakeup). */
void wb_wakeup(struct bdi_writeback *wb)
{
	if (!(__atomic_load_n(&wb->state, __ATOMIC_ACQUIRE) & (1ul << WB_registered)))
		return;
	mod_delayed_work(system_unbound_wq, &wb->dwork, 0);
}

/*
 * The first dirty inode of an idle wb: the periodic flush in
 * dirty_writeback_centisecs (Linux's wb_wakeup_delayed); nothing if the
 * interval is 0 (periodic writeback off) or the flusher is already armed.
 */
void wb_wakeup_delayed(struct bdi_writeback *wb)
{
	struct wb_state *ws = wb_state();
	unsigned long timeout;

	if (!ws || !(__atomic_load_n(&wb->state, __ATOMIC_ACQUIRE) & (1ul << WB_registered)))
		return;
	timeout = (unsigned long)READ_ONCE(ws->dirty_writeback_interval) * 10 / (1000 / HZ);
	if (!timeout)
		return;
	queue_delayed_work(system_unbound_wq, &wb->dwork, timeout);
}

void bdi_for_each(void (*fn)(struct backing_dev_info *bdi, void *arg), void *arg)
{
	struct wb_state *ws = wb_state();
	struct backing_dev_info *bdi;
	struct backing_dev_info *list[16];
	int n = 0;

	if (!ws)
		return;
	/* Few bdis, never freed while the machine runs work: a snapshot. */
	spin_lock(&ws->bdi_lock);
	list_for_each_entry(bdi, &ws->bdi_list, bdi_list)
		if (n < 16)
			list[n++] = bdi;
	spin_unlock(&ws->bdi_lock);
	for (int i = 0; i < n; i++)
		fn(list[i], arg);
}

/* core initcall (of the writeback subsystem, from mm/page-writeback.c). */
int bdi_subsys_init(struct mmsim *m, char *err, size_t len);
int bdi_subsys_init(struct mmsim *m, char *err, size_t len)
{
	struct wb_state *ws = wb_state_of(m);

	spin_lock_init(&ws->bdi_lock);
	INIT_LIST_HEAD(&ws->bdi_list);
	ws->noop_bdi = __bdi_alloc(ws, "noop", 0);
	if (!ws->noop_bdi) {
		snprintf(err, len, "writeback: cannot allocate the noop bdi");
		return -12;
	}
	return 0;
}

void bdi_subsys_exit(struct mmsim *m);
void bdi_subsys_exit(struct mmsim *m)
{
	struct wb_state *ws = wb_state_of(m);
	struct backing_dev_info *bdi, *n;

	list_for_each_entry_safe(bdi, n, &ws->bdi_list, bdi_list) {
		if (bdi != ws->noop_bdi)
			pr_warn("bdi %s: still registered at shutdown\n", bdi->dev_name);
		wb_shutdown(&bdi->wb);
		list_del_init(&bdi->bdi_list);
		free(bdi);
	}
	ws->noop_bdi = NULL;
}
