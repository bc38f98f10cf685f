// SPDX-License-Identifier: GPL-2.0
/*
 * mm/filemap.c - the page cache, the first seed of Linux's: adding,
 * finding and removing the folios of an address_space (Linux's names,
 * <mmsim/pagemap.h>).  Today its only user is shmem (mm/shmem.c: the
 * objects behind MAP_SHARED|MAP_ANONYMOUS and SysV shm); reads, readahead,
 * filemap_fault and writeback come with the rest of issue 12.
 *
 * Design.  mapping->i_pages is an XArray (lib/xarray.c) from page index
 * to struct folio * (order 0 today), or to a value entry (a shadow that a
 * removal may leave for workingset detection; lookups treat it as a
 * hole).  The cache holds one reference on each of its folios:
 * __filemap_add_folio takes it, filemap_remove_folio drops it.  A folio
 * in the cache has folio->mapping == the mapping and folio->index == its
 * index, and is counted in its node's NR_FILE_PAGES and, when swap-backed
 * (shmem's), NR_SHMEM (meminfo Cached and Shmem).  Lookups return the
 * folio with a reference of the caller's (folio_try_get under the lock,
 * here get_page: nobody drops the cache's reference without the lock).
 * __filemap_get_folio: FGP_LOCK returns it locked, rechecking that it is
 * still this mapping's after the wait; FGP_CREAT allocates (unzeroed, as
 * Linux: the caller fills it) and adds one when absent, retrying the
 * lookup when another CPU added first (-EEXIST); FGP_ACCESSED sets
 * PG_referenced (folio_mark_accessed's first touch; the LRU lists
 * promote on the second).
 *
 * The folio lock is PG_locked, a bit lock as Linux's folio_lock; a
 * contended locker spins, then yields its host thread (Linux sleeps on
 * the folio's wait queue).  New folios are added locked
 * (filemap_add_folio) and removed locked (filemap_remove_folio).
 *
 * Locking.  The XArray's xa_lock (a spinlock; mmsim's XArray readers take
 * it too, docs/xarray.md) guards i_pages, every folio's membership in it
 * (->mapping of a cached folio is set before and cleared under it) and
 * nrpages.  Order: folio lock -> i_mmap_rwsem -> xa_lock -> zone locks
 * (docs/locking.md P3b).  No sleeping (folio_lock, allocation with
 * reclaim) under xa_lock: xas_nomem allocates with the lock dropped.
 *
 * Invariants: nrpages == the folio entries of i_pages; for each such
 * entry at index i, folio->mapping == mapping, folio->index == i, and
 * page_count(folio) >= 1 (the cache's); NR_FILE_PAGES counts every cached
 * page of the node, NR_SHMEM the swap-backed ones.
 */
#include <errno.h>
#include <sched.h>
#include <mmsim/err.h>
#include <mmsim/pagemap.h>
#include <mmsim/rmap.h>
#include <mmsim/mm.h>
#include <mmsim/vmstat.h>
#include <mmsim/printk.h>
#include <mmsim/spinlock.h>
#include "mm/fault_internal.h"

/* --- the folio lock --------------------------------------------------- */

bool folio_test_locked(const struct folio *folio)
{
	return page_flag_test(&folio->page, PG_locked);
}

bool folio_trylock(struct folio *folio)
{
	return !(__atomic_fetch_or(&folio->page.flags, 1UL << PG_locked, __ATOMIC_ACQUIRE) &
		 (1UL << PG_locked));
}

void folio_lock(struct folio *folio)
{
	unsigned int spins = 0;

	while (!folio_trylock(folio)) {
		while (folio_test_locked(folio)) {
			if (++spins > 64) {
				sched_yield();	/* Linux: folio_wait_bit_common */
				spins = 0;
			} else {
				cpu_relax();
			}
		}
	}
}

void folio_unlock(struct folio *folio)
{
	unsigned long old = __atomic_fetch_and(&folio->page.flags, ~(1UL << PG_locked),
					       __ATOMIC_RELEASE);

	WARN_ON_ONCE(!(old & (1UL << PG_locked)));
}

void folio_batch_release(struct folio_batch *fbatch)
{
	for (unsigned int i = 0; i < fbatch->nr; i++)
		put_page(&fbatch->folios[i]->page);
	fbatch->nr = 0;
}

void address_space_init_once(struct address_space *mapping)
{
	xa_init_flags(&mapping->i_pages, XA_FLAGS_LOCK_IRQ | XA_FLAGS_ACCOUNT);
	init_rwsem(&mapping->i_mmap_rwsem);
	INIT_LIST_HEAD(&mapping->i_mmap);
	atomic_long_set(&mapping->nrpages, 0);
	mapping->gfp_mask = GFP_HIGHUSER_MOVABLE;
}

/* --- adding and removing ---------------------------------------------- */

static void filemap_account_folio(struct folio *folio, long nr)
{
	mod_node_page_state(page_pgdat(&folio->page), NR_FILE_PAGES, nr);
	if (page_flag_test(&folio->page, PG_swapbacked))
		mod_node_page_state(page_pgdat(&folio->page), NR_SHMEM, nr);
}

/*
 * __filemap_add_folio - put the locked @folio at @index of @mapping, taking
 * the cache's reference.  A shadow entry there is replaced (returned in
 * *@shadowp); a folio there fails it with -EEXIST, leaving @folio as it was.
 */
int __filemap_add_folio(struct address_space *mapping, struct folio *folio,
			pgoff_t index, gfp_t gfp, void **shadowp)
{
	XA_STATE(xas, &mapping->i_pages, index);
	struct page *page = &folio->page;
	void *old;

	WARN_ON_ONCE(!folio_test_locked(folio));
	get_page(page);
	page->index = index;
	__atomic_store_n(&page->mapping, mapping, __ATOMIC_RELEASE);
	do {
		xas_lock_irq(&xas);
		old = xas_load(&xas);
		if (old && !xa_is_value(old)) {
			xas_set_err(&xas, -EEXIST);
			goto unlock;
		}
		xas_store(&xas, folio);
		if (xas_error(&xas))
			goto unlock;
		if (old && shadowp)
			*shadowp = old;
		atomic_long_add(1, &mapping->nrpages);
		filemap_account_folio(folio, 1);
unlock:
		xas_unlock_irq(&xas);
	} while (xas_nomem(&xas, gfp));

	if (xas_error(&xas)) {
		__atomic_store_n(&page->mapping, NULL, __ATOMIC_RELEASE);
		put_page(page);
		return xas_error(&xas);
	}
	return 0;
}

/* filemap_add_folio - @folio (new, unlocked) added and returned locked. */
int filemap_add_folio(struct address_space *mapping, struct folio *folio,
		      pgoff_t index, gfp_t gfp)
{
	void *shadow = NULL;
	int ret;

	if (!folio_trylock(folio))
		WARN_ON_ONCE(1);	/* Linux: __folio_set_locked on a new folio */
	ret = __filemap_add_folio(mapping, folio, index, gfp, &shadow);
	if (ret)
		folio_unlock(folio);
	/* The LRU (folio_add_lru) and workingset_refault come with them. */
	return ret;
}

/* __filemap_remove_folio - under xa_lock: @shadow (or a hole) replaces it. */
void __filemap_remove_folio(struct folio *folio, void *shadow)
{
	struct address_space *mapping = folio->page.mapping;
	XA_STATE(xas, &mapping->i_pages, folio->page.index);

	xas_store(&xas, shadow);
	xas_init_marks(&xas);
	__atomic_store_n(&folio->page.mapping, NULL, __ATOMIC_RELEASE);
	atomic_long_add(-1, &mapping->nrpages);
	filemap_account_folio(folio, -1);
}

/* filemap_remove_folio - the locked @folio leaves the cache, with its reference. */
void filemap_remove_folio(struct folio *folio)
{
	struct address_space *mapping = folio->page.mapping;

	WARN_ON_ONCE(!folio_test_locked(folio));
	if (WARN_ON_ONCE(!mapping))
		return;
	xa_lock_irq(&mapping->i_pages);
	__filemap_remove_folio(folio, NULL);
	xa_unlock_irq(&mapping->i_pages);
	put_page(&folio->page);		/* filemap_free_folio: the cache's */
}

/* --- lookups ----------------------------------------------------------- */

/* The entry at @index with a reference if a folio (filemap_get_entry). */
static void *filemap_get_entry(struct address_space *mapping, pgoff_t index)
{
	XA_STATE(xas, &mapping->i_pages, index);
	void *entry;

	xas_lock(&xas);
	entry = xas_load(&xas);
	if (entry && !xa_is_value(entry))
		get_page(&((struct folio *)entry)->page);
	xas_unlock(&xas);
	return entry;
}

struct folio *__filemap_get_folio(struct address_space *mapping, pgoff_t index,
				  unsigned int fgp_flags, gfp_t gfp)
{
	struct folio *folio;
	int err;

repeat:
	folio = filemap_get_entry(mapping, index);
	if (xa_is_value(folio))
		folio = NULL;
	if (folio) {
		if (fgp_flags & FGP_LOCK) {
			if (fgp_flags & FGP_NOWAIT) {
				if (!folio_trylock(folio)) {
					put_page(&folio->page);
					return ERR_PTR(-EAGAIN);
				}
			} else {
				folio_lock(folio);
			}
			/* Has it been truncated while we waited? */
			if (__atomic_load_n(&folio->page.mapping, __ATOMIC_ACQUIRE) != mapping) {
				folio_unlock(folio);
				put_page(&folio->page);
				goto repeat;
			}
		}
		if (fgp_flags & FGP_ACCESSED)
			page_flag_set(&folio->page, PG_referenced);
		return folio;
	}
	if (!(fgp_flags & FGP_CREAT))
		return ERR_PTR(-ENOENT);

	{
		struct page *page = alloc_page(gfp ? gfp : mapping_gfp_mask(mapping));

		if (!page)
			return ERR_PTR(-ENOMEM);
		folio = page_folio(page);
	}
	if (fgp_flags & FGP_ACCESSED)
		page_flag_set(&folio->page, PG_referenced);
	err = filemap_add_folio(mapping, folio, index, gfp ? gfp : mapping_gfp_mask(mapping));
	if (err) {
		put_page(&folio->page);
		if (err == -EEXIST)
			goto repeat;
		return ERR_PTR(err);
	}
	if (!(fgp_flags & FGP_LOCK))
		folio_unlock(folio);
	return folio;
}

struct page *find_get_page(struct address_space *mapping, pgoff_t index)
{
	struct folio *folio = __filemap_get_folio(mapping, index, 0, 0);

	return IS_ERR(folio) ? NULL : &folio->page;
}

unsigned int filemap_get_folios(struct address_space *mapping, pgoff_t *start,
				pgoff_t end, struct folio_batch *fbatch)
{
	XA_STATE(xas, &mapping->i_pages, *start);
	struct folio *folio;

	xas_lock(&xas);
	xas_for_each(&xas, folio, end) {
		if (xas_retry(&xas, folio) || xa_is_value(folio))
			continue;
		get_page(&folio->page);
		if (!folio_batch_add(fbatch, folio)) {
			*start = folio->page.index + 1;
			if (*start == 0)	/* wrapped past ULONG_MAX */
				*start = (pgoff_t)-1;
			goto out;
		}
	}
	*start = end == (pgoff_t)-1 ? (pgoff_t)-1 : end + 1;
out:
	xas_unlock(&xas);
	return folio_batch_count(fbatch);
}
