// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_kswapd.c - kswapd (mm/kswapd.c): woken by the allocator
 * when every eligible zone is below its low watermark, one
 * balance_pgdat pass per run (pageoutrun), the short sleep of HZ/10 and
 * the counters it decides (kswapd_low/high_wmark_hit_quickly), the long
 * sleep, the hopeless node after MAX_RECLAIM_RETRIES passes that
 * reclaimed nothing (node_unreclaimable in /proc/zoneinfo), the
 * root's memory.reclaim syntax, and determinism.  kswapd_is_valid()
 * after every step.
 */
#include <mmsim/swap.h>
#include "mmtest.h"

unsigned long kswapd_runs(int nid);
unsigned long kswapd_wakeups(int nid);
bool kswapd_is_sleeping(int nid);
bool kswapd_is_valid(struct mmsim *m);
int memory_reclaim_write(const char *text);

#define MS	1000000ull

static long vmstat_of(struct mmsim *m, const char *name)
{
	char *text = mmsim_read(m, "/proc/vmstat");
	char label[64];
	long long v;

	snprintf(label, sizeof(label), "%s ", name);
	v = field(text, label);
	free(text);
	return (long)v;
}

struct hog {
	struct page **pages;
	unsigned long nr, cap;
};

/* Take order-0 kernel pages until the allocator had to wake kswapd
 * (every zone of the node below low), plus @extra more. */
static void hog_until_wake(struct hog *h, unsigned long extra)
{
	unsigned long w0 = kswapd_wakeups(0);

	if (!h->pages) {
		h->cap = totalram_pages() + 16;
		h->pages = calloc(h->cap, sizeof(*h->pages));
	}
	while (h->nr < h->cap) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, 0);

		if (!p)
			break;
		h->pages[h->nr++] = p;
		if (kswapd_wakeups(0) != w0) {
			if (!extra)
				break;
			extra--;
		}
	}
}

static void hog_free(struct hog *h, unsigned long keep)
{
	while (h->nr > keep)
		__free_pages(h->pages[--h->nr], 0);
	drain_all_pages(NULL);
}

/* The sleep logic without watermark boosts (the hog's unmovable pages
 * fall back into movable blocks and would boost the watermarks). */
static struct mmsim *boot_noboost(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");

	KT_EQ(mmsim_write(m, "/proc/sys/vm/watermark_boost_factor", "0"), 0);
	return m;
}

static long zoneinfo_unreclaimable(struct mmsim *m)
{
	char *text = mmsim_read(m, "/proc/zoneinfo");
	const char *p = strstr(text, "node_unreclaimable:");
	long v = p ? strtol(p + strlen("node_unreclaimable:"), NULL, 10) : -1;

	free(text);
	return v;
}

/* A balanced node: kswapd woken, finds it balanced, short sleep, long sleep. */
static void test_wake_balanced_sleep(void)
{
	struct mmsim *m = boot_noboost();
	struct hog h = { 0 };
	long runs0 = vmstat_of(m, "pageoutrun");

	KT_ASSERT(kswapd_is_sleeping(0));
	KT_EQ(zoneinfo_unreclaimable(m), 0);
	hog_until_wake(&h, 0);
	KT_ASSERT(!kswapd_is_sleeping(0));
	KT_ASSERT(kswapd_is_valid(m));
	/* Give the memory back before kswapd runs: it finds the node balanced. */
	hog_free(&h, 0);
	mmsim_advance_clock(m, 0);
	KT_EQ(vmstat_of(m, "pageoutrun") - runs0, 1);
	KT_EQ(kswapd_runs(0), 1);
	KT_ASSERT(!kswapd_is_sleeping(0));	/* the short sleep */
	KT_ASSERT(kswapd_is_valid(m));
	KT_EQ(NODE_DATA(0)->kswapd_failures, 0);
	mmsim_advance_clock(m, 50 * MS);
	KT_ASSERT(!kswapd_is_sleeping(0));
	mmsim_advance_clock(m, 60 * MS);	/* HZ/10 passed: the long sleep */
	KT_ASSERT(kswapd_is_sleeping(0));
	KT_ASSERT(kswapd_is_valid(m));
	KT_EQ(vmstat_of(m, "kswapd_low_wmark_hit_quickly"), 0);
	KT_EQ(vmstat_of(m, "kswapd_high_wmark_hit_quickly"), 0);
	KT_EQ(vmstat_of(m, "pageoutrun") - runs0, 1);
	free(h.pages);
	mmsim_shutdown(m);
}

/* A wakeup during the short sleep: kswapd_low_wmark_hit_quickly. */
static void test_low_wmark_hit_quickly(void)
{
	struct mmsim *m = boot_noboost();
	struct hog h = { 0 };

	hog_until_wake(&h, 0);
	hog_free(&h, 0);
	mmsim_advance_clock(m, 0);		/* balanced: short sleep */
	KT_ASSERT(!kswapd_is_sleeping(0));
	hog_until_wake(&h, 4);			/* low again within 100 ms */
	KT_ASSERT(kswapd_is_valid(m));
	hog_free(&h, 0);
	mmsim_advance_clock(m, 0);		/* woken: counts and runs a pass */
	KT_EQ(vmstat_of(m, "kswapd_low_wmark_hit_quickly"), 1);
	KT_EQ(kswapd_runs(0), 2);
	mmsim_advance_clock(m, 200 * MS);
	KT_ASSERT(kswapd_is_sleeping(0));
	KT_ASSERT(kswapd_is_valid(m));
	free(h.pages);
	mmsim_shutdown(m);
}

/*
 * Kernel pages nobody can reclaim: every pass reclaims nothing, kswapd
 * goes again (kswapd_high_wmark_hit_quickly) until MAX_RECLAIM_RETRIES
 * failures make the node hopeless; then it sleeps and wakeups are refused.
 */
static void test_hopeless_node(void)
{
	struct mmsim *m = boot_noboost();
	struct hog h = { 0 };
	int i;

	hog_until_wake(&h, 8);
	/* Passes that reclaim little (what little page cache the boot left
	 * may still go) until MAX_RECLAIM_RETRIES passes reclaimed nothing. */
	for (i = 0; i < 200 && NODE_DATA(0)->kswapd_failures < MAX_RECLAIM_RETRIES; i++) {
		mmsim_advance_clock(m, 0);
		KT_ASSERT(kswapd_is_valid(m));
	}
	KT_EQ(NODE_DATA(0)->kswapd_failures, MAX_RECLAIM_RETRIES);
	KT_ASSERT(kswapd_runs(0) >= MAX_RECLAIM_RETRIES);
	KT_EQ(vmstat_of(m, "pageoutrun"), (long)kswapd_runs(0));
	KT_EQ(vmstat_of(m, "kswapd_high_wmark_hit_quickly"), (long)kswapd_runs(0) - 1);
	KT_EQ(zoneinfo_unreclaimable(m), 1);
	mmsim_advance_clock(m, 200 * MS);
	KT_ASSERT(kswapd_is_sleeping(0));
	/* A hopeless node is left to direct reclaim: wakeups are refused. */
	{
		unsigned long w0 = kswapd_wakeups(0);

		wakeup_kswapd(zone_of(0, ZONE_DMA32), GFP_KERNEL, 0, ZONE_NORMAL);
		KT_EQ(kswapd_wakeups(0), w0);
		KT_ASSERT(kswapd_is_sleeping(0));
	}
	KT_ASSERT(kswapd_is_valid(m));
	hog_free(&h, 0);
	free(h.pages);
	mmsim_shutdown(m);
}

/*
 * Watermark boost: unmovable allocations that steal from movable
 * pageblocks boost the zone's watermarks and wake kswapd even though the
 * node is balanced; kswapd's pass reclaims the boost (here nothing is
 * reclaimable: it gives up without looping) and resets it.
 */
static void test_watermark_boost(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	struct zone *boosted = NULL;
	struct page **pages = calloc(totalram_pages(), sizeof(*pages));
	unsigned long n = 0, w0 = kswapd_wakeups(0);
	long runs0 = vmstat_of(m, "pageoutrun");
	char *zi;

	while (!boosted && n < totalram_pages()) {
		struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY, 0);

		if (!p)
			break;
		pages[n++] = p;
		for (int z = 0; z < MAX_NR_ZONES; z++)
			if (zone_of(0, z)->watermark_boost)
				boosted = zone_of(0, z);
	}
	KT_ASSERT(boosted);
	KT_ASSERT(boosted->watermark_boost >= pageblock_nr_pages);
	KT_ASSERT(boosted->watermark_boost <=
		  max(pageblock_nr_pages, boosted->_watermark[WMARK_HIGH] * 15000 / 10000));
	/* rmqueue saw ZONE_BOOSTED_WATERMARK: kswapd woken on a balanced node. */
	KT_ASSERT(!(boosted->flags & (1UL << ZONE_BOOSTED_WATERMARK)));
	KT_ASSERT(kswapd_wakeups(0) > w0);
	while (n)
		__free_pages(pages[--n], 0);
	drain_all_pages(NULL);
	mmsim_advance_clock(m, 0);
	KT_ASSERT(vmstat_of(m, "pageoutrun") > runs0);
	KT_EQ(boosted->watermark_boost, 0);
	zi = mmsim_read(m, "/proc/zoneinfo");
	KT_ASSERT(strstr(zi, "boost    0"));
	free(zi);
	mmsim_advance_clock(m, 200 * MS);
	KT_ASSERT(kswapd_is_sleeping(0));
	KT_ASSERT(kswapd_is_valid(m));
	free(pages);
	mmsim_shutdown(m);
}

/* current_is_kswapd() only inside kswapd's pass; not for the test thread. */
static void test_current_is_kswapd(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");

	KT_ASSERT(!current_is_kswapd());
	KT_ASSERT(!current_in_memalloc());
	mmsim_shutdown(m);
}

/* The root's memory.reclaim: Linux's "SIZE [swappiness=N]" syntax. */
static void test_memory_reclaim_syntax(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	int r;

	KT_EQ(mmsim_write(m, "/sys/fs/cgroup/memory.reclaim", ""), -EINVAL);
	KT_EQ(mmsim_write(m, "/sys/fs/cgroup/memory.reclaim", "abc"), -EINVAL);
	KT_EQ(mmsim_write(m, "/sys/fs/cgroup/memory.reclaim", "1M swappiness=201"), -EINVAL);
	KT_EQ(mmsim_write(m, "/sys/fs/cgroup/memory.reclaim", "1M swappiness=-1"), -EINVAL);
	KT_EQ(mmsim_write(m, "/sys/fs/cgroup/memory.reclaim", "1M swappiness="), -EINVAL);
	KT_EQ(mmsim_write(m, "/sys/fs/cgroup/memory.reclaim", "1M foo=1"), -EINVAL);
	KT_EQ(mmsim_write(m, "/sys/fs/cgroup/memory.reclaim", "0"), 0);
	KT_ASSERT(!mmsim_read(m, "/sys/fs/cgroup/memory.reclaim"));	/* write-only */
	/* Nothing reclaimable in a fresh machine at 1G: -EAGAIN after the retries. */
	r = mmsim_write(m, "/sys/fs/cgroup/memory.reclaim", "1G swappiness=0");
	KT_ASSERT(r == -EAGAIN || r == 0);
	mmsim_shutdown(m);
}

/* Two runs of the same steps: the same counters. */
static void run_once(long *out)
{
	struct mmsim *m = boot_noboost();
	struct hog h = { 0 };

	hog_until_wake(&h, 3);
	for (int i = 0; i < 5; i++)
		mmsim_advance_clock(m, 30 * MS);
	hog_free(&h, h.nr / 2);
	mmsim_advance_clock(m, 300 * MS);
	out[0] = vmstat_of(m, "pageoutrun");
	out[1] = vmstat_of(m, "kswapd_high_wmark_hit_quickly");
	out[2] = vmstat_of(m, "kswapd_low_wmark_hit_quickly");
	out[3] = NODE_DATA(0)->kswapd_failures;
	hog_free(&h, 0);
	free(h.pages);
	mmsim_shutdown(m);
}

static void test_determinism(void)
{
	long a[4], b[4];

	run_once(a);
	run_once(b);
	for (int i = 0; i < 4; i++)
		KT_EQ_WHAT(a[i], b[i], "counter %d", i);
	KT_ASSERT(a[0] >= 1);
}

int main(void)
{
	KT_RUN(test_wake_balanced_sleep);
	KT_RUN(test_low_wmark_hit_quickly);
	KT_RUN(test_hopeless_node);
	KT_RUN(test_watermark_boost);
	KT_RUN(test_current_is_kswapd);
	KT_RUN(test_memory_reclaim_syntax);
	KT_RUN(test_determinism);
	return kt_done();
}
