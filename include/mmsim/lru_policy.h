/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lru_policy.h - the seam for reclaim policies (mm/lru_policy.c).
 *
 * Linux has two page-replacement policies behind one LRU interface: the
 * classic active/inactive lists (mm/swap.c + mm/vmscan.c) and the
 * multi-generational LRU (mm/lru_gen.c, `lru_gen`).  mmsim puts that choice
 * behind this ops table so researchers can add their own: a policy keeps
 * the machine's evictable folios per node (lruvec) and chooses which to
 * evict; everything else -- isolation, unmapping through the rmap,
 * writeback, swap, freeing (shrink_folio_list in mm/vmscan.c) -- is shared.
 *
 * Choosing: the boot word `lru=NAME` (default "classic"; "mglru" is the
 * multi-generational LRU; any online policy of <mmsim/cache_policy.h>'s
 * registry, e.g. lru=arc, through mm/policy/lru_adapter.c), `/sys/kernel/mm/lru_gen/enabled` (Linux's file:
 * writing y/n or a mask switches between classic and mglru at run time),
 * or lru_policy_switch().  A switch moves every folio of every node to the
 * new policy under lru_lock, as Linux's lru_gen_change_state does.
 *
 * Contract of a policy (called with lruvec->lru_lock held unless noted):
 *  - add_folio/del_folio keep PG_lru and lruvec->nr_pages[] (via
 *    update_lru_size) exact, so /proc/meminfo's Active/Inactive and the
 *    checkers work for every policy: a policy maps its own states onto
 *    Linux's five lists' counters (MGLRU: the two youngest generations
 *    count as active).
 *  - shrink_lruvec (lru_lock NOT held) isolates up to what @sc asks,
 *    hands the isolated folios to shrink_folio_list, puts back the rest,
 *    and adds to sc->nr_scanned / sc->nr_reclaimed.
 *  - is_valid checks the policy's own structures (WARN + false on error).
 */
#ifndef MMSIM_LRU_POLICY_H
#define MMSIM_LRU_POLICY_H

#include <stdbool.h>
#include <mmsim/mmzone.h>

struct scan_control;
struct mmsim;

struct lru_policy_ops {
	const char *name;			/* the `lru=` word */
	/* Per-lruvec state: set up before the first folio arrives / torn down after the last leaves. */
	int (*init)(struct lruvec *lruvec);
	void (*exit)(struct lruvec *lruvec);
	/* A folio (PG_lru clear) joins the lists; @tail: at the cold end (rotation, lazyfree). */
	void (*add_folio)(struct lruvec *lruvec, struct folio *folio, bool tail);
	/* A folio with PG_lru leaves (isolation, free); the caller clears PG_lru. */
	void (*del_folio)(struct lruvec *lruvec, struct folio *folio);
	/* folio_mark_accessed (no lock held); NULL: the classic two-touch rule. */
	void (*mark_accessed)(struct folio *folio);
	/* Evict from this lruvec as @sc asks (lru_lock not held). */
	void (*shrink_lruvec)(struct lruvec *lruvec, struct scan_control *sc);
	/* kswapd's aging of a balanced node (classic: age_active_anon); may be NULL. */
	void (*age_node)(pg_data_t *pgdat, struct scan_control *sc);
	/* Internal consistency (lru_lock not held). */
	bool (*is_valid)(struct lruvec *lruvec);
};

/* Register a policy (at startup, before any boot).  0 or -EEXIST/-ENOSPC. */
int lru_policy_register(const struct lru_policy_ops *ops);
const struct lru_policy_ops *lru_policy_find(const char *name);
/* Move every node of the current machine to @name's policy: 0, -EINVAL. */
int lru_policy_switch(struct mmsim *m, const char *name);
/* The policy of the current machine. */
const struct lru_policy_ops *lru_policy_current(void);

extern const struct lru_policy_ops lru_classic_ops;	/* mm/vmscan.c + mm/swap.c */
extern const struct lru_policy_ops lru_gen_ops;		/* mm/lru_gen.c ("mglru") */

#endif
