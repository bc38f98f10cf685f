// SPDX-License-Identifier: GPL-2.0
/*
 * mm/util.c - the user address space's machine-wide state: the vm sysctls
 * of the mmap family, overcommit accounting (Linux's __vm_enough_memory,
 * vm_commit_limit, vm_committed_as), VMA accounting (vm_stat_account,
 * may_expand_vm) and the vm_area_struct cache.
 *
 * State: the subsystem "mm_user" (init/subsystems.h, after vmalloc) owns a
 * struct mm_user_state per machine whose first member is the struct
 * mm_user_sysctls of mm/vma_internal.h; mm_user_sysctls() returns it for
 * the calling CPU's machine.  Defaults are Linux's: max_map_count 65530,
 * mmap_min_addr 65536 (32768 on arm64, the value arm64 distributions build
 * with CONFIG_DEFAULT_MMAP_MIN_ADDR), stack_guard_gap 256 pages,
 * overcommit_memory 0, overcommit_ratio 50, overcommit_kbytes 0, and the
 * reserves that init_admin_reserve()/init_user_reserve() compute at boot:
 * min(3% of free memory, 8 MiB) and min(3% of free memory, 128 MiB).
 * randomize_va_space is 0: mmsim's layouts are deterministic (no ASLR).
 *
 * Overcommit (Documentation/mm/overcommit-accounting.rst): every
 * accountable page (private writable, not MAP_NORESERVE; the stack;
 * brk) is added to vm_committed_as when mapped and removed when
 * unmapped.  Mode 1 never refuses; mode 0 refuses a single request larger
 * than RAM + swap; mode 2 refuses when vm_committed_as would pass
 * CommitLimit = (RAM - hugetlb) * ratio% + swap (or overcommit_kbytes +
 * swap), less admin_reserve for tasks without CAP_SYS_ADMIN and less
 * min(total_vm / 32, user_reserve) for a task's own mm.
 *
 * Capabilities: every task is root with every capability (DESIGN §3b), so
 * capable() is true: RLIMIT_MEMLOCK does not stop mlock (CAP_IPC_LOCK),
 * MAP_FIXED below mmap_min_addr is allowed (CAP_SYS_RAWIO, cap_mmap_addr),
 * and __vm_enough_memory keeps the admin reserve (CAP_SYS_ADMIN), exactly
 * as on Linux for root.
 *
 * Locking: sysctl writes are serialized by sysctl_lock; readers read the
 * values with READ_ONCE and no lock.  vm_committed_as is an atomic
 * (Linux's is a percpu_counter: the sum is exact here).
 *
 * Invariants: vm_committed_as == the sum over live mms of the pages of
 * their VM_ACCOUNT VMAs, plus the charges of the live shared anonymous
 * objects (checked by the tests after every step).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <mmsim/slab.h>
#include <mmsim/sysctl.h>
#include <mmsim/seq_file.h>
#include <mmsim/ratelimit.h>
#include <mmsim/vmstat.h>
#include <mmsim/fs.h>
#include <mmsim/panic.h>
#include "mm/vma.h"
#include <mmsim/swap.h>
#include "lib/cmdline.h"
#include <mmsim/hugetlb.h>

struct mm_user_state {
	struct mm_user_sysctls sysctls;		/* first: mm_user_sysctls() */
	struct kmem_cache *vm_area_cachep;	/* "vm_area_struct" */
	atomic_long_t last_ino;			/* get_next_ino() */
};

static const struct mm_user_state mm_user_template = {
	.sysctls = {
		.max_map_count = 65530,		/* DEFAULT_MAX_MAP_COUNT */
		.mmap_min_addr = 0,		/* set per arch at boot */
		.stack_guard_gap = 256,		/* pages */
		.overcommit_memory = OVERCOMMIT_GUESS,
		.overcommit_ratio = 50,
		.overcommit_kbytes = 0,
		.admin_reserve_kbytes = 1UL << 13,	/* recomputed at boot */
		.user_reserve_kbytes = 1UL << 17,
		.legacy_va_layout = 0,
		.randomize_va_space = 0,
	},
};

static struct mm_user_state *mm_user_state(void)
{
	return subsys_state(current_machine(), mm_user);
}

struct mm_user_sysctls *mm_user_sysctls(void)
{
	return &mm_user_state()->sysctls;
}

struct kmem_cache *vm_area_cachep(void)
{
	return mm_user_state()->vm_area_cachep;
}

/*
 * get_next_ino - Linux's (fs/inode.c): inode numbers for files without a
 * backing device, such as shmem's (the inode /proc/PID/maps shows for
 * "/dev/zero (deleted)").  Per machine.
 */
unsigned long get_next_ino(void)
{
	return (unsigned long)atomic_fetch_add(&mm_user_state()->last_ino.counter, 1) + 1;
}

unsigned long stack_guard_gap_bytes(void)
{
	return READ_ONCE(mm_user_sysctls()->stack_guard_gap) << PAGE_SHIFT;
}

/* Every task is root with every capability unless it dropped some
 * (mmsim_cap_drop, kernel/sys.c). */
bool capable(int cap)
{
	struct task_struct *t = current;

	if (!t || !t->signal || cap < 0 || cap >= 64)
		return true;
	return !((t->signal->cap_dropped >> cap) & 1);
}

/* Linux's INIT_RLIMITS for the limits mm reads. */
static unsigned long default_rlimit(unsigned int limit)
{
	switch (limit) {
	case RLIMIT_STACK:
		return 8UL << 20;		/* _STK_LIM */
	case RLIMIT_MEMLOCK:
		return 8UL << 20;		/* MLOCK_LIMIT */
	default:
		return RLIM_INFINITY_UL;
	}
}

unsigned long mm_rlimit(unsigned int limit)
{
	struct task_struct *t = current;

	if (!t || !t->signal)
		return default_rlimit(limit);
	return READ_ONCE(t->signal->rlim[limit].rlim_cur);
}

unsigned long mm_rlimit_max(unsigned int limit)
{
	struct task_struct *t = current;

	if (!t || !t->signal)
		return limit == RLIMIT_STACK ? RLIM_INFINITY_UL : default_rlimit(limit);
	return READ_ONCE(t->signal->rlim[limit].rlim_max);
}

struct mm_struct *current_user_mm(void)
{
	struct task_struct *t = current;

	return t ? t->mm : NULL;
}

long syscall_enter_check(void)
{
	RETURN_IF_HALTED(-EIO);
	if (!current_cpu || !current_user_mm())
		return -ESRCH;
	return 0;
}

/* --- overcommit ------------------------------------------------------ */

void vm_acct_memory(long pages)
{
	atomic_long_add(pages, &mm_user_sysctls()->vm_committed_as);
}

void vm_unacct_memory(long pages)
{
	vm_acct_memory(-pages);
}

unsigned long vm_memory_committed(void)
{
	long v = atomic_long_read(&mm_user_sysctls()->vm_committed_as);

	return v < 0 ? 0 : (unsigned long)v;
}

/* Swap: mm/swapfile.c's total; hugetlb_total_pages: mm/hugetlb_files.c. */
static unsigned long total_swap_pages_now(void) { return (unsigned long)get_total_swap_pages(); }

/**
 * vm_commit_limit - the most pages mode 2 lets be committed (CommitLimit).
 */
unsigned long vm_commit_limit(void)
{
	struct mm_user_sysctls *s = mm_user_sysctls();
	unsigned long kbytes = READ_ONCE(s->overcommit_kbytes), allowed;

	if (kbytes)
		allowed = kbytes >> (PAGE_SHIFT - 10);
	else
		allowed = (totalram_pages() - hugetlb_total_pages()) *
			  (unsigned long)READ_ONCE(s->overcommit_ratio) / 100;
	return allowed + total_swap_pages_now();
}

/**
 * __vm_enough_memory - may @pages more pages be committed for @mm?
 *
 * Adds them to vm_committed_as and returns 0, or logs Linux's line and
 * returns -ENOMEM with nothing added.  Linux's rules per overcommit_memory.
 */
int __vm_enough_memory(struct mm_struct *mm, long pages, int cap_sys_admin)
{
	struct mm_user_sysctls *s = mm_user_sysctls();
	struct task_struct *t = current;
	long allowed;

	vm_acct_memory(pages);
	switch (READ_ONCE(s->overcommit_memory)) {
	case OVERCOMMIT_ALWAYS:
		return 0;
	case OVERCOMMIT_GUESS:
		if ((unsigned long)pages > totalram_pages() + total_swap_pages_now())
			goto error;
		return 0;
	default:
		break;
	}
	allowed = (long)vm_commit_limit();
	if (!cap_sys_admin)
		allowed -= (long)(READ_ONCE(s->admin_reserve_kbytes) >> (PAGE_SHIFT - 10));
	if (mm) {
		long reserve = (long)(READ_ONCE(s->user_reserve_kbytes) >> (PAGE_SHIFT - 10));

		allowed -= min_t(long, (long)(mm->total_vm / 32), reserve);
	}
	if (atomic_long_read(&s->vm_committed_as) < allowed)
		return 0;
error:
	pr_warn_ratelimited("%s: pid: %d, comm: %s, bytes: %lu not enough memory for the allocation\n",
			    "__vm_enough_memory", t ? t->pid : 0, t ? t->comm : "swapper",
			    (unsigned long)pages << PAGE_SHIFT);
	vm_unacct_memory(pages);
	return -ENOMEM;
}

/* --- VMA accounting (Linux keeps these in mm/mmap.c) ----------------- */

/**
 * may_expand_vm - may @mm map @npages more pages of kind @flags?
 * RLIMIT_AS for all, RLIMIT_DATA for data mappings (with Linux's
 * Valgrind workaround and its warning).
 */
bool may_expand_vm(struct mm_struct *mm, vm_flags_t flags, unsigned long npages)
{
	if (mm->total_vm + npages > mm_rlimit(RLIMIT_AS) >> PAGE_SHIFT)
		return false;
	if (is_data_mapping(flags) &&
	    mm->data_vm + npages > mm_rlimit(RLIMIT_DATA) >> PAGE_SHIFT) {
		struct task_struct *t = current;

		/* Workaround for Valgrind */
		if (mm_rlimit(RLIMIT_DATA) == 0 &&
		    mm->data_vm + npages <= mm_rlimit_max(RLIMIT_DATA) >> PAGE_SHIFT)
			return true;
		pr_warn_once("%s (%d): VmData %lu exceed data ulimit %lu. Update limits or use boot option ignore_rlimit_data.\n",
			t ? t->comm : "?", t ? t->pid : 0,
			(mm->data_vm + npages) << PAGE_SHIFT, mm_rlimit(RLIMIT_DATA));
		return false;
	}
	return true;
}

void vm_stat_account(struct mm_struct *mm, vm_flags_t flags, long npages)
{
	WRITE_ONCE(mm->total_vm, READ_ONCE(mm->total_vm) + (unsigned long)npages);
	if (is_exec_mapping(flags))
		mm->exec_vm += (unsigned long)npages;
	else if (is_stack_mapping(flags))
		mm->stack_vm += (unsigned long)npages;
	else if (is_data_mapping(flags))
		mm->data_vm += (unsigned long)npages;
}

/* --- sysctls --------------------------------------------------------- */

/*
 * proc_doulongvec_minmax for one unsigned long (extra1: min, or NULL; no
 * max): shared by the mm sysctls in bytes (here and mm/dirty_throttle.c).
 */
int proc_doulongvec_minmax(const struct ctl_table *t, int write, struct seq_file *sf,
			   const char *text)
{
	unsigned long *p = t->data, v;
	const unsigned long *min = t->extra1;
	char *end;

	if (!write) {
		seq_printf(sf, "%lu\n", READ_ONCE(*p));
		return 0;
	}
	while (*text == ' ' || *text == '\t')
		text++;
	if (*text == '-' || !*text)
		return -EINVAL;
	errno = 0;
	v = strtoul(text, &end, 0);
	if (errno || end == text)
		return -EINVAL;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (*end)
		return -EINVAL;
	if (min && v < *min)
		return -EINVAL;
	WRITE_ONCE(*p, v);
	return 0;
}

/* overcommit_ratio written: overcommit_kbytes becomes 0 (Linux's handler). */
static int overcommit_ratio_handler(const struct ctl_table *t, int write, struct seq_file *sf,
				    const char *text)
{
	int ret = proc_dointvec(t, write, sf, text);

	if (!ret && write)
		WRITE_ONCE(mm_user_sysctls()->overcommit_kbytes, 0);
	return ret;
}

static int overcommit_kbytes_handler(const struct ctl_table *t, int write, struct seq_file *sf,
				     const char *text)
{
	int ret = proc_doulongvec_minmax(t, write, sf, text);

	if (!ret && write)
		WRITE_ONCE(mm_user_sysctls()->overcommit_ratio, 0);
	return ret;
}

static const int overcommit_max = OVERCOMMIT_NEVER;

static int mm_user_sysctl_init(struct mmsim *m, char *err, size_t len)
{
	struct mm_user_sysctls *s = &((struct mm_user_state *)subsys_state(m, mm_user))->sysctls;
	const struct ctl_table table[] = {
		{ .procname = "admin_reserve_kbytes", .data = &s->admin_reserve_kbytes,
		  .maxlen = sizeof(unsigned long), .mode = 0644, .proc_handler = proc_doulongvec_minmax },
		{ .procname = "legacy_va_layout", .data = &s->legacy_va_layout,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
		  .extra1 = SYSCTL_ZERO },
		{ .procname = "max_map_count", .data = &s->max_map_count,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
		  .extra1 = SYSCTL_ZERO },
		{ .procname = "mmap_min_addr", .data = &s->mmap_min_addr,
		  .maxlen = sizeof(unsigned long), .mode = 0644, .proc_handler = proc_doulongvec_minmax },
		{ .procname = "overcommit_kbytes", .data = &s->overcommit_kbytes,
		  .maxlen = sizeof(unsigned long), .mode = 0644,
		  .proc_handler = overcommit_kbytes_handler },
		{ .procname = "overcommit_memory", .data = &s->overcommit_memory,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec_minmax,
		  .extra1 = SYSCTL_ZERO, .extra2 = &overcommit_max },
		{ .procname = "overcommit_ratio", .data = &s->overcommit_ratio,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = overcommit_ratio_handler },
		{ .procname = "user_reserve_kbytes", .data = &s->user_reserve_kbytes,
		  .maxlen = sizeof(unsigned long), .mode = 0644, .proc_handler = proc_doulongvec_minmax },
	};
	int ret = register_sysctl("vm", table);

	if (ret)
		snprintf(err, len, "mm_user: cannot register the vm sysctls (%d)", ret);
	return ret;
}

/*
 * core: the per-arch defaults and the reserves (Linux's
 * init_admin_reserve/init_user_reserve: 3% of free memory, capped at 8 MiB
 * and 128 MiB), and the vm_area_struct cache.
 */
static int mm_user_init(struct mmsim *m, char *err, size_t len)
{
	struct mm_user_state *st = subsys_state(m, mm_user);
	unsigned long free_kbytes = global_zone_page_state(NR_FREE_PAGES) << (PAGE_SHIFT - 10);

	if (!st->sysctls.mmap_min_addr)
		st->sysctls.mmap_min_addr = current_layout->arch == ARCH_ARM64 ? 32768 : 65536;
	st->sysctls.admin_reserve_kbytes = min_t(unsigned long, free_kbytes / 32, 1UL << 13);
	st->sysctls.user_reserve_kbytes = min_t(unsigned long, free_kbytes / 32, 1UL << 17);
	atomic_long_set(&st->sysctls.vm_committed_as, 0);
	st->vm_area_cachep = kmem_cache_create("vm_area_struct", sizeof(struct vm_area_struct), 0,
					       SLAB_HWCACHE_ALIGN | SLAB_ACCOUNT, NULL);
	if (!st->vm_area_cachep) {
		snprintf(err, len, "mm_user: cannot create the vm_area_struct cache");
		return -ENOMEM;
	}
	return 0;
}

static void mm_user_exit(struct mmsim *m)
{
	struct mm_user_state *st = subsys_state(m, mm_user);

	kmem_cache_destroy(st->vm_area_cachep);
	st->vm_area_cachep = NULL;
}

/* stack_guard_gap=<pages> (Linux's cmdline_parse_stack_guard_gap). */
static int setup_stack_guard_gap(void *state, const struct kernel_param *kp, const char *word,
				 const char *val, char *err, size_t len)
{
	struct mm_user_state *st = state;
	unsigned long v;
	char *end;

	(void)kp;
	errno = 0;
	v = strtoul(val, &end, 10);
	if (!*val || *end || errno || *val == '-' || v > (1UL << 30))
		return cmdline_fail(err, len, "'%s': not a number of pages", word);
	st->sysctls.stack_guard_gap = v;
	return 0;
}

static const struct kernel_param mm_user_params[] = {
	__setup("stack_guard_gap", setup_stack_guard_gap),
};

static const struct initcall mm_user_initcalls[] = {
	core_initcall(mm_user_init, mm_user_exit),
	fs_initcall(mm_user_sysctl_init, NULL),
};

DEFINE_SUBSYSTEM(mm_user, SUBSYS_STATE(struct mm_user_state, &mm_user_template),
		 SUBSYS_PARAMS(mm_user_params), SUBSYS_INITCALLS(mm_user_initcalls));
