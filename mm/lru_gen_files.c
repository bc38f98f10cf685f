// SPDX-License-Identifier: GPL-2.0
/*
 * mm/lru_gen_files.c - the multi-gen LRU's files and its subsystem
 * (Linux's lru_gen sysfs and debugfs code at the end of mm/vmscan.c;
 * Documentation/admin-guide/mm/multigen_lru.rst).
 *
 *   /sys/kernel/mm/lru_gen/enabled     "0x%04x\n" of the caps: 0x0001 the
 *       main switch (the machine's policy is mglru), 0x0002 the page-table
 *       walk, 0x0004 non-leaf Accessed bits (accepted, no effect: mmsim's
 *       MMU sets no non-leaf A bit).  Writes: y/Y (all), n/N (none), or a
 *       number (base 0); the main switch moves every folio to the other
 *       policy (lru_policy_switch, Linux's lru_gen_change_state); -EINVAL
 *       for anything else.
 *   /sys/kernel/mm/lru_gen/min_ttl_ms  "%u\n" milliseconds (jiffies_to_msecs
 *       of the stored jiffies: writes round up to a tick, 4 ms at HZ=250).
 *   /sys/kernel/debug/lru_gen          per node: "memcg %5hu %s" (0, ""),
 *       " node %5d", then " %10lu %10u %10lu  %10lu " per generation from
 *       min_seq[anon]: seq, age in ms, anon pages, file pages.  Writes:
 *       "+ memcg_id node_id max_gen_nr [can_swap [force_scan]]" ages,
 *       "- memcg_id node_id min_gen_nr [swappiness [nr_to_reclaim]]"
 *       evicts; several commands separated by newlines, ',' or ';'.
 *   /sys/kernel/debug/lru_gen_full     every generation of the last
 *       MAX_NR_GENS with 'x' on those below a type's min_seq, then per tier
 *       the PID controller's counters (RT: averages at max_seq; rep:
 *       refaulted/evicted/protected at min_seq) and the walk's LOYNFA line.
 *
 * Locking: the lru_gen state's mutex serializes writes of `enabled`
 * (policy switches); the shows read lrugen under lru_lock.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <mmsim/jiffies.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include "mm/internal.h"
#include "mm/vmscan_internal.h"
#include "mm/lru_internal.h"
#include "mm/lru_gen.h"
#include "init/init.h"

static unsigned int jiffies_to_ms(unsigned long j)
{
	return (unsigned int)(j * (1000 / HZ));
}

static unsigned long ms_to_jiffies(unsigned int ms)
{
	return ((unsigned long)ms + (1000 / HZ) - 1) / (1000 / HZ);
}

static unsigned int lru_gen_caps(void)
{
	unsigned int caps = lru_gen_state()->caps & ~(1U << LRU_GEN_CORE);

	if (lru_gen_enabled())
		caps |= 1U << LRU_GEN_CORE;
	return caps;
}

static int enabled_show(struct seq_file *sf, struct proc_file *f)
{
	(void)f;
	seq_printf(sf, "0x%04x\n", lru_gen_caps());
	return 0;
}

/* Linux's kstrtouint(buf, 0, ...) with one trailing newline allowed. */
static int parse_uint(const char *text, unsigned int *val)
{
	char *end;
	unsigned long v;

	if (!*text || isspace((unsigned char)*text) || *text == '-' || *text == '+')
		return -EINVAL;
	errno = 0;
	v = strtoul(text, &end, 0);
	if (errno || end == text || v > UINT_MAX)
		return -EINVAL;
	if (*end == '\n')
		end++;
	if (*end)
		return -EINVAL;
	*val = (unsigned int)v;
	return 0;
}

static int enabled_store(struct proc_file *f, const char *text)
{
	struct lru_gen_state *st = lru_gen_state();
	unsigned int caps;
	int ret = 0;

	if (tolower((unsigned char)text[0]) == 'n')
		caps = 0;
	else if (tolower((unsigned char)text[0]) == 'y')
		caps = ~0U;
	else if (parse_uint(text, &caps))
		return -EINVAL;
	pthread_mutex_lock(&st->lock);
	st->caps = caps & ((1U << LRU_GEN_MM_WALK) | (1U << LRU_GEN_NONLEAF_YOUNG));
	if (!(caps & (1U << LRU_GEN_CORE)) != !lru_gen_enabled()) {
		st->storing = true;
		ret = lru_policy_switch(f->m, (caps & (1U << LRU_GEN_CORE)) ? lru_gen_ops.name
									: lru_classic_ops.name);
		st->storing = false;
	}
	pthread_mutex_unlock(&st->lock);
	return ret;
}

static int min_ttl_show(struct seq_file *sf, struct proc_file *f)
{
	(void)f;
	seq_printf(sf, "%u\n", jiffies_to_ms(__atomic_load_n(&lru_gen_state()->min_ttl,
							       __ATOMIC_RELAXED)));
	return 0;
}

static int min_ttl_store(struct proc_file *f, const char *text)
{
	unsigned int ms;

	(void)f;
	if (parse_uint(text, &ms))
		return -EINVAL;
	__atomic_store_n(&lru_gen_state()->min_ttl, ms_to_jiffies(ms), __ATOMIC_RELAXED);
	return 0;
}

/* ---------------------------------------------------------------------
 * /sys/kernel/debug/lru_gen and lru_gen_full
 */

static void show_full(struct seq_file *sf, struct lru_gen_folio *lrugen, unsigned long seq)
{
	int hist = lru_hist_from_seq(seq);
	static const char codes[] = "LOYNFA";

	for (unsigned int tier = 0; tier < MAX_NR_TIERS; tier++) {
		seq_printf(sf, "            %10u", tier);
		for (int type = 0; type < ANON_AND_FILE; type++) {
			const char *s = "   ";
			unsigned long n[3] = { 0, 0, 0 };

			if (seq == lrugen->max_seq) {
				s = "RT ";
				n[0] = lrugen->avg_refaulted[type][tier];
				n[1] = lrugen->avg_total[type][tier];
			} else if (seq == lrugen->min_seq[type]) {
				s = "rep";
				n[0] = lrugen->refaulted[hist][type][tier];
				n[1] = lrugen->evicted[hist][type][tier];
				n[2] = lrugen->protected[hist][type][tier];
			}
			for (int i = 0; i < 3; i++)
				seq_printf(sf, " %10lu%c", n[i], s[i]);
		}
		seq_putc(sf, '\n');
	}
	seq_puts(sf, "                      ");
	for (int i = 0; i < 6; i++) {
		unsigned long n = 0;
		char c = ' ';

		if (seq == lrugen->max_seq) {
			c = codes[i];
			n = i == 0 ? lrugen->walk_ptes : i == 1 ? lrugen->walk_ptes - lrugen->walk_young :
				     i == 2 ? lrugen->walk_young : 0;
		}
		seq_printf(sf, " %10lu%c", n, c);
	}
	seq_putc(sf, '\n');
}

static int lru_gen_show_node(struct seq_file *sf, pg_data_t *pgdat, bool full, bool first)
{
	struct lruvec *lruvec = &pgdat->__lruvec;
	struct lru_gen_folio *lrugen;
	unsigned long now = (unsigned long)get_jiffies_64(), seq;

	if (first)
		seq_printf(sf, "memcg %5hu %s\n", (unsigned short)0, "");
	seq_printf(sf, " node %5d\n", pgdat->node_id);
	lrugen = lru_gen_lock(lruvec);
	if (!lrugen)
		return 0;
	if (!full)
		seq = lrugen->min_seq[LRU_GEN_ANON];
	else if (lrugen->max_seq >= MAX_NR_GENS)
		seq = lrugen->max_seq - MAX_NR_GENS + 1;
	else
		seq = 0;
	for (; seq <= lrugen->max_seq; seq++) {
		int gen = lru_gen_from_seq(seq);

		seq_printf(sf, " %10lu %10u", seq, jiffies_to_ms(now - lrugen->timestamps[gen]));
		for (int type = 0; type < ANON_AND_FILE; type++) {
			long size = 0;
			char mark = full && seq < lrugen->min_seq[type] ? 'x' : ' ';

			for (int zone = 0; zone < MAX_NR_ZONES; zone++)
				size += lrugen->nr_pages[gen][type][zone];
			seq_printf(sf, " %10lu%c", size > 0 ? (unsigned long)size : 0UL, mark);
		}
		seq_putc(sf, '\n');
		if (full)
			show_full(sf, lrugen, seq);
	}
	spin_unlock(&lruvec->lru_lock);
	return 0;
}

static int lru_gen_show(struct seq_file *sf, struct proc_file *f)
{
	bool full = f->entry->data != NULL;

	for (int nid = 0; nid < f->m->nr_nodes; nid++)
		lru_gen_show_node(sf, f->m->node_data[nid], full, nid == 0);
	return 0;
}

/* Linux's run_aging. */
static int run_aging(struct lruvec *lruvec, unsigned long seq, int swappiness, bool force_scan)
{
	struct lru_gen_folio *lrugen = lru_gen_lock(lruvec);
	unsigned long max_seq, min_seq;

	if (!lrugen)
		return -EINVAL;
	max_seq = lrugen->max_seq;
	min_seq = lrugen->min_seq[!swappiness];
	spin_unlock(&lruvec->lru_lock);
	if (seq < max_seq)
		return 0;
	if (seq > max_seq)
		return -EINVAL;
	if (!force_scan && min_seq + MAX_NR_GENS - 1 <= max_seq)
		return -ERANGE;
	lru_gen_try_inc_max_seq(lruvec, max_seq, swappiness != 0, force_scan);
	return 0;
}

/* Linux's run_eviction: evict generations <= @seq, up to @nr_to_reclaim. */
static int run_eviction(struct lruvec *lruvec, unsigned long seq, struct scan_control *sc,
			int swappiness, unsigned long nr_to_reclaim)
{
	struct lru_gen_folio *lrugen = lru_gen_lock(lruvec);
	unsigned long max_seq;

	if (!lrugen)
		return -EINVAL;
	max_seq = lrugen->max_seq;
	spin_unlock(&lruvec->lru_lock);
	if (seq + MIN_NR_GENS > max_seq)
		return -EINVAL;
	sc->nr_reclaimed = 0;
	sc->nr_to_reclaim = nr_to_reclaim;
	for (;;) {
		unsigned long min_seq;

		lrugen = lru_gen_lock(lruvec);
		if (!lrugen)
			return 0;
		min_seq = lrugen->min_seq[!swappiness];
		spin_unlock(&lruvec->lru_lock);
		if (seq < min_seq || sc->nr_reclaimed >= nr_to_reclaim)
			return 0;
		if (!lru_gen_evict(lruvec, sc, swappiness))
			return 0;
	}
}

static int run_cmd(struct mmsim *m, char cmd, unsigned int memcg_id, int nid, unsigned long seq,
		   struct scan_control *sc, int swappiness, unsigned long opt)
{
	struct lruvec *lruvec;

	if (nid < 0 || nid >= m->nr_nodes || memcg_id != 0)
		return -EINVAL;
	lruvec = &m->node_data[nid]->__lruvec;
	if (swappiness < 0)
		swappiness = can_reclaim_anon_pages(nid, sc) ? sc_swappiness(sc) : 0;
	else if (swappiness > MAX_SWAPPINESS)
		return -EINVAL;
	switch (cmd) {
	case '+':
		return run_aging(lruvec, seq, swappiness, opt != 0);
	case '-':
		return run_eviction(lruvec, seq, sc, swappiness, opt);
	default:
		return -EINVAL;
	}
}

static int lru_gen_store(struct proc_file *f, const char *text)
{
	char *buf = strdup(text), *next = buf, *cur;
	unsigned int flags;
	int err = 0;

	if (!buf)
		return -ENOMEM;
	flags = memalloc_noreclaim_save();
	while ((cur = strsep(&next, ",;\n")) != NULL) {
		struct scan_control sc = {
			.may_writepage = 1, .may_unmap = 1, .may_swap = 1,
			.reclaim_idx = MAX_NR_ZONES - 1, .gfp_mask = GFP_KERNEL,
			.priority = DEF_PRIORITY,
		};
		char cmd;
		unsigned int memcg_id;
		int nid, n, end = 0;
		unsigned long seq, opt = ~0UL;
		int swappiness = -1;

		while (isspace((unsigned char)*cur))
			cur++;
		if (!*cur)
			continue;
		n = sscanf(cur, "%c %u %d %lu %n %d %n %lu %n", &cmd, &memcg_id, &nid, &seq, &end,
			   &swappiness, &end, &opt, &end);
		if (n < 4 || cur[end]) {
			err = -EINVAL;
			break;
		}
		err = run_cmd(f->m, cmd, memcg_id, nid, seq, &sc, swappiness, opt);
		if (err)
			break;
	}
	memalloc_noreclaim_restore(flags);
	free(buf);
	return err;
}

static const struct proc_entry lru_gen_files[] = {
	{ "/sys/kernel/mm/lru_gen/enabled", enabled_show, enabled_store, NULL },
	{ "/sys/kernel/mm/lru_gen/min_ttl_ms", min_ttl_show, min_ttl_store, NULL },
	{ "/sys/kernel/debug/lru_gen", lru_gen_show, lru_gen_store, NULL },
	{ "/sys/kernel/debug/lru_gen_full", lru_gen_show, NULL, "full" },
};

/*
 * The vmscan subsystem (earlier in the list) has applied `lru=` by now: a
 * machine booted with lru=mglru has every cap on (0x0007), any other none
 * (0x0000), as Linux with CONFIG_LRU_GEN_ENABLED=y / =n.
 */
static int lru_gen_init(struct mmsim *m, char *err, size_t len)
{
	struct lru_gen_state *st = subsys_state(m, lru_gen);
	int ret;

	pthread_mutex_init(&st->lock, NULL);
	if (lru_gen_enabled())
		st->caps = (1U << LRU_GEN_MM_WALK) | (1U << LRU_GEN_NONLEAF_YOUNG);
	ret = proc_create_table(lru_gen_files);
	if (ret)
		snprintf(err, len, "lru_gen: cannot create /sys/kernel/mm/lru_gen (%d)", ret);
	return ret;
}

static void lru_gen_exit(struct mmsim *m)
{
	pthread_mutex_destroy(&((struct lru_gen_state *)subsys_state(m, lru_gen))->lock);
}

static const struct initcall lru_gen_initcalls[] = {
	fs_initcall(lru_gen_init, lru_gen_exit),
};

static const struct lru_gen_state lru_gen_template = {
	.caps = 0,
	.min_ttl = 0,
};

DEFINE_SUBSYSTEM(lru_gen, SUBSYS_STATE(struct lru_gen_state, &lru_gen_template),
		 SUBSYS_INITCALLS(lru_gen_initcalls), .state_release = lru_gen_state_release);
