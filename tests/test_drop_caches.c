// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_drop_caches.c - vm.drop_caches (fs/drop_caches.c): write-only,
 * values 1..4 (-EINVAL otherwise); each write logs
 * "<comm> (<pid>): drop_caches: <n>" until one with bit 4 set; 1 counts
 * drop_pagecache, 2 drop_slab; drop_pagecache_sb leaves dirty pages and
 * pages under writeback in the cache, and drops clean ones once the page
 * cache's invalidate_mapping_pages is in (P's mm/truncate.c).
 */
#include <mmsim/sched.h>
#include "wb_testfs.h"

static void test_sysctl_and_log(void)
{
	struct mmsim *m = boot_or_die("ram=128M disk=64M");
	struct task_struct *p = mmsim_spawn(m, "bash");
	long pc0 = vmstat_of(m, "drop_pagecache"), sl0 = vmstat_of(m, "drop_slab");
	size_t mark;
	char *log, want[64];

	KT_ASSERT(p);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_ASSERT(!mmsim_read(m, "/proc/sys/vm/drop_caches"));
	KT_EQ(mmsim_write(m, "/proc/sys/vm/drop_caches", "0"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/drop_caches", "5"), -EINVAL);
	mark = log_mark(m);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/drop_caches", "1"), 0);
	KT_EQ(vmstat_of(m, "drop_pagecache") - pc0, 1);
	KT_EQ(vmstat_of(m, "drop_slab") - sl0, 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/drop_caches", "3"), 0);
	KT_EQ(vmstat_of(m, "drop_pagecache") - pc0, 2);
	KT_EQ(vmstat_of(m, "drop_slab") - sl0, 1);
	log = log_since(m, &mark);
	snprintf(want, sizeof(want), "bash (%d): drop_caches: 1", p->pid);
	KT_STR_CONTAINS(log, want);
	snprintf(want, sizeof(want), "bash (%d): drop_caches: 3", p->pid);
	KT_STR_CONTAINS(log, want);
	free(log);
	/* 4: this line, then silence. */
	KT_EQ(mmsim_write(m, "/proc/sys/vm/drop_caches", "4"), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/drop_caches", "2"), 0);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "drop_caches: 4");
	KT_ASSERT(!strstr(log, "drop_caches: 2"));
	free(log);
	mmsim_switch_idle();
	mmsim_shutdown(m);
}

static void test_dirty_pages_stay(void)
{
	struct mmsim *m = boot_or_die("ram=128M disk=64M");
	long dirty0;
	struct inode *clean, *dirty;
	long before;

	tfs_sb_init(m);
	dirty0 = vmstat_of(m, "nr_dirty");
	clean = tfs_inode(30);
	dirty = tfs_inode(31);
	list_add_tail(&clean->i_sb_list, &tfs_sb.s_inodes);
	list_add_tail(&dirty->i_sb_list, &tfs_sb.s_inodes);
	tfs_dirty(clean, 0, 4);
	KT_EQ(write_inode_now(clean, 1), 0);		/* now clean */
	tfs_dirty(dirty, 0, 4);
	before = atomic_long_read(&clean->i_mapping->nrpages);
	KT_EQ(before, 4);
	drop_pagecache_sb(&tfs_sb, NULL);
	KT_EQ(atomic_long_read(&dirty->i_mapping->nrpages), 4);
	KT_EQ(vmstat_of(m, "nr_dirty") - dirty0, 4);
	KT_ASSERT(dirty->i_state & I_DIRTY_PAGES);
	if (atomic_long_read(&clean->i_mapping->nrpages) == before)
		printf("note: invalidate_mapping_pages not in yet: clean pages kept\n");
	else
		KT_EQ(atomic_long_read(&clean->i_mapping->nrpages), 0);
	list_del_init(&clean->i_sb_list);
	list_del_init(&dirty->i_sb_list);
	tfs_inode_free(clean);
	tfs_inode_free(dirty);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_sysctl_and_log);
	KT_RUN(test_dirty_pages_stay);
	return kt_done();
}
