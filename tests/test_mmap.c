// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_mmap.c - mmap(2), munmap(2), brk(2), mincore(2), msync(2) and
 * the layout of a process, on x86_64, i386 (3 GiB TASK_SIZE) and arm64
 * with 64K pages: the errors Linux returns, the top-down placement below
 * mmap_base with the stack gap, MAP_FIXED and MAP_FIXED_NOREPLACE (the
 * map_fixed_noreplace selftest's sequence), brk's rules, overcommit modes
 * 0/1/2 refusing exactly where Linux does, max_map_count, and the
 * /proc/sys/vm knobs.
 */
#include "vma_test.h"

static unsigned long stack_top(void)
{
	enum mmsim_arch a = current_layout->arch;

	if (a == ARCH_X86_64 || a == ARCH_X86_64_LA57)
		return 0x7ffffffff000UL;
	if (a == ARCH_ARM64)
		return 1UL << 48;
	return 0xc0000000UL;
}

static void test_layout(void)
{
	struct task_struct *t = vt_spawn("layout");
	struct mm_struct *mm = t->mm;
	unsigned long top = stack_top(), base = top - (128UL << 20);
	unsigned long stack = PAGE_SIZE + 131072, a;
	struct vm_area_struct *vma;

	KT_EQ(mm->map_count, 1);
	vma = vt_vma(top - 1);
	KT_ASSERT(vma);
	KT_EQ(vma->vm_end, top);
	KT_EQ(vma->vm_start, top - stack);
	KT_ASSERT(vma->vm_flags & VM_GROWSDOWN);
	KT_ASSERT(vma->vm_flags & VM_ACCOUNT);
	KT_EQ(vma->vm_flags & VM_ACCESS_FLAGS, VM_READ | VM_WRITE);
	KT_EQ(mm->stack_vm, stack >> PAGE_SHIFT);
	KT_EQ(mm->total_vm, stack >> PAGE_SHIFT);
	KT_EQ(mm->mmap_base, base);
	KT_EQ(mm->task_size, TASK_SIZE);
	KT_EQ(mm->start_brk, current_layout->arch == ARCH_I386 ||
		current_layout->arch == ARCH_I386_PAE ? 0x08048000UL : 0x400000UL);
	KT_EQ(mm->brk, mm->start_brk);
	KT_EQ(vm_memory_committed(), stack >> PAGE_SHIFT);
	/* top-down below mmap_base */
	a = vt_mmap(0, PAGE_SIZE, RW, PRIV);
	KT_EQ(a, base - PAGE_SIZE);
	KT_EQ(vt_mmap(0, 3 * PAGE_SIZE, PROT_READ, PRIV), base - 4 * PAGE_SIZE);
	KT_EQ(vt_count(), 3);
	/* a hint that is free is taken; one below mmap_min_addr is raised */
	KT_EQ(vt_mmap(0x10000000, PAGE_SIZE, RW, PRIV), 0x10000000UL);
	KT_EQ(vt_mmap(PAGE_SIZE, PAGE_SIZE, RW, PRIV),
	      PAGE_ALIGN(READ_ONCE(mm_user_sysctls()->mmap_min_addr)));
	/* a taken hint falls back to the top-down search */
	KT_EQ(vt_mmap(0x10000000, PAGE_SIZE, RW, PRIV), base - 5 * PAGE_SIZE);
	KT_ASSERT(vt_valid());
	/* the stack grows on a fault below it, within the guard range */
	KT_EQ(vt_write(top - stack - 2 * PAGE_SIZE, 1), 0);
	KT_EQ(vt_vma(top - 1)->vm_start, top - stack - 2 * PAGE_SIZE);
	KT_EQ(mm->stack_vm, (stack >> PAGE_SHIFT) + 2);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
	KT_EQ(vm_memory_committed(), 0);
}

/* Large anonymous mappings of whole PMDs are PMD aligned on 64-bit. */
static void test_thp_align(void)
{
	unsigned long a;

	vt_spawn("thp");
	a = vt_mmap(0, PAGE_SIZE, RW, PRIV);
	KT_ASSERT(!IS_ERR_VALUE(a));
	a = vt_mmap(0, PMD_SIZE, RW, PRIV | MAP_NORESERVE);
	KT_ASSERT(!IS_ERR_VALUE(a));
	if (current_layout->arch == ARCH_I386 || current_layout->arch == ARCH_I386_PAE)
		KT_EQ(a, vt_mm()->mmap_base - PAGE_SIZE - PMD_SIZE);
	else
		KT_EQ(a & (PMD_SIZE - 1), 0);
	sys_exit_group(0);
}

static void test_errors(void)
{
	unsigned long a, top = stack_top();

	vt_spawn("errors");
	KT_EQ(vt_mmap(0, 0, RW, PRIV), (unsigned long)-EINVAL);
	KT_EQ(sys_mmap(0, PAGE_SIZE, RW, PRIV, (unsigned long)-1, 1), (unsigned long)-EINVAL);
	KT_EQ(sys_mmap(0, PAGE_SIZE, RW, MAP_PRIVATE, 3, 0), (unsigned long)-EBADF);
	KT_EQ(vt_mmap(0, PAGE_SIZE, RW, 0), (unsigned long)-EINVAL);
	KT_EQ(vt_mmap(0, PAGE_SIZE, RW, MAP_SHARED_VALIDATE), (unsigned long)-EINVAL);
	KT_EQ(vt_mmap(0, PAGE_SIZE, RW, MAP_SHARED | MAP_GROWSDOWN), (unsigned long)-EINVAL);
	KT_EQ(vt_mmap(0, -PAGE_SIZE, RW, PRIV), (unsigned long)-ENOMEM);
	KT_EQ(vt_mmap(0, TASK_SIZE + PAGE_SIZE, RW, PRIV), (unsigned long)-ENOMEM);
	KT_EQ(vt_mmap(0x10000001, PAGE_SIZE, RW, PRIV | MAP_FIXED), (unsigned long)-EINVAL);
	KT_EQ(vt_mmap(TASK_SIZE - PAGE_SIZE, 2 * PAGE_SIZE, RW, PRIV | MAP_FIXED),
	      (unsigned long)-ENOMEM);
	KT_EQ(vt_mmap(TASK_SIZE, PAGE_SIZE, RW, PRIV | MAP_FIXED), (unsigned long)-ENOMEM);
	KT_EQ(vt_mmap(0, PAGE_SIZE, RW, PRIV | MAP_HUGETLB), (unsigned long)-ENOMEM);
	/* root has CAP_SYS_RAWIO: MAP_FIXED below mmap_min_addr is allowed (cap_mmap_addr) */
	a = vt_mmap(PAGE_SIZE, PAGE_SIZE, RW, PRIV | MAP_FIXED);
	KT_EQ(a, PAGE_SIZE);
	KT_EQ(sys_munmap(a, PAGE_SIZE), 0);
	/* the stack's guard gap is kept from a hint */
	a = vt_mmap(top - (132UL << 10) - PAGE_SIZE - 2 * PAGE_SIZE, PAGE_SIZE, RW, PRIV);
	KT_ASSERT(a != top - (132UL << 10) - 3 * PAGE_SIZE);
	KT_EQ(sys_munmap(a, PAGE_SIZE), 0);
	/* munmap */
	KT_EQ(sys_munmap(0x10000001, PAGE_SIZE), -EINVAL);
	KT_EQ(sys_munmap(0x10000000, 0), -EINVAL);
	KT_EQ(sys_munmap(TASK_SIZE, PAGE_SIZE), -EINVAL);
	KT_EQ(sys_munmap(0x10000000, PAGE_SIZE), 0);	/* nothing there: fine */
	/* mincore and msync */
	a = vt_mmap(0, 4 * PAGE_SIZE, RW, PRIV);
	{
		unsigned char vec[4] = { 9, 9, 9, 9 };

		KT_EQ(vt_write(a + PAGE_SIZE, 1), 0);
		KT_EQ(vt_read(a + 3 * PAGE_SIZE), 0);
		KT_EQ(sys_mincore(a, 4 * PAGE_SIZE, vec), 0);
		KT_EQ(vec[0], 0);
		KT_EQ(vec[1], 1);
		KT_EQ(vec[2], 0);
		KT_EQ(vec[3], 1);	/* the zero page is resident */
		KT_EQ(sys_mincore(a + 1, PAGE_SIZE, vec), -EINVAL);
		KT_EQ(sys_mincore(a, 5 * PAGE_SIZE, vec), -ENOMEM);
		KT_EQ(sys_mincore(TASK_SIZE, PAGE_SIZE, vec), -ENOMEM);
		KT_EQ(sys_mincore(a, 0, vec), 0);
	}
	KT_EQ(sys_msync(a, PAGE_SIZE, MS_SYNC), 0);
	KT_EQ(sys_msync(a + 1, PAGE_SIZE, MS_SYNC), -EINVAL);
	KT_EQ(sys_msync(a, PAGE_SIZE, MS_SYNC | MS_ASYNC), -EINVAL);
	KT_EQ(sys_msync(a, PAGE_SIZE, 8), -EINVAL);
	KT_EQ(sys_msync(a, 5 * PAGE_SIZE, MS_SYNC), -ENOMEM);
	KT_EQ(sys_msync(a - PAGE_SIZE, 2 * PAGE_SIZE, MS_ASYNC), -ENOMEM);
	KT_EQ(sys_msync(a, 0, MS_SYNC), 0);
	KT_EQ(sys_mlock(a, PAGE_SIZE), 0);
	KT_EQ(sys_msync(a, PAGE_SIZE, MS_INVALIDATE), -EBUSY);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

/* tools/testing/selftests/mm/map_fixed_noreplace.c */
static void test_fixed_noreplace(void)
{
	unsigned long ps = PAGE_SIZE, base = 0x20000000UL, a, size = 5 * ps;

	vt_spawn("noreplace");
	a = vt_mmap(base, size, RW, PRIV | MAP_FIXED_NOREPLACE);
	KT_EQ(a, base);
	KT_EQ(sys_munmap(base, size), 0);
	/* the full range again */
	a = vt_mmap(base, size, RW, PRIV | MAP_FIXED_NOREPLACE);
	KT_EQ(a, base);
	KT_EQ(sys_munmap(base, size), 0);
	/* now: |  |  |  |  |  | with only [base + ps, base + 4ps) mapped */
	a = vt_mmap(base + ps, 3 * ps, RW, PRIV | MAP_FIXED_NOREPLACE);
	KT_EQ(a, base + ps);
	/* exactly over it */
	KT_EQ(vt_mmap(base + ps, 3 * ps, RW, PRIV | MAP_FIXED_NOREPLACE), (unsigned long)-EEXIST);
	/* overlapping its start */
	KT_EQ(vt_mmap(base, 2 * ps, RW, PRIV | MAP_FIXED_NOREPLACE), (unsigned long)-EEXIST);
	/* overlapping its end */
	KT_EQ(vt_mmap(base + 3 * ps, 2 * ps, RW, PRIV | MAP_FIXED_NOREPLACE), (unsigned long)-EEXIST);
	/* inside it */
	KT_EQ(vt_mmap(base + 2 * ps, ps, RW, PRIV | MAP_FIXED_NOREPLACE), (unsigned long)-EEXIST);
	/* all around it */
	KT_EQ(vt_mmap(base, size, RW, PRIV | MAP_FIXED_NOREPLACE), (unsigned long)-EEXIST);
	/* just before and just after: fine */
	KT_EQ(vt_mmap(base, ps, RW, PRIV | MAP_FIXED_NOREPLACE), base);
	KT_EQ(vt_mmap(base + 4 * ps, ps, RW, PRIV | MAP_FIXED_NOREPLACE), base + 4 * ps);
	/* all five pages are one VMA now (same flags, contiguous offsets) */
	KT_EQ(vt_vma(base)->vm_end, base + size);
	KT_EQ(sys_munmap(base, size), 0);
	KT_EQ(vt_vma(base), NULL);
	/* MAP_FIXED replaces, and the old pages are gone */
	a = vt_mmap(base, size, RW, PRIV);
	KT_EQ(a, base);
	KT_EQ(vt_write(base + ps, 7), 0);
	KT_EQ(vt_mmap(base + ps, ps, PROT_READ, PRIV | MAP_FIXED), base + ps);
	KT_EQ(vt_read(base + ps), 0);
	KT_EQ(vt_count(), 4);	/* stack + three pieces */
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

static void test_brk(void)
{
	struct mm_struct *mm;
	unsigned long start;

	vt_spawn("brk");
	mm = vt_mm();
	start = mm->start_brk;
	KT_EQ(sys_brk(0), start);
	KT_EQ(sys_brk(start - 1), start);		/* below start_brk: refused */
	KT_EQ(sys_brk(start + 100), start + 100);
	KT_EQ(vt_vma(start)->vm_end, start + PAGE_SIZE);
	KT_ASSERT(vt_vma(start)->vm_flags & VM_ACCOUNT);
	KT_EQ(mm->data_vm, 1);
	KT_EQ(sys_brk(start + 5 * PAGE_SIZE), start + 5 * PAGE_SIZE);
	KT_EQ(vt_count(), 2);				/* grown in place */
	KT_EQ(vt_write(start + 4 * PAGE_SIZE, 3), 0);
	KT_EQ(mm->data_vm, 5);
	KT_EQ(sys_brk(start + PAGE_SIZE), start + PAGE_SIZE);	/* shrink */
	KT_EQ(vt_vma(start)->vm_end, start + PAGE_SIZE);
	KT_EQ(sys_brk(start + 5 * PAGE_SIZE), start + 5 * PAGE_SIZE);
	KT_EQ(vt_read(start + 4 * PAGE_SIZE), 0);	/* fresh memory */
	/* a mapping in the way (or within a page of it) stops it */
	KT_EQ(vt_mmap(start + 8 * PAGE_SIZE, PAGE_SIZE, RW, PRIV | MAP_FIXED), start + 8 * PAGE_SIZE);
	KT_EQ(sys_brk(start + 7 * PAGE_SIZE + 1), start + 5 * PAGE_SIZE);
	KT_EQ(sys_brk(start + 7 * PAGE_SIZE), start + 7 * PAGE_SIZE);
	/* back to empty */
	KT_EQ(sys_brk(start), start);
	KT_EQ(vt_vma(start), NULL);
	KT_EQ(mm->data_vm, 1);				/* the fixed mapping */
	/* RLIMIT_DATA */
	current->signal->rlim[RLIMIT_DATA].rlim_cur = 3 * PAGE_SIZE;
	KT_EQ(sys_brk(start + 3 * PAGE_SIZE + 1), start);	/* check_data_rlimit */
	KT_EQ(sys_brk(start + 3 * PAGE_SIZE), start);		/* may_expand_vm: 1 + 3 > 3 */
	KT_EQ(sys_brk(start + 2 * PAGE_SIZE), start + 2 * PAGE_SIZE);
	/* may_expand_vm counts every data mapping against it */
	KT_EQ(vt_mmap(0, PAGE_SIZE, RW, PRIV), (unsigned long)-ENOMEM);
	KT_ASSERT(!IS_ERR_VALUE(vt_mmap(0, PAGE_SIZE, PROT_READ, PRIV)));
	current->signal->rlim[RLIMIT_DATA].rlim_cur = RLIM_INFINITY_UL;
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

static void test_rlimit_as(void)
{
	struct mm_struct *mm;

	vt_spawn("as");
	mm = vt_mm();
	current->signal->rlim[RLIMIT_AS].rlim_cur = (mm->total_vm + 4) << PAGE_SHIFT;
	KT_ASSERT(!IS_ERR_VALUE(vt_mmap(0x30000000, 4 * PAGE_SIZE, RW, PRIV)));
	KT_EQ(vt_mmap(0, PAGE_SIZE, RW, PRIV), (unsigned long)-ENOMEM);
	/* MAP_FIXED over what is there counts only the growth */
	KT_EQ(vt_mmap(0x30000000, 4 * PAGE_SIZE, PROT_READ, PRIV | MAP_FIXED), 0x30000000UL);
	KT_EQ(vt_mmap(0x30000000, 5 * PAGE_SIZE, PROT_READ, PRIV | MAP_FIXED), (unsigned long)-ENOMEM);
	current->signal->rlim[RLIMIT_AS].rlim_cur = RLIM_INFINITY_UL;
	sys_exit_group(0);
}

static void test_max_map_count(void)
{
	unsigned long base = 0x40000000UL, ps = PAGE_SIZE;
	int i, n;

	vt_spawn("maxmap");
	vt_sysctl("max_map_count", "10");
	n = vt_count();
	/* alternate protections so nothing merges */
	for (i = 0; n < 11; i++, n++)
		KT_EQ(vt_mmap(base + 2 * i * ps, ps, i & 1 ? PROT_READ : RW, PRIV | MAP_FIXED),
		      base + 2 * i * ps);
	/* map_count (11) > max_map_count (10): refused */
	KT_EQ(vt_mmap(0, ps, RW, PRIV), (unsigned long)-ENOMEM);
	vt_sysctl("max_map_count", "12");
	KT_ASSERT(!IS_ERR_VALUE(vt_mmap(base + 100 * ps, 3 * ps, RW, PRIV | MAP_FIXED)));
	/* map_count 12: a split is refused (mprotect, munmap in the middle) */
	KT_EQ(sys_mprotect(base + 101 * ps, ps, PROT_READ), -ENOMEM);
	KT_EQ(sys_munmap(base + 101 * ps, ps), -ENOMEM);
	/* an unmap at an edge is fine */
	KT_EQ(sys_munmap(base + 100 * ps, ps), 0);
	KT_EQ(sys_madvise(base + 101 * ps, ps, MADV_DONTFORK), -EAGAIN);
	vt_sysctl("max_map_count", "65530");
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

static void test_overcommit(void)
{
	unsigned long ram = totalram_pages(), limit, committed, a;
	char buf[32];

	vt_spawn("commit");
	/* mode 0: one request larger than RAM + swap is refused */
	KT_EQ(vt_mmap(0, (ram + 1) << PAGE_SHIFT, RW, PRIV), (unsigned long)-ENOMEM);
	a = vt_mmap(0, ram << PAGE_SHIFT, RW, PRIV);
	KT_ASSERT(!IS_ERR_VALUE(a));
	KT_EQ(sys_munmap(a, ram << PAGE_SHIFT), 0);
	/* ... but MAP_NORESERVE and read-only mappings are not charged */
	a = vt_mmap(0, (ram + 1) << PAGE_SHIFT, RW, PRIV | MAP_NORESERVE);
	KT_ASSERT(!IS_ERR_VALUE(a));
	KT_ASSERT(vt_vma(a)->vm_flags & VM_NORESERVE);
	KT_EQ(sys_munmap(a, (ram + 1) << PAGE_SHIFT), 0);
	/* mode 1: anything */
	vt_sysctl("overcommit_memory", "1");
	a = vt_mmap(0, (4 * ram) << PAGE_SHIFT, RW, PRIV);
	KT_ASSERT(!IS_ERR_VALUE(a));
	KT_EQ(sys_munmap(a, (4 * ram) << PAGE_SHIFT), 0);
	/* mode 2: committed < CommitLimit - min(total_vm / 32, user reserve) */
	vt_sysctl("overcommit_memory", "2");
	vt_sysctl("overcommit_ratio", "50");
	limit = vm_commit_limit();
	KT_EQ(limit, ram / 2);
	{
		char *mi = mmsim_read(vt_m, "/proc/meminfo");

		KT_EQ(field(mi, "CommitLimit:"), (long long)(limit << (PAGE_SHIFT - 10)));
		KT_EQ(field(mi, "Committed_AS:"),
		      (long long)(vm_memory_committed() << (PAGE_SHIFT - 10)));
		free(mi);
	}
	committed = vm_memory_committed();
	{
		unsigned long reserve = min(vt_mm()->total_vm / 32,
					    mm_user_sysctls()->user_reserve_kbytes >> (PAGE_SHIFT - 10));
		unsigned long room = limit - reserve - committed;	/* pages */

		/* exactly the most that fits: committed + n < allowed */
		KT_EQ(vt_mmap(0, room << PAGE_SHIFT, RW, PRIV), (unsigned long)-ENOMEM);
		a = vt_mmap(0, (room - 1) << PAGE_SHIFT, RW, PRIV);
		KT_ASSERT(!IS_ERR_VALUE(a));
		KT_EQ(vm_memory_committed(), committed + room - 1);
		/* MAP_NORESERVE is ignored in mode 2 */
		KT_EQ(vt_mmap(0, PAGE_SIZE, RW, PRIV | MAP_NORESERVE), (unsigned long)-ENOMEM);
		/* a read-only private mapping costs nothing; making it writable does */
		a = vt_mmap(0, PAGE_SIZE, PROT_READ, PRIV);
		KT_ASSERT(!IS_ERR_VALUE(a));
		KT_EQ(sys_mprotect(a, PAGE_SIZE, RW), -ENOMEM);
		/* shared anonymous memory is charged as shmem charges it, even read-only */
		KT_EQ(vt_mmap(0, PAGE_SIZE, PROT_READ, MAP_SHARED | MAP_ANONYMOUS),
		      (unsigned long)-ENOMEM);
	}
	/* overcommit_kbytes replaces the ratio (and zeroes it) */
	snprintf(buf, sizeof(buf), "%lu", (ram * 4) << (PAGE_SHIFT - 10));
	vt_sysctl("overcommit_kbytes", buf);
	KT_EQ(vm_commit_limit(), ram * 4);
	KT_EQ(mm_user_sysctls()->overcommit_ratio, 0);
	{
		char *v = mmsim_read(vt_m, "/proc/sys/vm/overcommit_ratio");

		KT_ASSERT(v && !strcmp(v, "0\n"));
		free(v);
	}
	vt_sysctl("overcommit_ratio", "50");
	KT_EQ(mm_user_sysctls()->overcommit_kbytes, 0);
	KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/overcommit_memory", "3"), -EINVAL);
	vt_sysctl("overcommit_memory", "0");
	KT_EQ(vm_memory_committed(), vt_committed_expected());
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
	KT_EQ(vm_memory_committed(), 0);
}

static void test_sysctls(void)
{
	char *v = mmsim_read(vt_m, "/proc/sys/vm/max_map_count");

	KT_ASSERT(v && !strcmp(v, "65530\n"));
	free(v);
	v = mmsim_read(vt_m, "/proc/sys/vm/mmap_min_addr");
	KT_ASSERT(v && !strcmp(v, current_layout->arch == ARCH_ARM64 ? "32768\n" : "65536\n"));
	free(v);
	v = mmsim_read(vt_m, "/proc/sys/vm/overcommit_memory");
	KT_ASSERT(v && !strcmp(v, "0\n"));
	free(v);
	v = mmsim_read(vt_m, "/proc/sys/vm/overcommit_ratio");
	KT_ASSERT(v && !strcmp(v, "50\n"));
	free(v);
	v = mmsim_read(vt_m, "/proc/sys/vm/overcommit_kbytes");
	KT_ASSERT(v && !strcmp(v, "0\n"));
	free(v);
	v = mmsim_read(vt_m, "/proc/sys/vm/admin_reserve_kbytes");
	KT_ASSERT(v && strtoul(v, NULL, 10) > 0 && strtoul(v, NULL, 10) <= 8192);
	free(v);
	v = mmsim_read(vt_m, "/proc/sys/vm/user_reserve_kbytes");
	KT_ASSERT(v && strtoul(v, NULL, 10) > 0 && strtoul(v, NULL, 10) <= 131072);
	free(v);
	KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/max_map_count", "-1"), -EINVAL);
	v = mmsim_read(vt_m, "/proc/slabinfo");
	KT_ASSERT(v && strstr(v, "\nvm_area_struct "));
	free(v);
}

/* A shared anonymous mapping's pages are shared with a forked child. */
static void test_shared_anon_fork(void)
{
	struct task_struct *parent = vt_spawn("shared"), *child;
	unsigned long a = vt_mmap(0, 2 * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS);
	long pid;
	int st = 0;

	KT_EQ(vt_vma(a)->vm_pgoff, 0);
	KT_ASSERT(vt_vma(a)->vm_flags & VM_SHARED);
	KT_EQ(shmem_charged_pages(vt_vma(a)->vm_file), 2);
	KT_EQ(vm_memory_committed(), vt_committed_expected());
	/* split and merged back: one object, charged once */
	KT_EQ(sys_mprotect(a, PAGE_SIZE, PROT_READ), 0);
	KT_EQ(sys_mprotect(a, PAGE_SIZE, RW), 0);
	KT_EQ(vt_vma(a)->vm_end, a + 2 * PAGE_SIZE);
	KT_EQ(vm_memory_committed(), vt_committed_expected());
	/* MAP_NORESERVE: not charged */
	{
		unsigned long c0 = vm_memory_committed();
		unsigned long n = vt_mmap(0, PAGE_SIZE, RW, MAP_SHARED | MAP_NORESERVE);

		KT_EQ(vm_memory_committed(), c0);
		KT_EQ(sys_munmap(n, PAGE_SIZE), 0);
	}
	KT_EQ(vt_write(a, 1), 0);
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	child = find_task_by_vpid((pid_t)pid);
	KT_EQ(mmsim_switch_to(child), 0);
	KT_EQ(vt_read(a), 1);
	KT_EQ(vt_write(a, 2), 0);
	KT_EQ(vt_write(a + PAGE_SIZE, 3), 0);	/* a page the parent never touched */
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(parent), 0);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	KT_EQ(vt_read(a), 2);
	KT_EQ(vm_memory_committed(), vt_committed_expected());
	KT_EQ(vt_read(a + PAGE_SIZE), 3);	/* shmem: the child's new page is ours too */
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

/* stack_guard_gap: kept by stack growth from the VMA below, and by placement. */
static void test_stack_guard(void)
{
	unsigned long top = stack_top(), gap = mm_user_sysctls()->stack_guard_gap << PAGE_SHIFT;
	unsigned long s, a;

	vt_spawn("guard");
	s = vt_vma(top - 1)->vm_start;
	/* a mapping exactly one gap below: no room to grow by a page */
	a = vt_mmap(s - gap - PAGE_SIZE, PAGE_SIZE, PROT_READ, PRIV | MAP_FIXED);
	KT_EQ(a, s - gap - PAGE_SIZE);
	KT_EQ(vt_write(s - PAGE_SIZE, 1), -EFAULT);	/* SIGSEGV: the task died */
	KT_EQ(current, NULL);
	vt_spawn("guard2");
	s = vt_vma(top - 1)->vm_start;
	a = vt_mmap(s - gap - 2 * PAGE_SIZE, PAGE_SIZE, PROT_READ, PRIV | MAP_FIXED);
	KT_EQ(vt_write(s - PAGE_SIZE, 1), 0);		/* exactly a gap left */
	KT_EQ(vt_vma(top - 1)->vm_start, s - PAGE_SIZE);
	KT_EQ(vt_write(s - 2 * PAGE_SIZE, 1), -EFAULT);
	vt_spawn("guard3");
	s = vt_vma(top - 1)->vm_start;
	/* PROT_NONE below does not count (vma_is_accessible) */
	a = vt_mmap(s - gap, PAGE_SIZE, PROT_NONE, PRIV | MAP_FIXED);
	KT_EQ(vt_write(s - PAGE_SIZE, 1), 0);
	KT_EQ(sys_munmap(a, PAGE_SIZE), 0);
	/* a hint inside the gap is not taken */
	a = vt_mmap(s - gap, PAGE_SIZE, RW, PRIV);
	KT_ASSERT(a != s - gap);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

/* vm.legacy_va_layout=1: bottom-up from TASK_UNMAPPED_BASE. */
static void test_legacy_layout(void)
{
	unsigned long top = stack_top(), base, a;

	base = PAGE_ALIGN(current_layout->arch == ARCH_ARM64 ? top / 4 : top / 3);
	vt_sysctl("legacy_va_layout", "1");
	vt_spawn("legacy");
	vt_sysctl("legacy_va_layout", "0");
	KT_EQ(vt_mm()->mmap_base, base);
	a = vt_mmap(0, PAGE_SIZE, RW, PRIV);
	KT_EQ(a, base);
	KT_EQ(vt_mmap(0, 2 * PAGE_SIZE, RW, PRIV), base + PAGE_SIZE);
	if (current_layout->arch == ARCH_X86_64)
		KT_EQ(base, 0x2aaaaaaab000UL);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

/* MAP_GROWSDOWN mappings grow like the stack; PROT_GROWSDOWN reaches their start. */
static void test_growsdown(void)
{
	unsigned long a = 0x30000000UL;

	vt_spawn("growsdown");
	KT_EQ(vt_mmap(a, 2 * PAGE_SIZE, RW, PRIV | MAP_FIXED | MAP_GROWSDOWN), a);
	KT_ASSERT(vt_vma(a)->vm_flags & VM_GROWSDOWN);
	KT_EQ(vt_write(a - 3 * PAGE_SIZE, 1), 0);
	KT_EQ(vt_vma(a)->vm_start, a - 3 * PAGE_SIZE);
	KT_EQ(vt_vma(a)->vm_pgoff, (a >> PAGE_SHIFT) - 3);
	KT_EQ(sys_mprotect(a, PAGE_SIZE, PROT_READ | PROT_GROWSDOWN), 0);
	KT_EQ(vt_vma(a - 3 * PAGE_SIZE)->vm_end, a + PAGE_SIZE);
	KT_EQ(vt_vma(a - 3 * PAGE_SIZE)->vm_flags & VM_ACCESS_FLAGS, VM_READ);
	KT_EQ(sys_mprotect(a, PAGE_SIZE, PROT_READ | PROT_GROWSDOWN | PROT_GROWSUP), -EINVAL);
	KT_EQ(sys_mprotect(a + PAGE_SIZE, PAGE_SIZE, PROT_READ | PROT_GROWSUP), -EINVAL);
	KT_EQ(vt_mmap(0x40000000UL, PAGE_SIZE, RW, PRIV | MAP_FIXED), 0x40000000UL);
	KT_EQ(sys_mprotect(0x40000000UL, PAGE_SIZE, PROT_READ | PROT_GROWSDOWN), -EINVAL);
	KT_EQ(sys_mprotect(0x40000000UL, PAGE_SIZE, 0x100), -EINVAL);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

/* x86_64 with 5-level paging: the 47-bit window unless a hint asks for more. */
static void test_la57(void)
{
	unsigned long a;

	vt_spawn("la57");
	KT_EQ(TASK_SIZE, 0x00fffffffffff000UL);
	a = vt_mmap(0, PAGE_SIZE, RW, PRIV);
	KT_ASSERT(a < (1UL << 47));
	a = vt_mmap(1UL << 50, PAGE_SIZE, RW, PRIV);
	KT_EQ(a, 1UL << 50);
	KT_EQ(vt_write(a, 1), 0);
	/* a hint straddling the 47-bit boundary is not taken as is */
	a = vt_mmap((1UL << 47) - PAGE_SIZE, 2 * PAGE_SIZE, RW, PRIV);
	KT_ASSERT(a != (1UL << 47) - PAGE_SIZE);
	KT_EQ(vt_mmap(TASK_SIZE - PAGE_SIZE, PAGE_SIZE, RW, PRIV | MAP_FIXED),
	      TASK_SIZE - PAGE_SIZE);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

/*
 * MAP_32BIT: on x86_64 bottom-up in [1 GiB, 2 GiB) (a hint only inside
 * it), ENOMEM when that window is full; elsewhere the bit is ignored.
 */
static void test_map_32bit(void)
{
	enum mmsim_arch arch = current_layout->arch;
	bool x86_64 = arch == ARCH_X86_64 || arch == ARCH_X86_64_LA57;
	unsigned long a, b, plain;

	vt_spawn("map32");
	plain = vt_mmap(0, PAGE_SIZE, RW, PRIV);
	a = vt_mmap(0, PAGE_SIZE, RW, PRIV | MAP_32BIT);
	b = vt_mmap(0, 2 * PAGE_SIZE, RW, PRIV | MAP_32BIT);
	if (!x86_64) {
		KT_EQ(a, plain - PAGE_SIZE);	/* ignored: top-down as usual */
		KT_EQ(b, a - 2 * PAGE_SIZE);
		KT_ASSERT(vt_valid());
		sys_exit_group(0);
		return;
	}
	KT_EQ(a, 0x40000000UL);
	KT_EQ(b, 0x40000000UL + PAGE_SIZE);
	KT_EQ(vt_write(b, 1), 0);
	/* a free hint inside the window is taken, one outside is not */
	KT_EQ(vt_mmap(0x50000000, PAGE_SIZE, RW, PRIV | MAP_32BIT), 0x50000000UL);
	KT_EQ(vt_mmap(0x90000000, PAGE_SIZE, RW, PRIV | MAP_32BIT), 0x40000000UL + 3 * PAGE_SIZE);
	/* the window holds 1 GiB: a bigger request has nowhere to go */
	KT_EQ(sys_mmap(0, 0x40000000UL + PAGE_SIZE, RW, PRIV | MAP_32BIT | MAP_NORESERVE,
		       (unsigned long)-1, 0), (unsigned long)-ENOMEM);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

static void test_guard_gap_boot_word(void)
{
	KT_EQ(mm_user_sysctls()->stack_guard_gap, 16);
	test_stack_guard();
}

static void run(const char *spec)
{
	vt_boot(spec);
	KT_RUN(test_sysctls);
	KT_RUN(test_layout);
	KT_RUN(test_thp_align);
	KT_RUN(test_errors);
	KT_RUN(test_fixed_noreplace);
	KT_RUN(test_brk);
	KT_RUN(test_rlimit_as);
	KT_RUN(test_max_map_count);
	KT_RUN(test_overcommit);
	KT_RUN(test_shared_anon_fork);
	KT_RUN(test_stack_guard);
	KT_RUN(test_growsdown);
	KT_RUN(test_legacy_layout);
	KT_RUN(test_map_32bit);
	if (current_layout->arch == ARCH_X86_64_LA57)
		KT_RUN(test_la57);
	vt_exit();
}

int main(void)
{
	run("arch=x86_64 ram=64M cpus=2");
	run("arch=i386 ram=64M cpus=2");
	run("arch=arm64 page_size=64K ram=256M cpus=2");
	run("arch=x86_64-la57 ram=64M cpus=2");
	vt_boot("arch=x86_64 ram=64M stack_guard_gap=16");
	KT_RUN(test_guard_gap_boot_word);
	vt_exit();
	KT_ASSERT(!mmsim_boot("arch=x86_64 ram=64M stack_guard_gap=x"));
	return kt_done();
}
