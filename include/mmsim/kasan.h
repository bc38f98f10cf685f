/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kasan.h - the Kernel Address Sanitizer, generic mode (Linux's
 * include/linux/kasan.h): shadow memory over the direct map and vmalloc,
 * the allocators' hooks that poison and unpoison it, and the checks
 * (docs/kasan.md).
 *
 * Two audiences:
 *   - mmsim's allocators call the hooks below (kasan_slab_alloc(), ...).
 *     Each is an empty static inline when the library was built without
 *     CONFIG_KASAN (-DMMSIM_DEBUG_TOOLS=OFF), as Linux's are; built in,
 *     the callers test kasan_enabled() (mm/internal.h) or the cache's
 *     s->hooks first, so a machine booted without kasan=on pays nothing.
 *   - code that runs against mmsim (a "driver" under test) is compiled
 *     with `pkg-config --variable=kasan_cflags mmsim`
 *     (-fsanitize=kernel-address in outline mode): the compiler then calls
 *     the __asan_load / __asan_store runtime of mm/kasan/generic.c before
 *     every access.  GCC leaves memset()/memcpy()/memmove() as libc calls;
 *     including this header in such code maps them to the checked
 *     __asan_memset/__asan_memcpy/__asan_memmove (Linux's kernel memset is
 *     itself checked), and kasan_check_read()/kasan_check_write() check a
 *     range by hand.
 *
 * An address outside every kasan=on machine's direct map and vmalloc
 * window is host memory and is never checked.
 */
#ifndef MMSIM_KASAN_H
#define MMSIM_KASAN_H

#include <stdbool.h>
#include <stddef.h>
#include <mmsim/config.h>

struct kmem_cache;
struct page;
struct slab;
struct mmsim;

#define KASAN_SHADOW_SCALE_SHIFT	3
#define KASAN_GRANULE_SIZE		(1UL << KASAN_SHADOW_SCALE_SHIFT)
#define KASAN_GRANULE_MASK		(KASAN_GRANULE_SIZE - 1)

/* Shadow byte values (Linux's mm/kasan/kasan.h, generic mode). */
#define KASAN_PAGE_FREE		0xFF	/* freed page */
#define KASAN_PAGE_REDZONE	0xFE	/* redzone of a large kmalloc */
#define KASAN_SLAB_REDZONE	0xFC	/* redzone of a slab object */
#define KASAN_SLAB_FREE		0xFB	/* freed slab object */
#define KASAN_SLAB_FREETRACK	0xFA	/* freed slab object with its free track */
#define KASAN_GLOBAL_REDZONE	0xF9	/* redzone of a global variable */
#define KASAN_VMALLOC_INVALID	0xF8	/* inaccessible part of a vmap area */
#define KASAN_KMALLOC_REDZONE	KASAN_SLAB_REDZONE	/* past a kmalloc's size */
#define KASAN_STACK_LEFT	0xF1	/* compiler ABI */
#define KASAN_STACK_MID		0xF2
#define KASAN_STACK_RIGHT	0xF3
#define KASAN_STACK_PARTIAL	0xF4
#define KASAN_ALLOCA_LEFT	0xCA
#define KASAN_ALLOCA_RIGHT	0xCB

/* Boot and shutdown (mm/kasan/init.c; no-ops without CONFIG_KASAN). */
int kasan_init(struct mmsim *m, char *err, size_t len);
void kasan_exit(struct mmsim *m);

/* Checked memory functions: what instrumented code gets for mem*(). */
void *__asan_memset(void *addr, int c, size_t len);
void *__asan_memcpy(void *dst, const void *src, size_t len);
void *__asan_memmove(void *dst, const void *src, size_t len);

#ifdef CONFIG_KASAN

/* Linux's kasan_check_read/write: report if [p, p+size) may not be touched. */
bool __kasan_check_read(const volatile void *p, unsigned int size);
bool __kasan_check_write(const volatile void *p, unsigned int size);
static inline bool kasan_check_read(const volatile void *p, unsigned int size)
{
	return __kasan_check_read(p, size);
}
static inline bool kasan_check_write(const volatile void *p, unsigned int size)
{
	return __kasan_check_write(p, size);
}
/* Suppress reports on this thread (nestable), as Linux's current->kasan_depth. */
void kasan_disable_current(void);
void kasan_enable_current(void);
/* kasan_multi_shot at run time (Linux's kasan_save_enable_multi_shot). */
bool kasan_save_enable_multi_shot(void);
void kasan_restore_multi_shot(bool enabled);
/* Empty the quarantine of the current machine (tests; memory pressure). */
void kasan_quarantine_drain(void);
/* The invariant checker (mm/kasan/debug.c, docs/invariants.md KA1..KA4). */
bool kasan_is_valid(void);

/* Hooks of the allocators (mm/kasan/common.c). */
void kasan_cache_create(struct kmem_cache *s, unsigned int *size);
unsigned int kasan_metadata_end(const struct kmem_cache *s, unsigned int off);
void kasan_poison_slab(struct slab *slab);
void kasan_unpoison_new_object(struct kmem_cache *s, void *object);
void kasan_poison_new_object(struct kmem_cache *s, void *object);
void kasan_slab_alloc(struct kmem_cache *s, void *object, size_t size, unsigned long ip);
bool kasan_slab_free(struct kmem_cache *s, void *object, unsigned long ip);
void kasan_cache_shrink(struct kmem_cache *s);
void kasan_cache_shutdown(struct kmem_cache *s);
void kasan_kmalloc_large(const void *ptr, size_t size);
bool kasan_kfree_large(const void *ptr, unsigned long ip);
bool kasan_check_byte(const void *ptr, unsigned long ip);
void kasan_krealloc(const void *ptr, size_t new_size);
void kasan_unpoison_range(const void *addr, size_t size);
void kasan_poison_pages(struct page *page, unsigned int order);
void kasan_unpoison_pages(struct page *page, unsigned int order);
void kasan_unpoison_vmap_area(const void *addr, size_t size);
void kasan_poison_vmalloc(const void *addr, size_t size);
void kasan_unpoison_vmalloc(const void *addr, size_t size, size_t area_size);

#else /* !CONFIG_KASAN */

static inline bool kasan_check_read(const volatile void *p, unsigned int size)
{
	(void)p; (void)size;
	return true;
}
static inline bool kasan_check_write(const volatile void *p, unsigned int size)
{
	(void)p; (void)size;
	return true;
}
static inline void kasan_disable_current(void) {}
static inline void kasan_enable_current(void) {}
static inline bool kasan_save_enable_multi_shot(void) { return false; }
static inline void kasan_restore_multi_shot(bool enabled) { (void)enabled; }
static inline void kasan_quarantine_drain(void) {}
static inline bool kasan_is_valid(void) { return true; }
static inline void kasan_cache_create(struct kmem_cache *s, unsigned int *size) { (void)s; (void)size; }
static inline unsigned int kasan_metadata_end(const struct kmem_cache *s, unsigned int off)
{
	(void)s;
	return off;
}
static inline void kasan_poison_slab(struct slab *slab) { (void)slab; }
static inline void kasan_unpoison_new_object(struct kmem_cache *s, void *o) { (void)s; (void)o; }
static inline void kasan_poison_new_object(struct kmem_cache *s, void *o) { (void)s; (void)o; }
static inline void kasan_slab_alloc(struct kmem_cache *s, void *o, size_t size, unsigned long ip)
{
	(void)s; (void)o; (void)size; (void)ip;
}
static inline bool kasan_slab_free(struct kmem_cache *s, void *o, unsigned long ip)
{
	(void)s; (void)o; (void)ip;
	return false;
}
static inline void kasan_cache_shrink(struct kmem_cache *s) { (void)s; }
static inline void kasan_cache_shutdown(struct kmem_cache *s) { (void)s; }
static inline void kasan_kmalloc_large(const void *p, size_t size) { (void)p; (void)size; }
static inline bool kasan_kfree_large(const void *p, unsigned long ip)
{
	(void)p; (void)ip;
	return false;
}
static inline bool kasan_check_byte(const void *p, unsigned long ip)
{
	(void)p; (void)ip;
	return true;
}
static inline void kasan_krealloc(const void *p, size_t size) { (void)p; (void)size; }
static inline void kasan_unpoison_range(const void *p, size_t size) { (void)p; (void)size; }
static inline void kasan_poison_pages(struct page *page, unsigned int order) { (void)page; (void)order; }
static inline void kasan_unpoison_pages(struct page *page, unsigned int order) { (void)page; (void)order; }
static inline void kasan_unpoison_vmap_area(const void *p, size_t size) { (void)p; (void)size; }
static inline void kasan_poison_vmalloc(const void *p, size_t size) { (void)p; (void)size; }
static inline void kasan_unpoison_vmalloc(const void *p, size_t size, size_t area_size)
{
	(void)p; (void)size; (void)area_size;
}

#endif /* CONFIG_KASAN */

/*
 * Code compiled with KASAN's flags (`pkg-config --variable=kasan_cflags
 * mmsim`, or mmsim_kasan_sources() in mmsim's CMake) that includes this
 * header gets the checked mem* functions, as the kernel's own memset is
 * checked.  The flags define MMSIM_KASAN_INSTRUMENT: __SANITIZE_ADDRESS__
 * alone would not do, a host -fsanitize=address build defines it too.
 */
#if defined(MMSIM_KASAN_INSTRUMENT) && !defined(MMSIM_KASAN_NO_MEM_MACROS)
#define MMSIM_KASAN_INSTRUMENTED 1
#endif
#ifdef MMSIM_KASAN_INSTRUMENTED
#include <string.h>
#undef memset
#undef memcpy
#undef memmove
#define memset(p, c, n)		__asan_memset((p), (c), (n))
#define memcpy(d, s, n)		__asan_memcpy((d), (s), (n))
#define memmove(d, s, n)	__asan_memmove((d), (s), (n))
#endif

#endif /* MMSIM_KASAN_H */
