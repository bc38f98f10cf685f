// SPDX-License-Identifier: GPL-2.0
/*
 * arch/kvm_walk.c - a guest translation as the hardware does it: the
 * CPU's TLBs, then the combined (two-stage) walk, and the guest's TLB
 * maintenance (__kvm_tlb_flush_vmid, the VMID rollover's flush).
 *
 * The combined walk.  Stage 1 is walked in the guest's tables with the
 * host's geometry (n1 levels); every stage-1 descriptor address is an IPA,
 * so reading it takes a stage-2 walk (n2 levels: VTTBR's root, concatenated
 * tables at the start level) and then the read itself; the output IPA of
 * the stage-1 leaf takes a last stage-2 walk.  References: n1 * (n2 + 1) +
 * n2 = (n1 + 1) * (n2 + 1) - 1, 24 for 4 + 4 levels.  Each reference is
 * counted, and recorded in a struct kvm_walk_trace when asked.
 *
 * Faults.  A stage-1 fault (translation or permission, by the arm64 rules
 * of arch/pgtable_arm64.c: APTable/UXNTable/PXNTable, AP, UXN/PXN, EL0-
 * writable never EL1-executable, AF and DBM set by hardware) goes to the
 * guest kernel: ESR_EL1 with EC from the guest's EL, DFSC, WnR, and FAR.
 * A stage-2 fault goes to the host: ESR_EL2 with EC 0x24/0x20 (abort from
 * a lower EL), DFSC, WnR, S1PTW when it hit a stage-1 table read, FAR and
 * HPFAR_EL2 = IPA[47:12] << 4.  Stage-2 permissions: S2AP read/write, XN.
 *
 * x86 (combined_walk_x86): the guest's 4-level tables with x86's rules
 * (P, RW with CR0.WP, US, NX, SMEP, A at every level, D on the leaf, G),
 * each table read through EPT; a stage-1 fault is a #PF error code, a
 * stage-2 one an EPT violation's exit qualification (bit 8 clear: a
 * paging-structure access, arm64's S1PTW).
 *
 * The TLB.  A walk's result is one combined VA -> PA entry of the base
 * page size, its permissions the intersection of both stages, in the same
 * L1 and L2 arrays the host uses (so guests and host compete for them),
 * tagged kvm_ctx(VMID, ASID) -- or kvm_ctx(VMID, KVM_CTX_GLOBAL_ASID) for a
 * guest-global (nG=0) page (arch/kvm.h).  A guest lookup compares the tag
 * exactly with those two, so it never takes another guest's entry, another
 * guest process's non-global entry, or a host entry, global or not; a host
 * lookup never takes a guest entry.  Guest entries are never in the L1
 * index (the host's fast path): the L1s count them unindexed, as the index
 * invariant of arch/pgtable.h requires.  Stage-2 changes flush the VMID's
 * entries (a combined entry cannot be found by IPA: Linux's
 * __kvm_tlb_flush_vmid_ipa does TLBI IPAS2E1IS then VMALLE1IS too).
 * Flushes reach this CPU at once and each other CPU before its next guest
 * translation (flush_pending: no host lookup can take a guest entry, so a
 * stale one there is harmless until then).
 *
 * Locking: the CPU's TLBs belong to the thread entered on it (arch/pgtable.h).
 */
#include <string.h>
#include <mmsim/mm.h>
#include "arch/kvm.h"

/* ---------------------------------------------------------------------
 * TLB maintenance
 */

/* Invalidate this CPU's guest entries whose tag & @mask == @val. */
void kvm_local_flush_guest(struct mmu_cpu *c, u32 mask, u32 val)
{
	struct tlb *tlbs[3] = { &c->l1d, &c->l1i, &c->l2 };

	for (int t = 0; t < 3; t++) {
		for (int i = 0; i < tlbs[t]->nr_store; i++) {
			struct tlb_array *a = &tlbs[t]->store[i];
			size_t n = (size_t)(a->set_mask + 1) * a->ways;

			if (!(a->nvalid[0] + a->nvalid[1] + a->nvalid[2]))
				continue;
			for (size_t j = 0; j < n; j++) {
				struct tlb_entry *e = &a->e[j];

				if (!e->key || e->ctx == TLB_CTX_GLOBAL || !(e->ctx & KVM_CTX_GUEST) ||
				    (e->ctx & mask) != val)
					continue;
				if (tlbs[t]->fast)
					tlb_fast_forget(c, tlbs[t], e);
				tlb_count(tlbs[t], a, tlb_key_class(e->key), -1);
				e->key = 0;
			}
		}
	}
}

void kvm_flush_all_cpus(struct kvm_arch_host *h, u32 vmid, bool all_vmids)
{
	struct arch_mmu *amu = machine_mmu();
	struct mmu_cpu *me = this_mmu_cpu();

	for (int i = 0; i < amu->nr_cpus; i++)
		if (i != me->cpu)
			atomic_store_explicit(&h->flush_pending[i], 1, memory_order_release);
	if (all_vmids)
		kvm_local_flush_guest(me, KVM_CTX_GUEST, KVM_CTX_GUEST);
	else
		kvm_local_flush_guest(me, KVM_CTX_GUEST | (0xffffu << KVM_CTX_VMID_SHIFT),
				      kvm_ctx(vmid, 0));
}

void __kvm_tlb_flush_vmid(struct kvm_s2_mmu *mmu)
{
	mmu->arch->stat.flush_vmid++;
	kvm_flush_all_cpus(machine_mmu()->kvm, kvm_vmid_of(mmu->arch), false);
}

void __kvm_tlb_flush_vmid_ipa(struct kvm_s2_mmu *mmu, u64 ipa)
{
	(void)ipa;	/* TLBI IPAS2E1IS, ipa; then VMALLE1IS: the VMID's combined entries */
	__kvm_tlb_flush_vmid(mmu);
}

/* ---------------------------------------------------------------------
 * Guest entry
 */

void kvm_vcpu_load(struct kvm_vcpu *vcpu, int proc)
{
	struct kvm *kvm = vcpu->kvm;
	u32 vmid;

	if (kvm->mmu.ept) {
		vmid = kvm_vmid_of(kvm);	/* the VPID, fixed for the VM's life */
		if (!vmid)	/* none: VM entry flushes (VPID disabled) */
			kvm_local_flush_guest(this_mmu_cpu(),
					      KVM_CTX_GUEST | (0xffffu << KVM_CTX_VMID_SHIFT),
					      kvm_ctx(0, 0));
	} else {
		kvm_arm_vmid_update(&kvm->mmu.vmid);
		vmid = kvm_vmid_of(kvm);
		kvm->mmu.vttbr = page_to_phys(kvm->mmu.pgd) | ((u64)vmid << VTTBR_VMID_SHIFT);
	}
	vcpu->proc = proc;
	vcpu->ctx = kvm_ctx(vmid, proc >= 0 ? kvm->procs[proc].asid : 0);
	vcpu->gctx = kvm_ctx(vmid, KVM_CTX_GLOBAL_ASID);
}

/* ---------------------------------------------------------------------
 * The combined walk
 */

struct cwalk {
	struct kvm *kvm;
	struct kvm_walk_trace *t;
	unsigned int refs;
	unsigned int ps;
	unsigned long va;
	unsigned int acc;
	struct kvm_exit *x;
};

static inline void cw_ref(struct cwalk *w, int stage, unsigned int lvl, u64 in, u64 desc_ipa,
			  u64 desc_pa, u64 desc)
{
	w->refs++;
	if (w->t && w->t->nr < KVM_MAX_WALK_REFS)
		w->t->ref[w->t->nr++] = (struct kvm_walk_ref){ .stage = (unsigned char)stage,
			.level = (unsigned char)lvl, .in = in, .desc_ipa = desc_ipa,
			.desc_pa = desc_pa, .desc = desc };
}

static unsigned long ec_of(unsigned int acc, bool lower)
{
	if ((acc & 3) == MMU_EXEC)
		return lower ? ESR_ELx_EC_IABT_LOW : ESR_ELx_EC_IABT_CUR;
	return lower ? ESR_ELx_EC_DABT_LOW : ESR_ELx_EC_DABT_CUR;
}

/* A stage-2 fault; @e: the leaf at fault (permission), else 0. */
static int s2_fault(struct cwalk *w, u64 ipa, unsigned int lvl, bool s1ptw, bool perm, u64 e)
{
	struct kvm_exit *x = w->x;
	unsigned long fsc = perm ? ESR_ELx_FSC_PERM : ESR_ELx_FSC_FAULT;

	x->kind = KVM_EXIT_STAGE2;
	x->fault = perm ? MMU_FAULT_PROT : MMU_FAULT_NOT_PRESENT;
	x->level = (int)lvl;
	if (w->kvm->mmu.ept) {
		/* EPT violation: the access (a table read is a read), the
		 * entry's R/W/X, a linear address, final or table access */
		unsigned int a = s1ptw ? MMU_READ : w->acc & 3;

		x->esr = (a == MMU_WRITE ? EPT_VIOLATION_ACC_WRITE :
			  a == MMU_EXEC ? EPT_VIOLATION_ACC_INSTR : EPT_VIOLATION_ACC_READ) |
			 ((e & VMX_EPT_RWX_MASK) << EPT_VIOLATION_RWX_SHIFT) |
			 EPT_VIOLATION_GVA_IS_VALID | (s1ptw ? 0 : EPT_VIOLATION_GVA_TRANSLATED);
		x->hpfar = 0;
	} else {
		x->esr = (ec_of(w->acc, true) << ESR_ELx_EC_SHIFT) | (fsc + lvl) |
			 (s1ptw ? ESR_ELx_S1PTW : 0) |
			 (!s1ptw && (w->acc & 3) == MMU_WRITE ? ESR_ELx_WNR : 0);
		x->hpfar = (ipa >> 12) << 4;
	}
	x->far = w->va;
	x->ipa = ipa;
	x->access = w->acc;
	return -EFAULT;
}

static int s1_fault(struct cwalk *w, unsigned int lvl, bool perm)
{
	struct kvm_exit *x = w->x;
	unsigned long fsc = perm ? ESR_ELx_FSC_PERM : ESR_ELx_FSC_FAULT;

	x->kind = KVM_EXIT_STAGE1;
	x->fault = perm ? MMU_FAULT_PROT : MMU_FAULT_NOT_PRESENT;
	x->level = (int)lvl;
	if (w->kvm->mmu.ept)	/* #PF error code */
		x->esr = (perm ? X86_PF_PROT : 0) |
			 ((w->acc & 3) == MMU_WRITE ? X86_PF_WRITE : 0) |
			 ((w->acc & MMU_USER) ? X86_PF_USER : 0) |
			 ((w->acc & 3) == MMU_EXEC ? X86_PF_INSTR : 0);
	else
		x->esr = (ec_of(w->acc, w->acc & MMU_USER) << ESR_ELx_EC_SHIFT) | (fsc + lvl) |
			 ((w->acc & 3) == MMU_WRITE ? ESR_ELx_WNR : 0);
	x->far = w->va;
	x->ipa = 0;
	x->hpfar = 0;
	x->access = w->acc;
	return -EFAULT;
}

/* Does the stage-2 format have blocks at arch level @lvl? */
static bool s2_block_ok(const struct kvm_s2_mmu *m, unsigned int ps, unsigned int lvl)
{
	if (m->ept)
		return lvl == 1 || lvl == 2;	/* 1G, 2M */
	return ps == 12 ? (lvl == 1 || lvl == 2) : lvl == 2;
}

/*
 * Stage 2 of @ipa for access @acc (MMU_READ/WRITE/EXEC): *@pa and the leaf
 * descriptor, or a stage-2 fault (@s1ptw: a stage-1 table read).
 */
static int s2_walk(struct cwalk *w, u64 ipa, unsigned int acc, bool s1ptw, phys_addr_t *pa,
		   u64 *leaf)
{
	const struct kvm_s2_mmu *mmu = &w->kvm->mmu;
	unsigned int ps = w->ps, bpl = ps - 3;
	u64 amask = ((1ULL << 48) - 1) & ~((1ULL << ps) - 1);
	phys_addr_t table = page_to_phys(mmu->pgd);

	if (ipa >> mmu->ipa_bits)
		return s2_fault(w, ipa, mmu->start_level, s1ptw, false, 0);
	for (unsigned int lvl = mmu->start_level; lvl <= 3; lvl++) {
		unsigned int shift = ps + (3 - lvl) * bpl;
		u64 nptr = lvl == mmu->start_level ? 1ULL << (mmu->ipa_bits - shift) : 1ULL << bpl;
		phys_addr_t dpa = table + ((ipa >> shift) & (nptr - 1)) * 8;
		u64 e = __atomic_load_n((u64 *)mmu_phys_to_host(dpa), __ATOMIC_ACQUIRE);
		unsigned int prot;
		bool ok;

		cw_ref(w, 2, lvl, ipa, 0, dpa, e);
		if (!s2_valid(mmu, e))
			return s2_fault(w, ipa, lvl, s1ptw, false, 0);
		if (s2_table(mmu, e, lvl)) {
			table = e & amask;
			continue;
		}
		if ((lvl < 3 && !s2_block_ok(mmu, ps, lvl)) ||
		    (lvl == 3 && !mmu->ept && !(e & KVM_PTE_TYPE_TABLE)))
			return s2_fault(w, ipa, lvl, s1ptw, false, 0);
		prot = s2_leaf_prot(mmu, e);
		switch (acc & 3) {
		case MMU_WRITE:
			ok = prot & KVM_PGTABLE_PROT_W;
			break;
		case MMU_EXEC:	/* (arm64: execution needs S2AP R too) */
			ok = (prot & KVM_PGTABLE_PROT_X) && (mmu->ept || (prot & KVM_PGTABLE_PROT_R));
			break;
		default:
			ok = prot & KVM_PGTABLE_PROT_R;
		}
		if (!ok)
			return s2_fault(w, ipa, lvl, s1ptw, true, e);
		*pa = (e & amask & ~((1ULL << shift) - 1)) | (ipa & ((1ULL << shift) - 1));
		*leaf = e;
		return 0;
	}
	return -EFAULT;		/* not reached */
}

/* Access types stage 2's leaf @e allows (bit a: access a, user or not). */
static u32 s2_allow(const struct kvm_s2_mmu *mmu, u64 e)
{
	unsigned int prot = s2_leaf_prot(mmu, e);
	u32 m = 0;

	if (prot & KVM_PGTABLE_PROT_R)
		m |= 1u << MMU_READ | 1u << (MMU_USER | MMU_READ);
	if (prot & KVM_PGTABLE_PROT_W)
		m |= 1u << MMU_WRITE | 1u << (MMU_USER | MMU_WRITE);
	if ((prot & KVM_PGTABLE_PROT_X) && (mmu->ept || (prot & KVM_PGTABLE_PROT_R)))
		m |= 1u << MMU_EXEC | 1u << (MMU_USER | MMU_EXEC);
	return m;
}

/* x86 stage-1 permissions (CR0.WP=1, CR4.SMEP=1, EFER.NXE=1, SMAP off):
 * @rw, @us: and of RW, US over the levels; @nx: or of NX. */
static u32 x86_allow(bool rw, bool us, bool nx)
{
	u32 m = 1u << MMU_READ;

	if (rw)
		m |= 1u << MMU_WRITE;
	if (!nx && !us)
		m |= 1u << MMU_EXEC;	/* SMEP: no kernel exec of user pages */
	if (us) {
		m |= 1u << (MMU_USER | MMU_READ);
		if (rw)
			m |= 1u << (MMU_USER | MMU_WRITE);
		if (!nx)
			m |= 1u << (MMU_USER | MMU_EXEC);
	}
	return m;
}

/* The x86 guest's stage 1 (4 levels, CR3 = the process's table, or the
 * kernel's with none), each table read through EPT. */
static int combined_walk_x86(struct cwalk *w, struct kvm_vcpu *vcpu, phys_addr_t *pa, u32 *allow,
			     bool *global)
{
	const struct pgtable_geom *g = pgt_geom();
	struct kvm *kvm = w->kvm;
	unsigned long va = w->va;
	int n = g->nr_hw;
	u64 table, s2e;
	bool rw = true, us = true, nx = false;

	if ((va + (1UL << 47)) >> 48) {		/* non-canonical: #GP */
		s1_fault(w, 0, false);
		w->x->fault = MMU_FAULT_NONCANONICAL;
		w->x->esr = 0;
		return -EFAULT;
	}
	table = vcpu->proc >= 0 ? kvm->procs[vcpu->proc].pgd_ipa : kvm->kernel_pgd_ipa;
	for (int i = 0; i < n; i++) {
		unsigned int lvl = (unsigned int)i;
		bool leaf;
		u64 deipa = table + ((va >> g->hw[i].shift) & (g->hw[i].ptrs - 1)) * 8;
		phys_addr_t dpa, ipa;
		u64 *ep, e;
		u32 m;

		if (s2_walk(w, deipa, MMU_READ, true, &dpa, &s2e))
			return -EFAULT;
		ep = mmu_phys_to_host(dpa);
		e = __atomic_load_n(ep, __ATOMIC_ACQUIRE);
		cw_ref(w, 1, lvl, va, deipa, dpa, e);
		if (!(e & _PAGE_PRESENT))
			return s1_fault(w, lvl, false);
		rw = rw && (e & _PAGE_RW);
		us = us && (e & _PAGE_USER);
		nx = nx || (e & _PAGE_NX);
		if (!(e & _PAGE_ACCESSED))	/* every level, as x86 does */
			e = __atomic_fetch_or(ep, _PAGE_ACCESSED, __ATOMIC_ACQ_REL) | _PAGE_ACCESSED;
		leaf = i == n - 1 || ((e & _PAGE_PSE) && g->hw[i].leaf_class != 3);
		if (!leaf) {
			table = e & g->phys_mask;
			continue;
		}
		m = x86_allow(rw, us, nx);
		if (!(m >> w->acc & 1))
			return s1_fault(w, lvl, true);
		if ((w->acc & 3) == MMU_WRITE && !(e & _PAGE_DIRTY))
			e = __atomic_fetch_or(ep, _PAGE_DIRTY, __ATOMIC_ACQ_REL) | _PAGE_DIRTY;
		/* a clean page's entry must not let a write skip the walk */
		if (!(e & _PAGE_DIRTY))
			m &= ~(1u << MMU_WRITE | 1u << (MMU_USER | MMU_WRITE));
		ipa = (e & g->phys_mask & ~((1ULL << g->hw[i].shift) - 1)) |
		      (va & ((1UL << g->hw[i].shift) - 1));
		if (s2_walk(w, ipa, w->acc & 3, false, pa, &s2e))
			return -EFAULT;
		*allow = m & s2_allow(&kvm->mmu, s2e);
		*global = e & _PAGE_GLOBAL;
		return 0;
	}
	return -EFAULT;		/* not reached */
}

/* Stage-1 permissions of a leaf (arch/pgtable_arm64.c's rules). */
static u32 s1_allow(u64 tbl, u64 e, bool dirty_ok)
{
	bool user_ok = (e & PTE_USER) && !(tbl & PMD_TABLE_AP_NOEL0);
	bool writable = !(tbl & PMD_TABLE_AP_RO) && (!(e & PTE_RDONLY) || (dirty_ok && (e & PTE_DBM)));
	bool uxn = (tbl & PMD_TABLE_UXN) || (e & PTE_UXN);
	bool pxn = (tbl & PMD_TABLE_PXN) || (e & PTE_PXN);
	u32 m = 1u << MMU_READ;

	if (writable)
		m |= 1u << MMU_WRITE;
	if (!pxn && !(user_ok && writable))
		m |= 1u << MMU_EXEC;
	if (user_ok) {
		m |= 1u << (MMU_USER | MMU_READ);
		if (writable)
			m |= 1u << (MMU_USER | MMU_WRITE);
	}
	if (!uxn)
		m |= 1u << (MMU_USER | MMU_EXEC);
	return m;
}

/* The combined walk of @va: *@pa, the entry's allow and globality. */
static int combined_walk(struct cwalk *w, struct kvm_vcpu *vcpu, phys_addr_t *pa, u32 *allow,
			 bool *global)
{
	const struct pgtable_geom *g = pgt_geom();
	struct kvm *kvm = w->kvm;
	unsigned long va = w->va;
	int n = g->nr_hw;
	u64 table, tbl = 0;

	if ((va >> 48) != 0 && (va >> 48) != 0xffff)
		return s1_fault(w, 0, false);		/* outside both halves */
	if (va >> 55 & 1)
		table = kvm->kernel_pgd_ipa;		/* TTBR1_EL1 */
	else if (vcpu->proc >= 0)
		table = kvm->procs[vcpu->proc].pgd_ipa;	/* TTBR0_EL1 */
	else
		return s1_fault(w, (unsigned int)(4 - n), false);
	for (int i = 0; i < n; i++) {
		unsigned int lvl = (unsigned int)(4 - n + i);
		bool last = i == n - 1;
		u64 deipa = table + ((va >> g->hw[i].shift) & (g->hw[i].ptrs - 1)) * 8;
		phys_addr_t dpa, ipa;
		u64 *ep, e, s2e;
		u32 a1;

		if (s2_walk(w, deipa, MMU_READ, true, &dpa, &s2e))
			return -EFAULT;
		ep = mmu_phys_to_host(dpa);
		e = __atomic_load_n(ep, __ATOMIC_ACQUIRE);
		cw_ref(w, 1, lvl, va, deipa, dpa, e);
		if (!(e & PTE_VALID))
			return s1_fault(w, lvl, false);
		if (!last && (e & PTE_TABLE_BIT)) {
			tbl |= e;
			table = e & g->phys_mask;
			continue;
		}
		if ((!last && g->hw[i].leaf_class == 3) || (last && !(e & PTE_TABLE_BIT)))
			return s1_fault(w, lvl, false);
		if (!(s1_allow(tbl, e, true) >> w->acc & 1))
			return s1_fault(w, lvl, true);
		/* AF and hardware dirty: a write of the descriptor (its page
		 * is guest RAM, mapped RW in stage 2) */
		if (!(e & PTE_AF))
			e = __atomic_fetch_or(ep, PTE_AF, __ATOMIC_ACQ_REL) | PTE_AF;
		if ((w->acc & 3) == MMU_WRITE && (e & PTE_RDONLY) && (e & PTE_DBM))
			e = __atomic_fetch_and(ep, ~PTE_RDONLY, __ATOMIC_ACQ_REL) & ~PTE_RDONLY;
		a1 = s1_allow(tbl, e, false);
		ipa = (e & g->phys_mask & ~((1ULL << g->hw[i].shift) - 1)) |
		      (va & ((1UL << g->hw[i].shift) - 1));
		if (s2_walk(w, ipa, w->acc & 3, false, pa, &s2e))
			return -EFAULT;
		*allow = a1 & s2_allow(&kvm->mmu, s2e);
		*global = !(e & PTE_NG);
		return 0;
	}
	return -EFAULT;		/* not reached */
}

/* A guest entry of @t for @va: exact tag, the process's or the guest's global. */
static struct tlb_entry *gtlb_lookup(const struct mmu_cpu *c, struct tlb *t, unsigned long va,
				     u32 ctx, u32 gctx)
{
	struct tlb_array *a = t->arr[0];
	struct tlb_entry *set;
	u64 key;

	if (!a || !a->nvalid[0])
		return NULL;
	set = tlb_set_of(a, c, va, 0, &key);
	for (u32 w = 0; w < a->ways; w++)
		if (set[w].key == key && (set[w].ctx == ctx || set[w].ctx == gctx))
			return &set[w];
	return NULL;
}

int kvm_vcpu_translate(struct kvm_vcpu *vcpu, unsigned long va, unsigned int acc, phys_addr_t *pa,
		       struct kvm_walk_trace *trace, struct kvm_exit *exit)
{
	struct mmu_cpu *c = this_mmu_cpu();
	struct kvm *kvm = vcpu->kvm;
	struct kvm_arch_host *h = c->hw->mmu->kvm;
	struct tlb *l1 = (acc & MMU_EXEC) ? &c->l1i : &c->l1d;
	unsigned long pmask = (1UL << c->page_shift) - 1;
	struct kvm_exit dummy;
	struct cwalk w = { .kvm = kvm, .t = trace, .ps = c->page_shift, .va = va, .acc = acc,
			   .x = exit ? exit : &dummy };
	struct tlb_entry *e, ne;
	u32 allow = 0;
	bool global = false;

	if (atomic_load_explicit(&h->flush_pending[c->cpu], memory_order_relaxed) &&
	    atomic_exchange_explicit(&h->flush_pending[c->cpu], 0, memory_order_acquire))
		kvm_local_flush_guest(c, KVM_CTX_GUEST, KVM_CTX_GUEST);
	if (trace) {
		trace->nr = 0;	/* a traced translation always walks */
	} else {
		e = gtlb_lookup(c, l1, va, vcpu->ctx, vcpu->gctx);
		if (e && (e->allow >> acc & 1)) {
			kvm->stat.tlb_l1_hits++;
			*pa = e->pa | (va & pmask);
			return 0;
		}
		if (!e) {
			e = gtlb_lookup(c, &c->l2, va, vcpu->ctx, vcpu->gctx);
			if (e && (e->allow >> acc & 1)) {
				kvm->stat.tlb_l2_hits++;
				*pa = e->pa | (va & pmask);
				ne = *e;
				tlb_fill(c, l1, &ne, 0, false);
				return 0;
			}
		}
	}
	kvm->stat.walks++;
	if ((kvm->mmu.ept ? combined_walk_x86 : combined_walk)(&w, vcpu, pa, &allow, &global)) {
		kvm->stat.walk_refs += w.refs;
		kvm->stat.last_walk_refs = w.refs;
		return -EFAULT;
	}
	kvm->stat.walk_refs += w.refs;
	kvm->stat.last_walk_refs = w.refs;
	ne.key = (((va & c->va_mask) >> c->cls_shift[0]) << 3) | 1;
	ne.pa = *pa & ~(u64)pmask;
	ne.ctx = global ? vcpu->gctx : vcpu->ctx;
	ne.allow = allow;
	tlb_fill(c, &c->l2, &ne, 0, false);
	tlb_fill(c, l1, &ne, 0, false);
	return 0;
}
