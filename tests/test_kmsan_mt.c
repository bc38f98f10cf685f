// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_kmsan_mt.c - kmsan=on with threads: CPUs allocate, write,
 * copy and free kmalloc objects and pages at once, and exchange objects
 * (one CPU frees what another allocated), so the hooks, the shared stack
 * depot and the reports run concurrently.  Each thread checks its own
 * objects' shadow against what it wrote; the checkers pass after.  Run
 * under TSan by `ctest -L threaded`.
 */
#include <pthread.h>
#include "mmtest.h"
#include <mmsim/kmsan.h>
#include <mmsim/slab.h>
#include <mmsim/gfp.h>

#ifdef CONFIG_KMSAN

#define NR_THREADS	2
#define ROUNDS		3000

static struct mmsim *m;
static void *exchange[NR_THREADS][64];	/* handed to the next thread, under xlock */
static pthread_mutex_t xlock = PTHREAD_MUTEX_INITIALIZER;
static int errors[NR_THREADS];

static void *worker(void *arg)
{
	int id = (int)(intptr_t)arg;
	unsigned int seed = 17u + (unsigned int)id;

	if (mmsim_enter(m, id)) {
		errors[id]++;
		return NULL;
	}
	for (int r = 0; r < ROUNDS; r++) {
		size_t size = 8 + (size_t)rand_r(&seed) % 500;
		size_t w = (size_t)rand_r(&seed) % size;
		char *p = kmalloc(size, GFP_KERNEL);
		char *q = kmalloc(size, GFP_KERNEL);
		void *old;

		if (!p || !q) {
			errors[id]++;
			break;
		}
		memset(p, 1, w);
		kmsan_instrumented_store(p, w);		/* bytes [0, w) written */
		memcpy(q, p, size);
		kmsan_instrumented_memmove(q, p, size);
		if ((w && kmsan_is_poisoned(q + w - 1)) || !kmsan_is_poisoned(q + w))
			errors[id]++;
		if (r % 500 == 0)
			kmsan_check_memory(q, size);	/* reports concurrently */
		kfree(p);
		if (r % 7 == 0) {
			struct page *pg = alloc_page(GFP_KERNEL);

			if (pg)
				__free_page(pg);
		}
		/* hand q to the other thread, free what it handed us */
		pthread_mutex_lock(&xlock);
		old = exchange[0][(r * 7 + id) % 64];	/* either thread's object */
		exchange[0][(r * 7 + id) % 64] = q;
		pthread_mutex_unlock(&xlock);
		kfree(old);
	}
	mmsim_leave();
	return NULL;
}

static void test_concurrent(void)
{
	pthread_t t[NR_THREADS];

	for (int i = 0; i < NR_THREADS; i++)
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
	for (int i = 0; i < NR_THREADS; i++)
		pthread_join(t[i], NULL);
	for (int i = 0; i < NR_THREADS; i++)
		KT_EQ(errors[i], 0);
	KT_ASSERT(mmsim_enter(m, 0) == 0);
	for (int i = 0; i < NR_THREADS; i++)
		for (int j = 0; j < 64; j++)
			kfree(exchange[i][j]);
	KT_ASSERT(kmsan_nr_reports() >= 1);
	KT_ASSERT(kmsan_is_valid());
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_leave();
}
#endif

int main(void)
{
#ifdef CONFIG_KMSAN
	m = boot_or_die("arch=x86_64 ram=128M cpus=2 kmsan=on");
	mmsim_leave();
	KT_RUN(test_concurrent);
	mmsim_enter(m, 0);
	mmsim_shutdown(m);
#endif
	return kt_done();
}
