// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_page_pcp.c - the per-CPU page lists: the order-0..3 fast
 * path and its statistics, bursts beyond pcp->high (drains to the buddy
 * lists), local and remote drains, mixed orders, and the invariants after
 * each: pcp->count equals what the lists hold (mm_allocator_is_valid),
 * pcp->count stays below high, and free pages on the buddy lists plus
 * those on the per-CPU lists add up to what was free before.
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

		KT_EQ(pcp->high, pcp->high_min);	/* not tuned (docs/design.md) */
		KT_ASSERT(pcp->high_max >= pcp->high_min);
		KT_ASSERT(pcp->count < pcp->high);
		KT_ASSERT(pcp->free_count >= 0 && pcp->free_count <= (pcp->batch << 4) + 8);
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
 * refill and overflow through the buddy lists, and nothing is lost.
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
	drain_local_pages(zone);
	KT_EQ(pcp->count, 0);
	KT_EQ(pcp->high, high_min);
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), free_before);
	KT_ASSERT(mm_allocator_is_valid());
	free(pages);
	mmsim_shutdown(m);
}

/*
 * A drain request (drain_pending, what drain_all_pages() leaves on a CPU
 * another thread is on) is honoured at the CPU's next allocation, on the
 * fast path's way in.
 */
static void test_drain_request(void)
{
	struct mmsim *m = boot_or_die("ram=128M cpus=2");
	struct per_cpu_pages *pcp1;
	struct page *pages[8], *p;
	struct zone *zone;

	KT_EQ(mmsim_enter(m, 1), 0);
	for (int i = 0; i < 8; i++)
		pages[i] = alloc_pages(GFP_KERNEL, 0);
	for (int i = 0; i < 8; i++)
		__free_pages(pages[i], 0);
	zone = page_zone(pages[0]);
	pcp1 = &zone->per_cpu_pageset[1];
	KT_ASSERT(pcp1->count > 0);
	atomic_store_explicit(&pcp1->drain_pending, 1, memory_order_release);
	p = alloc_pages(GFP_KERNEL, 0);	/* drains first, then refills */
	KT_ASSERT(p != NULL);
	KT_EQ(atomic_load(&pcp1->drain_pending), 0);
	KT_ASSERT(pcp1->count < pcp1->batch);
	__free_pages(p, 0);
	KT_ASSERT(mm_allocator_is_valid());
	KT_EQ(mmsim_enter(m, 0), 0);
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
	KT_RUN(test_drain_request);
	KT_RUN(test_mixed_orders);
	return kt_done();
}
