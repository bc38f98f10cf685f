// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_slab_fastpath.c - the kmalloc/kfree and kmem_cache_free fast
 * paths: a constant-size kmalloc() resolves its cache in the header
 * (kmalloc_noprof) and must pick the cache the run-time lookup picks, for
 * every size, type and page size; kfree() and kmem_cache_free() decide
 * from one word of the page (a head page's slab_cache, a tail page's
 * compound_head) and must free every kind of object they are given - in a
 * head or a tail page, a large kmalloc, a cache object, NULL,
 * ZERO_SIZE_PTR - and refuse a wrong one; and with a debug feature,
 * failslab or init_on_* on, the inline paths must still take the hooks.
 */
#include <stdint.h>
#include "slab_test.h"

static struct mmsim *m;

static long slab_errors(void)
{
	return atomic_long_read(&slab_globals()->nr_errors);
}

/* The cache index the header computes equals the run-time lookup's, for
 * every size the constant path takes and every type. */
static void test_kmalloc_index_matches(void)
{
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_KERNEL | __GFP_RECLAIMABLE, GFP_DMA,
				      GFP_ATOMIC };

	for (size_t i = 0; i < ARRAY_SIZE(gfps); i++) {
		for (size_t size = 1; size <= KMALLOC_CONST_MAX_SIZE; size++) {
			struct kmem_cache *s = kmalloc_slab(size, gfps[i]);

			if (slab_globals()->kmalloc_caches[kmalloc_type(gfps[i])]
							  [kmalloc_index(size)] != s) {
				KT_ASSERT(!"kmalloc_index() disagrees with kmalloc_slab()");
				return;
			}
		}
	}
	KT_EQ(kmalloc_index(8), 3);
	KT_EQ(kmalloc_index(96), 1);
	KT_EQ(kmalloc_index(192), 2);
	KT_EQ(kmalloc_index(8192), 13);
}

/* kmalloc(@size) with @size a compile-time constant lands in the cache a
 * run-time @size does. */
#define CHECK_CONST(size, gfp)							\
	do {									\
		volatile size_t rt = (size);					\
		void *c = kmalloc(size, gfp), *r = kmalloc(rt, gfp);		\
										\
		KT_ASSERT(c && r);						\
		KT_ASSERT(!strcmp(cache_of(c), cache_of(r)));			\
		KT_ASSERT(ksize(c) >= (size));					\
		memset(c, 0x3c, size);						\
		kfree(c);							\
		kfree(r);							\
	} while (0)

static void test_const_kmalloc(void)
{
	CHECK_CONST(1, GFP_KERNEL);
	CHECK_CONST(8, GFP_KERNEL);
	CHECK_CONST(9, GFP_KERNEL);
	CHECK_CONST(64, GFP_KERNEL);
	CHECK_CONST(65, GFP_KERNEL);
	CHECK_CONST(96, GFP_KERNEL);
	CHECK_CONST(97, GFP_KERNEL);
	CHECK_CONST(129, GFP_KERNEL);
	CHECK_CONST(192, GFP_KERNEL);
	CHECK_CONST(193, GFP_KERNEL);
	CHECK_CONST(4096, GFP_KERNEL);
	CHECK_CONST(4097, GFP_KERNEL);
	CHECK_CONST(8192, GFP_KERNEL);
	CHECK_CONST(8193, GFP_KERNEL);		/* past the constant path: a large kmalloc */
	CHECK_CONST(64, GFP_KERNEL | __GFP_RECLAIMABLE);
	CHECK_CONST(100, GFP_DMA);
	CHECK_CONST(64, GFP_ATOMIC);

	void *a = kmalloc(64, GFP_KERNEL | __GFP_RECLAIMABLE), *d = kmalloc(100, GFP_DMA);

	KT_ASSERT(!strcmp(cache_of(a), "kmalloc-rcl-64"));
	KT_ASSERT(!strcmp(cache_of(d), "dma-kmalloc-128"));
	kfree(a);
	kfree(d);
	KT_ASSERT(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);

	/* kzalloc of a constant size zeroes what the last user dirtied. */
	unsigned char *p = kmalloc(48, GFP_KERNEL), *q;

	memset(p, 0xee, 48);
	kfree(p);
	q = kzalloc(48, GFP_KERNEL);
	KT_ASSERT(q == p);
	for (int i = 0; i < 48; i++)
		KT_EQ(q[i], 0);
	kfree(q);
	/* The library's kmalloc symbol (taken by address) still works. */
	void *(*fn)(size_t, gfp_t) = kmalloc;
	void *f = fn(64, GFP_KERNEL);

	KT_ASSERT(f && !strcmp(cache_of(f), "kmalloc-64"));
	kfree(f);
}

/* kfree() of every kind of object. */
static void test_kfree_kinds(void)
{
	struct kmem_cache *k2k = kmalloc_slab(2048, GFP_KERNEL);
	struct kmem_cache *cs = kmem_cache_create("fast_obj", 200, 0, SLAB_NO_MERGE, NULL);
	unsigned long before2k, slab0;
	enum { N = 64 };
	void *big[N], *obj[N];
	int tails = 0;

	/* Objects in sheaves count as active: shrink flushes them. */
	kmem_cache_shrink(k2k);
	before2k = active_objs(k2k);
	slab0 = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	KT_ASSERT(k2k->oo.order > 0);	/* so most of its objects are in tail pages */
	for (int i = 0; i < N; i++) {
		big[i] = kmalloc(2048, GFP_KERNEL);
		obj[i] = kmem_cache_alloc(cs, GFP_KERNEL);
		KT_ASSERT(big[i] && obj[i]);
		tails += PageTail(virt_to_page(big[i]));
	}
	KT_ASSERT(tails > 0);
	for (int i = 0; i < N; i++) {
		kfree(big[i]);
		kfree(obj[i]);		/* kfree() of a cache's object, as Linux allows */
	}
	kmem_cache_shrink(k2k);
	kmem_cache_shrink(cs);
	KT_EQ(active_objs(k2k), before2k);
	KT_EQ(active_objs(cs), 0);

	/* A large kmalloc, and a pointer into the middle of one. */
	char *l = kmalloc(5 * PAGE_SIZE, GFP_KERNEL);

	KT_ASSERT(l && !virt_to_slab(l));
	kfree(l);
	kfree(NULL);
	kfree(ZERO_SIZE_PTR);
	KT_ASSERT(slab_is_valid(k2k));
	KT_ASSERT(slab_is_valid(cs));
	kmem_cache_shrink(cs);
	kmem_cache_destroy(cs);
	KT_ASSERT(global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) <= slab0 + 8 * PAGE_SIZE);
	KT_ASSERT(mm_allocator_is_valid());
}

/* kmem_cache_free() of objects in head and tail pages, and of wrong ones. */
static void test_cache_free_kinds(void)
{
	struct kmem_cache *s = kmem_cache_create("fast_big", 1000, 0, SLAB_NO_MERGE, NULL);
	struct kmem_cache *o = kmem_cache_create("fast_other", 1000, 0, SLAB_NO_MERGE, NULL);
	enum { N = 64 };
	void *p[N], *q;
	int tails = 0, heads = 0;
	unsigned long before;
	size_t mark;
	char *log;

	for (int i = 0; i < N; i++) {
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KT_ASSERT(p[i] != NULL);
		if (PageTail(virt_to_page(p[i])))
			tails++;
		else
			heads++;
	}
	KT_ASSERT(tails > 0 && heads > 0);
	for (int i = 0; i < N; i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_shrink(s);		/* objects in sheaves count as active */
	KT_EQ(active_objs(s), 0);

	/* The wrong cache: warned about and not freed (cache_from_obj). */
	q = kmem_cache_alloc(s, GFP_KERNEL);
	before = active_objs(s);
	mark = log_mark(m);
	kmem_cache_free(o, q);
	KT_EQ(active_objs(s), before);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "Wrong slab cache");
	free(log);
	/* A page that is no slab: warned about, nothing freed. */
	struct page *pg = alloc_pages(GFP_KERNEL, 0);

	kmem_cache_free(s, page_address(pg));
	KT_EQ(page_ref_count(pg), 1);
	__free_pages(pg, 0);
	kmem_cache_free(s, q);
	kmem_cache_shrink(s);
	KT_EQ(active_objs(s), 0);
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_destroy(s);
	kmem_cache_destroy(o);
}

/*
 * kfree()'s guess (the cache of the thread's last kfree) while it is
 * trusted, when it is wrong, and when it names a cache that is gone: every
 * object still goes back to its own cache.
 */
static void test_kfree_guess(void)
{
	struct kmem_cache *k64 = kmalloc_slab(64, GFP_KERNEL), *x, *y;
	enum { N = 200 };
	void *p[N];
	unsigned long before;

	kmem_cache_shrink(k64);
	before = active_objs(k64);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < N; i++)
			p[i] = kmalloc(64, GFP_KERNEL);
		for (int i = 0; i < N; i++)	/* the guess becomes kmalloc-64, trusted */
			kfree(p[i]);
		/* Now frees the guess gets wrong: another size, a tail page. */
		for (int i = 0; i < N; i++)
			p[i] = kmalloc(i & 1 ? 2048 : 64, GFP_KERNEL);
		for (int i = 0; i < N; i++)
			kfree(p[i]);
	}
	kmem_cache_shrink(k64);
	KT_EQ(active_objs(k64), before);
	KT_ASSERT(slab_is_valid(k64));

	/* The guess names a destroyed cache; a new one may reuse its address. */
	x = kmem_cache_create("guess_x", 64, 0, SLAB_NO_MERGE, NULL);
	for (int i = 0; i < N; i++)
		p[i] = kmem_cache_alloc(x, GFP_KERNEL);
	for (int i = 0; i < N; i++)
		kfree(p[i]);
	kmem_cache_destroy(x);
	y = kmem_cache_create("guess_y", 64, 0, SLAB_NO_MERGE, NULL);
	for (int i = 0; i < N; i++)
		p[i] = kmem_cache_alloc(y, GFP_KERNEL);
	for (int i = 0; i < N; i++)
		kfree(p[i]);
	kmem_cache_shrink(y);
	KT_EQ(active_objs(y), 0);
	KT_ASSERT(slab_is_valid(y));
	kmem_cache_destroy(y);

	/* Another machine's caches, then this one's again. */
	struct mmsim *m2 = boot_or_die("ram=256M cpus=2");

	for (int i = 0; i < N; i++)
		p[i] = kmalloc(64, GFP_KERNEL);
	for (int i = 0; i < N; i++)
		kfree(p[i]);
	KT_ASSERT(slab_is_valid(kmalloc_slab(64, GFP_KERNEL)));
	mmsim_shutdown(m2);
	KT_EQ(mmsim_enter(m, 0), 0);
	for (int i = 0; i < N; i++)
		p[i] = kmalloc(64, GFP_KERNEL);
	for (int i = 0; i < N; i++)
		kfree(p[i]);
	kmem_cache_shrink(k64);
	KT_EQ(active_objs(k64), before);
}

/* slub_debug on the kmalloc caches: the constant path takes the hooks. */
static void test_const_kmalloc_debug(void)
{
	struct mmsim *m2 = boot_or_die("ram=256M cpus=2 slub_debug=FZPU");
	unsigned char *p = kmalloc(64, GFP_KERNEL);
	long e = slab_errors();

	KT_ASSERT(p && kmem_cache_debug(virt_to_slab(p)->slab_cache));
	p[64] = 0x12;			/* into the right red zone */
	kfree(p);
	KT_ASSERT(slab_errors() > e);
	mmsim_shutdown(m2);
	KT_EQ(mmsim_enter(m, 0), 0);
}

/* failslab and init_on_alloc/free with constant sizes. */
static void test_const_kmalloc_hooks(void)
{
	struct mmsim *m2 = boot_or_die("ram=256M failslab=1,100,0,-1");
	unsigned char *p;

	KT_ASSERT(kmalloc(64, GFP_ATOMIC) == NULL);	/* failslab fails it */
	KT_ASSERT(kmalloc(64, GFP_KERNEL) != NULL);	/* ignore-gfp-wait */
	mmsim_shutdown(m2);

	m2 = boot_or_die("ram=256M init_on_alloc=1 init_on_free=1");
	p = kmalloc(64, GFP_KERNEL);
	memset(p, 0x77, 64);
	kfree(p);
	p = kmalloc(64, GFP_KERNEL);
	for (int i = 0; i < 64; i++)
		KT_EQ(p[i], 0);
	kfree(p);
	mmsim_shutdown(m2);
	KT_EQ(mmsim_enter(m, 0), 0);
}

/* With 64K pages the constant path's sizes are still kmalloc caches. */
static void test_const_kmalloc_64k(void)
{
	struct mmsim *m2 = boot_or_die("arch=arm64 page_size=64K ram=512M");
	void *a = kmalloc(8192, GFP_KERNEL), *b = kmalloc(100, GFP_KERNEL);

	KT_ASSERT(a && !strcmp(cache_of(a), "kmalloc-8k"));
	KT_ASSERT(b && !strcmp(cache_of(b), "kmalloc-128"));
	kfree(a);
	kfree(b);
	mmsim_shutdown(m2);
	KT_EQ(mmsim_enter(m, 0), 0);
}

int main(void)
{
	m = boot_or_die("ram=1G cpus=2");
	KT_RUN(test_kmalloc_index_matches);
	KT_RUN(test_const_kmalloc);
	KT_RUN(test_kfree_kinds);
	KT_RUN(test_cache_free_kinds);
	KT_RUN(test_kfree_guess);
	KT_RUN(test_const_kmalloc_debug);
	KT_RUN(test_const_kmalloc_hooks);
	KT_RUN(test_const_kmalloc_64k);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
	return kt_done();
}
