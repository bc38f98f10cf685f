// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_vma.c - the VMA tree: lib/maple_tree.c against the structure
 * Linux used before it (an augmented rbtree of VMAs) and against a sorted
 * array, on 10,000 VMAs laid out like a large process's address space
 * (1..16 pages each, gaps of 0..8 pages, 1% of gaps of 16..64 pages).
 *
 * Workloads (ns per operation: the median of BENCH_REPS timed runs and their
 * range [lowest-highest], the three loops taking turns, bench/bench_common.h):
 *   find_vma     the first VMA with end > addr, random addresses:
 *                maple mt_find() (what find_vma() calls) / rbtree walk
 *                (Linux's find_vma before 6.1) / binary search
 *   vma_lookup   the VMA containing addr: maple mas_walk() on a reused
 *                ma_state / the same rbtree walk / binary search
 *   churn        erase a random VMA and insert it back (2 ops): maple
 *                mas_store_gfp(NULL) + mas_store_gfp(vma) / rb_erase_augmented
 *                + rb_insert_augmented with the gap kept up to date (as
 *                Linux's __vma_link_rb/__vma_unlink did) / memmove
 *   walk         every VMA in order, per VMA: mas_find() / rb_next() / i++
 *   gap          the highest gap of 12 pages below a random address, i.e.
 *                get_unmapped_area top-down: mas_empty_area_rev() / the
 *                rbtree's rb_subtree_gap descent / a scan down the array
 * The three structures are checked to agree on every query before timing.
 * A ratio is the maple tree's median over the other's median: below 1, maple
 * is faster.  MMSIM_BENCH_ONLY=<workload> runs just that one.
 *
 * What the references are.  The rbtree is a peer: the same work (the same
 * queries with the same answers, the churn keeping the gaps up to date as
 * Linux's rbtree did), by the structure Linux used before the maple tree.
 * The sorted array is a limit, not a peer: its lookups chase no pointers,
 * and it pays for that with an O(n) churn (its churn column is the cost of
 * a memmove of the array, which no kernel would accept), so maple/arr says
 * how far the tree is from the least a lookup can cost.
 */
#include <mmsim/maple_tree.h>
#include <mmsim/rbtree_augmented.h>
#include "bench_common.h"

#define NR_VMAS		10000
#define NR_QUERIES	8192	/* a power of two */
#define PG		4096UL
#define GAP_LEN		(12 * PG)

struct bvma {
	unsigned long start, end;	/* [start, end) */
	struct bvma *prev, *next;	/* address order, as vm_prev/vm_next were */
	struct rb_node rb;
	unsigned long subtree_gap;	/* largest gap before a VMA of this subtree */
};

struct arr_ent {
	unsigned long start, end;
	struct bvma *vma;
};

static struct bvma vmas[NR_VMAS];
static struct maple_tree mt;
static struct rb_root rb_root = RB_ROOT;
static struct bvma *rb_head;
static struct arr_ent arr[NR_VMAS];
static long arr_nr;
static unsigned long addrs[NR_QUERIES], victims[NR_QUERIES];
static unsigned long span_lo, span_hi;
static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static unsigned long rnd(unsigned long n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned long)(rng % n);
}

/* --- the augmented rbtree (Linux's mm_rb before the maple tree) ------- */

static inline unsigned long vma_gap(struct bvma *v)
{
	return v->start - (v->prev ? v->prev->end : 0);
}

#define VMA_GAP(v) vma_gap(v)
RB_DECLARE_CALLBACKS_MAX(static, gap_cb, struct bvma, rb, unsigned long, subtree_gap, VMA_GAP)

static void rbv_insert(struct bvma *v)
{
	struct rb_node **link = &rb_root.rb_node, *parent = NULL;
	struct bvma *prev = NULL;

	while (*link) {
		struct bvma *p = rb_entry(*link, struct bvma, rb);

		parent = *link;
		if (v->start < p->start) {
			link = &parent->rb_left;
		} else {
			prev = p;
			link = &parent->rb_right;
		}
	}
	v->prev = prev;
	v->next = prev ? prev->next : rb_head;
	if (prev)
		prev->next = v;
	else
		rb_head = v;
	if (v->next) {
		v->next->prev = v;
		gap_cb_propagate(&v->next->rb, NULL);	/* its gap shrank */
	}
	rb_link_node(&v->rb, parent, link);
	v->subtree_gap = 0;
	gap_cb_propagate(&v->rb, NULL);
	rb_insert_augmented(&v->rb, &rb_root, &gap_cb);
}

static void rbv_erase(struct bvma *v)
{
	rb_erase_augmented(&v->rb, &rb_root, &gap_cb);
	if (v->prev)
		v->prev->next = v->next;
	else
		rb_head = v->next;
	if (v->next) {
		v->next->prev = v->prev;
		gap_cb_propagate(&v->next->rb, NULL);	/* its gap grew */
	}
}

static noinline struct bvma *rbv_find_vma(unsigned long addr)
{
	struct rb_node *n = rb_root.rb_node;
	struct bvma *found = NULL;

	while (n) {
		struct bvma *v = rb_entry(n, struct bvma, rb);

		if (v->end > addr) {
			found = v;
			if (v->start <= addr)
				break;
			n = n->rb_left;
		} else {
			n = n->rb_right;
		}
	}
	return found;
}

/* The highest end of a gap of @len in [lo, hi] among @n's subtree's gaps. */
static bool rbv_gap_rev(struct rb_node *n, unsigned long lo, unsigned long hi, unsigned long len,
			unsigned long *res)
{
	struct bvma *v;
	unsigned long ps, gs, ge;

	if (!n)
		return false;
	v = rb_entry(n, struct bvma, rb);
	if (v->subtree_gap < len)
		return false;
	if (v->end + len - 1 <= hi && rbv_gap_rev(n->rb_right, lo, hi, len, res))
		return true;
	ps = v->start - vma_gap(v);
	gs = ps > lo ? ps : lo;
	ge = v->start - 1 < hi ? v->start - 1 : hi;
	if (vma_gap(v) && gs <= ge && ge - gs + 1 >= len) {
		*res = ge;
		return true;
	}
	return ps >= lo + len && rbv_gap_rev(n->rb_left, lo, hi, len, res);
}

static noinline bool rbv_unmapped_area_topdown(unsigned long lo, unsigned long hi,
					       unsigned long len, unsigned long *res)
{
	struct rb_node *last = rb_last(&rb_root);
	struct bvma *top = last ? rb_entry(last, struct bvma, rb) : NULL;

	if (top && top->end <= hi && hi - top->end + 1 >= len) {	/* above the last VMA */
		*res = hi;
		return true;
	}
	return rbv_gap_rev(rb_root.rb_node, lo, hi, len, res);
}

/* --- the sorted array ----------------------------------------------------- */

/* The first entry with end > addr (arr_nr if none). */
static inline long arr_lower(unsigned long addr)
{
	long lo = 0, hi = arr_nr;

	while (lo < hi) {
		long mid = (lo + hi) >> 1;

		if (arr[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static noinline struct bvma *arr_find_vma(unsigned long addr)
{
	long i = arr_lower(addr);

	return i < arr_nr ? arr[i].vma : NULL;
}

static noinline void arr_erase(struct bvma *v)
{
	long i = arr_lower(v->start);

	memmove(&arr[i], &arr[i + 1], (size_t)(arr_nr - i - 1) * sizeof(arr[0]));
	arr_nr--;
}

static noinline void arr_insert(struct bvma *v)
{
	long i = arr_lower(v->start);

	memmove(&arr[i + 1], &arr[i], (size_t)(arr_nr - i) * sizeof(arr[0]));
	arr[i] = (struct arr_ent){ v->start, v->end, v };
	arr_nr++;
}

static noinline bool arr_unmapped_area_topdown(unsigned long lo, unsigned long hi,
					       unsigned long len, unsigned long *res)
{
	/* k: the gap before arr[k] (above the last VMA for k == arr_nr) */
	for (long k = arr_lower(hi); k >= 0; k--) {
		unsigned long gs = k ? arr[k - 1].end : 0;
		unsigned long ge = k < arr_nr ? arr[k].start - 1 : ~0UL;

		if (gs < lo)
			gs = lo;
		if (ge > hi)
			ge = hi;
		if (gs <= ge && ge - gs + 1 >= len) {
			*res = ge;
			return true;
		}
		if (gs <= lo)
			break;
	}
	return false;
}

/* --- the loops ------------------------------------------------------------ */

static void loop_find_mt(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++) {
		unsigned long index = addrs[i & (NR_QUERIES - 1)];

		bench_keep(mt_find(&mt, &index, ~0UL));
	}
}

static void loop_find_rb(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++)
		bench_keep(rbv_find_vma(addrs[i & (NR_QUERIES - 1)]));
}

static void loop_find_arr(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++)
		bench_keep(arr_find_vma(addrs[i & (NR_QUERIES - 1)]));
}

static void loop_walk_lookup_mt(void *ctx, long iters)
{
	MA_STATE(mas, &mt, 0, 0);

	for (long i = 0; i < iters; i++) {
		mas_set(&mas, addrs[i & (NR_QUERIES - 1)]);
		bench_keep(mas_walk(&mas));
	}
}

static void loop_lookup_rb(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++) {
		unsigned long a = addrs[i & (NR_QUERIES - 1)];
		struct bvma *v = rbv_find_vma(a);

		bench_keep(v && v->start <= a ? v : NULL);
	}
}

static void loop_lookup_arr(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++) {
		unsigned long a = addrs[i & (NR_QUERIES - 1)];
		struct bvma *v = arr_find_vma(a);

		bench_keep(v && v->start <= a ? v : NULL);
	}
}

static void loop_churn_mt(void *ctx, long iters)
{
	MA_STATE(mas, &mt, 0, 0);

	for (long i = 0; i < iters; i++) {
		struct bvma *v = &vmas[victims[i & (NR_QUERIES - 1)]];

		mas_set_range(&mas, v->start, v->end - 1);
		mas_store_gfp(&mas, NULL, GFP_KERNEL);
		mas_set_range(&mas, v->start, v->end - 1);
		mas_store_gfp(&mas, v, GFP_KERNEL);
		bench_keep(v);
	}
}

static void loop_churn_rb(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++) {
		struct bvma *v = &vmas[victims[i & (NR_QUERIES - 1)]];

		rbv_erase(v);
		rbv_insert(v);
		bench_keep(v);
	}
}

static void loop_churn_arr(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++) {
		struct bvma *v = &vmas[victims[i & (NR_QUERIES - 1)]];

		arr_erase(v);
		arr_insert(v);
		bench_keep(v);
	}
}

static void loop_walk_mt(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++) {
		MA_STATE(mas, &mt, 0, 0);
		void *v;

		mas_for_each(&mas, v, ~0UL)
			bench_keep(v);
	}
}

static void loop_walk_rb(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++)
		for (struct rb_node *n = rb_first(&rb_root); n; n = rb_next(n))
			bench_keep(n);
}

static void loop_walk_arr(void *ctx, long iters)
{
	for (long i = 0; i < iters; i++)
		for (long k = 0; k < arr_nr; k++)
			bench_keep(arr[k].vma);
}

static void loop_gap_mt(void *ctx, long iters)
{
	MA_STATE(mas, &mt, 0, 0);

	for (long i = 0; i < iters; i++) {
		mas_empty_area_rev(&mas, span_lo, addrs[i & (NR_QUERIES - 1)], GAP_LEN);
		bench_keep((void *)mas.last);
	}
}

static void loop_gap_rb(void *ctx, long iters)
{
	unsigned long res = 0;

	for (long i = 0; i < iters; i++) {
		rbv_unmapped_area_topdown(span_lo, addrs[i & (NR_QUERIES - 1)], GAP_LEN, &res);
		bench_keep((void *)res);
	}
}

static void loop_gap_arr(void *ctx, long iters)
{
	unsigned long res = 0;

	for (long i = 0; i < iters; i++) {
		arr_unmapped_area_topdown(span_lo, addrs[i & (NR_QUERIES - 1)], GAP_LEN, &res);
		bench_keep((void *)res);
	}
}

/* --- setup, checks, table --------------------------------------------------- */

static void build(void)
{
	unsigned long cur = 0x400000;

	mt_init_flags(&mt, MM_MT_FLAGS);
	for (int i = 0; i < NR_VMAS; i++) {
		unsigned long gap = rnd(10) < 3 ? 0 : 1 + rnd(8);

		if (!rnd(100))
			gap = 16 + rnd(49);
		vmas[i].start = cur + gap * PG;
		vmas[i].end = vmas[i].start + (1 + rnd(16)) * PG;
		cur = vmas[i].end;
		if (mtree_store_range(&mt, vmas[i].start, vmas[i].end - 1, &vmas[i], GFP_KERNEL)) {
			fprintf(stderr, "bench_vma: mtree_store_range failed\n");
			exit(1);
		}
		rbv_insert(&vmas[i]);
		arr_insert(&vmas[i]);
	}
	span_lo = vmas[0].start;
	span_hi = cur;
	for (int i = 0; i < NR_QUERIES; i++) {
		addrs[i] = span_lo + rnd(span_hi - span_lo + 16 * PG);
		victims[i] = rnd(NR_VMAS);
	}
}

static void check(const char *when)
{
	MA_STATE(mas, &mt, 0, 0);
	long bad = 0;

	if (!mt_validate(&mt) || mt.ma_nr != NR_VMAS || arr_nr != NR_VMAS)
		bad++;
	for (int i = 0; i < NR_QUERIES; i++) {
		unsigned long a = addrs[i], index = a, r1 = 0, r2 = 0;
		void *m = mt_find(&mt, &index, ~0UL);
		bool ok1, ok2;
		int ok0;

		if (m != rbv_find_vma(a) || m != arr_find_vma(a))
			bad++;
		ok0 = mas_empty_area_rev(&mas, span_lo, a, GAP_LEN);
		ok1 = rbv_unmapped_area_topdown(span_lo, a, GAP_LEN, &r1);
		ok2 = arr_unmapped_area_topdown(span_lo, a, GAP_LEN, &r2);
		if ((ok0 == 0) != ok1 || ok1 != ok2 || (ok1 && (r1 != r2 || mas.last != r1)))
			bad++;
	}
	if (bad) {
		fprintf(stderr, "bench_vma: the structures disagree %s (%ld)\n", when, bad);
		exit(1);
	}
}

static void row(const char *what, bench_fn fm, bench_fn fr, bench_fn fa, long ops)
{
	const char *only = getenv("MMSIM_BENCH_ONLY");
	struct bench_meas ms[3] = {
		BENCH_MEAS(fm, NULL, ops), BENCH_MEAS(fr, NULL, ops), BENCH_MEAS(fa, NULL, ops),
	};
	char a[80], b[80], c[80], r1[32], r2[32];

	if (only && *only && strcmp(only, what))
		return;
	bench_compare(ms, 3);
	printf("%-11s %-24s %-24s %-24s | %8s %9s\n", what, bench_fmt_med(&ms[0], a, sizeof(a)),
	       bench_fmt_med(&ms[1], b, sizeof(b)), bench_fmt_med(&ms[2], c, sizeof(c)),
	       bench_fmt_ratio(ms[0].med_ns / ms[1].med_ns, r1, sizeof(r1)),
	       bench_fmt_ratio(ms[0].med_ns / ms[2].med_ns, r2, sizeof(r2)));
	fflush(stdout);
}

int main(void)
{
	build();
	check("after building");
	printf("bench_vma: %d VMAs over %lu MiB; time per operation (churn: per erase or insert, "
	       "walk: per VMA),\n", NR_VMAS, (span_hi - span_lo) >> 20);
	printf("median of %d runs [range]; rbtree: a peer (the same work, Linux before 6.1); "
	       "sorted array: a limit, not a peer\n", BENCH_REPS);
	printf("%-11s %-24s %-24s %-24s | %8s %9s\n", "workload", "maple tree", "rbtree (peer)",
	       "sorted array (limit)", "maple/rb", "maple/arr");
	bench_rule();
	row("find_vma", loop_find_mt, loop_find_rb, loop_find_arr, 1);
	row("vma_lookup", loop_walk_lookup_mt, loop_lookup_rb, loop_lookup_arr, 1);
	row("churn", loop_churn_mt, loop_churn_rb, loop_churn_arr, 2);
	check("after the churn");
	row("walk", loop_walk_mt, loop_walk_rb, loop_walk_arr, NR_VMAS);
	row("gap", loop_gap_mt, loop_gap_rb, loop_gap_arr, 1);
	mtree_destroy(&mt);
	return 0;
}
