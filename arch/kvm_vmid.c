// SPDX-License-Identifier: GPL-2.0
/*
 * arch/kvm_vmid.c - the VMID allocator of KVM/arm64 (Linux's
 * arch/arm64/kvm/vmid.c) and the per-machine state of the virtualization
 * model (struct kvm_arch_host, arch/kvm.h).
 *
 * A VM's kvm_vmid.id is generation | VMID, the generation a multiple of
 * 2^vmid_bits.  kvm_arm_vmid_update(), on every guest entry: when this
 * CPU has an active VMID and the VM's VMID is of the current generation,
 * the VM's id becomes the CPU's active VMID without the lock; otherwise,
 * under the lock, a VM of an old generation gets a new VMID (new_vmid:
 * its old number if that was reserved by a CPU or is still free, else
 * the next free one), and when none is left the generation is bumped:
 * flush_context() clears the bitmap, keeps each CPU's active VMID (or its
 * reserved one if it already rolled over) as reserved, and every guest
 * TLB entry on every CPU goes (Linux's __kvm_flush_vm_context: TLBI
 * VMALLS12E1IS, ALLE1IS).  VMID 0 is the host's: never handed out.
 * Bits: 8 or 16 on hardware (VTCR_EL2.VS); kvm_set_vmid_bits allows fewer,
 * for tests of the rollover.  On x86 the same bitmap holds VPIDs, allocated
 * once per VM without generations (allocate_vpid, as Linux's VMX).
 *
 * Locking: h->lock guards vmid_map, vmid_cur_idx, reserved_vmids, the VM
 * list; active_vmids are atomics read without it (the lock-free update).
 */
#include <stdlib.h>
#include <string.h>
#include "arch/kvm.h"

#ifndef BITS_PER_LONG
#define BITS_PER_LONG	((unsigned int)(8 * sizeof(long)))
#endif
#define BITS_TO_LONGS(n)	(((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)


/* Bitmap helpers (the allocator's lock held). */
static inline bool vmid_test_bit(unsigned long i, const unsigned long *map)
{
	return map[i / BITS_PER_LONG] >> (i % BITS_PER_LONG) & 1;
}

static inline void vmid_set_bit(unsigned long i, unsigned long *map)
{
	map[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
}

static inline void vmid_clear_bit(unsigned long i, unsigned long *map)
{
	map[i / BITS_PER_LONG] &= ~(1UL << (i % BITS_PER_LONG));
}

static inline bool vmid_test_and_set_bit(unsigned long i, unsigned long *map)
{
	bool old = vmid_test_bit(i, map);

	vmid_set_bit(i, map);
	return old;
}

#define VMID_MASK(h)		((1ULL << (h)->vmid_bits) - 1)
#define NUM_USER_VMIDS(h)	(1UL << (h)->vmid_bits)
#define VMID_FIRST_VERSION(h)	(1ULL << (h)->vmid_bits)

static int vmid_alloc_map(struct kvm_arch_host *h, unsigned int bits)
{
	unsigned long *map = calloc(BITS_TO_LONGS(1UL << bits), sizeof(long));

	if (!map)
		return -ENOMEM;
	free(h->vmid_map);
	h->vmid_map = map;
	h->vmid_bits = bits;
	h->vmid_cur_idx = 1;
	atomic_store(&h->vmid_generation, VMID_FIRST_VERSION(h));
	return 0;
}

/* The machine's kvm state, made at the first use (under the ASID lock,
 * which guards nothing else of it). */
struct kvm_arch_host *kvm_host_get(struct arch_mmu *mmu)
{
	struct kvm_arch_host *h;

	spin_lock(&mmu->asid_lock);
	h = mmu->kvm;
	if (h)
		goto out;
	h = calloc(1, sizeof(*h));
	if (!h)
		goto out;
	h->active_vmids = calloc((size_t)mmu->nr_cpus, sizeof(*h->active_vmids));
	h->reserved_vmids = calloc((size_t)mmu->nr_cpus, sizeof(*h->reserved_vmids));
	h->flush_pending = calloc((size_t)mmu->nr_cpus, sizeof(*h->flush_pending));
	if (!h->active_vmids || !h->reserved_vmids || !h->flush_pending ||
	    vmid_alloc_map(h, 16)) {
		free(h->active_vmids);
		free(h->reserved_vmids);
		free(h->flush_pending);
		free(h->vmid_map);
		free(h);
		h = NULL;
		goto out;
	}
	spin_lock_init(&h->lock);
	mmu->kvm = h;
out:
	spin_unlock(&mmu->asid_lock);
	return h;
}

void kvm_host_teardown(struct arch_mmu *mmu, bool live)
{
	struct kvm_arch_host *h = mmu->kvm;

	if (!h)
		return;
	while (h->vms) {
		struct kvm *kvm = h->vms;

		h->vms = kvm->next;
		kvm_free_vm_memory(kvm, live);
	}
	free(h->active_vmids);
	free(h->reserved_vmids);
	free(h->flush_pending);
	free(h->vmid_map);
	free(h);
	mmu->kvm = NULL;
}

int kvm_set_vmid_bits(struct mmsim *m, unsigned int bits)
{
	struct arch_mmu *mmu = mmsim_hw(m)->mmu;
	struct kvm_arch_host *h;
	int ret;

	if (!mmu->geom->arm64 || bits < 1 || bits > 16)
		return -EINVAL;
	h = kvm_host_get(mmu);
	if (!h)
		return -ENOMEM;
	spin_lock(&h->lock);
	if (h->nr_vms) {
		spin_unlock(&h->lock);
		return -EBUSY;
	}
	ret = vmid_alloc_map(h, bits);
	for (int i = 0; i < mmu->nr_cpus; i++) {
		atomic_store(&h->active_vmids[i], 0);
		h->reserved_vmids[i] = 0;
	}
	spin_unlock(&h->lock);
	if (!ret)
		kvm_flush_all_cpus(h, 0, true);
	return ret;
}

static bool vmid_gen_match(struct kvm_arch_host *h, u64 vmid)
{
	u64 gen = atomic_load_explicit(&h->vmid_generation, memory_order_relaxed);

	return !((vmid ^ gen) >> h->vmid_bits);
}

/* Called with h->lock held. */
static void flush_context(struct kvm_arch_host *h, int nr_cpus)
{
	memset(h->vmid_map, 0, BITS_TO_LONGS(NUM_USER_VMIDS(h)) * sizeof(long));
	for (int cpu = 0; cpu < nr_cpus; cpu++) {
		u64 vmid = atomic_exchange_explicit(&h->active_vmids[cpu], 0,
						    memory_order_relaxed);

		/* A CPU that already rolled over keeps its reserved VMID. */
		if (!vmid)
			vmid = h->reserved_vmids[cpu];
		vmid_set_bit((unsigned long)(vmid & VMID_MASK(h)), h->vmid_map);
		h->reserved_vmids[cpu] = vmid;
	}
	h->rollovers++;
	/* __kvm_flush_vm_context: every VMID's entries, every CPU */
	kvm_flush_all_cpus(h, 0, true);
}

/* Called with h->lock held. */
static bool check_update_reserved_vmid(struct kvm_arch_host *h, int nr_cpus, u64 vmid,
				       u64 newvmid)
{
	bool hit = false;

	for (int cpu = 0; cpu < nr_cpus; cpu++) {
		if (h->reserved_vmids[cpu] == vmid) {
			hit = true;
			h->reserved_vmids[cpu] = newvmid;
		}
	}
	return hit;
}

static unsigned long vmid_find_zero(struct kvm_arch_host *h, unsigned long from)
{
	for (unsigned long i = from; i < NUM_USER_VMIDS(h); i++)
		if (!vmid_test_bit(i, h->vmid_map))
			return i;
	return NUM_USER_VMIDS(h);
}

/* Called with h->lock held (Linux's new_vmid). */
static u64 new_vmid(struct kvm_arch_host *h, int nr_cpus, struct kvm_vmid *kvm_vmid)
{
	u64 vmid = atomic_load_explicit(&kvm_vmid->id, memory_order_relaxed);
	u64 generation = atomic_load_explicit(&h->vmid_generation, memory_order_relaxed);
	unsigned long idx;

	if (vmid) {
		u64 newvmid = generation | (vmid & VMID_MASK(h));

		if (check_update_reserved_vmid(h, nr_cpus, vmid, newvmid)) {
			atomic_store_explicit(&kvm_vmid->id, newvmid, memory_order_relaxed);
			return newvmid;
		}
		if (!vmid_test_and_set_bit((unsigned long)(vmid & VMID_MASK(h)), h->vmid_map)) {
			atomic_store_explicit(&kvm_vmid->id, newvmid, memory_order_relaxed);
			return newvmid;
		}
	}
	idx = vmid_find_zero(h, h->vmid_cur_idx);
	if (idx == NUM_USER_VMIDS(h)) {
		generation = atomic_fetch_add_explicit(&h->vmid_generation, VMID_FIRST_VERSION(h),
						       memory_order_relaxed) +
			     VMID_FIRST_VERSION(h);
		flush_context(h, nr_cpus);
		idx = vmid_find_zero(h, 1);
	}
	vmid_set_bit(idx, h->vmid_map);
	h->vmid_cur_idx = idx;
	vmid = idx | generation;
	atomic_store_explicit(&kvm_vmid->id, vmid, memory_order_relaxed);
	return vmid;
}

/* The VM is gone: its VMID is free for the next generation's reuse (Linux
 * leaves it set in the bitmap until the rollover; freeing it at once makes
 * no difference to correctness, as its entries were flushed). */
void kvm_vmid_release(struct kvm_arch_host *h, struct kvm_vmid *v)
{
	u64 id = atomic_load(&v->id);

	spin_lock(&h->lock);
	if (id && vmid_gen_match(h, id) && (id & VMID_MASK(h)))
		vmid_clear_bit((unsigned long)(id & VMID_MASK(h)), h->vmid_map);
	spin_unlock(&h->lock);
}

/*
 * x86: VPIDs (Linux's allocate_vpid/free_vpid in arch/x86/kvm/vmx/vmx.c):
 * a bitmap of 16-bit VPIDs, no generations; VPID 0 is the host's, and a
 * VM that gets 0 (none left) runs with its TLB entries flushed at every
 * entry (kvm_vcpu_load).
 */
u32 allocate_vpid(struct kvm_arch_host *h)
{
	unsigned long idx;

	spin_lock(&h->lock);
	idx = vmid_find_zero(h, 1);
	if (idx == NUM_USER_VMIDS(h))
		idx = 0;
	else
		vmid_set_bit(idx, h->vmid_map);
	spin_unlock(&h->lock);
	return (u32)idx;
}

void free_vpid(struct kvm_arch_host *h, u32 vpid)
{
	if (!vpid)
		return;
	spin_lock(&h->lock);
	vmid_clear_bit(vpid, h->vmid_map);
	spin_unlock(&h->lock);
}

/**
 * kvm_arm_vmid_update - make @kvm_vmid valid on this CPU before a guest
 * entry (Linux's kvm_arm_vmid_update).
 * Return: true when the VM got a new VMID (its VTTBR must be rebuilt).
 */
bool kvm_arm_vmid_update(struct kvm_vmid *kvm_vmid)
{
	struct arch_mmu *mmu = machine_mmu();
	struct kvm_arch_host *h = mmu->kvm;
	int cpu = this_mmu_cpu()->cpu;
	unsigned long long vmid, old_active_vmid;
	bool updated = false;

	vmid = atomic_load_explicit(&kvm_vmid->id, memory_order_relaxed);
	old_active_vmid = atomic_load_explicit(&h->active_vmids[cpu], memory_order_relaxed);
	/* Fast path: a live active VMID on this CPU, the VM's of this
	 * generation; the cmpxchg fails if a rollover zeroed the active one. */
	if (old_active_vmid && vmid_gen_match(h, vmid) &&
	    atomic_compare_exchange_strong_explicit(&h->active_vmids[cpu], &old_active_vmid, vmid,
						    memory_order_relaxed, memory_order_relaxed))
		return false;
	spin_lock(&h->lock);
	if (!vmid_gen_match(h, vmid)) {
		vmid = new_vmid(h, mmu->nr_cpus, kvm_vmid);
		updated = true;
	}
	atomic_store_explicit(&h->active_vmids[cpu], vmid, memory_order_relaxed);
	spin_unlock(&h->lock);
	return updated;
}

u32 kvm_vmid_of(const struct kvm *kvm)
{
	const struct kvm_arch_host *h = machine_mmu()->kvm;

	return (u32)(atomic_load(&kvm->mmu.vmid.id) & VMID_MASK(h));
}

void kvm_get_vmid_stats(struct mmsim *m, struct kvm_vmid_stats *out)
{
	struct kvm_arch_host *h = mmsim_hw(m)->mmu ? mmsim_hw(m)->mmu->kvm : NULL;

	memset(out, 0, sizeof(*out));
	out->vpid = mmsim_hw(m)->mmu && !mmsim_hw(m)->mmu->geom->arm64;
	if (!h) {
		out->vmid_bits = 16;
		out->generation = 1;
		return;
	}
	spin_lock(&h->lock);
	out->vmid_bits = h->vmid_bits;
	out->generation = atomic_load(&h->vmid_generation) >> h->vmid_bits;
	out->rollovers = h->rollovers;
	out->nr_vms = h->nr_vms;
	out->host_pages = (unsigned long)atomic_load(&h->host_pages);
	spin_unlock(&h->lock);
}
