/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kernel/internal.h - what the task files of kernel/ (pid.c, sched.c,
 * fork.c, exit.c, signal.c) and their /proc renderers (fs/proc/base.c,
 * fs/proc/array.c) share.  Not installed.
 *
 * struct task_ext wraps every task_struct with what <mmsim/sched.h> does
 * not show: the process group and session, the details of a fault signal,
 * the children's peak RSS and times, and the task's own signal_struct
 * (one thread per process, so the signal_struct is allocated with it).
 * task_ext(t) finds it (container_of).
 *
 * struct task_state is the machine's state of subsystem "pid" (kernel/
 * pid.c): the pid table, the task list, tasklist_lock, the per-CPU
 * scheduler counters that /proc/stat reads.
 *
 * Locking: tasklist_lock (a pthread mutex per machine) protects the pid
 * table, the task lists, parent/child links, exit_state, exit_code, the
 * PF_EXITING flag, on_cpu, ->mm being cleared at exit and every CPU's curr
 * pointer changing.  It nests inside nothing of mm/ (mmput, dup_mmap and
 * setup_new_exec_mm run without it) and may be held while printk runs.
 * A task's pending mask is changed with atomic operations (senders on
 * other CPUs), its fault counters by the CPU running it.
 *
 * Lifetime: a task_ext lives from mmsim_spawn()/sys_fork() until the
 * machine shuts down.  Reaping (release_task) frees its pid and takes it
 * off the task list, but the struct itself is parked on the machine's
 * dead list: the API hands out bare pointers (mmsim_spawn,
 * find_task_by_vpid), and mmsim_switch_to() on a reaped task must answer
 * -ESRCH, not read freed memory.
 */
#ifndef MMSIM_KERNEL_INTERNAL_H
#define MMSIM_KERNEL_INTERNAL_H

#include <stdlib.h>
#include <mmsim/kmemleak.h>
#include <pthread.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include <mmsim/err.h>
#include <mmsim/mmu.h>
#include <mmsim/panic.h>
#include "mm/internal.h"

/* mm/mmap.c (declared in mm/vma_internal.h, which brings all of mm's
 * user-side internals; kernel/ needs this one). */
int setup_new_exec_mm(struct mm_struct *mm);

/* kernel/workqueue.c: this thread runs a work function (current is NULL). */
bool wq_in_worker(void);
/* kernel/workqueue.c: the pending list's invariants (tests). */
bool workqueue_is_valid(struct mmsim *m);

/* task->flags bits sched.h does not name (Linux's values). */
#define PF_FORKNOEXEC	0x00000040	/* forked but didn't exec */

/* Linux's pid limits (include/linux/threads.h). */
#define PID_MAX_DEFAULT		0x8000		/* 32768 */
#define RESERVED_PIDS		300
#define PIDS_PER_CPU_DEFAULT	1024
#define PIDS_PER_CPU_MIN	8
#define PID_MAX_LIMIT_64	(4 * 1024 * 1024)
#define PID_CHUNK_SHIFT		12		/* the pid table: chunks of 4096 */
#define PID_CHUNK		(1 << PID_CHUNK_SHIFT)
#define PID_NR_CHUNKS		(PID_MAX_LIMIT_64 / PID_CHUNK)

#define USER_HZ			100

struct task_ext {
	struct task_struct task;
	struct signal_struct signal;	/* task.signal points here */
	pid_t pgid, sid;		/* process group, session (spawn: own pid) */
	int fault_code;			/* si_code of the last force_sig_fault */
	unsigned long fault_addr;	/* its si_addr */
	unsigned long cmaxrss;		/* peak RSS of reaped children, pages */
	u64 cutime, cstime;		/* reaped children's times, ns */
	u64 run_since;			/* clock_ns when it last started running */
	int last_cpu;			/* the CPU it last ran on (task_cpu()) */
	bool released;			/* release_task ran: on the dead list */
	u64 seq;			/* creation order on the machine (next_task_of) */
};

static inline struct task_ext *task_ext(struct task_struct *t)
{
	return container_of(t, struct task_ext, task);
}

/* Per-CPU counters of the scheduler (kernel/sched.c), read by /proc/stat. */
struct sched_cpu {
	atomic_ullong nr_switches;	/* context switches (ctxt) */
	atomic_ullong user_ns;		/* virtual time a task ran here, closed intervals */
	atomic_ullong busy_since;	/* clock_ns when curr started, if curr */
	atomic_int busy;		/* a task is current here */
};

/* The machine's task state (subsystem "pid", kernel/pid.c). */
struct task_state {
	pthread_mutex_t tasklist_lock;
	pthread_cond_t wait_chldexit;	/* wait4 sleepers; broadcast at every exit */
	bool lock_ready;
	struct list_head tasks;		/* live tasks and zombies, by creation (->tasks) */
	struct list_head dead;		/* reaped task_exts, freed at shutdown */
	struct task_struct **pid_dir[PID_NR_CHUNKS];	/* pid -> task, chunks on demand */
	int last_pid;			/* the idr cursor: the last pid handed out */
	u64 next_seq;			/* creation order of the next task */
	int pid_max;			/* /proc/sys/kernel/pid_max */
	int pid_max_min, pid_max_max;
	int nr_threads;			/* tasks holding a pid */
	unsigned long max_threads;	/* fork_init(): sizes RLIMIT_NPROC/SIGPENDING */
	atomic_ulong total_forks;	/* /proc/stat processes */
	struct task_struct *init_task;	/* pid 1 */
	struct sched_cpu *cpus;		/* [nr_cpus] */
	int nr_cpus;
};

/* kernel/pid.c */
struct task_state *task_state_of(struct mmsim *m);
void tasklist_lock(struct task_state *ts);
void tasklist_unlock(struct task_state *ts);
void tasklist_assert_held(struct task_state *ts);
/* A free pid (Linux's alloc_pid: cyclic, wrapping to RESERVED_PIDS), or -EAGAIN. */
int alloc_pid_locked(struct task_state *ts);
void attach_pid_locked(struct task_state *ts, struct task_struct *t);
void free_pid_locked(struct task_state *ts, pid_t pid);
struct task_struct *find_task_locked(struct task_state *ts, pid_t pid);
/* Every invariant of the machine's tasks holds (logs the first that does not). */
bool tasks_are_valid(struct mmsim *m);
/* A zeroed task_ext with default rlimits; NULL on host OOM. */
struct task_ext *alloc_task_ext(struct mmsim *m);
/* A task_ext that never ran: its kmemleak record goes with it. */
static inline void free_task_ext(struct task_ext *e)
{
	kmemleak_free(e);
	free(e);
}
void default_rlimits(struct signal_struct *sig, const struct task_state *ts);

/* kernel/sched.c */
u64 task_clock_ns(struct mmsim *m);
/* The CPU @t runs on stops running it (under tasklist_lock): time, counters. */
void sched_task_off_cpu_locked(struct task_state *ts, struct task_struct *t);
unsigned long long sched_nr_context_switches(struct mmsim *m);
unsigned int sched_nr_running(struct mmsim *m);
u64 sched_cpu_user_ns(struct mmsim *m, int cpu);
/* utime of @t including the interval it is running now. */
u64 task_utime_ns(struct task_struct *t);

/* kernel/exit.c */
/* @t exits with wait status @code (current, or a task running nowhere). */
void do_exit_task(struct task_struct *t, int code);
/* Reap @p (an EXIT_DEAD or reaped zombie): pid freed, off the lists. */
void release_task_locked(struct task_state *ts, struct task_struct *p);

/* kernel/signal.c */
bool sig_kernel_ignore(int sig);
bool sig_kernel_stop(int sig);
bool sig_kernel_coredump(int sig);
/* Queue @sig for @t under tasklist_lock; true if @t must be made to exit
 * now by the caller (a fatal signal to a task running nowhere). */
bool send_signal_locked(int sig, struct task_struct *t, bool from_user);

/* fs/proc/base.c: the task a /proc/PID path names, with a reference, or NULL. */
struct proc_file;
struct task_struct *proc_pid_task(struct proc_file *f);

#endif
