// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_proc_pid.c - /proc/PID/maps, /proc/PID/smaps and
 * /proc/PID/smaps_rollup (fs/proc/task_mmu.c) against Linux 6.x's formats.
 *
 * A process is spawned, maps memory, touches it through the MMU, forks,
 * and the files are read after each step: the exact text of a maps line
 * (trailing space and all, the name at Linux's column for the arch's
 * pointer size), every smaps label in Linux's order with its width, and
 * the numbers -- Rss counts present normal pages (a read fault maps the
 * zero page, which is not resident), Pss halves when fork shares a page,
 * a copy-on-write fault turns Shared_Dirty into Private_Dirty, Locked
 * follows mlock, and smaps_rollup is the sum of smaps.  The errors are
 * Linux's: ENOENT for a pid that is not a task (or not canonical), an
 * empty maps for a task with no mm, ESRCH from its smaps_rollup.
 */
#include <errno.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/mman.h>
#include <mmsim/uaccess.h>
#include <mmsim/err.h>
#include "mmtest.h"

static char *proc_read(struct mmsim *m, pid_t pid, const char *file)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return mmsim_read(m, path);
}

/* The line of @text that starts with "@start-" (hex, as maps prints it), malloc'd. */
static char *maps_line(const char *text, unsigned long start)
{
	char prefix[32];
	size_t n = (size_t)snprintf(prefix, sizeof(prefix), "%08lx-", start);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, prefix, n))
			return strndup(p, strcspn(p, "\n"));
	return NULL;
}

/* The smaps block of the VMA starting at @start (its header to VmFlags), malloc'd. */
static char *smaps_block(const char *text, unsigned long start)
{
	char prefix[32];
	size_t n = (size_t)snprintf(prefix, sizeof(prefix), "%08lx-", start);
	const char *p = text, *end;

	while (p && *p && strncmp(p, prefix, n)) {
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	if (!p || !*p)
		return NULL;
	end = strstr(p, "VmFlags:");
	if (!end)
		return NULL;
	end = strchr(end, '\n');
	return strndup(p, (size_t)(end - p + 1));
}

/* A "Label:  N kB" value of @block, -1 if absent. */
static long long kb(const char *block, const char *label)
{
	return block ? field(block, label) : -1;
}

static struct task_struct *spawn_run(struct mmsim *m, const char *comm)
{
	struct task_struct *t = mmsim_spawn(m, comm);

	KT_ASSERT(t);
	if (t)
		KT_EQ(mmsim_switch_to(t), 0);
	return t;
}

static void fill(unsigned long addr, unsigned long len, int byte)
{
	char buf[4096];

	memset(buf, byte, sizeof(buf));
	for (unsigned long off = 0; off < len; off += sizeof(buf))
		KT_EQ(mmsim_user_write(addr + off, buf, sizeof(buf)), 0);
}

/* The maps line of an anonymous mapping, the stack's and the heap's. */
static void test_maps_format(void)
{
	struct mmsim *m = boot_or_die("ram=128M cpus=1");
	struct task_struct *t = spawn_run(m, "app");
	unsigned long a, none, shared, brk0, brk1;
	char want[160], *text, *line;
	pid_t pid = t ? task_pid_nr(t) : 0;

	a = sys_mmap(0, 16384, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, ~0UL, 0);
	none = sys_mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, ~0UL, 0);
	shared = sys_mmap(0, 8192, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, ~0UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(a) && !IS_ERR_VALUE(none) && !IS_ERR_VALUE(shared));
	brk0 = sys_brk(0);
	brk1 = sys_brk(brk0 + 8192);
	KT_EQ(brk1, brk0 + 8192);

	text = proc_read(m, pid, "maps");
	KT_ASSERT(text);
	printf("%s", text ? text : "");
	/* No name: the line ends in the inode and one space. */
	line = maps_line(text, a);
	snprintf(want, sizeof(want), "%08lx-%08lx rw-p 00000000 00:00 0 ", a, a + 16384);
	KT_ASSERT(line && !strcmp(line, want));
	free(line);
	line = maps_line(text, none);
	snprintf(want, sizeof(want), "%08lx-%08lx ---p 00000000 00:00 0 ", none, none + 4096);
	KT_ASSERT(line && !strcmp(line, want));
	free(line);
	/* Shared anonymous memory is Linux's shmem file "/dev/zero (deleted)" on 00:01. */
	line = maps_line(text, shared);
	snprintf(want, sizeof(want), "%08lx-%08lx r--s 00000000 00:01 ", shared, shared + 8192);
	KT_ASSERT(line && !strncmp(line, want, strlen(want)));
	KT_ASSERT(line && strlen(line) > 73 && !strcmp(line + 73, "/dev/zero (deleted)"));
	free(line);
	/* [heap]: the VMA over start_brk..brk, its name at column 73. */
	line = maps_line(text, brk0);
	snprintf(want, sizeof(want), "%08lx-%08lx rw-p 00000000 00:00 0", brk0, brk1);
	KT_ASSERT(line && !strncmp(line, want, strlen(want)));
	KT_ASSERT(line && strlen(line) == 73 + strlen("[heap]") &&
		  !strcmp(line + 73, "[heap]") && line[72] == ' ');
	free(line);
	/* [stack]: the last VMA, below TASK_SIZE. */
	KT_ASSERT(text && strstr(text, "[stack]\n"));
	line = text ? strrchr(text, '\n') : NULL;
	KT_ASSERT(line && line[1] == '\0');
	free(text);
	mmsim_shutdown(m);
}

/* Every smaps label in Linux 6.x's order, and the numbers of a touched VMA. */
static void test_smaps_fields(void)
{
	static const char *const labels[] = {
		"Size:           ", "KernelPageSize: ", "MMUPageSize:    ", "Rss:            ",
		"Pss:            ", "Pss_Dirty:      ", "Shared_Clean:   ", "Shared_Dirty:   ",
		"Private_Clean:  ", "Private_Dirty:  ", "Referenced:     ", "Anonymous:      ",
		"KSM:            ", "LazyFree:       ", "AnonHugePages:  ", "ShmemPmdMapped: ",
		"FilePmdMapped:  ", "Shared_Hugetlb: ", "Private_Hugetlb: ", "Swap:           ",
		"SwapPss:        ", "Locked:         ", "THPeligible:    ", "VmFlags: ",
	};
	struct mmsim *m = boot_or_die("ram=128M cpus=1");
	struct task_struct *t = spawn_run(m, "app");
	pid_t pid = t ? task_pid_nr(t) : 0;
	char *text, *block, byte;
	const char *p;
	unsigned long a;

	a = sys_mmap(0, 4 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, ~0UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(a));
	fill(a, 2 * 4096, 0x11);				/* two new pages */
	KT_EQ(mmsim_user_read(a + 2 * 4096, &byte, 1), 0);	/* the zero page */
	KT_EQ(byte, 0);
	text = proc_read(m, pid, "smaps");
	block = smaps_block(text, a);
	KT_ASSERT(block);
	printf("%s", block ? block : "");
	p = block ? strchr(block, '\n') + 1 : NULL;
	for (size_t i = 0; p && i < ARRAY_SIZE(labels); i++) {
		KT_ASSERT(!strncmp(p, labels[i], strlen(labels[i])));
		if (i < ARRAY_SIZE(labels) - 2)
			KT_ASSERT(!strncmp(p + 24, " kB\n", 4));	/* the value right-aligned */
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	KT_ASSERT(p && !*p);
	KT_EQ(kb(block, "Size:"), 16);
	KT_EQ(kb(block, "KernelPageSize:"), 4);
	KT_EQ(kb(block, "MMUPageSize:"), 4);
	KT_EQ(kb(block, "Rss:"), 8);
	KT_EQ(kb(block, "Pss:"), 8);
	KT_EQ(kb(block, "Pss_Dirty:"), 8);
	KT_EQ(kb(block, "Shared_Clean:"), 0);
	KT_EQ(kb(block, "Shared_Dirty:"), 0);
	KT_EQ(kb(block, "Private_Clean:"), 0);
	KT_EQ(kb(block, "Private_Dirty:"), 8);
	KT_EQ(kb(block, "Referenced:"), 8);
	KT_EQ(kb(block, "Anonymous:"), 8);
	KT_EQ(kb(block, "LazyFree:"), 0);
	KT_EQ(kb(block, "Locked:"), 0);
	KT_EQ(kb(block, "THPeligible:"), 0);
	KT_STR_CONTAINS(block, "\nVmFlags: rd wr mr mw me ac ");
	free(block);
	free(text);

	/* mlock: Locked is the Pss of the locked VMA. */
	KT_EQ(sys_mlock(a, 4 * 4096), 0);
	text = proc_read(m, pid, "smaps");
	block = smaps_block(text, a);
	KT_EQ(kb(block, "Rss:"), 16);
	KT_EQ(kb(block, "Locked:"), 16);
	KT_STR_CONTAINS(block, " lo ");
	free(block);
	free(text);
	mmsim_shutdown(m);
}

/* fork shares every anonymous page; a write copies one. */
static void test_smaps_fork_cow(void)
{
	struct mmsim *m = boot_or_die("ram=128M cpus=1");
	struct task_struct *t = spawn_run(m, "parent"), *child;
	pid_t pid = t ? task_pid_nr(t) : 0;
	char *text, *block, got[2];
	unsigned long a;
	long cpid;

	a = sys_mmap(0, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, ~0UL, 0);
	fill(a, 2 * 4096, 0x22);
	cpid = sys_fork();
	KT_ASSERT(cpid > 0);
	text = proc_read(m, pid, "smaps");
	block = smaps_block(text, a);
	KT_EQ(kb(block, "Rss:"), 8);
	KT_EQ(kb(block, "Pss:"), 4);
	KT_EQ(kb(block, "Shared_Dirty:"), 8);
	KT_EQ(kb(block, "Private_Dirty:"), 0);
	free(block);
	free(text);
	text = proc_read(m, (pid_t)cpid, "smaps");
	block = smaps_block(text, a);
	KT_EQ(kb(block, "Rss:"), 8);
	KT_EQ(kb(block, "Pss:"), 4);
	KT_EQ(kb(block, "Shared_Dirty:"), 8);
	free(block);
	free(text);

	/* The child writes its first page: a copy of its own. */
	child = find_task_by_vpid((pid_t)cpid);
	KT_ASSERT(child);
	if (child)
		KT_EQ(mmsim_switch_to(child), 0);
	got[0] = 0x33;
	KT_EQ(mmsim_user_write(a, got, 1), 0);
	KT_EQ(mmsim_user_read(a + 1, got + 1, 1), 0);
	KT_EQ(got[1], 0x22);
	text = proc_read(m, (pid_t)cpid, "smaps");
	block = smaps_block(text, a);
	KT_EQ(kb(block, "Rss:"), 8);
	KT_EQ(kb(block, "Pss:"), 6);
	KT_EQ(kb(block, "Shared_Dirty:"), 4);
	KT_EQ(kb(block, "Private_Dirty:"), 4);
	free(block);
	free(text);
	text = proc_read(m, pid, "smaps_rollup");
	KT_EQ(kb(text, "Pss:"), 6);
	KT_EQ(kb(text, "Pss_Anon:"), 6);
	KT_EQ(kb(text, "Pss_File:"), 0);
	free(text);
	/* The parent still reads its own bytes. */
	KT_EQ(mmsim_switch_to(t), 0);
	KT_EQ(mmsim_user_read(a, got, 1), 0);
	KT_EQ(got[0], 0x22);
	mmsim_shutdown(m);
}

/* smaps_rollup: the header over every VMA, and the sums of smaps. */
static void test_smaps_rollup(void)
{
	struct mmsim *m = boot_or_die("ram=128M cpus=1");
	struct task_struct *t = spawn_run(m, "app");
	pid_t pid = t ? task_pid_nr(t) : 0;
	long long rss = 0, pss = 0;
	unsigned long a, first = ~0UL, last = 0;
	char *smaps, *roll, want[160];

	a = sys_mmap(0, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, ~0UL, 0);
	fill(a, 5 * 4096, 0x44);
	fill(sys_brk(sys_brk(0) + 3 * 4096) - 3 * 4096, 3 * 4096, 0x55);
	smaps = proc_read(m, pid, "smaps");
	roll = proc_read(m, pid, "smaps_rollup");
	KT_ASSERT(smaps && roll);
	printf("%s", roll ? roll : "");
	for (const char *p = smaps; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		unsigned long s, e;

		if (sscanf(p, "%lx-%lx ", &s, &e) == 2 && p[strcspn(p, " ")] == ' ' &&
		    strchr("r-", p[strcspn(p, " ") + 1])) {
			first = s < first ? s : first;
			last = e > last ? e : last;
		}
		if (!strncmp(p, "Rss:", 4))
			rss += strtoll(p + 4, NULL, 10);
		if (!strncmp(p, "Pss:", 4))
			pss += strtoll(p + 4, NULL, 10);
	}
	snprintf(want, sizeof(want), "%08lx-%08lx ---p 00000000 00:00 0", first, last);
	KT_ASSERT(roll && !strncmp(roll, want, strlen(want)));
	KT_ASSERT(roll && !strncmp(roll + 73, "[rollup]\nRss:", 13));
	KT_EQ(kb(roll, "Rss:"), rss);
	KT_EQ(kb(roll, "Pss:"), pss);
	KT_EQ(kb(roll, "Pss_Anon:"), pss);
	KT_ASSERT(rss >= 32);
	KT_ASSERT(roll && !strstr(roll, "VmFlags") && !strstr(roll, "Size:") &&
		  strstr(roll, "\nPss_Dirty:") && strstr(roll, "\nPss_Shmem:      "));
	free(smaps);
	free(roll);
	mmsim_shutdown(m);
}

/* ENOENT, an empty file, ESRCH: Linux's answers where there is no mm. */
static void test_proc_pid_errors(void)
{
	struct mmsim *m = boot_or_die("ram=128M cpus=1");
	struct task_struct *t = spawn_run(m, "app");
	pid_t pid = t ? task_pid_nr(t) : 0;
	char path[64], *text;
	long cpid;
	int st;

	static const char *const bad[] = { "/proc/999/maps", "/proc/abc/maps", "/proc/0/maps",
					   "/proc/-1/smaps", "/proc/meminfo/maps",
					   "/proc/99999999999/maps" };
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		KT_ASSERT(!mmsim_read(m, bad[i]));
		KT_EQ(errno, ENOENT);
	}
	snprintf(path, sizeof(path), "/proc/0%d/maps", pid);
	KT_ASSERT(!mmsim_read(m, path));
	/* init has no mm. */
	text = mmsim_read(m, "/proc/1/maps");
	KT_ASSERT(text && !*text);
	free(text);
	errno = 0;
	KT_ASSERT(!mmsim_read(m, "/proc/1/smaps_rollup"));
	KT_EQ(errno, ESRCH);
	/* self: the task this CPU runs. */
	text = mmsim_read(m, "/proc/self/maps");
	KT_STR_CONTAINS(text, "[stack]");
	free(text);
	/* A zombie child: empty maps; reaped: gone. */
	cpid = sys_fork();
	KT_ASSERT(cpid > 0);
	KT_EQ(mmsim_switch_to(find_task_by_vpid((pid_t)cpid)), 0);
	sys_exit_group(3);
	KT_ASSERT(!current);
	text = proc_read(m, (pid_t)cpid, "maps");
	KT_ASSERT(text && !*text);
	free(text);
	text = proc_read(m, (pid_t)cpid, "smaps");
	KT_ASSERT(text && !*text);
	free(text);
	KT_EQ(mmsim_switch_to(t), 0);
	KT_EQ(sys_wait4((pid_t)cpid, &st, 0, NULL), cpid);
	KT_EQ(WEXITSTATUS(st), 3);
	errno = 0;
	KT_ASSERT(!proc_read(m, (pid_t)cpid, "maps"));
	KT_EQ(errno, ENOENT);
	mmsim_shutdown(m);
}

/* The stack's VmFlags, a named anonymous VMA, and Locked after mlockall. */
static void test_smaps_flags_and_names(void)
{
	struct mmsim *m = boot_or_die("ram=128M cpus=1");
	struct task_struct *t = spawn_run(m, "app");
	pid_t pid = t ? task_pid_nr(t) : 0;
	struct vm_area_struct *vma;
	char *text, *line, want[128];
	unsigned long a;

	text = proc_read(m, pid, "smaps");
	KT_STR_CONTAINS(text, "[stack]\n");
	KT_STR_CONTAINS(text, "\nVmFlags: rd wr mr mw me gd ac sd \n");
	free(text);

	/* prctl(PR_SET_VMA_ANON_NAME)'s name, as [anon:NAME] at the name column. */
	a = sys_mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, ~0UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(a));
	mmap_write_lock(t->mm);
	vma = vma_lookup(t->mm, a);
	KT_ASSERT(vma);
	if (vma)
		vma->anon_name = "jit";
	mmap_write_unlock(t->mm);
	text = proc_read(m, pid, "maps");
	line = maps_line(text, a);
	snprintf(want, sizeof(want), "%08lx-%08lx rw-p 00000000 00:00 0", a, a + 8192);
	KT_ASSERT(line && !strncmp(line, want, strlen(want)) && !strcmp(line + 73, "[anon:jit]"));
	free(line);
	free(text);
	mmap_write_lock(t->mm);
	vma = vma_lookup(t->mm, a);
	if (vma)
		vma->anon_name = NULL;
	mmap_write_unlock(t->mm);

	/* mlockall: every VMA gets "lo", and populated, its Rss is Locked. */
	KT_EQ(sys_mlockall(MCL_CURRENT | MCL_FUTURE), 0);
	text = proc_read(m, pid, "smaps_rollup");
	KT_ASSERT(kb(text, "Rss:") > 0);
	KT_EQ(kb(text, "Locked:"), kb(text, "Rss:"));
	free(text);
	text = proc_read(m, pid, "smaps");
	KT_STR_CONTAINS(text, "\nVmFlags: rd wr mr mw me gd lo ac sd \n");
	free(text);
	mmsim_shutdown(m);
}

/* i386: 8-digit addresses, the name at column 25 + 6 * 4 - 1 + 1 = 49. */
static void test_maps_i386(void)
{
	struct mmsim *m = boot_or_die("arch=i386 ram=128M cpus=1");
	struct task_struct *t = spawn_run(m, "app");
	char *text, *line;

	text = t ? proc_read(m, task_pid_nr(t), "maps") : NULL;
	KT_ASSERT(text);
	printf("%s", text ? text : "");
	line = text ? strstr(text, "[stack]") : NULL;
	KT_ASSERT(line);
	while (line && line > text && line[-1] != '\n')
		line--;
	KT_ASSERT(line && !strncmp(line + 49, "[stack]\n", 8) && line[8] == '-' &&
		  line[17] == ' ');
	free(text);
	mmsim_shutdown(m);
}

/* arm64 with 64K pages: KernelPageSize 64 kB, and no soft-dirty "sd". */
static void test_smaps_arm64_64k(void)
{
	struct mmsim *m = boot_or_die("arch=arm64 page_size=64K ram=256M cpus=1");
	struct task_struct *t = spawn_run(m, "app");
	char *text, *block;
	unsigned long a;

	a = sys_mmap(0, 65536 * 2, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, ~0UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(a));
	fill(a, 65536, 0x66);
	text = t ? proc_read(m, task_pid_nr(t), "smaps") : NULL;
	block = smaps_block(text, a);
	KT_ASSERT(block);
	printf("%s", block ? block : "");
	KT_EQ(kb(block, "Size:"), 128);
	KT_EQ(kb(block, "KernelPageSize:"), 64);
	KT_EQ(kb(block, "MMUPageSize:"), 64);
	KT_EQ(kb(block, "Rss:"), 64);
	KT_ASSERT(block && !strstr(block, " sd "));
	free(block);
	free(text);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_maps_format);
	KT_RUN(test_smaps_fields);
	KT_RUN(test_smaps_fork_cow);
	KT_RUN(test_smaps_rollup);
	KT_RUN(test_proc_pid_errors);
	KT_RUN(test_smaps_flags_and_names);
	KT_RUN(test_maps_i386);
	KT_RUN(test_smaps_arm64_64k);
	return kt_done();
}
