// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_tlb.c - the TLB model: stale translations served until the
 * right flush and not after it, range flushes that leave other entries,
 * global entries surviving context switches, PCIDs keeping (and no-PCID
 * losing) user entries across a switch, ASID isolation, arm64 ASID
 * rollover after 2^bits - 1 address spaces, remote shootdowns between CPUs
 * with their vmstat counters, and mmu_gather.
 */
#include "mmtest.h"

/* Map @page at @va; returns the PTE pointer. */
static pte_t *map(struct mm_struct *mm, unsigned long va, struct page *page)
{
	pte_t *pte = walk_to_pte_alloc(mm, va);

	KT_ASSERT(pte);
	set_pte_at(mm, va, pte, mk_pte(page, PAGE_SHARED));
	return pte;
}

static phys_addr_t xlate(unsigned long va)
{
	phys_addr_t pa;

	if (mmu_translate(va, MMU_READ | MMU_USER, &pa, NULL))
		return (phys_addr_t)-1;
	return pa;
}

static struct page *pg[4];

static bool has_asids(void)
{
	enum mmsim_arch a = current_layout->arch;

	return a == ARCH_X86_64 || a == ARCH_X86_64_LA57 || a == ARCH_ARM64;
}

static void get_pages(void)
{
	for (int i = 0; i < 4; i++)
		pg[i] = alloc_page(GFP_KERNEL | __GFP_ZERO);
}

static void put_pages(void)
{
	for (int i = 0; i < 4; i++)
		__free_page(pg[i]);
}

static void drop_mm(struct mm_struct *mm)
{
	switch_mm(mm, &init_mm, NULL);
	flush_tlb_mm(mm);
	mmput(mm);
}

static void test_stale_until_flush(void)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long va = 0x10000000;
	pte_t *pte;

	get_pages();
	pte = map(mm, va, pg[0]);
	switch_mm(NULL, mm, NULL);
	KT_EQ(xlate(va), page_to_phys(pg[0]));
	/* Remap without a flush: the TLB still says pg[0]. */
	set_pte_at(mm, va, pte, mk_pte(pg[1], PAGE_SHARED));
	KT_EQ(xlate(va), page_to_phys(pg[0]));
	KT_EQ(xlate(va + 8), page_to_phys(pg[0]) + 8);
	flush_tlb_mm_range(mm, va, va + PAGE_SIZE, PAGE_SHIFT, false);
	KT_EQ(xlate(va), page_to_phys(pg[1]));
	/* Clear without a flush: still translates; after it, faults. */
	ptep_get_and_clear(mm, va, pte);
	KT_EQ(xlate(va), page_to_phys(pg[1]));
	flush_tlb_mm(mm);
	KT_EQ(xlate(va), (phys_addr_t)-1);
	/* Write-protect without a flush: a dirty entry still writes. */
	set_pte_at(mm, va, pte, pte_mkdirty(mk_pte(pg[2], PAGE_SHARED)));
	KT_EQ(xlate(va), page_to_phys(pg[2]));
	{
		phys_addr_t pa;

		KT_EQ(mmu_translate(va, MMU_WRITE | MMU_USER, &pa, NULL), 0);
		ptep_set_wrprotect(mm, va, pte);
		KT_EQ(mmu_translate(va, MMU_WRITE | MMU_USER, &pa, NULL), 0);
		local_flush_tlb_page(mm, va);
		KT_EQ(mmu_translate(va, MMU_WRITE | MMU_USER, &pa, NULL), -EFAULT);
	}
	pte_clear(mm, va, pte);
	drop_mm(mm);
	put_pages();
}

static void test_range_flush_leaves_others(void)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long a = 0x20000000, b = 0x30000000;
	pte_t *pa, *pb;

	get_pages();
	pa = map(mm, a, pg[0]);
	pb = map(mm, b, pg[1]);
	switch_mm(NULL, mm, NULL);
	KT_EQ(xlate(a), page_to_phys(pg[0]));
	KT_EQ(xlate(b), page_to_phys(pg[1]));
	set_pte_at(mm, a, pa, mk_pte(pg[2], PAGE_SHARED));
	set_pte_at(mm, b, pb, mk_pte(pg[3], PAGE_SHARED));
	flush_tlb_mm_range(mm, a, a + 4 * PAGE_SIZE, PAGE_SHIFT, false);
	KT_EQ(xlate(a), page_to_phys(pg[2]));
	KT_EQ(xlate(b), page_to_phys(pg[1]));	/* untouched: still stale */
	flush_tlb_mm_range(mm, b, b + PAGE_SIZE, PAGE_SHIFT, false);
	KT_EQ(xlate(b), page_to_phys(pg[3]));
	pte_clear(mm, a, pa);
	pte_clear(mm, b, pb);
	drop_mm(mm);
	put_pages();
}

/* A kernel (global) mapping in the vmalloc area. */
static void test_global_survives_switch(void)
{
	unsigned long kva = current_layout->vmalloc_start + 16 * PAGE_SIZE;
	pmd_t *pmd = pmd_alloc(&init_mm, pud_alloc(&init_mm, p4d_alloc(&init_mm,
				pgd_offset_k(kva), kva), kva), kva);
	pte_t *pte = pmd ? pte_alloc_kernel(pmd, kva) : NULL;
	struct mm_struct *a = mm_alloc(), *b = mm_alloc();
	phys_addr_t pa;

	get_pages();
	KT_ASSERT(pte);
	if (!pte)
		return;
	set_pte(pte, mk_pte(pg[0], PAGE_KERNEL));
	KT_EQ(mmu_translate(kva, MMU_READ, &pa, NULL), 0);
	KT_EQ(pa, page_to_phys(pg[0]));
	set_pte(pte, mk_pte(pg[1], PAGE_KERNEL));
	/* Two context switches: the global entry is still there. */
	switch_mm(NULL, a, NULL);
	switch_mm(a, b, NULL);
	KT_EQ(mmu_translate(kva, MMU_READ, &pa, NULL), 0);
	KT_EQ(pa, page_to_phys(pg[0]));
	flush_tlb_kernel_range(kva, kva + PAGE_SIZE);
	KT_EQ(mmu_translate(kva, MMU_READ, &pa, NULL), 0);
	KT_EQ(pa, page_to_phys(pg[1]));
	pte_clear(&init_mm, kva, pte);
	flush_tlb_kernel_range(kva, kva + PAGE_SIZE);
	KT_EQ(mmu_translate(kva, MMU_READ, &pa, NULL), -EFAULT);
	switch_mm(b, &init_mm, NULL);
	mmput(a);
	mmput(b);
	put_pages();
}

/* Same VA, two address spaces: each sees its own page, no flush needed
 * between switches when each has its ASID/PCID. */
static void test_asid_isolation(void)
{
	struct mm_struct *a = mm_alloc(), *b = mm_alloc();
	unsigned long va = 0x40000000;
	pte_t *pa, *pb;
	struct tlb_stats before, after;

	get_pages();
	pa = map(a, va, pg[0]);
	pb = map(b, va, pg[1]);
	for (int round = 0; round < 3; round++) {
		switch_mm(NULL, a, NULL);
		KT_EQ(xlate(va), page_to_phys(pg[0]));
		switch_mm(a, b, NULL);
		KT_EQ(xlate(va), page_to_phys(pg[1]));
	}
	/* With ASIDs, A's entry survived B's run: A remapped stays stale;
	 * without (i386), the switch flushed it. */
	tlb_get_stats(mmsim_current(), smp_processor_id(), &before);
	set_pte_at(a, va, pa, mk_pte(pg[2], PAGE_SHARED));
	switch_mm(b, a, NULL);
	KT_EQ(xlate(va), page_to_phys(has_asids() ? pg[0] : pg[2]));
	tlb_get_stats(mmsim_current(), smp_processor_id(), &after);
	KT_EQ(after.walks, before.walks + !has_asids());
	flush_tlb_mm(a);
	KT_EQ(xlate(va), page_to_phys(pg[2]));
	pte_clear(a, va, pa);
	pte_clear(b, va, pb);
	switch_mm(a, &init_mm, NULL);
	flush_tlb_mm(a);
	flush_tlb_mm(b);
	mmput(a);
	mmput(b);
	put_pages();
}

/* x86 without PCIDs: every switch to another mm flushes user entries. */
static void test_no_pcid_flushes(void)
{
	struct mmsim *m = mmsim_current();
	struct mm_struct *a = mm_alloc(), *b = mm_alloc();
	unsigned long va = 0x40000000;
	pte_t *pa;

	KT_EQ(mmu_set_pcid(m, false), 0);
	get_pages();
	pa = map(a, va, pg[0]);
	switch_mm(NULL, a, NULL);
	KT_EQ(xlate(va), page_to_phys(pg[0]));
	set_pte_at(a, va, pa, mk_pte(pg[1], PAGE_SHARED));
	switch_mm(a, b, NULL);
	switch_mm(b, a, NULL);
	KT_EQ(xlate(va), page_to_phys(pg[1]));	/* the CR3 write flushed */
	pte_clear(a, va, pa);
	switch_mm(a, &init_mm, NULL);
	flush_tlb_mm(a);
	mmput(a);
	mmput(b);
	put_pages();
	KT_EQ(mmu_set_pcid(m, true), 0);
}

/* Remote shootdown: CPU 1 changes a PTE CPU 0 has cached. */
static void test_remote_shootdown(void)
{
	struct mmsim *m = mmsim_current();
	struct mm_struct *mm = mm_alloc();
	unsigned long va = 0x50000000;
	unsigned long sent = sum_vm_event(NR_TLB_REMOTE_FLUSH);
	unsigned long recv = sum_vm_event(NR_TLB_REMOTE_FLUSH_RECEIVED);
	struct tlb_stats s0;
	pte_t *pte;

	get_pages();
	pte = map(mm, va, pg[0]);
	switch_mm(NULL, mm, NULL);
	KT_EQ(xlate(va), page_to_phys(pg[0]));
	KT_EQ(mmsim_enter(m, 1), 0);
	switch_mm(NULL, mm, NULL);
	KT_EQ(mm_cpumask_weight(mm_cpumask(mm)), 2);
	set_pte_at(mm, va, pte, mk_pte(pg[1], PAGE_SHARED));
	KT_EQ(mmsim_enter(m, 0), 0);
	KT_EQ(xlate(va), page_to_phys(pg[0]));	/* no flush yet: stale */
	KT_EQ(mmsim_enter(m, 1), 0);
	recv = sum_vm_event(NR_TLB_REMOTE_FLUSH_RECEIVED);	/* backlogs applied */
	flush_tlb_mm_range(mm, va, va + PAGE_SIZE, PAGE_SHIFT, false);
	KT_EQ(xlate(va), page_to_phys(pg[1]));
	KT_EQ(sum_vm_event(NR_TLB_REMOTE_FLUSH), sent + 1);
	switch_mm(mm, &init_mm, NULL);
	KT_EQ(mmsim_enter(m, 0), 0);
	KT_EQ(xlate(va), page_to_phys(pg[1]));	/* the shootdown was applied */
	KT_EQ(sum_vm_event(NR_TLB_REMOTE_FLUSH_RECEIVED), recv + 1);
	tlb_get_stats(m, 0, &s0);
	KT_ASSERT(s0.shootdowns_recv >= 1);
	pte_clear(mm, va, pte);
	drop_mm(mm);
	put_pages();
}

/* mmu_gather: pages are freed only after the flush. */
static void test_mmu_gather(void)
{
	struct mm_struct *mm = mm_alloc();
	unsigned long va = 0x60000000;
	struct page *page = alloc_page(GFP_KERNEL);
	struct mmu_gather tlb;
	pte_t *pte;

	pte = map(mm, va, page);
	switch_mm(NULL, mm, NULL);
	KT_EQ(xlate(va), page_to_phys(page));
	tlb_gather_mmu(&tlb, mm);
	ptep_get_and_clear(mm, va, pte);
	tlb_remove_tlb_entry(&tlb, pte, va);
	tlb_remove_page(&tlb, page);
	KT_EQ(page_ref_count(page), 1);		/* not yet */
	KT_EQ(xlate(va), page_to_phys(page));	/* stale until the flush */
	tlb_finish_mmu(&tlb);
	KT_EQ(xlate(va), (phys_addr_t)-1);
	drop_mm(mm);
}

/* arm64: 8-bit ASIDs roll over after 255 address spaces, flushing once. */
static void test_asid_rollover(void)
{
	struct mmsim *m = mmsim_current();
	struct tlb_stats s0, s1;
	struct mm_struct *keep = mm_alloc();
	u64 id0, gen0;

	KT_EQ(mmu_set_asid_bits(m, 8), 0);
	switch_mm(NULL, keep, NULL);	/* ASID 1 */
	id0 = atomic_load(&keep->context.id);
	KT_EQ(id0 & 0xff, 1);
	tlb_get_stats(m, 0, &s0);
	gen0 = s0.asid_generation;
	for (int i = 0; i < 254; i++) {	/* ASIDs 2..255 */
		struct mm_struct *mm = mm_alloc();

		switch_mm(NULL, mm, NULL);
		KT_EQ(atomic_load(&mm->context.id) & 0xff, (u64)i + 2);
		switch_mm(mm, &init_mm, NULL);
		mmput(mm);
	}
	tlb_get_stats(m, 0, &s1);
	KT_EQ(s1.asid_rollovers, s0.asid_rollovers);
	KT_EQ(s1.asid_generation, gen0);
	{
		struct mm_struct *mm = mm_alloc();

		switch_mm(NULL, mm, NULL);	/* the 256th: rollover */
		tlb_get_stats(m, 0, &s1);
		KT_EQ(s1.asid_rollovers, s0.asid_rollovers + 1);
		KT_EQ(s1.asid_generation, gen0 + 1);
		KT_EQ(s1.ctx_switch_flushes, s0.ctx_switch_flushes + 1);
		KT_EQ(atomic_load(&mm->context.id) >> 8, gen0 + 1);
		/* keep's old ASID was released, so it gets a fresh one now. */
		switch_mm(mm, keep, NULL);
		KT_EQ(atomic_load(&keep->context.id) >> 8, gen0 + 1);
		KT_ASSERT((atomic_load(&keep->context.id) & 0xff) !=
			  (atomic_load(&mm->context.id) & 0xff));
		tlb_get_stats(m, 0, &s1);
		KT_EQ(s1.asid_rollovers, s0.asid_rollovers + 1);	/* once */
		switch_mm(keep, &init_mm, NULL);
		mmput(mm);
	}
	mmput(keep);
	KT_EQ(mmu_set_asid_bits(m, 16), 0);
}

static void run(const char *spec)
{
	struct mmsim *m = boot_or_die(spec);

	printf("== %s\n", spec);
	KT_RUN(test_stale_until_flush);
	KT_RUN(test_range_flush_leaves_others);
	KT_RUN(test_global_survives_switch);
	KT_RUN(test_asid_isolation);
	KT_RUN(test_remote_shootdown);
	KT_RUN(test_mmu_gather);
	if (m->hw.layout.arch == ARCH_X86_64 || m->hw.layout.arch == ARCH_X86_64_LA57)
		KT_RUN(test_no_pcid_flushes);
	if (m->hw.layout.arch == ARCH_ARM64)
		KT_RUN(test_asid_rollover);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("arch=x86_64 ram=128M cpus=2");
	run("arch=x86_64-la57 ram=128M cpus=2");
	run("arch=i386-pae ram=128M cpus=2");
	run("arch=i386 ram=128M cpus=2");
	run("arch=arm64 ram=128M cpus=2");
	run("arch=arm64 page_size=64K ram=256M cpus=2");
	return kt_done();
}
