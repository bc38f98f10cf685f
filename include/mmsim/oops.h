/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmsim/oops.h - what happens when simulated kernel code touches an address
 * its machine has not mapped (kernel/oops.c, arch/traps.c; docs/oops.md).
 *
 * A host fault (SIGSEGV, SIGBUS) inside a machine's host window - a vmalloc
 * guard page, a freed vmalloc range, an unmapped part of the window - is
 * that machine's kernel page fault.  Its log gets Linux's oops report
 * ("BUG: unable to handle page fault for address: ...", or the arm64
 * "Unable to handle kernel paging request ..."), the machine is tainted
 * 'D' (TAINT_DIE), and then, as Linux kills the oopsing task:
 *
 *   - with panic_on_oops=1 (or oops=panic) the machine panics and is halted
 *     (<mmsim/panic.h>: its programs get -EIO from then on);
 *   - then, with a recovery point set on this thread, execution resumes
 *     there (mmsim_try() returns 1 a second time) and the process goes on
 *     (and the machine, unless it panicked);
 *   - else the report goes to stderr too and the process exits with
 *     MMSIM_EXIT_PANIC after a panic, MMSIM_EXIT_OOPS otherwise.
 *
 * A fault outside every machine's window is the host's own crash.
 *
 *	struct mmsim_recovery r;
 *
 *	if (!mmsim_try(&r))
 *		risky_work();		// may oops
 *	else
 *		printf("oopsed on %p\n", (void *)r.machine);
 *	mmsim_try_end(&r);
 *
 * Recovery points nest (a stack per thread).  The oopsing work is cut off
 * where it faulted, as the killed task is in Linux: locks it held stay held
 * (mmsim cannot know them; Linux does not release them either), so a fault
 * inside an allocator's critical section may leave that machine unusable.
 * Faults in the caller's own code on kernel memory (the tests' and the
 * scenarios' case) leave the machine consistent.
 */
#ifndef MMSIM_OOPS_H
#define MMSIM_OOPS_H

#include <setjmp.h>

struct mmsim;

/* Exit status of a process that oopses with no recovery point set. */
#define MMSIM_EXIT_OOPS		86
/* Exit status after an oops with panic_on_oops set and no recovery point. */
#define MMSIM_EXIT_PANIC	87

struct mmsim_recovery {
	sigjmp_buf env;			/* where an oops resumes */
	struct mmsim_recovery *prev;	/* the enclosing recovery point */
	void *saved_cpu;		/* the thread's CPU when it was set */
	const void *saved_layout;
	struct mmsim *machine;		/* after an oops: the machine that oopsed */
	unsigned long address;		/* after an oops: the simulated fault address */
	int active;			/* on the thread's stack of recovery points */
};

/* Push @r on this thread's recovery points (use mmsim_try()). */
void mmsim_recovery_push(struct mmsim_recovery *r);

/*
 * mmsim_try - set recovery point @r: 0 now, 1 when an oops comes back to it
 * (with r->machine and r->address set).  A macro: sigsetjmp must run in the
 * caller's frame, which must still be live when the oops comes.
 */
#define mmsim_try(r) (mmsim_recovery_push(r), sigsetjmp((r)->env, 1))

/* Take @r off the stack (after the work, or after its oops); idempotent. */
void mmsim_try_end(struct mmsim_recovery *r);

#endif
