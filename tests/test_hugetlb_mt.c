// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_hugetlb_mt.c - hugetlb from several CPUs at once: NTHREADS
 * processes, one per CPU, fault the same SHM_HUGETLB segment (racing
 * faults of one index: one page wins, the cache shares it), map, touch and
 * unmap private and MAP_NORESERVE mappings of their own, fork and reap,
 * while one CPU resizes the pool through nr_hugepages and reads meminfo.
 * Afterwards every process has exited, the segment is gone, and the pool
 * is whole: every page free, no reservation, no surplus, every checker
 * happy.  Labelled `threaded` (the _mt suffix): run under TSan too.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/shm.h>
#include <mmsim/ipc.h>
#include <mmsim/err.h>
#include <mmsim/hugetlb.h>
#include "mmtest.h"

#define NTHREADS	3
#define ROUNDS		600
#define SEG_PAGES	4
#define HP		(2UL << 20)

static struct mmsim *machine;
static int seg_id;
static atomic_int failures, nr_writes, nr_maps;

#define FAIL(what)							\
	do {								\
		atomic_fetch_add(&failures, 1);				\
		fprintf(stderr, "cpu %d round %d: %s\n", cpu, i, what);	\
	} while (0)

static unsigned int next_rand(unsigned int *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void *worker(void *arg)
{
	int cpu = (int)(long)arg;
	unsigned int seed = 31u * (unsigned int)cpu + 7;
	struct task_struct *t;
	unsigned long seg;

	if (mmsim_enter(machine, cpu))
		return NULL;
	t = mmsim_spawn(machine, "hmt");
	if (!t || mmsim_switch_to(t)) {
		atomic_fetch_add(&failures, 1);
		mmsim_leave();
		return NULL;
	}
	seg = sys_shmat(seg_id, 0, 0);
	if (IS_ERR_VALUE(seg))
		atomic_fetch_add(&failures, 1);
	for (int i = 0; i < ROUNDS && current; i++) {
		unsigned int r = next_rand(&seed);
		unsigned long off = (r % (SEG_PAGES * 512)) * 4096;
		unsigned char c = (unsigned char)cpu;

		switch (r % 8) {
		case 0:
		case 1:
		case 2:
			/* the segment: each CPU writes its own byte of every 4K */
			atomic_fetch_add(&nr_writes, 1);
			if (mmsim_user_write(seg + off + (unsigned long)cpu, &c, 1) ||
			    mmsim_user_read(seg + off + (unsigned long)cpu, &c, 1) ||
			    c != (unsigned char)cpu)
				FAIL("segment write/read");
			break;
		case 3:
		case 4: {
			unsigned long fl = MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB;
			unsigned long va = sys_mmap(0, HP, PROT_READ | PROT_WRITE, fl,
						    (unsigned long)-1, 0);

			if (!IS_ERR_VALUE(va)) {	/* -ENOMEM when the pool is short */
				atomic_fetch_add(&nr_maps, 1);
				c = 0x5a;
				if (mmsim_user_write(va + off % HP, &c, 1) ||
				    mmsim_user_read(va + off % HP, &c, 1) || c != 0x5a)
					FAIL("private write/read");
				sys_munmap(va, HP);
			}
			break;
		}
		case 5:
			if (cpu == 0) {
				char buf[16];

				snprintf(buf, sizeof(buf), "%u", 8 + r % 12);
				if (mmsim_write(machine, "/proc/sys/vm/nr_hugepages", buf))
					FAIL("nr_hugepages write");
				free(mmsim_read(machine, "/proc/meminfo"));
			}
			break;
		case 6: {
			long pid = sys_fork();

			if (pid > 0) {
				sys_kill((pid_t)pid, SIGKILL);
				sys_wait4((pid_t)pid, NULL, 0, NULL);
			}
			break;
		}
		default:
			if (!hugetlb_pool_is_valid())
				FAIL("pool");
			break;
		}
	}
	if (current) {
		if (!mm_is_valid(t->mm))
			atomic_fetch_add(&failures, 1);
		sys_exit_group(0);
	}
	mmsim_leave();
	return NULL;
}

static long long meminfo(const char *label)
{
	char *s = mmsim_read(machine, "/proc/meminfo");
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static void test_concurrent(void)
{
	pthread_t th[NTHREADS];
	struct task_struct *t;

	machine = boot_or_die("ram=256M cpus=3 hugepages=12");
	t = mmsim_spawn(machine, "owner");
	KT_ASSERT(t && !mmsim_switch_to(t));
	seg_id = (int)sys_shmget(IPC_PRIVATE, SEG_PAGES * HP, IPC_CREAT | SHM_HUGETLB | 0600);
	KT_ASSERT(seg_id >= 0);
	KT_EQ(meminfo("HugePages_Rsvd:"), SEG_PAGES);
	mmsim_leave();
	for (int i = 0; i < NTHREADS; i++)
		pthread_create(&th[i], NULL, worker, (void *)(long)i);
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(th[i], NULL);
	KT_EQ(mmsim_enter(machine, 0), 0);
	KT_EQ(atomic_load(&failures), 0);
	if (atomic_load(&failures)) {
		char *log = mmsim_read(machine, "/dev/kmsg"), *l = log;

		while (l && (l = strstr(l, "hugetlb_")) != NULL) {
			char *e = strchr(l, '\n');

			fprintf(stderr, "%.*s\n", e ? (int)(e - l) : 80, l);
			l = e;
		}
		free(log);
	}
	/* the workers ran (not killed early): most segment writes and maps happened */
	KT_ASSERT(atomic_load(&nr_writes) > NTHREADS * ROUNDS / 4);
	KT_ASSERT(atomic_load(&nr_maps) > NTHREADS * ROUNDS / 8);
	printf("%d segment writes, %d private mappings\n", atomic_load(&nr_writes),
	       atomic_load(&nr_maps));
	KT_EQ(mmsim_switch_to(t), 0);
	KT_ASSERT(mm_mapcounts_are_valid(machine));
	/* every CPU's bytes are in the segment: the faults shared one page per index */
	{
		unsigned long seg = sys_shmat(seg_id, 0, SHM_RDONLY);
		unsigned char b[NTHREADS];
		int seen = 0;

		for (unsigned long off = 0; off < SEG_PAGES * HP; off += 4096) {
			KT_EQ(mmsim_user_read(seg + off, b, NTHREADS), 0);
			for (int i = 0; i < NTHREADS; i++)
				seen += b[i] == (unsigned char)i && i;
		}
		KT_ASSERT(seen > 0);
		KT_EQ(sys_shmdt(seg), 0);
	}
	KT_EQ(sys_shmctl(seg_id, IPC_RMID, NULL), 0);
	sys_exit_group(0);
	KT_EQ(meminfo("HugePages_Rsvd:"), 0);
	KT_EQ(meminfo("HugePages_Surp:"), 0);
	KT_EQ(meminfo("HugePages_Free:"), meminfo("HugePages_Total:"));
	KT_ASSERT(hugetlb_pool_is_valid());
	mmsim_shutdown(machine);
}

int main(void)
{
	KT_RUN(test_concurrent);
	return kt_done();
}
