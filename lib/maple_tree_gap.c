// SPDX-License-Identifier: GPL-2.0
/*
 * lib/maple_tree_gap.c - the maple tree's gap search (mas_empty_area,
 * mas_empty_area_rev) and its checker (mt_validate).
 *
 * Design: every internal node keeps, per child, the largest gap inside it
 * (gap[]); a gap between two slots of a node is first[i + 1] - last[i] - 1.
 * The search walks slots in address order (or reverse), checks each gap
 * between slots, and descends only into children whose gap[] is large
 * enough; only the children that straddle min or max can disappoint, so a
 * search is O(log n).  The tree's outer gaps (below its first entry, above
 * its last) are checked at the top.
 *
 * Locking: the caller holds the tree's lock (mmap_lock for the VMA tree),
 * as for every mas_* call; mt_validate takes no lock (Linux's takes only
 * rcu_read_lock), so call it where the tree cannot change.
 *
 * Invariants: those mt_validate checks, listed atop lib/maple_tree.c.
 */
#include <errno.h>
#include <mmsim/printk.h>
#include "maple_tree_internal.h"

struct gap_req {
	unsigned long min, max, size;
	unsigned long res;	/* lowest start, or highest end */
};

/* Does the gap [gs, ge] clipped to [min, max] hold size slots? */
static bool gap_fits(struct gap_req *r, unsigned long gs, unsigned long ge, bool rev)
{
	unsigned long s = gs > r->min ? gs : r->min, e = ge < r->max ? ge : r->max;

	if (gs > ge || s > e || e - s < r->size - 1)
		return false;
	r->res = rev ? e : s;
	return true;
}

static bool gap_walk(struct maple_node *n, struct gap_req *r)
{
	for (int i = 0; i < n->nr; i++) {
		if (n->first[i] > r->max)
			return false;
		if (!n->leaf && n->gap[i] >= r->size && n->last[i] > r->min &&
		    gap_walk(mt_child(n, i), r))
			return true;
		if (i + 1 < n->nr && n->first[i + 1] - 1 >= r->min &&
		    gap_fits(r, n->last[i] + 1, n->first[i + 1] - 1, false))
			return true;
	}
	return false;
}

static bool gap_walk_rev(struct maple_node *n, struct gap_req *r)
{
	for (int i = n->nr - 1; i >= 0; i--) {
		if (i + 1 < n->nr) {
			if (n->first[i + 1] - 1 < r->min)
				return false;
			if (gap_fits(r, n->last[i] + 1, n->first[i + 1] - 1, true))
				return true;
		}
		if (n->last[i] < r->min)
			return false;
		if (!n->leaf && n->gap[i] >= r->size && n->first[i] < r->max &&
		    gap_walk_rev(mt_child(n, i), r))
			return true;
	}
	return false;
}

static int mas_gap_args(unsigned long min, unsigned long max, unsigned long size)
{
	if (min > max || size == 0 || max - min < size - 1)
		return -EINVAL;
	return 0;
}

int mas_empty_area(struct ma_state *mas, unsigned long min, unsigned long max,
		   unsigned long size)
{
	struct maple_node *root = mt_root(mas->tree);
	struct gap_req r = { min, max, size, 0 };
	bool found;

	if (mas_gap_args(min, max, size))
		return -EINVAL;
	if (!root)
		found = gap_fits(&r, 0, ULMAX, false);
	else
		found = (root->first[0] && gap_fits(&r, 0, root->first[0] - 1, false)) ||
			gap_walk(root, &r) ||
			(root->last[root->nr - 1] != ULMAX &&
			 gap_fits(&r, root->last[root->nr - 1] + 1, ULMAX, false));
	if (!found)
		return -EBUSY;
	mas->index = r.res;
	mas->last = r.res + size - 1;
	mas->node = NULL;
	mas->status = ma_active;
	return 0;
}

int mas_empty_area_rev(struct ma_state *mas, unsigned long min, unsigned long max,
		       unsigned long size)
{
	struct maple_node *root = mt_root(mas->tree);
	struct gap_req r = { min, max, size, 0 };
	bool found;

	if (mas_gap_args(min, max, size))
		return -EINVAL;
	if (!root)
		found = gap_fits(&r, 0, ULMAX, true);
	else
		found = (root->last[root->nr - 1] != ULMAX &&
			 gap_fits(&r, root->last[root->nr - 1] + 1, ULMAX, true)) ||
			gap_walk_rev(root, &r) ||
			(root->first[0] && gap_fits(&r, 0, root->first[0] - 1, true));
	if (!found)
		return -EBUSY;
	mas->last = r.res;
	mas->index = r.res - size + 1;
	mas->node = NULL;
	mas->status = ma_active;
	return 0;
}

/* --- validation ----------------------------------------------------------- */

struct mt_check {
	struct maple_tree *mt;
	unsigned long entries;
	int leaf_depth;
};

static bool mt_bad(struct mt_check *c, const struct maple_node *n, const char *what, int i)
{
	pr_err("maple_tree %p: node %p (nr %d%s) slot %d: %s\n", (void *)c->mt, (const void *)n,
	       n->nr, n->leaf ? ", leaf" : "", i, what);
	return false;
}

static bool node_check(struct mt_check *c, const struct maple_node *n, int depth)
{
	bool root = n == mt_root(c->mt);

	if (n->nr < 1 || n->nr > MT_SLOTS || (!root && n->nr < MT_MIN) ||
	    (root && !n->leaf && n->nr < 2))
		return mt_bad(c, n, "slot count out of bounds", n->nr);
	for (int i = 0; i < n->nr; i++) {
		if (n->first[i] > n->last[i])
			return mt_bad(c, n, "range ends before it starts", i);
		if (i && n->first[i] <= n->last[i - 1])
			return mt_bad(c, n, "pivots not increasing: ranges overlap", i);
		if (n->leaf) {
			if (!n->slot[i] || mt_entry_bad(n->slot[i]))
				return mt_bad(c, n, "bad entry", i);
			c->entries++;
			continue;
		}
		const struct maple_node *ch = n->slot[i];

		if (!ch || ch->parent != n || ch->pslot != i)
			return mt_bad(c, n, "child's parent pointer or slot wrong", i);
		if (!node_check(c, ch, depth + 1))
			return false;
		if (ch->first[0] != n->first[i] || ch->last[ch->nr - 1] != n->last[i])
			return mt_bad(c, n, "child not within (equal to) its slot's range", i);
		if (node_gap(ch) != n->gap[i])
			return mt_bad(c, n, "gap metadata wrong", i);
	}
	if (n->leaf) {
		if (c->leaf_depth < 0)
			c->leaf_depth = depth;
		else if (c->leaf_depth != depth)
			return mt_bad(c, n, "leaves at different depths", depth);
	}
	return true;
}

bool mt_validate(struct maple_tree *mt)
{
	struct mt_check c = { mt, 0, -1 };
	struct maple_node *root = mt_root(mt);

	if (root && (root->parent || !node_check(&c, root, 0)))
		return root->parent ? mt_bad(&c, root, "root has a parent", 0) : false;
	if (c.entries != mt->ma_nr) {
		pr_err("maple_tree %p: %lu entries, ma_nr %lu\n", (void *)mt, c.entries, mt->ma_nr);
		return false;
	}
	return true;
}
