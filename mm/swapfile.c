// SPDX-License-Identifier: GPL-2.0
/*
 * mm/swapfile.c - swap areas and their slots (Linux's mm/swapfile.c):
 * swap_map counts, cluster allocation, priorities, the machine's totals.
 * mm/swapon.c builds areas (swap= at boot, sys_swapon) and takes them
 * down (sys_swapoff); mm/page_io.c moves a slot's bytes.
 *
 * Design.  The machine's areas live in swap_info[type] (MAX_SWAPFILES).
 * Each has swap_map[max]: one byte per slot, the number of users (swap
 * PTEs, shmem mapping entries: at most SWAP_MAP_MAX, no continuation
 * pages, so -ENOMEM beyond as Linux without them) | SWAP_HAS_CACHE while
 * the swap cache holds (or is being given) a folio for the slot; slot 0
 * holds the swap header and is SWAP_MAP_BAD, as are the header's bad pages.
 * A slot is free iff its swap_map byte is 0.
 *
 * Slots are grouped in clusters of SWAPFILE_CLUSTER; each cluster counts
 * its used (and bad, and past-the-end) slots and sits on one of the
 * area's lists: free (count 0), nonfull, full (count == SWAPFILE_CLUSTER).
 * Allocation follows Linux 6.13+ for a rotating device (every mmsim disk
 * is virtio with rotational=1): one global cluster per area, filled in
 * offset order from its cursor; when it is exhausted the next comes from
 * the nonfull list, then the free list (Linux prefers a free cluster for
 * SSDs; a rotational disk keeps writing forward), and as a last resort a
 * scan of the whole map.  Order-0 only: mmsim's folios are single pages.
 *
 * Priorities as Linux: swapon with SWAP_FLAG_PREFER gives prio 0..32767,
 * otherwise the next default -2, -3, ... (least_priority starts at -1).
 * folio_alloc_swap walks the avail list (WRITEOK areas with free slots,
 * highest priority first) and moves the area it tries behind the others of
 * its priority (plist_requeue), so equal priorities take turns slot by
 * slot; a full area leaves the avail list and comes back when a slot frees.
 * Swapoff of an area with a negative priority raises every lower default
 * priority by one and gives least_priority back.
 *
 * Counters: nr_swap_pages (SwapFree) counts free slots of the WRITEOK
 * areas plus, as Linux, minus the slots in use of an area being swapped
 * off (swapoff subtracts all its pages at once and each freed slot adds
 * one back); total_swap_pages (SwapTotal) the usable slots of WRITEOK
 * areas; si_swapinfo adds the areas being swapped off back in.
 *
 * Locking (Linux's order): swapon_mutex > swap_lock > si->lock.
 * swap_lock guards swap_info[], the active/avail lists, least_priority and
 * total_swap_pages; si->lock an area's swap_map, clusters, counters and
 * cursor (Linux's per-cluster locks are folded into it); nr_swap_pages is
 * atomic.  What lockless readers look at -- swap_map bytes (__swap_count),
 * inuse_pages, flags, total_swap_pages -- is written with WRITE_ONCE under
 * its lock and read with READ_ONCE; an area becomes SWP_USED with a
 * release store once it is filled in.  No lock is held across I/O or an
 * allocation; reclaim may call in with any lock held, and nothing here
 * allocates.  get_swap_device pins an area against swapoff (the users
 * count; swapoff waits for it to drain after try_to_unuse).
 *
 * Invariants (swap_info_is_valid):
 *   inuse_pages == slots with a non-zero, non-BAD swap_map byte
 *   each cluster's count == its used + bad + past-max slots, and it is on
 *   the list its count says; free slots lie within [lowest_bit, highest_bit]
 *   for a WRITEOK area: on the avail list iff inuse_pages < pages
 *   sum over WRITEOK areas of (pages - inuse_pages) == nr_swap_pages
 *   (+ inuse of areas being swapped off); total_swap_pages == sum of pages
 */
#include <errno.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/pagemap.h>
#include <mmsim/printk.h>
#include <mmsim/rmap.h>
#include <mmsim/shmem_fs.h>
#include <mmsim/writeback.h>
#include "mm/swapfile_internal.h"
#include "mm/pagecache_internal.h"

static struct swapfile_state *sw(void)
{
	struct swapfile_state *s = swapfile_state_of(current_machine());

	return s && s->up ? s : NULL;
}

struct swap_info_struct *swap_info_get(struct mmsim *m, int type)
{
	struct swapfile_state *s = swapfile_state_of(m);
	struct swap_info_struct *si;

	if (!s || !s->up || type < 0 || type >= MAX_SWAPFILES)
		return NULL;
	si = __atomic_load_n(&s->swap_info[type], __ATOMIC_ACQUIRE);
	return si && (__atomic_load_n(&si->flags, __ATOMIC_ACQUIRE) & SWP_USED) ? si : NULL;
}

/* The area of @entry with the offset checked, or NULL (no "Bad swap" message). */
static struct swap_info_struct *__swap_entry_info(swp_entry_t entry)
{
	struct swapfile_state *s = sw();
	struct swap_info_struct *si;
	unsigned int type = swp_type(entry);

	if (!s || !entry.val || type >= MAX_SWAPFILES)
		return NULL;
	si = __atomic_load_n(&s->swap_info[type], __ATOMIC_ACQUIRE);
	if (!si || !(__atomic_load_n(&si->flags, __ATOMIC_ACQUIRE) & SWP_USED) ||
	    swp_offset(entry) >= si->max)
		return NULL;
	return si;
}

struct swap_info_struct *swp_swap_info(swp_entry_t entry)
{
	struct swapfile_state *s = sw();
	unsigned int type = swp_type(entry);

	if (!s || type >= MAX_SWAPFILES)
		return NULL;
	return __atomic_load_n(&s->swap_info[type], __ATOMIC_ACQUIRE);
}

/* Linux's _swap_info_get: the area, or NULL with its "Bad swap ..." line. */
static struct swap_info_struct *swap_entry_info_checked(swp_entry_t entry, const char *fn)
{
	struct swap_info_struct *si;

	if (!entry.val)
		return NULL;
	si = swp_swap_info(entry);
	if (!si || !(__atomic_load_n(&si->flags, __ATOMIC_ACQUIRE) & SWP_USED)) {
		pr_err("%s: Bad swap file entry %08lx\n", fn, entry.val);
		return NULL;
	}
	if (swp_offset(entry) >= si->max) {
		pr_err("%s: Bad swap offset entry %08lx\n", fn, entry.val);
		return NULL;
	}
	return si;
}

/* ---------------------------------------------------------------------
 * Clusters and the area's free-slot bookkeeping (si->lock held)
 */

static struct swap_cluster_info *offset_cluster(struct swap_info_struct *si, unsigned long off)
{
	return &si->cluster_info[off / SWAPFILE_CLUSTER];
}

static void cluster_move(struct swap_area *a, struct swap_cluster_info *ci)
{
	unsigned char want = ci->count == 0 ? CLUSTER_FLAG_FREE :
			     ci->count >= SWAPFILE_CLUSTER ? CLUSTER_FLAG_FULL : CLUSTER_FLAG_NONFULL;

	if (ci->flags == want)
		return;
	ci->flags = want;
	list_del(&ci->list);
	list_add_tail(&ci->list, want == CLUSTER_FLAG_FREE ? &a->free_clusters :
				 want == CLUSTER_FLAG_FULL ? &a->full_clusters : &a->nonfull_clusters);
}

/* The machine's avail list, highest priority first; an area goes behind
 * the others of its priority (plist_add / plist_requeue). */
static void avail_insert_locked(struct swapfile_state *s, struct swap_info_struct *si)
{
	struct swap_info_struct *p;
	struct swap_area *a = swap_area_of(si);

	if (a->on_avail)
		list_del(&si->avail_list);
	list_for_each_entry(p, &s->avail, avail_list)
		if (p->prio < si->prio)
			break;
	list_add_tail(&si->avail_list, &p->avail_list);
	a->on_avail = true;
}

static void avail_del_locked(struct swap_info_struct *si)
{
	struct swap_area *a = swap_area_of(si);

	if (a->on_avail) {
		list_del_init(&si->avail_list);
		a->on_avail = false;
	}
}

/* A slot became used (si->lock held): counts, cluster, bounds. */
static void slot_used(struct swap_info_struct *si, unsigned long off)
{
	struct swap_cluster_info *ci = offset_cluster(si, off);

	WRITE_ONCE(si->inuse_pages, si->inuse_pages + 1);
	ci->count++;
	cluster_move(swap_area_of(si), ci);
	if (off == si->lowest_bit)
		si->lowest_bit++;
	if (off == si->highest_bit)
		si->highest_bit--;
	if (si->inuse_pages == si->pages) {
		si->lowest_bit = si->max;
		si->highest_bit = 0;
	}
}

/*
 * A slot became free (si->lock held, swap_map already 0): counts, cluster,
 * bounds, nr_swap_pages; a full area goes back onto the avail list, which
 * takes swap_lock: Linux takes swap_avail_lock inside si->lock the same way.
 */
static bool slot_freed(struct swap_info_struct *si, unsigned long off)
{
	struct swapfile_state *s = sw();
	struct swap_cluster_info *ci = offset_cluster(si, off);
	bool was_full = si->inuse_pages == si->pages;

	WRITE_ONCE(si->inuse_pages, si->inuse_pages - 1);
	ci->count--;
	cluster_move(swap_area_of(si), ci);
	if (si->lowest_bit > off || si->lowest_bit >= si->max)
		si->lowest_bit = (unsigned int)off;
	if (si->highest_bit < off || !si->highest_bit)
		si->highest_bit = (unsigned int)off;
	atomic_fetch_add(&s->nr_swap_pages, 1);
	return was_full && (si->flags & SWP_WRITEOK);
}

/* Find a free slot: the cursor's cluster, then nonfull, free, a scan. */
static unsigned long scan_swap_map(struct swap_info_struct *si)
{
	struct swap_area *a = swap_area_of(si);

	for (int round = 0; round < 3; round++) {
		if (a->cur_cluster != CLUSTER_NONE) {
			unsigned long end = ((unsigned long)a->cur_cluster + 1) * SWAPFILE_CLUSTER;

			if (end > si->max)
				end = si->max;
			for (unsigned long off = a->cur_next; off < end; off++)
				if (!si->swap_map[off]) {
					a->cur_next = (unsigned int)off + 1;
					return off;
				}
			a->cur_cluster = CLUSTER_NONE;
		}
		if (!list_empty(&a->nonfull_clusters)) {
			struct swap_cluster_info *ci = list_first_entry(&a->nonfull_clusters,
									struct swap_cluster_info, list);

			a->cur_cluster = (unsigned int)(ci - si->cluster_info);
		} else if (!list_empty(&a->free_clusters)) {
			struct swap_cluster_info *ci = list_first_entry(&a->free_clusters,
									struct swap_cluster_info, list);

			a->cur_cluster = (unsigned int)(ci - si->cluster_info);
		} else {
			break;
		}
		a->cur_next = a->cur_cluster * SWAPFILE_CLUSTER;
		/* Move it to the list's tail so a cluster the cursor cannot
		 * use (e.g. only cached slots) does not come back first. */
		list_move_tail(&si->cluster_info[a->cur_cluster].list,
			       si->cluster_info[a->cur_cluster].flags == CLUSTER_FLAG_FREE ?
			       &a->free_clusters : &a->nonfull_clusters);
	}
	for (unsigned long off = si->lowest_bit; off <= si->highest_bit && off < si->max; off++)
		if (!si->swap_map[off])
			return off;
	return 0;
}

/* One slot of @si with SWAP_HAS_CACHE, or 0; *full: no free slot is left. */
static unsigned long swap_alloc_one(struct swap_info_struct *si, bool *full)
{
	unsigned long off = 0;

	spin_lock(&si->lock);
	if ((si->flags & SWP_WRITEOK) && si->inuse_pages < si->pages) {
		off = scan_swap_map(si);
		if (off) {
			WRITE_ONCE(si->swap_map[off], SWAP_HAS_CACHE);
			slot_used(si, off);
		}
	}
	*full = si->inuse_pages >= si->pages;
	spin_unlock(&si->lock);
	return off;
}

swp_entry_t folio_alloc_swap(struct folio *folio)
{
	struct swapfile_state *s = sw();
	struct swap_info_struct *si, *next;

	(void)folio;
	if (!s || atomic_load(&s->nr_swap_pages) <= 0)
		return (swp_entry_t){ 0 };
	spin_lock(&s->swap_lock);
	if (s->fail_nth && ++s->fail_count % s->fail_nth == 0) {
		spin_unlock(&s->swap_lock);
		return (swp_entry_t){ 0 };	/* debugfs fail_swap_alloc */
	}
	/*
	 * A full area leaves the avail list here, under swap_lock; a slot
	 * freed meanwhile in it (slot_freed saw it full) puts it back once we
	 * drop swap_lock, so the list ends up right either way.
	 */
	list_for_each_entry_safe(si, next, &s->avail, avail_list) {
		unsigned long off;
		bool full;

		avail_insert_locked(s, si);	/* plist_requeue: equal prios take turns */
		off = swap_alloc_one(si, &full);
		if (full)
			avail_del_locked(si);
		if (off) {
			atomic_fetch_sub(&s->nr_swap_pages, 1);
			spin_unlock(&s->swap_lock);
			return swp_entry(si->type, off);
		}
	}
	spin_unlock(&s->swap_lock);
	return (swp_entry_t){ 0 };
}

/* ---------------------------------------------------------------------
 * Counting users of a slot
 */

/* Put @usage (1 user, or SWAP_HAS_CACHE) of a slot; free it if none is left. */
static unsigned char swap_entry_put(struct swap_info_struct *si, unsigned long off,
				    unsigned char usage)
{
	struct swapfile_state *s = sw();
	unsigned char v, count, has_cache;
	bool refill = false;

	spin_lock(&si->lock);
	v = si->swap_map[off];
	count = v & ~SWAP_HAS_CACHE;
	has_cache = v & SWAP_HAS_CACHE;
	if (v == SWAP_MAP_BAD || (usage == SWAP_HAS_CACHE ? !has_cache : !count)) {
		spin_unlock(&si->lock);
		pr_err("swap_entry_put: Unused swap offset entry %08lx\n",
		       swp_entry(si->type, off).val);
		WARN_ON_ONCE(1);
		return v;
	}
	if (usage == SWAP_HAS_CACHE)
		has_cache = 0;
	else
		count--;
	v = count | has_cache;
	WRITE_ONCE(si->swap_map[off], v);
	if (!v)
		refill = slot_freed(si, off);
	spin_unlock(&si->lock);
	if (refill) {
		spin_lock(&s->swap_lock);
		if ((READ_ONCE(si->flags) & SWP_WRITEOK) && READ_ONCE(si->inuse_pages) < si->pages)
			avail_insert_locked(s, si);
		spin_unlock(&s->swap_lock);
	}
	return v;
}

void put_swap_folio(struct folio *folio, swp_entry_t entry)
{
	struct swap_info_struct *si = swap_entry_info_checked(entry, "put_swap_folio");

	(void)folio;
	if (si)
		swap_entry_put(si, swp_offset(entry), SWAP_HAS_CACHE);
}

void swap_free(swp_entry_t entry)
{
	struct swap_info_struct *si = swap_entry_info_checked(entry, "swap_free");

	if (si)
		swap_entry_put(si, swp_offset(entry), 1);
}

int swap_duplicate(swp_entry_t entry)
{
	struct swap_info_struct *si = swap_entry_info_checked(entry, "swap_duplicate");
	unsigned long off = swp_offset(entry);
	unsigned char v, count;
	int err = 0;

	if (!si)
		return -EINVAL;
	spin_lock(&si->lock);
	v = si->swap_map[off];
	count = v & ~SWAP_HAS_CACHE;
	if (v == SWAP_MAP_BAD)
		err = -ENOENT;
	else if (!count && !(v & SWAP_HAS_CACHE))
		err = -ENOENT;
	else if (count >= SWAP_MAP_MAX)
		err = -ENOMEM;	/* no continuation pages */
	else
		WRITE_ONCE(si->swap_map[off], (unsigned char)(v + 1));
	spin_unlock(&si->lock);
	return err;
}

int swapcache_prepare(swp_entry_t entry)
{
	struct swap_info_struct *si = __swap_entry_info(entry);
	unsigned long off = swp_offset(entry);
	unsigned char v;
	int err = 0;

	if (!si)
		return -ENOENT;
	spin_lock(&si->lock);
	v = si->swap_map[off];
	if (v == SWAP_MAP_BAD || !v)
		err = -ENOENT;
	else if (v & SWAP_HAS_CACHE)
		err = -EEXIST;
	else
		WRITE_ONCE(si->swap_map[off], (unsigned char)(v | SWAP_HAS_CACHE));
	spin_unlock(&si->lock);
	return err;
}

void swapcache_clear(struct swap_info_struct *si, swp_entry_t entry)
{
	if (!si)
		si = swap_entry_info_checked(entry, "swapcache_clear");
	if (si)
		swap_entry_put(si, swp_offset(entry), SWAP_HAS_CACHE);
}

int __swap_count(swp_entry_t entry)
{
	struct swap_info_struct *si = __swap_entry_info(entry);
	unsigned char v;

	if (!si)
		return 0;
	v = READ_ONCE(si->swap_map[swp_offset(entry)]);
	return v == SWAP_MAP_BAD ? 0 : v & ~SWAP_HAS_CACHE;
}

int swap_swapcount(struct swap_info_struct *si, swp_entry_t entry)
{
	unsigned char v;

	if (!si || swp_offset(entry) >= si->max)
		return 0;
	v = READ_ONCE(si->swap_map[swp_offset(entry)]);
	return v == SWAP_MAP_BAD ? 0 : v & ~SWAP_HAS_CACHE;
}

int swp_swapcount(swp_entry_t entry)
{
	return __swap_count(entry);	/* no continuation pages: the map byte is the count */
}

/* The folio's slot has no user but the swap cache (folio_swapped() false). */
static bool folio_swapped(struct folio *folio)
{
	return __swap_count(folio_swap_entry(folio)) > 0;
}

bool folio_free_swap(struct folio *folio)
{
	WARN_ON_ONCE(!folio_test_locked(folio));
	if (!folio_test_swapcache(folio) || folio_test_writeback(folio) || folio_swapped(folio))
		return false;
	delete_from_swap_cache(folio);
	SetPageDirty(&folio->page);	/* its only copy is in memory now */
	return true;
}

/*
 * free_swap_and_cache - a swap PTE (or shmem entry) of @entry goes away:
 * one user fewer; if only the swap cache is left and its folio is not
 * locked by anyone, the folio leaves the swap cache and the slot is freed
 * when the folio is not mapped any more or swap is more than half full
 * (Linux's __try_to_reclaim_swap with TTRS_UNMAPPED | TTRS_FULL: a mapped
 * folio keeps its only copy in memory, dirty, and the slot goes back).
 */
void free_swap_and_cache(swp_entry_t entry)
{
	struct swap_info_struct *si;
	struct address_space *mapping;
	struct folio *folio;
	unsigned char v;

	if (non_swap_entry(entry))
		return;
	si = get_swap_device(entry);
	if (!si) {
		swap_entry_info_checked(entry, "free_swap_and_cache");
		return;
	}
	v = swap_entry_put(si, swp_offset(entry), 1);
	if (v != SWAP_HAS_CACHE)
		goto out;
	mapping = swap_address_space(entry);
	if (!mapping)
		goto out;
	folio = filemap_get_folio(mapping, swap_cache_index(entry));
	if (IS_ERR_OR_NULL(folio))
		goto out;
	if (folio_trylock(folio)) {
		if (folio_test_swapcache(folio) && folio_swap_entry(folio).val == entry.val &&
		    (!folio_mapped(folio) || vm_swap_full()))
			folio_free_swap(folio);
		folio_unlock(folio);
	}
	put_page(&folio->page);
out:
	put_swap_device(si);
}

/* ---------------------------------------------------------------------
 * Pinning an area against swapoff
 */

struct swap_info_struct *get_swap_device(swp_entry_t entry)
{
	struct swap_info_struct *si = __swap_entry_info(entry);
	struct swap_area *a;

	if (!si)
		return NULL;
	a = swap_area_of(si);
	atomic_fetch_add(&a->users, 1);
	if (__atomic_load_n(&a->dying, __ATOMIC_ACQUIRE)) {
		atomic_fetch_sub(&a->users, 1);
		return NULL;
	}
	return si;
}

void put_swap_device(struct swap_info_struct *si)
{
	if (si)
		atomic_fetch_sub(&swap_area_of(si)->users, 1);
}

/* ---------------------------------------------------------------------
 * Where a slot's bytes are (extents)
 */

sector_t swap_entry_sector(swp_entry_t entry)
{
	struct swap_info_struct *si = __swap_entry_info(entry);
	struct swap_area *a;
	pgoff_t off = swp_offset(entry);
	unsigned int lo = 0, hi;

	if (!si)
		return 0;
	a = swap_area_of(si);
	hi = a->nr_extents;
	while (lo < hi) {	/* the extent holding @off: binary search by start_page */
		unsigned int mid = (lo + hi) / 2;
		struct swap_extent *se = &a->extents[mid];

		if (off < se->start_page)
			hi = mid;
		else if (off >= se->start_page + se->nr_pages)
			lo = mid + 1;
		else
			return (se->start_block + (off - se->start_page)) << (PAGE_SHIFT - SECTOR_SHIFT);
	}
	WARN_ONCE(1, "swap_entry_sector: offset %lu of swap area %d in no extent\n",
		  (unsigned long)off, si->type);
	return 0;
}

sector_t swap_folio_sector(struct folio *folio)
{
	return swap_entry_sector(folio_swap_entry(folio));
}

/* ---------------------------------------------------------------------
 * Totals
 */

long get_nr_swap_pages(void)
{
	struct swapfile_state *s = sw();

	return s ? atomic_load(&s->nr_swap_pages) : 0;
}

long get_total_swap_pages(void)
{
	struct swapfile_state *s = sw();

	return s ? READ_ONCE(s->total_swap_pages) : 0;
}

bool vm_swap_full(void)
{
	return get_nr_swap_pages() * 2 < get_total_swap_pages();
}

void si_swapinfo(struct sysinfo *val)
{
	struct swapfile_state *s = sw();
	long to_be_unused = 0;

	if (!s) {
		val->totalswap = val->freeswap = 0;
		return;
	}
	spin_lock(&s->swap_lock);
	for (unsigned int t = 0; t < s->nr_swapfiles; t++) {
		struct swap_info_struct *si = s->swap_info[t];

		if (si && (si->flags & SWP_USED) && !(si->flags & SWP_WRITEOK))
			to_be_unused += READ_ONCE(si->inuse_pages);
	}
	val->freeswap = (unsigned long)(atomic_load(&s->nr_swap_pages) + to_be_unused);
	val->totalswap = (unsigned long)(s->total_swap_pages + to_be_unused);
	spin_unlock(&s->swap_lock);
}

/* ---------------------------------------------------------------------
 * Areas: creation, the lists, destruction (mm/swapon.c drives these)
 */

void swap_area_lists_init(struct swapfile_state *s)
{
	spin_lock_init(&s->swap_lock);
	pthread_mutex_init(&s->swapon_mutex, NULL);
	INIT_LIST_HEAD(&s->active);
	INIT_LIST_HEAD(&s->avail);
	s->least_priority = -1;
	atomic_store(&s->nr_swap_pages, 0);
	WRITE_ONCE(s->total_swap_pages, 0);
	s->up = true;
}

static void swap_area_free(struct swap_info_struct *si)
{
	struct swap_area *a = swap_area_of(si);

	free(si->swap_map);
	free(si->cluster_info);
	if (a)
		free(a->extents);
	free(a);
	free(si->name);
	si->swap_map = NULL;
	si->cluster_info = NULL;
	si->priv = NULL;
	si->name = NULL;
}

struct swap_info_struct *swap_area_create(struct swapfile_state *s, const char *name,
					  struct block_device *bdev, struct file *file,
					  unsigned int maxpages, struct swap_extent *extents,
					  unsigned int nr_extents, unsigned long long span,
					  const u32 *bad, unsigned int nr_bad, int *errp)
{
	struct swap_info_struct *si = NULL;
	struct swap_area *a;
	unsigned int type, nr_clusters, nr_good;

	spin_lock(&s->swap_lock);
	for (type = 0; type < s->nr_swapfiles; type++)
		if (!s->swap_info[type] || !(s->swap_info[type]->flags & SWP_USED))
			break;
	if (type >= MAX_SWAPFILES) {
		spin_unlock(&s->swap_lock);
		*errp = -EPERM;	/* Linux's alloc_swap_info when MAX_SWAPFILES are in use */
		return NULL;
	}
	si = s->swap_info[type];
	if (!si) {
		si = calloc(1, sizeof(*si));
		if (!si) {
			spin_unlock(&s->swap_lock);
			*errp = -ENOMEM;
			return NULL;
		}
		spin_lock_init(&si->lock);
		INIT_LIST_HEAD(&si->list);
		INIT_LIST_HEAD(&si->avail_list);
		si->type = (signed char)type;
		__atomic_store_n(&s->swap_info[type], si, __ATOMIC_RELEASE);
		if (type >= s->nr_swapfiles)
			s->nr_swapfiles = type + 1;
	}
	/* Not SWP_USED until it is filled in (swapon_mutex keeps another
	 * swapon off this slot meanwhile). */
	spin_unlock(&s->swap_lock);

	nr_clusters = (maxpages + SWAPFILE_CLUSTER - 1) / SWAPFILE_CLUSTER;
	a = calloc(1, sizeof(*a));
	si->swap_map = calloc(maxpages, 1);	/* host memory: outlives the mm at shutdown */
	si->cluster_info = calloc(nr_clusters, sizeof(*si->cluster_info));
	si->name = strdup(name);
	si->priv = a;
	if (!a || !si->swap_map || !si->cluster_info || !si->name) {
		swap_area_free(si);
		free(extents);
		*errp = -ENOMEM;
		return NULL;
	}
	a->extents = extents;
	a->nr_extents = nr_extents;
	a->span = span;
	a->nr_clusters = nr_clusters;
	a->cur_cluster = CLUSTER_NONE;
	INIT_LIST_HEAD(&a->free_clusters);
	INIT_LIST_HEAD(&a->nonfull_clusters);
	INIT_LIST_HEAD(&a->full_clusters);
	si->max = maxpages;
	si->bdev = bdev;
	si->swap_file = file;
	si->swap_extent_root = (struct rb_root){ NULL };
	/*
	 * A cluster's count starts at its unusable slots: the bad ones (slot
	 * 0 and the header's list) and those past the end, counted as they are
	 * marked, so that a large area (swap=6522G) is set up in time
	 * proportional to its clusters, not its pages.
	 */
	si->swap_map[0] = SWAP_MAP_BAD;
	si->cluster_info[0].count = 1;
	nr_good = maxpages - 1;
	for (unsigned int i = 0; i < nr_bad; i++)
		if (bad[i] > 0 && bad[i] < maxpages && si->swap_map[bad[i]] != SWAP_MAP_BAD) {
			si->swap_map[bad[i]] = SWAP_MAP_BAD;
			si->cluster_info[bad[i] / SWAPFILE_CLUSTER].count++;
			nr_good--;
		}
	if (maxpages % SWAPFILE_CLUSTER)
		si->cluster_info[nr_clusters - 1].count +=
			SWAPFILE_CLUSTER - maxpages % SWAPFILE_CLUSTER;
	for (unsigned int c = 0; c < nr_clusters; c++) {
		struct swap_cluster_info *ci = &si->cluster_info[c];

		spin_lock_init(&ci->lock);
		INIT_LIST_HEAD(&ci->list);
		ci->flags = 0;
		list_add_tail(&ci->list, &a->free_clusters);
		ci->flags = CLUSTER_FLAG_FREE;
		cluster_move(a, ci);
	}
	si->pages = nr_good;
	WRITE_ONCE(si->inuse_pages, 0);
	si->lowest_bit = 1;
	si->highest_bit = maxpages - 1;
	while (si->lowest_bit < maxpages && si->swap_map[si->lowest_bit] == SWAP_MAP_BAD)
		si->lowest_bit++;
	while (si->highest_bit > 0 && si->swap_map[si->highest_bit] == SWAP_MAP_BAD)
		si->highest_bit--;
	if (!nr_good) {
		swap_area_free(si);
		*errp = -EINVAL;	/* "Empty swap-file" */
		return NULL;
	}
	__atomic_store_n(&si->flags, (unsigned long)SWP_USED, __ATOMIC_RELEASE);	/* published */
	return si;
}

/* Onto the active list, by priority (plist_add). */
static void active_insert_locked(struct swapfile_state *s, struct swap_info_struct *si)
{
	struct swap_info_struct *p;

	list_for_each_entry(p, &s->active, list)
		if (p->prio < si->prio)
			break;
	list_add_tail(&si->list, &p->list);
}

static void enable_locked(struct swapfile_state *s, struct swap_info_struct *si)
{
	spin_lock(&si->lock);
	WRITE_ONCE(si->flags, si->flags | SWP_WRITEOK);
	spin_unlock(&si->lock);
	active_insert_locked(s, si);
	atomic_fetch_add(&s->nr_swap_pages, (long)si->pages - READ_ONCE(si->inuse_pages));
	WRITE_ONCE(s->total_swap_pages, s->total_swap_pages + si->pages);
	if (READ_ONCE(si->inuse_pages) < si->pages)
		avail_insert_locked(s, si);
}

void swap_area_enable(struct swapfile_state *s, struct swap_info_struct *si, int prio)
{
	spin_lock(&s->swap_lock);
	si->prio = (signed short)(prio >= 0 ? prio : --s->least_priority);
	enable_locked(s, si);
	spin_unlock(&s->swap_lock);
}

void swap_area_disable(struct swapfile_state *s, struct swap_info_struct *si)
{
	spin_lock(&s->swap_lock);
	avail_del_locked(si);
	if (si->prio < 0) {
		/* Every default priority below this one moves up by one. */
		for (struct list_head *pos = si->list.next; pos != &s->active; pos = pos->next)
			list_entry(pos, struct swap_info_struct, list)->prio++;
		s->least_priority++;
	}
	list_del_init(&si->list);
	atomic_fetch_sub(&s->nr_swap_pages, (long)si->pages);
	WRITE_ONCE(s->total_swap_pages, s->total_swap_pages - si->pages);
	spin_lock(&si->lock);
	WRITE_ONCE(si->flags, si->flags & ~SWP_WRITEOK);
	spin_unlock(&si->lock);
	/* The avail list was sorted by the old priorities: re-sort it. */
	{
		struct swap_info_struct *p;
		LIST_HEAD(tmp);

		list_splice_tail_init(&s->avail, &tmp);
		while (!list_empty(&tmp)) {
			p = list_first_entry(&tmp, struct swap_info_struct, avail_list);
			list_del_init(&p->avail_list);
			swap_area_of(p)->on_avail = false;
			avail_insert_locked(s, p);
		}
	}
	spin_unlock(&s->swap_lock);
}

void swap_area_reinsert(struct swapfile_state *s, struct swap_info_struct *si)
{
	spin_lock(&s->swap_lock);
	if (si->prio < 0)
		si->prio = (signed short)--s->least_priority;	/* Linux: setup_swap_info(..., p->prio) re-derives */
	/* Linux adds back all pages: the in-use ones were subtracted at disable. */
	spin_lock(&si->lock);
	WRITE_ONCE(si->flags, si->flags | SWP_WRITEOK);
	spin_unlock(&si->lock);
	active_insert_locked(s, si);
	atomic_fetch_add(&s->nr_swap_pages, (long)si->pages);
	WRITE_ONCE(s->total_swap_pages, s->total_swap_pages + si->pages);
	if (READ_ONCE(si->inuse_pages) < si->pages)
		avail_insert_locked(s, si);
	spin_unlock(&s->swap_lock);
}

void swap_area_destroy(struct swapfile_state *s, struct swap_info_struct *si)
{
	struct swap_area *a = swap_area_of(si);

	__atomic_store_n(&a->dying, true, __ATOMIC_RELEASE);
	while (atomic_load(&a->users))	/* percpu_ref_kill + wait_for_completion */
		sched_yield();
	spin_lock(&s->swap_lock);
	spin_lock(&si->lock);
	__atomic_store_n(&si->flags, 0UL, __ATOMIC_RELEASE);
	swap_area_free(si);
	si->max = 0;
	si->pages = 0;
	WRITE_ONCE(si->inuse_pages, 0);
	si->bdev = NULL;
	si->swap_file = NULL;
	spin_unlock(&si->lock);
	spin_unlock(&s->swap_lock);
}

void swap_area_release(struct swap_info_struct *si)
{
	swap_area_free(si);
	WRITE_ONCE(si->flags, 0UL);
}

/* ---------------------------------------------------------------------
 * The checkers
 */

bool swap_info_is_valid(struct swap_info_struct *si)
{
	struct swap_area *a;
	unsigned int inuse = 0, bad = 0;
	bool ok = true;

	if (!si || !(si->flags & SWP_USED) || !si->priv)
		return true;
	a = swap_area_of(si);
	spin_lock(&si->lock);
	for (unsigned int c = 0; c < a->nr_clusters; c++) {
		struct swap_cluster_info *ci = &si->cluster_info[c];
		unsigned int n = 0;
		unsigned char want;

		for (unsigned long off = (unsigned long)c * SWAPFILE_CLUSTER;
		     off < ((unsigned long)c + 1) * SWAPFILE_CLUSTER; off++) {
			unsigned char v = off < si->max ? si->swap_map[off] : SWAP_MAP_BAD;

			if (v)
				n++;
			if (off >= si->max)
				continue;
			if (v == SWAP_MAP_BAD) {
				bad++;
				continue;
			}
			if (v) {
				inuse++;
				if ((v & ~SWAP_HAS_CACHE) > SWAP_MAP_MAX) {
					pr_err("swap: area %d slot %lu: count %#x\n", si->type, off, v);
					ok = false;
				}
			} else if (off < si->lowest_bit || off > si->highest_bit) {
				pr_err("swap: area %d: free slot %lu outside [%u, %u]\n", si->type,
				       off, si->lowest_bit, si->highest_bit);
				ok = false;
			}
		}
		want = n == 0 ? CLUSTER_FLAG_FREE : n >= SWAPFILE_CLUSTER ? CLUSTER_FLAG_FULL :
		       CLUSTER_FLAG_NONFULL;
		if (n != ci->count || ci->flags != want) {
			pr_err("swap: area %d cluster %u: count %u (counted %u), flags %#x\n",
			       si->type, c, ci->count, n, ci->flags);
			ok = false;
		}
	}
	if (inuse != si->inuse_pages || si->max - 1 - (bad - 1) != si->pages) {
		pr_err("swap: area %d: inuse_pages %u (counted %u), pages %u, max %u, bad %u\n",
		       si->type, si->inuse_pages, inuse, si->pages, si->max, bad);
		ok = false;
	}
	spin_unlock(&si->lock);
	WARN_ON_ONCE(!ok);
	return ok;
}

bool swap_areas_are_valid(struct mmsim *m)
{
	struct swapfile_state *s = swapfile_state_of(m);
	long free_pages = 0, total = 0;
	bool ok = true;

	if (!s || !s->up)
		return true;
	for (int t = 0; t < MAX_SWAPFILES; t++) {
		struct swap_info_struct *si = swap_info_get(m, t);

		if (!si || !si->priv)
			continue;
		ok &= swap_info_is_valid(si);
		spin_lock(&s->swap_lock);
		if (si->flags & SWP_WRITEOK) {
			bool want = READ_ONCE(si->inuse_pages) < si->pages;

			free_pages += (long)si->pages - READ_ONCE(si->inuse_pages);
			total += si->pages;
			if (swap_area_of(si)->on_avail != want) {
				pr_err("swap: area %d: on avail list %d, %u of %u in use\n", t,
				       swap_area_of(si)->on_avail, si->inuse_pages, si->pages);
				ok = false;
			}
		} else {
			free_pages -= READ_ONCE(si->inuse_pages);
		}
		spin_unlock(&s->swap_lock);
	}
	if (free_pages != atomic_load(&s->nr_swap_pages) || total != s->total_swap_pages) {
		pr_err("swap: nr_swap_pages %ld (counted %ld), total_swap_pages %ld (counted %ld)\n",
		       (long)atomic_load(&s->nr_swap_pages), free_pages, s->total_swap_pages, total);
		ok = false;
	}
	WARN_ON_ONCE(!ok);
	return ok;
}
