// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_debug_pagealloc_mt.c - debug_pagealloc=on and page_poison=on
 * with two CPUs allocating and freeing pages of orders 0..2 at once
 * (neighbouring blocks mapped and unmapped concurrently: the run count
 * and the host's protections must stay in step, mm/debug_page_alloc.c's
 * lock).  Every block's bytes are checked before its free; no poison
 * report may appear; mm_allocator_is_valid and debug_pagealloc_is_valid
 * hold at the end.  Run under TSan by the "threaded" label.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <mmsim/kfence.h>
#include "mmtest.h"

#if defined(CONFIG_DEBUG_PAGEALLOC) && defined(CONFIG_PAGE_POISONING)
#define ITERS	1500
#define HELD	16

static struct mmsim *m;
static int bad[2];

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	struct page *held[HELD] = { NULL };
	unsigned int order[HELD];
	unsigned int seed = 99u + (unsigned int)id;

	if (mmsim_enter(m, id))
		return NULL;
	for (int i = 0; i < ITERS; i++) {
		int slot = i % HELD;

		seed = seed * 1103515245u + 12345u;
		if (held[slot]) {
			const unsigned char *b = page_address(held[slot]);

			bad[id] += b[0] != (unsigned char)slot ||
				   b[(PAGE_SIZE << order[slot]) - 1] != (unsigned char)slot;
			__free_pages(held[slot], order[slot]);
		}
		order[slot] = (seed >> 16) % 3;
		held[slot] = alloc_pages(GFP_KERNEL, order[slot]);
		if (held[slot])
			memset(page_address(held[slot]), slot, PAGE_SIZE << order[slot]);
	}
	for (int s = 0; s < HELD; s++)
		if (held[s])
			__free_pages(held[s], order[s]);
	mmsim_leave();
	return NULL;
}

static void test_concurrent(void)
{
	pthread_t t[2];
	size_t mark;
	char *log;

	m = boot_or_die("ram=64M cpus=2 debug_pagealloc=on page_poison=on");
	mark = log_mark(m);
	mmsim_leave();
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	mmsim_enter(m, 0);
	KT_EQ(bad[0] + bad[1], 0);
	log = log_since(m, &mark);
	KT_ASSERT(!strstr(log, "pagealloc:"));
	KT_ASSERT(!strstr(log, "BUG"));
	free(log);
	drain_all_pages(NULL);
	KT_ASSERT(mm_allocator_is_valid());
	KT_ASSERT(debug_pagealloc_is_valid(m));
	mmsim_shutdown(m);
}
#endif

int main(void)
{
#if defined(CONFIG_DEBUG_PAGEALLOC) && defined(CONFIG_PAGE_POISONING)
	KT_RUN(test_concurrent);
#endif
	return kt_done();
}
