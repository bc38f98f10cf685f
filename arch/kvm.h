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

/* arch/kvm_vmid.c */
struct kvm_arch_host *kvm_host_get(struct arch_mmu *mmu);	/* made on first use */
void kvm_vmid_release(struct kvm_arch_host *h, struct kvm_vmid *v);
void kvm_host_teardown(struct arch_mmu *mmu, bool live);	/* machine shutdown */

/* arch/kvm_walk.c */
void kvm_local_flush_guest(struct mmu_cpu *c, u32 mask, u32 val);
void kvm_flush_all_cpus(struct kvm_arch_host *h, u32 vmid, bool all_vmids);

/* arch/kvm_mmu.c */
void kvm_free_vm_memory(struct kvm *kvm, bool live);	/* host pages (live) + malloc'd state */

#endif
