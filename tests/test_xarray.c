// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_xarray.c - lib/xarray.c and lib/xarray_multi.c: every call of
 * <mmsim/xarray.h>, the semantics of Linux's lib/test_xarray.c that apply
 * (check_xa_load, check_xa_mark, check_xa_shrink, check_insert,
 * check_cmpxchg, check_reserve, check_multi_store, check_xa_alloc,
 * check_find, check_pause, check_move, check_align, check_split...), the
 * -ENOMEM paths through xa_fail_node_allocs, and randomized runs against a
 * simple model with xa_is_valid after every operation (small tree) or
 * periodically (a big, sparse one).  Needs no simulated machine.
 */
#include <errno.h>
#include <stdint.h>
#include <mmsim/xarray.h>
#include "ktest.h"

static uint64_t rng = 0x2545f4914f6cdd1dULL;

static unsigned long rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned long)rng;
}

/* Pointer entries: 4-aligned addresses in a static array. */
static long objs[4096] __attribute__((aligned(8)));
#define P(i) ((void *)&objs[i])

static void *xa_mk_index(unsigned long i)
{
	return xa_mk_value(i & LONG_MAX);
}

/* ---- check_xa_load, check_xa_err ---- */

static void test_load_store(void)
{
	DEFINE_XARRAY(xa);
	unsigned long i, j;

	KT_ASSERT(xa_empty(&xa));
	KT_ASSERT(xa_load(&xa, 0) == NULL);
	for (i = 0; i < 1024; i++) {
		KT_ASSERT(xa_store(&xa, i, xa_mk_index(i), GFP_KERNEL) == NULL);
		for (j = 0; j < 1024; j += 37)
			KT_ASSERT(xa_load(&xa, j) == (j <= i ? xa_mk_index(j) : NULL));
	}
	KT_ASSERT(xa_is_valid(&xa));
	for (i = 0; i < 1024; i++) {
		KT_ASSERT(xa_erase(&xa, i) == xa_mk_index(i));
		KT_ASSERT(xa_load(&xa, i) == NULL);
		if (i + 1 < 1024)
			KT_ASSERT(xa_load(&xa, i + 1) == xa_mk_index(i + 1));
	}
	KT_ASSERT(xa_empty(&xa));
	/* store returns the old entry; value and pointer entries */
	KT_ASSERT(xa_store(&xa, 1, P(1), GFP_KERNEL) == NULL);
	KT_ASSERT(xa_store(&xa, 1, xa_mk_value(7), GFP_KERNEL) == P(1));
	KT_ASSERT(xa_is_value(xa_load(&xa, 1)) && xa_to_value(xa_load(&xa, 1)) == 7);
	KT_ASSERT(xa_store(&xa, 1, NULL, GFP_KERNEL) == xa_mk_value(7));
	KT_ASSERT(xa_empty(&xa));
	/* errors: internal entries cannot be stored */
	KT_EQ(xa_err(xa_store(&xa, 3, xa_mk_internal(5), GFP_KERNEL)), -EINVAL);
	KT_EQ(xa_err(xa_store(&xa, 3, XA_RETRY_ENTRY, GFP_KERNEL)), -EINVAL);
	KT_EQ(xa_err(xa_store(&xa, 3, P(0), GFP_KERNEL)), 0);
	KT_ASSERT(xa_is_err(XA_ERROR(-ENOMEM)) && !xa_is_err(P(0)) && !xa_is_err(xa_mk_value(3)));
	/* ULONG_MAX and friends */
	KT_ASSERT(xa_store(&xa, ULONG_MAX, P(2), GFP_KERNEL) == NULL);
	KT_ASSERT(xa_load(&xa, ULONG_MAX) == P(2));
	KT_ASSERT(xa_load(&xa, ULONG_MAX - 1) == NULL);
	KT_ASSERT(xa_is_valid(&xa));
	xa_erase(&xa, ULONG_MAX);
	xa_erase(&xa, 3);
	KT_ASSERT(xa_empty(&xa));
	xa_destroy(&xa);
}

/* ---- check_xa_mark ---- */

static void test_marks(void)
{
	struct xarray xa;
	unsigned long index, i;
	void *entry;
	unsigned int n;

	xa_init(&xa);
	/* Marks on absent entries are no-ops. */
	xa_set_mark(&xa, 5, XA_MARK_0);
	KT_ASSERT(!xa_get_mark(&xa, 5, XA_MARK_0));
	KT_ASSERT(!xa_marked(&xa, XA_MARK_0));
	xa_store(&xa, 5, P(5), GFP_KERNEL);
	xa_set_mark(&xa, 5, XA_MARK_0);
	KT_ASSERT(xa_get_mark(&xa, 5, XA_MARK_0));
	KT_ASSERT(!xa_get_mark(&xa, 5, XA_MARK_1));
	KT_ASSERT(xa_marked(&xa, XA_MARK_0));
	/* marks survive a store of a new entry, and growth of the tree */
	xa_store(&xa, 5, P(6), GFP_KERNEL);
	KT_ASSERT(xa_get_mark(&xa, 5, XA_MARK_0));
	xa_store(&xa, 1UL << 40, P(7), GFP_KERNEL);
	KT_ASSERT(xa_get_mark(&xa, 5, XA_MARK_0));
	KT_ASSERT(!xa_get_mark(&xa, 1UL << 40, XA_MARK_0));
	KT_ASSERT(xa_is_valid(&xa));
	/* erasing clears marks, and the summary */
	xa_erase(&xa, 5);
	KT_ASSERT(!xa_marked(&xa, XA_MARK_0));
	xa_store(&xa, 5, P(5), GFP_KERNEL);
	KT_ASSERT(!xa_get_mark(&xa, 5, XA_MARK_0));
	xa_destroy(&xa);

	/* many entries, every third marked: the for_each_marked walk */
	for (i = 0; i < 5000; i++)
		xa_store(&xa, i * 7, P(i % 4096), GFP_KERNEL);
	for (i = 0; i < 5000; i += 3)
		xa_set_mark(&xa, i * 7, PAGECACHE_TAG_DIRTY);
	for (i = 0; i < 5000; i += 5)
		xa_set_mark(&xa, i * 7, PAGECACHE_TAG_WRITEBACK);
	KT_ASSERT(xa_is_valid(&xa));
	n = 0;
	xa_for_each_marked(&xa, index, entry, PAGECACHE_TAG_DIRTY) {
		KT_EQ(index, n * 21);
		n++;
	}
	KT_EQ(n, 1667);
	for (i = 0; i < 5000; i += 3)
		xa_clear_mark(&xa, i * 7, PAGECACHE_TAG_DIRTY);
	KT_ASSERT(!xa_marked(&xa, PAGECACHE_TAG_DIRTY));
	KT_ASSERT(xa_marked(&xa, PAGECACHE_TAG_WRITEBACK));
	KT_ASSERT(!xa_marked(&xa, PAGECACHE_TAG_TOWRITE));
	KT_ASSERT(xa_is_valid(&xa));
	/* clearing the last mark in a node clears the summaries above */
	for (i = 0; i < 5000; i += 5)
		xa_clear_mark(&xa, i * 7, PAGECACHE_TAG_WRITEBACK);
	KT_ASSERT(!xa_marked(&xa, PAGECACHE_TAG_WRITEBACK));
	KT_ASSERT(xa_is_valid(&xa));
	xa_destroy(&xa);
	KT_ASSERT(xa_empty(&xa) && !xa_marked(&xa, XA_MARK_0));
}

/* ---- check_xa_shrink: the tree drops levels as entries go ---- */

static void test_shrink(void)
{
	DEFINE_XARRAY(xa);
	XA_STATE(xas, &xa, 1);

	xa_store(&xa, 0, P(0), GFP_KERNEL);
	KT_ASSERT(xa.xa_head == P(0));		/* index 0 alone: no node */
	xa_store(&xa, 1, P(1), GFP_KERNEL);
	KT_ASSERT(xa_is_internal(xa.xa_head));
	xa_lock(&xa);
	KT_ASSERT(xas_load(&xas) == P(1));
	KT_ASSERT(xas.xa_node && xas.xa_node->count == 2);
	KT_ASSERT(xas_store(&xas, NULL) == P(1));
	xa_unlock(&xa);
	KT_ASSERT(xa.xa_head == P(0));
	KT_ASSERT(xa_load(&xa, 1) == NULL);
	/* a deep entry: growing then shrinking */
	xa_store(&xa, 1UL << 30, P(2), GFP_KERNEL);
	KT_ASSERT(xa_is_valid(&xa));
	xa_erase(&xa, 1UL << 30);
	KT_ASSERT(xa.xa_head == P(0));
	xa_erase(&xa, 0);
	KT_ASSERT(xa_empty(&xa));
	/* values and the head: nr_values counted in nodes */
	xa_store(&xa, 0, xa_mk_value(0), GFP_KERNEL);
	xa_store(&xa, 100, xa_mk_value(100), GFP_KERNEL);
	KT_ASSERT(xa_is_valid(&xa));
	xa_erase(&xa, 100);
	KT_ASSERT(xa.xa_head == xa_mk_value(0));
	xa_destroy(&xa);
}

/* ---- check_insert, check_cmpxchg, check_reserve ---- */

static void test_insert(void)
{
	DEFINE_XARRAY(xa);
	unsigned long i;

	for (i = 0; i < 200; i += 7) {
		KT_EQ(xa_insert(&xa, i, P(i), GFP_KERNEL), 0);
		KT_EQ(xa_insert(&xa, i, P(i + 1), GFP_KERNEL), -EBUSY);
		KT_ASSERT(xa_load(&xa, i) == P(i));
	}
	KT_EQ(xa_insert(&xa, 5, xa_mk_internal(3), GFP_KERNEL), -EINVAL);
	KT_EQ(xa_insert(&xa, ULONG_MAX, P(9), GFP_KERNEL), 0);
	/* insert NULL reserves: the next insert is busy, the load NULL */
	KT_EQ(xa_insert(&xa, 3, NULL, GFP_KERNEL), 0);
	KT_ASSERT(xa_load(&xa, 3) == NULL);
	KT_EQ(xa_insert(&xa, 3, P(3), GFP_KERNEL), -EBUSY);
	KT_ASSERT(xa_is_valid(&xa));
	xa_destroy(&xa);
	KT_ASSERT(xa_empty(&xa));
}

static void test_cmpxchg(void)
{
	DEFINE_XARRAY(xa);

	KT_ASSERT(xa_store(&xa, 12345678, P(1), GFP_KERNEL) == NULL);
	KT_ASSERT(xa_cmpxchg(&xa, 12345678, P(2), P(3), GFP_KERNEL) == P(1));
	KT_ASSERT(xa_load(&xa, 12345678) == P(1));
	KT_ASSERT(xa_cmpxchg(&xa, 12345678, P(1), P(3), GFP_KERNEL) == P(1));
	KT_ASSERT(xa_load(&xa, 12345678) == P(3));
	KT_ASSERT(xa_cmpxchg(&xa, 5, NULL, P(4), GFP_KERNEL) == NULL);
	KT_ASSERT(xa_cmpxchg(&xa, 5, NULL, P(5), GFP_KERNEL) == P(4));
	KT_ASSERT(xa_cmpxchg(&xa, 5, P(4), NULL, GFP_KERNEL) == P(4));
	KT_ASSERT(xa_load(&xa, 5) == NULL);
	KT_ASSERT(xa_cmpxchg(&xa, 12345678, P(3), NULL, GFP_KERNEL) == P(3));
	KT_ASSERT(xa_empty(&xa));
	KT_EQ(xa_err(xa_cmpxchg(&xa, 1, NULL, XA_RETRY_ENTRY, GFP_KERNEL)), -EINVAL);
	/* a reserved slot: cmpxchg from NULL fails (returns NULL), from ZERO works */
	KT_EQ(xa_reserve(&xa, 9, GFP_KERNEL), 0);
	KT_ASSERT(xa_cmpxchg(&xa, 9, NULL, P(9), GFP_KERNEL) == NULL);
	KT_ASSERT(xa_load(&xa, 9) == NULL);
	KT_ASSERT(xa_cmpxchg(&xa, 9, XA_ZERO_ENTRY, P(9), GFP_KERNEL) == NULL);
	KT_ASSERT(xa_load(&xa, 9) == P(9));
	xa_erase(&xa, 9);
	KT_ASSERT(xa_empty(&xa));
}

static void test_reserve(void)
{
	DEFINE_XARRAY(xa);
	DEFINE_XARRAY_ALLOC(xa2);
	unsigned long index;
	void *entry;
	unsigned int n = 0;
	u32 id;

	KT_EQ(xa_reserve(&xa, 12345678, GFP_KERNEL), 0);
	KT_ASSERT(!xa_empty(&xa));
	KT_ASSERT(xa_load(&xa, 12345678) == NULL);
	xa_release(&xa, 12345678);
	KT_ASSERT(xa_empty(&xa));
	/* releasing a used slot does nothing */
	KT_EQ(xa_reserve(&xa, 12345678, GFP_KERNEL), 0);
	KT_ASSERT(xa_store(&xa, 12345678, P(1), GFP_KERNEL) == NULL);
	xa_release(&xa, 12345678);
	KT_ASSERT(xa_load(&xa, 12345678) == P(1));
	KT_ASSERT(xa_erase(&xa, 12345678) == P(1));
	KT_ASSERT(xa_empty(&xa));
	/* reserving a used slot is fine and changes nothing */
	xa_store(&xa, 7, P(7), GFP_KERNEL);
	KT_EQ(xa_reserve(&xa, 7, GFP_KERNEL), 0);
	KT_ASSERT(xa_load(&xa, 7) == P(7));
	/* iteration skips reserved entries */
	KT_EQ(xa_reserve(&xa, 8, GFP_KERNEL), 0);
	KT_EQ(xa_reserve(&xa, 1000, GFP_KERNEL), 0);
	xa_store(&xa, 2000, P(2), GFP_KERNEL);
	xa_for_each(&xa, index, entry) {
		KT_ASSERT(index == 7 || index == 2000);
		n++;
	}
	KT_EQ(n, 2);
	KT_ASSERT(xa_erase(&xa, 8) == NULL);
	KT_ASSERT(xa_is_valid(&xa));
	xa_destroy(&xa);
	/* an allocating array: a reserved index is not allocated */
	KT_EQ(xa_reserve(&xa2, 0, GFP_KERNEL), 0);
	KT_EQ(xa_alloc(&xa2, &id, P(1), xa_limit_32b, GFP_KERNEL), 0);
	KT_EQ(id, 1);
	xa_release(&xa2, 0);
	KT_EQ(xa_alloc(&xa2, &id, P(1), xa_limit_32b, GFP_KERNEL), 0);
	KT_EQ(id, 0);
	/* xa_store(NULL) on an allocating array reserves */
	KT_ASSERT(xa_store(&xa2, 1, NULL, GFP_KERNEL) == P(1));
	KT_EQ(xa_alloc(&xa2, &id, P(2), xa_limit_32b, GFP_KERNEL), 0);
	KT_EQ(id, 2);
	KT_ASSERT(xa_is_valid(&xa2));
	xa_destroy(&xa2);
}

/* ---- check_multi_store, check_multi_find ---- */

static void test_multi_store(void)
{
	DEFINE_XARRAY(xa);
	unsigned long i, index;
	unsigned int order;
	void *entry;

	/* an order-1 entry at 0: not at the head */
	{
		XA_STATE_ORDER(xas, &xa, 0, 1);

		xa_lock(&xa);
		xas_store(&xas, P(0));
		xa_unlock(&xa);
	}
	KT_ASSERT(xa_load(&xa, 0) == P(0));
	KT_ASSERT(xa_load(&xa, 1) == P(0));
	KT_ASSERT(xa_load(&xa, 2) == NULL);
	KT_EQ(xa_get_order(&xa, 0), 1);
	KT_EQ(xa_get_order(&xa, 1), 1);
	KT_EQ(xa_get_order(&xa, 2), 0);
	KT_ASSERT(xa_is_valid(&xa));
	/* erasing one index erases the whole entry */
	KT_ASSERT(xa_erase(&xa, 1) == P(0));
	KT_ASSERT(xa_load(&xa, 0) == NULL);
	KT_ASSERT(xa_empty(&xa));

	for (order = 0; order < 20; order++) {
		unsigned long base = 3UL << 20, size = 1UL << order;
		XA_STATE(xas, &xa, 0);

		xas_set_order(&xas, base, order);
		xa_lock(&xa);
		xas_store(&xas, xa_mk_value(order));
		xa_unlock(&xa);
		KT_ASSERT(xa_is_valid(&xa));
		KT_ASSERT(xa_load(&xa, base) == xa_mk_value(order));
		KT_ASSERT(xa_load(&xa, base + size - 1) == xa_mk_value(order));
		KT_ASSERT(xa_load(&xa, base + size / 2) == xa_mk_value(order));
		KT_ASSERT(xa_load(&xa, base + size) == NULL);
		KT_ASSERT(xa_load(&xa, base - 1) == NULL);
		KT_EQ(xa_get_order(&xa, base + size - 1), order);
		/* marks apply to the whole entry */
		xa_set_mark(&xa, base + size - 1, XA_MARK_1);
		KT_ASSERT(xa_get_mark(&xa, base, XA_MARK_1));
		KT_ASSERT(xa_get_mark(&xa, base + size / 2, XA_MARK_1));
		/* found once by each finder */
		{
			unsigned int n = 0, m = 0;

			xa_for_each(&xa, index, entry) {
				KT_EQ(index, base);
				n++;
			}
			xa_for_each_marked(&xa, index, entry, XA_MARK_1)
				m++;
			KT_EQ(n, 1);
			KT_EQ(m, 1);
			index = base + size / 2;
			KT_ASSERT(xa_find(&xa, &index, ULONG_MAX, XA_MARK_1) == xa_mk_value(order));
			KT_EQ(index, base + size / 2);
		}
		/* storing a smaller entry inside replaces it whole */
		KT_ASSERT(xa_store(&xa, base + size - 1, P(1), GFP_KERNEL) == xa_mk_value(order));
		KT_ASSERT(xa_load(&xa, base) == P(1));
		KT_ASSERT(xa_get_mark(&xa, base, XA_MARK_1));
		KT_ASSERT(xa_erase(&xa, base) == P(1));
		KT_ASSERT(xa_empty(&xa));
	}

	/* a multi-index store over smaller entries squashes their marks */
	for (i = 0; i < 64; i++)
		xa_store(&xa, 64 + i, P(i), GFP_KERNEL);
	xa_set_mark(&xa, 64 + 17, XA_MARK_2);
	{
		XA_STATE_ORDER(xas, &xa, 64, 6);

		xa_lock(&xa);
		KT_ASSERT(xas_store(&xas, P(100)) == P(0));
		xa_unlock(&xa);
	}
	KT_ASSERT(xa_is_valid(&xa));
	KT_ASSERT(xa_get_mark(&xa, 100, XA_MARK_2));
	KT_ASSERT(xa_load(&xa, 127) == P(100));
	xa_destroy(&xa);

	/* xa_store_range */
	KT_ASSERT(xa_store_range(&xa, 5, 1000, P(3), GFP_KERNEL) == NULL);
	KT_ASSERT(xa_is_valid(&xa));
	for (i = 0; i < 1100; i++)
		KT_ASSERT(xa_load(&xa, i) == (i >= 5 && i <= 1000 ? P(3) : NULL));
	KT_EQ(xa_err(xa_store_range(&xa, 10, 9, P(3), GFP_KERNEL)), -EINVAL);
	KT_ASSERT(xa_store_range(&xa, 0, 2000, NULL, GFP_KERNEL) == NULL);
	KT_ASSERT(xa_empty(&xa));
	KT_ASSERT(xa_store_range(&xa, 0, ULONG_MAX, P(4), GFP_KERNEL) == NULL);
	KT_ASSERT(xa_load(&xa, 0) == P(4) && xa_load(&xa, ULONG_MAX) == P(4) &&
		  xa_load(&xa, 1UL << 50) == P(4));
	KT_ASSERT(xa_is_valid(&xa));
	xa_destroy(&xa);
	KT_ASSERT(xa_empty(&xa));
}

/* ---- check_split ---- */

static void test_split(void)
{
	DEFINE_XARRAY(xa);
	unsigned int order, new_order;
	unsigned long i;

	for (order = 1; order <= 12; order++) {
		for (new_order = 0; new_order < order; new_order++) {
			unsigned long base = 1UL << 24, size = 1UL << order;
			XA_STATE_ORDER(big, &xa, base, order);
			XA_STATE(xas, &xa, 0);

			if (new_order - new_order % XA_CHUNK_SHIFT + 2 * XA_CHUNK_SHIFT <= order)
				continue;
			xa_lock(&xa);
			xas_store(&big, xa_mk_value(1));
			xas_set_mark(&big, XA_MARK_2);
			xa_unlock(&xa);

			xas_set_order(&xas, base, new_order);
			xas_split_alloc(&xas, xa_mk_value(2), order, GFP_KERNEL);
			KT_EQ(xas_error(&xas), 0);
			xa_lock(&xa);
			xas_split(&xas, xa_mk_value(2), order);
			xa_unlock(&xa);
			xas_destroy(&xas);
			KT_ASSERT(xa_is_valid(&xa));
			for (i = 0; i < size; i += (1UL << new_order)) {
				KT_ASSERT(xa_load(&xa, base + i) == xa_mk_value(2));
				KT_EQ(xa_get_order(&xa, base + i), new_order);
				KT_ASSERT(xa_get_mark(&xa, base + i, XA_MARK_2));
			}
			KT_ASSERT(xa_load(&xa, base + size) == NULL);
			xa_erase(&xa, base);
			KT_ASSERT(xa_load(&xa, base) == NULL);
			KT_ASSERT(xa_load(&xa, base + size - 1) == (new_order == order ? NULL :
								      xa_mk_value(2)));
			xa_destroy(&xa);
		}
	}
	/* too far: two levels */
	{
		XA_STATE_ORDER(xas, &xa, 0, 0);

		xas_split_alloc(&xas, P(0), 12, GFP_KERNEL);
		KT_EQ(xas_error(&xas), -EINVAL);
	}
}

/* ---- check_xa_alloc ---- */

static void test_alloc(void)
{
	DEFINE_XARRAY_ALLOC(xa);
	DEFINE_XARRAY_ALLOC1(xa1);
	u32 id, next = 0;
	unsigned int i;

	for (i = 0; i < 300; i++) {
		KT_EQ(xa_alloc(&xa, &id, xa_mk_index(i), xa_limit_32b, GFP_KERNEL), 0);
		KT_EQ(id, i);
	}
	KT_ASSERT(xa_is_valid(&xa));
	xa_erase(&xa, 17);
	xa_erase(&xa, 250);
	KT_EQ(xa_alloc(&xa, &id, P(0), xa_limit_32b, GFP_KERNEL), 0);
	KT_EQ(id, 17);
	KT_EQ(xa_alloc(&xa, &id, P(0), XA_LIMIT(100, 299), GFP_KERNEL), 0);
	KT_EQ(id, 250);
	KT_EQ(xa_alloc(&xa, &id, P(0), XA_LIMIT(100, 299), GFP_KERNEL), -EBUSY);
	KT_EQ(xa_alloc(&xa, &id, P(0), XA_LIMIT(100, 300), GFP_KERNEL), 0);
	KT_EQ(id, 300);
	KT_EQ(xa_alloc(&xa, &id, P(0), XA_LIMIT(UINT_MAX, UINT_MAX), GFP_KERNEL), 0);
	KT_EQ(id, UINT_MAX);
	KT_EQ(xa_alloc(&xa, &id, P(0), XA_LIMIT(UINT_MAX, UINT_MAX), GFP_KERNEL), -EBUSY);
	KT_EQ(xa_alloc(&xa, &id, XA_RETRY_ENTRY, xa_limit_32b, GFP_KERNEL), -EINVAL);
	KT_ASSERT(xa_is_valid(&xa));
	xa_destroy(&xa);
	KT_ASSERT(xa_empty(&xa));
	KT_EQ(xa_alloc(&xa, &id, P(0), xa_limit_32b, GFP_KERNEL), 0);
	KT_EQ(id, 0);
	xa_destroy(&xa);

	/* erasing a multi-index entry frees all its indices for xa_alloc */
	{
		XA_STATE_ORDER(xas, &xa, 64, 3);

		xa_lock(&xa);
		xas_store(&xas, P(64));
		xas_clear_mark(&xas, XA_FREE_MARK);
		xa_unlock(&xa);
		KT_EQ(xa_alloc(&xa, &id, P(0), XA_LIMIT(64, 100), GFP_KERNEL), 0);
		KT_EQ(id, 72);
		xa_erase(&xa, 66);
		KT_EQ(xa_alloc(&xa, &id, P(0), XA_LIMIT(64, 100), GFP_KERNEL), 0);
		KT_EQ(id, 64);
		KT_EQ(xa_alloc(&xa, &id, P(0), XA_LIMIT(65, 100), GFP_KERNEL), 0);
		KT_EQ(id, 65);
		KT_ASSERT(xa_is_valid(&xa));
		xa_destroy(&xa);
	}

	/* not an allocating array */
	{
		DEFINE_XARRAY(plain);

		KT_EQ(xa_alloc(&plain, &id, P(0), xa_limit_32b, GFP_KERNEL), -EINVAL);
	}

	/* ALLOC1: index 0 is never handed out */
	KT_EQ(xa_alloc(&xa1, &id, P(1), xa_limit_32b, GFP_KERNEL), 0);
	KT_EQ(id, 1);
	KT_EQ(xa_alloc(&xa1, &id, P(2), xa_limit_32b, GFP_KERNEL), 0);
	KT_EQ(id, 2);
	xa_erase(&xa1, 1);
	xa_erase(&xa1, 2);
	KT_EQ(xa_alloc(&xa1, &id, P(1), xa_limit_32b, GFP_KERNEL), 0);
	KT_EQ(id, 1);
	KT_ASSERT(xa_is_valid(&xa1));
	xa_destroy(&xa1);

	/* cyclic: wraps to min, returning 1 */
	for (i = 0; i < 5; i++) {
		KT_EQ(xa_alloc_cyclic(&xa, &id, P(i), XA_LIMIT(10, 14), &next, GFP_KERNEL), 0);
		KT_EQ(id, 10 + i);
	}
	xa_erase(&xa, 11);
	KT_EQ(xa_alloc_cyclic(&xa, &id, P(9), XA_LIMIT(10, 14), &next, GFP_KERNEL), 1);
	KT_EQ(id, 11);
	KT_EQ(xa_alloc_cyclic(&xa, &id, P(9), XA_LIMIT(10, 14), &next, GFP_KERNEL), -EBUSY);
	xa_destroy(&xa);
	/* wrapping through UINT_MAX */
	next = UINT_MAX;
	KT_EQ(xa_alloc_cyclic(&xa, &id, P(1), xa_limit_32b, &next, GFP_KERNEL), 0);
	KT_EQ(id, UINT_MAX);
	KT_EQ(next, 0);
	KT_EQ(xa_alloc_cyclic(&xa, &id, P(1), xa_limit_32b, &next, GFP_KERNEL), 1);
	KT_EQ(id, 0);
	KT_ASSERT(xa_is_valid(&xa));
	xa_destroy(&xa);
}

/* ---- check_find, check_find_entry, xa_extract ---- */

static void test_find(void)
{
	DEFINE_XARRAY(xa);
	unsigned long i, j, index;
	void *entry, *dst[16];
	unsigned int n;

	for (i = 0; i < 64; i++) {
		for (j = 0; j < 64; j++) {
			unsigned long a = i << 10, b = (j << 10) + 1;

			if (b <= a)
				continue;
			xa_store(&xa, a, P(1), GFP_KERNEL);
			xa_store(&xa, b, P(2), GFP_KERNEL);
			if (i & 1)
				xa_set_mark(&xa, a, XA_MARK_0);
			index = 0;
			KT_ASSERT(xa_find(&xa, &index, ULONG_MAX, XA_PRESENT) == P(1));
			KT_EQ(index, a);
			KT_ASSERT(xa_find_after(&xa, &index, ULONG_MAX, XA_PRESENT) == P(2));
			KT_EQ(index, b);
			KT_ASSERT(xa_find_after(&xa, &index, ULONG_MAX, XA_PRESENT) == NULL);
			index = a + 1;
			KT_ASSERT(xa_find(&xa, &index, b - 1, XA_PRESENT) == NULL);
			index = 0;
			entry = xa_find(&xa, &index, ULONG_MAX, XA_MARK_0);
			KT_ASSERT(entry == ((i & 1) ? P(1) : NULL));
			if (entry)
				KT_EQ(index, a);
			xa_erase(&xa, a);
			xa_erase(&xa, b);
			KT_ASSERT(xa_empty(&xa));
		}
	}
	for (i = 0; i < 100; i++)
		xa_store(&xa, i * 3, xa_mk_index(i), GFP_KERNEL);
	n = 0;
	xa_for_each_range(&xa, index, entry, 10, 20)
		n++;
	KT_EQ(n, 3);				/* 12 15 18, not 21 */
	n = 0;
	xa_for_each_start(&xa, index, entry, 290)
		n++;
	KT_EQ(n, 3);				/* 291 294 297 */
	KT_EQ(xa_extract(&xa, dst, 0, ULONG_MAX, 16, XA_PRESENT), 16);
	KT_ASSERT(dst[15] == xa_mk_index(15));
	KT_EQ(xa_extract(&xa, dst, 290, ULONG_MAX, 16, XA_PRESENT), 3);
	KT_ASSERT(dst[0] == xa_mk_index(97));
	xa_set_mark(&xa, 30, XA_MARK_1);
	xa_set_mark(&xa, 60, XA_MARK_1);
	KT_EQ(xa_extract(&xa, dst, 0, ULONG_MAX, 16, XA_MARK_1), 2);
	KT_ASSERT(dst[0] == xa_mk_index(10) && dst[1] == xa_mk_index(20));
	KT_EQ(xa_extract(&xa, dst, 0, ULONG_MAX, 0, XA_PRESENT), 0);
	/* the end of the index space */
	xa_store(&xa, ULONG_MAX, P(5), GFP_KERNEL);
	index = ULONG_MAX;
	KT_ASSERT(xa_find(&xa, &index, ULONG_MAX, XA_PRESENT) == P(5));
	KT_ASSERT(xa_find_after(&xa, &index, ULONG_MAX, XA_PRESENT) == NULL);
	xa_destroy(&xa);
}

/* ---- check_pause, the advanced iterators ---- */

static void test_pause(void)
{
	DEFINE_XARRAY(xa);
	XA_STATE(xas, &xa, 0);
	void *entry;
	unsigned long i, count = 0;
	unsigned int order;

	for (order = 0; order < 12; order++) {
		XA_STATE_ORDER(os, &xa, 1UL << order << 12, order);

		xa_lock(&xa);
		xas_store(&os, xa_mk_index(order));
		xa_unlock(&xa);
	}
	for (i = 0; i < 100; i++)
		xa_store(&xa, i, xa_mk_index(i), GFP_KERNEL);
	xa_lock(&xa);
	xas_for_each(&xas, entry, ULONG_MAX) {
		xas_pause(&xas);
		xa_unlock(&xa);
		count++;
		xa_lock(&xa);
	}
	xa_unlock(&xa);
	KT_EQ(count, 112);
	/* marked, with pause */
	for (i = 0; i < 100; i += 2)
		xa_set_mark(&xa, i, XA_MARK_0);
	xa_set_mark(&xa, 1UL << 20, XA_MARK_0);
	count = 0;
	xas_set(&xas, 0);
	xa_lock(&xa);
	xas_for_each_marked(&xas, entry, ULONG_MAX, XA_MARK_0) {
		xas_pause(&xas);
		count++;
	}
	xa_unlock(&xa);
	KT_EQ(count, 51);
	/* xas_find_marked with a max: XAS_RESTART */
	xas_set(&xas, 1);
	xa_lock(&xa);
	KT_ASSERT(xas_find_marked(&xas, 1, XA_MARK_0) == NULL);
	xa_unlock(&xa);
	/* erase while iterating */
	count = 0;
	xas_set(&xas, 0);
	xa_lock(&xa);
	xas_for_each(&xas, entry, ULONG_MAX) {
		xas_store(&xas, NULL);
		count++;
	}
	xa_unlock(&xa);
	KT_EQ(count, 112);
	KT_ASSERT(xa_empty(&xa));
}

/* ---- check_move: xas_next and xas_prev ---- */

static void test_move(void)
{
	DEFINE_XARRAY(xa);
	XA_STATE(xas, &xa, (1UL << 16) - 1);
	unsigned long i;

	for (i = 0; i < (1UL << 16); i += 3)
		xa_store(&xa, i, xa_mk_index(i), GFP_KERNEL);
	xa_lock(&xa);
	KT_ASSERT(xas_load(&xas) == xa_mk_index((1UL << 16) - 1) || (((1UL << 16) - 1) % 3));
	i = (1UL << 16) - 1;
	do {
		void *entry = xas_prev(&xas);

		i--;
		KT_EQ(xas.xa_index, i);
		KT_ASSERT(entry == (i % 3 ? NULL : xa_mk_index(i)));
	} while (i != 0);
	/* before 0: bounds; then xas_next comes back to 0 */
	KT_ASSERT(xas_prev(&xas) == NULL);
	KT_EQ(xas.xa_index, ULONG_MAX);
	KT_ASSERT(xas_next(&xas) == xa_mk_index(0));
	KT_EQ(xas.xa_index, 0);
	for (i = 1; i < (1UL << 16) + 10; i++) {
		void *entry = xas_next(&xas);

		KT_EQ(xas.xa_index, i);
		KT_ASSERT(entry == (i % 3 || i >= (1UL << 16) ? NULL : xa_mk_index(i)));
	}
	xa_unlock(&xa);
	xa_destroy(&xa);

	/* on an array of one entry at the head */
	xa_store(&xa, 0, P(0), GFP_KERNEL);
	xas_set(&xas, 0);
	xa_lock(&xa);
	KT_ASSERT(xas_load(&xas) == P(0));
	KT_ASSERT(xas_next(&xas) == NULL);
	KT_EQ(xas.xa_index, 1);
	KT_ASSERT(xas_prev(&xas) == P(0));
	KT_EQ(xas.xa_index, 0);
	xa_unlock(&xa);
	xa_destroy(&xa);
}

/* ---- check_align: entries need only 4-byte alignment ---- */

static void test_align(void)
{
	DEFINE_XARRAY_ALLOC(xa);
	char name[64] __attribute__((aligned(4)));
	unsigned int i;
	u32 id;
	unsigned long index;
	void *entry;

	for (i = 0; i < 9; i++) {
		KT_EQ(xa_alloc(&xa, &id, name + i * 4, xa_limit_32b, GFP_KERNEL), 0);
		KT_EQ(id, i);
	}
	xa_for_each(&xa, index, entry)
		KT_ASSERT(entry == name + index * 4);
	KT_ASSERT(xa_is_valid(&xa));
	xa_destroy(&xa);
}

/* ---- the advanced API: conflicts, update callback, xas_store errors ---- */

static unsigned int updates;

static void count_update(struct xa_node *node)
{
	(void)node;
	updates++;
}

static void test_advanced(void)
{
	DEFINE_XARRAY(xa);
	XA_STATE_ORDER(xas, &xa, 64, 6);
	void *entry;
	unsigned int n = 0;

	xa_store(&xa, 65, P(1), GFP_KERNEL);
	xa_store(&xa, 100, P(2), GFP_KERNEL);
	xa_store(&xa, 128, P(3), GFP_KERNEL);
	xa_lock(&xa);
	xas_for_each_conflict(&xas, entry) {
		KT_ASSERT(entry == P(1) || entry == P(2));
		n++;
	}
	KT_EQ(n, 2);
	xas_set_update(&xas, count_update);
	xas_store(&xas, P(4));
	KT_ASSERT(updates > 0);
	xas_set_order(&xas, 64, 6);
	n = 0;
	xas_for_each_conflict(&xas, entry) {
		KT_ASSERT(entry == P(4));
		n++;
	}
	KT_EQ(n, 1);
	/* xas_get_mark / set / clear through a state */
	xas_set(&xas, 70);
	KT_ASSERT(xas_load(&xas) == P(4));
	xas_set_mark(&xas, XA_MARK_1);
	KT_ASSERT(xas_get_mark(&xas, XA_MARK_1));
	xas_clear_mark(&xas, XA_MARK_1);
	KT_ASSERT(!xas_get_mark(&xas, XA_MARK_1));
	KT_EQ(xas_get_order(&xas), 6);
	xas_set_err(&xas, -EIO);
	KT_EQ(xas_error(&xas), -EIO);
	KT_ASSERT(xas_load(&xas) == NULL);
	KT_ASSERT(xas_store(&xas, P(5)) == NULL);	/* no-op in error */
	KT_ASSERT(!xas_nomem(&xas, GFP_KERNEL));
	xas_init_marks(&xas);
	xa_unlock(&xa);
	KT_ASSERT(xa_load(&xa, 70) == P(4));
	KT_ASSERT(xa_is_valid(&xa));
	xa_destroy(&xa);
}

/* ---- -ENOMEM: the tree is unchanged, and a retry works ---- */

static void test_nomem(void)
{
	DEFINE_XARRAY(xa);
	DEFINE_XARRAY_ALLOC(xa2);
	unsigned int fail;
	u32 id;

	xa_store(&xa, 0, P(0), GFP_KERNEL);
	xa_store(&xa, 5, P(5), GFP_KERNEL);
	xa_set_mark(&xa, 5, XA_MARK_0);
	/* Fail them all: -ENOMEM and nothing changes. */
	xa_fail_node_allocs(1000);
	KT_EQ(xa_err(xa_store(&xa, 1UL << 40, P(1), GFP_KERNEL)), -ENOMEM);
	KT_EQ(xa_insert(&xa, 1UL << 20, P(1), GFP_KERNEL), -ENOMEM);
	KT_EQ(xa_reserve(&xa, 1UL << 20, GFP_KERNEL), -ENOMEM);
	KT_EQ(xa_err(xa_store_range(&xa, 1000, 5000, P(1), GFP_KERNEL)), -ENOMEM);
	KT_EQ(xa_alloc(&xa2, &id, P(1), XA_LIMIT(1000, 2000), GFP_KERNEL), -ENOMEM);
	xa_fail_node_allocs(0);
	KT_ASSERT(xa_is_valid(&xa));
	KT_ASSERT(xa_load(&xa, 1UL << 40) == NULL && xa_load(&xa, 1UL << 20) == NULL);
	KT_ASSERT(xa_load(&xa, 5) == P(5) && xa_get_mark(&xa, 5, XA_MARK_0));
	KT_ASSERT(xa_empty(&xa2));
	/* Fail the first few: the xas_nomem retry loop gets there. */
	for (fail = 1; fail < 8; fail++) {
		xa_fail_node_allocs(fail);
		KT_ASSERT(xa_store(&xa, (1UL << 40) + fail, P(fail), GFP_KERNEL) == NULL ||
			  xa_err(xa_load(&xa, 0)) == 0);
		xa_fail_node_allocs(0);
		KT_ASSERT(xa_is_valid(&xa));
	}
	xa_destroy(&xa);
}

/* ---- randomized against a model ---- */

/*
 * Small tree: indices [0, SMALL), entries of order 0..8, marks, splits;
 * the model keeps each entry at its first index with its order and marks.
 */
#define SMALL 512

struct model_ent {
	void *entry;		/* at the first index only */
	unsigned int order;
	unsigned int marks;	/* bit m: XA_MARK_m */
};

static struct model_ent model[SMALL];
static short owner[SMALL];	/* first index of the entry covering i, or -1 */

static void model_remove(unsigned long first)
{
	unsigned long i, size = 1UL << model[first].order;

	for (i = first; i < first + size; i++)
		owner[i] = -1;
	model[first].entry = NULL;
	model[first].marks = 0;
}

static void model_put(unsigned long first, unsigned int order, void *entry, unsigned int marks)
{
	unsigned long i, size = 1UL << order;

	for (i = first; i < first + size; i++)
		owner[i] = (short)first;
	model[first].entry = entry;
	model[first].order = order;
	model[first].marks = marks;
}

static bool model_check(struct xarray *xa)
{
	unsigned long i, index;
	void *entry;
	bool ok = true;
	xa_mark_t mark;

	for (i = 0; i < SMALL; i++) {
		void *want = owner[i] >= 0 ? model[owner[i]].entry : NULL;

		if (xa_load(xa, i) != want) {
			fprintf(stderr, "model: load %lu\n", i);
			return false;
		}
	}
	for (mark = 0; mark <= XA_MARK_MAX; mark++) {
		i = 0;
		xa_for_each_marked(xa, index, entry, mark) {
			while (i < SMALL && !(owner[i] == (short)i && (model[i].marks >> mark & 1)))
				i++;
			if (i >= SMALL || index != i || entry != model[i].entry) {
				fprintf(stderr, "model: mark %u at %lu (model %lu)\n", mark, index, i);
				return false;
			}
			i++;
		}
		while (i < SMALL && !(owner[i] == (short)i && (model[i].marks >> mark & 1)))
			i++;
		ok &= i == SMALL;
	}
	return ok;
}

static void test_random_small(void)
{
	DEFINE_XARRAY(xa);
	unsigned long op, nr_ops = 60000;
	bool ok = true;

	memset(model, 0, sizeof(model));
	memset(owner, -1, sizeof(owner));
	for (op = 0; op < nr_ops && ok; op++) {
		unsigned long r = rnd(), idx = (r >> 8) % SMALL;
		unsigned int kind = r % 16;

		if (kind < 6) {			/* store order 0..8 */
			unsigned int order = (r >> 20) % 4 == 0 ? (r >> 24) % 9 : 0;
			unsigned long first = idx & ~((1UL << order) - 1), i, size = 1UL << order;
			void *entry = (r >> 30) & 1 ? xa_mk_value(op) : P(op % 4096);
			XA_STATE(xas, &xa, 0);
			unsigned int marks = 0;

			if (owner[first] >= 0 && model[owner[first]].order > order) {
				/* inside a bigger entry: replaces it whole, marks kept */
				unsigned long f = (unsigned long)owner[first];

				model_put(f, model[f].order, entry, model[f].marks);
			} else {
				for (i = first; i < first + size; i++) {
					if (owner[i] == (short)i) {
						marks |= model[i].marks;
						model_remove(i);
					}
				}
				model_put(first, order, entry, marks);
			}
			xas_set_order(&xas, first, order);
			xa_lock(&xa);
			xas_store(&xas, entry);
			xa_unlock(&xa);
		} else if (kind < 9) {		/* erase */
			void *want = owner[idx] >= 0 ? model[owner[idx]].entry : NULL;

			if (owner[idx] >= 0)
				model_remove((unsigned long)owner[idx]);
			if (xa_erase(&xa, idx) != want) {
				fprintf(stderr, "erase %lu\n", idx);
				ok = false;
			}
		} else if (kind < 12) {		/* set a mark */
			xa_mark_t mark = (r >> 40) % 3;

			if (owner[idx] >= 0)
				model[owner[idx]].marks |= 1U << mark;
			xa_set_mark(&xa, idx, mark);
		} else if (kind < 14) {		/* clear a mark */
			xa_mark_t mark = (r >> 40) % 3;

			if (owner[idx] >= 0)
				model[owner[idx]].marks &= ~(1U << mark);
			xa_clear_mark(&xa, idx, mark);
		} else if (kind < 15) {		/* split */
			if (owner[idx] >= 0 && model[owner[idx]].order > 0) {
				unsigned long f = (unsigned long)owner[idx], i;
				unsigned int order = model[f].order, new_order = (r >> 40) % order;
				unsigned int marks = model[f].marks;
				void *entry = xa_mk_value(op);
				XA_STATE(xas, &xa, 0);

				xas_set_order(&xas, f, new_order);
				xas_split_alloc(&xas, entry, order, GFP_KERNEL);
				xa_lock(&xa);
				xas_split(&xas, entry, order);
				xa_unlock(&xa);
				xas_destroy(&xas);
				model_remove(f);
				for (i = f; i < f + (1UL << order); i += 1UL << new_order)
					model_put(i, new_order, entry, marks);
			}
		} else if ((r >> 50) & 1) {	/* xa_find from anywhere, marked or not */
			unsigned long start = idx, last = idx + (r >> 52) % 200, index = start, s;
			xa_mark_t filter = (r >> 60) % 4 == 3 ? XA_PRESENT : (r >> 60) % 4;
			void *got = xa_find(&xa, &index, last, filter), *want = NULL;
			unsigned long want_index = 0;

			for (s = start; s < SMALL && s <= last; s++) {
				short o = owner[s];

				if (o < 0 || (filter != XA_PRESENT && !(model[o].marks >> filter & 1)))
					continue;
				want = model[o].entry;
				want_index = s;
				break;
			}
			if (got != want || (want && index != want_index)) {
				fprintf(stderr, "find %lu..%lu filter %u: got %p at %lu, want %p at %lu\n",
					start, last, filter, got, index, want, want_index);
				ok = false;
			}
		} else {			/* load, order and mark reads */
			void *want = owner[idx] >= 0 ? model[owner[idx]].entry : NULL;

			if (xa_load(&xa, idx) != want ||
			    (want && xa_get_order(&xa, idx) != (int)model[owner[idx]].order) ||
			    (want && xa_get_mark(&xa, idx, XA_MARK_1) !=
				     (bool)(model[owner[idx]].marks >> 1 & 1))) {
				fprintf(stderr, "load %lu\n", idx);
				ok = false;
			}
		}
		ok &= xa_is_valid(&xa);
		if (op % 2000 == 0)
			ok &= model_check(&xa);
	}
	KT_ASSERT(ok);
	if (!ok)
		fprintf(stderr, "failed at op %lu\n", op);
	KT_ASSERT(model_check(&xa));
	xa_destroy(&xa);
}

/* Big tree: 4096 keys of every magnitude, order-0 entries, checked periodically. */
#define NKEYS 4096

static void test_random_big(void)
{
	DEFINE_XARRAY(xa);
	static unsigned long key[NKEYS];
	static void *val[NKEYS];
	static unsigned char marks[NKEYS];
	unsigned long op, i, index, present = 0;
	void *entry;
	bool ok = true;

	for (i = 0; i < NKEYS; i++) {
		unsigned int bits = (unsigned int)(rnd() % 64) + 1;

		/* clusters (dense runs) and scattered keys, some equal: fine */
		key[i] = i < NKEYS / 2 ? (1UL << 30) + i : rnd() >> (64 - bits);
		val[i] = NULL;
		marks[i] = 0;
	}
	/* make the keys distinct: the scattered half keyed by position too */
	for (i = NKEYS / 2; i < NKEYS; i++)
		key[i] = (key[i] & ~(unsigned long)(NKEYS - 1)) | i;
	for (op = 0; op < 40000 && ok; op++) {
		unsigned long r = rnd(), k = (r >> 12) % NKEYS;
		unsigned int kind = r % 8;

		if (kind < 3) {
			void *e = xa_mk_value(k | (op << 12));

			if (xa_store(&xa, key[k], e, GFP_KERNEL) != val[k])
				ok = false;
			present += !val[k];
			val[k] = e;
		} else if (kind < 5) {
			if (xa_erase(&xa, key[k]) != val[k])
				ok = false;
			present -= !!val[k];
			val[k] = NULL;
			marks[k] = 0;
		} else if (kind < 7) {
			xa_mark_t m = (r >> 40) % 3;

			if (kind == 5) {
				xa_set_mark(&xa, key[k], m);
				if (val[k])
					marks[k] |= 1U << m;
			} else {
				xa_clear_mark(&xa, key[k], m);
				marks[k] &= ~(1U << m);
			}
		} else if (xa_load(&xa, key[k]) != val[k]) {
			ok = false;
		}
		if (op % 4000 == 3999) {
			unsigned long n = 0, nm = 0, want_m = 0;

			ok &= xa_is_valid(&xa);
			xa_for_each(&xa, index, entry) {
				unsigned long kk = xa_to_value(entry) & (NKEYS - 1);

				if (key[kk] != index || val[kk] != entry)
					ok = false;
				n++;
			}
			xa_for_each_marked(&xa, index, entry, XA_MARK_2) {
				unsigned long kk = xa_to_value(entry) & (NKEYS - 1);

				if (!(marks[kk] & 4))
					ok = false;
				nm++;
			}
			for (i = 0; i < NKEYS; i++)
				want_m += !!(marks[i] & 4);
			ok &= n == present && nm == want_m;
		}
	}
	KT_ASSERT(ok);
	if (!ok)
		fprintf(stderr, "failed at op %lu\n", op);
	for (i = 0; i < NKEYS; i++)
		xa_erase(&xa, key[i]);
	KT_ASSERT(xa_empty(&xa));
	KT_ASSERT(!xa_marked(&xa, XA_MARK_0) && !xa_marked(&xa, XA_MARK_1) &&
		  !xa_marked(&xa, XA_MARK_2));
}

/* xa_alloc against a bitmap: the lowest free id at or above min, every time. */
static void test_random_alloc(void)
{
	DEFINE_XARRAY_ALLOC(xa);
	static bool used[2048];
	unsigned long op;
	bool ok = true;

	memset(used, 0, sizeof(used));
	for (op = 0; op < 20000 && ok; op++) {
		unsigned long r = rnd();
		u32 min = (u32)((r >> 8) % 1500), max = min + (u32)((r >> 20) % 600), id = 0, want;
		int err;

		if (r % 3) {
			for (want = min; want <= max && used[want]; want++)
				;
			err = xa_alloc(&xa, &id, P(op % 4096), XA_LIMIT(min, max), GFP_KERNEL);
			if (want > max) {
				ok &= err == -EBUSY;
			} else {
				ok &= err == 0 && id == want;
				used[want] = true;
			}
		} else {
			unsigned long idx = (r >> 8) % 2048;

			ok &= (xa_erase(&xa, idx) != NULL) == used[idx];
			used[idx] = false;
		}
		ok &= xa_is_valid(&xa);
	}
	if (!ok)
		fprintf(stderr, "failed at op %lu\n", op);
	KT_ASSERT(ok);
	xa_destroy(&xa);
}

/* Random stores and range stores with allocations failing now and then. */
static void test_random_nomem(void)
{
	DEFINE_XARRAY(xa);
	static void *want[8192];
	unsigned long op, i;
	bool ok = true;

	memset(want, 0, sizeof(want));
	for (op = 0; op < 20000 && ok; op++) {
		unsigned long r = rnd(), idx = (r >> 8) % 8192;
		void *e = (r >> 40) & 1 ? NULL : xa_mk_value(op);
		void *res;

		int order = xa_get_order(&xa, idx);

		xa_fail_node_allocs((r >> 30) % 4);
		if (r % 4) {
			res = xa_store(&xa, ((r >> 50) % 3) ? (idx + 8192) << ((r >> 50) % 3 * 10) : idx,
				       e, GFP_KERNEL);
			xa_fail_node_allocs(0);
			if (((r >> 50) % 3) == 0) {
				unsigned long first = idx & ~((1UL << order) - 1);

				/* a store into a multi-index entry replaces all of it */
				if (xa_is_err(res))
					ok &= xa_err(res) == -ENOMEM && xa_load(&xa, idx) == want[idx];
				else
					for (i = first; i < first + (1UL << order); i++)
						want[i] = e;
			} else {
				xa_erase(&xa, (idx + 8192) << ((r >> 50) % 3 * 10));
			}
		} else {
			unsigned long last = min(idx + (r >> 44) % 200, 8191UL);

			res = xa_store_range(&xa, idx, last, e, GFP_KERNEL);
			xa_fail_node_allocs(0);
			/*
			 * A failed range store may have stored a prefix, and a
			 * range meets multi-index entries (order <= 7 here) that
			 * it replaces whole: reread the 256-aligned window.
			 */
			for (i = idx & ~255UL; i <= (last | 255); i++) {
				void *got = xa_load(&xa, i);

				if (!xa_is_err(res) && i >= idx && i <= last)
					ok &= got == e;
				want[i] = got;
			}
		}
		ok &= xa_is_valid(&xa);
	}
	for (i = 0; i < 8192 && ok; i++)
		ok &= xa_load(&xa, i) == want[i];
	if (!ok)
		fprintf(stderr, "failed at op %lu\n", op);
	KT_ASSERT(ok);
	xa_destroy(&xa);
}

/*
 * The page cache's use: __filemap_add_folio stores a folio over a range
 * that may hold shadow (value) entries; a larger shadow is split first.
 */
static int add_folio(struct xarray *xa, unsigned long index, unsigned int order, void *folio,
		     void **shadowp)
{
	XA_STATE_ORDER(xas, xa, index, order);
	void *entry, *old = NULL;
	int old_order = -1;

	do {
		xas_lock(&xas);
		xas_for_each_conflict(&xas, entry) {
			old = entry;
			if (!xa_is_value(entry)) {
				xas_set_err(&xas, -EEXIST);
				goto unlock;
			}
			if (old_order == -1)
				old_order = xas_get_order(&xas);
		}
		if (old && old_order > (int)order) {
			xas_split_alloc(&xas, old, (unsigned int)old_order, GFP_KERNEL);
			if (xas_error(&xas))
				goto unlock;
			xas_split(&xas, old, (unsigned int)old_order);
			xas_reset(&xas);
		}
		xas_store(&xas, folio);
		if (!xas_error(&xas))
			xas_set_mark(&xas, PAGECACHE_TAG_DIRTY);
unlock:
		xas_unlock(&xas);
	} while (xas_nomem(&xas, GFP_KERNEL));
	if (shadowp)
		*shadowp = old;
	return xas_error(&xas);
}

static void test_page_cache(void)
{
	DEFINE_XARRAY(xa);
	void *shadow;
	unsigned long i, index;
	void *entry;
	unsigned int n = 0;

	/* a large folio's shadow (order 4 at 16), then an order-0 folio at 20 */
	{
		XA_STATE_ORDER(xas, &xa, 16, 4);

		xa_lock(&xa);
		xas_store(&xas, xa_mk_value(77));
		xa_unlock(&xa);
	}
	KT_EQ(add_folio(&xa, 20, 0, P(20), &shadow), 0);
	KT_ASSERT(shadow == xa_mk_value(77));
	KT_ASSERT(xa_is_valid(&xa));
	for (i = 16; i < 32; i++)
		KT_ASSERT(xa_load(&xa, i) == (i == 20 ? P(20) : xa_mk_value(77)));
	KT_EQ(xa_get_order(&xa, 20), 0);
	/* a folio where one is: -EEXIST */
	KT_EQ(add_folio(&xa, 20, 0, P(21), NULL), -EEXIST);
	/* an order-2 folio over shadows 24..27 */
	KT_EQ(add_folio(&xa, 24, 2, P(24), &shadow), 0);
	KT_ASSERT(shadow == xa_mk_value(77));
	KT_EQ(xa_get_order(&xa, 26), 2);
	KT_ASSERT(xa_load(&xa, 27) == P(24) && xa_load(&xa, 28) == xa_mk_value(77));
	/* an order-9 folio (a PMD) over nothing, and its dirty walk */
	KT_EQ(add_folio(&xa, 512, 9, P(512), &shadow), 0);
	KT_ASSERT(shadow == NULL);
	KT_EQ(add_folio(&xa, 600, 0, P(600), NULL), -EEXIST);
	xa_for_each_marked(&xa, index, entry, PAGECACHE_TAG_DIRTY)
		n++;
	KT_EQ(n, 3);
	KT_ASSERT(xa_is_valid(&xa));
	/* split the PMD folio to order 0 (one level: 8 new leaves) */
	{
		XA_STATE(xas, &xa, 512);

		xas_set_order(&xas, 512, 0);
		xas_split_alloc(&xas, P(512), 9, GFP_KERNEL);
		xa_lock(&xa);
		xas_split(&xas, P(512), 9);
		xa_unlock(&xa);
		xas_destroy(&xas);
	}
	KT_ASSERT(xa_is_valid(&xa));
	KT_EQ(xa_get_order(&xa, 700), 0);
	KT_ASSERT(xa_get_mark(&xa, 1023, PAGECACHE_TAG_DIRTY));
	xa_destroy(&xa);
}

/* The small calls: flags, locks, __xa_* under the lock, state helpers. */
static void test_misc(void)
{
	struct xarray xa;
	DEFINE_XARRAY_FLAGS(xf, XA_FLAGS_LOCK_IRQ);
	XA_STATE(xas, &xa, 3);
	unsigned long flags = 0;
	void *entry;

	xa_init_flags(&xa, XA_FLAGS_ALLOC);
	KT_ASSERT(xa_marked(&xa, XA_FREE_MARK));	/* everything free */
	KT_ASSERT(xa.xa_flags & XA_FLAGS_MARK(XA_FREE_MARK));
	KT_ASSERT(!xa_get_mark(&xa, 12, XA_FREE_MARK));	/* beyond the tree: false, as Linux */
	xa_lock_irqsave(&xa, flags);
	KT_ASSERT(__xa_store(&xa, 3, P(3), GFP_KERNEL) == NULL);
	KT_EQ(__xa_insert(&xa, 3, P(4), GFP_KERNEL), -EBUSY);
	KT_ASSERT(__xa_cmpxchg(&xa, 3, P(3), P(5), GFP_KERNEL) == P(3));
	__xa_set_mark(&xa, 3, XA_MARK_2);
	KT_ASSERT(xas_load(&xas) == P(5));
	KT_ASSERT(xas_reload(&xas) == P(5));
	KT_ASSERT(xas_get_mark(&xas, XA_MARK_2));
	KT_ASSERT(!xas_get_mark(&xas, XA_FREE_MARK));
	__xa_clear_mark(&xa, 3, XA_MARK_2);
	KT_ASSERT(!xas_get_mark(&xas, XA_MARK_2));
	KT_ASSERT(__xa_erase(&xa, 3) == P(5));
	xa_unlock_irqrestore(&xa, flags);
	KT_ASSERT(xa_marked(&xa, XA_FREE_MARK));
	KT_ASSERT(xa_empty(&xa));

	/* xas_retry: zero entries are skipped, retry entries restart */
	KT_ASSERT(xas_retry(&xas, XA_ZERO_ENTRY));
	KT_ASSERT(!xas_retry(&xas, P(0)));
	KT_ASSERT(xas_retry(&xas, XA_RETRY_ENTRY) && xas.xa_node == XAS_RESTART);

	/* xas_advance inside a leaf (what readers do after a large folio) */
	xa_store(&xf, 64, P(64), GFP_KERNEL);
	xa_store(&xf, 70, P(70), GFP_KERNEL);
	{
		XA_STATE(x2, &xf, 64);

		xas_lock_irq(&x2);
		KT_ASSERT(xas_load(&x2) == P(64));
		xas_advance(&x2, 69);
		KT_ASSERT(xas_next(&x2) == P(70));
		KT_EQ(x2.xa_index, 70);
		xas_unlock_irq(&x2);
	}
	/* user entries are never internal ones */
	KT_ASSERT(!xa_is_internal(P(1)) && !xa_is_node(P(1)) && !xa_is_sibling(P(1)));
	KT_ASSERT(xa_is_sibling(xa_mk_sibling(3)) && xa_to_sibling(xa_mk_sibling(3)) == 3);
	KT_ASSERT(xa_is_advanced(XA_RETRY_ENTRY) && !xa_is_advanced(XA_ZERO_ENTRY));
	KT_ASSERT(xa_is_value(xa_mk_value(LONG_MAX)) && xa_to_value(xa_mk_value(LONG_MAX)) == LONG_MAX);
	entry = xa_mk_internal(9);
	KT_EQ(xa_to_internal(entry), 9);
	KT_ASSERT(xa_is_valid(&xf));
	xa_destroy(&xf);
}

int main(void)
{
	KT_RUN(test_load_store);
	KT_RUN(test_marks);
	KT_RUN(test_shrink);
	KT_RUN(test_insert);
	KT_RUN(test_cmpxchg);
	KT_RUN(test_reserve);
	KT_RUN(test_multi_store);
	KT_RUN(test_split);
	KT_RUN(test_alloc);
	KT_RUN(test_find);
	KT_RUN(test_pause);
	KT_RUN(test_move);
	KT_RUN(test_align);
	KT_RUN(test_advanced);
	KT_RUN(test_page_cache);
	KT_RUN(test_misc);
	KT_RUN(test_nomem);
	KT_RUN(test_random_small);
	KT_RUN(test_random_big);
	KT_RUN(test_random_alloc);
	KT_RUN(test_random_nomem);
	return kt_done();
}
