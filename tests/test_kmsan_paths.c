// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_kmsan_paths.c - with kmsan=on, mmsim's own paths that write
 * kernel memory must leave it initialised, so that ordinary work through
 * the system calls reports nothing (no false positives):
 *   - write()/read() of tmpfs and mmfs files (copy_from_user into the page
 *     cache, copy_to_user out of it), across page boundaries;
 *   - a hole read (pages zeroed by the file system);
 *   - a re-read from the disk after the pages were dropped (block reads);
 *   - a tmpfs file read back after anonymous memory pushed its pages to
 *     swap (swap-in);
 *   - fork and a COW break, the copied page written to a file and read;
 * and the checkers pass after each.
 */
#include "pcfs.h"
#include <mmsim/kmsan.h>

#ifdef CONFIG_KMSAN

static struct mmsim *m;
static size_t mark;

#define RW	(PROT_READ | PROT_WRITE)

static void expect_silent(const char *what)
{
	char *log = log_since(m, &mark);

	if (log && strstr(log, "BUG: KMSAN")) {
		fprintf(stderr, "%s: unexpected report:\n%s\n", what, log);
		KT_ASSERT(!"a KMSAN report");
	}
	free(log);
	KT_ASSERT(mm_allocator_is_valid());
	KT_ASSERT(kmsan_is_valid());
}

static unsigned long fill(unsigned long ubuf, size_t n, int seed)
{
	unsigned char *b = malloc(n);

	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)(i * 7 + seed);
	KT_EQ(mmsim_user_write(ubuf, b, n), 0);
	free(b);
	return ubuf;
}

static void file_round_trip(const char *path, bool disk)
{
	size_t n = 3 * PAGE_SIZE + 100;
	unsigned long ubuf = sys_mmap(0, 8 * PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	long fd = sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	if (fd < 0) {
		printf("# skip %s: open %ld\n", path, fd);
		return;
	}
	fill(ubuf, n, 3);
	KT_EQ(sys_write((int)fd, ubuf + 5, n), (long)n);
	KT_EQ(sys_lseek((int)fd, 0, SEEK_SET), 0);
	KT_EQ(sys_read((int)fd, ubuf + 4 * PAGE_SIZE, n), (long)n);
	/* a hole: the file grows, the new pages are read as zeroes */
	KT_EQ(sys_ftruncate((int)fd, 7 * PAGE_SIZE), 0);
	KT_EQ(sys_pread64((int)fd, ubuf, 3 * PAGE_SIZE, 4 * PAGE_SIZE), (long)(3 * PAGE_SIZE));
	KT_EQ(sys_pread64((int)fd, ubuf, 2 * PAGE_SIZE, 3 * PAGE_SIZE - 50),
	      (long)(2 * PAGE_SIZE));
	expect_silent(path);
	if (disk) {
		KT_EQ(sys_fsync((int)fd), 0);
		KT_EQ(sys_fadvise64((int)fd, 0, 0, POSIX_FADV_DONTNEED), 0);
		KT_EQ(sys_pread64((int)fd, ubuf, n, 0), (long)n);
		expect_silent("disk re-read");
	}
	sys_close((int)fd);
	sys_munmap(ubuf, 8 * PAGE_SIZE);
}

static void test_files(void)
{
	struct task_struct *t = mmsim_spawn(m, "files");

	KT_EQ(mmsim_switch_to(t), 0);
	file_round_trip("/tmp/k", false);
	file_round_trip("/k", true);
	sys_exit_group(0);
	put_task_struct(t);
}

/*
 * A tmpfs file of 0.4x RAM, then anonymous memory of 0.9x RAM: reclaim
 * sends tmpfs pages to swap, and read() brings them back (swap-in).
 */
static void test_swap_in(void)
{
	struct task_struct *t = mmsim_spawn(m, "swapper");
	size_t chunk = 16 * PAGE_SIZE;
	size_t ram = (size_t)totalram_pages() * PAGE_SIZE;
	size_t total = ram * 2 / 5 / chunk * chunk, anon_len = ram * 9 / 10 / PAGE_SIZE * PAGE_SIZE;
	unsigned long ubuf, anon;
	long fd;

	KT_EQ(mmsim_switch_to(t), 0);
	ubuf = sys_mmap(0, chunk, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	fd = sys_open("/tmp/big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	KT_ASSERT(fd >= 0);
	fill(ubuf, chunk, 1);
	for (size_t done = 0; done < total; done += chunk)
		KT_EQ(sys_write((int)fd, ubuf, chunk), (long)chunk);
	/* twice: the second pass reclaims the swap cache the first one filled */
	for (int pass = 0; pass < 2; pass++) {
		anon = sys_mmap(0, anon_len, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
		KT_ASSERT(!IS_ERR_VALUE(anon));
		for (size_t off = 0; off < anon_len; off += PAGE_SIZE)
			KT_EQ(mmsim_user_write(anon + off, "x", 1), 0);
		sys_munmap(anon, anon_len);
	}
	KT_EQ(sys_lseek((int)fd, 0, SEEK_SET), 0);
	for (size_t done = 0; done < total; done += chunk)
		KT_EQ(sys_read((int)fd, ubuf, chunk), (long)chunk);
	{
		char *vm = mmsim_read(m, "/proc/vmstat");

		KT_ASSERT(field(vm, "pswpout ") > 0);
		KT_ASSERT(field(vm, "pswpin ") > 0);	/* read() swapped pages in */
		free(vm);
	}
	expect_silent("swap-in");
	sys_close((int)fd);
	sys_unlink("/tmp/big");
	sys_exit_group(0);
	put_task_struct(t);
}

/* fork, COW break in the child, the copied page written out and read back. */
static void test_cow(void)
{
	struct task_struct *p = mmsim_spawn(m, "parent"), *c;
	unsigned long a;
	long pid, fd;

	KT_EQ(mmsim_switch_to(p), 0);
	a = sys_mmap(0, 2 * PAGE_SIZE, RW, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	fill(a, 2 * PAGE_SIZE, 9);
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(c && mmsim_switch_to(c) == 0);
	KT_EQ(mmsim_user_write(a + 10, "child", 5), 0);	/* the COW copy */
	fd = sys_open("/tmp/cow", O_RDWR | O_CREAT | O_TRUNC, 0644);
	KT_EQ(sys_write((int)fd, a, 2 * PAGE_SIZE), (long)(2 * PAGE_SIZE));
	KT_EQ(sys_pread64((int)fd, a + PAGE_SIZE, PAGE_SIZE, 0), (long)PAGE_SIZE);
	sys_close((int)fd);
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(sys_wait4((pid_t)pid, NULL, 0, NULL), pid);
	expect_silent("cow");
	sys_exit_group(0);
	put_task_struct(p);
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	mark = log_mark(m);
	KT_RUN(test_files);
	KT_RUN(test_cow);
	KT_RUN(test_swap_in);
	mmsim_shutdown(m);
}
#endif

int main(void)
{
#ifdef CONFIG_KMSAN
	run("ram=32M swap=64M kmsan=on");
	run("arch=i386 ram=32M swap=64M kmsan=on");
	run("arch=arm64 page_size=64K ram=128M swap=256M kmsan=on");
#endif
	return kt_done();
}
