/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/lru_gen.h - the multi-gen LRU's per-node state and page->flags
 * layout (Linux's <linux/mmzone.h> lru_gen_folio, <linux/mm_inline.h>),
 * shared by mm/lru_gen.c (bookkeeping, aging, eviction, the files) and
 * mm/lru_gen_walk.c (the page-table walk).  mm/page_alloc.c clears the
 * gen/refs bits of a freed page (PAGE_FLAGS_CHECK_AT_PREP), as Linux.
 *
 * page->flags: bits above the last PG_ flag and below the zone/node/order
 * fields hold
 *   LRU_GEN_MASK   the folio's generation + 1 (0: not on an MGLRU list),
 *   LRU_REFS_MASK  accesses through file descriptors beyond PG_referenced
 *                  and PG_workingset (the tier counter, saturating).
 * Both change with atomic read-modify-writes: other CPUs set other bits of
 * the same word.
 */
#ifndef MMSIM_MM_LRU_GEN_H
#define MMSIM_MM_LRU_GEN_H

#include <pthread.h>
#include <mmsim/swap.h>
#include <mmsim/lru_policy.h>

#define MIN_NR_GENS		2U
#define MAX_NR_GENS		4U
#define MAX_NR_TIERS		4U
#define NR_HIST_GENS		1U
#define ANON_AND_FILE		2
#define LRU_GEN_ANON		0
#define LRU_GEN_FILE		1
#define MAX_SWAPPINESS		200
/* Linux's batch sizes (BITS_PER_LONG; 64 of those per scan). */
#define MIN_LRU_BATCH		64
#define MAX_LRU_BATCH		(MIN_LRU_BATCH * 64)

#define LRU_GEN_WIDTH		3	/* order_base_2(MAX_NR_GENS + 1) */
#define LRU_REFS_WIDTH		(MAX_NR_TIERS - 2)
#define LRU_GEN_PGOFF		(ALLOC_ORDER_PGSHIFT - LRU_GEN_WIDTH)
#define LRU_REFS_PGOFF		(LRU_GEN_PGOFF - LRU_REFS_WIDTH)
#define LRU_GEN_MASK		(((1UL << LRU_GEN_WIDTH) - 1) << LRU_GEN_PGOFF)
#define LRU_REFS_MASK		(((1UL << LRU_REFS_WIDTH) - 1) << LRU_REFS_PGOFF)
#define LRU_REFS_FLAGS		((1UL << PG_referenced) | (1UL << PG_workingset))

_Static_assert(LRU_REFS_PGOFF > __NR_PAGEFLAGS, "MGLRU bits overlap the page flags");

/* /sys/kernel/mm/lru_gen/enabled bits (Linux's enum lru_gen_caps). */
enum {
	LRU_GEN_CORE,			/* the main switch: the machine's policy is mglru */
	LRU_GEN_MM_WALK,		/* aging walks the page tables */
	LRU_GEN_NONLEAF_YOUNG,		/* (accepted; mmsim's MMU sets no non-leaf A bit) */
	NR_LRU_GEN_CAPS
};

/*
 * Per node (lruvec->lrugen), Linux's struct lru_gen_folio.  Generations
 * are seq numbers; seq % MAX_NR_GENS indexes the lists.  Anon and file
 * share max_seq and have their own min_seq; the live generations of a
 * type are [min_seq[type], max_seq] (MIN_NR_GENS..MAX_NR_GENS of them).
 * The two youngest count as active (lru_gen_is_active).  Under lru_lock.
 */
struct lru_gen_folio {
	unsigned long max_seq;
	unsigned long min_seq[ANON_AND_FILE];
	unsigned long timestamps[MAX_NR_GENS];		/* jiffies at each gen's birth */
	struct list_head folios[MAX_NR_GENS][ANON_AND_FILE][MAX_NR_ZONES];
	long nr_pages[MAX_NR_GENS][ANON_AND_FILE][MAX_NR_ZONES];
	struct list_head unevictable;			/* PG_unevictable folios (LRU_UNEVICTABLE) */
	/* The PID controller's inputs (carried over at each min_seq step). */
	unsigned long avg_refaulted[ANON_AND_FILE][MAX_NR_TIERS];
	unsigned long avg_total[ANON_AND_FILE][MAX_NR_TIERS];
	unsigned long protected[NR_HIST_GENS][ANON_AND_FILE][MAX_NR_TIERS];
	unsigned long evicted[NR_HIST_GENS][ANON_AND_FILE][MAX_NR_TIERS];
	unsigned long refaulted[NR_HIST_GENS][ANON_AND_FILE][MAX_NR_TIERS];
	unsigned long refault_seen[ANON_AND_FILE];	/* node WORKINGSET_REFAULT_* last read */
	/* The page-table walk's statistics (lru_gen_full). */
	unsigned long walk_mms, walk_ptes, walk_young, walk_skipped_mms;
	struct lru_gen_folio *retired_next;		/* on lru_gen_state.retired after exit */
};

/* The lru_gen subsystem's per-machine state. */
struct lru_gen_state {
	unsigned int caps;		/* LRU_GEN_MM_WALK / NONLEAF_YOUNG bits (CORE is the policy) */
	bool storing;			/* an `enabled` write is switching the policy */
	pthread_mutex_t lock;		/* serializes `enabled` writes (set up by the initcall) */
	unsigned long min_ttl;		/* jiffies; 0: off */
	/* lrugens of nodes switched away from MGLRU: a reclaimer that loaded
	 * lruvec->lrugen before the switch may still read it, so they are
	 * freed with the machine (state_release), not at exit. */
	struct lru_gen_folio *retired;
};
struct lru_gen_state *lru_gen_state(void);

static inline struct lru_gen_folio *lru_gen_of(struct lruvec *lruvec)
{
	return (struct lru_gen_folio *)__atomic_load_n(&lruvec->lrugen, __ATOMIC_ACQUIRE);
}
static inline int lru_gen_from_seq(unsigned long seq)
{
	return (int)(seq % MAX_NR_GENS);
}
static inline int lru_hist_from_seq(unsigned long seq)
{
	return (int)(seq % NR_HIST_GENS);
}
/* The generation bits of @folio: its gen, or -1 when on no MGLRU list. */
static inline int folio_lru_gen(const struct folio *folio)
{
	unsigned long flags = __atomic_load_n(&folio->page.flags, __ATOMIC_RELAXED);

	return (int)((flags & LRU_GEN_MASK) >> LRU_GEN_PGOFF) - 1;
}
static inline bool lru_gen_is_active(const struct lru_gen_folio *lrugen, int gen)
{
	return gen == lru_gen_from_seq(lrugen->max_seq) ||
	       gen == lru_gen_from_seq(lrugen->max_seq - 1);
}
/* Accesses beyond the first (Linux's folio_lru_refs). */
static inline int folio_lru_refs(const struct folio *folio)
{
	unsigned long flags = __atomic_load_n(&folio->page.flags, __ATOMIC_RELAXED);
	bool workingset = flags & (1UL << PG_workingset);

	return (int)((flags & LRU_REFS_MASK) >> LRU_REFS_PGOFF) + workingset;
}
/* order_base_2(refs + 1): tier 0 is 0/1 accesses, tier 1 two, 2 three/four ... */
static inline int lru_tier_from_refs(int refs)
{
	int n = refs + 1, order = 0;

	while ((1 << order) < n)
		order++;
	return order;
}
static inline int folio_lru_type(const struct folio *folio)
{
	return !((__atomic_load_n(&folio->page.flags, __ATOMIC_RELAXED) >> PG_swapbacked) & 1);
}

/* lru_lock taken and the node's lrugen, or NULL (lock dropped) when the
 * node is not (any more) on MGLRU. */
struct lru_gen_folio *lru_gen_lock(struct lruvec *lruvec);
void lru_gen_state_release(void *state);

/* mm/lru_gen.c, for the walk: move a folio on this node's lists to @gen
 * (lru_lock held; the folio has PG_lru and a generation). */
void lru_gen_move_folio(struct lruvec *lruvec, struct folio *folio, int gen);

/* mm/lru_gen_walk.c: harvest the Accessed bits of every mm of the machine's
 * tasks into @lruvec: young folios of its node move to generation @gen
 * (lru_lock not held).  Returns young PTEs found. */
unsigned long lru_gen_walk_mms(struct lruvec *lruvec, int gen, bool can_swap);

/* Aging and eviction, for tests and the debugfs file (lru_lock not held). */
bool lru_gen_try_inc_max_seq(struct lruvec *lruvec, unsigned long max_seq, bool can_swap,
			     bool force_scan);
unsigned long lru_gen_evict(struct lruvec *lruvec, struct scan_control *sc, int swappiness);
/* Is the machine's policy MGLRU (the CORE bit of `enabled`)? */
bool lru_gen_enabled(void);

#endif
