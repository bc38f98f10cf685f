// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_task.c - simulated tasks (kernel/): init, pids as Linux
 * allocates them (sequence, pid_max, wrap-around to RESERVED_PIDS, no
 * reuse while a zombie holds one, -EAGAIN when full), spawn, the context
 * switch (current, ASIDs/PCIDs, lazy TLB, -EBUSY, -ESRCH), exit and
 * zombies, wait4's statuses and errors, kill's default actions (on a task
 * running nowhere and on current; on a task running on another CPU:
 * tests/test_task_mt.c), reparenting to init, and the /proc/PID files'
 * formats.
 */
#include <limits.h>
#include <regex.h>
#include <sys/resource.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include <mmsim/mmu.h>
#include "arch/pgtable.h"
#include "kernel/internal.h"
#include "mmtest.h"

static bool mmread_ok(struct mmsim *m, int pid);

static char *rd(struct mmsim *m, const char *fmt, int pid)
{
	char path[64];

	snprintf(path, sizeof(path), fmt, pid);
	return mmsim_read(m, path);
}

static int wr(struct mmsim *m, const char *fmt, int pid, const char *text)
{
	char path[64];

	snprintf(path, sizeof(path), fmt, pid);
	return mmsim_write(m, path, text);
}

/* The line of @text that starts with @label, without the newline ("" if none). */
static const char *line_of(const char *text, const char *label, char *buf, size_t len)
{
	const char *p = text;
	size_t n = strlen(label);

	buf[0] = '\0';
	while (p && *p) {
		if (!strncmp(p, label, n)) {
			size_t l = strcspn(p, "\n");

			snprintf(buf, len, "%.*s", (int)l, p);
			break;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return buf;
}

static bool matches(const char *text, const char *re)
{
	regex_t r;
	bool ok;

	if (regcomp(&r, re, REG_EXTENDED | REG_NOSUB | REG_NEWLINE))
		return false;
	ok = !regexec(&r, text, 0, NULL, 0);
	regfree(&r);
	return ok;
}

/* A spawned driver process, current on CPU 0. */
static struct task_struct *driver(struct mmsim *m, const char *comm)
{
	struct task_struct *t = mmsim_spawn(m, comm);

	KT_ASSERT(t);
	if (t)
		KT_EQ(mmsim_switch_to(t), 0);
	return t;
}

/* current forks; the child's task. */
static struct task_struct *fork_child(void)
{
	long pid = sys_fork();

	KT_ASSERT(pid > 0);
	return pid > 0 ? find_task_by_vpid((pid_t)pid) : NULL;
}

static void test_init(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=2");
	struct task_struct *init = find_task_by_vpid(1);
	char *s, buf[128], exp[2048];

	KT_ASSERT(init);
	KT_ASSERT(!current);
	KT_ASSERT(init && !init->mm && !strcmp(init->comm, "init"));
	KT_ASSERT(!find_task_by_vpid(2));
	s = mmsim_read(m, "/proc/1/status");
	KT_ASSERT(s);
	KT_STR_CONTAINS(s, "Name:\tinit\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t1\nNgid:\t0\n"
			   "Pid:\t1\nPPid:\t0\nTracerPid:\t0\n");
	KT_ASSERT(s && !strstr(s, "VmSize"));
	KT_STR_CONTAINS(s, "Kthread:\t0\nThreads:\t1\n");
	free(s);
	/* The whole file, for a task without mm on a 2-CPU x86_64 machine. */
	snprintf(exp, sizeof(exp),
		 "Name:\tinit\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t1\nNgid:\t0\nPid:\t1\n"
		 "PPid:\t0\nTracerPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nFDSize:\t64\n"
		 "Groups:\t \nNStgid:\t1\nNSpid:\t1\nNSpgid:\t1\nNSsid:\t1\nKthread:\t0\n"
		 "Threads:\t1\nSigQ:\t0/%lu\nSigPnd:\t0000000000000000\nShdPnd:\t0000000000000000\n"
		 "SigBlk:\t0000000000000000\nSigIgn:\t0000000000000000\nSigCgt:\t0000000000000000\n"
		 "CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\nCapEff:\t000001ffffffffff\n"
		 "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\nNoNewPrivs:\t0\n"
		 "Seccomp:\t0\nSeccomp_filters:\t0\nSpeculation_Store_Bypass:\tthread vulnerable\n"
		 "SpeculationIndirectBranch:\tconditional enabled\nCpus_allowed:\t3\n"
		 "Cpus_allowed_list:\t0-1\nMems_allowed:\t00000000,00000001\n"
		 "Mems_allowed_list:\t0\nvoluntary_ctxt_switches:\t0\n"
		 "nonvoluntary_ctxt_switches:\t0\nx86_Thread_features:\t\n"
		 "x86_Thread_features_locked:\t\n",
		 init ? init->signal->rlim[11].rlim_cur : 0UL);
	s = mmsim_read(m, "/proc/1/status");
	KT_ASSERT(s && !strcmp(s, exp));
	free(s);
	s = mmsim_read(m, "/proc/1/stat");
	KT_ASSERT(s && !strcmp(s, "1 (init) S 0 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 0 0 0 "
				  "18446744073709551615 0 0 0 0 0 0 0 0 0 1 0 0 17 0 0 0 0 0 0 "
				  "0 0 0 0 0 0 0 0\n"));
	free(s);
	s = mmsim_read(m, "/proc/1/statm");
	KT_ASSERT(s && !strcmp(s, "0 0 0 0 0 0 0\n"));
	free(s);
	s = mmsim_read(m, "/proc/1/stat");
	KT_ASSERT(s && !strncmp(s, "1 (init) S 0 1 1 0 -1 ", 22));
	free(s);
	s = mmsim_read(m, "/proc/stat");
	KT_STR_CONTAINS(s, "\nprocesses 1\nprocs_running 1\n");
	KT_STR_CONTAINS(s, "\nctxt 0\n");
	free(s);
	s = mmsim_read(m, "/proc/sys/kernel/pid_max");
	KT_ASSERT(s && !strcmp(s, "32768\n"));
	free(s);
	KT_ASSERT(!mmsim_read(m, "/proc/2/status") && errno == ENOENT);
	KT_ASSERT(!mmsim_read(m, "/proc/01/status") && errno == ENOENT);
	KT_ASSERT(!mmsim_read(m, "/proc/self/status") && errno == ENOENT);
	(void)line_of;
	(void)buf;
	mmsim_shutdown(m);
}

static void test_pid_sequence(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	struct task_struct *a = mmsim_spawn(m, "a"), *b = mmsim_spawn(m, "b");
	char *s;

	KT_ASSERT(a && b);
	if (!a || !b)
		goto out;
	KT_EQ(a->pid, 2);
	KT_EQ(b->pid, 3);
	KT_EQ(a->tgid, a->pid);
	KT_EQ(a->real_parent->pid, 1);
	KT_ASSERT(a->mm && a->mm != b->mm);
	KT_ASSERT(!current);
	KT_EQ(a->signal->rlim[RLIMIT_STACK].rlim_cur, 8UL << 20);
	KT_EQ(a->signal->rlim[RLIMIT_MEMLOCK].rlim_cur, 8UL << 20);
	KT_EQ(a->signal->rlim[RLIMIT_CORE].rlim_cur, 0);
	KT_EQ(a->signal->rlim[RLIMIT_AS].rlim_cur, RLIM_INFINITY_UL);
	KT_EQ(a->regs.sp, a->mm->start_stack);
	/* A name longer than 15 bytes is cut, as TASK_COMM_LEN does. */
	b = mmsim_spawn(m, "a-very-long-program-name");
	KT_ASSERT(b && !strcmp(b->comm, "a-very-long-pro"));
	KT_EQ(b ? b->pid : 0, 4);
	s = mmsim_read(m, "/proc/stat");
	KT_STR_CONTAINS(s, "\nprocesses 4\n");
	free(s);
	KT_ASSERT(!mmsim_spawn(m, NULL) && errno == EINVAL);
	/* next_task_of walks by creation, and past a task reaped meanwhile. */
	KT_ASSERT(next_task_of(m, NULL)->pid == 1);
	KT_ASSERT(next_task_of(m, next_task_of(m, NULL)) == a);
	KT_EQ(mmsim_switch_to(b), 0);
	KT_EQ(sys_kill(a->pid, SIGKILL), 0);		/* init reaps it at once */
	KT_ASSERT(next_task_of(m, a) && next_task_of(m, a)->pid == 3);
	/* The checker catches a broken invariant (and logs it). */
	KT_ASSERT(tasks_are_valid(m));
	b->on_cpu = -1;
	KT_ASSERT(!tasks_are_valid(m));
	b->on_cpu = 0;
out:
	KT_ASSERT(tasks_are_valid(m));
	mmsim_shutdown(m);
}

/* Spawn and kill until the last pid handed out is @last. */
static void burn_pids_to(struct mmsim *m, int last)
{
	for (;;) {
		struct task_struct *t = mmsim_spawn(m, "burn");

		KT_ASSERT(t);
		if (!t)
			return;
		KT_EQ(sys_kill(t->pid, SIGKILL), 0);
		if (t->pid == last)
			return;
	}
}

static void test_pid_max_wrap(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=2");
	struct task_struct *d, *z, *t, *hold[100];
	int st, n;

	KT_EQ(mmsim_write(m, "/proc/sys/kernel/pid_max", "300"), -EINVAL);	/* min 301 */
	KT_EQ(mmsim_write(m, "/proc/sys/kernel/pid_max", "4194305"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/kernel/pid_max", "400"), 0);
	d = driver(m, "driver");		/* pid 2 */
	if (!d)
		goto out;
	burn_pids_to(m, 299);
	z = fork_child();			/* pid 300, a zombie-to-be */
	KT_EQ(z ? z->pid : 0, 300);
	KT_EQ(mmsim_switch_to(z), 0);
	sys_exit_group(0);
	KT_ASSERT(!current);
	KT_EQ(z->exit_state, EXIT_ZOMBIE);
	KT_EQ(mmsim_switch_to(d), 0);
	burn_pids_to(m, 399);
	/* Wrap: the bottom is RESERVED_PIDS (300), held by the zombie. */
	t = mmsim_spawn(m, "wrapped");
	KT_EQ(t ? t->pid : 0, 301);
	KT_EQ(sys_wait4(300, &st, 0, NULL), 300);
	KT_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	burn_pids_to(m, 399);
	t = mmsim_spawn(m, "reused");
	KT_EQ(t ? t->pid : 0, 300);
	/* Fill every pid of 300..399 but the driver's 2: then -EAGAIN. */
	n = 0;
	for (int i = 0; i < 100; i++) {
		hold[i] = mmsim_spawn(m, "hold");
		if (!hold[i])
			break;
		n++;
	}
	KT_EQ(n, 98);				/* 302..399: 300 and 301 are taken */
	KT_ASSERT(!mmsim_spawn(m, "none") && errno == EAGAIN);
	KT_EQ(sys_fork(), -EAGAIN);
	/* Lowering pid_max leaves given pids alone. */
	KT_EQ(mmsim_write(m, "/proc/sys/kernel/pid_max", "350"), 0);
	KT_ASSERT(find_task_by_vpid(399) != NULL);
	KT_EQ(sys_kill(399, SIGKILL), 0);
	KT_ASSERT(!mmsim_spawn(m, "over") && errno == EAGAIN);
	KT_EQ(sys_kill(320, SIGKILL), 0);
	t = mmsim_spawn(m, "under");
	KT_EQ(t ? t->pid : 0, 320);
out:
	KT_ASSERT(tasks_are_valid(m));
	mmsim_shutdown(m);
}

static void test_switch(const char *spec)
{
	struct mmsim *m = boot_or_die(spec);
	struct task_struct *a = mmsim_spawn(m, "a"), *b = mmsim_spawn(m, "b");
	struct task_struct *init = find_task_by_vpid(1);
	struct tlb_stats s0, s1;
	u32 ctx_a, ctx_b;
	int count;
	char *s;

	kt_begin(spec);
	KT_ASSERT(a && b);
	if (!a || !b)
		goto out;
	tlb_get_stats(m, 0, &s0);
	KT_EQ(mmsim_switch_to(a), 0);
	KT_ASSERT(current == a);
	KT_EQ(a->on_cpu, 0);
	KT_ASSERT(mmu_active_mm() == a->mm && a->active_mm == a->mm);
	KT_ASSERT(mm_cpumask_test_cpu(0, mm_cpumask(a->mm)));
	KT_EQ(sys_getpid(), a->pid);
	KT_EQ(sys_getppid(), 1);
	ctx_a = this_mmu_cpu()->ctx;
	KT_EQ(mmsim_switch_to(b), 0);
	ctx_b = this_mmu_cpu()->ctx;
	KT_ASSERT(current == b && a->on_cpu == -1);
	KT_ASSERT(mmu_active_mm() == b->mm);
	if (current_layout->arch == ARCH_ARM64) {
		KT_ASSERT(atomic_load(&a->mm->context.id) && atomic_load(&b->mm->context.id));
		KT_ASSERT((atomic_load(&a->mm->context.id) & 0xffff) !=
			  (atomic_load(&b->mm->context.id) & 0xffff));
	}
	if (current_layout->arch != ARCH_I386 && current_layout->arch != ARCH_I386_PAE)
		KT_ASSERT(ctx_a != ctx_b);	/* different ASIDs / PCIDs */
	tlb_get_stats(m, 0, &s1);
	KT_EQ(s1.ctx_switches, s0.ctx_switches + 2);
	KT_EQ(a->nivcsw, 1);
	/* Lazy TLB: init has no mm and borrows b's; b's mm_count holds it. */
	count = atomic_read(&b->mm->mm_count);
	KT_EQ(mmsim_switch_to(init), 0);
	KT_ASSERT(mmu_active_mm() == b->mm && init->active_mm == b->mm);
	KT_EQ(atomic_read(&b->mm->mm_count), count + 1);
	KT_EQ(mmsim_switch_to(a), 0);
	KT_ASSERT(!init->active_mm);
	KT_EQ(atomic_read(&b->mm->mm_count), count - 1);	/* the CPU's went too */
	KT_EQ(this_mmu_cpu()->ctx, ctx_a);
	/* Idle: current NULL, the mm stays loaded. */
	mmsim_switch_idle();
	KT_ASSERT(!current && mmu_active_mm() == a->mm);
	KT_EQ(a->nvcsw, 1);
	s = mmsim_read(m, "/proc/stat");
	KT_STR_CONTAINS(s, "\nctxt 5\n");
	free(s);
	KT_EQ(mmsim_switch_to(NULL), -EINVAL);
out:
	KT_ASSERT(tasks_are_valid(m));
	kt_end();
	mmsim_shutdown(m);
}

static void test_exit_wait(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	struct task_struct *d = driver(m, "parent"), *c, *c2;
	struct rusage ru;
	int st = -1;
	char *s;

	if (!d)
		goto out;
	KT_EQ(sys_wait4(-1, &st, 0, NULL), -ECHILD);
	c = fork_child();
	KT_ASSERT(c && c->real_parent == d && c->mm && c->mm != d->mm);
	KT_ASSERT(current == d);
	KT_EQ(sys_wait4(-1, &st, WNOHANG, NULL), 0);
	KT_EQ(sys_wait4(-1, &st, 0, NULL), -EDEADLK);	/* Linux would sleep forever */
	KT_EQ(sys_wait4(-1, &st, WNOWAIT, NULL), -EINVAL);
	KT_EQ(sys_wait4(-1, &st, __WCLONE, NULL), -ECHILD);
	KT_EQ(sys_wait4(c->pid + 100, &st, WNOHANG, NULL), -ECHILD);
	KT_EQ(mmsim_switch_to(c), 0);
	KT_EQ(sys_getppid(), d->pid);
	c->min_flt = 7;
	sys_exit_group(3);
	KT_ASSERT(!current);
	KT_EQ(c->exit_state, EXIT_ZOMBIE);
	KT_ASSERT(!c->mm);
	KT_EQ(mmsim_switch_to(c), -ESRCH);
	s = rd(m, "/proc/%d/status", c->pid);
	KT_STR_CONTAINS(s, "State:\tZ (zombie)\n");
	KT_ASSERT(s && !strstr(s, "Umask") && !strstr(s, "VmRSS"));
	KT_STR_CONTAINS(s, "FDSize:\t0\n");
	free(s);
	s = rd(m, "/proc/%d/stat", c->pid);
	KT_ASSERT(s && matches(s, " Z [0-9]+ .* 768\n$"));
	free(s);
	KT_EQ(mmsim_switch_to(d), 0);
	KT_EQ(sys_wait4(c->pid, &st, WNOHANG, &ru), c->pid);
	KT_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 3 && !WIFSIGNALED(st));
	KT_EQ(ru.ru_minflt, 7);
	KT_EQ(d->signal->cmin_flt, 7);
	KT_EQ(sys_wait4(-1, &st, WNOHANG, NULL), -ECHILD);
	KT_ASSERT(!find_task_by_vpid(c->pid));
	KT_EQ(mmsim_switch_to(c), -ESRCH);	/* reaped: still -ESRCH */
	/* wait4(0): the caller's process group; < -1: group -pid. */
	c2 = fork_child();
	KT_EQ(sys_kill(c2->pid, SIGTERM), 0);
	KT_EQ(sys_wait4(-(d->pid + 1000), &st, 0, NULL), -ECHILD);
	KT_EQ(sys_wait4(-d->pid, NULL, 0, NULL), c2->pid);
	c2 = fork_child();
	KT_EQ(sys_kill(c2->pid, SIGTERM), 0);
	KT_EQ(sys_wait4(0, &st, 0, NULL), c2->pid);
	/* Exiting: the CPU runs no task; syscalls then say -ESRCH. */
	sys_exit_group(0);
	KT_ASSERT(!current);
	KT_EQ(sys_fork(), -ESRCH);
	KT_EQ(sys_wait4(-1, NULL, 0, NULL), -ESRCH);
	KT_EQ(sys_kill(1, 0), -ESRCH);
	KT_ASSERT(!find_task_by_vpid(d->pid));		/* init reaped it */
out:
	KT_ASSERT(tasks_are_valid(m));
	mmsim_shutdown(m);
}

/* Kill a forked child with @sig; its wait status, or -1 if it lives on. */
static int kill_status(int sig)
{
	struct task_struct *c = fork_child();
	int st = -1;

	if (!c)
		return -2;
	KT_EQ(sys_kill(c->pid, sig), 0);
	if (!c->exit_state) {
		KT_EQ(sys_kill(c->pid, SIGKILL), 0);
		KT_EQ(sys_wait4(c->pid, NULL, 0, NULL), c->pid);
		return -1;
	}
	KT_EQ(c->exit_state, EXIT_ZOMBIE);
	KT_ASSERT(!c->mm);
	KT_EQ(sys_wait4(c->pid, &st, 0, NULL), c->pid);
	return st;
}

static void test_kill_defaults(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	struct task_struct *d = driver(m, "killer"), *c, *init = find_task_by_vpid(1);
	int st;

	if (!d)
		goto out;
	KT_EQ(kill_status(SIGKILL), SIGKILL);
	KT_EQ(kill_status(SIGTERM), SIGTERM);
	KT_EQ(kill_status(SIGINT), SIGINT);
	KT_EQ(kill_status(SIGUSR1), SIGUSR1);
	KT_EQ(kill_status(40), 40);			/* real-time: terminate */
	st = kill_status(SIGSEGV);
	KT_EQ(st, SIGSEGV);				/* RLIMIT_CORE 0: no 0x80 */
	KT_ASSERT(WIFSIGNALED(st) && !WCOREDUMP(st) && WTERMSIG(st) == SIGSEGV);
	KT_EQ(kill_status(SIGBUS), SIGBUS);
	KT_EQ(kill_status(SIGCHLD), -1);		/* ignored */
	KT_EQ(kill_status(SIGCONT), -1);
	KT_EQ(kill_status(28), -1);			/* SIGWINCH */
	KT_EQ(kill_status(SIGSTOP), -1);		/* no stopped state: dropped */
	KT_EQ(kill_status(0), -1);			/* existence check */
	KT_EQ(sys_kill(d->pid + 5000, SIGTERM), -ESRCH);
	KT_EQ(sys_kill(d->pid, 65), -EINVAL);
	KT_EQ(sys_kill(d->pid, -1), -EINVAL);
	KT_EQ(sys_kill(INT_MIN, SIGTERM), -ESRCH);
	/* init ignores signals whose handler is SIG_DFL. */
	KT_EQ(sys_kill(1, SIGKILL), 0);
	KT_ASSERT(!init->exit_state && !fatal_signal_pending(init));
	/* A zombie may be signalled: 0, nothing happens. */
	c = fork_child();
	KT_EQ(sys_kill(c->pid, SIGTERM), 0);
	KT_EQ(sys_kill(c->pid, SIGKILL), 0);
	KT_EQ(sys_wait4(c->pid, &st, 0, NULL), c->pid);
	KT_EQ(st, SIGTERM);
	/* kill(-1): everyone but init and the caller. */
	c = fork_child();
	KT_EQ(sys_kill(-1, SIGTERM), 0);
	KT_EQ(c->exit_state, EXIT_ZOMBIE);
	KT_ASSERT(current == d);
	KT_EQ(sys_wait4(-1, NULL, 0, NULL), c->pid);
	KT_EQ(sys_kill(-1, SIGTERM), -ESRCH);		/* nobody left */
	KT_EQ(sys_kill(-12345, SIGTERM), -ESRCH);	/* no such group */
	/* Killing itself: before kill returns, current is gone. */
	KT_EQ(sys_kill(d->pid, SIGTERM), 0);
	KT_ASSERT(!current);
	KT_ASSERT(!find_task_by_vpid(d->pid));
	KT_EQ(d->exit_code, SIGTERM);
	KT_ASSERT(d->flags & PF_SIGNALED);
out:
	KT_ASSERT(tasks_are_valid(m));
	mmsim_shutdown(m);
}

/* The default action of a fault signal taken at exit_to_user_mode. */
static void test_fault_signal(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	struct task_struct *d = driver(m, "parent"), *c;
	int st;

	if (!d)
		goto out;
	c = fork_child();
	KT_EQ(mmsim_switch_to(c), 0);
	KT_EQ(force_sig_fault(SIGSEGV, SEGV_MAPERR, 0x1234), 0);
	KT_ASSERT(current == c && !fatal_signal_pending(c));
	KT_EQ(exit_to_user_mode(), SIGSEGV);
	KT_ASSERT(!current);
	KT_EQ(exit_to_user_mode(), 0);
	KT_EQ(mmsim_switch_to(d), 0);
	KT_EQ(sys_wait4(c->pid, &st, 0, NULL), c->pid);
	KT_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV && !WCOREDUMP(st));
	/* An ignored signal pending is dropped on the way out. */
	force_sig(SIGCHLD);
	KT_EQ(exit_to_user_mode(), 0);
	KT_ASSERT(current == d && !d->pending.sig);
	/* send_sig from the kernel to current: acted on before it returns. */
	KT_EQ(send_sig(SIGBUS, d, 1), 0);
	KT_ASSERT(!current && d->exit_code == SIGBUS);
out:
	KT_ASSERT(tasks_are_valid(m));
	mmsim_shutdown(m);
}

static void test_reparent(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	struct task_struct *d = driver(m, "grandpa"), *c, *g;
	char *s;

	if (!d)
		goto out;
	c = fork_child();
	KT_EQ(mmsim_switch_to(c), 0);
	g = fork_child();
	KT_ASSERT(g && g->real_parent == c);
	/* c exits: g goes to init. */
	sys_exit_group(1);
	KT_EQ(g->real_parent->pid, 1);
	s = rd(m, "/proc/%d/status", g->pid);
	KT_STR_CONTAINS(s, "\nPPid:\t1\n");
	free(s);
	/* init reaps its children at once. */
	KT_EQ(mmsim_switch_to(g), 0);
	sys_exit_group(0);
	KT_ASSERT(!find_task_by_vpid(g->pid));
	KT_ASSERT(!mmread_ok(m, g->pid));
	/* c is still d's zombie. */
	KT_EQ(c->exit_state, EXIT_ZOMBIE);
	KT_EQ(mmsim_switch_to(d), 0);
	KT_EQ(sys_wait4(-1, NULL, 0, NULL), c->pid);
	/* A zombie whose parent exits is reaped by init at once. */
	c = fork_child();
	KT_EQ(mmsim_switch_to(c), 0);
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(d), 0);
	KT_EQ(c->exit_state, EXIT_ZOMBIE);
	sys_exit_group(0);
	KT_ASSERT(!find_task_by_vpid(c->pid) && !find_task_by_vpid(d->pid));
out:
	KT_ASSERT(tasks_are_valid(m));
	mmsim_shutdown(m);
}

/* ---------------------------------------------------------------------
 * /proc/PID files
 */

static bool mmread_ok(struct mmsim *m, int pid)
{
	char *s = rd(m, "/proc/%d/status", pid);
	bool ok = s != NULL;

	free(s);
	return ok;
}

static void test_proc_status(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=2");
	struct task_struct *t = mmsim_spawn(m, "prog");
	static const char *const order[] = {
		"Name", "Umask", "State", "Tgid", "Ngid", "Pid", "PPid", "TracerPid", "Uid", "Gid",
		"FDSize", "Groups", "NStgid", "NSpid", "NSpgid", "NSsid", "Kthread", "VmPeak",
		"VmSize", "VmLck", "VmPin", "VmHWM", "VmRSS", "RssAnon", "RssFile", "RssShmem",
		"VmData", "VmStk", "VmExe", "VmLib", "VmPTE", "VmSwap", "HugetlbPages",
		"CoreDumping", "THP_enabled", "untag_mask", "Threads", "SigQ", "SigPnd", "ShdPnd",
		"SigBlk", "SigIgn", "SigCgt", "CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb",
		"NoNewPrivs", "Seccomp", "Seccomp_filters", "Speculation_Store_Bypass",
		"SpeculationIndirectBranch", "Cpus_allowed", "Cpus_allowed_list", "Mems_allowed",
		"Mems_allowed_list", "voluntary_ctxt_switches", "nonvoluntary_ctxt_switches",
		"x86_Thread_features", "x86_Thread_features_locked",
	};
	char *s, *p, buf[160], exp[160];
	size_t i = 0;

	if (!t)
		goto out;
	s = rd(m, "/proc/%d/status", t->pid);
	KT_ASSERT(s);
	if (!s)
		goto out;
	for (p = s; *p && i < ARRAY_SIZE(order); i++) {
		size_t n = strlen(order[i]);

		KT_EQ_WHAT(strncmp(p, order[i], n) == 0 && p[n] == ':', 1, "line %zu (%s)", i,
			   order[i]);
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
	}
	KT_EQ(i, ARRAY_SIZE(order));
	KT_ASSERT(p && !*p);
	KT_STR_CONTAINS(s, "Groups:\t \nNStgid:\t2\nNSpid:\t2\nNSpgid:\t2\nNSsid:\t2\n");
	KT_STR_CONTAINS(s, "State:\tS (sleeping)\n");
	KT_STR_CONTAINS(s, "CapEff:\t000001ffffffffff\n");
	KT_STR_CONTAINS(s, "SigPnd:\t0000000000000000\n");
	KT_STR_CONTAINS(s, "Cpus_allowed:\t3\nCpus_allowed_list:\t0-1\n");
	KT_STR_CONTAINS(s, "Mems_allowed:\t00000000,00000001\nMems_allowed_list:\t0\n");
	KT_STR_CONTAINS(s, "untag_mask:\t0xffffffffffffffff\n");
	snprintf(exp, sizeof(exp), "VmSize:\t%8lu kB", t->mm->total_vm << (PAGE_SHIFT - 10));
	KT_ASSERT(!strcmp(line_of(s, "VmSize:", buf, sizeof(buf)), exp));
	snprintf(exp, sizeof(exp), "VmStk:\t%8lu kB", t->mm->stack_vm << (PAGE_SHIFT - 10));
	KT_ASSERT(!strcmp(line_of(s, "VmStk:", buf, sizeof(buf)), exp));
	KT_ASSERT(matches(s, "^VmRSS:\t +[0-9]+ kB$"));
	KT_ASSERT(matches(s, "^HugetlbPages:\t +0 kB$"));
	free(s);
	KT_EQ(mmsim_switch_to(t), 0);
	s = mmsim_read(m, "/proc/self/status");
	KT_STR_CONTAINS(s, "Name:\tprog\n");
	KT_STR_CONTAINS(s, "State:\tR (running)\n");
	free(s);
out:
	KT_ASSERT(tasks_are_valid(m));
	mmsim_shutdown(m);
}

static int count_fields(const char *s)
{
	int n = 0;
	bool in = false;

	s = strrchr(s, ')');	/* comm may hold spaces */
	if (!s)
		return -1;
	n = 2;
	for (s++; *s; s++) {
		if (*s != ' ' && *s != '\n' && !in) {
			n++;
			in = true;
		} else if (*s == ' ' || *s == '\n') {
			in = false;
		}
	}
	return n;
}

static void test_proc_stat_statm(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	struct task_struct *t = mmsim_spawn(m, "my prog");
	char *s, exp[256];
	unsigned long long f[60];
	int n;

	if (!t)
		goto out;
	mmsim_advance_clock(m, 250000000);	/* 0.25 s: start_time 25 ticks for a later fork */
	KT_EQ(mmsim_switch_to(t), 0);
	mmsim_advance_clock(m, 120000000);	/* runs 0.12 s: utime 12 */
	s = rd(m, "/proc/%d/stat", t->pid);
	KT_ASSERT(s);
	if (!s)
		goto out;
	KT_EQ(count_fields(s), 52);
	snprintf(exp, sizeof(exp), "%d (my prog) R 1 %d %d 0 -1 ", t->pid, t->pid, t->pid);
	KT_ASSERT(!strncmp(s, exp, strlen(exp)));
	n = 0;
	for (char *p = strrchr(s, ')') + 3; *p && n < 60; n++) {
		char *end;

		f[n] = *p == '-' ? (unsigned long long)strtoll(p, &end, 10) : strtoull(p, &end, 10);
		if (end == p)
			break;
		p = end;
		while (*p == ' ')
			p++;
	}
	/* f[0] is field 4 (ppid). */
	KT_EQ(f[14 - 4], 12);				/* utime */
	KT_EQ(f[18 - 4], 20);				/* priority */
	KT_EQ(f[20 - 4], 1);				/* num_threads */
	KT_EQ(f[22 - 4], 0);				/* start_time */
	KT_EQ(f[23 - 4], t->mm->total_vm << PAGE_SHIFT);	/* vsize in bytes */
	KT_EQ(f[24 - 4], get_mm_rss(t->mm));		/* rss in pages */
	KT_EQ(f[25 - 4], RLIM_INFINITY_UL);		/* rsslim */
	KT_EQ(f[28 - 4], t->mm->start_stack);
	KT_EQ(f[35 - 4], 0);				/* wchan: running */
	KT_EQ(f[38 - 4], SIGCHLD);			/* exit_signal */
	KT_EQ(f[52 - 4], 0);				/* exit_code */
	free(s);
	s = mmsim_read(m, "/proc/stat");
	KT_ASSERT(matches(s, "^cpu  12 0 0 [0-9]+ 0 0 0 0 0 0$"));
	KT_ASSERT(matches(s, "^cpu0 12 0 0 25 0 0 0 0 0 0$"));
	free(s);
	s = rd(m, "/proc/%d/statm", t->pid);
	snprintf(exp, sizeof(exp), "%lu %lu 0 %lu 0 %lu 0\n", t->mm->total_vm, get_mm_rss(t->mm),
		 (PAGE_ALIGN(t->mm->end_code) - (t->mm->start_code & PAGE_MASK)) >> PAGE_SHIFT,
		 t->mm->data_vm + t->mm->stack_vm);
	KT_ASSERT(s && !strcmp(s, exp));
	free(s);
	s = rd(m, "/proc/%d/comm", t->pid);
	KT_ASSERT(s && !strcmp(s, "my prog\n"));
	free(s);
	KT_EQ(wr(m, "/proc/%d/comm", t->pid, "renamed-to-something-long\n"), 0);
	KT_ASSERT(!strcmp(t->comm, "renamed-to-some"));
	s = rd(m, "/proc/%d/cmdline", t->pid);
	KT_ASSERT(s && !*s);
	free(s);
out:
	KT_ASSERT(tasks_are_valid(m));
	mmsim_shutdown(m);
}

static void test_proc_oom(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	struct task_struct *d = driver(m, "oomy"), *c;
	size_t mark = log_mark(m);
	char *s;

	if (!d)
		goto out;
	s = rd(m, "/proc/%d/oom_score_adj", d->pid);
	KT_ASSERT(s && !strcmp(s, "0\n"));
	free(s);
	KT_EQ(wr(m, "/proc/%d/oom_score_adj", d->pid, "1001"), -EINVAL);
	KT_EQ(wr(m, "/proc/%d/oom_score_adj", d->pid, "-1001"), -EINVAL);
	KT_EQ(wr(m, "/proc/%d/oom_score_adj", d->pid, "abc"), -EINVAL);
	KT_EQ(wr(m, "/proc/%d/oom_score_adj", d->pid, "500\n"), 0);
	KT_EQ(d->signal->oom_score_adj, 500);
	s = rd(m, "/proc/%d/oom_adj", d->pid);
	KT_ASSERT(s && !strcmp(s, "8\n"));		/* 500 * 17 / 1000 */
	free(s);
	/* Inherited on fork. */
	c = fork_child();
	KT_EQ(c ? c->signal->oom_score_adj : 0, 500);
	KT_EQ(wr(m, "/proc/%d/oom_adj", d->pid, "16"), -EINVAL);
	KT_EQ(wr(m, "/proc/%d/oom_adj", d->pid, "-18"), -EINVAL);
	KT_EQ(wr(m, "/proc/%d/oom_adj", d->pid, "15"), 0);
	KT_EQ(d->signal->oom_score_adj, 1000);
	s = rd(m, "/proc/%d/oom_adj", d->pid);
	KT_ASSERT(s && !strcmp(s, "15\n"));
	free(s);
	KT_EQ(wr(m, "/proc/%d/oom_adj", d->pid, "-17"), 0);
	KT_EQ(d->signal->oom_score_adj, -1000);
	s = rd(m, "/proc/%d/oom_score", d->pid);
	KT_ASSERT(s && !strcmp(s, "0\n"));
	free(s);
	KT_EQ(wr(m, "/proc/%d/oom_adj", d->pid, "3"), 0);
	KT_EQ(d->signal->oom_score_adj, 176);		/* 3 * 1000 / 17 */
	s = log_since(m, &mark);
	KT_STR_CONTAINS(s, "/oom_adj is deprecated, please use /proc/");
	free(s);
	s = rd(m, "/proc/%d/oom_score", c->pid);
	KT_ASSERT(s && matches(s, "^[0-9]+\n$") && atoi(s) >= 666);
	free(s);
	s = mmsim_read(m, "/proc/1/oom_score");
	KT_ASSERT(s && !strcmp(s, "0\n"));
	free(s);
	KT_EQ(mmsim_write(m, "/proc/12345/oom_score_adj", "1"), -ENOENT);
out:
	KT_ASSERT(tasks_are_valid(m));
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_init);
	KT_RUN(test_pid_sequence);
	KT_RUN(test_pid_max_wrap);
	test_switch("ram=64M");
	test_switch("arch=arm64 ram=64M");
	test_switch("arch=i386 ram=64M");
	KT_RUN(test_exit_wait);
	KT_RUN(test_kill_defaults);
	KT_RUN(test_fault_signal);
	KT_RUN(test_reparent);
	KT_RUN(test_proc_status);
	KT_RUN(test_proc_stat_statm);
	KT_RUN(test_proc_oom);
	return kt_done();
}
