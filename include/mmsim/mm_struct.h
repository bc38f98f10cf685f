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
#include <mmsim/rwsem.h>
#include <mmsim/maple_tree.h>
#include <mmsim/list.h>

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
struct ldt_struct;

typedef struct {
	atomic_ullong id;		/* arm64: generation | ASID; 0 = none yet */
	u64 ctx_id;			/* x86: unique, never reused (PCID slots key) */
	atomic_ullong tlb_gen;		/* x86: bumped by every flush of this mm */
	struct ldt_struct *ldt;		/* x86: the LDT or NULL (arch/ldt.c) */
} mm_context_t;

struct mmsim;
struct task_struct;

/* RSS counters of an mm (get_mm_counter()). */
enum {
	MM_FILEPAGES,		/* resident file mapping pages */
	MM_ANONPAGES,		/* resident anonymous pages */
	MM_SWAPENTS,		/* anonymous swap entries */
	MM_SHMEMPAGES,		/* resident shared memory pages */
	NR_MM_COUNTERS
};

/* mm->flags bits (MMF_*). */
#define MMF_DUMPABLE		0
#define MMF_OOM_SKIP		21
#define MMF_UNSTABLE		22
#define MMF_HAS_PINNED		27

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

	/* The user address space (mm/mmap.c, mm/vma.c).  All under mmap_lock. */
	struct maple_tree mm_mt;	/* the VMAs, by [vm_start, vm_end - 1] */
	struct rw_semaphore mmap_lock;
	unsigned long mm_lock_seq;	/* bumped at mmap_write_unlock (per-VMA locks) */
	int map_count;			/* VMAs in mm_mt */
	unsigned long mmap_base;	/* top of the top-down mmap area */
	unsigned long mmap_legacy_base;	/* bottom-up base (legacy layout) */
	unsigned long task_size;	/* TASK_SIZE of this mm */
	unsigned long total_vm;		/* pages mapped (VmSize) */
	unsigned long locked_vm;	/* pages with VM_LOCKED (VmLck) */
	atomic_long_t pinned_vm;	/* pages pinned long-term (VmPin) */
	unsigned long data_vm;		/* VM_WRITE & ~VM_SHARED & ~VM_STACK (VmData) */
	unsigned long exec_vm;		/* VM_EXEC & ~VM_WRITE & ~VM_STACK (VmExe) */
	unsigned long stack_vm;		/* VM_STACK (VmStk) */
	unsigned long hiwater_rss;	/* peak RSS (VmHWM), pages */
	unsigned long hiwater_vm;	/* peak total_vm (VmPeak), pages */
	vm_flags_t def_flags;		/* added to every new VMA (VM_LOCKED after mlockall(MCL_FUTURE)) */
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack;
	unsigned long arg_start, arg_end, env_start, env_end;
	atomic_long_t rss_stat[NR_MM_COUNTERS];
	unsigned long flags;		/* MMF_* */
	struct task_struct *owner;	/* the thread-group leader that owns it */
	struct list_head mmlist;	/* the machine's list of user mms (checkers, swapoff) */
	struct page *pmd_huge_pte;	/* PTE tables deposited for its PMD leaves (THP:
					 * split_huge_pmd never allocates), linked by ->lru;
					 * under page_table_lock */
};

#define mm_cpumask(mm)	(&(mm)->cpu_bitmap)

static inline unsigned long get_mm_counter(struct mm_struct *mm, int member)
{
	long v = atomic_long_read(&mm->rss_stat[member]);

	return v < 0 ? 0 : (unsigned long)v;
}
static inline void add_mm_counter(struct mm_struct *mm, int member, long value)
{
	atomic_long_add(value, &mm->rss_stat[member]);
}
static inline void inc_mm_counter(struct mm_struct *mm, int member) { add_mm_counter(mm, member, 1); }
static inline void dec_mm_counter(struct mm_struct *mm, int member) { add_mm_counter(mm, member, -1); }
static inline unsigned long get_mm_rss(struct mm_struct *mm)
{
	return get_mm_counter(mm, MM_FILEPAGES) + get_mm_counter(mm, MM_ANONPAGES) +
	       get_mm_counter(mm, MM_SHMEMPAGES);
}
static inline void update_hiwater_rss(struct mm_struct *mm)
{
	unsigned long rss = get_mm_rss(mm);

	if (mm->hiwater_rss < rss)
		mm->hiwater_rss = rss;
}
static inline void update_hiwater_vm(struct mm_struct *mm)
{
	if (mm->hiwater_vm < mm->total_vm)
		mm->hiwater_vm = mm->total_vm;
}

/* mmap_lock (Linux's include/linux/mmap_lock.h). */
static inline void mmap_init_lock(struct mm_struct *mm) { init_rwsem(&mm->mmap_lock); }
static inline void mmap_read_lock(struct mm_struct *mm) { down_read(&mm->mmap_lock); }
static inline int mmap_read_lock_killable(struct mm_struct *mm) { return down_read_killable(&mm->mmap_lock); }
static inline bool mmap_read_trylock(struct mm_struct *mm) { return down_read_trylock(&mm->mmap_lock); }
static inline void mmap_read_unlock(struct mm_struct *mm) { up_read(&mm->mmap_lock); }
static inline void mmap_write_lock(struct mm_struct *mm) { down_write(&mm->mmap_lock); }
static inline int mmap_write_lock_killable(struct mm_struct *mm) { return down_write_killable(&mm->mmap_lock); }
static inline bool mmap_write_trylock(struct mm_struct *mm) { return down_write_trylock(&mm->mmap_lock); }
static inline void mmap_write_unlock(struct mm_struct *mm)
{
	mm->mm_lock_seq++;
	up_write(&mm->mmap_lock);
}
static inline void mmap_write_downgrade(struct mm_struct *mm)
{
	mm->mm_lock_seq++;
	downgrade_write(&mm->mmap_lock);
}
#define mmap_assert_locked(mm)		rwsem_assert_held(&(mm)->mmap_lock)
#define mmap_assert_write_locked(mm)	rwsem_assert_held_write(&(mm)->mmap_lock)

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
