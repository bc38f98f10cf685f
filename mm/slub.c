// SPDX-License-Identifier: GPL-2.0
/*
 * mm/slub.c - SLUB, the slab allocator, on mmsim's page allocator: the
 * caches, their slabs and CPU slabs, and the alloc and free paths.
 *
 * Files
 * =====
 *   mm/slub.c          this theory; caches, slabs, the CPU slab layer, the
 *                      alloc/free fast paths with the sheaves' pop and push
 *   mm/slub_sheaves.c  the sheaves' barns, refill, spill and flush, and the
 *                      prefilled-sheaf API (3 below)
 *   mm/slub_debug.c    slub_debug: checks, tracking, reports and repair,
 *                      the debug caches' paths, validation (6 below)
 *   mm/slub_cache.c    a cache's geometry (object layout, slab order) and
 *                      its life: open, shrink, shutdown, release
 *   mm/slab.h          the types, and the inline helpers all three share
 *
 * Big theory statement
 * ====================
 *
 * 1. Slabs.  A cache hands out objects of one size.  Its objects live in
 *    slabs: compound pages of 2^order pages from alloc_pages(), PG_slab
 *    set on the head, whose struct page is read as a struct slab
 *    (mm/slab.h).  Object i of a slab starts at
 *        base + i * s->size + s->red_left_pad.
 *    A free object holds the address of the next free object at
 *    object + s->offset (in the middle of the object, or after it when the
 *    object must keep its contents: poisoning, constructors, red zones of
 *    tiny objects).  Order and objects per slab are chosen as SLUB chooses
 *    them (calculate_order: at least slub_min_objects objects, at most
 *    slub_max_order, waste under 1/16 .. 1/2 of the slab).
 *
 * 2. The slab freelist word.  Linux updates a slab's freelist and its
 *    counters {inuse, objects, frozen} together with a double-word
 *    cmpxchg.  Here they are one word (slab->fc): the freelist is kept as
 *    an offset into the slab, so one 64-bit compare-exchange does it.
 *    Objects on a CPU's private lists (c->freelist, slab->local) count as
 *    in use in that word.  A slab is in exactly one of these states:
 *      frozen       owned by one CPU (slab->owner), on that CPU's owned
 *                   list, and one of: its CPU slab; on its partial stack
 *                   (the slab's local freelist is not empty); dry (neither)
 *      node-partial on its node's partial list (node_partial == 1)
 *      full         on no list (debug caches: on the node's full list)
 *    A CPU sets slab->owner just after the compare-exchange that froze
 *    the slab and clears it just before the one that unfreezes it, so
 *    owner == this CPU means "mine" without a lock (as in Linux <= 6.7,
 *    and unlike 6.8, a CPU's partial slabs are frozen).
 *
 * 3. Sheaves (Linux 6.18; every cache has them since 7.0).  In front of
 *    everything below, each CPU has a main and a spare sheaf: arrays of
 *    free objects (struct slab_sheaf).  kmem_cache_alloc pops main's top,
 *    kmem_cache_free pushes onto it: no object is touched, and the object
 *    freed last is handed out next, still in the cache.  A dry main trades
 *    places with a full spare or a full sheaf from the node's barn, else
 *    is refilled from the CPU slab layer; a full main trades places with
 *    an empty spare or goes to the barn (MAX_FULL_SHEAVES), else its
 *    objects go back to their slabs (mm/slub_sheaves.c has the details).
 *    Objects in sheaves count as in use in their slabs.  Sheaves hold
 *    this node's objects only: another node's object, and node-bound
 *    allocations, go to the slab layer.  Debug caches have none
 *    (sheaf_capacity 0, main is bootstrap_sheaf).
 *
 *    The fast paths are short chains of dependent loads, and what bounds
 *    a kmalloc/kfree pair is the chain from the object to its sheaf.  So:
 *    kmem_cache.cpu_slab[] is part of the cache (this CPU's is at a
 *    constant offset, no pointer to load); kfree() learns the cache from
 *    the one word a slab's head page shares with a tail page's
 *    compound_head, and reaches the sheaf through the cache its thread
 *    last freed into when the page names the same one and that guess has
 *    been right lately (kfree_guess: the sheaf's address is then known
 *    before the page is read); a kmalloc()
 *    of a constant size picks its cache inline (include/mmsim/slab.h).
 *    Every one of them tests s->hooks first: debug caches, failslab,
 *    init_on_* and the debugging tools (KASAN, KFENCE, kmemleak, KMSAN;
 *    docs/debugging.md) take the hooked paths, which call the tools'
 *    hooks in Linux's order (slab_alloc_hooked, slab_free_hooked).
 *
 *    Below the sheaves, the CPU slab layer: each CPU has a kmem_cache_cpu.
 *    Only the thread on the CPU touches it (a CPU is entered by one thread
 *    at a time), so allocation pops c->freelist (the CPU slab's objects)
 *    with plain loads and stores.  A free on the CPU that owns the
 *    object's slab is plain stores too: onto c->freelist for the CPU
 *    slab, onto the slab's own local freelist for any other slab of ours
 *    (mimalloc's local_free);
 *    a dry slab that gets its first local free goes on the partial stack
 *    (or, if the CPU slab is dry too, becomes the CPU slab).
 *    When the CPU slab runs out, the next slab comes off the partial stack
 *    and its local freelist becomes c->freelist; the dry one stays ours.
 *    So a CPU that frees what it allocated - the common case - runs no
 *    locked instruction at all, however many slabs its objects are
 *    spread over.
 *
 * 4. Frees from other CPUs (__slab_free).  An object of a slab this CPU
 *    does not own is pushed on the slab's freelist word by compare-
 *    exchange, lock-free.  If the slab is frozen (another CPU's) that is
 *    all: the owner takes such remote frees with one exchange when its
 *    private lists run out (take_remote), and finds those of its dry
 *    slabs by looking at the oldest few (collect_remote) before it goes
 *    to the node.  If the slab was full and unowned, this CPU claims it
 *    instead: a compare-exchange that sets only frozen, then the object
 *    goes on the slab's local freelist - so the locked instruction never
 *    waits behind a store into a cold object.  The node's list_lock is
 *    taken only when the free changes the slab's node list (a node-partial
 *    slab becomes empty: freed when the node has min_partial slabs).
 *    Whole-list exchange means no ABA: nobody pops single objects from a
 *    slab freelist that another CPU may push to.
 *
 * 5. The slow path (___slab_alloc): remote frees of the CPU slab, else the
 *    partial stack, else remote frees of dry slabs, else the node partial
 *    list (taking a few more slabs onto the stack), else other nodes,
 *    else a new slab.  What a CPU holds is bounded: past cpu_partial_slabs
 *    the partial stack goes back to the node lists whole (Linux's
 *    put_partials), past MAX_CPU_OWNED_SLABS the oldest dry slabs are
 *    unfrozen; flush_all() (shrink, validate, destroy) gives back all.
 *
 * 6. Debug caches (slub_debug, SLAB_RED_ZONE, SLAB_POISON, SLAB_STORE_USER,
 *    SLAB_CONSISTENCY_CHECKS, SLAB_TRACE) never use CPU slabs: every
 *    alloc and free runs under the node's list_lock with its checks, as
 *    Linux's alloc_single_from_partial()/free_to_partial_list() do, and
 *    full slabs are kept on n->full so validate sees every slab.  Reports
 *    use SLUB's texts; the damage is repaired and the machine goes on.
 *    All of it is in mm/slub_debug.c; here only the hooks call it.
 *
 * Lock order
 * ==========
 *   1. slab_globals.slab_mutex   (slab_common.c: the cache list, create,
 *                                 destroy, merge, sysfs and slabinfo)
 *   2. kmem_cache_node.list_lock (partial and full lists, node_partial)
 *   3. zone->lock                (the page allocator, never called with 2)
 *   slab->fc is lock-free: a compare-exchange, taken with or without 2.
 *   node_barn.lock (a barn's sheaf lists) is a leaf: held with no other.
 *   A CPU's sheaves and lists (kmem_cache_cpu, and slab_list/next_partial/
 *   local of its frozen slabs) need no lock: only that CPU's thread
 *   touches them.
 *
 * Invariants (slab_is_valid(), mm/slub_debug.c, checks them while the
 * cache is quiet)
 * ==========
 *   for every slab: inuse + |slab freelist| == objects
 *   slab S frozen <=> S->owner == c + 1 for a CPU c and S is on c->owned
 *   c->slab is on c->owned, has no local freelist, and c->freelist lists
 *     only its objects; those and any slab's local objects count in inuse
 *   c->partial (the stack) == the slabs of c->owned other than c->slab
 *     whose local freelist is not empty; nr_partial and nr_owned count them
 *   an unfrozen slab has owner 0 and no local freelist
 *   node n: nr_partial == |n->partial|, every slab on it has node_partial
 *     set, is not frozen and has a free object (or is empty)
 *   sum over nodes of total_objects == sum over slabs of objects
 *   no object is on two freelists, every freelist entry is an object
 *     boundary inside its slab
 *   meminfo Slab bytes == sum over slabs of PAGE_SIZE << order (plus large
 *     kmalloc pages, which are not slabs)
 *   sheaves: main is never NULL; spare is NULL, empty or full; a barn's
 *     counts match its lists, its full sheaves are full and its empty ones
 *     empty; every object in a sheaf is an object of the cache, of the
 *     sheaf's node, on no freelist, and in no other sheaf (the precise
 *     list atop mm/slub_sheaves.c)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/kmsan.h>
#include <mmsim/kmemleak.h>
#include "mm/slab.h"

#define _RET_IP_ ((unsigned long)__builtin_return_address(0))

static inline bool kmem_cache_has_cpu_partial(const struct kmem_cache *s)
{
	return s->cpu_partial_slabs != 0;
}

/* ---------------------------------------------------------------------
 * Node lists and accounting
 */

static inline void inc_slabs_node(struct kmem_cache *s, int nid, unsigned int objects)
{
	struct kmem_cache_node *n = get_node(s, nid);

	atomic_long_add(1, &n->nr_slabs);
	atomic_long_add(objects, &n->total_objects);
}

static inline void dec_slabs_node(struct kmem_cache *s, int nid, unsigned int objects)
{
	struct kmem_cache_node *n = get_node(s, nid);

	atomic_long_add(-1, &n->nr_slabs);
	atomic_long_add(-(long)objects, &n->total_objects);
}

static void account_slab(struct slab *slab, unsigned int order, struct kmem_cache *s, int sign)
{
	enum node_stat_item item = (s->flags & SLAB_RECLAIM_ACCOUNT) ? NR_SLAB_RECLAIMABLE_B
								    : NR_SLAB_UNRECLAIMABLE_B;

	mod_node_page_state(page_pgdat(slab_page(slab)), item, sign * (long)(PAGE_SIZE << order));
}

/* ---------------------------------------------------------------------
 * Slabs: allocation and freeing
 */

static struct page *alloc_slab_page(gfp_t flags, int node, unsigned int order)
{
	flags |= __GFP_COMP;
	if (node == NUMA_NO_NODE)
		return alloc_pages(flags, order);
	return alloc_pages_node(node, flags, order);
}

static void setup_object(struct kmem_cache *s, void *object)
{
	if (kmem_cache_debug(s)) {
		init_object(s, object, SLUB_RED_INACTIVE);
		init_tracking(s, object);
	}
	if (unlikely(s->ctor)) {
		if (kasan_enabled())
			kasan_unpoison_new_object(s, object);
		s->ctor(object);
		if (kasan_enabled())
			kasan_poison_new_object(s, object);
	}
}

#define GFP_RECLAIM_MASK (__GFP_RECLAIM | __GFP_HIGH | __GFP_IO | __GFP_FS | __GFP_NOWARN | \
			  __GFP_RETRY_MAYFAIL | __GFP_NOFAIL | __GFP_NORETRY | __GFP_MEMALLOC | \
			  __GFP_NOMEMALLOC)
#define GFP_CONSTRAINT_MASK (__GFP_HARDWALL | __GFP_THISNODE)

/*
 * allocate_slab - a new slab, its objects chained in address order on the
 * returned @freelist; the slab word is left frozen with every object in
 * use (the caller owns the chain).
 */
static struct slab *allocate_slab(struct kmem_cache *s, gfp_t flags, int node, void **freelist)
{
	struct kmem_cache_order_objects oo = s->oo;
	gfp_t alloc_gfp;
	struct page *page;
	struct slab *slab;
	void *start, *p, *prev = NULL;

	flags &= GFP_RECLAIM_MASK | GFP_CONSTRAINT_MASK;
	flags |= s->allocflags;
	alloc_gfp = (flags | __GFP_NOWARN | __GFP_NORETRY) & ~__GFP_NOFAIL;
	if ((alloc_gfp & __GFP_DIRECT_RECLAIM) && oo.order > s->min.order)
		alloc_gfp = (alloc_gfp | __GFP_NOMEMALLOC) & ~__GFP_RECLAIM;
	page = alloc_slab_page(alloc_gfp, node, oo.order);
	if (unlikely(!page)) {
		oo = s->min;
		page = alloc_slab_page(flags, node, oo.order);
		if (unlikely(!page))
			return NULL;
	}
	slab = (struct slab *)page;
	slab->objects = oo.objects;
	slab->slab_cache = s;
	slab->node_partial = 0;
	slab->local = 0;
	set_slab_owner(slab, 0);
	__SetPageSlab(page);
	account_slab(slab, oo.order, s, 1);
	start = slab_address(slab);
	if (kasan_enabled())
		kasan_poison_slab(slab);
	if (s->flags & SLAB_POISON)
		memset(start, POISON_INUSE, PAGE_SIZE << oo.order);
	*freelist = NULL;
	for_each_object(p, s, start, oo.objects) {
		setup_object(s, p);
		if (prev)
			set_freepointer(s, prev, p);
		else
			*freelist = p;
		prev = p;
	}
	set_freepointer(s, prev, NULL);
	atomic_store_explicit(&slab->fc, fc_make(0, oo.objects, oo.objects, true),
			      memory_order_relaxed);
	inc_slabs_node(s, slab_nid(slab), oo.objects);
	return slab;
}

struct slab *new_slab(struct kmem_cache *s, gfp_t flags, int node, void **freelist)
{
	if (unlikely(flags & (__GFP_DMA32 | __GFP_HIGHMEM | ~((1u << __GFP_BITS_SHIFT) - 1)))) {
		gfp_t invalid = flags & (__GFP_DMA32 | __GFP_HIGHMEM);
		char a[128], b[128];

		flags &= ~invalid;
		pr_warn("Unexpected gfp: %#x (%s). Fixing up to gfp: %#x (%s). Fix your code!\n",
			invalid, format_gfp_flags(invalid, a, sizeof(a)), flags,
			format_gfp_flags(flags, b, sizeof(b)));
		dump_stack();
	}
	return allocate_slab(s, flags, node, freelist);
}

static void free_slab(struct kmem_cache *s, struct slab *slab)
{
	struct page *page = slab_page(slab);
	unsigned int order = slab_order(slab);

	if (kmem_cache_debug(s))
		slab_pad_check(s, slab);
	account_slab(slab, order, s, -1);
	__ClearPageSlab(page);
	/* The slab fields overlay lru/mapping: leave them as the buddy wants. */
	atomic_store_explicit(&slab->fc, 0, memory_order_relaxed);
	slab->node_partial = 0;
	slab->objects = 0;
	slab->slab_cache = NULL;
	slab->local = 0;
	set_slab_owner(slab, 0);
	INIT_LIST_HEAD(&page->lru);
	page->index = 0;
	page->private = 0;
	__free_pages(page, order);
}

void discard_slab(struct kmem_cache *s, struct slab *slab)
{
	dec_slabs_node(s, slab_nid(slab), slab->objects);
	free_slab(s, slab);
}

/* ---------------------------------------------------------------------
 * CPU slabs and partial lists
 */

/* Take the slab freelist (objects other CPUs freed) of a frozen slab of
 * ours; it stays frozen. */
static void *take_remote(struct slab *slab)
{
	slab_fc_t old = slab_fc(slab), new;

	VM_BUG_ON(slab_owner(slab) != this_cpu_owner());
	do {
		VM_BUG_ON(!fc_frozen(old));
		new = fc_make(0, slab->objects, slab->objects, true);
	} while (!slab_fc_cmpxchg(slab, &old, new));
	return fc_freelist(slab, old);
}

/* Freeze a partial slab for this CPU; returns its freelist. */
static void *freeze_slab(struct slab *slab)
{
	slab_fc_t old = slab_fc(slab), new;

	do {
		VM_BUG_ON(fc_frozen(old));
		new = fc_make(0, slab->objects, slab->objects, true);
	} while (!slab_fc_cmpxchg(slab, &old, new));
	return fc_freelist(slab, old);
}

/*
 * deactivate_slab - give back a CPU slab with the CPU's remaining @freelist
 * of its objects: unfreeze it, then put it where its state says.
 */
static void deactivate_slab(struct kmem_cache *s, struct slab *slab, void *freelist)
{
	struct kmem_cache_node *n = get_node(s, slab_nid(slab));
	unsigned int free_delta = 0, new_inuse;
	void *tail = NULL, *new_fl;
	slab_fc_t old, new;

	for (void *p = freelist; p; p = get_freepointer(s, p)) {
		tail = p;
		free_delta++;
	}
	VM_BUG_ON(slab->local);
	set_slab_owner(slab, 0);	/* before the word says "not frozen" */
	old = slab_fc(slab);
	do {
		VM_BUG_ON(!fc_frozen(old));
		new_inuse = fc_inuse(old) - free_delta;
		if (tail) {
			set_freepointer(s, tail, fc_freelist(slab, old));
			new_fl = freelist;
		} else {
			new_fl = fc_freelist(slab, old);
		}
		new = fc_make(obj_off(slab, new_fl), new_inuse, slab->objects, false);
	} while (!slab_fc_cmpxchg(slab, &old, new));

	if (!new_inuse && READ_ONCE(n->nr_partial) >= s->min_partial) {
		discard_slab(s, slab);
	} else if (new_fl) {
		spin_lock(&n->list_lock);
		add_partial(n, slab, tail != NULL);
		spin_unlock(&n->list_lock);
	}
	/* else: full, on no list; its first free puts it on a partial list. */
}

/* Slabs a CPU keeps frozen, at most; the oldest dry ones go back beyond. */
#define MAX_CPU_OWNED_SLABS	1024
/* Owned slabs collect_remote() and trim_owned() look at per call. */
#define CPU_OWNED_SCAN		4

static inline void set_next_partial(struct slab *slab, const struct slab *next)
{
	slab->next_partial = next ? (unsigned int)page_to_pfn(slab_page(next)) + 1 : 0;
}

/* Give back @slab, one of ours that is neither the CPU slab nor on the
 * partial stack, with its local freelist (Linux's deactivate_slab). */
static void disown_slab(struct kmem_cache *s, struct kmem_cache_cpu *c, struct slab *slab)
{
	list_del(&slab->slab_list);
	c->nr_owned--;
	slab->next_partial = 0;
	deactivate_slab(s, slab, take_local(slab));
}

/* Give back the whole partial stack (Linux's put_partials, when a CPU's
 * partial slabs pass cpu_partial_slabs). */
static void drain_cpu_partial(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slab *slab = c->partial, *next;

	c->partial = NULL;
	c->nr_partial = 0;
	for (; slab; slab = next) {
		next = next_partial(slab);
		disown_slab(s, c, slab);
	}
}

/* Put @slab (ours, local freelist not empty, not the CPU slab) on the
 * partial stack. */
static void push_cpu_partial(struct kmem_cache *s, struct kmem_cache_cpu *c, struct slab *slab)
{
	if (unlikely(c->nr_partial >= s->cpu_partial_slabs))
		drain_cpu_partial(s, c);
	set_next_partial(slab, c->partial);
	c->partial = slab;
	c->nr_partial++;
}

/* Give back the oldest dry slabs of ours while we hold too many. */
static void trim_owned(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	for (int i = 0; i < CPU_OWNED_SCAN && c->nr_owned > MAX_CPU_OWNED_SLABS; i++) {
		struct slab *slab = list_last_entry(&c->owned, struct slab, slab_list);

		if (slab != c->slab && !slab->local)
			disown_slab(s, c, slab);
		else
			list_move(&slab->slab_list, &c->owned);
	}
}

/* @slab was just frozen by this CPU: record it as ours. */
static void own_slab(struct kmem_cache *s, struct kmem_cache_cpu *c, struct slab *slab)
{
	set_slab_owner(slab, this_cpu_owner());
	slab->next_partial = 0;
	list_add(&slab->slab_list, &c->owned);
	if (unlikely(++c->nr_owned > MAX_CPU_OWNED_SLABS))
		trim_owned(s, c);
}

/*
 * collect_remote - look at the oldest few dry slabs of ours for objects
 * other CPUs freed into them (they wait on the slab freelist; nobody told
 * us): put those slabs on the partial stack; rotate the others to the
 * front of the owned list.  Return: whether the partial stack gained one.
 */
static bool collect_remote(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	bool found = false;

	for (int i = 0; i < CPU_OWNED_SCAN && i < (int)c->nr_owned; i++) {
		struct slab *slab = list_last_entry(&c->owned, struct slab, slab_list);

		list_move(&slab->slab_list, &c->owned);
		if (slab == c->slab || slab->local || !fc_off(slab_fc(slab)))
			continue;
		slab->local = obj_off(slab, take_remote(slab));
		push_cpu_partial(s, c, slab);
		found = true;
	}
	return found;
}

void flush_cpu_slab(struct kmem_cache *s, struct kmem_cache_cpu *c)
{
	struct slab *slab = c->slab;
	void *freelist = c->freelist;

	atomic_store_explicit(&c->flush_pending, 0, memory_order_relaxed);
	c->slab = NULL;
	c->freelist = NULL;
	c->partial = NULL;
	c->nr_partial = 0;
	if (slab) {
		list_del(&slab->slab_list);
		c->nr_owned--;
		deactivate_slab(s, slab, freelist);
	}
	while (!list_empty(&c->owned))
		disown_slab(s, c, list_first_entry(&c->owned, struct slab, slab_list));
}

/*
 * get_partial_node - take a slab from @n's partial list for the CPU slab,
 * and up to half the CPU partial budget more onto the CPU's partial stack
 * (frozen, ours).
 */
static struct slab *get_partial_node(struct kmem_cache *s, struct kmem_cache_node *n)
{
	struct slab *slab, *slab2, *partial = NULL;
	unsigned int partial_slabs = 0;
	LIST_HEAD(chain);

	if (!n || !READ_ONCE(n->nr_partial))
		return NULL;
	spin_lock(&n->list_lock);
	list_for_each_entry_safe(slab, slab2, &n->partial, slab_list) {
		remove_partial(n, slab);
		if (!partial) {
			partial = slab;
			if (!kmem_cache_has_cpu_partial(s))
				break;
		} else {
			list_add_tail(&slab->slab_list, &chain);
			if (++partial_slabs > s->cpu_partial_slabs / 2)
				break;
		}
	}
	spin_unlock(&n->list_lock);
	list_for_each_entry_safe(slab, slab2, &chain, slab_list) {
		struct kmem_cache_cpu *c = this_cpu_slab(s);
		void *freelist;

		list_del(&slab->slab_list);
		freelist = freeze_slab(slab);
		own_slab(s, c, slab);
		slab->local = obj_off(slab, freelist);
		push_cpu_partial(s, c, slab);
	}
	return partial;
}

static struct slab *get_partial(struct kmem_cache *s, int node, gfp_t flags)
{
	int searchnode = node == NUMA_NO_NODE ? numa_node_id() : node;
	struct slab *slab = get_partial_node(s, get_node(s, searchnode));

	if (slab || node != NUMA_NO_NODE || (flags & __GFP_THISNODE))
		return slab;
	for (int nid = 0; nid < s->nr_nodes && !slab; nid++)
		if (nid != searchnode)
			slab = get_partial_node(s, get_node(s, nid));
	return slab;
}

/*
 * ___slab_alloc - the per-CPU slow path: refill c->freelist and return an
 * object, or NULL when no memory is left.
 */
noinline void *___slab_alloc(struct kmem_cache *s, gfp_t gfpflags, int node,
			     struct kmem_cache_cpu *c, bool may_grow)
{
	struct slab *slab;
	void *freelist;

	if (unlikely(atomic_load_explicit(&c->flush_pending, memory_order_acquire)))
		flush_cpu_slab(s, c);
	slab = c->slab;
	if (slab) {
		if (unlikely(!node_match(slab, node))) {
			void *fl = c->freelist;

			c->slab = NULL;
			c->freelist = NULL;
			list_del(&slab->slab_list);
			c->nr_owned--;
			deactivate_slab(s, slab, fl);
		} else {
			if (c->freelist) {	/* only a node mismatch brings us here */
				freelist = c->freelist;
				goto load_freelist;
			}
			if (fc_off(slab_fc(slab))) {	/* remote frees: only we take them */
				freelist = take_remote(slab);
				goto load_freelist;
			}
			c->slab = NULL;		/* dry: it stays ours, on no stack */
		}
	}
retry_partial:
	slab = c->partial;
	if (slab) {
		c->partial = next_partial(slab);
		c->nr_partial--;
		slab->next_partial = 0;
		if (unlikely(!node_match(slab, node))) {
			disown_slab(s, c, slab);
			goto retry_partial;
		}
		/* Its local frees first; remote ones when those run out. */
		freelist = take_local(slab);
		c->slab = slab;
		goto load_freelist;
	}
	if (c->nr_owned && collect_remote(s, c))
		goto retry_partial;
	slab = get_partial(s, node, gfpflags);
	if (slab) {
		freelist = freeze_slab(slab);
		own_slab(s, c, slab);
		c->slab = slab;
		goto load_freelist;
	}
	if (!may_grow)
		return NULL;
	slab = new_slab(s, gfpflags, node, &freelist);
	if (unlikely(!slab)) {
		slab_out_of_memory(s, gfpflags, node);
		return NULL;
	}
	/*
	 * The CPU may have been handed slabs while we allocated (never here:
	 * nothing else touches c), so the new slab simply becomes the CPU slab.
	 */
	own_slab(s, c, slab);
	c->slab = slab;
load_freelist:
	c->freelist = get_freepointer(s, freelist);
	return freelist;
}

/* ---------------------------------------------------------------------
 * Sheaves: the fast paths (their slow paths, pcs_alloc_slow() and
 * pcs_free_slow(), are mm/slub_sheaves.c's: they run once a sheaf)
 */

/* Pop the most recently freed object of this CPU's main sheaf, or NULL. */
static __always_inline void *alloc_from_pcs(struct kmem_cache_cpu *c)
{
	struct slab_sheaf *main = c->pcs.main;

	if (unlikely(!main->size))
		return NULL;
	return main->objects[--main->size];
}

/*
 * Push @x on this CPU's main sheaf: false when it is full (or a cache
 * without sheaves), or when @x is the object on top - freed twice in a
 * row, which the slow path reports (Linux's naive BUG_ON(object == fp)).
 */
static __always_inline bool free_to_pcs(struct kmem_cache_cpu *c, void *x)
{
	struct slab_sheaf *main = c->pcs.main;
	unsigned int size = main->size;

	if (unlikely(size == main->capacity || (size && main->objects[size - 1] == x)))
		return false;
	main->objects[size] = x;
	main->size = size + 1;
	return true;
}

/* ---------------------------------------------------------------------
 * Allocation
 */

static inline bool slab_want_init_on_alloc(gfp_t flags, struct kmem_cache *s)
{
	return s->want_init_alloc || (flags & __GFP_ZERO);
}

/* __GFP_ZERO, out of line: a tail call from the fast path. */
static noinline void *zero_object(struct kmem_cache *s, void *object)
{
	return memset(object, 0, s->object_size);
}

/* A node-bound allocation, out of line: the CPU slab layer and __GFP_ZERO. */
static noinline void *slab_alloc_node_slow(struct kmem_cache *s, gfp_t gfpflags, int node,
					   struct kmem_cache_cpu *c)
{
	void *object = slab_alloc_cpu(s, gfpflags, node, c);

	if (unlikely(object && (gfpflags & __GFP_ZERO)))
		memset(object, 0, s->object_size);
	return object;
}

static void *slab_alloc_hooked(struct kmem_cache *s, gfp_t gfpflags, int node,
			       size_t orig_size, unsigned long addr)
{
	void *object;

	if (should_failslab(s, gfpflags))
		return NULL;
	object = kfence_alloc(s, orig_size, gfpflags);
	if (unlikely(object))
		goto out;	/* KFENCE zeroed it itself: past the init below */
	if (kmem_cache_debug(s)) {
		object = alloc_debug(s, gfpflags, node, (unsigned int)orig_size, addr);
	} else {
		struct kmem_cache_cpu *c = this_cpu_slab(s);

		if (node == NUMA_NO_NODE) {
			object = alloc_from_pcs(c);
			if (unlikely(!object))
				object = pcs_alloc_slow(s, gfpflags & ~__GFP_ZERO, c);
		} else {
			object = slab_alloc_cpu(s, gfpflags, node, c);
		}
	}
	if (unlikely(!object))
		return NULL;
	if (s->want_init_free)		/* maybe_wipe_obj_freeptr */
		memset((char *)object + s->offset, 0, sizeof(void *));
	if (slab_want_init_on_alloc(gfpflags, s)) {
		size_t zero = (slub_debug_orig_size(s) && (s->flags & SLAB_RED_ZONE)) ? orig_size
										      : s->object_size;

		memset(object, 0, zero);
	}
out:	/* the post-alloc hooks, KFENCE objects too (Linux's slab_post_alloc_hook) */
	if (kasan_enabled() && !is_kfence_address(object))	/* KFENCE guards its own */
		kasan_slab_alloc(s, object, orig_size, addr);
	kmsan_slab_alloc(s, object, s->want_init_alloc ? gfpflags | __GFP_ZERO : gfpflags);
	kmemleak_alloc_recursive(object, s->object_size, 1, s->flags, gfpflags);
	return object;
}

/*
 * slab_alloc_node - the allocation fast path: the top of this CPU's main
 * sheaf.  A request for a particular node goes to the CPU slab layer,
 * which knows where its objects live (sheaves hold this node's objects).
 */
static __always_inline void *slab_alloc_node(struct kmem_cache *s, gfp_t gfpflags, int node,
					     size_t orig_size, unsigned long addr)
{
	struct kmem_cache_cpu *c;
	struct slab_sheaf *main;
	void *object;

	if (unlikely(READ_ONCE(s->hooks)))
		return slab_alloc_hooked(s, gfpflags, node, orig_size, addr);
	c = this_cpu_slab(s);
	if (unlikely(node != NUMA_NO_NODE))
		return slab_alloc_node_slow(s, gfpflags, node, c);
	main = c->pcs.main;
	if (unlikely(!main->size))
		return pcs_alloc_slow(s, gfpflags, c);
	object = main->objects[--main->size];
	if (unlikely(gfpflags & __GFP_ZERO))
		return zero_object(s, object);
	return object;
}

void *__kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node, size_t orig_size,
			      unsigned long caller)
{
	return slab_alloc_node(s, flags, node, orig_size, caller);
}

/**
 * kmem_cache_alloc - allocate an object
 * @s: the cache
 * @flags: GFP flags (__GFP_ZERO zeroes the object)
 *
 * Context: any thread on a CPU of the machine.
 * Return: the object, or NULL when memory is short (or failslab says so).
 */
void *kmem_cache_alloc(struct kmem_cache *s, gfp_t flags)
{
	return slab_alloc_node(s, flags, NUMA_NO_NODE, s->object_size, _RET_IP_);
}

void *kmem_cache_alloc_node(struct kmem_cache *s, gfp_t flags, int node)
{
	if (node != NUMA_NO_NODE && (node < 0 || node >= s->nr_nodes)) {
		WARN_ON_ONCE(1);
		node = NUMA_NO_NODE;
	}
	return slab_alloc_node(s, flags, node, s->object_size, _RET_IP_);
}

/* ---------------------------------------------------------------------
 * Freeing
 */

/*
 * __slab_free - free @cnt objects @head..@tail (chained) of @slab, which
 * this CPU does not own: claim it if it is full and unowned, else a
 * lock-free push on the slab freelist, and the list lock only when the
 * slab's node list must change (see the theory, 4).
 */
static void __slab_free(struct kmem_cache *s, struct slab *slab, void *head, void *tail,
			unsigned int cnt)
{
	struct kmem_cache_node *n = NULL;
	bool was_frozen, on_node_partial = false;
	unsigned int prior_off, new_inuse;
	slab_fc_t old = slab_fc(slab), new;

	/*
	 * A full slab nobody owns: claim it for this CPU's partial stack
	 * with a compare-exchange that sets only frozen, and put the objects
	 * on its owner-local freelist after, so the locked instruction never
	 * waits on a write into a cold object.
	 */
claim:
	while (!fc_off(old) && !fc_frozen(old) && kmem_cache_has_cpu_partial(s)) {
		if (slab_fc_cmpxchg(slab, &old, old | FC_FROZEN)) {
			struct kmem_cache_cpu *c = this_cpu_slab(s);

			own_slab(s, c, slab);
			set_freepointer(s, tail, NULL);
			slab->local = obj_off(slab, head);
			push_cpu_partial(s, c, slab);
			return;
		}
	}
	do {
		if (unlikely(n)) {	/* the word changed under us: start over */
			spin_unlock(&n->list_lock);
			n = NULL;
		}
		prior_off = fc_off(old);
		if (unlikely(!prior_off && !fc_frozen(old) && kmem_cache_has_cpu_partial(s)))
			goto claim;	/* it became full and unowned meanwhile */
		if (unlikely(cnt == 1 && head == fc_freelist(slab, old))) {
			/* Linux: BUG_ON(object == fp), naive double-free detection. */
			pr_alert("slab %s: double free of object 0x%lx detected\n", s->name,
				 slab_kaddr(head));
			BUG();
			return;
		}
		set_freepointer(s, tail, fc_freelist(slab, old));
		was_frozen = fc_frozen(old);
		new_inuse = fc_inuse(old) - cnt;
		if ((!new_inuse || !prior_off) && !was_frozen) {
			if (!kmem_cache_has_cpu_partial(s) || prior_off) {
				n = get_node(s, slab_nid(slab));
				spin_lock(&n->list_lock);
				on_node_partial = slab->node_partial;
			}
		}
		new = fc_make(obj_off(slab, head), new_inuse, slab->objects, was_frozen);
	} while (!slab_fc_cmpxchg(slab, &old, new));

	if (likely(!n))
		return;		/* frozen: the owner CPU will pick it up */
	if (prior_off && !on_node_partial) {
		/* Between node list and CPU (get_partial_node, deactivate_slab):
		 * whoever moves it places it. */
		spin_unlock(&n->list_lock);
		return;
	}
	if (unlikely(!new_inuse && n->nr_partial >= s->min_partial)) {
		if (prior_off)
			remove_partial(n, slab);
		spin_unlock(&n->list_lock);
		discard_slab(s, slab);
		return;
	}
	if (!kmem_cache_has_cpu_partial(s) && unlikely(!prior_off))
		add_partial(n, slab, true);
	spin_unlock(&n->list_lock);
}

/* Linux's BUG_ON(object == fp) on a private freelist; out of line, so
 * that the free fast path calling it stays a leaf. */
noinline void double_free_bug(struct kmem_cache *s, void *x)
{
	pr_alert("slab %s: double free of object 0x%lx detected\n", s->name, slab_kaddr(x));
	BUG();
}

/*
 * slab_free_other - free @x of @slab, not this CPU's slab: onto the slab's
 * local freelist if this CPU owns it (plain stores, no atomics: mimalloc's
 * local_free; a dry slab goes on the partial stack, or becomes the CPU slab
 * if that is dry), else the slab's freelist word (__slab_free).
 */
noinline void slab_free_other(struct kmem_cache *s, struct kmem_cache_cpu *c,
			      struct slab *slab, void *x)
{
	if (likely(slab_owner(slab) == this_cpu_owner())) {
		void *head = local_head(slab);

		if (unlikely(x == head)) {
			double_free_bug(s, x);
			return;
		}
		if (!head && !c->freelist) {
			/*
			 * A dry slab of ours while the CPU slab is dry too:
			 * make it the CPU slab, so the next allocation takes
			 * @x, still in the cache, on the fast path.
			 */
			set_freepointer(s, x, NULL);
			c->slab = slab;
			c->freelist = x;
			return;
		}
		set_freepointer(s, x, head);
		slab->local = obj_off(slab, x);
		if (unlikely(!head))	/* it was dry */
			push_cpu_partial(s, c, slab);
		return;
	}
	__slab_free(s, slab, x, x, 1);
}

/* The free fast path: onto this CPU's main sheaf, if @x is of this node. */
static __always_inline void slab_free_nohooks(struct kmem_cache *s, struct slab *slab, void *x)
{
	struct kmem_cache_cpu *c = this_cpu_slab(s);

	if (likely(slab_nid(slab) == current_cpu->node) && likely(free_to_pcs(c, x)))
		return;
	pcs_free_slow(s, c, slab, x);
}

static void slab_free_hooked(struct kmem_cache *s, struct slab *slab, void *x,
			     unsigned long addr)
{
	kmemleak_free_recursive(x, s->flags);
	kmsan_slab_free(s, x);
	if (kfence_free(x))	/* a KFENCE object stops here */
		return;
	if (s->want_init_free)
		memset(x, 0, s->object_size);
	/* KASAN might keep x in its quarantine; it frees it later (___cache_free). */
	if (kasan_enabled() && kasan_slab_free(s, x, addr))
		return;
	if (kmem_cache_debug(s)) {
		free_debug(s, slab, x, addr);
		return;
	}
	slab_free_nohooks(s, slab, x);
}

/* The free of an object leaving KASAN's quarantine: what follows its hook. */
void ___cache_free(struct kmem_cache *s, void *x, unsigned long addr)
{
	struct slab *slab = virt_to_slab(x);

	if (kmem_cache_debug(s)) {
		free_debug(s, slab, x, addr);
		return;
	}
	slab_free_nohooks(s, slab, x);
}

static __always_inline void slab_free(struct kmem_cache *s, struct slab *slab, void *x,
				      unsigned long addr)
{
	if (unlikely(READ_ONCE(s->hooks))) {
		slab_free_hooked(s, slab, x, addr);
		return;
	}
	slab_free_nohooks(s, slab, x);
}

void __kmem_cache_free(struct kmem_cache *s, struct slab *slab, void *x, unsigned long caller)
{
	slab_free(s, slab, x, caller);
}

/* The cache an object really belongs to, warning when it is not @s. */
static struct slab *cache_from_obj(struct kmem_cache *s, const void *x)
{
	struct slab *slab;

	if (unlikely(!__is_lm_address(x))) {
		report_nonlinear_free(x);
		return NULL;
	}
	slab = virt_to_slab(x);
	if (unlikely(!slab)) {
		WARN_ONCE(1, "%s: Object 0x%lx is not a slab object", __func__, slab_kaddr(x));
		return NULL;
	}
	if (unlikely(slab->slab_cache != s)) {
		WARN_ONCE(1, "%s: Wrong slab cache. %s but object is from %s\n", __func__,
			  s->name, slab->slab_cache->name);
		return NULL;
	}
	return slab;
}

/* kmem_cache_free() of an object in a tail page, or of a bad pointer;
 * out of line, so that the fast path saves no registers. */
static noinline void kmem_cache_free_checked(struct kmem_cache *s, void *x, unsigned long caller)
{
	struct slab *slab = cache_from_obj(s, x);

	if (likely(slab))
		slab_free(s, slab, x, caller);
}

/**
 * kmem_cache_free - free an object of @s
 * @s: the cache it came from
 * @x: the object
 */
void kmem_cache_free(struct kmem_cache *s, void *x)
{
	struct page *page;

	/*
	 * The common case inline, checked as cache_from_obj() checks it: an
	 * object of a slab of @s on the slab's head page, whose word in
	 * compound_head's place is @s itself (see kfree()).  Anything else -
	 * an object in a tail page, or a bad pointer - is sorted out by
	 * cache_from_obj().
	 */
	if (likely(__is_lm_address(x))) {
		page = virt_to_page(x);
		if (likely(READ_ONCE(page->compound_head) == (unsigned long)s && PageSlab(page))) {
			slab_free(s, (struct slab *)page, x, _RET_IP_);
			return;
		}
	}
	kmem_cache_free_checked(s, x, _RET_IP_);
}

/*
 * A kfree()d address in a page that is not a slab: a large kmalloc
 * (compound, order > 0) is freed.  Anything else is a bogus kfree; Linux
 * warns and frees the page anyway, corrupting its owner, mmsim warns and
 * leaves it.
 */
static noinline void free_large_kmalloc(struct page *page, const void *object)
{
	unsigned int order = compound_order(page);

	if (kasan_enabled() && kasan_kfree_large(object, _RET_IP_))
		return;
	if (WARN_ON_ONCE(order == 0 || !PageHead(page) || page_ref_count(page) <= 0)) {
		pr_warn("object pointer: 0x%lx\n", slab_kaddr(object));
		return;
	}
	kmemleak_free(object);
	mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B,
			    -(long)(PAGE_SIZE << order));
	kmsan_kfree_large(object);
	__free_pages(page, order);
}

/*
 * The buddy allocator aligns a block of order k to 2^k pages, so the head
 * of the slab holding @page is the page at the 2^order boundary below it:
 * for slabs of PAGE_ALLOC_COSTLY_ORDER (the largest kmalloc caches) exactly
 * the page at the 8-page boundary.  Start loading that one while
 * compound_head() reads @page, so the two cache misses overlap instead of
 * following one another; for smaller slabs the prefetch is merely wasted.
 */
static __always_inline void prefetch_slab_head(const struct page *page)
{
	__builtin_prefetch(page - (page_to_pfn(page) & ((1UL << PAGE_ALLOC_COSTLY_ORDER) - 1)));
}

/*
 * A slab's head page keeps slab_cache in the word where a tail page keeps
 * compound_head (head | 1), and a cache's address is even: so that one
 * word of an object's own struct page names its cache, when the object is
 * in a slab's head page.
 */
_Static_assert(offsetof(struct page, compound_head) == offsetof(struct slab, slab_cache),
	       "slab_cache shares compound_head's word");

/*
 * kfree()'s guess at the cache of the object it is given: the cache its
 * thread's last kfree() went to, and how well that guess has done.
 *
 * The sheaf a free goes to is the object's cache's; found from the
 * object, its address waits on the object's struct page load every time,
 * and that chain, not the instruction count, is what a run of frees into
 * one cache costs (kmem_cache_free(), given its cache, does not wait).
 * With a guess, the sheaf's address is known before the page is read,
 * and the page's word only confirms it with a branch the CPU predicts.
 * A branch it cannot predict costs more than the chain, though: frees
 * into caches in no order (a random mix of sizes) would mispredict it
 * often.  So the guess is taken only while it has been right: @conf, a
 * saturating counter (0..15, kfree_conf_next), rises by one when a free
 * found the long way was to the guessed cache and falls by two when it
 * was not, and the guessing path is used from 8 up - a branch that
 * changes rarely either way.  Any cache of any machine may be named here,
 * or one destroyed since: the guess is compared, never dereferenced
 * unless the page names the same cache.
 */
struct kfree_guess {
	const struct kmem_cache *cache;	/* the last kfree()'s cache */
	unsigned int conf;		/* 0..15: guess while >= KFREE_CONF_GUESS */
};
#define KFREE_CONF_GUESS	8
static _Thread_local struct kfree_guess kfree_guess __tls_ie;

/* conf after a miss ([0]: down two) and after a hit ([1]: up one). */
static const unsigned char kfree_conf_next[2][16] = {
	{ 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13 },
	{ 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 15 },
};

/**
 * kfree - free memory from kmalloc()
 * @x: the object; NULL and ZERO_SIZE_PTR are ignored
 *
 * An address outside the direct map gets CONFIG_DEBUG_VIRTUAL's warning
 * and frees nothing; so does one in a page that is neither a slab nor a
 * large kmalloc.
 */
void kfree(const void *x)
{
	struct kfree_guess *g = &kfree_guess;
	struct kmem_cache *s;
	struct page *page;

	if (unlikely(ZERO_OR_NULL_PTR(x)))
		return;
	if (unlikely(!__is_lm_address(x))) {	/* a stack, malloc or vmalloc pointer */
		report_nonlinear_free(x);
		return;
	}
	page = virt_to_page(x);
	if (g->conf >= KFREE_CONF_GUESS) {
		if (likely(READ_ONCE(page->compound_head) == (unsigned long)g->cache &&
			   PageSlab(page))) {
			/*
			 * The guess, not the page's word, from here: equal,
			 * but the guess was known before the page was read
			 * (the asm keeps the compiler from using the word).
			 */
			s = (struct kmem_cache *)g->cache;
			__asm__("" : "+r"(s));
			slab_free(s, (struct slab *)page, (void *)x, _RET_IP_);
			return;
		}
	}
	/* Prefetch the head of an order-3 slab while compound_head() reads. */
	prefetch_slab_head(page);
	page = compound_head(page);
	if (unlikely(!PageSlab(page))) {
		free_large_kmalloc(page, x);
		return;
	}
	s = ((struct slab *)page)->slab_cache;
	g->conf = kfree_conf_next[s == g->cache][g->conf & 15];
	g->cache = s;
	slab_free(s, (struct slab *)page, (void *)x, _RET_IP_);
}

/* ---------------------------------------------------------------------
 * kmalloc
 */

void *kmalloc_large_node(size_t size, gfp_t flags, int node)
{
	unsigned int order = get_order(size);
	struct page *page;
	void *ptr;

	if (unlikely(order > MAX_PAGE_ORDER)) {
		WARN_ON_ONCE(!(flags & __GFP_NOWARN));
		return NULL;
	}
	flags |= __GFP_COMP;
	page = node == NUMA_NO_NODE ? alloc_pages(flags, order) : alloc_pages_node(node, flags, order);
	if (!page)
		return NULL;
	ptr = page_address(page);
	mod_node_page_state(page_pgdat(page), NR_SLAB_UNRECLAIMABLE_B, (long)(PAGE_SIZE << order));
	if (kasan_enabled())
		kasan_kmalloc_large(ptr, size);
	kmsan_kmalloc_large(ptr, size, flags);
	kmemleak_alloc(ptr, size, 1, flags);
	return ptr;
}

static __always_inline void *__do_kmalloc_node(size_t size, gfp_t flags, int node,
					       unsigned long caller)
{
	struct kmem_cache *s;

	if (unlikely(size > KMALLOC_MAX_CACHE_SIZE))
		return kmalloc_large_node(size, flags, node);
	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	s = kmalloc_slab(size, flags);
	return slab_alloc_node(s, flags, node, size, caller);
}

/**
 * kmalloc - allocate kernel memory
 * @size: bytes; 0 gives ZERO_SIZE_PTR
 * @flags: GFP flags; __GFP_DMA and __GFP_RECLAIMABLE pick the dma-kmalloc-*
 *         and kmalloc-rcl-* caches
 *
 * Sizes up to KMALLOC_MAX_CACHE_SIZE (two pages) come from the kmalloc-*
 * caches, naturally aligned for powers of two; larger ones from the page
 * allocator, up to KMALLOC_MAX_SIZE.
 */
void *(kmalloc)(size_t size, gfp_t flags)
{
	return __do_kmalloc_node(size, flags, NUMA_NO_NODE, _RET_IP_);
}

/* kmalloc() of a size only known at run time (the inline's fallback). */
void *__kmalloc_noprof(size_t size, gfp_t flags)
{
	return __do_kmalloc_node(size, flags, NUMA_NO_NODE, _RET_IP_);
}

/**
 * __kmalloc_cache_noprof - kmalloc() from the cache the inline kmalloc()
 * picked for a constant size
 * @type: kmalloc_type(flags)
 * @index: kmalloc_index(size), for 1 <= size <= KMALLOC_CONST_MAX_SIZE
 * @flags: GFP flags
 * @size: the size asked for (slub_debug keeps it)
 *
 * Every machine has these caches (its largest is two of its pages, at
 * least 8K), so this is the allocation fast path with nothing to look up
 * but the cache.
 */
void *__kmalloc_cache_noprof(enum kmalloc_cache_type type, unsigned int index, gfp_t flags,
			     size_t size)
{
	struct kmem_cache *s = slab_globals()->kmalloc_caches[type][index];

	VM_BUG_ON(!s || index > slab_globals()->kmalloc_shift_high);
	return slab_alloc_node(s, flags, NUMA_NO_NODE, size, _RET_IP_);
}

void *kmalloc_node(size_t size, gfp_t flags, int node)
{
	return __do_kmalloc_node(size, flags, node, _RET_IP_);
}

size_t __ksize(const void *object)
{
	struct page *page;
	struct slab *slab;

	if (unlikely(ZERO_OR_NULL_PTR(object)))
		return 0;
	if (unlikely(is_kfence_address(object)))
		return kfence_ksize(object);
	page = compound_head(virt_to_page(object));
	if (unlikely(!PageSlab(page))) {
		if (WARN_ON(!PageCompound(page)))
			return PAGE_SIZE;
		return PAGE_SIZE << compound_order(page);
	}
	slab = (struct slab *)page;
	skip_orig_size_check(slab->slab_cache, object);
	return slab->slab_cache->object_size;
}

/* ---------------------------------------------------------------------
 * Bulk
 */

/*
 * kmem_cache_alloc_bulk - @size objects into @p: off the top of this CPU's
 * sheaves first (main, then full ones from the spare or the barn), the
 * rest from the CPU slab layer.  Return: @size, or 0 (nothing allocated).
 */
int kmem_cache_alloc_bulk(struct kmem_cache *s, gfp_t flags, size_t size, void **p)
{
	struct kmem_cache_cpu *c;
	size_t i = 0;

	if (unlikely(READ_ONCE(s->hooks))) {
		for (i = 0; i < size; i++) {
			p[i] = slab_alloc_hooked(s, flags, NUMA_NO_NODE, s->object_size, _RET_IP_);
			if (!p[i])
				goto error;
		}
		return (int)size;
	}
	c = this_cpu_slab(s);
	flush_cpu_if_asked(s, c);
	while (s->sheaf_capacity) {
		struct slab_sheaf *main = c->pcs.main;

		while (main->size && i < size)
			p[i++] = main->objects[--main->size];
		if (i == size || !replace_empty_main(s, c, flags, false))
			break;
	}
	for (; i < size; i++) {
		p[i] = slab_alloc_cpu(s, flags & ~__GFP_ZERO, NUMA_NO_NODE, c);
		if (unlikely(!p[i]))
			goto error;
	}
	if (unlikely(flags & __GFP_ZERO))
		for (i = 0; i < size; i++)
			memset(p[i], 0, s->object_size);
	return (int)size;
error:
	kmem_cache_free_bulk(s, i, p);
	return 0;
}

/*
 * free_to_slabs_bulk - give @p[0..size), objects of @s past their free
 * hooks, back to their slabs.  Runs of objects of one slab this CPU does
 * not own go back in one step, as Linux's build_detached_freelist()
 * arranges.
 */
void free_to_slabs_bulk(struct kmem_cache *s, size_t size, void **p)
{
	size_t i = 0;

	while (i < size) {
		struct slab *slab = virt_to_slab(p[i]);
		unsigned int cnt = 1;
		void *head, *tail;

		if (slab == this_cpu_slab(s)->slab || slab_owner(slab) == this_cpu_owner()) {
			do_slab_free(s, slab, p[i++]);
			continue;
		}
		head = tail = p[i++];
		while (i < size && p[i] != head && virt_to_slab(p[i]) == slab) {
			set_freepointer(s, p[i], head);
			head = p[i++];
			cnt++;
		}
		__slab_free(s, slab, head, tail, cnt);
	}
}

/*
 * kmem_cache_free_bulk - free @size objects; @s may be NULL (kfree'd
 * objects).  Each goes the way kmem_cache_free() sends it: onto this
 * CPU's sheaves, mostly.
 */
void kmem_cache_free_bulk(struct kmem_cache *s, size_t size, void **p)
{
	for (size_t i = 0; i < size; i++) {
		struct slab *slab;

		if (unlikely(ZERO_OR_NULL_PTR(p[i])))
			continue;
		slab = virt_to_slab(p[i]);
		if (unlikely(!slab)) {
			kfree(p[i]);
			continue;
		}
		if (unlikely(s && slab->slab_cache != s)) {
			cache_from_obj(s, p[i]);
			continue;
		}
		slab_free(slab->slab_cache, slab, p[i], _RET_IP_);
	}
}
