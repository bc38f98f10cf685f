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
 * updated from the page table: only a flush removes them.
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
};

struct tlb {
	struct tlb_array *arr[TLB_NR_CLASSES];	/* array serving each class, or NULL */
	struct tlb_array store[TLB_NR_CLASSES];
	int nr_store;
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

struct mmu_cpu {
	/* Hot: read by every translation. */
	atomic_uint flush_pending;	/* requests queued (owner clears) */
	atomic_uint access_seq;		/* odd while the owner copies through a translation
					 * (mmu_access_begin/end): a shootdown waits for it */
	u32 ctx;			/* tag of user entries: ASID / PCID */
	u64 va_mask;			/* low va_bits bits */
	unsigned long canon_add;	/* canonical iff ((va + canon_add) >> va_bits) == 0 */
	unsigned char va_bits, page_shift;
	unsigned char cls_shift[TLB_NR_CLASSES];	/* page shift of each size class */
	struct tlb l1d, l1i, l2;
	void *root;			/* host address of the user root table (CR3/TTBR0) */
	void *kroot;			/* arm64 TTBR1 (swapper_pg_dir) */
	struct tlb_stats stats;		/* owner-written, relaxed */

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
	/* Host view of all RAM (highmem pages included). */
};

static inline struct arch_mmu *machine_mmu(void)
{
	return current_hw()->mmu;
}

static inline struct mmu_cpu *this_mmu_cpu(void)
{
	struct cpu_hw *c = this_cpu_hw();

	return &c->hw->mmu->cpus[c->id];
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
struct tlb_entry *tlb_lookup(struct tlb *t, unsigned long va, u32 ctx, const struct mmu_cpu *c,
			     int *cls);
void tlb_fill(struct tlb *t, const struct tlb_entry *src, int cls);
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
int x86_walk(struct mmu_cpu *c, void *root, unsigned long va, unsigned int acc,
	     struct walk_result *r, struct mmu_fault *f);
int arm64_walk(struct mmu_cpu *c, void *root, unsigned long va, unsigned int acc,
	       struct walk_result *r, struct mmu_fault *f);

/*
 * What arch/ calls of the generic mm, as Linux's asm/pgalloc.h names the
 * generic table allocator: mm/pgtable-generic.c and mm/mm_struct.c.
 */
void *pgtable_alloc_table(struct mm_struct *mm, int lvl);	/* zeroed; host address */
void pgtable_free_table(struct mm_struct *mm, void *table, int lvl);
void mm_init_kernel(struct mm_struct *mm, struct mmsim *m);

#endif
