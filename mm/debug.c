// SPDX-License-Identifier: GPL-2.0
/*
 * mm/debug.c - describing pages and flags, and the allocator's invariant
 * checkers.
 *
 * dump_page() prints Linux's __dump_page() report; format_gfp_flags() is
 * the %pGg printer (names in the order of include/trace/events/mmflags.h:
 * composite names first, each taking its bits out of the remainder).
 *
 * zone_is_valid() checks, under zone->lock, every invariant written in
 * mm/page_alloc.c's header; it prints the first violation it finds and
 * returns false.  Cost is linear in the zone: tests call it, the allocator
 * never does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch/layout.h"
#include "mm/internal.h"

static const struct {
	gfp_t mask;
	const char *name;
} gfp_names[] = {
	{ GFP_TRANSHUGE, "GFP_TRANSHUGE" },
	{ GFP_TRANSHUGE_LIGHT, "GFP_TRANSHUGE_LIGHT" },
	{ GFP_HIGHUSER_MOVABLE, "GFP_HIGHUSER_MOVABLE" },
	{ GFP_HIGHUSER, "GFP_HIGHUSER" },
	{ GFP_USER, "GFP_USER" },
	{ GFP_KERNEL_ACCOUNT, "GFP_KERNEL_ACCOUNT" },
	{ GFP_KERNEL, "GFP_KERNEL" },
	{ GFP_NOFS, "GFP_NOFS" },
	{ GFP_ATOMIC, "GFP_ATOMIC" },
	{ GFP_NOIO, "GFP_NOIO" },
	{ GFP_NOWAIT, "GFP_NOWAIT" },
	{ GFP_DMA, "GFP_DMA" },
	{ __GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ GFP_DMA32, "GFP_DMA32" },
	{ __GFP_HIGH, "__GFP_HIGH" },
	{ __GFP_IO, "__GFP_IO" },
	{ __GFP_FS, "__GFP_FS" },
	{ __GFP_NOWARN, "__GFP_NOWARN" },
	{ __GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" },
	{ __GFP_NOFAIL, "__GFP_NOFAIL" },
	{ __GFP_NORETRY, "__GFP_NORETRY" },
	{ __GFP_COMP, "__GFP_COMP" },
	{ __GFP_ZERO, "__GFP_ZERO" },
	{ __GFP_NOMEMALLOC, "__GFP_NOMEMALLOC" },
	{ __GFP_MEMALLOC, "__GFP_MEMALLOC" },
	{ __GFP_HARDWALL, "__GFP_HARDWALL" },
	{ __GFP_THISNODE, "__GFP_THISNODE" },
	{ __GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ __GFP_MOVABLE, "__GFP_MOVABLE" },
	{ __GFP_ACCOUNT, "__GFP_ACCOUNT" },
	{ __GFP_WRITE, "__GFP_WRITE" },
	{ __GFP_RECLAIM, "__GFP_RECLAIM" },
	{ __GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ __GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
	{ __GFP_ZEROTAGS, "__GFP_ZEROTAGS" },
};

char *format_gfp_flags(gfp_t gfp, char *buf, size_t len)
{
	size_t n = 0;

	buf[0] = '\0';
	if (!gfp) {
		snprintf(buf, len, "0");
		return buf;
	}
	for (size_t i = 0; i < ARRAY_SIZE(gfp_names) && gfp; i++) {
		if ((gfp & gfp_names[i].mask) != gfp_names[i].mask)
			continue;
		gfp &= ~gfp_names[i].mask;
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s", n ? "|" : "",
				      gfp_names[i].name);
	}
	if (gfp)
		snprintf(buf + n, n < len ? len - n : 0, "%s%#x", n ? "|" : "", gfp);
	return buf;
}

static const char *const pageflag_names[__NR_PAGEFLAGS] = {
	"locked", "writeback", "referenced", "uptodate", "dirty", "lru", "head", "waiters",
	"active", "workingset", "error", "slab", "owner_priv_1", "arch_1", "reserved",
	"private", "private_2", "mappedtodisk", "reclaim", "swapbacked", "unevictable",
	"mlocked",
};

void format_page_flags(const struct page *page, char *buf, size_t len)
{
	size_t n = 0;

	for (int i = 0; i < __NR_PAGEFLAGS; i++)
		if (test_page_flag(page, i))
			n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s|",
					      pageflag_names[i]);
	snprintf(buf + n, n < len ? len - n : 0, "node=%d|zone=%d", page_to_nid(page),
		 page_zonenum(page));
}

/*
 * Host pointers in a report would differ from run to run; print the
 * simulated kernel address instead: the vmemmap for struct pages (the
 * arch's VMEMMAP_START, arch_vmemmap_start() of arch/layout.h) and
 * PAGE_OFFSET for the direct map.
 */
unsigned long sim_kaddr(unsigned long v)
{
	const struct mm_layout *l = current_layout;
	struct mmsim *m = current_machine();

	if (v >= (unsigned long)m->hw.vmemmap_host &&
	    v < (unsigned long)m->hw.vmemmap_host + m->hw.vmemmap_size)
		return arch_vmemmap_start(l) + (v - (unsigned long)l->vmemmap);
	if (v >= (unsigned long)l->direct_map &&
	    v < (unsigned long)l->direct_map + PFN_PHYS(l->max_low_pfn))
		return l->page_offset + (v - (unsigned long)l->direct_map);
	return v;
}

/*
 * kaddr_str - @p as a report prints it: its simulated kernel address, or
 * what Linux's %p prints before it may show pointers when @p is none of
 * this machine's (a stack or malloc() pointer: never a host address).
 */
const char *kaddr_str(const void *p, char *buf, size_t len)
{
	unsigned long kva = host_to_kva(p), v = (unsigned long)p;
	struct mmsim *m = current_machine();

	if (!kva && v >= (unsigned long)m->hw.vmemmap_host &&
	    v < (unsigned long)m->hw.vmemmap_host + m->hw.vmemmap_size)
		kva = sim_kaddr(v);
	if (kva)
		snprintf(buf, len, "%0*lx", current_layout->is_64bit ? 16 : 8, kva);
	else
		snprintf(buf, len, "(____ptrval____)");
	return buf;
}

/*
 * report_nonlinear_free - kfree()/kmem_cache_free() of an address outside
 * the direct map: what CONFIG_DEBUG_VIRTUAL's __virt_to_phys() says
 * (arch/arm64/mm/physaddr.c) before the free would follow a struct page
 * that is not there.  The caller frees nothing.
 */
void report_nonlinear_free(const void *x)
{
	char a[24];

	kaddr_str(x, a, sizeof(a));
	WARN(1, "virt_to_phys used for non-linear address: %s (%s%s)", a, a[0] == '(' ? "" : "0x",
	     a);
}

/**
 * dump_page - print what Linux's __dump_page() prints about @page
 * @reason: the "page dumped because:" line, or NULL
 */
void dump_page(const struct page *page, const char *reason)
{
	const unsigned long *raw = (const unsigned long *)page;
	char flags[256];

	pr_warn("page: refcount:%d mapcount:%d mapping:%016lx index:%#lx pfn:%#lx\n",
		page_ref_count(page), PageBuddy(page) ? 0 : page_mapcount(page),
		sim_kaddr((unsigned long)page->mapping), (unsigned long)page->index,
		page_to_pfn(page));
	if (PageHead(page))
		pr_warn("head: order:%u entire_mapcount:0 nr_pages_mapped:0 pincount:0\n",
			compound_order(page));
	else if (PageTail(page))
		pr_warn("head:%016lx order:%u\n", sim_kaddr((unsigned long)compound_head(page)),
			compound_order(compound_head(page)));
	format_page_flags(page, flags, sizeof(flags));
	pr_warn("flags: %#lx(%s)\n", page->flags, flags);
	if (PageBuddy(page))
		pr_warn("page_type: %#x(buddy)\n", page->page_type);
	for (size_t i = 0; i < sizeof(struct page) / sizeof(long); i += 4)
		pr_warn("raw: %016lx %016lx %016lx %016lx\n", sim_kaddr(raw[i]),
			sim_kaddr(raw[i + 1]), sim_kaddr(raw[i + 2]), sim_kaddr(raw[i + 3]));
	if (reason)
		pr_warn("page dumped because: %s\n", reason);
}

/* ---------------------------------------------------------------------
 * Invariant checkers
 */

#define CHECK(cond, ...)						\
	do {								\
		if (unlikely(!(cond))) {				\
			pr_err("zone_is_valid: " __VA_ARGS__);		\
			ok = false;					\
			goto out;					\
		}							\
	} while (0)

/* One byte per pfn of the zone: has a list claimed this page already? */
static bool claim_page(struct zone *zone, uint8_t *seen, unsigned long pfn, const char *what)
{
	unsigned long i = pfn - zone->zone_start_pfn;

	if (seen[i]) {
		pr_err("zone_is_valid: pfn %#lx is on two lists (again as %s)\n", pfn, what);
		return false;
	}
	seen[i] = 1;
	return true;
}

static bool check_free_block(struct zone *zone, struct page *page, unsigned int order, int mt,
			     uint8_t *seen)
{
	unsigned long pfn = page_to_pfn(page);
	bool ok = true;

	CHECK(PageBuddy(page), "pfn %#lx on %s free list order %u is not PageBuddy\n", pfn,
	      zone->name, order);
	CHECK(page->private == order, "pfn %#lx on order-%u list has order %lu\n", pfn, order,
	      page->private);
	CHECK((int)page->index == mt, "pfn %#lx on %s list says type %lu\n", pfn,
	      migratetype_names[mt], (unsigned long)page->index);
	CHECK(!(pfn & ((1UL << order) - 1)), "pfn %#lx not aligned to order %u\n", pfn, order);
	CHECK(zone_spans_pfn(zone, pfn) && zone_spans_pfn(zone, pfn + (1UL << order) - 1),
	      "block %#lx order %u outside zone %s\n", pfn, order, zone->name);
	for (unsigned long i = 0; i < (1UL << order); i++) {
		struct page *p = page + i;

		CHECK(page_ref_count(p) == 0, "free pfn %#lx has refcount %d\n", pfn + i,
		      page_ref_count(p));
		CHECK(i == 0 || !PageBuddy(p), "pfn %#lx inside a free block is PageBuddy\n",
		      pfn + i);
		CHECK(!PageReserved(p), "free pfn %#lx is reserved\n", pfn + i);
		CHECK(claim_page(zone, seen, pfn + i, "free block"), "duplicate\n");
	}
	if (order < MAX_PAGE_ORDER) {
		unsigned long bpfn = pfn ^ (1UL << order);
		struct page *buddy = pfn_to_page(bpfn);
		bool mergeable = true;

		if (order >= pageblock_order) {
			int a = get_pfnblock_migratetype(zone, pfn);
			int b = zone_spans_pfn(zone, bpfn) ? get_pfnblock_migratetype(zone, bpfn) : a;

			mergeable = a == b || (a < MIGRATE_PCPTYPES && b < MIGRATE_PCPTYPES);
		}
		CHECK(!mergeable || !page_is_buddy_of(zone, buddy, order),
		      "pfn %#lx and its buddy %#lx are both free at order %u: not merged\n", pfn,
		      bpfn, order);
	}
out:
	return ok;
}

static bool check_pcp(struct zone *zone, int cpu, uint8_t *seen)
{
	struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];
	long pages = 0;
	bool ok = true;

	for (int i = 0; i < NR_PCP_LISTS; i++) {
		unsigned int order = (unsigned int)(i / MIGRATE_PCPTYPES);
		struct page *page;

		list_for_each_entry(page, &pcp->lists[i], lru) {
			CHECK(!PageBuddy(page), "pcp page %#lx is PageBuddy\n", page_to_pfn(page));
			CHECK(page_ref_count(page) == 0, "pcp page %#lx has refcount %d\n",
			      page_to_pfn(page), page_ref_count(page));
			CHECK(page_zone(page) == zone, "pcp page %#lx in the wrong zone\n",
			      page_to_pfn(page));
			for (unsigned long j = 0; j < (1UL << order); j++)
				CHECK(claim_page(zone, seen, page_to_pfn(page) + j, "pcp page"),
				      "duplicate\n");
			pages += 1L << order;
		}
	}
	CHECK(pages == pcp->count, "cpu %d %s pcp count %d but lists hold %ld\n", cpu, zone->name,
	      pcp->count, pages);
out:
	return ok;
}

/**
 * zone_is_valid - check the free lists and per-CPU lists of @zone
 *
 * Per-CPU lists are checked only for CPUs no thread is on (and the
 * caller's own), since another thread may be changing its own.
 * Return: true if every invariant holds.
 */
bool zone_is_valid(struct zone *zone)
{
	struct mmsim *m = current_machine();
	unsigned long free_pages = 0, free_cma = 0;
	bool ok = true;
	uint8_t *seen;

	if (!zone->configured || !zone->spanned_pages)
		return true;
	seen = calloc(zone->spanned_pages, 1);
	if (!seen)
		return true;	/* cannot check without host memory */
	spin_lock(&zone->lock);
	for (unsigned int order = 0; order < NR_PAGE_ORDERS; order++) {
		unsigned long blocks = 0;

		for (int mt = 0; mt < MIGRATE_TYPES; mt++) {
			struct page *page;

			list_for_each_entry(page, &zone->free_area[order].free_list[mt], lru) {
				if (!check_free_block(zone, page, order, mt, seen)) {
					ok = false;
					goto out;
				}
				blocks++;
				if (mt != MIGRATE_ISOLATE)	/* isolated pages are not free */
					free_pages += 1UL << order;
				if (mt == MIGRATE_CMA)
					free_cma += 1UL << order;
				/* CMA blocks and the CMA lists go together (mm/cma.c). */
				CHECK((mt == MIGRATE_CMA) == (get_pageblock_migratetype(page) ==
							      MIGRATE_CMA),
				      "%s: free block pfn %#lx on the %s list in a %s pageblock\n",
				      zone->name, page_to_pfn(page), migratetype_names[mt],
				      migratetype_names[get_pageblock_migratetype(page)]);
			}
		}
		for (int mt = 0; mt < MIGRATE_TYPES; mt++)
			CHECK(free_area_empty(&zone->free_area[order], mt) ==
			      !!list_empty(&zone->free_area[order].free_list[mt]),
			      "%s order %u type %s: nonempty bit disagrees with the list\n",
			      zone->name, order, migratetype_names[mt]);
		CHECK(blocks == zone->free_area[order].nr_free,
		      "%s order %u: nr_free %lu but %lu blocks listed\n", zone->name, order,
		      zone->free_area[order].nr_free, blocks);
	}
	CHECK(free_cma == zone_page_state(zone, NR_FREE_CMA_PAGES),
	      "%s: NR_FREE_CMA_PAGES %lu but CMA free lists hold %lu\n", zone->name,
	      zone_page_state(zone, NR_FREE_CMA_PAGES), free_cma);
	CHECK(free_pages == zone_page_state(zone, NR_FREE_PAGES),
	      "%s: NR_FREE_PAGES %lu but free lists hold %lu\n", zone->name,
	      zone_page_state(zone, NR_FREE_PAGES), free_pages);
	CHECK(zone_managed_pages(zone) <= zone->present_pages &&
	      zone->present_pages <= zone->spanned_pages,
	      "%s: managed %lu present %lu spanned %lu out of order\n", zone->name,
	      zone_managed_pages(zone), zone->present_pages, zone->spanned_pages);
out:
	spin_unlock(&zone->lock);
	for (int cpu = 0; ok && zone->per_cpu_pageset && cpu < m->nr_cpus; cpu++) {
		struct cpu_state *c = &m->cpus[cpu];

		if (c == current_cpu) {
			ok = check_pcp(zone, cpu, seen);
		} else if (cpu_borrow(c)) {
			ok = check_pcp(zone, cpu, seen);
			cpu_return(c);
		}
	}
	free(seen);
	return ok;
}

/* Every zone, plus: no page is both free and on a per-CPU list. */
bool mm_allocator_is_valid(void)
{
	struct zone *zone;

	for_each_zone(zone)
		if (!zone_is_valid(zone))
			return false;
	return true;
}
