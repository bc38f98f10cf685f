/* SPDX-License-Identifier: GPL-2.0 */
/*
 * psi.h - pressure stall information for memory (kernel/psi.c), Linux's
 * <linux/psi.h>: code that stalls for memory (direct reclaim, compaction,
 * waiting for a refaulting or swapped-in page to be read, throttling)
 * brackets the stall, and /proc/pressure/memory shows "some" and "full"
 * stall time as avg10/avg60/avg300 percentages and a total in
 * microseconds, over virtual time.
 */
#ifndef MMSIM_PSI_H
#define MMSIM_PSI_H

void psi_memstall_enter(unsigned long *flags);
void psi_memstall_leave(unsigned long *flags);

#endif
