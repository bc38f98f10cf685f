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
 * EL0 is never executable at EL1.  nG=0 makes the entry global.
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

int arm64_walk(struct mmu_cpu *c, void *root, unsigned long va, unsigned int acc,
	       struct walk_result *r, struct mmu_fault *f)
{
	const struct pgtable_geom *g = pgt_geom();
	struct arm64_perm p = { 0 };
	bool noel0 = false;
	void *table = root;

	for (int i = 0; i < g->nr_hw; i++) {
		const struct pgt_hw_level *hl = &g->hw[i];
		int arm_level = 4 - g->nr_hw + i;
		bool last = i == g->nr_hw - 1;
		void *ep = __pt_entry(table, (va >> hl->shift) & (hl->ptrs - 1));
		u64 e = __pt_load(ep);

		if (!(e & PTE_VALID))
			return arm64_fault(f, va, acc, hl->lvl, arm_level, ESR_ELx_FSC_FAULT,
					   MMU_FAULT_NOT_PRESENT);
		if (!last && (e & PTE_TABLE_BIT)) {
			p.pxn |= !!(e & PMD_TABLE_PXN);
			p.uxn |= !!(e & PMD_TABLE_UXN);
			noel0 |= !!(e & PMD_TABLE_AP_NOEL0);
			p.ro_table |= !!(e & PMD_TABLE_AP_RO);
			table = __pt_table(e);
			continue;
		}
		if ((!last && hl->leaf_class == 3) || (last && !(e & PTE_TABLE_BIT)))
			return arm64_fault(f, va, acc, hl->lvl, arm_level, ESR_ELx_FSC_FAULT,
					   MMU_FAULT_NOT_PRESENT);
		p.user_ok = (e & PTE_USER) && !noel0;
		p.ro = e & PTE_RDONLY;
		p.dbm = e & PTE_DBM;
		p.uxn |= !!(e & PTE_UXN);
		p.pxn |= !!(e & PTE_PXN);
		if (!(arm64_allow(&p, true) >> acc & 1))
			return arm64_fault(f, va, acc, hl->lvl, arm_level, ESR_ELx_FSC_PERM,
					   MMU_FAULT_PROT);
		e = arm64_mark_leaf(ep, e, (acc & 3) == MMU_WRITE);
		p.ro = e & PTE_RDONLY;
		r->cls = hl->leaf_class;
		r->pa = (e & g->phys_mask) & ~(((phys_addr_t)1 << c->cls_shift[r->cls]) - 1);
		r->global = !(e & PTE_NG);
		r->allow = arm64_allow(&p, false);
		return 0;
	}
	return -EFAULT;		/* not reached */
}
