// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/vmallocinfo.c - /proc/vmallocinfo (Linux's s_show in
 * mm/vmalloc.c): one line per busy area in address order, then one
 * "unpurged vm_area" line per lazily freed range.
 *
 *   0x<start>-0x<end> <size> <caller> pages=<n> vmalloc N0=<n>
 *
 * Addresses are the simulated kernel addresses (16 hex digits on 64-bit
 * arches, 8 on 32-bit, like %pK of a root reader); size is in bytes and
 * includes the guard page; the flag words come in Linux's order; N<node>=
 * counts the pages on each node.  vm_map_ram areas and blocks print
 * "vm_map_ram".
 */
#include <stdlib.h>
#include <string.h>
#include <mmsim/vmalloc.h>
#include "fs/proc/internal.h"

struct vmi_ctx {
	struct seq_file *sf;
	const char *fmt;	/* address pair, per arch width */
	int nr_nodes;
	unsigned int *counters;	/* [nr_nodes] */
};

static void show_numa_info(struct vmi_ctx *c, const struct vm_struct *v)
{
	if (!c->counters || !v->pages)
		return;
	if (__atomic_load_n(&v->flags, __ATOMIC_ACQUIRE) & VM_UNINITIALIZED)
		return;
	memset(c->counters, 0, (size_t)c->nr_nodes * sizeof(*c->counters));
	for (unsigned int nr = 0; nr < v->nr_pages; nr++)
		c->counters[page_to_nid(v->pages[nr])]++;
	for (int nid = 0; nid < c->nr_nodes; nid++)
		if (c->counters[nid])
			seq_printf(c->sf, " N%d=%u", nid, c->counters[nid]);
}

static void show_one(const struct vmap_area *va, bool lazy, void *arg)
{
	struct vmi_ctx *c = arg;
	const struct vm_struct *v = va->vm;
	char caller[128];

	seq_printf(c->sf, c->fmt, va->va_start, va->va_end);
	seq_printf(c->sf, " %7ld", (long)(va->va_end - va->va_start));
	if (lazy) {
		seq_puts(c->sf, " unpurged vm_area\n");
		return;
	}
	if (!v) {
		if (va->flags & VMAP_RAM)
			seq_puts(c->sf, " vm_map_ram\n");
		else
			seq_putc(c->sf, '\n');
		return;
	}
	if (v->caller) {
		vm_caller_name(v->caller, caller, sizeof(caller));
		seq_printf(c->sf, " %s", caller);
	}
	if (v->nr_pages)
		seq_printf(c->sf, " pages=%u", v->nr_pages);
	if (v->phys_addr)
		seq_printf(c->sf, " phys=%llx", (unsigned long long)v->phys_addr);
	if (v->flags & VM_IOREMAP)
		seq_puts(c->sf, " ioremap");
	if (v->flags & VM_SPARSE)
		seq_puts(c->sf, " sparse");
	if (v->flags & VM_ALLOC)
		seq_puts(c->sf, " vmalloc");
	if (v->flags & VM_MAP)
		seq_puts(c->sf, " vmap");
	if (v->flags & VM_USERMAP)
		seq_puts(c->sf, " user");
	if (v->flags & VM_DMA_COHERENT)
		seq_puts(c->sf, " dma-coherent");
	if (is_vmalloc_addr(v->pages))
		seq_puts(c->sf, " vpages");
	show_numa_info(c, v);
	seq_putc(c->sf, '\n');
}

static int vmallocinfo_show(struct seq_file *sf, struct proc_file *f)
{
	struct vmi_ctx c = {
		.sf = sf,
		.fmt = current_layout->is_64bit ? "0x%016lx-0x%016lx" : "0x%08lx-0x%08lx",
		.nr_nodes = f->m->nr_nodes,
	};

	c.counters = calloc((size_t)c.nr_nodes, sizeof(*c.counters));
	if (!c.counters)
		return -ENOMEM;
	vmap_area_for_each(show_one, &c);
	free(c.counters);
	return 0;
}

static const struct proc_entry vmallocinfo_entries[] = {
	{ "/proc/vmallocinfo", vmallocinfo_show, NULL, NULL },
};

PROC_SUBSYSTEM(proc_vmallocinfo, vmallocinfo_entries);
