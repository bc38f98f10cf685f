// SPDX-License-Identifier: GPL-2.0
/*
 * arch/segment.c - x86 segmentation as the CPU does it (Intel SDM Vol. 3A
 * ch. 5) with Linux's descriptor tables (arch/x86/kernel/cpu/common.c:
 * gdt_page; arch/x86/kernel/traps.c: the #GP/#NP/#SS entries).
 * docs/segmentation.md.
 *
 * What it owns:
 *   - each CPU's GDT: a zeroed page of simulated memory (the buddy
 *     allocator's, so it lives in the direct map at a kernel address like
 *     Linux's per-CPU gdt_page), filled with Linux's entries for the arch
 *     (x86_64: KERNEL32_CS, KERNEL_CS (L), KERNEL_DS, USER32_CS, USER_DS,
 *     USER_CS (L), CPUNODE; i386: KERNEL_CS, KERNEL_DS, USER_CS, USER_DS,
 *     ESPFIX_SS, PERCPU, CPUNODE), every one with the accessed bit set as
 *     Linux's GDT_ENTRY_INIT makes them.  The page is taken at the first
 *     use of segmentation on the machine, not at boot, so a machine that
 *     never uses it keeps the memory accounting it had (documented
 *     simplification).  The same page holds the CPU's kernel-mode segment
 *     registers (struct seg_cpu) after the table;
 *   - the checks: __load_seg() (MOV to DS/ES/FS/GS/SS, far JMP to CS) and
 *     __seg_check_access() (type, limit, expand-down, canonical), pure
 *     functions of the tables and registers they are given; load_seg() and
 *     seg_translate() apply them to the current CPU: current's registers
 *     (struct task_struct.seg, Linux's user-mode start state at first use:
 *     CS __USER_CS, DS/ES/SS __USER_DS, FS/GS null on x86_64; on i386 FS
 *     null and GS null too, as a static program starts) or, with no task,
 *     the CPU's kernel registers (CS __KERNEL_CS, SS/DS/ES __KERNEL_DS);
 *   - the exception entry seg_raise(): a user-mode #GP logs Linux's
 *     "COMM[PID] general protection fault ip:IP sp:SP error:CODE" (through
 *     do_general_protection, arch/fault.c) and sends SIGSEGV; #NP and #SS
 *     log "COMM[PID] trap segment not present ..." / "... trap stack
 *     segment ..." and send SIGBUS (Linux's do_error_trap).  A kernel-mode
 *     fault is returned to its caller: Linux's loadsegment() and uaccess
 *     have exception-table fixups, so no oops is modelled.
 *
 * Modes.  On i386 every access is checked as in protected mode.  On
 * x86_64 the mode follows the hidden CS: L=1 is 64-bit mode (base and
 * limit ignored except the FS/GS bases, no type checks, a non-canonical
 * linear address is #GP(0), or #SS(0) through SS); a 32-bit code segment
 * (__USER32_CS) is compatibility mode, checked as protected mode.
 *
 * Invariants: a usable seg_cache holds the descriptor it was loaded from,
 * base == get_desc_base(&desc) (64-bit FS/GS: any canonical base set by
 * arch_prctl) and limit == desc_byte_limit(&desc); seg_cpl() ==
 * CS.sel & 3 and equals CS.desc.dpl for a non-conforming CS.
 *
 * Locking: none.  A CPU's registers and GDT are written only by the thread
 * entered on that CPU (the GDT's accessed bits) or at its first use; a
 * task's registers by the CPU running it.  The LDT a load reads is
 * current's mm's (arch/ldt.c), which only current changes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mmsim/mmsim.h>
#include <mmsim/segment.h>
#include <mmsim/syscalls.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/printk.h>
#include <mmsim/ratelimit.h>
#include <mmsim/fault.h>
#include <mmsim/uaccess.h>
#include <mmsim/mmu.h>
#include <mmsim/gfp.h>
#include <mmsim/pgtable.h>
#include <mmsim/mm_struct.h>
#include "arch/pgtable.h"

/* The GDT page of one CPU: the table, then the kernel-mode registers. */
struct seg_cpu {
	struct desc_struct gdt[GDT_ENTRIES_MAX];
	struct seg_regs kregs;		/* the registers while the CPU runs no task */
	unsigned long kva;		/* simulated kernel address of the page */
};

static const char *const seg_names[SEG_NR] = { "es", "cs", "ss", "ds", "fs", "gs" };

const char *seg_reg_name(int reg)
{
	return reg >= 0 && reg < SEG_NR ? seg_names[reg] : "?";
}

int seg_reg_by_name(const char *name)
{
	for (int i = 0; i < SEG_NR; i++)
		if (!strcmp(name, seg_names[i]))
			return i;
	return -1;
}

static bool seg_x86(void)
{
	return current_layout && current_layout->arch != ARCH_ARM64;
}

bool seg_x86_32(void)
{
	return current_layout && (current_layout->arch == ARCH_I386 ||
				  current_layout->arch == ARCH_I386_PAE);
}

static unsigned int seg_va_bits(void)
{
	return current_layout->arch == ARCH_X86_64_LA57 ? 57 : 48;
}

/* ---------------------------------------------------------------------
 * The checks (pure: tables and registers are arguments)
 */

static int seg_fault(struct seg_fault *f, int vector, unsigned long error_code)
{
	if (f) {
		f->vector = vector;
		f->error_code = error_code;
	}
	return -1;
}

static void seg_cache_fill(struct seg_cache *c, u16 sel, const struct desc_struct *d)
{
	c->sel = sel;
	c->usable = true;
	c->desc = *d;
	c->base = get_desc_base(d);
	c->limit = desc_byte_limit(d);
}

static void seg_cache_null(struct seg_cache *c, u16 sel)
{
	memset(c, 0, sizeof(*c));
	c->sel = sel;
}

int __load_seg(struct seg_regs *r, int reg, u16 sel, int cpl, const struct seg_tables *t,
	       struct seg_fault *f)
{
	unsigned int idx = sel >> 3, rpl = sel & SEGMENT_RPL_MASK, n;
	unsigned long ec = sel & ~(unsigned long)SEGMENT_RPL_MASK;	/* index | TI, EXT 0 */
	struct desc_struct *table, *d;
	bool code;

	if (reg < 0 || reg >= SEG_NR || cpl < 0 || cpl > 3)
		return -EINVAL;
	/* The null selector: index 0 of the GDT (an LDT index 0 is not null). */
	if (!(sel & ~SEGMENT_RPL_MASK)) {
		if (reg == SEG_CS)
			return seg_fault(f, X86_TRAP_GP, 0);
		if (reg == SEG_SS && !(t->long_mode && cpl != 3 && rpl == (unsigned int)cpl))
			return seg_fault(f, X86_TRAP_GP, 0);
		seg_cache_null(&r->r[reg], sel);
		return 0;
	}
	table = (sel & SEGMENT_TI_MASK) ? t->ldt : t->gdt;
	n = (sel & SEGMENT_TI_MASK) ? t->ldt_entries : t->gdt_entries;
	if (!table || idx >= n)
		return seg_fault(f, X86_TRAP_GP, ec);
	d = &table[idx];
	code = d->type & DESC_TYPE_CODE;

	switch (reg) {
	case SEG_SS:
		/* RPL == CPL, a writable data segment, DPL == CPL; then present. */
		if (rpl != (unsigned int)cpl || !d->s || code || !(d->type & DESC_TYPE_RW) ||
		    d->dpl != (unsigned int)cpl)
			return seg_fault(f, X86_TRAP_GP, ec);
		if (!d->p)
			return seg_fault(f, X86_TRAP_SS, ec);
		break;
	case SEG_CS:
		/* A far JMP: conforming code needs DPL <= CPL, non-conforming
		 * RPL <= CPL and DPL == CPL; CPL does not change. */
		if (!d->s || !code)
			return seg_fault(f, X86_TRAP_GP, ec);
		if (d->type & DESC_TYPE_DC) {
			if (d->dpl > (unsigned int)cpl)
				return seg_fault(f, X86_TRAP_GP, ec);
		} else if (rpl > (unsigned int)cpl || d->dpl != (unsigned int)cpl) {
			return seg_fault(f, X86_TRAP_GP, ec);
		}
		if (!d->p)
			return seg_fault(f, X86_TRAP_NP, ec);
		sel = (sel & ~SEGMENT_RPL_MASK) | cpl;
		break;
	default:
		/* Data or readable code; data and non-conforming code need
		 * DPL >= max(CPL, RPL); then present. */
		if (!d->s || (code && !(d->type & DESC_TYPE_RW)))
			return seg_fault(f, X86_TRAP_GP, ec);
		if (!(code && (d->type & DESC_TYPE_DC)) &&
		    (d->dpl < (unsigned int)cpl || d->dpl < rpl))
			return seg_fault(f, X86_TRAP_GP, ec);
		if (!d->p)
			return seg_fault(f, X86_TRAP_NP, ec);
		break;
	}
	d->type |= DESC_TYPE_ACCESSED;		/* the CPU writes it back */
	seg_cache_fill(&r->r[reg], sel, d);
	return 0;
}

int __seg_check_access(const struct seg_regs *r, int reg, unsigned long off, unsigned long size,
		       unsigned int access, bool long64, unsigned int va_bits,
		       unsigned long *linear, struct seg_fault *f)
{
	const struct seg_cache *c;
	int vec = reg == SEG_SS ? X86_TRAP_SS : X86_TRAP_GP;
	unsigned long last;
	unsigned int type;

	if (reg < 0 || reg >= SEG_NR || !size)
		return -EINVAL;
	access &= 3;
	if (access == MMU_EXEC && reg != SEG_CS)
		return -EINVAL;		/* instructions are fetched through CS only */
	c = &r->r[reg];
	if (long64) {
		unsigned long lin = off, top;

		if (reg == SEG_FS || reg == SEG_GS)
			lin += c->base;
		top = lin + size - 1;
		/* canonical: bits 63..va_bits-1 all equal */
		if ((unsigned long)(((long)(lin << (64 - va_bits))) >> (64 - va_bits)) != lin ||
		    (unsigned long)(((long)(top << (64 - va_bits))) >> (64 - va_bits)) != top)
			return seg_fault(f, vec, 0);
		*linear = lin;
		return 0;
	}
	if (!c->usable)
		return seg_fault(f, X86_TRAP_GP, 0);
	type = c->desc.type;
	if (type & DESC_TYPE_CODE) {
		if (access == MMU_WRITE || (access == MMU_READ && !(type & DESC_TYPE_RW)))
			return seg_fault(f, vec, 0);
	} else if (access == MMU_EXEC || (access == MMU_WRITE && !(type & DESC_TYPE_RW))) {
		return seg_fault(f, vec, 0);
	}
	if (off > 0xffffffffUL || size - 1 > 0xffffffffUL - off)
		return seg_fault(f, vec, 0);
	last = off + size - 1;
	if (!(type & DESC_TYPE_CODE) && (type & DESC_TYPE_DC)) {
		/* Expand-down: offsets above the limit, up to 64K-1 or 4G-1 (B). */
		unsigned long upper = c->desc.d ? 0xffffffffUL : 0xffffUL;

		if (off <= c->limit || last > upper)
			return seg_fault(f, vec, 0);
	} else if (last > c->limit) {
		return seg_fault(f, vec, 0);
	}
	*linear = (c->base + off) & 0xffffffffUL;
	return 0;
}

/* ---------------------------------------------------------------------
 * The current CPU's tables and registers
 */

static void gdt_fill(struct desc_struct *gdt, int cpu)
{
	/* Linux's DESC_* flag words (desc_defs.h), accessed bit included. */
	enum {
		CODE32 = 0xc09b, CODE64 = 0xa09b, DATA32 = 0xc093, DATA64 = 0xc093,
		USER = 0x0060,
		/* setup_getcpu(): read-only expand-down data, DPL 3, D, whose limit
		 * vgetcpu reads with LSL: node << 12 | cpu (one node here: 0) */
		CPUNODE = 0x40f5,
	};

	memset(gdt, 0, GDT_ENTRIES_MAX * sizeof(*gdt));
	if (seg_x86_32()) {
		gdt[GDT_ENTRY_KERNEL_CS_32] = GDT_ENTRY_INIT(CODE32, 0, 0xfffff);
		gdt[GDT_ENTRY_KERNEL_DS_32] = GDT_ENTRY_INIT(DATA32, 0, 0xfffff);
		gdt[GDT_ENTRY_DEFAULT_USER_CS_32] = GDT_ENTRY_INIT(CODE32 | USER, 0, 0xfffff);
		gdt[GDT_ENTRY_DEFAULT_USER_DS_32] = GDT_ENTRY_INIT(DATA32 | USER, 0, 0xfffff);
		gdt[GDT_ENTRY_ESPFIX_SS_32] = GDT_ENTRY_INIT(DATA32, 0, 0xfffff);
		gdt[GDT_ENTRY_PERCPU_32] = GDT_ENTRY_INIT(DATA32, 0, 0xfffff);
		gdt[GDT_ENTRY_CPUNODE_32] = GDT_ENTRY_INIT(CPUNODE, 0, (u32)cpu);
	} else {
		gdt[GDT_ENTRY_KERNEL32_CS_64] = GDT_ENTRY_INIT(CODE32, 0, 0xfffff);
		gdt[GDT_ENTRY_KERNEL_CS_64] = GDT_ENTRY_INIT(CODE64, 0, 0xfffff);
		gdt[GDT_ENTRY_KERNEL_DS_64] = GDT_ENTRY_INIT(DATA64, 0, 0xfffff);
		gdt[GDT_ENTRY_DEFAULT_USER32_CS_64] = GDT_ENTRY_INIT(CODE32 | USER, 0, 0xfffff);
		gdt[GDT_ENTRY_DEFAULT_USER_DS_64] = GDT_ENTRY_INIT(DATA64 | USER, 0, 0xfffff);
		gdt[GDT_ENTRY_DEFAULT_USER_CS_64] = GDT_ENTRY_INIT(CODE64 | USER, 0, 0xfffff);
		gdt[GDT_ENTRY_CPUNODE_64] = GDT_ENTRY_INIT(CPUNODE, 0, (u32)cpu);
	}
}

static struct seg_cpu *seg_cpu_of(int cpu)
{
	struct arch_mmu *mmu;
	struct seg_cpu *sc;
	struct seg_tables t;
	unsigned long page;

	if (!seg_x86())
		return NULL;
	mmu = current_hw()->mmu;
	if (cpu < 0 || cpu >= mmu->nr_cpus)
		return NULL;
	sc = mmu->cpus[cpu].seg_cpu;
	if (sc)
		return sc;
	_Static_assert(sizeof(struct seg_cpu) <= 4096, "the GDT page holds struct seg_cpu");
	page = get_zeroed_page(GFP_KERNEL);
	if (!page)
		return NULL;
	sc = (struct seg_cpu *)page;
	sc->kva = host_to_kva(sc);
	gdt_fill(sc->gdt, cpu);
	/* CPL 0 flat: CS __KERNEL_CS, SS/DS/ES __KERNEL_DS, FS/GS null. */
	t = (struct seg_tables){ .gdt = sc->gdt, .gdt_entries = GDT_ENTRIES,
				 .long_mode = !seg_x86_32() };
	sc->kregs.r[SEG_CS].sel = __KERNEL_CS;
	seg_cache_fill(&sc->kregs.r[SEG_CS], __KERNEL_CS, &sc->gdt[__KERNEL_CS >> 3]);
	__load_seg(&sc->kregs, SEG_SS, __KERNEL_DS, 0, &t, NULL);
	__load_seg(&sc->kregs, SEG_DS, __KERNEL_DS, 0, &t, NULL);
	__load_seg(&sc->kregs, SEG_ES, __KERNEL_DS, 0, &t, NULL);
	__load_seg(&sc->kregs, SEG_FS, 0, 0, &t, NULL);
	__load_seg(&sc->kregs, SEG_GS, 0, 0, &t, NULL);
	sc->kregs.init = true;
	mmu->cpus[cpu].seg_cpu = sc;
	return sc;
}

struct desc_struct *get_cpu_gdt_rw(int cpu, unsigned long *kva)
{
	struct seg_cpu *sc = seg_cpu_of(cpu);

	if (sc && kva)
		*kva = sc->kva;
	return sc ? sc->gdt : NULL;
}

static void seg_tables_current(struct seg_cpu *sc, const struct seg_regs *r,
			       struct seg_tables *t)
{
	struct task_struct *tsk = current;
	struct ldt_struct *ldt = NULL;

	if (tsk && tsk->mm)
		ldt = __atomic_load_n(&tsk->mm->context.ldt, __ATOMIC_ACQUIRE);
	t->gdt = sc->gdt;
	t->gdt_entries = GDT_ENTRIES;
	t->ldt = ldt ? ldt->entries : NULL;
	t->ldt_entries = ldt ? ldt->nr_entries : 0;
	t->long_mode = !seg_x86_32() && r && r->r[SEG_CS].desc.l;
}

/* Linux's start_thread register state for a static program. */
static void seg_user_init(struct seg_cpu *sc, struct seg_regs *r)
{
	struct seg_tables t = { .gdt = sc->gdt, .gdt_entries = GDT_ENTRIES };

	memset(r, 0, sizeof(*r));
	seg_cache_fill(&r->r[SEG_CS], __USER_CS, &sc->gdt[__USER_CS >> 3]);
	t.long_mode = r->r[SEG_CS].desc.l;
	__load_seg(r, SEG_SS, __USER_DS, 3, &t, NULL);
	__load_seg(r, SEG_DS, __USER_DS, 3, &t, NULL);
	__load_seg(r, SEG_ES, __USER_DS, 3, &t, NULL);
	__load_seg(r, SEG_FS, 0, 3, &t, NULL);
	__load_seg(r, SEG_GS, 0, 3, &t, NULL);
	r->init = true;
}

struct seg_regs *seg_current_regs(void)
{
	struct task_struct *tsk = current;
	struct seg_cpu *sc;

	if (likely(tsk && tsk->seg.init))	/* set only on x86 */
		return &tsk->seg;
	sc = seg_cpu_of(smp_processor_id());
	if (!sc)
		return NULL;
	if (!tsk)
		return &sc->kregs;
	if (!tsk->seg.init)
		seg_user_init(sc, &tsk->seg);
	return &tsk->seg;
}

int load_seg(int reg, u16 sel, struct seg_fault *f)
{
	struct seg_cpu *sc = seg_cpu_of(smp_processor_id());
	struct seg_regs *r = seg_current_regs();
	struct seg_tables t;

	if (!sc || !r)
		return -EOPNOTSUPP;
	seg_tables_current(sc, r, &t);
	return __load_seg(r, reg, sel, seg_cpl(r), &t, f);
}

int seg_translate(int reg, unsigned long off, unsigned long size, unsigned int access,
		  unsigned long *linear, struct seg_fault *f)
{
	struct seg_regs *r = seg_current_regs();
	bool long64;

	if (!r)
		return -EOPNOTSUPP;
	long64 = !seg_x86_32() && r->r[SEG_CS].desc.l;
	return __seg_check_access(r, reg, off, size, access, long64, seg_va_bits(), linear, f);
}

/* ---------------------------------------------------------------------
 * Exceptions
 */

/* Linux's do_trap -> show_signal for a trap with a signal (#NP, #SS). */
static int do_error_trap(struct task_struct *tsk, unsigned long error_code, const char *str,
			 int signr)
{
	if (show_unhandled_signals_value() && printk_ratelimit())
		pr_info("%s[%d] trap %s ip:%lx sp:%lx error:%lx\n", tsk->comm, task_pid_nr(tsk),
			str, tsk->regs.ip, tsk->regs.sp, error_code);
	force_sig(signr);
	return -EFAULT;
}

int seg_raise(const struct seg_fault *f)
{
	struct task_struct *tsk = current;
	struct seg_regs *r = seg_current_regs();

	if (!tsk || !r || seg_cpl(r) != 3)
		return -EFAULT;		/* kernel mode: the exception-table fixup */
	switch (f->vector) {
	case X86_TRAP_NP:
		return do_error_trap(tsk, f->error_code, "segment not present", SIGBUS);
	case X86_TRAP_SS:
		return do_error_trap(tsk, f->error_code, "stack segment", SIGBUS);
	default:
		return do_general_protection(&tsk->regs, f->error_code);
	}
}

long seg_user_load(int reg, u16 sel)
{
	struct seg_fault f;
	int ret;

	if (!current)
		return -ESRCH;
	ret = load_seg(reg, sel, &f);
	if (ret == -1) {
		seg_raise(&f);
		exit_to_user_mode();
		return -EFAULT;
	}
	return ret;
}

long seg_user_access(int reg, unsigned long off, void *buf, size_t len, unsigned int access)
{
	unsigned long linear;
	struct seg_fault f;
	int ret;

	if (!current)
		return -ESRCH;
	ret = seg_translate(reg, off, len ? len : 1, access, &linear, &f);
	if (ret == -1) {
		seg_raise(&f);
		exit_to_user_mode();
		return -EFAULT;
	}
	if (ret)
		return ret;
	switch (access & 3) {
	case MMU_WRITE:
		return mmsim_user_write(linear, buf, len);
	case MMU_EXEC:
		return mmsim_user_exec(linear);
	default:
		return mmsim_user_read(linear, buf, len);
	}
}

/*
 * arch_prctl(2) (Linux's do_arch_prctl_64): ARCH_SET_FS/GS load a null
 * selector and set the base (below TASK_SIZE_MAX, else -EPERM);
 * ARCH_GET_FS/GS store the base at the host pointer @arg2.
 */
long sys_arch_prctl(int option, unsigned long arg2)
{
	struct task_struct *tsk = current;
	struct seg_regs *r;
	int reg = (option == ARCH_SET_FS || option == ARCH_GET_FS) ? SEG_FS : SEG_GS;

	if (!tsk)
		return -ESRCH;
	if (!seg_x86() || seg_x86_32())
		return -ENOSYS;
	r = seg_current_regs();
	if (!r)
		return -ENOMEM;
	switch (option) {
	case ARCH_SET_FS:
	case ARCH_SET_GS:
		if (arg2 >= (1UL << (seg_va_bits() - 1)) - PAGE_SIZE)
			return -EPERM;
		seg_cache_null(&r->r[reg], 0);
		r->r[reg].base = arg2;
		return 0;
	case ARCH_GET_FS:
	case ARCH_GET_GS:
		if (!arg2)
			return -EFAULT;
		*(unsigned long *)arg2 = r->r[reg].base;
		return 0;
	default:
		return -EINVAL;
	}
}
