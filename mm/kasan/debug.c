// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kasan/debug.c - kasan_is_valid(), KASAN's invariant checker (tests
 * call it after every step of a randomized stress; docs/invariants.md,
 * "KASAN").  Linux has no such function: its KUnit test checks the
 * reports, not the shadow's state between them.
 *
 * Invariants, on the calling CPU's machine when it runs kasan=on:
 *
 *   KA1  every allocated object of a slab of a cache with KASAN metadata
 *        has [0, requested) accessible in the shadow (00 granules, the
 *        last one N = requested % 8 when partial), requested being the
 *        size kasan_slab_alloc()/kasan_krealloc() kept in its alloc
 *        metadata, and every granule from there to the next object's
 *        start (or the slab's end) KASAN_SLAB_REDZONE.
 *   KA2  every free object (on its slab's freelist, its owner's local or
 *        CPU freelist, or in a sheaf) is poisoned over its object_size:
 *        each granule KASAN_SLAB_FREE (it was freed) or
 *        KASAN_SLAB_REDZONE (never allocated); every object in the
 *        quarantine is KASAN_SLAB_FREETRACK then KASAN_SLAB_FREE.
 *        Either way the rest of the slot is KASAN_SLAB_REDZONE.
 *        SLAB_TYPESAFE_BY_RCU caches are freed unpoisoned (as in Linux):
 *        their free objects are not checked.
 *   KA3  the quarantine's bytes == the sum of its objects' cache->size,
 *        its objects == their number, and no object is in it twice.
 *   KA4  every free buddy block (a PageBuddy head on a zone free list and
 *        its 2^order pages, highmem aside) is KASAN_PAGE_FREE throughout.
 *
 * Locking and deadlock avoidance: the locks are taken one at a time,
 * never nested but for slab_mutex -> barn->lock (the order slab_is_valid
 * uses): slab_mutex while the caches' sheaves are collected, then q.lock
 * while the quarantine is walked (nothing else is taken under it; the
 * quarantine itself never takes a slab lock under it), then each
 * zone->lock for its free lists.  Slabs are found in the memmap and their
 * freelists read without a lock, as slab_is_valid reads the CPU slabs:
 * the machine must be quiet (no other CPU allocating), as for every
 * checker.
 */
#include <stdlib.h>
#include <string.h>
#include <mmsim/kfence.h>
#include <mmsim/mmzone.h>
#include "mm/kasan/kasan.h"
#include "mm/slab.h"

#ifdef CONFIG_KASAN

struct ka_check {
	struct kasan_state *ks;
	bool ok;
	void **sheaved;		/* objects in a sheaf, sorted */
	size_t nr_sheaved, cap_sheaved;
	void **quarantined;	/* objects in the quarantine, sorted */
	size_t nr_quarantined;
};

/* Only the first violation is printed; the rest would follow from it. */
#define KA_CHECK(ck, cond, ...)						\
	({								\
		bool __c = (cond);					\
		if (unlikely(!__c)) {					\
			if ((ck)->ok)					\
				pr_err("kasan_is_valid: " __VA_ARGS__);	\
			(ck)->ok = false;				\
		}							\
		__c;							\
	})

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

static bool in_sorted(void **v, size_t n, void *x)
{
	return n && bsearch(&x, v, n, sizeof(*v), cmp_ptr);
}

static bool push_sheaved(struct ka_check *ck, void *x)
{
	if (ck->nr_sheaved == ck->cap_sheaved) {
		size_t cap = ck->cap_sheaved ? 2 * ck->cap_sheaved : 256;
		void **v = realloc(ck->sheaved, cap * sizeof(*v));

		if (!v)
			return false;
		ck->sheaved = v;
		ck->cap_sheaved = cap;
	}
	ck->sheaved[ck->nr_sheaved++] = x;
	return true;
}

static bool collect_sheaf(struct ka_check *ck, struct slab_sheaf *sheaf)
{
	for (unsigned int i = 0; i < sheaf->size && i < sheaf->capacity; i++)
		if (!push_sheaved(ck, sheaf->objects[i]))
			return false;
	return true;
}

/* Every object of every cache's sheaves (CPU main and spare, barns). */
static bool collect_sheaves(struct ka_check *ck, struct mmsim *m)
{
	struct slab_globals *sg = slab_globals();
	struct kmem_cache *s;
	bool ok = true;

	pthread_mutex_lock(&sg->slab_mutex);
	list_for_each_entry(s, &sg->slab_caches, list) {
		if (!s->sheaf_capacity)
			continue;
		for (int cpu = 0; ok && cpu < m->nr_cpus; cpu++) {
			struct slub_percpu_sheaves *pcs = &s->cpu_slab[cpu].pcs;

			if (pcs->main && pcs->main != &bootstrap_sheaf)
				ok = collect_sheaf(ck, pcs->main);
			if (ok && pcs->spare)
				ok = collect_sheaf(ck, pcs->spare);
		}
		for (int nid = 0; ok && nid < s->nr_nodes; nid++) {
			struct node_barn *barn = &s->node[nid]->barn;
			struct slab_sheaf *sheaf;

			spin_lock(&barn->lock);
			list_for_each_entry(sheaf, &barn->sheaves_full, barn_list) {
				ok = collect_sheaf(ck, sheaf);
				if (!ok)
					break;
			}
			spin_unlock(&barn->lock);
		}
		if (!ok)
			break;
	}
	pthread_mutex_unlock(&sg->slab_mutex);
	if (ok && ck->nr_sheaved)
		qsort(ck->sheaved, ck->nr_sheaved, sizeof(void *), cmp_ptr);
	return ok;
}

/* KA3, and KA2 for the quarantined objects (under q.lock). */
static bool check_quarantine(struct ka_check *ck)
{
	struct kasan_quarantine *q = &ck->ks->q;
	unsigned long bytes = 0, n = 0;
	size_t cap;
	bool ok = true;

	spin_lock(&q->lock);
	cap = q->objects + 1;
	ck->quarantined = malloc(cap * sizeof(void *));
	if (!ck->quarantined) {
		spin_unlock(&q->lock);
		return false;
	}
	for (void *o = q->head; o; n++) {
		struct kmem_cache *s = virt_to_slab(o)->slab_cache;
		uint8_t *sh = kasan_shadow(ck->ks, o);
		unsigned long granules = ALIGN(s->object_size, KASAN_GRANULE_SIZE) >> 3;

		if (!KA_CHECK(ck, n < cap - 1, "quarantine longer than its %lu objects\n",
			      q->objects))
			break;
		ck->quarantined[n] = o;
		bytes += s->size;
		if (KA_CHECK(ck, sh && sh[0] == KASAN_SLAB_FREETRACK,
			     "quarantined object 0x%lx of %s: first granule %02x, not fa\n",
			     slab_kaddr(o), s->name, sh ? sh[0] : 0))
			for (unsigned long g = 1; g < granules; g++)
				if (!KA_CHECK(ck, sh[g] == KASAN_SLAB_FREE,
					      "quarantined object 0x%lx of %s: granule %lu is %02x, not fb\n",
					      slab_kaddr(o), s->name, g, sh[g]))
					break;
		o = kasan_get_free_meta(s, o)->qnext;
	}
	ok = ck->ok;
	KA_CHECK(ck, n == q->objects, "quarantine: %lu objects listed, counted %lu\n", n,
		 q->objects);
	KA_CHECK(ck, !ok || bytes == q->bytes, "quarantine: %lu bytes listed, counted %lu\n",
		 bytes, q->bytes);
	spin_unlock(&q->lock);
	ck->nr_quarantined = n;
	if (n)
		qsort(ck->quarantined, n, sizeof(void *), cmp_ptr);
	for (size_t i = 1; i < n; i++)
		KA_CHECK(ck, ck->quarantined[i] != ck->quarantined[i - 1],
			 "object 0x%lx in the quarantine twice\n", slab_kaddr(ck->quarantined[i]));
	return true;
}

/* Mark @list's objects of @slab free in @map. */
static void mark_free(struct ka_check *ck, struct kmem_cache *s, struct slab *slab, void *fp,
		      unsigned long *map)
{
	char *base = slab_address(slab);

	for (unsigned int n = 0; fp && n <= slab->objects; n++, fp = get_freepointer(s, fp)) {
		size_t off = (size_t)((char *)restore_red_left(s, fp) - base);

		if (!KA_CHECK(ck, off % s->size == 0 && off / s->size < slab->objects,
			      "slab 0x%lx of %s: freelist entry 0x%lx not an object\n",
			      slab_kaddr(base), s->name, slab_kaddr(fp)))
			return;
		map[off / s->size / 64] |= 1UL << (off / s->size % 64);
	}
}

/* [from, to) granules of @o's shadow all @value. */
static bool granules_are(struct ka_check *ck, struct kmem_cache *s, const char *o,
			 const uint8_t *sh, unsigned long from, unsigned long to, uint8_t value,
			 const char *what)
{
	for (unsigned long g = from; g < to; g++)
		if (!KA_CHECK(ck, sh[g] == value, "%s object 0x%lx of %s: granule %lu is %02x, not %02x\n",
			      what, slab_kaddr(o), s->name, g, sh[g], value))
			return false;
	return true;
}

static bool all_freed(const uint8_t *sh, unsigned long granules)
{
	for (unsigned long g = 0; g < granules; g++)
		if (sh[g] != KASAN_SLAB_FREE)
			return false;
	return true;
}

static void check_slab(struct ka_check *ck, struct slab *slab)
{
	struct kmem_cache *s = slab->slab_cache;
	unsigned long map[(MAX_OBJS_PER_PAGE + 63) / 64];
	char *base = slab_address(slab);
	char *end = base + (PAGE_SIZE << slab_order(slab));
	unsigned long obj_granules = ALIGN(s->object_size, KASAN_GRANULE_SIZE) >> 3;
	int owner = slab_owner(slab);

	if (!s->kasan_info.alloc_meta_offset || is_kfence_address(base))
		return;
	memset(map, 0, ((slab->objects + 63) / 64) * sizeof(map[0]));
	mark_free(ck, s, slab, fc_freelist(slab, slab_fc(slab)), map);
	mark_free(ck, s, slab, local_head(slab), map);
	if (owner && s->cpu_slab[owner - 1].slab == slab)
		mark_free(ck, s, slab, s->cpu_slab[owner - 1].freelist, map);
	for (unsigned int i = 0; i < slab->objects && ck->ok; i++) {
		char *o = base + (size_t)i * s->size + s->red_left_pad;
		char *slot_end = o + s->size < end ? o + s->size : end;
		unsigned long slot_granules = (unsigned long)(slot_end - o) >> 3;
		uint8_t *sh = kasan_shadow(ck->ks, o);

		if (!KA_CHECK(ck, sh, "slab 0x%lx of %s has no shadow\n", slab_kaddr(base), s->name))
			return;
		if ((map[i / 64] >> (i % 64)) & 1 || in_sorted(ck->sheaved, ck->nr_sheaved, o)) {
			/* KA2: a free object. */
			if (!(s->flags & SLAB_TYPESAFE_BY_RCU))
				for (unsigned long g = 0; g < obj_granules; g++)
					if (!KA_CHECK(ck, sh[g] == KASAN_SLAB_FREE ||
							  sh[g] == KASAN_SLAB_REDZONE,
						      "free object 0x%lx of %s: granule %lu is %02x\n",
						      slab_kaddr(o), s->name, g, sh[g]))
						break;
			granules_are(ck, s, o, sh, obj_granules, slot_granules, KASAN_SLAB_REDZONE,
				     "free");
		} else if (in_sorted(ck->quarantined, ck->nr_quarantined, o)) {
			/* KA2: check_quarantine() saw the object itself. */
			granules_are(ck, s, o, sh, obj_granules, slot_granules, KASAN_SLAB_REDZONE,
				     "quarantined");
		} else if (s->flags & SLAB_CONSISTENCY_CHECKS &&
			   all_freed(sh, obj_granules)) {
			/* Leaked after KASAN's free: slub_debug found it corrupt and
			 * did not free it ("Object at ... not freed"), as in Linux. */
			granules_are(ck, s, o, sh, obj_granules, slot_granules, KASAN_SLAB_REDZONE,
				     "leaked");
		} else {
			/* KA1: an allocated object. */
			size_t req = kasan_get_alloc_meta(s, o)->requested;
			unsigned long full = req >> 3;

			if (!KA_CHECK(ck, req <= s->object_size,
				      "object 0x%lx of %s: requested %zu > object_size %u\n",
				      slab_kaddr(o), s->name, req, s->object_size))
				return;
			if (!granules_are(ck, s, o, sh, 0, full, 0, "allocated"))
				return;
			if (req & KASAN_GRANULE_MASK &&
			    !KA_CHECK(ck, sh[full] == (req & KASAN_GRANULE_MASK),
				      "allocated object 0x%lx of %s (%zu bytes): granule %lu is %02x, not %02zx\n",
				      slab_kaddr(o), s->name, req, full, sh[full],
				      req & KASAN_GRANULE_MASK))
				return;
			granules_are(ck, s, o, sh, ALIGN(req, KASAN_GRANULE_SIZE) >> 3, slot_granules,
				     KASAN_SLAB_REDZONE, "allocated");
		}
	}
}

/* KA1, KA2: every slab of the machine, found in the memmap. */
static void check_slabs(struct ka_check *ck)
{
	struct zone *zone;

	for_each_populated_zone(zone) {
		unsigned long pfn = zone->zone_start_pfn;
		unsigned long end = pfn + zone->spanned_pages;

		while (pfn < end && ck->ok) {
			struct page *page;

			if (!pfn_valid(pfn)) {
				pfn++;
				continue;
			}
			page = pfn_to_page(pfn);
			if (PageSlab(page) && !PageTail(page) && !PageHighMem(page)) {
				struct slab *slab = (struct slab *)page;

				check_slab(ck, slab);
				pfn += 1UL << slab_order(slab);
			} else {
				pfn++;
			}
		}
	}
}

/* KA4: every free buddy block is KASAN_PAGE_FREE. */
#define FF_CHUNK	8192	/* one 64K page's shadow: the largest PAGE_SIZE */
static const uint8_t page_free[FF_CHUNK] = { [0 ... FF_CHUNK - 1] = KASAN_PAGE_FREE };

/* The first byte of sh[0, len) that is not ff, or len. */
static unsigned long first_not_free(const uint8_t *sh, unsigned long len)
{
	for (unsigned long off = 0; off < len; off += FF_CHUNK) {
		unsigned long n = len - off < FF_CHUNK ? len - off : FF_CHUNK;

		if (memcmp(sh + off, page_free, n))
			for (unsigned long i = off; i < off + n; i++)
				if (sh[i] != KASAN_PAGE_FREE)
					return i;
	}
	return len;
}

static void check_free_pages(struct ka_check *ck)
{
	struct zone *zone;

	for_each_populated_zone(zone) {
		spin_lock(&zone->lock);
		for (unsigned int order = 0; order < NR_PAGE_ORDERS && ck->ok; order++) {
			for (int mt = 0; mt < MIGRATE_TYPES && ck->ok; mt++) {
				struct page *page;

				list_for_each_entry(page, &zone->free_area[order].free_list[mt], lru) {
					unsigned long len = (PAGE_SIZE << order) >> KASAN_SHADOW_SCALE_SHIFT;
					const uint8_t *sh;
					unsigned long bad;

					if (PageHighMem(page))
						continue;
					sh = kasan_shadow(ck->ks, page_address(page));
					if (!KA_CHECK(ck, sh, "free page pfn %#lx has no shadow\n",
						      page_to_pfn(page)))
						break;
					bad = first_not_free(sh, len);
					if (!KA_CHECK(ck, bad == len,
						      "free page pfn %#lx (order %u block at pfn %#lx): shadow %02x at +%#lx, not ff\n",
						      page_to_pfn(page) + (bad << KASAN_SHADOW_SCALE_SHIFT >> PAGE_SHIFT),
						      order, page_to_pfn(page), sh[bad < len ? bad : 0],
						      bad << KASAN_SHADOW_SCALE_SHIFT))
						break;
				}
			}
		}
		spin_unlock(&zone->lock);
		if (!ck->ok)
			break;
	}
}

/**
 * kasan_is_valid - KASAN's shadow agrees with the allocators (KA1..KA4 atop this file)
 *
 * Context: a CPU of the machine, which must be quiet; takes slab_mutex,
 * the barn locks, the quarantine's lock and each zone->lock in turn.
 * Return: true (also when the machine runs without KASAN), or false after
 * a pr_err naming the first violation.
 */
bool kasan_is_valid(void)
{
	struct ka_check ck = { .ks = kasan_current(), .ok = true };
	struct mmsim *m = current_machine();

	if (!ck.ks || !m)
		return true;
	/* Without host memory to hold the sets, only KA4 can be checked. */
	if (collect_sheaves(&ck, m) && check_quarantine(&ck) && ck.ok)
		check_slabs(&ck);
	if (ck.ok)
		check_free_pages(&ck);
	free(ck.sheaved);
	free(ck.quarantined);
	return ck.ok;
}

#endif /* CONFIG_KASAN */
