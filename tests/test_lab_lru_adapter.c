// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_lab_lru_adapter.c - every online policy of the cache-policy
 * registry as the kernel's reclaim policy (mm/policy/lru_adapter.c):
 *   - names: classic/mglru stay the kernel's; every online registry
 *     policy is found as lru=NAME and boots; an offline one (opt) fails
 *     the boot naming the word and saying why;
 *   - lru and fifo (MMSIM_ADAPTER_POLICY=NAME: that policy instead): the
 *     data-integrity stress of tests/swap_stress.h sized for 3x RAM with
 *     swap (anon, shmem, tmpfs and
 *     disk pages; fork, exit, MADV_PAGEOUT, swapoff...), every checker
 *     after every step (lru_all_valid runs the adapter's is_valid: its map
 *     == the PG_lru folios of the node, the policy's own is_valid, the
 *     counters), every byte compared; reclaim must have happened through
 *     the policy (its evictions, pswpout and pswpin) and swap-ins must
 *     have got back the id they had when they went out (bridged);
 *   - for every online policy (cache_policy_at): a working set 2x RAM
 *     written and read twice with swap: every byte back, the checkers,
 *     reclaim through the policy, and refaults keep their ids (bridged);
 *   - no swap: a process that outgrows RAM ends in the OOM killer, cleanly
 *     (the log names the victim; the checkers hold; pgscan_anon stays 0);
 *   - run-time switches classic -> lru -> fifo -> mglru -> classic while
 *     pages are swapped out: counters unchanged by each switch, bytes kept.
 * MMSIM_STRESS_STEPS sets the stress's steps per policy, MMSIM_ADAPTER_POLICY
 * runs the stress of that policy only.
 */
#include "swap_stress.h"
#include <mmsim/cache_policy.h>
#include <mmsim/lru_policy.h>
#include <mmsim/oom.h>
#include "mm/lru_internal.h"
#include "mm/policy/lru_adapter.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define DEFAULT_STEPS	200
#else
#define DEFAULT_STEPS	400
#endif

static int steps = DEFAULT_STEPS;
static unsigned long seed = 0xada97e5;

static void test_names(void)
{
	const struct cache_policy_ops *cp;
	unsigned int online = 0;

	KT_ASSERT(lru_policy_find("classic") == &lru_classic_ops);
	KT_ASSERT(lru_policy_find("mglru") == &lru_gen_ops);
	KT_ASSERT(lru_policy_find("nosuch") == NULL);
	KT_ASSERT(lru_adapter_cache_policy(&lru_classic_ops) == NULL);
	for (unsigned int i = 0; (cp = cache_policy_at(i)); i++) {
		const struct lru_policy_ops *ops = lru_policy_find(cp->name);
		char spec[96];
		struct mmsim *m;

		snprintf(spec, sizeof(spec), "ram=32M lru=%s", cp->name);
		if (cp->flags & CACHE_POLICY_OFFLINE) {
			KT_EQ_WHAT(!!(ops == NULL), 1, "%s", cp->name);
			KT_ASSERT(lru_adapter_refusal(cp->name) != NULL);
			KT_ASSERT(mmsim_boot(spec) == NULL);
			KT_STR_CONTAINS(mmsim_last_error(), "offline");
			continue;
		}
		online++;
		KT_EQ_WHAT(!!(ops && !strcmp(ops->name, cp->name)), 1, "%s", cp->name);
		KT_ASSERT(lru_adapter_cache_policy(ops) == cp);
		KT_ASSERT(lru_adapter_refusal(cp->name) == NULL);
		m = mmsim_boot(spec);
		KT_EQ_WHAT(m != NULL, 1, "%s: %s", spec, mmsim_last_error());
		if (!m)
			continue;
		KT_ASSERT(lru_policy_current() == ops);
		KT_ASSERT(NODE_DATA(0)->__lruvec.ops == ops);
		KT_ASSERT(lru_all_valid());
		mmsim_shutdown(m);
	}
	/* the lab's two baselines at least (the cache branch) */
	KT_ASSERT(online >= 2 && lru_policy_find("lru") && lru_policy_find("fifo"));
}

/* The swap stress of tests/swap_stress.h under lru=@name. */
static void stress_one(const char *name, int nsteps, bool full)
{
	unsigned int ram_mb = 32, swap_mb = (unsigned int)(3.5 * ram_mb / 2);
	struct lru_adapter_stats st;
	struct ss_set set;
	struct mmsim *m;
	char spec[160];

	snprintf(spec, sizeof(spec), "ram=%uM disk=128M swap=%uM@5,%uM lru=%s", ram_mb, swap_mb,
		 swap_mb, name);
	kt_begin(spec);
	m = boot_or_die(spec);
	KT_ASSERT(lru_adapter_cache_policy(lru_policy_current()) == cache_policy_find(name));
	atomic_store(&ss_failures, 0);
	ss_ratio = 3.0;
	ss_size_regions(1);
	ss_init_set(&set, m, 0, seed);
	set.single = true;		/* every checker after every step */
	set.swap_ops = true;
	for (set.step = 1; set.step <= nsteps && set.failures < 20; set.step++)
		ss_step(&set);
	ss_finish(&set);
	KT_EQ(lru_adapter_get_stats(NODE_DATA(0), &st), 0);
	mmsim_advance_clock(m, 2000000000ULL);
	ss_reclaim_orphans(m);
	ss_check_global(&set, &set, 0);
	KT_EQ(get_nr_swap_pages(), get_total_swap_pages());
	KT_EQ(fx_meminfo_kb(m, "SwapCached:"), 0);
	KT_EQ(atomic_load(&ss_failures), 0);
	printf("%s: peak %lu of %lu RAM pages; inserts %lu accesses %lu evictions %lu removals %lu "
	       "rescued %lu bridged %lu collisions %lu activated %lu ref_keep %lu unmap_fail %lu; "
	       "pswpout %lld pswpin %lld pgsteal %lld\n",
	       name, set.peak_footprint, totalram_pages(), st.inserts, st.accesses, st.evictions,
	       st.removals, st.rescued, st.bridged, st.collisions, st.activated, st.ref_keep,
	       st.unmap_fail, fx_vmstat(m, "pswpout"),
	       fx_vmstat(m, "pswpin"),
	       fx_vmstat(m, "pgsteal_kswapd") + fx_vmstat(m, "pgsteal_direct"));
	/* the pressure was real and the policy chose the victims */
	if (full)
		KT_ASSERT(set.peak_footprint > totalram_pages());
	KT_ASSERT(st.evictions > 0);
	KT_ASSERT(fx_vmstat(m, "pswpout") > 0 && fx_vmstat(m, "pswpin") > 0);
	KT_ASSERT(fx_vmstat(m, "pgsteal_kswapd") + fx_vmstat(m, "pgsteal_direct") <=
		  fx_vmstat(m, "pgscan_kswapd") + fx_vmstat(m, "pgscan_direct"));
	/* swapped-in pages came back with the id they went out with */
	KT_ASSERT(st.bridged > 0);
	kt_end();
	mmsim_shutdown(m);
}

static void test_stress_every_policy(void)
{
	const struct cache_policy_ops *cp;

	const char *only = getenv("MMSIM_ADAPTER_POLICY");

	for (unsigned int i = 0; (cp = cache_policy_at(i)); i++)
		if (!(cp->flags & CACHE_POLICY_OFFLINE) &&
		    (only ? !strcmp(only, cp->name) : !strcmp(cp->name, "lru") || !strcmp(cp->name, "fifo")))
			stress_one(cp->name, steps, true);
}

/* A stamped anonymous working set: write @n pages from @va, or check them. */
static unsigned long ws_pass(unsigned long va, unsigned long n, unsigned long stamp, bool write)
{
	unsigned long bad = 0;

	for (unsigned long g = 0; g < n; g++) {
		unsigned long w[2] = { g, stamp }, r[2];

		if (write) {
			KT_EQ(mmsim_user_write(va + g * PAGE_SIZE, w, sizeof(w)), 0);
			KT_EQ(mmsim_user_write(va + g * PAGE_SIZE + PAGE_SIZE - sizeof(w), w, sizeof(w)), 0);
			continue;
		}
		if (mmsim_user_read(va + g * PAGE_SIZE, r, sizeof(r)) || r[0] != g || r[1] != stamp)
			bad++;
		else if (mmsim_user_read(va + g * PAGE_SIZE + PAGE_SIZE - sizeof(r), r, sizeof(r)) ||
			 r[0] != g || r[1] != stamp)
			bad++;
	}
	return bad;
}

static void refault_one(const char *name)
{
	char spec[64];
	struct mmsim *m;
	struct task_struct *t;
	struct lru_adapter_stats a, b;
	unsigned long n, va;

	snprintf(spec, sizeof(spec), "ram=32M swap=96M lru=%s", name);
	m = boot_or_die(spec);
	t = mmsim_spawn(m, "ws");
	n = totalram_pages() * 2;
	KT_ASSERT(t && !mmsim_switch_to(t));
	va = sys_mmap(0, n * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_EQ(ws_pass(va, n, 1, true), 0);
	KT_ASSERT(lru_all_valid());
	KT_EQ(lru_adapter_get_stats(NODE_DATA(0), &a), 0);
	KT_EQ(ws_pass(va, n, 1, false), 0);
	KT_EQ(ws_pass(va, n, 1, false), 0);
	KT_ASSERT(lru_all_valid());
	KT_EQ(lru_adapter_get_stats(NODE_DATA(0), &b), 0);
	printf("%s: 2x RAM read twice: evictions %lu -> %lu, bridged %lu -> %lu, collisions %lu, "
	       "pswpin %lld\n", name, a.evictions, b.evictions, a.bridged, b.bridged, b.collisions,
	       fx_vmstat(m, "pswpin"));
	/* the reads swapped pages in: most came back with their ids */
	KT_ASSERT(b.evictions > a.evictions);
	KT_ASSERT(b.bridged - a.bridged > n / 2);
	KT_ASSERT(b.collisions < n / 100 + 1);
	KT_ASSERT(fx_vmstat(m, "pswpin") > 0);
	sys_exit_group(0);
	KT_ASSERT(lru_all_valid());
	mmsim_shutdown(m);
}

static void test_refault_every_policy(void)
{
	const struct cache_policy_ops *cp;

	for (unsigned int i = 0; (cp = cache_policy_at(i)); i++)
		if (!(cp->flags & CACHE_POLICY_OFFLINE))
			refault_one(cp->name);
}

/* No swap: the anon of two processes outgrows RAM; the bigger is killed. */
static void oom_one(const char *name)
{
	char spec[64], want[96], *log;
	struct mmsim *m;
	struct task_struct *big, *me;
	unsigned long budget, va, done;
	size_t mark;
	long ret = 0;

	snprintf(spec, sizeof(spec), "ram=32M lru=%s", name);
	m = boot_or_die(spec);
	budget = global_zone_page_state(NR_FREE_PAGES);
	big = mmsim_spawn(m, "big");
	KT_ASSERT(big && !mmsim_switch_to(big));
	get_task_struct(big);
	va = sys_mmap(0, budget * 8 / 10 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	KT_EQ(ws_pass(va, budget * 8 / 10, 7, true), 0);
	mmsim_switch_idle();
	mark = log_mark(m);
	me = mmsim_spawn(m, "filler");
	KT_ASSERT(me && !mmsim_switch_to(me));
	va = sys_mmap(0, budget * 6 / 10 * PAGE_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	for (done = 0; done < budget * 6 / 10; done++) {
		char c = 'f';

		ret = mmsim_user_write(va + done * PAGE_SIZE, &c, 1);
		if (ret)
			break;
	}
	KT_EQ_WHAT(ret, 0, "%s: filler stopped at page %lu", name, done);
	KT_ASSERT(sum_vm_event(OOM_KILL) >= 1);
	log = log_since(m, &mark);
	snprintf(want, sizeof(want), "] Out of memory: Killed process %d (big)", big->pid);
	KT_STR_CONTAINS(log, want);
	free(log);
	KT_EQ(fx_vmstat(m, "pgscan_anon"), 0);
	KT_ASSERT(lru_all_valid());
	KT_ASSERT(mm_mapcounts_are_valid(m));
	sys_exit_group(0);
	mmsim_advance_clock(m, 3000000000ULL);
	KT_ASSERT(big->exit_state != 0);
	KT_ASSERT(lru_all_valid());
	put_task_struct(big);
	mmsim_shutdown(m);
}

static void test_oom_without_swap(void)
{
	const struct cache_policy_ops *cp;

	for (unsigned int i = 0; (cp = cache_policy_at(i)); i++)
		if (!(cp->flags & CACHE_POLICY_OFFLINE))
			oom_one(cp->name);
}

static void lru_counts(unsigned long *c)
{
	for (int lru = 0; lru < NR_LRU_LISTS; lru++)
		c[lru] = node_page_state(NODE_DATA(0), (enum node_stat_item)(NR_INACTIVE_ANON + lru));
}

static void test_switch(void)
{
	static const char *const order[] = { "lru", "fifo", "mglru", "classic", "fifo", "classic" };
	struct mmsim *m = boot_or_die("ram=32M swap=64M");
	struct task_struct *t = mmsim_spawn(m, "sw");
	unsigned long before[NR_LRU_LISTS], after[NR_LRU_LISTS], n = totalram_pages() * 3 / 2, va;
	unsigned long stamp = 1;

	KT_ASSERT(t && !mmsim_switch_to(t));
	KT_ASSERT(lru_policy_current() == &lru_classic_ops);
	va = sys_mmap(0, n * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	KT_EQ(ws_pass(va, n, stamp, true), 0);
	KT_EQ(lru_policy_switch(m, "opt"), -EINVAL);
	for (unsigned int i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		lru_counts(before);
		KT_EQ_WHAT(lru_policy_switch(m, order[i]), 0, "%s", order[i]);
		KT_ASSERT(!strcmp(lru_policy_current()->name, order[i]));
		lru_counts(after);
		/* the same folios; a research policy counts them all inactive */
		KT_EQ_WHAT(before[LRU_INACTIVE_ANON] + before[LRU_ACTIVE_ANON],
			   after[LRU_INACTIVE_ANON] + after[LRU_ACTIVE_ANON], "anon -> %s", order[i]);
		KT_EQ_WHAT(before[LRU_INACTIVE_FILE] + before[LRU_ACTIVE_FILE],
			   after[LRU_INACTIVE_FILE] + after[LRU_ACTIVE_FILE], "file -> %s", order[i]);
		KT_EQ(before[LRU_UNEVICTABLE], after[LRU_UNEVICTABLE]);
		KT_ASSERT(lru_all_valid());
		/* and it reclaims: everything read back, then rewritten */
		KT_EQ_WHAT(ws_pass(va, n, stamp, false), 0, "under %s", order[i]);
		stamp++;
		KT_EQ(ws_pass(va, n, stamp, true), 0);
		KT_ASSERT(lru_all_valid());
	}
	KT_ASSERT(fx_vmstat(m, "pswpout") > 0);
	sys_exit_group(0);
	KT_ASSERT(lru_all_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	const char *e = getenv("MMSIM_STRESS_STEPS");

	if (e)
		steps = atoi(e);
	e = getenv("MMSIM_STRESS_SEED");
	if (e)
		seed = strtoul(e, NULL, 0);
	ss_params_from_env();
	KT_RUN(test_names);
	KT_RUN(test_refault_every_policy);
	KT_RUN(test_switch);
	KT_RUN(test_oom_without_swap);
	test_stress_every_policy();
	return kt_done();
}
