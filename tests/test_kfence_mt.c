// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_kfence_mt.c - KFENCE under concurrency: two CPUs allocate
 * and free kmalloc objects of mixed sizes while moving the virtual clock,
 * so the gate opens often and both take KFENCE objects, hold some, free
 * them on the other CPU.  No report may appear (correct code), every
 * byte written must read back, and kfence_is_valid and the allocator's
 * checkers hold at the end.  Run under TSan by the "threaded" label.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <mmsim/kfence.h>
#include <mmsim/slab.h>
#include "mmtest.h"

#ifdef CONFIG_KFENCE
#define ITERS	3000
#define HELD	32

static struct mmsim *m;
static void *shared[2][HELD];	/* each thread's held objects; the other frees them at the end */
static size_t shared_size[2][HELD];
static int bad[2];

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	unsigned int seed = 77u + (unsigned int)id;

	mmsim_enter(m, id);
	for (int i = 0; i < ITERS; i++) {
		int slot = i % HELD;
		size_t size;
		unsigned char *p;

		seed = seed * 1103515245u + 12345u;
		size = 8 + (seed >> 16) % 600;
		if (shared[id][slot]) {
			unsigned char *old = shared[id][slot];

			bad[id] += old[0] != (unsigned char)slot ||
				   old[shared_size[id][slot] - 1] != (unsigned char)slot;
			kfree(old);
		}
		mmsim_advance_clock(m, 1000000);	/* one interval: the gate opens */
		p = kmalloc(size, GFP_KERNEL);
		if (!p) {
			bad[id]++;
			continue;
		}
		memset(p, slot, size);
		shared[id][slot] = p;
		shared_size[id][slot] = size;
	}
	mmsim_leave();
	return NULL;
}

static void *freer(void *arg)
{
	int id = (int)(long)arg;

	if (mmsim_enter(m, id))
		return NULL;
	for (int s = 0; s < HELD; s++)
		kfree(shared[!id][s]);	/* the other CPU's objects */
	mmsim_leave();
	return NULL;
}

static void test_concurrent(void)
{
	pthread_t t[2];
	size_t mark;
	char *log, *stats;

	m = boot_or_die("ram=128M cpus=2 kfence.sample_interval=1");
	mark = log_mark(m);
	mmsim_leave();
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)i);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	for (long i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, freer, (void *)i);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	mmsim_enter(m, 0);
	KT_EQ(bad[0] + bad[1], 0);
	log = log_since(m, &mark);
	KT_ASSERT(!strstr(log, "KFENCE"));
	free(log);
	stats = mmsim_read(m, "/sys/kernel/debug/kfence/stats");
	KT_ASSERT(field(stats, "total allocations: ") > 100);
	/* The kernel's own allocations may hold a sampled object or two. */
	KT_EQ(field(stats, "currently allocated: "),
	      field(stats, "total allocations: ") - field(stats, "total frees: "));
	KT_EQ(field(stats, "total bugs: "), 0);
	free(stats);
	KT_ASSERT(kfence_is_valid(m));
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

#endif /* CONFIG_KFENCE */

int main(void)
{
#ifdef CONFIG_KFENCE
	KT_RUN(test_concurrent);
#endif
	return kt_done();
}
