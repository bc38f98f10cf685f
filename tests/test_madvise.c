// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_madvise.c - madvise(2): the semantics of Linux's
 * madv_populate.c (POPULATE_READ/WRITE: rights, holes, what ends up
 * mapped), DONTNEED/FREE dropping pages (and refusing locked VMAs unless
 * DONTNEED_LOCKED), DONTFORK/DOFORK and WIPEONFORK/KEEPONFORK across
 * fork, the flag advice's splits and merges, and the errors.
 */
#include "vma_test.h"

#define B	0x30000000UL
#define P(n)	((unsigned long)(n) * PAGE_SIZE)

/* The page at @a: 0 none, 1 the zero page, 2 a page of its own. */
static int state(unsigned long a)
{
	pte_t *ptep = mm_find_pte(vt_mm(), a);
	pte_t pte;

	if (!ptep)
		return 0;
	pte = ptep_get(ptep);
	if (!pte_present(pte))
		return 0;
	return is_zero_pfn(pte_pfn(pte)) ? 1 : 2;
}

static void test_populate(void)
{
	unsigned long a, i;

	vt_spawn("populate");
	/* PROT_READ: read is fine (zero pages), write is not */
	a = vt_mmap(B, P(4), PROT_READ, PRIV | MAP_FIXED);
	KT_EQ(sys_madvise(a, P(4), MADV_POPULATE_READ), 0);
	for (i = 0; i < 4; i++)
		KT_EQ(state(a + P(i)), 1);
	KT_EQ(sys_madvise(a, P(4), MADV_POPULATE_WRITE), -EINVAL);
	/* PROT_WRITE only: the other way round */
	a = vt_mmap(B + P(10), P(4), PROT_WRITE, PRIV | MAP_FIXED);
	KT_EQ(sys_madvise(a, P(4), MADV_POPULATE_READ), -EINVAL);
	KT_EQ(sys_madvise(a, P(4), MADV_POPULATE_WRITE), 0);
	for (i = 0; i < 4; i++)
		KT_EQ(state(a + P(i)), 2);
	/* PROT_NONE: neither */
	a = vt_mmap(B + P(20), P(1), PROT_NONE, PRIV | MAP_FIXED);
	KT_EQ(sys_madvise(a, P(1), MADV_POPULATE_READ), -EINVAL);
	/* holes: -ENOMEM; what lies before the hole is populated */
	a = vt_mmap(B + P(30), P(10), RW, PRIV | MAP_FIXED);
	KT_EQ(sys_munmap(a + P(5), P(1)), 0);
	KT_EQ(sys_madvise(a, P(10), MADV_POPULATE_WRITE), -ENOMEM);
	KT_EQ(state(a + P(4)), 2);
	KT_EQ(sys_madvise(a + P(6), P(4), MADV_POPULATE_WRITE), 0);
	KT_EQ(sys_madvise(a - P(1), P(2), MADV_POPULATE_READ), -ENOMEM);
	/* write populate breaks COW of the zero page */
	a = vt_mmap(B + P(50), P(2), RW, PRIV | MAP_FIXED);
	KT_EQ(sys_madvise(a, P(2), MADV_POPULATE_READ), 0);
	KT_EQ(state(a), 1);
	KT_EQ(sys_madvise(a, P(2), MADV_POPULATE_WRITE), 0);
	KT_EQ(state(a), 2);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

static void test_dontneed(void)
{
	unsigned long a;

	vt_spawn("dontneed");
	a = vt_mmap(B, P(4), RW, PRIV | MAP_FIXED);
	for (int i = 0; i < 4; i++)
		KT_EQ(vt_write(a + P(i), 0x10 + i), 0);
	KT_EQ(get_mm_counter(vt_mm(), MM_ANONPAGES), 4);
	KT_EQ(sys_madvise(a + P(1), P(2), MADV_DONTNEED), 0);
	KT_EQ(state(a + P(1)), 0);
	KT_EQ(vt_read(a), 0x10);
	KT_EQ(vt_read(a + P(1)), 0);
	KT_EQ(vt_read(a + P(3)), 0x13);
	KT_EQ(get_mm_counter(vt_mm(), MM_ANONPAGES), 2);
	KT_EQ(vt_count(), 2);	/* no VMA change */
	/* FREE: lazily freeable -- still there (no memory pressure), clean, not swap-backed */
	{
		unsigned long lf = 0;
		char *st = mmsim_read(vt_m, "/proc/vmstat"), *sm;
		char path[64];

		lf = (unsigned long)field(st, "pglazyfree ");
		free(st);
		KT_EQ(sys_madvise(a + P(3), P(1), MADV_FREE), 0);
		KT_EQ(state(a + P(3)), 2);
		KT_ASSERT(!pte_dirty(ptep_get(mm_find_pte(vt_mm(), a + P(3)))));
		KT_ASSERT(!test_page_flag(pfn_to_page(pte_pfn(ptep_get(mm_find_pte(vt_mm(), a + P(3))))),
					  PG_swapbacked));
		st = mmsim_read(vt_m, "/proc/vmstat");
		KT_EQ((unsigned long)field(st, "pglazyfree "), lf + 1);
		free(st);
		snprintf(path, sizeof(path), "/proc/%d/smaps", current->pid);
		sm = mmsim_read(vt_m, path);
		KT_ASSERT(sm && strstr(sm, "LazyFree:"));
		KT_EQ(field(strstr(sm, "LazyFree:"), "LazyFree:"), (long long)(PAGE_SIZE >> 10));
		free(sm);
		KT_EQ(vt_read(a + P(3)), 0x13);
		KT_EQ(get_mm_counter(vt_mm(), MM_ANONPAGES), 2);
		/* written again: dirty, no longer lazily freeable */
		KT_EQ(vt_write(a + P(3), 0x23), 0);
		KT_ASSERT(pte_dirty(ptep_get(mm_find_pte(vt_mm(), a + P(3)))));
		KT_EQ(vt_read(a + P(3)), 0x23);
	}
	/* FREE refuses shared memory, DONTNEED locked memory */
	KT_EQ(vt_mmap(B + P(10), P(1), RW, MAP_SHARED | MAP_FIXED), B + P(10));
	KT_EQ(sys_madvise(B + P(10), P(1), MADV_FREE), -EINVAL);
	KT_EQ(sys_mlock(a, P(1)), 0);
	KT_EQ(sys_madvise(a, P(1), MADV_DONTNEED), -EINVAL);
	KT_EQ(sys_madvise(a, P(1), MADV_COLD), -EINVAL);
	KT_EQ(sys_madvise(a, P(1), MADV_DONTNEED_LOCKED), 0);
	KT_EQ(state(a), 0);
	KT_EQ(sys_munlock(a, P(1)), 0);
	/* advice that does nothing to anonymous memory here */
	KT_EQ(sys_madvise(a, P(4), MADV_WILLNEED), 0);
	KT_EQ(sys_madvise(a, P(4), MADV_COLD), 0);
	KT_EQ(sys_madvise(a, P(4), MADV_PAGEOUT), 0);
	KT_EQ(sys_madvise(a, P(4), MADV_REMOVE), -EINVAL);
	/* errors */
	KT_EQ(sys_madvise(a, P(1), 77), -EINVAL);
	KT_EQ(sys_madvise(a + 1, P(1), MADV_DONTNEED), -EINVAL);
	KT_EQ(sys_madvise(a, 0, 77), -EINVAL);
	KT_EQ(sys_madvise(a, 0, MADV_DONTNEED), 0);
	KT_EQ(sys_madvise(a, (size_t)-1, MADV_DONTNEED), -EINVAL);
	KT_EQ(sys_madvise(B + P(100), P(1), MADV_DONTNEED), -ENOMEM);
	/* a hole: the rest is advised, then -ENOMEM */
	KT_EQ(vt_write(a, 5), 0);
	KT_EQ(sys_madvise(a, P(6), MADV_DONTNEED), -ENOMEM);
	KT_EQ(vt_read(a), 0);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

static void test_fork_advice(void)
{
	struct task_struct *parent = vt_spawn("forkadv"), *child;
	unsigned long a, b, c;
	long pid;
	int st;

	a = vt_mmap(B, P(2), RW, PRIV | MAP_FIXED);
	b = vt_mmap(B + P(10), P(2), RW, PRIV | MAP_FIXED);
	c = vt_mmap(B + P(20), P(2), RW, PRIV | MAP_FIXED);
	KT_EQ(vt_write(a, 1), 0);
	KT_EQ(vt_write(b, 2), 0);
	KT_EQ(vt_write(c, 3), 0);
	KT_EQ(sys_madvise(a, P(1), MADV_DONTFORK), 0);
	KT_ASSERT(vt_vma(a)->vm_flags & VM_DONTCOPY);
	KT_EQ(vt_vma(a)->vm_end, a + P(1));
	KT_EQ(sys_madvise(b, P(2), MADV_WIPEONFORK), 0);
	KT_ASSERT(vt_vma(b)->vm_flags & VM_WIPEONFORK);
	KT_EQ(sys_madvise(c, P(2), MADV_WIPEONFORK), 0);
	KT_EQ(sys_madvise(c, P(2), MADV_KEEPONFORK), 0);
	KT_ASSERT(!(vt_vma(c)->vm_flags & VM_WIPEONFORK));
	KT_EQ(vt_mmap(B + P(30), P(1), RW, MAP_SHARED | MAP_FIXED), B + P(30));
	KT_EQ(sys_madvise(B + P(30), P(1), MADV_WIPEONFORK), -EINVAL);
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	child = find_task_by_vpid((pid_t)pid);
	KT_EQ(mmsim_switch_to(child), 0);
	KT_EQ(vt_vma(a), NULL);		/* not copied */
	KT_ASSERT(vt_vma(a + P(1)));
	KT_EQ(vt_read(b), 0);		/* wiped */
	KT_ASSERT(vt_vma(b)->vm_flags & VM_WIPEONFORK);
	KT_EQ(vt_read(c), 3);		/* kept */
	KT_EQ(vt_mm()->total_vm, parent->mm->total_vm - 1);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(parent), 0);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	KT_EQ(vt_read(b), 2);
	/* DOFORK merges the pieces back */
	KT_EQ(sys_madvise(a, P(1), MADV_DOFORK), 0);
	KT_EQ(vt_vma(a)->vm_end, a + P(2));
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

static void run(const char *spec)
{
	vt_boot(spec);
	KT_RUN(test_populate);
	KT_RUN(test_dontneed);
	KT_RUN(test_fork_advice);
	vt_exit();
}

int main(void)
{
	run("arch=x86_64 ram=64M cpus=2");
	run("arch=i386 ram=64M cpus=2");
	run("arch=arm64 page_size=64K ram=256M cpus=2");
	return kt_done();
}
