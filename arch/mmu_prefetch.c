// SPDX-License-Identifier: GPL-2.0
/*
 * arch/mmu_prefetch.c - mmu_prefetch(): a host-cache hint for a
 * translation the caller knows is coming (the trace replay knows its next
 * accesses: tools/lab/replay_kernel.c).
 *
 * What it does: reads the page-table entries on @va's way down from the
 * CPU's current root, as the walker would (x86: _PAGE_PRESENT and PSE;
 * arm64: valid and table bits), and issues a host prefetch of the last
 * entry the walk would load (the PTE, or a huge leaf), plus the TLB
 * index slot mmu_translate() probes first and the L2 TLB entry its way
 * hint names (tlb_lookup_hinted's first probe).  On a trace bigger than the
 * host's caches that leaf entry is the walk's one cache miss
 * (docs/lab.md, "Speed"); fetched a few accesses early, the walk finds it
 * in cache.
 *
 * What it does not do: nothing simulated.  No Accessed/Dirty bit is set,
 * no TLB entry is filled, no statistic is counted, no fault is raised; a
 * non-present entry ends it.  It is a hint: the translation that follows
 * reads everything again with the walker's rules, so a table changed
 * in between costs only the wasted prefetch.
 *
 * Locking: none; entries are read with relaxed atomic loads (page tables
 * are freed only by their mm's owner under mmap_lock, and the caller is
 * the thread running on this CPU with that mm loaded, as for
 * mmu_translate()).  Tables live in simulated RAM (the direct map), so
 * every table address a present non-leaf entry gives is readable host
 * memory.
 */
#include "arch/pgtable.h"

void mmu_prefetch(unsigned long va)
{
	struct mmu_cpu *c = this_mmu_cpu();
	const struct pgtable_geom *g = c->hw->mmu->geom;
	char *dm = current_layout->direct_map - current_layout->phys_offset;
	unsigned long vpn = va >> c->page_shift;
	void *table = (c->kroot && (va >> 55 & 1)) ? c->kroot : c->root;

	__builtin_prefetch(tlb_fast_slot(c->fast, vpn, c->fast_salt));
	if (c->l2.hint)		/* the L2 way the slow path looks at first */
		__builtin_prefetch(c->l2.arr[0]->e + *tlb_hint_slot(c, &c->l2, va));
	if (!table || ((va + c->canon_add) >> c->va_bits))
		return;
	for (int i = 0; i < g->nr_hw; i++) {
		const struct pgt_hw_level *lv = &g->hw[i];
		unsigned long idx = (va >> lv->shift) & (lv->ptrs - 1);
		bool last = i == g->nr_hw - 1;
		u64 e;

		if (g->entry_shift == 2) {
			u32 *ep = (u32 *)table + idx;

			if (last) {
				__builtin_prefetch(ep);
				return;
			}
			e = __atomic_load_n(ep, __ATOMIC_RELAXED);
		} else {
			u64 *ep = (u64 *)table + idx;

			if (last) {
				__builtin_prefetch(ep);
				return;
			}
			e = __atomic_load_n(ep, __ATOMIC_RELAXED);
		}
		if (!(e & g->b_present))
			return;
		if (!lv->pdpte &&
		    (g->arm64 ? !(e & PTE_TABLE_BIT) : (lv->leaf_class != 3 && (e & _PAGE_PSE))))
			return;	/* a huge leaf: its entry is cached now */
		table = dm + (e & g->phys_mask);
	}
}
