/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/memblock_internal.h - what mm/memblock.c (the region arrays) and
 * mm/memblock_alloc.c (the allocation API) share; not part of the API and
 * not for other files.  Grouped by the file that owns each name.
 */
#ifndef MMSIM_MM_MEMBLOCK_INTERNAL_H
#define MMSIM_MM_MEMBLOCK_INTERNAL_H

#include <mmsim/mm.h>
#include <mmsim/memblock.h>

/* Power-of-two rounding, as Linux's round_up()/round_down(). */
static inline phys_addr_t mb_round_up(phys_addr_t x, phys_addr_t align)
{
	return ((x - 1) | (align - 1)) + 1;
}

static inline phys_addr_t mb_round_down(phys_addr_t x, phys_addr_t align)
{
	return x & ~(align - 1);
}

/* %pa: physical addresses print with the width of the arch's phys_addr_t. */
static inline int pa_width(void)
{
	return current_layout && current_layout->arch == ARCH_I386 ? 8 : 16;
}

/*
 * MAX_NUMNODES for "any node" is deprecated, as in Linux: NUMA_NO_NODE
 * instead, with a warning once per call site (a macro, so that the warning
 * names the caller).
 */
#define memblock_nid_or_any(nid)					\
	(WARN_ONCE((nid) == MAX_NUMNODES,				\
		   "Usage of MAX_NUMNODES is deprecated. Use NUMA_NO_NODE instead\n") ? \
	 NUMA_NO_NODE : (nid))

/* mm/memblock.c: reserve [base, +size), tracing @caller for memblock=debug. */
int __memblock_reserve(phys_addr_t base, phys_addr_t size, const char *caller);

/* mm/memblock_alloc.c: free [start, end) space for memblock_double_array(). */
phys_addr_t memblock_find_in_range(phys_addr_t start, phys_addr_t end, phys_addr_t size,
				   phys_addr_t align);

#endif
