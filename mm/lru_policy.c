// SPDX-License-Identifier: GPL-2.0
/*
 * mm/lru_policy.c - the registry of reclaim policies (<mmsim/lru_policy.h>)
 * and the `vmscan` subsystem's state: the `lru=NAME` boot word, the policy
 * of each machine, run-time switching, and lru_classic_ops, Linux's
 * active/inactive lists (add/del in mm/swap.c, scanning in mm/vmscan.c).
 *
 * Design: a policy is a const ops table.  The registry is process-wide
 * (like a file system type list: code, not machine state): the two built-in
 * policies, "classic" and "mglru", plus up to LRU_POLICY_MAX - 2 more that
 * research code registers with lru_policy_register() before it boots a
 * machine.  A name none of those has falls back to the cache-policy
 * registry's online policies (lru=arc, lru=s3fifo, ...: mm/policy/
 * lru_adapter.c); offline ones (opt) are refused with the reason.  Each machine's choice lives in its vmscan state
 * (vmscan_state()->policy) and in every node's lruvec->ops, which is what
 * the hot paths read (lruvec_add_folio & co in mm/swap.c).  Every lruvec
 * starts classic (lruvec_init); `lru=` switches the machine at
 * core_initcall time, before the first folio reaches a list.
 *
 * Switching (lru_policy_switch, Linux's lru_gen_change_state): for each
 * node, the new policy's init() runs first (it may allocate), then under
 * lru_lock every folio on the old policy's lists is taken off with the old
 * del_folio and added with the new add_folio, lruvec->ops changes, and
 * after the unlock the old policy's exit() frees its state.  The classic
 * lists are walked tail to head so the order survives; another policy's
 * folios are found by a walk of the node's pfns (PG_lru head pages of this
 * node: nobody can set or clear PG_lru without lru_lock).  Two non-classic
 * policies would share lruvec->lrugen, so such a switch goes through
 * classic.
 *
 * Locking: registry_lock (a host mutex) guards the registry; lru_lock of
 * each node during the move; the machine's state changes under the
 * caller's exclusion (boot, or a sysfs write).  Order: lru_lock ->
 * zone->lock is never needed here (no allocation under lru_lock).
 *
 * Invariants: lruvec->ops is never NULL after lruvec_init; every node of a
 * machine has vmscan_state()->policy; after a switch, nr_pages[] and the
 * node counters are unchanged (the same folios, counted by the same
 * classic-list rule) -- lru_is_valid checks both.
 */
#include <errno.h>
#include <string.h>
#include <pthread.h>
#include <stdio.h>
#include <mmsim/rmap.h>
#include <mmsim/swap.h>
#include <mmsim/lru_policy.h>
#include "mm/internal.h"
#include "mm/vmscan_internal.h"
#include "mm/lru_internal.h"
#include "init/init.h"
#include "lib/cmdline.h"
#include "mm/policy/lru_adapter.h"

#define LRU_POLICY_MAX	8

static pthread_mutex_t registry_lock = PTHREAD_MUTEX_INITIALIZER;
static const struct lru_policy_ops *registry[LRU_POLICY_MAX];
static int nr_registered;

const struct lru_policy_ops lru_classic_ops = {
	.name = "classic",
	.add_folio = lru_classic_add_folio,
	.del_folio = lru_classic_del_folio,
	.mark_accessed = NULL,			/* the two-touch rule of mm/swap.c */
	.shrink_lruvec = lru_classic_shrink_lruvec,
	.age_node = lru_classic_age_node,
	.is_valid = lru_classic_is_valid,
};

static const struct lru_policy_ops *builtin(int i)
{
	return i == 0 ? &lru_classic_ops : i == 1 ? &lru_gen_ops : NULL;
}

static const struct lru_policy_ops *kernel_policy_find(const char *name);

int lru_policy_register(const struct lru_policy_ops *ops)
{
	int ret = 0;

	if (!ops || !ops->name || !ops->add_folio || !ops->del_folio || !ops->shrink_lruvec)
		return -EINVAL;
	pthread_mutex_lock(&registry_lock);
	if (kernel_policy_find(ops->name))
		ret = -EEXIST;
	else if (nr_registered >= LRU_POLICY_MAX - 2)
		ret = -ENOSPC;
	else
		registry[nr_registered++] = ops;
	pthread_mutex_unlock(&registry_lock);
	return ret;
}

/* The kernel's own policies: built in, or registered by research code. */
static const struct lru_policy_ops *kernel_policy_find(const char *name)
{
	int n;

	if (!name)
		return NULL;
	for (int i = 0; i < 2; i++)
		if (!strcmp(builtin(i)->name, name))
			return builtin(i);
	n = __atomic_load_n(&nr_registered, __ATOMIC_ACQUIRE);
	for (int i = 0; i < n; i++)
		if (!strcmp(registry[i]->name, name))
			return registry[i];
	return NULL;
}

/* Then the cache-policy registry's online policies (mm/policy/lru_adapter.c). */
const struct lru_policy_ops *lru_policy_find(const char *name)
{
	const struct lru_policy_ops *ops = kernel_policy_find(name);

	return ops || !name ? ops : lru_adapter_find(name);
}

/* A policy that can hold folios: it keeps lists and can evict from them. */
static bool policy_usable(const struct lru_policy_ops *ops)
{
	return ops && ops->add_folio && ops->del_folio && ops->shrink_lruvec;
}

static const struct vmscan_state vmscan_template = {
	.policy = &lru_classic_ops,
	.swappiness = 60,
};

struct vmscan_state *vmscan_state(void)
{
	return subsys_state(M(), vmscan);
}

const struct lru_policy_ops *lru_policy_current(void)
{
	const struct lru_policy_ops *ops = vmscan_state()->policy;

	return ops ? ops : &lru_classic_ops;
}

/* Move one node's folios from its policy to @new (see the header). */
static void lruvec_switch(pg_data_t *pgdat, const struct lru_policy_ops *new)
{
	struct lruvec *lruvec = &pgdat->__lruvec;
	const struct lru_policy_ops *old = lruvec->ops;
	int ret;

	if (old == new)
		return;
	if (new->init) {
		ret = new->init(lruvec);
		if (WARN(ret, "lru: %s: init of node %d failed (%d)\n", new->name, pgdat->node_id, ret))
			return;
	}
	spin_lock(&lruvec->lru_lock);
	if (old == &lru_classic_ops) {
		enum lru_list lru;

		__atomic_store_n(&lruvec->ops, new, __ATOMIC_RELEASE);	/* kswapd reads it unlocked */
		for_each_lru(lru) {
			struct list_head *head = &lruvec->lists[lru];

			while (!list_empty(head)) {
				struct folio *folio = page_folio(list_last_entry(head, struct page, lru));

				lru_zone_account(folio, -1);
				old->del_folio(lruvec, folio);
				new->add_folio(lruvec, folio, false);
				lru_zone_account(folio, 1);
			}
		}
	} else {
		unsigned long pfn, end = pgdat->node_start_pfn + pgdat->node_spanned_pages;

		for (pfn = pgdat->node_start_pfn; pfn < end; pfn++) {
			struct page *page;
			struct folio *folio;

			if (!pfn_valid(pfn))
				continue;
			page = pfn_to_page(pfn);
			folio = (struct folio *)page;
			if (page_pgdat(page) != pgdat || !lru_flag_test(folio, PG_lru) ||
			    PageTail(page))
				continue;
			lru_zone_account(folio, -1);
			old->del_folio(lruvec, folio);
			new->add_folio(lruvec, folio, false);
			lru_zone_account(folio, 1);
		}
		__atomic_store_n(&lruvec->ops, new, __ATOMIC_RELEASE);	/* kswapd reads it unlocked */
	}
	spin_unlock(&lruvec->lru_lock);
	if (old->exit)
		old->exit(lruvec);
}

int lru_policy_switch(struct mmsim *m, const char *name)
{
	const struct lru_policy_ops *new = lru_policy_find(name);
	struct vmscan_state *st = subsys_state(m, vmscan);

	if (!policy_usable(new))
		return -EINVAL;
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = m->node_data[nid];

		if (pgdat->__lruvec.ops != &lru_classic_ops && new != &lru_classic_ops)
			lruvec_switch(pgdat, &lru_classic_ops);
		lruvec_switch(pgdat, new);
	}
	st->policy = new;
	return 0;
}

/* lru=NAME: a registered, usable policy. */
static int setup_lru(void *state, const struct kernel_param *kp, const char *word,
		     const char *val, char *err, size_t len)
{
	struct vmscan_state *st = state;

	(void)kp;
	if (lru_adapter_refusal(val) && !kernel_policy_find(val))
		return cmdline_fail(err, len, "'%s': %s is %s", word, val, lru_adapter_refusal(val));
	if (!policy_usable(lru_policy_find(val)))
		return cmdline_fail(err, len, "'%s': unknown LRU policy", word);
	snprintf(st->lru_word, sizeof(st->lru_word), "%s", val);
	return 0;
}

static int vmscan_init(struct mmsim *m, char *err, size_t len)
{
	struct vmscan_state *st = subsys_state(m, vmscan);
	int ret;

	st->policy = &lru_classic_ops;
	if (!st->lru_word[0] || !strcmp(st->lru_word, lru_classic_ops.name))
		return 0;
	ret = lru_policy_switch(m, st->lru_word);
	if (ret)
		snprintf(err, len, "vmscan: cannot switch to the LRU policy '%s' (%d)", st->lru_word, ret);
	return ret;
}

static void vmscan_exit(struct mmsim *m)
{
	/* Back to classic so a policy's per-node state is freed before the nodes go. */
	if (((struct vmscan_state *)subsys_state(m, vmscan))->policy != &lru_classic_ops)
		lru_policy_switch(m, lru_classic_ops.name);
}

static const struct kernel_param vmscan_params[] = {
	__setup("lru", setup_lru),
};

static const struct initcall vmscan_initcalls[] = {
	core_initcall(vmscan_init, vmscan_exit),
	fs_initcall(vmscan_sysctl_init, NULL),
};

DEFINE_SUBSYSTEM(vmscan, SUBSYS_STATE(struct vmscan_state, &vmscan_template),
		 SUBSYS_PARAMS(vmscan_params), SUBSYS_INITCALLS(vmscan_initcalls));
