/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/slab.h - the slab allocator's internal types and declarations, shared
 * by mm/slub.c, mm/slub_cache.c, mm/slub_debug.c, mm/slub_sheaves.c,
 * mm/slab_common.c,
 * mm/failslab.c and the tests, grouped by the file that owns them.  Not
 * installed.
 *
 * struct slab overlays the head struct page of a slab, as Linux's does;
 * the _Static_asserts below keep it in step with struct page's slab_*
 * fields (include/mmsim/mm_types.h).
 */
#ifndef MMSIM_MM_SLAB_H
#define MMSIM_MM_SLAB_H

#include <pthread.h>
#include <mmsim/kfence.h>
#include <mmsim/slab.h>
#include <mmsim/seq_file.h>
#include "mm/internal.h"

/* Poison and red-zone bytes, Linux's (include/linux/poison.h). */
#define SLUB_RED_INACTIVE	0xbb	/* red zone of a free object */
#define SLUB_RED_ACTIVE		0xcc	/* red zone of an allocated object */
#define POISON_INUSE		0x5a	/* slab padding */
#define POISON_FREE		0x6b	/* a free object */
#define POISON_END		0xa5	/* the last byte of a poisoned object */

#define MAX_OBJS_PER_PAGE	32767	/* the objects field is 15 bits */
#define __OBJECT_POISON		((slab_flags_t)0x80000000U)	/* poison objects (internal) */
/* No per-CPU sheaves: every alloc and free goes to the CPU slab layer
 * (internal: the tests of that layer use it). */
#define SLAB_NO_SHEAVES		((slab_flags_t)0x40000000U)
#define SLAB_DEBUG_FLAGS	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | \
				 SLAB_TRACE | SLAB_CONSISTENCY_CHECKS)
#define SLAB_NEVER_MERGE	(SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER | \
				 SLAB_TRACE | SLAB_TYPESAFE_BY_RCU | SLAB_NOLEAKTRACE | \
				 SLAB_FAILSLAB | SLAB_NO_MERGE | SLAB_NO_SHEAVES)
#define SLAB_MERGE_SAME		(SLAB_RECLAIM_ACCOUNT | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | \
				 SLAB_ACCOUNT)

/*
 * The packed freelist word of a slab (Linux's freelist + counters pair,
 * made one word so a plain 64-bit compare-exchange updates both):
 *
 *   bits  0..31  offset of the first free object from the slab's base + 1
 *                (0: the slab freelist is empty)
 *   bits 32..47  inuse: objects not on the slab freelist (objects on the
 *                owner's private lists, c->freelist and slab->local, count)
 *   bits 48..62  objects in the slab
 *   bit  63      frozen: a CPU owns the slab (slab->owner names it) and
 *                has it on its owned list
 */
typedef unsigned long slab_fc_t;

#define FC_INUSE_SHIFT	32
#define FC_OBJ_SHIFT	48
#define FC_FROZEN	(1UL << 63)

static inline unsigned int fc_off(slab_fc_t fc) { return (unsigned int)fc; }
static inline unsigned int fc_inuse(slab_fc_t fc) { return (unsigned int)(fc >> FC_INUSE_SHIFT) & 0xffff; }
static inline unsigned int fc_objects(slab_fc_t fc) { return (unsigned int)(fc >> FC_OBJ_SHIFT) & 0x7fff; }
static inline bool fc_frozen(slab_fc_t fc) { return fc & FC_FROZEN; }
static inline slab_fc_t fc_make(unsigned int off, unsigned int inuse, unsigned int objects,
				bool frozen)
{
	return (slab_fc_t)off | (slab_fc_t)inuse << FC_INUSE_SHIFT |
	       (slab_fc_t)objects << FC_OBJ_SHIFT | (frozen ? FC_FROZEN : 0);
}

struct kmem_cache;

/*
 * struct slab - the head page of a slab, seen by the slab allocator.
 * Locking: fc is changed only by compare-exchange (any CPU); node_partial
 * and slab_list under the node's list_lock, except while the slab is
 * frozen: then slab_list (its CPU's owned list), next_partial and local
 * belong to the CPU named by owner, which sets owner just after the compare-
 * exchange that froze the slab and clears it just before the one that
 * unfreezes it.
 */
struct slab {
	unsigned long __page_flags;	/* PG_slab, PG_head, zone, node */
	struct kmem_cache *slab_cache;	/* owner; fixed while the slab lives */
	_Atomic slab_fc_t fc;		/* freelist + counters, see above */
	unsigned short node_partial;	/* on the node partial list (list_lock) */
	unsigned short objects;		/* objects in the slab; fixed */
	unsigned int next_partial;	/* frozen: pfn + 1 of the next slab on its
					 * CPU's partial stack, 0 at the end (owner) */
	struct list_head slab_list;	/* node partial or full list (list_lock),
					 * or, frozen, its CPU's owned list (owner) */
	unsigned int __page_type;
	atomic_int __page_refcount;
	unsigned int local;		/* owner-local freelist: offset + 1 of its first
					 * object, 0 empty; only the owner CPU */
	atomic_int owner;		/* CPU id + 1 of the CPU that froze the slab,
					 * 0 when not frozen; written by that CPU only */
};

#define SLAB_MATCH(pg, sl)						\
	_Static_assert(offsetof(struct page, pg) == offsetof(struct slab, sl), \
		       "struct slab." #sl " must overlay struct page." #pg)
SLAB_MATCH(flags, __page_flags);
SLAB_MATCH(slab_cache, slab_cache);
SLAB_MATCH(slab_freelist, fc);
SLAB_MATCH(slab_counters, node_partial);
_Static_assert(offsetof(struct slab, next_partial) + sizeof(unsigned int) ==
		       offsetof(struct slab, slab_list), "slab_counters is one word");
SLAB_MATCH(slab_list, slab_list);
SLAB_MATCH(page_type, __page_type);
SLAB_MATCH(_refcount, __page_refcount);
SLAB_MATCH(virtual_or_memcg, local);
#undef SLAB_MATCH
_Static_assert(sizeof(struct slab) == sizeof(struct page), "struct slab must be a struct page");
_Static_assert(sizeof(slab_fc_t) == sizeof(void *), "the freelist word is one pointer");

static inline struct page *slab_page(const struct slab *slab)
{
	return (struct page *)slab;
}
static inline void *slab_address(const struct slab *slab)
{
	return lowmem_page_address(slab_page(slab));
}
static inline unsigned int slab_order(const struct slab *slab)
{
	return compound_order(slab_page(slab));
}
static inline int slab_nid(const struct slab *slab)
{
	return page_to_nid(slab_page(slab));
}
static inline size_t slab_size(const struct slab *slab)
{
	return PAGE_SIZE << slab_order(slab);
}
/* The slab of an address, or NULL when it is not in a slab page. */
static inline struct slab *virt_to_slab(const void *addr)
{
	struct page *page = compound_head(virt_to_page(addr));

	return PageSlab(page) ? (struct slab *)page : NULL;
}

/*
 * A sheaf: an array of free objects of one cache, the per-CPU layer in
 * front of the slabs (Linux 6.18's sheaves, on every cache since 7.0).
 * Objects in a sheaf count as in use in their slabs.  Sheaves are host
 * memory, like struct kmem_cache (Linux kmallocs them).
 */
struct slab_sheaf {
	struct list_head barn_list;	/* on its barn's full or empty list */
	struct kmem_cache *cache;
	unsigned int size;		/* objects[0..size) are free objects */
	unsigned int capacity;		/* room; 0 only in bootstrap_sheaf */
	void *objects[];
};

/* The sheaves of one CPU: @main is never NULL (bootstrap_sheaf when the
 * cache has none); @spare is NULL, empty or full. */
struct slub_percpu_sheaves {
	struct slab_sheaf *main;
	struct slab_sheaf *spare;
};

/*
 * A node's store of whole sheaves of a cache (Linux's barn): full ones for
 * CPUs whose main sheaf ran dry, empty ones for CPUs whose main filled up.
 */
struct node_barn {
	spinlock_t lock;		/* the lists and counts */
	struct list_head sheaves_full;
	struct list_head sheaves_empty;
	unsigned int nr_full;		/* <= MAX_FULL_SHEAVES */
	unsigned int nr_empty;		/* <= MAX_EMPTY_SHEAVES */
};

/*
 * Per-CPU state of a cache.  Touched only by the thread on that CPU (or a
 * flusher that borrowed the CPU), so it needs no atomics; flush_pending is
 * how a remote kmem_cache_shrink() asks a busy CPU.  @pcs comes first: the
 * fast paths read only it.  Below the sheaves, every slab this CPU has
 * frozen is on @owned, and is @slab, or on @partial (it has local free
 * objects), or dry (neither: no free object it knows of).
 */
struct kmem_cache_cpu {
	struct slub_percpu_sheaves pcs;	/* the sheaves */
	void *freelist;			/* free objects of @slab, owner only */
	struct slab *slab;		/* the CPU slab (frozen), or NULL */
	struct slab *partial;		/* stack of frozen slabs of ours, not @slab,
					 * whose local freelist is not empty
					 * (linked by next_partial) */
	struct list_head owned;		/* every slab this CPU froze, @slab and
					 * @partial included (slab_list) */
	unsigned short nr_partial;	/* slabs on @partial */
	unsigned short nr_owned;	/* slabs on @owned */
	atomic_int flush_pending;	/* a remote flush asked */
} __attribute__((aligned(64)));
_Static_assert(sizeof(struct kmem_cache_cpu) == 64, "kmem_cache_cpu is one cache line");

/* Per-node state of a cache. */
struct kmem_cache_node {
	spinlock_t list_lock;		/* partial, full, nr_partial */
	unsigned long nr_partial;	/* slabs on @partial */
	struct list_head partial;	/* slabs with free objects, not frozen */
	struct list_head full;		/* full slabs of debug caches */
	atomic_long_t nr_slabs;		/* slabs of this node (any state) */
	atomic_long_t total_objects;	/* objects in those slabs */
	struct node_barn barn;		/* sheaves of this node's CPUs */
};

struct kmem_cache_order_objects {
	unsigned int order;		/* slab order (pages = 1 << order) */
	unsigned int objects;		/* objects per slab of that order */
};

/* Alloc/free call site of an object (SLAB_STORE_USER). */
struct track {
	unsigned long addr;		/* caller (host code address) */
	int cpu;
	int pid;
	unsigned long when;		/* jiffies */
};
enum track_item { TRACK_ALLOC, TRACK_FREE };

struct slab_globals;

/*
 * struct kmem_cache - one cache.  Host memory (not simulated RAM); fixed
 * after creation except refcount/object_size/inuse on merge (slab_mutex).
 */
struct kmem_cache {
	struct kmem_cache_cpu *cpu_slab;	/* [nr_cpus]: kmem_cache_cpu_base(s) */
	slab_flags_t flags;
	bool hooks;			/* alloc/free need the slow hooks */
	bool want_init_alloc;		/* init_on_alloc applies */
	bool want_init_free;		/* init_on_free applies */
	unsigned int size;		/* object stride, bytes, with metadata */
	unsigned int object_size;	/* bytes the user may touch */
	unsigned int offset;		/* free pointer offset in an object */
	unsigned int inuse;		/* offset of metadata (end of right red zone) */
	unsigned int align;		/* bytes */
	unsigned int red_left_pad;	/* bytes before each object */
	unsigned int cpu_partial_slabs;	/* per-CPU partial slabs kept */
	unsigned int sheaf_capacity;	/* objects per sheaf; 0: no sheaves */
	unsigned long min_partial;	/* node partial slabs kept when empty */
	struct kmem_cache_order_objects oo, min;	/* preferred and fallback */
#ifdef CONFIG_KASAN
	struct {
		unsigned int alloc_meta_offset;	/* bytes from the object; 0: no KASAN metadata */
		unsigned int free_meta_offset;
	} kasan_info;			/* mm/kasan/common.c: kasan_cache_create */
#endif
	gfp_t allocflags;		/* __GFP_RECLAIMABLE, __GFP_DMA, ... */
	int refcount;			/* creators merged into this cache */
	void (*ctor)(void *);
	const char *name;		/* malloc'd */
	struct list_head list;		/* slab_globals.slab_caches */
	struct slab_globals *sg;	/* the machine's slab state */
	int nr_nodes;
	struct kmem_cache_node *node[MAX_NUMNODES];
};

/*
 * A cache's per-CPU array follows it in the same allocation, at the first
 * cache line boundary past it (create_cache allocates the cache 64-byte
 * aligned): so this CPU's is s + a constant + its id * 64, with no pointer
 * to load first, and kfree(), which learns s from the object's page,
 * reaches the sheaf one load sooner (Linux gets the same from
 * this_cpu_ptr()).  s->cpu_slab points there too, for everyone else.
 */
#define KMEM_CACHE_CPU_OFFSET	ALIGN(sizeof(struct kmem_cache), 64)

static inline struct kmem_cache_cpu *kmem_cache_cpu_base(const struct kmem_cache *s)
{
	return (struct kmem_cache_cpu *)((char *)s + KMEM_CACHE_CPU_OFFSET);
}

#define KMALLOC_SHIFT_HIGH_MAX	(16 + 1)	/* 64K pages: kmalloc-128k */

/* Linux's fault_attr for failslab, with its extra knob. */
struct failslab_state {
	struct fault_attr attr;
	bool cache_filter;
	spinlock_t lock;		/* serializes should_fail() */
};

/* The slab allocator's per-machine state (Linux's globals). */
/* The slab boot words as written, parsed by kmem_cache_init() (slab_common.c). */
struct slab_boot_args {
	char slub_debug[256];		/* slub_debug=VALUE ("" when bare) */
	bool slub_debug_set;
	char slub_min_order[16], slub_max_order[16], slub_min_objects[16];
	bool slab_nomerge;
};

/*
 * The slab allocator's per-machine state: the state of subsystem "slab"
 * (init/init.h), allocated with the machine before its command line is
 * parsed, reached with subsys_state(m, slab) or, on the fast paths, the
 * CPU's shortcut cpu_state->slab (set by kmem_cache_init).
 */
struct slab_globals {
	struct slab_boot_args boot;	/* filled by the command line, read once */
	pthread_mutex_t slab_mutex;	/* slab_caches, create/destroy/merge */
	struct list_head slab_caches;	/* newest first, as Linux lists them */
	struct list_head aliases;	/* names merged into a cache (slab_mutex) */
	struct kmem_cache *kmalloc_caches[NR_KMALLOC_TYPES][KMALLOC_SHIFT_HIGH_MAX + 1];
	unsigned int kmalloc_shift_high;	/* PAGE_SHIFT + 1 */
	unsigned char size_index[24];	/* kmalloc index for sizes 8..192 (by 8) */
	/* Boot parameters. */
	unsigned int slub_min_order, slub_max_order, slub_min_objects;
	bool slab_nomerge;
	slab_flags_t slub_debug;	/* flags for every cache (or listed ones) */
	char *slub_debug_string;	/* the slub_debug= value, for per-cache lists */
	bool init_on_alloc, init_on_free;
	/* failslab. */
	int failslab_on;		/* probability != 0: check on alloc */
	struct failslab_state failslab;
	/* Debugging. */
	atomic_long_t nr_errors;	/* reports printed (kunit's slab_errors) */
	int nr_cpus;
};

/*
 * mm/slub.c: objects, the slab word and the node lists, inline, for
 * mm/slub_debug.c and mm/slub_sheaves.c as well (the rules are in the
 * theory comment atop mm/slub.c).
 */
static inline bool kmem_cache_debug(const struct kmem_cache *s)
{
	return s->flags & SLAB_DEBUG_FLAGS;
}

static inline struct kmem_cache_node *get_node(const struct kmem_cache *s, int nid)
{
	return s->node[nid];
}

static inline struct kmem_cache_cpu *this_cpu_slab(struct kmem_cache *s)
{
	return &kmem_cache_cpu_base(s)[current_cpu->id];
}

static inline void *get_freepointer(const struct kmem_cache *s, void *object)
{
	return *(void **)((char *)object + s->offset);
}

static inline void set_freepointer(const struct kmem_cache *s, void *object, void *fp)
{
	*(void **)((char *)object + s->offset) = fp;
}

static inline void *fc_freelist(const struct slab *slab, slab_fc_t fc)
{
	unsigned int off = fc_off(fc);

	return off ? (char *)slab_address(slab) + off - 1 : NULL;
}

static inline unsigned int obj_off(const struct slab *slab, const void *obj)
{
	return obj ? (unsigned int)((const char *)obj - (const char *)slab_address(slab)) + 1 : 0;
}

static inline slab_fc_t slab_fc(const struct slab *slab)
{
	return atomic_load_explicit(&((struct slab *)slab)->fc, memory_order_acquire);
}

static inline bool slab_fc_cmpxchg(struct slab *slab, slab_fc_t *old, slab_fc_t new)
{
	return atomic_compare_exchange_weak_explicit(&slab->fc, old, new, memory_order_acq_rel,
						     memory_order_acquire);
}

/* The CPU (id + 1) that froze @slab, 0 if none; see struct slab. */
static inline int slab_owner(const struct slab *slab)
{
	return atomic_load_explicit(&((struct slab *)slab)->owner, memory_order_relaxed);
}

static inline void set_slab_owner(struct slab *slab, int owner)
{
	atomic_store_explicit(&slab->owner, owner, memory_order_relaxed);
}

/* The owner value of the calling CPU. */
static inline int this_cpu_owner(void)
{
	return current_cpu->id + 1;
}

/* Take the owner-local freelist of a frozen slab of ours. */
static inline void *take_local(struct slab *slab)
{
	unsigned int off = slab->local;

	slab->local = 0;
	return off ? (char *)slab_address(slab) + off - 1 : NULL;
}

static inline void *local_head(const struct slab *slab)
{
	return slab->local ? (char *)slab_address(slab) + slab->local - 1 : NULL;
}

static inline unsigned int slab_inuse(const struct slab *slab)
{
	return fc_inuse(slab_fc(slab));
}

static inline void *fixup_red_left(const struct kmem_cache *s, void *p)
{
	return (char *)p + s->red_left_pad;
}

static inline void *restore_red_left(const struct kmem_cache *s, void *p)
{
	return (char *)p - s->red_left_pad;
}

#define for_each_object(__p, __s, __addr, __objects)				\
	for (__p = fixup_red_left(__s, __addr);					\
	     __p < (void *)((char *)(__addr) + (size_t)(__objects) * (__s)->size); \
	     __p = (char *)__p + (__s)->size)

static inline unsigned int order_objects(unsigned int order, unsigned int size)
{
	return (unsigned int)((PAGE_SIZE << order) / size);
}

static inline struct slab *next_partial(const struct slab *slab)
{
	return slab->next_partial ? (struct slab *)pfn_to_page(slab->next_partial - 1) : NULL;
}

static inline void add_partial(struct kmem_cache_node *n, struct slab *slab, bool tail)
{
	lockdep_assert_held(&n->list_lock);
	WRITE_ONCE(n->nr_partial, n->nr_partial + 1);
	if (tail)
		list_add_tail(&slab->slab_list, &n->partial);
	else
		list_add(&slab->slab_list, &n->partial);
	slab->node_partial = 1;
}

static inline void remove_partial(struct kmem_cache_node *n, struct slab *slab)
{
	lockdep_assert_held(&n->list_lock);
	list_del(&slab->slab_list);
	slab->node_partial = 0;
	WRITE_ONCE(n->nr_partial, n->nr_partial - 1);
}

static inline void add_full(struct kmem_cache *s, struct kmem_cache_node *n, struct slab *slab)
{
	lockdep_assert_held(&n->list_lock);
	if (kmem_cache_debug(s))
		list_add(&slab->slab_list, &n->full);
}

static inline void remove_full(struct kmem_cache *s, struct kmem_cache_node *n, struct slab *slab)
{
	lockdep_assert_held(&n->list_lock);
	if (kmem_cache_debug(s))
		list_del(&slab->slab_list);
}

static inline bool node_match(const struct slab *slab, int node)
{
	return node == NUMA_NO_NODE || slab_nid(slab) == node;
}

/* mm/slub.c */
void *__kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node,
			      size_t orig_size, unsigned long caller);
void __kmem_cache_free(struct kmem_cache *s, struct slab *slab, void *x, unsigned long caller);
size_t __ksize(const void *object);
void *kmalloc_large_node(size_t size, gfp_t flags, int node);
struct slab *new_slab(struct kmem_cache *s, gfp_t flags, int node, void **freelist);
void discard_slab(struct kmem_cache *s, struct slab *slab);
void flush_cpu_slab(struct kmem_cache *s, struct kmem_cache_cpu *c);
void free_to_slabs_bulk(struct kmem_cache *s, size_t size, void **p);
noinline void *___slab_alloc(struct kmem_cache *s, gfp_t gfpflags, int node,
			     struct kmem_cache_cpu *c, bool may_grow);
noinline void slab_free_other(struct kmem_cache *s, struct kmem_cache_cpu *c,
			      struct slab *slab, void *x);
noinline void double_free_bug(struct kmem_cache *s, void *x);

/*
 * The CPU slab layer's pop and push, inline in mm/slub.c's paths and in
 * mm/slub_sheaves.c's refill and slow paths alike.
 *
 * One object from the CPU slab layer: c->freelist, else ___slab_alloc,
 * which takes a new slab only if @may_grow.
 */
static __always_inline void *__slab_alloc_cpu(struct kmem_cache *s, gfp_t gfpflags, int node,
					      struct kmem_cache_cpu *c, bool may_grow)
{
	void *object = c->freelist;

	if (unlikely(!object || !node_match(c->slab, node)))
		return ___slab_alloc(s, gfpflags, node, c, may_grow);
	c->freelist = get_freepointer(s, object);
	return object;
}

static __always_inline void *slab_alloc_cpu(struct kmem_cache *s, gfp_t gfpflags, int node,
					    struct kmem_cache_cpu *c)
{
	return __slab_alloc_cpu(s, gfpflags, node, c, true);
}

/* The CPU slab inline; any other slab out of line, so that this path
 * needs no saved registers. */
static __always_inline void do_slab_free(struct kmem_cache *s, struct slab *slab, void *x)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);

	if (unlikely(slab != c->slab)) {
		slab_free_other(s, c, slab, x);
		return;
	}
	if (unlikely(x == c->freelist)) {
		double_free_bug(s, x);
		return;
	}
	set_freepointer(s, x, c->freelist);
	c->freelist = x;
}

/* mm/slub_cache.c */
int kmem_cache_open(struct kmem_cache *s, slab_flags_t flags);
int __kmem_cache_shutdown(struct kmem_cache *s);
void __kmem_cache_release(struct kmem_cache *s);
int __kmem_cache_shrink(struct kmem_cache *s);
void __kmem_cache_alias_update(struct kmem_cache *s, unsigned int size);

/* mm/slub_debug.c */
unsigned long slab_kaddr(const void *p);
/* mm/slub.c: the free after KASAN's quarantine (Linux's ___cache_free). */
void ___cache_free(struct kmem_cache *s, void *x, unsigned long addr);
void format_symbol(unsigned long addr, char *buf, size_t len);
/* SLAB_STORE_USER kmalloc caches keep the size each kmalloc asked for. */
static inline bool slub_debug_orig_size(const struct kmem_cache *s)
{
	return (s->flags & SLAB_STORE_USER) && (s->flags & SLAB_KMALLOC);
}
void init_object(struct kmem_cache *s, void *object, u8 val);
void init_tracking(struct kmem_cache *s, void *object);
void slab_pad_check(struct kmem_cache *s, struct slab *slab);
void skip_orig_size_check(struct kmem_cache *s, const void *object);
void *alloc_debug(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned int orig_size,
		  unsigned long addr);
void free_debug(struct kmem_cache *s, struct slab *slab, void *object, unsigned long addr);
void list_slab_objects(struct kmem_cache *s, struct slab *slab, const char *text);
void slab_out_of_memory(struct kmem_cache *s, gfp_t gfpflags, int nid);
long validate_slab_cache(struct kmem_cache *s);
bool slab_is_valid(struct kmem_cache *s);
#define kmem_cache_is_valid slab_is_valid

/* Counts for /proc/slabinfo and sysfs. */
struct slabinfo {
	unsigned long active_objs, num_objs, active_slabs, num_slabs;
	unsigned long nr_partial, cpu_slabs;
	unsigned int objects_per_slab, cache_order;
};
void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo);

/* mm/slub_sheaves.c */
#define MAX_FULL_SHEAVES	10
#define MAX_EMPTY_SHEAVES	10
extern struct slab_sheaf bootstrap_sheaf;
void flush_all(struct kmem_cache *s, bool force);
void flush_cpu_sheaves(struct kmem_cache *s, struct kmem_cache_cpu *c);
void barn_empty_out(struct kmem_cache *s, struct kmem_cache_node *n, bool flush);
void free_empty_sheaf(struct slab_sheaf *sheaf);
bool replace_empty_main(struct kmem_cache *s, struct kmem_cache_cpu *c, gfp_t gfpflags,
			bool from_slabs);
noinline void *pcs_alloc_slow(struct kmem_cache *s, gfp_t gfpflags, struct kmem_cache_cpu *c);
noinline void pcs_free_slow(struct kmem_cache *s, struct kmem_cache_cpu *c, struct slab *slab,
			    void *x);
unsigned int calculate_sheaf_capacity(struct kmem_cache *s);
int init_percpu_sheaves(struct kmem_cache *s, int nr_cpus);

/* A remote flush asked (flush_all): do it before touching the sheaves. */
static inline void flush_cpu_if_asked(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	if (unlikely(atomic_load_explicit(&c->flush_pending, memory_order_acquire))) {
		flush_cpu_sheaves(s, c);
		flush_cpu_slab(s, c);
	}
}

/* mm/slab_common.c */
static inline struct slab_globals *slab_globals(void)
{
	return current_cpu->slab;
}
/* kmalloc_slab - the kmalloc cache for @size (1..KMALLOC_MAX_CACHE_SIZE). */
static __always_inline struct kmem_cache *kmalloc_slab(size_t size, gfp_t flags)
{
	struct slab_globals *sg = slab_globals();
	unsigned int index = size <= 192 ? sg->size_index[(size - 1) / 8]
					 : (unsigned int)fls64(size - 1);

	return sg->kmalloc_caches[kmalloc_type(flags)][index];
}
struct kmem_cache *find_kmem_cache(const char *name);
slab_flags_t kmem_cache_flags(struct slab_globals *sg, slab_flags_t flags, const char *name);
unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size);
void slabinfo_show(struct seq_file *sf);
int slab_attr_show(struct seq_file *sf, const char *cache, const char *attr);
int slab_attr_store(const char *cache, const char *attr, const char *text);
int slub_debug_parse(struct slab_globals *sg, const char *str, char *err, size_t errlen);

/* mm/failslab.c */
bool __should_failslab(struct kmem_cache *s, gfp_t gfpflags);
static inline bool should_failslab(struct kmem_cache *s, gfp_t gfpflags)
{
	if (likely(!READ_ONCE(s->sg->failslab_on)))
		return false;
	return __should_failslab(s, gfpflags);
}
void failslab_init(struct slab_globals *sg, uint64_t seed);
int failslab_setup(struct slab_globals *sg, const char *str, char *err, size_t errlen);
int failslab_boot(struct mmsim *m, struct slab_globals *sg, char *err, size_t errlen);
int failslab_attr_show(struct seq_file *sf, const char *knob);
int failslab_attr_store(const char *knob, const char *text);

#endif
