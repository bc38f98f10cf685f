// SPDX-License-Identifier: GPL-2.0
/*
 * mm/khugepaged.c - collapsing base pages into THP: khugepaged and
 * MADV_COLLAPSE (Linux's mm/khugepaged.c, anonymous memory only).
 *
 * Design.  collapse_huge_page() turns the 512 PTEs of a PMD-aligned range
 * of a private anonymous VMA into one PMD-mapped THP: with the mmap_lock
 * held for writing (no fault, no GUP, no VMA change can run), the
 * anon_vma locked for writing (no rmap walk reaches the pages) and the PTE
 * lock, every present page is checked and isolated (anonymous, order 0,
 * on the LRU, locked, no reference beyond its mappings: a pinned page
 * makes the collapse fail), at most max_ptes_none PTEs empty or mapping
 * the zero page, max_ptes_swap swapped out (those are swapped in first)
 * and max_ptes_shared pages shared with another process.  The PMD is then
 * cleared and the range's TLB entries flushed; the new folio
 * (thp_collapse_alloc; thp_collapse_alloc_failed) gets a copy of each
 * page (zeroes for the empty ones), the old pages lose this mapping (a
 * page shared with another process stays theirs), the emptied PTE table
 * is deposited for the new PMD leaf (as split_huge_pmd will need it) and
 * the leaf is set: MM_ANONPAGES grows by the pages that were empty.
 *
 * khugepaged: delayed work on the virtual clock (the workqueue runs it as
 * a kernel thread: current == NULL), started the first time a VMA becomes
 * eligible (khugepaged_enter_vma: a THP fault, MADV_HUGEPAGE).  Every
 * scan_sleep_millisecs it scans up to pages_to_scan pages of the user mms
 * (every live task's, in task order, from where the last pass stopped),
 * in VMAs THP allows (the "enabled" mode, VM_HUGEPAGE), and collapses the
 * ranges whose pages qualify and at least one was referenced; a pass over
 * every mm counts full_scans, each collapse pages_collapsed.  After a
 * failed allocation it sleeps alloc_sleep_millisecs.
 *
 *   /sys/kernel/mm/transparent_hugepage/khugepaged/{pages_to_scan,
 *     scan_sleep_millisecs, alloc_sleep_millisecs, max_ptes_none,
 *     max_ptes_swap, max_ptes_shared, defrag} ("%u\n", writable),
 *     {full_scans, pages_collapsed} (read-only).
 *
 * MADV_COLLAPSE (madvise_collapse): the same collapse, synchronously, for
 * every PMD range of the advised range, ignoring the sysfs mode and the
 * max_ptes_* limits (Linux's); an already PMD-mapped range counts as done.
 * Errors: -ENOMEM (allocation), -EAGAIN (a page locked, pinned or off the
 * LRU), -EINVAL (a VMA THP may not use, nothing mapped).
 *
 * Locking order: mmap_lock (write) -> anon_vma (write) -> PTE lock ->
 * folio lock (trylocked) -> lru_lock.
 *
 * Departures: mms are found through the task list, not registered
 * mm_slots; no file/shmem collapse; no per-node allocation hint; the
 * referenced test counts Accessed PTEs and PG_referenced only.
 */
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/huge_mm.h>
#include <mmsim/highmem.h>
#include <mmsim/tlbflush.h>
#include <mmsim/swap.h>
#include <mmsim/swapops.h>
#include <mmsim/pagemap.h>
#include <mmsim/sched.h>
#include <mmsim/workqueue.h>
#include <mmsim/jiffies.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include <mmsim/slab.h>
#include "mm/fault_internal.h"
#include "mm/huge_memory_internal.h"
#include "init/machine.h"

enum scan_result {
	SCAN_SUCCEED,
	SCAN_FAIL,
	SCAN_PMD_NULL,
	SCAN_PMD_MAPPED,
	SCAN_EXCEED_NONE_PTE,
	SCAN_EXCEED_SWAP_PTE,
	SCAN_EXCEED_SHARED_PTE,
	SCAN_PAGE_RO,
	SCAN_LACK_REFERENCED_PAGE,
	SCAN_PAGE_NULL,
	SCAN_PAGE_COUNT,
	SCAN_PAGE_LRU,
	SCAN_PAGE_LOCK,
	SCAN_PAGE_ANON,
	SCAN_PAGE_COMPOUND,
	SCAN_VMA_CHECK,
	SCAN_ALLOC_HUGE_PAGE_FAIL,
	SCAN_DEL_PAGE_LRU,
};

struct collapse_control {
	bool is_khugepaged;
	unsigned int max_ptes_none, max_ptes_swap, max_ptes_shared;
};

/* Linux's msecs_to_jiffies: rounded up to a tick. */
static unsigned long kh_msecs_to_jiffies(unsigned int ms)
{
	return ((unsigned long)ms * HZ + 999) / 1000;
}

static struct khugepaged_state *khs(void)
{
	return &thp_state()->khugepaged;
}

/* May khugepaged / MADV_COLLAPSE collapse in @vma? */
static bool collapse_vma_ok(struct vm_area_struct *vma, struct collapse_control *cc)
{
	if (!hugepage_pmd_supported() || !vma_is_anonymous(vma) ||
	    (vma->vm_flags & (VM_SHARED | VM_SPECIAL | VM_HUGETLB | VM_NOHUGEPAGE)))
		return false;
	if (!cc->is_khugepaged)
		return true;	/* MADV_COLLAPSE ignores the sysfs mode */
	return thp_vma_allowable_order(vma, vma->vm_flags, HPAGE_PMD_ORDER);
}

/* Bring the swapped-out pages of the range back (Linux's __collapse_huge_page_swapin). */
static int collapse_swapin(struct vm_area_struct *vma, unsigned long haddr, pmd_t *pmd,
			   struct collapse_control *cc)
{
	unsigned int swapped = 0;

	for (unsigned long i = 0; i < HPAGE_PMD_NR; i++) {
		pte_t *ptep = pte_offset_map(pmd, haddr + i * PAGE_SIZE);

		if (is_swap_pte(ptep_get(ptep)))
			swapped++;
	}
	if (swapped > cc->max_ptes_swap) {
		count_vm_event(THP_SCAN_EXCEED_SWAP_PTE);
		return SCAN_EXCEED_SWAP_PTE;
	}
	for (unsigned long i = 0; swapped && i < HPAGE_PMD_NR; i++) {
		pte_t *ptep = pte_offset_map(pmd, haddr + i * PAGE_SIZE);

		if (!is_swap_pte(ptep_get(ptep)))
			continue;
		if (handle_mm_fault(vma, haddr + i * PAGE_SIZE, 0, NULL) & VM_FAULT_ERROR)
			return SCAN_FAIL;
		if (pmd_trans_huge(pmdp_get(pmd)) || pmd_none(pmdp_get(pmd)))
			return SCAN_PMD_NULL;
	}
	return SCAN_SUCCEED;
}

static void release_isolated(struct page **pages, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++) {
		struct folio *folio = page_folio(pages[i]);

		folio_unlock(folio);
		folio_putback_lru(folio);
	}
}

/*
 * collapse_huge_page - see the header.  mmap_lock held for writing;
 * @folio is the new THP (consumed on success, freed by the caller else).
 */
static int __collapse_huge_page(struct mm_struct *mm, unsigned long haddr, struct folio *folio,
				struct collapse_control *cc)
{
	struct vm_area_struct *vma = vma_lookup(mm, haddr);
	struct page **pages, *new = &folio->page;
	unsigned int nr_src = 0, none = 0, shared = 0, referenced = 0, present = 0;
	spinlock_t *ptl = pte_lockptr(mm);
	struct anon_vma *anon_vma;
	pgtable_t pgtable;
	pmd_t *pmd, entry, old;
	pte_t *pte;
	int ret;

	mmap_assert_write_locked(mm);
	if (!vma || !collapse_vma_ok(vma, cc) ||
	    !thp_vma_suitable_order(vma, haddr, HPAGE_PMD_ORDER))
		return SCAN_VMA_CHECK;
	pmd = mm_find_pmd(mm, haddr);
	if (!pmd || pmd_none(pmdp_get(pmd)))
		return SCAN_PMD_NULL;
	if (pmd_trans_huge(pmdp_get(pmd)))
		return SCAN_PMD_MAPPED;
	ret = collapse_swapin(vma, haddr, pmd, cc);
	if (ret != SCAN_SUCCEED)
		return ret;
	anon_vma = vma->anon_vma;
	if (!anon_vma)
		return SCAN_PAGE_ANON;	/* nothing was ever faulted here */
	pages = kmalloc_array(HPAGE_PMD_NR, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return SCAN_ALLOC_HUGE_PAGE_FAIL;
	anon_vma_lock_write(anon_vma);
	spin_lock(ptl);
	pte = pte_offset_map(pmd, haddr);
	ret = SCAN_SUCCEED;
	for (unsigned long i = 0; i < HPAGE_PMD_NR && ret == SCAN_SUCCEED; i++, pte = pte_next(pte)) {
		pte_t pteval = ptep_get(pte);
		struct folio *f;
		struct page *page;

		if (pte_none(pteval) || (pte_present(pteval) && is_zero_pfn(pte_pfn(pteval)))) {
			if (++none > cc->max_ptes_none) {
				count_vm_event(THP_SCAN_EXCEED_NONE_PTE);
				ret = SCAN_EXCEED_NONE_PTE;
			}
			continue;
		}
		if (!pte_present(pteval)) {
			ret = SCAN_EXCEED_SWAP_PTE;
			break;
		}
		page = vm_normal_page(vma, haddr + i * PAGE_SIZE, pteval);
		if (!page) {
			ret = SCAN_PAGE_NULL;
			break;
		}
		f = page_folio(page);
		if (!folio_test_anon(f)) {
			ret = SCAN_PAGE_ANON;
			break;
		}
		if (folio_test_large(f)) {
			ret = SCAN_PAGE_COMPOUND;
			break;
		}
		if (page_mapcount(page) > 1 && ++shared > cc->max_ptes_shared) {
			count_vm_event(THP_SCAN_EXCEED_SHARED_PTE);
			ret = SCAN_EXCEED_SHARED_PTE;
			break;
		}
		if (!folio_trylock(f)) {
			ret = SCAN_PAGE_LOCK;
			break;
		}
		/* Only its mappings (and the swap cache) may hold it: no pin. */
		if (page_ref_count(page) != folio_mapcount(f) + (PageSwapCache(page) ? 1 : 0)) {
			folio_unlock(f);
			ret = SCAN_PAGE_COUNT;
			break;
		}
		if (!folio_isolate_lru(f)) {
			folio_unlock(f);
			ret = SCAN_DEL_PAGE_LRU;
			break;
		}
		pages[nr_src++] = page;
		present++;
		if (pte_young(pteval) || PageReferenced(page))
			referenced++;
	}
	if (ret == SCAN_SUCCEED && none == HPAGE_PMD_NR)
		ret = SCAN_PMD_NULL;
	if (ret == SCAN_SUCCEED && cc->is_khugepaged && !referenced)
		ret = SCAN_LACK_REFERENCED_PAGE;
	if (ret != SCAN_SUCCEED) {
		spin_unlock(ptl);
		release_isolated(pages, nr_src);
		anon_vma_unlock_write(anon_vma);
		kfree(pages);
		return ret;
	}

	/* No CPU may use the old PTEs from here (Linux's pmdp_collapse_flush). */
	old = pmdp_huge_get_and_clear(mm, haddr, pmd);
	flush_tlb_mm_range(mm, haddr, haddr + HPAGE_PMD_SIZE, PAGE_SHIFT, true);
	pte = pte_offset_map(&old, haddr);
	pgtable = virt_to_page(pte);
	/* __collapse_huge_page_copy: the bytes, then the old mappings go. */
	for (unsigned long i = 0, n = 0; i < HPAGE_PMD_NR; i++, pte = pte_next(pte)) {
		pte_t pteval = ptep_get(pte);

		if (pte_none(pteval) || is_zero_pfn(pte_pfn(pteval))) {
			clear_highpage(new + i);
			pte_clear(mm, haddr + i * PAGE_SIZE, pte);
			continue;
		}
		copy_highpage(new + i, pages[n]);
		pte_clear(mm, haddr + i * PAGE_SIZE, pte);
		folio_remove_rmap_pte(page_folio(pages[n]), pages[n], vma);
		n++;
	}
	SetPageUptodate(new);
	folio_add_new_anon_rmap(folio, vma, haddr, RMAP_EXCLUSIVE);
	folio_add_lru_vma(folio, vma);
	entry = pmd_mkyoung(pfn_pmd(page_to_pfn(new), vma->vm_page_prot));
	entry = pmd_mkdirty(entry);
	if (vma->vm_flags & VM_WRITE)
		entry = pmd_mkwrite(entry, vma);
	pgtable_trans_huge_deposit(mm, pmd, pgtable);
	set_pmd_at(mm, haddr, pmd, entry);
	add_mm_counter(mm, MM_ANONPAGES, (long)HPAGE_PMD_NR - (long)present);
	__atomic_store_n(&thp_state()->pmd_mapped_ever, true, __ATOMIC_RELAXED);
	spin_unlock(ptl);
	anon_vma_unlock_write(anon_vma);
	/* The old pages: back on the LRU, unlocked, this mapping's reference put. */
	for (unsigned int i = 0; i < nr_src; i++) {
		struct folio *f = page_folio(pages[i]);

		folio_unlock(f);
		folio_putback_lru(f);
		if (!folio_mapped(f))
			free_swap_cache(f);
		put_page(pages[i]);
	}
	kfree(pages);
	return SCAN_SUCCEED;
}

static int collapse_huge_page(struct mm_struct *mm, unsigned long haddr,
			      struct collapse_control *cc)
{
	gfp_t gfp = khs()->defrag ? GFP_TRANSHUGE : GFP_TRANSHUGE_LIGHT;
	pmd_t *pmd = mm_find_pmd(mm, haddr);
	struct page *page;
	int ret;

	/* Nothing to do before allocating (hpage_collapse_scan_pmd's checks). */
	if (!pmd || pmd_none(pmdp_get(pmd)))
		return SCAN_PMD_NULL;
	if (pmd_trans_huge(pmdp_get(pmd)))
		return SCAN_PMD_MAPPED;
	page = alloc_pages(gfp, HPAGE_PMD_ORDER);
	if (!page) {
		count_vm_event(THP_COLLAPSE_ALLOC_FAILED);
		return SCAN_ALLOC_HUGE_PAGE_FAIL;
	}
	count_vm_event(THP_COLLAPSE_ALLOC);
	ret = __collapse_huge_page(mm, haddr, page_folio(page), cc);
	if (ret != SCAN_SUCCEED)
		put_page(page);
	else
		__atomic_fetch_add(&khs()->pages_collapsed, 1, __ATOMIC_RELAXED);
	return ret;
}

/* ---------------------------------------------------------------------
 * MADV_COLLAPSE
 */

int madvise_collapse(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct collapse_control cc = {
		.max_ptes_none = (unsigned int)HPAGE_PMD_NR,
		.max_ptes_swap = (unsigned int)HPAGE_PMD_NR,
		.max_ptes_shared = (unsigned int)HPAGE_PMD_NR,
	};
	struct mm_struct *mm = vma->vm_mm;
	unsigned long hstart = ALIGN(start, HPAGE_PMD_SIZE), hend = end & HPAGE_PMD_MASK;
	int last_fail = SCAN_SUCCEED;

	if (!collapse_vma_ok(vma, &cc))
		return -EINVAL;
	for (unsigned long a = hstart; a < hend; a += HPAGE_PMD_SIZE) {
		int ret = collapse_huge_page(mm, a, &cc);

		if (ret != SCAN_SUCCEED && ret != SCAN_PMD_MAPPED)
			last_fail = ret;
	}
	switch (last_fail) {
	case SCAN_SUCCEED:
		return 0;
	case SCAN_ALLOC_HUGE_PAGE_FAIL:
		return -ENOMEM;
	case SCAN_PAGE_COUNT: case SCAN_PAGE_LOCK: case SCAN_PAGE_LRU: case SCAN_DEL_PAGE_LRU:
		return -EAGAIN;
	default:
		return -EINVAL;
	}
}

/* ---------------------------------------------------------------------
 * khugepaged
 */

/* Scan @mm from khs()->scan_addr; returns the pages it counted as scanned. */
static unsigned int khugepaged_scan_mm(struct mm_struct *mm, unsigned int budget, bool *done)
{
	struct khugepaged_state *k = khs();
	struct collapse_control cc = {
		.is_khugepaged = true,
		.max_ptes_none = k->max_ptes_none,
		.max_ptes_swap = k->max_ptes_swap,
		.max_ptes_shared = k->max_ptes_shared,
	};
	unsigned int progress = 0;
	struct vm_area_struct *vma;

	*done = true;
	if (!mmap_write_trylock(mm))
		return 1;	/* busy: try the next mm */
	{
		VMA_ITERATOR(vmi, mm, k->scan_addr);

		for_each_vma(vmi, vma) {
			unsigned long a, hend = vma->vm_end & HPAGE_PMD_MASK;

			if (!collapse_vma_ok(vma, &cc))
				continue;
			for (a = max(ALIGN(vma->vm_start, HPAGE_PMD_SIZE), k->scan_addr); a < hend;
			     a += HPAGE_PMD_SIZE) {
				int ret;

				if (progress >= budget) {
					k->scan_addr = a;
					*done = false;
					goto out;
				}
				progress += (unsigned int)HPAGE_PMD_NR;
				ret = collapse_huge_page(mm, a, &cc);
				if (ret == SCAN_ALLOC_HUGE_PAGE_FAIL) {
					k->alloc_failed = true;
					k->scan_addr = a;
					*done = false;
					goto out;
				}
			}
		}
	}
out:
	mmap_write_unlock(mm);
	return progress ? progress : 1;
}

/*
 * One wakeup: from the cursor (scan_pid, scan_addr) on, up to pages_to_scan
 * pages; reaching the end of the task list ends a full scan and the
 * wakeup (Linux's pass_through_head).
 */
static void khugepaged_do_scan(struct work_struct *work)
{
	struct khugepaged_state *k = khs();
	struct mmsim *m = current_machine();
	unsigned int budget = k->pages_to_scan, progress = 0;
	struct task_struct *t = NULL;
	unsigned long delay;

	(void)work;
	k->alloc_failed = false;
	while (progress < budget && !k->alloc_failed) {
		struct mm_struct *mm;
		bool done;

		t = next_task_of(m, t);
		if (!t) {
			__atomic_fetch_add(&k->full_scans, 1, __ATOMIC_RELAXED);
			k->scan_pid = 0;
			k->scan_addr = 0;
			break;
		}
		if (t->pid < k->scan_pid)
			continue;
		if (t->pid != k->scan_pid)
			k->scan_addr = 0;
		k->scan_pid = t->pid;
		mm = get_task_mm(t);
		if (!mm)
			continue;
		progress += khugepaged_scan_mm(mm, budget - progress, &done);
		mmput(mm);
		if (!done)
			break;
		k->scan_pid = t->pid + 1;
		k->scan_addr = 0;
	}
	delay = k->alloc_failed ? k->alloc_sleep_millisecs : k->scan_sleep_millisecs;
	if (transparent_hugepage_flag_test(TRANSPARENT_HUGEPAGE_FLAG) ||
	    transparent_hugepage_flag_test(TRANSPARENT_HUGEPAGE_REQ_MADV_FLAG))
		queue_delayed_work(system_unbound_wq, &k->work, kh_msecs_to_jiffies(delay));
	else
		k->running = false;
}

void khugepaged_enter_vma(struct vm_area_struct *vma, vm_flags_t vm_flags)
{
	struct khugepaged_state *k = khs();
	bool expected = false;

	if (!thp_vma_allowable_order(vma, vm_flags, HPAGE_PMD_ORDER))
		return;
	if (__atomic_load_n(&k->running, __ATOMIC_ACQUIRE) ||
	    !__atomic_compare_exchange_n(&k->running, &expected, true, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return;
	queue_delayed_work(system_unbound_wq, &k->work, kh_msecs_to_jiffies(k->scan_sleep_millisecs));
}

/* ---------------------------------------------------------------------
 * /sys/kernel/mm/transparent_hugepage/khugepaged/
 */

#define KH_FIELD(f)	((const void *)offsetof(struct khugepaged_state, f))

static unsigned int *kh_uint(struct proc_file *f)
{
	return (unsigned int *)((char *)khs() + (size_t)f->entry->data);
}

static int kh_show(struct seq_file *sf, struct proc_file *f)
{
	seq_printf(sf, "%u\n", __atomic_load_n(kh_uint(f), __ATOMIC_RELAXED));
	return 0;
}

static int kh_ulong_show(struct seq_file *sf, struct proc_file *f)
{
	seq_printf(sf, "%lu\n", __atomic_load_n((unsigned long *)((char *)khs() +
								  (size_t)f->entry->data),
						__ATOMIC_RELAXED));
	return 0;
}

/* Linux's kstrtouint and the attribute's bounds. */
static int kh_store(struct proc_file *f, const char *text)
{
	size_t off = (size_t)f->entry->data;
	unsigned long max = UINT_MAX, min = 0, v;
	char *end;

	if (!*text || *text == '-' || *text == '+')
		return -EINVAL;
	v = strtoul(text, &end, 10);
	if (*end == '\n')
		end++;
	if (*end || end == text)
		return -EINVAL;
	if (off == offsetof(struct khugepaged_state, max_ptes_none) ||
	    off == offsetof(struct khugepaged_state, max_ptes_swap) ||
	    off == offsetof(struct khugepaged_state, max_ptes_shared))
		max = HPAGE_PMD_NR - 1;
	if (off == offsetof(struct khugepaged_state, pages_to_scan))
		min = 1;
	if (off == offsetof(struct khugepaged_state, defrag))
		max = 1;
	if (v < min || v > max)
		return -EINVAL;
	__atomic_store_n(kh_uint(f), (unsigned int)v, __ATOMIC_RELAXED);
	return 0;
}

static const struct proc_entry khugepaged_files[] = {
#define KH_RW(name) { "/sys/kernel/mm/transparent_hugepage/khugepaged/" #name, kh_show, kh_store, \
		      KH_FIELD(name) }
	KH_RW(pages_to_scan),
	KH_RW(scan_sleep_millisecs),
	KH_RW(alloc_sleep_millisecs),
	KH_RW(max_ptes_none),
	KH_RW(max_ptes_swap),
	KH_RW(max_ptes_shared),
	KH_RW(defrag),
#undef KH_RW
	{ "/sys/kernel/mm/transparent_hugepage/khugepaged/full_scans", kh_ulong_show, NULL,
	  KH_FIELD(full_scans) },
	{ "/sys/kernel/mm/transparent_hugepage/khugepaged/pages_collapsed", kh_ulong_show, NULL,
	  KH_FIELD(pages_collapsed) },
};

int khugepaged_init(struct thp_state *ts)
{
	struct khugepaged_state *k = &ts->khugepaged;

	/* Linux's defaults: 8 PMDs a pass, 10 s between passes, 60 s after
	 * an allocation failure, max_ptes_none 511, swap 64, shared 256. */
	k->pages_to_scan = (unsigned int)HPAGE_PMD_NR * 8;
	k->scan_sleep_millisecs = 10000;
	k->alloc_sleep_millisecs = 60000;
	k->max_ptes_none = (unsigned int)HPAGE_PMD_NR - 1;
	k->max_ptes_swap = (unsigned int)HPAGE_PMD_NR / 8;
	k->max_ptes_shared = (unsigned int)HPAGE_PMD_NR / 2;
	k->defrag = 1;
	INIT_DELAYED_WORK(&k->work, khugepaged_do_scan);
	return proc_create_table(khugepaged_files);
}

void khugepaged_exit(struct thp_state *ts)
{
	cancel_delayed_work_sync(&ts->khugepaged.work);
}
