// SPDX-License-Identifier: GPL-2.0
/*
 * lib/maple_tree.c - the maple tree of <mmsim/maple_tree.h>: a B-tree of
 * disjoint ranges [first, last] -> entry, after Linux's lib/maple_tree.c
 * (the ideas, not the code).
 *
 * Design.  Nodes of MT_SLOTS (16) slots, leaves and internal nodes, all
 * leaves at the same depth.  Every slot holds a range: in a leaf, an
 * entry's [first, last] and the entry; in an internal node, the range its
 * child's entries span ([first of its first entry, last of its last entry]:
 * last[] are the pivots) and the child.  Slots are sorted and disjoint, so
 * pivots strictly increase.  Unlike Linux, gaps are not stored as NULL
 * slots: a gap is the space between two consecutive ranges, and because a
 * child's range is exactly what its entries span, a gap is never split
 * between two nodes (Linux gets the same property by not letting a node
 * end in NULL).  Gap metadata: an internal node keeps, per child, gap[] =
 * the largest gap strictly inside that child; a node's own largest gap is
 * the largest of those and of the gaps between its slots.  It is kept for
 * every tree (MT_FLAGS_ALLOC_RANGE or not: it costs a few compares per
 * level), and makes mas_empty_area(_rev) O(log n) (lib/maple_tree_gap.c,
 * with mt_validate).  Each node knows its parent and its slot there.  A
 * search in a node is a branch-free binary search on last[].  Non-root
 * nodes hold MT_MIN..MT_SLOTS slots: a
 * store that overfills a node splits it (the split climbs, a new root
 * grows the tree), an erase that underfills one borrows from or merges
 * with a sibling (the merge climbs, a root with one child is dropped).
 *
 * Writes.  A store of [a, b] is planned with one walk.  If all it
 * overlaps is in one leaf, that leaf is rewritten in place and the cursor
 * is left on what was stored; if that makes one slot too many, the last
 * piece goes in by a split, too few, the leaf borrows or merges.  Otherwise
 * (a store across leaves, or one more than one slot too many): trim the entry overlapping a (and keep its tail if
 * it also covers past b), trim the entry overlapping b, delete the entries
 * inside [a, b] one by one (each rebalances), insert [a, b] (each insert
 * splits as needed).  Before touching the tree a write takes every node
 * the plan may need (height + 2 per insert; deletions need none) from the
 * ma_state's preallocation, the tree's spare nodes or malloc, so -ENOMEM
 * leaves the tree unchanged and mas_store_prealloc() cannot fail.
 *
 * The cursor (ma_state) is a position on a range of the partition of
 * [0, ULONG_MAX] into entries and gaps, with Linux's semantics (see
 * mas_find/mas_next/mas_prev below).  It caches the leaf and slot of the
 * entry it is on (or of the entry after the gap it is in), so mas_next and
 * mas_prev are O(1) amortized (a step inside a leaf is a few loads; a step
 * to the next leaf climbs to the first ancestor with a next child and
 * descends).  The cache is valid while
 * mas->seq == mt->ma_seq: every write bumps ma_seq, and a stale cursor
 * walks again from mas->index (Linux rewalks after finding a dead node).
 *
 * Memory: node memory is the host's (malloc/free), so the tree works with
 * no simulated machine entered (the tests use it standalone).  A node a
 * write drops goes to the tree's spare list (at most MT_CACHE_MAX, under
 * the writer's lock, freed by __mt_destroy) or back to malloc at once:
 * there are no lockless readers to wait for.  Nodes are registered with
 * kmemleak (min_count 0: scanned, never reported) while they live, since
 * they hold the tree's entries, such as an mm's VMAs.
 *
 * Locking: mtree_* and mt_* take mt->ma_lock unless the tree was made with
 * MT_FLAGS_LOCK_EXTERN (the VMA tree: the caller holds mmap_lock); mas_*
 * expect the caller to hold the writer's lock, readers included: mmsim
 * has no RCU, so readers are not lock-free (docs/design.md, "The VMA
 * tree").  MT_FLAGS_USE_RCU is accepted and changes nothing.
 *
 * Invariants (mt_validate): first <= last in every slot, slots strictly
 * increasing and disjoint, each child's range equal to its slot in the
 * parent and its parent pointer right, gap[] equal to the child's largest
 * inner gap, MT_MIN <= nr <= MT_SLOTS below the root (root: >= 1, an
 * internal root >= 2), all leaves at one depth, entries non-NULL and not
 * internal values (low bits 10), ma_nr == number of entries.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/kmemleak.h>
#include <mmsim/printk.h>
#include "maple_tree_internal.h"

static inline void mt_lock(struct maple_tree *mt)
{
	if (!(mt->ma_flags & MT_FLAGS_LOCK_EXTERN))
		spin_lock(&mt->ma_lock);
}

static inline void mt_unlock(struct maple_tree *mt)
{
	if (!(mt->ma_flags & MT_FLAGS_LOCK_EXTERN))
		spin_unlock(&mt->ma_lock);
}

/* --- node memory ---------------------------------------------------- */

/*
 * Spare nodes: each tree keeps up to MT_CACHE_MAX freed nodes for its next
 * writes (under the writer's lock), so that a write's worst-case
 * reservation is a few pointer moves, not mallocs.  __mt_destroy frees them.
 */
#define MT_CACHE_MAX	32

/*
 * Nodes are host memory, but they hold the tree's entries (an mm's VMAs,
 * which are slab objects): kmemleak must scan them, as Linux's maple nodes
 * are slab objects it scans.  Registered with min_count 0: always scanned,
 * never reported themselves (docs/kmemleak.md).
 */
static struct maple_node *mt_node_new(void)
{
	struct maple_node *n = aligned_alloc(64, sizeof(*n));

	if (n)
		kmemleak_alloc(n, sizeof(*n), 0, 0);
	return n;
}

static void mt_node_release(struct maple_node *n)
{
	kmemleak_free(n);
	free(n);
}

static void mt_node_free(struct maple_tree *mt, struct maple_node *n)
{
	if (mt->ma_cache_nr >= MT_CACHE_MAX) {
		mt_node_release(n);
		return;
	}
	n->parent = mt->ma_cache;
	mt->ma_cache = n;
	mt->ma_cache_nr++;
}

static struct maple_node *mt_node_alloc(struct maple_tree *mt)
{
	struct maple_node *n = mt->ma_cache;

	if (!n)
		return mt_node_new();
	mt->ma_cache = n->parent;
	mt->ma_cache_nr--;
	return n;
}

static struct maple_node *mas_node_get(struct ma_state *mas)
{
	struct maple_node *n = mas->alloc;

	if (n) {
		mas->alloc = n->parent;
		mas->nr_alloc--;
	} else {
		/* the reservation was short (a store other than the one planned) */
		n = mt_node_alloc(mas->tree);
		if (WARN_ON(!n))
			abort();
	}
	n->parent = NULL;
	n->nr = 0;
	return n;
}

static int mas_node_reserve(struct ma_state *mas, unsigned int need)
{
	while (mas->nr_alloc < need) {
		struct maple_node *n = mt_node_alloc(mas->tree);

		if (!n)
			return -ENOMEM;
		n->parent = mas->alloc;
		mas->alloc = n;
		mas->nr_alloc++;
	}
	return 0;
}

void mas_destroy(struct ma_state *mas)
{
	while (mas->alloc) {
		struct maple_node *n = mas->alloc;

		mas->alloc = n->parent;
		mt_node_free(mas->tree, n);
	}
	mas->nr_alloc = 0;
}

/* --- node summaries --------------------------------------------------- */

static inline int node_slot(const struct maple_node *n)
{
	return n->pslot;
}

static void node_set_child(struct maple_node *p, int i, struct maple_node *c)
{
	p->slot[i] = c;
	c->parent = p;
	c->pslot = (unsigned char)i;
	p->first[i] = c->first[0];
	p->last[i] = c->last[c->nr - 1];
	p->gap[i] = node_gap(c);
}

/* @n changed: carry its range and gap up as far as they change. */
static void node_update_up(struct maple_node *n)
{
	struct maple_node *p;

	while ((p = n->parent) != NULL) {
		int i = node_slot(n);
		unsigned long f = n->first[0], l = n->last[n->nr - 1], g = node_gap(n);

		if (p->first[i] == f && p->last[i] == l && p->gap[i] == g)
			return;
		p->first[i] = f;
		p->last[i] = l;
		p->gap[i] = g;
		n = p;
	}
}

/*
 * The first slot whose range ends at or after @x (n->nr if none): the
 * number of pivots below x, counted without branches over the whole node
 * (the loads are independent, so a cold node's cache lines come in
 * together, and there is nothing to mispredict).  Slots past nr hold
 * stale values and are masked out.
 */
static inline int node_lower(const struct maple_node *n, unsigned long x)
{
	int cnt = 0;

	for (int i = 0; i < MT_SLOTS; i++)
		cnt += (i < n->nr) & (n->last[i] < x);
	return cnt;
}

/*
 * Descend to the leaf slot of the first entry that ends at or after @x
 * (*poff == nr of the rightmost leaf if none); *plo is one past the end of
 * the entry before it (0 if none).  NULL for an empty tree.
 */
static struct maple_node *mt_seek(struct maple_tree *mt, unsigned long x, int *poff,
				  unsigned long *plo)
{
	struct maple_node *n = mt_root(mt);
	unsigned long lo = 0;
	int i;

	if (!n)
		return NULL;
	while (!n->leaf) {
		i = node_lower(n, x);
		if (i == n->nr)
			i--;
		if (i)
			lo = n->last[i - 1] + 1;
		n = mt_child(n, i);
	}
	i = node_lower(n, x);
	if (i)
		lo = n->last[i - 1] + 1;
	*poff = i;
	if (plo)
		*plo = lo;
	return n;
}

static int mt_height(struct maple_tree *mt)
{
	int h = 0;

	for (struct maple_node *n = mt_root(mt); n; n = n->leaf ? NULL : mt_child(n, 0))
		h++;
	return h;
}

/* The leaf position after/before (n, off); false at the end/start. */
static bool pos_next(struct maple_node **pn, int *poff)
{
	struct maple_node *n = *pn;

	if (*poff + 1 < n->nr) {
		(*poff)++;
		return true;
	}
	while (n->parent) {
		int i = node_slot(n);

		if (i + 1 < n->parent->nr) {
			n = mt_child(n->parent, i + 1);
			while (!n->leaf)
				n = mt_child(n, 0);
			*pn = n;
			*poff = 0;
			return true;
		}
		n = n->parent;
	}
	return false;
}

static bool pos_prev(struct maple_node **pn, int *poff)
{
	struct maple_node *n = *pn;

	if (*poff > 0) {
		(*poff)--;
		return true;
	}
	while (n->parent) {
		int i = node_slot(n);

		if (i > 0) {
			n = mt_child(n->parent, i - 1);
			while (!n->leaf)
				n = mt_child(n, n->nr - 1);
			*pn = n;
			*poff = n->nr - 1;
			return true;
		}
		n = n->parent;
	}
	return false;
}

/* --- structure changes ------------------------------------------------ */

static void node_put(struct maple_node *n, int i, unsigned long f, unsigned long l, void *s,
		     unsigned long g)
{
	n->first[i] = f;
	n->last[i] = l;
	n->slot[i] = s;
	n->gap[i] = g;
	if (!n->leaf) {
		((struct maple_node *)s)->parent = n;
		((struct maple_node *)s)->pslot = (unsigned char)i;
	}
}

/* Slots [si, si + cnt) of @src to [di, ...) of @dst (which may be @src). */
static void node_move(struct maple_node *dst, int di, struct maple_node *src, int si, int cnt)
{
	bool inner = !dst->leaf;

	/* a few words each: plain loops beat four memmove() calls */
	if (dst != src || di < si) {
		for (int i = 0; i < cnt; i++) {
			dst->first[di + i] = src->first[si + i];
			dst->last[di + i] = src->last[si + i];
			dst->slot[di + i] = src->slot[si + i];
			if (inner)
				dst->gap[di + i] = src->gap[si + i];
		}
	} else {
		for (int i = cnt - 1; i >= 0; i--) {
			dst->first[di + i] = src->first[si + i];
			dst->last[di + i] = src->last[si + i];
			dst->slot[di + i] = src->slot[si + i];
			if (inner)
				dst->gap[di + i] = src->gap[si + i];
		}
	}
	if (inner)
		for (int i = 0; i < cnt; i++) {
			mt_child(dst, di + i)->parent = dst;
			mt_child(dst, di + i)->pslot = (unsigned char)(di + i);
		}
}

/* Insert a slot at @pos of @n, splitting up the tree as needed. */
static void node_insert(struct ma_state *mas, struct maple_node *n, int pos, unsigned long f,
			unsigned long l, void *s, unsigned long g)
{
	struct maple_tree *mt = mas->tree;
	struct maple_node *r, *p;
	int left;

	if (n->nr < MT_SLOTS) {
		node_move(n, pos + 1, n, pos, n->nr - pos);
		node_put(n, pos, f, l, s, g);
		n->nr++;
		node_update_up(n);
		return;
	}
	/* split MT_SLOTS + 1 slots: the left keeps @left, the right the rest */
	r = mas_node_get(mas);
	r->leaf = n->leaf;
	left = (MT_SLOTS + 2) / 2;
	if (pos < left) {
		node_move(r, 0, n, left - 1, MT_SLOTS - left + 1);
		node_move(n, pos + 1, n, pos, left - 1 - pos);
		node_put(n, pos, f, l, s, g);
	} else {
		node_move(r, 0, n, left, pos - left);
		node_put(r, pos - left, f, l, s, g);
		node_move(r, pos - left + 1, n, pos, MT_SLOTS - pos);
	}
	n->nr = left;
	r->nr = MT_SLOTS + 1 - left;
	p = n->parent;
	if (!p) {
		p = mas_node_get(mas);
		p->leaf = false;
		p->nr = 2;
		node_set_child(p, 0, n);
		node_set_child(p, 1, r);
		mt->ma_root = p;
		return;
	}
	pos = node_slot(n);
	p->first[pos] = n->first[0];
	p->last[pos] = n->last[n->nr - 1];
	p->gap[pos] = node_gap(n);
	node_insert(mas, p, pos + 1, r->first[0], r->last[r->nr - 1], r, node_gap(r));
}

static void node_delete(struct maple_tree *mt, struct maple_node *n, int pos);

/*
 * @n (not the root) has fewer than MT_MIN slots (a leaf may have lost
 * several at once, down to none): take what it lacks from a sibling that
 * can spare it, else merge the two (fewer than 2 * MT_MIN slots fit).
 */
static void node_rebalance(struct maple_tree *mt, struct maple_node *n)
{
	struct maple_node *p = n->parent, *s;
	int i = node_slot(n), m = MT_MIN - n->nr;

	if (i > 0) {
		s = mt_child(p, i - 1);
		if (s->nr + n->nr >= 2 * MT_MIN) {	/* borrow s's last m */
			node_move(n, m, n, 0, n->nr);
			node_move(n, 0, s, s->nr - m, m);
			n->nr += m;
			s->nr -= m;
			node_set_child(p, i - 1, s);
			node_set_child(p, i, n);
			node_update_up(p);
			return;
		}
		node_move(s, s->nr, n, 0, n->nr);	/* merge n into s */
		s->nr += n->nr;
		mt_node_free(mt, n);
		node_set_child(p, i - 1, s);
		node_delete(mt, p, i);
		return;
	}
	s = mt_child(p, i + 1);
	if (s->nr + n->nr >= 2 * MT_MIN) {		/* borrow s's first m */
		node_move(n, n->nr, s, 0, m);
		node_move(s, 0, s, m, s->nr - m);
		n->nr += m;
		s->nr -= m;
		node_set_child(p, i, n);
		node_set_child(p, i + 1, s);
		node_update_up(p);
		return;
	}
	node_move(n, n->nr, s, 0, s->nr);		/* merge s into n */
	n->nr += s->nr;
	mt_node_free(mt, s);
	node_set_child(p, i, n);
	node_delete(mt, p, i + 1);
}

/* Remove slot @pos of @n (a child's node is the caller's to free). */
static void node_delete(struct maple_tree *mt, struct maple_node *n, int pos)
{
	node_move(n, pos, n, pos + 1, n->nr - pos - 1);
	n->nr--;
	if (!n->parent) {
		if (!n->nr) {
			mt_node_free(mt, n);
			mt->ma_root = NULL;
		} else if (!n->leaf && n->nr == 1) {
			mt->ma_root = mt_child(n, 0);
			mt_child(n, 0)->parent = NULL;
			mt_node_free(mt, n);
		}
		return;
	}
	if (n->nr < MT_MIN)
		node_rebalance(mt, n);
	else
		node_update_up(n);
}

/* --- the store -------------------------------------------------------- */

/*
 * A store planned: the leaf slot where [a, b] starts (the first entry
 * ending at or after a), whether the leaf alone can take it (all it
 * overlaps is in the leaf from @off on, and it ends with at most one slot
 * too many), and how many nodes it may need: deletions and trims allocate
 * nothing, each insert (the new entry; the tail of an entry split in two)
 * at most one node per level and a new root.
 */
struct mt_plan {
	struct maple_node *n;
	int off, k, ns;
	bool in_leaf;
	unsigned int need;
};

static void mt_plan(struct maple_tree *mt, unsigned long a, unsigned long b, void *entry,
		    struct mt_plan *p)
{
	struct maple_node *n;
	int i, off, nr, inserts;

	p->n = n = mt_seek(mt, a, &off, NULL);
	p->off = off;
	p->k = p->ns = 0;
	p->in_leaf = false;
	if (!n) {
		p->need = entry ? 1 : 0;
		return;
	}
	for (i = off; i < n->nr && n->first[i] <= b; i++)
		;
	p->k = i - off;
	p->ns = (entry != NULL) + (p->k && n->first[off] < a) + (p->k && n->last[i - 1] > b);
	nr = n->nr - p->k + p->ns;
	p->in_leaf = nr <= MT_SLOTS + 1;	/* one too many: the leaf splits */
	if (p->in_leaf && i == n->nr) {
		struct maple_node *nn = n;
		int no = n->nr - 1;

		if (pos_next(&nn, &no) && nn->first[no] <= b)
			p->in_leaf = false;	/* goes on into the next leaf */
	}
	if (p->in_leaf) {
		p->need = nr > MT_SLOTS ? mt_height(mt) + 1 : 0;
		return;
	}
	inserts = (entry != NULL) + (off < n->nr && n->first[off] < a && n->last[off] > b);
	p->need = inserts ? inserts * (mt_height(mt) + 2) : 0;
}

static void mt_insert_one(struct ma_state *mas, unsigned long a, unsigned long b, void *entry)
{
	struct maple_tree *mt = mas->tree;
	struct maple_node *n;
	int off;

	n = mt_seek(mt, a, &off, NULL);
	if (!n) {
		n = mas_node_get(mas);
		n->leaf = true;
		mt->ma_root = n;
		off = 0;
	}
	node_insert(mas, n, off, a, b, entry, 0);
	mt->ma_nr++;
}

/*
 * The store in one leaf: slots [off, off + k) give way to head, entry,
 * tail.  If the leaf overflows by one, the last piece goes in by
 * node_insert (a split); if it underflows, it borrows or merges.  Else the
 * cursor is left on what was stored: the entry, or the whole gap a NULL
 * store is part of (with the entry after it cached), as Linux leaves index
 * and last, and 1 is returned.
 */
static int mt_store_leaf(struct ma_state *mas, struct mt_plan *p, unsigned long a,
			 unsigned long b, void *entry)
{
	struct maple_tree *mt = mas->tree;
	struct maple_node *n = p->n, *nn;
	int off = p->off, k = p->k, np = 0, fit, no, pos;
	unsigned long pf[3], pl[3];
	void *pe[3];
	bool he = false, te = false;

	if (k && n->first[off] < a) {
		pf[np] = n->first[off];
		pl[np] = a - 1;
		pe[np++] = n->slot[off];
		he = true;
	}
	if (entry) {
		pf[np] = a;
		pl[np] = b;
		pe[np++] = entry;
	}
	if (k && n->last[off + k - 1] > b) {
		pf[np] = b + 1;
		pl[np] = n->last[off + k - 1];
		pe[np++] = n->slot[off + k - 1];
		te = true;
	}
	fit = n->nr - k + np > MT_SLOTS ? MT_SLOTS - (n->nr - k) : np;
	node_move(n, off + fit, n, off + k, n->nr - off - k);
	n->nr = n->nr - k + fit;
	for (int j = 0; j < fit; j++)
		node_put(n, off + j, pf[j], pl[j], pe[j], 0);
	mt->ma_nr = mt->ma_nr - k + np;
	if (fit < np) {			/* the plan allows one more: split */
		node_insert(mas, n, off + fit, pf[fit], pl[fit], pe[fit], 0);
		return 0;
	}
	mas->seq = mt->ma_seq;
	if (n == mt_root(mt) && !n->nr) {
		mt_node_free(mt, n);
		mt->ma_root = NULL;
		mas->node = NULL;
		mas->index = 0;
		mas->last = ULMAX;
		mas->status = ma_active | MAS_GAP;
		return 1;
	}
	if (n != mt_root(mt) && n->nr < MT_MIN) {
		node_rebalance(mt, n);
		return 0;
	}
	node_update_up(n);
	pos = off + he;
	mas->node = n;
	mas->offset = (unsigned char)pos;
	if (entry) {
		mas->index = a;
		mas->last = b;
		mas->status = ma_active;
		return 1;
	}
	mas->status = ma_active | MAS_GAP;
	mas->index = a;
	if (!he) {
		nn = n;
		no = 0;
		if (pos > 0)
			mas->index = n->last[pos - 1] + 1;
		else
			mas->index = pos_prev(&nn, &no) ? nn->last[no] + 1 : 0;
	}
	mas->last = b;
	if (!te && pos < n->nr) {
		mas->last = n->first[pos] - 1;
	} else if (!te) {
		nn = n;
		no = n->nr - 1;
		if (pos_next(&nn, &no)) {
			mas->node = nn;
			mas->offset = (unsigned char)no;
			mas->last = nn->first[no] - 1;
		} else {
			mas->last = ULMAX;	/* the cache: nr of the last leaf */
		}
	}
	return 1;
}

/* The general way: trim, delete what is inside [a, b], insert. */
static void mt_store_slow(struct ma_state *mas, struct mt_plan *p, unsigned long a,
			  unsigned long b, void *entry)
{
	struct maple_tree *mt = mas->tree;
	struct maple_node *n = p->n;
	int off = p->off;

	if (off < n->nr && n->first[off] < a) {
		unsigned long el = n->last[off];
		void *ee = n->slot[off];

		n->last[off] = a - 1;
		node_update_up(n);
		if (el > b)
			mt_insert_one(mas, b + 1, el, ee);
	}
	n = mt_seek(mt, b, &off, NULL);
	if (off < n->nr && n->first[off] <= b && n->last[off] > b && n->first[off] >= a) {
		n->first[off] = b + 1;
		node_update_up(n);
	}
	for (;;) {
		n = mt_seek(mt, a, &off, NULL);
		if (!n || off >= n->nr || n->first[off] > b)
			break;
		node_delete(mt, n, off);
		mt->ma_nr--;
	}
	if (entry)
		mt_insert_one(mas, a, b, entry);
}

/*
 * Store @entry over [a, b]: plan, take the nodes the plan may need (from
 * mas's preallocation, the tree's spares, or malloc: -ENOMEM before
 * anything changed), write.  *pold: the first entry overwritten.  Every
 * other cursor of the tree walks again after it.  1: @mas was placed on
 * what was stored (the leaf's way), 0: it was not.
 */
static int mt_store(struct ma_state *mas, unsigned long a, unsigned long b, void *entry,
		    void **pold)
{
	struct maple_tree *mt = mas->tree;
	struct mt_plan p;

	mt_plan(mt, a, b, entry, &p);
	if (mas_node_reserve(mas, p.need))
		return -ENOMEM;
	mt->ma_seq++;
	if (pold)
		*pold = (p.n && p.off < p.n->nr && p.n->first[p.off] <= b) ?
			p.n->slot[p.off] : NULL;
	if (!p.n) {
		if (entry)
			mt_insert_one(mas, a, b, entry);
	} else if (p.in_leaf) {
		return mt_store_leaf(mas, &p, a, b, entry);
	} else {
		mt_store_slow(mas, &p, a, b, entry);
	}
	return 0;
}

/* --- the simple API ----------------------------------------------------- */

void mt_init_flags(struct maple_tree *mt, unsigned int flags)
{
	spin_lock_init(&mt->ma_lock);
	mt->ma_flags = flags;
	mt->ma_root = NULL;
	mt->ma_nr = 0;
	mt->ma_seq = 0;
	mt->ma_cache = NULL;
	mt->ma_cache_nr = 0;
}

static void node_destroy(struct maple_node *n)
{
	if (!n->leaf)
		for (int i = 0; i < n->nr; i++)
			node_destroy(mt_child(n, i));
	mt_node_release(n);
}

void __mt_destroy(struct maple_tree *mt)
{
	if (mt_root(mt))
		node_destroy(mt_root(mt));
	while (mt->ma_cache) {
		struct maple_node *n = mt->ma_cache;

		mt->ma_cache = n->parent;
		mt_node_release(n);
	}
	mt->ma_cache_nr = 0;
	mt->ma_root = NULL;
	mt->ma_nr = 0;
	mt->ma_seq++;
}

void mtree_destroy(struct maple_tree *mt)
{
	mt_lock(mt);
	__mt_destroy(mt);
	mt_unlock(mt);
}

void *mtree_load(struct maple_tree *mt, unsigned long index)
{
	struct maple_node *n;
	void *entry = NULL;
	int off;

	mt_lock(mt);
	n = mt_seek(mt, index, &off, NULL);
	if (n && off < n->nr && n->first[off] <= index)
		entry = n->slot[off];
	mt_unlock(mt);
	return entry;
}

int mtree_store_range(struct maple_tree *mt, unsigned long first, unsigned long last,
		      void *entry, gfp_t gfp)
{
	MA_STATE(mas, mt, first, last);
	int ret;

	if (first > last || mt_entry_bad(entry))
		return -EINVAL;
	mt_lock(mt);
	ret = mas_store_gfp(&mas, entry, gfp);
	mt_unlock(mt);
	return ret;
}

int mtree_store(struct maple_tree *mt, unsigned long index, void *entry, gfp_t gfp)
{
	return mtree_store_range(mt, index, index, entry, gfp);
}

int mtree_insert_range(struct maple_tree *mt, unsigned long first, unsigned long last,
		       void *entry, gfp_t gfp)
{
	MA_STATE(mas, mt, first, last);
	struct maple_node *n;
	int off, ret;

	if (first > last || !entry || mt_entry_bad(entry))
		return -EINVAL;
	mt_lock(mt);
	n = mt_seek(mt, first, &off, NULL);
	if (n && off < n->nr && n->first[off] <= last)
		ret = -EEXIST;
	else
		ret = mas_store_gfp(&mas, entry, gfp);
	mt_unlock(mt);
	return ret;
}

int mtree_insert(struct maple_tree *mt, unsigned long index, void *entry, gfp_t gfp)
{
	return mtree_insert_range(mt, index, index, entry, gfp);
}

void *mtree_erase(struct maple_tree *mt, unsigned long index)
{
	MA_STATE(mas, mt, index, index);
	void *entry;

	mt_lock(mt);
	entry = mas_erase(&mas);
	mt_unlock(mt);
	return entry;
}

void *mt_find(struct maple_tree *mt, unsigned long *index, unsigned long max)
{
	MA_STATE(mas, mt, *index, *index);
	void *entry;

	if (*index > max)
		return NULL;
	mt_lock(mt);
	entry = mas_find(&mas, max);
	mt_unlock(mt);
	if (entry)
		*index = mas.last + 1;	/* 0 when it wrapped: mt_find_after stops */
	return entry;
}

void *mt_find_after(struct maple_tree *mt, unsigned long *index, unsigned long max)
{
	if (!*index)
		return NULL;
	return mt_find(mt, index, max);
}

void *mt_next(struct maple_tree *mt, unsigned long index, unsigned long max)
{
	MA_STATE(mas, mt, index, index);
	void *entry;

	mt_lock(mt);
	entry = mas_next(&mas, max);
	mt_unlock(mt);
	return entry;
}

void *mt_prev(struct maple_tree *mt, unsigned long index, unsigned long min)
{
	MA_STATE(mas, mt, index, index);
	void *entry;

	mt_lock(mt);
	entry = mas_prev(&mas, min);
	mt_unlock(mt);
	return entry;
}

static struct maple_node *node_dup(struct maple_node *src, struct maple_node *parent)
{
	struct maple_node *n = mt_node_new();

	if (!n)
		return NULL;
	memcpy(n, src, sizeof(*n));
	n->parent = parent;
	if (!n->leaf) {
		for (int i = 0; i < n->nr; i++) {
			n->slot[i] = node_dup(mt_child(src, i), n);
			if (!n->slot[i]) {
				n->nr = i;
				node_destroy(n);
				return NULL;
			}
		}
	}
	return n;
}

int __mt_dup(struct maple_tree *mt, struct maple_tree *new, gfp_t gfp)
{
	struct maple_node *root = NULL;

	(void)gfp;
	if (new->ma_root)
		return -EINVAL;
	if (mt_root(mt)) {
		root = node_dup(mt_root(mt), NULL);
		if (!root)
			return -ENOMEM;
	}
	new->ma_flags = mt->ma_flags;
	new->ma_root = root;
	new->ma_nr = mt->ma_nr;
	new->ma_seq++;
	return 0;
}

/* --- the cursor --------------------------------------------------------- */

/*
 * Put the cursor on the range (entry or gap) containing @x; returns its
 * entry.  The cache: the leaf slot of the entry, or of the entry after the
 * gap (nr of the last leaf after the last entry).
 */
static void *mas_position(struct ma_state *mas, unsigned long x)
{
	struct maple_tree *mt = mas->tree;
	struct maple_node *n;
	unsigned long lo;
	int off;

	n = mt_seek(mt, x, &off, &lo);
	mas->node = n;
	mas->offset = (unsigned char)off;
	mas->seq = mt->ma_seq;
	if (n && off < n->nr && n->first[off] <= x) {
		mas->index = n->first[off];
		mas->last = n->last[off];
		mas->status = ma_active;
		return n->slot[off];
	}
	mas->index = n ? lo : 0;
	mas->last = (n && off < n->nr) ? n->first[off] - 1 : ULMAX;
	mas->status = ma_active | MAS_GAP;
	return NULL;
}

/* The cache is for this version of the tree (else walk again). */
static inline void mas_revalidate(struct ma_state *mas)
{
	if (!mas->node || mas->seq != mas->tree->ma_seq) {
		unsigned char st = mas_st(mas);

		mas_position(mas, mas->index);
		mas->status = (mas->status & MAS_GAP) | st;
	}
}

static inline void *mas_on_entry(struct ma_state *mas, struct maple_node *n, int off)
{
	mas->node = n;
	mas->offset = (unsigned char)off;
	mas->index = n->first[off];
	mas->last = n->last[off];
	mas->status &= ~MAS_GAP;
	return n->slot[off];
}

static inline void mas_in_gap(struct ma_state *mas, struct maple_node *n, int off,
			      unsigned long index, unsigned long last)
{
	mas->node = n;
	mas->offset = (unsigned char)off;
	mas->index = index;
	mas->last = last;
	mas->status |= MAS_GAP;
}

/* One range forward (the cursor's last < ULONG_MAX); its entry or NULL. */
static void *mas_step_next(struct ma_state *mas)
{
	struct maple_node *n;
	int off;

	mas_revalidate(mas);
	n = mas->node;
	off = mas->offset;
	if (mas->status & MAS_GAP)
		return mas_on_entry(mas, n, off);
	if (!pos_next(&n, &off)) {
		mas_in_gap(mas, mas->node, mas->node->nr, mas->last + 1, ULMAX);
		return NULL;
	}
	if (n->first[off] == mas->last + 1)
		return mas_on_entry(mas, n, off);
	mas_in_gap(mas, n, off, mas->last + 1, n->first[off] - 1);
	return NULL;
}

/* One range back (the cursor's index > 0). */
static void *mas_step_prev(struct ma_state *mas)
{
	struct maple_node *n;
	int off;

	mas_revalidate(mas);
	n = mas->node;
	off = mas->offset;
	if (mas->status & MAS_GAP) {
		pos_prev(&n, &off);	/* there is an entry before a gap not at 0 */
		return mas_on_entry(mas, n, off);
	}
	if (!pos_prev(&n, &off)) {
		mas_in_gap(mas, mas->node, mas->offset, 0, mas->index - 1);
		return NULL;
	}
	if (n->last[off] + 1 == mas->index)
		return mas_on_entry(mas, n, off);
	mas_in_gap(mas, mas->node, mas->offset, n->last[off] + 1, mas->index - 1);
	return NULL;
}

static inline void mas_set_st(struct ma_state *mas, unsigned char st)
{
	mas->status = (mas->status & MAS_GAP) | st;
}

/*
 * Linux's mas_next_slot()/mas_prev_slot() with empty == false: step over
 * gaps to the next entry; stop (overflow/underflow, the cursor stays) when
 * the current range already reaches max/min.  An entry returned starts at
 * or before max (ends at or after min).
 */
static void *mas_next_slot(struct ma_state *mas, unsigned long max)
{
	void *entry;

	do {
		mas_revalidate(mas);
		if (mas->last >= max) {
			mas_set_st(mas, ma_overflow);
			return NULL;
		}
		entry = mas_step_next(mas);
	} while (!entry);
	return entry;
}

static void *mas_prev_slot(struct ma_state *mas, unsigned long min)
{
	void *entry;

	do {
		mas_revalidate(mas);
		if (mas->index <= min) {
			mas_set_st(mas, ma_underflow);
			return NULL;
		}
		entry = mas_step_prev(mas);
	} while (!entry);
	return entry;
}

/*
 * The common step, done without the state machine: an active cursor whose
 * cache is valid moves to the next (previous) entry of its leaf when that
 * one starts at or before max (ends at or after min).  NULL: take the
 * general way.
 */
static inline void *mas_fast_next(struct ma_state *mas, unsigned long max)
{
	struct maple_node *n = mas->node;
	int off;

	if (mas_st(mas) != ma_active || !n || mas->seq != mas->tree->ma_seq)
		return NULL;
	off = mas->offset + !(mas->status & MAS_GAP);
	if (off >= n->nr || n->first[off] > max)
		return NULL;
	return mas_on_entry(mas, n, off);
}

static inline void *mas_fast_prev(struct ma_state *mas, unsigned long min)
{
	struct maple_node *n = mas->node;
	int off = mas->offset - 1;

	if (mas_st(mas) != ma_active || !n || mas->seq != mas->tree->ma_seq)
		return NULL;
	if (off < 0 || n->last[off] < min)
		return NULL;
	return mas_on_entry(mas, n, off);
}

void *mas_walk(struct ma_state *mas)
{
	return mas_position(mas, mas->index);
}

void *mas_find(struct ma_state *mas, unsigned long max)
{
	void *entry = mas_fast_next(mas, max);

	if (entry)
		return entry;
	switch (mas_st(mas)) {
	case ma_active:
		if (mas->last >= max)
			return NULL;
		break;
	case ma_overflow:
		if (mas->last >= max)
			return NULL;
		entry = mas_walk(mas);
		if (entry)
			return entry;
		break;
	case ma_underflow:
		if (mas->index >= max) {
			mas_set_st(mas, ma_overflow);
			return NULL;
		}
		entry = mas_walk(mas);
		if (entry)
			return entry;
		break;
	default:	/* start: the entry at index, or the first after it */
		if (mas->index > max)
			return NULL;
		entry = mas_walk(mas);
		if (entry)
			return entry;
		break;
	}
	entry = mas_next_slot(mas, max);
	mas_set_st(mas, ma_active);	/* Linux's mas_find ignores the overflow */
	return entry;
}

void *mas_find_rev(struct ma_state *mas, unsigned long min)
{
	void *entry = mas_fast_prev(mas, min);

	if (entry)
		return entry;
	switch (mas_st(mas)) {
	case ma_active:
		break;
	case ma_overflow:
	case ma_underflow:
		if (mas->index <= min) {
			mas_set_st(mas, ma_underflow);
			return NULL;
		}
		mas_set_st(mas, ma_active);
		break;
	default:	/* start: the entry at index, or the last before it */
		if (mas->index < min)
			return NULL;
		entry = mas_walk(mas);
		if (entry)
			return entry;
		break;
	}
	return mas_prev_slot(mas, min);
}

void *mas_next(struct ma_state *mas, unsigned long max)
{
	void *entry = mas_fast_next(mas, max);

	if (entry)
		return entry;
	if (mas->last >= max) {
		mas_set_st(mas, ma_overflow);
		return NULL;
	}
	switch (mas_st(mas)) {
	case ma_active:
		break;
	case ma_overflow:	/* the max changed */
		mas_set_st(mas, ma_active);
		break;
	case ma_underflow:	/* "one before where it is" */
		entry = mas_walk(mas);
		if (entry)
			return entry;
		break;
	default:
		mas_walk(mas);
		break;
	}
	return mas_next_slot(mas, max);
}

void *mas_prev(struct ma_state *mas, unsigned long min)
{
	void *entry = mas_fast_prev(mas, min);

	if (entry)
		return entry;
	if (mas->index <= min) {
		mas_set_st(mas, ma_underflow);
		return NULL;
	}
	switch (mas_st(mas)) {
	case ma_active:
		break;
	case ma_underflow:	/* the min changed */
		mas_set_st(mas, ma_active);
		break;
	case ma_overflow:	/* "one after where it is" */
		entry = mas_walk(mas);
		if (entry)
			return entry;
		break;
	default:
		mas_walk(mas);
		break;
	}
	return mas_prev_slot(mas, min);
}

/* --- the advanced API's writes -------------------------------------------- */

/* After a store: index/last are the range stored (for NULL, the whole gap). */
static void mas_after_store(struct ma_state *mas, void *entry, int placed)
{
	if (placed)
		return;
	if (!entry) {
		mas_position(mas, mas->index);
		return;
	}
	mas->node = NULL;	/* walk again on the next step */
	mas->status = ma_active;
}

void *mas_store(struct ma_state *mas, void *entry)
{
	bool pooled = mas->nr_alloc != 0;
	void *old = NULL;
	int ret;

	if (WARN_ON(mas->index > mas->last || mt_entry_bad(entry)))
		return NULL;
	/* Linux's mas_store() has no way to report a failure either */
	ret = mt_store(mas, mas->index, mas->last, entry, &old);
	WARN_ON(ret < 0);
	if (!pooled)
		mas_destroy(mas);
	mas_after_store(mas, entry, ret);
	return old;
}

int mas_store_gfp(struct ma_state *mas, void *entry, gfp_t gfp)
{
	int ret;

	(void)gfp;
	if (mas->index > mas->last || mt_entry_bad(entry))
		return -EINVAL;
	ret = mt_store(mas, mas->index, mas->last, entry, NULL);
	mas_destroy(mas);
	if (ret < 0)
		return ret;
	mas_after_store(mas, entry, ret);
	return 0;
}

int mas_preallocate(struct ma_state *mas, void *entry, gfp_t gfp)
{
	struct mt_plan p;

	(void)gfp;
	mt_plan(mas->tree, mas->index, mas->last, entry, &p);
	if (mas_node_reserve(mas, p.need)) {
		mas_destroy(mas);
		return -ENOMEM;
	}
	return 0;
}

void mas_store_prealloc(struct ma_state *mas, void *entry)
{
	if (!WARN_ON(mas->index > mas->last || mt_entry_bad(entry))) {
		/* the preallocation covers the store planned; another one allocates */
		int ret = mt_store(mas, mas->index, mas->last, entry, NULL);

		WARN_ON(ret < 0);
		mas_after_store(mas, entry, ret);
	}
	mas_destroy(mas);
}

void *mas_erase(struct ma_state *mas)
{
	void *entry;
	int ret;

	entry = mas_walk(mas);
	if (!entry)
		return NULL;
	ret = mt_store(mas, mas->index, mas->last, NULL, NULL);	/* allocates nothing */
	mas_destroy(mas);
	if (WARN_ON(ret < 0))
		return NULL;
	mas_after_store(mas, NULL, ret);
	return entry;
}
