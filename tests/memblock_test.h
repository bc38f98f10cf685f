/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/memblock_test.h - what tests/test_memblock.c (the region API,
 * flags, iterators, limits, dump and tracing) and tests/test_memblock_alloc.c
 * (the allocation API) share: the machine and its dummy memory, the reset
 * and setup helpers, and the checks.  Linux's suite splits the same way
 * (basic_api.c, alloc_api.c, alloc_nid_api.c under tools/testing/memblock).
 *
 * Setup.  A machine is booted; its memblock is saved, every case starts
 * from memblock_init_state(&memblock) (Linux's reset_memblock_regions and
 * reset_memblock_attributes), and the saved state is put back before
 * shutdown.  Cases that only move addresses around use any addresses, up to
 * PHYS_ADDR_MAX.  Cases that allocate (and so write, through __va) use one
 * MAX_PAGE_ORDER block of the machine's RAM taken from the page allocator:
 * the "dummy physical memory", of which setup_memblock() registers the first
 * MEM_SIZE bytes and fills them with 1s so that raw allocations can be told
 * from zeroed ones.
 */
#ifndef MMSIM_TESTS_MEMBLOCK_TEST_H
#define MMSIM_TESTS_MEMBLOCK_TEST_H

#include <mmsim/mmsim.h>
#include "ktest.h"

/* Byte sizes below compiler.h's SZ_1K. */
#ifndef SZ_2
#define SZ_2	2UL
#define SZ_16	16UL
#define SZ_64	64UL
#define SZ_128	128UL
#define SZ_256	256UL
#define SZ_512	512UL
#endif

#define MEM_SIZE		SZ_32K	/* memory registered by setup_memblock() */
#define MEM_START		(dummy_base)
#define MEM_END			(dummy_base + MEM_SIZE)
#define NUMA_NODES		8
#define SMP_CACHE_BYTES		64
#define REGION_SIZE		sizeof(struct memblock_region)
/* What memblock_double_array() reserves for INIT_MEMBLOCK_REGIONS * 2. */
#define NEW_ARRAY_SIZE		PAGE_ALIGN(INIT_MEMBLOCK_REGIONS * 2 * REGION_SIZE)

/*
 * The NUMA layout of setup_numa_memblock(), as in Linux's suite: node i is
 * memory region i, and the nodes' shares of MEM_SIZE are, in 1/10000ths,
 * 2500, 625, 1250, 1250, 625, 625, 2500, 625.  NODE_CUM(n) sums the first
 * n shares; NODE_OFF(n) is node n's offset from the start of the memory.
 */
#define NODE_CUM(n)							\
	((n) <= 0 ? 0 : (n) == 1 ? 2500 : (n) == 2 ? 3125 : (n) == 3 ? 4375 :	\
	 (n) == 4 ? 5625 : (n) == 5 ? 6250 : (n) == 6 ? 6875 : (n) == 7 ? 9375 : 10000)
#define NODE_OFF(n)		(MEM_SIZE * NODE_CUM(n) / 10000)
#define NODE_END(n)		NODE_OFF((n) + 1)
#define NODE_SZ(n)		(NODE_END(n) - NODE_OFF(n))

static struct mmsim *machine;
static struct memblock_state saved_memblock;	/* the machine's, put back at the end */

static struct page *dummy_pages;
static phys_addr_t dummy_base;		/* real, unused RAM of the machine */
static phys_addr_t phys_mem_size;	/* PAGE_SIZE << MAX_PAGE_ORDER */

/* The mode an allocation case runs in, set by its variant. */
enum alloc_mode { MODE_ZEROED, MODE_RAW, MODE_EXACT };
static bool test_bottom_up;
static enum alloc_mode test_mode;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static inline void set_mode(bool bottom_up, enum alloc_mode mode)
{
	test_bottom_up = bottom_up;
	test_mode = mode;
}

#define VALID()		KT_ASSERT(memblock_is_valid())

#define CHECK_RGN(type, i, b, s)					\
	do {								\
		KT_EQ(memblock.type.regions[i].base, (b));		\
		KT_EQ(memblock.type.regions[i].size, (s));		\
	} while (0)

#define CHECK_TYPE(type, c, total)					\
	do {								\
		KT_EQ(memblock.type.cnt, (c));				\
		KT_EQ(memblock.type.total_size, (total));		\
	} while (0)

/* An empty memblock, keeping the direction the case runs in. */
static inline void reset_memblock(void)
{
	memblock_init_state(&memblock);
	memblock_set_bottom_up(test_bottom_up);
}

static inline void fill_memblock(void)
{
	memset(__va(dummy_base), 1, phys_mem_size);
}

/* Register the first MEM_SIZE bytes of the dummy memory. */
static inline void setup_memblock(void)
{
	reset_memblock();
	memblock_add(dummy_base, MEM_SIZE);
	fill_memblock();
}

/* MEM_SIZE split over NUMA_NODES nodes; node i is memory region i. */
static inline void setup_numa_memblock(void)
{
	int i;

	reset_memblock();
	for (i = 0; i < NUMA_NODES; i++)
		memblock_add_node(dummy_base + NODE_OFF(i), NODE_SZ(i), i, MEMBLOCK_NONE);
	fill_memblock();
}

static inline phys_addr_t node_base(int nid)
{
	return memblock.memory.regions[nid].base;
}

static inline phys_addr_t node_size(int nid)
{
	return memblock.memory.regions[nid].size;
}

static inline phys_addr_t node_end(int nid)
{
	return node_base(nid) + node_size(nid);
}

static inline void *run_alloc(phys_addr_t size, phys_addr_t align)
{
	if (test_mode == MODE_ZEROED)
		return memblock_alloc(size, align);
	return memblock_alloc_raw(size, align);
}

static inline void *run_alloc_nid(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
			   phys_addr_t max_addr, int nid)
{
	switch (test_mode) {
	case MODE_ZEROED:
		return memblock_alloc_try_nid(size, align, min_addr, max_addr, nid);
	case MODE_RAW:
		return memblock_alloc_try_nid_raw(size, align, min_addr, max_addr, nid);
	default:
		return memblock_alloc_exact_nid_raw(size, align, min_addr, max_addr, nid);
	}
}

/* Zeroed allocations read 0; raw ones still hold fill_memblock()'s 1s. */
static inline bool content_ok(const void *ptr, phys_addr_t size, bool zeroed)
{
	const unsigned char *c = ptr;
	phys_addr_t i;

	for (i = 0; i < size; i++)
		if (c[i] != (zeroed ? 0 : 1))
			return false;
	return true;
}

#define CHECK_ALLOC(ptr, exp_base, size)				\
	do {								\
		KT_ASSERT((ptr) != NULL);				\
		if (ptr) {						\
			KT_EQ(__pa(ptr), (exp_base));			\
			KT_ASSERT(content_ok(ptr, size, test_mode == MODE_ZEROED)); \
		}							\
	} while (0)

/* The kernel log so far (dmesg format); the caller frees it. */
static inline char *kernel_log(void)
{
	return mmsim_read(machine, "/dev/kmsg");
}

/* Boot the machine and take the dummy memory; false (and a message) on failure. */
static inline bool memblock_test_begin(void)
{
	machine = mmsim_boot("ram=256M");
	if (!machine) {
		fprintf(stderr, "mmsim_boot: %s\n", mmsim_last_error());
		return false;
	}
	saved_memblock = memblock;
	phys_mem_size = PAGE_SIZE << MAX_PAGE_ORDER;
	dummy_pages = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
	if (!dummy_pages) {
		fprintf(stderr, "no MAX_PAGE_ORDER block for the dummy memory\n");
		return false;
	}
	dummy_base = page_to_phys(dummy_pages);
	return true;
}

/* Put the machine's memblock back and shut it down. */
static inline void memblock_test_end(void)
{
	memblock = saved_memblock;
	__free_pages(dummy_pages, MAX_PAGE_ORDER);
	mmsim_shutdown(machine);
}

#endif
