// SPDX-License-Identifier: GPL-2.0
/*
 * mm/slub_sheaves.c - SLUB's per-CPU sheaves (Linux 6.18; every cache has
 * them since 7.0): the node barns, the slow paths that trade, refill and
 * spill whole sheaves, flushing (flush_all), and the prefilled-sheaf API.
 *
 * The fast paths stay in mm/slub.c: alloc_from_pcs()/free_to_pcs() pop and
 * push main's top inline in kmalloc/kfree and kmem_cache_alloc/free, so
 * those never leave that file while main has an object (or room).  Only
 * when it has none do they call in here (pcs_alloc_slow/pcs_free_slow),
 * once a sheaf; the CPU slab layer below is reached through mm/slab.h's
 * inline __slab_alloc_cpu()/do_slab_free().
 *
 * How sheaves move.  A CPU allocates from the top of its main sheaf and
 * frees onto it.  When main runs dry it trades places with the spare if
 * that is full, else with a full sheaf from the node's barn (leaving the
 * empty one there), else it is refilled from the slabs (refill_sheaf).
 * When main fills up it trades places with the spare if that is empty,
 * else goes to the barn for an empty one; when the barn already holds
 * MAX_FULL_SHEAVES full sheaves, main's objects go back to their slabs
 * instead (sheaf_flush).  So a CPU touches the slabs - and the objects'
 * free pointers - only a sheaf at a time, and objects freed on another CPU
 * come back through the barn.
 *
 * Data structures (mm/slab.h)
 * ===============
 *   struct slab_sheaf           objects[0..size) free objects of one cache,
 *                               room for capacity; host memory, whole
 *                               64-byte lines (alloc_sheaf)
 *   struct slub_percpu_sheaves  a CPU's main and spare (kmem_cache_cpu.pcs)
 *   struct node_barn            a node's full and empty sheaves
 *                               (kmem_cache_node.barn), with their counts
 *   bootstrap_sheaf             capacity 0, size 0: every CPU's main in a
 *                               cache without sheaves (sheaf_capacity 0:
 *                               debug caches, SLAB_NO_SHEAVES, NOLEAKTRACE)
 *
 * States of a sheaf of the cache's capacity: a CPU's main (any size); a
 * CPU's spare (empty or full); in a barn (full on sheaves_full, empty on
 * sheaves_empty); prefilled (a caller's, from kmem_cache_prefill_sheaf()
 * until kmem_cache_return_sheaf()); or free()d.  A sheaf of another
 * capacity (oversize, prefill_oversize) is only ever prefilled.  Objects in
 * a sheaf count as in use in their slabs.
 *
 * Locks
 * =====
 *   node_barn.lock  a barn's lists and counts.  A leaf: held with no other
 *                   lock, and nothing is called under it; nr_full and
 *                   nr_empty are read without it (READ_ONCE) as hints.
 *   A CPU's sheaves need no lock: only the thread on that CPU touches them,
 *   or a flusher that borrowed the CPU (flush_all).  A prefilled sheaf is
 *   its caller's.  Objects going back to their slabs (sheaf_flush) take the
 *   slab layer's locks (mm/slub.c), never with a barn lock held.
 *
 * Invariants (slab_is_valid(), mm/slub_debug.c, checks them while the
 * cache is quiet)
 * ==========
 *   every CPU: pcs.main != NULL; pcs.spare == NULL, or pcs.spare->size is
 *     0 or sheaf_capacity
 *   sheaf_capacity == 0 => every main == &bootstrap_sheaf, every spare ==
 *     NULL, and bootstrap_sheaf.size == 0
 *   sheaf_capacity != 0 => no main is &bootstrap_sheaf
 *   every sheaf of a CPU or barn: cache == s, capacity == sheaf_capacity,
 *     size <= capacity
 *   every barn: nr_full == |sheaves_full| <= MAX_FULL_SHEAVES, nr_empty ==
 *     |sheaves_empty| <= MAX_EMPTY_SHEAVES; the sheaves on sheaves_full
 *     have size == sheaf_capacity, those on sheaves_empty size == 0
 *   every object in a CPU's or barn's sheaf is an object of the cache, of
 *     that CPU's or barn's node, on no freelist, and in no other sheaf
 */
#include <stdlib.h>
#include <string.h>
#include <mmsim/kmemleak.h>
#include "mm/slab.h"

/*
 * The sheaf every CPU's main points at in a cache without sheaves (debug
 * caches): room for nothing and nothing in it, so both fast paths fall
 * into the slow ones, which see sheaf_capacity == 0 and use the slabs.
 * Never written.
 */
struct slab_sheaf bootstrap_sheaf;

/* ---------------------------------------------------------------------
 * Sheaves and barns
 */

static inline struct node_barn *get_barn(struct kmem_cache *s)
{
	return &get_node(s, numa_node_id())->barn;
}

/*
 * A sheaf with room for @capacity objects, empty.  Sheaves are whole cache
 * lines of their own: the top of one CPU's main sheaf, written on every
 * free, must not share a line with the header of another CPU's.
 */
static struct slab_sheaf *alloc_sheaf(struct kmem_cache *s, unsigned int capacity)
{
	size_t bytes = ALIGN(sizeof(struct slab_sheaf) + capacity * sizeof(void *), 64);
	struct slab_sheaf *sheaf = aligned_alloc(64, bytes);

	if (!sheaf)
		return NULL;
	INIT_LIST_HEAD(&sheaf->barn_list);
	sheaf->cache = s;
	sheaf->size = 0;
	sheaf->capacity = capacity;
	return sheaf;
}

static struct slab_sheaf *alloc_empty_sheaf(struct kmem_cache *s)
{
	return alloc_sheaf(s, s->sheaf_capacity);
}

void free_empty_sheaf(struct slab_sheaf *sheaf)
{
	if (sheaf && sheaf != &bootstrap_sheaf)
		free(sheaf);
}

/* Take the first sheaf of @list (@barn's full or empty one, @nr its
 * count), or NULL. */
static struct slab_sheaf *barn_take(struct node_barn *barn, struct list_head *list,
				    unsigned int *nr)
{
	struct slab_sheaf *sheaf = NULL;

	if (!READ_ONCE(*nr))
		return NULL;
	spin_lock(&barn->lock);
	if (*nr) {
		sheaf = list_first_entry(list, struct slab_sheaf, barn_list);
		list_del_init(&sheaf->barn_list);
		WRITE_ONCE(*nr, *nr - 1);
	}
	spin_unlock(&barn->lock);
	return sheaf;
}

/* Put @sheaf on @list of @barn unless it holds @max already: false then. */
static bool barn_store(struct node_barn *barn, struct slab_sheaf *sheaf, struct list_head *list,
		       unsigned int *nr, unsigned int max)
{
	bool stored = false;

	spin_lock(&barn->lock);
	if (*nr < max) {
		list_add(&sheaf->barn_list, list);
		WRITE_ONCE(*nr, *nr + 1);
		stored = true;
	}
	spin_unlock(&barn->lock);
	return stored;
}

static struct slab_sheaf *barn_get_full(struct node_barn *barn)
{
	return barn_take(barn, &barn->sheaves_full, &barn->nr_full);
}

static struct slab_sheaf *barn_get_empty(struct node_barn *barn)
{
	return barn_take(barn, &barn->sheaves_empty, &barn->nr_empty);
}

/* Store full @sheaf in @barn: false when the barn has no room for it. */
static bool barn_put_full(struct node_barn *barn, struct slab_sheaf *sheaf)
{
	return barn_store(barn, sheaf, &barn->sheaves_full, &barn->nr_full, MAX_FULL_SHEAVES);
}

/* Store empty @sheaf in @barn, or free it when the barn has enough. */
static void barn_put_empty(struct node_barn *barn, struct slab_sheaf *sheaf)
{
	if (!barn_store(barn, sheaf, &barn->sheaves_empty, &barn->nr_empty, MAX_EMPTY_SHEAVES))
		free_empty_sheaf(sheaf);
}

/* Give every object of @sheaf back to its slab; @sheaf is left empty. */
static void sheaf_flush(struct kmem_cache *s, struct slab_sheaf *sheaf)
{
	free_to_slabs_bulk(s, sheaf->size, sheaf->objects);
	sheaf->size = 0;
}

/*
 * Fill @sheaf from the CPU slab layer; true if it holds an object after.
 * It takes what the slabs already have, up to its capacity, and new slabs
 * only while it holds fewer than @min: a main sheaf asks for one, so a
 * cache's first object costs one slab, as it would without sheaves.
 */
static bool refill_sheaf(struct kmem_cache *s, struct kmem_cache_cpu *c, struct slab_sheaf *sheaf,
			 gfp_t gfpflags, unsigned int min)
{
	unsigned int old_size = sheaf->size;

	while (sheaf->size < sheaf->capacity) {
		void *object = __slab_alloc_cpu(s, gfpflags, NUMA_NO_NODE, c, sheaf->size < min);

		if (unlikely(!object))
			break;
		sheaf->objects[sheaf->size++] = object;
	}
	/* Top first: hand them out in the slab freelist's (address) order. */
	for (unsigned int i = old_size, j = sheaf->size; i + 1 < j; i++, j--)
		swap(sheaf->objects[i], sheaf->objects[j - 1]);
	return sheaf->size != 0;
}

/*
 * Give main, which ran dry, a full sheaf: the spare, else one from the
 * barn, else (@from_slabs) fill it from the slabs.  False: none to be had.
 */
bool replace_empty_main(struct kmem_cache *s, struct kmem_cache_cpu *c, gfp_t gfpflags,
			bool from_slabs)
{
	struct slub_percpu_sheaves *pcs = &c->pcs;
	struct slab_sheaf *full;

	if (pcs->spare && pcs->spare->size) {
		swap(pcs->main, pcs->spare);
		return true;
	}
	full = barn_get_full(get_barn(s));
	if (full) {
		if (!pcs->spare)
			pcs->spare = pcs->main;
		else
			barn_put_empty(get_barn(s), pcs->main);
		pcs->main = full;
		return true;
	}
	return from_slabs && refill_sheaf(s, c, pcs->main, gfpflags, 1);
}

/*
 * Give main, which is full, room: trade it for the spare if that is empty,
 * else for an empty sheaf (the barn's, or a new one) and keep it as the
 * spare or store it in the barn; when the barn is full too, or no sheaf
 * can be had, its objects go back to their slabs.
 */
static void replace_full_main(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slub_percpu_sheaves *pcs = &c->pcs;
	struct node_barn *barn = get_barn(s);
	struct slab_sheaf *empty;

	if (pcs->spare && !pcs->spare->size) {
		swap(pcs->main, pcs->spare);
		return;
	}
	if (pcs->spare && READ_ONCE(barn->nr_full) >= MAX_FULL_SHEAVES)
		goto flush;
	empty = barn_get_empty(barn);
	if (!empty)
		empty = alloc_empty_sheaf(s);
	if (!empty)
		goto flush;
	if (!pcs->spare) {
		pcs->spare = pcs->main;
	} else if (!barn_put_full(barn, pcs->main)) {
		barn_put_empty(barn, empty);
		goto flush;
	}
	pcs->main = empty;
	return;
flush:
	sheaf_flush(s, pcs->main);
}

/* ---------------------------------------------------------------------
 * Flushing
 */

/* Give back this CPU's sheaves' objects; main stays (empty), spare goes. */
void flush_cpu_sheaves(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slub_percpu_sheaves *pcs = &c->pcs;

	if (!s->sheaf_capacity)
		return;
	sheaf_flush(s, pcs->main);
	if (pcs->spare) {
		sheaf_flush(s, pcs->spare);
		free_empty_sheaf(pcs->spare);
		pcs->spare = NULL;
	}
}

/*
 * Take every sheaf out of @n's barn: give back the full ones' objects
 * (@flush) and free the sheaves.  Without @flush (the cache is being
 * released with its RAM), only the host memory goes.
 */
void barn_empty_out(struct kmem_cache *s, struct kmem_cache_node *n, bool flush)
{
	struct node_barn *barn = &n->barn;
	struct slab_sheaf *sheaf, *next;
	LIST_HEAD(full);
	LIST_HEAD(empty);

	spin_lock(&barn->lock);
	list_splice_tail_init(&barn->sheaves_full, &full);
	list_splice_tail_init(&barn->sheaves_empty, &empty);
	WRITE_ONCE(barn->nr_full, 0);
	WRITE_ONCE(barn->nr_empty, 0);
	spin_unlock(&barn->lock);
	list_for_each_entry_safe(sheaf, next, &full, barn_list) {
		if (flush)
			sheaf_flush(s, sheaf);
		free_empty_sheaf(sheaf);
	}
	list_for_each_entry_safe(sheaf, next, &empty, barn_list)
		free_empty_sheaf(sheaf);
}

static void barn_shrink(struct kmem_cache *s, struct kmem_cache_node *n)
{
	barn_empty_out(s, n, true);
}

/*
 * flush_all - give back every CPU's sheaves and slabs of @s, and the
 * barns' sheaves.  Our own CPU and CPUs no thread holds are flushed now; a
 * CPU another thread is on is asked (flush_pending) and flushes on its
 * next slow path, unless @force says the cache is quiet
 * (kmem_cache_destroy), when it is flushed from here.  Sheaves go first,
 * all of them: their objects land in slabs other CPUs may own, which the
 * second pass then gives back.
 */
void flush_all(struct kmem_cache *s, bool force)
{
	struct mmsim *m = current_machine();
	bool *flushed;		/* CPUs whose sheaves pass 0 gave back */

	if (kmem_cache_debug(s))
		return;
	flushed = calloc((size_t)m->nr_cpus, sizeof(*flushed));
	for (int pass = 0; pass < 2; pass++) {
		for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
			struct kmem_cache_cpu *c = &s->cpu_slab[cpu];
			bool borrowed = false;

			if (cpu != current_cpu->id && !force) {
				borrowed = cpu_borrow(&m->cpus[cpu]);
				if (!borrowed) {
					atomic_store_explicit(&c->flush_pending, 1,
							      memory_order_release);
					continue;
				}
			}
			if (pass == 0 || (flushed && !flushed[cpu]))
				flush_cpu_sheaves(s, c);
			if (pass == 0 && flushed)
				flushed[cpu] = true;
			else if (pass == 1)
				flush_cpu_slab(s, c);
			if (borrowed)
				cpu_return(&m->cpus[cpu]);
		}
		if (pass == 0)
			for (int nid = 0; nid < s->nr_nodes; nid++)
				barn_shrink(s, s->node[nid]);
	}
	free(flushed);
}

/* ---------------------------------------------------------------------
 * The slow paths of the fast paths: main ran dry or filled up (or the cache
 * has no sheaves, or the object is another node's).  Called from
 * mm/slub.c's fast paths, once a sheaf.
 */

/* Main ran dry (or the cache has no sheaves): refill it and pop. */
noinline void *pcs_alloc_slow(struct kmem_cache *s, gfp_t gfpflags, struct kmem_cache_cpu *c)
{
	void *object;

	flush_cpu_if_asked(s, c);
	if (unlikely(!s->sheaf_capacity))
		object = slab_alloc_cpu(s, gfpflags, NUMA_NO_NODE, c);
	else if (likely(replace_empty_main(s, c, gfpflags, true)))
		object = c->pcs.main->objects[--c->pcs.main->size];
	else
		return NULL;
	if (unlikely(object && (gfpflags & __GFP_ZERO)))
		memset(object, 0, s->object_size);
	return object;
}

/*
 * Main is full, @x is on top of it already, @x is another node's object,
 * or the cache has no sheaves.  Another node's object goes straight to
 * its slab (a sheaf holds local objects only), as does every object of a
 * cache without sheaves.
 */
noinline void pcs_free_slow(struct kmem_cache *s, struct kmem_cache_cpu *c,
			    struct slab *slab, void *x)
{
	struct slab_sheaf *main;

	flush_cpu_if_asked(s, c);
	if (unlikely(!s->sheaf_capacity || slab_nid(slab) != numa_node_id())) {
		do_slab_free(s, slab, x);
		return;
	}
	main = c->pcs.main;
	if (unlikely(main->size && main->objects[main->size - 1] == x)) {
		double_free_bug(s, x);
		return;
	}
	if (main->size == main->capacity) {
		replace_full_main(s, c);
		main = c->pcs.main;
	}
	main->objects[main->size++] = x;
}

/* ---------------------------------------------------------------------
 * Prefilled sheaves: objects set aside for a section that must not fail
 */

/* A sheaf made for a request above the cache's capacity (or for a cache
 * without sheaves): it never goes to a CPU or a barn. */
static inline bool sheaf_is_oversize(struct kmem_cache *s, struct slab_sheaf *sheaf)
{
	return sheaf->capacity != s->sheaf_capacity || !s->sheaf_capacity;
}

/* An oversize sheaf of @size objects, filled whole, or NULL. */
static struct slab_sheaf *prefill_oversize(struct kmem_cache *s, gfp_t gfp, unsigned int size)
{
	struct slab_sheaf *sheaf = alloc_sheaf(s, size);

	if (!sheaf)
		return NULL;
	if (kmem_cache_alloc_bulk(s, gfp & ~__GFP_ZERO, size, sheaf->objects) != (int)size) {
		free(sheaf);
		return NULL;
	}
	sheaf->size = size;
	return sheaf;
}

/**
 * kmem_cache_prefill_sheaf - a sheaf holding at least @size objects of @s
 * @s: the cache
 * @gfp: how the objects may be allocated
 * @size: objects wanted
 *
 * This CPU's full spare, else a full sheaf from the barn, else a sheaf
 * filled from the slabs.  Return: the sheaf, or NULL when memory is short.
 */
struct slab_sheaf *kmem_cache_prefill_sheaf(struct kmem_cache *s, gfp_t gfp, unsigned int size)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);
	struct slab_sheaf *sheaf = NULL;

	if (size > s->sheaf_capacity || !s->sheaf_capacity)
		return prefill_oversize(s, gfp, size);
	flush_cpu_if_asked(s, c);
	if (c->pcs.spare && c->pcs.spare->size == s->sheaf_capacity) {
		sheaf = c->pcs.spare;
		c->pcs.spare = NULL;
		return sheaf;
	}
	sheaf = barn_get_full(get_barn(s));
	if (sheaf)
		return sheaf;
	sheaf = barn_get_empty(get_barn(s));
	if (!sheaf)
		sheaf = alloc_empty_sheaf(s);
	if (!sheaf)
		return NULL;
	refill_sheaf(s, c, sheaf, gfp & ~__GFP_ZERO, size);
	if (sheaf->size < size) {
		kmem_cache_return_sheaf(s, gfp, sheaf);
		return NULL;
	}
	return sheaf;
}

/**
 * kmem_cache_refill_sheaf - make *@sheafp hold at least @size objects
 *
 * A sheaf of the cache's capacity is filled up to it; beyond, it is
 * replaced by an oversize one.  Return: 0, or -ENOMEM (the sheaf as it was,
 * or fuller).
 */
int kmem_cache_refill_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf **sheafp,
			    unsigned int size)
{
	struct slab_sheaf *sheaf = *sheafp;

	if (sheaf->size >= size)
		return 0;
	if (size <= sheaf->capacity && !sheaf_is_oversize(s, sheaf)) {
		refill_sheaf(s, this_cpu_slab(s), sheaf, gfp & ~__GFP_ZERO, size);
		return sheaf->size >= size ? 0 : -ENOMEM;
	}
	sheaf = kmem_cache_prefill_sheaf(s, gfp, size);
	if (!sheaf)
		return -ENOMEM;
	kmem_cache_return_sheaf(s, gfp, *sheafp);
	*sheafp = sheaf;
	return 0;
}

/**
 * kmem_cache_alloc_from_sheaf - an object from a prefilled sheaf
 *
 * Return: the object (zeroed for __GFP_ZERO or init_on_alloc), or NULL
 * when the sheaf is empty: a caller that asked for too few.
 */
void *kmem_cache_alloc_from_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf *sheaf)
{
	void *object;

	if (WARN_ON_ONCE(!sheaf->size))
		return NULL;
	object = sheaf->objects[--sheaf->size];
	if ((gfp & __GFP_ZERO) || s->want_init_alloc)
		memset(object, 0, s->object_size);
	kmemleak_alloc_recursive(object, s->object_size, 1, s->flags, gfp);	/* slab_post_alloc_hook */
	return object;
}

/**
 * kmem_cache_return_sheaf - give back a prefilled sheaf and what is left
 *
 * It becomes this CPU's spare if there is none, or goes to the barn if
 * full and the barn has room; else its objects go back to their slabs.
 */
void kmem_cache_return_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf *sheaf)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);

	if (sheaf_is_oversize(s, sheaf)) {
		kmem_cache_free_bulk(s, sheaf->size, sheaf->objects);
		free(sheaf);
		return;
	}
	flush_cpu_if_asked(s, c);
	if (!c->pcs.spare) {
		/* Topped up from what the slabs have: a spare is full or empty. */
		refill_sheaf(s, c, sheaf, gfp & ~__GFP_ZERO, 0);
		if (sheaf->size == sheaf->capacity || !sheaf->size) {
			c->pcs.spare = sheaf;
			return;
		}
	}
	if (sheaf->size == sheaf->capacity && barn_put_full(get_barn(s), sheaf))
		return;
	sheaf_flush(s, sheaf);
	barn_put_empty(get_barn(s), sheaf);
}

/* The objects left in @sheaf. */
unsigned int kmem_cache_sheaf_size(struct slab_sheaf *sheaf)
{
	return sheaf->size;
}

/* ---------------------------------------------------------------------
 * Cache setup
 */

/* The kmalloc bucket size a request of @size bytes gets (8, 16, ..., 64,
 * 96, 128, 192, 256, ...). */
static size_t kmalloc_bucket_size(size_t size)
{
	if (size > 64 && size <= 96)
		return 96;
	if (size > 128 && size <= 192)
		return 192;
	return roundup_pow_of_two(max(size, (size_t)8));
}

/*
 * calculate_sheaf_capacity - objects per sheaf, as Linux 7.0 sizes them:
 * about the CPU partial budget, halved for two sheaves per CPU (4, 12, 26
 * or 60 by object size), then grown so that the sheaf fills its kmalloc
 * bucket exactly.  Debug caches have none: their checks live in the slab
 * paths, which every allocation and free must then take.
 */
unsigned int calculate_sheaf_capacity(struct kmem_cache *s)
{
	unsigned int capacity;
	size_t bytes;

	if (kmem_cache_debug(s) || (s->flags & (SLAB_NOLEAKTRACE | SLAB_NO_SHEAVES)))
		return 0;
	if (s->size >= PAGE_SIZE)
		capacity = 4;
	else if (s->size >= 1024)
		capacity = 12;
	else if (s->size >= 256)
		capacity = 26;
	else
		capacity = 60;
	bytes = kmalloc_bucket_size(sizeof(struct slab_sheaf) + capacity * sizeof(void *));
	return (unsigned int)((bytes - sizeof(struct slab_sheaf)) / sizeof(void *));
}

/* Every CPU's main sheaf (none of them: bootstrap_sheaf). */
int init_percpu_sheaves(struct kmem_cache *s, int nr_cpus)
{
	for (int cpu = 0; cpu < nr_cpus; cpu++) {
		struct slub_percpu_sheaves *pcs = &s->cpu_slab[cpu].pcs;

		pcs->main = s->sheaf_capacity ? alloc_empty_sheaf(s) : &bootstrap_sheaf;
		if (!pcs->main) {
			pcs->main = &bootstrap_sheaf;
			return -ENOMEM;
		}
	}
	return 0;
}
