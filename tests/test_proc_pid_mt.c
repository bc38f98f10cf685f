// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_proc_pid_mt.c - /proc/PID/smaps, smaps_rollup and maps read
 * on one CPU while the process changes its memory on another.
 *
 * CPU 0 runs a process that writes pages, drops them with MADV_DONTNEED
 * (which zaps under mmap_lock for reading, like the readers), maps and
 * unmaps a second region, and forks and reaps a child; CPU 1 reads its
 * files at the same time.  Every read must be well formed -- each VMA's
 * block ends in VmFlags, Rss <= Size, Pss <= Rss, Private + Shared == Rss,
 * and smaps_rollup's Rss is at most the mapping's size -- and ThreadSanitizer
 * (the "threaded" label) must see no race between the page-table walk and
 * the faults and zaps: the walk holds mmap_lock for reading and each PTE
 * table's PTE lock.
 */
#include <pthread.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/mman.h>
#include <mmsim/uaccess.h>
#include <mmsim/err.h>
#include "mmtest.h"

#define ROUNDS	60
#define PAGES	32

static struct mmsim *m;
static pid_t pid;
static atomic_int done;
static atomic_int bad_reads;

/* Each smaps block of @text is consistent; the number of blocks, -1 if not. */
static int check_smaps(const char *text)
{
	long long size = -1, rss = -1, pss = -1, shared = 0, priv = 0;
	int blocks = 0;

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, "Size:", 5))
			size = strtoll(p + 5, NULL, 10);
		else if (!strncmp(p, "Rss:", 4))
			rss = strtoll(p + 4, NULL, 10);
		else if (!strncmp(p, "Pss:", 4))
			pss = strtoll(p + 4, NULL, 10);
		else if (!strncmp(p, "Shared_Clean:", 13) || !strncmp(p, "Shared_Dirty:", 13))
			shared += strtoll(p + 13, NULL, 10);
		else if (!strncmp(p, "Private_Clean:", 14) || !strncmp(p, "Private_Dirty:", 14))
			priv += strtoll(p + 14, NULL, 10);
		else if (!strncmp(p, "VmFlags: ", 9)) {
			if (size < 0 || rss < 0 || rss > size || pss > rss || shared + priv != rss)
				return -1;
			size = rss = pss = -1;
			shared = priv = 0;
			blocks++;
		}
	}
	return size == -1 ? blocks : -1;
}

static void *reader(void *arg)
{
	char path[64];
	int reads = 0;

	KT_EQ(mmsim_enter(m, 1), 0);
	while (!atomic_load(&done) || reads < 10) {
		char *text;

		snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
		text = mmsim_read(m, path);
		if (!text || check_smaps(text) < 2)
			atomic_fetch_add(&bad_reads, 1);
		free(text);
		snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", pid);
		text = mmsim_read(m, path);
		if (!text || field(text, "Rss:") < 0 || field(text, "Pss:") > field(text, "Rss:") ||
		    field(text, "Rss:") > 2 * PAGES * 4 + 4)
			atomic_fetch_add(&bad_reads, 1);
		free(text);
		snprintf(path, sizeof(path), "/proc/%d/maps", pid);
		text = mmsim_read(m, path);
		if (!text || !strstr(text, "[stack]\n"))
			atomic_fetch_add(&bad_reads, 1);
		free(text);
		reads++;
	}
	mmsim_leave();
	return NULL;
}

static void test_smaps_while_faulting(void)
{
	struct task_struct *t;
	unsigned long a, b;
	char buf[4096];
	pthread_t th;

	m = boot_or_die("ram=128M cpus=2");
	t = mmsim_spawn(m, "busy");
	KT_ASSERT(t);
	if (!t)
		return;
	pid = task_pid_nr(t);
	KT_EQ(mmsim_switch_to(t), 0);
	a = sys_mmap(0, PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, ~0UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(a));
	memset(buf, 0x77, sizeof(buf));
	KT_EQ(pthread_create(&th, NULL, reader, NULL), 0);
	for (int r = 0; r < ROUNDS; r++) {
		long child;
		int st;

		for (int i = 0; i < PAGES; i++)
			KT_EQ(mmsim_user_write(a + i * 4096UL, buf, 64), 0);
		KT_EQ(sys_madvise(a + (r % 4) * 8 * 4096UL, 8 * 4096, MADV_DONTNEED), 0);
		b = sys_mmap(0, PAGES * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			     ~0UL, 0);
		KT_ASSERT(!IS_ERR_VALUE(b));
		for (int i = 0; i < PAGES; i += 3)
			KT_EQ(mmsim_user_write(b + i * 4096UL, buf, 8), 0);
		if (r % 10 == 0) {
			child = sys_fork();
			KT_ASSERT(child > 0);
			KT_EQ(mmsim_switch_to(find_task_by_vpid((pid_t)child)), 0);
			KT_EQ(mmsim_user_write(a, buf, 8), 0);
			sys_exit_group(0);
			KT_EQ(mmsim_switch_to(t), 0);
			KT_EQ(sys_wait4((pid_t)child, &st, 0, NULL), child);
		}
		KT_EQ(sys_munmap(b, PAGES * 4096), 0);
	}
	atomic_store(&done, 1);
	pthread_join(th, NULL);
	KT_EQ(atomic_load(&bad_reads), 0);
	KT_ASSERT(mm_is_valid(t->mm));
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_smaps_while_faulting);
	return kt_done();
}
