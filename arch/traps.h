/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch/traps.h - the hardware trap (arch/traps.c): host faults inside a
 * machine's host window become that machine's page-fault oops.  Internal.
 */
#ifndef MMSIM_ARCH_TRAPS_H
#define MMSIM_ARCH_TRAPS_H

#include <stdbool.h>
#include "arch/machine.h"

#define TRAP_MAX_FRAMES	32

/* What the trap decoded from the host signal, for the oops report. */
struct kernel_fault {
	struct machine_hw *hw;		/* the machine whose window was hit */
	const void *host_addr;		/* the faulting host address (never printed) */
	unsigned long address;		/* the simulated kernel virtual address */
	bool write;			/* a write access (x86_64 hosts: REG_ERR bit 1) */
	bool write_known;		/* the host told read from write */
	unsigned long ip;		/* the host instruction pointer, 0 if unknown */
	int signo;			/* SIGSEGV or SIGBUS */
	int nr_frames;			/* host return addresses in frames[] */
	void *frames[TRAP_MAX_FRAMES];
};

/* Register @hw's host window with the trap (boot); installs the handler once. */
int arch_register_window(struct machine_hw *hw);
/* Remove @hw's window from the table (shutdown). */
void arch_unregister_window(struct machine_hw *hw);
/* Give the calling thread an alternate signal stack if it has none. */
void arch_trap_thread_init(void);

/*
 * die_kernel_fault - the kernel's side of a fault in a window (kernel/oops.c):
 * print the oops into @f->hw's machine log and end the current work (to the
 * recovery point, or the process).  Called from the signal handler; does
 * not return.
 */
_Noreturn void die_kernel_fault(struct kernel_fault *f);
/*
 * kernel_fault_handled - asked before die_kernel_fault() (kernel/oops.c):
 * true when a debugging tool owned the address (KFENCE: reported, the page
 * opened), so the handler returns and the faulting instruction runs again.
 */
bool kernel_fault_handled(struct kernel_fault *f);

#endif
