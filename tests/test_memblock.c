// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_memblock.c - unit tests of mm/memblock.c and mm/memblock_alloc.c.
 *
 * The cases follow the semantics of Linux's user-space memblock suite
 * (tools/testing/memblock/tests: basic_api, alloc_api, alloc_helpers_api,
 * alloc_nid_api, alloc_exact_nid_api), rewritten for mmsim, plus the parts
 * of the API that suite does not reach (flags, iterators, limits, dump,
 * tracing, memblock_free_all).
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
 *
 * Allocation cases run top-down and bottom-up, and through the zeroing and
 * the raw (and, for the _nid cases, the exact-node) entry points.  Every
 * case checks memblock_is_valid() after each step.
 */
#include <mmsim/mmsim.h>
#include "ktest.h"

/* Byte sizes below compiler.h's SZ_1K. */
#ifndef SZ_2
#define SZ_2	2UL
#endif
#ifndef SZ_16
#define SZ_16	16UL
#endif
#ifndef SZ_64
#define SZ_64	64UL
#endif
#ifndef SZ_128
#define SZ_128	128UL
#endif
#ifndef SZ_256
#define SZ_256	256UL
#endif
#ifndef SZ_512
#define SZ_512	512UL
#endif

#define MEM_SIZE		SZ_32K	/* memory registered by setup_memblock() */
#define NUMA_NODES		8
#define SMP_CACHE_BYTES		64
#define REGION_SIZE		sizeof(struct memblock_region)
/* What memblock_double_array() reserves for INIT_MEMBLOCK_REGIONS * 2. */
#define NEW_ARRAY_SIZE		PAGE_ALIGN(INIT_MEMBLOCK_REGIONS * 2 * REGION_SIZE)

static struct mmsim *machine;
static struct memblock_state saved_memblock;	/* the machine's, put back at the end */

static struct page *dummy_pages;
static phys_addr_t dummy_base;		/* real, unused RAM of the machine */
static phys_addr_t phys_mem_size;	/* PAGE_SIZE << MAX_PAGE_ORDER */

/* The mode an allocation case runs in, set by its wrapper. */
enum alloc_mode { MODE_ZEROED, MODE_RAW, MODE_EXACT };
static bool test_bottom_up;
static enum alloc_mode test_mode;

/* ------------------------------------------------------------------ */
/* Helpers                                                             */
/* ------------------------------------------------------------------ */

static void set_mode(bool bottom_up, enum alloc_mode mode)
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
static void reset_memblock(void)
{
	memblock_init_state(&memblock);
	memblock_set_bottom_up(test_bottom_up);
}

static void fill_memblock(void)
{
	memset(__va(dummy_base), 1, phys_mem_size);
}

/* Register the first MEM_SIZE bytes of the dummy memory. */
static void setup_memblock(void)
{
	reset_memblock();
	memblock_add(dummy_base, MEM_SIZE);
	fill_memblock();
}

/* Share of MEM_SIZE of each node, in 1/10000ths, as in Linux's suite. */
static const unsigned int node_fractions[NUMA_NODES] = {
	2500, 625, 1250, 1250, 625, 625, 2500, 625,
};

/* MEM_SIZE split over NUMA_NODES nodes; node i is memory region i. */
static void setup_numa_memblock(void)
{
	phys_addr_t base = dummy_base;
	int i;

	reset_memblock();
	for (i = 0; i < NUMA_NODES; i++) {
		phys_addr_t size = MEM_SIZE * node_fractions[i] / 10000;

		memblock_add_node(base, size, i, MEMBLOCK_NONE);
		base += size;
	}
	fill_memblock();
}

static phys_addr_t node_base(int nid)
{
	return memblock.memory.regions[nid].base;
}

static phys_addr_t node_size(int nid)
{
	return memblock.memory.regions[nid].size;
}

static phys_addr_t node_end(int nid)
{
	return node_base(nid) + node_size(nid);
}

static void *run_alloc(phys_addr_t size, phys_addr_t align)
{
	if (test_mode == MODE_ZEROED)
		return memblock_alloc(size, align);
	return memblock_alloc_raw(size, align);
}

static void *run_alloc_from(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr)
{
	return memblock_alloc_from(size, align, min_addr);
}

static void *run_alloc_nid(phys_addr_t size, phys_addr_t align, phys_addr_t min_addr,
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
static bool content_ok(const void *ptr, phys_addr_t size, bool zeroed)
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
static char *kernel_log(void)
{
	return mmsim_read(machine, "/dev/kmsg");
}

/* ------------------------------------------------------------------ */
/* Initial state                                                       */
/* ------------------------------------------------------------------ */

/* The machine's own memblock, as boot left it. */
static void test_machine_memblock_valid(void)
{
	KT_ASSERT(memblock_is_valid());
	KT_ASSERT(memblock_phys_mem_size() > 0);
	KT_ASSERT(memblock_reserved_size() > 0);
}

static void test_init_state(void)
{
	memblock_init_state(&memblock);

	KT_ASSERT(memblock.memory.regions == memblock.memory_init_regions);
	CHECK_TYPE(memory, 1, 0);
	KT_EQ(memblock.memory.max, INIT_MEMBLOCK_REGIONS);
	KT_ASSERT(!strcmp(memblock.memory.name, "memory"));
	CHECK_RGN(memory, 0, 0, 0);

	KT_ASSERT(memblock.reserved.regions == memblock.reserved_init_regions);
	CHECK_TYPE(reserved, 1, 0);
	KT_EQ(memblock.reserved.max, INIT_MEMBLOCK_RESERVED_REGIONS);
	KT_ASSERT(!strcmp(memblock.reserved.name, "reserved"));

	KT_ASSERT(!memblock.bottom_up);
	KT_ASSERT(!memblock_bottom_up());
	KT_EQ(memblock.current_limit, MEMBLOCK_ALLOC_ANYWHERE);
	KT_EQ(memblock_get_current_limit(), MEMBLOCK_ALLOC_ANYWHERE);
	KT_ASSERT(!memblock.can_resize);
	VALID();
}

static void test_bottom_up_setting(void)
{
	memblock_init_state(&memblock);
	memblock_set_bottom_up(true);
	KT_ASSERT(memblock_bottom_up());
	KT_ASSERT(memblock.bottom_up);
	memblock_set_bottom_up(false);
	KT_ASSERT(!memblock_bottom_up());

	memblock_set_current_limit(SZ_1G);
	KT_EQ(memblock_get_current_limit(), SZ_1G);
}

/* ------------------------------------------------------------------ */
/* Region cases: add, reserve, remove, free, trim                      */
/* ------------------------------------------------------------------ */

enum step_op { OP_END, OP_ADD, OP_ADD_NODE, OP_RESERVE, OP_REMOVE, OP_PHYS_FREE, OP_TRIM };

/* One call on memblock; each must return 0. */
struct step {
	enum step_op op;
	phys_addr_t base, size;		/* OP_TRIM: size is the alignment */
	int nid;			/* OP_ADD_NODE */
	enum memblock_flags flags;	/* OP_ADD_NODE */
};

#define ADD(b, s)		{ OP_ADD, (b), (s), 0, 0 }
#define ADD_NODE(b, s, n, f)	{ OP_ADD_NODE, (b), (s), (n), (f) }
#define RESERVE(b, s)		{ OP_RESERVE, (b), (s), 0, 0 }
#define REMOVE(b, s)		{ OP_REMOVE, (b), (s), 0, 0 }
#define PHYS_FREE(b, s)		{ OP_PHYS_FREE, (b), (s), 0, 0 }
#define TRIM(align)		{ OP_TRIM, 0, (align), 0, 0 }

/* An expected region; with attrs, its nid and flags are checked too. */
struct rgn {
	phys_addr_t base, size;
	bool attrs;
	int nid;
	enum memblock_flags flags;
};

#define R(b, s)			{ (b), (s), false, 0, 0 }
#define RA(b, s, n, f)		{ (b), (s), true, (n), (f) }

/*
 * From an empty memblock, run @steps; then memblock is valid, and the type
 * the table is about has @cnt regions, the first of which are @rgn, and
 * @total bytes (memblock_phys_mem_size() or memblock_reserved_size() too).
 */
struct region_case {
	const char *name;
	struct step steps[6];
	unsigned long cnt;
	phys_addr_t total;
	struct rgn rgn[3];
};

static int run_step(const struct step *st)
{
	switch (st->op) {
	case OP_ADD:
		return memblock_add(st->base, st->size);
	case OP_ADD_NODE:
		return memblock_add_node(st->base, st->size, st->nid, st->flags);
	case OP_RESERVE:
		return memblock_reserve(st->base, st->size);
	case OP_REMOVE:
		return memblock_remove(st->base, st->size);
	case OP_PHYS_FREE:
		return memblock_phys_free(st->base, st->size);
	case OP_TRIM:
		memblock_trim_memory(st->size);
		return 0;
	default:
		return -EINVAL;
	}
}

static void run_region_case(const struct region_case *c, bool reserved)
{
	struct memblock_type *type = reserved ? &memblock.reserved : &memblock.memory;
	const struct step *st;
	unsigned long i;

	reset_memblock();
	for (st = c->steps; st < c->steps + ARRAY_SIZE(c->steps) && st->op != OP_END; st++)
		KT_EQ_WHAT(run_step(st), 0, "steps[%d] returned", (int)(st - c->steps));
	VALID();
	KT_EQ_WHAT(type->cnt, c->cnt, "%s.cnt", type->name);
	KT_EQ_WHAT(type->total_size, c->total, "%s.total_size", type->name);
	KT_EQ_WHAT(reserved ? memblock_reserved_size() : memblock_phys_mem_size(), c->total,
		   "%s size", type->name);
	for (i = 0; i < c->cnt && i < ARRAY_SIZE(c->rgn); i++) {
		const struct memblock_region *r = &type->regions[i];
		const struct rgn *e = &c->rgn[i];

		KT_EQ_WHAT(r->base, e->base, "%s[%lu].base", type->name, i);
		KT_EQ_WHAT(r->size, e->size, "%s[%lu].size", type->name, i);
		if (e->attrs) {
			KT_EQ_WHAT(r->nid, e->nid, "%s[%lu].nid", type->name, i);
			KT_EQ_WHAT(r->flags, e->flags, "%s[%lu].flags", type->name, i);
		}
	}
}

/* Every case of @cases, a test each, checking memblock.reserved or .memory. */
static void run_region_cases(const struct region_case *cases, size_t n, bool reserved)
{
	const struct region_case *c;

	for (c = cases; c < cases + n; c++) {
		kt_begin(c->name);
		run_region_case(c, reserved);
		kt_end();
	}
}

#define NEAR_MAX	(PHYS_ADDR_MAX - SZ_1M)	/* ranges past PHYS_ADDR_MAX are cut */

/* Each row: { name, { steps }, cnt, total, { regions } }, of memory. */
static const struct region_case add_cases[] = {
	{ "test_add_simple", { ADD(SZ_1G, SZ_4M) },
	  1, SZ_4M, { RA(SZ_1G, SZ_4M, MAX_NUMNODES, MEMBLOCK_NONE) } },
	{ "test_add_node_simple", { ADD_NODE(SZ_1M, SZ_16M, 1, MEMBLOCK_HOTPLUG) },
	  1, SZ_16M, { RA(SZ_1M, SZ_16M, 1, MEMBLOCK_HOTPLUG) } },
	{ "test_add_disjoint", { ADD(SZ_1G, SZ_8K), ADD(SZ_1G + SZ_16K, SZ_8K) },
	  2, 2 * SZ_8K, { R(SZ_1G, SZ_8K), R(SZ_1G + SZ_16K, SZ_8K) } },
	/* r2 overlaps the start of r1: one region from r2.base to r1's end. */
	{ "test_add_overlap_top", { ADD(SZ_512M, SZ_1G), ADD(SZ_256M, SZ_512M) },
	  1, SZ_256M + SZ_1G, { R(SZ_256M, SZ_256M + SZ_1G) } },
	/* r2 overlaps the end of r1: one region from r1.base to r2's end. */
	{ "test_add_overlap_bottom", { ADD(SZ_128M, SZ_512M), ADD(SZ_256M, SZ_1G) },
	  1, SZ_128M + SZ_1G, { R(SZ_128M, SZ_128M + SZ_1G) } },
	{ "test_add_within", { ADD(SZ_8M, SZ_32M), ADD(SZ_16M, SZ_1M) },
	  1, SZ_32M, { R(SZ_8M, SZ_32M) } },
	{ "test_add_twice", { ADD(SZ_16K, SZ_2M), ADD(SZ_16K, SZ_2M) },
	  1, SZ_2M, { R(SZ_16K, SZ_2M) } },
	/* r3 fills the gap between r1 and r2 exactly: all three merge. */
	{ "test_add_between",
	  { ADD(SZ_1G, SZ_8K), ADD(SZ_1G + SZ_16K, SZ_8K), ADD(SZ_1G + SZ_8K, SZ_8K) },
	  1, 3 * SZ_8K, { R(SZ_1G, 3 * SZ_8K) } },
	/* r3 covers r1, the gap and r2, sticking out on both sides. */
	{ "test_add_spanning",
	  { ADD(SZ_1G, SZ_8K), ADD(SZ_1G + SZ_16K, SZ_8K), ADD(SZ_1G - SZ_4K, SZ_32K) },
	  1, SZ_32K, { R(SZ_1G - SZ_4K, SZ_32K) } },
	{ "test_add_near_max", { ADD(NEAR_MAX, SZ_2M) }, 1, SZ_1M, { R(NEAR_MAX, SZ_1M) } },
	{ "test_add_zero_size", { ADD(SZ_1G, 0) }, 1, 0, { R(0, 0) } },
	/* Touching regions of different nid or flags stay apart. */
	{ "test_add_incompatible_neighbours",
	  { ADD_NODE(SZ_1G, SZ_1M, 0, MEMBLOCK_NONE),
	    ADD_NODE(SZ_1G + SZ_1M, SZ_1M, 1, MEMBLOCK_NONE),
	    ADD_NODE(SZ_1G + SZ_2M, SZ_1M, 1, MEMBLOCK_HOTPLUG) },
	  3, 3 * SZ_1M,
	  { RA(SZ_1G, SZ_1M, 0, MEMBLOCK_NONE), RA(SZ_1G + SZ_1M, SZ_1M, 1, MEMBLOCK_NONE),
	    RA(SZ_1G + SZ_2M, SZ_1M, 1, MEMBLOCK_HOTPLUG) } },
};

/* Of reserved. */
static const struct region_case reserve_cases[] = {
	{ "test_reserve_simple", { RESERVE(SZ_2G, SZ_128M) }, 1, SZ_128M, { R(SZ_2G, SZ_128M) } },
	{ "test_reserve_disjoint", { RESERVE(SZ_256M, SZ_16M), RESERVE(SZ_512M, SZ_512M) },
	  2, SZ_16M + SZ_512M, { R(SZ_256M, SZ_16M), R(SZ_512M, SZ_512M) } },
	{ "test_reserve_overlap_top", { RESERVE(SZ_1G, SZ_1G), RESERVE(SZ_128M, SZ_1G) },
	  1, SZ_2G - SZ_128M, { R(SZ_128M, SZ_2G - SZ_128M) } },
	{ "test_reserve_overlap_bottom", { RESERVE(SZ_2K, SZ_128K), RESERVE(SZ_128K, SZ_128K) },
	  1, SZ_256K - SZ_2K, { R(SZ_2K, SZ_256K - SZ_2K) } },
	{ "test_reserve_within", { RESERVE(SZ_1M, SZ_8M), RESERVE(SZ_2M, SZ_64K) },
	  1, SZ_8M, { R(SZ_1M, SZ_8M) } },
	{ "test_reserve_twice", { RESERVE(SZ_16K, SZ_2M), RESERVE(SZ_16K, SZ_2M) },
	  1, SZ_2M, { R(SZ_16K, SZ_2M) } },
	{ "test_reserve_between",
	  { RESERVE(SZ_1G, SZ_8K), RESERVE(SZ_1G + SZ_16K, SZ_8K), RESERVE(SZ_1G + SZ_8K, SZ_8K) },
	  1, 3 * SZ_8K, { R(SZ_1G, 3 * SZ_8K) } },
	{ "test_reserve_near_max", { RESERVE(NEAR_MAX, SZ_2M) }, 1, SZ_1M, { R(NEAR_MAX, SZ_1M) } },
};

/* Of memory. */
static const struct region_case remove_cases[] = {
	{ "test_remove_simple", { ADD(SZ_2K, SZ_4K), ADD(SZ_128K, SZ_4M), REMOVE(SZ_2K, SZ_4K) },
	  1, SZ_4M, { R(SZ_128K, SZ_4M) } },
	{ "test_remove_absent", { ADD(SZ_512K, SZ_4M), REMOVE(SZ_64M, SZ_1G) },
	  1, SZ_4M, { R(SZ_512K, SZ_4M) } },
	{ "test_remove_overlap_top", { ADD(SZ_32M, SZ_32M), REMOVE(SZ_16M, SZ_32M) },
	  1, SZ_16M, { R(SZ_16M + SZ_32M, SZ_16M) } },
	{ "test_remove_overlap_bottom", { ADD(SZ_2M, SZ_64M), REMOVE(SZ_32M, SZ_256M) },
	  1, SZ_32M - SZ_2M, { R(SZ_2M, SZ_32M - SZ_2M) } },
	{ "test_remove_within", { ADD(SZ_1M, SZ_32M), REMOVE(SZ_16M, SZ_1M) },
	  2, SZ_32M - SZ_1M, { R(SZ_1M, SZ_16M - SZ_1M), R(SZ_16M + SZ_1M, SZ_16M) } },
	/* Removing the only region leaves the empty dummy. */
	{ "test_remove_only_region", { ADD(SZ_2K, SZ_4K), REMOVE(SZ_2K, SZ_4K) },
	  1, 0, { R(0, 0) } },
	{ "test_remove_near_max", { ADD(NEAR_MAX - SZ_1M, SZ_2M), REMOVE(NEAR_MAX, SZ_2M) },
	  1, SZ_1M, { R(NEAR_MAX - SZ_1M, SZ_1M) } },
	/* r3 takes the end of r1 and the start of r2. */
	{ "test_remove_overlap_two",
	  { ADD(SZ_16M, SZ_32M), ADD(SZ_64M, SZ_64M), REMOVE(SZ_32M, SZ_64M) },
	  2, SZ_16M + SZ_32M, { R(SZ_16M, SZ_16M), R(SZ_32M + SZ_64M, SZ_32M) } },
	/* One remove covering several regions removes them all. */
	{ "test_remove_spanning",
	  { ADD(SZ_16M, SZ_1M), ADD(SZ_32M, SZ_1M), ADD(SZ_64M, SZ_1M), ADD(SZ_128M, SZ_1M),
	    REMOVE(SZ_16M + SZ_1M / 2, SZ_64M) },
	  2, SZ_1M + SZ_1M / 2, { R(SZ_16M, SZ_1M / 2), R(SZ_128M, SZ_1M) } },
};

/* memblock_phys_free; of reserved. */
static const struct region_case free_cases[] = {
	{ "test_free_simple",
	  { RESERVE(SZ_4M, SZ_1M), RESERVE(SZ_8M, SZ_1M), PHYS_FREE(SZ_4M, SZ_1M) },
	  1, SZ_1M, { R(SZ_8M, SZ_1M) } },
	{ "test_free_absent", { RESERVE(SZ_2M, SZ_8K), PHYS_FREE(SZ_16M, SZ_128M) },
	  1, SZ_8K, { R(SZ_2M, SZ_8K) } },
	{ "test_free_overlap_top", { RESERVE(SZ_8M, SZ_32M), PHYS_FREE(SZ_1M, SZ_8M) },
	  1, SZ_32M - SZ_1M, { R(SZ_8M + SZ_1M, SZ_32M - SZ_1M) } },
	{ "test_free_overlap_bottom", { RESERVE(SZ_8M, SZ_32M), PHYS_FREE(SZ_32M, SZ_32M) },
	  1, SZ_32M - SZ_8M, { R(SZ_8M, SZ_32M - SZ_8M) } },
	{ "test_free_within", { RESERVE(SZ_1M, SZ_8M), PHYS_FREE(SZ_4M, SZ_1M) },
	  2, SZ_8M - SZ_1M, { R(SZ_1M, SZ_4M - SZ_1M), R(SZ_4M + SZ_1M, SZ_4M) } },
	{ "test_free_only_region", { RESERVE(SZ_2K, SZ_4K), PHYS_FREE(SZ_2K, SZ_4K) },
	  1, 0, { R(0, 0) } },
	{ "test_free_near_max", { RESERVE(NEAR_MAX - SZ_1M, SZ_2M), PHYS_FREE(NEAR_MAX, SZ_2M) },
	  1, SZ_1M, { R(NEAR_MAX - SZ_1M, SZ_1M) } },
	{ "test_free_overlap_two",
	  { RESERVE(SZ_16M, SZ_32M), RESERVE(SZ_64M, SZ_64M), PHYS_FREE(SZ_32M, SZ_64M) },
	  2, SZ_16M + SZ_32M, { R(SZ_16M, SZ_16M), R(SZ_32M + SZ_64M, SZ_32M) } },
};

/* Of memory. */
static const struct region_case trim_cases[] = {
	{ "test_trim_memory_aligned", { ADD(SZ_1G, SZ_1M), ADD(SZ_2G, SZ_1M), TRIM(SZ_4K) },
	  2, 2 * SZ_1M, { R(SZ_1G, SZ_1M), R(SZ_2G, SZ_1M) } },
	/* A region smaller than the alignment, between aligned ones, goes away. */
	{ "test_trim_memory_too_small",
	  { ADD(SZ_1G, SZ_1M), ADD(SZ_1G + SZ_2M, SZ_2K), ADD(SZ_2G, SZ_1M), TRIM(SZ_4K) },
	  2, 2 * SZ_1M, { R(SZ_1G, SZ_1M), R(SZ_2G, SZ_1M) } },
	{ "test_trim_memory_unaligned_base",
	  { ADD(SZ_1G, SZ_1M), ADD(SZ_2G + 100, SZ_1M - 100), TRIM(SZ_4K) },
	  2, 2 * SZ_1M - SZ_4K, { R(SZ_1G, SZ_1M), R(SZ_2G + SZ_4K, SZ_1M - SZ_4K) } },
	{ "test_trim_memory_unaligned_end",
	  { ADD(SZ_1G, SZ_1M), ADD(SZ_2G, SZ_1M + 100), TRIM(SZ_4K) },
	  2, 2 * SZ_1M, { R(SZ_1G, SZ_1M), R(SZ_2G, SZ_1M) } },
	{ "test_trim_memory_all_gone",
	  { ADD(SZ_1G + 1, SZ_2K), ADD(SZ_2G + 1, SZ_2K), TRIM(SZ_4K) }, 1, 0, { R(0, 0) } },
};

/* ------------------------------------------------------------------ */
/* Growing the arrays                                                  */
/* ------------------------------------------------------------------ */

/*
 * INIT_MEMBLOCK_REGIONS disjoint regions fill the array; the next one makes
 * memblock_double_array() take a new array from memblock itself (all the
 * regions here are real RAM), reserve it, and go on.
 */
static void test_add_many(void)
{
	phys_addr_t array_size = NEW_ARRAY_SIZE;
	phys_addr_t base = dummy_base, gap = SZ_8K, rsize = SZ_8K;
	phys_addr_t first = array_size;
	unsigned long i;

	reset_memblock();
	memblock_allow_resize();
	fill_memblock();

	/* Room for the new array, then small regions with gaps. */
	memblock_add(base, first);
	base += first + gap;
	for (i = 0; i < INIT_MEMBLOCK_REGIONS; i++) {
		KT_EQ(memblock_add(base, rsize), 0);
		base += rsize + gap;
		KT_EQ(memblock.memory.cnt, i + 2);
		KT_EQ(memblock.memory.total_size, first + (i + 1) * rsize);
	}
	VALID();

	/* Doubled when the 129th region came in. */
	KT_EQ(memblock.memory.max, 2 * INIT_MEMBLOCK_REGIONS);
	KT_ASSERT(memblock.memory.regions != memblock.memory_init_regions);
	CHECK_TYPE(reserved, 1, array_size);
	KT_EQ(__pa(memblock.memory.regions), memblock.reserved.regions[0].base);
	KT_ASSERT(memblock_is_region_memory(memblock.reserved.regions[0].base, array_size));

	/* The grown array keeps working. */
	memblock_add(SZ_4K, SZ_4K);
	VALID();
	KT_EQ(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS + 2);
	KT_EQ(memblock.memory.regions[0].size, SZ_4K);
	KT_EQ(memblock.memory.total_size, first + INIT_MEMBLOCK_REGIONS * rsize + SZ_4K);
}

/* Without memblock_allow_resize() a full array refuses more regions. */
static void test_add_many_no_resize(void)
{
	phys_addr_t base = SZ_1G;
	unsigned long i;

	reset_memblock();
	for (i = 0; i < INIT_MEMBLOCK_REGIONS; i++) {
		KT_EQ(memblock_add(base, SZ_4K), 0);
		base += SZ_8K;
	}
	KT_EQ(memblock_add(base, SZ_4K), -ENOMEM);
	VALID();
	KT_EQ(memblock.memory.cnt, INIT_MEMBLOCK_REGIONS);
	KT_EQ(memblock.memory.max, INIT_MEMBLOCK_REGIONS);
	KT_ASSERT(memblock.memory.regions == memblock.memory_init_regions);
	/* Splitting needs room too: removing from the middle of one fails. */
	KT_EQ(memblock_remove(SZ_1G + SZ_1K, SZ_1K), -ENOMEM);
	/* Adding inside an existing region needs no new slot. */
	KT_EQ(memblock_add(SZ_1G, SZ_2K), 0);
	VALID();
}

/* ------------------------------------------------------------------ */
/* memblock_reserve                                                    */
/* ------------------------------------------------------------------ */

/* Where the i-th of the many reserved regions goes: above the dummy memory. */
static phys_addr_t many_base(unsigned long i)
{
	return dummy_base + phys_mem_size + i * 2 * MEM_SIZE;
}

/*
 * Reserving INIT_MEMBLOCK_REGIONS + 1 disjoint regions doubles the reserved
 * array; the new array comes from memory and is itself reserved.
 */
static void test_reserve_many(void)
{
	unsigned long i;

	reset_memblock();
	memblock_allow_resize();
	memblock_add(dummy_base, MEM_SIZE);
	for (i = 0; i < INIT_MEMBLOCK_REGIONS; i++) {
		memblock_reserve(many_base(i), MEM_SIZE);
		KT_EQ(memblock.reserved.cnt, i + 1);
		KT_EQ(memblock.reserved.total_size, (i + 1) * MEM_SIZE);
	}
	VALID();

	memblock_reserve(many_base(i), MEM_SIZE);
	VALID();
	KT_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS + 2);
	KT_EQ(memblock.reserved.total_size,
	      (INIT_MEMBLOCK_REGIONS + 1) * MEM_SIZE + NEW_ARRAY_SIZE);
	KT_EQ(memblock.reserved.max, 2 * INIT_MEMBLOCK_REGIONS);
	/* Top-down: the new array sits at the top of memory. */
	CHECK_RGN(reserved, 0, dummy_base + MEM_SIZE - NEW_ARRAY_SIZE, NEW_ARRAY_SIZE);
	KT_EQ(__pa(memblock.reserved.regions), dummy_base + MEM_SIZE - NEW_ARRAY_SIZE);

	/* And the array still takes new regions, in order. */
	memblock_reserve(SZ_16K, SZ_16K);
	VALID();
	CHECK_RGN(reserved, 0, SZ_16K, SZ_16K);
	KT_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS + 3);
	KT_EQ(memblock.reserved.max, 2 * INIT_MEMBLOCK_REGIONS);
}

/*
 * The region that overflows the array can land at any position among the
 * others; doubling works wherever the insertion happens.
 */
static void test_reserve_all_locations(void)
{
	unsigned long skip, i;

	for (skip = 0; skip < INIT_MEMBLOCK_REGIONS + 1; skip++) {
		reset_memblock();
		memblock_allow_resize();
		memblock_add(dummy_base, MEM_SIZE);

		for (i = 0; i < INIT_MEMBLOCK_REGIONS + 1; i++) {
			if (i == skip)
				continue;
			memblock_reserve(many_base(i), MEM_SIZE);
		}
		KT_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS);
		KT_EQ(memblock.reserved.max, INIT_MEMBLOCK_REGIONS);

		memblock_reserve(many_base(skip), MEM_SIZE);
		KT_ASSERT(memblock_is_valid());
		KT_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS + 2);
		KT_EQ(memblock.reserved.total_size,
		      (INIT_MEMBLOCK_REGIONS + 1) * MEM_SIZE + NEW_ARRAY_SIZE);
		KT_EQ(memblock.reserved.max, 2 * INIT_MEMBLOCK_REGIONS);
		KT_ASSERT(memblock_is_reserved(many_base(skip)));

		memblock_reserve(SZ_16K, SZ_16K);
		CHECK_RGN(reserved, 0, SZ_16K, SZ_16K);
		KT_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS + 3);
		VALID();
	}
}

/* Regions of the may-conflict case: every other 8K of the dummy memory. */
static phys_addr_t conflict_base(unsigned long i)
{
	return dummy_base + i * 2 * SZ_8K;
}

/*
 * The memory free for the new reserved array is the region being reserved
 * right now (the higher one, which top-down prefers) and region 0: the new
 * array must not go where the pending reservation is, so it lands at the
 * top of region 0.
 */
static void test_reserve_many_may_conflict(void)
{
	unsigned long skip, i;

	for (skip = 1; skip <= INIT_MEMBLOCK_REGIONS + 1; skip++) {
		reset_memblock();
		memblock_allow_resize();
		memblock_add(conflict_base(0), SZ_8K);
		memblock_add(conflict_base(skip), SZ_8K);

		for (i = 1; i <= INIT_MEMBLOCK_REGIONS + 1; i++) {
			if (i == skip)
				continue;
			memblock_reserve(conflict_base(i), SZ_8K);
		}
		KT_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS);

		memblock_reserve(conflict_base(skip), SZ_8K);
		KT_ASSERT(memblock_is_valid());
		KT_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS + 2);
		KT_EQ(memblock.reserved.total_size,
		      (INIT_MEMBLOCK_REGIONS + 1) * SZ_8K + NEW_ARRAY_SIZE);
		KT_EQ(memblock.reserved.max, 2 * INIT_MEMBLOCK_REGIONS);
		KT_EQ(memblock.reserved.regions[0].base + memblock.reserved.regions[0].size,
		      conflict_base(0) + SZ_8K);
		KT_EQ(memblock.reserved.regions[0].size, NEW_ARRAY_SIZE);

		memblock_reserve(SZ_16K, SZ_16K);
		CHECK_RGN(reserved, 0, SZ_16K, SZ_16K);
		KT_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS + 3);
		VALID();
	}
}

/* Doubling fails cleanly when no memory is free for the new array. */
static void test_reserve_many_no_memory(void)
{
	unsigned long i;

	reset_memblock();
	memblock_allow_resize();
	for (i = 0; i < INIT_MEMBLOCK_REGIONS; i++)
		memblock_reserve(many_base(i), MEM_SIZE);
	KT_EQ(memblock_reserve(many_base(i), MEM_SIZE), -ENOMEM);
	VALID();
	CHECK_TYPE(reserved, INIT_MEMBLOCK_REGIONS, INIT_MEMBLOCK_REGIONS * MEM_SIZE);
	KT_EQ(memblock.reserved.max, INIT_MEMBLOCK_REGIONS);
}

/* ------------------------------------------------------------------ */
/* memblock_free / memblock_phys_free                                  */
/* ------------------------------------------------------------------ */

/* memblock_free() takes the direct-map address of an allocation. */
static void test_free_virtual(void)
{
	void *a, *b;

	set_mode(false, MODE_ZEROED);
	setup_memblock();
	a = memblock_alloc(SZ_1K, SMP_CACHE_BYTES);
	b = memblock_alloc(SZ_1K, SMP_CACHE_BYTES);
	KT_ASSERT(a && b);
	CHECK_TYPE(reserved, 1, 2 * SZ_1K);
	memblock_free(a, SZ_1K);
	VALID();
	CHECK_RGN(reserved, 0, __pa(b), SZ_1K);
	CHECK_TYPE(reserved, 1, SZ_1K);
	memblock_free(NULL, SZ_1K);	/* ignored */
	memblock_free(b, SZ_1K);
	VALID();
	CHECK_TYPE(reserved, 1, 0);
}

/* ------------------------------------------------------------------ */
/* Flags, nodes, queries                                               */
/* ------------------------------------------------------------------ */

static void test_mark_hotplug(void)
{
	reset_memblock();
	memblock_add(SZ_1G, SZ_8M);
	KT_EQ(memblock_mark_hotplug(SZ_1G + SZ_2M, SZ_2M), 0);
	VALID();
	CHECK_TYPE(memory, 3, SZ_8M);
	CHECK_RGN(memory, 1, SZ_1G + SZ_2M, SZ_2M);
	KT_EQ(memblock.memory.regions[0].flags, MEMBLOCK_NONE);
	KT_EQ(memblock.memory.regions[1].flags, MEMBLOCK_HOTPLUG);
	KT_EQ(memblock.memory.regions[2].flags, MEMBLOCK_NONE);

	/* Marking again, wider: the marked parts merge. */
	memblock_mark_hotplug(SZ_1G + SZ_1M, SZ_4M);
	VALID();
	CHECK_TYPE(memory, 3, SZ_8M);
	CHECK_RGN(memory, 1, SZ_1G + SZ_1M, SZ_4M);

	/* Clearing everything merges back to one region. */
	KT_EQ(memblock_clear_hotplug(0, PHYS_ADDR_MAX), 0);
	VALID();
	CHECK_TYPE(memory, 1, SZ_8M);
	CHECK_RGN(memory, 0, SZ_1G, SZ_8M);
}

static void test_mark_nomap(void)
{
	reset_memblock();
	memblock_add(SZ_1G, SZ_8M);
	KT_EQ(memblock_mark_nomap(SZ_1G, SZ_1M), 0);
	VALID();
	CHECK_TYPE(memory, 2, SZ_8M);
	KT_ASSERT(memblock_is_nomap(&memblock.memory.regions[0]));
	KT_ASSERT(memblock_is_memory(SZ_1G));
	KT_ASSERT(!memblock_is_map_memory(SZ_1G));
	KT_ASSERT(memblock_is_map_memory(SZ_1G + SZ_1M));
	KT_ASSERT(!memblock_is_map_memory(SZ_2G));
}

/* memblock_set_node splits at the range's edges and merges equal nids. */
static void test_set_node(void)
{
	reset_memblock();
	memblock_add(SZ_1G, SZ_8M);
	KT_EQ(memblock.memory.regions[0].nid, MAX_NUMNODES);

	KT_EQ(memblock_set_node(SZ_1G + SZ_2M, SZ_2M, &memblock.memory, 1), 0);
	VALID();
	CHECK_TYPE(memory, 3, SZ_8M);
	KT_EQ(memblock.memory.regions[0].nid, MAX_NUMNODES);
	KT_EQ(memblock.memory.regions[1].nid, 1);
	KT_EQ(memblock.memory.regions[2].nid, MAX_NUMNODES);

	memblock_set_node(SZ_1G, SZ_2M, &memblock.memory, 1);
	VALID();
	CHECK_TYPE(memory, 2, SZ_8M);
	CHECK_RGN(memory, 0, SZ_1G, SZ_4M);
	KT_EQ(memblock.memory.regions[0].nid, 1);

	memblock_set_node(0, PHYS_ADDR_MAX, &memblock.memory, 0);
	VALID();
	CHECK_TYPE(memory, 1, SZ_8M);
	KT_EQ(memblock.memory.regions[0].nid, 0);

	/* Reserved regions can carry a node too. */
	memblock_reserve(SZ_1G, SZ_1M);
	memblock_set_node(SZ_1G, SZ_8M, &memblock.reserved, 0);
	VALID();
	KT_EQ(memblock.reserved.regions[0].nid, 0);
}

static void test_queries(void)
{
	reset_memblock();
	memblock_add(SZ_1G, SZ_8M);
	memblock_add(SZ_2G, SZ_4M);
	memblock_reserve(SZ_1G + SZ_1M, SZ_1M);
	VALID();

	KT_EQ(memblock_phys_mem_size(), SZ_8M + SZ_4M);
	KT_EQ(memblock_reserved_size(), SZ_1M);
	KT_EQ(memblock_start_of_DRAM(), SZ_1G);
	KT_EQ(memblock_end_of_DRAM(), SZ_2G + SZ_4M);

	KT_ASSERT(memblock_is_memory(SZ_1G));
	KT_ASSERT(memblock_is_memory(SZ_1G + SZ_8M - 1));
	KT_ASSERT(!memblock_is_memory(SZ_1G + SZ_8M));
	KT_ASSERT(!memblock_is_memory(SZ_1G - 1));
	KT_ASSERT(memblock_is_memory(SZ_2G + SZ_1M));
	KT_ASSERT(!memblock_is_memory(SZ_4G));

	KT_ASSERT(memblock_is_region_memory(SZ_1G, SZ_8M));
	KT_ASSERT(!memblock_is_region_memory(SZ_1G, SZ_8M + 1));
	KT_ASSERT(!memblock_is_region_memory(SZ_1G + SZ_4M, SZ_2G));
	KT_ASSERT(!memblock_is_region_memory(SZ_1G - SZ_4K, SZ_8K));

	KT_ASSERT(memblock_is_reserved(SZ_1G + SZ_1M));
	KT_ASSERT(!memblock_is_reserved(SZ_1G + SZ_2M));
	KT_ASSERT(memblock_is_region_reserved(SZ_1G, SZ_1M + 1));
	KT_ASSERT(!memblock_is_region_reserved(SZ_1G, SZ_1M));
	KT_ASSERT(!memblock_is_region_reserved(SZ_1G + SZ_2M, SZ_1M));
	KT_ASSERT(memblock_is_region_reserved(0, PHYS_ADDR_MAX));

	/* memblock_overlaps_region, at the edges. */
	KT_ASSERT(memblock_overlaps_region(&memblock.memory, SZ_1G - SZ_1M, SZ_1M + 1));
	KT_ASSERT(!memblock_overlaps_region(&memblock.memory, SZ_1G - SZ_1M, SZ_1M));
	KT_ASSERT(!memblock_overlaps_region(&memblock.memory, SZ_1G + SZ_8M, SZ_1M));
	KT_ASSERT(memblock_overlaps_region(&memblock.memory, SZ_1G + SZ_8M - 1, SZ_1M));
	KT_ASSERT(memblock_overlaps_region(&memblock.memory, SZ_1G + SZ_1M, SZ_4K));
	KT_ASSERT(memblock_overlaps_region(&memblock.memory, 0, PHYS_ADDR_MAX));
	KT_ASSERT(!memblock_overlaps_region(&memblock.memory, SZ_4G, PHYS_ADDR_MAX));

	/* Empty memblock. */
	reset_memblock();
	KT_ASSERT(!memblock_is_memory(0));
	KT_ASSERT(!memblock_is_reserved(SZ_1G));
	KT_EQ(memblock_phys_mem_size(), 0);
}

/* ------------------------------------------------------------------ */
/* Iterators                                                           */
/* ------------------------------------------------------------------ */

struct range { phys_addr_t start, end; int nid; };

static int collect_free(int nid, enum memblock_flags flags, struct range *out, int max)
{
	phys_addr_t start, end;
	uint64_t i;
	int n = 0, rnid;

	for_each_free_mem_range(i, nid, flags, &start, &end, &rnid) {
		if (n < max)
			out[n] = (struct range){ start, end, rnid };
		n++;
	}
	return n;
}

static int collect_free_rev(int nid, enum memblock_flags flags, struct range *out, int max)
{
	phys_addr_t start, end;
	uint64_t i;
	int n = 0, rnid;

	for_each_free_mem_range_reverse(i, nid, flags, &start, &end, &rnid) {
		if (n < max)
			out[n] = (struct range){ start, end, rnid };
		n++;
	}
	return n;
}

#define CHECK_RANGE(r, s, e)						\
	do {								\
		KT_EQ((r).start, (s));					\
		KT_EQ((r).end, (e));					\
	} while (0)

/* Free ranges are memory minus reserved, in ascending (or descending) order. */
static void test_free_range_iteration(void)
{
	struct range r[8];

	reset_memblock();
	memblock_add_node(SZ_1G, SZ_8M, 0, MEMBLOCK_NONE);
	memblock_add_node(SZ_2G, SZ_8M, 1, MEMBLOCK_NONE);
	memblock_reserve(SZ_1G, SZ_1M);			/* start of node 0 */
	memblock_reserve(SZ_1G + SZ_4M, SZ_1M);		/* middle of node 0 */
	memblock_reserve(SZ_2G - SZ_1M, SZ_2M);		/* straddles node 1's start */
	memblock_reserve(SZ_4G, SZ_1M);			/* no memory there */
	VALID();

	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NONE, r, 8), 3);
	CHECK_RANGE(r[0], SZ_1G + SZ_1M, SZ_1G + SZ_4M);
	CHECK_RANGE(r[1], SZ_1G + SZ_4M + SZ_1M, SZ_1G + SZ_8M);
	CHECK_RANGE(r[2], SZ_2G + SZ_1M, SZ_2G + SZ_8M);
	KT_EQ(r[0].nid, 0);
	KT_EQ(r[2].nid, 1);

	KT_EQ(collect_free_rev(NUMA_NO_NODE, MEMBLOCK_NONE, r, 8), 3);
	CHECK_RANGE(r[0], SZ_2G + SZ_1M, SZ_2G + SZ_8M);
	CHECK_RANGE(r[1], SZ_1G + SZ_4M + SZ_1M, SZ_1G + SZ_8M);
	CHECK_RANGE(r[2], SZ_1G + SZ_1M, SZ_1G + SZ_4M);

	/* Only node 1. */
	KT_EQ(collect_free(1, MEMBLOCK_NONE, r, 8), 1);
	CHECK_RANGE(r[0], SZ_2G + SZ_1M, SZ_2G + SZ_8M);
	KT_EQ(collect_free_rev(0, MEMBLOCK_NONE, r, 8), 2);
	CHECK_RANGE(r[0], SZ_1G + SZ_4M + SZ_1M, SZ_1G + SZ_8M);

	/* Nothing reserved: the memory regions themselves. */
	reset_memblock();
	memblock_add(SZ_1G, SZ_8M);
	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NONE, r, 8), 1);
	CHECK_RANGE(r[0], SZ_1G, SZ_1G + SZ_8M);
	KT_EQ(collect_free_rev(NUMA_NO_NODE, MEMBLOCK_NONE, r, 8), 1);
	CHECK_RANGE(r[0], SZ_1G, SZ_1G + SZ_8M);

	/* All reserved: nothing. */
	memblock_reserve(0, PHYS_ADDR_MAX);
	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NONE, r, 8), 0);
	KT_EQ(collect_free_rev(NUMA_NO_NODE, MEMBLOCK_NONE, r, 8), 0);

	/* No memory: nothing (the dummy region is empty). */
	reset_memblock();
	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NONE, r, 8), 0);
	KT_EQ(collect_free_rev(NUMA_NO_NODE, MEMBLOCK_NONE, r, 8), 0);
}

/* NOMAP and driver-managed memory only when asked; MIRROR only mirrored. */
static void test_iteration_flags(void)
{
	struct range r[8];
	phys_addr_t start, end;
	uint64_t i;
	int n = 0;

	reset_memblock();
	memblock_add_node(SZ_1G, SZ_1M, 0, MEMBLOCK_NONE);
	memblock_add_node(SZ_1G + SZ_2M, SZ_1M, 0, MEMBLOCK_NOMAP);
	memblock_add_node(SZ_1G + SZ_4M, SZ_1M, 0, MEMBLOCK_MIRROR);
	memblock_add_node(SZ_1G + SZ_8M, SZ_1M, 0, MEMBLOCK_DRIVER_MANAGED);
	memblock_add_node(SZ_1G + SZ_16M, SZ_1M, 0, MEMBLOCK_HOTPLUG);
	VALID();

	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NONE, r, 8), 3);
	CHECK_RANGE(r[0], SZ_1G, SZ_1G + SZ_1M);
	CHECK_RANGE(r[1], SZ_1G + SZ_4M, SZ_1G + SZ_4M + SZ_1M);
	CHECK_RANGE(r[2], SZ_1G + SZ_16M, SZ_1G + SZ_16M + SZ_1M);

	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NOMAP, r, 8), 4);
	CHECK_RANGE(r[1], SZ_1G + SZ_2M, SZ_1G + SZ_2M + SZ_1M);

	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_MIRROR, r, 8), 1);
	CHECK_RANGE(r[0], SZ_1G + SZ_4M, SZ_1G + SZ_4M + SZ_1M);

	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_DRIVER_MANAGED, r, 8), 4);
	CHECK_RANGE(r[2], SZ_1G + SZ_8M, SZ_1G + SZ_8M + SZ_1M);

	/* for_each_mem_range: every memory region but NOMAP/driver-managed. */
	for_each_mem_range(i, &start, &end)
		n++;
	KT_EQ(n, 3);
}

/* With mirrored memory, allocations prefer it, then fall back with a warning. */
static void test_alloc_prefers_mirror(void)
{
	phys_addr_t a;

	set_mode(false, MODE_ZEROED);
	reset_memblock();
	memblock_add(dummy_base, SZ_16K);
	memblock_add_node(dummy_base + SZ_16K, SZ_8K, MAX_NUMNODES, MEMBLOCK_MIRROR);
	memblock_add(dummy_base + SZ_32K, SZ_16K);
	fill_memblock();

	a = memblock_phys_alloc(SZ_4K, SZ_4K);
	KT_EQ(a, dummy_base + SZ_16K + SZ_4K);
	a = memblock_phys_alloc(SZ_8K, SZ_4K);	/* mirror has only 4K left */
	KT_EQ(a, dummy_base + SZ_32K + SZ_8K);
	VALID();
}

static void test_pfn_range_iteration(void)
{
	unsigned long start, end;
	int i, nid, n = 0;
	unsigned long exp[3][2];

	reset_memblock();
	memblock_add_node(SZ_1G + 100, SZ_1M, 0, MEMBLOCK_NONE);	/* partial pages */
	memblock_add_node(SZ_2G, 100, 0, MEMBLOCK_NONE);		/* no whole page */
	memblock_add_node(SZ_4G, SZ_1M, 1, MEMBLOCK_NONE);
	VALID();

	exp[0][0] = PFN_UP(SZ_1G + 100);
	exp[0][1] = PFN_DOWN(SZ_1G + 100 + SZ_1M);
	exp[1][0] = PFN_DOWN(SZ_4G);
	exp[1][1] = PFN_DOWN(SZ_4G + SZ_1M);

	for_each_mem_pfn_range(i, MAX_NUMNODES, &start, &end, &nid) {
		if (n < 2) {
			KT_EQ(start, exp[n][0]);
			KT_EQ(end, exp[n][1]);
			KT_EQ(nid, n);
		}
		n++;
	}
	KT_EQ(n, 2);

	n = 0;
	for_each_mem_pfn_range(i, 1, &start, &end, NULL) {
		KT_EQ(start, exp[1][0]);
		n++;
	}
	KT_EQ(n, 1);
}

/* ------------------------------------------------------------------ */
/* mem=, cap                                                           */
/* ------------------------------------------------------------------ */

static void setup_three_regions(void)
{
	reset_memblock();
	memblock_add(SZ_1G, SZ_4M);
	memblock_add(SZ_2G, SZ_4M);
	memblock_add(SZ_4G, SZ_4M);
	memblock_reserve(SZ_1G, SZ_1M);
	memblock_reserve(SZ_2G + SZ_2M, SZ_4M);	/* past the cut below */
	memblock_reserve(SZ_4G, SZ_1M);
}

/* mem=6M keeps the first region and half the second. */
static void test_enforce_memory_limit(void)
{
	setup_three_regions();
	memblock_enforce_memory_limit(SZ_4M + SZ_2M);
	VALID();
	CHECK_TYPE(memory, 2, SZ_4M + SZ_2M);
	CHECK_RGN(memory, 1, SZ_2G, SZ_2M);
	KT_EQ(memblock_end_of_DRAM(), SZ_2G + SZ_2M);
	CHECK_TYPE(reserved, 1, SZ_1M);
	CHECK_RGN(reserved, 0, SZ_1G, SZ_1M);
}

static void test_enforce_memory_limit_noop(void)
{
	setup_three_regions();
	memblock_enforce_memory_limit(0);
	CHECK_TYPE(memory, 3, 3 * SZ_4M);
	memblock_enforce_memory_limit(3 * SZ_4M);	/* exactly all of it */
	VALID();
	CHECK_TYPE(memory, 3, 3 * SZ_4M);
	memblock_enforce_memory_limit(SZ_1G);		/* more than there is */
	VALID();
	CHECK_TYPE(memory, 3, 3 * SZ_4M);
	CHECK_TYPE(reserved, 3, 6 * SZ_1M);
}

/* Keep [2G + 1M, +2M): mapped memory outside it goes, NOMAP stays. */
static void test_cap_memory_range(void)
{
	setup_three_regions();
	memblock_mark_nomap(SZ_4G, SZ_4M);
	memblock_cap_memory_range(SZ_2G + SZ_1M, SZ_2M);
	VALID();
	CHECK_TYPE(memory, 2, SZ_2M + SZ_4M);
	CHECK_RGN(memory, 0, SZ_2G + SZ_1M, SZ_2M);
	CHECK_RGN(memory, 1, SZ_4G, SZ_4M);
	CHECK_TYPE(reserved, 1, SZ_1M);
	CHECK_RGN(reserved, 0, SZ_2G + SZ_2M, SZ_1M);
}

/* A NOMAP region split by the cap is merged again. */
static void test_cap_memory_range_nomap_split(void)
{
	reset_memblock();
	memblock_add(SZ_1G, SZ_8M);
	memblock_mark_nomap(SZ_1G, SZ_8M);
	memblock_cap_memory_range(SZ_1G + SZ_1M, SZ_1M);
	VALID();
	CHECK_TYPE(memory, 1, SZ_8M);

	reset_memblock();
	memblock_cap_memory_range(SZ_1G, SZ_1M);	/* no memory: warns */
	VALID();
	CHECK_TYPE(memory, 1, 0);
}

/* ------------------------------------------------------------------ */
/* memblock_alloc / memblock_alloc_raw                                 */
/* ------------------------------------------------------------------ */

#define MEM_START	(dummy_base)
#define MEM_END		(dummy_base + MEM_SIZE)

static void alloc_simple(void)
{
	void *p;

	setup_memblock();
	p = run_alloc(SZ_2, SMP_CACHE_BYTES);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MEM_START : MEM_END - SMP_CACHE_BYTES, SZ_2);
	CHECK_RGN(reserved, 0, __pa(p), SZ_2);
	CHECK_TYPE(reserved, 1, SZ_2);
}

/* A free gap is left between the reserved block and the new one by alignment. */
static void alloc_disjoint(void)
{
	phys_addr_t r1 = test_bottom_up ? MEM_START : MEM_END - SZ_2;
	phys_addr_t exp = test_bottom_up ? MEM_START + 4 : MEM_END - 20;
	void *p;

	setup_memblock();
	memblock_reserve(r1, SZ_2);
	p = run_alloc(SZ_16, 4);
	VALID();
	CHECK_ALLOC(p, exp, SZ_16);
	CHECK_TYPE(reserved, 2, SZ_2 + SZ_16);
	CHECK_RGN(reserved, test_bottom_up ? 1 : 0, exp, SZ_16);
}

/* The new block goes right next to a reserved one at the edge and merges. */
static void alloc_before(void)
{
	phys_addr_t r1 = test_bottom_up ? MEM_START : MEM_END - SZ_512;
	void *p;

	setup_memblock();
	memblock_reserve(r1, SZ_512);
	p = run_alloc(SZ_128, SMP_CACHE_BYTES);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MEM_START + SZ_512 : MEM_END - SZ_512 - SZ_128, SZ_128);
	CHECK_TYPE(reserved, 1, SZ_512 + SZ_128);
	CHECK_RGN(reserved, 0, test_bottom_up ? MEM_START : MEM_END - SZ_512 - SZ_128, SZ_512 + SZ_128);
}

/* The first free range in search order fits exactly and merges with r1. */
static void alloc_after(void)
{
	void *p;

	setup_memblock();
	if (test_bottom_up)
		memblock_reserve(MEM_START + SZ_128, MEM_SIZE - SZ_512 - SZ_128);
	else
		memblock_reserve(MEM_START + SZ_512, MEM_SIZE - SZ_512 - SZ_128);
	p = run_alloc(SZ_128, SMP_CACHE_BYTES);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MEM_START : MEM_END - SZ_128, SZ_128);
	CHECK_TYPE(reserved, 1, MEM_SIZE - SZ_512);
}

/* The first free range in search order is too small; the second is used. */
static void alloc_second_fit(void)
{
	void *p;

	setup_memblock();
	if (test_bottom_up)
		memblock_reserve(MEM_START + SZ_64, MEM_SIZE - SZ_64 - SZ_8K);
	else
		memblock_reserve(MEM_START + SZ_8K, MEM_SIZE - SZ_8K - SZ_64);
	p = run_alloc(SZ_128, SMP_CACHE_BYTES);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MEM_END - SZ_8K : MEM_START + SZ_8K - SZ_128, SZ_128);
	CHECK_TYPE(reserved, 1, MEM_SIZE - SZ_64 - SZ_8K + SZ_128);
}

/* The only free space is a gap of exactly the size: all merges into one. */
static void alloc_in_between(void)
{
	void *p;

	setup_memblock();
	memblock_reserve(MEM_START, SZ_8K);
	memblock_reserve(MEM_START + SZ_8K + SZ_1K, MEM_SIZE - SZ_8K - SZ_1K);
	p = run_alloc(SZ_1K, SMP_CACHE_BYTES);
	VALID();
	CHECK_ALLOC(p, MEM_START + SZ_8K, SZ_1K);
	CHECK_TYPE(reserved, 1, MEM_SIZE);
	CHECK_RGN(reserved, 0, MEM_START, MEM_SIZE);
}

/* Every free gap is smaller than the request. */
static void alloc_small_gaps(void)
{
	phys_addr_t off;
	void *p;

	setup_memblock();
	for (off = 0; off < MEM_SIZE; off += SZ_1K)
		memblock_reserve(MEM_START + off + SZ_512, SZ_512);
	p = run_alloc(SZ_1K, SMP_CACHE_BYTES);
	VALID();
	KT_ASSERT(p == NULL);
	CHECK_TYPE(reserved, MEM_SIZE / SZ_1K, MEM_SIZE / 2);
}

static void alloc_all_reserved(void)
{
	setup_memblock();
	memblock_reserve(MEM_START, MEM_SIZE);
	KT_ASSERT(run_alloc(SZ_64, SMP_CACHE_BYTES) == NULL);
	VALID();
	CHECK_TYPE(reserved, 1, MEM_SIZE);
}

/* One byte short of the request is free. */
static void alloc_no_space(void)
{
	setup_memblock();
	memblock_reserve(MEM_START, MEM_SIZE - SZ_1K + 1);
	KT_ASSERT(run_alloc(SZ_1K, SMP_CACHE_BYTES) == NULL);
	VALID();
	CHECK_TYPE(reserved, 1, MEM_SIZE - SZ_1K + 1);
}

/* Exactly the request is free: memory ends up fully reserved. */
static void alloc_limited_space(void)
{
	void *p;

	setup_memblock();
	memblock_reserve(MEM_START, MEM_SIZE - SZ_1K);
	p = run_alloc(SZ_1K, SMP_CACHE_BYTES);
	VALID();
	CHECK_ALLOC(p, MEM_END - SZ_1K, SZ_1K);
	CHECK_TYPE(reserved, 1, MEM_SIZE);
}

static void alloc_no_memory(void)
{
	reset_memblock();
	KT_ASSERT(run_alloc(SZ_1K, SMP_CACHE_BYTES) == NULL);
	VALID();
	CHECK_TYPE(reserved, 1, 0);
	CHECK_RGN(reserved, 0, 0, 0);
}

static void alloc_too_large(void)
{
	setup_memblock();
	KT_ASSERT(run_alloc(MEM_SIZE + 1, SMP_CACHE_BYTES) == NULL);
	VALID();
	CHECK_TYPE(reserved, 1, 0);
}

/* Memory with misaligned edges: the block stays inside, aligned. */
static void alloc_misaligned_memory(void)
{
	void *p;

	reset_memblock();
	memblock_add(MEM_START + 1, MEM_SIZE - 2);
	fill_memblock();
	p = run_alloc(SZ_256, SMP_CACHE_BYTES);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MEM_START + SZ_64 : MEM_END - SZ_256 - SZ_64, SZ_256);
}

/* align == 0 is a caller bug: Linux dumps the stack and uses SMP_CACHE_BYTES. */
static void alloc_zero_align(void)
{
	void *p;

	setup_memblock();
	p = run_alloc(SZ_16, 0);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MEM_START : MEM_END - SMP_CACHE_BYTES, SZ_16);
}

/* Allocations stay below memblock.current_limit. */
static void alloc_current_limit(void)
{
	void *p;

	setup_memblock();
	memblock_set_current_limit(MEM_START + SZ_16K);
	p = run_alloc(SZ_1K, SMP_CACHE_BYTES);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MEM_START : MEM_START + SZ_16K - SZ_1K, SZ_1K);

	/* A limit below all memory leaves nothing. */
	memblock_set_current_limit(MEM_START);
	KT_ASSERT(run_alloc(SZ_1K, SMP_CACHE_BYTES) == NULL);
}

/* Successive allocations pack from the top (or bottom) without gaps. */
static void alloc_sequence(void)
{
	phys_addr_t exp;
	void *p;
	int i;

	setup_memblock();
	for (i = 0; i < 8; i++) {
		p = run_alloc(SZ_256, SZ_256);
		exp = test_bottom_up ? MEM_START + i * SZ_256 : MEM_END - (i + 1) * SZ_256;
		CHECK_ALLOC(p, exp, SZ_256);
	}
	VALID();
	CHECK_TYPE(reserved, 1, 8 * SZ_256);
}

/* ------------------------------------------------------------------ */
/* memblock_alloc_from                                                 */
/* ------------------------------------------------------------------ */

/* Only SMP_CACHE_BYTES above min_addr: the block is at min_addr. */
static void alloc_from_simple(void)
{
	phys_addr_t min_addr = MEM_END - SMP_CACHE_BYTES;
	void *p;

	setup_memblock();
	p = run_alloc_from(SMP_CACHE_BYTES, SMP_CACHE_BYTES, min_addr);
	VALID();
	CHECK_ALLOC(p, min_addr, SMP_CACHE_BYTES);
	CHECK_TYPE(reserved, 1, SMP_CACHE_BYTES);
}

static void alloc_from_misaligned(void)
{
	phys_addr_t min_addr = MEM_END - SZ_128 + 1;
	void *p;

	setup_memblock();
	p = run_alloc_from(SZ_64, SMP_CACHE_BYTES, min_addr);
	VALID();
	CHECK_ALLOC(p, MEM_END - SZ_64, SZ_64);
}

static void alloc_from_middle(void)
{
	phys_addr_t min_addr = MEM_START + SZ_8K;
	void *p;

	setup_memblock();
	p = run_alloc_from(SZ_1K, SMP_CACHE_BYTES, min_addr);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? min_addr : MEM_END - SZ_1K, SZ_1K);
}

/* min_addr above all memory: retried from 0. */
static void alloc_from_high_addr(void)
{
	void *p;

	setup_memblock();
	p = run_alloc_from(SZ_1K, SMP_CACHE_BYTES, MEM_END + SZ_4K);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MEM_START : MEM_END - SZ_1K, SZ_1K);
}

/* Everything above min_addr is reserved: retried from 0. */
static void alloc_from_no_space_above(void)
{
	phys_addr_t min_addr = MEM_END - SZ_1K;
	void *p;

	setup_memblock();
	memblock_reserve(min_addr, SZ_1K);
	p = run_alloc_from(SZ_512, SMP_CACHE_BYTES, min_addr);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MEM_START : min_addr - SZ_512, SZ_512);
	CHECK_TYPE(reserved, test_bottom_up ? 2 : 1, SZ_1K + SZ_512);
}

/* min_addr below the start of memory changes nothing. */
static void alloc_from_min_addr_cap(void)
{
	void *p;

	setup_memblock();
	p = run_alloc_from(SZ_1K, SMP_CACHE_BYTES, MEM_START - SZ_4K);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MEM_START : MEM_END - SZ_1K, SZ_1K);
}

/* ------------------------------------------------------------------ */
/* memblock_alloc_try_nid / _raw / exact_nid_raw: ranges               */
/* ------------------------------------------------------------------ */

#define MIN_ADDR	(MEM_START + SZ_4K)
#define MAX_ADDR	(MEM_START + SZ_4K + SZ_8K)

static void nid_simple(void)
{
	void *p;

	setup_memblock();
	p = run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, MIN_ADDR, MAX_ADDR, NUMA_NO_NODE);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MIN_ADDR : MAX_ADDR - SZ_1K, SZ_1K);
	CHECK_TYPE(reserved, 1, SZ_1K);
}

static void nid_end_misaligned(void)
{
	void *p;

	setup_memblock();
	p = run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, MIN_ADDR, MAX_ADDR + 13, NUMA_NO_NODE);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MIN_ADDR : MAX_ADDR - SZ_1K, SZ_1K);
}

static void nid_start_misaligned(void)
{
	void *p;

	setup_memblock();
	p = run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, MIN_ADDR + 13, MAX_ADDR, NUMA_NO_NODE);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MIN_ADDR + SZ_64 : MAX_ADDR - SZ_1K, SZ_1K);
}

/* The range is exactly the size. */
static void nid_exact_address(void)
{
	void *p;

	setup_memblock();
	p = run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, MIN_ADDR, MIN_ADDR + SZ_1K, NUMA_NO_NODE);
	VALID();
	CHECK_ALLOC(p, MIN_ADDR, SZ_1K);
}

/* The range is a little larger than the size: alignment decides. */
static void nid_narrow_range(void)
{
	void *p;

	setup_memblock();
	p = run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, MIN_ADDR, MIN_ADDR + SZ_1K + 32,
			  NUMA_NO_NODE);
	VALID();
	CHECK_ALLOC(p, MIN_ADDR, SZ_1K);
}

/* The range is too narrow: retried from 0, below max_addr. */
static void nid_narrow_range_no_space(void)
{
	phys_addr_t max_addr = MIN_ADDR + SZ_1K - 1;
	void *p;

	setup_memblock();
	p = run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, MIN_ADDR, max_addr, NUMA_NO_NODE);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MEM_START : MIN_ADDR - SZ_64, SZ_1K);
}

/* A reserved block at the preferred end: the new one goes next to it. */
static void nid_reserved_with_space(void)
{
	phys_addr_t r1 = test_bottom_up ? MIN_ADDR : MAX_ADDR - SZ_512;
	void *p;

	setup_memblock();
	memblock_reserve(r1, SZ_512);
	p = run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, MIN_ADDR, MAX_ADDR, NUMA_NO_NODE);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MIN_ADDR + SZ_512 : MAX_ADDR - SZ_512 - SZ_1K, SZ_1K);
	CHECK_TYPE(reserved, 1, SZ_1K + SZ_512);
}

/* The range's only gap is too small: retried from 0, below the range. */
static void nid_reserved_no_space(void)
{
	void *p;

	setup_memblock();
	memblock_reserve(MIN_ADDR, SZ_4K);
	memblock_reserve(MIN_ADDR + SZ_4K + SZ_1K - SZ_64, MAX_ADDR - MIN_ADDR - SZ_4K - SZ_1K + SZ_64);
	p = run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, MIN_ADDR, MAX_ADDR, NUMA_NO_NODE);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MEM_START : MIN_ADDR - SZ_1K, SZ_1K);
	CHECK_TYPE(reserved, test_bottom_up ? 3 : 2, MAX_ADDR - MIN_ADDR - SZ_1K + SZ_64 + SZ_1K);
}

/* max_addr above the end of memory. */
static void nid_cap_max(void)
{
	void *p;

	setup_memblock();
	p = run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, MEM_END - SZ_4K, MEM_END + SZ_16K, NUMA_NO_NODE);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MEM_END - SZ_4K : MEM_END - SZ_1K, SZ_1K);
}

/* min_addr below the start of memory. */
static void nid_cap_min(void)
{
	void *p;

	setup_memblock();
	p = run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, MEM_START - SZ_16K, MEM_START + SZ_4K, NUMA_NO_NODE);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MEM_START : MEM_START + SZ_4K - SZ_1K, SZ_1K);
}

/* The gap between two reserved blocks is exactly the size. */
static void nid_reserved_full_merge(void)
{
	void *p;

	setup_memblock();
	memblock_reserve(MIN_ADDR, SZ_2K);
	memblock_reserve(MIN_ADDR + SZ_2K + SZ_1K, MAX_ADDR - MIN_ADDR - SZ_2K - SZ_1K);
	p = run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, MIN_ADDR, MAX_ADDR, NUMA_NO_NODE);
	VALID();
	CHECK_ALLOC(p, MIN_ADDR + SZ_2K, SZ_1K);
	CHECK_TYPE(reserved, 1, MAX_ADDR - MIN_ADDR);
	CHECK_RGN(reserved, 0, MIN_ADDR, MAX_ADDR - MIN_ADDR);
}

static void nid_reserved_all(void)
{
	setup_memblock();
	memblock_reserve(MEM_START, MEM_SIZE);
	KT_ASSERT(run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, MIN_ADDR, MAX_ADDR,
				NUMA_NO_NODE) == NULL);
	VALID();
	CHECK_TYPE(reserved, 1, MEM_SIZE);
}

/* max_addr below all memory: nothing, even from 0. */
static void nid_low_max(void)
{
	setup_memblock();
	KT_ASSERT(run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, MEM_START - SZ_16K, MEM_START - SZ_4K,
				NUMA_NO_NODE) == NULL);
	KT_ASSERT(run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, 0, MEM_START, NUMA_NO_NODE) == NULL);
	VALID();
	CHECK_TYPE(reserved, 1, 0);
}

/* min_addr > max_addr: the first try finds nothing, the retry from 0 does. */
static void nid_min_above_max(void)
{
	void *p;

	setup_memblock();
	p = run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, MAX_ADDR, MIN_ADDR, NUMA_NO_NODE);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? MEM_START : MIN_ADDR - SZ_1K, SZ_1K);
}

/* MEMBLOCK_ALLOC_ACCESSIBLE and any larger max_addr mean current_limit. */
static void nid_accessible(void)
{
	phys_addr_t limit = MEM_START + SZ_16K;
	void *p;

	setup_memblock();
	memblock_set_current_limit(limit);
	p = run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
	CHECK_ALLOC(p, test_bottom_up ? MEM_START : limit - SZ_1K, SZ_1K);
	p = run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, 0, MEM_END, NUMA_NO_NODE);
	CHECK_ALLOC(p, test_bottom_up ? MEM_START + SZ_1K : limit - SZ_2K, SZ_1K);
	p = run_alloc_nid(SZ_1K, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ANYWHERE, NUMA_NO_NODE);
	CHECK_ALLOC(p, test_bottom_up ? MEM_START + SZ_2K : limit - 3 * SZ_1K, SZ_1K);
	VALID();
	CHECK_TYPE(reserved, 1, 3 * SZ_1K);
}

/* ------------------------------------------------------------------ */
/* NUMA                                                                */
/* ------------------------------------------------------------------ */

static bool exact(void)
{
	return test_mode == MODE_EXACT;
}

/* The block comes from the requested node. */
static void numa_simple(void)
{
	int nid = 3;
	phys_addr_t size = node_size(nid) / 4;
	void *p;

	setup_numa_memblock();
	p = run_alloc_nid(size, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? node_base(nid) : node_end(nid) - size, size);
	CHECK_TYPE(reserved, 1, size);
}

/* The requested node is too small: another node (exact: none). */
static void numa_small_node(void)
{
	int nid = 1;
	phys_addr_t size = 2 * node_size(nid);
	void *p;

	setup_numa_memblock();
	p = run_alloc_nid(size, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
	VALID();
	if (exact()) {
		KT_ASSERT(p == NULL);
		CHECK_TYPE(reserved, 1, 0);
		return;
	}
	/* Top-down: node 7 is too small as well, node 6 fits. */
	CHECK_ALLOC(p, test_bottom_up ? node_base(0) : node_end(6) - size, size);
}

/* The requested node is fully reserved. */
static void numa_node_reserved(void)
{
	int nid = 4;
	phys_addr_t size = node_size(nid) / 2;
	void *p;

	setup_numa_memblock();
	memblock_reserve(node_base(nid), node_size(nid));
	p = run_alloc_nid(size, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
	VALID();
	if (exact()) {
		KT_ASSERT(p == NULL);
		return;
	}
	CHECK_ALLOC(p, test_bottom_up ? node_base(0) : node_end(7) - size, size);
	CHECK_TYPE(reserved, 2, node_size(nid) + size);
}

/* The requested node is partly reserved but has room. */
static void numa_part_reserved(void)
{
	int nid = 2;
	phys_addr_t half = node_size(nid) / 2, size = node_size(nid) / 4;
	void *p;

	setup_numa_memblock();
	memblock_reserve(node_base(nid) + half, half);
	p = run_alloc_nid(size, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
	VALID();
	CHECK_ALLOC(p, test_bottom_up ? node_base(nid) : node_base(nid) + half - size, size);
	if (test_bottom_up)
		CHECK_TYPE(reserved, 2, half + size);
	else
		CHECK_TYPE(reserved, 1, half + size);
}

/* The requested node's free part is too small. */
static void numa_part_reserved_fallback(void)
{
	int nid = 2;
	phys_addr_t size = SZ_1K;
	void *p;

	setup_numa_memblock();
	memblock_reserve(node_base(nid) + SZ_64, node_size(nid) - SZ_64);
	p = run_alloc_nid(size, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
	VALID();
	if (exact()) {
		KT_ASSERT(p == NULL);
		return;
	}
	CHECK_ALLOC(p, test_bottom_up ? node_base(0) : node_end(7) - size, size);
}

/*
 * The range starts on the node below the requested one, whose part of the
 * range is too small: the block falls back to the lower node in the range
 * (exact: the retry from 0 still has too little of the node below max).
 */
static void numa_split_range_low(void)
{
	int nid = 3;
	phys_addr_t min_addr, max_addr, size = SZ_512;
	void *p;

	setup_numa_memblock();
	min_addr = node_base(nid) - SZ_1K;
	max_addr = node_base(nid) + SZ_256;
	p = run_alloc_nid(size, SMP_CACHE_BYTES, min_addr, max_addr, nid);
	VALID();
	if (exact()) {
		KT_ASSERT(p == NULL);
		return;
	}
	CHECK_ALLOC(p, test_bottom_up ? min_addr : node_base(nid) - size, size);
}

/*
 * The range ends on the node above the requested one, whose part of the
 * range is too small: the block falls back to the upper node in the range
 * (exact: the retry from 0 finds the whole requested node).
 */
static void numa_split_range_high(void)
{
	int nid = 3;
	phys_addr_t min_addr, max_addr, size = SZ_512;
	void *p;

	setup_numa_memblock();
	min_addr = node_end(nid) - SZ_256;
	max_addr = node_end(nid) + SZ_1K;
	p = run_alloc_nid(size, SMP_CACHE_BYTES, min_addr, max_addr, nid);
	VALID();
	if (exact())
		CHECK_ALLOC(p, test_bottom_up ? node_base(nid) : node_end(nid) - size, size);
	else
		CHECK_ALLOC(p, test_bottom_up ? node_base(nid + 1) : max_addr - size, size);
}

/* The range spans nodes 4 and 5; node 2 is requested. */
static void numa_no_overlap_split(void)
{
	int nid = 2;
	phys_addr_t min_addr, max_addr, size = SZ_512;
	void *p;

	setup_numa_memblock();
	min_addr = node_end(4) - SZ_1K;
	max_addr = node_base(5) + SZ_1K;
	p = run_alloc_nid(size, SMP_CACHE_BYTES, min_addr, max_addr, nid);
	VALID();
	if (exact())
		CHECK_ALLOC(p, test_bottom_up ? node_base(nid) : node_end(nid) - size, size);
	else
		CHECK_ALLOC(p, test_bottom_up ? min_addr : max_addr - size, size);
}

/* The range lies below the requested node. */
static void numa_no_overlap_low(void)
{
	int nid = 6;
	phys_addr_t min_addr, max_addr, size = SZ_512;
	void *p;

	setup_numa_memblock();
	min_addr = node_base(2);
	max_addr = node_end(3);
	p = run_alloc_nid(size, SMP_CACHE_BYTES, min_addr, max_addr, nid);
	VALID();
	if (exact())
		KT_ASSERT(p == NULL);
	else
		CHECK_ALLOC(p, test_bottom_up ? min_addr : max_addr - size, size);
}

/* The range lies above the requested node. */
static void numa_no_overlap_high(void)
{
	int nid = 1;
	phys_addr_t min_addr, max_addr, size = SZ_512;
	void *p;

	setup_numa_memblock();
	min_addr = node_base(4);
	max_addr = node_end(5);
	p = run_alloc_nid(size, SMP_CACHE_BYTES, min_addr, max_addr, nid);
	VALID();
	if (exact())
		CHECK_ALLOC(p, test_bottom_up ? node_base(nid) : node_end(nid) - size, size);
	else
		CHECK_ALLOC(p, test_bottom_up ? min_addr : max_addr - size, size);
}

/* Free ranges never span two nodes: a block larger than every node fails. */
static void numa_large_region(void)
{
	setup_numa_memblock();
	KT_ASSERT(run_alloc_nid(node_size(0) + SZ_1K, SMP_CACHE_BYTES, 0,
				MEMBLOCK_ALLOC_ACCESSIBLE, 0) == NULL);
	KT_ASSERT(run_alloc_nid(node_size(0) + SZ_1K, SMP_CACHE_BYTES, 0,
				MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE) == NULL);
	VALID();
	CHECK_TYPE(reserved, 1, 0);
}

/* The requested node's only gap is exactly the size. */
static void numa_reserved_full_merge(void)
{
	int nid = 6;
	phys_addr_t size = SZ_1K;
	void *p;

	setup_numa_memblock();
	memblock_reserve(node_base(nid), SZ_2K);
	memblock_reserve(node_base(nid) + SZ_2K + size, node_size(nid) - SZ_2K - size);
	p = run_alloc_nid(size, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE, nid);
	VALID();
	CHECK_ALLOC(p, node_base(nid) + SZ_2K, size);
	CHECK_TYPE(reserved, 1, node_size(nid));
	CHECK_RGN(reserved, 0, node_base(nid), node_size(nid));
}

/* The only free memory straddles nodes 5 and 6: too small on either side. */
static void numa_split_all_reserved(void)
{
	phys_addr_t size = SZ_1K;

	setup_numa_memblock();
	memblock_reserve(MEM_START, node_end(5) - MEM_START - SZ_512);
	memblock_reserve(node_base(6) + SZ_512, MEM_END - node_base(6) - SZ_512);
	KT_ASSERT(run_alloc_nid(size, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE, 5) == NULL);
	KT_ASSERT(run_alloc_nid(size, SMP_CACHE_BYTES, 0, MEMBLOCK_ALLOC_ACCESSIBLE,
				NUMA_NO_NODE) == NULL);
	VALID();
	CHECK_TYPE(reserved, 2, MEM_SIZE - SZ_1K);
}

/* memblock_alloc_node() places on the node asked for, whatever it is. */
static void numa_alloc_node_on_correct_nid(void)
{
	int nid;

	setup_numa_memblock();
	for (nid = 0; nid < NUMA_NODES; nid++) {
		void *p = memblock_alloc_node(SZ_512, SMP_CACHE_BYTES, nid);
		phys_addr_t pa;

		KT_ASSERT(p != NULL);
		if (!p)
			continue;
		pa = __pa(p);
		KT_ASSERT(pa >= node_base(nid) && pa + SZ_512 <= node_end(nid));
		KT_ASSERT(content_ok(p, SZ_512, true));
	}
	VALID();
	CHECK_TYPE(reserved, NUMA_NODES, NUMA_NODES * SZ_512);
}

/* memblock_phys_alloc_try_nid: the node, then any node. */
static void numa_phys_alloc_try_nid(void)
{
	phys_addr_t a;

	setup_numa_memblock();
	a = memblock_phys_alloc_try_nid(SZ_1K, SZ_1K, 3);
	KT_EQ(a, test_bottom_up ? node_base(3) : node_end(3) - SZ_1K);
	a = memblock_phys_alloc_try_nid(2 * node_size(1), SZ_1K, 1);
	KT_EQ(a, test_bottom_up ? node_base(0) : node_end(6) - 2 * node_size(1));
	VALID();
}

/* ------------------------------------------------------------------ */
/* memblock_phys_alloc_range                                           */
/* ------------------------------------------------------------------ */

static void phys_alloc_range(void)
{
	phys_addr_t a;

	setup_memblock();
	a = memblock_phys_alloc_range(SZ_1K, SZ_1K, MIN_ADDR, MAX_ADDR);
	KT_EQ(a, test_bottom_up ? MIN_ADDR : MAX_ADDR - SZ_1K);
	/* No retry without the lower bound here. */
	memblock_reserve(MIN_ADDR, MAX_ADDR - MIN_ADDR);
	KT_EQ(memblock_phys_alloc_range(SZ_1K, SZ_1K, MIN_ADDR, MAX_ADDR), 0);
	a = memblock_phys_alloc(SZ_1K, SZ_1K);
	KT_EQ(a, test_bottom_up ? MEM_START : MEM_END - SZ_1K);
	KT_EQ(memblock_phys_alloc(MEM_SIZE, SZ_1K), 0);
	VALID();
	/* The first page of physical memory is never returned. */
	reset_memblock();
	memblock_add(0, SZ_16K);
	memblock_set_bottom_up(true);
	KT_EQ(memblock_phys_alloc(SZ_4K, SZ_4K), PAGE_SIZE);
}

/* ------------------------------------------------------------------ */
/* Dump, tracing, memblock_free_all                                    */
/* ------------------------------------------------------------------ */

static void test_dump_format(void)
{
	char *log, line[160];

	reset_memblock();
	memblock_add_node(SZ_1G, SZ_4M, 0, MEMBLOCK_NONE);
	memblock_add_node(SZ_2G, SZ_4M, 1, MEMBLOCK_NOMAP);
	memblock_reserve(SZ_1G, SZ_1M);
	__memblock_dump_all();

	log = kernel_log();
	KT_ASSERT(log != NULL);
	KT_STR_CONTAINS(log, "MEMBLOCK configuration:");
	KT_STR_CONTAINS(log, " memory size = 0x0000000000800000 reserved size = 0x0000000000100000");
	KT_STR_CONTAINS(log, " memory.cnt  = 0x2");
	/* The tab after "memory[0x0]" may be escaped by /dev/kmsg: skip it. */
	KT_STR_CONTAINS(log, " memory[0x0]");
	snprintf(line, sizeof(line), "[0x%016llx-0x%016llx], 0x%016llx bytes on node 0 flags: 0x0",
		 (unsigned long long)SZ_1G, (unsigned long long)(SZ_1G + SZ_4M - 1),
		 (unsigned long long)SZ_4M);
	KT_STR_CONTAINS(log, line);
	KT_STR_CONTAINS(log, " memory[0x1]");
	KT_STR_CONTAINS(log, "[0x0000000080000000-0x00000000803fffff], "
			"0x0000000000400000 bytes on node 1 flags: 0x4");
	KT_STR_CONTAINS(log, " reserved.cnt  = 0x1");
	/* Reserved regions have no node (MAX_NUMNODES): no "on node". */
	KT_STR_CONTAINS(log, " reserved[0x0]");
	KT_STR_CONTAINS(log, "[0x0000000040000000-0x00000000400fffff], "
			"0x0000000000100000 bytes flags: 0x0");
	free(log);
}

static void test_debug_trace(void)
{
	char *log;

	reset_memblock();
	memblock_dump_all();		/* silent without memblock=debug */
	memblock.debug = true;
	memblock_reserve(0x12340000, SZ_64K);
	memblock_add(0x56780000, SZ_1M);
	memblock_phys_free(0x12340000, SZ_4K);
	memblock_dump_all();
	memblock.debug = false;

	log = kernel_log();
	KT_ASSERT(log != NULL);
	KT_STR_CONTAINS(log, "memblock_reserve: [0x0000000012340000-0x000000001234ffff] ");
	KT_STR_CONTAINS(log, "memblock_add: [0x0000000056780000-0x000000005687ffff] ");
	KT_STR_CONTAINS(log, "memblock_phys_free: [0x0000000012340000-0x0000000012340fff] ");
	KT_STR_CONTAINS(log, "[0x0000000012341000-0x000000001234ffff], 0x000000000000f000 bytes flags: 0x0");
	free(log);
}

static void test_debug_trace_alloc(void)
{
	char *log, line[200];
	void *p;

	set_mode(false, MODE_ZEROED);
	setup_memblock();
	memblock.debug = true;
	p = memblock_alloc_try_nid(SZ_1K, SZ_64, 0, MEMBLOCK_ALLOC_ACCESSIBLE, NUMA_NO_NODE);
	memblock.debug = false;
	KT_ASSERT(p != NULL);

	log = kernel_log();
	KT_STR_CONTAINS(log, "memblock_alloc_try_nid: 1024 bytes align=0x40 nid=-1 "
			"from=0x0000000000000000 max_addr=0x0000000000000000 ");
	snprintf(line, sizeof(line), "memblock_reserve: [0x%016llx-0x%016llx] memblock_alloc_range_nid",
		 (unsigned long long)(MEM_END - SZ_1K), (unsigned long long)(MEM_END - 1));
	KT_STR_CONTAINS(log, line);
	free(log);
}

/*
 * memblock_free_all() on memory that is all reserved: every page gets
 * PG_reserved and nothing goes to the buddy allocator.  (With free ranges
 * it would hand pages of the live machine to the buddy allocator a second
 * time; boot covers that path.)
 */
static void test_free_all_reserved(void)
{
	unsigned long pfn, start = PHYS_PFN(dummy_base), n = phys_mem_size >> PAGE_SHIFT;
	bool all_reserved = true;

	reset_memblock();
	memblock_add(dummy_base, phys_mem_size);
	memblock_set_node(0, PHYS_ADDR_MAX, &memblock.memory, 0);
	memblock_reserve(dummy_base, phys_mem_size);
	memblock_mark_hotplug(dummy_base, SZ_1M);

	KT_EQ(memblock_free_all(), 0);
	VALID();
	for (pfn = start; pfn < start + n; pfn++)
		if (!PageReserved(pfn_to_page(pfn)))
			all_reserved = false;
	KT_ASSERT(all_reserved);
	/* Hotplug marks are cleared; reserved regions took the node. */
	CHECK_TYPE(memory, 1, phys_mem_size);
	KT_EQ(memblock.reserved.regions[0].nid, 0);

	for (pfn = start; pfn < start + n; pfn++)
		ClearPageReserved(pfn_to_page(pfn));
}

/* memblock_is_valid() notices broken invariants. */
static void test_is_valid_detects(void)
{
	reset_memblock();
	memblock_add(SZ_1G, SZ_1M);
	memblock_add(SZ_2G, SZ_1M);
	KT_ASSERT(memblock_is_valid());

	memblock.memory.total_size++;
	KT_ASSERT(!memblock_is_valid());
	memblock.memory.total_size--;

	memblock.memory.regions[1].base = SZ_1G + SZ_1M;	/* touching, same nid */
	KT_ASSERT(!memblock_is_valid());
	memblock.memory.regions[1].base = SZ_1G;		/* overlapping */
	KT_ASSERT(!memblock_is_valid());
	memblock.memory.regions[1].base = SZ_2G;

	memblock.reserved.cnt = memblock.reserved.max + 1;
	KT_ASSERT(!memblock_is_valid());
	memblock.reserved.cnt = 1;
	KT_ASSERT(memblock_is_valid());
}

/* ------------------------------------------------------------------ */
/* Variants and main                                                   */
/* ------------------------------------------------------------------ */

/* Top-down and bottom-up, zeroing and raw. */
#define ALLOC_VARIANTS(fn)						\
	static void fn##_top_down(void) { set_mode(false, MODE_ZEROED); fn(); }	\
	static void fn##_bottom_up(void) { set_mode(true, MODE_ZEROED); fn(); }	\
	static void fn##_top_down_raw(void) { set_mode(false, MODE_RAW); fn(); }	\
	static void fn##_bottom_up_raw(void) { set_mode(true, MODE_RAW); fn(); }
#define RUN_ALLOC(fn)							\
	do {								\
		KT_RUN(fn##_top_down);					\
		KT_RUN(fn##_bottom_up);					\
		KT_RUN(fn##_top_down_raw);				\
		KT_RUN(fn##_bottom_up_raw);				\
	} while (0)

/* The above plus memblock_alloc_exact_nid_raw. */
#define NID_VARIANTS(fn)						\
	ALLOC_VARIANTS(fn)						\
	static void fn##_top_down_exact(void) { set_mode(false, MODE_EXACT); fn(); }	\
	static void fn##_bottom_up_exact(void) { set_mode(true, MODE_EXACT); fn(); }
#define RUN_NID(fn)							\
	do {								\
		RUN_ALLOC(fn);						\
		KT_RUN(fn##_top_down_exact);				\
		KT_RUN(fn##_bottom_up_exact);				\
	} while (0)

/* Direction only. */
#define DIR_VARIANTS(fn)						\
	static void fn##_top_down(void) { set_mode(false, MODE_ZEROED); fn(); }	\
	static void fn##_bottom_up(void) { set_mode(true, MODE_ZEROED); fn(); }
#define RUN_DIR(fn)							\
	do {								\
		KT_RUN(fn##_top_down);					\
		KT_RUN(fn##_bottom_up);					\
	} while (0)

ALLOC_VARIANTS(alloc_simple)
ALLOC_VARIANTS(alloc_disjoint)
ALLOC_VARIANTS(alloc_before)
ALLOC_VARIANTS(alloc_after)
ALLOC_VARIANTS(alloc_second_fit)
ALLOC_VARIANTS(alloc_in_between)
ALLOC_VARIANTS(alloc_small_gaps)
ALLOC_VARIANTS(alloc_all_reserved)
ALLOC_VARIANTS(alloc_no_space)
ALLOC_VARIANTS(alloc_limited_space)
ALLOC_VARIANTS(alloc_no_memory)
ALLOC_VARIANTS(alloc_too_large)
ALLOC_VARIANTS(alloc_misaligned_memory)
ALLOC_VARIANTS(alloc_zero_align)
ALLOC_VARIANTS(alloc_current_limit)
ALLOC_VARIANTS(alloc_sequence)

DIR_VARIANTS(alloc_from_simple)
DIR_VARIANTS(alloc_from_misaligned)
DIR_VARIANTS(alloc_from_middle)
DIR_VARIANTS(alloc_from_high_addr)
DIR_VARIANTS(alloc_from_no_space_above)
DIR_VARIANTS(alloc_from_min_addr_cap)

NID_VARIANTS(nid_simple)
NID_VARIANTS(nid_end_misaligned)
NID_VARIANTS(nid_start_misaligned)
NID_VARIANTS(nid_exact_address)
NID_VARIANTS(nid_narrow_range)
NID_VARIANTS(nid_narrow_range_no_space)
NID_VARIANTS(nid_reserved_with_space)
NID_VARIANTS(nid_reserved_no_space)
NID_VARIANTS(nid_cap_max)
NID_VARIANTS(nid_cap_min)
NID_VARIANTS(nid_reserved_full_merge)
NID_VARIANTS(nid_reserved_all)
NID_VARIANTS(nid_low_max)
NID_VARIANTS(nid_min_above_max)
NID_VARIANTS(nid_accessible)

NID_VARIANTS(numa_simple)
NID_VARIANTS(numa_small_node)
NID_VARIANTS(numa_node_reserved)
NID_VARIANTS(numa_part_reserved)
NID_VARIANTS(numa_part_reserved_fallback)
NID_VARIANTS(numa_split_range_low)
NID_VARIANTS(numa_split_range_high)
NID_VARIANTS(numa_no_overlap_split)
NID_VARIANTS(numa_no_overlap_low)
NID_VARIANTS(numa_no_overlap_high)
NID_VARIANTS(numa_large_region)
NID_VARIANTS(numa_reserved_full_merge)
NID_VARIANTS(numa_split_all_reserved)
DIR_VARIANTS(numa_alloc_node_on_correct_nid)
DIR_VARIANTS(numa_phys_alloc_try_nid)
DIR_VARIANTS(phys_alloc_range)

static void run_basic_tests(void)
{
	KT_RUN(test_init_state);
	KT_RUN(test_bottom_up_setting);

	run_region_cases(add_cases, ARRAY_SIZE(add_cases), false);
	KT_RUN(test_add_many);
	KT_RUN(test_add_many_no_resize);

	run_region_cases(reserve_cases, ARRAY_SIZE(reserve_cases), true);
	KT_RUN(test_reserve_many);
	KT_RUN(test_reserve_all_locations);
	KT_RUN(test_reserve_many_may_conflict);
	KT_RUN(test_reserve_many_no_memory);

	run_region_cases(remove_cases, ARRAY_SIZE(remove_cases), false);

	run_region_cases(free_cases, ARRAY_SIZE(free_cases), true);
	KT_RUN(test_free_virtual);

	KT_RUN(test_mark_hotplug);
	KT_RUN(test_mark_nomap);
	KT_RUN(test_set_node);
	KT_RUN(test_queries);
	KT_RUN(test_free_range_iteration);
	KT_RUN(test_iteration_flags);
	KT_RUN(test_alloc_prefers_mirror);
	KT_RUN(test_pfn_range_iteration);

	run_region_cases(trim_cases, ARRAY_SIZE(trim_cases), false);
	KT_RUN(test_enforce_memory_limit);
	KT_RUN(test_enforce_memory_limit_noop);
	KT_RUN(test_cap_memory_range);
	KT_RUN(test_cap_memory_range_nomap_split);
}

static void run_alloc_tests(void)
{
	RUN_ALLOC(alloc_simple);
	RUN_ALLOC(alloc_disjoint);
	RUN_ALLOC(alloc_before);
	RUN_ALLOC(alloc_after);
	RUN_ALLOC(alloc_second_fit);
	RUN_ALLOC(alloc_in_between);
	RUN_ALLOC(alloc_small_gaps);
	RUN_ALLOC(alloc_all_reserved);
	RUN_ALLOC(alloc_no_space);
	RUN_ALLOC(alloc_limited_space);
	RUN_ALLOC(alloc_no_memory);
	RUN_ALLOC(alloc_too_large);
	RUN_ALLOC(alloc_misaligned_memory);
	RUN_ALLOC(alloc_zero_align);
	RUN_ALLOC(alloc_current_limit);
	RUN_ALLOC(alloc_sequence);

	RUN_DIR(alloc_from_simple);
	RUN_DIR(alloc_from_misaligned);
	RUN_DIR(alloc_from_middle);
	RUN_DIR(alloc_from_high_addr);
	RUN_DIR(alloc_from_no_space_above);
	RUN_DIR(alloc_from_min_addr_cap);

	RUN_NID(nid_simple);
	RUN_NID(nid_end_misaligned);
	RUN_NID(nid_start_misaligned);
	RUN_NID(nid_exact_address);
	RUN_NID(nid_narrow_range);
	RUN_NID(nid_narrow_range_no_space);
	RUN_NID(nid_reserved_with_space);
	RUN_NID(nid_reserved_no_space);
	RUN_NID(nid_cap_max);
	RUN_NID(nid_cap_min);
	RUN_NID(nid_reserved_full_merge);
	RUN_NID(nid_reserved_all);
	RUN_NID(nid_low_max);
	RUN_NID(nid_min_above_max);
	RUN_NID(nid_accessible);

	RUN_NID(numa_simple);
	RUN_NID(numa_small_node);
	RUN_NID(numa_node_reserved);
	RUN_NID(numa_part_reserved);
	RUN_NID(numa_part_reserved_fallback);
	RUN_NID(numa_split_range_low);
	RUN_NID(numa_split_range_high);
	RUN_NID(numa_no_overlap_split);
	RUN_NID(numa_no_overlap_low);
	RUN_NID(numa_no_overlap_high);
	RUN_NID(numa_large_region);
	RUN_NID(numa_reserved_full_merge);
	RUN_NID(numa_split_all_reserved);
	RUN_DIR(numa_alloc_node_on_correct_nid);
	RUN_DIR(numa_phys_alloc_try_nid);
	RUN_DIR(phys_alloc_range);
}

int main(void)
{
	machine = mmsim_boot("ram=256M");
	if (!machine) {
		fprintf(stderr, "mmsim_boot: %s\n", mmsim_last_error());
		return 1;
	}
	KT_RUN(test_machine_memblock_valid);
	saved_memblock = memblock;

	phys_mem_size = PAGE_SIZE << MAX_PAGE_ORDER;
	dummy_pages = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
	if (!dummy_pages) {
		fprintf(stderr, "no MAX_PAGE_ORDER block for the dummy memory\n");
		return 1;
	}
	dummy_base = page_to_phys(dummy_pages);

	run_basic_tests();
	run_alloc_tests();

	KT_RUN(test_dump_format);
	KT_RUN(test_debug_trace);
	KT_RUN(test_debug_trace_alloc);
	KT_RUN(test_free_all_reserved);
	KT_RUN(test_is_valid_detects);

	memblock = saved_memblock;
	__free_pages(dummy_pages, MAX_PAGE_ORDER);
	mmsim_shutdown(machine);
	return kt_done();
}
