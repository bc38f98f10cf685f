// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_writeback_file.c - writeback through the whole stack: a task
 * writes a file of the root file system (sys_pwrite64), the pages are dirty
 * (nr_dirty, the inode on its wb's b_dirty), the flusher writes them after
 * dirty_expire_centisecs of virtual time, fsync/fdatasync/sync write and
 * wait, drop_caches drops the clean pages and keeps the dirty ones; the
 * syscalls' errors (EBADF).  Where the root file system's super block is
 * still on the noop bdi (nothing is written back), the writeback checks
 * are skipped with a note.
 */
#include "file_fixture.h"
#include "mm/wb_internal.h"

#define FILE_BYTES	(1 << 20)

static struct mmsim *m;
static struct ubuf ub;
static unsigned char buf[FILE_BYTES];

static int setup(const char *spec)
{
	struct task_struct *p;

	m = boot_or_die(spec);
	p = mmsim_spawn(m, "writer");
	if (!p || mmsim_switch_to(p) || !ubuf_init(&ub, 64 * 1024))
		return -1;
	return 0;
}

static bool writes_back(int fd)
{
	struct address_space *mapping = fx_fd_mapping(fd);

	return mapping && mapping_can_writeback(mapping);
}

static void test_errors(void)
{
	KT_EQ(setup("ram=128M disk=64M"), 0);
	KT_EQ(sys_fsync(-1), -EBADF);
	KT_EQ(sys_fsync(100), -EBADF);
	KT_EQ(sys_fdatasync(100), -EBADF);
	KT_EQ(sys_sync(), 0);
	mmsim_switch_idle();
	mmsim_shutdown(m);
}

static void test_write_flush_fsync(void)
{
	long long dirty0, written0;
	int fd;

	KT_EQ(setup("ram=256M disk=256M"), 0);
	fd = (int)sys_open("/wbfile", O_CREAT | O_RDWR, 0644);
	KT_ASSERT(fd >= 0);
	if (fd < 0)
		goto out;
	dirty0 = fx_vmstat(m, "nr_dirty ");
	written0 = fx_vmstat(m, "nr_written ");
	pat_fill(buf, 1, 1, 0, FILE_BYTES);
	KT_EQ(upwrite(&ub, fd, buf, FILE_BYTES, 0), FILE_BYTES);
	if (!writes_back(fd)) {
		printf("note: the root file system is on the noop bdi: writeback checks skipped\n");
		KT_EQ(sys_fsync(fd), 0);
		goto close;
	}
	KT_ASSERT(fx_vmstat(m, "nr_dirty ") - dirty0 >= FILE_BYTES / (long long)PAGE_SIZE);
	KT_ASSERT(fx_mapping_dirty(fx_fd_mapping(fd)));
	/* Not yet: the flusher waits for dirty_expire_centisecs (30 s). */
	mmsim_advance_clock(m, 10000000000ULL);
	KT_ASSERT(fx_vmstat(m, "nr_dirty ") - dirty0 >= FILE_BYTES / (long long)PAGE_SIZE);
	fx_let_flusher_run(m);
	KT_ASSERT(fx_vmstat(m, "nr_dirty ") - dirty0 <= 0);
	KT_ASSERT(fx_vmstat(m, "nr_written ") - written0 >= FILE_BYTES / (long long)PAGE_SIZE);
	/* Dirty again, fsync: everything written and waited for. */
	pat_fill(buf, 1, 2, 0, FILE_BYTES);
	KT_EQ(upwrite(&ub, fd, buf, FILE_BYTES, 0), FILE_BYTES);
	KT_ASSERT(fx_mapping_dirty(fx_fd_mapping(fd)));
	KT_EQ(sys_fdatasync(fd), 0);
	KT_ASSERT(!fx_mapping_dirty(fx_fd_mapping(fd)));
	KT_EQ(fx_vmstat(m, "nr_writeback "), 0);
	/* drop_caches 1: clean pages go, the file reads back the same. */
	KT_EQ(fx_drop_caches(m, 1), 0);
	KT_EQ(atomic_long_read(&fx_fd_mapping(fd)->nrpages), 0);
	{
		static unsigned char back[FILE_BYTES];

		KT_EQ(upread(&ub, fd, back, FILE_BYTES, 0), FILE_BYTES);
		KT_ASSERT(pat_check(back, buf, 0, FILE_BYTES, "after drop_caches"));
	}
	/* Dirty pages survive drop_caches; sync writes them. */
	pat_fill(buf, 1, 3, 0, 8192);
	KT_EQ(upwrite(&ub, fd, buf, 8192, 0), 8192);
	KT_EQ(fx_drop_caches(m, 3), 0);
	KT_ASSERT(fx_mapping_dirty(fx_fd_mapping(fd)));
	KT_EQ(sys_sync(), 0);
	KT_ASSERT(!fx_mapping_dirty(fx_fd_mapping(fd)));
	KT_EQ(fx_vmstat(m, "nr_writeback "), 0);
	KT_ASSERT(wb_is_valid(inode_to_wb(fx_fd_mapping(fd)->host)));
close:
	KT_EQ(sys_close(fd), 0);
out:
	mmsim_switch_idle();
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_errors);
	KT_RUN(test_write_flush_fsync);
	return kt_done();
}
