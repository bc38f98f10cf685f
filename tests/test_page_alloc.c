// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_page_alloc.c - the buddy allocator: splits and merges, exact
 * coalescing, GFP zone and reserve semantics, migratetype fallback,
 * high-atomic reserves, per-CPU lists, compound pages, misuse reports and
 * allocation-failure reports.  Every test ends with mm_allocator_is_valid().
 */
#include "mmtest.h"

static void test_split_and_merge(void)
{
	struct mmsim *m = boot_or_die("ram=128M cpus=1");
	struct zone *zone = zone_of(0, ZONE_DMA32);
	unsigned long before[NR_PAGE_ORDERS_MAX], after[NR_PAGE_ORDERS_MAX], back[NR_PAGE_ORDERS_MAX];
	struct page *page;
	unsigned int o, split_from = 0;

	zone_free_counts(zone, before);
	/* Order 4 bypasses the per-CPU lists: a pure buddy split. */
	page = alloc_pages(GFP_HIGHUSER_MOVABLE, 4);
	KT_ASSERT(page != NULL);
	KT_EQ(page_zone(page) - zone, 0);
	KT_EQ(page_to_pfn(page) & 15, 0);
	zone_free_counts(zone, after);
	for (o = 4; o < NR_PAGE_ORDERS; o++)
		if (after[o] + 1 == before[o]) {
			split_from = o;
			break;
		}
	KT_ASSERT(split_from >= 4);
	for (o = 4; o < split_from; o++)
		KT_EQ(after[o], before[o] + 1);	/* one buddy left behind at each order */
	KT_ASSERT(mm_allocator_is_valid());
	__free_pages(page, 4);
	zone_free_counts(zone, back);
	for (o = 0; o < NR_PAGE_ORDERS; o++)
		KT_EQ(back[o], before[o]);	/* merged all the way back */
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

/* Allocate every page as order 0, free them all, drain: back to the boot state. */
static void test_exact_coalescing(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=2");
	unsigned long boot[MAX_NR_ZONES][NR_PAGE_ORDERS_MAX], now[NR_PAGE_ORDERS_MAX];
	unsigned long free_at_boot, n = 0;
	struct page **pages;
	struct zone *zone;
	int zt;

	drain_all_pages(NULL);		/* the freed init memory sits on a pcp list */
	free_at_boot = nr_free_pages();
	pages = calloc(free_at_boot + 16, sizeof(*pages));

	for (zt = 0; zt < MAX_NR_ZONES; zt++)
		zone_free_counts(zone_of(0, zt), boot[zt]);
	for (;;) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, 0);

		if (!p)
			break;
		KT_ASSERT(n < free_at_boot + 16);
		if (n >= free_at_boot + 16)
			break;
		pages[n++] = p;
		/* Alternate CPUs so both per-CPU lists are exercised. */
		mmsim_enter(m, (int)(n & 1));
	}
	KT_EQ(n, free_at_boot);
	KT_EQ(nr_free_pages(), 0);
	KT_ASSERT(mm_allocator_is_valid());
	for (unsigned long i = 0; i < n; i++) {
		mmsim_enter(m, (int)(i % 2));
		__free_pages(pages[i], 0);
	}
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), free_at_boot);
	for (zt = 0; zt < MAX_NR_ZONES; zt++) {
		zone = zone_of(0, zt);
		if (!zone->configured)
			continue;
		zone_free_counts(zone, now);
		for (unsigned int o = 0; o < NR_PAGE_ORDERS; o++)
			KT_EQ(now[o], boot[zt][o]);
	}
	KT_ASSERT(mm_allocator_is_valid());
	free(pages);
	mmsim_shutdown(m);
}

static void test_gfp_zones_x86_64(void)
{
	struct mmsim *m = boot_or_die("ram=6G movablecore=1G");
	struct page *p;

	p = alloc_pages(GFP_DMA, 0);
	KT_EQ(page_zonenum(p), ZONE_DMA);
	KT_ASSERT(page_to_phys(p) < SZ_16M);
	__free_pages(p, 0);
	p = alloc_pages(GFP_DMA32, 0);
	KT_EQ(page_zonenum(p), ZONE_DMA32);
	KT_ASSERT(page_to_phys(p) < SZ_4G);
	__free_pages(p, 0);
	p = alloc_pages(GFP_KERNEL, 0);
	KT_EQ(page_zonenum(p), ZONE_NORMAL);
	__free_pages(p, 0);
	p = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	KT_EQ(page_zonenum(p), ZONE_MOVABLE);
	KT_ASSERT(page_address(p) != NULL);	/* no highmem on 64-bit */
	__free_pages(p, 0);
	/* __GFP_MOVABLE alone is not enough for ZONE_MOVABLE, as in Linux. */
	p = alloc_pages(GFP_KERNEL | __GFP_MOVABLE, 0);
	KT_EQ(page_zonenum(p), ZONE_NORMAL);
	__free_pages(p, 0);
	KT_EQ(gfp_zone(GFP_HIGHUSER), ZONE_NORMAL);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

static void test_gfp_zones_i386_highmem(void)
{
	struct mmsim *m = boot_or_die("arch=i386 ram=2G");
	struct page *p = alloc_pages(GFP_HIGHUSER | __GFP_ZERO, 0);

	KT_ASSERT(p != NULL);
	KT_EQ(page_zonenum(p), ZONE_HIGHMEM);
	KT_ASSERT(PageHighMem(p));
	KT_ASSERT(page_address(p) == NULL);	/* no permanent kernel address */
	__free_pages(p, 0);
	p = alloc_pages(GFP_KERNEL, 0);
	KT_EQ(page_zonenum(p), ZONE_NORMAL);
	KT_ASSERT(page_address(p) != NULL);
	__free_pages(p, 0);
	KT_EQ(gfp_zone(GFP_DMA32), ZONE_NORMAL);	/* no DMA32 on i386 */
	KT_ASSERT(totalhigh_pages() > 0);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

static void test_zero_and_content(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	struct page *p = alloc_pages(GFP_KERNEL, 1);
	unsigned char *a = page_address(p);
	unsigned long addr;

	memset(a, 0xab, 2 * PAGE_SIZE);
	__free_pages(p, 1);
	p = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	a = page_address(p);
	for (unsigned long i = 0; i < 2 * PAGE_SIZE; i++)
		if (a[i]) {
			KT_ASSERT(a[i] == 0);
			break;
		}
	/* page_address is real memory aliasing the simulated frame. */
	KT_ASSERT(virt_to_page(a) == p);
	KT_ASSERT(__va(page_to_phys(p)) == a);
	__free_pages(p, 1);
	addr = get_zeroed_page(GFP_KERNEL);
	KT_ASSERT(addr != 0);
	KT_EQ(((unsigned char *)addr)[123], 0);
	free_page(addr);
	addr = __get_free_pages(GFP_KERNEL, 3);
	memset((void *)addr, 1, 8 * PAGE_SIZE);
	free_pages(addr, 3);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

static void test_compound_and_refcounts(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	unsigned long free0;
	struct page *p;

	drain_all_pages(NULL);
	free0 = nr_free_pages();
	p = alloc_pages(GFP_KERNEL | __GFP_COMP, 2);
	KT_ASSERT(PageHead(p));
	KT_ASSERT(PageTail(p + 3));
	KT_ASSERT(compound_head(p + 3) == p);
	KT_EQ(compound_order(p), 2);
	KT_EQ(compound_nr(p), 4);
	get_page(p + 2);		/* a reference through a tail page */
	KT_EQ(page_count(p + 1), 2);
	put_page(p + 1);
	KT_EQ(page_count(p), 1);
	put_page(p + 3);		/* the last reference frees the whole block */
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), free0);

	/* A non-compound block someone still holds: the rest is freed now. */
	p = alloc_pages(GFP_KERNEL, 2);
	get_page(p);
	__free_pages(p, 2);
	KT_EQ(page_ref_count(p), 1);
	put_page(p);
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), free0);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

static void test_exact_and_bulk(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	struct page *arr[100] = { 0 };
	unsigned long free0, got;
	void *v;

	drain_all_pages(NULL);
	free0 = nr_free_pages();
	v = alloc_pages_exact(5 * PAGE_SIZE, GFP_KERNEL);
	KT_ASSERT(v != NULL);
	drain_all_pages(NULL);
	KT_EQ(free0 - nr_free_pages(), 5);	/* 8 allocated, 3 given back */
	memset(v, 7, 5 * PAGE_SIZE);
	free_pages_exact(v, 5 * PAGE_SIZE);
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), free0);

	got = alloc_pages_bulk(GFP_KERNEL, 100, arr);
	KT_EQ(got, 100);
	for (int i = 0; i < 100; i++)
		for (int j = i + 1; j < 100; j++)
			if (arr[i] == arr[j])
				KT_ASSERT(arr[i] != arr[j]);
	for (int i = 0; i < 100; i++)
		__free_pages(arr[i], 0);
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), free0);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

static void test_double_free_reported(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	size_t mark = log_mark(m);
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	char *log;

	__free_pages(p, 0);
	__free_pages(p, 0);		/* double free */
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "page dumped because: VM_BUG_ON_PAGE(page_ref_count(page) == 0)");
	KT_STR_CONTAINS(log, "kernel BUG at mm/page_alloc.c:");
	free(log);
	/* Never on a free list twice: the allocator is intact. */
	KT_ASSERT(mm_allocator_is_valid());
	drain_all_pages(NULL);
	KT_ASSERT(mm_allocator_is_valid());
	/* Freeing a page that sits in the buddy lists is the same misuse. */
	{
		struct zone *z = zone_of(0, ZONE_DMA32);
		struct page *f = NULL;

		spin_lock(&z->lock);
		for (unsigned int o = 0; o < NR_PAGE_ORDERS && !f; o++)
			for (int t = 0; t < MIGRATE_TYPES && !f; t++)
				f = list_first_entry_or_null(&z->free_area[o].free_list[t],
							     struct page, lru);
		spin_unlock(&z->lock);
		__free_pages(f, 0);
		log = log_since(m, &mark);
		KT_STR_CONTAINS(log, "VM_BUG_ON_PAGE");
		free(log);
	}
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

static void test_wrong_order_reported(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	size_t mark = log_mark(m);
	struct page *p = alloc_pages(GFP_KERNEL, 2);
	char *log;

	__free_pages(p, 0);		/* allocated with order 2 */
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "BUG: Bad page state in process");
	KT_STR_CONTAINS(log, "page dumped because: freed with order 0, allocated with order 2");
	free(log);
	KT_ASSERT(mm_allocator_is_valid());
	p = alloc_pages(GFP_KERNEL | __GFP_COMP, 3);
	__free_pages(p, 1);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "BUG: Bad page state");
	free(log);
	KT_ASSERT(mm_allocator_is_valid());
	KT_ASSERT(atomic_load(&m->taint) & (1UL << TAINT_BAD_PAGE));
	mmsim_shutdown(m);
}

static void test_reserved_free_reported(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	size_t mark = log_mark(m);
	struct page *p = pfn_to_page(PHYS_PFN(m->hw.kernel_start));	/* kernel text */
	unsigned long free0;
	char *log;

	drain_all_pages(NULL);
	free0 = nr_free_pages();

	KT_ASSERT(PageReserved(p));
	__free_pages(p, 0);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "BUG: Bad page state");
	KT_STR_CONTAINS(log, "PAGE_FLAGS_CHECK_AT_FREE flag(s) set");
	KT_STR_CONTAINS(log, "reserved|");
	free(log);
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), free0);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

static void test_failure_report(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	size_t mark = log_mark(m);
	struct page *got[64];
	int n = 0;
	char *log;

	while (n < 64 && (got[n] = alloc_pages(GFP_KERNEL, 10)) != NULL)
		n++;
	KT_ASSERT(n > 0 && n < 64);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "mmsim: page allocation failure: order:10, mode:0xcc0(GFP_KERNEL), nodemask=(null)");
	KT_STR_CONTAINS(log, "Mem-Info:");
	KT_STR_CONTAINS(log, "lowmem_reserve[]:");
	KT_STR_CONTAINS(log, "pages RAM");
	KT_STR_CONTAINS(log, "Call Trace:");
	free(log);
	/* __GFP_NOWARN: silent. */
	KT_ASSERT(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 10) == NULL);
	log = log_since(m, &mark);
	KT_ASSERT(strstr(log, "page allocation failure") == NULL);
	free(log);
	/* Above MAX_PAGE_ORDER: a WARN, then NULL. */
	KT_ASSERT(alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER + 1) == NULL);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "WARNING: CPU: 0 PID: 1 at mm/page_alloc.c:");
	free(log);
	while (n--)
		__free_pages(got[n], 10);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

/* GFP_ATOMIC may go below the min watermark; GFP_KERNEL may not. */
static void test_atomic_reserves(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	struct zone *z = zone_of(0, ZONE_DMA32);
	struct page **pages = calloc(20000, sizeof(*pages));
	unsigned long free_kernel, free_atomic, min = min_wmark_pages(z);
	int n = 0, atomic = 0;
	size_t mark;

	while (n < 20000 && (pages[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)))
		n++;
	free_kernel = zone_page_state(z, NR_FREE_PAGES);
	/* min includes the boost the fallback steals raised (watermark_boost_factor) */
	KT_ASSERT(free_kernel <= min_wmark_pages(z) + 1);
	mark = log_mark(m);
	while (n < 20000 && (pages[n] = alloc_pages(GFP_ATOMIC, 0))) {
		n++;
		atomic++;
	}
	free_atomic = zone_page_state(z, NR_FREE_PAGES);
	KT_ASSERT(atomic > 0);
	KT_ASSERT(free_atomic < min / 2);	/* min - min/2 - (min/2)/4 */
	KT_ASSERT(free_atomic >= min * 3 / 8 - 2);
	{
		char *log = log_since(m, &mark);

		KT_STR_CONTAINS(log, "page allocation failure: order:0, mode:0x820(GFP_ATOMIC)");
		free(log);
	}
	while (n--)
		__free_pages(pages[n], 0);
	free(pages);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

static int count_str(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p++)
		n++;
	return n;
}

/*
 * warn_alloc() is rate-limited as Linux's nopage_rs (10 per 5 s): 200,000
 * failures leave ten reports, and the rest are counted and reported once
 * the virtual clock has moved past the interval.
 */
static void test_warn_alloc_ratelimit(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	struct page **pages = calloc(1024, sizeof(*pages));
	unsigned int order = MAX_PAGE_ORDER;
	int n = 0, failed = 0;
	size_t mark;
	char *log;

	while (n < 1024 && (pages[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order)))
		n++;
	mark = log_mark(m);
	for (int i = 0; i < 200000; i++)
		failed += !alloc_pages(GFP_NOWAIT, order);
	KT_EQ(failed, 200000);
	log = log_since(m, &mark);
	KT_EQ(count_str(log, "page allocation failure: order:"), DEFAULT_RATELIMIT_BURST);
	KT_ASSERT(!strstr(log, "callbacks suppressed"));
	KT_ASSERT(m->log.bytes <= 128 * 1024);
	free(log);

	mmsim_advance_clock(m, 5ULL * 1000000000ULL + 4000000ULL);	/* past 5 * HZ */
	KT_ASSERT(!alloc_pages(GFP_NOWAIT, order));
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "] warn_alloc: 199990 callbacks suppressed\n");
	KT_EQ(count_str(log, "page allocation failure: order:"), 1);
	free(log);

	/* printk_ratelimit(): the same limits, a site of its own. */
	for (int i = 0; i < 25; i++)
		failed = printk_ratelimit();
	KT_EQ(failed, 0);
	mmsim_advance_clock(m, 6ULL * 1000000000ULL);
	KT_EQ(printk_ratelimit(), 1);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "] test_warn_alloc_ratelimit: 15 callbacks suppressed\n");
	free(log);

	/* pr_warn_ratelimited(): a site of its own per call site. */
	for (int i = 0; i < 30; i++)
		pr_warn_ratelimited("ratelimited line %d\n", i);
	log = log_since(m, &mark);
	KT_EQ(count_str(log, "] ratelimited line "), DEFAULT_RATELIMIT_BURST);
	KT_STR_CONTAINS(log, "] ratelimited line 9\n");
	free(log);

	/* The counters are per machine: another machine reports at once. */
	for (int i = 0; i < 20; i++)
		alloc_pages(GFP_NOWAIT, order);		/* A's burst is spent */
	{
		struct mmsim *b = boot_or_die("ram=64M cpus=1");
		struct page *p;
		size_t bmark;

		while ((p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order)))
			;				/* leaked: B is shut down */
		bmark = log_mark(b);
		KT_ASSERT(!alloc_pages(GFP_NOWAIT, order));
		log = log_since(b, &bmark);
		KT_EQ(count_str(log, "page allocation failure: order:"), 1);
		free(log);
		mmsim_shutdown(b);
	}
	KT_EQ(mmsim_enter(m, 0), 0);
	while (n--)
		__free_pages(pages[n], order);
	free(pages);
	mmsim_shutdown(m);
}

static void test_watermarks_formula(void)
{
	struct mmsim *m = boot_or_die("ram=1G");
	unsigned long lowmem = 0;
	struct zone *zone;

	/* 1G: Linux's table says ~4096k. */
	KT_ASSERT(m->vm.min_free_kbytes > 3900 && m->vm.min_free_kbytes < 4200);
	for_each_zone(zone)
		if (!is_highmem(zone) && zone_idx(zone) != ZONE_MOVABLE)
			lowmem += zone_managed_pages(zone);
	setup_per_zone_wmarks();
	for_each_zone(zone) {
		unsigned long managed = zone_managed_pages(zone);
		unsigned long pages_min = (unsigned long)m->vm.min_free_kbytes >> (PAGE_SHIFT - 10);
		unsigned long tmp = lowmem ? pages_min * managed / lowmem : 0;
		unsigned long gap = max(tmp >> 2, managed * 10 / 10000);

		if (zone_idx(zone) == ZONE_MOVABLE)
			continue;
		KT_EQ(zone->_watermark[WMARK_MIN], tmp);
		KT_EQ(zone->_watermark[WMARK_LOW], tmp + gap);
		KT_EQ(zone->_watermark[WMARK_HIGH], tmp + 2 * gap);
	}
	/* lowmem_reserve: DMA keeps 1/256 of the zones above it. */
	KT_EQ(zone_of(0, ZONE_DMA)->lowmem_reserve[ZONE_DMA32],
	      (long)(zone_managed_pages(zone_of(0, ZONE_DMA32)) / 256));
	KT_EQ(zone_of(0, ZONE_DMA32)->lowmem_reserve[ZONE_DMA32], 0);
	/* pcp batch for a ~1G zone is 63, as on Linux. */
	KT_EQ(zone_of(0, ZONE_DMA32)->per_cpu_pageset[0].batch, 63);
	KT_EQ(zone_of(0, ZONE_DMA)->per_cpu_pageset[0].batch, 1);
	KT_ASSERT(zone_of(0, ZONE_DMA32)->per_cpu_pageset[0].high >= 4 * 63);
	mmsim_shutdown(m);
}

static void test_min_free_kbytes_clamp(void)
{
	struct mmsim *m = boot_or_die("ram=32M");

	KT_ASSERT(m->vm.min_free_kbytes >= 128);
	KT_ASSERT(m->vm.min_free_kbytes < 1024);
	mmsim_shutdown(m);
}

static void test_fallback_steals_pageblock(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	struct page *p;

	/* At boot every pageblock is Movable; an unmovable request claims one. */
	p = alloc_pages(GFP_KERNEL, 0);
	KT_EQ(get_pageblock_migratetype(p), MIGRATE_UNMOVABLE);
	__free_pages(p, 0);
	p = alloc_pages(GFP_KERNEL | __GFP_RECLAIMABLE, 0);
	KT_EQ(get_pageblock_migratetype(p), MIGRATE_RECLAIMABLE);
	__free_pages(p, 0);
	p = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
	KT_EQ(get_pageblock_migratetype(p), MIGRATE_MOVABLE);
	__free_pages(p, 0);
	KT_ASSERT(mm_allocator_is_valid());
	drain_all_pages(NULL);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

static void test_highatomic_reserve(void)
{
	struct mmsim *m = boot_or_die("ram=256M cpus=1");
	struct page **pages = calloc(70000, sizeof(*pages));
	struct page *p;
	struct zone *z;
	int n = 0;

	/* Only the slow path reserves: first bring free memory down to min. */
	while (n < 70000 && (pages[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0)))
		n++;
	p = alloc_pages(GFP_ATOMIC, 1);
	KT_ASSERT(p != NULL);
	z = page_zone(p);
	KT_EQ(z->nr_reserved_highatomic, pageblock_nr_pages);
	KT_EQ(get_pageblock_migratetype(p), MIGRATE_HIGHATOMIC);
	__free_pages(p, 1);
	while (n--)
		__free_pages(pages[n], 0);
	free(pages);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

static void test_fail_page_alloc_param(void)
{
	struct mmsim *m = boot_or_die("ram=64M fail_page_alloc=1,100,0,2");
	struct page *p;
	long injected0 = m->fail_page_alloc.nr_injected;

	/* The boot itself may have used some of the times (SLUB's order-1
	 * slabs fall back to order 0 silently, as in Linux): start over. */
	KT_EQ(m->fail_page_alloc.times + injected0, 2);
	m->fail_page_alloc.times = 2;

	/* Linux's defaults: min-order 1, ignore-gfp-wait: only atomic order>=1 fail. */
	p = alloc_pages(GFP_KERNEL, 1);
	KT_ASSERT(p != NULL);
	__free_pages(p, 1);
	KT_ASSERT(alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 1) == NULL);
	KT_ASSERT(alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 1) == NULL);
	p = alloc_pages(GFP_ATOMIC, 1);	/* times=2 used up */
	KT_ASSERT(p != NULL);
	__free_pages(p, 1);
	KT_EQ(m->fail_page_alloc.nr_injected - injected0, 2);
	/* __GFP_NOFAIL is never failed. */
	m->fail_page_alloc.times = -1;
	m->fail_page_alloc.ignore_gfp_reclaim = false;
	m->fail_page_alloc.min_order = 0;
	KT_ASSERT(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 0) == NULL);
	p = alloc_pages(GFP_KERNEL | __GFP_NOFAIL, 0);
	KT_ASSERT(p != NULL);
	__free_pages(p, 0);
	m->fail_page_alloc.probability = 0;
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

/* Linux takes interval 0 (should_fail() skips calls only above 1): every call. */
static void test_fail_page_alloc_interval_0(void)
{
	struct mmsim *m = boot_or_die("ram=64M fail_page_alloc=0,100,0,2");
	struct page *p;
	long injected0 = m->fail_page_alloc.nr_injected;

	/* The boot itself may have used some of the times (SLUB's order-1
	 * slabs fall back to order 0 silently, as in Linux): start over. */
	KT_EQ(m->fail_page_alloc.times + injected0, 2);
	m->fail_page_alloc.times = 2;

	KT_EQ(m->fail_page_alloc.interval, 0);
	KT_ASSERT(alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 1) == NULL);
	KT_ASSERT(alloc_pages(GFP_ATOMIC | __GFP_NOWARN, 1) == NULL);
	p = alloc_pages(GFP_ATOMIC, 1);	/* times=2 used up */
	KT_ASSERT(p != NULL);
	__free_pages(p, 1);
	KT_EQ(m->fail_page_alloc.nr_injected - injected0, 2);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

static void test_thisnode_and_fallback(void)
{
	struct mmsim *m = boot_or_die("ram=512M nodes=2 cpus=2");
	struct page **pages = calloc(200000, sizeof(*pages));
	struct page *p;
	int n = 0;

	p = alloc_pages_node(1, GFP_KERNEL | __GFP_THISNODE, 0);
	KT_EQ(page_to_nid(p), 1);
	__free_pages(p, 0);
	mmsim_enter(m, 1);		/* CPU 1 is on node 1 */
	KT_EQ(numa_node_id(), 1);
	p = alloc_pages(GFP_KERNEL, 0);
	KT_EQ(page_to_nid(p), 1);
	__free_pages(p, 0);
	/* Exhaust node 1 with THISNODE; then a plain request falls back to node 0. */
	while (n < 200000 &&
	       (pages[n] = alloc_pages_node(1, GFP_KERNEL | __GFP_THISNODE | __GFP_NOWARN, 0)))
		n++;
	KT_ASSERT(n > 0);
	p = alloc_pages(GFP_KERNEL, 0);
	KT_ASSERT(p != NULL);
	KT_EQ(page_to_nid(p), 0);
	KT_ASSERT(global_numa_event_state(NUMA_MISS) >= 1);
	__free_pages(p, 0);
	while (n--)
		__free_pages(pages[n], 0);
	free(pages);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

static void test_vmstat_counters(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	unsigned long a0 = sum_vm_event(PGALLOC_DMA32), f0 = sum_vm_event(PGFREE);
	struct page *p = alloc_pages(GFP_KERNEL, 3);

	KT_EQ(sum_vm_event(PGALLOC_DMA32) - a0, 8);
	__free_pages(p, 3);
	KT_EQ(sum_vm_event(PGFREE) - f0, 8);
	KT_ASSERT(global_numa_event_state(NUMA_HIT) >= 1);
	mmsim_shutdown(m);
}

static void test_free_reserved_and_managed(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	unsigned long total = totalram_pages();

	mark_page_reserved(p);
	KT_EQ(totalram_pages(), total - 1);
	free_reserved_page(p);
	KT_EQ(totalram_pages(), total);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

static void test_init_on_alloc_free(void)
{
	struct mmsim *m = boot_or_die("ram=64M init_on_alloc=1 init_on_free=1");
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	unsigned char *a = page_address(p);

	KT_EQ(a[0], 0);
	memset(a, 0x5a, PAGE_SIZE);
	__free_pages(p, 0);
	KT_EQ(a[100], 0);		/* wiped on free */
	mmsim_shutdown(m);
}

static void test_isolation(void)
{
	struct mmsim *m = boot_or_die("ram=128M cpus=2");
	struct zone *z = zone_of(0, ZONE_DMA32);
	unsigned long free0, start = 0;
	struct page *p;

	drain_all_pages(NULL);
	free0 = nr_free_pages();
	/* Find a pageblock that is entirely free at the end of the zone. */
	for (unsigned long pfn = ALIGN_DOWN(zone_end_pfn(z) - 1, pageblock_nr_pages);
	     pfn > z->zone_start_pfn; pfn -= pageblock_nr_pages) {
		p = pfn_to_page(pfn);
		if (PageBuddy(p) && (1UL << p->private) >= pageblock_nr_pages) {
			start = pfn;
			break;
		}
	}
	KT_ASSERT(start != 0);
	KT_EQ(start_isolate_page_range(start, start + pageblock_nr_pages, MIGRATE_MOVABLE), 0);
	KT_EQ(get_pageblock_migratetype(pfn_to_page(start)), MIGRATE_ISOLATE);
	KT_EQ(free0 - nr_free_pages(), pageblock_nr_pages);	/* not free any more */
	KT_ASSERT(mm_allocator_is_valid());
	/* Nothing is ever allocated from it. */
	for (int i = 0; i < 2000; i++) {
		p = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
		KT_ASSERT(page_to_pfn(p) < start || page_to_pfn(p) >= start + pageblock_nr_pages);
		__free_pages(p, 0);
	}
	/* A block with a page in use cannot be isolated. */
	p = alloc_pages(GFP_KERNEL, 0);
	KT_EQ(start_isolate_page_range(page_to_pfn(p), page_to_pfn(p) + 1, MIGRATE_UNMOVABLE), -EBUSY);
	KT_ASSERT(get_pageblock_migratetype(p) != MIGRATE_ISOLATE);
	__free_pages(p, 0);
	undo_isolate_page_range(start, start + pageblock_nr_pages, MIGRATE_MOVABLE);
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), free0);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_split_and_merge);
	KT_RUN(test_exact_coalescing);
	KT_RUN(test_gfp_zones_x86_64);
	KT_RUN(test_gfp_zones_i386_highmem);
	KT_RUN(test_zero_and_content);
	KT_RUN(test_compound_and_refcounts);
	KT_RUN(test_exact_and_bulk);
	KT_RUN(test_double_free_reported);
	KT_RUN(test_wrong_order_reported);
	KT_RUN(test_reserved_free_reported);
	KT_RUN(test_failure_report);
	KT_RUN(test_atomic_reserves);
	KT_RUN(test_watermarks_formula);
	KT_RUN(test_min_free_kbytes_clamp);
	KT_RUN(test_fallback_steals_pageblock);
	KT_RUN(test_highatomic_reserve);
	KT_RUN(test_fail_page_alloc_param);
	KT_RUN(test_fail_page_alloc_interval_0);
	KT_RUN(test_thisnode_and_fallback);
	KT_RUN(test_vmstat_counters);
	KT_RUN(test_free_reserved_and_managed);
	KT_RUN(test_init_on_alloc_free);
	KT_RUN(test_isolation);
	KT_RUN(test_warn_alloc_ratelimit);
	return kt_done();
}
