/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ratelimit.h - Linux's <linux/ratelimit.h>: at most @burst messages every
 * @interval jiffies; the rest are counted and reported later as
 * "<func>: N callbacks suppressed".
 *
 * A state defined with DEFINE_RATELIMIT_STATE() is a static of the code
 * (one per call site, as in Linux), but several machines share a process:
 * such a state only names the site and its limits (RATELIMIT_PER_MACHINE),
 * and ___ratelimit() keeps its counters in the calling thread's machine
 * (lib/ratelimit.c), so one machine's messages never silence another's.
 * A state initialized with ratelimit_state_init() inside per-machine memory
 * (a subsystem's state, a struct fault_attr) keeps its counters in itself.
 */
#ifndef MMSIM_RATELIMIT_H
#define MMSIM_RATELIMIT_H

#include <string.h>
#include <mmsim/jiffies.h>
#include <mmsim/spinlock.h>
#include <mmsim/printk.h>

#define DEFAULT_RATELIMIT_INTERVAL	(5 * HZ)
#define DEFAULT_RATELIMIT_BURST		10

/* Flags: Linux's, and mmsim's own. */
#define RATELIMIT_MSG_ON_RELEASE	(1u << 0)	/* report the suppressed count at exit only */
#define RATELIMIT_PER_MACHINE		(1u << 16)	/* a site: counters live in the machine */

struct ratelimit_state {
	spinlock_t lock;		/* the counters below, for in-place states */
	int interval;			/* jiffies; 0: no limit */
	int burst;			/* messages per interval */
	int printed;
	int missed;
	unsigned int flags;
	unsigned long begin;		/* jiffies the interval began at */
};

#define RATELIMIT_STATE_INIT_FLAGS(name, interval_init, burst_init, flags_init)	\
	{ .interval = (interval_init), .burst = (burst_init), .flags = (flags_init) }
#define RATELIMIT_STATE_INIT(name, interval_init, burst_init)			\
	RATELIMIT_STATE_INIT_FLAGS(name, interval_init, burst_init, 0)

/* static DEFINE_RATELIMIT_STATE(rs, interval, burst): one site, counted per machine. */
#define DEFINE_RATELIMIT_STATE(name, interval_init, burst_init)			\
	struct ratelimit_state name =							\
		RATELIMIT_STATE_INIT_FLAGS(name, interval_init, burst_init, RATELIMIT_PER_MACHINE)

/* A state in per-machine memory, counted in place. */
static inline void ratelimit_state_init(struct ratelimit_state *rs, int interval, int burst)
{
	memset(rs, 0, sizeof(*rs));
	spin_lock_init(&rs->lock);
	rs->interval = interval;
	rs->burst = burst;
}

static inline void ratelimit_set_flags(struct ratelimit_state *rs, unsigned int flags)
{
	rs->flags = (rs->flags & RATELIMIT_PER_MACHINE) | flags;
}

/* 1: go ahead and print; 0: suppressed (counted). */
int ___ratelimit(struct ratelimit_state *rs, const char *func);
#define __ratelimit(state) ___ratelimit(state, __func__)

/* printk_ratelimit(): the shared printk limit (5 * HZ, 10), per machine. */
int __printk_ratelimit(const char *function);
#define printk_ratelimit() __printk_ratelimit(__func__)

/* printk_ratelimited(): a site of its own, as Linux's. */
#define printk_ratelimited(fmt, ...)						\
	({									\
		static DEFINE_RATELIMIT_STATE(_rs, DEFAULT_RATELIMIT_INTERVAL,	\
					      DEFAULT_RATELIMIT_BURST);		\
		if (__ratelimit(&_rs))						\
			printk(fmt, ##__VA_ARGS__);				\
	})
#define pr_err_ratelimited(fmt, ...)	printk_ratelimited(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...)	printk_ratelimited(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_info_ratelimited(fmt, ...)	printk_ratelimited(KERN_INFO fmt, ##__VA_ARGS__)

#endif
