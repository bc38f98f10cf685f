// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_oom_mt.c - the OOM killer under real concurrency (TSan with
 * `make test`): three CPUs run three processes that fill memory at once,
 * while CPU 0 reads their /proc/PID/oom_score and /proc/vmstat.  Each
 * filler asks for more than the free memory at boot, so that the OOM
 * killer must run however the host schedules the three threads (with half
 * each, a filler that ran alone to its end and exited left room for the
 * next, and no kill was needed: one run in six on a busy 2-core host);
 * MAP_NORESERVE keeps the overcommit heuristic from refusing the map.
 * Each filler either touches all it asked for or is killed (-EINTR); at
 * least one is killed; nothing deadlocks (out_of_memory is serialized by
 * oom_lock; a victim running on another CPU is marked, reaped by the
 * allocator that waits for it, and exits at its own next access); the
 * victim records and the address spaces are consistent at the end.
 */
#include <pthread.h>
#include <stdatomic.h>
#include "oom_fixture.h"

#define NWORKERS	3

static struct mmsim *machine;
static unsigned long budget;
static atomic_int failures, killed, done;
static atomic_int pids[NWORKERS];
static pthread_barrier_t start;

#define CHECK(cond)								\
	do {									\
		if (!(cond)) {							\
			fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, #cond); \
			atomic_fetch_add(&failures, 1);			\
		}								\
	} while (0)

static void *worker(void *arg)
{
	int cpu = (int)(long)arg;
	struct task_struct *t;
	unsigned long a, pages = budget + budget / 8;
	long ret;

	CHECK(!mmsim_enter(machine, cpu));
	t = mmsim_spawn(machine, "hog");
	CHECK(t != NULL);
	if (!t)
		return NULL;
	CHECK(!mmsim_switch_to(t));
	atomic_store(&pids[cpu - 1], t->pid);
	a = sys_mmap(0, pages * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		     -1UL, 0);
	CHECK(!IS_ERR_VALUE(a));
	pthread_barrier_wait(&start);
	oom_touch(a, pages, (char)cpu, &ret);
	CHECK(ret == 0 || ret == -EINTR);
	if (ret == -EINTR) {
		CHECK(current == NULL);
		atomic_fetch_add(&killed, 1);
	} else {
		sys_exit_group(0);
	}
	atomic_fetch_add(&done, 1);
	mmsim_leave();
	return NULL;
}

int main(void)
{
	pthread_t th[NWORKERS];
	char path[64], *s;

	kt_begin("oom_concurrent_fillers");
	machine = boot_or_die("arch=x86_64 ram=64M cpus=4");
	budget = global_zone_page_state(NR_FREE_PAGES);
	pthread_barrier_init(&start, NULL, NWORKERS + 1);
	for (long i = 0; i < NWORKERS; i++)
		pthread_create(&th[i], NULL, worker, (void *)(i + 1));
	pthread_barrier_wait(&start);
	while (atomic_load(&done) < NWORKERS) {
		for (int i = 0; i < NWORKERS; i++) {
			snprintf(path, sizeof(path), "/proc/%d/oom_score", atomic_load(&pids[i]));
			free(mmsim_read(machine, path));
		}
		s = mmsim_read(machine, "/proc/vmstat");
		CHECK(s != NULL);
		free(s);
	}
	for (int i = 0; i < NWORKERS; i++)
		pthread_join(th[i], NULL);
	mmsim_advance_clock(machine, 3000000000ULL);	/* every exit and reaper ran */
	CHECK(atomic_load(&killed) >= 1);
	CHECK(sum_vm_event(OOM_KILL) >= 1);
	CHECK(oom_victims_are_valid(machine));
	CHECK(mm_mapcounts_are_valid(machine));
	CHECK(tasks_are_valid(machine));
	CHECK(!mmsim_halted(machine));
	KT_EQ(atomic_load(&failures), 0);
	if (atomic_load(&failures)) {
		size_t mark = 0;
		char *log = log_since(machine, &mark);

		fputs(log, stderr);
		free(log);
	}
	pthread_barrier_destroy(&start);
	mmsim_shutdown(machine);
	kt_end();
	return kt_done();
}
