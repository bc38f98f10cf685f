// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_rmap_unmap.c - try_to_unmap of an anonymous page that was
 * swapped out before a fork and swapped back in by both processes leaves
 * it mapped nowhere.
 *
 * The page is shared after fork (its swap PTE is in both mms), so the
 * folio swap-in creates is not exclusive: Linux's __folio_set_anon then
 * points it at the ROOT anon_vma of the faulting VMA (the oldest one every
 * process sharing the page is chained to), not at the faulting VMA's own.
 * Had the child's own anon_vma been chosen when the child faulted first,
 * the parent's VMA -- chained only to the root -- would not be in that
 * anon_vma's tree, and the rmap walk would never reach the parent's PTE:
 * try_to_unmap would return with the folio still mapped (mapcount 1), and
 * reclaim could never swap it out again.
 *
 * Each order (child first, parent first), with the folio freed from or
 * kept in the swap cache before the fork, and a grandchild (three
 * generations, the youngest faulting first): the folio's anon_vma is the
 * root's, every PTE is found by rmap_walk, and try_to_unmap leaves
 * folio_mapped() false with every PTE a swap PTE again.
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include "mmtest.h"
#include "swap_fixture.h"

static struct mmsim *m;

static char sread(unsigned long va)
{
	char c = 0;

	KT_EQ(mmsim_user_read(va, &c, 1), 0);
	return c;
}

static void swrite(unsigned long va, char c)
{
	KT_EQ(mmsim_user_write(va, &c, 1), 0);
}

static bool count_one(struct folio *folio, struct vm_area_struct *vma, unsigned long address,
		      void *arg)
{
	if (page_vma_mapped_pte(vma->vm_mm, address, page_to_pfn(&folio->page)))
		(*(int *)arg)++;
	return true;
}

/* The PTEs rmap_walk finds mapping @folio. */
static int rmap_found(struct folio *folio)
{
	int n = 0;
	struct rmap_walk_control rwc = { .arg = &n, .rmap_one = count_one };

	rmap_walk(folio, &rwc);
	return n;
}

#define NR_GEN	3

/*
 * @gens processes (parent, child, grandchild) share one page swapped out
 * before the forks; they fault it in youngest first if @young_first, and
 * try_to_unmap must then reach all of them.
 */
static void shared_swapin_case(int gens, bool young_first, bool keep_cache)
{
	struct task_struct *t[NR_GEN], *root_task = mmsim_spawn(m, "rmapu");
	long long free0 = get_nr_swap_pages();
	struct vm_area_struct *vma;
	struct folio *folio;
	struct page *page;
	unsigned long va;
	pte_t pte;

	t[0] = root_task;
	KT_EQ(mmsim_switch_to(t[0]), 0);
	va = sys_mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	swrite(va, 'a');
	KT_ASSERT(swap_out_page(t[0]->mm, va, keep_cache).val);
	for (int g = 1; g < gens; g++) {
		long pid = sys_fork();

		KT_ASSERT(pid > 0);
		t[g] = find_task_by_vpid((pid_t)pid);
		KT_ASSERT(t[g]);
		KT_EQ(mmsim_switch_to(t[g]), 0);
	}
	for (int i = 0; i < gens; i++) {
		int g = young_first ? gens - 1 - i : i;

		KT_EQ(mmsim_switch_to(t[g]), 0);
		KT_EQ(sread(va), 'a');
	}
	KT_EQ(mmsim_switch_to(t[0]), 0);

	pte = pte_at(t[0]->mm, va);
	KT_ASSERT(pte_present(pte));
	page = pfn_to_page(pte_pfn(pte));
	folio = page_folio(page);
	KT_EQ(folio_mapcount(folio), gens);
	mmap_read_lock(t[0]->mm);
	vma = vma_lookup(t[0]->mm, va);
	KT_ASSERT(vma && vma->anon_vma);
	/* Linux's __folio_set_anon: a folio not exclusive gets the oldest anon_vma. */
	KT_ASSERT(folio_anon_vma(folio) == vma->anon_vma->root);
	KT_EQ(folio->page.index, linear_page_index(vma, va));
	mmap_read_unlock(t[0]->mm);
	KT_EQ(rmap_found(folio), gens);

	get_page(page);
	folio_lock(folio);
	try_to_unmap(folio, TTU_SYNC);
	KT_ASSERT(!folio_mapped(folio));
	folio_unlock(folio);
	for (int g = 0; g < gens; g++)
		KT_ASSERT(is_swap_pte(pte_at(t[g]->mm, va)));
	put_page(page);
	KT_ASSERT(mm_mapcounts_are_valid(m) && swap_counts_are_valid(m));

	/* Everyone reads its byte back; then all exit and the slots are free. */
	for (int g = gens - 1; g >= 0; g--) {
		KT_EQ(mmsim_switch_to(t[g]), 0);
		KT_EQ(sread(va), 'a');
		KT_ASSERT(mm_is_valid(t[g]->mm));
	}
	for (int g = gens - 1; g > 0; g--) {
		pid_t pid = task_pid_nr(t[g]);

		KT_EQ(mmsim_switch_to(t[g]), 0);
		sys_exit_group(0);
		KT_EQ(mmsim_switch_to(t[g - 1]), 0);
		KT_EQ(sys_wait4(pid, NULL, 0, NULL), pid);
	}
	mmsim_advance_clock(m, 100 * 1000 * 1000ULL);	/* readahead I/O done */
	sys_exit_group(0);
	KT_EQ(get_nr_swap_pages(), free0);
	KT_ASSERT(swap_counts_are_valid(m));
}

static void test_unmap_shared_swapin(void)
{
	for (int gens = 2; gens <= NR_GEN; gens++) {
		for (int order = 0; order < 2; order++) {
			for (int keep = 0; keep < 2; keep++) {
				int failed = kt_failed + kt_cur_failed;

				shared_swapin_case(gens, order, keep);
				if (kt_failed + kt_cur_failed != failed)
					printf("#   in: %d generations, %s first, swap cache %s\n",
					       gens, order ? "youngest" : "oldest",
					       keep ? "kept" : "freed");
			}
		}
	}
}

static void run(const char *spec)
{
	m = mmsim_boot(spec);
	if (!m) {
		printf("# %s: no boot (%s): skipped\n", spec, mmsim_last_error());
		return;
	}
	printf("# %s\n", spec);
	KT_RUN(test_unmap_shared_swapin);
	KT_ASSERT(log_is_clean(m));
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=64M swap=16M");
	run("arch=arm64 page_size=64K ram=256M swap=64M");
	return kt_done();
}
