// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kmsan/hooks.c - KMSAN's hooks for the rest of mmsim (Linux's
 * mm/kmsan/hooks.c) and the uaccess instrumentation of
 * include/linux/instrumented.h.
 *
 * What each does, as Linux's:
 *   kmsan_slab_alloc      poison the object (its stack as origin), or
 *                         unpoison it with __GFP_ZERO / init_on_alloc;
 *   kmsan_slab_free       poison it again, origin = the free (UAF bit);
 *   kmsan_kmalloc_large / kmsan_kfree_large: the same for large kmalloc;
 *   kmsan_alloc_page      poison the block unless __GFP_ZERO;
 *   kmsan_free_page       poison it (UAF bit);
 *   kmsan_copy_to_user    check the bytes about to be copied out;
 *   kmsan_memmove         carry shadow and origins along a copy;
 *   kmsan_handle_dma      to the device: check; from it: unpoison;
 *   kmsan_check_memory    check, report as uninit-value.
 * Departure: a cache with a constructor or SLAB_TYPESAFE_BY_RCU leaves its
 * objects as Linux does, but mmsim cannot see the constructor's stores, so
 * it unpoisons such an object at allocation (Linux: already unpoisoned by
 * the instrumented constructor).
 *
 * Every hook does nothing unless this machine booted with kmsan=on, and
 * nothing inside the runtime (a report's printk must not be checked).
 */
#include "mm/kmsan/kmsan.h"
#include "mm/slab.h"

#ifdef CONFIG_KMSAN

_Thread_local int kmsan_runtime_depth;

static inline struct kmsan_state *kmsan_get(void)
{
	struct kmsan_state *st = kmsan_state();

	if (likely(!st) || kmsan_in_runtime())
		return NULL;
	return st;
}

void __kmsan_runtime kmsan_slab_alloc(struct kmem_cache *s, void *object, gfp_t flags)
{
	struct kmsan_state *st = kmsan_get();

	if (!st || !object)
		return;
	kmsan_enter_runtime();
	if ((flags & __GFP_ZERO) || s->ctor || (s->flags & SLAB_TYPESAFE_BY_RCU))
		kmsan_internal_unpoison_memory(st, object, s->object_size);
	else
		kmsan_internal_poison_memory(st, object, s->object_size, false);
	kmsan_leave_runtime();
}

void __kmsan_runtime kmsan_slab_free(struct kmem_cache *s, void *object)
{
	struct kmsan_state *st = kmsan_get();

	/* RCU objects may be read after the free; a ctor's state must stay. */
	if (!st || (s->flags & SLAB_TYPESAFE_BY_RCU) || s->ctor)
		return;
	kmsan_enter_runtime();
	kmsan_internal_poison_memory(st, object, s->object_size, true);
	kmsan_leave_runtime();
}

void __kmsan_runtime kmsan_kmalloc_large(const void *ptr, size_t size, gfp_t flags)
{
	struct kmsan_state *st = kmsan_get();

	if (!st || !ptr)
		return;
	kmsan_enter_runtime();
	if (flags & __GFP_ZERO)
		kmsan_internal_unpoison_memory(st, ptr, size);
	else
		kmsan_internal_poison_memory(st, ptr, size, false);
	kmsan_leave_runtime();
}

void __kmsan_runtime kmsan_kfree_large(const void *ptr)
{
	struct kmsan_state *st = kmsan_get();
	struct page *page;

	if (!st)
		return;
	kmsan_enter_runtime();
	page = virt_to_page(ptr);
	kmsan_internal_poison_memory(st, ptr, PAGE_SIZE << compound_order(page), true);
	kmsan_leave_runtime();
}

void __kmsan_runtime kmsan_alloc_page(struct page *page, unsigned int order, gfp_t flags)
{
	struct kmsan_state *st = kmsan_state();
	kmsan_handle_t h;

	if (!st || !page)
		return;
	if ((flags & __GFP_ZERO) || kmsan_in_runtime()) {
		kmsan_internal_poison_pfns(st, page_to_pfn(page), 1UL << order, 0, 0);
		return;
	}
	kmsan_enter_runtime();
	h = kmsan_save_stack(st, 0);
	kmsan_internal_poison_pfns(st, page_to_pfn(page), 1UL << order, KMSAN_POISON, h);
	kmsan_leave_runtime();
}

void __kmsan_runtime kmsan_free_page(struct page *page, unsigned int order)
{
	struct kmsan_state *st = kmsan_get();
	kmsan_handle_t h;

	if (!st)
		return;
	kmsan_enter_runtime();
	h = kmsan_save_stack(st, KMSAN_HANDLE_UAF);
	kmsan_internal_poison_pfns(st, page_to_pfn(page), 1UL << order, KMSAN_POISON, h);
	kmsan_leave_runtime();
}

/* copy_highpage() and its users (COW, migration): the page's metadata too. */
void __kmsan_runtime kmsan_copy_page_meta(struct page *dst, struct page *src)
{
	struct kmsan_state *st = kmsan_get();
	unsigned long dpfn, spfn;

	if (!st || !dst || !src)
		return;
	dpfn = page_to_pfn(dst);
	spfn = page_to_pfn(src);
	if (dpfn - st->base_pfn >= st->nr_pfns)
		return;
	if (spfn - st->base_pfn >= st->nr_pfns) {
		kmsan_internal_poison_pfns(st, dpfn, 1, 0, 0);
		return;
	}
	memcpy(st->shadow + PFN_PHYS(dpfn - st->base_pfn),
	       st->shadow + PFN_PHYS(spfn - st->base_pfn), PAGE_SIZE);
	memcpy(st->origin + PFN_PHYS(dpfn - st->base_pfn) / KMSAN_ORIGIN_SIZE,
	       st->origin + PFN_PHYS(spfn - st->base_pfn) / KMSAN_ORIGIN_SIZE, PAGE_SIZE);
}

void __kmsan_runtime kmsan_copy_to_user(unsigned long to, const void *from, size_t to_copy,
					size_t left)
{
	struct kmsan_state *st = kmsan_get();

	/* Nothing copied, or nothing to copy: nothing to check. */
	if (!st || !to_copy || to_copy <= left)
		return;
	kmsan_internal_check_memory(st, from, to_copy - left, to, REASON_COPY_TO_USER);
}

void __kmsan_runtime kmsan_memmove(void *to, const void *from, size_t size)
{
	struct kmsan_state *st = kmsan_get();

	if (!st)
		return;
	kmsan_enter_runtime();
	kmsan_internal_memmove_metadata(st, to, from, size);
	kmsan_leave_runtime();
}

void __kmsan_runtime kmsan_handle_dma(struct page *page, size_t offset, size_t size,
				      enum dma_data_direction dir)
{
	struct kmsan_state *st = kmsan_get();
	unsigned long pfn;

	if (!st || !page)
		return;
	/* Page by page (Linux: adjacent pages may be separate allocations). */
	pfn = page_to_pfn(page) + offset / PAGE_SIZE;
	offset %= PAGE_SIZE;
	while (size) {
		size_t n = min(size, PAGE_SIZE - offset);
		bool lowmem = pfn < current_layout->max_low_pfn;

		/* Highmem has no permanent address: not checked (Linux:
		 * PhysHighMem), but a transfer into it initialises it. */
		if (lowmem && (dir == DMA_TO_DEVICE || dir == DMA_BIDIRECTIONAL))
			kmsan_internal_check_memory(st, (char *)page_address(pfn_to_page(pfn)) + offset,
						    n, 0, REASON_ANY);
		if ((dir == DMA_FROM_DEVICE || dir == DMA_BIDIRECTIONAL) &&
		    pfn - st->base_pfn < st->nr_pfns) {
			size_t off = PFN_PHYS(pfn - st->base_pfn) + offset;

			memset(st->shadow + off, 0, n);
			for (size_t i = off / KMSAN_ORIGIN_SIZE; i <= (off + n - 1) / KMSAN_ORIGIN_SIZE; i++)
				if (!*(const u32 *)(st->shadow + i * KMSAN_ORIGIN_SIZE))
					st->origin[i] = 0;
		}
		size -= n;
		offset = 0;
		pfn++;
	}
}

void __kmsan_runtime kmsan_poison_memory(const void *address, size_t size, gfp_t flags)
{
	struct kmsan_state *st = kmsan_get();

	(void)flags;
	if (!st)
		return;
	kmsan_enter_runtime();
	kmsan_internal_poison_memory(st, address, size, false);
	kmsan_leave_runtime();
}

void __kmsan_runtime kmsan_unpoison_memory(const void *address, size_t size)
{
	struct kmsan_state *st = kmsan_state();	/* allowed inside the runtime */

	if (st)
		kmsan_internal_unpoison_memory(st, address, size);
}

void __kmsan_runtime kmsan_check_memory(const void *address, size_t size)
{
	struct kmsan_state *st = kmsan_get();

	if (st)
		kmsan_internal_check_memory(st, address, size, 0, REASON_ANY);
}

void __kmsan_runtime kmsan_instrumented_store(const void *addr, size_t size)
{
	struct kmsan_state *st = kmsan_get();

	if (st)
		kmsan_internal_unpoison_memory(st, addr, size);
}

void __kmsan_runtime kmsan_instrumented_memmove(void *dst, const void *src, size_t n)
{
	kmsan_memmove(dst, src, n);
}

bool __kmsan_runtime kmsan_is_poisoned(const void *addr)
{
	struct kmsan_state *st = kmsan_state();
	size_t contig;
	long off;

	if (!st)
		return false;
	off = kmsan_meta_offset(st, addr, &contig);
	return off >= 0 && st->shadow[off];
}

unsigned long kmsan_nr_reports(void)
{
	struct kmsan_state *st = kmsan_state();

	return st ? st->nr_reports : 0;
}

/*
 * include/linux/instrumented.h: outside the runtime's section, so that a
 * report's first frame is this one, as Linux's reports name it.
 */
noinline void instrument_copy_to_user(unsigned long to, const void *from, unsigned long n)
{
	kmsan_copy_to_user(to, from, n, 0);
}

noinline void instrument_copy_from_user_after(const void *to, unsigned long from,
					      unsigned long n, unsigned long left)
{
	(void)from;
	kmsan_unpoison_memory(to, n - left);
}

#else
typedef int kmsan_hooks_unused;		/* an empty file is not C */
#endif /* CONFIG_KMSAN */
