// SPDX-License-Identifier: GPL-2.0
/*
 * arch/pgtable_x86.c - the x86 page walker (4-level, 5-level, 2-level,
 * PAE), as the hardware does it with CR0.WP=1, CR4.PGE=1, CR4.SMEP=1 and
 * SMAP off (the kernel reaches user pages, as inside stac/clac).
 *
 * Rules: every paging-structure entry on the way must be present; RW and
 * US are and-ed over the levels and NX (EFER.NXE, not on i386 without PAE)
 * is or-ed; PS ends the walk at the PDPTE (1G, 64-bit only) or PDE (2M,
 * 4M without PAE); a PS bit where no large page exists is a reserved-bit
 * fault.  The PAE PDPTE has only P (no A/RW/US).  Accessed is set in every
 * entry used by a walk, Dirty in the leaf on a write, with atomic ORs so
 * that software clearing A (ptep_test_and_clear_young) is never lost.  A
 * TLB entry remembers whether Dirty was set: a write through a clean entry
 * walks again to set it, as the hardware's assist does.
 *
 * Code: one walker per geometry (x86_64, la57, i386, PAE), each the same
 * always-inline body instantiated with that geometry's levels as
 * constants and its entry width (32 or 64 bits), so a level is a load, a
 * few bit tests and an add: no per-level geometry lookups or indirect
 * calls.  The constants are checked against pgtable_geoms[] at boot
 * (x86_walker).
 *
 * No locks; the entries are read with acquire loads.
 */
#include "arch/pgtable.h"

/* Access types the translation allows without another walk. */
static u32 x86_allow(bool rw, bool us, bool nx, bool dirty)
{
	u32 m = 1u << MMU_READ;

	if (rw && dirty)
		m |= 1u << MMU_WRITE;
	if (!nx && !us)
		m |= 1u << MMU_EXEC;	/* SMEP: no kernel exec of user pages */
	if (us) {
		m |= 1u << (MMU_USER | MMU_READ);
		if (rw && dirty)
			m |= 1u << (MMU_USER | MMU_WRITE);
		if (!nx)
			m |= 1u << (MMU_USER | MMU_EXEC);
	}
	return m;
}

static int x86_fault(struct mmu_fault *f, unsigned long va, unsigned int acc, int lvl,
		     unsigned long code)
{
	if (!f)
		return -EFAULT;
	f->addr = va;
	f->access = acc;
	f->level = lvl;
	if (acc & MMU_WRITE)
		code |= X86_PF_WRITE;
	if (acc & MMU_USER)
		code |= X86_PF_USER;
	if ((acc & 3) == MMU_EXEC && pgt_geom()->b_nx)
		code |= X86_PF_INSTR;
	f->error_code = code;
	f->kind = (code & X86_PF_RSVD) ? MMU_FAULT_RSVD :
		  (code & X86_PF_PROT) ? MMU_FAULT_PROT : MMU_FAULT_NOT_PRESENT;
	return -EFAULT;
}

/* One hardware level as the walker knows it (constants of its geometry). */
struct x86_wlevel {
	unsigned char shift;		/* address bits below the index */
	unsigned char lvl;		/* enum pgt_level, for the fault */
	unsigned char leaf_class;	/* 0 pte, 1 pmd, 2 pud; 3: no leaf here */
	unsigned char pdpte;		/* PAE PDPTE: P only */
	unsigned int ptrs;		/* entries per table */
};

#define WL(s, l, c, p)	{ .shift = (s), .lvl = (l), .leaf_class = (c), .ptrs = (p) }

static const struct x86_wlevel x86_64_levels[] = {
	WL(39, PGT_PGD, 3, 512), WL(30, PGT_PUD, 2, 512), WL(21, PGT_PMD, 1, 512),
	WL(12, PGT_PTE, 0, 512),
};
static const struct x86_wlevel la57_levels[] = {
	WL(48, PGT_PGD, 3, 512), WL(39, PGT_P4D, 3, 512), WL(30, PGT_PUD, 2, 512),
	WL(21, PGT_PMD, 1, 512), WL(12, PGT_PTE, 0, 512),
};
static const struct x86_wlevel i386_levels[] = {
	WL(22, PGT_PMD, 1, 1024), WL(12, PGT_PTE, 0, 1024),
};
static const struct x86_wlevel pae_levels[] = {
	{ .shift = 30, .lvl = PGT_PUD, .leaf_class = 3, .pdpte = 1, .ptrs = 4 },
	WL(21, PGT_PMD, 1, 512), WL(12, PGT_PTE, 0, 512),
};

/* Entry access of a constant width (@e32: 32-bit entries, i386). */
static __always_inline u64 x86_load(const void *table, unsigned long idx, bool e32)
{
	if (e32)
		return __atomic_load_n((const u32 *)table + idx, __ATOMIC_ACQUIRE);
	return __atomic_load_n((const u64 *)table + idx, __ATOMIC_ACQUIRE);
}

static __always_inline u64 x86_or(void *table, unsigned long idx, u64 bits, bool e32)
{
	if (e32)
		return __atomic_fetch_or((u32 *)table + idx, (u32)bits, __ATOMIC_ACQ_REL);
	return __atomic_fetch_or((u64 *)table + idx, bits, __ATOMIC_ACQ_REL);
}

/*
 * The walk of one geometry: @lv[0..@n-1] its levels, @e32 its entry width,
 * @nx_bit its NX bit (0 without NX), @phys_mask its address bits.
 */
static __always_inline int x86_walk_one(struct mmu_cpu *c, void *root, unsigned long va,
					unsigned int acc, struct walk_result *r,
					struct mmu_fault *f, const struct x86_wlevel *lv,
					const int n, const bool e32, const u64 nx_bit,
					const u64 phys_mask)
{
	/* __va() of a table's physical address, without a TLS load a level. */
	char *dm = current_layout->direct_map - current_layout->phys_offset;
	u64 all = ~0ULL, any = 0;	/* and, or of the entries on the way */
	void *table = root;

	MMSIM_UNROLL
	for (int i = 0; i < n; i++) {
		unsigned long idx = (va >> lv[i].shift) & (lv[i].ptrs - 1);
		u64 e = x86_load(table, idx, e32);
		bool leaf, rw, us, nx;

		if (!(e & _PAGE_PRESENT))
			return x86_fault(f, va, acc, lv[i].lvl, 0);
		if (lv[i].pdpte) {
			table = dm + (e & phys_mask);
			continue;
		}
		leaf = lv[i].leaf_class == 0 || (e & _PAGE_PSE);
		if (leaf && lv[i].leaf_class == 3)
			return x86_fault(f, va, acc, lv[i].lvl, X86_PF_PROT | X86_PF_RSVD);
		/* RW and US and-ed over the levels, NX or-ed */
		all &= e;
		any |= e;
		if (!leaf) {
			if (!(e & _PAGE_ACCESSED))
				x86_or(table, idx, _PAGE_ACCESSED, e32);
			table = dm + (e & phys_mask);
			continue;
		}
		rw = all & _PAGE_RW;
		us = all & _PAGE_USER;
		nx = any & nx_bit;
		if (!(x86_allow(rw, us, nx, true) >> acc & 1))
			return x86_fault(f, va, acc, lv[i].lvl, X86_PF_PROT);
		{
			u64 want = _PAGE_ACCESSED | ((acc & 3) == MMU_WRITE ? _PAGE_DIRTY : 0);

			/* Accessed, and Dirty on a write: an atomic OR, so
			 * that software clearing A is never lost. */
			if ((e & want) != want)
				e = x86_or(table, idx, want, e32) | want;
		}
		r->cls = lv[i].leaf_class;
		r->pa = (e & phys_mask) & ~(((phys_addr_t)1 << lv[i].shift) - 1);
		r->global = e & _PAGE_GLOBAL;
		r->allow = x86_allow(rw, us, nx, e & _PAGE_DIRTY);
		return 0;
	}
	return x86_fault(f, va, acc, PGT_PTE, 0);	/* not reached */
}

static int x86_64_walk(struct mmu_cpu *c, void *root, unsigned long va, unsigned int acc,
		       struct walk_result *r, struct mmu_fault *f)
{
	return x86_walk_one(c, root, va, acc, r, f, x86_64_levels, ARRAY_SIZE(x86_64_levels),
			    false, _PAGE_NX, 0x000ffffffffff000ULL);
}

static int la57_walk(struct mmu_cpu *c, void *root, unsigned long va, unsigned int acc,
		     struct walk_result *r, struct mmu_fault *f)
{
	return x86_walk_one(c, root, va, acc, r, f, la57_levels, ARRAY_SIZE(la57_levels),
			    false, _PAGE_NX, 0x000ffffffffff000ULL);
}

static int i386_walk(struct mmu_cpu *c, void *root, unsigned long va, unsigned int acc,
		     struct walk_result *r, struct mmu_fault *f)
{
	return x86_walk_one(c, root, va, acc, r, f, i386_levels, ARRAY_SIZE(i386_levels),
			    true, 0, 0xfffff000ULL);
}

static int pae_walk(struct mmu_cpu *c, void *root, unsigned long va, unsigned int acc,
		    struct walk_result *r, struct mmu_fault *f)
{
	return x86_walk_one(c, root, va, acc, r, f, pae_levels, ARRAY_SIZE(pae_levels),
			    false, _PAGE_NX, 0x000ffffffffff000ULL);
}

/* Do @lv[0..@n-1], @e32, @nx and @phys_mask describe @g's walk? */
static bool x86_levels_match(const struct pgtable_geom *g, const struct x86_wlevel *lv, int n,
			     bool e32, u64 nx, u64 phys_mask)
{
	if (g->nr_hw != n || (g->entry_shift == 2) != e32 || g->b_nx != nx ||
	    g->phys_mask != phys_mask)
		return false;
	for (int i = 0; i < n; i++)
		if (g->hw[i].shift != lv[i].shift || g->hw[i].lvl != lv[i].lvl ||
		    g->hw[i].leaf_class != lv[i].leaf_class || g->hw[i].pdpte != lv[i].pdpte ||
		    g->hw[i].ptrs != lv[i].ptrs)
			return false;
	return true;
}

/* The walker of x86 geometry @g, NULL if none fits (a bug: boot fails). */
mmu_walk_fn x86_walker(const struct pgtable_geom *g)
{
	static const struct {
		const struct x86_wlevel *lv;
		int n;
		bool e32;
		u64 nx, phys_mask;
		mmu_walk_fn fn;
	} w[] = {
		{ x86_64_levels, ARRAY_SIZE(x86_64_levels), false, _PAGE_NX, 0x000ffffffffff000ULL,
		  x86_64_walk },
		{ la57_levels, ARRAY_SIZE(la57_levels), false, _PAGE_NX, 0x000ffffffffff000ULL,
		  la57_walk },
		{ i386_levels, ARRAY_SIZE(i386_levels), true, 0, 0xfffff000ULL, i386_walk },
		{ pae_levels, ARRAY_SIZE(pae_levels), false, _PAGE_NX, 0x000ffffffffff000ULL,
		  pae_walk },
	};

	for (size_t i = 0; i < ARRAY_SIZE(w); i++)
		if (x86_levels_match(g, w[i].lv, w[i].n, w[i].e32, w[i].nx, w[i].phys_mask))
			return w[i].fn;
	return NULL;
}
