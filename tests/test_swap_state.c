// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_swap_state.c - the swap cache itself (mm/swap_state.c), with
 * swap entries made by hand (no swap area needed):
 *   - add_to_swap_cache: PG_swapcache, page->private, the cache's
 *     reference, NR_SWAPCACHE and NR_FILE_PAGES (meminfo SwapCached, and
 *     Cached not counting it), -EEXIST for a taken slot, one
 *     address_space per area;
 *   - swap_cache_get_folio: a reference, NULL for a hole or a shadow,
 *     swap_ra_hit counted once for a PG_readahead folio;
 *   - __delete_from_swap_cache leaves a shadow entry that the next
 *     add_to_swap_cache hands back; the counters return to where they
 *     were;
 *   - vm.page-cluster: 3 by default, 0..31 (-EINVAL otherwise);
 *   - show_swap_cache_info's three lines, as Linux prints them.
 * On x86_64, i386 (highmem pages) and arm64 with 64K pages.
 */
#include <mmsim/swapops.h>
#include <mmsim/pagemap.h>
#include <mmsim/rmap.h>
#include <mmsim/vmstat.h>
#include "mmtest.h"
#include "mm/fault_internal.h"
#include "mm/pagecache_internal.h"

static struct mmsim *m;

static long long meminfo_kb(const char *label)
{
	char *s = mmsim_read(m, "/proc/meminfo");
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static long long vmstat_val(const char *label)
{
	char *s = mmsim_read(m, "/proc/vmstat");
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

#define KB(pages) ((long long)(pages) * (long long)(PAGE_SIZE / 1024))

/* A new locked swap-backed folio, as swap-in makes one. */
static struct folio *new_folio(void)
{
	struct page *page = alloc_page(GFP_HIGHUSER_MOVABLE);

	if (!page)
		return NULL;
	KT_ASSERT(folio_trylock(page_folio(page)));
	page_flag_set(page, PG_swapbacked);
	return page_folio(page);
}

static void drop_folio(struct folio *folio)
{
	page_flag_clear(&folio->page, PG_swapbacked);
	folio_unlock(folio);
	put_page(&folio->page);
}

/* Out of the cache by hand (no slot to give back: the entries are made up). */
static void cache_remove(struct folio *folio, void *shadow)
{
	struct address_space *as = swap_address_space(folio_swap_entry(folio));

	xa_lock_irq(&as->i_pages);
	__delete_from_swap_cache(folio, folio_swap_entry(folio), shadow);
	xa_unlock_irq(&as->i_pages);
	put_page(&folio->page);		/* the cache's */
}

static void test_add_lookup_delete(void)
{
	swp_entry_t e = swp_entry(0, 5), e2 = swp_entry(1, 5);
	unsigned long cache0 = global_node_page_state(NR_SWAPCACHE);
	unsigned long file0 = global_node_page_state(NR_FILE_PAGES);
	long long cached0 = meminfo_kb("Cached:"), swapcached0 = meminfo_kb("SwapCached:");
	struct folio *a = new_folio(), *b = new_folio(), *f;

	KT_ASSERT(a && b);
	if (!a || !b)
		return;
	KT_ASSERT(swap_address_space(e) != swap_address_space(e2));
	KT_EQ(add_to_swap_cache(a, e, GFP_KERNEL, NULL), 0);
	KT_ASSERT(folio_test_swapcache(a));
	KT_EQ(folio_swap_entry(a).val, e.val);
	KT_EQ(page_ref_count(&a->page), 2);
	KT_EQ(global_node_page_state(NR_SWAPCACHE), cache0 + 1);
	KT_EQ(global_node_page_state(NR_FILE_PAGES), file0 + 1);
	KT_EQ(meminfo_kb("SwapCached:"), swapcached0 + KB(1));
	KT_EQ(meminfo_kb("Cached:"), cached0);	/* Cached leaves SwapCached out */
	KT_EQ(atomic_long_read(&swap_address_space(e)->nrpages), 1);
	/* the same slot again: -EEXIST, b untouched */
	KT_EQ(add_to_swap_cache(b, e, GFP_KERNEL, NULL), -EEXIST);
	KT_ASSERT(!folio_test_swapcache(b));
	KT_EQ(page_ref_count(&b->page), 1);
	KT_EQ(b->page.private, 0);
	/* the same offset of another area is another slot */
	KT_EQ(add_to_swap_cache(b, e2, GFP_KERNEL, NULL), 0);
	KT_EQ(global_node_page_state(NR_SWAPCACHE), cache0 + 2);

	f = swap_cache_get_folio(e, NULL, 0);
	KT_ASSERT(f == a);
	KT_EQ(page_ref_count(&a->page), 3);
	if (f)
		put_page(&f->page);
	KT_ASSERT(swap_cache_get_folio(swp_entry(0, 6), NULL, 0) == NULL);

	cache_remove(a, NULL);
	cache_remove(b, NULL);
	KT_ASSERT(!folio_test_swapcache(a) && !folio_test_swapcache(b));
	KT_EQ(a->page.private, 0);
	KT_EQ(page_ref_count(&a->page), 1);
	KT_EQ(global_node_page_state(NR_SWAPCACHE), cache0);
	KT_EQ(global_node_page_state(NR_FILE_PAGES), file0);
	KT_EQ(atomic_long_read(&swap_address_space(e)->nrpages), 0);
	KT_ASSERT(swap_cache_get_folio(e, NULL, 0) == NULL);
	drop_folio(a);
	drop_folio(b);
}

static void test_shadow(void)
{
	swp_entry_t e = swp_entry(2, 77);
	void *shadow = xa_mk_value(0x1234), *got = NULL;
	struct folio *a = new_folio(), *b = new_folio();

	KT_ASSERT(a && b);
	if (!a || !b)
		return;
	KT_EQ(add_to_swap_cache(a, e, GFP_KERNEL, &got), 0);
	KT_ASSERT(got == NULL);
	cache_remove(a, shadow);
	/* a shadow is no folio to a lookup */
	KT_ASSERT(swap_cache_get_folio(e, NULL, 0) == NULL);
	KT_ASSERT(xa_load(&swap_address_space(e)->i_pages, swap_cache_index(e)) == shadow);
	KT_EQ(atomic_long_read(&swap_address_space(e)->nrpages), 0);
	/* the next folio in that slot gets the shadow back */
	KT_EQ(add_to_swap_cache(b, e, GFP_KERNEL, &got), 0);
	KT_ASSERT(got == shadow);
	cache_remove(b, NULL);
	KT_ASSERT(xa_load(&swap_address_space(e)->i_pages, swap_cache_index(e)) == NULL);
	drop_folio(a);
	drop_folio(b);
}

static void test_readahead_hit(void)
{
	swp_entry_t e = swp_entry(0, 9);
	long long hits0 = vmstat_val("swap_ra_hit ");
	struct folio *a = new_folio(), *f;

	KT_ASSERT(a);
	if (!a)
		return;
	KT_ASSERT(hits0 >= 0);
	KT_EQ(add_to_swap_cache(a, e, GFP_KERNEL, NULL), 0);
	page_flag_set(&a->page, PG_readahead);
	f = swap_cache_get_folio(e, NULL, 0);
	KT_ASSERT(f == a);
	KT_ASSERT(!folio_test_readahead(a));
	KT_EQ(vmstat_val("swap_ra_hit "), hits0 + 1);
	if (f)
		put_page(&f->page);
	/* the second lookup is no readahead hit */
	f = swap_cache_get_folio(e, NULL, 0);
	KT_EQ(vmstat_val("swap_ra_hit "), hits0 + 1);
	if (f)
		put_page(&f->page);
	cache_remove(a, NULL);
	drop_folio(a);
}

static void test_page_cluster(void)
{
	char *s = mmsim_read(m, "/proc/sys/vm/page-cluster");

	KT_ASSERT(s && !strcmp(s, "3\n"));
	free(s);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/page-cluster", "0"), 0);
	s = mmsim_read(m, "/proc/sys/vm/page-cluster");
	KT_ASSERT(s && !strcmp(s, "0\n"));
	free(s);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/page-cluster", "-1"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/page-cluster", "32"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/page-cluster", "31"), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/page-cluster", "3"), 0);
}

static void test_show_info(void)
{
	size_t mark = log_mark(m);
	char *log;

	show_swap_cache_info();
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "0 pages in swap cache\n");
	KT_STR_CONTAINS(log, "Free swap  = ");
	KT_STR_CONTAINS(log, "Total swap = ");
	free(log);
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_add_lookup_delete);
	KT_RUN(test_shadow);
	KT_RUN(test_readahead_hit);
	KT_RUN(test_page_cluster);
	KT_RUN(test_show_info);
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=64M");
	run("arch=i386 ram=1G");
	run("arch=arm64 page_size=64K ram=256M");
	return kt_done();
}
