// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/sysctl_vm.c - /proc/sys/vm/: the vm sysctls whose behaviour mmsim
 * has, with Linux's ranges and handlers (kernel/sysctl.c, mm/page_alloc.c,
 * mm/vmstat.c).
 *
 *   knob                           range        on a write
 *   min_free_kbytes                >= 0         user_min_free_kbytes = value;
 *                                               watermarks, pcp high/batch,
 *                                               lowmem_reserve recomputed
 *   watermark_scale_factor         1..3000      watermarks, pcp high/batch
 *   watermark_boost_factor         >= 0         (read by the allocator)
 *   extfrag_threshold              0..1000      (read by compaction)
 *   percpu_pagelist_high_fraction  0 or >= 8    pcp high/batch of every zone
 *   lowmem_reserve_ratio           one int per  values < 1 become 0;
 *                                  configured   lowmem_reserve recomputed
 *                                  zone, tab-separated
 *   stat_refresh                   any          warns of negative counters
 *
 * Knobs of subsystems mmsim does not have yet (overcommit_*, swappiness,
 * dirty_*, drop_caches, compact_*, oom_*, panic_on_oom, ...) are not
 * listed: a file exists only when writing it changes behaviour.  They are
 * later work, listed in docs/proc-formats.md.
 *
 * Values are ints printed with "%d\n" (vectors tab-separated) and parsed as
 * proc_dointvec() does.  A write either sets the whole value or, on any bad
 * word or a value out of range, returns -EINVAL and changes nothing.
 *
 * Locking: sysctl_lock (a process-wide mutex) serializes writers and the
 * recomputations they run; the mm code that reads a knob reads it once.
 */
#include <stdio.h>
#include <limits.h>
#include <pthread.h>
#include "fs/proc/internal.h"

#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8

static pthread_mutex_t sysctl_lock = PTHREAD_MUTEX_INITIALIZER;

/* One int knob in struct vm_sysctls. */
struct vm_knob {
	size_t offset;				/* of the int in struct vm_sysctls */
	int min, max;				/* inclusive */
	bool (*valid)(int val);			/* a rule beyond the range, or NULL */
	void (*changed)(struct mmsim *m, int old);	/* after a write, under sysctl_lock */
};

static int *knob_field(struct mmsim *m, const struct vm_knob *k)
{
	return (int *)((char *)&m->vm + k->offset);
}

/* setup_per_zone_wmarks() and the pcp update Linux runs at its end. */
static void recompute_wmarks(void)
{
	struct zone *zone;

	setup_per_zone_wmarks();
	for_each_zone(zone)
		zone_pcp_update(zone);
}

static void min_free_kbytes_changed(struct mmsim *m, int old)
{
	WRITE_ONCE(m->vm.user_min_free_kbytes, m->vm.min_free_kbytes);
	recompute_wmarks();
	setup_per_zone_lowmem_reserve();
}

static void watermark_scale_factor_changed(struct mmsim *m, int old)
{
	recompute_wmarks();
}

static bool percpu_pagelist_high_fraction_valid(int val)
{
	return !val || val >= MIN_PERCPU_PAGELIST_HIGH_FRACTION;
}

static void percpu_pagelist_high_fraction_changed(struct mmsim *m, int old)
{
	struct zone *zone;

	if (m->vm.percpu_pagelist_high_fraction == old)
		return;
	for_each_zone(zone)
		zone_pcp_update(zone);
}

#define VM_KNOB(field, lo, hi, ok, fn) \
	{ offsetof(struct vm_sysctls, field), lo, hi, ok, fn }

static const struct vm_knob knob_min_free_kbytes =
	VM_KNOB(min_free_kbytes, 0, INT_MAX, NULL, min_free_kbytes_changed);
static const struct vm_knob knob_watermark_scale_factor =
	VM_KNOB(watermark_scale_factor, 1, 3000, NULL, watermark_scale_factor_changed);
static const struct vm_knob knob_watermark_boost_factor =
	VM_KNOB(watermark_boost_factor, 0, INT_MAX, NULL, NULL);
static const struct vm_knob knob_extfrag_threshold =
	VM_KNOB(extfrag_threshold, 0, 1000, NULL, NULL);
static const struct vm_knob knob_percpu_pagelist_high_fraction =
	VM_KNOB(percpu_pagelist_high_fraction, 0, INT_MAX, percpu_pagelist_high_fraction_valid,
		percpu_pagelist_high_fraction_changed);

static int knob_show(struct seq_file *sf, struct proc_file *f)
{
	const struct vm_knob *k = f->entry->data;

	seq_printf(sf, "%d\n", READ_ONCE(*knob_field(f->m, k)));
	return 0;
}

/* proc_dointvec_minmax() and the knob's handler. */
static int knob_store(struct proc_file *f, const char *text)
{
	const struct vm_knob *k = f->entry->data;
	int *field = knob_field(f->m, k);
	int val, old;

	if (proc_parse_ints(text, &val, 1) != 1 || val < k->min || val > k->max)
		return -EINVAL;
	if (k->valid && !k->valid(val))
		return -EINVAL;
	pthread_mutex_lock(&sysctl_lock);
	old = *field;
	WRITE_ONCE(*field, val);
	if (k->changed)
		k->changed(f->m, old);
	pthread_mutex_unlock(&sysctl_lock);
	return 0;
}

/* ---------------------------------------------------------------------
 * lowmem_reserve_ratio: one int per zone type the arch has
 */

/* The zone types of the vector, in order; returns how many. */
static int lowmem_reserve_zones(int *zt)
{
	pg_data_t *pgdat = NODE_DATA(0);
	int n = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (pgdat->node_zones[i].configured)
			zt[n++] = i;
	return n;
}

static int lowmem_reserve_ratio_show(struct seq_file *sf, struct proc_file *f)
{
	int zt[MAX_NR_ZONES], n = lowmem_reserve_zones(zt);
	int *ratio = f->m->vm.lowmem_reserve_ratio;

	for (int i = 0; i < n; i++)
		seq_printf(sf, "%s%d", i ? "\t" : "", READ_ONCE(ratio[zt[i]]));
	seq_putc(sf, '\n');
	return 0;
}

/* lowmem_reserve_ratio_sysctl_handler(): a prefix of the vector may be written. */
static int lowmem_reserve_ratio_store(struct proc_file *f, const char *text)
{
	int zt[MAX_NR_ZONES], vals[MAX_NR_ZONES], n = lowmem_reserve_zones(zt);
	int nr = proc_parse_ints(text, vals, n);

	if (nr < 0)
		return nr;
	pthread_mutex_lock(&sysctl_lock);
	for (int i = 0; i < nr; i++)
		WRITE_ONCE(f->m->vm.lowmem_reserve_ratio[zt[i]], vals[i] < 1 ? 0 : vals[i]);
	setup_per_zone_lowmem_reserve();
	pthread_mutex_unlock(&sysctl_lock);
	return 0;
}

/* ---------------------------------------------------------------------
 * stat_refresh: mmsim's counters are exact, so there is nothing to fold;
 * what is left of vmstat_refresh() is the check for negative counters.
 */

static int stat_refresh_show(struct seq_file *sf, struct proc_file *f)
{
	return 0;	/* reads as empty, as in Linux */
}

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

static int stat_refresh_store(struct proc_file *f, const char *text)
{
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

static const struct proc_entry sysctl_vm_entries[] = {
	{ "/proc/sys/vm/extfrag_threshold", knob_show, knob_store, &knob_extfrag_threshold },
	{ "/proc/sys/vm/lowmem_reserve_ratio", lowmem_reserve_ratio_show,
	  lowmem_reserve_ratio_store, NULL },
	{ "/proc/sys/vm/min_free_kbytes", knob_show, knob_store, &knob_min_free_kbytes },
	{ "/proc/sys/vm/percpu_pagelist_high_fraction", knob_show, knob_store,
	  &knob_percpu_pagelist_high_fraction },
	{ "/proc/sys/vm/stat_refresh", stat_refresh_show, stat_refresh_store, NULL },
	{ "/proc/sys/vm/watermark_boost_factor", knob_show, knob_store,
	  &knob_watermark_boost_factor },
	{ "/proc/sys/vm/watermark_scale_factor", knob_show, knob_store,
	  &knob_watermark_scale_factor },
};

PROC_SUBSYSTEM(proc_sysctl_vm, sysctl_vm_entries);
