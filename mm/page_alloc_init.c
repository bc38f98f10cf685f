// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page_alloc_init.c - the page allocator's boot- and sysctl-time
 * setup: zonelists, watermarks, lowmem_reserve and totalreserve_pages.
 * (Linux keeps these in mm/page_alloc.c; the memmap and the zones
 * themselves are set up in mm/mm_init.c.)
 *
 * Owns:
 *   pgdat->node_zonelists[]  build_all_zonelists(): ZONELIST_FALLBACK lists
 *                            every managed zone of every node, nodes in
 *                            fallback order from this one, zones from the
 *                            highest type down; ZONELIST_NOFALLBACK the
 *                            node's own zones only; each ends with a NULL
 *                            zone.
 *   zone->_watermark[], zone->watermark_boost
 *                            setup_per_zone_wmarks(), from min_free_kbytes
 *                            (init_per_zone_wmark_min,
 *                            calculate_min_free_kbytes) and
 *                            watermark_scale_factor.
 *   zone->lowmem_reserve[]   setup_per_zone_lowmem_reserve(), from
 *                            lowmem_reserve_ratio.
 *   pgdat->totalreserve_pages, m->totalreserve_pages
 *                            calculate_totalreserve_pages().
 * and the sums nr_free_zone_pages() and nr_free_buffer_pages().
 * Also the hand-over of boot memory to the buddy allocator
 * (memblock_free_pages, __free_pages_core) and of reserved pages
 * (free_reserved_page, free_reserved_area), with the managed and totalram
 * counts they change.
 *
 * When: at boot (mm_core_init() in mm/mm_init.c calls build_all_zonelists()
 * before memblock_free_all() and init_per_zone_wmark_min() after it, once
 * the buddy allocator holds the memory), and again from writes of the
 * /proc/sys/vm knobs registered at the end of this file (subsystem
 * "page_alloc": register_sysctl("vm", ...) from an fs_initcall, with
 * Linux's ranges and handlers) under sysctl_lock.  The allocation paths
 * read the results locklessly.
 *
 * Locking: setup_per_zone_wmarks() takes each zone->lock in turn (never
 * two) to store the watermarks with WRITE_ONCE, and then calls
 * zone_pcp_update() (mm/page_pcp.c), whose high marks follow the low
 * watermark.  Nothing else here takes a lock: zonelists are built before
 * any allocation, and lowmem_reserve and the totals are plain stores read
 * as hints.  Order: sysctl_lock -> zone->lock.
 *
 * Invariants (checkable, for every configured zone z, after setup):
 *   min_wmark_pages(z) <= low_wmark_pages(z) <= high_wmark_pages(z)
 *   <= z->_watermark[WMARK_PROMO]
 *   z->lowmem_reserve[j] == 0 for j <= zone_idx(z)
 *   z->lowmem_reserve[j] <= z->lowmem_reserve[j + 1]
 *   m->totalreserve_pages == sum over nodes of pgdat->totalreserve_pages
 *   every zone on a zonelist was managed when the lists were built, and
 *   a node's ZONELIST_FALLBACK starts with its own zones
 */
#include <stdio.h>
#include <string.h>
#include <mmsim/seq_file.h>
#include <mmsim/sysctl.h>
#include <mmsim/kfence.h>
#include "mm/internal.h"

/* ---------------------------------------------------------------------
 * Boot-time freeing and reserved pages
 */

/* __free_pages_core - hand a boot-time block to the buddy allocator. */
void __free_pages_core(struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order;
	struct zone *zone = page_zone(page);

	for (unsigned long i = 0; i < nr; i++) {
		__ClearPageReserved(page + i);
		set_page_count(page + i, 0);
	}
	atomic_long_add((long)nr, &zone->managed_pages);
	atomic_long_add((long)nr, &M()->totalram_pages);
	if (PageHighMem(page))
		atomic_long_add((long)nr, &M()->totalhigh_pages);
	/* What free_pages_prepare() does to a block in Linux's path from here. */
	if (kasan_enabled())
		kasan_poison_pages(page, order);
	if (unlikely(M()->debug_pagealloc || M()->page_poisoning))
		page_debug_free(page, (unsigned int)nr);
	free_one_page(zone, page, page_to_pfn(page), order, get_pageblock_migratetype(page),
		      FPI_TO_TAIL);
}

void memblock_free_pages(struct page *page, unsigned long pfn, unsigned int order)
{
	(void)pfn;
	__free_pages_core(page, order);
}

void adjust_managed_page_count(struct page *page, long count)
{
	atomic_long_add(count, &page_zone(page)->managed_pages);
	atomic_long_add(count, &M()->totalram_pages);
	if (PageHighMem(page))
		atomic_long_add(count, &M()->totalhigh_pages);
}

void mark_page_reserved(struct page *page)
{
	__SetPageReserved(page);
	adjust_managed_page_count(page, -1);
}

/* free_reserved_page - give a reserved page (e.g. init memory) to the buddy allocator. */
void free_reserved_page(struct page *page)
{
	if (!PageReserved(page)) {
		bad_page(page, "free_reserved_page of a page that is not reserved");
		return;
	}
	__ClearPageReserved(page);
	set_page_count(page, 1);
	__free_pages(page, 0);
	adjust_managed_page_count(page, 1);
}

unsigned long free_reserved_area(void *start, void *end, int poison, const char *s)
{
	unsigned long pages = 0;
	char *pos = (char *)ALIGN((uintptr_t)start, PAGE_SIZE);

	for (; pos + PAGE_SIZE <= (char *)end; pos += PAGE_SIZE, pages++) {
		if ((unsigned int)poison <= 0xff)
			memset(pos, poison, PAGE_SIZE);
		free_reserved_page(virt_to_page(pos));
	}
	if (pages && s)
		pr_info("Freeing %s memory: %luK\n", s, pages << (PAGE_SHIFT - 10));
	return pages;
}

/* ---------------------------------------------------------------------
 * Zonelists
 */

/* Nodes in fallback order from @nid: itself, then by distance (all equal: by id). */
static void build_zonelists(struct mmsim *m, pg_data_t *pgdat)
{
	struct zoneref *zr = pgdat->node_zonelists[ZONELIST_FALLBACK]._zonerefs;
	struct zoneref *nf = pgdat->node_zonelists[ZONELIST_NOFALLBACK]._zonerefs;

	for (int i = 0; i < m->nr_nodes; i++) {
		pg_data_t *node = m->node_data[(pgdat->node_id + i) % m->nr_nodes];

		for (int zt = MAX_NR_ZONES - 1; zt >= 0; zt--) {
			struct zone *zone = &node->node_zones[zt];

			if (!managed_zone(zone))
				continue;
			*zr++ = (struct zoneref){ zone, zt };
			if (i == 0)
				*nf++ = (struct zoneref){ zone, zt };
		}
	}
	zr->zone = NULL;
	nf->zone = NULL;
}

void build_all_zonelists(struct mmsim *m)
{
	for (int nid = 0; nid < m->nr_nodes; nid++)
		build_zonelists(m, m->node_data[nid]);
	pr_info("Built %d zonelists, mobility grouping %s.  Total pages: %lu\n", m->nr_nodes,
		m->page_group_by_mobility_disabled ? "off" : "on",
		nr_free_zone_pages(gfp_zone(GFP_HIGHUSER_MOVABLE)));
	if (m->nr_nodes > 1) {
		for (int nid = 0; nid < m->nr_nodes; nid++) {
			char buf[256];
			size_t n = 0;

			for (int i = 0; i < m->nr_nodes && n < sizeof(buf) - 8; i++)
				n += (size_t)snprintf(buf + n, sizeof(buf) - n, " %d",
						      (nid + i) % m->nr_nodes);
			pr_info("Fallback order for Node %d:%s\n", nid, buf);
		}
	}
}

/* ---------------------------------------------------------------------
 * Watermarks, lowmem_reserve, totals
 */

/* Sum of managed pages above the high watermark in zones up to @offset. */
unsigned long nr_free_zone_pages(int offset)
{
	struct mmsim *m = M();
	unsigned long sum = 0;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zt = 0; zt <= offset; zt++) {
			struct zone *zone = &m->node_data[nid]->node_zones[zt];
			unsigned long size = zone_managed_pages(zone);
			unsigned long high = high_wmark_pages(zone);

			if (size > high)
				sum += size - high;
		}
	return sum;
}

unsigned long nr_free_buffer_pages(void)
{
	return nr_free_zone_pages(gfp_zone(GFP_USER));
}

void calculate_totalreserve_pages(void)
{
	struct mmsim *m = M();
	unsigned long reserve_pages = 0;

	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = m->node_data[nid];

		pgdat->totalreserve_pages = 0;
		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			long max = 0;
			unsigned long managed = zone_managed_pages(zone);

			for (int j = i; j < MAX_NR_ZONES; j++)
				if (zone->lowmem_reserve[j] > max)
					max = zone->lowmem_reserve[j];
			max += (long)high_wmark_pages(zone);
			if ((unsigned long)max > managed)
				max = (long)managed;
			pgdat->totalreserve_pages += (unsigned long)max;
			reserve_pages += (unsigned long)max;
		}
	}
	m->totalreserve_pages = reserve_pages;
}

void setup_per_zone_lowmem_reserve(void)
{
	struct mmsim *m = M();

	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = m->node_data[nid];

		for (int i = 0; i < MAX_NR_ZONES; i++) {
			struct zone *zone = &pgdat->node_zones[i];
			int ratio = m->vm.lowmem_reserve_ratio[i];
			bool clear = !ratio || !zone_managed_pages(zone);
			unsigned long managed = 0;

			for (int j = i + 1; j < MAX_NR_ZONES; j++) {
				managed += zone_managed_pages(&pgdat->node_zones[j]);
				zone->lowmem_reserve[j] = clear ? 0 : (long)(managed / (unsigned long)ratio);
			}
		}
	}
	calculate_totalreserve_pages();
}

/* __setup_per_zone_wmarks: min split by size; low/high from watermark_scale_factor. */
void setup_per_zone_wmarks(void)
{
	struct mmsim *m = M();
	unsigned long pages_min = (unsigned long)m->vm.min_free_kbytes >> (PAGE_SHIFT - 10);
	unsigned long lowmem_pages = 0;
	struct zone *zone;

	for_each_zone(zone)
		if (!is_highmem(zone) && zone_idx(zone) != ZONE_MOVABLE)
			lowmem_pages += zone_managed_pages(zone);
	for_each_zone(zone) {
		unsigned long managed = zone_managed_pages(zone);
		uint64_t tmp;

		spin_lock(&zone->lock);
		tmp = lowmem_pages ? (uint64_t)pages_min * managed / lowmem_pages : 0;
		if (is_highmem(zone) || zone_idx(zone) == ZONE_MOVABLE) {
			/* Highmem and Movable get a small min: they rarely need reserves. */
			unsigned long min_pages = managed / 1024;

			WRITE_ONCE(zone->_watermark[WMARK_MIN], clamp(min_pages, 32UL, 128UL));
		} else {
			WRITE_ONCE(zone->_watermark[WMARK_MIN], (unsigned long)tmp);
		}
		tmp = max(tmp >> 2, (uint64_t)managed * (uint64_t)m->vm.watermark_scale_factor / 10000);
		WRITE_ONCE(zone->watermark_boost, 0);
		WRITE_ONCE(zone->_watermark[WMARK_LOW], min_wmark_pages(zone) + tmp);
		WRITE_ONCE(zone->_watermark[WMARK_HIGH], low_wmark_pages(zone) + tmp);
		WRITE_ONCE(zone->_watermark[WMARK_PROMO], high_wmark_pages(zone) + tmp);
		spin_unlock(&zone->lock);
	}
	/* The per-CPU high marks follow the low watermark. */
	for_each_zone(zone)
		zone_pcp_update(zone);
	calculate_totalreserve_pages();
}

int calculate_min_free_kbytes(void)
{
	unsigned long lowmem_kbytes = nr_free_buffer_pages() * (PAGE_SIZE >> 10);

	return (int)clamp(int_sqrt(lowmem_kbytes * 16), 128UL, 262144UL);
}

/* init_per_zone_wmark_min - min_free_kbytes from lowmem, then everything that follows. */
void init_per_zone_wmark_min(void)
{
	struct mmsim *m = M();
	int new_min = calculate_min_free_kbytes();
	struct zone *zone;

	if (m->vm.user_min_free_kbytes < 0 || new_min > m->vm.user_min_free_kbytes)
		m->vm.min_free_kbytes = new_min;
	else
		pr_warn("min_free_kbytes is not updated to %d because user defined value %d is preferred\n",
			new_min, m->vm.user_min_free_kbytes);
	setup_per_zone_wmarks();
	for_each_zone(zone)
		zone_stat_set_threshold(zone);
	setup_per_zone_lowmem_reserve();
}

/* ---------------------------------------------------------------------
 * /proc/sys/vm: the knobs of the page allocator (Linux's
 * page_alloc_sysctl_table) and, until compaction exists, its
 * extfrag_threshold (compaction.c's in Linux).
 *
 *   knob                           range        on a write
 *   min_free_kbytes                >= 0         user_min_free_kbytes = value;
 *                                               watermarks, pcp high/batch,
 *                                               lowmem_reserve recomputed
 *   watermark_scale_factor         1..3000      watermarks, pcp high/batch
 *   watermark_boost_factor         >= 0         (read by the allocator)
 *   extfrag_threshold              0..1000      (read by compaction)
 *   percpu_pagelist_high_fraction  0 or >= 8    pcp high/batch of every zone
 *   lowmem_reserve_ratio           one int per  values < 1 become 0;
 *                                  configured   lowmem_reserve recomputed
 *                                  zone, tab-separated
 *
 * Handlers run under sysctl_lock (fs/proc/proc_sysctl.c); a write either
 * sets the whole value or, on a bad word or a value out of range, returns
 * -EINVAL and changes nothing.
 */

#define MIN_PERCPU_PAGELIST_HIGH_FRACTION 8

static const int three_thousand = 3000, one_thousand = 1000;

/* setup_per_zone_wmarks() and the pcp update Linux runs at its end. */
static void recompute_wmarks(void)
{
	struct zone *zone;

	setup_per_zone_wmarks();
	for_each_zone(zone)
		zone_pcp_update(zone);
}

static int min_free_kbytes_sysctl_handler(const struct ctl_table *t, int write,
					  struct seq_file *sf, const char *text)
{
	struct mmsim *m = current_machine();
	int ret = proc_dointvec_minmax(t, write, sf, text);

	if (ret || !write)
		return ret;
	WRITE_ONCE(m->vm.user_min_free_kbytes, m->vm.min_free_kbytes);
	recompute_wmarks();
	setup_per_zone_lowmem_reserve();
	return 0;
}

static int watermark_scale_factor_sysctl_handler(const struct ctl_table *t, int write,
						 struct seq_file *sf, const char *text)
{
	int ret = proc_dointvec_minmax(t, write, sf, text);

	if (!ret && write)
		recompute_wmarks();
	return ret;
}

static int percpu_pagelist_high_fraction_sysctl_handler(const struct ctl_table *t, int write,
							struct seq_file *sf, const char *text)
{
	int *fraction = t->data, old = *fraction, val, ret;
	struct zone *zone;

	if (!write)
		return proc_dointvec_minmax(t, write, sf, text);
	if (proc_parse_ints(text, &val, 1) != 1 || val < 0 ||
	    (val && val < MIN_PERCPU_PAGELIST_HIGH_FRACTION))
		return -EINVAL;
	ret = proc_dointvec_minmax(t, write, sf, text);
	if (ret || *fraction == old)
		return ret;
	for_each_zone(zone)
		zone_pcp_update(zone);
	return 0;
}

/* The zone types of the vector, in order; returns how many. */
static int lowmem_reserve_zones(int *zt)
{
	pg_data_t *pgdat = NODE_DATA(0);
	int n = 0;

	for (int i = 0; i < MAX_NR_ZONES; i++)
		if (pgdat->node_zones[i].configured)
			zt[n++] = i;
	return n;
}

/* lowmem_reserve_ratio_sysctl_handler(): one value per configured zone; a
 * prefix of the vector may be written. */
static int lowmem_reserve_ratio_sysctl_handler(const struct ctl_table *t, int write,
					       struct seq_file *sf, const char *text)
{
	int zt[MAX_NR_ZONES], vals[MAX_NR_ZONES], n = lowmem_reserve_zones(zt);
	int *ratio = t->data, nr;

	if (!write) {
		for (int i = 0; i < n; i++)
			seq_printf(sf, "%s%d", i ? "\t" : "", READ_ONCE(ratio[zt[i]]));
		seq_putc(sf, '\n');
		return 0;
	}
	nr = proc_parse_ints(text, vals, n);
	if (nr < 0)
		return nr;
	for (int i = 0; i < nr; i++)
		WRITE_ONCE(ratio[zt[i]], vals[i] < 1 ? 0 : vals[i]);
	setup_per_zone_lowmem_reserve();
	return 0;
}

static int page_alloc_sysctl_init(struct mmsim *m, char *err, size_t len)
{
	struct vm_sysctls *vm = &m->vm;
	const struct ctl_table page_alloc_sysctl_table[] = {
		{ .procname = "extfrag_threshold", .data = &vm->extfrag_threshold,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
		  .extra1 = SYSCTL_ZERO, .extra2 = &one_thousand },
		{ .procname = "lowmem_reserve_ratio", .data = vm->lowmem_reserve_ratio,
		  .maxlen = sizeof(vm->lowmem_reserve_ratio), .mode = 0644,
		  .proc_handler = lowmem_reserve_ratio_sysctl_handler },
		{ .procname = "min_free_kbytes", .data = &vm->min_free_kbytes,
		  .maxlen = sizeof(int), .mode = 0644,
		  .proc_handler = min_free_kbytes_sysctl_handler, .extra1 = SYSCTL_ZERO },
		{ .procname = "percpu_pagelist_high_fraction",
		  .data = &vm->percpu_pagelist_high_fraction, .maxlen = sizeof(int),
		  .mode = 0644, .proc_handler = percpu_pagelist_high_fraction_sysctl_handler,
		  .extra1 = SYSCTL_ZERO },
		{ .procname = "watermark_boost_factor", .data = &vm->watermark_boost_factor,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
		  .extra1 = SYSCTL_ZERO },
		{ .procname = "watermark_scale_factor", .data = &vm->watermark_scale_factor,
		  .maxlen = sizeof(int), .mode = 0644,
		  .proc_handler = watermark_scale_factor_sysctl_handler,
		  .extra1 = SYSCTL_ONE, .extra2 = &three_thousand },
	};

	return register_sysctl("vm", page_alloc_sysctl_table);
}

static const struct initcall page_alloc_initcalls[] = {
	fs_initcall(page_alloc_sysctl_init, NULL),
};

DEFINE_SUBSYSTEM(page_alloc, SUBSYS_INITCALLS(page_alloc_initcalls));
