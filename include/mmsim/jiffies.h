/* SPDX-License-Identifier: GPL-2.0 */
/*
 * jiffies.h - the machine's tick count, from its virtual clock.
 *
 * HZ is 250 (CONFIG_HZ_250, what SLUB's tracking already shows).  Linux's
 * `jiffies` is a variable; here it is read through get_jiffies_64(), which
 * derives it from the virtual clock of the calling thread's machine
 * (mmsim_advance_clock() moves it), counted from Linux's INITIAL_JIFFIES
 * (five minutes before a 32-bit wrap) as jiffies_64 is: code such as
 * ___ratelimit() takes 0 to mean "not started".  INITIAL_JIFFIES when the
 * thread is on no machine.
 */
#ifndef MMSIM_JIFFIES_H
#define MMSIM_JIFFIES_H

#include <stdint.h>

#define HZ 250
#define INITIAL_JIFFIES ((unsigned long)(unsigned int)(-300 * HZ))

uint64_t get_jiffies_64(void);

/* Linux's wrap-safe comparisons. */
#define time_after(a, b)		((long)((b) - (a)) < 0)
#define time_before(a, b)		time_after(b, a)
#define time_after_eq(a, b)		((long)((a) - (b)) >= 0)
#define time_is_before_jiffies(a)	time_after((unsigned long)get_jiffies_64(), a)

#endif
