// SPDX-License-Identifier: GPL-2.0
/*
 * mm/slub_debug.c - slub_debug: what Linux builds with CONFIG_SLUB_DEBUG.
 *
 * What it owns
 * ============
 *   - The checks of an object's layout: red zones (SLAB_RED_ZONE), poison
 *     (SLAB_POISON), padding and the free pointer (check_object,
 *     check_slab, on_freelist, slab_pad_check).
 *   - Object tracking: the last alloc and free call sites of each object
 *     (SLAB_STORE_USER, struct track), the size a kmalloc asked for (its
 *     red zone), and SLAB_TRACE.
 *   - SLUB's error reports ("BUG <cache> (<taint>): <what>", the slab and
 *     object dump, "FIX <cache>: <repair>") and the repair that follows
 *     each: the damaged bytes are restored, a corrupt freelist is cut, and
 *     the machine goes on.  Each report counts in slab_globals.nr_errors.
 *     Reports print no host address: objects, bytes and slabs as their
 *     simulated kernel addresses (slab_kaddr), call sites as symbols or
 *     offsets (format_symbol), so one scenario prints one log.
 *   - The paths of the debug caches (any SLAB_DEBUG_FLAGS flag): no
 *     sheaves and no CPU slabs, every alloc_debug() and free_debug() takes
 *     one object from or to a node list under its list_lock, checked.
 *   - Validation and statistics: validate_slab_cache() (sysfs validate),
 *     the counts of /proc/slabinfo (get_slabinfo), the report of objects
 *     left at shutdown (list_slab_objects), the out-of-memory report, and
 *     slab_is_valid(), which checks the invariants of mm/slub.c and
 *     mm/slub_sheaves.c.
 *
 * An object slot of a debug cache (laid out by calculate_sizes(),
 * mm/slub.c), from object = slot + red_left_pad:
 *   [-red_left_pad, 0)            left red zone
 *   [0, object_size)              the object
 *   [object_size, inuse)          right red zone (or alignment padding)
 *   offset                        the free pointer (past inuse when the
 *                                 object must keep its contents)
 *   get_info_end()                struct track[TRACK_ALLOC, TRACK_FREE]
 *                                 (SLAB_STORE_USER), then the kmalloc
 *                                 request size (an unsigned int)
 *   up to size - red_left_pad     padding (POISON_INUSE)
 *
 * States.  An object of a debug cache is allocated (red zones
 * SLUB_RED_ACTIVE, the kmalloc red zone too past the request) or free (on
 * its slab's freelist, red zones SLUB_RED_INACTIVE, poisoned).  A slab of
 * a debug cache is never frozen: it is on its node's partial list (it has
 * a free object) or on its full list (it has none).
 *
 * Locks
 * =====
 *   kmem_cache_node.list_lock is held across each debug alloc and free with
 *   its checks, reports and repairs, and across validate_slab_node(); the
 *   slab word of a debug cache is written only under it (slab_fc_set).
 *   Empty slabs are discarded after it is dropped (zone->lock is never
 *   taken under it).  slab_is_valid() takes each list_lock and barn lock in
 *   turn, never two at once.  The order is mm/slub.c's.
 *
 * Invariants (checkable)
 * ==========
 *   a debug cache: sheaf_capacity == 0 and cpu_partial_slabs == 0; each
 *     of its slabs has fc_frozen() == false and is on n->partial when
 *     fc_off() != 0, on n->full when fc_off() == 0
 *   a free object with __OBJECT_POISON: bytes [0, object_size - 1) are
 *     POISON_FREE and byte object_size - 1 is POISON_END
 *   with SLAB_RED_ZONE: [-red_left_pad, 0) and [object_size, inuse) are all
 *     SLUB_RED_INACTIVE while the object is free, SLUB_RED_ACTIVE while it
 *     is allocated
 *   repair: a second validate_slab_cache() of a cache nobody touched in
 *     between adds nothing to slab_globals.nr_errors
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dlfcn.h>
#include <link.h>
#include <mmsim/pgtable.h>
#include "mm/slab.h"

static inline unsigned int obj_to_index(const struct kmem_cache *s, const struct slab *slab,
					const void *p)
{
	return (unsigned int)(((const char *)p - (const char *)slab_address(slab)) / s->size);
}

static unsigned long slab_jiffies(void)
{
	/* HZ = 250 on the virtual clock. */
	return (unsigned long)(atomic_load(&current_machine()->hw.clock_ns) / 4000000ULL);
}

/* ---------------------------------------------------------------------
 * Reports in SLUB's format, and the checks that make them
 */

/*
 * %pS of a host code address (a call site): symbol+offset/size when the
 * host can name it (dladdr1 sees dynamic symbols only), else the offset
 * into the host binary or library that holds it, which addr2line -e takes.
 * Never the address itself: where the host loads its code changes from
 * run to run.
 */
void format_symbol(unsigned long addr, char *buf, size_t len)
{
	const ElfW(Sym) *sym = NULL;
	Dl_info info;

	if (addr && dladdr1((void *)addr, &info, (void **)&sym, RTLD_DL_SYMENT)) {
		if (info.dli_sname && info.dli_saddr)
			snprintf(buf, len, "%s+0x%lx/0x%lx", info.dli_sname,
				 addr - (unsigned long)info.dli_saddr,
				 sym ? (unsigned long)sym->st_size : 0UL);
		else
			snprintf(buf, len, "0x%lx", addr - (unsigned long)info.dli_fbase);
		return;
	}
	snprintf(buf, len, "0x%lx", addr);	/* 0, or in no object at all */
}

/*
 * The address a slab log line prints for @p, as Linux prints its own: the
 * simulated kernel address of a pointer into the machine's memory (the
 * direct map, vmalloc, pkmap or fixmap: host_to_kva()) or into its memmap
 * (a struct slab or page: the vmemmap address, as dump_page() prints).
 * Anything else - NULL, or a corrupt pointer - is printed as found.  So
 * two runs of one scenario print the same log, whatever the host's mmap
 * did.
 */
unsigned long slab_kaddr(const void *p)
{
	unsigned long kva = host_to_kva(p);

	return kva ? kva : sim_kaddr((unsigned long)p);
}

static void slab_bug(struct kmem_cache *s, const char *fmt, ...) __printf(2, 3);
static void slab_bug(struct kmem_cache *s, const char *fmt, ...)
{
	char msg[256], taint[48];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_tainted(taint, sizeof(taint));
	atomic_long_add(1, &s->sg->nr_errors);
	pr_err("=============================================================================\n");
	pr_err("BUG %s (%s): %s\n", s->name, taint, msg);
	pr_err("-----------------------------------------------------------------------------\n\n");
}

static void slab_fix(struct kmem_cache *s, const char *fmt, ...) __printf(2, 3);
static void slab_fix(struct kmem_cache *s, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_err("FIX %s: %s\n", s->name, msg);
}

/*
 * The bytes print_section() shows of [@addr, @addr + @length): a copy in
 * which each aligned pointer-sized word that holds an address of the
 * machine's memory (a free pointer, a list_head, ...) holds its simulated
 * kernel address instead - what Linux would find there, and the same on
 * every run.  NULL when the host is out of memory.
 */
static u8 *section_bytes(const u8 *addr, size_t length)
{
	u8 *buf = malloc(length ? length : 1);

	if (!buf)
		return NULL;
	memcpy(buf, addr, length);
	for (size_t i = (size_t)(-(uintptr_t)addr % sizeof(long)); i + sizeof(long) <= length;
	     i += sizeof(long)) {
		unsigned long v, kva;

		memcpy(&v, buf + i, sizeof(v));
		kva = slab_kaddr((const void *)v);
		if (kva != v)
			memcpy(buf + i, &kva, sizeof(kva));
	}
	return buf;
}

/* print_hex_dump(level, text, DUMP_PREFIX_ADDRESS, 16, 1, addr, len, 1) */
static void print_section(const char *level, const char *text, const u8 *addr, size_t length)
{
	u8 *copy = section_bytes(addr, length);
	const u8 *bytes = copy ? copy : addr;

	for (size_t i = 0; i < length; i += 16) {
		char hex[16 * 3 + 1] = "", ascii[17] = "";
		size_t n = min(length - i, (size_t)16), h = 0;

		for (size_t j = 0; j < n; j++) {
			u8 c = bytes[i + j];

			h += (size_t)snprintf(hex + h, sizeof(hex) - h, j ? " %02x" : "%02x", c);
			ascii[j] = (c >= 0x20 && c < 0x7f) ? (char)c : '.';
		}
		ascii[n] = '\0';
		if (level[1] == KERN_INFO[1])
			pr_info("%s%016lx: %-47s  %s\n", text, slab_kaddr(addr + i), hex, ascii);
		else
			pr_err("%s%016lx: %-47s  %s\n", text, slab_kaddr(addr + i), hex, ascii);
	}
	free(copy);
}

static inline unsigned int get_info_end(const struct kmem_cache *s)
{
	if (s->offset >= s->inuse)	/* free pointer outside the object */
		return s->inuse + (unsigned int)sizeof(void *);
	return s->inuse;
}

static inline struct track *get_track(const struct kmem_cache *s, void *object,
				      enum track_item alloc)
{
	return (struct track *)((char *)object + get_info_end(s)) + alloc;
}

static inline unsigned int *orig_size_ptr(const struct kmem_cache *s, void *object)
{
	return (unsigned int *)((char *)object + get_info_end(s) + 2 * sizeof(struct track));
}

static void set_orig_size(struct kmem_cache *s, void *object, unsigned int orig_size)
{
	if (slub_debug_orig_size(s))
		*orig_size_ptr(s, object) = orig_size;
}

static unsigned int get_orig_size(struct kmem_cache *s, void *object)
{
	if (!slub_debug_orig_size(s))
		return s->object_size;
	return *orig_size_ptr(s, object);
}

/* ksize() lets the caller use the whole object: drop the kmalloc red zone. */
void skip_orig_size_check(struct kmem_cache *s, const void *object)
{
	set_orig_size(s, (void *)object, s->object_size);
}

static inline unsigned int size_from_object(const struct kmem_cache *s)
{
	return s->size - s->red_left_pad;
}

static void set_track(struct kmem_cache *s, void *object, enum track_item alloc,
		      unsigned long addr)
{
	struct track *p;

	if (!(s->flags & SLAB_STORE_USER))
		return;
	p = get_track(s, object, alloc);
	p->addr = addr;
	p->cpu = current_cpu->id;
	p->pid = current_machine()->pid;
	p->when = slab_jiffies();
}

void init_tracking(struct kmem_cache *s, void *object)
{
	if (!(s->flags & SLAB_STORE_USER))
		return;
	memset(get_track(s, object, TRACK_ALLOC), 0, 2 * sizeof(struct track));
}

static void print_track(const char *s, const struct track *t, unsigned long pr_time)
{
	char sym[160];

	if (!t->addr)
		return;
	format_symbol(t->addr, sym, sizeof(sym));
	pr_err("%s in %s age=%lu cpu=%u pid=%d\n", s, sym, pr_time - t->when, t->cpu, t->pid);
}

static void print_tracking(struct kmem_cache *s, void *object)
{
	unsigned long pr_time = slab_jiffies();

	if (!(s->flags & SLAB_STORE_USER))
		return;
	print_track("Allocated", get_track(s, object, TRACK_ALLOC), pr_time);
	print_track("Freed", get_track(s, object, TRACK_FREE), pr_time);
}

static void print_slab_info(const struct slab *slab)
{
	slab_fc_t fc = slab_fc(slab);

	pr_err("Slab 0x%lx objects=%u used=%u fp=0x%lx flags=0x%lx(%s)\n", slab_kaddr(slab),
	       slab->objects, fc_inuse(fc), slab_kaddr(fc_freelist(slab, fc)),
	       slab->__page_flags & ((1UL << __NR_PAGEFLAGS) - 1),
	       PageHead(slab_page(slab)) ? "slab|head" : "slab");
}

static void print_trailer(struct kmem_cache *s, struct slab *slab, u8 *p)
{
	u8 *addr = slab_address(slab);
	unsigned int off;

	print_tracking(s, p);
	print_slab_info(slab);
	pr_err("Object 0x%lx @offset=%lu fp=0x%lx\n\n", slab_kaddr(p), (unsigned long)(p - addr),
	       slab_kaddr(get_freepointer(s, p)));
	if (s->flags & SLAB_RED_ZONE)
		print_section(KERN_ERR, "Redzone  ", p - s->red_left_pad, s->red_left_pad);
	else if (p > addr + 16)
		print_section(KERN_ERR, "Bytes b4 ", p - 16, 16);
	print_section(KERN_ERR, "Object   ", p, min_t(unsigned long, s->object_size, PAGE_SIZE));
	if (s->flags & SLAB_RED_ZONE)
		print_section(KERN_ERR, "Redzone  ", p + s->object_size, s->inuse - s->object_size);
	off = get_info_end(s);
	if (s->flags & SLAB_STORE_USER)
		off += 2 * (unsigned int)sizeof(struct track);
	if (slub_debug_orig_size(s))
		off += (unsigned int)sizeof(unsigned int);
	off = kasan_metadata_end(s, off);
	if (off != size_from_object(s))
		print_section(KERN_ERR, "Padding  ", p + off, size_from_object(s) - off);
	dump_stack();
}

static void object_err(struct kmem_cache *s, struct slab *slab, u8 *object, const char *reason)
{
	slab_bug(s, "%s", reason);
	print_trailer(s, slab, object);
	add_taint(TAINT_BAD_PAGE);
}

static void slab_err(struct kmem_cache *s, struct slab *slab, const char *fmt, ...) __printf(3, 4);
static void slab_err(struct kmem_cache *s, struct slab *slab, const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	slab_bug(s, "%s", buf);
	print_slab_info(slab);
	dump_stack();
	add_taint(TAINT_BAD_PAGE);
}

void init_object(struct kmem_cache *s, void *object, u8 val)
{
	u8 *p = object;
	unsigned int poison_size = s->object_size;

	if (s->flags & SLAB_RED_ZONE) {
		memset(p - s->red_left_pad, val, s->red_left_pad);
		if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE)
			poison_size = get_orig_size(s, object);
	}
	if (s->flags & __OBJECT_POISON) {
		memset(p, POISON_FREE, poison_size - 1);
		p[poison_size - 1] = POISON_END;
	}
	if (s->flags & SLAB_RED_ZONE)
		memset(p + poison_size, val, s->inuse - poison_size);
}

static u8 *memchr_inv(u8 *start, u8 c, size_t bytes)
{
	for (size_t i = 0; i < bytes; i++)
		if (start[i] != c)
			return start + i;
	return NULL;
}

static void restore_bytes(struct kmem_cache *s, const char *message, u8 data, u8 *from, u8 *to)
{
	slab_fix(s, "Restoring %s 0x%lx-0x%lx=0x%x", message, slab_kaddr(from),
		 slab_kaddr(to - 1), data);
	memset(from, data, (size_t)(to - from));
}

static bool check_bytes_and_report(struct kmem_cache *s, struct slab *slab, u8 *object,
				   const char *what, u8 *start, u8 value, size_t bytes)
{
	u8 *addr = slab_address(slab);
	u8 *fault = memchr_inv(start, value, bytes);
	u8 *end = start + bytes;

	if (!fault)
		return true;
	while (end > fault && end[-1] == value)
		end--;
	slab_bug(s, "%s overwritten", what);
	pr_err("0x%lx-0x%lx @offset=%lu. First byte 0x%x instead of 0x%x\n", slab_kaddr(fault),
	       slab_kaddr(end - 1), (unsigned long)(fault - addr), fault[0], value);
	print_trailer(s, slab, object);
	add_taint(TAINT_BAD_PAGE);
	restore_bytes(s, what, value, fault, end);
	return false;
}

static bool check_pad_bytes(struct kmem_cache *s, struct slab *slab, u8 *p)
{
	unsigned int off = get_info_end(s);

	if (s->flags & SLAB_STORE_USER)
		off += 2 * (unsigned int)sizeof(struct track);
	if (slub_debug_orig_size(s))
		off += (unsigned int)sizeof(unsigned int);
	off = kasan_metadata_end(s, off);	/* KASAN's metadata is not padding */
	if (size_from_object(s) == off)
		return true;
	return check_bytes_and_report(s, slab, p, "Object padding", p + off, POISON_INUSE,
				      size_from_object(s) - off);
}

/* The slack after the last object, poisoned when the slab was made. */
void slab_pad_check(struct kmem_cache *s, struct slab *slab)
{
	u8 *start, *fault, *end;
	size_t length, remainder;

	if (!(s->flags & SLAB_POISON))
		return;
	start = slab_address(slab);
	length = slab_size(slab);
	end = start + length;
	remainder = length % s->size;
	if (!remainder)
		return;
	fault = memchr_inv(end - remainder, POISON_INUSE, remainder);
	if (!fault)
		return;
	while (end > fault && end[-1] == POISON_INUSE)
		end--;
	slab_err(s, slab, "Padding overwritten. 0x%lx-0x%lx @offset=%lu", slab_kaddr(fault),
		 slab_kaddr(end - 1), (unsigned long)(fault - start));
	print_section(KERN_ERR, "Padding ", fault, (size_t)(end - fault));
	restore_bytes(s, "slab padding", POISON_INUSE, fault, end);
}

static bool check_valid_pointer(struct kmem_cache *s, struct slab *slab, void *object)
{
	char *base, *p;

	if (!object)
		return true;
	base = slab_address(slab);
	p = restore_red_left(s, object);
	if (p < base || p >= base + (size_t)slab->objects * s->size || (size_t)(p - base) % s->size)
		return false;
	return true;
}

static inline bool freeptr_outside_object(const struct kmem_cache *s)
{
	return s->offset >= s->inuse;
}

static bool check_object(struct kmem_cache *s, struct slab *slab, void *object, u8 val)
{
	u8 *p = object, *endobject = p + s->object_size;
	bool ret = true;

	if (s->flags & SLAB_RED_ZONE) {
		if (!check_bytes_and_report(s, slab, object, "Left Redzone", p - s->red_left_pad,
					    val, s->red_left_pad))
			ret = false;
		if (!check_bytes_and_report(s, slab, object, "Right Redzone", endobject, val,
					    s->inuse - s->object_size))
			ret = false;
		if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE) {
			unsigned int orig_size = get_orig_size(s, object);

			if (s->object_size > orig_size &&
			    !check_bytes_and_report(s, slab, object, "kmalloc Redzone", p + orig_size,
						    val, s->object_size - orig_size))
				ret = false;
		}
	} else if ((s->flags & SLAB_POISON) && s->object_size < s->inuse) {
		if (!check_bytes_and_report(s, slab, p, "Alignment padding", endobject,
					    POISON_INUSE, s->inuse - s->object_size))
			ret = false;
	}
	if (s->flags & SLAB_POISON) {
		if (val != SLUB_RED_ACTIVE && (s->flags & __OBJECT_POISON)) {
			if (!check_bytes_and_report(s, slab, p, "Poison", p, POISON_FREE,
						    s->object_size - 1))
				ret = false;
			if (!check_bytes_and_report(s, slab, p, "End Poison", p + s->object_size - 1,
						    POISON_END, 1))
				ret = false;
		}
		if (!check_pad_bytes(s, slab, p))
			ret = false;
	}
	if ((freeptr_outside_object(s) || val != SLUB_RED_ACTIVE) &&
	    !check_valid_pointer(s, slab, get_freepointer(s, p))) {
		object_err(s, slab, p, "Freepointer corrupt");
		/* Zap it: the rest of this slab's free objects are lost. */
		set_freepointer(s, p, NULL);
		ret = false;
	}
	return ret;
}

static bool check_slab(struct kmem_cache *s, struct slab *slab)
{
	unsigned int maxobj;

	if (!PageSlab(slab_page(slab))) {
		slab_err(s, slab, "Not a valid slab page");
		return false;
	}
	maxobj = order_objects(slab_order(slab), s->size);
	if (slab->objects > maxobj) {
		slab_err(s, slab, "objects %u > max %u", slab->objects, maxobj);
		return false;
	}
	if (slab_inuse(slab) > slab->objects) {
		slab_err(s, slab, "inuse %u > max %u", slab_inuse(slab), slab->objects);
		return false;
	}
	return true;
}

/* Set the slab word while holding the node lock of a debug cache. */
static void slab_fc_set(struct kmem_cache *s, struct slab *slab, void *freelist,
			unsigned int inuse, bool frozen)
{
	lockdep_assert_held(&get_node(s, slab_nid(slab))->list_lock);
	atomic_store_explicit(&slab->fc,
			      fc_make(obj_off(slab, freelist), inuse, slab->objects, frozen),
			      memory_order_release);
}

/*
 * on_freelist - is @search on @slab's freelist?  Walks it, repairing a
 * corrupt chain and wrong counts as Linux does.  @search NULL: check only.
 */
static bool on_freelist(struct kmem_cache *s, struct slab *slab, void *search)
{
	slab_fc_t fc = slab_fc(slab);
	void *fp = fc_freelist(slab, fc), *object = NULL;
	unsigned int nr = 0, max_objects, inuse = fc_inuse(fc);

	while (fp && nr <= slab->objects) {
		if (fp == search)
			return true;
		if (!check_valid_pointer(s, slab, fp)) {
			if (object) {
				object_err(s, slab, object, "Freechain corrupt");
				set_freepointer(s, object, NULL);
			} else {
				slab_err(s, slab, "Freepointer corrupt");
				slab_fc_set(s, slab, NULL, slab->objects, fc_frozen(fc));
				slab_fix(s, "Freelist cleared");
				return false;
			}
			break;
		}
		object = fp;
		fp = get_freepointer(s, object);
		nr++;
	}
	max_objects = min(order_objects(slab_order(slab), s->size), (unsigned int)MAX_OBJS_PER_PAGE);
	if (slab->objects != max_objects) {
		slab_err(s, slab, "Wrong number of objects. Found %u but should be %u", slab->objects,
			 max_objects);
		slab->objects = max_objects;
		slab_fix(s, "Number of objects adjusted");
	}
	if (inuse != slab->objects - nr) {
		slab_err(s, slab, "Wrong object count. Counter is %u but counted were %u", inuse,
			 slab->objects - nr);
		slab_fc_set(s, slab, fc_freelist(slab, slab_fc(slab)), slab->objects - nr,
			    fc_frozen(fc));
		slab_fix(s, "Object count adjusted");
	}
	return search == NULL;
}

static void trace(struct kmem_cache *s, struct slab *slab, void *object, bool alloc)
{
	slab_fc_t fc;

	if (!(s->flags & SLAB_TRACE))
		return;
	fc = slab_fc(slab);
	pr_info("TRACE %s %s 0x%lx inuse=%u fp=0x%lx\n", s->name, alloc ? "alloc" : "free",
		slab_kaddr(object), fc_inuse(fc), slab_kaddr(fc_freelist(slab, fc)));
	if (!alloc)
		print_section(KERN_INFO, "Object ", object, s->object_size);
	dump_stack();
}

static bool alloc_debug_processing(struct kmem_cache *s, struct slab *slab, void *object,
				   unsigned int orig_size, unsigned long addr)
{
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		if (!check_slab(s, slab))
			goto bad;
		if (!check_valid_pointer(s, slab, object)) {
			object_err(s, slab, object, "Freelist Pointer check fails");
			goto bad;
		}
		if (!check_object(s, slab, object, SLUB_RED_INACTIVE))
			goto bad;
	}
	set_track(s, object, TRACK_ALLOC, addr);
	trace(s, slab, object, true);
	set_orig_size(s, object, orig_size);
	init_object(s, object, SLUB_RED_ACTIVE);
	return true;
bad:
	/* Avoid the rest of this slab: mark every object used. */
	slab_fix(s, "Marking all objects used");
	slab_fc_set(s, slab, NULL, slab->objects, false);
	return false;
}

static bool free_consistency_checks(struct kmem_cache *s, struct slab *slab, void *object)
{
	if (!check_valid_pointer(s, slab, object)) {
		slab_err(s, slab, "Invalid object pointer 0x%lx", slab_kaddr(object));
		return false;
	}
	if (on_freelist(s, slab, object)) {
		object_err(s, slab, object, "Object already free");
		return false;
	}
	if (!check_object(s, slab, object, SLUB_RED_ACTIVE))
		return false;
	if (unlikely(s != slab->slab_cache)) {
		if (!PageSlab(slab_page(slab)))
			slab_err(s, slab, "Attempt to free object(0x%lx) outside of slab",
				 slab_kaddr(object));
		else
			object_err(s, slab, object, "page slab pointer corrupt.");
		return false;
	}
	return true;
}

void slab_out_of_memory(struct kmem_cache *s, gfp_t gfpflags, int nid)
{
	char buf[128];

	if (gfpflags & __GFP_NOWARN)
		return;
	pr_warn("SLUB: Unable to allocate memory on node %d, gfp=%#x(%s)\n", nid, gfpflags,
		format_gfp_flags(gfpflags, buf, sizeof(buf)));
	pr_warn("  cache: %s, object size: %u, buffer size: %u, default order: %u, min order: %u\n",
		s->name, s->object_size, s->size, s->oo.order, s->min.order);
	for (int i = 0; i < s->nr_nodes; i++) {
		struct kmem_cache_node *n = s->node[i];
		long slabs = atomic_long_read(&n->nr_slabs);
		long objs = atomic_long_read(&n->total_objects);

		pr_warn("  node %d: slabs: %ld, objs: %ld, free: %lu\n", i, slabs, objs, 0UL);
	}
}

void list_slab_objects(struct kmem_cache *s, struct slab *slab, const char *text)
{
	void *addr = slab_address(slab), *p;
	unsigned long *map;
	unsigned int nwords = (slab->objects + 63) / 64;
	slab_fc_t fc = slab_fc(slab);

	slab_err(s, slab, text, s->name);
	map = calloc(nwords ? nwords : 1, sizeof(*map));
	if (!map)
		return;
	for (p = fc_freelist(slab, fc); p && check_valid_pointer(s, slab, p);
	     p = get_freepointer(s, p)) {
		unsigned int idx = obj_to_index(s, slab, p);

		if (map[idx / 64] & (1UL << (idx % 64)))
			break;
		map[idx / 64] |= 1UL << (idx % 64);
	}
	for_each_object(p, s, addr, slab->objects) {
		unsigned int idx = obj_to_index(s, slab, p);

		if (!(map[idx / 64] & (1UL << (idx % 64)))) {
			pr_err("Object 0x%lx @offset=%lu\n", slab_kaddr(p),
			       (unsigned long)((char *)p - (char *)addr));
			print_tracking(s, p);
		}
	}
	free(map);
}

/* ---------------------------------------------------------------------
 * Debug caches: one object at a time under the node lock
 */

/* Pop one object of @slab under n->list_lock; NULL if it has none. */
static void *slab_pop_locked(struct kmem_cache *s, struct kmem_cache_node *n, struct slab *slab)
{
	slab_fc_t fc = slab_fc(slab);
	void *object = fc_freelist(slab, fc), *next;

	lockdep_assert_held(&n->list_lock);
	if (!object)
		return NULL;
	next = get_freepointer(s, object);
	if ((s->flags & SLAB_CONSISTENCY_CHECKS) && !check_valid_pointer(s, slab, next)) {
		object_err(s, slab, object, "Freechain corrupt");
		set_freepointer(s, object, NULL);
		next = NULL;
		slab_fix(s, "Isolate corrupted freechain");
	}
	slab_fc_set(s, slab, next, fc_inuse(fc) + 1, false);
	return object;
}

/* Move @slab to the full list if it has no free object left; under
 * n->list_lock. */
static void debug_slab_update_list(struct kmem_cache *s, struct kmem_cache_node *n,
				   struct slab *slab)
{
	lockdep_assert_held(&n->list_lock);
	if (fc_off(slab_fc(slab)))
		return;
	remove_partial(n, slab);
	add_full(s, n, slab);
}

static void *alloc_from_node_debug(struct kmem_cache *s, struct kmem_cache_node *n,
				   unsigned int orig_size, unsigned long addr)
{
	struct slab *slab, *slab2;
	void *object = NULL;

	if (!READ_ONCE(n->nr_partial))
		return NULL;
	spin_lock(&n->list_lock);
	list_for_each_entry_safe(slab, slab2, &n->partial, slab_list) {
		object = slab_pop_locked(s, n, slab);
		if (object && !alloc_debug_processing(s, slab, object, orig_size, addr))
			object = NULL;
		debug_slab_update_list(s, n, slab);
		if (object)
			break;
	}
	spin_unlock(&n->list_lock);
	return object;
}

void *alloc_debug(struct kmem_cache *s, gfp_t gfpflags, int node, unsigned int orig_size,
		  unsigned long addr)
{
	int searchnode = node == NUMA_NO_NODE ? numa_node_id() : node;
	struct kmem_cache_node *n;
	struct slab *slab;
	void *object, *freelist;

	object = alloc_from_node_debug(s, get_node(s, searchnode), orig_size, addr);
	for (int nid = 0; !object && node == NUMA_NO_NODE && !(gfpflags & __GFP_THISNODE) &&
			  nid < s->nr_nodes; nid++)
		if (nid != searchnode)
			object = alloc_from_node_debug(s, get_node(s, nid), orig_size, addr);
	if (object)
		return object;
	slab = new_slab(s, gfpflags, node, &freelist);
	if (!slab) {
		slab_out_of_memory(s, gfpflags, node);
		return NULL;
	}
	n = get_node(s, slab_nid(slab));
	spin_lock(&n->list_lock);
	slab_fc_set(s, slab, freelist, 0, false);
	add_partial(n, slab, false);
	object = slab_pop_locked(s, n, slab);
	if (!alloc_debug_processing(s, slab, object, orig_size, addr))
		object = NULL;
	debug_slab_update_list(s, n, slab);
	spin_unlock(&n->list_lock);
	return object;
}

void free_debug(struct kmem_cache *s, struct slab *slab, void *object, unsigned long addr)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	struct slab *to_discard = NULL;
	slab_fc_t fc;
	void *prior;
	unsigned int inuse;

	spin_lock(&n->list_lock);
	if ((s->flags & SLAB_CONSISTENCY_CHECKS) && !free_consistency_checks(s, slab, object)) {
		slab_fix(s, "Object at 0x%lx not freed", slab_kaddr(object));
		spin_unlock(&n->list_lock);
		return;
	}
	fc = slab_fc(slab);
	prior = fc_freelist(slab, fc);
	if (unlikely(object == prior)) {	/* naive double-free detection */
		object_err(s, slab, object, "Object already free");
		slab_fix(s, "Object at 0x%lx not freed", slab_kaddr(object));
		spin_unlock(&n->list_lock);
		return;
	}
	set_track(s, object, TRACK_FREE, addr);
	trace(s, slab, object, false);
	init_object(s, object, SLUB_RED_INACTIVE);
	set_freepointer(s, object, prior);
	inuse = fc_inuse(fc) - 1;
	slab_fc_set(s, slab, object, inuse, false);
	if (!prior) {				/* was full */
		remove_full(s, n, slab);
		add_partial(n, slab, true);
	}
	if (!inuse && n->nr_partial > s->min_partial) {
		remove_partial(n, slab);
		to_discard = slab;
	}
	spin_unlock(&n->list_lock);
	if (to_discard)
		discard_slab(s, to_discard);
}

/* ---------------------------------------------------------------------
 * Validation and statistics
 */

static void validate_slab(struct kmem_cache *s, struct slab *slab, unsigned long *map)
{
	void *p, *addr = slab_address(slab);
	unsigned int nwords = (slab->objects + 63) / 64;

	if (!check_slab(s, slab) || !on_freelist(s, slab, NULL))
		return;
	memset(map, 0, nwords * sizeof(*map));
	for (p = fc_freelist(slab, slab_fc(slab)); p; p = get_freepointer(s, p)) {
		unsigned int idx = obj_to_index(s, slab, p);

		map[idx / 64] |= 1UL << (idx % 64);
	}
	for_each_object(p, s, addr, slab->objects) {
		unsigned int idx = obj_to_index(s, slab, p);
		u8 val = (map[idx / 64] & (1UL << (idx % 64))) ? SLUB_RED_INACTIVE
							       : SLUB_RED_ACTIVE;

		if (kmem_cache_debug(s) && !check_object(s, slab, p, val))
			break;
	}
}

static unsigned long validate_slab_node(struct kmem_cache *s, struct kmem_cache_node *n,
					unsigned long *map)
{
	unsigned long count = 0;
	struct slab *slab;

	spin_lock(&n->list_lock);
	list_for_each_entry(slab, &n->partial, slab_list) {
		validate_slab(s, slab, map);
		count++;
	}
	if (count != n->nr_partial) {
		pr_err("SLUB %s: %lu partial slabs counted but counter=%lu\n", s->name, count,
		       n->nr_partial);
		atomic_long_add(1, &s->sg->nr_errors);
	}
	if (kmem_cache_debug(s)) {
		list_for_each_entry(slab, &n->full, slab_list) {
			validate_slab(s, slab, map);
			count++;
		}
		if (count != (unsigned long)atomic_long_read(&n->nr_slabs)) {
			pr_err("SLUB: %s %lu slabs counted but counter=%ld\n", s->name, count,
			       atomic_long_read(&n->nr_slabs));
			atomic_long_add(1, &s->sg->nr_errors);
		}
	}
	spin_unlock(&n->list_lock);
	return count;
}

/* /sys/kernel/slab/<cache>/validate: check every listed slab; repair. */
long validate_slab_cache(struct kmem_cache *s)
{
	unsigned long count = 0;
	unsigned long *map = malloc(((size_t)MAX_OBJS_PER_PAGE / 64 + 1) * sizeof(*map));

	if (!map)
		return -ENOMEM;
	flush_all(s, false);
	for (int nid = 0; nid < s->nr_nodes; nid++)
		count += validate_slab_node(s, s->node[nid], map);
	free(map);
	return (long)count;
}

static unsigned long count_partial_free(struct kmem_cache_node *n)
{
	unsigned long x = 0;
	struct slab *slab;

	spin_lock(&n->list_lock);
	list_for_each_entry(slab, &n->partial, slab_list)
		x += slab->objects - slab_inuse(slab);
	spin_unlock(&n->list_lock);
	return x;
}

void get_slabinfo(struct kmem_cache *s, struct slabinfo *sinfo)
{
	unsigned long nr_slabs = 0, nr_objs = 0, nr_free = 0, nr_partial = 0;

	for (int nid = 0; nid < s->nr_nodes; nid++) {
		struct kmem_cache_node *n = s->node[nid];

		nr_slabs += (unsigned long)atomic_long_read(&n->nr_slabs);
		nr_objs += (unsigned long)atomic_long_read(&n->total_objects);
		nr_free += count_partial_free(n);
		nr_partial += READ_ONCE(n->nr_partial);
	}
	memset(sinfo, 0, sizeof(*sinfo));
	sinfo->active_objs = nr_objs - nr_free;
	sinfo->num_objs = nr_objs;
	sinfo->active_slabs = nr_slabs;
	sinfo->num_slabs = nr_slabs;
	sinfo->nr_partial = nr_partial;
	sinfo->objects_per_slab = s->oo.objects;
	sinfo->cache_order = s->oo.order;
}

/* ---------------------------------------------------------------------
 * slab_is_valid - the invariant checker (tests; the cache must be quiet)
 */

struct slab_check {
	struct kmem_cache *s;
	unsigned long slabs, objects;
	bool ok;
};

#define SLAB_CHECK(ck, cond, ...)						\
	do {									\
		if (unlikely(!(cond))) {					\
			pr_err("slab_is_valid %s: " __VA_ARGS__);		\
			(ck)->ok = false;					\
		}								\
	} while (0)

/* Mark each object of a freelist in @map; false on a bad or repeated one. */
static bool mark_freelist(struct slab_check *ck, struct slab *slab, void *fp, unsigned long *map,
			  unsigned int *nr)
{
	struct kmem_cache *s = ck->s;

	while (fp) {
		unsigned int idx;

		if (!check_valid_pointer(s, slab, fp)) {
			SLAB_CHECK(ck, 0, "freelist entry 0x%lx not an object\n", s->name,
				   slab_kaddr(fp));
			return false;
		}
		idx = obj_to_index(s, slab, fp);
		if (map[idx / 64] & (1UL << (idx % 64))) {
			SLAB_CHECK(ck, 0, "object 0x%lx on a freelist twice\n", s->name,
				   slab_kaddr(fp));
			return false;
		}
		map[idx / 64] |= 1UL << (idx % 64);
		(*nr)++;
		fp = get_freepointer(s, fp);
	}
	return true;
}

/*
 * check_one_slab - @slab's word, its slab freelist and @cpu_freelist (the
 * owner's private list of its objects: c->freelist or slab->local), and
 * its owner: CPU id + 1 @owner when frozen, else 0 with no local list.
 */
static void check_one_slab(struct slab_check *ck, struct slab *slab, void *cpu_freelist,
			   bool want_frozen, int owner)
{
	struct kmem_cache *s = ck->s;
	unsigned long map[(MAX_OBJS_PER_PAGE + 63) / 64];
	slab_fc_t fc = slab_fc(slab);
	unsigned int nr_free = 0, nr_cpu = 0;
	const char *name = s->name;

	SLAB_CHECK(ck, PageSlab(slab_page(slab)), "slab 0x%lx lost PG_slab\n", name,
		   slab_kaddr(slab));
	SLAB_CHECK(ck, slab->slab_cache == s, "slab 0x%lx of another cache\n", name,
		   slab_kaddr(slab));
	SLAB_CHECK(ck, fc_frozen(fc) == want_frozen, "slab 0x%lx frozen=%d\n", name,
		   slab_kaddr(slab), fc_frozen(fc));
	SLAB_CHECK(ck, fc_objects(fc) == slab->objects, "slab 0x%lx objects %u != %u\n", name,
		   slab_kaddr(slab), fc_objects(fc), slab->objects);
	SLAB_CHECK(ck, slab_owner(slab) == owner, "slab 0x%lx owner %d != %d\n", name,
		   slab_kaddr(slab), slab_owner(slab), owner);
	SLAB_CHECK(ck, want_frozen || !slab->local, "slab 0x%lx unfrozen with a local list\n",
		   name, slab_kaddr(slab));
	memset(map, 0, ((slab->objects + 63) / 64) * sizeof(map[0]));
	if (mark_freelist(ck, slab, fc_freelist(slab, fc), map, &nr_free) &&
	    mark_freelist(ck, slab, cpu_freelist, map, &nr_cpu))
		SLAB_CHECK(ck, fc_inuse(fc) + nr_free == slab->objects,
			   "slab 0x%lx inuse %u + free %u != objects %u\n", name,
			   slab_kaddr(slab), fc_inuse(fc), nr_free, slab->objects);
	ck->slabs++;
	ck->objects += slab->objects;
}

/* Is @x on one of the freelists of @slab (its word's, its owner's)? */
static bool object_on_a_freelist(struct kmem_cache *s, struct slab *slab, void *x)
{
	void *lists[2] = { fc_freelist(slab, slab_fc(slab)), local_head(slab) };
	int owner = slab_owner(slab);

	if (owner && s->cpu_slab[owner - 1].slab == slab)
		lists[1] = s->cpu_slab[owner - 1].freelist;
	for (int l = 0; l < 2; l++) {
		void *p = lists[l];

		for (unsigned int n = 0; p && n <= slab->objects; n++, p = get_freepointer(s, p))
			if (p == x)
				return true;
	}
	return false;
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * check_sheaf - @sheaf's header, and each object: one of @s, of node
 * @nid, in use as its slab sees it; appended to @seen for the duplicate
 * check.  @want: the size it must have (-1: any up to its capacity).
 */
static void check_sheaf(struct slab_check *ck, struct slab_sheaf *sheaf, int nid, int want,
			void **seen, size_t *nr_seen)
{
	struct kmem_cache *s = ck->s;

	SLAB_CHECK(ck, sheaf->cache == s && sheaf->capacity == s->sheaf_capacity,
		   "node %d sheaf of another cache or capacity %u\n", s->name, nid,
		   sheaf->capacity);
	SLAB_CHECK(ck, sheaf->size <= sheaf->capacity, "sheaf size %u > capacity %u\n", s->name,
		   sheaf->size, sheaf->capacity);
	SLAB_CHECK(ck, want < 0 || sheaf->size == (unsigned int)want,
		   "barn sheaf holds %u objects, not %d\n", s->name, sheaf->size, want);
	for (unsigned int i = 0; i < sheaf->size && i < sheaf->capacity; i++) {
		void *x = sheaf->objects[i];
		struct slab *slab = x ? virt_to_slab(x) : NULL;

		if (!slab || slab->slab_cache != s || !check_valid_pointer(s, slab, x)) {
			SLAB_CHECK(ck, 0, "sheaf object 0x%lx not an object of the cache\n",
				   s->name, slab_kaddr(x));
			continue;
		}
		SLAB_CHECK(ck, slab_nid(slab) == nid, "sheaf of node %d holds node %d's 0x%lx\n",
			   s->name, nid, slab_nid(slab), slab_kaddr(x));
		SLAB_CHECK(ck, !object_on_a_freelist(s, slab, x),
			   "sheaf object 0x%lx is on a freelist too\n", s->name, slab_kaddr(x));
		seen[(*nr_seen)++] = x;
	}
}

/* Every CPU's sheaves and every barn; no object in two places. */
static void check_sheaves(struct slab_check *ck, struct mmsim *m)
{
	struct kmem_cache *s = ck->s;
	size_t cap = (size_t)s->sheaf_capacity * (2 * (size_t)m->nr_cpus +
					       (size_t)s->nr_nodes * (MAX_FULL_SHEAVES + MAX_EMPTY_SHEAVES));
	void **seen = malloc((cap ? cap : 1) * sizeof(*seen));
	size_t nr_seen = 0;

	if (!seen)
		return;
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct slub_percpu_sheaves *pcs = &s->cpu_slab[cpu].pcs;
		int nid = m->cpus[cpu].node;

		if (!s->sheaf_capacity) {
			SLAB_CHECK(ck, pcs->main == &bootstrap_sheaf && !pcs->spare &&
					!bootstrap_sheaf.size,
				   "cpu %d has sheaves in a cache without\n", s->name, cpu);
			continue;
		}
		SLAB_CHECK(ck, pcs->main && pcs->main != &bootstrap_sheaf, "cpu %d has no main\n",
			   s->name, cpu);
		if (!pcs->main || pcs->main == &bootstrap_sheaf)
			continue;
		check_sheaf(ck, pcs->main, nid, -1, seen, &nr_seen);
		if (pcs->spare) {
			SLAB_CHECK(ck, !pcs->spare->size || pcs->spare->size == s->sheaf_capacity,
				   "cpu %d spare neither empty nor full\n", s->name, cpu);
			check_sheaf(ck, pcs->spare, nid, -1, seen, &nr_seen);
		}
	}
	for (int nid = 0; nid < s->nr_nodes && s->sheaf_capacity; nid++) {
		struct node_barn *barn = &s->node[nid]->barn;
		struct slab_sheaf *sheaf;
		unsigned int full = 0, empty = 0;

		spin_lock(&barn->lock);
		list_for_each_entry(sheaf, &barn->sheaves_full, barn_list) {
			if (++full <= MAX_FULL_SHEAVES)
				check_sheaf(ck, sheaf, nid, (int)s->sheaf_capacity, seen, &nr_seen);
		}
		list_for_each_entry(sheaf, &barn->sheaves_empty, barn_list) {
			if (++empty <= MAX_EMPTY_SHEAVES)
				check_sheaf(ck, sheaf, nid, 0, seen, &nr_seen);
		}
		SLAB_CHECK(ck, full == barn->nr_full && full <= MAX_FULL_SHEAVES,
			   "node %d barn: %u full sheaves, nr_full %u\n", s->name, nid, full,
			   barn->nr_full);
		SLAB_CHECK(ck, empty == barn->nr_empty && empty <= MAX_EMPTY_SHEAVES,
			   "node %d barn: %u empty sheaves, nr_empty %u\n", s->name, nid, empty,
			   barn->nr_empty);
		spin_unlock(&barn->lock);
	}
	qsort(seen, nr_seen, sizeof(*seen), cmp_ptr);
	for (size_t i = 1; i < nr_seen; i++)
		SLAB_CHECK(ck, seen[i] != seen[i - 1], "object 0x%lx in sheaves twice\n", s->name,
			   slab_kaddr(seen[i]));
	free(seen);
}

bool slab_is_valid(struct kmem_cache *s)
{
	struct slab_check ck = { .s = s, .ok = true };
	struct mmsim *m = current_machine();
	unsigned long total_slabs = 0, total_objects = 0;
	unsigned int nr, nr_local;
	bool cpu_slab_owned = false;
	struct slab *slab;

	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		struct kmem_cache_cpu *c = &s->cpu_slab[cpu];

		nr = 0;
		nr_local = 0;
		list_for_each_entry(slab, &c->owned, slab_list) {
			SLAB_CHECK(&ck, !slab->node_partial, "cpu %d owned slab on a node list\n",
				   s->name, cpu);
			if (slab == c->slab) {
				SLAB_CHECK(&ck, !slab->local, "cpu %d slab with a local list\n",
					   s->name, cpu);
				check_one_slab(&ck, slab, c->freelist, true, cpu + 1);
				cpu_slab_owned = true;
			} else {
				check_one_slab(&ck, slab, local_head(slab), true, cpu + 1);
				nr_local += slab->local != 0;
			}
			nr++;
		}
		SLAB_CHECK(&ck, nr == c->nr_owned, "cpu %d nr_owned %u != %u listed\n", s->name,
			   cpu, c->nr_owned, nr);
		SLAB_CHECK(&ck, !c->slab || cpu_slab_owned, "cpu %d slab not on its owned list\n",
			   s->name, cpu);
		SLAB_CHECK(&ck, c->slab || !c->freelist, "cpu %d has a freelist but no slab\n",
			   s->name, cpu);
		/* The partial stack: exactly the owned slabs with local objects. */
		nr = 0;
		for (slab = c->partial; slab && nr <= c->nr_owned; slab = next_partial(slab)) {
			SLAB_CHECK(&ck, slab->local && slab != c->slab &&
					slab_owner(slab) == cpu + 1,
				   "cpu %d partial stack slab 0x%lx not a partial slab of ours\n",
				   s->name, cpu, slab_kaddr(slab));
			nr++;
		}
		SLAB_CHECK(&ck, c->nr_partial <= s->cpu_partial_slabs,
			   "cpu %d partial stack %u > cpu_partial_slabs %u\n", s->name, cpu,
			   c->nr_partial, s->cpu_partial_slabs);
		SLAB_CHECK(&ck, nr == c->nr_partial && nr == nr_local,
			   "cpu %d partial stack %u, nr_partial %u, with local objects %u\n", s->name,
			   cpu, nr, c->nr_partial, nr_local);
		cpu_slab_owned = false;
	}
	for (int nid = 0; nid < s->nr_nodes; nid++) {
		struct kmem_cache_node *n = s->node[nid];
		unsigned long nr = 0;

		spin_lock(&n->list_lock);
		list_for_each_entry(slab, &n->partial, slab_list) {
			SLAB_CHECK(&ck, slab->node_partial, "partial slab without node_partial\n",
				   s->name);
			SLAB_CHECK(&ck, slab_nid(slab) == nid, "slab of node %d on node %d\n",
				   s->name, slab_nid(slab), nid);
			check_one_slab(&ck, slab, NULL, false, 0);
			nr++;
		}
		SLAB_CHECK(&ck, nr == n->nr_partial, "node %d nr_partial %lu != %lu listed\n",
			   s->name, nid, n->nr_partial, nr);
		list_for_each_entry(slab, &n->full, slab_list) {
			SLAB_CHECK(&ck, !fc_off(slab_fc(slab)), "full slab with free objects\n",
				   s->name);
			check_one_slab(&ck, slab, NULL, false, 0);
		}
		spin_unlock(&n->list_lock);
		total_slabs += (unsigned long)atomic_long_read(&n->nr_slabs);
		total_objects += (unsigned long)atomic_long_read(&n->total_objects);
	}
	check_sheaves(&ck, m);
	/* Full non-debug slabs are on no list: the listed ones are a subset. */
	SLAB_CHECK(&ck, ck.slabs <= total_slabs && ck.objects <= total_objects,
		   "listed %lu slabs/%lu objects > counted %lu/%lu\n", s->name, ck.slabs,
		   ck.objects, total_slabs, total_objects);
	if (kmem_cache_debug(s))
		SLAB_CHECK(&ck, ck.slabs == total_slabs, "debug cache: %lu slabs listed of %lu\n",
			   s->name, ck.slabs, total_slabs);
	return ck.ok;
}
