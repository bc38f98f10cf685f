// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/panic.c - panic(): the machine halts.
 *
 * Design.  Linux's panic() prints "Kernel panic - not syncing: MSG", a
 * stack dump (not when an oops is in progress or already tainted the
 * kernel 'D': the oops printed one), stops the other CPUs and never
 * returns.  mmsim prints the same lines, but it cannot stop the host
 * threads that run the machine's CPUs, nor the one that called panic():
 * it sets m->halted instead and returns.  Every entry point of the
 * machine's running programs checks the flag first (RETURN_IF_HALTED,
 * <mmsim/panic.h>) and refuses with -EIO, so a halted machine does no more
 * work for its programs; the caller of panic() finishes what it was doing
 * (a WARN's caller goes on, as the machine would have been gone before it
 * could).  The log and every file stay readable (mmsim_read) and
 * mmsim_shutdown frees the machine as usual.
 *
 * Only the first panic of a machine prints: a panic of a halted machine
 * (a WARN while the first panic is being handled, a second sysrq c) is
 * silent, as Linux's panic_cpu lets one CPU alone run panic().  With no
 * machine on the calling thread there is nothing to halt: the message goes
 * to stderr and the host process aborts.
 *
 * Locking: m->halted is an atomic flag, set once (atomic exchange; never
 * cleared) and read with acquire loads by the entry points; printk takes
 * the log lock itself.
 *
 * Invariant: m->halted never goes from true to false while the machine
 * lives.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/panic.h>
#include "init/machine.h"

bool mmsim_halted(struct mmsim *m)
{
	return m && atomic_load_explicit(&m->halted, memory_order_acquire);
}

bool current_halted(void)
{
	return mmsim_halted(current_machine());
}

/**
 * panic - halt the machine of the calling thread
 * @fmt: the message (a trailing newline is dropped, as Linux drops it)
 *
 * Context: any thread on a CPU of a machine; any locks but the log lock.
 * Returns (unlike Linux): the machine is halted, see the file comment.
 */
void panic(const char *fmt, ...)
{
	struct mmsim *m = current_machine();
	char buf[1024];
	size_t len;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	len = strlen(buf);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	if (!m) {
		fprintf(stderr, "Kernel panic - not syncing: %s\n", buf);
		abort();
	}
	if (atomic_exchange_explicit(&m->halted, true, memory_order_acq_rel))
		return;		/* halted already: one panic prints */
	pr_emerg("Kernel panic - not syncing: %s\n", buf);
	/* Avoid nested stack-dumping if a panic occurs during oops processing. */
	if (!(atomic_load(&m->taint) & (1UL << TAINT_DIE)))
		dump_stack_fn("panic");
	pr_emerg("---[ end Kernel panic - not syncing: %s ]---\n", buf);
}
