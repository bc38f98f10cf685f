// SPDX-License-Identifier: GPL-2.0
/*
 * arch/asid.c - address-space identifiers.
 *
 * arm64 (arch/arm64/mm/context.c): an mm's context.id is generation | ASID,
 * 8 or 16 ASID bits.  asid_map has a bit per ASID handed out in the current
 * generation; ASID 0 is never handed out (init_mm / reserved).  A CPU
 * switching to an mm whose id is of the current generation keeps it (the
 * fast path: one cmpxchg of the CPU's active_asid); otherwise, under
 * asid_lock, new_context() revalidates its old ASID if no one took it, or
 * takes a free one; when none is left (2^bits - 1 address spaces in one
 * generation) it rolls over: generation += 1 << bits, the map is cleared
 * except for each CPU's active (now reserved) ASID, and every CPU is marked
 * to flush its whole TLB before it next loads a context.
 *
 * x86 (arch/x86/mm/tlb.c): PCIDs are per CPU.  Each CPU has
 * TLB_NR_DYN_ASIDS slots naming the mm (by ctx_id, never reused) whose
 * entries carry PCID slot+1.  Switching to an mm with a slot reloads CR3
 * with NOFLUSH; otherwise the next slot round-robin is taken and its PCID
 * flushed.  Without PCIDs (i386, or mmu_set_pcid(false)) there is one slot
 * and PCID 0, so every switch to another mm flushes the non-global entries.
 *
 * Locking: asid_lock (arm64 slow path) protects asid_map, asid_cur_idx and
 * the CPUs' reserved_asid; asid_generation, active_asid and rollover_flush
 * are atomics (the fast path and flush_context race by cmpxchg/xchg as in
 * Linux).  x86 slots belong to their CPU's thread.
 *
 * Invariant (arm64): no two CPUs run different mms with the same
 * generation|ASID; a CPU never uses an entry tagged with an ASID of an
 * older generation without a full flush in between.
 */
#include <stdlib.h>
#include <string.h>
#include "arch/pgtable.h"

#define BITS_PER_LONG 64

static inline unsigned long nr_asids(const struct arch_mmu *mmu)
{
	return 1UL << mmu->asid_bits;
}

static inline u64 asid_mask(const struct arch_mmu *mmu)
{
	return nr_asids(mmu) - 1;
}

static void asid_set_bit(struct arch_mmu *mmu, unsigned long idx)
{
	mmu->asid_map[idx / BITS_PER_LONG] |= 1UL << (idx % BITS_PER_LONG);
}

static bool asid_test_and_set(struct arch_mmu *mmu, unsigned long idx)
{
	unsigned long *w = &mmu->asid_map[idx / BITS_PER_LONG];
	bool was = (*w >> (idx % BITS_PER_LONG)) & 1;

	*w |= 1UL << (idx % BITS_PER_LONG);
	return was;
}

static unsigned long asid_find_zero(struct arch_mmu *mmu, unsigned long from)
{
	for (unsigned long i = from; i < nr_asids(mmu); i++)
		if (!((mmu->asid_map[i / BITS_PER_LONG] >> (i % BITS_PER_LONG)) & 1))
			return i;
	return nr_asids(mmu);
}

static int asid_map_alloc(struct arch_mmu *mmu, unsigned int bits)
{
	unsigned long *map = calloc((1UL << bits) / BITS_PER_LONG, sizeof(long));

	if (!map)
		return -ENOMEM;
	free(mmu->asid_map);
	mmu->asid_map = map;
	mmu->asid_bits = bits;
	mmu->asid_cur_idx = 1;
	return 0;
}

int asid_init(struct arch_mmu *mmu)
{
	spin_lock_init(&mmu->asid_lock);
	atomic_init(&mmu->asid_rollovers, 0);
	if (asid_map_alloc(mmu, 16))
		return -ENOMEM;
	atomic_init(&mmu->asid_generation, 1ULL << mmu->asid_bits);
	return 0;
}

void asid_free(struct arch_mmu *mmu)
{
	free(mmu->asid_map);
	mmu->asid_map = NULL;
}

u64 asid_mm_id(struct mm_struct *mm)
{
	if (current_hw()->mmu->geom->arm64)
		return atomic_load_explicit(&mm->context.id, memory_order_relaxed);
	return mm->context.ctx_id;
}

/* The tag a flush request for @mm_id names on CPU @c, if it can have any. */
u32 asid_ctx_of(struct mmu_cpu *c, u64 mm_id, bool *found)
{
	struct arch_mmu *mmu = c->hw->mmu;

	*found = true;
	if (mmu->geom->arm64) {
		*found = (mm_id & asid_mask(mmu)) != 0;
		return (u32)(mm_id & asid_mask(mmu));
	}
	for (unsigned int i = 0; i < TLB_NR_DYN_ASIDS; i++)
		if (c->slot[i].ctx_id == mm_id)
			return READ_ONCE(mmu->pcid) ? i + 1 : 0;
	*found = false;
	return 0;
}

/* ---------------------------------------------------------------------
 * arm64
 */

static bool asid_gen_match(struct arch_mmu *mmu, u64 asid)
{
	u64 gen = atomic_load_explicit(&mmu->asid_generation, memory_order_relaxed);

	return !((asid ^ gen) >> mmu->asid_bits);
}

/* Called with asid_lock held. */
static void flush_context(struct arch_mmu *mmu)
{
	lockdep_assert_held(&mmu->asid_lock);
	memset(mmu->asid_map, 0, (nr_asids(mmu) / BITS_PER_LONG) * sizeof(long));
	for (int i = 0; i < mmu->nr_cpus; i++) {
		struct mmu_cpu *c = &mmu->cpus[i];
		u64 asid = atomic_exchange_explicit(&c->active_asid, 0, memory_order_relaxed);

		/* A CPU that rolled over before will keep its reserved ASID. */
		if (!asid)
			asid = c->reserved_asid;
		asid_set_bit(mmu, asid & asid_mask(mmu));
		c->reserved_asid = asid;
		atomic_store_explicit(&c->rollover_flush, true, memory_order_relaxed);
	}
	atomic_fetch_add_explicit(&mmu->asid_rollovers, 1, memory_order_relaxed);
}

/* Called with asid_lock held. */
static bool check_update_reserved_asid(struct arch_mmu *mmu, u64 asid, u64 newasid)
{
	bool hit = false;

	lockdep_assert_held(&mmu->asid_lock);
	for (int i = 0; i < mmu->nr_cpus; i++) {
		if (mmu->cpus[i].reserved_asid == asid) {
			hit = true;
			mmu->cpus[i].reserved_asid = newasid;
		}
	}
	return hit;
}

/* Called with asid_lock held (arm64's new_context()). */
static u64 new_context(struct arch_mmu *mmu, struct mm_struct *mm)
{
	u64 asid = atomic_load_explicit(&mm->context.id, memory_order_relaxed);
	u64 generation = atomic_load_explicit(&mmu->asid_generation, memory_order_relaxed);
	unsigned long idx;

	lockdep_assert_held(&mmu->asid_lock);
	if (asid) {
		u64 newasid = generation | (asid & asid_mask(mmu));

		/* A reserved ASID survives the rollover; else reuse if free. */
		if (check_update_reserved_asid(mmu, asid, newasid))
			return newasid;
		if (!asid_test_and_set(mmu, asid & asid_mask(mmu)))
			return newasid;
	}
	idx = asid_find_zero(mmu, mmu->asid_cur_idx);
	if (idx == nr_asids(mmu)) {
		generation = atomic_fetch_add_explicit(&mmu->asid_generation, nr_asids(mmu),
						       memory_order_relaxed) + nr_asids(mmu);
		flush_context(mmu);
		idx = asid_find_zero(mmu, 1);
	}
	asid_set_bit(mmu, idx);
	mmu->asid_cur_idx = idx;
	return idx | generation;
}

static void arm64_switch(struct mmu_cpu *c, struct mm_struct *mm)
{
	struct arch_mmu *mmu = c->hw->mmu;
	unsigned long long old_active;
	u64 asid;

	if (mm->is_init_mm) {
		mmu_set_ctx(c, 0);	/* reserved TTBR0, no user entries */
		return;
	}
	asid = atomic_load_explicit(&mm->context.id, memory_order_relaxed);
	old_active = atomic_load_explicit(&c->active_asid, memory_order_relaxed);
	if (old_active && asid_gen_match(mmu, asid) &&
	    atomic_compare_exchange_strong_explicit(&c->active_asid, &old_active, asid,
						    memory_order_relaxed, memory_order_relaxed))
		goto fastpath;
	spin_lock(&mmu->asid_lock);
	asid = atomic_load_explicit(&mm->context.id, memory_order_relaxed);
	if (!asid_gen_match(mmu, asid)) {
		asid = new_context(mmu, mm);
		atomic_store_explicit(&mm->context.id, asid, memory_order_relaxed);
	}
	if (atomic_exchange_explicit(&c->rollover_flush, false, memory_order_relaxed)) {
		tlb_local_flush_all(c, false);
		tlb_stat_inc(c, ctx_switch_flushes);
		count_vm_events(NR_TLB_LOCAL_FLUSH_ALL, 1);
	}
	atomic_store_explicit(&c->active_asid, asid, memory_order_relaxed);
	spin_unlock(&mmu->asid_lock);
fastpath:
	mmu_set_ctx(c, (u32)(asid & asid_mask(mmu)));
}

/* ---------------------------------------------------------------------
 * x86
 */

static void x86_switch(struct mmu_cpu *c, struct mm_struct *mm)
{
	struct arch_mmu *mmu = c->hw->mmu;
	unsigned int nr = READ_ONCE(mmu->nr_slots);
	bool pcid = READ_ONCE(mmu->pcid);
	unsigned int i;

	for (i = 0; i < nr; i++)
		if (c->slot[i].ctx_id == mm->context.ctx_id)
			break;
	if (i == nr) {
		i = c->next_slot++ % nr;
		for (unsigned int j = nr; j < TLB_NR_DYN_ASIDS; j++)
			c->slot[j].ctx_id = 0;
		c->slot[i].ctx_id = mm->context.ctx_id;
		c->slot[i].tlb_gen = atomic_load_explicit(&mm->context.tlb_gen,
							  memory_order_relaxed);
		mmu_set_ctx(c, pcid ? i + 1 : 0);
		tlb_local_flush_ctx(c, c->ctx);
		tlb_stat_inc(c, ctx_switch_flushes);
		count_vm_events(NR_TLB_LOCAL_FLUSH_ALL, 1);
		return;
	}
	mmu_set_ctx(c, pcid ? i + 1 : 0);
}

void asid_switch(struct mmu_cpu *c, struct mm_struct *next)
{
	if (c->hw->mmu->geom->arm64)
		arm64_switch(c, next);
	else
		x86_switch(c, next);
}

/* ---------------------------------------------------------------------
 * Knobs
 */

int mmu_set_asid_bits(struct mmsim *m, unsigned int bits)
{
	struct arch_mmu *mmu = mmsim_hw(m)->mmu;
	u64 gen;

	if (!mmu->geom->arm64 || (bits != 8 && bits != 16))
		return -EINVAL;
	spin_lock(&mmu->asid_lock);
	for (int i = 0; i < mmu->nr_cpus; i++)
		if (mmu->cpus[i].active_mm != &mmu->kernel_mm) {
			spin_unlock(&mmu->asid_lock);
			return -EBUSY;
		}
	/* A generation above every id handed out so far: old ids never match. */
	gen = atomic_load_explicit(&mmu->asid_generation, memory_order_relaxed);
	gen = ALIGN(gen + (1ULL << 17), 1ULL << bits);
	if (asid_map_alloc(mmu, bits)) {
		spin_unlock(&mmu->asid_lock);
		return -ENOMEM;
	}
	atomic_store_explicit(&mmu->asid_generation, gen, memory_order_relaxed);
	for (int i = 0; i < mmu->nr_cpus; i++) {
		atomic_store_explicit(&mmu->cpus[i].active_asid, 0, memory_order_relaxed);
		mmu->cpus[i].reserved_asid = 0;
	}
	spin_unlock(&mmu->asid_lock);
	tlb_flush_everything(mmu);
	return 0;
}

int mmu_set_pcid(struct mmsim *m, bool on)
{
	struct machine_hw *hw = mmsim_hw(m);
	struct arch_mmu *mmu = hw->mmu;

	if (hw->layout.arch != ARCH_X86_64 && hw->layout.arch != ARCH_X86_64_LA57)
		return on ? -EINVAL : 0;
	WRITE_ONCE(mmu->pcid, on);
	WRITE_ONCE(mmu->nr_slots, on ? TLB_NR_DYN_ASIDS : 1u);
	tlb_flush_everything(mmu);
	return 0;
}
