/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/huge_memory_internal.h - what mm/huge_memory*.c and mm/rmap.c share
 * about transparent huge pages: the per-machine state of the "thp"
 * subsystem (mm/huge_memory_files.c defines it).  Not installed.
 */
#ifndef MMSIM_MM_HUGE_MEMORY_INTERNAL_H
#define MMSIM_MM_HUGE_MEMORY_INTERNAL_H

#include <mmsim/huge_mm.h>

/* Per-machine state of subsystem "thp". */
struct thp_state {
	unsigned long flags;		/* 1 << enum transparent_hugepage_flag; atomic */
	struct folio *huge_zero_folio;	/* NULL until the first use; freed at shutdown */
	unsigned long huge_zero_pfn;	/* its pfn, 0 before */
	bool pmd_mapped_ever;		/* a PMD leaf was made: walkers look for them */
};

struct thp_state *thp_state(void);

/* mm/rmap.c: drop a PMD mapping without the munlock (split_huge_pmd). */
void __folio_remove_rmap_pmd(struct folio *folio);

#endif
