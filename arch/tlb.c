// SPDX-License-Identifier: GPL-2.0
/*
 * arch/tlb.c - the TLB model: set-associative arrays per CPU (L1 D, L1 I,
 * unified L2; see arch/pgtable.h for the entry format), their lookup, fill
 * and invalidation, the remote flush queues, Linux's flush_tlb_*() API and
 * mmu_gather batching.
 *
 * Default sizes (tlb_default_cfg):
 *   x86 (Skylake):  L1 D 64x4K (16 sets x 4), 32x2M/4M (8x4), 4x1G (1x4);
 *                   L1 I 128x4K (16x8), 8x2M (1x8);
 *                   L2 (STLB) 1536 x 4K+2M (128x12), 16x1G (4x4).
 *   arm64 (Neoverse N1): L1 D and L1 I 48 base pages (modelled 16 sets x 3)
 *                   + 16 blocks (4x4); L2 1280 entries of any size (256x5).
 * The boot words tlb_l1d=, tlb_l1i= and tlb_l2= (SETSxWAYS) change the
 * base-page arrays (tlb_apply_boot_geometry).
 *
 * Remote flushes.  A CPU never touches another CPU's TLB.  It appends a
 * request (all / one mm / a range of an mm / a kernel range) to the target's
 * queue under the target's qlock and then sets its flush_pending flag
 * (release).  The owner checks flush_pending (one relaxed load) at the start
 * of every translation and context switch and applies the queue, which it
 * takes under qlock (acquire).  A full queue collapses into "flush all".
 * So a translation that starts after flush_tlb_*() returned never uses an
 * entry the flush removed; one already in progress on the target may finish
 * with the old translation -- the access is ordered before the flush, as an
 * access in flight is before a shootdown IPI is taken.  An access in flight
 * is the window between a successful translation and the end of the copy
 * through it (mm/maccess.c brackets it with mmu_access_begin/end, which
 * make access_seq odd and then re-check flush_pending): the sender, after
 * raising flush_pending, waits while the target's access_seq is odd and
 * unchanged -- Linux's flush_tlb_others waiting for the IPIs'
 * acknowledgement.  Dekker's pattern (both sides store, then load the
 * other's flag, sequentially consistent) means either the target sees the
 * flush and translates again, or the sender sees the copy and waits for
 * it; so when flush_tlb_*() returns no store through a covered entry can
 * still land (folio_mkclean and try_to_unmap rely on it: the page's bytes
 * are final before writeback or swap copies them, and a page freed after
 * the flush is never written).  The window holds no lock and never
 * blocks, so the wait cannot deadlock.
 *
 * The L1 index and L2 way hints (arch/pgtable.h) are kept here with the
 * arrays: every fill that replaces an L1 entry and every invalidation
 * forgets the index slots made from the entry (tlb_fast_forget), a full or
 * per-context invalidation wipes the index (and recounts nr_unindexed), and the valid counts (nvalid,
 * nr_huge) change with every entry made valid or invalid (tlb_count).
 *
 * Lock order: qlock is a leaf lock.
 *
 * Invariants (tests/test_tlb.c, tests/test_tlb_mt.c):
 *   - within one set of an array, no two valid entries have the same key
 *     and context (tlb_fill replaces a same-tag entry);
 *   - an entry's pa is aligned to its class's page size, and its key's
 *     class is one the array holds;
 *   - after flush_tlb_*() returns, no translation that starts on any CPU
 *     uses an entry the flush covered (flush_pending is set before the
 *     sender returns and checked before every translation);
 *   - qn <= TLB_QUEUE_LEN, and qall is set whenever a request was dropped;
 *   - every used L1 index slot matches a valid entry of its L1, and each
 *     L1's nr_unindexed is the number of its valid entries no slot owns
 *     (tlb_fast_is_valid); a->nvalid[k] == the valid entries of class k in
 *     a, t->nr_huge == those of classes 1 and 2 in t (tests/test_tlb_index.c).
 */
#include <stdlib.h>
#include <sched.h>
#include <string.h>
#include <stdio.h>
#include <mmsim/swap.h>
#include <mmsim/rmap.h>
#include "arch/pgtable.h"

/* ---------------------------------------------------------------------
 * Configuration and setup
 */

void tlb_default_cfg(enum mmsim_arch arch, struct tlb_cfg *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	if (arch == ARCH_ARM64) {
		cfg->l1d[0] = (struct tlb_array_cfg){ 16, 3, 1 };
		cfg->l1d[1] = (struct tlb_array_cfg){ 4, 4, 2 | 4 };
		cfg->l1i[0] = (struct tlb_array_cfg){ 16, 3, 1 };
		cfg->l1i[1] = (struct tlb_array_cfg){ 4, 4, 2 | 4 };
		cfg->l2[0] = (struct tlb_array_cfg){ 256, 5, 1 | 2 | 4 };
		return;
	}
	cfg->l1d[0] = (struct tlb_array_cfg){ 16, 4, 1 };
	cfg->l1d[1] = (struct tlb_array_cfg){ 8, 4, 2 };
	cfg->l1d[2] = (struct tlb_array_cfg){ 1, 4, 4 };
	cfg->l1i[0] = (struct tlb_array_cfg){ 16, 8, 1 };
	cfg->l1i[1] = (struct tlb_array_cfg){ 1, 8, 2 };
	cfg->l2[0] = (struct tlb_array_cfg){ 128, 12, 1 | 2 };
	cfg->l2[2] = (struct tlb_array_cfg){ 4, 4, 4 };
}

/*
 * The spec words tlb_l1d=, tlb_l1i= and tlb_l2= (SETSxWAYS) replace the
 * geometry of the base-page array of that TLB; huge-page arrays keep the
 * arch's defaults.
 */
void tlb_apply_boot_geometry(const struct machine_hw *hw, struct tlb_cfg *cfg)
{
	struct tlb_array_cfg *base[3] = { &cfg->l1d[0], &cfg->l1i[0], &cfg->l2[0] };

	for (int i = 0; i < 3; i++) {
		if (!hw->hp.tlb_geom[i][0])
			continue;
		base[i]->sets = hw->hp.tlb_geom[i][0];
		base[i]->ways = hw->hp.tlb_geom[i][1];
		base[i]->classes |= 1;
	}
}

static int tlb_init_one(struct tlb *t, const struct tlb_array_cfg *cfg, const char *name)
{
	memset(t, 0, sizeof(*t));
	t->name = name;
	for (int i = 0; i < TLB_NR_CLASSES; i++) {
		struct tlb_array *a;

		if (!cfg[i].sets)
			continue;
		a = &t->store[t->nr_store++];
		a->set_mask = cfg[i].sets - 1u;
		a->ways = cfg[i].ways;
		a->size = (u32)cfg[i].sets * cfg[i].ways;
		a->classes = cfg[i].classes;
		a->e = calloc((size_t)cfg[i].sets * cfg[i].ways, sizeof(*a->e));
		a->victim = calloc(cfg[i].sets, 1);
		if (!a->e || !a->victim)
			return -ENOMEM;
		for (int c = 0; c < TLB_NR_CLASSES; c++)
			if (a->classes & (1u << c))
				t->arr[c] = a;
	}
	return 0;
}

static void tlb_free_one(struct tlb *t)
{
	free(t->hint);
	for (int i = 0; i < t->nr_store; i++) {
		free(t->store[i].e);
		free(t->store[i].victim);
	}
	memset(t, 0, sizeof(*t));
}

/* The index of @t loses every slot: no valid entry of @t is owned now. */
static void tlb_fast_wipe(struct tlb *t)
{
	if (!t->fast)
		return;
	for (unsigned int i = 0; i < TLB_FAST_SIZE; i++) {
		t->fast[i].vpn = TLB_FAST_NONE;
		t->fast[i].own = 0;
	}
	t->nr_unindexed = 0;
	for (int i = 0; i < t->nr_store; i++)
		for (int k = 0; k < TLB_NR_CLASSES; k++)
			t->nr_unindexed += t->store[i].nvalid[k];
}

int tlb_init_cpu(struct mmu_cpu *c, const struct tlb_cfg *cfg)
{
	if (tlb_init_one(&c->l1d, cfg->l1d, "L1 D") || tlb_init_one(&c->l1i, cfg->l1i, "L1 I") ||
	    tlb_init_one(&c->l2, cfg->l2, "L2"))
		return -ENOMEM;
	c->l1d.fast = c->fast;
	c->l1i.fast = c->fast + TLB_FAST_SIZE;
	/* Way hints for the L2's base pages, where positions fit a u16. */
	if (c->l2.arr[0] && (c->l2.arr[0]->set_mask + 1) * c->l2.arr[0]->ways <= 65536) {
		c->l2.hint = calloc(TLB_HINT_SIZE, sizeof(*c->l2.hint));
		if (!c->l2.hint)
			return -ENOMEM;
	}
	tlb_fast_wipe(&c->l1d);
	tlb_fast_wipe(&c->l1i);
	return 0;
}

void tlb_free_cpu(struct mmu_cpu *c)
{
	tlb_free_one(&c->l1d);
	tlb_free_one(&c->l1i);
	tlb_free_one(&c->l2);
}

/* ---------------------------------------------------------------------
 * Lookup and fill
 */

/* ---------------------------------------------------------------------
 * The L1 index (arch/pgtable.h): filled from an L1 entry, forgotten with it
 */

/* A huge page, or a global entry (indexed in any context): forget every
 * slot on its pages. */
noinline void tlb_fast_forget_pages(const struct mmu_cpu *c, struct tlb *t,
					   const struct tlb_entry *e, unsigned long first)
{
	unsigned long n = 1UL << (c->cls_shift[tlb_key_class(e->key)] - c->page_shift);

	for (unsigned int i = 0; i < TLB_FAST_SIZE; i++) {
		struct tlb_fast *s = &t->fast[i];

		/* (an owned slot is another entry's: it stays) */
		if (!s->own && s->vpn - first < n &&
		    (e->ctx == TLB_CTX_GLOBAL || s->ctx == e->ctx))
			s->vpn = TLB_FAST_NONE;
	}
}

/* Does the L1 entry @e (class @cls) say what slot @s says? */
static bool tlb_fast_matches(const struct mmu_cpu *c, const struct tlb_fast *s,
			     const struct tlb_entry *e, int cls)
{
	unsigned long va = s->vpn << c->page_shift;
	unsigned long first = tlb_key_va(c, e->key);

	if (!e->key || tlb_key_class(e->key) != cls)
		return false;
	if (va - first >= (1UL << c->cls_shift[cls]))
		return false;
	if (e->ctx != s->ctx && e->ctx != TLB_CTX_GLOBAL)
		return false;
	return e->allow == s->allow && (unsigned long)e->pa - first == s->delta;
}

/* The valid entries of L1 @t that no slot owns, counted. */
static u32 tlb_count_unindexed(const struct mmu_cpu *c, const struct tlb *t)
{
	u32 n = 0;

	for (int i = 0; i < t->nr_store; i++) {
		const struct tlb_array *a = &t->store[i];

		for (size_t x = 0; x < (size_t)(a->set_mask + 1) * a->ways; x++) {
			const struct tlb_entry *e = &a->e[x];

			if (!e->key)
				continue;
			if (tlb_key_class(e->key) != 0 || e->ctx == TLB_CTX_GLOBAL ||
			    !tlb_fast_owns(c, tlb_fast_slot(t->fast, e->key >> 3,
							    tlb_fast_salt(e->ctx)), e))
				n++;
		}
	}
	return n;
}

/**
 * tlb_fast_is_valid - check the L1 indexes of CPU @c against its L1 TLBs.
 * @c: the CPU (its owner's thread, or one that excludes it).
 *
 * Return: true when every used slot is backed by an L1 entry and each L1's
 * nr_unindexed is right (the invariants of arch/pgtable.h).
 */
bool tlb_fast_is_valid(struct mmu_cpu *c)
{
	for (int i = 0; i < 2; i++) {
		struct tlb *t = i ? &c->l1i : &c->l1d;

		for (unsigned int j = 0; j < TLB_FAST_SIZE; j++) {
			const struct tlb_fast *s = &t->fast[j];
			bool found = false;

			if (s->vpn == TLB_FAST_NONE)
				continue;
			if (tlb_fast_slot(t->fast, s->vpn, tlb_fast_salt(s->ctx)) != s)
				return false;	/* not where a lookup looks */
			for (int k = 0; k < TLB_NR_CLASSES && !found; k++) {
				const struct tlb_array *a = t->arr[k];
				size_t n = a ? (size_t)(a->set_mask + 1) * a->ways : 0;

				for (size_t x = 0; x < n && !found; x++)
					found = tlb_fast_matches(c, s, &a->e[x], k);
			}
			if (!found)
				return false;
		}
		if (tlb_count_unindexed(c, t) != t->nr_unindexed)
			return false;
	}
	return true;
}

/* Out-of-line forms of the inline helpers of arch/pgtable.h. */
struct tlb_entry *tlb_fill(struct mmu_cpu *c, struct tlb *t, const struct tlb_entry *src, int cls,
			   bool absent)
{
	struct tlb_entry *e = __tlb_fill(c, t, src, cls, absent);

	if (e && t->fast)
		t->nr_unindexed++;	/* no slot owns it yet */
	return e;
}

/* ---------------------------------------------------------------------
 * Local invalidation
 */

static u32 tlb_array_nr_valid(const struct tlb_array *a)
{
	return a->nvalid[0] + a->nvalid[1] + a->nvalid[2];
}

/*
 * Invalidate the entries of @t that a full (@all) or per-context flush
 * covers; the L1 index loses every slot (a superset, and cheaper).
 * An array with no valid entry is not scanned, and a TLB with none at all
 * is left alone: by the index invariant its index has no used slot and
 * nr_unindexed is 0, so the wipe would change nothing either.  (Reclaim
 * flushes the mm once per dirty page it unmaps, try_to_unmap_flush_dirty;
 * all but the first of a batch find the TLB empty.)
 */
static void tlb_inval_if(struct tlb *t, bool all, bool include_global, u32 ctx)
{
	u32 valid = 0;

	for (int i = 0; i < t->nr_store; i++)
		valid += tlb_array_nr_valid(&t->store[i]);
	if (!valid)
		return;
	for (int i = 0; i < t->nr_store; i++) {
		struct tlb_array *a = &t->store[i];
		size_t n = (size_t)(a->set_mask + 1) * a->ways;

		if (!tlb_array_nr_valid(a))
			continue;
		if (all && include_global) {
			for (size_t j = 0; j < n; j++)
				a->e[j].key = 0;
			memset(a->nvalid, 0, sizeof(a->nvalid));
			continue;
		}
		for (size_t j = 0; j < n; j++) {
			struct tlb_entry *e = &a->e[j];
			bool global = e->ctx == TLB_CTX_GLOBAL;

			if (!e->key)
				continue;
			if (all ? !global : (!global && e->ctx == ctx)) {
				tlb_count(t, a, tlb_key_class(e->key), -1);
				e->key = 0;
			}
		}
	}
	if (all && include_global)
		t->nr_huge = 0;
	tlb_fast_wipe(t);
}

void tlb_local_flush_all(struct mmu_cpu *c, bool include_global)
{
	tlb_inval_if(&c->l1d, true, include_global, 0);
	tlb_inval_if(&c->l1i, true, include_global, 0);
	tlb_inval_if(&c->l2, true, include_global, 0);
	tlb_stat_inc(c, flush_all);
}

void tlb_local_flush_ctx(struct mmu_cpu *c, u32 ctx)
{
	tlb_inval_if(&c->l1d, false, false, ctx);
	tlb_inval_if(&c->l1i, false, false, ctx);
	tlb_inval_if(&c->l2, false, false, ctx);
	tlb_stat_inc(c, flush_asid);
}

/* INVLPG / TLBI VAE1: the entries translating @va in @ctx, and global ones. */
static void tlb_inval_va(const struct mmu_cpu *c, struct tlb *t, unsigned long va, u32 ctx,
			 bool any_ctx)
{
	for (int k = 0; k < TLB_NR_CLASSES; k++) {
		struct tlb_array *a = t->arr[k];
		struct tlb_entry *set;
		u64 key;

		if (!a)
			continue;
		if (!a->nvalid[k])
			continue;
		set = tlb_set_of(a, c, va, k, &key);
		for (int w = tlb_probe(set, a->ways, key, ctx, any_ctx, 0); w >= 0;
		     w = tlb_probe(set, a->ways, key, ctx, any_ctx, (u32)w + 1)) {
			tlb_fast_forget(c, t, &set[w]);
			tlb_count(t, a, k, -1);
			set[w].key = 0;
		}
	}
}

static unsigned long range_pages(unsigned long start, unsigned long end, unsigned int stride)
{
	if (end == TLB_FLUSH_ALL || end <= start)
		return ~0UL;
	return (end - start + (1UL << stride) - 1) >> stride;
}

void tlb_local_flush_range(struct mmu_cpu *c, unsigned long start, unsigned long end,
			   unsigned int stride_shift, u32 ctx, bool kernel)
{
	unsigned long n = range_pages(start, end, stride_shift);

	if (n > tlb_single_page_flush_ceiling) {
		if (kernel)
			tlb_local_flush_all(c, true);
		else
			tlb_local_flush_ctx(c, ctx);
		return;
	}
	for (unsigned long i = 0; i < n; i++) {
		unsigned long va = start + (i << stride_shift);

		tlb_inval_va(c, &c->l1d, va, ctx, kernel);
		tlb_inval_va(c, &c->l1i, va, ctx, kernel);
		tlb_inval_va(c, &c->l2, va, ctx, kernel);
	}
	WRITE_ONCE(c->stats.flush_pages, READ_ONCE(c->stats.flush_pages) + n);
}

/* ---------------------------------------------------------------------
 * Requests: applied locally now, or queued for another CPU
 */

/* Apply @r on its owner @c; returns the pages invalidated one by one
 * (0 for a full flush). */
static unsigned long tlb_apply(struct mmu_cpu *c, const struct tlb_req *r)
{
	bool found = true;
	u32 ctx = 0;

	switch (r->kind) {
	case TLB_REQ_ALL:
		tlb_local_flush_all(c, true);
		return 0;
	case TLB_REQ_KRANGE:
		tlb_local_flush_range(c, r->start, r->end, r->stride_shift, 0, true);
		break;
	case TLB_REQ_MM:
		ctx = asid_ctx_of(c, r->mm_id, &found);
		if (found)
			tlb_local_flush_ctx(c, ctx);
		return 0;
	case TLB_REQ_RANGE:
		ctx = asid_ctx_of(c, r->mm_id, &found);
		if (found)
			tlb_local_flush_range(c, r->start, r->end, r->stride_shift, ctx, false);
		break;
	}
	return range_pages(r->start, r->end, r->stride_shift) > tlb_single_page_flush_ceiling ?
		       0 : range_pages(r->start, r->end, r->stride_shift);
}

/* Wait for the copy @t may be doing through an old translation. */
static void tlb_wait_access(struct mmu_cpu *t)
{
	unsigned int seq = atomic_load_explicit(&t->access_seq, memory_order_seq_cst);

	if (!(seq & 1))
		return;
	while (atomic_load_explicit(&t->access_seq, memory_order_acquire) == seq)
		sched_yield();
}

static void tlb_post(struct mmu_cpu *t, const struct tlb_req *r)
{
	spin_lock(&t->qlock);
	if (t->qn < TLB_QUEUE_LEN)
		t->q[t->qn++] = *r;
	else
		t->qall = true;
	spin_unlock(&t->qlock);
	atomic_store_explicit(&t->flush_pending, 1, memory_order_seq_cst);
	tlb_wait_access(t);
}

/*
 * Begin copying through a translation just made: false if a flush arrived
 * meanwhile (the caller translates again).  Only the owner writes
 * access_seq, so plain stores do (no read-modify-write); the store that
 * makes it odd is sequentially consistent, ordered before the load of
 * flush_pending (the Dekker pair with tlb_post).
 */
bool mmu_access_begin(void)
{
	struct mmu_cpu *c = this_mmu_cpu();
	unsigned int seq = atomic_load_explicit(&c->access_seq, memory_order_relaxed);

	atomic_store_explicit(&c->access_seq, seq + 1, memory_order_seq_cst);
	if (atomic_load_explicit(&c->flush_pending, memory_order_seq_cst)) {
		atomic_store_explicit(&c->access_seq, seq + 2, memory_order_release);
		return false;
	}
	return true;
}

void mmu_access_end(void)
{
	struct mmu_cpu *c = this_mmu_cpu();
	unsigned int seq = atomic_load_explicit(&c->access_seq, memory_order_relaxed);

	atomic_store_explicit(&c->access_seq, seq + 1, memory_order_release);
}

/* The owner applies what other CPUs asked (called when flush_pending). */
void tlb_process_pending(struct mmu_cpu *c)
{
	struct tlb_req q[TLB_QUEUE_LEN];
	bool all;
	int n;

	spin_lock(&c->qlock);
	n = c->qn;
	all = c->qall;
	memcpy(q, c->q, sizeof(q[0]) * (size_t)n);
	c->qn = 0;
	c->qall = false;
	atomic_store_explicit(&c->flush_pending, 0, memory_order_relaxed);
	spin_unlock(&c->qlock);
	if (all) {
		tlb_local_flush_all(c, true);
		n = TLB_QUEUE_LEN + 1;
	} else {
		for (int i = 0; i < n; i++)
			tlb_apply(c, &q[i]);
	}
	WRITE_ONCE(c->stats.shootdowns_recv, READ_ONCE(c->stats.shootdowns_recv) + (unsigned long)n);
	if (this_cpu_hw() && this_cpu_hw()->id == c->cpu)
		count_vm_events(NR_TLB_REMOTE_FLUSH_RECEIVED, n);
}

/* Post @r to every CPU of @mask (all CPUs when NULL) but the caller's. */
static void tlb_flush_others(struct mmu_cpu *me, const struct mm_cpumask *mask,
			     const struct tlb_req *r)
{
	struct arch_mmu *mmu = me->hw->mmu;
	bool sent = false;

	for (int i = 0; i < mmu->nr_cpus; i++) {
		if (i == me->cpu || (mask && !mm_cpumask_test_cpu(i, mask)))
			continue;
		tlb_post(&mmu->cpus[i], r);
		tlb_stat_inc(me, shootdowns_sent);
		sent = true;
	}
	if (sent)
		count_vm_events(NR_TLB_REMOTE_FLUSH, 1);
}

static void tlb_count_local(unsigned long pages)
{
	if (pages)
		count_vm_events(NR_TLB_LOCAL_FLUSH_ONE, (long)pages);
	else
		count_vm_events(NR_TLB_LOCAL_FLUSH_ALL, 1);
}

/* ---------------------------------------------------------------------
 * Linux's API
 */

void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end,
			unsigned int stride_shift, bool freed_tables)
{
	struct mmu_cpu *me = this_mmu_cpu();
	struct tlb_req r = {
		.kind = TLB_REQ_RANGE, .mm_id = asid_mm_id(mm),
		.start = start, .end = end, .stride_shift = stride_shift,
	};

	(void)freed_tables;
	if (range_pages(start, end, stride_shift) > tlb_single_page_flush_ceiling)
		r.kind = TLB_REQ_MM;
	atomic_fetch_add_explicit(&mm->context.tlb_gen, 1, memory_order_relaxed);
	if (mm_cpumask_test_cpu(me->cpu, mm_cpumask(mm)))
		tlb_count_local(tlb_apply(me, &r));
	tlb_flush_others(me, mm_cpumask(mm), &r);
}

void flush_tlb_mm(struct mm_struct *mm)
{
	flush_tlb_mm_range(mm, 0, TLB_FLUSH_ALL, 0, false);
}

void flush_tlb_all(void)
{
	struct mmu_cpu *me = this_mmu_cpu();
	struct tlb_req r = { .kind = TLB_REQ_ALL };

	tlb_count_local(tlb_apply(me, &r));
	tlb_flush_others(me, NULL, &r);
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	struct mmu_cpu *me = this_mmu_cpu();
	struct tlb_req r = { .kind = TLB_REQ_KRANGE, .start = start, .end = end,
			     .stride_shift = me->page_shift };

	if (range_pages(start, end, me->page_shift) > tlb_single_page_flush_ceiling) {
		flush_tlb_all();
		return;
	}
	tlb_count_local(tlb_apply(me, &r));
	tlb_flush_others(me, NULL, &r);
}

void local_flush_tlb_all(void)
{
	tlb_local_flush_all(this_mmu_cpu(), true);
	count_vm_events(NR_TLB_LOCAL_FLUSH_ALL, 1);
}

void local_flush_tlb_mm(struct mm_struct *mm)
{
	struct mmu_cpu *me = this_mmu_cpu();
	struct tlb_req r = { .kind = TLB_REQ_MM, .mm_id = asid_mm_id(mm) };

	tlb_count_local(tlb_apply(me, &r));
}

void local_flush_tlb_page(struct mm_struct *mm, unsigned long addr)
{
	struct mmu_cpu *me = this_mmu_cpu();
	struct tlb_req r = { .kind = TLB_REQ_RANGE, .mm_id = asid_mm_id(mm), .start = addr,
			     .end = addr + (1UL << me->page_shift),
			     .stride_shift = me->page_shift };

	if (mm->is_init_mm)
		r.kind = TLB_REQ_KRANGE;
	tlb_count_local(tlb_apply(me, &r));
}

/* Knob changes: flush every CPU's TLB (others at their next access). */
void tlb_flush_everything(struct arch_mmu *mmu)
{
	struct tlb_req r = { .kind = TLB_REQ_ALL };
	struct mmu_cpu *me = this_mmu_cpu();

	(void)mmu;
	tlb_apply(me, &r);
	tlb_flush_others(me, NULL, &r);
}

/* ---------------------------------------------------------------------
 * mmu_gather
 */

void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm)
{
	memset(tlb, 0, sizeof(*tlb));
	tlb->mm = mm;
	tlb->start = ~0UL;
}

void tlb_gather_mmu_fullmm(struct mmu_gather *tlb, struct mm_struct *mm)
{
	tlb_gather_mmu(tlb, mm);
	tlb->fullmm = true;
}

void __tlb_adjust_range(struct mmu_gather *tlb, unsigned long address, unsigned long size)
{
	tlb->start = min(tlb->start, address);
	tlb->end = max(tlb->end, address + size);
}

void tlb_remove_tlb_entry(struct mmu_gather *tlb, void *ptep, unsigned long address)
{
	(void)ptep;
	__tlb_adjust_range(tlb, address, PAGE_SIZE);
}

void tlb_flush_mmu_tlbonly(struct mmu_gather *tlb)
{
	if (tlb->fullmm || tlb->need_flush_all)
		flush_tlb_mm(tlb->mm);
	else if (tlb->end > tlb->start && tlb->mm->is_init_mm)
		flush_tlb_kernel_range(tlb->start, tlb->end);
	else if (tlb->end > tlb->start)
		flush_tlb_mm_range(tlb->mm, tlb->start, tlb->end, PAGE_SHIFT, tlb->freed_tables);
	tlb->start = ~0UL;
	tlb->end = 0;
	tlb->freed_tables = false;
	tlb->need_flush_all = false;
}

void tlb_flush_mmu(struct mmu_gather *tlb)
{
	tlb_flush_mmu_tlbonly(tlb);
	/* Linux's free_pages_and_swap_cache: an unmapped page's swap cache
	 * goes with it when nobody else uses its slot. */
	for (unsigned int i = 0; i < tlb->nr_pages; i++) {
		free_swap_cache(page_folio(tlb->pages[i]));
		put_page(tlb->pages[i]);
	}
	for (unsigned int i = 0; i < tlb->nr_tables; i++)
		pgtable_free_table(tlb->mm, page_address(tlb->tables[i]), tlb->table_level[i]);
	tlb->nr_pages = 0;
	tlb->nr_tables = 0;
}

void tlb_finish_mmu(struct mmu_gather *tlb)
{
	tlb_flush_mmu(tlb);
}

bool tlb_remove_page(struct mmu_gather *tlb, struct page *page)
{
	tlb->pages[tlb->nr_pages++] = page;
	if (tlb->nr_pages < MMU_GATHER_BUNDLE)
		return false;
	tlb_flush_mmu(tlb);
	return true;
}

void tlb_remove_table(struct mmu_gather *tlb, struct page *table, int lvl)
{
	tlb->table_level[tlb->nr_tables] = (unsigned char)lvl;
	tlb->tables[tlb->nr_tables++] = table;
	if (tlb->nr_tables == MMU_GATHER_BUNDLE)
		tlb_flush_mmu(tlb);
}

void __pgtable_free_tlb(struct mmu_gather *tlb, void *table, unsigned long addr, int lvl)
{
	if (pgt_geom()->folded[lvl])
		return;
	tlb->freed_tables = true;
	__tlb_adjust_range(tlb, addr, PAGE_SIZE);
	tlb_remove_table(tlb, virt_to_page(table), lvl);
}

/* ---------------------------------------------------------------------
 * Counters
 */

void tlb_get_stats(struct mmsim *m, int cpu, struct tlb_stats *out)
{
	const struct arch_mmu *mmu = mmsim_hw(m)->mmu;
	const struct mmu_cpu *c = &mmu->cpus[cpu];

#define S(f) out->f = READ_ONCE(c->stats.f)
	out->l1_hits = READ_ONCE(c->l1_hits);
	S(l2_hits);
	S(walks);
	S(faults);
	S(flush_all);
	S(flush_asid);
	S(flush_pages);
	S(shootdowns_sent);
	S(shootdowns_recv);
	S(ctx_switches);
	S(ctx_switch_flushes);
#undef S
	out->asid_rollovers = atomic_load_explicit(&mmu->asid_rollovers, memory_order_relaxed);
	out->asid_generation = (unsigned long)(atomic_load_explicit(&mmu->asid_generation,
								    memory_order_relaxed) >>
					       mmu->asid_bits);
}

char *tlb_render_stats(struct mmsim *m)
{
	int nr_cpus = mmsim_hw(m)->nr_cpus;
	size_t cap = 256 + (size_t)nr_cpus * 256, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	len += (size_t)snprintf(buf + len, cap - len,
				"cpu l1_hits l2_hits walks faults flush_all flush_asid flush_pages "
				"shootdowns_sent shootdowns_recv ctx_switches ctx_switch_flushes\n");
	for (int i = 0; i < nr_cpus; i++) {
		struct tlb_stats s;

		tlb_get_stats(m, i, &s);
		len += (size_t)snprintf(buf + len, cap - len,
					"%d %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu %lu\n", i,
					s.l1_hits, s.l2_hits, s.walks, s.faults, s.flush_all,
					s.flush_asid, s.flush_pages, s.shootdowns_sent,
					s.shootdowns_recv, s.ctx_switches, s.ctx_switch_flushes);
	}
	return buf;
}
