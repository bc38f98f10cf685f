// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/exit.c - the end of a task: sys_exit_group -> do_exit, zombies,
 * reparenting, and sys_wait4.
 *
 * do_exit_task(t, code) runs for current (sys_exit_group, a fatal signal
 * acted on in exit_to_user_mode) or, on the sender's CPU, for a task no
 * CPU runs (a fatal signal takes effect before kill returns; DESIGN §3b):
 *   1. PF_EXITING (under tasklist_lock; a second exit of the same task
 *      stops here, and mmsim_switch_to() refuses it from now on);
 *   2. exit_mm: the task lets go of its mm (task->mm = NULL under the
 *      lock, as task_lock does in Linux), its peak RSS goes to
 *      signal->maxrss, and mmput() frees the address space if it was the
 *      last user (exit_mmap: every page, every page table).  A CPU that
 *      had the mm loaded keeps it lazily (its mm_count reference) until
 *      it switches to another mm, as Linux's active_mm does;
 *   3. exit_notify: its children go to init (which reaps the zombies
 *      among them at once), it becomes EXIT_ZOMBIE with its wait status,
 *      and its parent is notified -- SIGCHLD, whose default action is to
 *      ignore it (and, SIG_DFL not being SIG_IGN, the zombie stays); a
 *      child of init is reaped at once (EXIT_DEAD, released);
 *   4. if current, the CPU runs no task any more (current == NULL).
 *
 * sys_wait4(pid, wstatus, options, rusage): children selected by pid > 0,
 * -1 (any), 0 (current's process group) or < -1 (group -pid); __WCLONE
 * and __WALL select as Linux does (every mmsim child has exit_signal
 * SIGCHLD); options other than WNOHANG, WUNTRACED, WCONTINUED,
 * __WNOTHREAD, __WCLONE, __WALL are -EINVAL.  No eligible child: -ECHILD.
 * A zombie is reaped: *wstatus is Linux's encoding (exit code << 8, or
 * the signal number), *rusage (struct rusage, host memory, may be NULL)
 * gets the child's times, faults and peak RSS with its own children's,
 * and the parent's cmin_flt/cmaj_flt/cmaxrss/cutime grow by the same.
 * WNOHANG with live children returns 0.  Otherwise Linux sleeps until a
 * child exits; mmsim sleeps (a condition variable) while some eligible
 * child runs on a CPU (another thread may make it exit), and returns
 * -EDEADLK when none does: no thread could ever wake the caller.  Stopped
 * children are never reported (mmsim has no stopped tasks; WUNTRACED and
 * WCONTINUED select nothing more).
 *
 * release_task frees the pid and takes the task off the lists; the
 * struct stays until the machine shuts down (kernel/internal.h).
 *
 * Locking: tasklist_lock for states, links and the pid table; mmput
 * outside it.  wait_chldexit is broadcast under it at every exit.
 *
 * Invariants (under tasklist_lock): PF_EXITING is set once and before the
 * mm is let go; a task with exit_state != 0 has mm == NULL and runs on no
 * CPU; every child of a task that exited has init as real_parent; a
 * zombie is on its parent's children list until reaped; init's children
 * are never zombies.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/resource.h>
#include <mmsim/shm.h>
#include <mmsim/fs.h>
#include "kernel/internal.h"

static void release_one(struct task_state *ts, struct task_struct *p)
{
	struct task_ext *e = task_ext(p);

	if (e->released)
		return;
	e->released = true;
	p->exit_state = EXIT_DEAD;
	p->__state = TASK_DEAD;
	list_del_init(&p->sibling);
	list_del(&p->tasks);
	free_pid_locked(ts, p->pid);
	list_add_tail(&p->tasks, &ts->dead);
	put_task_struct(p);
}

void release_task_locked(struct task_state *ts, struct task_struct *p)
{
	tasklist_assert_held(ts);
	release_one(ts, p);
}

/* The child's totals as getrusage(RUSAGE_BOTH) gives them to wait. */
static void child_totals(struct task_struct *p, unsigned long *minflt, unsigned long *majflt,
			 unsigned long *maxrss, u64 *utime, u64 *stime)
{
	struct task_ext *e = task_ext(p);

	*minflt = p->min_flt + p->signal->cmin_flt;
	*majflt = p->maj_flt + p->signal->cmaj_flt;
	*maxrss = p->signal->maxrss > e->cmaxrss ? p->signal->maxrss : e->cmaxrss;
	*utime = p->utime + e->cutime;
	*stime = p->stime + e->cstime;
}

/* wait_task_zombie()'s accounting: the parent's c* fields. */
static void account_reaped_child(struct task_struct *parent, struct task_struct *p)
{
	struct task_ext *pe = task_ext(parent);
	unsigned long minflt, majflt, maxrss;
	u64 utime, stime;

	child_totals(p, &minflt, &majflt, &maxrss, &utime, &stime);
	parent->signal->cmin_flt += minflt;
	parent->signal->cmaj_flt += majflt;
	if (pe->cmaxrss < maxrss)
		pe->cmaxrss = maxrss;
	pe->cutime += utime;
	pe->cstime += stime;
}

/* forget_original_parent(): @t's children go to init; zombies reaped. */
static void reparent_children_locked(struct task_state *ts, struct task_struct *t)
{
	struct task_struct *init = ts->init_task, *child, *n;

	list_for_each_entry_safe(child, n, &t->children, sibling) {
		child->real_parent = child->parent = init;
		list_move_tail(&child->sibling, &init->children);
		if (child->exit_state == EXIT_ZOMBIE) {
			account_reaped_child(init, child);
			release_one(ts, child);
		}
	}
}

/* exit_notify(): zombie, or reaped at once by init. */
static void exit_notify_locked(struct task_state *ts, struct task_struct *t)
{
	reparent_children_locked(ts, t);
	t->exit_state = EXIT_ZOMBIE;
	t->__state = TASK_DEAD;
	/* SIGCHLD to the parent: SIG_DFL ignores it (not queued). */
	if (t->real_parent == ts->init_task) {
		account_reaped_child(ts->init_task, t);
		release_one(ts, t);
	}
	pthread_cond_broadcast(&ts->wait_chldexit);
}

void do_exit_task(struct task_struct *t, int code)
{
	struct task_state *ts = task_state_of(t->machine);
	struct mm_struct *mm;

	tasklist_lock(ts);
	if (t->flags & PF_EXITING || t->exit_state) {
		tasklist_unlock(ts);
		return;
	}
	if (t == ts->init_task) {
		tasklist_unlock(ts);
		panic("Attempted to kill init! exitcode=0x%08x\n", code);
		return;		/* the machine is halted (kernel/panic.c) */
	}
	t->flags |= PF_EXITING;
	if (code & 0x7f)
		t->flags |= PF_SIGNALED;
	t->signal->group_exit_code = code;
	/* exit_mm(): the task lets go of its address space. */
	mm = t->mm;
	t->mm = NULL;
	tasklist_unlock(ts);

	if (mm) {
		unsigned long rss = get_mm_rss(mm);
		/* The OOM reaper's zap may raise hiwater_rss concurrently (atomic). */
		unsigned long hw = __atomic_load_n(&mm->hiwater_rss, __ATOMIC_RELAXED);
		unsigned long hiwater = hw > rss ? hw : rss;

		if (t->signal->maxrss < hiwater)
			t->signal->maxrss = hiwater;
		if (mm->owner == t)
			mm->owner = NULL;
		mmput(mm);
	}
	exit_shm(t);		/* its SysV shm segments are orphans now */
	exit_files(t);		/* after exit_mm and exit_shm, as Linux's do_exit */

	tasklist_lock(ts);
	t->exit_code = code;
	if (t->on_cpu >= 0)
		sched_task_off_cpu_locked(ts, t);
	t->active_mm = NULL;	/* the CPU keeps the mm loaded lazily */
	atomic_set(&t->signal->live, 0);
	exit_notify_locked(ts, t);
	tasklist_unlock(ts);
}

/**
 * sys_exit_group - current exits with status @code
 *
 * Its memory is freed at once; it is a zombie until its parent reaps it
 * (at once for init's children).  Afterwards the calling CPU runs no task.
 */
void sys_exit_group(int code)
{
	struct task_struct *t = current;

	RETURN_IF_HALTED();
	if (!t)
		return;
	do_exit_task(t, (code & 0xff) << 8);
}

/* eligible_child(): @p matches wait4's @pid and @options for @parent. */
static bool eligible_child(struct task_struct *parent, struct task_struct *p, pid_t pid,
			   int options)
{
	if (pid > 0 && p->pid != pid)
		return false;
	if (pid == 0 && task_ext(p)->pgid != task_ext(parent)->pgid)
		return false;
	if (pid < -1 && task_ext(p)->pgid != -pid)
		return false;
	if (!(options & __WALL) && ((p->exit_signal != SIGCHLD) ^ !!(options & __WCLONE)))
		return false;
	return true;
}

static void fill_rusage(struct task_struct *p, struct rusage *ru)
{
	unsigned long minflt, majflt, maxrss;
	u64 utime, stime;

	child_totals(p, &minflt, &majflt, &maxrss, &utime, &stime);
	memset(ru, 0, sizeof(*ru));
	ru->ru_utime.tv_sec = (time_t)(utime / 1000000000ULL);
	ru->ru_utime.tv_usec = (suseconds_t)(utime % 1000000000ULL / 1000);
	ru->ru_stime.tv_sec = (time_t)(stime / 1000000000ULL);
	ru->ru_stime.tv_usec = (suseconds_t)(stime % 1000000000ULL / 1000);
	ru->ru_minflt = (long)minflt;
	ru->ru_majflt = (long)majflt;
	ru->ru_maxrss = (long)(maxrss * (PAGE_SIZE / 1024));
}

/**
 * sys_wait4 - wait for a child of current to exit (see the file comment)
 * @pid: > 0 that child; -1 any; 0 current's group; < -1 group -@pid
 * @wstatus: host memory for the status, or NULL
 * @options: WNOHANG, __WALL, __WCLONE (WUNTRACED, WCONTINUED accepted)
 * @rusage: host struct rusage, or NULL
 *
 * Return: the reaped child's pid; 0 (WNOHANG, no zombie yet); -ECHILD,
 * -EINVAL, -ESRCH (no current, or pid INT_MIN), -EDEADLK (would sleep
 * forever).
 */
long sys_wait4(pid_t pid, int *wstatus, int options, void *rusage)
{
	struct task_struct *t = current, *p, *found;
	struct task_state *ts;
	bool any, running;

	RETURN_IF_HALTED(-EIO);	long ret;

	if (!t)
		return -ESRCH;
	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL))
		return -EINVAL;
	if (pid == INT_MIN)
		return -ESRCH;	/* -INT_MIN is undefined */
	ts = task_state_of(t->machine);
	tasklist_lock(ts);
	for (;;) {
		any = running = false;
		found = NULL;
		list_for_each_entry(p, &t->children, sibling) {
			if (!eligible_child(t, p, pid, options))
				continue;
			any = true;
			if (p->exit_state == EXIT_ZOMBIE) {
				found = p;
				break;
			}
			if (p->on_cpu >= 0)
				running = true;
		}
		if (found || !any || (options & WNOHANG) || !running)
			break;
		pthread_cond_wait(&ts->wait_chldexit, &ts->tasklist_lock);
		if (t->exit_state || fatal_signal_pending(t))
			break;
	}
	if (found) {
		if (wstatus)
			*wstatus = found->exit_code;
		if (rusage)
			fill_rusage(found, rusage);
		account_reaped_child(t, found);
		ret = found->pid;
		release_one(ts, found);
	} else if (!any) {
		ret = -ECHILD;
	} else if (options & WNOHANG) {
		ret = 0;
	} else if (!running) {
		ret = -EDEADLK;
	} else {
		ret = -EINTR;
	}
	tasklist_unlock(ts);
	return ret;
}
