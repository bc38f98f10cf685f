// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_oom.c - the OOM killer (mm/oom_kill.c) on machines without
 * swap whose anonymous memory fills RAM: the process with the highest
 * badness dies, oom_score_adj moves the choice (1000 first, -1000 never),
 * the allocator that touched the last page goes on, the victim that runs
 * is told -EINTR, OOM_KILL counts, and the log says what Linux's says:
 * "X invoked oom-killer: gfp_mask=...", the task table, the "oom-kill:"
 * summary and "Out of memory: Killed process ...", byte for byte.
 */
#include "oom_fixture.h"
#include <mmsim/slab.h>

#define SPEC "arch=x86_64 ram=64M cpus=2"

/* Pages free in the machine (NR_FREE_PAGES). */
static unsigned long free_now(void)
{
	return global_zone_page_state(NR_FREE_PAGES);
}

/* The biggest process dies; the allocating one goes on. */
static void test_biggest_dies(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	unsigned long budget = free_now(), a, done, kills = sum_vm_event(OOM_KILL);
	struct task_struct *small, *big, *me;
	size_t mark = log_mark(m);
	char want[256], *log;
	long ret;

	small = oom_proc(m, "small", 256);
	big = oom_proc(m, "big", budget / 2);
	me = oom_spawn(m, "filler");
	a = oom_map(budget / 2 * PAGE_SIZE);
	done = oom_touch(a, budget / 2, 'f', &ret);
	KT_EQ(ret, 0);
	KT_EQ(done, budget / 2);
	KT_ASSERT(current == me);
	KT_EQ(sum_vm_event(OOM_KILL), kills + 1);
	KT_ASSERT(oom_task_dead(big));
	KT_ASSERT(!oom_task_dead(small));
	log = log_since(m, &mark);
	snprintf(want, sizeof(want), "filler invoked oom-killer: gfp_mask=0x");
	KT_STR_CONTAINS(log, want);
	snprintf(want, sizeof(want), "Out of memory: Killed process %d (big) total-vm:", big->pid);
	KT_STR_CONTAINS(log, want);
	snprintf(want, sizeof(want),
		 "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=big,pid=%d,uid=0\n",
		 big->pid);
	KT_STR_CONTAINS(log, want);
	KT_STR_CONTAINS(log, "Tasks state (memory values in pages):\n");
	/* dump_stack names the task that asked, as Linux's does. */
	snprintf(want, sizeof(want), "] CPU: 0 PID: %d Comm: filler Not tainted 6.8.0-mmsim #1\n",
		 me->pid);
	KT_STR_CONTAINS(log, want);
	free(log);
	KT_ASSERT(oom_victims_are_valid(m));
	sys_exit_group(0);
	put_task_struct(me);
	put_task_struct(big);
	put_task_struct(small);
	mmsim_shutdown(m);
}

/* Fill memory from a fresh process "filler" until it is killed or @pages touched. */
static long fill(struct mmsim *m, struct task_struct **filler, unsigned long pages)
{
	unsigned long a;
	long ret;

	*filler = oom_spawn(m, "filler");
	a = oom_map(pages * PAGE_SIZE);
	oom_touch(a, pages, 'f', &ret);
	return ret;
}

/* oom_score_adj steers the choice: 1000 first, -1000 never; the filler last. */
static void test_adj_order(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	unsigned long budget = free_now(), kills = sum_vm_event(OOM_KILL);
	struct task_struct *keep, *mid, *pref, *me;
	size_t mark = log_mark(m);
	char want[160], *log, *p1, *p2, *p3;
	long ret;

	keep = oom_proc(m, "keep", budget / 5);
	mid = oom_proc(m, "mid", budget / 2);
	pref = oom_proc(m, "pref", 64);
	KT_EQ(oom_write_pid_file(m, keep, "oom_score_adj", "-1000"), 0);
	KT_EQ(oom_write_pid_file(m, pref, "oom_score_adj", "1000\n"), 0);
	ret = fill(m, &me, budget);
	/* pref (adj 1000), then mid, then the filler itself: never keep. */
	KT_EQ(ret, -EINTR);
	KT_ASSERT(current == NULL);
	KT_EQ(WTERMSIG(me->exit_code), SIGKILL);
	KT_ASSERT(oom_task_dead(pref) && oom_task_dead(mid) && oom_task_dead(me));
	KT_ASSERT(!oom_task_dead(keep));
	KT_EQ(sum_vm_event(OOM_KILL), kills + 3);
	log = log_since(m, &mark);
	snprintf(want, sizeof(want), "Out of memory: Killed process %d (pref)", pref->pid);
	p1 = strstr(log, want);
	snprintf(want, sizeof(want), "Out of memory: Killed process %d (mid)", mid->pid);
	p2 = strstr(log, want);
	snprintf(want, sizeof(want), "Out of memory: Killed process %d (filler)", me->pid);
	p3 = strstr(log, want);
	KT_ASSERT(p1 && p2 && p3 && p1 < p2 && p2 < p3);
	KT_STR_CONTAINS(log, "oom_score_adj:1000\n");
	KT_ASSERT(!strstr(log, "(keep) total-vm"));
	free(log);
	KT_ASSERT(oom_victims_are_valid(m));
	put_task_struct(me);
	put_task_struct(pref);
	put_task_struct(mid);
	put_task_struct(keep);
	mmsim_shutdown(m);
}

/* vm.oom_kill_allocating_task: the task that asked dies, not the biggest. */
static void test_kill_allocating_task(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	unsigned long budget = free_now();
	struct task_struct *big, *me;
	size_t mark = log_mark(m);
	char want[160], *log;

	big = oom_proc(m, "big", budget * 2 / 3);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/oom_kill_allocating_task", "1"), 0);
	KT_EQ(fill(m, &me, budget), -EINTR);
	KT_ASSERT(oom_task_dead(me));
	KT_ASSERT(!oom_task_dead(big));
	log = log_since(m, &mark);
	snprintf(want, sizeof(want),
		 "Out of memory (oom_kill_allocating_task): Killed process %d (filler) total-vm:",
		 me->pid);
	KT_STR_CONTAINS(log, want);
	free(log);
	put_task_struct(me);
	put_task_struct(big);
	mmsim_shutdown(m);
}

/* vm.panic_on_oom 1 and 2: the header, no kill, the panic; the machine halts. */
static void test_panic_on_oom(void)
{
	static const char *const modes[] = { "1", "2" };
	static const char *const words[] = { "system-wide", "compulsory" };

	for (int i = 0; i < 2; i++) {
		struct mmsim *m = boot_or_die(SPEC);
		unsigned long budget = free_now();
		struct task_struct *big, *me;
		size_t mark = log_mark(m);
		char want[160], *log, *s;

		KT_EQ(mmsim_write(m, "/proc/sys/vm/panic_on_oom", "3"), -EINVAL);
		KT_EQ(mmsim_write(m, "/proc/sys/vm/panic_on_oom", "-1"), -EINVAL);
		KT_EQ(mmsim_write(m, "/proc/sys/vm/panic_on_oom", modes[i]), 0);
		s = mmsim_read(m, "/proc/sys/vm/panic_on_oom");
		KT_ASSERT(s && s[0] == modes[i][0]);
		free(s);
		big = oom_proc(m, "big", budget / 2);
		KT_ASSERT(fill(m, &me, budget) != 0);
		KT_ASSERT(mmsim_halted(m));
		KT_EQ(sum_vm_event(OOM_KILL), 0);
		KT_ASSERT(!oom_task_dead(big));
		log = log_since(m, &mark);
		KT_STR_CONTAINS(log, "filler invoked oom-killer: gfp_mask=0x");
		KT_STR_CONTAINS(log, "Tasks state (memory values in pages):\n");
		snprintf(want, sizeof(want),
			 "] Kernel panic - not syncing: Out of memory: %s panic_on_oom is enabled\n",
			 words[i]);
		KT_STR_CONTAINS(log, want);
		KT_ASSERT(!strstr(log, "oom-kill:constraint"));
		KT_ASSERT(!strstr(log, "Killed process"));
		KT_ASSERT(!strstr(log, "page allocation failure"));
		free(log);
		/* A halted machine: system calls refuse. */
		KT_EQ(sys_kill(big->pid, SIGKILL), -EIO);
		put_task_struct(me);
		put_task_struct(big);
		mmsim_shutdown(m);
	}
}

/* Nobody may be killed: Linux's words and its panic. */
static void test_no_killable_process(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	unsigned long budget = free_now();
	struct task_struct *me;
	size_t mark = log_mark(m);
	unsigned long a;
	char *log;
	long ret;

	me = oom_spawn(m, "immortal");
	KT_EQ(mmsim_write(m, "/proc/self/oom_score_adj", "-1000"), 0);
	a = oom_map(budget * PAGE_SIZE);
	oom_touch(a, budget, 'i', &ret);
	KT_ASSERT(ret != 0);
	KT_ASSERT(mmsim_halted(m));
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "immortal invoked oom-killer: gfp_mask=0x");
	KT_STR_CONTAINS(log, "] Out of memory and no killable processes...\n");
	KT_STR_CONTAINS(log, "] Kernel panic - not syncing: System is deadlocked on memory\n");
	free(log);
	put_task_struct(me);
	mmsim_shutdown(m);
}

/* vm.oom_dump_tasks 0: no task table. */
static void test_no_dump_tasks(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	unsigned long budget = free_now();
	struct task_struct *big, *me;
	size_t mark = log_mark(m);
	char *log;

	KT_EQ(mmsim_write(m, "/proc/sys/vm/oom_dump_tasks", "0"), 0);
	big = oom_proc(m, "big", budget / 2);
	KT_EQ(fill(m, &me, budget / 2), 0);
	KT_ASSERT(oom_task_dead(big));
	log = log_since(m, &mark);
	KT_ASSERT(!strstr(log, "Tasks state"));
	KT_STR_CONTAINS(log, "oom-kill:constraint=CONSTRAINT_NONE");
	free(log);
	sys_exit_group(0);
	put_task_struct(me);
	put_task_struct(big);
	mmsim_shutdown(m);
}

/* A kernel allocation that must not fail makes room by killing. */
static void test_nofail(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	unsigned long budget = free_now(), n = 0;
	struct page **pages = calloc(budget, sizeof(*pages));
	struct task_struct *big;
	struct page *p;

	big = oom_proc(m, "big", budget / 2);
	/* The rest goes to kernel pages, no task current. */
	while (n < budget && (pages[n] = alloc_page(GFP_KERNEL | __GFP_NOWARN | __GFP_NORETRY)))
		n++;
	KT_ASSERT(!oom_task_dead(big));
	p = alloc_page(GFP_KERNEL | __GFP_NOFAIL);
	KT_ASSERT(p);
	KT_EQ(sum_vm_event(OOM_KILL), 1);
	KT_ASSERT(tsk_is_oom_victim(big));
	mmsim_advance_clock(m, 0);	/* its exit, due at once */
	KT_ASSERT(oom_task_dead(big));
	if (p)
		__free_page(p);
	while (n--)
		__free_page(pages[n]);
	free(pages);
	put_task_struct(big);
	mmsim_shutdown(m);
}

/* The kernel ate the memory: the header blames the unreclaimable slab caches. */
static void test_unreclaimable_slab(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	struct task_struct *small = oom_proc(m, "small", 50);
	size_t mark = log_mark(m), n = 0, cap = 1 << 16;
	void **objs = calloc(cap, sizeof(*objs));
	char *log;

	while (n < cap && (objs[n] = kmalloc(2048, GFP_KERNEL | __GFP_NOWARN)))
		n++;
	KT_EQ(sum_vm_event(OOM_KILL), 1);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "] Unreclaimable slab info:\n");
	KT_STR_CONTAINS(log, "] Name                      Used          Total\n");
	KT_STR_CONTAINS(log, "] kmalloc-2k        ");
	KT_STR_CONTAINS(log, "Out of memory: Killed process");
	free(log);
	mmsim_advance_clock(m, 0);
	KT_ASSERT(oom_task_dead(small));
	while (n--)
		kfree(objs[n]);
	free(objs);
	put_task_struct(small);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_biggest_dies);
	KT_RUN(test_adj_order);
	KT_RUN(test_kill_allocating_task);
	KT_RUN(test_panic_on_oom);
	KT_RUN(test_no_killable_process);
	KT_RUN(test_no_dump_tasks);
	KT_RUN(test_nofail);
	KT_RUN(test_unreclaimable_slab);
	return kt_done();
}
