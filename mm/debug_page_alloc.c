// SPDX-License-Identifier: GPL-2.0
/*
 * mm/debug_page_alloc.c - debug_pagealloc=on (Linux's
 * mm/debug_page_alloc.c and the __kernel_map_pages() that
 * debug_pagealloc_map_pages()/unmap_pages() call): every block the page
 * allocator frees is made inaccessible in the host view of the direct map
 * (mprotect PROT_NONE), and accessible again when it is handed out, so a
 * use after free of a page traps in hardware and kernel/oops.c prints
 * Linux's page-fault oops ("BUG: unable to handle page fault for
 * address: ...", "#PF: error_code(0x0000) - not-present page").
 *
 * Calls: free_pages_prepare() unmaps last (after init_on_free and page
 * poisoning wrote the block), post_alloc_hook()/prep_new_page() map first
 * (before page poisoning checks and init_on_alloc zero it), and the boot's
 * __free_pages_core() unmaps what memblock hands over, as Linux's path
 * through free_pages_prepare() does.  Highmem pages are not in the direct
 * map and are left alone (Linux's __kernel_map_pages does the same).
 *
 * Host mappings.  Each protected run of pages splits the direct map's
 * host VMA, and the host allows vm.max_map_count (65530) VMAs per process,
 * shared with vmalloc and every other machine.  So the protected pfns are
 * kept in a bitmap and their maximal runs counted exactly (a change of
 * [a, b) changes only the runs meeting [a - 1, b]); past a quarter of
 * vm.max_map_count runs, or when the host refuses an mprotect, the
 * machine gives up: one warning, every protected run is opened again, and
 * debug_pagealloc stays off for that machine (docs/kfence.md).
 *
 * Not done: the simulated kernel page table maps the direct map with
 * large leaves (arch/paging.c) and is not split to 4K PTEs; only the host
 * view traps.  vmap/vmalloc aliases of a freed page are not flushed at
 * once (Linux's vm_unmap_aliases under debug_pagealloc).
 * debug_guardpage_minorder= takes only 0 (no guard pages).
 *
 * Locking: dp->lock (a spinlock) covers the bitmap, the run count and the
 * mprotect calls, so the count always matches the host's protections.
 *
 * Invariants (debug_pagealloc_is_valid): nr_runs == the maximal runs of
 * set bits; a set bit's page is free (PageBuddy, or a tail of a free block,
 * or on a per-CPU list: page_ref_count() == 0) and its host view is
 * PROT_NONE.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/kfence.h>
#include "arch/hostmap.h"
#include "init/init.h"
#include "lib/cmdline.h"
#include "mm/internal.h"

struct debug_pagealloc_state {
	bool on;			/* debug_pagealloc=on */
	int guardpage_minorder;		/* debug_guardpage_minorder= (0 only) */
	spinlock_t lock;
	unsigned long base_pfn, nr_pfns;	/* the direct map's pfns */
	unsigned long *protected;	/* bit per pfn: host view PROT_NONE */
	unsigned long nr_runs;		/* maximal runs of set bits (lock) */
	unsigned long max_runs;		/* vm.max_map_count / 4 */
	bool gave_up;			/* out of host mappings: stopped */
};

DECLARE_SUBSYSTEM(debug_pagealloc);

/*
 * The page-level debugging of a block being freed, called last by
 * free_pages_prepare() (after init_on_free, which poisoning turns off):
 * poison it, then unmap it - nothing may touch its bytes after that.
 * Out of line, so the allocator's fast path pays one test.
 */
void page_debug_free(struct page *page, unsigned int nr)
{
	kernel_poison_pages(page, (int)nr);
	debug_pagealloc_unmap_pages(page, nr);
}

/* ... and of a block handed out, first in prep_new_page(): map, then check the poison. */
void page_debug_alloc(struct page *page, unsigned int nr)
{
	debug_pagealloc_map_pages(page, nr);
	kernel_unpoison_pages(page, (int)nr);
}

#ifdef CONFIG_DEBUG_PAGEALLOC

#define BITS	(8 * sizeof(unsigned long))

static struct debug_pagealloc_state *dp_state(struct mmsim *m)
{
	return subsys_state(m, debug_pagealloc);
}

bool debug_pagealloc_enabled(void)
{
	return unlikely(M()->debug_pagealloc);
}

static bool dp_test(const struct debug_pagealloc_state *dp, unsigned long i)
{
	return dp->protected[i / BITS] & (1UL << (i % BITS));
}

static void dp_assign(struct debug_pagealloc_state *dp, unsigned long i, bool set)
{
	if (set)
		dp->protected[i / BITS] |= 1UL << (i % BITS);
	else
		dp->protected[i / BITS] &= ~(1UL << (i % BITS));
}

/* Runs of set bits meeting [lo, hi] (indexes, clamped). */
static unsigned long runs_meeting(const struct debug_pagealloc_state *dp, long lo, long hi)
{
	unsigned long runs = 0;

	if (lo < 0)
		lo = 0;
	if (hi >= (long)dp->nr_pfns)
		hi = (long)dp->nr_pfns - 1;
	for (long i = lo; i <= hi; i++)
		if (dp_test(dp, (unsigned long)i) && (i == lo || !dp_test(dp, (unsigned long)i - 1)))
			runs++;
	return runs;
}

/* Out of host mappings: open everything, stop for this machine (dp->lock held). */
static void dp_give_up(struct mmsim *m, struct debug_pagealloc_state *dp, const char *why)
{
	unsigned long i = 0;

	while (i < dp->nr_pfns) {
		unsigned long j;

		if (!dp_test(dp, i)) {
			i++;
			continue;
		}
		for (j = i; j < dp->nr_pfns && dp_test(dp, j); j++)
			dp_assign(dp, j, false);
		arch_protect_rw_range(page_address(pfn_to_page(dp->base_pfn + i)), (j - i) << PAGE_SHIFT);
		i = j;
	}
	dp->nr_runs = 0;
	dp->gave_up = true;
	m->debug_pagealloc = false;
	pr_warn("debug_pagealloc: %s (vm.max_map_count %lu): freed pages are no longer unmapped\n",
		why, arch_max_map_count());
}

/**
 * __kernel_map_pages - make @numpages pages at @page accessible (@enable)
 * or not in the host view of the direct map
 */
void __kernel_map_pages(struct page *page, unsigned int numpages, int enable)
{
	struct mmsim *m = M();
	struct debug_pagealloc_state *dp = dp_state(m);
	unsigned long pfn = page_to_pfn(page), idx, before, after;
	int ret;

	if (PageHighMem(page) || pfn < dp->base_pfn || pfn - dp->base_pfn + numpages > dp->nr_pfns)
		return;
	idx = pfn - dp->base_pfn;
	spin_lock(&dp->lock);
	if (dp->gave_up) {
		spin_unlock(&dp->lock);
		return;
	}
	before = runs_meeting(dp, (long)idx - 1, (long)(idx + numpages));
	for (unsigned long i = 0; i < numpages; i++)
		dp_assign(dp, idx + i, !enable);
	after = runs_meeting(dp, (long)idx - 1, (long)(idx + numpages));
	dp->nr_runs += after - before;
	if (dp->nr_runs > dp->max_runs) {
		/* Open this block first: the give-up opens only the bitmap's runs. */
		arch_protect_rw_range(page_address(page), (size_t)numpages << PAGE_SHIFT);
		dp_give_up(m, dp, "too many host mappings");
		spin_unlock(&dp->lock);
		return;
	}
	if (enable)
		ret = arch_protect_rw_range(page_address(page), (size_t)numpages << PAGE_SHIFT);
	else
		ret = arch_protect_none_range(page_address(page), (size_t)numpages << PAGE_SHIFT);
	if (ret) {
		arch_protect_rw_range(page_address(page), (size_t)numpages << PAGE_SHIFT);
		dp_give_up(m, dp, "the host refused an mprotect");
	}
	spin_unlock(&dp->lock);
}

bool kernel_page_present(struct page *page)
{
	struct debug_pagealloc_state *dp = dp_state(M());
	unsigned long pfn = page_to_pfn(page);
	bool present;

	if (!dp->protected || pfn < dp->base_pfn || pfn - dp->base_pfn >= dp->nr_pfns)
		return true;
	spin_lock(&dp->lock);
	present = !dp_test(dp, pfn - dp->base_pfn);
	spin_unlock(&dp->lock);
	return present;
}

/**
 * debug_pagealloc_is_valid - the invariants above, for the tests
 * Return: true, or false after a pr_err naming the first broken one.
 */
bool debug_pagealloc_is_valid(struct mmsim *m)
{
	struct debug_pagealloc_state *dp = dp_state(m);
	bool ok = true;
	unsigned long runs;

	if (!dp->protected)
		return true;
	spin_lock(&dp->lock);
	runs = runs_meeting(dp, 0, (long)dp->nr_pfns - 1);
	if (runs != dp->nr_runs) {
		pr_err("debug_pagealloc_is_valid: %lu protected runs counted, %lu found\n",
		       dp->nr_runs, runs);
		ok = false;
	}
	for (unsigned long i = 0; ok && i < dp->nr_pfns; i++) {
		struct page *page;

		if (!dp_test(dp, i))
			continue;
		page = pfn_to_page(dp->base_pfn + i);
		if (page_ref_count(page) != 0) {
			pr_err("debug_pagealloc_is_valid: pfn %lx is unmapped but has %d references\n",
			       dp->base_pfn + i, page_ref_count(page));
			dump_page(page, "unmapped page in use");
			ok = false;
		}
	}
	spin_unlock(&dp->lock);
	return ok;
}

/* ---------------------------------------------------------------------
 * Boot
 */

static int early_debug_pagealloc(void *state, const struct kernel_param *kp, const char *word,
				 const char *val, char *err, size_t len)
{
	struct debug_pagealloc_state *dp = state;

	(void)kp;
	if (cmdline_bool(val, &dp->on))
		return cmdline_fail(err, len, "'%s': debug_pagealloc takes on or off", word);
	return 0;
}

static int debug_guardpage_minorder_setup(void *state, const struct kernel_param *kp,
					  const char *word, const char *val, char *err, size_t len)
{
	(void)state;
	(void)kp;
	if (!strcmp(val, "0"))
		return 0;
	snprintf(err, len, "'%s': only debug_guardpage_minorder=0 is supported", word);
	return -EINVAL;
}

/*
 * Before memblock_free_all() (mm_core_init), so the boot's own frees are
 * unmapped: the bitmap covers the direct map's pfns.
 */
void debug_pagealloc_init(struct mmsim *m)
{
	struct debug_pagealloc_state *dp = dp_state(m);
	const struct mm_layout *l = &m->hw.layout;

	spin_lock_init(&dp->lock);
	if (!dp->on)
		return;
	dp->base_pfn = l->min_low_pfn;
	dp->nr_pfns = l->max_low_pfn > l->min_low_pfn ? l->max_low_pfn - l->min_low_pfn : 0;
	dp->protected = calloc((dp->nr_pfns + BITS - 1) / BITS + 1, sizeof(unsigned long));
	if (!dp->protected) {
		pr_err("debug_pagealloc: no memory for its bitmap: off\n");
		return;
	}
	dp->max_runs = arch_max_map_count() / 4;
	m->debug_pagealloc = true;
	pr_info("debug_pagealloc: enabled\n");
}

static void debug_pagealloc_exit(struct mmsim *m)
{
	struct debug_pagealloc_state *dp = dp_state(m);

	m->debug_pagealloc = false;
	free(dp->protected);
	dp->protected = NULL;
}

static const struct kernel_param debug_pagealloc_params[] = {
	early_param("debug_pagealloc", early_debug_pagealloc),
	early_param("debug_guardpage_minorder", debug_guardpage_minorder_setup),
};

/* The state was set up by debug_pagealloc_init(); the initcall is for its exit. */
static int debug_pagealloc_late(struct mmsim *m, char *err, size_t len)
{
	(void)m;
	(void)err;
	(void)len;
	return 0;
}

static const struct initcall debug_pagealloc_initcalls[] = {
	core_initcall(debug_pagealloc_late, debug_pagealloc_exit),
};

DEFINE_SUBSYSTEM(debug_pagealloc, SUBSYS_STATE(struct debug_pagealloc_state, NULL),
		 SUBSYS_PARAMS(debug_pagealloc_params),
		 SUBSYS_INITCALLS(debug_pagealloc_initcalls));

#else /* !CONFIG_DEBUG_PAGEALLOC */

static int refuse(void *state, const struct kernel_param *kp, const char *word, const char *val,
		  char *err, size_t len)
{
	(void)state;
	(void)kp;
	if (!strcmp(val, "off") || !strcmp(val, "0"))
		return 0;
	snprintf(err, len, "'%s': built without CONFIG_DEBUG_PAGEALLOC", word);
	return -EINVAL;
}

void debug_pagealloc_init(struct mmsim *m)
{
	(void)m;
}

bool debug_pagealloc_is_valid(struct mmsim *m)
{
	(void)m;
	return true;
}

static const struct kernel_param debug_pagealloc_params[] = {
	early_param("debug_pagealloc", refuse),
	early_param("debug_guardpage_minorder", refuse),
};

DEFINE_SUBSYSTEM(debug_pagealloc, SUBSYS_PARAMS(debug_pagealloc_params));

#endif /* CONFIG_DEBUG_PAGEALLOC */
