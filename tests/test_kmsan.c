// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_kmsan.c - KMSAN-style infoleak checks (mm/kmsan/,
 * docs/kmsan.md): with kmsan=on, copy_to_user() of bytes never written
 * since their allocation prints Linux 6.8's
 * "BUG: KMSAN: kernel-infoleak in instrument_copy_to_user" report naming
 * the exact byte range and the allocation stack; kzalloc, __GFP_ZERO,
 * copy_from_user and written bytes do not report; copies carry the origin
 * along (a report names the first allocation); freed memory is poisoned
 * again; pages, vmalloc and large kmalloc are tracked; an explicit
 * kmsan_check_memory() reports uninit-value, a freed byte use-after-free.
 * A randomized stress compares the shadow with a reference bitmap after
 * every step.  Writes the test makes itself are told to KMSAN the way
 * compiled instrumentation tells it (kmsan_instrumented_store/memmove);
 * tests/kmsan_instr.c has the same done by the compiler (a "driver"
 * built with KASAN's instrumentation).
 *
 * The functions named in the expected stacks are global and noinline, and
 * the test is linked with -rdynamic, so the host can name them.
 * Built without CONFIG_KMSAN, only the refusal of kmsan=on is tested.
 */
#include "mmtest.h"
#include <mmsim/kmsan.h>
#include <mmsim/mman.h>
#include <mmsim/syscalls.h>
#include <mmsim/sched.h>
#include <mmsim/err.h>
#include <mmsim/uaccess.h>
#include <mmsim/slab.h>
#include <mmsim/gfp.h>
#include <mmsim/highmem.h>
#include <mmsim/vmalloc.h>
#include "mm/slab.h"

#ifdef CONFIG_KMSAN

static struct mmsim *m;
static size_t mark;
static unsigned long ubuf;	/* a user buffer of 4 pages */

/* The allocation sites the reports must name. */
noinline void *test_kmsan_alloc_site(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp);
}

noinline struct page *test_kmsan_page_site(gfp_t gfp)
{
	return alloc_page(gfp);
}

noinline void test_kmsan_explicit_check(const void *p, size_t n)
{
	kmsan_check_memory(p, n);
}

/* The log since the last call, and how many KMSAN reports it has. */
static char *new_log(int *nr_reports)
{
	char *log = log_since(m, &mark);
	int n = 0;

	for (const char *p = log; p && (p = strstr(p, "BUG: KMSAN: ")); p++)
		n++;
	*nr_reports = n;
	return log;
}

/* The text between "Uninit was created at:" and the next blank line. */
static void created_at(const char *log, char *out, size_t len)
{
	const char *p = log ? strstr(log, "Uninit was created at:\n") : NULL;
	const char *end;

	out[0] = '\0';
	if (!p)
		return;
	end = strstr(p, "\n\n");
	snprintf(out, len, "%.*s", end ? (int)(end - p) : (int)strlen(p), p);
}

static void expect_no_report(const char *what)
{
	int n;
	char *log = new_log(&n);

	KT_EQ_WHAT(n, 0, "%s: reports", what);
	if (n)
		fprintf(stderr, "%s\n", log);
	free(log);
}

/* kmalloc(16), bytes 0-3 and 8-15 written: bytes 4-7 leak. */
static void test_uninit_kmalloc(void)
{
	char *p = test_kmsan_alloc_site(16, GFP_KERNEL);
	char want[128], stack[2048];
	int n;
	char *log;

	memset(p, 'a', 4);
	kmsan_instrumented_store(p, 4);
	memset(p + 8, 'b', 8);
	kmsan_instrumented_store(p + 8, 8);
	KT_EQ(copy_to_user(ubuf, p, 16), 0);	/* the copy happens all the same */
	log = new_log(&n);
	KT_EQ(n, 1);
	if (getenv("KMSAN_TEST_SHOW"))
		fputs(log, stdout);
	KT_STR_CONTAINS(log, "=====================================================\n");
	KT_STR_CONTAINS(log, "BUG: KMSAN: kernel-infoleak in instrument_copy_to_user+0x");
	KT_STR_CONTAINS(log, "]  instrument_copy_to_user+0x");
	KT_STR_CONTAINS(log, "]  copy_to_user+0x");
	KT_STR_CONTAINS(log, "Bytes 4-7 of 16 are uninitialized\n");
	snprintf(want, sizeof(want), "Memory access of size 16 starts at %016lx\n", slab_kaddr(p));
	KT_STR_CONTAINS(log, want);
	snprintf(want, sizeof(want), "Data copied to user address %016lx\n", ubuf);
	KT_STR_CONTAINS(log, want);
	KT_STR_CONTAINS(log, "Hardware name: mmsim");
	created_at(log, stack, sizeof(stack));
	KT_STR_CONTAINS(stack, "test_kmsan_alloc_site+0x");
	/* the runtime's frames are skipped */
	KT_ASSERT(!strstr(stack, "kmsan_save_stack") && !strstr(stack, "kmsan_slab_alloc"));
	KT_ASSERT(atomic_load(&m->taint) & (1UL << TAINT_BAD_PAGE));
	free(log);
	kfree(p);
}

/* kzalloc, __GFP_ZERO pages, fully written objects, copy_from_user: silent. */
static void test_initialised_is_silent(void)
{
	char *z = kzalloc(40, GFP_KERNEL);
	char *w = test_kmsan_alloc_site(40, GFP_KERNEL);
	char *u = test_kmsan_alloc_site(64, GFP_KERNEL);
	struct page *pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
	char *v = vzalloc(3 * PAGE_SIZE);

	memset(w, 1, 40);
	kmsan_instrumented_store(w, 40);
	KT_EQ(copy_from_user(u, ubuf, 64), 0);
	KT_EQ(copy_to_user(ubuf, z, 40), 0);
	KT_EQ(copy_to_user(ubuf, w, 40), 0);
	KT_EQ(copy_to_user(ubuf, u, 64), 0);
	KT_EQ(copy_to_user(ubuf, page_address(pg), PAGE_SIZE), 0);
	KT_EQ(copy_to_user(ubuf, v, 3 * PAGE_SIZE), 0);
	/* put_user copies from the caller's own (untracked) variable */
	KT_EQ(put_user(7UL, (unsigned long *)ubuf), 0);
	expect_no_report("initialised");
	kfree(z);
	kfree(w);
	kfree(u);
	__free_page(pg);
	vfree(v);
}

/* A struct with padding, every field written: exactly the padding leaks. */
struct padded {
	u32 a;		/* 0-3, then 4 bytes of padding */
	u64 b;		/* 8-15 */
	u8 c;		/* 16, then 7 bytes of padding */
};

static void test_padding(void)
{
	struct padded *s = test_kmsan_alloc_site(sizeof(*s), GFP_KERNEL);
	int n;
	char *log;

	s->a = 1;
	kmsan_instrumented_store(&s->a, sizeof(s->a));
	s->b = 2;
	kmsan_instrumented_store(&s->b, sizeof(s->b));
	s->c = 3;
	kmsan_instrumented_store(&s->c, sizeof(s->c));
	KT_EQ(copy_to_user(ubuf, s, sizeof(*s)), 0);
	log = new_log(&n);
	KT_EQ(n, 2);	/* one report per run of poisoned bytes, as Linux */
	KT_STR_CONTAINS(log, "Bytes 4-7 of 24 are uninitialized\n");
	KT_STR_CONTAINS(log, "Bytes 17-23 of 24 are uninitialized\n");
	free(log);
	kfree(s);
}

/* A single byte: "Byte N of M is uninitialized". */
static void test_single_byte(void)
{
	char *p = test_kmsan_alloc_site(8, GFP_KERNEL);
	int n;
	char *log;

	memset(p, 0, 8);
	kmsan_instrumented_store(p, 5);
	kmsan_instrumented_store(p + 6, 2);
	KT_EQ(copy_to_user(ubuf, p, 8), 0);
	log = new_log(&n);
	KT_EQ(n, 1);
	KT_STR_CONTAINS(log, "Byte 5 of 8 is uninitialized\n");
	free(log);
	kfree(p);
}

/* A copy carries the origin: the report names the first allocation. */
static void test_origin_propagation(void)
{
	char *src = test_kmsan_alloc_site(32, GFP_KERNEL);
	char *dst = kmalloc(32, GFP_KERNEL);
	char stack[2048];
	int n;
	char *log;

	memset(dst, 0, 32);
	kmsan_instrumented_store(dst, 32);
	memset(src, 'x', 16);
	kmsan_instrumented_store(src, 16);
	memcpy(dst, src, 32);
	kmsan_instrumented_memmove(dst, src, 32);
	KT_EQ(copy_to_user(ubuf, dst, 32), 0);
	log = new_log(&n);
	KT_EQ(n, 1);
	KT_STR_CONTAINS(log, "Bytes 16-31 of 32 are uninitialized\n");
	KT_STR_CONTAINS(log, "Uninit was stored to memory at:\n");
	created_at(log, stack, sizeof(stack));
	KT_STR_CONTAINS(stack, "test_kmsan_alloc_site+0x");
	free(log);
	kfree(src);
	kfree(dst);
}

/* mmsim's own page copy (COW, migration use it) carries the metadata. */
static void test_page_copy_propagates(void)
{
	struct page *a = test_kmsan_page_site(GFP_KERNEL);
	struct page *b = alloc_page(GFP_KERNEL | __GFP_ZERO);
	char stack[2048];
	int n;
	char *log;

	memset(page_address(a), 1, 100);
	kmsan_instrumented_store(page_address(a), 100);
	copy_highpage(b, a);
	KT_EQ(copy_to_user(ubuf, page_address(b), 200), 0);
	log = new_log(&n);
	KT_EQ(n, 1);
	KT_STR_CONTAINS(log, "Bytes 100-199 of 200 are uninitialized\n");
	created_at(log, stack, sizeof(stack));
	KT_STR_CONTAINS(stack, "test_kmsan_page_site+0x");
	free(log);
	/* clear_highpage initialises, memcpy_to_page copies the source's state */
	clear_highpage(b);
	KT_EQ(copy_to_user(ubuf, page_address(b), PAGE_SIZE), 0);
	expect_no_report("clear_highpage");
	memcpy_to_page(b, 8, page_address(a) + 96, 8);	/* 4 written bytes, 4 not */
	KT_EQ(copy_to_user(ubuf, page_address(b), 64), 0);
	log = new_log(&n);
	KT_EQ(n, 1);
	KT_STR_CONTAINS(log, "Bytes 12-15 of 64 are uninitialized\n");
	free(log);
	__free_page(a);
	__free_page(b);
}

/* krealloc keeps the old bytes' state; kmemdup/kstrdup of host bytes initialise. */
static void test_krealloc_kmemdup(void)
{
	char *p = test_kmsan_alloc_site(16, GFP_KERNEL);
	char *d, *s;
	int n;
	char *log;

	kmsan_instrumented_store(p, 8);
	p = krealloc(p, 4 * 64, GFP_KERNEL);	/* a new object: 16 bytes copied */
	KT_EQ(copy_to_user(ubuf, p, 32), 0);
	log = new_log(&n);
	KT_EQ(n, 2);	/* the copied bytes, then the new ones: two origins */
	KT_STR_CONTAINS(log, "Bytes 8-15 of 32 are uninitialized\n");
	KT_STR_CONTAINS(log, "Bytes 16-31 of 32 are uninitialized\n");
	KT_STR_CONTAINS(log, "test_kmsan_alloc_site+0x");
	free(log);
	d = kmemdup("0123456789abcdef", 16, GFP_KERNEL);
	s = kstrdup("hello", GFP_KERNEL);
	KT_EQ(copy_to_user(ubuf, d, 16), 0);
	KT_EQ(copy_to_user(ubuf, s, 6), 0);
	expect_no_report("kmemdup");
	kfree(p);
	kfree(d);
	kfree(s);
}

/* Pages, vmalloc and large kmalloc without zeroing are poisoned. */
static void test_pages_vmalloc_large(void)
{
	struct page *pg = test_kmsan_page_site(GFP_KERNEL);
	size_t big = 3 * PAGE_SIZE;	/* above the largest kmalloc cache */
	char *l = kmalloc(big, GFP_KERNEL);
	char *v = vmalloc(2 * PAGE_SIZE);
	int n;
	char *log;

	KT_EQ(copy_to_user(ubuf, page_address(pg), 64), 0);
	log = new_log(&n);
	KT_EQ(n, 1);
	KT_STR_CONTAINS(log, "Bytes 0-63 of 64 are uninitialized\n");
	free(log);
	/* vmalloc: the report spans its two pages, reached through vmalloc space */
	memset(v, 0, 16);
	kmsan_instrumented_store(v, 16);
	KT_EQ(copy_to_user(ubuf, v + PAGE_SIZE - 16, 48), 0);
	log = new_log(&n);
	KT_EQ(n, 1);
	KT_STR_CONTAINS(log, "Bytes 0-47 of 48 are uninitialized\n");
	free(log);
	KT_EQ(copy_to_user(ubuf, v, 16), 0);
	expect_no_report("vmalloc written");
	KT_ASSERT(kmsan_is_poisoned(l) && kmsan_is_poisoned(l + big - 1));
	kmsan_instrumented_store(l, big);
	KT_EQ(copy_to_user(ubuf, l, big), 0);
	expect_no_report("large written");
	kfree(l);
	vfree(v);
	__free_page(pg);
}

/* After a free the bytes are poisoned again (origin: the free). */
static void test_free_repoisons(void)
{
	char *p = test_kmsan_alloc_site(64, GFP_KERNEL);
	struct page *pg = alloc_page(GFP_KERNEL | __GFP_ZERO);
	char *q;
	int n;
	char *log;

	kmsan_instrumented_store(p, 64);
	KT_ASSERT(!kmsan_is_poisoned(p + 10));
	kfree(p);
	KT_ASSERT(kmsan_is_poisoned(p + 10));	/* the freed object */
	q = test_kmsan_alloc_site(64, GFP_KERNEL);
	for (int i = 0; i < 64; i++)
		KT_ASSERT(kmsan_is_poisoned(q + i));
	kfree(q);
	/* A freed page checked explicitly: use-after-free */
	KT_ASSERT(!kmsan_is_poisoned(page_address(pg)));
	__free_page(pg);
	KT_ASSERT(kmsan_is_poisoned(page_address(pg)));
	test_kmsan_explicit_check(page_address(pg), 8);
	log = new_log(&n);
	KT_EQ(n, 1);
	KT_STR_CONTAINS(log, "BUG: KMSAN: use-after-free in test_kmsan_explicit_check+0x");
	KT_STR_CONTAINS(log, "Bytes 0-7 of 8 are uninitialized\n");
	KT_ASSERT(!strstr(log, "Data copied to user address"));
	free(log);
}

/* kmsan_check_memory(): uninit-value, with the caller as the first frame. */
static void test_explicit_check(void)
{
	char *p = test_kmsan_alloc_site(16, GFP_KERNEL);
	int n;
	char *log;

	kmsan_instrumented_store(p, 12);
	test_kmsan_explicit_check(p, 16);
	log = new_log(&n);
	KT_EQ(n, 1);
	KT_STR_CONTAINS(log, "BUG: KMSAN: uninit-value in test_kmsan_explicit_check+0x");
	KT_STR_CONTAINS(log, "Bytes 12-15 of 16 are uninitialized\n");
	free(log);
	kmsan_check_memory(&n, sizeof(n));	/* untracked host memory: nothing */
	expect_no_report("untracked");
	kfree(p);
}

/* A block device read initialises the pages it fills (DMA from the device). */
static void test_dma_from_device(void)
{
	struct page *pg = alloc_page(GFP_KERNEL);

	KT_ASSERT(kmsan_is_poisoned(page_address(pg)));
	kmsan_handle_dma(pg, 100, 50, DMA_FROM_DEVICE);
	KT_ASSERT(kmsan_is_poisoned((char *)page_address(pg) + 99));
	KT_ASSERT(!kmsan_is_poisoned((char *)page_address(pg) + 100));
	KT_ASSERT(!kmsan_is_poisoned((char *)page_address(pg) + 149));
	KT_ASSERT(kmsan_is_poisoned((char *)page_address(pg) + 150));
	kmsan_handle_dma(pg, 0, 50, DMA_TO_DEVICE);
	{
		int n;
		char *log = new_log(&n);

		KT_EQ(n, 1);
		KT_STR_CONTAINS(log, "BUG: KMSAN: uninit-value in ");
		free(log);
	}
	__free_page(pg);
	/* A highmem page (i386 with 1G) read into: initialised through kmap too */
	pg = alloc_page(GFP_HIGHUSER);
	if (pg) {
		char *k = kmap_local_page(pg);

		KT_ASSERT(kmsan_is_poisoned(k));
		kmsan_handle_dma(pg, 0, PAGE_SIZE, DMA_FROM_DEVICE);
		KT_ASSERT(!kmsan_is_poisoned(k) && !kmsan_is_poisoned(k + PAGE_SIZE - 1));
		KT_EQ(copy_to_user(ubuf, k, 128), 0);
		kunmap_local(k);
		expect_no_report("highmem read");
		__free_page(pg);
	}
}

/*
 * Random poison / write / move / copy-from-host on one buffer, the shadow
 * compared byte for byte with a reference after each step.
 */
static void test_stress(void)
{
	enum { LEN = 3 * 4096 + 123, STEPS = 400 };
	char *buf = vmalloc(LEN);
	unsigned char *ref = calloc(LEN, 1);	/* 1 = poisoned */
	unsigned char *tmp = malloc(LEN);
	char host[256];
	unsigned int seed = 12345;
	int bad = 0;

	memset(host, 0, sizeof(host));
	memset(ref, 1, LEN);	/* vmalloc without zero: all poisoned */
	for (int step = 0; step < STEPS && !bad; step++) {
		size_t a = (size_t)rand_r(&seed) % LEN;
		size_t len = 1 + (size_t)rand_r(&seed) % min((size_t)LEN - a, (size_t)700);
		size_t b = (size_t)rand_r(&seed) % (LEN - len + 1);

		switch (rand_r(&seed) % 4) {
		case 0:
			kmsan_poison_memory(buf + a, len, GFP_KERNEL);
			memset(ref + a, 1, len);
			break;
		case 1:
			kmsan_instrumented_store(buf + a, len);
			memset(ref + a, 0, len);
			break;
		case 2:
			memmove(buf + b, buf + a, len);
			kmsan_instrumented_memmove(buf + b, buf + a, len);
			memmove(tmp, ref + a, len);
			memcpy(ref + b, tmp, len);
			break;
		default:
			len = min(len, sizeof(host));
			memcpy(buf + a, host, len);
			kmsan_instrumented_memmove(buf + a, host, len);
			memset(ref + a, 0, len);
			break;
		}
		for (size_t i = 0; i < LEN; i++)
			if (kmsan_is_poisoned(buf + i) != (bool)ref[i]) {
				KT_EQ_WHAT(kmsan_is_poisoned(buf + i), ref[i], "step %d byte %zu", step, i);
				bad = 1;
				break;
			}
		KT_ASSERT(kmsan_range_is_valid(buf, LEN));
		if (step % 50 == 0)
			KT_ASSERT(mm_allocator_is_valid());
	}
	/* A copy out reports exactly when the reference has a poisoned byte. */
	{
		int n;
		bool any = false;
		char *log;

		for (size_t i = 0; i < 64; i++)
			any |= ref[i];
		KT_EQ(copy_to_user(ubuf, buf, 64), 0);
		log = new_log(&n);
		KT_EQ(n > 0, any);
		free(log);
	}
	KT_ASSERT(kmsan_is_valid());
	vfree(buf);
	free(ref);
	free(tmp);
}

/* The instrumented driver (tests/kmsan_instr.c): its own stores count. */
long drv_get_info_leaky(unsigned long ubuf);
long drv_get_info_fixed(unsigned long ubuf);
long drv_get_info_copied(unsigned long ubuf);

static void test_instrumented_driver(void)
{
	char stack[2048];
	int n;
	char *log;

	KT_EQ(drv_get_info_leaky(ubuf), 0);
	log = new_log(&n);
	KT_EQ(n, 2);	/* exactly the padding, one report per run */
	KT_STR_CONTAINS(log, "BUG: KMSAN: kernel-infoleak in instrument_copy_to_user+0x");
	KT_STR_CONTAINS(log, "]  drv_get_info_leaky+0x");
	KT_STR_CONTAINS(log, "Bytes 4-7 of 24 are uninitialized\n");
	KT_STR_CONTAINS(log, "Bytes 17-23 of 24 are uninitialized\n");
	created_at(log, stack, sizeof(stack));
	KT_STR_CONTAINS(stack, "drv_get_info_leaky+0x");
	free(log);
	KT_EQ(drv_get_info_fixed(ubuf), 0);
	expect_no_report("instrumented memset");
	KT_EQ(drv_get_info_copied(ubuf), 0);
	log = new_log(&n);
	KT_EQ(n, 2);
	KT_STR_CONTAINS(log, "Bytes 4-7 of 24 are uninitialized\n");
	KT_STR_CONTAINS(log, "Uninit was stored to memory at:\n");
	KT_ASSERT(!strstr(log, "__asan_memcpy"));	/* skipped, as Linux skips __msan_* */
	created_at(log, stack, sizeof(stack));
	KT_STR_CONTAINS(stack, "drv_get_info_copied+0x");
	free(log);
}

static void test_hooks_switch(void)
{
	char *p = kmalloc(32, GFP_KERNEL);

	/* kmsan=on: every cache takes the hooked paths */
	KT_ASSERT(virt_to_slab(p)->slab_cache->hooks);
	kfree(p);
}

static void run_on(const char *spec)
{
	struct task_struct *t;

	m = boot_or_die(spec);
	printf("# %s\n", spec);
	{
		char *kmsg = mmsim_read(m, "/dev/kmsg");

		KT_STR_CONTAINS(kmsg, "Starting KernelMemorySanitizer");
		free(kmsg);
	}
	mark = log_mark(m);
	t = mmsim_spawn(m, "leaky");
	KT_ASSERT(t && mmsim_switch_to(t) == 0);
	ubuf = sys_mmap(0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			-1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(ubuf));
	KT_RUN(test_uninit_kmalloc);
	KT_RUN(test_initialised_is_silent);
	KT_RUN(test_padding);
	KT_RUN(test_single_byte);
	KT_RUN(test_origin_propagation);
	KT_RUN(test_page_copy_propagates);
	KT_RUN(test_krealloc_kmemdup);
	KT_RUN(test_pages_vmalloc_large);
	KT_RUN(test_free_repoisons);
	KT_RUN(test_explicit_check);
	KT_RUN(test_dma_from_device);
	KT_RUN(test_stress);
	KT_RUN(test_instrumented_driver);
	KT_RUN(test_hooks_switch);
	kt_begin("invariants_after_reports");
	KT_ASSERT(mm_allocator_is_valid());
	KT_ASSERT(mm_is_valid(t->mm));
	KT_ASSERT(kmsan_is_valid());
	kt_end();
	sys_exit_group(0);
	mmsim_shutdown(m);
}

static void test_off_costs_nothing(void)
{
	struct mmsim *o = boot_or_die("arch=x86_64 ram=64M cpus=1");
	char *p = kmalloc(32, GFP_KERNEL);
	size_t mk = log_mark(o);
	char *log;

	KT_ASSERT(!o->kmsan);
	KT_ASSERT(!virt_to_slab(p)->slab_cache->hooks);
	KT_ASSERT(!kmsan_is_poisoned(p));
	kmsan_check_memory(p, 32);
	log = log_since(o, &mk);
	KT_ASSERT(!strstr(log, "KMSAN"));
	free(log);
	kfree(p);
	mmsim_shutdown(o);
}
#endif /* CONFIG_KMSAN */

static void test_boot_word(void)
{
	struct mmsim *b = mmsim_boot("arch=x86_64 ram=64M kmsan=maybe");

	KT_ASSERT(!b);
	KT_STR_CONTAINS(mmsim_last_error(), "'kmsan=maybe': kmsan takes on or off");
	b = mmsim_boot("arch=x86_64 ram=64M kmsan=off");
	KT_ASSERT(b);
	if (b)
		mmsim_shutdown(b);
	b = mmsim_boot("arch=x86_64 ram=64M kmsan=on");
#ifdef CONFIG_KMSAN
	KT_ASSERT(b);
	if (b)
		mmsim_shutdown(b);
#else
	KT_ASSERT(!b);
	KT_STR_CONTAINS(mmsim_last_error(), "'kmsan=on': built without CONFIG_KMSAN");
#endif
}

int main(void)
{
	KT_RUN(test_boot_word);
#ifdef CONFIG_KMSAN
	KT_RUN(test_off_costs_nothing);
	run_on("arch=x86_64 ram=128M cpus=2 kmsan=on");
	run_on("arch=i386 ram=1G cpus=2 kmsan=on");
	run_on("arch=arm64 page_size=64K ram=256M cpus=2 kmsan=on");
	run_on("arch=x86_64 ram=128M cpus=2 kmsan=on kasan=on");	/* both tools */
#endif
	return kt_done();
}
