// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page_alloc.c - the buddy page allocator: its core.
 *
 * Big theory statement
 * ====================
 *
 * 1. Free memory.  Each zone keeps free blocks of 2^order pages, naturally
 *    aligned, in free_area[order].free_list[migratetype].  A free block's
 *    head page has PageBuddy set and its order in page->private; its other
 *    pages are plain.  Two free blocks of one order that are each other's
 *    buddy (pfn ^ (1 << order)) are always merged (__free_one_page), except
 *    across pageblocks whose types may not mix (HighAtomic, Isolate).  This
 *    is Knowlton's buddy system (1965) as Linux runs it.
 *
 * 2. Mobility.  Every pageblock (2^pageblock_order pages) has a migratetype.
 *    An allocation takes the smallest block of its own type (expand() splits
 *    it, the upper halves go back on the lists); failing that it falls back
 *    to another type (fallbacks[]) taking the largest block there, and steals
 *    the whole pageblock when it would otherwise fragment it
 *    (steal_suitable_fallback), as Linux does.  High-order atomic
 *    allocations reserve whole blocks as HighAtomic (up to 1% of a zone),
 *    given back before an allocation is declared failed.  Fallback,
 *    stealing, the HighAtomic reserve and pageblock isolation live in
 *    mm/page_mobility.c; __rmqueue() calls in only when the requested
 *    type's lists are empty.  CMA pageblocks (mm/cma.c) serve only movable
 *    requests (ALLOC_CMA): first when they hold most of the zone's free
 *    pages, else as the last resort; never stolen.
 *
 * 3. Per-CPU lists.  Orders 0..PAGE_ALLOC_COSTLY_ORDER are served from the
 *    CPU's per_cpu_pages of the zone: one list per (order, pcp migratetype),
 *    refilled a batch at a time under zone->lock, freed to the head (hot)
 *    and drained from the tail (cold) when count reaches `high` (which
 *    stays at high_min: Linux's tuning up to high_max is not modelled).
 *    Pages on pcp lists are not in NR_FREE_PAGES, as in Linux.  The
 *    per-page paths are here; sizing the lists and draining them on
 *    request (drain_all_pages) are in mm/page_pcp.c.
 *
 *    The fast path.  alloc_pages_pcp_fast() is the first step of
 *    get_page_from_freelist() for the case that needs nothing else (no
 *    nodemask or zone modifier, no fault injection, the preferred zone
 *    above its low watermark and not boosted, a block on the list): a
 *    pop, the same counters, prep_new_page().  __free_pages() inlines the
 *    common case of free_pages_prepare() and the push.  Everything else is
 *    in noinline functions (alloc_pages_zonelist, free_pages_prepare_slow,
 *    rmqueue_pcplist_refill, free_pcp_over_high), so that the fast paths
 *    keep few registers.  Exported entry points call static inline ones,
 *    never each other: in libmmsim.so such a call would go through the PLT.
 *
 * 4. The allocation path.  __alloc_pages() tries the zonelist at the low
 *    watermark (get_page_from_freelist); the slow path retries at min with
 *    the reserves the gfp flags allow (__GFP_HIGH: half of min; atomic: a
 *    further quarter; __GFP_MEMALLOC: all), drains the per-CPU lists, gives
 *    back HighAtomic reserves, wakes kswapd, reclaims directly and, as a
 *    last resort, calls the OOM killer (mm/page_alloc_slow.c; compaction is
 *    still a comment).  When none of them helps, it fails as Linux does:
 *    NULL and, unless __GFP_NOWARN, warn_alloc()'s
 *    "page allocation failure" report with the Mem-Info dump.  The slow
 *    path lives in mm/page_alloc_slow.c; the watermarks, lowmem_reserve
 *    and the zonelists it walks are set up in mm/page_alloc_init.c.
 *
 * Files.  The allocator is split by concept, as Linux split mm_init.c off:
 *   mm/page_alloc.c       this file: the free lists, merging and splitting
 *                         (__free_one_page, expand, __rmqueue), the page
 *                         checks, the per-page per-CPU paths
 *                         (rmqueue_pcplist, free_unref_page, rmqueue_bulk,
 *                         free_pcppages_bulk), the watermark checks,
 *                         get_page_from_freelist and __alloc_pages (the
 *                         fast path), freeing, totals;
 *   mm/page_mobility.c    fallback, pageblock stealing, HighAtomic
 *                         reserves, pageblock isolation (section 2);
 *   mm/page_pcp.c         per-CPU list sizing and draining (section 3);
 *   mm/page_alloc_slow.c  __alloc_pages_slowpath and warn_alloc (section 4);
 *   mm/page_alloc_init.c  zonelists, watermarks, lowmem_reserve and
 *                         totalreserve_pages, at boot and on sysctl writes;
 *                         boot-time freeing and reserved pages.
 * Everything called per page on the order-0 fast path is in this file or
 * a static inline in mm/internal.h (the free-list primitives), so that the
 * compiler sees it with its callers.  Cross-file declarations are in
 * mm/internal.h under the name of the file that owns them.
 *
 * Locking: zone->lock (a spinlock) protects free_area[], nr_free, the
 * pageblock migratetypes and nr_reserved_highatomic.  A CPU's per_cpu_pages
 * are touched only by the thread on that CPU, or by a drainer that has
 * borrowed the CPU (init/main.c); a busy CPU is asked to drain itself
 * through pcp->drain_pending.  Lock order: zone->lock is a leaf.
 *
 * Invariants (checked by zone_is_valid() in mm/debug.c):
 *   sum over orders and types other than Isolate of (blocks on list << order)
 *   == NR_FREE_PAGES
 *   free_area[o].nr_free == number of blocks on free_area[o]'s lists
 *   bit t of free_area[o].nonempty == !list_empty(free_area[o].free_list[t])
 *   every listed block: PageBuddy, order o, aligned to 2^o, inside the zone,
 *   its pages have refcount 0, and its buddy is not a free block of order o
 *   (unless the pageblock types forbid the merge)
 *   pcp->count == sum over its lists of (pages << order)
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <fcntl.h>
#include <mmsim/highmem.h>
#include <mmsim/swap.h>
#include <mmsim/kfence.h>
#include "mm/internal.h"
#include "mm/lru_gen.h"
#include <mmsim/hugetlb.h>
#include <mmsim/kmsan.h>

const char *const migratetype_names[MIGRATE_TYPES] = {
	"Unmovable", "Movable", "Reclaimable", "HighAtomic", "CMA", "Isolate",
};

/* The flags a page may not have when freed or handed out. */
#define PAGE_FLAGS_CHECK_AT_FREE					\
	((1UL << PG_lru) | (1UL << PG_locked) | (1UL << PG_private) |	\
	 (1UL << PG_private_2) | (1UL << PG_writeback) | (1UL << PG_reserved) | \
	 (1UL << PG_slab) | (1UL << PG_active) | (1UL << PG_unevictable) | \
	 (1UL << PG_mlocked))
/* ... and the multi-gen LRU's generation and refs bits (mm/lru_gen.h), as Linux. */
#define PAGE_FLAGS_CHECK_AT_PREP (((1UL << __NR_PAGEFLAGS) - 1) | LRU_GEN_MASK | LRU_REFS_MASK)

/* ---------------------------------------------------------------------
 * Small helpers
 */

/* The allocation-order record (a page_owner-like debugging aid). */
static inline void set_alloc_order(struct page *page, unsigned int order)
{
	/* Relaxed atomics: move_freepages() on another CPU may read the flags
	 * of this just-allocated page (PageLRU) under zone->lock. */
	unsigned long flags = __atomic_load_n(&page->flags, __ATOMIC_RELAXED);

	__atomic_store_n(&page->flags, (flags & ~(ALLOC_ORDER_MASK << ALLOC_ORDER_PGSHIFT)) |
			 ((unsigned long)(order + 1) << ALLOC_ORDER_PGSHIFT), __ATOMIC_RELAXED);
}

static inline int get_alloc_order(const struct page *page)
{
	return (int)((page->flags >> ALLOC_ORDER_PGSHIFT) & ALLOC_ORDER_MASK) - 1;
}

static inline void clear_alloc_order(struct page *page)
{
	__atomic_fetch_and(&page->flags, ~(ALLOC_ORDER_MASK << ALLOC_ORDER_PGSHIFT), __ATOMIC_RELAXED);
}

static inline int order_to_pindex(int migratetype, unsigned int order)
{
	return (int)order * MIGRATE_PCPTYPES + migratetype;
}

static inline unsigned int pindex_to_order(int pindex)
{
	return (unsigned int)(pindex / MIGRATE_PCPTYPES);
}

static inline bool pcp_allowed_order(unsigned int order)
{
	return order <= PAGE_ALLOC_COSTLY_ORDER;
}

static inline struct per_cpu_pages *this_cpu_pcp(struct zone *zone)
{
	return &zone->per_cpu_pageset[current_cpu->id];
}

/* ---------------------------------------------------------------------
 * Merging and splitting (the free-list primitives are in mm/internal.h)
 */

/*
 * page_is_buddy_of - may @buddy be merged at @order into @zone's free
 * lists?  It must be a free block of exactly that order in the same zone.
 * Only the buddy's page_type is looked at before we know it is free (and
 * so ours under zone->lock): its neighbours may be in use by anyone.
 */
static __always_inline bool __page_is_buddy_of(struct zone *zone, struct page *buddy,
					       unsigned int order)
{
	lockdep_assert_held(&zone->lock);
	if (!PageBuddy(buddy) || buddy_order(buddy) != order)
		return false;
	return page_zone(buddy) == zone;
}

bool page_is_buddy_of(struct zone *zone, struct page *buddy, unsigned int order)
{
	return __page_is_buddy_of(zone, buddy, order);
}

static inline struct page *find_buddy_page_pfn(struct zone *zone, struct page *page,
					       unsigned long pfn, unsigned int order,
					       unsigned long *buddy_pfn)
{
	unsigned long bpfn = pfn ^ (1UL << order);
	struct page *buddy = pfn_to_page(bpfn);

	if (buddy_pfn)
		*buddy_pfn = bpfn;
	return __page_is_buddy_of(zone, buddy, order) ? buddy : NULL;
}

/* Is the block we just freed likely to merge further up?  Then put it at the tail. */
static bool buddy_merge_likely(struct zone *zone, unsigned long pfn, unsigned long buddy_pfn,
			       struct page *page, unsigned int order)
{
	unsigned long higher_pfn;
	struct page *higher;

	if (order >= MAX_PAGE_ORDER - 1)
		return false;
	higher_pfn = buddy_pfn & pfn;
	higher = pfn_to_page(higher_pfn);
	return find_buddy_page_pfn(zone, higher, higher_pfn, order + 1, NULL) != NULL;
}

/*
 * __free_one_page - give a block back, merging with its buddies.
 * Call with zone->lock held.
 */
void __free_one_page(struct page *page, unsigned long pfn, struct zone *zone, unsigned int order,
		     int migratetype, int fpi_flags)
{
	unsigned long buddy_pfn = 0;
	struct page *buddy;
	bool to_tail;

	lockdep_assert_held(&zone->lock);
	VM_BUG_ON(pfn & ((1UL << order) - 1));
	if (likely(migratetype != MIGRATE_ISOLATE))
		account_freepages(zone, 1L << order, migratetype);	/* isolated pages are not free */
	while (order < MAX_PAGE_ORDER) {
		buddy = find_buddy_page_pfn(zone, page, pfn, order, &buddy_pfn);
		if (!buddy)
			break;
		if (unlikely(order >= pageblock_order)) {
			/* Don't merge across blocks whose types may not mix. */
			int buddy_mt = get_pfnblock_migratetype(zone, buddy_pfn);

			if (migratetype != buddy_mt &&
			    (!migratetype_is_mergeable(migratetype) ||
			     !migratetype_is_mergeable(buddy_mt)))
				break;
		}
		del_page_from_free_list(buddy, zone, order);
		page = pfn_to_page(buddy_pfn & pfn);
		pfn = buddy_pfn & pfn;
		order++;
	}
	set_buddy_order(page, order);
	if (fpi_flags & FPI_TO_TAIL)
		to_tail = true;
	else
		to_tail = buddy_merge_likely(zone, pfn, pfn ^ (1UL << order), page, order);
	add_to_free_list(page, zone, order, migratetype, to_tail);
}

/*
 * expand - split a block of order @high down to @low, giving the upper
 * halves back to the free lists.  Call with zone->lock held.
 */
static inline void expand(struct zone *zone, struct page *page, unsigned int low,
			  unsigned int high, int migratetype)
{
	unsigned long size = 1UL << high;

	lockdep_assert_held(&zone->lock);
	while (high > low) {
		high--;
		size >>= 1;
		add_to_free_list(&page[size], zone, high, migratetype, false);
		set_buddy_order(&page[size], high);
	}
}

/* Take the smallest block of @migratetype that fits.  zone->lock held. */
struct page *__rmqueue_smallest(struct zone *zone, unsigned int order, int migratetype)
{
	lockdep_assert_held(&zone->lock);
	for (unsigned int cur = order; cur < NR_PAGE_ORDERS; cur++) {
		struct page *page = get_page_from_free_area(&zone->free_area[cur], migratetype);

		if (!page)
			continue;
		del_page_from_free_list(page, zone, cur);
		expand(zone, page, order, cur, migratetype);
		return page;
	}
	return NULL;
}

/* __rmqueue - one block of @order for @migratetype, any way we can.  zone->lock held. */
static struct page *__rmqueue(struct zone *zone, unsigned int order, int migratetype,
			      unsigned int alloc_flags)
{
	struct page *page;

	lockdep_assert_held(&zone->lock);
	/* CMA balancing (mm/cma.c): movable requests use CMA blocks first
	 * when they hold most of the zone's free pages. */
	if (unlikely(alloc_flags & ALLOC_CMA) && (page = __rmqueue_cma_balance(zone, order)))
		return page;
	for (;;) {
		page = __rmqueue_smallest(zone, order, migratetype);
		if (likely(page))
			return page;
		if (!__rmqueue_fallback(zone, (int)order, migratetype, alloc_flags))
			return alloc_flags & ALLOC_CMA ? __rmqueue_cma_fallback(zone, order) : NULL;
	}
}

/*
 * rmqueue_bulk - move @count blocks of @order to a per-CPU list, under one
 * acquisition of zone->lock.  Returns how many were taken.
 */
static noinline int rmqueue_bulk(struct zone *zone, unsigned int order, int count,
				 struct list_head *list, int migratetype, unsigned int alloc_flags)
{
	int i;

	spin_lock(&zone->lock);
	for (i = 0; i < count; i++) {
		struct page *page = __rmqueue(zone, order, migratetype, alloc_flags);

		if (unlikely(!page))
			break;
		page->index = (pgoff_t)migratetype;	/* pcp migratetype */
		list_add_tail(&page->lru, list);
	}
	account_freepages(zone, -((long)i << order), migratetype);
	spin_unlock(&zone->lock);
	return i;
}

/* ---------------------------------------------------------------------
 * Checking pages
 */

void bad_page(struct page *page, const char *reason)
{
	pr_alert("BUG: Bad page state in process %s  pfn:%05lx\n", M()->comm, page_to_pfn(page));
	dump_page(page, reason);
	printk(KERN_ALERT "Modules linked in:\n");
	add_taint(TAINT_BAD_PAGE);
	dump_stack();
	/* Leave the bad fields for debugging, but never look free. */
	page_mapcount_reset(page);
}

/*
 * A "struct page *" that is none of this machine's: bad_page()'s report
 * without dump_page(), which would read whatever the pointer points at.
 */
static noinline void bad_page_pointer(const struct page *page, unsigned int order)
{
	char a[24];

	pr_alert("BUG: Bad page state in process %s  pfn:%05lx\n", M()->comm,
		 (unsigned long)((uintptr_t)page - (uintptr_t)current_layout->vmemmap) /
			 sizeof(struct page));
	pr_warn("page:%s order:%u (not in the memmap)\n", kaddr_str(page, a, sizeof(a)), order);
	pr_warn("page dumped because: not a struct page of this machine\n");
	printk(KERN_ALERT "Modules linked in:\n");
	add_taint(TAINT_BAD_PAGE);
	dump_stack();
}

static const char *page_bad_reason(const struct page *page, unsigned long flags)
{
	if (unlikely(page_mapcount(page) != 0 && !PageBuddy(page)))
		return "nonzero mapcount";
	if (unlikely(PageBuddy(page)))
		return "page still on a free list (double free?)";
	if (unlikely(page->mapping != NULL))
		return "non-NULL mapping";
	if (unlikely(page_ref_count(page) != 0))
		return "nonzero _refcount";
	if (unlikely(page->flags & flags)) {
		if (flags == PAGE_FLAGS_CHECK_AT_PREP)
			return "PAGE_FLAGS_CHECK_AT_PREP flag(s) set";
		return "PAGE_FLAGS_CHECK_AT_FREE flag(s) set";
	}
	return NULL;
}

static bool free_page_is_bad(struct page *page)
{
	const char *reason = page_bad_reason(page, PAGE_FLAGS_CHECK_AT_FREE);

	if (likely(!reason))
		return false;
	bad_page(page, reason);
	return true;
}

/* Tail pages of a compound page, as free_tail_page_prepare() checks them. */
static bool free_tail_page_is_bad(struct page *head, struct page *page)
{
	if (compound_head(page) != head) {
		bad_page(page, "incorrect compound_head");
		return true;
	}
	/* The first tail page holds the folio's mapcounts (Linux's checks). */
	if (page == head + 1) {
		if (unlikely(atomic_load_explicit(&page->_entire_mapcount, memory_order_relaxed) != -1)) {
			bad_page(page, "nonzero entire_mapcount");
			return true;
		}
		if (unlikely(atomic_load_explicit(&page->_nr_pages_mapped, memory_order_relaxed))) {
			bad_page(page, "nonzero nr_pages_mapped");
			return true;
		}
		if (unlikely(atomic_load_explicit(&page->_pincount, memory_order_relaxed))) {
			bad_page(page, "nonzero pincount");
			return true;
		}
		page->mapping = NULL;	/* the words the counters used */
		page->index = 0;
	}
	page->compound_head = 0;
	page->compound_order_ = 0;
	page->compound_nr_pages_ = 0;
	INIT_LIST_HEAD(&page->lru);
	return false;
}

/* Zero pages: through the direct map, or the physport for highmem. */
static void clear_pages_phys(struct page *page, unsigned int nr)
{
	struct mmsim *m = M();
	char *p = PageHighMem(page) ? m->hw.physport + (page_to_phys(page) - m->hw.layout.phys_offset)
				    : page_address(page);

	memset(p, 0, (size_t)nr << PAGE_SHIFT);
}

/*
 * free_pages_prepare_slow - free_pages_prepare() for a compound or
 * higher-order block, an mlocked or anonymous page, or a page that fails
 * a check: every check one at a time.
 */
static noinline bool free_pages_prepare_slow(struct page *page, unsigned int order)
{
	int alloc_order = get_alloc_order(page);
	bool compound = PageCompound(page);
	int bad = 0;

	if (unlikely(alloc_order >= 0 && (unsigned int)alloc_order != order)) {
		char why[96];

		snprintf(why, sizeof(why), "freed with order %u, allocated with order %d", order,
			 alloc_order);
		bad_page(page, why);
		return false;
	}
	if (unlikely(compound && compound_order(page) != order)) {
		bad_page(page, "VM_BUG_ON_PAGE(compound && compound_order(page) != order)");
		return false;
	}
	if (compound)
		ClearPageHead(page);
	if (unlikely(order)) {
		for (unsigned long i = 1; i < (1UL << order); i++) {
			struct page *p = page + i;

			if (compound && free_tail_page_is_bad(page, p)) {
				bad++;
				continue;
			}
			if (MMSIM_DEBUG_VM && free_page_is_bad(p)) {
				bad++;
				continue;
			}
			p->flags &= ~PAGE_FLAGS_CHECK_AT_PREP;
		}
	}
	/* A page freed while still mlocked (Linux's __page_cache_release):
	 * PG_mlocked goes, and so does its count. */
	if (unlikely(test_page_flag(page, PG_mlocked))) {
		__clear_page_flag(page, PG_mlocked);
		mod_zone_page_state(page_zone(page), NR_MLOCK, -(1L << order));
		count_vm_events(UNEVICTABLE_PGCLEARED, 1L << order);
	}
	/* An anonymous page's mapping (anon_vma | PAGE_MAPPING_ANON) goes with
	 * its last reference, as Linux's free_pages_prepare does. */
	if ((unsigned long)page->mapping & PAGE_MAPPING_FLAGS)
		WRITE_ONCE(page->mapping, NULL);	/* move_freepages reads it unlocked */
	if (free_page_is_bad(page))
		bad++;
	if (bad)
		return false;
	clear_alloc_order(page);
	if (page_owner_enabled())
		__reset_page_owner(page, order);
	if (kmsan_machine_on())
		kmsan_free_page(page, order);
	if (kasan_enabled())
		kasan_poison_pages(page, order);
	/* Atomic: move_freepages() on another CPU may read PageLRU of this
	 * page under its zone->lock while we free it (as set_alloc_order). */
	__atomic_fetch_and(&page->flags, ~(unsigned long)(PAGE_FLAGS_CHECK_AT_PREP), __ATOMIC_RELAXED);
	page->private = 0;
	if (M()->init_on_free)
		clear_pages_phys(page, 1U << order);
	if (unlikely(M()->debug_pagealloc || M()->page_poisoning))
		page_debug_free(page, 1U << order);	/* poison, then unmap: last */
	return true;
}

/*
 * free_pages_prepare - check and clean a block being freed.  False means
 * it is bad and must not be freed (it leaks, as in Linux).
 *
 * The common case - a non-compound block that is not mlocked, not
 * anonymous and passes the checks - is inline.  The head page's flags are
 * read once and written once: nobody else may set bits of a page whose
 * last reference is gone (a speculative get_page_unless_zero() fails on
 * it), and a lockless reader (move_freepages() on another CPU looking at
 * PageLRU) sees the old word or the new one.  The checks are Linux's
 * free_page_is_bad(): _mapcount (which shares its word with page_type) is
 * -1, so the page is unmapped and no PageBuddy; no mapping; no references;
 * no PAGE_FLAGS_CHECK_AT_FREE flag.  Anything else takes
 * free_pages_prepare_slow(), which looks at each in turn and reports.
 */
static __always_inline bool free_pages_prepare(struct page *page, unsigned int order)
{
	unsigned long flags = __atomic_load_n(&page->flags, __ATOMIC_RELAXED);
	int alloc_order = (int)((flags >> ALLOC_ORDER_PGSHIFT) & ALLOC_ORDER_MASK) - 1;

	if (unlikely((alloc_order >= 0 && (unsigned int)alloc_order != order) ||
		     (flags & (PAGE_FLAGS_CHECK_AT_FREE | (1UL << PG_head) | (1UL << PG_mlocked))) ||
		     PageTail(page) || page->mapping != NULL ||
		     atomic_load_explicit(&page->_mapcount, memory_order_relaxed) != -1 ||
		     page_ref_count(page) != 0))
		return free_pages_prepare_slow(page, order);
	for (unsigned long i = 1; i < (1UL << order); i++) {
		struct page *p = page + i;

		if (MMSIM_DEBUG_VM && free_page_is_bad(p))
			return free_pages_prepare_slow(page, order);
		p->flags &= ~PAGE_FLAGS_CHECK_AT_PREP;
	}
	flags &= ~(PAGE_FLAGS_CHECK_AT_PREP | (ALLOC_ORDER_MASK << ALLOC_ORDER_PGSHIFT));
	__atomic_store_n(&page->flags, flags, __ATOMIC_RELAXED);
	page->private = 0;
	if (page_owner_enabled())
		__reset_page_owner(page, order);
	if (kmsan_machine_on())
		kmsan_free_page(page, order);
	if (kasan_enabled())
		kasan_poison_pages(page, order);
	if (unlikely(M()->init_on_free))
		clear_pages_phys(page, 1U << order);
	if (unlikely(M()->debug_pagealloc || M()->page_poisoning))
		page_debug_free(page, 1U << order);	/* poison, then unmap: last */
	return true;
}

/* check_new_page - a page handed out must look free (debug builds). */
static bool check_new_pages(struct page *page, unsigned int order)
{
	if (!MMSIM_DEBUG_VM)
		return false;
	for (unsigned long i = 0; i < (1UL << order); i++) {
		struct page *p = page + i;
		const char *reason = page_bad_reason(p, PAGE_FLAGS_CHECK_AT_PREP);

		if (unlikely(reason)) {
			bad_page(p, reason);
			return true;
		}
	}
	return false;
}

void prep_compound_page(struct page *page, unsigned int order)
{
	unsigned long nr = 1UL << order;

	__SetPageHead(page);
	for (unsigned long i = 1; i < nr; i++) {
		page[i].compound_head = (unsigned long)page + 1;
	}
	page[1].compound_order_ = order;
	page[1].compound_nr_pages_ = (unsigned int)nr;
	/* Linux's prep_compound_head: the large folio's mapcounts. */
	atomic_store_explicit(&page[1]._entire_mapcount, -1, memory_order_relaxed);
	atomic_store_explicit(&page[1]._large_mapcount, -1, memory_order_relaxed);
	atomic_store_explicit(&page[1]._nr_pages_mapped, 0, memory_order_relaxed);
	atomic_store_explicit(&page[1]._pincount, 0, memory_order_relaxed);
}

static inline bool want_init_on_alloc(gfp_t gfp)
{
	return M()->init_on_alloc || (gfp & __GFP_ZERO);
}

static __always_inline void prep_new_page(struct page *page, unsigned int order, gfp_t gfp)
{
	if (unlikely(M()->debug_pagealloc || M()->page_poisoning))
		page_debug_alloc(page, 1U << order);	/* map, then check the poison */
	WRITE_ONCE(page->private, 0);	/* compaction's pfn scanner reads it unlocked */
	set_page_count(page, 1);
	set_alloc_order(page, order);
	if (page_owner_enabled())
		__set_page_owner(page, order, gfp);
	if (kasan_enabled())
		kasan_unpoison_pages(page, order);
	if (want_init_on_alloc(gfp))
		clear_pages_phys(page, 1U << order);
	if (kmsan_machine_on())
		kmsan_alloc_page(page, order, want_init_on_alloc(gfp) ? gfp | __GFP_ZERO : gfp);
	if (order && (gfp & __GFP_COMP))
		prep_compound_page(page, order);
}

/* ---------------------------------------------------------------------
 * Per-CPU lists: the per-page paths (setup and drains: mm/page_pcp.c)
 */

/*
 * free_pcppages_bulk - give @count pages from @pcp back to the buddy lists,
 * round-robin over the lists starting after @pindex, coldest (tail) first.
 */
static noinline void free_pcppages_bulk(struct zone *zone, int count, struct per_cpu_pages *pcp,
			       int pindex)
{
	count = min(pcp->count, count);
	if (count <= 0)
		return;
	spin_lock(&zone->lock);
	while (count > 0) {
		struct list_head *list;
		unsigned int order;

		do {
			if (++pindex > NR_PCP_LISTS - 1)
				pindex = 0;
			list = &pcp->lists[pindex];
		} while (list_empty(list));
		order = pindex_to_order(pindex);
		do {
			struct page *page = list_last_entry(list, struct page, lru);
			unsigned long pfn = page_to_pfn(page);
			int mt = (int)page->index;

			/* An isolated block keeps its pages out of circulation;
			 * a CMA block's pages go back to the CMA lists. */
			int block_mt = get_pfnblock_migratetype(zone, pfn);

			if (unlikely(block_mt == MIGRATE_ISOLATE || block_mt == MIGRATE_CMA))
				mt = block_mt;
			list_del(&page->lru);
			page->index = 0;
			count -= 1 << order;
			WRITE_ONCE(pcp->count, pcp->count - (1 << order));
			__free_one_page(page, pfn, zone, order, mt, FPI_NONE);
		} while (count > 0 && !list_empty(list));
	}
	spin_unlock(&zone->lock);
}

/* drain_pcp - give every page on @pcp back to the buddy lists; clears drain_pending. */
void drain_pcp(struct zone *zone, struct per_cpu_pages *pcp)
{
	atomic_store_explicit(&pcp->drain_pending, 0, memory_order_relaxed);
	if (pcp->count)
		free_pcppages_bulk(zone, pcp->count, pcp, 0);
}

static inline void pcp_check_pending(struct zone *zone, struct per_cpu_pages *pcp)
{
	/* The request carries no data: a relaxed look is enough. */
	if (unlikely(atomic_load_explicit(&pcp->drain_pending, memory_order_relaxed)))
		drain_pcp(zone, pcp);
}

/* How many pages to free when the pcp passes high (nr_pcp_free). */
static int nr_pcp_free(struct per_cpu_pages *pcp, int batch, int high)
{
	if (unlikely(high < batch))
		return 1;
	/* Leave a batch; free more after a long run of frees. */
	return clamp(pcp->free_count, batch, high - batch);
}

/* The pcp reached high: give pages back to the buddy lists. */
static noinline void free_pcp_over_high(struct zone *zone, struct per_cpu_pages *pcp, int batch,
					int high, int pindex)
{
	free_pcppages_bulk(zone, nr_pcp_free(pcp, batch, high), pcp, pindex);
}

static __always_inline void free_unref_page_commit(struct zone *zone, struct per_cpu_pages *pcp,
						   struct page *page, int migratetype,
						   unsigned int order)
{
	int pindex = order_to_pindex(migratetype, order);
	int count = pcp->count + (1 << order);
	int batch, high;

	__count_vm_events(PGFREE, 1L << order);
	page->index = (pgoff_t)migratetype;
	list_add(&page->lru, &pcp->lists[pindex]);
	WRITE_ONCE(pcp->count, count);
	batch = READ_ONCE(pcp->batch);
	high = READ_ONCE(pcp->high);
	if (pcp->free_count < (batch << 4))
		pcp->free_count += 1 << order;
	if (unlikely(count >= high))
		free_pcp_over_high(zone, pcp, batch, high, pindex);
}

void free_one_page(struct zone *zone, struct page *page, unsigned long pfn,
		   unsigned int order, int migratetype, int fpi_flags)
{
	spin_lock(&zone->lock);
	__free_one_page(page, pfn, zone, order, migratetype, fpi_flags);
	spin_unlock(&zone->lock);
}

/* free_unref_page - free a small block to the per-CPU list. */
static __always_inline void free_unref_page(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page);
	struct per_cpu_pages *pcp;
	struct zone *zone;
	int migratetype;

	if (!free_pages_prepare(page, order))
		return;
	zone = page_zone(page);
	migratetype = get_pfnblock_migratetype(zone, pfn);
	if (unlikely(migratetype >= MIGRATE_PCPTYPES)) {
		if (unlikely(migratetype == MIGRATE_ISOLATE)) {
			__count_vm_events(PGFREE, 1L << order);
			free_one_page(zone, page, pfn, order, migratetype, FPI_NONE);
			return;
		}
		migratetype = MIGRATE_MOVABLE;	/* HighAtomic pages go back via Movable */
	}
	pcp = this_cpu_pcp(zone);
	pcp_check_pending(zone, pcp);
	free_unref_page_commit(zone, pcp, page, migratetype, order);
}

/* __free_pages_ok - free a large block straight to the buddy lists. */
static noinline void __free_pages_ok(struct page *page, unsigned int order, int fpi_flags)
{
	unsigned long pfn = page_to_pfn(page);
	struct zone *zone = page_zone(page);

	if (!free_pages_prepare(page, order))
		return;
	__count_vm_events(PGFREE, 1L << order);
	free_one_page(zone, page, pfn, order, get_pfnblock_migratetype(zone, pfn), fpi_flags);
}

static __always_inline void free_the_page(struct page *page, unsigned int order)
{
	if (likely(pcp_allowed_order(order)))
		free_unref_page(page, order);
	else
		__free_pages_ok(page, order, FPI_NONE);
}

/* How many pages a refill takes: a batch, fewer for larger orders. */
static int nr_pcp_alloc(struct per_cpu_pages *pcp, unsigned int order)
{
	int batch = READ_ONCE(pcp->batch);

	if (order)
		batch = max(batch >> order, 2);
	return batch;
}

/* The list of @order and @migratetype is empty: refill it under zone->lock. */
static noinline struct page *rmqueue_pcplist_refill(struct zone *zone, struct per_cpu_pages *pcp,
						    unsigned int order, int migratetype,
						    unsigned int alloc_flags)
{
	struct list_head *list = &pcp->lists[order_to_pindex(migratetype, order)];
	int batch = nr_pcp_alloc(pcp, order);
	int got = rmqueue_bulk(zone, order, batch, list, migratetype, alloc_flags);
	struct page *page;

	WRITE_ONCE(pcp->count, pcp->count + (got << order));
	if (unlikely(list_empty(list)))
		return NULL;
	page = list_first_entry(list, struct page, lru);
	list_del(&page->lru);
	page->index = 0;
	WRITE_ONCE(pcp->count, pcp->count - (1 << order));
	return page;
}

static __always_inline struct page *rmqueue_pcplist(struct zone *zone, unsigned int order,
						    int migratetype, unsigned int alloc_flags)
{
	struct per_cpu_pages *pcp = this_cpu_pcp(zone);
	struct list_head *list = &pcp->lists[order_to_pindex(migratetype, order)];
	struct page *page;

	pcp_check_pending(zone, pcp);
	pcp->free_count >>= 1;	/* an allocation ends a run of frees */
	if (unlikely(list_empty(list)))
		return rmqueue_pcplist_refill(zone, pcp, order, migratetype, alloc_flags);
	page = list_first_entry(list, struct page, lru);
	list_del(&page->lru);
	page->index = 0;
	WRITE_ONCE(pcp->count, pcp->count - (1 << order));
	return page;
}

static struct page *rmqueue_buddy(struct zone *zone, unsigned int order,
				  unsigned int alloc_flags, int migratetype)
{
	struct page *page = NULL;

	spin_lock(&zone->lock);
	if (alloc_flags & ALLOC_HIGHATOMIC)
		page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
	if (!page) {
		page = __rmqueue(zone, order, migratetype, alloc_flags);
		/* Atomic and OOM allocations may dip into the HighAtomic reserve. */
		if (!page && (alloc_flags & (ALLOC_OOM | ALLOC_NON_BLOCK)))
			page = __rmqueue_smallest(zone, order, MIGRATE_HIGHATOMIC);
	}
	if (page)
		account_freepages(zone, -(1L << order), migratetype);
	spin_unlock(&zone->lock);
	return page;
}

/* NUMA hit/miss accounting, on the allocating CPU's pcp counters. */
static inline void zone_statistics(struct zone *preferred, struct zone *z, long nr)
{
	const struct cpu_state *cpu = current_cpu;
	unsigned long *ev = z->per_cpu_pageset[cpu->id].numa_events;
	int local = z->node == cpu->node ? NUMA_LOCAL : NUMA_OTHER;

	if (z->node == preferred->node) {
		WRITE_ONCE(ev[NUMA_HIT], ev[NUMA_HIT] + (unsigned long)nr);
	} else {
		unsigned long *pev = this_cpu_pcp(preferred)->numa_events;

		WRITE_ONCE(ev[NUMA_MISS], ev[NUMA_MISS] + (unsigned long)nr);
		WRITE_ONCE(pev[NUMA_FOREIGN], pev[NUMA_FOREIGN] + (unsigned long)nr);
	}
	WRITE_ONCE(ev[local], ev[local] + (unsigned long)nr);
}

static __always_inline struct page *rmqueue(struct zone *preferred, struct zone *zone, int zid,
				   unsigned int order, gfp_t gfp, unsigned int alloc_flags,
				   int migratetype)
{
	struct page *page;

	if (likely(pcp_allowed_order(order)))
		page = rmqueue_pcplist(zone, order, migratetype, alloc_flags);
	else
		page = rmqueue_buddy(zone, order, alloc_flags, migratetype);
	if (likely(page)) {
		__count_zid_vm_events_alloc(zid, 1L << order);
		zone_statistics(preferred, zone, 1);	/* NUMA events count allocations */
	}
	/* A fallback boosted the watermark: kswapd reclaims the boost. */
	if ((alloc_flags & ALLOC_KSWAPD) &&
	    unlikely(__atomic_load_n(&zone->flags, __ATOMIC_RELAXED) & (1UL << ZONE_BOOSTED_WATERMARK))) {
		__atomic_and_fetch(&zone->flags, ~(1UL << ZONE_BOOSTED_WATERMARK), __ATOMIC_RELAXED);
		wakeup_kswapd(zone, 0, 0, (enum zone_type)zone_idx(zone));
	}
	return page;
}

/* ---------------------------------------------------------------------
 * Watermarks
 */

static inline long __zone_watermark_unusable_free(struct zone *z, unsigned int order,
						  unsigned int alloc_flags)
{
	long unusable_free = (1L << order) - 1;

	/* The HighAtomic reserve is only for those allowed into the reserves. */
	if (likely(!(alloc_flags & ALLOC_RESERVES)))
		unusable_free += (long)READ_ONCE(z->nr_reserved_highatomic);
	if (!(alloc_flags & ALLOC_CMA))		/* free CMA pages are not for them */
		unusable_free += (long)zone_page_state(z, NR_FREE_CMA_PAGES);
	return unusable_free;
}

/* __zone_watermark_ok's body, inline into zone_watermark_fast(). */
static __always_inline bool zone_watermark_ok_inline(struct zone *z, unsigned int order,
						     unsigned long mark, int highest_zoneidx,
						     unsigned int alloc_flags, long free_pages)
{
	long min = (long)mark;

	free_pages -= __zone_watermark_unusable_free(z, order, alloc_flags);
	if (unlikely(alloc_flags & ALLOC_RESERVES)) {
		if (alloc_flags & ALLOC_MIN_RESERVE) {
			min -= min / 2;			/* __GFP_HIGH */
			if (alloc_flags & ALLOC_NON_BLOCK)
				min -= min / 4;		/* and cannot block */
		}
		if (alloc_flags & ALLOC_OOM)
			min -= min / 2;
	}
	if (free_pages <= min + z->lowmem_reserve[highest_zoneidx])
		return false;
	if (!order)
		return true;
	/* For high orders, a block of at least that order must be free. */
	for (unsigned int o = order; o < NR_PAGE_ORDERS; o++) {
		/* free_area.nonempty: bit t set iff free_list[t] has a block. */
		unsigned long nonempty = READ_ONCE(z->free_area[o].nonempty);

		if (nonempty & ((1UL << MIGRATE_PCPTYPES) - 1))
			return true;
		if ((alloc_flags & (ALLOC_HIGHATOMIC | ALLOC_OOM)) &&
		    (nonempty & (1UL << MIGRATE_HIGHATOMIC)))
			return true;
		if ((alloc_flags & ALLOC_CMA) && (nonempty & (1UL << MIGRATE_CMA)))
			return true;
	}
	return false;
}

bool __zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
			 int highest_zoneidx, unsigned int alloc_flags, long free_pages)
{
	return zone_watermark_ok_inline(z, order, mark, highest_zoneidx, alloc_flags, free_pages);
}

bool zone_watermark_ok(struct zone *z, unsigned int order, unsigned long mark,
		       int highest_zoneidx, unsigned int alloc_flags)
{
	return __zone_watermark_ok(z, order, mark, highest_zoneidx, alloc_flags,
				   (long)zone_page_state(z, NR_FREE_PAGES));
}

bool zone_watermark_ok_safe(struct zone *z, unsigned int order, unsigned long mark,
			    int highest_zoneidx)
{
	return zone_watermark_ok(z, order, mark, highest_zoneidx, 0);
}

static inline bool zone_watermark_fast(struct zone *z, unsigned int order, unsigned long mark,
				       int highest_zoneidx, unsigned int alloc_flags)
{
	long free_pages = (long)zone_page_state(z, NR_FREE_PAGES);

	/* Order 0 without reserves: one comparison. */
	if (!order) {
		long reserved = __zone_watermark_unusable_free(z, 0, alloc_flags);
		long usable = free_pages - min(free_pages, reserved);

		if (usable > (long)mark + z->lowmem_reserve[highest_zoneidx])
			return true;
	}
	if (zone_watermark_ok_inline(z, order, mark, highest_zoneidx, alloc_flags, free_pages))
		return true;
	/* __GFP_HIGH order-0 requests ignore a watermark boost. */
	if (unlikely(!order && (alloc_flags & ALLOC_MIN_RESERVE) && z->watermark_boost &&
		     (alloc_flags & ALLOC_WMARK_MASK) == WMARK_MIN))
		return __zone_watermark_ok(z, order, z->_watermark[WMARK_MIN], highest_zoneidx,
					   alloc_flags, free_pages);
	return false;
}

/* ---------------------------------------------------------------------
 * The allocation path
 */

/* ALLOC_NOFRAGMENT: prefer a lower zone over fragmenting ZONE_NORMAL (as Linux). */
static inline unsigned int alloc_flags_nofragment(const struct zoneref *z, gfp_t gfp)
{
	unsigned int alloc_flags = (gfp & __GFP_KSWAPD_RECLAIM ? ALLOC_KSWAPD : 0) |
				   gfp_to_alloc_flags_cma(gfp);
	struct zone *zone = z->zone;

	if (!zone || z->zone_idx != ZONE_NORMAL || !current_layout->is_64bit)
		return alloc_flags;
	if (M()->nr_nodes > 1 && !populated_zone(zone - 1))
		return alloc_flags;
	return alloc_flags | ALLOC_NOFRAGMENT;
}

/*
 * __get_page_from_freelist - get_page_from_freelist(), inline into
 * __alloc_pages' fast attempt; the slow path calls the outline copy.
 */
static __always_inline struct page *__get_page_from_freelist(gfp_t gfp, unsigned int order,
							     unsigned int alloc_flags,
							     const struct alloc_context *ac)
{
	struct zoneref *z;
	bool no_fallback;

retry:
	no_fallback = alloc_flags & ALLOC_NOFRAGMENT;
	for (z = ac->preferred_zoneref; z->zone; z++) {
		struct zone *zone = z->zone;
		struct page *page;
		unsigned long mark;

		if (!zone_allowed(z, ac))
			continue;
		/* With ALLOC_NOFRAGMENT, stay on the local node. */
		if (no_fallback && M()->nr_nodes > 1 && zone != ac->preferred_zoneref->zone &&
		    zone->node != ac->preferred_zoneref->zone->node) {
			alloc_flags &= ~ALLOC_NOFRAGMENT;
			goto retry;
		}
		if (!(alloc_flags & ALLOC_NO_WATERMARKS)) {
			mark = wmark_pages(zone, alloc_flags & ALLOC_WMARK_MASK);
			if (!zone_watermark_fast(zone, order, mark, ac->highest_zoneidx,
						 alloc_flags))
				continue;	/* node_reclaim() would plug in here */
		}
		page = rmqueue(ac->preferred_zoneref->zone, zone, z->zone_idx, order, gfp,
			       alloc_flags, ac->migratetype);
		if (page) {
			if (unlikely(check_new_pages(page, order)))
				goto retry;	/* the bad page is leaked; try another */
			prep_new_page(page, order, gfp);
			if (unlikely(alloc_flags & ALLOC_HIGHATOMIC) && order)
				reserve_highatomic_pageblock(page, zone);
			return page;
		}
	}
	if (no_fallback) {
		alloc_flags &= ~ALLOC_NOFRAGMENT;
		goto retry;
	}
	return NULL;
}

struct page *get_page_from_freelist(gfp_t gfp, unsigned int order, unsigned int alloc_flags,
				    const struct alloc_context *ac)
{
	return __get_page_from_freelist(gfp, order, alloc_flags, ac);
}

static __always_inline bool prepare_alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid,
				const unsigned long *nodemask, struct alloc_context *ac)
{
	pg_data_t *pgdat = NODE_DATA(preferred_nid);

	/* No zone modifier (GFP_KERNEL & co.): ZONE_NORMAL without a call. */
	ac->highest_zoneidx = likely(!(gfp & (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM))) ?
		ZONE_NORMAL : gfp_zone(gfp);
	ac->zonelist = &pgdat->node_zonelists[(gfp & __GFP_THISNODE) ? ZONELIST_NOFALLBACK :
									 ZONELIST_FALLBACK];
	ac->nodemask = nodemask;
	ac->migratetype = gfp_migratetype(gfp);
	if (unlikely(should_fail_alloc_page(gfp, order)))
		return false;
	/* The first zone we may use: the preferred zone for statistics. */
	for (ac->preferred_zoneref = ac->zonelist->_zonerefs; ac->preferred_zoneref->zone;
	     ac->preferred_zoneref++)
		if (zone_allowed(ac->preferred_zoneref, ac))
			break;
	return true;
}

/**
 * __alloc_pages - the page allocator's heart
 * @gfp: GFP flags
 * @order: the block is 2^order pages
 * @preferred_nid: the node to try first
 * @nodemask: nodes allowed, or NULL for all
 *
 * Context: any thread that has entered a CPU of the machine.
 * Return: the first page of the block, or NULL.
 */
/*
 * alloc_pages_pcp_fast - the common case of __alloc_pages(), in a few
 * dozen instructions: no nodemask, no zone modifier, no fault injection,
 * an order the per-CPU lists hold, the preferred zone above its low
 * watermark and not boosted, and a block on this CPU's list for the order
 * and migratetype.  That is exactly what the first step of
 * get_page_from_freelist() does in that case (the same watermark check;
 * nothing refills, so the other alloc_flags play no part), with the same
 * statistics and prep_new_page().  NULL means
 * "not this case": __alloc_pages() then goes the whole way.
 */
static __always_inline struct page *alloc_pages_pcp_fast(gfp_t gfp, unsigned int order, int nid)
{
	const struct cpu_state *cpu = current_cpu;
	const struct zoneref *z;
	struct per_cpu_pages *pcp;
	struct list_head *list;
	struct zone *zone;
	struct page *page;
	unsigned long zflags;

	if (unlikely(gfp & (__GFP_DMA | __GFP_DMA32 | __GFP_HIGHMEM)) ||
	    unlikely(!pcp_allowed_order(order)) || unlikely(cpu->m->fail_page_alloc.probability))
		return NULL;
	z = NODE_DATA(nid)->node_zonelists[(gfp & __GFP_THISNODE) ? ZONELIST_NOFALLBACK :
								  ZONELIST_FALLBACK]._zonerefs;
	while (z->zone && z->zone_idx > ZONE_NORMAL)
		z++;
	zone = z->zone;
	if (unlikely(!zone))
		return NULL;
	zflags = __atomic_load_n(&zone->flags, __ATOMIC_RELAXED);
	if (unlikely(zflags & (1UL << ZONE_BOOSTED_WATERMARK)))
		return NULL;
	/* No alloc_flags: the fast path's (WMARK_LOW, KSWAPD, NOFRAGMENT)
	 * reserve nothing, so the check is get_page_from_freelist's. */
	if (unlikely(!zone_watermark_fast(zone, order, low_wmark_pages(zone), ZONE_NORMAL, 0)))
		return NULL;
	pcp = &zone->per_cpu_pageset[cpu->id];
	list = &pcp->lists[order_to_pindex(gfp_migratetype(gfp), order)];
	if (unlikely(list_empty(list)) ||
	    unlikely(atomic_load_explicit(&pcp->drain_pending, memory_order_relaxed)))
		return NULL;
	pcp->free_count >>= 1;	/* an allocation ends a run of frees */
	page = list_first_entry(list, struct page, lru);
	list_del(&page->lru);
	page->index = 0;
	WRITE_ONCE(pcp->count, pcp->count - (1 << order));
	__count_zid_vm_events_alloc(z->zone_idx, 1L << order);
	zone_statistics(zone, zone, 1);
	if (unlikely(check_new_pages(page, order)))
		return NULL;	/* leaked, as get_page_from_freelist does */
	prep_new_page(page, order, gfp);
	return page;
}

/* alloc_pages_zonelist - __alloc_pages() the whole way: the zonelist walk, then the slow path. */
static noinline struct page *alloc_pages_zonelist(gfp_t gfp, unsigned int order,
						  int preferred_nid, const unsigned long *nodemask)
{
	struct alloc_context ac;
	struct page *page;

	if (unlikely(order > MAX_PAGE_ORDER)) {
		WARN_ON_ONCE(!(gfp & __GFP_NOWARN));
		return NULL;
	}
	if (!prepare_alloc_pages(gfp, order, preferred_nid, nodemask, &ac))
		return NULL;
	if (unlikely(!ac.preferred_zoneref->zone))
		goto slow;
	page = __get_page_from_freelist(gfp, order,
					ALLOC_WMARK_LOW |
					alloc_flags_nofragment(ac.preferred_zoneref, gfp),
					&ac);
	if (likely(page))
		return page;
slow:
	return __alloc_pages_slowpath(gfp, order, &ac);
}

static __always_inline struct page *alloc_pages_common(gfp_t gfp, unsigned int order,
						       int preferred_nid,
						       const unsigned long *nodemask)
{
	if (likely(!nodemask)) {
		struct page *page = alloc_pages_pcp_fast(gfp, order, preferred_nid);

		if (likely(page))
			return page;
	}
	return alloc_pages_zonelist(gfp, order, preferred_nid, nodemask);
}

struct page *__alloc_pages(gfp_t gfp, unsigned int order, int preferred_nid,
			   const unsigned long *nodemask)
{
	return alloc_pages_common(gfp, order, preferred_nid, nodemask);
}

/*
 * The same, not a call to the exported __alloc_pages(): in libmmsim.so
 * that call would go through the PLT (it may be interposed) and could not
 * be inlined.
 */
struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_pages_common(gfp, order, current_cpu->node, NULL);
}

struct page *alloc_pages_node(int nid, gfp_t gfp, unsigned int order)
{
	if (nid == NUMA_NO_NODE)
		nid = numa_node_id();
	if (nid < 0 || nid >= M()->nr_nodes) {
		WARN_ON_ONCE(1);
		return NULL;
	}
	return alloc_pages_common(gfp, order, nid, NULL);
}

unsigned long __get_free_pages(gfp_t gfp, unsigned int order)
{
	struct page *page;

	page = alloc_pages_common(gfp & ~__GFP_HIGHMEM, order, current_cpu->node, NULL);
	return page ? (unsigned long)page_address(page) : 0;
}

unsigned long get_zeroed_page(gfp_t gfp)
{
	return __get_free_pages(gfp | __GFP_ZERO, 0);
}

/*
 * alloc_pages_bulk - fill the NULL slots of @page_array with order-0 pages.
 * Returns the number of populated slots (the array's prefix that is set).
 */
unsigned long alloc_pages_bulk(gfp_t gfp, unsigned long nr_pages, struct page **page_array)
{
	unsigned long nr_populated = 0;

	while (nr_populated < nr_pages && page_array[nr_populated])
		nr_populated++;
	for (unsigned long i = nr_populated; i < nr_pages; i++) {
		if (page_array[i]) {
			nr_populated++;
			continue;
		}
		page_array[i] = alloc_pages(gfp | (nr_populated ? __GFP_NOWARN : 0), 0);
		if (!page_array[i])
			break;
		nr_populated++;
	}
	return nr_populated;
}

/* ---------------------------------------------------------------------
 * Freeing
 */

/* Linux: VM_BUG_ON_PAGE(page_ref_count(page) == 0, page); the count is restored. */
static noinline __cold void put_page_underflow(struct page *page)
{
	atomic_fetch_add_explicit(&page->_refcount, 1, memory_order_relaxed);
	dump_page(page, "VM_BUG_ON_PAGE(page_ref_count(page) == 0)");
	BUG();
}

static __always_inline bool __put_page_testzero(struct page *page)
{
	int old = atomic_fetch_sub_explicit(&page->_refcount, 1, memory_order_acq_rel);

	if (unlikely(old <= 0)) {
		put_page_underflow(page);
		return false;
	}
	return old == 1;
}

bool put_page_testzero_fn(struct page *page)
{
	return __put_page_testzero(page);
}

/* Someone else holds the first page of a non-compound block: free the rest. */
static noinline void free_pages_but_first(struct page *page, unsigned int order)
{
	set_alloc_order(page, 0);	/* the holder frees only the first page */
	while (order-- > 0)
		free_the_page(page + (1UL << order), order);
}

/**
 * __free_pages - free pages allocated with alloc_pages()
 * @page: the first page of the block
 * @order: the order it was allocated with
 *
 * Drops a reference; the block is freed when it was the last.  If someone
 * else still holds the first page, the rest of a non-compound block is
 * freed now and the first page when they let go, as in Linux.  A pointer
 * that is no struct page of this machine's memmap is reported ("Bad page
 * state") and nothing is freed.
 */
void __free_pages(struct page *page, unsigned int order)
{
	bool head;

	if (unlikely(!page_in_memmap(page))) {
		bad_page_pointer(page, order);
		return;
	}
	head = PageHead(page);

	if (__put_page_testzero(page))
		free_the_page(page, order);
	else if (!head && page_ref_count(page) > 0)
		free_pages_but_first(page, order);
}

void free_pages(unsigned long addr, unsigned int order)
{
	if (addr != 0) {
		/* Linux's VM_BUG_ON (CONFIG_DEBUG_VM); the splat returns here. */
		if (unlikely(!virt_addr_valid((void *)addr))) {
			BUG();
			return;
		}
		__free_pages(virt_to_page((void *)addr), order);
	}
}

int page_count(const struct page *page)
{
	return page_ref_count(compound_head(page));
}

void get_page(struct page *page)
{
	page = compound_head(page);
	if (WARN_ON(page_ref_count(page) <= 0))
		dump_page(page, "get_page of a free page");
	atomic_fetch_add_explicit(&page->_refcount, 1, memory_order_relaxed);
}

bool get_page_unless_zero(struct page *page)
{
	int v = page_ref_count(page);

	while (v != 0)
		if (atomic_compare_exchange_weak(&page->_refcount, &v, v + 1))
			return true;
	return false;
}

void put_page(struct page *page)
{
	page = compound_head(page);
	if (__put_page_testzero(page)) {
		/* Linux's __folio_put: off the LRU first (mm/swap.c). */
		if (PageLRU(page))
			__page_cache_release((struct folio *)page);
		/* Linux's free_huge_folio: a hugetlb folio goes back to its pool */
		if (unlikely(PageHead(page) && folio_test_hugetlb((struct folio *)page))) {
			free_huge_folio((struct folio *)page);
			return;
		}
		is_zone_device_page(page) ? free_zone_device_folio((struct folio *)page) /* to its driver */
					  : free_the_page(page, compound_order(page));
	}
}

/*
 * split_page_owner - the allocation-order record of a block split into
 * blocks of @new_order (split_huge_page: each base page is then freed
 * on its own).  Linux's page_owner keeps the same record.
 */
void split_page_owner(struct page *page, int old_order, int new_order)
{
	for (unsigned long i = 0; i < (1UL << old_order); i += 1UL << new_order)
		set_alloc_order(page + i, (unsigned int)new_order);
}

/* split_page - turn an order-N non-compound block into 2^N order-0 pages. */
void split_page(struct page *page, unsigned int order)
{
	VM_BUG_ON(PageCompound(page));
	for (unsigned long i = 1; i < (1UL << order); i++) {
		set_page_count(page + i, 1);
		set_alloc_order(page + i, 0);
	}
	set_alloc_order(page, 0);
	if (page_owner_enabled())
		__split_page_owner(page, order);
}

/*
 * __isolate_free_page - take the free block @page of @order off the buddy
 * lists for a caller that places the pages itself (compaction's free
 * scanner, Linux's isolate_freepages_block).  Refused (0) when it would
 * leave the zone below its min watermark at order 0.  A whole pageblock
 * taken becomes Movable, as the pages will hold migrated movable data.
 * Call with zone->lock held.  Returns the pages taken.
 */
unsigned long __isolate_free_page(struct page *page, unsigned int order)
{
	struct zone *zone = page_zone(page);
	int mt = get_pageblock_migratetype(page);

	lockdep_assert_held(&zone->lock);
	if (mt != MIGRATE_ISOLATE) {
		unsigned long watermark = min_wmark_pages(zone) + (1UL << order);

		if (!__zone_watermark_ok(zone, 0, watermark, 0, ALLOC_CMA,
					 (long)zone_page_state(zone, NR_FREE_PAGES)))
			return 0;
	}
	del_page_from_free_list(page, zone, order);
	if (mt != MIGRATE_ISOLATE)
		account_freepages(zone, -(1L << order), mt);
	if (order >= pageblock_order && mt != MIGRATE_ISOLATE && !is_migrate_highatomic(mt)) {
		for (unsigned long i = 0; i < (1UL << order); i += pageblock_nr_pages)
			if (migratetype_is_mergeable(get_pageblock_migratetype(page + i)))
				set_pageblock_migratetype(page + i, MIGRATE_MOVABLE);
	}
	return 1UL << order;
}

/* post_alloc_hook - what an allocation does to a block it hands out (no
 * compound page: callers that take blocks with __isolate_free_page split them). */
void post_alloc_hook(struct page *page, unsigned int order, gfp_t gfp)
{
	prep_new_page(page, order, gfp & ~__GFP_COMP);
}

static void *make_alloc_exact(unsigned long addr, unsigned int order, size_t size)
{
	if (addr) {
		unsigned long nr = DIV_ROUND_UP(size, PAGE_SIZE);
		struct page *page = virt_to_page((void *)addr);

		split_page(page, order);
		/* Give back the pages past the size asked for. */
		for (unsigned long i = nr; i < (1UL << order); i++)
			__free_pages(page + i, 0);
	}
	return (void *)addr;
}

/**
 * alloc_pages_exact - allocate exactly @size bytes of pages
 * Return: the direct-map address, or NULL.  Free with free_pages_exact().
 */
void *alloc_pages_exact(size_t size, gfp_t gfp)
{
	unsigned int order = get_order(size);

	if (WARN_ON_ONCE(gfp & (__GFP_COMP | __GFP_HIGHMEM)))
		gfp &= ~(__GFP_COMP | __GFP_HIGHMEM);
	return make_alloc_exact(__get_free_pages(gfp, order), order, size);
}

void free_pages_exact(void *virt, size_t size)
{
	unsigned long addr = (unsigned long)virt;
	unsigned long end = addr + PAGE_ALIGN(size);

	while (addr < end) {
		free_page(addr);
		addr += PAGE_SIZE;
	}
}

/* ---------------------------------------------------------------------
 * Totals (the sysinfo summaries built on them are in mm/show_mem.c)
 */

unsigned long totalram_pages(void)
{
	return (unsigned long)atomic_long_read(&M()->totalram_pages);
}

unsigned long totalhigh_pages(void)
{
	return (unsigned long)atomic_long_read(&M()->totalhigh_pages);
}

unsigned long nr_free_pages(void)
{
	return global_zone_page_state(NR_FREE_PAGES);
}

struct zone *next_zone(struct zone *zone)
{
	pg_data_t *pgdat = zone->zone_pgdat;

	for (;;) {
		if (zone < pgdat->node_zones + MAX_NR_ZONES - 1) {
			zone++;
		} else {
			int nid = pgdat->node_id + 1;

			if (nid >= M()->nr_nodes)
				return NULL;
			pgdat = M()->node_data[nid];
			zone = pgdat->node_zones;
		}
		if (zone->configured)
			return zone;
	}
}

void *page_address(const struct page *page)
{
	if (unlikely(PageHighMem(page)))
		return highmem_page_address(page);	/* kmapped, or NULL */
	return lowmem_page_address(page);
}
