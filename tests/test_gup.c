// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_gup.c - get_user_pages / pin_user_pages: the page returned is
 * the one mapped (FOLL_WRITE breaks COW and replaces the zero page first),
 * FOLL_GET adds one reference and FOLL_PIN GUP_PIN_COUNTING_BIAS (and
 * marks the mm MMF_HAS_PINNED), the zero page is never pinned, a pinned
 * page outlives its mapping until unpinned, Linux's errors (-EFAULT for no
 * VMA or a forbidden access, partial counts), and the populate helpers
 * (populate_vma_page_range, faultin_page_range's -ENOMEM / -EINVAL).
 */
#include "fault_fixture.h"

#define VA	0x40000000UL

static void test_errors(void)
{
	struct mm_struct *mm = fx_mm();
	struct page *pages[8];

	fx_vma(mm, VA, 4 * PAGE_SIZE, VM_READ | VM_WRITE);
	fx_vma(mm, VA + 8 * PAGE_SIZE, PAGE_SIZE, VM_READ);
	fx_vma(mm, VA + 10 * PAGE_SIZE, PAGE_SIZE, VM_NONE);
	KT_EQ(get_user_pages_remote(mm, VA - PAGE_SIZE, 1, 0, pages, NULL), -EFAULT);
	KT_EQ(get_user_pages_remote(mm, VA + 8 * PAGE_SIZE, 1, FOLL_WRITE, pages, NULL), -EFAULT);
	KT_EQ(get_user_pages_remote(mm, VA + 10 * PAGE_SIZE, 1, 0, pages, NULL), -EFAULT);
	KT_EQ(get_user_pages_remote(mm, VA, 0, 0, pages, NULL), 0);
	/* a range running off the VMA: the pages done */
	KT_EQ(get_user_pages_remote(mm, VA + 2 * PAGE_SIZE, 4, FOLL_WRITE, pages, NULL), 2);
	put_page(pages[0]);
	put_page(pages[1]);
	/* FOLL_PIN is internal */
	KT_EQ(get_user_pages_remote(mm, VA, 1, FOLL_PIN, pages, NULL), -EINVAL);
	KT_ASSERT(fx_valid(&mm, 1));
	fx_destroy(mm);
}

static void test_write_breaks_cow(void)
{
	struct mm_struct *mm = fx_mm();
	struct page *page;

	fx_vma(mm, VA, 4 * PAGE_SIZE, VM_READ | VM_WRITE);
	/* a read GUP of untouched memory gets the zero page */
	KT_EQ(get_user_pages_remote(mm, VA, 1, 0, &page, NULL), 1);
	KT_EQ(page, mm_zero_page());
	put_page(page);
	/* FOLL_WRITE replaces it first and returns what is mapped */
	KT_EQ(get_user_pages_remote(mm, VA, 1, FOLL_WRITE, &page, NULL), 1);
	KT_ASSERT(page != mm_zero_page());
	KT_EQ(page, fx_page(mm, VA));
	KT_ASSERT(pte_write(fx_pte(mm, VA)));
	KT_ASSERT(PageAnonExclusive(page));
	KT_EQ(page_ref_count(page), 2);		/* mapping + GUP */
	put_page(page);
	KT_EQ(page_ref_count(page), 1);
	KT_EQ(get_mm_counter(mm, MM_ANONPAGES), 1);
	KT_ASSERT(fx_valid(&mm, 1));
	fx_destroy(mm);
}

static void test_pins(void)
{
	struct mm_struct *mm = fx_mm();
	struct page *pages[2], *zero;
	unsigned long free_before;

	fx_vma(mm, VA, 4 * PAGE_SIZE, VM_READ | VM_WRITE);
	KT_EQ(pin_user_pages_remote(mm, VA, 2, FOLL_WRITE, pages, NULL), 2);
	KT_ASSERT(mm->flags & (1UL << MMF_HAS_PINNED));
	for (int i = 0; i < 2; i++) {
		KT_EQ(page_ref_count(pages[i]), 1 + (int)GUP_PIN_COUNTING_BIAS);
		KT_ASSERT(folio_maybe_dma_pinned(page_folio(pages[i])));
	}
	unpin_user_pages(pages, 2);
	KT_EQ(page_ref_count(pages[0]), 1);
	KT_ASSERT(!folio_maybe_dma_pinned(page_folio(pages[0])));

	/* the zero page: a short-term R/O pin takes no reference */
	zero = mm_zero_page();
	{
		int ref = page_ref_count(zero);

		KT_EQ(pin_user_pages_remote(mm, VA + 3 * PAGE_SIZE, 1, 0, pages, NULL), 1);
		KT_EQ(pages[0], zero);
		KT_EQ(page_ref_count(zero), ref);
		unpin_user_page(pages[0]);
		KT_EQ(page_ref_count(zero), ref);
	}
	/* a long-term R/O pin unshares the zero page: a real page, still read-only */
	KT_EQ(pin_user_pages_remote(mm, VA + 3 * PAGE_SIZE, 1, FOLL_LONGTERM, pages, NULL), 1);
	KT_ASSERT(pages[0] != zero);
	KT_EQ(pages[0], fx_page(mm, VA + 3 * PAGE_SIZE));
	KT_ASSERT(!pte_write(fx_pte(mm, VA + 3 * PAGE_SIZE)));
	unpin_user_page(pages[0]);

	/* a pinned page outlives its mapping until unpinned */
	KT_EQ(pin_user_pages_remote(mm, VA + PAGE_SIZE, 1, FOLL_WRITE, pages, NULL), 1);
	drain_all_pages(NULL);
	free_before = nr_free_pages();
	fx_zap(mm, VA + PAGE_SIZE, PAGE_SIZE);
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), free_before);
	KT_EQ(page_ref_count(pages[0]), (int)GUP_PIN_COUNTING_BIAS);
	unpin_user_page(pages[0]);
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), free_before + 1);
	KT_ASSERT(fx_valid(&mm, 1));
	fx_destroy(mm);
}

static void test_populate(void)
{
	struct mm_struct *mm = fx_mm();
	struct vm_area_struct *rw, *ro, *lof;
	int locked = 0;

	rw = fx_vma(mm, VA, 4 * PAGE_SIZE, VM_READ | VM_WRITE);
	ro = fx_vma(mm, VA + 8 * PAGE_SIZE, 2 * PAGE_SIZE, VM_READ);
	lof = fx_vma(mm, VA + 16 * PAGE_SIZE, 2 * PAGE_SIZE, VM_READ | VM_WRITE | VM_LOCKONFAULT);
	mmap_read_lock(mm);
	KT_EQ(populate_vma_page_range(rw, rw->vm_start, rw->vm_end, NULL), 4);
	KT_EQ(populate_vma_page_range(ro, ro->vm_start, ro->vm_end, NULL), 2);
	KT_EQ(populate_vma_page_range(lof, lof->vm_start, lof->vm_end, NULL), 2);
	mmap_read_unlock(mm);
	for (int i = 0; i < 4; i++)
		KT_ASSERT(pte_write(fx_pte(mm, VA + i * PAGE_SIZE)));	/* COW broken */
	KT_EQ(pte_pfn(fx_pte(mm, VA + 8 * PAGE_SIZE)), page_to_pfn(mm_zero_page()));
	KT_ASSERT(pte_none(fx_pte(mm, VA + 16 * PAGE_SIZE)));	/* lock on fault */
	KT_EQ(get_mm_counter(mm, MM_ANONPAGES), 4);

	/* MADV_POPULATE_*'s errors */
	KT_EQ(faultin_page_range(mm, VA + 4 * PAGE_SIZE, VA + 5 * PAGE_SIZE, false, &locked), -ENOMEM);
	locked = 0;
	KT_EQ(faultin_page_range(mm, VA + 8 * PAGE_SIZE, VA + 9 * PAGE_SIZE, true, &locked), -EINVAL);
	KT_EQ(faultin_page_range(mm, VA + 8 * PAGE_SIZE, VA + 10 * PAGE_SIZE, false, &locked), 2);
	KT_ASSERT(fx_valid(&mm, 1));
	fx_destroy(mm);
}

/* Shared anonymous memory (shmem): fork does not copy it, the child faults
 * in the same page even while it is pinned, and a R/O pin of a page shared
 * with a child needs no unshare. */
static void test_shared_anon(void)
{
	struct mm_struct *mm = fx_mm(), *child;
	struct page *page, *pinned;

	fx_vma(mm, VA, 2 * PAGE_SIZE, VM_READ | VM_WRITE | VM_SHARED);
	KT_EQ(fx_fault(mm, VA, false), 0);	/* no zero page in a shared mapping */
	page = fx_page(mm, VA);
	KT_ASSERT(page && page != mm_zero_page());
	KT_EQ(pin_user_pages_remote(mm, VA, 1, FOLL_WRITE | FOLL_LONGTERM, &pinned, NULL), 1);
	KT_EQ(pinned, page);
	child = fx_fork(mm);
	KT_ASSERT(!fx_page(child, VA));		/* not copied: faulted from the object */
	KT_EQ(fx_fault(child, VA, false), 0);
	KT_EQ(fx_page(child, VA), page);
	KT_EQ(page_mapcount(page), 2);
	unpin_user_page(pinned);
	KT_EQ(pin_user_pages_remote(mm, VA, 1, FOLL_LONGTERM, &pinned, NULL), 1);
	KT_EQ(pinned, page);
	unpin_user_page(pinned);
	/* a write in the child lands in the shared page */
	KT_EQ(fx_fault(child, VA, true), 0);
	KT_EQ(fx_page(child, VA), page);
	{
		struct mm_struct *mms[2] = { mm, child };

		KT_ASSERT(fx_valid(mms, 2));
	}
	fx_destroy(child);
	fx_destroy(mm);
}

static void run(const char *spec)
{
	struct mmsim *m = boot_or_die(spec);

	printf("# %s\n", spec);
	KT_RUN(test_errors);
	KT_RUN(test_write_breaks_cow);
	KT_RUN(test_pins);
	KT_RUN(test_populate);
	KT_RUN(test_shared_anon);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("arch=x86_64 ram=128M cpus=2");
	run("arch=i386 ram=2G cpus=2");
	run("arch=arm64 page_size=64K ram=256M cpus=2");
	return kt_done();
}
