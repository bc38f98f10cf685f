// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_oom_reaper.c - the OOM killer's other half: the OOM reaper
 * (work in virtual time, 2 s after the kill) takes a victim's anonymous
 * memory back while the victim still runs on another CPU, before it
 * exits; the victim's next user access returns -EINTR; sysrq f's manual
 * OOM kill with its log checked line by line against Linux's formats;
 * /proc/PID/oom_score, oom_score_adj and oom_adj; and determinism: the
 * same run twice gives the same log and /proc/vmstat, byte for byte.
 */
#include "oom_fixture.h"
#include <mmsim/swap.h>

#define SPEC "arch=x86_64 ram=64M cpus=2"

#define K(x) ((x) << (PAGE_SHIFT - 10))

/* @v runs on CPU 1 with @pages touched; the calling thread is back on CPU 0. */
static struct task_struct *victim_on_cpu1(struct mmsim *m, const char *comm, unsigned long pages)
{
	struct task_struct *v;

	KT_EQ(mmsim_enter(m, 1), 0);
	v = oom_spawn(m, comm);
	{
		unsigned long a = oom_map(pages * PAGE_SIZE);
		long ret;

		KT_EQ(oom_touch(a, pages, 'v', &ret), pages);
	}
	KT_EQ(mmsim_enter(m, 0), 0);
	KT_ASSERT(current == NULL || current != v);
	return v;
}

/* The allocator that finds the victim still running reaps it; it exits later. */
static void test_reaper_before_exit(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	unsigned long budget = global_zone_page_state(NR_FREE_PAGES), a;
	struct task_struct *v, *me;
	size_t mark = log_mark(m);
	char want[200], *log, c;
	long ret;

	v = victim_on_cpu1(m, "runner", budget / 2);
	me = oom_spawn(m, "filler");
	a = oom_map(budget / 2 * PAGE_SIZE);
	KT_EQ(oom_touch(a, budget / 2, 'f', &ret), budget / 2);
	KT_EQ(ret, 0);
	/* Killed, reaped, but not exited: it runs on CPU 1. */
	KT_ASSERT(fatal_signal_pending(v));
	KT_ASSERT(tsk_is_oom_victim(v));
	KT_EQ(v->exit_state, 0);
	KT_ASSERT(v->mm != NULL);
	KT_EQ(get_mm_counter(v->mm, MM_ANONPAGES), 0);
	KT_ASSERT(v->mm->flags & (1UL << MMF_OOM_SKIP));
	log = log_since(m, &mark);
	snprintf(want, sizeof(want), "] Out of memory: Killed process %d (runner) total-vm:", v->pid);
	KT_STR_CONTAINS(log, want);
	snprintf(want, sizeof(want),
		 "] oom_reaper: reaped process %d (runner), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n",
		 v->pid);
	KT_STR_CONTAINS(log, want);
	free(log);
	KT_ASSERT(oom_victims_are_valid(m));
	sys_exit_group(0);
	/* CPU 1: the victim's next access says it died. */
	KT_EQ(mmsim_enter(m, 1), 0);
	KT_ASSERT(current == v);
	KT_EQ(mmsim_user_read(a, &c, 1), -EINTR);
	KT_ASSERT(current == NULL);
	KT_EQ(v->exit_state != 0, 1);
	KT_EQ(WTERMSIG(v->exit_code), SIGKILL);
	KT_EQ(mmsim_enter(m, 0), 0);
	KT_ASSERT(oom_victims_are_valid(m));
	put_task_struct(me);
	put_task_struct(v);
	mmsim_shutdown(m);
}

/* Nobody waits: the reaper runs OOM_REAPER_DELAY (2 s) after the kill. */
static void test_reaper_timer(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	struct task_struct *v;
	size_t mark;
	char want[200], *log;
	unsigned long anon;

	v = victim_on_cpu1(m, "runner", 300);
	anon = get_mm_counter(v->mm, MM_ANONPAGES);
	KT_ASSERT(anon >= 300);
	mark = log_mark(m);
	KT_EQ(mmsim_write(m, "/proc/sysrq-trigger", "f"), 0);
	KT_ASSERT(fatal_signal_pending(v));
	mmsim_advance_clock(m, 1900000000ULL);
	KT_EQ(get_mm_counter(v->mm, MM_ANONPAGES), anon);	/* not yet */
	mmsim_advance_clock(m, 100000000ULL);
	KT_EQ(get_mm_counter(v->mm, MM_ANONPAGES), 0);
	KT_EQ(v->exit_state, 0);
	log = log_since(m, &mark);
	snprintf(want, sizeof(want),
		 "] oom_reaper: reaped process %d (runner), now anon-rss:0kB, file-rss:0kB, shmem-rss:0kB\n",
		 v->pid);
	KT_STR_CONTAINS(log, want);
	free(log);
	/* A second kill request while it is in flight (sysrq may) reaps nothing more. */
	KT_EQ(mmsim_enter(m, 1), 0);
	mmsim_switch_idle();
	KT_ASSERT(v->exit_state != 0);
	KT_EQ(mmsim_enter(m, 0), 0);
	put_task_struct(v);
	mmsim_shutdown(m);
}

/* Shared memory stays (shmem-rss); mlocked private memory is reaped and munlocked. */
static void test_reaper_shared_and_mlocked(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	struct task_struct *v;
	unsigned long sh, lk;
	size_t mark;
	char want[200], *log, *mi;
	long ret;

	KT_EQ(mmsim_enter(m, 1), 0);
	v = oom_spawn(m, "mixed");
	sh = sys_mmap(0, 50 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(sh));
	KT_EQ(oom_touch(sh, 50, 's', &ret), 50);
	lk = oom_map(100 * PAGE_SIZE);
	KT_EQ(sys_mlock(lk, 100 * PAGE_SIZE), 0);
	KT_EQ(oom_touch(oom_map(200 * PAGE_SIZE), 200, 'a', &ret), 200);
	KT_EQ(mmsim_enter(m, 0), 0);
	mi = mmsim_read(m, "/proc/meminfo");
	KT_ASSERT(field(mi, "Mlocked:") >= (long long)(100 * PAGE_SIZE / 1024));
	free(mi);
	mark = log_mark(m);
	KT_EQ(mmsim_write(m, "/proc/sysrq-trigger", "f"), 0);
	mmsim_advance_clock(m, 2000000000ULL);
	log = log_since(m, &mark);
	snprintf(want, sizeof(want),
		 "] oom_reaper: reaped process %d (mixed), now anon-rss:0kB, file-rss:0kB, shmem-rss:%lukB\n",
		 v->pid, 50 * PAGE_SIZE / 1024);
	KT_STR_CONTAINS(log, want);
	free(log);
	mi = mmsim_read(m, "/proc/meminfo");
	KT_EQ(field(mi, "Mlocked:"), 0);
	free(mi);
	KT_ASSERT(mm_mapcounts_are_valid(m));
	KT_ASSERT(lru_all_valid());
	KT_EQ(mmsim_enter(m, 1), 0);
	mmsim_switch_idle();
	KT_ASSERT(v->exit_state != 0);
	KT_EQ(mmsim_enter(m, 0), 0);
	put_task_struct(v);
	mmsim_shutdown(m);
}

/* The victim's mmap_lock held for good: ten tries, then Linux's give-up line. */
static void test_reaper_unable(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	struct task_struct *v = victim_on_cpu1(m, "locked", 100);
	struct mm_struct *mm = v->mm;
	size_t mark = log_mark(m);
	char want[160], *log;

	mmap_write_lock(mm);
	KT_EQ(mmsim_write(m, "/proc/sysrq-trigger", "f"), 0);
	mmsim_advance_clock(m, 2000000000ULL);
	mmap_write_unlock(mm);
	log = log_since(m, &mark);
	snprintf(want, sizeof(want), "] oom_reaper: unable to reap pid:%d (locked)\n", v->pid);
	KT_STR_CONTAINS(log, want);
	KT_ASSERT(!strstr(log, "oom_reaper: reaped"));
	free(log);
	KT_ASSERT(mm->flags & (1UL << MMF_OOM_SKIP));	/* hidden all the same */
	KT_ASSERT(get_mm_counter(mm, MM_ANONPAGES) >= 100);
	KT_ASSERT(oom_victims_are_valid(m));
	KT_EQ(mmsim_enter(m, 1), 0);
	mmsim_switch_idle();
	KT_ASSERT(v->exit_state != 0);
	KT_EQ(mmsim_enter(m, 0), 0);
	put_task_struct(v);
	mmsim_shutdown(m);
}

/* A victim that exits first leaves the reaper nothing: no reaper line. */
static void test_reaper_after_exit(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	struct task_struct *v;
	size_t mark;
	char *log;

	v = oom_proc(m, "quick", 200);
	mark = log_mark(m);
	KT_EQ(mmsim_write(m, "/proc/sysrq-trigger", "f"), 0);
	mmsim_advance_clock(m, 0);		/* it exits */
	KT_ASSERT(v->exit_state != 0);
	mmsim_advance_clock(m, 3000000000ULL);	/* the reaper's time passes */
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "Killed process");
	KT_ASSERT(!strstr(log, "oom_reaper:"));
	free(log);
	KT_ASSERT(oom_victims_are_valid(m));
	put_task_struct(v);
	mmsim_shutdown(m);
}

static void task_row(char *buf, size_t len, struct task_struct *t)
{
	struct mm_struct *mm = t->mm;

	snprintf(buf, len, "] [%7d] %5d %5d %8lu %8lu %8lu %8lu %9lu %8ld %8lu         %5hd %s\n",
		 t->pid, 0, t->pid, mm->total_vm, get_mm_rss(mm), get_mm_counter(mm, MM_ANONPAGES),
		 get_mm_counter(mm, MM_FILEPAGES), get_mm_counter(mm, MM_SHMEMPAGES),
		 (long)mm_pgtables_bytes(mm), get_mm_counter(mm, MM_SWAPENTS),
		 t->signal->oom_score_adj, t->comm);
}

/* sysrq f: Linux's lines, in Linux's order, byte for byte. */
static void test_sysrq_f_log(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	struct task_struct *a, *b, *keep;
	char row_a[200], row_b[200], row_k[200], killed[300], summary[200], *log;
	const char *p;
	size_t mark;

	a = oom_proc(m, "alpha", 100);
	b = oom_proc(m, "beta", 300);
	keep = oom_proc(m, "keep", 50);
	KT_EQ(oom_write_pid_file(m, keep, "oom_score_adj", "-1000"), 0);
	task_row(row_a, sizeof(row_a), a);
	task_row(row_b, sizeof(row_b), b);
	task_row(row_k, sizeof(row_k), keep);
	snprintf(killed, sizeof(killed),
		 "] Out of memory: Killed process %d (beta) total-vm:%lukB, anon-rss:%lukB, file-rss:%lukB, shmem-rss:%lukB, UID:0 pgtables:%lukB oom_score_adj:0\n",
		 b->pid, K(b->mm->total_vm), K(get_mm_counter(b->mm, MM_ANONPAGES)),
		 K(get_mm_counter(b->mm, MM_FILEPAGES)), K(get_mm_counter(b->mm, MM_SHMEMPAGES)),
		 mm_pgtables_bytes(b->mm) >> 10);
	snprintf(summary, sizeof(summary),
		 "] oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,mems_allowed=0,global_oom,task_memcg=/,task=beta,pid=%d,uid=0\n",
		 b->pid);
	mark = log_mark(m);
	KT_EQ(mmsim_write(m, "/proc/sysrq-trigger", "f\n"), 0);
	log = log_since(m, &mark);
	/* Each line after the one before. */
	p = log;
	{
		const char *lines[] = {
			"] sysrq: Manual OOM execution\n",
			"] kworker/0:1 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=-1, oom_score_adj=0\n",
			"] Mem-Info:\n",
			"] Total swap = 0kB\n",
			"] Tasks state (memory values in pages):\n",
			"] [  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents oom_score_adj name\n",
			row_a, row_b, row_k, summary, killed,
		};

		for (size_t i = 0; i < ARRAY_SIZE(lines); i++) {
			const char *q = p ? strstr(p, lines[i]) : NULL;

			if (!q)
				fprintf(stderr, "missing or out of order: %s", lines[i]);
			KT_ASSERT(q);
			p = q ? q + strlen(lines[i]) : p;
		}
	}
	KT_EQ(sum_vm_event(OOM_KILL), 1);
	free(log);
	/* In flight until the next tick; sysrq kills again regardless. */
	KT_ASSERT(fatal_signal_pending(b) && b->exit_state == 0);
	mmsim_advance_clock(m, 0);
	KT_ASSERT(b->exit_state != 0);
	KT_EQ(mmsim_write(m, "/proc/sysrq-trigger", "f"), 0);
	mmsim_advance_clock(m, 0);
	KT_ASSERT(a->exit_state != 0);
	/* Only keep (-1000) is left: the header, no kill, no panic for sysrq. */
	mark = log_mark(m);
	KT_EQ(mmsim_write(m, "/proc/sysrq-trigger", "f"), 0);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "] Out of memory and no killable processes...\n");
	KT_STR_CONTAINS(log, "] sysrq: OOM request ignored. No task eligible\n");
	free(log);
	KT_ASSERT(!mmsim_halted(m));
	KT_ASSERT(keep->exit_state == 0);
	KT_EQ(sum_vm_event(OOM_KILL), 2);
	{
		char *vm = mmsim_read(m, "/proc/vmstat");

		KT_STR_CONTAINS(vm, "\noom_kill 2\n");
		free(vm);
	}
	put_task_struct(a);
	put_task_struct(b);
	put_task_struct(keep);
	mmsim_shutdown(m);
}

/* /proc/PID/oom_score, oom_score_adj, oom_adj (LINUX-FACTS §2.11). */
static void test_proc_files(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	unsigned long total = (unsigned long)atomic_long_read(&m->totalram_pages);
	struct task_struct *t = oom_proc(m, "knobs", 1000), *child;
	long badness, score;
	size_t mark;
	char *log, want[160];

	KT_EQ(oom_totalpages(), total);
	badness = oom_badness(t, total);
	KT_EQ(badness, (long)(get_mm_rss(t->mm) + mm_pgtables_bytes(t->mm) / PAGE_SIZE));
	score = oom_read_pid_file(m, t, "oom_score");
	KT_EQ(score, (1000 + badness * 1000 / (long)total) * 2 / 3);
	KT_ASSERT(score >= 666);
	KT_EQ(oom_read_pid_file(m, t, "oom_score_adj"), 0);
	KT_EQ(oom_write_pid_file(m, t, "oom_score_adj", "1001"), -EINVAL);
	KT_EQ(oom_write_pid_file(m, t, "oom_score_adj", "-1001"), -EINVAL);
	KT_EQ(oom_write_pid_file(m, t, "oom_score_adj", "abc"), -EINVAL);
	KT_EQ(oom_write_pid_file(m, t, "oom_score_adj", "-1000"), 0);
	KT_EQ(oom_read_pid_file(m, t, "oom_score"), 0);
	KT_EQ(oom_badness(t, total), LONG_MIN);
	KT_EQ(oom_read_pid_file(m, t, "oom_adj"), -17);
	KT_EQ(oom_write_pid_file(m, t, "oom_score_adj", "500"), 0);
	KT_EQ(oom_badness(t, total), badness + 500 * (long)(total / 1000));
	/* The legacy scale: 9 -> 529 -> reads back 8; 15 <-> 1000; -17 <-> -1000. */
	mark = log_mark(m);
	KT_EQ(oom_write_pid_file(m, t, "oom_adj", "9"), 0);
	KT_EQ(oom_read_pid_file(m, t, "oom_score_adj"), 529);
	KT_EQ(oom_read_pid_file(m, t, "oom_adj"), 8);
	log = log_since(m, &mark);
	snprintf(want, sizeof(want),
		 "/proc/%d/oom_adj is deprecated, please use /proc/%d/oom_score_adj instead.\n", t->pid,
		 t->pid);
	KT_STR_CONTAINS(log, want);
	free(log);
	KT_EQ(oom_write_pid_file(m, t, "oom_adj", "15"), 0);
	KT_EQ(oom_read_pid_file(m, t, "oom_score_adj"), 1000);
	KT_EQ(oom_read_pid_file(m, t, "oom_adj"), 15);
	KT_EQ(oom_write_pid_file(m, t, "oom_adj", "16"), -EINVAL);
	KT_EQ(oom_write_pid_file(m, t, "oom_adj", "-18"), -EINVAL);
	KT_EQ(oom_write_pid_file(m, t, "oom_adj", "-17"), 0);
	KT_EQ(oom_read_pid_file(m, t, "oom_score_adj"), -1000);
	/* Inherited on fork. */
	KT_EQ(mmsim_switch_to(t), 0);
	{
		long pid = sys_fork();

		KT_ASSERT(pid > 0);
		child = find_task_by_vpid((pid_t)pid);
		KT_ASSERT(child);
		if (child)
			KT_EQ(oom_read_pid_file(m, child, "oom_score_adj"), -1000);
	}
	/* init: never; its score 0. */
	{
		char *s = mmsim_read(m, "/proc/1/oom_score");

		KT_ASSERT(s && !strcmp(s, "0\n"));
		free(s);
	}
	sys_exit_group(0);
	put_task_struct(t);
	mmsim_shutdown(m);
}

/* One scenario: fill, kill, reap, exit; the log and vmstat it leaves. */
static void scenario(char **log, char **vmstat)
{
	struct mmsim *m = boot_or_die(SPEC);
	unsigned long budget = global_zone_page_state(NR_FREE_PAGES), a;
	struct task_struct *t1, *t2, *me;
	size_t mark = 0;
	long ret;

	t1 = oom_proc(m, "one", budget / 2);
	t2 = oom_proc(m, "two", budget / 4);
	me = oom_spawn(m, "filler");
	a = oom_map(budget * PAGE_SIZE);
	oom_touch(a, budget, 'd', &ret);
	KT_EQ(ret, -EINTR);
	mmsim_advance_clock(m, 5000000000ULL);
	*log = log_since(m, &mark);
	*vmstat = mmsim_read(m, "/proc/vmstat");
	put_task_struct(t1);
	put_task_struct(t2);
	put_task_struct(me);
	mmsim_shutdown(m);
}

static void test_determinism(void)
{
	char *log1, *log2, *vm1, *vm2;

	scenario(&log1, &vm1);
	scenario(&log2, &vm2);
	KT_ASSERT(log1 && log2 && !strcmp(log1, log2));
	KT_ASSERT(vm1 && vm2 && !strcmp(vm1, vm2));
	KT_STR_CONTAINS(vm1, "\noom_kill 2\n");	/* one, then the filler */
	free(log1);
	free(log2);
	free(vm1);
	free(vm2);
}

int main(void)
{
	KT_RUN(test_reaper_before_exit);
	KT_RUN(test_reaper_timer);
	KT_RUN(test_reaper_shared_and_mlocked);
	KT_RUN(test_reaper_unable);
	KT_RUN(test_reaper_after_exit);
	KT_RUN(test_sysrq_f_log);
	KT_RUN(test_proc_files);
	KT_RUN(test_determinism);
	return kt_done();
}
