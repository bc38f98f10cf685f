// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_mlock.c - mlock(2), mlock2(2), munlock(2), mlockall(2),
 * munlockall(2): the semantics of Linux's mlock2-tests.c (locked ranges
 * are populated and counted, MLOCK_ONFAULT ranges lock pages as they
 * fault, mlockall's MCL_CURRENT/MCL_FUTURE/MCL_ONFAULT, the VMA splits
 * and merges of locking part of a range), mm->locked_vm, the Mlocked
 * counter of /proc/meminfo, MAP_LOCKED, fork (no inheritance), and
 * RLIMIT_MEMLOCK not binding root (CAP_IPC_LOCK).
 */
#include "vma_test.h"

#define B	0x70000000UL
#define P(n)	((unsigned long)(n) * PAGE_SIZE)

static unsigned long mlocked(void)
{
	return global_zone_page_state(NR_MLOCK);
}

static bool present(unsigned long a)
{
	unsigned char v = 9;

	return sys_mincore(a & PAGE_MASK, 1, &v) == 0 && v == 1;
}

static void test_lock(void)
{
	unsigned long a, m0 = mlocked();
	struct mm_struct *mm;
	char *mi;

	vt_spawn("mlock");
	mm = vt_mm();
	a = vt_mmap(B, P(4), RW, PRIV | MAP_FIXED);
	KT_EQ(sys_mlock(a + P(1) + 10, P(1)), 0);	/* rounded out to two pages */
	KT_ASSERT(vt_vma(a + P(1))->vm_flags & VM_LOCKED);
	KT_EQ(vt_vma(a + P(1))->vm_start, a + P(1));
	KT_EQ(vt_vma(a + P(1))->vm_end, a + P(3));
	KT_EQ(mm->locked_vm, 2);
	KT_ASSERT(present(a + P(1)) && present(a + P(2)));
	KT_ASSERT(!present(a));
	KT_EQ(mlocked(), m0 + 2);
	mi = mmsim_read(vt_m, "/proc/meminfo");
	KT_EQ(field(mi, "Mlocked:"), (long long)((m0 + 2) << (PAGE_SHIFT - 10)));
	free(mi);
	/* locking again changes nothing */
	KT_EQ(sys_mlock(a + P(1), P(2)), 0);
	KT_EQ(mm->locked_vm, 2);
	KT_EQ(mlocked(), m0 + 2);
	/* munlock */
	KT_EQ(sys_munlock(a, P(4)), 0);
	KT_EQ(mm->locked_vm, 0);
	KT_EQ(mlocked(), m0);
	/*
	 * The middle piece has an anon_vma (its pages faulted), the outer ones
	 * none: it merges into next (is_mergeable_anon_vma takes a NULL side
	 * there) but not into prev, whose empty anon_vma_chain is not singular
	 * (Linux 6.12's rule).
	 */
	KT_EQ(vt_vma(a)->vm_end, a + P(1));
	KT_EQ(vt_vma(a + P(1))->vm_end, a + P(4));
	/* errors */
	KT_EQ(sys_mlock2(a, P(1), 2), -EINVAL);
	KT_EQ(sys_mlock(a + P(10), P(1)), -ENOMEM);
	KT_EQ(sys_mlock(a, P(5)), -ENOMEM);	/* a hole after it: the VMA is locked, then -ENOMEM */
	KT_EQ(mm->locked_vm, 4);
	KT_EQ(sys_munlock(a + P(10), P(1)), -ENOMEM);
	/* unmapping a locked range unlocks its pages */
	KT_EQ(sys_munmap(a, P(4)), 0);
	KT_EQ(mm->locked_vm, 0);
	KT_EQ(mlocked(), m0);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

static void test_onfault(void)
{
	unsigned long a, m0 = mlocked();
	struct mm_struct *mm;

	vt_spawn("onfault");
	mm = vt_mm();
	a = vt_mmap(B, P(3), RW, PRIV | MAP_FIXED);
	/* lock_onfault_of_present: a page already there is locked at once */
	KT_EQ(vt_write(a, 1), 0);
	KT_EQ(sys_mlock2(a, P(3), MLOCK_ONFAULT), 0);
	KT_EQ(vt_vma(a)->vm_flags & VM_LOCKED_MASK, VM_LOCKED | VM_LOCKONFAULT);
	KT_EQ(mm->locked_vm, 3);
	KT_ASSERT(!present(a + P(1)));
	KT_EQ(mlocked(), m0 + 1);
	KT_EQ(vt_write(a + P(1), 1), 0);
	KT_EQ(mlocked(), m0 + 2);
	/* vma_management: munlock the middle, lock it again */
	KT_EQ(sys_munlock(a + P(1), P(1)), 0);
	KT_EQ(vt_count(), 4);
	KT_EQ(mlocked(), m0 + 1);
	KT_EQ(mm->locked_vm, 2);
	KT_EQ(sys_mlock2(a + P(1), P(1), MLOCK_ONFAULT), 0);
	KT_EQ(vt_count(), 2);
	KT_EQ(vt_vma(a)->vm_end, a + P(3));
	KT_EQ(mm->locked_vm, 3);
	/* mlock over it turns LOCKONFAULT off and populates */
	KT_EQ(sys_mlock(a, P(3)), 0);
	KT_EQ(vt_vma(a)->vm_flags & VM_LOCKED_MASK, VM_LOCKED);
	KT_ASSERT(present(a + P(2)));
	KT_EQ(mlocked(), m0 + 3);
	KT_EQ(mm->locked_vm, 3);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
	KT_EQ(mlocked(), m0);
}

static void test_mlockall(void)
{
	struct task_struct *parent, *child;
	unsigned long a, b, m0 = mlocked();
	struct mm_struct *mm;
	long pid;
	int st;

	parent = vt_spawn("mlockall");
	mm = vt_mm();
	KT_EQ(sys_mlockall(0), -EINVAL);
	KT_EQ(sys_mlockall(MCL_ONFAULT), -EINVAL);
	KT_EQ(sys_mlockall(8), -EINVAL);
	a = vt_mmap(B, P(2), RW, PRIV | MAP_FIXED);
	KT_EQ(sys_mlockall(MCL_CURRENT), 0);
	KT_EQ(mm->locked_vm, mm->total_vm);
	KT_ASSERT(present(a) && present(a + P(1)));
	KT_ASSERT(vt_vma(a)->vm_flags & VM_LOCKED);
	KT_EQ(sys_munlockall(), 0);
	KT_EQ(mm->locked_vm, 0);
	KT_EQ(mlocked(), m0);
	KT_EQ(sys_mlockall(MCL_CURRENT | MCL_ONFAULT), 0);
	KT_EQ(vt_vma(a)->vm_flags & VM_LOCKED_MASK, VM_LOCKED | VM_LOCKONFAULT);
	KT_EQ(sys_munlockall(), 0);
	/* MCL_FUTURE: new mappings and brk are locked (and populated) */
	KT_EQ(sys_mlockall(MCL_FUTURE), 0);
	KT_EQ(mm->def_flags & VM_LOCKED_MASK, VM_LOCKED);
	b = vt_mmap(0, P(2), RW, PRIV);
	KT_ASSERT(vt_vma(b)->vm_flags & VM_LOCKED);
	KT_ASSERT(present(b + P(1)));
	KT_EQ(sys_brk(mm->start_brk + P(1)), mm->start_brk + P(1));
	KT_ASSERT(vt_vma(mm->start_brk)->vm_flags & VM_LOCKED);
	KT_ASSERT(present(mm->start_brk));
	KT_EQ(mm->locked_vm, 3);
	KT_ASSERT(!(vt_vma(a)->vm_flags & VM_LOCKED));
	/* MAP_LOCKED on its own */
	KT_EQ(sys_munlockall(), 0);
	KT_EQ(mm->def_flags & VM_LOCKED_MASK, 0);
	b = vt_mmap(0, P(2), RW, PRIV | MAP_LOCKED);
	KT_ASSERT(vt_vma(b)->vm_flags & VM_LOCKED);
	KT_ASSERT(present(b));
	KT_EQ(mm->locked_vm, 2);
	/* fork: the child inherits neither the lock nor the count */
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	child = find_task_by_vpid((pid_t)pid);
	KT_EQ(mmsim_switch_to(child), 0);
	KT_EQ(vt_mm()->locked_vm, 0);
	KT_ASSERT(!(vt_vma(b)->vm_flags & VM_LOCKED));
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(parent), 0);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	/* root: RLIMIT_MEMLOCK does not bind (CAP_IPC_LOCK) */
	current->signal->rlim[RLIMIT_MEMLOCK].rlim_cur = 0;
	KT_EQ(sys_mlock(a, P(2)), 0);
	KT_EQ(sys_mlockall(MCL_CURRENT), 0);
	current->signal->rlim[RLIMIT_MEMLOCK].rlim_cur = 8UL << 20;
	KT_EQ(sys_munlockall(), 0);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
	KT_EQ(mlocked(), m0);
}

static void run(const char *spec)
{
	vt_boot(spec);
	KT_RUN(test_lock);
	KT_RUN(test_onfault);
	KT_RUN(test_mlockall);
	vt_exit();
}

int main(void)
{
	run("arch=x86_64 ram=64M cpus=2");
	run("arch=i386 ram=64M cpus=2");
	run("arch=arm64 page_size=64K ram=256M cpus=2");
	return kt_done();
}
