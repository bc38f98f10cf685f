// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_slab.c - the slab allocator and kmalloc: caches, the kmalloc
 * family, CPU slabs and cross-CPU frees (tests/test_slab_sheaves.c has the
 * sheaves above them), merging, shrink/destroy, the
 * /proc/slabinfo and sysfs text, accounting, init_on_alloc/free (the
 * semantics of Linux's lib/test_meminit.c), failslab and devres.
 */
#include <stdint.h>
#include <mmsim/device.h>
#include "slab_test.h"

static struct mmsim *m;

/* The text slabinfo_show() prints, malloc'd (NULL: out of memory). */
static char *slabinfo_text(void)
{
	struct seq_file sf;

	if (seq_init(&sf))
		return NULL;
	slabinfo_show(&sf);
	if (sf.nomem) {
		seq_free(&sf);
		return NULL;
	}
	return sf.buf;
}

/* slab_attr_show() or failslab_attr_show() (@cache NULL) into malloc'd *@out. */
static int attr_text(const char *cache, const char *attr, char **out)
{
	struct seq_file sf;
	int ret;

	if (seq_init(&sf))
		return -ENOMEM;
	ret = cache ? slab_attr_show(&sf, cache, attr) : failslab_attr_show(&sf, attr);
	if (!ret && sf.nomem)
		ret = -ENOMEM;
	if (ret) {
		seq_free(&sf);
		return ret;
	}
	*out = sf.buf;
	return 0;
}

static unsigned long slab_bytes(void)
{
	return global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) +
	       global_node_page_state(NR_SLAB_RECLAIMABLE_B);
}

static void test_kmalloc_caches(void)
{
	static const char *const names[] = {
		"kmalloc-8", "kmalloc-16", "kmalloc-32", "kmalloc-64", "kmalloc-96",
		"kmalloc-128", "kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1k",
		"kmalloc-2k", "kmalloc-4k", "kmalloc-8k", "kmalloc-rcl-64", "dma-kmalloc-8k",
		"kmalloc-rcl-96", "dma-kmalloc-192",
	};
	char *text = slabinfo_text();

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		KT_ASSERT(find_kmem_cache(names[i]) != NULL);
	KT_ASSERT(find_kmem_cache("kmalloc-16k") == NULL);
	KT_EQ(KMALLOC_MAX_CACHE_SIZE, 8192);
	const char *hdr = "slabinfo - version: 2.1\n# name            <active_objs> "
			  "<num_objs> <objsize> <objperslab> <pagesperslab> : "
			  "tunables <limit> <batchcount> <sharedfactor> : slabdata "
			  "<active_slabs> <num_slabs> <sharedavail>\n";

	KT_ASSERT(text && !strncmp(text, hdr, strlen(hdr)));
	KT_STR_CONTAINS(text, "\nkmalloc-8k ");
	free(text);
}

static void test_kmalloc_sizes(void)
{
	for (size_t size = 1; size <= 8192; size += (size < 256 ? 1 : 61)) {
		unsigned char *p = kmalloc(size, GFP_KERNEL);
		size_t ks = ksize(p);

		KT_ASSERT(p && ks >= size);
		if (!p)
			return;
		if (is_power_of_2(size))
			KT_EQ((uintptr_t)p % size, 0);
		KT_EQ((uintptr_t)p % 8, 0);
		memset(p, 0x5c, ks);
		kfree(p);
	}
	void *a = kmalloc(65, GFP_KERNEL), *b = kmalloc(129, GFP_KERNEL);

	KT_EQ(ksize(a), 96);
	KT_EQ(ksize(b), 192);
	KT_ASSERT(!strcmp(cache_of(a), "kmalloc-96"));
	KT_ASSERT(!strcmp(cache_of(b), "kmalloc-192"));
	kfree(a);
	kfree(b);
}

static void test_kmalloc_zero_and_null(void)
{
	KT_ASSERT(kmalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	KT_ASSERT(kzalloc(0, GFP_KERNEL) == ZERO_SIZE_PTR);
	KT_EQ(ksize(ZERO_SIZE_PTR), 0);
	kfree(ZERO_SIZE_PTR);
	kfree(NULL);
	kfree_sensitive(NULL);
	KT_ASSERT(kmalloc_array(SIZE_MAX / 2, 4, GFP_KERNEL) == NULL);
	KT_ASSERT(kcalloc(SIZE_MAX / 8, 16, GFP_KERNEL) == NULL);
	KT_ASSERT(krealloc_array(NULL, SIZE_MAX / 2, 3, GFP_KERNEL) == NULL);
}

static void test_kmalloc_large(void)
{
	unsigned long before = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	char *p = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	char *z;

	KT_ASSERT(p != NULL);
	KT_ASSERT(!virt_to_slab(p));
	KT_EQ(ksize(p), 4 * PAGE_SIZE);
	KT_EQ(global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) - before, 4 * PAGE_SIZE);
	memset(p, 1, 3 * PAGE_SIZE);
	kfree(p);
	KT_EQ(global_node_page_state(NR_SLAB_UNRECLAIMABLE_B), before);
	z = kzalloc(KMALLOC_MAX_SIZE, GFP_KERNEL);
	KT_ASSERT(z && z[0] == 0 && z[KMALLOC_MAX_SIZE - 1] == 0);
	kfree(z);
	KT_ASSERT(kmalloc(KMALLOC_MAX_SIZE + 1, GFP_KERNEL | __GFP_NOWARN) == NULL);
}

static void test_kcalloc_kzalloc(void)
{
	unsigned char *p = kmalloc(200, GFP_KERNEL);

	memset(p, 0xee, 200);
	kfree(p);
	p = kzalloc(200, GFP_KERNEL);	/* likely the same object, now zeroed */
	for (int i = 0; i < 200; i++)
		if (p[i]) {
			KT_ASSERT(p[i] == 0);
			break;
		}
	kfree(p);
	int *a = kcalloc(50, sizeof(int), GFP_KERNEL);

	for (int i = 0; i < 50; i++)
		KT_EQ(a[i], 0);
	kfree(a);
}

static void test_krealloc(void)
{
	char *p = kmalloc(16, GFP_KERNEL), *q;

	strcpy(p, "hello slab");
	q = krealloc(p, 10, GFP_KERNEL);
	KT_ASSERT(q == p);
	q = krealloc(p, 500, GFP_KERNEL);
	KT_ASSERT(q && q != p && !strcmp(q, "hello slab"));
	KT_ASSERT(!strcmp(cache_of(q), "kmalloc-512"));
	p = krealloc(q, 0, GFP_KERNEL);
	KT_ASSERT(p == ZERO_SIZE_PTR);
	p = krealloc(NULL, 40, GFP_KERNEL);
	KT_ASSERT(p && !strcmp(cache_of(p), "kmalloc-64"));
	/* __GFP_ZERO: shrinking in place zeroes the tail. */
	memset(p, 0xff, 64);
	q = krealloc(p, 10, GFP_KERNEL | __GFP_ZERO);
	KT_ASSERT(q == p);
	KT_EQ((unsigned char)q[9], 0xff);
	KT_EQ(q[10], 0);
	KT_EQ(q[63], 0);
	kfree(q);
	/* __GFP_ZERO from the start: a grown copy is zero past the old data. */
	p = kzalloc(10, GFP_KERNEL);
	memset(p, 'a', 10);
	q = krealloc(p, 300, GFP_KERNEL | __GFP_ZERO);
	KT_EQ(q[9], 'a');
	for (int i = 10; i < 300; i++)
		if (q[i]) {
			KT_EQ(q[i], 0);
			break;
		}
	kfree(q);
}

static void test_kstrdup_family(void)
{
	char *a = kstrdup("mmsim", GFP_KERNEL), *b = kstrndup("abcdef", 3, GFP_KERNEL);
	char *c = kmemdup("xyz", 4, GFP_KERNEL), *d = kmemdup_nul("12345", 2, GFP_KERNEL);

	KT_ASSERT(!strcmp(a, "mmsim") && !strcmp(b, "abc") && !strcmp(c, "xyz") &&
		  !strcmp(d, "12"));
	KT_ASSERT(kstrdup(NULL, GFP_KERNEL) == NULL);
	kfree(a);
	kfree(b);
	kfree(c);
	kfree_sensitive(d);
}

static int ctor_calls;
static void count_ctor(void *p)
{
	ctor_calls++;
	memset(p, 0x42, 40);
}

static void test_cache_basic(void)
{
	struct kmem_cache *s = kmem_cache_create("test_obj", 100, 0, SLAB_NO_MERGE, NULL);
	void **objs = calloc(1000, sizeof(void *));
	unsigned long before = slab_bytes();

	KT_ASSERT(s && !strcmp(kmem_cache_name(s), "test_obj"));
	KT_EQ(kmem_cache_size(s), 100);
	for (int i = 0; i < 1000; i++) {
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
		KT_ASSERT(objs[i] && (uintptr_t)objs[i] % 8 == 0);
		memset(objs[i], i & 0xff, 100);
	}
	KT_ASSERT(slab_bytes() > before);
	KT_ASSERT(active_objs(s) >= 1000 && active_objs(s) < 1000 + s->oo.objects);
	KT_ASSERT(slab_is_valid(s));
	for (int i = 0; i < 1000; i++) {
		unsigned char *p = objs[i];

		KT_ASSERT(p[0] == (i & 0xff) && p[99] == (i & 0xff));
	}
	for (int i = 0; i < 1000; i += 2)
		kmem_cache_free(s, objs[i]);
	KT_ASSERT(slab_is_valid(s));
	for (int i = 1; i < 1000; i += 2)
		kmem_cache_free(s, objs[i]);
	KT_ASSERT(slab_is_valid(s));
	KT_EQ(kmem_cache_shrink(s), 0);
	KT_EQ(slab_bytes(), before);
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_destroy(s);
	free(objs);
}

static void test_cache_ctor(void)
{
	struct kmem_cache *s = kmem_cache_create("test_ctor", 40, 0, 0, count_ctor);
	unsigned char *p, *q;
	char *n;

	ctor_calls = 0;
	p = kmem_cache_alloc(s, GFP_KERNEL);
	KT_ASSERT(attr_text("test_ctor", "objs_per_slab", &n) == 0);
	KT_EQ(ctor_calls, atoi(n));
	free(n);
	KT_EQ(p[0], 0x42);
	p[0] = 7;
	kmem_cache_free(s, p);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	KT_ASSERT(q == p);
	KT_EQ(q[0], 7);		/* constructed once, not per allocation */
	KT_EQ(q[39], 0x42);	/* the free pointer lives outside the object */
	kmem_cache_free(s, q);
	kmem_cache_destroy(s);
}

static void test_cache_merge(void)
{
	struct kmem_cache *k64 = find_kmem_cache("kmalloc-64");
	struct kmem_cache *a = kmem_cache_create("merge_a", 60, 0, 0, NULL);
	struct kmem_cache *b = kmem_cache_create("merge_b", 64, 0, SLAB_NO_MERGE, NULL);
	struct kmem_cache *r = kmem_cache_create("merge_r", 64, 0, SLAB_RECLAIM_ACCOUNT, NULL);
	char *txt;

	KT_ASSERT(a == k64);
	KT_ASSERT(b != k64 && b != a);
	KT_ASSERT(r == find_kmem_cache("kmalloc-rcl-64"));
	KT_ASSERT(find_kmem_cache("merge_a") == k64);
	KT_EQ(attr_text("merge_a", "aliases", &txt), 0);
	KT_ASSERT(!strcmp(txt, "1\n"));
	free(txt);
	txt = slabinfo_text();
	KT_ASSERT(!strstr(txt, "merge_a"));
	KT_STR_CONTAINS(txt, "\nmerge_b ");
	free(txt);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	kmem_cache_destroy(r);
	KT_ASSERT(find_kmem_cache("kmalloc-64") == k64);
	KT_ASSERT(find_kmem_cache("merge_b") == NULL);
}

/*
 * kmem_cache_destroy() of a merged creator drops one reference (Linux
 * cannot tell which creator's name it was); the name stays as Linux's
 * leftover sysfs link until it is given again, which replaces it rather
 * than adding a second alias of that name; the last destroy takes all.
 */
static void test_cache_merge_destroy_alias(void)
{
	struct kmem_cache *a = kmem_cache_create("alias_a", 200, 0, 0, NULL);
	struct kmem_cache *b = kmem_cache_create("alias_b", 200, 0, 0, NULL);
	char *txt;

	KT_ASSERT(a && b == a);
	KT_EQ(a->refcount, 2);
	kmem_cache_destroy(b);
	KT_EQ(a->refcount, 1);
	KT_EQ(attr_text("alias_a", "aliases", &txt), 0);
	KT_ASSERT(!strcmp(txt, "0\n"));
	free(txt);
	KT_ASSERT(find_kmem_cache("alias_b") == a);	/* the leftover link */
	b = kmem_cache_create("alias_b", 200, 0, 0, NULL);
	KT_ASSERT(b == a);
	KT_EQ(a->refcount, 2);
	kmem_cache_destroy(b);
	kmem_cache_destroy(a);
	/* The last reference takes the cache and every name of it. */
	KT_ASSERT(find_kmem_cache("alias_a") == NULL);
	KT_ASSERT(find_kmem_cache("alias_b") == NULL);
	/* A leftover alias name given to a cache that does not merge names it. */
	a = kmem_cache_create("alias_a", 200, 0, 0, NULL);
	b = kmem_cache_create("alias_b", 200, 0, 0, NULL);
	kmem_cache_destroy(b);
	b = kmem_cache_create("alias_b", 3000, 0, 0, NULL);
	KT_ASSERT(b && b != a);
	KT_ASSERT(find_kmem_cache("alias_b") == b);
	kmem_cache_destroy(b);
	KT_ASSERT(find_kmem_cache("alias_b") == NULL);
	kmem_cache_destroy(a);
	KT_ASSERT(find_kmem_cache("alias_a") == NULL);
	KT_ASSERT(mm_allocator_is_valid());
}

static void test_destroy_busy_cache(void)
{
	struct kmem_cache *s = kmem_cache_create("test_leak", 64, 0, SLAB_NO_MERGE, NULL);
	size_t mark = log_mark(m);
	void *p = kmem_cache_alloc(s, GFP_KERNEL);
	char *log;

	KT_ASSERT(p != NULL);
	kmem_cache_destroy(s);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "BUG test_leak (");
	KT_STR_CONTAINS(log, "): Objects remaining in test_leak on __kmem_cache_shutdown()");
	KT_STR_CONTAINS(log, "Object 0x");
	KT_STR_CONTAINS(log, "kmem_cache_destroy test_leak: Slab cache still has objects when called from");
	KT_STR_CONTAINS(log, "WARNING: CPU: 0");
	free(log);
	/* Still usable, as in Linux: free the object and destroy again. */
	KT_ASSERT(find_kmem_cache("test_leak") == s);
	kmem_cache_free(s, p);
	s->refcount = 1;
	kmem_cache_destroy(s);
	KT_ASSERT(find_kmem_cache("test_leak") == NULL);
}

static void test_cross_cpu_free(void)
{
	struct kmem_cache *s = kmem_cache_create("test_xcpu", 256, 0, SLAB_NO_MERGE, NULL);
	void *objs[500];

	for (int i = 0; i < 500; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	KT_EQ(mmsim_enter(m, 1), 0);
	for (int i = 0; i < 500; i += 3)
		kmem_cache_free(s, objs[i]);	/* remote frees */
	for (int i = 0; i < 500; i += 3)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	KT_ASSERT(slab_is_valid(s));
	for (int i = 1; i < 500; i += 3)
		kmem_cache_free(s, objs[i]);
	KT_EQ(mmsim_enter(m, 0), 0);
	KT_ASSERT(slab_is_valid(s));
	for (int i = 0; i < 500; i++)
		if (i % 3 != 1)
			kmem_cache_free(s, objs[i]);
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_shrink(s);
	KT_EQ(active_objs(s), 0);
	kmem_cache_destroy(s);
}

static unsigned long node_partial_slabs(struct kmem_cache *s)
{
	unsigned long nr = 0;

	for (int nid = 0; nid < s->nr_nodes; nid++)
		nr += READ_ONCE(s->node[nid]->nr_partial);
	return nr;
}

static unsigned long cache_slabs(struct kmem_cache *s)
{
	unsigned long nr = 0;

	for (int nid = 0; nid < s->nr_nodes; nid++)
		nr += (unsigned long)atomic_long_read(&s->node[nid]->nr_slabs);
	return nr;
}

/*
 * The owner-local paths (theory 3 and 4 of mm/slub.c): frees on the CPU
 * that owns a slab stay on that CPU (the slab stays frozen, nothing goes
 * to the node), remote frees wait on the slab freelist until the owner
 * collects them, and a free into a full unowned slab claims it.
 */
static void test_owner_local_free(void)
{
	struct kmem_cache *s = kmem_cache_create("test_owner", 64, 0, SLAB_NO_MERGE | SLAB_NO_SHEAVES, NULL);
	/* As many slabs as the partial stack holds, and the CPU slab. */
	unsigned int nslabs = s->cpu_partial_slabs + 1, per_slab = s->oo.objects;
	unsigned int n = nslabs * per_slab;
	struct kmem_cache_cpu *c0 = &s->cpu_slab[0], *c1 = &s->cpu_slab[1];
	void **objs = calloc(n, sizeof(*objs));
	unsigned long slabs;

	for (unsigned int i = 0; i < n; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	slabs = cache_slabs(s);
	KT_EQ(slabs, nslabs);
	KT_EQ(c0->nr_owned, nslabs);	/* the CPU slab and the dry ones */
	KT_EQ(c0->nr_partial, 0);
	/* Local frees into every slab: all stay frozen and ours. */
	for (unsigned int i = 0; i < n; i += 4)
		kmem_cache_free(s, objs[i]);
	KT_ASSERT(slab_is_valid(s));
	KT_EQ(node_partial_slabs(s), 0);
	KT_EQ(c0->nr_owned, nslabs);
	KT_EQ(c0->nr_partial, nslabs - 1);	/* every slab but the CPU slab */
	for (unsigned int i = 0; i < n; i += 4) {
		struct slab *slab = virt_to_slab(objs[i]);

		KT_ASSERT(fc_frozen(atomic_load(&slab->fc)));
		KT_EQ(atomic_load(&slab->owner), 1);
	}
	/* Allocating them again needs no new slab and no node list. */
	for (unsigned int i = 0; i < n; i += 4)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	KT_EQ(cache_slabs(s), slabs);
	KT_EQ(c0->nr_partial, 0);
	KT_ASSERT(slab_is_valid(s));

	/* Remote frees into CPU 0's dry slabs wait on their slab freelists. */
	KT_EQ(mmsim_enter(m, 1), 0);
	for (unsigned int i = 1; i < n; i += 4)
		kmem_cache_free(s, objs[i]);
	KT_EQ(c1->nr_owned, 0);
	KT_ASSERT(fc_off(atomic_load(&virt_to_slab(objs[1])->fc)) != 0);
	KT_ASSERT(slab_is_valid(s));
	/* ... until CPU 0 runs dry and collects them. */
	KT_EQ(mmsim_enter(m, 0), 0);
	for (unsigned int i = 1; i < n; i += 4)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	KT_EQ(cache_slabs(s), slabs);
	KT_ASSERT(slab_is_valid(s));

	/* Flushed, the full slabs are nobody's; a free on CPU 1 claims one. */
	kmem_cache_shrink(s);
	KT_EQ(c0->nr_owned, 0);
	KT_ASSERT(slab_is_valid(s));
	KT_EQ(mmsim_enter(m, 1), 0);
	kmem_cache_free(s, objs[2]);
	KT_EQ(c1->nr_owned, 1);
	KT_EQ(c1->nr_partial, 1);
	KT_EQ(atomic_load(&virt_to_slab(objs[2])->owner), 2);
	KT_ASSERT(virt_to_slab(objs[2])->local != 0);
	KT_ASSERT(slab_is_valid(s));
	objs[2] = kmem_cache_alloc(s, GFP_KERNEL);	/* from that slab */
	KT_EQ(cache_slabs(s), slabs);
	KT_EQ(mmsim_enter(m, 0), 0);
	/* Everything back, from both CPUs; shrink gives every slab back. */
	for (unsigned int i = 0; i < n; i++) {
		if (i % 2)
			KT_EQ(mmsim_enter(m, 1), 0);
		kmem_cache_free(s, objs[i]);
		if (i % 2)
			KT_EQ(mmsim_enter(m, 0), 0);
	}
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_shrink(s);
	KT_EQ(active_objs(s), 0);
	KT_EQ(cache_slabs(s), 0);
	kmem_cache_destroy(s);
	free(objs);
}

static void test_bulk(void)
{
	struct kmem_cache *s = kmem_cache_create("test_bulk", 48, 0, SLAB_NO_MERGE, NULL);
	void *p[300];

	KT_EQ(kmem_cache_alloc_bulk(s, GFP_KERNEL | __GFP_ZERO, 300, p), 300);
	for (int i = 0; i < 300; i++)
		KT_ASSERT(p[i] && ((char *)p[i])[47] == 0);
	KT_ASSERT(slab_is_valid(s));
	KT_EQ(mmsim_enter(m, 1), 0);
	kmem_cache_free_bulk(s, 150, p);	/* remote, in runs per slab */
	KT_EQ(mmsim_enter(m, 0), 0);
	kmem_cache_free_bulk(NULL, 150, p + 150);
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_shrink(s);
	KT_EQ(active_objs(s), 0);
	kmem_cache_destroy(s);
}

static void test_gfp_caches(void)
{
	void *d = kmalloc(64, GFP_KERNEL | __GFP_DMA);
	void *r = kmalloc(100, GFP_KERNEL | __GFP_RECLAIMABLE);
	unsigned long rb = global_node_page_state(NR_SLAB_RECLAIMABLE_B);

	KT_ASSERT(d && !strcmp(cache_of(d), "dma-kmalloc-64"));
	KT_EQ(page_zonenum(virt_to_page(d)), ZONE_DMA);
	KT_ASSERT(r && !strcmp(cache_of(r), "kmalloc-rcl-128"));
	KT_ASSERT(rb > 0);
	kfree(d);
	kfree(r);
}

static void test_slab_accounting(void)
{
	struct kmem_cache *s = kmem_cache_create("test_acct", 1000, 0, SLAB_NO_MERGE, NULL);
	struct kmem_cache *rs = kmem_cache_create("test_acct_r", 1000, 0,
						  SLAB_NO_MERGE | SLAB_RECLAIM_ACCOUNT, NULL);
	unsigned long u = global_node_page_state(NR_SLAB_UNRECLAIMABLE_B);
	unsigned long r = global_node_page_state(NR_SLAB_RECLAIMABLE_B);
	void *a = kmem_cache_alloc(s, GFP_KERNEL), *b = kmem_cache_alloc(rs, GFP_KERNEL);
	char *mi;

	KT_EQ(global_node_page_state(NR_SLAB_UNRECLAIMABLE_B) - u, PAGE_SIZE << s->oo.order);
	KT_EQ(global_node_page_state(NR_SLAB_RECLAIMABLE_B) - r, PAGE_SIZE << rs->oo.order);
	KT_ASSERT(PageSlab(virt_to_page(a)) && PageHead(virt_to_page(a)) == (s->oo.order > 0));
	mi = mmsim_read(m, "/proc/meminfo");
	KT_STR_CONTAINS(mi, "SUnreclaim:");
	free(mi);
	kmem_cache_free(s, a);
	kmem_cache_free(rs, b);
	kmem_cache_destroy(s);
	kmem_cache_destroy(rs);
	KT_EQ(global_node_page_state(NR_SLAB_UNRECLAIMABLE_B), u);
	KT_EQ(global_node_page_state(NR_SLAB_RECLAIMABLE_B), r);
}

static void test_slabinfo_rows(void)
{
	struct kmem_cache *s = kmem_cache_create("test_info", 200, 0, SLAB_NO_MERGE, NULL);
	void *p[30];
	char *text, *row, name[32];
	unsigned long act, num, as, ns, sa;
	unsigned int objsize, ops, pps, l, b, sh;

	for (int i = 0; i < 30; i++)
		p[i] = kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_free(s, p[0]);
	text = slabinfo_text();
	row = strstr(text, "\ntest_info ");
	KT_ASSERT(row != NULL);
	if (row) {
		KT_EQ(sscanf(row + 1, "%31s %lu %lu %u %u %u : tunables %u %u %u : slabdata %lu %lu %lu",
			     name, &act, &num, &objsize, &ops, &pps, &l, &b, &sh, &as, &ns, &sa), 12);
		KT_EQ(objsize, 200);
		KT_EQ(ops, s->oo.objects);
		KT_EQ(pps, 1u << s->oo.order);
		KT_EQ(num, ns * ops);
		KT_EQ(as, ns);
		KT_EQ(l + b + sh + sa, 0);
		KT_ASSERT(act >= 29 && act <= num);
		char want[256];

		snprintf(want, sizeof(want),
			 "%-17s %6lu %6lu %6u %4u %4d : tunables %4u %4u %4u : slabdata %6lu %6lu %6lu\n",
			 name, act, num, objsize, ops, (int)pps, 0u, 0u, 0u, as, ns, 0UL);
		KT_ASSERT(!strncmp(row + 1, want, strlen(want)));
	}
	free(text);
	for (int i = 1; i < 30; i++)
		kmem_cache_free(s, p[i]);
	kmem_cache_destroy(s);
}

static void sysfs_ctor(void *obj)
{
	memset(obj, 0x11, 8);
}

static void test_sysfs_attrs(void)
{
	struct kmem_cache *kc = kmem_cache_create("ctor_cache", 32, 0, 0, sysfs_ctor);
	char host[32], *t;

	/* ctor prints as Linux's %pS: a symbol or an offset, never the host address. */
	KT_ASSERT(kc != NULL);
	KT_EQ(attr_text("ctor_cache", "ctor", &t), 0);
	snprintf(host, sizeof(host), "0x%lx\n", (unsigned long)sysfs_ctor);
	KT_ASSERT(t && t[0] && strcmp(t, host) != 0);
	free(t);
	kmem_cache_destroy(kc);

	KT_EQ(attr_text("kmalloc-8k", "object_size", &t), 0);
	KT_ASSERT(!strcmp(t, "8192\n"));
	free(t);
	KT_EQ(attr_text("kmalloc-8k", "objs_per_slab", &t), 0);
	KT_ASSERT(!strcmp(t, "4\n"));
	free(t);
	KT_EQ(attr_text("kmalloc-8k", "order", &t), 0);
	KT_ASSERT(!strcmp(t, "3\n"));
	free(t);
	KT_EQ(attr_text("kmalloc-64", "slab_size", &t), 0);
	KT_ASSERT(!strcmp(t, "64\n"));
	free(t);
	void *p = kmalloc(4000, GFP_KERNEL);

	KT_EQ(attr_text("kmalloc-4k", "objects", &t), 0);
	KT_ASSERT(atoi(t) >= 1 && strstr(t, " N0="));
	free(t);
	KT_EQ(attr_text("kmalloc-4k", "partial", &t), 0);
	free(t);
	kfree(p);
	KT_EQ(attr_text("nope", "order", &t), -ENOENT);
	KT_EQ(attr_text("kmalloc-64", "nope", &t), -ENOENT);
	KT_EQ(slab_attr_store("kmalloc-64", "validate", "1"), -EINVAL);	/* not a debug cache */
	KT_EQ(slab_attr_store("kmalloc-64", "shrink", "1"), 0);
	KT_EQ(slab_attr_store("kmalloc-64", "order", "1"), -EACCES);
}

static void test_devres(void)
{
	struct device *dev = mmsim_device_create("mmsim-test");
	struct kmem_cache *k64 = find_kmem_cache("kmalloc-64");
	unsigned long before = active_objs(k64);
	char *a, *b, *c;

	KT_ASSERT(!strcmp(dev_name(dev), "mmsim-test"));
	a = devm_kmalloc(dev, 20, GFP_KERNEL);
	b = devm_kzalloc(dev, 30, GFP_KERNEL);
	c = devm_kcalloc(dev, 4, 5, GFP_KERNEL);
	KT_ASSERT(a && b && c && b[29] == 0 && c[19] == 0);
	KT_ASSERT(devm_kcalloc(dev, SIZE_MAX, 2, GFP_KERNEL) == NULL);
	KT_EQ(devres_count(dev), 3);
	devm_kfree(dev, b);
	KT_EQ(devres_count(dev), 2);
	KT_ASSERT(active_objs(k64) >= before);
	mmsim_device_destroy(dev);
	kmem_cache_shrink(k64);
	KT_ASSERT(slab_is_valid(k64));
}

/* test_meminit.c: memory is initialized on alloc/free as configured. */
static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void test_init_on_alloc_free(void)
{
	struct mmsim *m2 = boot_or_die("ram=256M cpus=2 init_on_alloc=1 init_on_free=1");
	struct kmem_cache *s, *cs;
	unsigned char *p, *q;

	for (size_t size = 8; size <= 4096; size *= 2) {
		p = kmalloc(size, GFP_KERNEL);
		memset(p, 0x77, size);
		kfree(p);
		q = kmalloc(size, GFP_KERNEL);
		KT_ASSERT(all_zero(q, size));
		kfree(q);
	}
	s = kmem_cache_create("meminit_plain", 100, 0, SLAB_NO_MERGE, NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	memset(p, 0x11, 100);
	kmem_cache_free(s, p);
	KT_ASSERT(all_zero(p, s->offset));	/* init_on_free wiped it */
	q = kmem_cache_alloc(s, GFP_KERNEL);
	KT_ASSERT(q == p && all_zero(q, 100));
	kmem_cache_free(s, q);
	/* A cache with a constructor is not wiped (Linux's exception). */
	cs = kmem_cache_create("meminit_ctor", 40, 0, 0, count_ctor);
	p = kmem_cache_alloc(cs, GFP_KERNEL);
	KT_EQ(p[0], 0x42);
	p[1] = 9;
	kmem_cache_free(cs, p);
	q = kmem_cache_alloc(cs, GFP_KERNEL);
	KT_ASSERT(q == p && q[1] == 9 && q[0] == 0x42);
	kmem_cache_free(cs, q);
	kmem_cache_destroy(s);
	kmem_cache_destroy(cs);
	mmsim_shutdown(m2);
	KT_EQ(mmsim_enter(m, 0), 0);
}

static void test_failslab(void)
{
	struct mmsim *m2 = boot_or_die("ram=256M failslab=1,100,0,2");
	char *t;

	/* ignore-gfp-wait=Y: GFP_KERNEL may reclaim and is never failed. */
	void *p = kmalloc(32, GFP_KERNEL);

	KT_ASSERT(p != NULL);
	KT_ASSERT(kmalloc(32, GFP_ATOMIC) == NULL);
	KT_ASSERT(kmalloc(32, GFP_ATOMIC) == NULL);
	void *q = kmalloc(32, GFP_ATOMIC);	/* times=2 used up */

	KT_ASSERT(q != NULL);
	KT_EQ(failslab_attr_store("times", "-1"), 0);
	KT_EQ(failslab_attr_store("ignore-gfp-wait", "N"), 0);
	KT_ASSERT(kmalloc(16, GFP_KERNEL) == NULL);
	KT_EQ(failslab_attr_store("cache-filter", "Y"), 0);
	KT_ASSERT(kmalloc(16, GFP_KERNEL) != NULL);	/* kmalloc-16 not marked */
	KT_EQ(slab_attr_store("kmalloc-16", "failslab", "1"), 0);
	KT_ASSERT(kmalloc(16, GFP_KERNEL) == NULL);
	KT_EQ(attr_text(NULL, "probability", &t), 0);
	KT_ASSERT(!strcmp(t, "100\n"));
	free(t);
	KT_EQ(failslab_attr_store("probability", "0"), 0);
	KT_ASSERT(kmalloc(16, GFP_KERNEL) != NULL);
	KT_EQ(failslab_attr_store("probability", "101"), -EINVAL);
	mmsim_shutdown(m2);
	KT_EQ(mmsim_enter(m, 0), 0);
}

static void test_boot_params(void)
{
	struct mmsim *m2 = boot_or_die("ram=256M slub_min_order=2 slab_nomerge slub_min_objects=4");
	struct kmem_cache *a, *k;

	k = find_kmem_cache("kmalloc-64");
	KT_ASSERT(k->oo.order >= 2);
	a = kmem_cache_create("nomerge_a", 64, 0, 0, NULL);
	KT_ASSERT(a != k);
	kmem_cache_destroy(a);
	mmsim_shutdown(m2);
	m2 = boot_or_die("ram=256M slub_max_order=0");
	k = find_kmem_cache("kmalloc-8k");
	KT_EQ(k->oo.order, 1);	/* cannot fit in order 0: get_order(size) */
	KT_EQ(find_kmem_cache("kmalloc-4k")->oo.order, 0);
	mmsim_shutdown(m2);
	KT_ASSERT(mmsim_boot("slub_min_order=99") == NULL);
	KT_STR_CONTAINS(mmsim_last_error(), "slub_min_order");
	KT_ASSERT(mmsim_boot("slub_debug=Q") == NULL);
	KT_STR_CONTAINS(mmsim_last_error(), "slub_debug");
	KT_ASSERT(mmsim_boot("failslab=x") == NULL);
	KT_EQ(mmsim_enter(m, 0), 0);
}

static void test_page_size_64k(void)
{
	struct mmsim *m2 = boot_or_die("arch=arm64 page_size=64K ram=512M");
	void *p = kmalloc(100000, GFP_KERNEL);
	void *q = kmalloc(200000, GFP_KERNEL);

	KT_EQ(KMALLOC_MAX_CACHE_SIZE, 128 * 1024);
	KT_ASSERT(find_kmem_cache("kmalloc-128k") != NULL);
	KT_ASSERT(p && !strcmp(cache_of(p), "kmalloc-128k"));
	KT_ASSERT(q && !virt_to_slab(q));
	kfree(p);
	kfree(q);
	mmsim_shutdown(m2);
	KT_EQ(mmsim_enter(m, 0), 0);
}

static void test_alloc_node(void)
{
	struct mmsim *m2 = boot_or_die("ram=512M nodes=2 cpus=4");
	struct kmem_cache *s = kmem_cache_create("test_node", 128, 0, SLAB_NO_MERGE, NULL);
	void *a = kmem_cache_alloc_node(s, GFP_KERNEL, 1);
	void *b = kmalloc_node(64, GFP_KERNEL, 0);
	void *c = kmem_cache_alloc_node(s, GFP_KERNEL, 0);
	char *t;

	KT_EQ(page_to_nid(virt_to_page(a)), 1);
	KT_EQ(page_to_nid(virt_to_page(b)), 0);
	KT_EQ(page_to_nid(virt_to_page(c)), 0);
	KT_ASSERT(slab_is_valid(s));
	KT_EQ(attr_text("test_node", "objects", &t), 0);
	KT_STR_CONTAINS(t, "N1=");
	free(t);
	kmem_cache_free(s, a);
	kmem_cache_free(s, c);
	kfree(b);
	kmem_cache_destroy(s);
	mmsim_shutdown(m2);
	KT_EQ(mmsim_enter(m, 0), 0);
}

/* A random workload with the invariant checker after each phase. */
static void test_stress_random(void)
{
	struct kmem_cache *s = kmem_cache_create("test_stress", 72, 0, SLAB_NO_MERGE, NULL);
	enum { N = 4000 };
	void **live = calloc(N, sizeof(void *));
	uint64_t x = 88172645463325252ULL;

	for (int round = 0; round < 40000; round++) {
		int i;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		i = (int)(x % N);
		if ((x >> 20) % 7 == 0)
			KT_EQ(mmsim_enter(m, (int)((x >> 30) & 1)), 0);
		if (live[i]) {
			kmem_cache_free(s, live[i]);
			live[i] = NULL;
		} else {
			live[i] = kmem_cache_alloc(s, GFP_KERNEL);
			*(int *)live[i] = i;
		}
		if (round % 10000 == 9999)
			KT_ASSERT(slab_is_valid(s));
	}
	KT_EQ(mmsim_enter(m, 0), 0);
	for (int i = 0; i < N; i++) {
		if (live[i]) {
			KT_EQ(*(int *)live[i], i);
			kmem_cache_free(s, live[i]);
		}
	}
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_destroy(s);
	free(live);
}

/* kvmalloc falls back to vmalloc when no contiguous block is left. */
static void test_kvmalloc_fallback(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	struct page **pages = calloc(20000, sizeof(*pages));
	int n = 0;
	char *p;

	p = kvmalloc(64 * 1024, GFP_KERNEL);
	KT_ASSERT(p && !is_vmalloc_addr(p));	/* kmalloc can still do it */
	kvfree(p);
	/* Take every page, give back every other one: no order-1 block is left. */
	while (n < 20000 &&
	       (pages[n] = alloc_pages(GFP_KERNEL | __GFP_MEMALLOC | __GFP_NOWARN, 0)))
		n++;
	for (int i = 0; i < n; i += 2)
		__free_pages(pages[i], 0);
	drain_all_pages(NULL);
	p = kvmalloc(64 * 1024, GFP_KERNEL);
	KT_ASSERT(p && is_vmalloc_addr(p));
	if (p) {
		memset(p, 0x5a, 64 * 1024);
		kvfree(p);
	}
	KT_ASSERT(kvmalloc(64 * 1024, GFP_ATOMIC) == NULL);	/* may not block: no vmalloc */
	for (int i = 1; i < n; i += 2)
		__free_pages(pages[i], 0);
	free(pages);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	m = boot_or_die("ram=1G cpus=2");
	KT_RUN(test_kmalloc_caches);
	KT_RUN(test_kmalloc_sizes);
	KT_RUN(test_kmalloc_zero_and_null);
	KT_RUN(test_kmalloc_large);
	KT_RUN(test_kcalloc_kzalloc);
	KT_RUN(test_krealloc);
	KT_RUN(test_kstrdup_family);
	KT_RUN(test_cache_basic);
	KT_RUN(test_cache_ctor);
	KT_RUN(test_cache_merge);
	KT_RUN(test_cache_merge_destroy_alias);
	KT_RUN(test_destroy_busy_cache);
	KT_RUN(test_cross_cpu_free);
	KT_RUN(test_owner_local_free);
	KT_RUN(test_bulk);
	KT_RUN(test_gfp_caches);
	KT_RUN(test_slab_accounting);
	KT_RUN(test_slabinfo_rows);
	KT_RUN(test_sysfs_attrs);
	KT_RUN(test_devres);
	KT_RUN(test_init_on_alloc_free);
	KT_RUN(test_failslab);
	KT_RUN(test_boot_params);
	KT_RUN(test_page_size_64k);
	KT_RUN(test_alloc_node);
	KT_RUN(test_stress_random);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
	KT_RUN(test_kvmalloc_fallback);
	return kt_done();
}
