// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page_alloc_slow.c - the page allocator's slow path: what
 * __alloc_pages() does when the fast path (get_page_from_freelist() at the
 * low watermark, mm/page_alloc.c) found nothing.
 *
 * Owns: __alloc_pages_slowpath() and its helpers (gfp_to_alloc_flags(),
 * gfp_pfmemalloc_flags(), __alloc_pages_direct_reclaim(),
 * should_reclaim_retry()), the seams where kswapd and direct reclaim plug
 * in (wake_all_kswapds(), try_to_free_pages_seam()), and warn_alloc(), the
 * "page allocation failure" report.  Its only data is warn_alloc()'s
 * nopage_rs, whose counters live per machine (lib/ratelimit.c); each call
 * works on the caller's struct alloc_context (mm/internal.h), which
 * prepare_alloc_pages() filled in and which is not changed here.
 *
 * States of one call, in order (Linux's shape, with the steps that need
 * reclaim, compaction or an OOM killer left as seams):
 *   1. retry at the min watermark with the reserves the gfp flags allow
 *      (gfp_to_alloc_flags: __GFP_HIGH -> ALLOC_MIN_RESERVE, cannot block
 *      -> ALLOC_NON_BLOCK, and ALLOC_HIGHATOMIC for orders > 0);
 *   2. retry:  __GFP_MEMALLOC switches to ALLOC_NO_WATERMARKS; try again;
 *   3. only with __GFP_DIRECT_RECLAIM: direct reclaim (today: nothing to
 *      reclaim), then give back a HighAtomic block and drain every CPU's
 *      lists (drain_all_pages) and try once more;
 *   4. should_reclaim_retry() decides between 2 and 5; after
 *      MAX_RECLAIM_RETRIES loops without progress it only retries when a
 *      last HighAtomic block could be given back;
 *   5. nopage: __GFP_NOFAIL gets one try at ALLOC_NO_WATERMARKS; then
 *      warn_alloc() and NULL.
 *
 * Locking: takes no lock itself and is entered with none held.  Its
 * callees take, one at a time and never nested except as listed:
 * zone->lock (get_page_from_freelist, unreserve_highatomic_pageblock),
 * m->cpu_lock then zone->lock inside it (drain_all_pages), and the log
 * lock (warn_alloc's printk and __show_mem).  Order: cpu_lock ->
 * zone->lock -> log lock, as in docs/locking.md.
 *
 * Invariants (checkable):
 *   the slow path returns with no lock held
 *   without __GFP_DIRECT_RECLAIM, drain_all_pages() is not called
 *   no_progress_loops never exceeds MAX_RECLAIM_RETRIES + 1 when a retry
 *   is decided, unless a HighAtomic block was given back that time
 *   a __GFP_NOFAIL request makes at most one ALLOC_NO_WATERMARKS attempt
 *   in the nopage state
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
#include "mm/internal.h"

#define MAX_RECLAIM_RETRIES 16

static unsigned int gfp_to_alloc_flags(gfp_t gfp, unsigned int order)
{
	unsigned int alloc_flags = ALLOC_WMARK_MIN | ALLOC_CPUSET;

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
	return 0;
}

/*
 * Seams for the later subsystems.  Each returns pages of progress (or a
 * page); with nothing plugged in there is nothing to reclaim, compact or
 * kill, exactly Linux's situation on a machine with nothing reclaimable.
 */
static void wake_all_kswapds(unsigned int order, gfp_t gfp, const struct alloc_context *ac)
{
	/* kswapd arrives with mm/vmscan.c. */
	(void)order; (void)gfp; (void)ac;
}

static unsigned long try_to_free_pages_seam(gfp_t gfp, unsigned int order,
					    const struct alloc_context *ac)
{
	/* Direct reclaim (try_to_free_pages) arrives with mm/vmscan.c. */
	(void)gfp; (void)order; (void)ac;
	return 0;
}

static struct page *__alloc_pages_direct_reclaim(gfp_t gfp, unsigned int order,
						 unsigned int alloc_flags,
						 const struct alloc_context *ac,
						 unsigned long *did_some_progress)
{
	struct page *page;
	bool drained = false;

	*did_some_progress = try_to_free_pages_seam(gfp, order, ac);
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
	/* Retry only if reclaim could lift a zone over min: nothing reclaimable yet. */
	for (z = ac->preferred_zoneref; z->zone; z++) {
		struct zone *zone = z->zone;
		unsigned long reclaimable = 0;	/* zone_reclaimable_pages(): nothing reclaims yet */
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

void warn_alloc(gfp_t gfp_mask, const char *fmt, ...)
{
	char msg[128], flags[256];
	static DEFINE_RATELIMIT_STATE(nopage_rs, DEFAULT_RATELIMIT_INTERVAL,
				      DEFAULT_RATELIMIT_BURST);
	va_list ap;

	if ((gfp_mask & __GFP_NOWARN) || !__ratelimit(&nopage_rs))
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pr_warn("%s: %s, mode:%#x(%s), nodemask=(null),cpuset=/,mems_allowed=0%s\n", M()->comm,
		msg, gfp_mask, format_gfp_flags(gfp_mask, flags, sizeof(flags)),
		M()->nr_nodes > 1 ? "-" : "");
	dump_stack();
	__show_mem(0, gfp_zone(gfp_mask));
}

struct page *__alloc_pages_slowpath(gfp_t gfp, unsigned int order, struct alloc_context *ac)
{
	bool can_direct_reclaim = gfp & __GFP_DIRECT_RECLAIM;
	bool costly_order = order > PAGE_ALLOC_COSTLY_ORDER;
	unsigned long did_some_progress = 0;
	int no_progress_loops = 0;
	unsigned int alloc_flags, reserve_flags;
	bool nofail_tried = false;
	struct page *page;

	alloc_flags = gfp_to_alloc_flags(gfp, order);
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp, ac);
	page = get_page_from_freelist(gfp, order, alloc_flags, ac);
	if (page)
		return page;
	/* Costly orders would try direct compaction here (mm/compaction.c). */
retry:
	if (alloc_flags & ALLOC_KSWAPD)
		wake_all_kswapds(order, gfp, ac);
	reserve_flags = gfp_pfmemalloc_flags(gfp);
	if (reserve_flags)
		alloc_flags = reserve_flags | (alloc_flags & ALLOC_KSWAPD);
	page = get_page_from_freelist(gfp, order, alloc_flags, ac);
	if (page)
		return page;
	if (!can_direct_reclaim)
		goto nopage;
	count_vm_events(ALLOCSTALL_DMA + ac->highest_zoneidx, 1);
	page = __alloc_pages_direct_reclaim(gfp, order, alloc_flags, ac, &did_some_progress);
	if (page)
		return page;
	/* Direct compaction would run here (mm/compaction.c). */
	if (gfp & __GFP_NORETRY)
		goto nopage;
	if (costly_order && !(gfp & __GFP_RETRY_MAYFAIL))
		goto nopage;
	if (should_reclaim_retry(gfp, order, ac, alloc_flags, did_some_progress > 0,
				 &no_progress_loops))
		goto retry;
	/*
	 * The OOM killer (mm/oom_kill.c) plugs in here; with no tasks to kill
	 * there is no progress, so the allocation fails.
	 */
nopage:
	if ((gfp & __GFP_NOFAIL) && !nofail_tried) {
		/*
		 * Linux loops forever for __GFP_NOFAIL; without reclaim or an
		 * OOM killer that would hang the simulation, so mmsim allows
		 * one try at every reserve and then reports the failure.
		 */
		nofail_tried = true;
		WARN_ON_ONCE(costly_order);
		page = get_page_from_freelist(gfp, order, ALLOC_NO_WATERMARKS, ac);
		if (page)
			return page;
		WARN(1, "__GFP_NOFAIL allocation of order %u cannot be satisfied", order);
	}
	warn_alloc(gfp, "page allocation failure: order:%u", order);
	return NULL;
}
