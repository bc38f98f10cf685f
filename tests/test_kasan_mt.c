// SPDX-License-Identifier: GPL-2.0
/*
 * test_kasan_mt - KASAN with several CPUs at once (mm/kasan/, docs/kasan.md).
 *
 * Two threads, each on its own CPU of a kasan=on machine, allocate
 * kmalloc objects of random sizes, fill them, and swap them through a
 * shared array of slots, so that about half the frees are of the other
 * CPU's objects: the quarantine (one lock), the shadow writes of alloc
 * and free, and the slab layer's remote frees run concurrently.  Every
 * object is checked for its owner's pattern and its exact shadow before
 * it is freed.  No KASAN report may appear, and after a drain the
 * invariant checkers pass.  Run under ThreadSanitizer by `make test`
 * (the "threaded" label).
 */
#include <pthread.h>
#include <stdint.h>
#include "slab_test.h"

#ifdef CONFIG_KASAN
#include "mm/kasan/kasan.h"

#define SLOTS	256
#define ROUNDS	4000

static struct mmsim *m;
static _Atomic(uintptr_t) slots[SLOTS];	/* an object, 0 empty, 1 being swapped */
static _Atomic(uint32_t) sizes[SLOTS];
static atomic_int errors;

static uint64_t xs(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static uint8_t shadow_of(const void *p)
{
	struct kasan_state *ks = kasan_state_of(p);
	uint8_t *s = ks ? kasan_shadow(ks, p) : NULL;

	return s ? *s : 0xee;
}

/* The object is whole: its bytes, and its shadow to the byte. */
static void check_and_free(void *p, uint32_t size)
{
	const unsigned char *c = p;
	size_t last = (size - 1) & ~7UL;

	for (uint32_t i = 0; i < size; i++)
		if (c[i] != (unsigned char)size) {
			atomic_fetch_add(&errors, 1);
			break;
		}
	if (shadow_of(c + last) != ((size & 7) ? (size & 7) : 0))
		atomic_fetch_add(&errors, 1);
	kfree(p);
}

static void *worker(void *arg)
{
	int cpu = (int)(intptr_t)arg;
	uint64_t x = 0x9E3779B97F4A7C15ULL * (uint64_t)(cpu + 1);

	if (mmsim_enter(m, cpu)) {
		atomic_fetch_add(&errors, 1);
		return NULL;
	}
	for (int i = 0; i < ROUNDS; i++) {
		uint32_t size = 1 + (uint32_t)(xs(&x) % 700);
		unsigned int s = (unsigned int)(xs(&x) % SLOTS);
		char *p = kmalloc(size, GFP_KERNEL);
		uintptr_t old;
		uint32_t osize;

		if (!p) {
			atomic_fetch_add(&errors, 1);
			break;
		}
		memset(p, (int)(unsigned char)size, size);
		/* Lock the slot (0 = empty, 1 = busy), swap, unlock. */
		do {
			old = atomic_load(&slots[s]);
		} while (old == 1 || !atomic_compare_exchange_weak(&slots[s], &old, 1));
		osize = atomic_load_explicit(&sizes[s], memory_order_relaxed);
		atomic_store_explicit(&sizes[s], size, memory_order_relaxed);
		atomic_store(&slots[s], (uintptr_t)p);
		if (old)
			check_and_free((void *)old, osize);
	}
	mmsim_leave();
	return NULL;
}

int main(void)
{
	pthread_t t[2];
	char *log;

	kt_begin("kasan_two_cpus");
	m = boot_or_die("ram=256M cpus=2 kasan=on");
	mmsim_leave();
	for (int i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, worker, (void *)(intptr_t)i);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	KT_EQ(atomic_load(&errors), 0);
	KT_EQ(mmsim_enter(m, 0), 0);
	for (int s = 0; s < SLOTS; s++) {
		uintptr_t p = atomic_load(&slots[s]);

		if (p)
			check_and_free((void *)p, atomic_load(&sizes[s]));
	}
	kasan_quarantine_drain();
	KT_EQ(atomic_load(&errors), 0);
	KT_ASSERT(mm_allocator_is_valid());
	{
		struct kmem_cache *s;

		list_for_each_entry(s, &slab_globals()->slab_caches, list)
			KT_ASSERT(slab_is_valid(s));
	}
	log = printk_render_dmesg(m);
	KT_ASSERT(!strstr(log, "BUG: KASAN"));
	free(log);
	mmsim_shutdown(m);
	kt_end();
	return kt_done();
}
#else
int main(void)
{
	kt_begin("kasan_two_cpus (built without CONFIG_KASAN)");
	kt_end();
	return kt_done();
}
#endif
