// SPDX-License-Identifier: GPL-2.0
/*
 * arch/kvm_mmu.c - the host side of a VM (Linux's arch/arm64/kvm/mmu.c and
 * the stage-2 part of kvm/hyp/pgtable.c) and the minimal guest kernel that
 * runs in it.
 *
 * Stage 2.  kvm_init_stage2_mmu sizes the IPA space as Linux does: with a
 * granule of 2^ps bytes, levels = (ipa_bits - 8) / (ps - 3) (Linux's
 * stage2_pgtable_levels: ARM64_HW_PGTABLE_LEVELS(ipa_bits - 4), which lets
 * the root be up to 16 concatenated tables), start level = 4 - levels,
 * and the root is 2^pgd_order contiguous host pages (concatenated tables:
 * 40-bit IPA with 4K pages starts at level 1 with 2 of them).  VTCR_EL2
 * says T0SZ = 64 - ipa_bits, SL0, TG0, PS = 48 bits, inner-shareable
 * write-back walks, VS for 16-bit VMIDs; VTTBR_EL2 = root | VMID << 48.
 * The granule is the host's PAGE_SIZE, as Linux's KVM uses.  Descriptors
 * are the architecture's (arm64 stage-2 format, kvm.h's KVM_PTE_*): valid,
 * table/page, MemAttr = Normal WB, S2AP R/W, SH inner, AF, XN.  Guest RAM
 * is mapped with pages (no blocks); tables and RAM are host buddy pages,
 * tables counted in NR_SECONDARY_PAGETABLE (meminfo SecPageTables), as
 * Linux's kvm_account_pgtable_pages does.
 *
 * Aborts.  A stage-2 translation fault on a RAM IPA is user_mem_abort():
 * a zeroed host page mapped RWX.  A permission fault (an IPA the host made
 * read-only, kvm_s2_set_prot: what dirty logging does) relaxes the entry
 * back to RWX.  An IPA outside RAM would be MMIO, which is not modelled:
 * -EFAULT.
 *
 * The guest kernel.  Its RAM is [0, ram_size) in IPA space; its page
 * allocator is a bitmap of guest pages (page 0 stays unused) that remembers
 * which pages were ever handed out: a never-used page is known zero (the
 * host gives zeroed pages), so a fresh table is not written -- its first
 * walk takes a stage-2 fault with S1PTW set.  Its tables are arm64
 * stage-1 tables in the host's geometry, written into guest memory: every
 * access the guest kernel makes goes through stage 2 (a software walk here,
 * a stage-2 fault when unbacked).  TTBR1 maps all of guest RAM at
 * KVM_GUEST_LINEAR with global kernel pages; each guest process has an
 * ASID and a TTBR0 table, filled on demand by a stage-1 fault on a user
 * address (a zeroed user RW page).  Guest processes never exit.
 *
 * x86_64: stage 2 is EPT (4 levels, EPTP, R/W/X entries; arch/kvm.h's
 * s2_* helpers hide the format), the guest's tables are x86 page tables
 * (each process's CR3 table gets the kernel half copied), the linear map
 * is at 0xffff888000000000, and each VM has a VPID from allocate_vpid.
 *
 * Locking: a VM is used by one thread at a time (kvm.h); the host list and
 * the VMIDs are under the machine's kvm lock (arch/kvm_vmid.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/gfp.h>
#include <mmsim/mm.h>
#include <mmsim/vmstat.h>
#include "arch/kvm.h"

static unsigned int s2_ps(void)
{
	return pgt_geom()->page_shift;
}

/* Address bits below the index of arch level @lvl. */
static unsigned int s2_shift(unsigned int lvl)
{
	unsigned int ps = s2_ps();

	return ps + (3 - lvl) * (ps - 3);
}

/* Entries in a table of arch level @lvl (the root: all concatenated ones). */
static u64 s2_ptrs(const struct kvm_s2_mmu *mmu, unsigned int lvl)
{
	if (lvl == mmu->start_level)
		return 1ULL << (mmu->ipa_bits - s2_shift(lvl));
	return 1ULL << (s2_ps() - 3);
}

static void *host_ptr(phys_addr_t pa)
{
	return mmu_phys_to_host(pa);
}

static struct kvm_arch_host *kvm_host(void)
{
	return machine_mmu()->kvm;
}

static struct page *s2_alloc_table(struct kvm *kvm)
{
	struct page *p = alloc_page(GFP_KERNEL | __GFP_ZERO);

	if (!p)
		return NULL;
	mod_node_page_state(page_pgdat(p), NR_SECONDARY_PAGETABLE, 1);
	kvm->stat.s2_table_pages++;
	atomic_fetch_add(&kvm_host()->host_pages, 1);
	return p;
}

static void s2_free_table(struct kvm *kvm, struct page *p, unsigned int order, bool live)
{
	if (live) {
		mod_node_page_state(page_pgdat(p), NR_SECONDARY_PAGETABLE, -(1L << order));
		__free_pages(p, order);
	}
	kvm->stat.s2_table_pages -= 1UL << order;
	atomic_fetch_sub(&kvm_host()->host_pages, 1L << order);
}

/*
 * The level-3 descriptor of @ipa, allocating the tables on the way when
 * @alloc; NULL when a table is missing (and !@alloc) or on -ENOMEM.
 */
static u64 *s2_leaf_ptr(struct kvm *kvm, u64 ipa, bool alloc)
{
	struct kvm_s2_mmu *mmu = &kvm->mmu;
	u64 *table = host_ptr(page_to_phys(mmu->pgd));

	for (unsigned int lvl = mmu->start_level; lvl < 3; lvl++) {
		u64 *ep = table + ((ipa >> s2_shift(lvl)) & (s2_ptrs(mmu, lvl) - 1));
		u64 e = __atomic_load_n(ep, __ATOMIC_ACQUIRE);

		if (!s2_valid(mmu, e)) {
			struct page *p;

			if (!alloc || !(p = s2_alloc_table(kvm)))
				return NULL;
			e = s2_mk_table(mmu, page_to_phys(p));
			__atomic_store_n(ep, e, __ATOMIC_RELEASE);
		}
		table = host_ptr(e & S2_ADDR_MASK(s2_ps()));
	}
	return table + ((ipa >> s2_ps()) & (s2_ptrs(mmu, 3) - 1));
}

phys_addr_t kvm_ipa_to_phys(struct kvm *kvm, u64 ipa)
{
	u64 *ep;
	u64 e;

	if (ipa >> kvm->mmu.ipa_bits)
		return (phys_addr_t)-1;
	ep = s2_leaf_ptr(kvm, ipa, false);
	if (!ep)
		return (phys_addr_t)-1;
	e = __atomic_load_n(ep, __ATOMIC_ACQUIRE);
	if (!s2_valid(&kvm->mmu, e))
		return (phys_addr_t)-1;
	return (e & S2_ADDR_MASK(s2_ps())) | (ipa & ((1ULL << s2_ps()) - 1));
}

/* user_mem_abort: back the RAM page of @ipa with a zeroed host page. */
static int user_mem_abort(struct kvm *kvm, u64 ipa)
{
	u64 *ep;
	struct page *p;

	if (ipa >= kvm->ram_size)
		return -EFAULT;		/* MMIO: not modelled */
	ep = s2_leaf_ptr(kvm, ipa, true);
	if (!ep)
		return -ENOMEM;
	if (s2_valid(&kvm->mmu, __atomic_load_n(ep, __ATOMIC_ACQUIRE)))
		return 0;		/* raced / already there */
	p = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!p)
		return -ENOMEM;
	__atomic_store_n(ep, s2_mk_page(&kvm->mmu, page_to_phys(p), KVM_PGTABLE_PROT_RWX),
			 __ATOMIC_RELEASE);
	kvm->stat.s2_pages++;
	atomic_fetch_add(&kvm_host()->host_pages, 1);
	return 0;
}

int kvm_handle_guest_abort(struct kvm_vcpu *vcpu, const struct kvm_exit *exit)
{
	struct kvm *kvm = vcpu->kvm;

	if (exit->kind != KVM_EXIT_STAGE2)
		return -EINVAL;
	if (exit->fault == MMU_FAULT_PROT) {
		u64 *ep = s2_leaf_ptr(kvm, exit->ipa, false);

		if (!ep)
			return -EFAULT;
		kvm->stat.s2_perm_faults++;
		/* relax: the TLB may hold the old entry; a permission miss
		 * walks again, so no flush is needed (as Linux's relax_perms) */
		__atomic_fetch_and(ep, ~s2_prot_mask(&kvm->mmu), __ATOMIC_ACQ_REL);
		__atomic_fetch_or(ep, s2_prot_bits(&kvm->mmu, KVM_PGTABLE_PROT_RWX), __ATOMIC_ACQ_REL);
		return 0;
	}
	kvm->stat.s2_faults++;
	if (kvm->mmu.ept ? !(exit->esr & EPT_VIOLATION_GVA_TRANSLATED) :
			   (exit->esr & ESR_ELx_S1PTW))
		kvm->stat.s2_s1ptw_faults++;	/* on a stage-1 table access */
	return user_mem_abort(kvm, exit->ipa);
}

int kvm_unmap_ipa(struct kvm *kvm, u64 ipa)
{
	u64 *ep = ipa < kvm->ram_size ? s2_leaf_ptr(kvm, ipa, false) : NULL;
	u64 e;

	if (!ep || !s2_valid(&kvm->mmu, (e = __atomic_exchange_n(ep, 0, __ATOMIC_ACQ_REL))))
		return -ENOENT;
	__kvm_tlb_flush_vmid_ipa(&kvm->mmu, ipa);
	__free_page(pfn_to_page(PHYS_PFN(e & S2_ADDR_MASK(s2_ps()))));
	kvm->stat.s2_pages--;
	atomic_fetch_sub(&kvm_host()->host_pages, 1);
	return 0;
}

int kvm_s2_set_prot(struct kvm *kvm, u64 ipa, unsigned int prot)
{
	u64 *ep = ipa < kvm->ram_size ? s2_leaf_ptr(kvm, ipa, false) : NULL;
	u64 e;

	if (!ep || !s2_valid(&kvm->mmu, (e = __atomic_load_n(ep, __ATOMIC_ACQUIRE))))
		return -ENOENT;
	e &= ~s2_prot_mask(&kvm->mmu);
	/* (an EPT entry with no permission at all would read as invalid) */
	__atomic_store_n(ep, e | s2_prot_bits(&kvm->mmu, prot | KVM_PGTABLE_PROT_R),
			 __ATOMIC_RELEASE);
	__kvm_tlb_flush_vmid_ipa(&kvm->mmu, ipa);
	return 0;
}

/* ---------------------------------------------------------------------
 * Stage-2 setup and teardown
 */

static int kvm_init_stage2_mmu(struct kvm *kvm, unsigned int ipa_bits)
{
	struct kvm_s2_mmu *mmu = &kvm->mmu;
	unsigned int ps = s2_ps();
	unsigned int levels = (ipa_bits - 8) / (ps - 3);
	u64 root_bytes;
	u64 tg0 = ps == 12 ? 0 : ps == 16 ? 1 : 2;
	u64 sl0_base = ps == 12 ? 2 : 3;
	struct page *p;

	if (levels > 4 || mmu->ept)
		levels = 4;	/* EPT: always the 4-level walk, 48 bits */
	mmu->arch = kvm;
	mmu->ipa_bits = ipa_bits;
	mmu->levels = levels;
	mmu->start_level = 4 - levels;
	root_bytes = s2_ptrs(mmu, mmu->start_level) * 8;
	mmu->pgd_order = root_bytes > (1ULL << ps) ?
			 (unsigned int)__builtin_ctzll(root_bytes >> ps) : 0;
	if (mmu->pgd_order > 4)
		return -EINVAL;		/* more than 16 concatenated tables */
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, mmu->pgd_order);
	if (!p)
		return -ENOMEM;
	mmu->pgd = p;
	mod_node_page_state(page_pgdat(p), NR_SECONDARY_PAGETABLE, 1L << mmu->pgd_order);
	kvm->stat.s2_table_pages += 1UL << mmu->pgd_order;
	atomic_fetch_add(&kvm_host()->host_pages, 1L << mmu->pgd_order);
	if (mmu->ept) {
		mmu->eptp = page_to_phys(p) | VMX_EPTP_PWL_4 | VMX_EPTP_MT_WB;
		return 0;
	}
	mmu->vtcr = ((u64)(64 - ipa_bits) << VTCR_EL2_T0SZ_SHIFT) |
		    ((sl0_base - mmu->start_level) << VTCR_EL2_SL0_SHIFT) | VTCR_EL2_IRGN0_WBWA |
		    VTCR_EL2_ORGN0_WBWA | VTCR_EL2_SH0_INNER | (tg0 << VTCR_EL2_TG0_SHIFT) |
		    (5ULL << VTCR_EL2_PS_SHIFT) |
		    (kvm_host()->vmid_bits > 8 ? VTCR_EL2_VS : 0);
	return 0;
}

/* Free the tables under @table (arch level @lvl, @n entries) and the RAM
 * pages they map. */
static void s2_free_level(struct kvm *kvm, u64 *table, unsigned int lvl, u64 n, bool live)
{
	for (u64 i = 0; i < n; i++) {
		u64 e = table[i];
		phys_addr_t pa = e & S2_ADDR_MASK(s2_ps());

		if (!s2_valid(&kvm->mmu, e))
			continue;
		if (lvl < 3) {
			s2_free_level(kvm, host_ptr(pa), lvl + 1, s2_ptrs(&kvm->mmu, lvl + 1), live);
			s2_free_table(kvm, pfn_to_page(PHYS_PFN(pa)), 0, live);
		} else {
			if (live)
				__free_page(pfn_to_page(PHYS_PFN(pa)));
			kvm->stat.s2_pages--;
			atomic_fetch_sub(&kvm_host()->host_pages, 1);
		}
	}
}

void kvm_free_vm_memory(struct kvm *kvm, bool live)
{
	struct kvm_s2_mmu *mmu = &kvm->mmu;

	if (mmu->pgd) {
		s2_free_level(kvm, host_ptr(page_to_phys(mmu->pgd)), mmu->start_level,
			      s2_ptrs(mmu, mmu->start_level), live);
		s2_free_table(kvm, mmu->pgd, mmu->pgd_order, live);
		mmu->pgd = NULL;
	}
	free(kvm->gpage_used);
	free(kvm->gpage_dirty);
	free(kvm);
}

/* ---------------------------------------------------------------------
 * The guest kernel: its page allocator and its stage-1 tables
 */

static bool gbit(const unsigned long *m, unsigned long i)
{
	return m[i / (8 * sizeof(long))] >> (i % (8 * sizeof(long))) & 1;
}

static void gset(unsigned long *m, unsigned long i)
{
	m[i / (8 * sizeof(long))] |= 1UL << (i % (8 * sizeof(long)));
}

/*
 * A guest kernel access to @ipa: the host pointer of that byte, after the
 * stage-2 fault it may take (the host backs the page).  NULL: no RAM.
 */
static void *guest_ipa_ptr(struct kvm *kvm, u64 ipa)
{
	phys_addr_t pa = kvm_ipa_to_phys(kvm, ipa);

	if (pa == (phys_addr_t)-1) {
		kvm->stat.s2_faults++;
		if (user_mem_abort(kvm, ipa))
			return NULL;
		pa = kvm_ipa_to_phys(kvm, ipa);
	}
	return host_ptr(pa);
}

/* A guest page (its IPA), zeroed; 0 when guest RAM is full. */
static u64 guest_alloc_page(struct kvm *kvm)
{
	unsigned long n = kvm->nr_gpages;

	for (unsigned long k = 0; k < n; k++) {
		unsigned long i = (kvm->gpage_next + k) % n;
		u64 ipa = (u64)i << s2_ps();

		if (!i || gbit(kvm->gpage_used, i))
			continue;
		gset(kvm->gpage_used, i);
		if (gbit(kvm->gpage_dirty, i)) {	/* clear_page through stage 2 */
			void *p = guest_ipa_ptr(kvm, ipa);

			if (!p)
				return 0;
			memset(p, 0, 1UL << s2_ps());
		}
		gset(kvm->gpage_dirty, i);
		kvm->gpage_next = i + 1;
		kvm->stat.guest_pages++;
		return ipa;
	}
	return 0;
}

/* Stage-1 bits of a guest leaf (Linux's PAGE_KERNEL / PAGE_SHARED). */
#define GUEST_S1_COMMON	(PTE_VALID | PTE_TABLE_BIT | PTE_AF | PTE_SHARED | PTE_ATTRINDX(4))

/*
 * Map guest page @ipa at @va in the stage-1 table rooted at @pgd_ipa
 * (kernel: global, EL1 RW, UXN; user: nG, EL0 RW, PXN).  Writes every
 * descriptor through stage 2.  0 or -ENOMEM.
 */
static int guest_s1_map(struct kvm *kvm, u64 pgd_ipa, unsigned long va, u64 ipa, bool user)
{
	const struct pgtable_geom *g = pgt_geom();
	u64 table = pgd_ipa;

	for (int i = 0; i < g->nr_hw; i++) {
		u64 eipa = table + ((va >> g->hw[i].shift) & (g->hw[i].ptrs - 1)) * 8;
		u64 *ep = guest_ipa_ptr(kvm, eipa);
		u64 e;

		if (!ep)
			return -ENOMEM;
		e = __atomic_load_n(ep, __ATOMIC_ACQUIRE);
		if (i == g->nr_hw - 1) {
			if (kvm->mmu.ept)	/* x86: PAGE_SHARED / PAGE_KERNEL (G, NX) */
				e = ipa | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED | _PAGE_DIRTY |
				    (user ? _PAGE_USER : _PAGE_GLOBAL | _PAGE_NX);
			else
				e = ipa | GUEST_S1_COMMON |
				    (user ? PTE_USER | PTE_NG | PTE_PXN : PTE_UXN);
			__atomic_store_n(ep, e, __ATOMIC_RELEASE);
			return 0;
		}
		if (!(e & PTE_VALID)) {	/* (_PAGE_PRESENT on x86: bit 0 too) */
			u64 t = guest_alloc_page(kvm);

			if (!t)
				return -ENOMEM;
			if (kvm->mmu.ept)
				e = t | _PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED |
				    (user ? _PAGE_USER : 0);
			else
				e = t | PTE_TABLE_BIT | PTE_VALID;
			/* (the allocation may have faulted in this table's page: ep holds) */
			__atomic_store_n(ep, e, __ATOMIC_RELEASE);
		}
		table = e & g->phys_mask;
	}
	return -EFAULT;		/* not reached */
}

int kvm_guest_proc_create(struct kvm *kvm, const char *name)
{
	struct kvm_guest_proc *p;
	u64 pgd;

	if (kvm->nr_procs == KVM_MAX_PROCS || kvm->nr_procs + 1 >= (1 << KVM_GUEST_ASID_BITS))
		return -ENOSPC;
	if (strlen(name) >= KVM_NAME_MAX || kvm_guest_proc_find(kvm, name) >= 0)
		return -EINVAL;
	pgd = guest_alloc_page(kvm);	/* arm64: not written, known zero */
	if (!pgd)
		return -ENOMEM;
	if (kvm->mmu.ept) {
		/* x86: one CR3 for both halves: the kernel's top-level entries
		 * are copied (pgd_alloc), all made when its linear map was */
		unsigned int ptrs = pgt_geom()->hw[0].ptrs;

		for (unsigned int i = ptrs / 2; i < ptrs; i++) {
			u64 *from = guest_ipa_ptr(kvm, kvm->kernel_pgd_ipa + i * 8);
			u64 *to = guest_ipa_ptr(kvm, pgd + i * 8);

			if (!from || !to)
				return -ENOMEM;
			if (*from)
				*to = *from;
		}
	}
	p = &kvm->procs[kvm->nr_procs];
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->asid = (u32)kvm->nr_procs + 1;
	p->pgd_ipa = pgd;
	return kvm->nr_procs++;
}

int kvm_guest_proc_find(struct kvm *kvm, const char *name)
{
	for (int i = 0; i < kvm->nr_procs; i++)
		if (!strcmp(kvm->procs[i].name, name))
			return i;
	return -ENOENT;
}

/* The guest kernel's stage-1 fault handler: demand paging of user memory. */
static int guest_do_page_fault(struct kvm_vcpu *vcpu, const struct kvm_exit *exit)
{
	struct kvm *kvm = vcpu->kvm;
	unsigned long va = exit->far;
	u64 ipa;

	if (exit->fault != MMU_FAULT_NOT_PRESENT || vcpu->proc < 0 ||
	    !(exit->access & MMU_USER) || va >= pgt_geom()->task_size)
		return -EFAULT;		/* the guest's SIGSEGV */
	ipa = guest_alloc_page(kvm);
	if (!ipa)
		return -ENOMEM;		/* the guest's OOM */
	kvm->stat.s1_faults++;
	return guest_s1_map(kvm, kvm->procs[vcpu->proc].pgd_ipa, va & ~((1UL << s2_ps()) - 1),
			    ipa, true);
}

int kvm_guest_access(struct kvm_vcpu *vcpu, unsigned long va, unsigned int acc, phys_addr_t *pa,
		     struct kvm_exit *exit)
{
	struct kvm_exit ex;

	if (!exit)
		exit = &ex;
	kvm_vcpu_load(vcpu, vcpu->proc);	/* the guest entry: kvm_arm_vmid_update */
	for (int tries = 0; tries < 8; tries++) {
		int ret = kvm_vcpu_translate(vcpu, va, acc, pa, NULL, exit);

		if (!ret)
			return 0;
		if (exit->kind == KVM_EXIT_STAGE2)
			ret = kvm_handle_guest_abort(vcpu, exit);
		else
			ret = guest_do_page_fault(vcpu, exit);
		if (ret)
			return -EFAULT;
	}
	return -EFAULT;
}

/* ---------------------------------------------------------------------
 * VM lifetime
 */

struct kvm *kvm_create_vm(const char *name, const struct kvm_config *cfg, int *err)
{
	struct arch_mmu *amu = machine_mmu();
	struct kvm_arch_host *h;
	unsigned long ram = cfg && cfg->ram_size ? cfg->ram_size : 16UL << 20;
	unsigned int ipa_bits = cfg && cfg->ipa_bits ? cfg->ipa_bits : 40;
	unsigned int ps = pgt_geom()->page_shift;
	struct kvm *kvm;
	int ret = -EINVAL;

	bool ept = !amu->geom->arm64;

	if (ept && (current_layout->arch != ARCH_X86_64 || ps != 12)) {
		*err = -EOPNOTSUPP;	/* EPT: x86_64 with 4-level paging */
		return NULL;
	}
	if (ept)
		ipa_bits = 48;
	if (ipa_bits < 32 || ipa_bits > 48 || !ram || ram & ((1UL << ps) - 1) ||
	    ram > (1UL << ipa_bits) || (ram >> ps) < 64 || strlen(name) >= KVM_NAME_MAX) {
		*err = -EINVAL;
		return NULL;
	}
	h = kvm_host_get(amu);
	kvm = calloc(1, sizeof(*kvm));
	if (!h || !kvm)
		goto nomem;
	snprintf(kvm->name, sizeof(kvm->name), "%s", name);
	kvm->mmu.ept = ept;
	kvm->linear_base = ept ? KVM_GUEST_LINEAR_X86 : KVM_GUEST_LINEAR;
	kvm->ram_size = ram;
	kvm->nr_gpages = ram >> ps;
	kvm->gpage_used = calloc((kvm->nr_gpages + 63) / 64, sizeof(long));
	kvm->gpage_dirty = calloc((kvm->nr_gpages + 63) / 64, sizeof(long));
	kvm->gpage_next = 1;
	kvm->vcpu.kvm = kvm;
	kvm->vcpu.proc = -1;
	if (!kvm->gpage_used || !kvm->gpage_dirty)
		goto nomem;
	ret = kvm_init_stage2_mmu(kvm, ipa_bits);
	if (ret)
		goto fail;
	if (ept)
		atomic_store(&kvm->mmu.vmid.id, allocate_vpid(h));
	spin_lock(&h->lock);
	kvm->next = h->vms;
	h->vms = kvm;
	h->nr_vms++;
	spin_unlock(&h->lock);
	/* The guest kernel boots: its TTBR1 table and linear map. */
	ret = -ENOMEM;
	kvm->kernel_pgd_ipa = guest_alloc_page(kvm);
	if (!kvm->kernel_pgd_ipa)
		goto destroy;
	for (u64 ipa = 0; ipa < ram; ipa += 1UL << ps)
		if (guest_s1_map(kvm, kvm->kernel_pgd_ipa, kvm->linear_base + ipa, ipa, false))
			goto destroy;
	return kvm;
destroy:
	kvm_destroy_vm(kvm);
	*err = ret;
	return NULL;
nomem:
	ret = -ENOMEM;
fail:
	if (kvm)
		kvm_free_vm_memory(kvm, true);
	*err = ret;
	return NULL;
}

void kvm_destroy_vm(struct kvm *kvm)
{
	struct kvm_arch_host *h = kvm_host();

	spin_lock(&h->lock);
	for (struct kvm **pp = &h->vms; *pp; pp = &(*pp)->next) {
		if (*pp == kvm) {
			*pp = kvm->next;
			h->nr_vms--;
			break;
		}
	}
	spin_unlock(&h->lock);
	if (kvm->mmu.ept) {
		__kvm_tlb_flush_vmid(&kvm->mmu);	/* (VPID 0: its entries too) */
		free_vpid(h, kvm_vmid_of(kvm));
	} else if (atomic_load(&kvm->mmu.vmid.id)) {
		__kvm_tlb_flush_vmid(&kvm->mmu);
		kvm_vmid_release(h, &kvm->mmu.vmid);
	}
	kvm_free_vm_memory(kvm, true);
}

/* ---------------------------------------------------------------------
 * Invariants
 */

struct s2_census {
	unsigned long leaves, tables;
	phys_addr_t *pas;
	size_t n, cap;
	const char *bad;
};

static void s2_census_level(struct kvm *kvm, struct s2_census *cs, u64 *table, unsigned int lvl,
			    u64 n, u64 base)
{
	for (u64 i = 0; i < n && !cs->bad; i++) {
		u64 e = table[i];
		u64 ipa = base + (i << s2_shift(lvl));
		phys_addr_t pa = e & S2_ADDR_MASK(s2_ps());

		if (!s2_valid(&kvm->mmu, e))
			continue;
		if (lvl < 3 && !s2_table(&kvm->mmu, e, lvl)) {
			cs->bad = "a block in stage 2";
			return;
		}
		if (lvl == 3 && !kvm->mmu.ept && !(e & KVM_PTE_TYPE_TABLE)) {
			cs->bad = "a reserved descriptor in stage 2";
			return;
		}
		if (lvl < 3) {
			cs->tables++;
			s2_census_level(kvm, cs, host_ptr(pa), lvl + 1, s2_ptrs(&kvm->mmu, lvl + 1),
					ipa);
			continue;
		}
		if (ipa >= kvm->ram_size) {
			cs->bad = "a stage-2 mapping outside guest RAM";
			return;
		}
		if (!s2_page_ok(&kvm->mmu, e)) {
			cs->bad = "a stage-2 leaf without its attributes";
			return;
		}
		if (cs->n == cs->cap) {
			size_t cap = cs->cap ? cs->cap * 2 : 256;
			phys_addr_t *np = realloc(cs->pas, cap * sizeof(*np));

			if (!np) {
				cs->bad = "out of host memory";
				return;
			}
			cs->pas = np;
			cs->cap = cap;
		}
		cs->pas[cs->n++] = pa;
		cs->leaves++;
	}
}

static int cmp_pa(const void *a, const void *b)
{
	phys_addr_t x = *(const phys_addr_t *)a, y = *(const phys_addr_t *)b;

	return x < y ? -1 : x > y;
}

bool kvm_check(struct kvm *kvm, char *why, size_t len)
{
	struct s2_census cs = { 0 };
	struct kvm_s2_mmu *mmu = &kvm->mmu;
	unsigned long used = 0;

	s2_census_level(kvm, &cs, host_ptr(page_to_phys(mmu->pgd)), mmu->start_level,
			s2_ptrs(mmu, mmu->start_level), 0);
	if (!cs.bad) {
		qsort(cs.pas, cs.n, sizeof(*cs.pas), cmp_pa);
		for (size_t i = 1; i < cs.n && !cs.bad; i++)
			if (cs.pas[i] == cs.pas[i - 1])
				cs.bad = "a host page mapped twice in stage 2";
	}
	for (size_t i = 0; i < cs.n && !cs.bad; i++) {
		struct page *p = pfn_to_page(PHYS_PFN(cs.pas[i]));

		if (page_ref_count(p) != 1)
			cs.bad = "a stage-2 page without exactly one reference";
	}
	if (!cs.bad && cs.leaves != kvm->stat.s2_pages)
		cs.bad = "s2_pages differs from the stage-2 leaves";
	if (!cs.bad && cs.tables + (1UL << mmu->pgd_order) != kvm->stat.s2_table_pages)
		cs.bad = "s2_table_pages differs from the stage-2 tables";
	for (unsigned long i = 0; i < kvm->nr_gpages; i++)
		used += gbit(kvm->gpage_used, i);
	if (!cs.bad && used != kvm->stat.guest_pages)
		cs.bad = "the guest allocator's count differs from its bitmap";
	free(cs.pas);
	if (cs.bad && why)
		snprintf(why, len, "%s: %s", kvm->name, cs.bad);
	return !cs.bad;
}
