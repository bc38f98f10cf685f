// SPDX-License-Identifier: GPL-2.0
/*
 * lib/xarray.c - the XArray of <mmsim/xarray.h>: Linux's lib/xarray.c
 * (with CONFIG_XARRAY_MULTI), the ideas and the API, not the code.  The
 * normal API, multi-index stores, xa_alloc, splitting and the invariant
 * checker xa_is_valid are in lib/xarray_multi.c; both share
 * lib/xarray_internal.h.
 *
 * Design.  A radix tree of 64-slot nodes (XA_CHUNK_SHIFT 6).  xa_head is
 * NULL, the entry at index 0 (an array whose only entry is at 0 has no
 * node), or a node.  A node of shift s holds in slot i the subtree (or
 * entry) for indices whose bits [s, s+6) equal i; leaves have shift 0.
 * The tree is only as tall as its largest index needs: a write beyond it
 * adds levels at the top (xas_expand), and a write that leaves the root
 * with a single entry in slot 0 drops levels (xas_shrink).  A node with no
 * entries left is freed at once, and its slot in the parent emptied
 * (xas_delete_node).
 *
 * Multi-index entries.  An entry of order n covers the aligned range of
 * 2^n indices.  It lives in the node of shift s = n - n % 6: its first
 * slot c (c aligned to 2^(n % 6)) holds the entry, the next 2^(n % 6) - 1
 * slots hold sibling entries xa_mk_sibling(c); a load of any index in the
 * range follows the sibling to slot c.  Marks of a multi-index entry are
 * kept on slot c only.
 *
 * Marks.  Each node has one 64-bit bitmap per mark (XA_MARK_0..2).  For a
 * slot holding an entry, the bit is the entry's mark; for a slot holding a
 * node, the bit says "some entry below is marked"; xa_flags' mark bits are
 * the same for the head.  So xas_find_marked skips an unmarked subtree in
 * one test and is O(log n) per result.  An array made with
 * XA_FLAGS_TRACK_FREE (XA_FLAGS_ALLOC) uses XA_MARK_0 as XA_FREE_MARK,
 * set on free slots, which is how xa_alloc finds a free index.
 *
 * Entry encoding (Linux's): bit 0 set: value entry; bits 1:0 == 10:
 * internal -- sibling (0..62), retry (256), zero (257), node (> 4096: the
 * node's address | 2), errors (-MAX_ERRNO..-1).  Pointers are 4-aligned.
 *
 * Locking.  Writers hold xa->xa_lock (xas_store, the mark setters and
 * xas_split assert it).  mmsim has no RCU: a node is freed as soon as a
 * write drops it, so readers hold xa_lock too, or a lock that excludes
 * every writer (docs/design.md, docs/xarray.md); no reader sees a
 * half-made node.
 *
 * Memory.  Nodes come from the host's malloc (like lib/maple_tree.c), so
 * an XArray works with no simulated machine.  A write that cannot get a
 * node leaves the array as it was (nodes it already added are pruned) and
 * reports -ENOMEM in the xa_state; xas_nomem() then allocates one node
 * into xas->xa_alloc and the caller retries (the xa_* calls do this
 * loop).  xa_fail_node_allocs(n) makes the next n allocations fail.
 *
 * Invariants (xa_is_valid, lib/xarray_multi.c), for every node N:
 *   N->count == |{ slots != NULL }|,  1 <= N->count  (no empty node);
 *   N->nr_values == |{ slots whose entry (after siblings) is a value }|;
 *   child->parent == N, child->offset == slot, child->shift == N->shift - 6,
 *   child->array == xa, and a leaf (shift 0) holds no node;
 *   for every mark m and slot i holding a node C:
 *     bit(N, i, m) == (C has any bit m set)   (the summaries);
 *   XA_FREE_MARK of a tracking array: every NULL slot has it;
 *   any other mark: NULL and sibling slots do not have it;
 *   a sibling in slot i names c < i, slots c+1..i are siblings of c, and
 *     each run is a power of two aligned to its length;
 *   the root is shrunk: not (count == 1 && slot 0 holds a node, or an entry
 *     in a leaf); root marks == any bit in the root node.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "xarray_internal.h"

static unsigned int xa_fail_allocs;

void xa_fail_node_allocs(unsigned int n)
{
	__atomic_store_n(&xa_fail_allocs, n, __ATOMIC_RELAXED);
}

struct xa_node *xa_node_alloc(void)
{
	unsigned int n = __atomic_load_n(&xa_fail_allocs, __ATOMIC_RELAXED);
	struct xa_node *node;

	while (n) {
		if (__atomic_compare_exchange_n(&xa_fail_allocs, &n, n - 1, false,
						__ATOMIC_RELAXED, __ATOMIC_RELAXED))
			return NULL;
	}
	node = calloc(1, sizeof(*node));
	if (node)
		INIT_LIST_HEAD(&node->private_list);
	return node;
}

void xa_node_free(struct xa_node *node)
{
	/* A shadow node on workingset's list freed by a store without the
	 * update hook: take it off the list first (mm/workingset.c). */
	if (!list_empty(&node->private_list) && node->private_list.next)
		workingset_node_freed(node);
	free(node);
}

/* ---- walking ---- */

/* Where a walk starts: the head, or XAS_BOUNDS if the index is beyond it. */
static void *xas_start(struct xa_state *xas)
{
	void *entry;

	if (xas_valid(xas))
		return xas_reload(xas);
	if (xas_error(xas))
		return NULL;

	entry = xa_head(xas->xa);
	if (!xa_is_node(entry)) {
		if (xas->xa_index)
			return set_bounds(xas);
	} else {
		if ((xas->xa_index >> xa_to_node(entry)->shift) > XA_CHUNK_MASK)
			return set_bounds(xas);
	}
	xas->xa_node = NULL;
	return entry;
}

void *xas_descend(struct xa_state *xas, struct xa_node *node)
{
	unsigned int offset = get_offset(xas->xa_index, node);
	void *entry = node->slots[offset];

	xas->xa_node = node;
	if (xa_is_sibling(entry)) {
		offset = xa_to_sibling(entry);
		entry = node->slots[offset];
	}
	xas->xa_offset = offset;
	return entry;
}

/**
 * xas_load - the entry at xas's index
 * @xas: the state; on return xa_node/xa_offset say where the entry is
 *
 * Walks down to the node of the state's level (xa_shift); stops early on a
 * multi-index entry (the slot of its first index) or a hole.
 * Context: xa_lock or a lock excluding writers.
 * Return: the entry, possibly a zero or value entry, or NULL.
 */
void *xas_load(struct xa_state *xas)
{
	void *entry = xas_start(xas);

	while (xa_is_node(entry)) {
		struct xa_node *node = xa_to_node(entry);

		if (xas->xa_shift > node->shift)
			break;
		entry = xas_descend(xas, node);
		if (node->shift == 0)
			break;
	}
	return entry;
}

/**
 * xas_reload - the entry at the state's slot again, without a walk
 * Return: the entry (a sibling followed to its first slot).
 */
void *xas_reload(struct xa_state *xas)
{
	struct xa_node *node = xas->xa_node;
	unsigned int offset;
	void *entry;

	if (!node)
		return xa_head(xas->xa);
	offset = xas->xa_offset;
	entry = node->slots[offset];
	if (xa_is_sibling(entry))
		entry = node->slots[xa_to_sibling(entry)];
	return entry;
}

/* ---- nodes: allocation, growth, shrinking ---- */

static void xas_update(struct xa_state *xas, struct xa_node *node)
{
	if (xas->xa_update)
		xas->xa_update(node);
}

/* A node for the state's position; NULL (state untouched) if none. */
static struct xa_node *xas_alloc(struct xa_state *xas, unsigned int shift)
{
	struct xa_node *parent = xas->xa_node;
	struct xa_node *node = xas->xa_alloc;

	if (node) {
		xas->xa_alloc = node->parent;
		memset(node, 0, sizeof(*node));
		INIT_LIST_HEAD(&node->private_list);
	} else {
		node = xa_node_alloc();
		if (!node)
			return NULL;
	}
	if (parent) {
		node->offset = xas->xa_offset;
		parent->count++;
		xas_update(xas, parent);
	}
	node->shift = shift;
	node->parent = parent;
	node->array = xas->xa;
	return node;
}

/* The largest index the state's range reaches (one more at index 0). */
static unsigned long xas_max(const struct xa_state *xas)
{
	unsigned long max = xas->xa_index;

	if (xas->xa_shift || xas->xa_sibs) {
		unsigned long mask = xas_size(xas) - 1;

		max |= mask;
		if (mask == max)
			max++;
	}
	return max;
}

/*
 * Drop levels while the root holds one entry in slot 0 that can move up.
 * The state no longer points into the tree afterwards (XAS_BOUNDS).
 */
void xas_shrink(struct xa_state *xas)
{
	struct xarray *xa = xas->xa;
	struct xa_node *node;

	if (!xa_is_node(xa->xa_head))
		return;
	node = xa_to_node(xa->xa_head);
	for (;;) {
		void *entry;

		if (node->count != 1)
			break;
		entry = node->slots[0];
		if (!entry)
			break;
		if (!xa_is_node(entry) && node->shift)
			break;
		if (xa_is_zero(entry) && xa_zero_busy(xa))
			entry = NULL;
		xas->xa_node = XAS_BOUNDS;
		xa->xa_head = entry;
		if (xa_track_free(xa) && !node_get_mark(node, 0, XA_FREE_MARK))
			xa_mark_clear(xa, XA_FREE_MARK);
		node->count = 0;
		node->nr_values = 0;
		xas_update(xas, node);
		xa_node_free(node);
		if (!xa_is_node(entry))
			break;
		node = xa_to_node(entry);
		node->parent = NULL;
	}
}

/*
 * Free empty nodes from @node upward (what a failed xas_create had added),
 * then shrink the root (levels a failed xas_expand had added).
 */
static void xas_prune(struct xa_state *xas, struct xa_node *node)
{
	while (node && !xas_not_node(node) && !node->count) {
		struct xa_node *parent = node->parent;

		if (parent) {
			parent->slots[node->offset] = NULL;
			parent->count--;
		} else {
			xas->xa->xa_head = NULL;
		}
		xa_node_free(node);
		node = parent;
	}
	xas_shrink(xas);
}

/* Add levels on top until the state's range fits; the new root's shift + 6. */
static int xas_expand(struct xa_state *xas, void *head)
{
	struct xarray *xa = xas->xa;
	struct xa_node *node = NULL;
	unsigned int shift = 0;
	unsigned long max = xas_max(xas);

	if (!head) {
		if (max == 0)
			return 0;
		while ((max >> shift) >= XA_CHUNK_SIZE)
			shift += XA_CHUNK_SHIFT;
		return shift + XA_CHUNK_SHIFT;
	} else if (xa_is_node(head)) {
		node = xa_to_node(head);
		shift = node->shift + XA_CHUNK_SHIFT;
	}
	xas->xa_node = NULL;

	while (max > max_index(head)) {
		xa_mark_t mark = 0;

		node = xas_alloc(xas, shift);
		if (!node)
			return -ENOMEM;
		node->count = 1;
		if (xa_is_value(head))
			node->nr_values = 1;
		node->slots[0] = head;
		/* The old root's summary marks become slot 0's. */
		for (;;) {
			if (xa_track_free(xa) && mark == XA_FREE_MARK) {
				node_mark_all(node, XA_FREE_MARK);
				if (!xa_marked(xa, XA_FREE_MARK)) {
					node_clear_mark(node, 0, XA_FREE_MARK);
					xa_mark_set(xa, XA_FREE_MARK);
				}
			} else if (xa_marked(xa, mark)) {
				node_set_mark(node, 0, mark);
			}
			if (mark == XA_MARK_MAX)
				break;
			mark_inc(mark);
		}
		if (xa_is_node(head)) {
			xa_to_node(head)->offset = 0;
			xa_to_node(head)->parent = node;
		}
		head = xa_mk_node(node);
		xa->xa_head = head;
		xas_update(xas, node);
		shift += XA_CHUNK_SHIFT;
	}
	xas->xa_node = node;
	return shift;
}

/*
 * Make the slot for the state's range exist (nodes down to its level) and
 * return what is in it.  @allow_root: an entry at index 0 may be the head.
 * On -ENOMEM the tree is as it was and the state holds the error.
 */
void *xas_create(struct xa_state *xas, bool allow_root)
{
	struct xarray *xa = xas->xa;
	void *entry;
	void **slot;
	struct xa_node *node = xas->xa_node;
	int shift;
	unsigned int order = xas->xa_shift;

	if (xas_top(node)) {
		entry = xa_head(xa);
		xas->xa_node = NULL;
		if (!entry && xa_zero_busy(xa))
			entry = XA_ZERO_ENTRY;
		shift = xas_expand(xas, entry);
		if (shift < 0)
			goto nomem;
		if (!shift && !allow_root)
			shift = XA_CHUNK_SHIFT;
		entry = xa_head(xa);
		slot = &xa->xa_head;
	} else if (xas_error(xas)) {
		return NULL;
	} else if (node) {
		unsigned int offset = xas->xa_offset;

		shift = node->shift;
		entry = node->slots[offset];
		slot = &node->slots[offset];
	} else {
		shift = 0;
		entry = xa_head(xa);
		slot = &xa->xa_head;
	}

	while (shift > (int)order) {
		shift -= XA_CHUNK_SHIFT;
		if (!entry) {
			node = xas_alloc(xas, shift);
			if (!node)
				goto nomem;
			if (xa_track_free(xa))
				node_mark_all(node, XA_FREE_MARK);
			*slot = xa_mk_node(node);
		} else if (xa_is_node(entry)) {
			node = xa_to_node(entry);
		} else {
			break;
		}
		entry = xas_descend(xas, node);
		slot = &node->slots[xas->xa_offset];
	}
	return entry;

nomem:
	xas_prune(xas, xas->xa_node);
	xas_set_err(xas, -ENOMEM);
	return NULL;
}

/* Free a subtree a store has just unlinked. */
static void xas_free_nodes(struct xa_state *xas, struct xa_node *top)
{
	unsigned int i;

	for (i = 0; i < XA_CHUNK_SIZE; i++) {
		void *entry = top->slots[i];

		if (xa_is_node(entry) && top->shift)
			xas_free_nodes(xas, xa_to_node(entry));
	}
	top->count = 0;
	top->nr_values = 0;
	xas_update(xas, top);
	xa_node_free(top);
}

/* A node whose count fell to 0 goes, and so may its ancestors; then shrink. */
static void xas_delete_node(struct xa_state *xas)
{
	struct xa_node *node = xas->xa_node;

	for (;;) {
		struct xa_node *parent;

		if (node->count)
			break;
		parent = node->parent;
		xas->xa_node = parent;
		xas->xa_offset = node->offset;
		xa_node_free(node);
		if (!parent) {
			xas->xa->xa_head = NULL;
			xas->xa_node = XAS_BOUNDS;
			return;
		}
		parent->slots[xas->xa_offset] = NULL;
		parent->count--;
		node = parent;
		xas_update(xas, node);
	}
	if (!node->parent)
		xas_shrink(xas);
}

static void update_node(struct xa_state *xas, struct xa_node *node, int count, int values)
{
	if (!node || (!count && !values))
		return;
	node->count += count;
	node->nr_values += values;
	xas_update(xas, node);
	if (count < 0)
		xas_delete_node(xas);
}

/* A multi-index store's range: any marked slot marks the first, the rest cleared. */
static void xas_squash_marks(const struct xa_state *xas)
{
	unsigned int first = xas->xa_offset, sibs = xas->xa_sibs;
	unsigned long range = ((sibs + 1UL == XA_CHUNK_SIZE) ? ~0UL :
			       ((1UL << (sibs + 1)) - 1)) << first;
	xa_mark_t mark;

	for (mark = 0; mark <= XA_MARK_MAX; mark++) {
		unsigned long *bits = &xas->xa_node->marks[mark][0];

		if (*bits & range & ~(1UL << first)) {
			*bits &= ~range;
			*bits |= 1UL << first;
		}
	}
}

/* The first entry in a subtree (what a store over the subtree returns). */
static void *xa_first_entry(struct xa_node *node)
{
	unsigned int i;

	for (i = 0; i < XA_CHUNK_SIZE; i++) {
		void *entry = node->slots[i];

		if (!entry)
			continue;
		if (xa_is_node(entry) && node->shift)
			return xa_first_entry(xa_to_node(entry));
		return entry;
	}
	return NULL;
}

/**
 * xas_store - store @entry at the state's index (or its whole range)
 * @xas: the state: index, and order from xas_set_order/XA_STATE_ORDER
 * @entry: the new entry; NULL erases
 *
 * A multi-index store replaces everything in its range (freeing nodes under
 * it).  Storing NULL clears the entry's marks and deletes emptied nodes.
 * On -ENOMEM (see xas_nomem) nothing changed.
 * Context: xa_lock held.
 * Return: the entry that was there (for a range: the first entry in it), or NULL.
 */
void *xas_store(struct xa_state *xas, void *entry)
{
	struct xa_node *node;
	void **slot = &xas->xa->xa_head;
	unsigned int offset, max;
	int count = 0, values = 0;
	void *first, *next, *ret;
	bool value = xa_is_value(entry);

	lockdep_assert_held(&xas->xa->xa_lock);
	if (entry) {
		bool allow_root = !xa_is_node(entry) && !xa_is_zero(entry);

		first = xas_create(xas, allow_root);
	} else {
		first = xas_load(xas);
	}

	if (xas_invalid(xas))
		return first;
	node = xas->xa_node;
	if (node && xas->xa_shift < node->shift)
		xas->xa_sibs = 0;
	if (first == entry && !xas->xa_sibs)
		return first;

	ret = xa_is_node(first) ? xa_first_entry(xa_to_node(first)) : first;
	next = first;
	offset = xas->xa_offset;
	max = xas->xa_offset + xas->xa_sibs;
	if (node) {
		slot = &node->slots[offset];
		if (xas->xa_sibs)
			xas_squash_marks(xas);
		/* Storing into a bigger multi-index entry replaces all of it. */
		while (entry && max < XA_CHUNK_MASK && xa_is_sibling(node->slots[max + 1]) &&
		       xa_to_sibling(node->slots[max + 1]) == offset)
			max++;
	}
	if (!entry)
		xas_init_marks(xas);

	for (;;) {
		*slot = entry;
		/* Every slot an erase frees is free (the first's mark went up already). */
		if (!entry && node && xa_track_free(xas->xa))
			node_set_mark(node, offset, XA_FREE_MARK);
		if (xa_is_node(next) && (!node || node->shift))
			xas_free_nodes(xas, xa_to_node(next));
		if (!node)
			break;
		count += !next - !entry;
		values += !xa_is_value(first) - !value;
		if (entry) {
			if (offset == max)
				break;
			if (!xa_is_sibling(entry))
				entry = xa_mk_sibling(xas->xa_offset);
		} else {
			if (offset == XA_CHUNK_MASK)
				break;
		}
		next = node->slots[++offset];
		if (!xa_is_sibling(next)) {
			if (!entry && offset > max)
				break;
			first = next;
		}
		slot++;
	}

	update_node(xas, node, count, values);
	return ret;
}

/* ---- marks ---- */

/** xas_get_mark - is the entry at the state's slot marked? */
bool xas_get_mark(const struct xa_state *xas, xa_mark_t mark)
{
	if (xas_invalid(xas))
		return false;
	if (!xas->xa_node)
		return xa_marked(xas->xa, mark);
	return node_get_mark(xas->xa_node, xas->xa_offset, mark);
}

/** xas_set_mark - mark the entry at the state's slot, and its ancestors' slots. Context: xa_lock. */
void xas_set_mark(const struct xa_state *xas, xa_mark_t mark)
{
	struct xa_node *node = xas->xa_node;
	unsigned int offset = xas->xa_offset;

	if (xas_invalid(xas))
		return;
	lockdep_assert_held(&xas->xa->xa_lock);
	while (node) {
		if (node_set_mark(node, offset, mark))
			return;
		offset = node->offset;
		node = node->parent;
	}
	xa_mark_set(xas->xa, mark);
}

/** xas_clear_mark - unmark the entry; ancestors lose the bit when nothing under them has it. */
void xas_clear_mark(const struct xa_state *xas, xa_mark_t mark)
{
	struct xa_node *node = xas->xa_node;
	unsigned int offset = xas->xa_offset;

	if (xas_invalid(xas))
		return;
	lockdep_assert_held(&xas->xa->xa_lock);
	while (node) {
		if (!node_clear_mark(node, offset, mark))
			return;
		if (node_any_mark(node, mark))
			return;
		offset = node->offset;
		node = node->parent;
	}
	xa_mark_clear(xas->xa, mark);
}

/** xas_init_marks - the marks of a fresh slot: none (XA_FREE_MARK set if tracking). */
void xas_init_marks(const struct xa_state *xas)
{
	xa_mark_t mark;

	for (mark = 0; mark <= XA_MARK_MAX; mark++) {
		if (xa_track_free(xas->xa) && mark == XA_FREE_MARK)
			xas_set_mark(xas, mark);
		else
			xas_clear_mark(xas, mark);
	}
}

/* ---- iteration ---- */

/**
 * xas_pause - let the caller drop the lock in a walk
 *
 * Moves the state past the current entry (all of a multi-index entry) and
 * makes the next xas_find/xas_find_marked walk again from the top.
 */
void xas_pause(struct xa_state *xas)
{
	struct xa_node *node = xas->xa_node;

	if (xas_invalid(xas))
		return;
	xas->xa_node = XAS_RESTART;
	if (node) {
		unsigned long offset = xas->xa_offset;

		while (++offset < XA_CHUNK_SIZE) {
			if (!xa_is_sibling(node->slots[offset]))
				break;
		}
		xas->xa_index &= ~0UL << node->shift;
		xas->xa_index += (offset - xas->xa_offset) << node->shift;
		if (xas->xa_index == 0)
			xas->xa_node = XAS_BOUNDS;
	} else {
		xas->xa_index++;
	}
}

/**
 * xas_find - the next present entry at or below @max
 *
 * From a fresh state (xas_set), the entry at the index if any, else the
 * first after it; from a state on an entry, the first after it.  Siblings
 * are skipped; zero entries are returned (xas_retry skips them).
 * Return: the entry (xa_index is its first index, or the start index if
 * the entry covers it), or NULL with the state at XAS_BOUNDS.
 */
void *xas_find(struct xa_state *xas, unsigned long max)
{
	void *entry;

	if (xas_error(xas) || xas->xa_node == XAS_BOUNDS)
		return NULL;
	if (xas->xa_index > max)
		return set_bounds(xas);

	if (!xas->xa_node) {
		xas->xa_index = 1;
		return set_bounds(xas);
	} else if (xas->xa_node == XAS_RESTART) {
		entry = xas_load(xas);
		if (entry || xas_not_node(xas->xa_node))
			return entry;
	} else if (!xas->xa_node->shift &&
		   xas->xa_offset != (xas->xa_index & XA_CHUNK_MASK)) {
		xas->xa_offset = ((xas->xa_index - 1) & XA_CHUNK_MASK) + 1;
	}

	xas_next_offset(xas);

	while (xas->xa_node && xas->xa_index <= max) {
		if (unlikely(xas->xa_offset == XA_CHUNK_SIZE)) {
			xas->xa_offset = xas->xa_node->offset + 1;
			xas->xa_node = xas->xa_node->parent;
			continue;
		}
		entry = xas->xa_node->slots[xas->xa_offset];
		if (xa_is_node(entry)) {
			xas->xa_node = xa_to_node(entry);
			xas->xa_offset = 0;
			continue;
		}
		if (entry && !xa_is_sibling(entry))
			return entry;
		xas_next_offset(xas);
	}

	if (!xas->xa_node)
		xas->xa_node = XAS_BOUNDS;
	return NULL;
}

/* First set bit of @mark in the state's node at or after @start; 64 if none. */
static unsigned int xas_find_chunk(const struct xa_state *xas, unsigned int start,
				   xa_mark_t mark)
{
	unsigned long bits = xas->xa_node->marks[mark][0];

	if (start >= XA_CHUNK_SIZE)
		return XA_CHUNK_SIZE;
	bits &= ~0UL << start;
	return bits ? (unsigned int)__builtin_ctzl(bits) : XA_CHUNK_SIZE;
}

/**
 * xas_find_marked - the next entry with @mark set, at or below @max
 *
 * Like xas_find, but descends only into subtrees whose summary bit is set:
 * O(log n) per entry found.  With XA_FREE_MARK on a tracking array it
 * finds free slots (returning NULL with the state on the slot).
 * Return: the entry, or NULL: the state then is at XAS_RESTART if the next
 * marked entry is beyond @max, XAS_BOUNDS if there is none.
 */
void *xas_find_marked(struct xa_state *xas, unsigned long max, xa_mark_t mark)
{
	bool advance = true;
	unsigned int offset;
	void *entry;

	if (xas_error(xas))
		return NULL;
	if (xas->xa_index > max)
		goto max;

	if (!xas->xa_node) {
		xas->xa_index = 1;
		goto out;
	} else if (xas_top(xas->xa_node)) {
		advance = false;
		entry = xa_head(xas->xa);
		xas->xa_node = NULL;
		if (xas->xa_index > max_index(entry))
			goto out;
		if (!xa_is_node(entry)) {
			if (xa_marked(xas->xa, mark))
				return entry;
			xas->xa_index = 1;
			goto out;
		}
		xas->xa_node = xa_to_node(entry);
		xas->xa_offset = xas->xa_index >> xas->xa_node->shift;
	}

	while (xas->xa_index <= max) {
		struct xa_node *node = xas->xa_node;

		if (unlikely(xas->xa_offset == XA_CHUNK_SIZE)) {
			xas->xa_offset = node->offset + 1;
			xas->xa_node = node->parent;
			if (!xas->xa_node)
				break;
			advance = false;
			continue;
		}

		if (!advance) {
			/* Starting inside a multi-index entry: its first slot's mark. */
			entry = node->slots[xas->xa_offset];
			if (xa_is_sibling(entry)) {
				unsigned int first = xa_to_sibling(entry);

				if (node_get_mark(node, first, mark))
					return node->slots[first];
			}
		}

		offset = xas_find_chunk(xas, xas->xa_offset + advance, mark);
		if (offset != xas->xa_offset) {
			xas->xa_offset = offset;
			xas_move_index(xas, offset);
			/* Past max, or wrapped past the end of the index space. */
			if (xas->xa_index - 1 >= max)
				goto max;
			if (offset == XA_CHUNK_SIZE) {
				advance = false;
				continue;
			}
		}
		advance = false;

		entry = node->slots[xas->xa_offset];
		if (!xa_is_node(entry))
			return entry;
		xas->xa_node = xa_to_node(entry);
		xas_set_offset(xas);
	}

out:
	if (xas->xa_index > max)
		goto max;
	return set_bounds(xas);
max:
	xas->xa_node = XAS_RESTART;
	return NULL;
}

/**
 * xas_find_conflict - the entries in the state's range, one per call
 *
 * For a multi-index store: call until it returns NULL (xas_for_each_conflict);
 * each call returns the next non-NULL entry inside [index, index + size),
 * with the state on it (so xas_get_order gives its order, as
 * __filemap_add_folio asks).  The state's index and order do not change;
 * where to resume is kept in xa_lru (xa_pad == 1 while a walk is under way).
 * At the end the state is reset, ready for xas_store.
 * Context: xa_lock.
 */
void *xas_find_conflict(struct xa_state *xas)
{
	unsigned long last = xas->xa_index + xas_size(xas) - 1;
	bool resume = xas->xa_pad == 1 && xas_valid(xas);
	unsigned long next = resume ? (unsigned long)xas->xa_lru : xas->xa_index;
	XA_STATE(tmp, xas->xa, next);
	void *entry;
	int order;

	if (xas_error(xas))
		return NULL;
	if (resume && (next == 0 || next > last))
		goto done;
	entry = xas_find(&tmp, last);
	if (!entry)
		goto done;
	order = xas_get_order(&tmp);
	xas->xa_pad = 1;
	xas->xa_node = tmp.xa_node;
	xas->xa_offset = tmp.xa_offset;
	if (order >= (int)BITS_PER_LONG)
		xas->xa_lru = (void *)0UL;
	else
		xas->xa_lru = (void *)((tmp.xa_index | ((1UL << order) - 1)) + 1);
	return entry;
done:
	xas->xa_pad = 0;
	xas->xa_lru = NULL;
	xas->xa_node = XAS_RESTART;
	return NULL;
}

/**
 * xas_next - move to the next index and return its entry (possibly NULL)
 *
 * Sibling entries are returned as they are (the caller of a multi-index
 * entry skips them with xas_advance).  Past ULONG_MAX: XAS_BOUNDS.
 */
void *xas_next(struct xa_state *xas)
{
	struct xa_node *node = xas->xa_node;
	void *entry;

	if (!xas_not_node(node) && !node->shift && xas->xa_offset != XA_CHUNK_MASK) {
		xas->xa_index++;
		xas->xa_offset++;
		return node->slots[xas->xa_offset];
	}
	if (!xas_frozen(xas->xa_node))
		xas->xa_index++;
	if (!xas->xa_node)
		return set_bounds(xas);
	if (xas_top(xas->xa_node))
		return xas_load(xas);
	if (xas->xa_offset != get_offset(xas->xa_index, xas->xa_node))
		xas->xa_offset++;
	while (xas->xa_offset == XA_CHUNK_SIZE) {
		xas->xa_offset = xas->xa_node->offset + 1;
		xas->xa_node = xas->xa_node->parent;
		if (!xas->xa_node)
			return set_bounds(xas);
	}
	for (;;) {
		entry = xas->xa_node->slots[xas->xa_offset];
		if (!xa_is_node(entry))
			return entry;
		xas->xa_node = xa_to_node(entry);
		xas_set_offset(xas);
	}
}

/** xas_prev - move to the previous index and return its entry (possibly NULL). */
void *xas_prev(struct xa_state *xas)
{
	struct xa_node *node = xas->xa_node;
	void *entry;

	if (!xas_not_node(node) && !node->shift && xas->xa_offset != 0) {
		xas->xa_index--;
		xas->xa_offset--;
		return node->slots[xas->xa_offset];
	}
	if (!xas_frozen(xas->xa_node))
		xas->xa_index--;
	if (!xas->xa_node)
		return set_bounds(xas);
	if (xas_top(xas->xa_node))
		return xas_load(xas);
	if (xas->xa_offset != get_offset(xas->xa_index, xas->xa_node))
		xas->xa_offset--;
	while (xas->xa_offset == 255) {
		xas->xa_offset = xas->xa_node->offset - 1;
		xas->xa_node = xas->xa_node->parent;
		if (!xas->xa_node)
			return set_bounds(xas);
	}
	for (;;) {
		entry = xas->xa_node->slots[xas->xa_offset];
		if (!xa_is_node(entry))
			return entry;
		xas->xa_node = xa_to_node(entry);
		xas_set_offset(xas);
	}
}

/* ---- memory ---- */

/**
 * xas_nomem - after -ENOMEM, allocate a node and say "retry"
 * Return: true if the caller should retry the operation; false otherwise
 * (the state's spare nodes are then freed).
 */
bool xas_nomem(struct xa_state *xas, gfp_t gfp)
{
	struct xa_node *node;

	if (xas->xa_node != XA_ERROR(-ENOMEM)) {
		xas_destroy(xas);
		return false;
	}
	node = xa_node_alloc();
	if (!node)
		return false;
	node->parent = xas->xa_alloc;
	xas->xa_alloc = node;
	xas->xa_node = XAS_RESTART;
	return true;
}

/** xas_destroy - free the state's unused preallocated nodes. */
void xas_destroy(struct xa_state *xas)
{
	struct xa_node *node = xas->xa_alloc;

	while (node) {
		struct xa_node *next = node->parent;

		xa_node_free(node);
		node = next;
	}
	xas->xa_alloc = NULL;
}
