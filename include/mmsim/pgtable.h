/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pgtable.h - page tables: the geometry of each simulated arch, the entry
 * formats in the arch's real bit layout, and Linux's page-table API.
 *
 * Geometry.  Seven geometries exist (x86_64 4-level, x86_64-la57 5-level,
 * i386 2-level, i386-pae 3-level, arm64 with 4K/16K/64K granules), as
 * static tables in arch/pgtable_geom.c; pgt_geom() picks the current machine's
 * from its arch and page size, so PGDIR_SHIFT, PTRS_PER_PTE & co. are
 * run-time expressions like PAGE_SIZE.  Folding is Linux's: a folded level
 * has PTRS_PER_X == 1, X_SHIFT equal to its parent's, X_offset() returns
 * the parent entry itself, and the level *above* a folded one reads as
 * always present (pgd_none() == 0 when P4D is folded).  Code written for
 * five levels runs on two.
 *
 * Entries.  Values are u64 in the arch's bit layout (pte_t, pmd_t, ...).
 * In memory an entry is 8 bytes, except on i386 without PAE where it is 4:
 * so an entry pointer (pte_t *) is only read with ptep_get()/pmdp_get()/...,
 * written with set_pte_at()/set_pmd()/..., and moved with pte_next()/
 * pmd_next()/... -- never dereferenced or incremented with ++.  Loads are
 * acquire and stores release (a table is zeroed before it is published),
 * and the A/D updates of the MMU are atomic read-modify-writes.
 *
 * Addresses.  Simulated kernel virtual addresses (0xffff888000000000 + pa
 * on x86_64) are not host addresses.  host_to_kva() gives the simulated
 * address of a host pointer into the direct map, vmalloc, pkmap or fixmap
 * window, so a walk of page_address(p) is
 *	pgd_offset_k(host_to_kva(page_address(p))) ... pte_pfn() == page_to_pfn(p)
 * Physical addresses in entries are simulated ones (page_to_phys()).
 *
 * Locking: populating a table (pte_alloc & co.) takes mm->page_table_lock;
 * changing a leaf is the caller's business (Linux's pte lock), as is the
 * TLB flush that must follow (tlbflush.h).
 */
#ifndef MMSIM_PGTABLE_H
#define MMSIM_PGTABLE_H

#include <mmsim/types.h>
#include <mmsim/mm.h>
#include <mmsim/mm_struct.h>

/* ---------------------------------------------------------------------
 * Entry bits
 */

/* x86 (arch/x86/include/asm/pgtable_types.h). */
#define _PAGE_PRESENT	(1ULL << 0)
#define _PAGE_RW	(1ULL << 1)
#define _PAGE_USER	(1ULL << 2)
#define _PAGE_PWT	(1ULL << 3)
#define _PAGE_PCD	(1ULL << 4)
#define _PAGE_ACCESSED	(1ULL << 5)
#define _PAGE_DIRTY	(1ULL << 6)
#define _PAGE_PSE	(1ULL << 7)	/* large page, at PMD/PUD level */
#define _PAGE_PAT	(1ULL << 7)	/* at PTE level */
#define _PAGE_GLOBAL	(1ULL << 8)
#define _PAGE_PROTNONE	_PAGE_GLOBAL	/* when !_PAGE_PRESENT */
#define _PAGE_NX	(1ULL << 63)	/* PAE and 64-bit only */
#define _KERNPG_TABLE	(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY)
#define _PAGE_TABLE	(_KERNPG_TABLE | _PAGE_USER)

/* arm64 stage 1 (arch/arm64/include/asm/pgtable-hwdef.h, pgtable-prot.h). */
#define PTE_VALID	(1ULL << 0)
#define PTE_TABLE_BIT	(1ULL << 1)	/* table (levels 0-2) or page (level 3) */
#define PTE_TYPE_PAGE	(3ULL << 0)
#define PMD_TYPE_TABLE	(3ULL << 0)
#define PMD_TYPE_SECT	(1ULL << 0)	/* block */
#define PTE_ATTRINDX(t)	((u64)(t) << 2)
#define PTE_USER	(1ULL << 6)	/* AP[1]: EL0 access */
#define PTE_RDONLY	(1ULL << 7)	/* AP[2] */
#define PTE_SHARED	(3ULL << 8)	/* SH[1:0]: inner shareable */
#define PTE_AF		(1ULL << 10)
#define PTE_NG		(1ULL << 11)
#define PTE_DBM		(1ULL << 51)	/* hardware dirty bit management */
#define PTE_CONT	(1ULL << 52)
#define PTE_PXN		(1ULL << 53)
#define PTE_UXN		(1ULL << 54)
#define PTE_WRITE	PTE_DBM
#define PTE_DIRTY	(1ULL << 55)	/* software dirty */
#define PTE_SPECIAL	(1ULL << 56)
#define PTE_PROT_NONE	(1ULL << 58)	/* software: present, not valid */
#define PMD_TABLE_PXN	(1ULL << 59)
#define PMD_TABLE_UXN	(1ULL << 60)
#define PMD_TABLE_AP_NOEL0 (1ULL << 61)	/* APTable[0] */
#define PMD_TABLE_AP_RO	(1ULL << 62)	/* APTable[1] */
#define MT_NORMAL	0

/* ---------------------------------------------------------------------
 * Geometry
 */

enum pgt_level { PGT_PGD, PGT_P4D, PGT_PUD, PGT_PMD, PGT_PTE, PGT_NR_LEVELS };

enum pgt_prot {
	PROT_I_NONE, PROT_I_SHARED, PROT_I_SHARED_EXEC, PROT_I_COPY, PROT_I_COPY_EXEC,
	PROT_I_READONLY, PROT_I_READONLY_EXEC, PROT_I_KERNEL, PROT_I_KERNEL_RO,
	PROT_I_KERNEL_EXEC, PROT_I_KERNEL_ROX, PROT_I_NR
};

/* One hardware level of the walk (folded levels are not hardware levels). */
struct pgt_hw_level {
	unsigned char shift;		/* address bits below this level's index */
	unsigned char lvl;		/* enum pgt_level whose entries these are */
	unsigned char leaf_class;	/* 0 pte, 1 pmd, 2 pud; 3: may not be a leaf */
	unsigned char pdpte;		/* i386-pae PDPTE: P only, no A/RW/US */
	unsigned int ptrs;		/* entries per table */
};

struct pgtable_geom {
	const char *name;
	unsigned char levels;		/* PGTABLE_LEVELS */
	unsigned char arm64;		/* entry format: 0 x86, 1 arm64 */
	unsigned char entry_shift;	/* log2(bytes per entry): 2 or 3 */
	unsigned char va_bits;		/* virtual address bits */
	unsigned char page_shift;
	unsigned char shift[PGT_NR_LEVELS];	/* PGDIR_SHIFT .. PAGE_SHIFT */
	unsigned char folded[PGT_NR_LEVELS];	/* level folded into its parent */
	unsigned int ptrs[PGT_NR_LEVELS];	/* PTRS_PER_*; 1 when folded */
	unsigned char nr_hw;			/* hardware levels */
	struct pgt_hw_level hw[PGT_NR_LEVELS];	/* top down */
	bool pmd_leaf, pud_leaf;	/* huge leaves at PMD / PUD level */
	u64 b_cont;			/* arm64 PTE_CONT: contiguous hint; 0 on x86 */
	unsigned char cont_pte_shift;	/* CONT_PTE_SHIFT: span of a contiguous PTE run; 0 none */
	unsigned char cont_pmd_shift;	/* CONT_PMD_SHIFT: span of a contiguous block run */
	u64 phys_mask;			/* output address bits of an entry */
	u64 b_present;			/* hardware valid: _PAGE_PRESENT / PTE_VALID */
	u64 b_protnone;			/* present to mm, invalid to the MMU */
	u64 b_write, b_user, b_young, b_dirty, b_nx;
	u64 kern_table, user_table;	/* bits of a table entry (besides the address) */
	u64 top_table;			/* bits of a PAE PDPTE */
	u64 prot[PROT_I_NR];
	unsigned long task_size;	/* TASK_SIZE: top of the user half */
	unsigned long kernel_base;	/* lowest kernel address (pgd boundary) */
};

extern const struct pgtable_geom pgtable_geoms[5 * 3];

/* The current machine's geometry: by arch and page size, no pointer chase. */
static inline const struct pgtable_geom *pgt_geom(void)
{
	return &pgtable_geoms[current_layout->arch * 3 + ((current_layout->page_shift - 12) >> 1)];
}

#define PGTABLE_LEVELS	(pgt_geom()->levels)
#define PGDIR_SHIFT	(pgt_geom()->shift[PGT_PGD])
#define P4D_SHIFT	(pgt_geom()->shift[PGT_P4D])
#define PUD_SHIFT	(pgt_geom()->shift[PGT_PUD])
#define PMD_SHIFT	(pgt_geom()->shift[PGT_PMD])
#define PTRS_PER_PGD	(pgt_geom()->ptrs[PGT_PGD])
#define PTRS_PER_P4D	(pgt_geom()->ptrs[PGT_P4D])
#define PTRS_PER_PUD	(pgt_geom()->ptrs[PGT_PUD])
#define PTRS_PER_PMD	(pgt_geom()->ptrs[PGT_PMD])
#define PTRS_PER_PTE	(pgt_geom()->ptrs[PGT_PTE])
#define PGDIR_SIZE	(1UL << PGDIR_SHIFT)
#define P4D_SIZE	(1UL << P4D_SHIFT)
#define PUD_SIZE	(1UL << PUD_SHIFT)
#define PMD_SIZE	(1UL << PMD_SHIFT)
#define PGDIR_MASK	(~(PGDIR_SIZE - 1))
#define P4D_MASK	(~(P4D_SIZE - 1))
#define PUD_MASK	(~(PUD_SIZE - 1))
#define PMD_MASK	(~(PMD_SIZE - 1))
#define PAGE_TABLE_BYTES(lvl) ((unsigned long)pgt_geom()->ptrs[lvl] << pgt_geom()->entry_shift)
#ifndef TASK_SIZE
#define TASK_SIZE	(pgt_geom()->task_size)
#endif
#define USER_PGTABLES_CEILING	0UL
#define FIRST_USER_ADDRESS	0UL

/* ---------------------------------------------------------------------
 * Entry types and raw access
 */


#define pgd_val(x)	((x).pgd)
#define p4d_val(x)	((x).p4d)
#define pud_val(x)	((x).pud)
#define pmd_val(x)	((x).pmd)
#define pte_val(x)	((x).pte)
#define pgprot_val(x)	((x).pgprot)
#define __pgd(x)	((pgd_t){ (x) })
#define __p4d(x)	((p4d_t){ (x) })
#define __pud(x)	((pud_t){ (x) })
#define __pmd(x)	((pmd_t){ (x) })
#define __pte(x)	((pte_t){ (x) })
#define __pgprot(x)	((pgprot_t){ (x) })

#define PAGE_NONE		__pgprot(pgt_geom()->prot[PROT_I_NONE])
#define PAGE_SHARED		__pgprot(pgt_geom()->prot[PROT_I_SHARED])
#define PAGE_SHARED_EXEC	__pgprot(pgt_geom()->prot[PROT_I_SHARED_EXEC])
#define PAGE_COPY		__pgprot(pgt_geom()->prot[PROT_I_COPY])
#define PAGE_COPY_EXEC		__pgprot(pgt_geom()->prot[PROT_I_COPY_EXEC])
#define PAGE_READONLY		__pgprot(pgt_geom()->prot[PROT_I_READONLY])
#define PAGE_READONLY_EXEC	__pgprot(pgt_geom()->prot[PROT_I_READONLY_EXEC])
#define PAGE_KERNEL		__pgprot(pgt_geom()->prot[PROT_I_KERNEL])
#define PAGE_KERNEL_RO		__pgprot(pgt_geom()->prot[PROT_I_KERNEL_RO])
#define PAGE_KERNEL_EXEC	__pgprot(pgt_geom()->prot[PROT_I_KERNEL_EXEC])
#define PAGE_KERNEL_ROX		__pgprot(pgt_geom()->prot[PROT_I_KERNEL_ROX])

/* Raw entry load/store of the arch's width. */
static inline u64 __pt_load(const void *p)
{
	if (pgt_geom()->entry_shift == 2)
		return __atomic_load_n((const u32 *)p, __ATOMIC_ACQUIRE);
	return __atomic_load_n((const u64 *)p, __ATOMIC_ACQUIRE);
}
static inline void __pt_store(void *p, u64 v)
{
	if (pgt_geom()->entry_shift == 2)
		__atomic_store_n((u32 *)p, (u32)v, __ATOMIC_RELEASE);
	else
		__atomic_store_n((u64 *)p, v, __ATOMIC_RELEASE);
}
static inline u64 __pt_xchg(void *p, u64 v)
{
	if (pgt_geom()->entry_shift == 2)
		return __atomic_exchange_n((u32 *)p, (u32)v, __ATOMIC_ACQ_REL);
	return __atomic_exchange_n((u64 *)p, v, __ATOMIC_ACQ_REL);
}
static inline bool __pt_cmpxchg(void *p, u64 *old, u64 v)
{
	if (pgt_geom()->entry_shift == 2) {
		u32 o = (u32)*old;
		bool ok = __atomic_compare_exchange_n((u32 *)p, &o, (u32)v, false,
						      __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
		*old = o;
		return ok;
	}
	return __atomic_compare_exchange_n((u64 *)p, old, v, false, __ATOMIC_ACQ_REL,
					   __ATOMIC_ACQUIRE);
}
static inline void *__pt_entry(void *table, unsigned long idx)
{
	return (char *)table + (idx << pgt_geom()->entry_shift);
}

#define ptep_get(p)	__pte(__pt_load(p))
#define pmdp_get(p)	__pmd(__pt_load(p))
#define pudp_get(p)	__pud(__pt_load(p))
#define p4dp_get(p)	__p4d(__pt_load(p))
#define pgdp_get(p)	__pgd(__pt_load(p))
#define pte_next(p)	((pte_t *)__pt_entry((p), 1))
#define pmd_next(p)	((pmd_t *)__pt_entry((p), 1))
#define pud_next(p)	((pud_t *)__pt_entry((p), 1))
#define p4d_next(p)	((p4d_t *)__pt_entry((p), 1))
#define pgd_next(p)	((pgd_t *)__pt_entry((p), 1))

/* ---------------------------------------------------------------------
 * Indices, offsets, address stepping
 */

static inline unsigned long __pgt_index(unsigned long addr, enum pgt_level l)
{
	const struct pgtable_geom *g = pgt_geom();

	return (addr >> g->shift[l]) & (g->ptrs[l] - 1);
}
#define pgd_index(a)	__pgt_index(a, PGT_PGD)
#define p4d_index(a)	__pgt_index(a, PGT_P4D)
#define pud_index(a)	__pgt_index(a, PGT_PUD)
#define pmd_index(a)	__pgt_index(a, PGT_PMD)
#define pte_index(a)	__pgt_index(a, PGT_PTE)

/* Output address of a table entry or leaf, and the table it points to. */
static inline phys_addr_t __pt_addr(u64 v)
{
	return v & pgt_geom()->phys_mask;
}
static inline void *__pt_table(u64 v)
{
	return __va(__pt_addr(v));
}

static inline pgd_t *pgd_offset_pgd(pgd_t *pgd, unsigned long addr)
{
	return (pgd_t *)__pt_entry(pgd, pgd_index(addr));
}
#define pgd_offset(mm, addr)	pgd_offset_pgd((mm)->pgd, (addr))
#define pgd_offset_k(addr)	pgd_offset(&init_mm, (addr))

static inline p4d_t *p4d_offset(pgd_t *pgd, unsigned long addr)
{
	if (pgt_geom()->folded[PGT_P4D])
		return (p4d_t *)pgd;
	return (p4d_t *)__pt_entry(__pt_table(pgd_val(pgdp_get(pgd))), p4d_index(addr));
}
static inline pud_t *pud_offset(p4d_t *p4d, unsigned long addr)
{
	if (pgt_geom()->folded[PGT_PUD])
		return (pud_t *)p4d;
	return (pud_t *)__pt_entry(__pt_table(p4d_val(p4dp_get(p4d))), pud_index(addr));
}
static inline pmd_t *pmd_offset(pud_t *pud, unsigned long addr)
{
	if (pgt_geom()->folded[PGT_PMD])
		return (pmd_t *)pud;
	return (pmd_t *)__pt_entry(__pt_table(pud_val(pudp_get(pud))), pmd_index(addr));
}
static inline pte_t *pte_offset_kernel(pmd_t *pmd, unsigned long addr)
{
	return (pte_t *)__pt_entry(__pt_table(pmd_val(pmdp_get(pmd))), pte_index(addr));
}
/* No HIGHPTE: page tables are lowmem, so mapping one is free. */
#define pte_offset_map(pmd, addr)	pte_offset_kernel(pmd, addr)
#define pte_unmap(pte)			((void)(pte))

static inline unsigned long __pgt_addr_end(unsigned long addr, unsigned long end,
					   unsigned long size)
{
	unsigned long boundary = (addr + size) & ~(size - 1);

	return boundary - 1 < end - 1 ? boundary : end;
}
#define pgd_addr_end(a, e)	__pgt_addr_end(a, e, PGDIR_SIZE)
#define p4d_addr_end(a, e)	__pgt_addr_end(a, e, P4D_SIZE)
#define pud_addr_end(a, e)	__pgt_addr_end(a, e, PUD_SIZE)
#define pmd_addr_end(a, e)	__pgt_addr_end(a, e, PMD_SIZE)

/* ---------------------------------------------------------------------
 * Upper levels: none/present/bad/leaf, with Linux's folding rule (a level
 * whose child is folded reads as always present)
 */

static inline bool __pt_present(u64 v)
{
	return v & (pgt_geom()->b_present | pgt_geom()->b_protnone);
}
/* A table entry (not a leaf) is well formed. */
static inline bool __pt_is_table(u64 v)
{
	const struct pgtable_geom *g = pgt_geom();

	if (g->arm64)
		return (v & PMD_TYPE_TABLE) == PMD_TYPE_TABLE;
	return (v & _PAGE_PRESENT) && !(v & _PAGE_PSE);
}
static inline bool __pt_is_block(u64 v)
{
	const struct pgtable_geom *g = pgt_geom();

	if (g->arm64)
		return (v & PMD_TYPE_TABLE) == PMD_TYPE_SECT ||
		       (!(v & PTE_VALID) && (v & PTE_PROT_NONE));
	return (v & _PAGE_PSE) && (v & (_PAGE_PRESENT | _PAGE_PROTNONE));
}
static inline bool __pt_dummy(enum pgt_level l)
{
	return pgt_geom()->folded[l + 1];
}

#define __PGT_UPPER(name, lvl)						\
	static inline bool name##_none(name##_t e)			\
	{ return !__pt_dummy(lvl) && !name##_val(e); }			\
	static inline bool name##_present(name##_t e)			\
	{ return __pt_dummy(lvl) || __pt_present(name##_val(e)); }	\
	static inline bool name##_bad(name##_t e)			\
	{ return !__pt_dummy(lvl) && !__pt_is_table(name##_val(e)); }	\
	static inline unsigned long name##_pfn(name##_t e)		\
	{ return (unsigned long)(__pt_addr(name##_val(e)) >> PAGE_SHIFT); } \
	static inline struct page *name##_page(name##_t e)		\
	{ return pfn_to_page(name##_pfn(e)); }
__PGT_UPPER(pgd, PGT_PGD)
__PGT_UPPER(p4d, PGT_P4D)
__PGT_UPPER(pud, PGT_PUD)
__PGT_UPPER(pmd, PGT_PMD)
#undef __PGT_UPPER

static inline bool pgd_leaf(pgd_t e) { (void)e; return false; }
static inline bool p4d_leaf(p4d_t e) { (void)e; return false; }
static inline bool pud_leaf(pud_t e)
{
	return !__pt_dummy(PGT_PUD) && pgt_geom()->pud_leaf && __pt_is_block(pud_val(e));
}
static inline bool pmd_leaf(pmd_t e)
{
	return pgt_geom()->pmd_leaf && __pt_is_block(pmd_val(e));
}
#define pmd_trans_huge(e)	pmd_leaf(e)
#define pud_trans_huge(e)	pud_leaf(e)
#define pmd_page_vaddr(e)	((unsigned long)__pt_table(pmd_val(e)))

/* The pfn of a leaf (huge) entry, its low bits cleared. */
static inline unsigned long pmd_leaf_pfn(pmd_t e)
{
	return (unsigned long)((__pt_addr(pmd_val(e)) & PMD_MASK) >> PAGE_SHIFT);
}
static inline unsigned long pud_leaf_pfn(pud_t e)
{
	return (unsigned long)((__pt_addr(pud_val(e)) & PUD_MASK) >> PAGE_SHIFT);
}

/* ---------------------------------------------------------------------
 * PTEs
 */

static inline bool pte_none(pte_t p) { return !pte_val(p); }
static inline bool pte_present(pte_t p) { return __pt_present(pte_val(p)); }
static inline unsigned long pte_pfn(pte_t p)
{
	return (unsigned long)(__pt_addr(pte_val(p)) >> PAGE_SHIFT);
}
#define pte_page(p)	pfn_to_page(pte_pfn(p))
static inline bool pte_protnone(pte_t p)
{
	return (pte_val(p) & (pgt_geom()->b_present | pgt_geom()->b_protnone)) ==
	       pgt_geom()->b_protnone;
}
static inline bool pte_write(pte_t p) { return pte_val(p) & pgt_geom()->b_write; }
static inline bool pte_young(pte_t p) { return pte_val(p) & pgt_geom()->b_young; }
static inline bool pte_user(pte_t p) { return pte_val(p) & pgt_geom()->b_user; }
static inline bool pte_exec(pte_t p) { return !(pte_val(p) & pgt_geom()->b_nx); }
static inline bool pte_dirty(pte_t p)
{
	u64 v = pte_val(p);

	if (!pgt_geom()->arm64)
		return v & _PAGE_DIRTY;
	/* software dirty, or hardware dirty: writable (DBM) and !RDONLY */
	return (v & PTE_DIRTY) || ((v & PTE_WRITE) && !(v & PTE_RDONLY));
}
static inline pte_t pte_mkyoung(pte_t p) { return __pte(pte_val(p) | pgt_geom()->b_young); }
static inline pte_t pte_mkold(pte_t p) { return __pte(pte_val(p) & ~pgt_geom()->b_young); }
static inline pte_t pte_mkexec(pte_t p) { return __pte(pte_val(p) & ~pgt_geom()->b_nx); }
static inline pte_t pte_mkwrite_novma(pte_t p)
{
	u64 v = pte_val(p) | pgt_geom()->b_write;

	if (pgt_geom()->arm64 && (v & PTE_DIRTY))
		v &= ~PTE_RDONLY;
	return __pte(v);
}
#define pte_mkwrite(p, vma)	pte_mkwrite_novma(p)
static inline pte_t pte_wrprotect(pte_t p)
{
	u64 v = pte_val(p);

	if (!pgt_geom()->arm64)
		return __pte(v & ~_PAGE_RW);
	if ((v & PTE_WRITE) && !(v & PTE_RDONLY))
		v |= PTE_DIRTY;		/* keep the hardware dirty state */
	return __pte((v & ~PTE_WRITE) | PTE_RDONLY);
}
static inline pte_t pte_mkdirty(pte_t p)
{
	u64 v = pte_val(p);

	if (!pgt_geom()->arm64)
		return __pte(v | _PAGE_DIRTY);
	v |= PTE_DIRTY;
	if (v & PTE_WRITE)
		v &= ~PTE_RDONLY;
	return __pte(v);
}
static inline pte_t pte_mkclean(pte_t p)
{
	u64 v = pte_val(p);

	if (!pgt_geom()->arm64)
		return __pte(v & ~_PAGE_DIRTY);
	return __pte((v & ~PTE_DIRTY) | PTE_RDONLY);
}
static inline pte_t pfn_pte(unsigned long pfn, pgprot_t prot)
{
	return __pte(((u64)pfn << PAGE_SHIFT) | pgprot_val(prot));
}
#define mk_pte(page, prot)	pfn_pte(page_to_pfn(page), prot)
static inline pgprot_t pte_pgprot(pte_t p)
{
	return __pgprot(pte_val(p) & ~pgt_geom()->phys_mask);
}
static inline pte_t pte_modify(pte_t p, pgprot_t prot)
{
	return __pte(__pt_addr(pte_val(p)) | pgprot_val(prot));
}

/*
 * Contiguous hint (arm64 PTE_CONT, bit 52): CONT_PTES (CONT_PMDS)
 * consecutive, naturally aligned entries with identical attributes mapping
 * consecutive frames may be cached by the TLB as one.  Only a hint: each
 * entry is a complete translation by itself (arch/mmu.c walks it as such).
 * x86 has no such bit: pte_mkcont is the identity, pte_cont false.
 */
#define CONT_PTE_SHIFT	(pgt_geom()->cont_pte_shift)
#define CONT_PMD_SHIFT	(pgt_geom()->cont_pmd_shift)
#define CONT_PTE_SIZE	(1UL << CONT_PTE_SHIFT)
#define CONT_PMD_SIZE	(1UL << CONT_PMD_SHIFT)
#define CONT_PTES	(1UL << (CONT_PTE_SHIFT - PAGE_SHIFT))
#define CONT_PMDS	(1UL << (CONT_PMD_SHIFT - PMD_SHIFT))
static inline pte_t pte_mkcont(pte_t p) { return __pte(pte_val(p) | pgt_geom()->b_cont); }
static inline pte_t pte_mknoncont(pte_t p) { return __pte(pte_val(p) & ~pgt_geom()->b_cont); }
static inline bool pte_cont(pte_t p) { return pte_val(p) & pgt_geom()->b_cont; }
static inline pmd_t pmd_mkcont(pmd_t p) { return __pmd(pmd_val(p) | pgt_geom()->b_cont); }
static inline bool pmd_cont(pmd_t p) { return pmd_val(p) & pgt_geom()->b_cont; }

/* Huge leaves: a PMD or PUD entry for @pfn mapping PMD_SIZE / PUD_SIZE. */
static inline u64 __pt_mkhuge(u64 v)
{
	if (pgt_geom()->arm64)
		return v & ~PTE_TABLE_BIT;
	return v | _PAGE_PSE;
}
static inline pmd_t pfn_pmd(unsigned long pfn, pgprot_t prot)
{
	return __pmd(__pt_mkhuge(((u64)pfn << PAGE_SHIFT) | pgprot_val(prot)));
}
static inline pud_t pfn_pud(unsigned long pfn, pgprot_t prot)
{
	return __pud(__pt_mkhuge(((u64)pfn << PAGE_SHIFT) | pgprot_val(prot)));
}
static inline pmd_t pmd_mkhuge(pmd_t p) { return __pmd(__pt_mkhuge(pmd_val(p))); }
static inline bool pmd_write(pmd_t p) { return pte_write(__pte(pmd_val(p))); }
static inline bool pmd_dirty(pmd_t p) { return pte_dirty(__pte(pmd_val(p))); }
static inline bool pmd_young(pmd_t p) { return pte_young(__pte(pmd_val(p))); }
/* A PMD leaf's bits are a PTE's but for the huge bit (THP: mm/huge_memory.c). */
static inline pmd_t pmd_mkyoung(pmd_t p) { return __pmd(pte_val(pte_mkyoung(__pte(pmd_val(p))))); }
static inline pmd_t pmd_mkold(pmd_t p) { return __pmd(pte_val(pte_mkold(__pte(pmd_val(p))))); }
static inline pmd_t pmd_mkdirty(pmd_t p) { return __pmd(pte_val(pte_mkdirty(__pte(pmd_val(p))))); }
static inline pmd_t pmd_mkwrite_novma(pmd_t p)
{
	return __pmd(pte_val(pte_mkwrite_novma(__pte(pmd_val(p)))));
}
#define pmd_mkwrite(p, vma)	pmd_mkwrite_novma(p)
static inline pmd_t pmd_wrprotect(pmd_t p) { return __pmd(pte_val(pte_wrprotect(__pte(pmd_val(p))))); }
static inline bool pmd_protnone(pmd_t p) { return pte_protnone(__pte(pmd_val(p))); }
static inline bool pmd_user(pmd_t p) { return pte_user(__pte(pmd_val(p))); }
static inline bool pmd_exec(pmd_t p) { return pte_exec(__pte(pmd_val(p))); }
/* @prot over the leaf's frame, huge bit kept (Linux's pmd_modify). */
static inline pmd_t pmd_modify(pmd_t p, pgprot_t prot)
{
	return __pmd(__pt_mkhuge(__pt_addr(pmd_val(p)) | pgprot_val(prot)));
}
static inline bool pmd_same(pmd_t a, pmd_t b) { return pmd_val(a) == pmd_val(b); }

/* ---------------------------------------------------------------------
 * Writing entries
 */

static inline void set_pte(pte_t *ptep, pte_t pte) { __pt_store(ptep, pte_val(pte)); }
static inline void set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte)
{
	(void)mm;
	(void)addr;
	set_pte(ptep, pte);
}
static inline void pte_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	set_pte_at(mm, addr, ptep, __pte(0));
}
static inline void set_pmd(pmd_t *p, pmd_t v) { __pt_store(p, pmd_val(v)); }
static inline void set_pmd_at(struct mm_struct *mm, unsigned long a, pmd_t *p, pmd_t v)
{
	(void)mm;
	(void)a;
	set_pmd(p, v);
}
static inline void set_pud(pud_t *p, pud_t v) { __pt_store(p, pud_val(v)); }
/* An upper level that reads as always present cannot be written. */
static inline void set_p4d(p4d_t *p, p4d_t v)
{
	if (!__pt_dummy(PGT_P4D))
		__pt_store(p, p4d_val(v));
}
static inline void set_pgd(pgd_t *p, pgd_t v)
{
	if (!__pt_dummy(PGT_PGD))
		__pt_store(p, pgd_val(v));
}
static inline void pmd_clear(pmd_t *p) { set_pmd(p, __pmd(0)); }
static inline void pud_clear(pud_t *p)
{
	if (!__pt_dummy(PGT_PUD))
		set_pud(p, __pud(0));
}
static inline void p4d_clear(p4d_t *p) { set_p4d(p, __p4d(0)); }
static inline void pgd_clear(pgd_t *p) { set_pgd(p, __pgd(0)); }

static inline pte_t ptep_get_and_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	(void)mm;
	(void)addr;
	return __pte(__pt_xchg(ptep, 0));
}
static inline pmd_t pmdp_huge_get_and_clear(struct mm_struct *mm, unsigned long a, pmd_t *p)
{
	(void)mm;
	(void)a;
	return __pmd(__pt_xchg(p, 0));
}
/* Atomic against the MMU setting A/D in the same entry. */
static inline void ptep_set_wrprotect(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	u64 old = __pt_load(ptep);

	(void)mm;
	(void)addr;
	while (!__pt_cmpxchg(ptep, &old, pte_val(pte_wrprotect(__pte(old)))))
		;
}
static inline int ptep_test_and_clear_young(void *vma, unsigned long addr, pte_t *ptep)
{
	u64 old = __pt_load(ptep);
	u64 young = pgt_geom()->b_young;

	(void)vma;
	(void)addr;
	while ((old & young) && !__pt_cmpxchg(ptep, &old, old & ~young))
		;
	return !!(old & young);
}

/* Point an entry at a lower table (the *_populate of Linux). */
void pmd_populate_kernel(struct mm_struct *mm, pmd_t *pmd, pte_t *pte);
void pmd_populate(struct mm_struct *mm, pmd_t *pmd, pgtable_t pte);
void pud_populate(struct mm_struct *mm, pud_t *pud, pmd_t *pmd);
void p4d_populate(struct mm_struct *mm, p4d_t *p4d, pud_t *pud);
void pgd_populate(struct mm_struct *mm, pgd_t *pgd, p4d_t *p4d);

/* ---------------------------------------------------------------------
 * Allocation and freeing of tables (mm/pgtable-generic.c)
 */

pte_t *pte_alloc_one_kernel(struct mm_struct *mm);
pgtable_t pte_alloc_one(struct mm_struct *mm);
void pte_free_kernel(struct mm_struct *mm, pte_t *pte);
void pte_free(struct mm_struct *mm, pgtable_t pte);
pmd_t *pmd_alloc_one(struct mm_struct *mm, unsigned long addr);
void pmd_free(struct mm_struct *mm, pmd_t *pmd);
pud_t *pud_alloc_one(struct mm_struct *mm, unsigned long addr);
void pud_free(struct mm_struct *mm, pud_t *pud);
p4d_t *p4d_alloc_one(struct mm_struct *mm, unsigned long addr);
void p4d_free(struct mm_struct *mm, p4d_t *p4d);

int __pte_alloc(struct mm_struct *mm, pmd_t *pmd);
int __pte_alloc_kernel(pmd_t *pmd);
int __pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long address);
int __pud_alloc(struct mm_struct *mm, p4d_t *p4d, unsigned long address);
int __p4d_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long address);

/* Return the entry for @address one level down, allocating its table if
 * needed; NULL when out of memory. */
static inline p4d_t *p4d_alloc(struct mm_struct *mm, pgd_t *pgd, unsigned long address)
{
	return (unlikely(pgd_none(pgdp_get(pgd))) && __p4d_alloc(mm, pgd, address)) ?
		       NULL : p4d_offset(pgd, address);
}
static inline pud_t *pud_alloc(struct mm_struct *mm, p4d_t *p4d, unsigned long address)
{
	return (unlikely(p4d_none(p4dp_get(p4d))) && __pud_alloc(mm, p4d, address)) ?
		       NULL : pud_offset(p4d, address);
}
static inline pmd_t *pmd_alloc(struct mm_struct *mm, pud_t *pud, unsigned long address)
{
	return (unlikely(pud_none(pudp_get(pud))) && __pmd_alloc(mm, pud, address)) ?
		       NULL : pmd_offset(pud, address);
}
#define pte_alloc(mm, pmd)	(unlikely(pmd_none(pmdp_get(pmd))) && __pte_alloc(mm, pmd))
#define pte_alloc_map(mm, pmd, address) \
	(pte_alloc(mm, pmd) ? NULL : pte_offset_map(pmd, address))
#define pte_alloc_kernel(pmd, address)					\
	((unlikely(pmd_none(pmdp_get(pmd))) && __pte_alloc_kernel(pmd)) ? \
		 NULL : pte_offset_kernel(pmd, address))

/*
 * walk_to_pte_alloc - the PTE for @addr in @mm, allocating every missing
 * table on the way (mm/memory.c's walk_to_pmd() + pte_alloc_map()); NULL
 * when a table cannot be allocated.
 */
pte_t *walk_to_pte_alloc(struct mm_struct *mm, unsigned long addr);

/* The *_none_or_clear_bad helpers of mm/pgtable-generic.c. */
bool pgd_none_or_clear_bad(pgd_t *pgd);
bool p4d_none_or_clear_bad(p4d_t *p4d);
bool pud_none_or_clear_bad(pud_t *pud);
bool pmd_none_or_clear_bad(pmd_t *pmd);

struct mmu_gather;
/* Free the page tables (not the pages) in [addr, end), Linux's bounds rule. */
void free_pgd_range(struct mmu_gather *tlb, unsigned long addr, unsigned long end,
		    unsigned long floor, unsigned long ceiling);

/* ---------------------------------------------------------------------
 * The kernel page table and address windows
 */

/* Simulated kernel virtual address of a host pointer into the direct map,
 * vmalloc, pkmap or fixmap window; 0 when @p is in none of them. */
unsigned long host_to_kva(const void *p);
/* Host pointer of a simulated kernel virtual address in those windows
 * (window arithmetic, not a page-table walk); NULL outside them. */
void *kva_to_host(unsigned long kva);
/* Simulated direct-map address of a physical address (lowmem). */
unsigned long phys_to_kva(phys_addr_t pa);

/* Page-table walk in software (no TLB, no A/D): the physical address
 * @addr maps to in @mm, and the leaf's size (PAGE_SIZE, PMD_SIZE,
 * PUD_SIZE); -EFAULT when unmapped. */
int pgtable_lookup(struct mm_struct *mm, unsigned long addr, phys_addr_t *pa,
		   unsigned long *size, u64 *leaf);

/*
 * arch_direct_map_sizes - how the direct map is mapped, for meminfo's
 * DirectMap4k / DirectMap2M (DirectMap4M on i386 without PAE) /
 * DirectMap1G lines.  Values in kB.  On arm64 the middle and large sizes
 * are the granule's PMD and PUD block sizes.
 */
void arch_direct_map_sizes(unsigned long *kb4k, unsigned long *kb2m_or_4m, unsigned long *kb1g);
struct seq_file;
/* The arch's lines of /proc/meminfo (x86: DirectMap4k/2M/4M/1G). */
void arch_report_meminfo(struct seq_file *sf);

/* Page-table pages of the current machine: user tables (NR_PAGETABLE) and
 * the kernel's.  For tests and show_mem. */
unsigned long nr_kernel_pgtable_pages(void);

#endif
