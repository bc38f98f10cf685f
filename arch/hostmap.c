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
 * address aliases the page exactly as the direct map does.
 * arch_unmap_range() puts the PROT_NONE reservation back (an anonymous
 * MAP_FIXED mapping, so the window stays reserved and accesses fault).
 *
 * Cost: each call is one mmap system call per run and one host VMA per
 * run; the host's vm.max_map_count (65530 by default) bounds the number of
 * runs alive in one process (docs/vmalloc.md).
 *
 * Thread safety: mmap on disjoint ranges needs no lock; callers own the
 * range they map (the vmap_area or the kmap slot).
 */
#define _GNU_SOURCE
#include <string.h>
#include <sys/mman.h>
#include "arch/machine.h"

int arch_map_pages_at(struct mmsim *m, void *host_addr, struct page **pages, unsigned int nr);
int arch_unmap_range(struct mmsim *m, void *host_addr, size_t size);

/* Where physical address @pa lives in the memfd, or -1. */
static off_t hostmap_memfd_offset(const struct mmsim *m, phys_addr_t pa)
{
	for (int i = 0; i < m->nr_banks; i++) {
		const struct ram_bank *b = &m->banks[i];

		if (pa >= b->start && pa < b->start + b->size)
			return b->memfd_offset + (off_t)(pa - b->start);
	}
	return -1;
}

static off_t page_memfd_offset(const struct mmsim *m, const struct page *page)
{
	unsigned long pfn = (unsigned long)(page - m->layout.vmemmap);

	return hostmap_memfd_offset(m, (phys_addr_t)pfn << m->layout.page_shift);
}

/**
 * arch_map_pages_at - map @nr pages at @host_addr, in order
 * @m: the machine
 * @host_addr: page-aligned host address inside a reserved window
 * @pages: the pages; runs consecutive in the memfd share one mmap
 * @nr: how many
 *
 * Return: the number of mmap calls made (>= 1 when @nr), or -ENOMEM
 * (host out of mappings: vm.max_map_count) / -EINVAL (a page outside RAM).
 * On failure the pages mapped so far stay mapped; the caller unmaps the
 * whole range.
 */
int arch_map_pages_at(struct mmsim *m, void *host_addr, struct page **pages, unsigned int nr)
{
	size_t ps = m->layout.page_size;
	char *addr = host_addr;
	int calls = 0;

	for (unsigned int i = 0; i < nr;) {
		off_t off = page_memfd_offset(m, pages[i]);
		unsigned int j = i + 1;

		if (off < 0)
			return -EINVAL;
		while (j < nr && page_memfd_offset(m, pages[j]) == off + (off_t)((j - i) * ps))
			j++;
		if (mmap(addr + i * ps, (j - i) * ps, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED, m->memfd, off) == MAP_FAILED)
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
int arch_unmap_range(struct mmsim *m, void *host_addr, size_t size)
{
	(void)m;
	if (!size)
		return 0;
	if (mmap(host_addr, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE,
		 -1, 0) == MAP_FAILED)
		return -ENOMEM;
	return 0;
}
