/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm_struct.h - the address space as the MMU sees it: its page table, its
 * reference counts, the CPUs that may cache its translations, and its
 * hardware context (arm64 ASID, x86 PCID bookkeeping).
 *
 * Lifetime (Linux's): mm_users counts users of the address space (tasks,
 * get_task_mm); when it drops to zero the user page tables are freed
 * (exit_mmap's part) and one mm_count reference is dropped.  mm_count
 * counts references to the struct itself (lazy-TLB CPUs, mmgrab); when it
 * drops to zero the pgd is freed and the struct with it.  A CPU that has
 * the mm loaded holds an mm_count reference (switch_mm takes and drops it).
 *
 * init_mm is per machine: the kernel's address space, whose pgd is
 * swapper_pg_dir.  On x86 every pgd shares the kernel half of
 * swapper_pg_dir (its top-level entries are copied at pgd_alloc and never
 * change after boot, because paging_init preallocates the tables under
 * every kernel top-level entry); on arm64 the kernel half is TTBR1 and a
 * user pgd holds user entries only.
 *
 * mm_cpumask(mm): the CPUs that have run the mm and may hold TLB entries
 * for it (set by switch_mm, never cleared while the mm lives): the targets
 * of its TLB shootdowns.  Atomic bit operations; read without locks.
 */
#ifndef MMSIM_MM_STRUCT_H
#define MMSIM_MM_STRUCT_H

#include <mmsim/types.h>
#include <mmsim/spinlock.h>
#include <mmsim/mmzone.h>

#define MM_CPUMASK_LONGS (NR_CPUS / 64)

struct mm_cpumask {
	atomic_ulong bits[MM_CPUMASK_LONGS];
};

static inline void mm_cpumask_set_cpu(int cpu, struct mm_cpumask *m)
{
	atomic_fetch_or_explicit(&m->bits[cpu / 64], 1UL << (cpu % 64), memory_order_relaxed);
}
static inline void mm_cpumask_clear_cpu(int cpu, struct mm_cpumask *m)
{
	atomic_fetch_and_explicit(&m->bits[cpu / 64], ~(1UL << (cpu % 64)), memory_order_relaxed);
}
static inline bool mm_cpumask_test_cpu(int cpu, const struct mm_cpumask *m)
{
	return (atomic_load_explicit(&((struct mm_cpumask *)m)->bits[cpu / 64],
				     memory_order_relaxed) >> (cpu % 64)) & 1;
}
int mm_cpumask_weight(const struct mm_cpumask *m);

/* Hardware context (Linux's mm_context_t, both arches' fields). */
typedef struct {
	atomic_ullong id;		/* arm64: generation | ASID; 0 = none yet */
	u64 ctx_id;			/* x86: unique, never reused (PCID slots key) */
	atomic_ullong tlb_gen;		/* x86: bumped by every flush of this mm */
} mm_context_t;

struct mmsim;

struct mm_struct {
	void *pgd;			/* pgd_t *: host address of the top table */
	atomic_t mm_users;		/* address-space users */
	atomic_t mm_count;		/* references to the struct */
	spinlock_t page_table_lock;	/* populating tables */
	atomic_long_t pgtables_bytes;	/* user page tables, bytes */
	struct mm_cpumask cpu_bitmap;	/* mm_cpumask() */
	mm_context_t context;
	struct mmsim *machine;		/* owner */
	bool is_init_mm;		/* the kernel's address space */
};

#define mm_cpumask(mm)	(&(mm)->cpu_bitmap)

/* The kernel address space of the current machine. */
struct mm_struct *__init_mm(void);
#define init_mm		(*__init_mm())
#define swapper_pg_dir	((pgd_t *)init_mm.pgd)

struct mm_struct *mm_alloc(void);		/* NULL on -ENOMEM */
void mmget(struct mm_struct *mm);
bool mmget_not_zero(struct mm_struct *mm);
void mmput(struct mm_struct *mm);
void mmgrab(struct mm_struct *mm);
void mmdrop(struct mm_struct *mm);
void *pgd_alloc(struct mm_struct *mm);		/* pgd_t *, or NULL */
void pgd_free(struct mm_struct *mm, void *pgd);

static inline unsigned long mm_pgtables_bytes(const struct mm_struct *mm)
{
	return (unsigned long)atomic_long_read(&mm->pgtables_bytes);
}

#endif
