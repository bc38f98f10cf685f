// SPDX-License-Identifier: GPL-2.0
/*
 * arch/traps.c - the hardware trap: a host SIGSEGV or SIGBUS whose address
 * lies in a machine's host window is that machine's kernel page fault.
 *
 * What it owns:
 *   - the window table: one slot per live machine, the host range of its
 *     whole window reservation (hw->window_map, window_map_size) and the
 *     machine's hardware.  Registered at boot and removed at shutdown
 *     (init/main.c); read by the signal handler without a lock;
 *   - the handler for SIGSEGV and SIGBUS, installed once per process (at
 *     the first boot) with SA_SIGINFO | SA_ONSTACK, and each CPU thread's
 *     alternate signal stack (arch_trap_thread_init(), from mmsim_enter
 *     and boot), so a stack overflow still reports;
 *   - decoding the host's signal: the faulting address (si_addr), read or
 *     write (x86_64 hosts: bit 1 of the page-fault error code in the
 *     ucontext's REG_ERR; other hosts: unknown, reported as a read), the
 *     instruction pointer, and the host call stack (backtrace()).
 *
 * A fault in a window is first offered to kernel_fault_handled()
 * (kernel/oops.c: KFENCE's guard pages, which report and reopen the page;
 * then the handler returns and the access runs again); otherwise it goes
 * to die_kernel_fault() (kernel/oops.c), which
 * prints the oops in the machine's log and ends the current work; it never
 * returns here.  A fault anywhere else is the host's own crash: the handler
 * that was installed before ours runs (ASan's, say), or the default action
 * is restored and the faulting instruction runs again, so the process dies
 * of the signal as it would without mmsim.
 *
 * Data and locking.  window_slots[] is written by boot and shutdown (a
 * slot is claimed with a compare-and-exchange of .hw from NULL, then its
 * range is stored with release ordering; removal clears the range first)
 * and read by the handler with acquire loads, so the handler takes no lock
 * and calls nothing that does before die_kernel_fault().
 *
 * Invariants: a slot with a non-zero .hi has .hw set and .lo < .hi; no two
 * slots' ranges overlap (the host gives each machine its own reservation).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include "arch/hostmap.h"
#include "arch/traps.h"

#define TRAP_MAX_WINDOWS	256
#define TRAP_ALTSTACK_SIZE	(256UL << 10)

struct window_slot {
	_Atomic(struct machine_hw *) hw;	/* owner; NULL: free slot */
	atomic_uintptr_t lo, hi;		/* host range [lo, hi); hi == 0: not yet / gone */
};

static struct window_slot window_slots[TRAP_MAX_WINDOWS];
static struct sigaction old_segv, old_bus;	/* the handlers before ours */
static pthread_once_t trap_once = PTHREAD_ONCE_INIT;
static int trap_install_error;
static _Thread_local bool thread_has_altstack;

static struct machine_hw *window_lookup(uintptr_t addr)
{
	for (int i = 0; i < TRAP_MAX_WINDOWS; i++) {
		struct window_slot *s = &window_slots[i];
		uintptr_t hi = atomic_load_explicit(&s->hi, memory_order_acquire);

		if (hi && addr >= atomic_load_explicit(&s->lo, memory_order_relaxed) && addr < hi)
			return atomic_load_explicit(&s->hw, memory_order_relaxed);
	}
	return NULL;
}

/* Not ours: what would have happened without mmsim. */
static void trap_chain(int sig, siginfo_t *si, void *uc)
{
	const struct sigaction *old = sig == SIGBUS ? &old_bus : &old_segv;

	if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
		old->sa_sigaction(sig, si, uc);
		return;
	}
	if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
		old->sa_handler(sig);
		return;
	}
	/* Default action: restore it; the instruction faults again and kills us. */
	signal(sig, SIG_DFL);
}

static void trap_decode(struct kernel_fault *f, void *ucv)
{
	ucontext_t *uc = ucv;

#if defined(__x86_64__)
	f->write = uc->uc_mcontext.gregs[REG_ERR] & 2;
	f->write_known = true;
	f->ip = (unsigned long)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
	f->ip = (unsigned long)uc->uc_mcontext.pc;
#else
	(void)uc;
#endif
}

static void trap_handler(int sig, siginfo_t *si, void *uc)
{
	int saved_errno = errno;
	struct machine_hw *hw = NULL;
	struct kernel_fault f;

	/* si_code <= 0: sent by kill() or sigqueue(), not a fault. */
	if (si && si->si_code > 0)
		hw = window_lookup((uintptr_t)si->si_addr);
	if (!hw) {
		trap_chain(sig, si, uc);
		errno = saved_errno;
		return;
	}
	memset(&f, 0, sizeof(f));
	f.hw = hw;
	f.signo = sig;
	f.host_addr = si->si_addr;
	f.address = layout_host_to_kva(&hw->layout, si->si_addr);
	if (!f.address)	/* a guard or the vmemmap: its offset from PAGE_OFFSET */
		f.address = hw->layout.page_offset +
			    (unsigned long)((char *)si->si_addr - hw->window);
	trap_decode(&f, uc);
	f.nr_frames = backtrace(f.frames, TRAP_MAX_FRAMES);
	if (kernel_fault_handled(&f)) {	/* KFENCE: run the access again */
		errno = saved_errno;
		return;
	}
	die_kernel_fault(&f);
}

static void trap_install(void)
{
	struct sigaction sa;
	void *warm[2];

	/* backtrace() loads libgcc on first use: not in a signal handler. */
	backtrace(warm, 2);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = trap_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGSEGV, &sa, &old_segv) || sigaction(SIGBUS, &sa, &old_bus))
		trap_install_error = -errno;
}

void arch_trap_thread_init(void)
{
	stack_t ss, old;
	void *p;

	if (thread_has_altstack)
		return;
	thread_has_altstack = true;
	if (!sigaltstack(NULL, &old) && !(old.ss_flags & SS_DISABLE))
		return;		/* the thread has one (ASan's, or the program's) */
	/* mmap, not malloc: the stack outlives nothing the leak checker sees. */
	p = mmap(NULL, TRAP_ALTSTACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		return;
	ss.ss_sp = p;
	ss.ss_size = TRAP_ALTSTACK_SIZE;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, NULL))
		munmap(p, TRAP_ALTSTACK_SIZE);
}

/**
 * arch_register_window - let the trap find @hw's host window
 * @hw: a machine whose window is reserved (arch_map_ram done)
 *
 * Installs the signal handler at the first call in the process.
 * Return: 0, or -ENOSPC when TRAP_MAX_WINDOWS machines are alive (the
 * machine then runs without oops reports: its faults crash the host).
 */
int arch_register_window(struct machine_hw *hw)
{
	pthread_once(&trap_once, trap_install);
	if (trap_install_error)
		return trap_install_error;
	arch_trap_thread_init();
	for (int i = 0; i < TRAP_MAX_WINDOWS; i++) {
		struct window_slot *s = &window_slots[i];
		struct machine_hw *expected = NULL;

		if (!atomic_compare_exchange_strong(&s->hw, &expected, hw))
			continue;
		atomic_store_explicit(&s->lo, (uintptr_t)hw->window_map, memory_order_relaxed);
		atomic_store_explicit(&s->hi, (uintptr_t)hw->window_map + hw->window_map_size,
				      memory_order_release);
		return 0;
	}
	return -ENOSPC;
}

void arch_unregister_window(struct machine_hw *hw)
{
	for (int i = 0; i < TRAP_MAX_WINDOWS; i++) {
		struct window_slot *s = &window_slots[i];

		if (atomic_load(&s->hw) != hw)
			continue;
		atomic_store_explicit(&s->hi, 0, memory_order_release);
		atomic_store_explicit(&s->lo, 0, memory_order_relaxed);
		atomic_store_explicit(&s->hw, NULL, memory_order_release);
	}
}
