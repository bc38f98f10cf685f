// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_rbtree.c - lib/rbtree.c: the red-black properties after
 * random inserts and erases, in-order and postorder walks, replace, the
 * cached-leftmost root, and an augmented tree (subtree maximum) checked
 * against a brute-force recomputation, in the spirit of Linux's
 * lib/rbtree_test.c.
 */
#include <stdint.h>
#include <mmsim/rbtree_augmented.h>
#include "ktest.h"

#define NODES 1000

struct test_node {
	uint32_t key;
	struct rb_node rb;
	uint32_t val;		/* augmented: the node's own value */
	uint32_t augmented;	/* max of val over the subtree */
};

static struct test_node nodes[NODES];
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 16);
}

static void insert(struct test_node *node, struct rb_root *root)
{
	struct rb_node **link = &root->rb_node, *parent = NULL;

	while (*link) {
		parent = *link;
		if (node->key < rb_entry(parent, struct test_node, rb)->key)
			link = &parent->rb_left;
		else
			link = &parent->rb_right;
	}
	rb_link_node(&node->rb, parent, link);
	rb_insert_color(&node->rb, root);
}

#define NODE_VAL(n) ((n)->val)
RB_DECLARE_CALLBACKS_MAX(static, augment_callbacks, struct test_node, rb, uint32_t, augmented,
			 NODE_VAL)

static void insert_augmented(struct test_node *node, struct rb_root *root)
{
	struct rb_node **link = &root->rb_node, *rb_parent = NULL;
	uint32_t key = node->key, val = node->val;
	struct test_node *parent;

	while (*link) {
		rb_parent = *link;
		parent = rb_entry(rb_parent, struct test_node, rb);
		if (parent->augmented < val)
			parent->augmented = val;
		if (key < parent->key)
			link = &parent->rb.rb_left;
		else
			link = &parent->rb.rb_right;
	}
	node->augmented = val;
	rb_link_node(&node->rb, rb_parent, link);
	rb_insert_augmented(&node->rb, root, &augment_callbacks);
}

static void erase_augmented(struct test_node *node, struct rb_root *root)
{
	rb_erase_augmented(&node->rb, root, &augment_callbacks);
}

static int black_path_count(struct rb_node *rb)
{
	int count;

	for (count = 0; rb; rb = rb_parent(rb))
		count += !rb_is_red(rb);
	return count;
}

/* Ordering, colours, black heights, node count. */
static bool check(struct rb_root *root, int nr_nodes)
{
	struct rb_node *rb;
	int count = 0, blacks = 0;
	uint32_t prev_key = 0;
	bool ok = true;

	if (root->rb_node && rb_is_red(root->rb_node))
		ok = false;
	for (rb = rb_first(root); rb; rb = rb_next(rb)) {
		struct test_node *node = rb_entry(rb, struct test_node, rb);

		if (node->key < prev_key)
			ok = false;
		if (rb_is_red(rb) && (!rb_parent(rb) || rb_is_red(rb_parent(rb))))
			ok = false;
		if (!count)
			blacks = black_path_count(rb);
		else if ((!rb->rb_left || !rb->rb_right) && blacks != black_path_count(rb))
			ok = false;
		prev_key = node->key;
		count++;
	}
	/* Leaves (NULL children) all at the same black depth. */
	if (count != nr_nodes)
		ok = false;
	/* height <= 2 log2(n + 1) follows from the above; rb_prev mirrors rb_next. */
	count = 0;
	for (rb = rb_last(root); rb; rb = rb_prev(rb))
		count++;
	if (count != nr_nodes)
		ok = false;
	return ok;
}

static bool check_augmented(struct rb_root *root, int nr_nodes)
{
	bool ok = check(root, nr_nodes);

	for (struct rb_node *rb = rb_first(root); rb; rb = rb_next(rb)) {
		struct test_node *node = rb_entry(rb, struct test_node, rb);
		uint32_t subtree, max = node->val;

		if (node->rb.rb_left) {
			subtree = rb_entry(node->rb.rb_left, struct test_node, rb)->augmented;
			if (max < subtree)
				max = subtree;
		}
		if (node->rb.rb_right) {
			subtree = rb_entry(node->rb.rb_right, struct test_node, rb)->augmented;
			if (max < subtree)
				max = subtree;
		}
		if (node->augmented != max)
			ok = false;
	}
	return ok;
}

static void init_nodes(void)
{
	for (int i = 0; i < NODES; i++) {
		nodes[i].key = rnd() % 5000;	/* duplicates on purpose */
		nodes[i].val = rnd();
	}
}

static void test_insert_erase(void)
{
	struct rb_root root = RB_ROOT;

	init_nodes();
	KT_ASSERT(check(&root, 0));
	for (int i = 0; i < NODES; i++) {
		insert(&nodes[i], &root);
		if (i % 97 == 0)
			KT_ASSERT(check(&root, i + 1));
	}
	KT_ASSERT(check(&root, NODES));
	/* Erase in a scrambled order. */
	for (int i = 0; i < NODES; i++) {
		int j = (int)((unsigned)(i * 389) % NODES);

		rb_erase(&nodes[j].rb, &root);
		if (i % 89 == 0)
			KT_ASSERT(check(&root, NODES - i - 1));
	}
	KT_ASSERT(RB_EMPTY_ROOT(&root));
}

static void test_random_mix(void)
{
	struct rb_root root = RB_ROOT;
	bool in[NODES] = { false };
	int nr = 0;

	init_nodes();
	for (int step = 0; step < 20000; step++) {
		int i = (int)(rnd() % NODES);

		if (in[i]) {
			rb_erase(&nodes[i].rb, &root);
			nr--;
		} else {
			insert(&nodes[i], &root);
			nr++;
		}
		in[i] = !in[i];
		if (step % 1000 == 0)
			KT_ASSERT(check(&root, nr));
	}
	KT_ASSERT(check(&root, nr));
}

static void test_augmented(void)
{
	struct rb_root root = RB_ROOT;

	init_nodes();
	for (int i = 0; i < NODES; i++) {
		insert_augmented(&nodes[i], &root);
		if (i % 50 == 0)
			KT_ASSERT(check_augmented(&root, i + 1));
	}
	KT_ASSERT(check_augmented(&root, NODES));
	for (int i = 0; i < NODES; i++) {
		erase_augmented(&nodes[i], &root);
		if (i % 50 == 0)
			KT_ASSERT(check_augmented(&root, NODES - i - 1));
	}
	KT_ASSERT(RB_EMPTY_ROOT(&root));
}

static void test_postorder_and_replace(void)
{
	struct rb_root root = RB_ROOT;
	struct test_node *pos, *n, spare;
	int count = 0;

	init_nodes();
	for (int i = 0; i < 100; i++) {
		nodes[i].key = (uint32_t)i * 10;
		insert(&nodes[i], &root);
	}
	/* Postorder: each node comes after both of its children. */
	rbtree_postorder_for_each_entry_safe(pos, n, &root, rb) {
		pos->val = 1;
		if (pos->rb.rb_left)
			KT_ASSERT(rb_entry(pos->rb.rb_left, struct test_node, rb)->val == 1);
		if (pos->rb.rb_right)
			KT_ASSERT(rb_entry(pos->rb.rb_right, struct test_node, rb)->val == 1);
		count++;
	}
	KT_EQ(count, 100);
	spare = nodes[50];
	rb_replace_node(&nodes[50].rb, &spare.rb, &root);
	KT_ASSERT(check(&root, 100));
	KT_ASSERT(rb_next(&nodes[49].rb) == &spare.rb);
	KT_ASSERT(rb_prev(&nodes[51].rb) == &spare.rb);
}

static void test_cached(void)
{
	struct rb_root_cached root = RB_ROOT_CACHED;

	for (int i = 0; i < 10; i++) {
		struct rb_node **link = &root.rb_root.rb_node, *parent = NULL;
		bool leftmost = true;

		nodes[i].key = (uint32_t)(100 - i * 7 % 13);
		while (*link) {
			parent = *link;
			if (nodes[i].key < rb_entry(parent, struct test_node, rb)->key) {
				link = &parent->rb_left;
			} else {
				link = &parent->rb_right;
				leftmost = false;
			}
		}
		rb_link_node(&nodes[i].rb, parent, link);
		rb_insert_color_cached(&nodes[i].rb, &root, leftmost);
		KT_ASSERT(rb_first_cached(&root) == rb_first(&root.rb_root));
	}
	for (int i = 0; i < 10; i++) {
		rb_erase_cached(&nodes[i].rb, &root);
		KT_ASSERT(rb_first_cached(&root) == rb_first(&root.rb_root));
	}
}

int main(void)
{
	KT_RUN(test_insert_erase);
	KT_RUN(test_random_mix);
	KT_RUN(test_augmented);
	KT_RUN(test_postorder_and_replace);
	KT_RUN(test_cached);
	return kt_done();
}
