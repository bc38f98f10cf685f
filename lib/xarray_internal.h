/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lib/xarray_internal.h - what lib/xarray.c and lib/xarray_multi.c share:
 * node and mark helpers and the state-machine predicates (private).
 */
#ifndef MMSIM_LIB_XARRAY_INTERNAL_H
#define MMSIM_LIB_XARRAY_INTERNAL_H

#include <mmsim/xarray.h>

#define mark_inc(mark) ((mark) = (xa_mark_t)((unsigned int)(mark) + 1))

static inline bool xa_track_free(const struct xarray *xa)
{
	return xa->xa_flags & XA_FLAGS_TRACK_FREE;
}

static inline bool xa_zero_busy(const struct xarray *xa)
{
	return xa->xa_flags & XA_FLAGS_ZERO_BUSY;
}

static inline void xa_mark_set(struct xarray *xa, xa_mark_t mark)
{
	xa->xa_flags |= XA_FLAGS_MARK(mark);
}

static inline void xa_mark_clear(struct xarray *xa, xa_mark_t mark)
{
	xa->xa_flags &= ~XA_FLAGS_MARK(mark);
}

static inline struct xa_node *xa_to_node(const void *entry)
{
	return (struct xa_node *)((unsigned long)entry - 2);
}

static inline void *xa_mk_node(const struct xa_node *node)
{
	return (void *)((unsigned long)node | 2);
}

static inline void *xa_head(const struct xarray *xa)
{
	return xa->xa_head;
}

static inline void *xa_zero_to_null(void *entry)
{
	return xa_is_zero(entry) ? NULL : entry;
}

static inline bool node_get_mark(const struct xa_node *node, unsigned int offset,
				 xa_mark_t mark)
{
	return (node->marks[mark][0] >> offset) & 1;
}

/* Set the bit; return whether it was set already. */
static inline bool node_set_mark(struct xa_node *node, unsigned int offset, xa_mark_t mark)
{
	bool was = node_get_mark(node, offset, mark);

	node->marks[mark][0] |= 1UL << offset;
	return was;
}

/* Clear the bit; return whether it was set. */
static inline bool node_clear_mark(struct xa_node *node, unsigned int offset, xa_mark_t mark)
{
	bool was = node_get_mark(node, offset, mark);

	node->marks[mark][0] &= ~(1UL << offset);
	return was;
}

static inline bool node_any_mark(const struct xa_node *node, xa_mark_t mark)
{
	return node->marks[mark][0] != 0;
}

static inline void node_mark_all(struct xa_node *node, xa_mark_t mark)
{
	node->marks[mark][0] = ~0UL;
}

/* State predicates: XAS_BOUNDS and XAS_RESTART are "top"; errors are frozen. */
static inline bool xas_top(const struct xa_node *node)
{
	return node <= XAS_RESTART;
}

static inline bool xas_not_node(const struct xa_node *node)
{
	return ((unsigned long)node & 3) || !node;
}

static inline bool xas_frozen(const struct xa_node *node)
{
	return (unsigned long)node & 2;
}

static inline unsigned int get_offset(unsigned long index, const struct xa_node *node)
{
	return (index >> node->shift) & XA_CHUNK_MASK;
}

static inline void xas_set_offset(struct xa_state *xas)
{
	xas->xa_offset = get_offset(xas->xa_index, xas->xa_node);
}

/* Point the index at the start of slot @offset of the state's node (64: the next slot up). */
static inline void xas_move_index(struct xa_state *xas, unsigned long offset)
{
	unsigned int shift = xas->xa_node->shift;

	xas->xa_index &= ~(XA_CHUNK_MASK << shift) & ~((1UL << shift) - 1);
	xas->xa_index += offset << shift;
}

static inline void xas_next_offset(struct xa_state *xas)
{
	unsigned long offset = ++xas->xa_offset;

	xas_move_index(xas, offset);
}

static inline void *set_bounds(struct xa_state *xas)
{
	xas->xa_node = XAS_BOUNDS;
	return NULL;
}

/* Indices the state's range covers (0 for the whole 2^64). */
static inline unsigned long xas_size(const struct xa_state *xas)
{
	return (xas->xa_sibs + 1UL) << xas->xa_shift;
}

/* The largest index a head of this kind can hold without growing. */
static inline unsigned long max_index(const void *entry)
{
	if (!xa_is_node(entry))
		return 0;
	return (XA_CHUNK_SIZE << xa_to_node(entry)->shift) - 1;
}

static inline void *xas_result(const struct xa_state *xas, void *curr)
{
	if (xas_error(xas))
		curr = xas->xa_node;
	return curr;
}

/* lib/xarray.c */
struct xa_node *xa_node_alloc(void);
void xa_node_free(struct xa_node *node);
void *xas_descend(struct xa_state *xas, struct xa_node *node);
void *xas_create(struct xa_state *xas, bool allow_root);
void xas_shrink(struct xa_state *xas);

#endif
