// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_oom_swap.c - the OOM killer on a machine with swap: memory
 * fills RAM and the swap area before anything is killed; totalpages is
 * RAM + swap; a process's swap entries count in its badness and in the
 * task table's swapents column; Mem-Info shows the area; the victim's
 * swap slots come back when it is reaped and exits, and the swap
 * checkers hold.
 */
#include "oom_fixture.h"
#include <mmsim/swap.h>

#define SPEC "arch=x86_64 ram=64M cpus=2 swap=16M"

static unsigned long fx_vmstat_pswpout(struct mmsim *m)
{
	char *s = mmsim_read(m, "/proc/vmstat");
	const char *p = s ? strstr(s, "\npswpout ") : NULL;
	unsigned long v = p ? strtoul(p + 9, NULL, 10) : 0;

	free(s);
	return v;
}

static void test_swap_then_kill(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	unsigned long budget = global_zone_page_state(NR_FREE_PAGES), a;
	long total_swap = get_total_swap_pages();
	struct task_struct *big, *me;
	size_t mark;
	char want[200], *log;
	long ret;

	if (total_swap <= 0) {
		printf("skipped: no swap area\n");
		mmsim_shutdown(m);
		return;
	}
	KT_EQ(oom_totalpages(),
	      (unsigned long)atomic_long_read(&m->totalram_pages) + (unsigned long)total_swap);
	big = oom_proc(m, "big", budget * 8 / 10);
	mark = log_mark(m);
	me = oom_spawn(m, "filler");
	a = oom_map(budget * 6 / 10 * PAGE_SIZE);
	oom_touch(a, budget * 6 / 10, 'w', &ret);
	KT_EQ(ret, 0);
	KT_ASSERT(sum_vm_event(OOM_KILL) >= 1);
	KT_ASSERT(fx_vmstat_pswpout(m) > 0);
	log = log_since(m, &mark);
	snprintf(want, sizeof(want), "] Total swap = %lukB\n", (unsigned long)total_swap * (PAGE_SIZE / 1024));
	KT_STR_CONTAINS(log, want);
	snprintf(want, sizeof(want), "] Out of memory: Killed process %d (big)", big->pid);
	KT_STR_CONTAINS(log, want);
	/* big's row in the task table: some of it was on swap (swapents). */
	snprintf(want, sizeof(want), "] [%7d] ", big->pid);
	{
		const char *row = strstr(log, want);
		unsigned long f[8] = { 0 };

		KT_ASSERT(row);
		if (row)
			sscanf(row + strlen(want), "%lu %lu %lu %lu %lu %lu %lu %lu %lu", &f[0], &f[0],
			       &f[1], &f[2], &f[3], &f[4], &f[5], &f[6], &f[7]);
		KT_ASSERT(f[7] > 0);	/* swapents */
	}
	free(log);
	sys_exit_group(0);
	mmsim_advance_clock(m, 3000000000ULL);
	KT_ASSERT(oom_task_dead(big));
	/* Everything exited: every slot is free again. */
	KT_EQ(get_nr_swap_pages(), total_swap - (long)(global_node_page_state(NR_SWAPCACHE)));
	KT_ASSERT(swap_counts_are_valid(m));
	KT_ASSERT(oom_victims_are_valid(m));
	KT_ASSERT(mm_mapcounts_are_valid(m));
	put_task_struct(me);
	put_task_struct(big);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_swap_then_kill);
	return kt_done();
}
