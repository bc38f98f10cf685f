// SPDX-License-Identifier: GPL-2.0
/*
 * arch/swap_pte.c - swap entries in non-present PTEs, in each simulated
 * arch's real encoding (Linux's __swp_entry / __swp_type / __swp_offset
 * and _PAGE_SWP_EXCLUSIVE / PTE_SWP_EXCLUSIVE).  <mmsim/swapops.h> has the
 * arch-independent swp_entry_t (type << SWP_TYPE_SHIFT | offset); this file
 * turns it into the bits a page table holds and back.
 *
 * x86_64, x86_64-la57 and i386-pae (arch/x86/include/asm/pgtable_64.h,
 * pgtable-3level.h): 64-bit entries
 *	| TYPE (59-63) | ~OFFSET (9-58) | 0 (G, 8) | 0 (PSE, 7) | X X X | E (3) | F | SD | 0 (P) |
 *   the offset is stored inverted (the L1TF mitigation: a stale
 *   non-present entry then points above the top of physical memory), the
 *   type in the top five bits, PG_anon_exclusive in bit 3 (_PAGE_PWT).
 *   Bits 0 (present) and 8 (PROTNONE) stay clear: pte_present() is false,
 *   and the inverted offset makes the entry non-zero (never pte_none).
 * i386 2-level (pgtable-2level.h): 32-bit entries
 *	| OFFSET (9-31) | 0 (8) | E (7) | 0 (6) | TYPE (1-5) | 0 (P) |
 *   no inversion (PAE is needed for the mitigation), exclusive in bit 7.
 * arm64 (Linux 6.2..6.9 layout, matching mmsim's PTE_PROT_NONE in bit 58),
 * every granule (4K, 16K, 64K) alike:
 *	| 0 (PROT_NONE, 58) | OFFSET (8-57) | TYPE (3-7) | E (2) | 0 0 (valid, table) |
 *
 * max_swapfile_size() is Linux's generic_max_swapfile_size(): the largest
 * offset that survives the round trip entry -> PTE -> entry, plus one.  On
 * the 32-bit arches the simulated kernel's swp_entry_t is 32 bits wide
 * (BITS_PER_XA_VALUE 31, so offsets of 26 bits), which bounds PAE; the
 * 2-level PTE holds 23.  x86_64's L1TF cap (MAX_PA / 2) is not applied: the
 * simulated CPUs do not have X86_BUG_L1TF.
 *
 * Pure functions of the entry and the machine's geometry: no state, no
 * locking.  Invariant (tests/test_swap_pte.c): for every type < MAX_SWAPFILES
 * and offset < max_swapfile_size(), pte_to_swp_entry(swp_entry_to_pte(e))
 * == e, the PTE is !pte_none && !pte_present, and the exclusive bit
 * round-trips without changing the entry.
 */
#include <mmsim/swapops.h>

#define X86_SWP_TYPE_BITS	5
#define X86_SWP_OFFSET_FIRST	9	/* _PAGE_BIT_PROTNONE + 1 */
#define X86_SWP_OFFSET_SHIFT	(X86_SWP_OFFSET_FIRST + X86_SWP_TYPE_BITS)
#define X86_SWP_EXCLUSIVE	_PAGE_PWT		/* 64-bit and PAE */
#define I386_SWP_TYPE_SHIFT	1			/* _PAGE_BIT_PRESENT + 1 */
#define I386_SWP_OFFSET_SHIFT	9
#define I386_SWP_EXCLUSIVE	_PAGE_PSE
#define ARM64_SWP_TYPE_SHIFT	3
#define ARM64_SWP_TYPE_BITS	5
#define ARM64_SWP_OFFSET_SHIFT	(ARM64_SWP_TYPE_SHIFT + ARM64_SWP_TYPE_BITS)
#define ARM64_SWP_OFFSET_BITS	50
#define ARM64_SWP_EXCLUSIVE	(1ULL << 2)
/* A 32-bit kernel's swp_entry_t: BITS_PER_XA_VALUE (31) - MAX_SWAPFILES_SHIFT. */
#define SWP_OFFSET_BITS_32	(31 - MAX_SWAPFILES_SHIFT)

enum swp_fmt { SWP_FMT_X86_64, SWP_FMT_I386, SWP_FMT_ARM64 };

static enum swp_fmt swp_fmt(void)
{
	switch (current_layout->arch) {
	case ARCH_I386:
		return SWP_FMT_I386;
	case ARCH_ARM64:
		return SWP_FMT_ARM64;
	default:
		return SWP_FMT_X86_64;	/* x86_64, la57 and PAE share the 64-bit layout */
	}
}

static u64 swp_exclusive_bit(void)
{
	switch (swp_fmt()) {
	case SWP_FMT_I386:
		return I386_SWP_EXCLUSIVE;
	case SWP_FMT_ARM64:
		return ARM64_SWP_EXCLUSIVE;
	default:
		return X86_SWP_EXCLUSIVE;
	}
}

/* The simulated kernel's own offset mask (narrower on 32-bit arches). */
static unsigned long kernel_offset_mask(void)
{
	enum mmsim_arch a = current_layout->arch;

	if (a == ARCH_I386 || a == ARCH_I386_PAE)
		return (1UL << SWP_OFFSET_BITS_32) - 1;
	return SWP_OFFSET_MASK;
}

pte_t swp_entry_to_pte(swp_entry_t entry)
{
	u64 type = swp_type(entry), off = swp_offset(entry) & kernel_offset_mask();

	switch (swp_fmt()) {
	case SWP_FMT_I386:
		return __pte((u32)(((type & 0x1f) << I386_SWP_TYPE_SHIFT) |
				   (off << I386_SWP_OFFSET_SHIFT)));
	case SWP_FMT_ARM64:
		return __pte(((type & 0x1f) << ARM64_SWP_TYPE_SHIFT) |
			     ((off & ((1ULL << ARM64_SWP_OFFSET_BITS) - 1)) << ARM64_SWP_OFFSET_SHIFT));
	default:
		return __pte((~off << X86_SWP_OFFSET_SHIFT >> X86_SWP_TYPE_BITS) |
			     (type << (64 - X86_SWP_TYPE_BITS)));
	}
}

swp_entry_t pte_to_swp_entry(pte_t pte)
{
	u64 v = pte_val(pte) & ~swp_exclusive_bit();	/* pte_swp_clear_flags */
	unsigned long type, off;

	switch (swp_fmt()) {
	case SWP_FMT_I386:
		v &= 0xffffffffULL;
		type = (unsigned long)((v >> I386_SWP_TYPE_SHIFT) & 0x1f);
		off = (unsigned long)(v >> I386_SWP_OFFSET_SHIFT);
		break;
	case SWP_FMT_ARM64:
		type = (unsigned long)((v >> ARM64_SWP_TYPE_SHIFT) & 0x1f);
		off = (unsigned long)((v >> ARM64_SWP_OFFSET_SHIFT) &
				      ((1ULL << ARM64_SWP_OFFSET_BITS) - 1));
		break;
	default:
		type = (unsigned long)(v >> (64 - X86_SWP_TYPE_BITS));
		off = (unsigned long)(~v << X86_SWP_TYPE_BITS >> X86_SWP_OFFSET_SHIFT);
		break;
	}
	return swp_entry(type, off & kernel_offset_mask());
}

bool pte_swp_exclusive(pte_t pte)
{
	return pte_val(pte) & swp_exclusive_bit();
}

pte_t pte_swp_mkexclusive(pte_t pte)
{
	return __pte(pte_val(pte) | swp_exclusive_bit());
}

pte_t pte_swp_clear_exclusive(pte_t pte)
{
	return __pte(pte_val(pte) & ~swp_exclusive_bit());
}

unsigned long max_swapfile_size(void)
{
	swp_entry_t e = pte_to_swp_entry(swp_entry_to_pte(swp_entry(0, ~0UL)));

	return swp_offset(e) + 1;
}
