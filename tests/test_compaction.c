// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_compaction.c - memory compaction (mm/compaction.c,
 * mm/kcompactd.c, mm/compaction_files.c):
 *   - the debugfs files extfrag/{unusable_index,extfrag_index} in Linux's
 *     format, their numbers recomputed here from buddyinfo;
 *   - fragmentation_index() and compaction_suitable() (the watermark plus
 *     compact_gap, and vm.extfrag_threshold for costly orders);
 *   - deferral (defer_compaction, compaction_deferred,
 *     compaction_defer_reset, COMPACT_MAX_DEFER_SHIFT);
 *   - the sysctls (compact_memory write-only, only 1; the ranges of
 *     compaction_proactiveness and compact_unevictable_allowed) and
 *     /sys/devices/system/node/nodeN/compact;
 *   - Linux's compaction_test bar: after fragmenting memory with locked
 *     anonymous memory (80% of MemFree mlocked, every other piece
 *     unmapped), at least a third of that 80% can be had as order-9
 *     (2 MiB on x86_64) blocks.  Linux's test asks nr_hugepages for
 *     them; hugetlb is another branch's, so this one calls alloc_pages()
 *     at order 9 with __GFP_RETRY_MAYFAIL, as hugetlb's fresh-page path
 *     does: direct compaction serves it (compact_stall, compact_success);
 *   - data integrity: every page of the process reads back what it wrote;
 *   - the counters, kcompactd woken by wakeup_kcompactd (compact_daemon_*),
 *     proactive compaction on a fragmented node;
 *   - page isolation with in-use LRU folios, migrated out of the range;
 *   - a randomized stress with the invariant checkers after every step;
 *   - page_owner=on: /sys/kernel/debug/page_owner's records (order, gfp
 *     mask, migratetype against the pageblock's), split_page, frees.
 */
#include <mmsim/compaction.h>
#include <mmsim/swap.h>
#include "vma_test.h"
#include "compaction_test.h"

bool kcompactd_is_valid(struct mmsim *m);

#define MS	1000000ull
#define MIB	(1UL << 20)

static struct zone *normal_zone(void)
{
	struct zone *best = NULL;

	for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
		struct zone *z = zone_of(0, zt);

		if (populated_zone(z) && (!best || z->present_pages > best->present_pages))
			best = z;
	}
	return best;
}

static bool all_valid(void)
{
	struct zone *zone;
	bool ok = compaction_is_valid(vt_m) && kcompactd_is_valid(vt_m);

	for_each_populated_zone(zone)
		ok = zone_is_valid(zone) && ok;
	return ok;
}

/* ---- the fragmentation index and the debugfs files ---- */

/* Linux's formulas, from a buddyinfo snapshot. */
static int expect_fragindex(const unsigned long *nr_free, unsigned int order)
{
	unsigned long pages = 0, blocks = 0, suitable = 0;

	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		blocks += nr_free[o];
		pages += nr_free[o] << o;
		if (o >= order)
			suitable += nr_free[o] << (o - order);
	}
	if (!blocks)
		return 0;
	if (suitable)
		return -1000;
	return 1000 - (int)((1000 + pages * 1000 / (1UL << order)) / blocks);
}

static int expect_unusable(const unsigned long *nr_free, unsigned int order)
{
	unsigned long pages = 0, suitable = 0;

	for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
		pages += nr_free[o] << o;
		if (o >= order)
			suitable += nr_free[o] << (o - order);
	}
	if (!pages)
		return 1000;
	return (int)((pages - (suitable << order)) * 1000 / pages);
}

/* The line of @file for @zone, checked number by number. */
static void check_debugfs_line(const char *file, struct zone *zone, bool extfrag)
{
	char path[96], head[64], *text, *line;
	unsigned long nr_free[NR_PAGE_ORDERS_MAX];

	snprintf(path, sizeof(path), "/sys/kernel/debug/extfrag/%s", file);
	snprintf(head, sizeof(head), "Node %d, zone %8s ", zone->node, zone->name);
	zone_free_counts(zone, nr_free);
	text = mmsim_read(vt_m, path);
	KT_ASSERT(text);
	if (!text)
		return;
	line = strstr(text, head);
	KT_ASSERT(line);
	if (line) {
		char *p = line + strlen(head);

		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++) {
			int want = extfrag ? expect_fragindex(nr_free, o) : expect_unusable(nr_free, o);
			char buf[16];

			if (extfrag)
				snprintf(buf, sizeof(buf), "%2d.%03d ", want / 1000, abs(want % 1000));
			else
				snprintf(buf, sizeof(buf), "%d.%03d ", want / 1000, want % 1000);
			KT_EQ_WHAT(strncmp(p, buf, strlen(buf)), 0, "%s order %u: want '%s' at '%.12s'",
				   file, o, buf, p);
			p += strlen(buf);
			if (extfrag)
				KT_EQ_WHAT(fragmentation_index(zone, o), want, "fragindex order %u", o);
		}
		KT_EQ(*p, '\n');
	}
	free(text);
}

struct hog {
	struct page **pages;
	unsigned long nr;
};

/* Take every page the zone gives without reclaim; free every other one. */
static void fragment_kernel(struct hog *h)
{
	unsigned long cap = totalram_pages() + 16;
	/* All of it, reserves too (__GFP_MEMALLOC): no free block stays whole. */
	gfp_t gfp = (GFP_HIGHUSER_MOVABLE & ~__GFP_DIRECT_RECLAIM) | __GFP_NOWARN | __GFP_MEMALLOC;

	h->pages = calloc(cap, sizeof(*h->pages));
	h->nr = 0;
	while (h->nr < cap) {
		struct page *p = alloc_pages(gfp, 0);

		if (!p)
			break;
		h->pages[h->nr++] = p;
	}
	for (unsigned long i = 0; i < h->nr; i += 2) {
		__free_pages(h->pages[i], 0);
		h->pages[i] = NULL;
	}
	drain_all_pages(NULL);
}

static void unhog(struct hog *h)
{
	for (unsigned long i = 0; i < h->nr; i++)
		if (h->pages[i])
			__free_pages(h->pages[i], 0);
	free(h->pages);
	h->pages = NULL;
	h->nr = 0;
	drain_all_pages(NULL);
}

static void test_extfrag_files(void)
{
	struct zone *zone = normal_zone();
	struct hog h;
	char *text;

	/* Fresh boot: free blocks of every order, so -1.000 for the small ones. */
	check_debugfs_line("extfrag_index", zone, true);
	check_debugfs_line("unusable_index", zone, false);
	KT_EQ(fragmentation_index(zone, 0), -1000);
	text = mmsim_read(vt_m, "/sys/kernel/debug/extfrag/extfrag_index");
	KT_ASSERT(text && !strncmp(text, "Node 0, zone ", 13));
	free(text);

	fragment_kernel(&h);
	check_debugfs_line("extfrag_index", zone, true);
	check_debugfs_line("unusable_index", zone, false);
	/* Nothing above order 0 is free: the index says fragmentation. */
	KT_ASSERT(fragmentation_index(zone, 9 > MAX_PAGE_ORDER ? MAX_PAGE_ORDER : 9) > 900);
	unhog(&h);
	check_debugfs_line("extfrag_index", zone, true);
	KT_ASSERT(all_valid());
}

/* ---- suitability ---- */

static void test_suitable(void)
{
	struct zone *zone = normal_zone();
	unsigned int costly = PAGE_ALLOC_COSTLY_ORDER + 1;
	struct hog h;

	/* Plenty free: suitable at small orders. */
	KT_ASSERT(compaction_suitable(zone, 2, min_wmark_pages(zone), zone_idx(zone)));
	/* A watermark beyond the free pages: not. */
	KT_ASSERT(!compaction_suitable(zone, 2, zone_page_state(zone, NR_FREE_PAGES),
				       zone_idx(zone)));
	/* compact_gap: free - 2 << order is the last watermark that passes. */
	{
		unsigned long free = zone_page_state(zone, NR_FREE_PAGES);
		unsigned long gap = compact_gap(2);

		KT_ASSERT(!compaction_suitable(zone, 2, free - gap, zone_idx(zone)) ||
			  zone->lowmem_reserve[zone_idx(zone)] == 0);
		KT_ASSERT(!compaction_suitable(zone, 2, free - gap + 1, zone_idx(zone)));
	}

	fragment_kernel(&h);
	/* Fragmented: the index is near 1000, above the default 500. */
	KT_ASSERT(fragmentation_index(zone, costly) > 500);
	KT_ASSERT(compaction_suitable(zone, (int)costly, min_wmark_pages(zone), zone_idx(zone)));
	/* extfrag_threshold 1000: no failure counts as fragmentation. */
	vt_sysctl("extfrag_threshold", "1000");
	KT_ASSERT(!compaction_suitable(zone, (int)costly, min_wmark_pages(zone), zone_idx(zone)));
	/* ... but non-costly orders ignore the index. */
	KT_ASSERT(compaction_suitable(zone, 2, min_wmark_pages(zone), zone_idx(zone)));
	vt_sysctl("extfrag_threshold", "500");
	unhog(&h);
	KT_ASSERT(all_valid());
}

/* ---- deferral ---- */

static void test_defer(void)
{
	struct zone *zone = normal_zone();
	int skipped;

	compaction_defer_reset(zone, 4, true);
	KT_EQ(zone->compact_defer_shift, 0);
	KT_ASSERT(!compaction_deferred(zone, 4));
	/* A failure at order 4 defers orders >= 4, not below. */
	defer_compaction(zone, 4);
	KT_EQ(zone->compact_defer_shift, 1);
	KT_EQ(zone->compact_order_failed, 4);
	KT_ASSERT(!compaction_deferred(zone, 3));
	/* 1 << shift - 1 attempts are skipped, then one goes through. */
	for (unsigned int shift = 1; shift <= 8; shift++) {
		if (shift > 1)
			defer_compaction(zone, 4);
		KT_EQ(zone->compact_defer_shift, min(shift, 6U));
		skipped = 0;
		while (compaction_deferred(zone, 5))
			skipped++;
		KT_EQ_WHAT(skipped, (1 << min(shift, 6U)) - 1, "skipped at shift %u", shift);
		KT_ASSERT(compaction_is_valid(vt_m));
	}
	/* Expected success raises the failed order only; real success resets. */
	compaction_defer_reset(zone, 4, false);
	KT_EQ(zone->compact_order_failed, 5);
	KT_EQ(zone->compact_defer_shift, 6);
	KT_ASSERT(!compaction_deferred(zone, 4));
	compaction_defer_reset(zone, 4, true);
	KT_EQ(zone->compact_defer_shift, 0);
	KT_EQ(zone->compact_considered, 0);
	KT_ASSERT(!compaction_deferred(zone, 9));
	KT_ASSERT(all_valid());
}

/* ---- the files ---- */

static void test_files(void)
{
	char *text;

	/* compact_memory: write-only, and only 1. */
	KT_ASSERT(mmsim_read(vt_m, "/proc/sys/vm/compact_memory") == NULL);
	KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/compact_memory", "0"), -EINVAL);
	KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/compact_memory", "2"), -EINVAL);
	KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/compact_memory", "1"), 0);
	/* The defaults and ranges. */
	text = mmsim_read(vt_m, "/proc/sys/vm/compaction_proactiveness");
	KT_ASSERT(text && !strcmp(text, "20\n"));
	free(text);
	text = mmsim_read(vt_m, "/proc/sys/vm/compact_unevictable_allowed");
	KT_ASSERT(text && !strcmp(text, "1\n"));
	free(text);
	text = mmsim_read(vt_m, "/proc/sys/vm/extfrag_threshold");
	KT_ASSERT(text && !strcmp(text, "500\n"));
	free(text);
	KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/compaction_proactiveness", "101"), -EINVAL);
	KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/compaction_proactiveness", "-1"), -EINVAL);
	KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/compact_unevictable_allowed", "2"), -EINVAL);
	KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/extfrag_threshold", "1001"), -EINVAL);
	/* nodeN/compact: write-only; only existing nodes. */
	KT_EQ(mmsim_write(vt_m, "/sys/devices/system/node/node0/compact", "1"), 0);
	KT_ASSERT(mmsim_read(vt_m, "/sys/devices/system/node/node0/compact") == NULL);
	KT_ASSERT(mmsim_write(vt_m, "/sys/devices/system/node/node7/compact", "1") < 0);
	KT_ASSERT(all_valid());
}

/* ---- kcompactd ---- */

static void test_kcompactd_wake(void)
{
	struct zone *zone = normal_zone();
	unsigned long runs = kcompactd_runs(0);
	long wake = vmstat_of("compact_daemon_wake");
	struct hog h;

	/* Nothing to do: a wakeup for an order that is free does not wake it. */
	wakeup_kcompactd(0, 2, zone_idx(zone));
	mmsim_advance_clock(vt_m, 0);
	KT_EQ(kcompactd_runs(0), runs);

	fragment_kernel(&h);
	compaction_defer_reset(zone, 4, true);
	wakeup_kcompactd(0, 4, zone_idx(zone));
	mmsim_advance_clock(vt_m, 0);
	KT_EQ(kcompactd_runs(0), runs + 1);
	KT_EQ(vmstat_of("compact_daemon_wake"), wake + 1);
	/* It scanned for that order (the migration scanner, at least). */
	KT_ASSERT(vmstat_of("compact_daemon_migrate_scanned") > 0);
	KT_ASSERT(all_valid());
	/* Order 0 never wakes it. */
	wakeup_kcompactd(0, 0, zone_idx(zone));
	mmsim_advance_clock(vt_m, 0);
	KT_EQ(kcompactd_runs(0), runs + 1);
	unhog(&h);
	KT_ASSERT(all_valid());
}

static void test_proactive(void)
{
	unsigned long runs;
	struct hog h;

	/* Proactiveness 0: kcompactd sleeps for good. */
	vt_sysctl("compaction_proactiveness", "0");
	mmsim_advance_clock(vt_m, 1000 * MS);
	KT_ASSERT(kcompactd_is_sleeping(0));
	runs = kcompactd_proactive_runs(0);

	fragment_kernel(&h);
	mmsim_advance_clock(vt_m, 2000 * MS);
	KT_EQ(kcompactd_proactive_runs(0), runs);	/* asleep: nobody looks */
	/* Writing it wakes kcompactd, which finds the score above the high mark. */
	vt_sysctl("compaction_proactiveness", "20");
	KT_ASSERT(!kcompactd_is_sleeping(0));
	mmsim_advance_clock(vt_m, 0);
	KT_EQ(kcompactd_proactive_runs(0), runs + 1);
	KT_ASSERT(all_valid());
	/* Only kernel pages in use: no progress, so it backs off 64 intervals. */
	mmsim_advance_clock(vt_m, 600 * MS);
	KT_EQ(kcompactd_proactive_runs(0), runs + 1);
	mmsim_advance_clock(vt_m, 64 * 500 * MS);
	KT_EQ(kcompactd_proactive_runs(0), runs + 2);
	unhog(&h);
	/* Unfragmented: the timeout looks and does nothing. */
	mmsim_advance_clock(vt_m, 64 * 500 * MS + 10 * MS);
	mmsim_advance_clock(vt_m, 2000 * MS);
	KT_EQ(kcompactd_proactive_runs(0), runs + 2);
	KT_ASSERT(!kcompactd_is_sleeping(0));
	KT_ASSERT(all_valid());
}

/* ---- with a process: the compaction_test bar and data integrity ---- */

#define CHUNK	(64UL << 10)	

static unsigned long take_order(unsigned int order, struct page **got, unsigned long max, gfp_t gfp)
{
	unsigned long n = 0;

	while (n < max) {
		struct page *p = alloc_pages(gfp, order);

		if (!p)
			break;
		got[n++] = p;
	}
	return n;
}

static void put_order(unsigned int order, struct page **got, unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		__free_pages(got[i], order);
	drain_all_pages(NULL);
}

/*
 * Linux's compaction_test: the order-9 blocks direct compaction can make
 * out of memory fragmented by locked pages, against a third of the 80%.
 */
static void test_compaction_bar(void)
{
	unsigned int order = 9 > MAX_PAGE_ORDER ? MAX_PAGE_ORDER : 9;
	gfp_t gfp = GFP_HIGHUSER_MOVABLE | __GFP_RETRY_MAYFAIL | __GFP_NOWARN;
	unsigned long len, a, n, want, before;
	struct page *got[1024];
	long mem_free_kb, stall = vmstat_of("compact_stall");
	long success = vmstat_of("compact_success");
	long isolated = vmstat_of("compact_isolated");

	vt_spawn("compaction_test");
	a = fragment_locked(&len, &mem_free_kb);
	before = normal_zone()->free_area[order].nr_free;
	n = take_order(order, got, 1024, gfp);
	want = (unsigned long)mem_free_kb * 1024 / 10 * 8 / (PAGE_SIZE << order) / 3;
	printf("   %lu order-%u blocks (%lu free before compaction), bar %lu, from %ld kB free\n",
	       n, order, before, want, mem_free_kb);
	KT_ASSERT(n >= want);
	KT_ASSERT(vmstat_of("compact_stall") > stall);
	KT_ASSERT(vmstat_of("compact_success") > success);
	KT_ASSERT(vmstat_of("compact_isolated") > isolated);
	KT_ASSERT(vmstat_of("pgmigrate_success") > 0);
	/* Every page that moved reads back as written. */
	KT_ASSERT(check_pages(a, len, false));
	put_order(order, got, n);
	KT_ASSERT(vt_valid());
	KT_ASSERT(all_valid());
	sys_exit_group(0);
}

/* compact_memory with the process still there: buddyinfo's high orders come back. */
static void test_compact_memory(void)
{
	unsigned int order = 9 > MAX_PAGE_ORDER ? MAX_PAGE_ORDER : 9;
	struct zone *zone = normal_zone();
	unsigned long len, a, high_before = 0, high_after = 0;
	long mem_free_kb, mscan = vmstat_of("compact_migrate_scanned");
	long fscan = vmstat_of("compact_free_scanned");

	vt_spawn("compact_memory");
	a = fragment_locked(&len, &mem_free_kb);
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++)
		high_before += zone->free_area[o].nr_free << (o - order);
	KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/compact_memory", "1"), 0);
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++)
		high_after += zone->free_area[o].nr_free << (o - order);
	printf("   order>=%u blocks: %lu before compact_memory, %lu after\n", order, high_before,
	       high_after);
	KT_ASSERT(high_after > high_before + 4);
	KT_ASSERT(vmstat_of("compact_migrate_scanned") > mscan);
	KT_ASSERT(vmstat_of("compact_free_scanned") > fscan);
	KT_ASSERT(check_pages(a, len, false));
	KT_ASSERT(vt_valid());
	KT_ASSERT(all_valid());
	sys_exit_group(0);
}

static void test_unevictable_not_allowed(void)
{
	long iso, mig;
	unsigned long len, a;
	long mem_free_kb;

	vt_spawn("unevictable");
	a = fragment_locked(&len, &mem_free_kb);
	vt_sysctl("compact_unevictable_allowed", "0");
	iso = vmstat_of("compact_isolated");
	mig = vmstat_of("pgmigrate_success");
	KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/compact_memory", "1"), 0);
	/* The locked half (len / 2 pages) stays put: only the few evictable
	 * LRU pages of the machine (and free pages for them) were taken. */
	KT_ASSERT(vmstat_of("compact_isolated") - iso < (long)(len / PAGE_SIZE / 8));
	KT_ASSERT(vmstat_of("pgmigrate_success") - mig < (long)(len / PAGE_SIZE / 16));
	vt_sysctl("compact_unevictable_allowed", "1");
	/* Allowed again: they move. */
	mig = vmstat_of("pgmigrate_success");
	KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/compact_memory", "1"), 0);
	KT_ASSERT(vmstat_of("pgmigrate_success") - mig > (long)(len / PAGE_SIZE / 16));
	KT_ASSERT(check_pages(a, len, false));
	KT_ASSERT(all_valid());
	sys_exit_group(0);
}

/* ---- page isolation with migration (mm/page_isolation.c) ---- */

static void test_isolate_migrate(void)
{
	struct zone *zone = normal_zone();
	unsigned long len = 8 * MIB, a, found = 0, pb = pageblock_nr_pages;

	vt_spawn("isolate");
	a = vt_mmap(0, len, RW, PRIV);
	KT_ASSERT(check_pages(a, len, true));
	lru_add_drain_all();
	/* A pageblock with process pages in it and nothing unmovable: isolable now. */
	for (unsigned long pfn = ALIGN(zone->zone_start_pfn, pb); pfn + pb <= zone_end_pfn(zone);
	     pfn += pb) {
		unsigned long lru = 0;

		for (unsigned long i = 0; i < pb; i++)
			lru += PageLRU(pfn_to_page(pfn + i));
		if (lru < pb / 4)
			continue;
		if (start_isolate_page_range(pfn, pfn + pb, MIGRATE_MOVABLE))
			continue;
		found++;
		KT_EQ(test_pages_isolated(pfn, pfn + pb), -EBUSY);
		KT_EQ(__alloc_contig_migrate_range(pfn, pfn + pb), 0);
		KT_EQ(test_pages_isolated(pfn, pfn + pb), 0);
		undo_isolate_page_range(pfn, pfn + pb, MIGRATE_MOVABLE);
		KT_ASSERT(all_valid());
		if (found == 2)
			break;
	}
	KT_ASSERT(found > 0);
	KT_ASSERT(check_pages(a, len, false));
	/* A block holding an unmovable kernel page still cannot be isolated. */
	{
		struct page *p = alloc_pages(GFP_KERNEL, 0);
		unsigned long pfn = ALIGN_DOWN(page_to_pfn(p), pb);

		KT_EQ(start_isolate_page_range(pfn, pfn + pb, MIGRATE_UNMOVABLE), -EBUSY);
		__free_pages(p, 0);
	}
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

/* ---- randomized stress ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static unsigned long rnd(unsigned long n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned long)(rng % n);
}

static void test_stress(void)
{
	enum { NR_MAP = 8 };
	unsigned long maps[NR_MAP] = { 0 }, lens[NR_MAP] = { 0 };
	struct page *kpages[256] = { NULL };
	int steps = 120;

	vt_spawn("stress");
	for (int s = 0; s < steps; s++) {
		int i = (int)rnd(NR_MAP);

		switch (rnd(6)) {
		case 0:	/* map and write a region (maybe locked) */
			if (!maps[i]) {
				lens[i] = (1 + rnd(16)) * CHUNK * 2;
				maps[i] = vt_mmap(0, lens[i], RW, PRIV | (rnd(2) ? MAP_LOCKED : 0));
				KT_ASSERT(!IS_ERR_VALUE(maps[i]));
				KT_ASSERT(check_pages(maps[i], lens[i], true));
				for (unsigned long off = CHUNK; off < lens[i]; off += 2 * CHUNK)
					KT_EQ(sys_munmap(maps[i] + off, CHUNK), 0);
			}
			break;
		case 1:	/* unmap one */
			if (maps[i]) {
				KT_ASSERT(check_pages(maps[i], lens[i], false));
				for (unsigned long off = 0; off < lens[i]; off += 2 * CHUNK)
					KT_EQ(sys_munmap(maps[i] + off, CHUNK), 0);
				maps[i] = 0;
			}
			break;
		case 2: {	/* kernel pages of random orders */
			int k = (int)rnd(256);

			if (kpages[k]) {
				__free_pages(kpages[k], (unsigned int)kpages[k]->private);
				kpages[k] = NULL;
			} else {
				unsigned int o = (unsigned int)rnd(3);

				kpages[k] = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, o);
				if (kpages[k])
					kpages[k]->private = o;
			}
			break;
		}
		case 3: {	/* a high-order movable allocation: direct compaction */
			unsigned int o = 4 + (unsigned int)rnd(6);
			struct page *p;

			if (o > MAX_PAGE_ORDER)
				o = MAX_PAGE_ORDER;
			p = alloc_pages(GFP_HIGHUSER_MOVABLE | __GFP_NORETRY | __GFP_NOWARN, o);
			if (p)
				__free_pages(p, o);
			break;
		}
		case 4:
			KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/compact_memory", "1"), 0);
			break;
		default:
			mmsim_advance_clock(vt_m, rnd(1000) * MS);
			break;
		}
		KT_ASSERT(all_valid());
		KT_ASSERT(vt_valid());
	}
	for (int i = 0; i < NR_MAP; i++)
		if (maps[i])
			KT_ASSERT(check_pages(maps[i], lens[i], false));
	for (int k = 0; k < 256; k++)
		if (kpages[k]) {
			unsigned int o = (unsigned int)kpages[k]->private;

			kpages[k]->private = 0;
			__free_pages(kpages[k], o);
		}
	KT_ASSERT(all_valid());
	sys_exit_group(0);
}

/* ---- page_owner (mm/page_owner.c) ---- */

/* The "Page allocated via" line of @pfn's record in @text, or NULL. */
static const char *owner_of(const char *text, unsigned long pfn, char *line, size_t len)
{
	char key[48];
	const char *p, *start;

	snprintf(key, sizeof(key), "\nPFN 0x%lx type ", pfn);
	p = strstr(text, key);
	if (!p)
		return NULL;
	start = p;
	while (start > text && start[-1] != '\n')
		start--;
	if (start > text)
		start--;
	while (start > text && start[-1] != '\n')
		start--;
	snprintf(line, len, "%.*s", (int)(p - start), start);
	return line;
}

static void test_page_owner(void)
{
	struct page *p = alloc_pages(GFP_KERNEL, 0), *q = alloc_pages(GFP_HIGHUSER_MOVABLE, 2);
	char *text, line[256], want[160];

	KT_ASSERT(p && q);
	split_page(q, 2);
	text = mmsim_read(vt_m, "/sys/kernel/debug/page_owner");
	KT_ASSERT(text);
	KT_ASSERT(owner_of(text, page_to_pfn(p), line, sizeof(line)));
	KT_STR_CONTAINS(line, "Page allocated via order 0, mask 0xcc0(GFP_KERNEL), pid 0, tgid 0 (");
	snprintf(want, sizeof(want), "PFN 0x%lx type Unmovable Block %lu type ", page_to_pfn(p),
		 page_to_pfn(p) >> pageblock_order);
	KT_STR_CONTAINS(text, want);
	/* split_page: four order-0 records of the same owner. */
	for (int i = 0; i < 4; i++) {
		KT_ASSERT(owner_of(text, page_to_pfn(q) + i, line, sizeof(line)));
		KT_STR_CONTAINS(line, "Page allocated via order 0, mask 0x");
		KT_STR_CONTAINS(line, "(GFP_HIGHUSER_MOVABLE)");
	}
	free(text);
	__free_pages(p, 0);
	for (int i = 0; i < 4; i++)
		__free_pages(q + i, 0);
	drain_all_pages(NULL);
	text = mmsim_read(vt_m, "/sys/kernel/debug/page_owner");
	KT_ASSERT(text && !owner_of(text, page_to_pfn(p), line, sizeof(line)));
	KT_ASSERT(text && !owner_of(text, page_to_pfn(q), line, sizeof(line)));
	free(text);
	KT_ASSERT(all_valid());
}

static void run_page_owner(void)
{
	vt_boot("arch=x86_64 ram=64M cpus=1 page_owner=on");
	KT_RUN(test_page_owner);
	vt_exit();
	vt_boot("arch=x86_64 ram=64M cpus=1");
	/* Off: the file answers -EINVAL, as Linux's without page_owner=on. */
	KT_ASSERT(mmsim_read(vt_m, "/sys/kernel/debug/page_owner") == NULL);
	vt_exit();
}

static void run(const char *spec)
{
	vt_boot(spec);
	/* First, on a fresh machine, as Linux's selftest runs: the other
	 * tests leave skip hints and deferrals behind. */
	KT_RUN(test_compaction_bar);
	KT_RUN(test_extfrag_files);
	KT_RUN(test_suitable);
	KT_RUN(test_defer);
	KT_RUN(test_files);
	KT_RUN(test_kcompactd_wake);
	KT_RUN(test_proactive);
	KT_RUN(test_compact_memory);
	KT_RUN(test_unevictable_not_allowed);
	KT_RUN(test_isolate_migrate);
	KT_RUN(test_stress);
	vt_exit();
}

int main(void)
{
	run("arch=x86_64 ram=128M cpus=2");
	run("arch=arm64 ram=128M cpus=2");
	run_page_owner();
	return kt_done();
}
