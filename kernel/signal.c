// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/signal.c - signals with their default actions: sys_kill,
 * send_sig, force_sig_fault, force_sig, exit_to_user_mode.
 *
 * Every mmsim task has every handler at SIG_DFL (there is no program to
 * install one), so a signal does what Linux's default action does:
 *   ignore     SIGCHLD, SIGCONT, SIGURG, SIGWINCH: dropped when sent
 *              (sig_ignored(): not even queued);
 *   stop       SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU: mmsim has no stopped
 *              state yet, so these are accepted and dropped (kill returns
 *              0, nothing changes);
 *   terminate  everything else, real-time signals included; the
 *              "coredump" ones (SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGFPE,
 *              SIGSEGV, SIGBUS, SIGSYS, SIGXCPU, SIGXFSZ) too, and, as
 *              RLIMIT_CORE is 0 by default, without the core-dump bit
 *              (0x80) in the wait status, as Linux reports it then.
 * init (pid 1) ignores every signal whose handler is SIG_DFL (Linux's
 * SIGNAL_UNKILLABLE); kill(1, ...) succeeds and does nothing.
 *
 * When a fatal signal takes effect (DESIGN §3b: before the call that
 * sent it returns):
 *   - to a task no CPU runs: at once, on the sender's CPU -- the target
 *     exits (its memory freed) and is a zombie (or reaped, if init's
 *     child) when kill returns;
 *   - to current (kill(getpid(), ...), send_sig(..., current)): before
 *     sys_kill returns to "user mode": current exits and is then NULL;
 *   - to a task current on another CPU: that CPU's thread may be in the
 *     middle of an access (a fault, a copy), so the sender only marks it
 *     (SIGKILL pending with the signal as group_exit_code, Linux's
 *     complete_signal()), and the target's own CPU acts at its next
 *     exit_to_user_mode() -- after each mmsim_user_read/write (which then
 *     returns -EINTR), or when its thread switches it out.  From the mark
 *     on, fatal_signal_pending() is true and mmsim_switch_to() of the
 *     target from any other CPU answers -ESRCH.
 * force_sig_fault() (the fault path, with locks held) only records the
 * signal, its si_code and address on current; exit_to_user_mode() takes
 * the default action once the locks are dropped.  Synchronous signals
 * (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE, SIGSYS) are dequeued first,
 * then the lowest-numbered, as Linux's dequeue_signal() does.
 *
 * sys_kill(pid, sig) follows kill_something_info(): pid > 0 that
 * process; 0 the caller's process group; -1 every process but init and
 * the caller (-ESRCH if none); < -1 process group -pid.  sig 0 checks
 * existence only.  A zombie may be signalled (0, no effect).
 *
 * Locking: tasklist_lock while targets are chosen and marked; the
 * pending masks are atomics (a sender on another CPU sets bits, the
 * owner clears them).  Exits run after the lock is dropped.
 *
 * Invariants: SIGKILL pending <=> a fatal signal was sent and not yet
 * acted on (group_exit_code holds it); a task that exited has no effect
 * from later signals; init never leaves on a signal.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <mmsim/workqueue.h>
#include "kernel/internal.h"

/* One bit per signal, 1..64 (not the host's sigmask(), an int on glibc). */
#define sig_bit(sig)	(1UL << ((sig) - 1))

#define SYNCHRONOUS_MASK							\
	(sig_bit(SIGSEGV) | sig_bit(SIGBUS) | sig_bit(SIGILL) | sig_bit(SIGTRAP) |	\
	 sig_bit(SIGFPE) | sig_bit(SIGSYS))

bool sig_kernel_ignore(int sig)
{
	return sig == SIGCONT || sig == SIGCHLD || sig == 23 /* SIGURG */ ||
	       sig == 28 /* SIGWINCH */;
}

bool sig_kernel_stop(int sig)
{
	return sig == SIGSTOP || sig == SIGTSTP || sig == 21 /* SIGTTIN */ ||
	       sig == 22 /* SIGTTOU */;
}

bool sig_kernel_coredump(int sig)
{
	switch (sig) {
	case SIGQUIT: case SIGILL: case SIGTRAP: case SIGABRT: case SIGFPE:
	case SIGSEGV: case SIGBUS: case SIGSYS: case SIGXCPU: case SIGXFSZ:
		return true;
	default:
		return false;
	}
}

static bool sig_fatal(int sig)
{
	return !sig_kernel_ignore(sig) && !sig_kernel_stop(sig);
}

static unsigned long pending_load(struct task_struct *t)
{
	return __atomic_load_n(&t->pending.sig, __ATOMIC_ACQUIRE);
}

static void pending_set(struct task_struct *t, int sig)
{
	__atomic_fetch_or(&t->pending.sig, sig_bit(sig), __ATOMIC_RELEASE);
}

static void pending_clear(struct task_struct *t, unsigned long mask)
{
	__atomic_fetch_and(&t->pending.sig, ~mask, __ATOMIC_ACQ_REL);
}

bool fatal_signal_pending(struct task_struct *t)
{
	return t && (pending_load(t) & sig_bit(SIGKILL));
}

/*
 * send_signal_locked - queue @sig for @t (Linux's __send_signal_locked +
 * complete_signal with every handler SIG_DFL).  Returns true when @t is
 * to exit now on the caller's CPU: it runs nowhere and @sig is fatal.
 */
bool send_signal_locked(int sig, struct task_struct *t, bool from_user)
{
	struct task_state *ts = task_state_of(t->machine);

	tasklist_assert_held(ts);
	if (!sig || t->exit_state || (t->flags & PF_EXITING))
		return false;
	if (t == ts->init_task && from_user)
		return false;	/* SIGNAL_UNKILLABLE: SIG_DFL signals to init are dropped */
	if (sig_kernel_ignore(sig) || sig_kernel_stop(sig))
		return false;
	if (t == ts->init_task)
		return false;	/* init never exits: a kernel-sent fatal signal is dropped too */
	/* complete_signal(): a fatal signal kills the whole group. */
	if (!fatal_signal_pending(t))
		t->signal->group_exit_code = sig;
	pending_set(t, SIGKILL);
	return t->on_cpu < 0;
}

/* Act on a task marked by send_signal_locked: it exits now. */
static void kill_now(struct task_struct *t)
{
	do_exit_task(t, t->signal->group_exit_code & 0x7f);
}

/**
 * send_sig - deliver @sig to @t (a kernel-originated signal)
 *
 * Default actions take effect before return as the file comment says.
 * Return: 0, or -EINVAL for a bad signal number.
 */
int send_sig(int sig, struct task_struct *t, int priv)
{
	struct task_state *ts;
	bool now;

	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (!t)
		return -ESRCH;
	ts = task_state_of(t->machine);
	tasklist_lock(ts);
	now = send_signal_locked(sig, t, !priv);
	tasklist_unlock(ts);
	if (now)
		kill_now(t);
	else if (t == current)
		exit_to_user_mode();
	return 0;
}

/**
 * force_sig_fault - a fault signal for current, acted on at
 * exit_to_user_mode() (the caller holds mm locks)
 * @sig: SIGSEGV, SIGBUS, ...
 * @code: its si_code (SEGV_MAPERR, SEGV_ACCERR, BUS_ADRERR, ...)
 * @addr: the faulting address (si_addr)
 */
int force_sig_fault(int sig, int code, unsigned long addr)
{
	struct task_struct *t = current;

	if (!t || sig <= 0 || sig > _NSIG)
		return -EINVAL;
	task_ext(t)->fault_code = code;
	task_ext(t)->fault_addr = addr;
	pending_set(t, sig);
	return 0;
}

void force_sig(int sig)
{
	struct task_struct *t = current;

	if (t && sig > 0 && sig <= _NSIG)
		pending_set(t, sig);
}

/* dequeue_signal(): synchronous signals first, then the lowest number. */
static int next_signal(unsigned long pending)
{
	unsigned long sync = pending & SYNCHRONOUS_MASK;

	if (sync)
		pending = sync;
	return pending ? __builtin_ctzl(pending) + 1 : 0;
}

/**
 * exit_to_user_mode - current acts on its pending signals
 *
 * Linux's exit_to_user_mode_loop() -> get_signal(): a pending SIGKILL
 * (a fatal signal sent while the task ran) makes it exit with the signal
 * that was sent; other signals take their default action in dequeue
 * order.  Return: the signal current died of (current is then NULL), or 0.
 */
int exit_to_user_mode(void)
{
	struct task_struct *t;
	unsigned long pending;
	int sig;

	run_pending_work(current_machine());	/* deferred work due by now */
	t = current;
	if (!t)
		return 0;
	while ((pending = pending_load(t))) {
		if (pending & sig_bit(SIGKILL)) {
			sig = t->signal->group_exit_code & 0x7f;
			if (!sig)
				sig = SIGKILL;
			pending_clear(t, ~0UL);
			do_exit_task(t, sig);
			return sig;
		}
		sig = next_signal(pending);
		pending_clear(t, sig_bit(sig));
		if (!sig_fatal(sig) || t == task_state_of(t->machine)->init_task)
			continue;
		/* RLIMIT_CORE is 0 unless raised: no dump, no 0x80 bit. */
		do_exit_task(t, sig);
		return sig;
	}
	return 0;
}

/* Mark every target of @pid (kill_something_info) and collect those to kill now. */
static int kill_targets_locked(struct task_state *ts, struct task_struct *self, pid_t pid,
			       int sig, struct task_struct ***now, int *nr_now)
{
	struct task_struct *p;
	int found = 0, cap = 0;

	*nr_now = 0;
	*now = NULL;
	if (pid > 0) {
		p = find_task_locked(ts, pid);
		if (!p)
			return 0;
		if (send_signal_locked(sig, p, true)) {
			*now = malloc(sizeof(**now));
			if (*now)
				(*now)[(*nr_now)++] = p;
		}
		return 1;
	}
	list_for_each_entry(p, &ts->tasks, tasks) {
		if (pid == 0 && task_ext(p)->pgid != task_ext(self)->pgid)
			continue;
		if (pid == -1 && (p->pid <= 1 || p == self))
			continue;
		if (pid < -1 && task_ext(p)->pgid != -pid)
			continue;
		found++;
		if (!send_signal_locked(sig, p, true))
			continue;
		if (*nr_now == cap) {
			struct task_struct **n;

			cap = cap ? cap * 2 : 8;
			n = realloc(*now, (size_t)cap * sizeof(*n));
			if (!n) {
				/* Out of host memory: it stays marked, dies when next switched. */
				continue;
			}
			*now = n;
		}
		(*now)[(*nr_now)++] = p;
	}
	return found;
}

/**
 * sys_kill - send @sig to the processes @pid selects (see the file comment)
 *
 * Return: 0; -EINVAL (bad signal); -ESRCH (no such process or group, or
 * no current task).
 */
long sys_kill(pid_t pid, int sig)
{
	struct task_struct *self = current, **now;
	struct task_state *ts;
	int found, nr_now;

	RETURN_IF_HALTED(-EIO);
	if (!self)
		return -ESRCH;
	if (sig < 0 || sig > _NSIG)
		return -EINVAL;
	if (pid == INT_MIN)
		return -ESRCH;
	ts = task_state_of(self->machine);
	tasklist_lock(ts);
	found = kill_targets_locked(ts, self, pid, sig, &now, &nr_now);
	tasklist_unlock(ts);
	for (int i = 0; i < nr_now; i++)
		kill_now(now[i]);
	free(now);
	if (!found)
		return -ESRCH;
	/* Signals to current itself are acted on before "returning to user". */
	exit_to_user_mode();
	return 0;
}
