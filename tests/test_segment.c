// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_segment.c - x86 segmentation (arch/segment.c, arch/ldt.c):
 *
 *   - the load checks' full matrix: every register (ES CS SS DS FS GS) x
 *     CPL 0/3 x RPL 0-3 x DPL 0-3 x the 16 code/data types and a system
 *     descriptor x present or not x GDT or LDT, plus null selectors, an
 *     index past the table and a TI=1 selector with no LDT, against the
 *     fault and error code an independent model of the SDM's rules gives
 *     (written as the SDM's tables of what each register accepts, not by
 *     calling the code under test), and what a successful load caches;
 *   - the access checks: limit (byte and page granular), expand-down with
 *     B 0/1, writes to code and read-only data, reads of execute-only
 *     code, a null segment, the 4G wrap, #SS through SS; 64-bit mode
 *     (limits ignored, FS/GS base, canonical for 48 and 57 bits);
 *   - Linux's GDT descriptors (the raw values of arch/x86's gdt_page);
 *   - modify_ldt: each func, bad bytecount / entry / contents, the empty
 *     and old-mode clears, the descriptor fill_ldt makes, a table over a
 *     page (vmalloc'd), fork copies it, exit frees it (every page back);
 *   - the user-mode exceptions: SIGSEGV for #GP with Linux's log line,
 *     SIGBUS for #NP and #SS; kernel mode gets no signal;
 *   - arm64 has none of it.
 */
#include <sys/wait.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/segment.h>
#include <mmsim/mmu.h>
#include <mmsim/slab.h>
#include <mmsim/vmalloc.h>
#include <mmsim/err.h>
#include "mmtest.h"

/* ---------------------------------------------------------------------
 * The reference model of a load (SDM Vol. 3A 5.5-5.8, Vol. 2 MOV/JMP)
 */

struct expect {
	int vec;		/* 0: loads */
	unsigned long ec;
};

/* What each register accepts, by descriptor class. */
enum dclass { C_SYS, C_DATA_RO, C_DATA_RW, C_CODE_XO, C_CODE_RX, C_CONF_XO, C_CONF_RX };

static enum dclass classify(int s, int type)
{
	if (!s)
		return C_SYS;
	switch (type & 0xe) {
	case 0x0: case 0x4: return C_DATA_RO;		/* read-only, expand-up/down */
	case 0x2: case 0x6: return C_DATA_RW;
	case 0x8: return C_CODE_XO;
	case 0xa: return C_CODE_RX;
	case 0xc: return C_CONF_XO;
	default: return C_CONF_RX;			/* 0xe */
	}
}

/* Types a register may load at all (else #GP(sel)). */
static const bool type_ok[SEG_NR][7] = {
	/*             SYS    RO     RW     XO     RX     CXO    CRX */
	[SEG_ES] = { false, true,  true,  false, true,  false, true },
	[SEG_DS] = { false, true,  true,  false, true,  false, true },
	[SEG_FS] = { false, true,  true,  false, true,  false, true },
	[SEG_GS] = { false, true,  true,  false, true,  false, true },
	[SEG_SS] = { false, false, true,  false, false, false, false },
	[SEG_CS] = { false, false, false, true,  true,  true,  true },
};

static bool privilege_ok(int reg, enum dclass c, int cpl, int rpl, int dpl)
{
	if (reg == SEG_SS)
		return rpl == cpl && dpl == cpl;
	if (reg == SEG_CS)
		return (c == C_CONF_XO || c == C_CONF_RX) ? dpl <= cpl : (rpl <= cpl && dpl == cpl);
	if (c == C_CONF_RX)
		return true;			/* conforming readable code: no check */
	return dpl >= cpl && dpl >= rpl;
}

static struct expect model_load(int reg, u16 sel, int cpl, bool in_table, int s, int type,
				int dpl, int p, bool long_mode)
{
	int rpl = sel & 3;
	unsigned long ec = sel & 0xfffc;
	enum dclass c;

	if ((sel & 0xfffc) == 0) {
		if (reg == SEG_CS)
			return (struct expect){ X86_TRAP_GP, 0 };
		if (reg == SEG_SS && !(long_mode && cpl < 3 && rpl == cpl))
			return (struct expect){ X86_TRAP_GP, 0 };
		return (struct expect){ 0, 0 };
	}
	if (!in_table)
		return (struct expect){ X86_TRAP_GP, ec };
	c = classify(s, type);
	if (!type_ok[reg][c] || !privilege_ok(reg, c, cpl, rpl, dpl))
		return (struct expect){ X86_TRAP_GP, ec };
	if (!p)
		return (struct expect){ reg == SEG_SS ? X86_TRAP_SS : X86_TRAP_NP, ec };
	return (struct expect){ 0, 0 };
}

static struct desc_struct mkdesc(int s, int type, int dpl, int p, u32 base, u32 limit, int g)
{
	struct desc_struct d;

	memset(&d, 0, sizeof(d));
	d.s = s;
	d.type = type;
	d.dpl = dpl;
	d.p = p;
	d.base0 = base & 0xffff;
	d.base1 = (base >> 16) & 0xff;
	d.base2 = base >> 24;
	d.limit0 = limit & 0xffff;
	d.limit1 = (limit >> 16) & 0xf;
	d.g = g;
	d.d = 1;
	return d;
}

static void test_load_matrix(void)
{
	struct desc_struct gdt[8], ldt[8];
	struct seg_tables t = { .gdt = gdt, .gdt_entries = 8, .ldt = ldt, .ldt_entries = 8 };
	unsigned long cases = 0, loads = 0, mismatches = 0;

	for (int lm = 0; lm < 2; lm++)
	for (int reg = 0; reg < SEG_NR; reg++)
	for (int cpl = 0; cpl <= 3; cpl += 3)
	for (int rpl = 0; rpl < 4; rpl++)
	for (int dpl = 0; dpl < 4; dpl++)
	for (int kind = 0; kind < 17; kind++)	/* 16 types with S=1, then a system one */
	for (int p = 0; p < 2; p++)
	for (int ti = 0; ti < 2; ti++) {
		int s = kind < 16, type = kind < 16 ? kind : 0x2;	/* 0x2: an LDT descriptor */
		u16 sel = (u16)((5 << 3) | (ti << 2) | rpl);
		struct seg_regs r;
		struct seg_fault f = { -1, ~0UL };
		struct expect e;
		int ret;

		memset(gdt, 0, sizeof(gdt));
		memset(ldt, 0, sizeof(ldt));
		(ti ? ldt : gdt)[5] = mkdesc(s, type, dpl, p, 0x12345000, 0xabcde, kind & 1);
		memset(&r, 0, sizeof(r));
		t.long_mode = lm;
		e = model_load(reg, sel, cpl, true, s, type, dpl, p, lm);
		ret = __load_seg(&r, reg, sel, cpl, &t, &f);
		cases++;
		if (e.vec ? (ret != -1 || f.vector != e.vec || f.error_code != e.ec) : ret != 0) {
			if (mismatches++ < 10)
				fprintf(stderr, "load %s sel %#x cpl %d dpl %d s %d type %#x p %d lm %d: "
					"got %d vec %d ec %#lx, want vec %d ec %#lx\n",
					seg_reg_name(reg), sel, cpl, dpl, s, type, p, lm, ret,
					f.vector, f.error_code, e.vec, e.ec);
			continue;
		}
		if (e.vec) {
			/* a fault leaves the register and the table alone */
			KT_EQ(r.r[reg].sel, 0);
			KT_EQ((ti ? ldt : gdt)[5].type, type);
			continue;
		}
		loads++;
		KT_EQ(r.r[reg].usable, true);
		KT_EQ(r.r[reg].sel, reg == SEG_CS ? ((sel & ~3) | cpl) : sel);
		KT_EQ(r.r[reg].base, 0x12345000UL);
		KT_EQ(r.r[reg].limit, (kind & 1) ? 0xabcdefffU : 0xabcdeU);
		KT_EQ((ti ? ldt : gdt)[5].type, type | 1);	/* accessed */
	}
	KT_EQ(mismatches, 0);
	KT_EQ(cases, 2UL * 6 * 2 * 4 * 4 * 17 * 2 * 2);
	KT_ASSERT(loads > 1000);

	/* Selectors outside the tables, null selectors, no LDT. */
	memset(gdt, 0, sizeof(gdt));
	gdt[3] = mkdesc(1, 0x3, 3, 1, 0, 0xfffff, 1);
	for (int lm = 0; lm < 2; lm++)
	for (int reg = 0; reg < SEG_NR; reg++)
	for (int cpl = 0; cpl <= 3; cpl += 3)
	for (int rpl = 0; rpl < 4; rpl++) {
		struct seg_tables nt = { .gdt = gdt, .gdt_entries = 8, .long_mode = lm };
		u16 sels[] = { (u16)rpl, (u16)((8 << 3) | rpl), (u16)((9 << 3) | rpl),
			       (u16)(4 | rpl), (u16)((3 << 3) | 4 | rpl) };

		for (size_t i = 0; i < sizeof(sels) / sizeof(sels[0]); i++) {
			struct seg_regs r;
			struct seg_fault f = { -1, ~0UL };
			struct expect e = model_load(reg, sels[i], cpl, false, 0, 0, 0, 0, lm);
			int ret;

			memset(&r, 0xff, sizeof(r));
			ret = __load_seg(&r, reg, sels[i], cpl, &nt, &f);
			if (e.vec) {
				KT_EQ(ret, -1);
				KT_EQ(f.vector, e.vec);
				KT_EQ(f.error_code, e.ec);
			} else {
				KT_EQ(ret, 0);
				KT_EQ(r.r[reg].usable, false);	/* a null load */
				KT_EQ(r.r[reg].sel, sels[i]);
			}
		}
	}
}

/* A few cases written out by hand, as the SDM words them. */
static void test_load_examples(void)
{
	struct desc_struct gdt[32];
	struct seg_tables t = { .gdt = gdt, .gdt_entries = 32 };
	struct seg_regs r;
	struct seg_fault f;

	memset(gdt, 0, sizeof(gdt));
	gdt[12] = GDT_ENTRY_INIT(0xc09b, 0, 0xfffff);	/* i386 __KERNEL_CS */
	gdt[13] = GDT_ENTRY_INIT(0xc093, 0, 0xfffff);	/* __KERNEL_DS */
	gdt[14] = GDT_ENTRY_INIT(0xc0fb, 0, 0xfffff);	/* __USER_CS */
	gdt[15] = GDT_ENTRY_INIT(0xc0f3, 0, 0xfffff);	/* __USER_DS */
	memset(&r, 0, sizeof(r));
	/* user code loads __KERNEL_DS: #GP(0x68) */
	KT_EQ(__load_seg(&r, SEG_DS, 0x68, 3, &t, &f), -1);
	KT_EQ(f.vector, X86_TRAP_GP);
	KT_EQ(f.error_code, 0x68);
	/* the kernel may load __USER_DS into DS, not into SS (RPL 3 != CPL 0) */
	KT_EQ(__load_seg(&r, SEG_DS, 0x7b, 0, &t, &f), 0);
	KT_EQ(__load_seg(&r, SEG_SS, 0x7b, 0, &t, &f), -1);
	KT_EQ(f.error_code, 0x78);
	/* a kernel selector with RPL 3 is refused even at CPL 0 */
	KT_EQ(__load_seg(&r, SEG_DS, 0x6b, 0, &t, &f), -1);
	KT_EQ(f.error_code, 0x68);
	/* code into DS: readable, so yes; into SS: no */
	KT_EQ(__load_seg(&r, SEG_ES, 0x73, 3, &t, &f), 0);
	KT_EQ(__load_seg(&r, SEG_SS, 0x73, 3, &t, &f), -1);
	/* a far jump to kernel code from user mode */
	KT_EQ(__load_seg(&r, SEG_CS, 0x60, 3, &t, &f), -1);
	KT_EQ(f.error_code, 0x60);
	KT_EQ(__load_seg(&r, SEG_CS, 0x70, 3, &t, &f), 0);	/* RPL 0 <= CPL 3 */
	KT_EQ(r.r[SEG_CS].sel, 0x73);				/* RPL := CPL */
	/* index 32 is past a 32-entry GDT */
	KT_EQ(__load_seg(&r, SEG_GS, 0x103, 3, &t, &f), -1);
	KT_EQ(f.error_code, 0x100);
	/* TI=1 with no LDT */
	KT_EQ(__load_seg(&r, SEG_FS, 0x7, 3, &t, &f), -1);
	KT_EQ(f.error_code, 0x4);
}

/* ---------------------------------------------------------------------
 * Access checks
 */

static void set_reg(struct seg_regs *r, int reg, struct desc_struct d)
{
	r->r[reg].usable = true;
	r->r[reg].desc = d;
	r->r[reg].base = get_desc_base(&d);
	r->r[reg].limit = desc_byte_limit(&d);
	r->r[reg].sel = 0x7;
}

static int acc(const struct seg_regs *r, int reg, unsigned long off, unsigned long size,
	       unsigned int a, unsigned long *lin, struct seg_fault *f)
{
	f->vector = -1;
	return __seg_check_access(r, reg, off, size, a, false, 48, lin, f);
}

static void test_access(void)
{
	struct seg_regs r;
	struct seg_fault f;
	unsigned long lin;

	memset(&r, 0, sizeof(r));
	/* expand-up, byte granular, limit 0xfff, base 0x10000 */
	set_reg(&r, SEG_DS, mkdesc(1, 0x3, 3, 1, 0x10000, 0xfff, 0));
	KT_EQ(acc(&r, SEG_DS, 0xfff, 1, MMU_READ, &lin, &f), 0);
	KT_EQ(lin, 0x10fffUL);
	KT_EQ(acc(&r, SEG_DS, 0xffe, 2, MMU_WRITE, &lin, &f), 0);
	KT_EQ(acc(&r, SEG_DS, 0xfff, 2, MMU_READ, &lin, &f), -1);
	KT_EQ(f.vector, X86_TRAP_GP);
	KT_EQ(f.error_code, 0);
	KT_EQ(acc(&r, SEG_DS, 0x1000, 1, MMU_READ, &lin, &f), -1);
	KT_EQ(acc(&r, SEG_DS, ~0UL, 1, MMU_READ, &lin, &f), -1);
	/* the same segment in SS: #SS(0) */
	set_reg(&r, SEG_SS, mkdesc(1, 0x3, 3, 1, 0x10000, 0xfff, 0));
	KT_EQ(acc(&r, SEG_SS, 0x1000, 4, MMU_WRITE, &lin, &f), -1);
	KT_EQ(f.vector, X86_TRAP_SS);
	KT_EQ(f.error_code, 0);
	/* page granular: limit 0xf -> 0xffff */
	set_reg(&r, SEG_ES, mkdesc(1, 0x3, 3, 1, 0, 0xf, 1));
	KT_EQ(acc(&r, SEG_ES, 0xffff, 1, MMU_READ, &lin, &f), 0);
	KT_EQ(acc(&r, SEG_ES, 0x10000, 1, MMU_READ, &lin, &f), -1);
	/* expand-down, B=1: offsets limit+1 .. 4G-1 */
	set_reg(&r, SEG_FS, mkdesc(1, 0x7, 3, 1, 0x100000, 0xfff, 0));
	KT_EQ(acc(&r, SEG_FS, 0xfff, 1, MMU_READ, &lin, &f), -1);
	KT_EQ(acc(&r, SEG_FS, 0x1000, 1, MMU_READ, &lin, &f), 0);
	KT_EQ(lin, 0x101000UL);
	KT_EQ(acc(&r, SEG_FS, 0xfffffffc, 4, MMU_WRITE, &lin, &f), 0);
	KT_EQ(lin, 0xffffcUL);				/* base + offset wraps at 4G */
	KT_EQ(acc(&r, SEG_FS, 0xfffffffd, 4, MMU_WRITE, &lin, &f), -1);
	/* expand-down, B=0: the top is 0xffff */
	r.r[SEG_FS].desc.d = 0;
	KT_EQ(acc(&r, SEG_FS, 0xffff, 1, MMU_READ, &lin, &f), 0);
	KT_EQ(acc(&r, SEG_FS, 0x10000, 1, MMU_READ, &lin, &f), -1);
	/* read-only data: reads yes, writes #GP(0) */
	set_reg(&r, SEG_GS, mkdesc(1, 0x1, 3, 1, 0, 0xfffff, 1));
	KT_EQ(acc(&r, SEG_GS, 0x100, 4, MMU_READ, &lin, &f), 0);
	KT_EQ(acc(&r, SEG_GS, 0x100, 4, MMU_WRITE, &lin, &f), -1);
	KT_EQ(f.vector, X86_TRAP_GP);
	/* execute-only code: fetch yes, read and write no */
	set_reg(&r, SEG_CS, mkdesc(1, 0x9, 3, 1, 0, 0xfffff, 1));
	KT_EQ(acc(&r, SEG_CS, 0x400000, 1, MMU_EXEC, &lin, &f), 0);
	KT_EQ(acc(&r, SEG_CS, 0x400000, 1, MMU_READ, &lin, &f), -1);
	KT_EQ(acc(&r, SEG_CS, 0x400000, 1, MMU_WRITE, &lin, &f), -1);
	/* readable code in DS: reads yes, writes no; fetches only through CS */
	set_reg(&r, SEG_DS, mkdesc(1, 0xb, 3, 1, 0, 0xfffff, 1));
	KT_EQ(acc(&r, SEG_DS, 0x1234, 1, MMU_READ, &lin, &f), 0);
	KT_EQ(acc(&r, SEG_DS, 0x1234, 1, MMU_WRITE, &lin, &f), -1);
	KT_EQ(acc(&r, SEG_DS, 0x1234, 1, MMU_EXEC, &lin, &f), -EINVAL);
	/* data is not executable */
	set_reg(&r, SEG_CS, mkdesc(1, 0x3, 3, 1, 0, 0xfffff, 1));
	KT_EQ(acc(&r, SEG_CS, 0x1000, 1, MMU_EXEC, &lin, &f), -1);
	/* a null segment faults on any access */
	r.r[SEG_ES].usable = false;
	KT_EQ(acc(&r, SEG_ES, 0, 1, MMU_READ, &lin, &f), -1);
	KT_EQ(f.vector, X86_TRAP_GP);

	/* 64-bit mode: no limits, no types; FS/GS bases; canonical addresses */
	r.r[SEG_DS].usable = false;
	KT_EQ(__seg_check_access(&r, SEG_DS, 0x7fff00000000UL, 8, MMU_WRITE, true, 48, &lin, &f), 0);
	KT_EQ(lin, 0x7fff00000000UL);
	r.r[SEG_FS].base = 0x7f0000001000UL;
	KT_EQ(__seg_check_access(&r, SEG_FS, 0x28, 8, MMU_READ, true, 48, &lin, &f), 0);
	KT_EQ(lin, 0x7f0000001028UL);
	KT_EQ(__seg_check_access(&r, SEG_DS, 0x0000800000000000UL, 1, MMU_READ, true, 48, &lin, &f), -1);
	KT_EQ(f.vector, X86_TRAP_GP);
	KT_EQ(__seg_check_access(&r, SEG_SS, 0x00007ffffffffffcUL, 8, MMU_WRITE, true, 48, &lin, &f), -1);
	KT_EQ(f.vector, X86_TRAP_SS);			/* straddles the hole, via SS */
	KT_EQ(__seg_check_access(&r, SEG_DS, 0xffff800000000000UL, 1, MMU_READ, true, 48, &lin, &f), 0);
	KT_EQ(__seg_check_access(&r, SEG_DS, 0x00ff000000000000UL, 1, MMU_READ, true, 57, &lin, &f), 0);
	KT_EQ(__seg_check_access(&r, SEG_DS, 0x00ff000000000000UL, 1, MMU_READ, true, 48, &lin, &f), -1);
}

/* ---------------------------------------------------------------------
 * On a machine
 */

static struct user_desc udesc(unsigned int entry, unsigned int base, unsigned int limit)
{
	struct user_desc u;

	memset(&u, 0, sizeof(u));
	u.entry_number = entry;
	u.base_addr = base;
	u.limit = limit;
	u.seg_32bit = 1;
	return u;
}

static unsigned long settled_free_pages(void)
{
	switch_mm(NULL, &init_mm, NULL);
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	return nr_free_pages();
}

/* Linux's gdt_page values, and the start state of the registers. */
static void test_gdt(const char *spec, bool x86_32)
{
	struct mmsim *m = boot_or_die(spec);
	unsigned long kva = 0;
	struct desc_struct *gdt = get_cpu_gdt_rw(0, &kva);
	struct task_struct *t;
	struct seg_regs *r;

	kt_begin(spec);
	KT_ASSERT(gdt != NULL);
	KT_EQ(seg_x86_32(), x86_32);
	KT_EQ(kva, host_to_kva(gdt));
	KT_EQ(virt_to_page(gdt) != NULL, true);
	KT_EQ(desc_raw(&gdt[0]), 0);
	if (x86_32) {
		KT_EQ(__KERNEL_CS, 0x60);
		KT_EQ(__USER_DS, 0x7b);
		KT_EQ(desc_raw(&gdt[12]), 0x00cf9b000000ffffULL);
		KT_EQ(desc_raw(&gdt[13]), 0x00cf93000000ffffULL);
		KT_EQ(desc_raw(&gdt[14]), 0x00cffb000000ffffULL);
		KT_EQ(desc_raw(&gdt[15]), 0x00cff3000000ffffULL);
	} else {
		KT_EQ(__KERNEL_CS, 0x10);
		KT_EQ(__USER_CS, 0x33);
		KT_EQ(desc_raw(&gdt[1]), 0x00cf9b000000ffffULL);
		KT_EQ(desc_raw(&gdt[2]), 0x00af9b000000ffffULL);
		KT_EQ(desc_raw(&gdt[3]), 0x00cf93000000ffffULL);
		KT_EQ(desc_raw(&gdt[4]), 0x00cffb000000ffffULL);
		KT_EQ(desc_raw(&gdt[5]), 0x00cff3000000ffffULL);
		KT_EQ(desc_raw(&gdt[6]), 0x00affb000000ffffULL);
	}
	KT_EQ(get_cpu_gdt_rw(1, NULL) != gdt, true);	/* per CPU */
	r = seg_current_regs();				/* no task: the kernel's */
	KT_EQ(r->r[SEG_CS].sel, __KERNEL_CS);
	KT_EQ(r->r[SEG_SS].sel, __KERNEL_DS);
	KT_EQ(seg_cpl(r), 0);
	t = mmsim_spawn(m, "seg");
	KT_ASSERT(t && mmsim_switch_to(t) == 0);
	r = seg_current_regs();
	KT_EQ(r, &t->seg);
	KT_EQ(r->r[SEG_CS].sel, __USER_CS);
	KT_EQ(r->r[SEG_DS].sel, __USER_DS);
	KT_EQ(seg_cpl(r), 3);
	KT_EQ(r->r[SEG_CS].desc.l, !x86_32);
	sys_exit_group(0);
	kt_end();
	mmsim_shutdown(m);
}

static void test_modify_ldt(const char *spec, bool x86_32)
{
	struct mmsim *m = boot_or_die(spec);
	struct task_struct *t, *c;
	struct user_desc u;
	struct desc_struct *buf = calloc(LDT_ENTRIES, sizeof(*buf));
	unsigned long before, va, lin;
	unsigned char b[4];
	struct seg_fault f;
	long pid;
	int st;

	kt_begin(spec);
	get_cpu_gdt_rw(0, NULL);
	get_cpu_gdt_rw(1, NULL);
	vfree(vzalloc(601 * 8));	/* the kernel page tables of vmalloc stay */
	before = settled_free_pages();
	t = mmsim_spawn(m, "ldt");
	KT_ASSERT(t && mmsim_switch_to(t) == 0);
	/* below 4G: a 32-bit segment base must reach it (mmsim's mmap does
	 * not place MAP_32BIT mappings low, so MAP_FIXED) */
	va = sys_mmap(0x10000000, 64 << 10, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	KT_EQ(va, 0x10000000UL);
	KT_ASSERT(!IS_ERR_VALUE(va));

	/* No LDT yet: read returns 0; read_default zeroes its size. */
	KT_EQ(sys_modify_ldt(0, buf, 64), 0);
	memset(buf, 0xff, 256);
	KT_EQ(sys_modify_ldt(2, buf, 256), x86_32 ? 40 : 128);
	KT_EQ(desc_raw(&buf[0]), 0);
	KT_EQ(desc_raw(&buf[x86_32 ? 4 : 15]), 0);
	KT_EQ(desc_raw(&buf[x86_32 ? 5 : 16]), ~0ULL);
	KT_EQ(sys_modify_ldt(3, buf, 16), -ENOSYS);
	KT_EQ(sys_modify_ldt(0x10, buf, 16), -ENOSYS);

	/* Bad writes. */
	u = udesc(0, (unsigned int)va, 0xfff);
	KT_EQ(sys_modify_ldt(0x11, &u, sizeof(u) - 1), -EINVAL);
	KT_EQ(sys_modify_ldt(0x11, &u, sizeof(u) + 1), -EINVAL);
	u.entry_number = LDT_ENTRIES;
	KT_EQ(sys_modify_ldt(0x11, &u, sizeof(u)), -EINVAL);
	u.entry_number = 0;
	u.contents = 3;
	KT_EQ(sys_modify_ldt(0x11, &u, sizeof(u)), -EINVAL);	/* present conforming code */
	KT_EQ(sys_modify_ldt(1, &u, sizeof(u)), -EINVAL);
	KT_ASSERT(t->mm->context.ldt == NULL);
	u.seg_not_present = 1;
	KT_EQ(sys_modify_ldt(0x11, &u, sizeof(u)), 0);		/* allowed when not present */
	KT_ASSERT(t->mm->context.ldt != NULL);
	KT_EQ(t->mm->context.ldt->nr_entries, 1);

	/* A data segment over the mapping: fill_ldt's descriptor. */
	u = udesc(2, 0x12345678, 0xabcde);
	u.useable = 1;
	KT_EQ(sys_modify_ldt(0x11, &u, sizeof(u)), 0);
	KT_EQ(t->mm->context.ldt->nr_entries, 3);
	KT_EQ(sys_modify_ldt(0, buf, LDT_ENTRIES * 8), LDT_ENTRIES * 8);
	/* base 12345678, limit abcde, type 3 (rw, accessed), S, DPL 3, P, AVL, D */
	KT_EQ(desc_raw(&buf[2]), 0x125af3345678bcdeULL);
	KT_EQ(desc_raw(&buf[3]), 0);				/* zero-filled */
	KT_EQ(sys_modify_ldt(0, buf, 8), 8);			/* bytecount caps the copy */
	/* old mode clears AVL, and base 0 + limit 0 clears the entry */
	KT_EQ(sys_modify_ldt(1, &u, sizeof(u)), 0);
	KT_EQ(t->mm->context.ldt->entries[2].avl, 0);
	u = udesc(2, 0, 0);
	KT_EQ(sys_modify_ldt(1, &u, sizeof(u)), 0);
	KT_EQ(desc_raw(&t->mm->context.ldt->entries[2]), 0);
	/* new mode: base 0 + limit 0 is a real (tiny) segment unless LDT_empty */
	KT_EQ(sys_modify_ldt(0x11, &u, sizeof(u)), 0);
	KT_EQ(t->mm->context.ldt->entries[2].p, 1);
	u.read_exec_only = 1;
	u.seg_32bit = 0;
	u.seg_not_present = 1;
	KT_EQ(sys_modify_ldt(0x11, &u, sizeof(u)), 0);
	KT_EQ(desc_raw(&t->mm->context.ldt->entries[2]), 0);

	/* Use one: LDT entry 1 covers the mapping's second page (x86_64: in
	 * compatibility mode; 64-bit mode ignores the base of ES). */
	if (!x86_32)
		KT_EQ(seg_user_load(SEG_CS, __USER32_CS), 0);
	u = udesc(1, (unsigned int)va + 0x1000, 0xfff);
	KT_EQ(sys_modify_ldt(0x11, &u, sizeof(u)), 0);
	KT_EQ(seg_user_load(SEG_ES, LDT_SELECTOR(1)), 0);
	memcpy(b, "segm", 4);
	KT_EQ(seg_user_access(SEG_ES, 0x10, b, 4, MMU_WRITE), 0);
	memset(b, 0, 4);
	KT_EQ(mmsim_user_read(va + 0x1010, b, 4), 0);
	KT_ASSERT(!memcmp(b, "segm", 4));
	KT_EQ(seg_translate(SEG_ES, 0xffc, 4, MMU_READ, &lin, &f), 0);
	KT_EQ(lin, (va + 0x1ffc) & 0xffffffffUL);
	KT_EQ(seg_translate(SEG_ES, 0xffd, 4, MMU_READ, &lin, &f), -1);
	/* a write to the entry reloads ES from the new table */
	u.limit = 0x1fff;
	KT_EQ(sys_modify_ldt(0x11, &u, sizeof(u)), 0);
	KT_EQ(t->seg.r[SEG_ES].limit, 0x1fffU);
	/* a big table is vmalloc'd */
	u = udesc(600, 0, 0xfff);
	KT_EQ(sys_modify_ldt(0x11, &u, sizeof(u)), 0);
	KT_EQ(t->mm->context.ldt->nr_entries, 601);
	KT_ASSERT(is_vmalloc_addr(t->mm->context.ldt->entries));

	/* fork copies it; the child's change stays in the child */
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(c && c->mm->context.ldt && c->mm->context.ldt != t->mm->context.ldt);
	KT_EQ(c->mm->context.ldt->nr_entries, 601);
	KT_ASSERT(!memcmp(c->mm->context.ldt->entries, t->mm->context.ldt->entries, 601 * 8));
	KT_EQ(c->seg.r[SEG_ES].sel, LDT_SELECTOR(1));
	KT_EQ(mmsim_switch_to(c), 0);
	u = udesc(1, 0, 0);
	KT_EQ(sys_modify_ldt(1, &u, sizeof(u)), 0);
	KT_EQ(c->seg.r[SEG_ES].usable, false);		/* the reload failed: null */
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(t), 0);
	KT_EQ(t->mm->context.ldt->entries[1].p, 1);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	sys_exit_group(0);
	KT_ASSERT(!current);
	/* everything the LDTs took is back */
	KT_EQ(settled_free_pages(), before);
	free(buf);
	kt_end();
	mmsim_shutdown(m);
}

/* The exceptions a user program gets, and their log lines. */
static void test_user_faults(const char *spec, bool x86_32)
{
	struct mmsim *m = boot_or_die(spec);
	size_t mark = log_mark(m);
	struct task_struct *t;
	struct user_desc u;
	struct seg_fault f;
	char *log, want[96];
	unsigned char b = 0;

	kt_begin(spec);
	/* #GP: a user loads __KERNEL_DS */
	t = mmsim_spawn(m, "gp");
	KT_ASSERT(t && mmsim_switch_to(t) == 0);
	get_task_struct(t);
	KT_EQ(seg_user_load(SEG_DS, __KERNEL_DS), -EFAULT);
	KT_ASSERT(!current);
	KT_EQ(t->exit_code & 0x7f, SIGSEGV);
	put_task_struct(t);
	log = log_since(m, &mark);
	snprintf(want, sizeof(want), "gp[%d] general protection fault ip:", t->pid);
	KT_STR_CONTAINS(log, want);
	snprintf(want, sizeof(want), " error:%x\n", __KERNEL_DS);
	KT_STR_CONTAINS(log, want);
	free(log);

	/* #NP (SIGBUS): a not-present LDT data segment into FS */
	t = mmsim_spawn(m, "np");
	KT_ASSERT(t && mmsim_switch_to(t) == 0);
	get_task_struct(t);
	u = udesc(3, 0x1000, 0xfff);
	u.seg_not_present = 1;
	KT_EQ(sys_modify_ldt(0x11, &u, sizeof(u)), 0);
	KT_EQ(seg_user_load(SEG_FS, LDT_SELECTOR(3)), -EFAULT);
	KT_EQ(t->exit_code & 0x7f, SIGBUS);
	put_task_struct(t);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "] trap segment not present ip:");
	KT_STR_CONTAINS(log, " error:1c\n");
	free(log);

	/* #SS (SIGBUS): the same into SS */
	t = mmsim_spawn(m, "ss");
	KT_ASSERT(t && mmsim_switch_to(t) == 0);
	get_task_struct(t);
	KT_EQ(sys_modify_ldt(0x11, &u, sizeof(u)), 0);
	KT_EQ(seg_user_load(SEG_SS, LDT_SELECTOR(3)), -EFAULT);
	KT_EQ(t->exit_code & 0x7f, SIGBUS);
	put_task_struct(t);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "] trap stack segment ip:");
	free(log);

	/* a limit violation through an LDT segment: #GP(0), SIGSEGV */
	t = mmsim_spawn(m, "limit");
	KT_ASSERT(t && mmsim_switch_to(t) == 0);
	get_task_struct(t);
	u = udesc(0, 0x10000, 0xff);
	KT_EQ(sys_modify_ldt(0x11, &u, sizeof(u)), 0);
	if (!x86_32)	/* 64-bit mode has no limits: compatibility mode */
		KT_EQ(seg_user_load(SEG_CS, __USER32_CS), 0);
	KT_EQ(seg_user_load(SEG_GS, LDT_SELECTOR(0)), 0);
	KT_EQ(seg_user_access(SEG_GS, 0x100, &b, 1, MMU_READ), -EFAULT);
	KT_EQ(t->exit_code & 0x7f, SIGSEGV);
	put_task_struct(t);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "general protection fault ip:");
	KT_STR_CONTAINS(log, " error:0\n");
	free(log);

	/* exception-trace off: the signal, no line */
	KT_EQ(mmsim_write(m, "/proc/sys/debug/exception-trace", "0"), 0);
	t = mmsim_spawn(m, "quiet");
	KT_ASSERT(t && mmsim_switch_to(t) == 0);
	KT_EQ(seg_user_load(SEG_CS, __KERNEL_CS), -EFAULT);
	KT_ASSERT(!current);
	log = log_since(m, &mark);
	KT_ASSERT(!strstr(log, "quiet["));
	free(log);

	/* kernel mode (no task): a fault is the caller's, no signal, no log */
	KT_EQ(load_seg(SEG_SS, __USER_DS, &f), -1);
	KT_EQ(f.vector, X86_TRAP_GP);
	KT_EQ(f.error_code, (unsigned long)(__USER_DS & ~3));
	KT_EQ(seg_raise(&f), -EFAULT);
	KT_EQ(load_seg(SEG_DS, __USER_DS, &f), 0);	/* DPL 3 >= max(0, 3) */
	kt_end();
	mmsim_shutdown(m);
}

/* x86_64: flat 64-bit mode, FS/GS bases, compatibility mode. */
static void test_x86_64(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	struct task_struct *t;
	unsigned long va, lin, got = 0;
	struct seg_fault f;
	unsigned char b[8];

	kt_begin("x86_64 modes");
	t = mmsim_spawn(m, "lm");
	KT_ASSERT(t && mmsim_switch_to(t) == 0);
	va = sys_mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	/* flat: linear == offset, whatever the (ignored) limits */
	KT_EQ(seg_translate(SEG_DS, va, 8, MMU_WRITE, &lin, &f), 0);
	KT_EQ(lin, va);
	KT_EQ(seg_translate(SEG_DS, 0x0000800000000000UL, 1, MMU_READ, &lin, &f), -1);
	KT_EQ(f.vector, X86_TRAP_GP);
	/* arch_prctl: FS base */
	KT_EQ(sys_arch_prctl(ARCH_SET_FS, va), 0);
	KT_EQ(sys_arch_prctl(ARCH_GET_FS, (unsigned long)&got), 0);
	KT_EQ(got, va);
	KT_EQ(sys_arch_prctl(ARCH_SET_GS, 0xffff888000000000UL), -EPERM);
	KT_EQ(sys_arch_prctl(0x1234, 0), -EINVAL);
	memcpy(b, "fsbase!", 8);
	KT_EQ(seg_user_access(SEG_FS, 0x100, b, 8, MMU_WRITE), 0);
	memset(b, 0, 8);
	KT_EQ(mmsim_user_read(va + 0x100, b, 8), 0);
	KT_ASSERT(!memcmp(b, "fsbase!", 8));
	/* a far jump to __USER32_CS: compatibility mode, limits apply */
	KT_EQ(seg_user_load(SEG_CS, __USER32_CS), 0);
	KT_EQ(t->seg.r[SEG_CS].desc.l, 0);
	KT_EQ(seg_translate(SEG_DS, 0x100000000UL, 1, MMU_READ, &lin, &f), -1);
	KT_EQ(seg_user_load(SEG_CS, __USER_CS), 0);
	KT_EQ(seg_translate(SEG_DS, 0x100000000UL, 1, MMU_READ, &lin, &f), 0);
	/* the child inherits the registers and the FS base */
	sys_exit_group(0);
	kt_end();
	mmsim_shutdown(m);
}

static void test_arm64(void)
{
	struct mmsim *m = boot_or_die("arch=arm64 ram=64M cpus=1");
	struct task_struct *t;
	struct seg_fault f;
	struct user_desc u = udesc(0, 0, 0xfff);

	kt_begin("arm64 has no segmentation");
	KT_ASSERT(get_cpu_gdt_rw(0, NULL) == NULL);
	KT_ASSERT(seg_current_regs() == NULL);
	KT_EQ(load_seg(SEG_DS, 0x2b, &f), -EOPNOTSUPP);
	t = mmsim_spawn(m, "a");
	KT_ASSERT(t && mmsim_switch_to(t) == 0);
	KT_EQ(sys_modify_ldt(0x11, &u, sizeof(u)), -ENOSYS);
	KT_EQ(sys_arch_prctl(ARCH_SET_FS, 0x1000), -ENOSYS);
	sys_exit_group(0);
	kt_end();
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_load_matrix);
	KT_RUN(test_load_examples);
	KT_RUN(test_access);
	test_gdt("arch=i386 ram=64M", true);
	test_gdt("ram=64M", false);
	test_gdt("arch=x86_64-la57 ram=64M", false);
	test_modify_ldt("arch=i386 ram=64M", true);
	test_modify_ldt("arch=i386-pae ram=64M", true);
	test_modify_ldt("ram=64M", false);
	test_user_faults("arch=i386 ram=64M cpus=1", true);
	test_user_faults("ram=64M cpus=1", false);
	test_x86_64();
	test_arm64();
	return kt_done();
}
