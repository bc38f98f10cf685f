/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memblock.h - the boot-time memory allocator (mm/memblock.c).
 *
 * Linux's API and semantics.  The state that Linux keeps in the global
 * `struct memblock memblock` is per machine here; `memblock` below names
 * the current machine's.
 */
#ifndef MMSIM_MEMBLOCK_H
#define MMSIM_MEMBLOCK_H

#include <mmsim/types.h>
#include <limits.h>

#define INIT_MEMBLOCK_REGIONS		128
#define INIT_MEMBLOCK_RESERVED_REGIONS	INIT_MEMBLOCK_REGIONS
#define NUMA_NO_NODE			(-1)
#define MAX_NUMNODES_MEMBLOCK		64

/* Allocation limits, as in Linux. */
#define MEMBLOCK_ALLOC_ANYWHERE		(~(phys_addr_t)0)
#define MEMBLOCK_ALLOC_ACCESSIBLE	0
#define MEMBLOCK_ALLOC_NOLEAKTRACE	1
#define MEMBLOCK_LOW_LIMIT		0

enum memblock_flags {
	MEMBLOCK_NONE		= 0x0,	/* no special request */
	MEMBLOCK_HOTPLUG	= 0x1,	/* hotpluggable region */
	MEMBLOCK_MIRROR		= 0x2,	/* mirrored region */
	MEMBLOCK_NOMAP		= 0x4,	/* don't add to kernel direct mapping */
	MEMBLOCK_DRIVER_MANAGED	= 0x8,	/* always detected via a driver */
	MEMBLOCK_RSRV_NOINIT	= 0x10,	/* don't initialize struct pages */
};

struct memblock_region {
	phys_addr_t base;
	phys_addr_t size;
	enum memblock_flags flags;
	int nid;
};

struct memblock_type {
	unsigned long cnt;		/* regions in use (>= 1: an empty array holds one dummy) */
	unsigned long max;		/* size of the allocated array */
	phys_addr_t total_size;		/* size of all regions */
	struct memblock_region *regions;
	const char *name;
};

/*
 * Linux calls this type `struct memblock`; here the name `memblock` is the
 * macro for the current machine's instance, so the type is memblock_state.
 */
struct memblock_state {
	bool bottom_up;			/* allocate from low addresses up */
	phys_addr_t current_limit;
	struct memblock_type memory;
	struct memblock_type reserved;
	/* mmsim: the initial arrays (Linux's static memblock_*_init_regions). */
	struct memblock_region memory_init_regions[INIT_MEMBLOCK_REGIONS];
	struct memblock_region reserved_init_regions[INIT_MEMBLOCK_RESERVED_REGIONS];
	bool can_resize;		/* memblock_allow_resize() was called */
	bool debug;			/* memblock=debug */
	phys_addr_t mem_limit;		/* mem= */
};

static inline bool memblock_is_hotpluggable(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_HOTPLUG;
}
static inline bool memblock_is_mirror(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_MIRROR;
}
static inline bool memblock_is_nomap(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_NOMAP;
}
static inline bool memblock_is_reserved_noinit(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_RSRV_NOINIT;
}
static inline bool memblock_is_driver_managed(const struct memblock_region *m)
{
	return m->flags & MEMBLOCK_DRIVER_MANAGED;
}
static inline int memblock_get_region_node(const struct memblock_region *r)
{
	return r->nid;
}
static inline void memblock_set_region_node(struct memblock_region *r, int nid)
{
	r->nid = nid;
}

/* The current machine's memblock (Linux's global `memblock`). */
struct memblock_state *memblock_state(void);
void memblock_init_state(struct memblock_state *mb);	/* empty arrays, top-down */
#define memblock (*memblock_state())

/* Checks the invariants of mm/memblock.c's header on both types; prints what broke. */
bool memblock_is_valid(void);

int memblock_add_node(phys_addr_t base, phys_addr_t size, int nid, enum memblock_flags flags);
int memblock_add(phys_addr_t base, phys_addr_t size);
int memblock_remove(phys_addr_t base, phys_addr_t size);
void memblock_free(void *ptr, size_t size);
int memblock_phys_free(phys_addr_t base, phys_addr_t size);
int memblock_reserve(phys_addr_t base, phys_addr_t size);
int memblock_mark_hotplug(phys_addr_t base, phys_addr_t size);
int memblock_clear_hotplug(phys_addr_t base, phys_addr_t size);
int memblock_mark_nomap(phys_addr_t base, phys_addr_t size);
void memblock_allow_resize(void);
int memblock_set_node(phys_addr_t base, phys_addr_t size, struct memblock_type *type, int nid);
void memblock_trim_memory(phys_addr_t align);
void memblock_set_bottom_up(bool enable);
bool memblock_bottom_up(void);
void memblock_set_current_limit(phys_addr_t limit);
phys_addr_t memblock_get_current_limit(void);

phys_addr_t memblock_phys_alloc_range(phys_addr_t size, phys_addr_t align,
				      phys_addr_t start, phys_addr_t end);
phys_addr_t memblock_phys_alloc_try_nid(phys_addr_t size, phys_addr_t align, int nid);
static inline phys_addr_t memblock_phys_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_phys_alloc_range(size, align, 0, MEMBLOCK_ALLOC_ACCESSIBLE);
}
void *memblock_alloc_exact_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				   phys_addr_t max_addr, int nid);
void *memblock_alloc_try_nid_raw(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
				 phys_addr_t max_addr, int nid);
void *memblock_alloc_try_nid(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
			     phys_addr_t max_addr, int nid);
static inline void *memblock_alloc(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT,
				      MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}
static inline void *memblock_alloc_raw(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid_raw(size, align, MEMBLOCK_LOW_LIMIT,
					  MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
}
static inline void *memblock_alloc_from(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr)
{
	return memblock_alloc_try_nid(size, align, min_addr, MEMBLOCK_ALLOC_ACCESSIBLE,
				      NUMA_NO_NODE);
}
static inline void *memblock_alloc_low(phys_addr_t size, phys_addr_t align)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT, 0x1000000 /* 16M */,
				      NUMA_NO_NODE);
}
static inline void *memblock_alloc_node(phys_addr_t size, phys_addr_t align, int nid)
{
	return memblock_alloc_try_nid(size, align, MEMBLOCK_LOW_LIMIT,
				      MEMBLOCK_ALLOC_ACCESSIBLE, nid);
}

phys_addr_t memblock_phys_mem_size(void);
phys_addr_t memblock_reserved_size(void);
phys_addr_t memblock_start_of_DRAM(void);
phys_addr_t memblock_end_of_DRAM(void);
void memblock_enforce_memory_limit(phys_addr_t memory_limit);	/* mem= */
void memblock_cap_memory_range(phys_addr_t base, phys_addr_t size);
bool memblock_is_memory(phys_addr_t addr);
bool memblock_is_map_memory(phys_addr_t addr);
bool memblock_is_region_memory(phys_addr_t base, phys_addr_t size);
bool memblock_is_reserved(phys_addr_t addr);
bool memblock_is_region_reserved(phys_addr_t base, phys_addr_t size);
void memblock_dump_all(void);		/* prints with memblock=debug */
void __memblock_dump_all(void);		/* prints always */

/*
 * Iterators.  for_each_mem_range: memory regions; for_each_free_mem_range:
 * memory minus reserved, in ascending order; for_each_mem_pfn_range: pfn
 * ranges of memory with their node.
 */
void __next_mem_range(uint64_t *idx, int nid, enum memblock_flags flags,
		      struct memblock_type *type_a, struct memblock_type *type_b,
		      phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid);
void __next_mem_range_rev(uint64_t *idx, int nid, enum memblock_flags flags,
			  struct memblock_type *type_a, struct memblock_type *type_b,
			  phys_addr_t *out_start, phys_addr_t *out_end, int *out_nid);
void __next_mem_pfn_range(int *idx, int nid, unsigned long *out_start_pfn,
			  unsigned long *out_end_pfn, int *out_nid);
bool memblock_overlaps_region(struct memblock_type *type, phys_addr_t base, phys_addr_t size);

#define for_each_free_mem_range(i, nid, flags, p_start, p_end, p_nid)		\
	for (i = 0, __next_mem_range(&i, nid, flags, &memblock.memory,		\
				     &memblock.reserved, p_start, p_end, p_nid); \
	     i != (uint64_t)ULLONG_MAX;						\
	     __next_mem_range(&i, nid, flags, &memblock.memory,			\
			      &memblock.reserved, p_start, p_end, p_nid))
#define for_each_free_mem_range_reverse(i, nid, flags, p_start, p_end, p_nid)	\
	for (i = (uint64_t)ULLONG_MAX,						\
	     __next_mem_range_rev(&i, nid, flags, &memblock.memory,		\
				  &memblock.reserved, p_start, p_end, p_nid);	\
	     i != (uint64_t)ULLONG_MAX;						\
	     __next_mem_range_rev(&i, nid, flags, &memblock.memory,		\
				  &memblock.reserved, p_start, p_end, p_nid))
#define for_each_mem_range(i, p_start, p_end)					\
	for (i = 0, __next_mem_range(&i, NUMA_NO_NODE, MEMBLOCK_HOTPLUG,	\
				     &memblock.memory, NULL, p_start, p_end, NULL); \
	     i != (uint64_t)ULLONG_MAX;						\
	     __next_mem_range(&i, NUMA_NO_NODE, MEMBLOCK_HOTPLUG,		\
			      &memblock.memory, NULL, p_start, p_end, NULL))
#define for_each_mem_pfn_range(i, nid, p_start, p_end, p_nid)			\
	for (i = -1, __next_mem_pfn_range(&i, nid, p_start, p_end, p_nid);	\
	     i >= 0; __next_mem_pfn_range(&i, nid, p_start, p_end, p_nid))
#define for_each_mem_region(region)						\
	for (region = memblock.memory.regions;					\
	     region < (memblock.memory.regions + memblock.memory.cnt); region++)
#define for_each_reserved_mem_region(region)					\
	for (region = memblock.reserved.regions;				\
	     region < (memblock.reserved.regions + memblock.reserved.cnt); region++)

/* Release every free range to the buddy allocator; returns pages freed. */
unsigned long memblock_free_all(void);

#endif
