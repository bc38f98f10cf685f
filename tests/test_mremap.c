// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_mremap.c - mremap(2): the semantics of Linux's
 * mremap_test.c (moves keep the data; growing in place merges with the
 * next VMA; errors) and mremap_dontunmap.c (the source stays mapped and
 * empty; partial ranges; onto an existing mapping with MREMAP_FIXED), with
 * the reverse map and the counters checked after every step.
 */
#include "vma_test.h"

#define B	0x60000000UL
#define P(n)	((unsigned long)(n) * PAGE_SIZE)

static void fill(unsigned long a, unsigned long pages, unsigned char v)
{
	for (unsigned long i = 0; i < pages; i++)
		KT_EQ(vt_write(a + P(i), v), 0);
}

/* Every page of [a, a + pages) reads @v at its first and last byte. */
static bool holds(unsigned long a, unsigned long pages, int v)
{
	for (unsigned long i = 0; i < pages; i++) {
		int x = vt_read(a + P(i)), y = vt_read(a + P(i) + PAGE_SIZE - 1);

		if (x != v || (y != v && y != 0)) {
			printf("    page %lu at %#lx reads %d, expected %d\n", i, a, x, v);
			return false;
		}
	}
	return true;
}

static void test_errors(void)
{
	unsigned long a;

	vt_spawn("mremap-err");
	a = vt_mmap(B, P(4), RW, PRIV | MAP_FIXED);
	KT_EQ(a, B);
	KT_EQ(sys_mremap(a, P(4), P(4), 8, 0), (unsigned long)-EINVAL);
	KT_EQ(sys_mremap(a, P(4), P(4), MREMAP_FIXED, B + P(100)), (unsigned long)-EINVAL);
	KT_EQ(sys_mremap(a, P(4), P(5), MREMAP_MAYMOVE | MREMAP_DONTUNMAP, 0),
	      (unsigned long)-EINVAL);
	KT_EQ(sys_mremap(a, P(4), P(4), MREMAP_DONTUNMAP, 0), (unsigned long)-EINVAL);
	KT_EQ(sys_mremap(a + 1, P(4), P(4), 0, 0), (unsigned long)-EINVAL);
	KT_EQ(sys_mremap(a, P(4), 0, 0, 0), (unsigned long)-EINVAL);
	KT_EQ(sys_mremap(a + P(10), P(1), P(2), MREMAP_MAYMOVE, 0), (unsigned long)-EFAULT);
	KT_EQ(sys_mremap(a, P(5), P(6), MREMAP_MAYMOVE, 0), (unsigned long)-EFAULT);
	/* duplicating a private mapping (old_len 0) is refused */
	KT_EQ(sys_mremap(a, 0, P(1), MREMAP_MAYMOVE, 0), (unsigned long)-EINVAL);
	/* overlapping source and destination */
	KT_EQ(sys_mremap(a, P(4), P(4), MREMAP_MAYMOVE | MREMAP_FIXED, a + P(2)),
	      (unsigned long)-EINVAL);
	KT_EQ(sys_mremap(a, P(4), P(4), MREMAP_MAYMOVE | MREMAP_FIXED, a + 1),
	      (unsigned long)-EINVAL);
	KT_EQ(sys_mremap(a, P(4), P(4), MREMAP_MAYMOVE | MREMAP_FIXED, TASK_SIZE),
	      (unsigned long)-EINVAL);
	/* growing into a neighbour without MREMAP_MAYMOVE */
	KT_EQ(vt_mmap(B + P(4), P(1), PROT_READ, PRIV | MAP_FIXED), B + P(4));
	KT_EQ(sys_mremap(a, P(4), P(5), 0, 0), (unsigned long)-ENOMEM);
	/* old_len 0 duplicates a shared mapping: a second VMA of the same object */
	{
		unsigned long sh = vt_mmap(B + P(30), P(2), RW, MAP_SHARED | MAP_FIXED), d;

		KT_EQ(sh, B + P(30));
		d = sys_mremap(sh, 0, P(2), MREMAP_MAYMOVE, 0);
		KT_ASSERT(!IS_ERR_VALUE(d) && d != sh);
		KT_ASSERT(vt_vma(sh));
		KT_EQ(vt_vma(d)->vm_private_data, vt_vma(sh)->vm_private_data);
		KT_EQ(vm_memory_committed(), vt_committed_expected());
		KT_EQ(sys_munmap(sh, P(2)), 0);
		KT_EQ(vm_memory_committed(), vt_committed_expected());
		KT_EQ(sys_munmap(d, P(2)), 0);
	}
	/* same size: nothing to do */
	KT_EQ(sys_mremap(a, P(4), P(4), 0, 0), a);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

static void test_resize(void)
{
	unsigned long a, n;
	struct mm_struct *mm;

	vt_spawn("mremap-resize");
	mm = vt_mm();
	a = vt_mmap(B, P(4), RW, PRIV | MAP_FIXED);
	fill(a, 4, 0x5a);
	n = mm->total_vm;
	/* shrink in place */
	KT_EQ(sys_mremap(a, P(4), P(2), 0, 0), a);
	KT_EQ(vt_vma(a)->vm_end, a + P(2));
	KT_EQ(mm->total_vm, n - 2);
	/* grow in place */
	KT_EQ(sys_mremap(a, P(2), P(6), 0, 0), a);
	KT_EQ(vt_vma(a)->vm_end, a + P(6));
	KT_ASSERT(holds(a, 2, 0x5a));
	KT_ASSERT(holds(a + P(2), 4, 0));
	KT_EQ(mm->total_vm, n + 2);
	KT_EQ(vm_memory_committed(), vt_committed_expected());
	/* mremap_expand_merge: 3 pages, unmap the middle, grow the first into it */
	KT_EQ(vt_mmap(B + P(20), P(3), RW, PRIV | MAP_FIXED), B + P(20));
	KT_EQ(sys_munmap(B + P(21), P(1)), 0);
	KT_EQ(sys_mremap(B + P(20), P(1), P(2), 0, 0), B + P(20));
	KT_EQ(vt_vma(B + P(20))->vm_end, B + P(23));
	KT_EQ(vt_vma(B + P(22)), vt_vma(B + P(20)));
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

static void test_move(void)
{
	unsigned long a, b, n;
	struct mm_struct *mm;

	vt_spawn("mremap-move");
	mm = vt_mm();
	a = vt_mmap(B, P(8), RW, PRIV | MAP_FIXED);
	fill(a, 8, 0x33);
	KT_EQ(vt_mmap(B + P(8), P(1), PROT_READ, PRIV | MAP_FIXED), B + P(8));
	n = mm->total_vm;
	/* blocked: grow by moving */
	b = sys_mremap(a, P(8), P(16), MREMAP_MAYMOVE, 0);
	KT_ASSERT(!IS_ERR_VALUE(b) && b != a);
	KT_EQ(vt_vma(a), NULL);
	KT_EQ(vt_vma(b)->vm_end, b + P(16));
	KT_EQ(vt_vma(b)->vm_pgoff, B >> PAGE_SHIFT);	/* kept: rmap finds the pages */
	KT_ASSERT(holds(b, 8, 0x33));
	KT_ASSERT(holds(b + P(8), 8, 0));
	KT_EQ(mm->total_vm, n + 8);
	KT_EQ(vm_memory_committed(), vt_committed_expected());
	KT_ASSERT(vt_valid());
	/* part of a VMA to a fixed address: the rest keeps its charge */
	a = sys_mremap(b + P(2), P(2), P(2), MREMAP_MAYMOVE | MREMAP_FIXED, B + P(40));
	KT_EQ(a, B + P(40));
	KT_ASSERT(holds(a, 2, 0x33));
	KT_EQ(vt_vma(b)->vm_end, b + P(2));
	KT_EQ(vt_vma(b + P(4))->vm_start, b + P(4));
	KT_ASSERT(vt_vma(b)->vm_flags & VM_ACCOUNT);
	KT_ASSERT(vt_vma(b + P(4))->vm_flags & VM_ACCOUNT);
	KT_EQ(vm_memory_committed(), vt_committed_expected());
	/* MREMAP_FIXED replaces what was at the destination */
	KT_EQ(vt_mmap(B + P(60), P(4), RW, PRIV | MAP_FIXED), B + P(60));
	fill(B + P(60), 4, 0x77);
	KT_EQ(sys_mremap(a, P(2), P(2), MREMAP_MAYMOVE | MREMAP_FIXED, B + P(61)), B + P(61));
	KT_ASSERT(holds(B + P(60), 1, 0x77));
	KT_ASSERT(holds(B + P(61), 2, 0x33));
	KT_ASSERT(holds(B + P(63), 1, 0x77));
	/* the zero page moves too */
	KT_EQ(vt_read(b + P(12)), 0);
	a = sys_mremap(b + P(12), P(4), P(4), MREMAP_MAYMOVE | MREMAP_FIXED, B + P(80));
	KT_EQ(a, B + P(80));
	KT_EQ(vt_read(a), 0);
	KT_EQ(vm_memory_committed(), vt_committed_expected());
	KT_ASSERT(vt_valid());
	/* a moved, then forked mapping is still found by rmap (COW after fork) */
	{
		struct task_struct *parent = current, *child;
		long pid = sys_fork();
		int st;

		KT_ASSERT(pid > 0);
		child = find_task_by_vpid((pid_t)pid);
		KT_EQ(mmsim_switch_to(child), 0);
		KT_EQ(vt_write(B + P(61), 0x44), 0);
		KT_ASSERT(vt_valid());
		sys_exit_group(0);
		KT_EQ(mmsim_switch_to(parent), 0);
		KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
		KT_EQ(vt_read(B + P(61)), 0x33);
	}
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

/* tools/testing/selftests/mm/mremap_dontunmap.c */
static void test_dontunmap(void)
{
	unsigned long src, dst, n;
	struct mm_struct *mm;

	vt_spawn("dontunmap");
	mm = vt_mm();
	/* simple: the source stays, empty */
	src = vt_mmap(B, P(5), RW, PRIV | MAP_FIXED);
	fill(src, 5, 'a');
	n = mm->total_vm;
	dst = sys_mremap(src, P(5), P(5), MREMAP_DONTUNMAP | MREMAP_MAYMOVE, 0);
	KT_ASSERT(!IS_ERR_VALUE(dst));
	KT_ASSERT(holds(dst, 5, 'a'));
	KT_ASSERT(vt_vma(src));
	KT_ASSERT(holds(src, 5, 0));
	KT_EQ(mm->total_vm, n + 5);
	KT_EQ(vm_memory_committed(), vt_committed_expected());
	KT_ASSERT(vt_valid());
	KT_EQ(sys_munmap(dst, P(5)), 0);
	KT_EQ(sys_munmap(src, P(5)), 0);
	/* simple_fixed: onto an existing mapping */
	src = vt_mmap(B, P(5), RW, PRIV | MAP_FIXED);
	fill(src, 5, 'a');
	dst = vt_mmap(B + P(20), P(5), RW, PRIV | MAP_FIXED);
	fill(dst, 5, 'b');
	KT_EQ(sys_mremap(src, P(5), P(5), MREMAP_DONTUNMAP | MREMAP_MAYMOVE | MREMAP_FIXED, dst),
	      dst);
	KT_ASSERT(holds(dst, 5, 'a'));
	KT_ASSERT(holds(src, 5, 0));
	KT_EQ(sys_munmap(dst, P(5)), 0);
	KT_EQ(sys_munmap(src, P(5)), 0);
	/* partial_mapping: half of the source */
	src = vt_mmap(B, P(10), RW, PRIV | MAP_FIXED);
	fill(src, 10, 'a');
	dst = sys_mremap(src, P(5), P(5), MREMAP_DONTUNMAP | MREMAP_MAYMOVE, 0);
	KT_ASSERT(!IS_ERR_VALUE(dst));
	KT_ASSERT(holds(dst, 5, 'a'));
	KT_ASSERT(holds(src, 5, 0));
	KT_ASSERT(holds(src + P(5), 5, 'a'));
	KT_EQ(sys_munmap(dst, P(5)), 0);
	KT_EQ(sys_munmap(src, P(10)), 0);
	/* partial_mapping_overwrite: over the start of a larger destination */
	src = vt_mmap(B, P(5), RW, PRIV | MAP_FIXED);
	fill(src, 5, 'a');
	dst = vt_mmap(B + P(20), P(10), RW, PRIV | MAP_FIXED);
	fill(dst, 10, 'b');
	KT_EQ(sys_mremap(src, P(5), P(5), MREMAP_DONTUNMAP | MREMAP_MAYMOVE | MREMAP_FIXED, dst),
	      dst);
	KT_ASSERT(holds(src, 5, 0));
	KT_ASSERT(holds(dst, 5, 'a'));
	KT_ASSERT(holds(dst + P(5), 5, 'b'));
	KT_EQ(vm_memory_committed(), vt_committed_expected());
	KT_ASSERT(vt_valid());
	/* a locked source: the destination is locked, the source no longer */
	KT_EQ(sys_munmap(dst, P(10)), 0);
	KT_EQ(sys_mlock(src, P(5)), 0);
	dst = sys_mremap(src, P(5), P(5), MREMAP_DONTUNMAP | MREMAP_MAYMOVE, 0);
	KT_ASSERT(!IS_ERR_VALUE(dst));
	KT_ASSERT(vt_vma(dst)->vm_flags & VM_LOCKED);
	KT_ASSERT(!(vt_vma(src)->vm_flags & VM_LOCKED));
	KT_EQ(mm->locked_vm, 5);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

static void run(const char *spec)
{
	vt_boot(spec);
	KT_RUN(test_errors);
	KT_RUN(test_resize);
	KT_RUN(test_move);
	KT_RUN(test_dontunmap);
	vt_exit();
}

int main(void)
{
	run("arch=x86_64 ram=64M cpus=2");
	run("arch=i386 ram=64M cpus=2");
	run("arch=arm64 page_size=64K ram=256M cpus=2");
	return kt_done();
}
