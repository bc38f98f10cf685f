// SPDX-License-Identifier: GPL-2.0
/*
 * mm/mm_struct.c - the mm_struct basics (kernel/fork.c's mm_alloc/mm_init/
 * mmput/mmdrop and the arch's pgd_alloc/pgd_free).
 *
 * mm_alloc (Linux's mm_init): an empty VMA tree (mm_mt, MM_MT_FLAGS),
 * mmap_lock, mmlist, zero RSS counters and VM counters, task_size =
 * TASK_SIZE; the layout (mmap_base, the stack) is setup_new_exec_mm's.
 *
 * Counts: mm_users (address-space users) and mm_count (struct references;
 * all mm_users together hold one).  mmput() dropping mm_users to zero runs
 * exit_mmap (mm/mmap.c: zaps every VMA, frees their page tables, uncharges
 * and frees the VMAs), then frees whatever user page tables are left (an
 * mm used without VMAs, as the MMU tests do) and drops that mm_count
 * reference; mmdrop() dropping mm_count to zero frees the pgd and the
 * struct.  The struct is host memory (malloc), the tables simulated RAM.
 *
 * pgd_alloc: x86 copies the kernel half of swapper_pg_dir (the entries at
 * and above pgd_index(kernel_base)), which paging_init made final; arm64
 * starts empty (the kernel is TTBR1).
 *
 * Locking: the counts are atomics; nothing else is shared.
 */
#include <mmsim/kmemleak.h>
#include <mmsim/segment.h>
#include <stdlib.h>
#include <string.h>
#include "arch/pgtable.h"
#include "mm/internal.h"

struct mm_struct *__init_mm(void)
{
	return &current_hw()->mmu->kernel_mm;
}

int mm_cpumask_weight(const struct mm_cpumask *m)
{
	int n = 0;

	for (int i = 0; i < MM_CPUMASK_LONGS; i++)
		n += __builtin_popcountl(atomic_load_explicit(&((struct mm_cpumask *)m)->bits[i],
							       memory_order_relaxed));
	return n;
}

static void mm_init_common(struct mm_struct *mm, struct mmsim *m)
{
	memset(mm, 0, sizeof(*mm));
	atomic_set(&mm->mm_users, 1);
	atomic_set(&mm->mm_count, 1);
	spin_lock_init(&mm->page_table_lock);
	atomic_long_set(&mm->pgtables_bytes, 0);
	for (int i = 0; i < MM_CPUMASK_LONGS; i++)
		atomic_init(&mm->cpu_bitmap.bits[i], 0);
	atomic_init(&mm->context.id, 0);
	atomic_init(&mm->context.tlb_gen, 0);
	mm->machine = m;
	mt_init_flags(&mm->mm_mt, MM_MT_FLAGS);
	mmap_init_lock(mm);
	INIT_LIST_HEAD(&mm->mmlist);
	for (int i = 0; i < NR_MM_COUNTERS; i++)
		atomic_long_set(&mm->rss_stat[i], 0);
	mm->context.ctx_id = atomic_fetch_add_explicit(&m->hw.mmu->next_ctx_id, 1,
						       memory_order_relaxed);
}

void mm_init_kernel(struct mm_struct *mm, struct mmsim *m)
{
	mm_init_common(mm, m);
	mm->is_init_mm = true;
}

void *pgd_alloc(struct mm_struct *mm)
{
	const struct pgtable_geom *g = pgt_geom();
	void *pgd = pgtable_alloc_table(mm, PGT_PGD);
	unsigned long first;

	if (!pgd || g->arm64)
		return pgd;
	/* Share the kernel half: its top-level entries never change. */
	first = pgd_index(g->kernel_base);
	memcpy(__pt_entry(pgd, first), __pt_entry(init_mm.pgd, first),
	       (size_t)(g->ptrs[PGT_PGD] - first) << g->entry_shift);
	return pgd;
}

void pgd_free(struct mm_struct *mm, void *pgd)
{
	pgtable_free_table(mm, pgd, PGT_PGD);
}

/**
 * mm_alloc - a new, empty address space of the current machine.
 *
 * Return: the mm with mm_users == mm_count == 1, or NULL when out of
 * memory.
 */
struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = aligned_alloc(64, ALIGN(sizeof(*mm), 64));

	if (!mm)
		return NULL;
	/* Host memory holding pointers to slab objects: scanned, never reported. */
	kmemleak_alloc(mm, sizeof(*mm), 0, 0);
	mm_init_common(mm, current_cpu->m);
	mm->task_size = TASK_SIZE;
	mm->pgd = pgd_alloc(mm);
	if (!mm->pgd) {
		destroy_rwsem(&mm->mmap_lock);
		kmemleak_free(mm);
		free(mm);
		return NULL;
	}
	return mm;
}

void mmget(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_users);
}

bool mmget_not_zero(struct mm_struct *mm)
{
	int old = atomic_read(&mm->mm_users);

	while (old) {
		if (atomic_compare_exchange_weak(&mm->mm_users.counter, &old, old + 1))
			return true;
	}
	return false;
}

void mmgrab(struct mm_struct *mm)
{
	atomic_inc(&mm->mm_count);
}

static void __mmdrop(struct mm_struct *mm)
{
	WARN_ON_ONCE(mm->is_init_mm);
	destroy_context_ldt(mm);
	pgd_free(mm, mm->pgd);
	WARN_ON_ONCE(mm_pgtables_bytes(mm));
	destroy_rwsem(&mm->mmap_lock);
	kmemleak_free(mm);
	free(mm);
}

void mmdrop(struct mm_struct *mm)
{
	if (atomic_dec_and_test(&mm->mm_count))
		__mmdrop(mm);
}

/* After exit_mmap: free any user page table left below TASK_SIZE. */
static void free_user_pgtables(struct mm_struct *mm)
{
	struct mmu_gather tlb;

	tlb_gather_mmu_fullmm(&tlb, mm);
	free_pgd_range(&tlb, FIRST_USER_ADDRESS, TASK_SIZE, FIRST_USER_ADDRESS,
		       USER_PGTABLES_CEILING);
	tlb_finish_mmu(&tlb);
}

void mmput(struct mm_struct *mm)
{
	if (!atomic_dec_and_test(&mm->mm_users))
		return;
	exit_mmap(mm);
	free_user_pgtables(mm);
	mmdrop(mm);
}
