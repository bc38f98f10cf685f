// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/fork.c - new tasks: mmsim_spawn() (fork of init + execve of a
 * static program, in one step) and sys_fork() (Linux's kernel_clone ->
 * copy_process -> copy_mm -> dup_mm -> dup_mmap).
 *
 * A new task gets the next pid (kernel/pid.c), a signal_struct with the
 * parent's rlimits and oom_score_adj (spawn: Linux's defaults, RLIMIT_STACK
 * and RLIMIT_MEMLOCK 8 MiB, RLIMIT_CORE 0, ...), its comm, the parent's
 * registers (spawn: ip at the start of the code, sp at the stack top), and
 * its start time from the virtual clock.  It is TASK_INTERRUPTIBLE and no
 * CPU runs it until mmsim_switch_to(); fork returns the child's pid to the
 * parent, which stays current.
 *
 * dup_mm: a fresh mm (mm_alloc: pgd, ASID context) takes the parent's
 * layout (mmap_base, brk, code/data/stack bounds) and MMF_INIT_MASK flags;
 * dup_mmap (mm/mmap.c) copies the VMAs and, through copy_page_range
 * (mm/memory.c), the page tables, write-protecting private writable pages
 * on both sides for copy-on-write and flushing the parent's TLB entries.
 * As in Linux's mm_init, the child starts with no locked or pinned pages
 * and without the parent's mlockall(MCL_FUTURE) (def_flags keeps only
 * VM_NOHUGEPAGE); its VmHWM/VmPeak start at what it was given.
 *
 * Failures unwind completely: a failed dup_mmap's half-built mm goes
 * through mmput (exit_mmap frees what was copied), no pid is taken until
 * the task is complete, and the parent is untouched.  Errors: -EAGAIN
 * (no free pid, or max_threads tasks exist), -ENOMEM, -ESRCH (no current).
 *
 * Locking: mm work (mm_alloc, setup_new_exec_mm, dup_mmap) runs without
 * tasklist_lock; the pid is allocated and the task linked under it in one
 * critical section, so a task is visible only once complete.
 *
 * Invariants: a task on the task list is complete (pid, parent, mm or
 * none, signal_struct); child->real_parent == current at fork;
 * child->mm != parent->mm; the child's counters start at zero and its
 * hiwater_rss == get_mm_rss(child->mm) right after the fork.
 */
#include <errno.h>
#include <string.h>
#include <stdlib.h>
#include <mmsim/fs.h>
#include <mmsim/segment.h>
#include "kernel/internal.h"

/* MMF_INIT_MASK: dumpable, the core-dump filter, THP and MDWE settings. */
#define MMF_INIT_MASK	(((1UL << 9) - 1) | (1UL << 24) | (1UL << 28) | (1UL << 30))

static void set_comm(struct task_struct *t, const char *comm)
{
	size_t n = strnlen(comm, TASK_COMM_LEN - 1);

	memcpy(t->comm, comm, n);
	t->comm[n] = '\0';
}

/* Link a complete task under tasklist_lock: pid, lists, parent. */
static int link_new_task(struct task_state *ts, struct task_struct *t,
			 struct task_struct *parent, bool new_session)
{
	int pid;

	tasklist_lock(ts);
	if ((unsigned long)ts->nr_threads >= ts->max_threads) {
		tasklist_unlock(ts);
		return -EAGAIN;
	}
	pid = alloc_pid_locked(ts);
	if (pid < 0) {
		tasklist_unlock(ts);
		return pid;
	}
	t->pid = t->tgid = pid;
	if (new_session)
		task_ext(t)->pgid = task_ext(t)->sid = pid;
	t->real_parent = t->parent = parent;
	list_add_tail(&t->sibling, &parent->children);
	attach_pid_locked(ts, t);
	tasklist_unlock(ts);
	atomic_fetch_add(&ts->total_forks, 1);
	return 0;
}

/**
 * mmsim_spawn - a user process as after execve() of a static program
 * @m: the machine; the calling thread must be on one of its CPUs
 * @comm: the program's name (first 15 bytes kept)
 *
 * The process is a child of init, leads a new session and process group,
 * and has an address space with a stack VMA and an empty heap
 * (setup_new_exec_mm).  It does not run until mmsim_switch_to().
 * Return: the task, or NULL with errno EINVAL, ENOMEM or EAGAIN.
 */
struct task_struct *mmsim_spawn(struct mmsim *m, const char *comm)
{
	struct cpu_state *c = current_cpu;
	struct task_struct *t, *prev;
	struct task_state *ts;
	struct mm_struct *mm;
	struct task_ext *e;
	int ret;

	if (!m || !c || c->m != m || !comm) {
		errno = EINVAL;
		return NULL;
	}
	if (mmsim_halted(m)) {
		errno = EIO;
		return NULL;
	}
	ts = task_state_of(m);
	e = alloc_task_ext(m);
	if (!e) {
		errno = ENOMEM;
		return NULL;
	}
	t = &e->task;
	set_comm(t, comm);
	t->__state = TASK_INTERRUPTIBLE;
	mm = mm_alloc();
	if (!mm) {
		free_task_ext(e);
		errno = ENOMEM;
		return NULL;
	}
	t->mm = t->active_mm = mm;
	mm->owner = t;
	t->files = files_alloc();	/* an empty file table (fs/file.c) */
	if (!t->files) {
		mm->owner = NULL;
		mmput(mm);
		free_task_ext(e);
		errno = ENOMEM;
		return NULL;
	}
	/*
	 * execve runs in the new task: its rlimits size the layout, so it is
	 * current for the while (not yet on any list, pid 0; the CPU's own
	 * task keeps its on_cpu and is current again right after).
	 */
	tasklist_lock(ts);
	prev = c->curr;
	c->curr = t;
	tasklist_unlock(ts);
	ret = setup_new_exec_mm(mm);
	tasklist_lock(ts);
	c->curr = prev;
	tasklist_unlock(ts);
	if (!ret) {
		t->regs.ip = mm->start_code;
		t->regs.sp = mm->start_stack;
		t->start_time = task_clock_ns(m);
		ret = link_new_task(ts, t, ts->init_task, true);
	}
	if (ret) {
		exit_files(t);
		mm->owner = NULL;
		mmput(mm);
		free_task_ext(e);
		errno = -ret;
		return NULL;
	}
	return t;
}

/* Linux's dup_mm(): the child's copy of @oldmm, or NULL (-ENOMEM). */
static struct mm_struct *dup_mm(struct task_struct *tsk, struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	/*
	 * What dup_mm's memcpy keeps and mm_init does not reset: the layout
	 * (mmap_base, task_size, start_code .. env_end) and the counters are
	 * dup_mmap's to copy, under the new mm's mmap_lock (mm/mmap.c).
	 */
	mm->flags = oldmm->flags & MMF_INIT_MASK;
	mm->owner = tsk;
	if (dup_mmap(mm, oldmm) || ldt_dup_context(oldmm, mm)) {
		mm->owner = NULL;
		mmput(mm);
		return NULL;
	}
	mm->hiwater_rss = get_mm_rss(mm);
	mm->hiwater_vm = mm->total_vm;
	return mm;
}

/* Linux's copy_process() for a fork (no CLONE_* flags). */
static struct task_struct *copy_process(struct task_struct *parent)
{
	struct task_state *ts = task_state_of(parent->machine);
	struct task_ext *e, *pe = task_ext(parent);
	struct task_struct *p;
	int ret;

	e = alloc_task_ext(parent->machine);
	if (!e)
		return ERR_PTR(-ENOMEM);
	p = &e->task;
	memcpy(p->comm, parent->comm, sizeof(p->comm));
	p->flags = (parent->flags & ~(PF_EXITING | PF_SIGNALED | PF_MEMALLOC)) | PF_FORKNOEXEC;
	p->__state = TASK_INTERRUPTIBLE;
	p->regs = parent->regs;
	p->seg = parent->seg;
	p->start_time = task_clock_ns(parent->machine);
	/* copy_signal(): rlimits and oom_score_adj are inherited. */
	memcpy(e->signal.rlim, pe->signal.rlim, sizeof(e->signal.rlim));
	e->signal.cap_dropped = pe->signal.cap_dropped;	/* the creds, as copy_creds */
	e->signal.oom_score_adj = pe->signal.oom_score_adj;
	e->signal.oom_score_adj_min = pe->signal.oom_score_adj_min;
	e->pgid = pe->pgid;
	e->sid = pe->sid;
	/* copy_mm(): a kernel thread (no mm) forks a kernel thread. */
	if (parent->mm) {
		p->mm = p->active_mm = dup_mm(p, parent->mm);
		if (!p->mm) {
			free_task_ext(e);
			return ERR_PTR(-ENOMEM);
		}
	}
	/* copy_files(): the child's table shares the parent's open files. */
	ret = copy_files(0, p);
	if (!ret)
		ret = link_new_task(ts, p, parent, false);
	if (ret) {
		exit_files(p);
		if (p->mm) {
			p->mm->owner = NULL;
			mmput(p->mm);
		}
		free_task_ext(e);
		return ERR_PTR(ret);
	}
	return p;
}

static long kernel_clone(void)
{
	struct task_struct *parent = current, *p;

	if (!parent)
		return -ESRCH;
	if (fatal_signal_pending(parent))
		return -EINTR;
	p = copy_process(parent);
	if (IS_ERR(p))
		return PTR_ERR(p);
	return p->pid;
}

/**
 * sys_fork - fork current
 *
 * Return: the child's pid (current stays the parent), or -EAGAIN,
 * -ENOMEM, -ESRCH (no current task).
 */
long sys_fork(void)
{
	RETURN_IF_HALTED(-EIO);
	return kernel_clone();
}

long sys_getpid(void)
{
	struct task_struct *t = current;

	RETURN_IF_HALTED(-EIO);
	return t ? t->tgid : -ESRCH;
}

long sys_getppid(void)
{
	struct task_struct *t = current;
	struct task_state *ts;
	long ppid;

	RETURN_IF_HALTED(-EIO);
	if (!t)
		return -ESRCH;
	ts = task_state_of(t->machine);
	tasklist_lock(ts);
	ppid = t->real_parent ? t->real_parent->tgid : 0;
	tasklist_unlock(ts);
	return ppid;
}

struct mm_struct *get_task_mm(struct task_struct *t)
{
	struct task_state *ts = task_state_of(t->machine);
	struct mm_struct *mm = NULL;

	tasklist_lock(ts);
	if (t->mm && !(t->flags & PF_KTHREAD)) {
		mm = t->mm;
		mmget(mm);
	}
	tasklist_unlock(ts);
	return mm;
}
