// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_mmap_mt.c - the mmap family on several CPUs at once: each
 * CPU (a host thread) spawns its own process and runs random mmap,
 * munmap, mprotect, mremap, madvise, mlock, brk, fork and touches, so that
 * what processes share -- vm_committed_as, the vm_area_struct and anon_vma
 * caches, the page allocator, the shared-anon ids, the sysctls -- is hit
 * concurrently (ThreadSanitizer runs it: `make test`'s threaded label).
 * At the end every process is valid and gone, and nothing stays charged.
 */
#include <pthread.h>
#include "vma_test.h"

#define NTHREADS	3
#define ROUNDS		1500
#define B		0x20000000UL
#define P(n)		((unsigned long)(n) * PAGE_SIZE)

struct worker {
	int cpu;
	unsigned int seed;
	pthread_t thread;
	int bad;
};

static unsigned int next_rand(unsigned int *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

static void one_step(unsigned int *s)
{
	unsigned int r = next_rand(s);
	unsigned long a = B + P(r % 128), len = P(1 + (r >> 8) % 6);
	unsigned char v = 1;

	switch (r % 12) {
	case 0:
	case 1:
		(void)vt_mmap(a, len, (r & 64) ? PROT_READ : RW,
			      ((r & 128) ? MAP_SHARED : PRIV) | MAP_FIXED);
		break;
	case 2:
		(void)sys_munmap(a, len);
		break;
	case 3:
		(void)sys_mprotect(a, len, (r & 64) ? PROT_READ : RW);
		break;
	case 4:
		(void)sys_mremap(a, len, len + PAGE_SIZE, MREMAP_MAYMOVE, 0);
		break;
	case 5:
		(void)sys_madvise(a, len, (r & 64) ? MADV_DONTNEED : MADV_POPULATE_READ);
		break;
	case 6:
		(void)((r & 64) ? sys_mlock(a, len) : sys_munlock(a, len));
		break;
	case 7:
		(void)sys_brk(current->mm->start_brk + P((r >> 8) % 8));
		break;
	default: {
		struct vm_area_struct *vma;
		bool w;

		mmap_read_lock(current->mm);
		vma = vma_lookup(current->mm, a);
		w = vma && (vma->vm_flags & VM_WRITE);
		mmap_read_unlock(current->mm);
		if (w)
			KT_EQ(mmsim_user_write(a, &v, 1), 0);
		break;
	}
	}
}

static void *worker(void *arg)
{
	struct worker *w = arg;
	struct task_struct *t;

	KT_EQ(mmsim_enter(vt_m, w->cpu), 0);
	t = mmsim_spawn(vt_m, "mt");
	KT_ASSERT(t);
	KT_EQ(mmsim_switch_to(t), 0);
	for (int i = 0; i < ROUNDS; i++) {
		one_step(&w->seed);
		if (i % 500 == 499) {
			long pid = sys_fork();
			int st;

			KT_ASSERT(pid > 0);
			KT_EQ(mmsim_switch_to(find_task_by_vpid((pid_t)pid)), 0);
			for (int j = 0; j < 50; j++)
				one_step(&w->seed);
			sys_exit_group(0);
			KT_EQ(mmsim_switch_to(t), 0);
			KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
		}
		if (i % 100 == 0) {
			bool ok;

			mmap_read_lock(t->mm);
			ok = vma_tree_is_consistent(t->mm);
			mmap_read_unlock(t->mm);
			if (!ok || !mm_is_valid(t->mm))
				w->bad++;
		}
	}
	sys_exit_group(0);
	mmsim_leave();
	return NULL;
}

static void test_concurrent_processes(void)
{
	struct worker w[NTHREADS];

	mmsim_leave();
	for (int i = 0; i < NTHREADS; i++) {
		w[i].cpu = i;
		w[i].seed = 31u * (unsigned int)i + 7;
		w[i].bad = 0;
		pthread_create(&w[i].thread, NULL, worker, &w[i]);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(w[i].thread, NULL);
	KT_EQ(mmsim_enter(vt_m, 0), 0);
	for (int i = 0; i < NTHREADS; i++)
		KT_EQ(w[i].bad, 0);
	KT_EQ(vm_memory_committed(), 0);
	KT_EQ(global_zone_page_state(NR_MLOCK), 0);
}

int main(void)
{
	static const char *const specs[] = {
		"arch=x86_64 ram=128M cpus=3",
		"arch=arm64 page_size=64K ram=256M cpus=3",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(specs); i++) {
		vt_boot(specs[i]);
		KT_RUN(test_concurrent_processes);
		vt_exit();
	}
	return kt_done();
}
