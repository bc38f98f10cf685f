// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cmd_seg.c - the scenario commands of x86 segmentation
 * (arch/segment.c, arch/ldt.c; docs/segmentation.md, docs/cli.md):
 *
 *   gdt [CPU]                 the CPU's GDT, one line per non-null descriptor
 *   ldt                       current's LDT (modify_ldt func 0), one line per entry
 *   modify_ldt read|read_default [BYTES]
 *   modify_ldt write|write_old ENTRY [base=..] [limit=..] [seg_32bit=0|1]
 *              [contents=data|stack|code|conforming] [read_exec_only=0|1]
 *              [limit_in_pages=0|1] [seg_not_present=0|1] [useable=0|1]
 *   seg                       the segment registers (current's, or the CPU's
 *                             kernel ones when it runs no task)
 *   seg load REG SELECTOR     MOV to DS/ES/FS/GS/SS (far JMP for CS)
 *   seg access REG:OFFSET [LEN] r|w|x [byte=B]
 *                             logical -> linear (the segment checks) ->
 *                             physical (the page walk, demand faults included)
 *   arch_prctl set_fs|set_gs ADDR | get_fs|get_gs
 *
 * With a task running, loads and accesses are the program's (CPL 3): a
 * fault is raised as the CPU raises it, logged, and kills the task with
 * SIGSEGV (#GP) or SIGBUS (#NP, #SS), printed in strace's "+++ killed by"
 * form.  With no task (after boot, or `switch idle`), they run at CPL 0
 * and a fault is only printed (the kernel's exception fixup).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <mmsim/mmsim.h>
#include <mmsim/segment.h>
#include <mmsim/syscalls.h>
#include <mmsim/sched.h>
#include <mmsim/mmu.h>
#include <mmsim/pgtable.h>
#include <mmsim/mm_struct.h>
#include "tools/scenario.h"

static const char *const vec_names[] = { [X86_TRAP_NP] = "#NP", [X86_TRAP_SS] = "#SS",
					 [X86_TRAP_GP] = "#GP" };

static bool x86_only(struct scn *s)
{
	if (current_layout->arch == ARCH_ARM64) {
		scn_fail(s, "segmentation is x86's (this machine is arm64)");
		return false;
	}
	return true;
}

static const char *gdt_name(unsigned int idx)
{
	if (seg_x86_32()) {
		switch (idx) {
		case GDT_ENTRY_KERNEL_CS_32: return "__KERNEL_CS";
		case GDT_ENTRY_KERNEL_DS_32: return "__KERNEL_DS";
		case GDT_ENTRY_DEFAULT_USER_CS_32: return "__USER_CS";
		case GDT_ENTRY_DEFAULT_USER_DS_32: return "__USER_DS";
		case GDT_ENTRY_ESPFIX_SS_32: return "__ESPFIX_SS";
		case GDT_ENTRY_PERCPU_32: return "__KERNEL_PERCPU";
		case GDT_ENTRY_CPUNODE_32: return "__CPUNODE_SEG";
		}
	} else {
		switch (idx) {
		case GDT_ENTRY_KERNEL32_CS_64: return "__KERNEL32_CS";
		case GDT_ENTRY_KERNEL_CS_64: return "__KERNEL_CS";
		case GDT_ENTRY_KERNEL_DS_64: return "__KERNEL_DS";
		case GDT_ENTRY_DEFAULT_USER32_CS_64: return "__USER32_CS";
		case GDT_ENTRY_DEFAULT_USER_DS_64: return "__USER_DS";
		case GDT_ENTRY_DEFAULT_USER_CS_64: return "__USER_CS";
		case GDT_ENTRY_CPUNODE_64: return "__CPUNODE_SEG";
		}
	}
	return "";
}

/* "code r-x 64-bit dpl 3 base 0x0 limit 0xffffffff" */
static void desc_text(const struct desc_struct *d, char *buf, size_t len)
{
	bool code = d->type & DESC_TYPE_CODE;
	const char *kind = !d->s ? "system" : code ? (d->type & DESC_TYPE_DC ? "code-conforming" : "code")
				: (d->type & DESC_TYPE_DC ? "data-expand-down" : "data");
	const char *rights = !d->s ? "---" : code ? (d->type & DESC_TYPE_RW ? "r-x" : "--x")
				: (d->type & DESC_TYPE_RW ? "rw-" : "r--");

	snprintf(buf, len, "%s %s %s dpl %u base %#lx limit %#x%s", kind, rights,
		 d->l ? "64-bit" : d->d ? "32-bit" : "16-bit", d->dpl, get_desc_base(d),
		 desc_byte_limit(d), d->p ? "" : " not-present");
}

static int cmd_gdt(struct scn *s, int argc, char **argv)
{
	unsigned long cpu = (unsigned long)smp_processor_id(), kva = 0;
	struct desc_struct *gdt;
	char text[160];

	if (!x86_only(s))
		return -1;
	if (argc > 1 && scn_ulong(s, "cpu", argv[1], 0, 4095, &cpu))
		return -1;
	gdt = get_cpu_gdt_rw((int)cpu, &kva);
	if (!gdt)
		return scn_fail(s, "no CPU %lu (or no memory for its GDT)", cpu);
	fprintf(s->out, "GDT of CPU %lu at %#lx: %d entries\n", cpu, kva, GDT_ENTRIES);
	for (unsigned int i = 1; i < (unsigned int)GDT_ENTRIES; i++) {
		if (!desc_raw(&gdt[i]))
			continue;
		desc_text(&gdt[i], text, sizeof(text));
		fprintf(s->out, "  %2u  sel 0x%04x  %016llx  %-16s %s\n", i, (i << 3) | gdt[i].dpl,
			(unsigned long long)desc_raw(&gdt[i]), gdt_name(i), text);
	}
	return 0;
}

static void print_killed(struct scn *s, pid_t pid, struct task_struct *t)
{
	int code = t->exit_code, sig = code & 0x7f;

	if (!t->exit_state && !(t->flags & PF_EXITING))
		return;
	fprintf(s->out, "[pid %d] +++ killed by %s +++\n", pid,
		sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : "signal");
}

static int cmd_ldt(struct scn *s, int argc, char **argv)
{
	struct desc_struct *buf;
	char text[160];
	long n, used;

	(void)argc;
	(void)argv;
	if (!x86_only(s) || !scn_running(s))
		return -1;
	buf = calloc(LDT_ENTRIES, sizeof(*buf));
	if (!buf)
		return scn_fail(s, "out of host memory");
	n = sys_modify_ldt(0, buf, LDT_ENTRIES * LDT_ENTRY_SIZE);
	if (n < 0) {
		free(buf);
		return scn_fail(s, "modify_ldt: %s", strerror((int)-n));
	}
	/* read_ldt zero-fills to bytecount: the table's size is the mm's */
	n = current->mm->context.ldt ? current->mm->context.ldt->nr_entries : 0;
	used = 0;
	for (long i = 0; i < n; i++)
		used += desc_raw(&buf[i]) != 0;
	scn_print_pid(s);
	fprintf(s->out, "LDT: %ld entries, %ld in use\n", n, used);
	for (long i = 0; i < n; i++) {
		if (!desc_raw(&buf[i]))
			continue;
		desc_text(&buf[i], text, sizeof(text));
		fprintf(s->out, "  %2ld  sel 0x%04lx  %016llx  %s\n", i, (unsigned long)LDT_SELECTOR(i),
			(unsigned long long)desc_raw(&buf[i]), text);
	}
	free(buf);
	return 0;
}

static int cmd_modify_ldt(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "base", "limit", "seg_32bit", "contents",
					    "read_exec_only", "limit_in_pages",
					    "seg_not_present", "useable", NULL };
	const char *v[9];
	struct user_desc u;
	unsigned long x;
	long ret;

	if (!x86_only(s) || !scn_running(s))
		return -1;
	if (!strcmp(argv[1], "read") || !strcmp(argv[1], "read_default")) {
		int func = argv[1][4] ? 2 : 0;
		unsigned long bytes = 128;
		unsigned char buf[LDT_ENTRIES * LDT_ENTRY_SIZE];

		if (argc > 3)
			return scn_fail(s, "usage: modify_ldt %s [BYTES]", argv[1]);
		if (argc > 2 && scn_ulong(s, "bytes", argv[2], 0, sizeof(buf), &bytes))
			return -1;
		ret = sys_modify_ldt(func, buf, bytes);
		scn_print_pid(s);
		fprintf(s->out, "modify_ldt(%d, ..., %lu)", func, bytes);
		scn_print_ret(s, ret, false);
		return 0;
	}
	if (strcmp(argv[1], "write") && strcmp(argv[1], "write_old"))
		return scn_fail(s, "'%s': expected read, read_default, write or write_old", argv[1]);
	if (argc < 3)
		return scn_fail(s, "usage: modify_ldt %s ENTRY [KEY=VALUE...]", argv[1]);
	memset(&u, 0, sizeof(u));
	if (scn_ulong(s, "entry", argv[2], 0, 0xffffffffUL, &x))
		return -1;
	u.entry_number = (unsigned int)x;
	if (scn_kv_args(s, argc, argv, 3, keys, v))
		return -1;
	u.seg_32bit = 1;	/* the usual default of a caller */
	if (v[0] && scn_addr(s, "base", v[0], &x))
		return -1;
	u.base_addr = v[0] ? (unsigned int)x : 0;
	if (v[1] && scn_addr(s, "limit", v[1], &x))
		return -1;
	if (v[1] && x > 0xfffff)
		return scn_fail(s, "limit %#lx is over 20 bits", x);
	u.limit = v[1] ? (unsigned int)x : 0;
	if (v[3]) {
		static const char *const c[] = { "data", "stack", "code", "conforming" };
		unsigned int i;

		for (i = 0; i < 4 && strcmp(v[3], c[i]); i++)
			;
		if (i == 4)
			return scn_fail(s, "contents '%s': expected data, stack, code or conforming",
					v[3]);
		u.contents = i;
	}
#define BIT_ARG(k, field)							\
	do {									\
		if (v[k]) {							\
			if (scn_ulong(s, keys[k], v[k], 0, 1, &x))		\
				return -1;					\
			u.field = x;						\
		}								\
	} while (0)
	BIT_ARG(2, seg_32bit);
	BIT_ARG(4, read_exec_only);
	BIT_ARG(5, limit_in_pages);
	BIT_ARG(6, seg_not_present);
	BIT_ARG(7, useable);
#undef BIT_ARG
	ret = sys_modify_ldt(argv[1][5] ? 1 : 0x11, &u, sizeof(u));
	scn_print_pid(s);
	fprintf(s->out,
		"modify_ldt(%#x, {entry_number=%u, base_addr=%#x, limit=%#x, seg_32bit=%u, "
		"contents=%u, read_exec_only=%u, limit_in_pages=%u, seg_not_present=%u, "
		"useable=%u}, %zu)",
		argv[1][5] ? 1 : 0x11, u.entry_number, u.base_addr, u.limit, u.seg_32bit,
		u.contents, u.read_exec_only, u.limit_in_pages, u.seg_not_present, u.useable,
		sizeof(u));
	scn_print_ret(s, ret, false);
	return 0;
}

static void print_regs(struct scn *s, const struct seg_regs *r)
{
	char text[160];

	fprintf(s->out, "CPL %d, %s\n", seg_cpl(r),
		seg_x86_32() ? "protected mode" : r->r[SEG_CS].desc.l ? "64-bit mode"
									: "compatibility mode");
	for (int i = 0; i < SEG_NR; i++) {
		const struct seg_cache *c = &r->r[i];

		if (!c->usable) {
			fprintf(s->out, "  %s 0x%04x  null", seg_reg_name(i), c->sel);
			if ((i == SEG_FS || i == SEG_GS) && c->base)
				fprintf(s->out, " base %#lx", c->base);
			fputc('\n', s->out);
			continue;
		}
		desc_text(&c->desc, text, sizeof(text));
		fprintf(s->out, "  %s 0x%04x  %s\n", seg_reg_name(i), c->sel, text);
	}
}

static int seg_parse_reg(struct scn *s, const char *word)
{
	int reg = seg_reg_by_name(word);

	if (reg < 0)
		scn_fail(s, "'%s' is not a segment register (es, cs, ss, ds, fs, gs)", word);
	return reg;
}

static int seg_fault_print(struct scn *s, const struct seg_fault *f)
{
	return fprintf(s->out, "%s(%#lx)", vec_names[f->vector], f->error_code);
}

/* Print @f's line; in a user task, raise it (the signal of traps.c) and
 * say whether the task died of it. */
static void seg_fault_deliver(struct scn *s, const struct seg_fault *f, struct task_struct *t,
			      pid_t pid)
{
	seg_fault_print(s, f);
	fputc('\n', s->out);
	if (!t)
		return;
	get_task_struct(t);
	seg_raise(f);
	exit_to_user_mode();
	print_killed(s, pid, t);
	put_task_struct(t);
}

static int cmd_seg_load(struct scn *s, char **argv)
{
	struct task_struct *t = current;
	struct seg_fault f;
	unsigned long sel;
	int reg = seg_parse_reg(s, argv[2]);
	pid_t pid = t ? task_pid_nr(t) : 0;
	int ret;

	if (reg < 0 || scn_addr(s, "selector", argv[3], &sel))
		return -1;
	if (sel > 0xffff)
		return scn_fail(s, "selector %#lx is over 16 bits", sel);
	ret = load_seg(reg, (u16)sel, &f);
	scn_print_pid(s);
	if (reg == SEG_CS)
		fprintf(s->out, "ljmp $%#lx, $0: ", sel);
	else
		fprintf(s->out, "mov $%#lx, %%%s: ", sel, seg_reg_name(reg));
	if (!ret) {
		fprintf(s->out, "ok\n");
		return 0;
	}
	if (ret != -1)
		return scn_fail(s, "%s", strerror(-ret));
	seg_fault_deliver(s, &f, t, pid);
	return 0;
}

/* The page walk of @linear: the index at each level the arch has, the leaf. */
static void print_walk(struct scn *s, struct mm_struct *mm, unsigned long linear)
{
	unsigned long size;
	phys_addr_t pa;
	u64 leaf;

	if (pgtable_lookup(mm, linear, &pa, &size, &leaf))
		return;
	fprintf(s->out, "  page walk: pgd[%lu]", (unsigned long)pgd_index(linear));
	if (PTRS_PER_P4D > 1)
		fprintf(s->out, " p4d[%lu]", (unsigned long)p4d_index(linear));
	if (PTRS_PER_PUD > 1 && size < PUD_SIZE)
		fprintf(s->out, " pud[%lu]", (unsigned long)pud_index(linear));
	if (PTRS_PER_PMD > 1 && size < PMD_SIZE)
		fprintf(s->out, " pmd[%lu]", (unsigned long)pmd_index(linear));
	if (size == PAGE_SIZE)
		fprintf(s->out, " pte[%lu]", (unsigned long)pte_index(linear));
	fprintf(s->out, " = %#llx: %luK page at %#llx + %#lx\n", (unsigned long long)leaf,
		size >> 10, (unsigned long long)(pa & ~(phys_addr_t)(size - 1)), linear & (size - 1));
}

static int cmd_seg_access(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "byte", NULL };
	struct task_struct *t = current;
	unsigned long off, len = 1, linear, byte = 0;
	unsigned int acc;
	unsigned char buf[4096];
	const char *v[1], *mode;
	char *colon = strchr(argv[2], ':');
	struct seg_regs *r;
	struct seg_fault f;
	phys_addr_t pa;
	pid_t pid = t ? task_pid_nr(t) : 0;
	int reg, i = 3, ret;
	long lret;

	if (!colon)
		return scn_fail(s, "'%s': expected REG:OFFSET", argv[2]);
	*colon = 0;
	reg = seg_parse_reg(s, argv[2]);
	*colon = ':';
	if (reg < 0 || scn_addr(s, "offset", colon + 1, &off))
		return -1;
	if (argc > i + 1 && strchr("rwx", argv[i][0]) == NULL) {
		if (scn_addr(s, "length", argv[i], &len))
			return -1;
		i++;
	}
	if (argc <= i)
		return scn_fail(s, "missing r, w or x");
	mode = argv[i++];
	if (!strcmp(mode, "r"))
		acc = MMU_READ;
	else if (!strcmp(mode, "w"))
		acc = MMU_WRITE;
	else if (!strcmp(mode, "x"))
		acc = MMU_EXEC;
	else
		return scn_fail(s, "'%s': expected r, w or x", mode);
	if (scn_kv_args(s, argc, argv, i, keys, v))
		return -1;
	if (v[0] && scn_ulong(s, "byte", v[0], 0, 255, &byte))
		return -1;
	if (!len || len > sizeof(buf) || (acc == MMU_EXEC && len != 1))
		return scn_fail(s, "length %lu is out of range", len);
	r = seg_current_regs();
	if (!r)
		return scn_fail(s, "no segment registers (not x86)");
	scn_print_pid(s);
	fprintf(s->out, "%s:%#lx %s %lu: ", seg_reg_name(reg), off, mode, len);
	if (r->r[reg].usable && (seg_x86_32() || !r->r[SEG_CS].desc.l))
		fprintf(s->out, "%s 0x%04x base %#lx limit %#x -> ", seg_reg_name(reg),
			r->r[reg].sel, r->r[reg].base, r->r[reg].limit);
	else if (reg == SEG_FS || reg == SEG_GS)
		fprintf(s->out, "%s base %#lx -> ", seg_reg_name(reg), r->r[reg].base);
	ret = seg_translate(reg, off, len, acc, &linear, &f);
	if (ret == -1) {
		seg_fault_deliver(s, &f, t, pid);
		return 0;
	}
	if (ret)
		return scn_fail(s, "%s", strerror(-ret));
	fprintf(s->out, "linear %#lx -> ", linear);
	if (!t) {
		/* kernel mode: the translation only (no demand faults for the kernel) */
		if (mmu_translate(linear, acc, &pa, NULL))
			fprintf(s->out, "page fault\n");
		else
			fprintf(s->out, "physical %#llx\n", (unsigned long long)pa);
		return 0;
	}
	get_task_struct(t);
	memset(buf, (int)byte, len);
	lret = seg_user_access(reg, off, buf, len, acc);
	if (lret) {
		fprintf(s->out, "page fault\n");
		print_killed(s, pid, t);
	} else if (mmu_translate(linear, acc | MMU_USER, &pa, NULL)) {
		fprintf(s->out, "(unmapped again)\n");
	} else {
		fprintf(s->out, "physical %#llx\n", (unsigned long long)pa);
		print_walk(s, t->mm, linear);
	}
	put_task_struct(t);
	return 0;
}

static int cmd_seg(struct scn *s, int argc, char **argv)
{
	struct seg_regs *r;

	if (!x86_only(s))
		return -1;
	if (argc == 1) {
		r = seg_current_regs();
		if (!r)
			return scn_fail(s, "no memory for the GDT");
		scn_print_pid(s);
		print_regs(s, r);
		return 0;
	}
	if (!strcmp(argv[1], "load")) {
		if (argc != 4)
			return scn_fail(s, "usage: seg load REG SELECTOR");
		return cmd_seg_load(s, argv);
	}
	if (!strcmp(argv[1], "access")) {
		if (argc < 4)
			return scn_fail(s, "usage: seg access REG:OFFSET [LEN] r|w|x [byte=B]");
		return cmd_seg_access(s, argc, argv);
	}
	return scn_fail(s, "'%s': expected load or access", argv[1]);
}

static int cmd_arch_prctl(struct scn *s, int argc, char **argv)
{
	static const char *const names[] = { "set_gs", "set_fs", "get_fs", "get_gs" };
	unsigned long addr = 0;
	int opt;
	long ret;

	if (!x86_only(s) || !scn_running(s))
		return -1;
	for (opt = 0; opt < 4 && strcmp(argv[1], names[opt]); opt++)
		;
	if (opt == 4)
		return scn_fail(s, "'%s': expected set_fs, set_gs, get_fs or get_gs", argv[1]);
	if (opt < 2) {
		if (argc != 3 || scn_addr(s, "address", argv[2], &addr))
			return argc != 3 ? scn_fail(s, "usage: arch_prctl %s ADDR", argv[1]) : -1;
		ret = sys_arch_prctl(ARCH_SET_GS + opt, addr);
		scn_print_pid(s);
		fprintf(s->out, "arch_prctl(ARCH_%s, %#lx)", opt ? "SET_FS" : "SET_GS", addr);
		scn_print_ret(s, ret, false);
		return 0;
	}
	ret = sys_arch_prctl(ARCH_SET_GS + opt, (unsigned long)&addr);
	scn_print_pid(s);
	fprintf(s->out, "arch_prctl(ARCH_%s, [", opt == 2 ? "GET_FS" : "GET_GS");
	if (!ret)
		fprintf(s->out, "%#lx", addr);
	fprintf(s->out, "])");
	scn_print_ret(s, ret, false);
	return 0;
}

const struct scn_command scn_seg_commands[] = {
	{ "gdt", cmd_gdt, true, 1, 2, "gdt [CPU]", "the CPU's GDT (x86 segment descriptors)" },
	{ "ldt", cmd_ldt, true, 1, 1, "ldt", "current's LDT (modify_ldt func 0)" },
	{ "modify_ldt", cmd_modify_ldt, true, 2, 11,
	  "modify_ldt read|read_default|write|write_old ...",
	  "sys_modify_ldt: write ENTRY base= limit= seg_32bit= contents= ... (docs/segmentation.md)" },
	{ "seg", cmd_seg, true, 1, 7, "seg [load REG SEL | access REG:OFF [LEN] r|w|x]",
	  "segment registers; a load (#GP/#NP/#SS); logical -> linear -> physical" },
	{ "arch_prctl", cmd_arch_prctl, true, 2, 3, "arch_prctl set_fs|set_gs ADDR | get_fs|get_gs",
	  "sys_arch_prctl (x86_64 FS/GS base)" },
	{ 0 }
};
