// SPDX-License-Identifier: GPL-2.0
/*
 * test_kmemleak - kmemleak (mm/kmemleak*.c): the semantics of Linux's
 * samples/kmemleak/kmemleak-test.c, the false-positive controls, the
 * roots, the debugfs commands, and a randomized stress checking
 * kmemleak_is_valid() after every step.
 */
#include <stdint.h>
#include <mmsim/kmemleak.h>
#include <mmsim/slab.h>
#include <mmsim/vmalloc.h>
#include <mmsim/list.h>
#include "mmtest.h"
#include "mm/slab.h"
#include "mm/kmemleak_internal.h"

#ifdef CONFIG_DEBUG_KMEMLEAK

#define KT_AGE_NS	(10ULL * 1000 * 1000 * 1000)	/* past the 5 s minimum age */

static struct mmsim *m;

/* Wipe the dead part of the stack so dropped pointers do not linger there. */
static noinline void clobber_stack(void)
{
	char buf[64 * 1024];

	memset(buf, 0, sizeof(buf));
	__asm__ volatile("" : : "r"(buf) : "memory");	/* keep the stores */
}

/*
 * Hidden pointers: a test keeps a block's address complemented, so that
 * only the pointers it means to show are pointers.  The helpers are opaque
 * to the optimiser, which would otherwise keep the plain address in a
 * callee-saved register (a root the scan rightly honours).
 */
static noinline uintptr_t hide(void *p)
{
	uintptr_t h = (uintptr_t)p;

	__asm__ volatile("" : "+r"(h));
	return ~h;
}

static noinline void *unhide(uintptr_t h)
{
	__asm__ volatile("" : "+r"(h));
	return (void *)~h;
}

/*
 * Zeroed: a fresh slab object may still hold the free pointer it had on
 * the freelist, a real pointer to a neighbour (a false negative kmemleak
 * has in Linux too); tests that count reports exactly cannot have that.
 */
static noinline uintptr_t kmalloc_hidden(size_t size)
{
	return hide(kzalloc(size, GFP_KERNEL));
}

/* *(void **)@h_where = @h_what, with neither address left in this frame's registers. */
static noinline void store_hidden(uintptr_t h_where, uintptr_t h_what)
{
	*(void **)unhide(h_where) = unhide(h_what);
}

/* The first word of the hidden block @h becomes @v. */
static noinline void set_word(uintptr_t h, long v)
{
	*(long *)unhide(h) = v;
}

static char *debugfs(void)
{
	return mmsim_read(m, "/sys/kernel/debug/kmemleak");
}

static int count_reports(const char *text)
{
	int n = 0;

	for (const char *p = text; p && (p = strstr(p, "unreferenced object ")); p++)
		n++;
	return n;
}

/*
 * One scan, from a wiped stack: the wipe runs from the test's own frame,
 * so that no dead frame of an earlier call (a check, a helper that saw an
 * address) lies under the scan's call chain.  Macros for that reason.
 */
#define scan()								\
	do {								\
		clobber_stack();					\
		KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "scan"), 0); \
	} while (0)

/*
 * Age everything and scan three times: a block whose bytes changed since
 * the last scan is gray for one more (its checksum), and a block only a
 * changed one points to is then gray too - as in Linux, a chain of fresh
 * leaks needs a few scans.
 */
#define age_and_scan()							\
	do {								\
		clobber_stack();					\
		mmsim_advance_clock(m, KT_AGE_NS);			\
		scan();							\
		scan();							\
		scan();							\
	} while (0)

/*
 * Two scans: a block that turns white is checksummed on the first (its
 * crc changed from the last value kmemleak kept, so it is gray once more)
 * and reported on the second, as in Linux.
 */
#define rescan()							\
	do {								\
		scan();							\
		scan();							\
	} while (0)

static bool reported(const char *text, const void *p)
{
	char needle[64];

	snprintf(needle, sizeof(needle), "unreferenced object 0x%08lx ", slab_kaddr(p));
	return text && strstr(text, needle);
}

/* Forget what is reported so far. */
static void baseline(void)
{
	age_and_scan();
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "clear"), 0);
}


static void check_invariants(void)
{
	int nid;

	KT_ASSERT(kmemleak_is_valid(m));
	KT_ASSERT(slab_is_valid(kmalloc_slab(64, GFP_KERNEL)));
	KT_ASSERT(slab_is_valid(kmalloc_slab(1024, GFP_KERNEL)));
	for_each_online_node(nid)
		for (int z = 0; z < MAX_NR_ZONES; z++)
			if (NODE_DATA(nid)->node_zones[z].present_pages)
				KT_ASSERT(zone_is_valid(&NODE_DATA(nid)->node_zones[z]));
}

static noinline void test_boot_clean(void)
{
	char *t;

	KT_ASSERT(kmemleak_nr_objects(m) > 0);	/* the boot's own slab objects */
	age_and_scan();
	t = debugfs();
	if (count_reports(t))
		fprintf(stderr, "%s", t);
	KT_EQ(count_reports(t), 0);
	free(t);
	check_invariants();
}

/* samples/kmemleak/kmemleak-test.c: the blocks a module allocates and drops on exit. */
struct test_node {
	long header[25];
	struct list_head list;
	long footer[25];
};

struct sample_module {			/* the module's data, dropped on "exit" */
	struct list_head test_list;
	void *kept[12];
};

static struct sample_module *sample;	/* a program global: a root */
static void *sample_leaks[32];		/* what "exit" drops, in host addresses */
static int nr_sample_leaks;

static noinline void sample_init(void)
{
	static const size_t sizes[] = { 32, 32, 1024, 1024, 2048, 2048, 4096, 4096 };
	int n = 0;

	sample = kzalloc(sizeof(*sample), GFP_KERNEL);
	INIT_LIST_HEAD(&sample->test_list);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		sample->kept[n++] = kmalloc(sizes[i], GFP_KERNEL);
	sample->kept[n++] = vmalloc(64);
	sample->kept[n++] = vmalloc(64);
	sample->kept[n++] = kmalloc(64 * 1024, GFP_KERNEL);	/* a large kmalloc: pages */
	for (int i = 0; i < 10; i++) {
		struct test_node *elem = kzalloc(sizeof(*elem), GFP_KERNEL);

		list_add_tail(&elem->list, &sample->test_list);
	}
}

/* Module exit: the module's data goes, the blocks it pointed to stay allocated. */
static noinline void sample_exit(void)
{
	struct test_node *e;

	nr_sample_leaks = 0;
	for (int i = 0; i < 11; i++)
		sample_leaks[nr_sample_leaks++] = sample->kept[i];
	list_for_each_entry(e, &sample->test_list, list)
		sample_leaks[nr_sample_leaks++] = e;
	kfree(sample);
	sample = NULL;
}

static noinline void test_sample(void)
{
	char *t;
	size_t mark;

	baseline();
	sample_init();
	age_and_scan();
	t = debugfs();
	KT_EQ(count_reports(t), 0);	/* all reachable from the global */
	free(t);

	sample_exit();
	/* hide the addresses from the scan: keep them as complements */
	for (int i = 0; i < nr_sample_leaks; i++)
		sample_leaks[i] = (void *)hide(sample_leaks[i]);


	mark = log_mark(m);
	age_and_scan();
	t = debugfs();
	KT_EQ(count_reports(t), nr_sample_leaks);
	for (int i = 0; i < nr_sample_leaks; i++)
		KT_EQ_WHAT(reported(t, unhide((uintptr_t)sample_leaks[i])), 1, "leak %d", i);
	KT_STR_CONTAINS(t, "(size 1024):\n  comm \"");
	KT_STR_CONTAINS(t, "  hex dump (first 32 bytes):\n    ");
	KT_STR_CONTAINS(t, "  backtrace (crc ");
	KT_STR_CONTAINS(t, "] kmemleak_alloc+0x");
	KT_STR_CONTAINS(t, "(size 4096):");	/* vmalloc(64): a page, as Linux sizes it */
	KT_STR_CONTAINS(t, "(size 65536):");	/* the large kmalloc */
	free(t);
	t = log_since(m, &mark);
	{
		/* a chain of leaks may be found over two scans: the lines add up */
		int total = 0, n;

		for (char *p = t; p && (p = strstr(p, "kmemleak: ")); p++)
			if (sscanf(p, "kmemleak: %d new suspected memory leaks (see /sys/kernel/debug/kmemleak)", &n) == 1)
				total += n;
		KT_EQ(total, nr_sample_leaks);
		KT_STR_CONTAINS(t, " new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n");
	}
	free(t);
	/* a second scan reports nothing new, the file still lists them */
	mark = log_mark(m);
	scan();
	t = log_since(m, &mark);
	KT_ASSERT(!strstr(t, "new suspected"));
	free(t);

	/* clear: reported leaks are forgotten (gray for good) */
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "clear"), 0);
	age_and_scan();
	t = debugfs();
	KT_EQ(count_reports(t), 0);
	free(t);
	for (int i = 0; i < nr_sample_leaks; i++) {
		void *p = unhide((uintptr_t)sample_leaks[i]);

		if (is_vmalloc_addr(p))
			vfree(p);
		else
			kfree(p);
	}
	check_invariants();
}

/* The exact text of one report, as Linux 6.8 prints it. */
noinline uintptr_t alloc_alphabet(void);
noinline uintptr_t alloc_alphabet(void)
{
	unsigned char *obj = kmalloc(64, GFP_KERNEL);

	for (int i = 0; i < 64; i++)
		obj[i] = (unsigned char)('A' + i % 26);
	return hide(obj);
}

static noinline void test_report_format(void)
{
	char *t, head[160], *p;
	uintptr_t hidden;

	baseline();
	hidden = alloc_alphabet();
	age_and_scan();
	t = debugfs();
	snprintf(head, sizeof(head),
		 "unreferenced object 0x%08lx (size 64):\n  comm \"mmsim\", pid 1, jiffies ",
		 slab_kaddr(unhide(hidden)));
	KT_STR_CONTAINS(t, head);
	KT_STR_CONTAINS(t, "  hex dump (first 32 bytes):\n"
			   "    41 42 43 44 45 46 47 48 49 4a 4b 4c 4d 4e 4f 50  ABCDEFGHIJKLMNOP\n"
			   "    51 52 53 54 55 56 57 58 59 5a 41 42 43 44 45 46  QRSTUVWXYZABCDEF\n"
			   "  backtrace (crc ");
	p = t ? strstr(t, "  backtrace (crc ") : NULL;
	KT_ASSERT(p && strstr(p, "):\n    [<"));
	KT_ASSERT(p && strstr(p, "] kmemleak_alloc+0x"));
	KT_ASSERT(p && strstr(p, "] alloc_alphabet+0x"));
	free(t);
	kfree(unhide(hidden));
	check_invariants();
}

void *volatile g_keep;		/* program data: a root */

static noinline void test_false_positives(void)
{
	char *t;
	uintptr_t h_nl, h_ig, h_mid, h_a, h_b, h_stack;
	void *volatile on_stack;

	baseline();
	/* kmemleak_not_leak / kmemleak_ignore */
	h_nl = kmalloc_hidden(128);
	kmemleak_not_leak(unhide(h_nl));
	h_ig = kmalloc_hidden(128);
	kmemleak_ignore(unhide(h_ig));
	/* a pointer into the middle, in program data */
	h_mid = kmalloc_hidden(256);
	g_keep = (char *)unhide(h_mid) + 100;
	/* a pointer held only by another leaked block */
	h_a = kmalloc_hidden(64);
	h_b = kmalloc_hidden(64);
	store_hidden(h_a, h_b);
	/* a pointer on this thread's stack */
	on_stack = kmalloc(96, GFP_KERNEL);
	h_stack = hide(on_stack);

	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "stack=on"), 0);
	age_and_scan();
	t = debugfs();
	KT_ASSERT(!reported(t, unhide(h_nl)));
	KT_ASSERT(!reported(t, unhide(h_ig)));
	KT_ASSERT(!reported(t, unhide(h_mid)));
	KT_ASSERT(!reported(t, unhide(h_stack)));
	free(t);

	/* stack=off: the stack pointer no longer counts (exact from here: see main) */
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "stack=off"), 0);
	rescan();
	t = debugfs();
	KT_ASSERT(!reported(t, unhide(h_nl)));
	KT_ASSERT(!reported(t, unhide(h_ig)));
	KT_ASSERT(!reported(t, unhide(h_mid)));
	KT_ASSERT(reported(t, unhide(h_stack)));
	KT_ASSERT(reported(t, unhide(h_a)));
	KT_ASSERT(reported(t, unhide(h_b)));
	KT_EQ(count_reports(t), 3);
	free(t);

	g_keep = NULL;
	rescan();
	t = debugfs();
	KT_ASSERT(reported(t, unhide(h_mid)));
	free(t);
	kfree(on_stack);
	for (uintptr_t *h = (uintptr_t[]){ h_nl, h_ig, h_mid, h_a, h_b, 0 }; *h; h++)
		kfree(unhide(*h));
	check_invariants();
}

/*
 * kmemleak_no_scan, kmemleak_scan_area and kmemleak_free_part: what part
 * of a block is looked into, and what is left of a block partly freed.
 */
static noinline void test_scan_controls(void)
{
	uintptr_t h_root, h_ns, h_in, h_out, h_part;
	char *t;

	baseline();
	/* a never-reported root whose pointers are not looked at */
	h_root = kmalloc_hidden(256);
	kmemleak_not_leak(unhide(h_root));
	kmemleak_no_scan(unhide(h_root));
	h_ns = kmalloc_hidden(64);
	store_hidden(h_root, h_ns);
	/* a root with a scan area: only [64, 128) of it is looked at */
	g_keep = unhide(kmalloc_hidden(512));
	kmemleak_scan_area((char *)g_keep + 64, 64, GFP_KERNEL);
	h_in = kmalloc_hidden(64);
	h_out = kmalloc_hidden(64);
	store_hidden(hide((char *)g_keep + 64), h_in);
	store_hidden(hide((char *)g_keep + 256), h_out);
	/* a block partly freed: its head goes, the tail stays tracked */
	h_part = kmalloc_hidden(1024);
	kmemleak_free_part(unhide(h_part), 512);

	age_and_scan();
	t = debugfs();
	KT_ASSERT(reported(t, unhide(h_ns)));		/* in a no_scan block */
	KT_ASSERT(!reported(t, unhide(h_in)));		/* in the scan area */
	KT_ASSERT(reported(t, unhide(h_out)));		/* outside it */
	KT_ASSERT(!reported(t, unhide(h_part)));	/* its start is no object now */
	{
		char needle[96];

		snprintf(needle, sizeof(needle), "unreferenced object 0x%08lx (size 512):",
			 slab_kaddr((char *)unhide(h_part) + 512));
		KT_STR_CONTAINS(t, needle);
	}
	KT_EQ(count_reports(t), 3);
	free(t);
	kfree(g_keep);
	g_keep = NULL;
	/* what is left of the partly freed block goes before the block itself */
	kmemleak_free_part((char *)unhide(h_part) + 512, 512);
	for (uintptr_t *h = (uintptr_t[]){ h_root, h_ns, h_in, h_out, h_part, 0 }; *h; h++)
		kfree(unhide(*h));
	check_invariants();
}

/* A cache of its own: kmem_cache_alloc and a prefilled sheaf are tracked too; NOLEAKTRACE is not. */
static noinline uintptr_t cache_alloc_hidden(struct kmem_cache *s, struct slab_sheaf *sheaf)
{
	void *p = sheaf ? kmem_cache_alloc_from_sheaf(s, GFP_KERNEL | __GFP_ZERO, sheaf)
			: kmem_cache_alloc(s, GFP_KERNEL | __GFP_ZERO);

	return hide(p);
}

static noinline void test_kmem_cache(void)
{
	struct kmem_cache *s = kmem_cache_create("kmemleak_test", 96, 0, 0, NULL);
	struct kmem_cache *nl = kmem_cache_create("kmemleak_noleak", 96, 0, SLAB_NOLEAKTRACE, NULL);
	struct slab_sheaf *sheaf;
	uintptr_t h1, h2, h3;
	unsigned long before;
	char *t;

	baseline();
	sheaf = kmem_cache_prefill_sheaf(s, GFP_KERNEL, 4);
	KT_ASSERT(sheaf);
	h1 = cache_alloc_hidden(s, NULL);
	h2 = cache_alloc_hidden(s, sheaf);
	kmem_cache_return_sheaf(s, GFP_KERNEL, sheaf);
	before = kmemleak_nr_objects(m);
	h3 = cache_alloc_hidden(nl, NULL);
	KT_EQ(kmemleak_nr_objects(m), before);		/* SLAB_NOLEAKTRACE */
	age_and_scan();
	t = debugfs();
	KT_ASSERT(reported(t, unhide(h1)));
	KT_ASSERT(reported(t, unhide(h2)));
	KT_ASSERT(!reported(t, unhide(h3)));
	KT_STR_CONTAINS(t, "(size 96):");
	free(t);
	kmem_cache_free(s, unhide(h1));
	kmem_cache_free(s, unhide(h2));
	kmem_cache_free(nl, unhide(h3));
	KT_EQ(kmemleak_nr_objects(m), before - 2);
	KT_ASSERT(slab_is_valid(s));
	kmem_cache_destroy(s);
	kmem_cache_destroy(nl);
	check_invariants();
}

/* The minimum age, and a block that changes between scans. */
static noinline void test_min_age_and_checksum(void)
{
	char *t;
	uintptr_t h;

	baseline();
	h = kmalloc_hidden(128);
	set_word(h, 1);
	clobber_stack();
	mmsim_advance_clock(m, 1000ULL * 1000 * 1000);		/* 1 s: too young */
	scan();
	scan();
	t = debugfs();
	KT_ASSERT(!reported(t, unhide(h)));
	free(t);
	mmsim_advance_clock(m, 5000ULL * 1000 * 1000);
	/* modified since the last scan: gray once more */
	set_word(h, 2);
	scan();
	t = debugfs();
	KT_ASSERT(!reported(t, unhide(h)));
	free(t);
	scan();
	t = debugfs();
	KT_ASSERT(reported(t, unhide(h)));
	free(t);
	kfree(unhide(h));
	check_invariants();
}

noinline void update_trace_here(void *p);
noinline void update_trace_here(void *p)
{
	kmemleak_update_trace(p);
	__asm__ volatile("");	/* not a tail call: this frame stays in the chain */
}

static noinline void test_dump(void)
{
	char *t, cmd[64], line[96];
	size_t mark;
	void *p = kmalloc(200, GFP_KERNEL);

	mark = log_mark(m);
	snprintf(cmd, sizeof(cmd), "dump=0x%lx", slab_kaddr(p));
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", cmd), 0);
	t = log_since(m, &mark);
	snprintf(line, sizeof(line), "kmemleak: Object 0x%08lx (size 256):", slab_kaddr(p));
	KT_STR_CONTAINS(t, line);
	KT_STR_CONTAINS(t, "kmemleak:   min_count = 1");
	KT_STR_CONTAINS(t, "kmemleak:   backtrace:");
	KT_STR_CONTAINS(t, "kmemleak:  kmemleak_alloc+0x");
	free(t);
	/* kmemleak_update_trace: the origin becomes the caller's chain */
	update_trace_here(p);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", cmd), 0);
	t = log_since(m, &mark);
	KT_STR_CONTAINS(t, "kmemleak:  kmemleak_update_trace+0x");
	KT_STR_CONTAINS(t, "kmemleak:  update_trace_here+0x");
	free(t);
	kfree(p);
	KT_ASSERT(mmsim_write(m, "/sys/kernel/debug/kmemleak", cmd) == -EINVAL);
	t = log_since(m, &mark);
	KT_STR_CONTAINS(t, "kmemleak: Unknown object at 0x");
	free(t);
	KT_ASSERT(mmsim_write(m, "/sys/kernel/debug/kmemleak", "bogus") == -EINVAL);
}

/* The automatic scan: scan=<secs> in virtual time. */
static noinline void test_scan_thread(void)
{
	size_t mark;
	uintptr_t h;
	char *t;

	baseline();
	h = hide(kzalloc(64, GFP_KERNEL));
	clobber_stack();
	mark = log_mark(m);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "scan=7"), 0);
	for (int i = 0; i < 4; i++)
		mmsim_advance_clock(m, 7000ULL * 1000 * 1000);
	t = log_since(m, &mark);
	KT_STR_CONTAINS(t, "kmemleak: 1 new suspected memory leaks (see /sys/kernel/debug/kmemleak)");
	free(t);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "scan=off"), 0);
	kfree(unhide(h));
}

/* Randomized: alloc, free, hide and show pointers; kmemleak's invariants after every step. */
static noinline void test_stress(void)
{
	enum { N = 256 };
	static uintptr_t slot[N];	/* hidden (complemented) or plain */
	static bool hidden[N];
	unsigned int seed = 16;

	baseline();
	for (int step = 0; step < 3000; step++) {
		int i = rand_r(&seed) % N;
		int op = rand_r(&seed) % 8;
		void *p = slot[i] ? (void *)(hidden[i] ? ~slot[i] : slot[i]) : NULL;

		if (!p) {
			size_t sz = 8 + (size_t)(rand_r(&seed) % 3000);

			p = op == 0 ? vmalloc(sz) : kmalloc(sz, GFP_KERNEL);
			slot[i] = (uintptr_t)p;
			hidden[i] = false;
		} else if (op < 3) {
			if (is_vmalloc_addr(p))
				vfree(p);
			else
				kfree(p);
			slot[i] = 0;
		} else if (op < 6) {
			hidden[i] = !hidden[i];
			slot[i] = ~slot[i];
		} else if (op == 6) {
			kmemleak_not_leak(p);
		} else if (step % 500 == 7) {
			scan();
		}
		KT_ASSERT(kmemleak_on(m));	/* no overlap ever stopped it */
		if (!kmemleak_is_valid(m)) {
			KT_ASSERT(!"kmemleak_is_valid");
			break;
		}
	}
	age_and_scan();
	{
		char *t = debugfs();

		/* a block whose address the test holds plainly (a program global) is never reported */
		for (int i = 0; i < N; i++)
			if (slot[i] && !hidden[i])
				KT_ASSERT(!reported(t, (void *)slot[i]));
		free(t);
	}
	for (int i = 0; i < N; i++) {
		void *p = slot[i] ? (void *)(hidden[i] ? ~slot[i] : slot[i]) : NULL;

		if (p && is_vmalloc_addr(p))
			vfree(p);
		else if (p)
			kfree(p);
		slot[i] = 0;
	}
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "clear"), 0);
	check_invariants();
	/* the checker sees a count that does not add up */
	{
		struct kmemleak_state *st = kmemleak_state_of(m);
		size_t mark = log_mark(m);
		char *t;

		st->nr_objects++;
		KT_ASSERT(!kmemleak_is_valid(m));
		st->nr_objects--;
		t = log_since(m, &mark);
		KT_STR_CONTAINS(t, "kmemleak_is_valid: ");
		free(t);
		KT_ASSERT(kmemleak_is_valid(m));
	}
}

static noinline void test_off(void)
{
	size_t mark;
	uintptr_t h;
	char *t;

	/* a leak found before "off": the data stays until "clear" */
	baseline();
	h = kmalloc_hidden(64);
	age_and_scan();
	mark = log_mark(m);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "off"), 0);
	t = log_since(m, &mark);
	KT_STR_CONTAINS(t, "kmemleak: Kernel memory leak detector disabled");
	KT_STR_CONTAINS(t, "kmemleak: Kmemleak disabled without freeing internal data. Reclaim the memory with \"echo clear > /sys/kernel/debug/kmemleak\".");
	free(t);
	t = debugfs();
	KT_ASSERT(reported(t, unhide(h)));
	free(t);
	KT_ASSERT(mmsim_write(m, "/sys/kernel/debug/kmemleak", "scan") == -EPERM);
	KT_ASSERT(mmsim_write(m, "/sys/kernel/debug/kmemleak", "stack=on") == -EPERM);
	KT_ASSERT(kmemleak_nr_objects(m) > 0);
	kfree(unhide(h));			/* a free still drops its metadata */
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "clear"), 0);
	KT_EQ(kmemleak_nr_objects(m), 0);
	kfree(kmalloc(64, GFP_KERNEL));		/* not tracked any more */
	KT_EQ(kmemleak_nr_objects(m), 0);
	t = debugfs();
	KT_EQ(count_reports(t), 0);
	free(t);
	check_invariants();
}

static noinline void test_boot_words(void)
{
	struct mmsim *m2 = mmsim_boot("ram=64M kmemleak=maybe");

	KT_ASSERT(!m2);
	KT_STR_CONTAINS(mmsim_last_error(), "'kmemleak=maybe'");
	m2 = mmsim_boot("ram=64M kmemleak=on kmemleak.verbose=1");
	KT_ASSERT(m2);
	if (m2) {
		size_t mark;
		char *t;

		KT_EQ(mmsim_write(m2, "/sys/kernel/debug/kmemleak", "scan=off"), 0);
		KT_EQ(mmsim_write(m2, "/sys/kernel/debug/kmemleak", "stack=off"), 0);
		kmalloc_hidden(48);
		clobber_stack();
		mmsim_advance_clock(m2, KT_AGE_NS);
		mark = log_mark(m2);
		for (int i = 0; i < 3; i++)
			KT_EQ(mmsim_write(m2, "/sys/kernel/debug/kmemleak", "scan"), 0);
		t = log_since(m2, &mark);
		KT_STR_CONTAINS(t, "kmemleak: unreferenced object 0x");
		KT_STR_CONTAINS(t, "(size 64):\n");
		KT_STR_CONTAINS(t, "kmemleak:   backtrace (crc ");
		free(t);
		/* registering a block inside a tracked one: Linux's kmemleak_stop() */
		{
			char *p = kmalloc(64, GFP_KERNEL);

			mark = log_mark(m2);
			kmemleak_alloc(p + 8, 16, 1, GFP_KERNEL);
			t = log_since(m2, &mark);
			KT_STR_CONTAINS(t, "into the object search tree (overlaps existing)");
			KT_STR_CONTAINS(t, "kmemleak: Object 0x");
			KT_STR_CONTAINS(t, "kmemleak: Kernel memory leak detector disabled");
			free(t);
			KT_ASSERT(!kmemleak_on(m2));
			KT_ASSERT(kmemleak_is_valid(m2));
			kfree(p);
		}
		mmsim_shutdown(m2);
	}
	m2 = mmsim_boot("ram=64M kmemleak=off");
	KT_ASSERT(m2);
	if (m2) {
		char *t = mmsim_read(m2, "/sys/kernel/debug/kmemleak");

		KT_ASSERT(!t);		/* kmemleak off: the file has nothing */
		free(t);
		mmsim_shutdown(m2);
	}
}

/* Each test starts on a wiped stack: no dead slot of the one before holds its pointers. */
#define RUN(fn)					\
	do {					\
		clobber_stack();		\
		KT_RUN(fn);			\
	} while (0)

int main(void)
{
	m = boot_or_die("ram=256M cpus=2 kmemleak=on");
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "scan=off"), 0);
	RUN(test_boot_clean);		/* stack=on: no false positive at boot */
	/*
	 * The other tests scan with stack=off (but test_false_positives'
	 * stack case): a conservative scan of the thread that just held the
	 * addresses may find one in a callee-saved register or a dead stack
	 * slot the compiler left, which is right for kmemleak and wrong for
	 * a test that counts reports exactly.
	 */
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/kmemleak", "stack=off"), 0);
	RUN(test_sample);
	RUN(test_report_format);
	RUN(test_false_positives);
	RUN(test_scan_controls);
	RUN(test_kmem_cache);
	RUN(test_min_age_and_checksum);
	RUN(test_dump);
	RUN(test_scan_thread);
	RUN(test_stress);
	RUN(test_off);
	mmsim_shutdown(m);
	m = NULL;
	RUN(test_boot_words);
	return kt_done();
}

#else /* !CONFIG_DEBUG_KMEMLEAK: the boot word is known and refused by name */

int main(void)
{
	struct mmsim *m = mmsim_boot("ram=64M kmemleak=on");

	kt_begin("kmemleak_on_refused");
	KT_ASSERT(!m);
	KT_STR_CONTAINS(mmsim_last_error(), "'kmemleak=on': built without CONFIG_DEBUG_KMEMLEAK");
	m = mmsim_boot("ram=64M kmemleak=off");
	KT_ASSERT(m);
	mmsim_shutdown(m);
	kt_end();
	return kt_done();
}

#endif /* CONFIG_DEBUG_KMEMLEAK */
