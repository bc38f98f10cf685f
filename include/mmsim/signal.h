/* SPDX-License-Identifier: GPL-2.0 */
/*
 * signal.h - signal numbers, si_codes and wait status macros with Linux's
 * values (x86 and arm64 agree), each guarded so that this header may
 * follow the host's <signal.h> and <sys/wait.h>.
 */
#ifndef MMSIM_SIGNAL_H
#define MMSIM_SIGNAL_H

#ifndef SIGHUP
#define SIGHUP	1
#endif
#ifndef SIGINT
#define SIGINT	2
#endif
#ifndef SIGQUIT
#define SIGQUIT	3
#endif
#ifndef SIGILL
#define SIGILL	4
#endif
#ifndef SIGTRAP
#define SIGTRAP	5
#endif
#ifndef SIGABRT
#define SIGABRT	6
#endif
#ifndef SIGBUS
#define SIGBUS	7
#endif
#ifndef SIGFPE
#define SIGFPE	8
#endif
#ifndef SIGKILL
#define SIGKILL	9
#endif
#ifndef SIGUSR1
#define SIGUSR1	10
#endif
#ifndef SIGSEGV
#define SIGSEGV	11
#endif
#ifndef SIGUSR2
#define SIGUSR2	12
#endif
#ifndef SIGPIPE
#define SIGPIPE	13
#endif
#ifndef SIGALRM
#define SIGALRM	14
#endif
#ifndef SIGTERM
#define SIGTERM	15
#endif
#ifndef SIGSTKFLT
#define SIGSTKFLT	16
#endif
#ifndef SIGCHLD
#define SIGCHLD	17
#endif
#ifndef SIGCONT
#define SIGCONT	18
#endif
#ifndef SIGSTOP
#define SIGSTOP	19
#endif
#ifndef SIGTSTP
#define SIGTSTP	20
#endif
#ifndef SIGXCPU
#define SIGXCPU	24
#endif
#ifndef SIGXFSZ
#define SIGXFSZ	25
#endif
#ifndef SIGSYS
#define SIGSYS	31
#endif
#ifndef SEGV_MAPERR
#define SEGV_MAPERR	1
#endif
#ifndef SEGV_ACCERR
#define SEGV_ACCERR	2
#endif
#ifndef SEGV_BNDERR
#define SEGV_BNDERR	3
#endif
#ifndef SEGV_PKUERR
#define SEGV_PKUERR	4
#endif
#ifndef BUS_ADRALN
#define BUS_ADRALN	1
#endif
#ifndef BUS_ADRERR
#define BUS_ADRERR	2
#endif
#ifndef BUS_OBJERR
#define BUS_OBJERR	3
#endif
#ifndef BUS_MCEERR_AR
#define BUS_MCEERR_AR	4
#endif
#ifndef BUS_MCEERR_AO
#define BUS_MCEERR_AO	5
#endif
#ifndef WNOHANG
#define WNOHANG	0x00000001
#endif
#ifndef WUNTRACED
#define WUNTRACED	0x00000002
#endif
#ifndef WEXITED
#define WEXITED	0x00000004
#endif
#ifndef WCONTINUED
#define WCONTINUED	0x00000008
#endif
#ifndef WNOWAIT
#define WNOWAIT	0x01000000
#endif
#ifndef __WNOTHREAD
#define __WNOTHREAD	0x20000000
#endif
#ifndef __WALL
#define __WALL	0x40000000
#endif
#ifndef __WCLONE
#define __WCLONE	0x80000000
#endif
#ifndef _NSIG
#define _NSIG		64
#endif

/* Wait status (as wait4 stores it): exit code << 8, or the signal number. */
#ifndef WIFEXITED
#define WEXITSTATUS(s)	(((s) & 0xff00) >> 8)
#define WTERMSIG(s)	((s) & 0x7f)
#define WIFEXITED(s)	(WTERMSIG(s) == 0)
#define WIFSIGNALED(s)	(((signed char)(((s) & 0x7f) + 1) >> 1) > 0)
#define WIFSTOPPED(s)	(((s) & 0xff) == 0x7f)
#endif
#ifndef WCOREDUMP
#define WCOREDUMP(s)	((s) & 0x80)
#endif

/* Linux's sigset_t for the simulated tasks: one bit per signal, 1..64. */
typedef struct { unsigned long sig; } kernel_sigset_t;
#ifndef sigmask
#define sigmask(sig)	(1UL << ((sig) - 1))
#endif

struct task_struct;
/* kernel/signal.c: deliver @sig to @t (SI_KERNEL origin); default actions
 * take effect before return (a fatal one makes @t exit). */
int send_sig(int sig, struct task_struct *t, int priv);
/* Deliver a fault signal to current, with its si_code and address. */
int force_sig_fault(int sig, int code, unsigned long addr);
void force_sig(int sig);
bool fatal_signal_pending(struct task_struct *t);

#endif
