// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/vmstat.c - /proc/vmstat, as Linux 6.8's vmstat_start/vmstat_show.
 *
 * One "name value" line per counter, in Linux's order: the zone counters
 * summed over zones, the NUMA events, the node counters summed over nodes
 * (the *_B slab counters, kept in bytes, shown in pages; the THP counters,
 * kept in base pages, shown in huge pages), the two writeback thresholds,
 * the VM events summed over CPUs, and the deprecated "nr_unstable 0".
 *
 * Invariants: every counter appears once, in Linux's order, with a value
 * read once; the text of two reads with no kernel activity between them is
 * identical (no host state leaks in).
 *
 * Event names of zone types the arch does not configure are left out, as
 * Linux's TEXTS_FOR_ZONES() leaves them out of its build (pgalloc_high on
 * 64-bit, pgalloc_dma32 on i386).  pgpgin/pgpgout are counted in 512-byte
 * sectors, like Linux's submit_bio(), and shown in kB.
 *
 * nr_dirty_threshold / nr_dirty_background_threshold are Linux's
 * global_dirty_limits() with the default vm.dirty_ratio (20) and
 * vm.dirty_background_ratio (10) and no dirty_bytes: a share of the
 * dirtyable memory, free pages above the reserves plus the file LRU, less
 * highmem on 32-bit.
 *
 * Locking: none; every counter is an atomic or a relaxed per-CPU value.
 */
#include <stdio.h>
#include "fs/proc/internal.h"

#define VM_DIRTY_RATIO		20	/* vm.dirty_ratio's default */
#define DIRTY_BACKGROUND_RATIO	10	/* vm.dirty_background_ratio's default */

/* ---------------------------------------------------------------------
 * global_dirty_limits() of mm/page-writeback.c
 */

/* Highmem that would count as dirtyable; 0 on 64-bit. */
static unsigned long highmem_dirtyable_memory(unsigned long total)
{
	unsigned long x = 0;
	int nid;

	for_each_online_node(nid) {
		struct zone *z = &NODE_DATA(nid)->node_zones[ZONE_HIGHMEM];
		unsigned long nr_pages;

		if (!z->configured || !populated_zone(z))
			continue;
		nr_pages = zone_page_state(z, NR_FREE_PAGES);
		nr_pages -= min(nr_pages, high_wmark_pages(z));
		nr_pages += zone_page_state(z, NR_ZONE_INACTIVE_FILE);
		nr_pages += zone_page_state(z, NR_ZONE_ACTIVE_FILE);
		x += nr_pages;
	}
	return min(x, total);
}

static unsigned long global_dirtyable_memory(void)
{
	struct mmsim *m = current_machine();
	unsigned long x = global_zone_page_state(NR_FREE_PAGES);

	x -= min(x, READ_ONCE(m->totalreserve_pages));
	x += global_node_page_state(NR_INACTIVE_FILE);
	x += global_node_page_state(NR_ACTIVE_FILE);
	x -= highmem_dirtyable_memory(x);	/* vm.highmem_is_dirtyable = 0 */
	return x + 1;				/* never 0 */
}

static void global_dirty_limits(unsigned long *pbackground, unsigned long *pdirty)
{
	unsigned long available = global_dirtyable_memory();
	/* Ratios in 1/PAGE_SIZE units, for precision, as domain_dirty_limits(). */
	unsigned long ratio = VM_DIRTY_RATIO * PAGE_SIZE / 100;
	unsigned long bg_ratio = DIRTY_BACKGROUND_RATIO * PAGE_SIZE / 100;
	unsigned long thresh = ratio * available / PAGE_SIZE;
	unsigned long bg_thresh = bg_ratio * available / PAGE_SIZE;

	if (bg_thresh >= thresh)
		bg_thresh = thresh / 2;
	*pbackground = bg_thresh;
	*pdirty = thresh;
}

/* ---------------------------------------------------------------------
 * /proc/vmstat
 */

/* Events counted per zone type: the zone-0 item of each group. */
static const enum vm_event_item zone_event_groups[] = {
	PGALLOC_DMA, ALLOCSTALL_DMA, PGSKIP_DMA,
};

static bool vm_event_shown(int item)
{
	pg_data_t *pgdat = NODE_DATA(0);

	for (size_t g = 0; g < ARRAY_SIZE(zone_event_groups); g++) {
		int base = (int)zone_event_groups[g];

		if (item >= base && item < base + MAX_NR_ZONES)
			return pgdat->node_zones[item - base].configured;
	}
	return true;
}

static void vmstat_events(struct seq_file *sf)
{
	unsigned long ev[NR_VM_EVENT_ITEMS];

	all_vm_events(ev);
	ev[PGPGIN] /= 2;	/* sectors -> kbytes */
	ev[PGPGOUT] /= 2;
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		if (vm_event_shown(i))
			seq_printf(sf, "%s %lu\n", vm_event_names[i], ev[i]);
}

static int vmstat_show(struct seq_file *sf, struct proc_file *f)
{
	unsigned long dirty, background;

	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++)
		seq_printf(sf, "%s %lu\n", zone_stat_names[i],
			   global_zone_page_state((enum zone_stat_item)i));
	for (int i = 0; i < NR_VM_NUMA_EVENT_ITEMS; i++)
		seq_printf(sf, "%s %lu\n", numa_stat_names[i],
			   global_numa_event_state((enum numa_stat_item)i));
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
		unsigned long v = global_node_page_state_pages((enum node_stat_item)i);

		if (vmstat_item_print_in_thp(i))
			v /= proc_hpage_pmd_nr();
		seq_printf(sf, "%s %lu\n", node_stat_names[i], v);
	}
	global_dirty_limits(&background, &dirty);
	seq_printf(sf, "nr_dirty_threshold %lu\n", dirty);
	seq_printf(sf, "nr_dirty_background_threshold %lu\n", background);
	vmstat_events(sf);
	seq_puts(sf, "nr_unstable 0\n");
	return 0;
}

static const struct proc_entry vmstat_entries[] = {
	{ "/proc/vmstat", vmstat_show, NULL, NULL },
};

PROC_SUBSYSTEM(proc_vmstat, vmstat_entries);
