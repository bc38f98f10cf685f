// SPDX-License-Identifier: GPL-2.0
/*
 * arch/hostmap.c - host mappings of simulated RAM pages at chosen host
 * addresses: the hardware side of vmalloc, vmap, vm_map_ram, kmap and the
 * fixmap.
 *
 * The vmalloc, pkmap and fixmap windows are reserved PROT_NONE at boot
 * (arch/setup.c).  arch_map_pages_at() maps pages of the RAM memfd into a
 * window with MAP_FIXED | MAP_SHARED, one mmap per run of pages that are
 * consecutive in the memfd (consecutive pfns in one RAM bank), so the host
 * address aliases the page exactly as the direct map does.  The host fills
 * its own page-table entries on the first touch of each page (a minor
 * fault; the simulated PTEs are all set by the caller, as Linux's
 * vmap_pages_range() sets them).  MAP_POPULATE would fill them in the same
 * call, but costs about as much as one fault even for a single page, so it
 * pays only when most pages of a large area are touched soon; vmalloc
 * memory is often touched sparsely (test_vmalloc touches one byte).
 * arch_unmap_range() puts the PROT_NONE reservation back (an
 * anonymous MAP_FIXED mapping, so the window stays reserved and accesses
 * fault); one call covers any span, however many mappings it replaces.
 * arch_protect_none_range() makes a range inaccessible with mprotect and
 * keeps its mappings (and host VMAs): about a third of the cost, and a
 * later map at the same place replaces a VMA instead of splitting one.
 *
 * Cost: each map is one mmap system call per run and one host VMA per
 * run; the host's vm.max_map_count (65530 by default) bounds the number of
 * runs alive in one process (docs/vmalloc.md).  Callers keep runs few
 * (mm/vmalloc.c allocates an area's pages in large orders) and batch
 * unmaps (mm/vmalloc.c protects at the lazy purge, one mprotect per purged
 * run, and puts the reservation back only past a quarter of
 * vm.max_map_count or when the host refuses a map).
 *
 * The address windows: host_to_kva() and kva_to_host() convert between a
 * host pointer of a kernel window and its simulated kernel virtual address
 * (DESIGN §1.2); the windows agree modulo 1 GiB (arch/setup.c).
 *
 * Thread safety: mmap on disjoint ranges needs no lock; callers own the
 * range they map (the vmap_area or the kmap slot).  The conversions read
 * the machine's layout, fixed at boot.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "arch/hostmap.h"

/* Where physical address @pa lives in the memfd, or -1. */
static off_t hostmap_memfd_offset(const struct machine_hw *hw, phys_addr_t pa)
{
	for (int i = 0; i < hw->nr_banks; i++) {
		const struct ram_bank *b = &hw->banks[i];

		if (pa >= b->start && pa < b->start + b->size)
			return b->memfd_offset + (off_t)(pa - b->start);
	}
	return -1;
}

static off_t page_memfd_offset(const struct machine_hw *hw, const struct page *page)
{
	unsigned long pfn = (unsigned long)(page - hw->layout.vmemmap);

	return hostmap_memfd_offset(hw, (phys_addr_t)pfn << hw->layout.page_shift);
}

/**
 * arch_map_pages_at - map @nr pages at @host_addr, in order
 * @host_addr: page-aligned host address inside a reserved window
 * @pages: the pages; runs consecutive in the memfd share one mmap
 * @nr: how many
 *
 * Return: the number of mmap calls made (>= 1 when @nr), or -ENOMEM
 * (host out of mappings: vm.max_map_count) / -EINVAL (a page outside RAM).
 * On failure the pages mapped so far stay mapped; the caller unmaps the
 * whole range.
 */
int arch_map_pages_at(void *host_addr, struct page **pages, unsigned int nr)
{
	const struct machine_hw *hw = current_hw();
	size_t ps = hw->layout.page_size;
	char *addr = host_addr;
	int calls = 0;

	for (unsigned int i = 0; i < nr;) {
		off_t off = page_memfd_offset(hw, pages[i]);
		unsigned int j = i + 1;

		if (off < 0)
			return -EINVAL;
		while (j < nr && page_memfd_offset(hw, pages[j]) == off + (off_t)((j - i) * ps))
			j++;
		if (mmap(addr + i * ps, (j - i) * ps, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, hw->memfd, off) == MAP_FAILED)
			return -ENOMEM;
		calls++;
		i = j;
	}
	return calls;
}

/**
 * arch_unmap_range - put the PROT_NONE reservation back over @size bytes
 * at @host_addr (page aligned).  Return: 0 or -ENOMEM.
 */
int arch_unmap_range(void *host_addr, size_t size)
{
	if (!size)
		return 0;
	if (mmap(host_addr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
		 -1, 0) == MAP_FAILED)
		return -ENOMEM;
	return 0;
}

/**
 * arch_protect_none_range - make @size bytes at @host_addr (page aligned)
 * inaccessible, keeping the mappings there: mprotect(PROT_NONE).  Cheaper
 * than arch_unmap_range() when the range holds mappings (the host's VMAs
 * stay as they are, and a later MAP_FIXED over exactly one of them
 * replaces it without a split), but the VMAs stay too: the caller bounds
 * how many it leaves behind (arch_max_map_count()) and collapses them
 * with arch_unmap_range().  Return: 0 or -ENOMEM (the host would need to
 * split VMAs beyond vm.max_map_count).
 */
int arch_protect_none_range(void *host_addr, size_t size)
{
	if (size && mprotect(host_addr, size, PROT_NONE))
		return -ENOMEM;
	return 0;
}

/**
 * arch_protect_rw_range - make @size bytes at @host_addr (page aligned)
 * readable and writable again, after arch_protect_none_range(): the
 * direct map's guard pages of KFENCE and debug_pagealloc.  Opening one
 * page inside a protected run splits a host VMA, so this can fail too.
 * Return: 0 or -ENOMEM.
 */
int arch_protect_rw_range(void *host_addr, size_t size)
{
	if (size && mprotect(host_addr, size, PROT_READ | PROT_WRITE))
		return -ENOMEM;
	return 0;
}

/* The host's vm.max_map_count (65530, its default, if it cannot be read). */
unsigned long arch_max_map_count(void)
{
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	unsigned long n = 0;

	if (f) {
		if (fscanf(f, "%lu", &n) != 1)
			n = 0;
		fclose(f);
	}
	return n ? n : 65530;
}

/* ---------------------------------------------------------------------
 * Address windows
 */

static bool in_window(const char *p, const char *base, unsigned long size)
{
	return base && p >= base && (unsigned long)(p - base) < size;
}

static unsigned long fixmap_bytes(const struct mm_layout *l)
{
	return l->fixaddr_top - l->fixaddr_start + l->page_size;
}

/* host_to_kva() for the machine of layout @l (the trap's, which may not be current). */
unsigned long layout_host_to_kva(const struct mm_layout *l, const void *ptr)
{
	const char *p = ptr;

	if (in_window(p, l->direct_map, l->direct_map_size))
		return l->page_offset + (unsigned long)(p - l->direct_map);
	if (in_window(p, l->vmalloc_host, l->vmalloc_host_size))
		return l->vmalloc_start + (unsigned long)(p - l->vmalloc_host);
	if (in_window(p, l->pkmap_host, (unsigned long)l->last_pkmap << l->page_shift))
		return l->pkmap_base + (unsigned long)(p - l->pkmap_host);
	if (in_window(p, l->fixmap_host, fixmap_bytes(l)))
		return l->fixaddr_start + (unsigned long)(p - l->fixmap_host);
	return 0;
}

unsigned long host_to_kva(const void *ptr)
{
	return layout_host_to_kva(current_layout, ptr);
}

void *kva_to_host(unsigned long kva)
{
	const struct mm_layout *l = current_layout;

	if (kva - l->page_offset < l->direct_map_size)
		return l->direct_map + (kva - l->page_offset);
	if (kva - l->vmalloc_start < l->vmalloc_host_size)
		return l->vmalloc_host + (kva - l->vmalloc_start);
	if (l->pkmap_host && kva - l->pkmap_base < ((unsigned long)l->last_pkmap << l->page_shift))
		return l->pkmap_host + (kva - l->pkmap_base);
	if (kva - l->fixaddr_start < fixmap_bytes(l))
		return l->fixmap_host + (kva - l->fixaddr_start);
	return NULL;
}

unsigned long phys_to_kva(phys_addr_t pa)
{
	return current_layout->page_offset + (unsigned long)(pa - current_layout->phys_offset);
}

void *arch_map_shadow(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		       -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void arch_unmap_shadow(void *shadow, size_t size)
{
	if (shadow)
		munmap(shadow, size);
}
