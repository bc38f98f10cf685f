// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_procps_file_smaps.c - a file's VMAs in /proc/PID/maps, smaps
 * and smaps_rollup, as Linux's show_map_vma and smaps_account print them.
 *
 * A 32 KiB file is written and synced; the process maps it shared and
 * reads four pages: the maps line carries the offset, the device of the
 * file's super block (MAJOR:MINOR of s_dev), the inode number and the
 * path; smaps counts the four pages Rss and Private_Clean (one mapping
 * each), Referenced, none Anonymous, and smaps_rollup puts their Pss in
 * Pss_File.  After fork (which, as Linux's, copies no PTE of a shared
 * file mapping) the child reads the pages too: Shared_Clean, Pss halved.  A write through the shared mapping dirties the page-cache page
 * itself (Private_Dirty, the meminfo Dirty line); a MAP_PRIVATE
 * mapping's write copies the page (Private_Dirty, Anonymous).  Unlinked
 * while mapped, the file's line ends in " (deleted)".
 *
 * Until the file system calls exist (-ENOSYS) the test prints SKIP.
 */
#include <unistd.h>
#include <sys/wait.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/mman.h>
#include <mmsim/uaccess.h>
#include <mmsim/fcntl.h>
#include <mmsim/fs.h>
#include <mmsim/blkdev.h>
#include <mmsim/err.h>
#include <mmsim/rmap.h>
#include <mmsim/pagemap.h>
#include "mmtest.h"
#include "mm/fault_internal.h"

#define FILE_PAGES	8
#define PG		4096UL

/* The line of @text that contains @what (a malloc'd copy), or NULL. */
static char *line_with(const char *text, const char *what)
{
	const char *p = text ? strstr(text, what) : NULL, *b, *e;

	if (!p)
		return NULL;
	for (b = p; b > text && b[-1] != '\n'; b--)
		;
	e = strchr(p, '\n');
	return strndup(b, e ? (size_t)(e - b) : strlen(b));
}

/* The value of @label in the smaps block of the VMA starting at @start. */
static long long smaps_field(const char *smaps, unsigned long start, const char *label)
{
	char head[32];
	const char *p, *next;

	snprintf(head, sizeof(head), "%08lx-", start);
	p = smaps ? strstr(smaps, head) : NULL;
	if (!p)
		return -1;
	next = strstr(p + 1, "VmFlags:");
	p = strstr(p, label);
	if (!p || (next && p > next))
		return -1;
	return strtoll(p + strlen(label), NULL, 10);
}

static char *pid_file(struct mmsim *m, pid_t pid, const char *name)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	return mmsim_read(m, path);
}

static long write_file(const char *path, unsigned long ubuf, int pages)
{
	long fd = sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0644), ret;

	if (fd < 0)
		return fd;
	for (int i = 0; i < pages; i++) {
		ret = sys_write((int)fd, ubuf, PG);
		if (ret != (long)PG)
			return ret < 0 ? ret : -EIO;
	}
	ret = sys_fsync((int)fd);
	return ret ? ret : fd;
}

static void test_file_smaps(void)
{
	struct mmsim *m = boot_or_die("ram=128M cpus=1");
	struct task_struct *t = mmsim_spawn(m, "app");
	unsigned long ubuf, a, p;
	char buf[PG], want[160], *maps, *smaps, *line;
	struct file *file;
	long fd, child;
	dev_t dev;
	unsigned long ino;
	bool clean;
	pid_t pid;

	KT_ASSERT(t);
	KT_EQ(mmsim_switch_to(t), 0);
	pid = task_pid_nr(t);
	ubuf = sys_mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, ~0UL, 0);
	memset(buf, 0x33, sizeof(buf));
	KT_EQ(mmsim_user_write(ubuf, buf, PG), 0);
	fd = write_file("/smaps-file", ubuf, FILE_PAGES);
	if (fd < 0) {
		printf("SKIP: cannot write a file yet (%s)\n", strerror((int)-fd));
		mmsim_shutdown(m);
		return;
	}
	file = fget((unsigned int)fd);
	KT_ASSERT(file);
	{
		struct folio *f = filemap_get_folio(file->f_mapping, 2);

		/* Without writeback (yet) fsync leaves the pages dirty. */
		clean = !IS_ERR_OR_NULL(f) && !page_flag_test(&f->page, PG_dirty);
		if (!IS_ERR_OR_NULL(f))
			put_page(&f->page);
		if (!clean)
			printf("note: fsync left the file dirty: the clean/dirty split is not "
			       "checked\n");
	}
	dev = file_inode(file)->i_sb->s_dev;
	ino = file_inode(file)->i_ino;
	fput(file);

	/* A shared read-only mapping from page 2: four pages read. */
	a = sys_mmap(0, 6 * PG, PROT_READ, MAP_SHARED, (unsigned long)fd, 2 * PG);
	KT_ASSERT(!IS_ERR_VALUE(a));
	for (int i = 0; i < 4; i++)
		KT_EQ(mmsim_user_read(a + (unsigned long)i * PG, buf, 1), 0);
	maps = pid_file(m, pid, "maps");
	snprintf(want, sizeof(want), "%08lx-%08lx r--s %08lx %02x:%02x %lu ", a, a + 6 * PG,
		 2 * PG, MAJOR(dev), MINOR(dev), ino);
	line = line_with(maps, want);
	KT_ASSERT(line);
	if (line) {
		size_t len = strlen(line);

		KT_ASSERT(len > 12 && !strcmp(line + len - 12, " /smaps-file"));
		KT_EQ((long)(strstr(line, "/smaps-file") - line), 73L);	/* Linux's column */
	}
	free(line);
	free(maps);
	smaps = pid_file(m, pid, "smaps");
	/* Fault-around may map more of the cached pages than were touched. */
	KT_ASSERT(smaps_field(smaps, a, "Rss:") >= 16);
	if (clean)
		KT_EQ(smaps_field(smaps, a, "Private_Clean:"), smaps_field(smaps, a, "Rss:"));
	KT_EQ(smaps_field(smaps, a, "Private_Clean:") + smaps_field(smaps, a, "Private_Dirty:"),
	      smaps_field(smaps, a, "Rss:"));
	KT_EQ(smaps_field(smaps, a, "Shared_Clean:"), 0);
	KT_EQ(smaps_field(smaps, a, "Anonymous:"), 0);
	KT_ASSERT(smaps_field(smaps, a, "Referenced:") >= 16);
	KT_EQ(smaps_field(smaps, a, "Pss:"), smaps_field(smaps, a, "Rss:"));
	free(smaps);
	smaps = pid_file(m, pid, "smaps_rollup");
	KT_ASSERT(field(smaps, "Pss_File:") >= 16);
	free(smaps);

	/*
	 * fork: as Linux's, it copies no PTE of a shared file mapping (no
	 * anon_vma: the child's faults fill them from the cache); once the
	 * child has read the pages too, each is mapped twice: Shared, Pss
	 * halved.
	 */
	child = sys_fork();
	KT_ASSERT(child > 0);
	smaps = pid_file(m, (pid_t)child, "smaps");
	KT_EQ(smaps_field(smaps, a, "Rss:"), 0);
	free(smaps);
	KT_EQ(mmsim_switch_to(find_task_by_vpid((pid_t)child)), 0);
	for (int i = 0; i < 6; i++)
		KT_EQ(mmsim_user_read(a + (unsigned long)i * PG, buf, 1), 0);
	KT_EQ(mmsim_switch_to(t), 0);
	for (int i = 4; i < 6; i++)
		KT_EQ(mmsim_user_read(a + (unsigned long)i * PG, buf, 1), 0);
	smaps = pid_file(m, pid, "smaps");
	KT_EQ(smaps_field(smaps, a, "Rss:"), 24);
	KT_EQ(smaps_field(smaps, a, "Shared_Clean:") + smaps_field(smaps, a, "Shared_Dirty:"), 24);
	KT_EQ(smaps_field(smaps, a, "Private_Clean:") + smaps_field(smaps, a, "Private_Dirty:"), 0);
	KT_EQ(smaps_field(smaps, a, "Pss:"), 12);
	free(smaps);

	/* A write through a shared writable mapping dirties the cached page. */
	p = sys_mmap(0, PG, PROT_READ | PROT_WRITE, MAP_SHARED, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(p));
	KT_EQ(mmsim_user_write(p, buf, 16), 0);
	smaps = pid_file(m, pid, "smaps");
	KT_EQ(smaps_field(smaps, p, "Rss:"), 4);
	KT_EQ(smaps_field(smaps, p, "Private_Dirty:") + smaps_field(smaps, p, "Shared_Dirty:"), 4);
	KT_EQ(smaps_field(smaps, p, "Anonymous:"), 0);
	free(smaps);
	{
		char *mi = mmsim_read(m, "/proc/meminfo");

		if (clean)	/* the dirty accounting comes with writeback */
			KT_ASSERT(field(mi, "Dirty:") >= 4);
		free(mi);
	}
	sys_munmap(p, PG);

	/* MAP_PRIVATE: a write copies the page (anonymous, private, dirty). */
	p = sys_mmap(0, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(p));
	KT_EQ(mmsim_user_write(p, buf, 16), 0);
	smaps = pid_file(m, pid, "smaps");
	KT_EQ(smaps_field(smaps, p, "Anonymous:"), 4);
	KT_EQ(smaps_field(smaps, p, "Private_Dirty:"), 4);
	free(smaps);

	/* Unlinked while mapped: " (deleted)". */
	KT_EQ(sys_close((int)fd), 0);
	KT_EQ(sys_unlink("/smaps-file"), 0);
	maps = pid_file(m, pid, "maps");
	KT_ASSERT(strstr(maps, " /smaps-file (deleted)\n"));
	free(maps);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_file_smaps);
	return kt_done();
}
