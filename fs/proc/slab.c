// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/slab.c - the slab allocator's files: /proc/slabinfo (version
 * 2.1), /sys/kernel/slab/<cache>/<attribute> and the failslab knobs in
 * /sys/kernel/debug/failslab/.  The text comes from mm/slab_common.c and
 * mm/slub.c (slabinfo_show, slab_attr_show/store, failslab_attr_show/store);
 * this file only routes paths to them.
 */
#include <stdlib.h>
#include "fs/proc/internal.h"
#include "mm/slab.h"

static int put_text(struct seq_file *sf, int ret, char *text)
{
	if (ret)
		return ret;
	seq_puts(sf, text);
	free(text);
	return 0;
}

static int slabinfo_seq(struct seq_file *sf, struct proc_file *f)
{
	char *text = slabinfo_show();

	return text ? put_text(sf, 0, text) : -ENOMEM;
}

static int slab_attr_seq(struct seq_file *sf, struct proc_file *f)
{
	char *text = NULL;
	int ret = slab_attr_show(f->arg, f->entry->data, &text);

	return put_text(sf, ret, text);
}

static int slab_attr_write(struct proc_file *f, const char *text)
{
	return slab_attr_store(f->arg, f->entry->data, text);
}

static int failslab_seq(struct seq_file *sf, struct proc_file *f)
{
	char *text = NULL;
	int ret = failslab_attr_show(f->entry->data, &text);

	return put_text(sf, ret, text);
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
