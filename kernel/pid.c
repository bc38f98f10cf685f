// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/pid.c - a machine's tasks: the pid table, the task list,
 * tasklist_lock, find_task_by_vpid(), and init (pid 1), made at boot.
 *
 * Pids are allocated as Linux's alloc_pid() does with its idr:
 * idr_alloc_cyclic() from the cursor (last_pid + 1) up to pid_max - 1,
 * then once more from the bottom; the bottom is 1 until the cursor has
 * passed RESERVED_PIDS (300), and RESERVED_PIDS afterwards, so a wrapped
 * allocator never hands out the low pids daemons got at boot.  A pid is
 * busy from the fork that took it until its task is reaped (a zombie
 * keeps it); when none is free fork fails with -EAGAIN.
 * pid_max is /proc/sys/kernel/pid_max: default max(32768, 1024 * CPUs),
 * at least max(301, 8 * CPUs), at most PID_MAX_LIMIT (4194304 on 64-bit
 * arches, 32768 on 32-bit ones), as pid_idr_init() computes them.
 * Lowering it does not touch pids already given out.
 *
 * The table maps pid -> task_struct in chunks of 4096 pointers allocated
 * on first use (a radix of one level under a fixed directory), so a
 * lookup is two loads and a machine with few tasks holds one chunk.
 *
 * init.  Linux's pid 1 is a user program; mmsim has no program to run, so
 * its init is a task without an address space (mm == NULL, like a kernel
 * thread, though it is not PF_KTHREAD): it exists to be the parent of
 * every spawned process and of orphans, and it reaps each child the moment
 * it exits (a zombie never waits on init).  Its /proc/1 files are those
 * of a task without mm: status has no Vm lines, statm is all zeros.
 * Signals with their default action are ignored by init (Linux's
 * SIGNAL_UNKILLABLE), so kill(1, SIGKILL) succeeds and does nothing.  No
 * kthreadd (pid 2) is made: mmsim has no kernel threads that are tasks
 * yet, and Linux's own numbering starts user pids after a few hundred
 * kernel threads anyway.  init counts as the one fork since boot.
 *
 * Locking: tasklist_lock (struct task_state, a pthread mutex) protects
 * everything here; see kernel/internal.h for what else it covers.
 *
 * Invariants (under tasklist_lock):
 *   pid_dir[p >> 12][p & 4095] == t  iff  t holds pid p (live or zombie)
 *   nr_threads == number of tasks on ->tasks == pids in the table
 *   every task on ->tasks has exit_state != EXIT_DEAD or is being released
 *   1 <= last_pid < pid_max_max
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/seq_file.h>
#include <mmsim/sysctl.h>
#include <mmsim/kmemleak.h>
#include "kernel/internal.h"

struct task_state *task_state_of(struct mmsim *m)
{
	return subsys_state(m, pid);
}

void tasklist_lock(struct task_state *ts)
{
	pthread_mutex_lock(&ts->tasklist_lock);
}

void tasklist_unlock(struct task_state *ts)
{
	pthread_mutex_unlock(&ts->tasklist_lock);
}

void tasklist_assert_held(struct task_state *ts)
{
#if MMSIM_DEBUG_VM
	/* A recursive trylock on a held default mutex fails with EBUSY. */
	if (!pthread_mutex_trylock(&ts->tasklist_lock)) {
		pthread_mutex_unlock(&ts->tasklist_lock);
		WARN_ONCE(1, "tasklist_lock not held");
	}
#else
	(void)ts;
#endif
}

/* ---------------------------------------------------------------------
 * The pid table
 */

static struct task_struct **pid_slot(struct task_state *ts, pid_t pid, bool alloc)
{
	struct task_struct ***chunk = &ts->pid_dir[pid >> PID_CHUNK_SHIFT];

	if (!*chunk) {
		if (!alloc)
			return NULL;
		*chunk = calloc(PID_CHUNK, sizeof(**chunk));
		if (!*chunk)
			return NULL;
	}
	return &(*chunk)[pid & (PID_CHUNK - 1)];
}

/* The first free pid in [lo, hi), or 0. */
static int pid_find_free(struct task_state *ts, int lo, int hi)
{
	for (int pid = lo; pid < hi; pid++) {
		struct task_struct ***chunk = &ts->pid_dir[pid >> PID_CHUNK_SHIFT];

		if (!*chunk)
			return pid;	/* a whole chunk never used */
		if (!(*chunk)[pid & (PID_CHUNK - 1)])
			return pid;
	}
	return 0;
}

/*
 * alloc_pid_locked - Linux's alloc_pid() for the one pid namespace:
 * idr_alloc_cyclic(&idr, NULL, pid_min, pid_max) where pid_min is
 * RESERVED_PIDS once the cursor has passed it.  The pid is reserved only
 * when attach_pid_locked() fills the slot; the caller holds the lock in
 * between.
 */
int alloc_pid_locked(struct task_state *ts)
{
	int pid_min = 1, start, pid;

	tasklist_assert_held(ts);
	if (ts->last_pid + 1 > RESERVED_PIDS)
		pid_min = RESERVED_PIDS;
	start = ts->last_pid + 1;
	if (start < pid_min)
		start = pid_min;
	pid = start < ts->pid_max ? pid_find_free(ts, start, ts->pid_max) : 0;
	if (!pid && start > pid_min)
		pid = pid_find_free(ts, pid_min, start < ts->pid_max ? start : ts->pid_max);
	if (!pid)
		return -EAGAIN;
	if (!pid_slot(ts, pid, true))
		return -ENOMEM;
	return pid;
}

void attach_pid_locked(struct task_state *ts, struct task_struct *t)
{
	struct task_struct **slot = pid_slot(ts, t->pid, true);

	tasklist_assert_held(ts);
	WARN_ON_ONCE(!slot || *slot);
	*slot = t;
	task_ext(t)->seq = ts->next_seq++;
	ts->last_pid = t->pid;
	ts->nr_threads++;
	list_add_tail(&t->tasks, &ts->tasks);
}

void free_pid_locked(struct task_state *ts, pid_t pid)
{
	struct task_struct **slot = pid_slot(ts, pid, false);

	tasklist_assert_held(ts);
	if (WARN_ON_ONCE(!slot || !*slot))
		return;
	*slot = NULL;
	ts->nr_threads--;
}

struct task_struct *find_task_locked(struct task_state *ts, pid_t pid)
{
	struct task_struct **slot;

	if (pid <= 0 || pid >= ts->pid_max_max)
		return NULL;
	slot = pid_slot(ts, pid, false);
	return slot ? *slot : NULL;
}

/**
 * find_task_by_vpid - the task holding @pid on the current machine
 *
 * Zombies included (they hold their pid until reaped).  As in Linux the
 * pointer is returned without a reference; mmsim keeps task structs until
 * shutdown, so it stays readable, and an exited task says so in
 * exit_state.  Return: the task, or NULL.
 */
struct task_struct *find_task_by_vpid(pid_t pid)
{
	struct mmsim *m = current_machine();
	struct task_state *ts;
	struct task_struct *t;

	if (!m)
		return NULL;
	ts = task_state_of(m);
	tasklist_lock(ts);
	t = find_task_locked(ts, pid);
	tasklist_unlock(ts);
	return t;
}

/*
 * The next task of @m's list after @prev (NULL: the first), or NULL.  If
 * @prev was reaped meanwhile, the walk goes on with the first task created
 * after it.
 */
struct task_struct *next_task_of(struct mmsim *m, struct task_struct *prev)
{
	struct task_state *ts = task_state_of(m);
	struct task_struct *t = NULL, *p;
	struct list_head *pos;

	tasklist_lock(ts);
	if (!prev) {
		pos = ts->tasks.next;
	} else if (!task_ext(prev)->released) {
		pos = prev->tasks.next;
	} else {
		pos = &ts->tasks;
		list_for_each_entry(p, &ts->tasks, tasks)
			if (task_ext(p)->seq > task_ext(prev)->seq) {
				pos = &p->tasks;
				break;
			}
	}
	if (pos != &ts->tasks)
		t = list_entry(pos, struct task_struct, tasks);
	tasklist_unlock(ts);
	return t;
}

/* ---------------------------------------------------------------------
 * Task structs
 */

void default_rlimits(struct signal_struct *sig, const struct task_state *ts)
{
	for (int i = 0; i < MMSIM_RLIM_NLIMITS; i++)
		sig->rlim[i].rlim_cur = sig->rlim[i].rlim_max = RLIM_INFINITY_UL;
	/* include/asm-generic/resource.h INIT_RLIMITS */
	sig->rlim[RLIMIT_STACK].rlim_cur = 8UL << 20;		/* _STK_LIM */
	sig->rlim[RLIMIT_CORE].rlim_cur = 0;
	sig->rlim[RLIMIT_NOFILE].rlim_cur = 1024;		/* INR_OPEN_CUR */
	sig->rlim[RLIMIT_NOFILE].rlim_max = 4096;		/* INR_OPEN_MAX */
	sig->rlim[RLIMIT_MEMLOCK].rlim_cur = sig->rlim[RLIMIT_MEMLOCK].rlim_max = 8UL << 20;
	/* fork_init(): RLIMIT_NPROC and RLIMIT_SIGPENDING are max_threads / 2 */
	sig->rlim[RLIMIT_NPROC].rlim_cur = sig->rlim[RLIMIT_NPROC].rlim_max = ts->max_threads / 2;
	sig->rlim[11].rlim_cur = sig->rlim[11].rlim_max = ts->max_threads / 2;
	sig->rlim[12].rlim_cur = sig->rlim[12].rlim_max = 819200;	/* RLIMIT_MSGQUEUE */
	sig->rlim[13].rlim_cur = sig->rlim[13].rlim_max = 0;	/* RLIMIT_NICE */
	sig->rlim[14].rlim_cur = sig->rlim[14].rlim_max = 0;	/* RLIMIT_RTPRIO */
}

struct task_ext *alloc_task_ext(struct mmsim *m)
{
	struct task_ext *e = calloc(1, sizeof(*e));
	struct task_struct *t;

	if (!e)
		return NULL;
	/*
	 * Host memory that holds pointers to slab objects (the task's files,
	 * its mm's parts): kmemleak scans it as it scans Linux's task_struct
	 * slab objects, and never reports it (min_count 0).
	 */
	kmemleak_alloc(e, sizeof(*e), 0, 0);
	t = &e->task;
	t->signal = &e->signal;
	atomic_set(&t->usage, 1);
	atomic_set(&e->signal.live, 1);
	t->on_cpu = -1;
	t->exit_signal = SIGCHLD;
	t->machine = m;
	INIT_LIST_HEAD(&t->children);
	INIT_LIST_HEAD(&t->sibling);
	INIT_LIST_HEAD(&t->tasks);
	default_rlimits(&e->signal, task_state_of(m));
	return e;
}

void get_task_struct(struct task_struct *t)
{
	atomic_inc(&t->usage);
}

/* The struct is freed with the machine (kernel/internal.h: lifetime). */
void put_task_struct(struct task_struct *t)
{
	WARN_ON_ONCE(atomic_add_return(-1, &t->usage) < 0);
}

/* ---------------------------------------------------------------------
 * The checker
 */

#define TASK_BUG(cond, ...)							\
	({									\
		bool __bad = (cond);						\
		if (__bad)							\
			pr_err("tasks_are_valid: " __VA_ARGS__);		\
		__bad;								\
	})

/**
 * tasks_are_valid - check the invariants of @m's tasks (the file comment
 * of this file, kernel/sched.c and kernel/exit.c); logs the first problem.
 *
 * Context: any thread; takes tasklist_lock.  CPUs may run meanwhile, but
 * the check reads curr/on_cpu under the lock that changes them.
 */
bool tasks_are_valid(struct mmsim *m)
{
	struct task_state *ts = task_state_of(m);
	struct task_struct *t, *c;
	int n = 0;
	bool bad = false;

	tasklist_lock(ts);
	list_for_each_entry(t, &ts->tasks, tasks) {
		n++;
		bad |= TASK_BUG(find_task_locked(ts, t->pid) != t, "pid %d not in the table\n", t->pid);
		bad |= TASK_BUG(task_ext(t)->released, "pid %d released but listed\n", t->pid);
		bad |= TASK_BUG(t->exit_state == EXIT_DEAD, "pid %d dead but listed\n", t->pid);
		bad |= TASK_BUG(t->exit_state && (t->mm || t->on_cpu >= 0),
				"pid %d exited with an mm or a CPU\n", t->pid);
		bad |= TASK_BUG(t->on_cpu >= 0 && m->cpus[t->on_cpu].curr != t,
				"pid %d on CPU %d, which runs another\n", t->pid, t->on_cpu);
		bad |= TASK_BUG(t != ts->init_task && (!t->real_parent || t->real_parent->exit_state),
				"pid %d has no live parent\n", t->pid);
		list_for_each_entry(c, &t->children, sibling)
			bad |= TASK_BUG(c->real_parent != t, "pid %d on the children of %d\n", c->pid,
					t->pid);
		if (bad)
			break;
	}
	list_for_each_entry(c, &ts->init_task->children, sibling)
		bad |= TASK_BUG(c->exit_state, "init's child %d is a zombie\n", c->pid);
	bad |= TASK_BUG(!bad && n != ts->nr_threads, "%d tasks listed, %d pids\n", n, ts->nr_threads);
	for (int i = 0; i < m->nr_cpus && !bad; i++) {
		t = m->cpus[i].curr;
		if (t && !t->pid)
			continue;	/* a task being spawned, current for its execve */
		bad |= TASK_BUG(t && t->on_cpu != i, "CPU %d runs pid %d, on_cpu %d\n", i, t->pid,
				t->on_cpu);
		bad |= TASK_BUG(!!t != !!atomic_load(&ts->cpus[i].busy), "CPU %d busy flag\n", i);
	}
	tasklist_unlock(ts);
	return !bad;
}

/* ---------------------------------------------------------------------
 * /proc/sys/kernel/pid_max
 */

static int pid_max_handler(const struct ctl_table *table, int write, struct seq_file *sf,
			   const char *text)
{
	struct task_state *ts = task_state_of(current_machine());
	int ret;

	if (!write)
		return proc_dointvec_minmax(table, write, sf, text);
	tasklist_lock(ts);
	ret = proc_dointvec_minmax(table, write, sf, text);
	tasklist_unlock(ts);
	return ret;
}

/* ---------------------------------------------------------------------
 * Boot and shutdown
 */

static int make_init_task(struct mmsim *m, struct task_state *ts)
{
	struct task_ext *e = alloc_task_ext(m);
	struct task_struct *t;

	if (!e)
		return -ENOMEM;
	t = &e->task;
	strcpy(t->comm, "init");
	t->__state = TASK_INTERRUPTIBLE;
	e->signal.oom_score_adj = 0;
	e->pgid = e->sid = 1;
	tasklist_lock(ts);
	t->pid = t->tgid = alloc_pid_locked(ts);
	if (t->pid != 1) {
		tasklist_unlock(ts);
		free_task_ext(e);
		return -EINVAL;
	}
	attach_pid_locked(ts, t);
	ts->init_task = t;
	tasklist_unlock(ts);
	atomic_fetch_add(&ts->total_forks, 1);
	return 0;
}

/* THREAD_SIZE's shift: 16K stacks on x86_64 and arm64 (a page if larger), 8K on i386. */
static unsigned int arch_thread_shift(struct mmsim *m)
{
	enum mmsim_arch a = m->hw.layout.arch;

	return a == ARCH_I386 || a == ARCH_I386_PAE ? 13 : 14;
}

static int pid_init(struct mmsim *m, char *err, size_t errlen)
{
	struct task_state *ts = task_state_of(m);
	int cpus = m->nr_cpus;
	unsigned long thread_pages;
	int ret;

	pthread_mutex_init(&ts->tasklist_lock, NULL);
	pthread_cond_init(&ts->wait_chldexit, NULL);
	ts->lock_ready = true;
	INIT_LIST_HEAD(&ts->tasks);
	INIT_LIST_HEAD(&ts->dead);
	ts->nr_cpus = cpus;
	ts->cpus = calloc((size_t)cpus, sizeof(*ts->cpus));
	if (!ts->cpus)
		return -ENOMEM;
	/* pid_idr_init() */
	ts->pid_max_max = m->hw.layout.arch == ARCH_I386 || m->hw.layout.arch == ARCH_I386_PAE ?
				  PID_MAX_DEFAULT : PID_MAX_LIMIT_64;
	ts->pid_max = PID_MAX_DEFAULT;
	if (ts->pid_max < PIDS_PER_CPU_DEFAULT * cpus)
		ts->pid_max = PIDS_PER_CPU_DEFAULT * cpus;
	if (ts->pid_max > ts->pid_max_max)
		ts->pid_max = ts->pid_max_max;
	ts->pid_max_min = RESERVED_PIDS + 1;
	if (ts->pid_max_min < PIDS_PER_CPU_MIN * cpus)
		ts->pid_max_min = PIDS_PER_CPU_MIN * cpus;
	/* fork_init()/set_max_threads(): an eighth of RAM in kernel stacks */
	thread_pages = PAGE_SHIFT >= arch_thread_shift(m) ? 1UL :
		       1UL << (arch_thread_shift(m) - PAGE_SHIFT);
	ts->max_threads = atomic_long_read(&m->totalram_pages) / (8 * thread_pages);
	if (ts->max_threads < 20)
		ts->max_threads = 20;			/* MIN_THREADS */
	if (ts->max_threads > 0x3fffffff)
		ts->max_threads = 0x3fffffff;		/* FUTEX_TID_MASK */
	ret = make_init_task(m, ts);
	if (ret)
		snprintf(err, errlen, "pid: cannot make init (%d)", ret);
	return ret;
}

static int pid_sysctl_init(struct mmsim *m, char *err, size_t errlen)
{
	struct task_state *ts = task_state_of(m);
	const struct ctl_table table[] = {
		{ "pid_max", &ts->pid_max, sizeof(int), 0644, pid_max_handler,
		  &ts->pid_max_min, &ts->pid_max_max },
	};

	return register_sysctl("kernel", table);
}

/* Shutdown: every task still alive exits (its memory goes back), then the
 * structs go. */
static void pid_exit(struct mmsim *m)
{
	struct task_state *ts = task_state_of(m);
	struct task_struct *t;

	for (int i = 0; i < m->nr_cpus; i++) {
		tasklist_lock(ts);
		t = m->cpus[i].curr;
		if (t) {
			sched_task_off_cpu_locked(ts, t);
			m->cpus[i].curr = NULL;
		}
		tasklist_unlock(ts);
		/* A task without mm running there borrowed the CPU's mm (lazy TLB). */
		if (t && !t->mm && t->active_mm) {
			mmdrop(t->active_mm);
			t->active_mm = NULL;
		}
	}
	for (;;) {
		struct task_struct *victim = NULL;

		tasklist_lock(ts);
		list_for_each_entry(t, &ts->tasks, tasks)
			if (t != ts->init_task && !(t->flags & PF_EXITING)) {
				victim = t;
				break;
			}
		tasklist_unlock(ts);
		if (!victim)
			break;
		do_exit_task(victim, SIGKILL);
	}
}

static const struct initcall pid_initcalls[] = {
	core_initcall(pid_init, pid_exit),
	fs_initcall(pid_sysctl_init, NULL),
};

static void task_state_release(void *state)
{
	struct task_state *ts = state;
	struct task_struct *t, *n;

	if (ts->lock_ready) {
		list_for_each_entry_safe(t, n, &ts->tasks, tasks)
			free(task_ext(t));
		list_for_each_entry_safe(t, n, &ts->dead, tasks)
			free(task_ext(t));
		pthread_mutex_destroy(&ts->tasklist_lock);
		pthread_cond_destroy(&ts->wait_chldexit);
	}
	for (int i = 0; i < PID_NR_CHUNKS; i++)
		free(ts->pid_dir[i]);
	free(ts->cpus);
}

DEFINE_SUBSYSTEM(pid, SUBSYS_STATE(struct task_state, NULL), SUBSYS_INITCALLS(pid_initcalls),
		 .state_release = task_state_release);
