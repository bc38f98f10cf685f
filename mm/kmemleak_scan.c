// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kmemleak_scan.c - kmemleak's scan (Linux's kmemleak_scan()), and the
 * invariant checker of mm/kmemleak.c's data.
 *
 * The algorithm (a tracing collector that reports instead of freeing):
 *  1. every object turns white (count = 0); those with min_count 0 (never
 *     leaks: kmemleak_not_leak, memblock roots) are gray at once and go on
 *     the gray list;
 *  2. the roots are read word by word; a word that points into a tracked
 *     block (anywhere inside it, as Linux) counts one reference to it, and
 *     a block that reaches min_count references turns gray and joins the
 *     gray list.  The roots: the machine's own host-side state (struct
 *     mmsim, its per-CPU areas, every subsystem's state, the nodes'
 *     pg_data_t), the memmap (every valid struct page), the writable data
 *     segments of the program and of the library (dl_iterate_phdr, as
 *     Boehm's collector finds them), and with stack=on the stacks of the
 *     registered threads (the scanning thread from its own frame up, with
 *     its callee-saved registers spilled by setjmp);
 *  3. the gray list is scanned the same way, the objects it adds included;
 *  4. white objects whose bytes changed since the last scan (crc32) are
 *     gray for this scan and scanned (they may be in the middle of being
 *     linked somewhere), and then the objects still white, allocated and
 *     older than the minimum age are the suspected leaks; the new ones
 *     are counted in one log line and listed in the debugfs file.
 *
 * Memory other threads write (objects, stacks) is read racily, as Linux
 * does: the word readers below carry no_sanitize("address", "thread").
 * ASan would otherwise report the redzones of stack frames and globals
 * the scan walks over, and TSan the (benign) races with the writers.  The
 * block being read cannot be freed meanwhile: the scan holds its
 * object->lock, which kmemleak_free takes before the allocator gets the
 * block back.  Locks: see mm/kmemleak.c.
 */
#define _GNU_SOURCE
#include <mmsim/config.h>
#ifdef CONFIG_DEBUG_KMEMLEAK
#include <link.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/jiffies.h>
#include <mmsim/kmemleak.h>
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/kmemleak_internal.h"
#include "init/init.h"
#include "init/machine.h"

#define KL_NO_SANITIZE __attribute__((no_sanitize("address", "thread"))) noinline

static bool color_white(const struct kmemleak_object *o)
{
	return o->count != KMEMLEAK_BLACK && o->count < o->min_count;
}

static bool color_gray(const struct kmemleak_object *o)
{
	return o->min_count != KMEMLEAK_BLACK && o->count >= o->min_count;
}

/* A white, allocated block old enough to report; object->lock held. */
bool unreferenced_object(struct kmemleak_state *st, struct kmemleak_object *o)
{
	return color_white(o) && (o->flags & OBJECT_ALLOCATED) &&
	       time_after_eq(st->jiffies_last_scan, o->jiffies + st->jiffies_min_age);
}

KL_NO_SANITIZE void kmemleak_read_bytes(void *dst, const void *src, size_t len)
{
	const volatile unsigned char *s = src;
	unsigned char *d = dst;

	for (size_t i = 0; i < len; i++)
		d[i] = s[i];
}

static u32 crc32_table[256];
static pthread_once_t crc32_once = PTHREAD_ONCE_INIT;

static void crc32_init(void)
{
	for (u32 i = 0; i < 256; i++) {
		u32 c = i;

		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ ((c & 1) ? 0xedb88320u : 0);
		crc32_table[i] = c;
	}
}

/* Linux's crc32(0, p, len): crc32_le with seed 0, no final inversion. */
static KL_NO_SANITIZE u32 kmemleak_crc32(const void *p, size_t len)
{
	const volatile unsigned char *s = p;
	u32 crc = 0;

	for (size_t i = 0; i < len; i++)
		crc = crc32_table[(crc ^ s[i]) & 0xff] ^ (crc >> 8);
	return crc;
}

struct scan_ctx {
	struct kmemleak_state *st;
	unsigned long min_addr, max_addr;	/* snapshot at the scan's start */
	struct list_head gray;			/* the gray list (this thread only) */
	unsigned long anchors[5];		/* window bases: not references */
	unsigned long scanned;			/* bytes read */
};

/* A reference to @o was found; st->lock and o->lock held. */
static void update_refs(struct scan_ctx *sc, struct kmemleak_object *o)
{
	if (!color_white(o))
		return;		/* gray or black: no need to count more */
	o->count++;
	if (color_gray(o)) {
		get_object(o);
		list_add_tail(&o->gray_list, &sc->gray);
	}
}

static void found_pointer(struct scan_ctx *sc, unsigned long v, struct kmemleak_object *scanned)
{
	struct kmemleak_state *st = sc->st;
	struct kmemleak_object *o;

	/*
	 * The host bases of the machine's windows (direct map, vmalloc,
	 * pkmap, fixmap, vmemmap) are kept in its layout and in subsystem
	 * states; Linux keeps such bases as constants (PAGE_OFFSET,
	 * VMALLOC_START), not as pointers a scan would count.  So a root
	 * word equal to a window base does not reference the block at the
	 * very start of that window (a tracked block's word still does).
	 */
	for (int i = 0; !scanned && i < (int)ARRAY_SIZE(sc->anchors); i++)
		if (v == sc->anchors[i])
			return;
	spin_lock(&st->lock);
	o = __lookup_object(st, v, true);
	if (o && o != scanned) {
		spin_lock(&o->lock);	/* nested under scanned->lock: Linux's SINGLE_DEPTH_NESTING */
		update_refs(sc, o);
		spin_unlock(&o->lock);
	}
	spin_unlock(&st->lock);
}

/* Look for pointers in [start, end); @scanned is the object they are in, or NULL for a root. */
static KL_NO_SANITIZE void scan_block(struct scan_ctx *sc, unsigned long start, unsigned long end,
				      struct kmemleak_object *scanned)
{
	unsigned long p = ALIGN(start, sizeof(unsigned long));

	for (; p + sizeof(unsigned long) <= end; p += sizeof(unsigned long)) {
		unsigned long v = *(const volatile unsigned long *)p;

		if (v < sc->min_addr || v >= sc->max_addr)
			continue;
		found_pointer(sc, v, scanned);
	}
	if (end > start)
		sc->scanned += end - start;
}

/* Scan the bytes of @o (or its scan areas) in chunks, dropping its lock between them. */
static void scan_object(struct scan_ctx *sc, struct kmemleak_object *o)
{
	spin_lock(&o->lock);
	if ((o->flags & OBJECT_NO_SCAN) || !(o->flags & OBJECT_ALLOCATED))
		goto out;
	if (!o->areas || (o->flags & OBJECT_FULL_SCAN)) {
		unsigned long start = o->pointer, end = o->pointer + o->size, next;

		do {
			next = min(start + KMEMLEAK_MAX_SCAN_SIZE, end);
			scan_block(sc, start, next, o);
			start = next;
			if (start >= end)
				break;
			spin_unlock(&o->lock);
			spin_lock(&o->lock);
		} while (o->flags & OBJECT_ALLOCATED);
	} else {
		for (struct kmemleak_scan_area *a = o->areas; a; a = a->next)
			scan_block(sc, a->start, a->start + a->size, o);
	}
out:
	spin_unlock(&o->lock);
}

static void scan_gray_list(struct scan_ctx *sc)
{
	while (!list_empty(&sc->gray)) {
		struct kmemleak_object *o = list_first_entry(&sc->gray, struct kmemleak_object,
							     gray_list);

		scan_object(sc, o);
		list_del_init(&o->gray_list);
		put_object(sc->st, o);
	}
}

/* Call @fn on every object on the list, holding a reference across the call. */
static void kl_for_each_object(struct kmemleak_state *st,
			    void (*fn)(struct scan_ctx *sc, struct kmemleak_object *o),
			    struct scan_ctx *sc)
{
	struct kmemleak_object *o, *next;

	o = kmemleak_first_object(st);
	while (o) {
		fn(sc, o);
		next = kmemleak_next_object(st, o);
		put_object(st, o);
		o = next;
	}
}

static void whiten(struct scan_ctx *sc, struct kmemleak_object *o)
{
	spin_lock(&o->lock);
	o->count = 0;
	if (color_gray(o)) {
		spin_lock(&sc->st->lock);
		get_object(o);
		spin_unlock(&sc->st->lock);
		list_add_tail(&o->gray_list, &sc->gray);
	}
	spin_unlock(&o->lock);
}

/* A white object modified since the last scan is gray for this one. */
static void gray_if_modified(struct scan_ctx *sc, struct kmemleak_object *o)
{
	spin_lock(&o->lock);
	if (color_white(o) && (o->flags & OBJECT_ALLOCATED)) {
		u32 old = o->checksum;

		o->checksum = kmemleak_crc32((const void *)o->pointer, o->size);
		if (old != o->checksum) {
			o->count = o->min_count;
			spin_lock(&sc->st->lock);
			get_object(o);
			spin_unlock(&sc->st->lock);
			list_add_tail(&o->gray_list, &sc->gray);
		}
	}
	spin_unlock(&o->lock);
}

static void report_new(struct scan_ctx *sc, struct kmemleak_object *o)
{
	spin_lock(&o->lock);
	if (unreferenced_object(sc->st, o) && !(o->flags & OBJECT_REPORTED)) {
		o->flags |= OBJECT_REPORTED;
		if (sc->st->verbose)
			print_unreferenced(NULL, o);
		sc->st->last_new_leaks++;
	}
	spin_unlock(&o->lock);
}

/* ---- the roots ---- */

struct data_seg {
	unsigned long start, end;
};

struct phdr_walk {
	unsigned long lib_addr;		/* an address in the library's code */
	int nr;
	struct data_seg segs[32];
};

static int collect_data_segments(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct phdr_walk *w = arg;
	bool main_prog = !info->dlpi_name || !info->dlpi_name[0];
	bool is_lib = false;

	(void)size;
	for (int i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		unsigned long s = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && w->lib_addr >= s && w->lib_addr < s + ph->p_memsz)
			is_lib = true;
	}
	if (!main_prog && !is_lib)
		return 0;	/* libc, the sanitizer runtimes, ...: not the kernel's code */
	for (int i = 0; i < info->dlpi_phnum && w->nr < (int)ARRAY_SIZE(w->segs); i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W))
			continue;
		w->segs[w->nr].start = info->dlpi_addr + ph->p_vaddr;
		w->segs[w->nr].end = info->dlpi_addr + ph->p_vaddr + ph->p_memsz;
		w->nr++;
	}
	return 0;
}

static void scan_data_segments(struct scan_ctx *sc)
{
	struct phdr_walk w = { .lib_addr = (unsigned long)&kmemleak_scan };

	dl_iterate_phdr(collect_data_segments, &w);
	for (int i = 0; i < w.nr; i++) {
		/* A shared library's segment may repeat the program's (PIE + static lib): once. */
		bool dup = false;

		for (int j = 0; j < i; j++)
			dup |= w.segs[j].start == w.segs[i].start;
		if (!dup)
			scan_block(sc, w.segs[i].start, w.segs[i].end, NULL);
	}
}

/* The host-side state of the machine: what Linux has in its data, bss and per-CPU areas. */
static void scan_machine(struct scan_ctx *sc, struct mmsim *m)
{
	int nid;

	scan_block(sc, (unsigned long)m, (unsigned long)(m + 1), NULL);
	scan_block(sc, (unsigned long)m->cpus, (unsigned long)(m->cpus + m->nr_cpus), NULL);
	for (int i = 0; i < nr_subsystems; i++) {
		unsigned long s = (unsigned long)m->subsys_state[i];

		if (!s || subsystems[i] == &subsys_kmemleak)
			continue;	/* kmemleak's own state holds metadata, not references */
		scan_block(sc, s, s + subsystems[i]->state_size, NULL);
	}
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		scan_block(sc, (unsigned long)pgdat, (unsigned long)(pgdat + 1), NULL);
	}
}

/* Every valid struct page (Linux: "Struct page scanning for each node"). */
static void scan_memmap(struct scan_ctx *sc)
{
	int nid;

	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);
		unsigned long pfn = ALIGN_DOWN(pgdat->node_start_pfn, MAX_ORDER_NR_PAGES);
		unsigned long end = pgdat->node_start_pfn + pgdat->node_spanned_pages;

		for (; pfn < end; pfn += MAX_ORDER_NR_PAGES) {
			struct page *first;

			if (!pfn_valid(pfn))
				continue;
			first = pfn_to_page(pfn);
			scan_block(sc, (unsigned long)first,
				   (unsigned long)(first + MAX_ORDER_NR_PAGES), NULL);
		}
	}
}

/* The start of the host mapping that contains @addr (from /proc/self/maps), or 0. */
static unsigned long mapping_start(unsigned long addr)
{
	FILE *f = fopen("/proc/self/maps", "r");
	unsigned long lo, hi, found = 0;
	char line[512];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && addr >= lo && addr < hi) {
			found = lo;
			break;
		}
	}
	fclose(f);
	return found;
}

static void scan_stacks(struct scan_ctx *sc, unsigned long my_sp)
{
	struct kmemleak_thread *t;

	kmemleak_threads_lock();
	list_for_each_entry(t, &kmemleak_threads, list) {
		unsigned long lo = t->stack_lo, hi = t->stack_hi;

		if (kmemleak_is_self(t)) {
			lo = my_sp;
		} else {
			/* Only what is mapped: the main thread's stack grows on demand. */
			unsigned long s = mapping_start(hi - 1);

			if (!s)
				continue;
			lo = max(lo, s);
		}
		if (lo < hi)
			scan_block(sc, lo, hi, NULL);
	}
	kmemleak_threads_unlock();
}

static noinline void __kmemleak_scan(struct kmemleak_state *st, unsigned long my_sp)
{
	struct mmsim *m = current_machine();
	struct scan_ctx sc = { .st = st };

	INIT_LIST_HEAD(&sc.gray);
	sc.anchors[0] = (unsigned long)current_layout->direct_map;
	sc.anchors[1] = (unsigned long)current_layout->vmalloc_host;
	sc.anchors[2] = (unsigned long)current_layout->pkmap_host;
	sc.anchors[3] = (unsigned long)current_layout->fixmap_host;
	sc.anchors[4] = (unsigned long)current_layout->vmemmap;
	st->jiffies_last_scan = (unsigned long)get_jiffies_64();
	spin_lock(&st->lock);
	sc.min_addr = st->min_addr;
	sc.max_addr = st->max_addr;
	spin_unlock(&st->lock);

	/* 1. whiten everything; the always-gray objects start the gray list */
	kl_for_each_object(st, whiten, &sc);
	/* 2. the roots */
	scan_machine(&sc, m);
	scan_memmap(&sc);
	scan_data_segments(&sc);
	if (READ_ONCE(st->stack_scan))
		scan_stacks(&sc, my_sp);
	/* 3. everything reachable */
	scan_gray_list(&sc);
	/* 4. objects modified meanwhile get one more chance */
	kl_for_each_object(st, gray_if_modified, &sc);
	scan_gray_list(&sc);

	st->last_new_leaks = 0;
	kl_for_each_object(st, report_new, &sc);
	st->last_scanned_bytes = sc.scanned;
	if (st->last_new_leaks) {
		st->found_leaks = true;
		pr_info("kmemleak: %lu new suspected memory leaks (see /sys/kernel/debug/kmemleak)\n",
			st->last_new_leaks);
	}
}

/**
 * kmemleak_scan - one scan of the machine of the calling thread (which
 * must be on one of its CPUs)
 * @st: the machine's kmemleak state
 *
 * Context: takes scan_mutex; may wait for any kmemleak lock.
 */
noinline void kmemleak_scan(struct kmemleak_state *st)
{
	jmp_buf regs;	/* the callee-saved registers, spilled where the stack scan sees them */

	pthread_once(&crc32_once, crc32_init);
	kmemleak_thread_register();
	pthread_mutex_lock(&st->scan_mutex);
	if (!setjmp(regs))
		__kmemleak_scan(st, (unsigned long)&regs);
	pthread_mutex_unlock(&st->scan_mutex);
}

/**
 * kmemleak_is_valid - the invariants of mm/kmemleak.c (see its comment)
 * @m: the machine
 *
 * Context: no scan may run concurrently (it holds references).
 * Return: true if they hold (or kmemleak is not set up); false with the
 * first violations in the kernel log ("kmemleak_is_valid: ..."), as the
 * other checkers report.
 */
bool kmemleak_is_valid(struct mmsim *m)
{
	struct kmemleak_state *st = kmemleak_state_of(m);
	unsigned long n_tree = 0, n_alloc = 0, prev_end = 0;
	struct kmemleak_object *o;
	bool ok = true;

	if (!st->initialized)
		return true;
	spin_lock(&st->lock);
	for (struct rb_node *rb = rb_first(&st->root); rb; rb = rb_next(rb)) {
		o = rb_entry(rb, struct kmemleak_object, rb_node);
		n_tree++;
		if (o->pointer < prev_end) {
			pr_err("kmemleak_is_valid: object %#lx overlaps the one before\n", o->pointer);
			ok = false;
		}
		prev_end = o->pointer + o->size;
		if (!(o->flags & OBJECT_ALLOCATED) || o->refcount < 1 ||
		    o->pointer < st->min_addr || prev_end > st->max_addr) {
			pr_err("kmemleak_is_valid: object %#lx: flags %#x refcount %d\n", o->pointer,
				o->flags, o->refcount);
			ok = false;
		}
	}
	list_for_each_entry(o, &st->object_list, object_list) {
		if (o->refcount < 1) {
			pr_err("kmemleak_is_valid: listed object %#lx has refcount %d\n", o->pointer,
				o->refcount);
			ok = false;
		}
		if (!(o->flags & OBJECT_ALLOCATED))
			continue;
		n_alloc++;
		if (__lookup_object(st, o->pointer, false) != o) {
			pr_err("kmemleak_is_valid: allocated object %#lx not in the tree\n", o->pointer);
			ok = false;
		}
	}
	if (n_tree != st->nr_objects || n_alloc != st->nr_objects) {
		pr_err("kmemleak_is_valid: %lu in the tree, %lu allocated on the list, nr_objects %lu\n",
			n_tree, n_alloc, st->nr_objects);
		ok = false;
	}
	spin_unlock(&st->lock);
	return ok;
}

/* Objects kmemleak tracks now (for tests and the bench). */
unsigned long kmemleak_nr_objects(struct mmsim *m)
{
	return kmemleak_state_of(m)->nr_objects;
}

#endif /* CONFIG_DEBUG_KMEMLEAK */
