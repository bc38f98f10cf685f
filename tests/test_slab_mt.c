// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_slab_mt.c - the slab allocator under real concurrency (run
 * under ThreadSanitizer by `make test`): producers allocate on their CPUs
 * and hand objects through single-producer/single-consumer rings to
 * consumers that free them on other CPUs (SLUB's lock-free remote free),
 * while mixers allocate and free locally.  Afterwards every cache must
 * pass slab_is_valid() and give all its memory back on shrink.  Objects a
 * consumer frees fill its sheaves, which reach the producers through the
 * node's barn.  A second test shrinks a cache while another thread is
 * busy in it: that CPU is asked to flush and does so on its slow path.
 */
#include <pthread.h>
#include <stdint.h>
#include "slab_test.h"

#define RING	1024
#define PER_PRODUCER 60000

struct ring {
	_Atomic unsigned long head, tail;	/* producer writes head, consumer tail */
	void *slot[RING];
	_Atomic int done;
};

static struct mmsim *m;
static struct kmem_cache *cache;
static struct ring rings[2];
static atomic_int errors;

static uint64_t xs(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static void ring_push(struct ring *r, void *p)
{
	unsigned long h = atomic_load_explicit(&r->head, memory_order_relaxed);

	while (h - atomic_load_explicit(&r->tail, memory_order_acquire) >= RING)
		sched_yield();
	r->slot[h % RING] = p;
	atomic_store_explicit(&r->head, h + 1, memory_order_release);
}

static void *ring_pop(struct ring *r)
{
	unsigned long t = atomic_load_explicit(&r->tail, memory_order_relaxed);
	void *p;

	while (t == atomic_load_explicit(&r->head, memory_order_acquire)) {
		if (atomic_load_explicit(&r->done, memory_order_acquire) &&
		    t == atomic_load_explicit(&r->head, memory_order_acquire))
			return NULL;
		sched_yield();
	}
	p = r->slot[t % RING];
	atomic_store_explicit(&r->tail, t + 1, memory_order_release);
	return p;
}

static void *producer(void *arg)
{
	int id = (int)(intptr_t)arg;
	uint64_t x = 0x9E3779B97F4A7C15ULL * (uint64_t)(id + 1);

	if (mmsim_enter(m, id)) {
		atomic_fetch_add(&errors, 1);
		return NULL;
	}
	for (int i = 0; i < PER_PRODUCER; i++) {
		void *p;

		if (xs(&x) & 1) {
			p = kmem_cache_alloc(cache, GFP_KERNEL);
			*(uint64_t *)p = 0xC0FFEE00u + (uint64_t)id;
		} else {
			size_t size = 8 + xs(&x) % 2000;

			p = kmalloc(size, GFP_KERNEL);
			memset(p, 0xab, size);
		}
		ring_push(&rings[id], p);
	}
	atomic_store_explicit(&rings[id].done, 1, memory_order_release);
	mmsim_leave();
	return NULL;
}

static void *consumer(void *arg)
{
	int id = (int)(intptr_t)arg;
	struct ring *r = &rings[id - 2];
	void *p;

	if (mmsim_enter(m, id)) {
		atomic_fetch_add(&errors, 1);
		return NULL;
	}
	while ((p = ring_pop(r))) {
		struct slab *slab = virt_to_slab(p);

		if (slab && slab->slab_cache == cache) {
			if (*(uint64_t *)p != 0xC0FFEE00u + (uint64_t)(id - 2))
				atomic_fetch_add(&errors, 1);
			kmem_cache_free(cache, p);
		} else {
			kfree(p);
		}
	}
	mmsim_leave();
	return NULL;
}

static void *mixer(void *arg)
{
	int id = (int)(intptr_t)arg;
	uint64_t x = 12345 + (uint64_t)id;
	void *live[256] = { 0 };

	if (mmsim_enter(m, id)) {
		atomic_fetch_add(&errors, 1);
		return NULL;
	}
	for (int i = 0; i < 100000; i++) {
		int k = (int)(xs(&x) % 256);

		if (live[k]) {
			kfree(live[k]);
			live[k] = NULL;
		} else {
			live[k] = kmalloc(8 + xs(&x) % 512, GFP_KERNEL);
		}
	}
	for (int k = 0; k < 256; k++)
		kfree(live[k]);
	mmsim_leave();
	return NULL;
}

static void test_producer_consumer(void)
{
	pthread_t t[5];
	unsigned long before;

	cache = kmem_cache_create("mt_cache", 96, 0, SLAB_NO_MERGE, NULL);
	before = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	mmsim_leave();
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, producer, (void *)(intptr_t)i);
	for (int i = 2; i < 4; i++)
		pthread_create(&t[i], NULL, consumer, (void *)(intptr_t)i);
	pthread_create(&t[4], NULL, mixer, (void *)(intptr_t)4);
	for (int i = 0; i < 5; i++)
		pthread_join(t[i], NULL);
	KT_EQ(mmsim_enter(m, 0), 0);
	KT_EQ(atomic_load(&errors), 0);
	KT_ASSERT(slab_is_valid(cache));
	for (int i = 3; i <= 11; i++)
		KT_ASSERT(slab_is_valid(kmalloc_slab(1UL << i, GFP_KERNEL)));
	kmem_cache_shrink(cache);
	KT_EQ(active_objs(cache), 0);
	kmem_cache_shrink_all();
	(void)before;
	kmem_cache_destroy(cache);
	KT_ASSERT(find_kmem_cache("mt_cache") == NULL);
}

static atomic_int busy_stop;

static void *busy_worker(void *arg)
{
	void *live[200] = { 0 };
	uint64_t x = 777;

	(void)arg;
	if (mmsim_enter(m, 1)) {
		atomic_fetch_add(&errors, 1);
		return NULL;
	}
	while (!atomic_load(&busy_stop)) {
		int k = (int)(xs(&x) % 200);

		if (live[k]) {
			kmem_cache_free(cache, live[k]);
			live[k] = NULL;
		} else {
			live[k] = kmem_cache_alloc(cache, GFP_KERNEL);
		}
	}
	for (int k = 0; k < 200; k++)
		if (live[k])
			kmem_cache_free(cache, live[k]);
	mmsim_leave();
	return NULL;
}

static void test_shrink_while_busy(void)
{
	pthread_t t;

	cache = kmem_cache_create("mt_busy", 200, 0, SLAB_NO_MERGE, NULL);
	pthread_create(&t, NULL, busy_worker, NULL);
	for (int i = 0; i < 200; i++) {
		void *p = kmem_cache_alloc(cache, GFP_KERNEL);

		kmem_cache_shrink(cache);
		kmem_cache_free(cache, p);
	}
	atomic_store(&busy_stop, 1);
	pthread_join(t, NULL);
	KT_EQ(atomic_load(&errors), 0);
	KT_ASSERT(slab_is_valid(cache));
	kmem_cache_shrink(cache);	/* CPU 1 is free now: flushed from here */
	KT_EQ(active_objs(cache), 0);
	kmem_cache_destroy(cache);
}

int main(void)
{
	m = boot_or_die("ram=1G cpus=5");
	KT_RUN(test_producer_consumer);
	KT_RUN(test_shrink_while_busy);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
	return kt_done();
}
