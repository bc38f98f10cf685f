/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmu.h - the hardware access path: translate a virtual address on the
 * current CPU as its MMU would (TLB, then a page walk that sets the
 * Accessed/Dirty bits), or report the fault the arch would raise.  This is
 * what copy_to_user()/copy_from_user() and the page-fault handler sit on.
 * See docs/mmu.md.
 *
 * A translation reads only the calling CPU's TLB (no locks); a TLB hit is
 * a few nanoseconds.  Translations are served from the TLB after the page
 * table changed, until the right flush_tlb_*() (tlbflush.h).
 *
 * Beside this entry: a guest's two-stage translation (kvm_vcpu_translate(),
 * <mmsim/kvm.h>, VMID-tagged entries in the same TLBs) and x86
 * segmentation (seg_translate(), <mmsim/segment.h>, in front of this one),
 * so the flat host path pays nothing for either.
 */
#ifndef MMSIM_MMU_H
#define MMSIM_MMU_H

#include <mmsim/types.h>
#include <mmsim/mm_struct.h>

/* Access type: one of READ/WRITE/EXEC, or'ed with MMU_USER for user mode. */
#define MMU_READ	0u
#define MMU_WRITE	1u
#define MMU_EXEC	2u
#define MMU_USER	4u

enum mmu_fault_kind {
	MMU_FAULT_NONE,
	MMU_FAULT_NOT_PRESENT,	/* x86 #PF P=0; arm64 translation fault */
	MMU_FAULT_PROT,		/* x86 #PF P=1; arm64 permission fault */
	MMU_FAULT_RSVD,		/* x86 #PF RSVD (reserved bit / bad PS) */
	MMU_FAULT_NONCANONICAL,	/* x86 #GP; arm64 translation fault level 0 */
};

/* x86 page-fault error code bits. */
#define X86_PF_PROT	(1UL << 0)
#define X86_PF_WRITE	(1UL << 1)
#define X86_PF_USER	(1UL << 2)
#define X86_PF_RSVD	(1UL << 3)
#define X86_PF_INSTR	(1UL << 4)

/* arm64 ESR_ELx: EC (data / instruction abort, lower or same EL), WnR, DFSC. */
#define ESR_ELx_EC_IABT_LOW	0x20UL
#define ESR_ELx_EC_IABT_CUR	0x21UL
#define ESR_ELx_EC_DABT_LOW	0x24UL
#define ESR_ELx_EC_DABT_CUR	0x25UL
#define ESR_ELx_EC_SHIFT	26
#define ESR_ELx_WNR		(1UL << 6)
#define ESR_ELx_FSC_FAULT	0x04UL	/* + level: translation fault */
#define ESR_ELx_FSC_ACCESS	0x08UL	/* + level: access flag fault */
#define ESR_ELx_FSC_PERM	0x0CUL	/* + level: permission fault */

struct mmu_fault {
	unsigned long addr;		/* faulting virtual address (CR2 / FAR) */
	unsigned int access;		/* MMU_READ.. | MMU_USER */
	enum mmu_fault_kind kind;
	int level;			/* enum pgt_level of the entry at fault */
	unsigned long error_code;	/* x86: X86_PF_*; arm64: ESR_ELx */
};

/*
 * mmu_translate - translate @va for @access on the current CPU.
 * @pa: the simulated physical address, on success.
 * @f: filled on a fault (may be NULL).
 *
 * Context: a thread entered on a CPU (mmsim_enter); uses that CPU's page
 * table root (switch_mm) and TLB.
 * Return: 0, or -EFAULT with @f describing the fault.
 */
int mmu_translate(unsigned long va, unsigned int access, phys_addr_t *pa, struct mmu_fault *f);
/* A host-cache hint for a coming mmu_translate(@va) on this CPU: prefetch
 * the page-table entry its walk would load last (arch/mmu_prefetch.c).
 * Changes nothing simulated. */
void mmu_prefetch(unsigned long va);

/* mmu_translate, then the host pointer of the byte (lowmem or highmem);
 * NULL on a fault. */
void *mmu_access(unsigned long va, unsigned int access, struct mmu_fault *f);
/* Bracket the copy through a pointer mmu_access returned, so a TLB
 * shootdown from another CPU waits for it (arch/tlb.c).  begin returns
 * false when a flush arrived since the translation: translate again. */
bool mmu_access_begin(void);
void mmu_access_end(void);

/* Host pointer of any simulated physical RAM address (highmem too). */
void *mmu_phys_to_host(phys_addr_t pa);

struct task_struct;
/* Load @next's page table and ASID on the current CPU (Linux's switch_mm). */
void switch_mm(struct mm_struct *prev, struct mm_struct *next, struct task_struct *tsk);
/* The address space loaded on the current CPU (init_mm at boot). */
struct mm_struct *mmu_active_mm(void);

/* Per-CPU TLB and MMU counters. */
struct tlb_stats {
	unsigned long l1_hits;		/* L1 D or I TLB hits */
	unsigned long l2_hits;		/* L1 misses served by the L2 TLB */
	unsigned long walks;		/* page walks (L2 misses, D-bit updates) */
	unsigned long faults;		/* walks that raised a fault */
	unsigned long flush_all;	/* local full flushes (incl. non-global) */
	unsigned long flush_asid;	/* local flushes of one ASID/PCID */
	unsigned long flush_pages;	/* local single-page invalidations */
	unsigned long shootdowns_sent;	/* remote flush requests posted by this CPU */
	unsigned long shootdowns_recv;	/* remote flush requests applied */
	unsigned long ctx_switches;	/* switch_mm to another mm */
	unsigned long ctx_switch_flushes; /* of those, ones that flushed the TLB */
	unsigned long asid_rollovers;	/* arm64: machine-wide, same on every CPU */
	unsigned long asid_generation;	/* arm64: current generation number */
};

void tlb_get_stats(struct mmsim *m, int cpu, struct tlb_stats *out);
/* Text of every CPU's counters (one line per CPU), malloc'd; the renderer of
 * /sys/kernel/debug/tlb_stats. */
char *tlb_render_stats(struct mmsim *m);

/*
 * Knobs of the hardware model, for tests and benchmarks (spec words to
 * come).  mmu_set_asid_bits: arm64 8 or 16 (default 16); resets the ASID
 * allocator, only while no user mm is loaded.  mmu_set_pcid: x86_64 PCIDs
 * on (default) or off (every CR3 write flushes).  Both flush all TLBs.
 * Return 0 or -EINVAL/-EBUSY.
 */
int mmu_set_asid_bits(struct mmsim *m, unsigned int bits);
int mmu_set_pcid(struct mmsim *m, bool on);

#endif
