// SPDX-License-Identifier: GPL-2.0
/*
 * mm/pgtable.c - page tables in simulated RAM: the seven geometries, table
 * allocation and population (pte_alloc & co.), free_pgd_range(), the
 * kernel page table (paging_init: the direct map and the preallocated
 * kernel tables) and the host <-> simulated kernel address windows.
 *
 * Tables are zeroed order-0 pages.  Those of the direct map are built by
 * paging_init() before the buddy allocator exists and come from memblock,
 * like Linux's early page tables (they stay PageReserved); every later
 * table comes from the buddy allocator.  User tables
 * (those of any mm but init_mm) are PageTable, counted in the node's
 * NR_PAGETABLE and in mm->pgtables_bytes; kernel tables are counted in
 * mmu->kernel_pt_pages only (Linux counts neither the boot tables nor
 * pte_alloc_one_kernel ones).  A table is published with a release store
 * of the parent entry after it was zeroed, so a concurrent walker that
 * reads the entry with acquire sees zeroes.
 *
 * Locking: mm->page_table_lock serializes populating an empty entry (the
 * allocation happens outside it; the loser frees its table).
 *
 * Invariants:
 *   - after paging_init, the top-level entries of swapper_pg_dir at and
 *     above pgd_index(kernel_base) never change on x86 (every one that
 *     covers a kernel window points at a preallocated table), so the copy
 *     each user pgd takes at pgd_alloc stays valid;
 *   - sum over classes of dm_pages[c] << class_shift(c) == bytes of RAM in
 *     the direct map; a walk from pgd_offset_k(phys_to_kva(pa)) ends at pa.
 *
 * Simplifications: the direct map is mapped with blocks on arm64 too (as
 * with rodata=on, not rodata=full); PGDs are a whole page even where Linux
 * uses a smaller slab object (PAE, arm64 16K/64K); PAE does not preallocate
 * the user PMDs at pgd_alloc.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch/pgtable.h"
#include "mm/internal.h"

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
	.arm64 = 1, .b_present = PTE_VALID, .b_protnone = PTE_PROT_NONE,	\
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
		.task_size = 1UL << 48, .kernel_base = 0xffff000000000000UL,
		ARM64_BITS,
	},
};

/* ---------------------------------------------------------------------
 * Table pages
 */

/* Before the buddy allocator is up, the kernel's tables come from memblock. */
static void *pgtable_alloc_early(struct mm_struct *mm)
{
	void *table;

	if (WARN_ON(!mm->is_init_mm))
		return NULL;
	table = memblock_alloc(PAGE_SIZE, PAGE_SIZE);
	if (table)
		atomic_fetch_add_explicit(&mm->machine->mmu->kernel_pt_pages, 1,
					  memory_order_relaxed);
	return table;
}

void *pgtable_alloc_table(struct mm_struct *mm, int lvl)
{
	struct page *page;

	(void)lvl;
	if (unlikely(!mm->machine->buddy_up))
		return pgtable_alloc_early(mm);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN, 0);
	if (!page)
		return NULL;
	if (mm->is_init_mm) {
		atomic_fetch_add_explicit(&mm->machine->mmu->kernel_pt_pages, 1,
					  memory_order_relaxed);
	} else {
		__SetPageTable(page);
		mod_node_page_state(page_pgdat(page), NR_PAGETABLE, 1);
		atomic_long_add((long)PAGE_SIZE, &mm->pgtables_bytes);
	}
	return page_address(page);
}

void pgtable_free_table(struct mm_struct *mm, void *table, int lvl)
{
	struct page *page = virt_to_page(table);

	(void)lvl;
	if (mm->is_init_mm) {
		atomic_fetch_sub_explicit(&mm->machine->mmu->kernel_pt_pages, 1,
					  memory_order_relaxed);
	} else {
		__ClearPageTable(page);
		mod_node_page_state(page_pgdat(page), NR_PAGETABLE, -1);
		atomic_long_add(-(long)PAGE_SIZE, &mm->pgtables_bytes);
	}
	if (PageReserved(page))
		free_reserved_page(page);	/* an early (memblock) table */
	else
		__free_pages(page, 0);
}

pte_t *walk_to_pte_alloc(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d = p4d_alloc(mm, pgd, addr);
	pud_t *pud = p4d ? pud_alloc(mm, p4d, addr) : NULL;
	pmd_t *pmd = pud ? pmd_alloc(mm, pud, addr) : NULL;

	return pmd ? pte_alloc_map(mm, pmd, addr) : NULL;
}

pte_t *pte_alloc_one_kernel(struct mm_struct *mm)
{
	return pgtable_alloc_table(mm, PGT_PTE);
}

pgtable_t pte_alloc_one(struct mm_struct *mm)
{
	void *t = pgtable_alloc_table(mm, PGT_PTE);

	return t ? virt_to_page(t) : NULL;
}

void pte_free_kernel(struct mm_struct *mm, pte_t *pte)
{
	pgtable_free_table(mm, pte, PGT_PTE);
}

void pte_free(struct mm_struct *mm, pgtable_t pte)
{
	pgtable_free_table(mm, page_address(pte), PGT_PTE);
}

pmd_t *pmd_alloc_one(struct mm_struct *mm, unsigned long addr)
{
	(void)addr;
	return pgtable_alloc_table(mm, PGT_PMD);
}

void pmd_free(struct mm_struct *mm, pmd_t *pmd)
{
	pgtable_free_table(mm, pmd, PGT_PMD);
}

pud_t *pud_alloc_one(struct mm_struct *mm, unsigned long addr)
{
	(void)addr;
	return pgtable_alloc_table(mm, PGT_PUD);
}

void pud_free(struct mm_struct *mm, pud_t *pud)
{
	pgtable_free_table(mm, pud, PGT_PUD);
}

p4d_t *p4d_alloc_one(struct mm_struct *mm, unsigned long addr)
{
	(void)addr;
	return pgtable_alloc_table(mm, PGT_P4D);
}

void p4d_free(struct mm_struct *mm, p4d_t *p4d)
{
	pgtable_free_table(mm, p4d, PGT_P4D);
}

/* ---------------------------------------------------------------------
 * Populating entries
 */

static u64 table_bits(struct mm_struct *mm)
{
	const struct pgtable_geom *g = pgt_geom();

	return mm->is_init_mm ? g->kern_table : g->user_table;
}

void pmd_populate_kernel(struct mm_struct *mm, pmd_t *pmd, pte_t *pte)
{
	set_pmd(pmd, __pmd(__pa(pte) | table_bits(mm)));
}

void pmd_populate(struct mm_struct *mm, pmd_t *pmd, pgtable_t pte)
{
	set_pmd(pmd, __pmd(page_to_phys(pte) | table_bits(mm)));
}

void pud_populate(struct mm_struct *mm, pud_t *pud, pmd_t *pmd)
{
	const struct pgtable_geom *g = pgt_geom();
	/* i386-pae: the pud is the PDPTE, which has no A/RW/US bits. */
	u64 bits = g->hw[0].pdpte ? g->top_table : table_bits(mm);

	set_pud(pud, __pud(__pa(pmd) | bits));
}

void p4d_populate(struct mm_struct *mm, p4d_t *p4d, pud_t *pud)
{
	set_p4d(p4d, __p4d(__pa(pud) | table_bits(mm)));
}

void pgd_populate(struct mm_struct *mm, pgd_t *pgd, p4d_t *p4d)
{
	set_pgd(pgd, __pgd(__pa(p4d) | table_bits(mm)));
}

int __pte_alloc(struct mm_struct *mm, pmd_t *pmd)
{
	void *new = pgtable_alloc_table(mm, PGT_PTE);

	if (!new)
		return -ENOMEM;
	spin_lock(&mm->page_table_lock);
	if (pmd_none(pmdp_get(pmd))) {
		pmd_populate_kernel(mm, pmd, new);
		new = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	if (new)
		pgtable_free_table(mm, new, PGT_PTE);
	return 0;
}

int __pte_alloc_kernel(pmd_t *pmd)
{
	return __pte_alloc(&init_mm, pmd);
}

int __pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long address)
{
	void *new = pgtable_alloc_table(mm, PGT_PMD);

	(void)address;
	if (!new)
		return -ENOMEM;
	spin_lock(&mm->page_table_lock);
	if (pud_none(pudp_get(pud))) {
		pud_populate(mm, pud, new);
		new = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	if (new)
		pgtable_free_table(mm, new, PGT_PMD);
	return 0;
}

int __pud_alloc(struct mm_struct *mm, p4d_t *p4d, unsigned long address)
{
	void *new = pgtable_alloc_table(mm, PGT_PUD);

	(void)address;
	if (!new)
		return -ENOMEM;
	spin_lock(&mm->page_table_lock);
	if (p4d_none(p4dp_get(p4d))) {
		p4d_populate(mm, p4d, new);
		new = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	if (new)
		pgtable_free_table(mm, new, PGT_PUD);
	return 0;
}

int __p4d_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long address)
{
	void *new = pgtable_alloc_table(mm, PGT_P4D);

	(void)address;
	if (!new)
		return -ENOMEM;
	spin_lock(&mm->page_table_lock);
	if (pgd_none(pgdp_get(pgd))) {
		pgd_populate(mm, pgd, new);
		new = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	if (new)
		pgtable_free_table(mm, new, PGT_P4D);
	return 0;
}

/* ---------------------------------------------------------------------
 * mm/pgtable-generic.c: bad entries
 */

static void pgtable_report_bad(const char *what, u64 v)
{
	pr_err("mmsim: bad %s %016llx\n", what, (unsigned long long)v);
}

bool pgd_none_or_clear_bad(pgd_t *pgd)
{
	pgd_t e = pgdp_get(pgd);

	if (pgd_none(e))
		return true;
	if (unlikely(pgd_bad(e))) {
		pgtable_report_bad("pgd", pgd_val(e));
		pgd_clear(pgd);
		return true;
	}
	return false;
}

bool p4d_none_or_clear_bad(p4d_t *p4d)
{
	p4d_t e = p4dp_get(p4d);

	if (p4d_none(e))
		return true;
	if (unlikely(p4d_bad(e))) {
		pgtable_report_bad("p4d", p4d_val(e));
		p4d_clear(p4d);
		return true;
	}
	return false;
}

bool pud_none_or_clear_bad(pud_t *pud)
{
	pud_t e = pudp_get(pud);

	if (pud_none(e))
		return true;
	if (unlikely(pud_bad(e))) {
		pgtable_report_bad("pud", pud_val(e));
		pud_clear(pud);
		return true;
	}
	return false;
}

bool pmd_none_or_clear_bad(pmd_t *pmd)
{
	pmd_t e = pmdp_get(pmd);

	if (pmd_none(e))
		return true;
	if (unlikely(pmd_bad(e))) {
		pgtable_report_bad("pmd", pmd_val(e));
		pmd_clear(pmd);
		return true;
	}
	return false;
}

/* ---------------------------------------------------------------------
 * free_pgd_range (mm/memory.c), level by level with Linux's bounds rule
 */

static void free_pte_range(struct mmu_gather *tlb, pmd_t *pmd, unsigned long addr)
{
	void *table = __pt_table(pmd_val(pmdp_get(pmd)));

	pmd_clear(pmd);
	pte_free_tlb(tlb, table, addr);
}

/* May the table covering [start & ~(size-1), +size) go, given the bounds? */
static bool table_within(unsigned long start, unsigned long end, unsigned long floor,
			 unsigned long ceiling, unsigned long mask)
{
	start &= mask;
	if (start < floor)
		return false;
	if (ceiling) {
		ceiling &= mask;
		if (!ceiling)
			return false;
	}
	return !(end - 1 > ceiling - 1);
}

static void free_pmd_range(struct mmu_gather *tlb, pud_t *pud, unsigned long addr,
			   unsigned long end, unsigned long floor, unsigned long ceiling)
{
	unsigned long start = addr, next;
	pmd_t *pmd = pmd_offset(pud, addr);

	do {
		next = pmd_addr_end(addr, end);
		if (!pmd_none_or_clear_bad(pmd))
			free_pte_range(tlb, pmd, addr);
	} while (pmd = pmd_next(pmd), addr = next, addr != end);
	if (!table_within(start, end, floor, ceiling, PUD_MASK))
		return;
	pmd = pmd_offset(pud, start & PUD_MASK);
	pud_clear(pud);
	pmd_free_tlb(tlb, pmd, start);
}

static void free_pud_range(struct mmu_gather *tlb, p4d_t *p4d, unsigned long addr,
			   unsigned long end, unsigned long floor, unsigned long ceiling)
{
	unsigned long start = addr, next;
	pud_t *pud = pud_offset(p4d, addr);

	do {
		next = pud_addr_end(addr, end);
		if (!pud_none_or_clear_bad(pud))
			free_pmd_range(tlb, pud, addr, next, floor, ceiling);
	} while (pud = pud_next(pud), addr = next, addr != end);
	if (!table_within(start, end, floor, ceiling, P4D_MASK))
		return;
	pud = pud_offset(p4d, start & P4D_MASK);
	p4d_clear(p4d);
	pud_free_tlb(tlb, pud, start);
}

static void free_p4d_range(struct mmu_gather *tlb, pgd_t *pgd, unsigned long addr,
			   unsigned long end, unsigned long floor, unsigned long ceiling)
{
	unsigned long start = addr, next;
	p4d_t *p4d = p4d_offset(pgd, addr);

	do {
		next = p4d_addr_end(addr, end);
		if (!p4d_none_or_clear_bad(p4d))
			free_pud_range(tlb, p4d, addr, next, floor, ceiling);
	} while (p4d = p4d_next(p4d), addr = next, addr != end);
	if (!table_within(start, end, floor, ceiling, PGDIR_MASK))
		return;
	p4d = p4d_offset(pgd, start & PGDIR_MASK);
	pgd_clear(pgd);
	p4d_free_tlb(tlb, p4d, start);
}

void free_pgd_range(struct mmu_gather *tlb, unsigned long addr, unsigned long end,
		    unsigned long floor, unsigned long ceiling)
{
	unsigned long next;
	pgd_t *pgd;

	addr &= PMD_MASK;
	if (addr < floor) {
		addr += PMD_SIZE;
		if (!addr)
			return;
	}
	if (ceiling) {
		ceiling &= PMD_MASK;
		if (!ceiling)
			return;
	}
	if (end - 1 > ceiling - 1)
		end -= PMD_SIZE;
	if (addr > end - 1)
		return;
	pgd = pgd_offset(tlb->mm, addr);
	do {
		next = pgd_addr_end(addr, end);
		if (!pgd_none_or_clear_bad(pgd))
			free_p4d_range(tlb, pgd, addr, next, floor, ceiling);
	} while (pgd = pgd_next(pgd), addr = next, addr != end);
}

/* ---------------------------------------------------------------------
 * Software walk
 */

int pgtable_lookup(struct mm_struct *mm, unsigned long addr, phys_addr_t *pa,
		   unsigned long *size, u64 *leaf)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t pte;

	if (pgd_none(pgdp_get(pgd)) || !pgd_present(pgdp_get(pgd)))
		return -EFAULT;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(p4dp_get(p4d)) || !p4d_present(p4dp_get(p4d)))
		return -EFAULT;
	pud = pud_offset(p4d, addr);
	if (pud_none(pudp_get(pud)) || !pud_present(pudp_get(pud)))
		return -EFAULT;
	if (pud_leaf(pudp_get(pud))) {
		*size = PUD_SIZE;
		*leaf = pud_val(pudp_get(pud));
		*pa = PFN_PHYS(pud_leaf_pfn(pudp_get(pud))) + (addr & ~PUD_MASK);
		return 0;
	}
	pmd = pmd_offset(pud, addr);
	if (pmd_none(pmdp_get(pmd)) || !pmd_present(pmdp_get(pmd)))
		return -EFAULT;
	if (pmd_leaf(pmdp_get(pmd))) {
		*size = PMD_SIZE;
		*leaf = pmd_val(pmdp_get(pmd));
		*pa = PFN_PHYS(pmd_leaf_pfn(pmdp_get(pmd))) + (addr & ~PMD_MASK);
		return 0;
	}
	pte = ptep_get(pte_offset_kernel(pmd, addr));
	if (!pte_present(pte))
		return -EFAULT;
	*size = PAGE_SIZE;
	*leaf = pte_val(pte);
	*pa = PFN_PHYS(pte_pfn(pte)) + (addr & ~PAGE_MASK);
	return 0;
}

/* ---------------------------------------------------------------------
 * Address windows
 */

static bool in_window(const char *p, const char *base, unsigned long size)
{
	return base && p >= base && (unsigned long)(p - base) < size;
}

static unsigned long direct_map_bytes(const struct mm_layout *l)
{
	return (unsigned long)(PFN_PHYS(l->max_low_pfn) - l->phys_offset);
}

static unsigned long fixmap_bytes(const struct mm_layout *l)
{
	return l->fixaddr_top - l->fixaddr_start + l->page_size;
}

unsigned long host_to_kva(const void *ptr)
{
	const struct mm_layout *l = current_layout;
	const char *p = ptr;

	if (in_window(p, l->direct_map, direct_map_bytes(l)))
		return l->page_offset + (unsigned long)(p - l->direct_map);
	if (in_window(p, l->vmalloc_host, l->vmalloc_host_size))
		return l->vmalloc_start + (unsigned long)(p - l->vmalloc_host);
	if (in_window(p, l->pkmap_host, (unsigned long)l->last_pkmap << l->page_shift))
		return l->pkmap_base + (unsigned long)(p - l->pkmap_host);
	if (in_window(p, l->fixmap_host, fixmap_bytes(l)))
		return l->fixaddr_start + (unsigned long)(p - l->fixmap_host);
	return 0;
}

void *kva_to_host(unsigned long kva)
{
	const struct mm_layout *l = current_layout;

	if (kva - l->page_offset < direct_map_bytes(l))
		return l->direct_map + (kva - l->page_offset);
	if (kva - l->vmalloc_start < l->vmalloc_host_size)
		return l->vmalloc_host + (kva - l->vmalloc_start);
	if (l->pkmap_host && kva - l->pkmap_base < ((unsigned long)l->last_pkmap << l->page_shift))
		return l->pkmap_host + (kva - l->pkmap_base);
	if (kva - l->fixaddr_start < fixmap_bytes(l))
		return l->fixmap_host + (kva - l->fixaddr_start);
	return NULL;
}

unsigned long phys_to_kva(phys_addr_t pa)
{
	return current_layout->page_offset + (unsigned long)(pa - current_layout->phys_offset);
}

/* ---------------------------------------------------------------------
 * The kernel page table
 */

static int map_kernel_leaf(struct arch_mmu *mmu, unsigned long va, phys_addr_t pa, int cls)
{
	struct mm_struct *mm = &mmu->kernel_mm;
	unsigned long pfn = PHYS_PFN(pa);
	p4d_t *p4d = p4d_alloc(mm, pgd_offset(mm, va), va);
	pud_t *pud = p4d ? pud_alloc(mm, p4d, va) : NULL;
	pmd_t *pmd;
	pte_t *pte;

	if (!pud)
		return -ENOMEM;
	if (cls == 2) {
		set_pud(pud, pfn_pud(pfn, PAGE_KERNEL));
		return 0;
	}
	pmd = pmd_alloc(mm, pud, va);
	if (!pmd)
		return -ENOMEM;
	if (cls == 1) {
		set_pmd(pmd, pfn_pmd(pfn, PAGE_KERNEL));
		return 0;
	}
	pte = pte_alloc_kernel(pmd, va);
	if (!pte)
		return -ENOMEM;
	set_pte(pte, pfn_pte(pfn, PAGE_KERNEL));
	return 0;
}

/* The largest leaf that maps @pa at @va within @size bytes. */
static int leaf_class_for(unsigned long va, phys_addr_t pa, unsigned long size)
{
	const struct pgtable_geom *g = pgt_geom();
	unsigned long both = va | (unsigned long)pa;

	if (g->pud_leaf && IS_ALIGNED(both, PUD_SIZE) && size >= PUD_SIZE)
		return 2;
	if (g->pmd_leaf && IS_ALIGNED(both, PMD_SIZE) && size >= PMD_SIZE)
		return 1;
	return 0;
}

static int map_direct_range(struct arch_mmu *mmu, phys_addr_t start, phys_addr_t end,
			    bool small_only)
{
	while (start < end) {
		unsigned long va = phys_to_kva(start);
		int cls = small_only ? 0 : leaf_class_for(va, start, (unsigned long)(end - start));
		unsigned long size = cls == 2 ? PUD_SIZE : cls == 1 ? PMD_SIZE : PAGE_SIZE;
		int ret = map_kernel_leaf(mmu, va, start, cls);

		if (ret)
			return ret;
		mmu->dm_pages[cls]++;
		start += size;
	}
	return 0;
}

/* x86 maps the ISA range below 1M with 4K pages (init_memory_mapping). */
#define ISA_END_ADDRESS 0x100000UL

static int map_direct(struct mmsim *m, struct arch_mmu *mmu)
{
	const struct mm_layout *l = &m->layout;
	phys_addr_t low_end = PFN_PHYS(l->max_low_pfn);
	int ret = 0;

	for (int i = 0; i < m->nr_banks && !ret; i++) {
		phys_addr_t s = m->banks[i].start;
		phys_addr_t e = min(s + m->banks[i].size, low_end);

		if (s >= e)
			continue;
		if (!pgt_geom()->arm64 && s < ISA_END_ADDRESS) {
			ret = map_direct_range(mmu, s, min(e, (phys_addr_t)ISA_END_ADDRESS), true);
			s = min(e, (phys_addr_t)ISA_END_ADDRESS);
		}
		if (!ret)
			ret = map_direct_range(mmu, s, e, false);
	}
	return ret;
}

/* Populate the top-level entries of swapper_pg_dir over [start, end]. */
static int prealloc_kernel_top(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	const struct pgtable_geom *g = pgt_geom();

	for (unsigned long a = start & PGDIR_MASK; a <= end; a += PGDIR_SIZE) {
		pgd_t *pgd = pgd_offset(mm, a);
		p4d_t *p4d;
		pud_t *pud;
		pmd_t *pmd;

		if (!g->folded[PGT_P4D]) {
			if (!p4d_alloc(mm, pgd, a))
				return -ENOMEM;
		} else if (!g->folded[PGT_PUD]) {
			if (!pud_alloc(mm, p4d_offset(pgd, a), a))
				return -ENOMEM;
		} else if (!g->folded[PGT_PMD]) {
			p4d = p4d_offset(pgd, a);
			pud = pud_offset(p4d, a);
			if (!pmd_alloc(mm, pud, a))
				return -ENOMEM;
		} else {
			pmd = pmd_offset(pud_offset(p4d_offset(pgd, a), a), a);
			if (!pmd_leaf(pmdp_get(pmd)) && !pte_alloc_kernel(pmd, a))
				return -ENOMEM;
		}
		if (a + PGDIR_SIZE < a)
			break;		/* wrapped at the top of the address space */
	}
	return 0;
}

static int prealloc_kernel_windows(struct mmsim *m, struct arch_mmu *mmu)
{
	const struct mm_layout *l = &m->layout;
	struct mm_struct *mm = &mmu->kernel_mm;
	int ret;

	ret = prealloc_kernel_top(mm, l->vmalloc_start, l->vmalloc_end);
	if (!ret)
		ret = prealloc_kernel_top(mm, l->fixaddr_start, l->fixaddr_top);
	if (!ret && l->last_pkmap)
		ret = prealloc_kernel_top(mm, l->pkmap_base,
					  l->pkmap_base + ((unsigned long)l->last_pkmap << l->page_shift) - 1);
	return ret;
}

static int mmu_init_cpus(struct mmsim *m, struct arch_mmu *mmu)
{
	mmu->nr_cpus = m->nr_cpus;
	mmu->cpus = aligned_alloc(64, sizeof(*mmu->cpus) * (size_t)m->nr_cpus);
	if (!mmu->cpus)
		return -ENOMEM;
	memset(mmu->cpus, 0, sizeof(*mmu->cpus) * (size_t)m->nr_cpus);
	for (int i = 0; i < m->nr_cpus; i++) {
		struct mmu_cpu *c = &mmu->cpus[i];
		const struct pgtable_geom *g = mmu->geom;

		c->m = m;
		c->cpu = i;
		/* arm64: bits 63..48 all equal, so 49 bits tell the halves apart. */
		c->va_bits = g->arm64 ? g->va_bits + 1 : g->va_bits;
		c->page_shift = g->page_shift;
		c->cls_shift[0] = g->page_shift;
		c->cls_shift[1] = g->shift[PGT_PMD];
		c->cls_shift[2] = g->shift[PGT_PUD];
		c->va_mask = (1ULL << c->va_bits) - 1;
		c->canon_add = c->va_bits == 32 ? 0 : 1UL << (c->va_bits - 1);
		spin_lock_init(&c->qlock);
		atomic_init(&c->flush_pending, 0);
		atomic_init(&c->active_asid, 0);
		atomic_init(&c->rollover_flush, false);
		if (tlb_init_cpu(c, &mmu->cfg))
			return -ENOMEM;
		c->active_mm = &mmu->kernel_mm;
		mmgrab(&mmu->kernel_mm);
		c->root = mmu_root_of(&mmu->kernel_mm);
		c->kroot = mmu->kernel_mm.pgd;
	}
	return 0;
}

/**
 * paging_init - build the kernel page table and the MMU state of a machine.
 * @m: the machine, with memblock up and the buddy allocator not yet.
 *
 * Maps the direct map (large leaves where aligned) with tables from
 * memblock, sets up every CPU's TLBs with init_mm loaded, and the ASID
 * allocator.  paging_late_init() finishes once the buddy allocator runs.
 * Return: 0, or -errno with @err filled.
 */
int paging_init(struct mmsim *m, char *err, size_t errlen)
{
	struct arch_mmu *mmu = calloc(1, sizeof(*mmu));
	int ret = -ENOMEM;

	if (!mmu) {
		snprintf(err, errlen, "out of host memory");
		return -ENOMEM;
	}
	m->mmu = mmu;
	mmu->geom = pgt_geom();
	atomic_init(&mmu->kernel_pt_pages, 0);
	atomic_init(&mmu->next_ctx_id, 1);
	tlb_default_cfg(m->layout.arch, &mmu->cfg);
	tlb_apply_boot_geometry(m, &mmu->cfg);
	mmu->pcid = m->layout.arch == ARCH_X86_64 || m->layout.arch == ARCH_X86_64_LA57;
	mmu->nr_slots = mmu->pcid ? TLB_NR_DYN_ASIDS : 1;
	mm_init_kernel(&mmu->kernel_mm, m);
	mmu->kernel_mm.pgd = pgtable_alloc_table(&mmu->kernel_mm, PGT_PGD);
	if (!mmu->kernel_mm.pgd)
		goto fail;
	if (mmu->geom->arm64) {
		mmu->reserved_pg_dir = pgtable_alloc_table(&mmu->kernel_mm, PGT_PGD);
		if (!mmu->reserved_pg_dir)
			goto fail;
	}
	if (map_direct(m, mmu))
		goto fail;
	ret = asid_init(mmu);
	if (!ret)
		ret = mmu_init_cpus(m, mmu);
	if (!ret)
		return 0;
fail:
	snprintf(err, errlen, "paging_init: cannot build the kernel page table");
	return ret ? ret : -ENOMEM;
}

/**
 * paging_late_init - preallocate the tables under the kernel windows
 * @m: the machine, with its buddy allocator up.
 *
 * Like Linux's preallocate_vmalloc_pages() in mem_init(): on x86 every
 * top-level entry over the vmalloc, pkmap and fixmap windows gets its
 * table now, so the kernel half that user pgds copy never goes stale.
 * Return: 0, or -errno with @err filled.
 */
int paging_late_init(struct mmsim *m, char *err, size_t errlen)
{
	if (pgt_geom()->arm64 || !prealloc_kernel_windows(m, m->mmu))
		return 0;
	snprintf(err, errlen, "paging_late_init: cannot preallocate the kernel tables");
	return -ENOMEM;
}

/* Free the kernel's tables below @table (host) at hardware level @hw. */
static void free_kernel_tables(struct arch_mmu *mmu, void *table, int hw)
{
	const struct pgtable_geom *g = mmu->geom;
	const struct pgt_hw_level *hl = &g->hw[hw];

	if (hw + 1 < g->nr_hw) {
		for (unsigned int i = 0; i < hl->ptrs; i++) {
			u64 v = __pt_load(__pt_entry(table, i));

			if (!(v & g->b_present) || (hl->leaf_class < 3 && hl->leaf_class > 0 &&
						   __pt_is_block(v)))
				continue;
			free_kernel_tables(mmu, __pt_table(v), hw + 1);
		}
	}
	pgtable_free_table(&mmu->kernel_mm, table, hl->lvl);
}

/*
 * The inverse of paging_init.  With the machine current (shutdown), the
 * tables go back to the buddy allocator and CPUs drop their mm references;
 * after a failed boot (no current CPU) RAM is about to vanish, so only the
 * host memory is freed.
 */
void paging_teardown(struct mmsim *m)
{
	struct arch_mmu *mmu = m->mmu;
	bool live = current_cpu && current_cpu->m == m;

	if (!mmu)
		return;
	for (int i = 0; mmu->cpus && i < mmu->nr_cpus; i++) {
		struct mmu_cpu *c = &mmu->cpus[i];

		/* A CPU left with a user mm loaded holds a reference. */
		if (live && c->active_mm && c->active_mm != &mmu->kernel_mm)
			mmdrop(c->active_mm);
		c->active_mm = NULL;
		tlb_free_cpu(c);
	}
	free(mmu->cpus);
	if (live && mmu->kernel_mm.pgd)
		free_kernel_tables(mmu, mmu->kernel_mm.pgd, 0);
	if (live && mmu->reserved_pg_dir)
		pgtable_free_table(&mmu->kernel_mm, mmu->reserved_pg_dir, PGT_PGD);
	asid_free(mmu);
	free(mmu);
	m->mmu = NULL;
}

void arch_direct_map_sizes(unsigned long *kb4k, unsigned long *kb2m_or_4m, unsigned long *kb1g)
{
	struct arch_mmu *mmu = machine_mmu();
	unsigned long pmd_kb = 0, pud_kb = 0;

	if (mmu->geom->pmd_leaf)
		pmd_kb = 1UL << (mmu->geom->shift[PGT_PMD] - 10);
	if (mmu->geom->pud_leaf)
		pud_kb = 1UL << (mmu->geom->shift[PGT_PUD] - 10);
	*kb4k = mmu->dm_pages[0] << (mmu->geom->page_shift - 10);
	*kb2m_or_4m = mmu->dm_pages[1] * pmd_kb;
	*kb1g = mmu->dm_pages[2] * pud_kb;
}

unsigned long nr_kernel_pgtable_pages(void)
{
	return (unsigned long)atomic_load_explicit(&machine_mmu()->kernel_pt_pages,
						   memory_order_relaxed);
}
