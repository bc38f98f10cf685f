/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rbtree.h - the kernel's red-black tree (include/linux/rbtree.h).
 *
 * An intrusive tree: the user embeds struct rb_node in its own structure,
 * walks down from rb_root itself to find the insertion point, links the
 * node with rb_link_node() and rebalances with rb_insert_color().  There is
 * no comparison callback; searching is the user's loop, as in Linux.
 *
 * The parent pointer and the node's colour share one word
 * (__rb_parent_color): nodes are at least 4-byte aligned, so bit 0 holds the
 * colour (0 red, 1 black).
 *
 * Properties kept (Cormen et al., Introduction to Algorithms):
 *  1) every node is red or black;
 *  2) the root is black;
 *  3) every leaf (NULL) is black;
 *  4) both children of a red node are black;
 *  5) every path from a node to its leaves holds the same number of blacks.
 * So the longest path is at most twice the shortest: height <= 2 log2(n+1).
 *
 * Locking: none; the tree is protected by its user.
 */
#ifndef MMSIM_RBTREE_H
#define MMSIM_RBTREE_H

#include <stddef.h>
#include <stdbool.h>
#include <mmsim/compiler.h>

struct rb_node {
	unsigned long __rb_parent_color;	/* parent pointer | colour bit */
	struct rb_node *rb_right;
	struct rb_node *rb_left;
} __attribute__((aligned(sizeof(long))));

struct rb_root {
	struct rb_node *rb_node;
};

/* An rb_root that caches its leftmost node: rb_first_cached() is O(1). */
struct rb_root_cached {
	struct rb_root rb_root;
	struct rb_node *rb_leftmost;
};

#define RB_ROOT		((struct rb_root){ NULL })
#define RB_ROOT_CACHED	((struct rb_root_cached){ { NULL }, NULL })

#define rb_parent(r)	((struct rb_node *)((r)->__rb_parent_color & ~3UL))
#define rb_entry(ptr, type, member) container_of(ptr, type, member)
#define rb_entry_safe(ptr, type, member)				\
	({								\
		__typeof__(ptr) ____ptr = (ptr);			\
		____ptr ? rb_entry(____ptr, type, member) : NULL;	\
	})

#define RB_EMPTY_ROOT(root)	(READ_ONCE((root)->rb_node) == NULL)
/* A node that is not in any tree points to itself (RB_CLEAR_NODE). */
#define RB_EMPTY_NODE(node)	((node)->__rb_parent_color == (unsigned long)(node))
#define RB_CLEAR_NODE(node)	((node)->__rb_parent_color = (unsigned long)(node))

void rb_insert_color(struct rb_node *node, struct rb_root *root);
void rb_erase(struct rb_node *node, struct rb_root *root);

/* In-order navigation, O(log n) worst case, O(1) amortized. */
struct rb_node *rb_next(const struct rb_node *node);
struct rb_node *rb_prev(const struct rb_node *node);
struct rb_node *rb_first(const struct rb_root *root);
struct rb_node *rb_last(const struct rb_root *root);

/* Postorder: children before parents, for freeing a whole tree. */
struct rb_node *rb_first_postorder(const struct rb_root *root);
struct rb_node *rb_next_postorder(const struct rb_node *node);

/* Put @victim's place in the tree to @new (same key): no rebalancing. */
void rb_replace_node(struct rb_node *victim, struct rb_node *new, struct rb_root *root);

static inline void rb_link_node(struct rb_node *node, struct rb_node *parent,
				struct rb_node **rb_link)
{
	node->__rb_parent_color = (unsigned long)parent;
	node->rb_left = node->rb_right = NULL;
	*rb_link = node;
}

#define rbtree_postorder_for_each_entry_safe(pos, n, root, field)			\
	for (pos = rb_entry_safe(rb_first_postorder(root), __typeof__(*pos), field);	\
	     pos && ({ n = rb_entry_safe(rb_next_postorder(&pos->field),		\
					 __typeof__(*pos), field); 1; });		\
	     pos = n)

/* Cached-leftmost variants. */
#define rb_first_cached(root) (root)->rb_leftmost

static inline void rb_insert_color_cached(struct rb_node *node, struct rb_root_cached *root,
					  bool leftmost)
{
	if (leftmost)
		root->rb_leftmost = node;
	rb_insert_color(node, &root->rb_root);
}

static inline struct rb_node *rb_erase_cached(struct rb_node *node, struct rb_root_cached *root)
{
	struct rb_node *leftmost = NULL;

	if (root->rb_leftmost == node)
		leftmost = root->rb_leftmost = rb_next(node);
	rb_erase(node, &root->rb_root);
	return leftmost;
}

/*
 * rb_add - insert @node into @tree ordered by @less(a, b) (a sorts before
 * b); equal keys go to the right, after the existing ones.
 */
static inline void rb_add(struct rb_node *node, struct rb_root *tree,
			  bool (*less)(struct rb_node *, const struct rb_node *))
{
	struct rb_node **link = &tree->rb_node;
	struct rb_node *parent = NULL;

	while (*link) {
		parent = *link;
		if (less(node, parent))
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(node, parent, link);
	rb_insert_color(node, tree);
}

/*
 * rb_find - the node for which @cmp(key, node) is 0, or NULL; @cmp returns
 * <0 when key sorts before node, >0 after.
 */
static inline struct rb_node *rb_find(const void *key, const struct rb_root *tree,
				      int (*cmp)(const void *key, const struct rb_node *))
{
	struct rb_node *node = tree->rb_node;

	while (node) {
		int c = cmp(key, node);

		if (c < 0)
			node = node->rb_left;
		else if (c > 0)
			node = node->rb_right;
		else
			return node;
	}
	return NULL;
}

#endif
