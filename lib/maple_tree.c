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
 * level), and makes mas_empty_area(_rev) O(log n): the walk only descends
 * into children whose gap[] is big enough, and only those that straddle
 * min or max can fail.  Non-root nodes hold MT_MIN..MT_SLOTS slots: a
 * store that overfills a node splits it (the split climbs, a new root
 * grows the tree), an erase that underfills one borrows from or merges
 * with a sibling (the merge climbs, a root with one child is dropped).
 *
 * Writes.  A store of [a, b] that stays inside one leaf and leaves it with
 * MT_MIN..MT_SLOTS slots rewrites that leaf in place (no allocation).
 * Otherwise: trim the entry overlapping a (and keep its tail if it also
 * covers past b), trim the entry overlapping b, delete the entries inside
 * [a, b] one by one (each rebalances), insert [a, b] (each insert splits
 * as needed).  Before touching the tree a write takes every node it may
 * need (2 * height + 4 at most) from the ma_state's preallocation or from
 * malloc, so -ENOMEM leaves the tree unchanged and mas_store_prealloc()
 * cannot fail.
 *
 * The cursor (ma_state) is a position on a range of the partition of
 * [0, ULONG_MAX] into entries and gaps, with Linux's semantics (see
 * mas_find/mas_next/mas_prev below).  It caches the leaf and slot of the
 * entry it is on (or of the entry after the gap it is in), so mas_next and
 * mas_prev are O(1) amortized (a step to the next leaf climbs to the first
 * ancestor with a next child and descends).  The cache is valid while
 * mas->seq == mt->ma_seq: every write bumps ma_seq, and a stale cursor
 * walks again from mas->index (Linux rewalks after finding a dead node).
 *
 * Memory: node memory is the host's (malloc/free), so the tree works with
 * no simulated machine entered (the tests use it standalone).  Freed
 * nodes are freed at once: there are no lockless readers to wait for.
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
#include <mmsim/maple_tree.h>
#include <mmsim/printk.h>

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

struct maple_node {
	struct maple_node *parent;	/* NULL for the root; links free nodes */
	unsigned char nr;		/* slots used */
	bool leaf;
	unsigned long first[MT_SLOTS];
	unsigned long last[MT_SLOTS];
	void *slot[MT_SLOTS];		/* entries, or children */
	unsigned long gap[MT_SLOTS];	/* internal: largest gap inside the child */
};

static inline bool mt_entry_bad(const void *entry)
{
	return ((unsigned long)entry & 3) == 2;	/* xa_is_internal() */
}

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

static inline struct maple_node *mt_root(struct maple_tree *mt)
{
	return mt->ma_root;
}

static inline struct maple_node *mt_child(struct maple_node *n, int i)
{
	return n->slot[i];
}

/* --- node memory ---------------------------------------------------- */

static struct maple_node *mas_node_get(struct ma_state *mas)
{
	struct maple_node *n = mas->alloc;

	if (n) {
		mas->alloc = n->parent;
		mas->nr_alloc--;
	} else {
		/* the preallocation was short (a store other than planned) */
		n = malloc(sizeof(*n));
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
		struct maple_node *n = malloc(sizeof(*n));

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
		free(n);
	}
	mas->nr_alloc = 0;
}

/* --- node summaries --------------------------------------------------- */

static unsigned long node_gap(const struct maple_node *n)
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

static int node_slot(const struct maple_node *n)
{
	const struct maple_node *p = n->parent;

	for (int i = 0; i < p->nr; i++)
		if (p->slot[i] == n)
			return i;
	BUG();
	return 0;
}

static void node_set_child(struct maple_node *p, int i, struct maple_node *c)
{
	p->slot[i] = c;
	c->parent = p;
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

/* The first slot whose range ends at or after @x (n->nr if none). */
static inline int node_lower(const struct maple_node *n, unsigned long x)
{
	int lo = 0, hi = n->nr;

	while (lo < hi) {
		int mid = (lo + hi) >> 1;

		if (n->last[mid] < x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
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
	if (!n->leaf)
		((struct maple_node *)s)->parent = n;
}

static void node_move(struct maple_node *dst, int di, struct maple_node *src, int si, int cnt)
{
	memmove(&dst->first[di], &src->first[si], cnt * sizeof(unsigned long));
	memmove(&dst->last[di], &src->last[si], cnt * sizeof(unsigned long));
	memmove(&dst->slot[di], &src->slot[si], cnt * sizeof(void *));
	memmove(&dst->gap[di], &src->gap[si], cnt * sizeof(unsigned long));
	if (!dst->leaf && dst != src)
		for (int i = 0; i < cnt; i++)
			mt_child(dst, di + i)->parent = dst;
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

/* @n (not the root) has fewer than MT_MIN slots: borrow or merge. */
static void node_rebalance(struct maple_tree *mt, struct maple_node *n)
{
	struct maple_node *p = n->parent, *s;
	int i = node_slot(n);

	if (i > 0) {
		s = mt_child(p, i - 1);
		if (s->nr > MT_MIN) {		/* borrow s's last */
			node_move(n, 1, n, 0, n->nr);
			node_move(n, 0, s, s->nr - 1, 1);
			n->nr++;
			s->nr--;
			node_set_child(p, i - 1, s);
			node_set_child(p, i, n);
			node_update_up(p);
			return;
		}
		node_move(s, s->nr, n, 0, n->nr);	/* merge n into s */
		s->nr += n->nr;
		free(n);
		node_set_child(p, i - 1, s);
		node_delete(mt, p, i);
		return;
	}
	s = mt_child(p, i + 1);
	if (s->nr > MT_MIN) {			/* borrow s's first */
		node_move(n, n->nr, s, 0, 1);
		node_move(s, 0, s, 1, s->nr - 1);
		n->nr++;
		s->nr--;
		node_set_child(p, i, n);
		node_set_child(p, i + 1, s);
		node_update_up(p);
		return;
	}
	node_move(n, n->nr, s, 0, s->nr);	/* merge s into n */
	n->nr += s->nr;
	free(s);
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
			free(n);
			mt->ma_root = NULL;
		} else if (!n->leaf && n->nr == 1) {
			mt->ma_root = mt_child(n, 0);
			mt_child(n, 0)->parent = NULL;
			free(n);
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
 * Can [a, b] <- entry be done in the leaf @n alone (all it overlaps is in
 * @n from @off on, and @n keeps MT_MIN..MT_SLOTS slots)?  *pk: the number
 * of entries overlapped; *pns: the number of slots that replace them.
 */
static bool mt_store_in_leaf(struct maple_tree *mt, struct maple_node *n, int off,
			     unsigned long a, unsigned long b, void *entry, int *pk, int *pns)
{
	int i = off, k, ns, nr;

	while (i < n->nr && n->first[i] <= b)
		i++;
	if (i == n->nr && n->nr) {
		struct maple_node *nn = n;
		int no = n->nr - 1;

		if (pos_next(&nn, &no) && nn->first[no] <= b)
			return false;		/* goes on into the next leaf */
	}
	k = i - off;
	ns = (entry != NULL) + (k && n->first[off] < a) + (k && n->last[i - 1] > b);
	nr = n->nr - k + ns;
	*pk = k;
	*pns = ns;
	if (nr > MT_SLOTS)
		return false;
	return n == mt_root(mt) || nr >= MT_MIN;
}

/* Nodes a store of [a, b] may need. */
static unsigned int mt_store_need(struct maple_tree *mt, unsigned long a, unsigned long b,
				  void *entry)
{
	struct maple_node *n;
	int off, k, ns;

	n = mt_seek(mt, a, &off, NULL);
	if (!n)
		return entry ? 1 : 0;
	if (mt_store_in_leaf(mt, n, off, a, b, entry, &k, &ns))
		return 0;
	return 2 * mt_height(mt) + 4;
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
 * Store @entry over [a, b] with the nodes in mas's pool; returns the first
 * entry overwritten.  The tree's cursors are invalidated.
 */
static void *mt_store(struct ma_state *mas, unsigned long a, unsigned long b, void *entry)
{
	struct maple_tree *mt = mas->tree;
	struct maple_node *n;
	void *old = NULL;
	int off, k, ns;

	mt->ma_seq++;
	n = mt_seek(mt, a, &off, NULL);
	if (!n) {
		if (entry)
			mt_insert_one(mas, a, b, entry);
		return NULL;
	}
	if (off < n->nr && n->first[off] <= b)
		old = n->slot[off];
	if (mt_store_in_leaf(mt, n, off, a, b, entry, &k, &ns)) {
		unsigned long hf = 0, tl = 0;
		void *he = NULL, *te = NULL;
		int i = off;

		if (k && n->first[off] < a) {
			hf = n->first[off];
			he = n->slot[off];
		}
		if (k && n->last[off + k - 1] > b) {
			tl = n->last[off + k - 1];
			te = n->slot[off + k - 1];
		}
		node_move(n, off + ns, n, off + k, n->nr - off - k);
		n->nr = n->nr - k + ns;
		if (he)
			node_put(n, i++, hf, a - 1, he, 0);
		if (entry)
			node_put(n, i++, a, b, entry, 0);
		if (te)
			node_put(n, i++, b + 1, tl, te, 0);
		mt->ma_nr = mt->ma_nr - k + ns;
		if (!n->nr) {
			free(n);
			mt->ma_root = NULL;
		} else {
			node_update_up(n);
		}
		return old;
	}
	/* the general way: trim, delete what is inside, insert */
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
	return old;
}

/* --- the simple API ----------------------------------------------------- */

void mt_init_flags(struct maple_tree *mt, unsigned int flags)
{
	spin_lock_init(&mt->ma_lock);
	mt->ma_flags = flags;
	mt->ma_root = NULL;
	mt->ma_nr = 0;
	mt->ma_seq = 0;
}

static void node_destroy(struct maple_node *n)
{
	if (!n->leaf)
		for (int i = 0; i < n->nr; i++)
			node_destroy(mt_child(n, i));
	free(n);
}

void __mt_destroy(struct maple_tree *mt)
{
	if (mt_root(mt))
		node_destroy(mt_root(mt));
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
	struct maple_node *n = malloc(sizeof(*n));

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
		if (mas->index <= min) {
			mas_set_st(mas, ma_underflow);
			return NULL;
		}
		entry = mas_step_prev(mas);
	} while (!entry);
	return entry;
}

void *mas_walk(struct ma_state *mas)
{
	return mas_position(mas, mas->index);
}

void *mas_find(struct ma_state *mas, unsigned long max)
{
	void *entry;

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
	void *entry;

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
	void *entry;

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
	void *entry;

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
static void mas_after_store(struct ma_state *mas, void *entry)
{
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
	void *old;

	if (WARN_ON(mas->index > mas->last || mt_entry_bad(entry)))
		return NULL;
	if (mas_node_reserve(mas, mt_store_need(mas->tree, mas->index, mas->last, entry))) {
		WARN_ON(1);	/* Linux's mas_store() has no way to fail either */
		mas_destroy(mas);
		return NULL;
	}
	old = mt_store(mas, mas->index, mas->last, entry);
	if (!pooled)
		mas_destroy(mas);
	mas_after_store(mas, entry);
	return old;
}

int mas_store_gfp(struct ma_state *mas, void *entry, gfp_t gfp)
{
	(void)gfp;
	if (mas->index > mas->last || mt_entry_bad(entry))
		return -EINVAL;
	if (mas_node_reserve(mas, mt_store_need(mas->tree, mas->index, mas->last, entry))) {
		mas_destroy(mas);
		return -ENOMEM;
	}
	mt_store(mas, mas->index, mas->last, entry);
	mas_destroy(mas);
	mas_after_store(mas, entry);
	return 0;
}

int mas_preallocate(struct ma_state *mas, void *entry, gfp_t gfp)
{
	(void)gfp;
	if (mas_node_reserve(mas, mt_store_need(mas->tree, mas->index, mas->last, entry))) {
		mas_destroy(mas);
		return -ENOMEM;
	}
	return 0;
}

void mas_store_prealloc(struct ma_state *mas, void *entry)
{
	if (WARN_ON(mas->index > mas->last || mt_entry_bad(entry))) {
		mas_destroy(mas);
		return;
	}
	mt_store(mas, mas->index, mas->last, entry);
	mas_destroy(mas);
	mas_after_store(mas, entry);
}

void *mas_erase(struct ma_state *mas)
{
	void *entry;

	entry = mas_walk(mas);
	if (!entry)
		return NULL;
	if (mas_node_reserve(mas, mt_store_need(mas->tree, mas->index, mas->last, NULL))) {
		mas_destroy(mas);
		return NULL;
	}
	mt_store(mas, mas->index, mas->last, NULL);
	mas_destroy(mas);
	mas_after_store(mas, NULL);
	return entry;
}

/* --- gaps ----------------------------------------------------------------- */

struct gap_req {
	unsigned long min, max, size;
	unsigned long res;	/* lowest start, or highest end */
};

/* Does the gap [gs, ge] clipped to [min, max] hold size slots? */
static bool gap_fits(struct gap_req *r, unsigned long gs, unsigned long ge, bool rev)
{
	unsigned long s = gs > r->min ? gs : r->min, e = ge < r->max ? ge : r->max;

	if (gs > ge || s > e || e - s < r->size - 1)
		return false;
	r->res = rev ? e : s;
	return true;
}

static bool gap_walk(struct maple_node *n, struct gap_req *r)
{
	for (int i = 0; i < n->nr; i++) {
		if (n->first[i] > r->max)
			return false;
		if (!n->leaf && n->gap[i] >= r->size && n->last[i] > r->min &&
		    gap_walk(mt_child(n, i), r))
			return true;
		if (i + 1 < n->nr && n->first[i + 1] - 1 >= r->min &&
		    gap_fits(r, n->last[i] + 1, n->first[i + 1] - 1, false))
			return true;
	}
	return false;
}

static bool gap_walk_rev(struct maple_node *n, struct gap_req *r)
{
	for (int i = n->nr - 1; i >= 0; i--) {
		if (i + 1 < n->nr) {
			if (n->first[i + 1] - 1 < r->min)
				return false;
			if (gap_fits(r, n->last[i] + 1, n->first[i + 1] - 1, true))
				return true;
		}
		if (n->last[i] < r->min)
			return false;
		if (!n->leaf && n->gap[i] >= r->size && n->first[i] < r->max &&
		    gap_walk_rev(mt_child(n, i), r))
			return true;
	}
	return false;
}

static int mas_gap_args(unsigned long min, unsigned long max, unsigned long size)
{
	if (min > max || size == 0 || max - min < size - 1)
		return -EINVAL;
	return 0;
}

int mas_empty_area(struct ma_state *mas, unsigned long min, unsigned long max,
		   unsigned long size)
{
	struct maple_node *root = mt_root(mas->tree);
	struct gap_req r = { min, max, size, 0 };
	bool found;

	if (mas_gap_args(min, max, size))
		return -EINVAL;
	if (!root)
		found = gap_fits(&r, 0, ULMAX, false);
	else
		found = (root->first[0] && gap_fits(&r, 0, root->first[0] - 1, false)) ||
			gap_walk(root, &r) ||
			(root->last[root->nr - 1] != ULMAX &&
			 gap_fits(&r, root->last[root->nr - 1] + 1, ULMAX, false));
	if (!found)
		return -EBUSY;
	mas->index = r.res;
	mas->last = r.res + size - 1;
	mas->node = NULL;
	mas->status = ma_active;
	return 0;
}

int mas_empty_area_rev(struct ma_state *mas, unsigned long min, unsigned long max,
		       unsigned long size)
{
	struct maple_node *root = mt_root(mas->tree);
	struct gap_req r = { min, max, size, 0 };
	bool found;

	if (mas_gap_args(min, max, size))
		return -EINVAL;
	if (!root)
		found = gap_fits(&r, 0, ULMAX, true);
	else
		found = (root->last[root->nr - 1] != ULMAX &&
			 gap_fits(&r, root->last[root->nr - 1] + 1, ULMAX, true)) ||
			gap_walk_rev(root, &r) ||
			(root->first[0] && gap_fits(&r, 0, root->first[0] - 1, true));
	if (!found)
		return -EBUSY;
	mas->last = r.res;
	mas->index = r.res - size + 1;
	mas->node = NULL;
	mas->status = ma_active;
	return 0;
}

/* --- validation ----------------------------------------------------------- */

struct mt_check {
	struct maple_tree *mt;
	unsigned long entries;
	int leaf_depth;
};

static bool mt_bad(struct mt_check *c, const struct maple_node *n, const char *what, int i)
{
	pr_err("maple_tree %p: node %p (nr %d%s) slot %d: %s\n", (void *)c->mt, (const void *)n,
	       n->nr, n->leaf ? ", leaf" : "", i, what);
	return false;
}

static bool node_check(struct mt_check *c, const struct maple_node *n, int depth)
{
	bool root = n == mt_root(c->mt);

	if (n->nr < 1 || n->nr > MT_SLOTS || (!root && n->nr < MT_MIN) ||
	    (root && !n->leaf && n->nr < 2))
		return mt_bad(c, n, "slot count out of bounds", n->nr);
	for (int i = 0; i < n->nr; i++) {
		if (n->first[i] > n->last[i])
			return mt_bad(c, n, "range ends before it starts", i);
		if (i && n->first[i] <= n->last[i - 1])
			return mt_bad(c, n, "pivots not increasing: ranges overlap", i);
		if (n->leaf) {
			if (!n->slot[i] || mt_entry_bad(n->slot[i]))
				return mt_bad(c, n, "bad entry", i);
			c->entries++;
			continue;
		}
		const struct maple_node *ch = n->slot[i];

		if (!ch || ch->parent != n)
			return mt_bad(c, n, "child's parent pointer wrong", i);
		if (!node_check(c, ch, depth + 1))
			return false;
		if (ch->first[0] != n->first[i] || ch->last[ch->nr - 1] != n->last[i])
			return mt_bad(c, n, "child not within (equal to) its slot's range", i);
		if (node_gap(ch) != n->gap[i])
			return mt_bad(c, n, "gap metadata wrong", i);
	}
	if (n->leaf) {
		if (c->leaf_depth < 0)
			c->leaf_depth = depth;
		else if (c->leaf_depth != depth)
			return mt_bad(c, n, "leaves at different depths", depth);
	}
	return true;
}

bool mt_validate(struct maple_tree *mt)
{
	struct mt_check c = { mt, 0, -1 };
	struct maple_node *root = mt_root(mt);

	if (root && (root->parent || !node_check(&c, root, 0)))
		return root->parent ? mt_bad(&c, root, "root has a parent", 0) : false;
	if (c.entries != mt->ma_nr) {
		pr_err("maple_tree %p: %lu entries, ma_nr %lu\n", (void *)mt, c.entries, mt->ma_nr);
		return false;
	}
	return true;
}
