// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_kswapd_reclaim.c - kswapd, the shrinkers and workingset
 * detection on top of mm/vmscan.c's reclaim (each case skips itself, with
 * a note, on a tree where shrink_node does not reclaim yet):
 *   - reading a file larger than RAM in steps of virtual time: kswapd
 *     wakes, reclaims the page cache (pgsteal_kswapd, pageoutrun) and
 *     goes back to sleep with the node balanced at the high watermark;
 *   - a shrinker registered on the machine is called by kswapd's reclaim
 *     (current_is_kswapd() true inside) and by direct reclaim;
 *   - rereading a file that did not fit leaves shadows and counts
 *     refaults (workingset_refault_file, workingset_nodes);
 *   - memory.reclaim takes "SIZE" and frees about that much page cache.
 * kswapd_is_valid/workingset_is_valid/shrinkers_are_valid/lru_all_valid
 * after every step.
 */
#include <fcntl.h>
#include <mmsim/fs.h>
#include <mmsim/err.h>
#include <mmsim/sched.h>
#include <mmsim/swap.h>
#include <mmsim/shrinker.h>
#include <mmsim/workqueue.h>
#include "mmtest.h"

unsigned long kswapd_runs(int nid);
bool kswapd_is_sleeping(int nid);
bool kswapd_is_valid(struct mmsim *m);
bool workingset_is_valid(struct mmsim *m);
bool shrinkers_are_valid(struct mmsim *m);

#define MS	1000000ull

static long vmstat_of(struct mmsim *m, const char *name)
{
	char *text = mmsim_read(m, "/proc/vmstat");
	char label[64];
	long long v;

	snprintf(label, sizeof(label), "%s ", name);
	v = field(text, label);
	free(text);
	return (long)v;
}

static long meminfo_kb(struct mmsim *m, const char *label)
{
	char *text = mmsim_read(m, "/proc/meminfo");
	long long v = field(text, label);

	free(text);
	return (long)v;
}

static char buf[64 * 1024];

/* A file of @mb MiB on / (written and synced: clean cache). */
static struct file *make_file(struct mmsim *m, const char *path, int mb)
{
	struct file *f = filp_open(path, O_CREAT | O_RDWR, 0644);
	loff_t pos = 0;

	KT_ASSERT(!IS_ERR(f));
	memset(buf, 'k', sizeof(buf));
	for (int i = 0; i < mb * 16; i++) {
		ssize_t n = kernel_write(f, buf, sizeof(buf), &pos);

		KT_EQ(n, (ssize_t)sizeof(buf));
		if (n != (ssize_t)sizeof(buf))
			break;
		if (i % 16 == 15)
			mmsim_advance_clock(m, 1 * MS);
	}
	KT_EQ(vfs_fsync(f, 0), 0);
	return f;
}

/* Read it all, letting 1 ms of virtual time pass per 256 KiB (kswapd runs). */
static void read_file(struct mmsim *m, struct file *f, int mb)
{
	loff_t pos = 0;

	for (int i = 0; i < mb * 16; i++) {
		ssize_t n = kernel_read(f, buf, sizeof(buf), &pos);

		KT_EQ(n, (ssize_t)sizeof(buf));
		if (n != (ssize_t)sizeof(buf))
			break;
		if (i % 4 == 3)
			mmsim_advance_clock(m, 1 * MS);
	}
}

static struct file *make_file(struct mmsim *m, const char *path, int mb);

/* Does this tree reclaim at all (mm/vmscan.c landed)?  Probed with 8 MiB
 * of clean page cache before anything fills memory. */
static bool reclaim_works(struct mmsim *m)
{
	struct file *probe = make_file(m, "/probe", 8);
	long cached = meminfo_kb(m, "Cached:");
	unsigned long got;

	fput(probe);
	got = try_to_free_mem_cgroup_pages(NULL, 64, GFP_KERNEL, MEMCG_RECLAIM_PROACTIVE, -1);
	if (!got)
		printf("note: no reclaim in this tree (Cached %ld kB): skipped\n", cached);
	return got > 0;
}

static bool balanced(pg_data_t *pgdat)
{
	for (int z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];

		if (managed_zone(zone) &&
		    zone_page_state(zone, NR_FREE_PAGES) >= high_wmark_pages(zone))
			return true;
	}
	return false;
}

static void test_kswapd_reclaims_to_high(void)
{
	struct mmsim *m = boot_or_die("ram=64M disk=256M cpus=1");
	struct task_struct *p = mmsim_spawn(m, "reader");
	struct file *f;
	long steal0, runs0;

	KT_ASSERT(p);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/watermark_boost_factor", "0"), 0);
	if (!reclaim_works(m))
		goto out;
	f = make_file(m, "/big", 96);
	steal0 = vmstat_of(m, "pgsteal_kswapd");
	runs0 = vmstat_of(m, "pageoutrun");
	read_file(m, f, 96);
	KT_ASSERT(vmstat_of(m, "pgsteal_kswapd") > steal0);
	KT_ASSERT(vmstat_of(m, "pageoutrun") > runs0);
	KT_ASSERT(kswapd_is_valid(m));
	/* Left alone, kswapd finishes, finds the node balanced and sleeps. */
	mmsim_advance_clock(m, 500 * MS);
	KT_ASSERT(kswapd_is_sleeping(0));
	KT_ASSERT(balanced(NODE_DATA(0)));
	KT_EQ(NODE_DATA(0)->kswapd_failures, 0);
	KT_ASSERT(lru_all_valid());
	KT_ASSERT(kswapd_is_valid(m));
	/* The file read twice: refaults of evicted pages, and shadows. */
	read_file(m, f, 96);
	KT_ASSERT(vmstat_of(m, "workingset_refault_file") > 0);
	KT_ASSERT(workingset_is_valid(m));
	{
		char *psi = mmsim_read(m, "/proc/pressure/memory");

		printf("# 2 x 96 MiB read on 64M: pgsteal_kswapd %ld pgsteal_direct %ld pageoutrun %ld "
		       "low/high_wmark_hit_quickly %ld/%ld refault %ld activate %ld nodes %ld\n# %s",
		       vmstat_of(m, "pgsteal_kswapd"), vmstat_of(m, "pgsteal_direct"),
		       vmstat_of(m, "pageoutrun"), vmstat_of(m, "kswapd_low_wmark_hit_quickly"),
		       vmstat_of(m, "kswapd_high_wmark_hit_quickly"),
		       vmstat_of(m, "workingset_refault_file"), vmstat_of(m, "workingset_activate_file"),
		       vmstat_of(m, "workingset_nodes"), psi);
		free(psi);
	}
	fput(f);
out:
	mmsim_switch_idle();
	mmsim_shutdown(m);
}

/* A cache of objects that records who asked. */
static unsigned long toy_objects, toy_kswapd_scans, toy_direct_scans;

static unsigned long toy_count(struct shrinker *s, struct shrink_control *sc)
{
	(void)s;
	(void)sc;
	return toy_objects;
}

static unsigned long toy_scan(struct shrinker *s, struct shrink_control *sc)
{
	unsigned long n = min(toy_objects, sc->nr_to_scan);

	(void)s;
	if (current_is_kswapd())
		toy_kswapd_scans++;
	else
		toy_direct_scans++;
	toy_objects -= n;
	return n;
}

static void test_shrinker_called_by_reclaim(void)
{
	struct mmsim *m = boot_or_die("ram=64M disk=256M cpus=1");
	struct task_struct *p = mmsim_spawn(m, "reader");
	struct shrinker *s;
	struct file *f;

	KT_ASSERT(p);
	KT_EQ(mmsim_switch_to(p), 0);
	if (!reclaim_works(m))
		goto out;
	f = make_file(m, "/big", 96);
	s = shrinker_alloc(0, "toy");
	s->count_objects = toy_count;
	s->scan_objects = toy_scan;
	shrinker_register(s);
	toy_objects = 1UL << 20;
	toy_kswapd_scans = toy_direct_scans = 0;
	read_file(m, f, 96);
	mmsim_advance_clock(m, 500 * MS);
	KT_ASSERT(toy_kswapd_scans > 0);
	KT_ASSERT(toy_objects < 1UL << 20);
	KT_ASSERT(shrinkers_are_valid(m));
	shrinker_free(s);
	fput(f);
out:
	mmsim_switch_idle();
	mmsim_shutdown(m);
}

static void test_memory_reclaim(void)
{
	struct mmsim *m = boot_or_die("ram=64M disk=256M cpus=1");
	struct task_struct *p = mmsim_spawn(m, "reader");
	struct file *f;
	long before, after;

	KT_ASSERT(p);
	KT_EQ(mmsim_switch_to(p), 0);
	if (!reclaim_works(m))
		goto out;
	f = make_file(m, "/mid", 24);
	read_file(m, f, 24);
	before = meminfo_kb(m, "Cached:");
	KT_EQ(mmsim_write(m, "/sys/fs/cgroup/memory.reclaim", "8M"), 0);
	after = meminfo_kb(m, "Cached:");
	KT_ASSERT(before - after >= 8 * 1024 - 512);
	KT_EQ(mmsim_write(m, "/sys/fs/cgroup/memory.reclaim", "4M swappiness=0"), 0);
	KT_ASSERT(lru_all_valid());
	fput(f);
out:
	mmsim_switch_idle();
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_kswapd_reclaims_to_high);
	KT_RUN(test_shrinker_called_by_reclaim);
	KT_RUN(test_memory_reclaim);
	return kt_done();
}
