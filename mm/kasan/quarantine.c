// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kasan/quarantine.c - freed slab objects wait here, poisoned, before
 * the allocator may hand them out again (Linux's mm/kasan/quarantine.c),
 * so a use-after-free still finds KASAN_SLAB_FREE in the shadow for a
 * while instead of the next owner's object.
 *
 * One FIFO per machine, linked through each object's free metadata
 * (kasan_free_meta.qnext), oldest at the head.  Its size is bounded as
 * Linux bounds the global quarantine: 1/QUARANTINE_FRACTION (1/32) of the
 * machine's RAM (totalram_pages at the first put), counted in the objects' strides (cache->size).  When a
 * put takes it past the bound, the oldest objects leave until it is back
 * under (Linux's quarantine_reduce, which frees a batch).  A departure:
 * Linux puts objects first on a per-CPU queue of up to 1 MiB and moves
 * whole queues to the global list; here every put takes q.lock.
 *
 * Leaving the quarantine is the real free: ___cache_free() (mm/slub.c)
 * does what the free would have done after KASAN's hook, and the first
 * granule goes back from KASAN_SLAB_FREETRACK to KASAN_SLAB_FREE (the free
 * track may be overwritten from then on).  The whole quarantine, or a
 * cache's part of it, is emptied by kmem_cache_shrink() and
 * kmem_cache_destroy() (kasan_cache_shrink/shutdown); under memory
 * pressure its shrinker ("kasan-quarantine", count = objects waiting)
 * lets the oldest go early (a departure: Linux's quarantine has no
 * shrinker, it only stays under its bound).
 *
 * Locking: q.lock covers the list and the counters; objects are released
 * outside it (the slab free path takes the slab layer's locks).
 */
#include <errno.h>
#include <mmsim/shrinker.h>
#include "mm/kasan/kasan.h"
#include "mm/slab.h"

#ifdef CONFIG_KASAN

#define QUARANTINE_FRACTION	32

void kasan_quarantine_init(struct kasan_state *ks)
{
	spin_lock_init(&ks->q.lock);
	ks->q.head = ks->q.tail = NULL;
	ks->q.bytes = ks->q.objects = 0;
	ks->q.max_bytes = 0;	/* set at the first put, once the buddy allocator has RAM */
}

static struct kasan_free_meta *qmeta(void *object)
{
	struct kmem_cache *s = virt_to_slab(object)->slab_cache;

	return kasan_get_free_meta(s, object);
}

/* Free a chain of objects for real (no lock held). */
static void qlist_free_all(struct kasan_state *ks, void *object)
{
	while (object) {
		struct kmem_cache *s = virt_to_slab(object)->slab_cache;
		void *next = kasan_get_free_meta(s, object)->qnext;
		uint8_t *sh = kasan_shadow(ks, object);

		if (sh && *sh == KASAN_SLAB_FREETRACK)
			*sh = KASAN_SLAB_FREE;
		___cache_free(s, object, _RET_IP_);
		object = next;
	}
}

/*
 * Move the oldest object of the quarantine (q.lock held, not empty) to the
 * end of the list *@out .. *@tail, to be freed once the lock is dropped.
 */
static void quarantine_take_oldest(struct kasan_state *ks, void **out, void **tail)
{
	void *old = ks->q.head;
	struct kasan_free_meta *om = qmeta(old);

	ks->q.head = om->qnext;
	if (!ks->q.head)
		ks->q.tail = NULL;
	ks->q.bytes -= virt_to_slab(old)->slab_cache->size;
	ks->q.objects--;
	om->qnext = NULL;
	if (*tail)
		qmeta(*tail)->qnext = old;
	else
		*out = old;
	*tail = old;
}

void kasan_quarantine_put(struct kasan_state *ks, struct kmem_cache *s, void *object)
{
	struct kasan_free_meta *fm = kasan_get_free_meta(s, object);
	void *evict = NULL, *evict_tail = NULL;

	fm->qnext = NULL;
	spin_lock(&ks->q.lock);
	/* Linux sizes it at the first put (quarantine_reduce): RAM is known by then. */
	if (unlikely(!ks->q.max_bytes))
		ks->q.max_bytes = ((unsigned long)atomic_long_read(&ks->m->totalram_pages) << PAGE_SHIFT) /
				  QUARANTINE_FRACTION;
	if (ks->q.tail)
		qmeta(ks->q.tail)->qnext = object;
	else
		ks->q.head = object;
	ks->q.tail = object;
	ks->q.bytes += s->size;
	ks->q.objects++;
	/* Over the bound: the oldest leave (quarantine_reduce). */
	while (ks->q.bytes > ks->q.max_bytes && ks->q.head)
		quarantine_take_oldest(ks, &evict, &evict_tail);
	spin_unlock(&ks->q.lock);
	qlist_free_all(ks, evict);
}

void kasan_quarantine_reduce(struct kasan_state *ks)
{
	(void)ks;	/* kasan_quarantine_put() keeps the bound itself */
}

/* Take out every object of @s (all of them when @s is NULL) and free them. */
static void quarantine_remove(struct kasan_state *ks, struct kmem_cache *s)
{
	void *keep_head = NULL, *keep_tail = NULL, *out = NULL, *out_tail = NULL;
	unsigned long bytes = 0, objects = 0;

	spin_lock(&ks->q.lock);
	for (void *o = ks->q.head, *next; o; o = next) {
		struct kmem_cache *c = virt_to_slab(o)->slab_cache;
		struct kasan_free_meta *fm = kasan_get_free_meta(c, o);

		next = fm->qnext;
		fm->qnext = NULL;
		if (!s || c == s) {
			if (out_tail)
				qmeta(out_tail)->qnext = o;
			else
				out = o;
			out_tail = o;
		} else {
			if (keep_tail)
				qmeta(keep_tail)->qnext = o;
			else
				keep_head = o;
			keep_tail = o;
			bytes += c->size;
			objects++;
		}
	}
	ks->q.head = keep_head;
	ks->q.tail = keep_tail;
	ks->q.bytes = bytes;
	ks->q.objects = objects;
	spin_unlock(&ks->q.lock);
	qlist_free_all(ks, out);
}

/* The quarantine's shrinker: under memory pressure the oldest objects leave early. */
static unsigned long quarantine_count(struct shrinker *sh, struct shrink_control *sc)
{
	struct kasan_state *ks = sh->private_data;
	unsigned long n = READ_ONCE(ks->q.objects);

	(void)sc;
	return n ? n : SHRINK_EMPTY;
}

static unsigned long quarantine_scan(struct shrinker *sh, struct shrink_control *sc)
{
	struct kasan_state *ks = sh->private_data;
	void *out = NULL, *out_tail = NULL;
	unsigned long n = 0;

	spin_lock(&ks->q.lock);
	for (; n < sc->nr_to_scan && ks->q.head; n++)
		quarantine_take_oldest(ks, &out, &out_tail);
	spin_unlock(&ks->q.lock);
	qlist_free_all(ks, out);
	return n ? n : SHRINK_STOP;
}

int kasan_quarantine_shrinker_init(struct kasan_state *ks)
{
	ks->q.shrinker = shrinker_alloc(0, "kasan-quarantine");
	if (!ks->q.shrinker)
		return -ENOMEM;
	ks->q.shrinker->count_objects = quarantine_count;
	ks->q.shrinker->scan_objects = quarantine_scan;
	ks->q.shrinker->seeks = 0;	/* freed objects: nothing to recreate */
	ks->q.shrinker->private_data = ks;
	shrinker_register(ks->q.shrinker);
	return 0;
}

void kasan_quarantine_shrinker_exit(struct kasan_state *ks)
{
	shrinker_free(ks->q.shrinker);
	ks->q.shrinker = NULL;
}

void kasan_quarantine_remove_cache(struct kasan_state *ks, struct kmem_cache *s)
{
	quarantine_remove(ks, s);
}

void kasan_quarantine_flush(struct kasan_state *ks)
{
	quarantine_remove(ks, NULL);
}

#endif /* CONFIG_KASAN */
