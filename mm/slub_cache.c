// SPDX-License-Identifier: GPL-2.0
/*
 * mm/slub_cache.c - a SLUB cache's geometry and its life: where the free
 * pointer, red zones and tracking go in an object and how big a slab is
 * (calculate_sizes, calculate_order: SLUB's rules, in the theory atop
 * mm/slub.c), the per-CPU and per-node state a cache opens with and the
 * switch its fast paths test (s->hooks), and shrinking, shutting down and
 * releasing it.  mm/slab_common.c calls these under slab_mutex; the
 * flushes they start (flush_all, mm/slub_sheaves.c) take the slab layer's
 * locks as mm/slub.c orders them.
 *
 * Invariants: s->size >= s->inuse >= s->object_size, s->size a multiple
 * of s->align; s->oo.objects * s->size <= PAGE_SIZE << s->oo.order;
 * s->hooks == (debug flags || init_on_alloc/free applies || failslab on ||
 * kasan=on || kmsan=on || the machine has a KFENCE pool || kmemleak=on and
 * the cache is not SLAB_NOLEAKTRACE),
 * so that a fast path that finds it clear may skip every hook.
 */
#include <stdlib.h>
#include <string.h>
#include <mmsim/kmemleak.h>
#include "mm/slab.h"

/* ---------------------------------------------------------------------
 * Cache setup
 */

static unsigned int calc_slab_order(unsigned int size, unsigned int min_order,
				    unsigned int max_order, unsigned int fract_leftover)
{
	unsigned int order;

	for (order = min_order; order <= max_order; order++) {
		unsigned long slab_size = PAGE_SIZE << order;
		unsigned long rem = slab_size % size;

		if (rem <= slab_size / fract_leftover)
			break;
	}
	return order;
}

static int calculate_order(struct slab_globals *sg, unsigned int size)
{
	unsigned int order, min_objects, max_objects, min_order;

	min_objects = sg->slub_min_objects;
	if (!min_objects)
		min_objects = 4 * ((unsigned int)fls((unsigned int)sg->nr_cpus) + 1);
	max_objects = max(order_objects(sg->slub_max_order, size), 1U);
	min_objects = min(min_objects, max_objects);
	min_order = max(sg->slub_min_order, get_order((unsigned long)min_objects * size));
	if (order_objects(min_order, size) > MAX_OBJS_PER_PAGE)
		return (int)get_order((unsigned long)size * MAX_OBJS_PER_PAGE) - 1;
	for (unsigned int fraction = 16; fraction > 1; fraction /= 2) {
		order = calc_slab_order(size, min_order, sg->slub_max_order, fraction);
		if (order <= sg->slub_max_order)
			return (int)order;
	}
	order = get_order(size);
	if (order <= MAX_PAGE_ORDER)
		return (int)order;
	return -ENOSYS;
}

static bool calculate_sizes(struct kmem_cache *s)
{
	slab_flags_t flags = s->flags;
	unsigned int size = ALIGN(s->object_size, (unsigned int)sizeof(void *));
	int order;

	if ((flags & SLAB_POISON) && !(flags & SLAB_TYPESAFE_BY_RCU) && !s->ctor)
		s->flags |= __OBJECT_POISON;
	else
		s->flags &= ~__OBJECT_POISON;
	if ((flags & SLAB_RED_ZONE) && size == s->object_size)
		size += sizeof(void *);
	s->inuse = size;
	if ((flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON)) || s->ctor ||
	    ((flags & SLAB_RED_ZONE) &&
	     (s->object_size < sizeof(void *) || slub_debug_orig_size(s)))) {
		s->offset = size;
		size += sizeof(void *);
	} else {
		s->offset = ALIGN_DOWN(s->object_size / 2, (unsigned int)sizeof(void *));
	}
	if (flags & SLAB_STORE_USER) {
		size += 2 * sizeof(struct track);
		if (flags & SLAB_KMALLOC)
			size += sizeof(unsigned int);
	}
	kasan_cache_create(s, &size);
	s->red_left_pad = 0;
	if (flags & SLAB_RED_ZONE) {
		size += sizeof(void *);
		s->red_left_pad = ALIGN((unsigned int)sizeof(void *), s->align);
		size += s->red_left_pad;
	}
	size = ALIGN(size, s->align);
	s->size = size;
	order = calculate_order(s->sg, size);
	if (order < 0)
		return false;
	s->allocflags = 0;
	if (s->flags & SLAB_CACHE_DMA)
		s->allocflags |= __GFP_DMA;
	if (s->flags & SLAB_CACHE_DMA32)
		s->allocflags |= __GFP_DMA32;
	if (s->flags & SLAB_RECLAIM_ACCOUNT)
		s->allocflags |= __GFP_RECLAIMABLE;
	s->oo.order = (unsigned int)order;
	s->oo.objects = order_objects((unsigned int)order, size);
	s->min.order = get_order(size);
	s->min.objects = order_objects(s->min.order, size);
	return s->oo.objects != 0;
}

/*
 * set_cpu_partial - the partial stack bound, Linux's: cpu_partial objects
 * per CPU (6 .. 120 by size), reckoning slabs half full, so
 * 2 * cpu_partial / objects slabs.  (Before the sheaves took the random-
 * size benchmark's churn, the stack needed 16 times as many slabs.)
 */
static void set_cpu_partial(struct kmem_cache *s)
{
	unsigned int nr_objects;

	if (kmem_cache_debug(s))
		nr_objects = 0;
	else if (s->size >= PAGE_SIZE)
		nr_objects = 6;
	else if (s->size >= 1024)
		nr_objects = 24;
	else if (s->size >= 256)
		nr_objects = 52;
	else
		nr_objects = 120;
	s->cpu_partial_slabs = nr_objects ? DIV_ROUND_UP(nr_objects * 2, s->oo.objects) : 0;
}

/* Recompute the fast-path switch (after failslab or init_on_* change). */
static void update_hooks(struct kmem_cache *s)
{
	struct slab_globals *sg = s->sg;
	bool no_init = s->ctor || (s->flags & (SLAB_TYPESAFE_BY_RCU | SLAB_POISON));

	s->want_init_alloc = sg->init_on_alloc && !no_init;
	s->want_init_free = sg->init_on_free && !no_init;
	WRITE_ONCE(s->hooks, kmem_cache_debug(s) || s->want_init_alloc || s->want_init_free ||
				     READ_ONCE(sg->failslab_on) || kasan_enabled() ||
				     kmsan_machine_on() || kfence_pool_present() ||
				     (kmemleak_on(current_machine()) && !(s->flags & SLAB_NOLEAKTRACE)));
}

int kmem_cache_open(struct kmem_cache *s, slab_flags_t flags)
{
	struct mmsim *m = current_machine();

	s->flags = flags;
	if (!calculate_sizes(s))
		return -EINVAL;
	s->min_partial = clamp((unsigned long)ilog2_u64(s->size) / 2, 5UL, 10UL);
	set_cpu_partial(s);
	/* s->cpu_slab[] came zeroed with the cache (create_cache). */
	VM_BUG_ON(s->cpu_slab != kmem_cache_cpu_base(s));
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		INIT_LIST_HEAD(&s->cpu_slab[cpu].owned);
	for (int cpu = 0; cpu < m->nr_cpus; cpu++)
		s->cpu_slab[cpu].pcs.main = &bootstrap_sheaf;
	s->nr_nodes = m->nr_nodes;
	for (int nid = 0; nid < s->nr_nodes; nid++) {
		struct kmem_cache_node *n = calloc(1, sizeof(*n));

		if (!n)
			return -ENOMEM;
		spin_lock_init(&n->list_lock);
		INIT_LIST_HEAD(&n->partial);
		INIT_LIST_HEAD(&n->full);
		spin_lock_init(&n->barn.lock);
		INIT_LIST_HEAD(&n->barn.sheaves_full);
		INIT_LIST_HEAD(&n->barn.sheaves_empty);
		s->node[nid] = n;
	}
	s->sheaf_capacity = calculate_sheaf_capacity(s);
	if (init_percpu_sheaves(s, m->nr_cpus))
		return -ENOMEM;
	update_hooks(s);
	return 0;
}

void __kmem_cache_alias_update(struct kmem_cache *s, unsigned int size)
{
	(void)size;
	update_hooks(s);
}

void __kmem_cache_release(struct kmem_cache *s)
{
	for (int cpu = 0; cpu < s->sg->nr_cpus; cpu++) {
		struct slub_percpu_sheaves *pcs = &s->cpu_slab[cpu].pcs;

		free_empty_sheaf(pcs->main);
		free_empty_sheaf(pcs->spare);
		pcs->main = &bootstrap_sheaf;
		pcs->spare = NULL;
	}
	for (int nid = 0; nid < s->nr_nodes; nid++) {
		if (s->node[nid])
			barn_empty_out(s, s->node[nid], false);
		free(s->node[nid]);
		s->node[nid] = NULL;
	}
}

/*
 * Free the empty partial slabs of @n; with @report (shutdown), name the
 * objects still in the others.
 */
static void free_partial(struct kmem_cache *s, struct kmem_cache_node *n, bool report)
{
	struct slab *slab, *h;
	LIST_HEAD(discard);

	spin_lock(&n->list_lock);
	list_for_each_entry_safe(slab, h, &n->partial, slab_list) {
		if (!slab_inuse(slab)) {
			remove_partial(n, slab);
			list_add(&slab->slab_list, &discard);
		} else if (report) {
			list_slab_objects(s, slab,
					  "Objects remaining in %s on __kmem_cache_shutdown()");
		}
	}
	spin_unlock(&n->list_lock);
	list_for_each_entry_safe(slab, h, &discard, slab_list)
		discard_slab(s, slab);
}

/* 0 when the cache is empty and its slabs are gone; 1 when objects remain. */
int __kmem_cache_shutdown(struct kmem_cache *s)
{
	if (kasan_enabled())
		kasan_cache_shutdown(s);	/* its objects leave the quarantine */
	flush_all(s, true);
	for (int nid = 0; nid < s->nr_nodes; nid++) {
		struct kmem_cache_node *n = s->node[nid];

		free_partial(s, n, true);
		if (n->nr_partial || atomic_long_read(&n->nr_slabs))
			return 1;
	}
	return 0;
}

/* Give back every empty slab: 0 when the cache holds no slab after. */
int __kmem_cache_shrink(struct kmem_cache *s)
{
	int ret = 0;

	if (kasan_enabled())
		kasan_cache_shrink(s);
	flush_all(s, false);
	for (int nid = 0; nid < s->nr_nodes; nid++) {
		struct kmem_cache_node *n = s->node[nid];

		free_partial(s, n, false);
		if (atomic_long_read(&n->nr_slabs))
			ret = 1;
	}
	return ret;
}
