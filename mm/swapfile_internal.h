/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/swapfile_internal.h - what mm/swapfile.c (slots, clusters, the
 * area lists) and mm/swapon.c (boot areas, swapon/swapoff, /proc/swaps,
 * the swap header) share.  See mm/swapfile.c for the design, locking and
 * invariants.
 */
#ifndef MMSIM_MM_SWAPFILE_INTERNAL_H
#define MMSIM_MM_SWAPFILE_INTERNAL_H

#include <pthread.h>
#include <mmsim/swapops.h>
#include <mmsim/blkdev.h>
#include "init/init.h"
#include "init/machine.h"

#define SWAP_BOOT_MAX		16	/* swap=: areas at most (vdb..vdq) */
#define CLUSTER_NONE		(~0u)

/* swap_cluster_info.flags: which list the cluster is on. */
enum { CLUSTER_FLAG_FREE = 1, CLUSTER_FLAG_NONFULL = 2, CLUSTER_FLAG_FULL = 4 };

/* si->priv: swapfile.c's own part of an area. */
struct swap_area {
	atomic_int users;		/* get_swap_device pins (Linux's percpu_ref si->users) */
	bool dying;			/* swapoff past try_to_unuse: no new pins */
	unsigned int nr_clusters;
	unsigned int cur_cluster;	/* the global cluster being filled, or CLUSTER_NONE */
	unsigned int cur_next;		/* next offset to try in it */
	struct list_head free_clusters, nonfull_clusters, full_clusters;
	struct swap_extent *extents;	/* [nr_extents], by start_page */
	unsigned int nr_extents;
	unsigned long long span;	/* pages from the lowest to the highest block */
	bool on_avail;			/* on the machine's avail list */
};

struct swapfile_state {
	/* swap=SIZE[@PRIO],...: the boot areas (parsed before boot). */
	unsigned int nr_boot;
	u64 boot_bytes[SWAP_BOOT_MAX];
	int boot_prio[SWAP_BOOT_MAX];	/* -1: the default */
	struct block_device *boot_bdev[SWAP_BOOT_MAX];

	bool up;			/* lists initialized (core initcall) */
	spinlock_t swap_lock;		/* swap_info[], the lists, least_priority, totals */
	pthread_mutex_t swapon_mutex;	/* one swapon/swapoff at a time */
	struct swap_info_struct *swap_info[MAX_SWAPFILES];
	unsigned int nr_swapfiles;	/* slots of swap_info[] ever used */
	struct list_head active;	/* swap_active_head: by prio, highest first */
	struct list_head avail;		/* swap_avail_head: WRITEOK and not full, by prio */
	int least_priority;		/* the last default priority handed out */
	atomic_long nr_swap_pages;	/* free slots of the WRITEOK areas */
	long total_swap_pages;		/* usable slots of the WRITEOK areas */
	unsigned long fail_nth;		/* debugfs fail_swap_alloc: fail every Nth allocation (0: never) */
	unsigned long fail_count;	/* allocations seen while fail_nth is set */
};

static inline struct swapfile_state *swapfile_state_of(struct mmsim *m)
{
	return m && m->subsys_state ? subsys_state(m, swapfile) : NULL;
}
static inline struct swap_area *swap_area_of(struct swap_info_struct *si)
{
	return si->priv;
}

/* mm/swapfile.c */
void swap_area_lists_init(struct swapfile_state *s);
/* A new area of @maxpages slots (slot 0 the header, @bad[] bad slots) on
 * @bdev with @extents; in swap_info[] but not active yet. */
struct swap_info_struct *swap_area_create(struct swapfile_state *s, const char *name,
					  struct block_device *bdev, struct file *file,
					  unsigned int maxpages, struct swap_extent *extents,
					  unsigned int nr_extents, unsigned long long span,
					  const u32 *bad, unsigned int nr_bad, int *errp);
/* Make @si active and writable with priority @prio (< 0: the next default). */
void swap_area_enable(struct swapfile_state *s, struct swap_info_struct *si, int prio);
/* swapoff's first step: off the lists, not WRITEOK; returns it. */
void swap_area_disable(struct swapfile_state *s, struct swap_info_struct *si);
/* swapoff failed: back onto the lists with its priority. */
void swap_area_reinsert(struct swapfile_state *s, struct swap_info_struct *si);
/* swapoff succeeded (no slot in use): wait for pins, free it. */
void swap_area_destroy(struct swapfile_state *s, struct swap_info_struct *si);
/* The machine is gone: free what is left of @si (state release). */
void swap_area_release(struct swap_info_struct *si);

#endif
