// SPDX-License-Identifier: GPL-2.0
/*
 * mm/show_mem.c - the "Mem-Info:" report that follows an allocation
 * failure (and, later, an OOM kill): global counters, each node, each
 * zone's watermarks and free blocks per order with their migratetypes,
 * and the totals.  Formats follow Linux 6.x's show_free_areas().
 *
 * Also the sysinfo summaries si_meminfo(), si_meminfo_node() and
 * si_mem_available() (meminfo's MemAvailable), here as in Linux since 6.4.
 *
 * Reads counters only; takes zone->lock briefly per zone to walk the free
 * lists.
 */
#include <stdio.h>
#include <string.h>
#include <mmsim/swap.h>
#include "mm/internal.h"
#include <mmsim/hugetlb.h>

#define K(x) ((x) << (PAGE_SHIFT - 10))

static unsigned long node_state(pg_data_t *pgdat, enum node_stat_item i)
{
	return node_page_state(pgdat, i);
}

static unsigned long zone_free_pcp(struct zone *zone, int only_cpu)
{
	struct mmsim *m = current_machine();
	unsigned long sum = 0;

	if (!zone->per_cpu_pageset)
		return 0;
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		if (only_cpu < 0 || cpu == only_cpu)
			sum += (unsigned long)READ_ONCE(zone->per_cpu_pageset[cpu].count);
	return sum;
}

static void show_migration_types(unsigned char type, char *buf, size_t len)
{
	static const char letters[MIGRATE_TYPES] = { 'U', 'M', 'E', 'H', 'C', 'I' };
	size_t n = 0;

	buf[n++] = '(';
	for (int i = 0; i < MIGRATE_TYPES && n < len - 3; i++)
		if (type & (1 << i))
			buf[n++] = letters[i];
	buf[n++] = ')';
	buf[n++] = ' ';
	buf[n] = '\0';
}

static void show_zone(struct zone *zone)
{
	char line[1024];
	size_t n;

	printk(KERN_DEFAULT "Node %d %s free:%lukB boost:%lukB min:%lukB low:%lukB high:%lukB "
	       "reserved_highatomic:%luKB active_anon:%lukB inactive_anon:%lukB "
	       "active_file:%lukB inactive_file:%lukB unevictable:%lukB writepending:%lukB "
	       "present:%lukB managed:%lukB mlocked:%lukB bounce:%lukB free_pcp:%lukB "
	       "local_pcp:%lukB free_cma:%lukB\n",
	       zone->node, zone->name, K(zone_page_state(zone, NR_FREE_PAGES)),
	       K(READ_ONCE(zone->watermark_boost)), K(min_wmark_pages(zone)), K(low_wmark_pages(zone)),
	       K(high_wmark_pages(zone)), K(zone->nr_reserved_highatomic),
	       K(zone_page_state(zone, NR_ZONE_ACTIVE_ANON)),
	       K(zone_page_state(zone, NR_ZONE_INACTIVE_ANON)),
	       K(zone_page_state(zone, NR_ZONE_ACTIVE_FILE)),
	       K(zone_page_state(zone, NR_ZONE_INACTIVE_FILE)),
	       K(zone_page_state(zone, NR_ZONE_UNEVICTABLE)),
	       K(zone_page_state(zone, NR_ZONE_WRITE_PENDING)), K(zone->present_pages),
	       K(zone_managed_pages(zone)), K(zone_page_state(zone, NR_MLOCK)),
	       K(zone_page_state(zone, NR_BOUNCE)), K(zone_free_pcp(zone, -1)),
	       K(zone_free_pcp(zone, smp_processor_id())),
	       K(zone_page_state(zone, NR_FREE_CMA_PAGES)));
	n = (size_t)snprintf(line, sizeof(line), "lowmem_reserve[]:");
	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (zone->zone_pgdat->node_zones[i].configured)
			n += (size_t)snprintf(line + n, sizeof(line) - n, " %ld",
					      zone->lowmem_reserve[i]);
	printk(KERN_DEFAULT "%s\n", line);
}

static void show_zone_free_areas(struct zone *zone)
{
	unsigned long nr[NR_PAGE_ORDERS_MAX] = { 0 }, total = 0;
	unsigned char types[NR_PAGE_ORDERS_MAX] = { 0 };
	char line[1024], tb[16];
	size_t n;

	spin_lock(&zone->lock);
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
		nr[order] = zone->free_area[order].nr_free;
		total += nr[order] << order;
		for (int t = 0; t < MIGRATE_TYPES; t++)
			if (!free_area_empty(&zone->free_area[order], t))
				types[order] |= (unsigned char)(1 << t);
	}
	spin_unlock(&zone->lock);
	n = (size_t)snprintf(line, sizeof(line), "Node %d %s: ", zone->node, zone->name);
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%lu*%lukB ", nr[order],
				      K(1UL) << order);
		if (nr[order]) {
			show_migration_types(types[order], tb, sizeof(tb));
			n += (size_t)snprintf(line + n, sizeof(line) - n, "%s", tb);
		}
	}
	snprintf(line + n, sizeof(line) - n, "= %lukB", K(total));
	printk(KERN_DEFAULT "%s\n", line);
}

static bool show_mem_node_skip(int nid)
{
	(void)nid;
	return false;
}

/* __show_mem - the Mem-Info report for zones up to @max_zone_idx. */
void __show_mem(unsigned int filter, int max_zone_idx)
{
	struct mmsim *m = current_machine();
	unsigned long free_pcp = 0, highmem = 0, reserved = 0, total = 0;
	struct zone *zone;

	(void)filter;
	for_each_populated_zone(zone)
		free_pcp += zone_free_pcp(zone, -1);
	printk(KERN_DEFAULT "Mem-Info:\n");
	printk(KERN_DEFAULT "active_anon:%lu inactive_anon:%lu isolated_anon:%lu\n"
	       " active_file:%lu inactive_file:%lu isolated_file:%lu\n"
	       " unevictable:%lu dirty:%lu writeback:%lu\n"
	       " slab_reclaimable:%lu slab_unreclaimable:%lu\n"
	       " mapped:%lu shmem:%lu pagetables:%lu\n"
	       " sec_pagetables:%lu bounce:%lu\n"
	       " kernel_misc_reclaimable:%lu\n"
	       " free:%lu free_pcp:%lu free_cma:%lu\n",
	       global_node_page_state(NR_ACTIVE_ANON), global_node_page_state(NR_INACTIVE_ANON),
	       global_node_page_state(NR_ISOLATED_ANON), global_node_page_state(NR_ACTIVE_FILE),
	       global_node_page_state(NR_INACTIVE_FILE), global_node_page_state(NR_ISOLATED_FILE),
	       global_node_page_state(NR_UNEVICTABLE), global_node_page_state(NR_FILE_DIRTY),
	       global_node_page_state(NR_WRITEBACK),
	       global_node_page_state(NR_SLAB_RECLAIMABLE_B) >> PAGE_SHIFT,
	       global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) >> PAGE_SHIFT,
	       global_node_page_state(NR_FILE_MAPPED), global_node_page_state(NR_SHMEM),
	       global_node_page_state(NR_PAGETABLE), global_node_page_state(NR_SECONDARY_PAGETABLE),
	       global_zone_page_state(NR_BOUNCE),
	       global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE),
	       global_zone_page_state(NR_FREE_PAGES), free_pcp,
	       global_zone_page_state(NR_FREE_CMA_PAGES));
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = m->node_data[nid];

		if (show_mem_node_skip(nid))
			continue;
		printk(KERN_DEFAULT "Node %d active_anon:%lukB inactive_anon:%lukB active_file:%lukB "
		       "inactive_file:%lukB unevictable:%lukB isolated(anon):%lukB "
		       "isolated(file):%lukB mapped:%lukB dirty:%lukB writeback:%lukB shmem:%lukB "
		       "shmem_thp:%lukB shmem_pmdmapped:%lukB anon_thp:%lukB writeback_tmp:%lukB "
		       "kernel_stack:%lukB pagetables:%lukB sec_pagetables:%lukB "
		       "all_unreclaimable? %s\n",
		       nid, K(node_state(pgdat, NR_ACTIVE_ANON)), K(node_state(pgdat, NR_INACTIVE_ANON)),
		       K(node_state(pgdat, NR_ACTIVE_FILE)), K(node_state(pgdat, NR_INACTIVE_FILE)),
		       K(node_state(pgdat, NR_UNEVICTABLE)), K(node_state(pgdat, NR_ISOLATED_ANON)),
		       K(node_state(pgdat, NR_ISOLATED_FILE)), K(node_state(pgdat, NR_FILE_MAPPED)),
		       K(node_state(pgdat, NR_FILE_DIRTY)), K(node_state(pgdat, NR_WRITEBACK)),
		       K(node_state(pgdat, NR_SHMEM)), K(node_state(pgdat, NR_SHMEM_THPS)),
		       K(node_state(pgdat, NR_SHMEM_PMDMAPPED)), K(node_state(pgdat, NR_ANON_THPS)),
		       K(node_state(pgdat, NR_WRITEBACK_TEMP)),
		       node_state(pgdat, NR_KERNEL_STACK_KB), K(node_state(pgdat, NR_PAGETABLE)),
		       K(node_state(pgdat, NR_SECONDARY_PAGETABLE)), "no");
	}
	for_each_populated_zone(zone)
		if (zone_idx(zone) <= max_zone_idx || max_zone_idx < 0)
			show_zone(zone);
	for_each_populated_zone(zone)
		if (zone_idx(zone) <= max_zone_idx || max_zone_idx < 0)
			show_zone_free_areas(zone);
	for (int nid = 0; nid < m->nr_nodes; nid++)
		if (!show_mem_node_skip(nid))
			hugetlb_show_meminfo_node(nid);
	printk(KERN_DEFAULT "%lu total pagecache pages\n", global_node_page_state(NR_FILE_PAGES));
	show_swap_cache_info();		/* swap cache pages, free and total swap */
	for_each_populated_zone(zone) {
		total += zone->present_pages;
		reserved += zone->present_pages - zone_managed_pages(zone);
		if (is_highmem(zone) || zone_idx(zone) == ZONE_MOVABLE)
			highmem += zone->present_pages;
	}
	printk(KERN_DEFAULT "%lu pages RAM\n", total);
	printk(KERN_DEFAULT "%lu pages HighMem/MovableOnly\n", highmem);
	printk(KERN_DEFAULT "%lu pages reserved\n", reserved);
}

void show_mem(void)
{
	__show_mem(0, -1);
}

/* ---------------------------------------------------------------------
 * sysinfo
 */

void si_meminfo(struct sysinfo *val)
{
	struct zone *zone;

	memset(val, 0, sizeof(*val));
	val->totalram = totalram_pages();
	val->freeram = nr_free_pages();
	val->totalhigh = totalhigh_pages();
	for_each_zone(zone)
		if (is_highmem(zone))
			val->freehigh += zone_page_state(zone, NR_FREE_PAGES);
	val->mem_unit = (unsigned int)PAGE_SIZE;
}

void si_meminfo_node(struct sysinfo *val, int nid)
{
	pg_data_t *pgdat = NODE_DATA(nid);

	memset(val, 0, sizeof(*val));
	for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
		struct zone *zone = &pgdat->node_zones[zt];

		val->totalram += zone_managed_pages(zone);
		val->freeram += zone_page_state(zone, NR_FREE_PAGES);
		if (is_highmem(zone)) {
			val->totalhigh += zone_managed_pages(zone);
			val->freehigh += zone_page_state(zone, NR_FREE_PAGES);
		}
	}
	val->mem_unit = (unsigned int)PAGE_SIZE;
}

/* si_mem_available - what meminfo's MemAvailable estimates (free above reserves + reclaimable). */
long si_mem_available(void)
{
	struct mmsim *m = M();
	long available, pagecache, reclaimable;
	unsigned long wmark_low = 0;
	struct zone *zone;

	for_each_zone(zone)
		wmark_low += low_wmark_pages(zone);
	available = (long)nr_free_pages() - (long)m->totalreserve_pages;
	pagecache = (long)(global_node_page_state(NR_ACTIVE_FILE) +
			   global_node_page_state(NR_INACTIVE_FILE));
	pagecache -= min(pagecache / 2, (long)wmark_low);
	available += pagecache;
	reclaimable = (long)((global_node_page_state(NR_SLAB_RECLAIMABLE_B) >> PAGE_SHIFT) +
			     global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE));
	reclaimable -= min(reclaimable / 2, (long)wmark_low);
	available += reclaimable;
	return available < 0 ? 0 : available;
}
