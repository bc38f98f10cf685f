// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_workqueue.c - kernel/workqueue.c: work and timers in virtual
 * time.  queue_work runs at the next clock advance (even of 0 ns) in
 * queueing order; delayed work and timers run when jiffies reaches their
 * tick, not before; flush_work runs on the caller; cancel and mod_*;
 * a work function runs with current == NULL; a self-requeueing item
 * does not livelock; a work function that lets time pass does not run
 * other work inside itself; exit_to_user_mode runs what is due; the
 * machine's shutdown cancels what is left.
 */
#include <mmsim/workqueue.h>
#include <mmsim/jiffies.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include "mmtest.h"
#include "kernel/internal.h"

#define TICK	(1000000000ull / HZ)

static u64 now_ns(struct mmsim *m)
{
	return atomic_load(&m->hw.clock_ns);
}

struct rec {
	struct delayed_work dw;
	int id;
	int runs;
	u64 ran_at;
	bool current_was_null;
};

static int order[16], nr_order;
static struct mmsim *wm;

static void rec_fn(struct work_struct *w)
{
	struct rec *r = container_of(to_delayed_work(w), struct rec, dw);

	r->runs++;
	r->ran_at = now_ns(wm);
	r->current_was_null = current == NULL;
	if (nr_order < 16)
		order[nr_order++] = r->id;
}

static void rec_init(struct rec *r, int id)
{
	memset(r, 0, sizeof(*r));
	INIT_DELAYED_WORK(&r->dw, rec_fn);
	r->id = id;
}

static void test_queue_order(void)
{
	struct rec a, b, c;

	wm = boot_or_die("ram=64M");
	rec_init(&a, 1);
	rec_init(&b, 2);
	rec_init(&c, 3);
	nr_order = 0;
	KT_ASSERT(queue_delayed_work(system_wq, &c.dw, 2));
	KT_ASSERT(queue_work(system_wq, &a.dw.work));
	KT_ASSERT(schedule_work(&b.dw.work));
	KT_ASSERT(!queue_work(system_wq, &a.dw.work));	/* already pending */
	KT_ASSERT(work_pending(&a.dw.work));
	KT_EQ(next_work_due(wm), now_ns(wm));
	mmsim_advance_clock(wm, 0);
	KT_EQ(a.runs, 1);
	KT_EQ(b.runs, 1);
	KT_EQ(c.runs, 0);
	KT_EQ(nr_order, 2);
	KT_EQ(order[0], 1);
	KT_EQ(order[1], 2);
	KT_ASSERT(!work_pending(&a.dw.work));
	KT_ASSERT(delayed_work_pending(&c.dw));
	mmsim_shutdown(wm);
}

static void test_delayed_tick(void)
{
	struct rec a;
	u64 t0, due;

	wm = boot_or_die("ram=64M");
	rec_init(&a, 1);
	mmsim_advance_clock(wm, TICK / 2);	/* mid-tick */
	t0 = now_ns(wm);
	KT_ASSERT(queue_delayed_work(system_wq, &a.dw, 10));
	due = (t0 / TICK + 10) * TICK;		/* on the tick jiffies reaches +10 */
	KT_EQ(next_work_due(wm), due);
	mmsim_advance_clock(wm, due - t0 - 1);
	KT_EQ(a.runs, 0);
	mmsim_advance_clock(wm, 1);
	KT_EQ(a.runs, 1);
	KT_EQ(a.ran_at, due);
	/* Nothing of ours left (the root file system's flusher may be armed). */
	KT_ASSERT(next_work_due(wm) == 0 || next_work_due(wm) > due);
	/* A big step runs it once, at the clock's new time. */
	KT_ASSERT(queue_delayed_work(system_wq, &a.dw, 1));
	mmsim_advance_clock(wm, 100 * TICK);
	KT_EQ(a.runs, 2);
	mmsim_shutdown(wm);
}

static void test_flush_cancel_mod(void)
{
	struct rec a, b;

	wm = boot_or_die("ram=64M");
	rec_init(&a, 1);
	rec_init(&b, 2);
	KT_ASSERT(queue_delayed_work(system_wq, &a.dw, 100));
	KT_ASSERT(flush_delayed_work(&a.dw));		/* runs now, on us */
	KT_EQ(a.runs, 1);
	KT_ASSERT(!flush_delayed_work(&a.dw));		/* nothing pending */
	mmsim_advance_clock(wm, 200 * TICK);
	KT_EQ(a.runs, 1);

	KT_ASSERT(queue_delayed_work(system_wq, &b.dw, 5));
	KT_ASSERT(cancel_delayed_work(&b.dw));
	KT_ASSERT(!cancel_delayed_work_sync(&b.dw));
	mmsim_advance_clock(wm, 10 * TICK);
	KT_EQ(b.runs, 0);

	/* mod_delayed_work moves a pending item (true) or queues it (false). */
	KT_ASSERT(!mod_delayed_work(system_wq, &b.dw, 50));
	KT_ASSERT(mod_delayed_work(system_wq, &b.dw, 3));
	mmsim_advance_clock(wm, 3 * TICK);
	KT_EQ(b.runs, 1);
	KT_ASSERT(!delayed_work_pending(&b.dw));
	mmsim_advance_clock(wm, 100 * TICK);
	KT_EQ(b.runs, 1);
	mmsim_shutdown(wm);
}

static int timer_hits;
static unsigned long timer_jiffies;

static void timer_fn(struct timer_list *t)
{
	(void)t;
	timer_hits++;
	timer_jiffies = (unsigned long)get_jiffies_64();
}

static void test_timer(void)
{
	struct timer_list t;
	unsigned long j;

	wm = boot_or_die("ram=64M");
	timer_hits = 0;
	timer_setup(&t, timer_fn, 0);
	j = (unsigned long)get_jiffies_64();
	KT_EQ(mod_timer(&t, j + 25), 0);
	KT_ASSERT(timer_pending(&t));
	KT_EQ(mod_timer(&t, j + 50), 1);	/* was pending: moved */
	mmsim_advance_clock(wm, 49 * TICK);
	KT_EQ(timer_hits, 0);
	mmsim_advance_clock(wm, TICK);
	KT_EQ(timer_hits, 1);
	KT_EQ(timer_jiffies, j + 50);
	/* Expired in the past: fires at the next advance. */
	KT_EQ(mod_timer(&t, j), 0);
	mmsim_advance_clock(wm, 0);
	KT_EQ(timer_hits, 2);
	KT_EQ(mod_timer(&t, j + 1000), 0);
	KT_EQ(timer_delete_sync(&t), 1);
	KT_EQ(timer_delete_sync(&t), 0);
	mmsim_advance_clock(wm, 2000 * TICK);
	KT_EQ(timer_hits, 2);
	mmsim_shutdown(wm);
}

/* A work function runs as a kworker even while a task is current. */
static void test_current_null_and_exit_to_user(void)
{
	struct task_struct *p;
	struct rec a;

	wm = boot_or_die("ram=64M");
	p = mmsim_spawn(wm, "app");
	KT_ASSERT(p);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_ASSERT(current == p);
	rec_init(&a, 1);
	queue_work(system_wq, &a.dw.work);
	KT_EQ(exit_to_user_mode(), 0);		/* a syscall returns: due work runs */
	KT_EQ(a.runs, 1);
	KT_ASSERT(a.current_was_null);
	KT_ASSERT(current == p);		/* and the task is current again */
	mmsim_switch_idle();
	mmsim_shutdown(wm);
}

static int self_runs;
static struct work_struct self_work;

static void self_fn(struct work_struct *w)
{
	self_runs++;
	queue_work(system_wq, w);	/* always again */
}

static void test_self_requeue(void)
{
	wm = boot_or_die("ram=64M");
	self_runs = 0;
	INIT_WORK(&self_work, self_fn);
	queue_work(system_wq, &self_work);
	KT_EQ(run_pending_work(wm), 1);
	KT_EQ(self_runs, 1);
	mmsim_advance_clock(wm, 0);
	KT_EQ(self_runs, 2);
	KT_ASSERT(cancel_work_sync(&self_work));
	mmsim_advance_clock(wm, 0);
	KT_EQ(self_runs, 2);
	mmsim_shutdown(wm);
}

/* A work function that lets time pass does not run other work inside it. */
static struct rec inner;
static int sleeper_saw_inner_runs = -1;

static void sleeper_fn(struct work_struct *w)
{
	(void)w;
	mmsim_advance_clock(wm, 10 * TICK);
	sleeper_saw_inner_runs = inner.runs;
}

static void test_no_nesting(void)
{
	struct work_struct s;

	wm = boot_or_die("ram=64M");
	rec_init(&inner, 9);
	INIT_WORK(&s, sleeper_fn);
	queue_work(system_wq, &s);
	queue_delayed_work(system_wq, &inner.dw, 5);
	mmsim_advance_clock(wm, 0);
	KT_EQ(sleeper_saw_inner_runs, 0);	/* not inside the sleeper */
	KT_EQ(inner.runs, 1);			/* but right after it, in the same run */
	mmsim_shutdown(wm);
}

/* What is pending at shutdown is cancelled, never run. */
static void test_shutdown_cancels(void)
{
	static struct rec a;

	wm = boot_or_die("ram=64M");
	rec_init(&a, 1);
	queue_delayed_work(system_wq, &a.dw, 1000);
	mmsim_shutdown(wm);
	KT_EQ(a.runs, 0);
	KT_ASSERT(!delayed_work_pending(&a.dw));
}

/* Random queue/mod/cancel/flush/advance: runs in (due, seq) order, never early, checker valid. */
#define NR_RAND	32
static struct rand_item {
	struct delayed_work dw;
	u64 due;		/* when it may run (0: not queued by us) */
	int runs;
} ritems[NR_RAND];
static u64 last_ran_due;
static bool order_ok = true, flushing;

static void rand_fn(struct work_struct *w)
{
	struct rand_item *r = container_of(to_delayed_work(w), struct rand_item, dw);

	if (!flushing) {
		if (now_ns(wm) < r->due || r->due < last_ran_due) {
			fprintf(stderr, "item %d due %llu ran at %llu after one due %llu\n",
				(int)(r - ritems), (unsigned long long)r->due,
				(unsigned long long)now_ns(wm), (unsigned long long)last_ran_due);
			order_ok = false;
		}
		last_ran_due = r->due;
	}
	r->due = 0;
	r->runs++;
}

static void test_random(void)
{
	unsigned long long x = 88172645463325252ull;
	int ran = 0;

	wm = boot_or_die("ram=64M");
	for (int i = 0; i < NR_RAND; i++) {
		INIT_DELAYED_WORK(&ritems[i].dw, rand_fn);
		ritems[i].due = 0;
		ritems[i].runs = 0;
	}
	for (int step = 0; step < 4000; step++) {
		struct rand_item *r;
		unsigned long d;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		r = &ritems[x % NR_RAND];
		d = (unsigned long)(x >> 20) % 50;
		switch ((x >> 8) % 6) {
		case 0:
			queue_delayed_work(system_wq, &r->dw, d);
			break;
		case 1:
			mod_delayed_work(system_wq, &r->dw, d);
			break;
		case 2:
			if (cancel_delayed_work(&r->dw))
				r->due = 0;
			break;
		case 3:
			flushing = true;
			flush_delayed_work(&r->dw);
			flushing = false;
			break;
		default:
			last_ran_due = 0;
			mmsim_advance_clock(wm, (x >> 32) % (8 * TICK));
			break;
		}
		/* Record the due time the list holds now for every pending item. */
		for (int i = 0; i < NR_RAND; i++)
			if (delayed_work_pending(&ritems[i].dw))
				ritems[i].due = ritems[i].dw.work.due_ns;
		if (!workqueue_is_valid(wm)) {
			KT_ASSERT(0);
			break;
		}
	}
	KT_ASSERT(order_ok);
	for (int i = 0; i < NR_RAND; i++)
		ran += ritems[i].runs;
	KT_ASSERT(ran > 0);
	mmsim_shutdown(wm);
}

int main(void)
{
	KT_RUN(test_queue_order);
	KT_RUN(test_delayed_tick);
	KT_RUN(test_flush_cancel_mod);
	KT_RUN(test_timer);
	KT_RUN(test_current_null_and_exit_to_user);
	KT_RUN(test_self_requeue);
	KT_RUN(test_no_nesting);
	KT_RUN(test_shutdown_cancels);
	KT_RUN(test_random);
	return kt_done();
}
