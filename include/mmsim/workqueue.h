/* SPDX-License-Identifier: GPL-2.0 */
/*
 * workqueue.h - deferred work and timers in virtual time, with Linux's
 * names (include/linux/workqueue.h, timer.h).  kernel/workqueue.c.
 *
 * mmsim has no scheduler for kernel threads: work runs on the thread that
 * makes the virtual clock reach its time (mmsim_advance_clock), in order of
 * due time and then of queueing, so a run is deterministic.  Work queued
 * with queue_work (due now) runs at the next mmsim_advance_clock (even one
 * of 0 ns), at flush_work/flush_delayed_work, or when a syscall returns to
 * user mode (exit_to_user_mode) -- whichever comes first.  A work function
 * runs on the CPU of that thread with no task current (a kernel thread's
 * context: current == NULL), and may queue work (itself included).
 * With `threaded`, the same rules hold; a machine-wide lock serialises
 * the runner.
 */
#ifndef MMSIM_WORKQUEUE_H
#define MMSIM_WORKQUEUE_H

#include <stdbool.h>
#include <mmsim/types.h>
#include <mmsim/list.h>

struct mmsim;
struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	struct list_head entry;		/* on the machine's pending list */
	work_func_t func;
	unsigned long data;		/* WORK_STRUCT_PENDING and friends */
	u64 due_ns;			/* virtual time it runs at */
	u64 seq;			/* queueing order, for ties */
};

struct delayed_work {
	struct work_struct work;
};

struct timer_list {
	struct work_struct work;	/* mmsim: a timer is work due at `expires` */
	unsigned long expires;		/* jiffies */
	void (*function)(struct timer_list *t);
};

struct workqueue_struct;
/* The machine's queues (one runner each; the names are Linux's). */
extern struct workqueue_struct *const system_wq;
extern struct workqueue_struct *const system_unbound_wq;

#define INIT_WORK(w, f)		init_work((w), (f))
#define INIT_DELAYED_WORK(dw, f) init_work(&(dw)->work, (f))
void init_work(struct work_struct *work, work_func_t func);

static inline struct delayed_work *to_delayed_work(struct work_struct *work)
{
	return (struct delayed_work *)work;
}

/* True if queued, false if it was already pending. */
bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
bool schedule_work(struct work_struct *work);
bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
			unsigned long delay_jiffies);
/* Queue, or move an already pending one to now + @delay; true if it was pending. */
bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
		      unsigned long delay_jiffies);
bool cancel_work_sync(struct work_struct *work);
bool cancel_delayed_work(struct delayed_work *dwork);
bool cancel_delayed_work_sync(struct delayed_work *dwork);
/* Run it now if pending (mmsim: on the calling thread); true if it ran. */
bool flush_work(struct work_struct *work);
bool flush_delayed_work(struct delayed_work *dwork);
bool work_pending(const struct work_struct *work);
bool delayed_work_pending(const struct delayed_work *dwork);

void timer_setup(struct timer_list *timer, void (*func)(struct timer_list *), unsigned int flags);
int mod_timer(struct timer_list *timer, unsigned long expires);	/* 1 if it was pending */
int timer_delete_sync(struct timer_list *timer);
#define del_timer_sync(t)	timer_delete_sync(t)
bool timer_pending(const struct timer_list *timer);

/*
 * mmsim: run every work item due by the virtual clock's time (called by
 * mmsim_advance_clock after the disk's completions, and by
 * exit_to_user_mode); returns how many ran.  The earliest due time of
 * pending work, or 0 when none, lets a caller that waits for something
 * (submit_bio_wait, balance_dirty_pages) advance the clock to it.
 */
unsigned int run_pending_work(struct mmsim *m);
/*
 * mmsim: let virtual time pass for a wait inside the kernel (a bio, a
 * locked folio, a folio under writeback: Linux's io_schedule): the disk
 * completes what falls due, but no deferred work runs on this thread
 * meanwhile -- the waiter may hold locks the work takes (Linux's flusher
 * is another thread).  Work then runs at the next mmsim_advance_clock from
 * outside a wait, at exit_to_user_mode, or in balance_dirty_pages' pause.
 * init/main.c.
 */
void io_wait_advance_clock(struct mmsim *m, u64 ns);
u64 next_work_due(struct mmsim *m);

#endif
