// SPDX-License-Identifier: GPL-2.0
/*
 * mm/debug_vm.c - the invariant checkers of user address spaces (Linux's
 * validate_mm() of mm/vma.c and the page-table checks of
 * CONFIG_DEBUG_VM / check_mm()), for the stress tests.
 *
 * mm_is_valid(mm), under the mm's mmap_lock (taken here for reading):
 *   - the VMA tree: mt_validate() holds (the maple tree's own shape);
 *     each entry spans exactly [vm_start, vm_end - 1], VMAs
 *     are page aligned, sorted and disjoint, belong to the mm and lie
 *     below its task_size; map_count == the VMAs; total_vm == their pages;
 *   - the page tables, walked whole: every present PTE (PROT_NONE ones
 *     included) lies inside a VMA; a writable PTE only in a VM_WRITE VMA;
 *     a PTE the MMU can use has the user bit; the zero page is never
 *     writable and only in private mappings; MM_ANONPAGES == the PTEs
 *     mapping anonymous pages, MM_SHMEMPAGES those mapping shmem pages
 *     (file pages that are swap-backed), MM_FILEPAGES the others (the zero
 *     page is not counted), MM_SWAPENTS the swap PTEs, each in a private
 *     VMA and holding a slot of an existing area; a file page is mapped only by a VMA of its
 *     file (page->mapping == vm_file->f_mapping) at its offset
 *     (page->index == linear_page_index()).
 * mm_mapcounts_are_valid(m): over the mms of every live task of the
 * machine, each page's _mapcount + 1 equals the PTEs mapping it, and its
 * refcount is at least that (plus one for a shmem page, which its file's
 * page cache holds, or for a page in the swap cache).  Pages nobody maps -- anonymous ones, and shmem pages
 * in a cache -- must have mapcount 0.  Hugetlb folios are checked by
 * mm/hugetlb_fault.c (every leaf, entire mapcounts) and mm/hugetlb.c (the
 * pools: hugetlb_pool_is_valid), called from here.
 *
 * PMD leaves (THP, mm/huge_memory.c): each lies in a private anonymous
 * VMA covering its range and maps the huge zero page read-only or the
 * head of an anon THP at its linear index; it counts HPAGE_PMD_NR pages in
 * MM_ANONPAGES; the mm has one deposited PTE table per leaf.  A THP's
 * pages count its PMD leaves in page_mapcount; its head's counters
 * (_entire_mapcount, _large_mapcount, _nr_pages_mapped) match the
 * census and its tails point at it (large_folio_is_valid).
 * The first problem found is logged (pr_err) and false returned.
 *
 * Locking: mmap_lock of each mm for reading and its PTE lock while its
 * tables are walked.  The checkers are for quiescent moments (between
 * steps of a test): concurrent faults may make mm_mapcounts_are_valid
 * report a transient difference.
 */
#include <stdlib.h>
#include <mmsim/fs.h>
#include <mmsim/swapops.h>
#include <mmsim/huge_mm.h>
#include "mm/fault_internal.h"
#include "init/machine.h"
#include <mmsim/hugetlb.h>

/* A PMD leaf (a THP) of a user mm, for the checkers. */
typedef void (*pmd_visit_t)(unsigned long addr, pmd_t *pmdp, void *arg);

/* Visit every non-none PTE of @mm's user half, and each PMD leaf with @pmd_fn. */
static void walk_user_tables(struct mm_struct *mm, pte_visit_t fn, pmd_visit_t pmd_fn, void *arg)
{
	unsigned long end = mm->task_size ? mm->task_size : TASK_SIZE;
	unsigned long addr = 0, next;
	pgd_t *pgd;

	end = (end + PMD_SIZE - 1) & PMD_MASK;
	pgd = pgd_offset(mm, addr);
	do {
		unsigned long a4 = addr, n4;
		p4d_t *p4d;

		next = pgd_addr_end(addr, end);
		if (pgd_none(pgdp_get(pgd)) || !pgd_present(pgdp_get(pgd)))
			continue;
		p4d = p4d_offset(pgd, a4);
		do {
			unsigned long a3 = a4, n3;
			pud_t *pud;

			n4 = p4d_addr_end(a4, next);
			if (p4d_none(p4dp_get(p4d)) || !p4d_present(p4dp_get(p4d)))
				continue;
			pud = pud_offset(p4d, a3);
			do {
				unsigned long a2 = a3, n2;
				pmd_t *pmd;

				n3 = pud_addr_end(a3, n4);
				if (pud_none(pudp_get(pud)) || !pud_present(pudp_get(pud)) ||
				    pud_leaf(pudp_get(pud)))
					continue;
				pmd = pmd_offset(pud, a2);
				do {
					pte_t *pte;

					n2 = pmd_addr_end(a2, n3);
					if (pmd_none(pmdp_get(pmd)) || !pmd_present(pmdp_get(pmd)))
						continue;
					if (pmd_leaf(pmdp_get(pmd))) {
						if (pmd_fn)
							pmd_fn(a2, pmd, arg);
						continue;
					}
					pte = pte_offset_map(pmd, a2);
					for (unsigned long a = a2; a != n2;
					     a += PAGE_SIZE, pte = pte_next(pte))
						if (!pte_none(ptep_get(pte)))
							fn(a, pte, arg);
				} while (pmd = pmd_next(pmd), a2 = n2, a2 != n3);
			} while (pud = pud_next(pud), a3 = n3, a3 != n4);
		} while (p4d = p4d_next(p4d), a4 = n4, a4 != next);
	} while (pgd = pgd_next(pgd), addr = next, addr != end);
}

void walk_user_ptes(struct mm_struct *mm, pte_visit_t fn, void *arg)
{
	walk_user_tables(mm, fn, NULL, arg);
}

struct mm_check {
	struct mm_struct *mm;
	long anon, file, shmem, swap;
	long pmd_leaves;		/* THP and huge zero page leaves */
	bool bad;
};

/*
 * A migration entry: inside a VMA, naming a valid pfn whose folio is
 * locked (its migration holds the lock until every entry is gone) and
 * that the VMA may map (anon: the VMA has an anon_vma; file: the VMA maps
 * its file at its offset).  It counts in the rss as the page it names.
 */
static void check_migration_pte(struct mm_check *c, unsigned long addr, pte_t pte,
				swp_entry_t entry)
{
	struct vm_area_struct *vma = vma_lookup(c->mm, addr);
	unsigned long pfn = swp_offset_pfn(entry);
	struct folio *folio;

	if (!vma || !pfn_valid(pfn)) {
		pr_err("mm_is_valid: migration entry %llx at %lx %s\n",
		       (unsigned long long)pte_val(pte), addr,
		       vma ? "names no page" : "outside every VMA");
		c->bad = true;
		return;
	}
	folio = pfn_swap_entry_folio(entry);
	if (!page_flag_test(&folio->page, PG_locked)) {
		pr_err("mm_is_valid: migration entry at %lx names pfn %lx, which is not locked\n",
		       addr, pfn);
		c->bad = true;
		return;
	}
	if (page_is_anon(&folio->page)) {
		if (!vma->anon_vma) {
			pr_err("mm_is_valid: anon migration entry at %lx in VMA %lx-%lx without anon_vma\n",
			       addr, vma->vm_start, vma->vm_end);
			c->bad = true;
			return;
		}
		c->anon++;
		return;
	}
	if (folio->page.mapping && vma->vm_file &&
	    (folio->page.mapping != vma->vm_file->f_mapping ||
	     folio->page.index != linear_page_index(vma, addr))) {
		pr_err("mm_is_valid: migration entry at %lx names file page %lx not mapped there\n",
		       addr, pfn);
		c->bad = true;
		return;
	}
	if (mm_counter_file(folio) == MM_SHMEMPAGES)
		c->shmem++;
	else
		c->file++;
}

/*
 * A PMD leaf: in a private anonymous VMA covering its whole range; the
 * huge zero page read-only, or the head of an order-HPAGE_PMD_ORDER anon
 * folio (mm/huge_memory.c); writable only in a VM_WRITE VMA; a leaf the
 * MMU can use has the user bit.
 */
static void check_one_pmd(unsigned long addr, pmd_t *pmdp, void *arg)
{
	struct mm_check *c = arg;
	pmd_t pmd = pmdp_get(pmdp);
	struct vm_area_struct *vma;
	struct page *page;

	if (c->bad)
		return;
	vma = vma_lookup(c->mm, addr);
	if (vma && is_vm_hugetlb_page(vma))
		return;		/* hugetlb_mm_is_valid checks hugetlb leaves */
	if (!vma || addr < vma->vm_start || addr + HPAGE_PMD_SIZE > vma->vm_end ||
	    !vma_is_anonymous(vma) || (vma->vm_flags & VM_SHARED)) {
		pr_err("mm_is_valid: PMD leaf %llx at %lx outside a private anon VMA covering it\n",
		       (unsigned long long)pmd_val(pmd), addr);
		c->bad = true;
		return;
	}
	c->pmd_leaves++;
	if (pmd_write(pmd) && !(vma->vm_flags & VM_WRITE)) {
		pr_err("mm_is_valid: writable PMD leaf at %lx in VMA %lx-%lx without VM_WRITE\n",
		       addr, vma->vm_start, vma->vm_end);
		c->bad = true;
		return;
	}
	if (!pmd_protnone(pmd) && !pmd_user(pmd)) {
		pr_err("mm_is_valid: PMD leaf at %lx lacks the user bit\n", addr);
		c->bad = true;
		return;
	}
	if (is_huge_zero_pmd(pmd)) {
		if (pmd_write(pmd)) {
			pr_err("mm_is_valid: huge zero page at %lx writable\n", addr);
			c->bad = true;
		}
		return;
	}
	page = pfn_to_page(pmd_leaf_pfn(pmd));
	if (!PageHead(page) || compound_order(page) != HPAGE_PMD_ORDER || !page_is_anon(page)) {
		pr_err("mm_is_valid: PMD leaf at %lx maps pfn %lx, no anon THP head (order %u)\n",
		       addr, page_to_pfn(page), compound_order(page));
		dump_page(page, "PMD leaf of no THP");
		c->bad = true;
		return;
	}
	if (page->index != linear_page_index(vma, addr)) {
		pr_err("mm_is_valid: THP at %lx has index %lx, the VMA says %lx\n", addr,
		       (unsigned long)page->index, (unsigned long)linear_page_index(vma, addr));
		c->bad = true;
		return;
	}
	c->anon += (long)HPAGE_PMD_NR;
}

/* A swap PTE: in a private VMA, holding a slot of an area that exists. */
static void check_swap_pte(struct mm_check *c, unsigned long addr, pte_t pte)
{
	struct vm_area_struct *vma = vma_lookup(c->mm, addr);
	swp_entry_t entry = pte_to_swp_entry(pte);
	struct swap_info_struct *si = non_swap_entry(entry) ? NULL : swp_swap_info(entry);

	if (is_migration_entry(entry)) {
		check_migration_pte(c, addr, pte, entry);
		return;
	}

	if (!vma || (vma->vm_flags & VM_SHARED)) {
		pr_err("mm_is_valid: swap PTE %llx at %lx %s\n", (unsigned long long)pte_val(pte),
		       addr, vma ? "in a shared VMA" : "outside every VMA");
		c->bad = true;
		return;
	}
	if (!si || !swp_offset(entry) || swp_offset(entry) >= si->max) {
		pr_err("mm_is_valid: swap PTE %llx at %lx: entry %lx is no slot of an area\n",
		       (unsigned long long)pte_val(pte), addr, entry.val);
		c->bad = true;
		return;
	}
	c->swap++;
}

static void check_one_pte(unsigned long addr, pte_t *ptep, void *arg)
{
	struct mm_check *c = arg;
	pte_t pte = ptep_get(ptep);
	struct vm_area_struct *vma;
	struct address_space *mapping;
	struct page *page;

	if (c->bad)
		return;
	if (!pte_present(pte)) {
		check_swap_pte(c, addr, pte);
		return;
	}
	vma = vma_lookup(c->mm, addr);
	if (vma && is_vm_hugetlb_page(vma))
		return;		/* arm64 contiguous runs: hugetlb_mm_is_valid */
	if (!vma) {
		pr_err("mm_is_valid: PTE %llx at %lx outside every VMA\n",
		       (unsigned long long)pte_val(pte), addr);
		c->bad = true;
		return;
	}
	if (pte_write(pte) && !(vma->vm_flags & VM_WRITE)) {
		pr_err("mm_is_valid: writable PTE at %lx in VMA %lx-%lx without VM_WRITE\n", addr,
		       vma->vm_start, vma->vm_end);
		c->bad = true;
		return;
	}
	if (!pte_protnone(pte) && !pte_user(pte)) {
		pr_err("mm_is_valid: PTE at %lx lacks the user bit\n", addr);
		c->bad = true;
		return;
	}
	if (is_zero_pfn(pte_pfn(pte))) {
		if (pte_write(pte) || (vma->vm_flags & VM_SHARED)) {
			pr_err("mm_is_valid: zero page at %lx writable or shared\n", addr);
			c->bad = true;
		}
		return;
	}
	page = vm_normal_page(vma, addr, pte);
	if (!page)
		return;
	if (page_is_anon(page)) {
		c->anon++;
		return;
	}
	/* Another CPU's cache eviction stores ->mapping atomically (of unmapped folios only). */
	mapping = __atomic_load_n(&page->mapping, __ATOMIC_ACQUIRE);
	if (!vma->vm_file || mapping != vma->vm_file->f_mapping ||
	    page->index != linear_page_index(vma, addr)) {
		pr_err("mm_is_valid: file page %lx (mapping %p index %lx) at %lx in VMA %lx-%lx "
		       "(file mapping %p, offset %lx)\n", page_to_pfn(page), (void *)mapping,
		       (unsigned long)page->index, addr, vma->vm_start, vma->vm_end,
		       vma->vm_file ? (void *)vma->vm_file->f_mapping : NULL,
		       (unsigned long)linear_page_index(vma, addr));
		c->bad = true;
		return;
	}
	if (mm_counter_file(page_folio(page)) == MM_SHMEMPAGES)
		c->shmem++;
	else
		c->file++;
}

bool mm_is_valid(struct mm_struct *mm)
{
	struct mm_check c = { .mm = mm };
	unsigned long prev_end = 0, total = 0;
	unsigned long limit = mm->task_size ? mm->task_size : TASK_SIZE;
	struct vm_area_struct *vma;
	int count = 0;
	bool ok = true;

	mmap_read_lock(mm);
	if (!mt_validate(&mm->mm_mt)) {
		pr_err("mm_is_valid: the VMA tree is broken (mt_validate)\n");
		ok = false;
	}
	if (ok) {
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			count++;
			if (vma->vm_mm != mm || vma->vm_start >= vma->vm_end ||
			    (vma->vm_start | vma->vm_end) & ~PAGE_MASK || vma->vm_end > limit ||
			    vma->vm_start < prev_end) {
				pr_err("mm_is_valid: bad VMA %lx-%lx (mm %p, previous end %lx)\n",
				       vma->vm_start, vma->vm_end, (void *)vma->vm_mm, prev_end);
				ok = false;
				break;
			}
			if (vmi.mas.index != vma->vm_start || vmi.mas.last != vma->vm_end - 1) {
				pr_err("mm_is_valid: VMA %lx-%lx stored as [%lx, %lx]\n",
				       vma->vm_start, vma->vm_end, vmi.mas.index, vmi.mas.last);
				ok = false;
				break;
			}
			prev_end = vma->vm_end;
			total += vma_pages(vma);
		}
	}
	if (ok && count != mm->map_count) {
		pr_err("mm_is_valid: map_count %d, %d VMAs in the tree\n", mm->map_count, count);
		ok = false;
	}
	if (ok && total != mm->total_vm) {
		pr_err("mm_is_valid: total_vm %lu, VMAs span %lu pages\n", mm->total_vm, total);
		ok = false;
	}
	if (ok) {
		spin_lock(pte_lockptr(mm));
		walk_user_tables(mm, check_one_pte, check_one_pmd, &c);
		if (!c.bad) {
			/* One deposited PTE table per PMD leaf (split_huge_pmd's). */
			long deposited = 0;
			struct page *t = mm->pmd_huge_pte, *p;

			if (t) {
				deposited = 1;
				list_for_each_entry(p, &t->lru, lru)
					deposited++;
			}
			if (deposited != c.pmd_leaves) {
				pr_err("mm_is_valid: %ld PMD leaves, %ld deposited PTE tables\n",
				       c.pmd_leaves, deposited);
				c.bad = true;
			}
		}
		spin_unlock(pte_lockptr(mm));
		ok = !c.bad;
	}
	if (ok && c.anon != (long)get_mm_counter(mm, MM_ANONPAGES)) {
		pr_err("mm_is_valid: MM_ANONPAGES %lu, page tables map %ld anon pages\n",
		       get_mm_counter(mm, MM_ANONPAGES), c.anon);
		ok = false;
	}
	if (ok && c.shmem != (long)get_mm_counter(mm, MM_SHMEMPAGES)) {
		pr_err("mm_is_valid: MM_SHMEMPAGES %lu, page tables map %ld shmem pages\n",
		       get_mm_counter(mm, MM_SHMEMPAGES), c.shmem);
		ok = false;
	}
	if (ok && c.file != (long)get_mm_counter(mm, MM_FILEPAGES)) {
		pr_err("mm_is_valid: MM_FILEPAGES %lu, page tables map %ld file pages\n",
		       get_mm_counter(mm, MM_FILEPAGES), c.file);
		ok = false;
	}
	if (ok && c.swap != (long)get_mm_counter(mm, MM_SWAPENTS)) {
		pr_err("mm_is_valid: MM_SWAPENTS %lu, page tables hold %ld swap entries\n",
		       get_mm_counter(mm, MM_SWAPENTS), c.swap);
		ok = false;
	}
	mmap_read_unlock(mm);
	/* hugetlb leaves: the walk above skips them (mm/hugetlb_fault.c) */
	return ok && hugetlb_mm_is_valid(mm);
}

/* ---------------------------------------------------------------------
 * Mapcounts across the machine
 */

struct mapcount_census {
	struct mm_struct *mm;
	unsigned int *count;		/* [max_pfn]: PTEs and PMD leaves mapping each page */
	unsigned int *mig;		/* [max_pfn]: migration entries naming the pfn */
	unsigned int *pmds;		/* [max_pfn]: PMD leaves mapping each THP head */
	unsigned long max_pfn;
};

static void count_one_pmd(unsigned long addr, pmd_t *pmdp, void *arg)
{
	struct mapcount_census *mc = arg;
	pmd_t pmd = pmdp_get(pmdp);
	unsigned long pfn = pmd_leaf_pfn(pmd);

	(void)addr;
	if (is_huge_zero_pmd(pmd) || pfn + HPAGE_PMD_NR > mc->max_pfn || PageHuge(pfn_to_page(pfn)))
		return;		/* hugetlb leaves: hugetlb_mapcounts_valid_for */
	mc->pmds[pfn]++;
	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++)
		mc->count[pfn + i]++;
}

/*
 * A large folio (a THP) at @head: its links and order, and its counters
 * against the census (mm_types.h): _entire_mapcount + 1 == the PMD leaves,
 * _large_mapcount + 1 == every mapping, _nr_pages_mapped == the pages with
 * a PTE (+ ENTIRELY_MAPPED while PMD-mapped), refcount >= the mappings.
 */
static bool large_folio_is_valid(struct page *head, const struct mapcount_census *mc)
{
	unsigned long pfn = page_to_pfn(head), nr = compound_nr(head);
	struct page *p1 = head + 1;
	int entire = atomic_load(&p1->_entire_mapcount) + 1;
	int large = atomic_load(&p1->_large_mapcount) + 1;
	int nr_mapped = atomic_load(&p1->_nr_pages_mapped);
	long ptes = 0, pages_mapped = 0;

	if (pfn + nr > mc->max_pfn)
		return true;
	for (unsigned long i = 1; i < nr; i++)
		if (compound_head(head + i) != head) {
			pr_err("mm_mapcounts_are_valid: pfn %lx: tail %lu of head %lx has compound_head %lx\n",
			       pfn + i, i, pfn, page_to_pfn(compound_head(head + i)));
			return false;
		}
	for (unsigned long i = 0; i < nr; i++) {
		int m = atomic_load(&head[i]._mapcount) + 1;

		ptes += m;
		pages_mapped += m > 0;
	}
	if (entire != (int)mc->pmds[pfn] || large != entire + ptes ||
	    (nr_mapped & FOLIO_PAGES_MAPPED) != pages_mapped ||
	    !(nr_mapped & ENTIRELY_MAPPED) != !entire || page_ref_count(head) < large) {
		pr_err("mm_mapcounts_are_valid: THP %lx: entire %d (PMDs %u), large %d (PTEs %ld), "
		       "nr_pages_mapped %#x (pages %ld), refcount %d\n", pfn, entire,
		       mc->pmds[pfn], large, ptes, nr_mapped, pages_mapped, page_ref_count(head));
		dump_page(head, "THP mapcount mismatch");
		return false;
	}
	return true;
}

static void count_one_pte(unsigned long addr, pte_t *ptep, void *arg)
{
	struct mapcount_census *mc = arg;
	pte_t pte = ptep_get(ptep);
	unsigned long pfn;

	(void)addr;
	if (!pte_present(pte)) {
		swp_entry_t entry;

		if (pte_none(pte))
			return;
		entry = pte_to_swp_entry(pte);
		if (is_migration_entry(entry) && swp_offset_pfn(entry) < mc->max_pfn)
			mc->mig[swp_offset_pfn(entry)]++;
		return;
	}
	pfn = pte_pfn(pte);
	if (pfn < mc->max_pfn && !is_zero_pfn(pfn))
		mc->count[pfn]++;
}

bool mm_mapcounts_valid_for(struct mm_struct **mms, int nr)
{
	struct mapcount_census mc = { .max_pfn = current_layout->max_pfn };
	bool ok = true;

	mc.count = calloc(mc.max_pfn, sizeof(*mc.count));
	mc.mig = calloc(mc.max_pfn, sizeof(*mc.mig));
	mc.pmds = calloc(mc.max_pfn, sizeof(*mc.pmds));
	if (!mc.count || !mc.mig || !mc.pmds) {
		free(mc.count);
		free(mc.mig);
		free(mc.pmds);
		return false;
	}
	for (int i = 0; i < nr; i++) {
		mmap_read_lock(mms[i]);
		spin_lock(pte_lockptr(mms[i]));
		walk_user_tables(mms[i], count_one_pte, count_one_pmd, &mc);
		spin_unlock(pte_lockptr(mms[i]));
		mmap_read_unlock(mms[i]);
	}
	for (unsigned long pfn = current_layout->min_low_pfn; pfn < mc.max_pfn && ok; pfn++) {
		struct page *page;
		bool in_cache;
		int mapcount;

		if (!pfn_valid(pfn))
			continue;
		page = pfn_to_page(pfn);
		in_cache = false;
		if (PageBuddy(page) || PageTable(page) || PageSlab(page)) {
			if (!mc.count[pfn])
				continue;
			mapcount = -1;	/* the union holds a type, not a count */
		} else {
			/* a shmem page in its file's cache, or a page in the swap
			 * cache, mapped or not: the cache holds a reference */
			in_cache = (!page_is_anon(page) && page->mapping &&
				    page_flag_test(page, PG_swapbacked)) || PageSwapCache(page);
			if (!mc.count[pfn] && !mc.mig[pfn] && !page_is_anon(page) && !in_cache)
				continue;
			mapcount = page_mapcount(page);
		}
		if (PageHuge(page))
			continue;	/* hugetlb_mapcounts_valid_for, below */
		if (PageHead(page) && !PageSlab(page) && page_is_anon(page) &&
		    !large_folio_is_valid(page, &mc)) {
			ok = false;
			break;
		}
		/* A page under migration has no PTE: only entries name it. */
		if (mc.mig[pfn] && (mc.count[pfn] || mapcount)) {
			pr_err("mm_mapcounts_are_valid: pfn %lx has %u migration entries and "
			       "%u PTEs (mapcount %d)\n", pfn, mc.mig[pfn], mc.count[pfn], mapcount);
			ok = false;
		} else if (mapcount != (int)mc.count[pfn]) {
			pr_err("mm_mapcounts_are_valid: pfn %lx mapcount %d, mapped by %u PTEs\n",
			       pfn, mapcount, mc.count[pfn]);
			dump_page(page, "mapcount mismatch");
			ok = false;
		} else if (!PageTail(page) && page_ref_count(page) < mapcount + in_cache) {
			pr_err("mm_mapcounts_are_valid: pfn %lx refcount %d < mapcount %d%s\n", pfn,
			       page_ref_count(page), mapcount, in_cache ? " + the page cache's" : "");
			ok = false;
		}
	}
	free(mc.count);
	free(mc.mig);
	free(mc.pmds);
	/* hugetlb folios: entire mapcounts against leaves, and the pools */
	return ok && hugetlb_mapcounts_valid_for(mms, nr) && hugetlb_pool_is_valid();
}

bool mm_mapcounts_are_valid(struct mmsim *m)
{
	struct mm_struct **mms = NULL;
	struct task_struct *t = NULL;
	int nr = 0, cap = 0;
	bool ok;

	while ((t = next_task_of(m, t)) != NULL) {
		struct mm_struct *mm = t->mm;
		bool seen = false;

		if (!mm)
			continue;
		for (int i = 0; i < nr && !seen; i++)
			seen = mms[i] == mm;
		if (seen)
			continue;
		if (nr == cap) {
			struct mm_struct **n = realloc(mms, sizeof(*mms) * (cap ? cap * 2 : 16));

			if (!n) {
				free(mms);
				return false;
			}
			mms = n;
			cap = cap ? cap * 2 : 16;
		}
		mms[nr++] = mm;
	}
	ok = mm_mapcounts_valid_for(mms, nr);
	free(mms);
	return ok;
}
