// SPDX-License-Identifier: GPL-2.0
/*
 * arch/pgtable_geom.c - the page-table geometry of every simulated arch:
 * levels, shifts and entries per table, which levels are folded, which can
 * hold a leaf, the entry bits (x86 _PAGE_*, arm64 PTE_*) and the protection
 * map, and arm64's contiguous-hint spans (CONT_PTE_SHIFT, CONT_PMD_SHIFT of
 * asm/pgtable-hwdef.h).  One table of seven geometries (x86_64, la57, i386, i386-pae, arm64
 * 4K/16K/64K), indexed by arch * 3 + granule; pgt_geom() picks the
 * machine's.  The values are the architectures' own (asm/pgtable*_types.h).
 *
 * Invariants: for every geometry, shift[PGT_PTE] == page_shift, the hw[]
 * levels are the unfolded ones in order, and ptrs[lvl] == 1 << (shift of
 * the level above - shift[lvl]) for every unfolded level.
 *
 * Constant data: no state, no locking.
 */
#include "arch/pgtable.h"

/* ---------------------------------------------------------------------
 * Geometries
 */

#define X86_PROTS(nx) {							\
	[PROT_I_NONE] = _PAGE_PROTNONE | _PAGE_ACCESSED,			\
	[PROT_I_SHARED] = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | (nx), \
	[PROT_I_SHARED_EXEC] = _PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED, \
	[PROT_I_COPY] = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | (nx),	\
	[PROT_I_COPY_EXEC] = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED,	\
	[PROT_I_READONLY] = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | (nx), \
	[PROT_I_READONLY_EXEC] = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED, \
	[PROT_I_KERNEL] = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | (nx) | \
			  _PAGE_GLOBAL,						\
	[PROT_I_KERNEL_RO] = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | (nx) | _PAGE_GLOBAL, \
	[PROT_I_KERNEL_EXEC] = _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY | \
			       _PAGE_GLOBAL,					\
	[PROT_I_KERNEL_ROX] = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_GLOBAL, \
}

#define X86_BITS(nx)							\
	.b_present = _PAGE_PRESENT, .b_protnone = _PAGE_PROTNONE,	\
	.b_write = _PAGE_RW, .b_user = _PAGE_USER, .b_young = _PAGE_ACCESSED, \
	.b_dirty = _PAGE_DIRTY, .b_nx = (nx),				\
	.kern_table = _KERNPG_TABLE, .user_table = _PAGE_TABLE,		\
	.top_table = _PAGE_PRESENT, .prot = X86_PROTS(nx)

#define ARM64_DEF	(PTE_TYPE_PAGE | PTE_AF | PTE_SHARED | PTE_ATTRINDX(MT_NORMAL))
#define ARM64_USER	(ARM64_DEF | PTE_USER | PTE_RDONLY | PTE_NG | PTE_PXN)

#define ARM64_BITS							\
	.arm64 = 1, .b_cont = PTE_CONT,					\
	.b_present = PTE_VALID, .b_protnone = PTE_PROT_NONE,		\
	.b_write = PTE_WRITE, .b_user = PTE_USER, .b_young = PTE_AF,	\
	.b_dirty = PTE_DIRTY, .b_nx = PTE_UXN,				\
	.kern_table = PMD_TYPE_TABLE | PMD_TABLE_UXN,			\
	.user_table = PMD_TYPE_TABLE | PMD_TABLE_PXN,			\
	.top_table = PMD_TYPE_TABLE,					\
	.prot = {							\
		[PROT_I_NONE] = (ARM64_DEF & ~PTE_VALID) | PTE_PROT_NONE | PTE_RDONLY | \
				PTE_NG | PTE_PXN | PTE_UXN,		\
		[PROT_I_SHARED] = ARM64_USER | PTE_UXN | PTE_WRITE,	\
		[PROT_I_SHARED_EXEC] = ARM64_USER | PTE_WRITE,		\
		[PROT_I_COPY] = ARM64_USER | PTE_UXN,			\
		[PROT_I_COPY_EXEC] = ARM64_USER,			\
		[PROT_I_READONLY] = ARM64_USER | PTE_UXN,		\
		[PROT_I_READONLY_EXEC] = ARM64_USER,			\
		[PROT_I_KERNEL] = ARM64_DEF | PTE_PXN | PTE_UXN | PTE_WRITE, \
		[PROT_I_KERNEL_RO] = ARM64_DEF | PTE_PXN | PTE_UXN | PTE_RDONLY, \
		[PROT_I_KERNEL_EXEC] = ARM64_DEF | PTE_UXN | PTE_WRITE,	\
		[PROT_I_KERNEL_ROX] = ARM64_DEF | PTE_UXN | PTE_RDONLY,	\
	}

#define HW(s, l, c, p)	{ .shift = (s), .lvl = (l), .leaf_class = (c), .ptrs = (p) }

const struct pgtable_geom pgtable_geoms[5 * 3] = {
	[ARCH_X86_64 * 3] = {
		.name = "x86_64", .levels = 4, .entry_shift = 3, .va_bits = 48, .page_shift = 12,
		.shift = { 39, 39, 30, 21, 12 }, .folded = { 0, 1, 0, 0, 0 },
		.ptrs = { 512, 1, 512, 512, 512 }, .nr_hw = 4,
		.hw = { HW(39, PGT_PGD, 3, 512), HW(30, PGT_PUD, 2, 512),
			HW(21, PGT_PMD, 1, 512), HW(12, PGT_PTE, 0, 512) },
		.pmd_leaf = true, .pud_leaf = true, .phys_mask = 0x000ffffffffff000ULL,
		.task_size = 0x00007ffffffff000UL, .kernel_base = 0xffff800000000000UL,
		X86_BITS(_PAGE_NX),
	},
	[ARCH_X86_64_LA57 * 3] = {
		.name = "x86_64-la57", .levels = 5, .entry_shift = 3, .va_bits = 57,
		.page_shift = 12, .shift = { 48, 39, 30, 21, 12 }, .folded = { 0 },
		.ptrs = { 512, 512, 512, 512, 512 }, .nr_hw = 5,
		.hw = { HW(48, PGT_PGD, 3, 512), HW(39, PGT_P4D, 3, 512), HW(30, PGT_PUD, 2, 512),
			HW(21, PGT_PMD, 1, 512), HW(12, PGT_PTE, 0, 512) },
		.pmd_leaf = true, .pud_leaf = true, .phys_mask = 0x000ffffffffff000ULL,
		.task_size = 0x00fffffffffff000UL, .kernel_base = 0xff00000000000000UL,
		X86_BITS(_PAGE_NX),
	},
	[ARCH_I386 * 3] = {
		.name = "i386", .levels = 2, .entry_shift = 2, .va_bits = 32, .page_shift = 12,
		.shift = { 22, 22, 22, 22, 12 }, .folded = { 0, 1, 1, 1, 0 },
		.ptrs = { 1024, 1, 1, 1, 1024 }, .nr_hw = 2,
		.hw = { HW(22, PGT_PMD, 1, 1024), HW(12, PGT_PTE, 0, 1024) },
		.pmd_leaf = true, .phys_mask = 0xfffff000ULL,
		.task_size = 0xc0000000UL, .kernel_base = 0xc0000000UL,
		X86_BITS(0),
	},
	[ARCH_I386_PAE * 3] = {
		.name = "i386-pae", .levels = 3, .entry_shift = 3, .va_bits = 32, .page_shift = 12,
		.shift = { 30, 30, 30, 21, 12 }, .folded = { 0, 1, 1, 0, 0 },
		.ptrs = { 4, 1, 1, 512, 512 }, .nr_hw = 3,
		.hw = { { .shift = 30, .lvl = PGT_PUD, .leaf_class = 3, .pdpte = 1, .ptrs = 4 },
			HW(21, PGT_PMD, 1, 512), HW(12, PGT_PTE, 0, 512) },
		.pmd_leaf = true, .phys_mask = 0x000ffffffffff000ULL,
		.task_size = 0xc0000000UL, .kernel_base = 0xc0000000UL,
		X86_BITS(_PAGE_NX),
	},
	[ARCH_ARM64 * 3 + 0] = {
		.name = "arm64-4k", .levels = 4, .entry_shift = 3, .va_bits = 48, .page_shift = 12,
		.shift = { 39, 39, 30, 21, 12 }, .folded = { 0, 1, 0, 0, 0 },
		.ptrs = { 512, 1, 512, 512, 512 }, .nr_hw = 4,
		.hw = { HW(39, PGT_PGD, 3, 512), HW(30, PGT_PUD, 2, 512),
			HW(21, PGT_PMD, 1, 512), HW(12, PGT_PTE, 0, 512) },
		.pmd_leaf = true, .pud_leaf = true, .phys_mask = 0x0000fffffffff000ULL,
		.cont_pte_shift = 16, .cont_pmd_shift = 25,	/* 16 x 4K, 16 x 2M */
		.task_size = 1UL << 48, .kernel_base = 0xffff000000000000UL,
		ARM64_BITS,
	},
	[ARCH_ARM64 * 3 + 1] = {
		.name = "arm64-16k", .levels = 4, .entry_shift = 3, .va_bits = 48, .page_shift = 14,
		.shift = { 47, 47, 36, 25, 14 }, .folded = { 0, 1, 0, 0, 0 },
		.ptrs = { 2, 1, 2048, 2048, 2048 }, .nr_hw = 4,
		.hw = { HW(47, PGT_PGD, 3, 2), HW(36, PGT_PUD, 3, 2048),
			HW(25, PGT_PMD, 1, 2048), HW(14, PGT_PTE, 0, 2048) },
		.pmd_leaf = true, .phys_mask = 0x0000ffffffffc000ULL,
		.cont_pte_shift = 21, .cont_pmd_shift = 30,	/* 128 x 16K, 32 x 32M */
		.task_size = 1UL << 48, .kernel_base = 0xffff000000000000UL,
		ARM64_BITS,
	},
	[ARCH_ARM64 * 3 + 2] = {
		.name = "arm64-64k", .levels = 3, .entry_shift = 3, .va_bits = 48, .page_shift = 16,
		.shift = { 42, 42, 42, 29, 16 }, .folded = { 0, 1, 1, 0, 0 },
		.ptrs = { 64, 1, 1, 8192, 8192 }, .nr_hw = 3,
		.hw = { HW(42, PGT_PGD, 3, 64), HW(29, PGT_PMD, 1, 8192),
			HW(16, PGT_PTE, 0, 8192) },
		.pmd_leaf = true, .phys_mask = 0x0000ffffffff0000ULL,
		.cont_pte_shift = 21, .cont_pmd_shift = 34,	/* 32 x 64K, 32 x 512M */
		.task_size = 1UL << 48, .kernel_base = 0xffff000000000000UL,
		ARM64_BITS,
	},
};
