/* SPDX-License-Identifier: GPL-2.0 */
/*
 * segment.h - x86 segmentation (arch/segment.c, arch/ldt.c; docs/
 * segmentation.md): the descriptor format (Linux's desc_defs.h), the GDT
 * layout and selectors of each x86 arch (Linux's segment.h), struct
 * user_desc and modify_ldt (Linux's uapi ldt.h), segment registers with
 * their hidden descriptor caches, the load and access checks of the SDM
 * (Vol. 3A ch. 5), and the #GP/#NP/#SS exceptions they raise.
 *
 * Segmentation sits in front of the MMU: a logical address SEG:OFFSET is
 * checked against the segment (type, limit; privilege was checked when the
 * selector was loaded) and becomes the linear address base + OFFSET, which
 * mmu_translate() (mmu.h) pages to a physical one.  The flat access path
 * (mmu_translate on a virtual = linear address) does not go through here:
 * Linux's segments are flat (base 0, limit 4G) so the common path pays
 * nothing; seg_translate() is the separate entry for segmented accesses.
 *
 * Only x86 machines (x86_64, x86_64-la57, i386, i386-pae) have
 * segmentation; on arm64 every entry below returns -EOPNOTSUPP (or -ENOSYS
 * for sys_modify_ldt, as on a Linux without CONFIG_MODIFY_LDT_SYSCALL).
 */
#ifndef MMSIM_SEGMENT_H
#define MMSIM_SEGMENT_H

#include <stdbool.h>
#include <stddef.h>
#include <mmsim/types.h>

/* Exception vectors (Linux's trapnr.h). */
#define X86_TRAP_NP		11	/* segment not present */
#define X86_TRAP_SS		12	/* stack segment */
#define X86_TRAP_GP		13	/* general protection */

/* Selector fields. */
#define SEGMENT_RPL_MASK	0x3
#define SEGMENT_TI_MASK		0x4
#define SEGMENT_LDT		0x4
#define SEGMENT_GDT		0x0
#define GDT_ENTRY_INVALID_SEG	0
#define USER_RPL		0x3
/* The selector of entry @idx in the LDT, with RPL 3 (Linux's ldt.h helper). */
#define LDT_SELECTOR(idx)	(((idx) << 3) | SEGMENT_LDT | USER_RPL)

/*
 * The 8-byte segment descriptor, bit for bit as the CPU reads it (Linux's
 * struct desc_struct): limit 19:0, base 31:0, type (code: 8 | conforming 4
 * | readable 2 | accessed 1; data: expand-down 4 | writable 2 | accessed
 * 1), S (1: code/data, 0: system), DPL, P, AVL, L (64-bit code), D/B,
 * G (limit in 4K units).
 */
struct desc_struct {
	u16 limit0;
	u16 base0;
	u16 base1 : 8, type : 4, s : 1, dpl : 2, p : 1;
	u16 limit1 : 4, avl : 1, l : 1, d : 1, g : 1, base2 : 8;
} __attribute__((packed));

/* The flags word of GDT_ENTRY_INIT (Linux's desc_defs.h): type | S << 4 |
 * DPL << 5 | P << 7 | AVL << 12 | L << 13 | D << 14 | G << 15. */
#define DESC_TYPE_ACCESSED	0x1
#define DESC_TYPE_RW		0x2	/* data: writable; code: readable */
#define DESC_TYPE_DC		0x4	/* data: expand-down; code: conforming */
#define DESC_TYPE_CODE		0x8

static inline struct desc_struct GDT_ENTRY_INIT(unsigned int flags, u32 base, u32 limit)
{
	struct desc_struct d = {
		.limit0 = limit & 0xffff, .base0 = base & 0xffff, .base1 = (base >> 16) & 0xff,
		.type = flags & 0xf, .s = (flags >> 4) & 1, .dpl = (flags >> 5) & 3,
		.p = (flags >> 7) & 1, .limit1 = (limit >> 16) & 0xf, .avl = (flags >> 12) & 1,
		.l = (flags >> 13) & 1, .d = (flags >> 14) & 1, .g = (flags >> 15) & 1,
		.base2 = (base >> 24) & 0xff,
	};
	return d;
}

static inline unsigned long get_desc_base(const struct desc_struct *d)
{
	return d->base0 | ((unsigned long)d->base1 << 16) | ((unsigned long)d->base2 << 24);
}
static inline unsigned long get_desc_limit(const struct desc_struct *d)
{
	return d->limit0 | ((unsigned long)d->limit1 << 16);
}
/* The limit in bytes, with G applied: the last valid offset (expand-up). */
static inline u32 desc_byte_limit(const struct desc_struct *d)
{
	u32 l = (u32)get_desc_limit(d);

	return d->g ? (l << 12) | 0xfff : l;
}
static inline u64 desc_raw(const struct desc_struct *d)
{
	u64 v;

	__builtin_memcpy(&v, d, sizeof(v));
	return v;
}

/*
 * GDT layouts (Linux's arch/x86/include/asm/segment.h).  The selector
 * macros depend on the machine's arch, so they read it at run time.
 */
#define GDT_ENTRY_KERNEL32_CS_64	1
#define GDT_ENTRY_KERNEL_CS_64		2
#define GDT_ENTRY_KERNEL_DS_64		3
#define GDT_ENTRY_DEFAULT_USER32_CS_64	4
#define GDT_ENTRY_DEFAULT_USER_DS_64	5
#define GDT_ENTRY_DEFAULT_USER_CS_64	6
#define GDT_ENTRY_TSS_64		8	/* 16 bytes: 8 and 9 */
#define GDT_ENTRY_LDT_64		10	/* 16 bytes: 10 and 11 */
#define GDT_ENTRY_TLS_MIN_64		12
#define GDT_ENTRY_CPUNODE_64		15
#define GDT_ENTRIES_64			16

#define GDT_ENTRY_TLS_MIN_32		6
#define GDT_ENTRY_KERNEL_CS_32		12
#define GDT_ENTRY_KERNEL_DS_32		13
#define GDT_ENTRY_DEFAULT_USER_CS_32	14
#define GDT_ENTRY_DEFAULT_USER_DS_32	15
#define GDT_ENTRY_TSS_32		16
#define GDT_ENTRY_LDT_32		17
#define GDT_ENTRY_ESPFIX_SS_32		26
#define GDT_ENTRY_PERCPU_32		27
#define GDT_ENTRY_CPUNODE_32		28
#define GDT_ENTRY_DOUBLEFAULT_TSS_32	31
#define GDT_ENTRIES_32			32

#define GDT_ENTRY_TLS_ENTRIES		3
#define GDT_ENTRIES_MAX			32

/* true on i386 / i386-pae, false on x86_64 (and arm64). */
bool seg_x86_32(void);
#define __KERNEL32_CS	0x08		/* x86_64 only */
#define __KERNEL_CS	(seg_x86_32() ? 0x60 : 0x10)
#define __KERNEL_DS	(seg_x86_32() ? 0x68 : 0x18)
#define __USER32_CS	0x23		/* x86_64 only */
#define __USER32_DS	__USER_DS
#define __USER_DS	(seg_x86_32() ? 0x7b : 0x2b)
#define __USER_CS	(seg_x86_32() ? 0x73 : 0x33)
#define __ESPFIX_SS	0xd0		/* i386 only */
#define __KERNEL_PERCPU	0xd8		/* i386 only */
#define __CPUNODE_SEG	(seg_x86_32() ? 0xe3 : 0x7b)
#define GDT_ENTRIES	(seg_x86_32() ? GDT_ENTRIES_32 : GDT_ENTRIES_64)

/* modify_ldt (Linux's uapi/asm/ldt.h). */
#define LDT_ENTRIES	8192
#define LDT_ENTRY_SIZE	8
#define MODIFY_LDT_CONTENTS_DATA	0
#define MODIFY_LDT_CONTENTS_STACK	1
#define MODIFY_LDT_CONTENTS_CODE	2

struct user_desc {
	unsigned int entry_number;
	unsigned int base_addr;
	unsigned int limit;
	unsigned int seg_32bit : 1;
	unsigned int contents : 2;
	unsigned int read_exec_only : 1;
	unsigned int limit_in_pages : 1;
	unsigned int seg_not_present : 1;
	unsigned int useable : 1;
	unsigned int lm : 1;		/* x86_64 only; ignored (never set) */
};

/* A process's LDT (Linux's ldt_struct, mm->context.ldt): nr_entries
 * descriptors in a zeroed page, or vmalloc'd when more than a page. */
struct ldt_struct {
	struct desc_struct *entries;
	unsigned int nr_entries;
};

/* The segment registers, in the CPU's sreg encoding order. */
enum seg_reg { SEG_ES, SEG_CS, SEG_SS, SEG_DS, SEG_FS, SEG_GS, SEG_NR };

/* One segment register: the visible selector and the hidden part the CPU
 * loaded from the descriptor (used by every access until the next load). */
struct seg_cache {
	u16 sel;			/* the selector as loaded (RPL included) */
	bool usable;			/* false after a null selector was loaded */
	struct desc_struct desc;	/* the descriptor as loaded */
	unsigned long base;		/* linear base (64-bit FS/GS: the full base) */
	u32 limit;			/* last valid offset (G applied) */
};

/* A CPU's (or a task's saved) segment registers.  CPL is CS's RPL. */
struct seg_regs {
	bool init;			/* false: not set yet (a task's: Linux's start state) */
	struct seg_cache r[SEG_NR];
};

/* A segmentation exception: vector and the error code the CPU pushes
 * (selector index | TI, EXT 0; 0 for limit and type faults). */
struct seg_fault {
	int vector;			/* X86_TRAP_GP, X86_TRAP_NP, X86_TRAP_SS */
	unsigned long error_code;
};

/* The descriptor tables a load looks the selector up in, and the mode. */
struct seg_tables {
	struct desc_struct *gdt;
	unsigned int gdt_entries;
	struct desc_struct *ldt;	/* NULL: no LDT (a TI=1 selector faults) */
	unsigned int ldt_entries;
	bool long_mode;			/* IA-32e: 64-bit code (CS.L) at the load */
};

const char *seg_reg_name(int reg);		/* "es", "cs", ... */
int seg_reg_by_name(const char *name);		/* SEG_* or -1 */
static inline int seg_cpl(const struct seg_regs *r) { return r->r[SEG_CS].sel & 3; }

/*
 * __load_seg - the checks of MOV/POP to a segment register (CS: a far
 * JMP) at @cpl against @t, and on success the load into @r.  Sets the
 * descriptor's accessed bit in the table, as the CPU does.
 * Return: 0, or -1 with @f set (#GP(0) for a null CS or SS, #GP(selector)
 * for a bad index, type or privilege, #NP(selector), #SS(selector)).
 */
int __load_seg(struct seg_regs *r, int reg, u16 sel, int cpl, const struct seg_tables *t,
	       struct seg_fault *f);
/*
 * __seg_check_access - the access checks of @size bytes at @off through
 * @reg of @r: in 64-bit mode (@long64) only FS/GS add their base, and the
 * linear address must be canonical for @va_bits; otherwise type (write to
 * code or read-only data, read of execute-only code), usability and limit
 * (expand-down too), base added modulo 4G.  @access: MMU_READ/WRITE/EXEC.
 * Return: 0 and *@linear, or -1 with @f (#GP(0), or #SS(0) through SS).
 */
int __seg_check_access(const struct seg_regs *r, int reg, unsigned long off, unsigned long size,
		       unsigned int access, bool long64, unsigned int va_bits,
		       unsigned long *linear, struct seg_fault *f);

/* The current CPU's segment state: current's registers (set to Linux's
 * user-mode start state at first use), or, with no task, the CPU's kernel
 * registers (__KERNEL_CS/__KERNEL_DS).  NULL on arm64. */
struct seg_regs *seg_current_regs(void);
/* The CPU's GDT (Linux's get_cpu_gdt_rw): a zeroed page of simulated
 * memory filled as Linux's gdt_page, allocated at the first use on the
 * machine (so boot's memory accounting is unchanged); NULL on arm64 or
 * without memory.  *@kva: its simulated kernel address. */
struct desc_struct *get_cpu_gdt_rw(int cpu, unsigned long *kva);
/* load_seg / seg_translate: the above on the current CPU and task.
 * 0, -1 with @f, or -EOPNOTSUPP (not x86). */
int load_seg(int reg, u16 sel, struct seg_fault *f);
int seg_translate(int reg, unsigned long off, unsigned long size, unsigned int access,
		  unsigned long *linear, struct seg_fault *f);
/* The exception entry (Linux's exc_general_protection, exc_segment_not_present,
 * exc_stack_segment): in user mode (CPL 3) log and send SIGSEGV (#GP) or
 * SIGBUS (#NP, #SS) to current; in kernel mode nothing (the exception-
 * table fixup of the faulting kernel instruction).  Returns -EFAULT. */
int seg_raise(const struct seg_fault *f);
/*
 * A user program's segment load / access, as mmsim_user_read & co. are its
 * flat ones: on a fault the exception is raised and current dies of the
 * signal (exit_to_user_mode) before this returns -EFAULT; otherwise the
 * access goes to mmsim_user_read/write/exec at the linear address
 * (page faults as there).  Return what those return, 0 for a load.
 */
long seg_user_load(int reg, u16 sel);
long seg_user_access(int reg, unsigned long off, void *buf, size_t len, unsigned int access);

/* arch_prctl(2) codes of FS/GS bases (x86_64). */
#define ARCH_SET_GS	0x1001
#define ARCH_SET_FS	0x1002
#define ARCH_GET_FS	0x1003
#define ARCH_GET_GS	0x1004

struct mm_struct;
/* arch/ldt.c: fork copies the LDT (Linux's ldt_dup_context), the last
 * mmdrop frees it (destroy_context_ldt).  0 or -ENOMEM. */
int ldt_dup_context(struct mm_struct *old_mm, struct mm_struct *mm);
void destroy_context_ldt(struct mm_struct *mm);

#endif
