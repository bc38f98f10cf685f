// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_task_mt.c - tasks under real concurrency (run under TSan by
 * `make test`): several CPUs fork, exit, kill and reap at once while an
 * observer thread reads /proc files of whatever pids exist; a pid is
 * never handed to two live tasks at once.  And a fatal signal to a task
 * current on another CPU: marked at once (fatal_signal_pending, switch
 * elsewhere -ESRCH), acted on by its own CPU at its next return to user
 * mode.  And wait4 sleeping until a child running on another CPU exits.
 */
#include <pthread.h>
#include <unistd.h>
#include <stdatomic.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include "kernel/internal.h"
#include "mmtest.h"

#define NWORKERS	3
#define ROUNDS		150
#define PID_SPACE	32768

static struct mmsim *machine;
static atomic_int failures;
static atomic_uchar pid_live[PID_SPACE];
static atomic_bool stop_observer;
static pthread_barrier_t start;

#define CHECK(cond)								\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond); \
			atomic_fetch_add(&failures, 1);			\
		}								\
	} while (0)

static void claim_pid(long pid)
{
	unsigned char expected = 0;

	CHECK(pid > 0 && pid < PID_SPACE);
	if (pid > 0 && pid < PID_SPACE)
		CHECK(atomic_compare_exchange_strong(&pid_live[pid], &expected, 1));
}

static void release_pid(long pid)
{
	if (pid > 0 && pid < PID_SPACE)
		atomic_store(&pid_live[pid], 0);
}

static void *worker(void *arg)
{
	int cpu = (int)(long)arg;
	struct task_struct *d, *c;
	int st;

	CHECK(!mmsim_enter(machine, cpu));
	d = mmsim_spawn(machine, "worker");
	CHECK(d != NULL);
	if (!d)
		return NULL;
	claim_pid(d->pid);
	CHECK(!mmsim_switch_to(d));
	pthread_barrier_wait(&start);
	for (int i = 0; i < ROUNDS; i++) {
		long pid = sys_fork();

		CHECK(pid > 0);
		if (pid <= 0)
			continue;
		claim_pid(pid);
		c = find_task_by_vpid((pid_t)pid);
		CHECK(c && c->real_parent == d);
		if (i % 3 == 0) {
			/* The child runs and exits. */
			CHECK(!mmsim_switch_to(c));
			CHECK(sys_getppid() == d->pid);
			sys_exit_group(i & 0x7f);
			CHECK(!current);
			CHECK(!mmsim_switch_to(d));
			st = -1;
			release_pid(pid);	/* before the reap frees it for others */
			CHECK(sys_wait4((pid_t)pid, &st, 0, NULL) == pid);
			CHECK(WIFEXITED(st) && WEXITSTATUS(st) == (i & 0x7f));
		} else if (i % 3 == 1) {
			/* Killed while no CPU runs it: dead when kill returns. */
			CHECK(sys_kill((pid_t)pid, SIGTERM) == 0);
			release_pid(pid);
			CHECK(sys_wait4((pid_t)pid, &st, WNOHANG, NULL) == pid);
			CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
		} else {
			/* SIGKILL, reaped by wait4(-1). */
			CHECK(sys_kill((pid_t)pid, 0) == 0);
			release_pid(pid);
			CHECK(sys_kill((pid_t)pid, SIGKILL) == 0);
			CHECK(sys_wait4(-1, NULL, WNOHANG, NULL) == pid);
		}
	}
	release_pid(d->pid);
	sys_exit_group(0);
	CHECK(!current);
	mmsim_leave();
	return NULL;
}

/* Reads /proc files of live and dying tasks while they change. */
static void *observer(void *arg)
{
	unsigned int seed = 1;

	pthread_barrier_wait(&start);
	while (!atomic_load(&stop_observer)) {
		char path[64], *s;
		int pid = 2 + (int)(rand_r(&seed) % 400);

		snprintf(path, sizeof(path), "/proc/%d/%s", pid, (seed & 1) ? "status" : "stat");
		s = mmsim_read(machine, path);
		free(s);
		s = mmsim_read(machine, "/proc/stat");
		CHECK(s != NULL);
		free(s);
		CHECK(tasks_are_valid(machine));
	}
	return NULL;
}

static void test_concurrent_lifecycles(void)
{
	pthread_t th[NWORKERS], obs;
	struct task_struct *t;
	char *s;

	machine = boot_or_die("ram=128M cpus=4");
	mmsim_leave();
	pthread_barrier_init(&start, NULL, NWORKERS + 1);
	pthread_create(&obs, NULL, observer, NULL);
	for (int i = 0; i < NWORKERS; i++)
		pthread_create(&th[i], NULL, worker, (void *)(long)(i + 1));
	for (int i = 0; i < NWORKERS; i++)
		pthread_join(th[i], NULL);
	atomic_store(&stop_observer, true);
	pthread_join(obs, NULL);
	pthread_barrier_destroy(&start);
	KT_EQ(mmsim_enter(machine, 0), 0);
	t = next_task_of(machine, NULL);
	KT_ASSERT(t && t->pid == 1 && !next_task_of(machine, t));
	s = mmsim_read(machine, "/proc/stat");
	KT_EQ(field(s, "processes "), 1 + NWORKERS * (ROUNDS + 1));
	free(s);
	KT_EQ(atomic_load(&failures), 0);
	mmsim_shutdown(machine);
}

static struct {
	struct task_struct *t;
	pthread_barrier_t go, marked, done;
	int sig;
	struct task_struct *cur_after;
} remote;

static void *remote_cpu(void *arg)
{
	CHECK(!mmsim_enter(machine, 1));
	CHECK(!mmsim_switch_to(remote.t));
	pthread_barrier_wait(&remote.go);
	pthread_barrier_wait(&remote.marked);
	/* Its next return to user mode: it dies of the signal. */
	remote.sig = exit_to_user_mode();
	remote.cur_after = current;
	pthread_barrier_wait(&remote.done);
	mmsim_leave();
	return NULL;
}

static void test_remote_kill(void)
{
	struct task_struct *d, *t;
	pthread_t th;
	long pid;
	int st;

	machine = boot_or_die("ram=64M cpus=2");
	d = mmsim_spawn(machine, "sender");
	KT_ASSERT(d && !mmsim_switch_to(d));
	pid = sys_fork();
	t = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(t);
	if (!t)
		goto out;
	remote.t = t;
	pthread_barrier_init(&remote.go, NULL, 2);
	pthread_barrier_init(&remote.marked, NULL, 2);
	pthread_barrier_init(&remote.done, NULL, 2);
	pthread_create(&th, NULL, remote_cpu, NULL);
	pthread_barrier_wait(&remote.go);
	KT_EQ(mmsim_switch_to(t), -EBUSY);
	KT_EQ(sys_kill((pid_t)pid, SIGTERM), 0);
	/* Marked, not yet dead: its CPU may be mid-access. */
	KT_ASSERT(fatal_signal_pending(t));
	KT_EQ(mmsim_switch_to(t), -ESRCH);
	KT_EQ(sys_wait4((pid_t)pid, &st, WNOHANG, NULL), 0);
	pthread_barrier_wait(&remote.marked);
	pthread_barrier_wait(&remote.done);
	pthread_join(th, NULL);
	KT_EQ(remote.sig, SIGTERM);
	KT_ASSERT(!remote.cur_after);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	KT_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM);
	pthread_barrier_destroy(&remote.go);
	pthread_barrier_destroy(&remote.marked);
	pthread_barrier_destroy(&remote.done);
	KT_EQ(atomic_load(&failures), 0);
out:
	mmsim_shutdown(machine);
}

/* wait4 without WNOHANG sleeps while the child runs on another CPU. */
static void *exiting_child(void *arg)
{
	CHECK(!mmsim_enter(machine, 1));
	CHECK(!mmsim_switch_to(remote.t));
	pthread_barrier_wait(&remote.go);
	usleep(20000);		/* the parent is (most likely) asleep in wait4 by now */
	sys_exit_group(42);
	CHECK(!current);
	mmsim_leave();
	return NULL;
}

static void test_blocking_wait(void)
{
	struct task_struct *d;
	pthread_t th;
	long pid;
	int st = -1;

	machine = boot_or_die("ram=64M cpus=2");
	d = mmsim_spawn(machine, "waiter");
	KT_ASSERT(d && !mmsim_switch_to(d));
	pid = sys_fork();
	remote.t = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(remote.t);
	if (!remote.t)
		goto out;
	pthread_barrier_init(&remote.go, NULL, 2);
	pthread_create(&th, NULL, exiting_child, NULL);
	pthread_barrier_wait(&remote.go);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	KT_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 42);
	pthread_join(th, NULL);
	pthread_barrier_destroy(&remote.go);
	/* No child left that could ever exit: Linux would sleep forever. */
	KT_EQ(sys_wait4(-1, &st, 0, NULL), -ECHILD);
	KT_EQ(atomic_load(&failures), 0);
out:
	mmsim_shutdown(machine);
}

int main(void)
{
	KT_RUN(test_remote_kill);
	KT_RUN(test_blocking_wait);
	KT_RUN(test_concurrent_lifecycles);
	return kt_done();
}
