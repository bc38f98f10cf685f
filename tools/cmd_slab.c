// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cmd_slab.c - scenario commands of the slab allocator, and their
 * command table (scn_slab_commands[], registered in tools/scenario.c).
 *
 *   cache NAME size=N [align=N] [flags=FLAGS] [ctor]
 *	kmem_cache_create(NAME, N, align, FLAGS, ctor?); kept as the object
 *	NAME (kind "a cache").  Prints the cache's geometry from
 *	/sys/kernel/slab/NAME/, and the cache it merged into when the kernel
 *	merged it with a compatible one.  `ctor` gives it a constructor that
 *	only counts its calls (cache_alloc prints how many ran).
 *   cache_alloc NAME CACHE [count=K] [gfp=FLAGS]
 *	K calls of kmem_cache_alloc(CACHE, FLAGS); kind "slab objects".
 *	CACHE is a cache of the scenario or any cache the kernel has
 *	(kmalloc-64, an alias).
 *   cache_free NAME
 *	kmem_cache_free() of every object of NAME.
 *   kmalloc NAME size=N [count=K] [gfp=FLAGS]
 *	K calls of kmalloc(N, FLAGS); kind "kmalloc memory".  Prints which
 *	kmalloc cache served them (or the pages of a large kmalloc).
 *   kfree NAME
 *	kfree() of every object of NAME (kmalloc or slab objects).
 *   shrink CACHE
 *	kmem_cache_shrink(CACHE): the CPUs' sheaves and slabs and the barns
 *	are flushed, and the cache's empty slabs go back.
 *   sheaves CACHE
 *	Each CPU's main and spare sheaf and each node's barn: how many free
 *	objects wait there, above the slabs.
 *   destroy CACHE
 *	kmem_cache_destroy() of a cache the scenario created.  A cache with
 *	objects left is the kernel's business: Linux's report goes to the
 *	kernel log and the run goes on (the cache stays, as in Linux).  The
 *	name is the scenario's no more: a merged cache only loses a
 *	reference and keeps answering to the name in the kernel, but no
 *	command takes it as a cache (s->gone_caches) until `cache` gives it
 *	again.
 *   poke NAME OFFSET BYTE
 *	A test and teaching aid: store BYTE at OFFSET (may be negative)
 *	from NAME's first object, so a scenario can overflow an object into
 *	its red zone and watch slub_debug report it.  The write stays inside
 *	the object's slab (or large kmalloc pages).
 *   slabcheck
 *	slab_is_valid() on every cache; like `check`, a failure prints the
 *	new kernel log lines and stops the scenario.
 *
 * As with the page allocator, what the kernel answers is not a scenario
 * error: an allocation that fails prints "NAME: failed" (the kernel log
 * has Linux's report).  What is printed is a place in simulated memory
 * (pfn, object index in its slab) and the /sys geometry of the cache:
 * deterministic, never a host address.
 *
 * The objects: a cache holds its struct kmem_cache * in ptrs[0]; slab
 * objects and kmalloc memory hold the object addresses in ptrs[0..nr).
 * The cache of an object is its slab's (virt_to_slab), as kfree() finds
 * it, so objects stay freeable after their cache's name is gone (a
 * destroy that the kernel refused).  mm/slab.h is included for that, for
 * an object's index in its slab, and for slab_is_valid().
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "tools/scenario.h"
#include "mm/slab.h"

#define SCN_MAX_COUNT	(1 << 20)	/* objects in one allocation command */

static const char KIND_CACHE[] = "a cache";
static const char KIND_OBJECT[] = "slab objects";
static const char KIND_KMALLOC[] = "kmalloc memory";

/* ---------------------------------------------------------------------
 * Helpers
 */

static const struct scn_flag_name slab_flag_table[] = {
	{ "SLAB_CONSISTENCY_CHECKS", SLAB_CONSISTENCY_CHECKS },
	{ "SLAB_RED_ZONE", SLAB_RED_ZONE },
	{ "SLAB_POISON", SLAB_POISON },
	{ "SLAB_HWCACHE_ALIGN", SLAB_HWCACHE_ALIGN },
	{ "SLAB_CACHE_DMA", SLAB_CACHE_DMA },
	{ "SLAB_CACHE_DMA32", SLAB_CACHE_DMA32 },
	{ "SLAB_STORE_USER", SLAB_STORE_USER },
	{ "SLAB_RECLAIM_ACCOUNT", SLAB_RECLAIM_ACCOUNT },
	{ "SLAB_PANIC", SLAB_PANIC },
	{ "SLAB_TYPESAFE_BY_RCU", SLAB_TYPESAFE_BY_RCU },
	{ "SLAB_TRACE", SLAB_TRACE },
	{ "SLAB_NOLEAKTRACE", SLAB_NOLEAKTRACE },
	{ "SLAB_NO_MERGE", SLAB_NO_MERGE },
	{ "SLAB_FAILSLAB", SLAB_FAILSLAB },
	{ "SLAB_ACCOUNT", SLAB_ACCOUNT },
};

/* SLAB_* names joined by '|', or a number (as gfp_parse); -1 after scn_fail(). */
static int slab_flags_parse(struct scn *s, const char *text, slab_flags_t *flags)
{
	unsigned long v;
	char bad[64];

	if (scn_parse_flags(slab_flag_table, ARRAY_SIZE(slab_flag_table), text, 0xffffffffUL, &v,
			    bad, sizeof(bad)))
		return scn_fail(s, "unknown slab flag '%s'", bad);
	*flags = (slab_flags_t)v;
	return 0;
}

/* Did the scenario destroy the cache @name (s->gone_caches)?  Its index, or -1. */
static long gone_cache(struct scn *s, const char *name)
{
	for (size_t i = 0; i < s->nr_gone_caches; i++)
		if (!strcmp(s->gone_caches[i], name))
			return (long)i;
	return -1;
}

/* The cache called @name: the scenario's, or any the kernel has. */
static struct kmem_cache *scn_cache(struct scn *s, const char *name)
{
	struct scn_obj *obj = scn_obj_find(s, name);
	struct kmem_cache *kc;

	if (obj) {
		if (strcmp(obj->kind, KIND_CACHE)) {
			scn_fail(s, "'%s' is %s, not a cache", name, obj->kind);
			return NULL;
		}
		return obj->ptrs[0];
	}
	/*
	 * A merged cache keeps the names of its creators after one of them
	 * destroys it (Linux leaves the sysfs link), but the scenario's
	 * reference is gone: using it would be a use after kmem_cache_destroy().
	 */
	if (gone_cache(s, name) >= 0) {
		scn_fail(s, "no cache named '%s' (the scenario destroyed it)", name);
		return NULL;
	}
	kc = find_kmem_cache(name);
	if (!kc)
		scn_fail(s, "no cache named '%s'", name);
	return kc;
}

/* An object of the scenario that holds slab memory (not a cache, not pages). */
static struct scn_obj *scn_slab_obj(struct scn *s, const char *name, bool kmalloc_too)
{
	struct scn_obj *obj = scn_obj_find(s, name);

	if (!obj) {
		scn_fail(s, "no allocation named '%s'", name);
		return NULL;
	}
	if (!strcmp(obj->kind, KIND_OBJECT) || (kmalloc_too && !strcmp(obj->kind, KIND_KMALLOC)))
		return obj;
	if (!strcmp(obj->kind, KIND_KMALLOC))
		scn_fail(s, "'%s' is kmalloc memory (use kfree)", name);
	else
		scn_fail(s, "'%s' is %s, not %s", name, obj->kind,
			 kmalloc_too ? "kmalloc memory or a slab object" : "a slab object");
	return NULL;
}

/* An unsigned number from /sys/kernel/slab/@cache/@attr (0 if unreadable). */
static unsigned long slab_attr(struct scn *s, const char *cache, const char *attr)
{
	char path[128], *text;
	unsigned long v;

	snprintf(path, sizeof(path), "/sys/kernel/slab/%s/%s", cache, attr);
	text = mmsim_read(s->m, path);
	v = text ? strtoul(text, NULL, 10) : 0;
	free(text);
	return v;
}

static int cmp_ulong(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/* The slab (NULL for large kmalloc pages) and index of the object @x. */
static struct slab *obj_slab(const void *x, unsigned long *index)
{
	struct slab *slab = virt_to_slab(x);

	if (slab && index)
		*index = (unsigned long)((const char *)x - (const char *)slab_address(slab)) /
			 slab->slab_cache->size;
	return slab;
}

/* ", in 5 slabs": how many slabs the objects of @obj lie in. */
static void print_slabs(struct scn *s, struct scn_obj *obj)
{
	unsigned long *pfns = malloc((size_t)obj->nr * sizeof(*pfns));
	int nr_slabs = 0;

	if (!pfns)
		return;
	for (int i = 0; i < obj->nr; i++)
		pfns[i] = page_to_pfn(compound_head(virt_to_page(obj->ptrs[i])));
	qsort(pfns, (size_t)obj->nr, sizeof(*pfns), cmp_ulong);
	for (int i = 0; i < obj->nr; i++)
		nr_slabs += !i || pfns[i] != pfns[i - 1];
	fprintf(s->out, ", in %d slab%s", nr_slabs, nr_slabs == 1 ? "" : "s");
	free(pfns);
}

/* "slab at pfn 0x1a40, object 3" for one object. */
static void print_place(struct scn *s, const void *x)
{
	unsigned long index = 0;
	struct slab *slab = obj_slab(x, &index);

	fprintf(s->out, "slab at pfn %#lx, object %lu", page_to_pfn(slab_page(slab)), index);
}

/*
 * The constructor of `cache ... ctor`.  It only counts: a scenario sees
 * that constructors run when a slab is made, once per object, not on
 * every allocation.  Scenarios run on one host thread.
 */
static unsigned long scn_ctor_calls;

static void scn_ctor(void *object)
{
	scn_ctor_calls++;
}

/* The allocation commands' common arguments: count= and gfp=. */
static int count_gfp_args(struct scn *s, const char *count_val, const char *gfp_val,
			  unsigned long *count, gfp_t *gfp)
{
	char bad[64];

	*count = 1;
	*gfp = GFP_KERNEL;
	if (count_val && scn_ulong(s, "count", count_val, 1, SCN_MAX_COUNT, count))
		return -1;
	if (gfp_val && gfp_parse(gfp_val, gfp, bad, sizeof(bad)))
		return scn_fail(s, "unknown gfp flag '%s'", bad);
	return 0;
}

/* ---------------------------------------------------------------------
 * Commands
 */

static int cmd_cache(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "size", "align", "flags", NULL };
	const char *vals[ARRAY_SIZE(keys)];
	char *kv[SCN_MAX_WORDS + 1];
	unsigned long size, align = 0;
	slab_flags_t flags = 0;
	struct kmem_cache *kc;
	struct scn_obj *obj;
	bool ctor = false;
	int nkv = 0;
	long gone;
	const char *name;

	/* The bare word `ctor` may stand anywhere among the KEY=VALUE words. */
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "ctor")) {
			if (ctor)
				return scn_fail(s, "ctor given twice");
			ctor = true;
		} else {
			kv[nkv++] = argv[i];
		}
	}
	if (scn_kv_args(s, nkv, kv, 0, keys, vals))
		return -1;
	if (!vals[0])
		return scn_fail(s, "size= is missing");
	if (scn_size(s, "size", vals[0], 1, KMALLOC_MAX_SIZE, &size))
		return -1;
	if (vals[1] && scn_size(s, "align", vals[1], 0, PAGE_SIZE, &align))
		return -1;
	if (align & (align - 1))
		return scn_fail(s, "align=%lu is not a power of two", align);
	if (vals[2] && slab_flags_parse(s, vals[2], &flags))
		return -1;

	obj = scn_obj_new(s, argv[1], KIND_CACHE, 1);
	if (!obj)
		return -1;
	/*
	 * A name the scenario destroyed may be left on a merged cache; it is
	 * free again unless it is that cache's own name (destroyed by its
	 * first creator while an alias holds the cache).
	 */
	kc = find_kmem_cache(argv[1]);
	gone = gone_cache(s, argv[1]);
	if (kc && gone >= 0 && !strcmp(kmem_cache_name(kc), argv[1])) {
		scn_obj_del(s, obj);
		return scn_fail(s, "the kernel still has the cache '%s' (merged, held under "
				   "another name)", argv[1]);
	}
	if (kc && gone < 0) {
		scn_obj_del(s, obj);
		return scn_fail(s, "the kernel already has a cache named '%s'", argv[1]);
	}
	kc = kmem_cache_create(argv[1], (unsigned int)size, (unsigned int)align, flags,
			       ctor ? scn_ctor : NULL);
	fprintf(s->out, "cache %s: ", argv[1]);
	if (!kc) {
		fprintf(s->out, "failed\n");
		scn_obj_del(s, obj);
		return 0;
	}
	if (gone >= 0)
		memcpy(s->gone_caches[gone], s->gone_caches[--s->nr_gone_caches], SCN_NAME_MAX);
	obj->ptrs[0] = kc;
	obj->nr = 1;
	name = kmem_cache_name(kc);
	if (strcmp(name, argv[1]))
		fprintf(s->out, "merged into %s; ", name);
	fprintf(s->out, "object_size %lu, slab_size %lu, objs_per_slab %lu, order %lu\n",
		slab_attr(s, name, "object_size"), slab_attr(s, name, "slab_size"),
		slab_attr(s, name, "objs_per_slab"), slab_attr(s, name, "order"));
	return 0;
}

static int cmd_cache_alloc(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "count", "gfp", NULL };
	const char *vals[ARRAY_SIZE(keys)];
	unsigned long count, ctor_before = scn_ctor_calls;
	struct kmem_cache *kc;
	struct scn_obj *obj;
	gfp_t gfp;
	int nr;

	if (scn_kv_args(s, argc, argv, 3, keys, vals) ||
	    count_gfp_args(s, vals[0], vals[1], &count, &gfp))
		return -1;
	kc = scn_cache(s, argv[2]);
	if (!kc)
		return -1;
	obj = scn_obj_new(s, argv[1], KIND_OBJECT, (int)count);
	if (!obj)
		return -1;
	obj->gfp = gfp;
	for (nr = 0; nr < (int)count; nr++) {
		void *x = kmem_cache_alloc(kc, gfp);

		if (!x)
			break;
		obj->ptrs[nr] = x;
	}
	obj->nr = nr;

	fprintf(s->out, "cache_alloc %s: ", obj->name);
	if (!nr) {
		fprintf(s->out, "failed\n");
		scn_obj_del(s, obj);
		return 0;
	}
	if (count == 1) {
		fprintf(s->out, "%s, ", kmem_cache_name(kc));
		print_place(s, obj->ptrs[0]);
	} else {
		if ((unsigned long)nr < count)
			fprintf(s->out, "%d of %lu x %s", nr, count, kmem_cache_name(kc));
		else
			fprintf(s->out, "%d x %s", nr, kmem_cache_name(kc));
		print_slabs(s, obj);
	}
	if (scn_ctor_calls != ctor_before)
		fprintf(s->out, "; constructor ran %lu times", scn_ctor_calls - ctor_before);
	fprintf(s->out, "%s\n", (unsigned long)nr < count ? "; then failed" : "");
	return 0;
}

static int cmd_cache_free(struct scn *s, int argc, char **argv)
{
	struct scn_obj *obj = scn_slab_obj(s, argv[1], false);

	if (!obj)
		return -1;
	for (int i = 0; i < obj->nr; i++)
		kmem_cache_free(virt_to_slab(obj->ptrs[i])->slab_cache, obj->ptrs[i]);
	scn_obj_del(s, obj);
	return 0;
}

static int cmd_kmalloc(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "size", "count", "gfp", NULL };
	const char *vals[ARRAY_SIZE(keys)];
	unsigned long size, count;
	struct scn_obj *obj;
	struct slab *slab;
	gfp_t gfp;
	int nr;

	if (scn_kv_args(s, argc, argv, 2, keys, vals))
		return -1;
	if (!vals[0])
		return scn_fail(s, "size= is missing");
	if (scn_size(s, "size", vals[0], 0, ~0UL, &size))
		return -1;
	if (size > KMALLOC_MAX_SIZE)
		return scn_fail(s, "size=%s is above KMALLOC_MAX_SIZE (%lu)", vals[0],
				(unsigned long)KMALLOC_MAX_SIZE);
	if (count_gfp_args(s, vals[1], vals[2], &count, &gfp))
		return -1;

	obj = scn_obj_new(s, argv[1], KIND_KMALLOC, (int)count);
	if (!obj)
		return -1;
	obj->gfp = gfp;
	for (nr = 0; nr < (int)count; nr++) {
		void *x = kmalloc(size, gfp);

		if (!x)
			break;
		obj->ptrs[nr] = x;
	}
	obj->nr = nr;

	fprintf(s->out, "kmalloc %s: ", obj->name);
	if (!nr) {
		fprintf(s->out, "failed\n");
		scn_obj_del(s, obj);
		return 0;
	}
	if (count > 1)
		fprintf(s->out, (unsigned long)nr < count ? "%d of %lu x " : "%d x ", nr, count);
	if (obj->ptrs[0] == ZERO_SIZE_PTR) {
		fprintf(s->out, "0 bytes: ZERO_SIZE_PTR, no memory\n");
		return 0;
	}
	fprintf(s->out, "%lu byte%s", size, size == 1 ? "" : "s");
	slab = obj_slab(obj->ptrs[0], NULL);
	if (!slab) {
		struct page *head = compound_head(virt_to_page(obj->ptrs[0]));

		/* Larger than the largest kmalloc cache: pages, not a slab. */
		if (count == 1)
			fprintf(s->out, ": order %u pages at pfn %#lx, not a slab",
				compound_order(head), page_to_pfn(head));
		else
			fprintf(s->out, ": order %u pages each, not slabs", compound_order(head));
	} else {
		fprintf(s->out, " from %s", kmem_cache_name(slab->slab_cache));
		if (count == 1) {
			fprintf(s->out, ", ");
			print_place(s, obj->ptrs[0]);
		} else {
			print_slabs(s, obj);
		}
	}
	fprintf(s->out, "%s\n", (unsigned long)nr < count ? "; then failed" : "");
	return 0;
}

static int cmd_kfree(struct scn *s, int argc, char **argv)
{
	struct scn_obj *obj = scn_slab_obj(s, argv[1], true);

	if (!obj)
		return -1;
	for (int i = 0; i < obj->nr; i++)
		kfree(obj->ptrs[i]);
	scn_obj_del(s, obj);
	return 0;
}

static int cmd_shrink(struct scn *s, int argc, char **argv)
{
	struct kmem_cache *kc = scn_cache(s, argv[1]);

	if (!kc)
		return -1;
	kmem_cache_shrink(kc);
	return 0;
}

static int cmd_destroy(struct scn *s, int argc, char **argv)
{
	struct scn_obj *obj = scn_obj_find(s, argv[1]);
	char (*gone)[SCN_NAME_MAX];

	if (!obj) {
		if (gone_cache(s, argv[1]) >= 0)
			return scn_fail(s, "no cache named '%s' (the scenario destroyed it)",
					argv[1]);
		if (find_kmem_cache(argv[1]))
			return scn_fail(s, "'%s' is not a cache this scenario created", argv[1]);
		return scn_fail(s, "no cache named '%s'", argv[1]);
	}
	if (strcmp(obj->kind, KIND_CACHE))
		return scn_fail(s, "'%s' is %s, not a cache", argv[1], obj->kind);
	gone = realloc(s->gone_caches, (s->nr_gone_caches + 1) * sizeof(*gone));
	if (!gone)
		return scn_fail(s, "out of host memory");
	s->gone_caches = gone;
	/* With objects left, Linux's report goes to the kernel log. */
	kmem_cache_destroy(obj->ptrs[0]);
	/* A merged cache loses one reference and keeps the name (see scn_cache). */
	if (find_kmem_cache(argv[1]))
		strcpy(s->gone_caches[s->nr_gone_caches++], argv[1]);
	scn_obj_del(s, obj);
	return 0;
}

static int cmd_poke(struct scn *s, int argc, char **argv)
{
	struct scn_obj *obj = scn_slab_obj(s, argv[1], true);
	const char *text = argv[2];
	unsigned long off, byte;
	struct page *head;
	char *x, *start, *end;
	bool neg;

	if (!obj)
		return -1;
	neg = text[0] == '-';
	if (scn_ulong(s, "offset", text + neg, 0, ~0UL >> 1, &off))
		return scn_fail(s, "'%s' is not an offset", text);
	if (scn_ulong(s, "byte", argv[3], 0, 0xff, &byte))
		return scn_fail(s, "'%s' is not a byte (0..255)", argv[3]);
	x = obj->ptrs[0];
	if (x == ZERO_SIZE_PTR)
		return scn_fail(s, "'%s' is ZERO_SIZE_PTR: no memory to write", argv[1]);
	head = compound_head(virt_to_page(x));
	start = page_address(head);
	end = start + (PAGE_SIZE << compound_order(head));
	if (neg ? off > (unsigned long)(x - start) : off >= (unsigned long)(end - x))
		return scn_fail(s, "offset %s is outside the %s of '%s' ([%ld, %ld))", text,
				virt_to_slab(x) ? "slab" : "pages", argv[1], (long)(start - x),
				(long)(end - x));
	x[neg ? -(long)off : (long)off] = (char)byte;
	return 0;
}

/*
 * sheaves CACHE: where the cache's free objects wait above its slabs -
 * each CPU's main and spare sheaf, and each node's barn.
 */
static int cmd_sheaves(struct scn *s, int argc, char **argv)
{
	struct kmem_cache *kc = scn_cache(s, argv[1]);
	struct slab_globals *sg = slab_globals();

	if (!kc)
		return -1;
	if (!kc->sheaf_capacity) {
		fprintf(s->out, "sheaves %s: none (a debug cache: every object goes to its slab)\n",
			kmem_cache_name(kc));
		return 0;
	}
	fprintf(s->out, "sheaves %s: capacity %u\n", kmem_cache_name(kc), kc->sheaf_capacity);
	for (int cpu = 0; cpu < sg->nr_cpus; cpu++) {
		struct slub_percpu_sheaves *pcs = &kc->cpu_slab[cpu].pcs;

		fprintf(s->out, "  cpu %d: main %u", cpu, pcs->main->size);
		if (pcs->spare)
			fprintf(s->out, ", spare %u\n", pcs->spare->size);
		else
			fprintf(s->out, ", no spare\n");
	}
	for (int nid = 0; nid < kc->nr_nodes; nid++) {
		struct node_barn *barn = &kc->node[nid]->barn;

		spin_lock(&barn->lock);
		fprintf(s->out, "  node %d barn: %u full, %u empty\n", nid, barn->nr_full,
			barn->nr_empty);
		spin_unlock(&barn->lock);
	}
	return 0;
}

static int cmd_slabcheck(struct scn *s, int argc, char **argv)
{
	struct slab_globals *sg = slab_globals();
	struct kmem_cache *kc;
	bool ok = true;

	pthread_mutex_lock(&sg->slab_mutex);
	list_for_each_entry(kc, &sg->slab_caches, list)
		ok &= slab_is_valid(kc);
	pthread_mutex_unlock(&sg->slab_mutex);
	if (ok) {
		fprintf(s->out, "slabcheck: ok\n");
		return 0;
	}
	/* slab_is_valid() printed what is wrong to the kernel log: show it. */
	scn_dmesg(s, NULL);
	return scn_fail(s, "slab_is_valid() failed (the kernel log above says why)");
}

/* ---------------------------------------------------------------------
 * The slab layer's command table (docs/cli.md documents each row).
 */

const struct scn_command scn_slab_commands[] = {
	{ "cache", cmd_cache, true, 3, -1, "cache NAME size=N [align=N] [flags=FLAGS] [ctor]",
	  "create a slab cache called NAME (kmem_cache_create)" },
	{ "cache_alloc", cmd_cache_alloc, true, 3, -1,
	  "cache_alloc NAME CACHE [count=K] [gfp=FLAGS]",
	  "allocate K objects from CACHE, called NAME" },
	{ "cache_free", cmd_cache_free, true, 2, 2, "cache_free NAME",
	  "free NAME's objects (kmem_cache_free)" },
	{ "kmalloc", cmd_kmalloc, true, 3, -1, "kmalloc NAME size=N [count=K] [gfp=FLAGS]",
	  "allocate K objects of N bytes with kmalloc, called NAME" },
	{ "kfree", cmd_kfree, true, 2, 2, "kfree NAME", "free NAME with kfree" },
	{ "shrink", cmd_shrink, true, 2, 2, "shrink CACHE",
	  "give CACHE's empty slabs back (kmem_cache_shrink)" },
	{ "destroy", cmd_destroy, true, 2, 2, "destroy CACHE",
	  "destroy a cache (kmem_cache_destroy)" },
	{ "poke", cmd_poke, true, 4, 4, "poke NAME OFFSET BYTE",
	  "test aid: write BYTE at OFFSET of NAME's first object" },
	{ "sheaves", cmd_sheaves, true, 2, 2, "sheaves CACHE",
	  "show CACHE's per-CPU sheaves and barns: where its free objects wait" },
	{ "slabcheck", cmd_slabcheck, true, 1, 1, "slabcheck",
	  "check every slab cache's invariants" },
	{ .name = NULL }
};
