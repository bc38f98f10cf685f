/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kfence.h - Kernel Electric-Fence (Linux's include/linux/kfence.h), and
 * the two page-level debugging switches that share its trap:
 * debug_pagealloc (mm/debug_page_alloc.c) and page poisoning
 * (mm/page_poison.c).  docs/kfence.md explains all three.
 *
 * KFENCE: kfence.sample_interval=<ms> at boot reserves a pool of
 * (CONFIG_KFENCE_NUM_OBJECTS + 1) * 2 pages in the direct map; every
 * other page is a guard page the host cannot touch (PROT_NONE).  Once per
 * sample interval of the machine's virtual clock one slab allocation is
 * served from the pool instead, placed against a guard page; an access
 * past it traps in hardware, and kfence_handle_page_fault() (called by the
 * trap before the oops, as Linux's arch fault handlers call it) prints
 * Linux's report, opens the page and lets the access run again.
 *
 * Built without CONFIG_KFENCE (cmake -DMMSIM_DEBUG_TOOLS=OFF) every hook
 * below is an empty inline and kfence.sample_interval= other than 0 is
 * refused by name; the same for CONFIG_DEBUG_PAGEALLOC (debug_pagealloc=)
 * and CONFIG_PAGE_POISONING (page_poison=).
 */
#ifndef MMSIM_KFENCE_H
#define MMSIM_KFENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <mmsim/config.h>
#include <mmsim/gfp.h>

struct kmem_cache;
struct page;
struct mmsim;

/* The invariants of mm/kfence/core.c (true without a pool). */
bool kfence_is_valid(struct mmsim *m);

#ifdef CONFIG_KFENCE

#define CONFIG_KFENCE_NUM_OBJECTS	255
/* The pool: every object page has a guard page after it, page 0 and 1 guard too. */
#define KFENCE_POOL_PAGES		((CONFIG_KFENCE_NUM_OBJECTS + 1) * 2)

/* The pool of the calling thread's machine (host address), or NULL. */
char *kfence_pool_of_current(void);
size_t kfence_pool_size(void);
/* Does the current machine have a pool (then every slab cache takes its hooks)? */
static inline bool kfence_pool_present(void)
{
	return kfence_pool_of_current() != NULL;
}

/**
 * is_kfence_address - does @addr lie in the KFENCE pool of the current machine?
 */
static inline bool is_kfence_address(const void *addr)
{
	char *pool = kfence_pool_of_current();

	return pool && (size_t)((const char *)addr - pool) < kfence_pool_size();
}

void *__kfence_alloc(struct kmem_cache *s, size_t size, gfp_t flags);
/* kfence_alloc - a guarded object when the sampling gate is open, else NULL. */
static inline void *kfence_alloc(struct kmem_cache *s, size_t size, gfp_t flags)
{
	return __kfence_alloc(s, size, flags);
}
/* Free a KFENCE object (is_kfence_address() was true): checks and protects it. */
void __kfence_free(void *addr);
/* kfence_free - __kfence_free() if @addr is a KFENCE object; true then. */
static inline bool kfence_free(void *addr)
{
	if (!is_kfence_address(addr))
		return false;
	__kfence_free(addr);
	return true;
}
/* The size asked for of the KFENCE object at @addr, 0 if it is none. */
size_t kfence_ksize(const void *addr);
/* The start of the KFENCE object holding @addr. */
void *kfence_object_start(const void *addr);
/* kmem_cache_destroy(): allocated objects of @s become zombies, freed ones forget @s. */
void kfence_shutdown_cache(struct kmem_cache *s);
/*
 * kfence_handle_page_fault - the trap's question before an oops: @addr
 * (simulated kernel address) faulted on @is_write; @frames[0..nr) the host
 * call stack from the faulting instruction @ip on.  True when the address
 * is KFENCE's: reported, page opened, the access may run again.
 */
bool kfence_handle_page_fault(unsigned long addr, bool is_write, unsigned long ip,
			      void *const *frames, int nr_frames);
/* Boot (mm_core_init, before memblock_free_all): reserve the pool. */
void kfence_alloc_pool(struct mmsim *m);

#else /* !CONFIG_KFENCE */

static inline bool kfence_pool_present(void) { return false; }
static inline bool is_kfence_address(const void *addr) { (void)addr; return false; }
static inline void *kfence_alloc(struct kmem_cache *s, size_t size, gfp_t flags)
{
	(void)s; (void)size; (void)flags;
	return NULL;
}
static inline bool kfence_free(void *addr) { (void)addr; return false; }
static inline size_t kfence_ksize(const void *addr) { (void)addr; return 0; }
static inline void kfence_shutdown_cache(struct kmem_cache *s) { (void)s; }
static inline bool kfence_handle_page_fault(unsigned long addr, bool is_write, unsigned long ip,
					    void *const *frames, int nr_frames)
{
	(void)addr; (void)is_write; (void)ip; (void)frames; (void)nr_frames;
	return false;
}
static inline void kfence_alloc_pool(struct mmsim *m) { (void)m; }

#endif /* CONFIG_KFENCE */

/* ---- debug_pagealloc (Linux's include/linux/mm.h) ---- */
/* The page allocator's calls (mm/debug_page_alloc.c): free: poison, unmap; alloc: map, check. */
void page_debug_free(struct page *page, unsigned int nr);
void page_debug_alloc(struct page *page, unsigned int nr);
/* mm_core_init, before memblock_free_all: set up the machine's bitmap. */
void debug_pagealloc_init(struct mmsim *m);
/* The invariants of mm/debug_page_alloc.c (true when off). */
bool debug_pagealloc_is_valid(struct mmsim *m);
#ifdef CONFIG_DEBUG_PAGEALLOC
void __kernel_map_pages(struct page *page, unsigned int numpages, int enable);
bool debug_pagealloc_enabled(void);
/* post_alloc_hook: make the block accessible again. */
static inline void debug_pagealloc_map_pages(struct page *page, unsigned int numpages)
{
	if (debug_pagealloc_enabled())
		__kernel_map_pages(page, numpages, 1);
}
/* free_pages_prepare: make the freed block inaccessible. */
static inline void debug_pagealloc_unmap_pages(struct page *page, unsigned int numpages)
{
	if (debug_pagealloc_enabled())
		__kernel_map_pages(page, numpages, 0);
}
/* Is @page's direct-map view accessible (debug_pagealloc off: always)? */
bool kernel_page_present(struct page *page);
#else
static inline bool debug_pagealloc_enabled(void) { return false; }
static inline void debug_pagealloc_map_pages(struct page *page, unsigned int numpages)
{
	(void)page; (void)numpages;
}
static inline void debug_pagealloc_unmap_pages(struct page *page, unsigned int numpages)
{
	(void)page; (void)numpages;
}
static inline bool kernel_page_present(struct page *page) { (void)page; return true; }
#endif

/* ---- page poisoning (Linux's CONFIG_PAGE_POISONING, mm/page_poison.c) ---- */
#define PAGE_POISON	0xaa	/* include/linux/poison.h */
/* mm_core_init, before the "mem auto-init" line: poisoning wins over init_on_*. */
void page_poisoning_init(struct mmsim *m);
#ifdef CONFIG_PAGE_POISONING
bool page_poisoning_enabled(void);
void __kernel_poison_pages(struct page *page, int numpages);
void __kernel_unpoison_pages(struct page *page, int numpages);
static inline void kernel_poison_pages(struct page *page, int numpages)
{
	if (page_poisoning_enabled())
		__kernel_poison_pages(page, numpages);
}
static inline void kernel_unpoison_pages(struct page *page, int numpages)
{
	if (page_poisoning_enabled())
		__kernel_unpoison_pages(page, numpages);
}
#else
static inline bool page_poisoning_enabled(void) { return false; }
static inline void kernel_poison_pages(struct page *page, int numpages)
{
	(void)page; (void)numpages;
}
static inline void kernel_unpoison_pages(struct page *page, int numpages)
{
	(void)page; (void)numpages;
}
#endif

#endif
