/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vma_test.h - helpers of the mmap-family tests (test_mmap.c,
 * test_vma_merge.c, test_mremap.c, test_mlock.c, test_madvise.c): boot a
 * machine, spawn a process and run it on CPU 0, read its VMAs, and check
 * the address space after every step (the tree against its counters,
 * mm_is_valid, the mapcounts, and the overcommit charge).
 */
#ifndef MMSIM_TESTS_VMA_TEST_H
#define MMSIM_TESTS_VMA_TEST_H

#include "mmtest.h"
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include "mm/vma.h"

static struct mmsim *vt_m;

static inline struct task_struct *vt_spawn(const char *comm)
{
	struct task_struct *t = mmsim_spawn(vt_m, comm);

	KT_ASSERT(t);
	KT_EQ(mmsim_switch_to(t), 0);
	return t;
}

static inline struct mm_struct *vt_mm(void)
{
	return current->mm;
}

/* The committed pages the live VMAs of @mm account for. */
static inline unsigned long vt_accounted(struct mm_struct *mm)
{
	unsigned long n = 0;
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, 0);

	for_each_vma(vmi, vma)
		if (vma->vm_flags & VM_ACCOUNT)
			n += vma_pages(vma);
	return n;
}

/*
 * What vm_committed_as must be: the VM_ACCOUNT pages of every live mm and
 * the charge of every live shared anonymous object (once, however many
 * VMAs and processes map it).
 */
static inline unsigned long vt_committed_expected(void)
{
	unsigned long n = 0, ids[512];
	struct task_struct *t = NULL;
	int nids = 0;

	while ((t = next_task_of(vt_m, t)) != NULL) {
		struct vm_area_struct *vma;

		if (!t->mm)
			continue;
		VMA_ITERATOR(vmi, t->mm, 0);
		n += vt_accounted(t->mm);
		for_each_vma(vmi, vma) {
			unsigned long id = (unsigned long)(uintptr_t)vma->vm_private_data;
			int i;

			if (!vma_is_shared_anon(vma))
				continue;
			for (i = 0; i < nids && ids[i] != id; i++)
				;
			if (i < nids || nids == 512)
				continue;
			ids[nids++] = id;
			n += shared_anon_charged(vma);
		}
	}
	return n;
}

/* The address space of current is consistent. */
static inline bool vt_valid(void)
{
	struct mm_struct *mm = vt_mm();
	bool ok;

	mmap_read_lock(mm);
	ok = vma_tree_is_consistent(mm) && mt_validate(&mm->mm_mt);
	mmap_read_unlock(mm);
	return ok && mm_is_valid(mm) && mm_mapcounts_are_valid(vt_m);
}

static inline int vt_count(void)
{
	return vt_mm()->map_count;
}

static inline struct vm_area_struct *vt_vma(unsigned long addr)
{
	return vma_lookup(vt_mm(), addr);
}

static inline unsigned long vt_mmap(unsigned long addr, unsigned long len, unsigned long prot,
				    unsigned long flags)
{
	return sys_mmap(addr, len, prot, flags | MAP_ANONYMOUS, (unsigned long)-1, 0);
}

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)

static inline long vt_write(unsigned long va, unsigned char v)
{
	return mmsim_user_write(va, &v, 1);
}

static inline int vt_read(unsigned long va)
{
	unsigned char v = 0xee;

	if (mmsim_user_read(va, &v, 1))
		return -1;
	return v;
}

static inline void vt_sysctl(const char *name, const char *val)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/vm/%s", name);
	KT_EQ(mmsim_write(vt_m, path, val), 0);
}

/* Boot @spec, enter CPU 0. */
static inline void vt_boot(const char *spec)
{
	vt_m = boot_or_die(spec);
	printf("== %s\n", spec);
}

/* Shut down; the kernel log must hold no splat. */
static inline void vt_exit(void)
{
	size_t mark = 0;
	char *log;

	if (current)
		sys_exit_group(0);
	KT_EQ(vm_memory_committed(), 0);
	log = log_since(vt_m, &mark);
	KT_ASSERT(log);
	if (log && (strstr(log, "WARNING:") || strstr(log, "BUG:") || strstr(log, "Bad page")))
		KT_ASSERT(!"a splat in the kernel log");
	if (log && (strstr(log, "WARNING:") || strstr(log, "BUG:") || strstr(log, "Bad page")))
		fprintf(stderr, "%s", log);
	free(log);
	mmsim_shutdown(vt_m);
}

#endif
