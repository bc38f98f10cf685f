// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kcompactd.c - the background compaction daemon, one per node
 * (Linux's kcompactd() half of mm/compaction.c), and proactive compaction.
 *
 * Design.  As kswapd (mm/kswapd.c, docs/kswapd.md), a kcompactd is a
 * delayed work item in virtual time, so a run is deterministic and runs
 * on whichever thread moves the clock (or the runner in `threaded` mode).
 * Linux's thread waits with wait_event_freezable_timeout(); its states:
 *
 *   SLEEPING  no work pending: vm.compaction_proactiveness is 0, so only
 *             wakeup_kcompactd (or a write of the sysctl) queues it;
 *   WAITING   the HPAGE_FRAG_CHECK_INTERVAL_MSEC (500 ms) timeout is
 *             pending (64 times that after a proactive pass that did not
 *             lower the score); a wakeup moves it to now;
 *   RUNNING   queued to run now, or running: a wakeup only raises
 *             kcompactd_max_order for the next pass (Linux: no sleeper).
 *
 * One run is one turn of Linux's loop: if work was requested
 * (kcompactd_max_order > 0) and the proactiveness sysctl was not just
 * written, kcompactd_do_work() compacts the zones up to
 * kcompactd_highest_zoneidx for that order (sync light, deferring zones
 * that fail, compact_daemon_wake and the daemon scan counters);
 * otherwise, the timeout: if the node's fragmentation score is above the
 * high mark (and kswapd is not running), proactive_compact_node() compacts
 * every zone until its score is below the low mark.
 *
 * Locking.  kc->lock (a leaf spinlock; wq->lock nests inside it) guards
 * kc->state.  pgdat->kcompactd_max_order, kcompactd_highest_zoneidx and
 * proactive_compact_trigger are READ_ONCE/WRITE_ONCE, racy by design as
 * in Linux.  wakeup_kcompactd() is called by kswapd with its ks->lock
 * held: it takes only kc->lock and wq->lock.  The work runs with no lock.
 *
 * Invariants (kcompactd_is_valid):
 *   state == SLEEPING  iff  the work is not pending and not running;
 *   state == WAITING  implies  the work is pending.
 */
#define _GNU_SOURCE
#include <mmsim/psi.h>
#include <mmsim/jiffies.h>
#include <mmsim/printk.h>
#include <mmsim/sched.h>
#include "mm/compaction_internal.h"

/* Is there a zone up to kcompactd_highest_zoneidx that compaction can help? */
static bool kcompactd_node_suitable(pg_data_t *pgdat)
{
	int highest_zoneidx = READ_ONCE(pgdat->kcompactd_highest_zoneidx);
	int order = READ_ONCE(pgdat->kcompactd_max_order);

	for (int zid = 0; zid <= highest_zoneidx && zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];

		if (!populated_zone(zone))
			continue;
		/* The allocation can already succeed here. */
		if (zone_watermark_ok(zone, (unsigned int)order, min_wmark_pages(zone),
				      highest_zoneidx, 0))
			continue;
		if (compaction_suitable(zone, order, min_wmark_pages(zone), highest_zoneidx))
			return true;
	}
	return false;
}

static void kcompactd_do_work(struct kcompactd *kc)
{
	pg_data_t *pgdat = kc->pgdat;
	struct compact_control cc = {
		.order = READ_ONCE(pgdat->kcompactd_max_order),
		.highest_zoneidx = READ_ONCE(pgdat->kcompactd_highest_zoneidx),
		.mode = MIGRATE_SYNC_LIGHT,
		.gfp_mask = GFP_KERNEL,
	};

	count_vm_event(KCOMPACTD_WAKE);
	WRITE_ONCE(kc->runs, kc->runs + 1);
	for (int zid = 0; zid <= cc.highest_zoneidx && zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];
		enum compact_result status;

		if (!populated_zone(zone))
			continue;
		if (compaction_deferred(zone, cc.order))
			continue;
		if (zone_watermark_ok(zone, (unsigned int)cc.order, min_wmark_pages(zone), zid, 0))
			continue;
		if (!compaction_suitable(zone, cc.order, min_wmark_pages(zone), zid))
			continue;
		cc.zone = zone;
		status = compact_zone(&cc);
		if (status == COMPACT_SUCCESS) {
			compaction_defer_reset(zone, cc.order, false);
		} else if (status == COMPACT_PARTIAL_SKIPPED || status == COMPACT_COMPLETE) {
			drain_all_pages(zone);
			defer_compaction(zone, cc.order);
		}
		count_vm_events(KCOMPACTD_MIGRATE_SCANNED, (long)cc.total_migrate_scanned);
		count_vm_events(KCOMPACTD_FREE_SCANNED, (long)cc.total_free_scanned);
	}
	/* Done until woken again; keep a higher order asked meanwhile. */
	if (READ_ONCE(pgdat->kcompactd_max_order) <= cc.order)
		WRITE_ONCE(pgdat->kcompactd_max_order, 0);
	if (READ_ONCE(pgdat->kcompactd_highest_zoneidx) >= cc.highest_zoneidx)
		WRITE_ONCE(pgdat->kcompactd_highest_zoneidx, pgdat->nr_zones - 1);
}

static bool should_proactive_compact_node(pg_data_t *pgdat)
{
	if (!READ_ONCE(compaction_state()->compaction_proactiveness) || kswapd_is_running(pgdat))
		return false;
	return fragmentation_score_node(pgdat) > fragmentation_score_wmark(false);
}

/* Compact every zone of the node until its score is below the low mark. */
static void proactive_compact_node(struct kcompactd *kc)
{
	pg_data_t *pgdat = kc->pgdat;

	WRITE_ONCE(kc->proactive_runs, kc->proactive_runs + 1);
	for (int zid = 0; zid < MAX_NR_ZONES; zid++) {
		struct zone *zone = &pgdat->node_zones[zid];
		struct compact_control cc = {
			.order = -1,
			.mode = MIGRATE_SYNC_LIGHT,
			.ignore_skip_hint = true,
			.whole_zone = true,
			.gfp_mask = GFP_KERNEL,
			.proactive_compaction = true,
			.zone = zone,
		};

		if (!populated_zone(zone))
			continue;
		compact_zone(&cc);
		count_vm_events(KCOMPACTD_MIGRATE_SCANNED, (long)cc.total_migrate_scanned);
		count_vm_events(KCOMPACTD_FREE_SCANNED, (long)cc.total_free_scanned);
	}
}

static unsigned long default_timeout(void)
{
	return HPAGE_FRAG_CHECK_INTERVAL_MSEC * HZ / 1000;
}

/* After a turn: sleep with the proactive timeout, or for good. */
static void kcompactd_sleep_locked(struct kcompactd *kc, unsigned long timeout)
{
	pg_data_t *pgdat = kc->pgdat;

	if (READ_ONCE(pgdat->proactive_compact_trigger)) {
		kc->state = KCOMPACTD_RUNNING;
		queue_delayed_work(system_unbound_wq, &kc->work, 0);
	} else if (READ_ONCE(compaction_state()->compaction_proactiveness)) {
		kc->state = KCOMPACTD_WAITING;
		queue_delayed_work(system_unbound_wq, &kc->work, timeout);
	} else {
		kc->state = KCOMPACTD_SLEEPING;
	}
}

static void kcompactd_work(struct work_struct *work)
{
	struct kcompactd *kc = (struct kcompactd *)to_delayed_work(work);
	pg_data_t *pgdat = kc->pgdat;
	unsigned long timeout = default_timeout(), pflags;
	unsigned int saved = current_cpu->memalloc_flags;

	spin_lock(&kc->lock);
	kc->state = KCOMPACTD_RUNNING;
	spin_unlock(&kc->lock);

	/* kcompactd's own allocations never enter reclaim or compaction. */
	current_cpu->memalloc_flags = saved | PF_MEMALLOC;
	if (READ_ONCE(pgdat->kcompactd_max_order) > 0 && !READ_ONCE(pgdat->proactive_compact_trigger)) {
		psi_memstall_enter(&pflags);
		kcompactd_do_work(kc);
		psi_memstall_leave(&pflags);
	} else {
		WRITE_ONCE(kc->checks, kc->checks + 1);
		if (should_proactive_compact_node(pgdat)) {
			unsigned int prev_score = fragmentation_score_node(pgdat), score;

			proactive_compact_node(kc);
			score = fragmentation_score_node(pgdat);
			/* No progress: back off 64 intervals. */
			if (score >= prev_score)
				timeout = default_timeout() << COMPACT_MAX_DEFER_SHIFT;
		}
		WRITE_ONCE(pgdat->proactive_compact_trigger, false);
	}
	current_cpu->memalloc_flags = saved;

	spin_lock(&kc->lock);
	kcompactd_sleep_locked(kc, timeout);
	spin_unlock(&kc->lock);
}

/**
 * wakeup_kcompactd - ask node @nid's kcompactd to compact for @order in
 * the zones up to @highest_zoneidx.  Called by kswapd as it goes to sleep
 * (any context; takes only kcompactd's own lock and the workqueue's).
 */
void wakeup_kcompactd(int nid, int order, int highest_zoneidx)
{
	pg_data_t *pgdat;
	struct kcompactd *kc;

	if (!order || nid < 0 || nid >= num_online_nodes())
		return;
	pgdat = NODE_DATA(nid);
	kc = READ_ONCE(pgdat->kcompactd);
	if (!kc)
		return;
	if (READ_ONCE(pgdat->kcompactd_max_order) < order)
		WRITE_ONCE(pgdat->kcompactd_max_order, order);
	if (READ_ONCE(pgdat->kcompactd_highest_zoneidx) > highest_zoneidx)
		WRITE_ONCE(pgdat->kcompactd_highest_zoneidx, highest_zoneidx);

	spin_lock(&kc->lock);
	if (kc->state == KCOMPACTD_RUNNING || !kcompactd_node_suitable(pgdat)) {
		spin_unlock(&kc->lock);
		return;
	}
	kc->wakeups++;
	kc->state = KCOMPACTD_RUNNING;
	mod_delayed_work(system_unbound_wq, &kc->work, 0);
	spin_unlock(&kc->lock);
}

/* vm.compaction_proactiveness was written non-zero: every kcompactd looks now. */
void kcompactd_proactiveness_changed(void)
{
	struct compaction_state *st = compaction_state();

	if (!READ_ONCE(st->compaction_proactiveness))
		return;
	for (int nid = 0; nid < st->nr_nodes; nid++) {
		struct kcompactd *kc = &st->node[nid];
		pg_data_t *pgdat = kc->pgdat;

		if (READ_ONCE(pgdat->proactive_compact_trigger))
			continue;
		WRITE_ONCE(pgdat->proactive_compact_trigger, true);
		spin_lock(&kc->lock);
		if (kc->state != KCOMPACTD_RUNNING) {
			kc->state = KCOMPACTD_RUNNING;
			mod_delayed_work(system_unbound_wq, &kc->work, 0);
		}
		spin_unlock(&kc->lock);
	}
}

/* ---- introspection for tests and the invariant checker ---- */

static struct kcompactd *kcompactd_of(int nid)
{
	struct mmsim *m = current_machine();
	struct compaction_state *st = m ? subsys_state(m, compaction) : NULL;

	return st && nid >= 0 && nid < st->nr_nodes ? &st->node[nid] : NULL;
}

unsigned long kcompactd_runs(int nid)
{
	struct kcompactd *kc = kcompactd_of(nid);

	return kc ? READ_ONCE(kc->runs) : 0;
}

unsigned long kcompactd_proactive_runs(int nid)
{
	struct kcompactd *kc = kcompactd_of(nid);

	return kc ? READ_ONCE(kc->proactive_runs) : 0;
}

bool kcompactd_is_sleeping(int nid)
{
	struct kcompactd *kc = kcompactd_of(nid);
	bool ret = true;

	if (kc) {
		spin_lock(&kc->lock);
		ret = kc->state == KCOMPACTD_SLEEPING;
		spin_unlock(&kc->lock);
	}
	return ret;
}

bool kcompactd_is_valid(struct mmsim *m);
bool kcompactd_is_valid(struct mmsim *m)
{
	struct compaction_state *st = subsys_state(m, compaction);
	bool ok = true;

	for (int nid = 0; nid < st->nr_nodes; nid++) {
		struct kcompactd *kc = &st->node[nid];

		spin_lock(&kc->lock);
		if (WARN(kc->state == KCOMPACTD_SLEEPING && delayed_work_pending(&kc->work),
			 "kcompactd%d: asleep with its work pending\n", nid))
			ok = false;
		if (WARN(kc->state == KCOMPACTD_WAITING && !delayed_work_pending(&kc->work),
			 "kcompactd%d: waiting without a timeout\n", nid))
			ok = false;
		spin_unlock(&kc->lock);
	}
	return ok;
}

/* ---- start and stop ---- */

int kcompactd_init(struct mmsim *m)
{
	struct compaction_state *st = subsys_state(m, compaction);
	int nid;

	st->nr_nodes = num_online_nodes();
	for_each_online_node(nid) {
		struct kcompactd *kc = &st->node[nid];
		pg_data_t *pgdat = NODE_DATA(nid);

		INIT_DELAYED_WORK(&kc->work, kcompactd_work);
		spin_lock_init(&kc->lock);
		kc->pgdat = pgdat;
		WRITE_ONCE(pgdat->kcompactd_max_order, 0);
		WRITE_ONCE(pgdat->kcompactd_highest_zoneidx, pgdat->nr_zones - 1);
		WRITE_ONCE(pgdat->proactive_compact_trigger, false);
		spin_lock(&kc->lock);
		kcompactd_sleep_locked(kc, default_timeout());
		spin_unlock(&kc->lock);
		WRITE_ONCE(pgdat->kcompactd, kc);
	}
	return 0;
}

void kcompactd_exit(struct mmsim *m)
{
	struct compaction_state *st = subsys_state(m, compaction);

	for (int nid = 0; nid < st->nr_nodes; nid++) {
		struct kcompactd *kc = &st->node[nid];

		WRITE_ONCE(kc->pgdat->kcompactd, NULL);
		cancel_delayed_work_sync(&kc->work);
		kc->state = KCOMPACTD_SLEEPING;
	}
}
