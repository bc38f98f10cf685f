// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_filemap_sys.c - the page cache's paths through the system
 * calls, on the machine's real file systems (mmfs on /, tmpfs on /tmp):
 *   - sys_write/sys_read/sys_pread64 of user buffers through
 *     generic_file_write_iter/filemap_read, across page boundaries, short
 *     at EOF; O_APPEND;
 *   - sys_mmap of the fd: a shared writable map (write notification and
 *     ->page_mkwrite on mmfs) whose bytes sys_read sees, a private map
 *     whose writes it does not; MAP_SHARED|PROT_WRITE of an O_RDONLY fd
 *     is -EACCES, of an O_WRONLY fd -EACCES for any map; a bad fd -EBADF;
 *   - after fsync and POSIX_FADV_DONTNEED the pages are gone and the next
 *     touch is a major fault (the disk is read);
 *   - O_SYNC: a write is clean (on the disk) when it returns;
 *   - sys_readahead and sys_fadvise64: their errors (-EBADF, -EINVAL,
 *     -ESPIPE is not reachable: no FIFOs), WILLNEED reading ahead;
 *   - the checkers after each step.
 * Skips when the machine has no writable / yet.
 */
#include "pcfs.h"

static struct mmsim *m;

#define RW	(PROT_READ | PROT_WRITE)

static int get_byte(unsigned long va)
{
	unsigned char c;

	return mmsim_user_read(va, &c, 1) ? -1 : c;
}

static struct address_space *fd_mapping(long fd)
{
	struct file *file = fget((unsigned int)fd);
	struct address_space *mapping = file ? file->f_mapping : NULL;

	if (file)
		fput(file);
	return mapping;
}

static void test_syscalls(const char *path, bool disk)
{
	struct task_struct *t = mmsim_spawn(m, "sys");
	size_t n = 3 * PAGE_SIZE + 100;
	unsigned char *buf = malloc(n);
	unsigned long ubuf, sh, pr;
	struct address_space *mapping;
	unsigned char c;
	long fd, fd2;

	KT_EQ(mmsim_switch_to(t), 0);
	ubuf = sys_mmap(0, 4 * PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	fd = sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		printf("# skip %s: open %ld\n", path, fd);
		sys_exit_group(0);
		free(buf);
		return;
	}
	for (size_t i = 0; i < n; i++)
		buf[i] = pcfs_byte((loff_t)i);
	KT_EQ(mmsim_user_write(ubuf, buf, n), 0);
	KT_EQ(sys_write((int)fd, ubuf, n), (long)n);
	KT_EQ(sys_lseek((int)fd, 0, SEEK_SET), 0);
	KT_EQ(mmsim_user_write(ubuf, "\0\0\0\0", 4), 0);
	KT_EQ(sys_read((int)fd, ubuf + 1, n + 500), (long)n);	/* short at EOF */
	KT_EQ(mmsim_user_read(ubuf + 1, buf, n), 0);
	KT_ASSERT(pcfs_check(buf, 0, n));
	KT_EQ(sys_read((int)fd, ubuf, 10), 0);
	KT_EQ(sys_pread64((int)fd, ubuf, 10, PAGE_SIZE - 5), 10);
	KT_EQ(mmsim_user_read(ubuf, buf, 10), 0);
	KT_ASSERT(pcfs_check(buf, PAGE_SIZE - 5, 10));
	mapping = fd_mapping(fd);
	KT_ASSERT(mapping && mapping_is_valid(mapping));

	/* mmap of the fd */
	sh = sys_mmap(0, 4 * PAGE_SIZE, RW, MAP_SHARED, (unsigned long)fd, 0);
	pr = sys_mmap(0, 4 * PAGE_SIZE, RW, MAP_PRIVATE, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(sh) && !IS_ERR_VALUE(pr));
	KT_EQ(get_byte(sh + PAGE_SIZE + 3), pcfs_byte(PAGE_SIZE + 3));
	c = 0xee;
	KT_EQ(mmsim_user_write(sh + PAGE_SIZE + 3, &c, 1), 0);
	c = 0x11;
	KT_EQ(mmsim_user_write(pr + 2 * PAGE_SIZE, &c, 1), 0);
	KT_EQ(sys_pread64((int)fd, ubuf, 1, PAGE_SIZE + 3), 1);
	KT_EQ(get_byte(ubuf), 0xee);
	KT_EQ(sys_pread64((int)fd, ubuf, 1, 2 * PAGE_SIZE), 1);
	KT_EQ(get_byte(ubuf), pcfs_byte(2 * PAGE_SIZE));
	KT_EQ(get_byte(pr + PAGE_SIZE + 3), 0xee);		/* not copied yet: shared */
	KT_ASSERT(mapping_is_valid(mapping) && mm_is_valid(t->mm) && mm_mapcounts_are_valid(m));

	/* O_APPEND */
	fd2 = sys_open(path, O_WRONLY | O_APPEND, 0);
	KT_ASSERT(fd2 >= 0);
	KT_EQ(sys_write((int)fd2, ubuf, 7), 7);
	KT_EQ(sys_lseek((int)fd, 0, SEEK_END), (long)n + 7);
	/* mmap checks */
	KT_EQ(sys_mmap(0, PAGE_SIZE, PROT_READ, MAP_SHARED, (unsigned long)fd2, 0),
	      (unsigned long)-EACCES);
	KT_EQ(sys_mmap(0, PAGE_SIZE, PROT_READ, MAP_SHARED, 12345, 0), (unsigned long)-EBADF);
	KT_EQ(sys_close((int)fd2), 0);
	fd2 = sys_open(path, O_RDONLY, 0);
	KT_EQ(sys_mmap(0, PAGE_SIZE, RW, MAP_SHARED, (unsigned long)fd2, 0), (unsigned long)-EACCES);
	KT_ASSERT(!IS_ERR_VALUE(sys_mmap(0, PAGE_SIZE, RW, MAP_PRIVATE, (unsigned long)fd2, 0)));
	/* fadvise/readahead errors */
	KT_EQ(sys_fadvise64(9999, 0, 0, POSIX_FADV_WILLNEED), -EBADF);
	KT_EQ(sys_fadvise64((int)fd2, 0, 0, 77), -EINVAL);
	KT_EQ(sys_fadvise64((int)fd2, 0, -1, POSIX_FADV_WILLNEED), -EINVAL);
	KT_EQ(sys_readahead(9999, 0, 100), -EBADF);
	KT_EQ(sys_readahead((int)fd2, 0, 4 * PAGE_SIZE), 0);
	KT_EQ(sys_close((int)fd2), 0);
	/* O_SYNC: the write is on the disk when it returns (generic_write_sync) */
	fd2 = sys_open(path, O_WRONLY | O_SYNC, 0);
	KT_ASSERT(fd2 >= 0);
	KT_EQ(sys_pwrite64((int)fd2, ubuf, 5, 3 * PAGE_SIZE + 10), 5);
	if (disk) {
		struct folio *folio = filemap_get_folio(mapping, 3);

		KT_ASSERT(!IS_ERR(folio));
		if (!IS_ERR(folio)) {
			KT_ASSERT(!PageDirty(&folio->page) && !PageWriteback(&folio->page));
			put_page(&folio->page);
		}
	}
	KT_EQ(sys_close((int)fd2), 0);

	if (disk) {
		/* written back and dropped: the next touch reads the disk */
		unsigned long maj;

		KT_EQ(sys_munmap(sh, 4 * PAGE_SIZE), 0);
		KT_EQ(sys_munmap(pr, 4 * PAGE_SIZE), 0);
		KT_EQ(sys_fsync((int)fd), 0);
		KT_EQ(sys_fadvise64((int)fd, 0, 0, POSIX_FADV_DONTNEED), 0);
		if (atomic_long_read(&mapping->nrpages)) {
			printf("# %s: %ld pages stay after fsync + DONTNEED (not written back?)\n",
			       path, atomic_long_read(&mapping->nrpages));
		} else {
			sh = sys_mmap(0, 4 * PAGE_SIZE, PROT_READ, MAP_SHARED, (unsigned long)fd, 0);
			maj = t->maj_flt;
			KT_EQ(get_byte(sh + PAGE_SIZE + 3), 0xee);
			KT_EQ(t->maj_flt, maj + 1);
			KT_EQ(get_byte(sh + 3), pcfs_byte(3));
			KT_EQ(t->maj_flt, maj + 1);		/* read around */
		}
	}
	KT_ASSERT(mapping_is_valid(mapping) && lru_all_valid());
	KT_EQ(sys_close((int)fd), 0);
	KT_EQ(sys_unlink(path), 0);
	sys_exit_group(0);
	free(buf);
}

static void test_disk_file(void)
{
	test_syscalls("/filemap-sys", true);
}

static void test_tmpfs_file(void)
{
	test_syscalls("/tmp/filemap-sys", false);
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_disk_file);
	KT_RUN(test_tmpfs_file);
	KT_ASSERT(lru_all_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=64M");
	run("arch=i386 ram=64M");
	run("arch=arm64 page_size=64K ram=256M");
	return kt_done();
}
