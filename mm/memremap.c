// SPDX-License-Identifier: GPL-2.0
/*
 * mm/memremap.c - ZONE_DEVICE memory (Linux's mm/memremap.c):
 * memremap_pages()/memunmap_pages(), get_dev_pagemap()/put_dev_pagemap(),
 * and the release of a device page whose last reference goes.
 *
 * Design.  A 64-bit machine has, above RAM, a physical window of
 * DEVICE_WINDOW_SIZE (arch/setup.c: layout.device_pfn_start..end) whose
 * part of the vmemmap is reserved but unmapped.  memremap_pages() takes a
 * range of it (the caller's pgmap->range, or one request_free_mem_region()
 * found), allocates the range's memmap from RAM on the node asked -- as
 * Linux's vmemmap_populate does, so the memmap costs RAM -- maps it into the
 * vmemmap (arch_map_memmap), and initializes each struct page as Linux's
 * __init_zone_device_page: zone ZONE_DEVICE, the node, PG_reserved,
 * page->pgmap.  Those pages are never given to the buddy allocator: they
 * count in no zone's managed or present pages, so neither in MemTotal nor
 * in MemFree, and the Device zone of /proc/zoneinfo stays unpopulated.
 *
 * Reference counts (Linux 6.x):
 *   - pgmap->ref is Linux's percpu_ref: 1 for the registration, plus one
 *     per page of a GENERIC/FS_DAX/P2PDMA range (taken at registration),
 *     plus one per handed-out page of a PRIVATE/COHERENT range (taken by
 *     zone_device_page_init, dropped when the page is freed), plus one per
 *     get_dev_pagemap() holder.  memunmap_pages() kills it (get_dev_pagemap
 *     then fails), drops the registration's references and needs it at 0.
 *   - a PRIVATE/COHERENT page is idle at refcount 0; the driver hands it
 *     out with zone_device_page_init (refcount 1); when put_page() takes
 *     the count back to 0, free_zone_device_folio() calls ops->page_free
 *     and drops the page's pgmap reference.  A GENERIC page is idle at 1
 *     (its count is reset to 1 when it drops to 0); P2PDMA pages call
 *     page_free as well.
 *
 * What is simplified: Linux would block in memunmap_pages until the pages
 * are back (wait_for_completion); a simulation cannot wait for itself, so
 * with pages still in use it WARNs and leaves the range registered (killed);
 * calling memunmap_pages again once they are freed finishes the teardown.
 * CPU-addressable types get a host mapping of the range's size (the
 * pointer memremap_pages returns) but no direct-map alias: page_address()
 * of a ZONE_DEVICE page is not valid, and nothing in mmsim maps device
 * pages into a process (no HMM migration, no fsdax).  The Device zone's
 * span is not grown (Linux's move_pfn_range_to_zone does), so zoneinfo
 * shows it spanning 0 pages.  One range per pgmap (nr_range == 1).
 *
 * Locking: memremap_state.lock (a spinlock) protects the list of pgmaps
 * and each pgmap's dying flag; pgmap->ref is atomic.  memremap_pages and
 * memunmap_pages may sleep (page allocation) and are not called with it.
 *
 * Invariants (checked by memremap_is_valid()):
 *   - registered ranges are disjoint, inside the device window, aligned;
 *   - every page of a registered range has zone ZONE_DEVICE, its node,
 *     PG_reserved, page->pgmap == its pgmap, and is not PageBuddy;
 *   - pgmap->ref == !dying + range pages (GENERIC/FS_DAX/P2PDMA, while not
 *     dying) + PRIVATE/COHERENT pages with refcount > 0 + dev_pagemap holders.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <mmsim/memremap.h>
#include <mmsim/spinlock.h>
#include <mmsim/err.h>
#include <mmsim/rmap.h>
#include "mm/internal.h"
#include "arch/machine.h"
#include "init/init.h"

struct memremap_state {
	spinlock_t lock;
	struct dev_pagemap *pgmaps;	/* registered (live or dying) */
};

static struct memremap_state *mr_state(void)
{
	return subsys_state(current_machine(), memremap);
}

static int memremap_init(struct mmsim *m, char *err, size_t errlen)
{
	(void)err;
	(void)errlen;
	spin_lock_init(&((struct memremap_state *)subsys_state(m, memremap))->lock);
	return 0;
}

static long ref_add(struct dev_pagemap *pgmap, long n)
{
	return atomic_fetch_add_explicit(&pgmap->ref.counter, n, memory_order_acq_rel) + n;
}

/* Shutdown: pgmaps still registered lose their host-side memmap record
 * (their RAM and the vmemmap window go with the machine). */
static void memremap_exit(struct mmsim *m)
{
	struct memremap_state *st = subsys_state(m, memremap);

	for (struct dev_pagemap *p = st->pgmaps; p; p = p->next) {
		free(p->memmap_backing);
		p->memmap_backing = NULL;
	}
	st->pgmaps = NULL;
}

static const struct initcall memremap_initcalls[] = {
	core_initcall(memremap_init, memremap_exit),
};

DEFINE_SUBSYSTEM(memremap, SUBSYS_STATE(struct memremap_state, NULL),
		 SUBSYS_INITCALLS(memremap_initcalls));

/* Ranges are aligned so that each one's memmap is whole pages (and 2 MiB,
 * Linux's subsection). */
static unsigned long memremap_align_pfns(void)
{
	unsigned long per_memmap_page = PAGE_SIZE / sizeof(struct page);
	unsigned long subsection = (2UL << 20) >> PAGE_SHIFT;

	return max(per_memmap_page, subsection);
}

static unsigned long range_pfn_first(const struct range *r) { return PHYS_PFN(r->start); }
static unsigned long range_pfn_end(const struct range *r) { return PHYS_PFN(r->end + 1); }

static bool pgmap_type_pins_pages(enum memory_type t)
{
	/* GENERIC/FS_DAX/P2PDMA: every page holds a pgmap reference from the start */
	return t != MEMORY_DEVICE_PRIVATE && t != MEMORY_DEVICE_COHERENT;
}

/* Is [first, end) free of registered ranges?  Caller holds the lock. */
static bool window_range_free(unsigned long first, unsigned long end, unsigned long *busy_end)
{
	for (struct dev_pagemap *p = mr_state()->pgmaps; p; p = p->next) {
		if (first < p->pfn_end && p->pfn_first < end) {
			*busy_end = p->pfn_end;
			return false;
		}
	}
	return true;
}

/**
 * request_free_mem_region - find free device-window physical space
 * @size: bytes (rounded up to the memremap alignment)
 * @range: filled with [start, end] on success
 *
 * Linux's request_free_mem_region() finds free physical address space for
 * device-private memory (lib/test_hmm.c); mmsim's takes no resource tree.
 * Return: 0, -ENXIO (no ZONE_DEVICE on this arch), -ENOSPC.
 */
int request_free_mem_region(unsigned long size, struct range *range)
{
	const struct mm_layout *l = current_layout;
	unsigned long align = memremap_align_pfns();
	unsigned long n = ALIGN(PHYS_PFN(size + PAGE_SIZE - 1), align);
	unsigned long pfn = ALIGN(l->device_pfn_start, align), busy_end = 0;
	int ret = -ENOSPC;

	if (l->device_pfn_start == l->device_pfn_end)
		return -ENXIO;
	if (!n)
		return -EINVAL;
	spin_lock(&mr_state()->lock);
	while (pfn + n <= l->device_pfn_end) {
		if (window_range_free(pfn, pfn + n, &busy_end)) {
			range->start = PFN_PHYS(pfn);
			range->end = PFN_PHYS(pfn + n) - 1;
			ret = 0;
			break;
		}
		pfn = ALIGN(busy_end, align);
	}
	spin_unlock(&mr_state()->lock);
	return ret;
}

/* Linux's __init_zone_device_page. */
static void init_zone_device_page(struct page *page, struct dev_pagemap *pgmap, int nid)
{
	memset(page, 0, sizeof(*page));
	page->flags = ((unsigned long)ZONE_DEVICE << ZONES_PGSHIFT) |
		      ((unsigned long)nid << NODES_PGSHIFT);
	page_mapcount_reset(page);
	__SetPageReserved(page);
	page->pgmap = pgmap;
	page->zone_device_data = NULL;
	set_page_count(page, pgmap_type_pins_pages(pgmap->type) ? 1 : 0);
}

/* Free the memmap of @pgmap: unmap it from the vmemmap, free its RAM. */
static void free_memmap(struct dev_pagemap *pgmap)
{
	unsigned long per_page = PAGE_SIZE / sizeof(struct page);

	for (unsigned long i = 0; i < pgmap->nr_memmap_pages; i++) {
		if (!pgmap->memmap_backing[i])
			continue;
		arch_unmap_memmap(&current_machine()->hw, pgmap->pfn_first + i * per_page,
				  pgmap->pfn_first + (i + 1) * per_page);
		__free_pages(pgmap->memmap_backing[i], 0);
	}
	free(pgmap->memmap_backing);
	pgmap->memmap_backing = NULL;
}

/* Allocate and map the memmap of @pgmap on @nid (Linux's vmemmap_populate). */
static int alloc_memmap(struct dev_pagemap *pgmap, int nid)
{
	unsigned long per_page = PAGE_SIZE / sizeof(struct page);
	unsigned long nr = (pgmap->pfn_end - pgmap->pfn_first) / per_page;
	char err[128];

	pgmap->memmap_backing = calloc(nr, sizeof(*pgmap->memmap_backing));
	if (!pgmap->memmap_backing)
		return -ENOMEM;
	pgmap->nr_memmap_pages = nr;
	for (unsigned long i = 0; i < nr; i++) {
		unsigned long pfn = pgmap->pfn_first + i * per_page;
		struct page *p = alloc_pages_node(nid, GFP_KERNEL | __GFP_RETRY_MAYFAIL |
							       __GFP_NOWARN, 0);

		if (!p || arch_map_memmap(&current_machine()->hw, pfn, pfn + per_page,
					  PFN_PHYS(page_to_pfn(p)), err, sizeof(err))) {
			if (p)
				__free_pages(p, 0);
			free_memmap(pgmap);
			return -ENOMEM;
		}
		pgmap->memmap_backing[i] = p;
	}
	return 0;
}

void *memremap_pages(struct dev_pagemap *pgmap, int nid)
{
	const struct mm_layout *l = current_layout;
	unsigned long align = memremap_align_pfns(), first, end, busy_end;
	struct memremap_state *st = mr_state();
	bool need_free = false;
	int err;

	if (l->device_pfn_start == l->device_pfn_end) {
		/* No device window (i386: ZONE_DEVICE needs 64-bit): warn
		 * once and fail, as Linux without CONFIG_ZONE_DEVICE does. */
		WARN_ON_ONCE(1);
		return ERR_PTR(-ENXIO);
	}
	switch (pgmap->type) {
	case MEMORY_DEVICE_PRIVATE:
	case MEMORY_DEVICE_COHERENT:
	case MEMORY_DEVICE_PCI_P2PDMA:
		need_free = true;
		break;
	case MEMORY_DEVICE_FS_DAX:
	case MEMORY_DEVICE_GENERIC:
		break;
	default:
		WARN(1, "Invalid pgmap type %d\n", pgmap->type);
		return ERR_PTR(-EINVAL);
	}
	if (need_free && (!pgmap->ops || !pgmap->ops->page_free)) {
		WARN(1, "Missing page_free method\n");
		return ERR_PTR(-EINVAL);
	}
	if (nid < 0 || nid >= num_online_nodes())
		nid = numa_node_id();
	first = range_pfn_first(&pgmap->range);
	end = range_pfn_end(&pgmap->range);
	if (pgmap->range.end < pgmap->range.start || first < l->device_pfn_start ||
	    end > l->device_pfn_end || first % align || end % align ||
	    PFN_PHYS(first) != pgmap->range.start) {
		pr_err("memremap_pages: range [mem %#018llx-%#018llx] is not an aligned device range\n",
		       (unsigned long long)pgmap->range.start, (unsigned long long)pgmap->range.end);
		return ERR_PTR(-EINVAL);
	}
	spin_lock(&st->lock);
	if (!window_range_free(first, end, &busy_end)) {
		spin_unlock(&st->lock);
		WARN(1, "memremap attempted on mixed range %#018llx-%#018llx\n",
		     (unsigned long long)pgmap->range.start, (unsigned long long)pgmap->range.end);
		return ERR_PTR(-EBUSY);
	}
	/* Claim the range now (an empty memmap) so nobody else takes it. */
	pgmap->pfn_first = first;
	pgmap->pfn_end = end;
	pgmap->nid = nid;
	pgmap->dying = false;
	pgmap->nr_memmap_pages = 0;
	pgmap->memmap_backing = NULL;
	atomic_long_set(&pgmap->ref, 1);
	pgmap->next = st->pgmaps;
	st->pgmaps = pgmap;
	spin_unlock(&st->lock);

	err = alloc_memmap(pgmap, nid);
	if (err) {
		spin_lock(&st->lock);
		for (struct dev_pagemap **pp = &st->pgmaps; *pp; pp = &(*pp)->next)
			if (*pp == pgmap) {
				*pp = pgmap->next;
				break;
			}
		spin_unlock(&st->lock);
		return ERR_PTR(err);
	}
	for (unsigned long pfn = first; pfn < end; pfn++)
		init_zone_device_page(pfn_to_page(pfn), pgmap, nid);
	if (pgmap_type_pins_pages(pgmap->type))
		ref_add(pgmap, (long)(end - first));
	/* Linux returns __va(range.start); mmsim has no direct map of the
	 * device window (docs/zone-device.md): a token only. */
	return (void *)(uintptr_t)pgmap->range.start;
}

void memunmap_pages(struct dev_pagemap *pgmap)
{
	struct memremap_state *st = mr_state();
	long left;

	spin_lock(&st->lock);
	if (!pgmap->dying) {
		/* percpu_ref_kill, then the registration's references go */
		pgmap->dying = true;
		if (pgmap_type_pins_pages(pgmap->type))
			ref_add(pgmap, -(long)(pgmap->pfn_end - pgmap->pfn_first));
		ref_add(pgmap, -1);
	}
	left = atomic_long_read(&pgmap->ref);
	spin_unlock(&st->lock);
	/* Linux: wait_for_completion(&pgmap->done) -- forever, while pages are held. */
	if (WARN(left != 0, "memunmap_pages: %ld references to the pgmap of [mem %#018llx-%#018llx] still held\n",
		 left, (unsigned long long)pgmap->range.start, (unsigned long long)pgmap->range.end))
		return;
	spin_lock(&st->lock);
	for (struct dev_pagemap **pp = &st->pgmaps; *pp; pp = &(*pp)->next)
		if (*pp == pgmap) {
			*pp = pgmap->next;
			break;
		}
	spin_unlock(&st->lock);
	free_memmap(pgmap);
	pgmap->next = NULL;
}

/* percpu_ref_tryget_live */
static bool pgmap_tryget_live(struct dev_pagemap *pgmap)
{
	bool ok;

	spin_lock(&mr_state()->lock);
	ok = !pgmap->dying;
	if (ok)
		ref_add(pgmap, 1);
	spin_unlock(&mr_state()->lock);
	return ok;
}

struct dev_pagemap *get_dev_pagemap(unsigned long pfn, struct dev_pagemap *pgmap)
{
	struct dev_pagemap *found = NULL;

	if (pgmap) {
		if (pfn >= pgmap->pfn_first && pfn < pgmap->pfn_end && pgmap_tryget_live(pgmap))
			return pgmap;
		put_dev_pagemap(pgmap);	/* Linux drops the cached one */
	}
	spin_lock(&mr_state()->lock);
	for (struct dev_pagemap *p = mr_state()->pgmaps; p; p = p->next) {
		if (pfn >= p->pfn_first && pfn < p->pfn_end) {
			if (!p->dying) {
				ref_add(p, 1);
				found = p;
			}
			break;
		}
	}
	spin_unlock(&mr_state()->lock);
	return found;
}

void put_dev_pagemap(struct dev_pagemap *pgmap)
{
	if (pgmap && WARN_ON_ONCE(ref_add(pgmap, -1) < 0))
		ref_add(pgmap, 1);
}

void zone_device_page_init(struct page *page)
{
	/* Linux: WARN_ON_ONCE(!percpu_ref_tryget_live(&page_pgmap(page)->ref)) */
	if (WARN_ON_ONCE(!is_zone_device_page(page)))
		return;
	WARN_ON_ONCE(!pgmap_tryget_live(page_pgmap(page)));
	WARN_ON_ONCE(page_ref_count(page));
	set_page_count(page, 1);
}

void free_zone_device_folio(struct folio *folio)
{
	struct dev_pagemap *pgmap = page_pgmap(&folio->page);

	if (WARN_ON_ONCE(!pgmap))
		return;
	if (PageAnonExclusive(&folio->page))
		ClearPageAnonExclusive(&folio->page);
	folio->page.mapping = NULL;
	switch (pgmap->type) {
	case MEMORY_DEVICE_PRIVATE:
	case MEMORY_DEVICE_COHERENT:
		if (WARN_ON_ONCE(!pgmap->ops || !pgmap->ops->page_free))
			break;
		pgmap->ops->page_free(&folio->page);
		put_dev_pagemap(pgmap);
		break;
	case MEMORY_DEVICE_GENERIC:
	case MEMORY_DEVICE_FS_DAX:
		/* idle at 1: ready to be handed out again */
		set_page_count(&folio->page, 1);
		break;
	case MEMORY_DEVICE_PCI_P2PDMA:
		if (!WARN_ON_ONCE(!pgmap->ops || !pgmap->ops->page_free))
			pgmap->ops->page_free(&folio->page);
		set_page_count(&folio->page, 1);
		break;
	}
}

bool memremap_is_valid(void)
{
	struct memremap_state *st = mr_state();
	bool ok = true;

	spin_lock(&st->lock);
	for (struct dev_pagemap *p = st->pgmaps; p && ok; p = p->next) {
		long refs = !p->dying, held;

		for (struct dev_pagemap *q = p->next; q; q = q->next)
			if (p->pfn_first < q->pfn_end && q->pfn_first < p->pfn_end) {
				pr_err("memremap: pgmaps overlap at pfn %#lx\n", p->pfn_first);
				ok = false;
			}
		if (!p->memmap_backing)
			continue;	/* being registered */
		for (unsigned long pfn = p->pfn_first; pfn < p->pfn_end && ok; pfn++) {
			struct page *page = pfn_to_page(pfn);

			if (page_zonenum(page) != ZONE_DEVICE || page->pgmap != p ||
			    page_to_nid(page) != p->nid || !PageReserved(page) || PageBuddy(page)) {
				pr_err("memremap: pfn %#lx: not a ZONE_DEVICE page of its pgmap\n", pfn);
				ok = false;
			}
			if (pgmap_type_pins_pages(p->type))
				refs += !p->dying;
			else
				refs += page_ref_count(page) > 0;
		}
		held = atomic_long_read(&p->ref);
		if (ok && held < refs) {
			pr_err("memremap: pgmap ref %ld below its pages' %ld\n", held, refs);
			ok = false;
		}
	}
	spin_unlock(&st->lock);
	return ok;
}
