// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kfence/core.c - Kernel Electric-Fence (Linux's mm/kfence/core.c):
 * sampled slab allocations placed against guard pages the host's MMU
 * really protects, so that an out-of-bounds access or a use after free
 * traps in hardware and is reported the way Linux reports it.
 *
 * The pool.  kfence.sample_interval=<ms> other than 0 makes
 * kfence_alloc_pool() (mm_core_init, before memblock_free_all, as Linux's
 * kfence_alloc_pool_and_metadata) reserve KFENCE_POOL_PAGES pages with
 * memblock; they stay PageReserved.  Page i of the pool:
 *
 *   i = 0, 1        guard pages (page 0 is only there to make the count even)
 *   i = 2k + 2      the page of object k (0 <= k < CONFIG_KFENCE_NUM_OBJECTS),
 *                   PG_slab set once at init, its struct slab naming the
 *                   object's cache while allocated (so kfree() finds it)
 *   i = 2k + 3      the guard page right of object k
 *
 * A guard page, and the page of a freed object, is PROT_NONE in the host
 * view of the direct map (arch_protect_none_range); an allocated object's
 * page is read-write.  The simulated kernel page table is not split:
 * it maps the direct map with large leaves (arch/paging.c), and only the
 * host's protection traps (docs/kfence.md).
 *
 * Sampling.  Linux's timer (toggle_allocation_gate, without
 * CONFIG_KFENCE_STATIC_KEYS) opens the allocation gate once every sample
 * interval; the first slab allocation that finds it open takes it.  Here
 * the interval is counted on the machine's virtual clock
 * (mmsim_clock_ns, which only mmsim_advance_clock, timers and disk
 * latencies move), so a run samples the same allocations every time:
 * the gate is open when the clock has reached next_gate_ns, and taking it
 * moves next_gate_ns to the next multiple of the interval after now (the
 * timer keeps its period).  The gate is open at boot.  Left or right
 * placement is a per-machine xorshift generator with a fixed seed, for the
 * same reason.  kfence.skip_covered_thresh= (default 75, percent of the
 * pool in use) skips allocations whose stack is already in the pool
 * (Linux's counting Bloom filter of stack hashes; the hash is taken over
 * return addresses relative to __kfence_alloc, so ASLR does not change it
 * for frames in mmsim's own binary).
 *
 * The slab hooks (mm/slub.c): with a pool, every cache takes the hooked
 * paths (s->hooks, mm/slub_cache.c); slab_alloc_hooked() asks
 * kfence_alloc() first and slab_free_hooked() hands a KFENCE object to
 * __kfence_free() and stops.  Without a pool nothing changes.
 *
 * The fault.  arch/traps.c -> kernel_fault_handled() (kernel/oops.c) ->
 * kfence_handle_page_fault(): a fault in the pool is reported (OOB on a
 * guard page, for the nearer allocated neighbour; UAF on a freed object's
 * page; "invalid" when no object explains it), the page opened, and the
 * handler returns so the instruction runs again.  A guard page a fault
 * opened is wiped and protected again when its object is freed.
 *
 * Locking: freelist_lock (the freelist) and each object's lock (its
 * state, fields and track).  Order: an object's lock, then the freelist's
 * is never needed (they are taken one at a time).  The fault handler
 * takes one object's lock; no code holds an object lock across an access
 * to a protected page.
 *
 * Invariants (kfence_is_valid()): every object is UNUSED, ALLOCATED or
 * FREED; an object on the freelist is not ALLOCATED, and every object
 * that is not ALLOCATED is on it unless it is a zombie (freed by
 * kfence_shutdown_cache, kept off the list); counters[ALLOCATED] ==
 * allocated objects + zombies; an allocated object lies inside its page.  Its
 * canary bytes are checked at its free.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <execinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/kfence.h>
#include <mmsim/memblock.h>
#include <mmsim/proc_fs.h>
#include <mmsim/sched.h>
#include <mmsim/seq_file.h>
#include "arch/hostmap.h"
#include "init/init.h"
#include "mm/kfence/kfence.h"

#ifdef CONFIG_KFENCE

DECLARE_SUBSYSTEM(kfence);

struct kfence_state *kfence_state_of(struct mmsim *m)
{
	return subsys_state(m, kfence);
}

char *kfence_pool_of_current(void)
{
	struct mmsim *m = current_machine();

	return m ? m->kfence_pool : NULL;
}

size_t kfence_pool_size(void)
{
	return (size_t)KFENCE_POOL_PAGES * PAGE_SIZE;
}

/* ---------------------------------------------------------------------
 * Pages of the pool
 */

static bool kfence_protect(unsigned long addr)
{
	return !arch_protect_none_range((void *)ALIGN_DOWN(addr, PAGE_SIZE), PAGE_SIZE);
}

static bool kfence_unprotect(unsigned long addr)
{
	return !arch_protect_rw_range((void *)ALIGN_DOWN(addr, PAGE_SIZE), PAGE_SIZE);
}

static unsigned long metadata_to_pageaddr(struct kfence_state *st, const struct kfence_metadata *meta)
{
	long k = kfence_meta_index(st, meta);

	return (unsigned long)st->pool + (unsigned long)(2 * k + 2) * PAGE_SIZE;
}

/* The object whose page, or whose right guard page minus one page, holds @addr. */
static struct kfence_metadata *addr_to_metadata(struct kfence_state *st, unsigned long addr)
{
	long index;

	if (addr - (unsigned long)st->pool >= st->pool_size)
		return NULL;
	index = (long)((addr - (unsigned long)st->pool) / (PAGE_SIZE * 2)) - 1;
	if (index < 0 || index >= CONFIG_KFENCE_NUM_OBJECTS)
		return NULL;
	return &st->meta[index];
}

/* ---------------------------------------------------------------------
 * Canaries
 */

static void set_canary(const struct kfence_metadata *meta)
{
	const unsigned long pageaddr = ALIGN_DOWN(meta->addr, PAGE_SIZE);
	unsigned long addr;

	for (addr = pageaddr; addr < meta->addr; addr++)
		*(u8 *)addr = KFENCE_CANARY_PATTERN_U8(addr);
	for (addr = meta->addr + meta->size; addr < pageaddr + PAGE_SIZE; addr++)
		*(u8 *)addr = KFENCE_CANARY_PATTERN_U8(addr);
}

static bool check_canary_byte(struct kfence_state *st, const struct kfence_metadata *meta, u8 *addr)
{
	if (*addr == KFENCE_CANARY_PATTERN_U8(addr))
		return true;
	atomic_fetch_add(&st->counters[KFENCE_COUNTER_BUGS], 1);
	kfence_report_error(st, (unsigned long)addr, false, 0, NULL, 0, meta,
			    KFENCE_ERROR_CORRUPTION);
	return false;
}

/*
 * Both sides are checked, each up to its first bad byte: seeing both
 * tells more about what wrote there (Linux's check_canary).
 */
static void check_canary(struct kfence_state *st, const struct kfence_metadata *meta)
{
	const unsigned long pageaddr = ALIGN_DOWN(meta->addr, PAGE_SIZE);
	unsigned long addr;

	for (addr = pageaddr; addr < meta->addr; addr++)
		if (!check_canary_byte(st, meta, (u8 *)addr))
			break;
	for (addr = meta->addr + meta->size; addr < pageaddr + PAGE_SIZE; addr++)
		if (!check_canary_byte(st, meta, (u8 *)addr))
			break;
}

/* ---------------------------------------------------------------------
 * Tracks and the covered filter
 */

static void save_track(struct kfence_track *track, void *const *entries, int nr)
{
	struct mmsim *m = M();
	struct task_struct *t = current;

	track->pid = t ? t->pid : m->pid;
	track->cpu = smp_processor_id();
	track->ts_nsec = mmsim_clock_ns(m);
	if (nr > KFENCE_STACK_DEPTH)
		nr = KFENCE_STACK_DEPTH;
	track->num_stack_entries = nr;
	if (nr)
		memcpy(track->stack_entries, entries, sizeof(void *) * (size_t)nr);
}

static u32 hash_32(u32 val, unsigned int bits)
{
	return (val * 0x61C88647u) >> (32 - bits);
}

/*
 * The stack's hash, over each return address's offset from
 * __kfence_alloc: the same run after run for frames in the binary that
 * holds mmsim (a PIE moves as a whole), so the covered filter decides the
 * same way.  (dladdr() per frame would place every frame, but costs
 * microseconds each on a sampled allocation.)
 */
static u32 get_alloc_stack_hash(void *const *entries, int nr)
{
	const unsigned long base = (unsigned long)&__kfence_alloc;
	u64 h = 0xcbf29ce484222325ull;

	for (int i = 0; i < nr; i++)
		h = (h ^ ((unsigned long)entries[i] - base)) * 0x100000001b3ull;
	return (u32)(h ^ (h >> 32));
}

static void alloc_covered_add(struct kfence_state *st, u32 alloc_stack_hash, int val)
{
	for (int i = 0; i < ALLOC_COVERED_HNUM; i++) {
		atomic_fetch_add(&st->alloc_covered[alloc_stack_hash & (ALLOC_COVERED_SIZE - 1)], val);
		alloc_stack_hash = hash_32(alloc_stack_hash, ALLOC_COVERED_ORDER);
	}
}

static bool alloc_covered_contains(struct kfence_state *st, u32 alloc_stack_hash)
{
	for (int i = 0; i < ALLOC_COVERED_HNUM; i++) {
		if (!atomic_load(&st->alloc_covered[alloc_stack_hash & (ALLOC_COVERED_SIZE - 1)]))
			return false;
		alloc_stack_hash = hash_32(alloc_stack_hash, ALLOC_COVERED_ORDER);
	}
	return true;
}

static bool should_skip_covered(struct kfence_state *st)
{
	long thresh = (long)st->skip_covered_thresh * CONFIG_KFENCE_NUM_OBJECTS / 100;

	return atomic_load(&st->counters[KFENCE_COUNTER_ALLOCATED]) > thresh;
}

/* ---------------------------------------------------------------------
 * Allocation
 */

/* Take the gate if it is open at virtual time @now. */
static bool kfence_take_gate(struct kfence_state *st, u64 now)
{
	u64 interval = (u64)st->sample_interval * 1000000ull;
	unsigned long next = atomic_load_explicit(&st->next_gate_ns, memory_order_relaxed);

	do {
		if (now < next)
			return false;
	} while (!atomic_compare_exchange_weak(&st->next_gate_ns, &next,
					       (unsigned long)((now / interval + 1) * interval)));
	return true;
}

static bool kfence_right_side(struct kfence_state *st)
{
	unsigned long x = atomic_load_explicit(&st->rand, memory_order_relaxed), n;

	do {
		n = x;
		n ^= n << 13;
		n ^= n >> 7;
		n ^= n << 17;
	} while (!atomic_compare_exchange_weak(&st->rand, &x, n));
	return (n >> 32) & 1;
}

static void *kfence_guarded_alloc(struct kfence_state *st, struct kmem_cache *cache, size_t size,
				  gfp_t gfp, void *const *entries, int nr, u32 alloc_stack_hash)
{
	struct kfence_metadata *meta = NULL;
	struct slab *slab;
	void *addr;

	spin_lock(&st->freelist_lock);
	if (!list_empty(&st->freelist)) {
		meta = list_first_entry(&st->freelist, struct kfence_metadata, list);
		list_del_init(&meta->list);
	}
	spin_unlock(&st->freelist_lock);
	if (!meta) {
		atomic_fetch_add(&st->counters[KFENCE_COUNTER_SKIP_CAPACITY], 1);
		return NULL;
	}
	spin_lock(&meta->lock);
	meta->addr = metadata_to_pageaddr(st, meta);
	/* Reusing a freed object's page: open it. */
	if (meta->state == KFENCE_OBJECT_FREED)
		kfence_unprotect(meta->addr);
	if (kfence_right_side(st)) {
		meta->addr += PAGE_SIZE - size;
		meta->addr = ALIGN_DOWN(meta->addr, cache->align ? cache->align : 1);
	}
	addr = (void *)meta->addr;
	save_track(&meta->alloc_track, entries, nr);
	meta->state = KFENCE_OBJECT_ALLOCATED;
	WRITE_ONCE(meta->cache, cache);
	meta->size = size;
	meta->alloc_stack_hash = alloc_stack_hash;
	spin_unlock(&meta->lock);

	alloc_covered_add(st, alloc_stack_hash, 1);
	/* What kfree() and ksize() read of the page. */
	slab = virt_to_slab(addr);
	slab->slab_cache = cache;
	slab->objects = 1;

	set_canary(meta);
	/* Zeroed here, not by the slab hooks: they would clear the canary (and fault). */
	if (cache->want_init_alloc || (gfp & __GFP_ZERO))
		memset(addr, 0, size);
	if (cache->ctor)
		cache->ctor(addr);
	atomic_fetch_add(&st->counters[KFENCE_COUNTER_ALLOCATED], 1);
	atomic_fetch_add(&st->counters[KFENCE_COUNTER_ALLOCS], 1);
	return addr;
}

/**
 * __kfence_alloc - a guarded object of @s for @size bytes, or NULL
 *
 * NULL unless the sampling gate is open; the caller then allocates as
 * usual.  Context: slab_alloc_hooked(), any CPU.
 */
void *__kfence_alloc(struct kmem_cache *s, size_t size, gfp_t flags)
{
	struct mmsim *m = M();
	struct kfence_state *st;
	void *entries[KFENCE_STACK_DEPTH];
	u32 alloc_stack_hash;
	int nr;

	if (!m->kfence_pool)
		return NULL;
	st = kfence_state_of(m);
	/* The gate first: shut, it is the whole cost of KFENCE per allocation. */
	if (atomic_load_explicit(&m->hw.clock_ns, memory_order_relaxed) <
	    atomic_load_explicit(&st->next_gate_ns, memory_order_relaxed))
		return NULL;
	if (!READ_ONCE(st->enabled) || !st->sample_interval)
		return NULL;
	if (size > PAGE_SIZE) {
		atomic_fetch_add(&st->counters[KFENCE_COUNTER_SKIP_INCOMPAT], 1);
		return NULL;
	}
	if ((flags & GFP_ZONEMASK) || (s->flags & (SLAB_CACHE_DMA | SLAB_CACHE_DMA32))) {
		atomic_fetch_add(&st->counters[KFENCE_COUNTER_SKIP_INCOMPAT], 1);
		return NULL;
	}
	if (!kfence_take_gate(st, atomic_load(&m->hw.clock_ns)))
		return NULL;
	nr = backtrace(entries, KFENCE_STACK_DEPTH);
	alloc_stack_hash = get_alloc_stack_hash(entries, nr);
	if (should_skip_covered(st) && alloc_covered_contains(st, alloc_stack_hash)) {
		atomic_fetch_add(&st->counters[KFENCE_COUNTER_SKIP_COVERED], 1);
		return NULL;
	}
	return kfence_guarded_alloc(st, s, size, flags, entries, nr, alloc_stack_hash);
}

/* ---------------------------------------------------------------------
 * Free
 */

static void kfence_guarded_free(struct kfence_state *st, void *addr, struct kfence_metadata *meta,
				bool zombie)
{
	void *entries[KFENCE_STACK_DEPTH];
	int nr = backtrace(entries, KFENCE_STACK_DEPTH);
	bool init;

	spin_lock(&meta->lock);
	if (meta->state != KFENCE_OBJECT_ALLOCATED || meta->addr != (unsigned long)addr) {
		/* An invalid or double free: report, free nothing. */
		atomic_fetch_add(&st->counters[KFENCE_COUNTER_BUGS], 1);
		kfence_report_error(st, (unsigned long)addr, false, 0, NULL, 0, meta,
				    KFENCE_ERROR_INVALID_FREE);
		spin_unlock(&meta->lock);
		return;
	}
	if (meta->unprotected_page) {
		memset((void *)ALIGN_DOWN(meta->unprotected_page, PAGE_SIZE), 0, PAGE_SIZE);
		kfence_protect(meta->unprotected_page);
		meta->unprotected_page = 0;
	}
	save_track(&meta->free_track, entries, nr);
	meta->state = KFENCE_OBJECT_FREED;
	init = meta->cache && meta->cache->want_init_free;
	/* The check reports under the lock, as Linux's does after dropping it:
	 * nobody else touches a freed object's metadata meanwhile. */
	alloc_covered_add(st, meta->alloc_stack_hash, -1);
	check_canary(st, meta);
	spin_unlock(&meta->lock);
	if (!zombie && init)
		memset(addr, 0, meta->size);
	kfence_protect((unsigned long)addr);
	if (!zombie) {
		spin_lock(&st->freelist_lock);
		list_add_tail(&meta->list, &st->freelist);
		spin_unlock(&st->freelist_lock);
		atomic_fetch_sub(&st->counters[KFENCE_COUNTER_ALLOCATED], 1);
		atomic_fetch_add(&st->counters[KFENCE_COUNTER_FREES], 1);
	} else {
		atomic_fetch_add(&st->counters[KFENCE_COUNTER_ZOMBIES], 1);
	}
}

/**
 * __kfence_free - free the KFENCE object at @addr (is_kfence_address())
 *
 * Checks the canary (memory corruption report), protects the page and
 * puts the object at the tail of the freelist.  A SLAB_TYPESAFE_BY_RCU
 * cache's object is freed at once: mmsim has no RCU grace periods (a
 * departure, docs/kfence.md).
 */
void __kfence_free(void *addr)
{
	struct kfence_state *st = kfence_state_of(M());
	struct kfence_metadata *meta = addr_to_metadata(st, (unsigned long)addr);

	if (!meta) {	/* a guard page's address: no object owns it */
		atomic_fetch_add(&st->counters[KFENCE_COUNTER_BUGS], 1);
		kfence_report_error(st, (unsigned long)addr, false, 0, NULL, 0, NULL,
				    KFENCE_ERROR_INVALID);
		return;
	}
	kfence_guarded_free(st, addr, meta, false);
}

size_t kfence_ksize(const void *addr)
{
	struct kfence_state *st;
	struct kfence_metadata *meta;

	if (!is_kfence_address(addr))
		return 0;
	st = kfence_state_of(M());
	meta = addr_to_metadata(st, (unsigned long)addr);
	return meta ? meta->size : 0;
}

void *kfence_object_start(const void *addr)
{
	struct kfence_state *st = kfence_state_of(M());
	struct kfence_metadata *meta = addr_to_metadata(st, (unsigned long)addr);

	return meta ? (void *)meta->addr : NULL;
}

void kfence_shutdown_cache(struct kmem_cache *s)
{
	struct mmsim *m = M();
	struct kfence_state *st;

	if (!m->kfence_pool)
		return;
	st = kfence_state_of(m);
	if (!st->meta)
		return;
	for (int i = 0; i < CONFIG_KFENCE_NUM_OBJECTS; i++) {
		struct kfence_metadata *meta = &st->meta[i];
		bool in_use;

		spin_lock(&meta->lock);
		in_use = meta->cache == s && meta->state == KFENCE_OBJECT_ALLOCATED;
		spin_unlock(&meta->lock);
		/* Still allocated: a zombie, kept (the cache leaks as in Linux). */
		if (in_use)
			kfence_guarded_free(st, (void *)meta->addr, meta, true);
	}
	for (int i = 0; i < CONFIG_KFENCE_NUM_OBJECTS; i++) {
		struct kfence_metadata *meta = &st->meta[i];

		spin_lock(&meta->lock);
		if (meta->cache == s && meta->state == KFENCE_OBJECT_FREED)
			meta->cache = NULL;
		spin_unlock(&meta->lock);
	}
}

/* ---------------------------------------------------------------------
 * The fault
 */

bool kfence_handle_page_fault(unsigned long addr, bool is_write, unsigned long ip,
			      void *const *frames, int nr_frames)
{
	struct mmsim *m = M();
	struct kfence_state *st;
	struct kfence_metadata *to_report = NULL;
	enum kfence_error_type error_type = KFENCE_ERROR_INVALID;
	unsigned long host, page_index;

	if (!m || !m->kfence_pool)
		return false;
	st = kfence_state_of(m);
	if (!st->meta)
		return false;
	host = (unsigned long)kva_to_host(addr);
	if (!host || host - (unsigned long)st->pool >= st->pool_size)
		return false;
	page_index = (host - (unsigned long)st->pool) / PAGE_SIZE;
	atomic_fetch_add(&st->counters[KFENCE_COUNTER_BUGS], 1);
	if (page_index % 2) {
		/* A guard page: the nearer allocated neighbour overflowed. */
		struct kfence_metadata *meta = addr_to_metadata(st, host - PAGE_SIZE);
		long distance = 0;

		if (meta && READ_ONCE(meta->state) == KFENCE_OBJECT_ALLOCATED) {
			to_report = meta;
			distance = (long)(host - (meta->addr + meta->size));
		}
		meta = addr_to_metadata(st, host + PAGE_SIZE);
		if (meta && READ_ONCE(meta->state) == KFENCE_OBJECT_ALLOCATED) {
			if (!to_report || distance > (long)(meta->addr - host))
				to_report = meta;
		}
		if (to_report) {
			spin_lock(&to_report->lock);
			to_report->unprotected_page = host;
			error_type = KFENCE_ERROR_OOB;
		}
	} else {
		to_report = addr_to_metadata(st, host);
		if (to_report) {
			spin_lock(&to_report->lock);
			error_type = KFENCE_ERROR_UAF;
		}
	}
	if (to_report) {
		kfence_report_error(st, host, is_write, ip, frames, nr_frames, to_report, error_type);
		spin_unlock(&to_report->lock);
	} else {
		kfence_report_error(st, host, is_write, ip, frames, nr_frames, NULL,
				    KFENCE_ERROR_INVALID);
	}
	return kfence_unprotect(host);
}

/**
 * kfence_is_valid - the invariants atop this file, for the tests
 * Return: true, or false after a pr_err naming the first broken one.
 */
bool kfence_is_valid(struct mmsim *m)
{
	struct kfence_state *st = kfence_state_of(m);
	struct kfence_metadata *meta;
	long allocated = 0, listed = 0, not_allocated = 0;
	bool ok = true;

	if (!m->kfence_pool || !st->meta)
		return true;
	spin_lock(&st->freelist_lock);
	list_for_each_entry(meta, &st->freelist, list) {
		listed++;
		if (meta->state == KFENCE_OBJECT_ALLOCATED) {
			pr_err("kfence_is_valid: kfence-#%ld is allocated and on the freelist\n",
			       kfence_meta_index(st, meta));
			ok = false;
		}
	}
	spin_unlock(&st->freelist_lock);
	for (int i = 0; i < CONFIG_KFENCE_NUM_OBJECTS; i++) {
		unsigned long page;

		meta = &st->meta[i];
		spin_lock(&meta->lock);
		page = metadata_to_pageaddr(st, meta);
		if (meta->state == KFENCE_OBJECT_ALLOCATED) {
			allocated++;
			if (meta->addr < page || meta->addr + meta->size > page + PAGE_SIZE) {
				pr_err("kfence_is_valid: kfence-#%d lies outside its page\n", i);
				ok = false;
			}
		} else if (meta->state == KFENCE_OBJECT_UNUSED || meta->state == KFENCE_OBJECT_FREED) {
			not_allocated++;
		} else {
			pr_err("kfence_is_valid: kfence-#%d has state %d\n", i, meta->state);
			ok = false;
		}
		spin_unlock(&meta->lock);
	}
	if (ok && listed + atomic_load(&st->counters[KFENCE_COUNTER_ZOMBIES]) != not_allocated) {
		pr_err("kfence_is_valid: %ld objects on the freelist, %ld not allocated\n", listed,
		       not_allocated);
		ok = false;
	}
	/* A zombie still counts as allocated (Linux's counters do the same). */
	allocated += atomic_load(&st->counters[KFENCE_COUNTER_ZOMBIES]);
	if (ok && atomic_load(&st->counters[KFENCE_COUNTER_ALLOCATED]) != allocated) {
		pr_err("kfence_is_valid: %ld allocated counted, %ld found\n",
		       atomic_load(&st->counters[KFENCE_COUNTER_ALLOCATED]), allocated);
		ok = false;
	}
	return ok;
}

/* ---------------------------------------------------------------------
 * Boot: the pool
 */

void kfence_alloc_pool(struct mmsim *m)
{
	struct kfence_state *st = kfence_state_of(m);
	size_t size = (size_t)KFENCE_POOL_PAGES * PAGE_SIZE;

	if (!st->sample_interval)
		return;
	st->pool = memblock_alloc(size, PAGE_SIZE);
	if (!st->pool) {
		pr_err("kfence: failed to allocate pool\n");
		return;
	}
	st->pool_size = size;
	/* Now, so the slab caches made next take their hooks (mm/slub_cache.c);
	 * nothing is sampled before kfence_init() sets enabled. */
	m->kfence_pool = st->pool;
}

/* kfence_init_pool: slab-mark the object pages, protect the guards, fill the freelist. */
static int kfence_init(struct mmsim *m, char *err, size_t len)
{
	struct kfence_state *st = kfence_state_of(m);
	unsigned long addr;

	spin_lock_init(&st->freelist_lock);
	INIT_LIST_HEAD(&st->freelist);
	atomic_store(&st->rand, 0x9e3779b97f4a7c15ul);
	if (!st->pool)
		return 0;
	st->meta = calloc(CONFIG_KFENCE_NUM_OBJECTS, sizeof(*st->meta));
	if (!st->meta) {
		snprintf(err, len, "kfence: no memory for its metadata");
		return -ENOMEM;
	}
	for (unsigned long i = 2; i < KFENCE_POOL_PAGES; i += 2)
		__SetPageSlab(virt_to_page(st->pool + i * PAGE_SIZE));
	addr = (unsigned long)st->pool;
	if (!kfence_protect(addr) || !kfence_protect(addr + PAGE_SIZE))
		goto fail;
	addr += 2 * PAGE_SIZE;
	for (int i = 0; i < CONFIG_KFENCE_NUM_OBJECTS; i++) {
		struct kfence_metadata *meta = &st->meta[i];

		INIT_LIST_HEAD(&meta->list);
		spin_lock_init(&meta->lock);
		meta->state = KFENCE_OBJECT_UNUSED;
		meta->addr = addr;
		list_add_tail(&meta->list, &st->freelist);
		if (!kfence_protect(addr + PAGE_SIZE))
			goto fail;
		addr += 2 * PAGE_SIZE;
	}
	WRITE_ONCE(st->enabled, true);
	pr_info("kfence: initialized - using %zu bytes for %d objects at 0x%lx-0x%lx\n",
		st->pool_size, CONFIG_KFENCE_NUM_OBJECTS, host_to_kva(st->pool),
		host_to_kva(st->pool) + st->pool_size);
	return 0;
fail:
	/* The host refused (out of mappings): give every page back its access. */
	arch_protect_rw_range(st->pool, st->pool_size);
	for (unsigned long i = 2; i < KFENCE_POOL_PAGES; i += 2)
		__ClearPageSlab(virt_to_page(st->pool + i * PAGE_SIZE));
	free(st->meta);
	st->meta = NULL;
	m->kfence_pool = NULL;
	pr_err("kfence: failed to init pool\n");
	return 0;
}

static void kfence_exit(struct mmsim *m)
{
	struct kfence_state *st = kfence_state_of(m);

	if (m->kfence_pool)
		arch_protect_rw_range(st->pool, st->pool_size);
	m->kfence_pool = NULL;
	WRITE_ONCE(st->enabled, false);
	free(st->meta);
	st->meta = NULL;
}

/* ---------------------------------------------------------------------
 * debugfs: /sys/kernel/debug/kfence/{stats,objects}
 */

static const char *const counter_names[] = {
	[KFENCE_COUNTER_ALLOCATED]	= "currently allocated",
	[KFENCE_COUNTER_ALLOCS]		= "total allocations",
	[KFENCE_COUNTER_FREES]		= "total frees",
	[KFENCE_COUNTER_ZOMBIES]	= "zombie allocations",
	[KFENCE_COUNTER_BUGS]		= "total bugs",
	[KFENCE_COUNTER_SKIP_INCOMPAT]	= "skipped allocations (incompatible)",
	[KFENCE_COUNTER_SKIP_CAPACITY]	= "skipped allocations (capacity)",
	[KFENCE_COUNTER_SKIP_COVERED]	= "skipped allocations (covered)",
};

static int stats_show(struct seq_file *sf, struct proc_file *f)
{
	struct kfence_state *st = kfence_state_of(f->m);

	seq_printf(sf, "enabled: %i\n", READ_ONCE(st->enabled) ? 1 : 0);
	for (int i = 0; i < KFENCE_COUNTER_COUNT; i++)
		seq_printf(sf, "%s: %ld\n", counter_names[i], atomic_load(&st->counters[i]));
	return 0;
}

static int objects_show(struct seq_file *sf, struct proc_file *f)
{
	struct kfence_state *st = kfence_state_of(f->m);

	if (!st->meta)
		return 0;
	for (int i = 0; i < CONFIG_KFENCE_NUM_OBJECTS; i++) {
		struct kfence_metadata *meta = &st->meta[i];

		spin_lock(&meta->lock);
		kfence_print_object(sf, st, meta);
		spin_unlock(&meta->lock);
		seq_printf(sf, "---------------------------------\n");
	}
	return 0;
}

static const struct proc_entry kfence_entries[] = {
	{ "/sys/kernel/debug/kfence/stats", stats_show, NULL, NULL },
	{ "/sys/kernel/debug/kfence/objects", objects_show, NULL, NULL },
};

static int kfence_files_init(struct mmsim *m, char *err, size_t len)
{
	int ret;

	if (!READ_ONCE(kfence_state_of(m)->enabled))
		return 0;	/* as Linux's kfence_debugfs_init: no pool, no files */
	ret = proc_create_table(kfence_entries);
	if (ret)
		snprintf(err, len, "kfence: cannot create its files (%d)", ret);
	return ret;
}

/* ---------------------------------------------------------------------
 * Boot parameters
 */

static int param_sample_interval(void *state, const struct kernel_param *kp, const char *word,
				 const char *val, char *err, size_t len)
{
	struct kfence_state *st = state;
	char *end;
	unsigned long v;

	(void)kp;
	errno = 0;
	v = strtoul(val, &end, 0);
	if (errno || end == val || *end || val[0] == '-') {
		snprintf(err, len, "'%s': kfence.sample_interval takes milliseconds", word);
		return -EINVAL;
	}
	st->sample_interval = v;
	return 0;
}

static const struct kfence_state kfence_defaults = {
	.skip_covered_thresh = 75,	/* Linux's default */
};

static const struct kernel_param kfence_params[] = {
	__setup("kfence.sample_interval", param_sample_interval),
	core_param_int("kfence.skip_covered_thresh", struct kfence_state, skip_covered_thresh, 0, 100),
};

static const struct initcall kfence_initcalls[] = {
	core_initcall(kfence_init, kfence_exit),
	fs_initcall(kfence_files_init, NULL),
};

DEFINE_SUBSYSTEM(kfence, SUBSYS_STATE(struct kfence_state, &kfence_defaults),
		 SUBSYS_PARAMS(kfence_params), SUBSYS_INITCALLS(kfence_initcalls));

#else /* !CONFIG_KFENCE */

bool kfence_is_valid(struct mmsim *m)
{
	(void)m;
	return true;
}

/* Built without KFENCE: the boot word is refused by name, its off value taken. */
static int param_sample_interval(void *state, const struct kernel_param *kp, const char *word,
				 const char *val, char *err, size_t len)
{
	(void)state;
	(void)kp;
	if (!strcmp(val, "0"))
		return 0;
	snprintf(err, len, "'%s': built without CONFIG_KFENCE", word);
	return -EINVAL;
}

static const struct kernel_param kfence_params[] = {
	__setup("kfence.sample_interval", param_sample_interval),
	__setup("kfence.skip_covered_thresh", param_sample_interval),
};

DEFINE_SUBSYSTEM(kfence, SUBSYS_PARAMS(kfence_params));

#endif /* CONFIG_KFENCE */
