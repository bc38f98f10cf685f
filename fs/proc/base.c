// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/base.c - the /proc/PID directory: which task a path names, and
 * the small per-process files: comm, cmdline, oom_score, oom_score_adj,
 * oom_adj.  (status, stat and statm are fs/proc/array.c; maps, smaps and
 * smaps_rollup fs/proc/task_mmu.c.)
 *
 * Every file is registered once with a '*' component, "/proc/ * /comm"
 * (without the spaces); proc_pid_task() turns the component into a task:
 * a pid written as Linux's name_to_int() accepts it (decimal digits, no
 * leading zero, below pid_max's limit), or "self" for current of the
 * reading thread's CPU.  A pid nobody holds is ENOENT, as a vanished
 * /proc/PID directory is.  Zombies keep their directory until reaped.
 *
 * Formats (Linux 6.8):
 *   comm           "%s\n"; a write sets it (first 15 bytes, a trailing
 *                  newline dropped)
 *   cmdline        the argv area of the mm; mmsim's programs have none
 *                  (arg_start == arg_end), so it is empty, as for a kernel
 *                  thread or a zombie
 *   oom_score_adj  "%d\n"; a write takes -1000..1000 (else -EINVAL), and,
 *                  every task being root with CAP_SYS_RESOURCE, also sets
 *                  oom_score_adj_min
 *   oom_adj        legacy -17..15: read as adj * 17 / 1000 (15 for 1000),
 *                  written as adj * 1000 / 17 (1000 for 15), with Linux's
 *                  one-time deprecation warning in the log
 *   oom_score      proc_oom_score(): (1000 + badness * 1000 / totalpages)
 *                  * 2 / 3, badness = RSS + swap entries + page-table pages
 *                  + adj * totalpages / 1000; 0 for init, tasks without mm
 *                  and adj -1000
 *
 * Locking: tasklist_lock while a task is looked up (a reference is
 * taken), and for the fields a write changes; the mm through get_task_mm.
 *
 * Invariants: a file of a pid nobody holds is ENOENT, never another
 * task's; a store that fails (-EINVAL, -ENOENT) changed nothing.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/oom.h>
#include "fs/proc/internal.h"
#include "kernel/internal.h"

/**
 * proc_pid_task - the task a /proc/PID path names, with a reference
 * @f: the open file; f->arg holds the PID component
 *
 * Return: the task (put_task_struct when done), or NULL.
 */
struct task_struct *proc_pid_task(struct proc_file *f)
{
	struct task_state *ts = task_state_of(f->m);
	struct task_struct *t = NULL;
	const char *s = f->arg;
	long pid = 0;

	if (!strcmp(s, "self")) {
		t = current_cpu && current_cpu->m == f->m ? current : NULL;
		if (!t)
			return NULL;
		tasklist_lock(ts);
		if (task_ext(t)->released)
			t = NULL;
		else
			get_task_struct(t);
		tasklist_unlock(ts);
		return t;
	}
	/* name_to_int(): digits only, no leading zero. */
	if (!*s || (s[0] == '0' && s[1]))
		return NULL;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || pid > 0x7fffffff / 10)
			return NULL;
		pid = pid * 10 + (*s - '0');
	}
	tasklist_lock(ts);
	t = find_task_locked(ts, (pid_t)pid);
	if (t)
		get_task_struct(t);
	tasklist_unlock(ts);
	return t;
}

/* ---------------------------------------------------------------------
 * comm, cmdline
 */

static int comm_show(struct seq_file *sf, struct proc_file *f)
{
	struct task_struct *t = proc_pid_task(f);
	char comm[TASK_COMM_LEN];

	if (!t)
		return -ENOENT;
	tasklist_lock(task_state_of(f->m));
	memcpy(comm, t->comm, sizeof(comm));
	tasklist_unlock(task_state_of(f->m));
	comm[TASK_COMM_LEN - 1] = '\0';
	seq_printf(sf, "%s\n", comm);
	put_task_struct(t);
	return 0;
}

static int comm_store(struct proc_file *f, const char *text)
{
	struct task_struct *t = proc_pid_task(f);
	size_t n = strlen(text);

	if (!t)
		return -ENOENT;
	if (n && text[n - 1] == '\n')
		n--;
	if (n > TASK_COMM_LEN - 1)
		n = TASK_COMM_LEN - 1;
	tasklist_lock(task_state_of(f->m));
	memset(t->comm, 0, sizeof(t->comm));
	memcpy(t->comm, text, n);
	tasklist_unlock(task_state_of(f->m));
	put_task_struct(t);
	return 0;
}

static int cmdline_show(struct seq_file *sf, struct proc_file *f)
{
	struct task_struct *t = proc_pid_task(f);

	if (!t)
		return -ENOENT;
	/* No argv area in mmsim's programs: nothing to show (see above). */
	put_task_struct(t);
	return 0;
}

/* ---------------------------------------------------------------------
 * The OOM knobs
 */

static int oom_score_adj_show(struct seq_file *sf, struct proc_file *f)
{
	struct task_struct *t = proc_pid_task(f);

	if (!t)
		return -ENOENT;
	seq_printf(sf, "%d\n", READ_ONCE(t->signal->oom_score_adj));
	put_task_struct(t);
	return 0;
}

static int set_oom_adj(struct proc_file *f, int adj, bool legacy)
{
	struct task_struct *t = proc_pid_task(f);
	struct task_state *ts = task_state_of(f->m);

	if (!t)
		return -ENOENT;
	tasklist_lock(ts);
	WRITE_ONCE(t->signal->oom_score_adj, (short)adj);
	/* Root has CAP_SYS_RESOURCE: a non-legacy write also sets the minimum. */
	if (!legacy)
		t->signal->oom_score_adj_min = (short)adj;
	tasklist_unlock(ts);
	put_task_struct(t);
	return 0;
}

static int oom_score_adj_store(struct proc_file *f, const char *text)
{
	long long v;

	if (proc_parse_ll(text, &v) || v < OOM_SCORE_ADJ_MIN || v > OOM_SCORE_ADJ_MAX)
		return -EINVAL;
	return set_oom_adj(f, (int)v, false);
}

static int oom_adj_show(struct seq_file *sf, struct proc_file *f)
{
	struct task_struct *t = proc_pid_task(f);
	int adj, oom_adj;

	if (!t)
		return -ENOENT;
	adj = READ_ONCE(t->signal->oom_score_adj);
	if (adj == OOM_SCORE_ADJ_MAX)
		oom_adj = OOM_ADJUST_MAX;
	else
		oom_adj = adj * -OOM_DISABLE / OOM_SCORE_ADJ_MAX;
	seq_printf(sf, "%d\n", oom_adj);
	put_task_struct(t);
	return 0;
}

static int oom_adj_store(struct proc_file *f, const char *text)
{
	static const char once_key;
	struct task_struct *me = current, *t;
	long long v;
	pid_t pid;
	int adj;

	if (proc_parse_ll(text, &v) || v < OOM_DISABLE || v > OOM_ADJUST_MAX)
		return -EINVAL;
	adj = v == OOM_ADJUST_MAX ? OOM_SCORE_ADJ_MAX : (int)v * OOM_SCORE_ADJ_MAX / -OOM_DISABLE;
	t = proc_pid_task(f);
	if (!t)
		return -ENOENT;
	pid = t->pid;
	put_task_struct(t);
	if (warn_once_first(&once_key))
		pr_warn("%s (%d): /proc/%d/oom_adj is deprecated, please use /proc/%d/oom_score_adj instead.\n",
			me ? me->comm : "init", me ? me->pid : 1, pid, pid);
	return set_oom_adj(f, adj, true);
}

static int oom_score_show(struct seq_file *sf, struct proc_file *f)
{
	struct task_struct *t = proc_pid_task(f);
	unsigned long totalpages = oom_totalpages();
	long badness, points = 0;

	if (!t)
		return -ENOENT;
	if (!totalpages)
		totalpages = 1;
	badness = oom_badness(t, totalpages);
	if (badness != LONG_MIN)
		points = (1000 + badness * 1000 / (long)totalpages) * 2 / 3;
	seq_printf(sf, "%lu\n", (unsigned long)points);
	put_task_struct(t);
	return 0;
}

/* fs/namespace.c, fs/file.c (the VFS's /proc/PID files) */
int vfs_mounts_show(struct seq_file *sf, struct proc_file *f);
int task_fd_show(struct seq_file *sf, struct task_struct *t);

/* /proc/PID/mounts: the machine's one mount namespace. */
static int pid_mounts_show(struct seq_file *sf, struct proc_file *f)
{
	struct task_struct *t = proc_pid_task(f);

	if (!t)
		return -ENOENT;
	put_task_struct(t);
	return vfs_mounts_show(sf, f);
}

/* /proc/PID/fd: "FD -> PATH" per open descriptor. */
static int pid_fd_show(struct seq_file *sf, struct proc_file *f)
{
	struct task_struct *t = proc_pid_task(f);
	int ret;

	if (!t)
		return -ENOENT;
	ret = task_fd_show(sf, t);
	put_task_struct(t);
	return ret;
}

/* fs/proc/array.c */
int proc_pid_status(struct seq_file *sf, struct proc_file *f);
int proc_pid_stat(struct seq_file *sf, struct proc_file *f);
int proc_pid_statm(struct seq_file *sf, struct proc_file *f);

static const struct proc_entry pid_entries[] = {
	{ "/proc/*/status", proc_pid_status, NULL, NULL },
	{ "/proc/*/stat", proc_pid_stat, NULL, NULL },
	{ "/proc/*/statm", proc_pid_statm, NULL, NULL },
	{ "/proc/*/comm", comm_show, comm_store, NULL },
	{ "/proc/*/cmdline", cmdline_show, NULL, NULL },
	{ "/proc/*/oom_score", oom_score_show, NULL, NULL },
	{ "/proc/*/oom_score_adj", oom_score_adj_show, oom_score_adj_store, NULL },
	{ "/proc/*/oom_adj", oom_adj_show, oom_adj_store, NULL },
	{ "/proc/*/mounts", pid_mounts_show, NULL, NULL },
	{ "/proc/*/fd", pid_fd_show, NULL, NULL },
};

PROC_SUBSYSTEM(proc_pid, pid_entries);
