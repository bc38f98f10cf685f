// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page_alloc_slow.c - the page allocator's slow path: what
 * __alloc_pages() does when the fast path (get_page_from_freelist() at the
 * low watermark, mm/page_alloc.c) found nothing.
 *
 * Owns: __alloc_pages_slowpath() and its helpers (gfp_to_alloc_flags(),
 * gfp_pfmemalloc_flags(), __alloc_pages_direct_reclaim(),
 * should_reclaim_retry(), __alloc_pages_may_oom()), the calls into kswapd
 * (wake_all_kswapds -> wakeup_kswapd), direct reclaim (__perform_reclaim ->
 * try_to_free_pages under PF_MEMALLOC, kept per CPU by
 * memalloc_noreclaim_save) and the OOM killer, and warn_alloc(), the
 * "page allocation failure" report.  Its only data is warn_alloc()'s
 * nopage_rs, whose counters live per machine (lib/ratelimit.c); each call
 * works on the caller's struct alloc_context (mm/internal.h), which
 * prepare_alloc_pages() filled in and which is not changed here.
 *
 * States of one call, in order (Linux's shape):
 *   1. retry at the min watermark with the reserves the gfp flags allow
 *      (gfp_to_alloc_flags: __GFP_HIGH -> ALLOC_MIN_RESERVE, cannot block
 *      -> ALLOC_NON_BLOCK, and ALLOC_HIGHATOMIC for orders > 0); costly
 *      orders (and high-order unmovable ones) that may block and do IO try
 *      async direct compaction first (mm/compaction.c); a costly
 *      __GFP_NORETRY request gives up if compaction was skipped or deferred;
 *   2. retry:  __GFP_MEMALLOC switches to ALLOC_NO_WATERMARKS; try again;
 *   3. only with __GFP_DIRECT_RECLAIM and not already reclaiming
 *      (PF_MEMALLOC): direct reclaim (mm/vmscan.c), then give back a HighAtomic block and drain every CPU's
 *      lists (drain_all_pages) and try once more; then direct compaction
 *      at the current compact priority (compact_stall, compact_success or
 *      compact_fail);
 *   4. should_reclaim_retry() decides between 2 and 5; after
 *      MAX_RECLAIM_RETRIES loops without progress it only retries when a
 *      last HighAtomic block could be given back; while reclaim makes
 *      progress, should_compact_retry() may go back to 2 at a more
 *      determined compact priority (at most MAX_COMPACT_RETRIES successes
 *      without a page per priority);
 *   5. __alloc_pages_may_oom: one try at the high watermark, then the OOM
 *      killer (out_of_memory, mm/oom_kill.c) unless the order is costly,
 *      the request is __GFP_RETRY_MAYFAIL/__GFP_THISNODE or lowmem-only;
 *      a kill (or a victim in flight) is progress: back to 2, at most
 *      MAX_OOM_LOOPS times; a victim that already had the reserves stops;
 *   6. nopage: a halted machine (panic_on_oom) returns NULL silently;
 *      __GFP_NOFAIL tries ALLOC_MIN_RESERVE and goes back to 2 (Linux
 *      loops for ever; mmsim MAX_NOFAIL_LOOPS times, then one try at
 *      ALLOC_NO_WATERMARKS and a WARN); a __GFP_NOFAIL request that cannot
 *      reclaim WARNs and fails; then warn_alloc() and NULL.
 *
 * Locking: takes no lock itself and is entered with none held.  Its
 * callees take, one at a time and never nested except as listed:
 * zone->lock (get_page_from_freelist, unreserve_highatomic_pageblock),
 * m->cpu_lock then zone->lock inside it (drain_all_pages), and the log
 * lock (warn_alloc's printk and __show_mem), and out_of_memory's oom_lock ->
 * tasklist_lock (mm/oom_kill.c).  Order: cpu_lock ->
 * zone->lock -> log lock, as in docs/locking.md.
 *
 * Invariants (checkable):
 *   the slow path returns with no lock held
 *   without __GFP_DIRECT_RECLAIM, drain_all_pages() is not called
 *   no_progress_loops never exceeds MAX_RECLAIM_RETRIES + 1 when a retry
 *   is decided, unless a HighAtomic block was given back that time
 *   a __GFP_NOFAIL request makes at most one ALLOC_NO_WATERMARKS attempt
 *   in the nopage state, after at most MAX_NOFAIL_LOOPS rounds
 *   NULL is returned only after warn_alloc(), which prints nothing for
 *   __GFP_NOWARN, and at most DEFAULT_RATELIMIT_BURST (10) reports per
 *   DEFAULT_RATELIMIT_INTERVAL (5 s of virtual time) on one machine, as
 *   Linux's nopage_rs; the rest are counted and reported as
 *   "warn_alloc: N callbacks suppressed" once the interval has passed
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdarg.h>
#include <mmsim/ratelimit.h>
#include <mmsim/swap.h>
#include <mmsim/oom.h>
#include <mmsim/psi.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/compaction.h>
#include "mm/internal.h"

/*
 * mmsim bounds what Linux leaves unbounded: an allocation that the OOM
 * killer keeps "making progress" for (a victim that never frees) gives up
 * after this many kills instead of hanging the simulation.
 */
#define MAX_OOM_LOOPS	64
/*
 * And a __GFP_NOFAIL request, which Linux retries for ever, goes round
 * reclaim and the OOM killer this many times before its last try at every
 * reserve and the failure report.
 */
#define MAX_NOFAIL_LOOPS	16

/* Linux's WARN_ON_ONCE_GFP: silent for __GFP_NOWARN requests. */
#define WARN_ON_ONCE_GFP(cond, gfp)	((gfp) & __GFP_NOWARN ? !!(cond) : WARN_ON_ONCE(cond))


/* The zone a gfp mask's zone modifiers ask for (Linux's gfp_zone). */
int gfp_zone(gfp_t flags)
{
	const struct mm_layout *l = current_layout;
	gfp_t zf = flags & GFP_ZONEMASK;

	if (zf & __GFP_DMA)
		return ZONE_DMA;
	if (zf & __GFP_DMA32)
		return l->is_64bit ? ZONE_DMA32 : ZONE_NORMAL;
	if ((zf & (__GFP_HIGHMEM | __GFP_MOVABLE)) == (__GFP_HIGHMEM | __GFP_MOVABLE))
		return ZONE_MOVABLE;
	if (zf & __GFP_HIGHMEM)
		return l->is_64bit ? ZONE_NORMAL : ZONE_HIGHMEM;
	return ZONE_NORMAL;
}

static unsigned int gfp_to_alloc_flags(gfp_t gfp, unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET | gfp_to_alloc_flags_cma(gfp);

	if (gfp & __GFP_HIGH)
		alloc_flags |= ALLOC_MIN_RESERVE;
	if (gfp & __GFP_KSWAPD_RECLAIM)
		alloc_flags |= ALLOC_KSWAPD;
	if (!(gfp & __GFP_DIRECT_RECLAIM)) {
		/* Not allowed to block: a little more of the reserves. */
		if (!(gfp & __GFP_NOMEMALLOC))
			alloc_flags |= ALLOC_NON_BLOCK;
		if (order > 0)
			alloc_flags |= ALLOC_HIGHATOMIC;
	}
	if (alloc_flags & ALLOC_MIN_RESERVE)
		alloc_flags &= ~ALLOC_CPUSET;
	return alloc_flags;
}

static unsigned int gfp_pfmemalloc_flags(gfp_t gfp)
{
	if (unlikely(gfp & __GFP_NOMEMALLOC))
		return 0;
	if (gfp & __GFP_MEMALLOC)
		return ALLOC_NO_WATERMARKS;
	if (current_in_memalloc())
		return ALLOC_NO_WATERMARKS;
	if (current && tsk_is_oom_victim(current))
		return ALLOC_OOM;
	return 0;
}

/* The reclaim context of this CPU (PF_MEMALLOC): see <mmsim/swap.h>. */
unsigned int memalloc_noreclaim_save(void)
{
	unsigned int old = current_cpu->memalloc_flags & PF_MEMALLOC;

	current_cpu->memalloc_flags |= PF_MEMALLOC;
	return old;
}

void memalloc_noreclaim_restore(unsigned int flags)
{
	current_cpu->memalloc_flags = (current_cpu->memalloc_flags & ~PF_MEMALLOC) | flags;
}

bool current_in_memalloc(void)
{
	return current_cpu->memalloc_flags & PF_MEMALLOC;
}

/* Wake the kswapd of every node the allocation may use (once per node). */
static void wake_all_kswapds(unsigned int order, gfp_t gfp, const struct alloc_context *ac)
{
	pg_data_t *last = NULL;
	struct zoneref *z;

	for (z = ac->preferred_zoneref; z->zone; z++) {
		if (!zone_allowed(z, ac) || z->zone->zone_pgdat == last)
			continue;
		last = z->zone->zone_pgdat;
		wakeup_kswapd(z->zone, gfp, order, ac->highest_zoneidx);
	}
}

/* Direct reclaim (Linux's __perform_reclaim): PF_MEMALLOC so the reclaim's
 * own allocations neither recurse nor fail for want of reserves. */
static unsigned long __perform_reclaim(gfp_t gfp, unsigned int order, const struct alloc_context *ac)
{
	unsigned long progress, pflags;
	unsigned int noreclaim_flag;

	psi_memstall_enter(&pflags);
	noreclaim_flag = memalloc_noreclaim_save();
	progress = try_to_free_pages(ac->zonelist, order, gfp, ac->nodemask);
	memalloc_noreclaim_restore(noreclaim_flag);
	psi_memstall_leave(&pflags);
	return progress;
}

static struct page *__alloc_pages_direct_reclaim(gfp_t gfp, unsigned int order,
						 unsigned int alloc_flags,
						 const struct alloc_context *ac,
						 unsigned long *did_some_progress)
{
	struct page *page;
	bool drained = false;

	*did_some_progress = __perform_reclaim(gfp, order, ac);
retry:
	page = get_page_from_freelist(gfp, order, alloc_flags, ac);
	/* Pages may be pinned on per-CPU lists: drain them and try once more. */
	if (!page && !drained) {
		unreserve_highatomic_pageblock(ac, false);
		drain_all_pages(NULL);
		drained = true;
		goto retry;
	}
	return page;
}

static bool should_reclaim_retry(gfp_t gfp, unsigned int order, const struct alloc_context *ac,
				 unsigned int alloc_flags, bool did_some_progress,
				 int *no_progress_loops)
{
	struct zoneref *z;

	if (did_some_progress && order <= PAGE_ALLOC_COSTLY_ORDER)
		*no_progress_loops = 0;
	else
		(*no_progress_loops)++;
	if (*no_progress_loops > MAX_RECLAIM_RETRIES)
		return unreserve_highatomic_pageblock(ac, true);
	/* Retry only if reclaim could lift a zone over min. */
	for (z = ac->preferred_zoneref; z->zone; z++) {
		struct zone *zone = z->zone;
		unsigned long reclaimable = zone_reclaimable_pages(zone);
		unsigned long available = reclaimable + zone_page_state(zone, NR_FREE_PAGES);

		if (!zone_allowed(z, ac))
			continue;
		if (did_some_progress &&
		    __zone_watermark_ok(zone, order, min_wmark_pages(zone), ac->highest_zoneidx,
					alloc_flags, (long)available))
			return true;
	}
	return false;
}

/* Linux's MAX_COMPACT_RETRIES: compaction successes that did not give a page. */
#define MAX_COMPACT_RETRIES	16

/*
 * Direct compaction (Linux's __alloc_pages_direct_compact): compact the
 * zonelist at @prio, then try the free lists.  Counts compact_stall, and
 * compact_success or compact_fail, unless compaction was skipped.
 */
static struct page *__alloc_pages_direct_compact(gfp_t gfp, unsigned int order,
						 unsigned int alloc_flags,
						 const struct alloc_context *ac,
						 enum compact_priority prio,
						 enum compact_result *compact_result)
{
	struct page *page = NULL;
	unsigned int noreclaim_flag;
	unsigned long pflags;

	if (!order)
		return NULL;
	psi_memstall_enter(&pflags);
	noreclaim_flag = memalloc_noreclaim_save();
	*compact_result = try_to_compact_pages(gfp, order, alloc_flags, ac, prio, &page);
	memalloc_noreclaim_restore(noreclaim_flag);
	psi_memstall_leave(&pflags);
	if (*compact_result == COMPACT_SKIPPED)
		return NULL;
	count_vm_event(COMPACTSTALL);
	page = get_page_from_freelist(gfp, order, alloc_flags, ac);
	if (page) {
		struct zone *zone = page_zone(page);

		WRITE_ONCE(zone->compact_blockskip_flush, false);
		compaction_defer_reset(zone, (int)order, true);
		count_vm_event(COMPACTSUCCESS);
		return page;
	}
	count_vm_event(COMPACTFAIL);
	return NULL;
}

/*
 * Should the slow path go round again for compaction's sake (Linux's
 * should_compact_retry)?  Skipped for want of free pages: if reclaim could
 * make some zone suitable.  Succeeded without a page: up to
 * MAX_COMPACT_RETRIES times (a quarter of that for costly orders).
 * Failed: again at a more determined priority, down to the minimum.
 */
static bool should_compact_retry(const struct alloc_context *ac, unsigned int order,
				 unsigned int alloc_flags, enum compact_result compact_result,
				 enum compact_priority *compact_priority, int *compaction_retries)
{
	int max_retries = MAX_COMPACT_RETRIES;
	enum compact_priority min_priority;

	if (!order)
		return false;
	if (current && fatal_signal_pending(current))
		return false;
	if (compact_result == COMPACT_SKIPPED)
		return compaction_zonelist_suitable(ac, (int)order, alloc_flags);
	if (compact_result == COMPACT_SUCCESS) {
		if (order > PAGE_ALLOC_COSTLY_ORDER)
			max_retries /= 4;
		if (++(*compaction_retries) <= max_retries)
			return true;
	}
	min_priority = order > PAGE_ALLOC_COSTLY_ORDER ? MIN_COMPACT_COSTLY_PRIORITY
						       : MIN_COMPACT_PRIORITY;
	if (*compact_priority > min_priority) {
		(*compact_priority)--;
		*compaction_retries = 0;
		return true;
	}
	return false;
}

void warn_alloc(gfp_t gfp_mask, const char *fmt, ...)
{
	char msg[128], flags[256], mems[16];
	static DEFINE_RATELIMIT_STATE(nopage_rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	va_list ap;

	if ((gfp_mask & __GFP_NOWARN) || !__ratelimit(&nopage_rs))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (M()->nr_nodes > 1)
		snprintf(mems, sizeof(mems), "0-%d", M()->nr_nodes - 1);
	else
		snprintf(mems, sizeof(mems), "0");
	pr_warn("%s: %s, mode:%#x(%s), nodemask=(null),cpuset=/,mems_allowed=%s\n",
		current ? current->comm : M()->comm,
		msg, gfp_mask, format_gfp_flags(gfp_mask, flags, sizeof(flags)), mems);
	dump_stack();
	__show_mem(0, gfp_zone(gfp_mask));
}

/*
 * The OOM killer's turn (Linux's __alloc_pages_may_oom): one last try at
 * the high watermark (someone else may have freed memory meanwhile), then
 * out_of_memory() unless the request is one the OOM killer must not serve
 * (costly orders, __GFP_RETRY_MAYFAIL, lowmem-only, __GFP_THISNODE).
 */
static struct page *__alloc_pages_may_oom(gfp_t gfp, unsigned int order,
					  const struct alloc_context *ac,
					  unsigned long *did_some_progress)
{
	struct oom_control oc = {
		.zonelist = ac->zonelist,
		.nodemask = ac->nodemask,
		.gfp_mask = gfp,
		.order = (int)order,
	};
	struct page *page;

	*did_some_progress = 0;
	page = get_page_from_freelist((gfp | __GFP_HARDWALL) & ~__GFP_DIRECT_RECLAIM, order,
				      ALLOC_WMARK_HIGH | ALLOC_CPUSET, ac);
	if (page)
		return page;
	if (order > PAGE_ALLOC_COSTLY_ORDER)
		return NULL;
	if (gfp & (__GFP_RETRY_MAYFAIL | __GFP_THISNODE))
		return NULL;
	if (ac->highest_zoneidx < ZONE_NORMAL)
		return NULL;
	/* Exhausted what can be done: blame time. */
	if (out_of_memory(&oc) || WARN_ON_ONCE_GFP(gfp & __GFP_NOFAIL, gfp)) {
		*did_some_progress = 1;
		/* A __GFP_NOFAIL request may dip into the reserves now. */
		if (gfp & __GFP_NOFAIL)
			page = get_page_from_freelist(gfp, order, ALLOC_NO_WATERMARKS, ac);
	}
	return page;
}

struct page *__alloc_pages_slowpath(gfp_t gfp, unsigned int order, struct alloc_context *ac)
{
	bool can_direct_reclaim = gfp & __GFP_DIRECT_RECLAIM;
	bool costly_order = order > PAGE_ALLOC_COSTLY_ORDER;
	bool can_compact = gfp & __GFP_IO;
	enum compact_priority compact_priority = DEF_COMPACT_PRIORITY;
	enum compact_result compact_result = COMPACT_SKIPPED;
	int compaction_retries = 0;
	unsigned long did_some_progress = 0;
	int no_progress_loops = 0;
	unsigned int alloc_flags, reserve_flags;
	int oom_loops = 0, nofail_loops = 0;
	struct page *page;

	alloc_flags = gfp_to_alloc_flags(gfp, order);
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp, ac);
	page = get_page_from_freelist(gfp, order, alloc_flags, ac);
	if (page)
		return page;
	/*
	 * Costly orders, and high-order unmovable ones, try compaction before
	 * reclaim: there may be enough free memory, only fragmented.
	 */
	if (can_direct_reclaim && can_compact && !current_in_memalloc() &&
	    (costly_order || (order > 0 && ac->migratetype != MIGRATE_MOVABLE)) &&
	    !gfp_pfmemalloc_flags(gfp)) {
		page = __alloc_pages_direct_compact(gfp, order, alloc_flags, ac,
						    INIT_COMPACT_PRIORITY, &compact_result);
		if (page)
			return page;
		if (costly_order && (gfp & __GFP_NORETRY)) {
			/* Compaction cannot help: don't reclaim for it either. */
			if (compact_result == COMPACT_SKIPPED || compact_result == COMPACT_DEFERRED)
				goto nopage;
			compact_priority = INIT_COMPACT_PRIORITY;
		}
	}
retry:
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp, ac);
	reserve_flags = gfp_pfmemalloc_flags(gfp);
	if (reserve_flags)
		alloc_flags = reserve_flags | (alloc_flags & ALLOC_KSWAPD) | gfp_to_alloc_flags_cma(gfp);
	page = get_page_from_freelist(gfp, order, alloc_flags, ac);
	if (page)
		return page;
	if (!can_direct_reclaim)
		goto nopage;
	/* Reclaim's own allocations never reclaim again (PF_MEMALLOC). */
	if (current_in_memalloc())
		goto nopage;
	count_vm_events(ALLOCSTALL_DMA + ac->highest_zoneidx, 1);
	page = __alloc_pages_direct_reclaim(gfp, order, alloc_flags, ac, &did_some_progress);
	if (page)
		return page;
	if (can_compact) {
		page = __alloc_pages_direct_compact(gfp, order, alloc_flags, ac, compact_priority,
						    &compact_result);
		if (page)
			return page;
	}
	if (gfp & __GFP_NORETRY)
		goto nopage;
	if (costly_order && (!can_compact || !(gfp & __GFP_RETRY_MAYFAIL)))
		goto nopage;
	if (should_reclaim_retry(gfp, order, ac, alloc_flags, did_some_progress > 0,
				 &no_progress_loops))
		goto retry;
	/* Compaction needs free order-0 pages: only while reclaim makes progress. */
	if (did_some_progress > 0 && can_compact &&
	    should_compact_retry(ac, order, alloc_flags, compact_result, &compact_priority,
				 &compaction_retries))
		goto retry;
	page = __alloc_pages_may_oom(gfp, order, ac, &did_some_progress);
	if (page)
		return page;
	/* An OOM victim that already had the reserves does not loop. */
	if (current && tsk_is_oom_victim(current) &&
	    ((alloc_flags & ALLOC_OOM) || (gfp & __GFP_NOMEMALLOC)))
		goto nopage;
	/* The OOM killer freed (or will free) memory: start over. */
	if (did_some_progress && ++oom_loops <= MAX_OOM_LOOPS) {
		no_progress_loops = 0;
		goto retry;
	}
nopage:
	/* The OOM killer panicked the machine (panic_on_oom): it does no more work. */
	if (current_halted())
		return NULL;
	if (gfp & __GFP_NOFAIL) {
		/*
		 * Every __GFP_NOFAIL user may block: one that may not gets
		 * the warning and fails, as in Linux.
		 */
		if (WARN_ON_ONCE_GFP(!can_direct_reclaim, gfp))
			goto fail;
		/* PF_MEMALLOC cannot reclaim: it could only wait for others. */
		WARN_ON_ONCE_GFP(current_in_memalloc(), gfp);
		WARN_ON_ONCE_GFP(costly_order, gfp);
		/*
		 * Help it with the reserves of high-priority requests (not
		 * ALLOC_NO_WATERMARKS: that would drain them), then loop
		 * through reclaim and the OOM killer again.  Linux loops for
		 * ever; mmsim gives up after MAX_NOFAIL_LOOPS rounds with one
		 * last try at every reserve, then reports the failure.
		 */
		page = get_page_from_freelist(gfp, order, ALLOC_MIN_RESERVE, ac);
		if (page)
			return page;
		if (++nofail_loops <= MAX_NOFAIL_LOOPS) {
			no_progress_loops = 0;
			oom_loops = 0;
			goto retry;
		}
		page = get_page_from_freelist(gfp, order, ALLOC_NO_WATERMARKS, ac);
		if (page)
			return page;
		WARN(1, "__GFP_NOFAIL allocation of order %u cannot be satisfied", order);
	}
fail:
	warn_alloc(gfp, "page allocation failure: order:%u", order);
	return NULL;
}
