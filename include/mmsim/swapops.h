/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swapops.h - swap entries as Linux's <linux/swapops.h> has them: the
 * arch-independent swp_entry_t (type, offset) and its form in a non-present
 * PTE, which is each arch's real encoding (x86_64 with the inverted offset
 * of the L1TF mitigation, i386 2-level and PAE, arm64 with 4K/16K/64K
 * pages): arch/swap_pte.c.  A PTE is a swap PTE iff it is neither none nor
 * present (mmsim has no migration/hwpoison/marker entries yet: every
 * non-present, non-none user PTE is a swap entry).
 */
#ifndef MMSIM_SWAPOPS_H
#define MMSIM_SWAPOPS_H

#include <mmsim/swap.h>
#include <mmsim/pgtable.h>

static inline swp_entry_t swp_entry(unsigned long type, pgoff_t offset)
{
	return (swp_entry_t){ (type << SWP_TYPE_SHIFT) | (offset & SWP_OFFSET_MASK) };
}
static inline unsigned int swp_type(swp_entry_t entry)
{
	return (unsigned int)(entry.val >> SWP_TYPE_SHIFT);
}
static inline pgoff_t swp_offset(swp_entry_t entry)
{
	return entry.val & SWP_OFFSET_MASK;
}
static inline bool non_swap_entry(swp_entry_t entry)
{
	return swp_type(entry) >= MAX_SWAPFILES;
}
static inline bool is_swap_pte(pte_t pte)
{
	return !pte_none(pte) && !pte_present(pte);
}

/* The arch's encoding (arch/swap_pte.c), for the current machine's geometry. */
swp_entry_t pte_to_swp_entry(pte_t pte);
pte_t swp_entry_to_pte(swp_entry_t entry);
/* PageAnonExclusive carried through swap (_PAGE_SWP_EXCLUSIVE / PTE_SWP_EXCLUSIVE). */
bool pte_swp_exclusive(pte_t pte);
pte_t pte_swp_mkexclusive(pte_t pte);
pte_t pte_swp_clear_exclusive(pte_t pte);
/* The most slots one area can have on this arch (the offset bits of its PTE form). */
unsigned long max_swapfile_size(void);

#endif
