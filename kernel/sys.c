// SPDX-License-Identifier: GPL-2.0
/*
 * kernel/sys.c - resource limits (Linux's getrlimit/setrlimit of
 * kernel/sys.c) and the one piece of credentials mmsim models: which
 * capabilities a task has dropped.
 *
 * Every mmsim task is root with every capability (DESIGN §3b).  A limit
 * such as RLIMIT_MEMLOCK binds only a task without the capability that
 * overrides it (CAP_IPC_LOCK), so to show a limit biting a task must give
 * the capability up: mmsim_cap_drop() clears it from the task's effective
 * set, which fork copies (Linux's copy_creds) and nothing gives back --
 * the effect of running the program as an ordinary user.
 *
 * Locking: a task changes its own limits (current), as Linux's
 * do_prlimit on itself; the fields are plain words read by the same task.
 */
#include <errno.h>
#include <mmsim/syscalls.h>
#include <mmsim/sched.h>
#include "kernel/internal.h"

bool capable(int cap);	/* mm/util.c */
#define CAP_SYS_RESOURCE_BIT	24

long sys_getrlimit(unsigned int resource, struct mmsim_rlimit *rlim)
{
	struct task_struct *t = current;

	if (!t || !t->signal || resource >= MMSIM_RLIM_NLIMITS || !rlim)
		return -EINVAL;
	*rlim = t->signal->rlim[resource];
	return 0;
}

long sys_setrlimit(unsigned int resource, const struct mmsim_rlimit *rlim)
{
	struct task_struct *t = current;
	struct mmsim_rlimit *old;

	if (!t || !t->signal || resource >= MMSIM_RLIM_NLIMITS || !rlim)
		return -EINVAL;
	if (rlim->rlim_cur > rlim->rlim_max)
		return -EINVAL;
	old = &t->signal->rlim[resource];
	/* Linux's do_prlimit: raising the hard limit needs CAP_SYS_RESOURCE */
	if (rlim->rlim_max > old->rlim_max && !capable(CAP_SYS_RESOURCE_BIT))
		return -EPERM;
	*old = *rlim;
	return 0;
}

int mmsim_cap_drop(struct task_struct *t, int cap)
{
	if (!t || !t->signal || cap < 0 || cap >= 64)
		return -EINVAL;
	t->signal->cap_dropped |= 1ULL << cap;
	return 0;
}
