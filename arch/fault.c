// SPDX-License-Identifier: GPL-2.0
/*
 * arch/fault.c - the page-fault entries of the two architectures (Linux's
 * arch/x86/mm/fault.c and arch/arm64/mm/fault.c): what the CPU's exception
 * vector does with a fault the MMU raised, before and after the generic
 * handler (mm/memory.c: handle_mm_fault).
 *
 * x86 (#PF, do_user_addr_fault): the error code says P/W/U/RSVD/I.  Find
 * the VMA (lock_mm_and_find_vma, which also grows a stack), check the
 * access against it (access_error: a write needs VM_WRITE; a read of a
 * present page (PROT set) is a protection-key/NX-like violation; a read of
 * a non-present page needs any access right), then handle_mm_fault.  No
 * VMA: SEGV_MAPERR; a forbidden access: SEGV_ACCERR; VM_FAULT_SIGSEGV:
 * SEGV_MAPERR; VM_FAULT_SIGBUS: SIGBUS/BUS_ADRERR; VM_FAULT_OOM:
 * pagefault_out_of_memory.  A user-mode fault that gets SIGSEGV is logged
 * first when debug.exception-trace is on (show_signal_msg):
 *   comm[pid]: segfault at ADDR ip IP sp SP error CODE likely on CPU N (core N, socket 0)
 *   Code: Unable to access opcode bytes at 0xIP-42.
 * at KERN_INFO (KERN_EMERG for pid 1) and limited by printk_ratelimit().
 * (" in file[start+len]" follows ADDR's error code when the ip is in a
 * file mapping; no file mappings exist yet.)  A non-canonical address is
 * a #GP: "comm[pid] general protection fault ip:IP sp:SP error:0" and
 * SIGSEGV with SI_KERNEL.
 *
 * arm64 (do_mem_abort): the ESR's DFSC selects the fault_info entry
 * ("level 3 translation fault", "level 2 permission fault", ...); a
 * translation fault above TASK_SIZE is a bad area at once.  A read may use
 * any of VM_READ/VM_WRITE/VM_EXEC, a write needs VM_WRITE, an instruction
 * abort VM_EXEC.  The log (arm64_show_signal, rate-limited):
 *   comm[pid]: unhandled exception: DABT (lower EL), ESR 0x..., level 3 translation fault
 *   CPU: n PID: pid Comm: comm
 *   pstate: ...  /  pc : ...  /  lr : ...  /  sp : ...
 *
 * Kernel-mode faults on user addresses (copy_to_user & co.) take the same
 * path but never signal: the exception-table fixup makes the helper
 * return its error.
 *
 * VM_FAULT_OOM: the allocation already ran the OOM killer (mm/oom_kill.c);
 * pagefault_out_of_memory() there returns for a task that is dying, and
 * otherwise logs Linux's "Huh VM_FAULT_OOM leaked out" warning and kills
 * the task, as mmsim does not retry the access.
 *
 * Locking: mmap_lock for reading from lock_mm_and_find_vma until the
 * handler is done; signals are sent after it is dropped.
 */
#include <stdio.h>
#include <mmsim/mmsim.h>
#include <mmsim/printk.h>
#include <mmsim/ratelimit.h>
#include <mmsim/mm_vma.h>
#include <mmsim/mmu.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/fault.h>
#include <mmsim/oom.h>

#define ESR_ELx_IL	(1UL << 25)	/* instruction length: 32 bits */

#ifndef SI_KERNEL
#define SI_KERNEL	0x80
#endif

static bool arch_is_arm64(void)
{
	return current_layout->arch == ARCH_ARM64;
}

static bool long_mode(void)
{
	return current_layout->arch != ARCH_I386 && current_layout->arch != ARCH_I386_PAE;
}

/* %px of Linux: the pointer's full width, zero-padded. */
static int ptr_width(void)
{
	return long_mode() ? 16 : 8;
}

/* ---------------------------------------------------------------------
 * x86
 */

static void show_opcodes(struct mm_struct *mm, struct pt_regs *regs, bool emerg);

/* printk at KERN_INFO, or KERN_EMERG for init (Linux's loglvl choice). */
static void printk_lvl(bool emerg, const char *text)
{
	if (emerg)
		printk(KERN_EMERG "%s", text);
	else
		printk(KERN_INFO "%s", text);
}

static void show_signal_msg(struct pt_regs *regs, unsigned long error_code,
			    unsigned long address, struct task_struct *tsk)
{
	bool emerg = task_pid_nr(tsk) <= 1;
	int w = ptr_width(), cpu = smp_processor_id();
	char line[256];

	if (!printk_ratelimit())
		return;
	snprintf(line, sizeof(line),
		 "%s[%d]: segfault at %lx ip %0*lx sp %0*lx error %lx likely on CPU %d (core %d, socket %d)\n",
		 tsk->comm, task_pid_nr(tsk), address, w, regs->ip, w, regs->sp, error_code, cpu,
		 cpu, 0);
	printk_lvl(emerg, line);
	show_opcodes(tsk->mm, regs, emerg);
}

/*
 * show_opcodes: the code bytes around ip, as copy_from_user_nmi reads them
 * (the page tables as they are: no fault is taken), 42 before, the one at
 * ip in <>, 21 after; or Linux's line for code it cannot read.
 */
#define PROLOGUE_SIZE	42
#define EPILOGUE_SIZE	21
#define OPCODE_BUFSIZE	(PROLOGUE_SIZE + 1 + EPILOGUE_SIZE)

static bool read_user_code(struct mm_struct *mm, unsigned long va, unsigned char *buf, int n)
{
	for (int i = 0; i < n; i++) {
		unsigned long size;
		phys_addr_t pa;
		u64 leaf;
		unsigned char *p;

		if (va + i >= TASK_SIZE || pgtable_lookup(mm, va + i, &pa, &size, &leaf) ||
		    !(leaf & pgt_geom()->b_user))
			return false;
		p = mmu_phys_to_host(pa);
		if (!p)
			return false;
		buf[i] = *p;
	}
	return true;
}

static void show_opcodes(struct mm_struct *mm, struct pt_regs *regs, bool emerg)
{
	unsigned long prologue = regs->ip - PROLOGUE_SIZE;
	unsigned char op[OPCODE_BUFSIZE];
	char line[OPCODE_BUFSIZE * 3 + 16], *q = line;

	if (!mm || regs->ip < PROLOGUE_SIZE || !read_user_code(mm, prologue, op, OPCODE_BUFSIZE)) {
		snprintf(line, sizeof(line), "Code: Unable to access opcode bytes at 0x%lx.\n",
			 prologue);
		printk_lvl(emerg, line);
		return;
	}
	q += sprintf(q, "Code:");
	for (int i = 0; i < OPCODE_BUFSIZE; i++)
		q += sprintf(q, i == PROLOGUE_SIZE ? " <%02x>" : " %02x", op[i]);
	sprintf(q, "\n");
	printk_lvl(emerg, line);
}

/* Returns -EFAULT after signalling (user mode) or for the fixup (kernel). */
static int x86_bad_area(struct pt_regs *regs, unsigned long error_code, unsigned long address,
			int si_code)
{
	struct task_struct *tsk = current;

	if (!(error_code & X86_PF_USER) || !tsk)
		return -EFAULT;		/* kernelmode_fixup_or_oops: the fixup */
	if (address >= TASK_SIZE)
		error_code |= X86_PF_PROT;	/* sanitize_error_code */
	if (likely(show_unhandled_signals_value()))
		show_signal_msg(regs, error_code, address, tsk);
	force_sig_fault(SIGSEGV, si_code, address);
	return -EFAULT;
}

static bool access_error(unsigned long error_code, struct vm_area_struct *vma)
{
	if (error_code & X86_PF_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	if (error_code & X86_PF_PROT)
		return true;		/* read of a present page: NX or the like */
	return !vma_is_accessible(vma);
}

int do_user_addr_fault(struct pt_regs *regs, unsigned long error_code, unsigned long address)
{
	struct task_struct *tsk = current;
	struct mm_struct *mm = tsk ? tsk->mm : NULL;
	unsigned int flags = FAULT_FLAG_DEFAULT;
	struct vm_area_struct *vma;
	vm_fault_t fault;

	if (unlikely(error_code & X86_PF_RSVD)) {
		pr_alert("%s: Corrupted page table at address %lx\n",
			 tsk ? tsk->comm : "?", address);
		return x86_bad_area(regs, error_code, address, SEGV_MAPERR);
	}
	if (!mm || address >= TASK_SIZE)
		return x86_bad_area(regs, error_code, address, SEGV_MAPERR);
	if (error_code & X86_PF_USER)
		flags |= FAULT_FLAG_USER;
	if (error_code & X86_PF_WRITE)
		flags |= FAULT_FLAG_WRITE;
	if (error_code & X86_PF_INSTR)
		flags |= FAULT_FLAG_INSTRUCTION;

	vma = lock_mm_and_find_vma(mm, address, regs);
	if (unlikely(!vma))
		return x86_bad_area(regs, error_code, address, SEGV_MAPERR);
	if (unlikely(access_error(error_code, vma))) {
		mmap_read_unlock(mm);
		return x86_bad_area(regs, error_code, address, SEGV_ACCERR);
	}
	fault = handle_mm_fault(vma, address, flags, regs);
	mmap_read_unlock(mm);
	if (likely(!(fault & VM_FAULT_ERROR)))
		return 0;
	if (!(error_code & X86_PF_USER))
		return -EFAULT;
	if (fault & VM_FAULT_OOM) {
		pagefault_out_of_memory();
		return -EFAULT;
	}
	if (fault & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE)) {
		force_sig_fault(SIGBUS, BUS_ADRERR, address);	/* do_sigbus */
		return -EFAULT;
	}
	return x86_bad_area(regs, error_code, address, SEGV_MAPERR);
}

int do_general_protection(struct pt_regs *regs, unsigned long error_code)
{
	struct task_struct *tsk = current;

	if (!tsk)
		return -EFAULT;
	if (show_unhandled_signals_value() && printk_ratelimit())
		pr_info("%s[%d] general protection fault ip:%lx sp:%lx error:%lx\n", tsk->comm,
			task_pid_nr(tsk), regs->ip, regs->sp, error_code);
	force_sig(SIGSEGV);
	(void)SI_KERNEL;
	return -EFAULT;
}

/* ---------------------------------------------------------------------
 * arm64
 */

#define ESR_ELx_EC(esr)		(((esr) >> ESR_ELx_EC_SHIFT) & 0x3fUL)
#define ESR_ELx_FSC(esr)	((esr) & 0x3fUL)

static const char *esr_class_string(unsigned long esr)
{
	switch (ESR_ELx_EC(esr)) {
	case ESR_ELx_EC_IABT_LOW: return "IABT (lower EL)";
	case ESR_ELx_EC_IABT_CUR: return "IABT (current EL)";
	case ESR_ELx_EC_DABT_LOW: return "DABT (lower EL)";
	case ESR_ELx_EC_DABT_CUR: return "DABT (current EL)";
	default: return "UNRECOGNIZED EC";
	}
}

/* fault_info[] of arch/arm64/mm/fault.c, the entries the MMU raises. */
static const char *fault_name(unsigned long esr, int *code)
{
	static const char *const names[16] = {
		"level 0 translation fault", "level 1 translation fault",
		"level 2 translation fault", "level 3 translation fault",
		"level 0 access flag fault", "level 1 access flag fault",
		"level 2 access flag fault", "level 3 access flag fault",
		"level 0 permission fault", "level 1 permission fault",
		"level 2 permission fault", "level 3 permission fault",
	};
	unsigned long fsc = ESR_ELx_FSC(esr);

	if (fsc >= 0x04 && fsc <= 0x0f) {
		*code = fsc < 0x08 ? SEGV_MAPERR : SEGV_ACCERR;
		return names[fsc - 0x04];
	}
	*code = SEGV_MAPERR;
	return "unknown";
}

/* __show_regs' pstate line (AArch64). */
static void print_pstate(unsigned long p)
{
	static const char *const btype[] = { "--", "-c", "j-", "jc" };

	printk(KERN_DEFAULT "pstate: %08lx (%c%c%c%c %c%c%c%c %cPAN %cUAO %cTCO %cDIT %cSSBS BTYPE=%s)\n", p,
		p & (1UL << 31) ? 'N' : 'n', p & (1UL << 30) ? 'Z' : 'z',
		p & (1UL << 29) ? 'C' : 'c', p & (1UL << 28) ? 'V' : 'v',
		p & (1UL << 9) ? 'D' : 'd', p & (1UL << 8) ? 'A' : 'a',
		p & (1UL << 7) ? 'I' : 'i', p & (1UL << 6) ? 'F' : 'f',
		p & (1UL << 22) ? '+' : '-', p & (1UL << 23) ? '+' : '-',
		p & (1UL << 25) ? '+' : '-', p & (1UL << 24) ? '+' : '-',
		p & (1UL << 12) ? '+' : '-', btype[(p >> 10) & 3]);
}

static void arm64_show_signal(struct task_struct *tsk, unsigned long esr, struct pt_regs *regs,
			      const char *str)
{
	static DEFINE_RATELIMIT_STATE(rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
	char taint[64];

	if (!show_unhandled_signals_value() || !__ratelimit(&rs))
		return;
	pr_info("%s[%d]: unhandled exception: ", tsk->comm, task_pid_nr(tsk));
	if (esr)
		pr_cont("%s, ESR 0x%016lx, ", esr_class_string(esr), esr);
	pr_cont("%s", str);
	pr_cont("\n");
	/* __show_regs: show_regs_print_info, then the user-mode registers
	 * (mmsim's programs have no general-purpose registers to show) */
	print_tainted(taint, sizeof(taint));
	printk(KERN_DEFAULT "CPU: %d PID: %d Comm: %.20s %s 6.8.0-mmsim #1\n", smp_processor_id(),
	       task_pid_nr(tsk), tsk->comm, taint);
	printk(KERN_DEFAULT "Hardware name: mmsim %s, BIOS mmsim 0.1\n", current_layout->arch_name);
	print_pstate(regs->flags);
	printk(KERN_DEFAULT "pc : %016lx\n", regs->ip);
	printk(KERN_DEFAULT "lr : %016lx\n", 0UL);
	printk(KERN_DEFAULT "sp : %016lx\n", regs->sp);
}

static int arm64_force_sig_fault(int sig, int code, unsigned long far, unsigned long esr,
				 struct pt_regs *regs, const char *str)
{
	struct task_struct *tsk = current;

	if (!tsk)
		return -EFAULT;
	if (sig == SIGSEGV || sig == SIGBUS)
		arm64_show_signal(tsk, esr, regs, str);
	force_sig_fault(sig, code, far);
	return -EFAULT;
}

static bool is_el0_abort(unsigned long esr)
{
	unsigned long ec = ESR_ELx_EC(esr);

	return ec == ESR_ELx_EC_DABT_LOW || ec == ESR_ELx_EC_IABT_LOW;
}

static bool is_instruction_abort(unsigned long esr)
{
	unsigned long ec = ESR_ELx_EC(esr);

	return ec == ESR_ELx_EC_IABT_LOW || ec == ESR_ELx_EC_IABT_CUR;
}

int do_mem_abort(unsigned long far, unsigned long esr, struct pt_regs *regs)
{
	struct task_struct *tsk = current;
	struct mm_struct *mm = tsk ? tsk->mm : NULL;
	bool user = is_el0_abort(esr);
	unsigned int mm_flags = FAULT_FLAG_DEFAULT;
	vm_flags_t vm_flags = VM_ACCESS_FLAGS;
	struct vm_area_struct *vma;
	vm_fault_t fault;
	int code;
	const char *name = fault_name(esr, &code);

	if (!mm || far >= TASK_SIZE) {
		/* above the user range: do_bad_area for a translation fault,
		 * do_page_fault finding no VMA otherwise; SEGV_MAPERR either way */
		(void)code;
		return user ? arm64_force_sig_fault(SIGSEGV, SEGV_MAPERR, far, esr, regs, name) :
			      -EFAULT;
	}
	if (user)
		mm_flags |= FAULT_FLAG_USER;
	if (is_instruction_abort(esr)) {
		vm_flags = VM_EXEC;
		mm_flags |= FAULT_FLAG_INSTRUCTION;
	} else if (esr & ESR_ELx_WNR) {
		vm_flags = VM_WRITE;
		mm_flags |= FAULT_FLAG_WRITE;
	}

	vma = lock_mm_and_find_vma(mm, far, regs);
	if (unlikely(!vma))
		return user ? arm64_force_sig_fault(SIGSEGV, SEGV_MAPERR, far, esr, regs, name) :
			      -EFAULT;
	if (!(vma->vm_flags & vm_flags)) {
		mmap_read_unlock(mm);
		return user ? arm64_force_sig_fault(SIGSEGV, SEGV_ACCERR, far, esr, regs, name) :
			      -EFAULT;
	}
	fault = handle_mm_fault(vma, far, mm_flags, regs);
	mmap_read_unlock(mm);
	if (likely(!(fault & VM_FAULT_ERROR)))
		return 0;
	if (!user)
		return -EFAULT;		/* no_context: the fixup */
	if (fault & VM_FAULT_OOM) {
		pagefault_out_of_memory();
		return -EFAULT;
	}
	if (fault & VM_FAULT_SIGBUS)
		return arm64_force_sig_fault(SIGBUS, BUS_ADRERR, far, esr, regs, name);
	return arm64_force_sig_fault(SIGSEGV, SEGV_MAPERR, far, esr, regs, name);
}

/* ---------------------------------------------------------------------
 * The vector: the MMU's report to the arch's entry
 */

int arch_handle_fault(const struct mmu_fault *f, struct pt_regs *regs)
{
	/* A 32-bit A64 instruction aborted: the ESR's IL bit is set. */
	if (arch_is_arm64())
		return do_mem_abort(f->addr, f->error_code | ESR_ELx_IL, regs);
	if (f->kind == MMU_FAULT_NONCANONICAL) {
		if (!(f->access & MMU_USER))
			return -EFAULT;
		return do_general_protection(regs, 0);
	}
	return do_user_addr_fault(regs, f->error_code, f->addr);
}
