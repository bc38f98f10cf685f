// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_fork.c - fork of a process with touched memory: the child
 * sees the parent's bytes, writes on either side diverge (copy-on-write),
 * the RSS and hiwater counters are Linux's, both exit, and after the reap
 * every page is back in the buddy allocator -- exactly, once the CPU has
 * dropped its lazily loaded mm, the slab caches are shrunk and the
 * per-CPU lists drained.  On x86_64, i386 and arm64 (64K pages).
 */
#include <sys/resource.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/slab.h>
#include "mmtest.h"

#define NPAGES 16

/* Free pages once nothing is cached: lazy mm, slabs, per-CPU lists. */
static unsigned long settled_free_pages(void)
{
	switch_mm(NULL, &init_mm, NULL);
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	return nr_free_pages();
}

static unsigned long status_kb(struct mmsim *m, int pid, const char *label)
{
	char path[64], *s;
	long long v;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	s = mmsim_read(m, path);
	v = s ? field(s, label) : -1;
	free(s);
	return (unsigned long)v;
}

static bool fill(unsigned long va, size_t len, unsigned char c)
{
	unsigned char buf[256];

	memset(buf, c, sizeof(buf));
	for (size_t off = 0; off < len; off += sizeof(buf))
		if (mmsim_user_write(va + off, buf, sizeof(buf)))
			return false;
	return true;
}

/* Every byte of [va, va + len) is @c. */
static bool holds(unsigned long va, size_t len, unsigned char c)
{
	unsigned char buf[256];

	for (size_t off = 0; off < len; off += sizeof(buf)) {
		if (mmsim_user_read(va + off, buf, sizeof(buf)))
			return false;
		for (size_t i = 0; i < sizeof(buf); i++)
			if (buf[i] != c)
				return false;
	}
	return true;
}

/*
 * One run: a parent touches NPAGES, forks, both sides write half each,
 * both exit and are reaped.  @check: assert along the way.
 */
static void fork_run(struct mmsim *m, bool check)
{
	struct task_struct *p = mmsim_spawn(m, "parent"), *c;
	unsigned long va, half, rss;
	struct rusage ru;
	long pid;
	int st = -1;

	KT_ASSERT(p);
	if (!p)
		return;
	KT_EQ(mmsim_switch_to(p), 0);
	half = NPAGES / 2 * PAGE_SIZE;
	va = sys_mmap(0, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      (unsigned long)-1, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_ASSERT(fill(va, NPAGES * PAGE_SIZE, 0xaa));
	KT_ASSERT(mm_is_valid(p->mm));
	rss = get_mm_counter(p->mm, MM_ANONPAGES);
	KT_ASSERT(rss >= NPAGES);

	pid = sys_fork();
	KT_ASSERT(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(c && c->real_parent == p);
	if (!c)
		return;
	KT_ASSERT(current == p);
	KT_ASSERT(mm_is_valid(p->mm) && mm_is_valid(c->mm));
	if (check) {
		/* The child's RSS counts the shared pages; its peaks start there. */
		KT_EQ(get_mm_counter(c->mm, MM_ANONPAGES), rss);
		KT_EQ(c->mm->total_vm, p->mm->total_vm);
		KT_EQ(c->mm->hiwater_rss, get_mm_rss(c->mm));
		KT_EQ(c->mm->hiwater_vm, c->mm->total_vm);
		KT_EQ(status_kb(m, c->pid, "VmRSS:"), status_kb(m, p->pid, "VmRSS:"));
		KT_EQ(status_kb(m, c->pid, "VmSize:"), status_kb(m, p->pid, "VmSize:"));
		KT_EQ(status_kb(m, c->pid, "VmLck:"), 0);
		KT_ASSERT(mm_mapcounts_are_valid(m));
	}

	/* The child reads the parent's bytes, then writes the first half. */
	KT_EQ(mmsim_switch_to(c), 0);
	KT_ASSERT(holds(va, NPAGES * PAGE_SIZE, 0xaa));
	KT_ASSERT(fill(va, half, 0xcc));
	KT_ASSERT(holds(va, half, 0xcc));
	KT_ASSERT(mm_is_valid(c->mm));
	if (check)
		KT_ASSERT(c->min_flt >= NPAGES / 2);	/* one COW fault per page */

	/* The parent still has its bytes; it writes the second half. */
	KT_EQ(mmsim_switch_to(p), 0);
	KT_ASSERT(holds(va, half, 0xaa));
	KT_ASSERT(fill(va + half, half, 0xbb));
	KT_ASSERT(mm_is_valid(p->mm));

	/* The child does not see it. */
	KT_EQ(mmsim_switch_to(c), 0);
	KT_ASSERT(holds(va + half, half, 0xaa));
	KT_ASSERT(holds(va, half, 0xcc));
	if (check)
		KT_ASSERT(mm_mapcounts_are_valid(m));
	sys_exit_group(7);
	KT_ASSERT(!current);
	KT_EQ(c->exit_state, EXIT_ZOMBIE);

	KT_EQ(mmsim_switch_to(p), 0);
	KT_ASSERT(holds(va + half, half, 0xbb));
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, &ru), pid);
	KT_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 7);
	if (check) {
		/* getrusage(RUSAGE_BOTH) of the child: its peak RSS and faults. */
		KT_ASSERT((unsigned long)ru.ru_maxrss >= NPAGES * (PAGE_SIZE / 1024));
		KT_ASSERT((unsigned long)ru.ru_minflt >= NPAGES / 2);
		KT_ASSERT(p->signal->cmin_flt >= NPAGES / 2);
		KT_ASSERT(mm_mapcounts_are_valid(m));
	}
	sys_exit_group(0);
	KT_ASSERT(!current);
	KT_ASSERT(!find_task_by_vpid(p->pid));		/* init reaped it */
}

static void test_fork_cow(const char *spec)
{
	struct mmsim *m = boot_or_die(spec);
	unsigned long before, after;

	kt_begin(spec);
	fork_run(m, false);		/* warm up: slab caches, the zero page */
	before = settled_free_pages();
	fork_run(m, true);
	after = settled_free_pages();
	KT_EQ(after, before);
	KT_ASSERT(mm_mapcounts_are_valid(m));
	kt_end();
	mmsim_shutdown(m);
}

/* A fatal signal kills a forked child that no CPU runs: its pages go back at once. */
static void test_kill_frees(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	struct task_struct *p = mmsim_spawn(m, "p");
	unsigned long va, before, after;
	long pid;
	int st;

	KT_ASSERT(p);
	if (!p)
		goto out;
	KT_EQ(mmsim_switch_to(p), 0);
	va = sys_mmap(0, 64 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      (unsigned long)-1, 0);
	KT_ASSERT(fill(va, 64 * PAGE_SIZE, 1));
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	/* The parent's writes after the fork COW every page: the child owns the originals. */
	KT_ASSERT(fill(va, 64 * PAGE_SIZE, 2));
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	before = nr_free_pages();
	KT_EQ(sys_kill((pid_t)pid, SIGKILL), 0);
	drain_all_pages(NULL);
	after = nr_free_pages();
	KT_ASSERT(after >= before + 64);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	KT_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
out:
	mmsim_shutdown(m);
}

int main(void)
{
	test_fork_cow("ram=64M");
	test_fork_cow("arch=i386 ram=64M");
	test_fork_cow("arch=arm64 page_size=64K ram=256M");
	KT_RUN(test_kill_frees);
	return kt_done();
}
