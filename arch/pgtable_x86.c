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

/* Set Accessed (and Dirty on a write) in the leaf; returns the new value. */
static u64 x86_mark_leaf(void *ep, u64 e, bool write)
{
	u64 want = _PAGE_ACCESSED | (write ? _PAGE_DIRTY : 0);

	if ((e & want) != want)
		e = __pt_or(ep, want) | want;
	return e;
}

int x86_walk(struct mmu_cpu *c, void *root, unsigned long va, unsigned int acc,
	     struct walk_result *r, struct mmu_fault *f)
{
	const struct pgtable_geom *g = pgt_geom();
	bool rw = true, us = true, nx = false;
	void *table = root;

	for (int i = 0; i < g->nr_hw; i++) {
		const struct pgt_hw_level *hl = &g->hw[i];
		void *ep = __pt_entry(table, (va >> hl->shift) & (hl->ptrs - 1));
		u64 e = __pt_load(ep);
		bool leaf;

		if (!(e & _PAGE_PRESENT))
			return x86_fault(f, va, acc, hl->lvl, 0);
		if (hl->pdpte) {
			table = __pt_table(e);
			continue;
		}
		leaf = hl->leaf_class == 0 || (e & _PAGE_PSE);
		if (leaf && hl->leaf_class == 3)
			return x86_fault(f, va, acc, hl->lvl, X86_PF_PROT | X86_PF_RSVD);
		rw = rw && (e & _PAGE_RW);
		us = us && (e & _PAGE_USER);
		nx = nx || (e & g->b_nx);
		if (!leaf) {
			if (!(e & _PAGE_ACCESSED))
				__pt_or(ep, _PAGE_ACCESSED);
			table = __pt_table(e);
			continue;
		}
		if (!(x86_allow(rw, us, nx, true) >> acc & 1))
			return x86_fault(f, va, acc, hl->lvl, X86_PF_PROT);
		e = x86_mark_leaf(ep, e, (acc & 3) == MMU_WRITE);
		r->cls = hl->leaf_class;
		r->pa = (e & g->phys_mask) & ~(((phys_addr_t)1 << c->cls_shift[r->cls]) - 1);
		r->global = e & _PAGE_GLOBAL;
		r->allow = x86_allow(rw, us, nx, e & _PAGE_DIRTY);
		return 0;
	}
	return x86_fault(f, va, acc, PGT_PTE, 0);	/* not reached */
}
