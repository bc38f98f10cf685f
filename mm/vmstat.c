// SPDX-License-Identifier: GPL-2.0
/*
 * mm/vmstat.c - the VM counters.
 *
 * Three kinds, as in Linux:
 *  - zone and node state counters (NR_FREE_PAGES, NR_SLAB_*, ...): atomic
 *    longs in the zone / pg_data_t, exact at any time;
 *  - NUMA events (numa_hit, ...): per CPU and zone, in the CPU's
 *    per_cpu_pages, summed on read;
 *  - VM events (pgalloc_*, pgfree, pgfault, ...): per CPU in cpu_state,
 *    summed on read.
 * Per-CPU counters are written only by the thread on that CPU, with relaxed
 * loads and stores (no locked instructions on the hot path); readers on
 * other threads see values at most a few updates old, like Linux's
 * per-CPU counters between folds.
 *
 * The "vm stats threshold" in zoneinfo is Linux's
 * calculate_normal_threshold(), reported for fidelity.
 *
 * Invariants:
 *   - NR_FREE_PAGES of a zone == the pages on its free lists (checked by
 *     zone_is_valid(), which tests/test_stress.c calls after every step);
 *   - every state counter is >= 0 at rest (/proc/sys/vm/stat_refresh warns
 *     of one that is not);
 *   - a state counter is exact: it is the atomic itself, with no per-CPU
 *     differential pending (mmsim folds nothing later).
 */
#include <string.h>
#include <mmsim/sysctl.h>
#include "mm/internal.h"

#define __VMSTAT_NAME(e, s) s,
const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS] = { ZONE_STAT_ITEMS(__VMSTAT_NAME) };
const char *const numa_stat_names[NR_VM_NUMA_EVENT_ITEMS] = { NUMA_STAT_ITEMS(__VMSTAT_NAME) };
const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS] = { NODE_STAT_ITEMS(__VMSTAT_NAME) };
const char *const vm_event_names[NR_VM_EVENT_ITEMS] = { VM_EVENT_ITEMS(__VMSTAT_NAME) };
#undef __VMSTAT_NAME

void count_vm_events(enum vm_event_item item, long delta)
{
	struct cpu_state *c = current_cpu;

	if (unlikely(!c))
		return;
	WRITE_ONCE(c->vm_events[item], READ_ONCE(c->vm_events[item]) + (unsigned long)delta);
}

void count_vm_event(enum vm_event_item item)
{
	count_vm_events(item, 1);
}

unsigned long sum_vm_event(enum vm_event_item item)
{
	struct mmsim *m = current_machine();
	unsigned long sum = 0;

	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		sum += READ_ONCE(m->cpus[cpu].vm_events[item]);
	return sum;
}

void all_vm_events(unsigned long *ret)
{
	for (int i = 0; i < NR_VM_EVENT_ITEMS; i++)
		ret[i] = sum_vm_event((enum vm_event_item)i);
}

void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta)
{
	atomic_long_add(delta, &zone->vm_stat[item]);
}

unsigned long global_zone_page_state(enum zone_stat_item item)
{
	struct zone *zone;
	long sum = 0;

	for_each_zone(zone)
		sum += atomic_long_read(&zone->vm_stat[item]);
	return sum < 0 ? 0 : (unsigned long)sum;
}

void __count_numa_event(struct zone *zone, enum numa_stat_item item)
{
	unsigned long *ev = zone->per_cpu_pageset[current_cpu->id].numa_events;

	WRITE_ONCE(ev[item], READ_ONCE(ev[item]) + 1);
}

unsigned long zone_numa_event_state(struct zone *zone, enum numa_stat_item item)
{
	struct mmsim *m = current_machine();
	unsigned long sum = 0;

	if (!zone->per_cpu_pageset)
		return 0;
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		sum += READ_ONCE(zone->per_cpu_pageset[cpu].numa_events[item]);
	return sum;
}

unsigned long global_numa_event_state(enum numa_stat_item item)
{
	struct zone *zone;
	unsigned long sum = 0;

	for_each_zone(zone)
		sum += zone_numa_event_state(zone, item);
	return sum;
}

void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta)
{
	atomic_long_add(delta, &pgdat->vm_stat[item]);
}

unsigned long node_page_state(struct pglist_data *pgdat, enum node_stat_item item)
{
	long x = atomic_long_read(&pgdat->vm_stat[item]);

	return x < 0 ? 0 : (unsigned long)x;
}

unsigned long global_node_page_state(enum node_stat_item item)
{
	struct mmsim *m = current_machine();
	long sum = 0;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		sum += atomic_long_read(&m->node_data[nid]->vm_stat[item]);
	return sum < 0 ? 0 : (unsigned long)sum;
}

/* calculate_normal_threshold(): 2 * fls(cpus) * (1 + fls(zone MiB / 128)), at most 125. */
void zone_stat_set_threshold(struct zone *zone)
{
	unsigned long mem = zone_managed_pages(zone) >> (27 - PAGE_SHIFT);
	int threshold = 2 * fls((unsigned int)num_online_cpus()) * (1 + fls((unsigned int)mem));

	zone->percpu_drift_mark_threshold = min(125, threshold);
}

/* ---------------------------------------------------------------------
 * /proc/sys/vm/stat_refresh: mmsim's counters are exact, so there is
 * nothing to fold; what is left of vmstat_refresh() is the check for
 * negative counters.  Reads as empty, as in Linux.
 */

static long raw_zone_sum(enum zone_stat_item item)
{
	struct zone *zone;
	long sum = 0;

	for_each_zone(zone)
		sum += atomic_long_read(&zone->vm_stat[item]);
	return sum;
}

static long raw_node_sum(enum node_stat_item item)
{
	long sum = 0;
	int nid;

	for_each_online_node(nid)
		sum += atomic_long_read(&NODE_DATA(nid)->vm_stat[item]);
	return sum;
}

static int vmstat_refresh(const struct ctl_table *t, int write, struct seq_file *sf,
			  const char *text)
{
	if (!write)
		return 0;
	for (int i = 0; i < NR_VM_ZONE_STAT_ITEMS; i++) {
		long val;

		if (i == NR_ZONE_WRITE_PENDING || i == NR_FREE_CMA_PAGES)
			continue;	/* known to go negative for a while */
		val = raw_zone_sum((enum zone_stat_item)i);
		if (val < 0)
			pr_warn("%s: %s %ld\n", "vmstat_refresh", zone_stat_names[i], val);
	}
	for (int i = 0; i < NR_VM_NODE_STAT_ITEMS; i++) {
		long val;

		if (i == NR_WRITEBACK)
			continue;
		val = raw_node_sum((enum node_stat_item)i);
		if (val < 0)
			pr_warn("%s: %s %ld\n", "vmstat_refresh", node_stat_names[i], val);
	}
	return 0;
}

static int vmstat_sysctl_init(struct mmsim *m, char *err, size_t len)
{
	static const struct ctl_table vmstat_table[] = {
		{ .procname = "stat_refresh", .mode = 0644, .proc_handler = vmstat_refresh },
	};

	return register_sysctl("vm", vmstat_table);
}

static const struct initcall vmstat_initcalls[] = {
	fs_initcall(vmstat_sysctl_init, NULL),
};

DEFINE_SUBSYSTEM(vmstat, SUBSYS_INITCALLS(vmstat_initcalls));
