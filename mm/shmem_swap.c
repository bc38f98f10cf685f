// SPDX-License-Identifier: GPL-2.0
/*
 * mm/shmem_swap.c - shmem (tmpfs, MAP_SHARED|MAP_ANONYMOUS, SysV shm)
 * pages on swap, as Linux's mm/shmem.c does it.
 *
 * Design.
 *   - shmem_writeout (reclaim's step for a shmem folio: locked, unmapped,
 *     dirty): a slot (folio_alloc_swap), into the swap cache
 *     (add_to_swap_cache), one count on the slot for the mapping's entry
 *     (Linux's swap_shmem_alloc), then the folio leaves the page cache and
 *     its slot of the mapping holds the swap entry as an XArray value
 *     (swp_to_radix_entry), info->swapped++, and the bytes go out
 *     (swap_writeout).  Refused with AOP_WRITEPAGE_ACTIVATE (the folio
 *     stays locked and dirty) when there is no swap, the inode is
 *     SHM_LOCKed or the mapping unevictable, the folio is still mapped, or
 *     the swap cache cannot take it.
 *   - shmem_swapin_folio (shmem_get_folio finding a value entry; a fault,
 *     read, write, partial truncation, or swapoff): the swap-cache folio
 *     (a major fault, PGMAJFAULT, when it had to be read:
 *     read_swap_cache_async), locked and checked against the mapping
 *     (shmem_confirm_swap: -EEXIST when the entry changed meanwhile),
 *     back into the page cache in place of the entry, out of the swap
 *     cache, dirty; the slot's count drops (swap_free); info->swapped--.
 *   - Truncation and eviction free the value entries of the range
 *     (shmem_free_swap_range: xa_cmpxchg the entry away, then
 *     free_swap_and_cache); a partial page on swap is swapped in first to
 *     be zeroed.
 *   - shmem_unuse (swapoff's try_to_unuse): every inode with swapped pages
 *     is on tmpfs_state's swaplist (added at writeout); each is scanned
 *     for entries of the area and they are swapped in.  An inode being
 *     scanned is pinned by stop_eviction: eviction waits for it.
 *   - The value entry packs the type above BITS_PER_XA_VALUE - 5 (bit 58)
 *     and the offset below: an XArray value holds 63 bits, the
 *     arch-independent swp_entry_t keeps the type in bits 59-63.
 *
 * Accounting: a swapped page stays charged to the inode (alloced, the
 * sb's used_blocks, i_blocks) as Linux; shmem_recalc_inode frees
 * alloced - swapped - nrpages.  NR_SHMEM and NR_FILE_PAGES follow the page
 * cache (mm/filemap.c).
 *
 * Locking: the folio lock across writeout and swapin; the mapping's
 * xa_lock for the value entries; info->lock for swapped;
 * swaplist_mutex (Linux's shmem_swaplist_mutex) for the swaplist, taken
 * before xa_lock and never across I/O in shmem_unuse (the inode is pinned
 * by stop_eviction while it is scanned).
 *
 * Invariants (shmem_inode_is_valid): value entries of a mapping ==
 * info->swapped, each a swap entry whose slot has a count; alloced ==
 * nrpages + swapped; an inode with swapped > 0 is on the swaplist.
 */
#include <errno.h>
#include <sched.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/swapops.h>
#include <mmsim/highmem.h>
#include <mmsim/rmap.h>
#include <mmsim/vmstat.h>
#include <mmsim/writeback.h>
#include "mm/shmem_internal.h"
#include "mm/pagecache_internal.h"

#define SHMEM_SWP_TYPE_SHIFT	(BITS_PER_LONG - 1 - MAX_SWAPFILES_SHIFT)

static void *swp_to_radix_entry(swp_entry_t e)
{
	return xa_mk_value(((unsigned long)swp_type(e) << SHMEM_SWP_TYPE_SHIFT) | swp_offset(e));
}

static swp_entry_t radix_to_swp_entry(const void *v)
{
	unsigned long x = xa_to_value(v);

	return swp_entry(x >> SHMEM_SWP_TYPE_SHIFT, x & ((1UL << SHMEM_SWP_TYPE_SHIFT) - 1));
}

void shmem_swaplist_init(struct tmpfs_state *ts)
{
	pthread_mutex_init(&ts->swaplist_mutex, NULL);
	INIT_LIST_HEAD(&ts->swaplist);
	ts->swaplist_ready = true;
}

static struct tmpfs_state *swaplist_state(void)
{
	struct tmpfs_state *ts = tmpfs_state();

	return ts && ts->swaplist_ready ? ts : NULL;
}

void shmem_swaplist_del(struct shmem_inode_info *info)
{
	struct tmpfs_state *ts = swaplist_state();

	if (!ts)
		return;
	while (!list_empty(&info->swaplist)) {
		/* Wait while shmem_unuse is scanning this inode. */
		while (__atomic_load_n(&info->stop_eviction, __ATOMIC_ACQUIRE))
			sched_yield();
		pthread_mutex_lock(&ts->swaplist_mutex);
		if (!__atomic_load_n(&info->stop_eviction, __ATOMIC_ACQUIRE))
			list_del_init(&info->swaplist);
		pthread_mutex_unlock(&ts->swaplist_mutex);
	}
}

/* The mapping still holds @swap at @index (shmem_confirm_swap). */
static bool shmem_confirm_swap(struct address_space *mapping, pgoff_t index, swp_entry_t swap)
{
	return xa_load(&mapping->i_pages, index) == swp_to_radix_entry(swap);
}

static void shmem_swapped_add(struct inode *inode, long nr)
{
	struct shmem_inode_info *info = SHMEM_I(inode);

	spin_lock(&info->lock);
	info->swapped = (unsigned long)((long)info->swapped + nr);
	spin_unlock(&info->lock);
	shmem_recalc_inode(inode, 0);
}

int shmem_writeout(struct folio *folio, struct writeback_control *wbc)
{
	struct address_space *mapping = folio_mapping_raw(folio);
	struct tmpfs_state *ts = swaplist_state();
	struct shmem_inode_info *info;
	struct inode *inode;
	swp_entry_t swap;

	if (WARN_ON_ONCE(!folio_test_locked(folio)))
		return AOP_WRITEPAGE_ACTIVATE;
	if (!ts || !shmem_mapping(mapping) || !mapping->host)
		goto redirty;
	inode = mapping->host;
	info = SHMEM_I(inode);
	if ((shmem_flags(info) & VM_LOCKED) ||
	    (__atomic_load_n(&mapping->flags, __ATOMIC_RELAXED) & (1UL << AS_UNEVICTABLE)))
		goto redirty;
	if (get_total_swap_pages() <= 0 || folio_mapped(folio))
		goto redirty;
	if (!folio_test_uptodate(folio)) {
		clear_highpage(&folio->page);
		SetPageUptodate(&folio->page);
	}
	swap = folio_alloc_swap(folio);
	if (!swap.val)
		goto redirty;
	/* Onto shmem_unuse's list before the entry appears in the mapping. */
	pthread_mutex_lock(&ts->swaplist_mutex);
	if (list_empty(&info->swaplist))
		list_add(&info->swaplist, &ts->swaplist);
	if (add_to_swap_cache(folio, swap, GFP_NOWAIT, NULL) == 0) {
		WARN_ON_ONCE(swap_duplicate(swap));	/* the mapping's entry */
		spin_lock(&info->lock);
		info->swapped++;
		spin_unlock(&info->lock);
		xa_lock_irq(&mapping->i_pages);
		__filemap_remove_folio(folio, swp_to_radix_entry(swap));
		xa_unlock_irq(&mapping->i_pages);
		put_page(&folio->page);		/* the page cache's reference */
		shmem_recalc_inode(inode, 0);
		pthread_mutex_unlock(&ts->swaplist_mutex);
		return swap_writeout(folio, wbc);
	}
	spin_lock(&info->lock);
	if (!info->swapped)
		list_del_init(&info->swaplist);
	spin_unlock(&info->lock);
	pthread_mutex_unlock(&ts->swaplist_mutex);
	put_swap_folio(folio, swap);
redirty:
	folio_mark_dirty(folio);
	return AOP_WRITEPAGE_ACTIVATE;	/* the folio stays locked */
}

/* Put swap-cache @folio at @index in place of @expected (shmem_add_to_page_cache). */
static int shmem_add_to_page_cache(struct folio *folio, struct address_space *mapping,
				   pgoff_t index, void *expected)
{
	void *old = NULL;
	int err = __filemap_add_folio(mapping, folio, index, mapping_gfp_mask(mapping), &old);

	if (err)
		return err;
	if (old != expected) {
		/* Truncated meanwhile: take it out again, the hole back. */
		xa_lock_irq(&mapping->i_pages);
		__filemap_remove_folio(folio, old);
		xa_unlock_irq(&mapping->i_pages);
		put_page(&folio->page);
		return -EEXIST;
	}
	return 0;
}

int shmem_swapin_folio(struct inode *inode, pgoff_t index, void *radswap, struct folio **foliop,
		       bool fault)
{
	struct address_space *mapping = inode->i_mapping;
	swp_entry_t swap = radix_to_swp_entry(radswap);
	struct swap_info_struct *si;
	struct folio *folio;
	int err = 0;

	*foliop = NULL;
	si = get_swap_device(swap);
	if (!si)
		return shmem_confirm_swap(mapping, index, swap) ? -EINVAL : -EEXIST;
	folio = swap_cache_get_folio(swap, NULL, 0);
	if (!folio) {
		if (fault)
			count_vm_event(PGMAJFAULT);	/* VM_FAULT_MAJOR */
		folio = read_swap_cache_async(swap, mapping_gfp_mask(mapping), NULL, 0);
		if (!folio) {
			err = -ENOMEM;
			goto failed;
		}
	}
	folio_lock(folio);
	if (!folio_test_swapcache(folio) || folio_swap_entry(folio).val != swap.val ||
	    !shmem_confirm_swap(mapping, index, swap)) {
		err = -EEXIST;
		goto unlock;
	}
	if (!folio_test_uptodate(folio)) {
		err = -EIO;
		goto failed;
	}
	folio_wait_writeback(folio);
	err = shmem_add_to_page_cache(folio, mapping, index, radswap);
	if (err)
		goto failed;
	shmem_swapped_add(inode, -1);
	delete_from_swap_cache(folio);
	folio_mark_dirty(folio);
	swap_free(swap);
	put_swap_device(si);
	*foliop = folio;	/* locked, with the caller's reference */
	return 0;
failed:
	if (!shmem_confirm_swap(mapping, index, swap))
		err = -EEXIST;
unlock:
	if (folio) {
		folio_unlock(folio);
		put_page(&folio->page);
	}
	put_swap_device(si);
	return err;
}

unsigned long shmem_free_swap_range(struct inode *inode, pgoff_t start, pgoff_t end)
{
	struct address_space *mapping = inode->i_mapping;
	pgoff_t last = end == (pgoff_t)-1 ? (pgoff_t)-1 : end - 1;
	unsigned long freed = 0;

	if (end != (pgoff_t)-1 && end <= start)
		return 0;
	for (;;) {
		XA_STATE(xas, &mapping->i_pages, start);
		pgoff_t idx[16];
		void *val[16], *entry;
		unsigned int n = 0;

		xas_lock(&xas);
		xas_for_each(&xas, entry, last) {
			if (xas_retry(&xas, entry) || !xa_is_value(entry))
				continue;
			idx[n] = xas.xa_index;
			val[n++] = entry;
			if (n == 16)
				break;
		}
		xas_unlock(&xas);
		for (unsigned int i = 0; i < n; i++)
			if (xa_cmpxchg(&mapping->i_pages, idx[i], val[i], NULL, 0) == val[i]) {
				free_swap_and_cache(radix_to_swp_entry(val[i]));
				freed++;
			}
		if (n < 16 || idx[n - 1] == last)
			break;
		start = idx[n - 1] + 1;
	}
	if (freed)
		shmem_swapped_add(inode, -(long)freed);
	return freed;
}

/* Bring every entry of area @type in @inode back (shmem_unuse_inode). */
static int shmem_unuse_inode(struct inode *inode, unsigned int type)
{
	struct address_space *mapping = inode->i_mapping;
	pgoff_t start = 0;

	for (;;) {
		XA_STATE(xas, &mapping->i_pages, start);
		pgoff_t idx[16];
		void *val[16], *entry;
		unsigned int n = 0;

		xas_lock(&xas);
		xas_for_each(&xas, entry, (pgoff_t)-1) {
			if (xas_retry(&xas, entry) || !xa_is_value(entry) ||
			    swp_type(radix_to_swp_entry(entry)) != type)
				continue;
			idx[n] = xas.xa_index;
			val[n++] = entry;
			if (n == 16)
				break;
		}
		xas_unlock(&xas);
		for (unsigned int i = 0; i < n; i++) {
			struct folio *folio;
			int err = shmem_swapin_folio(inode, idx[i], val[i], &folio, false);

			if (!err) {
				folio_unlock(folio);
				put_page(&folio->page);
			} else if (err == -ENOMEM) {
				return err;
			}
		}
		if (n < 16)
			return 0;
		start = idx[n - 1] + 1;
	}
}

int shmem_unuse(unsigned int type)
{
	struct tmpfs_state *ts = swaplist_state();
	struct shmem_inode_info *info, *next;
	int error = 0;

	if (!ts)
		return 0;
	pthread_mutex_lock(&ts->swaplist_mutex);
	list_for_each_entry_safe(info, next, &ts->swaplist, swaplist) {
		if (!READ_ONCE(info->swapped)) {
			list_del_init(&info->swaplist);
			continue;
		}
		/* Pin it against eviction while the mutex is dropped. */
		__atomic_add_fetch(&info->stop_eviction, 1, __ATOMIC_ACQ_REL);
		pthread_mutex_unlock(&ts->swaplist_mutex);
		error = shmem_unuse_inode(&info->vfs_inode, type);
		pthread_mutex_lock(&ts->swaplist_mutex);
		next = list_next_entry(info, swaplist);
		if (!READ_ONCE(info->swapped))
			list_del_init(&info->swaplist);
		__atomic_sub_fetch(&info->stop_eviction, 1, __ATOMIC_ACQ_REL);
		if (error)
			break;
	}
	pthread_mutex_unlock(&ts->swaplist_mutex);
	return error;
}

unsigned long shmem_swapped(struct address_space *mapping)
{
	struct shmem_inode_info *info;
	unsigned long n;

	if (!shmem_mapping(mapping) || !mapping->host)
		return 0;
	info = SHMEM_I(mapping->host);
	spin_lock(&info->lock);
	n = info->swapped;
	spin_unlock(&info->lock);
	return n;
}

void shmem_count_swap_entries(void (*fn)(void *arg, unsigned long val), void *arg)
{
	struct tmpfs_state *ts = swaplist_state();
	struct shmem_inode_info *info;

	if (!ts)
		return;
	pthread_mutex_lock(&ts->swaplist_mutex);
	list_for_each_entry(info, &ts->swaplist, swaplist) {
		XA_STATE(xas, &info->vfs_inode.i_mapping->i_pages, 0);
		void *entry;

		xas_lock(&xas);
		xas_for_each(&xas, entry, (pgoff_t)-1) {
			if (xas_retry(&xas, entry) || !xa_is_value(entry))
				continue;
			fn(arg, radix_to_swp_entry(entry).val);
		}
		xas_unlock(&xas);
	}
	pthread_mutex_unlock(&ts->swaplist_mutex);
}

unsigned long shmem_radix_to_swp_val(const void *radswap)
{
	return radix_to_swp_entry(radswap).val;
}
