// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_pgtable.c - page tables on every arch and granule: geometry,
 * folding, the kernel direct map (walks end at page_to_pfn), entry bits and
 * the pte_* helpers, user mappings through the MMU (A/D bits set by the
 * walk, permissions and the faults each arch raises), huge leaves at PMD
 * and PUD level, and page-table accounting through mm_alloc()/mmput().
 */
#include "mmtest.h"

struct geo {
	const char *spec;
	int levels;
	int shift[5];			/* PGDIR, P4D, PUD, PMD, PAGE */
	unsigned int ptrs[5];
	bool pud_leaf;
	const char *dm_mid;		/* name of the middle DirectMap size */
};

static const struct geo geos[] = {
	{ "arch=x86_64 ram=3G", 4, { 39, 39, 30, 21, 12 }, { 512, 1, 512, 512, 512 }, true, "2M" },
	{ "arch=x86_64-la57 ram=256M", 5, { 48, 39, 30, 21, 12 }, { 512, 512, 512, 512, 512 },
	  true, "2M" },
	{ "arch=i386 ram=1G", 2, { 22, 22, 22, 22, 12 }, { 1024, 1, 1, 1, 1024 }, false, "4M" },
	{ "arch=i386-pae ram=1G", 3, { 30, 30, 30, 21, 12 }, { 4, 1, 1, 512, 512 }, false, "2M" },
	{ "arch=arm64 ram=3G", 4, { 39, 39, 30, 21, 12 }, { 512, 1, 512, 512, 512 }, true, "2M" },
	{ "arch=arm64 page_size=16K ram=256M", 4, { 47, 47, 36, 25, 14 },
	  { 2, 1, 2048, 2048, 2048 }, false, "32M" },
	{ "arch=arm64 page_size=64K ram=2G", 3, { 42, 42, 42, 29, 16 }, { 64, 1, 1, 8192, 8192 },
	  false, "512M" },
};

static const struct geo *cur;

static pmd_t *walk_pmd(struct mm_struct *mm, unsigned long va)
{
	pgd_t *pgd = pgd_offset(mm, va);
	p4d_t *p4d = p4d_alloc(mm, pgd, va);
	pud_t *pud = p4d ? pud_alloc(mm, p4d, va) : NULL;

	return pud ? pmd_alloc(mm, pud, va) : NULL;
}

static void test_geometry(void)
{
	KT_EQ(PGTABLE_LEVELS, cur->levels);
	KT_EQ(PGDIR_SHIFT, cur->shift[0]);
	KT_EQ(P4D_SHIFT, cur->shift[1]);
	KT_EQ(PUD_SHIFT, cur->shift[2]);
	KT_EQ(PMD_SHIFT, cur->shift[3]);
	KT_EQ(PAGE_SHIFT, cur->shift[4]);
	KT_EQ(PTRS_PER_PGD, cur->ptrs[0]);
	KT_EQ(PTRS_PER_P4D, cur->ptrs[1]);
	KT_EQ(PTRS_PER_PUD, cur->ptrs[2]);
	KT_EQ(PTRS_PER_PMD, cur->ptrs[3]);
	KT_EQ(PTRS_PER_PTE, cur->ptrs[4]);
	KT_EQ(PMD_SIZE, 1UL << cur->shift[3]);
	KT_EQ(PMD_MASK, ~((1UL << cur->shift[3]) - 1));
	/* A table is one page: entries x entry size. */
	KT_EQ(PAGE_TABLE_BYTES(PGT_PTE), PAGE_SIZE);
}

/* Folding: a folded level's offset is its parent entry; the level above
 * it reads as present; code written for five levels runs on all. */
static void test_folding(void)
{
	unsigned long kva = phys_to_kva(PFN_PHYS(current_layout->min_low_pfn) + 0x5000);
	pgd_t *pgd = pgd_offset_k(kva);
	p4d_t *p4d = p4d_offset(pgd, kva);
	pud_t *pud = p4d_present(p4dp_get(p4d)) ? pud_offset(p4d, kva) : NULL;

	KT_ASSERT(pud);
	if (cur->ptrs[1] == 1) {
		KT_ASSERT((void *)p4d == (void *)pgd);
		KT_ASSERT(!pgd_none(pgdp_get(pgd)) && pgd_present(pgdp_get(pgd)));
		KT_ASSERT(!pgd_bad(pgdp_get(pgd)));
	} else {
		KT_ASSERT((void *)p4d != (void *)pgd);
	}
	if (pud && cur->ptrs[2] == 1)
		KT_ASSERT((void *)pud == (void *)p4d);
	if (pud && cur->ptrs[3] == 1)
		KT_ASSERT((void *)pmd_offset(pud, kva) == (void *)pud);
	if (cur->levels == 2)
		KT_ASSERT((void *)pmd_offset(pud, kva) == (void *)pgd);
}

/* Software walk of a kernel address down to its leaf pfn. */
static unsigned long kwalk_pfn(unsigned long kva, int *cls)
{
	pgd_t *pgd = pgd_offset_k(kva);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t pte;

	if (pgd_none(pgdp_get(pgd)))
		return ~0UL;
	p4d = p4d_offset(pgd, kva);
	if (p4d_none(p4dp_get(p4d)))
		return ~0UL;
	pud = pud_offset(p4d, kva);
	if (pud_none(pudp_get(pud)))
		return ~0UL;
	if (pud_leaf(pudp_get(pud))) {
		*cls = 2;
		return pud_leaf_pfn(pudp_get(pud)) + ((kva & ~PUD_MASK) >> PAGE_SHIFT);
	}
	pmd = pmd_offset(pud, kva);
	if (pmd_none(pmdp_get(pmd)))
		return ~0UL;
	if (pmd_leaf(pmdp_get(pmd))) {
		*cls = 1;
		return pmd_leaf_pfn(pmdp_get(pmd)) + ((kva & ~PMD_MASK) >> PAGE_SHIFT);
	}
	pte = ptep_get(pte_offset_kernel(pmd, kva));
	*cls = 0;
	return pte_present(pte) ? pte_pfn(pte) : ~0UL;
}

static void test_direct_map_walk(void)
{
	struct page *pages[16];
	int n = 0, cls = -1;

	for (int i = 0; i < 16; i++) {
		pages[n] = alloc_pages(GFP_KERNEL, (unsigned int)(i % 4));
		if (pages[n])
			n++;
	}
	KT_ASSERT(n == 16);
	for (int i = 0; i < n; i++) {
		unsigned long kva = host_to_kva(page_address(pages[i]));
		phys_addr_t pa;
		void *host;

		KT_ASSERT(kva >= current_layout->page_offset);
		KT_EQ(kwalk_pfn(kva, &cls), page_to_pfn(pages[i]));
		/* The MMU agrees, in kernel mode, and gives the same bytes. */
		KT_EQ(mmu_translate(kva, MMU_READ, &pa, NULL), 0);
		KT_EQ(pa, page_to_phys(pages[i]));
		host = mmu_access(kva + 8, MMU_WRITE, NULL);
		KT_ASSERT(host == (char *)page_address(pages[i]) + 8);
		KT_ASSERT(kva_to_host(kva) == page_address(pages[i]));
		__free_pages(pages[i], (unsigned int)(i % 4));
	}
	/* First and last lowmem pages. */
	KT_EQ(kwalk_pfn(phys_to_kva(PFN_PHYS(current_layout->min_low_pfn)), &cls),
	      current_layout->min_low_pfn);
	KT_EQ(kwalk_pfn(phys_to_kva(PFN_PHYS(current_layout->max_low_pfn - 1)), &cls),
	      current_layout->max_low_pfn - 1);
}

static void test_direct_map_sizes(void)
{
	unsigned long k4, kmid, k1g, lowmem_kb = 0;
	struct mmsim *m = mmsim_current();

	arch_direct_map_sizes(&k4, &kmid, &k1g);
	for (int i = 0; i < m->hw.nr_banks; i++) {
		phys_addr_t s = m->hw.banks[i].start;
		phys_addr_t e = min(s + m->hw.banks[i].size, PFN_PHYS(current_layout->max_low_pfn));

		if (e > s)
			lowmem_kb += (unsigned long)((e - s) >> 10);
	}
	KT_EQ(k4 + kmid + k1g, lowmem_kb);
	KT_ASSERT(kmid + k1g > 0);	/* large pages where aligned */
	if (cur->pud_leaf && lowmem_kb >= (2UL << 20))
		KT_ASSERT(k1g > 0);
	if (!cur->pud_leaf)
		KT_EQ(k1g, 0);
	if (!current_layout->arch_name || strncmp(current_layout->arch_name, "arm64", 5))
		KT_ASSERT(k4 >= 1024);	/* x86: the ISA range is 4K */
}

/* Entry helpers: arch bit layouts and the pte_mk* algebra. */
static void test_entry_bits(void)
{
	const struct pgtable_geom *g = pgt_geom();
	pte_t p = pfn_pte(0x1234, PAGE_SHARED);

	KT_EQ(pte_pfn(p), 0x1234);
	KT_ASSERT(pte_present(p) && pte_write(p) && !pte_dirty(p) && pte_young(p));
	KT_ASSERT(pte_user(p) && !pte_exec(p) == (g->b_nx != 0));
	p = pte_mkdirty(p);
	KT_ASSERT(pte_dirty(p));
	p = pte_wrprotect(p);
	KT_ASSERT(!pte_write(p) && pte_dirty(p));	/* dirty survives wrprotect */
	p = pte_mkclean(p);
	KT_ASSERT(!pte_dirty(p));
	p = pte_mkwrite_novma(p);
	KT_ASSERT(pte_write(p) && !pte_dirty(p));
	p = pte_mkold(p);
	KT_ASSERT(!pte_young(p));
	KT_ASSERT(pte_young(pte_mkyoung(p)));
	KT_ASSERT(!pte_present(__pte(0)) && pte_none(__pte(0)));
	/* PROT_NONE: present to mm, not to the MMU. */
	p = pfn_pte(7, PAGE_NONE);
	KT_ASSERT(pte_present(p) && pte_protnone(p) && !(pte_val(p) & g->b_present));
	KT_ASSERT(!pte_protnone(pfn_pte(7, PAGE_READONLY)));
	/* Kernel pages are global and not user. */
	p = pfn_pte(7, PAGE_KERNEL);
	KT_ASSERT(!pte_user(p) && pte_write(p) && pte_dirty(p));
	if (g->arm64) {
		KT_ASSERT(!(pte_val(p) & PTE_NG) && (pte_val(p) & PTE_AF));
		KT_ASSERT(pte_val(pfn_pte(7, PAGE_SHARED)) & PTE_NG);
		KT_ASSERT((pte_val(p) & 3) == PTE_TYPE_PAGE);
		KT_ASSERT((pmd_val(pfn_pmd(0x200, PAGE_KERNEL)) & 3) == PMD_TYPE_SECT);
		KT_ASSERT(pte_val(p) & PTE_PXN && pte_val(p) & PTE_UXN);
		KT_ASSERT(!(pte_val(pfn_pte(7, PAGE_KERNEL_EXEC)) & PTE_PXN));
	} else {
		KT_ASSERT(pte_val(p) & _PAGE_GLOBAL);
		KT_ASSERT(pmd_val(pfn_pmd(0x200, PAGE_KERNEL)) & _PAGE_PSE);
		KT_ASSERT(pte_val(pfn_pte(7, PAGE_KERNEL_RO)) & _PAGE_DIRTY);
		KT_ASSERT(!(pte_val(pfn_pte(7, PAGE_KERNEL_RO)) & _PAGE_RW));
	}
	KT_ASSERT(pmd_leaf(pfn_pmd(0x200, PAGE_KERNEL)));
}

/* Map a fresh page at @va of @mm with @prot; returns the page. */
static struct page *map_new(struct mm_struct *mm, unsigned long va, pgprot_t prot, pte_t **ptep)
{
	struct page *page = alloc_page(GFP_HIGHUSER | __GFP_ZERO);
	pte_t *pte = walk_to_pte_alloc(mm, va);

	KT_ASSERT(page && pte);
	if (!page || !pte)
		return NULL;
	set_pte_at(mm, va, pte, mk_pte(page, prot));
	*ptep = pte;
	return page;
}

static void check_fault(const struct mmu_fault *f, enum mmu_fault_kind kind, bool write,
			bool user, bool exec)
{
	KT_EQ(f->kind, kind);
	if (pgt_geom()->arm64) {
		unsigned long ec = f->error_code >> ESR_ELx_EC_SHIFT;
		unsigned long fsc = f->error_code & 0x3c;

		KT_EQ(!!(f->error_code & ESR_ELx_WNR), write);
		KT_EQ(ec, exec ? (user ? ESR_ELx_EC_IABT_LOW : ESR_ELx_EC_IABT_CUR) :
				 (user ? ESR_ELx_EC_DABT_LOW : ESR_ELx_EC_DABT_CUR));
		KT_EQ(fsc, kind == MMU_FAULT_PROT ? ESR_ELx_FSC_PERM : ESR_ELx_FSC_FAULT);
	} else {
		KT_EQ(!!(f->error_code & X86_PF_PROT), kind == MMU_FAULT_PROT);
		KT_EQ(!!(f->error_code & X86_PF_WRITE), write);
		KT_EQ(!!(f->error_code & X86_PF_USER), user);
		if (pgt_geom()->b_nx)
			KT_EQ(!!(f->error_code & X86_PF_INSTR), exec);
	}
}

static void test_user_mappings(void)
{
	unsigned long before = global_node_page_state(NR_PAGETABLE);
	struct mm_struct *mm = mm_alloc();
	unsigned long va = 0x400000UL + 3 * PAGE_SIZE, ro = va + 16 * PAGE_SIZE;
	unsigned long nx = ro + 16 * PAGE_SIZE, none = nx + 16 * PAGE_SIZE;
	struct page *p1, *p2, *p3, *p4;
	struct mmu_fault f;
	pte_t *pte1, *pte2, *pte3, *pte4;
	phys_addr_t pa;
	unsigned long kva = phys_to_kva(PFN_PHYS(current_layout->min_low_pfn) + 0x2000);

	KT_ASSERT(mm);
	if (!mm)
		return;
	KT_ASSERT(global_node_page_state(NR_PAGETABLE) > before);	/* the pgd */
	p1 = map_new(mm, va, PAGE_SHARED, &pte1);
	p2 = map_new(mm, ro, PAGE_READONLY, &pte2);
	p3 = map_new(mm, nx, PAGE_SHARED, &pte3);
	p4 = map_new(mm, none, PAGE_NONE, &pte4);
	KT_ASSERT(mm_pgtables_bytes(mm) >= 2 * PAGE_SIZE);
	switch_mm(NULL, mm, NULL);
	KT_ASSERT(mmu_active_mm() == mm);
	KT_ASSERT(mm_cpumask_test_cpu(smp_processor_id(), mm_cpumask(mm)));

	/* Read: A set, D not. */
	set_pte_at(mm, va, pte1, pte_mkold(ptep_get(pte1)));
	KT_EQ(mmu_translate(va + 5, MMU_READ | MMU_USER, &pa, &f), 0);
	KT_EQ(pa, page_to_phys(p1) + 5);
	KT_ASSERT(pte_young(ptep_get(pte1)));
	KT_ASSERT(!pte_dirty(ptep_get(pte1)));
	/* Write: D set by the walk (the clean TLB entry walks again). */
	KT_EQ(mmu_translate(va, MMU_WRITE | MMU_USER, &pa, &f), 0);
	KT_ASSERT(pte_dirty(ptep_get(pte1)));
	KT_EQ(ptep_test_and_clear_young(NULL, va, pte1), 1);
	KT_ASSERT(!pte_young(ptep_get(pte1)));
	/* The bytes: through the MMU into the page. */
	*(int *)mmu_access(va + 64, MMU_WRITE | MMU_USER, NULL) = 0x5a5a;
	KT_EQ(*(int *)((char *)mmu_phys_to_host(page_to_phys(p1)) + 64), 0x5a5a);

	/* Read-only: reads fine, writes fault as protection faults. */
	KT_EQ(mmu_translate(ro, MMU_READ | MMU_USER, &pa, &f), 0);
	KT_EQ(mmu_translate(ro, MMU_WRITE | MMU_USER, &pa, &f), -EFAULT);
	check_fault(&f, MMU_FAULT_PROT, true, true, false);
	KT_EQ(f.addr, ro);
	/* Kernel write to a read-only user page: CR0.WP / AP[2]. */
	KT_EQ(mmu_translate(ro, MMU_WRITE, &pa, &f), -EFAULT);
	check_fault(&f, MMU_FAULT_PROT, true, false, false);
	/* Execute of a non-executable page (none on i386 without PAE). */
	if (pgt_geom()->b_nx) {
		KT_EQ(mmu_translate(nx, MMU_EXEC | MMU_USER, &pa, &f), -EFAULT);
		check_fault(&f, MMU_FAULT_PROT, false, true, true);
	}
	/* Kernel execution of a user page: SMEP / PXN. */
	KT_EQ(mmu_translate(va, MMU_EXEC, &pa, &f), -EFAULT);
	/* Not present, and PROT_NONE (present to mm only). */
	KT_EQ(mmu_translate(va + 256 * PAGE_SIZE, MMU_READ | MMU_USER, &pa, &f), -EFAULT);
	check_fault(&f, MMU_FAULT_NOT_PRESENT, false, true, false);
	KT_EQ(mmu_translate(none, MMU_READ | MMU_USER, &pa, &f), -EFAULT);
	check_fault(&f, MMU_FAULT_NOT_PRESENT, false, true, false);
	/* User access to a kernel page. */
	KT_EQ(mmu_translate(kva, MMU_READ | MMU_USER, &pa, &f), -EFAULT);
	check_fault(&f, MMU_FAULT_PROT, false, true, false);
	KT_EQ(mmu_translate(kva, MMU_READ, &pa, &f), 0);
	/* Non-canonical (64-bit) / beyond 4G (32-bit). */
	KT_EQ(mmu_translate(current_layout->is_64bit ? 0x8000000000001000UL : 0x100000000UL,
			    MMU_READ, &pa, &f), -EFAULT);
	KT_EQ(f.kind, MMU_FAULT_NONCANONICAL);

	/* ptep_set_wrprotect keeps dirty; ptep_get_and_clear returns the entry. */
	ptep_set_wrprotect(mm, va, pte1);
	KT_ASSERT(!pte_write(ptep_get(pte1)) && pte_dirty(ptep_get(pte1)));
	KT_EQ(pte_pfn(ptep_get_and_clear(mm, va, pte1)), page_to_pfn(p1));
	KT_ASSERT(pte_none(ptep_get(pte1)));
	pte_clear(mm, ro, pte2);
	pte_clear(mm, nx, pte3);
	pte_clear(mm, none, pte4);

	switch_mm(mm, &init_mm, NULL);
	flush_tlb_mm(mm);
	mmput(mm);
	KT_EQ(global_node_page_state(NR_PAGETABLE), before);
	__free_page(p1);
	__free_page(p2);
	__free_page(p3);
	__free_page(p4);
}

/* Huge leaves at PMD (and PUD where the arch has them) level. */
static void test_huge_leaves(void)
{
	unsigned int order = PMD_SHIFT - PAGE_SHIFT;
	struct mm_struct *mm = mm_alloc();
	struct page *huge = order <= MAX_PAGE_ORDER ? alloc_pages(GFP_KERNEL, order) : NULL;
	unsigned long va = 4 * PMD_SIZE, pva;
	pmd_t *pmd;
	phys_addr_t pa;
	unsigned long size;
	u64 leaf;

	KT_ASSERT(mm && huge);
	if (!mm || !huge)
		return;
	pmd = walk_pmd(mm, va);
	KT_ASSERT(pmd);
	set_pmd_at(mm, va, pmd, pfn_pmd(page_to_pfn(huge), PAGE_SHARED));
	KT_ASSERT(pmd_leaf(pmdp_get(pmd)) && !pmd_none(pmdp_get(pmd)));
	switch_mm(NULL, mm, NULL);
	KT_EQ(mmu_translate(va + PMD_SIZE - 8, MMU_WRITE | MMU_USER, &pa, NULL), 0);
	KT_EQ(pa, page_to_phys(huge) + PMD_SIZE - 8);
	KT_ASSERT(pmd_dirty(pmdp_get(pmd)) && pmd_young(pmdp_get(pmd)));
	KT_EQ(pgtable_lookup(mm, va + PAGE_SIZE, &pa, &size, &leaf), 0);
	KT_EQ(size, PMD_SIZE);
	KT_EQ(pa, page_to_phys(huge) + PAGE_SIZE);

	if (cur->pud_leaf) {
		/* Any PUD-aligned RAM will do: translation only. */
		phys_addr_t target = ALIGN(PFN_PHYS(current_layout->min_low_pfn) + 1, PUD_SIZE);
		pud_t *pud;

		pva = 3 * PUD_SIZE;
		pud = pud_alloc(mm, p4d_alloc(mm, pgd_offset(mm, pva), pva), pva);
		KT_ASSERT(pud);
		set_pud(pud, pfn_pud(PHYS_PFN(target), PAGE_READONLY));
		KT_ASSERT(pud_leaf(pudp_get(pud)));
		KT_EQ(mmu_translate(pva + 0x12345678, MMU_READ | MMU_USER, &pa, NULL), 0);
		KT_EQ(pa, target + 0x12345678);
		KT_EQ(mmu_translate(pva, MMU_WRITE | MMU_USER, &pa, NULL), -EFAULT);
		set_pud(pud, __pud(0));
	}
	pmd_clear(pmd);
	switch_mm(mm, &init_mm, NULL);
	flush_tlb_mm(mm);
	mmput(mm);
	__free_pages(huge, order);
}

/* i386: a highmem page mapped to user space is reached through the MMU. */
static void test_highmem_access(void)
{
	struct mm_struct *mm;
	struct page *page;
	pte_t *pte;
	char *host;

	if (current_layout->max_pfn <= current_layout->max_low_pfn)
		return;
	mm = mm_alloc();
	page = alloc_page(GFP_HIGHUSER);
	KT_ASSERT(mm && page);
	if (!mm || !page)
		return;
	KT_ASSERT(PageHighMem(page));
	pte = walk_to_pte_alloc(mm, 0x8000000);
	set_pte_at(mm, 0x8000000, pte, mk_pte(page, PAGE_SHARED));
	switch_mm(NULL, mm, NULL);
	host = mmu_access(0x8000010, MMU_WRITE | MMU_USER, NULL);
	KT_ASSERT(host);
	if (host) {
		strcpy(host, "highmem");
		KT_ASSERT(!strcmp((char *)mmu_phys_to_host(page_to_phys(page)) + 16, "highmem"));
	}
	pte_clear(mm, 0x8000000, pte);
	switch_mm(mm, &init_mm, NULL);
	flush_tlb_mm(mm);
	mmput(mm);
	__free_page(page);
}

static void test_pgd_kernel_half(void)
{
	const struct pgtable_geom *g = pgt_geom();
	struct mm_struct *mm = mm_alloc();
	unsigned long first = pgd_index(g->kernel_base);

	KT_ASSERT(mm);
	if (!mm)
		return;
	for (unsigned long i = 0; i < PTRS_PER_PGD; i++) {
		u64 v = __pt_load(__pt_entry(mm->pgd, i));
		u64 k = __pt_load(__pt_entry(init_mm.pgd, i));

		if (i < first)
			KT_EQ(v, 0);
		else if (!g->arm64)
			KT_EQ(v, k);
		else
			KT_EQ(v, 0);
	}
	mmput(mm);
}

static void run_arch(const struct geo *g)
{
	struct mmsim *m = boot_or_die(g->spec);

	cur = g;
	printf("== %s\n", g->spec);
	KT_RUN(test_geometry);
	KT_RUN(test_folding);
	KT_RUN(test_direct_map_walk);
	KT_RUN(test_direct_map_sizes);
	KT_RUN(test_entry_bits);
	KT_RUN(test_user_mappings);
	KT_RUN(test_huge_leaves);
	KT_RUN(test_highmem_access);
	KT_RUN(test_pgd_kernel_half);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(geos); i++)
		run_arch(&geos[i]);
	return kt_done();
}
