// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_writeback_stress.c - a randomized run of the writeback paths
 * on the in-test file system (tests/wb_testfs.h), checking after every
 * step: workqueue_is_valid, wb_is_valid, mapping_dirty_is_valid of every
 * inode, NR_FILE_DIRTY == the dirty folios of the test inodes (+ what was
 * dirty at the start), NR_WRITEBACK == their folios under writeback, an
 * inode with dirty pages has I_DIRTY_PAGES and is listed.  Steps: dirty
 * random ranges (with balance_dirty_pages as the writer), let random
 * virtual time pass, write a range (WB_SYNC_ALL or filemap_flush),
 * write_inode_now, sync_inodes_sb, writeback_inodes_sb, sysctl changes.
 * A final sync leaves nothing dirty or under writeback.
 */
#include <mmsim/jiffies.h>
#include <mmsim/vmstat.h>
#include <mmsim/workqueue.h>
#include "kernel/internal.h"
#include "wb_testfs.h"

#define NR_INODES	4
#define NR_PAGES	256
#define STEPS		1500

static unsigned long long rng = 0x9e3779b97f4a7c15ull;

static unsigned long rnd(unsigned long n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned long)(rng % n);
}

static struct inode *inodes[NR_INODES];

static void count_folios(long *dirty, long *writeback)
{
	*dirty = *writeback = 0;
	for (int i = 0; i < NR_INODES; i++) {
		for (pgoff_t idx = 0; idx < NR_PAGES; idx++) {
			struct page *page = find_get_page(inodes[i]->i_mapping, idx);

			if (!page)
				continue;
			*dirty += PageDirty(page);
			*writeback += PageWriteback(page);
			put_page(page);
		}
	}
}

static bool check(struct mmsim *m, struct bdi_writeback *wb, long dirty0, int step)
{
	long dirty, writeback;
	bool ok = true;

	ok &= workqueue_is_valid(m);
	ok &= wb_is_valid(wb);
	for (int i = 0; i < NR_INODES; i++) {
		struct inode *inode = inodes[i];

		ok &= mapping_dirty_is_valid(inode->i_mapping);
		if (xa_marked(&inode->i_mapping->i_pages, PAGECACHE_TAG_DIRTY) &&
		    (!(inode->i_state & I_DIRTY_PAGES) ||
		     (list_empty(&inode->i_io_list) && !(inode->i_state & I_SYNC)))) {
			fprintf(stderr, "step %d: inode %lu dirty but state %#lx / unlisted\n",
				step, inode->i_ino, inode->i_state);
			ok = false;
		}
	}
	count_folios(&dirty, &writeback);
	if ((long)global_node_page_state(NR_FILE_DIRTY) != dirty0 + dirty ||
	    (long)global_node_page_state(NR_WRITEBACK) != writeback) {
		fprintf(stderr, "step %d: nr_dirty %lu (want %ld), nr_writeback %lu (want %ld)\n",
			step, global_node_page_state(NR_FILE_DIRTY), dirty0 + dirty,
			global_node_page_state(NR_WRITEBACK), writeback);
		ok = false;
	}
	return ok;
}

static void test_stress(void)
{
	struct mmsim *m = boot_or_die("ram=128M disk=64M disk_latency=3000");
	struct task_struct *p = mmsim_spawn(m, "writer");
	struct bdi_writeback *wb = &mmsim_root_bdev(m)->bd_disk->bdi->wb;
	long dirty0, dirty, writeback;
	int step;

	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_bytes", "262144"), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_background_bytes", "131072"), 0);
	tfs_sb_init(m);
	for (int i = 0; i < NR_INODES; i++)
		inodes[i] = tfs_inode(100 + (unsigned long)i);
	dirty0 = (long)global_node_page_state(NR_FILE_DIRTY);
	for (step = 0; step < STEPS; step++) {
		struct inode *inode = inodes[rnd(NR_INODES)];
		unsigned long first = rnd(NR_PAGES), n = 1 + rnd(16);
		char buf[32];

		if (first + n > NR_PAGES)
			n = NR_PAGES - first;
		switch (rnd(10)) {
		case 0: case 1: case 2: case 3:
			for (unsigned long i = 0; i < n; i++) {
				tfs_dirty(inode, first + i, 1);
				balance_dirty_pages_ratelimited(inode->i_mapping);
			}
			break;
		case 4: case 5:
			mmsim_advance_clock(m, rnd(3) ? rnd(50) * 1000000ull : rnd(40) * 1000000000ull);
			break;
		case 6:
			if (rnd(2))
				KT_EQ(filemap_fdatawrite_range(inode->i_mapping,
							       (loff_t)first * PAGE_SIZE,
							       (loff_t)(first + n) * PAGE_SIZE - 1), 0);
			else
				KT_EQ(filemap_flush(inode->i_mapping), 0);
			break;
		case 7:
			KT_EQ(write_inode_now(inode, (int)rnd(2)), 0);
			break;
		case 8:
			if (rnd(2))
				sync_inodes_sb(&tfs_sb);
			else
				writeback_inodes_sb(&tfs_sb, WB_REASON_SYNC);
			break;
		case 9:
			snprintf(buf, sizeof(buf), "%lu", 100 + rnd(1000));
			KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_writeback_centisecs", buf), 0);
			snprintf(buf, sizeof(buf), "%lu", rnd(3000));
			KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_expire_centisecs", buf), 0);
			break;
		}
		if (!check(m, wb, dirty0, step)) {
			KT_ASSERT(0);
			break;
		}
	}
	{
		unsigned long pauses, jp;

		dirty_throttle_stats(&pauses, &jp);
		printf("%d steps: %ld pages written, %lu throttle pauses (%lu jiffies), %.1f s virtual\n",
		       step, tfs_pages_written, pauses, jp,
		       (double)atomic_load(&m->hw.clock_ns) / 1e9);
		KT_ASSERT(tfs_pages_written > 0);
	}
	sync_inodes_sb(&tfs_sb);
	for (int i = 0; i < NR_INODES; i++)
		filemap_fdatawait_range(inodes[i]->i_mapping, 0, LLONG_MAX);
	count_folios(&dirty, &writeback);
	KT_EQ(dirty, 0);
	KT_EQ(writeback, 0);
	KT_ASSERT(check(m, wb, dirty0, step));
	KT_ASSERT(!wb_has_dirty_io(wb));
	mmsim_switch_idle();
	for (int i = 0; i < NR_INODES; i++)
		tfs_inode_free(inodes[i]);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_stress);
	return kt_done();
}
