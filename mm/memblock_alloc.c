// SPDX-License-Identifier: GPL-2.0
/*
 * mm/memblock_alloc.c - the boot-time allocation API on top of memblock's
 * region arrays (mm/memblock.c).
 *
 * What it owns.  Finding free space and reserving it: memblock_alloc*(),
 * memblock_phys_alloc*() and the search under them,
 * memblock_find_in_range_node(); the allocation policy, which is the
 * direction (memblock_set_bottom_up) and the highest address allocations
 * may reach (memblock_set_current_limit); and memblock_find_in_range() for
 * memblock_double_array(), which needs space for a grown array.
 *
 * How an allocation works.  Free memory is memory - reserved, walked by
 * for_each_free_mem_range() (bottom-up) or its _reverse (top-down, the
 * default).  The search clamps each free range to [start, end), with end
 * capped at memblock.current_limit and start raised to PAGE_SIZE, and takes
 * the first aligned fit: the lowest one bottom-up, the highest top-down.
 * What it finds is reserved with __memblock_reserve(), so one allocation is
 * one new or grown region of memblock.reserved.  When mirrored memory
 * exists (MEMBLOCK_MIRROR) only it is searched first; failing that, a
 * warning and a search of all memory.  A request for a node falls back to
 * any node, except through memblock_alloc_exact_nid_raw(); one with a
 * min_addr retries from 0.
 *
 * Data structures: none of its own; it reads memblock.memory and
 * memblock.reserved through the iterators and changes them only through
 * __memblock_reserve().  Policy lives in memblock.bottom_up and
 * memblock.current_limit.
 *
 * Locking.  None, as for all of memblock: boot thread only (see
 * mm/memblock.c).
 *
 * Invariants, for every allocation that returns a block at physical p of
 * size bytes (a memblock_alloc*() pointer is __va(p)):
 *   p >= PAGE_SIZE (so 0 means failure), and p is a multiple of the
 *       alignment asked for (a power of two; 0 means SMP_CACHE_BYTES)
 *   max(start, PAGE_SIZE) <= p and p + size <= end, for the [start, end)
 *       of the search that found it; end is memblock.current_limit for
 *       MEMBLOCK_ALLOC_ACCESSIBLE, and memblock_alloc*() cap any end at it
 *   [p, p + size) lies in one memory region that is neither NOMAP nor
 *       driver-managed, and no byte of it was reserved before the call;
 *       after it every byte is (memblock_is_reserved)
 *   memblock_alloc*() whose name does not end in _raw return zeroed memory
 *   memblock_is_valid() holds before and after
 */
#include <mmsim/mm.h>
#include <mmsim/memblock.h>
#include <mmsim/printk.h>
#include "mm/memblock_internal.h"

#include <stdio.h>
#include <string.h>

#ifndef SMP_CACHE_BYTES
#define SMP_CACHE_BYTES		64	/* L1_CACHE_BYTES of every simulated arch */
#endif

/* Trace an allocation request, Linux's memblock_alloc_* format. */
static void memblock_dbg_alloc(const char *fn, phys_addr_t size, phys_addr_t align,
			       int nid, bool show_nid, phys_addr_t from,
			       phys_addr_t max_addr, const char *caller)
{
	int w = pa_width();
	char nidbuf[24] = "";

	if (!memblock.debug)
		return;
	if (show_nid)
		snprintf(nidbuf, sizeof(nidbuf), " nid=%d", nid);
	pr_info("%s: %llu bytes align=0x%llx%s from=0x%0*llx max_addr=0x%0*llx %s\n",
		fn, (unsigned long long)size, (unsigned long long)align, nidbuf,
		w, (unsigned long long)from, w, (unsigned long long)max_addr, caller);
}

/* Mirrored memory is preferred for allocations once some exists. */
static enum memblock_flags choose_memblock_flags(void)
{
	unsigned long i;

	for (i = 0; i < memblock.memory.cnt; i++)
		if (memblock_is_mirror(&memblock.memory.regions[i]))
			return MEMBLOCK_MIRROR;
	return MEMBLOCK_NONE;
}

/* Mirrored memory is short: say so, and search all memory from now on. */
static enum memblock_flags mirror_fallback(enum memblock_flags flags, phys_addr_t size)
{
	pr_warn("Could not allocate 0x%0*llx bytes of mirrored memory\n",
		pa_width(), (unsigned long long)size);
	return flags & ~MEMBLOCK_MIRROR;
}

/* ------------------------------------------------------------------ */
/* Finding free ranges                                                 */
/* ------------------------------------------------------------------ */

static phys_addr_t __memblock_find_range_bottom_up(phys_addr_t start, phys_addr_t end,
						   phys_addr_t size, phys_addr_t align,
						   int nid, enum memblock_flags flags)
{
	phys_addr_t this_start, this_end, cand;
	uint64_t i;

	for_each_free_mem_range(i, nid, flags, &this_start, &this_end, NULL) {
		this_start = clamp(this_start, start, end);
		this_end = clamp(this_end, start, end);

		cand = mb_round_up(this_start, align);
		if (cand < this_end && this_end - cand >= size)
			return cand;
	}
	return 0;
}

static phys_addr_t __memblock_find_range_top_down(phys_addr_t start, phys_addr_t end,
						  phys_addr_t size, phys_addr_t align,
						  int nid, enum memblock_flags flags)
{
	phys_addr_t this_start, this_end, cand;
	uint64_t i;

	for_each_free_mem_range_reverse(i, nid, flags, &this_start, &this_end, NULL) {
		this_start = clamp(this_start, start, end);
		this_end = clamp(this_end, start, end);

		if (this_end < size)
			continue;
		cand = mb_round_down(this_end - size, align);
		if (cand >= this_start)
			return cand;
	}
	return 0;
}

/*
 * Find @size bytes aligned to @align in the free ranges of node @nid (or any
 * node) within [@start, @end).  @end of MEMBLOCK_ALLOC_ACCESSIBLE (or
 * NOLEAKTRACE) means memblock.current_limit.  The first page is never
 * handed out, so 0 can mean "not found".
 */
static phys_addr_t memblock_find_in_range_node(phys_addr_t size, phys_addr_t align,
					       phys_addr_t start, phys_addr_t end,
					       int nid, enum memblock_flags flags)
{
	if (end == MEMBLOCK_ALLOC_ACCESSIBLE || end == MEMBLOCK_ALLOC_NOLEAKTRACE)
		end = memblock.current_limit;

	start = max_t(phys_addr_t, start, PAGE_SIZE);
	end = max(start, end);

	if (memblock.bottom_up)
		return __memblock_find_range_bottom_up(start, end, size, align, nid, flags);
	return __memblock_find_range_top_down(start, end, size, align, nid, flags);
}

/*
 * Find free space of @size bytes aligned to @align in [@start, @end) on any
 * node, mirrored memory first; 0 if there is none.  Nothing is reserved.
 */
phys_addr_t memblock_find_in_range(phys_addr_t start, phys_addr_t end, phys_addr_t size,
				   phys_addr_t align)
{
	enum memblock_flags flags = choose_memblock_flags();
	phys_addr_t ret;

again:
	ret = memblock_find_in_range_node(size, align, start, end, NUMA_NO_NODE, flags);
	if (!ret && (flags & MEMBLOCK_MIRROR)) {
		flags = mirror_fallback(flags, size);
		goto again;
	}
	return ret;
}

/* ------------------------------------------------------------------ */
/* Policy: direction and limit                                         */
/* ------------------------------------------------------------------ */

/** memblock_set_bottom_up - allocate from low addresses up when @enable. */
void memblock_set_bottom_up(bool enable)
{
	memblock.bottom_up = enable;
}

/** memblock_bottom_up - Return: true when allocations go bottom-up. */
bool memblock_bottom_up(void)
{
	return memblock.bottom_up;
}

/**
 * memblock_set_current_limit - set the highest address allocations may reach
 * @limit: end of the accessible memory (exclusive); %MEMBLOCK_ALLOC_ANYWHERE
 *	   for none
 */
void memblock_set_current_limit(phys_addr_t limit)
{
	memblock.current_limit = limit;
}

/** memblock_get_current_limit - Return: memblock.current_limit. */
phys_addr_t memblock_get_current_limit(void)
{
	return memblock.current_limit;
}

/* ------------------------------------------------------------------ */
/* Allocation                                                          */
/* ------------------------------------------------------------------ */

/*
 * memblock_alloc_range_nid - allocate boot memory block
 *
 * Find @size bytes aligned to @align in [@start, @end) on node @nid,
 * falling back to any node unless @exact_nid, and to non-mirrored memory
 * when mirrored memory is short; reserve what was found.
 * Returns the physical address, or 0.
 */
static phys_addr_t memblock_alloc_range_nid(phys_addr_t size, phys_addr_t align,
					    phys_addr_t start, phys_addr_t end, int nid,
					    bool exact_nid)
{
	enum memblock_flags flags = choose_memblock_flags();
	phys_addr_t found;

	nid = memblock_nid_or_any(nid);

	if (!align) {
		dump_stack();
		align = SMP_CACHE_BYTES;
	}

again:
	found = memblock_find_in_range_node(size, align, start, end, nid, flags);
	if (found && !__memblock_reserve(found, size, __func__))
		return found;

	if (nid != NUMA_NO_NODE && !exact_nid) {
		found = memblock_find_in_range_node(size, align, start, end,
						    NUMA_NO_NODE, flags);
		if (found && !__memblock_reserve(found, size, __func__))
			return found;
	}

	if (flags & MEMBLOCK_MIRROR) {
		flags = mirror_fallback(flags, size);
		goto again;
	}

	return 0;
}

/**
 * memblock_phys_alloc_range - allocate a memory block inside specified range
 * @size: size of memory block to be allocated in bytes
 * @align: alignment of the region and block's size
 * @start: the lower bound of the memory region to allocate (physical address)
 * @end: the upper bound of the memory region to allocate (physical address);
 *	 %MEMBLOCK_ALLOC_ACCESSIBLE means memblock.current_limit
 *
 * Allocate @size bytes in the between @start and @end.
 *
 * Return: physical address of the allocated memory block on success,
 * %0 on failure.
 */
phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end)
{
	memblock_dbg_alloc(__func__, size, align, NUMA_NO_NODE, false, start, end, __func__);
	return memblock_alloc_range_nid(size, align, start, end, NUMA_NO_NODE, false);
}

/**
 * memblock_phys_alloc_try_nid - allocate a memory block from specified NUMA node
 * @size: size of memory block to be allocated in bytes
 * @align: alignment of the region and block's size
 * @nid: nid of the free area to find, %NUMA_NO_NODE for any node
 *
 * Allocates memory block from the specified NUMA node. If the node
 * has no available memory, attempts to allocated from any node in the
 * system.
 *
 * Return: physical address of the allocated memory block on success,
 * %0 on failure.
 */
phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid)
{
	return memblock_alloc_range_nid(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid, false);
}

/*
 * memblock_alloc_internal - allocate a block and return its direct-map
 * address.  @max_addr is capped at memblock.current_limit; when nothing
 * fits above @min_addr, the search is retried from 0.
 */
static void *memblock_alloc_internal(phys_addr_t size, phys_addr_t align,
				     phys_addr_t min_addr, phys_addr_t max_addr,
				     int nid, bool exact_nid)
{
	phys_addr_t alloc;

	if (max_addr > memblock.current_limit)
		max_addr = memblock.current_limit;

	alloc = memblock_alloc_range_nid(size, align, min_addr, max_addr, nid, exact_nid);

	/* Retry without the lower limit. */
	if (!alloc && min_addr)
		alloc = memblock_alloc_range_nid(size, align, 0, max_addr, nid, exact_nid);

	if (!alloc)
		return NULL;

	return __va(alloc);
}

/**
 * memblock_alloc_exact_nid_raw - allocate boot memory block on the exact node
 * without zeroing memory
 * @size: size of memory block to be allocated in bytes
 * @align: alignment of the region and block's size
 * @min_addr: the lower bound of the memory region from where the allocation
 *	  is preferred (phys address)
 * @max_addr: the upper bound of the memory region from where the allocation
 *	      is preferred (phys address), or %MEMBLOCK_ALLOC_ACCESSIBLE to
 *	      allocate only from memory limited by memblock.current_limit value
 * @nid: nid of the free area to find, %NUMA_NO_NODE for any node
 *
 * Public function, provides additional debug information (including caller
 * info), if enabled. Does not zero allocated memory, and never falls back
 * to another node.
 *
 * Return: virtual address of the allocated memory block on success,
 * NULL on failure.
 */
void *memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align,
				   phys_addr_t min_addr, phys_addr_t max_addr, int nid)
{
	memblock_dbg_alloc(__func__, size, align, nid, true, min_addr, max_addr, __func__);
	return memblock_alloc_internal(size, align, min_addr, max_addr, nid, true);
}

/**
 * memblock_alloc_try_nid_raw - allocate boot memory block without zeroing
 * memory and without panicking
 * @size: size of memory block to be allocated in bytes
 * @align: alignment of the region and block's size
 * @min_addr: the lower bound of the memory region from where the allocation
 *	  is preferred (phys address)
 * @max_addr: the upper bound of the memory region from where the allocation
 *	      is preferred (phys address), or %MEMBLOCK_ALLOC_ACCESSIBLE to
 *	      allocate only from memory limited by memblock.current_limit value
 * @nid: nid of the free area to find, %NUMA_NO_NODE for any node
 *
 * Public function, provides additional debug information (including caller
 * info), if enabled. Does not zero allocated memory, does not panic if request
 * cannot be satisfied.
 *
 * Return: virtual address of the allocated memory block on success,
 * NULL on failure.
 */
void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align,
				 phys_addr_t min_addr, phys_addr_t max_addr, int nid)
{
	memblock_dbg_alloc(__func__, size, align, nid, true, min_addr, max_addr, __func__);
	return memblock_alloc_internal(size, align, min_addr, max_addr, nid, false);
}

/**
 * memblock_alloc_try_nid - allocate boot memory block
 * @size: size of memory block to be allocated in bytes
 * @align: alignment of the region and block's size
 * @min_addr: the lower bound of the memory region from where the allocation
 *	  is preferred (phys address)
 * @max_addr: the upper bound of the memory region from where the allocation
 *	      is preferred (phys address), or %MEMBLOCK_ALLOC_ACCESSIBLE to
 *	      allocate only from memory limited by memblock.current_limit value
 * @nid: nid of the free area to find, %NUMA_NO_NODE for any node
 *
 * Public function, provides additional debug information (including caller
 * info), if enabled. This function zeroes the allocated memory.
 *
 * Return: virtual address of the allocated memory block on success,
 * NULL on failure.
 */
void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
			     phys_addr_t max_addr, int nid)
{
	void *ptr;

	memblock_dbg_alloc(__func__, size, align, nid, true, min_addr, max_addr, __func__);
	ptr = memblock_alloc_internal(size, align, min_addr, max_addr, nid, false);
	if (ptr)
		memset(ptr, 0, size);
	return ptr;
}
