/* SPDX-License-Identifier: GPL-2.0 */
/*
 * panic.h - panic(): the machine halts (kernel/panic.c, DESIGN §3b).
 *
 * As Linux's panic(), it logs "Kernel panic - not syncing: MSG", the CPU
 * and call trace lines (unless an oops is already in the log) and
 * "---[ end Kernel panic - not syncing: MSG ]---".  Unlike Linux, it
 * returns: mmsim cannot stop the host thread that called it.  Instead the
 * machine is marked halted, and from then on every system call, user
 * access (mmsim_user_read/write/exec), uaccess helper, mmsim_spawn,
 * mmsim_switch_to and mmsim_write refuses with -EIO (the helpers: nothing
 * copied).  mmsim_read still serves the log and every file, and
 * mmsim_shutdown still returns every host resource.  A second panic of a
 * halted machine logs nothing.  With no machine on the calling thread,
 * panic() prints to stderr and aborts the host process.
 *
 * Entry points refuse with one line: RETURN_IF_HALTED(-EIO);
 */
#ifndef MMSIM_PANIC_H
#define MMSIM_PANIC_H

#include <stdbool.h>
#include <mmsim/compiler.h>

struct mmsim;

__printf(1, 2) void panic(const char *fmt, ...);

/* True once @m panicked (false for NULL). */
bool mmsim_halted(struct mmsim *m);
/* True when the calling thread is on a CPU of a halted machine. */
bool current_halted(void);

/* Return @... (nothing, in a void function) on a halted machine. */
#define RETURN_IF_HALTED(...)						\
	do {								\
		if (unlikely(current_halted()))				\
			return __VA_ARGS__;				\
	} while (0)

#endif
