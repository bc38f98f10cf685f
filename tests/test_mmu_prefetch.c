// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_mmu_prefetch.c - mmu_prefetch() (arch/mmu_prefetch.c) is a
 * host-cache hint and nothing else.  On every arch and page size:
 *   - on mapped user pages (young and old, read-only and writable), on
 *     holes (no PTE, no table at all), on a non-canonical address, on the
 *     kernel's direct map (huge leaves, TTBR1 on arm64) and on address 0,
 *     it changes no page-table entry (no Accessed or Dirty bit, at any
 *     level: the whole top table and every leaf are compared), no TLB
 *     statistic, no TLB content (the index and valid counts still agree),
 *     and raises no fault;
 *   - the control: the translation that follows does set Accessed in the
 *     leaf and counts a walk, so the comparisons above can see a change.
 */
#include <string.h>
#include "mmtest.h"
#include "arch/pgtable.h"

#define NR	16

static void stats(struct tlb_stats *s)
{
	tlb_get_stats(mmsim_current(), smp_processor_id(), s);
}

static size_t top_bytes(void)
{
	const struct pgtable_geom *g = pgt_geom();

	return (size_t)g->hw[0].ptrs << g->entry_shift;
}

static void test_no_side_effects(void)
{
	struct mm_struct *mm = mm_alloc();
	struct page *pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
	struct page *big = alloc_pages(GFP_KERNEL, 4);
	unsigned long base = 0x10000000, kva = phys_to_kva(page_to_phys(big));
	unsigned long probe[NR + 6];
	pte_t *pte[NR], before[NR];
	struct tlb_stats s0, s1;
	size_t top = top_bytes();
	char *top0 = malloc(top);
	phys_addr_t pa;
	int n = 0;

	KT_ASSERT(top0);
	for (int i = 0; i < NR; i++) {
		unsigned long va = base + (unsigned long)i * 2 * PAGE_SIZE;

		pte[i] = walk_to_pte_alloc(mm, va);
		KT_ASSERT(pte[i]);
		set_pte_at(mm, va, pte[i],
			   pte_mkold(mk_pte(pg, (i & 1) ? PAGE_READONLY : PAGE_SHARED)));
		probe[n++] = va + 8;
	}
	probe[n++] = base + PAGE_SIZE;			/* a hole beside mapped pages */
	probe[n++] = 0x7000000000UL & ((1UL << (pgt_geom()->va_bits - 1)) - 1); /* no table */
	probe[n++] = 1UL << 62;				/* non-canonical */
	probe[n++] = kva + 3 * PAGE_SIZE;		/* the direct map */
	probe[n++] = 0;
	probe[n++] = base + 3;
	switch_mm(NULL, mm, NULL);
	/* the direct map's leaf in the TLB and young already, as in use */
	KT_EQ(mmu_translate(kva, MMU_READ, &pa, NULL), 0);
	flush_tlb_all();
	for (int i = 0; i < NR; i++)
		before[i] = *pte[i];
	memcpy(top0, mm->pgd, top);
	stats(&s0);
	for (int r = 0; r < 3; r++)
		for (int i = 0; i < n; i++)
			mmu_prefetch(probe[i]);
	stats(&s1);
	KT_ASSERT(!memcmp(&s0, &s1, sizeof(s0)));
	KT_ASSERT(!memcmp(top0, mm->pgd, top));
	for (int i = 0; i < NR; i++) {
		KT_EQ(pte_val(*pte[i]), pte_val(before[i]));
		KT_ASSERT(!pte_young(*pte[i]));
	}
	KT_ASSERT(tlb_fast_is_valid(this_mmu_cpu()));
	/* The control: a translation walks and marks the leaf young. */
	KT_EQ(mmu_translate(probe[0], MMU_READ | MMU_USER, &pa, NULL), 0);
	KT_EQ(pa, page_to_phys(pg) + 8);
	stats(&s1);
	KT_EQ(s1.walks, s0.walks + 1);
	KT_ASSERT(pte_young(*pte[0]));
	KT_ASSERT(pte_val(*pte[0]) != pte_val(before[0]));
	/* and prefetching a page the TLB holds changes nothing either */
	stats(&s0);
	mmu_prefetch(probe[0]);
	stats(&s1);
	KT_ASSERT(!memcmp(&s0, &s1, sizeof(s0)));
	for (int i = 0; i < NR; i++) {
		unsigned long va = base + (unsigned long)i * 2 * PAGE_SIZE;

		pte_clear(mm, va, pte[i]);
	}
	switch_mm(mm, &init_mm, NULL);
	flush_tlb_mm(mm);
	mmput(mm);
	__free_page(pg);
	__free_pages(big, 4);
	free(top0);
}

static void run(const char *spec)
{
	struct mmsim *m = boot_or_die(spec);

	printf("== %s\n", spec);
	KT_RUN(test_no_side_effects);
	mmsim_shutdown(m);
}

int main(void)
{
	run("arch=x86_64 ram=128M cpus=1");
	run("arch=x86_64-la57 ram=128M cpus=1");
	run("arch=i386 ram=128M cpus=1");
	run("arch=i386-pae ram=128M cpus=1");
	run("arch=arm64 ram=128M cpus=1");
	run("arch=arm64 page_size=16K ram=256M cpus=1");
	run("arch=arm64 page_size=64K ram=512M cpus=1");
	return kt_done();
}
