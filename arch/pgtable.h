/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch/pgtable.h - the MMU model's private state: struct arch_mmu (one per
 * machine) and struct mmu_cpu (one per simulated CPU, with its TLBs).
 * Internal: shared by arch/mmu.c, arch/tlb.c, arch/asid.c, arch/paging.c,
 * arch/pgtable_*.c, mm/pgtable-generic.c and mm/mm_struct.c.
 *
 * TLB model.  Each CPU has an L1 data TLB, an L1 instruction TLB and a
 * unified L2 TLB.  Each is up to three set-associative arrays, one per
 * page-size class (0: base page, 1: PMD leaf, 2: PUD leaf); one array may
 * hold several classes (x86's STLB holds 4K and 2M).  An entry is tagged by
 * its virtual page number and class (key) and its context (ctx): the ASID
 * or PCID of the address space that filled it, or TLB_CTX_GLOBAL for a
 * global translation (x86 G, arm64 nG=0), which matches every context.
 * Replacement is round-robin per set (deterministic).  Entries cache the
 * permission the walk found (allow: one bit per access type) and are never
 * updated from the page table: only a flush removes them.  Each array
 * counts its valid entries per class (nvalid) and each TLB its huge ones
 * (nr_huge), so a lookup skips a class that has none (the huge-page
 * arrays, most of the time).
 *
 * The L1 index (struct tlb_fast).  In front of each L1 TLB sits a
 * direct-mapped table of TLB_FAST_SIZE slots indexed by the base-page
 * number of the address xor a hash of the context (fast_salt), so that
 * two address spaces' copies of one address sit apart.  A slot is a copy
 * of what an L1 entry says for one base page in one context: full page
 * number (so a non-canonical address never matches), ctx, pa - va (so the
 * translation is one add) and allow.  It is an index, not a cache level:
 * it holds nothing the L1 does not (invariant below), so a hit in it is
 * an L1 hit, counted as one, and a miss in it only means "probe the L1
 * arrays".  The hit path is one slot: page number, context and permission
 * compared, no loop.  The L2 has way hints instead (tlb_hint_slot): a
 * place to look first, checked by tag, never invalidated.
 *
 * Invariant (tlb_fast_is_valid): every used slot of an index (l1d.fast,
 * l1i.fast) matches a valid entry E of that L1 TLB: E covers the slot's
 * page, E.ctx is the slot's ctx or TLB_CTX_GLOBAL, va + delta is what E
 * translates va of that page to, and E.allow == slot.allow.  Kept by
 * forgetting the slots of every L1 entry that is replaced or invalidated
 * (tlb_fast_forget) and wiping the table on a full or per-context flush.
 *
 * A base-page, non-global L1 entry can be indexed by one slot only (its
 * page number xor its context's hash); a slot made from such an entry is
 * marked own.  Each L1 counts its valid entries that no slot owns
 * (nr_unindexed): every huge or global entry, and each base-page one whose
 * slot holds another page.  While the count is zero, a miss in the index
 * (the slot holds another page or context) is a miss in the L1, and the
 * slow path goes straight to the L2 without probing the L1 arrays.
 * tlb_fast_is_valid recounts it.
 *
 * Ownership.  A CPU's TLBs, stats and context are touched only by the thread
 * entered on that CPU (hand-over between threads is ordered by the CPU
 * state's acquire/release exchange in init/main.c).  Other CPUs post
 * flush requests into its queue (qlock) and raise flush_pending; the owner
 * applies them before its next translation or context switch.
 */
#ifndef MMSIM_ARCH_PGTABLE_H
#define MMSIM_ARCH_PGTABLE_H

#include <mmsim/pgtable.h>
#include <mmsim/mmu.h>
#include <mmsim/tlbflush.h>
#include "arch/machine.h"

#define TLB_NR_CLASSES	3
#define TLB_CTX_GLOBAL	0xffffffffu
#define TLB_NR_DYN_ASIDS 6		/* x86: PCID slots per CPU */
#define TLB_QUEUE_LEN	16

/* Unroll the loop that follows completely (its trip count is a constant). */
#if defined(__clang__)
#define MMSIM_UNROLL	_Pragma("unroll")
#else
#define MMSIM_UNROLL	_Pragma("GCC unroll 8")
#endif

#define TLB_FAST_BITS	7
#define TLB_FAST_SIZE	(1u << TLB_FAST_BITS)	/* slots of each L1 index */
#define TLB_FAST_NONE	(~0UL)			/* vpn of an unused slot */
#define TLB_HINT_BITS	12
#define TLB_HINT_SIZE	(1u << TLB_HINT_BITS)	/* slots of the L2 way hints */

/* A translation.  allow bit a (a = access | user) set: no walk needed. */
struct tlb_entry {
	u64 key;			/* (vpn << 3) | (class << 1) | 1; 0 = invalid */
	u64 pa;				/* physical base of the page (class-sized) */
	u32 ctx;			/* ASID/PCID, or TLB_CTX_GLOBAL */
	u32 allow;			/* bitmap over access types 0..6 */
};

struct tlb_array {
	struct tlb_entry *e;		/* [nr_sets * ways], set-major */
	u8 *victim;			/* [nr_sets]: next way to replace */
	u32 set_mask;			/* nr_sets - 1 (power of two) */
	u32 ways;
	u32 classes;			/* bit c: holds class c */
	u32 size;			/* nr_sets * ways */
	u32 nvalid[TLB_NR_CLASSES];	/* valid entries of each class */
};

/* One slot of an L1 index: what the L1 says for one base page. */
struct tlb_fast {
	unsigned long vpn;		/* va >> page_shift, all bits; TLB_FAST_NONE: unused */
	unsigned long delta;		/* pa - va on that page (mod 2^64) */
	u32 ctx;			/* context it was filled in (the CPU's ctx then) */
	u32 allow;			/* the L1 entry's allow */
	u32 own;			/* 1: made from a base-page, non-global entry (the
					 * one slot that can index it); else 0 */
	u32 pad;			/* 32 bytes: the index is a shift */
};

struct tlb {
	struct tlb_array *arr[TLB_NR_CLASSES];	/* array serving each class, or NULL */
	struct tlb_array store[TLB_NR_CLASSES];
	int nr_store;
	u32 nr_huge;			/* valid entries of classes 1 and 2, all arrays */
	u32 nr_unindexed;		/* L1: valid entries no slot owns (below) */
	struct tlb_fast *fast;		/* L1: its index (in struct mmu_cpu); L2: NULL */
	u16 *hint;			/* L2: [TLB_HINT_SIZE] positions in arr[0]->e; else NULL */
	const char *name;
};

/* Geometry of one array: sets x ways, the classes it holds. */
struct tlb_array_cfg {
	u16 sets, ways;
	u8 classes;
};

struct tlb_cfg {
	struct tlb_array_cfg l1d[TLB_NR_CLASSES], l1i[TLB_NR_CLASSES], l2[TLB_NR_CLASSES];
};

enum tlb_req_kind { TLB_REQ_ALL, TLB_REQ_MM, TLB_REQ_RANGE, TLB_REQ_KRANGE };

struct tlb_req {
	enum tlb_req_kind kind;
	u64 mm_id;			/* x86 ctx_id / arm64 ASID of the mm */
	unsigned long start, end;
	unsigned int stride_shift;
};

struct mmu_cpu;
struct kvm_arch_host;
struct walk_result;
struct mmu_fault;
typedef int (*mmu_walk_fn)(struct mmu_cpu *c, void *root, unsigned long va, unsigned int acc,
			   struct walk_result *r, struct mmu_fault *f);

struct mmu_cpu {
	/* Hot: read by every translation (the first cache line). */
	atomic_uint flush_pending;	/* requests queued (owner clears) */
	atomic_uint access_seq;		/* odd while the owner copies through a translation
					 * (mmu_access_begin/end): a shootdown waits for it */
	u32 ctx;			/* tag of user entries: ASID / PCID (mmu_set_ctx) */
	u32 fast_salt;			/* tlb_fast_salt(ctx): index hash of the context */
	u32 hint_salt;			/* the same for the L2 way hints */
	unsigned char va_bits, page_shift;
	unsigned char cls_shift[TLB_NR_CLASSES];	/* page shift of each size class */
	u64 va_mask;			/* low va_bits bits */
	unsigned long canon_add;	/* canonical iff ((va + canon_add) >> va_bits) == 0 */
	unsigned long l1_hits;		/* stats.l1_hits, kept here beside the index */
	mmu_walk_fn walk;		/* the arch's page walker (arch/pgtable_*.c) */
	void *root;			/* host address of the user root table (CR3/TTBR0) */
	void *kroot;			/* arm64 TTBR1 (swapper_pg_dir); NULL on x86 */

	/* The L1 indexes: D's slots, then I's (invariant in the header comment). */
	struct tlb_fast fast[2 * TLB_FAST_SIZE];

	struct tlb l1d, l1i, l2;
	struct tlb_stats stats;		/* owner-written, relaxed; l1_hits is above */

	/* Context. */
	struct mm_struct *active_mm;	/* holds an mm_count reference */
	struct {
		u64 ctx_id;		/* mm using PCID slot+1; 0 = free */
		u64 tlb_gen;		/* its tlb_gen when last flushed here */
	} slot[TLB_NR_DYN_ASIDS];
	unsigned int next_slot;		/* round-robin victim */
	atomic_ullong active_asid;	/* arm64: per-CPU active_asids */
	u64 reserved_asid;		/* arm64: under asid_lock */
	atomic_bool rollover_flush;	/* arm64: tlb_flush_pending bit */

	/* Remote requests. */
	spinlock_t qlock;
	int qn;				/* requests in q[] */
	bool qall;			/* overflowed: flush everything */
	struct tlb_req q[TLB_QUEUE_LEN];

	struct machine_hw *hw;
	void *seg_cpu;			/* x86: arch/segment.c's GDT page (its host address);
					 * NULL until segmentation is first used */
	int cpu;
} __attribute__((aligned(64)));

struct arch_mmu {
	struct mm_struct kernel_mm;	/* init_mm: the kernel address space */
	const struct pgtable_geom *geom;
	int nr_cpus;
	struct mmu_cpu *cpus;		/* [nr_cpus] */
	struct tlb_cfg cfg;
	void *reserved_pg_dir;		/* arm64: empty TTBR0 table for init_mm */
	unsigned long dm_pages[TLB_NR_CLASSES];	/* direct-map leaves per size class */
	atomic_long kernel_pt_pages;	/* kernel page-table pages */
	atomic_ullong next_ctx_id;	/* x86 mm ids */
	bool pcid;			/* x86_64 PCIDs in use */
	unsigned int nr_slots;		/* PCID slots in use: 6, or 1 without PCIDs */
	/* arm64 ASID allocator (arch/arm64/mm/context.c); asid_lock. */
	spinlock_t asid_lock;
	unsigned int asid_bits;
	atomic_ullong asid_generation;	/* multiple of 1 << asid_bits */
	unsigned long *asid_map;	/* [BITS_TO_LONGS(1 << asid_bits)] */
	unsigned long asid_cur_idx;
	atomic_ulong asid_rollovers;
	struct kvm_arch_host *kvm;	/* arch/kvm.h: VMIDs, VMs; NULL before the first VM */
	/* Host view of all RAM (highmem pages included). */
};

static inline struct arch_mmu *machine_mmu(void)
{
	return current_hw()->mmu;
}

static inline struct mmu_cpu *this_mmu_cpu(void)
{
	struct cpu_hw *c = this_cpu_hw();

	if (unlikely(!c->mmu))
		c->mmu = &c->hw->mmu->cpus[c->id];	/* paging_teardown resets it */
	return c->mmu;
}

/* The index hash of context @ctx: spreads ASIDs/PCIDs over the slot bits. */
static inline u32 tlb_fast_salt(u32 ctx)
{
	return (ctx * 0x9e3779b1u) >> (32 - TLB_FAST_BITS);
}

/* Load context @ctx (switch_mm, ASID allocation): user entries are tagged
 * with it from now on. */
static inline void mmu_set_ctx(struct mmu_cpu *c, u32 ctx)
{
	c->ctx = ctx;
	c->fast_salt = tlb_fast_salt(ctx);
	c->hint_salt = (ctx * 0x9e3779b1u) >> (32 - TLB_HINT_BITS);
}

static inline struct tlb_fast *tlb_fast_slot(struct tlb_fast *fast, unsigned long vpn, u32 salt)
{
	return &fast[(vpn ^ salt) & (TLB_FAST_SIZE - 1)];
}

/*
 * The TLB probe, one for every lookup: the set of @a that may hold the
 * translation of @va in size class @cls (its tag in *@key), and the first
 * way at or after @w whose entry has that tag and is visible in context
 * @ctx (a global entry is visible in every context; @any_ctx matches every
 * entry with the tag); -1 if none.
 */
static inline struct tlb_entry *tlb_set_of(const struct tlb_array *a, const struct mmu_cpu *c,
					   unsigned long va, int cls, u64 *key)
{
	u64 vpn = (va & c->va_mask) >> c->cls_shift[cls];

	*key = (vpn << 3) | ((u64)cls << 1) | 1;
	return a->e + (size_t)(vpn & a->set_mask) * a->ways;
}

static inline int tlb_probe(const struct tlb_entry *set, u32 ways, u64 key, u32 ctx,
			    bool any_ctx, u32 w)
{
	for (; w < ways; w++)
		if (set[w].key == key &&
		    (any_ctx || set[w].ctx == ctx || set[w].ctx == TLB_CTX_GLOBAL))
			return (int)w;
	return -1;
}

/* tlb_probe of a whole set of @ways ways, a constant: unrolled, no loop. */
static __always_inline int tlb_probe_n(const struct tlb_entry *set, const u32 ways, u64 key,
				       u32 ctx)
{
	MMSIM_UNROLL
	for (u32 w = 0; w < ways; w++)
		if (set[w].key == key && (set[w].ctx == ctx || set[w].ctx == TLB_CTX_GLOBAL))
			return (int)w;
	return -1;
}

/* tlb_probe of a whole set, unrolled for the way counts of the default
 * geometries (tlb_default_cfg). */
static __always_inline int tlb_probe_set(const struct tlb_entry *set, u32 ways, u64 key, u32 ctx)
{
	switch (ways) {
	case 3:
		return tlb_probe_n(set, 3, key, ctx);
	case 4:
		return tlb_probe_n(set, 4, key, ctx);
	case 5:
		return tlb_probe_n(set, 5, key, ctx);
	case 8:
		return tlb_probe_n(set, 8, key, ctx);
	case 12:
		return tlb_probe_n(set, 12, key, ctx);
	default:
		return tlb_probe(set, ways, key, ctx, false, 0);
	}
}

/*
 * The entry of @t translating @va in context @ctx, or NULL; *@cls its
 * class.  Inline in the translation's slow path; a class with no valid
 * entry in its array costs one test.
 */
static __always_inline struct tlb_entry *tlb_lookup(struct tlb *t, unsigned long va, u32 ctx,
						    const struct mmu_cpu *c, int *cls)
{
	u64 vm = va & c->va_mask;

	MMSIM_UNROLL
	for (int k = 0; k < TLB_NR_CLASSES; k++) {
		const struct tlb_array *a = t->arr[k];
		struct tlb_entry *set;
		u64 vpn, key;
		int w;

		if (k > 0 && !t->nr_huge)
			break;
		if (!a || !a->nvalid[k])
			continue;
		vpn = vm >> c->cls_shift[k];
		key = (vpn << 3) | ((u64)k << 1) | 1;
		set = a->e + (size_t)(vpn & a->set_mask) * a->ways;
		w = k == 0 ? tlb_probe_set(set, a->ways, key, ctx) :
			     tlb_probe(set, a->ways, key, ctx, false, 0);
		if (w >= 0) {
			*cls = k;
			return &set[w];
		}
	}
	return NULL;
}

/*
 * The L2 way hints: for a base page, the position in the L2's base-page
 * array where its entry was last put or found, indexed like the L1 index.
 * A hint is only a place to look first: the entry there is used only if
 * its tag and context match, so hints are never invalidated.  (When a set
 * holds two entries for one page visible in one context -- a global one
 * and one of the context -- the hint may name either; both are valid
 * cached translations.)
 */
static inline u16 *tlb_hint_slot(const struct mmu_cpu *c, const struct tlb *t, unsigned long va)
{
	return &t->hint[((va >> c->page_shift) ^ c->hint_salt) & (TLB_HINT_SIZE - 1)];
}

static __always_inline struct tlb_entry *tlb_lookup_hinted(struct mmu_cpu *c, struct tlb *t,
							   unsigned long va, int *cls)
{
	struct tlb_entry *e;

	if (t->hint) {		/* (an invalid entry's key never matches) */
		u64 key = (((va & c->va_mask) >> c->page_shift) << 3) | 1;

		e = t->arr[0]->e + *tlb_hint_slot(c, t, va);
		if (e->key == key && (e->ctx == c->ctx || e->ctx == TLB_CTX_GLOBAL)) {
			*cls = 0;
			return e;
		}
	}
	e = tlb_lookup(t, va, c->ctx, c, cls);
	if (e && *cls == 0 && t->hint)
		*tlb_hint_slot(c, t, va) = (u16)(e - t->arr[0]->e);
	return e;
}

/* The class of a valid key. */
static inline int tlb_key_class(u64 key)
{
	return (int)(key >> 1) & 3;
}

/* @d more valid entries of class @cls in array @a of @t. */
static inline void tlb_count(struct tlb *t, struct tlb_array *a, int cls, int d)
{
	a->nvalid[cls] += (u32)d;
	if (cls)
		t->nr_huge += (u32)d;
}

/* ---------------------------------------------------------------------
 * Fill, and the L1 index kept with it (inline in the translation's slow
 * path; arch/tlb.c has the out-of-line forms)
 */

void tlb_fast_forget_pages(const struct mmu_cpu *c, struct tlb *t, const struct tlb_entry *e,
			   unsigned long first);		/* arch/tlb.c */

/* The canonical virtual address where the entry with @key begins. */
static __always_inline unsigned long tlb_key_va(const struct mmu_cpu *c, u64 key)
{
	unsigned long va = (unsigned long)(key >> 3) << c->cls_shift[tlb_key_class(key)];
	int up = 64 - c->va_bits;

	if (c->canon_add)	/* sign-extend from bit va_bits - 1 */
		va = (unsigned long)((long)(va << up) >> up);
	return va;
}

/*
 * Index @va through L1 entry @e (class @cls), which the CPU has just used
 * or filled in its current context: @s is the slot of @va in that L1's
 * index (tlb_fast_slot with the CPU's fast_salt).
 */
static __always_inline void tlb_fast_fill(struct mmu_cpu *c, struct tlb *t, struct tlb_fast *s,
					  const struct tlb_entry *e, int cls, unsigned long va)
{
	unsigned long vpn = va >> c->page_shift;
	u32 own = cls == 0 && e->ctx != TLB_CTX_GLOBAL;	/* then e->ctx == c->ctx */
	/* s owns an entry of this page and context: e itself, when e can be
	 * owned (an L1 holds one entry per tag and context) */
	bool had = s->own && s->vpn == vpn && s->ctx == c->ctx;

	if (s->own && !(own && had))
		t->nr_unindexed++;		/* its owner loses its slot */
	if (own && !had)
		t->nr_unindexed--;		/* e gains one */
	s->own = own;
	s->vpn = vpn;
	s->ctx = c->ctx;
	s->allow = e->allow;
	/* pa - va, constant over the page (pa and va agree below cls_shift) */
	s->delta = (unsigned long)e->pa - (va & ~((1UL << c->cls_shift[cls]) - 1));
}

/* Does slot @s own the base-page, non-global entry @e (its page, its ctx)? */
static __always_inline bool tlb_fast_owns(const struct mmu_cpu *c, const struct tlb_fast *s,
					  const struct tlb_entry *e)
{
	return s->own && s->ctx == e->ctx &&
	       !((s->vpn ^ (e->key >> 3)) & (c->va_mask >> c->page_shift));
}

/*
 * Index @va through @e, which __tlb_fill has just put in L1 @t (not yet
 * counted in nr_unindexed): tlb_fast_fill, with the count's updates for an
 * entry no slot owned folded into one, and no write when they cancel.
 */
static __always_inline void tlb_fast_fill_new(struct mmu_cpu *c, struct tlb *t,
					      struct tlb_fast *s, const struct tlb_entry *e,
					      int cls, unsigned long va)
{
	u32 own = cls == 0 && e->ctx != TLB_CTX_GLOBAL;
	/* +1 the new entry, +1 the slot's owner losing it, -1 e owning it */
	u32 d = 1 + s->own - own;

	if (d)
		t->nr_unindexed += d;
	s->own = own;
	s->vpn = va >> c->page_shift;
	s->ctx = c->ctx;
	s->allow = e->allow;
	s->delta = (unsigned long)e->pa - (va & ~((1UL << c->cls_shift[cls]) - 1));
}

/* L1 entry @e of @t goes away: so do the index slots made from it. */
static __always_inline void tlb_fast_forget(const struct mmu_cpu *c, struct tlb *t,
					    const struct tlb_entry *e)
{
	u64 vpn = e->key >> 3;		/* the page number's low va_bits - page_shift bits */
	struct tlb_fast *s;

	if (!t->fast)
		return;
	if (tlb_key_class(e->key) != 0 || e->ctx == TLB_CTX_GLOBAL) {
		tlb_fast_forget_pages(c, t, e, tlb_key_va(c, e->key) >> c->page_shift);
		t->nr_unindexed--;	/* no slot owns a huge or global entry */
		return;
	}
	/* One base page in one context: one possible slot, owned by @e if
	 * it holds @e's page and context. */
	s = tlb_fast_slot(t->fast, vpn, tlb_fast_salt(e->ctx));
	if (tlb_fast_owns(c, s, e)) {
		s->vpn = TLB_FAST_NONE;
		s->own = 0;
	} else {
		t->nr_unindexed--;
	}
}

/*
 * Install @src (key already set for class @cls, page number @vpn: key >> 3)
 * in @t; replaces a same-tag
 * entry, else an invalid way, else the set's round-robin victim.  In an L1
 * the caller indexes the new entry at once (tlb_fast_fill_new), or counts
 * it unindexed (tlb_fill).  @absent:
 * the caller's lookup in @t just found no entry visible in @src's context
 * (src->ctx is the CPU's, or global), so none has its tag and, when the
 * array is full, the victim is the slot without a scan.  Returns the entry
 * written, NULL when @t holds no entries of class @cls.
 */
static __always_inline struct tlb_entry *tlb_fill_vpn(struct mmu_cpu *c, struct tlb *t,
						      const struct tlb_entry *src, int cls,
						      bool absent, u64 vpn)
{
	struct tlb_array *a = t->arr[cls];
	struct tlb_entry *set, *slot = NULL;

	if (!a)
		return NULL;
	set = a->e + (size_t)(vpn & a->set_mask) * a->ways;
	if (absent && a->nvalid[0] + a->nvalid[1] + a->nvalid[2] == a->size)
		goto victim;
	for (u32 w = 0; w < a->ways; w++) {
		if (set[w].key == src->key && set[w].ctx == src->ctx) {
			slot = &set[w];
			break;
		}
		if (!slot && !set[w].key)
			slot = &set[w];
	}
	if (!slot) {
		u8 *v;
victim:
		v = &a->victim[vpn & a->set_mask];

		slot = &set[*v];
		*v = *v + 1u == a->ways ? 0 : (u8)(*v + 1);
	}
	if (!slot->key) {
		tlb_count(t, a, cls, 1);
	} else {
		int old = tlb_key_class(slot->key);

		/* Only when the class changes: a counter written on every
		 * fill would chain one fill's store to the next one's load. */
		if (old != cls) {
			tlb_count(t, a, old, -1);
			tlb_count(t, a, cls, 1);
		}
		if (t->fast)
			tlb_fast_forget(c, t, slot);
	}
	*slot = *src;		/* (not counted in nr_unindexed: the caller's job) */
	return slot;
}

static __always_inline struct tlb_entry *__tlb_fill(struct mmu_cpu *c, struct tlb *t,
						    const struct tlb_entry *src, int cls, bool absent)
{
	return tlb_fill_vpn(c, t, src, cls, absent, src->key >> 3);
}

/* __tlb_fill of the translation of @va: the set found from @va, not from
 * the loaded entry (the fill does not wait for the entry's load). */
static __always_inline struct tlb_entry *tlb_fill_va(struct mmu_cpu *c, struct tlb *t,
						     const struct tlb_entry *src, int cls, bool absent,
						     unsigned long va)
{
	return tlb_fill_vpn(c, t, src, cls, absent, (va & c->va_mask) >> c->cls_shift[cls]);
}

/* Owner-side counter bump: relaxed so other threads may read it. */
#define tlb_stat_inc(c, field) \
	WRITE_ONCE((c)->stats.field, READ_ONCE((c)->stats.field) + 1)

/* Atomic OR into an entry (the MMU setting A/D); returns the old value. */
static inline u64 __pt_or(void *p, u64 bits)
{
	if (pgt_geom()->entry_shift == 2)
		return __atomic_fetch_or((u32 *)p, (u32)bits, __ATOMIC_ACQ_REL);
	return __atomic_fetch_or((u64 *)p, bits, __ATOMIC_ACQ_REL);
}

/* arch/tlb.c */
int tlb_init_cpu(struct mmu_cpu *c, const struct tlb_cfg *cfg);
void tlb_free_cpu(struct mmu_cpu *c);
void tlb_default_cfg(enum mmsim_arch arch, struct tlb_cfg *cfg);
void tlb_apply_boot_geometry(const struct machine_hw *hw, struct tlb_cfg *cfg);
struct tlb_entry *tlb_fill(struct mmu_cpu *c, struct tlb *t, const struct tlb_entry *src, int cls,
			   bool absent);	/* __tlb_fill, out of line */
bool tlb_fast_is_valid(struct mmu_cpu *c);
void tlb_local_flush_all(struct mmu_cpu *c, bool include_global);
void tlb_local_flush_ctx(struct mmu_cpu *c, u32 ctx);
void tlb_local_flush_range(struct mmu_cpu *c, unsigned long start, unsigned long end,
			   unsigned int stride_shift, u32 ctx, bool kernel);
void tlb_process_pending(struct mmu_cpu *c);
void tlb_flush_everything(struct arch_mmu *mmu);	/* knobs: all CPUs, at once */

/* arch/asid.c */
int asid_init(struct arch_mmu *mmu);
void asid_free(struct arch_mmu *mmu);
void asid_switch(struct mmu_cpu *c, struct mm_struct *next);	/* sets c->ctx */
u32 asid_ctx_of(struct mmu_cpu *c, u64 mm_id, bool *found);	/* request -> local tag */
u64 asid_mm_id(struct mm_struct *mm);

/* arch/mmu.c */
void *mmu_root_of(struct mm_struct *mm);	/* host address of the CR3/TTBR0 table */

/* arch/pgtable_x86.c, arch/pgtable_arm64.c: one walk, the arch's rules. */
struct walk_result {
	phys_addr_t pa;			/* of the page base (class-sized) */
	int cls;			/* size class of the leaf */
	bool global;
	u32 allow;			/* access types allowed without a walk */
};
/* The walker for geometry @g: a function per arch and entry width, its
 * levels unrolled with the geometry's constants (one indirect call a walk,
 * none a level). */
mmu_walk_fn x86_walker(const struct pgtable_geom *g);
mmu_walk_fn arm64_walker(const struct pgtable_geom *g);

/*
 * What arch/ calls of the generic mm, as Linux's asm/pgalloc.h names the
 * generic table allocator: mm/pgtable-generic.c and mm/mm_struct.c.
 */
void *pgtable_alloc_table(struct mm_struct *mm, int lvl);	/* zeroed; host address */
void pgtable_free_table(struct mm_struct *mm, void *table, int lvl);
void mm_init_kernel(struct mm_struct *mm, struct mmsim *m);

#endif
