// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_tlb_index.c - the TLB's lookup structures (arch/pgtable.h):
 * the L1 index in front of each L1 TLB, the L2 way hints, the per-class
 * valid counts, and the per-geometry walkers.  Checked on every arch:
 *   - L1 hit and miss as the counters see them (a hit through the index is
 *     an L1 hit; an index slot taken by another page still hits the L1, the
 *     entry it lost counted in nr_unindexed so the L1 is still probed);
 *   - L2 hit after the L1 lost the entry, walk after the L2 lost it;
 *   - ASID/PCID tagging: one address in two mms, each its own page across
 *     switch_mm, with no walk where the arch keeps both;
 *   - flush of one page, a range, an mm (ASID), all, from this CPU and
 *     from another (shootdown), each seen by the very next translation;
 *   - global entries and huge pages (the kernel direct map) indexed in any
 *     context and forgotten by a kernel range flush;
 *   - permission and Accessed/Dirty: a write through an entry filled by a
 *     read walks and sets Dirty; a read-only page faults on write;
 *   - a model-checked random run (remaps without flushes, flushes of every
 *     kind, switches, translations on small TLBs), with tlb_fast_is_valid
 *     and the valid counts checked after every step.
 * The shootdown that waits for a copy in flight is in test_tlb_index_mt.c.
 */
#include "mmtest.h"
#include "arch/pgtable.h"

static struct page *pg[8];

static void get_pages(void)
{
	for (int i = 0; i < 8; i++)
		pg[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
}

static void put_pages(void)
{
	for (int i = 0; i < 8; i++)
		__free_page(pg[i]);
}

static pte_t *map(struct mm_struct *mm, unsigned long va, struct page *page, pgprot_t prot)
{
	pte_t *pte = walk_to_pte_alloc(mm, va);

	KT_ASSERT(pte);
	set_pte_at(mm, va, pte, mk_pte(page, prot));
	return pte;
}

static phys_addr_t xlate_acc(unsigned long va, unsigned int acc)
{
	phys_addr_t pa;

	if (mmu_translate(va, acc, &pa, NULL))
		return (phys_addr_t)-1;
	return pa;
}

static phys_addr_t xlate(unsigned long va)
{
	return xlate_acc(va, MMU_READ | MMU_USER);
}

static struct mmu_cpu *cpu0(void)
{
	return this_mmu_cpu();
}

static void stats(struct tlb_stats *s)
{
	tlb_get_stats(mmsim_current(), smp_processor_id(), s);
}

/* The valid counts of every array of @t agree with its entries. */
static bool tlb_counts_ok(const struct tlb *t)
{
	u32 huge = 0;

	for (int i = 0; i < t->nr_store; i++) {
		const struct tlb_array *a = &t->store[i];
		u32 n[TLB_NR_CLASSES] = { 0 };

		for (size_t j = 0; j < (size_t)(a->set_mask + 1) * a->ways; j++)
			if (a->e[j].key)
				n[tlb_key_class(a->e[j].key)]++;
		if (memcmp(n, a->nvalid, sizeof(n)))
			return false;
		huge += n[1] + n[2];
	}
	return huge == t->nr_huge;
}

static bool tlb_ok(void)
{
	struct mmu_cpu *c = cpu0();

	return tlb_fast_is_valid(c) && tlb_counts_ok(&c->l1d) && tlb_counts_ok(&c->l1i) &&
	       tlb_counts_ok(&c->l2);
}

static void drop_mm(struct mm_struct *mm)
{
	switch_mm(mm, &init_mm, NULL);
	flush_tlb_mm(mm);
	mmput(mm);
}

static bool has_asids(void)
{
	enum mmsim_arch a = current_layout->arch;

	return a == ARCH_X86_64 || a == ARCH_X86_64_LA57 || a == ARCH_ARM64;
}

/* L1 hit, L1 miss and L2 hit, walk: as the counters count them. */
static void test_hit_levels(void)
{
	struct mm_struct *mm = mm_alloc();
	const struct tlb_array *l2 = cpu0()->l2.arr[0];
	unsigned long base = 0x10000000;
	/* > the L1, <= half the L2 (so no L2 set overflows) */
	int n = (int)min((l2->set_mask + 1) * l2->ways / 2, 256u);
	struct tlb_stats s0, s1;

	get_pages();
	for (int i = 0; i < n; i++)
		map(mm, base + (unsigned long)i * PAGE_SIZE, pg[i & 7], PAGE_SHARED);
	switch_mm(NULL, mm, NULL);
	stats(&s0);
	KT_EQ(xlate(base + 8), page_to_phys(pg[0]) + 8);
	stats(&s1);
	KT_EQ(s1.walks, s0.walks + 1);
	KT_EQ(s1.l1_hits, s0.l1_hits);
	KT_EQ(xlate(base + 16), page_to_phys(pg[0]) + 16);	/* through the index */
	stats(&s0);
	KT_EQ(s0.l1_hits, s1.l1_hits + 1);
	KT_EQ(s0.walks, s1.walks);
	KT_ASSERT(tlb_ok());
	/* Fill more than the L1 holds: the first page comes from the L2. */
	for (int i = 1; i < n; i++)
		KT_EQ(xlate(base + (unsigned long)i * PAGE_SIZE), page_to_phys(pg[i & 7]));
	stats(&s0);
	KT_EQ(xlate(base), page_to_phys(pg[0]));
	stats(&s1);
	KT_EQ(s1.l2_hits, s0.l2_hits + 1);
	KT_EQ(s1.walks, s0.walks);
	KT_EQ(xlate(base), page_to_phys(pg[0]));
	stats(&s0);
	KT_EQ(s0.l1_hits, s1.l1_hits + 1);
	KT_ASSERT(tlb_ok());
	/* Each of them again: every translation is an L1 or L2 hit. */
	stats(&s0);
	for (int i = 0; i < n; i++)
		KT_EQ(xlate(base + (unsigned long)i * PAGE_SIZE), page_to_phys(pg[i & 7]));
	stats(&s1);
	KT_EQ(s1.walks, s0.walks);
	KT_EQ((s1.l1_hits - s0.l1_hits) + (s1.l2_hits - s0.l2_hits), n);
	KT_ASSERT(tlb_ok());
	for (int i = 0; i < n; i++) {
		unsigned long va = base + (unsigned long)i * PAGE_SIZE;

		pte_clear(mm, va, walk_to_pte_alloc(mm, va));
	}
	drop_mm(mm);
	put_pages();
}

/* Two pages whose index slots collide: both stay L1 hits. */
static void test_index_collision(void)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long a = 0x10000000, b = a + ((unsigned long)TLB_FAST_SIZE << PAGE_SHIFT);
	struct tlb_stats s0, s1;
	u32 n0;

	get_pages();
	map(mm, a, pg[0], PAGE_SHARED);
	map(mm, b, pg[1], PAGE_SHARED);
	switch_mm(NULL, mm, NULL);
	n0 = cpu0()->l1d.nr_unindexed;
	KT_EQ(xlate(a), page_to_phys(pg[0]));
	KT_EQ(cpu0()->l1d.nr_unindexed, n0);		/* a owns its slot */
	KT_EQ(xlate(b), page_to_phys(pg[1]));
	KT_EQ(cpu0()->l1d.nr_unindexed, n0 + 1);	/* b took it: a is unindexed */
	stats(&s0);
	for (int i = 0; i < 4; i++) {
		KT_EQ(xlate(a), page_to_phys(pg[0]));
		KT_EQ(xlate(b), page_to_phys(pg[1]));
	}
	stats(&s1);
	KT_EQ(s1.l1_hits, s0.l1_hits + 8);	/* the L1 probed, not skipped */
	KT_EQ(cpu0()->l1d.nr_unindexed, n0 + 1);
	KT_ASSERT(tlb_ok());
	pte_clear(mm, a, walk_to_pte_alloc(mm, a));
	pte_clear(mm, b, walk_to_pte_alloc(mm, b));
	drop_mm(mm);
	put_pages();
}

/* One address, two mms: tags keep them apart through the index. */
static void test_asid_tagging(void)
{
	struct mm_struct *a = mm_alloc(), *b = mm_alloc();
	unsigned long va = 0x40000000;
	struct tlb_stats s0, s1;

	get_pages();
	map(a, va, pg[0], PAGE_SHARED);
	map(b, va, pg[1], PAGE_SHARED);
	switch_mm(NULL, a, NULL);
	KT_EQ(xlate(va), page_to_phys(pg[0]));
	switch_mm(a, b, NULL);
	KT_EQ(xlate(va), page_to_phys(pg[1]));
	stats(&s0);
	for (int round = 0; round < 4; round++) {
		switch_mm(b, a, NULL);
		KT_EQ(xlate(va + 4), page_to_phys(pg[0]) + 4);
		KT_ASSERT(tlb_ok());
		switch_mm(a, b, NULL);
		KT_EQ(xlate(va + 4), page_to_phys(pg[1]) + 4);
		KT_ASSERT(tlb_ok());
	}
	stats(&s1);
	/* With ASIDs/PCIDs both stay cached; without, each switch flushed. */
	KT_EQ(s1.walks - s0.walks, has_asids() ? 0 : 8);
	pte_clear(a, va, walk_to_pte_alloc(a, va));
	pte_clear(b, va, walk_to_pte_alloc(b, va));
	switch_mm(b, &init_mm, NULL);
	flush_tlb_mm(a);
	flush_tlb_mm(b);
	mmput(a);
	mmput(b);
	put_pages();
}

/* Every kind of flush is seen by the next translation, the others not. */
static void test_flushes(void)
{
	struct mmsim *m = mmsim_current();
	struct mm_struct *mm = mm_alloc();
	unsigned long va[4] = { 0x10000000, 0x10000000 + PAGE_SIZE, 0x20000000, 0x30000000 };
	pte_t *pte[4];

	get_pages();
	for (int i = 0; i < 4; i++)
		pte[i] = map(mm, va[i], pg[i], PAGE_SHARED);
	switch_mm(NULL, mm, NULL);
	for (int i = 0; i < 4; i++)
		KT_EQ(xlate(va[i]), page_to_phys(pg[i]));
	for (int i = 0; i < 4; i++)
		set_pte_at(mm, va[i], pte[i], mk_pte(pg[i + 4], PAGE_SHARED));
	/* one page */
	flush_tlb_mm_range(mm, va[0], va[0] + PAGE_SIZE, PAGE_SHIFT, false);
	KT_EQ(xlate(va[0]), page_to_phys(pg[4]));
	KT_EQ(xlate(va[1]), page_to_phys(pg[1]));
	KT_ASSERT(tlb_ok());
	/* a range */
	flush_tlb_mm_range(mm, va[0], va[1] + PAGE_SIZE, PAGE_SHIFT, false);
	KT_EQ(xlate(va[1]), page_to_phys(pg[5]));
	KT_EQ(xlate(va[2]), page_to_phys(pg[2]));
	KT_ASSERT(tlb_ok());
	/* the mm (its ASID) */
	flush_tlb_mm(mm);
	KT_EQ(xlate(va[2]), page_to_phys(pg[6]));
	KT_EQ(xlate(va[3]), page_to_phys(pg[7]));
	KT_ASSERT(tlb_ok());
	/* all, then a shootdown from CPU 1 */
	set_pte_at(mm, va[3], pte[3], mk_pte(pg[3], PAGE_SHARED));
	flush_tlb_all();
	KT_EQ(xlate(va[3]), page_to_phys(pg[3]));
	set_pte_at(mm, va[3], pte[3], mk_pte(pg[7], PAGE_SHARED));
	KT_EQ(xlate(va[3]), page_to_phys(pg[3]));	/* stale, in the index */
	KT_EQ(mmsim_enter(m, 1), 0);
	flush_tlb_mm_range(mm, va[3], va[3] + PAGE_SIZE, PAGE_SHIFT, false);
	KT_EQ(mmsim_enter(m, 0), 0);
	KT_EQ(xlate(va[3]), page_to_phys(pg[7]));
	KT_ASSERT(tlb_ok());
	for (int i = 0; i < 4; i++)
		pte_clear(mm, va[i], pte[i]);
	drop_mm(mm);
	put_pages();
}

/* The direct map: global huge leaves, indexed page by page in any context. */
static void test_global_huge(void)
{
	struct mm_struct *a = mm_alloc(), *b = mm_alloc();
	struct page *page = alloc_pages(GFP_KERNEL, 4);
	unsigned long kva = phys_to_kva(page_to_phys(page));
	struct tlb_stats s0, s1;
	phys_addr_t pa;
	int cls = -1;

	KT_EQ(mmu_translate(kva, MMU_READ, &pa, NULL), 0);
	KT_EQ(pa, page_to_phys(page));
	{
		struct mmu_cpu *c = cpu0();
		struct tlb_entry *e = tlb_lookup(&c->l1d, kva, c->ctx, c, &cls);

		KT_ASSERT(e && e->ctx == TLB_CTX_GLOBAL);
	}
	stats(&s0);
	switch_mm(NULL, a, NULL);
	for (int i = 0; i < 16; i++)
		KT_EQ(xlate_acc(kva + ((unsigned long)i << PAGE_SHIFT), MMU_READ),
		      page_to_phys(page) + ((unsigned long)i << PAGE_SHIFT));
	switch_mm(a, b, NULL);
	for (int i = 0; i < 16; i++)
		KT_EQ(xlate_acc(kva + ((unsigned long)i << PAGE_SHIFT) + 5, MMU_WRITE),
		      page_to_phys(page) + ((unsigned long)i << PAGE_SHIFT) + 5);
	stats(&s1);
	/* One leaf covers them: no walk in either context when it is huge. */
	if (cls > 0)
		KT_EQ(s1.walks, s0.walks);
	KT_ASSERT(tlb_ok());
	/* A kernel range flush of one page drops the whole leaf's slots. */
	flush_tlb_kernel_range(kva, kva + PAGE_SIZE);
	KT_ASSERT(tlb_ok());
	stats(&s0);
	KT_EQ(xlate_acc(kva + PAGE_SIZE, MMU_READ), page_to_phys(page) + PAGE_SIZE);
	stats(&s1);
	KT_EQ(s1.walks, s0.walks + 1);
	KT_ASSERT(tlb_ok());
	switch_mm(b, &init_mm, NULL);
	__free_pages(page, 4);
	mmput(a);
	mmput(b);
}

/* Rights come with the entry; a write through a read's entry walks and
 * sets Dirty; instruction fetches use the I side. */
static void test_permissions(void)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long rw = 0x10000000, ro = 0x20000000, x = 0x30000000;
	pte_t *prw, *pro;
	struct tlb_stats s0, s1;
	struct mmu_fault f;
	phys_addr_t pa;

	get_pages();
	prw = map(mm, rw, pg[0], PAGE_SHARED);
	pro = map(mm, ro, pg[1], PAGE_READONLY);
	map(mm, x, pg[2], PAGE_SHARED_EXEC);
	switch_mm(NULL, mm, NULL);
	KT_EQ(xlate_acc(rw, MMU_READ | MMU_USER), page_to_phys(pg[0]));
	KT_ASSERT(!pte_dirty(ptep_get(prw)));
	stats(&s0);
	KT_EQ(xlate_acc(rw, MMU_WRITE | MMU_USER), page_to_phys(pg[0]));
	stats(&s1);
	KT_EQ(s1.walks, s0.walks + 1);
	KT_ASSERT(pte_dirty(ptep_get(prw)));
	KT_EQ(xlate_acc(rw, MMU_WRITE | MMU_USER), page_to_phys(pg[0]));
	stats(&s0);
	KT_EQ(s0.l1_hits, s1.l1_hits + 1);
	KT_EQ(s0.walks, s1.walks);
	/* read-only: reads hit, writes fault every time */
	KT_EQ(xlate_acc(ro, MMU_READ | MMU_USER), page_to_phys(pg[1]));
	KT_EQ(mmu_translate(ro, MMU_WRITE | MMU_USER, &pa, &f), -EFAULT);
	KT_EQ(f.kind, MMU_FAULT_PROT);
	KT_EQ(mmu_translate(ro, MMU_WRITE | MMU_USER, &pa, &f), -EFAULT);
	KT_ASSERT(!pte_dirty(ptep_get(pro)));
	/* exec: the I side's index; no exec of a non-exec page (with NX) */
	stats(&s0);
	KT_EQ(xlate_acc(x, MMU_EXEC | MMU_USER), page_to_phys(pg[2]));
	KT_EQ(xlate_acc(x + 1, MMU_EXEC | MMU_USER), page_to_phys(pg[2]) + 1);
	stats(&s1);
	KT_EQ(s1.l1_hits, s0.l1_hits + 1);
	if (pgt_geom()->b_nx)
		KT_EQ(mmu_translate(rw, MMU_EXEC | MMU_USER, &pa, &f), -EFAULT);
	/* non-canonical: faults, never an index hit */
	if (current_layout->arch != ARCH_I386 && current_layout->arch != ARCH_I386_PAE) {
		KT_EQ(mmu_translate(rw ^ (1UL << 62), MMU_READ | MMU_USER, &pa, &f), -EFAULT);
		KT_EQ(f.kind, MMU_FAULT_NONCANONICAL);
	} else {
		KT_EQ(mmu_translate(rw | (1UL << 40), MMU_READ | MMU_USER, &pa, &f), -EFAULT);
	}
	KT_ASSERT(tlb_ok());
	pte_clear(mm, rw, prw);
	pte_clear(mm, ro, pro);
	pte_clear(mm, x, walk_to_pte_alloc(mm, x));
	drop_mm(mm);
	put_pages();
}

/* ---------------------------------------------------------------------
 * Model-checked random run
 */

#define R_PAGES	160		/* addresses per mm: > small L1 and L2 */
#define R_UNMAPPED 8		/* pseudo page: not mapped (a fault) */

struct rmodel {
	struct mm_struct *mm[2];
	pte_t *pte[2][R_PAGES];
	int cur[2][R_PAGES];		/* page index, or R_UNMAPPED */
	unsigned int ok[2][R_PAGES];	/* what a translation may return: bit per page */
	int on;				/* the mm loaded */
};

static unsigned long r_va(int i)
{
	/* spread over two PMDs and two index strides */
	return 0x10000000UL + ((unsigned long)(i % 80) << PAGE_SHIFT) +
	       (unsigned long)(i / 80) * 0x10000000UL;
}

static u64 rnd_state = 88172645463325252ULL;

static unsigned int rnd(unsigned int n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return (unsigned int)(rnd_state % n);
}

static void r_set(struct rmodel *r, int m, int i, int p)
{
	if (p == R_UNMAPPED)
		pte_clear(r->mm[m], r_va(i), r->pte[m][i]);
	else
		set_pte_at(r->mm[m], r_va(i), r->pte[m][i], mk_pte(pg[p], PAGE_SHARED));
	r->cur[m][i] = p;
	r->ok[m][i] |= 1u << p;
}

static void r_flushed(struct rmodel *r, int m, int i)
{
	r->ok[m][i] = 1u << r->cur[m][i];
}

static void random_run(int steps)
{
	struct mmsim *mach = mmsim_current();
	struct rmodel *r = calloc(1, sizeof(*r));
	int bad = 0;

	get_pages();
	for (int m = 0; m < 2; m++) {
		r->mm[m] = mm_alloc();
		for (int i = 0; i < R_PAGES; i++) {
			r->pte[m][i] = walk_to_pte_alloc(r->mm[m], r_va(i));
			r->ok[m][i] = 0;
			r_set(r, m, i, rnd(8));
			r_flushed(r, m, i);
		}
	}
	switch_mm(NULL, r->mm[0], NULL);
	for (int s = 0; s < steps && bad < 5; s++) {
		int m = rnd(2), i = rnd(R_PAGES), op = rnd(100);
		unsigned long va = r_va(i);

		if (op < 50) {			/* translate in the loaded mm */
			unsigned int acc = (rnd(4) ? MMU_READ : MMU_WRITE) | MMU_USER;
			phys_addr_t pa;
			int got = R_UNMAPPED;

			if (!mmu_translate(va + 3, acc, &pa, NULL))
				for (int p = 0; p < 8; p++)
					if (pa == page_to_phys(pg[p]) + 3)
						got = p;
			if (!(r->ok[r->on][i] >> got & 1)) {
				fprintf(stderr, "step %d: mm %d va %lx gave %d, allowed %#x\n", s,
					r->on, va, got, r->ok[r->on][i]);
				bad++;
			}
		} else if (op < 70) {		/* remap or unmap, no flush */
			r_set(r, m, i, rnd(9));
		} else if (op < 78) {		/* one page */
			flush_tlb_mm_range(r->mm[m], va, va + PAGE_SIZE, PAGE_SHIFT, false);
			r_flushed(r, m, i);
		} else if (op < 84) {		/* a range of up to 8 addresses */
			int n = 1 + (int)rnd(8), j;

			if (i + n > R_PAGES)
				n = R_PAGES - i;
			flush_tlb_mm_range(r->mm[m], va, r_va(i + n - 1) + PAGE_SIZE, PAGE_SHIFT,
					   false);
			for (j = 0; j < R_PAGES; j++)
				if (r_va(j) >= va && r_va(j) <= r_va(i + n - 1))
					r_flushed(r, m, j);
		} else if (op < 88) {		/* the mm */
			flush_tlb_mm(r->mm[m]);
			for (int j = 0; j < R_PAGES; j++)
				r_flushed(r, m, j);
		} else if (op < 90) {		/* all */
			flush_tlb_all();
			for (int k = 0; k < 2; k++)
				for (int j = 0; j < R_PAGES; j++)
					r_flushed(r, k, j);
		} else if (op < 94) {		/* a shootdown from CPU 1 */
			KT_EQ(mmsim_enter(mach, 1), 0);
			flush_tlb_mm_range(r->mm[m], va, va + PAGE_SIZE, PAGE_SHIFT, false);
			KT_EQ(mmsim_enter(mach, 0), 0);
			r_flushed(r, m, i);
		} else {			/* switch */
			switch_mm(r->mm[r->on], r->mm[1 - r->on], NULL);
			r->on = 1 - r->on;
		}
		if (!tlb_ok()) {
			fprintf(stderr, "step %d (op %d): TLB structures inconsistent\n", s, op);
			bad++;
		}
	}
	KT_EQ(bad, 0);
	switch_mm(r->mm[r->on], &init_mm, NULL);
	for (int m = 0; m < 2; m++) {
		for (int i = 0; i < R_PAGES; i++)
			pte_clear(r->mm[m], r_va(i), r->pte[m][i]);
		flush_tlb_mm(r->mm[m]);
		mmput(r->mm[m]);
	}
	free(r);
	put_pages();
}

static void test_random(void)
{
	random_run(20000);
}

static void run(const char *spec)
{
	struct mmsim *m = boot_or_die(spec);

	printf("== %s\n", spec);
	KT_RUN(test_hit_levels);
	KT_RUN(test_index_collision);
	KT_RUN(test_asid_tagging);
	KT_RUN(test_flushes);
	KT_RUN(test_global_huge);
	KT_RUN(test_permissions);
	KT_RUN(test_random);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("arch=x86_64 ram=128M cpus=2");
	run("arch=x86_64-la57 ram=128M cpus=2");
	run("arch=i386 ram=128M cpus=2");
	run("arch=i386-pae ram=128M cpus=2");
	run("arch=arm64 ram=128M cpus=2");
	run("arch=arm64 page_size=16K ram=256M cpus=2");
	run("arch=arm64 page_size=64K ram=512M cpus=2");
	/* Small TLBs: replacement in every array, L2 misses in the random run. */
	run("arch=x86_64 ram=128M cpus=2 tlb_l1d=4x2 tlb_l2=16x4");
	run("arch=arm64 ram=128M cpus=2 tlb_l1d=2x2 tlb_l2=8x4");
	return kt_done();
}
