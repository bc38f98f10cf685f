// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_maple_tree.c - lib/maple_tree.c against the semantics of
 * Linux's maple tree: stores over partial overlaps split ranges, NULL
 * stores erase, the cursor walks (mas_find/next/prev/find_rev), mt_find
 * and mt_for_each, mas_empty_area/_rev (lowest/highest gap of >= size in
 * [min, max], -EBUSY when none), preallocation, __mt_dup, and a
 * randomized run against a reference model of slots with mt_validate()
 * after every step.  The tree is used standalone: no machine is booted.
 */
#include <errno.h>
#include <stdint.h>
#include <mmsim/maple_tree.h>
#include <mmsim/gfp.h>
#include "ktest.h"

#define E(n) ((void *)(((unsigned long)(n) + 1) << 3))	/* entry number n */
#define ULMAX (~0UL)

static void test_store_load(void)
{
	struct maple_tree mt;

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	KT_ASSERT(mtree_empty(&mt));
	KT_EQ(mtree_store_range(&mt, 10, 19, E(1), GFP_KERNEL), 0);
	KT_ASSERT(!mtree_empty(&mt));
	KT_ASSERT(mtree_load(&mt, 9) == NULL);
	KT_ASSERT(mtree_load(&mt, 10) == E(1));
	KT_ASSERT(mtree_load(&mt, 19) == E(1));
	KT_ASSERT(mtree_load(&mt, 20) == NULL);
	KT_EQ(mt.ma_nr, 1);
	/* partial overlap in the middle splits into three */
	KT_EQ(mtree_store_range(&mt, 13, 15, E(2), GFP_KERNEL), 0);
	KT_EQ(mt.ma_nr, 3);
	KT_ASSERT(mtree_load(&mt, 12) == E(1));
	KT_ASSERT(mtree_load(&mt, 13) == E(2));
	KT_ASSERT(mtree_load(&mt, 15) == E(2));
	KT_ASSERT(mtree_load(&mt, 16) == E(1));
	/* overlap at the start and at the end of two ranges */
	KT_EQ(mtree_store_range(&mt, 5, 13, E(3), GFP_KERNEL), 0);
	KT_ASSERT(mtree_load(&mt, 5) == E(3));
	KT_ASSERT(mtree_load(&mt, 13) == E(3));
	KT_ASSERT(mtree_load(&mt, 14) == E(2));
	KT_EQ(mt.ma_nr, 3);
	/* NULL store erases a part */
	KT_EQ(mtree_store_range(&mt, 14, 17, NULL, GFP_KERNEL), 0);
	KT_ASSERT(mtree_load(&mt, 14) == NULL);
	KT_ASSERT(mtree_load(&mt, 17) == NULL);
	KT_ASSERT(mtree_load(&mt, 18) == E(1));
	KT_EQ(mt.ma_nr, 2);
	KT_ASSERT(mt_validate(&mt));
	/* erase returns the entry of the whole range */
	KT_ASSERT(mtree_erase(&mt, 19) == E(1));
	KT_ASSERT(mtree_load(&mt, 18) == NULL);
	KT_ASSERT(mtree_erase(&mt, 19) == NULL);
	KT_ASSERT(mtree_erase(&mt, 7) == E(3));
	KT_ASSERT(mtree_empty(&mt));
	KT_EQ(mt.ma_nr, 0);
	/* edges of the index space */
	KT_EQ(mtree_store_range(&mt, 0, 0, E(4), GFP_KERNEL), 0);
	KT_EQ(mtree_store_range(&mt, ULMAX - 1, ULMAX, E(5), GFP_KERNEL), 0);
	KT_ASSERT(mtree_load(&mt, 0) == E(4));
	KT_ASSERT(mtree_load(&mt, ULMAX) == E(5));
	KT_ASSERT(mtree_load(&mt, ULMAX - 2) == NULL);
	KT_EQ(mtree_store(&mt, 7, E(6), GFP_KERNEL), 0);
	KT_ASSERT(mtree_load(&mt, 7) == E(6));
	KT_ASSERT(mt_validate(&mt));
	/* bad arguments */
	KT_EQ(mtree_store_range(&mt, 9, 8, E(1), GFP_KERNEL), -EINVAL);
	KT_EQ(mtree_store_range(&mt, 9, 9, (void *)2UL, GFP_KERNEL), -EINVAL);
	mtree_destroy(&mt);
	KT_ASSERT(mtree_empty(&mt));
}

static void test_insert(void)
{
	struct maple_tree mt;

	mt_init(&mt);
	KT_EQ(mtree_insert_range(&mt, 100, 199, E(1), GFP_KERNEL), 0);
	KT_EQ(mtree_insert_range(&mt, 150, 250, E(2), GFP_KERNEL), -EEXIST);
	KT_EQ(mtree_insert_range(&mt, 50, 100, E(2), GFP_KERNEL), -EEXIST);
	KT_EQ(mtree_insert_range(&mt, 0, 1000, E(2), GFP_KERNEL), -EEXIST);
	KT_EQ(mtree_insert_range(&mt, 200, 250, E(2), GFP_KERNEL), 0);
	KT_EQ(mtree_insert(&mt, 99, E(3), GFP_KERNEL), 0);
	KT_EQ(mtree_insert(&mt, 99, E(3), GFP_KERNEL), -EEXIST);
	KT_EQ(mtree_insert(&mt, 5, NULL, GFP_KERNEL), -EINVAL);
	KT_EQ(mt.ma_nr, 3);
	KT_ASSERT(mt_validate(&mt));
	mtree_destroy(&mt);
}

/* Ranges [10k, 10k+4] -> E(k) for k = 1..n. */
static void fill(struct maple_tree *mt, int n)
{
	for (int k = 1; k <= n; k++)
		mtree_store_range(mt, 10UL * k, 10UL * k + 4, E(k), GFP_KERNEL);
}

static void test_find(void)
{
	struct maple_tree mt;
	unsigned long index;
	void *entry;
	int k;

	mt_init(&mt);
	fill(&mt, 20);
	/* mt_find: first at or after *index, *index past its range */
	index = 0;
	KT_ASSERT(mt_find(&mt, &index, ULMAX) == E(1));
	KT_EQ(index, 15);
	index = 12;
	KT_ASSERT(mt_find(&mt, &index, ULMAX) == E(1));
	KT_EQ(index, 15);
	index = 15;
	KT_ASSERT(mt_find(&mt, &index, 19) == NULL);
	index = 15;
	KT_ASSERT(mt_find(&mt, &index, 20) == E(2));
	index = 300;
	KT_ASSERT(mt_find(&mt, &index, ULMAX) == NULL);
	index = 50;
	KT_ASSERT(mt_find(&mt, &index, 40) == NULL);
	/* mt_for_each visits every entry once, in order */
	k = 0;
	index = 0;
	mt_for_each(&mt, entry, index, ULMAX) {
		k++;
		KT_ASSERT(entry == E(k));
	}
	KT_EQ(k, 20);
	k = 0;
	index = 33;
	mt_for_each(&mt, entry, index, 72) {
		KT_ASSERT(entry == E(3 + k));
		k++;
	}
	KT_EQ(k, 5);	/* 30..70 */
	/* an entry ending at ULONG_MAX: *index wraps to 0 and the loop stops */
	mtree_store_range(&mt, 1000, ULMAX, E(99), GFP_KERNEL);
	k = 0;
	index = 500;
	mt_for_each(&mt, entry, index, ULMAX)
		k++;
	KT_EQ(k, 1);
	/* mt_next / mt_prev */
	KT_ASSERT(mt_next(&mt, 12, ULMAX) == E(2));
	KT_ASSERT(mt_next(&mt, 16, ULMAX) == E(2));
	KT_ASSERT(mt_next(&mt, 16, 19) == NULL);
	KT_ASSERT(mt_prev(&mt, 22, 0) == E(1));
	KT_ASSERT(mt_prev(&mt, 17, 0) == E(1));
	KT_ASSERT(mt_prev(&mt, 12, 0) == NULL);
	KT_ASSERT(mt_prev(&mt, 22, 15) == NULL);
	mtree_destroy(&mt);
}

static void test_mas_iter(void)
{
	struct maple_tree mt;
	void *entry;
	int k;

	mt_init(&mt);
	fill(&mt, 10);
	{
		MA_STATE(mas, &mt, 0, 0);

		k = 0;
		mas_for_each(&mas, entry, ULMAX) {
			k++;
			KT_ASSERT(entry == E(k));
			KT_EQ(mas.index, 10 * k);
			KT_EQ(mas.last, 10 * k + 4);
		}
		KT_EQ(k, 10);
		/* after the end, mas_prev goes back */
		KT_ASSERT(mas_prev(&mas, 0) == E(10));
		KT_ASSERT(mas_prev(&mas, 0) == E(9));
		KT_ASSERT(mas_next(&mas, ULMAX) == E(10));
	}
	{
		MA_STATE(mas, &mt, 33, 33);	/* in E(3) */

		KT_ASSERT(mas_walk(&mas) == E(3));
		KT_EQ(mas.index, 30);
		KT_EQ(mas.last, 34);
		KT_ASSERT(mas_next(&mas, ULMAX) == E(4));
		KT_ASSERT(mas_prev(&mas, 0) == E(3));
		KT_ASSERT(mas_prev(&mas, 0) == E(2));
		KT_ASSERT(mas_prev(&mas, 15) == NULL);
	}
	{
		MA_STATE(mas, &mt, 36, 36);	/* a gap */

		KT_ASSERT(mas_walk(&mas) == NULL);
		KT_EQ(mas.index, 35);
		KT_EQ(mas.last, 39);
		KT_ASSERT(mas_next(&mas, ULMAX) == E(4));
		mas_set(&mas, 36);
		KT_ASSERT(mas_prev(&mas, 0) == E(3));
		mas_set(&mas, 36);
		KT_ASSERT(mas_find(&mas, 39) == NULL);
		mas_set(&mas, 36);
		KT_ASSERT(mas_find(&mas, 40) == E(4));
		KT_ASSERT(mas_find(&mas, 60) == E(5));
		KT_ASSERT(mas_find(&mas, 60) == E(6));
		KT_ASSERT(mas_find(&mas, 60) == NULL);
		/* mas_find at an entry returns it first */
		mas_set(&mas, 52);
		KT_ASSERT(mas_find(&mas, ULMAX) == E(5));
		/* mas_find_rev */
		mas_set(&mas, 52);
		KT_ASSERT(mas_find_rev(&mas, 0) == E(5));
		KT_ASSERT(mas_find_rev(&mas, 0) == E(4));
		KT_ASSERT(mas_find_rev(&mas, 35) == NULL);
		mas_set(&mas, 57);
		KT_ASSERT(mas_find_rev(&mas, 0) == E(5));
		mas_set(&mas, 57);
		KT_ASSERT(mas_find_rev(&mas, 55) == NULL);
		mas_set(&mas, 5);
		KT_ASSERT(mas_find_rev(&mas, 0) == NULL);
		/* mas_next at the start is the entry after the one at index */
		mas_set(&mas, 52);
		KT_ASSERT(mas_next(&mas, ULMAX) == E(6));
		mas_set(&mas, 52);
		KT_ASSERT(mas_prev(&mas, 0) == E(4));
	}
	{
		/* reverse walk of everything */
		MA_STATE(mas, &mt, ULMAX, ULMAX);

		k = 10;
		while ((entry = mas_find_rev(&mas, 0)) != NULL) {
			KT_ASSERT(entry == E(k));
			k--;
		}
		KT_EQ(k, 0);
	}
	mtree_destroy(&mt);
}

static void test_mas_store(void)
{
	struct maple_tree mt;
	void *old;

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	fill(&mt, 5);
	{
		MA_STATE(mas, &mt, 12, 31);

		old = mas_store(&mas, E(7));	/* over E(1) tail, E(2), E(3) head */
		KT_ASSERT(old == E(1));
		KT_EQ(mas.index, 12);
		KT_EQ(mas.last, 31);
		KT_ASSERT(mtree_load(&mt, 11) == E(1));
		KT_ASSERT(mtree_load(&mt, 20) == E(7));
		KT_ASSERT(mtree_load(&mt, 32) == E(3));
		KT_EQ(mt.ma_nr, 5);
		/* NULL store: index/last become the whole gap */
		mas_set_range(&mas, 20, 25);
		mas_store(&mas, NULL);
		KT_EQ(mas.index, 20);
		KT_EQ(mas.last, 25);
		mas_set_range(&mas, 12, 19);
		KT_ASSERT(mas_store(&mas, NULL) == E(7));
		KT_EQ(mas.index, 12);
		KT_EQ(mas.last, 25);
		KT_ASSERT(mt_validate(&mt));
		/* mas_erase: the whole range containing index */
		mas_set(&mas, 28);
		KT_ASSERT(mas_erase(&mas) == E(7));
		KT_EQ(mas.index, 12);
		KT_EQ(mas.last, 31);
		KT_ASSERT(mtree_load(&mt, 29) == NULL);
		mas_set(&mas, 28);
		KT_ASSERT(mas_erase(&mas) == NULL);
		/* preallocate, then a store that cannot fail */
		mas_set_range(&mas, 100, 199);
		KT_EQ(mas_preallocate(&mas, E(8), GFP_KERNEL), 0);
		mas_store_prealloc(&mas, E(8));
		mas_destroy(&mas);
		KT_ASSERT(mtree_load(&mt, 150) == E(8));
		mas_set_range(&mas, 120, 130);
		KT_EQ(mas_preallocate(&mas, NULL, GFP_KERNEL), 0);
		mas_store_prealloc(&mas, NULL);
		mas_destroy(&mas);
		KT_ASSERT(mtree_load(&mt, 125) == NULL);
		KT_ASSERT(mtree_load(&mt, 131) == E(8));
		KT_EQ(mas_store_gfp(&mas, E(9), GFP_KERNEL), 0);
		KT_ASSERT(mtree_load(&mt, 125) == E(9));
		/* a preallocation not used is freed by mas_destroy */
		mas_set_range(&mas, 500, 600);
		KT_EQ(mas_preallocate(&mas, E(1), GFP_KERNEL), 0);
		mas_destroy(&mas);
		KT_ASSERT(mt_validate(&mt));
	}
	mtree_destroy(&mt);
}

static void test_empty_area(void)
{
	struct maple_tree mt;
	MA_STATE(mas, &mt, 0, 0);

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	/* an empty tree: all of [min, max] is a gap */
	KT_EQ(mas_empty_area(&mas, 100, 1000, 10), 0);
	KT_EQ(mas.index, 100);
	KT_EQ(mas.last, 109);
	KT_EQ(mas_empty_area_rev(&mas, 100, 1000, 10), 0);
	KT_EQ(mas.index, 991);
	KT_EQ(mas.last, 1000);
	/* [0,9] used, [10,19] free, [20,24] used, [25,49] free, [50,99] used */
	mtree_store_range(&mt, 0, 9, E(1), GFP_KERNEL);
	mtree_store_range(&mt, 20, 24, E(2), GFP_KERNEL);
	mtree_store_range(&mt, 50, 99, E(3), GFP_KERNEL);
	KT_EQ(mas_empty_area(&mas, 0, 1000, 10), 0);
	KT_EQ(mas.index, 10);
	KT_EQ(mas.last, 19);
	KT_EQ(mas_empty_area(&mas, 0, 1000, 11), 0);
	KT_EQ(mas.index, 25);
	KT_EQ(mas.last, 35);
	KT_EQ(mas_empty_area(&mas, 0, 1000, 26), 0);
	KT_EQ(mas.index, 100);
	KT_EQ(mas_empty_area(&mas, 12, 1000, 8), 0);	/* min inside a gap */
	KT_EQ(mas.index, 12);
	KT_EQ(mas_empty_area(&mas, 12, 1000, 9), 0);
	KT_EQ(mas.index, 25);
	KT_EQ(mas_empty_area(&mas, 0, 49, 26), -EBUSY);
	KT_EQ(mas_empty_area(&mas, 0, 49, 25), 0);
	KT_EQ(mas.index, 25);
	KT_EQ(mas.last, 49);
	KT_EQ(mas_empty_area(&mas, 50, 99, 1), -EBUSY);
	KT_EQ(mas_empty_area(&mas, 0, 9, 1), -EBUSY);
	KT_EQ(mas_empty_area(&mas, 10, 5, 1), -EINVAL);
	KT_EQ(mas_empty_area(&mas, 10, 15, 0), -EINVAL);
	KT_EQ(mas_empty_area(&mas, 10, 15, 7), -EINVAL);
	/* reverse: the highest */
	KT_EQ(mas_empty_area_rev(&mas, 0, 1000, 10), 0);
	KT_EQ(mas.last, 1000);
	KT_EQ(mas.index, 991);
	KT_EQ(mas_empty_area_rev(&mas, 0, 99, 10), 0);
	KT_EQ(mas.last, 49);
	KT_EQ(mas.index, 40);
	KT_EQ(mas_empty_area_rev(&mas, 0, 45, 10), 0);
	KT_EQ(mas.last, 45);
	KT_EQ(mas.index, 36);
	KT_EQ(mas_empty_area_rev(&mas, 0, 99, 26), -EBUSY);
	KT_EQ(mas_empty_area_rev(&mas, 0, 30, 10), 0);
	KT_EQ(mas.last, 19);
	KT_EQ(mas.index, 10);
	KT_EQ(mas_empty_area_rev(&mas, 12, 30, 8), 0);
	KT_EQ(mas.last, 19);
	KT_EQ(mas.index, 12);
	KT_EQ(mas_empty_area_rev(&mas, 13, 30, 8), -EBUSY);
	KT_EQ(mas_empty_area_rev(&mas, 50, 99, 1), -EBUSY);
	/* the top of the space */
	mtree_store_range(&mt, 2000, ULMAX, E(4), GFP_KERNEL);
	KT_EQ(mas_empty_area_rev(&mas, 0, ULMAX, 900), 0);
	KT_EQ(mas.last, 1999);
	KT_EQ(mas.index, 1100);
	KT_EQ(mas_empty_area(&mas, 101, ULMAX, 1899), 0);
	KT_EQ(mas.index, 101);
	KT_EQ(mas_empty_area(&mas, 101, ULMAX, 1900), -EBUSY);
	mtree_destroy(&mt);
}

static void test_dup(void)
{
	struct maple_tree mt, new;
	unsigned long index = 0;
	void *entry;
	int k = 0;

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	mt_init_flags(&new, MT_FLAGS_ALLOC_RANGE);
	fill(&mt, 300);
	KT_EQ(__mt_dup(&mt, &new, GFP_KERNEL), 0);
	KT_ASSERT(mt_validate(&new));
	KT_EQ(new.ma_nr, 300);
	mt_for_each(&new, entry, index, ULMAX) {
		k++;
		KT_ASSERT(entry == E(k));
	}
	KT_EQ(k, 300);
	/* independent of the source */
	mtree_erase(&mt, 10);
	KT_ASSERT(mtree_load(&new, 10) == E(1));
	mtree_destroy(&mt);
	KT_ASSERT(mtree_load(&new, 3000) == E(300));
	mtree_destroy(&new);
}

static void test_many(void)
{
	struct maple_tree mt;
	const int n = 5000;
	int k;

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	fill(&mt, n);
	KT_ASSERT(mt_validate(&mt));
	KT_EQ(mt.ma_nr, n);
	for (k = 1; k <= n; k += 2)
		KT_ASSERT(mtree_erase(&mt, 10UL * k + 2) == E(k));
	KT_ASSERT(mt_validate(&mt));
	KT_EQ(mt.ma_nr, n / 2);
	for (k = 1; k <= n; k++)
		KT_ASSERT(mtree_load(&mt, 10UL * k) == ((k & 1) ? NULL : E(k)));
	{
		MA_STATE(mas, &mt, 0, 0);

		KT_EQ(mas_empty_area(&mas, 0, ULMAX, 16), 0);
		KT_EQ(mas.index, 0);
		KT_EQ(mas_empty_area(&mas, 11, ULMAX, 15), 0);
		KT_EQ(mas.index, 25);	/* [25, 39]: E(3) was erased */
		KT_EQ(mas_empty_area(&mas, 11, ULMAX, 16), 0);
		KT_EQ(mas.index, 10UL * n + 5);
		KT_EQ(mas_empty_area_rev(&mas, 0, 10UL * n + 4, 15), 0);
		KT_EQ(mas.last, 10UL * n - 1);
	}
	mtree_destroy(&mt);
}

/* ---- cases ported from Linux's lib/test_maple_tree.c (the semantics) ---- */

/* check_state_handling(), the part with a tree of nodes: the cursor's moves. */
static void test_linux_state_handling(void)
{
	struct maple_tree mt;
	void *ptr = E(1), *ptr2 = E(2), *ptr3 = E(3), *entry;
	MA_STATE(mas, &mt, 0, 0);

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	mtree_store_range(&mt, 0x1000, 0x1500, ptr, GFP_KERNEL);
	mtree_store_range(&mt, 0x2000, 0x2500, ptr2, GFP_KERNEL);
	mtree_store_range(&mt, 0x3000, 0x3500, ptr3, GFP_KERNEL);
#define AT(e, i, l) do { KT_ASSERT(entry == (e)); KT_EQ(mas.index, (i)); KT_EQ(mas.last, (l)); } while (0)
	mas_set(&mas, 0);
	entry = mas_next(&mas, ULMAX);
	AT(ptr, 0x1000, 0x1500);
	entry = mas_next(&mas, 0x2100);		/* spanning the limit */
	AT(ptr2, 0x2000, 0x2500);
	entry = mas_next(&mas, 0x2999);		/* the limit is reached in a gap */
	AT(NULL, 0x2501, 0x2fff);
	entry = mas_next(&mas, ULMAX);		/* the limit changed */
	AT(ptr3, 0x3000, 0x3500);
	entry = mas_next(&mas, ULMAX);
	AT(NULL, 0x3501, ULMAX);
	entry = mas_next(&mas, ULMAX);		/* overflow stays */
	AT(NULL, 0x3501, ULMAX);
	entry = mas_prev(&mas, 0);		/* from overflow */
	AT(ptr3, 0x3000, 0x3500);
	mas_set(&mas, 0);
	mas_next(&mas, ULMAX);
	entry = mas_next(&mas, ULMAX);
	AT(ptr2, 0x2000, 0x2500);
	entry = mas_prev(&mas, 0);
	AT(ptr, 0x1000, 0x1500);
	mas_next(&mas, ULMAX);
	entry = mas_prev(&mas, 0x1200);		/* spanning the limit */
	AT(ptr, 0x1000, 0x1500);
	entry = mas_prev(&mas, 0x1200);		/* underflow */
	AT(NULL, 0x1000, 0x1500);
	entry = mas_prev(&mas, 0x0100);		/* underflow in the gap below */
	AT(NULL, 0, 0x0fff);
	entry = mas_prev(&mas, 0);
	AT(NULL, 0, 0x0fff);
	entry = mas_next(&mas, ULMAX);		/* from underflow */
	AT(ptr, 0x1000, 0x1500);
	entry = mas_prev(&mas, 0x1000);
	AT(NULL, 0x1000, 0x1500);
	entry = mas_find(&mas, ULMAX);		/* find from underflow: the entry itself */
	AT(ptr, 0x1000, 0x1500);
	mas_set(&mas, 0x3600);
	entry = mas_prev(&mas, 0);
	AT(ptr3, 0x3000, 0x3500);
	entry = mas_prev(&mas, 0);
	AT(ptr2, 0x2000, 0x2500);
	entry = mas_prev(&mas, 0x1600);		/* underflow spanning min */
	AT(NULL, 0x1501, 0x1fff);
	entry = mas_prev(&mas, 0);
	AT(ptr, 0x1000, 0x1500);
	mas_set(&mas, 1200);
	entry = mas_find(&mas, ULMAX);
	AT(ptr, 0x1000, 0x1500);
	entry = mas_find(&mas, ULMAX);
	AT(ptr2, 0x2000, 0x2500);
	entry = mas_find(&mas, 0x2700);		/* NULL, the cursor in the gap */
	AT(NULL, 0x2501, 0x2fff);
	entry = mas_find(&mas, 0x5000);
	AT(ptr3, 0x3000, 0x3500);
	entry = mas_find(&mas, ULMAX);
	AT(NULL, 0x3501, ULMAX);
	entry = mas_find_rev(&mas, 0);
	AT(ptr3, 0x3000, 0x3500);
	entry = mas_find_rev(&mas, 0);
	AT(ptr2, 0x2000, 0x2500);
	entry = mas_find_rev(&mas, 0);
	AT(ptr, 0x1000, 0x1500);
	entry = mas_find_rev(&mas, 0);
	AT(NULL, 0, 0x0fff);
	mas_set(&mas, 0x1200);
	entry = mas_find_rev(&mas, 0);
	AT(ptr, 0x1000, 0x1500);
	mas_set(&mas, 0x1200);
	entry = mas_walk(&mas);
	AT(ptr, 0x1000, 0x1500);
	mas_set(&mas, 0x1600);
	entry = mas_walk(&mas);
	AT(NULL, 0x1501, 0x1fff);
	mas.index = mas.last = 0x1200;		/* walk from an active cursor */
	entry = mas_walk(&mas);
	AT(ptr, 0x1000, 0x1500);
#undef AT
	mtree_destroy(&mt);
}

/* check_rev_find() */
static void test_linux_rev_find(void)
{
	struct maple_tree mt;
	MA_STATE(mas, &mt, 0, 0);

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	for (int i = 0; i <= 200; i++)
		mtree_store_range(&mt, i * 10, i * 10 + 5, E(i), GFP_KERNEL);
	mas_set(&mas, 1000);
	KT_ASSERT(mas_find_rev(&mas, 1000) == E(100));
	KT_ASSERT(mas_find_rev(&mas, 1000) == NULL);
	mas_set(&mas, 999);
	KT_ASSERT(mas_find_rev(&mas, 997) == NULL);
	mas_set(&mas, 1000);
	KT_ASSERT(mas_find_rev(&mas, 900) == E(100));
	KT_ASSERT(mas_find_rev(&mas, 900) == E(99));
	mas_set(&mas, 20);
	KT_ASSERT(mas_find_rev(&mas, 0) == E(2));
	KT_ASSERT(mas_find_rev(&mas, 0) == E(1));
	KT_ASSERT(mas_find_rev(&mas, 0) == E(0));
	KT_ASSERT(mas_find_rev(&mas, 0) == NULL);
	mtree_destroy(&mt);
}

/* check_find_2(): iterate after each insert and each erase. */
static void test_linux_find_2(void)
{
	struct maple_tree mt;
	MA_STATE(mas, &mt, 0, 0);
	unsigned long i, j;
	void *entry;

	mt_init(&mt);
	mas_for_each(&mas, entry, ULMAX)
		KT_ASSERT(false);
	for (i = 0; i < 256; i++) {
		mtree_insert(&mt, i, E(i), GFP_KERNEL);
		j = 0;
		mas_set(&mas, 0);
		mas_for_each(&mas, entry, ULMAX) {
			KT_EQ_WHAT(entry == E(j), 1, "insert %lu: entry %lu", i, j);
			j++;
		}
		KT_EQ(j, i + 1);
	}
	for (i = 0; i < 256; i++) {
		mtree_erase(&mt, i);
		j = i + 1;
		mas_set(&mas, 0);
		mas_for_each(&mas, entry, ULMAX) {
			KT_EQ_WHAT(entry == E(j), 1, "erase %lu: entry %lu", i, j);
			j++;
		}
		KT_EQ(j, 256);
	}
	KT_ASSERT(mtree_empty(&mt));
	KT_ASSERT(mt_validate(&mt));
	mtree_destroy(&mt);
}

/* check_empty_area_window() */
static void test_linux_empty_area_window(void)
{
	struct maple_tree mt;
	MA_STATE(mas, &mt, 0, 0);

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	for (unsigned long i = 1; i <= 20; i++)
		mtree_store_range(&mt, i * 10, i * 10 + 9, E(i), GFP_KERNEL);
	mtree_store_range(&mt, 160, 169, NULL, GFP_KERNEL);	/* another hole */
	KT_EQ(mas_empty_area_rev(&mas, 5, 90, 10), -EBUSY);
	KT_EQ(mas_empty_area_rev(&mas, 6, 90, 5), -EBUSY);
	KT_EQ(mas_empty_area_rev(&mas, 5, 90, 5), 0);
	KT_EQ(mas.index, 5);
	KT_EQ(mas.last, 9);
	KT_EQ(mas_empty_area_rev(&mas, 5, 217, 9), 0);
	KT_EQ(mas.index, 161);
	KT_EQ(mas.last, 169);
	KT_EQ(mas_empty_area_rev(&mas, 100, 218, 3), 0);
	KT_EQ(mas.index, 216);
	KT_EQ(mas.last, 218);
	KT_EQ(mas_empty_area_rev(&mas, 100, 218, 16), -EBUSY);
	KT_EQ(mas_empty_area_rev(&mas, 167, 200, 4), -EBUSY);
	KT_EQ(mas_empty_area_rev(&mas, 100, 162, 4), -EBUSY);
	KT_EQ(mas_empty_area(&mas, 0, 100, 9), 0);
	KT_EQ(mas.index, 0);
	KT_EQ(mas.last, 8);
	KT_EQ(mas_empty_area(&mas, 0, 100, 4), 0);
	KT_EQ(mas.index, 0);
	KT_EQ(mas.last, 3);
	KT_EQ(mas_empty_area(&mas, 0, 100, 11), -EBUSY);
	KT_EQ(mas_empty_area(&mas, 5, 100, 6), -EBUSY);
	KT_EQ(mas_empty_area(&mas, 0, 8, 10), -EINVAL);
	KT_EQ(mas_empty_area(&mas, 100, 163, 6), -EBUSY);
	mtree_destroy(&mt);
}

/* check_empty_area_fill(): 25,000 allocations fill [0, max] exactly. */
static void test_linux_empty_area_fill(void)
{
	const unsigned long max = 0x25D78000;
	struct maple_tree mt;
	MA_STATE(mas, &mt, 0, 0);
	long bad = 0;

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	for (int shift = 12; shift <= 16; shift++) {
		unsigned long size = 1UL << shift;

		for (int loop = 0; loop < 5000; loop++) {
			mas_set(&mas, 0);
			if (mas_empty_area(&mas, 0, max, size) || mas.last != mas.index + size - 1) {
				bad++;
				continue;
			}
			if (mas_store_gfp(&mas, (void *)(size << 3), GFP_KERNEL))
				bad++;
		}
	}
	KT_EQ(bad, 0);
	KT_EQ(mt.ma_nr, 25000);
	KT_ASSERT(mt_validate(&mt));
	KT_EQ(mas_empty_area(&mas, 0, max, 0x1000), -EBUSY);	/* no space left */
	for (unsigned long i = 629440511; i <= 629440800; i += 6)
		mtree_store_range(&mt, i, i + 5, (void *)(i << 3), GFP_KERNEL);
	mtree_erase(&mt, 631668735);
	mtree_erase(&mt, 629506047);
	KT_EQ(mas_empty_area(&mas, 629506048, 690000000, 0x5000), 0);
	KT_ASSERT(mas.index >= 629506048);
	KT_ASSERT(mt_validate(&mt));
	mtree_destroy(&mt);
}

/* check_alloc_range()/check_alloc_rev_range(): the holes of a real process's maps. */
static void test_linux_alloc_range(void)
{
	static const unsigned long range[] = {	/* [start, end) */
		0x565234af2000, 0x565234af4000, 0x565234af4000, 0x565234af9000,
		0x565234af9000, 0x565234afb000, 0x565234afc000, 0x565234afd000,
		0x565234afd000, 0x565234afe000, 0x565235def000, 0x565235e10000,
		0x7f36d4bfd000, 0x7f36d4ee2000, 0x7f36d4ee2000, 0x7f36d4f04000,
		0x7f36d4f04000, 0x7f36d504c000, 0x7f36d504c000, 0x7f36d5098000,
		0x7f36d5098000, 0x7f36d5099000, 0x7f36d5099000, 0x7f36d509d000,
		0x7f36d509d000, 0x7f36d509f000, 0x7f36d509f000, 0x7f36d50a5000,
		0x7f36d50b9000, 0x7f36d50db000, 0x7f36d50db000, 0x7f36d50dc000,
		0x7f36d50dc000, 0x7f36d50fa000, 0x7f36d50fa000, 0x7f36d5102000,
		0x7f36d5102000, 0x7f36d5103000, 0x7f36d5103000, 0x7f36d5104000,
		0x7f36d5104000, 0x7f36d5105000, 0x7fff5876b000, 0x7fff5878d000,
		0x7fff5878e000, 0x7fff58791000, 0x7fff58791000, 0x7fff58793000,
	};
	static const unsigned long holes[] = {	/* start, end (exclusive), size */
		0x565234afb000, 0x565234afc000, 0x1000,
		0x565234afe000, 0x565235def000, 0x12F1000,
		0x565235e10000, 0x7f36d4bfd000, 0x28E49EDED000,
	};
	struct maple_tree mt;
	MA_STATE(mas, &mt, 0, 0);
	unsigned long min;
	size_t i;

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	mtree_store_range(&mt, 1UL << 49, ULMAX, E(0), GFP_KERNEL);	/* MTREE_ALLOC_MAX */
	for (i = 0; i < sizeof(range) / sizeof(range[0]); i += 2)
		KT_EQ(mtree_insert_range(&mt, range[i] >> 12, (range[i + 1] >> 12) - 1,
					 E(range[i] >> 12), GFP_KERNEL), 0);
	KT_ASSERT(mt_validate(&mt));
	min = 0x565234af2000;
	for (i = 0; i < sizeof(holes) / sizeof(holes[0]); i += 3) {
		KT_EQ(mas_empty_area(&mas, min >> 12, holes[i + 1] >> 12, holes[i + 2] >> 12), 0);
		KT_EQ(mas.index, holes[i] >> 12);
		min = holes[i + 1];
	}
	min = 0;
	for (i = 0; i < sizeof(holes) / sizeof(holes[0]); i += 3) {
		KT_EQ(mas_empty_area_rev(&mas, min, holes[i + 1] >> 12, holes[i + 2] >> 12), 0);
		KT_EQ(mas.last + 1, holes[i + 1] >> 12);
		KT_EQ(mas.index, (holes[i + 1] >> 12) - (holes[i + 2] >> 12));
		min = holes[i + 1] >> 12;
	}
	/* the highest hole of one page below the stack; the largest hole, exactly */
	KT_EQ(mas_empty_area_rev(&mas, 0x565234af9, 0x7fff58791, 1), 0);
	KT_EQ(mas.index, 0x7fff5878d);
	KT_EQ(mas_empty_area_rev(&mas, 0, 0x565234AF0, 3), 0);
	KT_EQ(mas.index, 0x565234AEE);
	KT_EQ(mas_empty_area(&mas, 0, ULMAX, (1UL << 49) - 0x7fff58793), 0);
	KT_EQ(mas.index, 0x7fff58793);
	KT_EQ(mas_empty_area(&mas, 0, ULMAX, (1UL << 49) - 0x7fff58793 + 1), -EBUSY);
	KT_EQ(mas_empty_area_rev(&mas, 0, ULMAX, (1UL << 49) - 0x7fff58793 + 1), -EBUSY);
	mtree_destroy(&mt);
}

/* check_dup() in spirit: __mt_dup of trees of every shape up to 1,000 entries. */
static void test_linux_dup(void)
{
	long bad = 0;

	for (int nr = 0; nr <= 1000; nr += nr < 40 ? 1 : 37) {
		struct maple_tree mt, new;
		unsigned long index = 0;
		void *entry;
		int k = 0;

		mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
		mt_init_flags(&new, MT_FLAGS_ALLOC_RANGE);
		for (int i = 0; i < nr; i++)	/* out of order: a tree of many shapes */
			mtree_store_range(&mt, 10UL * (unsigned long)((i * 7919) % nr),
					  10UL * (unsigned long)((i * 7919) % nr) + 4,
					  E((i * 7919) % nr), GFP_KERNEL);
		if (__mt_dup(&mt, &new, GFP_KERNEL) || !mt_validate(&new) || new.ma_nr != mt.ma_nr)
			bad++;
		mt_for_each(&new, entry, index, ULMAX) {
			if (entry != E(k) || index != 10UL * k + 5)
				bad++;
			k++;
		}
		if (k != nr)
			bad++;
		/* the copy is on its own: writes to it leave the source alone */
		mtree_store_range(&new, 0, 10UL * nr, E(9999), GFP_KERNEL);
		if (nr > 1 && mtree_load(&mt, 10UL * (nr - 1)) != E(nr - 1))
			bad++;
		if (!mt_validate(&new) || !mt_validate(&mt))
			bad++;
		mtree_destroy(&mt);
		mtree_destroy(&new);
	}
	KT_EQ(bad, 0);
}

/* Writes through the iterating cursor, and through another one. */
static void test_iter_modify(void)
{
	struct maple_tree mt;
	void *entry;
	int k = 0;

	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	fill(&mt, 400);
	{
		MA_STATE(mas, &mt, 0, 0);

		/* erase every other entry while walking */
		mas_for_each(&mas, entry, ULMAX) {
			k++;
			KT_ASSERT(entry == E(k));
			if (k & 1)
				KT_ASSERT(mas_erase(&mas) == E(k));
		}
		KT_EQ(k, 400);
		KT_EQ(mt.ma_nr, 200);
		KT_ASSERT(mt_validate(&mt));
	}
	{
		MA_STATE(mas, &mt, 0, 0);

		/* grow each entry by one through the cursor (mas_store) */
		k = 0;
		mas_for_each(&mas, entry, ULMAX) {
			k += 2;
			KT_ASSERT(entry == E(k));
			mas_set_range(&mas, 10UL * k, 10UL * k + 5);
			mas_store(&mas, entry);
		}
		KT_EQ(k, 400);
		KT_ASSERT(mtree_load(&mt, 10UL * 400 + 5) == E(400));
	}
	{
		MA_STATE(mas, &mt, 0, 0);
		MA_STATE(other, &mt, 0, 0);

		/* another cursor erases behind and ahead: this one walks on */
		k = 0;
		mas_for_each(&mas, entry, ULMAX) {
			k++;
			if (entry == E(200)) {
				mas_set(&other, 10UL * 100);
				mas_erase(&other);
				mas_set(&other, 10UL * 300);
				mas_erase(&other);
			}
		}
		KT_EQ(k, 199);
		KT_ASSERT(mt_validate(&mt));
	}
	mtree_destroy(&mt);
}

/* ---- the randomized run against a model of slots ---- */

#define U_MAX 16384
static unsigned long U = 2048;	/* the model's universe: indices 0..U-1 */
static unsigned int model_id[U_MAX];	/* 0: empty; else the store that wrote it */
static unsigned int model_seq;
static uint64_t rng = 0x2545f4914f6cdd1dULL;

static unsigned long rnd(unsigned long n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned long)(rng % n);
}

static void model_store(unsigned long a, unsigned long b, unsigned int id)
{
	for (unsigned long i = a; i <= b; i++)
		model_id[i] = id;
}

static unsigned long model_count(void)
{
	unsigned long n = 0;

	for (unsigned long i = 0; i < U; i++)
		if (model_id[i] && (i == 0 || model_id[i - 1] != model_id[i]))
			n++;
	return n;
}

/* The lowest/highest gap of @size in [min, max] of the model (max < U). */
static long model_gap(unsigned long min, unsigned long max, unsigned long size, bool rev)
{
	long run = 0;

	if (!rev) {
		for (unsigned long i = min; i <= max; i++) {
			run = model_id[i] ? 0 : run + 1;
			if ((unsigned long)run >= size)
				return (long)(i - size + 1);
		}
	} else {
		for (long i = (long)max; i >= (long)min; i--) {
			run = model_id[i] ? 0 : run + 1;
			if ((unsigned long)run >= size)
				return i + (long)size - 1;
		}
	}
	return -1;
}

static bool model_check_all(struct maple_tree *mt)
{
	MA_STATE(mas, mt, 0, 0);
	unsigned long i;
	void *entry;
	bool ok = true;

	for (i = 0; i < U; i++)
		if (mtree_load(mt, i) != (model_id[i] ? E(model_id[i]) : NULL))
			ok = false;
	/* iteration reports the model's ranges */
	i = 0;
	mas_for_each(&mas, entry, ULMAX) {
		while (i < U && !model_id[i])
			i++;
		if (i >= U || mas.index != i || entry != E(model_id[i]))
			return false;
		while (i < U && model_id[i] == model_id[mas.index])
			i++;
		if (mas.last != i - 1)
			return false;
	}
	while (i < U && !model_id[i])
		i++;
	return ok && i == U && mt->ma_nr == model_count();
}

/*
 * A model of the cursor: Linux's state machine (start, active, overflow,
 * underflow) on the model's partition of [0, ULONG_MAX] into entries and
 * gaps, found by brute force.  After a write the cursor's range is walked
 * again from its index at its next step, as lib/maple_tree.c does.
 */
enum { MC_START, MC_ACTIVE, MC_OVER, MC_UNDER };
struct mcur {
	int st;
	unsigned long index, last;
	bool stale;
};

/* The model's range containing x: its entry number, or 0 for a gap. */
static unsigned int model_range(unsigned long x, unsigned long *pi, unsigned long *pl)
{
	unsigned long i, l;
	unsigned int id;

	if (x >= U) {
		for (i = U; i > 0 && !model_id[i - 1]; i--)
			;
		*pi = i;
		*pl = ULMAX;
		return 0;
	}
	id = model_id[x];
	for (i = x; i > 0 && model_id[i - 1] == id; i--)
		;
	for (l = x; l + 1 < U && model_id[l + 1] == id; l++)
		;
	if (!id && l == U - 1)
		l = ULMAX;
	*pi = i;
	*pl = l;
	return id;
}

static unsigned int mc_walk(struct mcur *c)
{
	c->st = MC_ACTIVE;
	c->stale = false;
	return model_range(c->index, &c->index, &c->last);
}

static unsigned int mc_next_slot(struct mcur *c, unsigned long max)
{
	unsigned int id;

	do {
		if (c->stale) {
			model_range(c->index, &c->index, &c->last);
			c->stale = false;
		}
		if (c->last >= max) {
			c->st = MC_OVER;
			return 0;
		}
		id = model_range(c->last + 1, &c->index, &c->last);
	} while (!id);
	return id;
}

static unsigned int mc_prev_slot(struct mcur *c, unsigned long min)
{
	unsigned int id;

	do {
		if (c->stale) {
			model_range(c->index, &c->index, &c->last);
			c->stale = false;
		}
		if (c->index <= min) {
			c->st = MC_UNDER;
			return 0;
		}
		id = model_range(c->index - 1, &c->index, &c->last);
	} while (!id);
	return id;
}

static unsigned int mc_find(struct mcur *c, unsigned long max)
{
	unsigned int id;

	switch (c->st) {
	case MC_ACTIVE:
		if (c->last >= max)
			return 0;
		break;
	case MC_OVER:
		if (c->last >= max)
			return 0;
		if ((id = mc_walk(c)))
			return id;
		break;
	case MC_UNDER:
		if (c->index >= max) {
			c->st = MC_OVER;
			return 0;
		}
		if ((id = mc_walk(c)))
			return id;
		break;
	default:
		if (c->index > max)
			return 0;
		if ((id = mc_walk(c)))
			return id;
	}
	id = mc_next_slot(c, max);
	c->st = MC_ACTIVE;
	return id;
}

static unsigned int mc_find_rev(struct mcur *c, unsigned long min)
{
	unsigned int id;

	switch (c->st) {
	case MC_ACTIVE:
		break;
	case MC_OVER:
	case MC_UNDER:
		if (c->index <= min) {
			c->st = MC_UNDER;
			return 0;
		}
		c->st = MC_ACTIVE;
		break;
	default:
		if (c->index < min)
			return 0;
		if ((id = mc_walk(c)))
			return id;
	}
	return mc_prev_slot(c, min);
}

static unsigned int mc_next(struct mcur *c, unsigned long max)
{
	unsigned int id;

	if (c->last >= max) {
		c->st = MC_OVER;
		return 0;
	}
	if (c->st == MC_OVER) {
		c->st = MC_ACTIVE;
	} else if (c->st == MC_UNDER) {
		if ((id = mc_walk(c)))
			return id;
	} else if (c->st == MC_START) {
		mc_walk(c);
	}
	return mc_next_slot(c, max);
}

static unsigned int mc_prev(struct mcur *c, unsigned long min)
{
	unsigned int id;

	if (c->index <= min) {
		c->st = MC_UNDER;
		return 0;
	}
	if (c->st == MC_UNDER) {
		c->st = MC_ACTIVE;
	} else if (c->st == MC_OVER) {
		if ((id = mc_walk(c)))
			return id;
	} else if (c->st == MC_START) {
		mc_walk(c);
	}
	return mc_prev_slot(c, min);
}

/* A few random moves of a long-lived cursor, each checked against the model. */
static long cursor_moves(struct ma_state *mas, struct mcur *c)
{
	long bad = 0;

	for (int n = 1 + (int)rnd(3); n > 0; n--) {
		unsigned long lim = rnd(4) ? rnd(U + 64) : 0;
		unsigned int kind = (unsigned int)rnd(10), id = 0;
		void *e = NULL;
		int dbg_st = c->st, dbg_stale = c->stale, dbg_lst = mas->status;
		unsigned long dbg_i = c->index, dbg_l = c->last, dbg_li = mas->index, dbg_ll = mas->last;

		switch (kind) {
		case 0:
			mas_set(mas, rnd(U + 16));
			c->st = MC_START;
			c->index = c->last = mas->index;
			c->stale = true;	/* a point, not yet a range */
			continue;
		case 1:
		case 2:
			if (!lim)
				lim = ULMAX;
			e = mas_find(mas, lim);
			id = mc_find(c, lim);
			break;
		case 3:
		case 4:
			e = mas_find_rev(mas, lim);
			id = mc_find_rev(c, lim);
			break;
		case 5:
		case 6:
			if (!lim)
				lim = ULMAX;
			e = mas_next(mas, lim);
			id = mc_next(c, lim);
			break;
		case 7:
		case 8:
			e = mas_prev(mas, lim);
			id = mc_prev(c, lim);
			break;
		default:
			e = mas_walk(mas);
			id = mc_walk(c);
			break;
		}
		if (e != (id ? E(id) : NULL) || mas->index != c->index || mas->last != c->last) {
			if (!bad)
				fprintf(stderr, "cursor: move %u lim %#lx: got %p [%#lx, %#lx], "
					"model %u [%#lx, %#lx]\n", kind, lim, e, mas->index,
					mas->last, id, c->index, c->last);
			if (!bad)
				fprintf(stderr, "  before: model st %d stale %d [%#lx, %#lx]; lib st %#x [%#lx, %#lx]\n",
					dbg_st, dbg_stale, dbg_i, dbg_l, dbg_lst, dbg_li, dbg_ll);
			bad++;
			mas_set(mas, c->index);	/* start again in step */
			c->st = MC_START;
			c->last = c->index;
			c->stale = true;
		}
	}
	return bad;
}

static void random_run(unsigned long universe, long ops, long validate_every)
{
	struct maple_tree mt;
	long op, bad_validate = 0, bad_op = 0, bad_model = 0;
	bool reported = false;
	unsigned long max_nr = 0;
	long bad_cursor = 0;

	MA_STATE(cur, &mt, 0, 0);
	struct mcur mc = { MC_START, 0, 0, false };

	U = universe;
	mt_init_flags(&mt, MT_FLAGS_ALLOC_RANGE);
	memset(model_id, 0, sizeof(model_id));
	for (op = 0; op < ops; op++) {
		unsigned long a = rnd(U), b, len = rnd(16) ? rnd(6) : rnd(64);
		unsigned int r = (unsigned int)rnd(100);
		bool grow = (op / 8000) % 2 == 0;	/* phases: the tree grows, then shrinks */

		if (!rnd(500))
			len = rnd(U / 2);		/* a store across many leaves */
		b = a + len;
		/* growing: mostly stores; shrinking: mostly NULL stores and erases */
		if (!grow && r < 45)
			r = r < 15 ? r : 45 + (r - 15) % 25;
		if (grow && r >= 45 && r < 70 && rnd(4))
			r = (unsigned int)rnd(45);

		if (b >= U)
			b = U - 1;
		if (r < 60 && rnd(2)) {
			/*
			 * A store through the long-lived cursor: it is left on
			 * the range stored, or on the whole gap for NULL.
			 */
			unsigned int id = r < 45 ? ++model_seq : 0;

			mas_set_range(&cur, a, b);
			if (rnd(3)) {
				if (mas_store_gfp(&cur, id ? E(id) : NULL, GFP_KERNEL))
					bad_op++;
			} else {
				/* the VMA code's way: preallocate, then store */
				if (mas_preallocate(&cur, id ? E(id) : NULL, GFP_KERNEL))
					bad_op++;
				mas_store_prealloc(&cur, id ? E(id) : NULL);
			}
			model_store(a, b, id);
			mc.st = MC_ACTIVE;
			mc.stale = false;
			if (id) {
				mc.index = a;
				mc.last = b;
			} else {
				model_range(a, &mc.index, &mc.last);
			}
			if (cur.index != mc.index || cur.last != mc.last) {
				if (!bad_op)
					fprintf(stderr, "store through the cursor: [%#lx, %#lx], "
						"model [%#lx, %#lx]\n", cur.index, cur.last,
						mc.index, mc.last);
				bad_op++;
				cur.index = mc.index;
				cur.last = mc.last;
			}
		} else if (r < 45) {
			/* store (half of the time, a small range) */
			unsigned int id = ++model_seq;

			if (mtree_store_range(&mt, a, b, E(id), GFP_KERNEL))
				bad_op++;
			model_store(a, b, id);
		} else if (r < 60) {
			if (mtree_store_range(&mt, a, b, NULL, GFP_KERNEL))
				bad_op++;
			model_store(a, b, 0);
		} else if (r < 70) {
			void *old = mtree_erase(&mt, a);
			unsigned int id = model_id[a];

			if (old != (id ? E(id) : NULL))
				bad_op++;
			if (id) {
				unsigned long s = a, e = a;

				while (s > 0 && model_id[s - 1] == id)
					s--;
				while (e + 1 < U && model_id[e + 1] == id)
					e++;
				model_store(s, e, 0);
			}
		} else if (r < 75) {
			int ret = mtree_insert_range(&mt, a, b, E(model_seq + 1), GFP_KERNEL);
			bool free_ = true;

			for (unsigned long i = a; i <= b; i++)
				free_ &= !model_id[i];
			if (ret != (free_ ? 0 : -EEXIST))
				bad_op++;
			if (!ret)
				model_store(a, b, ++model_seq);
		} else if (r < 85) {
			MA_STATE(mas, &mt, 0, 0);
			unsigned long size = 1 + rnd(12), lo = rnd(U), hi = lo + rnd(U - lo);
			bool rev = r & 1;
			long want = hi - lo + 1 >= size ? model_gap(lo, hi, size, rev) : -2;
			int ret = rev ? mas_empty_area_rev(&mas, lo, hi, size)
				      : mas_empty_area(&mas, lo, hi, size);

			if (want == -2)
				bad_op += ret != -EINVAL;
			else if (want == -1)
				bad_op += ret != -EBUSY;
			else if (ret || (rev ? mas.last : mas.index) != (unsigned long)want ||
				 mas.last - mas.index != size - 1)
				bad_op++;
		} else if (r < 95) {
			/* mas_find / mas_prev from a random point */
			MA_STATE(mas, &mt, a, a);
			void *e = r & 1 ? mas_find(&mas, ULMAX) : mas_prev(&mas, 0);
			unsigned long i = a;

			if (r & 1) {
				while (i < U && !model_id[i])
					i++;
				if (e != (i < U ? E(model_id[i]) : NULL))
					bad_op++;
			} else {
				unsigned int here = model_id[i];
				unsigned long want = 0;

				while (i > 0 && model_id[i - 1] == here)
					i--;	/* i: the start of the range containing a */
				while (i > 0 && !model_id[i - 1])
					i--;
				if (i > 0)
					want = model_id[i - 1];
				bad_op += e != (want ? E(want) : NULL);
			}
		} else {
			unsigned long index = a;
			void *e = mt_find(&mt, &index, b);
			unsigned long i = a;

			while (i <= b && !model_id[i])
				i++;
			if (e != (i <= b ? E(model_id[i]) : NULL))
				bad_op++;
		}
		if (r < 75)
			mc.stale = true;	/* a write: the cursor walks again */
		bad_cursor += cursor_moves(&cur, &mc);
		if (mt.ma_nr > max_nr)
			max_nr = mt.ma_nr;
#if MMSIM_DEBUG_VM
		if (op % validate_every == 0 && !mt_validate(&mt))
			bad_validate++;
#endif
		if (op % (validate_every * 256) == 0 && !model_check_all(&mt))
			bad_model++;
		if (!reported && bad_op + bad_validate + bad_model) {
			fprintf(stderr, "random: first failure at op %ld (r %u, a %lu, b %lu)\n", op,
				r, a, b);
			reported = true;
		}
	}
	printf("random: %ld ops in [0, %lu], at most %lu entries\n", ops, U - 1, max_nr);
	KT_EQ(bad_op, 0);
	KT_EQ(bad_cursor, 0);
	KT_EQ(bad_validate, 0);
	KT_EQ(bad_model, 0);
	KT_ASSERT(model_check_all(&mt));
	KT_ASSERT(mt_validate(&mt));
	mtree_destroy(&mt);
}

/* 10^5 operations on up to ~700 entries, mt_validate() after each. */
static void test_random(void)
{
	random_run(2048, 100000, 1);
}

/* Fewer, on a tree four levels high (thousands of entries). */
static void test_random_deep(void)
{
	random_run(U_MAX, 40000, 64);
}

int main(void)
{
	KT_RUN(test_store_load);
	KT_RUN(test_insert);
	KT_RUN(test_find);
	KT_RUN(test_mas_iter);
	KT_RUN(test_mas_store);
	KT_RUN(test_empty_area);
	KT_RUN(test_dup);
	KT_RUN(test_many);
	KT_RUN(test_linux_state_handling);
	KT_RUN(test_linux_rev_find);
	KT_RUN(test_linux_find_2);
	KT_RUN(test_linux_empty_area_window);
	KT_RUN(test_linux_empty_area_fill);
	KT_RUN(test_linux_alloc_range);
	KT_RUN(test_linux_dup);
	KT_RUN(test_iter_modify);
	KT_RUN(test_random);
	KT_RUN(test_random_deep);
	return kt_done();
}
