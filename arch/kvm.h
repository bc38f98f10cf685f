/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch/kvm.h - private state of the virtualization model, shared by
 * arch/kvm_vmid.c (VMID allocator, per-machine state), arch/kvm_mmu.c
 * (stage-2 tables, aborts, the guest kernel) and arch/kvm_walk.c (the
 * combined walk and the guest's use of the TLBs).  See docs/virt.md.
 *
 * TLB tags of guest entries (struct tlb_entry.ctx): bit 31 set, the VMID in
 * bits 15..30 and the guest ASID (or KVM_CTX_GLOBAL_ASID for a guest-global
 * entry) in bits 0..14.  Host tags are ASIDs/PCIDs (< 2^16) or
 * TLB_CTX_GLOBAL, so no host tag equals a guest one (the largest guest tag
 * is 0xfffffffe): a host lookup never matches a guest entry, and a guest
 * lookup compares tags exactly (it never takes a host global entry).
 *
 * Locking: struct kvm_arch_host's lock guards the VMID allocator and the VM
 * list; flush_pending[] is atomic.
 */
#ifndef MMSIM_ARCH_KVM_H
#define MMSIM_ARCH_KVM_H

#include <mmsim/kvm.h>
#include "arch/pgtable.h"

#define KVM_CTX_GUEST		0x80000000u
#define KVM_CTX_VMID_SHIFT	15
#define KVM_CTX_GLOBAL_ASID	0x7ffeu
#define KVM_GUEST_ASID_BITS	8

static inline u32 kvm_ctx(u32 vmid, u32 asid)
{
	return KVM_CTX_GUEST | (vmid << KVM_CTX_VMID_SHIFT) | asid;
}

/* Per machine (arch_mmu.kvm), made at the first VM. */
struct kvm_arch_host {
	spinlock_t lock;
	unsigned int vmid_bits;
	atomic_ullong vmid_generation;	/* multiple of 1 << vmid_bits */
	unsigned long *vmid_map;
	unsigned long vmid_cur_idx;
	unsigned long rollovers;
	atomic_ullong *active_vmids;	/* [nr_cpus] */
	u64 *reserved_vmids;		/* [nr_cpus] */
	atomic_uint *flush_pending;	/* [nr_cpus]: flush every guest entry before the
					 * next guest translation on that CPU */
	struct kvm *vms;		/* list of live VMs */
	int nr_vms;
	atomic_long host_pages;		/* host pages held by all VMs */
};

/* Stage-2 descriptors in the VM's format: arm64 stage 2, or x86 EPT. */
#define S2_ADDR_MASK(ps)	(((1ULL << 48) - 1) & ~((1ULL << (ps)) - 1))
#define S2_ARM_LEAF_ATTRS	(KVM_PTE_VALID | KVM_PTE_TYPE_TABLE | \
				 KVM_PTE_LEAF_ATTR_LO_S2_MEMATTR | KVM_PTE_LEAF_ATTR_LO_S2_SH | \
				 KVM_PTE_LEAF_ATTR_LO_S2_AF)

static inline bool s2_valid(const struct kvm_s2_mmu *m, u64 e)
{
	return m->ept ? (e & VMX_EPT_RWX_MASK) != 0 : (e & KVM_PTE_VALID) != 0;
}

/* A valid entry of arch level @lvl that points to a table. */
static inline bool s2_table(const struct kvm_s2_mmu *m, u64 e, unsigned int lvl)
{
	if (lvl == 3)
		return false;
	return m->ept ? !(e & VMX_EPT_LARGE_PAGE) : (e & KVM_PTE_TYPE_TABLE) != 0;
}

static inline u64 s2_mk_table(const struct kvm_s2_mmu *m, phys_addr_t pa)
{
	return pa | (m->ept ? VMX_EPT_RWX_MASK : KVM_PTE_TYPE_TABLE | KVM_PTE_VALID);
}

/* The permission bits of KVM_PGTABLE_PROT_* @prot, and the mask of them. */
static inline u64 s2_prot_bits(const struct kvm_s2_mmu *m, unsigned int prot)
{
	u64 b = 0;

	if (m->ept)
		return ((prot & KVM_PGTABLE_PROT_R) ? VMX_EPT_READABLE_MASK : 0) |
		       ((prot & KVM_PGTABLE_PROT_W) ? VMX_EPT_WRITABLE_MASK : 0) |
		       ((prot & KVM_PGTABLE_PROT_X) ? VMX_EPT_EXECUTABLE_MASK : 0);
	if (prot & KVM_PGTABLE_PROT_R)
		b |= KVM_PTE_LEAF_ATTR_LO_S2_S2AP_R;
	if (prot & KVM_PGTABLE_PROT_W)
		b |= KVM_PTE_LEAF_ATTR_LO_S2_S2AP_W;
	if (!(prot & KVM_PGTABLE_PROT_X))
		b |= KVM_PTE_LEAF_ATTR_HI_S2_XN;
	return b;
}

static inline u64 s2_prot_mask(const struct kvm_s2_mmu *m)
{
	return m->ept ? VMX_EPT_RWX_MASK :
		KVM_PTE_LEAF_ATTR_LO_S2_S2AP_R | KVM_PTE_LEAF_ATTR_LO_S2_S2AP_W |
		KVM_PTE_LEAF_ATTR_HI_S2_XN;
}

static inline u64 s2_mk_page(const struct kvm_s2_mmu *m, phys_addr_t pa, unsigned int prot)
{
	return pa | s2_prot_bits(m, prot) |
	       (m->ept ? VMX_EPT_MT_WB | VMX_EPT_IPAT_BIT | VMX_EPT_ACCESS_BIT :
			 S2_ARM_LEAF_ATTRS);
}

/* Is @e (valid, level 3) a well-formed page entry? */
static inline bool s2_page_ok(const struct kvm_s2_mmu *m, u64 e)
{
	if (m->ept)
		return (e & VMX_EPT_MT_WB) == VMX_EPT_MT_WB;
	return (e & S2_ARM_LEAF_ATTRS) == S2_ARM_LEAF_ATTRS;
}

/* KVM_PGTABLE_PROT_* of a leaf. */
static inline unsigned int s2_leaf_prot(const struct kvm_s2_mmu *m, u64 e)
{
	if (m->ept)
		return ((e & VMX_EPT_READABLE_MASK) ? KVM_PGTABLE_PROT_R : 0) |
		       ((e & VMX_EPT_WRITABLE_MASK) ? KVM_PGTABLE_PROT_W : 0) |
		       ((e & VMX_EPT_EXECUTABLE_MASK) ? KVM_PGTABLE_PROT_X : 0);
	return ((e & KVM_PTE_LEAF_ATTR_LO_S2_S2AP_R) ? KVM_PGTABLE_PROT_R : 0) |
	       ((e & KVM_PTE_LEAF_ATTR_LO_S2_S2AP_W) ? KVM_PGTABLE_PROT_W : 0) |
	       (!(e & KVM_PTE_LEAF_ATTR_HI_S2_XN) ? KVM_PGTABLE_PROT_X : 0);
}

/* arch/kvm_vmid.c */
struct kvm_arch_host *kvm_host_get(struct arch_mmu *mmu);	/* made on first use */
void kvm_vmid_release(struct kvm_arch_host *h, struct kvm_vmid *v);
u32 allocate_vpid(struct kvm_arch_host *h);	/* x86: 0 when none is left */
void free_vpid(struct kvm_arch_host *h, u32 vpid);
void kvm_host_teardown(struct arch_mmu *mmu, bool live);	/* machine shutdown */

/* arch/kvm_walk.c */
void kvm_local_flush_guest(struct mmu_cpu *c, u32 mask, u32 val);
void kvm_flush_all_cpus(struct kvm_arch_host *h, u32 vmid, bool all_vmids);

/* arch/kvm_mmu.c */
void kvm_free_vm_memory(struct kvm *kvm, bool live);	/* host pages (live) + malloc'd state */

#endif
