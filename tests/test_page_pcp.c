// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_page_pcp.c - the per-CPU page lists: the order-0 fast path
 * and its statistics, bursts beyond pcp->high (drains to the buddy lists,
 * high tuned between high_min and high_max), ZONE_BELOW_HIGH shrinking
 * the cache, drains resetting the tuning, and the invariants after each:
 * pcp->count equals what the lists hold (mm_allocator_is_valid), high
 * stays within its bounds, and free pages on the buddy lists plus those
 * on the per-CPU lists add up to what was free before.
 */
#include "mmtest.h"

/* Pages on every CPU's lists of @zone. */
static long pcp_pages(struct zone *zone)
{
	long n = 0;

	for (int cpu = 0; cpu < M()->nr_cpus; cpu++)
		n += READ_ONCE(zone->per_cpu_pageset[cpu].count);
	return n;
}

static void check_high_bounds(struct zone *zone)
{
	for (int cpu = 0; cpu < M()->nr_cpus; cpu++) {
		struct per_cpu_pages *pcp = &zone->per_cpu_pageset[cpu];

		KT_ASSERT(pcp->high >= pcp->high_min);
		KT_ASSERT(pcp->high <= pcp->high_max);
		KT_ASSERT(pcp->free_count >= 0 &&
			  pcp->free_count <= (pcp->batch << PCP_BATCH_SCALE_MAX) + 8);
	}
}

static unsigned long event(enum vm_event_item item)
{
	return current_cpu->vm_events[item];
}

/* The fast path counts what the zonelist walk counts, page for page. */
static void test_fast_path_stats(void)
{
	struct mmsim *m = boot_or_die("ram=128M cpus=1");
	struct zone *zone;
	unsigned long alloc0, free0, hit0;
	struct page *page;

	page = alloc_pages(GFP_KERNEL, 0);	/* fills the list */
	KT_ASSERT(page != NULL);
	zone = page_zone(page);
	__free_pages(page, 0);
	alloc0 = event(PGALLOC_DMA + zone_idx(zone));
	free0 = event(PGFREE);
	hit0 = zone->per_cpu_pageset[0].numa_events[NUMA_HIT];
	for (int i = 0; i < 100; i++) {
		page = alloc_pages(GFP_KERNEL, 0);
		KT_ASSERT(page != NULL);
		KT_EQ(page_ref_count(page), 1);
		KT_ASSERT(!PageBuddy(page));
		__free_pages(page, 0);
	}
	KT_EQ(event(PGALLOC_DMA + zone_idx(zone)) - alloc0, 100);
	KT_EQ(event(PGFREE) - free0, 100);
	KT_EQ(zone->per_cpu_pageset[0].numa_events[NUMA_HIT] - hit0, 100);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

/*
 * A burst of allocations and frees several times pcp->high: the lists
 * overflow into the buddy lists, high grows to hold a run of frees, and
 * nothing is lost.  A drain puts high back to high_min.
 */
static void test_burst_beyond_high(void)
{
	struct mmsim *m = boot_or_die("ram=256M cpus=2");
	struct zone *zone;
	struct per_cpu_pages *pcp;
	unsigned long free_before;
	struct page **pages;
	int n, high_min;

	drain_all_pages(NULL);
	free_before = nr_free_pages();
	pages = calloc(1, sizeof(*pages));
	pages[0] = alloc_pages(GFP_KERNEL, 0);
	zone = page_zone(pages[0]);
	__free_pages(pages[0], 0);
	free(pages);
	pcp = &zone->per_cpu_pageset[0];
	high_min = pcp->high_min;
	KT_ASSERT(pcp->high_max > high_min);	/* tuning is on by default */
	n = 3 * pcp->high_max / 2;
	if (n > 20000)
		n = 20000;
	if (n < 4 * high_min)
		n = 4 * high_min;
	pages = calloc((size_t)n, sizeof(*pages));
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < n; i++) {
			pages[i] = alloc_pages(GFP_KERNEL, 0);
			KT_ASSERT(pages[i] != NULL);
		}
		check_high_bounds(zone);
		KT_ASSERT(mm_allocator_is_valid());
		for (int i = 0; i < n; i++)
			__free_pages(pages[i], 0);
		check_high_bounds(zone);
		/* Beyond high the frees went to the buddy lists. */
		KT_ASSERT(pcp->count <= pcp->high);
		KT_ASSERT(mm_allocator_is_valid());
		/* Buddy lists plus per-CPU lists: everything is free again. */
		KT_EQ(nr_free_pages() + (unsigned long)pcp_pages(zone), free_before);
	}
	/* The run of frees raised high above high_min. */
	KT_ASSERT(pcp->high > high_min);
	drain_local_pages(zone);
	KT_EQ(pcp->count, 0);
	KT_EQ(pcp->high, high_min);
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), free_before);
	KT_ASSERT(mm_allocator_is_valid());
	free(pages);
	mmsim_shutdown(m);
}

/* A burst smaller than high_max stays on the per-CPU list once high has grown. */
static void test_burst_absorbed(void)
{
	struct mmsim *m = boot_or_die("ram=256M cpus=1");
	enum { N = 1000 };
	static struct page *pages[N];
	struct per_cpu_pages *pcp;
	struct zone *zone;
	unsigned long free_mid;

	for (int round = 0; round < 4; round++) {
		for (int i = 0; i < N; i++)
			pages[i] = alloc_pages(GFP_KERNEL, 0);
		for (int i = 0; i < N; i++)
			__free_pages(pages[i], 0);
	}
	zone = page_zone(pages[0]);
	pcp = &zone->per_cpu_pageset[0];
	KT_ASSERT(pcp->high_max >= N + pcp->batch);
	KT_ASSERT(pcp->count >= N);
	/* Now a round never reaches the buddy lists. */
	free_mid = nr_free_pages();
	for (int i = 0; i < N; i++)
		pages[i] = alloc_pages(GFP_KERNEL, 0);
	KT_EQ(nr_free_pages(), free_mid);
	for (int i = 0; i < N; i++)
		__free_pages(pages[i], 0);
	KT_EQ(nr_free_pages(), free_mid);
	check_high_bounds(zone);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

/*
 * Below the high watermark (ZONE_BELOW_HIGH), frees shrink pcp->high back
 * towards high_min and a drain that finds the zone above high again
 * clears the flag.
 */
static void test_below_high_shrinks(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	unsigned long nfree, n = 0;
	struct page **pages;
	struct per_cpu_pages *pcp;
	struct zone *zone;
	int grown;

	drain_all_pages(NULL);
	nfree = nr_free_pages();
	pages = calloc(nfree + 1, sizeof(*pages));
	/* Grow high with bursts while memory is plentiful. */
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 1500; i++)
			pages[i] = alloc_pages(GFP_KERNEL, 0);
		for (int i = 0; i < 1500; i++)
			__free_pages(pages[i], 0);
	}
	zone = page_zone(pages[0]);
	pcp = &zone->per_cpu_pageset[0];
	grown = pcp->high;
	KT_ASSERT(grown > pcp->high_min);
	KT_ASSERT(!test_zone_flag(zone, ZONE_BELOW_HIGH));
	/* Take the zone below its high watermark. */
	while (zone_page_state(zone, NR_FREE_PAGES) + (unsigned long)pcp->count >
	       high_wmark_pages(zone) / 2) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, 0);

		if (!p)
			break;
		KT_ASSERT(n < nfree);
		pages[n++] = p;
	}
	KT_ASSERT(test_zone_flag(zone, ZONE_BELOW_HIGH));
	/* Frees now shrink high; it never leaves its bounds. */
	for (unsigned long i = 0; i < n / 2; i++)
		__free_pages(pages[i], 0);
	check_high_bounds(zone);
	KT_ASSERT(pcp->high < grown);
	for (unsigned long i = n / 2; i < n; i++)
		__free_pages(pages[i], 0);
	check_high_bounds(zone);
	KT_ASSERT(mm_allocator_is_valid());
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), nfree);
	free(pages);
	mmsim_shutdown(m);
}

/* Mixed orders 0..3 through the per-CPU lists, checked as they go. */
static void test_mixed_orders(void)
{
	struct mmsim *m = boot_or_die("ram=128M cpus=1");
	enum { SLOTS = 256, STEPS = 20000 };
	static struct page *live[SLOTS];
	static unsigned int order[SLOTS];
	unsigned long free_before;
	uint64_t x = 1;

	drain_all_pages(NULL);
	free_before = nr_free_pages();
	for (int i = 0; i < SLOTS; i++) {
		order[i] = (unsigned int)(i % 4);
		live[i] = alloc_pages(GFP_KERNEL, order[i]);
		KT_ASSERT(live[i] != NULL);
	}
	for (int k = 0; k < STEPS; k++) {
		int s;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		s = (int)(x % SLOTS);
		__free_pages(live[s], order[s]);
		order[s] = (unsigned int)((x >> 20) % 4);
		live[s] = alloc_pages(GFP_KERNEL, order[s]);
		KT_ASSERT(live[s] != NULL);
		KT_EQ(page_to_pfn(live[s]) & ((1UL << order[s]) - 1), 0);
		if (k % 5000 == 0)
			KT_ASSERT(mm_allocator_is_valid());
	}
	for (int i = 0; i < SLOTS; i++)
		__free_pages(live[i], order[i]);
	KT_ASSERT(mm_allocator_is_valid());
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), free_before);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_fast_path_stats);
	KT_RUN(test_burst_beyond_high);
	KT_RUN(test_burst_absorbed);
	KT_RUN(test_below_high_shrinks);
	KT_RUN(test_mixed_orders);
	return kt_done();
}
