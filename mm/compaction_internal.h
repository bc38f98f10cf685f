/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/compaction_internal.h - what mm/compaction.c, mm/kcompactd.c and
 * mm/compaction_files.c share: the compact_control of one run, the
 * per-machine state (sysctls, kcompactd), and the cross-file functions.
 */
#ifndef MMSIM_MM_COMPACTION_INTERNAL_H
#define MMSIM_MM_COMPACTION_INTERNAL_H

#include <mmsim/compaction.h>
#include <mmsim/migrate.h>
#include <mmsim/workqueue.h>
#include "mm/internal.h"
#include "init/init.h"

/* Linux's COMPACT_MAX_DEFER_SHIFT: skip at most 64 attempts after failures. */
#define COMPACT_MAX_DEFER_SHIFT		6
/* Linux's COMPACT_CLUSTER_MAX: pages isolated per migration batch. */
#define COMPACT_CLUSTER_MAX		32
/* Proactive compaction looks at the fragmentation score this often. */
#define HPAGE_FRAG_CHECK_INTERVAL_MSEC	500

/*
 * struct compact_control - one compact_zone() run (Linux's).  Lives on the
 * compactor's stack; the lists hold pages only this run can see.
 */
struct compact_control {
	struct list_head freepages;		/* isolated free pages, order 0, refcount 1 */
	struct list_head migratepages;		/* isolated LRU folios (isolation reference) */
	unsigned long nr_freepages;		/* pages on @freepages */
	unsigned long nr_migratepages;		/* pages on @migratepages */
	unsigned long free_pfn;			/* the free scanner: start of its next pageblock */
	unsigned long migrate_pfn;		/* the migration scanner: next pfn */
	unsigned long total_migrate_scanned;	/* pages, for compact_migrate_scanned */
	unsigned long total_free_scanned;	/* pages, for compact_free_scanned */
	unsigned long nr_migrated;		/* pages migrate_pages() moved */
	struct zone *zone;
	gfp_t gfp_mask;
	int order;				/* -1: compact everything (compact_memory) */
	int migratetype;			/* of the allocation we compact for */
	unsigned int alloc_flags;
	int highest_zoneidx;
	enum migrate_mode mode;
	bool ignore_skip_hint;			/* scan blocks whose skip bit is set */
	bool no_set_skip_hint;			/* set no skip bits */
	bool ignore_block_suitable;		/* free scanner: any block type */
	bool direct_compaction;			/* from the allocator (not kcompactd/proc) */
	bool proactive_compaction;		/* kcompactd's fragmentation-score work */
	bool whole_zone;			/* the scanners start at the zone's ends */
	bool contended;				/* a fatal signal stopped it */
	bool finish_pageblock;			/* scan the rest of the block */
};

enum kcompactd_run_state {
	KCOMPACTD_SLEEPING,	/* no work pending: waits for wakeup_kcompactd */
	KCOMPACTD_WAITING,	/* the proactive timeout is pending */
	KCOMPACTD_RUNNING,	/* queued to run now, or running */
};

struct kcompactd {
	struct delayed_work work;	/* first: container_of */
	pg_data_t *pgdat;
	spinlock_t lock;		/* state; a leaf (wq->lock nests inside) */
	enum kcompactd_run_state state;
	unsigned long runs;		/* kcompactd_do_work passes */
	unsigned long wakeups;		/* wakeups that woke it */
	unsigned long proactive_runs;	/* proactive_compact_node passes */
	unsigned long checks;		/* timeouts that looked at the score */
};

/* The per-machine state of the compaction subsystem. */
struct compaction_state {
	int compaction_proactiveness;	/* vm.compaction_proactiveness, 0..100 */
	int compact_unevictable_allowed;	/* vm.compact_unevictable_allowed, 0..1 */
	int compact_memory;		/* vm.compact_memory: the last value written */
	int nr_nodes;
	struct kcompactd node[MAX_NUMNODES];
};

DECLARE_SUBSYSTEM(compaction);

static inline struct compaction_state *compaction_state(void)
{
	return subsys_state(current_machine(), compaction);
}

/* mm/compaction.c */
enum compact_result compact_zone(struct compact_control *cc);
void compact_node(int nid, bool lru_drain);
unsigned int fragmentation_score_node(pg_data_t *pgdat);
unsigned int fragmentation_score_zone(struct zone *zone);
unsigned int fragmentation_score_wmark(bool low);
unsigned int compaction_hpage_order(void);
void reset_isolation_suitable(pg_data_t *pgdat);
int compaction_alloc_skip_bits(struct mmsim *m, char *err, size_t len);
void compaction_free_skip_bits(struct mmsim *m);

/* mm/kcompactd.c */
int kcompactd_init(struct mmsim *m);
void kcompactd_exit(struct mmsim *m);
void kcompactd_proactiveness_changed(void);

#endif
