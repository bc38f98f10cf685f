/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvm.h - a guest machine inside the simulated host: two-stage
 * translation with VMIDs, as Linux's KVM/arm64 runs it, or on x86_64 with
 * EPT and VPIDs, as its VMX code does.  See docs/virt.md.
 *
 * The guest's stage-1 tables (its kernel's TTBR1 table, one TTBR0 table
 * per guest process) translate VA -> IPA; the host's stage-2 tables
 * (VTTBR_EL2, VTCR_EL2: granule, IPA size, start level, concatenated root
 * tables) translate IPA -> PA.  Every table of both stages is memory the
 * walker reads: stage-2 tables are host buddy pages, stage-1 tables are
 * guest pages (IPAs, backed by host pages through stage 2).  Guest RAM is
 * demand-allocated: an IPA with no stage-2 mapping is a stage-2 fault the
 * host handles (kvm_handle_guest_abort -> user_mem_abort) by allocating a
 * host page and mapping it.
 *
 * TLB: combined VA -> PA entries in the CPU's TLBs (arch/pgtable.h), tagged
 * by VMID and guest ASID (a guest-global entry by VMID alone); host entries
 * never match a guest lookup and guest entries never match a host one.
 * VMIDs come from Linux's allocator (arch/arm64/kvm/vmid.c): generation |
 * VMID, per-CPU active and reserved VMIDs, rollover that flushes every
 * guest entry on every CPU.
 *
 * Context: every call runs on a thread entered on a CPU of the machine
 * (mmsim_enter); a vCPU runs on the CPU that calls it.  A VM is used by one
 * thread at a time; the VMID allocator is machine-wide (its lock).
 */
#ifndef MMSIM_KVM_H
#define MMSIM_KVM_H

#include <stdatomic.h>
#include <mmsim/types.h>
#include <mmsim/mmu.h>

struct mmsim;
struct page;
struct kvm;

/* Stage-2 descriptor bits (Linux's KVM_PTE_*, kvm/hyp/pgtable.c). */
#define KVM_PTE_VALID			(1ULL << 0)
#define KVM_PTE_TYPE_TABLE		(1ULL << 1)	/* table (levels 0-2) / page (3) */
#define KVM_PTE_LEAF_ATTR_LO_S2_MEMATTR	(0xfULL << 2)	/* Normal, Write-Back */
#define KVM_PTE_LEAF_ATTR_LO_S2_S2AP_R	(1ULL << 6)
#define KVM_PTE_LEAF_ATTR_LO_S2_S2AP_W	(1ULL << 7)
#define KVM_PTE_LEAF_ATTR_LO_S2_SH	(3ULL << 8)	/* inner shareable */
#define KVM_PTE_LEAF_ATTR_LO_S2_AF	(1ULL << 10)
#define KVM_PTE_LEAF_ATTR_HI_S2_XN	(1ULL << 54)

/* Stage-2 permissions (Linux's enum kvm_pgtable_prot). */
#define KVM_PGTABLE_PROT_X	(1u << 0)
#define KVM_PGTABLE_PROT_W	(1u << 1)
#define KVM_PGTABLE_PROT_R	(1u << 2)
#define KVM_PGTABLE_PROT_RWX	(KVM_PGTABLE_PROT_R | KVM_PGTABLE_PROT_W | KVM_PGTABLE_PROT_X)

/* VTCR_EL2 fields. */
#define VTCR_EL2_T0SZ_SHIFT	0
#define VTCR_EL2_SL0_SHIFT	6
#define VTCR_EL2_IRGN0_WBWA	(1ULL << 8)
#define VTCR_EL2_ORGN0_WBWA	(1ULL << 10)
#define VTCR_EL2_SH0_INNER	(3ULL << 12)
#define VTCR_EL2_TG0_SHIFT	14	/* 0: 4K, 1: 64K, 2: 16K */
#define VTCR_EL2_PS_SHIFT	16	/* 5: 48 bits */
#define VTCR_EL2_VS		(1ULL << 19)	/* 16-bit VMIDs */
#define VTTBR_VMID_SHIFT	48

/* x86 EPT entries (Intel SDM vol. 3, "EPT translation mechanism"). */
#define VMX_EPT_READABLE_MASK		(1ULL << 0)
#define VMX_EPT_WRITABLE_MASK		(1ULL << 1)
#define VMX_EPT_EXECUTABLE_MASK		(1ULL << 2)
#define VMX_EPT_RWX_MASK		7ULL
#define VMX_EPT_MT_WB			(6ULL << 3)	/* memory type, leaves */
#define VMX_EPT_IPAT_BIT		(1ULL << 6)
#define VMX_EPT_LARGE_PAGE		(1ULL << 7)
#define VMX_EPT_ACCESS_BIT		(1ULL << 8)
#define VMX_EPTP_MT_WB			6ULL
#define VMX_EPTP_PWL_4			(3ULL << 3)	/* page-walk length - 1 */
/* EPT violation exit qualification (Linux's EPT_VIOLATION_*). */
#define EPT_VIOLATION_ACC_READ		(1UL << 0)
#define EPT_VIOLATION_ACC_WRITE		(1UL << 1)
#define EPT_VIOLATION_ACC_INSTR		(1UL << 2)
#define EPT_VIOLATION_RWX_SHIFT		3	/* the entry's R, W, X (and of all levels) */
#define EPT_VIOLATION_GVA_IS_VALID	(1UL << 7)
#define EPT_VIOLATION_GVA_TRANSLATED	(1UL << 8)	/* 0: a guest paging-structure access */

/* ESR_EL2 of a guest abort (ISS bits besides DFSC and WnR). */
#define ESR_ELx_S1PTW		(1UL << 7)	/* stage-2 fault on a stage-1 table walk */

#define KVM_MAX_WALK_REFS	24	/* (4 + 1) * (4 + 1) - 1 */

/* One memory reference of a combined walk. */
struct kvm_walk_ref {
	unsigned char stage;		/* 1: a stage-1 descriptor; 2: a stage-2 one */
	unsigned char level;		/* the architecture's level, 0..3 */
	u64 in;				/* address translated: VA (stage 1), IPA (stage 2) */
	u64 desc_ipa;			/* stage 1: the descriptor's IPA; stage 2: 0 */
	u64 desc_pa;			/* host physical address of the descriptor */
	u64 desc;			/* the value read */
};

struct kvm_walk_trace {
	int nr;
	struct kvm_walk_ref ref[KVM_MAX_WALK_REFS];
};

enum kvm_exit_kind {
	KVM_EXIT_NONE,
	KVM_EXIT_STAGE1,		/* a fault the guest kernel takes (ESR_EL1, FAR_EL1) */
	KVM_EXIT_STAGE2,		/* a guest abort the host takes (ESR_EL2, HPFAR_EL2) */
};

/* A fault of a guest translation. */
struct kvm_exit {
	enum kvm_exit_kind kind;
	enum mmu_fault_kind fault;	/* translation (NOT_PRESENT) or permission */
	int level;			/* the arch level of the descriptor at fault */
	unsigned long esr;		/* arm64: ESR_EL1 (stage 1) or ESR_EL2 (stage 2);
					 * x86: #PF error code (stage 1) or the EPT
					 * violation's exit qualification (stage 2) */
	unsigned long far;		/* the guest VA (FAR / CR2 / guest linear address) */
	u64 hpfar;			/* arm64 stage 2: HPFAR_EL2 (FIPA = IPA[47:12] at [39:4]) */
	u64 ipa;			/* stage 2: the faulting IPA (x86: guest-physical address) */
	unsigned int access;		/* MMU_READ.. | MMU_USER */
};

/* Linux's struct kvm_vmid: generation | VMID. */
struct kvm_vmid {
	atomic_ullong id;
};

/* Linux's struct kvm_s2_mmu: the stage-2 tables of a VM. */
struct kvm_s2_mmu {
	struct kvm_vmid vmid;
	struct page *pgd;		/* root: 2^pgd_order concatenated host pages */
	unsigned int pgd_order;
	u64 vttbr;			/* BADDR | VMID << 48 (kvm_get_vttbr) */
	u64 vtcr;
	bool ept;			/* x86: EPT format, EPTP, VPIDs */
	u64 eptp;			/* x86: root | PWL 4 | WB */
	unsigned int ipa_bits;		/* 64 - T0SZ */
	unsigned int start_level;	/* 0..2 */
	unsigned int levels;		/* 4 - start_level */
	struct kvm *arch;		/* the VM */
};

struct kvm_stat {
	unsigned long s2_faults;	/* stage-2 translation faults the host handled */
	unsigned long s2_s1ptw_faults;	/* of those, on a stage-1 table walk */
	unsigned long s2_perm_faults;	/* stage-2 permission faults */
	unsigned long s1_faults;	/* stage-1 faults the guest kernel handled */
	unsigned long s2_pages;		/* host pages mapped as guest RAM now */
	unsigned long s2_table_pages;	/* host pages holding stage-2 tables now */
	unsigned long guest_pages;	/* guest pages its allocator handed out */
	unsigned long tlb_l1_hits, tlb_l2_hits;
	unsigned long walks;		/* combined walks done */
	unsigned long walk_refs;	/* memory references of those walks */
	unsigned long last_walk_refs;	/* of the last walk */
	unsigned long flush_vmid;	/* __kvm_tlb_flush_vmid(_ipa) done */
};

#define KVM_MAX_PROCS	64
#define KVM_NAME_MAX	32

/* A guest process: an address space of the guest kernel. */
struct kvm_guest_proc {
	char name[KVM_NAME_MAX];
	u32 asid;			/* guest ASID (8 bits) */
	u64 pgd_ipa;			/* TTBR0_EL1 */
};

struct kvm_vcpu {
	struct kvm *kvm;
	int vcpu_id;
	int proc;			/* the loaded guest process, -1: none */
	u32 ctx;			/* TLB tag of the loaded process's entries */
	u32 gctx;			/* TLB tag of the guest's global entries */
};

struct kvm_config {
	unsigned long ram_size;		/* bytes of guest RAM at IPA 0 (default 16M) */
	unsigned int ipa_bits;		/* 32..48 (default 40, as Linux's default; x86: 48) */
};

struct kvm {
	char name[KVM_NAME_MAX];
	struct kvm_s2_mmu mmu;
	unsigned long ram_size;
	unsigned long nr_gpages;	/* guest RAM in pages */
	unsigned long *gpage_used;	/* guest allocator: pages handed out */
	unsigned long *gpage_dirty;	/* pages ever handed out (not known zero) */
	unsigned long gpage_next;	/* allocator cursor */
	u64 kernel_pgd_ipa;		/* TTBR1_EL1 of the guest kernel (x86: its CR3) */
	unsigned long linear_base;	/* guest VA of IPA 0 in the kernel's linear map */
	struct kvm_guest_proc procs[KVM_MAX_PROCS];
	int nr_procs;
	struct kvm_vcpu vcpu;		/* one vCPU */
	struct kvm_stat stat;
	struct kvm *next;		/* the machine's list of VMs */
};

/*
 * kvm_create_vm - a VM named @name: stage-2 root, a guest kernel with its
 * allocator and TTBR1 linear map of guest RAM at KVM_GUEST_LINEAR.
 * On x86_64 (4-level) stage 2 is EPT (4 levels, 48-bit guest-physical
 * space) and TLB entries are tagged by VPID.
 * Return: the VM, or NULL with *@err set (-EOPNOTSUPP on other x86 modes,
 * -EINVAL, -ENOMEM).
 */
#define KVM_GUEST_LINEAR	0xffff000000000000UL	/* arm64 (x86: below) */
#define KVM_GUEST_LINEAR_X86	0xffff888000000000UL	/* Linux's page_offset_base */
struct kvm *kvm_create_vm(const char *name, const struct kvm_config *cfg, int *err);
/* Free every host page of @kvm (stage-2 tables and guest RAM), flush its VMID. */
void kvm_destroy_vm(struct kvm *kvm);

/* A guest process (its own ASID and stage-1 root); returns its index or -errno. */
int kvm_guest_proc_create(struct kvm *kvm, const char *name);
int kvm_guest_proc_find(struct kvm *kvm, const char *name);

/* Enter the guest on this CPU with process @proc loaded (-1: none):
 * kvm_arm_vmid_update, VTTBR, the TLB tags. */
void kvm_vcpu_load(struct kvm_vcpu *vcpu, int proc);

/*
 * kvm_vcpu_translate - the hardware: TLB, then the combined walk.
 * @trace: filled with the walk's references (may be NULL).
 * Return: 0 with *@pa, or -EFAULT with *@exit (a stage-1 or stage-2 fault).
 */
int kvm_vcpu_translate(struct kvm_vcpu *vcpu, unsigned long va, unsigned int acc, phys_addr_t *pa,
		       struct kvm_walk_trace *trace, struct kvm_exit *exit);

/*
 * kvm_guest_access - the system: kvm_vcpu_translate, a stage-2 fault handled
 * by the host (kvm_handle_guest_abort), a stage-1 fault by the guest kernel
 * (demand paging of a user address; a kernel address or a permission fault
 * is the guest's SIGSEGV), then again.  Return 0 or -EFAULT (*@exit: the
 * fault the guest could not handle).
 */
int kvm_guest_access(struct kvm_vcpu *vcpu, unsigned long va, unsigned int acc, phys_addr_t *pa,
		     struct kvm_exit *exit);

/* The host's stage-2 abort handler: 0 (mapped, retry) or -errno. */
int kvm_handle_guest_abort(struct kvm_vcpu *vcpu, const struct kvm_exit *exit);

/* Stage 2: the host takes a guest page back / changes its permissions
 * (unmap + __kvm_tlb_flush_vmid_ipa).  0 or -ENOENT. */
int kvm_unmap_ipa(struct kvm *kvm, u64 ipa);
int kvm_s2_set_prot(struct kvm *kvm, u64 ipa, unsigned int prot);
/* PA of @ipa in stage 2 by a software walk (no fault); -1 when unmapped. */
phys_addr_t kvm_ipa_to_phys(struct kvm *kvm, u64 ipa);

/* TLB maintenance (this CPU now, the others before their next guest
 * translation). */
void __kvm_tlb_flush_vmid(struct kvm_s2_mmu *mmu);
void __kvm_tlb_flush_vmid_ipa(struct kvm_s2_mmu *mmu, u64 ipa);

/* VMID allocator (arch/kvm_vmid.c). */
bool kvm_arm_vmid_update(struct kvm_vmid *kvm_vmid);	/* true: got a new VMID */
u32 kvm_vmid_of(const struct kvm *kvm);			/* the VMID (no generation) */
/* VMID bits, 1..16 (hardware: 8 or 16; fewer for tests); only with no VM. */
int kvm_set_vmid_bits(struct mmsim *m, unsigned int bits);

struct kvm_vmid_stats {
	bool vpid;			/* x86: VPIDs (no generations) */
	unsigned int vmid_bits;
	unsigned long long generation;	/* generation number (id >> vmid_bits) */
	unsigned long rollovers;
	int nr_vms;
	unsigned long host_pages;	/* host pages held by all VMs */
};
void kvm_get_vmid_stats(struct mmsim *m, struct kvm_vmid_stats *out);

/*
 * kvm_check - the VM's invariants: every stage-2 leaf maps a distinct host
 * page, counted once (s2_pages), every table page counted (s2_table_pages),
 * every guest page its allocator handed out below ram_size.  Writes the
 * first problem in @why (may be NULL).  Return: true when all hold.
 */
bool kvm_check(struct kvm *kvm, char *why, size_t len);

#endif
