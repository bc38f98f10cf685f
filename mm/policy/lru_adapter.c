// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/lru_adapter.c - every online policy of the cache-policy
 * registry (<mmsim/cache_policy.h>: lru, fifo, clock, sieve, arc, lirs,
 * clockpro, s3fifo, ...) as the kernel's reclaim policy behind the ops
 * table of <mmsim/lru_policy.h>: the boot word `lru=NAME`, or
 * lru_policy_switch() at run time.  The kernel's own names (classic,
 * mglru) and policies registered with lru_policy_register() come first
 * (mm/lru_policy.c asks this file last).  Offline policies (OPT: it needs
 * the future) are refused with a message.  docs/reclaim.md, "Research
 * policies in the kernel", tells the story for users.
 *
 * Design.  One lru_policy_ops per registry entry (ad_ops[i] for
 * cache_policy_at(i), filled once; the init function of slot i is the only
 * per-slot function, so it knows its policy).  Per node (lruvec->lrugen)
 * a struct lru_adapter: an instance of the cache policy created with
 * capacity 0 (the kernel decides when to evict), and the adapter's own
 * maps:
 *   - per pfn of the node: the folio's id (ids[]) and its state (state[]);
 *   - id -> pfn (an idmap) for the ids the policy holds, so victim() names
 *     a folio;
 *   - the swap bridge: swap entry -> id of the folio that went out there.
 *
 * Ids.  A folio's id is chosen when it joins the lists and kept in ids[]
 * (keyed by pfn) until it leaves: stable while it is on them, whatever
 * happens to folio->mapping meanwhile.  (Not in folio->lru's words: the
 * page-cache checker, mapping_is_valid, wants every PG_lru folio linked on
 * a list, so the adapter links its resident folios on an unordered list
 * of its own; the order is the policy's.)  It is derived from the page's
 * identity, (folio->mapping, folio->index) hashed to 62 bits, so a page
 * that comes back after eviction gets the SAME id and the policy's ghost
 * history (ARC's B1/B2, LIRS's non-resident HIRs, CLOCK-Pro's test pages,
 * S3-FIFO's ghost queue) means what it means:
 *   - page cache and shmem: mapping = the file's address_space, index =
 *     the page in the file: the same across eviction and refault;
 *   - anonymous: mapping = anon_vma | PAGE_MAPPING_ANON, index = the
 *     page's linear index in its VMA (rmap's identity of the page);
 *   - a swap-in (or shmem swap-in) joins the lists in
 *     __read_swap_cache_async BEFORE it is mapped: mapping is NULL then.
 *     Its identity is the swap entry, so the adapter records entry -> id
 *     whenever it sees a swap-cache folio with its id (adding it, taking
 *     it off, choosing it as a victim, putting it back pending writeback)
 *     and a swap-cache folio without a mapping takes the id recorded for
 *     its entry (the record is consumed).  The bridge holds at most one
 *     record per swap slot (a slot's record is overwritten by the next
 *     folio written there).
 * A folio without mapping or record, or whose natural id is already held
 * by a resident folio (a hash collision, or a stale record), gets the
 * pfn-based id (1 << 62 | pfn), unique among residents.
 *
 * States of a pfn (state[], under lru_lock):
 *   NONE        not ours;
 *   RESIDENT    on the resident list (PG_lru), its id in the policy;
 *   ISOLATING   PG_lru cleared by a shrinker that checks its references,
 *               id still in the policy (another shrinker that gets it as
 *               a victim answers access());
 *   EVICTING    chosen and unreferenced: remove(id, true) done, isolated
 *               for shrink_folio_list;
 *   PENDING     a victim shrink_folio_list could not free yet because it
 *               is under writeback (or dirty for the flusher): back on the
 *               lists (PG_lru) on the adapter's pending list, NOT in the
 *               policy (Linux: PG_reclaim at the inactive tail); the next
 *               shrink takes it first; referenced again (mark_accessed, or
 *               found referenced by shrink_folio_list) it is inserted anew,
 *               which the policy sees as a ghost hit -- it was evicted in
 *               the policy's view;
 *   WAS_PENDING it left the pending list (folio_rotate_reclaimable takes
 *               it off when its writeback ends and adds it at the tail:
 *               back to pending, at the head, where reclaim looks first);
 *   UNEVICT     mlocked / SHM_LOCKed: on the adapter's unevictable list.
 * AD_FRESH marks an id just inserted: the folio_mark_accessed of the read
 * that added it is the same access as the insert, not a hit.
 *
 * The ops.  add_folio -> insert (fresh state), unevictable to its list, a
 * tail add of a WAS_PENDING folio back to pending; PG_active is cleared on
 * our lists.  del_folio -> remove(id, false) (freed, isolated by someone
 * else, or moved by folio_activate/deactivate/mlock/lazyfree: the add that
 * follows inserts afresh -- the policy cannot be told "cold" or "hot"
 * except through accesses and eviction).  mark_accessed -> access(id).
 * shrink_lruvec: the pending folios whose writeback ended first, then
 * victims, each counted against the scan budget (evictable pages >>
 * priority, at least a batch; a dirty pending folio the flusher has not
 * written comes back pending, and only the budget ends that loop):
 * v = victim(NONE); a folio that cannot be isolated now (being freed, a
 * zone above reclaim_idx, mapped without may_unmap, anon when anon cannot
 * be reclaimed -- no swap space, may_swap off, proactive swappiness 0 --
 * or in another shrinker's hands) is answered access(v) and counted
 * scanned; else it is isolated and folio_referenced (the PTEs' Accessed
 * bits, no lock held) decides: referenced -> back, access(v); not ->
 * remove(v, true) and into the batch for shrink_folio_list.  What comes
 * back is put back: pending (PG_reclaim and dirty or under writeback),
 * unevictable (mlocked meanwhile) or inserted again (rejected: the
 * policy sees a ghost hit, as Linux activates a folio reclaim failed on;
 * activated by shrink_folio_list -- still mapped, no swap slot,
 * referenced -- also a hit, so CLOCK/SIEVE-like policies do not offer it
 * again at once).
 * Without swap and without file pages every victim is answered access(),
 * the budget runs out, nothing is reclaimed, and the priority loop ends in
 * the OOM killer as with classic.
 *
 * Counters: the policy is asked nothing about hot and cold: every evictable
 * folio on our lists (resident and pending) counts as inactive anon or
 * file by PG_swapbacked (PG_active is kept clear on the lists), the
 * unevictable list as LRU_UNEVICTABLE, so nr_pages[], the node and zone
 * counters, /proc/meminfo and lru_is_valid stay exact; Active(anon/file)
 * read 0 under a research policy.
 *
 * Locking: lru_lock guards everything here, the policy instance included
 * (the cache-policy contract is single-threaded; lru_lock serializes it).
 * folio_referenced and shrink_folio_list run with no lock held.  The
 * state outlives a switch away while a shrinker uses it (users, dead: the
 * last user frees it); a shrinker that finds the node switched puts its
 * folios back through the new policy.  Host memory only is allocated
 * (maps, the policy's nodes), some under lru_lock: never the simulated
 * allocator, so the lock order lru_lock -> zone->lock is not involved.
 *
 * Invariants (ad_is_valid): the policy's own is_valid; its nr_resident ==
 * the RESIDENT + ISOLATING folios == the idmap's entries, each mapping back
 * to its pfn; a head page of the node has PG_lru iff its state is
 * RESIDENT, PENDING or UNEVICT; the pending and unevictable lists hold
 * exactly the folios in those states; nr_pages[] of the active lists is 0,
 * the inactive ones are the resident + pending pages by type, the
 * unevictable one the unevictable list's pages.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/rmap.h>
#include <mmsim/swap.h>
#include <mmsim/writeback.h>
#include "mm/internal.h"
#include "mm/vmscan_internal.h"
#include "mm/lru_internal.h"
#include "mm/policy/idmap.h"
#include "mm/policy/lru_adapter.h"

#define AD_SLOTS	16			/* registry entries served */
#define AD_ID_KEY_MASK	((1ULL << 62) - 1)	/* natural ids */
#define AD_ID_PFN	(1ULL << 62)		/* | pfn: the fallback id */

enum ad_state {
	AD_NONE,
	AD_RESIDENT,
	AD_ISOLATING,
	AD_EVICTING,
	AD_PENDING,
	AD_WAS_PENDING,
	AD_UNEVICT,
};
#define AD_FRESH	0x80
#define AD_STATE_MASK	0x7f

/* The swap bridge: swap entry value -> id, open addressing, linear probing. */
struct ad_bridge {
	struct { u64 key, val; } *tab;	/* key 0: empty (entry 0 is never a slot's) */
	u64 mask;
	u64 nr;
};

struct lru_adapter {
	const struct cache_policy_ops *cp;	/* the policy */
	void *inst;				/* its instance (capacity 0) */
	unsigned long start_pfn, nr_pfns;	/* the node's span */
	cache_id_t *ids;			/* per pfn - start_pfn: the folio's id */
	u8 *state;				/* per pfn - start_pfn: enum ad_state | AD_FRESH */
	struct idmap map;			/* id -> pfn - start_pfn (RESIDENT, ISOLATING) */
	struct ad_bridge bridge;		/* swap entry -> id */
	struct list_head resident;		/* RESIDENT folios, unordered (folio->lru) */
	struct list_head pending;		/* PENDING folios, oldest first (folio->lru) */
	struct list_head unevictable;		/* UNEVICT folios (folio->lru) */
	u64 seq;				/* requests told to the policy */
	unsigned long nr_isolating;		/* ISOLATING folios (in st.resident too) */
	int users;				/* shrinkers using this state */
	bool dead;				/* switched away: the last user frees */
	struct lru_adapter_stats st;		/* resident/pending/unevictable: folios */
};

static struct lru_policy_ops ad_ops[AD_SLOTS];
static const struct cache_policy_ops *ad_cp[AD_SLOTS];
static pthread_once_t ad_once = PTHREAD_ONCE_INIT;

static inline void ad_flag_set(struct folio *f, int nr)
{
	__atomic_fetch_or(&f->page.flags, 1UL << nr, __ATOMIC_RELAXED);
}
static inline void ad_flag_clear(struct folio *f, int nr)
{
	__atomic_fetch_and(&f->page.flags, ~(1UL << nr), __ATOMIC_RELAXED);
}
#define ad_test(f, nr) lru_flag_test(f, nr)

/* ---------------------------------------------------------------------
 * The swap bridge
 */

static int bridge_grow(struct ad_bridge *b)
{
	u64 size = b->tab ? (b->mask + 1) * 2 : 256;
	struct ad_bridge n = { .tab = calloc(size, sizeof(*b->tab)), .mask = size - 1 };

	if (!n.tab)
		return -ENOMEM;
	for (u64 i = 0; b->tab && i <= b->mask; i++) {
		u64 k = b->tab[i].key, j;

		if (!k)
			continue;
		for (j = (k * 0x9e3779b97f4a7c15ULL) & n.mask; n.tab[j].key; j = (j + 1) & n.mask)
			;
		n.tab[j] = b->tab[i];
		n.nr++;
	}
	free(b->tab);
	*b = n;
	return 0;
}

static void bridge_put(struct ad_bridge *b, u64 key, u64 val)
{
	u64 i;

	if (!key || ((b->nr + 1) * 2 > (b->tab ? b->mask + 1 : 0) && bridge_grow(b)))
		return;		/* no room: the swap-in gets a pfn id */
	for (i = (key * 0x9e3779b97f4a7c15ULL) & b->mask; b->tab[i].key; i = (i + 1) & b->mask) {
		if (b->tab[i].key == key) {
			b->tab[i].val = val;
			return;
		}
	}
	b->tab[i].key = key;
	b->tab[i].val = val;
	b->nr++;
}

/* Take @key's record out (backward-shift deletion); CACHE_ID_NONE if none. */
static u64 bridge_take(struct ad_bridge *b, u64 key)
{
	u64 i, j, val;

	if (!b->tab || !key)
		return CACHE_ID_NONE;
	for (i = (key * 0x9e3779b97f4a7c15ULL) & b->mask; b->tab[i].key != key; i = (i + 1) & b->mask)
		if (!b->tab[i].key)
			return CACHE_ID_NONE;
	val = b->tab[i].val;
	for (j = (i + 1) & b->mask; b->tab[j].key; j = (j + 1) & b->mask) {
		u64 home = (b->tab[j].key * 0x9e3779b97f4a7c15ULL) & b->mask;

		/* move j into the hole at i unless its home lies in (i, j] */
		if (((j - home) & b->mask) >= ((j - i) & b->mask)) {
			b->tab[i] = b->tab[j];
			i = j;
		}
	}
	b->tab[i].key = 0;
	b->nr--;
	return val;
}

/* ---------------------------------------------------------------------
 * Ids
 */

static inline u64 ad_mix(u64 x)
{
	/* splitmix64's finalizer */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

/* The page's identity, (mapping, index), as an id; NONE without a mapping. */
static cache_id_t ad_natural_id(const struct folio *folio)
{
	/* acquire: a swap-in is mapped while listed (__folio_set_anon: index, then mapping) */
	unsigned long mapping = (unsigned long)__atomic_load_n(&folio->page.mapping, __ATOMIC_ACQUIRE);

	if (!mapping)
		return CACHE_ID_NONE;
	return ad_mix(ad_mix(mapping) ^ (u64)folio->page.index) & AD_ID_KEY_MASK;
}

static inline bool ad_swapcache(const struct folio *folio)
{
	return ad_test(folio, PG_swapcache);
}

/* folio->swap, read while another CPU may free the swap cache (atomic there too). */
static inline u64 ad_swap_val(const struct folio *folio)
{
	return __atomic_load_n(&folio->page.private, __ATOMIC_RELAXED);
}

/* A swap-cache folio's slot remembers @id for the page's next swap-in. */
static void ad_bridge_note(struct lru_adapter *ad, const struct folio *folio, cache_id_t id)
{
	if (ad_swapcache(folio) && !(id & AD_ID_PFN))
		bridge_put(&ad->bridge, ad_swap_val(folio), id);
}

/* The id a folio joining the lists gets (see the header). */
static cache_id_t ad_choose_id(struct lru_adapter *ad, struct folio *folio, unsigned long pfn)
{
	cache_id_t id = CACHE_ID_NONE;

	if (ad_swapcache(folio) && !__atomic_load_n(&folio->page.mapping, __ATOMIC_RELAXED)) {
		id = bridge_take(&ad->bridge, ad_swap_val(folio));
		if (id != CACHE_ID_NONE)
			ad->st.bridged++;
	}
	if (id == CACHE_ID_NONE)
		id = ad_natural_id(folio);
	if (id != CACHE_ID_NONE && idmap_get(&ad->map, id) != IDMAP_NONE) {
		ad->st.collisions++;
		id = CACHE_ID_NONE;
	}
	return id == CACHE_ID_NONE ? AD_ID_PFN | pfn : id;
}

/* ---------------------------------------------------------------------
 * The lists: under lru_lock
 */

static inline struct lru_adapter *ad_of(struct lruvec *lruvec);

static inline unsigned long ad_off(struct lru_adapter *ad, const struct folio *folio)
{
	return page_to_pfn(&folio->page) - ad->start_pfn;
}

static inline int ad_state_of(struct lru_adapter *ad, unsigned long off)
{
	return ad->state[off] & AD_STATE_MASK;
}

/* Pending: at the tail, or at the head when its writeback ended (@ready). */
static void ad_pending_add(struct lru_adapter *ad, struct folio *folio, unsigned long off, bool ready)
{
	ad->state[off] = AD_PENDING;
	if (ready)
		lru_list_add(&folio->page.lru, &ad->pending);
	else
		lru_list_add_tail(&folio->page.lru, &ad->pending);
	ad->st.pending++;
}

/*
 * Into the policy with @id (a fresh id or the one it had).  No room in the
 * map (host memory): the folio waits on the pending list instead, where
 * the next shrink takes it -- tracked, never lost.
 */
static void ad_insert(struct lru_adapter *ad, struct folio *folio, unsigned long off, cache_id_t id)
{
	if (idmap_get(&ad->map, id) != IDMAP_NONE) {
		ad->st.collisions++;
		id = AD_ID_PFN | (ad->start_pfn + off);
	}
	if (WARN_ONCE(idmap_put(&ad->map, id, (uint32_t)off), "lru %s: no memory for the id map\n",
		      ad->cp->name)) {
		ad->ids[off] = id;
		ad_pending_add(ad, folio, off, false);
		return;
	}
	ad->ids[off] = id;
	ad->state[off] = AD_RESIDENT | AD_FRESH;
	lru_list_add(&folio->page.lru, &ad->resident);
	ad->cp->insert(ad->inst, id, ad->seq++);
	ad->st.inserts++;
	ad->st.resident++;
}

/* The policy lets @off's id go (@evicted: chosen by victim()). */
static void ad_forget(struct lru_adapter *ad, unsigned long off, bool evicted)
{
	cache_id_t id = ad->ids[off];

	ad->cp->remove(ad->inst, id, evicted);
	idmap_del(&ad->map, id);
	ad->st.resident--;
	if (evicted)
		ad->st.evictions++;
	else
		ad->st.removals++;
}

static void ad_access(struct lru_adapter *ad, unsigned long off)
{
	ad->state[off] &= (u8)~AD_FRESH;
	ad->cp->access(ad->inst, ad->ids[off], ad->seq++);
	ad->st.accesses++;
}

/* Counted as the list its flags name: inactive anon/file, or unevictable. */
static void ad_account(struct lruvec *lruvec, struct folio *folio, long sign)
{
	update_lru_size(lruvec, folio_lru_list(folio), sign * folio_nr_pages_lru(folio));
}

/*
 * A folio (PG_lru set by the caller) joins the lists.  @putback: reclaim's
 * own putback, where a folio in state EVICTING keeps its id; a tail add
 * of a folio just off the pending list (WAS_PENDING) goes back there.
 */
static void ad_add(struct lruvec *lruvec, struct lru_adapter *ad, struct folio *folio, bool tail,
		   bool putback)
{
	unsigned long off = ad_off(ad, folio);
	bool activated = ad_test(folio, PG_active);
	int prev;

	if (WARN(off >= ad->nr_pfns, "lru %s: pfn %lx is not on node %d\n", ad->cp->name,
		 page_to_pfn(&folio->page), lruvec_pgdat(lruvec)->node_id))
		return;
	prev = ad_state_of(ad, off);
	ad_flag_clear(folio, PG_active);
	ad_account(lruvec, folio, 1);
	if (ad_test(folio, PG_unevictable)) {
		ad->state[off] = AD_UNEVICT;
		lru_list_add(&folio->page.lru, &ad->unevictable);
		ad->st.unevictable++;
		return;
	}
	if (prev == AD_EVICTING && putback) {
		/* reclaim's putback: waiting for I/O, or rejected (a ghost hit) */
		ad_bridge_note(ad, folio, ad->ids[off]);
		if (ad_test(folio, PG_reclaim) &&
		    (ad_test(folio, PG_dirty) || ad_test(folio, PG_writeback))) {
			ad_pending_add(ad, folio, off, false);
			return;
		}
		ad_insert(ad, folio, off, ad->ids[off]);
		/*
		 * Activated (Linux would move it to the active list: referenced
		 * after all, mlocked, still mapped, no swap slot): a hit too, so
		 * policies with reference bits or frequencies do not offer it
		 * again at once.
		 */
		if (activated && ad_state_of(ad, off) == AD_RESIDENT)
			ad_access(ad, off);
		ad->st.rescued++;
		return;
	}
	if (prev == AD_WAS_PENDING && tail) {
		ad_pending_add(ad, folio, off, true);	/* folio_rotate_reclaimable */
		return;
	}
	ad_insert(ad, folio, off, ad_choose_id(ad, folio, page_to_pfn(&folio->page)));
	ad_bridge_note(ad, folio, ad->ids[off]);
}

static void ad_add_folio(struct lruvec *lruvec, struct folio *folio, bool tail)
{
	ad_add(lruvec, ad_of(lruvec), folio, tail, false);
}

static void ad_del_folio(struct lruvec *lruvec, struct folio *folio)
{
	struct lru_adapter *ad = ad_of(lruvec);
	unsigned long off = ad_off(ad, folio);

	if (WARN(off >= ad->nr_pfns, "lru %s: pfn %lx is not on node %d\n", ad->cp->name,
		 page_to_pfn(&folio->page), lruvec_pgdat(lruvec)->node_id))
		return;
	switch (ad_state_of(ad, off)) {
	case AD_RESIDENT:
		ad_bridge_note(ad, folio, ad->ids[off]);
		lru_list_del(&folio->page.lru);
		ad_forget(ad, off, false);
		ad->state[off] = AD_NONE;
		break;
	case AD_PENDING:
		lru_list_del(&folio->page.lru);
		ad->st.pending--;
		ad->state[off] = AD_WAS_PENDING;
		break;
	case AD_UNEVICT:
		lru_list_del(&folio->page.lru);
		ad->st.unevictable--;
		ad->state[off] = AD_NONE;
		break;
	default:
		WARN(1, "lru %s: pfn %lx leaves the lists in state %d\n", ad->cp->name,
		     page_to_pfn(&folio->page), ad_state_of(ad, off));
		return;
	}
	ad_account(lruvec, folio, -1);
}

/* folio_mark_accessed: a hit for a resident folio, a rescue for a pending one. */
static void ad_mark_accessed(struct folio *folio)
{
	struct lruvec *lruvec = folio_lruvec(folio);
	struct lru_adapter *ad;
	unsigned long off;

	spin_lock(&lruvec->lru_lock);
	ad = ad_of(lruvec);
	if (!ad || (off = ad_off(ad, folio)) >= ad->nr_pfns)
		goto out;
	switch (ad_state_of(ad, off)) {
	case AD_RESIDENT:
	case AD_ISOLATING:
		if (ad->state[off] & AD_FRESH)
			ad->state[off] &= (u8)~AD_FRESH;	/* the access that added it */
		else
			ad_access(ad, off);
		break;
	case AD_PENDING:
		lru_list_del(&folio->page.lru);
		ad->st.pending--;
		ad_insert(ad, folio, off, ad->ids[off]);
		ad->state[off] &= (u8)~AD_FRESH;
		ad->st.rescued++;
		break;
	default:
		break;
	}
out:
	spin_unlock(&lruvec->lru_lock);
}

/* ---------------------------------------------------------------------
 * Reclaim
 */

struct ad_batch {
	struct list_head list;		/* isolated folios for shrink_folio_list */
	unsigned long taken[2];		/* pages isolated, [anon, file] (NR_ISOLATED_*) */
	unsigned long scanned[2];	/* pages looked at (pgscan_*) */
	unsigned int nr;		/* folios on @list */
	unsigned long offs[SWAP_CLUSTER_MAX];	/* their pfn offsets (state EVICTING) */
};

/* Off the lists for reclaim (PG_lru cleared): counters and NR_ISOLATED. */
static void ad_isolate(struct lruvec *lruvec, struct folio *folio, struct ad_batch *b)
{
	long nr = folio_nr_pages_lru(folio);
	bool file = folio_is_file_lru(folio);

	lru_zone_account(folio, -1);
	ad_account(lruvec, folio, -1);
	ad_flag_clear(folio, PG_lru);
	mod_node_page_state(lruvec_pgdat(lruvec), (enum node_stat_item)(NR_ISOLATED_ANON + file), nr);
	b->taken[file] += (unsigned long)nr;
}

/* Back on the lists from ad_isolate (PG_lru set again). */
static void ad_unisolate(struct lruvec *lruvec, struct folio *folio, struct ad_batch *b)
{
	long nr = folio_nr_pages_lru(folio);
	bool file = folio_is_file_lru(folio);

	mod_node_page_state(lruvec_pgdat(lruvec), (enum node_stat_item)(NR_ISOLATED_ANON + file), -nr);
	b->taken[file] -= (unsigned long)nr;
	ad_flag_set(folio, PG_lru);
	ad_account(lruvec, folio, 1);
	lru_zone_account(folio, 1);
}

static bool ad_may_take(struct folio *folio, struct scan_control *sc, bool anon_ok)
{
	if ((int)page_zonenum(&folio->page) > sc->reclaim_idx)
		return false;
	if (!folio_is_file_lru(folio) && !anon_ok && !ad_swapcache(folio))
		return false;
	if (!sc->may_unmap && folio_mapped(folio))
		return false;
	return true;
}

/*
 * The pending folios whose writeback has ended go first: from the head,
 * where folio_rotate_reclaimable puts them back (the busy ones rotate to
 * the tail), each one looked at counted against the budget.
 */
static void ad_take_pending(struct lruvec *lruvec, struct lru_adapter *ad, struct scan_control *sc,
			    bool anon_ok, struct ad_batch *b, unsigned long *budget)
{
	unsigned long looked = 0, nr = ad->st.pending;

	/* each folio looked at costs budget: a list of busy ones ends the pass */
	while (looked++ < nr && b->nr < SWAP_CLUSTER_MAX && *budget && !list_empty(&ad->pending)) {
		struct folio *folio = page_folio(list_first_entry(&ad->pending, struct page, lru));
		unsigned long off = ad_off(ad, folio);

		(*budget)--;
		lru_list_del(&folio->page.lru);
		if (ad_test(folio, PG_writeback) || ad_test(folio, PG_locked) ||
		    !ad_may_take(folio, sc, anon_ok) || !get_page_unless_zero(&folio->page)) {
			lru_list_add_tail(&folio->page.lru, &ad->pending);
			continue;
		}
		ad->st.pending--;	/* a dirty one may come back: the budget ends the loop */
		ad->state[off] = AD_EVICTING;
		b->scanned[folio_is_file_lru(folio)] += (unsigned long)folio_nr_pages_lru(folio);
		ad_isolate(lruvec, folio, b);
		lru_list_add_tail(&folio->page.lru, &b->list);
		b->offs[b->nr++] = off;
	}
}

/*
 * One victim: 1 isolated into @b, 0 answered with access() (busy,
 * ineligible or referenced), -1 nothing to evict (or the node switched).
 */
static int ad_take_victim(struct lruvec *lruvec, struct lru_adapter *ad, struct scan_control *sc,
			  bool anon_ok, struct ad_batch *b)
{
	unsigned long vm_flags = 0, off;
	struct folio *folio;
	cache_id_t v;
	int referenced;
	bool file;

	spin_lock(&lruvec->lru_lock);
	if (ad_of(lruvec) != ad) {
		spin_unlock(&lruvec->lru_lock);
		return -1;
	}
	v = ad->cp->victim(ad->inst, CACHE_ID_NONE);
	if (v == CACHE_ID_NONE) {
		spin_unlock(&lruvec->lru_lock);
		return -1;
	}
	off = idmap_get(&ad->map, v);
	if (WARN_ONCE(off == IDMAP_NONE, "lru %s: victim %llx is no folio of node %d\n",
		      ad->cp->name, (unsigned long long)v, lruvec_pgdat(lruvec)->node_id)) {
		spin_unlock(&lruvec->lru_lock);
		return -1;
	}
	folio = (struct folio *)pfn_to_page(ad->start_pfn + off);
	file = folio_is_file_lru(folio);
	/* shrink_folio_list counts what it gets; the rest is counted here */
	sc->nr_scanned += (unsigned long)folio_nr_pages_lru(folio);
	if (ad_state_of(ad, off) == AD_ISOLATING || !ad_may_take(folio, sc, anon_ok)) {
		ad_access(ad, off);
		spin_unlock(&lruvec->lru_lock);
		return 0;
	}
	if (ad_test(folio, PG_mlocked)) {
		/* mlocked since it was added: to the unevictable list */
		lru_zone_account(folio, -1);
		ad_account(lruvec, folio, -1);
		lru_list_del(&folio->page.lru);
		ad_forget(ad, off, false);
		ad_flag_set(folio, PG_unevictable);
		ad->state[off] = AD_UNEVICT;
		lru_list_add(&folio->page.lru, &ad->unevictable);
		ad->st.unevictable++;
		ad_account(lruvec, folio, 1);
		lru_zone_account(folio, 1);
		count_vm_events(UNEVICTABLE_PGCULLED, folio_nr_pages_lru(folio));
		spin_unlock(&lruvec->lru_lock);
		return 0;
	}
	if (!get_page_unless_zero(&folio->page)) {
		ad_access(ad, off);		/* being freed: its del_folio comes */
		spin_unlock(&lruvec->lru_lock);
		return 0;
	}
	/* pgscan: the folios whose references were checked (never anon without swap) */
	b->scanned[file] += (unsigned long)folio_nr_pages_lru(folio);
	ad->state[off] = (u8)(AD_ISOLATING | (ad->state[off] & AD_FRESH));
	ad->nr_isolating++;
	lru_list_del(&folio->page.lru);
	ad_isolate(lruvec, folio, b);
	spin_unlock(&lruvec->lru_lock);

	/* The PTEs' Accessed bits (the rmap walk trylocks; -1: busy, keep). */
	referenced = folio_referenced(folio, 0, NULL, &vm_flags);

	spin_lock(&lruvec->lru_lock);
	if (ad_of(lruvec) != ad) {
		/* switched meanwhile: the new policy takes it */
		ad->nr_isolating--;
		mod_node_page_state(lruvec_pgdat(lruvec), (enum node_stat_item)(NR_ISOLATED_ANON + file),
				    -folio_nr_pages_lru(folio));
		b->taken[file] -= (unsigned long)folio_nr_pages_lru(folio);
		ad->state[off] = AD_NONE;
		ad_forget(ad, off, false);
		ad_flag_set(folio, PG_lru);
		lruvec_add_folio(lruvec, folio);
		spin_unlock(&lruvec->lru_lock);
		put_page(&folio->page);
		return -1;
	}
	ad->nr_isolating--;
	if (referenced) {
		ad->state[off] = AD_RESIDENT;
		lru_list_add(&folio->page.lru, &ad->resident);
		ad_unisolate(lruvec, folio, b);
		ad_access(ad, off);
		spin_unlock(&lruvec->lru_lock);
		put_page(&folio->page);
		return 0;
	}
	ad_forget(ad, off, true);
	ad->nr_isolating--;
	sc->nr_scanned -= (unsigned long)folio_nr_pages_lru(folio);
	ad->state[off] = AD_EVICTING;
	ad_bridge_note(ad, folio, ad->ids[off]);
	spin_unlock(&lruvec->lru_lock);
	lru_list_add_tail(&folio->page.lru, &b->list);
	b->offs[b->nr++] = off;
	return 1;
}

/*
 * What shrink_folio_list left on @list goes back (Linux's
 * move_folios_to_lru): pending, unevictable or into the policy again
 * (ad_add with state EVICTING); through the new policy if the node
 * switched.  The isolation references are dropped after the unlock (a
 * last put frees through __page_cache_release, which takes lru_lock).
 */
static void ad_putback(struct lruvec *lruvec, struct lru_adapter *ad, struct list_head *list,
		       unsigned long returned[2])
{
	struct folio *batch[32];

	while (!list_empty(list)) {
		int n = 0;

		spin_lock(&lruvec->lru_lock);
		while (!list_empty(list) && n < 32) {
			struct folio *folio = page_folio(list_first_entry(list, struct page, lru));

			lru_list_del(&folio->page.lru);
			returned[folio_is_file_lru(folio)] += (unsigned long)folio_nr_pages_lru(folio);
			if (ad_test(folio, PG_mlocked))
				ad_flag_set(folio, PG_unevictable);
			ad_flag_set(folio, PG_lru);
			if (ad_of(lruvec) == ad) {
				ad_add(lruvec, ad, folio, false, true);
				lru_zone_account(folio, 1);
			} else {
				if (ad_test(folio, PG_unevictable))
					ad_flag_clear(folio, PG_active);
				lruvec_add_folio(lruvec, folio);	/* switched meanwhile */
			}
			batch[n++] = folio;
		}
		spin_unlock(&lruvec->lru_lock);
		for (int i = 0; i < n; i++)
			put_page(&batch[i]->page);
	}
}

static struct lru_adapter *ad_get(struct lruvec *lruvec)
{
	struct lru_adapter *ad;

	spin_lock(&lruvec->lru_lock);
	ad = ad_of(lruvec);
	if (ad)
		ad->users++;
	spin_unlock(&lruvec->lru_lock);
	return ad;
}

static void ad_free(struct lru_adapter *ad)
{
	if (ad->inst)
		ad->cp->destroy(ad->inst);
	idmap_destroy(&ad->map);
	free(ad->bridge.tab);
	free(ad->ids);
	free(ad->state);
	free(ad);
}

static void ad_put(struct lruvec *lruvec, struct lru_adapter *ad)
{
	bool last;

	spin_lock(&lruvec->lru_lock);
	last = !--ad->users && ad->dead;
	spin_unlock(&lruvec->lru_lock);
	if (last)
		ad_free(ad);
}

/* One batch through shrink_folio_list; pages reclaimed. */
static unsigned long ad_reclaim_batch(struct lruvec *lruvec, struct lru_adapter *ad,
				      struct scan_control *sc, struct ad_batch *b)
{
	pg_data_t *pgdat = lruvec_pgdat(lruvec);
	unsigned long returned[2] = { 0, 0 };
	unsigned int reclaimed;
	struct reclaim_stat stat;
	unsigned long taken[2] = { b->taken[0], b->taken[1] };

	reclaimed = shrink_folio_list(&b->list, pgdat, sc, &stat, false);
	spin_lock(&lruvec->lru_lock);
	ad->st.activated += stat.nr_activate[0] + stat.nr_activate[1];
	ad->st.ref_keep += stat.nr_ref_keep;
	ad->st.unmap_fail += stat.nr_unmap_fail;
	spin_unlock(&lruvec->lru_lock);
	ad_putback(lruvec, ad, &b->list, returned);
	/* the freed ones: their pfns are nobody's now */
	spin_lock(&lruvec->lru_lock);
	for (unsigned int i = 0; i < b->nr; i++)
		if (ad_state_of(ad, b->offs[i]) == AD_EVICTING)
			ad->state[b->offs[i]] = AD_NONE;
	spin_unlock(&lruvec->lru_lock);
	for (int file = 0; file < 2; file++) {
		mod_node_page_state(pgdat, (enum node_stat_item)(NR_ISOLATED_ANON + file),
				    -(long)taken[file]);
		/* a THP split in reclaim may return more pages than it took */
		count_reclaim_events(false, file, taken[file] > returned[file] ?
					      taken[file] - returned[file] : 0);
	}
	if (stat.nr_unqueued_dirty && stat.nr_unqueued_dirty == taken[0] + taken[1])
		wakeup_flusher_threads(WB_REASON_VMSCAN);
	sc->nr.dirty += stat.nr_dirty;
	sc->nr.congested += stat.nr_congested;
	sc->nr.unqueued_dirty += stat.nr_unqueued_dirty;
	sc->nr.writeback += stat.nr_writeback;
	sc->nr.immediate += stat.nr_immediate;
	sc->nr.taken += (unsigned int)(taken[0] + taken[1]);
	sc->nr.file_taken += (unsigned int)taken[1];
	return reclaimed;
}

static void ad_shrink_lruvec(struct lruvec *lruvec, struct scan_control *sc)
{
	struct lru_adapter *ad = ad_get(lruvec);
	unsigned long size, budget;
	int swappiness = sc_swappiness(sc);
	bool anon_ok;

	if (!ad)
		return;
	anon_ok = sc->may_swap && can_reclaim_anon_pages(lruvec_pgdat(lruvec)->node_id, sc) &&
		  !(sc->proactive && sc->proactive_swappiness && !swappiness);
	spin_lock(&lruvec->lru_lock);
	size = lruvec->nr_pages[LRU_INACTIVE_ANON] + lruvec->nr_pages[LRU_INACTIVE_FILE];
	spin_unlock(&lruvec->lru_lock);
	budget = size >> sc->priority;
	if (budget < SWAP_CLUSTER_MAX)
		budget = size < SWAP_CLUSTER_MAX ? size : SWAP_CLUSTER_MAX;

	lru_add_drain();
	while (sc->nr_reclaimed < sc->nr_to_reclaim) {
		struct ad_batch b = { .nr = 0 };
		bool more = true;

		INIT_LIST_HEAD(&b.list);
		spin_lock(&lruvec->lru_lock);
		if (ad_of(lruvec) == ad)
			ad_take_pending(lruvec, ad, sc, anon_ok, &b, &budget);
		spin_unlock(&lruvec->lru_lock);
		while (b.nr < SWAP_CLUSTER_MAX && budget) {
			budget--;
			if (ad_take_victim(lruvec, ad, sc, anon_ok, &b) < 0) {
				more = false;
				break;
			}
		}
		count_reclaim_events(true, false, b.scanned[0]);
		count_reclaim_events(true, true, b.scanned[1]);
		if (!b.nr)
			break;
		sc->nr_reclaimed += ad_reclaim_batch(lruvec, ad, sc, &b);
		if (!more || !budget)
			break;
	}
	ad_put(lruvec, ad);
}

/* ---------------------------------------------------------------------
 * Setup, teardown, the checker
 */

static int ad_init(struct lruvec *lruvec, unsigned int slot)
{
	const struct cache_policy_ops *cp = ad_cp[slot];
	pg_data_t *pgdat = lruvec_pgdat(lruvec);
	struct cache_policy_params p = { .capacity = 0 };
	struct lru_adapter *ad;
	char err[160] = "";

	if (__atomic_load_n(&lruvec->lrugen, __ATOMIC_ACQUIRE))
		return -EBUSY;
	ad = calloc(1, sizeof(*ad));
	if (!ad)
		return -ENOMEM;
	ad->cp = cp;
	ad->start_pfn = pgdat->node_start_pfn;
	ad->nr_pfns = pgdat->node_spanned_pages;
	ad->ids = malloc(sizeof(*ad->ids) * (ad->nr_pfns ? ad->nr_pfns : 1));
	ad->state = calloc(ad->nr_pfns ? ad->nr_pfns : 1, 1);
	INIT_LIST_HEAD(&ad->resident);
	INIT_LIST_HEAD(&ad->pending);
	INIT_LIST_HEAD(&ad->unevictable);
	if (!ad->ids || !ad->state ||
	    idmap_init(&ad->map, ad->nr_pfns < 4096 ? ad->nr_pfns : 4096)) {
		ad_free(ad);
		return -ENOMEM;
	}
	ad->inst = cp->create(&p, err, sizeof(err));
	if (!ad->inst) {
		pr_warn("lru %s: node %d: %s\n", cp->name, pgdat->node_id, err[0] ? err : "no memory");
		ad_free(ad);
		return -ENOMEM;
	}
	__atomic_store_n(&lruvec->lrugen, ad, __ATOMIC_RELEASE);
	return 0;
}

#define AD_INIT(i) static int ad_init_##i(struct lruvec *l) { return ad_init(l, i); }
AD_INIT(0) AD_INIT(1) AD_INIT(2) AD_INIT(3) AD_INIT(4) AD_INIT(5) AD_INIT(6) AD_INIT(7)
AD_INIT(8) AD_INIT(9) AD_INIT(10) AD_INIT(11) AD_INIT(12) AD_INIT(13) AD_INIT(14) AD_INIT(15)
static int (*const ad_init_fns[AD_SLOTS])(struct lruvec *) = {
	ad_init_0, ad_init_1, ad_init_2, ad_init_3, ad_init_4, ad_init_5, ad_init_6, ad_init_7,
	ad_init_8, ad_init_9, ad_init_10, ad_init_11, ad_init_12, ad_init_13, ad_init_14, ad_init_15,
};

/* After the switch moved every folio off: free now, or when the last shrinker leaves. */
static void ad_exit(struct lruvec *lruvec)
{
	struct lru_adapter *ad;
	bool now;

	spin_lock(&lruvec->lru_lock);
	ad = __atomic_load_n(&lruvec->lrugen, __ATOMIC_ACQUIRE);
	if (!ad) {
		spin_unlock(&lruvec->lru_lock);
		return;
	}
	/* a shrinker may still hold ISOLATING ones: it puts them back */
	WARN(ad->st.resident != ad->nr_isolating || ad->st.pending || ad->st.unevictable,
	     "lru %s: %lu resident, %lu pending, %lu unevictable folios at exit\n", ad->cp->name,
	     ad->st.resident - ad->nr_isolating, ad->st.pending, ad->st.unevictable);
	__atomic_store_n(&lruvec->lrugen, NULL, __ATOMIC_RELEASE);
	ad->dead = true;
	now = !ad->users;
	spin_unlock(&lruvec->lru_lock);
	if (now)
		ad_free(ad);
}

static bool ad_is_valid(struct lruvec *lruvec)
{
	pg_data_t *pgdat = lruvec_pgdat(lruvec);
	unsigned long count[AD_UNEVICT + 1] = { 0 }, pages[NR_LRU_LISTS] = { 0 }, n;
	struct lru_adapter *ad;
	struct page *page;
	bool ok = true;

	spin_lock(&lruvec->lru_lock);
	ad = ad_of(lruvec);
	if (!ad) {
		spin_unlock(&lruvec->lru_lock);
		return true;		/* switched away meanwhile: the new policy checks */
	}
	if (ad->cp->is_valid && !ad->cp->is_valid(ad->inst))
		ok = false;
	for (unsigned long off = 0; off < ad->nr_pfns && ok; off++) {
		unsigned long pfn = ad->start_pfn + off;
		struct folio *folio;
		int s = ad_state_of(ad, off);
		bool lru, want;

		if (!pfn_valid(pfn))
			continue;
		page = pfn_to_page(pfn);
		folio = (struct folio *)page;
		if (page_pgdat(page) != pgdat || PageTail(page))
			continue;
		lru = ad_test(folio, PG_lru);
		want = s == AD_RESIDENT || s == AD_PENDING || s == AD_UNEVICT;
		if (WARN(lru != want, "lru %s: pfn %lx: PG_lru %d in state %d\n", ad->cp->name, pfn,
			 lru, s)) {
			ok = false;
			break;
		}
		count[s]++;
		if (s == AD_RESIDENT || s == AD_ISOLATING) {
			if (WARN(idmap_get(&ad->map, ad->ids[off]) != off,
				 "lru %s: pfn %lx: id %llx maps to %u\n", ad->cp->name, pfn,
				 (unsigned long long)ad->ids[off], idmap_get(&ad->map, ad->ids[off])) ||
			    WARN(ad_test(folio, PG_active) || ad_test(folio, PG_unevictable),
				 "lru %s: pfn %lx resident with flags %lx\n", ad->cp->name, pfn,
				 page->flags))
				ok = false;
		}
		if (want)
			pages[folio_lru_list(folio)] += (unsigned long)folio_nr_pages_lru(folio);
	}
	if (ok && WARN(ad->cp->nr_resident(ad->inst) != count[AD_RESIDENT] + count[AD_ISOLATING] ||
		       ad->map.nr != count[AD_RESIDENT] + count[AD_ISOLATING] ||
		       ad->st.resident != ad->map.nr,
		       "lru %s: policy holds %llu ids, map %llu, counted %lu, %lu resident+%lu isolating\n",
		       ad->cp->name, (unsigned long long)ad->cp->nr_resident(ad->inst),
		       (unsigned long long)ad->map.nr, ad->st.resident, count[AD_RESIDENT],
		       count[AD_ISOLATING]))
		ok = false;
	n = 0;
	list_for_each_entry(page, &ad->resident, lru) {
		if (!ok || WARN(ad_state_of(ad, ad_off(ad, page_folio(page))) != AD_RESIDENT ||
				++n > ad->nr_pfns, "lru %s: resident list: pfn %lx\n", ad->cp->name,
				page_to_pfn(page))) {
			ok = false;
			break;
		}
	}
	if (ok && WARN(n != count[AD_RESIDENT], "lru %s: %lu on the resident list, %lu resident\n",
		       ad->cp->name, n, count[AD_RESIDENT]))
		ok = false;
	n = 0;
	list_for_each_entry(page, &ad->pending, lru) {
		if (!ok || WARN(ad_state_of(ad, ad_off(ad, page_folio(page))) != AD_PENDING ||
				++n > ad->nr_pfns, "lru %s: pending list: pfn %lx\n", ad->cp->name,
				page_to_pfn(page))) {
			ok = false;
			break;
		}
	}
	if (ok && WARN(n != count[AD_PENDING] || n != ad->st.pending,
		       "lru %s: %lu on the pending list, %lu pending, counted %lu\n", ad->cp->name, n,
		       count[AD_PENDING], ad->st.pending))
		ok = false;
	n = 0;
	list_for_each_entry(page, &ad->unevictable, lru) {
		if (!ok || WARN(ad_state_of(ad, ad_off(ad, page_folio(page))) != AD_UNEVICT ||
				!ad_test(page_folio(page), PG_unevictable) || ++n > ad->nr_pfns,
				"lru %s: unevictable list: pfn %lx\n", ad->cp->name, page_to_pfn(page))) {
			ok = false;
			break;
		}
	}
	if (ok && WARN(n != count[AD_UNEVICT] || n != ad->st.unevictable,
		       "lru %s: %lu on the unevictable list, %lu unevictable, counted %lu\n",
		       ad->cp->name, n, count[AD_UNEVICT], ad->st.unevictable))
		ok = false;
	for (int lru = 0; lru < NR_LRU_LISTS && ok; lru++)
		if (WARN(pages[lru] != lruvec->nr_pages[lru] || !list_empty(&lruvec->lists[lru]),
			 "lru %s: list %d: %lu pages on ours, nr_pages %lu\n", ad->cp->name, lru,
			 pages[lru], lruvec->nr_pages[lru]))
			ok = false;
	spin_unlock(&lruvec->lru_lock);
	return ok;
}

static void ad_setup(void)
{
	const struct cache_policy_ops *cp;

	for (unsigned int i = 0; (cp = cache_policy_at(i)); i++) {
		if (i >= AD_SLOTS) {
			fprintf(stderr, "lru_adapter: %u slots: policy '%s' and later not served\n",
				AD_SLOTS, cp->name);
			break;
		}
		ad_cp[i] = cp;
		if (cp->flags & CACHE_POLICY_OFFLINE)
			continue;
		ad_ops[i] = (struct lru_policy_ops){
			.name = cp->name,
			.init = ad_init_fns[i],
			.exit = ad_exit,
			.add_folio = ad_add_folio,
			.del_folio = ad_del_folio,
			.mark_accessed = ad_mark_accessed,
			.shrink_lruvec = ad_shrink_lruvec,
			.age_node = NULL,
			.is_valid = ad_is_valid,
		};
	}
}

/* The node's adapter state, NULL if its policy is not an adapter (lru_lock held). */
static inline struct lru_adapter *ad_of(struct lruvec *lruvec)
{
	if (lruvec->ops->add_folio != ad_add_folio)
		return NULL;
	return __atomic_load_n(&lruvec->lrugen, __ATOMIC_ACQUIRE);
}

const struct lru_policy_ops *lru_adapter_find(const char *name)
{
	pthread_once(&ad_once, ad_setup);
	for (unsigned int i = 0; i < AD_SLOTS && ad_cp[i]; i++)
		if (ad_ops[i].name && !strcmp(ad_ops[i].name, name))
			return &ad_ops[i];
	return NULL;
}

const char *lru_adapter_refusal(const char *name)
{
	const struct cache_policy_ops *cp = cache_policy_find(name);

	if (cp && (cp->flags & CACHE_POLICY_OFFLINE))
		return "an offline policy (it needs the future): cache mode only (mmsim replay --cache-mode)";
	return NULL;
}

const struct cache_policy_ops *lru_adapter_cache_policy(const struct lru_policy_ops *ops)
{
	pthread_once(&ad_once, ad_setup);
	for (unsigned int i = 0; i < AD_SLOTS; i++)
		if (ops == &ad_ops[i])
			return ad_cp[i];
	return NULL;
}

int lru_adapter_get_stats(pg_data_t *pgdat, struct lru_adapter_stats *out)
{
	struct lruvec *lruvec = &pgdat->__lruvec;
	struct lru_adapter *ad;

	spin_lock(&lruvec->lru_lock);
	ad = ad_of(lruvec);
	if (ad)
		*out = ad->st;
	spin_unlock(&lruvec->lru_lock);
	return ad ? 0 : -ENOENT;
}
