// SPDX-License-Identifier: GPL-2.0
/*
 * mm/swap_state.c - the swap cache (Linux's mm/swap_state.c): the folios
 * whose bytes live, or are about to live, in a swap slot, found by their
 * swap entry; swap-in with readahead; the swap counts' checker.
 *
 * Design.  The swap cache is a page cache whose index is a swap slot: each
 * area (type 0..MAX_SWAPFILES-1) has one address_space in this machine's
 * "swap_state" state, and its i_pages XArray maps a slot's offset
 * (swap_cache_index) to the folio caching it, or to a shadow entry (an
 * XArray value entry from workingset_eviction) that a folio reclaimed out
 * of the cache left behind.  Linux splits an area's cache into 64 MiB
 * address_spaces to spread the lock; mmsim keeps one per area.
 *
 * A folio in the swap cache has PG_swapcache (PG_owner_priv_1 of a
 * swap-backed folio) and its swp_entry_t in page->private (Linux's
 * folio->swap); unlike a page-cache folio its ->mapping is NOT the swap
 * address_space: an anonymous folio keeps its anon_vma there, a folio
 * read in by swap-in has none until do_swap_page maps it (it is then
 * given the faulting VMA's anon_vma), a shmem folio moved here by
 * shmem_writeout has left its file.  The cache holds one reference on each
 * folio (add_to_swap_cache takes it; delete_from_swap_cache drops it,
 * __delete_from_swap_cache leaves it to its caller, reclaim's
 * __remove_mapping), and the slot holds SWAP_HAS_CACHE in swap_map while
 * the folio is here: put_swap_folio gives it back.  NR_SWAPCACHE
 * (meminfo SwapCached) and NR_FILE_PAGES count the cached pages, as Linux
 * (meminfo's Cached subtracts SwapCached).
 *
 * The ways in and out:
 *   - swap-out (reclaim): add_to_swap allocates a slot (folio_alloc_swap,
 *     which sets SWAP_HAS_CACHE), adds the locked folio and dirties it;
 *     after writeback __remove_mapping takes it out, leaving a shadow.
 *   - swap-in: __read_swap_cache_async claims the slot with
 *     swapcache_prepare (SWAP_HAS_CACHE: -EEXIST means another CPU is
 *     between claiming and adding, or between deleting and giving it back:
 *     retry), adds a new locked folio, feeds the shadow it replaced to
 *     workingset_refault and puts the folio on the LRU; the caller starts
 *     the read (swap_read_folio), whose completion unlocks it.
 *   - swapin_readahead (do_swap_page, swapoff): Linux's cluster readahead:
 *     the 2^vm.page-cluster aligned slots around the faulting one (not the
 *     header, not past the area), the window scaled by the hits of earlier
 *     readahead (__swapin_nr_pages' heuristic: swapin_readahead_hits,
 *     the previous offset and window); readahead folios get PG_readahead
 *     and count swap_ra, a later swap_cache_get_folio that finds one
 *     counts swap_ra_hit.  Linux 6.x uses VMA-based readahead unless a
 *     rotating swap device is present; mmsim has no per-VMA readahead
 *     state and always uses the cluster form.
 *   - free_swap_cache / folio_free_swap (swapfile.c): a folio nobody maps
 *     and whose slot nobody else references leaves the cache.
 *
 * Locking.  Each address_space's xa_lock guards its XArray and nrpages;
 * membership (PG_swapcache and page->private) changes under the folio lock
 * and xa_lock.  Order: folio lock -> xa_lock -> the area's cluster lock
 * (swapfile.c).  No allocation under xa_lock (xas_nomem drops it).
 * Lookups take a reference under xa_lock (nobody drops the cache's
 * reference without it).  The readahead statistics are atomics.
 *
 * Invariants (swap_counts_are_valid, and mapping_is_valid-like checks of
 * each address_space): an XArray folio entry at offset o of area t has
 * PG_swapcache, page->private == swp_entry(t, o), a reference of the
 * cache's, and swap_map[o] has SWAP_HAS_CACHE; a slot with SWAP_HAS_CACHE
 * and no folio is only transient (between swapcache_prepare and
 * add_to_swap_cache); nrpages == the folio entries; NR_SWAPCACHE == the sum
 * of nrpages over all areas; every slot's count == the swap PTEs of every
 * mm + the shmem entries holding it.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <mmsim/swapops.h>
#include <mmsim/migrate.h>
#include <mmsim/shmem_fs.h>
#include <mmsim/pagemap.h>
#include <mmsim/rmap.h>
#include <mmsim/sysctl.h>
#include <mmsim/vmstat.h>
#include <mmsim/printk.h>
#include <mmsim/writeback.h>
#include "mm/swap_internal.h"
#include "mm/internal.h"
#include "mm/pagecache_internal.h"
#include "init/init.h"
#include "init/machine.h"

struct swap_state_state {
	struct address_space spaces[MAX_SWAPFILES];	/* the swap cache, per area */
	int page_cluster;			/* vm.page-cluster: log2 of the readahead window */
	atomic_int swapin_readahead_hits;	/* readahead folios faulted since the last window */
	atomic_ulong prev_offset;		/* swapin_nr_pages: the last offset read without hits */
	atomic_int last_readahead_pages;	/* the last window */
};

static struct swap_state_state *sws(void)
{
	return subsys_state(current_machine(), swap_state);
}

/* ---------------------------------------------------------------------
 * The address_spaces
 */

struct address_space *swap_address_space(swp_entry_t entry)
{
	unsigned int type = swp_type(entry);

	if (WARN_ON_ONCE(type >= MAX_SWAPFILES))
		return NULL;
	return &sws()->spaces[type];
}

static unsigned long total_swapcache_pages(void)
{
	return global_node_page_state(NR_SWAPCACHE);
}

void show_swap_cache_info(void)
{
	printk("%lu pages in swap cache\n", total_swapcache_pages());
	printk("Free swap  = %ldkB\n", get_nr_swap_pages() << (PAGE_SHIFT - 10));
	printk("Total swap = %lukB\n", (unsigned long)get_total_swap_pages() << (PAGE_SHIFT - 10));
}

/* ---------------------------------------------------------------------
 * Adding and removing
 */

static void swap_cache_account(struct folio *folio, long nr)
{
	pg_data_t *pgdat = page_pgdat(&folio->page);

	mod_node_page_state(pgdat, NR_FILE_PAGES, nr);
	mod_node_page_state(pgdat, NR_SWAPCACHE, nr);
}

/*
 * add_to_swap_cache - Linux's: filemap_add_folio on the area's
 * address_space, but PG_swapcache and page->private instead of ->mapping
 * and ->index.  @folio is locked, swap-backed and not in the swap cache;
 * the cache's reference is taken.  A shadow entry replaced is handed back
 * in *@shadowp.  0, -EEXIST (a folio is there already) or -ENOMEM.
 */
int add_to_swap_cache(struct folio *folio, swp_entry_t entry, gfp_t gfp, void **shadowp)
{
	struct address_space *as = swap_address_space(entry);
	XA_STATE(xas, &as->i_pages, swap_cache_index(entry));
	struct page *page = &folio->page;
	void *old;

	WARN_ON_ONCE(!folio_test_locked(folio));
	WARN_ON_ONCE(folio_test_swapcache(folio));
	WARN_ON_ONCE(!page_flag_test(page, PG_swapbacked));

	get_page(page);
	page->private = entry.val;
	page_flag_set(page, PG_swapcache);
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
		if (shadowp && xa_is_value(old))
			*shadowp = old;
		atomic_long_add(1, &as->nrpages);
		swap_cache_account(folio, 1);
unlock:
		xas_unlock_irq(&xas);
	} while (xas_nomem(&xas, gfp));

	if (!xas_error(&xas))
		return 0;
	page_flag_clear(page, PG_swapcache);
	page->private = 0;
	put_page(page);
	return xas_error(&xas);
}

/*
 * __delete_from_swap_cache - under the area's xa_lock, with @folio locked
 * and not under writeback: @shadow (or a hole) replaces it.  The cache's
 * reference and the slot's SWAP_HAS_CACHE stay for the caller.
 */
void __delete_from_swap_cache(struct folio *folio, swp_entry_t entry, void *shadow)
{
	struct address_space *as = swap_address_space(entry);
	XA_STATE(xas, &as->i_pages, swap_cache_index(entry));
	void *old;

	WARN_ON_ONCE(!folio_test_locked(folio));
	WARN_ON_ONCE(!folio_test_swapcache(folio));
	WARN_ON_ONCE(folio_test_writeback(folio));

	old = xas_store(&xas, shadow);
	WARN_ON_ONCE(old != folio);
	/* atomic: the LRU policy may read a listed folio's entry (mm/policy/lru_adapter.c) */
	__atomic_store_n(&folio->page.private, 0, __ATOMIC_RELAXED);
	page_flag_clear(&folio->page, PG_swapcache);
	atomic_long_add(-1, &as->nrpages);
	swap_cache_account(folio, -1);
}

/*
 * delete_from_swap_cache - @folio (locked, in the swap cache, referenced
 * by the caller too) leaves it: the slot's SWAP_HAS_CACHE and the cache's
 * reference go.
 */
void delete_from_swap_cache(struct folio *folio)
{
	swp_entry_t entry = folio_swap_entry(folio);
	struct address_space *as = swap_address_space(entry);

	xa_lock_irq(&as->i_pages);
	__delete_from_swap_cache(folio, entry, NULL);
	xa_unlock_irq(&as->i_pages);

	put_swap_folio(folio, entry);
	put_page(&folio->page);
}

/*
 * add_to_swap - reclaim's step for a locked, uptodate anonymous folio: a
 * slot (SWAP_HAS_CACHE set), into the swap cache, and dirty (an MADV_FREE
 * folio that was redirtied without its PTE knowing must be written:
 * Linux's comment).  False when no area has room.
 */
bool add_to_swap(struct folio *folio)
{
	swp_entry_t entry;

	WARN_ON_ONCE(!folio_test_locked(folio));
	WARN_ON_ONCE(!folio_test_uptodate(folio));

	entry = folio_alloc_swap(folio);
	if (!entry.val)
		return false;
	/* __GFP_NOMEMALLOC: XArray nodes must not exhaust the reserves reclaim runs on. */
	if (add_to_swap_cache(folio, entry, __GFP_HIGH | __GFP_NOMEMALLOC | __GFP_NOWARN, NULL)) {
		put_swap_folio(folio, entry);
		return false;
	}
	folio_mark_dirty(folio);
	return true;
}

/*
 * free_swap_cache - the last mapping of @folio went (zap): if it is in the
 * swap cache and its slot has no other user, drop it from the cache
 * (folio_free_swap rechecks with the lock).
 */
void free_swap_cache(struct folio *folio)
{
	if (folio_test_swapcache(folio) && !folio_mapped(folio) && folio_trylock(folio)) {
		folio_free_swap(folio);
		folio_unlock(folio);
	}
}

/* ---------------------------------------------------------------------
 * Lookups and swap-in
 */

/* The folio at @entry's slot with a reference, or NULL (filemap_get_entry). */
static struct folio *swap_cache_lookup(swp_entry_t entry)
{
	struct address_space *as = swap_address_space(entry);
	XA_STATE(xas, &as->i_pages, swap_cache_index(entry));
	void *e;

	if (!as)
		return NULL;
	xas_lock(&xas);
	e = xas_load(&xas);
	if (e && !xa_is_value(e))
		get_page(&((struct folio *)e)->page);
	else
		e = NULL;
	xas_unlock(&xas);
	return e;
}

/*
 * swap_cache_get_folio - @entry's swap-cache folio with a reference
 * (unlocked: the caller locks and rechecks folio_test_swapcache and the
 * entry), or NULL.  A readahead folio found for the first time counts a
 * swap_ra_hit and widens the next readahead window.
 */
struct folio *swap_cache_get_folio(swp_entry_t entry, struct vm_area_struct *vma,
				   unsigned long addr)
{
	struct folio *folio = swap_cache_lookup(entry);

	(void)vma;
	(void)addr;
	/* PG_readahead is PG_reclaim: under writeback the bit is reclaim's. */
	if (folio && page_flag_test(&folio->page, PG_readahead) && !folio_test_writeback(folio) &&
	    (__atomic_fetch_and(&folio->page.flags, ~(1UL << PG_readahead), __ATOMIC_RELAXED) &
	     (1UL << PG_readahead))) {
		count_vm_event(SWAP_RA_HIT);
		atomic_fetch_add(&sws()->swapin_readahead_hits, 1);
	}
	return folio;
}

/*
 * __read_swap_cache_async - the swap-cache folio of @entry with a
 * reference: the one there, or a new locked one added for the caller to
 * read (*@new_page_allocated).  NULL when the slot is free (nothing to
 * read: readahead past the used slots, a raced swapoff or zap) or memory
 * is short.
 */
struct folio *__read_swap_cache_async(swp_entry_t entry, gfp_t gfp, struct vm_area_struct *vma,
				      unsigned long addr, bool *new_page_allocated)
{
	struct swap_info_struct *si;
	struct folio *folio, *new_folio = NULL, *result = NULL;
	void *shadow = NULL;
	unsigned long spins = 0;

	(void)vma;
	(void)addr;
	*new_page_allocated = false;
	si = get_swap_device(entry);
	if (!si)
		return NULL;
	for (;;) {
		int err;

		folio = swap_cache_lookup(entry);
		if (folio) {
			result = folio;
			goto out;
		}
		/* Skip readahead of unused slots. */
		if (!swap_swapcount(si, entry))
			goto out;
		if (!new_folio) {
			struct page *page = alloc_page(gfp);

			if (!page)
				goto out;
			new_folio = page_folio(page);
		}
		err = swapcache_prepare(entry);
		if (!err)
			break;
		if (err != -EEXIST)
			goto out;
		/*
		 * Another CPU set SWAP_HAS_CACHE and has not added its folio
		 * yet, or removed its folio and has not cleared the bit yet:
		 * Linux sleeps a jiffy; mmsim yields its host thread.  A bit
		 * that never clears is a leak: report it rather than hang.
		 */
		if (++spins > 1000000) {
			WARN(1, "swap: slot %lx:%lx has SWAP_HAS_CACHE and no folio\n",
			     (unsigned long)swp_type(entry), swp_offset(entry));
			goto out;
		}
		sched_yield();
	}

	/* The slot is ours to read in. */
	if (!folio_trylock(new_folio))
		WARN_ON_ONCE(1);
	page_flag_set(&new_folio->page, PG_swapbacked);
	if (add_to_swap_cache(new_folio, entry, gfp & (__GFP_RECLAIM | __GFP_HIGH | __GFP_IO |
							__GFP_FS | __GFP_NOWARN | __GFP_NOMEMALLOC),
			      &shadow)) {
		put_swap_folio(new_folio, entry);
		page_flag_clear(&new_folio->page, PG_swapbacked);
		folio_unlock(new_folio);
		goto out;
	}
	if (shadow)
		workingset_refault(new_folio, shadow);
	folio_add_lru(new_folio);
	*new_page_allocated = true;
	result = new_folio;
out:
	put_swap_device(si);
	if (!*new_page_allocated && new_folio)
		put_page(&new_folio->page);
	return result;
}

/* The swap-cache folio of @entry, reading it in if it was not there. */
struct folio *read_swap_cache_async(swp_entry_t entry, gfp_t gfp, struct vm_area_struct *vma,
				    unsigned long addr)
{
	bool allocated;
	struct folio *folio = __read_swap_cache_async(entry, gfp, vma, addr, &allocated);

	if (allocated)
		swap_read_folio(folio, false);
	return folio;
}

/*
 * Linux's __swapin_nr_pages: the next window from the readahead hits since
 * the last one (hits + 2, rounded up to a power of two from 4), or 2 for an
 * offset next to the previous miss, 1 otherwise; at most @max_pages, and
 * not below half the previous window.
 */
static unsigned int __swapin_nr_pages(unsigned long prev_offset, unsigned long offset,
				      int hits, int max_pages, int prev_win)
{
	unsigned int pages, last_ra;

	pages = (unsigned int)hits + 2;
	if (pages == 2) {
		if (offset != prev_offset + 1 && offset != prev_offset - 1)
			pages = 1;
	} else {
		unsigned int roundup = 4;

		while (roundup < pages)
			roundup <<= 1;
		pages = roundup;
	}
	if (pages > (unsigned int)max_pages)
		pages = (unsigned int)max_pages;
	last_ra = (unsigned int)prev_win / 2;
	if (pages < last_ra)
		pages = last_ra;
	return pages;
}

static unsigned long swapin_nr_pages(unsigned long offset)
{
	struct swap_state_state *s = sws();
	int max_pages = 1 << __atomic_load_n(&s->page_cluster, __ATOMIC_RELAXED);
	unsigned int pages;
	int hits;

	if (max_pages <= 1)
		return 1;
	hits = atomic_exchange(&s->swapin_readahead_hits, 0);
	pages = __swapin_nr_pages(atomic_load(&s->prev_offset), offset, hits, max_pages,
				  atomic_load(&s->last_readahead_pages));
	if (!hits)
		atomic_store(&s->prev_offset, offset);
	atomic_store(&s->last_readahead_pages, (int)pages);
	return pages;
}

/*
 * swapin_readahead - Linux's swap_cluster_readahead: start reading the
 * aligned window of swapin_nr_pages() slots around @entry (each one a
 * swap_ra, marked PG_readahead), then return @entry's folio with a
 * reference, its read started (it is unlocked when the read completes).
 * NULL when memory is short or the slot was freed meanwhile.
 */
struct folio *swapin_readahead(swp_entry_t entry, gfp_t gfp, struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf ? vmf->vma : NULL;
	unsigned long addr = vmf ? vmf->address : 0;
	unsigned long entry_offset = swp_offset(entry), offset, start, end, mask;
	struct swap_info_struct *si = swp_swap_info(entry);
	struct folio *folio;
	bool allocated;

	mask = swapin_nr_pages(entry_offset) - 1;
	if (!mask || !si)
		goto skip;
	start = entry_offset & ~mask;
	end = entry_offset | mask;
	if (!start)		/* the first page is the swap header */
		start++;
	if (end >= si->max)
		end = si->max - 1;
	for (offset = start; offset <= end; offset++) {
		folio = __read_swap_cache_async(swp_entry(swp_type(entry), offset), gfp, vma, addr,
						&allocated);
		if (!folio)
			continue;
		if (allocated) {
			if (offset != entry_offset) {
				page_flag_set(&folio->page, PG_readahead);
				count_vm_event(SWAP_RA);
			}
			swap_read_folio(folio, false);
		}
		put_page(&folio->page);
	}
	lru_add_drain();
skip:
	folio = __read_swap_cache_async(entry, gfp, vma, addr, &allocated);
	if (unlikely(allocated))
		swap_read_folio(folio, false);
	return folio;
}

/* ---------------------------------------------------------------------
 * The subsystem: the address_spaces and vm.page-cluster
 */

/* The swap cache's operations (Linux's swap_aops): only migration. */
static const struct address_space_operations swap_aops = {
	.migrate_folio = migrate_folio,
};

static int swap_state_init(struct mmsim *m, char *err, size_t errlen)
{
	struct swap_state_state *s = subsys_state(m, swap_state);

	(void)err;
	(void)errlen;
	for (int i = 0; i < MAX_SWAPFILES; i++) {
		address_space_init_once(&s->spaces[i]);
		s->spaces[i].gfp_mask = GFP_KERNEL;
		s->spaces[i].a_ops = &swap_aops;
	}
	s->page_cluster = 3;	/* Linux: 3 with more than 16 MiB of RAM */
	atomic_store(&s->swapin_readahead_hits, 4);
	return 0;
}

static void swap_state_exit(struct mmsim *m)
{
	struct swap_state_state *s = subsys_state(m, swap_state);

	/*
	 * The tasks are gone (pid's exit runs first) and the areas still
	 * exist (swapfile's exit runs after ours): what is left in the cache
	 * is readahead nobody faulted and folios whose slots only the cache
	 * held.  They leave it as reclaim would take them.
	 */
	for (int i = 0; i < MAX_SWAPFILES; i++) {
		struct address_space *as = &s->spaces[i];
		unsigned long index = 0;
		void *e;

		while (atomic_long_read(&as->nrpages) &&
		       (e = xa_find(&as->i_pages, &index, ULONG_MAX, XA_PRESENT)) != NULL) {
			struct folio *folio = e;

			if (xa_is_value(e)) {
				index++;
				continue;
			}
			get_page(&folio->page);
			folio_lock(folio);
			folio_wait_writeback(folio);
			if (folio_test_swapcache(folio) &&
			    folio_swap_entry(folio).val == swp_entry((unsigned long)i, index).val)
				delete_from_swap_cache(folio);
			folio_unlock(folio);
			put_page(&folio->page);
			index++;
		}
		xa_destroy(&as->i_pages);
	}
}

static const int page_cluster_max = 31;

static int swap_state_sysctl_init(struct mmsim *m, char *err, size_t errlen)
{
	struct swap_state_state *s = subsys_state(m, swap_state);
	const struct ctl_table table[] = {
		{ .procname = "page-cluster", .data = &s->page_cluster, .maxlen = sizeof(int),
		  .mode = 0644, .proc_handler = proc_dointvec_minmax, .extra1 = SYSCTL_ZERO,
		  .extra2 = &page_cluster_max },
	};
	int ret = register_sysctl("vm", table);

	if (ret)
		snprintf(err, errlen, "swap_state: cannot register vm.page-cluster (%d)", ret);
	return ret;
}

static const struct initcall swap_state_initcalls[] = {
	core_initcall(swap_state_init, swap_state_exit),
	fs_initcall(swap_state_sysctl_init, NULL),
};

DEFINE_SUBSYSTEM(swap_state, SUBSYS_STATE(struct swap_state_state, NULL),
		 SUBSYS_INITCALLS(swap_state_initcalls));
