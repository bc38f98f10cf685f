// SPDX-License-Identifier: GPL-2.0
/*
 * mm/memblock.c - the boot-time memory allocator: its region arrays.
 *
 * What it owns.  Before the buddy allocator exists, the machine's memory is
 * described by two sorted arrays of physical ranges (struct memblock_type):
 *
 *   memblock.memory    the RAM the firmware reported (memblock_add*), each
 *                      range with a node id and flags (HOTPLUG, MIRROR,
 *                      NOMAP, DRIVER_MANAGED)
 *   memblock.reserved  what is taken out of it: the kernel image, firmware
 *                      tables, and every memblock allocation
 *
 * This file owns the arrays and every change to them (add, remove,
 * reserve, free, flags, nodes, trim, mem= and the cap), the iterators, the
 * queries, the dump, the invariant check, and the end of memblock's life.
 * Free memory is the set difference memory - reserved, walked in address
 * order by __next_mem_range() (for_each_free_mem_range) and backwards by
 * __next_mem_range_rev().  The allocation API that searches it and
 * reserves what it finds, memblock_alloc*() and memblock_phys_alloc*(), is
 * mm/memblock_alloc.c; the two share mm/memblock_internal.h.  At the end
 * of boot memblock_free_all() marks every reserved page PG_reserved and
 * hands every free page to the buddy allocator.
 *
 * Data structures.  A type is an array regions[0..max) of which the first
 * cnt are in use.  An empty type still holds one dummy region {0, 0} and
 * cnt == 1, as in Linux, so regions[0] is always readable.  The initial
 * arrays are the per-machine struct memblock_state's memory_init_regions and
 * reserved_init_regions (INIT_MEMBLOCK_REGIONS each); when a type fills up
 * and memblock_allow_resize() has been called, memblock_double_array() finds
 * a new array twice the size in memblock itself, reserves it, and moves the
 * regions over.  Every change goes through three primitives:
 *
 *   memblock_add_range()      inserts the parts of [base, base + size) not
 *                             yet covered, then merges neighbours
 *   memblock_isolate_range()  splits regions at base and base + size so the
 *                             range is covered by whole regions [start, end)
 *   memblock_merge_regions()  joins touching regions of equal nid and flags
 *
 * Locking.  None: memblock runs single-threaded during boot and, after it,
 * only on the machine's boot thread (the thread that called mmsim_boot),
 * exactly as Linux runs it before SMP bring-up.  `memblock` names the state
 * of the calling thread's machine, so several machines do not share it.
 *
 * Invariants, for each type T in {memory, reserved}; memblock_is_valid()
 * checks all of them:
 *
 *   1 <= T.cnt <= T.max
 *   T.cnt == 1 && T.regions[0].size == 0  =>  T.regions[0].base == 0 and
 *       T.total_size == 0                      (the empty type's dummy)
 *   otherwise, for all i < T.cnt:  T.regions[i].size > 0 and
 *       T.regions[i].base + T.regions[i].size <= PHYS_ADDR_MAX (no wrap)
 *   for all i + 1 < T.cnt:  end(i) <= T.regions[i + 1].base
 *       (sorted by base, no overlap)
 *   for all i + 1 < T.cnt:  end(i) == base(i + 1)  =>  nid or flags differ
 *       (touching compatible regions are merged)
 *   T.total_size == sum over i < T.cnt of T.regions[i].size
 *
 * Differences from Linux, all small:
 *   - The arrays are never moved into slab memory: memblock is done before
 *     slab starts, so memblock_double_array() always allocates from memblock.
 *   - A resize before memblock_allow_resize() fails with -1 and a pr_err
 *     (recent Linux panics) so the machine can report it and go on.
 *   - memblock_trim_memory() keeps memory.total_size exact (Linux forgets
 *     to subtract what it trims) and memblock_cap_memory_range() merges the
 *     NOMAP pieces it leaves split, so the invariants above always hold.
 *   - memblock_free_all() frees free ranges above max_low_pfn too (highmem);
 *     Linux's x86-32 frees those from arch code.
 *   - The "%pS" caller in memblock=debug lines is a function name: the
 *     memblock function that made an internal call (memblock_alloc_range_nid,
 *     memblock_double_array), otherwise the entry point itself.
 *   - There is no movable_node parameter, so HOTPLUG regions are never
 *     skipped by the iterators, and no kmemleak or memory acceptance calls.
 *   - __next_mem_pfn_range() takes NUMA_NO_NODE as well as MAX_NUMNODES
 *     for "every node".
 */
#include <mmsim/mm.h>
#include <mmsim/memblock.h>
#include <mmsim/printk.h>
#include "mm/internal.h"	/* memblock_free_pages() (mm/page_alloc.c) */
#include "mm/memblock_internal.h"

#include <stdio.h>
#include <string.h>

#define memblock_dbg(fmt, ...)						\
	do {								\
		if (memblock.debug)					\
			pr_info(fmt, ##__VA_ARGS__);			\
	} while (0)

/* Trace a [base, base + size) request: "fn: [0x...-0x...] caller". */
static void memblock_dbg_range(const char *fn, phys_addr_t base, phys_addr_t size,
			       const char *caller)
{
	int w = pa_width();

	memblock_dbg("%s: [0x%0*llx-0x%0*llx] %s\n", fn, w, (unsigned long long)base,
		     w, (unsigned long long)(base + size - 1), caller);
}

/* Clip *size so that base + *size does not wrap; returns the new size. */
static inline phys_addr_t memblock_cap_size(phys_addr_t base, phys_addr_t *size)
{
	return *size = min(*size, PHYS_ADDR_MAX - base);
}

static inline bool memblock_addrs_overlap(phys_addr_t base1, phys_addr_t size1,
					  phys_addr_t base2, phys_addr_t size2)
{
	return base1 < (base2 + size2) && base2 < (base1 + size1);
}

/**
 * memblock_overlaps_region - does any region of @type intersect a range
 * @type: memblock type to look in
 * @base: start of the range
 * @size: size of the range
 *
 * Return: true if [@base, @base + @size) overlaps a region of @type.
 */
bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base,
			      phys_addr_t size)
{
	unsigned long i;

	memblock_cap_size(base, &size);
	for (i = 0; i < type->cnt; i++)
		if (memblock_addrs_overlap(base, size, type->regions[i].base,
					   type->regions[i].size))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* The region arrays                                                   */
/* ------------------------------------------------------------------ */

static void memblock_remove_region(struct memblock_type *type, unsigned long r)
{
	type->total_size -= type->regions[r].size;
	memmove(&type->regions[r], &type->regions[r + 1],
		(type->cnt - (r + 1)) * sizeof(type->regions[r]));
	type->cnt--;

	/* An empty type keeps its dummy region. */
	if (type->cnt == 0) {
		WARN_ON(type->total_size != 0);
		type->cnt = 1;
		type->regions[0].base = 0;
		type->regions[0].size = 0;
		type->regions[0].flags = 0;
		memblock_set_region_node(&type->regions[0], MAX_NUMNODES);
	}
}

static int __memblock_phys_free(phys_addr_t base, phys_addr_t size, const char *caller);

/*
 * memblock_double_array - make room in @type by doubling its array
 *
 * The new array comes from memblock itself, page aligned so it can be
 * released whole later; it must not land on [new_area_start, +size), the
 * range being reserved right now (only relevant when doubling reserved).
 * Returns 0 or -1.
 */
static int memblock_double_array(struct memblock_type *type, phys_addr_t new_area_start,
				  phys_addr_t new_area_size)
{
	struct memblock_region *new_array, *old_array;
	phys_addr_t old_alloc_size, new_alloc_size;
	phys_addr_t old_size, new_size, addr, new_end;

	if (!memblock.can_resize) {
		pr_err("memblock: cannot resize %s array\n", type->name);
		return -1;
	}

	old_size = type->max * sizeof(struct memblock_region);
	new_size = old_size << 1;
	old_alloc_size = PAGE_ALIGN(old_size);
	new_alloc_size = PAGE_ALIGN(new_size);

	if (type != &memblock.reserved)
		new_area_start = new_area_size = 0;

	addr = memblock_find_in_range(new_area_start + new_area_size,
				      memblock.current_limit, new_alloc_size, PAGE_SIZE);
	if (!addr && new_area_size)
		addr = memblock_find_in_range(0, min(new_area_start, memblock.current_limit),
					      new_alloc_size, PAGE_SIZE);
	if (!addr) {
		pr_err("memblock: Failed to double %s array from %lu to %lu entries !\n",
		       type->name, type->max, type->max * 2);
		return -1;
	}

	new_array = __va(addr);
	new_end = addr + new_size - 1;
	memblock_dbg("memblock: %s is doubled to %lu at [0x%0*llx-0x%0*llx]\n",
		     type->name, type->max * 2, pa_width(), (unsigned long long)addr,
		     pa_width(), (unsigned long long)new_end);

	/*
	 * Move the regions before reserving the new array: the full array may
	 * be the reserved one itself.
	 */
	memcpy(new_array, type->regions, old_size);
	memset(new_array + type->max, 0, old_size);
	old_array = type->regions;
	type->regions = new_array;
	type->max <<= 1;

	/* The initial arrays are part of struct memblock_state; others were reserved. */
	if (old_array != memblock.memory_init_regions &&
	    old_array != memblock.reserved_init_regions)
		__memblock_phys_free(__pa(old_array), old_alloc_size, __func__);

	if (__memblock_reserve(addr, new_alloc_size, __func__)) {
		BUG();
		return -1;
	}
	return 0;
}

/*
 * Merge touching regions of equal nid and flags among regions
 * [start_rgn - 1, end_rgn] of @type: the only places a change between
 * start_rgn and end_rgn can have made mergeable.
 */
static void memblock_merge_regions(struct memblock_type *type, unsigned long start_rgn,
				   unsigned long end_rgn)
{
	unsigned long i = start_rgn ? start_rgn - 1 : 0;

	end_rgn = min(end_rgn, type->cnt - 1);
	while (i < end_rgn) {
		struct memblock_region *this = &type->regions[i];
		struct memblock_region *next = &type->regions[i + 1];

		if (this->base + this->size != next->base ||
		    memblock_get_region_node(this) != memblock_get_region_node(next) ||
		    this->flags != next->flags) {
			BUG_ON(this->base + this->size > next->base);
			i++;
			continue;
		}

		this->size += next->size;
		memmove(next, next + 1, (type->cnt - (i + 2)) * sizeof(*next));
		type->cnt--;
		end_rgn--;
	}
}

/* Insert a region at @idx; the caller guarantees room and order. */
static void memblock_insert_region(struct memblock_type *type, unsigned long idx,
				   phys_addr_t base, phys_addr_t size, int nid,
				   enum memblock_flags flags)
{
	struct memblock_region *rgn = &type->regions[idx];

	BUG_ON(type->cnt >= type->max);
	memmove(rgn + 1, rgn, (type->cnt - idx) * sizeof(*rgn));
	rgn->base = base;
	rgn->size = size;
	rgn->flags = flags;
	memblock_set_region_node(rgn, nid);
	type->cnt++;
	type->total_size += size;
}

/*
 * memblock_add_range - add [base, base + size) to @type
 *
 * Only the parts not yet covered are inserted, so overlapping adds are
 * fine; the result is merged with its neighbours.  The array is grown
 * first if the worst case would not fit.  Returns 0 or -ENOMEM.
 */
static int memblock_add_range(struct memblock_type *type, phys_addr_t base,
			      phys_addr_t size, int nid, enum memblock_flags flags)
{
	bool insert = false;
	phys_addr_t obase = base;
	phys_addr_t end = base + memblock_cap_size(base, &size);
	unsigned long idx, start_rgn = 0, end_rgn = 0;
	bool started = false;
	int nr_new;

	if (!size)
		return 0;

	/* The empty type: fill in the dummy. */
	if (type->regions[0].size == 0) {
		WARN_ON(type->cnt != 1 || type->total_size);
		type->regions[0].base = base;
		type->regions[0].size = size;
		type->regions[0].flags = flags;
		memblock_set_region_node(&type->regions[0], nid);
		type->total_size = size;
		return 0;
	}

	/*
	 * At worst the range straddles every region and needs cnt + 1 new
	 * ones; when that fits, insert on the first pass.  Otherwise the
	 * first pass only counts, the array grows, and the second inserts.
	 */
	if (type->cnt * 2 + 1 <= type->max)
		insert = true;

repeat:
	base = obase;
	nr_new = 0;

	for (idx = 0; idx < type->cnt; idx++) {
		struct memblock_region *rgn = &type->regions[idx];
		phys_addr_t rbase = rgn->base;
		phys_addr_t rend = rbase + rgn->size;

		if (rbase >= end)
			break;
		if (rend <= base)
			continue;
		/* @rgn overlaps: insert the part of the new range below it. */
		if (rbase > base) {
			WARN_ON(nid != memblock_get_region_node(rgn));
			WARN_ON(flags != rgn->flags);
			nr_new++;
			if (insert) {
				if (!started) {
					start_rgn = idx;
					started = true;
				}
				end_rgn = idx + 1;
				memblock_insert_region(type, idx++, base, rbase - base,
						       nid, flags);
			}
		}
		/* Everything below @rend is covered now. */
		base = min(rend, end);
	}

	/* The part above the last overlapping region. */
	if (base < end) {
		nr_new++;
		if (insert) {
			if (!started) {
				start_rgn = idx;
				started = true;
			}
			end_rgn = idx + 1;
			memblock_insert_region(type, idx, base, end - base, nid, flags);
		}
	}

	if (!nr_new)
		return 0;

	if (!insert) {
		while (type->cnt + nr_new > type->max)
			if (memblock_double_array(type, obase, size) < 0)
				return -ENOMEM;
		insert = true;
		goto repeat;
	}

	memblock_merge_regions(type, start_rgn, end_rgn);
	return 0;
}

/*
 * memblock_isolate_range - split regions so a range is whole regions
 *
 * After it, the regions of @type inside [base, base + size) are exactly
 * [*start_rgn, *end_rgn) (an empty interval when none intersect).  Needs
 * at most two more slots, so it may grow the array.  Returns 0 or -ENOMEM.
 */
static int memblock_isolate_range(struct memblock_type *type, phys_addr_t base,
				  phys_addr_t size, unsigned long *start_rgn,
				  unsigned long *end_rgn)
{
	phys_addr_t end = base + memblock_cap_size(base, &size);
	unsigned long idx;

	*start_rgn = *end_rgn = 0;

	if (!size)
		return 0;

	while (type->cnt + 2 > type->max)
		if (memblock_double_array(type, base, size) < 0)
			return -ENOMEM;

	for (idx = 0; idx < type->cnt; idx++) {
		struct memblock_region *rgn = &type->regions[idx];
		phys_addr_t rbase = rgn->base;
		phys_addr_t rend = rbase + rgn->size;

		if (rbase >= end)
			break;
		if (rend <= base)
			continue;

		if (rbase < base) {
			/* Sticks out below: split off the lower part, go on with the upper. */
			rgn->base = base;
			rgn->size -= base - rbase;
			type->total_size -= base - rbase;
			memblock_insert_region(type, idx, rbase, base - rbase,
					       memblock_get_region_node(rgn), rgn->flags);
		} else if (rend > end) {
			/* Sticks out above: split off the lower part and look at it again. */
			rgn->base = end;
			rgn->size -= end - rbase;
			type->total_size -= end - rbase;
			memblock_insert_region(type, idx, rbase, end - rbase,
					       memblock_get_region_node(rgn), rgn->flags);
			idx--;
		} else {
			/* Inside the range. */
			if (!*end_rgn)
				*start_rgn = idx;
			*end_rgn = idx + 1;
		}
	}
	return 0;
}

static int memblock_remove_range(struct memblock_type *type, phys_addr_t base,
				 phys_addr_t size)
{
	unsigned long start_rgn, end_rgn, i;
	int ret;

	ret = memblock_isolate_range(type, base, size, &start_rgn, &end_rgn);
	if (ret)
		return ret;

	for (i = end_rgn; i > start_rgn; i--)
		memblock_remove_region(type, i - 1);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Adding, removing, reserving, marking                                */
/* ------------------------------------------------------------------ */

/**
 * memblock_add_node - add new memblock region within a NUMA node
 * @base: base address of the new region
 * @size: size of the new region
 * @nid: nid of the new region
 * @flags: flags of the new region
 *
 * Add new memblock region [@base, @base + @size) to the "memory" regions.
 *
 * Context: boot thread.
 * Return: 0 on success, -errno on failure.
 */
int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid,
		      enum memblock_flags flags)
{
	int w = pa_width();

	memblock_dbg("%s: [0x%0*llx-0x%0*llx] nid=%d flags=%x %s\n", __func__,
		     w, (unsigned long long)base, w, (unsigned long long)(base + size - 1),
		     nid, flags, __func__);
	return memblock_add_range(&memblock.memory, base, size, nid, flags);
}

/**
 * memblock_add - add new memblock region
 * @base: base address of the new region
 * @size: size of the new region
 *
 * Add new memblock region [@base, @base + @size) to the "memory" regions,
 * on no node yet (memblock_set_node() assigns one).
 *
 * Context: boot thread.
 * Return: 0 on success, -errno on failure.
 */
int memblock_add(phys_addr_t base, phys_addr_t size)
{
	memblock_dbg_range(__func__, base, size, __func__);
	return memblock_add_range(&memblock.memory, base, size, MAX_NUMNODES, 0);
}

/**
 * memblock_remove - remove a range from the "memory" regions
 * @base: start of the range
 * @size: size of the range
 *
 * Regions that stick out of the range are split.
 *
 * Context: boot thread.
 * Return: 0 on success, -errno on failure.
 */
int memblock_remove(phys_addr_t base, phys_addr_t size)
{
	memblock_dbg_range(__func__, base, size, __func__);
	return memblock_remove_range(&memblock.memory, base, size);
}

/**
 * memblock_free - free boot memory allocation
 * @ptr: starting address of the boot memory allocation (a direct-map address)
 * @size: size of the boot memory block in bytes
 *
 * Free boot memory block previously allocated by memblock_alloc_xx() API.
 * The freeing memory will not be released to the buddy allocator.
 * A NULL @ptr is ignored.
 */
void memblock_free(void *ptr, size_t size)
{
	if (ptr)
		__memblock_phys_free(__pa(ptr), size, __func__);
}

static int __memblock_phys_free(phys_addr_t base, phys_addr_t size, const char *caller)
{
	memblock_dbg_range("memblock_phys_free", base, size, caller);
	return memblock_remove_range(&memblock.reserved, base, size);
}

/**
 * memblock_phys_free - free boot memory block
 * @base: phys starting address of the  boot memory block
 * @size: size of the boot memory block in bytes
 *
 * Free boot memory block previously allocated by memblock_phys_alloc_xx() API.
 * The freeing memory will not be released to the buddy allocator.
 *
 * Return: 0 on success, -errno on failure.
 */
int memblock_phys_free(phys_addr_t base, phys_addr_t size)
{
	return __memblock_phys_free(base, size, __func__);
}

int __memblock_reserve(phys_addr_t base, phys_addr_t size, const char *caller)
{
	memblock_dbg_range("memblock_reserve", base, size, caller);
	return memblock_add_range(&memblock.reserved, base, size, MAX_NUMNODES, 0);
}

/**
 * memblock_reserve - mark a range as reserved
 * @base: start of the range
 * @size: size of the range
 *
 * Add [@base, @base + @size) to the "reserved" regions: memblock will not
 * allocate it and memblock_free_all() will not free it.
 *
 * Return: 0 on success, -errno on failure.
 */
int memblock_reserve(phys_addr_t base, phys_addr_t size)
{
	return __memblock_reserve(base, size, __func__);
}

/* Set or clear @flag on the memory regions within [base, base + size). */
static int memblock_setclr_flag(struct memblock_type *type, phys_addr_t base,
				phys_addr_t size, bool set, enum memblock_flags flag)
{
	unsigned long start_rgn, end_rgn, i;
	int ret;

	ret = memblock_isolate_range(type, base, size, &start_rgn, &end_rgn);
	if (ret)
		return ret;

	for (i = start_rgn; i < end_rgn; i++) {
		struct memblock_region *r = &type->regions[i];

		if (set)
			r->flags |= flag;
		else
			r->flags &= ~flag;
	}

	memblock_merge_regions(type, start_rgn, end_rgn);
	return 0;
}

/**
 * memblock_mark_hotplug - Mark hotpluggable memory with flag MEMBLOCK_HOTPLUG.
 * @base: the base phys addr of the region
 * @size: the size of the region
 *
 * Return: 0 on success, -errno on failure.
 */
int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size)
{
	return memblock_setclr_flag(&memblock.memory, base, size, true, MEMBLOCK_HOTPLUG);
}

/**
 * memblock_clear_hotplug - Clear flag MEMBLOCK_HOTPLUG for a specified region.
 * @base: the base phys addr of the region
 * @size: the size of the region
 *
 * Return: 0 on success, -errno on failure.
 */
int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size)
{
	return memblock_setclr_flag(&memblock.memory, base, size, false, MEMBLOCK_HOTPLUG);
}

/**
 * memblock_mark_nomap - Mark a memory region with flag MEMBLOCK_NOMAP.
 * @base: the base phys addr of the region
 * @size: the size of the region
 *
 * NOMAP memory is left out of the direct map and of free-range iteration
 * (unless MEMBLOCK_NOMAP is asked for); its struct pages are PG_reserved.
 *
 * Return: 0 on success, -errno on failure.
 */
int memblock_mark_nomap(phys_addr_t base, phys_addr_t size)
{
	return memblock_setclr_flag(&memblock.memory, base, size, true, MEMBLOCK_NOMAP);
}

/**
 * memblock_set_node - set node ID on memblock regions
 * @base: base of area to set node ID for
 * @size: size of area to set node ID for
 * @type: memblock type to set node ID for
 * @nid: node ID to set
 *
 * Set the nid of memblock @type regions in [@base, @base + @size) to @nid.
 * Regions which cross the area boundaries are split as necessary.
 *
 * Return: 0 on success, -errno on failure.
 */
int memblock_set_node(phys_addr_t base, phys_addr_t size, struct memblock_type *type,
		      int nid)
{
	unsigned long start_rgn, end_rgn, i;
	int ret;

	ret = memblock_isolate_range(type, base, size, &start_rgn, &end_rgn);
	if (ret)
		return ret;

	for (i = start_rgn; i < end_rgn; i++)
		memblock_set_region_node(&type->regions[i], nid);

	memblock_merge_regions(type, start_rgn, end_rgn);
	return 0;
}

/**
 * memblock_allow_resize - let the region arrays grow
 *
 * Until this is called, memblock does not know which memory is safe for
 * its own arrays, and a full array makes add/reserve fail.
 */
void memblock_allow_resize(void)
{
	memblock.can_resize = true;
}

/* ------------------------------------------------------------------ */
/* Iterators                                                           */
/* ------------------------------------------------------------------ */

/* Linux's movable_node_is_enabled(): mmsim has no movable_node parameter. */
static inline bool movable_node_is_enabled(void)
{
	return false;
}

static bool should_skip_region(struct memblock_type *type, struct memblock_region *m,
			       int nid, enum memblock_flags flags)
{
	int m_nid = memblock_get_region_node(m);

	/* Only memory regions are filtered; reserved ones never are. */
	if (type != &memblock.memory)
		return false;

	if (nid != NUMA_NO_NODE && nid != m_nid)
		return true;

	if (movable_node_is_enabled() && memblock_is_hotpluggable(m) &&
	    !(flags & MEMBLOCK_HOTPLUG))
		return true;

	/* Mirror requested: only mirrored memory will do. */
	if ((flags & MEMBLOCK_MIRROR) && !memblock_is_mirror(m))
		return true;

	/* NOMAP and driver-managed memory only when asked for explicitly. */
	if (!(flags & MEMBLOCK_NOMAP) && memblock_is_nomap(m))
		return true;
	if (!(flags & MEMBLOCK_DRIVER_MANAGED) && memblock_is_driver_managed(m))
		return true;

	return false;
}

static inline uint64_t mem_range_idx(int idx_a, int idx_b)
{
	return (uint32_t)idx_a | (uint64_t)(uint32_t)idx_b << 32;
}

static inline void mem_range_out(phys_addr_t *out_start, phys_addr_t *out_end,
				 int *out_nid, phys_addr_t start, phys_addr_t end, int nid)
{
	if (out_start)
		*out_start = start;
	if (out_end)
		*out_end = end;
	if (out_nid)
		*out_nid = nid;
}

/*
 * Region @i of @type_a, unless the @nid and @flags filters skip it: its
 * bounds and node in *@start, *@end, *@rnid.  Returns false if skipped.
 */
static inline bool mem_range_region(struct memblock_type *type_a, int i, int nid,
				    enum memblock_flags flags, phys_addr_t *start,
				    phys_addr_t *end, int *rnid)
{
	struct memblock_region *m = &type_a->regions[i];

	if (should_skip_region(type_a, m, nid, flags))
		return false;
	*start = m->base;
	*end = m->base + m->size;
	*rnid = memblock_get_region_node(m);
	return true;
}

/* Gap @i of @type_b: from the end of region i - 1 (or 0) to region i (or the top). */
static inline void mem_range_gap(struct memblock_type *type_b, int i, phys_addr_t *start,
				 phys_addr_t *end)
{
	struct memblock_region *r = &type_b->regions[i];

	*start = i ? r[-1].base + r[-1].size : 0;
	*end = i < (int)type_b->cnt ? r->base : PHYS_ADDR_MAX;
}

/**
 * __next_mem_range - next function for for_each_free_mem_range() etc.
 * @idx: pointer to u64 loop variable (low half: index into @type_a, high
 *	 half: index of the gap of @type_b being looked at)
 * @nid: node selector, %NUMA_NO_NODE for all nodes
 * @flags: pick from blocks based on memory attributes
 * @type_a: pointer to memblock_type from where the range is taken
 * @type_b: pointer to memblock_type which excludes memory from being taken
 * @out_start: ptr to phys_addr_t for start address of the range, can be %NULL
 * @out_end: ptr to phys_addr_t for end address of the range, can be %NULL
 * @out_nid: ptr to int for nid of the range, can be %NULL
 *
 * Find the first area from *@idx which matches @nid, fill the out
 * parameters, and update *@idx for the next iteration.  The lower 32bit of
 * *@idx contains index into type_a and the upper 32bit indexes the
 * areas before each region in type_b.	For example, if type_b regions
 * look like the following,
 *
 *	0:[0-16), 1:[32-48), 2:[128-130)
 *
 * The upper 32bit indexes the following regions.
 *
 *	0:[0-0), 1:[16-32), 2:[48-128), 3:[130-MAX)
 *
 * As both region arrays are sorted, the function advances the two indices
 * in lockstep and returns each intersection.  The end is *@idx == ULLONG_MAX.
 */
void __next_mem_range(uint64_t *idx, int nid, enum memblock_flags flags,
		      struct memblock_type *type_a, struct memblock_type *type_b,
		      phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid)
{
	int idx_a = *idx & 0xffffffff;
	int idx_b = *idx >> 32;
	phys_addr_t m_start, m_end, r_start, r_end;
	int m_nid;

	nid = memblock_nid_or_any(nid);

	for (; idx_a < (int)type_a->cnt; idx_a++) {
		if (!mem_range_region(type_a, idx_a, nid, flags, &m_start, &m_end, &m_nid))
			continue;

		if (!type_b) {
			mem_range_out(out_start, out_end, out_nid, m_start, m_end, m_nid);
			*idx = mem_range_idx(idx_a + 1, idx_b);
			return;
		}

		/* Scan the gaps before each region of type_b. */
		for (; idx_b < (int)type_b->cnt + 1; idx_b++) {
			mem_range_gap(type_b, idx_b, &r_start, &r_end);
			/* The gap is past this memory region: next region. */
			if (r_start >= m_end)
				break;
			if (m_start < r_end) {
				mem_range_out(out_start, out_end, out_nid,
					      max(m_start, r_start), min(m_end, r_end), m_nid);
				/* Advance whichever ends first. */
				if (m_end <= r_end)
					idx_a++;
				else
					idx_b++;
				*idx = mem_range_idx(idx_a, idx_b);
				return;
			}
		}
	}

	*idx = ULLONG_MAX;
}

/**
 * __next_mem_range_rev - generic next function for for_each_*_range_rev()
 * @idx: pointer to u64 loop variable
 * @nid: node selector, %NUMA_NO_NODE for all nodes
 * @flags: pick from blocks based on memory attributes
 * @type_a: pointer to memblock_type from where the range is taken
 * @type_b: pointer to memblock_type which excludes memory from being taken
 * @out_start: ptr to phys_addr_t for start address of the range, can be %NULL
 * @out_end: ptr to phys_addr_t for end address of the range, can be %NULL
 * @out_nid: ptr to int for nid of the range, can be %NULL
 *
 * As __next_mem_range(), from the top down; start with *@idx == ULLONG_MAX.
 */
void __next_mem_range_rev(uint64_t *idx, int nid, enum memblock_flags flags,
			  struct memblock_type *type_a, struct memblock_type *type_b,
			  phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid)
{
	int idx_a = *idx & 0xffffffff;
	int idx_b = *idx >> 32;
	phys_addr_t m_start, m_end, r_start, r_end;
	int m_nid;

	nid = memblock_nid_or_any(nid);

	if (*idx == (uint64_t)ULLONG_MAX) {
		idx_a = type_a->cnt - 1;
		idx_b = type_b ? (int)type_b->cnt : 0;
	}

	for (; idx_a >= 0; idx_a--) {
		if (!mem_range_region(type_a, idx_a, nid, flags, &m_start, &m_end, &m_nid))
			continue;

		if (!type_b) {
			mem_range_out(out_start, out_end, out_nid, m_start, m_end, m_nid);
			*idx = mem_range_idx(idx_a - 1, idx_b);
			return;
		}

		for (; idx_b >= 0; idx_b--) {
			mem_range_gap(type_b, idx_b, &r_start, &r_end);
			/* The gap is below this memory region: previous region. */
			if (r_end <= m_start)
				break;
			if (m_end > r_start) {
				mem_range_out(out_start, out_end, out_nid,
					      max(m_start, r_start), min(m_end, r_end), m_nid);
				/* Step back whichever starts last. */
				if (m_start >= r_start)
					idx_a--;
				else
					idx_b--;
				*idx = mem_range_idx(idx_a, idx_b);
				return;
			}
		}
	}

	*idx = ULLONG_MAX;
}

/**
 * __next_mem_pfn_range - next function for for_each_mem_pfn_range()
 * @idx: pointer to int loop variable
 * @nid: node selector, %MAX_NUMNODES (or %NUMA_NO_NODE) for all nodes
 * @out_start_pfn: ptr to ulong for start pfn of the range, can be %NULL
 * @out_end_pfn: ptr to ulong for end pfn of the range, can be %NULL
 * @out_nid: ptr to int for nid of the range, can be %NULL
 *
 * Only whole pages are reported; regions holding none are skipped.
 */
void __next_mem_pfn_range(int *idx, int nid, unsigned long *out_start_pfn,
			  unsigned long *out_end_pfn, int *out_nid)
{
	struct memblock_type *type = &memblock.memory;
	struct memblock_region *r = NULL;
	int r_nid = 0;

	while (++*idx < (int)type->cnt) {
		r = &type->regions[*idx];
		r_nid = memblock_get_region_node(r);

		if (PFN_UP(r->base) >= PFN_DOWN(r->base + r->size))
			continue;
		if (nid == MAX_NUMNODES || nid == NUMA_NO_NODE || nid == r_nid)
			break;
	}
	if (*idx >= (int)type->cnt) {
		*idx = -1;
		return;
	}

	if (out_start_pfn)
		*out_start_pfn = PFN_UP(r->base);
	if (out_end_pfn)
		*out_end_pfn = PFN_DOWN(r->base + r->size);
	if (out_nid)
		*out_nid = r_nid;
}

/* ------------------------------------------------------------------ */
/* Queries and limits                                                  */
/* ------------------------------------------------------------------ */

/** memblock_phys_mem_size - Return: total bytes of the "memory" regions. */
phys_addr_t memblock_phys_mem_size(void)
{
	return memblock.memory.total_size;
}

/** memblock_reserved_size - Return: total bytes of the "reserved" regions. */
phys_addr_t memblock_reserved_size(void)
{
	return memblock.reserved.total_size;
}

/** memblock_start_of_DRAM - Return: the lowest address of memory. */
phys_addr_t memblock_start_of_DRAM(void)
{
	return memblock.memory.regions[0].base;
}

/** memblock_end_of_DRAM - Return: the end (exclusive) of the highest memory region. */
phys_addr_t memblock_end_of_DRAM(void)
{
	unsigned long idx = memblock.memory.cnt - 1;

	return memblock.memory.regions[idx].base + memblock.memory.regions[idx].size;
}

/*
 * The address below which the memory regions hold @limit bytes, or
 * PHYS_ADDR_MAX when they hold less.
 */
static phys_addr_t __find_max_addr(phys_addr_t limit)
{
	unsigned long i;

	for (i = 0; i < memblock.memory.cnt; i++) {
		struct memblock_region *r = &memblock.memory.regions[i];

		if (limit <= r->size)
			return r->base + limit;
		limit -= r->size;
	}
	return PHYS_ADDR_MAX;
}

/**
 * memblock_enforce_memory_limit - keep only the first @limit bytes of memory
 * @limit: bytes of memory to keep (the mem= parameter); 0 does nothing
 *
 * Memory and reserved regions above the address where the memory regions
 * have accumulated @limit bytes are removed.
 */
void memblock_enforce_memory_limit(phys_addr_t limit)
{
	phys_addr_t max_addr;

	if (!limit)
		return;

	max_addr = __find_max_addr(limit);
	if (max_addr == PHYS_ADDR_MAX)
		return;

	memblock_remove_range(&memblock.memory, max_addr, PHYS_ADDR_MAX);
	memblock_remove_range(&memblock.reserved, max_addr, PHYS_ADDR_MAX);
}

/**
 * memblock_cap_memory_range - keep only [@base, @base + @size) of memory
 * @base: start of the range to keep
 * @size: size of the range to keep; 0 does nothing
 *
 * Mapped memory outside the range is removed (NOMAP memory stays, as in
 * Linux, for firmware that still needs it); reserved regions outside the
 * range are dropped.
 */
void memblock_cap_memory_range(phys_addr_t base, phys_addr_t size)
{
	unsigned long start_rgn, end_rgn, i;

	if (!size)
		return;

	if (!memblock.memory.total_size) {
		pr_warn("%s: No memory registered yet\n", __func__);
		return;
	}

	if (memblock_isolate_range(&memblock.memory, base, size, &start_rgn, &end_rgn))
		return;

	/* Remove the mapped regions above the range, then those below. */
	for (i = memblock.memory.cnt; i > end_rgn; i--)
		if (!memblock_is_nomap(&memblock.memory.regions[i - 1]))
			memblock_remove_region(&memblock.memory, i - 1);

	for (i = start_rgn; i > 0; i--)
		if (!memblock_is_nomap(&memblock.memory.regions[i - 1]))
			memblock_remove_region(&memblock.memory, i - 1);

	/* NOMAP pieces that were split and kept touch again: merge them. */
	memblock_merge_regions(&memblock.memory, 0, memblock.memory.cnt);

	memblock_remove_range(&memblock.reserved, 0, base);
	memblock_remove_range(&memblock.reserved, base + size, PHYS_ADDR_MAX);
}

/* Binary search for the region of @type containing @addr; -1 when none. */
static long memblock_search(struct memblock_type *type, phys_addr_t addr)
{
	unsigned long left = 0, right = type->cnt;

	do {
		unsigned long mid = (right + left) / 2;

		if (addr < type->regions[mid].base)
			right = mid;
		else if (addr >= type->regions[mid].base + type->regions[mid].size)
			left = mid + 1;
		else
			return (long)mid;
	} while (left < right);
	return -1;
}

/** memblock_is_reserved - Return: true if @addr is in a reserved region. */
bool memblock_is_reserved(phys_addr_t addr)
{
	return memblock_search(&memblock.reserved, addr) != -1;
}

/** memblock_is_memory - Return: true if @addr is in a memory region. */
bool memblock_is_memory(phys_addr_t addr)
{
	return memblock_search(&memblock.memory, addr) != -1;
}

/** memblock_is_map_memory - Return: true if @addr is memory that is not NOMAP. */
bool memblock_is_map_memory(phys_addr_t addr)
{
	long i = memblock_search(&memblock.memory, addr);

	if (i == -1)
		return false;
	return !memblock_is_nomap(&memblock.memory.regions[i]);
}

/**
 * memblock_is_region_memory - check if a region is a subset of memory
 * @base: base of region to check
 * @size: size of region to check
 *
 * Check if the region [@base, @base + @size) is a subset of a memory block.
 *
 * Return: true if the whole region lies in one memory region.
 */
bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size)
{
	long idx = memblock_search(&memblock.memory, base);
	phys_addr_t end = base + memblock_cap_size(base, &size);

	if (idx == -1)
		return false;
	return memblock.memory.regions[idx].base + memblock.memory.regions[idx].size >= end;
}

/**
 * memblock_is_region_reserved - check if a region intersects reserved memory
 * @base: base of region to check
 * @size: size of region to check
 *
 * Check if the region [@base, @base + @size) intersects a reserved
 * memory block.
 *
 * Return: true if they intersect, false if not.
 */
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size)
{
	return memblock_overlaps_region(&memblock.reserved, base, size);
}

/**
 * memblock_trim_memory - align the memory regions to @align
 * @align: alignment (a power of two)
 *
 * Each memory region shrinks to its @align-aligned part; regions with
 * none are removed.
 */
void memblock_trim_memory(phys_addr_t align)
{
	struct memblock_type *type = &memblock.memory;
	phys_addr_t start, end, orig_start, orig_end;
	unsigned long i = 0;

	while (i < type->cnt) {
		struct memblock_region *r = &type->regions[i];

		orig_start = r->base;
		orig_end = r->base + r->size;
		start = mb_round_up(orig_start, align);
		end = mb_round_down(orig_end, align);

		if (start == orig_start && end == orig_end) {
			i++;
			continue;
		}

		if (start < end) {
			type->total_size -= r->size - (end - start);
			r->base = start;
			r->size = end - start;
			i++;
		} else {
			memblock_remove_region(type, i);
		}
	}
}

/* ------------------------------------------------------------------ */
/* Dumping                                                             */
/* ------------------------------------------------------------------ */

static void memblock_dump(struct memblock_type *type)
{
	int w = pa_width();
	unsigned long idx;

	pr_info(" %s.cnt  = 0x%lx\n", type->name, type->cnt);

	for (idx = 0; idx < type->cnt; idx++) {
		struct memblock_region *rgn = &type->regions[idx];
		int nid = memblock_get_region_node(rgn);
		char nid_buf[32] = "";

		if (nid >= 0 && nid < MAX_NUMNODES)
			snprintf(nid_buf, sizeof(nid_buf), " on node %d", nid);
		pr_info(" %s[0x%lx]\t[0x%0*llx-0x%0*llx], 0x%0*llx bytes%s flags: 0x%x\n",
			type->name, idx, w, (unsigned long long)rgn->base,
			w, (unsigned long long)(rgn->base + rgn->size - 1),
			w, (unsigned long long)rgn->size, nid_buf, rgn->flags);
	}
}

/**
 * __memblock_dump_all - print both region arrays, Linux's format
 *
 * Prints "MEMBLOCK configuration:", the sizes, then every memory and
 * reserved region, whatever memblock.debug says.
 */
void __memblock_dump_all(void)
{
	int w = pa_width();

	pr_info("MEMBLOCK configuration:\n");
	pr_info(" memory size = 0x%0*llx reserved size = 0x%0*llx\n",
		w, (unsigned long long)memblock.memory.total_size,
		w, (unsigned long long)memblock.reserved.total_size);

	memblock_dump(&memblock.memory);
	memblock_dump(&memblock.reserved);
}

/** memblock_dump_all - __memblock_dump_all() when memblock=debug is set. */
void memblock_dump_all(void)
{
	if (memblock.debug)
		__memblock_dump_all();
}

/* ------------------------------------------------------------------ */
/* Handing memory to the buddy allocator                               */
/* ------------------------------------------------------------------ */

/* Linux's reserve_bootmem_region(): PG_reserved on every valid pfn. */
static void reserve_bootmem_region(phys_addr_t start, phys_addr_t end)
{
	unsigned long pfn = PFN_DOWN(start);
	unsigned long end_pfn = PFN_UP(end);

	for (; pfn < end_pfn; pfn++)
		if (pfn_valid(pfn))
			__SetPageReserved(pfn_to_page(pfn));
}

static void memmap_init_reserved_pages(void)
{
	struct memblock_region *region;
	unsigned long i;

	/* NOMAP memory has struct pages but is not free: reserve it too. */
	for_each_mem_region(region) {
		if (memblock_is_nomap(region))
			reserve_bootmem_region(region->base, region->base + region->size);
	}

	/* Give reserved regions the node of the memory under them. */
	for (i = 0; i < memblock.memory.cnt; i++) {
		region = &memblock.memory.regions[i];
		memblock_set_node(region->base, region->size, &memblock.reserved,
				  memblock_get_region_node(region));
	}

	for_each_reserved_mem_region(region) {
		if (!memblock_is_reserved_noinit(region))
			reserve_bootmem_region(region->base, region->base + region->size);
	}
}

/* Free pfns [start, end) in naturally aligned blocks as large as allowed. */
static void __free_pages_memory(unsigned long start, unsigned long end)
{
	unsigned int order;

	while (start < end) {
		/* pfn 0 is aligned to any order. */
		if (start)
			order = min_t(unsigned int, MAX_PAGE_ORDER, __ffs64(start));
		else
			order = MAX_PAGE_ORDER;

		while (start + (1UL << order) > end)
			order--;

		memblock_free_pages(pfn_to_page(start), start, order);
		start += 1UL << order;
	}
}

static unsigned long __free_memory_core(phys_addr_t start, phys_addr_t end)
{
	unsigned long start_pfn = PFN_UP(start);
	unsigned long end_pfn = PFN_DOWN(end);

	if (start_pfn >= end_pfn)
		return 0;

	__free_pages_memory(start_pfn, end_pfn);
	return end_pfn - start_pfn;
}

/**
 * memblock_free_all - release free pages to the buddy allocator
 *
 * Every page of a reserved region (and of NOMAP memory) is marked
 * PG_reserved; every whole page of memory minus reserved is handed to
 * memblock_free_pages() in naturally aligned blocks of up to
 * MAX_PAGE_ORDER, highmem included.
 *
 * Context: boot thread, once, at the end of memblock's life.
 * Return: the number of pages freed.
 */
unsigned long memblock_free_all(void)
{
	unsigned long count = 0;
	phys_addr_t start, end;
	uint64_t i;

	memblock_clear_hotplug(0, PHYS_ADDR_MAX);

	memmap_init_reserved_pages();

	for_each_free_mem_range(i, NUMA_NO_NODE, MEMBLOCK_NONE, &start, &end, NULL)
		count += __free_memory_core(start, end);

	return count;
}

/* ------------------------------------------------------------------ */
/* Setup and checking                                                  */
/* ------------------------------------------------------------------ */

static void memblock_type_init(struct memblock_type *type, struct memblock_region *regions,
			       unsigned long max, const char *name)
{
	memset(regions, 0, max * sizeof(*regions));
	type->regions = regions;
	type->cnt = 1;			/* the empty dummy */
	type->max = max;
	type->total_size = 0;
	type->name = name;
}

/**
 * memblock_init_state - make @mb an empty memblock
 * @mb: the state to set up (a machine's, or a test's)
 *
 * Both types get their initial arrays with the one dummy region, the names
 * "memory" and "reserved"; allocation is top-down with no limit
 * (%MEMBLOCK_ALLOC_ANYWHERE); resizing, debug tracing and mem_limit are off.
 */
void memblock_init_state(struct memblock_state *mb)
{
	mb->bottom_up = false;
	mb->current_limit = MEMBLOCK_ALLOC_ANYWHERE;
	mb->can_resize = false;
	mb->debug = false;
	mb->mem_limit = 0;
	memblock_type_init(&mb->memory, mb->memory_init_regions,
			   INIT_MEMBLOCK_REGIONS, "memory");
	memblock_type_init(&mb->reserved, mb->reserved_init_regions,
			   INIT_MEMBLOCK_RESERVED_REGIONS, "reserved");
}

/* Check one type's invariants (see the top of the file); print what broke. */
static bool memblock_type_is_valid(struct memblock_type *type)
{
	const char *name = type->name ? type->name : "(unnamed)";
	phys_addr_t sum = 0;
	unsigned long i;

	if (!type->regions || type->cnt < 1 || type->cnt > type->max) {
		pr_err("memblock: %s: cnt %lu, max %lu, regions %p\n", name, type->cnt,
		       type->max, (void *)type->regions);
		return false;
	}

	if (type->cnt == 1 && type->regions[0].size == 0) {
		if (type->regions[0].base || type->total_size) {
			pr_err("memblock: %s: empty but base 0x%llx, total_size 0x%llx\n",
			       name, (unsigned long long)type->regions[0].base,
			       (unsigned long long)type->total_size);
			return false;
		}
		return true;
	}

	for (i = 0; i < type->cnt; i++) {
		struct memblock_region *r = &type->regions[i];
		struct memblock_region *next = r + 1;

		if (!r->size || r->size > PHYS_ADDR_MAX - r->base) {
			pr_err("memblock: %s[%lu]: bad size 0x%llx at 0x%llx\n", name, i,
			       (unsigned long long)r->size, (unsigned long long)r->base);
			return false;
		}
		sum += r->size;
		if (i + 1 == type->cnt)
			break;
		if (r->base + r->size > next->base) {
			pr_err("memblock: %s[%lu] [0x%llx+0x%llx] overlaps or is after [%lu] at 0x%llx\n",
			       name, i, (unsigned long long)r->base, (unsigned long long)r->size,
			       i + 1, (unsigned long long)next->base);
			return false;
		}
		if (r->base + r->size == next->base && r->nid == next->nid &&
		    r->flags == next->flags) {
			pr_err("memblock: %s[%lu] and [%lu] touch at 0x%llx and are not merged\n",
			       name, i, i + 1, (unsigned long long)next->base);
			return false;
		}
	}

	if (sum != type->total_size) {
		pr_err("memblock: %s: total_size 0x%llx but regions sum to 0x%llx\n", name,
		       (unsigned long long)type->total_size, (unsigned long long)sum);
		return false;
	}
	return true;
}

/**
 * memblock_is_valid - check memblock's invariants
 *
 * Checks, for memory and reserved: 1 <= cnt <= max, regions sorted and not
 * overlapping, touching regions of equal nid and flags merged, no empty
 * region but the dummy of an empty type, and total_size equal to the sum
 * of the sizes.  Prints the first broken one of each type with pr_err.
 *
 * Return: true when every invariant holds.
 */
bool memblock_is_valid(void)
{
	bool ok = memblock_type_is_valid(&memblock.memory);

	return memblock_type_is_valid(&memblock.reserved) && ok;
}
