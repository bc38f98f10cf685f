/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lib/maple_tree_internal.h - what lib/maple_tree.c and lib/maple_tree_gap.c
 * share: the node, the cursor's states, the small helpers.  The design,
 * locking and invariants are stated atop lib/maple_tree.c.
 */
#ifndef MMSIM_LIB_MAPLE_TREE_INTERNAL_H
#define MMSIM_LIB_MAPLE_TREE_INTERNAL_H

#include <mmsim/maple_tree.h>

#define MT_SLOTS	16
#define MT_MIN		6
#define ULMAX		(~0UL)

enum {
	ma_start = 0,	/* walk from index first */
	ma_active,	/* on [index, last] */
	ma_overflow,	/* stopped at max: "one after where it is" */
	ma_underflow,	/* stopped at min: "one before where it is" */
};
#define MAS_GAP		0x80	/* status flag: the cursor is in a gap */
#define mas_st(mas)	((mas)->status & ~MAS_GAP)

/*
 * A node: 16 ranges [first, last] and their entries or children.  The
 * fields a walk down reads (nr, leaf, last[], slot[]) come first, on as
 * few cache lines as can be.
 */
struct maple_node {
	unsigned char nr;		/* slots used */
	bool leaf;
	unsigned char pslot;		/* its slot in the parent */
	unsigned long last[MT_SLOTS];	/* the pivots */
	void *slot[MT_SLOTS];		/* entries, or children */
	unsigned long first[MT_SLOTS];
	struct maple_node *parent;	/* NULL for the root; links free nodes */
	unsigned long gap[MT_SLOTS];	/* internal: largest gap inside the child */
} __attribute__((aligned(64)));

static inline bool mt_entry_bad(const void *entry)
{
	return ((unsigned long)entry & 3) == 2;	/* xa_is_internal() */
}

static inline struct maple_node *mt_root(struct maple_tree *mt)
{
	return mt->ma_root;
}

static inline struct maple_node *mt_child(struct maple_node *n, int i)
{
	return n->slot[i];
}

/* The largest gap between a node's slots, or inside its children. */
static inline unsigned long node_gap(const struct maple_node *n)
{
	unsigned long g = 0;

	for (int i = 0; i < n->nr; i++) {
		if (!n->leaf && n->gap[i] > g)
			g = n->gap[i];
		if (i && n->first[i] - n->last[i - 1] - 1 > g)
			g = n->first[i] - n->last[i - 1] - 1;
	}
	return g;
}

#endif
