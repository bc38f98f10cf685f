// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_swap_pte.c - swap entries in PTEs, each arch's real encoding
 * (arch/swap_pte.c):
 *   - the exact bits of known entries: x86_64/la57/PAE with the inverted
 *     offset in bits 9-58 and the type in 59-63, exclusive in bit 3;
 *     i386 2-level with the type in bits 1-5, the offset from bit 9,
 *     exclusive in bit 7; arm64 (4K/16K/64K) with the type in bits 3-7,
 *     the offset in 8-57, exclusive in bit 2;
 *   - round trips of every type and a spread of offsets up to
 *     max_swapfile_size() - 1, with and without the exclusive bit;
 *   - a swap PTE is !pte_none && !pte_present (and not PROT_NONE);
 *   - max_swapfile_size(): 2^50 (64-bit x86 and arm64), 2^26 (PAE), 2^23
 *     (i386 2-level).
 */
#include <mmsim/swapops.h>
#include "mmtest.h"

static struct mmsim *m;

static void check_roundtrip(unsigned long type, unsigned long off)
{
	swp_entry_t e = swp_entry(type, off), back;
	pte_t pte = swp_entry_to_pte(e), x;

	/* x86_64's inverted offset: type 0, offset 2^50 - 1 is all zeros, as in Linux. */
	KT_ASSERT(!pte_none(pte) || (type == 0 && (off == 0 || off == max_swapfile_size() - 1)));
	KT_ASSERT(!pte_present(pte));
	KT_ASSERT(!pte_swp_exclusive(pte));
	back = pte_to_swp_entry(pte);
	KT_EQ_WHAT(back.val, e.val, "type %lu offset %#lx", type, off);
	x = pte_swp_mkexclusive(pte);
	KT_ASSERT(pte_swp_exclusive(x));
	KT_ASSERT(!pte_present(x) && !pte_none(x));	/* E is set: never none */
	KT_EQ(pte_to_swp_entry(x).val, e.val);
	KT_EQ(pte_val(pte_swp_clear_exclusive(x)), pte_val(pte));
	if (!pgt_geom()->arm64)
		KT_ASSERT(!(pte_val(x) & (_PAGE_PRESENT | _PAGE_PROTNONE)));
	else
		KT_ASSERT(!(pte_val(x) & (PTE_VALID | PTE_PROT_NONE)));
}

static void test_roundtrip(void)
{
	unsigned long max = max_swapfile_size();

	for (unsigned long type = 0; type < MAX_SWAPFILES; type++) {
		check_roundtrip(type, 1);
		check_roundtrip(type, 2);
		check_roundtrip(type, 255);
		check_roundtrip(type, 256);
		check_roundtrip(type, 0x12345 % max);
		check_roundtrip(type, max - 1);
		check_roundtrip(type, max / 2 + 1);
		for (unsigned long off = 1; off < max && off; off <<= 1)
			check_roundtrip(type, off);
	}
	/* Past the limit, the offset does not survive. */
	if (max < SWP_OFFSET_MASK)
		KT_ASSERT(swp_offset(pte_to_swp_entry(swp_entry_to_pte(swp_entry(0, max)))) != max);
}

static void test_bits(void)
{
	enum mmsim_arch a = current_layout->arch;
	pte_t p = swp_entry_to_pte(swp_entry(3, 5));

	switch (a) {
	case ARCH_X86_64:
	case ARCH_X86_64_LA57:
	case ARCH_I386_PAE:
		/* type 3 in 59-63; ~5 in 9-58 (low 50 bits of ~5) */
		KT_EQ(pte_val(p) >> 59, 3ULL);
		KT_EQ((pte_val(p) >> 9) & ((1ULL << 50) - 1), (~5ULL) & ((1ULL << 50) - 1));
		KT_EQ(pte_val(p) & 0x1ff, 0ULL);
		KT_EQ(pte_val(pte_swp_mkexclusive(p)) ^ pte_val(p), 1ULL << 3);
		KT_EQ(max_swapfile_size(), a == ARCH_I386_PAE ? 1UL << 26 : 1UL << 50);
		break;
	case ARCH_I386:
		KT_EQ(pte_val(p), (3ULL << 1) | (5ULL << 9));
		KT_EQ(pte_val(pte_swp_mkexclusive(p)) ^ pte_val(p), 1ULL << 7);
		KT_EQ(max_swapfile_size(), 1UL << 23);
		break;
	case ARCH_ARM64:
		KT_EQ(pte_val(p), (3ULL << 3) | (5ULL << 8));
		KT_EQ(pte_val(pte_swp_mkexclusive(p)) ^ pte_val(p), 1ULL << 2);
		KT_EQ(max_swapfile_size(), 1UL << 50);
		break;
	}
	/* The arch-independent entry: type in the top 5 bits of a long. */
	KT_EQ(swp_entry(3, 5).val, (3UL << SWP_TYPE_SHIFT) | 5);
	KT_EQ(swp_type(swp_entry(31, 7)), 31u);
	KT_EQ(swp_offset(swp_entry(31, 7)), 7ul);
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_bits);
	KT_RUN(test_roundtrip);
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=32M");
	run("arch=x86_64-la57 ram=32M");
	run("arch=i386 ram=32M");
	run("arch=i386-pae ram=32M");
	run("arch=arm64 ram=32M");
	run("arch=arm64 page_size=16K ram=64M");
	run("arch=arm64 page_size=64K ram=128M");
	return kt_done();
}
