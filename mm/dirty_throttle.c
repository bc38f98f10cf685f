// SPDX-License-Identifier: GPL-2.0
/*
 * mm/dirty_throttle.c - the second half of Linux's mm/page-writeback.c:
 * throttling the tasks that dirty pages (balance_dirty_pages), the write
 * bandwidth estimate, the vm.dirty_* sysctls and the `writeback`
 * subsystem (its state is struct wb_state, mm/wb_internal.h).
 *
 * balance_dirty_pages_ratelimited(mapping), called after a task dirtied
 * pages of a mapping that writes back:
 *   ratelimit = current->nr_dirtied_pause (32 pages at 4K at first; 8 when
 *   the limit was exceeded); the task balances when it dirtied that many,
 *   or when its CPU's count reached ratelimit_pages.
 * balance_dirty_pages(wb, pages_dirtied), one round per pause:
 *   dirty = NR_FILE_DIRTY + NR_WRITEBACK; (bg, thresh) = the limits;
 *   dirty <= freerun = (thresh + bg) / 2: no pause; nr_dirtied_pause =
 *     dirty_poll_interval(dirty, thresh) = 2^(ilog2(thresh - dirty) / 2);
 *   else: the flusher starts background writeback if it is idle;
 *     limit = max(thresh, the domain's dirty_limit); setpoint =
 *     (freerun + limit) / 2; pos_ratio = 1 + ((setpoint - dirty) /
 *     (limit - setpoint))^3 (in 1/1024 units, 0..2; 0 at or over limit);
 *     task_ratelimit = dirty_ratelimit * pos_ratio;
 *     max_pause = wb_max_pause (<= MAX_PAUSE = HZ/5), min_pause and the
 *     next nr_dirtied_pause from wb_min_pause (Linux's);
 *     period = HZ * pages_dirtied / task_ratelimit (max_pause if the rate
 *     is 0), pause = period - (now - dirty_paused_when); a pause under
 *     min_pause is skipped (Linux's three cases), one over max_pause is cut
 *     to it; the task then sleeps `pause` jiffies of virtual time
 *     (mmsim_advance_clock: the disk completes and the flusher runs) and
 *     the pause is counted; with task_ratelimit > 0 one round is enough.
 *
 * Locking: none of its own; the counters are atomics; the per-CPU slots are
 * updated with relaxed atomics; sysctl writes run under sysctl_lock.
 *
 * Invariants: pause <= MAX_PAUSE jiffies per round; a task below the
 * freerun ceiling never pauses; ratelimit_pages >= 16.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/pagemap.h>
#include <mmsim/printk.h>
#include <mmsim/sched.h>
#include <mmsim/sysctl.h>
#include <mmsim/seq_file.h>
#include <mmsim/vmstat.h>
#include "init/init.h"
#include "init/machine.h"
#include "mm/internal.h"
#include "mm/wb_internal.h"

#define MAX_PAUSE		max_t(long, HZ / 5, 4)
#define BANDWIDTH_INTERVAL	max_t(unsigned long, HZ / 5, 1)
#define RATELIMIT_CALC_SHIFT	10
#define DIRTY_POLL_THRESH	(128 >> (PAGE_SHIFT - 10))

static unsigned long jiffies_now(void)
{
	return (unsigned long)get_jiffies_64();
}

static int ilog2_ul(unsigned long v)
{
	return v ? 63 - __builtin_clzl(v) : 0;
}

static unsigned long roundup_pow2(unsigned long v)
{
	return v <= 1 ? 1 : 1ul << (ilog2_ul(v - 1) + 1);
}

/*
 * Linux's wb_update_write_bandwidth: the pages written over the last
 * elapsed jiffies, smoothed over a 3 s period (1024 jiffies rounded).
 */
void wb_update_bandwidth(struct bdi_writeback *wb)
{
	unsigned long now = jiffies_now();
	unsigned long elapsed, written, avg, old;
	unsigned long period = roundup_pow2(3 * HZ);
	unsigned long long bw;

	spin_lock(&wb->list_lock);	/* one updater at a time, as Linux */
	elapsed = now - wb->bw_time_stamp;
	written = wb_stat(wb, WB_WRITTEN);
	avg = wb->avg_write_bandwidth;
	old = wb->write_bandwidth;
	if (elapsed < BANDWIDTH_INTERVAL) {
		spin_unlock(&wb->list_lock);
		return;
	}
	bw = (unsigned long long)(written - min(written, wb->written_stamp)) * HZ;
	if (elapsed > period) {
		bw /= elapsed;
		avg = (unsigned long)bw;
	} else {
		bw += (unsigned long long)wb->write_bandwidth * (period - elapsed);
		bw >>= ilog2_ul(period);
		if (avg > old && old >= (unsigned long)bw)
			avg -= (avg - old) >> 3;
		if (avg < old && old <= (unsigned long)bw)
			avg += (old - avg) >> 3;
	}
	if (avg < 1)
		avg = 1;
	wb->write_bandwidth = (unsigned long)bw ? (unsigned long)bw : 1;
	WRITE_ONCE(wb->avg_write_bandwidth, avg);
	/* mmsim: a single dirtier's balanced rate is the disk's write rate. */
	WRITE_ONCE(wb->balanced_dirty_ratelimit, max(avg, 1ul));
	WRITE_ONCE(wb->dirty_ratelimit, (READ_ONCE(wb->dirty_ratelimit) + max(avg, 1ul)) / 2 ?: 1);
	wb->written_stamp = written;
	WRITE_ONCE(wb->bw_time_stamp, now);
	spin_unlock(&wb->list_lock);
}

static unsigned long dirty_freerun_ceiling(unsigned long thresh, unsigned long bg_thresh)
{
	return (thresh + bg_thresh) / 2;
}

static unsigned long dirty_poll_interval(unsigned long dirty, unsigned long thresh)
{
	if (thresh > dirty)
		return 1ul << (ilog2_ul(thresh - dirty) >> 1);
	return 1;
}

static long long pos_ratio_polynom(unsigned long setpoint, unsigned long dirty,
				   unsigned long limit)
{
	long long pos_ratio, x;

	x = (((long long)setpoint - (long long)dirty) * (1ll << RATELIMIT_CALC_SHIFT)) /
	    (long long)((limit - setpoint) | 1);
	pos_ratio = x;
	pos_ratio = pos_ratio * x / (1ll << RATELIMIT_CALC_SHIFT);
	pos_ratio = pos_ratio * x / (1ll << RATELIMIT_CALC_SHIFT);
	pos_ratio += 1 << RATELIMIT_CALC_SHIFT;
	if (pos_ratio < 0)
		pos_ratio = 0;
	if (pos_ratio > 2ll << RATELIMIT_CALC_SHIFT)
		pos_ratio = 2ll << RATELIMIT_CALC_SHIFT;
	return pos_ratio;
}

static long wb_max_pause(struct bdi_writeback *wb, unsigned long wb_dirty)
{
	unsigned long bw = READ_ONCE(wb->avg_write_bandwidth);
	unsigned long t;

	t = wb_dirty / (1 + bw / roundup_pow2(1 + HZ / 8));
	t++;
	return (long)min_t(unsigned long, t, MAX_PAUSE);
}

static long wb_min_pause(struct bdi_writeback *wb, long max_pause, unsigned long task_ratelimit,
			 unsigned long dirty_ratelimit, int *nr_dirtied_pause)
{
	long hi = ilog2_ul(READ_ONCE(wb->avg_write_bandwidth));
	long lo = ilog2_ul(READ_ONCE(wb->dirty_ratelimit));
	long t, pause;
	long pages;

	t = max(1, HZ / 100);	/* 10 ms for a single dirtier */
	if (hi > lo)
		t += (hi - lo) * (10 * HZ) / 1024;
	t = min(t, 1 + max_pause / 2);
	pages = (long)(dirty_ratelimit * (unsigned long)t / roundup_pow2(HZ));
	if (pages < DIRTY_POLL_THRESH) {
		t = max_pause;
		pages = (long)(dirty_ratelimit * (unsigned long)t / roundup_pow2(HZ));
		if (pages > DIRTY_POLL_THRESH) {
			pages = DIRTY_POLL_THRESH;
			t = HZ * DIRTY_POLL_THRESH / (long)dirty_ratelimit;
		}
	}
	pause = HZ * pages / ((long)task_ratelimit + 1);
	if (pause > max_pause) {
		t = max_pause;
		pages = (long)(task_ratelimit * (unsigned long)t / roundup_pow2(HZ));
	}
	*nr_dirtied_pause = (int)pages;
	return pages >= DIRTY_POLL_THRESH ? 1 + t / 2 : t;
}

/* The task sleeps @pause jiffies: virtual time passes (I/O completes, work runs). */
static void dirty_pause(struct wb_state *ws, long pause)
{
	struct mmsim *m = current_machine();

	atomic_long_add(1, &ws->nr_throttle_pauses);
	atomic_long_add(pause, &ws->throttle_jiffies);
	mmsim_advance_clock(m, (u64)pause * TICK_NSEC_WB);
}

static void balance_dirty_pages(struct bdi_writeback *wb, unsigned long pages_dirtied)
{
	struct wb_state *ws = wb_state();
	struct task_struct *tsk = current;

	for (int round = 0; round < 1000; round++) {
		unsigned long now = jiffies_now();
		unsigned long dirty, bg, thresh, freerun, limit, setpoint;
		unsigned long dirty_ratelimit, task_ratelimit;
		long long pos_ratio;
		long period, pause, max_pause, min_pause;
		int nr_dirtied_pause;

		dirty = global_node_page_state(NR_FILE_DIRTY) + global_node_page_state(NR_WRITEBACK);
		global_dirty_limits(&bg, &thresh);
		freerun = dirty_freerun_ceiling(thresh, bg);
		if (dirty <= freerun) {
			tsk->dirty_paused_when = now;
			tsk->nr_dirtied = 0;
			tsk->nr_dirtied_pause = (int)dirty_poll_interval(dirty, thresh);
			WRITE_ONCE(ws->dirty_limit, max(READ_ONCE(ws->dirty_limit) / 2, thresh));
			break;
		}
		if (!writeback_in_progress(wb))
			wb_start_background_writeback(wb);
		limit = max(thresh, READ_ONCE(ws->dirty_limit));
		if (limit < thresh)
			limit = thresh;
		WRITE_ONCE(ws->dirty_limit, limit);
		setpoint = (freerun + limit) / 2;
		pos_ratio = dirty >= limit ? 0 : pos_ratio_polynom(setpoint, dirty, limit);
		if (time_is_before_jiffies(READ_ONCE(wb->bw_time_stamp) + BANDWIDTH_INTERVAL))
			wb_update_bandwidth(wb);
		dirty_ratelimit = max(READ_ONCE(wb->dirty_ratelimit), 1ul);
		task_ratelimit = (unsigned long)(((unsigned long long)dirty_ratelimit *
						  (unsigned long long)pos_ratio) >> RATELIMIT_CALC_SHIFT);
		max_pause = wb_max_pause(wb, dirty);
		min_pause = wb_min_pause(wb, max_pause, task_ratelimit, dirty_ratelimit,
					 &nr_dirtied_pause);
		if (!task_ratelimit) {
			period = max_pause;
			pause = max_pause;
		} else {
			period = (long)(HZ * pages_dirtied / task_ratelimit);
			pause = period;
			if (tsk->dirty_paused_when)
				pause -= (long)(now - tsk->dirty_paused_when);
			if (pause < min_pause) {
				if (pause < -HZ) {
					tsk->dirty_paused_when = now;
					tsk->nr_dirtied = 0;
				} else if (period) {
					tsk->dirty_paused_when += (unsigned long)period;
					tsk->nr_dirtied = 0;
				} else if (tsk->nr_dirtied_pause <= (int)pages_dirtied) {
					tsk->nr_dirtied_pause += (int)pages_dirtied;
				}
				break;
			}
			if (pause > max_pause) {
				now += (unsigned long)min(pause - max_pause, max_pause);
				pause = max_pause;
			}
		}
		dirty_pause(ws, pause);
		tsk->dirty_paused_when = now + (unsigned long)pause;
		tsk->nr_dirtied = 0;
		tsk->nr_dirtied_pause = nr_dirtied_pause;
		if (task_ratelimit)
			break;
		if (wb_stat(wb, WB_RECLAIMABLE) + wb_stat(wb, WB_WRITEBACK) == 0)
			break;	/* nothing of this wb to wait for */
		if (fatal_signal_pending(tsk))
			break;
	}
}

/**
 * balance_dirty_pages_ratelimited - a task dirtied pages of @mapping
 *
 * Every ratelimit pages (per task, and per CPU), check the dirty limits
 * and pause the task in virtual time if it dirties faster than the disk
 * cleans (balance_dirty_pages).  Nothing for mappings that never write
 * back (tmpfs) or without a current task.
 */
void balance_dirty_pages_ratelimited(struct address_space *mapping)
{
	struct wb_state *ws = wb_state();
	struct task_struct *tsk = current;
	struct backing_dev_info *bdi;
	int ratelimit;
	long *p;

	if (!ws || !tsk || !mapping->host)
		return;
	bdi = inode_to_bdi(mapping->host);
	if (!(bdi->capabilities & BDI_CAP_WRITEBACK))
		return;
	if (!tsk->nr_dirtied_pause)
		tsk->nr_dirtied_pause = DIRTY_POLL_THRESH;
	ratelimit = tsk->nr_dirtied_pause;
	if (global_node_page_state(NR_FILE_DIRTY) > READ_ONCE(ws->dirty_limit))
		ratelimit = min(ratelimit, 32 >> (PAGE_SHIFT - 10));	/* dirty_exceeded */
	p = &ws->bdp_ratelimits[(current_cpu ? current_cpu->id : 0) % WB_MAX_CPUS];
	if (tsk->nr_dirtied >= ratelimit) {
		__atomic_store_n(p, 0, __ATOMIC_RELAXED);
	} else if (__atomic_load_n(p, __ATOMIC_RELAXED) >= (long)READ_ONCE(ws->ratelimit_pages)) {
		__atomic_store_n(p, 0, __ATOMIC_RELAXED);
		ratelimit = 0;
	}
	if (tsk->nr_dirtied >= ratelimit)
		balance_dirty_pages(&bdi->wb, (unsigned long)tsk->nr_dirtied);
}

void dirty_throttle_stats(unsigned long *pauses, unsigned long *jiffies_paused)
{
	struct wb_state *ws = wb_state();

	*pauses = ws ? (unsigned long)atomic_long_read(&ws->nr_throttle_pauses) : 0;
	*jiffies_paused = ws ? (unsigned long)atomic_long_read(&ws->throttle_jiffies) : 0;
}

void laptop_mode_timer_fn(struct timer_list *t)
{
	(void)t;
	wakeup_flusher_threads(WB_REASON_LAPTOP_TIMER);
}

/* --- sysctls ----------------------------------------------------------- */

static struct wb_state *ws_of_table(const struct ctl_table *t)
{
	(void)t;
	return wb_state();
}

static int dirty_background_ratio_handler(const struct ctl_table *t, int write,
					  struct seq_file *sf, const char *text)
{
	int ret = proc_dointvec_minmax(t, write, sf, text);

	if (!ret && write)
		WRITE_ONCE(ws_of_table(t)->dirty_background_bytes, 0);
	return ret;
}

static int dirty_background_bytes_handler(const struct ctl_table *t, int write,
					  struct seq_file *sf, const char *text)
{
	int ret = proc_doulongvec_minmax(t, write, sf, text);

	if (!ret && write)
		WRITE_ONCE(ws_of_table(t)->dirty_background_ratio, 0);
	return ret;
}

static int dirty_ratio_handler(const struct ctl_table *t, int write, struct seq_file *sf,
			       const char *text)
{
	struct wb_state *ws = ws_of_table(t);
	int old = ws->vm_dirty_ratio;
	int ret = proc_dointvec_minmax(t, write, sf, text);

	if (!ret && write && ws->vm_dirty_ratio != old) {
		writeback_set_ratelimit();
		WRITE_ONCE(ws->vm_dirty_bytes, 0);
	}
	return ret;
}

static int dirty_bytes_handler(const struct ctl_table *t, int write, struct seq_file *sf,
			       const char *text)
{
	struct wb_state *ws = ws_of_table(t);
	unsigned long old = ws->vm_dirty_bytes;
	int ret = proc_doulongvec_minmax(t, write, sf, text);

	if (!ret && write && ws->vm_dirty_bytes != old) {
		writeback_set_ratelimit();
		WRITE_ONCE(ws->vm_dirty_ratio, 0);
	}
	return ret;
}

/* Writing 0 stops the periodic flush; a new non-zero value wakes the flushers. */
static int dirty_writeback_centisecs_handler(const struct ctl_table *t, int write,
					     struct seq_file *sf, const char *text)
{
	struct wb_state *ws = ws_of_table(t);
	unsigned int old = ws->dirty_writeback_interval;
	int ret = proc_dointvec(t, write, sf, text);

	if (!ret && write && ws->dirty_writeback_interval &&
	    ws->dirty_writeback_interval != old)
		wakeup_flusher_threads(WB_REASON_PERIODIC);
	return ret;
}

/* laptop_mode: kept in jiffies, read and written in seconds (proc_dointvec_jiffies). */
static int proc_dointvec_jiffies(const struct ctl_table *t, int write, struct seq_file *sf,
				 const char *text)
{
	int *p = t->data, v;

	if (!write) {
		seq_printf(sf, "%d\n", READ_ONCE(*p) / HZ);
		return 0;
	}
	if (proc_parse_ints(text, &v, 1) != 1 || v < 0 || v > INT_MAX / HZ)
		return -EINVAL;
	WRITE_ONCE(*p, v * HZ);
	return 0;
}

static const int one_hundred = 100;
static const unsigned long ulong_one = 1;
static const int four = 4;

int drop_caches_sysctl_handler(const struct ctl_table *t, int write, struct seq_file *sf,
			       const char *text);

static int writeback_sysctl_init(struct mmsim *m, char *err, size_t len)
{
	struct wb_state *ws = wb_state_of(m);
	const struct ctl_table table[] = {
		{ .procname = "dirty_background_ratio", .data = &ws->dirty_background_ratio,
		  .maxlen = sizeof(int), .mode = 0644,
		  .proc_handler = dirty_background_ratio_handler,
		  .extra1 = SYSCTL_ZERO, .extra2 = &one_hundred },
		{ .procname = "dirty_background_bytes", .data = &ws->dirty_background_bytes,
		  .maxlen = sizeof(unsigned long), .mode = 0644,
		  .proc_handler = dirty_background_bytes_handler, .extra1 = &ulong_one },
		{ .procname = "dirty_ratio", .data = &ws->vm_dirty_ratio,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = dirty_ratio_handler,
		  .extra1 = SYSCTL_ZERO, .extra2 = &one_hundred },
		{ .procname = "dirty_bytes", .data = &ws->vm_dirty_bytes,
		  .maxlen = sizeof(unsigned long), .mode = 0644,
		  .proc_handler = dirty_bytes_handler, .extra1 = &ws->dirty_bytes_min },
		{ .procname = "dirty_writeback_centisecs", .data = &ws->dirty_writeback_interval,
		  .maxlen = sizeof(int), .mode = 0644,
		  .proc_handler = dirty_writeback_centisecs_handler },
		{ .procname = "dirty_expire_centisecs", .data = &ws->dirty_expire_interval,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
		  .extra1 = SYSCTL_ZERO },
		{ .procname = "dirtytime_expire_seconds", .data = &ws->dirtytime_expire_interval,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
		  .extra1 = SYSCTL_ZERO },
		{ .procname = "laptop_mode", .data = &ws->laptop_mode,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_jiffies },
		{ .procname = "drop_caches", .data = &ws->drop_caches,
		  .maxlen = sizeof(int), .mode = 0200, .proc_handler = drop_caches_sysctl_handler,
		  .extra1 = SYSCTL_ONE, .extra2 = &four },
	};
	int ret = register_sysctl("vm", table);

	if (ret)
		snprintf(err, len, "writeback: cannot register the vm sysctls (%d)", ret);
	return ret;
}

int bdi_subsys_init(struct mmsim *m, char *err, size_t len);
void bdi_subsys_exit(struct mmsim *m);

static int writeback_init(struct mmsim *m, char *err, size_t len)
{
	struct wb_state *ws = wb_state_of(m);
	int ret = bdi_subsys_init(m, err, len);

	if (ret)
		return ret;
	ws->dirty_bytes_min = 2 * PAGE_SIZE;	/* vm.dirty_bytes' minimum */
	atomic_long_set(&ws->nr_throttle_pauses, 0);
	atomic_long_set(&ws->throttle_jiffies, 0);
	__atomic_store_n(&ws->ready, true, __ATOMIC_RELEASE);
	return 0;
}

static void writeback_exit(struct mmsim *m)
{
	struct wb_state *ws = wb_state_of(m);

	__atomic_store_n(&ws->ready, false, __ATOMIC_RELEASE);
	bdi_subsys_exit(m);
}

/* late: the limits of the booted machine (Linux's page_writeback_init). */
static int writeback_ratelimit_init(struct mmsim *m, char *err, size_t len)
{
	(void)m, (void)err, (void)len;
	writeback_set_ratelimit();
	return 0;
}

static const struct initcall writeback_initcalls[] = {
	core_initcall(writeback_init, writeback_exit),
	fs_initcall(writeback_sysctl_init, NULL),
	late_initcall(writeback_ratelimit_init, NULL),
};

static const struct wb_state wb_template = {
	.dirty_background_ratio = 10,
	.vm_dirty_ratio = 20,
	.dirty_writeback_interval = 500,
	.dirty_expire_interval = 3000,
	.dirtytime_expire_interval = 12 * 60 * 60,
};

DEFINE_SUBSYSTEM(writeback, SUBSYS_STATE(struct wb_state, &wb_template),
		 SUBSYS_INITCALLS(writeback_initcalls));
