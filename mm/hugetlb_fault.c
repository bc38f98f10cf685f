// SPDX-License-Identifier: GPL-2.0
/*
 * mm/hugetlb_fault.c - hugetlb VMAs in the page tables: the fault
 * (hugetlb_fault, hugetlb_no_page, hugetlb_wp), the zap
 * (unmap_hugepage_range), fork (copy_hugetlb_page_range), mprotect
 * (hugetlb_change_protection), GUP (hugetlb_follow_page), the usage
 * /proc shows, and the checkers.  Linux's mm/hugetlb.c, page-table half.
 * The generic code calls these at VMA level (is_vm_hugetlb_page), as
 * Linux does, so no PTE walker ever meets a hugetlb leaf.
 *
 * A huge page is mapped whole by one leaf: a PMD entry (x86 _PAGE_PSE,
 * arm64 block descriptor) or, for 1G pages, a PUD entry; or, for arm64's
 * contiguous sizes, by a run of CONT_PTES page descriptors or CONT_PMDS
 * blocks, naturally aligned, each with PTE_CONT, mapping consecutive
 * pieces of the folio with identical attributes.  A leaf (or run) is
 * handled as one pte_t value (Linux's huge_pte helpers; for a run, arm64's:
 * huge_ptep_get ors the Dirty/Accessed of every entry, set_huge_pte_at
 * writes every entry with the next frame, huge_ptep_get_and_clear clears
 * them all): pte_write/pte_dirty/... on it, arch_make_huge_pte after
 * pte_modify.  The leaf (a run's first entry) maps the folio's head; the
 * folio's entire mapcount counts leaves/runs (over every mm) and each holds
 * a reference.  TLB flushes use the entry's stride (PAGE_SIZE for a PTE
 * run), as the TLB holds one entry per PTE or block.
 *
 * Faults (fault_mutex held, Linux's hugetlb_fault_mutex): an empty leaf
 * gets a page (hugetlb_no_page): a shared object's page from its cache,
 * else a new zeroed folio from the pool (alloc_hugetlb_folio: the index's
 * reservation, else unreserved pages, else surplus, else VM_FAULT_SIGBUS);
 * a private read fault maps it read-only, a write fault or a shared
 * mapping writable when the VMA is.  A write to a read-only leaf
 * (hugetlb_wp): a shared mapping's leaf becomes writable; a private folio
 * mapped once and referenced once is reused; otherwise the huge page is
 * copied into a new folio (no pool page: SIGBUS; Linux would first unmap
 * the page from the children of the reservation's owner).  The old leaf is
 * cleared and its TLB entry flushed before the new one is set.
 *
 * Zap and mprotect change leaves under the mm's page_table_lock and flush
 * the range with the huge stride (flush_tlb_mm_range, huge_page_shift)
 * before a page's reference is dropped.  Fork copies every leaf: shared
 * mappings share the folio; private (COW) ones write-protect both leaves,
 * except a folio that may be DMA-pinned, which the child gets a copy of
 * now (Linux's copy_hugetlb_page_range).
 *
 * Locking: fault_mutex -> mm->page_table_lock -> hugetlb_lock; mmap_lock
 * held (read for faults and GUP, write for the others).
 *
 * Invariants (hugetlb_mm_is_valid, hugetlb_mapcounts_valid_for): every
 * leaf lies in a hugetlb VMA of its size at an aligned address and maps
 * the head of a PG_hugetlb folio of that order; every entry of a run has
 * PTE_CONT, the next frame and the first entry's attributes (but for the
 * per-entry Accessed/Dirty); a folio's entire mapcount
 * equals the leaves mapping it over every mm, and its refcount is at least
 * that (plus one for a shared object's cache).
 */
#include <stdlib.h>
#include <string.h>
#include <mmsim/highmem.h>
#include <mmsim/tlbflush.h>
#include "mm/hugetlb_internal.h"
#include "init/machine.h"

/* ---------------------------------------------------------------------
 * Leaves
 */

/*
 * A huge page's entries: one leaf, or (arm64) a run of num_contig()
 * CONT_PTES PTEs / CONT_PMDS blocks, each mapping the next
 * entry_size() bytes of the folio, all with PTE_CONT and the same
 * attributes (Linux's arch/arm64/mm/hugetlbpage.c).  The helpers below
 * treat a run as one entry, as Linux's arm64 huge_pte helpers do.
 */
static inline unsigned int entry_shift(const struct hstate *h)
{
	return pgt_geom()->shift[h->level];
}
static inline unsigned long num_contig(const struct hstate *h)
{
	return 1UL << (huge_page_shift(h) - entry_shift(h));
}
static inline void *contig_entry(void *ptep, unsigned long i)
{
	return (char *)ptep + (i << pgt_geom()->entry_shift);
}

/* The first entry of @h's page at @addr (aligned), NULL: no table for it. */
static void *huge_pte_offset(struct mm_struct *mm, unsigned long addr, struct hstate *h)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pud_t pe;
	pmd_t me;

	if (pgd_none(pgdp_get(pgd)) || !pgd_present(pgdp_get(pgd)))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(p4dp_get(p4d)) || !p4d_present(p4dp_get(p4d)))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (h->level == PGT_PUD)
		return pud;
	pe = pudp_get(pud);
	if (pud_none(pe) || !pud_present(pe) || pud_leaf(pe))
		return NULL;
	pmd = pmd_offset(pud, addr);
	if (h->level == PGT_PMD)
		return pmd;
	me = pmdp_get(pmd);
	if (pmd_none(me) || !pmd_present(me) || pmd_leaf(me))
		return NULL;
	return pte_offset_kernel(pmd, addr);
}

static void *huge_pte_alloc(struct mm_struct *mm, unsigned long addr, struct hstate *h)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d = p4d_alloc(mm, pgd, addr);
	pud_t *pud = p4d ? pud_alloc(mm, p4d, addr) : NULL;
	pmd_t *pmd;

	if (!pud || h->level == PGT_PUD)
		return pud;
	pmd = pmd_alloc(mm, pud, addr);
	if (!pmd || h->level == PGT_PMD)
		return pmd;
	return pte_alloc(mm, pmd) ? NULL : pte_offset_kernel(pmd, addr);
}

/* The page's entry: a run's first one with the Dirty and Accessed of all. */
static pte_t huge_ptep_get(struct hstate *h, void *ptep)
{
	pte_t orig = __pte(__pt_load(ptep));
	unsigned long n = num_contig(h);

	if (n == 1 || !pte_present(orig) || !pte_cont(orig))
		return orig;
	for (unsigned long i = 1; i < n; i++) {
		pte_t e = __pte(__pt_load(contig_entry(ptep, i)));

		if (pte_dirty(e))
			orig = pte_mkdirty(orig);
		if (pte_young(e))
			orig = pte_mkyoung(orig);
	}
	return orig;
}

/*
 * Set the page's entries from @pte (the first one's value): a run gets
 * consecutive frames, @pte's attributes in each.  Linux breaks before
 * make here (clears and flushes a live run first) because a real TLB may
 * hold the run as one entry; mmsim's TLB caches each entry by itself, so
 * the entries are rewritten in place, under the PTE lock, and the caller
 * flushes the range, as for a single leaf.
 */
static void set_huge_pte_at(struct hstate *h, void *ptep, pte_t pte)
{
	unsigned long n = num_contig(h);
	u64 step = (u64)1 << entry_shift(h);

	if (n == 1 || pte_none(pte)) {
		for (unsigned long i = 0; i < n; i++)
			__pt_store(contig_entry(ptep, i), pte_val(pte));
		return;
	}
	for (unsigned long i = 0; i < n; i++)
		__pt_store(contig_entry(ptep, i), pte_val(pte) + i * step);
}

/* Clear the page's entries; the first one's value, with the run's Dirty/Accessed. */
static pte_t huge_ptep_get_and_clear(struct hstate *h, void *ptep)
{
	pte_t orig = __pte(__pt_xchg(ptep, 0));
	unsigned long n = num_contig(h);

	for (unsigned long i = 1; i < n; i++) {
		pte_t e = __pte(__pt_xchg(contig_entry(ptep, i), 0));

		if (!pte_present(orig))
			continue;
		if (pte_dirty(e))
			orig = pte_mkdirty(orig);
		if (pte_young(e))
			orig = pte_mkyoung(orig);
	}
	return orig;
}

static inline struct folio *huge_pte_folio(pte_t pte)
{
	return (struct folio *)pfn_to_page(pte_pfn(pte));
}

/* arch_make_huge_pte: a block below the PTE level, PTE_CONT on a run. */
static pte_t arch_make_huge_pte(struct hstate *h, pte_t e)
{
	if (h->level != PGT_PTE)
		e = __pte(__pt_mkhuge(pte_val(e)));
	if (num_contig(h) > 1)
		e = pte_mkcont(e);
	return e;
}

/* make_huge_pte: a young leaf for @folio with @vma's protection. */
static pte_t make_huge_pte(struct vm_area_struct *vma, struct folio *folio, bool writable)
{
	pte_t e = pfn_pte(page_to_pfn(&folio->page), vma->vm_page_prot);

	e = arch_make_huge_pte(hstate_vma(vma), e);
	if (writable)
		e = pte_mkwrite_novma(pte_mkdirty(e));
	else
		e = pte_wrprotect(e);
	return pte_mkyoung(e);
}

/* huge_pte_modify: @pte with @newprot, keeping its pfn, Accessed and Dirty. */
static pte_t huge_pte_modify(struct hstate *h, pte_t pte, pgprot_t newprot)
{
	pte_t e = arch_make_huge_pte(h, pte_modify(pte, newprot));

	if (pte_young(pte))
		e = pte_mkyoung(e);
	if (pte_dirty(pte) && pgt_geom()->arm64)
		e = __pte(pte_val(e) | PTE_DIRTY);	/* software dirty: stays read-only */
	else if (pte_dirty(pte))
		e = pte_mkdirty(e);
	return e;
}

static void folio_add_leaf(struct folio *folio)
{
	atomic_fetch_add_explicit(&(&folio->page)[1]._entire_mapcount, 1, memory_order_relaxed);
	/* folio_mapcount (rmap walks, migration) counts the leaves too. */
	atomic_fetch_add_explicit(&(&folio->page)[1]._large_mapcount, 1, memory_order_relaxed);
}
static void folio_remove_leaf(struct folio *folio)
{
	atomic_fetch_sub_explicit(&(&folio->page)[1]._large_mapcount, 1, memory_order_relaxed);
	if (atomic_fetch_sub_explicit(&(&folio->page)[1]._entire_mapcount, 1, memory_order_relaxed) < 0)
		dump_page(&folio->page, "hugetlb: negative entire mapcount");
}

static void flush_hugetlb_tlb_range(struct vm_area_struct *vma, unsigned long start,
				    unsigned long end)
{
	/* the TLB holds one entry per PTE / block of a run: its stride */
	flush_tlb_mm_range(vma->vm_mm, start, end, entry_shift(hstate_vma(vma)), false);
}

/* Zero / copy a huge page: one memset through the direct map, or per
 * subpage through kmap for highmem (clear_huge_page, copy_user_large_folio). */
static void clear_huge_folio(struct hstate *h, struct folio *folio)
{
	struct page *head = &folio->page;

	if (!PageHighMem(head)) {
		memset(page_address(head), 0, huge_page_size(h));
		return;
	}
	for (unsigned long i = 0; i < pages_per_huge_page(h); i++)
		clear_highpage(head + i);
}

static void copy_huge_folio(struct hstate *h, struct folio *dst, struct folio *src)
{
	if (!PageHighMem(&dst->page) && !PageHighMem(&src->page)) {
		memcpy(page_address(&dst->page), page_address(&src->page), huge_page_size(h));
		return;
	}
	for (unsigned long i = 0; i < pages_per_huge_page(h); i++)
		copy_highpage(&dst->page + i, &src->page + i);
}

/* ---------------------------------------------------------------------
 * Faults
 */

static vm_fault_t hugetlb_no_page(struct mm_struct *mm, struct vm_area_struct *vma,
				  unsigned long haddr, void *ptep, unsigned int flags)
{
	struct hugetlb_obj *obj = vma_hugetlb_obj(vma);
	struct hstate *h = obj->h;
	unsigned long idx = vma_hugecache_offset(h, vma, haddr);
	spinlock_t *ptl = pte_lockptr(mm);
	struct folio *folio = NULL;
	bool writable;

	if (idx >= obj->nr)
		return VM_FAULT_SIGBUS;
	if (obj->shared)
		folio = hugetlb_obj_find_get(obj, idx);
	if (!folio) {
		folio = alloc_hugetlb_folio(vma, idx, true);
		if (!folio)
			return VM_FAULT_SIGBUS;	/* the pool ran dry */
		clear_huge_folio(h, folio);
		if (obj->shared) {
			/* the allocation's reference moves to the cache */
			if (WARN_ON_ONCE(!hugetlb_obj_add(obj, idx, folio))) {
				put_page(&folio->page);
				return 0;
			}
			get_page(&folio->page);
		}
	}
	writable = (vma->vm_flags & VM_WRITE) &&
		   ((vma->vm_flags & VM_MAYSHARE) || (flags & FAULT_FLAG_WRITE));
	spin_lock(ptl);
	if (!pte_none(huge_ptep_get(h, ptep))) {
		spin_unlock(ptl);
		put_page(&folio->page);
		return 0;
	}
	folio_add_leaf(folio);
	set_huge_pte_at(h, ptep, make_huge_pte(vma, folio, writable));
	spin_unlock(ptl);
	return 0;
}

/*
 * hugetlb_wp - a write (or unshare) fault on a present read-only leaf.
 * Called and returns with the PTE lock held.
 */
static vm_fault_t hugetlb_wp(struct mm_struct *mm, struct vm_area_struct *vma,
			     unsigned long haddr, void *ptep, pte_t entry, unsigned int flags)
{
	struct hstate *h = hstate_vma(vma);
	bool unshare = (flags & FAULT_FLAG_UNSHARE) && !(flags & FAULT_FLAG_WRITE);
	spinlock_t *ptl = pte_lockptr(mm);
	struct folio *old = huge_pte_folio(entry), *new;
	unsigned long idx = vma_hugecache_offset(h, vma, haddr);

	if (vma->vm_flags & VM_MAYSHARE) {
		if (!unshare)
			set_huge_pte_at(h, ptep, pte_mkyoung(pte_mkdirty(pte_mkwrite_novma(entry))));
		flush_hugetlb_tlb_range(vma, haddr, haddr + huge_page_size(h));
		return 0;
	}
	/* Only our leaf maps it, only our leaf holds it: reuse (wp_page_reuse). */
	if (folio_entire_mapcount(old) == 1 && page_ref_count(&old->page) == 1) {
		if (!unshare)
			set_huge_pte_at(h, ptep, pte_mkyoung(pte_mkdirty(pte_mkwrite_novma(entry))));
		flush_hugetlb_tlb_range(vma, haddr, haddr + huge_page_size(h));
		return 0;
	}
	get_page(&old->page);
	spin_unlock(ptl);
	new = alloc_hugetlb_folio(vma, idx, true);
	if (!new) {
		put_page(&old->page);
		spin_lock(ptl);
		return VM_FAULT_SIGBUS;
	}
	copy_huge_folio(h, new, old);
	spin_lock(ptl);
	if (pte_val(huge_ptep_get(h, ptep)) != pte_val(entry)) {
		/* changed under us: let the access retry */
		spin_unlock(ptl);
		put_page(&new->page);
		put_page(&old->page);
		spin_lock(ptl);
		return 0;
	}
	huge_ptep_get_and_clear(h, ptep);
	flush_hugetlb_tlb_range(vma, haddr, haddr + huge_page_size(h));
	folio_add_leaf(new);
	set_huge_pte_at(h, ptep, make_huge_pte(vma, new, !unshare && (vma->vm_flags & VM_WRITE)));
	folio_remove_leaf(old);
	spin_unlock(ptl);
	put_page(&old->page);	/* the leaf's reference */
	put_page(&old->page);	/* ours */
	spin_lock(ptl);
	return 0;
}

/**
 * hugetlb_fault - handle_mm_fault for a VM_HUGETLB VMA.
 * Context: mmap_lock held for reading.
 * Return: 0 (the access retries), VM_FAULT_OOM (no page table),
 * VM_FAULT_SIGBUS (no huge page to be had).
 */
vm_fault_t hugetlb_fault(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address,
			 unsigned int flags)
{
	struct hugetlb_state *hs = hugetlb_state();
	struct hstate *h = hstate_vma(vma);
	unsigned long haddr = address & huge_page_mask(h);
	spinlock_t *ptl = pte_lockptr(mm);
	vm_fault_t ret = 0;
	void *ptep;
	pte_t entry;

	pthread_mutex_lock(&hs->fault_mutex);
	ptep = huge_pte_alloc(mm, haddr, h);
	if (!ptep) {
		ret = VM_FAULT_OOM;
		goto out;
	}
	if (pte_none(huge_ptep_get(h, ptep))) {
		ret = hugetlb_no_page(mm, vma, haddr, ptep, flags);
		goto out;
	}
	spin_lock(ptl);
	entry = huge_ptep_get(h, ptep);
	if (!pte_none(entry) && (flags & (FAULT_FLAG_WRITE | FAULT_FLAG_UNSHARE)) &&
	    !pte_write(entry)) {
		ret = hugetlb_wp(mm, vma, haddr, ptep, entry, flags);
	} else if (!pte_none(entry)) {
		/* spurious: set Accessed (and Dirty) as the MMU would */
		entry = pte_mkyoung(entry);
		if (flags & FAULT_FLAG_WRITE)
			entry = pte_mkdirty(entry);
		set_huge_pte_at(h, ptep, entry);
	}
	spin_unlock(ptl);
out:
	pthread_mutex_unlock(&hs->fault_mutex);
	return ret;
}

/* ---------------------------------------------------------------------
 * Zap, fork, mprotect
 */

#define HUGETLB_ZAP_BATCH 32

/**
 * unmap_hugepage_range - clear the leaves of [start, end) (rounded out to
 * the huge size), flush their TLB entries, then drop each page.
 * Context: mmap_lock held (munmap, exit, MADV_DONTNEED).
 */
void unmap_hugepage_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct hstate *h = hstate_vma(vma);
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl = pte_lockptr(mm);
	struct folio *batch[HUGETLB_ZAP_BATCH];
	unsigned long sz = huge_page_size(h), addr, from;
	int n = 0;

	start &= huge_page_mask(h);
	end = (end + sz - 1) & huge_page_mask(h);
	for (addr = from = start; addr < end; addr += sz) {
		void *ptep;
		pte_t e;

		spin_lock(ptl);
		ptep = huge_pte_offset(mm, addr, h);
		e = ptep ? huge_ptep_get_and_clear(h, ptep) : __pte(0);
		if (!pte_none(e))
			folio_remove_leaf(huge_pte_folio(e));
		spin_unlock(ptl);
		if (pte_none(e))
			continue;
		batch[n++] = huge_pte_folio(e);
		if (n == HUGETLB_ZAP_BATCH) {
			flush_hugetlb_tlb_range(vma, from, addr + sz);
			while (n)
				put_page(&batch[--n]->page);
			from = addr + sz;
		}
	}
	if (n) {
		flush_hugetlb_tlb_range(vma, from, end);
		while (n)
			put_page(&batch[--n]->page);
	}
}

/**
 * copy_hugetlb_page_range - fork: the child's leaves of @src_vma.
 * Return: 0 or -ENOMEM.
 */
int copy_hugetlb_page_range(struct mm_struct *dst, struct mm_struct *src,
			    struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma)
{
	struct hstate *h = hstate_vma(src_vma);
	bool cow = is_cow_mapping(src_vma->vm_flags);
	unsigned long sz = huge_page_size(h);
	int ret = 0;

	for (unsigned long addr = src_vma->vm_start; addr < src_vma->vm_end; addr += sz) {
		void *src_ptep = huge_pte_offset(src, addr, h), *dst_ptep;
		struct folio *folio;
		pte_t e;

		if (!src_ptep || pte_none(huge_ptep_get(h, src_ptep)))
			continue;
		dst_ptep = huge_pte_alloc(dst, addr, h);
		if (!dst_ptep) {
			ret = -ENOMEM;
			break;
		}
		spin_lock(pte_lockptr(src));
		e = huge_ptep_get(h, src_ptep);
		folio = huge_pte_folio(e);
		if (cow && folio_maybe_dma_pinned(folio)) {
			/* a pinned page stays the parent's: the child gets a copy */
			struct folio *new;

			get_page(&folio->page);
			spin_unlock(pte_lockptr(src));
			new = alloc_hugetlb_folio(dst_vma, vma_hugecache_offset(h, dst_vma, addr),
						  false);
			if (new)
				copy_huge_folio(h, new, folio);
			put_page(&folio->page);
			if (!new) {
				ret = -ENOMEM;
				break;
			}
			folio_add_leaf(new);
			set_huge_pte_at(h, dst_ptep,
					make_huge_pte(dst_vma, new, dst_vma->vm_flags & VM_WRITE));
			continue;
		}
		if (cow && pte_write(e)) {
			e = pte_wrprotect(e);
			set_huge_pte_at(h, src_ptep, e);
		}
		get_page(&folio->page);
		folio_add_leaf(folio);
		set_huge_pte_at(h, dst_ptep, e);
		spin_unlock(pte_lockptr(src));
	}
	if (cow)
		flush_tlb_mm_range(src, src_vma->vm_start, src_vma->vm_end, entry_shift(h), false);
	return ret;
}

/**
 * hugetlb_change_protection - mprotect of [address, end) of a hugetlb VMA:
 * every leaf gets @newprot (keeping Accessed/Dirty); the range is flushed.
 * Return: the leaves changed, in base pages (Linux counts huge pages times
 * pages_per_huge_page).
 */
long hugetlb_change_protection(struct vm_area_struct *vma, unsigned long address,
			       unsigned long end, pgprot_t newprot)
{
	struct hstate *h = hstate_vma(vma);
	struct mm_struct *mm = vma->vm_mm;
	unsigned long sz = huge_page_size(h), start = address & huge_page_mask(h);
	long pages = 0;

	spin_lock(pte_lockptr(mm));
	for (unsigned long addr = start; addr < end; addr += sz) {
		void *ptep = huge_pte_offset(mm, addr, h);
		pte_t e;

		if (!ptep || pte_none(e = huge_ptep_get(h, ptep)))
			continue;
		set_huge_pte_at(h, ptep, huge_pte_modify(h, e, newprot));
		pages += (long)pages_per_huge_page(h);
	}
	spin_unlock(pte_lockptr(mm));
	if (pages)
		flush_hugetlb_tlb_range(vma, start, end);
	return pages;
}

/* ---------------------------------------------------------------------
 * GUP and /proc
 */

int hugetlb_follow_page(struct vm_area_struct *vma, unsigned long address, unsigned int flags,
			struct page **pagep)
{
	struct hstate *h = hstate_vma(vma);
	struct mm_struct *mm = vma->vm_mm;
	struct folio *folio;
	int ret = 0;
	void *ptep;
	pte_t e;

	spin_lock(pte_lockptr(mm));
	ptep = huge_pte_offset(mm, address & huge_page_mask(h), h);
	e = ptep ? huge_ptep_get(h, ptep) : __pte(0);
	if (pte_none(e) || !pte_present(e) || pte_protnone(e) ||
	    ((flags & FOLL_WRITE) && !pte_write(e))) {
		ret = -EAGAIN;
		goto out;
	}
	folio = huge_pte_folio(e);
	/* a pin of a private page others map too: unshare it first */
	if ((flags & FOLL_PIN) && !(vma->vm_flags & VM_MAYSHARE) && !pte_write(e) &&
	    folio_entire_mapcount(folio) > 1) {
		ret = -EBUSY;
		goto out;
	}
	if (flags & FOLL_PIN) {
		/* A large folio's pin: one reference and _pincount (gup.c). */
		atomic_fetch_add_explicit(&folio->page._refcount, 1, memory_order_relaxed);
		atomic_fetch_add_explicit(&folio_page(folio, 1)->_pincount, 1, memory_order_release);
		mod_node_page_state(page_pgdat(&folio->page), NR_FOLL_PIN_ACQUIRED, 1);
	} else if (flags & FOLL_GET)
		get_page(&folio->page);
	*pagep = &folio->page + ((address & ~huge_page_mask(h)) >> PAGE_SHIFT);
out:
	spin_unlock(pte_lockptr(mm));
	return ret;
}

bool hugetlb_page_mapped(struct vm_area_struct *vma, unsigned long addr)
{
	struct hstate *h = hstate_vma(vma);
	void *ptep;
	bool ret;

	spin_lock(pte_lockptr(vma->vm_mm));
	ptep = huge_pte_offset(vma->vm_mm, addr & huge_page_mask(h), h);
	ret = ptep && pte_present(huge_ptep_get(h, ptep));
	spin_unlock(pte_lockptr(vma->vm_mm));
	return ret;
}

/* Adds the bytes of @vma's leaves to *@shared or *@private_ by whether the
 * folio is mapped more than once (smaps_hugetlb_range). */
void hugetlb_vma_usage(struct vm_area_struct *vma, unsigned long *shared, unsigned long *private_)
{
	struct hstate *h = hstate_vma(vma);
	unsigned long sz = huge_page_size(h);

	spin_lock(pte_lockptr(vma->vm_mm));
	for (unsigned long addr = vma->vm_start; addr < vma->vm_end; addr += sz) {
		void *ptep = huge_pte_offset(vma->vm_mm, addr, h);
		pte_t e;

		if (!ptep || pte_none(e = huge_ptep_get(h, ptep)))
			continue;
		if (folio_entire_mapcount(huge_pte_folio(e)) > 1)
			*shared += sz;
		else
			*private_ += sz;
	}
	spin_unlock(pte_lockptr(vma->vm_mm));
}

/* HugetlbPages of /proc/PID/status (Linux's mm->hugetlb_usage). */
unsigned long hugetlb_mm_usage_kb(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	unsigned long kb = 0;
	VMA_ITERATOR(vmi, mm, 0);

	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		unsigned long s = 0, p = 0;

		if (!is_vm_hugetlb_page(vma))
			continue;
		hugetlb_vma_usage(vma, &s, &p);
		kb += (s + p) >> 10;
	}
	mmap_read_unlock(mm);
	return kb;
}

/* ---------------------------------------------------------------------
 * Checkers
 */

/*
 * A contiguous run (arm64): every entry has PTE_CONT, maps the next
 * entry-sized piece of the folio (consecutive pfns) and carries the first
 * one's attributes but for Accessed and Dirty, which hardware sets per entry
 * (AF, AP[2] cleared through DBM) and huge_ptep_get ors together.
 */
static bool run_is_bad(struct hstate *h, void *ptep, unsigned long addr, const char *who)
{
	const u64 ad = PTE_AF | PTE_RDONLY | PTE_DIRTY, mask = ~(pgt_geom()->phys_mask | ad);
	unsigned long n = num_contig(h), step = 1UL << (entry_shift(h) - PAGE_SHIFT);
	pte_t first = __pte(__pt_load(ptep));

	if (n == 1)
		return false;
	for (unsigned long i = 0; i < n; i++) {
		pte_t e = __pte(__pt_load(contig_entry(ptep, i)));

		if (pte_present(first) && pte_cont(e) && pte_pfn(e) == pte_pfn(first) + i * step &&
		    (pte_val(e) & mask) == (pte_val(first) & mask))
			continue;
		pr_err("%s: contiguous run at %lx: entry %lu is %llx, the first %llx\n", who, addr, i,
		       (unsigned long long)pte_val(e), (unsigned long long)pte_val(first));
		return true;
	}
	return false;
}

static bool leaf_is_bad(struct vm_area_struct *vma, unsigned long addr, pte_t e)
{
	struct hstate *h = hstate_vma(vma);
	struct folio *folio;

	if (!pte_present(e)) {
		pr_err("hugetlb_mm_is_valid: non-present leaf %llx at %lx\n",
		       (unsigned long long)pte_val(e), addr);
		return true;
	}
	if (pte_pfn(e) & (pages_per_huge_page(h) - 1)) {
		pr_err("hugetlb_mm_is_valid: leaf at %lx maps unaligned pfn %lx\n", addr, pte_pfn(e));
		return true;
	}
	folio = huge_pte_folio(e);
	if (!folio_test_hugetlb(folio) || compound_order(&folio->page) != h->order) {
		pr_err("hugetlb_mm_is_valid: leaf at %lx maps pfn %lx, no hugetlb folio of order %u\n",
		       addr, pte_pfn(e), h->order);
		dump_page(&folio->page, "not a hugetlb folio");
		return true;
	}
	if (pte_write(e) && !(vma->vm_flags & VM_WRITE)) {
		pr_err("hugetlb_mm_is_valid: writable leaf at %lx in a read-only VMA\n", addr);
		return true;
	}
	return false;
}

/* Every leaf of every hugetlb VMA of @mm (mmap_lock taken here). */
bool hugetlb_mm_is_valid(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	bool ok = true;
	VMA_ITERATOR(vmi, mm, 0);

	mmap_read_lock(mm);
	spin_lock(pte_lockptr(mm));
	for_each_vma(vmi, vma) {
		struct hstate *h;

		if (!is_vm_hugetlb_page(vma))
			continue;
		h = hstate_vma(vma);
		if ((vma->vm_start | vma->vm_end) & ~huge_page_mask(h)) {
			pr_err("hugetlb_mm_is_valid: VMA %lx-%lx not aligned to %lu\n", vma->vm_start,
			       vma->vm_end, huge_page_size(h));
			ok = false;
			break;
		}
		for (unsigned long a = vma->vm_start; a < vma->vm_end && ok; a += huge_page_size(h)) {
			void *ptep = huge_pte_offset(mm, a, h);
			pte_t e;

			if (ptep && !pte_none(e = huge_ptep_get(h, ptep)) &&
			    (leaf_is_bad(vma, a, e) || run_is_bad(h, ptep, a, "hugetlb_mm_is_valid")))
				ok = false;
		}
		if (!ok)
			break;
	}
	spin_unlock(pte_lockptr(mm));
	mmap_read_unlock(mm);
	return ok;
}

struct leaf_count {
	unsigned long pfn;
	unsigned int leaves;
};

static int leaf_count_cmp(const void *a, const void *b)
{
	const struct leaf_count *x = a, *y = b;

	return x->pfn < y->pfn ? -1 : x->pfn > y->pfn;
}

/*
 * hugetlb_mapcounts_valid_for - over @mms (every mm of the machine), each
 * hugetlb folio's entire mapcount equals the leaves mapping it and its
 * refcount is at least that; every folio in use that nobody maps is held
 * by a shared object's cache or a pin.
 */
bool hugetlb_mapcounts_valid_for(struct mm_struct **mms, int nr)
{
	struct leaf_count *lc = NULL;
	size_t n = 0, cap = 0;
	bool ok = true;

	for (int i = 0; i < nr && ok; i++) {
		struct vm_area_struct *vma;
		VMA_ITERATOR(vmi, mms[i], 0);

		mmap_read_lock(mms[i]);
		spin_lock(pte_lockptr(mms[i]));
		for_each_vma(vmi, vma) {
			struct hstate *h;

			if (!is_vm_hugetlb_page(vma))
				continue;
			h = hstate_vma(vma);
			for (unsigned long a = vma->vm_start; a < vma->vm_end; a += huge_page_size(h)) {
				void *ptep = huge_pte_offset(mms[i], a, h);
				pte_t e;

				if (!ptep || pte_none(e = huge_ptep_get(h, ptep)))
					continue;
				if (run_is_bad(h, ptep, a, "hugetlb_mapcounts_valid_for")) {
					ok = false;
					break;
				}
				if (n == cap) {
					struct leaf_count *nl;

					cap = cap ? 2 * cap : 64;
					nl = realloc(lc, cap * sizeof(*lc));
					if (!nl) {
						ok = false;
						break;
					}
					lc = nl;
				}
				lc[n].pfn = pte_pfn(e);
				lc[n++].leaves = 1;
			}
		}
		spin_unlock(pte_lockptr(mms[i]));
		mmap_read_unlock(mms[i]);
	}
	if (ok && n)
		qsort(lc, n, sizeof(*lc), leaf_count_cmp);
	for (size_t i = 0; i < n && ok;) {
		size_t j = i;
		struct page *head = pfn_to_page(lc[i].pfn);

		while (j < n && lc[j].pfn == lc[i].pfn)
			j++;
		if (folio_entire_mapcount((struct folio *)head) != (int)(j - i) ||
		    page_ref_count(head) < (int)(j - i)) {
			pr_err("hugetlb_mapcounts_valid_for: pfn %lx entire mapcount %d refcount %d, mapped by %zu leaves\n",
			       lc[i].pfn, folio_entire_mapcount((struct folio *)head),
			       page_ref_count(head), j - i);
			ok = false;
		}
		i = j;
	}
	free(lc);
	return ok;
}
