// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_vma_merge.c - VMA merging and splitting as Linux decides
 * them (the cases of tools/testing/vma/vma.c): a new range merging with
 * prev, next or both; an existing range (mprotect, mlock, madvise) merging
 * at either side of its VMA or splitting it; no merge across different
 * flags, page offsets or anon_vmas (is_mergeable_anon_vma: one may be
 * NULL only when prev's anon_vma_chain is singular, so not after fork);
 * VM_SOFTDIRTY ignored; pages and their reverse map intact throughout.
 */
#include "vma_test.h"

#define B	0x50000000UL
#define P(n)	((unsigned long)(n) * PAGE_SIZE)

/* VMA at @a spans [s, e) (in pages from B). */
static bool spans(unsigned long a, int s, int e)
{
	struct vm_area_struct *vma = vt_vma(B + P(a));

	if (!vma) {
		printf("    no VMA at page %lu\n", a);
		return false;
	}
	if (vma->vm_start != B + P(s) || vma->vm_end != B + P(e)) {
		printf("    VMA at page %lu is [%ld, %ld), expected [%d, %d)\n", a,
		       (long)(vma->vm_start - B) / (long)PAGE_SIZE,
		       (long)(vma->vm_end - B) / (long)PAGE_SIZE, s, e);
		return false;
	}
	return true;
}

static unsigned long map(int s, int n, unsigned long prot)
{
	return vt_mmap(B + P(s), P(n), prot, PRIV | MAP_FIXED);
}

static void test_merge_new(void)
{
	int n0;

	vt_spawn("mergenew");
	n0 = vt_count();
	/* prev only: A [0,2) then [2,3) */
	KT_EQ(map(0, 2, RW), B);
	KT_EQ(map(2, 1, RW), B + P(2));
	KT_ASSERT(spans(0, 0, 3));
	/* next only: [5,7) then [4,5) */
	KT_EQ(map(5, 2, RW), B + P(5));
	KT_EQ(map(4, 1, RW), B + P(4));
	KT_ASSERT(spans(4, 4, 7));
	KT_EQ(vt_vma(B + P(4))->vm_pgoff, (B >> PAGE_SHIFT) + 4);
	/* both: [3,4) joins [0,3) and [4,7) */
	KT_EQ(map(3, 1, RW), B + P(3));
	KT_ASSERT(spans(3, 0, 7));
	KT_EQ(vt_count(), n0 + 1);
	/* different flags: no merge */
	KT_EQ(map(7, 1, PROT_READ), B + P(7));
	KT_ASSERT(spans(7, 7, 8));
	KT_ASSERT(spans(6, 0, 7));
	/* VM_GROWSDOWN is a flag like the others */
	KT_EQ(vt_mmap(B + P(8), P(1), PROT_READ, PRIV | MAP_FIXED | MAP_GROWSDOWN), B + P(8));
	KT_ASSERT(spans(8, 8, 9));
	/* shared anonymous mappings are separate objects: never merged with a new one */
	KT_EQ(vt_mmap(B + P(10), P(1), RW, MAP_SHARED | MAP_FIXED), B + P(10));
	KT_EQ(vt_mmap(B + P(11), P(1), RW, MAP_SHARED | MAP_FIXED), B + P(11));
	KT_ASSERT(spans(10, 10, 11));
	KT_ASSERT(spans(11, 11, 12));
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

static void test_merge_anon_vma(void)
{
	struct task_struct *parent = vt_spawn("mergeanon"), *child;
	long pid;
	int st;

	/* a faulted prev (anon_vma, singular chain) takes a new range */
	KT_EQ(map(0, 2, RW), B);
	KT_EQ(vt_write(B, 0x11), 0);
	KT_ASSERT(vt_vma(B)->anon_vma);
	KT_EQ(map(2, 1, RW), B + P(2));
	KT_ASSERT(spans(2, 0, 3));
	KT_EQ(vt_write(B + P(2), 0x22), 0);
	/* prev and next faulted separately: the range between joins prev only */
	KT_EQ(map(4, 2, RW), B + P(4));
	KT_EQ(vt_write(B + P(4), 0x44), 0);
	KT_ASSERT(vt_vma(B)->anon_vma != vt_vma(B + P(4))->anon_vma);
	KT_EQ(map(3, 1, RW), B + P(3));
	KT_ASSERT(spans(3, 0, 4));
	KT_ASSERT(spans(4, 4, 6));
	/* an unfaulted next is taken when prev is faulted */
	KT_EQ(map(7, 2, RW), B + P(7));
	KT_EQ(map(6, 1, RW), B + P(6));
	KT_ASSERT(spans(6, 4, 9));
	KT_ASSERT(vt_valid());

	pid = sys_fork();
	KT_ASSERT(pid > 0);
	child = find_task_by_vpid((pid_t)pid);
	KT_EQ(mmsim_switch_to(child), 0);
	/* the child's faulted VMAs have two anon_vmas on their chains: a new
	 * range after one does not merge (list_is_singular fails)... */
	KT_EQ(map(9, 1, RW), B + P(9));
	KT_ASSERT(spans(9, 9, 10));
	KT_ASSERT(spans(8, 4, 9));
	/* ...but one before an unfaulted next does */
	KT_EQ(map(11, 1, RW), B + P(11));
	KT_EQ(map(10, 1, RW), B + P(10));
	KT_ASSERT(spans(10, 9, 12));
	/* the data survived */
	KT_EQ(vt_read(B), 0x11);
	KT_EQ(vt_read(B + P(2)), 0x22);
	KT_EQ(vt_read(B + P(4)), 0x44);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(parent), 0);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

static void test_modify(void)
{
	int n0;

	vt_spawn("modify");
	n0 = vt_count();
	KT_EQ(map(0, 10, RW), B);
	KT_EQ(vt_write(B + P(5), 5), 0);
	/* the middle of a VMA: split in three, offsets kept */
	KT_EQ(sys_mprotect(B + P(3), P(4), PROT_READ), 0);
	KT_ASSERT(spans(0, 0, 3));
	KT_ASSERT(spans(3, 3, 7));
	KT_ASSERT(spans(7, 7, 10));
	KT_EQ(vt_vma(B + P(3))->vm_pgoff, (B >> PAGE_SHIFT) + 3);
	KT_EQ(vt_vma(B + P(7))->vm_pgoff, (B >> PAGE_SHIFT) + 7);
	KT_EQ(vt_count(), n0 + 3);
	KT_EQ(vt_read(B + P(5)), 5);
	KT_ASSERT(vt_valid());
	/* its left part back to RW: prev grows, the VMA shrinks */
	KT_EQ(sys_mprotect(B + P(3), P(1), RW), 0);
	KT_ASSERT(spans(3, 0, 4));
	KT_ASSERT(spans(4, 4, 7));
	KT_EQ(vt_vma(B + P(4))->vm_pgoff, (B >> PAGE_SHIFT) + 4);
	/* its right part: next grows down */
	KT_EQ(sys_mprotect(B + P(6), P(1), RW), 0);
	KT_ASSERT(spans(6, 6, 10));
	KT_ASSERT(spans(4, 4, 6));
	KT_EQ(vt_vma(B + P(6))->vm_pgoff, (B >> PAGE_SHIFT) + 6);
	/* all of it: prev, it and next become one */
	KT_EQ(sys_mprotect(B + P(4), P(2), RW), 0);
	KT_ASSERT(spans(0, 0, 10));
	KT_EQ(vt_count(), n0 + 1);
	KT_EQ(vt_read(B + P(5)), 5);
	KT_ASSERT(vt_valid());
	/* a range spanning VMAs: each piece changes, then they merge */
	KT_EQ(sys_mprotect(B + P(2), P(2), PROT_READ), 0);
	KT_EQ(sys_mprotect(B + P(6), P(2), PROT_READ), 0);
	KT_EQ(vt_count(), n0 + 5);
	KT_EQ(sys_mprotect(B + P(1), P(8), PROT_READ), 0);
	KT_ASSERT(spans(1, 1, 9));
	KT_EQ(sys_mprotect(B, P(10), RW), 0);
	KT_ASSERT(spans(0, 0, 10));
	/* the same through mlock and madvise */
	KT_EQ(sys_mlock(B + P(2), P(2)), 0);
	KT_ASSERT(spans(2, 2, 4));
	KT_EQ(vt_mm()->locked_vm, 2);
	KT_EQ(sys_munlock(B, P(10)), 0);
	KT_ASSERT(spans(0, 0, 10));
	KT_EQ(vt_mm()->locked_vm, 0);
	KT_EQ(sys_madvise(B + P(8), P(2), MADV_RANDOM), 0);
	KT_ASSERT(spans(8, 8, 10));
	KT_EQ(sys_madvise(B + P(8), P(2), MADV_NORMAL), 0);
	KT_ASSERT(spans(0, 0, 10));
	/* a hole: mprotect changes what precedes it and fails */
	KT_EQ(sys_munmap(B + P(5), P(1)), 0);
	KT_EQ(sys_mprotect(B, P(10), PROT_READ), -ENOMEM);
	KT_ASSERT(spans(0, 0, 5));
	KT_EQ(vt_vma(B)->vm_flags & VM_ACCESS_FLAGS, VM_READ);
	KT_EQ(vt_vma(B + P(6))->vm_flags & VM_ACCESS_FLAGS, VM_READ | VM_WRITE);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

/* Pieces of one VMA with different anon_vmas never merge back. */
static void test_modify_anon_vma(void)
{
	vt_spawn("modanon");
	KT_EQ(map(0, 2, RW), B);
	KT_EQ(map(3, 2, RW), B + P(3));
	KT_EQ(vt_write(B, 1), 0);
	KT_EQ(vt_write(B + P(3), 3), 0);
	/* fill the hole read-only, then make it RW: it merges with prev, whose
	 * anon_vma it takes, but not with next too (anon_vmas differ) */
	KT_EQ(map(2, 1, PROT_READ), B + P(2));
	KT_EQ(sys_mprotect(B + P(2), P(1), RW), 0);
	KT_ASSERT(spans(2, 0, 3));
	KT_ASSERT(spans(3, 3, 5));
	/* an unfaulted middle with two faulted sides merged into prev, and
	 * prev's anon_vma serves the pages later faulted there */
	KT_EQ(vt_write(B + P(2), 2), 0);
	KT_EQ(vt_vma(B + P(2))->anon_vma, vt_vma(B)->anon_vma);
	KT_EQ(vt_read(B), 1);
	KT_EQ(vt_read(B + P(3)), 3);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

/* A moved VMA keeps its page offsets: it no longer merges with neighbours
 * whose offsets follow their addresses. */
static void test_pgoff(void)
{
	unsigned long a;

	vt_spawn("pgoff");
	KT_EQ(map(0, 2, RW), B);
	KT_EQ(vt_write(B, 9), 0);
	a = sys_mremap(B, P(2), P(2), MREMAP_MAYMOVE | MREMAP_FIXED, B + P(20));
	KT_EQ(a, B + P(20));
	KT_EQ(vt_vma(a)->vm_pgoff, B >> PAGE_SHIFT);
	KT_EQ(map(22, 1, RW), B + P(22));
	KT_ASSERT(spans(22, 22, 23));
	KT_ASSERT(spans(20, 20, 22));
	/* an unfaulted one takes its new address's offset and merges */
	KT_EQ(map(40, 2, RW), B + P(40));
	a = sys_mremap(B + P(40), P(2), P(2), MREMAP_MAYMOVE | MREMAP_FIXED, B + P(23));
	KT_EQ(a, B + P(23));
	KT_ASSERT(spans(23, 22, 25));
	KT_EQ(vt_read(B + P(20)), 9);
	KT_ASSERT(vt_valid());
	sys_exit_group(0);
}

static void run(const char *spec)
{
	vt_boot(spec);
	KT_RUN(test_merge_new);
	KT_RUN(test_merge_anon_vma);
	KT_RUN(test_modify);
	KT_RUN(test_modify_anon_vma);
	KT_RUN(test_pgoff);
	vt_exit();
}

int main(void)
{
	run("arch=x86_64 ram=64M cpus=2");
	run("arch=i386 ram=64M cpus=2");
	run("arch=arm64 page_size=64K ram=256M cpus=2");
	return kt_done();
}
