/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch/layout.h - fixed virtual addresses of each simulated arch that only
 * show in what the kernel prints: the vmemmap base (VMEMMAP_START) and the
 * kernel image's link address (__START_KERNEL_map, KIMAGE_VADDR).
 *
 * What it owns.  The constants below, read through static inline functions
 * of the machine's struct mm_layout.  Nothing is mapped at these addresses
 * in mmsim: the struct pages and the kernel image live in host memory, and
 * the addresses exist so that the boot log's "Virtual kernel memory layout"
 * and dump_page() print what Linux prints on that arch.
 *
 * Data structures: none; no state.  Locking: none (pure functions of a
 * layout fixed at boot).
 *
 * Invariants:
 *   arch_vmemmap_start(l) is the same for every layout of one arch, and
 *       (on 64-bit arches) lies above l->vmalloc_end; 32-bit arches have no
 *       vmemmap and get a made-up base under the fixmap, 0xf8000000
 *   arch_kimage_vaddr(l, l->phys_offset + x) == arch_kimage_vaddr(l,
 *       l->phys_offset) + x (the image is mapped linearly)
 *
 * Layering: included by mm/ (and may be by arch/); includes only <mmsim/...>.
 */
#ifndef MMSIM_ARCH_LAYOUT_H
#define MMSIM_ARCH_LAYOUT_H

#include <mmsim/mm.h>

/* x86-64 and arm64 VMEMMAP_START (4-level x86, 5-level x86, arm64 48-bit). */
#define X86_64_VMEMMAP_START		0xffffea0000000000UL
#define X86_64_LA57_VMEMMAP_START	0xffd4000000000000UL
#define ARM64_VMEMMAP_START		0xfffffc0000000000UL
#define X86_32_FAKE_VMEMMAP_START	0xf8000000UL	/* no vmemmap on 32-bit */

/* x86-64 __START_KERNEL_map; arm64 KIMAGE_VADDR (the image's first byte). */
#define X86_64_START_KERNEL_MAP		0xffffffff80000000UL
#define ARM64_KIMAGE_VADDR		0xffff800080000000UL

/* VMEMMAP_START: the simulated address of pfn_to_page(0). */
static inline unsigned long arch_vmemmap_start(const struct mm_layout *l)
{
	switch (l->arch) {
	case ARCH_X86_64:
		return X86_64_VMEMMAP_START;
	case ARCH_X86_64_LA57:
		return X86_64_LA57_VMEMMAP_START;
	case ARCH_ARM64:
		return ARM64_VMEMMAP_START;
	default:
		return X86_32_FAKE_VMEMMAP_START;
	}
}

/*
 * The simulated virtual address of the kernel image loaded at physical
 * @kernel_start: x86-64 maps it at __START_KERNEL_map + phys, arm64 at
 * KIMAGE_VADDR + its offset in RAM, 32-bit x86 in the direct map.
 */
static inline unsigned long arch_kimage_vaddr(const struct mm_layout *l, phys_addr_t kernel_start)
{
	switch (l->arch) {
	case ARCH_X86_64:
	case ARCH_X86_64_LA57:
		return X86_64_START_KERNEL_MAP + (unsigned long)kernel_start;
	case ARCH_ARM64:
		return ARM64_KIMAGE_VADDR + (unsigned long)(kernel_start - l->phys_offset);
	default:
		return l->page_offset + (unsigned long)(kernel_start - l->phys_offset);
	}
}

#endif
