// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_slab_debug.c - slub_debug: red zones, poisoning, stored call
 * sites, validate, SLUB's report texts and repair-and-continue; the
 * semantics of Linux's mm/slub_kunit.c (errors are counted in
 * slab_globals.nr_errors as kunit counts slab_errors).
 */
#include "mmtest.h"
#include "mm/slab.h"

static struct mmsim *m;

static long errors(void)
{
	return atomic_long_read(&slab_globals()->nr_errors);
}

static struct kmem_cache *dbg_cache(const char *name, unsigned int size, slab_flags_t flags)
{
	return kmem_cache_create(name, size, 0, flags | SLAB_NO_MERGE, NULL);
}

/* slub_kunit: test_clobber_zone */
static void test_clobber_zone(void)
{
	struct kmem_cache *s = dbg_cache("TestSlub_RZ_alloc", 64, SLAB_RED_ZONE);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);
	long e = errors();
	size_t mark = log_mark(m);
	char *log;

	p[64] = 0x12;
	validate_slab_cache(s);
	KT_ASSERT(errors() > e);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "BUG TestSlub_RZ_alloc (");
	KT_STR_CONTAINS(log, "): Right Redzone overwritten");
	KT_STR_CONTAINS(log, "First byte 0x12 instead of 0xcc");
	KT_STR_CONTAINS(log, "FIX TestSlub_RZ_alloc: Restoring Right Redzone");
	KT_STR_CONTAINS(log, "Redzone  ");
	free(log);
	e = errors();
	validate_slab_cache(s);	/* repaired */
	KT_EQ(errors(), e);
	kmem_cache_free(s, p);
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_destroy(s);
}

/* slub_kunit: test_next_pointer */
static void test_next_pointer(void)
{
	struct kmem_cache *s = dbg_cache("TestSlub_next_ptr_free", 64, SLAB_POISON);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);
	unsigned long *ptr;
	long e;
	size_t mark;
	char *log;

	kmem_cache_free(s, p);
	ptr = (unsigned long *)(p + s->offset);
	*ptr = 0x1234;		/* corrupt the free pointer */
	e = errors();
	mark = log_mark(m);
	validate_slab_cache(s);
	KT_ASSERT(errors() > e);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "Freechain corrupt");
	free(log);
	/* Repaired: the corrupt chain was cut; later allocations are sane. */
	e = errors();
	validate_slab_cache(s);
	KT_EQ(errors(), e);
	for (int i = 0; i < 5; i++) {
		void *q = kmem_cache_alloc(s, GFP_KERNEL);

		KT_ASSERT(q && virt_to_slab(q)->slab_cache == s);
	}
	kmem_cache_shrink(s);
	KT_ASSERT(slab_is_valid(s));
	/* objects leak from the cut chain, as in Linux: no destroy here */
}

/* slub_kunit: test_first_word / test_clobber_50th_byte */
static void test_poison_overwritten(void)
{
	struct kmem_cache *s = dbg_cache("TestSlub_1th_word_free", 64, SLAB_POISON);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);
	long e;
	size_t mark;
	char *log;

	kmem_cache_free(s, p);
	p[0] = 0x78;
	p[50] = 0x9a;
	e = errors();
	mark = log_mark(m);
	validate_slab_cache(s);
	KT_ASSERT(errors() > e);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "Poison overwritten");
	KT_STR_CONTAINS(log, "First byte 0x78 instead of 0x6b");
	KT_STR_CONTAINS(log, "FIX TestSlub_1th_word_free: Restoring Poison");
	free(log);
	KT_EQ(p[0], POISON_FREE);
	KT_EQ(p[50], POISON_FREE);
	KT_EQ(p[63], POISON_END);
	e = errors();
	validate_slab_cache(s);
	KT_EQ(errors(), e);
	kmem_cache_destroy(s);
}

/* slub_kunit: test_clobber_redzone_free */
static void test_clobber_redzone_free(void)
{
	struct kmem_cache *s = dbg_cache("TestSlub_RZ_free", 64, SLAB_RED_ZONE);
	u8 *p = kmem_cache_alloc(s, GFP_KERNEL);
	long e;

	kmem_cache_free(s, p);
	p[64] = 0xab;
	e = errors();
	validate_slab_cache(s);
	KT_ASSERT(errors() > e);
	KT_EQ(p[64], SLUB_RED_INACTIVE);
	kmem_cache_destroy(s);
}

/* slub_kunit: test_kmalloc_redzone_access */
static void test_kmalloc_redzone(void)
{
	struct kmem_cache *s = dbg_cache("TestSlub_RZ_kmalloc", 32,
					 SLAB_KMALLOC | SLAB_STORE_USER | SLAB_RED_ZONE);
	u8 *p = __kmem_cache_alloc_node(s, GFP_KERNEL, NUMA_NO_NODE, 18,
					  (unsigned long)&test_kmalloc_redzone);
	size_t mark = log_mark(m);
	long e = errors();
	char *log;

	KT_EQ(p[18], SLUB_RED_ACTIVE);
	p[18] = 0xab;
	p[19] = 0xab;
	validate_slab_cache(s);
	KT_ASSERT(errors() > e);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "kmalloc Redzone overwritten");
	KT_STR_CONTAINS(log, "Allocated in ");
	free(log);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

/* A double free is reported and the object is never handed out twice. */
static void test_double_free(void)
{
	struct kmem_cache *s = dbg_cache("TestSlub_dfree", 48, SLAB_CONSISTENCY_CHECKS |
								  SLAB_STORE_USER);
	void *a = kmem_cache_alloc(s, GFP_KERNEL), *b, *c;
	size_t mark = log_mark(m);
	char *log;

	kmem_cache_free(s, a);
	kmem_cache_free(s, a);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "): Object already free");
	KT_STR_CONTAINS(log, "Freed in ");
	KT_STR_CONTAINS(log, "FIX TestSlub_dfree: Object at 0x");
	free(log);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	KT_ASSERT(b != c);
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_free(s, b);
	kmem_cache_free(s, c);
	kmem_cache_destroy(s);
}

/* Without debugging: the naive check still stops a direct double free. */
static void test_double_free_fastpath(void)
{
	struct kmem_cache *s = dbg_cache("TestSlub_dfree_fast", 48, 0);
	void *a = kmem_cache_alloc(s, GFP_KERNEL), *b, *c;
	size_t mark = log_mark(m);
	char *log;

	kmem_cache_free(s, a);
	kmem_cache_free(s, a);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "kernel BUG at");
	free(log);
	b = kmem_cache_alloc(s, GFP_KERNEL);
	c = kmem_cache_alloc(s, GFP_KERNEL);
	KT_ASSERT(b != c);
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_free(s, b);
	kmem_cache_free(s, c);
	kmem_cache_destroy(s);
}

/* Shutdown report lists the objects left and where they were allocated. */
static void test_shutdown_report(void)
{
	struct kmem_cache *s = dbg_cache("TestSlub_leak", 40, SLAB_STORE_USER);
	size_t mark = log_mark(m);
	char *log;

	kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_alloc(s, GFP_KERNEL);
	kmem_cache_destroy(s);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "): Objects remaining in TestSlub_leak on __kmem_cache_shutdown()");
	KT_STR_CONTAINS(log, "Slab 0x");
	KT_STR_CONTAINS(log, "@offset=");
	KT_STR_CONTAINS(log, "Allocated in ");
	KT_STR_CONTAINS(log, "Slab cache still has objects");
	free(log);
}

static void test_slub_debug_param(void)
{
	struct mmsim *m2 = boot_or_die("ram=256M slub_debug=FZPU,dbg_*;T,other_x");
	struct kmem_cache *a = kmem_cache_create("dbg_one", 64, 0, 0, NULL);
	struct kmem_cache *b = kmem_cache_create("plain_one", 64, 0, SLAB_NO_MERGE, NULL);
	u8 *p;
	char *t;

	KT_ASSERT((a->flags & SLAB_RED_ZONE) && (a->flags & SLAB_POISON) &&
		  (a->flags & SLAB_STORE_USER) && (a->flags & SLAB_CONSISTENCY_CHECKS));
	KT_ASSERT(!(b->flags & (SLAB_RED_ZONE | SLAB_POISON)));
	t = mmsim_read(m2, "/sys/kernel/slab/dbg_one/red_zone");
	KT_ASSERT(t && !strcmp(t, "1\n"));
	free(t);
	p = kmem_cache_alloc(a, GFP_KERNEL);
	KT_EQ(p[0], POISON_FREE);	/* SLUB poisons allocated objects too */
	KT_EQ(p[63], POISON_END);
	p[64] = 0;			/* right red zone */
	kmem_cache_free(a, p);		/* F: checked on free */
	KT_ASSERT(errors() >= 1);
	KT_EQ(slab_attr_store("dbg_one", "validate", "1"), 0);
	kmem_cache_destroy(a);
	kmem_cache_destroy(b);
	mmsim_shutdown(m2);
	/* Bare slub_debug: everything is debugged, kmalloc included. */
	m2 = boot_or_die("ram=256M slub_debug");
	KT_ASSERT(find_kmem_cache("kmalloc-64")->flags & SLAB_RED_ZONE);
	p = kmalloc(20, GFP_KERNEL);
	KT_EQ(p[20], SLUB_RED_ACTIVE);	/* the kmalloc red zone past the request */
	KT_EQ(ksize(p), 32);
	KT_EQ(p[20], SLUB_RED_ACTIVE);
	kfree(p);
	KT_ASSERT(slab_is_valid(find_kmem_cache("kmalloc-32")));
	mmsim_shutdown(m2);
	KT_EQ(mmsim_enter(m, 0), 0);
}

/*
 * What a report run leaves behind on @mm: a red zone overwritten (the
 * object is then kept out of the free list), a double free in a debug
 * cache and in a cache without debugging, SLAB_TRACE lines, and a destroy
 * with that object left.  The host addresses of the object and its slab
 * go to @host for the caller to look for.
 */
static void report_run(struct mmsim *mm, unsigned long host[2])
{
	struct kmem_cache *s, *t, *plain;
	u8 *p, *q;

	KT_EQ(mmsim_enter(mm, 0), 0);
	s = dbg_cache("TestSlub_det", 64, SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON |
						  SLAB_STORE_USER);
	t = dbg_cache("TestSlub_det_trace", 32, SLAB_TRACE);
	plain = dbg_cache("TestSlub_det_plain", 48, 0);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	q = kmem_cache_alloc(s, GFP_KERNEL);
	p[64] = 0x12;			/* the right red zone */
	kmem_cache_free(s, p);		/* reported, not freed */
	kmem_cache_free(s, q);
	kmem_cache_free(s, q);		/* Object already free */
	kmem_cache_free(t, kmem_cache_alloc(t, GFP_KERNEL));
	q = kmem_cache_alloc(plain, GFP_KERNEL);
	kmem_cache_free(plain, q);
	kmem_cache_free(plain, q);	/* the naive double-free check */
	host[0] = (unsigned long)p;
	host[1] = (unsigned long)virt_to_slab(p);
	kmem_cache_destroy(s);		/* p is left: Objects remaining */
	kmem_cache_destroy(t);
	kmem_cache_destroy(plain);
}

/* A hex number of 9 digits or more in @log that is no simulated kernel
 * address (those are 0xffff... on x86_64): a host pointer.  NULL if none. */
static const char *host_pointer_in(const char *log)
{
	for (const char *c = log; *c; ) {
		size_t n = strspn(c, "0123456789abcdef");

		if (n >= 9) {
			unsigned long long v = strtoull(c, NULL, 16);

			if (v >= (1ULL << 32) && v < 0xffff800000000000ULL)
				return c;
		}
		c += n ? n : 1;
	}
	return NULL;
}

/*
 * Two machines booted with the same spec, both alive (so their memory is
 * at different host addresses), run the same reports: their kernel logs
 * are byte-identical, and the reports show simulated kernel addresses
 * (ffff8880... in the direct map) and no host pointer.
 */
static void test_report_deterministic(void)
{
	const char *spec = "ram=128M cpus=2";
	struct mmsim *m1 = boot_or_die(spec), *m2 = boot_or_die(spec);
	unsigned long host1[2], host2[2];
	size_t mark1 = log_mark(m1), mark2 = log_mark(m2);
	char *log1, *log2, *rep1, *rep2, hex[32];
	const char *bad;

	report_run(m1, host1);
	report_run(m2, host2);
	KT_ASSERT(host1[0] != host2[0]);
	log1 = mmsim_read(m1, "/dev/kmsg");
	log2 = mmsim_read(m2, "/dev/kmsg");
	KT_ASSERT(log1 && log2);
	KT_ASSERT(log1 && log2 && !strcmp(log1, log2));
	rep1 = log_since(m1, &mark1);
	rep2 = log_since(m2, &mark2);
	KT_STR_CONTAINS(rep1, "BUG TestSlub_det (Not tainted): Right Redzone overwritten");
	KT_STR_CONTAINS(rep1, "First byte 0x12 instead of 0xcc");
	KT_STR_CONTAINS(rep1, "Object 0xffff8880");
	KT_STR_CONTAINS(rep1, "Redzone  ffff8880");
	KT_STR_CONTAINS(rep1, "Slab 0xffffea00");
	KT_STR_CONTAINS(rep1, "FIX TestSlub_det: Object at 0xffff8880");
	KT_STR_CONTAINS(rep1, "TRACE TestSlub_det_trace alloc 0xffff8880");
	KT_STR_CONTAINS(rep1, "double free of object 0xffff8880");
	KT_STR_CONTAINS(rep1, "Objects remaining in TestSlub_det");
	KT_STR_CONTAINS(rep1, "Allocated in ");
	for (int i = 0; i < 2; i++) {
		snprintf(hex, sizeof(hex), "%lx", host1[i]);
		KT_ASSERT(!strstr(rep1, hex));
		snprintf(hex, sizeof(hex), "%lx", host2[i]);
		KT_ASSERT(!strstr(rep2, hex));
	}
	bad = host_pointer_in(rep1);
	if (bad)
		fprintf(stderr, "host pointer in the report: %.40s\n", bad);
	KT_ASSERT(!bad);
	free(log1);
	free(log2);
	free(rep1);
	free(rep2);
	mmsim_shutdown(m1);
	mmsim_shutdown(m2);
	KT_EQ(mmsim_enter(m, 0), 0);
}

static void test_debug_stress(void)
{
	struct kmem_cache *s = dbg_cache("TestSlub_stress", 100, SLAB_CONSISTENCY_CHECKS |
								  SLAB_RED_ZONE | SLAB_POISON |
								  SLAB_STORE_USER);
	void *live[600] = { 0 };
	long e = errors();

	for (int r = 0; r < 6000; r++) {
		int i = (r * 7919) % 600;

		if (live[i]) {
			kmem_cache_free(s, live[i]);
			live[i] = NULL;
		} else {
			live[i] = kmem_cache_alloc(s, GFP_KERNEL);
			memset(live[i], 0x33, 100);
		}
	}
	validate_slab_cache(s);
	KT_EQ(errors(), e);
	KT_ASSERT(slab_is_valid(s));
	for (int i = 0; i < 600; i++)
		if (live[i])
			kmem_cache_free(s, live[i]);
	KT_EQ(errors(), e);
	kmem_cache_destroy(s);
	KT_ASSERT(find_kmem_cache("TestSlub_stress") == NULL);
}

int main(void)
{
	m = boot_or_die("ram=512M cpus=2");
	KT_RUN(test_clobber_zone);
	KT_RUN(test_next_pointer);
	KT_RUN(test_poison_overwritten);
	KT_RUN(test_clobber_redzone_free);
	KT_RUN(test_kmalloc_redzone);
	KT_RUN(test_double_free);
	KT_RUN(test_double_free_fastpath);
	KT_RUN(test_shutdown_report);
	KT_RUN(test_slub_debug_param);
	KT_RUN(test_report_deterministic);
	KT_RUN(test_debug_stress);
	mmsim_shutdown(m);
	return kt_done();
}
