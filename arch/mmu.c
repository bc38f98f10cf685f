// SPDX-License-Identifier: GPL-2.0
/*
 * arch/mmu.c - the access path of a simulated CPU: mmu_translate() (TLB,
 * then a page walk), switch_mm(), and the host view of physical memory.
 *
 * mmu_translate() fast path (inline below, a handful of instructions):
 * one relaxed load of the CPU's flush_pending flag and one slot of the L1
 * index (arch/pgtable.h): page number, context and permission compared,
 * the page's pa or'ed with the offset.  Everything else -- pending remote
 * flushes, the canonical check, the L1 arrays (skipped while every L1
 * entry is owned by an index slot: arch/pgtable.h), the L2 TLB, the walk,
 * faults -- is mmu_translate_slow(), which indexes the L1 entry it used
 * or filled, so the next access to that page hits.  The walk is the
 * arch's walker for this geometry (c->walk, one indirect call).
 *
 * Root selection: x86 walks from CR3 (the loaded mm's pgd, whose kernel
 * half is swapper_pg_dir's); arm64 walks addresses with bit 55 set from
 * TTBR1 (swapper_pg_dir) and the others from TTBR0 (the loaded mm's pgd,
 * or an empty table while init_mm is loaded).
 *
 * Beside this path: a guest's two-stage translation has its own entry,
 * kvm_vcpu_translate() (arch/kvm_walk.c), in the same TLB arrays with
 * VMID-tagged ctx values; x86 segmentation is a separate entry in front
 * of mmu_translate() (arch/segment.c: seg_translate()).  Neither adds an
 * instruction here.
 *
 * Locking: none on the access path; the CPU's TLB and context belong to
 * the thread entered on it (arch/pgtable.h).  switch_mm() runs on the CPU
 * it switches.
 */
#include <stdio.h>
#include "arch/pgtable.h"

void *mmu_root_of(struct mm_struct *mm)
{
	struct arch_mmu *mmu = current_hw()->mmu;

	if (mmu->geom->arm64 && mm->is_init_mm)
		return mmu->reserved_pg_dir;
	return mm->pgd;
}

static inline bool va_noncanonical(const struct mmu_cpu *c, unsigned long va)
{
	return (va + c->canon_add) >> c->va_bits;
}

static int mmu_fault_noncanonical(struct mmu_cpu *c, unsigned long va, unsigned int acc,
				  struct mmu_fault *f)
{
	tlb_stat_inc(c, faults);
	if (!f)
		return -EFAULT;
	f->addr = va;
	f->access = acc;
	f->kind = MMU_FAULT_NONCANONICAL;
	f->level = PGT_PGD;
	f->error_code = 0;	/* #GP(0); arm64: translation fault level 0 */
	if (c->hw->mmu->geom->arm64)
		f->error_code = (((acc & 3) == MMU_EXEC ? ESR_ELx_EC_IABT_CUR : ESR_ELx_EC_DABT_CUR)
				 << ESR_ELx_EC_SHIFT) | ESR_ELx_FSC_FAULT;
	return -EFAULT;
}

static inline phys_addr_t tlb_entry_pa(const struct mmu_cpu *c, const struct tlb_entry *e,
				       int cls, unsigned long va)
{
	return e->pa | (va & ((1UL << c->cls_shift[cls]) - 1));
}

/* Walk and fill: the L2 miss path.  @absent: neither TLB has an entry for
 * @va in the CPU's context (else one without the right was found); @s: the
 * slot of @va in @l1's index. */
static int mmu_walk_fill(struct mmu_cpu *c, struct tlb *l1, struct tlb_fast *s, unsigned long va,
			 unsigned int acc, phys_addr_t *pa, struct mmu_fault *f, bool absent)
{
	void *root = (c->kroot && (va >> 55 & 1)) ? c->kroot : c->root;
	struct walk_result r;
	struct tlb_entry e, *l1e, *l2e;
	int ret;

	tlb_stat_inc(c, walks);
	ret = c->walk(c, root, va, acc, &r, f);
	if (ret) {
		tlb_stat_inc(c, faults);
		return ret;
	}
	e.key = (((va & c->va_mask) >> c->cls_shift[r.cls]) << 3) | ((u64)r.cls << 1) | 1;
	e.pa = r.pa;
	e.ctx = r.global ? TLB_CTX_GLOBAL : c->ctx;
	e.allow = r.allow;
	l2e = __tlb_fill(c, &c->l2, &e, r.cls, absent);
	if (l2e && r.cls == 0 && c->l2.hint)
		*tlb_hint_slot(c, &c->l2, va) = (u16)(l2e - c->l2.arr[0]->e);
	l1e = __tlb_fill(c, l1, &e, r.cls, absent);
	if (l1e)
		tlb_fast_fill_new(c, l1, s, l1e, r.cls, va);
	*pa = tlb_entry_pa(c, &e, r.cls, va);
	return 0;
}

/*
 * Everything but an L1 index hit: pending remote flushes, the canonical
 * check, the L1 arrays (an entry the index does not hold: a slot taken by
 * another page, a huge page not indexed yet), the L2, the walk.
 */
static noinline int mmu_translate_slow(unsigned long va, unsigned int acc, phys_addr_t *pa,
				       struct mmu_fault *f, struct mmu_cpu *c, struct tlb_fast *s)
{
	struct tlb *l1 = (acc & MMU_EXEC) ? &c->l1i : &c->l1d;
	struct tlb_entry *e;
	int cls;

	if (atomic_load_explicit(&c->flush_pending, memory_order_relaxed))
		tlb_process_pending(c);
	if (va_noncanonical(c, va))
		return mmu_fault_noncanonical(c, va, acc, f);
	/* Every L1 entry owned by a slot, and this page's slot not of this
	 * page and context: the L1 has no entry for it (arch/pgtable.h). */
	if (!l1->nr_unindexed && !(s->vpn == va >> c->page_shift && s->ctx == c->ctx))
		e = NULL;
	else
		e = tlb_lookup(l1, va, c->ctx, c, &cls);
	if (e && (e->allow >> acc & 1)) {
		WRITE_ONCE(c->l1_hits, c->l1_hits + 1);
		tlb_fast_fill(c, l1, s, e, cls, va);
		*pa = va + s->delta;
		return 0;
	}
	if (e)		/* cached without the needed right: walk again */
		return mmu_walk_fill(c, l1, s, va, acc, pa, f, false);
	e = tlb_lookup_hinted(c, &c->l2, va, &cls);
	if (e && (e->allow >> acc & 1)) {
		struct tlb_entry *l1e;

		tlb_stat_inc(c, l2_hits);
		*pa = tlb_entry_pa(c, e, cls, va);
		l1e = tlb_fill_va(c, l1, e, cls, true, va);
		if (l1e)	/* (from e, a copy of l1e already loaded) */
			tlb_fast_fill_new(c, l1, s, e, cls, va);
		return 0;
	}
	return mmu_walk_fill(c, l1, s, va, acc, pa, f, !e);
}

/*
 * The L1 hit: one slot of the CPU's L1 index, no loop (arch/pgtable.h).
 * A non-canonical address never matches (the slot holds all the bits of a
 * canonical one), so the canonical check waits for the slow path.
 */
static __always_inline int __mmu_translate(unsigned long va, unsigned int acc, phys_addr_t *pa,
					   struct mmu_fault *f)
{
	struct mmu_cpu *c = this_mmu_cpu();
	unsigned long vpn = va >> c->page_shift;
	/* l1i.fast for an instruction fetch, l1d.fast otherwise */
	struct tlb_fast *s = tlb_fast_slot(c->fast + (acc & MMU_EXEC) * (TLB_FAST_SIZE / 2), vpn,
					   c->fast_salt);

	if (likely(!atomic_load_explicit(&c->flush_pending, memory_order_relaxed) &&
		   s->vpn == vpn && s->ctx == c->ctx && (s->allow >> acc & 1))) {
		WRITE_ONCE(c->l1_hits, c->l1_hits + 1);
		*pa = va + s->delta;
		return 0;
	}
	/* (mmu_translate's own arguments first: a jump, no register moves) */
	return mmu_translate_slow(va, acc, pa, f, c, s);
}

int mmu_translate(unsigned long va, unsigned int acc, phys_addr_t *pa, struct mmu_fault *f)
{
	return __mmu_translate(va, acc, pa, f);
}

void *mmu_phys_to_host(phys_addr_t pa)
{
	const struct machine_hw *hw = current_hw();

	if (PHYS_PFN(pa) < hw->layout.max_low_pfn)
		return __va(pa);
	if (!hw->physport)
		return NULL;
	return hw->physport + (pa - hw->layout.phys_offset);
}

void *mmu_access(unsigned long va, unsigned int access, struct mmu_fault *f)
{
	phys_addr_t pa;

	if (__mmu_translate(va, access, &pa, f))
		return NULL;
	return mmu_phys_to_host(pa);
}

/**
 * switch_mm - load @next on the current CPU.
 * @prev: the mm being left (unused: the CPU knows what it has loaded).
 * @next: the mm to load.
 * @tsk: unused.
 *
 * Sets the CPU in mm_cpumask(@next), loads its root table and ASID/PCID
 * (flushing when the arch must), and moves the CPU's mm_count reference.
 * Context: the thread entered on the CPU.
 */
void switch_mm(struct mm_struct *prev, struct mm_struct *next, struct task_struct *tsk)
{
	struct mmu_cpu *c = this_mmu_cpu();
	struct mm_struct *old = c->active_mm;

	(void)prev;
	(void)tsk;
	if (atomic_load_explicit(&c->flush_pending, memory_order_relaxed))
		tlb_process_pending(c);
	if (old == next)
		return;
	mm_cpumask_set_cpu(c->cpu, mm_cpumask(next));
	mmgrab(next);
	c->root = mmu_root_of(next);
	asid_switch(c, next);
	c->active_mm = next;
	tlb_stat_inc(c, ctx_switches);
	mmdrop(old);
}

struct mm_struct *mmu_active_mm(void)
{
	return this_mmu_cpu()->active_mm;
}
