// SPDX-License-Identifier: GPL-2.0
/*
 * mm/slab_common.c - what every slab allocator shares: the cache list,
 * kmem_cache_create/destroy with merging, the kmalloc caches and the
 * kmalloc family, the boot parameters (slub_debug=, slub_min_order=,
 * slub_max_order=, slub_min_objects=, slab_nomerge) and the text of
 * /proc/slabinfo and /sys/kernel/slab/<cache>/.
 *
 * State: one struct slab_globals per machine, the state of subsystem
 * "slab" (subsys_state(m, slab), and cpu_state->slab on every CPU), host
 * memory.
 * Caches are on slab_caches newest first, as Linux lists them, so
 * /proc/slabinfo shows the kmalloc caches last.
 *
 * Merging (find_mergeable, as Linux): a new cache without a constructor
 * and without debug or SLAB_NO_MERGE flags reuses an existing cache whose
 * object stride fits the new size with less than a pointer to spare, with
 * the same SLAB_MERGE_SAME flags and a compatible alignment.  The creator
 * gets the existing cache; its refcount counts the creators, and
 * /sys/kernel/slab/<cache>/aliases shows refcount - 1.
 *
 * Locking: slab_mutex (a host mutex: creation may sleep in the host
 * allocator) protects slab_caches, the alias list, refcounts and merging.
 * It is taken before any node list_lock (see mm/slub.c).
 *
 * Boot parameters are this file's subsystem "slab" (init/init.h): kept as
 * written until kmem_cache_init(), which parses them and fails the boot
 * with one line naming a bad one.
 *
 * Invariants (checked by slab_is_valid() and tests/test_slab.c):
 *   - every cache is on slab_caches exactly once, and refcount >= 1 while
 *     it is there; refcount - 1 <= the aliases that name it (a creator's
 *     kmem_cache_destroy() drops a reference, and its alias stays, as
 *     Linux's sysfs link does, until the name is given again or the cache
 *     goes);
 *   - an alias names a cache on slab_caches, and no two aliases share a
 *     name;
 *   - kmalloc_caches[type][i] is NULL or a cache of object size
 *     kmalloc_size(i) with the type's flags, and size_index[] maps every
 *     size up to 192 to the smallest kmalloc cache that holds it.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fnmatch.h>
#include <mmsim/kmsan.h>
#include <mmsim/vmalloc.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include "mm/slab.h"
#include "lib/cmdline.h"

#define _RET_IP_ ((unsigned long)__builtin_return_address(0))

#define DEBUG_DEFAULT_FLAGS (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | \
			     SLAB_STORE_USER)
#define CACHE_CREATE_MASK (SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON | \
			   SLAB_HWCACHE_ALIGN | SLAB_CACHE_DMA | SLAB_CACHE_DMA32 | \
			   SLAB_STORE_USER | SLAB_RECLAIM_ACCOUNT | SLAB_PANIC | \
			   SLAB_TYPESAFE_BY_RCU | SLAB_TRACE | SLAB_NOLEAKTRACE | \
			   SLAB_NO_MERGE | SLAB_FAILSLAB | SLAB_ACCOUNT | SLAB_NO_USER_FLAGS | \
			   SLAB_KMALLOC | SLAB_NO_SHEAVES)

/* A name another creator gave a merged cache (a sysfs alias). */
struct slab_alias {
	struct list_head list;
	char *name;
	struct kmem_cache *s;
};

static inline struct list_head *alias_list(struct slab_globals *sg)
{
	return &sg->aliases;
}

/* Linux's size_index[]: kmalloc index of sizes 1..192 in steps of 8. */
static const unsigned char size_index_init[24] = {
	3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2,
};

/* ---------------------------------------------------------------------
 * slub_debug=
 */

static int parse_debug_letters(const char *str, size_t len, slab_flags_t *flags, char *err,
			       size_t errlen)
{
	*flags = 0;
	if (!len) {
		*flags = DEBUG_DEFAULT_FLAGS;
		return 0;
	}
	for (size_t i = 0; i < len; i++) {
		switch (str[i] | 0x20) {
		case '-':
			*flags = 0;
			break;
		case 'f':
			*flags |= SLAB_CONSISTENCY_CHECKS;
			break;
		case 'z':
			*flags |= SLAB_RED_ZONE;
			break;
		case 'p':
			*flags |= SLAB_POISON;
			break;
		case 'u':
			*flags |= SLAB_STORE_USER;
			break;
		case 't':
			*flags |= SLAB_TRACE;
			break;
		case 'a':
			*flags |= SLAB_FAILSLAB;
			break;
		case 'o':
			break;	/* skip caches whose order debug would raise: not modelled */
		default:
			snprintf(err, errlen, "'slub_debug=%s': unknown option '%c' (F, Z, P, U, T, A, O, -)",
				 str, str[i]);
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * slub_debug_parse - check the slub_debug= value and set the global flags.
 * Blocks separated by ';', each "<letters>[,<cache>,<cache>...]"; a block
 * without caches applies to every cache; a cache name may end with '*'.
 */
int slub_debug_parse(struct slab_globals *sg, const char *str, char *err, size_t errlen)
{
	const char *p = str;

	sg->slub_debug = 0;
	free(sg->slub_debug_string);
	sg->slub_debug_string = strdup(str);
	if (!sg->slub_debug_string)
		return -ENOMEM;
	if (!*str) {
		sg->slub_debug = DEBUG_DEFAULT_FLAGS;
		return 0;
	}
	while (*p) {
		size_t blen = strcspn(p, ";");
		size_t flen = strcspn(p, ",;");
		slab_flags_t flags;

		if (parse_debug_letters(p, flen, &flags, err, errlen))
			return -EINVAL;
		if (flen == blen)
			sg->slub_debug = flags;
		p += blen;
		if (*p == ';')
			p++;
	}
	return 0;
}

static bool cache_name_matches(const char *pat, size_t len, const char *name)
{
	char buf[128];

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, pat, len);
	buf[len] = '\0';
	return !fnmatch(buf, name, 0);
}

/* kmem_cache_flags - @flags plus what slub_debug= asks for cache @name. */
slab_flags_t kmem_cache_flags(struct slab_globals *sg, slab_flags_t flags, const char *name)
{
	const char *p = sg->slub_debug_string;

	if (!p)
		return flags;
	while (p && *p) {
		size_t blen = strcspn(p, ";");
		size_t flen = strcspn(p, ",;");
		const char *q = p + flen;
		slab_flags_t bflags;
		char dummy[8];

		if (flen < blen && !parse_debug_letters(p, flen, &bflags, dummy, sizeof(dummy))) {
			while (q < p + blen) {
				size_t nlen;

				q++;
				nlen = strcspn(q, ",;");
				if (cache_name_matches(q, nlen, name))
					return flags | bflags;
				q += nlen;
			}
		}
		p += blen;
		if (*p == ';')
			p++;
	}
	return flags | sg->slub_debug;
}

/* ---------------------------------------------------------------------
 * Creating and destroying caches
 */

unsigned int calculate_alignment(slab_flags_t flags, unsigned int align, unsigned int size)
{
	if (flags & SLAB_HWCACHE_ALIGN) {
		unsigned int ralign = 64;	/* cache_line_size() */

		while (size <= ralign / 2)
			ralign /= 2;
		align = max(align, ralign);
	}
	align = max(align, (unsigned int)ARCH_KMALLOC_MINALIGN);
	return ALIGN(align, (unsigned int)sizeof(void *));
}

static bool slab_unmergeable(struct slab_globals *sg, struct kmem_cache *s)
{
	return sg->slab_nomerge || (s->flags & SLAB_NEVER_MERGE) || s->ctor || s->refcount < 0;
}

static struct kmem_cache *find_mergeable(struct slab_globals *sg, unsigned int size,
					 unsigned int align, slab_flags_t flags, const char *name,
					 void (*ctor)(void *))
{
	struct kmem_cache *s;

	if (sg->slab_nomerge || ctor)
		return NULL;
	size = ALIGN(size, (unsigned int)sizeof(void *));
	align = calculate_alignment(flags, align, size);
	size = ALIGN(size, align);
	flags = kmem_cache_flags(sg, flags, name);
	if (flags & SLAB_NEVER_MERGE)
		return NULL;
	/* Oldest first, like Linux's list_for_each_entry_reverse. */
	for (s = list_last_entry(&sg->slab_caches, struct kmem_cache, list);
	     &s->list != &sg->slab_caches; s = list_entry(s->list.prev, struct kmem_cache, list)) {
		if (slab_unmergeable(sg, s))
			continue;
		if (size > s->size)
			continue;
		if ((flags & SLAB_MERGE_SAME) != (s->flags & SLAB_MERGE_SAME))
			continue;
		if ((s->size & ~(align - 1)) != s->size)
			continue;
		if (s->size - size >= sizeof(void *))
			continue;
		return s;
	}
	return NULL;
}

/*
 * Forget the alias @name, if any.  An alias outlives its creator's
 * kmem_cache_destroy() (which only drops a reference, and cannot tell which
 * creator's name it was): Linux leaves the sysfs link, and removes such a
 * "leftover link" when the name is given again (sysfs_slab_alias()).
 */
static void drop_alias_named(struct slab_globals *sg, const char *name)
{
	struct slab_alias *a, *t;

	list_for_each_entry_safe(a, t, alias_list(sg), list) {
		if (!strcmp(a->name, name)) {
			list_del(&a->list);
			free(a->name);
			free(a);
		}
	}
}

static int add_alias(struct slab_globals *sg, struct kmem_cache *s, const char *name)
{
	struct slab_alias *a = calloc(1, sizeof(*a));

	if (!a || !(a->name = strdup(name))) {
		free(a);
		return -ENOMEM;
	}
	a->s = s;
	list_add(&a->list, alias_list(sg));
	return 0;
}

static void drop_aliases(struct slab_globals *sg, struct kmem_cache *s)
{
	struct slab_alias *a, *t;

	list_for_each_entry_safe(a, t, alias_list(sg), list) {
		if (a->s == s) {
			list_del(&a->list);
			free(a->name);
			free(a);
		}
	}
}

static void free_cache(struct kmem_cache *s)
{
	__kmem_cache_release(s);
	free((char *)s->name);
	free(s);
}

static struct kmem_cache *create_cache(struct slab_globals *sg, const char *name,
				       unsigned int object_size, unsigned int align,
				       slab_flags_t flags, void (*ctor)(void *), int *err)
{
	/* With its per-CPU array after it (kmem_cache_cpu_base()). */
	size_t bytes = KMEM_CACHE_CPU_OFFSET + sizeof(struct kmem_cache_cpu) * (size_t)sg->nr_cpus;
	struct kmem_cache *s = aligned_alloc(64, bytes);

	*err = -ENOMEM;
	if (!s)
		return NULL;
	memset(s, 0, bytes);
	s->cpu_slab = kmem_cache_cpu_base(s);
	s->name = strdup(name);
	s->sg = sg;
	s->object_size = object_size;
	s->align = align;
	s->ctor = ctor;
	s->refcount = 1;
	if (!s->name)
		goto fail;
	*err = kmem_cache_open(s, kmem_cache_flags(sg, flags, name));
	if (*err)
		goto fail;
	list_add(&s->list, &sg->slab_caches);
	return s;
fail:
	free_cache(s);
	return NULL;
}

/**
 * kmem_cache_create - create a cache of objects
 * @name: the cache's name in /proc/slabinfo (copied)
 * @size: object size in bytes
 * @align: minimum alignment (0: natural)
 * @flags: SLAB_* flags
 * @ctor: constructor, run once per object when its slab is made
 *
 * Return: the cache (perhaps an existing one it merged with), or NULL.
 */
struct kmem_cache *kmem_cache_create(const char *name, unsigned int size, unsigned int align,
				     slab_flags_t flags, void (*ctor)(void *))
{
	struct slab_globals *sg = slab_globals();
	struct kmem_cache *s = NULL;
	int err = 0;

	pthread_mutex_lock(&sg->slab_mutex);
	if (!name || !*name || !size || size > KMALLOC_MAX_SIZE || (align & (align - 1))) {
		pr_err("kmem_cache_create(%s) integrity check failed\n", name ? name : "(null)");
		err = -EINVAL;
		goto out;
	}
	flags &= CACHE_CREATE_MASK;
	/* The name is given again: a leftover alias of it goes (see above). */
	drop_alias_named(sg, name);
	s = find_mergeable(sg, size, align, flags, name, ctor);
	if (s) {
		s->refcount++;
		s->object_size = max(s->object_size, size);
		s->inuse = max(s->inuse, ALIGN(size, (unsigned int)sizeof(void *)));
		__kmem_cache_alias_update(s, size);
		if (add_alias(sg, s, name)) {
			s->refcount--;
			s = NULL;
			err = -ENOMEM;
		}
		goto out;
	}
	s = create_cache(sg, name, size, calculate_alignment(flags, align, size), flags, ctor,
			 &err);
out:
	pthread_mutex_unlock(&sg->slab_mutex);
	if (!s) {
		if (flags & SLAB_PANIC) {
			pr_emerg("Kernel panic - not syncing: %s: Failed to create slab '%s'. Error %d\n",
				 __func__, name ? name : "(null)", err);
			abort();
		}
		pr_warn("kmem_cache_create(%s) failed with error %d\n", name ? name : "(null)", err);
		dump_stack();
	}
	return s;
}

/**
 * kmem_cache_destroy - drop a reference to a cache; destroy it when last
 * @s: the cache (NULL is ignored)
 *
 * A cache that still has objects is reported as Linux reports it
 * ("Objects remaining in <cache> on __kmem_cache_shutdown()" and a WARN)
 * and left in place.
 */
void kmem_cache_destroy(struct kmem_cache *s)
{
	struct slab_globals *sg;
	char sym[160];
	int err;

	if (!s)
		return;
	sg = s->sg;
	pthread_mutex_lock(&sg->slab_mutex);
	if (WARN_ON(s->refcount <= 0)) {
		pthread_mutex_unlock(&sg->slab_mutex);
		return;
	}
	if (--s->refcount) {
		pthread_mutex_unlock(&sg->slab_mutex);
		return;
	}
	err = __kmem_cache_shutdown(s);
	format_symbol(_RET_IP_, sym, sizeof(sym));	/* %pS */
	if (WARN(err, "%s %s: Slab cache still has objects when called from %s", __func__,
		 s->name, sym)) {
		pthread_mutex_unlock(&sg->slab_mutex);
		return;
	}
	list_del(&s->list);
	drop_aliases(sg, s);
	pthread_mutex_unlock(&sg->slab_mutex);
	kfence_shutdown_cache(s);	/* its objects in the pool forget it */
	free_cache(s);
}

/**
 * kmem_cache_shrink - give back the cache's free slabs
 * Return: 0 when no slab is left, 1 when some are still in use.
 */
int kmem_cache_shrink(struct kmem_cache *s)
{
	return __kmem_cache_shrink(s);
}

void kmem_cache_shrink_all(void)
{
	struct slab_globals *sg = slab_globals();
	struct kmem_cache *s;

	pthread_mutex_lock(&sg->slab_mutex);
	list_for_each_entry(s, &sg->slab_caches, list)
		__kmem_cache_shrink(s);
	pthread_mutex_unlock(&sg->slab_mutex);
}

unsigned int kmem_cache_size(struct kmem_cache *s)
{
	return s->object_size;
}

const char *kmem_cache_name(struct kmem_cache *s)
{
	return s->name;
}

static struct kmem_cache *__find_kmem_cache(struct slab_globals *sg, const char *name)
{
	struct slab_alias *a;
	struct kmem_cache *s;

	list_for_each_entry(s, &sg->slab_caches, list)
		if (!strcmp(s->name, name))
			return s;
	list_for_each_entry(a, alias_list(sg), list)
		if (!strcmp(a->name, name))
			return a->s;
	return NULL;
}

/* The cache named @name (or an alias of it), or NULL. */
struct kmem_cache *find_kmem_cache(const char *name)
{
	struct slab_globals *sg = slab_globals();
	struct kmem_cache *s;

	pthread_mutex_lock(&sg->slab_mutex);
	s = __find_kmem_cache(sg, name);
	pthread_mutex_unlock(&sg->slab_mutex);
	return s;
}

/* ---------------------------------------------------------------------
 * The kmalloc caches
 */

static void kmalloc_cache_name(char *buf, size_t len, int type, unsigned int idx)
{
	static const char *const prefix[NR_KMALLOC_TYPES] = {
		[KMALLOC_NORMAL] = "kmalloc-",
		[KMALLOC_RECLAIM] = "kmalloc-rcl-",
		[KMALLOC_DMA] = "dma-kmalloc-",
	};
	unsigned long size = idx == 1 ? 96 : idx == 2 ? 192 : 1UL << idx;

	if (size >= 1024)
		snprintf(buf, len, "%s%luk", prefix[type], size >> 10);
	else
		snprintf(buf, len, "%s%lu", prefix[type], size);
}

static int new_kmalloc_cache(struct slab_globals *sg, unsigned int idx, int type)
{
	unsigned int size = idx == 1 ? 96 : idx == 2 ? 192 : 1U << idx;
	slab_flags_t flags = SLAB_KMALLOC;
	char name[32];
	int err;

	if (type == KMALLOC_RECLAIM)
		flags |= SLAB_RECLAIM_ACCOUNT;
	else if (type == KMALLOC_DMA)
		flags |= SLAB_CACHE_DMA;
	kmalloc_cache_name(name, sizeof(name), type, idx);
	/* Natural alignment for power-of-two sizes (create_boot_cache). */
	sg->kmalloc_caches[type][idx] =
		create_cache(sg, name, size,
			     calculate_alignment(flags, is_power_of_2(size) ? size : 0, size), flags,
			     NULL, &err);
	return sg->kmalloc_caches[type][idx] ? 0 : err;
}

static int create_kmalloc_caches(struct slab_globals *sg)
{
	for (int type = KMALLOC_NORMAL; type < NR_KMALLOC_TYPES; type++) {
		for (unsigned int i = KMALLOC_SHIFT_LOW; i <= sg->kmalloc_shift_high; i++) {
			if (new_kmalloc_cache(sg, i, type))
				return -ENOMEM;
			if ((i == 6 && new_kmalloc_cache(sg, 1, type)) ||
			    (i == 7 && new_kmalloc_cache(sg, 2, type)))
				return -ENOMEM;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * The kmalloc family
 */

void *kmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return kmalloc(bytes, flags);
}

void *kmalloc_array_node(size_t n, size_t size, gfp_t flags, int node)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return kmalloc_node(bytes, flags, node);
}

/**
 * ksize - the usable size of a kmalloc'd object
 *
 * The whole object may then be used: the kmalloc red zone past the
 * requested size is dropped for it, as in Linux.
 */
size_t ksize(const void *objp)
{
	/* A freed object is reported here, and has no size (Linux 6.1+). */
	if (kasan_enabled() && !ZERO_OR_NULL_PTR(objp) && !kasan_check_byte(objp, _RET_IP_))
		return 0;
	return __ksize(objp);
}

/*
 * krealloc - resize; the object stays in place while it fits.  With
 * __GFP_ZERO (or init_on_alloc) the bytes past @new_size are zeroed on a
 * shrink, and a grown copy is zeroed past the old contents.
 */
void *krealloc(const void *p, size_t new_size, gfp_t flags)
{
	size_t ks = 0;
	void *ret;

	if (unlikely(!new_size)) {
		kfree(p);
		return ZERO_SIZE_PTR;
	}
	if (!ZERO_OR_NULL_PTR(p)) {
		/* A freed object is a use-after-free (KASAN), not a size to read. */
		if (kasan_enabled() && !kasan_check_byte(p, _RET_IP_))
			return NULL;
		ks = __ksize(p);
	}
	if (ks >= new_size) {
		if ((flags & __GFP_ZERO) || current_machine()->init_on_alloc)
			memset((char *)p + new_size, 0, ks - new_size);
		if (kasan_enabled())	/* repoison it to the new size, to the byte */
			kasan_krealloc(p, new_size);
		if ((flags & __GFP_ZERO) || current_machine()->init_on_alloc)
			kmsan_unpoison_memory((char *)p + new_size, ks - new_size);
		return (void *)p;
	}
	ret = kmalloc(new_size, flags);
	if (ret && ks) {
		memcpy(ret, p, ks);
		kmsan_memmove(ret, p, ks);	/* the old bytes keep their state */
		kfree(p);
	}
	return ret;
}

void *krealloc_array(void *p, size_t new_n, size_t new_size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(new_n, new_size, &bytes)))
		return NULL;
	return krealloc(p, bytes, flags);
}

/* kfree_sensitive - wipe the whole object (ksize bytes), then free it. */
void kfree_sensitive(const void *p)
{
	size_t ks;

	if (unlikely(ZERO_OR_NULL_PTR(p)))
		return;
	ks = __ksize(p);
	__asm__ __volatile__("" : : "r"(p) : "memory");
	memset((void *)p, 0, ks);
	__asm__ __volatile__("" : : "r"(p) : "memory");
	kfree(p);
}

char *kstrdup(const char *s, gfp_t gfp)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strlen(s) + 1;
	buf = kmalloc(len, gfp);
	if (buf) {
		memcpy(buf, s, len);
		kmsan_memmove(buf, s, len);
	}
	return buf;
}

char *kstrndup(const char *s, size_t max, gfp_t gfp)
{
	size_t len;
	char *buf;

	if (!s)
		return NULL;
	len = strnlen(s, max);
	buf = kmalloc(len + 1, gfp);
	if (buf) {
		memcpy(buf, s, len);
		buf[len] = '\0';
		kmsan_memmove(buf, s, len);
		kmsan_unpoison_memory(buf + len, 1);
	}
	return buf;
}

/* No .rodata here: kstrdup_const always copies, kfree_const always frees. */
const char *kstrdup_const(const char *s, gfp_t gfp)
{
	return kstrdup(s, gfp);
}

void kfree_const(const void *x)
{
	kfree(x);
}

void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc(len, gfp);

	if (p && len) {
		memcpy(p, src, len);
		kmsan_memmove(p, src, len);
	}
	return p;
}

char *kmemdup_nul(const char *s, size_t len, gfp_t gfp)
{
	char *buf;

	if (!s)
		return NULL;
	buf = kmalloc(len + 1, gfp);
	if (buf) {
		memcpy(buf, s, len);
		buf[len] = '\0';
		kmsan_memmove(buf, s, len);
		kmsan_unpoison_memory(buf + len, 1);
	}
	return buf;
}

/* kvmalloc: kmalloc first, vmalloc when that fails. */
/**
 * kvmalloc_node - kmalloc, or vmalloc when that fails for a large size
 *
 * As Linux decides: up to a page only kmalloc; above, kmalloc is tried
 * quietly and without retrying hard (__GFP_NORETRY unless the caller
 * asked for __GFP_RETRY_MAYFAIL), then vmalloc if the caller may block.
 */
void *kvmalloc_node(size_t size, gfp_t flags, int node)
{
	gfp_t kmalloc_flags = flags;
	void *ret;

	if (size > PAGE_SIZE) {
		kmalloc_flags |= __GFP_NOWARN;
		if (!(kmalloc_flags & __GFP_RETRY_MAYFAIL))
			kmalloc_flags |= __GFP_NORETRY;
		kmalloc_flags &= ~__GFP_NOFAIL;
	}
	ret = kmalloc_node(size, kmalloc_flags, node);
	if (ret || size <= PAGE_SIZE)
		return ret;
	if (!gfpflags_allow_blocking(flags))
		return NULL;
	if (unlikely(size > INT_MAX)) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	return __vmalloc_node_range(size, 1, VMALLOC_START, VMALLOC_END, flags, PAGE_KERNEL,
				    VM_ALLOW_HUGE_VMAP, node, __builtin_return_address(0));
}

void *kvmalloc_array(size_t n, size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return kvmalloc(bytes, flags);
}

void kvfree(const void *addr)
{
	if (is_vmalloc_addr(addr))
		vfree(addr);
	else
		kfree(addr);
}

void kvfree_sensitive(const void *addr, size_t len)
{
	if (likely(!ZERO_OR_NULL_PTR(addr))) {
		memset((void *)addr, 0, len);
		kvfree(addr);
	}
}

/* ---------------------------------------------------------------------
 * /proc/slabinfo and /sys/kernel/slab/<cache>/
 */

/**
 * slabinfo_show - print /proc/slabinfo (version 2.1) into @sf
 */
void slabinfo_show(struct seq_file *sf)
{
	struct slab_globals *sg = slab_globals();
	struct kmem_cache *s;

	seq_puts(sf, "slabinfo - version: 2.1\n");
	seq_puts(sf, "# name            <active_objs> <num_objs> <objsize> <objperslab> "
		     "<pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata "
		     "<active_slabs> <num_slabs> <sharedavail>\n");
	pthread_mutex_lock(&sg->slab_mutex);
	list_for_each_entry(s, &sg->slab_caches, list) {
		struct slabinfo si;

		get_slabinfo(s, &si);
		seq_printf(sf, "%-17s %6lu %6lu %6u %4u %4d", s->name, si.active_objs, si.num_objs,
			   s->size, si.objects_per_slab, 1 << si.cache_order);
		seq_printf(sf, " : tunables %4u %4u %4u", 0u, 0u, 0u);
		seq_printf(sf, " : slabdata %6lu %6lu %6lu\n", si.active_slabs, si.num_slabs, 0UL);
	}
	pthread_mutex_unlock(&sg->slab_mutex);
}

enum so_kind { SO_SLABS, SO_OBJECTS, SO_TOTAL, SO_PARTIAL, SO_PARTIAL_OBJECTS };

/* show_slab_objects: the total, then " N<node>=<count>" for each node. */
static void show_slab_objects(struct seq_file *sf, struct kmem_cache *s, enum so_kind kind)
{
	unsigned long nodes[MAX_NUMNODES] = { 0 }, total = 0;

	for (int nid = 0; nid < s->nr_nodes; nid++) {
		struct kmem_cache_node *n = s->node[nid];
		unsigned long x = 0, free_objs = 0, partial_objs = 0;
		struct slab *slab;

		spin_lock(&n->list_lock);
		list_for_each_entry(slab, &n->partial, slab_list) {
			unsigned int inuse = fc_inuse(atomic_load_explicit(&slab->fc,
									   memory_order_acquire));

			free_objs += slab->objects - inuse;
			partial_objs += inuse;
		}
		spin_unlock(&n->list_lock);
		switch (kind) {
		case SO_SLABS:
			x = (unsigned long)atomic_long_read(&n->nr_slabs);
			break;
		case SO_OBJECTS:
			x = (unsigned long)atomic_long_read(&n->total_objects) - free_objs;
			break;
		case SO_TOTAL:
			x = (unsigned long)atomic_long_read(&n->total_objects);
			break;
		case SO_PARTIAL:
			x = READ_ONCE(n->nr_partial);
			break;
		case SO_PARTIAL_OBJECTS:
			x = partial_objs;
			break;
		}
		nodes[nid] = x;
		total += x;
	}
	seq_printf(sf, "%lu", total);
	for (int nid = 0; nid < s->nr_nodes; nid++)
		if (nodes[nid])
			seq_printf(sf, " N%d=%lu", nid, nodes[nid]);
	seq_putc(sf, '\n');
}

static bool show_flag_attr(struct seq_file *sf, struct kmem_cache *s, const char *attr)
{
	static const struct {
		const char *name;
		slab_flags_t flag;
	} flag_attrs[] = {
		{ "reclaim_account", SLAB_RECLAIM_ACCOUNT },
		{ "hwcache_align", SLAB_HWCACHE_ALIGN },
		{ "cache_dma", SLAB_CACHE_DMA },
		{ "destroy_by_rcu", SLAB_TYPESAFE_BY_RCU },
		{ "sanity_checks", SLAB_CONSISTENCY_CHECKS },
		{ "trace", SLAB_TRACE },
		{ "red_zone", SLAB_RED_ZONE },
		{ "poison", SLAB_POISON },
		{ "store_user", SLAB_STORE_USER },
		{ "failslab", SLAB_FAILSLAB },
	};

	for (size_t i = 0; i < ARRAY_SIZE(flag_attrs); i++) {
		if (!strcmp(attr, flag_attrs[i].name)) {
			seq_printf(sf, "%d\n", !!(s->flags & flag_attrs[i].flag));
			return true;
		}
	}
	return false;
}

static int slab_attr_render(struct seq_file *sf, struct kmem_cache *s, const char *attr)
{
	if (!strcmp(attr, "object_size"))
		seq_printf(sf, "%u\n", s->object_size);
	else if (!strcmp(attr, "slab_size"))
		seq_printf(sf, "%u\n", s->size);
	else if (!strcmp(attr, "objs_per_slab"))
		seq_printf(sf, "%u\n", s->oo.objects);
	else if (!strcmp(attr, "order"))
		seq_printf(sf, "%u\n", s->oo.order);
	else if (!strcmp(attr, "align"))
		seq_printf(sf, "%u\n", s->align);
	else if (!strcmp(attr, "min_partial"))
		seq_printf(sf, "%lu\n", s->min_partial);
	else if (!strcmp(attr, "cpu_partial"))
		seq_printf(sf, "%u\n", s->cpu_partial_slabs);
	else if (!strcmp(attr, "sheaf_capacity"))
		seq_printf(sf, "%u\n", s->sheaf_capacity);
	else if (!strcmp(attr, "aliases"))
		seq_printf(sf, "%d\n", s->refcount < 0 ? 0 : s->refcount - 1);
	else if (!strcmp(attr, "objects"))
		show_slab_objects(sf, s, SO_OBJECTS);
	else if (!strcmp(attr, "total_objects"))
		show_slab_objects(sf, s, SO_TOTAL);
	else if (!strcmp(attr, "slabs"))
		show_slab_objects(sf, s, SO_SLABS);
	else if (!strcmp(attr, "partial"))
		show_slab_objects(sf, s, SO_PARTIAL);
	else if (!strcmp(attr, "objects_partial"))
		show_slab_objects(sf, s, SO_PARTIAL_OBJECTS);
	else if (!strcmp(attr, "ctor")) {
		char sym[128];

		/* %pS, as Linux's ctor_show(): never the host address itself. */
		if (s->ctor) {
			format_symbol((unsigned long)s->ctor, sym, sizeof(sym));
			seq_printf(sf, "%s\n", sym);
		}
	} else if (!strcmp(attr, "validate") || !strcmp(attr, "shrink"))
		;	/* write-only in effect: reads are empty */
	else if (!show_flag_attr(sf, s, attr))
		return -ENOENT;
	return 0;
}

/**
 * slab_attr_show - print /sys/kernel/slab/<cache>/<attr> into @sf
 * Return: 0 or -ENOENT (no such cache or attribute: nothing printed).
 */
int slab_attr_show(struct seq_file *sf, const char *cache, const char *attr)
{
	struct slab_globals *sg = slab_globals();
	struct kmem_cache *s;
	int ret = -ENOENT;

	pthread_mutex_lock(&sg->slab_mutex);
	s = __find_kmem_cache(sg, cache);
	if (s)
		ret = slab_attr_render(sf, s, attr);
	pthread_mutex_unlock(&sg->slab_mutex);
	return ret;
}

/**
 * slab_attr_store - a write to /sys/kernel/slab/<cache>/<attr>
 * validate: "1" checks a debug cache (-EINVAL for others, as Linux);
 * shrink: "1" shrinks; failslab: 0/1 sets SLAB_FAILSLAB.
 * Return: 0, -ENOENT, -EACCES (read-only attribute) or -EINVAL.
 */
int slab_attr_store(const char *cache, const char *attr, const char *text)
{
	struct slab_globals *sg = slab_globals();
	struct kmem_cache *s;
	int ret = 0;

	pthread_mutex_lock(&sg->slab_mutex);
	s = __find_kmem_cache(sg, cache);
	if (!s) {
		ret = -ENOENT;
	} else if (!strcmp(attr, "validate")) {
		if (text[0] != '1' || !(s->flags & (SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER |
						    SLAB_TRACE | SLAB_CONSISTENCY_CHECKS)))
			ret = -EINVAL;
		else if (validate_slab_cache(s) < 0)
			ret = -ENOMEM;
	} else if (!strcmp(attr, "shrink")) {
		if (text[0] == '1')
			__kmem_cache_shrink(s);
		else
			ret = -EINVAL;
	} else if (!strcmp(attr, "failslab")) {
		if (text[0] == '1')
			s->flags |= SLAB_FAILSLAB;
		else if (text[0] == '0')
			s->flags &= ~SLAB_FAILSLAB;
		else
			ret = -EINVAL;
	} else {
		struct seq_file sf;

		seq_init(&sf);		/* out of memory: the answer is the same */
		ret = slab_attr_render(&sf, s, attr) ? -ENOENT : -EACCES;
		seq_free(&sf);
	}
	pthread_mutex_unlock(&sg->slab_mutex);
	return ret;
}

/* ---------------------------------------------------------------------
 * Boot and teardown
 */

static int parse_uint_param(const char *word, const char *val, unsigned int maxv,
			    unsigned int *out, char *err, size_t errlen)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(val, &end, 0);
	if (errno || end == val || *end || v > maxv) {
		snprintf(err, errlen, "'%s=%s': must be 0..%u", word, val, maxv);
		return -EINVAL;
	}
	*out = (unsigned int)v;
	return 0;
}

/*
 * The slab allocator's boot parameters (Linux's __setup()s of slub.c and
 * slab_common.c).  Their values are kept as written and parsed by
 * kmem_cache_init(), where MAX_PAGE_ORDER is known and a bad value fails
 * the boot with the same one-line message as before the allocator starts.
 */
static int copy_arg(const char *word, const char *val, char *dst, size_t size, char *err,
		    size_t len)
{
	if (!*val || strlen(val) >= size)
		return cmdline_fail(err, len, "'%s': %s", word,
				    *val ? "value too long" : "value missing");
	strcpy(dst, val);
	return 0;
}

static int setup_slub_debug(void *state, const struct kernel_param *kp, const char *word,
			    const char *val, char *err, size_t len)
{
	struct slab_boot_args *a = &((struct slab_globals *)state)->boot;

	a->slub_debug_set = true;
	if (!val) {
		a->slub_debug[0] = '\0';
		return 0;
	}
	if (strlen(val) >= sizeof(a->slub_debug))
		return cmdline_fail(err, len, "'%s': value too long", word);
	strcpy(a->slub_debug, val);
	return 0;
}

#define SLAB_ARG_SETTER(field)								\
static int setup_##field(void *state, const struct kernel_param *kp, const char *word,	\
			 const char *val, char *err, size_t len)			\
{											\
	struct slab_boot_args *a = &((struct slab_globals *)state)->boot;		\
											\
	return copy_arg(word, val, a->field, sizeof(a->field), err, len);		\
}
SLAB_ARG_SETTER(slub_min_order)
SLAB_ARG_SETTER(slub_max_order)
SLAB_ARG_SETTER(slub_min_objects)

static int setup_slab_nomerge(void *state, const struct kernel_param *kp, const char *word,
			      const char *val, char *err, size_t len)
{
	((struct slab_globals *)state)->boot.slab_nomerge = true;
	return 0;
}

static const struct kernel_param slab_params[] = {
	__setup_flags("slub_debug", setup_slub_debug, KP_VALUE | KP_BARE),
	__setup("slub_min_order", setup_slub_min_order),
	__setup("slub_max_order", setup_slub_max_order),
	__setup("slub_min_objects", setup_slub_min_objects),
	__setup_flags("slab_nomerge", setup_slab_nomerge, KP_BARE),
};


/* ---------------------------------------------------------------------
 * The files: /proc/slabinfo (slab_proc_init in Linux) and
 * /sys/kernel/slab/<cache>/<attribute> (slab_sysfs_init), printed by
 * slabinfo_show() and slab_attr_show() into the reader's seq_file.
 */

static int slabinfo_open_show(struct seq_file *sf, struct proc_file *f)
{
	slabinfo_show(sf);
	return 0;
}

static int slab_attr_seq(struct seq_file *sf, struct proc_file *f)
{
	return slab_attr_show(sf, f->arg, f->entry->data);
}

static int slab_attr_write(struct proc_file *f, const char *text)
{
	return slab_attr_store(f->arg, f->entry->data, text);
}

#define SA(name, store) { "/sys/kernel/slab/*/" name, slab_attr_seq, store, name }

static const struct proc_entry slab_files[] = {
	{ "/proc/slabinfo", slabinfo_open_show, NULL, NULL },
	SA("object_size", NULL), SA("slab_size", NULL), SA("objs_per_slab", NULL),
	SA("order", NULL), SA("objects", NULL), SA("total_objects", NULL), SA("slabs", NULL),
	SA("partial", NULL), SA("objects_partial", NULL), SA("aliases", NULL), SA("align", NULL),
	SA("min_partial", NULL), SA("cpu_partial", NULL), SA("sheaf_capacity", NULL),
	SA("ctor", NULL),
	SA("red_zone", NULL), SA("poison", NULL), SA("store_user", NULL),
	SA("sanity_checks", NULL), SA("trace", NULL), SA("reclaim_account", NULL),
	SA("hwcache_align", NULL), SA("cache_dma", NULL), SA("destroy_by_rcu", NULL),
	SA("failslab", slab_attr_write), SA("validate", slab_attr_write),
	SA("shrink", slab_attr_write),
};

static int slab_proc_init(struct mmsim *m, char *err, size_t len)
{
	return proc_create_table(slab_files);
}

static const struct initcall slab_initcalls[] = {
	fs_initcall(slab_proc_init, NULL),
};

DEFINE_SUBSYSTEM(slab, SUBSYS_STATE(struct slab_globals, NULL), SUBSYS_PARAMS(slab_params),
		 SUBSYS_INITCALLS(slab_initcalls));

static int slab_boot_params(struct mmsim *m, struct slab_globals *sg, char *err, size_t errlen)
{
	const struct slab_boot_args *a = &sg->boot;

	sg->slub_max_order = PAGE_ALLOC_COSTLY_ORDER;
	if (a->slub_min_order[0] &&
	    parse_uint_param("slub_min_order", a->slub_min_order, MAX_PAGE_ORDER,
			     &sg->slub_min_order, err, errlen))
		return -EINVAL;
	if (sg->slub_min_order > sg->slub_max_order)
		sg->slub_max_order = sg->slub_min_order;
	if (a->slub_max_order[0]) {
		if (parse_uint_param("slub_max_order", a->slub_max_order, MAX_PAGE_ORDER,
				     &sg->slub_max_order, err, errlen))
			return -EINVAL;
		if (sg->slub_min_order > sg->slub_max_order)
			sg->slub_min_order = sg->slub_max_order;
	}
	if (a->slub_min_objects[0] &&
	    parse_uint_param("slub_min_objects", a->slub_min_objects, MAX_OBJS_PER_PAGE,
			     &sg->slub_min_objects, err, errlen))
		return -EINVAL;
	sg->slab_nomerge = a->slab_nomerge;
	if (a->slub_debug_set && slub_debug_parse(sg, a->slub_debug, err, errlen))
		return -EINVAL;
	return failslab_boot(m, sg, err, errlen);
}

/**
 * kmem_cache_init - bring up the slab allocator of machine @m: its boot
 * parameters and the kmalloc caches.  Called by mm_core_init() once the page
 * allocator works, on CPU 0.
 */
int kmem_cache_init(struct mmsim *m, char *err, size_t errlen)
{
	struct slab_globals *sg = subsys_state(m, slab);

	INIT_LIST_HEAD(&sg->aliases);
	INIT_LIST_HEAD(&sg->slab_caches);
	pthread_mutex_init(&sg->slab_mutex, NULL);
	memcpy(sg->size_index, size_index_init, sizeof(sg->size_index));
	sg->nr_cpus = m->nr_cpus;
	sg->kmalloc_shift_high = m->hw.layout.page_shift + 1;
	sg->init_on_alloc = m->init_on_alloc;
	sg->init_on_free = m->init_on_free;
	failslab_init(sg, m->hw.hp.seed);
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		m->cpus[cpu].slab = sg;
	if (slab_boot_params(m, sg, err, errlen))
		return -EINVAL;
	if (create_kmalloc_caches(sg)) {
		snprintf(err, errlen, "cannot create the kmalloc caches");
		return -ENOMEM;
	}
	pr_info("SLUB: HWalign=64, Order=%u-%u, MinObjects=%u, CPUs=%d, Nodes=%d\n",
		sg->slub_min_order, sg->slub_max_order, sg->slub_min_objects, m->nr_cpus,
		m->nr_nodes);
	return 0;
}

/* Free the host side of every cache; the RAM itself goes with the machine. */
void kmem_cache_teardown(struct mmsim *m)
{
	struct slab_globals *sg = subsys_state(m, slab);
	struct kmem_cache *s, *t;

	if (!sg->slab_caches.next)
		return;		/* kmem_cache_init() never ran */
	list_for_each_entry_safe(s, t, &sg->slab_caches, list) {
		drop_aliases(sg, s);
		list_del(&s->list);
		free_cache(s);
	}
	free(sg->slub_debug_string);
	pthread_mutex_destroy(&sg->slab_mutex);
	sg->slab_caches.next = NULL;
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		m->cpus[cpu].slab = NULL;
}
