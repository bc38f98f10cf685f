// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_kfence.c - KFENCE (mm/kfence/), the cases of Linux's
 * mm/kfence/kfence_test.c that apply: out-of-bounds read and write on
 * either side (a real hardware trap on a guard page), use-after-free
 * read, double free, free of an address inside an object, corruption of
 * the canary found at free (either side), kmalloc's aligned
 * out-of-bounds read and write, kmem_cache_shrink, ksize, krealloc, a
 * cache's constructor, __GFP_ZERO, init_on_free, bulk alloc and free, an
 * access to the pool where no object
 * is ("invalid"), kmem_cache_destroy with an object still allocated
 * (a zombie), the debugfs files, and sampling by the virtual clock.
 * Each report is checked by its text, and the invariant checkers
 * (kfence_is_valid, mm_allocator_is_valid, slab_is_valid) after.
 * SLAB_TYPESAFE_BY_RCU's case does not apply: mmsim has no RCU grace
 * periods (such objects are freed at once).
 *
 * A trap is taken by the library's SEGV handler, which must see it first
 * under ASan: CMakeLists.txt sets ASAN_OPTIONS=handle_segv=0 and exports
 * the test's symbols (-rdynamic) so the report can name its functions.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <mmsim/kfence.h>
#include <mmsim/slab.h>
#include "mm/slab.h"
#include "mmtest.h"

#ifdef CONFIG_KFENCE
#define SAMPLE_MS	100
#define SAMPLE_NS	(SAMPLE_MS * 1000000ull)

enum allocation_policy { ALLOCATE_ANY, ALLOCATE_LEFT, ALLOCATE_RIGHT, ALLOCATE_NONE };

static struct mmsim *m;
static size_t mark;

/* The log since the last call, from a clean mark. */
static char *report(void)
{
	return log_since(m, &mark);
}

static void check_consistent(struct kmem_cache *s)
{
	KT_ASSERT(kfence_is_valid(m));
	KT_ASSERT(mm_allocator_is_valid());
	if (s)
		KT_ASSERT(slab_is_valid(s));
}

/*
 * Linux's test_alloc(): allocate until KFENCE serves the allocation on the
 * side asked for; the clock moves one sample interval before each try, so
 * the gate is open.
 */
void *test_alloc(struct kmem_cache *s, size_t size, gfp_t gfp, enum allocation_policy policy);

noinline void *test_alloc(struct kmem_cache *s, size_t size, gfp_t gfp,
			  enum allocation_policy policy)
{
	for (int tries = 0; tries < 200; tries++) {
		void *p;

		mmsim_advance_clock(m, SAMPLE_NS);
		p = s ? kmem_cache_alloc(s, gfp) : kmalloc(size, gfp);
		if (!p)
			return NULL;
		if (is_kfence_address(p)) {
			bool aligned = !((uintptr_t)p & (PAGE_SIZE - 1));

			if (policy == ALLOCATE_ANY || (policy == ALLOCATE_LEFT && aligned) ||
			    (policy == ALLOCATE_RIGHT && !aligned))
				return p;
		}
		if (s)
			kmem_cache_free(s, p);
		else
			kfree(p);
	}
	return NULL;
}

static unsigned long kva(const void *p)
{
	return host_to_kva(p);
}

void test_out_of_bounds_read(void);
void test_out_of_bounds_write(void);
void test_use_after_free_read(void);
void test_double_free(void);
void test_invalid_addr_free(void);
void test_corruption(void);
void test_kmalloc_aligned_oob_read(void);
void test_kmalloc_aligned_oob_write(void);
void test_invalid_access(void);
void test_arches(void);
void test_init_on_free(void);

noinline void test_out_of_bounds_read(void)
{
	char want[160], *log;
	char *buf;

	mark = log_mark(m);
	buf = test_alloc(NULL, 32, GFP_KERNEL, ALLOCATE_LEFT);
	KT_ASSERT(buf);
	if (!buf)
		return;
	(void)*(volatile char *)(buf - 1);	/* the guard page on the left */
	log = report();
	KT_STR_CONTAINS(log, "==================================================================\n");
	KT_STR_CONTAINS(log, "BUG: KFENCE: out-of-bounds read in test_out_of_bounds_read+0x");
	snprintf(want, sizeof(want), "Out-of-bounds read at 0x%lx (1B left of kfence-#", kva(buf) - 1);
	KT_STR_CONTAINS(log, want);
	snprintf(want, sizeof(want), ": 0x%lx-0x%lx, size=32, cache=kmalloc-32\n", kva(buf),
		 kva(buf) + 31);
	KT_STR_CONTAINS(log, want);
	KT_STR_CONTAINS(log, "allocated by task ");
	KT_STR_CONTAINS(log, " test_alloc+0x");
	KT_STR_CONTAINS(log, "Hardware name: mmsim");
	free(log);
	kfree(buf);

	buf = test_alloc(NULL, 32, GFP_KERNEL, ALLOCATE_RIGHT);
	KT_ASSERT(buf);
	if (!buf)
		return;
	mark = log_mark(m);
	(void)*(volatile char *)(buf + 32);	/* the guard page on the right */
	log = report();
	KT_STR_CONTAINS(log, "BUG: KFENCE: out-of-bounds read in test_out_of_bounds_read+0x");
	snprintf(want, sizeof(want), "Out-of-bounds read at 0x%lx (32B right of kfence-#",
		 kva(buf) + 32);
	KT_STR_CONTAINS(log, want);
	free(log);
	kfree(buf);
	/* The guard page the fault opened is closed again at the free. */
	{
		char prot[5];

		host_prot(buf + 32, prot);
		KT_ASSERT(!strncmp(prot, "---", 3));
	}
	KT_ASSERT(m->taint & (1UL << TAINT_BAD_PAGE));
	check_consistent(NULL);
}

noinline void test_out_of_bounds_write(void)
{
	char want[160], *log;
	char *buf = test_alloc(NULL, 32, GFP_KERNEL, ALLOCATE_LEFT);

	KT_ASSERT(buf);
	if (!buf)
		return;
	mark = log_mark(m);
	*(volatile char *)(buf - 1) = 42;
	log = report();
	KT_STR_CONTAINS(log, "BUG: KFENCE: out-of-bounds write in test_out_of_bounds_write+0x");
	snprintf(want, sizeof(want), "Out-of-bounds write at 0x%lx (1B left of kfence-#", kva(buf) - 1);
	KT_STR_CONTAINS(log, want);
	free(log);
	kfree(buf);
	check_consistent(NULL);
}

noinline void test_use_after_free_read(void)
{
	char want[160], *log;
	char *buf = test_alloc(NULL, 32, GFP_KERNEL, ALLOCATE_ANY);

	KT_ASSERT(buf);
	if (!buf)
		return;
	kfree(buf);
	mark = log_mark(m);
	(void)*(volatile char *)buf;
	log = report();
	KT_STR_CONTAINS(log, "BUG: KFENCE: use-after-free read in test_use_after_free_read+0x");
	snprintf(want, sizeof(want), "Use-after-free read at 0x%lx (in kfence-#", kva(buf));
	KT_STR_CONTAINS(log, want);
	KT_STR_CONTAINS(log, "freed by task ");
	free(log);
	check_consistent(NULL);
}

noinline void test_double_free(void)
{
	char want[160], *log;
	char *buf = test_alloc(NULL, 32, GFP_KERNEL, ALLOCATE_ANY);

	KT_ASSERT(buf);
	if (!buf)
		return;
	kfree(buf);
	mark = log_mark(m);
	kfree(buf);
	log = report();
	KT_STR_CONTAINS(log, "BUG: KFENCE: invalid free in test_double_free+0x");
	snprintf(want, sizeof(want), "Invalid free of 0x%lx (in kfence-#", kva(buf));
	KT_STR_CONTAINS(log, want);
	free(log);
	check_consistent(NULL);
}

noinline void test_invalid_addr_free(void)
{
	char want[160], *log;
	char *buf = test_alloc(NULL, 32, GFP_KERNEL, ALLOCATE_ANY);

	KT_ASSERT(buf);
	if (!buf)
		return;
	mark = log_mark(m);
	kfree(buf + 1);
	log = report();
	KT_STR_CONTAINS(log, "BUG: KFENCE: invalid free in test_invalid_addr_free+0x");
	snprintf(want, sizeof(want), "Invalid free of 0x%lx (in kfence-#", kva(buf) + 1);
	KT_STR_CONTAINS(log, want);
	free(log);
	mark = log_mark(m);
	kfree(buf);	/* the real free: no report */
	log = report();
	KT_ASSERT(!strstr(log, "KFENCE"));
	free(log);
	check_consistent(NULL);
}

noinline void test_corruption(void)
{
	struct kmem_cache *s = kmem_cache_create("test", 32, 0, SLAB_NO_MERGE, NULL);
	char want[160], *log;
	char *buf;

	KT_ASSERT(s);
	buf = test_alloc(s, 32, GFP_KERNEL, ALLOCATE_LEFT);
	KT_ASSERT(buf);
	if (!buf)
		return;
	buf[32] = 0x2a;		/* no trap: the canary on the object's own page */
	mark = log_mark(m);
	kmem_cache_free(s, buf);
	log = report();
	KT_STR_CONTAINS(log, "BUG: KFENCE: memory corruption in test_corruption+0x");
	snprintf(want, sizeof(want),
		 "Corrupted memory at 0x%lx [ 0x2a . . . . . . . . . . . . . . . ] (in kfence-#",
		 kva(buf) + 32);
	KT_STR_CONTAINS(log, want);
	KT_STR_CONTAINS(log, ", size=32, cache=test\n");
	free(log);

	buf = test_alloc(s, 32, GFP_KERNEL, ALLOCATE_RIGHT);
	KT_ASSERT(buf);
	if (!buf)
		return;
	buf[-1] = 0x2a;
	mark = log_mark(m);
	kmem_cache_free(s, buf);
	log = report();
	KT_STR_CONTAINS(log, "BUG: KFENCE: memory corruption in test_corruption+0x");
	snprintf(want, sizeof(want), "Corrupted memory at 0x%lx [ 0x2a ] (in kfence-#", kva(buf) - 1);
	KT_STR_CONTAINS(log, want);
	free(log);
	check_consistent(s);
	kmem_cache_destroy(s);
}

/* kmalloc-96 for 73 bytes: the object ends 7 bytes before its page does. */
noinline void test_kmalloc_aligned_oob_read(void)
{
	const size_t size = 73;
	char want[160], *log;
	char *buf = test_alloc(NULL, size, GFP_KERNEL, ALLOCATE_RIGHT);
	size_t gap;

	KT_ASSERT(buf);
	if (!buf)
		return;
	gap = PAGE_SIZE - ((uintptr_t)buf & (PAGE_SIZE - 1)) - size;
	KT_EQ(gap, 7);
	mark = log_mark(m);
	(void)*(volatile char *)(buf + size + gap - 1);	/* canary: no trap */
	log = report();
	KT_ASSERT(!strstr(log, "KFENCE"));
	free(log);
	(void)*(volatile char *)(buf + size + gap);	/* the guard page */
	log = report();
	snprintf(want, sizeof(want), "Out-of-bounds read at 0x%lx (%zuB right of kfence-#",
		 kva(buf) + size + gap, size + gap);
	KT_STR_CONTAINS(log, want);
	free(log);
	kfree(buf);
	check_consistent(NULL);
}

noinline void test_kmalloc_aligned_oob_write(void)
{
	const size_t size = 73;
	char want[160], *log;
	char *buf = test_alloc(NULL, size, GFP_KERNEL, ALLOCATE_RIGHT);

	KT_ASSERT(buf);
	if (!buf)
		return;
	buf[size] = (char)0xac;
	mark = log_mark(m);
	kfree(buf);
	log = report();
	KT_STR_CONTAINS(log, "BUG: KFENCE: memory corruption in test_kmalloc_aligned_oob_write+0x");
	snprintf(want, sizeof(want), "Corrupted memory at 0x%lx [ 0xac . . . . . . ] (in kfence-#",
		 kva(buf) + size);
	KT_STR_CONTAINS(log, want);
	snprintf(want, sizeof(want), ": 0x%lx-0x%lx, size=73, cache=kmalloc-96\n", kva(buf),
		 kva(buf) + 72);
	KT_STR_CONTAINS(log, want);
	free(log);
	check_consistent(NULL);
}

noinline void test_invalid_access(void)
{
	char want[160], *log;

	mark = log_mark(m);
	(void)*(volatile char *)(m->kfence_pool + 10);	/* page 0: no object's */
	log = report();
	KT_STR_CONTAINS(log, "BUG: KFENCE: invalid read in test_invalid_access+0x");
	snprintf(want, sizeof(want), "Invalid read at 0x%lx:\n", kva(m->kfence_pool) + 10);
	KT_STR_CONTAINS(log, want);
	free(log);
	check_consistent(NULL);
}

static void test_shrink_memcache(void)
{
	struct kmem_cache *s = kmem_cache_create("test", 32, 0, SLAB_NO_MERGE, NULL);
	char *buf = test_alloc(s, 32, GFP_KERNEL, ALLOCATE_ANY), *log;

	KT_ASSERT(buf);
	mark = log_mark(m);
	kmem_cache_shrink(s);
	kmem_cache_free(s, buf);
	log = report();
	KT_ASSERT(!strstr(log, "KFENCE"));
	free(log);
	check_consistent(s);
	kmem_cache_destroy(s);
}

static void test_ksize(void)
{
	char *buf = test_alloc(NULL, 20, GFP_KERNEL, ALLOCATE_RIGHT), *log;

	KT_ASSERT(buf);
	if (!buf)
		return;
	/* KFENCE knows the size asked for: all of it may be used, no more. */
	KT_EQ(ksize(buf), 20);
	mark = log_mark(m);
	memset(buf, 0x11, ksize(buf));
	kfree(buf);
	log = report();
	KT_ASSERT(!strstr(log, "KFENCE"));
	free(log);
	check_consistent(NULL);
}

static void test_krealloc(void)
{
	char *buf = test_alloc(NULL, 32, GFP_KERNEL, ALLOCATE_ANY), *log;
	char *bigger;

	KT_ASSERT(buf);
	if (!buf)
		return;
	for (int i = 0; i < 32; i++)
		buf[i] = (char)i;
	mark = log_mark(m);
	/* The gate is closed: the new object is an ordinary one. */
	bigger = krealloc(buf, 96, GFP_KERNEL);
	KT_ASSERT(bigger && !is_kfence_address(bigger));
	for (int i = 0; i < 32; i++)
		KT_EQ(bigger[i], i);
	kfree(bigger);
	log = report();
	KT_ASSERT(!strstr(log, "KFENCE"));
	free(log);
	check_consistent(NULL);
}

static void ctor_42(void *p)
{
	memset(p, 0x42, 32);
}

static void test_memcache_ctor(void)
{
	struct kmem_cache *s = kmem_cache_create("test_ctor", 32, 0, SLAB_NO_MERGE, ctor_42);
	unsigned char *buf = test_alloc(s, 32, GFP_KERNEL, ALLOCATE_ANY);

	KT_ASSERT(buf);
	if (!buf)
		return;
	for (int i = 0; i < 32; i++)
		KT_EQ(buf[i], 0x42);
	kmem_cache_free(s, buf);
	check_consistent(s);
	kmem_cache_destroy(s);
}

static void test_gfpzero(void)
{
	unsigned char *buf = test_alloc(NULL, PAGE_SIZE, GFP_KERNEL, ALLOCATE_ANY);
	int nonzero = 0;

	KT_ASSERT(buf);
	if (!buf)
		return;
	memset(buf, 0x77, PAGE_SIZE);
	kfree(buf);
	/* The same object again (freed last, but the freelist reuses the oldest
	 * first): loop until it comes back, zeroed. */
	for (int i = 0; i < 2 * CONFIG_KFENCE_NUM_OBJECTS; i++) {
		unsigned char *p = test_alloc(NULL, PAGE_SIZE, GFP_KERNEL | __GFP_ZERO, ALLOCATE_ANY);

		KT_ASSERT(p);
		if (!p)
			return;
		if (p == buf) {
			for (size_t j = 0; j < PAGE_SIZE; j++)
				nonzero += p[j] != 0;
			kfree(p);
			break;
		}
		kfree(p);
	}
	KT_EQ(nonzero, 0);
	check_consistent(NULL);
}

/* kmem_cache_destroy with a KFENCE object alive: it becomes a zombie. */
static void test_destroy_zombie(void)
{
	struct kmem_cache *s = kmem_cache_create("test_zombie", 32, 0, SLAB_NO_MERGE, NULL);
	char *buf = test_alloc(s, 32, GFP_KERNEL, ALLOCATE_ANY), *stats;

	KT_ASSERT(buf);
	kmem_cache_destroy(s);
	stats = mmsim_read(m, "/sys/kernel/debug/kfence/stats");
	KT_STR_CONTAINS(stats, "zombie allocations: 1\n");
	free(stats);
	check_consistent(NULL);
}

/* The gate: one sampled allocation per interval of virtual time. */
static void test_sampling(void)
{
	int sampled = 0;
	void *p[64];

	mmsim_advance_clock(m, SAMPLE_NS);
	for (int i = 0; i < 64; i++) {
		p[i] = kmalloc(64, GFP_KERNEL);
		sampled += is_kfence_address(p[i]);
	}
	KT_EQ(sampled, 1);
	for (int i = 0; i < 64; i++)
		kfree(p[i]);
	/* Half an interval later: still closed. */
	mmsim_advance_clock(m, SAMPLE_NS / 2);
	p[0] = kmalloc(64, GFP_KERNEL);
	KT_ASSERT(!is_kfence_address(p[0]));
	kfree(p[0]);
	check_consistent(NULL);
}

static void test_debugfs(void)
{
	char *stats = mmsim_read(m, "/sys/kernel/debug/kfence/stats");
	char *objects = mmsim_read(m, "/sys/kernel/debug/kfence/objects");

	KT_STR_CONTAINS(stats, "enabled: 1\n");
	KT_STR_CONTAINS(stats, "currently allocated: ");
	KT_STR_CONTAINS(stats, "total allocations: ");
	KT_STR_CONTAINS(stats, "total bugs: ");
	KT_STR_CONTAINS(stats, "skipped allocations (covered): ");
	KT_ASSERT(field(stats, "total bugs: ") >= 10);
	KT_STR_CONTAINS(objects, "kfence-#0: 0x");
	KT_STR_CONTAINS(objects, "---------------------------------\n");
	KT_STR_CONTAINS(objects, "freed by task ");
	free(stats);
	free(objects);
}

/* init_on_free: a freed KFENCE object reads back zeroes (after its UAF report). */
noinline void test_init_on_free(void)
{
	struct mmsim *main_m = m;
	unsigned char *buf;
	char *log;
	int nonzero = 0;

	m = boot_or_die("ram=64M cpus=1 init_on_free=1 kfence.sample_interval=100");
	buf = test_alloc(NULL, 32, GFP_KERNEL, ALLOCATE_ANY);
	KT_ASSERT(buf);
	if (buf) {
		memset(buf, 0x5c, 32);
		kfree(buf);
		mark = log_mark(m);
		for (int i = 0; i < 32; i++)
			nonzero += *(volatile unsigned char *)(buf + i) != 0;
		log = report();
		KT_STR_CONTAINS(log, "BUG: KFENCE: use-after-free read in test_init_on_free+0x");
		free(log);
	}
	KT_EQ(nonzero, 0);
	check_consistent(NULL);
	mmsim_shutdown(m);
	m = main_m;
	mmsim_enter(m, 0);
}

/* kmem_cache_alloc_bulk/free_bulk: KFENCE objects among them come and go right. */
static void test_free_bulk(void)
{
	struct kmem_cache *s = kmem_cache_create("test_bulk", 64, 0, SLAB_NO_MERGE, NULL);
	int sampled = 0;
	char *log;

	mark = log_mark(m);
	for (int round = 0; round < 20; round++) {
		void *objs[5];

		mmsim_advance_clock(m, SAMPLE_NS);
		KT_EQ(kmem_cache_alloc_bulk(s, GFP_KERNEL, 5, objs), 5);
		for (int i = 0; i < 5; i++) {
			sampled += is_kfence_address(objs[i]);
			memset(objs[i], 0x11, 64);
		}
		kmem_cache_free_bulk(s, 5, objs);
	}
	KT_EQ(sampled, 20);
	log = report();
	KT_ASSERT(!strstr(log, "KFENCE"));
	free(log);
	check_consistent(s);
	kmem_cache_destroy(s);
}

/* The other machines: the pool, the trap and the report on each layout. */
noinline void test_arches(void)
{
	static const char *const arches[] = { "i386", "i386-pae", "arm64", "x86_64-la57" };
	struct mmsim *main_m = m;

	for (size_t a = 0; a < sizeof(arches) / sizeof(arches[0]); a++) {
		char spec[128], want[160], *log;
		char *buf;

		snprintf(spec, sizeof(spec), "arch=%s ram=128M cpus=1 kfence.sample_interval=100",
			 arches[a]);
		m = boot_or_die(spec);
		KT_ASSERT(m->kfence_pool);
		buf = test_alloc(NULL, 64, GFP_KERNEL, ALLOCATE_RIGHT);
		KT_ASSERT(buf);
		if (buf) {
			mark = log_mark(m);
			(void)*(volatile char *)(buf + 64);
			log = report();
			KT_STR_CONTAINS(log, "BUG: KFENCE: out-of-bounds read in test_arches+0x");
			snprintf(want, sizeof(want), "Out-of-bounds read at 0x%lx (64B right of kfence-#",
				 kva(buf) + 64);
			KT_STR_CONTAINS(log, want);
			free(log);
			kfree(buf);
		}
		check_consistent(NULL);
		mmsim_shutdown(m);
	}
	m = main_m;
	mmsim_enter(m, 0);
}

/* kfence.sample_interval=0 (mmsim's default): no pool, nothing sampled. */
static void test_off(void)
{
	struct mmsim *o = boot_or_die("ram=64M cpus=1");
	void *p;

	KT_ASSERT(!o->kfence_pool);
	KT_ASSERT(!mmsim_read(o, "/sys/kernel/debug/kfence/stats"));	/* no pool, no files */
	mmsim_advance_clock(o, SAMPLE_NS);
	p = kmalloc(32, GFP_KERNEL);
	KT_ASSERT(!is_kfence_address(p));
	kfree(p);
	mmsim_shutdown(o);
	mmsim_enter(m, 0);
}

#endif /* CONFIG_KFENCE: the cases */

#ifndef CONFIG_KFENCE
/* Built without KFENCE: the boot word is refused by name, its off value taken. */
static void test_refused(void)
{
	char err[256];

	KT_ASSERT(!mmsim_boot("ram=64M kfence.sample_interval=100"));
	snprintf(err, sizeof(err), "%s", mmsim_last_error());
	KT_STR_CONTAINS(err, "'kfence.sample_interval=100': built without CONFIG_KFENCE");
	mmsim_shutdown(boot_or_die("ram=64M kfence.sample_interval=0"));
}

int main(void)
{
	KT_RUN(test_refused);
	return kt_done();
}
#else
int main(void)
{
	m = boot_or_die("ram=128M cpus=2 kfence.sample_interval=100");
	KT_ASSERT(m->kfence_pool);
	KT_RUN(test_out_of_bounds_read);
	KT_RUN(test_out_of_bounds_write);
	KT_RUN(test_use_after_free_read);
	KT_RUN(test_double_free);
	KT_RUN(test_invalid_addr_free);
	KT_RUN(test_corruption);
	KT_RUN(test_kmalloc_aligned_oob_read);
	KT_RUN(test_kmalloc_aligned_oob_write);
	KT_RUN(test_invalid_access);
	KT_RUN(test_shrink_memcache);
	KT_RUN(test_ksize);
	KT_RUN(test_krealloc);
	KT_RUN(test_memcache_ctor);
	KT_RUN(test_gfpzero);
	KT_RUN(test_destroy_zombie);
	KT_RUN(test_sampling);
	KT_RUN(test_debugfs);
	KT_RUN(test_off);
	KT_RUN(test_arches);
	KT_RUN(test_init_on_free);
	KT_RUN(test_free_bulk);
	mmsim_shutdown(m);
	return kt_done();
}
#endif
