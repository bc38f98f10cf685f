// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kmemleak.c - the kernel memory leak detector (Linux's mm/kmemleak.c),
 * with kmemleak=on on the command line.  The scan is mm/kmemleak_scan.c.
 *
 * What it does.  Every block the allocators hand out (slab objects and
 * kmalloc, large kmalloc, vmalloc) gets a struct kmemleak_object: its host
 * address and size, the allocating task (comm, pid), the jiffies and the
 * host call chain.  A scan (mm/kmemleak_scan.c) looks for pointers to the
 * blocks in the roots and in the blocks themselves, as a tracing garbage
 * collector does, and reports the blocks nothing points to, older than
 * the minimum age (5 s of the machine's virtual clock), in
 * /sys/kernel/debug/kmemleak and with one kernel log line per scan.
 *
 * Data.  struct kmemleak_state per machine: the rbtree of the live
 * objects keyed by [pointer, pointer + size) (Linux's object_tree_root),
 * the list of every object metadata not yet freed (object_list, scanned
 * in order), and the address bounds of all objects (min_addr, max_addr).
 * The metadata is host memory (malloc), never a tracked block: Linux's
 * SLAB_NOLEAKTRACE cache of kmemleak_objects.
 *
 * Object states.  OBJECT_ALLOCATED while the block is allocated: then it is
 * in the tree and on the list.  kmemleak_free removes it from the tree
 * and clears OBJECT_ALLOCATED; the metadata leaves the list and is freed
 * when its last reference goes (the scan holds references on objects it
 * walks and on the gray list: Linux's RCU plus use_count).  Colours, from
 * count (references found by this scan) and min_count: white (count <
 * min_count, not min_count == -1: may be a leak), gray (min_count != -1,
 * count >= min_count: referenced, scanned for more), black (min_count ==
 * -1: ignored, not scanned).
 *
 * Locks (outermost first).
 *   1. kmemleak_thread_lock (process-wide): the registered threads and
 *      their stacks; held across the stack phase of a scan so that no
 *      registered thread's stack goes away while it is read.
 *   2. st->scan_mutex: one scan (or a read of the file, a clear) at a time.
 *   3. object->lock (a spinlock): flags, count, min_count, checksum, and
 *      the block's bytes while a scan reads them (a free waits for it).
 *   4. st->lock (kmemleak_lock): the tree, the list, refcount, bounds.
 *      A scan takes it under the lock of the object it reads, to look a
 *      pointer up, and then the found object's lock under it (Linux's
 *      SINGLE_DEPTH_NESTING); the alloc and free paths take st->lock and
 *      an object's lock one after the other, never nested.
 *
 * Invariants (kmemleak_is_valid checks them):
 *   every object in the tree is on the list and OBJECT_ALLOCATED, and
 *   st->nr_objects == the tree's size; tree ranges do not overlap;
 *   every object's [pointer, pointer + size) lies in [min_addr, max_addr);
 *   refcount >= 1 for every object on the list.
 *
 * Departures from Linux: kmemleak is off unless kmemleak=on (Linux's
 * default is on when built); after "off" a free still drops its metadata
 * (Linux stops tracking altogether, leaving stale objects); vmalloc blocks
 * take min_count 1 (Linux 2: mmsim's vm_struct is host memory that no scan
 * sees); there is no early log (the tree exists from the boot word on).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <mmsim/config.h>
#include <execinfo.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/kmemleak.h>
#include <mmsim/err.h>
#include <mmsim/jiffies.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include <mmsim/sched.h>
#include <mmsim/vmalloc.h>
#include <mmsim/workqueue.h>
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/kmemleak_internal.h"
#include "init/init.h"

#ifdef CONFIG_DEBUG_KMEMLEAK

DECLARE_SUBSYSTEM(kmemleak);

struct kmemleak_state *kmemleak_state_of(struct mmsim *m)
{
	return subsys_state(m, kmemleak);
}

static struct kmemleak_state *kl_state(void)
{
	struct mmsim *m = current_machine();

	return m ? subsys_state(m, kmemleak) : NULL;
}

bool kmemleak_on(struct mmsim *m)
{
	return m && READ_ONCE(kmemleak_state_of(m)->enabled);
}

/* ---------------------------------------------------------------------
 * Threads whose stacks a scan reads (registered on their first tracked
 * allocation, on entering a machine, and by the scanning thread).
 */
static pthread_mutex_t kmemleak_thread_lock = PTHREAD_MUTEX_INITIALIZER;
LIST_HEAD(kmemleak_threads);
static pthread_key_t kmemleak_thread_key;
static pthread_once_t kmemleak_key_once = PTHREAD_ONCE_INIT;
static _Thread_local struct kmemleak_thread *kmemleak_self;

static void kmemleak_thread_exit(void *arg)
{
	struct kmemleak_thread *t = arg;

	pthread_mutex_lock(&kmemleak_thread_lock);
	list_del(&t->list);
	pthread_mutex_unlock(&kmemleak_thread_lock);
	kmemleak_self = NULL;
	free(t);
}

static void kmemleak_make_key(void)
{
	if (pthread_key_create(&kmemleak_thread_key, kmemleak_thread_exit))
		abort();
}

/* Register the calling thread's stack as a root (idempotent, cheap after the first). */
void kmemleak_thread_register(void)
{
	struct kmemleak_thread *t;
	pthread_attr_t attr;
	void *addr;
	size_t size;

	if (likely(kmemleak_self))
		return;
	pthread_once(&kmemleak_key_once, kmemleak_make_key);
	if (pthread_getattr_np(pthread_self(), &attr))
		return;
	if (pthread_attr_getstack(&attr, &addr, &size)) {
		pthread_attr_destroy(&attr);
		return;
	}
	pthread_attr_destroy(&attr);
	t = calloc(1, sizeof(*t));
	if (!t)
		return;
	t->thread = pthread_self();
	t->stack_lo = (unsigned long)addr;
	t->stack_hi = (unsigned long)addr + size;
	pthread_mutex_lock(&kmemleak_thread_lock);
	list_add_tail(&t->list, &kmemleak_threads);
	pthread_mutex_unlock(&kmemleak_thread_lock);
	kmemleak_self = t;
	pthread_setspecific(kmemleak_thread_key, t);
}

void kmemleak_threads_lock(void)
{
	pthread_mutex_lock(&kmemleak_thread_lock);
}

void kmemleak_threads_unlock(void)
{
	pthread_mutex_unlock(&kmemleak_thread_lock);
}

bool kmemleak_is_self(const struct kmemleak_thread *t)
{
	return t == kmemleak_self;
}

/* ---------------------------------------------------------------------
 * Object metadata: lookup, reference counting, creation, deletion
 */

/* The object whose block contains @ptr (@alias) or starts at it; st->lock held. */
struct kmemleak_object *__lookup_object(struct kmemleak_state *st, unsigned long ptr, bool alias)
{
	struct rb_node *rb = st->root.rb_node;

	while (rb) {
		struct kmemleak_object *o = rb_entry(rb, struct kmemleak_object, rb_node);

		if (ptr < o->pointer)
			rb = rb->rb_left;
		else if (ptr >= o->pointer + (o->size ? o->size : 1))
			rb = rb->rb_right;
		else if (o->pointer == ptr || alias)
			return o;
		else
			return NULL;
	}
	return NULL;
}

/* Take a reference on an object on the list; st->lock held. */
void get_object(struct kmemleak_object *o)
{
	o->refcount++;
}

static void free_object_rcu(struct kmemleak_object *o)
{
	while (o->areas) {
		struct kmemleak_scan_area *a = o->areas;

		o->areas = a->next;
		free(a);
	}
	free(o);
}

/* Drop a reference; the last one takes the metadata off the list and frees it. */
void put_object(struct kmemleak_state *st, struct kmemleak_object *o)
{
	bool last;

	spin_lock(&st->lock);
	last = --o->refcount == 0;
	if (last)
		list_del(&o->object_list);
	spin_unlock(&st->lock);
	if (last)
		free_object_rcu(o);
}

/* Find the object at (@alias: containing) @ptr and take a reference, or NULL. */
struct kmemleak_object *find_and_get_object(struct kmemleak_state *st, unsigned long ptr,
					    bool alias)
{
	struct kmemleak_object *o;

	spin_lock(&st->lock);
	o = __lookup_object(st, ptr, alias);
	if (o)
		get_object(o);
	spin_unlock(&st->lock);
	return o;
}

/* The host call chain of the allocation; the frames of kmemleak itself are skipped. */
static noinline int save_stack(void **entries, const void *api_ret)
{
	void *buf[KMEMLEAK_TRACE + 4];
	int n = backtrace(buf, KMEMLEAK_TRACE + 4), skip = 0;

	/*
	 * Start at the API function (kmemleak_alloc, ...), as Linux's trace
	 * does: the frame before the one returning to its caller @api_ret.
	 */
	for (int i = 1; i < n; i++)
		if (buf[i] == api_ret) {
			skip = i - 1;
			break;
		}
	n = min(n - skip, KMEMLEAK_TRACE);
	memcpy(entries, buf + skip, (size_t)n * sizeof(void *));
	return n;
}

static noinline void __create_object(struct kmemleak_state *st, unsigned long ptr, size_t size,
				     int min_count, const void *api_ret)
{
	struct kmemleak_object *o = calloc(1, sizeof(*o));
	struct task_struct *t = current;
	struct rb_node **link, *parent = NULL;

	if (!o) {
		pr_warn("kmemleak: Cannot allocate a kmemleak_object structure\n");
		return;
	}
	spin_lock_init(&o->lock);
	INIT_LIST_HEAD(&o->gray_list);
	o->flags = OBJECT_ALLOCATED;
	o->pointer = ptr;
	o->size = size;
	o->min_count = min_count;
	o->refcount = 1;
	o->jiffies = (unsigned long)get_jiffies_64();
	/* No task: the machine's own context (swapper/0, pid 0, while it boots). */
	o->pid = t ? t->pid : current_machine()->pid;
	snprintf(o->comm, sizeof(o->comm), "%s", t ? t->comm : current_machine()->comm);
	o->nr_entries = save_stack(o->trace, api_ret);

	spin_lock(&st->lock);
	link = &st->root.rb_node;
	while (*link) {
		struct kmemleak_object *p = rb_entry(*link, struct kmemleak_object, rb_node);

		parent = *link;
		if (ptr + size <= p->pointer)
			link = &(*link)->rb_left;
		else if (p->pointer + p->size <= ptr)
			link = &(*link)->rb_right;
		else {
			/* Linux: "Cannot insert ... into the object search tree (overlaps existing)" */
			get_object(p);	/* it may be freed once st->lock is dropped */
			spin_unlock(&st->lock);
			pr_warn("kmemleak: Cannot insert 0x%lx into the object search tree (overlaps existing)\n",
				slab_kaddr((void *)ptr));
			spin_lock(&p->lock);
			kmemleak_dump_object_info(p);
			spin_unlock(&p->lock);
			put_object(st, p);
			free(o);
			/* kmemleak_stop(): the tree can no longer be trusted */
			WRITE_ONCE(st->enabled, false);
			pr_info("kmemleak: Kernel memory leak detector disabled\n");
			return;
		}
	}
	rb_link_node(&o->rb_node, parent, link);
	rb_insert_color(&o->rb_node, &st->root);
	list_add_tail(&o->object_list, &st->object_list);
	st->nr_objects++;
	if (ptr < st->min_addr)
		st->min_addr = ptr;
	if (ptr + size > st->max_addr)
		st->max_addr = ptr + size;
	spin_unlock(&st->lock);
}

/* Take @o out of the tree (the block is being freed); st->lock held. */
static void __remove_object(struct kmemleak_state *st, struct kmemleak_object *o)
{
	rb_erase(&o->rb_node, &st->root);
	st->nr_objects--;
}

static void __delete_object(struct kmemleak_state *st, struct kmemleak_object *o)
{
	/* A scan reading the block holds o->lock: wait for it. */
	spin_lock(&o->lock);
	o->flags &= ~OBJECT_ALLOCATED;
	spin_unlock(&o->lock);
	put_object(st, o);
}

static void delete_object_full(struct kmemleak_state *st, unsigned long ptr)
{
	struct kmemleak_object *o;

	spin_lock(&st->lock);
	o = __lookup_object(st, ptr, false);
	if (o)
		__remove_object(st, o);
	spin_unlock(&st->lock);
	if (!o)
		return;		/* Linux warns only when built with DEBUG */
	__delete_object(st, o);
}

/*
 * kmemleak_free_part: the block at @ptr shrinks to what is left around
 * [ptr, ptr + size): up to two new objects with the old one's trace.
 */
static void delete_object_part(struct kmemleak_state *st, unsigned long ptr, size_t size)
{
	struct kmemleak_object *o;
	unsigned long start, end;

	spin_lock(&st->lock);
	o = __lookup_object(st, ptr, true);
	if (o)
		__remove_object(st, o);
	spin_unlock(&st->lock);
	if (!o)
		return;		/* Linux warns only when built with DEBUG */
	start = o->pointer;
	end = o->pointer + o->size;
	if (ptr > start)
		__create_object(st, start, ptr - start, o->min_count, NULL);
	if (ptr + size < end)
		__create_object(st, ptr + size, end - ptr - size, o->min_count, NULL);
	__delete_object(st, o);
}

/* Set min_count (and so the colour) of the object at @ptr. */
static void paint_ptr(struct kmemleak_state *st, unsigned long ptr, int color)
{
	struct kmemleak_object *o = find_and_get_object(st, ptr, false);

	if (!o) {
		pr_warn("kmemleak: Trying to color unknown object at 0x%08lx as %s\n",
			slab_kaddr((void *)ptr), color == KMEMLEAK_GREY ? "Grey" : "Black");
		return;
	}
	spin_lock(&o->lock);
	o->min_count = color;
	if (color == KMEMLEAK_BLACK)
		o->flags |= OBJECT_NO_SCAN;
	spin_unlock(&o->lock);
	put_object(st, o);
}

/* ---------------------------------------------------------------------
 * The API (include/mmsim/kmemleak.h)
 */

static inline struct kmemleak_state *kl_tracking(void)
{
	struct kmemleak_state *st = kl_state();

	return st && READ_ONCE(st->enabled) ? st : NULL;
}

/* Frees are honoured as long as the tree exists, even after "off". */
static inline struct kmemleak_state *kl_tree(void)
{
	struct kmemleak_state *st = kl_state();

	return st && READ_ONCE(st->initialized) ? st : NULL;
}

/**
 * kmemleak_alloc - register a newly allocated block
 * @ptr: the block (host address)
 * @size: its size in bytes
 * @min_count: references needed to count as referenced (1; 0: never
 *	reported; -1: ignored)
 * @gfp: the allocation's flags (unused: mmsim's metadata is host memory)
 */
noinline void kmemleak_alloc(const void *ptr, size_t size, int min_count, gfp_t gfp)
{
	struct kmemleak_state *st = kl_tracking();

	(void)gfp;
	if (st && ptr && !IS_ERR(ptr)) {
		kmemleak_thread_register();
		__create_object(st, (unsigned long)ptr, size, min_count,
				__builtin_return_address(0));
	}
}

/**
 * kmemleak_vmalloc - register a vmalloc'd block
 * @area: its vm_struct
 * @size: the size asked for
 * @gfp: the allocation's flags
 */
noinline void kmemleak_vmalloc(const struct vm_struct *area, size_t size, gfp_t gfp)
{
	struct kmemleak_state *st = kl_tracking();

	(void)gfp;
	if (st && area) {
		kmemleak_thread_register();
		__create_object(st, (unsigned long)area->addr, size, 1,
				__builtin_return_address(0));
	}
}

/** kmemleak_free - the block at @ptr is freed */
void kmemleak_free(const void *ptr)
{
	struct kmemleak_state *st = kl_tree();

	if (st && ptr && !IS_ERR(ptr))
		delete_object_full(st, (unsigned long)ptr);
}

/** kmemleak_free_part - [@ptr, @ptr + @size) of a block is freed */
void kmemleak_free_part(const void *ptr, size_t size)
{
	struct kmemleak_state *st = kl_tree();

	if (st && ptr && !IS_ERR(ptr))
		delete_object_part(st, (unsigned long)ptr, size);
}

/** kmemleak_update_trace - record the current call chain as the block's origin */
noinline void kmemleak_update_trace(const void *ptr)
{
	struct kmemleak_state *st = kl_tracking();
	struct kmemleak_object *o;

	if (!st || !ptr || IS_ERR(ptr))
		return;
	o = find_and_get_object(st, (unsigned long)ptr, true);
	if (!o)
		return;		/* Linux: silent when kmemleak does not know it */
	spin_lock(&o->lock);
	o->nr_entries = save_stack(o->trace, __builtin_return_address(0));
	spin_unlock(&o->lock);
	put_object(st, o);
}

/** kmemleak_not_leak - never report the block at @ptr (it is scanned still) */
void kmemleak_not_leak(const void *ptr)
{
	struct kmemleak_state *st = kl_tracking();

	if (st && ptr && !IS_ERR(ptr))
		paint_ptr(st, (unsigned long)ptr, KMEMLEAK_GREY);
}

/** kmemleak_ignore - neither report nor scan the block at @ptr */
void kmemleak_ignore(const void *ptr)
{
	struct kmemleak_state *st = kl_tracking();

	if (st && ptr && !IS_ERR(ptr))
		paint_ptr(st, (unsigned long)ptr, KMEMLEAK_BLACK);
}

/** kmemleak_scan_area - scan only [@ptr, @ptr + @size) of the block containing @ptr */
void kmemleak_scan_area(const void *ptr, size_t size, gfp_t gfp)
{
	struct kmemleak_state *st = kl_tracking();
	struct kmemleak_object *o;
	struct kmemleak_scan_area *a;
	unsigned long p = (unsigned long)ptr;

	(void)gfp;
	if (!st || !size || !ptr || IS_ERR(ptr))
		return;
	o = find_and_get_object(st, p, true);
	if (!o) {
		pr_warn("kmemleak: Adding scan area to unknown object at 0x%08lx\n",
			slab_kaddr(ptr));
		return;
	}
	a = malloc(sizeof(*a));
	spin_lock(&o->lock);
	if (!a) {
		pr_warn("kmemleak: Cannot allocate a scan area, scanning the full object\n");
		o->flags |= OBJECT_FULL_SCAN;
	} else if (p + size > o->pointer + o->size) {
		pr_warn("kmemleak: Scan area larger than object 0x%08lx\n", slab_kaddr(ptr));
		kmemleak_dump_object_info(o);
		free(a);
	} else {
		a->start = p;
		a->size = size;
		a->next = o->areas;
		o->areas = a;
	}
	spin_unlock(&o->lock);
	put_object(st, o);
}

/** kmemleak_no_scan - do not look for pointers inside the block at @ptr */
void kmemleak_no_scan(const void *ptr)
{
	struct kmemleak_state *st = kl_tracking();
	struct kmemleak_object *o;

	if (!st || !ptr || IS_ERR(ptr))
		return;
	o = find_and_get_object(st, (unsigned long)ptr, false);
	if (!o) {
		pr_warn("kmemleak: Not scanning unknown object at 0x%08lx\n", slab_kaddr(ptr));
		return;
	}
	spin_lock(&o->lock);
	o->flags |= OBJECT_NO_SCAN;
	spin_unlock(&o->lock);
	put_object(st, o);
}

/* The physical variants: the block is the direct map's view of @phys (lowmem only). */
void kmemleak_alloc_phys(phys_addr_t phys, size_t size, gfp_t gfp)
{
	(void)gfp;
	/* Linux: min_count 0, a root that is never reported */
	if (kl_tracking() && PHYS_PFN(phys) < current_layout->max_low_pfn)
		kmemleak_alloc(__va(phys), size, 0, 0);
}

void kmemleak_free_part_phys(phys_addr_t phys, size_t size)
{
	if (kl_tree() && PHYS_PFN(phys) < current_layout->max_low_pfn)
		kmemleak_free_part(__va(phys), size);
}

void kmemleak_ignore_phys(phys_addr_t phys)
{
	if (kl_tracking() && PHYS_PFN(phys) < current_layout->max_low_pfn)
		kmemleak_ignore(__va(phys));
}

/* ---------------------------------------------------------------------
 * Reports
 */

/* hex_dump_to_buffer() with rowsize 16, groupsize 1 and ASCII, for @len <= 16 bytes. */
static void hex_row(char *out, const unsigned char *p, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t lx = 0;

	for (size_t j = 0; j < len; j++) {
		out[lx++] = hex[p[j] >> 4];
		out[lx++] = hex[p[j] & 15];
		out[lx++] = ' ';
	}
	if (len)
		lx--;
	while (lx < 16 * 2 + 16 + 1)	/* the ASCII column */
		out[lx++] = ' ';
	for (size_t j = 0; j < len; j++)
		out[lx++] = (p[j] >= 0x20 && p[j] < 0x7f) ? (char)p[j] : '.';
	out[lx] = '\0';
}

/* Linux's warn_or_seq_printf: to the file, or (kmemleak.verbose) to the log under pr_fmt. */
#define kl_print(sf, fmt, ...)						\
	do {								\
		if (sf)							\
			seq_printf(sf, fmt, ##__VA_ARGS__);		\
		else							\
			pr_warn("kmemleak: " fmt, ##__VA_ARGS__);	\
	} while (0)

/* The first HEX_MAX_LINES * 16 bytes of the block; object->lock held. */
static void hex_dump_object(struct seq_file *sf, struct kmemleak_object *o)
{
	unsigned char buf[KMEMLEAK_HEX_MAX];
	size_t len = min_t(size_t, o->size, sizeof(buf));
	char row[80];

	kmemleak_read_bytes(buf, (const void *)o->pointer, len);
	kl_print(sf, "  hex dump (first %zu bytes):\n", len);
	for (size_t i = 0; i < len; i += 16) {
		hex_row(row, buf + i, min_t(size_t, 16, len - i));
		kl_print(sf, "    %s\n", row);
	}
}

/*
 * What Linux's %pK prints with kptr_restrict=0: a hashed pointer, 32 bits
 * wide.  The host address would change from run to run (ASLR); the hash of
 * the symbolized frame does not, so one program prints one report.
 */
static unsigned long hashed_symbol(const char *sym)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (; *sym; sym++)
		h = (h ^ (unsigned char)*sym) * 16777619u;
	return h;
}

/* One report, as Linux 6.8 prints it; object->lock held. */
void print_unreferenced(struct seq_file *sf, struct kmemleak_object *o)
{
	char sym[160];

	kl_print(sf, "unreferenced object 0x%08lx (size %zu):\n", slab_kaddr((void *)o->pointer),
		 o->size);
	kl_print(sf, "  comm \"%s\", pid %d, jiffies %lu\n", o->comm, o->pid, o->jiffies);
	hex_dump_object(sf, o);
	kl_print(sf, "  backtrace (crc %x):\n", o->checksum);
	for (int i = 0; i < o->nr_entries; i++) {
		format_symbol((unsigned long)o->trace[i], sym, sizeof(sym));
		kl_print(sf, "    [<%016lx>] %s\n", hashed_symbol(sym), sym);
	}
}

/* dump=ADDR: Linux's dump_object_info(); object->lock held. */
void kmemleak_dump_object_info(struct kmemleak_object *o)
{
	char sym[160];

	pr_notice("kmemleak: Object 0x%08lx (size %zu):\n", slab_kaddr((void *)o->pointer), o->size);
	pr_notice("kmemleak:   comm \"%s\", pid %d, jiffies %lu\n", o->comm, o->pid, o->jiffies);
	pr_notice("kmemleak:   min_count = %d\n", o->min_count);
	pr_notice("kmemleak:   count = %d\n", o->count);
	pr_notice("kmemleak:   flags = 0x%x\n", o->flags);
	pr_notice("kmemleak:   checksum = %u\n", o->checksum);
	pr_notice("kmemleak:   backtrace:\n");
	for (int i = 0; i < o->nr_entries; i++) {
		format_symbol((unsigned long)o->trace[i], sym, sizeof(sym));
		pr_notice("kmemleak:  %s\n", sym);
	}
}

/* ---------------------------------------------------------------------
 * /sys/kernel/debug/kmemleak
 */

static int kmemleak_show(struct seq_file *sf, struct proc_file *f)
{
	struct kmemleak_state *st = kmemleak_state_of(f->m);
	struct kmemleak_object *o, *next;

	if (!st->initialized)
		return -EPERM;		/* kmemleak=off: nothing was ever tracked */
	pthread_mutex_lock(&st->scan_mutex);
	o = kmemleak_first_object(st);
	while (o) {
		spin_lock(&o->lock);
		if ((o->flags & OBJECT_REPORTED) && unreferenced_object(st, o))
			print_unreferenced(sf, o);
		spin_unlock(&o->lock);
		next = kmemleak_next_object(st, o);
		put_object(st, o);
		o = next;
	}
	pthread_mutex_unlock(&st->scan_mutex);
	return 0;
}

/* The first object on the list, with a reference, or NULL. */
struct kmemleak_object *kmemleak_first_object(struct kmemleak_state *st)
{
	struct kmemleak_object *o = NULL;

	spin_lock(&st->lock);
	if (!list_empty(&st->object_list)) {
		o = list_first_entry(&st->object_list, struct kmemleak_object, object_list);
		get_object(o);
	}
	spin_unlock(&st->lock);
	return o;
}

/* The next object on the list after @o (which the caller holds), with a reference. */
struct kmemleak_object *kmemleak_next_object(struct kmemleak_state *st, struct kmemleak_object *o)
{
	struct kmemleak_object *next = NULL;

	spin_lock(&st->lock);
	if (o->object_list.next != &st->object_list) {
		next = list_entry(o->object_list.next, struct kmemleak_object, object_list);
		get_object(next);
	}
	spin_unlock(&st->lock);
	return next;
}

/* clear: forget the leaks reported so far (they turn gray for good). */
static void kmemleak_clear(struct kmemleak_state *st)
{
	struct kmemleak_object *o, *next;

	pthread_mutex_lock(&st->scan_mutex);
	o = kmemleak_first_object(st);
	while (o) {
		spin_lock(&o->lock);
		if ((o->flags & OBJECT_REPORTED) && unreferenced_object(st, o))
			o->min_count = KMEMLEAK_GREY;
		spin_unlock(&o->lock);
		next = kmemleak_next_object(st, o);
		put_object(st, o);
		o = next;
	}
	st->found_leaks = false;
	pthread_mutex_unlock(&st->scan_mutex);
}

/* Every object metadata goes (Linux's __kmemleak_do_cleanup). */
static void kmemleak_free_all(struct kmemleak_state *st)
{
	struct kmemleak_object *o, *tmp;
	LIST_HEAD(dead);

	spin_lock(&st->lock);
	list_for_each_entry_safe(o, tmp, &st->object_list, object_list) {
		if (o->flags & OBJECT_ALLOCATED) {
			rb_erase(&o->rb_node, &st->root);
			st->nr_objects--;
		}
		list_move(&o->object_list, &dead);
	}
	spin_unlock(&st->lock);
	list_for_each_entry_safe(o, tmp, &dead, object_list)
		free_object_rcu(o);
}

static void stop_scan_thread(struct kmemleak_state *st)
{
	if (READ_ONCE(st->scan_thread)) {
		WRITE_ONCE(st->scan_thread, false);
		cancel_delayed_work_sync(&st->scan_work);
	}
}

static void start_scan_thread(struct kmemleak_state *st, unsigned long first)
{
	if (READ_ONCE(st->scan_thread))
		return;
	WRITE_ONCE(st->scan_thread, true);
	queue_delayed_work(system_wq, &st->scan_work, first);
}

/* The scan thread's loop, one turn: Linux's kmemleak_scan_thread. */
static void kmemleak_scan_work(struct work_struct *w)
{
	struct kmemleak_state *st = container_of(to_delayed_work(w), struct kmemleak_state, scan_work);

	kmemleak_scan(st);
	if (READ_ONCE(st->scan_thread))
		queue_delayed_work(system_wq, &st->scan_work, READ_ONCE(st->jiffies_scan_wait));
}

/* off: stop tracking; the data stays while leaks were found (Linux's kmemleak_disable). */
static void kmemleak_disable(struct kmemleak_state *st)
{
	bool found;

	WRITE_ONCE(st->enabled, false);
	pr_info("kmemleak: Kernel memory leak detector disabled\n");
	stop_scan_thread(st);
	pthread_mutex_lock(&st->scan_mutex);
	found = st->found_leaks;
	if (!found)
		kmemleak_free_all(st);
	pthread_mutex_unlock(&st->scan_mutex);
	if (found)
		pr_info("kmemleak: Kmemleak disabled without freeing internal data. Reclaim the memory with \"echo clear > /sys/kernel/debug/kmemleak\".\n");
}

static int dump_str_object_info(struct kmemleak_state *st, const char *str)
{
	struct kmemleak_object *o;
	unsigned long addr;
	char *end;
	void *host;

	errno = 0;
	addr = strtoul(str, &end, 0);
	if (errno || end == str || (*end && *end != '\n'))
		return -EINVAL;
	host = kva_to_host(addr);
	o = host ? find_and_get_object(st, (unsigned long)host, false) : NULL;
	if (!o) {
		pr_info("kmemleak: Unknown object at 0x%08lx\n", addr);
		return -EINVAL;
	}
	spin_lock(&o->lock);
	kmemleak_dump_object_info(o);
	spin_unlock(&o->lock);
	put_object(st, o);
	return 0;
}

static int kmemleak_store(struct proc_file *f, const char *buf)
{
	struct kmemleak_state *st = kmemleak_state_of(f->m);

	if (!st->initialized)
		return strncmp(buf, "clear", 5) ? -EPERM : 0;
	if (!strncmp(buf, "clear", 5)) {
		if (READ_ONCE(st->enabled)) {
			kmemleak_clear(st);
		} else {
			pthread_mutex_lock(&st->scan_mutex);
			kmemleak_free_all(st);
			pthread_mutex_unlock(&st->scan_mutex);
		}
		return 0;
	}
	if (!READ_ONCE(st->enabled))
		return -EPERM;
	if (!strncmp(buf, "off", 3)) {
		kmemleak_disable(st);
	} else if (!strncmp(buf, "stack=on", 8)) {
		WRITE_ONCE(st->stack_scan, true);
	} else if (!strncmp(buf, "stack=off", 9)) {
		WRITE_ONCE(st->stack_scan, false);
	} else if (!strncmp(buf, "scan=on", 7)) {
		start_scan_thread(st, READ_ONCE(st->jiffies_scan_wait));
	} else if (!strncmp(buf, "scan=off", 8)) {
		stop_scan_thread(st);
	} else if (!strncmp(buf, "scan=", 5)) {
		unsigned long secs;
		char *end;

		errno = 0;
		secs = strtoul(buf + 5, &end, 0);
		if (errno || end == buf + 5 || (*end && *end != '\n') || secs > UINT_MAX)
			return -EINVAL;
		stop_scan_thread(st);
		if (secs) {
			unsigned long msecs = min_t(unsigned long, secs * 1000, UINT_MAX);

			WRITE_ONCE(st->jiffies_scan_wait, DIV_ROUND_UP(msecs * HZ, 1000));
			start_scan_thread(st, st->jiffies_scan_wait);
		}
	} else if (!strncmp(buf, "scan", 4)) {
		kmemleak_scan(st);
	} else if (!strncmp(buf, "dump=", 5)) {
		return dump_str_object_info(st, buf + 5);
	} else {
		return -EINVAL;
	}
	return 0;
}

static const struct proc_entry kmemleak_entries[] = {
	{ "/sys/kernel/debug/kmemleak", kmemleak_show, kmemleak_store, NULL },
};

/* ---------------------------------------------------------------------
 * Boot: kmemleak=on|off, the scan work, the file
 */

static void kmemleak_state_setup(struct kmemleak_state *st)
{
	spin_lock_init(&st->lock);
	pthread_mutex_init(&st->scan_mutex, NULL);
	st->root = RB_ROOT;
	INIT_LIST_HEAD(&st->object_list);
	st->min_addr = ULONG_MAX;
	st->max_addr = 0;
	st->stack_scan = true;
	st->jiffies_min_age = DIV_ROUND_UP(KMEMLEAK_MSECS_MIN_AGE * HZ, 1000);
	st->jiffies_scan_wait = KMEMLEAK_SECS_SCAN_WAIT * HZ;
	INIT_DELAYED_WORK(&st->scan_work, kmemleak_scan_work);
	st->initialized = true;
}

static int kmemleak_boot_param(void *state, const struct kernel_param *kp, const char *word,
			       const char *val, char *err, size_t len)
{
	struct kmemleak_state *st = state;

	(void)kp;
	if (!strcmp(val, "off")) {
		st->enabled = false;
		return 0;
	}
	if (!strcmp(val, "on")) {
		if (!st->initialized)
			kmemleak_state_setup(st);
		/* Tracking starts with the first slab cache (mm_core_init). */
		st->enabled = true;
		return 0;
	}
	snprintf(err, len, "'%s': kmemleak takes on or off", word);
	return -EINVAL;
}

static const struct kernel_param kmemleak_params[] = {
	early_param("kmemleak", kmemleak_boot_param),
	/* Linux's module parameter: print each new leak to the log as well */
	core_param_bool("kmemleak.verbose", struct kmemleak_state, verbose),
};

/* Linux's kmemleak_late_init: the file, and the scan thread (first scan after 60 s). */
static int kmemleak_late_init(struct mmsim *m, char *err, size_t len)
{
	struct kmemleak_state *st = kmemleak_state_of(m);
	int ret;

	ret = proc_create_table(kmemleak_entries);
	if (ret) {
		snprintf(err, len, "kmemleak: cannot create its file (%d)", ret);
		return ret;
	}
	if (!st->enabled)
		return 0;
	kmemleak_thread_register();
	start_scan_thread(st, KMEMLEAK_SECS_FIRST_SCAN * HZ);
	pr_info("kmemleak: Kernel memory leak detector initialized (mem pool available: %d)\n", 0);
	pr_info("kmemleak: Automatic memory scanning thread started\n");
	return 0;
}

static void kmemleak_exit(struct mmsim *m)
{
	struct kmemleak_state *st = kmemleak_state_of(m);

	if (!st->initialized)
		return;
	WRITE_ONCE(st->enabled, false);
	stop_scan_thread(st);
}

/* At shutdown, after every subsystem freed what it had: the metadata left. */
static void kmemleak_state_release(void *state)
{
	struct kmemleak_state *st = state;

	if (!st->initialized)
		return;
	WRITE_ONCE(st->enabled, false);
	kmemleak_free_all(st);
	WRITE_ONCE(st->initialized, false);
	pthread_mutex_destroy(&st->scan_mutex);
}

static const struct initcall kmemleak_initcalls[] = {
	late_initcall(kmemleak_late_init, kmemleak_exit),
};

DEFINE_SUBSYSTEM(kmemleak, SUBSYS_STATE(struct kmemleak_state, NULL),
		 .state_release = kmemleak_state_release,
		 SUBSYS_PARAMS(kmemleak_params), SUBSYS_INITCALLS(kmemleak_initcalls));

#else /* !CONFIG_DEBUG_KMEMLEAK: the word is known, "on" is refused by name */

static int kmemleak_boot_param(void *state, const struct kernel_param *kp, const char *word,
			       const char *val, char *err, size_t len)
{
	(void)state;
	(void)kp;
	if (!strcmp(val, "off"))
		return 0;
	snprintf(err, len, "'%s': built without CONFIG_DEBUG_KMEMLEAK", word);
	return -EINVAL;
}

static const struct kernel_param kmemleak_params[] = {
	early_param("kmemleak", kmemleak_boot_param),
};

DEFINE_SUBSYSTEM(kmemleak, SUBSYS_PARAMS(kmemleak_params));

#endif /* CONFIG_DEBUG_KMEMLEAK */
