/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oom_fixture.h - what the OOM killer's tests share: small machines that
 * run out of memory, processes that touch anonymous memory page by page
 * through the real system calls and user accesses, and helpers to read
 * a task's /proc files.
 */
#ifndef MMSIM_TESTS_OOM_FIXTURE_H
#define MMSIM_TESTS_OOM_FIXTURE_H

#include <stdio.h>
#include <mmsim/mman.h>
#include <mmsim/syscalls.h>
#include <mmsim/sched.h>
#include <mmsim/err.h>
#include <mmsim/oom.h>
#include <mmsim/uaccess.h>
#include <mmsim/vmstat.h>
#include "mmtest.h"
#include "kernel/internal.h"

static inline struct task_struct *oom_spawn(struct mmsim *m, const char *comm)
{
	struct task_struct *t = mmsim_spawn(m, comm);

	KT_ASSERT(t);
	get_task_struct(t);
	KT_EQ(mmsim_switch_to(t), 0);
	return t;
}

/* A private anonymous mapping of @len bytes in current's address space. */
static inline unsigned long oom_map(unsigned long len)
{
	unsigned long a = sys_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				   -1UL, 0);

	KT_ASSERT(!IS_ERR_VALUE(a));
	return a;
}

/*
 * current touches @pages pages from @a, one byte each (stamp @c): the
 * number touched before an access failed; *@ret gets that access's
 * return (0 if all were touched).
 */
static inline unsigned long oom_touch(unsigned long a, unsigned long pages, char c, long *ret)
{
	unsigned long i;

	*ret = 0;
	for (i = 0; i < pages; i++) {
		*ret = mmsim_user_write(a + i * PAGE_SIZE, &c, 1);
		if (*ret)
			break;
	}
	return i;
}

/* A process @comm with @pages anonymous pages touched; left off the CPU. */
static inline struct task_struct *oom_proc(struct mmsim *m, const char *comm, unsigned long pages)
{
	struct task_struct *t = oom_spawn(m, comm);
	unsigned long a = oom_map(pages * PAGE_SIZE);
	long ret;

	KT_EQ(oom_touch(a, pages, 'p', &ret), pages);
	mmsim_switch_idle();
	return t;
}

static inline int oom_write_pid_file(struct mmsim *m, struct task_struct *t, const char *file,
				     const char *text)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", t->pid, file);
	return mmsim_write(m, path, text);
}

static inline long oom_read_pid_file(struct mmsim *m, struct task_struct *t, const char *file)
{
	char path[64], *s;
	long v;

	snprintf(path, sizeof(path), "/proc/%d/%s", t->pid, file);
	s = mmsim_read(m, path);
	if (!s)
		return -999999;
	v = strtol(s, NULL, 10);
	free(s);
	return v;
}

static inline bool oom_task_dead(struct task_struct *t)
{
	return t->exit_state != 0;
}

#endif
