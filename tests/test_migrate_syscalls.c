// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_migrate_syscalls.c - move_pages(2) and migrate_pages(2) on a
 * two-node machine: querying where pages are (nodes == NULL), moving them
 * to the other node and back with their bytes intact, the per-page errors
 * (-EFAULT outside a VMA, -ENOENT for a page never touched, -EACCES for a
 * page shared with a fork child without MPOL_MF_MOVE_ALL), the call's
 * errors (-ENODEV, -EINVAL, -ESRCH), and another process's pages moved by
 * pid.  The page tables and mapcounts are checked after every step.
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/mempolicy.h>
#include <mmsim/err.h>
#include <mmsim/vmstat.h>
#include "mmtest.h"

#define NP	8

static struct mmsim *m;

static void fill(unsigned long va, int salt)
{
	for (int i = 0; i < NP; i++) {
		unsigned long v = (unsigned long)(i * 1000 + salt);

		KT_EQ(mmsim_user_write(va + (unsigned long)i * PAGE_SIZE, &v, sizeof(v)), 0);
	}
}

static bool holds(unsigned long va, int salt)
{
	for (int i = 0; i < NP; i++) {
		unsigned long v = 0;

		if (mmsim_user_read(va + (unsigned long)i * PAGE_SIZE, &v, sizeof(v)) ||
		    v != (unsigned long)(i * 1000 + salt))
			return false;
	}
	return true;
}

static bool all_on(const int *status, int node)
{
	for (int i = 0; i < NP; i++)
		if (status[i] != node)
			return false;
	return true;
}

static bool valid(struct task_struct *t)
{
	return mm_is_valid(t->mm) && mm_mapcounts_are_valid(m);
}

static void test_move_pages(void)
{
	struct task_struct *t = mmsim_spawn(m, "numa"), *c;
	unsigned long addrs[NP], va, moved = sum_vm_event(PGMIGRATE_SUCCESS);
	int nodes[NP], status[NP];
	long pid;
	int st;

	KT_ASSERT(t);
	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, (NP + 1) * PAGE_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, (unsigned long)-1, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	fill(va, 1);
	for (int i = 0; i < NP; i++)
		addrs[i] = va + (unsigned long)i * PAGE_SIZE + 17;	/* any byte of the page */

	/* Where are they?  On the node of CPU 0. */
	KT_EQ(sys_move_pages(0, NP, addrs, NULL, status, 0), 0);
	KT_ASSERT(all_on(status, 0));

	/* To node 1 and back. */
	for (int i = 0; i < NP; i++)
		nodes[i] = 1;
	KT_EQ(sys_move_pages(0, NP, addrs, nodes, status, MPOL_MF_MOVE), 0);
	KT_ASSERT(all_on(status, 1));
	KT_EQ(sys_move_pages(0, NP, addrs, NULL, status, 0), 0);
	KT_ASSERT(all_on(status, 1));
	KT_EQ(sum_vm_event(PGMIGRATE_SUCCESS) - moved, NP);
	KT_ASSERT(holds(va, 1));
	KT_ASSERT(valid(t));
	for (int i = 0; i < NP; i++)
		nodes[i] = i & 1;		/* alternate: several batches */
	KT_EQ(sys_move_pages(0, NP, addrs, nodes, status, MPOL_MF_MOVE), 0);
	for (int i = 0; i < NP; i++)
		KT_EQ(status[i], i & 1);
	KT_ASSERT(holds(va, 1));

	/* Per-page errors. */
	{
		unsigned long bad[3] = { va + NP * PAGE_SIZE, 0x1000, va };
		int to[3] = { 1, 1, 1 }, s3[3];

		KT_EQ(sys_move_pages(0, 3, bad, to, s3, 0), 0);
		KT_EQ(s3[0], -ENOENT);		/* in the VMA, never touched */
		KT_EQ(s3[1], -EFAULT);		/* no VMA */
		KT_EQ(s3[2], 1);
	}
	/* Call errors. */
	nodes[0] = 5;
	KT_EQ(sys_move_pages(0, 1, addrs, nodes, status, 0), -ENODEV);
	KT_EQ(sys_move_pages(0, 1, addrs, NULL, status, 1 << 5), -EINVAL);
	KT_EQ(sys_move_pages(999, 1, addrs, NULL, status, 0), -ESRCH);

	/* Shared with a child: -EACCES unless MPOL_MF_MOVE_ALL. */
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	for (int i = 0; i < NP; i++)
		nodes[i] = 0;
	KT_EQ(sys_move_pages(0, NP, addrs, nodes, status, MPOL_MF_MOVE), 0);
	for (int i = 0; i < NP; i++) {
		int want = (i & 1) || i == 0 ? -EACCES : 0;	/* page 0 went to node 1 above */

		KT_EQ(status[i], want);
	}
	KT_EQ(sys_move_pages(0, NP, addrs, nodes, status, MPOL_MF_MOVE_ALL), 0);
	KT_ASSERT(all_on(status, 0));
	KT_ASSERT(holds(va, 1));
	/* The child's view: the same pages, now on node 0. */
	KT_EQ(sys_move_pages((pid_t)pid, NP, addrs, NULL, status, 0), 0);
	KT_ASSERT(all_on(status, 0));
	KT_EQ(mmsim_switch_to(c), 0);
	KT_ASSERT(holds(va, 1));
	KT_ASSERT(valid(c));

	/* migrate_pages(2) of the child: everything on node 0 to node 1. */
	{
		unsigned long old_nodes = 1UL << 0, new_nodes = 1UL << 1;

		KT_EQ(sys_migrate_pages(0, 3, &old_nodes, &new_nodes), 0);
		KT_EQ(sys_move_pages(0, NP, addrs, NULL, status, 0), 0);
		KT_ASSERT(all_on(status, 1));
		KT_ASSERT(holds(va, 1));
		new_nodes = 1UL << 4;
		KT_EQ(sys_migrate_pages(0, 8, &old_nodes, &new_nodes), -EINVAL);
	}
	KT_ASSERT(valid(c));
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(t), 0);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	KT_ASSERT(holds(va, 1));
	KT_ASSERT(valid(t));
	sys_exit_group(0);
}

int main(void)
{
	static const char *const specs[] = {
		"arch=x86_64 ram=128M nodes=2 cpus=4",
		"arch=arm64 ram=256M nodes=2 cpus=4",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(specs); i++) {
		m = boot_or_die(specs[i]);
		printf("# %s\n", specs[i]);
		KT_RUN(test_move_pages);
		KT_ASSERT(mm_allocator_is_valid());
		mmsim_shutdown(m);
	}
	return kt_done();
}
