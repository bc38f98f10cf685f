// SPDX-License-Identifier: GPL-2.0
/*
 * mm/migrate_ptes.c - the page-table half of page migration: replacing
 * every PTE of a folio by a migration entry (Linux's try_to_migrate, which
 * lives in mm/rmap.c there), turning the entries back into PTEs of the new
 * folio (remove_migration_ptes) and waiting on an entry from the fault
 * path (migration_entry_wait).  mm/migrate.c drives the steps.
 *
 * Migration entries.  A non-present PTE whose swap type is
 * SWP_MIGRATION_WRITE, SWP_MIGRATION_READ_EXCLUSIVE or SWP_MIGRATION_READ
 * (the top three of the 32 types, <mmsim/swap.h>) and whose offset is the
 * pfn of the old folio, plus Linux's young and dirty bits above the pfn
 * (<mmsim/swapops.h>).  The type remembers what the PTE allowed: WRITE for
 * a writable PTE, READ_EXCLUSIVE for a read-only PTE of a PageAnonExclusive
 * page (the bit is cleared on the page and comes back from the entry),
 * READ otherwise.  An entry holds no reference and no mapcount: both go
 * with the PTE (the MM_* rss counters stay, as Linux's).  It exists only
 * while the old folio is locked by the migrating thread, which is what
 * migration_entry_wait waits for.
 *
 * Locking.  The folio lock of the old folio is held throughout.  The rmap
 * walks trylock the anon_vma / i_mmap lock and each mm's PTE lock for
 * try_to_migrate (migration may run inside an allocation -- direct
 * compaction -- that holds one of them: the folio then stays mapped and the
 * caller retries, -EAGAIN), and take them for remove_migration_ptes: an mm
 * whose PTE lock was free when its entries were made is not locked by this
 * thread later, and an mm with no entry of ours is not locked at all (the
 * PTE is read first without the lock; only this thread, holding the folio
 * lock, makes entries naming this pfn, and fork copies them under both PTE
 * locks).  TLB: every PTE cleared is flushed on every CPU that may cache it
 * (flush_tlb_page: the mm's CPUs) before its entry is visible; an entry
 * turned back into a PTE needs no flush (non-present entries are not
 * cached).
 *
 * Invariants (mm/debug_vm.c checks them): a migration entry lies in a VMA
 * that may map its folio (rmap finds it), names a locked folio, and that
 * folio has no present PTE; the rss counters count the entry as the page
 * it names (anon, file or shmem).
 */
#include <mmsim/swapops.h>
#include <mmsim/rmap.h>
#include <mmsim/migrate.h>
#include <mmsim/pagemap.h>
#include <mmsim/tlbflush.h>
#include <mmsim/writeback.h>
#include "mm/fault_internal.h"
#include "mm/vma_internal.h"
#include "mm/pagecache_internal.h"

bool migration_entry_supports_ad(void)
{
	return max_swapfile_size() >= (1UL << SWP_MIG_TOTAL_BITS);
}

/* ---------------------------------------------------------------------
 * try_to_migrate
 */

struct ttm_arg {
	enum ttu_flags flags;
	bool failed;		/* a PTE had to stay: stop */
};

/* Linux's try_to_migrate_one for an order-0 folio mapped at @address. */
static bool try_to_migrate_one(struct folio *folio, struct vm_area_struct *vma,
			       unsigned long address, void *arg)
{
	struct ttm_arg *ta = arg;
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl = pte_lockptr(mm);
	struct page *page = &folio->page;
	unsigned long pfn = page_to_pfn(page);
	bool anon_exclusive;
	swp_entry_t entry;
	pte_t *ptep, pteval, swp_pte;

	if (!spin_trylock(ptl)) {
		ta->failed = true;
		return false;
	}
	ptep = page_vma_mapped_pte(mm, address, pfn);
	if (!ptep) {
		spin_unlock(ptl);
		return true;
	}
	anon_exclusive = folio_test_anon(folio) && PageAnonExclusive(page);
	/* Linux's folio_try_share_anon_rmap_pte: a maybe-pinned exclusive
	 * page may not lose its PTE (the pin's owner writes through it). */
	if (anon_exclusive && folio_maybe_dma_pinned(folio)) {
		spin_unlock(ptl);
		ta->failed = true;
		return false;
	}
	pteval = ptep_get_and_clear(mm, address, ptep);
	flush_tlb_page(vma, address);		/* ptep_clear_flush */
	if (pte_dirty(pteval))
		folio_mark_dirty(folio);
	if (anon_exclusive)
		ClearPageAnonExclusive(page);

	if (pte_write(pteval))
		entry = make_writable_migration_entry(pfn);
	else if (anon_exclusive)
		entry = make_readable_exclusive_migration_entry(pfn);
	else
		entry = make_readable_migration_entry(pfn);
	if (pte_young(pteval))
		entry = make_migration_entry_young(entry);
	if (pte_dirty(pteval))
		entry = make_migration_entry_dirty(entry);
	swp_pte = swp_entry_to_pte(entry);
	set_pte_at(mm, address, ptep, swp_pte);
	/* The rss counter stays: the entry counts as the page (Linux). */
	folio_remove_rmap_pte(folio, page, vma);
	spin_unlock(ptl);
	put_page(page);			/* the PTE's reference */
	return true;
}

static int folio_not_mapped(struct folio *folio)
{
	return !folio_mapped(folio);
}

void try_to_migrate(struct folio *folio, enum ttu_flags flags)
{
	struct ttm_arg ta = { .flags = flags };
	struct rmap_walk_control rwc = {
		.rmap_one = try_to_migrate_one,
		.arg = &ta,
		.done = folio_not_mapped,
		.try_lock = true,
	};

	WARN_ON_ONCE(!folio_test_locked(folio));
	if (flags & TTU_RMAP_LOCKED)
		rmap_walk_locked(folio, &rwc);
	else
		rmap_walk(folio, &rwc);
}

/* ---------------------------------------------------------------------
 * remove_migration_ptes
 */

/* Is the PTE at @ptep a migration entry naming @pfn? */
static bool pte_is_migration_of(pte_t pte, unsigned long pfn)
{
	swp_entry_t entry;

	if (pte_none(pte) || pte_present(pte))
		return false;
	entry = pte_to_swp_entry(pte);
	return is_migration_entry(entry) && swp_offset_pfn(entry) == pfn;
}

/* Linux's remove_migration_pte: @arg is the old folio; @folio the one to map. */
static bool remove_migration_pte(struct folio *folio, struct vm_area_struct *vma,
				 unsigned long address, void *arg)
{
	struct folio *src = arg;
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl = pte_lockptr(mm);
	unsigned long old_pfn = page_to_pfn(&src->page);
	struct page *new = &folio->page;
	rmap_t rmap_flags = RMAP_NONE;
	swp_entry_t entry;
	pte_t *ptep, old, pte;

	ptep = mm_find_pte(mm, address);
	if (!ptep || !pte_is_migration_of(ptep_get(ptep), old_pfn))
		return true;		/* none of ours here: do not even lock */
	spin_lock(ptl);
	old = ptep_get(ptep);
	if (!pte_is_migration_of(old, old_pfn)) {
		spin_unlock(ptl);
		return true;
	}
	entry = pte_to_swp_entry(old);
	get_page(new);
	pte = mk_pte(new, vma->vm_page_prot);
	if (!is_migration_entry_young(entry))
		pte = pte_mkold(pte);
	else
		pte = pte_mkyoung(pte);
	if (folio_test_dirty(folio) && is_migration_entry_dirty(entry))
		pte = pte_mkdirty(pte);
	if (is_writable_migration_entry(entry))
		pte = pte_mkwrite(pte, vma);
	if (folio_test_anon(folio) && !is_readable_migration_entry(entry))
		rmap_flags |= RMAP_EXCLUSIVE;
	if (folio_test_anon(folio))
		folio_add_anon_rmap_pte(folio, new, vma, address, rmap_flags);
	else
		folio_add_file_rmap_pte(folio, new, vma);
	set_pte_at(mm, address, ptep, pte);
	/* mlock follows the mapping (Linux's rmap add does mlock_vma_folio). */
	if (vma->vm_flags & VM_LOCKED)
		mlock_new_folio(folio);
	spin_unlock(ptl);
	/* A non-present entry was never cached by a TLB: nothing to flush. */
	return true;
}

/**
 * remove_migration_ptes - turn the migration entries naming @src back into
 * PTEs, mapping @dst (the new folio on success, @src itself on failure)
 * @flags: RMP_LOCKED when the caller holds the rmap lock
 *
 * Context: @src and @dst locked; @dst has @src's mapping and index.
 */
void remove_migration_ptes(struct folio *src, struct folio *dst, int flags)
{
	struct rmap_walk_control rwc = {
		.rmap_one = remove_migration_pte,
		.arg = src,
		.unmapped = true,
	};

	if (flags & RMP_LOCKED)
		rmap_walk_locked(dst, &rwc);
	else
		rmap_walk(dst, &rwc);
}

/* ---------------------------------------------------------------------
 * The fault side
 */

/**
 * migration_entry_wait - a fault met a migration entry: wait until the
 * folio it names is unlocked (its migration finished or was undone), then
 * return so that the fault is retried.
 *
 * Linux takes no reference on the folio (it would fail the migration's
 * refcount check) and sleeps on the folio's wait queue after dropping the
 * PTE lock; here the struct page outlives the folio (the memmap is fixed),
 * so PG_locked is simply watched until clear.  The caller holds mmap_lock
 * for reading, which migration never takes.
 */
void migration_entry_wait(struct mm_struct *mm, pmd_t *pmd, unsigned long address)
{
	spinlock_t *ptl = pte_lockptr(mm);
	struct folio *folio;
	swp_entry_t entry;
	pte_t *ptep, pte;

	(void)pmd;
	ptep = mm_find_pte(mm, address);
	if (!ptep)
		return;
	spin_lock(ptl);
	pte = ptep_get(ptep);
	if (pte_none(pte) || pte_present(pte)) {
		spin_unlock(ptl);
		return;
	}
	entry = pte_to_swp_entry(pte);
	if (!is_migration_entry(entry)) {
		spin_unlock(ptl);
		return;
	}
	folio = pfn_swap_entry_folio(entry);
	spin_unlock(ptl);
	folio_wait_locked(folio);
}
