// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_dirty_throttle.c - the dirty limits and balance_dirty_pages.
 *
 * global_dirty_limits() equals Linux's formula, computed here from the
 * counters independently (dirtyable = free - min(free, totalreserve) +
 * inactive_file + active_file + 1; ratios in 1/PAGE_SIZE units; bytes
 * rounded up to pages; bg >= thresh -> thresh / 2) for several RAM sizes
 * and sysctl settings, and /proc/vmstat shows the same thresholds.  A
 * heavy writer on a slow disk is paused in virtual time (each pause at
 * most MAX_PAUSE = HZ/5), and its dirty pages stay near the limit; a
 * light writer below the freerun ceiling is never paused.
 */
#include <limits.h>
#include <mmsim/jiffies.h>
#include <mmsim/vmstat.h>
#include "wb_testfs.h"

static void expected_limits(struct mmsim *m, unsigned long *bg, unsigned long *thresh)
{
	struct dirty_sysctls s;
	unsigned long free = global_zone_page_state(NR_FREE_PAGES);
	unsigned long avail, ratio, bg_ratio, t, b;

	get_dirty_sysctls(&s);
	avail = free - (free < m->totalreserve_pages ? free : m->totalreserve_pages);
	avail += global_node_page_state(NR_INACTIVE_FILE) + global_node_page_state(NR_ACTIVE_FILE);
	avail += 1;
	ratio = (unsigned long)s.vm_dirty_ratio * PAGE_SIZE / 100;
	bg_ratio = (unsigned long)s.dirty_background_ratio * PAGE_SIZE / 100;
	t = s.vm_dirty_bytes ? (s.vm_dirty_bytes + PAGE_SIZE - 1) / PAGE_SIZE :
			       ratio * avail / PAGE_SIZE;
	b = s.dirty_background_bytes ? (s.dirty_background_bytes + PAGE_SIZE - 1) / PAGE_SIZE :
				       bg_ratio * avail / PAGE_SIZE;
	if (t > UINT_MAX)
		t = UINT_MAX;
	if (b >= t)
		b = t / 2;
	*bg = b;
	*thresh = t;
}

static void check_limits(struct mmsim *m, const char *what)
{
	unsigned long bg, thresh, ebg, ethresh;
	char *text;

	expected_limits(m, &ebg, &ethresh);
	global_dirty_limits(&bg, &thresh);
	kt_begin(what);
	KT_EQ(bg, ebg);
	KT_EQ(thresh, ethresh);
	text = mmsim_read(m, "/proc/vmstat");
	KT_EQ(field(text, "nr_dirty_threshold "), (long long)thresh);
	KT_EQ(field(text, "nr_dirty_background_threshold "), (long long)bg);
	free(text);
	kt_end();
}

static void test_limits(void)
{
	static const char *const rams[] = { "ram=64M", "ram=256M", "ram=1G" };
	static const struct { const char *file, *value; } settings[] = {
		{ NULL, NULL },
		{ "/proc/sys/vm/dirty_ratio", "40" },
		{ "/proc/sys/vm/dirty_background_ratio", "1" },
		{ "/proc/sys/vm/dirty_bytes", "10000000" },		/* rounded up */
		{ "/proc/sys/vm/dirty_background_bytes", "20000000" },	/* >= thresh: half */
		{ "/proc/sys/vm/dirty_ratio", "0" },			/* thresh 0 */
		{ "/proc/sys/vm/dirty_background_ratio", "50" },
		{ "/proc/sys/vm/dirty_ratio", "5" },			/* bg > thresh: half */
	};
	char name[128];

	for (size_t r = 0; r < sizeof(rams) / sizeof(rams[0]); r++) {
		char spec[64];
		struct mmsim *m;

		snprintf(spec, sizeof(spec), "%s disk=64M", rams[r]);
		m = boot_or_die(spec);
		for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
			if (settings[i].file && mmsim_write(m, settings[i].file, settings[i].value))
				fprintf(stderr, "write %s failed\n", settings[i].file);
			snprintf(name, sizeof(name), "limits %s %s=%s", rams[r],
				 settings[i].file ? settings[i].file + 13 : "defaults",
				 settings[i].value ? settings[i].value : "");
			check_limits(m, name);
		}
		mmsim_shutdown(m);
	}
}

/* Defaults on 256M: thresholds are 20% / 10% of the dirtyable memory. */
static void test_default_shares(void)
{
	struct mmsim *m = boot_or_die("ram=256M disk=64M");
	unsigned long bg, thresh, avail = global_dirtyable_memory();

	global_dirty_limits(&bg, &thresh);
	KT_ASSERT(avail > 0);
	KT_EQ(thresh, (20 * PAGE_SIZE / 100) * avail / PAGE_SIZE);
	KT_EQ(bg, (10 * PAGE_SIZE / 100) * avail / PAGE_SIZE);
	KT_ASSERT(bg < thresh);
	mmsim_shutdown(m);
}

/* Dirty @n pages of @inode one at a time, balancing after each; max dirty seen. */
static unsigned long write_pages(struct mmsim *m, struct inode *inode, unsigned long n)
{
	unsigned long max_dirty = 0;

	for (unsigned long i = 0; i < n; i++) {
		unsigned long d;

		tfs_dirty(inode, i, 1);
		balance_dirty_pages_ratelimited(inode->i_mapping);
		d = global_node_page_state(NR_FILE_DIRTY) + global_node_page_state(NR_WRITEBACK);
		if (d > max_dirty)
			max_dirty = d;
	}
	(void)m;
	return max_dirty;
}

static void test_heavy_writer_pauses(void)
{
	struct mmsim *m = boot_or_die("ram=256M disk=64M disk_latency=20000");
	struct task_struct *p = mmsim_spawn(m, "dd");
	unsigned long pauses, jiffies_paused, bg, thresh, max_dirty, n;
	struct inode *inode;
	u64 t0;

	KT_ASSERT(p);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_bytes", "4194304"), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_background_bytes", "2097152"), 0);
	global_dirty_limits(&bg, &thresh);
	KT_EQ(thresh, 4194304 / PAGE_SIZE);
	tfs_sb_init(m);
	inode = tfs_inode(20);
	t0 = atomic_load(&m->hw.clock_ns);
	n = thresh * 4;
	max_dirty = write_pages(m, inode, n);
	dirty_throttle_stats(&pauses, &jiffies_paused);
	KT_ASSERT(pauses > 0);
	KT_ASSERT(jiffies_paused <= pauses * (HZ / 5));		/* MAX_PAUSE each */
	KT_ASSERT(jiffies_paused > 0);
	/* The pauses are the writer's virtual time. */
	KT_ASSERT(atomic_load(&m->hw.clock_ns) - t0 >= jiffies_paused * (1000000000ull / HZ));
	/* Dirty + writeback stays near the limit (ratelimit slack: 32 pages). */
	KT_ASSERT(max_dirty <= thresh + 64);
	KT_EQ(global_node_page_state(NR_FILE_DIRTY) + global_node_page_state(NR_WRITEBACK) <=
	      thresh + 64, 1);
	mmsim_switch_idle();
	tfs_inode_free(inode);
	mmsim_shutdown(m);
}

static void test_light_writer_free_runs(void)
{
	struct mmsim *m = boot_or_die("ram=256M disk=64M disk_latency=20000");
	struct task_struct *p = mmsim_spawn(m, "light");
	unsigned long pauses, jiffies_paused, bg, thresh;
	struct inode *inode;
	u64 t0;

	KT_EQ(mmsim_switch_to(p), 0);
	global_dirty_limits(&bg, &thresh);
	tfs_sb_init(m);
	inode = tfs_inode(21);
	t0 = atomic_load(&m->hw.clock_ns);
	/* Well under the freerun ceiling (the test fs keeps its pages off the
	 * file LRU, so the dirtyable memory shrinks as it allocates). */
	write_pages(m, inode, (bg + thresh) / 2 / 2);
	dirty_throttle_stats(&pauses, &jiffies_paused);
	KT_EQ(pauses, 0);
	KT_EQ(atomic_load(&m->hw.clock_ns), t0);
	mmsim_switch_idle();
	tfs_inode_free(inode);
	mmsim_shutdown(m);
}

int main(void)
{
	test_limits();
	KT_RUN(test_default_shares);
	KT_RUN(test_heavy_writer_pauses);
	KT_RUN(test_light_writer_free_runs);
	return kt_done();
}
