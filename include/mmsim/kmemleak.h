/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmemleak.h - the kernel memory leak detector's API (Linux's
 * include/linux/kmemleak.h), mm/kmemleak.c.
 *
 * The allocators call kmemleak_alloc*()/kmemleak_free*() for every block
 * they hand out and take back; code that keeps its pointers where kmemleak
 * cannot see them says so with kmemleak_not_leak() (never report),
 * kmemleak_ignore() (never report, never scan), kmemleak_no_scan() (do not
 * look inside) or kmemleak_scan_area().  @min_count: how many references
 * an object needs to count as referenced: 1 normally, 0 never reported
 * (always gray), -1 ignored (KMEMLEAK_BLACK).
 *
 * Without CONFIG_DEBUG_KMEMLEAK every hook is an empty inline, as in Linux.
 * With it, each is a call that returns at once unless the calling thread's
 * machine booted with kmemleak=on (mmsim's default is off: a departure,
 * Linux's default is CONFIG_DEBUG_KMEMLEAK_DEFAULT_OFF=n).
 */
#ifndef MMSIM_KMEMLEAK_H
#define MMSIM_KMEMLEAK_H

#include <stddef.h>
#include <mmsim/config.h>
#include <mmsim/types.h>
#include <mmsim/gfp.h>
#include <mmsim/slab.h>

struct vm_struct;
struct mmsim;

#ifdef CONFIG_DEBUG_KMEMLEAK

void kmemleak_alloc(const void *ptr, size_t size, int min_count, gfp_t gfp);
void kmemleak_free(const void *ptr);
void kmemleak_free_part(const void *ptr, size_t size);
void kmemleak_vmalloc(const struct vm_struct *area, size_t size, gfp_t gfp);
void kmemleak_update_trace(const void *ptr);
void kmemleak_not_leak(const void *ptr);
void kmemleak_ignore(const void *ptr);
void kmemleak_scan_area(const void *ptr, size_t size, gfp_t gfp);
void kmemleak_no_scan(const void *ptr);
void kmemleak_alloc_phys(phys_addr_t phys, size_t size, gfp_t gfp);
void kmemleak_free_part_phys(phys_addr_t phys, size_t size);
void kmemleak_ignore_phys(phys_addr_t phys);

static inline void kmemleak_alloc_recursive(const void *ptr, size_t size, int min_count,
					    slab_flags_t flags, gfp_t gfp)
{
	if (!(flags & SLAB_NOLEAKTRACE))
		kmemleak_alloc(ptr, size, min_count, gfp);
}

static inline void kmemleak_free_recursive(const void *ptr, slab_flags_t flags)
{
	if (!(flags & SLAB_NOLEAKTRACE))
		kmemleak_free(ptr);
}

/* mmsim: is kmemleak tracking on the machine @m (the slab hooks' term)? */
bool kmemleak_on(struct mmsim *m);
/*
 * mmsim: the calling thread's stack becomes a root of the scans, until it
 * exits (mmsim_enter calls it; so does a thread's first tracked allocation).
 */
void kmemleak_thread_register(void);

#else /* !CONFIG_DEBUG_KMEMLEAK */

static inline void kmemleak_alloc(const void *ptr, size_t size, int min_count, gfp_t gfp)
{
	(void)ptr; (void)size; (void)min_count; (void)gfp;
}
static inline void kmemleak_alloc_recursive(const void *ptr, size_t size, int min_count,
					    slab_flags_t flags, gfp_t gfp)
{
	(void)ptr; (void)size; (void)min_count; (void)flags; (void)gfp;
}
static inline void kmemleak_free(const void *ptr) { (void)ptr; }
static inline void kmemleak_free_part(const void *ptr, size_t size) { (void)ptr; (void)size; }
static inline void kmemleak_free_recursive(const void *ptr, slab_flags_t flags)
{
	(void)ptr; (void)flags;
}
static inline void kmemleak_vmalloc(const struct vm_struct *area, size_t size, gfp_t gfp)
{
	(void)area; (void)size; (void)gfp;
}
static inline void kmemleak_update_trace(const void *ptr) { (void)ptr; }
static inline void kmemleak_not_leak(const void *ptr) { (void)ptr; }
static inline void kmemleak_ignore(const void *ptr) { (void)ptr; }
static inline void kmemleak_scan_area(const void *ptr, size_t size, gfp_t gfp)
{
	(void)ptr; (void)size; (void)gfp;
}
static inline void kmemleak_no_scan(const void *ptr) { (void)ptr; }
static inline void kmemleak_alloc_phys(phys_addr_t phys, size_t size, gfp_t gfp)
{
	(void)phys; (void)size; (void)gfp;
}
static inline void kmemleak_free_part_phys(phys_addr_t phys, size_t size)
{
	(void)phys; (void)size;
}
static inline void kmemleak_ignore_phys(phys_addr_t phys) { (void)phys; }
static inline bool kmemleak_on(struct mmsim *m) { (void)m; return false; }
static inline void kmemleak_thread_register(void) { }

#endif /* CONFIG_DEBUG_KMEMLEAK */

#endif
