// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/slab.c - the slab allocator's files: /proc/slabinfo (version
 * 2.1), /sys/kernel/slab/<cache>/<attribute> and the failslab knobs in
 * /sys/kernel/debug/failslab/.  mm/slab_common.c and mm/failslab.c print
 * them into the seq_file (slabinfo_show, slab_attr_show/store,
 * failslab_attr_show/store); this file only routes paths to them.
 */
#include "fs/proc/internal.h"
#include "mm/slab.h"

static int slabinfo_seq(struct seq_file *sf, struct proc_file *f)
{
	slabinfo_show(sf);
	return 0;
}

static int slab_attr_seq(struct seq_file *sf, struct proc_file *f)
{
	return slab_attr_show(sf, f->arg, f->entry->data);
}

static int slab_attr_write(struct proc_file *f, const char *text)
{
	return slab_attr_store(f->arg, f->entry->data, text);
}

static int failslab_seq(struct seq_file *sf, struct proc_file *f)
{
	return failslab_attr_show(sf, f->entry->data);
}

static int failslab_write(struct proc_file *f, const char *text)
{
	return failslab_attr_store(f->entry->data, text);
}

#define SA(name, store) { "/sys/kernel/slab/*/" name, slab_attr_seq, store, name }
#define FS(name) { "/sys/kernel/debug/failslab/" name, failslab_seq, failslab_write, name }

static const struct proc_entry slab_entries[] = {
	{ "/proc/slabinfo", slabinfo_seq, NULL, NULL },
	SA("object_size", NULL), SA("slab_size", NULL), SA("objs_per_slab", NULL),
	SA("order", NULL), SA("objects", NULL), SA("total_objects", NULL), SA("slabs", NULL),
	SA("partial", NULL), SA("objects_partial", NULL), SA("aliases", NULL), SA("align", NULL),
	SA("min_partial", NULL), SA("cpu_partial", NULL), SA("sheaf_capacity", NULL),
	SA("ctor", NULL),
	SA("red_zone", NULL), SA("poison", NULL), SA("store_user", NULL),
	SA("sanity_checks", NULL), SA("trace", NULL), SA("reclaim_account", NULL),
	SA("hwcache_align", NULL), SA("cache_dma", NULL), SA("destroy_by_rcu", NULL),
	SA("failslab", slab_attr_write), SA("validate", slab_attr_write),
	SA("shrink", slab_attr_write),
	FS("probability"), FS("interval"), FS("times"), FS("space"), FS("verbose"),
	FS("ignore-gfp-wait"), FS("cache-filter"),
};

PROC_SUBSYSTEM(proc_slab, slab_entries);
