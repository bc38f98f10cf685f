/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/vmscan_internal.h - what the reclaim files share: scan_control and
 * the steps of shrink_node (mm/vmscan.c), used by kswapd (mm/kswapd.c),
 * the LRU policies (mm/lru_gen.c, mm/lru_policy.c), MADV_PAGEOUT and the
 * proactive-reclaim file.  Linux keeps these static in vmscan.c.
 */
#ifndef MMSIM_MM_VMSCAN_INTERNAL_H
#define MMSIM_MM_VMSCAN_INTERNAL_H

#include <mmsim/swap.h>
#include <mmsim/lru_policy.h>

#define DEF_PRIORITY		12	/* scan lru_pages >> priority per pass */
#define SWAP_CLUSTER_MAX	32UL	/* folios isolated per batch */
#define COMPACT_CLUSTER_MAX	SWAP_CLUSTER_MAX

struct reclaim_state {
	unsigned long reclaimed;	/* slab pages freed by shrinkers during this reclaim */
};

struct scan_control {
	unsigned long nr_to_reclaim;	/* pages this reclaim aims for */
	const unsigned long *nodemask;	/* NULL: all nodes */
	void *target_mem_cgroup;	/* always NULL */
	unsigned long anon_cost;	/* lruvec costs seen at the start (get_scan_count) */
	unsigned long file_cost;
	int *proactive_swappiness;	/* memory.reclaim's swappiness=, or NULL */
	unsigned int may_deactivate:2;	/* DEACTIVATE_ANON | DEACTIVATE_FILE */
	unsigned int force_deactivate:1;
	unsigned int skipped_deactivate:1;
	unsigned int may_writepage:1;	/* may write dirty folios (kswapd, not laptop mode) */
	unsigned int may_unmap:1;	/* may unmap mapped folios */
	unsigned int may_swap:1;	/* may swap anon folios */
	unsigned int proactive:1;	/* memory.reclaim */
	unsigned int memcg_low_reclaim:1;
	unsigned int memcg_low_skipped:1;
	unsigned int hibernation_mode:1;
	unsigned int compaction_ready:1;
	unsigned int cache_trim_mode:1;	/* plenty of inactive file: reclaim only file */
	unsigned int file_is_tiny:1;	/* file LRU too small to reclaim from alone */
	unsigned int no_demotion:1;
	s8 order;			/* the allocation order reclaim is for */
	s8 priority;			/* DEF_PRIORITY .. 0: scan lru >> priority */
	s8 reclaim_idx;			/* the highest zone index reclaim may take pages from */
	gfp_t gfp_mask;
	unsigned long nr_scanned;	/* folios scanned (inactive lists) */
	unsigned long nr_reclaimed;	/* pages freed */
	struct {
		unsigned int dirty;
		unsigned int unqueued_dirty;
		unsigned int congested;
		unsigned int writeback;
		unsigned int immediate;
		unsigned int file_taken;
		unsigned int taken;
	} nr;
	struct reclaim_state reclaim_state;
};

#define DEACTIVATE_ANON	1
#define DEACTIVATE_FILE	2

struct reclaim_stat {
	unsigned int nr_dirty;
	unsigned int nr_unqueued_dirty;
	unsigned int nr_congested;
	unsigned int nr_writeback;
	unsigned int nr_immediate;
	unsigned int nr_pageout;
	unsigned int nr_activate[2];	/* [anon, file] */
	unsigned int nr_ref_keep;
	unsigned int nr_unmap_fail;
	unsigned int nr_lazyfree_fail;
};

/* mm/vmscan.c */
void shrink_node(pg_data_t *pgdat, struct scan_control *sc);
/* The shared second half of every policy: unmap, write, swap, free.
 * Reclaimed folios are freed; the rest come back on @folio_list. */
unsigned int shrink_folio_list(struct list_head *folio_list, pg_data_t *pgdat,
			       struct scan_control *sc, struct reclaim_stat *stat,
			       bool ignore_references);
/* Put isolated folios back on their lists (the policy's add_folio). */
unsigned int move_folios_to_lru(struct lruvec *lruvec, struct list_head *list);
int sc_swappiness(struct scan_control *sc);
bool can_reclaim_anon_pages(int nid, struct scan_control *sc);
void lru_note_cost(struct lruvec *lruvec, bool file, unsigned int nr_io, unsigned int nr_rotated);
bool pgdat_balanced(pg_data_t *pgdat, int order, int highest_zoneidx);
/* Count a scan/steal into pgscan_kswapd/_direct/_khugepaged + _anon/_file. */
void count_reclaim_events(bool scan, bool file, unsigned long nr);

/* mm/swap.c: the per-lruvec list add/del, through lruvec->ops (under
 * lru_lock); update_lru_size keeps nr_pages[] and the node counters. */
void lruvec_add_folio(struct lruvec *lruvec, struct folio *folio);
void lruvec_add_folio_tail(struct lruvec *lruvec, struct folio *folio);
void lruvec_del_folio(struct lruvec *lruvec, struct folio *folio);
void update_lru_size(struct lruvec *lruvec, enum lru_list lru, long nr_pages);

#endif
