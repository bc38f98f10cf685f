// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_fault.c - the fault path on x86_64, i386 (3G split, user
 * pages in highmem) and arm64 with 64K pages (and la57, PAE, arm64 16K): a demand-zero read maps the
 * shared zero page read-only, a write allocates a zeroed exclusive page,
 * a write after a read replaces the zero page (and the stale TLB entry),
 * the MMU sets Accessed and Dirty, folio_referenced clears Accessed,
 * pgfault counts completed faults, zapping returns every page, and the
 * invariant checkers agree.
 */
#include "fault_fixture.h"

#define VA	0x10000000UL

/* Free pages once the slab caches of the fault side gave back theirs. */
static unsigned long pages_free(void)
{
	kmem_cache_shrink(memory_state()->anon_vma_cachep);
	kmem_cache_shrink(memory_state()->anon_vma_chain_cachep);
	drain_all_pages(NULL);
	return nr_free_pages();
}

static void test_read_maps_zero_page(void)
{
	struct mm_struct *mm = fx_mm();
	unsigned long faults;
	pte_t pte;

	(void)mm_zero_page();
	faults = sum_vm_event(PGFAULT);
	switch_mm(NULL, mm, NULL);
	fx_vma(mm, VA, 4 * PAGE_SIZE, VM_READ | VM_WRITE);
	KT_EQ(fx_xlate(VA, MMU_READ | MMU_USER), (phys_addr_t)-1);
	KT_EQ(fx_fault(mm, VA, false), 0);
	pte = fx_pte(mm, VA);
	KT_ASSERT(pte_present(pte));
	KT_EQ(pte_pfn(pte), page_to_pfn(mm_zero_page()));
	KT_ASSERT(!pte_write(pte));
	KT_EQ(fx_xlate(VA + 5, MMU_READ | MMU_USER), page_to_phys(mm_zero_page()) + 5);
	KT_EQ(fx_xlate(VA, MMU_WRITE | MMU_USER), (phys_addr_t)-1);	/* read-only */
	KT_EQ(get_mm_counter(mm, MM_ANONPAGES), 0);
	KT_EQ(sum_vm_event(PGFAULT), faults + 1);
	KT_ASSERT(fx_valid(&mm, 1));
	fx_destroy(mm);
}

static void test_write_allocates(void)
{
	unsigned long before = pages_free();
	struct mm_struct *mm = fx_mm();
	struct page *page;
	unsigned char buf[64];
	void *p;
	pte_t pte;

	switch_mm(NULL, mm, NULL);
	fx_vma(mm, VA, 4 * PAGE_SIZE, VM_READ | VM_WRITE);
	KT_EQ(fx_fault(mm, VA + PAGE_SIZE + 8, true), 0);
	pte = fx_pte(mm, VA + PAGE_SIZE);
	KT_ASSERT(pte_present(pte) && pte_write(pte) && pte_dirty(pte) && pte_young(pte));
	page = pfn_to_page(pte_pfn(pte));
	KT_ASSERT(PageAnon(page));
	KT_ASSERT(PageAnonExclusive(page));
	KT_EQ(page_mapcount(page), 1);
	KT_EQ(page_ref_count(page), 1);
	KT_EQ(get_mm_counter(mm, MM_ANONPAGES), 1);
	KT_EQ(page->index, (VA + PAGE_SIZE) >> PAGE_SHIFT);
	if (totalhigh_pages())
		KT_ASSERT(PageHighMem(page));	/* GFP_HIGHUSER_MOVABLE on i386 */
	p = mmu_access(VA + PAGE_SIZE, MMU_WRITE | MMU_USER, NULL);
	KT_ASSERT(p);
	memset(buf, 0xaa, sizeof(buf));
	KT_ASSERT(!memcmp(p, (unsigned char[64]){ 0 }, 64));	/* zeroed */
	memcpy(p, "hello", 6);
	memcpy_from_page((char *)buf, page, 0, 6);
	KT_ASSERT(!strcmp((char *)buf, "hello"));
	KT_ASSERT(fx_valid(&mm, 1));
	fx_destroy(mm);
	KT_EQ(pages_free(), before);
}

static void test_write_after_read_replaces_zero_page(void)
{
	struct mm_struct *mm = fx_mm();
	struct page *page;
	char *p;

	switch_mm(NULL, mm, NULL);
	fx_vma(mm, VA, PAGE_SIZE, VM_READ | VM_WRITE);
	KT_EQ(fx_fault(mm, VA, false), 0);
	/* the TLB now caches the zero page */
	KT_EQ(fx_xlate(VA, MMU_READ | MMU_USER), page_to_phys(mm_zero_page()));
	KT_EQ(fx_fault(mm, VA, true), 0);
	page = fx_page(mm, VA);
	KT_ASSERT(page && page != mm_zero_page());
	KT_ASSERT(PageAnonExclusive(page));
	KT_EQ(get_mm_counter(mm, MM_ANONPAGES), 1);
	/* the stale entry was flushed: reads see the new page */
	KT_EQ(fx_xlate(VA, MMU_READ | MMU_USER), page_to_phys(page));
	p = mmu_access(VA, MMU_WRITE | MMU_USER, NULL);
	KT_ASSERT(p && p[0] == 0);
	KT_ASSERT(fx_valid(&mm, 1));
	fx_destroy(mm);
}

static void test_accessed_dirty(void)
{
	struct mm_struct *mm = fx_mm();
	unsigned long vm_flags;
	struct page *page;
	pte_t *ptep;

	switch_mm(NULL, mm, NULL);
	fx_vma(mm, VA, PAGE_SIZE, VM_READ | VM_WRITE);
	KT_EQ(fx_fault(mm, VA, true), 0);
	page = fx_page(mm, VA);
	ptep = mm_find_pte(mm, VA);
	KT_EQ(folio_referenced(page_folio(page), 0, NULL, &vm_flags), 1);
	KT_ASSERT(vm_flags & VM_WRITE);
	KT_ASSERT(!pte_young(ptep_get(ptep)));
	KT_EQ(folio_referenced(page_folio(page), 0, NULL, &vm_flags), 0);
	/* the TLB entry went with the bit: the next access walks and sets it */
	KT_ASSERT(fx_xlate(VA, MMU_READ | MMU_USER) == page_to_phys(page));
	KT_ASSERT(pte_young(ptep_get(ptep)));
	/* clean it, then a write through the MMU makes it dirty again */
	set_pte_at(mm, VA, ptep, pte_mkclean(ptep_get(ptep)));
	flush_tlb_mm(mm);
	KT_ASSERT(!pte_dirty(ptep_get(ptep)));
	KT_ASSERT(fx_xlate(VA, MMU_WRITE | MMU_USER) == page_to_phys(page));
	KT_ASSERT(pte_dirty(ptep_get(ptep)));
	fx_destroy(mm);
}

static void test_prot_none_and_readonly(void)
{
	struct mm_struct *mm = fx_mm();
	unsigned long faults;
	pte_t pte;

	switch_mm(NULL, mm, NULL);
	fx_vma(mm, VA, PAGE_SIZE, VM_NONE);
	fx_vma(mm, VA + PAGE_SIZE, PAGE_SIZE, VM_READ);
	/* a write to a read-only VMA is refused by the handler itself; PGFAULT
	 * counts it all the same (Linux 6.4+'s mm_account_fault) */
	faults = sum_vm_event(PGFAULT);
	KT_EQ(fx_fault(mm, VA + PAGE_SIZE, true), VM_FAULT_SIGSEGV);
	KT_EQ(sum_vm_event(PGFAULT), faults + 1);
	KT_EQ(fx_fault(mm, VA + PAGE_SIZE, false), 0);
	KT_EQ(fx_xlate(VA + PAGE_SIZE, MMU_WRITE | MMU_USER), (phys_addr_t)-1);
	/* a read of PROT_NONE memory (as mlock's populate does) maps it
	 * PROT_NONE: present to mm, invalid to the MMU */
	KT_EQ(fx_fault(mm, VA, false), 0);
	pte = fx_pte(mm, VA);
	KT_ASSERT(pte_protnone(pte));
	KT_EQ(fx_xlate(VA, MMU_READ | MMU_USER), (phys_addr_t)-1);
	KT_ASSERT(fx_valid(&mm, 1));
	fx_destroy(mm);
}

static void test_zap_returns_pages(void)
{
	unsigned long before = pages_free();
	unsigned long anon = global_node_page_state(NR_ANON_MAPPED);
	unsigned long pt = global_node_page_state(NR_PAGETABLE);
	struct mm_struct *mm = fx_mm();

	switch_mm(NULL, mm, NULL);
	fx_vma(mm, VA, 64 * PAGE_SIZE, VM_READ | VM_WRITE);
	for (int i = 0; i < 64; i++)
		KT_EQ(fx_fault(mm, VA + i * PAGE_SIZE, i % 3 != 0), 0);
	KT_EQ(get_mm_counter(mm, MM_ANONPAGES), 42);
	KT_EQ(global_node_page_state(NR_ANON_MAPPED), anon + 42);
	KT_ASSERT(global_node_page_state(NR_PAGETABLE) > pt);
	KT_ASSERT(mm_pgtables_bytes(mm) > 0);
	fx_zap(mm, VA, 32 * PAGE_SIZE);
	KT_EQ(get_mm_counter(mm, MM_ANONPAGES), 21);
	KT_EQ(fx_xlate(VA + PAGE_SIZE, MMU_READ | MMU_USER), (phys_addr_t)-1);
	KT_ASSERT(fx_valid(&mm, 1));
	fx_destroy(mm);
	KT_EQ(global_node_page_state(NR_ANON_MAPPED), anon);
	KT_EQ(global_node_page_state(NR_PAGETABLE), pt);
	KT_EQ(pages_free(), before);
}

static void run(const char *spec)
{
	struct mmsim *m = boot_or_die(spec);

	printf("# %s\n", spec);
	KT_RUN(test_read_maps_zero_page);
	KT_RUN(test_write_allocates);
	KT_RUN(test_write_after_read_replaces_zero_page);
	KT_RUN(test_accessed_dirty);
	KT_RUN(test_prot_none_and_readonly);
	KT_RUN(test_zap_returns_pages);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("arch=x86_64 ram=128M cpus=2");
	run("arch=i386 ram=2G cpus=2");
	run("arch=arm64 page_size=64K ram=256M cpus=2");
	run("arch=x86_64-la57 ram=128M cpus=2");
	run("arch=i386-pae ram=2G cpus=2");
	run("arch=arm64 page_size=16K ram=256M cpus=2");
	return kt_done();
}
