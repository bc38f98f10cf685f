// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_memblock_alloc.c - unit tests of mm/memblock_alloc.c: the
 * allocation API (memblock_alloc*, memblock_phys_alloc*, the _from, _nid
 * and _exact_nid variants) on the dummy memory of tests/memblock_test.h,
 * following Linux's alloc_api, alloc_helpers_api, alloc_nid_api and
 * alloc_exact_nid_api suites.
 *
 * Tables.  alloc_cases, alloc_from_cases, nid_cases and numa_cases are run
 * by run_alloc_case(): reservations, one allocation, then where the block
 * is and what is reserved.  An allocation row that does not fit the
 * pattern names a function instead.  Allocation cases run top-down and
 * bottom-up, and through the zeroing and the raw (and, for the _nid cases,
 * the exact-node) entry points: each variant is a test of its own, named
 * <case>_<variant>.  Every case checks memblock_is_valid() after its steps.
 */
#include <mmsim/mmsim.h>
#include "ktest.h"
#include "memblock_test.h"

/* ------------------------------------------------------------------ */
/* Allocation cases that do not fit the table                          */
/* ------------------------------------------------------------------ */

#define MIN_OFF		SZ_4K			/* the _nid cases' range: offsets */
#define MAX_OFF		(SZ_4K + SZ_8K)
#define MIN_ADDR	(MEM_START + MIN_OFF)
#define MAX_ADDR	(MEM_START + MAX_OFF)

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

static void alloc_no_memory(void)
{
	reset_memblock();
	KT_ASSERT(run_alloc(SZ_1K, SMP_CACHE_BYTES) == NULL);
	VALID();
	CHECK_TYPE(reserved, 1, 0);
	CHECK_RGN(reserved, 0, 0, 0);
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
/* Allocation cases: the table                                         */
/* ------------------------------------------------------------------ */

/*
 * The variants an allocation case runs in: the first 2 (MODES_DIR) are
 * memblock_alloc*() top-down and bottom-up, the first 4 (MODES_ALLOC) add
 * the _raw entry points, all 6 (MODES_NID) add
 * memblock_alloc_exact_nid_raw().
 */
static const struct {
	const char *suffix;
	bool bottom_up;
	enum alloc_mode mode;
} alloc_variants[] = {
	{ "top_down", false, MODE_ZEROED },
	{ "bottom_up", true, MODE_ZEROED },
	{ "top_down_raw", false, MODE_RAW },
	{ "bottom_up_raw", true, MODE_RAW },
	{ "top_down_exact", false, MODE_EXACT },
	{ "bottom_up_exact", true, MODE_EXACT },
};
enum { MODES_DIR = 2, MODES_ALLOC = 4, MODES_NID = 6 };

enum alloc_call { CALL_ALLOC, CALL_FROM, CALL_NID };

#define FAILS		LLONG_MIN	/* expected address: no block */

/*
 * What one variant expects.  Addresses are offsets from MEM_START.  A
 * zero cnt leaves reserved.cnt and total_size unchecked; a zero rgn_size
 * leaves reserved region @rgn unchecked.
 */
struct alloc_result {
	long long addr;
	unsigned long cnt;
	phys_addr_t total;
	int rgn;
	long long rgn_base;
	phys_addr_t rgn_size;
};

/* A reservation made before the allocation, at an offset per direction. */
struct alloc_reserve {
	long long td, bu;
	phys_addr_t size;
};

/*
 * setup_memblock() (or setup_numa_memblock()), the reservations, one
 * allocation; then memblock is valid, the block is where @td or @bu says
 * (with the right contents: zeroed or still 1s), and reserved is as they
 * say.  With MODE_EXACT and @exact_differs, @exact_td and @exact_bu apply.
 */
struct alloc_case {
	const char *name;
	enum alloc_call call;
	phys_addr_t size, align;
	long long min, max;		/* CALL_FROM: min; CALL_NID: both */
	bool accessible;		/* CALL_NID from 0 to MEMBLOCK_ALLOC_ACCESSIBLE */
	int nid;
	bool numa;
	struct alloc_reserve reserve[2];
	struct alloc_result td, bu;
	bool exact_differs;
	struct alloc_result exact_td, exact_bu;
	void (*fn)(void);		/* an irregular case: it runs instead */
	int variants;			/* MODES_*, if not the table's */
};

#define FN(f)			.name = #f, .fn = f
#define RSV(off, sz)		{ (off), (off), (sz) }
#define RSV2(td_, bu_, sz)	{ (td_), (bu_), (sz) }
#define ALLOC(sz, al)		.call = CALL_ALLOC, .size = (sz), .align = (al)
#define FROM(sz, min_)		.call = CALL_FROM, .size = (sz), .align = SMP, .min = (min_)
#define NID(sz, min_, max_)						\
	.call = CALL_NID, .size = (sz), .align = SMP, .min = (min_), .max = (max_),	\
	.nid = NUMA_NO_NODE
#define ON_NODE(sz, n)							\
	.numa = true, .call = CALL_NID, .size = (sz), .align = SMP, .accessible = true, .nid = (n)
#define ON_NODE_IN(sz, min_, max_, n)					\
	.numa = true, .call = CALL_NID, .size = (sz), .align = SMP, .min = (min_), .max = (max_), \
	.nid = (n)
#define BOTH(res)		.td = res, .bu = res
#define EXACT_BOTH(res)		.exact_differs = true, .exact_td = res, .exact_bu = res
#define AT(off)			{ .addr = (off) }
#define AT_CNT(off, c, t)	{ .addr = (off), .cnt = (c), .total = (t) }
#define AT_RGN(off, c, t, i, rb, rs)					\
	{ .addr = (off), .cnt = (c), .total = (t), .rgn = (i), .rgn_base = (rb), .rgn_size = (rs) }
/* Offsets in the table: MEM_END, MIN_ADDR, MAX_ADDR, node n's base and end. */
#define TOP			((long long)MEM_SIZE)
#define RMIN			((long long)MIN_OFF)
#define RMAX			((long long)MAX_OFF)
#define NB(n)			((long long)NODE_OFF(n))
#define NE(n)			((long long)NODE_END(n))
#define SMP			SMP_CACHE_BYTES

/* memblock_alloc / memblock_alloc_raw, in MODES_ALLOC */
static const struct alloc_case alloc_cases[] = {
	{ "alloc_simple", ALLOC(SZ_2, SMP), .td = AT_RGN(TOP - SMP, 1, SZ_2, 0, TOP - SMP, SZ_2),
	  .bu = AT_RGN(0, 1, SZ_2, 0, 0, SZ_2) },
	/* A free gap is left between the reserved block and the new one by alignment. */
	{ "alloc_disjoint", ALLOC(SZ_16, 4), .reserve = { RSV2(TOP - SZ_2, 0, SZ_2) },
	  .td = AT_RGN(TOP - 20, 2, SZ_2 + SZ_16, 0, TOP - 20, SZ_16),
	  .bu = AT_RGN(4, 2, SZ_2 + SZ_16, 1, 4, SZ_16) },
	/* The new block goes right next to a reserved one at the edge and merges. */
	{ "alloc_before", ALLOC(SZ_128, SMP), .reserve = { RSV2(TOP - SZ_512, 0, SZ_512) },
	  .td = AT_RGN(TOP - SZ_512 - SZ_128, 1, SZ_512 + SZ_128, 0, TOP - SZ_512 - SZ_128,
		       SZ_512 + SZ_128),
	  .bu = AT_RGN(SZ_512, 1, SZ_512 + SZ_128, 0, 0, SZ_512 + SZ_128) },
	/* The first free range in search order fits exactly and merges with r1. */
	{ "alloc_after", ALLOC(SZ_128, SMP),
	  .reserve = { RSV2(SZ_512, SZ_128, MEM_SIZE - SZ_512 - SZ_128) },
	  .td = AT_CNT(TOP - SZ_128, 1, MEM_SIZE - SZ_512), .bu = AT_CNT(0, 1, MEM_SIZE - SZ_512) },
	/* The first free range in search order is too small; the second is used. */
	{ "alloc_second_fit", ALLOC(SZ_128, SMP),
	  .reserve = { RSV2(SZ_8K, SZ_64, MEM_SIZE - SZ_8K - SZ_64) },
	  .td = AT_CNT(SZ_8K - SZ_128, 1, MEM_SIZE - SZ_64 - SZ_8K + SZ_128),
	  .bu = AT_CNT(TOP - SZ_8K, 1, MEM_SIZE - SZ_64 - SZ_8K + SZ_128) },
	/* The only free space is a gap of exactly the size: all merges into one. */
	{ "alloc_in_between", ALLOC(SZ_1K, SMP),
	  .reserve = { RSV(0, SZ_8K), RSV(SZ_8K + SZ_1K, MEM_SIZE - SZ_8K - SZ_1K) },
	  BOTH(AT_RGN(SZ_8K, 1, MEM_SIZE, 0, 0, MEM_SIZE)) },
	{ FN(alloc_small_gaps) },
	{ "alloc_all_reserved", ALLOC(SZ_64, SMP), .reserve = { RSV(0, MEM_SIZE) },
	  BOTH(AT_CNT(FAILS, 1, MEM_SIZE)) },
	/* One byte short of the request is free. */
	{ "alloc_no_space", ALLOC(SZ_1K, SMP), .reserve = { RSV(0, MEM_SIZE - SZ_1K + 1) },
	  BOTH(AT_CNT(FAILS, 1, MEM_SIZE - SZ_1K + 1)) },
	/* Exactly the request is free: memory ends up fully reserved. */
	{ "alloc_limited_space", ALLOC(SZ_1K, SMP), .reserve = { RSV(0, MEM_SIZE - SZ_1K) },
	  BOTH(AT_CNT(TOP - SZ_1K, 1, MEM_SIZE)) },
	{ FN(alloc_no_memory) },
	{ "alloc_too_large", ALLOC(MEM_SIZE + 1, SMP), BOTH(AT_CNT(FAILS, 1, 0)) },
	{ FN(alloc_misaligned_memory) },
	/* align == 0 is a caller bug: Linux dumps the stack and uses SMP_CACHE_BYTES. */
	{ "alloc_zero_align", ALLOC(SZ_16, 0), .td = AT(TOP - SMP), .bu = AT(0) },
	{ FN(alloc_current_limit) },
	{ FN(alloc_sequence) },
};

/* memblock_alloc_from, in MODES_DIR */
static const struct alloc_case alloc_from_cases[] = {
	/* Only SMP_CACHE_BYTES above min_addr: the block is at min_addr. */
	{ "alloc_from_simple", FROM(SMP, TOP - SMP), BOTH(AT_CNT(TOP - SMP, 1, SMP)) },
	{ "alloc_from_misaligned", FROM(SZ_64, TOP - SZ_128 + 1), BOTH(AT(TOP - SZ_64)) },
	{ "alloc_from_middle", FROM(SZ_1K, SZ_8K), .td = AT(TOP - SZ_1K), .bu = AT(SZ_8K) },
	/* min_addr above all memory: retried from 0. */
	{ "alloc_from_high_addr", FROM(SZ_1K, TOP + SZ_4K), .td = AT(TOP - SZ_1K), .bu = AT(0) },
	/* Everything above min_addr is reserved: retried from 0. */
	{ "alloc_from_no_space_above", FROM(SZ_512, TOP - SZ_1K),
	  .reserve = { RSV(TOP - SZ_1K, SZ_1K) },
	  .td = AT_CNT(TOP - SZ_1K - SZ_512, 1, SZ_1K + SZ_512),
	  .bu = AT_CNT(0, 2, SZ_1K + SZ_512) },
	/* min_addr below the start of memory changes nothing. */
	{ "alloc_from_min_addr_cap", FROM(SZ_1K, -(long long)SZ_4K),
	  .td = AT(TOP - SZ_1K), .bu = AT(0) },
};

/* memblock_alloc_try_nid / _raw / exact_nid_raw: ranges, in MODES_NID */
static const struct alloc_case nid_cases[] = {
	{ "nid_simple", NID(SZ_1K, RMIN, RMAX),
	  .td = AT_CNT(RMAX - SZ_1K, 1, SZ_1K), .bu = AT_CNT(RMIN, 1, SZ_1K) },
	{ "nid_end_misaligned", NID(SZ_1K, RMIN, RMAX + 13),
	  .td = AT(RMAX - SZ_1K), .bu = AT(RMIN) },
	{ "nid_start_misaligned", NID(SZ_1K, RMIN + 13, RMAX),
	  .td = AT(RMAX - SZ_1K), .bu = AT(RMIN + SZ_64) },
	/* The range is exactly the size. */
	{ "nid_exact_address", NID(SZ_1K, RMIN, RMIN + SZ_1K), BOTH(AT(RMIN)) },
	/* The range is a little larger than the size: alignment decides. */
	{ "nid_narrow_range", NID(SZ_1K, RMIN, RMIN + SZ_1K + 32), BOTH(AT(RMIN)) },
	/* The range is too narrow: retried from 0, below max_addr. */
	{ "nid_narrow_range_no_space", NID(SZ_1K, RMIN, RMIN + SZ_1K - 1),
	  .td = AT(RMIN - SZ_64), .bu = AT(0) },
	/* A reserved block at the preferred end: the new one goes next to it. */
	{ "nid_reserved_with_space", NID(SZ_1K, RMIN, RMAX),
	  .reserve = { RSV2(RMAX - SZ_512, RMIN, SZ_512) },
	  .td = AT_CNT(RMAX - SZ_512 - SZ_1K, 1, SZ_1K + SZ_512),
	  .bu = AT_CNT(RMIN + SZ_512, 1, SZ_1K + SZ_512) },
	/* The range's only gap is too small: retried from 0, below the range. */
	{ "nid_reserved_no_space", NID(SZ_1K, RMIN, RMAX),
	  .reserve = { RSV(RMIN, SZ_4K), RSV(RMIN + SZ_4K + SZ_1K - SZ_64,
					      RMAX - RMIN - SZ_4K - SZ_1K + SZ_64) },
	  .td = AT_CNT(RMIN - SZ_1K, 2, RMAX - RMIN - SZ_1K + SZ_64 + SZ_1K),
	  .bu = AT_CNT(0, 3, RMAX - RMIN - SZ_1K + SZ_64 + SZ_1K) },
	/* max_addr above the end of memory. */
	{ "nid_cap_max", NID(SZ_1K, TOP - SZ_4K, TOP + SZ_16K),
	  .td = AT(TOP - SZ_1K), .bu = AT(TOP - SZ_4K) },
	/* min_addr below the start of memory. */
	{ "nid_cap_min", NID(SZ_1K, -(long long)SZ_16K, SZ_4K),
	  .td = AT(SZ_4K - SZ_1K), .bu = AT(0) },
	/* The gap between two reserved blocks is exactly the size. */
	{ "nid_reserved_full_merge", NID(SZ_1K, RMIN, RMAX),
	  .reserve = { RSV(RMIN, SZ_2K), RSV(RMIN + SZ_2K + SZ_1K, RMAX - RMIN - SZ_2K - SZ_1K) },
	  BOTH(AT_RGN(RMIN + SZ_2K, 1, RMAX - RMIN, 0, RMIN, RMAX - RMIN)) },
	{ "nid_reserved_all", NID(SZ_1K, RMIN, RMAX), .reserve = { RSV(0, MEM_SIZE) },
	  BOTH(AT_CNT(FAILS, 1, MEM_SIZE)) },
	{ FN(nid_low_max) },
	/* min_addr > max_addr: the first try finds nothing, the retry from 0 does. */
	{ "nid_min_above_max", NID(SZ_1K, RMAX, RMIN), .td = AT(RMIN - SZ_1K), .bu = AT(0) },
	{ FN(nid_accessible) },
};

/* NUMA, in MODES_NID but where a row says otherwise */
static const struct alloc_case numa_cases[] = {
	/* The block comes from the requested node. */
	{ "numa_simple", ON_NODE(NODE_SZ(3) / 4, 3),
	  .td = AT_CNT(NE(3) - NODE_SZ(3) / 4, 1, NODE_SZ(3) / 4),
	  .bu = AT_CNT(NB(3), 1, NODE_SZ(3) / 4) },
	/*
	 * The requested node is too small: another node (exact: none).
	 * Top-down: node 7 is too small as well, node 6 fits.
	 */
	{ "numa_small_node", ON_NODE(2 * NODE_SZ(1), 1),
	  .td = AT(NE(6) - 2 * NODE_SZ(1)), .bu = AT(NB(0)), EXACT_BOTH(AT_CNT(FAILS, 1, 0)) },
	/* The requested node is fully reserved. */
	{ "numa_node_reserved", ON_NODE(NODE_SZ(4) / 2, 4), .reserve = { RSV(NB(4), NODE_SZ(4)) },
	  .td = AT_CNT(NE(7) - NODE_SZ(4) / 2, 2, NODE_SZ(4) + NODE_SZ(4) / 2),
	  .bu = AT_CNT(NB(0), 2, NODE_SZ(4) + NODE_SZ(4) / 2), EXACT_BOTH(AT(FAILS)) },
	/* The requested node is partly reserved but has room. */
	{ "numa_part_reserved", ON_NODE(NODE_SZ(2) / 4, 2),
	  .reserve = { RSV(NB(2) + NODE_SZ(2) / 2, NODE_SZ(2) / 2) },
	  .td = AT_CNT(NB(2) + NODE_SZ(2) / 2 - NODE_SZ(2) / 4, 1, NODE_SZ(2) / 2 + NODE_SZ(2) / 4),
	  .bu = AT_CNT(NB(2), 2, NODE_SZ(2) / 2 + NODE_SZ(2) / 4) },
	/* The requested node's free part is too small. */
	{ "numa_part_reserved_fallback", ON_NODE(SZ_1K, 2),
	  .reserve = { RSV(NB(2) + SZ_64, NODE_SZ(2) - SZ_64) },
	  .td = AT(NE(7) - SZ_1K), .bu = AT(NB(0)), EXACT_BOTH(AT(FAILS)) },
	/*
	 * The range starts on the node below the requested one, whose part of
	 * the range is too small: the block falls back to the lower node in the
	 * range (exact: the retry from 0 still has too little of the node below
	 * max).
	 */
	{ "numa_split_range_low", ON_NODE_IN(SZ_512, NB(3) - SZ_1K, NB(3) + SZ_256, 3),
	  .td = AT(NB(3) - SZ_512), .bu = AT(NB(3) - SZ_1K), EXACT_BOTH(AT(FAILS)) },
	/*
	 * The range ends on the node above the requested one, whose part of the
	 * range is too small: the block falls back to the upper node in the
	 * range (exact: the retry from 0 finds the whole requested node).
	 */
	{ "numa_split_range_high", ON_NODE_IN(SZ_512, NE(3) - SZ_256, NE(3) + SZ_1K, 3),
	  .td = AT(NE(3) + SZ_1K - SZ_512), .bu = AT(NB(4)),
	  .exact_differs = true, .exact_td = AT(NE(3) - SZ_512), .exact_bu = AT(NB(3)) },
	/* The range spans nodes 4 and 5; node 2 is requested. */
	{ "numa_no_overlap_split", ON_NODE_IN(SZ_512, NE(4) - SZ_1K, NB(5) + SZ_1K, 2),
	  .td = AT(NB(5) + SZ_1K - SZ_512), .bu = AT(NE(4) - SZ_1K),
	  .exact_differs = true, .exact_td = AT(NE(2) - SZ_512), .exact_bu = AT(NB(2)) },
	/* The range lies below the requested node. */
	{ "numa_no_overlap_low", ON_NODE_IN(SZ_512, NB(2), NE(3), 6),
	  .td = AT(NE(3) - SZ_512), .bu = AT(NB(2)), EXACT_BOTH(AT(FAILS)) },
	/* The range lies above the requested node. */
	{ "numa_no_overlap_high", ON_NODE_IN(SZ_512, NB(4), NE(5), 1),
	  .td = AT(NE(5) - SZ_512), .bu = AT(NB(4)),
	  .exact_differs = true, .exact_td = AT(NE(1) - SZ_512), .exact_bu = AT(NB(1)) },
	{ FN(numa_large_region) },
	/* The requested node's only gap is exactly the size. */
	{ "numa_reserved_full_merge", ON_NODE(SZ_1K, 6),
	  .reserve = { RSV(NB(6), SZ_2K), RSV(NB(6) + SZ_2K + SZ_1K, NODE_SZ(6) - SZ_2K - SZ_1K) },
	  BOTH(AT_RGN(NB(6) + SZ_2K, 1, NODE_SZ(6), 0, NB(6), NODE_SZ(6))) },
	{ FN(numa_split_all_reserved) },
	{ FN(numa_alloc_node_on_correct_nid), .variants = MODES_DIR },
	{ FN(numa_phys_alloc_try_nid), .variants = MODES_DIR },
	/* memblock_phys_alloc_range */
	{ FN(phys_alloc_range), .variants = MODES_DIR },
};

static phys_addr_t mem_at(long long off)
{
	return dummy_base + (phys_addr_t)off;
}

static void *alloc_call(const struct alloc_case *c)
{
	switch (c->call) {
	case CALL_ALLOC:
		return run_alloc(c->size, c->align);
	case CALL_FROM:
		return memblock_alloc_from(c->size, c->align, mem_at(c->min));
	default:
		if (c->accessible)
			return run_alloc_nid(c->size, c->align, 0, MEMBLOCK_ALLOC_ACCESSIBLE,
					     c->nid);
		return run_alloc_nid(c->size, c->align, mem_at(c->min), mem_at(c->max), c->nid);
	}
}

static void run_alloc_case(const struct alloc_case *c)
{
	const struct alloc_result *e = test_mode == MODE_EXACT && c->exact_differs ?
		(test_bottom_up ? &c->exact_bu : &c->exact_td) : (test_bottom_up ? &c->bu : &c->td);
	const struct memblock_region *r;
	void *p;
	int i;

	if (c->numa)
		setup_numa_memblock();
	else
		setup_memblock();
	for (i = 0; i < (int)ARRAY_SIZE(c->reserve) && c->reserve[i].size; i++)
		memblock_reserve(mem_at(test_bottom_up ? c->reserve[i].bu : c->reserve[i].td),
				 c->reserve[i].size);
	p = alloc_call(c);
	VALID();
	if (e->addr == FAILS) {
		KT_ASSERT(p == NULL);
	} else {
		KT_ASSERT(p != NULL);
		if (p) {
			KT_EQ_WHAT(__pa(p), mem_at(e->addr), "block at MEM_START + %#llx", e->addr);
			KT_ASSERT(content_ok(p, c->size, test_mode == MODE_ZEROED));
		}
	}
	if (e->cnt) {
		KT_EQ_WHAT(memblock.reserved.cnt, e->cnt, "reserved.cnt");
		KT_EQ_WHAT(memblock.reserved.total_size, e->total, "reserved.total_size");
	}
	if (e->rgn_size) {
		r = &memblock.reserved.regions[e->rgn];
		KT_EQ_WHAT(r->base, mem_at(e->rgn_base), "reserved[%d].base", e->rgn);
		KT_EQ_WHAT(r->size, e->rgn_size, "reserved[%d].size", e->rgn);
	}
}

/* Every case of @cases in each of its variants (@variants: MODES_*), a test each. */
static void run_alloc_cases(const struct alloc_case *cases, size_t n, int variants)
{
	static char name[96];
	const struct alloc_case *c;
	int v;

	for (c = cases; c < cases + n; c++) {
		for (v = 0; v < (c->variants ? c->variants : variants); v++) {
			snprintf(name, sizeof(name), "%s_%s", c->name, alloc_variants[v].suffix);
			set_mode(alloc_variants[v].bottom_up, alloc_variants[v].mode);
			kt_begin(name);
			if (c->fn)
				c->fn();
			else
				run_alloc_case(c);
			kt_end();
		}
	}
}


/* ------------------------------------------------------------------ */
/* main                                                                */
/* ------------------------------------------------------------------ */

int main(void)
{
	if (!memblock_test_begin())
		return 1;
	run_alloc_cases(alloc_cases, ARRAY_SIZE(alloc_cases), MODES_ALLOC);
	run_alloc_cases(alloc_from_cases, ARRAY_SIZE(alloc_from_cases), MODES_DIR);
	run_alloc_cases(nid_cases, ARRAY_SIZE(nid_cases), MODES_NID);
	run_alloc_cases(numa_cases, ARRAY_SIZE(numa_cases), MODES_NID);
	memblock_test_end();
	return kt_done();
}
