// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_slab_sheaves.c - the per-CPU sheaves in front of the slabs
 * (mm/slub.c, "Sheaves"): their capacity, LIFO reuse, the spare, the
 * barn (how objects freed on one CPU reach another), the barn's limit,
 * bulk operations, flushing, other nodes' objects and caches without
 * sheaves.  slab_is_valid() checks every sheaf after each step.
 */
#include <stdint.h>
#include <stdlib.h>
#include "slab_test.h"

/* mm/slub.c's bounds on a barn. */
#define MAX_FULL_SHEAVES 10

static struct mmsim *m;

static unsigned long cache_slabs(struct kmem_cache *s)
{
	unsigned long nr = 0;

	for (int nid = 0; nid < s->nr_nodes; nid++)
		nr += (unsigned long)atomic_long_read(&s->node[nid]->nr_slabs);
	return nr;
}

static struct slub_percpu_sheaves *pcs_of(struct kmem_cache *s, int cpu)
{
	return &s->cpu_slab[cpu].pcs;
}

static struct node_barn *barn_of(struct kmem_cache *s, int nid)
{
	return &s->node[nid]->barn;
}

static bool in_array(void **a, size_t n, const void *x)
{
	for (size_t i = 0; i < n; i++)
		if (a[i] == x)
			return true;
	return false;
}

/* Linux 7.0's sizing: 60, 26, 12 or 4 by object size, grown to fill the
 * sheaf's kmalloc bucket; none for debug caches. */
static void test_capacity(void)
{
	static const struct {
		unsigned int size, capacity;
	} t[] = { { 8, 60 }, { 200, 60 }, { 256, 28 }, { 1000, 28 }, { 1024, 12 },
		  { 3000, 12 }, { 4096, 4 } };

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		struct kmem_cache *s = kmem_cache_create("test_cap", t[i].size, 0, SLAB_NO_MERGE,
							 NULL);

		char *text = mmsim_read(m, "/sys/kernel/slab/test_cap/sheaf_capacity");

		KT_EQ(s->sheaf_capacity, t[i].capacity);
		KT_EQ(pcs_of(s, 0)->main->capacity, t[i].capacity);
		KT_ASSERT(text && (unsigned int)atoi(text) == t[i].capacity);
		free(text);
		kmem_cache_destroy(s);
	}
	{
		struct kmem_cache *d = kmem_cache_create("test_cap_dbg", 64, 0, SLAB_RED_ZONE, NULL);
		struct kmem_cache *n = kmem_cache_create("test_cap_none", 64, 0, SLAB_NO_SHEAVES,
							 NULL);
		void *a = kmem_cache_alloc(n, GFP_KERNEL);

		KT_EQ(d->sheaf_capacity, 0);
		KT_EQ(n->sheaf_capacity, 0);
		KT_EQ(pcs_of(n, 0)->main->capacity, 0);
		kmem_cache_free(n, a);
		KT_EQ(pcs_of(n, 0)->main->size, 0);	/* straight to its slab */
		KT_ASSERT(slab_is_valid(n));
		kmem_cache_destroy(d);
		kmem_cache_destroy(n);
	}
	/* The kmalloc caches have sheaves too. */
	KT_EQ(kmalloc_slab(64, GFP_KERNEL)->sheaf_capacity, 60);
}

/* The object freed last is the one allocated next. */
static void test_lifo(void)
{
	struct kmem_cache *s = kmem_cache_create("test_lifo", 64, 0, SLAB_NO_MERGE, NULL);
	void *a = kmem_cache_alloc(s, GFP_KERNEL), *b = kmem_cache_alloc(s, GFP_KERNEL);

	/* A refill hands a slab's objects out in address order. */
	KT_ASSERT((char *)b == (char *)a + s->size);
	kmem_cache_free(s, a);
	kmem_cache_free(s, b);
	KT_ASSERT(slab_is_valid(s));
	KT_ASSERT(kmem_cache_alloc(s, GFP_KERNEL) == b);
	KT_ASSERT(kmem_cache_alloc(s, GFP_KERNEL) == a);
	kfree(a);	/* kfree of a cache object takes the same path */
	KT_ASSERT(pcs_of(s, 0)->main->objects[pcs_of(s, 0)->main->size - 1] == a);
	kmem_cache_free(s, b);
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_destroy(s);
}

/*
 * A full main trades places with an empty spare, then goes to the barn;
 * another CPU that runs dry takes it from there - so objects freed on CPU
 * 0 serve CPU 1 without a trip through the slabs.
 */
static void test_spare_and_barn(void)
{
	struct kmem_cache *s = kmem_cache_create("test_barn", 64, 0, SLAB_NO_MERGE, NULL);
	unsigned int cap = s->sheaf_capacity, n = 3 * cap + 1;
	void **objs = calloc(n, sizeof(*objs)), **got = calloc(cap, sizeof(*got));
	unsigned long slabs;

	for (unsigned int i = 0; i < n; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	slabs = cache_slabs(s);
	kmem_cache_shrink(s);		/* main gives back what the last refill left */
	KT_EQ(pcs_of(s, 0)->main->size, 0);
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(s, objs[i]);
	KT_EQ(pcs_of(s, 0)->main->size, 1);
	KT_ASSERT(pcs_of(s, 0)->spare && pcs_of(s, 0)->spare->size == cap);
	KT_EQ(barn_of(s, 0)->nr_full, 2);
	KT_ASSERT(active_objs(s) >= n);	/* objects in sheaves count as active */
	KT_ASSERT(slab_is_valid(s));

	KT_EQ(mmsim_enter(m, 1), 0);
	for (unsigned int i = 0; i < cap; i++) {
		got[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KT_ASSERT(in_array(objs, n, got[i]));
	}
	KT_EQ(barn_of(s, 0)->nr_full, 1);
	KT_EQ(cache_slabs(s), slabs);
	KT_ASSERT(slab_is_valid(s));
	for (unsigned int i = 0; i < cap; i++)
		kmem_cache_free(s, got[i]);
	KT_EQ(mmsim_enter(m, 0), 0);

	/* Shrinking gives every sheaf's objects back, and the slabs go. */
	kmem_cache_shrink(s);
	KT_EQ(pcs_of(s, 0)->main->size, 0);
	KT_ASSERT(pcs_of(s, 0)->spare == NULL);
	KT_EQ(barn_of(s, 0)->nr_full, 0);
	KT_EQ(barn_of(s, 0)->nr_empty, 0);
	KT_EQ(active_objs(s), 0);
	KT_EQ(cache_slabs(s), 0);
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_destroy(s);
	free(objs);
	free(got);
}

/* With the barn full, a full main's objects go back to their slabs. */
static void test_barn_limit(void)
{
	struct kmem_cache *s = kmem_cache_create("test_limit", 512, 0, SLAB_NO_MERGE, NULL);
	unsigned int cap = s->sheaf_capacity, n = (MAX_FULL_SHEAVES + 2) * cap + 1;
	void **objs = calloc(n, sizeof(*objs));
	unsigned long slabs;

	for (unsigned int i = 0; i < n; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	KT_EQ(active_objs(s), cache_slabs(s) * s->oo.objects);
	kmem_cache_shrink(s);
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(s, objs[i]);
	KT_EQ(barn_of(s, 0)->nr_full, MAX_FULL_SHEAVES);
	KT_EQ(pcs_of(s, 0)->main->size, 1);
	KT_EQ(pcs_of(s, 0)->spare->size, cap);
	KT_ASSERT(slab_is_valid(s));	/* which sees no object both in a sheaf and free */
	/* The flushed sheaf's objects are free in their slabs again: all of
	 * them can be had once more without a new slab. */
	slabs = cache_slabs(s);
	for (unsigned int i = 0; i < n; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	KT_EQ(cache_slabs(s), slabs);
	KT_EQ(barn_of(s, 0)->nr_full, 0);
	for (unsigned int i = 0; i < n; i++)
		kmem_cache_free(s, objs[i]);
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_destroy(s);
	free(objs);
}

/* Bulk allocation takes from the sheaves first, bulk free puts back. */
static void test_bulk(void)
{
	struct kmem_cache *s = kmem_cache_create("test_sbulk", 48, 0, SLAB_NO_MERGE, NULL);
	void *p[200], *q[200];

	KT_EQ(kmem_cache_alloc_bulk(s, GFP_KERNEL, 200, p), 200);
	kmem_cache_free_bulk(s, 10, p);
	KT_EQ(pcs_of(s, 0)->main->size, 10);
	KT_EQ(kmem_cache_alloc_bulk(s, GFP_KERNEL | __GFP_ZERO, 10, q), 10);
	for (int i = 0; i < 10; i++) {
		KT_ASSERT(in_array(p, 10, q[i]));
		KT_ASSERT(((char *)q[i])[47] == 0);
	}
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_free_bulk(s, 10, q);
	kmem_cache_free_bulk(NULL, 190, p + 10);	/* kfree_bulk */
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_shrink(s);
	KT_EQ(active_objs(s), 0);
	kmem_cache_destroy(s);
}

/* Objects of another node skip the sheaves (which hold local ones only);
 * node-bound allocations come from the slabs. */
static void test_other_node(void)
{
	struct mmsim *m2 = boot_or_die("ram=512M nodes=2 cpus=2");
	struct kmem_cache *s = kmem_cache_create("test_snode", 128, 0, SLAB_NO_MERGE, NULL);
	void *local = kmem_cache_alloc(s, GFP_KERNEL);
	void *remote = kmem_cache_alloc_node(s, GFP_KERNEL, 1);
	unsigned int before;

	KT_EQ(numa_node_id(), 0);
	KT_EQ(page_to_nid(virt_to_page(local)), 0);
	KT_EQ(page_to_nid(virt_to_page(remote)), 1);
	before = pcs_of(s, 0)->main->size;
	kmem_cache_free(s, remote);
	KT_EQ(pcs_of(s, 0)->main->size, before);
	kmem_cache_free(s, local);
	KT_EQ(pcs_of(s, 0)->main->size, before + 1);
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_destroy(s);
	mmsim_shutdown(m2);
	KT_EQ(mmsim_enter(m, 0), 0);
}

/* Destroying a cache whose objects sit in sheaves is no leak report. */
static void test_destroy_with_sheaves(void)
{
	struct kmem_cache *s = kmem_cache_create("test_sdestroy", 96, 0, SLAB_NO_MERGE, NULL);
	size_t mark = log_mark(m);
	void *objs[300];
	char *log;

	for (int i = 0; i < 300; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	KT_EQ(mmsim_enter(m, 1), 0);
	for (int i = 0; i < 300; i += 2)
		kmem_cache_free(s, objs[i]);
	KT_EQ(mmsim_enter(m, 0), 0);
	for (int i = 1; i < 300; i += 2)
		kmem_cache_free(s, objs[i]);
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_destroy(s);
	log = log_since(m, &mark);
	KT_ASSERT(!strstr(log, "Objects remaining"));
	free(log);
}

/* Prefilled sheaves: a guaranteed supply for a section that must not fail. */
static void test_prefill(void)
{
	struct kmem_cache *s = kmem_cache_create("test_prefill", 64, 0, SLAB_NO_MERGE, NULL);
	struct kmem_cache *d = kmem_cache_create("test_prefill_dbg", 64, 0, SLAB_RED_ZONE, NULL);
	unsigned int cap = s->sheaf_capacity;
	struct slab_sheaf *sheaf = kmem_cache_prefill_sheaf(s, GFP_KERNEL, 10);
	void *got[20], *dobj;
	size_t mark;
	char *log;

	KT_ASSERT(sheaf && kmem_cache_sheaf_size(sheaf) >= 10);
	for (int i = 0; i < 10; i++) {
		got[i] = kmem_cache_alloc_from_sheaf(s, GFP_KERNEL | __GFP_ZERO, sheaf);
		KT_ASSERT(got[i] && virt_to_slab(got[i])->slab_cache == s);
		KT_ASSERT(((char *)got[i])[63] == 0);
		KT_ASSERT(!in_array(got, (size_t)i, got[i]));
	}
	KT_ASSERT(slab_is_valid(s));
	/* Within the capacity a refill tops it up; beyond, it is replaced. */
	KT_EQ(kmem_cache_refill_sheaf(s, GFP_KERNEL, &sheaf, cap), 0);
	KT_EQ(kmem_cache_sheaf_size(sheaf), cap);
	KT_EQ(kmem_cache_refill_sheaf(s, GFP_KERNEL, &sheaf, 3 * cap), 0);
	KT_EQ(kmem_cache_sheaf_size(sheaf), 3 * cap);
	kmem_cache_return_sheaf(s, GFP_KERNEL, sheaf);
	KT_ASSERT(slab_is_valid(s));
	/* Drained, the sheaf answers NULL with a warning. */
	sheaf = kmem_cache_prefill_sheaf(s, GFP_KERNEL, 1);
	while (kmem_cache_sheaf_size(sheaf))
		kmem_cache_free(s, kmem_cache_alloc_from_sheaf(s, GFP_KERNEL, sheaf));
	mark = log_mark(m);
	KT_ASSERT(kmem_cache_alloc_from_sheaf(s, GFP_KERNEL, sheaf) == NULL);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "WARNING:");
	free(log);
	kmem_cache_return_sheaf(s, GFP_KERNEL, sheaf);
	/* A cache without sheaves still prefills (an oversize sheaf). */
	sheaf = kmem_cache_prefill_sheaf(d, GFP_KERNEL, 3);
	KT_ASSERT(sheaf && kmem_cache_sheaf_size(sheaf) == 3);
	dobj = kmem_cache_alloc_from_sheaf(d, GFP_KERNEL, sheaf);
	KT_ASSERT(dobj && virt_to_slab(dobj)->slab_cache == d);
	kmem_cache_return_sheaf(d, GFP_KERNEL, sheaf);
	kmem_cache_free(d, dobj);
	KT_ASSERT(slab_is_valid(d));
	kmem_cache_destroy(d);

	for (int i = 0; i < 10; i++)
		kmem_cache_free(s, got[i]);
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_shrink(s);
	KT_EQ(active_objs(s), 0);
	KT_EQ(cache_slabs(s), 0);
	kmem_cache_destroy(s);
}

int main(void)
{
	m = boot_or_die("ram=1G cpus=2");
	KT_RUN(test_capacity);
	KT_RUN(test_lifo);
	KT_RUN(test_spare_and_barn);
	KT_RUN(test_barn_limit);
	KT_RUN(test_bulk);
	KT_RUN(test_other_node);
	KT_RUN(test_destroy_with_sheaves);
	KT_RUN(test_prefill);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
	return kt_done();
}
