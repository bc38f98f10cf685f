// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_mmu.c - the MMU access path per arch: translations on an L1
 * TLB hit, on an L2 TLB hit (working set above the L1, below the L2), and
 * on a full page walk (working set above the L2, so every access walks),
 * and the cost of a context switch (switch_mm there and back, then
 * touching 8 pages on each side) with and without ASIDs/PCIDs.
 *
 * Every row prints the median ns per translation of BENCH_REPS timed runs
 * and their range, translations per second from the median, and a
 * reference timed in the same rounds (bench_compare), with the ratio of
 * the medians:
 *
 *   host load   a load of the same number of addresses from a host array:
 *               not a translation, but what the access costs with no MMU
 *               model at all -- the limit a translation can approach, not
 *               the same work.
 *   16 L1 hits  the switch rows' 16 translations without the switches, so
 *               the ratio shows what the two switch_mm calls add.
 *
 * Method: bench/bench_common.h.  MMSIM_BENCH_LINK=shared (set by
 * scripts/bench-user.sh) marks a run of the program linked against the
 * shared library through pkg-config, as users link it.
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

/* The switch rows' translations: 8 pages of each side. */
static void sixteen_hits(struct ctx *c)
{
	for (int j = 0; j < 16; j++) {
		phys_addr_t pa;

		mmu_translate(c->va[j & 7], MMU_READ | MMU_USER, &pa, NULL);
		bench_keep((void *)(uintptr_t)pa);
	}
}

static void hits_loop(void *p, long iters)
{
	for (long i = 0; i < iters; i++)
		sixteen_hits(p);
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

/* One row: @m (mmsim) against @ref, both already measured. */
static void row(const char *label, const struct bench_meas *m, const char *ref_name,
		const struct bench_meas *ref)
{
	char a[96], b[96], r[32];

	bench_fmt_med(m, a, sizeof(a));
	bench_fmt_med(ref, b, sizeof(b));
	printf("  %-30s %26s %7.1f M/s | %-11s %24s (%s)\n", label, a, 1e3 / m->med_ns, ref_name,
	       b, bench_fmt_ratio(m->med_ns / ref->med_ns, r, sizeof(r)));
	fflush(stdout);
}

/* Translations of @n pages against host loads of as many addresses. */
static void row_translate(struct ctx *c, const char *label, long n)
{
	struct bench_meas ms[2] = {
		BENCH_MEAS(translate_loop, c, n),
		BENCH_MEAS(host_loop, c, n),
	};

	c->n = n;
	bench_compare(ms, 2);
	row(label, &ms[0], "host load", &ms[1]);
}

static void row_switch(struct ctx *c, const char *label)
{
	struct bench_meas ms[2] = {
		BENCH_MEAS(switch_loop, c, 1),
		BENCH_MEAS(hits_loop, c, 1),
	};

	bench_compare(ms, 2);
	row(label, &ms[0], "16 L1 hits", &ms[1]);
}

static void bench_arch(const char *spec)
{
	struct mmsim *m = mmsim_boot(spec);
	struct ctx *c = calloc(1, sizeof(*c));
	struct page *page;

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
	row_translate(c, "L1 TLB hit (16 pages)", 16);
	row_translate(c, "L2 TLB hit (512 pages)", L2_SET);
	row_translate(c, "page walk (8192 pages)", WALK_SET);
	if (current_layout->arch == ARCH_X86_64 || current_layout->arch == ARCH_X86_64_LA57) {
		row_switch(c, "switch_mm x2 + 16 hits, PCID");
		mmu_set_pcid(m, false);
		row_switch(c, "switch_mm x2 + 16 hits, no PCID");
		mmu_set_pcid(m, true);
	} else if (current_layout->arch == ARCH_ARM64) {
		row_switch(c, "switch_mm x2 + 16 hits, ASID");
	} else {
		row_switch(c, "switch_mm x2 + 16 hits, no PCID");
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
	const char *link = getenv("MMSIM_BENCH_LINK");

	printf("MMU access path: ns per translation, median of %d runs [range]; linked %s\n",
	       BENCH_REPS, link ? link : "static");
	printf("(host load: a load from a host array, no translation -- the limit, not the "
	       "same work)\n");
	bench_rule();
	for (size_t i = 0; i < ARRAY_SIZE(specs); i++)
		bench_arch(specs[i]);
	return 0;
}
