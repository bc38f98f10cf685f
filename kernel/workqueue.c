// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/workqueue.c - deferred work and timers in virtual time (Linux's
 * kernel/workqueue.c and kernel/time/timer.c names, <mmsim/workqueue.h>).
 *
 * Design.  mmsim has no kernel threads: a machine keeps one list of
 * pending work items, ordered by due time (virtual ns) and then by the
 * order they were queued (a per-machine sequence number), so a run is
 * deterministic.  The items run on the host thread that makes the virtual
 * clock reach their time: mmsim_advance_clock() calls run_pending_work()
 * after the disk completed what was due, and exit_to_user_mode() calls it
 * when a syscall returns (no lock held there).  flush_work() runs a pending
 * item on its caller at once; cancel_*() takes it off the list.
 *
 *   - queue_work/schedule_work: due now (the next run).
 *   - queue_delayed_work(delay): due when jiffies reaches jiffies + delay,
 *     i.e. at the tick boundary (expires - INITIAL_JIFFIES) * TICK_NSEC, as
 *     a timer fires on the tick; mod_delayed_work moves a pending one.
 *   - timers are work items due at `expires` that call timer->function.
 *
 * A work function runs with no task current (current == NULL: a kworker's
 * context; get_current() asks wq_in_worker()), on the CPU of the thread.
 * It may queue work, itself included; what it queues waits for the next
 * run (the sequence limit of run_pending_work), so a self-requeueing item
 * cannot livelock one call.
 *
 * Locking.  wq->lock (a spinlock) guards the pending list, every queued
 * item's entry, due_ns, seq and WORK_STRUCT_PENDING, and wq->running.
 * wq->runner (a mutex) serialises running: one thread of the machine runs
 * work at a time.  run_pending_work only trylocks it (a thread that finds
 * it busy leaves the due items to the thread running them: it may hold
 * locks the running work wants), and does nothing on a thread that is
 * already running work (a work function that lets time pass, e.g.
 * folio_wait_writeback, does not run other work inside itself).
 * flush_work and cancel_work_sync wait for the runner (the mutex) when the
 * item runs on another thread.  Order: runner -> lock; no lock is held
 * while a work function runs.
 *
 * Invariants (under wq->lock):
 *   an item is on the list  iff  WORK_STRUCT_PENDING is set in its data
 *   first_due == the head's due_ns, or U64_MAX when the list is empty
 *   the list is sorted by (due_ns, seq), seq strictly increasing at equal due_ns
 *   wq->running is the item whose function runs now (or NULL)
 * After the machine's shutdown (the exit below), nothing is pending and
 * queueing is refused.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <mmsim/workqueue.h>
#include <mmsim/jiffies.h>
#include <mmsim/printk.h>
#include "init/init.h"
#include "init/machine.h"
#include "kernel/internal.h"

#define WORK_STRUCT_PENDING	1ul
#define TICK_NSEC		(1000000000ull / HZ)

struct workqueue_struct {
	const char *name;
};

static struct workqueue_struct wq_system = { "events" };
static struct workqueue_struct wq_system_unbound = { "events_unbound" };
struct workqueue_struct *const system_wq = &wq_system;
struct workqueue_struct *const system_unbound_wq = &wq_system_unbound;

struct wq_state {
	spinlock_t lock;		/* the list, items' entries, PENDING, running */
	pthread_mutex_t runner;		/* one thread runs work at a time */
	struct list_head pending;	/* (due_ns, seq) order */
	u64 seq;			/* next sequence number */
	struct work_struct *running;	/* the item running now */
	bool ready;			/* between init and exit */
	u64 first_due;			/* the head's due_ns, U64_MAX when empty: the
					   lock-free fast path of run_pending_work */
};

/* The machine this thread runs work for (nesting guard), or NULL. */
static __thread struct mmsim *wq_worker_of;

bool wq_in_worker(void)
{
	return wq_worker_of != NULL;
}

static struct wq_state *wq_state_of(struct mmsim *m)
{
	return m && m->subsys_state ? subsys_state(m, workqueue) : NULL;
}

static u64 clock_now(struct mmsim *m)
{
	return atomic_load_explicit(&m->hw.clock_ns, memory_order_relaxed);
}

/* Virtual time at which jiffies reaches @expires (now if already past). */
static u64 jiffies_to_due(struct mmsim *m, unsigned long expires)
{
	unsigned long now_j = INITIAL_JIFFIES + clock_now(m) / TICK_NSEC;

	if (!time_after(expires, now_j))
		return clock_now(m);
	return (u64)(expires - INITIAL_JIFFIES) * TICK_NSEC;
}

void init_work(struct work_struct *work, work_func_t func)
{
	INIT_LIST_HEAD(&work->entry);
	work->func = func;
	work->data = 0;
	work->due_ns = 0;
	work->seq = 0;
}

bool work_pending(const struct work_struct *work)
{
	return __atomic_load_n(&work->data, __ATOMIC_ACQUIRE) & WORK_STRUCT_PENDING;
}

bool delayed_work_pending(const struct delayed_work *dwork)
{
	return work_pending(&dwork->work);
}

static void wq_update_first_due(struct wq_state *wq)
{
	u64 t = list_empty(&wq->pending) ? UINT64_MAX :
		list_first_entry(&wq->pending, struct work_struct, entry)->due_ns;

	__atomic_store_n(&wq->first_due, t, __ATOMIC_RELEASE);
}

static void wq_insert_locked(struct wq_state *wq, struct work_struct *work, u64 due)
{
	struct list_head *pos = wq->pending.prev;

	work->due_ns = due;
	work->seq = wq->seq++;
	/* From the tail: the first item due no later than @due goes before. */
	while (pos != &wq->pending &&
	       list_entry(pos, struct work_struct, entry)->due_ns > due)
		pos = pos->prev;
	list_add(&work->entry, pos);
	__atomic_store_n(&work->data, work->data | WORK_STRUCT_PENDING, __ATOMIC_RELEASE);
	wq_update_first_due(wq);
}

static void wq_remove_locked(struct wq_state *wq, struct work_struct *work)
{
	list_del_init(&work->entry);
	__atomic_store_n(&work->data, work->data & ~WORK_STRUCT_PENDING, __ATOMIC_RELEASE);
	wq_update_first_due(wq);
}

/*
 * Queue @work at @due unless pending; with @move, a pending one moves to
 * @due.  Returns whether it was pending before.
 */
static bool __queue_at(struct work_struct *work, u64 due, bool move, bool *queued)
{
	struct wq_state *wq = wq_state_of(current_machine());
	bool was;

	*queued = false;
	if (WARN_ON_ONCE(!wq))
		return false;
	spin_lock(&wq->lock);
	was = work->data & WORK_STRUCT_PENDING;
	if (!wq->ready) {
		spin_unlock(&wq->lock);
		return was;
	}
	if (was && move)
		wq_remove_locked(wq, work);
	if (!was || move) {
		wq_insert_locked(wq, work, due);
		*queued = true;
	}
	spin_unlock(&wq->lock);
	return was;
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	bool queued;

	(void)wq;
	if (!current_machine())
		return false;
	__queue_at(work, clock_now(current_machine()), false, &queued);
	return queued;
}

bool schedule_work(struct work_struct *work)
{
	return queue_work(system_wq, work);
}

/*
 * Linux's __queue_delayed_work: queue @dwork @delay_jiffies from now (at
 * once for 0), moving a pending one with @move (mod_delayed_work).  Returns
 * __queue_at's "was pending"; *queued says whether it is queued anew.
 */
static bool __queue_delayed_work(struct delayed_work *dwork, unsigned long delay_jiffies,
				 bool move, bool *queued)
{
	struct mmsim *m = current_machine();
	unsigned long now_j;

	*queued = false;
	if (!m)
		return false;
	now_j = INITIAL_JIFFIES + clock_now(m) / TICK_NSEC;
	return __queue_at(&dwork->work, delay_jiffies ? jiffies_to_due(m, now_j + delay_jiffies) :
			  clock_now(m), move, queued);
}

bool queue_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
			unsigned long delay_jiffies)
{
	bool queued;

	(void)wq;
	__queue_delayed_work(dwork, delay_jiffies, false, &queued);
	return queued;
}

bool mod_delayed_work(struct workqueue_struct *wq, struct delayed_work *dwork,
		      unsigned long delay_jiffies)
{
	bool queued;

	(void)wq;
	return __queue_delayed_work(dwork, delay_jiffies, true, &queued);
}

/* Take @work off the list; true if it was pending. */
static bool __cancel(struct wq_state *wq, struct work_struct *work)
{
	bool was;

	spin_lock(&wq->lock);
	was = work->data & WORK_STRUCT_PENDING;
	if (was)
		wq_remove_locked(wq, work);
	spin_unlock(&wq->lock);
	return was;
}

/* Wait until @work is not running on another thread of the machine. */
static void wait_not_running(struct wq_state *wq, struct work_struct *work)
{
	bool running;

	if (wq_worker_of)	/* we are the runner: it is us or nothing */
		return;
	spin_lock(&wq->lock);
	running = wq->running == work;
	spin_unlock(&wq->lock);
	if (running) {
		pthread_mutex_lock(&wq->runner);
		pthread_mutex_unlock(&wq->runner);
	}
}

bool cancel_work_sync(struct work_struct *work)
{
	struct wq_state *wq = wq_state_of(current_machine());
	bool was;

	if (!wq)
		return false;
	was = __cancel(wq, work);
	wait_not_running(wq, work);
	return was;
}

bool cancel_delayed_work(struct delayed_work *dwork)
{
	struct wq_state *wq = wq_state_of(current_machine());

	return wq ? __cancel(wq, &dwork->work) : false;
}

bool cancel_delayed_work_sync(struct delayed_work *dwork)
{
	return cancel_work_sync(&dwork->work);
}

/* Run one item taken off the list (wq->running set), as a kworker. */
static void run_one(struct mmsim *m, struct wq_state *wq, struct work_struct *work)
{
	struct mmsim *prev = wq_worker_of;

	wq_worker_of = m;
	work->func(work);
	wq_worker_of = prev;
	spin_lock(&wq->lock);
	wq->running = NULL;
	spin_unlock(&wq->lock);
}

bool flush_work(struct work_struct *work)
{
	struct mmsim *m = current_machine();
	struct wq_state *wq = wq_state_of(m);
	bool nested = wq_worker_of == m, ran = false;
	struct work_struct *saved = NULL;

	if (!wq)
		return false;
	if (!nested)
		pthread_mutex_lock(&wq->runner);
	spin_lock(&wq->lock);
	if (work->data & WORK_STRUCT_PENDING) {
		wq_remove_locked(wq, work);
		saved = wq->running;
		wq->running = work;
		ran = true;
	}
	spin_unlock(&wq->lock);
	if (ran) {
		run_one(m, wq, work);
		if (nested) {
			spin_lock(&wq->lock);
			wq->running = saved;
			spin_unlock(&wq->lock);
		}
	}
	if (!nested)
		pthread_mutex_unlock(&wq->runner);
	return ran;
}

bool flush_delayed_work(struct delayed_work *dwork)
{
	return flush_work(&dwork->work);
}

static void timer_work_fn(struct work_struct *work)
{
	struct timer_list *t = container_of(work, struct timer_list, work);

	t->function(t);
}

void timer_setup(struct timer_list *timer, void (*func)(struct timer_list *), unsigned int flags)
{
	(void)flags;
	init_work(&timer->work, timer_work_fn);
	timer->function = func;
	timer->expires = 0;
}

int mod_timer(struct timer_list *timer, unsigned long expires)
{
	struct mmsim *m = current_machine();
	bool queued;

	if (!m)
		return 0;
	timer->expires = expires;
	return __queue_at(&timer->work, jiffies_to_due(m, expires), true, &queued);
}

int timer_delete_sync(struct timer_list *timer)
{
	return cancel_work_sync(&timer->work);
}

bool timer_pending(const struct timer_list *timer)
{
	return work_pending(&timer->work);
}

/**
 * run_pending_work - run the work the virtual clock has made due
 * @m: the machine; the calling thread must be on it
 *
 * Runs, in (due, seq) order, every item due by now (the clock may move
 * while they run) that was queued before this call began; what they queue
 * waits for the next call.
 * Context: no lock that work may take held (see the header).
 * Return: how many ran; 0 on a thread already running work or when
 * another thread is running it.
 */
unsigned int run_pending_work(struct mmsim *m)
{
	struct wq_state *wq = wq_state_of(m);
	unsigned int nr = 0;
	u64 limit;

	if (!wq || wq_worker_of || current_machine() != m)
		return 0;
	if (!__atomic_load_n(&wq->ready, __ATOMIC_ACQUIRE))
		return 0;
	if (__atomic_load_n(&wq->first_due, __ATOMIC_ACQUIRE) > clock_now(m))
		return 0;	/* nothing due: no lock taken (every syscall return asks) */
	if (pthread_mutex_trylock(&wq->runner))
		return 0;
	spin_lock(&wq->lock);
	limit = wq->seq;
	for (;;) {
		struct work_struct *w = NULL, *it;

		/* The first due item queued before this run began. */
		list_for_each_entry(it, &wq->pending, entry) {
			if (it->due_ns > clock_now(m))
				break;
			if (it->seq < limit) {
				w = it;
				break;
			}
		}
		if (!w)
			break;
		wq_remove_locked(wq, w);
		wq->running = w;
		spin_unlock(&wq->lock);
		run_one(m, wq, w);
		nr++;
		spin_lock(&wq->lock);
	}
	spin_unlock(&wq->lock);
	pthread_mutex_unlock(&wq->runner);
	return nr;
}

u64 next_work_due(struct mmsim *m)
{
	struct wq_state *wq = wq_state_of(m);
	u64 t = 0;

	if (!wq)
		return 0;
	spin_lock(&wq->lock);
	if (!list_empty(&wq->pending))
		t = list_first_entry(&wq->pending, struct work_struct, entry)->due_ns;
	spin_unlock(&wq->lock);
	return t;
}

/**
 * workqueue_is_valid - the invariants of @m's pending list (the header's):
 * every item pending, sorted by (due, seq), no seq from the future.
 * Return: false with a log line naming what is wrong.
 */
bool workqueue_is_valid(struct mmsim *m)
{
	struct wq_state *wq = wq_state_of(m);
	struct work_struct *w, *prev = NULL;
	bool ok = true;

	if (!wq)
		return true;
	spin_lock(&wq->lock);
	list_for_each_entry(w, &wq->pending, entry) {
		if (!(w->data & WORK_STRUCT_PENDING)) {
			pr_err("workqueue: item %p listed but not pending\n", (void *)w);
			ok = false;
		}
		if (w->seq >= wq->seq) {
			pr_err("workqueue: item %p seq %llu >= next %llu\n", (void *)w,
			       (unsigned long long)w->seq, (unsigned long long)wq->seq);
			ok = false;
		}
		if (prev && (prev->due_ns > w->due_ns ||
			     (prev->due_ns == w->due_ns && prev->seq >= w->seq))) {
			pr_err("workqueue: item %p out of (due, seq) order\n", (void *)w);
			ok = false;
		}
		if (!ok)
			break;
		prev = w;
	}
	if (ok && wq->first_due != (list_empty(&wq->pending) ? UINT64_MAX :
				    list_first_entry(&wq->pending, struct work_struct,
						     entry)->due_ns)) {
		pr_err("workqueue: first_due %llu is not the head's\n",
		       (unsigned long long)wq->first_due);
		ok = false;
	}
	spin_unlock(&wq->lock);
	return ok;
}

static int workqueue_init(struct mmsim *m, char *err, size_t len)
{
	struct wq_state *wq = wq_state_of(m);

	(void)err, (void)len;
	spin_lock_init(&wq->lock);
	pthread_mutex_init(&wq->runner, NULL);
	INIT_LIST_HEAD(&wq->pending);
	wq->first_due = UINT64_MAX;
	wq->seq = 1;
	wq->running = NULL;
	__atomic_store_n(&wq->ready, true, __ATOMIC_RELEASE);
	return 0;
}

/* The machine stops: what is still pending is cancelled, never run. */
static void workqueue_exit(struct mmsim *m)
{
	struct wq_state *wq = wq_state_of(m);

	pthread_mutex_lock(&wq->runner);
	spin_lock(&wq->lock);
	__atomic_store_n(&wq->ready, false, __ATOMIC_RELEASE);
	while (!list_empty(&wq->pending))
		wq_remove_locked(wq, list_first_entry(&wq->pending, struct work_struct, entry));
	spin_unlock(&wq->lock);
	pthread_mutex_unlock(&wq->runner);
	pthread_mutex_destroy(&wq->runner);
}

static const struct initcall workqueue_initcalls[] = {
	core_initcall(workqueue_init, workqueue_exit),
};

DEFINE_SUBSYSTEM(workqueue, SUBSYS_STATE(struct wq_state, NULL),
		 SUBSYS_INITCALLS(workqueue_initcalls));
