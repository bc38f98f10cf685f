// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_fault_stress_mt.c - a randomized stress test of whole
 * processes across CPUs: each CPU runs its own process and drives random
 * mmap (private, or shared anonymous: a shmem object the forked child
 * shares, whose pages a grown mremap may make SIGBUS) / munmap / mprotect /
 * mremap / madvise(DONTNEED) / touch (reads and
 * writes through the MMU, some of them bad) / fork (the child runs a few
 * steps and exits) / exit-and-respawn, checking mm_is_valid() of its
 * process after every step.  When all CPUs are done, the census of
 * mapcounts over every live mm must agree, and after every process
 * exited and was reaped, every page is back in the buddy allocator.
 * Run under ASan by ctest and under TSan by `make test` (_mt suffix).
 */
#include <pthread.h>
#include "fault_fixture.h"
#include <mmsim/mman.h>
#include <mmsim/syscalls.h>
#include <mmsim/sched.h>
#include <mmsim/err.h>
#include <mmsim/swap.h>

#define NCPUS		3
#define STEPS		1500
#define SLOTS		6
#define MAXPAGES	16

static struct mmsim *machine;
static pthread_barrier_t steps_done, census_done;

struct proc {
	unsigned long addr[SLOTS], len[SLOTS];	/* our mappings (may be stale) */
	unsigned int seed;
	struct task_struct *task;
	int cpu;
	int bad;
	int spawns, forks;
};

static unsigned int rnd(struct proc *p)
{
	p->seed = p->seed * 1103515245u + 12345u;
	return p->seed >> 8;
}

static void respawn(struct proc *p)
{
	char comm[16];

	snprintf(comm, sizeof(comm), "stress%d", p->cpu);
	p->spawns++;
	p->task = mmsim_spawn(machine, comm);
	if (!p->task || mmsim_switch_to(p->task)) {
		p->bad++;
		return;
	}
	memset(p->addr, 0, sizeof(p->addr));
}

static const int prots[] = { PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE,
			     PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE, PROT_READ | PROT_WRITE,
			     PROT_READ | PROT_EXEC };

/* One random step of current; false if current died. */
static bool step(struct proc *p)
{
	unsigned int r = rnd(p), s = r % SLOTS;
	unsigned long len = (1 + (r >> 4) % MAXPAGES) * PAGE_SIZE;
	unsigned long a = p->addr[s];
	char buf[64];

	switch ((r >> 12) % 20) {
	case 7:
	case 0:
		a = sys_mmap(0, len, prots[(r >> 20) % ARRAY_SIZE(prots)],
			     ((r >> 25) % 4 == 0 ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS |
			     ((r >> 24) & 1 ? MAP_POPULATE : 0), -1UL, 0);
		if (!IS_ERR_VALUE(a)) {
			p->addr[s] = a;
			p->len[s] = len;
		}
		break;
	case 1:
		if (a)
			sys_munmap(a + ((r >> 20) % 4) * PAGE_SIZE, PAGE_SIZE * (1 + (r >> 22) % 4));
		break;
	case 2:
		if (a)
			sys_mprotect(a + ((r >> 20) % 4) * PAGE_SIZE, PAGE_SIZE * (1 + (r >> 22) % 4),
				     prots[(r >> 24) % ARRAY_SIZE(prots)]);
		break;
	case 3:
		if (a) {
			unsigned long n = sys_mremap(a, p->len[s], len, MREMAP_MAYMOVE, 0);

			if (!IS_ERR_VALUE(n)) {
				p->addr[s] = n;
				p->len[s] = len;
			}
		}
		break;
	case 4:
		if (a)
			sys_madvise(a, PAGE_SIZE * (1 + (r >> 20) % 4), MADV_DONTNEED);
		break;
	case 5: {
		long pid;

		if (!a)
			break;
		pid = sys_fork();
		if (pid > 0) {
			p->forks++;
			struct task_struct *child = find_task_by_vpid((pid_t)pid);
			struct task_struct *parent = p->task;

			if (child && !mmsim_switch_to(child)) {
				p->task = child;
				for (int i = 0; i < 5 && current; i++) {
					if (!mm_is_valid(current->mm))
						p->bad++;
					(void)step(p);
				}
				if (current)
					sys_exit_group(0);
			}
			p->task = parent;
			if (mmsim_switch_to(parent))
				return false;
			sys_wait4((pid_t)pid, NULL, 0, NULL);
		}
		break;
	}
	case 6:
		if ((r >> 20) % 16 == 0) {
			sys_exit_group(0);
			return false;
		}
		__attribute__((fallthrough));
	default:
		if (!a)
			break;
		a += ((r >> 16) % (p->len[s] / PAGE_SIZE)) * PAGE_SIZE;
		for (int i = 0; i < 4; i++, a += PAGE_SIZE) {
			vm_flags_t f = 0;

			if ((r >> 29) & 3) {	/* mostly: only what the VMA allows */
				struct vm_area_struct *vma;

				mmap_read_lock(current->mm);
				vma = vma_lookup(current->mm, a);
				f = vma ? vma->vm_flags : 0;
				mmap_read_unlock(current->mm);
				if (!(f & VM_READ))
					continue;
			} else {
				f = VM_WRITE;
			}
			if (((r >> (24 + i)) & 1) && (f & VM_WRITE)) {
				if (mmsim_user_write(a + (r & 63), "stress", 6) < 0)
					return false;
			} else if (mmsim_user_read(a + (r & 63), buf, 8) < 0) {
				return false;
			}
		}
		break;
	}
	return current != NULL;
}

static void *cpu_thread(void *arg)
{
	struct proc *p = arg;

	if (mmsim_enter(machine, p->cpu)) {
		p->bad++;
		pthread_barrier_wait(&steps_done);
		pthread_barrier_wait(&census_done);
		return NULL;
	}
	respawn(p);
	for (int i = 0; i < STEPS && p->task; i++) {
		if (!step(p)) {
			respawn(p);
			continue;
		}
		if (!mm_is_valid(current->mm))
			p->bad++;
	}
	pthread_barrier_wait(&steps_done);	/* the census runs on CPU 0 */
	pthread_barrier_wait(&census_done);
	if (current)
		sys_exit_group(0);
	mmsim_switch_idle();
	switch_mm(NULL, &init_mm, NULL);	/* drop the lazily loaded mm */
	mmsim_leave();
	return NULL;
}

static void stress(const char *spec)
{
	struct proc procs[NCPUS];
	pthread_t th[NCPUS];
	unsigned long before, faults;

	machine = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_EQ(mmsim_write(machine, "/proc/sys/debug/exception-trace", "0"), 0);
	(void)mm_zero_page();
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	before = nr_free_pages();
	faults = sum_vm_event(PGFAULT);
	pthread_barrier_init(&steps_done, NULL, NCPUS + 1);
	pthread_barrier_init(&census_done, NULL, NCPUS + 1);
	for (int i = 0; i < NCPUS; i++) {
		memset(&procs[i], 0, sizeof(procs[i]));
		procs[i].cpu = i + 1;
		procs[i].seed = 0x9e3779b9u * (unsigned int)(i + 1);
		pthread_create(&th[i], NULL, cpu_thread, &procs[i]);
	}
	pthread_barrier_wait(&steps_done);
	KT_ASSERT(mm_mapcounts_are_valid(machine));
	KT_ASSERT(lru_all_valid());
	pthread_barrier_wait(&census_done);
	for (int i = 0; i < NCPUS; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&steps_done);
	pthread_barrier_destroy(&census_done);
	for (int i = 0; i < NCPUS; i++) {
		KT_EQ(procs[i].bad, 0);
		printf("#   cpu %d: %d processes, %d forks\n", procs[i].cpu, procs[i].spawns,
		       procs[i].forks);
	}
	printf("#   %lu faults\n", sum_vm_event(PGFAULT) - faults);
	KT_ASSERT(lru_all_valid());
	KT_EQ(global_node_page_state(NR_INACTIVE_ANON) + global_node_page_state(NR_ACTIVE_ANON) +
	      global_node_page_state(NR_UNEVICTABLE), 0);
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), before);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(machine);
}

static void test_stress(void)
{
	stress("arch=x86_64 ram=128M cpus=4");
	stress("arch=i386 ram=256M cpus=4");
	stress("arch=arm64 page_size=64K ram=256M cpus=4");
}

int main(void)
{
	KT_RUN(test_stress);
	return kt_done();
}
