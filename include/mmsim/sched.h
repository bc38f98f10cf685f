/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sched.h - simulated tasks (Linux's include/linux/sched.h, the fields mm
 * needs) and the glue that runs them on simulated CPUs (DESIGN §3b).
 *
 * A task is a process with one thread (tgid == pid).  Every user task
 * descends from the machine's init (pid 1, made at boot, no mm); kernel
 * threads have mm == NULL and borrow the previous task's mm as active_mm
 * (lazy TLB).  current is per simulated CPU: the task the calling thread's
 * CPU runs, NULL when it runs none.
 *
 * Lifetime: a task is created by mmsim_spawn() or sys_fork(); it exits
 * (sys_exit_group, or a fatal signal's default action), freeing its mm at
 * once, and stays a zombie (exit_state == EXIT_ZOMBIE) holding its pid
 * until its parent reaps it (sys_wait4; init reaps its own children at
 * once).  The struct is freed when its last reference goes
 * (get_task_struct/put_task_struct).
 *
 * Locking: the machine's task lock (kernel/pid.c: tasklist_lock)
 * protects the pid table, the task list and parent/child links; a task's
 * own fields are written by the CPU running it or under tasklist_lock.
 */
#ifndef MMSIM_SCHED_H
#define MMSIM_SCHED_H

#include <sys/types.h>
#include <mmsim/types.h>
#include <mmsim/list.h>
#include <mmsim/signal.h>
#include <mmsim/segment.h>

struct mm_struct;
struct files_struct;
struct mmsim;

#define TASK_COMM_LEN	16

/* task->__state and ->exit_state (Linux's values). */
#define TASK_RUNNING		0x00000000
#define TASK_INTERRUPTIBLE	0x00000001
#define TASK_UNINTERRUPTIBLE	0x00000002
#define __TASK_STOPPED		0x00000004
#define EXIT_DEAD		0x00000010
#define EXIT_ZOMBIE		0x00000020
#define TASK_DEAD		0x00000080

/* task->flags (PF_*). */
#define PF_EXITING	0x00000004
#define PF_MEMALLOC	0x00000800
#define PF_KSWAPD	0x00020000
#define PF_KTHREAD	0x00200000
#define PF_SIGNALED	0x00000400

/* Resource limits (Linux's numbering, same as the host's). */
#ifndef RLIMIT_CPU
#define RLIMIT_CPU	0
#define RLIMIT_FSIZE	1
#define RLIMIT_DATA	2
#define RLIMIT_STACK	3
#define RLIMIT_CORE	4
#define RLIMIT_RSS	5
#define RLIMIT_NPROC	6
#define RLIMIT_NOFILE	7
#define RLIMIT_MEMLOCK	8
#define RLIMIT_AS	9
#endif
#define MMSIM_RLIM_NLIMITS	16
#define RLIM_INFINITY_UL	(~0UL)

#define OOM_SCORE_ADJ_MIN	(-1000)
#define OOM_SCORE_ADJ_MAX	1000

/* The user registers a fault report needs (the simulated program's). */
struct pt_regs {
	unsigned long ip;		/* x86 rip / arm64 pc */
	unsigned long sp;
	unsigned long flags;		/* x86 eflags / arm64 pstate */
};

struct mmsim_rlimit {
	unsigned long rlim_cur, rlim_max;
};

/* Shared by the threads of a process (one thread here). */
struct signal_struct {
	atomic_t live;
	int group_exit_code;
	short oom_score_adj;		/* /proc/PID/oom_score_adj */
	short oom_score_adj_min;
	struct mmsim_rlimit rlim[MMSIM_RLIM_NLIMITS];
	u64 cap_dropped;		/* CAP_* bits not in the effective set (0: root's all) */
	unsigned long cmin_flt, cmaj_flt;	/* of reaped children */
	unsigned long maxrss;		/* peak RSS of exited threads, pages */
};

struct task_struct {
	unsigned int __state;		/* TASK_RUNNING, ... */
	unsigned int flags;		/* PF_* */
	atomic_t usage;			/* references to the struct */
	pid_t pid, tgid;
	char comm[TASK_COMM_LEN];
	struct mm_struct *mm;		/* NULL for kernel threads and after exit */
	struct mm_struct *active_mm;	/* the mm loaded while it runs */
	int exit_state;			/* 0, EXIT_ZOMBIE, EXIT_DEAD */
	int exit_code;			/* wait status: code << 8 | signal */
	int exit_signal;		/* SIGCHLD */
	int on_cpu;			/* the CPU running it, or -1 */
	unsigned long min_flt, maj_flt;	/* faults without / with I/O */
	unsigned long nvcsw, nivcsw;
	u64 start_time;			/* virtual ns since boot */
	u64 utime, stime;		/* virtual ns */
	struct signal_struct *signal;
	kernel_sigset_t pending;	/* signals sent, not yet acted on */
	struct task_struct *real_parent, *parent;
	struct list_head children;	/* its children (->sibling) */
	struct list_head sibling;	/* in parent->children */
	struct list_head tasks;		/* the machine's task list */
	struct pt_regs regs;		/* user registers (ip/sp for reports) */
	struct seg_regs seg;		/* x86 segment registers (arch/segment.c) */
	struct mmsim *machine;
	struct files_struct *files;	/* open files (fs/file.c); NULL for init and kernel threads */
	void *mm_private;		/* mm's per-task data (reclaim, OOM) */
	/* Dirty throttling (mm/page-writeback.c, Linux's names). */
	int nr_dirtied;			/* pages dirtied since the last balance */
	int nr_dirtied_pause;		/* balance after this many (0: the initial 32 at 4K) */
	unsigned long dirty_paused_when;	/* jiffies the last pause ended */
};

/* The task the calling thread's CPU runs, or NULL. */
struct task_struct *get_current(void);
#define current get_current()

static inline pid_t task_pid_nr(struct task_struct *t) { return t->pid; }
static inline pid_t task_tgid_nr(struct task_struct *t) { return t->tgid; }
/* The task with @pid on the current machine (zombies included), or NULL. */
struct task_struct *find_task_by_vpid(pid_t pid);
void get_task_struct(struct task_struct *t);
void put_task_struct(struct task_struct *t);
/* A reference on @t's mm (mm_users), or NULL for kernel threads and exited tasks. */
struct mm_struct *get_task_mm(struct task_struct *t);
static inline unsigned long task_rlimit(const struct task_struct *t, unsigned int limit)
{
	return t->signal->rlim[limit].rlim_cur;
}
static inline unsigned long rlimit(unsigned int limit) { return task_rlimit(current, limit); }

/*
 * Machine glue (DESIGN §3b).  mmsim_spawn: a user process as after execve
 * of a static program -- an mm with a stack VMA and an empty heap -- as a
 * child of init; it does not run until switched to.  NULL + errno (EIO
 * on a halted machine, <mmsim/panic.h>).
 */
struct task_struct *mmsim_spawn(struct mmsim *m, const char *comm);
/* Run @t on the calling thread's CPU (context switch, switch_mm with
 * ASID/PCID); 0, or -ESRCH when @t has exited, -EIO on a halted machine. */
int mmsim_switch_to(struct task_struct *t);
/* Stop running any task on this CPU (current becomes NULL; the mm stays
 * loaded lazily, as for a kernel thread). */
void mmsim_switch_idle(void);
/*
 * exit_to_user_mode - act on current's pending signals before it returns
 * to user mode (kernel/signal.c; Linux's exit_to_user_mode_loop ->
 * get_signal).  The fault path sends SIGSEGV with force_sig_fault() while
 * it holds locks; mmsim_user_read/write call this after dropping them.
 * Returns the signal current died of (current is then NULL), or 0.
 */
int exit_to_user_mode(void);
/* Iterate the machine's live tasks (zombies included), in pid order of creation. */
struct task_struct *next_task_of(struct mmsim *m, struct task_struct *prev);

#endif
