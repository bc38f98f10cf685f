// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/oops.c - the kernel side of an unhandled kernel page fault: the
 * oops report in the machine's log (Linux's arch/x86/mm/fault.c
 * show_fault_oops/page_fault_oops and arch/x86/kernel/dumpstack.c __die,
 * or arch/arm64/mm/fault.c die_kernel_fault/mem_abort_decode and
 * arch/arm64/kernel/traps.c die), then what panic_on_oops says.
 *
 * The trap (arch/traps.c) decodes the host signal and calls
 * die_kernel_fault() on the signal stack.  Here:
 *
 *   oops_begin  take die_lock (process-wide: two oopses do not interleave
 *               their lines), make the faulting machine current for printk
 *   report      the arch's text, the CPU/Hardware lines, the host call
 *               stack symbolized as function+offset/size (dladdr; a
 *               symbol the dynamic linker does not know prints as its
 *               offset in its object, never a host address)
 *   oops_end    taint 'D'; panic_on_oops: panic("Fatal exception"),
 *               which halts the machine (kernel/panic.c); then back to
 *               the thread's recovery point (mmsim_try, <mmsim/oops.h>)
 *               with the thread's own CPU current again; with none, the
 *               report to stderr and exit MMSIM_EXIT_PANIC after a panic,
 *               MMSIM_EXIT_OOPS otherwise (the faulting code cannot go
 *               on).
 *
 * Data.  Per machine (subsystem "oops"): panic_on_oops (boot parameters
 * panic_on_oops= and oops=panic) and die_counter, the [#n] of the report.
 * Per thread: the stack of recovery points and in_oops (a fault while
 * reporting one is fatal at once, as Linux's recursive oops).
 * The text of the report being printed is kept in oops_text under
 * die_lock, for stderr.
 *
 * Locking.  die_lock (a spin flag) is held from oops_begin to oops_end;
 * printk takes the machine's log lock inside it.  A fault taken while the
 * thread held the log lock cannot be reported (documented, docs/oops.md).
 *
 * Invariants: in_oops is true exactly while this thread holds die_lock;
 * each thread's recovery stack is a list of live frames, innermost first.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <mmsim/kfence.h>
#include <mmsim/oops.h>
#include <mmsim/panic.h>
#include "arch/traps.h"
#include "init/machine.h"

struct oops_state {
	bool panic_on_oops;		/* panic_on_oops=, oops=panic */
	atomic_int die_counter;		/* oopses so far: the [#n] */
};

static const struct kernel_param oops_params[] = {
	core_param_bool("panic_on_oops", struct oops_state, panic_on_oops),
	core_param_only("oops", "panic", struct oops_state, panic_on_oops),
};

DEFINE_SUBSYSTEM(oops, SUBSYS_STATE(struct oops_state, NULL), SUBSYS_PARAMS(oops_params));

bool oops_panics(struct mmsim *m)
{
	return m && m->subsys_state && ((struct oops_state *)subsys_state(m, oops))->panic_on_oops;
}

static _Thread_local struct mmsim_recovery *recovery_top;
static _Thread_local bool in_oops;
static atomic_flag die_lock = ATOMIC_FLAG_INIT;
static char oops_text[8192];	/* the report being printed, for stderr; die_lock */
static size_t oops_len;

/* ---------------------------------------------------------------------
 * Recovery points
 */

void mmsim_recovery_push(struct mmsim_recovery *r)
{
	r->prev = recovery_top;
	r->saved_cpu = current_cpu;
	r->saved_layout = current_layout;
	r->machine = NULL;
	r->address = 0;
	r->active = 1;
	recovery_top = r;
}

void mmsim_try_end(struct mmsim_recovery *r)
{
	if (!r->active)
		return;
	/* Points set inside @r and not ended are gone with their frames. */
	while (recovery_top && recovery_top != r)
		recovery_top->active = 0, recovery_top = recovery_top->prev;
	if (recovery_top == r)
		recovery_top = r->prev;
	r->active = 0;
}

/* ---------------------------------------------------------------------
 * The report
 */

static void oops_text_add(const char *line)
{
	size_t len = strlen(line);

	if (oops_len + len < sizeof(oops_text)) {
		memcpy(oops_text + oops_len, line, len + 1);
		oops_len += len;
	}
}

static __printf(1, 2) void oops_pr(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	printk(KERN_EMERG "%s", line);
	oops_text_add(line);
}

/* function+0xoff/0xsize, or 0xoff in its object: never a host address. */
static void oops_symbol(unsigned long addr, char *buf, size_t len)
{
	const ElfW(Sym) *sym = NULL;
	Dl_info info;

	if (addr && dladdr1((void *)addr, &info, (void **)&sym, RTLD_DL_SYMENT)) {
		const char *obj = info.dli_fname ? strrchr(info.dli_fname, '/') : NULL;

		obj = obj ? obj + 1 : info.dli_fname ? info.dli_fname : "?";
		if (info.dli_sname && info.dli_saddr)
			snprintf(buf, len, "%s+0x%lx/0x%lx", info.dli_sname,
				 addr - (unsigned long)info.dli_saddr,
				 sym ? (unsigned long)sym->st_size : 0UL);
		else
			snprintf(buf, len, "%s+0x%lx", obj, addr - (unsigned long)info.dli_fbase);
		return;
	}
	snprintf(buf, len, "?");	/* no object (a static binary): say nothing false */
}

static void oops_cpu_lines(struct mmsim *m)
{
	char taint[64];

	print_tainted(taint, sizeof(taint));
	oops_pr("CPU: %d PID: %d Comm: %s %s 6.8.0-mmsim #1\n", smp_processor_id(),
		m->pid, m->comm, taint);
	oops_pr("Hardware name: mmsim %s, BIOS mmsim 0.1\n", m->hw.layout.arch_name);
}

/* The frames below the trap's own: from the faulting instruction on. */
static int first_frame(const struct kernel_fault *f)
{
	for (int i = 0; i < f->nr_frames; i++)
		if ((unsigned long)f->frames[i] == f->ip)
			return i;
	return f->nr_frames > 2 ? 2 : f->nr_frames;	/* handler, trampoline */
}

static void oops_call_trace(const struct kernel_fault *f, const char *title, bool task)
{
	char sym[256];

	oops_pr("%s\n", title);
	if (task)
		oops_pr(" <TASK>\n");
	for (int i = first_frame(f); i < f->nr_frames; i++) {
		/* A return address points after the call: symbolize the call. */
		unsigned long a = (unsigned long)f->frames[i];

		oops_symbol(a == f->ip ? a : a - 1, sym, sizeof(sym));
		oops_pr(" %s\n", sym);
	}
	if (task)
		oops_pr(" </TASK>\n");
}

/* x86: show_fault_oops() and __die(), the page_fault_oops() order. */
static void report_x86(struct mmsim *m, const struct kernel_fault *f, int nr)
{
	unsigned long error_code = f->write ? 0x2 : 0x0;	/* X86_PF_WRITE; !X86_PF_PROT */
	int w = m->hw.layout.is_64bit ? 16 : 8;
	char sym[256];

	oops_pr("BUG: unable to handle page fault for address: %0*lx\n", w, f->address);
	oops_pr("#PF: supervisor %s access in kernel mode\n", f->write ? "write" : "read");
	oops_pr("#PF: error_code(0x%04lx) - not-present page\n", error_code);
	oops_pr("Oops: %04lx [#%d] PREEMPT SMP NOPTI\n", error_code, nr);
	oops_cpu_lines(m);
	oops_symbol(f->ip, sym, sizeof(sym));
	if (m->hw.layout.is_64bit)
		oops_pr("RIP: 0010:%s\n", sym);		/* show_ip(): cs, then %pS */
	else
		oops_pr("EIP: %s\n", sym);
	oops_call_trace(f, "Call Trace:", true);
	oops_pr("Modules linked in:\n");
	oops_pr("CR2: %0*lx\n", w, f->address);
	oops_pr("---[ end trace 0000000000000000 ]---\n");
}

/*
 * arm64: die_kernel_fault(), mem_abort_decode() and die().  The ESR is the
 * one the hardware gives a kernel data abort on an unmapped page: EC 0x25
 * (DABT, current EL), IL, FSC 0x07 (level 3 translation fault), WnR.
 */
static void report_arm64(struct mmsim *m, const struct kernel_fault *f, int nr)
{
	unsigned long iss = 0x07 | (f->write ? 0x40 : 0);
	unsigned long esr = (0x25UL << 26) | (1UL << 25) | iss;
	char sym[256];

	oops_pr("Unable to handle kernel paging request at virtual address %016lx\n", f->address);
	oops_pr("Mem abort info:\n");
	oops_pr("  ESR = 0x%016lx\n", esr);
	oops_pr("  EC = 0x25: DABT (current EL), IL = 32 bits\n");
	oops_pr("  SET = 0, FnV = 0\n");
	oops_pr("  EA = 0, S1PTW = 0\n");
	oops_pr("  FSC = 0x07: level 3 translation fault\n");
	oops_pr("Data abort info:\n");
	oops_pr("  ISV = 0, ISS = 0x%08lx, ISS2 = 0x00000000\n", iss);
	oops_pr("  CM = 0, WnR = %d, TnD = 0, TagAccess = 0\n", f->write ? 1 : 0);
	oops_pr("  GCS = 0, Overlay = 0, DirtyBit = 0, Xs = 0\n");
	oops_pr("Internal error: Oops: %016lx [#%d] PREEMPT SMP\n", esr, nr);
	oops_pr("Modules linked in:\n");
	oops_cpu_lines(m);
	oops_symbol(f->ip, sym, sizeof(sym));
	oops_pr("pc : %s\n", sym);
	oops_call_trace(f, "Call trace:", false);
	oops_pr("---[ end trace 0000000000000000 ]---\n");
}

static _Noreturn void oops_exit(int status, const char *why)
{
	if (why)
		fprintf(stderr, "%s", why);
	fflush(stderr);
	_exit(status);
}

/**
 * kernel_fault_handled - let KFENCE take a fault before the oops (Linux's
 * page_fault_oops() asks kfence_handle_page_fault() first)
 * @f: what the trap decoded
 *
 * Context: the signal handler, as die_kernel_fault().  Takes die_lock, so
 * a report does not interleave with an oops, and reports as the machine
 * that faulted.  Return: true when the access may run again.
 */
bool kernel_fault_handled(struct kernel_fault *f)
{
	struct mmsim *m = f->hw->machine;
	struct cpu_state *cpu = current_cpu;
	const struct mm_layout *layout = current_layout;
	bool handled;

	if (in_oops || !m->kfence_pool)
		return false;
	in_oops = true;
	while (atomic_flag_test_and_set_explicit(&die_lock, memory_order_acquire))
		;
	if (!cpu || cpu->m != m) {
		current_cpu = &m->cpus[0];
		current_layout = &m->hw.layout;
	}
	handled = kfence_handle_page_fault(f->address, f->write, f->ip, f->frames, f->nr_frames);
	current_cpu = cpu;
	current_layout = layout;
	atomic_flag_clear_explicit(&die_lock, memory_order_release);
	in_oops = false;
	return handled;
}

/**
 * die_kernel_fault - report a kernel page fault and end the current work
 * @f: what the trap decoded
 *
 * Context: the SIGSEGV/SIGBUS handler, on the signal stack, of the thread
 * that faulted.  Does not return: it jumps to the thread's recovery point
 * or ends the process (<mmsim/oops.h>).
 */
_Noreturn void die_kernel_fault(struct kernel_fault *f)
{
	struct mmsim *m = f->hw->machine;
	struct mmsim_recovery *r = recovery_top;
	struct cpu_state *cpu = current_cpu;
	struct oops_state *st;
	int nr;

	if (in_oops)
		oops_exit(MMSIM_EXIT_PANIC, "Fatal exception in oops: a fault while reporting one\n");
	in_oops = true;
	while (atomic_flag_test_and_set_explicit(&die_lock, memory_order_acquire))
		;
	/* oops_begin: report as the machine that faulted, on our CPU of it if any. */
	if (!cpu || cpu->m != m) {
		current_cpu = &m->cpus[0];
		current_layout = &m->hw.layout;
	}
	st = subsys_state(m, oops);
	nr = atomic_fetch_add(&st->die_counter, 1) + 1;
	oops_len = 0;
	oops_text[0] = '\0';
	if (m->hw.layout.arch == ARCH_ARM64)
		report_arm64(m, f, nr);
	else
		report_x86(m, f, nr);
	/* oops_end */
	add_taint(TAINT_DIE);
	if (st->panic_on_oops) {
		bool first = !mmsim_halted(m);

		panic("Fatal exception");
		if (first) {	/* panic() logged these; stderr gets them too */
			oops_text_add("Kernel panic - not syncing: Fatal exception\n");
			oops_text_add("---[ end Kernel panic - not syncing: Fatal exception ]---\n");
		}
		if (!r)
			oops_exit(MMSIM_EXIT_PANIC, oops_text);
	}
	if (!r)
		oops_exit(MMSIM_EXIT_OOPS, oops_text);
	current_cpu = r->saved_cpu;
	current_layout = r->saved_layout;
	r->machine = m;
	r->address = f->address;
	mmsim_try_end(r);
	in_oops = false;
	atomic_flag_clear_explicit(&die_lock, memory_order_release);
	siglongjmp(r->env, 1);
}
