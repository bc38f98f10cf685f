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
 * 64-bit, pgalloc_dma32 on i386), and so is thp_split_pud off x86_64 (only
 * it has CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD).  The THP lines that
 * count what mmsim does not have (file THP, memcg charges, the deferred
 * split queue, PUD THP, whole-THP migration) are printed, at 0, as a
 * Linux without those events would print them.  pgpgin/pgpgout are counted in 512-byte
 * sectors, like Linux's submit_bio(), and shown in kB.
 *
 * nr_dirty_threshold / nr_dirty_background_threshold are Linux's
 * global_dirty_limits() (mm/page-writeback.c) with the machine's
 * vm.dirty_* sysctls: a share of the dirtyable memory, free pages above
 * the reserves plus the file LRU, less highmem on 32-bit.
 *
 * Locking: none; every counter is an atomic or a relaxed per-CPU value.
 */
#include <stdio.h>
#include <mmsim/writeback.h>
#include "fs/proc/internal.h"

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
	/* CONFIG_HAVE_ARCH_TRANSPARENT_HUGEPAGE_PUD: x86_64 only. */
	if (item == THP_SPLIT_PUD)
		return current_layout->arch == ARCH_X86_64 || current_layout->arch == ARCH_X86_64_LA57;
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
