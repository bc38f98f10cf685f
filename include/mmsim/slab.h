/* SPDX-License-Identifier: GPL-2.0 */
/*
 * slab.h - the slab allocator (SLUB) and kmalloc, under Linux's names.
 *
 * Caches of fixed-size objects carved from compound pages of the buddy
 * allocator (mm/slub.c, mm/slab_common.c); kmalloc is a set of such caches
 * for the sizes 8 .. 2 * PAGE_SIZE, and larger requests go straight to the
 * page allocator up to KMALLOC_MAX_SIZE.  Every address returned is a host
 * address in the machine's direct map.  See docs/slab.md.
 */
#ifndef MMSIM_SLAB_H
#define MMSIM_SLAB_H

#include <mmsim/types.h>
#include <mmsim/gfp.h>

typedef unsigned int slab_flags_t;

#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE (-1)
#endif

/* Cache flags, Linux's values (include/linux/slab.h). */
#define SLAB_CONSISTENCY_CHECKS	((slab_flags_t)0x00000100U)	/* F: check on alloc/free */
#define SLAB_RED_ZONE		((slab_flags_t)0x00000400U)	/* Z: red zones around objects */
#define SLAB_POISON		((slab_flags_t)0x00000800U)	/* P: poison free objects */
#define SLAB_KMALLOC		((slab_flags_t)0x00001000U)	/* a kmalloc cache */
#define SLAB_HWCACHE_ALIGN	((slab_flags_t)0x00002000U)	/* align objects to cache lines */
#define SLAB_CACHE_DMA		((slab_flags_t)0x00004000U)	/* slabs from ZONE_DMA */
#define SLAB_CACHE_DMA32	((slab_flags_t)0x00008000U)	/* slabs from ZONE_DMA32 */
#define SLAB_STORE_USER		((slab_flags_t)0x00010000U)	/* U: record alloc/free sites */
#define SLAB_RECLAIM_ACCOUNT	((slab_flags_t)0x00020000U)	/* SReclaimable, not SUnreclaim */
#define SLAB_PANIC		((slab_flags_t)0x00040000U)	/* creation failure is fatal */
#define SLAB_TYPESAFE_BY_RCU	((slab_flags_t)0x00080000U)
#define SLAB_TRACE		((slab_flags_t)0x00200000U)	/* T: log every alloc/free */
#define SLAB_NOLEAKTRACE	((slab_flags_t)0x00800000U)
#define SLAB_NO_MERGE		((slab_flags_t)0x01000000U)	/* never merge with another cache */
#define SLAB_FAILSLAB		((slab_flags_t)0x02000000U)	/* failslab cache-filter target */
#define SLAB_ACCOUNT		((slab_flags_t)0x04000000U)
#define SLAB_NO_USER_FLAGS	((slab_flags_t)0x10000000U)

/* kmalloc(0) and friends return this: not NULL, but never dereferenced. */
#define ZERO_SIZE_PTR		((void *)16)
#define ZERO_OR_NULL_PTR(x)	((unsigned long)(x) <= (unsigned long)ZERO_SIZE_PTR)

#define ARCH_KMALLOC_MINALIGN	8
#define KMALLOC_MIN_SIZE	8
#define KMALLOC_SHIFT_LOW	3
/* Largest kmalloc cache: two pages (runtime PAGE_SIZE). */
#define KMALLOC_SHIFT_HIGH	(PAGE_SHIFT + 1)
#define KMALLOC_MAX_CACHE_SIZE	(1UL << KMALLOC_SHIFT_HIGH)

struct kmem_cache;

/* Caches (mm/slab_common.c, mm/slub.c). */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *));
void kmem_cache_destroy(struct kmem_cache *s);
int kmem_cache_shrink(struct kmem_cache *s);
unsigned int kmem_cache_size(struct kmem_cache *s);
const char *kmem_cache_name(struct kmem_cache *s);
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags);
void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node);
void kmem_cache_free(struct kmem_cache *s, void *objp);
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p);
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p);
/*
 * Prefilled sheaves (Linux 6.18): take a sheaf of at least @size objects
 * before a section that must not fail, allocate from it there, give it
 * back after.  A request above the cache's sheaf capacity gets a sheaf of
 * its own size (slower: made and flushed each time).
 */
struct slab_sheaf;
struct slab_sheaf *kmem_cache_prefill_sheaf(struct kmem_cache *s, gfp_t gfp, unsigned int size);
int kmem_cache_refill_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf **sheafp,
			    unsigned int size);
void *kmem_cache_alloc_from_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf *sheaf);
void kmem_cache_return_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf *sheaf);
unsigned int kmem_cache_sheaf_size(struct slab_sheaf *sheaf);
static inline void *kmem_cache_zalloc(struct kmem_cache *s, gfp_t flags)
{
	return kmem_cache_alloc(s, flags | __GFP_ZERO);
}

/*
 * kmalloc.  Its caches, as Linux numbers them: three types by GFP flags,
 * and in each, index i holds objects of 2^i bytes (KMALLOC_SHIFT_LOW ..
 * KMALLOC_SHIFT_HIGH), index 1 of 96 and index 2 of 192.
 */
enum kmalloc_cache_type {
	KMALLOC_NORMAL,
	KMALLOC_RECLAIM,			/* __GFP_RECLAIMABLE: kmalloc-rcl-* */
	KMALLOC_DMA,				/* __GFP_DMA: dma-kmalloc-* */
	NR_KMALLOC_TYPES
};

/* The kmalloc cache type for @flags (Linux's kmalloc_type()). */
static __always_inline enum kmalloc_cache_type kmalloc_type(gfp_t flags)
{
	if (__builtin_expect(!(flags & (__GFP_DMA | __GFP_RECLAIMABLE)), 1))
		return KMALLOC_NORMAL;
	return (flags & __GFP_DMA) ? KMALLOC_DMA : KMALLOC_RECLAIM;
}

/*
 * The sizes every machine has a kmalloc cache for, whatever its page size
 * (two pages of 4K): what a constant-size kmalloc resolves at compile time.
 */
#define KMALLOC_CONST_MAX_SIZE	8192UL

/* kmalloc_index - the cache index of @size (1 .. KMALLOC_CONST_MAX_SIZE)
 * bytes; folded to a constant when @size is one (Linux's __kmalloc_index). */
static __always_inline unsigned int kmalloc_index(size_t size)
{
	if (size <= 8)
		return 3;
	if (size > 64 && size <= 96)
		return 1;
	if (size > 128 && size <= 192)
		return 2;
	return (unsigned int)(64 - __builtin_clzl((unsigned long)size - 1));
}

void *__kmalloc_noprof(size_t size, gfp_t flags);
void *__kmalloc_cache_noprof(enum kmalloc_cache_type type, unsigned int index, gfp_t flags,
			     size_t size);

/*
 * kmalloc_noprof - kmalloc(), inline: a size known at compile time picks
 * its cache here, as Linux's kmalloc() does, so that the library only pops
 * that cache's sheaf; any other size calls __kmalloc_noprof().  kmalloc is
 * a macro for it, as in Linux (where it adds allocation profiling); the
 * library still exports a kmalloc() function, for its address.
 */
static __always_inline void *kmalloc_noprof(size_t size, gfp_t flags)
{
	if (__builtin_constant_p(size) && size && size <= KMALLOC_CONST_MAX_SIZE)
		return __kmalloc_cache_noprof(kmalloc_type(flags), kmalloc_index(size), flags, size);
	return __kmalloc_noprof(size, flags);
}
void *kmalloc(size_t size, gfp_t flags);
#define kmalloc(...)	kmalloc_noprof(__VA_ARGS__)

void *kmalloc_node(size_t size, gfp_t flags, int node);
void kfree(const void *objp);
void kfree_sensitive(const void *objp);
size_t ksize(const void *objp);
void *krealloc(const void *p, size_t new_size, gfp_t flags);
void *kmalloc_array(size_t n, size_t size, gfp_t flags);
void *kmalloc_array_node(size_t n, size_t size, gfp_t flags, int node);
void *krealloc_array(void *p, size_t new_n, size_t new_size, gfp_t flags);
char *kstrdup(const char *s, gfp_t gfp);
char *kstrndup(const char *s, size_t max, gfp_t gfp);
const char *kstrdup_const(const char *s, gfp_t gfp);
void kfree_const(const void *x);
void *kmemdup(const void *src, size_t len, gfp_t gfp);
char *kmemdup_nul(const char *s, size_t len, gfp_t gfp);

static inline void *kzalloc(size_t size, gfp_t flags)
{
	return kmalloc(size, flags | __GFP_ZERO);
}
static inline void *kzalloc_node(size_t size, gfp_t flags, int node)
{
	return kmalloc_node(size, flags | __GFP_ZERO, node);
}
static inline void *kcalloc(size_t n, size_t size, gfp_t flags)
{
	return kmalloc_array(n, size, flags | __GFP_ZERO);
}
static inline void *kcalloc_node(size_t n, size_t size, gfp_t flags, int node)
{
	return kmalloc_array_node(n, size, flags | __GFP_ZERO, node);
}

/* kvmalloc: kmalloc, falling back to vmalloc when that layer exists. */
void *kvmalloc_node(size_t size, gfp_t flags, int node);
static inline void *kvmalloc(size_t size, gfp_t flags)
{
	return kvmalloc_node(size, flags, NUMA_NO_NODE);
}
static inline void *kvzalloc(size_t size, gfp_t flags)
{
	return kvmalloc(size, flags | __GFP_ZERO);
}
void *kvmalloc_array(size_t n, size_t size, gfp_t flags);
static inline void *kvcalloc(size_t n, size_t size, gfp_t flags)
{
	return kvmalloc_array(n, size, flags | __GFP_ZERO);
}
void kvfree(const void *addr);
void kvfree_sensitive(const void *addr, size_t len);

/* kmem_cache_shrink of every cache (drop_caches=2 & co.). */
void kmem_cache_shrink_all(void);

/* Boot glue (mm/mm_init.c): bring up / tear down a machine's slab state. */
struct mmsim;
int kmem_cache_init(struct mmsim *m, char *err, size_t errlen);
void kmem_cache_teardown(struct mmsim *m);

#endif
