/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rbtree_augmented.h - red-black trees whose nodes carry a value computed
 * from their subtree (include/linux/rbtree_augmented.h).
 *
 * The user keeps, in each node, a summary of its subtree (for vmalloc's
 * free tree: the largest free block below the node).  Three callbacks keep
 * the summaries right while the tree changes shape:
 *
 *   propagate(node, stop)  recompute from @node up to @stop (exclusive),
 *                          stopping early once a value does not change;
 *   copy(old, new)         @new takes @old's place: copy the summary;
 *   rotate(old, new)       a rotation made @new the parent of @old: @new
 *                          takes @old's summary, @old's is recomputed.
 *
 * RB_DECLARE_CALLBACKS_MAX() writes all three for the common "maximum of a
 * per-node value over the subtree" summary.
 *
 * Inserting: link the node where it belongs, set its summary to its own
 * value, propagate from its parent ... but the common idiom is to
 * propagate up along the search path before rb_link_node(), as Linux's
 * users do, then call rb_insert_augmented().
 */
#ifndef MMSIM_RBTREE_AUGMENTED_H
#define MMSIM_RBTREE_AUGMENTED_H

#include <mmsim/rbtree.h>

struct rb_augment_callbacks {
	void (*propagate)(struct rb_node *node, struct rb_node *stop);
	void (*copy)(struct rb_node *old, struct rb_node *new);
	void (*rotate)(struct rb_node *old, struct rb_node *new);
};

void __rb_insert_augmented(struct rb_node *node, struct rb_root *root,
			   void (*augment_rotate)(struct rb_node *old, struct rb_node *new));

/*
 * rb_insert_augmented - rebalance after rb_link_node(), keeping summaries.
 * The caller must already have updated the summaries on the path from the
 * root to the new node (the new node's ancestors), as Linux requires.
 */
static inline void rb_insert_augmented(struct rb_node *node, struct rb_root *root,
				       const struct rb_augment_callbacks *augment)
{
	__rb_insert_augmented(node, root, augment->rotate);
}

#define RB_DECLARE_CALLBACKS(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD, RBAUGMENTED, RBCOMPUTE) \
	static inline void RBNAME##_propagate(struct rb_node *rb, struct rb_node *stop)	\
	{										\
		while (rb != stop) {							\
			RBSTRUCT *node = rb_entry(rb, RBSTRUCT, RBFIELD);		\
			if (RBCOMPUTE(node, true))					\
				break;							\
			rb = rb_parent(&node->RBFIELD);					\
		}									\
	}										\
	static inline void RBNAME##_copy(struct rb_node *rb_old, struct rb_node *rb_new)	\
	{										\
		RBSTRUCT *old = rb_entry(rb_old, RBSTRUCT, RBFIELD);			\
		RBSTRUCT *new = rb_entry(rb_new, RBSTRUCT, RBFIELD);			\
		new->RBAUGMENTED = old->RBAUGMENTED;					\
	}										\
	static void RBNAME##_rotate(struct rb_node *rb_old, struct rb_node *rb_new)	\
	{										\
		RBSTRUCT *old = rb_entry(rb_old, RBSTRUCT, RBFIELD);			\
		RBSTRUCT *new = rb_entry(rb_new, RBSTRUCT, RBFIELD);			\
		new->RBAUGMENTED = old->RBAUGMENTED;					\
		RBCOMPUTE(old, false);							\
	}										\
	RBSTATIC const struct rb_augment_callbacks RBNAME = {				\
		.propagate = RBNAME##_propagate,					\
		.copy = RBNAME##_copy,							\
		.rotate = RBNAME##_rotate						\
	};

/*
 * RB_DECLARE_CALLBACKS_MAX - callbacks for RBAUGMENTED = the maximum of
 * RBCOMPUTE(node) over the node's subtree (RBTYPE, a scalar).
 */
#define RB_DECLARE_CALLBACKS_MAX(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD, RBTYPE, RBAUGMENTED,	\
				 RBCOMPUTE)							\
	static inline bool RBNAME##_compute_max(RBSTRUCT *node, bool exit)			\
	{											\
		RBSTRUCT *child;								\
		RBTYPE max = RBCOMPUTE(node);							\
		if (node->RBFIELD.rb_left) {							\
			child = rb_entry(node->RBFIELD.rb_left, RBSTRUCT, RBFIELD);		\
			if (child->RBAUGMENTED > max)						\
				max = child->RBAUGMENTED;					\
		}										\
		if (node->RBFIELD.rb_right) {							\
			child = rb_entry(node->RBFIELD.rb_right, RBSTRUCT, RBFIELD);		\
			if (child->RBAUGMENTED > max)						\
				max = child->RBAUGMENTED;					\
		}										\
		if (exit && node->RBAUGMENTED == max)						\
			return true;								\
		node->RBAUGMENTED = max;							\
		return false;									\
	}											\
	RB_DECLARE_CALLBACKS(RBSTATIC, RBNAME, RBSTRUCT, RBFIELD, RBAUGMENTED,			\
			     RBNAME##_compute_max)

#define RB_RED		0
#define RB_BLACK	1

#define __rb_parent(pc)		((struct rb_node *)((pc) & ~3UL))
#define __rb_color(pc)		((pc) & 1)
#define __rb_is_black(pc)	__rb_color(pc)
#define __rb_is_red(pc)		(!__rb_color(pc))
#define rb_color(rb)		__rb_color((rb)->__rb_parent_color)
#define rb_is_red(rb)		__rb_is_red((rb)->__rb_parent_color)
#define rb_is_black(rb)		__rb_is_black((rb)->__rb_parent_color)

static inline void rb_set_parent(struct rb_node *rb, struct rb_node *p)
{
	rb->__rb_parent_color = rb_color(rb) + (unsigned long)p;
}

static inline void rb_set_parent_color(struct rb_node *rb, struct rb_node *p, int color)
{
	rb->__rb_parent_color = (unsigned long)p + (unsigned long)color;
}

static inline void __rb_change_child(struct rb_node *old, struct rb_node *new,
				     struct rb_node *parent, struct rb_root *root)
{
	if (parent) {
		if (parent->rb_left == old)
			WRITE_ONCE(parent->rb_left, new);
		else
			WRITE_ONCE(parent->rb_right, new);
	} else {
		WRITE_ONCE(root->rb_node, new);
	}
}

void __rb_erase_color(struct rb_node *parent, struct rb_root *root,
		      void (*augment_rotate)(struct rb_node *old, struct rb_node *new));

/*
 * Unlink @node (cases 1-3 of Cormen's deletion), keeping summaries with
 * @augment; returns the node from which colours must be rebalanced, or
 * NULL when no black height changed.
 */
static __always_inline struct rb_node *
__rb_erase_augmented(struct rb_node *node, struct rb_root *root,
		     const struct rb_augment_callbacks *augment)
{
	struct rb_node *child = node->rb_right;
	struct rb_node *tmp = node->rb_left;
	struct rb_node *parent, *rebalance;
	unsigned long pc;

	if (!tmp) {
		/* Case 1: at most one child, the right one (or none). */
		pc = node->__rb_parent_color;
		parent = __rb_parent(pc);
		__rb_change_child(node, child, parent, root);
		if (child) {
			/* A lone child is red and its parent black: recolour. */
			child->__rb_parent_color = pc;
			rebalance = NULL;
		} else {
			rebalance = __rb_is_black(pc) ? parent : NULL;
		}
		tmp = parent;
	} else if (!child) {
		/* Still case 1: the lone child is the left one. */
		tmp->__rb_parent_color = pc = node->__rb_parent_color;
		parent = __rb_parent(pc);
		__rb_change_child(node, tmp, parent, root);
		rebalance = NULL;
		tmp = parent;
	} else {
		struct rb_node *successor = child, *child2;

		tmp = child->rb_left;
		if (!tmp) {
			/* Case 2: the successor is node's right child. */
			parent = successor;
			child2 = successor->rb_right;
			augment->copy(node, successor);
		} else {
			/* Case 3: the successor is the leftmost node of the
			 * right subtree; it moves up into node's place. */
			do {
				parent = successor;
				successor = tmp;
				tmp = tmp->rb_left;
			} while (tmp);
			child2 = successor->rb_right;
			WRITE_ONCE(parent->rb_left, child2);
			WRITE_ONCE(successor->rb_right, child);
			rb_set_parent(child, successor);
			augment->copy(node, successor);
			augment->propagate(parent, successor);
		}

		tmp = node->rb_left;
		WRITE_ONCE(successor->rb_left, tmp);
		rb_set_parent(tmp, successor);

		pc = node->__rb_parent_color;
		tmp = __rb_parent(pc);
		__rb_change_child(node, successor, tmp, root);

		if (child2) {
			rb_set_parent_color(child2, parent, RB_BLACK);
			rebalance = NULL;
		} else {
			rebalance = rb_is_black(successor) ? parent : NULL;
		}
		successor->__rb_parent_color = pc;
		tmp = successor;
	}

	augment->propagate(tmp, NULL);
	return rebalance;
}

static __always_inline void rb_erase_augmented(struct rb_node *node, struct rb_root *root,
					       const struct rb_augment_callbacks *augment)
{
	struct rb_node *rebalance = __rb_erase_augmented(node, root, augment);

	if (rebalance)
		__rb_erase_color(rebalance, root, augment->rotate);
}

#endif
