/* SPDX-License-Identifier: GPL-2.0 */
/*
 * highmem.h - temporary kernel mappings of pages (include/linux/highmem.h).
 *
 * On i386 and i386-pae, RAM above lowmem (~896 MiB) is ZONE_HIGHMEM: its
 * pages have no permanent kernel address, page_address() is NULL, until
 * they are mapped:
 *
 *   kmap(page) / kunmap(page)     the pkmap area: LAST_PKMAP slots at
 *                                 PKMAP_BASE, shared by all CPUs, with a use
 *                                 count each; may sleep for a free slot;
 *                                 page_address() answers while mapped
 *   kmap_local_page(page) / kunmap_local(addr)
 *   kmap_atomic(page) / kunmap_atomic(addr)
 *                                 per-CPU fixmap slots, a stack: unmap in
 *                                 the reverse order of mapping
 *
 * Every address returned is a host address that aliases the page (the
 * same bytes as page_address() of a lowmem page, or as a vmalloc mapping).
 * On 64-bit arches, and for lowmem pages, all of these are page_address().
 */
#ifndef MMSIM_HIGHMEM_H
#define MMSIM_HIGHMEM_H

#include <string.h>
#include <mmsim/mm.h>
#include <mmsim/kmsan.h>

#define LAST_PKMAP	(current_layout->last_pkmap)	/* 1024, 512 with PAE */
#define LAST_PKMAP_MASK	(LAST_PKMAP - 1)
#define PKMAP_BASE	(current_layout->pkmap_base)
#define PKMAP_NR(virt)	(((virt) - PKMAP_BASE) >> PAGE_SHIFT)
#define PKMAP_ADDR(nr)	(PKMAP_BASE + ((unsigned long)(nr) << PAGE_SHIFT))

#define FIXADDR_START	(current_layout->fixaddr_start)
#define FIXADDR_TOP	(current_layout->fixaddr_top)
#define __fix_to_virt(x)	(FIXADDR_TOP - ((unsigned long)(x) << PAGE_SHIFT))
#define __virt_to_fix(x)	((FIXADDR_TOP - ((x) & PAGE_MASK)) >> PAGE_SHIFT)

/* kmap_local slots per CPU (Linux's KM_MAX_IDX; fewer if the fixmap is
 * too small for 16 per CPU, docs/vmalloc.md). */
#define KM_MAX_IDX	16
/* The first kmap fixmap index (FIX_HOLE is 0). */
#define FIX_KMAP_BEGIN	1

void *kmap(struct page *page);
void kunmap(struct page *page);
void *kmap_local_page(struct page *page);
void kunmap_local(const void *addr);
void *kmap_atomic(struct page *page);
void kunmap_atomic(const void *addr);

/* Free pages of ZONE_HIGHMEM. */
unsigned long nr_free_highpages(void);

static inline void clear_highpage(struct page *page)
{
	void *kaddr = kmap_local_page(page);

	memset(kaddr, 0, PAGE_SIZE);
	kmsan_unpoison_memory(kaddr, PAGE_SIZE);
	kunmap_local(kaddr);
}

static inline void copy_highpage(struct page *to, struct page *from)
{
	char *vfrom = kmap_local_page(from);
	char *vto = kmap_local_page(to);

	memcpy(vto, vfrom, PAGE_SIZE);
	kmsan_copy_page_meta(to, from);
	kunmap_local(vto);
	kunmap_local(vfrom);
}

static inline void memcpy_from_page(char *to, struct page *page, size_t offset, size_t len)
{
	char *from = kmap_local_page(page);

	memcpy(to, from + offset, len);
	kmsan_memmove(to, from + offset, len);
	kunmap_local(from);
}

static inline void memcpy_to_page(struct page *page, size_t offset, const char *from, size_t len)
{
	char *to = kmap_local_page(page);

	memcpy(to + offset, from, len);
	kmsan_memmove(to + offset, from, len);
	kunmap_local(to);
}

/* ---------------------------------------------------------------------
 * mmsim internals (mm/highmem.c)
 */

/* page_address() of a highmem page: its pkmap address, or NULL. */
void *highmem_page_address(const struct page *page);

struct kmap_stats {
	unsigned long pkmap_in_use;	/* slots with count > 1 */
	unsigned long pkmap_flushes;	/* flush_all_zero_pkmaps that flushed */
	unsigned long host_maps;	/* host mmap calls for kmap and kmap_local */
};
void kmap_get_stats(struct kmap_stats *st);

struct mmsim;
int kmap_init(struct mmsim *m, void **state);	/* from vmalloc_init() */
void kmap_teardown(struct mmsim *m, void *state);

#endif
