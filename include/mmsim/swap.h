/* SPDX-License-Identifier: GPL-2.0 */
/*
 * include/mmsim/swap.h - the LRU lists' interface (mm/swap.c), Linux's
 * <linux/swap.h> / <linux/mm_inline.h> names.  See mm/swap.c for the
 * design, locking and invariants.
 */
#ifndef MMSIM_SWAP_H
#define MMSIM_SWAP_H

#include <mmsim/mmzone.h>
#include <mmsim/mm_types.h>

#define PAGEVEC_SIZE 31

struct vm_area_struct;

void lruvec_init(struct lruvec *lruvec);
struct lruvec *folio_lruvec(struct folio *folio);

void folio_add_lru(struct folio *folio);
void folio_add_lru_vma(struct folio *folio, struct vm_area_struct *vma);
void lru_add_drain(void);
void lru_add_drain_cpu(int cpu);
void lru_add_drain_all(void);

void folio_activate(struct folio *folio);
void folio_mark_accessed(struct folio *folio);
void folio_deactivate(struct folio *folio);
void folio_mark_lazyfree(struct folio *folio);

/* mlock: an LRU folio moves to or from LRU_UNEVICTABLE. */
void folio_lru_mlock(struct folio *folio);
void folio_lru_munlock(struct folio *folio);

/* The last reference is gone: off the LRU before the allocator sees it. */
void __page_cache_release(struct folio *folio);

/* The lists match their counters and flags (WARNs and false if not). */
bool lru_is_valid(pg_data_t *pgdat);
bool lru_all_valid(void);
unsigned long lruvec_list_size(struct lruvec *lruvec, enum lru_list lru);

#endif
