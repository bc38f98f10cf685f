// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_kvm.c - two-stage translation (arch/kvm_*.c, docs/virt.md):
 * the combined walk's results and reference counts per granule and IPA
 * size (arm64 4K, 16K, 64K; concatenated stage-2 roots; x86_64 with EPT), the faults of each stage
 * (stage 2 on a stage-1 table read with S1PTW and HPFAR, stage 1 taken by
 * the guest, permission faults of both stages; x86: #PF error codes,
 * EPT violation qualifications, VPIDs), demand allocation of guest
 * RAM and its host accounting, VMID/ASID tagging of TLB entries (two guests,
 * two processes of a guest, guest-global entries, the host), the VMID
 * rollover with 2 VMID bits, and a randomized stress that checks the TLB
 * against fresh walks and kvm_check after every step.
 */
#include "mmtest.h"
#include "arch/pgtable.h"
#include <mmsim/kvm.h>

static struct kvm *mkvm(const char *name, unsigned long ram, unsigned int ipa)
{
	struct kvm_config cfg = { .ram_size = ram, .ipa_bits = ipa };
	int err = 0;
	struct kvm *kvm = kvm_create_vm(name, &cfg, &err);

	KT_ASSERT(kvm);
	return kvm;
}

static void check(struct kvm *kvm)
{
	char why[128] = "";

	KT_EQ_WHAT(kvm_check(kvm, why, sizeof(why)), true, "%s", why);
}

/* A user access of process @proc at @va: the PA (or -1). */
static phys_addr_t gaccess(struct kvm *kvm, int proc, unsigned long va, unsigned int acc)
{
	phys_addr_t pa;

	kvm_vcpu_load(&kvm->vcpu, proc);
	if (kvm_guest_access(&kvm->vcpu, va, acc | MMU_USER, &pa, NULL))
		return (phys_addr_t)-1;
	return pa;
}

static unsigned long host_free(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

/* Levels of stage 1 (the host geometry) and of stage 2 for @ipa bits. */
static unsigned int s1_levels(void)
{
	return pgt_geom()->nr_hw;
}

static void test_walk_refs(void)
{
	unsigned int ps = pgt_geom()->page_shift;
	unsigned int ipas[] = { 48, 40, 36 };

	for (size_t k = 0; k < ARRAY_SIZE(ipas); k++) {
		struct kvm *kvm = mkvm("g", 8UL << 20, ipas[k]);
		unsigned int n2 = (ipas[k] - 8) / (ps - 3), n1 = s1_levels();
		int p = kvm_guest_proc_create(kvm, "p");
		unsigned long va = 0x400000 + 0x123;
		struct kvm_walk_trace t;
		struct kvm_exit x;
		phys_addr_t pa, pa2, lin;
		u64 leaf_ipa;
		u64 vtcr = kvm->mmu.vtcr;

		if (n2 > 4 || kvm->mmu.ept)
			n2 = 4;
		KT_EQ(kvm->mmu.levels, n2);
		if (kvm->mmu.ept) {	/* EPTP: root, walk length 4, WB */
			KT_EQ(kvm->mmu.eptp, page_to_phys(kvm->mmu.pgd) | (3 << 3) | 6);
			KT_EQ(kvm->mmu.pgd_order, 0);
		} else {
			KT_EQ(vtcr & 0x3f, 64 - ipas[k]);
			KT_EQ((vtcr >> 14) & 3, ps == 12 ? 0u : ps == 16 ? 1u : 2u);
			KT_EQ((vtcr >> 6) & 3, (ps == 12 ? 2u : 3u) - kvm->mmu.start_level);
		}
		/* the root: all entries of the start level, concatenated pages */
		{
			unsigned int top = ps + (3 - kvm->mmu.start_level) * (ps - 3);
			u64 root = 8ULL << (kvm->mmu.ipa_bits - top);

			KT_EQ(kvm->mmu.pgd_order,
			      root > (1ULL << ps) ? (unsigned int)__builtin_ctzll(root >> ps) : 0u);
		}
		KT_ASSERT(kvm->mmu.pgd_order <= 4);
		/* Linux's layouts: 4K/IPA 40 and 16K/IPA 48 concatenate 2 pages */
		if (!kvm->mmu.ept && ipas[k] == 40 && ps == 12)
			KT_ASSERT(kvm->mmu.start_level == 1 && kvm->mmu.pgd_order == 1);
		if (ipas[k] == 48 && ps == 14)
			KT_ASSERT(kvm->mmu.start_level == 1 && kvm->mmu.pgd_order == 1);
		KT_ASSERT(p >= 0);
		pa = gaccess(kvm, p, va, MMU_WRITE);
		KT_ASSERT(pa != (phys_addr_t)-1);
		/* traced: a full walk, (n1 + 1)(n2 + 1) - 1 references */
		KT_EQ(kvm_vcpu_translate(&kvm->vcpu, va, MMU_READ | MMU_USER, &pa2, &t, &x), 0);
		KT_EQ(pa2, pa);
		KT_EQ((unsigned int)t.nr, (n1 + 1) * (n2 + 1) - 1);
		KT_EQ(kvm->stat.last_walk_refs, (unsigned long)t.nr);
		if ((ipas[k] == 48 && ps == 12) || kvm->mmu.ept)
			KT_EQ(t.nr, 24);
		/* the pattern: n2 stage-2 refs before each stage-1 ref, n2 at the end */
		for (int i = 0; i < t.nr; i++)
			KT_EQ(t.ref[i].stage, (i + 1) % (n2 + 1) == 0 ? 1 : 2);
		/* the leaf IPA by stage 1, its PA by stage 2 */
		leaf_ipa = (t.ref[t.nr - n2 - 1].desc & pgt_geom()->phys_mask) | (va & ((1UL << ps) - 1));
		KT_EQ(kvm_ipa_to_phys(kvm, leaf_ipa), pa);
		KT_EQ(t.ref[t.nr - 1].in, leaf_ipa);
		/* the same byte through the guest kernel's linear map */
		kvm_vcpu_load(&kvm->vcpu, p);
		KT_EQ(kvm_guest_access(&kvm->vcpu, kvm->linear_base + leaf_ipa, MMU_READ, &lin, NULL),
		      0);
		KT_EQ(lin, pa);
		/* what the guest wrote is what the host page holds */
		*(u64 *)mmu_phys_to_host(pa & ~7ULL) = 0x1122334455667788ULL;
		KT_EQ(*(u64 *)mmu_phys_to_host(lin & ~7ULL), 0x1122334455667788ULL);
		check(kvm);
		kvm_destroy_vm(kvm);
	}
}

static void test_faults(void)
{
	struct kvm *kvm = mkvm("f", 4UL << 20, 40);
	int p = kvm_guest_proc_create(kvm, "p");
	unsigned long va = 0x10000;
	unsigned int n1 = s1_levels();
	struct kvm_vcpu *v = &kvm->vcpu;
	struct kvm_exit x;
	phys_addr_t pa;
	u64 pgd = kvm->procs[p].pgd_ipa;
	unsigned long s2f;

	kvm_vcpu_load(v, p);
	/* 1: the process's pgd was never written: stage 2 faults on the
	 * stage-1 table read (S1PTW), HPFAR holds its IPA */
	KT_EQ(kvm_vcpu_translate(v, va, MMU_WRITE | MMU_USER, &pa, NULL, &x), -EFAULT);
	KT_EQ(x.kind, KVM_EXIT_STAGE2);
	KT_EQ(x.fault, MMU_FAULT_NOT_PRESENT);
	KT_EQ(x.esr >> ESR_ELx_EC_SHIFT, ESR_ELx_EC_DABT_LOW);
	KT_ASSERT(x.esr & ESR_ELx_S1PTW);
	KT_ASSERT(!(x.esr & ESR_ELx_WNR));
	KT_EQ(x.ipa, pgd);
	KT_EQ(x.hpfar, (pgd >> 12) << 4);
	KT_EQ(x.far, va);
	s2f = kvm->stat.s2_faults;
	KT_EQ(kvm_handle_guest_abort(v, &x), 0);
	KT_EQ(kvm->stat.s2_faults, s2f + 1);
	KT_EQ(kvm->stat.s2_s1ptw_faults, 1);
	/* 2: a stage-1 translation fault at the first level, for the guest */
	KT_EQ(kvm_vcpu_translate(v, va, MMU_WRITE | MMU_USER, &pa, NULL, &x), -EFAULT);
	KT_EQ(x.kind, KVM_EXIT_STAGE1);
	KT_EQ(x.level, (int)(4 - n1));
	KT_EQ(x.esr & 0x3f, ESR_ELx_FSC_FAULT + 4 - n1);
	KT_ASSERT(x.esr & ESR_ELx_WNR);
	KT_EQ(x.esr >> ESR_ELx_EC_SHIFT, ESR_ELx_EC_DABT_LOW);
	/* the whole system: guest demand paging, then stage-2 demand paging */
	KT_EQ(kvm_guest_access(v, va, MMU_WRITE | MMU_USER, &pa, &x), 0);
	KT_EQ(kvm->stat.s1_faults, 1);
	KT_ASSERT(kvm->stat.s2_faults >= s2f + 2);	/* the data page at least */
	/* stage-1 permission: a user access to the guest kernel's map */
	KT_EQ(kvm_vcpu_translate(v, KVM_GUEST_LINEAR + 0x5000, MMU_READ | MMU_USER, &pa, NULL, &x),
	      -EFAULT);
	KT_EQ(x.kind, KVM_EXIT_STAGE1);
	KT_EQ(x.fault, MMU_FAULT_PROT);
	KT_EQ(x.esr & 0x3c, ESR_ELx_FSC_PERM);
	KT_EQ(kvm_guest_access(v, KVM_GUEST_LINEAR + 0x5000, MMU_READ | MMU_USER, &pa, &x), -EFAULT);
	/* the guest kernel may not execute user memory (PXN); the user may */
	KT_EQ(kvm_vcpu_translate(v, va, MMU_EXEC, &pa, NULL, &x), -EFAULT);
	KT_EQ(x.fault, MMU_FAULT_PROT);
	KT_EQ(x.esr >> ESR_ELx_EC_SHIFT, ESR_ELx_EC_IABT_CUR);
	KT_EQ(kvm_vcpu_translate(v, va, MMU_EXEC | MMU_USER, &pa, NULL, &x), 0);
	/* stage-2 permission: the host write-protects the page (dirty
	 * logging); a write exits, the host relaxes it, the write goes on */
	{
		struct kvm_walk_trace t;
		u64 ipa;

		KT_EQ(kvm_vcpu_translate(v, va, MMU_READ | MMU_USER, &pa, &t, &x), 0);
		ipa = t.ref[t.nr - 1].in;
		KT_EQ(kvm_s2_set_prot(kvm, ipa, KVM_PGTABLE_PROT_R), 0);
		KT_EQ(kvm_vcpu_translate(v, va, MMU_READ | MMU_USER, &pa, NULL, &x), 0);
		KT_EQ(kvm_vcpu_translate(v, va, MMU_WRITE | MMU_USER, &pa, NULL, &x), -EFAULT);
		KT_EQ(x.kind, KVM_EXIT_STAGE2);
		KT_EQ(x.fault, MMU_FAULT_PROT);
		KT_EQ(x.ipa & ~0xfffULL, ipa & ~0xfffULL);
		KT_ASSERT(!(x.esr & ESR_ELx_S1PTW));
		KT_ASSERT(x.esr & ESR_ELx_WNR);
		KT_EQ(kvm_guest_access(v, va, MMU_WRITE | MMU_USER, &pa, &x), 0);
		KT_EQ(kvm->stat.s2_perm_faults, 1);
		/* exec denied by stage 2 (XN) */
		KT_EQ(kvm_s2_set_prot(kvm, ipa, KVM_PGTABLE_PROT_R | KVM_PGTABLE_PROT_W), 0);
		KT_EQ(kvm_vcpu_translate(v, va, MMU_EXEC | MMU_USER, &pa, NULL, &x), -EFAULT);
		KT_EQ(x.kind, KVM_EXIT_STAGE2);
		KT_EQ(x.esr >> ESR_ELx_EC_SHIFT, ESR_ELx_EC_IABT_LOW);
		/* the host takes the page back: the next access faults it in anew */
		KT_EQ(kvm_unmap_ipa(kvm, ipa), 0);
		KT_EQ(kvm_vcpu_translate(v, va, MMU_READ | MMU_USER, &pa, NULL, &x), -EFAULT);
		KT_EQ(x.kind, KVM_EXIT_STAGE2);
		KT_EQ(x.fault, MMU_FAULT_NOT_PRESENT);
		KT_EQ(kvm_guest_access(v, va, MMU_READ | MMU_USER, &pa, &x), 0);
	}
	/* a non-canonical address: stage-1 level 0 */
	KT_EQ(kvm_vcpu_translate(v, 0x0001000000000000UL, MMU_READ, &pa, NULL, &x), -EFAULT);
	KT_EQ(x.kind, KVM_EXIT_STAGE1);
	check(kvm);
	kvm_destroy_vm(kvm);
}

static void test_accounting(void)
{
	unsigned long free0 = host_free();
	unsigned long sec0 = global_node_page_state(NR_SECONDARY_PAGETABLE);
	struct kvm_vmid_stats vs;
	struct kvm *kvm = mkvm("acct", 8UL << 20, 40);
	int p = kvm_guest_proc_create(kvm, "p");
	unsigned long s2p, free1;

	KT_EQ(global_node_page_state(NR_SECONDARY_PAGETABLE) - sec0, kvm->stat.s2_table_pages);
	s2p = kvm->stat.s2_pages;
	/* 64 user pages: each a guest page, each a host page on first touch */
	for (int i = 0; i < 64; i++)
		KT_ASSERT(gaccess(kvm, p, 0x200000 + ((unsigned long)i << pgt_geom()->page_shift),
				  MMU_WRITE) != (phys_addr_t)-1);
	KT_ASSERT(kvm->stat.s2_pages >= s2p + 64);
	KT_EQ(kvm->stat.s1_faults, 64);
	/* touching them again allocates nothing */
	s2p = kvm->stat.s2_pages;
	for (int i = 0; i < 64; i++)
		gaccess(kvm, p, 0x200000 + ((unsigned long)i << pgt_geom()->page_shift), MMU_READ);
	KT_EQ(kvm->stat.s2_pages, s2p);
	free1 = host_free();
	kvm_get_vmid_stats(mmsim_current(), &vs);
	KT_EQ(vs.host_pages, kvm->stat.s2_pages + kvm->stat.s2_table_pages);
	KT_EQ(free0 - free1, vs.host_pages);
	KT_EQ(global_node_page_state(NR_SECONDARY_PAGETABLE) - sec0, kvm->stat.s2_table_pages);
	check(kvm);
	kvm_destroy_vm(kvm);
	KT_EQ(host_free(), free0);
	KT_EQ(global_node_page_state(NR_SECONDARY_PAGETABLE), sec0);
	kvm_get_vmid_stats(mmsim_current(), &vs);
	KT_EQ(vs.host_pages, 0);
	KT_EQ(vs.nr_vms, 0);
}

static void test_tagging(void)
{
	struct kvm *a = mkvm("a", 4UL << 20, 40), *b = mkvm("b", 4UL << 20, 40);
	int ap = kvm_guest_proc_create(a, "p"), aq = kvm_guest_proc_create(a, "q");
	int bp = kvm_guest_proc_create(b, "p");
	unsigned long va = 0x7000, kva = a->linear_base + 0x8000;
	phys_addr_t pa_ap, pa_aq, pa_bp, pa, ka, kb;
	unsigned long h, w;
	struct mm_struct *mm = mm_alloc();
	struct page *hp = alloc_page(GFP_KERNEL | __GFP_ZERO);
	pte_t *pte;

	KT_ASSERT(kvm_vmid_of(a) != kvm_vmid_of(b) || !kvm_vmid_of(a));
	pa_ap = gaccess(a, ap, va, MMU_WRITE);
	pa_aq = gaccess(a, aq, va, MMU_WRITE);
	pa_bp = gaccess(b, bp, va, MMU_WRITE);
	KT_ASSERT(pa_ap != pa_aq && pa_ap != pa_bp && pa_aq != pa_bp);
	KT_ASSERT(kvm_vmid_of(a) != kvm_vmid_of(b));
	/* each sees its own; a second access hits */
	for (int r = 0; r < 2; r++) {
		h = a->stat.tlb_l1_hits;
		KT_EQ(gaccess(a, ap, va, MMU_READ), pa_ap);
		KT_EQ(a->stat.tlb_l1_hits, h + 1);
		h = a->stat.tlb_l1_hits;
		KT_EQ(gaccess(a, aq, va, MMU_READ), pa_aq);
		KT_EQ(a->stat.tlb_l1_hits, h + 1);
		h = b->stat.tlb_l1_hits;
		KT_EQ(gaccess(b, bp, va, MMU_READ), pa_bp);
		KT_EQ(b->stat.tlb_l1_hits, h + 1);
	}
	/* the host maps the same VA: its own translation, untouched */
	pte = walk_to_pte_alloc(mm, va);
	set_pte_at(mm, va, pte, mk_pte(hp, PAGE_SHARED));
	switch_mm(NULL, mm, NULL);
	KT_EQ(mmu_translate(va, MMU_READ | MMU_USER, &pa, NULL), 0);
	KT_EQ(pa, page_to_phys(hp) + (va & (PAGE_SIZE - 1)));
	KT_EQ(gaccess(a, ap, va, MMU_READ), pa_ap);
	KT_EQ(mmu_translate(va, MMU_READ | MMU_USER, &pa, NULL), 0);
	KT_EQ(pa, page_to_phys(hp) + (va & (PAGE_SIZE - 1)));
	/* guest-global kernel pages: one walk serves both processes of a
	 * guest, and not the other guest (nor the host's kernel entries) */
	kvm_vcpu_load(&a->vcpu, ap);
	KT_EQ(kvm_guest_access(&a->vcpu, kva, MMU_READ, &ka, NULL), 0);
	w = a->stat.walks;
	kvm_vcpu_load(&a->vcpu, aq);
	KT_EQ(kvm_guest_access(&a->vcpu, kva, MMU_READ, &pa, NULL), 0);
	KT_EQ(pa, ka);
	KT_EQ(a->stat.walks, w);
	w = b->stat.walks;
	kvm_vcpu_load(&b->vcpu, bp);
	KT_EQ(kvm_guest_access(&b->vcpu, kva, MMU_READ, &kb, NULL), 0);
	KT_ASSERT(kb != ka);
	KT_ASSERT(b->stat.walks > w);	/* not a's entry */
	/* a VMID flush drops a's entries only */
	__kvm_tlb_flush_vmid(&a->mmu);
	w = a->stat.walks;
	KT_EQ(gaccess(a, ap, va, MMU_READ), pa_ap);
	KT_EQ(a->stat.walks, w + 1);
	w = b->stat.walks;	/* (in the L1 or, evicted by the host's, the L2) */
	KT_EQ(gaccess(b, bp, va, MMU_READ), pa_bp);
	KT_EQ(b->stat.walks, w);
	KT_ASSERT(tlb_fast_is_valid(this_mmu_cpu()));
	switch_mm(mm, &init_mm, NULL);
	flush_tlb_mm(mm);
	mmput(mm);
	__free_page(hp);
	check(a);
	check(b);
	kvm_destroy_vm(a);
	kvm_destroy_vm(b);
	KT_ASSERT(tlb_fast_is_valid(this_mmu_cpu()));
}

static void test_vmid_rollover(void)
{
	struct mmsim *m = mmsim_current();
	struct kvm *vm[4];
	struct kvm_vmid_stats s0, s1;
	phys_addr_t pa0;
	unsigned long w;

	KT_EQ(kvm_set_vmid_bits(m, 2), 0);	/* VMIDs 1..3 */
	kvm_get_vmid_stats(m, &s0);
	KT_EQ(s0.vmid_bits, 2);
	for (int i = 0; i < 3; i++) {
		vm[i] = mkvm("r", 4UL << 20, 36);
		KT_ASSERT(gaccess(vm[i], kvm_guest_proc_create(vm[i], "p"), 0x1000, MMU_WRITE) !=
			  (phys_addr_t)-1);
		KT_EQ(kvm_vmid_of(vm[i]), (u32)i + 1);
	}
	KT_EQ(kvm_set_vmid_bits(m, 8), -EBUSY);
	pa0 = gaccess(vm[0], 0, 0x1000, MMU_READ);	/* a TLB hit, VMID 1 */
	gaccess(vm[2], 0, 0x1000, MMU_READ);		/* VMID 3 active here */
	kvm_get_vmid_stats(m, &s1);
	KT_EQ(s1.rollovers, s0.rollovers);
	vm[3] = mkvm("r", 4UL << 20, 36);
	kvm_vcpu_load(&vm[3]->vcpu, -1);		/* the 4th: rollover */
	kvm_get_vmid_stats(m, &s1);
	KT_EQ(s1.rollovers, s0.rollovers + 1);
	KT_EQ(s1.generation, s0.generation + 1);
	KT_EQ(kvm_vmid_of(vm[3]), 1);
	KT_EQ(atomic_load(&vm[3]->mmu.vmid.id) >> 2, s1.generation);
	/* vm[2]'s VMID was this CPU's active one: reserved, kept */
	gaccess(vm[2], 0, 0x1000, MMU_READ);
	KT_EQ(kvm_vmid_of(vm[2]), 3);
	KT_EQ(atomic_load(&vm[2]->mmu.vmid.id) >> 2, s1.generation);
	/* vm[0]'s VMID 1 went to vm[3]: a new one; its entries were flushed */
	w = vm[0]->stat.walks;
	KT_EQ(gaccess(vm[0], 0, 0x1000, MMU_READ), pa0);
	KT_EQ(vm[0]->stat.walks, w + 1);
	KT_EQ(kvm_vmid_of(vm[0]), 2);
	/* vm[1] (VMID 2 of the old generation) now needs a new one: none left
	 * (1, 2, 3 taken): a second rollover */
	gaccess(vm[1], 0, 0x1000, MMU_READ);
	kvm_get_vmid_stats(m, &s1);
	KT_EQ(s1.rollovers, s0.rollovers + 2);
	for (int i = 0; i < 4; i++) {
		check(vm[i]);
		kvm_destroy_vm(vm[i]);
	}
	KT_EQ(kvm_set_vmid_bits(m, 16), 0);
	KT_ASSERT(tlb_fast_is_valid(this_mmu_cpu()));
}

/* Random guest accesses, stage-2 unmaps and write-protects, VMID flushes
 * over two guests: every TLB-served translation equals a fresh walk, and
 * the invariants hold after each step. */
static void test_stress(void)
{
	struct kvm *g[2] = { mkvm("s0", 8UL << 20, 40), mkvm("s1", 8UL << 20, 40) };
	unsigned int ps = pgt_geom()->page_shift;
	unsigned long seed = 12345;

	for (int i = 0; i < 2; i++)
		for (int j = 0; j < 3; j++)
			KT_ASSERT(kvm_guest_proc_create(g[i], j == 0 ? "a" : j == 1 ? "b" : "c") == j);
	for (int step = 0; step < 1500; step++) {
		struct kvm *kvm;
		int proc, op;
		unsigned long va;
		phys_addr_t pa, pa2;
		struct kvm_walk_trace t;
		struct kvm_exit x;

		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		kvm = g[(seed >> 33) & 1];
		proc = (int)((seed >> 35) % 3);
		op = (int)((seed >> 40) % 10);
		va = ((seed >> 45) % 24) << ps;
		kvm_vcpu_load(&kvm->vcpu, proc);
		if (op < 7) {
			unsigned int acc = (op == 0 ? MMU_WRITE : MMU_READ) | MMU_USER;

			if (kvm_guest_access(&kvm->vcpu, va, acc, &pa, &x))
				continue;	/* guest out of memory */
			KT_EQ(kvm_vcpu_translate(&kvm->vcpu, va, acc, &pa2, &t, &x), 0);
			KT_EQ(pa2, pa);
		} else if (op < 9) {
			if (!kvm_vcpu_translate(&kvm->vcpu, va, MMU_READ | MMU_USER, &pa, &t, &x)) {
				u64 ipa = t.ref[t.nr - 1].in;

				if (op == 7)
					KT_EQ(kvm_unmap_ipa(kvm, ipa), 0);
				else
					KT_EQ(kvm_s2_set_prot(kvm, ipa, KVM_PGTABLE_PROT_R), 0);
				/* no stale translation survives the change */
				if (op == 7) {
					KT_EQ(kvm_vcpu_translate(&kvm->vcpu, va, MMU_READ | MMU_USER,
								 &pa, NULL, &x), -EFAULT);
				} else {
					KT_EQ(kvm_vcpu_translate(&kvm->vcpu, va, MMU_WRITE | MMU_USER,
								 &pa, NULL, &x), -EFAULT);
					KT_EQ(x.kind, KVM_EXIT_STAGE2);
				}
			}
		} else {
			__kvm_tlb_flush_vmid(&kvm->mmu);
		}
		if (step % 50 == 0) {
			check(g[0]);
			check(g[1]);
			KT_ASSERT(tlb_fast_is_valid(this_mmu_cpu()));
		}
	}
	check(g[0]);
	check(g[1]);
	kvm_destroy_vm(g[0]);
	kvm_destroy_vm(g[1]);
}

/* x86: the guest's #PF error codes, SMEP and NX, EPT violations' exit
 * qualification (final access or paging-structure access), VPIDs. */
static void test_faults_x86(void)
{
	struct kvm *kvm = mkvm("fx", 4UL << 20, 0);
	int p = kvm_guest_proc_create(kvm, "p");
	unsigned long va = 0x10000;
	struct kvm_vcpu *v = &kvm->vcpu;
	struct kvm_walk_trace t;
	struct kvm_exit x;
	phys_addr_t pa;
	u64 ipa, pte_table_ipa;

	KT_ASSERT(kvm->mmu.ept);
	kvm_vcpu_load(v, p);
	/* the PML4 entry of the user half: not present, W|U */
	KT_EQ(kvm_vcpu_translate(v, va, MMU_WRITE | MMU_USER, &pa, NULL, &x), -EFAULT);
	KT_EQ(x.kind, KVM_EXIT_STAGE1);
	KT_EQ(x.level, 0);
	KT_EQ(x.esr, X86_PF_WRITE | X86_PF_USER);
	KT_EQ(kvm_guest_access(v, va, MMU_WRITE | MMU_USER, &pa, &x), 0);
	KT_EQ(kvm->stat.s1_faults, 1);
	/* user access to the kernel's linear map: P|U */
	KT_EQ(kvm_vcpu_translate(v, kvm->linear_base + 0x5000, MMU_READ | MMU_USER, &pa, NULL, &x),
	      -EFAULT);
	KT_EQ(x.esr, X86_PF_PROT | X86_PF_USER);
	/* the kernel reads it, cannot execute it (NX) nor user pages (SMEP) */
	KT_EQ(kvm_vcpu_translate(v, kvm->linear_base + 0x5000, MMU_READ, &pa, NULL, &x), 0);
	KT_EQ(kvm_vcpu_translate(v, kvm->linear_base + 0x5000, MMU_EXEC, &pa, NULL, &x), -EFAULT);
	KT_EQ(x.esr, X86_PF_PROT | X86_PF_INSTR);
	KT_EQ(kvm_vcpu_translate(v, va, MMU_EXEC, &pa, NULL, &x), -EFAULT);
	KT_EQ(x.esr, X86_PF_PROT | X86_PF_INSTR);
	KT_EQ(kvm_vcpu_translate(v, va, MMU_EXEC | MMU_USER, &pa, NULL, &x), 0);
	/* EPT: the page read-only; a write is an EPT violation on the final
	 * access, the entry readable only */
	KT_EQ(kvm_vcpu_translate(v, va, MMU_READ | MMU_USER, &pa, &t, &x), 0);
	ipa = t.ref[t.nr - 1].in;
	pte_table_ipa = t.ref[t.nr - 5].desc_ipa & ~0xfffULL;	/* the S1 level-3 read */
	KT_EQ(t.ref[t.nr - 5].stage, 1);
	KT_EQ(t.ref[t.nr - 5].level, 3);
	KT_EQ(kvm_s2_set_prot(kvm, ipa, KVM_PGTABLE_PROT_R), 0);
	KT_EQ(kvm_vcpu_translate(v, va, MMU_WRITE | MMU_USER, &pa, NULL, &x), -EFAULT);
	KT_EQ(x.kind, KVM_EXIT_STAGE2);
	KT_EQ(x.fault, MMU_FAULT_PROT);
	KT_EQ(x.esr, EPT_VIOLATION_ACC_WRITE | (1UL << EPT_VIOLATION_RWX_SHIFT) |
		     EPT_VIOLATION_GVA_IS_VALID | EPT_VIOLATION_GVA_TRANSLATED);
	KT_EQ(x.ipa, ipa);
	KT_EQ(kvm_guest_access(v, va, MMU_WRITE | MMU_USER, &pa, &x), 0);
	KT_EQ(kvm->stat.s2_perm_faults, 1);
	/* the host takes the PTE table's page back: a paging-structure
	 * access faults (no GVA_TRANSLATED, nothing readable) */
	KT_EQ(kvm_unmap_ipa(kvm, pte_table_ipa), 0);
	KT_EQ(kvm_vcpu_translate(v, va, MMU_READ | MMU_USER, &pa, NULL, &x), -EFAULT);
	KT_EQ(x.kind, KVM_EXIT_STAGE2);
	KT_EQ(x.esr, EPT_VIOLATION_ACC_READ | EPT_VIOLATION_GVA_IS_VALID);
	KT_EQ(x.ipa & ~0xfffULL, pte_table_ipa);
	/* non-canonical: #GP */
	KT_EQ(kvm_vcpu_translate(v, 0x0000800000000000UL, MMU_READ, &pa, NULL, &x), -EFAULT);
	KT_EQ(x.fault, MMU_FAULT_NONCANONICAL);
	check(kvm);
	kvm_destroy_vm(kvm);
}

static void test_vpids(void)
{
	struct kvm *a = mkvm("a", 4UL << 20, 0), *b = mkvm("b", 4UL << 20, 0);
	u32 va = kvm_vmid_of(a), vb = kvm_vmid_of(b);

	KT_ASSERT(va && vb && va != vb);
	KT_EQ(kvm_set_vmid_bits(mmsim_current(), 8), -EINVAL);
	kvm_destroy_vm(a);
	a = mkvm("a2", 4UL << 20, 0);
	KT_EQ(kvm_vmid_of(a), va);	/* freed, taken again */
	kvm_destroy_vm(a);
	kvm_destroy_vm(b);
}

static void run(const char *spec)
{
	struct mmsim *m = boot_or_die(spec);

	printf("== %s\n", spec);
	KT_RUN(test_walk_refs);
	if (m->hw.layout.arch == ARCH_ARM64) {
		KT_RUN(test_faults);
	} else {
		KT_RUN(test_faults_x86);
		KT_RUN(test_vpids);
	}
	KT_RUN(test_accounting);
	KT_RUN(test_tagging);
	if (m->hw.layout.arch == ARCH_ARM64)
		KT_RUN(test_vmid_rollover);
	KT_RUN(test_stress);
	mmsim_shutdown(m);
}

static void test_x86_refuses(void)
{
	struct mmsim *m = boot_or_die("arch=x86_64-la57 ram=64M cpus=1");
	int err = 0;

	KT_ASSERT(!kvm_create_vm("x", NULL, &err));
	KT_EQ(err, -EOPNOTSUPP);
	mmsim_shutdown(m);
}

/* A VM left running at shutdown: the machine frees it (ASan: no leak). */
static void test_shutdown_with_vm(void)
{
	struct mmsim *m = boot_or_die("arch=arm64 ram=64M cpus=1");
	struct kvm *kvm = mkvm("left", 4UL << 20, 40);

	KT_ASSERT(gaccess(kvm, kvm_guest_proc_create(kvm, "p"), 0x1000, MMU_WRITE) !=
		  (phys_addr_t)-1);
	mmsim_shutdown(m);
}

int main(void)
{
	run("arch=arm64 ram=128M cpus=2");
	run("arch=arm64 page_size=16K ram=256M cpus=2");
	run("arch=arm64 page_size=64K ram=512M cpus=2");
	run("arch=x86_64 ram=128M cpus=2");
	KT_RUN(test_x86_refuses);
	KT_RUN(test_shutdown_with_vm);
	return kt_done();
}
