/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmsan.h - KMSAN-style uninitialised-memory tracking (Linux's
 * include/linux/kmsan.h and kmsan-checks.h; docs/kmsan.md).
 *
 * With kmsan=on on the command line, every byte of the machine's RAM has a
 * shadow byte (0: initialised, 0xff: not) and every 4 bytes an origin (a
 * handle to the stack that allocated the bytes).  Allocations poison,
 * writes mmsim knows of unpoison, copies carry shadow and origins along,
 * and copy_to_user() of poisoned bytes prints Linux's
 * "BUG: KMSAN: kernel-infoleak in instrument_copy_to_user" report.
 *
 * Departure: Linux's KMSAN is chosen when the kernel is built (clang
 * instruments every load and store); mmsim's is built in (CONFIG_KMSAN)
 * but off until the boot word kmsan=on, and it sees only the writes it is
 * told of (docs/kmsan.md lists them).
 *
 * Without CONFIG_KMSAN every hook is an empty inline, as in Linux, and
 * kmsan=on is refused by name.
 */
#ifndef MMSIM_KMSAN_H
#define MMSIM_KMSAN_H

#include <stddef.h>
#include <stdbool.h>
#include <mmsim/config.h>
#include <mmsim/types.h>
#include <mmsim/dma-direction.h>

struct kmem_cache;
struct page;

#ifdef CONFIG_KMSAN

/* Allocators (called by mm/slub.c, mm/slab_common.c, mm/page_alloc.c). */
void kmsan_slab_alloc(struct kmem_cache *s, void *object, gfp_t flags);
void kmsan_slab_free(struct kmem_cache *s, void *object);
void kmsan_kmalloc_large(const void *ptr, size_t size, gfp_t flags);
void kmsan_kfree_large(const void *ptr);
void kmsan_alloc_page(struct page *page, unsigned int order, gfp_t flags);
void kmsan_free_page(struct page *page, unsigned int order);
/* split_page(): nothing to do, the shadow is per byte of RAM. */

/* Copies between kernel memory and user space, and inside the kernel. */
void kmsan_copy_to_user(unsigned long to, const void *from, size_t to_copy, size_t left);
void kmsan_memmove(void *to, const void *from, size_t size);
void kmsan_copy_page_meta(struct page *dst, struct page *src);
void kmsan_handle_dma(struct page *page, size_t offset, size_t size,
		      enum dma_data_direction dir);

/* kmsan-checks.h: explicit marking and checking. */
void kmsan_poison_memory(const void *address, size_t size, gfp_t flags);
void kmsan_unpoison_memory(const void *address, size_t size);
void kmsan_check_memory(const void *address, size_t size);

/*
 * The compiler instrumentation's view (KASAN's __asan_store*_noabort and
 * __asan_memset/memcpy/memmove callbacks forward here): a store of @size
 * bytes at @addr initialises them; a memmove carries shadow and origins.
 */
void kmsan_instrumented_store(const void *addr, size_t size);
void kmsan_instrumented_memmove(void *dst, const void *src, size_t n);

/* include/linux/instrumented.h: the uaccess helpers call these. */
void instrument_copy_to_user(unsigned long to, const void *from, unsigned long n);
void instrument_copy_from_user_after(const void *to, unsigned long from, unsigned long n,
				     unsigned long left);

/* For tests: is byte @addr poisoned (false outside tracked memory)? */
bool kmsan_is_poisoned(const void *addr);
/* How many reports this machine printed. */
unsigned long kmsan_nr_reports(void);
/* The invariant checkers (docs/invariants.md, K1-K2). */
bool kmsan_is_valid(void);
bool kmsan_range_is_valid(const void *addr, size_t size);

#else /* !CONFIG_KMSAN */

static inline void kmsan_slab_alloc(struct kmem_cache *s, void *object, gfp_t flags) { }
static inline void kmsan_slab_free(struct kmem_cache *s, void *object) { }
static inline void kmsan_kmalloc_large(const void *ptr, size_t size, gfp_t flags) { }
static inline void kmsan_kfree_large(const void *ptr) { }
static inline void kmsan_alloc_page(struct page *page, unsigned int order, gfp_t flags) { }
static inline void kmsan_free_page(struct page *page, unsigned int order) { }
static inline void kmsan_copy_to_user(unsigned long to, const void *from, size_t to_copy,
				      size_t left) { }
static inline void kmsan_memmove(void *to, const void *from, size_t size) { }
static inline void kmsan_copy_page_meta(struct page *dst, struct page *src) { }
static inline void kmsan_handle_dma(struct page *page, size_t offset, size_t size,
				    enum dma_data_direction dir) { }
static inline void kmsan_poison_memory(const void *address, size_t size, gfp_t flags) { }
static inline void kmsan_unpoison_memory(const void *address, size_t size) { }
static inline void kmsan_check_memory(const void *address, size_t size) { }
static inline void instrument_copy_to_user(unsigned long to, const void *from,
					   unsigned long n) { }
static inline void instrument_copy_from_user_after(const void *to, unsigned long from,
						   unsigned long n, unsigned long left) { }
static inline bool kmsan_is_poisoned(const void *addr) { return false; }
static inline unsigned long kmsan_nr_reports(void) { return 0; }
static inline bool kmsan_is_valid(void) { return true; }
static inline bool kmsan_range_is_valid(const void *addr, size_t size) { return true; }

#endif /* CONFIG_KMSAN */

#endif /* MMSIM_KMSAN_H */
