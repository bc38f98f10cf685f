// SPDX-License-Identifier: GPL-2.0
/*
 * mm/pgtable-generic.c - the arch-independent page-table code (Linux's
 * mm/pgtable-generic.c with the pte_alloc & co. of mm/memory.c): table
 * allocation and population, the *_none_or_clear_bad checks,
 * free_pgd_range(), walk_to_pte_alloc() and the software walk
 * pgtable_lookup().  The geometry of each arch is in arch/pgtable_geom.c,
 * the kernel page table in arch/paging.c, the host <-> simulated address
 * windows in arch/hostmap.c.
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
 *   - a table page is in exactly one parent entry, or in none while it is
 *     being populated (the loser of a populate race frees its own);
 *   - mm->pgtables_bytes == PAGE_SIZE * the user tables of mm, and the
 *     node's NR_PAGETABLE == the user tables of every mm on the node.
 *
 * Simplification: PAE does not preallocate the user PMDs at pgd_alloc.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch/pgtable.h"
#include "mm/internal.h"

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
		atomic_fetch_add_explicit(&mm->machine->hw.mmu->kernel_pt_pages, 1,
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
		atomic_fetch_add_explicit(&mm->machine->hw.mmu->kernel_pt_pages, 1,
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
		atomic_fetch_sub_explicit(&mm->machine->hw.mmu->kernel_pt_pages, 1,
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
