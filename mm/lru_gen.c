// SPDX-License-Identifier: GPL-2.0
/*
 * mm/lru_gen.c - the multi-gen LRU (Linux's CONFIG_LRU_GEN, mm/vmscan.c's
 * lru_gen sections, Documentation/admin-guide/mm/multigen_lru.rst and
 * Documentation/mm/multigen_lru.rst) as the "mglru" reclaim policy
 * (lru_gen_ops, <mmsim/lru_policy.h>).
 *
 * Design.  Each node's evictable folios sit in generations, per type
 * (anon = swap-backed, file = the rest, as folio_is_file_lru) and zone:
 * lrugen->folios[seq % MAX_NR_GENS][type][zone].  max_seq is the youngest
 * generation (shared by both types), min_seq[type] the oldest; between
 * MIN_NR_GENS (2) and MAX_NR_GENS (4) generations are live per type.  A
 * folio's generation is in page->flags (gen + 1; mm/lru_gen.h), so its
 * list follows from its flags as the classic list does from PG_active.
 * Unevictable folios sit on lrugen's own list, counted as LRU_UNEVICTABLE
 * (Linux keeps them on the classic list; a list of its own lets a switch
 * from classic empty every classic list, mm/lru_policy.c).
 *
 *  - Adding (lru_gen_add_folio, Linux's four cases): PG_active (a folio
 *    activated, or coming from classic's active list) -> max_seq; anon not
 *    in the swap cache, or pending writeback for reclaim -> max_seq - 1;
 *    rotated to the tail, or only MIN_NR_GENS+... live -> min_seq; the rest
 *    (page cache, swap-in) -> min_seq + 1.  PG_active is cleared on the
 *    lists; del_folio sets it again for the two youngest generations (so a
 *    switch to classic, or folio_isolate_lru + putback, keeps the state).
 *  - Tiers: accesses through file descriptors (folio_mark_accessed) set
 *    PG_referenced, then PG_workingset, then count in LRU_REFS bits; the
 *    tier is order_base_2(refs + 1).  Eviction protects tiers above the one
 *    the PID controller picks (moving them to min_seq + 1).
 *  - Aging (try_to_inc_max_seq): the page-table walk (mm/lru_gen_walk.c)
 *    clears the Accessed bit of every young PTE of the machine's mms and
 *    moves each young folio of this node to the youngest generation; then
 *    inc_max_seq opens a new generation (inc_min_seq first makes room by
 *    folding the oldest one into the next), and the generation that stops
 *    being one of the two youngest moves from the Active to the Inactive
 *    counters.  With the MM_WALK cap off, aging only opens generations and
 *    references are found by the rmap at eviction (folio_referenced in
 *    shrink_folio_list), as Linux without the walk.
 *  - Eviction (shrink_lruvec = try_to_shrink_lruvec): scan the oldest
 *    generation of the chosen type (sort_folio: unevictable folios go to
 *    the classic list, protected tiers / zones above reclaim_idx /
 *    locked or under-writeback folios to the next generation), isolate up
 *    to MIN_LRU_BATCH, hand them to shrink_folio_list, and put the rest
 *    back: referenced/mapped/dirty ones to the youngest generations, clean
 *    ones once more to the oldest.  An empty oldest generation is retired
 *    (try_to_inc_min_seq); when only MIN_NR_GENS are left the lruvec ages.
 *  - Type choice (get_type_to_scan): swappiness 0 file only, 200 anon
 *    first; the older min_seq first; else the PID controller compares the
 *    refault rate (refaulted / (evicted + protected)) of anon and file
 *    tier 0, weighted by swappiness and 200 - swappiness.  Simplification:
 *    refaults are attributed to tier 0 of their type, read from the node's
 *    workingset_refault_anon/file counters (Linux packs the tier into the
 *    shadow entry); protected and evicted are counted per tier.
 *  - min_ttl_ms: kswapd's age_node (lru_gen_age_node) invokes the OOM
 *    killer when the oldest generation of every evictable type is younger
 *    than min_ttl and reclaim is struggling (sc->priority below
 *    DEF_PRIORITY, order 0), as Linux.
 *
 * Files: /sys/kernel/mm/lru_gen/enabled (0x0007 mask; y/n; writing the
 * CORE bit switches the machine's policy with lru_policy_switch),
 * /sys/kernel/mm/lru_gen/min_ttl_ms, /sys/kernel/debug/lru_gen (the
 * histogram; accepts "+ memcg node max_gen [can_swap [force_scan]]" and
 * "- memcg node min_gen [swappiness [nr_to_reclaim]]"), and
 * /sys/kernel/debug/lru_gen_full (all generations, 'x' marks, tiers).
 * There are no memcgs: the one lruvec per node is printed as memcg 0 with
 * an empty path (Linux with the memory controller disabled).
 *
 * Locking: lruvec->lru_lock guards lrugen and the lists; the policy ops
 * are called with it held except shrink_lruvec, age_node, is_valid,
 * mark_accessed.  The walk takes mmap_lock (trylock) -> the PTE lock
 * (trylock) -> lru_lock, the order of mm/swap.c.  Nothing here allocates
 * under lru_lock; init allocates the per-node state (host memory).
 *
 * Invariants (lru_gen_is_valid): each list holds only folios of its
 * node, zone, type and generation, with PG_lru, without PG_active and
 * PG_unevictable, with a reference; its length in pages is
 * nr_pages[gen][type][zone]; generations outside [min_seq, max_seq] are
 * empty; MIN_NR_GENS <= max_seq - min_seq[type] + 1 <= MAX_NR_GENS; the
 * Active counters are the two youngest generations' pages, the Inactive
 * counters the others', LRU_UNEVICTABLE the unevictable list's; the
 * classic lists are empty.  docs/mglru.md tells the whole story.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <mmsim/jiffies.h>
#include <mmsim/rmap.h>
#include <mmsim/oom.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include "mm/internal.h"
#include "mm/vmscan_internal.h"
#include "mm/lru_internal.h"
#include "mm/lru_gen.h"
#include "init/init.h"

static inline void flags_set(struct folio *f, unsigned long bits)
{
	__atomic_fetch_or(&f->page.flags, bits, __ATOMIC_RELAXED);
}
static inline void flags_clear(struct folio *f, unsigned long bits)
{
	__atomic_fetch_and(&f->page.flags, ~bits, __ATOMIC_RELAXED);
}
/* Linux's set_mask_bits: clear @mask, set @bits; the old word. */
static unsigned long flags_mask_set(struct folio *f, unsigned long mask, unsigned long bits)
{
	unsigned long old = __atomic_load_n(&f->page.flags, __ATOMIC_RELAXED);

	while (!__atomic_compare_exchange_n(&f->page.flags, &old, (old & ~mask) | bits, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	return old;
}

struct lru_gen_state *lru_gen_state(void)
{
	return subsys_state(M(), lru_gen);
}

bool lru_gen_enabled(void)
{
	return lru_policy_current() == &lru_gen_ops;
}

static unsigned long now_jiffies(void)
{
	return (unsigned long)get_jiffies_64();
}

/* ---------------------------------------------------------------------
 * Sizes: lrugen->nr_pages and the classic counters (lru_gen_update_size)
 */

static void lru_gen_update_size(struct lruvec *lruvec, struct folio *folio, int old_gen,
				int new_gen)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	int type = folio_lru_type(folio);
	int zone = (int)page_zonenum(&folio->page);
	long delta = folio_nr_pages_lru(folio);
	enum lru_list lru = (enum lru_list)(type * LRU_INACTIVE_FILE);
	bool was_active = old_gen >= 0 && lru_gen_is_active(lrugen, old_gen);
	bool is_active = new_gen >= 0 && lru_gen_is_active(lrugen, new_gen);

	if (old_gen >= 0)
		lrugen->nr_pages[old_gen][type][zone] -= delta;
	if (new_gen >= 0)
		lrugen->nr_pages[new_gen][type][zone] += delta;
	if (old_gen < 0) {
		update_lru_size(lruvec, lru + (is_active ? LRU_ACTIVE : 0), delta);
		return;
	}
	if (new_gen < 0) {
		update_lru_size(lruvec, lru + (was_active ? LRU_ACTIVE : 0), -delta);
		return;
	}
	if (was_active != is_active) {
		update_lru_size(lruvec, lru + (was_active ? LRU_ACTIVE : 0), -delta);
		update_lru_size(lruvec, lru + (is_active ? LRU_ACTIVE : 0), delta);
	}
}

static struct list_head *gen_list(struct lru_gen_folio *lrugen, int gen, struct folio *folio)
{
	return &lrugen->folios[gen][folio_lru_type(folio)][page_zonenum(&folio->page)];
}

/* ---------------------------------------------------------------------
 * The ops: add, del, init, exit
 */

static bool folio_evictable_lru(const struct folio *folio)
{
	return !lru_flag_test(folio, PG_unevictable) && !lru_flag_test(folio, PG_mlocked);
}

/* The unevictable folios: lrugen's own list, counted as LRU_UNEVICTABLE. */
static void unevictable_add(struct lruvec *lruvec, struct folio *folio)
{
	update_lru_size(lruvec, LRU_UNEVICTABLE, folio_nr_pages_lru(folio));
	lru_list_add(&folio->page.lru, &lru_gen_of(lruvec)->unevictable);
}

static void unevictable_del(struct lruvec *lruvec, struct folio *folio)
{
	lru_list_del(&folio->page.lru);
	update_lru_size(lruvec, LRU_UNEVICTABLE, -folio_nr_pages_lru(folio));
}

/* Linux's lru_gen_add_folio (@reclaiming: the cold end of the oldest). */
static void __lru_gen_add_folio(struct lruvec *lruvec, struct folio *folio, bool reclaiming)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	int type = folio_lru_type(folio);
	unsigned long seq;
	int gen;

	if (lru_flag_test(folio, PG_unevictable)) {
		flags_clear(folio, LRU_GEN_MASK | (1UL << PG_active));
		unevictable_add(lruvec, folio);
		return;
	}
	if (lru_flag_test(folio, PG_active))
		seq = lrugen->max_seq;
	else if ((type == LRU_GEN_ANON && !folio_test_swapcache(folio)) ||
		 (lru_flag_test(folio, PG_reclaim) &&
		  (lru_flag_test(folio, PG_dirty) || lru_flag_test(folio, PG_writeback))))
		seq = lrugen->max_seq - 1;
	else if (reclaiming || lrugen->min_seq[type] + MIN_NR_GENS >= lrugen->max_seq)
		seq = lrugen->min_seq[type];
	else
		seq = lrugen->min_seq[type] + 1;
	gen = lru_gen_from_seq(seq);
	flags_mask_set(folio, LRU_GEN_MASK | (1UL << PG_active),
		       (unsigned long)(gen + 1) << LRU_GEN_PGOFF);
	lru_gen_update_size(lruvec, folio, -1, gen);
	if (reclaiming)
		lru_list_add_tail(&folio->page.lru, gen_list(lrugen, gen, folio));
	else
		lru_list_add(&folio->page.lru, gen_list(lrugen, gen, folio));
}

static void lru_gen_add_folio(struct lruvec *lruvec, struct folio *folio, bool tail)
{
	__lru_gen_add_folio(lruvec, folio, tail);
}

/* Linux's lru_gen_del_folio: PG_active again for the two youngest unless reclaiming. */
static void __lru_gen_del_folio(struct lruvec *lruvec, struct folio *folio, bool reclaiming)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	int gen = folio_lru_gen(folio);
	unsigned long bits;

	if (gen < 0) {
		unevictable_del(lruvec, folio);
		return;
	}
	bits = !reclaiming && lru_gen_is_active(lrugen, gen) ? 1UL << PG_active : 0;
	flags_mask_set(folio, LRU_GEN_MASK, bits);
	lru_gen_update_size(lruvec, folio, gen, -1);
	lru_list_del(&folio->page.lru);
}

static void lru_gen_del_folio(struct lruvec *lruvec, struct folio *folio)
{
	__lru_gen_del_folio(lruvec, folio, false);
}

void lru_gen_move_folio(struct lruvec *lruvec, struct folio *folio, int gen)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	int old = folio_lru_gen(folio);

	if (old < 0 || old == gen)
		return;
	flags_mask_set(folio, LRU_GEN_MASK, (unsigned long)(gen + 1) << LRU_GEN_PGOFF);
	lru_gen_update_size(lruvec, folio, old, gen);
	lru_list_del(&folio->page.lru);
	lru_list_add(&folio->page.lru, gen_list(lrugen, gen, folio));
}

static int lru_gen_init_lruvec(struct lruvec *lruvec)
{
	struct lru_gen_state *st = lru_gen_state();
	struct lru_gen_folio *lrugen;
	unsigned long now = now_jiffies();

	if (lruvec->lrugen)
		return 0;
	lrugen = calloc(1, sizeof(*lrugen));
	if (!lrugen)
		return -ENOMEM;
	for (unsigned int g = 0; g < MAX_NR_GENS; g++)
		for (int t = 0; t < ANON_AND_FILE; t++)
			for (int z = 0; z < MAX_NR_ZONES; z++)
				INIT_LIST_HEAD(&lrugen->folios[g][t][z]);
	INIT_LIST_HEAD(&lrugen->unevictable);
	/* Linux's lru_gen_init_lruvec: generations 0 .. MIN_NR_GENS + 1 */
	lrugen->max_seq = MIN_NR_GENS + 1;
	for (unsigned int g = 0; g < MAX_NR_GENS; g++)
		lrugen->timestamps[g] = now;
	lrugen->refault_seen[LRU_GEN_ANON] =
		node_page_state(lruvec_pgdat(lruvec), WORKINGSET_REFAULT_ANON);
	lrugen->refault_seen[LRU_GEN_FILE] =
		node_page_state(lruvec_pgdat(lruvec), WORKINGSET_REFAULT_FILE);
	lruvec->lrugen = lrugen;
	/* A switch not made through `enabled` gets the default caps (Linux's
	 * CONFIG_LRU_GEN_ENABLED=y: the walk on). */
	if (!st->storing && !st->caps)
		st->caps = (1U << LRU_GEN_MM_WALK) | (1U << LRU_GEN_NONLEAF_YOUNG);
	return 0;
}

static void lru_gen_exit_lruvec(struct lruvec *lruvec)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);

	if (!lrugen)
		return;
	for (unsigned int g = 0; g < MAX_NR_GENS; g++)
		for (int t = 0; t < ANON_AND_FILE; t++)
			for (int z = 0; z < MAX_NR_ZONES; z++)
				WARN_ON_ONCE(!list_empty(&lrugen->folios[g][t][z]));
	WARN_ON_ONCE(!list_empty(&lrugen->unevictable));
	lruvec->lrugen = NULL;
	free(lrugen);
}

/*
 * folio_mark_accessed under MGLRU (Linux's folio_inc_refs): the first
 * access sets PG_referenced, the second PG_workingset, the next ones count
 * in LRU_REFS (saturating).  The folio does not move: eviction reads the
 * tier.
 */
static void lru_gen_mark_accessed(struct folio *folio)
{
	unsigned long old, new;

	if (lru_flag_test(folio, PG_unevictable))
		return;
	if (!lru_flag_test(folio, PG_referenced)) {
		flags_set(folio, 1UL << PG_referenced);
		return;
	}
	if (!lru_flag_test(folio, PG_workingset)) {
		flags_set(folio, 1UL << PG_workingset);
		return;
	}
	old = __atomic_load_n(&folio->page.flags, __ATOMIC_RELAXED);
	do {
		if ((old & LRU_REFS_MASK) == LRU_REFS_MASK)
			return;
		new = old + (1UL << LRU_REFS_PGOFF);
	} while (!__atomic_compare_exchange_n(&folio->page.flags, &old, new, false,
					      __ATOMIC_RELAXED, __ATOMIC_RELAXED));
}

/* ---------------------------------------------------------------------
 * Aging: generations open at max_seq, close at min_seq
 */

/* Linux's folio_inc_gen: to the next generation, refs forgotten. */
static int folio_inc_gen(struct lruvec *lruvec, struct folio *folio, bool reclaiming)
{
	int old_gen = folio_lru_gen(folio);
	int new_gen = (old_gen + 1) % (int)MAX_NR_GENS;
	unsigned long bits = (unsigned long)(new_gen + 1) << LRU_GEN_PGOFF;

	if (reclaiming)
		bits |= 1UL << PG_reclaim;	/* for folio_end_writeback: rotate */
	flags_mask_set(folio, LRU_GEN_MASK | LRU_REFS_MASK | LRU_REFS_FLAGS, bits);
	lru_gen_update_size(lruvec, folio, old_gen, new_gen);
	return new_gen;
}

static unsigned long gen_pages(struct lru_gen_folio *lrugen, int gen, int type)
{
	long n = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		n += lrugen->nr_pages[gen][type][z];
	return n > 0 ? (unsigned long)n : 0;
}

/* The carry-over of the PID controller's counters when min_seq moves. */
static void reset_ctrl_pos(struct lru_gen_folio *lrugen, int type, bool carryover)
{
	int hist = lru_hist_from_seq(lrugen->min_seq[type]);

	for (unsigned int tier = 0; tier < MAX_NR_TIERS; tier++) {
		if (carryover) {
			unsigned long sum;

			sum = lrugen->avg_refaulted[type][tier] + lrugen->refaulted[hist][type][tier];
			lrugen->avg_refaulted[type][tier] = sum / 2;
			sum = lrugen->avg_total[type][tier] + lrugen->evicted[hist][type][tier] +
			      lrugen->protected[hist][type][tier];
			lrugen->avg_total[type][tier] = sum / 2;
		}
		lrugen->refaulted[hist][type][tier] = 0;
		lrugen->evicted[hist][type][tier] = 0;
		lrugen->protected[hist][type][tier] = 0;
	}
}

/* Fold the oldest generation of @type into the next one (lru_lock held). */
static void inc_min_seq(struct lruvec *lruvec, int type)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	int old_gen = lru_gen_from_seq(lrugen->min_seq[type]);

	for (int zone = 0; zone < MAX_NR_ZONES; zone++) {
		struct list_head *head = &lrugen->folios[old_gen][type][zone];

		while (!list_empty(head)) {
			struct folio *folio = page_folio(list_last_entry(head, struct page, lru));
			int new_gen = folio_inc_gen(lruvec, folio, false);

			lru_list_del(&folio->page.lru);
			lru_list_add_tail(&folio->page.lru, &lrugen->folios[new_gen][type][zone]);
		}
	}
	reset_ctrl_pos(lrugen, type, true);
	lrugen->min_seq[type]++;
}

/* Retire empty oldest generations (Linux's try_to_inc_min_seq); true if any moved. */
static bool try_to_inc_min_seq(struct lruvec *lruvec, bool can_swap)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	unsigned long min_seq[ANON_AND_FILE];
	bool success = false;

	for (int type = 0; type < ANON_AND_FILE; type++) {
		min_seq[type] = lrugen->min_seq[type];
		while (min_seq[type] + MIN_NR_GENS <= lrugen->max_seq) {
			if (gen_pages(lrugen, lru_gen_from_seq(min_seq[type]), type))
				break;
			min_seq[type]++;
		}
	}
	/* anon never runs ahead of file while anon can be evicted (Linux's rule) */
	if (can_swap) {
		if (min_seq[LRU_GEN_ANON] > min_seq[LRU_GEN_FILE])
			min_seq[LRU_GEN_ANON] = min_seq[LRU_GEN_FILE];
		if (min_seq[LRU_GEN_FILE] < min_seq[LRU_GEN_ANON])
			min_seq[LRU_GEN_FILE] = min_seq[LRU_GEN_ANON];
	}
	for (int type = 0; type < ANON_AND_FILE; type++) {
		if (min_seq[type] == lrugen->min_seq[type])
			continue;
		/* the skipped generations are empty: just move the marker */
		while (lrugen->min_seq[type] < min_seq[type]) {
			reset_ctrl_pos(lrugen, type, true);
			lrugen->min_seq[type]++;
		}
		success = true;
	}
	return success;
}

/* Open generation max_seq + 1 (lru_lock held): Linux's inc_max_seq. */
static void inc_max_seq(struct lruvec *lruvec, bool can_swap)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	int prev, next;

	try_to_inc_min_seq(lruvec, can_swap);
	for (int type = ANON_AND_FILE - 1; type >= 0; type--)
		if (lrugen->max_seq - lrugen->min_seq[type] + 1 >= MAX_NR_GENS)
			inc_min_seq(lruvec, type);
	/* the generation that stops being one of the two youngest: inactive now */
	prev = lru_gen_from_seq(lrugen->max_seq - 1);
	next = lru_gen_from_seq(lrugen->max_seq + 1);
	for (int type = 0; type < ANON_AND_FILE; type++) {
		enum lru_list lru = (enum lru_list)(type * LRU_INACTIVE_FILE);
		long delta = 0;

		for (int zone = 0; zone < MAX_NR_ZONES; zone++) {
			delta += lrugen->nr_pages[prev][type][zone];
			WARN_ON_ONCE(lrugen->nr_pages[next][type][zone]);
		}
		if (delta) {
			update_lru_size(lruvec, lru, delta);
			update_lru_size(lruvec, lru + LRU_ACTIVE, -delta);
		}
	}
	lrugen->timestamps[next] = now_jiffies();
	lrugen->max_seq++;
}

/*
 * try_to_inc_max_seq - age @lruvec if its max_seq is still @max_seq: walk
 * the page tables (the MM_WALK cap) so recently used folios join the
 * youngest generation, then open a new one.  False if another aging got
 * there first.  @force_scan: (accepted; the walk always covers every mm).
 */
bool lru_gen_try_inc_max_seq(struct lruvec *lruvec, unsigned long max_seq, bool can_swap,
			     bool force_scan)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	struct lru_gen_state *st = lru_gen_state();
	bool success = false;

	(void)force_scan;
	if (!lrugen || max_seq != __atomic_load_n(&lrugen->max_seq, __ATOMIC_RELAXED))
		return false;
	if (st->caps & (1U << LRU_GEN_MM_WALK))
		lru_gen_walk_mms(lruvec, lru_gen_from_seq(max_seq), can_swap);
	spin_lock(&lruvec->lru_lock);
	if (lruvec->lrugen == lrugen && lrugen->max_seq == max_seq) {
		inc_max_seq(lruvec, can_swap);
		success = true;
	}
	spin_unlock(&lruvec->lru_lock);
	return success;
}

/* ---------------------------------------------------------------------
 * Eviction
 */

struct ctrl_pos {
	unsigned long refaulted;
	unsigned long total;
	int gain;
};

static void read_ctrl_pos(struct lru_gen_folio *lrugen, int type, int tier, int gain,
			  struct ctrl_pos *pos)
{
	int hist = lru_hist_from_seq(lrugen->min_seq[type]);

	pos->refaulted = lrugen->avg_refaulted[type][tier] + lrugen->refaulted[hist][type][tier];
	pos->total = lrugen->avg_total[type][tier] + lrugen->evicted[hist][type][tier] +
		     lrugen->protected[hist][type][tier];
	pos->gain = gain;
}

/* Linux's positive_ctrl_err: is @pv's refault rate no higher than @sp's? */
static bool positive_ctrl_err(const struct ctrl_pos *sp, const struct ctrl_pos *pv)
{
	return pv->refaulted < MIN_LRU_BATCH ||
	       pv->refaulted * (sp->total + MIN_LRU_BATCH) * (unsigned long)sp->gain <=
		       (sp->refaulted + 1) * pv->total * (unsigned long)pv->gain;
}

/* Refaults since the last look, from the node's workingset counters. */
static void note_refaults(struct lruvec *lruvec)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	pg_data_t *pgdat = lruvec_pgdat(lruvec);
	enum node_stat_item item[ANON_AND_FILE] = { WORKINGSET_REFAULT_ANON, WORKINGSET_REFAULT_FILE };

	for (int type = 0; type < ANON_AND_FILE; type++) {
		unsigned long now = node_page_state(pgdat, item[type]);
		int hist = lru_hist_from_seq(lrugen->min_seq[type]);

		if (now > lrugen->refault_seen[type])
			lrugen->refaulted[hist][type][0] += now - lrugen->refault_seen[type];
		lrugen->refault_seen[type] = now;
	}
}

/* Linux's get_type_to_scan: the type and the highest tier to evict. */
static int get_type_to_scan(struct lruvec *lruvec, int swappiness, int *tier_idx)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	struct ctrl_pos sp, pv;
	int gain[ANON_AND_FILE] = { swappiness, MAX_SWAPPINESS - swappiness };
	int type, tier;

	read_ctrl_pos(lrugen, LRU_GEN_ANON, 0, gain[LRU_GEN_ANON], &sp);
	read_ctrl_pos(lrugen, LRU_GEN_FILE, 0, gain[LRU_GEN_FILE], &pv);
	type = positive_ctrl_err(&sp, &pv);
	read_ctrl_pos(lrugen, !type, 0, gain[!type], &sp);
	for (tier = 1; tier < (int)MAX_NR_TIERS; tier++) {
		read_ctrl_pos(lrugen, type, tier, gain[type], &pv);
		if (!positive_ctrl_err(&sp, &pv))
			break;
	}
	*tier_idx = tier - 1;
	return type;
}

/* Linux's get_tier_idx: protect tiers refaulting more than 1.x tier 0. */
static int get_tier_idx(struct lruvec *lruvec, int type)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	struct ctrl_pos sp, pv;
	int tier;

	read_ctrl_pos(lrugen, type, 0, 2, &sp);
	for (tier = 1; tier < (int)MAX_NR_TIERS; tier++) {
		read_ctrl_pos(lrugen, type, tier, 3, &pv);
		if (!positive_ctrl_err(&sp, &pv))
			break;
	}
	return tier - 1;
}

/*
 * Linux's sort_folio: true if @folio (in the oldest generation) was
 * moved instead of isolated (lru_lock held).
 */
static bool sort_folio(struct lruvec *lruvec, struct folio *folio, struct scan_control *sc,
		       int tier_idx)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	int type = folio_lru_type(folio);
	int zone = (int)page_zonenum(&folio->page);
	long delta = folio_nr_pages_lru(folio);
	int refs = folio_lru_refs(folio);
	int tier = lru_tier_from_refs(refs);
	int gen;

	/* unevictable (mlocked since it was added): to the unevictable list */
	if (!folio_evictable_lru(folio)) {
		lru_zone_account(folio, -1);
		__lru_gen_del_folio(lruvec, folio, true);
		flags_set(folio, 1UL << PG_unevictable);
		unevictable_add(lruvec, folio);
		lru_zone_account(folio, 1);
		count_vm_events(UNEVICTABLE_PGCULLED, delta);
		return true;
	}
	/* protected: accessed through file descriptors more than tier_idx */
	if (tier > tier_idx || refs == (1 << LRU_REFS_WIDTH)) {
		int hist = lru_hist_from_seq(lrugen->min_seq[type]);

		gen = folio_inc_gen(lruvec, folio, false);
		lru_list_del(&folio->page.lru);
		lru_list_add_tail(&folio->page.lru, &lrugen->folios[gen][type][zone]);
		lrugen->protected[hist][type][tier] += (unsigned long)delta;
		return true;
	}
	/* ineligible: a zone this reclaim may not take from */
	if (zone > sc->reclaim_idx) {
		gen = folio_inc_gen(lruvec, folio, false);
		lru_list_del(&folio->page.lru);
		lru_list_add_tail(&folio->page.lru, &lrugen->folios[gen][type][zone]);
		return true;
	}
	/* waiting for writeback */
	if (lru_flag_test(folio, PG_locked) || lru_flag_test(folio, PG_writeback) ||
	    (type == LRU_GEN_FILE && lru_flag_test(folio, PG_dirty))) {
		gen = folio_inc_gen(lruvec, folio, true);
		lru_list_del(&folio->page.lru);
		lru_list_add(&folio->page.lru, &lrugen->folios[gen][type][zone]);
		return true;
	}
	return false;
}

/* Linux's isolate_folio: off the list with a reference, PG_lru cleared. */
static bool isolate_folio(struct lruvec *lruvec, struct folio *folio, struct scan_control *sc)
{
	/* swapping inhibited */
	if (!(sc->gfp_mask & __GFP_IO) &&
	    (lru_flag_test(folio, PG_dirty) ||
	     (PageAnon(&folio->page) && !folio_test_swapcache(folio))))
		return false;
	if (!get_page_unless_zero(&folio->page))
		return false;
	/* see the comment on MAX_NR_TIERS: no PG_referenced, no refs */
	if (!lru_flag_test(folio, PG_referenced))
		flags_clear(folio, LRU_REFS_MASK);
	/* for shrink_folio_list() */
	flags_clear(folio, (1UL << PG_reclaim) | (1UL << PG_referenced));
	lru_zone_account(folio, -1);
	__lru_gen_del_folio(lruvec, folio, true);
	flags_clear(folio, 1UL << PG_lru);
	return true;
}

/* Linux's scan_folios: the oldest generation of @type, zone by zone. */
static unsigned long scan_folios(struct lruvec *lruvec, struct scan_control *sc, int type,
				 int tier, struct list_head *list, unsigned long *nr_isolated)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	int gen = lru_gen_from_seq(lrugen->min_seq[type]);
	unsigned long scanned = 0, sorted = 0, isolated = 0, skipped_total = 0;
	long remaining = MAX_LRU_BATCH;

	if (lrugen->min_seq[type] + MIN_NR_GENS > lrugen->max_seq)
		return 0;
	for (int i = MAX_NR_ZONES; i > 0; i--) {
		int zone = (sc->reclaim_idx + i) % MAX_NR_ZONES;
		struct list_head *head = &lrugen->folios[gen][type][zone];
		LIST_HEAD(moved);
		unsigned long skipped = 0;

		while (!list_empty(head)) {
			struct folio *folio = page_folio(list_last_entry(head, struct page, lru));
			long delta = folio_nr_pages_lru(folio);

			scanned += (unsigned long)delta;
			if (sort_folio(lruvec, folio, sc, tier)) {
				sorted += (unsigned long)delta;
			} else if (isolate_folio(lruvec, folio, sc)) {
				list_add(&folio->page.lru, list);
				isolated += (unsigned long)delta;
				lru_gen_of(lruvec)->evicted[lru_hist_from_seq(lrugen->min_seq[type])]
							   [type][lru_tier_from_refs(folio_lru_refs(folio))] +=
					(unsigned long)delta;
			} else {
				lru_list_del(&folio->page.lru);
				lru_list_add(&folio->page.lru, &moved);
				skipped += (unsigned long)delta;
			}
			if (!--remaining || (isolated > skipped ? isolated : skipped) >= MIN_LRU_BATCH)
				break;
		}
		/* the skipped folios go back to the cold end, in order */
		while (!list_empty(&moved)) {
			struct list_head *e = moved.next;

			lru_list_del(e);
			lru_list_add_tail(e, head);
		}
		skipped_total += skipped;
		if (!remaining || isolated >= MIN_LRU_BATCH)
			break;
	}
	count_reclaim_events(true, type == LRU_GEN_FILE, isolated);
	count_vm_events(PGREFILL, (long)sorted);
	*nr_isolated = isolated;
	(void)skipped_total;
	return isolated || !remaining ? scanned : 0;
}

/* Linux's isolate_folios: the obvious type first, then the other. */
static unsigned long isolate_folios(struct lruvec *lruvec, struct scan_control *sc, int swappiness,
				    int *type_scanned, struct list_head *list,
				    unsigned long *nr_isolated)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	int type, tier = -1;

	if (!swappiness)
		type = LRU_GEN_FILE;
	else if (lrugen->min_seq[LRU_GEN_ANON] < lrugen->min_seq[LRU_GEN_FILE])
		type = LRU_GEN_ANON;
	else if (swappiness == 1)
		type = LRU_GEN_FILE;
	else if (swappiness == MAX_SWAPPINESS)
		type = LRU_GEN_ANON;
	else if (!(sc->gfp_mask & __GFP_IO))
		type = LRU_GEN_FILE;
	else
		type = get_type_to_scan(lruvec, swappiness, &tier);
	for (int i = !swappiness; i < ANON_AND_FILE; i++) {
		unsigned long scanned;

		if (tier < 0)
			tier = get_tier_idx(lruvec, type);
		scanned = scan_folios(lruvec, sc, type, tier, list, nr_isolated);
		if (scanned) {
			*type_scanned = type;
			return scanned;
		}
		type = !type;
		tier = -1;
	}
	*type_scanned = type;
	return 0;
}

/*
 * Put isolated folios back (Linux's move_folios_to_lru): PG_lru again,
 * onto the generation their flags choose, then drop the isolation
 * reference outside lru_lock (a last put frees the folio through
 * __page_cache_release, which takes lru_lock itself).
 */
static void putback_folios(struct lruvec *lruvec, struct list_head *list)
{
	struct folio *batch[32];

	while (!list_empty(list)) {
		int n = 0;

		spin_lock(&lruvec->lru_lock);
		while (!list_empty(list) && n < 32) {
			struct folio *folio = page_folio(list_first_entry(list, struct page, lru));

			list_del(&folio->page.lru);
			if (lru_flag_test(folio, PG_mlocked))
				flags_set(folio, 1UL << PG_unevictable);
			flags_set(folio, 1UL << PG_lru);
			if (lruvec->ops == &lru_gen_ops) {
				__lru_gen_add_folio(lruvec, folio, false);
				lru_zone_account(folio, 1);
			} else {
				lruvec_add_folio(lruvec, folio);	/* switched meanwhile */
			}
			batch[n++] = folio;
		}
		spin_unlock(&lruvec->lru_lock);
		for (int i = 0; i < n; i++)
			put_page(&batch[i]->page);
	}
}

/*
 * Linux's evict_folios: isolate from the oldest generation, reclaim
 * through shrink_folio_list, put back what stays.  Returns folios scanned.
 */
unsigned long lru_gen_evict(struct lruvec *lruvec, struct scan_control *sc, int swappiness)
{
	pg_data_t *pgdat = lruvec_pgdat(lruvec);
	struct reclaim_stat stat;
	unsigned long scanned, isolated = 0, reclaimed;
	struct page *page, *next;
	LIST_HEAD(list);
	LIST_HEAD(clean);
	bool skip_retry = false;
	int type;

	spin_lock(&lruvec->lru_lock);
	if (lruvec->ops != &lru_gen_ops || !lru_gen_of(lruvec)) {
		spin_unlock(&lruvec->lru_lock);
		return 0;
	}
	note_refaults(lruvec);
	scanned = isolate_folios(lruvec, sc, swappiness, &type, &list, &isolated);
	if (try_to_inc_min_seq(lruvec, swappiness != 0))
		scanned++;
	spin_unlock(&lruvec->lru_lock);
	sc->nr_scanned += isolated;
	if (list_empty(&list))
		return scanned;
	/* isolated until freed or put back, as mm/vmscan_lru.c counts them */
	mod_node_page_state(pgdat, (enum node_stat_item)(NR_ISOLATED_ANON + type), (long)isolated);
retry:
	memset(&stat, 0, sizeof(stat));
	reclaimed = shrink_folio_list(&list, pgdat, sc, &stat, false);
	sc->nr_reclaimed += reclaimed;
	count_reclaim_events(false, type == LRU_GEN_FILE, reclaimed);
	list_for_each_entry_safe(page, next, &list, lru) {
		struct folio *folio = page_folio(page);

		if (!folio_evictable_lru(folio))
			continue;
		if (lru_flag_test(folio, PG_reclaim) &&
		    (lru_flag_test(folio, PG_dirty) || lru_flag_test(folio, PG_writeback))) {
			/* restore LRU_REFS_FLAGS cleared by isolate_folio() */
			if (lru_flag_test(folio, PG_workingset))
				flags_set(folio, 1UL << PG_referenced);
			continue;
		}
		if (skip_retry || lru_flag_test(folio, PG_active) ||
		    lru_flag_test(folio, PG_referenced) || folio_mapped(folio) ||
		    lru_flag_test(folio, PG_locked) || lru_flag_test(folio, PG_dirty) ||
		    lru_flag_test(folio, PG_writeback)) {
			/* don't add rejected folios to the oldest generation */
			flags_mask_set(folio, LRU_REFS_MASK | LRU_REFS_FLAGS, 1UL << PG_active);
			continue;
		}
		/* retry folios that may have missed folio_rotate_reclaimable() */
		list_del(&folio->page.lru);
		list_add(&folio->page.lru, &clean);
	}
	putback_folios(lruvec, &list);
	if (!list_empty(&clean)) {
		list_splice_tail_init(&clean, &list);
		skip_retry = true;
		goto retry;
	}
	mod_node_page_state(pgdat, (enum node_stat_item)(NR_ISOLATED_ANON + type), -(long)isolated);
	return scanned;
}

/* Linux's get_swappiness: 0 when anon cannot be reclaimed. */
static int get_swappiness(struct lruvec *lruvec, struct scan_control *sc)
{
	if (!sc->may_swap || !can_reclaim_anon_pages(lruvec_pgdat(lruvec)->node_id, sc))
		return 0;
	return sc_swappiness(sc);
}

/*
 * Linux's should_run_aging / lruvec_is_sizable: *nr_to_scan is every
 * evictable page; true if the lruvec has too few cold generations (or
 * its oldest is too small) to evict from.
 */
static bool should_run_aging(struct lruvec *lruvec, unsigned long max_seq, bool can_swap,
			     unsigned long *nr_to_scan)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	unsigned long old = 0, young = 0, total = 0;

	*nr_to_scan = 0;
	if (lrugen->min_seq[!can_swap] + MIN_NR_GENS > max_seq)
		return true;
	for (int type = !can_swap; type < ANON_AND_FILE; type++) {
		for (unsigned long seq = lrugen->min_seq[type]; seq <= max_seq; seq++) {
			unsigned long size = gen_pages(lrugen, lru_gen_from_seq(seq), type);

			total += size;
			if (seq == max_seq)
				young += size;
			else if (seq + MIN_NR_GENS == max_seq)
				old += size;
		}
	}
	*nr_to_scan = total;
	/* enough cold generations */
	if (lrugen->min_seq[!can_swap] + MIN_NR_GENS < max_seq)
		return false;
	/* three generations: age if the youngest is too big or the oldest too small */
	if (young * MIN_NR_GENS > total)
		return true;
	if (old * (MIN_NR_GENS + 2) < total)
		return true;
	return false;
}

/* Linux's get_nr_to_scan: how much to scan, or age (-1: stop here). */
static long get_nr_to_scan(struct lruvec *lruvec, struct scan_control *sc, bool can_swap)
{
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	unsigned long nr_to_scan, max_seq;
	bool need;

	spin_lock(&lruvec->lru_lock);
	max_seq = lrugen->max_seq;
	need = should_run_aging(lruvec, max_seq, can_swap, &nr_to_scan);
	spin_unlock(&lruvec->lru_lock);
	/* try to get away with not aging at the default priority */
	if (!need || sc->priority == DEF_PRIORITY)
		return (long)(nr_to_scan >> sc->priority);
	/* stop scanning this lruvec as it's low on cold folios */
	return lru_gen_try_inc_max_seq(lruvec, max_seq, can_swap, false) ? -1 : 0;
}

/* The policy's shrink_lruvec: Linux's try_to_shrink_lruvec. */
static void lru_gen_shrink_lruvec(struct lruvec *lruvec, struct scan_control *sc)
{
	unsigned long scanned = 0;
	int swappiness;

	if (!lru_gen_of(lruvec))
		return;
	swappiness = get_swappiness(lruvec, sc);
	for (;;) {
		long nr_to_scan = get_nr_to_scan(lruvec, sc, swappiness != 0);
		unsigned long delta;

		if (nr_to_scan <= 0)
			break;
		delta = lru_gen_evict(lruvec, sc, swappiness);
		if (!delta)
			break;
		scanned += delta;
		if (scanned >= (unsigned long)nr_to_scan)
			break;
		if (sc->nr_reclaimed >= sc->nr_to_reclaim)
			break;
	}
}

/*
 * kswapd's age_node (Linux 6.1's lru_gen_age_node): age a node whose
 * oldest generations are too few; with min_ttl_ms set, when reclaim is
 * struggling (below DEF_PRIORITY, order 0) and the oldest generation is
 * younger than min_ttl, the working set cannot be kept: OOM kill.
 */
static void lru_gen_age_node(pg_data_t *pgdat, struct scan_control *sc)
{
	struct lruvec *lruvec = &pgdat->__lruvec;
	struct lru_gen_folio *lrugen = lru_gen_of(lruvec);
	struct lru_gen_state *st = lru_gen_state();
	unsigned long min_ttl = __atomic_load_n(&st->min_ttl, __ATOMIC_RELAXED);
	unsigned long nr_to_scan, max_seq, birth;
	bool can_swap, need, young = false;

	if (!lrugen)
		return;
	can_swap = get_swappiness(lruvec, sc) != 0;
	spin_lock(&lruvec->lru_lock);
	max_seq = lrugen->max_seq;
	need = should_run_aging(lruvec, max_seq, can_swap, &nr_to_scan);
	birth = lrugen->timestamps[lru_gen_from_seq(lrugen->min_seq[!can_swap])];
	if (min_ttl && nr_to_scan && !time_is_before_jiffies(birth + min_ttl))
		young = true;
	spin_unlock(&lruvec->lru_lock);
	if (need)
		lru_gen_try_inc_max_seq(lruvec, max_seq, can_swap, false);
	if (!min_ttl || sc->order || sc->priority == DEF_PRIORITY || !young)
		return;
	{
		struct oom_control oc = { .gfp_mask = sc->gfp_mask, .order = 0 };

		out_of_memory(&oc);
	}
}

/* ---------------------------------------------------------------------
 * The checker
 */

static bool lru_gen_is_valid(struct lruvec *lruvec)
{
	struct lru_gen_folio *lrugen;
	pg_data_t *pgdat = lruvec_pgdat(lruvec);
	long active[ANON_AND_FILE] = { 0 }, inactive[ANON_AND_FILE] = { 0 }, unevictable = 0;
	bool ok = true;
	struct page *page;

	spin_lock(&lruvec->lru_lock);
	lrugen = lru_gen_of(lruvec);
	if (lruvec->ops != &lru_gen_ops || !lrugen) {
		spin_unlock(&lruvec->lru_lock);
		return WARN(lruvec->ops == &lru_gen_ops, "lru_gen: node %d has no lrugen\n",
			    pgdat->node_id) ? false : true;
	}
	for (int type = 0; type < ANON_AND_FILE && ok; type++) {
		unsigned long nr_gens = lrugen->max_seq - lrugen->min_seq[type] + 1;

		if (WARN(nr_gens < MIN_NR_GENS || nr_gens > MAX_NR_GENS,
			 "lru_gen: node %d type %d: min_seq %lu max_seq %lu\n", pgdat->node_id, type,
			 lrugen->min_seq[type], lrugen->max_seq))
			ok = false;
	}
	for (unsigned int gen = 0; gen < MAX_NR_GENS && ok; gen++) {
		for (int type = 0; type < ANON_AND_FILE && ok; type++) {
			bool live = false;

			for (unsigned long s = lrugen->min_seq[type]; s <= lrugen->max_seq; s++)
				live |= lru_gen_from_seq(s) == (int)gen;
			for (int zone = 0; zone < MAX_NR_ZONES && ok; zone++) {
				long n = 0;

				list_for_each_entry(page, &lrugen->folios[gen][type][zone], lru) {
					struct folio *folio = page_folio(page);

					n += folio_nr_pages_lru(folio);
					if (WARN(!lru_flag_test(folio, PG_lru) ||
						 lru_flag_test(folio, PG_active) ||
						 lru_flag_test(folio, PG_unevictable) ||
						 folio_lru_gen(folio) != (int)gen ||
						 folio_lru_type(folio) != type ||
						 (int)page_zonenum(page) != zone ||
						 page_pgdat(page) != pgdat || page_ref_count(page) <= 0,
						 "lru_gen: pfn %lx on gen %u type %d zone %d: flags %lx gen %d ref %d\n",
						 page_to_pfn(page), gen, type, zone, page->flags,
						 folio_lru_gen(folio), page_ref_count(page))) {
						ok = false;
						break;
					}
					if (n > (long)pgdat->node_spanned_pages) {
						WARN(1, "lru_gen: list %u/%d/%d loops\n", gen, type, zone);
						ok = false;
						break;
					}
				}
				if (ok && WARN(n != lrugen->nr_pages[gen][type][zone],
					       "lru_gen: gen %u type %d zone %d has %ld pages, counted %ld\n",
					       gen, type, zone, n, lrugen->nr_pages[gen][type][zone]))
					ok = false;
				if (ok && WARN(n && !live,
					       "lru_gen: gen %u type %d holds %ld pages outside [%lu, %lu]\n",
					       gen, type, n, lrugen->min_seq[type], lrugen->max_seq))
					ok = false;
				if (lru_gen_is_active(lrugen, (int)gen))
					active[type] += n;
				else
					inactive[type] += n;
			}
		}
	}
	if (ok) {
		list_for_each_entry(page, &lrugen->unevictable, lru) {
			struct folio *folio = page_folio(page);

			unevictable += folio_nr_pages_lru(folio);
			if (WARN(!lru_flag_test(folio, PG_lru) || !lru_flag_test(folio, PG_unevictable) ||
				 folio_lru_gen(folio) >= 0 || page_pgdat(page) != pgdat,
				 "lru_gen: pfn %lx on the unevictable list: flags %lx\n",
				 page_to_pfn(page), page->flags)) {
				ok = false;
				break;
			}
			if (unevictable > (long)pgdat->node_spanned_pages) {
				WARN(1, "lru_gen: the unevictable list loops\n");
				ok = false;
				break;
			}
		}
	}
	for (int i = LRU_INACTIVE_ANON; i < NR_LRU_LISTS && ok; i++)
		ok = list_empty(&lruvec->lists[i]) ||
		     !WARN(1, "lru_gen: classic list %d is not empty\n", i);
	for (int type = 0; type < ANON_AND_FILE && ok; type++) {
		enum lru_list lru = (enum lru_list)(type * LRU_INACTIVE_FILE);

		if (WARN((unsigned long)inactive[type] != lruvec->nr_pages[lru] ||
			 (unsigned long)active[type] != lruvec->nr_pages[lru + LRU_ACTIVE],
			 "lru_gen: type %d: %ld inactive %ld active pages, counters %lu %lu\n", type,
			 inactive[type], active[type], lruvec->nr_pages[lru],
			 lruvec->nr_pages[lru + LRU_ACTIVE]))
			ok = false;
	}
	if (ok && WARN((unsigned long)unevictable != lruvec->nr_pages[LRU_UNEVICTABLE],
		       "lru_gen: %ld unevictable pages, counted %lu\n", unevictable,
		       lruvec->nr_pages[LRU_UNEVICTABLE]))
		ok = false;
	spin_unlock(&lruvec->lru_lock);
	return ok;
}

const struct lru_policy_ops lru_gen_ops = {
	.name = "mglru",
	.init = lru_gen_init_lruvec,
	.exit = lru_gen_exit_lruvec,
	.add_folio = lru_gen_add_folio,
	.del_folio = lru_gen_del_folio,
	.mark_accessed = lru_gen_mark_accessed,
	.shrink_lruvec = lru_gen_shrink_lruvec,
	.age_node = lru_gen_age_node,
	.is_valid = lru_gen_is_valid,
};
