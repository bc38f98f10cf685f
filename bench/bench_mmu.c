// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_mmu.c - the MMU access path per arch: translations on an L1
 * TLB hit, on an L2 TLB hit (working set above the L1, below the L2), and
 * on a full page walk (working set above the L2, so every access walks),
 * and the cost of a context switch (switch_mm there and back, then
 * touching 8 pages on each side) with and without ASIDs/PCIDs.
 *
 * Reference, measured in the same run: a host load of the same number of
 * addresses from an array (what the access would cost with no MMU model);
 * the ratio is mmsim's time over it.  Method: bench/bench_common.h.
 */
#include "bench_common.h"

#define L2_SET		512		/* pages: > L1 (48-64), < L2 (1280-1536) */
#define WALK_SET	8192		/* pages: > L2 */
#define BASE_VA		0x10000000UL

struct ctx {
	unsigned long va[WALK_SET];
	long n;				/* addresses in the working set */
	struct mm_struct *a, *b;
	volatile unsigned long *host;	/* reference array */
};

/* Map WALK_SET pages of @mm at BASE_VA, all to @page (only PTEs matter). */
static void map_set(struct mm_struct *mm, struct page *page)
{
	for (long i = 0; i < WALK_SET; i++) {
		unsigned long va = BASE_VA + (unsigned long)i * PAGE_SIZE;
		pte_t *pte = walk_to_pte_alloc(mm, va);

		if (!pte) {
			fprintf(stderr, "bench_mmu: out of page tables\n");
			exit(1);
		}
		set_pte_at(mm, va, pte, pte_mkdirty(mk_pte(page, PAGE_SHARED)));
	}
}

static void translate_loop(void *p, long iters)
{
	struct ctx *c = p;

	for (long i = 0; i < iters; i++)
		for (long j = 0; j < c->n; j++) {
			phys_addr_t pa;

			mmu_translate(c->va[j], MMU_READ | MMU_USER, &pa, NULL);
			bench_keep((void *)(uintptr_t)pa);
		}
}

static void host_loop(void *p, long iters)
{
	struct ctx *c = p;

	for (long i = 0; i < iters; i++)
		for (long j = 0; j < c->n; j++) {
			unsigned long v = c->host[(j * 8) & (WALK_SET - 1)];

			bench_keep((void *)v);
		}
}

static void switch_loop(void *p, long iters)
{
	struct ctx *c = p;

	for (long i = 0; i < iters; i++) {
		switch_mm(c->a, c->b, NULL);
		for (int j = 0; j < 8; j++) {
			phys_addr_t pa;

			mmu_translate(c->va[j], MMU_READ | MMU_USER, &pa, NULL);
			bench_keep((void *)(uintptr_t)pa);
		}
		switch_mm(c->b, c->a, NULL);
		for (int j = 0; j < 8; j++) {
			phys_addr_t pa;

			mmu_translate(c->va[j], MMU_READ | MMU_USER, &pa, NULL);
			bench_keep((void *)(uintptr_t)pa);
		}
	}
}

static double measure(struct ctx *c, long n, bench_fn fn)
{
	c->n = n;
	return bench_best_ns(fn, c, n);
}

static void row_vs(const char *label, double ns, const char *ref_name, double ref)
{
	char a[32], b[32], r[32];

	printf("  %-32s %10s/op  %8.1f M/s | %s %9s (%s)\n", label,
	       bench_fmt_ns(ns, a, sizeof(a)), 1e3 / ns, ref_name, bench_fmt_ns(ref, b, sizeof(b)),
	       bench_fmt_ratio(ns / ref, r, sizeof(r)));
	fflush(stdout);
}

static void row(const char *label, double ns, double ref)
{
	row_vs(label, ns, "host load", ref);
}

static void bench_arch(const char *spec)
{
	struct mmsim *m = mmsim_boot(spec);
	struct ctx *c = calloc(1, sizeof(*c));
	struct page *page;
	double ref, l1;

	if (!m || !c) {
		fprintf(stderr, "bench_mmu: boot '%s' failed: %s\n", spec, mmsim_last_error());
		exit(1);
	}
	c->host = calloc(WALK_SET, sizeof(unsigned long));
	page = alloc_page(GFP_KERNEL);
	c->a = mm_alloc();
	c->b = mm_alloc();
	map_set(c->a, page);
	map_set(c->b, page);
	for (long i = 0; i < WALK_SET; i++)
		c->va[i] = BASE_VA + (unsigned long)i * PAGE_SIZE;
	switch_mm(NULL, c->a, NULL);
	printf("%s (%s)\n", spec, pgt_geom()->name);
	ref = measure(c, 16, host_loop);
	l1 = measure(c, 16, translate_loop);
	row("L1 TLB hit (16 pages)", l1, ref);
	ref = measure(c, L2_SET, host_loop);
	row("L2 TLB hit (512 pages)", measure(c, L2_SET, translate_loop), ref);
	ref = measure(c, WALK_SET, host_loop);
	row("page walk (8192 pages)", measure(c, WALK_SET, translate_loop), ref);
	ref = 16 * l1;		/* the 16 translations alone */
	if (current_layout->arch == ARCH_X86_64 || current_layout->arch == ARCH_X86_64_LA57) {
		row_vs("switch_mm x2 + 16 hits, PCID", bench_best_ns(switch_loop, c, 1), "16 L1 hits", ref);
		mmu_set_pcid(m, false);
		row_vs("switch_mm x2 + 16 hits, no PCID", bench_best_ns(switch_loop, c, 1), "16 L1 hits", ref);
		mmu_set_pcid(m, true);
	} else if (current_layout->arch == ARCH_ARM64) {
		row_vs("switch_mm x2 + 16 hits, ASID", bench_best_ns(switch_loop, c, 1), "16 L1 hits", ref);
	} else {
		row_vs("switch_mm x2 + 16 hits, no PCID", bench_best_ns(switch_loop, c, 1), "16 L1 hits", ref);
	}
	switch_mm(c->a, &init_mm, NULL);
	mmput(c->a);
	mmput(c->b);
	__free_page(page);
	free((void *)c->host);
	free(c);
	mmsim_shutdown(m);
}

int main(void)
{
	static const char *const specs[] = {
		"arch=x86_64 ram=256M", "arch=x86_64-la57 ram=256M", "arch=i386 ram=256M",
		"arch=i386-pae ram=256M", "arch=arm64 ram=256M",
		"arch=arm64 page_size=16K ram=512M", "arch=arm64 page_size=64K ram=1G",
	};

	printf("MMU access path: ns per translation (best of %d runs)\n", BENCH_REPS);
	bench_rule();
	for (size_t i = 0; i < ARRAY_SIZE(specs); i++)
		bench_arch(specs[i]);
	return 0;
}
