/* SPDX-License-Identifier: GPL-2.0 */
/*
 * maple_tree.h - a B-tree of non-overlapping ranges [index, last] -> entry
 * (Linux's include/linux/maple_tree.h, the subset mm uses).  The VMA tree
 * of every mm_struct is one.  Implementation: lib/maple_tree.c (the gap
 * search and mt_validate in lib/maple_tree_gap.c); design and invariants
 * are stated there.
 *
 * Entries are non-NULL pointers with the two low bits clear (NULL means
 * "no entry": storing NULL over a range erases it).  Ranges are inclusive;
 * an empty slot between two entries is a gap that mas_empty_area*() find.
 *
 * Locking: writers serialize on the caller's lock (mm's mmap_lock for the
 * VMA tree, or mt->ma_lock through mtree_* calls, which take it); readers
 * hold the same lock for reading -- mmsim's readers are not lock-free
 * (docs/design.md says why).  Allocation failures return -ENOMEM and leave
 * the tree unchanged.
 */
#ifndef MMSIM_MAPLE_TREE_H
#define MMSIM_MAPLE_TREE_H

#include <mmsim/types.h>
#include <mmsim/spinlock.h>

#define MT_FLAGS_ALLOC_RANGE	0x01	/* track gaps (for mas_empty_area*) */
#define MT_FLAGS_USE_RCU	0x02	/* accepted; readers still need the lock */
#define MT_FLAGS_LOCK_EXTERN	0x04	/* the caller's lock, not ma_lock */
#define MM_MT_FLAGS		(MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN | MT_FLAGS_USE_RCU)

struct maple_node;

struct maple_tree {
	spinlock_t ma_lock;
	unsigned int ma_flags;
	void *ma_root;			/* a maple_node, or NULL when empty */
	unsigned long ma_nr;		/* entries (ranges) stored */
	unsigned long ma_seq;		/* implementation's: bumped by every write */
	struct maple_node *ma_cache;	/* implementation's: spare nodes, for writers */
	unsigned int ma_cache_nr;
};

/*
 * The cursor of the advanced API.  @index/@last: after a search, the range
 * of the entry found (or of the gap, for mas_empty_area*).  The other
 * fields are the implementation's (a path cache so that mas_next/mas_prev
 * are O(1) amortized); callers only use mas_set*() to move it.
 */
struct ma_state {
	struct maple_tree *tree;
	unsigned long index;
	unsigned long last;
	struct maple_node *node;	/* the leaf the cursor is in, or NULL */
	unsigned char offset;		/* slot in node */
	unsigned char status;		/* implementation's (start, active, none, ...) */
	unsigned long min, max;		/* the node's range */
	/* implementation's, zero in MA_STATE()/VMA_ITERATOR(): */
	unsigned long seq;		/* mt->ma_seq when node/offset were found */
	struct maple_node *alloc;	/* preallocated nodes (mas_preallocate) */
	unsigned int nr_alloc;
};

#define MA_STATE(name, mt, first, end)					\
	struct ma_state name = { .tree = (mt), .index = (first), .last = (end), \
				 .node = NULL, .offset = 0, .status = 0, .min = 0, .max = ~0UL }

/* --- the simple API (takes mt->ma_lock unless MT_FLAGS_LOCK_EXTERN) --- */
void mt_init_flags(struct maple_tree *mt, unsigned int flags);
static inline void mt_init(struct maple_tree *mt) { mt_init_flags(mt, 0); }
void mtree_destroy(struct maple_tree *mt);		/* frees the nodes, not the entries */
void __mt_destroy(struct maple_tree *mt);
void *mtree_load(struct maple_tree *mt, unsigned long index);
int mtree_store_range(struct maple_tree *mt, unsigned long first, unsigned long last,
		      void *entry, gfp_t gfp);
int mtree_store(struct maple_tree *mt, unsigned long index, void *entry, gfp_t gfp);
int mtree_insert_range(struct maple_tree *mt, unsigned long first, unsigned long last,
		       void *entry, gfp_t gfp);		/* -EEXIST if any slot is taken */
int mtree_insert(struct maple_tree *mt, unsigned long index, void *entry, gfp_t gfp);
void *mtree_erase(struct maple_tree *mt, unsigned long index);	/* the old entry */
/* First entry at or after *index, up to max; *index is set past its range. */
void *mt_find(struct maple_tree *mt, unsigned long *index, unsigned long max);
void *mt_find_after(struct maple_tree *mt, unsigned long *index, unsigned long max);
void *mt_next(struct maple_tree *mt, unsigned long index, unsigned long max);
void *mt_prev(struct maple_tree *mt, unsigned long index, unsigned long min);
static inline bool mtree_empty(const struct maple_tree *mt) { return mt->ma_root == NULL; }
/* Copy the tree's structure and entries into an empty @new (fork's bulk copy). */
int __mt_dup(struct maple_tree *mt, struct maple_tree *new, gfp_t gfp);

/* --- the advanced API (caller holds the lock) --- */
static inline void mas_set_range(struct ma_state *mas, unsigned long start, unsigned long last)
{
	mas->index = start;
	mas->last = last;
	mas->node = NULL;
	mas->status = 0;
}
static inline void mas_set(struct ma_state *mas, unsigned long index)
{
	mas_set_range(mas, index, index);
}
static inline void mas_reset(struct ma_state *mas)
{
	mas->node = NULL;
	mas->status = 0;
}
/* The entry containing mas->index (NULL in a gap); index/last = its range. */
void *mas_walk(struct ma_state *mas);
/* The entry at or after the cursor (the first call: at or after index), up to max. */
void *mas_find(struct ma_state *mas, unsigned long max);
/* The entry at or before the cursor (the first call: at or before index), down to min. */
void *mas_find_rev(struct ma_state *mas, unsigned long min);
/* The next/previous entry after/before the current range. */
void *mas_next(struct ma_state *mas, unsigned long max);
void *mas_prev(struct ma_state *mas, unsigned long min);
/* Store @entry over [index, last] (NULL erases). */
void *mas_store(struct ma_state *mas, void *entry);
int mas_store_gfp(struct ma_state *mas, void *entry, gfp_t gfp);
int mas_preallocate(struct ma_state *mas, void *entry, gfp_t gfp);	/* 0 or -ENOMEM */
void mas_store_prealloc(struct ma_state *mas, void *entry);
void mas_destroy(struct ma_state *mas);		/* frees unused preallocations */
void *mas_erase(struct ma_state *mas);
/*
 * Gaps (Linux's semantics): mas_empty_area finds the lowest empty range of
 * at least @size slots inside [min, max] and sets mas->index to its start,
 * mas->last = index + size - 1; mas_empty_area_rev finds the highest one
 * and sets mas->last to its end (clipped to max), mas->index = last -
 * size + 1.  0 on success, -EBUSY when there is none.
 */
int mas_empty_area(struct ma_state *mas, unsigned long min, unsigned long max,
		   unsigned long size);
int mas_empty_area_rev(struct ma_state *mas, unsigned long min, unsigned long max,
		       unsigned long size);

#define mas_for_each(mas, entry, max)					\
	while (((entry) = mas_find((mas), (max))) != NULL)
#define mt_for_each(tree, entry, index, max)				\
	for ((entry) = mt_find((tree), &(index), (max)); (entry);	\
	     (entry) = mt_find_after((tree), &(index), (max)))

/* Invariant checker: keys ordered, ranges disjoint, counts and gap
 * metadata right.  Returns true when valid, else logs the first problem. */
bool mt_validate(struct maple_tree *mt);

#endif
