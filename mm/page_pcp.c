// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page_pcp.c - the per-CPU page lists' setup and draining.
 *
 * Owns: each zone's per_cpu_pageset (one struct per_cpu_pages per CPU,
 * include/mmsim/mmzone.h): its allocation and sizing (zone_pcp_init,
 * zone_pcp_free, zone_batchsize, zone_highsize, zone_pcp_update) and
 * giving its pages back to the buddy lists on request (drain_local_pages,
 * drain_all_pages, pcp_drain_pending).
 *
 * Not here: the per-page fast path.  rmqueue_pcplist(), free_unref_page(),
 * free_unref_page_commit(), pcp_check_pending() and the bulk moves
 * rmqueue_bulk() and free_pcppages_bulk() stay in mm/page_alloc.c with
 * their callers, so that nothing called per page crosses a file;
 * drain_pcp() (mm/page_alloc.c) is the one entry this file uses to empty a
 * list set.
 *
 * Data: per_cpu_pages.lists[order * MIGRATE_PCPTYPES + type] hold free
 * blocks of orders 0..PAGE_ALLOC_COSTLY_ORDER, hot at the head; count is
 * the pages on them; batch is the refill/drain chunk, high the count at
 * which a free drains (always high_min: mmsim does not tune it between
 * high_min and high_max); drain_pending is a remote drain_all_pages()'s
 * request.  A CPU's set is in one of:
 *   owned    - its CPU is entered by a thread: only that thread touches
 *              the lists;
 *   borrowed - no thread is on the CPU and a drainer or checker has
 *              cpu_borrow()ed it: only the borrower touches the lists;
 *   asked    - owned, with drain_pending set: the owner empties it at its
 *              next allocation or free in the zone (pcp_check_pending) or
 *              at mmsim_enter/mmsim_leave (pcp_drain_pending).
 *
 * Locking: drain_all_pages() takes m->cpu_lock, then per CPU tries
 * cpu_borrow() (it never waits for a CPU) and, inside drain_pcp(), each
 * zone->lock in turn, never two at once.  Order: cpu_lock -> borrowed CPU
 * -> zone->lock.  zone_pcp_update() runs at boot or under sysctl_lock and
 * stores batch/high of every CPU with WRITE_ONCE; their owners read them
 * with READ_ONCE and no lock.  drain_pending is set with release and read
 * with acquire by pcp_drain_pending().
 *
 * Invariants (checkable; zone_is_valid() in mm/debug.c checks P1 to P4):
 *   pcp->count == sum over its lists of (blocks << order)
 *   pcp->batch == zone->pageset_batch >= 1
 *   pcp->high == pcp->high_min == zone->pageset_high_min >= 4 * pcp->batch
 *   pcp->high_max == zone->pageset_high_max >= 4 * pcp->batch
 *   after drain_pcp(zone, pcp): pcp->count == 0 and drain_pending == 0
 *   when drain_all_pages(zone) passes a CPU, it leaves that CPU's set of
 *   zone empty or with drain_pending set
 */
#include <stdlib.h>
#include <string.h>
#include "mm/internal.h"

/* ---------------------------------------------------------------------
 * Draining per-CPU lists
 */

/* Drain what a remote drain_all_pages() asked of this CPU. */
void pcp_drain_pending(struct cpu_state *c)
{
	struct mmsim *m = c->m;

	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = m->node_data[nid];

		if (!pgdat)
			continue;
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *zone = &pgdat->node_zones[zt];
			struct per_cpu_pages *pcp;

			if (!zone->per_cpu_pageset)
				continue;
			pcp = &zone->per_cpu_pageset[c->id];
			if (atomic_load_explicit(&pcp->drain_pending, memory_order_acquire))
				drain_pcp(zone, pcp);
		}
	}
}

static void drain_pages_zone(struct cpu_state *c, struct zone *zone)
{
	drain_pcp(zone, &zone->per_cpu_pageset[c->id]);
}

static void drain_pages(struct cpu_state *c, struct zone *zone)
{
	struct mmsim *m = c->m;

	if (zone) {
		drain_pages_zone(c, zone);
		return;
	}
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *z = &m->node_data[nid]->node_zones[zt];

			if (z->per_cpu_pageset)
				drain_pages_zone(c, z);
		}
}

/**
 * drain_local_pages - return this CPU's per-CPU pages to the buddy lists
 * @zone: only this zone's, or NULL for every zone
 */
void drain_local_pages(struct zone *zone)
{
	drain_pages(current_cpu, zone);
}

static void ask_to_drain(struct cpu_state *c, struct zone *zone)
{
	struct mmsim *m = c->m;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *z = &m->node_data[nid]->node_zones[zt];

			if (z->per_cpu_pageset && (!zone || zone == z))
				atomic_store_explicit(&z->per_cpu_pageset[c->id].drain_pending, 1,
						      memory_order_release);
		}
}

/**
 * drain_all_pages - return every CPU's per-CPU pages to the buddy lists
 * @zone: only this zone's, or NULL for every zone
 *
 * CPUs no thread is on are drained now; a CPU another thread is on drains
 * itself at its next allocation, free, or mmsim_leave() (Linux queues work
 * on the CPU and waits; mmsim does not wait, so no two CPUs can deadlock
 * draining each other).
 */
void drain_all_pages(struct zone *zone)
{
	struct mmsim *m = M();

	pthread_mutex_lock(&m->cpu_lock);
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct cpu_state *c = &m->cpus[cpu];

		if (c == current_cpu) {
			drain_pages(c, zone);
		} else if (cpu_borrow(c)) {
			drain_pages(c, zone);
			cpu_return(c);
		} else {
			ask_to_drain(c, zone);
		}
	}
	pthread_mutex_unlock(&m->cpu_lock);
}

/* ---------------------------------------------------------------------
 * Per-CPU page sets: batch and high
 */

int zone_batchsize(struct zone *zone)
{
	long batch;

	/* ~0.1% of the zone or 1MB, whichever is smaller; then /4 and 2^n - 1. */
	batch = min((long)(zone_managed_pages(zone) >> 10), (long)(SZ_1M / PAGE_SIZE));
	batch /= 4;
	if (batch < 1)
		batch = 1;
	batch = (long)rounddown_pow_of_two((unsigned long)(batch + batch / 2)) - 1;
	return (int)batch;	/* may be 0: users take max(1, batch) */
}

static int zone_highsize(struct zone *zone, int batch, int high_fraction)
{
	struct mmsim *m = M();
	unsigned long total_pages;
	int nr_split_cpus = 0;
	long high;

	if (!high_fraction)
		total_pages = low_wmark_pages(zone);
	else
		total_pages = zone_managed_pages(zone) / (unsigned long)high_fraction;
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		if (m->cpus[cpu].node == zone->node)
			nr_split_cpus++;
	if (!nr_split_cpus)
		nr_split_cpus = m->nr_cpus;
	high = (long)(total_pages / (unsigned long)nr_split_cpus);
	return (int)max(high, (long)batch << 2);
}

void zone_pcp_update(struct zone *zone)
{
	struct mmsim *m = M();
	int batch = max(1, zone_batchsize(zone));
	int frac = m->vm.percpu_pagelist_high_fraction;
	int high_min = zone_highsize(zone, batch, frac);
	int high_max = frac ? high_min : zone_highsize(zone, batch, 8);

	zone->pageset_batch = batch;
	zone->pageset_high_min = high_min;
	zone->pageset_high_max = high_max;
	if (!zone->per_cpu_pageset)
		return;
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		/* Another CPU's set: its owner reads these without a lock. */
		WRITE_ONCE(pcp->batch, batch);
		WRITE_ONCE(pcp->high_min, high_min);
		WRITE_ONCE(pcp->high_max, high_max);
		WRITE_ONCE(pcp->high, high_min);
	}
}

void zone_pcp_init(struct zone *zone)
{
	struct mmsim *m = M();
	size_t sz = sizeof(struct per_cpu_pages) * (size_t)m->nr_cpus;

	if (!zone->configured)
		return;
	zone->per_cpu_pageset = aligned_alloc(64, sz);
	if (!zone->per_cpu_pageset)
		return;
	memset(zone->per_cpu_pageset, 0, sz);
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		for (int i = 0; i < NR_PCP_LISTS; i++)
			INIT_LIST_HEAD(&zone->per_cpu_pageset[cpu].lists[i]);
	zone_pcp_update(zone);
	zone_stat_set_threshold(zone);
}

void zone_pcp_free(struct zone *zone)
{
	free(zone->per_cpu_pageset);
	zone->per_cpu_pageset = NULL;
}
