// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kswapd.c - the background reclaimer (Linux's kswapd() half of
 * mm/vmscan.c): one kswapd per node, woken by the allocator when a zone
 * falls below its low watermark, reclaiming until the node is balanced at
 * the high watermark, then sleeping.  Also the root cgroup's
 * /sys/fs/cgroup/memory.reclaim (proactive reclaim, Linux's memory_reclaim()).
 *
 * Design.  mmsim has no kernel threads, so a kswapd is a delayed work item
 * in virtual time (<mmsim/workqueue.h>) with an explicit state for where
 * Linux's thread would be blocked:
 *
 *   SLEEPING     in schedule() (the long sleep); wakeup_kswapd() queues the
 *                work now and the state becomes RUNNING.
 *   RUNNING      queued to run or running balance_pgdat(); a wakeup only
 *                raises pgdat->kswapd_order / kswapd_highest_zoneidx for
 *                the next pass (Linux: waitqueue_active() is false).
 *   SHORT_SLEEP  kswapd_try_to_sleep()'s schedule_timeout(HZ/10): the work
 *                is due 100 ms later; a wakeup meanwhile moves it to now
 *                and marks it woken ("remaining" != 0).  When it runs:
 *                woken -> kswapd_low_wmark_hit_quickly and reclaim again;
 *                not woken and still balanced -> SLEEPING; not balanced ->
 *                kswapd_high_wmark_hit_quickly and reclaim again.
 *
 * One run of the work is one pass of Linux's kswapd() loop: read and reset
 * the wakers' order and zone index, balance_pgdat(), then the first half of
 * kswapd_try_to_sleep() (balanced: short sleep; not: count
 * kswapd_high_wmark_hit_quickly and requeue for the next run).  A requeued
 * item waits for the next run_pending_work, so a node kswapd cannot
 * balance never livelocks one call; after MAX_RECLAIM_RETRIES passes that
 * reclaimed nothing the node is "hopeless" (kswapd_failures, shown as
 * node_unreclaimable in /proc/zoneinfo) and kswapd sleeps until direct
 * reclaim makes progress there (shrink_node resets kswapd_failures).
 *
 * balance_pgdat() is Linux's: priorities DEF_PRIORITY down to 1, each step
 * asking shrink_node() for sum(max(high_wmark, SWAP_CLUSTER_MAX)) of the
 * eligible zones, raising the priority only while the scan falls short of
 * that; watermark boosts (mm/page_mobility.c's boost_watermark on a
 * fallback steal) make kswapd reclaim the boosted amount without writing
 * or swapping even on a balanced node, and are reset at the end of the
 * pass.  While it runs, the CPU carries PF_KSWAPD | PF_MEMALLOC
 * (mm/vmscan.c's current_is_kswapd() reads it; its allocations never
 * recurse into reclaim).
 *
 * Locking.  ks->lock (a leaf spinlock; wq->lock nests inside it through
 * queue_work/mod_delayed_work) guards ks->state, ks->woken and the saved
 * orders.  pgdat->kswapd_order / kswapd_highest_zoneidx /
 * kswapd_failures are read and written with READ_ONCE/WRITE_ONCE as in
 * Linux (racy by design: a lost raise only means a smaller pass).
 * wakeup_kswapd() is called from the allocator with arbitrary locks held:
 * it takes only ks->lock (and wq->lock), never a reclaim lock.  The work
 * runs with no lock held (the workqueue's runner), as Linux's thread does.
 *
 * Invariants:
 *   state == SLEEPING  iff  the work is not pending and not running
 *     (checked by kswapd_is_valid());
 *   pgdat->kswapd_highest_zoneidx is MAX_NR_ZONES or < MAX_NR_ZONES;
 *   0 <= kswapd_failures (saturates at most a few past MAX_RECLAIM_RETRIES).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/swap.h>
#include <mmsim/psi.h>
#include <mmsim/sched.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include <mmsim/vmstat.h>
#include <mmsim/jiffies.h>
#include <mmsim/workqueue.h>
#include <mmsim/compaction.h>
#include <mmsim/printk.h>
#include <mmsim/signal.h>
#include "mm/internal.h"
#include "mm/vmscan_internal.h"
#include "init/init.h"
#include "init/machine.h"

enum kswapd_run_state {
	KSWAPD_SLEEPING,
	KSWAPD_RUNNING,
	KSWAPD_SHORT_SLEEP,
};

struct kswapd {
	struct delayed_work work;	/* first: container_of */
	pg_data_t *pgdat;
	spinlock_t lock;		/* state, woken, the saved orders */
	enum kswapd_run_state state;
	bool woken;			/* woken during the short sleep */
	int alloc_order, reclaim_order;	/* carried across a short sleep */
	int highest_zoneidx;
	unsigned long runs;		/* balance_pgdat passes (tests, debugging) */
	unsigned long wakeups;		/* wakeups that woke it from a sleep */
};

struct kswapd_state {
	struct kswapd node[MAX_NUMNODES];
	int nr_nodes;
};

DECLARE_SUBSYSTEM(kswapd);

/* The node's highest eligible zone index a waker asked for, or @prev. */
static int kswapd_highest_zoneidx(pg_data_t *pgdat, int prev)
{
	int curr = READ_ONCE(pgdat->kswapd_highest_zoneidx);

	return curr == MAX_NR_ZONES ? prev : curr;
}

/*
 * Is the node balanced: some eligible zone at or below @highest_zoneidx
 * meets its high watermark (boost included) for @order?  Linux's
 * pgdat_balanced(), kept here as kswapd's own copy so kswapd does not
 * depend on mm/vmscan.c's (the same rule).
 */
static bool kswapd_pgdat_balanced(pg_data_t *pgdat, int order, int highest_zoneidx)
{
	long mark = -1;

	for (int i = 0; i <= highest_zoneidx; i++) {
		struct zone *zone = pgdat->node_zones + i;

		if (!managed_zone(zone))
			continue;
		mark = (long)high_wmark_pages(zone);
		if (zone_watermark_ok_safe(zone, (unsigned int)order, (unsigned long)mark,
					   highest_zoneidx))
			return true;
	}
	/* No managed zone within highest_zoneidx: nothing to balance. */
	return mark == -1;
}

static bool pgdat_watermark_boosted(pg_data_t *pgdat, int highest_zoneidx)
{
	for (int i = highest_zoneidx; i >= 0; i--) {
		struct zone *zone = pgdat->node_zones + i;

		if (managed_zone(zone) && READ_ONCE(zone->watermark_boost))
			return true;
	}
	return false;
}

static void clear_pgdat_congested(pg_data_t *pgdat)
{
	__atomic_and_fetch(&pgdat->__lruvec.flags, ~(1UL << LRUVEC_NODE_CONGESTED), __ATOMIC_RELAXED);
	__atomic_and_fetch(&pgdat->flags, ~((1UL << PGDAT_DIRTY) | (1UL << PGDAT_WRITEBACK)),
			   __ATOMIC_RELAXED);
}

/* May kswapd go to sleep: a hopeless node, or a balanced one. */
static bool prepare_kswapd_sleep(pg_data_t *pgdat, int order, int highest_zoneidx)
{
	if (READ_ONCE(pgdat->kswapd_failures) >= MAX_RECLAIM_RETRIES)
		return true;
	if (kswapd_pgdat_balanced(pgdat, order, highest_zoneidx)) {
		clear_pgdat_congested(pgdat);
		return true;
	}
	return false;
}

/*
 * One shrink_node() call for kswapd: aim at the eligible zones' high
 * watermarks.  True if it scanned as much as it aimed at (no need to raise
 * the priority).
 */
static bool kswapd_shrink_node(pg_data_t *pgdat, struct scan_control *sc)
{
	sc->nr_to_reclaim = 0;
	for (int z = 0; z <= sc->reclaim_idx; z++) {
		struct zone *zone = pgdat->node_zones + z;

		if (!managed_zone(zone))
			continue;
		sc->nr_to_reclaim += max(high_wmark_pages(zone), SWAP_CLUSTER_MAX);
	}
	shrink_node(pgdat, sc);
	/* Fragmentation may keep a high order out of reach: after twice the
	 * request, check the watermarks at order 0 only. */
	if (sc->order && sc->nr_reclaimed >= compact_gap((unsigned int)sc->order))
		sc->order = 0;
	return sc->nr_scanned >= sc->nr_to_reclaim;
}

/* Background aging of the active lists (the policy's age_node). */
static void kswapd_age_node(pg_data_t *pgdat, struct scan_control *sc)
{
	const struct lru_policy_ops *ops = READ_ONCE(pgdat->__lruvec.ops);

	if (ops && ops->age_node)
		ops->age_node(pgdat, sc);
}

/* Linux's snapshot_refaults(): remember the workingset activations seen. */
static void snapshot_refaults(pg_data_t *pgdat)
{
	struct lruvec *lruvec = &pgdat->__lruvec;

	/* Direct reclaim on another CPU reads them (prepare_scan_control). */
	__atomic_store_n(&lruvec->refaults[0], node_page_state(pgdat, WORKINGSET_ACTIVATE_ANON),
			 __ATOMIC_RELAXED);
	__atomic_store_n(&lruvec->refaults[1], node_page_state(pgdat, WORKINGSET_ACTIVATE_FILE),
			 __ATOMIC_RELAXED);
}

/*
 * balance_pgdat - reclaim until the node is balanced for @order at the
 * high watermarks of the zones up to @highest_zoneidx (or a boost is paid
 * off).  Returns the order kswapd ended at (0 if it gave up on @order).
 */
static int balance_pgdat(pg_data_t *pgdat, int order, int highest_zoneidx)
{
	unsigned long zone_boosts[MAX_NR_ZONES] = { 0 };
	unsigned long nr_boost_reclaim = 0, pflags;
	struct scan_control sc = {
		.gfp_mask = GFP_KERNEL,
		.order = (s8)order,
		.may_unmap = 1,
	};
	bool boosted;

	psi_memstall_enter(&pflags);
	count_vm_event(PAGEOUTRUN);

	for (int i = 0; i <= highest_zoneidx; i++) {
		struct zone *zone = pgdat->node_zones + i;

		if (!managed_zone(zone))
			continue;
		zone_boosts[i] = READ_ONCE(zone->watermark_boost);
		nr_boost_reclaim += zone_boosts[i];
	}
	boosted = nr_boost_reclaim;

restart:
	sc.priority = DEF_PRIORITY;
	do {
		unsigned long nr_reclaimed = sc.nr_reclaimed;
		bool raise_priority = true;
		bool balanced;

		sc.reclaim_idx = (s8)highest_zoneidx;
		/* An imbalanced node is reclaimed normally; the boost waits. */
		balanced = kswapd_pgdat_balanced(pgdat, sc.order, highest_zoneidx);
		if (!balanced && nr_boost_reclaim) {
			nr_boost_reclaim = 0;
			goto restart;
		}
		/* Without a boost, a balanced node needs nothing. */
		if (!nr_boost_reclaim && balanced)
			goto out;
		/* Boosted reclaim stays at light priorities, writes and swaps nothing. */
		if (nr_boost_reclaim && sc.priority == DEF_PRIORITY - 2)
			raise_priority = false;
		sc.may_writepage = !nr_boost_reclaim;
		sc.may_swap = !nr_boost_reclaim;

		kswapd_age_node(pgdat, &sc);
		if (sc.priority < DEF_PRIORITY - 2)
			sc.may_writepage = 1;

		sc.nr_scanned = 0;
		if (kswapd_shrink_node(pgdat, &sc))
			raise_priority = false;

		nr_reclaimed = sc.nr_reclaimed - nr_reclaimed;
		nr_boost_reclaim -= min(nr_boost_reclaim, nr_reclaimed);
		/* A boost that reclaim cannot pay off is dropped, not looped on. */
		if (nr_boost_reclaim && !nr_reclaimed)
			break;
		if (raise_priority || !nr_reclaimed)
			sc.priority--;
	} while (sc.priority >= 1);

	if (!sc.nr_reclaimed)
		WRITE_ONCE(pgdat->kswapd_failures, READ_ONCE(pgdat->kswapd_failures) + 1);
out:
	/* The boost this pass started with is reclaimed (or given up on). */
	if (boosted) {
		for (int i = 0; i <= highest_zoneidx; i++) {
			struct zone *zone = pgdat->node_zones + i;

			if (!zone_boosts[i])
				continue;
			spin_lock(&zone->lock);
			WRITE_ONCE(zone->watermark_boost,
				   zone->watermark_boost - min(zone->watermark_boost, zone_boosts[i]));
			spin_unlock(&zone->lock);
		}
	}
	snapshot_refaults(pgdat);
	psi_memstall_leave(&pflags);
	return sc.order;
}

/* After a pass: sleep a little if balanced, else go again (next run). */
static void kswapd_try_to_sleep_locked(struct kswapd *ks, int alloc_order, int reclaim_order,
				       int highest_zoneidx)
{
	ks->alloc_order = alloc_order;
	ks->reclaim_order = reclaim_order;
	ks->highest_zoneidx = highest_zoneidx;
	if (prepare_kswapd_sleep(ks->pgdat, reclaim_order, highest_zoneidx)) {
		/* Before the nap: compaction may now make the order (Linux). */
		reset_isolation_suitable(ks->pgdat);
		wakeup_kcompactd(ks->pgdat->node_id, alloc_order, highest_zoneidx);
		ks->state = KSWAPD_SHORT_SLEEP;
		ks->woken = false;
		queue_delayed_work(system_unbound_wq, &ks->work, HZ / 10);
		return;
	}
	count_vm_event(KSWAPD_HIGH_WMARK_HIT_QUICKLY);
	ks->state = KSWAPD_RUNNING;
	queue_delayed_work(system_unbound_wq, &ks->work, 0);
}

static void kswapd_work(struct work_struct *work)
{
	struct kswapd *ks = (struct kswapd *)to_delayed_work(work);
	pg_data_t *pgdat = ks->pgdat;
	unsigned int saved = current_cpu->memalloc_flags;
	int alloc_order, reclaim_order, highest_zoneidx;

	spin_lock(&ks->lock);
	alloc_order = ks->alloc_order;
	reclaim_order = ks->reclaim_order;
	highest_zoneidx = ks->highest_zoneidx;
	if (ks->state == KSWAPD_SHORT_SLEEP) {
		bool remaining = ks->woken;

		ks->woken = false;
		if (remaining) {
			WRITE_ONCE(pgdat->kswapd_highest_zoneidx,
				   kswapd_highest_zoneidx(pgdat, highest_zoneidx));
			if (READ_ONCE(pgdat->kswapd_order) < reclaim_order)
				WRITE_ONCE(pgdat->kswapd_order, reclaim_order);
		}
		if (!remaining && prepare_kswapd_sleep(pgdat, reclaim_order, highest_zoneidx)) {
			/* The long sleep, until the next wakeup_kswapd. */
			ks->state = KSWAPD_SLEEPING;
			spin_unlock(&ks->lock);
			return;
		}
		count_vm_event(remaining ? KSWAPD_LOW_WMARK_HIT_QUICKLY
					 : KSWAPD_HIGH_WMARK_HIT_QUICKLY);
	}
	ks->state = KSWAPD_RUNNING;
	spin_unlock(&ks->lock);

	/* Read the new order and zone index, and let wakers start afresh. */
	alloc_order = READ_ONCE(pgdat->kswapd_order);
	highest_zoneidx = kswapd_highest_zoneidx(pgdat, highest_zoneidx);
	WRITE_ONCE(pgdat->kswapd_order, 0);
	WRITE_ONCE(pgdat->kswapd_highest_zoneidx, MAX_NR_ZONES);

	current_cpu->memalloc_flags = saved | PF_KSWAPD | PF_MEMALLOC;
	reclaim_order = balance_pgdat(pgdat, alloc_order, highest_zoneidx);
	current_cpu->memalloc_flags = saved;
	WRITE_ONCE(ks->runs, ks->runs + 1);

	/* Linux's loop: a pass that ended at a lower order tries to sleep at
	 * that order; otherwise the next pass takes what wakers asked since. */
	if (reclaim_order >= alloc_order) {
		alloc_order = reclaim_order = READ_ONCE(pgdat->kswapd_order);
		highest_zoneidx = kswapd_highest_zoneidx(pgdat, highest_zoneidx);
	}
	spin_lock(&ks->lock);
	kswapd_try_to_sleep_locked(ks, alloc_order, reclaim_order, highest_zoneidx);
	spin_unlock(&ks->lock);
}

/*
 * wakeup_kswapd - a zone of the node is low: let kswapd balance it for
 * @order up to @highest_zoneidx.  Called by the allocator (any context,
 * any locks); never reclaims itself.
 */
void wakeup_kswapd(struct zone *zone, gfp_t gfp_flags, int order, enum zone_type highest_zoneidx)
{
	pg_data_t *pgdat;
	struct kswapd *ks;
	int curr_idx;

	(void)gfp_flags;
	if (!zone || !managed_zone(zone))
		return;
	pgdat = zone->zone_pgdat;
	ks = READ_ONCE(pgdat->kswapd);
	if (!ks)
		return;
	curr_idx = READ_ONCE(pgdat->kswapd_highest_zoneidx);
	if (curr_idx == MAX_NR_ZONES || curr_idx < (int)highest_zoneidx)
		WRITE_ONCE(pgdat->kswapd_highest_zoneidx, (int)highest_zoneidx);
	if (READ_ONCE(pgdat->kswapd_order) < order)
		WRITE_ONCE(pgdat->kswapd_order, order);

	spin_lock(&ks->lock);
	if (ks->state == KSWAPD_RUNNING) {
		/* Not on its wait queue: it takes the new order on its next pass. */
		spin_unlock(&ks->lock);
		return;
	}
	/* Hopeless node (direct reclaim's turn), or balanced and not boosted. */
	if (READ_ONCE(pgdat->kswapd_failures) >= MAX_RECLAIM_RETRIES ||
	    (kswapd_pgdat_balanced(pgdat, order, (int)highest_zoneidx) &&
	     !pgdat_watermark_boosted(pgdat, (int)highest_zoneidx))) {
		spin_unlock(&ks->lock);
		return;
	}
	ks->wakeups++;
	if (ks->state == KSWAPD_SHORT_SLEEP) {
		ks->woken = true;
		mod_delayed_work(system_unbound_wq, &ks->work, 0);
	} else {
		ks->state = KSWAPD_RUNNING;
		queue_delayed_work(system_unbound_wq, &ks->work, 0);
	}
	spin_unlock(&ks->lock);
}

/* ---- introspection for tests and the invariant checker ---- */

/* Passes of balance_pgdat the node's kswapd ran. */
unsigned long kswapd_runs(int nid);
unsigned long kswapd_runs(int nid)
{
	struct mmsim *m = current_machine();
	struct kswapd_state *st = m ? subsys_state(m, kswapd) : NULL;

	return st && nid < st->nr_nodes ? READ_ONCE(st->node[nid].runs) : 0;
}

/* Wakeups that woke the node's kswapd from a (short or long) sleep. */
unsigned long kswapd_wakeups(int nid);
unsigned long kswapd_wakeups(int nid)
{
	struct mmsim *m = current_machine();
	struct kswapd_state *st = m ? subsys_state(m, kswapd) : NULL;
	unsigned long ret = 0;

	if (st && nid < st->nr_nodes) {
		spin_lock(&st->node[nid].lock);
		ret = st->node[nid].wakeups;
		spin_unlock(&st->node[nid].lock);
	}
	return ret;
}

/* Is the node's kswapd running or due to run (Linux's task_is_running)? */
bool kswapd_is_running(pg_data_t *pgdat)
{
	struct kswapd *ks = READ_ONCE(pgdat->kswapd);
	bool ret = false;

	if (ks) {
		spin_lock(&ks->lock);
		ret = ks->state == KSWAPD_RUNNING;
		spin_unlock(&ks->lock);
	}
	return ret;
}

/* Is the node's kswapd asleep (the long sleep)? */
bool kswapd_is_sleeping(int nid);
bool kswapd_is_sleeping(int nid)
{
	struct mmsim *m = current_machine();
	struct kswapd_state *st = m ? subsys_state(m, kswapd) : NULL;
	bool ret = true;

	if (st && nid < st->nr_nodes) {
		spin_lock(&st->node[nid].lock);
		ret = st->node[nid].state == KSWAPD_SLEEPING;
		spin_unlock(&st->node[nid].lock);
	}
	return ret;
}

/* Each kswapd's state agrees with its work item (WARN and false if not). */
bool kswapd_is_valid(struct mmsim *m);
bool kswapd_is_valid(struct mmsim *m)
{
	struct kswapd_state *st = subsys_state(m, kswapd);
	bool ok = true;

	for (int nid = 0; nid < st->nr_nodes; nid++) {
		struct kswapd *ks = &st->node[nid];
		pg_data_t *pgdat = ks->pgdat;
		int idx = READ_ONCE(pgdat->kswapd_highest_zoneidx);

		spin_lock(&ks->lock);
		if (WARN(ks->state == KSWAPD_SLEEPING && delayed_work_pending(&ks->work),
			 "kswapd%d: asleep with its work pending\n", nid))
			ok = false;
		if (WARN(ks->state == KSWAPD_SHORT_SLEEP && !delayed_work_pending(&ks->work),
			 "kswapd%d: short sleep without a timeout\n", nid))
			ok = false;
		spin_unlock(&ks->lock);
		if (WARN(idx < 0 || idx > MAX_NR_ZONES, "kswapd%d: highest_zoneidx %d\n", nid, idx))
			ok = false;
		if (WARN(READ_ONCE(pgdat->kswapd_failures) < 0, "kswapd%d: failures < 0\n", nid))
			ok = false;
	}
	return ok;
}

/* ---- /sys/fs/cgroup/memory.reclaim (the root cgroup) ---- */

/* memparse(): a number with an optional K/M/G/T/P/E suffix; *end after it. */
static unsigned long long kswapd_memparse(const char *s, const char **end)
{
	char *e;
	unsigned long long v = strtoull(s, &e, 0);

	switch (*e) {
	case 'E': case 'e': v <<= 10; /* fall through */
	case 'P': case 'p': v <<= 10; /* fall through */
	case 'T': case 't': v <<= 10; /* fall through */
	case 'G': case 'g': v <<= 10; /* fall through */
	case 'M': case 'm': v <<= 10; /* fall through */
	case 'K': case 'k': v <<= 10; e++; break;
	default: break;
	}
	*end = e;
	return v;
}

/*
 * "SIZE [swappiness=N]": reclaim SIZE bytes from the whole machine in
 * batches of a quarter of what is left; -EAGAIN once MAX_RECLAIM_RETRIES
 * batches in a row reclaimed nothing, -EINTR on a fatal signal, -EINVAL
 * for a malformed request (Linux's memory_reclaim()).
 */
int memory_reclaim_write(const char *text);
int memory_reclaim_write(const char *text)
{
	unsigned int nr_retries = MAX_RECLAIM_RETRIES;
	unsigned long nr_to_reclaim, nr_reclaimed = 0;
	int swappiness = -1;
	const char *p = text, *end;
	char buf[128];

	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (*p < '0' || *p > '9')
		return -EINVAL;
	nr_to_reclaim = (unsigned long)(kswapd_memparse(p, &end) / PAGE_SIZE);
	if (end == p)
		return -EINVAL;
	if (strlen(end) >= sizeof(buf))
		return -EINVAL;
	strcpy(buf, end);
	for (char *save = NULL, *tok = strtok_r(buf, " \t\n", &save); tok;
	     tok = strtok_r(NULL, " \t\n", &save)) {
		char *e;
		long v;

		if (strncmp(tok, "swappiness=", 11))
			return -EINVAL;
		errno = 0;
		v = strtol(tok + 11, &e, 0);
		if (e == tok + 11 || *e || errno || v < 0 || v > 200)
			return -EINVAL;
		swappiness = (int)v;
	}
	while (nr_reclaimed < nr_to_reclaim) {
		unsigned long batch_size = (nr_to_reclaim - nr_reclaimed) / 4;
		unsigned long reclaimed;

		if (current && fatal_signal_pending(current))
			return -EINTR;
		if (!nr_retries)
			lru_add_drain_all();
		reclaimed = try_to_free_mem_cgroup_pages(NULL, batch_size, GFP_KERNEL,
							 MEMCG_RECLAIM_MAY_SWAP | MEMCG_RECLAIM_PROACTIVE,
							 swappiness);
		if (!reclaimed && !nr_retries--)
			return -EAGAIN;
		nr_reclaimed += reclaimed;
	}
	return 0;
}

static int memory_reclaim_store(struct proc_file *f, const char *text)
{
	(void)f;
	return memory_reclaim_write(text);
}

static const struct proc_entry kswapd_entries[] = {
	{ "/sys/fs/cgroup/memory.reclaim", NULL, memory_reclaim_store, NULL },
};

/* ---- start and stop ---- */

static int kswapd_init(struct mmsim *m, char *err, size_t len)
{
	struct kswapd_state *st = subsys_state(m, kswapd);
	int nid;

	(void)err;
	(void)len;
	st->nr_nodes = num_online_nodes();
	for_each_online_node(nid) {
		struct kswapd *ks = &st->node[nid];
		pg_data_t *pgdat = NODE_DATA(nid);

		INIT_DELAYED_WORK(&ks->work, kswapd_work);
		spin_lock_init(&ks->lock);
		ks->pgdat = pgdat;
		ks->state = KSWAPD_SLEEPING;
		ks->highest_zoneidx = MAX_NR_ZONES - 1;
		WRITE_ONCE(pgdat->kswapd_order, 0);
		WRITE_ONCE(pgdat->kswapd_highest_zoneidx, MAX_NR_ZONES);
		WRITE_ONCE(pgdat->kswapd_failures, 0);
		WRITE_ONCE(pgdat->kswapd, ks);
	}
	return 0;
}

static void kswapd_exit(struct mmsim *m)
{
	struct kswapd_state *st = subsys_state(m, kswapd);

	for (int nid = 0; nid < st->nr_nodes; nid++) {
		struct kswapd *ks = &st->node[nid];

		WRITE_ONCE(ks->pgdat->kswapd, NULL);
		cancel_delayed_work_sync(&ks->work);
		ks->state = KSWAPD_SLEEPING;
	}
}

static int kswapd_files_init(struct mmsim *m, char *err, size_t len)
{
	int ret;

	(void)m;
	ret = proc_create_table(kswapd_entries);
	if (ret)
		snprintf(err, len, "kswapd: cannot create memory.reclaim (%d)", ret);
	return ret;
}

static const struct initcall kswapd_initcalls[] = {
	subsys_initcall(kswapd_init, kswapd_exit),
	fs_initcall(kswapd_files_init, NULL),
};

DEFINE_SUBSYSTEM(kswapd, SUBSYS_STATE(struct kswapd_state, NULL),
		 SUBSYS_INITCALLS(kswapd_initcalls));
