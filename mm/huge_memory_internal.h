/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/huge_memory_internal.h - what mm/huge_memory*.c and mm/rmap.c share
 * about transparent huge pages: the per-machine state of the "thp"
 * subsystem (mm/huge_memory_files.c defines it).  Not installed.
 */
#ifndef MMSIM_MM_HUGE_MEMORY_INTERNAL_H
#define MMSIM_MM_HUGE_MEMORY_INTERNAL_H

#include <mmsim/huge_mm.h>
#include <mmsim/workqueue.h>

/* khugepaged's knobs and cursor (mm/khugepaged.c). */
struct khugepaged_state {
	unsigned int pages_to_scan;	/* pages a wakeup scans */
	unsigned int scan_sleep_millisecs;	/* between wakeups */
	unsigned int alloc_sleep_millisecs;	/* after an allocation failure */
	unsigned int max_ptes_none, max_ptes_swap, max_ptes_shared;
	unsigned int defrag;		/* 1: GFP_TRANSHUGE, 0: _LIGHT */
	unsigned long full_scans;	/* passes over every mm */
	unsigned long pages_collapsed;	/* THPs made */
	pid_t scan_pid;			/* cursor: the task being scanned */
	unsigned long scan_addr;	/* ... and where in its mm */
	bool alloc_failed;
	bool running;			/* the work is queued */
	struct delayed_work work;
};

/* Per-machine state of subsystem "thp". */
struct thp_state {
	unsigned long flags;		/* 1 << enum transparent_hugepage_flag; atomic */
	struct folio *huge_zero_folio;	/* NULL until the first use; freed at shutdown */
	unsigned long huge_zero_pfn;	/* its pfn, 0 before */
	bool pmd_mapped_ever;		/* a PMD leaf was made: walkers look for them */
	struct khugepaged_state khugepaged;
};

struct thp_state *thp_state(void);

/* mm/khugepaged.c: its state, files and work (the thp initcall calls them). */
int khugepaged_init(struct thp_state *ts);
void khugepaged_exit(struct thp_state *ts);

/* mm/rmap.c: drop a PMD mapping without the munlock (split_huge_pmd). */
void __folio_remove_rmap_pmd(struct folio *folio);

#endif
