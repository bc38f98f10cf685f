// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_kvm.c - translation under virtualization (arch/kvm_*.c,
 * docs/virt.md) against the host's stage-1-only translation, measured in
 * the same rounds:
 *
 *   L1 TLB hit   16 pages: a guest's combined entry (kvm_vcpu_translate,
 *                tagged VMID + ASID) against the host's L1 index hit
 *                (mmu_translate's fast path);
 *   L2 TLB hit   512 pages (above the L1, below the L2);
 *   walk         8192 pages (above the L2): the guest's two-stage walk --
 *                (4+1)(4+1)-1 = 24 references with a 48-bit IPA, 19 with a
 *                40-bit one (3-level stage 2, concatenated root) -- against
 *                the host's walk; arm64 4K, 64K, and x86_64 with EPT.
 *
 * Each row: the guest's median ns per translation [range], then the
 * host's, and the ratio of the medians.  Method: bench/bench_common.h.
 */
#include "bench_common.h"
#include <mmsim/kvm.h>

#define L2_SET		512
#define WALK_SET	8192
#define BASE_VA		0x10000000UL

struct ctx {
	unsigned long va[WALK_SET];
	long n;
	struct kvm_vcpu *vcpu;
};

static void host_loop(void *p, long iters)
{
	struct ctx *c = p;

	for (long i = 0; i < iters; i++)
		for (long j = 0; j < c->n; j++) {
			phys_addr_t pa;

			mmu_translate(c->va[j], MMU_READ | MMU_USER, &pa, NULL);
			bench_keep((void *)(uintptr_t)pa);
		}
}

static void guest_loop(void *p, long iters)
{
	struct ctx *c = p;

	for (long i = 0; i < iters; i++)
		for (long j = 0; j < c->n; j++) {
			phys_addr_t pa;

			kvm_vcpu_translate(c->vcpu, c->va[j], MMU_READ | MMU_USER, &pa, NULL, NULL);
			bench_keep((void *)(uintptr_t)pa);
		}
}

static void row(struct ctx *c, const char *label, long n)
{
	struct bench_meas ms[2] = {
		BENCH_MEAS(guest_loop, c, n),
		BENCH_MEAS(host_loop, c, n),
	};
	char a[96], b[96], r[32];

	c->n = n;
	bench_compare(ms, 2);
	bench_fmt_med(&ms[0], a, sizeof(a));
	bench_fmt_med(&ms[1], b, sizeof(b));
	printf("  %-34s %26s | host %26s (%s)\n", label, a, b,
	       bench_fmt_ratio(ms[0].med_ns / ms[1].med_ns, r, sizeof(r)));
	fflush(stdout);
}

static void bench_ipa(const char *spec, unsigned int ipa_bits)
{
	struct mmsim *m = mmsim_boot(spec);
	struct ctx *c = calloc(1, sizeof(*c));
	struct kvm_config cfg = { .ipa_bits = ipa_bits };
	struct mm_struct *mm;
	struct page *page;
	struct kvm *kvm;
	char label[80];
	int err = 0, p;

	if (!m || !c) {
		fprintf(stderr, "bench_kvm: boot '%s' failed: %s\n", spec, mmsim_last_error());
		exit(1);
	}
	/* the host: WALK_SET pages of a user mm, loaded */
	page = alloc_page(GFP_KERNEL);
	mm = mm_alloc();
	for (long i = 0; i < WALK_SET; i++) {
		unsigned long va = BASE_VA + (unsigned long)i * PAGE_SIZE;
		pte_t *pte = walk_to_pte_alloc(mm, va);

		c->va[i] = va;
		set_pte_at(mm, va, pte, pte_mkdirty(mk_pte(page, PAGE_SHARED)));
	}
	switch_mm(NULL, mm, NULL);
	/* the guest: the same VAs in a guest process, faulted in (RAM for
	 * them and the guest's tables) */
	cfg.ram_size = (2UL * WALK_SET) << PAGE_SHIFT;
	kvm = kvm_create_vm("bench", &cfg, &err);
	if (!kvm) {
		fprintf(stderr, "bench_kvm: kvm_create_vm: %d\n", err);
		exit(1);
	}
	p = kvm_guest_proc_create(kvm, "p");
	c->vcpu = &kvm->vcpu;
	kvm_vcpu_load(c->vcpu, p);
	for (long i = 0; i < WALK_SET; i++) {
		phys_addr_t pa;

		if (kvm_guest_access(c->vcpu, c->va[i], MMU_WRITE | MMU_USER, &pa, NULL)) {
			fprintf(stderr, "bench_kvm: guest access failed\n");
			exit(1);
		}
	}
	kvm_vcpu_load(c->vcpu, p);
	printf("%s, guest IPA %u bits: stage 1 %d + %s %u levels\n", spec, ipa_bits,
	       pgt_geom()->nr_hw, kvm->mmu.ept ? "EPT" : "stage 2", kvm->mmu.levels);
	row(c, "L1 TLB hit (16 pages)", 16);
	row(c, "L2 TLB hit (512 pages)", L2_SET);
	snprintf(label, sizeof(label), "walk (8192 pages), guest %u refs",
		 (pgt_geom()->nr_hw + 1) * (kvm->mmu.levels + 1) - 1);
	row(c, label, WALK_SET);
	kvm_destroy_vm(kvm);
	switch_mm(mm, &init_mm, NULL);
	mmput(mm);
	__free_page(page);
	free(c);
	mmsim_shutdown(m);
}

int main(void)
{
	printf("Translation under virtualization: guest (two stages, VMID-tagged TLB) vs host,\n"
	       "ns per translation, median of %d runs [range], ratio guest/host\n", BENCH_REPS);
	bench_rule();
	bench_ipa("arch=arm64 ram=512M", 48);
	bench_ipa("arch=arm64 ram=512M", 40);
	bench_ipa("arch=arm64 page_size=64K ram=3G", 42);
	bench_ipa("arch=x86_64 ram=512M", 48);	/* EPT: always 4 levels */
	return 0;
}
