/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/lru_internal.h - helpers every LRU policy shares (mm/swap.c,
 * mm/lru_policy.c, mm/vmscan.c, mm/lru_gen.c): the folio's classic list
 * from its flags, its size, and the list primitives that store the links
 * with relaxed atomics (a page's lru.next is its compound_head word, read
 * locklessly by put_page/compound_head: a policy that links folios through
 * folio->lru must use these, never the plain list_add/list_del).
 *
 * Also the per-machine state of the `vmscan` subsystem (mm/lru_policy.c
 * defines it; mm/vmscan.c registers vm.swappiness into it).
 */
#ifndef MMSIM_MM_LRU_INTERNAL_H
#define MMSIM_MM_LRU_INTERNAL_H

#include <mmsim/swap.h>
#include <mmsim/lru_policy.h>

struct scan_control;

static inline bool lru_flag_test(const struct folio *f, int nr)
{
	return (__atomic_load_n(&f->page.flags, __ATOMIC_RELAXED) >> nr) & 1;
}

/* Linux's folio_lru_list(): the classic list the folio's flags name. */
static inline enum lru_list folio_lru_list(const struct folio *folio)
{
	enum lru_list lru;

	if (lru_flag_test(folio, PG_unevictable))
		return LRU_UNEVICTABLE;
	lru = lru_flag_test(folio, PG_swapbacked) ? LRU_INACTIVE_ANON : LRU_INACTIVE_FILE;
	if (lru_flag_test(folio, PG_active))
		lru += LRU_ACTIVE;
	return lru;
}

/* folio_is_file_lru(): not swap-backed (page cache, lazyfree anon). */
static inline bool folio_is_file_lru(const struct folio *folio)
{
	return !lru_flag_test(folio, PG_swapbacked);
}

/* folio_nr_pages() with PG_head read atomically (other CPUs set flags). */
static inline long folio_nr_pages_lru(const struct folio *folio)
{
	return lru_flag_test(folio, PG_head) ? 1L << compound_order(&folio->page) : 1;
}

static inline void lru_link_set(struct list_head **p, struct list_head *v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

static inline void __lru_list_insert(struct list_head *new, struct list_head *prev,
				     struct list_head *next)
{
	lru_link_set(&next->prev, new);
	lru_link_set(&new->next, next);
	lru_link_set(&new->prev, prev);
	lru_link_set(&prev->next, new);
}

/* At the head (hot end) / at the tail (cold end: reclaim takes from here). */
static inline void lru_list_add(struct list_head *new, struct list_head *head)
{
	__lru_list_insert(new, head, head->next);
}

static inline void lru_list_add_tail(struct list_head *new, struct list_head *head)
{
	__lru_list_insert(new, head->prev, head);
}

static inline void lru_list_del(struct list_head *entry)
{
	struct list_head *prev = entry->prev, *next = entry->next;

	lru_link_set(&next->prev, prev);
	lru_link_set(&prev->next, next);
	lru_link_set(&entry->next, LIST_POISON1);
	lru_link_set(&entry->prev, LIST_POISON2);
}

static inline pg_data_t *lruvec_pgdat(struct lruvec *lruvec)
{
	return container_of(lruvec, pg_data_t, __lruvec);
}

/*
 * Linux's tlbflush_unmap_batch: the mms whose TLBs try_to_unmap left
 * stale (TTU_BATCH_FLUSH), flushed by try_to_unmap_flush.  One per CPU
 * (Linux: per task; reclaim never nests on a CPU).  Each mm is pinned
 * with mmgrab until the flush.
 */
#define TLB_UBC_MMS	16
struct tlbflush_unmap_batch {
	int nr;
	bool flush_required;
	bool writable;			/* a dirty PTE was cleared */
	struct mm_struct *mms[TLB_UBC_MMS];
};

/* The vmscan subsystem's per-machine state. */
#define LRU_POLICY_NAME_MAX	32
struct vmscan_state {
	char lru_word[LRU_POLICY_NAME_MAX];	/* lru= (empty: classic) */
	const struct lru_policy_ops *policy;	/* the machine's policy */
	int swappiness;				/* vm.swappiness, 0..200 */
	struct tlbflush_unmap_batch tlb_ubc[NR_CPUS];	/* per CPU (mm/rmap.c) */
};
struct vmscan_state *vmscan_state(void);

/* The classic policy's pieces (mm/swap.c, mm/vmscan.c). */
void lru_classic_add_folio(struct lruvec *lruvec, struct folio *folio, bool tail);
void lru_classic_del_folio(struct lruvec *lruvec, struct folio *folio);
bool lru_classic_is_valid(struct lruvec *lruvec);
void lru_classic_shrink_lruvec(struct lruvec *lruvec, struct scan_control *sc);
void lru_classic_age_node(pg_data_t *pgdat, struct scan_control *sc);
/* NR_ZONE_<list> of the folio's zone, +/- its pages (mm/swap.c). */
void lru_zone_account(struct folio *folio, long sign);
/* folio_end_writeback of a PG_reclaim folio: to the inactive tail (PGROTATED). */
void folio_rotate_reclaimable(struct folio *folio);
int vmscan_sysctl_init(struct mmsim *m, char *err, size_t len);

#endif
