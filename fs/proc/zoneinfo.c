// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/zoneinfo.c - the per-zone files of Linux's mm/vmstat.c:
 * /proc/buddyinfo (frag_show), /proc/pagetypeinfo (pagetypeinfo_show) and
 * /proc/zoneinfo (zoneinfo_show), in Linux 6.8's formats.
 *
 * Walk: node by node (frag_start/frag_next), zone by zone within the node
 * (walk_zones_in_node).  buddyinfo and pagetypeinfo show populated zones
 * only; zoneinfo shows every zone the arch configures, and an unpopulated
 * one stops after its "protection:" line.  mmsim's zones that the arch does
 * not configure (HighMem on 64-bit, DMA32 on i386) are never shown, just as
 * Linux does not build them.
 *
 * Locking: free_area[].nr_free, the free lists and the pageblock
 * migratetypes are read under zone->lock (taken per zone, per order for the
 * list walks, as Linux drops it between orders); the counters are atomics
 * and the per-CPU page set fields are read with READ_ONCE, since their
 * owners change them without a lock.
 *
 * Invariant the tests check: for every populated zone,
 *   sum over orders of (buddyinfo[order] << order) == nr_free_pages.
 */
#include <stdio.h>
#include "fs/proc/internal.h"

#define FREE_LIST_CAP 100000	/* pagetypeinfo stops counting a list here */

/* The migratetypes /proc shows: mmsim has no CMA. */
#define NR_SHOWN_MIGRATETYPES MIGRATE_TYPES

static bool zone_shown(const struct zone *zone, bool only_populated)
{
	return zone->configured && (!only_populated || populated_zone(zone));
}

/* walk_zones_in_node(): call @print for each shown zone of @pgdat. */
static void walk_zones_in_node(struct seq_file *sf, pg_data_t *pgdat, bool only_populated,
			       void (*print)(struct seq_file *, pg_data_t *, struct zone *))
{
	for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
		struct zone *zone = &pgdat->node_zones[zt];

		if (zone_shown(zone, only_populated))
			print(sf, pgdat, zone);
	}
}

static void for_each_node_walk(struct seq_file *sf, bool only_populated,
			       void (*print)(struct seq_file *, pg_data_t *, struct zone *))
{
	int nid;

	for_each_online_node(nid)
		walk_zones_in_node(sf, NODE_DATA(nid), only_populated, print);
}

/* ---------------------------------------------------------------------
 * /proc/buddyinfo
 */

static void frag_show_print(struct seq_file *sf, pg_data_t *pgdat, struct zone *zone)
{
	unsigned long nr_free[NR_PAGE_ORDERS_MAX];
	unsigned int order;

	spin_lock(&zone->lock);
	for (order = 0; order < NR_PAGE_ORDERS; order++)
		nr_free[order] = zone->free_area[order].nr_free;
	spin_unlock(&zone->lock);

	seq_printf(sf, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	for (order = 0; order < NR_PAGE_ORDERS; order++)
		seq_printf(sf, "%6lu ", nr_free[order]);
	seq_putc(sf, '\n');
}

static int buddyinfo_show(struct seq_file *sf, struct proc_file *f)
{
	for_each_node_walk(sf, true, frag_show_print);
	return 0;
}

/* ---------------------------------------------------------------------
 * /proc/pagetypeinfo
 */

/* Blocks on one free list, capped as Linux caps it; *@overflow if capped. */
static unsigned long free_list_count(struct list_head *head, bool *overflow)
{
	unsigned long n = 0;
	struct list_head *curr;

	*overflow = false;
	list_for_each(curr, head) {
		if (++n >= FREE_LIST_CAP) {
			*overflow = true;
			break;
		}
	}
	return n;
}

static void pagetypeinfo_showfree_print(struct seq_file *sf, pg_data_t *pgdat, struct zone *zone)
{
	for (int mtype = 0; mtype < NR_SHOWN_MIGRATETYPES; mtype++) {
		seq_printf(sf, "Node %4d, zone %8s, type %12s ", pgdat->node_id, zone->name,
			   migratetype_names[mtype]);
		for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
			unsigned long n;
			bool overflow;

			spin_lock(&zone->lock);
			n = free_list_count(&zone->free_area[order].free_list[mtype], &overflow);
			spin_unlock(&zone->lock);
			seq_printf(sf, "%s%6lu ", overflow ? ">" : "", n);
		}
		seq_putc(sf, '\n');
	}
}

static void pagetypeinfo_showfree(struct seq_file *sf, pg_data_t *pgdat)
{
	seq_printf(sf, "%-43s ", "Free pages count per migrate type at order");
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++)
		seq_printf(sf, "%6u ", order);
	seq_putc(sf, '\n');
	walk_zones_in_node(sf, pgdat, true, pagetypeinfo_showfree_print);
}

/*
 * Pageblocks by migratetype: each block start in the zone's span that is RAM.
 * Linux also checks page_zone(), for zones that interleave; mmsim's zones
 * never overlap, and reading page->flags would race with its owner.
 */
static void pagetypeinfo_showblockcount_print(struct seq_file *sf, pg_data_t *pgdat,
					      struct zone *zone)
{
	unsigned long count[MIGRATE_TYPES] = { 0 };
	unsigned long pfn, end_pfn = zone_end_pfn(zone);

	spin_lock(&zone->lock);
	for (pfn = zone->zone_start_pfn; pfn < end_pfn; pfn += pageblock_nr_pages) {
		int mtype;

		if (!pfn_valid(pfn))
			continue;
		mtype = get_pfnblock_migratetype(zone, pfn);
		if (mtype >= 0 && mtype < MIGRATE_TYPES)
			count[mtype]++;
	}
	spin_unlock(&zone->lock);

	seq_printf(sf, "Node %d, zone %8s ", pgdat->node_id, zone->name);
	for (int mtype = 0; mtype < NR_SHOWN_MIGRATETYPES; mtype++)
		seq_printf(sf, "%12lu ", count[mtype]);
	seq_putc(sf, '\n');
}

static void pagetypeinfo_showblockcount(struct seq_file *sf, pg_data_t *pgdat)
{
	seq_printf(sf, "\n%-23s", "Number of blocks type ");
	for (int mtype = 0; mtype < NR_SHOWN_MIGRATETYPES; mtype++)
		seq_printf(sf, "%12s ", migratetype_names[mtype]);
	seq_putc(sf, '\n');
	walk_zones_in_node(sf, pgdat, true, pagetypeinfo_showblockcount_print);
}

static int pagetypeinfo_show(struct seq_file *sf, struct proc_file *f)
{
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		if (!pgdat->node_present_pages)
			continue;	/* a memoryless node shows nothing */
		seq_printf(sf, "Page block order: %u\n", pageblock_order);
		seq_printf(sf, "Pages per block:  %lu\n", pageblock_nr_pages);
		seq_putc(sf, '\n');
		pagetypeinfo_showfree(sf, pgdat);
		pagetypeinfo_showblockcount(sf, pgdat);
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * /proc/zoneinfo
 */

static bool is_zone_first_populated(pg_data_t *pgdat, struct zone *zone)
{
	for (int zt = 0; zt < MAX_NR_ZONES; zt++)
		if (populated_zone(&pgdat->node_zones[zt]))
			return zone == &pgdat->node_zones[zt];
	return false;
}

static void zoneinfo_node_stats(struct seq_file *sf, pg_data_t *pgdat)
{
	seq_puts(sf, "\n  per-node stats");
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
		unsigned long pages = node_page_state_pages(pgdat, (enum node_stat_item)i);

		if (vmstat_item_print_in_thp(i))
			pages /= proc_hpage_pmd_nr();
		seq_printf(sf, "\n      %-12s %lu", node_stat_names[i], pages);
	}
}

/* wmark_pages(), read once: a sysctl write may be recomputing it. */
static unsigned long zone_wmark(struct zone *zone, enum zone_watermarks w)
{
	return READ_ONCE(zone->_watermark[w]) + READ_ONCE(zone->watermark_boost);
}

static void zoneinfo_watermarks(struct seq_file *sf, pg_data_t *pgdat, struct zone *zone)
{
	bool first = true;

	seq_printf(sf,
		   "\n  pages free     %lu"
		   "\n        boost    %lu"
		   "\n        min      %lu"
		   "\n        low      %lu"
		   "\n        high     %lu"
		   "\n        promo    %lu"
		   "\n        spanned  %lu"
		   "\n        present  %lu"
		   "\n        managed  %lu"
		   "\n        cma      %lu",
		   zone_page_state(zone, NR_FREE_PAGES), READ_ONCE(zone->watermark_boost),
		   zone_wmark(zone, WMARK_MIN), zone_wmark(zone, WMARK_LOW),
		   zone_wmark(zone, WMARK_HIGH), zone_wmark(zone, WMARK_PROMO),
		   zone->spanned_pages, zone->present_pages, zone_managed_pages(zone),
		   zone->cma_pages);
	seq_puts(sf, "\n        protection: (");
	for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
		if (!pgdat->node_zones[zt].configured)
			continue;
		seq_printf(sf, first ? "%ld" : ", %ld", READ_ONCE(zone->lowmem_reserve[zt]));
		first = false;
	}
	seq_putc(sf, ')');
}

static void zoneinfo_pagesets(struct seq_file *sf, struct zone *zone)
{
	struct mmsim *m = current_machine();

	seq_puts(sf, "\n  pagesets");
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		seq_printf(sf,
			   "\n    cpu: %i"
			   "\n              count:    %i"
			   "\n              high:     %i"
			   "\n              batch:    %i"
			   "\n              high_min: %i"
			   "\n              high_max: %i",
			   cpu, READ_ONCE(pcp->count), READ_ONCE(pcp->high), READ_ONCE(pcp->batch),
			   READ_ONCE(pcp->high_min), READ_ONCE(pcp->high_max));
		seq_printf(sf, "\n  vm stats threshold: %d",
			   READ_ONCE(zone->percpu_drift_mark_threshold));
	}
}

static void zoneinfo_show_print(struct seq_file *sf, pg_data_t *pgdat, struct zone *zone)
{
	unsigned int node_unreclaimable =
		READ_ONCE(pgdat->kswapd_failures) >= MAX_RECLAIM_RETRIES;

	seq_printf(sf, "Node %d, zone %8s", pgdat->node_id, zone->name);
	if (is_zone_first_populated(pgdat, zone))
		zoneinfo_node_stats(sf, pgdat);
	zoneinfo_watermarks(sf, pgdat, zone);
	if (!populated_zone(zone)) {
		seq_putc(sf, '\n');
		return;
	}
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(sf, "\n      %-12s %lu", zone_stat_names[i],
			   zone_page_state(zone, (enum zone_stat_item)i));
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		seq_printf(sf, "\n      %-12s %lu", numa_stat_names[i],
			   zone_numa_event_state(zone, (enum numa_stat_item)i));
	if (zone->per_cpu_pageset)
		zoneinfo_pagesets(sf, zone);
	seq_printf(sf,
		   "\n  node_unreclaimable:  %u"
		   "\n  start_pfn:           %lu",
		   node_unreclaimable, zone->zone_start_pfn);
	seq_putc(sf, '\n');
}

static int zoneinfo_show(struct seq_file *sf, struct proc_file *f)
{
	for_each_node_walk(sf, false, zoneinfo_show_print);
	return 0;
}

static const struct proc_entry zoneinfo_entries[] = {
	{ "/proc/buddyinfo", buddyinfo_show, NULL, NULL },
	{ "/proc/pagetypeinfo", pagetypeinfo_show, NULL, NULL },
	{ "/proc/zoneinfo", zoneinfo_show, NULL, NULL },
};

PROC_SUBSYSTEM(proc_zoneinfo, zoneinfo_entries);
