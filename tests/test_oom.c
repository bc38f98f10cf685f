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
	fputs(log, stdout);
	free(log);
	KT_ASSERT(oom_victims_are_valid(m));
	sys_exit_group(0);
	put_task_struct(me);
	put_task_struct(big);
	put_task_struct(small);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_biggest_dies);
	return kt_done();
}
