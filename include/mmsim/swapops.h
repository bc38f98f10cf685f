/* SPDX-License-Identifier: GPL-2.0 */
/*
 * swapops.h - swap entries as Linux's <linux/swapops.h> has them: the
 * arch-independent swp_entry_t (type, offset) and its form in a non-present
 * PTE, which is each arch's real encoding (x86_64 with the inverted offset
 * of the L1TF mitigation, i386 2-level and PAE, arm64 with 4K/16K/64K
 * pages): arch/swap_pte.c.  A PTE is a swap PTE iff it is neither none nor
 * present; its entry is a real swap slot unless non_swap_entry() -- a
 * migration entry (type SWP_MIGRATION_READ/READ_EXCLUSIVE/WRITE, offset the
 * pfn of the locked page being migrated, with Linux's young and dirty bits
 * above the pfn where the arch's offset has room: migration_entry_supports_ad).
 * mmsim has no hwpoison, device-private or marker entries.
 */
#ifndef MMSIM_SWAPOPS_H
#define MMSIM_SWAPOPS_H

#include <mmsim/swap.h>
#include <mmsim/pgtable.h>
#include <mmsim/mm.h>

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

/* ---- migration entries (Linux's <linux/swapops.h>) ---- */

/*
 * The pfn bits of a migration entry's offset: MAX_PHYSMEM_BITS - PAGE_SHIFT
 * of the machine's arch (x86_64 46, la57 52, arm64 48, i386 32, PAE 36),
 * never more than the offset holds.  The young bit sits just above, the
 * dirty bit above that (SWP_MIG_YOUNG_BIT, SWP_MIG_DIRTY_BIT).
 */
static inline unsigned int swp_pfn_bits(void)
{
	static const unsigned char physmem_bits[] = {
		[ARCH_X86_64] = 46, [ARCH_X86_64_LA57] = 52, [ARCH_I386] = 32,
		[ARCH_I386_PAE] = 36, [ARCH_ARM64] = 48,
	};
	unsigned int bits = physmem_bits[current_layout->arch] - current_layout->page_shift;

	return bits < SWP_TYPE_SHIFT ? bits : SWP_TYPE_SHIFT;
}
#define SWP_PFN_BITS		swp_pfn_bits()
#define SWP_PFN_MASK		((1UL << SWP_PFN_BITS) - 1)
#define SWP_MIG_YOUNG_BIT	(SWP_PFN_BITS)
#define SWP_MIG_DIRTY_BIT	(SWP_PFN_BITS + 1)
#define SWP_MIG_TOTAL_BITS	(SWP_PFN_BITS + 2)
#define SWP_MIG_YOUNG		(1UL << SWP_MIG_YOUNG_BIT)
#define SWP_MIG_DIRTY		(1UL << SWP_MIG_DIRTY_BIT)

static inline bool is_migration_entry(swp_entry_t entry)
{
	unsigned int t = swp_type(entry);

	return t == SWP_MIGRATION_READ || t == SWP_MIGRATION_READ_EXCLUSIVE ||
	       t == SWP_MIGRATION_WRITE;
}
static inline bool is_writable_migration_entry(swp_entry_t entry)
{
	return swp_type(entry) == SWP_MIGRATION_WRITE;
}
static inline bool is_readable_migration_entry(swp_entry_t entry)
{
	return swp_type(entry) == SWP_MIGRATION_READ;
}
static inline bool is_readable_exclusive_migration_entry(swp_entry_t entry)
{
	return swp_type(entry) == SWP_MIGRATION_READ_EXCLUSIVE;
}
static inline swp_entry_t make_readable_migration_entry(pgoff_t offset)
{
	return swp_entry(SWP_MIGRATION_READ, offset);
}
static inline swp_entry_t make_readable_exclusive_migration_entry(pgoff_t offset)
{
	return swp_entry(SWP_MIGRATION_READ_EXCLUSIVE, offset);
}
static inline swp_entry_t make_writable_migration_entry(pgoff_t offset)
{
	return swp_entry(SWP_MIGRATION_WRITE, offset);
}
/* Entries that hold a pfn (Linux's is_pfn_swap_entry: migration only, here). */
static inline bool is_pfn_swap_entry(swp_entry_t entry)
{
	return is_migration_entry(entry);
}
static inline unsigned long swp_offset_pfn(swp_entry_t entry)
{
	return swp_offset(entry) & SWP_PFN_MASK;
}
static inline struct page *pfn_swap_entry_to_page(swp_entry_t entry)
{
	return pfn_to_page(swp_offset_pfn(entry));
}
static inline struct folio *pfn_swap_entry_folio(swp_entry_t entry)
{
	return (struct folio *)compound_head(pfn_swap_entry_to_page(entry));
}

/* The arch's offset keeps the A/D bits above the pfn (swap_migration_ad_supported). */
bool migration_entry_supports_ad(void);
static inline swp_entry_t make_migration_entry_young(swp_entry_t entry)
{
	if (migration_entry_supports_ad())
		return swp_entry(swp_type(entry), swp_offset(entry) | SWP_MIG_YOUNG);
	return entry;
}
static inline bool is_migration_entry_young(swp_entry_t entry)
{
	if (migration_entry_supports_ad())
		return swp_offset(entry) & SWP_MIG_YOUNG;
	return true;	/* keep the old behaviour: young */
}
static inline swp_entry_t make_migration_entry_dirty(swp_entry_t entry)
{
	if (migration_entry_supports_ad())
		return swp_entry(swp_type(entry), swp_offset(entry) | SWP_MIG_DIRTY);
	return entry;
}
static inline bool is_migration_entry_dirty(swp_entry_t entry)
{
	if (migration_entry_supports_ad())
		return swp_offset(entry) & SWP_MIG_DIRTY;
	return true;	/* keep the old behaviour: dirty */
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
