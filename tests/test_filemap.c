// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_filemap.c - the page cache's primitives (mm/filemap.c) on a
 * bare address_space, as Linux's:
 *   - filemap_add_folio adds a new folio locked, takes the cache's
 *     reference, sets ->mapping/->index, counts nrpages, NR_FILE_PAGES and
 *     (swap-backed folios) NR_SHMEM; filemap_remove_folio undoes each;
 *   - a second add at the same index fails with -EEXIST and leaves the
 *     loser as it was (unlocked, unmapped, one reference);
 *   - a value entry (a shadow) is a hole to lookups, replaced by an add
 *     (returned through shadowp) and left by __filemap_remove_folio;
 *   - __filemap_get_folio: -ENOENT, FGP_LOCK, FGP_LOCK|FGP_NOWAIT
 *     (-EAGAIN), FGP_ACCESSED (PG_referenced), FGP_CREAT; find_get_page;
 *   - filemap_get_folios walks in batches of 31 in index order;
 *   - every page goes back to the buddy allocator at the end.
 * On x86_64 and arm64 with 64K pages.
 */
#include <mmsim/err.h>
#include <mmsim/slab.h>
#include <mmsim/rmap.h>
#include <mmsim/pagemap.h>
#include <mmsim/vmstat.h>
#include "mmtest.h"
#include "mm/fault_internal.h"

static struct address_space as;

static unsigned long settled_free_pages(void)
{
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	return nr_free_pages();
}

static struct folio *new_folio(bool swapbacked)
{
	struct page *page = alloc_page(GFP_HIGHUSER_MOVABLE);

	KT_ASSERT(page);
	if (swapbacked)
		page_flag_set(page, PG_swapbacked);
	return page_folio(page);
}

static void drop(struct folio *folio)
{
	folio_lock(folio);
	filemap_remove_folio(folio);
	folio_unlock(folio);
}

static void test_add_get_remove(void)
{
	unsigned long before = settled_free_pages();
	unsigned long files = global_node_page_state(NR_FILE_PAGES);
	unsigned long shmem = global_node_page_state(NR_SHMEM);
	struct folio *a = new_folio(false), *b = new_folio(true), *f;

	address_space_init_once(&as);
	KT_EQ(filemap_add_folio(&as, a, 3, GFP_KERNEL), 0);
	KT_ASSERT(folio_test_locked(a));
	KT_EQ(page_count(&a->page), 2);
	KT_ASSERT(a->page.mapping == &as);
	KT_EQ(a->page.index, 3UL);
	folio_unlock(a);
	KT_EQ(filemap_add_folio(&as, b, 4, GFP_KERNEL), 0);
	folio_unlock(b);
	KT_EQ(atomic_long_read(&as.nrpages), 2);
	KT_EQ(global_node_page_state(NR_FILE_PAGES), files + 2);
	KT_EQ(global_node_page_state(NR_SHMEM), shmem + 1);

	f = filemap_get_folio(&as, 3);
	KT_ASSERT(f == a);
	KT_EQ(page_count(&a->page), 3);
	put_page(&f->page);
	KT_ASSERT(filemap_get_folio(&as, 5) == ERR_PTR(-ENOENT));
	KT_ASSERT(find_get_page(&as, 2) == NULL);
	KT_ASSERT(find_get_page(&as, 4) == &b->page);
	put_page(&b->page);

	f = __filemap_get_folio(&as, 4, FGP_LOCK | FGP_ACCESSED, 0);
	KT_ASSERT(f == b && folio_test_locked(b));
	KT_ASSERT(page_flag_test(&b->page, PG_referenced));
	KT_ASSERT(__filemap_get_folio(&as, 4, FGP_LOCK | FGP_NOWAIT, 0) == ERR_PTR(-EAGAIN));
	KT_EQ(page_count(&b->page), 3);
	folio_unlock(b);
	put_page(&f->page);

	drop(a);
	KT_ASSERT(a->page.mapping == NULL);
	KT_EQ(page_count(&a->page), 1);
	drop(b);
	KT_EQ(atomic_long_read(&as.nrpages), 0);
	KT_EQ(global_node_page_state(NR_FILE_PAGES), files);
	KT_EQ(global_node_page_state(NR_SHMEM), shmem);
	KT_ASSERT(xa_empty(&as.i_pages));
	put_page(&a->page);
	put_page(&b->page);
	xa_destroy(&as.i_pages);
	KT_EQ(settled_free_pages(), before);
}

static void test_eexist_and_shadows(void)
{
	unsigned long before = settled_free_pages();
	struct folio *a = new_folio(false), *b = new_folio(false), *c = new_folio(false);
	void *shadow = NULL;

	address_space_init_once(&as);
	KT_EQ(filemap_add_folio(&as, a, 5, GFP_KERNEL), 0);
	folio_unlock(a);
	/* the loser of the race */
	KT_EQ(filemap_add_folio(&as, b, 5, GFP_KERNEL), -EEXIST);
	KT_ASSERT(!folio_test_locked(b));
	KT_ASSERT(b->page.mapping == NULL);
	KT_EQ(page_count(&b->page), 1);
	KT_EQ(atomic_long_read(&as.nrpages), 1);
	put_page(&b->page);

	/* a shadow: a hole to lookups, handed to the next add */
	KT_ASSERT(!xa_is_err(xa_store(&as.i_pages, 7, xa_mk_value(42), GFP_KERNEL)));
	KT_ASSERT(filemap_get_folio(&as, 7) == ERR_PTR(-ENOENT));
	KT_ASSERT(folio_trylock(c));
	KT_EQ(__filemap_add_folio(&as, c, 7, GFP_KERNEL, &shadow), 0);
	KT_ASSERT(shadow == xa_mk_value(42));
	KT_EQ(atomic_long_read(&as.nrpages), 2);

	/* __filemap_remove_folio leaves the shadow it is given */
	xa_lock_irq(&as.i_pages);
	__filemap_remove_folio(c, xa_mk_value(3));
	xa_unlock_irq(&as.i_pages);
	folio_unlock(c);
	put_page(&c->page);		/* the cache's */
	KT_ASSERT(xa_load(&as.i_pages, 7) == xa_mk_value(3));
	KT_ASSERT(find_get_page(&as, 7) == NULL);
	KT_EQ(atomic_long_read(&as.nrpages), 1);
	KT_EQ(page_count(&c->page), 1);
	put_page(&c->page);

	drop(a);
	put_page(&a->page);
	xa_destroy(&as.i_pages);
	KT_EQ(settled_free_pages(), before);
}

static void test_creat_and_batches(void)
{
	unsigned long before = settled_free_pages();
	struct folio_batch fbatch;
	struct folio *f, *g;
	pgoff_t index = 0, expect = 0;
	unsigned int total = 0, batches = 0;

	address_space_init_once(&as);
	f = __filemap_get_folio(&as, 0, FGP_CREAT | FGP_LOCK, GFP_KERNEL);
	KT_ASSERT(!IS_ERR(f) && folio_test_locked(f));
	KT_EQ(page_count(&f->page), 2);
	folio_unlock(f);
	g = __filemap_get_folio(&as, 0, FGP_CREAT, GFP_KERNEL);
	KT_ASSERT(g == f && !folio_test_locked(g));
	put_page(&g->page);
	put_page(&f->page);
	for (pgoff_t i = 2; i < 80; i += 2) {
		f = __filemap_get_folio(&as, i, FGP_CREAT, GFP_KERNEL);
		KT_ASSERT(!IS_ERR(f));
		put_page(&f->page);
	}
	KT_EQ(atomic_long_read(&as.nrpages), 40);

	folio_batch_init(&fbatch);
	while (filemap_get_folios(&as, &index, 1000, &fbatch)) {
		batches++;
		for (unsigned int i = 0; i < folio_batch_count(&fbatch); i++) {
			KT_EQ(fbatch.folios[i]->page.index, expect);
			expect += 2;
			total++;
		}
		folio_batch_release(&fbatch);
	}
	KT_EQ(total, 40u);
	KT_EQ(batches, 2u);
	KT_EQ(index, 1001UL);

	index = 0;
	while (filemap_get_folios(&as, &index, (pgoff_t)-1, &fbatch)) {
		for (unsigned int i = 0; i < folio_batch_count(&fbatch); i++)
			drop(fbatch.folios[i]);
		folio_batch_release(&fbatch);
		if (index == (pgoff_t)-1)
			break;
	}
	KT_EQ(atomic_long_read(&as.nrpages), 0);
	xa_destroy(&as.i_pages);
	KT_EQ(settled_free_pages(), before);
}

static void run(const char *spec)
{
	struct mmsim *m = boot_or_die(spec);

	printf("# %s\n", spec);
	KT_RUN(test_add_get_remove);
	KT_RUN(test_eexist_and_shadows);
	KT_RUN(test_creat_and_batches);
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=64M");
	run("arch=arm64 page_size=64K ram=256M");
	return kt_done();
}
