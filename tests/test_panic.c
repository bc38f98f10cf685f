// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_panic.c - a panic halts the machine (DESIGN §3b,
 * kernel/panic.c): panic_on_warn=1 and a WARN, or sysrq c, logs Linux's
 * "Kernel panic - not syncing: ..." lines once; then the log and the
 * /proc files stay readable, every system call, user access, spawn,
 * switch and file write answers -EIO (the uaccess helpers copy nothing),
 * other machines go on, and mmsim_shutdown frees everything with tasks
 * alive (ASan's leak check).  sysrq m and f, and the help line.
 * (panic_on_oops with a recovery point is in tests/test_oops.c.)
 */
#include <errno.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/slab.h>
#include <mmsim/panic.h>
#include "mmtest.h"

#define WARN_PANIC "Kernel panic - not syncing: kernel: panic_on_warn set ...\n"

static int count(const char *hay, const char *needle)
{
	int n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/* A task of @m running a 4-page anonymous mapping at *@va; it has a child too. */
static struct task_struct *running_task(struct mmsim *m, unsigned long *va)
{
	struct task_struct *t = mmsim_spawn(m, "prog");

	KT_ASSERT(t);
	KT_EQ(mmsim_switch_to(t), 0);
	*va = sys_mmap(0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       (unsigned long)-1, 0);
	KT_ASSERT(!IS_ERR_VALUE(*va));
	KT_EQ(mmsim_user_write(*va, "hello", 6), 0);
	KT_ASSERT(sys_fork() > 1);
	return t;
}

/* Every entry point of a running program refuses with -EIO. */
static void check_refuses(struct mmsim *m, struct task_struct *t, unsigned long va)
{
	char buf[8] = "xxxxxxx";
	int wstatus, x = 0;

	KT_EQ(sys_mmap(0, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
		       (unsigned long)-1, 0), (unsigned long)-EIO);
	KT_EQ(sys_munmap(va, PAGE_SIZE), -EIO);
	KT_EQ(sys_brk(0), (unsigned long)-EIO);
	KT_EQ(sys_mprotect(va, PAGE_SIZE, PROT_READ), -EIO);
	KT_EQ(sys_mremap(va, PAGE_SIZE, 2 * PAGE_SIZE, 0, 0), (unsigned long)-EIO);
	KT_EQ(sys_madvise(va, PAGE_SIZE, MADV_DONTNEED), -EIO);
	KT_EQ(sys_mlock(va, PAGE_SIZE), -EIO);
	KT_EQ(sys_munlockall(), -EIO);
	KT_EQ(sys_msync(va, PAGE_SIZE, MS_SYNC), -EIO);
	KT_EQ(sys_fork(), -EIO);
	KT_EQ(sys_kill(0, SIGKILL), -EIO);
	KT_EQ(sys_wait4(-1, &wstatus, WNOHANG, NULL), -EIO);
	KT_EQ(sys_getpid(), -EIO);
	KT_EQ(sys_getppid(), -EIO);
	sys_exit_group(0);			/* does nothing: the task stays */
	KT_ASSERT(current == t);
	KT_EQ(mmsim_user_write(va, "bye", 4), -EIO);
	KT_EQ(mmsim_user_read(va, buf, 6), -EIO);
	KT_EQ(mmsim_user_exec(va), -EIO);
	KT_EQ(copy_to_user(va, "bye", 4), 4UL);
	KT_EQ(copy_from_user(buf, va, 6), 6UL);
	KT_ASSERT(!buf[0]);			/* what was not copied is zeroed */
	KT_EQ(get_user(x, (int *)va), -EFAULT);
	KT_EQ(mmsim_switch_to(t), -EIO);
	errno = 0;
	KT_ASSERT(!mmsim_spawn(m, "late"));
	KT_EQ(errno, EIO);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/min_free_kbytes", "4096"), -EIO);
	KT_EQ(mmsim_write(m, "/dev/kmsg", "hello"), -EIO);
}

/* The log and the files are still served. */
static void check_readable(struct mmsim *m)
{
	char *s;

	s = mmsim_read(m, "/proc/meminfo");
	KT_ASSERT(s && strstr(s, "MemTotal:"));
	free(s);
	s = mmsim_read(m, "/proc/vmstat");
	KT_ASSERT(s && strstr(s, "nr_free_pages"));
	free(s);
}

static void test_panic_on_warn(void)
{
	struct mmsim *m = boot_or_die("ram=64M panic_on_warn=1");
	struct task_struct *t;
	unsigned long va;
	char *log;
	int x;

	t = running_task(m, &va);
	KT_ASSERT(!mmsim_halted(m));
	kfree(&x);			/* not the machine's: a WARN, which panics */
	KT_ASSERT(mmsim_halted(m));
	log = mmsim_read(m, "/dev/kmsg");
	KT_ASSERT(log);
	KT_STR_CONTAINS(log, "WARNING: CPU: 0 PID: ");
	KT_STR_CONTAINS(log, WARN_PANIC);
	KT_STR_CONTAINS(log, "---[ end Kernel panic - not syncing: kernel: panic_on_warn set ... ]---\n");
	KT_ASSERT(strstr(log, "WARNING: CPU") < strstr(log, "Kernel panic"));
	free(log);
	check_readable(m);
	check_refuses(m, t, va);
	/* A second WARN is logged, but a halted machine panics once. */
	kfree(&x);
	log = mmsim_read(m, "/dev/kmsg");
	KT_EQ(count(log, "WARNING: CPU"), 2);
	KT_EQ(count(log, "] Kernel panic - not syncing"), 1);
	free(log);
	mmsim_shutdown(m);		/* two tasks alive: all freed (ASan) */
}

/* Without panic_on_warn a WARN is only logged. */
static void test_warn_goes_on(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	unsigned long va;
	char *log;
	int x;

	running_task(m, &va);
	kfree(&x);
	KT_ASSERT(!mmsim_halted(m));
	KT_ASSERT(sys_getpid() > 1);
	KT_EQ(mmsim_user_write(va, "again", 6), 0);
	log = mmsim_read(m, "/dev/kmsg");
	KT_EQ(count(log, "Kernel panic"), 0);
	free(log);
	mmsim_shutdown(m);
}

static void test_sysrq_crash(void)
{
	struct mmsim *other = boot_or_die("ram=64M");
	struct mmsim *m = boot_or_die("ram=64M cpus=2");
	struct task_struct *t;
	unsigned long va;
	size_t mark;
	char *log;

	t = running_task(m, &va);
	mark = log_mark(m);
	errno = 0;
	KT_ASSERT(!mmsim_read(m, "/proc/sysrq-trigger"));
	KT_EQ(errno, EACCES);
	KT_EQ(mmsim_write(m, "/proc/sysrq-trigger", "c\n"), 0);
	KT_ASSERT(mmsim_halted(m));
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "] sysrq: Trigger a crash\n");
	KT_STR_CONTAINS(log, "] Kernel panic - not syncing: sysrq triggered crash\n");
	KT_STR_CONTAINS(log, "Call Trace:\n");
	KT_STR_CONTAINS(log, "] ---[ end Kernel panic - not syncing: sysrq triggered crash ]---\n");
	free(log);
	check_readable(m);
	check_refuses(m, t, va);
	KT_EQ(mmsim_write(m, "/proc/sysrq-trigger", "c"), -EIO);
	/* The other machine goes on. */
	KT_ASSERT(!mmsim_halted(other));
	KT_EQ(mmsim_enter(other, 0), 0);
	t = running_task(other, &va);
	KT_EQ(mmsim_write(other, "/proc/sys/vm/min_free_kbytes", "4096"), 0);
	mmsim_shutdown(m);
	mmsim_shutdown(other);
}

static void test_sysrq_keys(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	size_t mark = log_mark(m);
	char *log;

	KT_EQ(mmsim_write(m, "/proc/sysrq-trigger", "m"), 0);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "] sysrq: Show Memory\n");
	KT_STR_CONTAINS(log, "] Mem-Info:\n");
	free(log);
	KT_EQ(mmsim_write(m, "/proc/sysrq-trigger", "f"), 0);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "] sysrq: Manual OOM execution\n");
	KT_STR_CONTAINS(log, "] sysrq: OOM request ignored. No task eligible");
	free(log);
	KT_EQ(mmsim_write(m, "/proc/sysrq-trigger", "x"), 0);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "] sysrq: HELP : crash(c) memory-full-oom-kill(f) "
			     "show-memory-usage(m) \n");
	free(log);
	KT_EQ(mmsim_write(m, "/proc/sysrq-trigger", ""), 0);
	KT_ASSERT(!mmsim_halted(m));
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_panic_on_warn);
	KT_RUN(test_warn_goes_on);
	KT_RUN(test_sysrq_crash);
	KT_RUN(test_sysrq_keys);
	return kt_done();
}
