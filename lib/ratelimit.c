// SPDX-License-Identifier: GPL-2.0
/*
 * lib/ratelimit.c - Linux's lib/ratelimit.c: ___ratelimit(), and where the
 * counters of a DEFINE_RATELIMIT_STATE() site live when several machines
 * share a process.
 *
 * ___ratelimit() is Linux's (before 6.16): the first call of an interval
 * starts it (begin = jiffies); up to @burst calls per @interval jiffies
 * return 1, the others are counted in @missed and return 0; the first call
 * after the interval has passed prints "<func>: N callbacks suppressed"
 * (unless RATELIMIT_MSG_ON_RELEASE) and starts a new interval.  jiffies
 * come from the machine's virtual clock (<mmsim/jiffies.h>), so what is
 * suppressed is deterministic.
 *
 * Data: subsystem "ratelimit" holds, per machine, a table of the sites
 * that machine has used: the static state's address (the key) and a copy
 * that holds the counters.  The table only grows (a site is a static of
 * the code, so there are few); it is freed with the machine.  A state
 * without RATELIMIT_PER_MACHINE (ratelimit_state_init() in per-machine
 * memory) keeps its counters in itself.
 *
 * Locking: the table and the per-machine copies are under the table's
 * mutex; an in-place state is under its own spinlock.  Linux takes the
 * state's lock with a trylock and suppresses (uncounted) on contention;
 * mmsim waits for it, so a concurrent run counts every call.  The
 * "callbacks suppressed" line is printed after the lock is dropped (Linux
 * uses printk_deferred for the same reason): the log lock is never taken
 * under a ratelimit lock.
 *
 * Invariants: 0 <= printed <= burst; missed counts the calls refused since
 * the last report.
 */
#include <stdlib.h>
#include <pthread.h>
#include <mmsim/ratelimit.h>
#include "init/machine.h"

struct ratelimit_site {
	const struct ratelimit_state *key;	/* the static of the code */
	struct ratelimit_state rs;		/* this machine's counters */
};

struct ratelimit_table {
	pthread_mutex_t lock;
	struct ratelimit_site *sites;
	size_t nr, cap;
};

static void ratelimit_table_release(void *state);

static const struct ratelimit_table ratelimit_template = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

DEFINE_SUBSYSTEM(ratelimit, SUBSYS_STATE(struct ratelimit_table, &ratelimit_template),
		 .state_release = ratelimit_table_release);

static void ratelimit_table_release(void *state)
{
	struct ratelimit_table *t = state;

	free(t->sites);
	pthread_mutex_destroy(&t->lock);
}

uint64_t get_jiffies_64(void)
{
	struct mmsim *m = current_machine();

	/* HZ = 250: one jiffy is 4 ms of virtual time, from INITIAL_JIFFIES. */
	return INITIAL_JIFFIES + (m ? atomic_load(&m->hw.clock_ns) / (1000000000ULL / HZ) : 0);
}

/* This machine's copy of site @key, added on first use; NULL without memory. */
static struct ratelimit_state *site_state(struct ratelimit_table *t,
					  const struct ratelimit_state *key)
{
	struct ratelimit_site *s;

	for (size_t i = 0; i < t->nr; i++)
		if (t->sites[i].key == key)
			return &t->sites[i].rs;
	if (t->nr == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;

		s = realloc(t->sites, cap * sizeof(*s));
		if (!s)
			return NULL;
		t->sites = s;
		t->cap = cap;
	}
	s = &t->sites[t->nr++];
	s->key = key;
	s->rs = *key;
	return &s->rs;
}

/* The decision, on counters the caller has locked; *@report: missed to print. */
static int ratelimit_step(struct ratelimit_state *rs, int *report)
{
	unsigned long now = (unsigned long)get_jiffies_64();

	*report = 0;
	if (!rs->begin)
		rs->begin = now;
	if (time_is_before_jiffies(rs->begin + rs->interval)) {
		if (rs->missed && !(rs->flags & RATELIMIT_MSG_ON_RELEASE)) {
			*report = rs->missed;
			rs->missed = 0;
		}
		rs->begin = now;
		rs->printed = 0;
	}
	if (rs->burst && rs->burst > rs->printed) {
		rs->printed++;
		return 1;
	}
	rs->missed++;
	return 0;
}

/**
 * ___ratelimit - may this message go out?
 * @rs:   the site (DEFINE_RATELIMIT_STATE) or an in-place state
 * @func: the caller's name, for the "callbacks suppressed" line
 *
 * Return: 1 to print, 0 when suppressed.
 */
int ___ratelimit(struct ratelimit_state *rs, const char *func)
{
	struct mmsim *m = current_machine();
	int ret, report = 0;

	if (!rs->interval)
		return 1;
	if (rs->flags & RATELIMIT_PER_MACHINE) {
		struct ratelimit_table *t;
		struct ratelimit_state *mine;

		if (!m)
			return 1;	/* no machine: printk goes to stderr anyway */
		t = subsys_state(m, ratelimit);
		pthread_mutex_lock(&t->lock);
		mine = site_state(t, rs);
		ret = mine ? ratelimit_step(mine, &report) : 0;
		pthread_mutex_unlock(&t->lock);
	} else {
		spin_lock(&rs->lock);
		ret = ratelimit_step(rs, &report);
		spin_unlock(&rs->lock);
	}
	if (report)
		printk(KERN_WARNING "%s: %d callbacks suppressed\n", func, report);
	return ret;
}

/* printk_ratelimit()'s site (kernel/printk/printk.c's printk_ratelimit_state). */
static DEFINE_RATELIMIT_STATE(printk_ratelimit_state, DEFAULT_RATELIMIT_INTERVAL,
			      DEFAULT_RATELIMIT_BURST);

int __printk_ratelimit(const char *function)
{
	return ___ratelimit(&printk_ratelimit_state, function);
}
