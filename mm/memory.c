// SPDX-License-Identifier: GPL-2.0
/*
 * mm/memory.c - the page-fault handler and the zapping of user page
 * tables (Linux's mm/memory.c; fork's copy_page_range is in
 * mm/memory_copy.c).
 *
 * Theory.  A user address space is described twice: by its VMAs (what the
 * program may touch: mm/mmap.c) and by its page tables (what the MMU
 * translates now).  Page tables are filled lazily.  When the MMU finds no
 * usable translation it raises a fault; the arch entry (arch/fault.c)
 * finds the VMA, checks the access against it and calls handle_mm_fault(),
 * which makes the translation exist and lets the access retry:
 *
 *   handle_mm_fault -> __handle_mm_fault: allocate the tables down to the
 *     PTE (walk_to_pte_alloc) -> handle_pte_fault:
 *       PTE none, anonymous VMA  -> do_anonymous_page: a read maps the
 *         machine's shared zero page read-only (no rmap, no RSS); a write
 *         allocates a zeroed page (highmem allowed:
 *         cleared through kmap_local_page), gives it an anon rmap marked
 *         PageAnonExclusive, and maps it young, dirty and writable when the
 *         VMA is VM_WRITE; MM_ANONPAGES++;
 *       PTE none, VMA with vm_ops -> do_fault: ->fault (filemap_fault,
 *         mm/filemap_fault.c; shmem_fault, mm/shmem.c) hands back the
 *         file's page at vmf->pgoff with a reference, locked
 *         (VM_FAULT_LOCKED; __do_fault locks it otherwise):
 *         do_read_fault first maps the cached neighbours without I/O
 *         (fault-around: ->map_pages over the fault_around_bytes window,
 *         /sys/kernel/debug/fault_around_bytes) and calls ->fault only if
 *         that missed the address; do_cow_fault (a write to a private
 *         file mapping) copies the page into a new anonymous one
 *         (MM_ANONPAGES, anon rmap); do_shared_fault calls ->page_mkwrite,
 *         maps it writable and dirty and dirties the folio
 *         (fault_dirty_shared_page: folio_mark_dirty through the
 *         mapping's ->dirty_folio, balance_dirty_pages_ratelimited);
 *         finish_fault maps with a file rmap (page->mapping = the
 *         address_space, MM_SHMEMPAGES or MM_FILEPAGES: mm_counter_file);
 *         a read fault of a shared VMA maps with vm_page_prot, read-only
 *         when the VMA wants write notification (vma_set_page_prot);
 *       PTE none, other VMA      -> VM_FAULT_SIGBUS;
 *       a swap PTE (non-present) -> do_swap_page (mm/memory_swap.c): the
 *         page comes back from the swap cache or the swap area;
 *       write to a read-only PTE -> do_wp_page: a shared mapping's page
 *         is made writable after ->page_mkwrite and dirtied
 *         (wp_page_shared); an anonymous page known exclusive (PageAnonExclusive,
 *         or our PTE is its only reference: Linux 6.x's
 *         wp_can_reuse_anon_folio) is reused in place; otherwise
 *         wp_page_copy copies it (the zero page "copies" as a zeroed page),
 *         replaces the PTE after clearing it with a TLB flush of that
 *         address on every CPU of the mm (ptep_clear_flush), and drops the
 *         old mapping and its reference;
 *       FAULT_FLAG_UNSHARE (R/O pins of a shared anon page) runs the same
 *         copy but leaves the new PTE read-only;
 *       otherwise (a spurious fault: another CPU already fixed the PTE)
 *         the entry gets Accessed (and Dirty on a write) and the access
 *         retries.
 *   A fault that finds the PTE changed under it returns 0: the access is
 *   retried and faults again if it must.  mm_account_fault() counts every
 *   completed fault in PGFAULT (failed ones too, as Linux) and the
 *   successful ones in current->min_flt/maj_flt (major: VM_FAULT_MAJOR,
 *   which filemap_fault returns when it had to read the page; it counts
 *   PGMAJFAULT itself, as Linux).
 *
 * unmap_mapping_range/unmap_mapping_pages (truncation, invalidation) walk
 * the file's i_mmap under i_mmap_rwsem and zap the file range in each VMA,
 * private COW copies only with even_cows.
 *
 * Zapping (munmap, MADV_DONTNEED, exit): unmap_page_range clears PTEs,
 * drops the rmap and RSS, and hands each page to the mmu_gather, which
 * frees it only after the TLB flush of the range (a CPU may use a stale
 * translation until then; its swap cache goes then too if nobody else
 * uses the slot: free_swap_cache).  A swap PTE drops its slot's count and,
 * if only the swap cache is left, that too (free_swap_and_cache), and
 * MM_SWAPENTS.  do_wp_page may reuse an exclusive anon folio that the
 * swap cache still references: it tries to drop the cache first (Linux
 * 6.x's wp_can_reuse_anon_folio).
 *
 * Locking.  mmap_lock is held (for reading in the fault path, for writing
 * to zap a range being unmapped); page-table pages are freed only under
 * the write lock, so a PTE pointer found under the read lock stays valid.
 * The PTE lock is the mm's page_table_lock (pte_lockptr): every PTE change
 * that is not the MMU's atomic A/D update happens under it, after the
 * fault re-checked that the entry still holds what it saw (pte_same).
 * Page allocation happens with the PTE lock dropped.
 *
 * Invariants (checked by mm_is_valid / mm_mapcounts_are_valid, mm/debug_vm.c):
 *   - every present PTE lies inside a VMA; it is writable only in a
 *     VM_WRITE VMA and never maps the zero page writable;
 *   - MM_ANONPAGES == the present PTEs mapping anonymous pages, and
 *     MM_SHMEMPAGES / MM_FILEPAGES those mapping shmem / other file pages;
 *     MM_SWAPENTS == the swap PTEs, each in a private VMA;
 *   - a page's _mapcount + 1 == the PTEs mapping it, over every mm;
 *   - a page's refcount >= its mapcount (+ pins * GUP_PIN_COUNTING_BIAS).
 */
#include <stdio.h>
#include "mm/swap_internal.h"
#include "mm/fault_internal.h"
#include <mmsim/swapops.h>
#include <mmsim/highmem.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include "init/init.h"
#include "init/machine.h"
#include "mm/pagecache_internal.h"
#include <mmsim/hugetlb.h>
#include <mmsim/huge_mm.h>

/* ---------------------------------------------------------------------
 * The "memory" subsystem: the zero page, the rmap caches, exception-trace
 */

static int memory_init(struct mmsim *m, char *err, size_t errlen)
{
	struct memory_state *ms = subsys_state(m, memory);

	ms->show_unhandled_signals = 1;
	if (anon_vma_init(ms)) {
		snprintf(err, errlen, "memory: no anon_vma caches");
		return -ENOMEM;
	}
	return 0;
}

static void memory_exit(struct mmsim *m)
{
	struct memory_state *ms = subsys_state(m, memory);
	struct page *zero = __atomic_load_n(&ms->zero_page, __ATOMIC_ACQUIRE);

	anon_vma_exit(ms);
	if (zero) {
		ClearPageReserved(zero);
		__free_page(zero);
		ms->zero_page = NULL;
	}
}

static int memory_sysctl_init(struct mmsim *m, char *err, size_t errlen)
{
	int ret = exception_trace_sysctl_init(subsys_state(m, memory));

	if (ret)
		snprintf(err, errlen, "memory: debug.exception-trace: %d", ret);
	return ret;
}

static const struct initcall memory_initcalls[] = {
	core_initcall(memory_init, memory_exit),
	fs_initcall(memory_sysctl_init, NULL),
};

DEFINE_SUBSYSTEM(memory, SUBSYS_STATE(struct memory_state, NULL),
		 SUBSYS_INITCALLS(memory_initcalls));

struct memory_state *memory_state(void)
{
	return subsys_state(current_machine(), memory);
}

/*
 * The machine's zero page.  Linux's lives in the kernel image; mmsim takes
 * it from the buddy allocator at the first use (so that a machine that
 * runs no process allocates nothing), marks it reserved, and frees it at
 * shutdown.  Two first users race with a cmpxchg; the loser frees its page.
 */
struct page *mm_zero_page(void)
{
	struct memory_state *ms = memory_state();
	struct page *zero = __atomic_load_n(&ms->zero_page, __ATOMIC_ACQUIRE), *expected = NULL;

	if (likely(zero))
		return zero;
	zero = alloc_page(GFP_KERNEL | __GFP_ZERO | __GFP_NOFAIL);
	if (WARN_ON(!zero))
		return NULL;
	SetPageReserved(zero);
	if (!__atomic_compare_exchange_n(&ms->zero_page, &expected, zero, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		ClearPageReserved(zero);
		__free_page(zero);
		zero = expected;
	}
	return zero;
}

unsigned long mm_zero_pfn(void)
{
	struct page *zero = __atomic_load_n(&memory_state()->zero_page, __ATOMIC_ACQUIRE);

	return zero ? page_to_pfn(zero) : ~0UL;
}

/* ---------------------------------------------------------------------
 * Small page-table helpers
 */

/* The PMD entry covering @addr under a present PMD table, or NULL. */
pmd_t *mm_find_pmd(struct mm_struct *mm, unsigned long addr)
{
	pgd_t *pgd = pgd_offset(mm, addr);
	p4d_t *p4d;
	pud_t *pud;

	if (pgd_none(pgdp_get(pgd)) || !pgd_present(pgdp_get(pgd)))
		return NULL;
	p4d = p4d_offset(pgd, addr);
	if (p4d_none(p4dp_get(p4d)) || !p4d_present(p4dp_get(p4d)))
		return NULL;
	pud = pud_offset(p4d, addr);
	if (pud_none(pudp_get(pud)) || !pud_present(pudp_get(pud)) || pud_leaf(pudp_get(pud)))
		return NULL;
	return pmd_offset(pud, addr);
}

pte_t *mm_find_pte(struct mm_struct *mm, unsigned long addr)
{
	pmd_t *pmd = mm_find_pmd(mm, addr);

	if (!pmd || pmd_none(pmdp_get(pmd)) || !pmd_present(pmdp_get(pmd)) ||
	    pmd_leaf(pmdp_get(pmd)))
		return NULL;
	return pte_offset_map(pmd, addr);
}

/*
 * The PMD entry covering the first address in [*addrp, end) under a
 * present PMD table: *addrp is moved there (empty upper levels and PUD
 * leaves are skipped a whole entry at a time); NULL at the end of the
 * range.  The entry may be none, a table or a leaf: the caller looks.
 */
pmd_t *mm_next_pmd(struct mm_struct *mm, unsigned long *addrp, unsigned long end)
{
	unsigned long addr = *addrp;

	while (addr < end) {
		pgd_t *pgd = pgd_offset(mm, addr);
		p4d_t *p4d;
		pud_t *pud;
		unsigned long next;

		if (pgd_none(pgdp_get(pgd)) || !pgd_present(pgdp_get(pgd))) {
			next = pgd_addr_end(addr, end);
			goto skip;
		}
		p4d = p4d_offset(pgd, addr);
		if (p4d_none(p4dp_get(p4d)) || !p4d_present(p4dp_get(p4d))) {
			next = p4d_addr_end(addr, end);
			goto skip;
		}
		pud = pud_offset(p4d, addr);
		if (pud_none(pudp_get(pud)) || !pud_present(pudp_get(pud)) ||
		    pud_leaf(pudp_get(pud))) {
			next = pud_addr_end(addr, end);
			goto skip;
		}
		*addrp = addr;
		return pmd_offset(pud, addr);
skip:
		if (next <= addr)	/* wrapped at the top of the address space */
			break;
		addr = next;
	}
	*addrp = end;
	return NULL;
}

/*
 * The PTE table covering the first address in [addr, end) that has one:
 * *addrp is moved there (skipping empty upper levels a whole entry at a
 * time); NULL when the range has no PTE table left.
 */
pte_t *mm_next_pte_table(struct mm_struct *mm, unsigned long *addrp, unsigned long end)
{
	pmd_t *pmd;

	while ((pmd = mm_next_pmd(mm, addrp, end))) {
		unsigned long addr = *addrp, next;
		pmd_t e = pmdp_get(pmd);

		if (!pmd_none(e) && pmd_present(e) && !pmd_leaf(e))
			return pte_offset_map(pmd, addr);
		next = pmd_addr_end(addr, end);
		if (next <= addr)
			break;
		*addrp = next;
	}
	*addrp = end;
	return NULL;
}

struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte)
{
	unsigned long pfn = pte_pfn(pte);

	(void)addr;
	if (!pte_present(pte) || is_zero_pfn(pfn))
		return NULL;
	if (vma->vm_flags & (VM_PFNMAP | VM_MIXEDMAP))
		return NULL;
	if (unlikely(!pfn_valid(pfn))) {
		pr_alert("BUG: Bad page map in process %s  pte:%08llx\n",
			 current ? current->comm : "?", (unsigned long long)pte_val(pte));
		return NULL;
	}
	return pfn_to_page(pfn);
}

/* Clear a PTE and flush its TLB entry on every CPU of the mm. */
static pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long address, pte_t *ptep)
{
	pte_t pte = ptep_get_and_clear(vma->vm_mm, address, ptep);

	if (pte_present(pte))
		flush_tlb_page(vma, address);
	return pte;
}

int ptep_clear_flush_young(struct vm_area_struct *vma, unsigned long address, pte_t *ptep)
{
	int young = ptep_test_and_clear_young(vma, address, ptep);

	if (young)
		flush_tlb_page(vma, address);
	return young;
}

/* Set the A/D (and W) bits a fault asks for without losing the MMU's. */
static bool ptep_set_access_flags(pte_t *ptep, pte_t orig, pte_t entry)
{
	u64 old = pte_val(orig);

	if (pte_val(entry) == old)
		return false;
	while (!__pt_cmpxchg(ptep, &old, pte_val(entry) | (old & pgt_geom()->b_young))) {
		if (pte_pfn(__pte(old)) != pte_pfn(entry) || !pte_present(__pte(old)))
			return false;
	}
	return true;
}

static inline pte_t maybe_mkwrite(pte_t pte, struct vm_area_struct *vma)
{
	if (likely(vma->vm_flags & VM_WRITE))
		pte = pte_mkwrite(pte, vma);
	return pte;
}

static inline bool pte_same(pte_t a, pte_t b)
{
	return pte_val(a) == pte_val(b);
}

/* Same page and rights; the MMU may have set A/D meanwhile. */
static inline bool pte_same_but_ad(pte_t a, pte_t b)
{
	u64 ad = pgt_geom()->b_young | (pgt_geom()->arm64 ? 0 : _PAGE_DIRTY);

	return ((pte_val(a) ^ pte_val(b)) & ~ad) == 0;
}


/* A zeroed user page (GFP_HIGHUSER_MOVABLE: highmem on i386). */
static struct page *alloc_zeroed_user_page(void)
{
	struct page *page = alloc_page(GFP_HIGHUSER_MOVABLE);

	if (page)
		clear_highpage(page);
	return page;
}

/* Before the PTE is set (the PTE lock held): what Linux's
 * __folio_mark_uptodate and folio_add_lru_vma do for a new anon folio:
 * mlocked in a VM_LOCKED VMA, and onto the node's LRU (mm/swap.c). */
static void folio_setup_new_anon(struct vm_area_struct *vma, struct folio *folio)
{
	folio_add_lru_vma(folio, vma);
}

/* ---------------------------------------------------------------------
 * The fault handler
 */

static vm_fault_t do_anonymous_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl = pte_lockptr(mm);
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	struct page *page;
	pte_t entry;

	/* A read of private memory maps the shared zero page read-only. */
	if (!write && !(vma->vm_flags & VM_SHARED)) {
		entry = pfn_pte(page_to_pfn(mm_zero_page()), vma->vm_page_prot);
		entry = pte_wrprotect(entry);
		spin_lock(ptl);
		if (!pte_none(ptep_get(vmf->pte))) {
			spin_unlock(ptl);
			return 0;
		}
		set_pte_at(mm, vmf->address, vmf->pte, entry);
		spin_unlock(ptl);
		return 0;
	}

	if (unlikely(anon_vma_prepare_once(vma)))
		return VM_FAULT_OOM;
	page = alloc_zeroed_user_page();
	if (!page)
		return VM_FAULT_OOM;

	SetPageUptodate(page);
	entry = mk_pte(page, vma->vm_page_prot);
	entry = pte_mkyoung(entry);
	if (write && (vma->vm_flags & VM_WRITE))
		entry = pte_mkwrite(pte_mkdirty(entry), vma);

	spin_lock(ptl);
	if (!pte_none(ptep_get(vmf->pte))) {
		spin_unlock(ptl);
		__free_page(page);
		return 0;
	}
	inc_mm_counter(mm, MM_ANONPAGES);
	folio_add_new_anon_rmap(page_folio(page), vma, vmf->address, RMAP_EXCLUSIVE);
	folio_setup_new_anon(vma, page_folio(page));
	set_pte_at(mm, vmf->address, vmf->pte, entry);
	spin_unlock(ptl);
	return 0;
}

/*
 * wp_page_copy - break COW: copy the page (or make a zeroed one for the
 * zero page) and map the copy instead.  Called with the PTE lock dropped
 * and a reference on the old page (vmf->page, NULL for the zero page).
 */
static vm_fault_t wp_page_copy(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	bool unshare = vmf->flags & FAULT_FLAG_UNSHARE;
	struct page *old_page = vmf->page, *new_page, *to_put = NULL;
	spinlock_t *ptl = pte_lockptr(mm);
	pte_t entry;

	if (unlikely(anon_vma_prepare_once(vma)))
		goto oom;
	if (!old_page) {
		new_page = alloc_zeroed_user_page();
	} else {
		new_page = alloc_page(GFP_HIGHUSER_MOVABLE);
		if (new_page)
			copy_highpage(new_page, old_page);
	}
	if (!new_page)
		goto oom;
	SetPageUptodate(new_page);

	spin_lock(ptl);
	if (likely(pte_same_but_ad(ptep_get(vmf->pte), vmf->orig_pte))) {
		if (old_page && !page_is_anon(old_page)) {
			dec_mm_counter(mm, mm_counter_file(page_folio(old_page)));
			inc_mm_counter(mm, MM_ANONPAGES);
		} else if (!old_page) {
			inc_mm_counter(mm, MM_ANONPAGES);
		}
		entry = mk_pte(new_page, vma->vm_page_prot);
		entry = pte_mkyoung(entry);
		if (!unshare)
			entry = maybe_mkwrite(pte_mkdirty(entry), vma);
		else
			entry = pte_wrprotect(entry);
		ptep_clear_flush(vma, vmf->address, vmf->pte);
		folio_add_new_anon_rmap(page_folio(new_page), vma, vmf->address, RMAP_EXCLUSIVE);
		folio_setup_new_anon(vma, page_folio(new_page));
		set_pte_at(mm, vmf->address, vmf->pte, entry);
		if (old_page) {
			folio_remove_rmap_pte(page_folio(old_page), old_page, vma);
			to_put = old_page;	/* the mapping's reference */
		}
		spin_unlock(ptl);
		new_page = NULL;
	} else {
		spin_unlock(ptl);
	}
	if (new_page)
		__free_page(new_page);
	if (to_put)
		put_page(to_put);
	if (old_page)
		put_page(old_page);	/* do_wp_page's reference */
	return 0;
oom:
	if (old_page)
		put_page(old_page);
	return VM_FAULT_OOM;
}

/*
 * May the anonymous page mapped read-only by this fault be reused in place?
 * Linux 6.x's wp_can_reuse_anon_folio: only when our PTE holds its only
 * reference (no other mapping, no pin, no GUP reference).
 */
static bool wp_can_reuse_anon_folio(struct folio *folio, struct vm_area_struct *vma)
{
	/* acquire: what the last reference's holder did is visible */
	int refs = atomic_load_explicit(&folio->page._refcount, memory_order_acquire);

	/* A PTE-mapped THP's references are its 512 PTEs' (Linux <= 6.12). */
	if (folio_test_large(folio))
		return false;
	/*
	 * The swap cache holds a reference of its own: a folio whose slot
	 * nobody else uses leaves the cache (folio_free_swap, under the
	 * folio lock we can only try here) and is then ours alone.
	 */
	if (refs > 1 + folio_test_swapcache(folio))
		return false;
	if (refs != 1) {
		if (!folio_trylock(folio))
			return false;
		if (folio_test_swapcache(folio))
			folio_free_swap(folio);
		refs = atomic_load_explicit(&folio->page._refcount, memory_order_acquire);
		folio_unlock(folio);
		if (refs != 1)
			return false;
	}
	folio_move_anon_rmap(folio, vma);
	return true;
}

static vm_fault_t do_page_mkwrite(struct vm_fault *vmf, struct folio *folio);
static vm_fault_t fault_dirty_shared_page(struct vm_fault *vmf, struct folio *folio);

/* Write-enable the PTE in place, dirty and young; drops the PTE lock. */
static void wp_page_reuse(struct vm_fault *vmf)
{
	pte_t entry = pte_mkyoung(vmf->orig_pte);

	entry = maybe_mkwrite(pte_mkdirty(entry), vmf->vma);
	ptep_set_access_flags(vmf->pte, vmf->orig_pte, entry);
	spin_unlock(pte_lockptr(vmf->vma->vm_mm));
}

/*
 * wp_page_shared - the first write to a shared file page mapped read-only
 * for write notification: ->page_mkwrite (with the PTE lock dropped; the
 * PTE must still be the one we saw), write-enable the PTE, dirty the
 * folio and throttle (Linux's).  Called with the PTE lock held.
 */
static vm_fault_t wp_page_shared(struct vm_fault *vmf, struct folio *folio)
{
	struct vm_area_struct *vma = vmf->vma;
	spinlock_t *ptl = pte_lockptr(vma->vm_mm);
	vm_fault_t ret = 0, tmp;

	get_page(&folio->page);
	if (vma->vm_ops && vma->vm_ops->page_mkwrite) {
		spin_unlock(ptl);
		tmp = do_page_mkwrite(vmf, folio);
		if (unlikely(!tmp || (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)))) {
			put_page(&folio->page);
			return tmp;
		}
		/* finish_mkwrite_fault */
		spin_lock(ptl);
		if (!pte_same_but_ad(ptep_get(vmf->pte), vmf->orig_pte)) {
			spin_unlock(ptl);
			folio_unlock(folio);
			put_page(&folio->page);
			return VM_FAULT_NOPAGE;
		}
		vmf->orig_pte = ptep_get(vmf->pte);
		wp_page_reuse(vmf);
	} else {
		wp_page_reuse(vmf);
		folio_lock(folio);
	}
	ret |= fault_dirty_shared_page(vmf, folio);
	put_page(&folio->page);
	return ret;
}

/* Called with the PTE lock held; returns with it dropped (do_swap_page calls it too). */
vm_fault_t do_wp_page(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	bool unshare = vmf->flags & FAULT_FLAG_UNSHARE;
	spinlock_t *ptl = pte_lockptr(vma->vm_mm);
	struct page *page = vm_normal_page(vma, vmf->address, vmf->orig_pte);
	pte_t entry;

	vmf->page = page;
	if (vma->vm_flags & VM_SHARED) {
		if (unshare) {
			spin_unlock(ptl);
			return 0;
		}
		if (page)
			return wp_page_shared(vmf, page_folio(page));
		if (!is_zero_pfn(pte_pfn(vmf->orig_pte))) {
			/* wp_pfn_shared: write-enable in place. */
			entry = pte_mkyoung(pte_mkdirty(vmf->orig_pte));
			entry = maybe_mkwrite(entry, vma);
			ptep_set_access_flags(vmf->pte, vmf->orig_pte, entry);
			spin_unlock(ptl);
			return 0;
		}
	}
	if (page && page_is_anon(page) &&
	    (page_anon_exclusive(page) || wp_can_reuse_anon_folio(page_folio(page), vma))) {
		if (!page_anon_exclusive(page))
			page_flag_set(page, PG_anon_exclusive);
		if (unshare) {
			spin_unlock(ptl);
			return 0;
		}
		/* wp_page_reuse */
		entry = pte_mkyoung(vmf->orig_pte);
		entry = maybe_mkwrite(pte_mkdirty(entry), vma);
		ptep_set_access_flags(vmf->pte, vmf->orig_pte, entry);
		spin_unlock(ptl);
		return 0;
	}
	if (page)
		get_page(page);
	spin_unlock(ptl);
	return wp_page_copy(vmf);
}

/*
 * finish_fault / set_pte_range: map the page the fault produced -- the
 * private copy (vmf->cow_page) for a write fault of a private mapping,
 * the file's page (vmf->page, locked and referenced by ->fault) otherwise
 * -- unless another CPU mapped something first (VM_FAULT_NOPAGE: the
 * caller drops its reference).  The PTE is young; dirty and writable on a
 * write fault; a read fault maps with vm_page_prot, which is read-only in
 * a shared VMA that wants write notification (vma_set_page_prot), so the
 * first write goes through do_wp_page -> wp_page_shared.
 */
static vm_fault_t finish_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *mm = vma->vm_mm;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	bool cow = write && !(vma->vm_flags & VM_SHARED);
	struct page *page = cow ? vmf->cow_page : vmf->page;
	struct folio *folio = page_folio(page);
	spinlock_t *ptl = pte_lockptr(mm);
	pte_t entry;

	entry = mk_pte(page, vma->vm_page_prot);
	entry = pte_mkyoung(entry);
	if (write)
		entry = maybe_mkwrite(pte_mkdirty(entry), vma);
	spin_lock(ptl);
	if (!pte_none(ptep_get(vmf->pte))) {
		spin_unlock(ptl);
		return VM_FAULT_NOPAGE;
	}
	if (cow) {
		inc_mm_counter(mm, MM_ANONPAGES);
		folio_add_new_anon_rmap(folio, vma, vmf->address, RMAP_EXCLUSIVE);
		folio_setup_new_anon(vma, folio);
	} else {
		inc_mm_counter(mm, mm_counter_file(folio));
		folio_add_file_rmap_pte(folio, page, vma);
		if (unlikely((vma->vm_flags & (VM_LOCKED | VM_SPECIAL)) == VM_LOCKED))
			mlock_new_folio(folio);
	}
	set_pte_at(mm, vmf->address, vmf->pte, entry);
	spin_unlock(ptl);
	return 0;			/* the page's reference is the PTE's now */
}

/* ->fault, and the page it found locked (Linux's __do_fault). */
static vm_fault_t __do_fault(struct vm_fault *vmf)
{
	vm_fault_t ret;

	vmf->page = NULL;
	ret = vmf->vma->vm_ops->fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY | VM_FAULT_DONE_COW)))
		return ret;
	if (WARN_ON_ONCE(!vmf->page))
		return VM_FAULT_SIGBUS;
	if (!(ret & VM_FAULT_LOCKED))
		folio_lock(page_folio(vmf->page));
	else
		WARN_ON_ONCE(!folio_test_locked(page_folio(vmf->page)));
	return ret;
}

/*
 * Mark a file folio dirty through its mapping's ->dirty_folio (which tags
 * it for writeback); a mapping without one (shmem's, Linux's
 * noop_dirty_folio) just gets PG_dirty.  True if it was clean.
 */
static bool fault_folio_mark_dirty(struct folio *folio)
{
	struct address_space *mapping = __atomic_load_n(&folio->page.mapping, __ATOMIC_ACQUIRE);

	if (mapping && !((unsigned long)mapping & PAGE_MAPPING_ANON) && mapping->a_ops &&
	    mapping->a_ops->dirty_folio)
		return folio_mark_dirty(folio);
	return !(__atomic_fetch_or(&folio->page.flags, 1UL << PG_dirty, __ATOMIC_RELAXED) &
		 (1UL << PG_dirty));
}

/*
 * The shared page of this write fault became writable: dirty it, unlock
 * it, update the file's times (when ->page_mkwrite did not) and throttle
 * the dirtier (Linux's fault_dirty_shared_page).
 */
static vm_fault_t fault_dirty_shared_page(struct vm_fault *vmf, struct folio *folio)
{
	struct vm_area_struct *vma = vmf->vma;
	bool page_mkwrite = vma->vm_ops && vma->vm_ops->page_mkwrite;
	struct address_space *mapping;
	bool dirtied;

	dirtied = fault_folio_mark_dirty(folio);
	/* folio->mapping may be cleared by truncate after the unlock; the
	 * address_space stays pinned by vma->vm_file. */
	mapping = __atomic_load_n(&folio->page.mapping, __ATOMIC_ACQUIRE);
	folio_unlock(folio);
	if (!page_mkwrite && vma->vm_file)
		file_update_time(vma->vm_file);
	if ((dirtied || page_mkwrite) && mapping)
		balance_dirty_pages_ratelimited(mapping);
	return 0;
}

/*
 * ->page_mkwrite for the (unlocked, referenced) folio; returns with it
 * locked and VM_FAULT_LOCKED, or 0 to retry the fault (it was truncated),
 * or an error / VM_FAULT_NOPAGE (Linux's do_page_mkwrite).
 */
static vm_fault_t do_page_mkwrite(struct vm_fault *vmf, struct folio *folio)
{
	unsigned int old_flags = vmf->flags;
	vm_fault_t ret;

	vmf->flags = FAULT_FLAG_WRITE | FAULT_FLAG_MKWRITE;
	ret = vmf->vma->vm_ops->page_mkwrite(vmf);
	vmf->flags = old_flags;
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)))
		return ret;
	if (unlikely(!(ret & VM_FAULT_LOCKED))) {
		folio_lock(folio);
		if (!__atomic_load_n(&folio->page.mapping, __ATOMIC_ACQUIRE)) {
			folio_unlock(folio);
			return 0;
		}
		ret |= VM_FAULT_LOCKED;
	}
	return ret;
}

/* Fault-around: how many pages around the address ->map_pages may map. */
static bool should_fault_around(struct vm_fault *vmf)
{
	if (!vmf->vma->vm_ops->map_pages)
		return false;
	return fault_around_pages() > 1;	/* one page: no fault-around */
}

/*
 * do_fault_around - map the cached pages of the fault_around_bytes-aligned
 * window holding the address, clamped to the VMA and to the PTE table
 * (Linux's): VM_FAULT_NOPAGE if that mapped the faulting address.
 */
static vm_fault_t do_fault_around(struct vm_fault *vmf)
{
	unsigned long nr_pages = fault_around_pages();
	unsigned long pte_off = pte_index(vmf->address);
	unsigned long vma_off = vmf->pgoff - vmf->vma->vm_pgoff;	/* in the VMA */
	unsigned long from_pte, to_pte;

	from_pte = max(pte_off & ~(nr_pages - 1), pte_off - min(pte_off, vma_off));
	to_pte = min(min(from_pte + nr_pages, (unsigned long)PTRS_PER_PTE),
		     pte_off + vma_pages(vmf->vma) - vma_off) - 1;
	return vmf->vma->vm_ops->map_pages(vmf, vmf->pgoff + from_pte - pte_off,
					   vmf->pgoff + to_pte - pte_off);
}

/* A read of an unmapped page: fault-around first, ->fault if that missed it. */
static vm_fault_t do_read_fault(struct vm_fault *vmf)
{
	struct folio *folio;
	vm_fault_t ret = 0;

	if (should_fault_around(vmf)) {
		ret = do_fault_around(vmf);
		if (ret)
			return ret;
	}
	ret = __do_fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))
		return ret;
	ret |= finish_fault(vmf);
	folio = page_folio(vmf->page);
	folio_unlock(folio);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))
		put_page(&folio->page);
	return ret;
}

/*
 * A write to an unmapped page of a private file mapping: a private copy
 * of the cached page, mapped writable with an anon rmap (the file keeps
 * its page: Linux's do_cow_fault).
 */
static vm_fault_t do_cow_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret;

	if (unlikely(anon_vma_prepare_once(vma)))
		return VM_FAULT_OOM;
	vmf->cow_page = alloc_page(GFP_HIGHUSER_MOVABLE);
	if (!vmf->cow_page)
		return VM_FAULT_OOM;
	ret = __do_fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))
		goto uncharge_out;
	if (ret & VM_FAULT_DONE_COW)
		return ret;
	copy_highpage(vmf->cow_page, vmf->page);
	SetPageUptodate(vmf->cow_page);
	ret |= finish_fault(vmf);
	folio_unlock(page_folio(vmf->page));
	put_page(vmf->page);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))
		goto uncharge_out;
	return ret;
uncharge_out:
	__free_page(vmf->cow_page);
	vmf->cow_page = NULL;
	return ret;
}

/*
 * A write to an unmapped page of a shared file mapping: ->page_mkwrite
 * (the file system may refuse, e.g. beyond EOF), map it writable and
 * dirty, dirty the folio and throttle (Linux's do_shared_fault).
 */
static vm_fault_t do_shared_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct folio *folio;
	vm_fault_t ret, tmp;

	ret = __do_fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY)))
		return ret;
	folio = page_folio(vmf->page);
	if (vma->vm_ops->page_mkwrite) {
		folio_unlock(folio);
		tmp = do_page_mkwrite(vmf, folio);
		if (unlikely(!tmp || (tmp & (VM_FAULT_ERROR | VM_FAULT_NOPAGE)))) {
			put_page(&folio->page);
			return tmp;
		}
	}
	ret |= finish_fault(vmf);
	if (unlikely(ret & (VM_FAULT_ERROR | VM_FAULT_NOPAGE | VM_FAULT_RETRY))) {
		folio_unlock(folio);
		put_page(&folio->page);
		return ret;
	}
	ret |= fault_dirty_shared_page(vmf, folio);
	return ret;
}

/* A fault on an empty PTE of a VMA with vm_ops (Linux's do_fault). */
static vm_fault_t do_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	if (!vma->vm_ops->fault)
		return VM_FAULT_SIGBUS;
	if (!(vmf->flags & FAULT_FLAG_WRITE))
		return do_read_fault(vmf);
	if (!(vma->vm_flags & VM_SHARED))
		return do_cow_fault(vmf);
	return do_shared_fault(vmf);
}

static vm_fault_t handle_pte_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	spinlock_t *ptl = pte_lockptr(vma->vm_mm);
	pte_t entry;

	vmf->orig_pte = ptep_get(vmf->pte);
	vmf->flags |= FAULT_FLAG_ORIG_PTE_VALID;
	if (pte_none(vmf->orig_pte)) {
		if (vma_is_anonymous(vma))
			return do_anonymous_page(vmf);
		return do_fault(vmf);
	}
	if (!pte_present(vmf->orig_pte))
		return do_swap_page(vmf);	/* mm/memory_swap.c */
	if (pte_protnone(vmf->orig_pte)) {
		/* No NUMA hinting: a PROT_NONE PTE left in an accessible VMA
		 * gets the VMA's protection back (do_numa_page's restore). */
		if (!vma_is_accessible(vma))
			return VM_FAULT_SIGSEGV;
		spin_lock(ptl);
		if (pte_same(ptep_get(vmf->pte), vmf->orig_pte))
			set_pte_at(vma->vm_mm, vmf->address, vmf->pte,
				   pte_modify(vmf->orig_pte, vma->vm_page_prot));
		spin_unlock(ptl);
		return 0;
	}

	spin_lock(ptl);
	entry = ptep_get(vmf->pte);
	if (unlikely(!pte_same_but_ad(entry, vmf->orig_pte))) {
		spin_unlock(ptl);
		return 0;
	}
	vmf->orig_pte = entry;
	if (vmf->flags & (FAULT_FLAG_WRITE | FAULT_FLAG_UNSHARE)) {
		if (!pte_write(entry))
			return do_wp_page(vmf);
		if (vmf->flags & FAULT_FLAG_WRITE)
			entry = pte_mkdirty(entry);
	}
	entry = pte_mkyoung(entry);
	/* A spurious fault: the MMU walks again on a TLB entry without the right. */
	ptep_set_access_flags(vmf->pte, vmf->orig_pte, entry);
	spin_unlock(ptl);
	return 0;
}

static vm_fault_t __handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
				    unsigned int flags)
{
	struct vm_fault vmf = {
		.vma = vma,
		.address = address & PAGE_MASK,
		.real_address = address,
		.flags = flags,
		.pgoff = linear_page_index(vma, address),
		.gfp_mask = GFP_HIGHUSER_MOVABLE,
	};

	/* The PMD level: a THP fault or a PMD leaf (mm/huge_memory.c). */
	vmf.pmd = mm_pmd_alloc(vma->vm_mm, vmf.address);
	if (!vmf.pmd)
		return VM_FAULT_OOM;
	if (vma_is_anonymous(vma) && !(vma->vm_flags & (VM_SHARED | VM_HUGETLB)) &&
	    hugepage_pmd_supported()) {
		vm_fault_t ret = handle_huge_pmd_fault(&vmf);

		if (!(ret & VM_FAULT_FALLBACK))
			return ret;
	}
	if (unlikely(pte_alloc(vma->vm_mm, vmf.pmd)))
		return VM_FAULT_OOM;
	if (unlikely(pmd_trans_huge(pmdp_get(vmf.pmd))))
		return 0;	/* another thread mapped a THP: retry */
	vmf.pte = pte_offset_map(vmf.pmd, vmf.address);
	return handle_pte_fault(&vmf);
}

/*
 * mm_account_fault - Linux 6.4+'s: a retried fault is counted once it
 * completes; PGFAULT counts completed faults, failed ones included (as
 * older kernels did); the task's min_flt/maj_flt count successful ones
 * only (major: VM_FAULT_MAJOR, or it had to be retried).  PGMAJFAULT is
 * counted where the I/O happens (swap-in, file read), not here.  The RSS
 * high-water mark is not updated here (Linux updates it lazily, before
 * RSS goes down: zap, exit; readers take max(hiwater_rss, rss)).
 */
static void mm_account_fault(struct mm_struct *mm, struct pt_regs *regs, unsigned long address,
			     unsigned int flags, vm_fault_t ret)
{
	struct task_struct *tsk = current;
	bool major;

	(void)mm;
	(void)regs;
	(void)address;
	if (ret & VM_FAULT_RETRY)
		return;
	count_vm_event(PGFAULT);
	if (ret & VM_FAULT_ERROR)
		return;
	major = (ret & VM_FAULT_MAJOR) || (flags & FAULT_FLAG_TRIED);
	if (tsk) {
		if (major)
			tsk->maj_flt++;
		else
			tsk->min_flt++;
	}
}

/* The fault flags a VMA cannot satisfy at all (Linux's sanitize_fault_flags
 * and the GUP/arch permission checks, as a safety net). */
static vm_fault_t check_fault_flags(struct vm_area_struct *vma, unsigned int *flags)
{
	if (*flags & FAULT_FLAG_UNSHARE) {
		if (*flags & FAULT_FLAG_WRITE) {
			WARN_ON_ONCE(1);
			return VM_FAULT_SIGSEGV;
		}
		if (!is_cow_mapping(vma->vm_flags))
			*flags &= ~FAULT_FLAG_UNSHARE;
	}
	/* No FOLL_FORCE writes to read-only mappings (ptrace) yet.  Reads of
	 * PROT_NONE memory are allowed, as in Linux: mlock populates it. */
	if ((*flags & FAULT_FLAG_WRITE) && !(vma->vm_flags & VM_WRITE))
		return VM_FAULT_SIGSEGV;
	return 0;
}

vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags, struct pt_regs *regs)
{
	struct mm_struct *mm = vma->vm_mm;
	vm_fault_t ret;

	mmap_assert_locked(mm);
	ret = check_fault_flags(vma, &flags);
	if (!ret) {
		if (address < vma->vm_start || address >= vma->vm_end) {
			WARN_ON_ONCE(1);
			ret = VM_FAULT_SIGSEGV;
		} else if (is_vm_hugetlb_page(vma)) {
			ret = hugetlb_fault(mm, vma, address, flags);
		} else {
			ret = __handle_mm_fault(vma, address, flags);
		}
	}
	mm_account_fault(mm, regs, address, flags, ret);
	return ret;
}

/* ---------------------------------------------------------------------
 * Zapping
 */

/* update_hiwater_rss, safe against zaps under the read lock (MADV_DONTNEED). */
static void hiwater_rss_update(struct mm_struct *mm)
{
	unsigned long rss = get_mm_rss(mm);
	unsigned long old = __atomic_load_n(&mm->hiwater_rss, __ATOMIC_RELAXED);

	while (old < rss && !__atomic_compare_exchange_n(&mm->hiwater_rss, &old, rss, false,
							 __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

static bool should_zap_cows(struct zap_details *details)
{
	return !details || details->even_cows;
}

static void zap_pte_range(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long addr,
			  unsigned long end, struct zap_details *details)
{
	struct mm_struct *mm = tlb->mm;
	spinlock_t *ptl = pte_lockptr(mm);
	long rss[NR_MM_COUNTERS] = { 0 };
	pte_t *pte = mm_find_pte(mm, addr);

	if (!pte)
		return;
	spin_lock(ptl);
	for (; addr != end; addr += PAGE_SIZE, pte = pte_next(pte)) {
		pte_t ptent = ptep_get(pte);
		struct page *page;

		if (pte_none(ptent))
			continue;
		if (!pte_present(ptent)) {
			swp_entry_t entry = pte_to_swp_entry(ptent);

			/* A migration entry: the page it names counts in the rss
			 * (Linux's zap_nonpresent_ptes); the migration finds the
			 * entry gone and maps the new page one place less. */
			if (is_migration_entry(entry)) {
				struct folio *folio = pfn_swap_entry_folio(entry);

				if (folio_test_anon(folio) && !should_zap_cows(details))
					continue;
				rss[folio_test_anon(folio) ? MM_ANONPAGES : mm_counter_file(folio)]--;
				pte_clear(mm, addr, pte);
				continue;
			}
			/* A swap entry: a private anonymous page swapped out. */
			if (!should_zap_cows(details))
				continue;
			if (likely(is_swap_pte(ptent) && !non_swap_entry(pte_to_swp_entry(ptent)))) {
				rss[MM_SWAPENTS]--;
				free_swap_and_cache(pte_to_swp_entry(ptent));
			}
			pte_clear(mm, addr, pte);
			continue;
		}
		page = vm_normal_page(vma, addr, ptent);
		if (page && page_is_anon(page) && !should_zap_cows(details))
			continue;
		ptent = ptep_get_and_clear(mm, addr, pte);
		tlb_remove_tlb_entry(tlb, pte, addr);
		if (!page)
			continue;
		if (page_is_anon(page)) {
			rss[MM_ANONPAGES]--;
		} else {
			rss[mm_counter_file(page_folio(page))]--;
			if (pte_dirty(ptent))
				fault_folio_mark_dirty(page_folio(page));
		}
		if (pte_young(ptent) && !(vma->vm_flags & VM_SEQ_READ))
			page_flag_set(page, PG_referenced);
		folio_remove_rmap_pte(page_folio(page), page, vma);
		if (unlikely(page_mapcount(page) < 0))
			dump_page(page, "bad pte (negative mapcount)");
		/* The PTE's reference: dropped after the TLB flush.  A full
		 * batch flushes, which may free pages: no lock needed for it
		 * but ours is a spinlock, which is fine in mmsim. */
		tlb_remove_page(tlb, page);
	}
	spin_unlock(ptl);
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		if (rss[i])
			add_mm_counter(mm, i, rss[i]);
}

/*
 * The PMD leaves of [addr, end) first (zap_pmd_range's huge case): one the
 * range covers whole goes at once, one it cuts is split and its PTEs are
 * zapped below with the rest.
 */
static void zap_huge_pmds(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long addr,
			  unsigned long end, struct zap_details *details)
{
	pmd_t *pmd;

	if (!should_zap_cows(details))
		return;		/* only anonymous (COW) memory has PMD leaves */
	for (unsigned long a = addr; a < end && (pmd = mm_next_huge_pmd(tlb->mm, &a, end));
	     a += HPAGE_PMD_SIZE) {
		if (a >= addr && a + HPAGE_PMD_SIZE <= end)
			zap_huge_pmd(tlb, vma, pmd, a);
		else
			split_huge_pmd(vma, pmd, max(a, addr));
	}
}

void unmap_page_range(struct mmu_gather *tlb, struct vm_area_struct *vma,
		      unsigned long addr, unsigned long end, struct zap_details *details)
{
	if (vma_may_have_thp(vma))
		zap_huge_pmds(tlb, vma, addr, end, details);
	while (addr < end && mm_next_pte_table(tlb->mm, &addr, end)) {
		unsigned long next = pmd_addr_end(addr, end);

		zap_pte_range(tlb, vma, addr, next, details);
		addr = next;
	}
}

static void unmap_single_vma(struct mmu_gather *tlb, struct vm_area_struct *vma,
			     unsigned long start_addr, unsigned long end_addr,
			     struct zap_details *details)
{
	unsigned long start = max(vma->vm_start, start_addr);
	unsigned long end;

	if (start >= vma->vm_end)
		return;
	end = min(vma->vm_end, end_addr);
	if (end <= vma->vm_start)
		return;
	if (start == end)
		return;
	if (is_vm_hugetlb_page(vma))
		unmap_hugepage_range(vma, start, end);	/* flushes and frees itself */
	else
		unmap_page_range(tlb, vma, start, end, details);
}

void unmap_vmas(struct mmu_gather *tlb, struct ma_state *mas, struct vm_area_struct *vma,
		unsigned long start_addr, unsigned long end_addr, unsigned long tree_end)
{
	struct zap_details details = { .even_cows = true };

	hiwater_rss_update(vma->vm_mm);
	do {
		unmap_single_vma(tlb, vma, start_addr, end_addr, &details);
		vma = mas ? mas_find(mas, tree_end - 1) : NULL;
	} while (vma);
}

void zap_page_range_single(struct vm_area_struct *vma, unsigned long address,
			   unsigned long size, struct zap_details *details)
{
	struct mmu_gather tlb;
	unsigned long end = address + size;

	tlb_gather_mmu(&tlb, vma->vm_mm);
	hiwater_rss_update(vma->vm_mm);
	unmap_single_vma(&tlb, vma, address, end, details);
	tlb_finish_mmu(&tlb);
}

/* ---------------------------------------------------------------------
 * Unmapping a file's pages from every mm (truncation, invalidation)
 */

/*
 * unmap_mapping_pages - zap the PTEs mapping pages [start, start + nr) of
 * @mapping in every VMA on its i_mmap (nr 0: to the end of the file);
 * private COW copies (anon pages in private VMAs) only with @even_cows
 * (Linux's: truncation zaps them, invalidation keeps them).  Takes
 * i_mmap_rwsem for reading: a VMA leaves i_mmap before its page tables
 * are freed, so the walk never reaches freed tables.
 */
void unmap_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t nr,
			 bool even_cows)
{
	struct zap_details details = { .even_cows = even_cows };
	pgoff_t first_index = start, last_index = start + nr - 1;
	struct vm_area_struct *vma;

	if (!nr || last_index < first_index)
		last_index = ULONG_MAX;
	i_mmap_lock_read(mapping);
	list_for_each_entry(vma, &mapping->i_mmap, shared) {
		pgoff_t vba = vma->vm_pgoff, vea = vba + vma_pages(vma) - 1, zba, zea;

		if (vea < first_index || vba > last_index)
			continue;
		zba = max(first_index, vba);
		zea = min(last_index, vea);
		zap_page_range_single(vma, ((zba - vba) << PAGE_SHIFT) + vma->vm_start,
				      (zea - zba + 1) << PAGE_SHIFT, &details);
	}
	i_mmap_unlock_read(mapping);
}

/*
 * unmap_mapping_range - the bytes [holebegin, holebegin + holelen) (0: to
 * the end of the file), rounded out to whole pages (Linux's).
 */
void unmap_mapping_range(struct address_space *mapping, loff_t const holebegin,
			 loff_t const holelen, int even_cows)
{
	pgoff_t hba = (pgoff_t)holebegin >> PAGE_SHIFT;
	pgoff_t hlen = ((pgoff_t)holelen + PAGE_SIZE - 1) >> PAGE_SHIFT;

	if (holelen > 0 && (u64)holebegin + (u64)holelen < (u64)holebegin)
		hlen = ULONG_MAX - hba + 1;	/* overflow: to the end */
	unmap_mapping_pages(mapping, hba, hlen, even_cows);
}
