// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_memblock.c - unit tests of mm/memblock.c: the region API
 * (add, reserve, remove, free, trim), the arrays doubling, flags, node
 * ids, queries, iterators, memory limits, the dump, memblock=debug tracing
 * and memblock_free_all.  The allocation API is tests/test_memblock_alloc.c;
 * what both share is tests/memblock_test.h.
 *
 * The cases follow the semantics of Linux's user-space memblock suite
 * (tools/testing/memblock/tests: basic_api), rewritten for mmsim, plus the
 * parts of the API that suite does not reach.
 *
 * Tables.  Where Linux's suite has a family of near-identical functions,
 * the cases are rows of a table run by one function, each row a test of
 * its own name: add_cases, reserve_cases, remove_cases, free_cases and
 * trim_cases (run_region_case(): steps on an empty memblock, then the
 * regions, count and total of one type).  A failed check names the test
 * and the field, as "test_add_within: memory[0].size: 0x..., expected
 * 0x...".  Every case checks memblock_is_valid() after its steps.
 */
#include <mmsim/mmsim.h>
#include "ktest.h"
#include "memblock_test.h"

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

/* Where the i-th of the many reserved regions goes: above the dummy memory. */
static phys_addr_t many_base(unsigned long i)
{
	return dummy_base + phys_mem_size + i * 2 * MEM_SIZE;
}

/*
 * After the reservation that made the reserved array double: what it
 * holds now, INIT_MEMBLOCK_REGIONS + 1 regions of @rsize and the new array.
 */
static void check_doubled(phys_addr_t rsize)
{
	KT_ASSERT(memblock_is_valid());
	KT_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS + 2);
	KT_EQ(memblock.reserved.total_size, (INIT_MEMBLOCK_REGIONS + 1) * rsize + NEW_ARRAY_SIZE);
	KT_EQ(memblock.reserved.max, 2 * INIT_MEMBLOCK_REGIONS);
}

/* And the grown array still takes new regions, in order. */
static void check_takes_more(void)
{
	memblock_reserve(SZ_16K, SZ_16K);
	VALID();
	CHECK_RGN(reserved, 0, SZ_16K, SZ_16K);
	KT_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS + 3);
	KT_EQ(memblock.reserved.max, 2 * INIT_MEMBLOCK_REGIONS);
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
	check_doubled(MEM_SIZE);
	/* Top-down: the new array sits at the top of memory. */
	CHECK_RGN(reserved, 0, dummy_base + MEM_SIZE - NEW_ARRAY_SIZE, NEW_ARRAY_SIZE);
	KT_EQ(__pa(memblock.reserved.regions), dummy_base + MEM_SIZE - NEW_ARRAY_SIZE);
	check_takes_more();
}

/* Reserve @size at base(i) for i in [first, last], but for i == @skip. */
static void reserve_all_but(phys_addr_t (*base)(unsigned long), unsigned long first,
			    unsigned long last, unsigned long skip, phys_addr_t size)
{
	unsigned long i;

	for (i = first; i <= last; i++)
		if (i != skip)
			memblock_reserve(base(i), size);
	KT_EQ(memblock.reserved.cnt, INIT_MEMBLOCK_REGIONS);
}

/*
 * The region that overflows the array can land at any position among the
 * others; doubling works wherever the insertion happens.
 */
static void test_reserve_all_locations(void)
{
	unsigned long skip;

	for (skip = 0; skip < INIT_MEMBLOCK_REGIONS + 1; skip++) {
		reset_memblock();
		memblock_allow_resize();
		memblock_add(dummy_base, MEM_SIZE);
		reserve_all_but(many_base, 0, INIT_MEMBLOCK_REGIONS, skip, MEM_SIZE);
		KT_EQ(memblock.reserved.max, INIT_MEMBLOCK_REGIONS);

		memblock_reserve(many_base(skip), MEM_SIZE);
		check_doubled(MEM_SIZE);
		KT_ASSERT(memblock_is_reserved(many_base(skip)));
		check_takes_more();
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
	unsigned long skip;

	for (skip = 1; skip <= INIT_MEMBLOCK_REGIONS + 1; skip++) {
		reset_memblock();
		memblock_allow_resize();
		memblock_add(conflict_base(0), SZ_8K);
		memblock_add(conflict_base(skip), SZ_8K);
		reserve_all_but(conflict_base, 1, INIT_MEMBLOCK_REGIONS + 1, skip, SZ_8K);

		memblock_reserve(conflict_base(skip), SZ_8K);
		check_doubled(SZ_8K);
		KT_EQ(memblock.reserved.regions[0].base + memblock.reserved.regions[0].size,
		      conflict_base(0) + SZ_8K);
		KT_EQ(memblock.reserved.regions[0].size, NEW_ARRAY_SIZE);
		check_takes_more();
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

/* Store range @n in out[] if it is below @max; returns n + 1. */
static int put_range(struct range *out, int max, int n, phys_addr_t start, phys_addr_t end,
		     int nid)
{
	if (n < max)
		out[n] = (struct range){ start, end, nid };
	return n + 1;
}

/* How many free ranges, ascending (or descending with @rev); the first @max in @out. */
static int collect_free(int nid, enum memblock_flags flags, bool rev, struct range *out, int max)
{
	phys_addr_t start, end;
	uint64_t i;
	int n = 0, rnid;

	if (rev)
		for_each_free_mem_range_reverse(i, nid, flags, &start, &end, &rnid)
			n = put_range(out, max, n, start, end, rnid);
	else
		for_each_free_mem_range(i, nid, flags, &start, &end, &rnid)
			n = put_range(out, max, n, start, end, rnid);
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

	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NONE, false, r, 8), 3);
	CHECK_RANGE(r[0], SZ_1G + SZ_1M, SZ_1G + SZ_4M);
	CHECK_RANGE(r[1], SZ_1G + SZ_4M + SZ_1M, SZ_1G + SZ_8M);
	CHECK_RANGE(r[2], SZ_2G + SZ_1M, SZ_2G + SZ_8M);
	KT_EQ(r[0].nid, 0);
	KT_EQ(r[2].nid, 1);

	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NONE, true, r, 8), 3);
	CHECK_RANGE(r[0], SZ_2G + SZ_1M, SZ_2G + SZ_8M);
	CHECK_RANGE(r[1], SZ_1G + SZ_4M + SZ_1M, SZ_1G + SZ_8M);
	CHECK_RANGE(r[2], SZ_1G + SZ_1M, SZ_1G + SZ_4M);

	/* Only node 1. */
	KT_EQ(collect_free(1, MEMBLOCK_NONE, false, r, 8), 1);
	CHECK_RANGE(r[0], SZ_2G + SZ_1M, SZ_2G + SZ_8M);
	KT_EQ(collect_free(0, MEMBLOCK_NONE, true, r, 8), 2);
	CHECK_RANGE(r[0], SZ_1G + SZ_4M + SZ_1M, SZ_1G + SZ_8M);

	/* Nothing reserved: the memory regions themselves. */
	reset_memblock();
	memblock_add(SZ_1G, SZ_8M);
	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NONE, false, r, 8), 1);
	CHECK_RANGE(r[0], SZ_1G, SZ_1G + SZ_8M);
	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NONE, true, r, 8), 1);
	CHECK_RANGE(r[0], SZ_1G, SZ_1G + SZ_8M);

	/* All reserved: nothing. */
	memblock_reserve(0, PHYS_ADDR_MAX);
	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NONE, false, r, 8), 0);
	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NONE, true, r, 8), 0);

	/* No memory: nothing (the dummy region is empty). */
	reset_memblock();
	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NONE, false, r, 8), 0);
	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NONE, true, r, 8), 0);
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

	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NONE, false, r, 8), 3);
	CHECK_RANGE(r[0], SZ_1G, SZ_1G + SZ_1M);
	CHECK_RANGE(r[1], SZ_1G + SZ_4M, SZ_1G + SZ_4M + SZ_1M);
	CHECK_RANGE(r[2], SZ_1G + SZ_16M, SZ_1G + SZ_16M + SZ_1M);

	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_NOMAP, false, r, 8), 4);
	CHECK_RANGE(r[1], SZ_1G + SZ_2M, SZ_1G + SZ_2M + SZ_1M);

	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_MIRROR, false, r, 8), 1);
	CHECK_RANGE(r[0], SZ_1G + SZ_4M, SZ_1G + SZ_4M + SZ_1M);

	KT_EQ(collect_free(NUMA_NO_NODE, MEMBLOCK_DRIVER_MANAGED, false, r, 8), 4);
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
/* main                                                                */
/* ------------------------------------------------------------------ */

int main(void)
{
	if (!memblock_test_begin())
		return 1;
	KT_RUN(test_machine_memblock_valid);
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

	KT_RUN(test_dump_format);
	KT_RUN(test_debug_trace);
	KT_RUN(test_debug_trace_alloc);
	KT_RUN(test_free_all_reserved);
	KT_RUN(test_is_valid_detects);

	memblock_test_end();
	return kt_done();
}
