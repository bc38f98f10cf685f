// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_memremap.c - ZONE_DEVICE (mm/memremap.c, docs/zone-device.md):
 *   - memremap_pages gives a device range struct pages in ZONE_DEVICE with
 *     page->pgmap set, on the node asked, costing RAM only for the memmap;
 *     MemTotal does not change and the Device zone stays unpopulated;
 *   - no allocation ever returns a device page (all of RAM allocated);
 *   - a PRIVATE page handed out (zone_device_page_init) goes back through
 *     ops->page_free when its last reference goes; a GENERIC page idles at
 *     refcount 1 and needs no page_free;
 *   - get_dev_pagemap finds the live pgmap of a pfn and takes a reference;
 *     memunmap_pages kills it, WARNs while pages are held, and tears the
 *     range down (the memmap's RAM back) once they are not;
 *   - Linux's refusals: no page_free, overlapping or unaligned ranges, no
 *     ZONE_DEVICE on 32-bit arches.
 */
#include <mmsim/memremap.h>
#include <mmsim/rmap.h>
#include <mmsim/mm_vma.h>
#include <mmsim/slab.h>
#include <mmsim/err.h>
#include "mmtest.h"

static int frees;
static struct page *last_freed;

static void test_page_free(struct page *page)
{
	frees++;
	last_freed = page;
}

static const struct dev_pagemap_ops ops = { .page_free = test_page_free };

static long long meminfo(struct mmsim *m, const char *label)
{
	char *s = mmsim_read(m, "/proc/meminfo");
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static void settle(void)
{
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
}

static void map_range(struct dev_pagemap *pgmap, enum memory_type type, unsigned long size)
{
	memset(pgmap, 0, sizeof(*pgmap));
	pgmap->type = type;
	pgmap->ops = &ops;
	pgmap->nr_range = 1;
	KT_EQ(request_free_mem_region(size, &pgmap->range), 0);
}

static void test_memmap(void)
{
	struct mmsim *m = boot_or_die("ram=128M cpus=2 nodes=2");
	struct dev_pagemap pgmap;
	unsigned long free_before, npages = (32UL << 20) >> PAGE_SHIFT;
	long long total = meminfo(m, "MemTotal:");
	char *zi;
	void *ret;

	settle();
	free_before = nr_free_pages();
	map_range(&pgmap, MEMORY_DEVICE_PRIVATE, 32UL << 20);
	KT_ASSERT(pgmap.range.start >= PFN_PHYS(current_layout->max_pfn));
	ret = memremap_pages(&pgmap, 1);
	KT_ASSERT(!IS_ERR(ret));
	KT_EQ(pgmap.pfn_end - pgmap.pfn_first, npages);
	for (unsigned long pfn = pgmap.pfn_first; pfn < pgmap.pfn_end; pfn += 97) {
		struct page *page = pfn_to_page(pfn);

		KT_ASSERT(is_zone_device_page(page));
		KT_EQ(page_pgmap(page), &pgmap);
		KT_EQ(page_to_nid(page), 1);
		KT_EQ(page_ref_count(page), 0);		/* PRIVATE: idle at 0 */
		KT_ASSERT(folio_is_device_private(page_folio(page)));
		KT_ASSERT(!folio_is_longterm_pinnable(page_folio(page)));
		KT_EQ(page_to_pfn(page), pfn);
	}
	/* the memmap cost RAM on node 1; the device memory counts nowhere */
	settle();
	KT_EQ(free_before - nr_free_pages(), npages * sizeof(struct page) / PAGE_SIZE);
	KT_EQ(meminfo(m, "MemTotal:"), total);
	KT_EQ(zone_managed_pages(zone_of(1, ZONE_DEVICE)), 0);
	KT_ASSERT(!populated_zone(zone_of(0, ZONE_DEVICE)));
	zi = mmsim_read(m, "/proc/zoneinfo");
	KT_STR_CONTAINS(zi, "Node 1, zone   Device");
	free(zi);
	KT_ASSERT(memremap_is_valid());

	/* a second range does not overlap; the same range is refused */
	{
		struct dev_pagemap again = pgmap;

		again.memmap_backing = NULL;
		again.next = NULL;
		KT_EQ(PTR_ERR(memremap_pages(&again, 0)), -EBUSY);
	}
	memunmap_pages(&pgmap);
	settle();
	KT_EQ(nr_free_pages(), free_before);
	KT_ASSERT(memremap_is_valid());
	mmsim_shutdown(m);
}

/* Allocate all of RAM: not one page comes from a device range. */
static void test_never_in_buddy(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	struct dev_pagemap pgmap;
	struct page **got = malloc(sizeof(*got) * (64UL << 20) / PAGE_SIZE);
	unsigned long n = 0;
	bool device_seen = false;

	map_range(&pgmap, MEMORY_DEVICE_COHERENT, 8UL << 20);
	KT_ASSERT(!IS_ERR(memremap_pages(&pgmap, 0)));
	for (;;) {
		struct page *p = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NOWARN | __GFP_NORETRY, 0);

		if (!p)
			break;
		device_seen |= is_zone_device_page(p) || page_to_pfn(p) >= pgmap.pfn_first;
		got[n++] = p;
	}
	KT_ASSERT(n > 1000);
	KT_ASSERT(!device_seen);
	while (n)
		__free_pages(got[--n], 0);
	free(got);
	KT_ASSERT(zone_is_valid(zone_of(0, ZONE_DMA32)));
	KT_ASSERT(memremap_is_valid());
	memunmap_pages(&pgmap);
	mmsim_shutdown(m);
}

static void test_refcounts(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	struct dev_pagemap pgmap, gen;
	struct dev_pagemap *ref;
	struct page *page;
	size_t mark;
	char *log;

	map_range(&pgmap, MEMORY_DEVICE_PRIVATE, 2UL << 20);
	KT_ASSERT(!IS_ERR(memremap_pages(&pgmap, 0)));
	KT_EQ(atomic_long_read(&pgmap.ref), 1);
	page = pfn_to_page(pgmap.pfn_first + 5);
	frees = 0;
	zone_device_page_init(page);
	KT_EQ(page_ref_count(page), 1);
	KT_EQ(atomic_long_read(&pgmap.ref), 2);		/* the page holds the pgmap */
	get_page(page);
	put_page(page);
	KT_EQ(frees, 0);
	put_page(page);
	KT_EQ(frees, 1);
	KT_EQ(last_freed, page);
	KT_EQ(page_ref_count(page), 0);
	KT_EQ(atomic_long_read(&pgmap.ref), 1);

	/* get_dev_pagemap: the live pgmap of a pfn, with a reference */
	ref = get_dev_pagemap(pgmap.pfn_first + 100, NULL);
	KT_EQ(ref, &pgmap);
	KT_EQ(atomic_long_read(&pgmap.ref), 2);
	KT_EQ(get_dev_pagemap(pgmap.pfn_end, NULL), NULL);
	KT_EQ(get_dev_pagemap(0x100, NULL), NULL);
	/* memunmap while it is held: Linux waits forever; mmsim warns, keeps it */
	mark = log_mark(m);
	memunmap_pages(&pgmap);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "references to the pgmap");
	KT_STR_CONTAINS(log, "WARNING");
	free(log);
	KT_ASSERT(pgmap.memmap_backing != NULL);
	KT_EQ(get_dev_pagemap(pgmap.pfn_first, NULL), NULL);	/* killed: no new users */
	put_dev_pagemap(ref);
	memunmap_pages(&pgmap);
	KT_ASSERT(pgmap.memmap_backing == NULL);

	/* GENERIC: every page holds the pgmap from the start, idles at 1 */
	memset(&gen, 0, sizeof(gen));
	gen.type = MEMORY_DEVICE_GENERIC;
	gen.nr_range = 1;
	KT_EQ(request_free_mem_region(2UL << 20, &gen.range), 0);
	KT_ASSERT(!IS_ERR(memremap_pages(&gen, 0)));
	page = pfn_to_page(gen.pfn_first);
	KT_EQ(page_ref_count(page), 1);
	KT_EQ(atomic_long_read(&gen.ref), 1 + (long)(gen.pfn_end - gen.pfn_first));
	get_page(page);
	put_page(page);
	put_page(page);			/* to 0: reset to 1, no page_free */
	KT_EQ(page_ref_count(page), 1);
	KT_ASSERT(memremap_is_valid());
	memunmap_pages(&gen);
	KT_ASSERT(gen.memmap_backing == NULL);
	mmsim_shutdown(m);
}

static void test_refusals(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	struct dev_pagemap pgmap;
	size_t mark = log_mark(m);
	char *log;

	map_range(&pgmap, MEMORY_DEVICE_PRIVATE, 2UL << 20);
	pgmap.ops = NULL;
	KT_EQ(PTR_ERR(memremap_pages(&pgmap, 0)), -EINVAL);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "Missing page_free method");
	free(log);
	map_range(&pgmap, MEMORY_DEVICE_PRIVATE, 2UL << 20);
	pgmap.range.start += PAGE_SIZE;		/* not 2 MiB aligned */
	KT_EQ(PTR_ERR(memremap_pages(&pgmap, 0)), -EINVAL);
	map_range(&pgmap, MEMORY_DEVICE_PRIVATE, 2UL << 20);
	pgmap.range.start = 0;			/* RAM, not the device window */
	pgmap.range.end = (2UL << 20) - 1;
	KT_EQ(PTR_ERR(memremap_pages(&pgmap, 0)), -EINVAL);
	mmsim_shutdown(m);

	/* 32-bit: no ZONE_DEVICE at all, as Linux (it needs SPARSEMEM_VMEMMAP) */
	m = boot_or_die("ram=64M cpus=1 arch=i386");
	{
		char *zi = mmsim_read(m, "/proc/zoneinfo");

		KT_ASSERT(zi && !strstr(zi, "Device"));
		free(zi);
		memset(&pgmap, 0, sizeof(pgmap));
		KT_EQ(request_free_mem_region(2UL << 20, &pgmap.range), -ENXIO);
	}
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_memmap);
	KT_RUN(test_never_in_buddy);
	KT_RUN(test_refcounts);
	KT_RUN(test_refusals);
	return kt_done();
}
