/* SPDX-License-Identifier: GPL-2.0 */
/*
 * memremap.h - ZONE_DEVICE memory: struct dev_pagemap and memremap_pages()
 * (Linux's include/linux/memremap.h).  Implementation, locking and
 * invariants: mm/memremap.c; the model and what it leaves out:
 * docs/zone-device.md.
 *
 * A driver describes a range of device memory in a struct dev_pagemap and
 * calls memremap_pages(): the range gets a memmap (struct pages, ZONE_DEVICE,
 * page->pgmap set) but its pages never enter the buddy allocator and count
 * in neither MemTotal nor MemFree.  The driver hands its pages out itself
 * (zone_device_page_init) and gets each back through ops->page_free when
 * the last reference to it goes.
 */
#ifndef MMSIM_MEMREMAP_H
#define MMSIM_MEMREMAP_H

#include <mmsim/mm.h>

struct dev_pagemap;

/* Linux's enum memory_type (the kind of device memory a pgmap describes). */
enum memory_type {
	/* 0 is reserved to catch uninitialized type fields */
	MEMORY_DEVICE_PRIVATE = 1,	/* device memory the CPU cannot address (HMM) */
	MEMORY_DEVICE_COHERENT,		/* CPU-coherent device memory, still the device's */
	MEMORY_DEVICE_FS_DAX,		/* persistent memory under a DAX filesystem */
	MEMORY_DEVICE_GENERIC,		/* device-dax: mapped as a whole, no page_free */
	MEMORY_DEVICE_PCI_P2PDMA,	/* a PCI BAR for peer-to-peer DMA */
};

struct dev_pagemap_ops {
	/* Called once a page's refcount drops to its idle value (0): the
	 * page is the driver's again.  Required for PRIVATE, COHERENT, P2PDMA. */
	void (*page_free)(struct page *page);
	/* DEVICE_PRIVATE: a CPU fault on a device-private entry (not modelled). */
	int (*migrate_to_ram)(void *vmf);
};

struct range {
	u64 start;			/* physical, bytes */
	u64 end;			/* inclusive, as Linux's struct range */
};

#define PGMAP_ALTMAP_VALID	(1 << 0)

/*
 * struct dev_pagemap - one memremap_pages() registration.
 * The reference count is Linux's percpu_ref: live while registered;
 * memunmap_pages() kills it (no new get_dev_pagemap) and then needs it to
 * reach zero: every page handed out holds one reference.
 */
struct dev_pagemap {
	enum memory_type type;
	unsigned int flags;
	const struct dev_pagemap_ops *ops;
	void *owner;			/* the driver (HMM's migrate owner) */
	int nr_range;			/* ranges in range / ranges[] (mmsim: 1) */
	struct range range;		/* filled by memremap_pages when start == end == 0 */
	/* Private to mm/memremap.c: */
	atomic_long_t ref;		/* 1 (the registration) + pages and get_dev_pagemap holders */
	bool dying;			/* percpu_ref_kill done: tryget_live fails */
	int nid;			/* node it was registered on */
	unsigned long pfn_first, pfn_end;	/* the memmap's pfns [first, end) */
	struct page **memmap_backing;	/* RAM pages holding the memmap */
	unsigned long nr_memmap_pages;
	struct dev_pagemap *next;	/* on the machine's list of pgmaps */
};

static inline bool folio_is_zone_device(const struct folio *folio)
{
	return is_zone_device_page(&folio->page);
}

/* The pgmap of a ZONE_DEVICE page (Linux's page_pgmap / page->pgmap). */
static inline struct dev_pagemap *page_pgmap(const struct page *page)
{
	return page->pgmap;
}

static inline bool folio_is_device_private(const struct folio *folio)
{
	return folio_is_zone_device(folio) && page_pgmap(&folio->page)->type == MEMORY_DEVICE_PRIVATE;
}
static inline bool is_device_private_page(const struct page *page)
{
	return folio_is_device_private((const struct folio *)page);
}
static inline bool folio_is_device_coherent(const struct folio *folio)
{
	return folio_is_zone_device(folio) && page_pgmap(&folio->page)->type == MEMORY_DEVICE_COHERENT;
}
static inline bool folio_is_fsdax(const struct folio *folio)
{
	return folio_is_zone_device(folio) && page_pgmap(&folio->page)->type == MEMORY_DEVICE_FS_DAX;
}
static inline bool is_pci_p2pdma_page(const struct page *page)
{
	return is_zone_device_page(page) && page_pgmap(page)->type == MEMORY_DEVICE_PCI_P2PDMA;
}

/**
 * memremap_pages - give a range of device memory a memmap
 * @pgmap: the description (type, ops, range: see request_free_mem_region)
 * @nid: the node the memmap is allocated on
 *
 * Return: a non-error token (the range's physical start: mmsim has no
 * direct map of device memory, so it must not be dereferenced), or
 * ERR_PTR(-EINVAL) for a bad pgmap (no page_free where one is required,
 * a range outside the device window or not 2 MiB aligned), ERR_PTR(-EBUSY)
 * (range in use), ERR_PTR(-ENOMEM) (no RAM for the memmap), ERR_PTR(-ENXIO)
 * (no ZONE_DEVICE: 32-bit arches).
 */
void *memremap_pages(struct dev_pagemap *pgmap, int nid);
/* Tear @pgmap down; with pages still in use Linux waits forever: mmsim WARNs
 * and leaves the range registered (call again once they are freed). */
void memunmap_pages(struct dev_pagemap *pgmap);

/* Look up the live pgmap of @pfn and take a reference; @pgmap: a cached
 * one to try first.  NULL if none, or if it is being torn down. */
struct dev_pagemap *get_dev_pagemap(unsigned long pfn, struct dev_pagemap *pgmap);
void put_dev_pagemap(struct dev_pagemap *pgmap);

/* A driver hands out a free device page: refcount 1, a pgmap reference. */
void zone_device_page_init(struct page *page);

/* Free device-window physical space of @size bytes (Linux's
 * request_free_mem_region, without the resource tree): 0, -ENXIO, -ENOSPC. */
int request_free_mem_region(unsigned long size, struct range *range);

/* The invariants of mm/memremap.c's header comment; logs the first broken. */
bool memremap_is_valid(void);

#endif
