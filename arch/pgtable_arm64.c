// SPDX-License-Identifier: GPL-2.0
/*
 * arch/pgtable_arm64.c - the arm64 stage-1 walker (48-bit VA; 4K and 16K
 * granules start at level 0, 64K at level 1), with FEAT_HAFDBS: the
 * hardware sets AF on first use and, on a write to a PTE_RDONLY entry that
 * has DBM (PTE_WRITE), clears PTE_RDONLY (hardware dirty).  PAN is off (the
 * kernel reaches user pages, as inside uaccess_enable).
 *
 * Rules: a descriptor with bit 0 clear is a translation fault at its level;
 * at levels 0-2 bit 1 set is a table, bit 1 clear a block where the
 * granule has blocks at that level (4K: levels 1, 2; 16K, 64K: level 2);
 * at level 3 bit 1 must be set.  Table descriptors carry PXNTable,
 * UXNTable and APTable, which restrict everything below.  Permissions of
 * the leaf: AP[1] (PTE_USER) grants EL0 access, AP[2] (PTE_RDONLY) makes it
 * read-only, UXN/PXN forbid execution at EL0/EL1, and memory writable at
 * EL0 is never executable at EL1.  nG=0 makes the entry global.  The
 * Contiguous bit (PTE_CONT, bit 52; hugetlb's CONT_PTE/CONT_PMD runs) is
 * a hint that the TLB may cache the aligned run as one entry: each entry
 * is a complete translation, so the walker reads it like any other (the
 * bit is outside the output address and the permission bits), sets AF and
 * hardware dirty on that entry alone (as FEAT_HAFDBS does per descriptor),
 * and the TLB model caches each entry by itself (docs/mmu.md).
 *
 * Code: one walker per granule, the same always-inline body instantiated
 * with the granule's levels as constants (checked against pgtable_geoms[]
 * at boot, arm64_walker): no per-level geometry lookups or indirect calls.
 *
 * No locks; AF and dirty updates are atomic on the entry.
 */
#include "arch/pgtable.h"

struct arm64_perm {
	bool user_ok;		/* AP[1] and not APTable[0] */
	bool ro;		/* AP[2] now */
	bool dbm;		/* hardware may clear AP[2] */
	bool ro_table;		/* APTable[1] */
	bool uxn, pxn;
};

/* Access types allowed; @dirty_ok: count a write that needs AP[2] cleared
 * by hardware as allowed (for the permission check, not the TLB). */
static u32 arm64_allow(const struct arm64_perm *p, bool dirty_ok)
{
	bool writable = !p->ro_table && (!p->ro || (dirty_ok && p->dbm));
	u32 m = 1u << MMU_READ;

	if (writable)
		m |= 1u << MMU_WRITE;
	if (!p->pxn && !(p->user_ok && writable))
		m |= 1u << MMU_EXEC;
	if (p->user_ok) {
		m |= 1u << (MMU_USER | MMU_READ);
		if (writable)
			m |= 1u << (MMU_USER | MMU_WRITE);
	}
	if (!p->uxn)
		m |= 1u << (MMU_USER | MMU_EXEC);
	return m;
}

static int arm64_fault(struct mmu_fault *f, unsigned long va, unsigned int acc, int lvl,
		       int arm_level, unsigned long fsc, enum mmu_fault_kind kind)
{
	unsigned long ec;

	if (!f)
		return -EFAULT;
	if ((acc & 3) == MMU_EXEC)
		ec = (acc & MMU_USER) ? ESR_ELx_EC_IABT_LOW : ESR_ELx_EC_IABT_CUR;
	else
		ec = (acc & MMU_USER) ? ESR_ELx_EC_DABT_LOW : ESR_ELx_EC_DABT_CUR;
	f->addr = va;
	f->access = acc;
	f->level = lvl;
	f->kind = kind;
	f->error_code = (ec << ESR_ELx_EC_SHIFT) | (fsc + (unsigned long)arm_level) |
			((acc & 3) == MMU_WRITE ? ESR_ELx_WNR : 0);
	return -EFAULT;
}

/* AF on first use; hardware dirty on a write.  Returns the new value. */
static u64 arm64_mark_leaf(void *ep, u64 e, bool write)
{
	if (!(e & PTE_AF))
		e = __pt_or(ep, PTE_AF) | PTE_AF;
	while (write && (e & PTE_RDONLY) && (e & PTE_DBM)) {
		if (__pt_cmpxchg(ep, &e, e & ~PTE_RDONLY)) {
			e &= ~PTE_RDONLY;
			break;
		}
	}
	return e;
}

/* One level of a granule's walk (constants). */
struct arm64_wlevel {
	unsigned char shift;		/* address bits below the index */
	unsigned char lvl;		/* enum pgt_level, for the fault */
	unsigned char leaf_class;	/* 0 page, 1 or 2 block; 3: no block here */
	unsigned int ptrs;		/* entries per table */
};

#define WL(s, l, c, p)	{ .shift = (s), .lvl = (l), .leaf_class = (c), .ptrs = (p) }

static const struct arm64_wlevel arm64_4k_levels[] = {
	WL(39, PGT_PGD, 3, 512), WL(30, PGT_PUD, 2, 512), WL(21, PGT_PMD, 1, 512),
	WL(12, PGT_PTE, 0, 512),
};
static const struct arm64_wlevel arm64_16k_levels[] = {
	WL(47, PGT_PGD, 3, 2), WL(36, PGT_PUD, 3, 2048), WL(25, PGT_PMD, 1, 2048),
	WL(14, PGT_PTE, 0, 2048),
};
static const struct arm64_wlevel arm64_64k_levels[] = {
	WL(42, PGT_PGD, 3, 64), WL(29, PGT_PMD, 1, 8192), WL(16, PGT_PTE, 0, 8192),
};

static __always_inline int arm64_walk_one(struct mmu_cpu *c, void *root, unsigned long va,
					  unsigned int acc, struct walk_result *r,
					  struct mmu_fault *f, const struct arm64_wlevel *lv,
					  const int n, const u64 phys_mask)
{
	/* __va() of a table's physical address, without a TLS load a level. */
	char *dm = current_layout->direct_map - current_layout->phys_offset;
	struct arm64_perm p = { 0 };
	u64 tbl = 0;		/* or of the table descriptors on the way */
	void *table = root;

	MMSIM_UNROLL
	for (int i = 0; i < n; i++) {
		int arm_level = 4 - n + i;
		bool last = i == n - 1;
		u64 *ep = (u64 *)table + ((va >> lv[i].shift) & (lv[i].ptrs - 1));
		u64 e = __atomic_load_n(ep, __ATOMIC_ACQUIRE);

		if (!(e & PTE_VALID))
			return arm64_fault(f, va, acc, lv[i].lvl, arm_level, ESR_ELx_FSC_FAULT,
					   MMU_FAULT_NOT_PRESENT);
		if (!last && (e & PTE_TABLE_BIT)) {
			/* PXNTable, UXNTable, APTable: or-ed over the tables */
			tbl |= e;
			table = dm + (e & phys_mask);
			continue;
		}
		if ((!last && lv[i].leaf_class == 3) || (last && !(e & PTE_TABLE_BIT)))
			return arm64_fault(f, va, acc, lv[i].lvl, arm_level, ESR_ELx_FSC_FAULT,
					   MMU_FAULT_NOT_PRESENT);
		p.ro_table = tbl & PMD_TABLE_AP_RO;
		p.user_ok = (e & PTE_USER) && !(tbl & PMD_TABLE_AP_NOEL0);
		p.ro = e & PTE_RDONLY;
		p.dbm = e & PTE_DBM;
		p.uxn = (tbl & PMD_TABLE_UXN) || (e & PTE_UXN);
		p.pxn = (tbl & PMD_TABLE_PXN) || (e & PTE_PXN);
		if (!(arm64_allow(&p, true) >> acc & 1))
			return arm64_fault(f, va, acc, lv[i].lvl, arm_level, ESR_ELx_FSC_PERM,
					   MMU_FAULT_PROT);
		e = arm64_mark_leaf(ep, e, (acc & 3) == MMU_WRITE);
		p.ro = e & PTE_RDONLY;
		r->cls = lv[i].leaf_class;
		r->pa = (e & phys_mask) & ~(((phys_addr_t)1 << lv[i].shift) - 1);
		r->global = !(e & PTE_NG);
		r->allow = arm64_allow(&p, false);
		return 0;
	}
	return -EFAULT;		/* not reached */
}

static int arm64_4k_walk(struct mmu_cpu *c, void *root, unsigned long va, unsigned int acc,
			 struct walk_result *r, struct mmu_fault *f)
{
	return arm64_walk_one(c, root, va, acc, r, f, arm64_4k_levels,
			      ARRAY_SIZE(arm64_4k_levels), 0x0000fffffffff000ULL);
}

static int arm64_16k_walk(struct mmu_cpu *c, void *root, unsigned long va, unsigned int acc,
			  struct walk_result *r, struct mmu_fault *f)
{
	return arm64_walk_one(c, root, va, acc, r, f, arm64_16k_levels,
			      ARRAY_SIZE(arm64_16k_levels), 0x0000ffffffffc000ULL);
}

static int arm64_64k_walk(struct mmu_cpu *c, void *root, unsigned long va, unsigned int acc,
			  struct walk_result *r, struct mmu_fault *f)
{
	return arm64_walk_one(c, root, va, acc, r, f, arm64_64k_levels,
			      ARRAY_SIZE(arm64_64k_levels), 0x0000ffffffff0000ULL);
}

static bool arm64_levels_match(const struct pgtable_geom *g, const struct arm64_wlevel *lv,
			       int n, u64 phys_mask)
{
	if (g->nr_hw != n || g->entry_shift != 3 || g->phys_mask != phys_mask)
		return false;
	for (int i = 0; i < n; i++)
		if (g->hw[i].shift != lv[i].shift || g->hw[i].lvl != lv[i].lvl ||
		    g->hw[i].leaf_class != lv[i].leaf_class || g->hw[i].ptrs != lv[i].ptrs ||
		    g->hw[i].pdpte)
			return false;
	return true;
}

/* The walker of arm64 geometry @g, NULL if none fits (a bug: boot fails). */
mmu_walk_fn arm64_walker(const struct pgtable_geom *g)
{
	static const struct {
		const struct arm64_wlevel *lv;
		int n;
		u64 phys_mask;
		mmu_walk_fn fn;
	} w[] = {
		{ arm64_4k_levels, ARRAY_SIZE(arm64_4k_levels), 0x0000fffffffff000ULL,
		  arm64_4k_walk },
		{ arm64_16k_levels, ARRAY_SIZE(arm64_16k_levels), 0x0000ffffffffc000ULL,
		  arm64_16k_walk },
		{ arm64_64k_levels, ARRAY_SIZE(arm64_64k_levels), 0x0000ffffffff0000ULL,
		  arm64_64k_walk },
	};

	for (size_t i = 0; i < ARRAY_SIZE(w); i++)
		if (arm64_levels_match(g, w[i].lv, w[i].n, w[i].phys_mask))
			return w[i].fn;
	return NULL;
}
