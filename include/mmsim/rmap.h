/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rmap.h - the reverse map: from a page to the PTEs that map it (Linux's
 * include/linux/rmap.h).  Implementation and invariants: mm/rmap.c.
 *
 * Anonymous pages: page->mapping = anon_vma | PAGE_MAPPING_ANON and
 * page->index = the page's linear index in the VMA it was faulted in;
 * rmap_walk() visits every VMA on the anon_vma's interval tree whose
 * range covers that index.  _mapcount counts the PTEs mapping the page
 * (-1: none).  PageAnonExclusive: the page is known to be mapped by this
 * process only (it may be reused on a write fault without copying and
 * may be pinned); fork clears it on both sides unless the page is pinned,
 * in which case the child gets a copy at once (Linux's rule).
 *
 * Locking: anon_vma_lock_write/read take the root anon_vma's rwsem;
 * anon_vma_prepare/clone/fork/unlink run under mmap_lock for writing
 * (prepare: for reading, with the page-table lock of the mm).
 */
#ifndef MMSIM_RMAP_H
#define MMSIM_RMAP_H

#include <mmsim/mm.h>

typedef int rmap_t;
#define RMAP_NONE	((rmap_t)0)
#define RMAP_EXCLUSIVE	((rmap_t)1 << 0)

static inline struct folio *page_folio(const struct page *page)
{
	return (struct folio *)compound_head(page);
}
static inline struct page *folio_page(struct folio *folio, unsigned long n)
{
	return &folio->page + n;
}
static inline bool folio_test_anon(const struct folio *folio)
{
	return ((unsigned long)folio->page.mapping & PAGE_MAPPING_ANON) != 0;
}
static inline bool PageAnon(const struct page *page)
{
	return folio_test_anon(page_folio(page));
}
static inline struct anon_vma *folio_anon_vma(const struct folio *folio)
{
	unsigned long m = (unsigned long)folio->page.mapping;

	if ((m & PAGE_MAPPING_FLAGS) != PAGE_MAPPING_ANON)
		return NULL;
	return (struct anon_vma *)(m - PAGE_MAPPING_ANON);
}
static inline int folio_mapcount(const struct folio *folio)
{
	return atomic_load_explicit(&((struct folio *)folio)->page._mapcount,
				    memory_order_relaxed) + 1;
}
static inline bool folio_mapped(const struct folio *folio) { return folio_mapcount(folio) > 0; }
static inline bool PageAnonExclusive(const struct page *page)
{
	return test_page_flag(page, PG_anon_exclusive);
}
static inline void SetPageAnonExclusive(struct page *page) { set_page_flag(page, PG_anon_exclusive); }
static inline void ClearPageAnonExclusive(struct page *page) { clear_page_flag(page, PG_anon_exclusive); }

/* anon_vma lifetime (mm/rmap.c). */
int __anon_vma_prepare(struct vm_area_struct *vma);
static inline int anon_vma_prepare(struct vm_area_struct *vma)
{
	return vma->anon_vma ? 0 : __anon_vma_prepare(vma);
}
int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src);
int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma);
void unlink_anon_vmas(struct vm_area_struct *vma);
void anon_vma_lock_write(struct anon_vma *anon_vma);
void anon_vma_unlock_write(struct anon_vma *anon_vma);
void anon_vma_lock_read(struct anon_vma *anon_vma);
void anon_vma_unlock_read(struct anon_vma *anon_vma);
/* mm/vma.c moves pages' VMAs between anon_vma tree positions around a
 * vm_start/vm_pgoff change: */
void anon_vma_interval_tree_pre_update_vma(struct vm_area_struct *vma);
void anon_vma_interval_tree_post_update_vma(struct vm_area_struct *vma);

/* Adding and removing mappings of a page (PTE level). */
void folio_add_new_anon_rmap(struct folio *folio, struct vm_area_struct *vma,
			     unsigned long address, rmap_t flags);
void folio_add_anon_rmap_pte(struct folio *folio, struct page *page,
			     struct vm_area_struct *vma, unsigned long address, rmap_t flags);
void folio_add_file_rmap_pte(struct folio *folio, struct page *page, struct vm_area_struct *vma);
void folio_remove_rmap_pte(struct folio *folio, struct page *page, struct vm_area_struct *vma);
/* fork: duplicate an anon mapping; -EBUSY if the page may be pinned and
 * must be copied instead (the caller copies it). */
int folio_try_dup_anon_rmap_pte(struct folio *folio, struct page *page,
				struct vm_area_struct *src_vma);
void folio_dup_file_rmap_pte(struct folio *folio, struct page *page);
/* Move an exclusive anon folio to @vma's anon_vma (do_wp_page's reuse). */
void folio_move_anon_rmap(struct folio *folio, struct vm_area_struct *vma);

/* The address @page has in @vma, or -EFAULT when outside it. */
unsigned long page_address_in_vma(const struct folio *folio, const struct page *page,
				  const struct vm_area_struct *vma);

/* Walking every mapping of a folio. */
struct rmap_walk_control {
	void *arg;
	/* Return false to stop the walk. */
	bool (*rmap_one)(struct folio *folio, struct vm_area_struct *vma,
			 unsigned long address, void *arg);
	int (*done)(struct folio *folio);	/* nonzero: stop */
	bool (*invalid_vma)(struct vm_area_struct *vma, void *arg);
	/* Reclaim (Linux's rwc->try_lock): trylock the anon_vma / i_mmap
	 * lock and, if taken by someone, skip the walk with @contended set. */
	bool try_lock;
	bool contended;
	/* Walk even a folio no PTE maps (migration's remove_migration_ptes:
	 * the caller keeps the anon_vma or the mapping alive itself). */
	bool unmapped;
};
void rmap_walk(struct folio *folio, struct rmap_walk_control *rwc);
void rmap_walk_locked(struct folio *folio, struct rmap_walk_control *rwc);

/*
 * folio_referenced - how many PTEs mapping @folio had the Accessed bit,
 * clearing it (and flushing those TLB entries) on the way; *vm_flags
 * collects the flags of the VMAs that referenced it (VM_LOCKED stops it).
 */
int folio_referenced(struct folio *folio, int is_locked, void *memcg, unsigned long *vm_flags);

/*
 * try_to_unmap - reclaim's unmapping of a locked folio from every PTE
 * (mm/rmap.c): a swap-cache anon folio's PTEs become swap PTEs (the slot's
 * count taken with swap_duplicate, the exclusive bit carried, MM_SWAPENTS),
 * a file folio's are cleared, a clean lazyfree folio's are dropped.  The
 * Dirty bits go to the folio.  Locks are trylocked (reclaim may run inside
 * an allocation that holds them): the folio stays mapped on contention,
 * which the caller sees as folio_mapped().  With TTU_BATCH_FLUSH the TLB
 * flushes are deferred to try_to_unmap_flush() (Linux's
 * tlbflush_unmap_batch); try_to_unmap_flush_dirty() flushes only if a
 * dirty PTE was cleared (before the folio is written).
 */
enum ttu_flags {
	TTU_SPLIT_HUGE_PMD	= 0x4,
	TTU_IGNORE_MLOCK	= 0x8,
	TTU_SYNC		= 0x10,
	TTU_HWPOISON		= 0x20,
	TTU_BATCH_FLUSH		= 0x40,
	TTU_RMAP_LOCKED		= 0x80,
};
void try_to_unmap(struct folio *folio, enum ttu_flags flags);
void try_to_unmap_flush(void);
void try_to_unmap_flush_dirty(void);

/*
 * try_to_migrate - migration's unmapping of a locked folio (mm/migrate_ptes.c):
 * every PTE mapping it becomes a migration entry holding its pfn (write,
 * read-exclusive or read, with the young and dirty bits), its TLB entry
 * flushed; the folio's mapcount and the PTEs' references go.  Locks are
 * trylocked: on contention, or for a pinned exclusive anon page, the folio
 * stays (partly) mapped, which the caller sees as folio_mapped().  Only
 * TTU_RMAP_LOCKED and TTU_BATCH_FLUSH (accepted, flushed at once) apply.
 */
void try_to_migrate(struct folio *folio, enum ttu_flags flags);

/* A reference on an anon folio's anon_vma while the folio is mapped (else NULL). */
struct anon_vma *folio_get_anon_vma(const struct folio *folio);
void put_anon_vma(struct anon_vma *anon_vma);

/* The PTE mapping @address in @mm, if present and mapping @pfn (page_vma_mapped_walk, order 0). */
pte_t *page_vma_mapped_pte(struct mm_struct *mm, unsigned long address, unsigned long pfn);

#endif
