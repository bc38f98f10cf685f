// SPDX-License-Identifier: GPL-2.0
/*
 * lib/maple_tree.c - the maple tree API of <mmsim/maple_tree.h>.
 *
 * Design (first version): the tree is one sorted, growable array of
 * ranges [first, last] -> entry, held by a single struct maple_node that
 * mt->ma_root points to (NULL when the tree is empty).  Lookups are binary
 * searches; a cursor (ma_state) is its current range [index, last] and is
 * re-found by binary search on each step; gaps are found by scanning the
 * array.  Node memory is the host's (malloc), so the tree works with no
 * machine entered.
 *
 * Locking: the mtree_* / mt_* calls take mt->ma_lock unless the tree was
 * made with MT_FLAGS_LOCK_EXTERN (then the caller's lock, mmap_lock for the
 * VMA tree); the mas_* calls expect the caller to hold the lock.  Readers
 * are not lock-free (no RCU in mmsim): they hold the lock too.
 *
 * Invariants (mt_validate): ranges sorted, first <= last, pairwise
 * disjoint, entries non-NULL and not internal values, ma_nr == number of
 * ranges, ma_root == NULL iff the tree is empty.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/maple_tree.h>
#include <mmsim/printk.h>

enum {
	ma_start = 0,	/* must walk from index */
	ma_active,	/* positioned on [index, last] */
	ma_none,	/* nothing found (empty tree) */
	ma_overflow,	/* went past max; position kept in index/last */
	ma_underflow,	/* went below min */
};

struct mt_range {
	unsigned long first, last;
	void *entry;
};

struct maple_node {
	unsigned long nr, cap;
	struct mt_range *r;
};

static inline bool mt_entry_bad(const void *entry)
{
	return ((unsigned long)entry & 3) == 2;	/* xa_is_internal() */
}

static inline bool mt_locked_api(struct maple_tree *mt)
{
	return !(mt->ma_flags & MT_FLAGS_LOCK_EXTERN);
}

static inline void mt_lock(struct maple_tree *mt)
{
	if (mt_locked_api(mt))
		spin_lock(&mt->ma_lock);
}

static inline void mt_unlock(struct maple_tree *mt)
{
	if (mt_locked_api(mt))
		spin_unlock(&mt->ma_lock);
}

static inline struct maple_node *mt_arr(struct maple_tree *mt)
{
	return mt->ma_root;
}

static inline unsigned long mt_count(struct maple_tree *mt)
{
	struct maple_node *n = mt_arr(mt);

	return n ? n->nr : 0;
}

/* The first range with last >= index (n->nr if none). */
static unsigned long mt_lower(struct maple_node *n, unsigned long index)
{
	unsigned long lo = 0, hi = n ? n->nr : 0;

	while (lo < hi) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (n->r[mid].last < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Room for @extra more ranges; -ENOMEM leaves the tree as it was. */
static int mt_reserve(struct maple_tree *mt, unsigned long extra)
{
	struct maple_node *n = mt_arr(mt);
	unsigned long want;
	struct mt_range *r;

	if (!n) {
		n = calloc(1, sizeof(*n));
		if (!n)
			return -ENOMEM;
		mt->ma_root = n;
	}
	want = n->nr + extra;
	if (want <= n->cap)
		return 0;
	if (want < 2 * n->cap)
		want = 2 * n->cap;
	if (want < 8)
		want = 8;
	r = realloc(n->r, want * sizeof(*r));
	if (!r) {
		if (!n->nr) {
			free(n->r);
			free(n);
			mt->ma_root = NULL;
		}
		return -ENOMEM;
	}
	n->r = r;
	n->cap = want;
	return 0;
}

static void mt_free_if_empty(struct maple_tree *mt)
{
	struct maple_node *n = mt_arr(mt);

	if (n && !n->nr) {
		free(n->r);
		free(n);
		mt->ma_root = NULL;
	}
}

/*
 * Store @entry over [first, last]; the array has room for 2 more ranges.
 * Returns the first entry overwritten; *pfirst and *plast become the range the
 * store left (for NULL, the whole gap it is part of).
 */
static void *mt_do_store(struct maple_tree *mt, unsigned long *pfirst, unsigned long *plast,
			 void *entry)
{
	struct maple_node *n = mt_arr(mt);
	unsigned long first = *pfirst, last = *plast;
	unsigned long i, j, k;
	struct mt_range head = { 0 }, tail = { 0 };
	bool has_head = false, has_tail = false;
	void *old = NULL;

	if (!n)
		return NULL;	/* only NULL stores reach here on an empty tree */
	i = mt_lower(n, first);
	j = i;
	while (j < n->nr && n->r[j].first <= last) {
		if (!old)
			old = n->r[j].entry;
		if (n->r[j].first < first) {
			head = n->r[j];
			head.last = first - 1;
			has_head = true;
		}
		if (n->r[j].last > last) {
			tail = n->r[j];
			tail.first = last + 1;
			has_tail = true;
		}
		j++;
	}
	/* ranges [i, j) are replaced by the head, the new range, the tail */
	k = (unsigned long)has_head + (entry != NULL) + (unsigned long)has_tail;
	memmove(&n->r[i + k], &n->r[j], (n->nr - j) * sizeof(n->r[0]));
	n->nr = n->nr - (j - i) + k;
	if (has_head)
		n->r[i++] = head;
	if (entry)
		n->r[i++] = (struct mt_range){ first, last, entry };
	if (has_tail)
		n->r[i++] = tail;
	mt->ma_nr = n->nr;
	if (!entry) {
		/* report the whole gap */
		unsigned long g = mt_lower(n, first);

		*pfirst = g ? n->r[g - 1].last + 1 : 0;
		*plast = g < n->nr ? n->r[g].first - 1 : ~0UL;
	}
	mt_free_if_empty(mt);
	return old;
}

/* ------------------------------------------------------------------ */

void mt_init_flags(struct maple_tree *mt, unsigned int flags)
{
	spin_lock_init(&mt->ma_lock);
	mt->ma_flags = flags;
	mt->ma_root = NULL;
	mt->ma_nr = 0;
}

void __mt_destroy(struct maple_tree *mt)
{
	struct maple_node *n = mt_arr(mt);

	if (n) {
		free(n->r);
		free(n);
	}
	mt->ma_root = NULL;
	mt->ma_nr = 0;
}

void mtree_destroy(struct maple_tree *mt)
{
	mt_lock(mt);
	__mt_destroy(mt);
	mt_unlock(mt);
}

void *mtree_load(struct maple_tree *mt, unsigned long index)
{
	MA_STATE(mas, mt, index, index);
	void *entry;

	mt_lock(mt);
	entry = mas_walk(&mas);
	mt_unlock(mt);
	return entry;
}

int mtree_store_range(struct maple_tree *mt, unsigned long first, unsigned long last,
		      void *entry, gfp_t gfp)
{
	MA_STATE(mas, mt, first, last);
	int ret;

	if (first > last || mt_entry_bad(entry))
		return -EINVAL;
	mt_lock(mt);
	ret = mas_store_gfp(&mas, entry, gfp);
	mt_unlock(mt);
	return ret;
}

int mtree_store(struct maple_tree *mt, unsigned long index, void *entry, gfp_t gfp)
{
	return mtree_store_range(mt, index, index, entry, gfp);
}

int mtree_insert_range(struct maple_tree *mt, unsigned long first, unsigned long last,
		       void *entry, gfp_t gfp)
{
	MA_STATE(mas, mt, first, last);
	struct maple_node *n;
	unsigned long i;
	int ret;

	if (first > last || !entry || mt_entry_bad(entry))
		return -EINVAL;
	mt_lock(mt);
	n = mt_arr(mt);
	i = mt_lower(n, first);
	if (n && i < n->nr && n->r[i].first <= last)
		ret = -EEXIST;
	else
		ret = mas_store_gfp(&mas, entry, gfp);
	mt_unlock(mt);
	return ret;
}

int mtree_insert(struct maple_tree *mt, unsigned long index, void *entry, gfp_t gfp)
{
	return mtree_insert_range(mt, index, index, entry, gfp);
}

void *mtree_erase(struct maple_tree *mt, unsigned long index)
{
	MA_STATE(mas, mt, index, index);
	void *entry;

	mt_lock(mt);
	entry = mas_erase(&mas);
	mt_unlock(mt);
	return entry;
}

void *mt_find(struct maple_tree *mt, unsigned long *index, unsigned long max)
{
	MA_STATE(mas, mt, *index, *index);
	void *entry;

	if (*index > max)
		return NULL;
	mt_lock(mt);
	entry = mas_find(&mas, max);
	mt_unlock(mt);
	if (entry)
		*index = mas.last + 1;	/* 0 when it wrapped: mt_find_after stops */
	return entry;
}

void *mt_find_after(struct maple_tree *mt, unsigned long *index, unsigned long max)
{
	if (!*index)
		return NULL;
	return mt_find(mt, index, max);
}

void *mt_next(struct maple_tree *mt, unsigned long index, unsigned long max)
{
	MA_STATE(mas, mt, index, index);
	void *entry;

	mt_lock(mt);
	entry = mas_next(&mas, max);
	mt_unlock(mt);
	return entry;
}

void *mt_prev(struct maple_tree *mt, unsigned long index, unsigned long min)
{
	MA_STATE(mas, mt, index, index);
	void *entry;

	mt_lock(mt);
	entry = mas_prev(&mas, min);
	mt_unlock(mt);
	return entry;
}

int __mt_dup(struct maple_tree *mt, struct maple_tree *new, gfp_t gfp)
{
	struct maple_node *src = mt_arr(mt), *dst;

	(void)gfp;
	if (new->ma_root)
		return -EINVAL;
	new->ma_flags = mt->ma_flags;
	if (!src || !src->nr)
		return 0;
	dst = calloc(1, sizeof(*dst));
	if (!dst)
		return -ENOMEM;
	dst->r = malloc(src->nr * sizeof(*dst->r));
	if (!dst->r) {
		free(dst);
		return -ENOMEM;
	}
	memcpy(dst->r, src->r, src->nr * sizeof(*dst->r));
	dst->nr = dst->cap = src->nr;
	new->ma_root = dst;
	new->ma_nr = src->nr;
	return 0;
}

/* --- the advanced API ---------------------------------------------- */

/* Position on the range (entry or gap) containing @index. */
static void *mas_position(struct ma_state *mas, unsigned long index)
{
	struct maple_node *n = mt_arr(mas->tree);
	unsigned long i = mt_lower(n, index);

	mas->status = ma_active;
	if (n && i < n->nr && n->r[i].first <= index) {
		mas->index = n->r[i].first;
		mas->last = n->r[i].last;
		return n->r[i].entry;
	}
	mas->index = (n && i) ? n->r[i - 1].last + 1 : 0;
	mas->last = (n && i < n->nr) ? n->r[i].first - 1 : ~0UL;
	return NULL;
}

void *mas_walk(struct ma_state *mas)
{
	return mas_position(mas, mas->index);
}

/*
 * The cursor's moves, as Linux's mas_next_slot()/mas_prev_slot() with
 * empty == false: the cursor is on a range of the partition of
 * [0, ULONG_MAX] into entries and gaps.  Moving forward stops (overflow,
 * the cursor stays) when the current range reaches @max; backward stops
 * (underflow) when it reaches down to @min.  Entries returned start at or
 * before max (end at or after min).
 */
static void *mas_next_slot(struct ma_state *mas, unsigned long max)
{
	void *entry;

	do {
		if (mas->last >= max) {
			mas->status = ma_overflow;
			return NULL;
		}
		entry = mas_position(mas, mas->last + 1);
	} while (!entry);
	return entry;
}

static void *mas_prev_slot(struct ma_state *mas, unsigned long min)
{
	void *entry;

	do {
		if (mas->index <= min) {
			mas->status = ma_underflow;
			return NULL;
		}
		entry = mas_position(mas, mas->index - 1);
	} while (!entry);
	return entry;
}

void *mas_find(struct ma_state *mas, unsigned long max)
{
	void *entry;

	switch (mas->status) {
	case ma_active:
		if (mas->last >= max)
			return NULL;
		break;
	case ma_overflow:
		if (mas->last >= max)
			return NULL;
		entry = mas_walk(mas);
		if (entry)
			return entry;
		break;
	case ma_underflow:
		if (mas->index >= max) {
			mas->status = ma_overflow;
			return NULL;
		}
		entry = mas_walk(mas);
		if (entry)
			return entry;
		break;
	default:	/* start: the entry at index, or the first after it */
		if (mas->index > max)
			return NULL;
		entry = mas_walk(mas);
		if (entry)
			return entry;
		break;
	}
	entry = mas_next_slot(mas, max);
	mas->status = ma_active;	/* Linux's mas_find ignores the overflow */
	return entry;
}

void *mas_find_rev(struct ma_state *mas, unsigned long min)
{
	void *entry;

	switch (mas->status) {
	case ma_active:
		break;
	case ma_overflow:
	case ma_underflow:
		if (mas->index <= min) {
			mas->status = ma_underflow;
			return NULL;
		}
		mas->status = ma_active;
		break;
	default:	/* start: the entry at index, or the last before it */
		if (mas->index < min)
			return NULL;
		entry = mas_walk(mas);
		if (entry)
			return entry;
		break;
	}
	if (mas->index <= min) {
		mas->status = ma_underflow;
		return NULL;
	}
	return mas_prev_slot(mas, min);
}

void *mas_next(struct ma_state *mas, unsigned long max)
{
	void *entry;

	if (mas->last >= max) {
		mas->status = ma_overflow;
		return NULL;
	}
	switch (mas->status) {
	case ma_active:
		break;
	case ma_overflow:	/* the max changed */
		mas->status = ma_active;
		break;
	case ma_underflow:	/* "one before where it is" */
		entry = mas_walk(mas);
		if (entry)
			return entry;
		break;
	default:
		mas_walk(mas);
		break;
	}
	return mas_next_slot(mas, max);
}

void *mas_prev(struct ma_state *mas, unsigned long min)
{
	void *entry;

	if (mas->index <= min) {
		mas->status = ma_underflow;
		return NULL;
	}
	switch (mas->status) {
	case ma_active:
		break;
	case ma_underflow:	/* the min changed */
		mas->status = ma_active;
		break;
	case ma_overflow:	/* "one after where it is" */
		entry = mas_walk(mas);
		if (entry)
			return entry;
		break;
	default:
		mas_walk(mas);
		break;
	}
	return mas_prev_slot(mas, min);
}

void *mas_store(struct ma_state *mas, void *entry)
{
	void *old;

	if (mas->index > mas->last || mt_entry_bad(entry)) {
		WARN_ON(1);
		return NULL;
	}
	if (entry && mt_reserve(mas->tree, 2)) {
		WARN_ON(1);	/* mas_store cannot fail in Linux either */
		return NULL;
	}
	old = mt_do_store(mas->tree, &mas->index, &mas->last, entry);
	mas->status = ma_active;
	return old;
}

int mas_store_gfp(struct ma_state *mas, void *entry, gfp_t gfp)
{
	(void)gfp;
	if (mas->index > mas->last || mt_entry_bad(entry))
		return -EINVAL;
	if (mt_reserve(mas->tree, 2))
		return -ENOMEM;
	mt_do_store(mas->tree, &mas->index, &mas->last, entry);
	mt_free_if_empty(mas->tree);
	mas->status = ma_active;
	return 0;
}

int mas_preallocate(struct ma_state *mas, void *entry, gfp_t gfp)
{
	(void)entry;
	(void)gfp;
	return mt_reserve(mas->tree, 2);
}

void mas_store_prealloc(struct ma_state *mas, void *entry)
{
	if (mt_reserve(mas->tree, 2)) {	/* preallocated: cannot fail */
		WARN_ON(1);
		return;
	}
	mt_do_store(mas->tree, &mas->index, &mas->last, entry);
	mt_free_if_empty(mas->tree);
	mas->status = ma_active;
}

void mas_destroy(struct ma_state *mas)
{
	mt_free_if_empty(mas->tree);
}

void *mas_erase(struct ma_state *mas)
{
	void *entry;

	entry = mas_position(mas, mas->index);
	if (!entry)
		return NULL;
	mt_do_store(mas->tree, &mas->index, &mas->last, NULL);
	mas->status = ma_active;
	return entry;
}

int mas_empty_area(struct ma_state *mas, unsigned long min, unsigned long max,
		   unsigned long size)
{
	struct maple_node *n = mt_arr(mas->tree);
	unsigned long i, nr = n ? n->nr : 0, gstart = min;

	if (min > max || size == 0 || max - min < size - 1)
		return -EINVAL;
	i = mt_lower(n, min);
	for (;; i++) {
		unsigned long gend = i < nr ? n->r[i].first - 1 : ~0UL;

		if (i < nr && n->r[i].first <= gstart) {
			gstart = n->r[i].last + 1;
			if (n->r[i].last == ~0UL || gstart > max)
				break;
			continue;
		}
		if (gend > max)
			gend = max;
		if (gend - gstart >= size - 1) {
			mas->index = gstart;
			mas->last = gstart + size - 1;
			mas->status = ma_active;
			return 0;
		}
		if (i >= nr)
			break;
		gstart = n->r[i].last + 1;
		if (n->r[i].last == ~0UL || gstart > max)
			break;
	}
	return -EBUSY;
}

int mas_empty_area_rev(struct ma_state *mas, unsigned long min, unsigned long max,
		       unsigned long size)
{
	struct maple_node *n = mt_arr(mas->tree);
	unsigned long i, nr = n ? n->nr : 0, gend = max;

	if (min > max || size == 0 || max - min < size - 1)
		return -EINVAL;
	/* i: one past the last range starting at or before max */
	i = mt_lower(n, max);
	if (i < nr && n->r[i].first <= max)
		i++;
	for (;;) {
		unsigned long gstart;

		if (i && n->r[i - 1].last >= gend) {
			if (n->r[i - 1].first == 0 || n->r[i - 1].first - 1 < min)
				break;
			gend = n->r[i - 1].first - 1;
			i--;
			continue;
		}
		gstart = i ? n->r[i - 1].last + 1 : 0;
		if (gstart < min)
			gstart = min;
		if (gend - gstart >= size - 1) {
			mas->last = gend;
			mas->index = gend - size + 1;
			mas->status = ma_active;
			return 0;
		}
		if (!i || n->r[i - 1].first == 0 || n->r[i - 1].first - 1 < min)
			break;
		gend = n->r[i - 1].first - 1;
		i--;
	}
	return -EBUSY;
}

bool mt_validate(struct maple_tree *mt)
{
	struct maple_node *n = mt_arr(mt);
	unsigned long i;

	if (!n) {
		if (mt->ma_nr) {
			pr_err("maple_tree %p: empty but ma_nr %lu\n", (void *)mt, mt->ma_nr);
			return false;
		}
		return true;
	}
	if (!n->nr || n->nr > n->cap || n->nr != mt->ma_nr) {
		pr_err("maple_tree %p: count %lu (cap %lu), ma_nr %lu\n", (void *)mt, n->nr,
		       n->cap, mt->ma_nr);
		return false;
	}
	for (i = 0; i < n->nr; i++) {
		struct mt_range *r = &n->r[i];

		if (r->first > r->last || !r->entry || mt_entry_bad(r->entry)) {
			pr_err("maple_tree %p: bad range %lu [%#lx-%#lx] %p\n", (void *)mt, i,
			       r->first, r->last, r->entry);
			return false;
		}
		if (i && n->r[i - 1].last >= r->first) {
			pr_err("maple_tree %p: ranges %lu and %lu overlap or are unordered\n",
			       (void *)mt, i - 1, i);
			return false;
		}
	}
	return true;
}
