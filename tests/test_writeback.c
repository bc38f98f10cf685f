// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_writeback.c - mm/page-writeback.c, fs/fs-writeback.c,
 * fs/sync.c, mm/backing-dev.c on a tiny in-test file system
 * (tests/wb_testfs.h): dirty accounting (nr_dirty, nr_dirtied, the dirty
 * mark, I_DIRTY_PAGES, the inode on b_dirty), writeback accounting
 * (nr_writeback while the bio is in flight, nr_written after), the
 * flusher writing pages only after dirty_expire_centisecs of virtual time
 * (at its dirty_writeback_centisecs period), background writeback over
 * dirty_background_bytes, sync of a super block and write_inode_now
 * waiting for everything, filemap_fdatawrite_range writing one range,
 * errors through errseq (file_check_and_advance_wb_err), the vm sysctls
 * (ratio/bytes exclusion, ranges), read_ahead_kb, the bdis.
 */
#include <mmsim/workqueue.h>
#include <mmsim/jiffies.h>
#include "wb_testfs.h"

#define TICK		(1000000000ull / HZ)
#define SEC		1000000000ull

static u64 now_ns(struct mmsim *m)
{
	return atomic_load(&m->hw.clock_ns);
}

static void test_bdis(void)
{
	struct mmsim *m = boot_or_die("ram=128M disk=64M");
	struct backing_dev_info *bdi = mmsim_root_bdev(m)->bd_disk->bdi;
	struct backing_dev_info *noop = noop_backing_dev_info();
	struct inode *inode;
	char *t;

	KT_ASSERT(bdi && noop && bdi != noop);
	KT_ASSERT(bdi->capabilities & BDI_CAP_WRITEBACK);
	KT_EQ(noop->capabilities, 0);
	KT_EQ(bdi->ra_pages, 128 * 1024 / PAGE_SIZE);
	KT_ASSERT(!strcmp(bdi->dev_name, "253:0"));
	t = mmsim_read(m, "/sys/block/vda/queue/read_ahead_kb");
	KT_ASSERT(t && !strcmp(t, "128\n"));
	free(t);
	KT_EQ(mmsim_write(m, "/sys/class/bdi/253:0/read_ahead_kb", "512"), 0);
	KT_EQ(bdi->ra_pages, 512 * 1024 / PAGE_SIZE);
	t = mmsim_read(m, "/sys/block/vda/queue/read_ahead_kb");
	KT_ASSERT(t && !strcmp(t, "512\n"));
	free(t);
	KT_EQ(mmsim_write(m, "/sys/block/vda/queue/read_ahead_kb", "-1"), -EINVAL);
	tfs_sb_init(m);
	inode = tfs_inode(1);
	KT_ASSERT(inode_to_bdi(inode) == bdi);
	tfs_sb.s_bdi = NULL;
	KT_ASSERT(inode_to_bdi(inode) == noop);
	free(inode);
	mmsim_shutdown(m);
}

static void test_sysctls(void)
{
	struct mmsim *m = boot_or_die("ram=128M disk=64M");
	struct dirty_sysctls s;
	char *t;

	get_dirty_sysctls(&s);
	KT_EQ(s.vm_dirty_ratio, 20);
	KT_EQ(s.dirty_background_ratio, 10);
	KT_EQ(s.vm_dirty_bytes, 0);
	KT_EQ(s.dirty_background_bytes, 0);
	KT_EQ(s.dirty_writeback_interval, 500);
	KT_EQ(s.dirty_expire_interval, 3000);
	t = mmsim_read(m, "/proc/sys/vm/dirtytime_expire_seconds");
	KT_ASSERT(t && !strcmp(t, "43200\n"));
	free(t);
	t = mmsim_read(m, "/proc/sys/vm/laptop_mode");
	KT_ASSERT(t && !strcmp(t, "0\n"));
	free(t);
	/* dirty_bytes zeroes dirty_ratio and back; dirty_bytes >= 2 pages. */
	KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_bytes", "1"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_bytes", "8388608"), 0);
	get_dirty_sysctls(&s);
	KT_EQ(s.vm_dirty_ratio, 0);
	KT_EQ(s.vm_dirty_bytes, 8388608);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_ratio", "30"), 0);
	get_dirty_sysctls(&s);
	KT_EQ(s.vm_dirty_ratio, 30);
	KT_EQ(s.vm_dirty_bytes, 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_ratio", "101"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_background_bytes", "0"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_background_bytes", "4096"), 0);
	get_dirty_sysctls(&s);
	KT_EQ(s.dirty_background_ratio, 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_background_ratio", "5"), 0);
	get_dirty_sysctls(&s);
	KT_EQ(s.dirty_background_bytes, 0);
	KT_EQ(s.dirty_background_ratio, 5);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_expire_centisecs", "-1"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/laptop_mode", "5"), 0);
	t = mmsim_read(m, "/proc/sys/vm/laptop_mode");
	KT_ASSERT(t && !strcmp(t, "5\n"));
	free(t);
	/* drop_caches is write-only. */
	KT_ASSERT(!mmsim_read(m, "/proc/sys/vm/drop_caches"));
	mmsim_shutdown(m);
}

/* Dirtying counts; the writeback of a range counts and completes in virtual time. */
static void test_dirty_accounting(void)
{
	struct mmsim *m = boot_or_die("ram=128M disk=64M disk_latency=1000");
	struct bdi_writeback *wb = &mmsim_root_bdev(m)->bd_disk->bdi->wb;
	long dirty0, dirtied0, written0;
	struct inode *inode;
	u64 t0;

	tfs_sb_init(m);
	dirty0 = vmstat_of(m, "nr_dirty");
	dirtied0 = vmstat_of(m, "nr_dirtied");
	written0 = vmstat_of(m, "nr_written");
	inode = tfs_inode(2);
	tfs_dirty(inode, 0, 8);
	KT_EQ(vmstat_of(m, "nr_dirty") - dirty0, 8);
	KT_EQ(vmstat_of(m, "nr_dirtied") - dirtied0, 8);
	KT_ASSERT(xa_marked(&inode->i_mapping->i_pages, PAGECACHE_TAG_DIRTY));
	KT_ASSERT(inode->i_state & I_DIRTY_PAGES);
	KT_ASSERT(wb_has_dirty_io(wb));
	KT_ASSERT(!list_empty(&inode->i_io_list));
	KT_EQ(atomic_long_read(&wb->stat[WB_RECLAIMABLE]), 8);
	/* Dirtying again changes nothing. */
	tfs_dirty(inode, 0, 8);
	KT_EQ(vmstat_of(m, "nr_dirtied") - dirtied0, 8);

	/* Write pages 2..3: under writeback until the disk completes. */
	t0 = now_ns(m);
	KT_EQ(filemap_fdatawrite_range(inode->i_mapping, 2 * PAGE_SIZE, 4 * PAGE_SIZE - 1), 0);
	KT_EQ(vmstat_of(m, "nr_dirty") - dirty0, 6);
	KT_EQ(vmstat_of(m, "nr_writeback"), 2);
	KT_EQ(now_ns(m), t0);
	KT_EQ(filemap_fdatawait_range(inode->i_mapping, 0, LLONG_MAX), 0);
	KT_EQ(vmstat_of(m, "nr_writeback"), 0);
	KT_EQ(vmstat_of(m, "nr_written") - written0, 2);
	KT_ASSERT(now_ns(m) >= t0 + 1000000);	/* the disk's latency passed */
	KT_ASSERT(!xa_marked(&inode->i_mapping->i_pages, PAGECACHE_TAG_WRITEBACK));

	/* write_inode_now(sync): the rest, and the inode once dirtied. */
	mark_inode_dirty_sync(inode);
	tfs_write_inodes = 0;
	KT_EQ(write_inode_now(inode, 1), 0);
	KT_EQ(vmstat_of(m, "nr_dirty"), dirty0);
	KT_EQ(vmstat_of(m, "nr_writeback"), 0);
	KT_EQ(vmstat_of(m, "nr_written") - written0, 8);
	KT_EQ(tfs_write_inodes, 1);
	KT_ASSERT(!(inode->i_state & I_DIRTY));
	KT_ASSERT(list_empty(&inode->i_io_list));
	KT_ASSERT(!wb_has_dirty_io(wb));
	KT_ASSERT(writeback_is_idle());
	tfs_inode_free(inode);
	mmsim_shutdown(m);
}

/* The periodic flush writes inodes dirtied more than dirty_expire_centisecs ago. */
static void test_flusher_expire(void)
{
	struct mmsim *m = boot_or_die("ram=256M disk=64M");
	struct bdi_writeback *wb = &mmsim_root_bdev(m)->bd_disk->bdi->wb;
	long dirty0;
	struct inode *a, *b;
	u64 t0;

	tfs_sb_init(m);
	dirty0 = vmstat_of(m, "nr_dirty");
	t0 = now_ns(m);
	a = tfs_inode(3);
	b = tfs_inode(4);
	tfs_dirty(a, 0, 4);
	KT_ASSERT(delayed_work_pending(&wb->dwork));	/* armed: 5 s */
	KT_ASSERT(next_work_due(m) <= t0 + 5 * SEC);
	mmsim_advance_clock(m, 10 * SEC);		/* two periods: a is 10 s old */
	KT_EQ(vmstat_of(m, "nr_dirty") - dirty0, 4);	/* not expired (30 s) */
	tfs_dirty(b, 0, 4);				/* b dirtied at 10 s */
	mmsim_advance_clock(m, 21 * SEC);		/* a 31 s old, b 21 s */
	/* a went at the first period after 30 s; b stays. */
	KT_EQ(vmstat_of(m, "nr_dirty") - dirty0, 4);
	KT_ASSERT(!(a->i_state & I_DIRTY));
	KT_ASSERT(b->i_state & I_DIRTY_PAGES);
	mmsim_advance_clock(m, 10 * SEC);		/* b 31 s */
	KT_EQ(vmstat_of(m, "nr_dirty"), dirty0);
	mmsim_advance_clock(m, SEC);			/* completions */
	KT_EQ(vmstat_of(m, "nr_writeback"), 0);
	KT_ASSERT(!wb_has_dirty_io(wb));
	/* Idle: the flusher does not re-arm itself. */
	mmsim_advance_clock(m, 10 * SEC);
	KT_ASSERT(!delayed_work_pending(&wb->dwork));
	tfs_inode_free(a);
	tfs_inode_free(b);
	mmsim_shutdown(m);
}

/* dirty_writeback_centisecs = 0: no periodic writeback at all. */
static void test_flusher_off(void)
{
	struct mmsim *m = boot_or_die("ram=256M disk=64M");
	long dirty0;
	struct inode *a;

	KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_writeback_centisecs", "0"), 0);
	tfs_sb_init(m);
	dirty0 = vmstat_of(m, "nr_dirty");
	a = tfs_inode(5);
	tfs_dirty(a, 0, 4);
	mmsim_advance_clock(m, 100 * SEC);
	KT_EQ(vmstat_of(m, "nr_dirty") - dirty0, 4);
	/* Setting it again wakes the flusher (kupdate writes the old pages). */
	KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_writeback_centisecs", "500"), 0);
	mmsim_advance_clock(m, 6 * SEC);
	KT_EQ(vmstat_of(m, "nr_dirty"), dirty0);
	tfs_inode_free(a);
	mmsim_shutdown(m);
}

/* Over dirty_background_bytes, the flusher writes at once, down to the threshold. */
static void test_background(void)
{
	struct mmsim *m = boot_or_die("ram=256M disk=64M");
	long dirty0;
	unsigned long bg, thresh;
	struct inode *a;

	KT_EQ(mmsim_write(m, "/proc/sys/vm/dirty_background_bytes", "1048576"), 0);
	global_dirty_limits(&bg, &thresh);
	KT_EQ(bg, 1048576 / PAGE_SIZE);
	tfs_sb_init(m);
	dirty0 = vmstat_of(m, "nr_dirty");
	a = tfs_inode(6);
	tfs_dirty(a, 0, bg / 2);
	wakeup_flusher_threads_bdi(tfs_sb.s_bdi, WB_REASON_BACKGROUND);
	/* Below the threshold a wakeup with no work item... */
	mmsim_advance_clock(m, TICK);
	/* ...still writes everything: wakeup_flusher_threads asks for all. */
	KT_EQ(vmstat_of(m, "nr_dirty"), dirty0);
	tfs_dirty(a, 0, bg * 2);
	KT_EQ(vmstat_of(m, "nr_dirty") - dirty0, (long)bg * 2);
	mmsim_advance_clock(m, 0);
	KT_EQ(vmstat_of(m, "nr_dirty") - dirty0, (long)bg * 2);	/* nobody kicked it */
	/* balance_dirty_pages kicks background writeback; do it by hand here. */
	wb_start_background_writeback(&tfs_sb.s_bdi->wb);
	mmsim_advance_clock(m, 0);
	KT_ASSERT(vmstat_of(m, "nr_dirty") - dirty0 <= (long)bg);
	tfs_inode_free(a);
	mmsim_shutdown(m);
}

/* sync_inodes_sb writes every dirty inode of the sb; others stay. */
static void test_sync_sb(void)
{
	struct mmsim *m = boot_or_die("ram=256M disk=64M");
	long dirty0;
	struct super_block other;
	struct inode *a, *b, *c;

	tfs_sb_init(m);
	dirty0 = vmstat_of(m, "nr_dirty");
	other = tfs_sb;
	a = tfs_inode(7);
	b = tfs_inode(8);
	c = tfs_inode(9);
	c->i_sb = &other;
	tfs_dirty(a, 0, 3);
	tfs_dirty(b, 5, 3);
	tfs_dirty(c, 0, 2);
	sync_inodes_sb(&tfs_sb);
	filemap_fdatawait_range(a->i_mapping, 0, LLONG_MAX);
	filemap_fdatawait_range(b->i_mapping, 0, LLONG_MAX);
	KT_EQ(vmstat_of(m, "nr_dirty") - dirty0, 2);
	KT_ASSERT(c->i_state & I_DIRTY_PAGES);
	KT_ASSERT(!(a->i_state & I_DIRTY) && !(b->i_state & I_DIRTY));
	writeback_inodes_sb(&other, WB_REASON_SYNC);
	filemap_fdatawait_range(c->i_mapping, 0, LLONG_MAX);
	KT_EQ(vmstat_of(m, "nr_dirty"), dirty0);
	KT_ASSERT(writeback_is_idle());
	tfs_inode_free(a);
	tfs_inode_free(b);
	c->i_sb = &tfs_sb;
	tfs_inode_free(c);
	mmsim_shutdown(m);
}

/* Writeback errors: errseq semantics, each file sees an error once. */
static void test_errors(void)
{
	struct mmsim *m = boot_or_die("ram=128M disk=64M");
	struct inode *a;
	struct file f1, f2;

	tfs_sb_init(m);
	a = tfs_inode(10);
	memset(&f1, 0, sizeof(f1));
	f1.f_mapping = a->i_mapping;
	f1.f_inode = a;
	f2 = f1;
	KT_EQ(file_check_and_advance_wb_err(&f1), 0);
	mapping_set_error(a->i_mapping, -EIO);
	KT_EQ(file_check_and_advance_wb_err(&f1), -EIO);
	KT_EQ(file_check_and_advance_wb_err(&f1), 0);		/* seen */
	KT_EQ(file_check_and_advance_wb_err(&f2), -EIO);	/* each file once */
	mapping_set_error(a->i_mapping, -ENOSPC);
	KT_EQ(filemap_check_errors(a->i_mapping), -ENOSPC);
	KT_EQ(filemap_check_errors(a->i_mapping), 0);
	KT_EQ(file_check_and_advance_wb_err(&f1), -ENOSPC);
	KT_EQ(file_write_and_wait_range(&f1, 0, LLONG_MAX), 0);
	tfs_inode_free(a);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_bdis);
	KT_RUN(test_sysctls);
	KT_RUN(test_dirty_accounting);
	KT_RUN(test_flusher_expire);
	KT_RUN(test_flusher_off);
	KT_RUN(test_background);
	KT_RUN(test_sync_sb);
	KT_RUN(test_errors);
	return kt_done();
}
