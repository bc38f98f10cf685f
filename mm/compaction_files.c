// SPDX-License-Identifier: GPL-2.0
/*
 * mm/compaction_files.c - compaction's knobs and files, and the subsystem
 * that brings compaction up on a machine.
 *
 *   /proc/sys/vm/compact_memory            0200  writing 1 compacts every
 *                                                zone of every node (sync,
 *                                                the whole zone); any other
 *                                                value: -EINVAL
 *   /proc/sys/vm/compaction_proactiveness  0644  0..100, default 20; a
 *                                                non-zero write wakes every
 *                                                kcompactd to look at once
 *   /proc/sys/vm/compact_unevictable_allowed 0644  0..1, default 1: may the
 *                                                migration scanner take
 *                                                unevictable (mlocked) pages
 *   /proc/sys/vm/extfrag_threshold         0644  0..1000, default 500
 *                                                (registered with the
 *                                                allocator's knobs in
 *                                                mm/page_alloc_init.c)
 *   /sys/devices/system/node/nodeN/compact  write-only: compacts node N
 *   /sys/kernel/debug/extfrag/unusable_index  per populated zone and order,
 *   /sys/kernel/debug/extfrag/extfrag_index   the indices *1000 printed as
 *                                             Linux's mm/vmstat.c prints
 *                                             them ("Node %d, zone %8s "
 *                                             then "%d.%03d " or
 *                                             "%2d.%03d " per order)
 *
 * State: struct compaction_state (mm/compaction_internal.h), one per
 * machine.  Sysctl writes run under sysctl_lock; the readers of the values
 * use READ_ONCE.  Boot: compaction_init (subsys level: the skip bits and
 * the kcompactds, after kswapd), compaction_files_init (fs level).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include <mmsim/sysctl.h>
#include "mm/compaction_internal.h"

static const struct compaction_state compaction_defaults = {
	.compaction_proactiveness = 20,
	.compact_unevictable_allowed = 1,
};

static const int one_hundred = 100;

/* ---- sysctls ---- */

static int compaction_proactiveness_handler(const struct ctl_table *t, int write,
					    struct seq_file *sf, const char *text)
{
	int ret = proc_dointvec_minmax(t, write, sf, text);

	if (!ret && write)
		kcompactd_proactiveness_changed();
	return ret;
}

/* compact_memory: only "1" is taken (Linux's sysctl_compaction_handler). */
static int sysctl_compaction_handler(const struct ctl_table *t, int write, struct seq_file *sf,
				     const char *text)
{
	int val;

	if (!write)
		return proc_dointvec(t, write, sf, text);
	if (proc_parse_ints(text, &val, 1) != 1 || val != 1)
		return -EINVAL;
	WRITE_ONCE(*(int *)t->data, val);
	compact_nodes();
	return 0;
}

/* ---- /sys/devices/system/node/nodeN/compact ---- */

static int node_compact_store(struct proc_file *f, const char *text)
{
	char *end;
	long nid;

	(void)text;
	if (strncmp(f->arg, "node", 4))
		return -ENOENT;
	nid = strtol(f->arg + 4, &end, 10);
	if (end == f->arg + 4 || *end || nid < 0 || nid >= num_online_nodes())
		return -ENOENT;
	compact_node_by_id((int)nid);
	return 0;
}

/* ---- /sys/kernel/debug/extfrag ---- */

static void extfrag_walk(struct seq_file *sf, bool extfrag)
{
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
			struct zone *zone = &pgdat->node_zones[zid];

			if (!zone->configured || !populated_zone(zone))
				continue;
			seq_printf(sf, "Node %d, zone %8s ", nid, zone->name);
			for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
				int index;

				if (extfrag) {
					index = fragmentation_index(zone, order);
					seq_printf(sf, "%2d.%03d ", index / 1000, abs(index % 1000));
				} else {
					index = unusable_free_index(zone, order);
					seq_printf(sf, "%d.%03d ", index / 1000, index % 1000);
				}
			}
			seq_putc(sf, '\n');
		}
	}
}

static int unusable_index_show(struct seq_file *sf, struct proc_file *f)
{
	(void)f;
	extfrag_walk(sf, false);
	return 0;
}

static int extfrag_index_show(struct seq_file *sf, struct proc_file *f)
{
	(void)f;
	extfrag_walk(sf, true);
	return 0;
}

static const struct proc_entry compaction_entries[] = {
	{ "/sys/devices/system/node/*/compact", NULL, node_compact_store, NULL },
	{ "/sys/kernel/debug/extfrag/unusable_index", unusable_index_show, NULL, NULL },
	{ "/sys/kernel/debug/extfrag/extfrag_index", extfrag_index_show, NULL, NULL },
};

/* ---- boot and shutdown ---- */

static int compaction_init(struct mmsim *m, char *err, size_t len)
{
	int ret = compaction_alloc_skip_bits(m, err, len);

	if (ret)
		return ret;
	return kcompactd_init(m);
}

static void compaction_exit(struct mmsim *m)
{
	kcompactd_exit(m);
	compaction_free_skip_bits(m);
}

static int compaction_files_init(struct mmsim *m, char *err, size_t len)
{
	struct compaction_state *st = subsys_state(m, compaction);
	const struct ctl_table vm_compaction[] = {
		{ .procname = "compact_memory", .data = &st->compact_memory, .maxlen = sizeof(int),
		  .mode = 0200, .proc_handler = sysctl_compaction_handler },
		{ .procname = "compaction_proactiveness", .data = &st->compaction_proactiveness,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = compaction_proactiveness_handler,
		  .extra1 = SYSCTL_ZERO, .extra2 = &one_hundred },
		{ .procname = "compact_unevictable_allowed", .data = &st->compact_unevictable_allowed,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
		  .extra1 = SYSCTL_ZERO, .extra2 = SYSCTL_ONE },
	};
	int ret = register_sysctl("vm", vm_compaction);

	if (!ret)
		ret = proc_create_table(compaction_entries);
	if (ret)
		snprintf(err, len, "compaction: cannot create its files (%d)", ret);
	return ret;
}

static const struct initcall compaction_initcalls[] = {
	subsys_initcall(compaction_init, compaction_exit),
	fs_initcall(compaction_files_init, NULL),
};

DEFINE_SUBSYSTEM(compaction, SUBSYS_STATE(struct compaction_state, &compaction_defaults),
		 SUBSYS_INITCALLS(compaction_initcalls));
