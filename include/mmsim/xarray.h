/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xarray.h - an array of pointers indexed by unsigned long (Linux's
 * include/linux/xarray.h, the subset the page cache, the swap cache and
 * workingset need).  Implementation and invariants: lib/xarray.c; a guide:
 * docs/xarray.md.
 *
 * Entries are pointers with the two low bits clear (4-byte aligned),
 * value entries (xa_mk_value: an integer up to LONG_MAX, bit 0 set: the
 * page cache's shadow entries) or XA_ZERO_ENTRY (a reserved slot: loads as
 * NULL through the normal API).  Internal entries (bits 1:0 == 10) are the
 * tree's own: node pointers, sibling entries of multi-index entries, the
 * retry entry and errors; they are never stored by users.
 *
 * Locking: every writer holds xa->xa_lock (the xa_* calls take it, the
 * xas_* calls expect it: xas_lock()).  Readers take xa_lock too or hold a
 * lock that excludes every writer of this array -- mmsim has no RCU, so a
 * node is freed as soon as a write drops it (docs/xarray.md).  The normal
 * API's readers (xa_load, xa_find*, xa_get_mark, xa_extract) take xa_lock
 * themselves: with it held, use xas_load/xas_find instead (the lock does
 * not nest).
 */
#ifndef MMSIM_XARRAY_H
#define MMSIM_XARRAY_H

#include <limits.h>
#include <mmsim/types.h>
#include <mmsim/err.h>
#include <mmsim/gfp.h>
#include <mmsim/list.h>
#include <mmsim/spinlock.h>

#ifndef BITS_PER_LONG
#define BITS_PER_LONG	((unsigned int)(8 * sizeof(long)))
#endif

/* Value entries: integers stored in the array (bit 0 set). */
static inline void *xa_mk_value(unsigned long v)
{
	return (void *)((v << 1) | 1);
}

static inline unsigned long xa_to_value(const void *entry)
{
	return (unsigned long)entry >> 1;
}

static inline bool xa_is_value(const void *entry)
{
	return (unsigned long)entry & 1;
}

/* Internal entries: bits 1:0 == 10. */
static inline void *xa_mk_internal(unsigned long v)
{
	return (void *)((v << 2) | 2);
}

static inline unsigned long xa_to_internal(const void *entry)
{
	return (unsigned long)entry >> 2;
}

static inline bool xa_is_internal(const void *entry)
{
	return ((unsigned long)entry & 3) == 2;
}

#define XA_ZERO_ENTRY	xa_mk_internal(257)	/* reserved: loads as NULL */
#define XA_RETRY_ENTRY	xa_mk_internal(256)	/* a reader must walk again */

static inline bool xa_is_zero(const void *entry)
{
	return entry == XA_ZERO_ENTRY;
}

static inline bool xa_is_retry(const void *entry)
{
	return entry == XA_RETRY_ENTRY;
}

/* Errors: internal entries -MAX_ERRNO..-1. */
static inline bool xa_is_err(const void *entry)
{
	return xa_is_internal(entry) &&
	       (unsigned long)entry >= (unsigned long)xa_mk_internal(-MAX_ERRNO);
}

static inline int xa_err(void *entry)
{
	if (xa_is_err(entry))
		return (int)((long)entry >> 2);
	return 0;
}

/* Node pointers and multi-index sibling entries (the tree's own). */
#define XA_CHUNK_SHIFT		6
#define XA_CHUNK_SIZE		(1UL << XA_CHUNK_SHIFT)
#define XA_CHUNK_MASK		(XA_CHUNK_SIZE - 1)
#define XA_MAX_MARKS		3
#define XA_MARK_LONGS		1	/* 64 slots: one word per mark */

static inline bool xa_is_node(const void *entry)
{
	return xa_is_internal(entry) && (unsigned long)entry > 4096;
}

static inline void *xa_mk_sibling(unsigned int offset)
{
	return xa_mk_internal(offset);
}

static inline unsigned long xa_to_sibling(const void *entry)
{
	return xa_to_internal(entry);
}

static inline bool xa_is_sibling(const void *entry)
{
	return xa_is_internal(entry) &&
	       entry < xa_mk_sibling(XA_CHUNK_SIZE - 1);
}

/* Internal entries a user may not store (zero entries they may). */
static inline bool xa_is_advanced(const void *entry)
{
	return xa_is_internal(entry) && entry <= XA_RETRY_ENTRY;
}

/* Marks: three search bits per entry, kept per node and summarized up. */
typedef unsigned int xa_mark_t;
#define XA_MARK_0		((xa_mark_t)0U)
#define XA_MARK_1		((xa_mark_t)1U)
#define XA_MARK_2		((xa_mark_t)2U)
#define XA_PRESENT		((xa_mark_t)8U)	/* xa_find: any entry */
#define XA_MARK_MAX		XA_MARK_2
#define XA_FREE_MARK		XA_MARK_0	/* XA_FLAGS_TRACK_FREE: slot is free */

/* The page cache's names for the marks (include/linux/fs.h). */
#define PAGECACHE_TAG_DIRTY	XA_MARK_0
#define PAGECACHE_TAG_WRITEBACK	XA_MARK_1
#define PAGECACHE_TAG_TOWRITE	XA_MARK_2

/* xa_flags (Linux's bit values where gfp_t leaves them room). */
#define XA_FLAGS_LOCK_IRQ	((gfp_t)1U)	/* accepted: no interrupts here */
#define XA_FLAGS_LOCK_BH	((gfp_t)2U)	/* accepted */
#define XA_FLAGS_TRACK_FREE	((gfp_t)4U)	/* XA_FREE_MARK marks free slots */
#define XA_FLAGS_ZERO_BUSY	((gfp_t)8U)	/* index 0 is never allocated */
#define XA_FLAGS_ALLOC_WRAPPED	((gfp_t)16U)	/* xa_alloc_cyclic wrapped */
#define XA_FLAGS_ACCOUNT	((gfp_t)32U)	/* accepted */
#define XA_FLAGS_MARK_SHIFT	26		/* root marks: bits 26..28 */
#define XA_FLAGS_MARK(mark)	((gfp_t)(1U << XA_FLAGS_MARK_SHIFT) << (unsigned int)(mark))
#define XA_FLAGS_ALLOC		(XA_FLAGS_TRACK_FREE | XA_FLAGS_MARK(XA_FREE_MARK))
#define XA_FLAGS_ALLOC1		(XA_FLAGS_TRACK_FREE | XA_FLAGS_ZERO_BUSY)

/**
 * struct xarray - the array: a lock, flags and a root.
 * @xa_head: NULL (empty), the entry at index 0 (a one-entry array), or a node.
 */
struct xarray {
	spinlock_t xa_lock;		/* taken by every writer */
	gfp_t xa_flags;			/* XA_FLAGS_*, and the root's marks */
	void *xa_head;			/* entry or xa_mk_node(root node) */
};

#define XARRAY_INIT(name, flags) {					\
	.xa_lock = { 0 },						\
	.xa_flags = (flags),						\
	.xa_head = NULL,						\
}
#define DEFINE_XARRAY_FLAGS(name, flags) struct xarray name = XARRAY_INIT(name, flags)
#define DEFINE_XARRAY(name)		DEFINE_XARRAY_FLAGS(name, 0)
#define DEFINE_XARRAY_ALLOC(name)	DEFINE_XARRAY_FLAGS(name, XA_FLAGS_ALLOC)
#define DEFINE_XARRAY_ALLOC1(name)	DEFINE_XARRAY_FLAGS(name, XA_FLAGS_ALLOC1)

static inline void xa_init_flags(struct xarray *xa, gfp_t flags)
{
	spin_lock_init(&xa->xa_lock);
	xa->xa_flags = flags;
	xa->xa_head = NULL;
}

static inline void xa_init(struct xarray *xa)
{
	xa_init_flags(xa, 0);
}

static inline bool xa_empty(const struct xarray *xa)
{
	return xa->xa_head == NULL;
}

static inline bool xa_marked(const struct xarray *xa, xa_mark_t mark)
{
	return xa->xa_flags & XA_FLAGS_MARK(mark);
}

#define xa_lock(xa)		spin_lock(&(xa)->xa_lock)
#define xa_unlock(xa)		spin_unlock(&(xa)->xa_lock)
#define xa_lock_irq(xa)		xa_lock(xa)
#define xa_unlock_irq(xa)	xa_unlock(xa)
#define xa_lock_bh(xa)		xa_lock(xa)
#define xa_unlock_bh(xa)	xa_unlock(xa)
#define xa_lock_irqsave(xa, flags)	do { (void)(flags); xa_lock(xa); } while (0)
#define xa_unlock_irqrestore(xa, flags)	do { (void)(flags); xa_unlock(xa); } while (0)

/* An allocation range for xa_alloc: [min, max]. */
struct xa_limit {
	u32 max;
	u32 min;
};
#define XA_LIMIT(_min, _max)	((struct xa_limit) { .max = (_max), .min = (_min) })
#define xa_limit_32b		XA_LIMIT(0, UINT_MAX)
#define xa_limit_31b		XA_LIMIT(0, INT_MAX)
#define xa_limit_16b		XA_LIMIT(0, USHRT_MAX)

/**
 * struct xa_node - one level of the radix tree: 64 slots.
 * Invariants (xa_is_valid): count and nr_values as below; a mark bit of a
 * slot holding a node is set iff that node has any bit of the mark set.
 */
struct xa_node {
	unsigned char shift;		/* bits of the index below this node's slots */
	unsigned char offset;		/* this node's slot in its parent */
	unsigned char count;		/* non-NULL slots (siblings included) */
	unsigned char nr_values;	/* slots whose entry is a value entry */
	struct xa_node *parent;		/* NULL at the root */
	struct xarray *array;		/* the array this node is in */
	struct list_head private_list;	/* the user's (workingset's shadow nodes) */
	void *slots[XA_CHUNK_SIZE];
	unsigned long marks[XA_MAX_MARKS][XA_MARK_LONGS];
};

typedef void (*xa_update_node_t)(struct xa_node *node);
/* mm/workingset.c: a node on the shadow-node list is being freed. */
void workingset_node_freed(struct xa_node *node);

/*
 * struct xa_state - the advanced API's cursor: an index (or an aligned
 * range: xa_shift, xa_sibs) and where in the tree it was last found.
 * xa_node is a node, NULL (the head), XAS_RESTART (walk from the top),
 * XAS_BOUNDS (beyond the tree) or an error (xas_set_err).
 */
struct xa_state {
	struct xarray *xa;
	unsigned long xa_index;
	unsigned char xa_shift;		/* the range's level: a multiple of 6 */
	unsigned char xa_sibs;		/* slots after the first at that level */
	unsigned char xa_offset;	/* slot in xa_node */
	unsigned char xa_pad;		/* 1 while xas_find_conflict walks */
	struct xa_node *xa_node;
	struct xa_node *xa_alloc;	/* preallocated nodes (xas_nomem, xas_split_alloc) */
	xa_update_node_t xa_update;	/* called on each node a write changes */
	void *xa_lru;			/* Linux: a list_lru; here xas_find_conflict's resume index */
};

#define XAS_BOUNDS	((struct xa_node *)1UL)
#define XAS_RESTART	((struct xa_node *)3UL)
#define XA_ERROR(errno)	((struct xa_node *)(((unsigned long)(errno) << 2) | 2UL))

#define __XA_STATE(array, index, shift, sibs) {				\
	.xa = (array),							\
	.xa_index = (index),						\
	.xa_shift = (shift),						\
	.xa_sibs = (sibs),						\
	.xa_offset = 0,							\
	.xa_pad = 0,							\
	.xa_node = XAS_RESTART,						\
	.xa_alloc = NULL,						\
	.xa_update = NULL,						\
	.xa_lru = NULL,							\
}
#define XA_STATE(name, array, index)					\
	struct xa_state name = __XA_STATE(array, index, 0, 0)
#define XA_STATE_ORDER(name, array, index, order)			\
	struct xa_state name = __XA_STATE(array,			\
		((unsigned long)(index) >> (order)) << (order),		\
		(order) - ((order) % XA_CHUNK_SHIFT),			\
		(1U << ((order) % XA_CHUNK_SHIFT)) - 1)

#define xas_lock(xas)		xa_lock((xas)->xa)
#define xas_unlock(xas)		xa_unlock((xas)->xa)
#define xas_lock_irq(xas)	xa_lock((xas)->xa)
#define xas_unlock_irq(xas)	xa_unlock((xas)->xa)
#define xas_lock_irqsave(xas, flags)	xa_lock_irqsave((xas)->xa, flags)
#define xas_unlock_irqrestore(xas, flags) xa_unlock_irqrestore((xas)->xa, flags)

static inline int xas_error(const struct xa_state *xas)
{
	return xa_err(xas->xa_node);
}

static inline void xas_set_err(struct xa_state *xas, long err)
{
	xas->xa_node = XA_ERROR(err);
}

static inline bool xas_invalid(const struct xa_state *xas)
{
	return (unsigned long)xas->xa_node & 3;
}

static inline bool xas_valid(const struct xa_state *xas)
{
	return !xas_invalid(xas);
}

static inline bool xas_is_node(const struct xa_state *xas)
{
	return xas_valid(xas) && xas->xa_node;
}

static inline void xas_reset(struct xa_state *xas)
{
	xas->xa_node = XAS_RESTART;
}

/* True (and the state reset) if @entry says walk again; zero entries are skipped. */
static inline bool xas_retry(struct xa_state *xas, const void *entry)
{
	if (xa_is_zero(entry))
		return true;
	if (!xa_is_retry(entry))
		return false;
	xas_reset(xas);
	return true;
}

static inline void xas_set(struct xa_state *xas, unsigned long index)
{
	xas->xa_index = index;
	xas->xa_node = XAS_RESTART;
}

static inline void xas_set_order(struct xa_state *xas, unsigned long index,
				 unsigned int order)
{
	xas->xa_index = order < BITS_PER_LONG ? (index >> order) << order : 0;
	xas->xa_shift = order - (order % XA_CHUNK_SHIFT);
	xas->xa_sibs = (1U << (order % XA_CHUNK_SHIFT)) - 1;
	xas->xa_node = XAS_RESTART;
}

/* Move to @index inside the same node (after a multi-index entry). */
static inline void xas_advance(struct xa_state *xas, unsigned long index)
{
	unsigned char shift = xas_is_node(xas) ? xas->xa_node->shift : 0;

	xas->xa_index = index;
	xas->xa_offset = (index >> shift) & XA_CHUNK_MASK;
}

static inline void xas_set_update(struct xa_state *xas, xa_update_node_t update)
{
	xas->xa_update = update;
}

/* The advanced API (lib/xarray.c).  Callers hold xa_lock. */
void *xas_load(struct xa_state *xas);
void *xas_reload(struct xa_state *xas);
void *xas_store(struct xa_state *xas, void *entry);
void *xas_find(struct xa_state *xas, unsigned long max);
void *xas_find_marked(struct xa_state *xas, unsigned long max, xa_mark_t mark);
void *xas_find_conflict(struct xa_state *xas);
void *xas_next(struct xa_state *xas);
void *xas_prev(struct xa_state *xas);
bool xas_get_mark(const struct xa_state *xas, xa_mark_t mark);
void xas_set_mark(const struct xa_state *xas, xa_mark_t mark);
void xas_clear_mark(const struct xa_state *xas, xa_mark_t mark);
void xas_init_marks(const struct xa_state *xas);
void xas_pause(struct xa_state *xas);
bool xas_nomem(struct xa_state *xas, gfp_t gfp);
void xas_destroy(struct xa_state *xas);
int xas_get_order(struct xa_state *xas);
void xas_split_alloc(struct xa_state *xas, void *entry, unsigned int order, gfp_t gfp);
void xas_split(struct xa_state *xas, void *entry, unsigned int order);

#define xas_for_each(xas, entry, max)					\
	for (entry = xas_find(xas, max); entry; entry = xas_find(xas, max))
#define xas_for_each_marked(xas, entry, max, mark)			\
	for (entry = xas_find_marked(xas, max, mark); entry;		\
	     entry = xas_find_marked(xas, max, mark))
#define xas_for_each_conflict(xas, entry)				\
	while ((entry = xas_find_conflict(xas)))

/* The normal API: each call takes xa_lock itself (__xa_*: caller holds it). */
void *xa_load(struct xarray *xa, unsigned long index);
void *xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *__xa_store(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *xa_erase(struct xarray *xa, unsigned long index);
void *__xa_erase(struct xarray *xa, unsigned long index);
void *xa_cmpxchg(struct xarray *xa, unsigned long index, void *old, void *entry, gfp_t gfp);
void *__xa_cmpxchg(struct xarray *xa, unsigned long index, void *old, void *entry, gfp_t gfp);
int xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
int __xa_insert(struct xarray *xa, unsigned long index, void *entry, gfp_t gfp);
void *xa_store_range(struct xarray *xa, unsigned long first, unsigned long last,
		     void *entry, gfp_t gfp);
int xa_get_order(struct xarray *xa, unsigned long index);
void *xa_find(struct xarray *xa, unsigned long *index, unsigned long max, xa_mark_t filter);
void *xa_find_after(struct xarray *xa, unsigned long *index, unsigned long max,
		    xa_mark_t filter);
unsigned int xa_extract(struct xarray *xa, void **dst, unsigned long start,
			unsigned long max, unsigned int n, xa_mark_t filter);
bool xa_get_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
void xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
void xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
void __xa_set_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
void __xa_clear_mark(struct xarray *xa, unsigned long index, xa_mark_t mark);
int __xa_alloc(struct xarray *xa, u32 *id, void *entry, struct xa_limit limit, gfp_t gfp);
int __xa_alloc_cyclic(struct xarray *xa, u32 *id, void *entry, struct xa_limit limit,
		      u32 *next, gfp_t gfp);
void xa_destroy(struct xarray *xa);
bool xa_is_valid(struct xarray *xa);

/* Test hook: fail the next @n node allocations (failslab for the XArray). */
void xa_fail_node_allocs(unsigned int n);

static inline int xa_reserve(struct xarray *xa, unsigned long index, gfp_t gfp)
{
	return xa_err(xa_cmpxchg(xa, index, NULL, XA_ZERO_ENTRY, gfp));
}

static inline void xa_release(struct xarray *xa, unsigned long index)
{
	xa_cmpxchg(xa, index, XA_ZERO_ENTRY, NULL, 0);
}

static inline int xa_alloc(struct xarray *xa, u32 *id, void *entry,
			   struct xa_limit limit, gfp_t gfp)
{
	int err;

	xa_lock(xa);
	err = __xa_alloc(xa, id, entry, limit, gfp);
	xa_unlock(xa);
	return err;
}

static inline int xa_alloc_cyclic(struct xarray *xa, u32 *id, void *entry,
				  struct xa_limit limit, u32 *next, gfp_t gfp)
{
	int err;

	xa_lock(xa);
	err = __xa_alloc_cyclic(xa, id, entry, limit, next, gfp);
	xa_unlock(xa);
	return err;
}

#define xa_for_each_range(xa, index, entry, start, last)		\
	for (index = (start), entry = xa_find(xa, &index, last, XA_PRESENT); \
	     entry; entry = xa_find_after(xa, &index, last, XA_PRESENT))
#define xa_for_each_start(xa, index, entry, start)			\
	xa_for_each_range(xa, index, entry, start, ULONG_MAX)
#define xa_for_each(xa, index, entry)					\
	xa_for_each_start(xa, index, entry, 0)
#define xa_for_each_marked(xa, index, entry, filter)			\
	for (index = 0, entry = xa_find(xa, &index, ULONG_MAX, filter);	\
	     entry; entry = xa_find_after(xa, &index, ULONG_MAX, filter))

#endif
