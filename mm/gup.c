// SPDX-License-Identifier: GPL-2.0
/*
 * mm/gup.c - get_user_pages and pin_user_pages (Linux's mm/gup.c), and the
 * populate helpers built on them (MAP_POPULATE, mlock, MADV_POPULATE_*).
 *
 * Design.  For each page: find the VMA (once per VMA), check the request
 * against it (check_vma_flags: FOLL_WRITE needs VM_WRITE, a read needs
 * VM_READ unless FOLL_FORCE), then look the PTE up (follow_page_pte).  If
 * there is no usable translation -- none, not writable for FOLL_WRITE, or
 * a shared anonymous page that a read-only pin must not take
 * (gup_must_unshare) -- fault it in with handle_mm_fault (FAULT_FLAG_WRITE
 * breaks COW, FAULT_FLAG_UNSHARE copies without write access) and look
 * again.  So the page returned is always the one mapped at that moment,
 * and for FOLL_WRITE or FOLL_PIN of anonymous memory it is exclusive to
 * this mm: a later fork cannot make the pin point at a page the parent no
 * longer maps (Linux's COW rules, tools/testing/selftests/mm/cow.c).
 *
 * References: FOLL_GET adds 1 to the page's refcount (put_page drops it);
 * FOLL_PIN adds GUP_PIN_COUNTING_BIAS (1024) and marks the mm
 * MMF_HAS_PINNED, so folio_maybe_dma_pinned() (refcount >= 1024) tells
 * fork to copy such a page for the child instead of sharing it.  The
 * shared zero page is never pinned (pinning it takes no reference).
 *
 * FOLL_LONGTERM (Linux's check_and_migrate_movable_folios): after the
 * pages are pinned, any that may not stay pinned for long
 * (folio_is_longterm_pinnable: ZONE_MOVABLE, a MIGRATE_CMA or isolated
 * pageblock, device memory) are collected, every pin of the call is
 * dropped, those folios are migrated to a GFP_USER page (neither movable
 * zone nor CMA), and the whole range is pinned again; a folio that cannot
 * move fails the call with -ENOMEM.  docs/pinning.md.
 *
 * Errors (Linux's): no VMA or a VMA the access may not use: -EFAULT;
 * VM_IO/VM_PFNMAP: -EFAULT; a fault that fails: -EFAULT (SIGSEGV/SIGBUS),
 * -ENOMEM (OOM).  The count of pages done is returned if any were done.
 * MADV_POPULATE_* (faultin_page_range) reports no VMA as -ENOMEM and an
 * incompatible one as -EINVAL.
 *
 * Locking: mmap_lock for reading around the walk (taken here unless the
 * caller says *locked); the PTE lock while a page is looked up and its
 * reference taken.
 */
#include "mm/fault_internal.h"
#include <mmsim/hugetlb.h>
#include <mmsim/huge_mm.h>
#include <mmsim/memremap.h>
#include <mmsim/migrate.h>
#include <mmsim/swap.h>
#include "mm/lru_internal.h"
#include "mm/internal.h"

#define FOLL_MADV_POPULATE	0x80000	/* internal: faultin_page_range */
#define FOLL_REMOTE_INTERNAL	0x100000 /* internal: another mm (FAULT_FLAG_REMOTE) */

static void ptep_set_access_young(pte_t *ptep)
{
	u64 old = pte_val(ptep_get(ptep));

	while (!(old & pgt_geom()->b_young) &&
	       !__pt_cmpxchg(ptep, &old, old | pgt_geom()->b_young))
		;
}

/* A large folio counts its pins in _pincount (its PTEs hold 512 references). */
bool folio_maybe_dma_pinned(struct folio *folio)
{
	if (folio_test_large(folio))
		return atomic_load_explicit(&folio_page(folio, 1)->_pincount, memory_order_acquire) > 0;
	return (unsigned int)page_ref_count(&folio->page) >= GUP_PIN_COUNTING_BIAS;
}

static int check_vma_flags(struct vm_area_struct *vma, unsigned int gup_flags)
{
	vm_flags_t vm_flags = vma->vm_flags;

	if (vm_flags & (VM_IO | VM_PFNMAP))
		return -EFAULT;
	if (gup_flags & FOLL_WRITE) {
		if (!(vm_flags & VM_WRITE)) {
			if (!(gup_flags & FOLL_FORCE))
				return -EFAULT;
			if (!is_cow_mapping(vm_flags))
				return -EFAULT;
			return -EFAULT;	/* FOLL_FORCE COW writes (ptrace): not yet */
		}
	} else if (!(vm_flags & VM_READ)) {
		if (!(gup_flags & FOLL_FORCE))
			return -EFAULT;
		if (!(vm_flags & VM_MAYREAD))
			return -EFAULT;
	}
	return 0;
}

/* Must a R/O pin of @page unshare it first (Linux's gup_must_unshare)? */
static bool gup_must_unshare(struct vm_area_struct *vma, unsigned int flags, struct page *page)
{
	if ((flags & (FOLL_WRITE | FOLL_PIN)) != FOLL_PIN)
		return false;
	/* shared mappings (shmem) never COW */
	if (!is_cow_mapping(vma->vm_flags))
		return false;
	if (!page || !page_is_anon(page)) {
		/* the zero page (and page cache) in a COW mapping: long-term only */
		if (!(flags & FOLL_LONGTERM))
			return false;
		return is_cow_mapping(vma->vm_flags);
	}
	return !page_anon_exclusive(page);
}

enum follow_result { FOLLOW_OK, FOLLOW_FAULT, FOLLOW_UNSHARE, FOLLOW_ERR };

/* Take the reference GUP hands out; false if the page cannot be taken. */
static bool try_grab_page(struct page *page, unsigned int flags)
{
	struct page *head = compound_head(page);

	if (flags & FOLL_PIN) {
		if (is_zero_pfn(page_to_pfn(page)))
			return true;
		if (page_ref_count(head) <= 0)
			return false;
		if (PageHead(head)) {
			/* Linux's large-folio pin: one reference, one _pincount. */
			atomic_fetch_add_explicit(&head->_refcount, 1, memory_order_relaxed);
			atomic_fetch_add_explicit(&head[1]._pincount, 1, memory_order_release);
		} else {
			atomic_fetch_add_explicit(&head->_refcount, GUP_PIN_COUNTING_BIAS,
						  memory_order_relaxed);
		}
		mod_node_page_state(page_pgdat(head), NR_FOLL_PIN_ACQUIRED, 1);
	} else if (flags & FOLL_GET) {
		if (!get_page_unless_zero(head))
			return false;
	}
	return true;
}

/*
 * follow_trans_huge_pmd - a page under a PMD leaf (Linux's follow_huge_pmd):
 * a write needs a writable leaf and a R/O pin an exclusive folio (both
 * fault first); the reference is the folio's.
 */
static enum follow_result follow_huge_pmd(struct vm_area_struct *vma, unsigned long address,
					  pmd_t *pmdp, unsigned int flags, struct page **pagep)
{
	spinlock_t *ptl = pte_lockptr(vma->vm_mm);
	enum follow_result res = FOLLOW_OK;
	struct page *page;
	pmd_t pmd;

	spin_lock(ptl);
	pmd = pmdp_get(pmdp);
	if (!pmd_trans_huge(pmd)) {
		spin_unlock(ptl);
		return FOLLOW_FAULT;	/* split meanwhile: the PTE walk */
	}
	if ((pmd_protnone(pmd) && vma_is_accessible(vma)) || ((flags & FOLL_WRITE) && !pmd_write(pmd))) {
		res = FOLLOW_FAULT;
		goto out;
	}
	page = pfn_to_page(pmd_leaf_pfn(pmd));
	if (!is_huge_zero_pmd(pmd) && !pmd_write(pmd) && gup_must_unshare(vma, flags, page)) {
		res = FOLLOW_UNSHARE;
		goto out;
	}
	page += (address & ~HPAGE_PMD_MASK) >> PAGE_SHIFT;
	if (!try_grab_page(page, flags)) {
		res = FOLLOW_ERR;
		goto out;
	}
	if ((flags & FOLL_TOUCH) && !pmd_young(pmd)) {
		u64 old = pmd_val(pmd);

		while (!(old & pgt_geom()->b_young) &&
		       !__pt_cmpxchg(pmdp, &old, old | pgt_geom()->b_young))
			;
	}
	*pagep = page;
out:
	spin_unlock(ptl);
	return res;
}

static enum follow_result follow_page_pte(struct vm_area_struct *vma, unsigned long address,
					  unsigned int flags, struct page **pagep)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl = pte_lockptr(mm);
	enum follow_result res = FOLLOW_OK;
	struct page *page;
	pte_t *ptep, pte;

	if (is_vm_hugetlb_page(vma)) {
		int r = hugetlb_follow_page(vma, address, flags, pagep);

		return !r ? FOLLOW_OK : r == -EAGAIN ? FOLLOW_FAULT :
		       r == -EBUSY ? FOLLOW_UNSHARE : FOLLOW_ERR;
	}
	ptep = mm_find_pte(mm, address);
	if (!ptep) {
		pmd_t *pmdp = mm_find_pmd(mm, address);

		if (pmdp && pmd_trans_huge(pmdp_get(pmdp)))
			return follow_huge_pmd(vma, address, pmdp, flags, pagep);
		return FOLLOW_FAULT;
	}
	spin_lock(ptl);
	pte = ptep_get(ptep);
	if (!pte_present(pte) || (pte_protnone(pte) && vma_is_accessible(vma))) {
		res = FOLLOW_FAULT;
		goto out;
	}
	if ((flags & FOLL_WRITE) && !pte_write(pte)) {
		res = FOLLOW_FAULT;
		goto out;
	}
	page = vm_normal_page(vma, address, pte);
	if (!page && is_zero_pfn(pte_pfn(pte)))
		page = mm_zero_page();
	if (!page) {
		res = FOLLOW_ERR;
		goto out;
	}
	if (gup_must_unshare(vma, flags, is_zero_pfn(pte_pfn(pte)) ? NULL : page)) {
		res = FOLLOW_UNSHARE;
		goto out;
	}
	if (!try_grab_page(page, flags)) {
		res = FOLLOW_ERR;
		goto out;
	}
	if ((flags & FOLL_TOUCH) && !pte_young(pte))
		ptep_set_access_young(ptep);
	*pagep = page;
out:
	spin_unlock(ptl);
	return res;
}

static long faultin_page(struct vm_area_struct *vma, unsigned long address, unsigned int flags,
			 bool unshare)
{
	unsigned int fault_flags = 0;
	vm_fault_t ret;

	if (flags & FOLL_WRITE)
		fault_flags |= FAULT_FLAG_WRITE;
	if (flags & FOLL_REMOTE_INTERNAL)
		fault_flags |= FAULT_FLAG_REMOTE;
	if (unshare)
		fault_flags |= FAULT_FLAG_UNSHARE;
	ret = handle_mm_fault(vma, address, fault_flags, NULL);
	if (ret & VM_FAULT_ERROR) {
		if (ret & VM_FAULT_OOM)
			return -ENOMEM;
		if (ret & (VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE))
			return -EHWPOISON;
		return -EFAULT;
	}
	return 0;
}

/*
 * __get_user_pages - the core loop.  Caller holds mmap_lock for reading.
 * @pages may be NULL (populate only).  Returns the pages done, or -errno
 * when none was.
 */
static long __get_user_pages(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
			     unsigned int gup_flags, struct page **pages)
{
	struct vm_area_struct *vma = NULL;
	long i = 0, ret = 0;

	if (!nr_pages)
		return 0;
	start &= PAGE_MASK;
	if (pages && !(gup_flags & FOLL_PIN))
		gup_flags |= FOLL_GET;
	mmap_assert_locked(mm);
	do {
		struct page *page = NULL;
		int tries = 0;

		if (!vma || start >= vma->vm_end) {
			vma = vma_lookup(mm, start);
			if (gup_flags & FOLL_MADV_POPULATE) {
				if (!vma) {
					ret = -ENOMEM;
					goto out;
				}
				if (check_vma_flags(vma, gup_flags)) {
					ret = -EINVAL;
					goto out;
				}
			} else {
				if (!vma) {
					ret = -EFAULT;
					goto out;
				}
				ret = check_vma_flags(vma, gup_flags);
				if (ret)
					goto out;
			}
		}
		for (;;) {
			enum follow_result fr = follow_page_pte(vma, start, gup_flags, &page);

			if (fr == FOLLOW_OK)
				break;
			if (fr == FOLLOW_ERR) {
				ret = -EFAULT;
				goto out;
			}
			if (++tries > 8) {
				WARN_ON_ONCE(1);
				ret = -EFAULT;
				goto out;
			}
			ret = faultin_page(vma, start, gup_flags, fr == FOLLOW_UNSHARE);
			if (ret)
				goto out;
		}
		if (pages)
			pages[i] = page;
		else if (page && (gup_flags & (FOLL_GET | FOLL_PIN)))
			WARN_ON_ONCE(1);
		i++;
		start += PAGE_SIZE;
	} while (--nr_pages);
out:
	return i ? i : ret;
}

/* ---------------------------------------------------------------------
 * FOLL_LONGTERM: pages that must not stay pinned where they are
 */

/*
 * folio_is_longterm_pinnable - may @folio be pinned for an unbounded time
 * where it is?  Linux's rule (include/linux/mm.h): not a MIGRATE_CMA or
 * MIGRATE_ISOLATE pageblock, not device-coherent ZONE_DEVICE memory (the
 * device may want it back), not fsdax, not ZONE_MOVABLE (memory hot-unplug
 * and the movable-zone promise need it movable).  The zero page always is.
 */
bool folio_is_longterm_pinnable(struct folio *folio)
{
	struct page *page = &folio->page;
	int mt;

	if (is_zero_pfn(page_to_pfn(page)))
		return true;
	if (is_zone_device_page(page))
		return !folio_is_device_coherent(folio) && !folio_is_device_private(folio) &&
		       !folio_is_fsdax(folio);
	mt = get_pageblock_migratetype(page);
	if (mt == MIGRATE_ISOLATE || is_migrate_cma(mt))	/* is_migrate_cma_page */
		return false;
	return page_zonenum(page) != ZONE_MOVABLE;
}

/*
 * collect_longterm_unpinnable_folios - isolate, onto @movable, the folios
 * of @pages[] that may not be pinned long-term.  Return: how many such
 * folios there were (isolated or not).  A folio of several pages is met
 * several times; the first isolation takes it off its LRU and later ones
 * fail harmlessly.
 */
static unsigned long collect_longterm_unpinnable_folios(struct list_head *movable,
							 unsigned long nr_pages, struct page **pages)
{
	struct folio *prev = NULL;
	unsigned long collected = 0;
	bool drained = false;

	for (unsigned long i = 0; i < nr_pages; i++) {
		struct folio *folio = page_folio(pages[i]);

		if (folio == prev)
			continue;
		prev = folio;
		if (folio_is_longterm_pinnable(folio))
			continue;
		collected++;
		if (is_zone_device_page(&folio->page) || folio_test_hugetlb(folio))
			continue;	/* no device or hugetlb migration here: refused below */
		if (!page_flag_test(&folio->page, PG_lru) && !drained) {
			lru_add_drain_all();	/* it may sit in a per-CPU batch */
			drained = true;
		}
		if (!folio_isolate_lru(folio))
			continue;
		lru_list_add_tail(&folio->page.lru, movable);
		mod_node_page_state(page_pgdat(&folio->page),
				    folio_is_file_lru(folio) ? NR_ISOLATED_FILE : NR_ISOLATED_ANON,
				    folio_nr_pages(folio));
	}
	return collected;
}

/* The destination of a long-term pin's migration: Linux's alloc_migration_target
 * with GFP_USER (no __GFP_MOVABLE, so never ZONE_MOVABLE) on the source's node
 * first, then any. */
static struct folio *alloc_longterm_target(struct folio *src, unsigned long private)
{
	struct page *page;

	(void)private;
	page = alloc_pages_node(page_to_nid(&src->page), GFP_USER | __GFP_NOWARN, 0);
	return page ? page_folio(page) : NULL;
}

/*
 * check_and_migrate_movable_pages - Linux's flow: if every page of
 * @pages[] is longterm-pinnable, 0 and the pins stay.  Otherwise every pin
 * is dropped, the unpinnable folios are migrated out of the way, and
 * -EAGAIN tells the caller to pin again (the new walk finds the new pages);
 * -ENOMEM when a folio could not be moved.
 */
static long check_and_migrate_movable_pages(unsigned long nr_pages, struct page **pages)
{
	LIST_HEAD(movable);
	unsigned long collected;
	int ret;

	collected = collect_longterm_unpinnable_folios(&movable, nr_pages, pages);
	if (!collected)
		return 0;
	unpin_user_pages(pages, nr_pages);
	if (list_empty(&movable))
		return -ENOMEM;		/* none could be isolated: nothing to move */
	ret = migrate_pages(&movable, alloc_longterm_target, NULL, 0, MIGRATE_SYNC,
			    MR_LONGTERM_PIN, NULL);
	putback_movable_pages(&movable);
	if (ret)
		return -ENOMEM;
	return -EAGAIN;
}

#define LONGTERM_PIN_TRIES	8	/* walks before a pin that keeps moving gives up */

static long gup_locked(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
		       unsigned int gup_flags, struct page **pages, int *locked)
{
	bool take = !locked || !*locked;
	int tries = 0;
	long ret;

	if (!mm)
		return -EFAULT;
	if (gup_flags & FOLL_PIN)
		set_bit_mm_pinned(mm);
	if (take)
		mmap_read_lock(mm);
	for (;;) {
		long rc;

		ret = __get_user_pages(mm, start, nr_pages, gup_flags, pages);
		if (ret <= 0 || !(gup_flags & FOLL_LONGTERM) || !(gup_flags & FOLL_PIN) || !pages)
			break;
		/* Linux migrates without mmap_lock held; our migration takes
		 * only the rmap and page locks, so it may run under it. */
		rc = check_and_migrate_movable_pages((unsigned long)ret, pages);
		if (!rc)
			break;
		if (rc != -EAGAIN || ++tries >= LONGTERM_PIN_TRIES) {
			ret = rc == -EAGAIN ? -ENOMEM : rc;
			break;
		}
	}
	if (take)
		mmap_read_unlock(mm);
	return ret;
}

static struct mm_struct *current_mm(void)
{
	struct task_struct *tsk = current;

	return tsk ? tsk->mm : NULL;
}

static bool gup_flags_ok(unsigned int gup_flags, bool pin)
{
	/* FOLL_PIN and FOLL_GET are internal; callers pick the function. */
	if (WARN_ON_ONCE(gup_flags & (FOLL_PIN | FOLL_GET)))
		return false;
	(void)pin;
	return true;
}

long get_user_pages(unsigned long start, unsigned long nr_pages, unsigned int gup_flags,
		    struct page **pages)
{
	if (!gup_flags_ok(gup_flags, false))
		return -EINVAL;
	return gup_locked(current_mm(), start, nr_pages, gup_flags, pages, NULL);
}

long get_user_pages_remote(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
			   unsigned int gup_flags, struct page **pages, int *locked)
{
	if (!gup_flags_ok(gup_flags, false))
		return -EINVAL;
	return gup_locked(mm, start, nr_pages, gup_flags | FOLL_REMOTE_INTERNAL, pages, locked);
}

long pin_user_pages(unsigned long start, unsigned long nr_pages, unsigned int gup_flags,
		    struct page **pages)
{
	if (!pages || !gup_flags_ok(gup_flags, true))
		return -EINVAL;
	return gup_locked(current_mm(), start, nr_pages, gup_flags | FOLL_PIN, pages, NULL);
}

long pin_user_pages_remote(struct mm_struct *mm, unsigned long start, unsigned long nr_pages,
			   unsigned int gup_flags, struct page **pages, int *locked)
{
	if (!pages || !gup_flags_ok(gup_flags, true))
		return -EINVAL;
	return gup_locked(mm, start, nr_pages, gup_flags | FOLL_PIN | FOLL_REMOTE_INTERNAL, pages,
			  locked);
}

/* The _fast variants: Linux walks without mmap_lock first; mmsim's walk is
 * the slow path itself, with the same results. */
int get_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags,
			struct page **pages)
{
	if (nr_pages <= 0)
		return 0;
	return (int)get_user_pages(start, (unsigned long)nr_pages, gup_flags, pages);
}

int pin_user_pages_fast(unsigned long start, int nr_pages, unsigned int gup_flags,
			struct page **pages)
{
	if (nr_pages <= 0)
		return 0;
	return (int)pin_user_pages(start, (unsigned long)nr_pages, gup_flags, pages);
}

void unpin_user_page(struct page *page)
{
	struct page *head = compound_head(page);
	int old;

	if (is_zero_pfn(page_to_pfn(head)))
		return;
	mod_node_page_state(page_pgdat(head), NR_FOLL_PIN_RELEASED, 1);
	if (PageHead(head)) {
		if (WARN_ON_ONCE(atomic_fetch_sub_explicit(&head[1]._pincount, 1,
							   memory_order_acq_rel) <= 0)) {
			atomic_fetch_add_explicit(&head[1]._pincount, 1, memory_order_relaxed);
			return;
		}
		put_page(head);
		return;
	}
	old = atomic_fetch_sub_explicit(&head->_refcount, GUP_PIN_COUNTING_BIAS,
					memory_order_acq_rel);
	if (WARN_ON_ONCE(old < (int)GUP_PIN_COUNTING_BIAS)) {
		atomic_fetch_add_explicit(&head->_refcount, GUP_PIN_COUNTING_BIAS,
					  memory_order_relaxed);
		return;
	}
	if (old == (int)GUP_PIN_COUNTING_BIAS) {
		/* the last reference was the pin: free it as put_page would */
		atomic_fetch_add_explicit(&head->_refcount, 1, memory_order_relaxed);
		put_page(head);
	}
}

void unpin_user_pages(struct page **pages, unsigned long npages)
{
	for (unsigned long i = 0; i < npages; i++)
		unpin_user_page(pages[i]);
}

void unpin_user_pages_dirty_lock(struct page **pages, unsigned long npages, bool make_dirty)
{
	for (unsigned long i = 0; i < npages; i++) {
		if (make_dirty && !is_zero_pfn(page_to_pfn(pages[i])))
			SetPageDirty(compound_head(pages[i]));
		unpin_user_page(pages[i]);
	}
}

/* ---------------------------------------------------------------------
 * Populating (MAP_POPULATE, mlock, MADV_POPULATE_*)
 */

long populate_vma_page_range(struct vm_area_struct *vma, unsigned long start,
			     unsigned long end, int *locked)
{
	unsigned long nr_pages = (end - start) >> PAGE_SHIFT;
	unsigned int gup_flags = FOLL_TOUCH;

	(void)locked;
	mmap_assert_locked(vma->vm_mm);
	if (vma->vm_flags & VM_LOCKONFAULT)
		return (long)nr_pages;
	/* Write-fault private writable memory (break COW now); otherwise read,
	 * with FOLL_FORCE in case it is not readable (PROT_NONE, write-only). */
	if ((vma->vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE)
		gup_flags |= FOLL_WRITE;
	else
		gup_flags |= FOLL_FORCE;
	return __get_user_pages(vma->vm_mm, start, nr_pages, gup_flags, NULL);
}

long faultin_page_range(struct mm_struct *mm, unsigned long start, unsigned long end,
			bool write, int *locked)
{
	unsigned int gup_flags = FOLL_TOUCH | FOLL_MADV_POPULATE;

	if (write)
		gup_flags |= FOLL_WRITE;
	return gup_locked(mm, start, (end - start) >> PAGE_SHIFT, gup_flags, NULL, locked);
}

int __mm_populate(unsigned long start, unsigned long len, int ignore_errors)
{
	struct mm_struct *mm = current_mm();
	unsigned long end = start + len, nstart, nend;
	struct vm_area_struct *vma = NULL;
	long ret = 0;

	if (!mm)
		return -EFAULT;
	mmap_read_lock(mm);
	for (nstart = start; nstart < end; nstart = nend) {
		vma = find_vma_intersection(mm, nstart, end);
		if (!vma)
			break;
		nend = min(end, vma->vm_end);
		if (vma->vm_flags & (VM_IO | VM_PFNMAP))
			continue;
		if (nstart < vma->vm_start)
			nstart = vma->vm_start;
		ret = populate_vma_page_range(vma, nstart, nend, NULL);
		if (ret < 0) {
			if (ignore_errors) {
				ret = 0;
				continue;
			}
			break;
		}
		nend = nstart + (unsigned long)ret * PAGE_SIZE;
		ret = 0;
	}
	mmap_read_unlock(mm);
	return (int)ret;
}
