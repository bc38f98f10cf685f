// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_page_alloc_mt.c - the page allocator under real concurrency:
 * one host thread per simulated CPU allocating and freeing, handing blocks
 * to each other so that pages allocated on one CPU are freed on another,
 * with drain_all_pages() from any of them.  Run under ThreadSanitizer by
 * `make test`.  At the end every page is back and every invariant holds.
 */
#include <pthread.h>
#include "mmtest.h"

#define NTHREADS 4
#define STEPS 20000
#define XCHG 256

struct xchg {
	pthread_mutex_t lock;
	struct page *page[XCHG];
	unsigned int order[XCHG];
	int n;
};

static struct mmsim *machine;
static struct xchg xq = { .lock = PTHREAD_MUTEX_INITIALIZER };
static atomic_int failures;

static void give(struct page *p, unsigned int order)
{
	pthread_mutex_lock(&xq.lock);
	if (xq.n < XCHG) {
		xq.page[xq.n] = p;
		xq.order[xq.n++] = order;
		p = NULL;
	}
	pthread_mutex_unlock(&xq.lock);
	if (p)
		__free_pages(p, order);
}

static bool take(struct page **p, unsigned int *order)
{
	bool got = false;

	pthread_mutex_lock(&xq.lock);
	if (xq.n) {
		*p = xq.page[--xq.n];
		*order = xq.order[xq.n];
		got = true;
	}
	pthread_mutex_unlock(&xq.lock);
	return got;
}

static void *worker(void *arg)
{
	int cpu = (int)(long)arg;
	uint64_t r = 0x1234567ULL * (uint64_t)(cpu + 1);
	struct page *mine[64];
	unsigned int orders[64];
	int n = 0;

	if (mmsim_enter(machine, cpu)) {
		atomic_fetch_add(&failures, 1);
		return NULL;
	}
	for (int i = 0; i < STEPS; i++) {
		unsigned int op;

		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		op = (unsigned int)(r % 100);
		if (op < 50 && n < 64) {
			unsigned int order = (r >> 8) % 4 == 0 ? (unsigned int)((r >> 16) % 6) : 0;
			struct page *p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

			if (p) {
				*(volatile char *)page_address(p) = (char)i;
				mine[n] = p;
				orders[n++] = order;
			}
		} else if (op < 80 && n) {
			n--;
			if (op & 1)
				give(mine[n], orders[n]);	/* freed on another CPU */
			else
				__free_pages(mine[n], orders[n]);
		} else if (op < 98) {
			struct page *p;
			unsigned int order;

			if (take(&p, &order))
				__free_pages(p, order);
		} else if (op == 99 && (r >> 20) % 8 == 0) {
			drain_all_pages(NULL);
		}
	}
	while (n--)
		__free_pages(mine[n], orders[n]);
	mmsim_leave();
	return NULL;
}

static void test_concurrent_alloc_free(void)
{
	pthread_t t[NTHREADS];
	unsigned long free0;
	struct page *p;
	unsigned int order;

	machine = boot_or_die("ram=128M cpus=4");
	drain_all_pages(NULL);
	free0 = nr_free_pages();
	mmsim_leave();
	for (long i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	KT_EQ(atomic_load(&failures), 0);
	mmsim_enter(machine, 0);
	while (take(&p, &order))
		__free_pages(p, order);
	drain_all_pages(NULL);
	KT_ASSERT(mm_allocator_is_valid());
	KT_EQ(nr_free_pages(), free0);
	mmsim_shutdown(machine);
}

/* A drain asked of a busy CPU happens at that CPU's next allocator call. */
static atomic_int phase;

static void *busy_cpu(void *arg)
{
	struct page *p;

	mmsim_enter(machine, 1);
	p = alloc_pages(GFP_KERNEL, 0);
	__free_pages(p, 0);		/* now on CPU 1's pcp list */
	atomic_store(&phase, 1);
	while (atomic_load(&phase) != 2)
		sched_yield();
	__free_pages(alloc_pages(GFP_KERNEL, 0), 0);	/* drains first */
	mmsim_leave();
	(void)arg;
	return NULL;
}

static void test_remote_drain_of_busy_cpu(void)
{
	struct zone *z;
	pthread_t t;

	machine = boot_or_die("ram=64M cpus=2");
	drain_all_pages(NULL);
	z = zone_of(0, ZONE_DMA32);
	pthread_create(&t, NULL, busy_cpu, NULL);
	while (atomic_load(&phase) != 1)
		sched_yield();
	drain_all_pages(NULL);
	KT_EQ(atomic_load(&z->per_cpu_pageset[1].drain_pending), 1);
	atomic_store(&phase, 2);
	pthread_join(t, NULL);
	KT_EQ(atomic_load(&z->per_cpu_pageset[1].drain_pending), 0);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(machine);
}

/*
 * Failures on every CPU at once: warn_alloc's rate limit is one per
 * machine (ten reports in all), every refused call is counted, and the
 * small log ring wraps under concurrent printks.
 */
#define FAILS 3000

static void *fail_worker(void *arg)
{
	long cpu = (long)arg;
	int failed = 0;

	mmsim_enter(machine, (int)cpu);
	for (int i = 0; i < FAILS; i++) {
		failed += !alloc_pages(GFP_NOWAIT, MAX_PAGE_ORDER);
		printk(KERN_INFO "cpu %ld line %d\n", cpu, i);
	}
	if (failed != FAILS)
		atomic_fetch_add(&failures, 1);
	mmsim_leave();
	return NULL;
}

static void test_concurrent_warn_alloc_ratelimit(void)
{
	struct page *pages[64];
	pthread_t t[NTHREADS];
	char want[64];
	int n = 0, reports = 0;
	size_t mark;
	char *log;

	machine = boot_or_die("ram=64M cpus=4 log_buf_len=64K");
	while (n < 64 && (pages[n] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, MAX_PAGE_ORDER)))
		n++;
	mark = log_mark(machine);
	mmsim_leave();
	atomic_store(&failures, 0);
	for (long i = 0; i < NTHREADS; i++)
		pthread_create(&t[i], NULL, fail_worker, (void *)i);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	KT_EQ(atomic_load(&failures), 0);
	mmsim_enter(machine, 0);
	KT_ASSERT(machine->log.bytes <= 64 * 1024);
	mmsim_advance_clock(machine, 6ULL * 1000000000ULL);
	KT_ASSERT(!alloc_pages(GFP_NOWAIT, MAX_PAGE_ORDER));
	log = log_since(machine, &mark);
	snprintf(want, sizeof(want), "] warn_alloc: %d callbacks suppressed\n",
		 NTHREADS * FAILS - DEFAULT_RATELIMIT_BURST);
	KT_STR_CONTAINS(log, want);
	KT_STR_CONTAINS(log, "page allocation failure: order:");
	for (const char *p = log; p && (p = strstr(p, "page allocation failure")); p++)
		reports++;
	KT_ASSERT(reports >= 1 && reports <= DEFAULT_RATELIMIT_BURST + 1);
	free(log);
	while (n--)
		__free_pages(pages[n], MAX_PAGE_ORDER);
	mmsim_shutdown(machine);
}

int main(void)
{
	KT_RUN(test_concurrent_alloc_free);
	KT_RUN(test_remote_drain_of_busy_cpu);
	KT_RUN(test_concurrent_warn_alloc_ratelimit);
	return kt_done();
}
