// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/meminfo.c - /proc/meminfo, as Linux 6.8's meminfo_proc_show(),
 * hugetlb_report_meminfo() and x86's arch_report_meminfo() print it.
 *
 * Every line is "Label:" padded to 16 columns, the value in kB right-aligned
 * in 8 columns, " kB" (show_val_kb); the exceptions are Linux's own
 * (HardwareCorrupted's %5lu, HugePages_* without a unit).  Fields whose
 * subsystem does not exist yet print the real value of their counter, which
 * is zero until that subsystem counts (Buffers, Percpu, the
 * swap total has no counter yet and prints 0); the HugePages_* lines are
 * hugetlb_report_meminfo()'s (mm/hugetlb_files.c).  VmallocUsed is
 * vmalloc_nr_pages(), the pages of live vmalloc areas.
 *
 * Configuration shown (what a distribution kernel builds): CONFIG_HIGHMEM on
 * 32-bit arches only, CONFIG_MEMORY_FAILURE, CONFIG_TRANSPARENT_HUGEPAGE,
 * CONFIG_HUGETLB_PAGE; no CMA, no zswap, no early memtest, no unaccepted
 * memory, no balloon.
 *
 * CommitLimit and Committed_AS are mm/util.c's vm_commit_limit() and
 * vm_memory_committed() (the overcommit accounting of the mmap family).
 *
 * DirectMap (x86 only, as in Linux): the sizes of the leaves that map the
 * direct map in the kernel page table (arch_report_meminfo in arch/paging.c),
 * 4M instead of 2M on non-PAE i386.  See docs/proc-formats.md.
 *
 * Locking: counters are read without locks (they are atomics); memblock is
 * read as it stands after boot.
 *
 * Invariants: MemTotal == totalram_pages; MemFree == the sum of every
 * zone's NR_FREE_PAGES; MemAvailable == si_mem_available(); HighTotal +
 * LowTotal == MemTotal on 32-bit arches.  tests/test_proc.c checks the
 * lines against the counters they come from.
 */
#include <stdio.h>
#include <mmsim/vmalloc.h>
#include <mmsim/blkdev.h>
#include <mmsim/swap.h>
#include "fs/proc/internal.h"
#include <mmsim/hugetlb.h>
#include <mmsim/cma.h>

static void show_val_kb(struct seq_file *sf, const char *label, unsigned long pages)
{
	seq_printf(sf, "%s%8lu kB\n", label, K(pages));
}

static void meminfo_lru(struct seq_file *sf)
{
	unsigned long aa = global_node_page_state(NR_ACTIVE_ANON);
	unsigned long ia = global_node_page_state(NR_INACTIVE_ANON);
	unsigned long af = global_node_page_state(NR_ACTIVE_FILE);
	unsigned long iff = global_node_page_state(NR_INACTIVE_FILE);

	show_val_kb(sf, "Active:         ", aa + af);
	show_val_kb(sf, "Inactive:       ", ia + iff);
	show_val_kb(sf, "Active(anon):   ", aa);
	show_val_kb(sf, "Inactive(anon): ", ia);
	show_val_kb(sf, "Active(file):   ", af);
	show_val_kb(sf, "Inactive(file): ", iff);
	show_val_kb(sf, "Unevictable:    ", global_node_page_state(NR_UNEVICTABLE));
	show_val_kb(sf, "Mlocked:        ", global_zone_page_state(NR_MLOCK));
}

static void meminfo_kernel(struct seq_file *sf, const struct sysinfo *i)
{
	unsigned long sreclaimable = global_node_page_state_pages(NR_SLAB_RECLAIMABLE_B);
	unsigned long sunreclaim = global_node_page_state_pages(NR_SLAB_UNRECLAIMABLE_B);

	show_val_kb(sf, "Dirty:          ", global_node_page_state(NR_FILE_DIRTY));
	show_val_kb(sf, "Writeback:      ", global_node_page_state(NR_WRITEBACK));
	show_val_kb(sf, "AnonPages:      ", global_node_page_state(NR_ANON_MAPPED));
	show_val_kb(sf, "Mapped:         ", global_node_page_state(NR_FILE_MAPPED));
	show_val_kb(sf, "Shmem:          ", i->sharedram);
	show_val_kb(sf, "KReclaimable:   ",
		    sreclaimable + global_node_page_state(NR_KERNEL_MISC_RECLAIMABLE));
	show_val_kb(sf, "Slab:           ", sreclaimable + sunreclaim);
	show_val_kb(sf, "SReclaimable:   ", sreclaimable);
	show_val_kb(sf, "SUnreclaim:     ", sunreclaim);
	seq_printf(sf, "KernelStack:    %8lu kB\n", global_node_page_state(NR_KERNEL_STACK_KB));
	show_val_kb(sf, "PageTables:     ", global_node_page_state(NR_PAGETABLE));
	show_val_kb(sf, "SecPageTables:  ", global_node_page_state(NR_SECONDARY_PAGETABLE));
	show_val_kb(sf, "NFS_Unstable:   ", 0);
	show_val_kb(sf, "Bounce:         ", global_zone_page_state(NR_BOUNCE));
	show_val_kb(sf, "WritebackTmp:   ", global_node_page_state(NR_WRITEBACK_TEMP));
}

static void meminfo_virtual(struct seq_file *sf)
{
	const struct mm_layout *l = current_layout;
	unsigned long committed = vm_memory_committed(), vmalloc_pages = vmalloc_nr_pages(), percpu_pages = 0;

	show_val_kb(sf, "CommitLimit:    ", vm_commit_limit());
	show_val_kb(sf, "Committed_AS:   ", committed);
	seq_printf(sf, "VmallocTotal:   %8lu kB\n", (l->vmalloc_end - l->vmalloc_start) >> 10);
	show_val_kb(sf, "VmallocUsed:    ", vmalloc_pages);
	show_val_kb(sf, "VmallocChunk:   ", 0);
	show_val_kb(sf, "Percpu:         ", percpu_pages);
}

static void meminfo_huge(struct seq_file *sf)
{
	unsigned long poisoned_pages = 0;

	seq_printf(sf, "HardwareCorrupted: %5lu kB\n", K(poisoned_pages));
	show_val_kb(sf, "AnonHugePages:  ", global_node_page_state(NR_ANON_THPS));
	show_val_kb(sf, "ShmemHugePages: ", global_node_page_state(NR_SHMEM_THPS));
	show_val_kb(sf, "ShmemPmdMapped: ", global_node_page_state(NR_SHMEM_PMDMAPPED));
	show_val_kb(sf, "FileHugePages:  ", global_node_page_state(NR_FILE_THPS));
	show_val_kb(sf, "FilePmdMapped:  ", global_node_page_state(NR_FILE_PMDMAPPED));
	show_val_kb(sf, "CmaTotal:       ", totalcma_pages());
	show_val_kb(sf, "CmaFree:        ", global_zone_page_state(NR_FREE_CMA_PAGES));
	hugetlb_report_meminfo(sf);
}

/* ---------------------------------------------------------------------
 * /proc/meminfo
 */

static int meminfo_show(struct seq_file *sf, struct proc_file *f)
{
	unsigned long bufferram = (unsigned long)nr_blockdev_pages();
	unsigned long swapcache = global_node_page_state(NR_SWAPCACHE);
	struct sysinfo i;
	long cached;

	si_meminfo(&i);
	i.sharedram = global_node_page_state(NR_SHMEM);
	i.bufferram = bufferram;
	si_swapinfo(&i);
	cached = (long)global_node_page_state(NR_FILE_PAGES) - (long)swapcache - (long)i.bufferram;
	if (cached < 0)
		cached = 0;

	show_val_kb(sf, "MemTotal:       ", i.totalram);
	show_val_kb(sf, "MemFree:        ", i.freeram);
	show_val_kb(sf, "MemAvailable:   ", (unsigned long)si_mem_available());
	show_val_kb(sf, "Buffers:        ", i.bufferram);
	show_val_kb(sf, "Cached:         ", (unsigned long)cached);
	show_val_kb(sf, "SwapCached:     ", swapcache);
	meminfo_lru(sf);
	if (!current_layout->is_64bit) {
		show_val_kb(sf, "HighTotal:      ", i.totalhigh);
		show_val_kb(sf, "HighFree:       ", i.freehigh);
		show_val_kb(sf, "LowTotal:       ", i.totalram - i.totalhigh);
		show_val_kb(sf, "LowFree:        ", i.freeram - i.freehigh);
	}
	show_val_kb(sf, "SwapTotal:      ", i.totalswap);
	show_val_kb(sf, "SwapFree:       ", i.freeswap);
	meminfo_kernel(sf, &i);
	meminfo_virtual(sf);
	meminfo_huge(sf);
	arch_report_meminfo(sf);
	return 0;
}

static const struct proc_entry meminfo_entries[] = {
	{ "/proc/meminfo", meminfo_show, NULL, NULL },
};

PROC_SUBSYSTEM(proc_meminfo, meminfo_entries);
