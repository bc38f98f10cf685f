// SPDX-License-Identifier: GPL-2.0
/*
 * lib/xarray_multi.c - the XArray's normal API (the xa_* calls, each taking
 * xa_lock; __xa_* expect it held), multi-index entries (xa_store_range,
 * xa_get_order, xas_split), ID allocation (__xa_alloc, __xa_alloc_cyclic)
 * and the invariant checker xa_is_valid.  The tree itself, the walks and
 * the advanced API are lib/xarray.c, whose header states the design,
 * locking and invariants this file checks.
 *
 * The normal calls run the advanced ones in Linux's retry loop:
 *	do { ...xas_store(&xas, entry)... } while (xas_nomem(&xas, gfp));
 * under xa_lock (node memory is malloc, which needs no lock dropped).
 * xa_load and the finders take xa_lock too: call them without it held
 * (under it, use xas_load / xas_find).
 *
 * Differences from Linux: xa_store_range stores the range as aligned
 * power-of-two multi-index entries (Linux may use one entry with an odd
 * number of siblings); a load of any index in the range returns the entry
 * either way, but erasing one index erases only the aligned piece holding
 * it.  xas_split splits by at most one level (as Linux's xas_split_alloc
 * requires).  xas_create_range is left out: it makes empty leaf nodes,
 * which this tree never holds.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "xarray_internal.h"

/* ---- multi-index entries ---- */

/**
 * xas_get_order - the order of the entry the state is on (after xas_load)
 * Return: 0 for a single-index entry, n for one covering 2^n indices.
 */
int xas_get_order(struct xa_state *xas)
{
	struct xa_node *node = xas->xa_node;
	int order = 0;

	if (xas_not_node(node))
		return 0;
	for (;;) {
		unsigned int slot = xas->xa_offset + (1U << order);
		void *entry;

		if (slot >= XA_CHUNK_SIZE)
			break;
		entry = node->slots[slot];
		if (!xa_is_sibling(entry) || xa_to_sibling(entry) != xas->xa_offset)
			break;
		order++;
	}
	return order + node->shift;
}

/** xa_get_order - the order of the entry at @index; 0 if none. */
int xa_get_order(struct xarray *xa, unsigned long index)
{
	XA_STATE(xas, xa, index);
	int order = 0;

	xa_lock(xa);
	if (xas_load(&xas))
		order = xas_get_order(&xas);
	xa_unlock(xa);
	return order;
}

/* The largest aligned power-of-two block starting at @index inside [index, last]. */
static unsigned int range_order(unsigned long index, unsigned long last)
{
	unsigned int align = index ? (unsigned int)__builtin_ctzl(index) : BITS_PER_LONG - 1;
	unsigned long n = last - index;
	unsigned int len = n == ~0UL ? BITS_PER_LONG - 1 :
			   BITS_PER_LONG - 1 - (unsigned int)__builtin_clzl(n + 1);

	return min(min(align, len), BITS_PER_LONG - 1);
}

/**
 * xa_store_range - store @entry at every index in [first, last]
 * @entry: the entry (NULL erases the range)
 *
 * Stored as multi-index entries (see the file's header).
 * Return: NULL, or an xa_err (-EINVAL, -ENOMEM).
 */
void *xa_store_range(struct xarray *xa, unsigned long first, unsigned long last,
		     void *entry, gfp_t gfp)
{
	XA_STATE(xas, xa, 0);
	unsigned long index = first;

	if (xa_is_internal(entry) || last < first)
		return (void *)XA_ERROR(-EINVAL);
	xa_lock(xa);
	do {
		for (;;) {
			unsigned int order = range_order(index, last);

			xas_set_order(&xas, index, order);
			xas_store(&xas, entry);
			if (xas_error(&xas))
				break;
			if (last - index <= (1UL << order) - 1)
				break;
			index += 1UL << order;
		}
	} while (xas_nomem(&xas, gfp));
	xa_unlock(xa);
	return xas_result(&xas, NULL);
}

/**
 * xas_split_alloc - get the nodes xas_split will need
 * @xas: set (xas_set_order) to the new, smaller order at the entry's index
 * @entry: the entry the pieces will hold
 * @order: the current entry's order
 *
 * A split inside one node needs none; a split one level down needs a node
 * per slot of the old entry.  Two levels or more: -EINVAL.
 */
void xas_split_alloc(struct xa_state *xas, void *entry, unsigned int order, gfp_t gfp)
{
	unsigned int sibs = (1U << (order % XA_CHUNK_SHIFT)) - 1;

	if (xas->xa_shift + 2U * XA_CHUNK_SHIFT <= order) {
		xas_set_err(xas, -EINVAL);
		return;
	}
	if (xas->xa_shift + (unsigned int)XA_CHUNK_SHIFT > order)
		return;
	for (;;) {
		struct xa_node *node = xa_node_alloc();

		if (!node) {
			xas_destroy(xas);
			xas_set_err(xas, -ENOMEM);
			return;
		}
		node->parent = xas->xa_alloc;
		xas->xa_alloc = node;
		if (!sibs--)
			break;
	}
}

/**
 * xas_split - split the multi-index entry at the state into entries of the
 * state's order, each holding @entry and the old entry's marks
 * @order: the old entry's order
 *
 * Needs xas_split_alloc's nodes when the split goes a level down (it tries
 * malloc for any missing and sets -ENOMEM, changing nothing, if it fails).
 * Context: xa_lock held.
 */
void xas_split(struct xa_state *xas, void *entry, unsigned int order)
{
	unsigned int sibs = (1U << (order % XA_CHUNK_SHIFT)) - 1;
	unsigned int step = xas->xa_sibs + 1, first, i, j, marks = 0;
	void *curr = xas_load(xas);
	struct xa_node *node = xas->xa_node;
	xa_mark_t mark;
	int values;

	lockdep_assert_held(&xas->xa->xa_lock);
	if (xas_top(node) || xas_invalid(xas) || !curr)
		return;
	first = xas->xa_offset;
	for (mark = 0; mark <= XA_MARK_MAX; mark++)
		if (node_get_mark(node, first, mark))
			marks |= 1U << mark;

	if (xas->xa_shift < node->shift) {
		/* One level down: a full child node per old slot. */
		unsigned int have = 0;
		struct xa_node *n;

		for (n = xas->xa_alloc; n; n = n->parent)
			have++;
		while (have < sibs + 1) {
			n = xa_node_alloc();
			if (!n) {
				xas_set_err(xas, -ENOMEM);
				return;
			}
			n->parent = xas->xa_alloc;
			xas->xa_alloc = n;
			have++;
		}
		for (i = 0; i <= sibs; i++) {
			struct xa_node *child = xas->xa_alloc;

			xas->xa_alloc = child->parent;
			memset(child, 0, sizeof(*child));
			INIT_LIST_HEAD(&child->private_list);
			child->shift = node->shift - XA_CHUNK_SHIFT;
			child->offset = first + i;
			child->parent = node;
			child->array = xas->xa;
			child->count = XA_CHUNK_SIZE;
			child->nr_values = xa_is_value(entry) ? XA_CHUNK_SIZE : 0;
			for (j = 0; j < XA_CHUNK_SIZE; j++) {
				if (j % step) {
					child->slots[j] = xa_mk_sibling(j - j % step);
					continue;
				}
				child->slots[j] = entry;
				for (mark = 0; mark <= XA_MARK_MAX; mark++)
					if (marks & (1U << mark))
						node_set_mark(child, j, mark);
			}
			node->slots[first + i] = xa_mk_node(child);
			for (mark = 0; mark <= XA_MARK_MAX; mark++)
				if (marks & (1U << mark))
					node_set_mark(node, first + i, mark);
			if (xas->xa_update)
				xas->xa_update(child);
		}
		values = xa_is_value(curr) ? -(int)(sibs + 1) : 0;
	} else {
		/* The same node: rewrite the slots in runs of the new size. */
		for (i = 0; i <= sibs; i++) {
			unsigned int o = first + i;

			if (i % step) {
				node->slots[o] = xa_mk_sibling(o - i % step);
				continue;
			}
			node->slots[o] = entry;
			for (mark = 0; mark <= XA_MARK_MAX; mark++)
				if (marks & (1U << mark))
					node_set_mark(node, o, mark);
		}
		values = ((int)xa_is_value(entry) - (int)xa_is_value(curr)) * (int)(sibs + 1);
	}
	node->nr_values += values;
	if (xas->xa_update)
		xas->xa_update(node);
}

/* ---- the normal API ---- */

/** xa_load - the entry at @index (NULL if none or reserved). Context: takes xa_lock. */
void *xa_load(struct xarray *xa, unsigned long index)
{
	XA_STATE(xas, xa, index);
	void *entry;

	xa_lock(xa);
	entry = xa_zero_to_null(xas_load(&xas));
	xa_unlock(xa);
	return entry;
}

/**
 * __xa_store - store @entry at @index (xa_lock held)
 * On an allocating array, NULL reserves the index (a zero entry) instead.
 * Return: the old entry, or an xa_err (-EINVAL for an internal entry, -ENOMEM).
 */
void *__xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	XA_STATE(xas, xa, index);
	void *curr;

	if (xa_is_advanced(entry))
		return (void *)XA_ERROR(-EINVAL);
	if (xa_track_free(xa) && !entry)
		entry = XA_ZERO_ENTRY;
	do {
		curr = xas_store(&xas, entry);
		if (xa_track_free(xa))
			xas_clear_mark(&xas, XA_FREE_MARK);
	} while (xas_nomem(&xas, gfp));
	return xas_result(&xas, xa_zero_to_null(curr));
}

/** xa_store - __xa_store under xa_lock. */
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	void *curr;

	xa_lock(xa);
	curr = __xa_store(xa, index, entry, gfp);
	xa_unlock(xa);
	return curr;
}

/** __xa_erase - remove the entry at @index (all of a multi-index entry). Return: it. */
void *__xa_erase(struct xarray *xa, unsigned long index)
{
	XA_STATE(xas, xa, index);

	return xas_result(&xas, xa_zero_to_null(xas_store(&xas, NULL)));
}

void *xa_erase(struct xarray *xa, unsigned long index)
{
	void *entry;

	xa_lock(xa);
	entry = __xa_erase(xa, index);
	xa_unlock(xa);
	return entry;
}

/**
 * __xa_cmpxchg - store @entry at @index if what is there is @old
 * Return: what was there (a reserved slot reads NULL, but only
 * @old == XA_ZERO_ENTRY matches it), or an xa_err.
 */
void *__xa_cmpxchg(struct xarray *xa, unsigned long index, void *old, void *entry, gfp_t gfp)
{
	XA_STATE(xas, xa, index);
	void *curr;

	if (xa_is_advanced(entry))
		return (void *)XA_ERROR(-EINVAL);
	do {
		curr = xas_load(&xas);
		if (curr == old) {
			xas_store(&xas, entry);
			if (xa_track_free(xa) && entry && !curr)
				xas_clear_mark(&xas, XA_FREE_MARK);
		}
	} while (xas_nomem(&xas, gfp));
	return xas_result(&xas, xa_zero_to_null(curr));
}

void *xa_cmpxchg(struct xarray *xa, unsigned long index, void *old, void *entry, gfp_t gfp)
{
	void *curr;

	xa_lock(xa);
	curr = __xa_cmpxchg(xa, index, old, entry, gfp);
	xa_unlock(xa);
	return curr;
}

/**
 * __xa_insert - store @entry at @index only if nothing (not even a
 * reservation) is there; NULL reserves.
 * Return: 0, -EBUSY, -EINVAL or -ENOMEM.
 */
int __xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	XA_STATE(xas, xa, index);
	void *curr;

	if (xa_is_advanced(entry))
		return -EINVAL;
	if (!entry)
		entry = XA_ZERO_ENTRY;
	do {
		curr = xas_load(&xas);
		if (!curr) {
			xas_store(&xas, entry);
			if (xa_track_free(xa))
				xas_clear_mark(&xas, XA_FREE_MARK);
		} else {
			xas_set_err(&xas, -EBUSY);
		}
	} while (xas_nomem(&xas, gfp));
	return xas_error(&xas);
}

int xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp)
{
	int err;

	xa_lock(xa);
	err = __xa_insert(xa, index, entry, gfp);
	xa_unlock(xa);
	return err;
}

/* ---- finding ---- */

static void *xas_find_filter(struct xa_state *xas, unsigned long max, xa_mark_t filter)
{
	if (filter < XA_MAX_MARKS)
		return xas_find_marked(xas, max, filter);
	return xas_find(xas, max);
}

/**
 * xa_find - the first entry at or after *@indexp, at most @max, that is
 * present (XA_PRESENT) or has mark @filter; reserved entries are skipped.
 * Return: the entry, *@indexp set to where it was found; or NULL.
 */
void *xa_find(struct xarray *xa, unsigned long *indexp, unsigned long max, xa_mark_t filter)
{
	XA_STATE(xas, xa, *indexp);
	void *entry;

	xa_lock(xa);
	do {
		entry = xas_find_filter(&xas, max, filter);
	} while (xas_retry(&xas, entry));
	xa_unlock(xa);
	if (entry)
		*indexp = xas.xa_index;
	return entry;
}

/**
 * xa_find_after - like xa_find, strictly after the entry at *@indexp (after
 * all of it, if it is a multi-index entry).
 */
void *xa_find_after(struct xarray *xa, unsigned long *indexp, unsigned long max,
		    xa_mark_t filter)
{
	XA_STATE(xas, xa, *indexp + 1);
	XA_STATE(prev, xa, *indexp);
	void *entry;

	if (xas.xa_index == 0)
		return NULL;
	xa_lock(xa);
	if (xas_load(&prev)) {
		int order = xas_get_order(&prev);

		if (order) {
			unsigned long end = order >= (int)BITS_PER_LONG ? ~0UL :
					    *indexp | ((1UL << order) - 1);

			if (end == ~0UL) {
				xa_unlock(xa);
				return NULL;
			}
			xas_set(&xas, end + 1);
		}
	}
	do {
		entry = xas_find_filter(&xas, max, filter);
	} while (xas_retry(&xas, entry));
	xa_unlock(xa);
	if (entry)
		*indexp = xas.xa_index;
	return entry;
}

/**
 * xa_extract - copy up to @n entries in [start, max] (present or with mark
 * @filter) into @dst.  Return: how many were copied.
 */
unsigned int xa_extract(struct xarray *xa, void **dst, unsigned long start,
			unsigned long max, unsigned int n, xa_mark_t filter)
{
	XA_STATE(xas, xa, start);
	unsigned int i = 0;
	void *entry;

	if (!n)
		return 0;
	xa_lock(xa);
	for (entry = xas_find_filter(&xas, max, filter); entry;
	     entry = xas_find_filter(&xas, max, filter)) {
		if (xas_retry(&xas, entry))
			continue;
		dst[i++] = entry;
		if (i == n)
			break;
	}
	xa_unlock(xa);
	return i;
}

/* ---- marks ---- */

bool xa_get_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	XA_STATE(xas, xa, index);
	bool ret;

	xa_lock(xa);
	xas_load(&xas);
	ret = xas_get_mark(&xas, mark);
	xa_unlock(xa);
	return ret;
}

/** __xa_set_mark - mark the entry at @index (nothing if none).  Context: xa_lock. */
void __xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	XA_STATE(xas, xa, index);

	if (xas_load(&xas))
		xas_set_mark(&xas, mark);
}

void __xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	XA_STATE(xas, xa, index);

	if (xas_load(&xas))
		xas_clear_mark(&xas, mark);
}

void xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	xa_lock(xa);
	__xa_set_mark(xa, index, mark);
	xa_unlock(xa);
}

void xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark)
{
	xa_lock(xa);
	__xa_clear_mark(xa, index, mark);
	xa_unlock(xa);
}

/* ---- ID allocation ---- */

/**
 * __xa_alloc - store @entry at a free index in [limit.min, limit.max]
 * @id: the index chosen
 * Needs XA_FLAGS_ALLOC (XA_FLAGS_TRACK_FREE).  NULL reserves the index.
 * Return: 0, -EBUSY (no free index), -EINVAL or -ENOMEM.  Context: xa_lock.
 */
int __xa_alloc(struct xarray *xa, u32 *id, void *entry, struct xa_limit limit, gfp_t gfp)
{
	XA_STATE(xas, xa, 0);

	if (xa_is_advanced(entry) || !xa_track_free(xa))
		return -EINVAL;
	if (!entry)
		entry = XA_ZERO_ENTRY;
	do {
		xas.xa_index = limit.min;
		xas_find_marked(&xas, limit.max, XA_FREE_MARK);
		if (xas.xa_node == XAS_RESTART)
			xas_set_err(&xas, -EBUSY);
		else
			*id = (u32)xas.xa_index;
		xas_store(&xas, entry);
		xas_clear_mark(&xas, XA_FREE_MARK);
	} while (xas_nomem(&xas, gfp));
	return xas_error(&xas);
}

/**
 * __xa_alloc_cyclic - __xa_alloc from *@next upward, wrapping to limit.min
 * Return: 0, 1 if the search wrapped, or a negative errno.
 */
int __xa_alloc_cyclic(struct xarray *xa, u32 *id, void *entry, struct xa_limit limit,
		      u32 *next, gfp_t gfp)
{
	u32 min = limit.min;
	int ret;

	limit.min = max(min, *next);
	ret = __xa_alloc(xa, id, entry, limit, gfp);
	if ((xa->xa_flags & XA_FLAGS_ALLOC_WRAPPED) && ret == 0) {
		xa->xa_flags &= ~XA_FLAGS_ALLOC_WRAPPED;
		ret = 1;
	}
	if (ret < 0 && limit.min > min) {
		limit.min = min;
		ret = __xa_alloc(xa, id, entry, limit, gfp);
		if (ret == 0)
			ret = 1;
	}
	if (ret >= 0) {
		*next = *id + 1;
		if (*next == 0)
			xa->xa_flags |= XA_FLAGS_ALLOC_WRAPPED;
	}
	return ret;
}

/* ---- teardown ---- */

static void xa_free_subtree(struct xa_node *node)
{
	unsigned int i;

	for (i = 0; i < XA_CHUNK_SIZE; i++)
		if (node->shift && xa_is_node(node->slots[i]))
			xa_free_subtree(xa_to_node(node->slots[i]));
	xa_node_free(node);
}

/** xa_destroy - free every node; the array is empty (its entries are the caller's). */
void xa_destroy(struct xarray *xa)
{
	XA_STATE(xas, xa, 0);
	void *head;

	xa_lock(xa);
	head = xa->xa_head;
	xa->xa_head = NULL;
	xas.xa_node = NULL;
	xas_init_marks(&xas);
	if (xa_zero_busy(xa))
		xa_mark_clear(xa, XA_FREE_MARK);
	if (xa_is_node(head))
		xa_free_subtree(xa_to_node(head));
	xa_unlock(xa);
}

/* ---- the invariant checker ---- */

#define XA_BAD(...)						\
	do {							\
		fprintf(stderr, "xa_is_valid: " __VA_ARGS__);	\
		fputc('\n', stderr);				\
		return false;					\
	} while (0)

static bool xa_check_node(struct xarray *xa, struct xa_node *node, struct xa_node *parent,
			  unsigned int offset, unsigned int shift)
{
	unsigned int i, count = 0, values = 0;
	xa_mark_t mark;

	if (node->array != xa || node->parent != parent || node->shift != shift ||
	    (parent && node->offset != offset))
		XA_BAD("node %p: array/parent/offset/shift wrong (shift %u, want %u)",
		       (void *)node, node->shift, shift);
	for (i = 0; i < XA_CHUNK_SIZE; i++) {
		void *entry = node->slots[i];

		if (!entry)
			continue;
		count++;
		if (xa_is_sibling(entry)) {
			unsigned int c = xa_to_sibling(entry);
			void *canon;

			if (c >= i || (i - 1 != c && !(xa_is_sibling(node->slots[i - 1]) &&
						       xa_to_sibling(node->slots[i - 1]) == c)))
				XA_BAD("node %p slot %u: sibling of %u out of run", (void *)node, i, c);
			canon = node->slots[c];
			if (!canon || (xa_is_internal(canon) && !xa_is_zero(canon)))
				XA_BAD("node %p slot %u: sibling of a bad entry", (void *)node, i);
			values += xa_is_value(canon);
			continue;
		}
		if (xa_is_node(entry)) {
			struct xa_node *child = xa_to_node(entry);

			if (!shift)
				XA_BAD("leaf %p holds a node in slot %u", (void *)node, i);
			if (!xa_check_node(xa, child, node, i, shift - XA_CHUNK_SHIFT))
				return false;
			for (mark = 0; mark <= XA_MARK_MAX; mark++)
				if (node_get_mark(node, i, mark) != node_any_mark(child, mark))
					XA_BAD("node %p slot %u: mark %u summary wrong",
					       (void *)node, i, mark);
			continue;
		}
		if (xa_is_internal(entry) && !xa_is_zero(entry))
			XA_BAD("node %p slot %u: stray internal entry %p", (void *)node, i, entry);
		values += xa_is_value(entry);
		/* A multi-index run: a power of two, aligned. */
		{
			unsigned int run = 1;

			while (i + run < XA_CHUNK_SIZE && xa_is_sibling(node->slots[i + run]) &&
			       xa_to_sibling(node->slots[i + run]) == i)
				run++;
			if (run & (run - 1) || i % run)
				XA_BAD("node %p slot %u: multi-index run %u not aligned",
				       (void *)node, i, run);
		}
	}
	if (!count)
		XA_BAD("node %p is empty", (void *)node);
	if (node->count != count || node->nr_values != values)
		XA_BAD("node %p: count %u nr_values %u, counted %u %u", (void *)node,
		       node->count, node->nr_values, count, values);
	for (mark = 0; mark <= XA_MARK_MAX; mark++) {
		if (xa_track_free(xa) && mark == XA_FREE_MARK) {
			/* free slots are marked free (used ones, by the normal API, not) */
			for (i = 0; i < XA_CHUNK_SIZE; i++)
				if (!node->slots[i] && !node_get_mark(node, i, mark))
					XA_BAD("node %p slot %u: free slot not marked free",
					       (void *)node, i);
			continue;
		}
		for (i = 0; i < XA_CHUNK_SIZE; i++) {
			void *entry = node->slots[i];

			if ((!entry || xa_is_sibling(entry)) && node_get_mark(node, i, mark))
				XA_BAD("node %p slot %u: mark %u on a hole or sibling",
				       (void *)node, i, mark);
		}
	}
	return true;
}

/**
 * xa_is_valid - check the invariants of lib/xarray.c's header
 * Context: takes xa_lock.  Return: true, or false with the first problem
 * printed to stderr.
 */
bool xa_is_valid(struct xarray *xa)
{
	void *head;
	bool ok = true;

	xa_lock(xa);
	head = xa->xa_head;
	if (xa_is_node(head)) {
		struct xa_node *root = xa_to_node(head);
		void *slot0 = root->slots[0];
		xa_mark_t mark;

		if (root->shift % XA_CHUNK_SHIFT || root->shift >= BITS_PER_LONG) {
			fprintf(stderr, "xa_is_valid: root shift %u\n", root->shift);
			ok = false;
		} else {
			ok = xa_check_node(xa, root, NULL, 0, root->shift);
		}
		if (ok && root->count == 1 && slot0 && (xa_is_node(slot0) || !root->shift)) {
			fprintf(stderr, "xa_is_valid: root %p could shrink\n", (void *)root);
			ok = false;
		}
		for (mark = 0; ok && mark <= XA_MARK_MAX; mark++) {
			if (xa_marked(xa, mark) != node_any_mark(root, mark)) {
				fprintf(stderr, "xa_is_valid: root mark %u wrong\n", mark);
				ok = false;
			}
		}
	} else if (xa_is_internal(head) && !xa_is_zero(head)) {
		fprintf(stderr, "xa_is_valid: head %p\n", head);
		ok = false;
	}
	xa_unlock(xa);
	return ok;
}
