// SPDX-License-Identifier: GPL-2.0
/*
 * test_kasan - generic KASAN (mm/kasan/, docs/kasan.md).
 *
 * The cases of Linux's kasan_test_c.c live in tests/kasan_test_c.c, built
 * with KASAN's instrumentation; this half boots a kasan=on machine with
 * kasan_multi_shot (Linux's KUnit test turns multi-shot on too), runs each
 * case and checks every report by its text: the "BUG: KASAN: <type> in"
 * line, the access line, the object description, the memory state with
 * its marker, the taint.  After each case the invariant checkers must
 * pass.  Then: the boot words, the first-report-only rule, the shadow's
 * values for each allocator, the quarantine, kasan.fault=panic, a machine
 * with kasan off (no shadow, no hooks), and a randomized
 * kmalloc/kfree/krealloc stress with the checkers after every step.
 */
#include <mmsim/mman.h>
#include <mmsim/syscalls.h>
#include <mmsim/sched.h>
#include <mmsim/err.h>
#include <mmsim/vmalloc.h>
#include <mmsim/panic.h>
#include <mmsim/shrinker.h>
#include "slab_test.h"
#include "kasan_test.h"
#ifndef CONFIG_KASAN
/* Built without KASAN: the cases link, but only the refusal is tested. */
void kasan_expect_report(const char *bug, const char *func, int line)
{
	(void)bug; (void)func; (void)line;
}

int main(void)
{
	kt_begin("kasan_refused");
	KT_ASSERT(!mmsim_boot("ram=128M kasan=on"));
	KT_STR_CONTAINS(mmsim_last_error(), "'kasan=on': built without CONFIG_KASAN");
	kt_end();
	return kt_done();
}
#else
#include "mm/kasan/kasan.h"

static struct mmsim *M0;
static size_t mark;
static int nr_reports;

/* The log without its "[    0.000400] " stamps, so that lines can be matched together. */
static char *strip_stamps(char *log)
{
	char *in = log, *out = log;

	while (*in) {
		if (*in == '[') {
			char *e = strstr(in, "] ");

			if (e && !memchr(in, '\n', (size_t)(e - in)))
				in = e + 2;
		}
		while (*in && *in != '\n')
			*out++ = *in++;
		if (*in)
			*out++ = *in++;
	}
	*out = '\0';
	return log;
}

static bool machine_is_valid(void)
{
	struct slab_globals *sg = slab_globals();
	struct kmem_cache *s;
	bool ok = mm_allocator_is_valid();

	list_for_each_entry(s, &sg->slab_caches, list)
		ok = slab_is_valid(s) && ok;
	return kasan_is_valid() && ok;
}

/* Called by the instrumented cases after each access they make. */
void kasan_expect_report(const char *bug, const char *func, int line)
{
	char *log = strip_stamps(log_since(M0, &mark));
	const char *p = log;
	int n = 0;
	char want[128];

	while ((p = strstr(p, "BUG: KASAN: "))) {
		n++;
		p++;
	}
	if (!bug) {
		if (n) {
			fprintf(stderr, "%s:%d: unexpected report:\n%s\n", func, line, log);
			kt_cur_failed++;
		}
		free(log);
		return;
	}
	/* One access may make two reports (a read, then a write: ptr[0] = ptr[N]). */
	snprintf(want, sizeof(want), "BUG: KASAN: %s in ", bug);
	if (n < 1 || n > 2 || strstr(log, "BUG: KASAN: ") != strstr(log, want)) {
		fprintf(stderr, "%s:%d: expected \"%s\" first, got %d reports:\n%s\n", func, line, want,
			n, log);
		kt_cur_failed++;
	}
	/* Each report: the frame lines, the ===== pair, the memory state. */
	KT_STR_CONTAINS(log, "==================================================================\n");
	KT_STR_CONTAINS(log, "Call Trace:\n <TASK>\n");
	KT_STR_CONTAINS(log, "Memory state around the buggy address:\n");
	/* The access was made in @func: its frame is in the call trace. */
	snprintf(want, sizeof(want), " %s+0x", func);
	if (!strstr(log, want)) {
		fprintf(stderr, "%s:%d: no frame of %s in:\n%s\n", func, line, func, log);
		kt_cur_failed++;
	}
	free(log);
	nr_reports++;
}

static void run_case(const char *name, void (*fn)(void))
{
	kt_begin(name);
	mark = log_mark(M0);
	fn();
	KT_ASSERT(machine_is_valid());
	kt_end();
}

#define CASE(fn)	run_case(#fn, fn)

/* The report of kmalloc_oob_right's first access, line by line. */
static void test_report_format(void)
{
	char *log, *p;
	char line[160];

	kt_begin("report_format");
	mark = log_mark(M0);
	kmalloc_oob_right();
	log = strip_stamps(printk_render_dmesg(M0));
	p = strstr(log, "==================================================================\n"
		     "BUG: KASAN: slab-out-of-bounds in kmalloc_oob_right+0x");
	KT_ASSERT(p);
	if (p) {
		/* The header, then the access: a 1-byte write at 115 of a 115-byte kmalloc. */
		p = strchr(strchr(p, '\n') + 1, '\n') + 1;
		KT_ASSERT(!strncmp(p, "Write of size 1 at addr ffff8880", 32));
		/* Linux's blank line between the access and the CPU line. */
		snprintf(line, sizeof(line), " by task %s/%d\n\nCPU: 0 PID: %d Comm: %s Not tainted",
			 M0->comm, M0->pid, M0->pid, M0->comm);
		KT_STR_CONTAINS(p, line);
		KT_STR_CONTAINS(p, "Hardware name: mmsim x86_64, BIOS mmsim 0.1\nCall Trace:\n <TASK>\n");
		KT_STR_CONTAINS(p, "Allocated by task ");
		KT_STR_CONTAINS(p, "The buggy address belongs to the object at ffff8880");
		KT_STR_CONTAINS(p, "\n which belongs to the cache kmalloc-128 of size 128\n"
				"The buggy address is located 0 bytes to the right of\n"
				" allocated 115-byte region [ffff8880");
		KT_STR_CONTAINS(p, "The buggy address belongs to the physical page:\npage: refcount:");
		KT_STR_CONTAINS(p, "page dumped because: kasan: bad access detected\n");
		/* 115 bytes: 14 whole granules, 3 bytes of the 15th, then red zone. */
		KT_STR_CONTAINS(p, ": 00 00 00 00 00 00 00 00 00 00 00 00 00 00 03 fc\n");
		/* The marker under granule 14: 3 + 16 + 14 * 3 + 1 columns, '^' last. */
		snprintf(line, sizeof(line), "03 fc\n%*c\n", 3 + 16 + 14 * 3 + 1, '^');
		KT_STR_CONTAINS(p, line);
		KT_STR_CONTAINS(p, "Tainted: G    B");
	}
	/* A write into kmalloc-128's second slack granule, and a read past the object. */
	KT_STR_CONTAINS(log, "Write of size 1 at addr ");
	KT_STR_CONTAINS(log, "The buggy address is located 5 bytes to the right of\n");
	KT_STR_CONTAINS(log, "Read of size 1 at addr ");
	KT_STR_CONTAINS(log, "The buggy address is located 13 bytes to the right of\n");
	KT_ASSERT(atomic_load(&M0->taint) & (1UL << TAINT_BAD_PAGE));
	if (kt_cur_failed)
		fprintf(stderr, "%s", log);
	free(log);
	kt_end();
}

/* A freed object: freed stack, freetrack shadow, "freed N-byte region". */
static void test_uaf_report(void)
{
	char *log;

	kt_begin("uaf_report");
	mark = log_mark(M0);
	kmalloc_uaf();
	log = strip_stamps(printk_render_dmesg(M0));
	KT_STR_CONTAINS(log, "Read of size 1 at addr ");
	KT_STR_CONTAINS(log, "Freed by task ");
	KT_STR_CONTAINS(log, "The buggy address is located 8 bytes inside of\n freed 16-byte region [");
	KT_STR_CONTAINS(log, "fa fb");
	if (kt_cur_failed)
		fprintf(stderr, "%s", log);
	free(log);
	kt_end();
}

static void test_copy_user(void)
{
	struct task_struct *t;
	unsigned long a;

	kt_begin("copy_user_test");
	t = mmsim_spawn(M0, "kasan_copy");
	KT_ASSERT(t && !mmsim_switch_to(t));
	a = sys_mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(a));
	mark = log_mark(M0);
	copy_user_test(a);
	KT_ASSERT(mm_is_valid(t->mm));
	KT_ASSERT(machine_is_valid());
	sys_exit_group(0);
	kt_end();
}

static uint8_t shadow_of(const void *p)
{
	struct kasan_state *ks = kasan_state_of(p);
	uint8_t *s = ks ? kasan_shadow(ks, p) : NULL;

	return s ? *s : 0xee;
}

/* What each allocator leaves in the shadow. */
static void test_shadow_values(void)
{
	char *p, *v;
	struct page *pg;

	kt_begin("shadow_values");
	p = kmalloc(100, GFP_KERNEL);
	KT_EQ(shadow_of(p), 0);
	KT_EQ(shadow_of(p + 96), 4);			/* 100 = 12 granules + 4 */
	KT_EQ(shadow_of(p + 104), KASAN_SLAB_REDZONE);	/* kmalloc-128's tail */
	KT_EQ(shadow_of(p + 128), KASAN_SLAB_REDZONE);	/* past the object: metadata */
	kfree(p);
	KT_EQ(shadow_of(p), KASAN_SLAB_FREETRACK);
	KT_EQ(shadow_of(p + 8), KASAN_SLAB_FREE);
	pg = alloc_pages(GFP_KERNEL, 2);
	v = page_address(pg);
	KT_EQ(shadow_of(v), 0);
	KT_EQ(shadow_of(v + 4 * PAGE_SIZE - 8), 0);
	__free_pages(pg, 2);
	KT_EQ(shadow_of(v), KASAN_PAGE_FREE);
	p = kmalloc(3 * PAGE_SIZE + 3, GFP_KERNEL);	/* large: pages */
	KT_EQ(shadow_of(p + 3 * PAGE_SIZE), 3);
	KT_EQ(shadow_of(p + 3 * PAGE_SIZE + 8), KASAN_PAGE_REDZONE);
	kfree(p);
	KT_EQ(shadow_of(p), KASAN_PAGE_FREE);
	v = vmalloc(PAGE_SIZE + 10);
	KT_EQ(shadow_of(v + PAGE_SIZE), 0);
	KT_EQ(shadow_of(v + PAGE_SIZE + 8), 2);
	KT_EQ(shadow_of(v + PAGE_SIZE + 16), KASAN_VMALLOC_INVALID);
	KT_EQ(shadow_of(v + 2 * PAGE_SIZE), KASAN_VMALLOC_INVALID);	/* guard */
	vfree(v);
	KT_EQ(shadow_of(v), KASAN_VMALLOC_INVALID);
	KT_ASSERT(machine_is_valid());
	kt_end();
}

/* Freed objects wait; shrink and destroy empty the cache's part. */
static void test_quarantine(void)
{
	struct kasan_state *ks = kasan_current();
	struct kmem_cache *c = kmem_cache_create("kasan_q", 64, 0, 0, NULL);
	void *a, *b;
	unsigned long before;

	kt_begin("quarantine");
	a = kmem_cache_alloc(c, GFP_KERNEL);
	before = ks->q.objects;
	kmem_cache_free(c, a);
	KT_EQ(ks->q.objects, before + 1);
	b = kmem_cache_alloc(c, GFP_KERNEL);
	KT_ASSERT(a != b);			/* a still waits */
	kmem_cache_free(c, b);
	KT_ASSERT(active_objs(c) >= 2);	/* quarantined objects are in use for SLUB */
	kmem_cache_shrink(c);
	KT_EQ(ks->q.objects, before);
	KT_EQ(active_objs(c), 0);
	KT_ASSERT(ks->q.max_bytes == ((unsigned long)totalram_pages() << PAGE_SHIFT) / 32);
	/* Bounded: a flood of frees never holds more than the bound. */
	for (int i = 0; i < 20000; i++)
		kfree(kmalloc(2048, GFP_KERNEL));
	KT_ASSERT(ks->q.bytes <= ks->q.max_bytes);
	KT_ASSERT(ks->q.objects > 100);
	/* Memory pressure: drop_caches' drop_slab() runs the quarantine's shrinker. */
	before = ks->q.objects;
	drop_slab();
	KT_ASSERT(ks->q.objects < before / 2);
	kasan_quarantine_drain();
	KT_EQ(ks->q.objects, 0);
	KT_EQ(ks->q.bytes, 0);
	kmem_cache_destroy(c);
	KT_ASSERT(machine_is_valid());
	kt_end();
}

/* kasan_is_valid() catches a shadow or a quarantine broken on purpose. */
static void test_checker_catches(void)
{
	struct kasan_state *ks = kasan_current();
	char *p = kmalloc(100, GFP_KERNEL), *q = kmalloc(64, GFP_KERNEL);
	struct page *page = NULL;
	struct zone *zone;
	uint8_t *sh, saved;
	char *log;

	kt_begin("checker_catches");
	/* A free buddy block: the first on any free list (the machine is quiet). */
	for_each_populated_zone(zone)
		for (unsigned int o = 0; o < NR_PAGE_ORDERS && !page; o++)
			if (!list_empty(&zone->free_area[o].free_list[MIGRATE_MOVABLE]))
				page = list_first_entry(&zone->free_area[o].free_list[MIGRATE_MOVABLE],
							struct page, lru);
	KT_ASSERT(p && q && page);
	KT_ASSERT(kasan_is_valid());
	/* KA1: a live object's byte poisoned by hand. */
	sh = kasan_shadow(ks, p + 16);
	saved = *sh;
	*sh = KASAN_SLAB_FREE;
	mark = log_mark(M0);
	KT_ASSERT(!kasan_is_valid());
	log = log_since(M0, &mark);
	KT_STR_CONTAINS(log, "kasan_is_valid: allocated object");
	free(log);
	*sh = saved;
	KT_ASSERT(kasan_is_valid());
	/* KA1: the byte past the requested size made accessible. */
	sh = kasan_shadow(ks, p + 96);
	saved = *sh;
	*sh = 0;
	KT_ASSERT(!kasan_is_valid());
	*sh = saved;
	/* KA2: a quarantined object unpoisoned. */
	kfree(q);
	sh = kasan_shadow(ks, q + 8);
	saved = *sh;
	*sh = 0;
	KT_ASSERT(!kasan_is_valid());
	*sh = saved;
	/* KA3: the quarantine's byte count off by one. */
	ks->q.bytes++;
	KT_ASSERT(!kasan_is_valid());
	ks->q.bytes--;
	/* KA4: a free page's shadow accessible. */
	KT_ASSERT(PageBuddy(page));
	sh = kasan_shadow(ks, (char *)page_address(page) + 64);
	saved = *sh;
	*sh = 0;
	mark = log_mark(M0);
	KT_ASSERT(!kasan_is_valid());
	log = log_since(M0, &mark);
	KT_STR_CONTAINS(log, "not ff");
	free(log);
	*sh = saved;
	KT_ASSERT(kasan_is_valid());
	kfree(p);
	KT_ASSERT(machine_is_valid());
	mark = log_mark(M0);
	kt_end();
}

/* Without kasan_multi_shot only the first report is printed. */
static void test_single_shot(void)
{
	struct mmsim *m;
	char *log;
	const char *p;
	int n = 0;

	kt_begin("single_shot");
	m = boot_or_die("ram=128M kasan=on");
	{
		char *x = kmalloc(8, GFP_KERNEL);

		kfree(x);
		kfree(x);	/* double-free: reported */
		kfree(x);	/* again: not reported */
	}
	log = printk_render_dmesg(m);
	for (p = log; (p = strstr(p, "BUG: KASAN: double-free")); p++)
		n++;
	KT_EQ(n, 1);
	KT_STR_CONTAINS(log, "Free of addr ffff8880");
	KT_STR_CONTAINS(log, "KernelAddressSanitizer initialized (generic)\n");
	free(log);
	mmsim_shutdown(m);
	mmsim_enter(M0, 0);
	kt_end();
}

/* A NULL pointer's page: null-ptr-deref, the stack and no shadow rows. */
void test_null_ptr(void);
void test_null_ptr(void)	/* global: the report names it */
{
	char *log;

	kt_begin("null_ptr_deref");
	mark = log_mark(M0);
	KT_ASSERT(!kasan_check_write((void *)8, 4));
	log = strip_stamps(log_since(M0, &mark));
	KT_STR_CONTAINS(log, "BUG: KASAN: null-ptr-deref in test_null_ptr+0x");
	KT_STR_CONTAINS(log, "\nWrite of size 4 at addr 0000000000000008 by task mmsim/1\n\nCPU: 0 PID: 1");
	KT_STR_CONTAINS(log, "Call Trace:\n <TASK>\n");
	KT_ASSERT(!strstr(log, "Memory state around"));
	/* A host address (this stack) is not checked at all. */
	KT_ASSERT(kasan_check_read(&log, sizeof(log)));
	free(log);
	kt_end();
}

/* kasan.stacktrace=off: the tracks keep their task, not their stack. */
static void test_no_stacktrace(void)
{
	struct mmsim *m;
	char *log;

	kt_begin("no_stacktrace");
	m = boot_or_die("ram=128M kasan=on kasan.stacktrace=off");
	{
		char *x = kmalloc(8, GFP_KERNEL);

		kfree(x);
		kfree(x);
	}
	log = strip_stamps(printk_render_dmesg(m));
	KT_STR_CONTAINS(log, "BUG: KASAN: double-free in ");
	KT_STR_CONTAINS(log, "Allocated by task 1:\n(stack is not available)\n");
	KT_STR_CONTAINS(log, "Freed by task 1:\n(stack is not available)\n");
	free(log);
	mmsim_shutdown(m);
	mmsim_enter(M0, 0);
	kt_end();
}

/* kasan.fault=panic: the report, then the panic; the machine halts. */
static void test_fault_panic(void)
{
	struct mmsim *m;
	char *log;

	kt_begin("fault_panic");
	m = boot_or_die("ram=128M kasan=on kasan.fault=panic");
	{
		char *x = kmalloc(8, GFP_KERNEL);

		kfree(x);
		kfree(x);
	}
	log = printk_render_dmesg(m);
	KT_STR_CONTAINS(log, "BUG: KASAN: double-free in ");
	KT_STR_CONTAINS(log, "Kernel panic - not syncing: kasan.fault=panic set ...\n");
	KT_ASSERT(mmsim_halted(m));
	free(log);
	mmsim_shutdown(m);
	mmsim_enter(M0, 0);
	kt_end();
}

/* With slub_debug too: KASAN's metadata is not slub_debug's padding, reports still come. */
static void test_with_slub_debug(void)
{
	struct mmsim *m, *saved = M0;
	char *log;

	kt_begin("with_slub_debug");
	m = boot_or_die("ram=128M kasan=on kasan_multi_shot slub_debug=FZPU");
	M0 = m;
	for (int i = 0; i < 300; i++)
		kfree(kmalloc((size_t)(1 + (i * 37) % 700), GFP_KERNEL));
	kasan_quarantine_drain();
	KT_ASSERT(machine_is_valid());
	mark = log_mark(m);
	kmalloc_oob_right();
	kmalloc_uaf();
	kmem_cache_double_free();
	kasan_quarantine_drain();
	KT_ASSERT(machine_is_valid());
	log = printk_render_dmesg(m);
	KT_ASSERT(!strstr(log, "Object padding"));
	KT_ASSERT(!strstr(log, "=============================================================================\nBUG "));
	if (kt_cur_failed)
		fprintf(stderr, "%s", log);
	free(log);
	M0 = saved;
	mmsim_shutdown(m);
	mmsim_enter(M0, 0);
	kt_end();
}

/* Other arches: the same reports, with their own addresses. */
static void test_other_arches(void)
{
	static const char *const specs[] = {
		"arch=arm64 ram=128M kasan=on kasan_multi_shot",
		"arch=arm64 page_size=64K ram=256M kasan=on kasan_multi_shot",
		"arch=i386-pae ram=1G kasan=on kasan_multi_shot",
	};
	struct mmsim *saved = M0;

	kt_begin("other_arches");
	for (size_t i = 0; i < ARRAY_SIZE(specs); i++) {
		struct mmsim *m = boot_or_die(specs[i]);

		M0 = m;
		mark = log_mark(m);
		kmalloc_oob_right();
		kmalloc_uaf();
		vmalloc_oob();
		pagealloc_uaf();
		KT_ASSERT(machine_is_valid());
		M0 = saved;
		mmsim_shutdown(m);
		mmsim_enter(M0, 0);
		if (kt_cur_failed) {
			fprintf(stderr, "on %s\n", specs[i]);
			break;
		}
	}
	kt_end();
}

/* kasan off (the default): no shadow, no slab hooks, instrumented code runs clean. */
static void test_kasan_off(void)
{
	struct mmsim *m;
	char *log;

	kt_begin("kasan_off");
	m = boot_or_die("ram=128M");
	KT_ASSERT(!m->kasan);
	KT_ASSERT(!find_kmem_cache("kmalloc-128")->hooks);
	KT_EQ(find_kmem_cache("kmalloc-128")->size, 128);
	{
		char *x = kmalloc(100, GFP_KERNEL);

		kasan_oob_write_raw(x, 100);	/* instrumented, but nothing checks it */
		kfree(x);
	}
	log = printk_render_dmesg(m);
	KT_ASSERT(!strstr(log, "KASAN"));
	free(log);
	mmsim_shutdown(m);
	mmsim_enter(M0, 0);
	kt_end();
}

/* Randomized kmalloc/kfree/krealloc with every checker after each step. */
static void test_stress(void)
{
	enum { NR = 64, STEPS = 2000 };
	void *obj[NR] = { 0 };
	size_t sz[NR] = { 0 };
	unsigned int seed = 16;

	kt_begin("stress");
	mark = log_mark(M0);
	for (int step = 0; step < STEPS; step++) {
		int i = (int)(rand_r(&seed) % NR);
		size_t size = 1 + (size_t)(rand_r(&seed) % (rand_r(&seed) % 8 ? 512 : 3 * PAGE_SIZE));

		switch (rand_r(&seed) % 3) {
		case 0:
			kfree(obj[i]);
			obj[i] = kmalloc(size, GFP_KERNEL);
			sz[i] = size;
			if (obj[i])
				memset(obj[i], 0x5a, size);
			break;
		case 1:
			kfree(obj[i]);
			obj[i] = NULL;
			break;
		default:
			obj[i] = krealloc(obj[i], size, GFP_KERNEL);
			sz[i] = obj[i] ? size : 0;
			break;
		}
		/* The live object is accessible to its size, not a byte more. */
		if (obj[i] && sz[i]) {
			KT_EQ(shadow_of((char *)obj[i] + ((sz[i] - 1) & ~7UL)),
			      (sz[i] & 7) ? (sz[i] & 7) : 0);
			if (sz[i] & 7)
				KT_ASSERT(shadow_of((char *)obj[i] + sz[i]) == (sz[i] & 7));
		}
		if (step % 50 == 0 || step == STEPS - 1)
			KT_ASSERT(machine_is_valid());
		else
			KT_ASSERT(mm_allocator_is_valid() && kasan_is_valid());
		if (kt_cur_failed)
			break;
	}
	for (int i = 0; i < NR; i++)
		kfree(obj[i]);
	kasan_quarantine_drain();
	KT_ASSERT(machine_is_valid());
	kasan_expect_report(NULL, __func__, __LINE__);
	kt_end();
}

int main(void)
{
	M0 = boot_or_die("ram=256M kasan=on kasan_multi_shot");
	KT_ASSERT(M0->kasan);
	test_report_format();
	test_uaf_report();
	CASE(kmalloc_oob_right);
	CASE(kmalloc_oob_left);
	CASE(kmalloc_node_oob_right);
	CASE(kmalloc_large_oob_right);
	CASE(kmalloc_large_uaf);
	CASE(kmalloc_large_invalid_free);
	CASE(krealloc_more_oob);
	CASE(krealloc_less_oob);
	CASE(kmalloc_oob_16);
	CASE(kmalloc_uaf);
	CASE(ksize_unpoisons_memory);
	CASE(ksize_uaf);
	CASE(kmalloc_uaf_memset);
	CASE(kmalloc_uaf2);
	CASE(kmalloc_double_kzfree);
	CASE(kmalloc_oob_memset_2);
	CASE(kmalloc_oob_memset_4);
	CASE(kmalloc_oob_memset_8);
	CASE(kmalloc_oob_memset_16);
	CASE(kmalloc_memmove_negative_size);
	CASE(kmalloc_memmove_invalid_size);
	CASE(kmem_cache_oob);
	CASE(kmem_cache_double_free);
	CASE(kmem_cache_invalid_free);
	CASE(vmalloc_oob);
	CASE(pagealloc_oob_right);
	CASE(pagealloc_uaf);
	CASE(kasan_bitops_generic);
	CASE(kasan_clean_accesses);
	test_copy_user();
	test_null_ptr();
	test_shadow_values();
	test_quarantine();
	test_checker_catches();
	test_stress();
	kt_begin("reports_counted");
	/* Every expected report came (64 bad accesses in the cases above). */
	KT_EQ(nr_reports, 64);
	kt_end();
	test_single_shot();
	test_fault_panic();
	test_no_stacktrace();
	test_kasan_off();
	test_with_slub_debug();
	test_other_arches();
	mmsim_shutdown(M0);
	return kt_done();
}
#endif /* CONFIG_KASAN */
