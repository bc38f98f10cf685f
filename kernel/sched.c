// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/sched.c - current, and the context switch of the simulated CPUs.
 *
 * mmsim has no scheduler: the host thread entered on a CPU decides what
 * that CPU runs.  mmsim_switch_to(t) makes @t current on the calling
 * thread's CPU (Linux's context_switch()), mmsim_switch_idle() leaves the
 * CPU running no task (the idle task).  A task runs on at most one CPU
 * (-EBUSY if it runs elsewhere); an exited task, or one a fatal signal is
 * about to kill, cannot run (-ESRCH).
 *
 * context_switch(prev, next), as Linux's:
 *   - next has an mm: switch_mm(active, next->mm) (arch/mmu.c), which
 *     loads its page table and ASID/PCID, flushing only when the ASID
 *     machinery must, and moves the CPU's mm_count reference;
 *   - next has none (init, kernel threads): lazy TLB -- the CPU keeps the
 *     mm it has loaded, next->active_mm borrows it with mmgrab(), and the
 *     reference is dropped (mmdrop) when next is switched out.
 * Before it switches, the outgoing task acts on its pending signals
 * (exit_to_user_mode): a fatal one sent while it ran makes it exit here.
 *
 * States shown in /proc: the task current on a CPU is TASK_RUNNING ("R");
 * a live task no CPU runs is TASK_INTERRUPTIBLE ("S": the simulated
 * program waits for its driver).  Switching a task out counts a
 * nonvoluntary switch when another task takes the CPU (preemption) and a
 * voluntary one when the CPU goes idle (the program went to sleep).
 *
 * Accounting: virtual time (the machine's clock_ns, moved by
 * mmsim_advance_clock) that passes while a CPU has a current task is that
 * task's user time and the CPU's user time in /proc/stat; the rest is
 * idle.  Kernel work takes no virtual time, so system time stays 0.
 *
 * Locking: tasklist_lock around every change of curr/on_cpu (senders of
 * signals on other CPUs read on_cpu under it); switch_mm and the mm
 * references outside it, on the CPU's own thread.  The per-CPU counters
 * are atomics, read without locks by /proc/stat.
 *
 * Invariants (under tasklist_lock):
 *   cpus[c].curr == t  iff  t->on_cpu == c
 *   t->on_cpu >= 0  =>  !(t->flags & PF_EXITING) || t is current there
 *   sched_cpu.busy == (cpus[c].curr != NULL)
 */
#include "kernel/internal.h"

struct task_struct *get_current(void)
{
	struct cpu_state *c = current_cpu;

	if (unlikely(wq_in_worker()))
		return NULL;	/* a work function: a kworker's context */
	return c ? c->curr : NULL;
}

u64 task_clock_ns(struct mmsim *m)
{
	return atomic_load_explicit(&m->hw.clock_ns, memory_order_relaxed);
}

static void sched_task_on_cpu_locked(struct task_state *ts, struct task_struct *t,
				     struct cpu_state *c)
{
	struct sched_cpu *sc = &ts->cpus[c->id];
	u64 now = task_clock_ns(c->m);

	tasklist_assert_held(ts);
	t->on_cpu = c->id;
	task_ext(t)->last_cpu = c->id;
	t->__state = TASK_RUNNING;
	task_ext(t)->run_since = now;
	c->curr = t;
	atomic_store(&sc->busy_since, now);
	atomic_store(&sc->busy, 1);
}

void sched_task_off_cpu_locked(struct task_state *ts, struct task_struct *t)
{
	struct mmsim *m = t->machine;
	struct sched_cpu *sc;
	struct cpu_state *c;
	u64 now, delta;

	tasklist_assert_held(ts);
	if (t->on_cpu < 0)
		return;
	c = &m->cpus[t->on_cpu];
	sc = &ts->cpus[t->on_cpu];
	now = task_clock_ns(m);
	delta = now > task_ext(t)->run_since ? now - task_ext(t)->run_since : 0;
	t->utime += delta;
	atomic_fetch_add(&sc->user_ns, delta);
	atomic_store(&sc->busy, 0);
	if (c->curr == t)
		c->curr = NULL;
	t->on_cpu = -1;
	if (!t->exit_state)
		t->__state = TASK_INTERRUPTIBLE;
}

u64 task_utime_ns(struct task_struct *t)
{
	u64 now = task_clock_ns(t->machine);

	if (t->on_cpu >= 0 && now > task_ext(t)->run_since)
		return t->utime + (now - task_ext(t)->run_since);
	return t->utime;
}

/* The user time of @cpu for /proc/stat (kcpustat_cpu_fetch). */
u64 sched_cpu_user_ns(struct mmsim *m, int cpu)
{
	struct sched_cpu *sc = &task_state_of(m)->cpus[cpu];
	u64 user = atomic_load(&sc->user_ns);

	if (atomic_load(&sc->busy)) {
		u64 now = task_clock_ns(m), since = atomic_load(&sc->busy_since);

		if (now > since)
			user += now - since;
	}
	return user;
}

unsigned long long sched_nr_context_switches(struct mmsim *m)
{
	struct task_state *ts = task_state_of(m);
	unsigned long long n = 0;

	for (int i = 0; i < ts->nr_cpus; i++)
		n += atomic_load(&ts->cpus[i].nr_switches);
	return n;
}

/*
 * procs_running: the CPUs running a task, plus the reader itself when its
 * CPU runs none (Linux counts the task reading /proc/stat; with no
 * simulated task that is init, as the file said before tasks existed).
 */
unsigned int sched_nr_running(struct mmsim *m)
{
	struct task_state *ts = task_state_of(m);
	unsigned int n = 0;

	for (int i = 0; i < ts->nr_cpus; i++)
		n += atomic_load(&ts->cpus[i].busy) ? 1 : 0;
	if (!current_cpu || current_cpu->m != m || !atomic_load(&ts->cpus[current_cpu->id].busy))
		n++;
	return n;
}

/* Linux's context_switch(): the address space part. */
static void context_switch(struct task_struct *prev, struct task_struct *next)
{
	struct mm_struct *oldmm = mmu_active_mm();

	if (!next->mm) {
		/* Lazy TLB: keep what is loaded; borrow it while running. */
		next->active_mm = oldmm;
		mmgrab(oldmm);
	} else {
		switch_mm(oldmm, next->mm, next);
		next->active_mm = next->mm;
	}
	if (prev && !prev->mm && prev->active_mm) {
		/* A lazy task gives its borrowed mm back (finish_task_switch). */
		mmdrop(prev->active_mm);
		prev->active_mm = NULL;
	}
}

/**
 * mmsim_switch_to - run @t on the calling thread's CPU
 * @t: a task of the CPU's machine
 *
 * The task current here (if any) first acts on its pending signals, then
 * is switched out; @t becomes current and its address space is loaded.
 * Return: 0; -ESRCH if @t has exited or a fatal signal is pending for it;
 * -EBUSY if another CPU runs it; -EINVAL if the thread is on no CPU of
 * @t's machine.
 */
int mmsim_switch_to(struct task_struct *t)
{
	struct cpu_state *c = current_cpu;
	struct task_struct *prev;
	struct task_state *ts;

	if (!c || !t || t->machine != c->m)
		return -EINVAL;
	RETURN_IF_HALTED(-EIO);
	exit_to_user_mode();
	ts = task_state_of(c->m);
	tasklist_lock(ts);
	prev = c->curr;
	if (t == prev) {
		tasklist_unlock(ts);
		return 0;
	}
	if (t->exit_state || (t->flags & PF_EXITING) || fatal_signal_pending(t)) {
		tasklist_unlock(ts);
		return -ESRCH;
	}
	if (t->on_cpu >= 0) {
		tasklist_unlock(ts);
		return -EBUSY;
	}
	if (prev) {
		sched_task_off_cpu_locked(ts, prev);
		prev->nivcsw++;
	}
	sched_task_on_cpu_locked(ts, t, c);
	atomic_fetch_add(&ts->cpus[c->id].nr_switches, 1);
	tasklist_unlock(ts);
	context_switch(prev, t);
	return 0;
}

/**
 * mmsim_switch_idle - the calling thread's CPU stops running any task
 *
 * The current task acts on its pending signals and is switched out; the
 * CPU keeps its address space loaded (lazy TLB) until the next
 * mmsim_switch_to() loads another.
 */
void mmsim_switch_idle(void)
{
	struct cpu_state *c = current_cpu;
	struct task_struct *prev;
	struct task_state *ts;

	if (!c)
		return;
	exit_to_user_mode();
	ts = task_state_of(c->m);
	tasklist_lock(ts);
	prev = c->curr;
	if (prev) {
		sched_task_off_cpu_locked(ts, prev);
		prev->nvcsw++;
		atomic_fetch_add(&ts->cpus[c->id].nr_switches, 1);
	}
	tasklist_unlock(ts);
	if (prev && !prev->mm && prev->active_mm) {
		mmdrop(prev->active_mm);
		prev->active_mm = NULL;
	}
}
