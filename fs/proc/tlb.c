// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/tlb.c - /sys/kernel/debug/tlb_stats: each simulated CPU's TLB
 * hits, misses, walks, faults, flushes and shootdowns, and the ASID
 * allocator's counters, as arch/tlb.c renders them (tlb_render_stats).
 * Not a Linux file: Linux keeps these counters in the hardware's PMU.
 */
#include <stdlib.h>
#include <mmsim/mmu.h>
#include "fs/proc/internal.h"

static int tlb_stats_show(struct seq_file *sf, struct proc_file *f)
{
	char *text = tlb_render_stats(f->m);

	if (!text)
		return -ENOMEM;
	seq_puts(sf, text);
	free(text);
	return 0;
}

static const struct proc_entry tlb_entries[] = {
	{ "/sys/kernel/debug/tlb_stats", tlb_stats_show, NULL, NULL },
};

PROC_SUBSYSTEM(proc_tlb, tlb_entries);
