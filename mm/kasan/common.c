// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kasan/common.c - KASAN's hooks in the allocators (Linux's
 * mm/kasan/common.c and the generic parts of generic.c): what each
 * allocation and free does to the shadow and to the object's metadata.
 *
 *   slab cache created   kasan_cache_create: alloc and free metadata after
 *                        the object, stride grown to the optimal redzone
 *   new slab             kasan_poison_slab: all of it KASAN_SLAB_REDZONE
 *   ctor                 run on an unpoisoned object, poisoned again after
 *   kmem_cache_alloc,    kasan_slab_alloc: [0, size) accessible (to the
 *   kmalloc              byte), [size, object_size) KASAN_KMALLOC_REDZONE,
 *                        the allocating task and stack saved
 *   kfree, ...           kasan_slab_free: an address that is not an object
 *                        start is an invalid-free, a poisoned object a
 *                        double-free (reported, and the object is left
 *                        alone); else KASAN_SLAB_FREETRACK on the first
 *                        granule, KASAN_SLAB_FREE on the rest, the freeing
 *                        stack saved, and the object goes to the quarantine
 *   large kmalloc        [size, end of the pages) KASAN_PAGE_REDZONE; the
 *                        free checks invalid/double free like a slab's
 *   krealloc in place    the object's new size, to the byte
 *   page allocator       allocated pages accessible, freed KASAN_PAGE_FREE
 *   vmalloc              the area accessible to its size, the rest and the
 *                        guard page KASAN_VMALLOC_INVALID, and all of it
 *                        again when it is freed
 *
 * SLAB_TYPESAFE_BY_RCU caches are not poisoned on free (their objects may
 * be read after free by design), as in Linux.  Callers test
 * kasan_enabled() (or s->hooks) first; each hook also finds the machine's
 * state and does nothing when kasan is off.
 *
 * Locking: the shadow of an object or page is written by whoever owns it
 * (allocating or freeing it); the quarantine has its own lock.
 */
#define _GNU_SOURCE
#include <execinfo.h>
#include <string.h>
#include <mmsim/sched.h>
#include "mm/kasan/kasan.h"
#include "mm/slab.h"

#ifdef CONFIG_KASAN

static inline struct kasan_state *ks_of_machine(void)
{
	return kasan_current();
}

void kasan_save_track(struct kasan_state *ks, struct kasan_track *t)
{
	void *frames[KASAN_STACK_DEPTH];
	int nr = 0;

	t->pid = current ? current->pid : current_machine()->pid;
	if (!ks->no_stacktrace)		/* the unwinder: most of an allocation's cost */
		nr = backtrace(frames, KASAN_STACK_DEPTH);
	t->nr_entries = nr > 0 ? (unsigned int)nr : 0;
	for (int i = 0; i < nr; i++)
		t->stack[i] = (unsigned long)frames[i];
}

struct kasan_alloc_meta *kasan_get_alloc_meta(struct kmem_cache *s, const void *object)
{
	if (!s->kasan_info.alloc_meta_offset)
		return NULL;
	return (struct kasan_alloc_meta *)((char *)object + s->kasan_info.alloc_meta_offset);
}

struct kasan_free_meta *kasan_get_free_meta(struct kmem_cache *s, const void *object)
{
	if (!s->kasan_info.free_meta_offset)
		return NULL;
	return (struct kasan_free_meta *)((char *)object + s->kasan_info.free_meta_offset);
}

/* The object of @slab whose stride holds @x (its left red zone included). */
void *kasan_nearest_obj(struct kmem_cache *s, struct slab *slab, const void *x)
{
	char *base = slab_address(slab);
	unsigned long idx = (unsigned long)((const char *)x - base) / s->size;

	if (idx >= slab->objects)
		idx = slab->objects - 1;
	return base + idx * s->size + s->red_left_pad;
}

/* Linux's optimal_redzone(): bigger objects get bigger red zones. */
static unsigned int optimal_redzone(unsigned int object_size)
{
	return object_size <= 64 - 16 ? 16 :
	       object_size <= 128 - 32 ? 32 :
	       object_size <= 512 - 64 ? 64 :
	       object_size <= 4096 - 128 ? 128 :
	       object_size <= (1 << 14) - 256 ? 256 :
	       object_size <= (1 << 15) - 512 ? 512 :
	       object_size <= (1 << 16) - 1024 ? 1024 : 2048;
}

/**
 * kasan_cache_create - make room for KASAN's metadata and red zone
 * @s: the cache being laid out (object_size, flags known)
 * @size: the stride so far (object, free pointer, slub_debug tracking);
 *        grown here
 *
 * Context: calculate_sizes(), under slab_mutex, on a CPU of the machine.
 */
void kasan_cache_create(struct kmem_cache *s, unsigned int *size)
{
	unsigned int optimal;

	s->kasan_info.alloc_meta_offset = 0;
	s->kasan_info.free_meta_offset = 0;
	if (!ks_of_machine())
		return;
	*size = ALIGN(*size, (unsigned int)sizeof(void *));
	s->kasan_info.alloc_meta_offset = *size;
	*size += sizeof(struct kasan_alloc_meta);
	s->kasan_info.free_meta_offset = *size;
	*size += sizeof(struct kasan_free_meta);
	optimal = s->object_size + optimal_redzone(s->object_size);
	if (optimal > KMALLOC_MAX_SIZE)
		optimal = KMALLOC_MAX_SIZE;
	if (*size < optimal)
		*size = optimal;
}

/* slub_debug's padding checks: the end of KASAN's metadata, or @off without it. */
unsigned int kasan_metadata_end(const struct kmem_cache *s, unsigned int off)
{
	if (!s->kasan_info.alloc_meta_offset)
		return off;
	return s->kasan_info.free_meta_offset + (unsigned int)sizeof(struct kasan_free_meta);
}

/* A new slab: all red zone, and no object has an allocation track yet. */
void kasan_poison_slab(struct slab *slab)
{
	struct kasan_state *ks = ks_of_machine();
	struct kmem_cache *s = slab->slab_cache;
	char *base = slab_address(slab);

	if (!ks)
		return;
	kasan_poison(ks, base, PAGE_SIZE << slab_order(slab), KASAN_SLAB_REDZONE);
	for (unsigned int i = 0; s->kasan_info.alloc_meta_offset && i < slab->objects; i++) {
		struct kasan_alloc_meta *am = kasan_get_alloc_meta(s, base + i * s->size +
								  s->red_left_pad);

		am->alloc_track.pid = -1;
		am->alloc_track.nr_entries = 0;
		am->requested = 0;
	}
}

void kasan_unpoison_new_object(struct kmem_cache *s, void *object)
{
	struct kasan_state *ks = ks_of_machine();

	if (ks)
		kasan_unpoison(ks, object, s->object_size);
}

void kasan_poison_new_object(struct kmem_cache *s, void *object)
{
	struct kasan_state *ks = ks_of_machine();

	if (ks)
		kasan_poison(ks, object, ALIGN(s->object_size, KASAN_GRANULE_SIZE),
			     KASAN_SLAB_REDZONE);
}

/* [object, object + size) accessible, the rest of the object a red zone. */
static void unpoison_object(struct kasan_state *ks, struct kmem_cache *s, void *object,
			    size_t size)
{
	uintptr_t rz_start = ALIGN((uintptr_t)object + size, KASAN_GRANULE_SIZE);
	uintptr_t rz_end = ALIGN((uintptr_t)object + s->object_size, KASAN_GRANULE_SIZE);

	kasan_unpoison(ks, object, size);
	if (rz_end > rz_start)
		kasan_poison(ks, (void *)rz_start, rz_end - rz_start, KASAN_KMALLOC_REDZONE);
}

/**
 * kasan_slab_alloc - an object was handed out: unpoison exactly @size bytes
 * (s->object_size for kmem_cache_alloc, the kmalloc size for kmalloc) and
 * record who allocated it.
 */
void kasan_slab_alloc(struct kmem_cache *s, void *object, size_t size, unsigned long ip)
{
	struct kasan_state *ks = ks_of_machine();
	struct kasan_alloc_meta *am;

	(void)ip;
	if (!ks || !object)
		return;
	unpoison_object(ks, s, object, size);
	am = kasan_get_alloc_meta(s, object);
	if (am) {
		am->requested = size;
		kasan_save_track(ks, &am->alloc_track);
	}
}

/**
 * kasan_slab_free - check and poison a freed object
 * @ip: the free's caller (the report's "in" function)
 *
 * Return: true when KASAN keeps the object (in the quarantine, or because
 * the free was a double or invalid one, reported): the caller must not
 * free it.  false: free it now (kasan off, or an RCU-typesafe cache).
 */
bool kasan_slab_free(struct kmem_cache *s, void *object, unsigned long ip)
{
	struct kasan_state *ks = ks_of_machine();
	struct kasan_free_meta *fm;
	struct slab *slab;
	uint8_t *sh;

	if (!ks || !s->kasan_info.alloc_meta_offset)
		return false;
	slab = virt_to_slab(object);
	if (kasan_nearest_obj(s, slab, object) != object) {
		kasan_report_invalid_free(ks, object, ip, KASAN_REPORT_INVALID_FREE);
		return true;
	}
	if (!kasan_byte_accessible(ks, object)) {
		kasan_report_invalid_free(ks, object, ip, KASAN_REPORT_DOUBLE_FREE);
		return true;
	}
	if (s->flags & SLAB_TYPESAFE_BY_RCU)
		return false;
	kasan_poison(ks, object, ALIGN(s->object_size, KASAN_GRANULE_SIZE), KASAN_SLAB_FREE);
	fm = kasan_get_free_meta(s, object);
	kasan_save_track(ks, &fm->free_track);
	sh = kasan_shadow(ks, object);
	if (sh)
		*sh = KASAN_SLAB_FREETRACK;
	kasan_quarantine_put(ks, s, object);
	return true;
}

void kasan_cache_shrink(struct kmem_cache *s)
{
	struct kasan_state *ks = ks_of_machine();

	if (ks)
		kasan_quarantine_remove_cache(ks, s);
}

void kasan_cache_shutdown(struct kmem_cache *s)
{
	kasan_cache_shrink(s);
}

void kasan_quarantine_drain(void)
{
	struct kasan_state *ks = ks_of_machine();

	if (ks)
		kasan_quarantine_flush(ks);
}

/* The pages' end of a large kmalloc at @ptr. */
static uintptr_t large_end(const void *ptr)
{
	struct page *page = compound_head(virt_to_page(ptr));

	return (uintptr_t)page_address(page) + (PAGE_SIZE << compound_order(page));
}

void kasan_kmalloc_large(const void *ptr, size_t size)
{
	struct kasan_state *ks = ks_of_machine();
	uintptr_t rz_start, rz_end;

	if (!ks || !ptr)
		return;
	rz_start = ALIGN((uintptr_t)ptr + size, KASAN_GRANULE_SIZE);
	rz_end = large_end(ptr);
	kasan_unpoison(ks, ptr, size);
	if (rz_end > rz_start)
		kasan_poison(ks, (void *)rz_start, rz_end - rz_start, KASAN_PAGE_REDZONE);
}

/* Return: true when the free is bad (reported): the caller must not free. */
bool kasan_kfree_large(const void *ptr, unsigned long ip)
{
	struct kasan_state *ks = ks_of_machine();

	if (!ks)
		return false;
	if (ptr != page_address(compound_head(virt_to_page(ptr)))) {
		kasan_report_invalid_free(ks, ptr, ip, KASAN_REPORT_INVALID_FREE);
		return true;
	}
	if (!kasan_byte_accessible(ks, ptr)) {
		kasan_report_invalid_free(ks, ptr, ip, KASAN_REPORT_DOUBLE_FREE);
		return true;
	}
	return false;
}

/* krealloc's first look at its object: a freed one is a use-after-free. */
bool kasan_check_byte(const void *ptr, unsigned long ip)
{
	struct kasan_state *ks = ks_of_machine();

	if (!ks || kasan_byte_accessible(ks, ptr))
		return true;
	kasan_report(ks, ptr, 1, false, ip);
	return false;
}

/* krealloc() kept the object: poison it to its new size, to the byte. */
void kasan_krealloc(const void *ptr, size_t new_size)
{
	struct kasan_state *ks = ks_of_machine();
	struct page *page;

	if (!ks || ZERO_OR_NULL_PTR(ptr))
		return;
	page = compound_head(virt_to_page(ptr));
	if (PageSlab(page)) {
		struct kmem_cache *s = ((struct slab *)page)->slab_cache;
		struct kasan_alloc_meta *am = kasan_get_alloc_meta(s, ptr);

		unpoison_object(ks, s, (void *)ptr, new_size);
		if (am) {
			am->requested = new_size;
			kasan_save_track(ks, &am->alloc_track);
		}
	} else {
		kasan_kmalloc_large(ptr, new_size);
	}
}

void kasan_poison_pages(struct page *page, unsigned int order)
{
	struct kasan_state *ks = ks_of_machine();

	if (ks && !PageHighMem(page))
		kasan_poison(ks, page_address(page), PAGE_SIZE << order, KASAN_PAGE_FREE);
}

void kasan_unpoison_pages(struct page *page, unsigned int order)
{
	struct kasan_state *ks = ks_of_machine();

	if (ks && !PageHighMem(page))
		kasan_unpoison(ks, page_address(page), PAGE_SIZE << order);
}

/* A new vmap area: all of it accessible (a vmalloc then narrows it). */
void kasan_unpoison_vmap_area(const void *addr, size_t size)
{
	struct kasan_state *ks = ks_of_machine();

	if (ks)
		kasan_unpoison(ks, addr, size);
}

void kasan_poison_vmalloc(const void *addr, size_t size)
{
	struct kasan_state *ks = ks_of_machine();

	if (ks)
		kasan_poison(ks, addr, size, KASAN_VMALLOC_INVALID);
}

/* vmalloc(@size) in an area of @area_size bytes (without the guard page). */
void kasan_unpoison_vmalloc(const void *addr, size_t size, size_t area_size)
{
	struct kasan_state *ks = ks_of_machine();
	uintptr_t rz_start = ALIGN((uintptr_t)addr + size, KASAN_GRANULE_SIZE);
	uintptr_t rz_end = (uintptr_t)addr + area_size;

	if (!ks)
		return;
	kasan_unpoison(ks, addr, size);
	if (rz_end > rz_start)
		kasan_poison(ks, (void *)rz_start, rz_end - rz_start, KASAN_VMALLOC_INVALID);
}

#endif /* CONFIG_KASAN */
