// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_fault_task.c - the fault path as a running program sees it
 * (mmsim_spawn, sys_mmap, mmsim_user_read/write/exec) on x86_64, i386 and
 * arm64 64K: demand faults count pgfault and the task's min_flt; an
 * unmapped address is SEGV_MAPERR, PROT_NONE or a write to read-only
 * memory SEGV_ACCERR; the task dies of SIGSEGV and the log says what
 * Linux's says (x86's "segfault at ... error N likely on CPU ..." with the
 * error-code bits, the #GP line for a non-canonical address, arm64's
 * "unhandled exception" with the ESR), not at all when
 * debug.exception-trace is 0; fork shares pages copy-on-write through the
 * real system calls; exit returns every page.
 */
#include "fault_fixture.h"
#include <mmsim/mman.h>
#include <mmsim/syscalls.h>
#include <mmsim/sched.h>
#include <mmsim/err.h>
#include "kernel/internal.h"

static struct task_struct *spawn(struct mmsim *m, const char *comm)
{
	struct task_struct *t = mmsim_spawn(m, comm);

	KT_ASSERT(t);
	get_task_struct(t);
	KT_EQ(mmsim_switch_to(t), 0);
	return t;
}

static unsigned long map(unsigned long len, int prot)
{
	unsigned long a = sys_mmap(0, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);

	KT_ASSERT(!IS_ERR_VALUE(a));
	return a;
}

static bool is_x86(void)
{
	return current_layout->arch != ARCH_ARM64;
}

static void test_demand_faults_count(struct mmsim *m)
{
	struct task_struct *t = spawn(m, "demand");
	unsigned long a = map(8 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	unsigned long pgfault = sum_vm_event(PGFAULT), minflt = t->min_flt;
	char buf[16] = { 0 };

	KT_EQ(mmsim_user_read(a, buf, 8), 0);			/* zero page */
	KT_EQ(mmsim_user_write(a + PAGE_SIZE, "x", 1), 0);	/* new page */
	KT_EQ(mmsim_user_write(a, "y", 1), 0);			/* zero page -> page */
	KT_EQ(mmsim_user_read(a, buf, 1), 0);			/* TLB hit */
	KT_EQ(buf[0], 'y');
	KT_EQ(sum_vm_event(PGFAULT), pgfault + 3);
	KT_EQ(t->min_flt, minflt + 3);
	KT_EQ(t->maj_flt, 0);
	KT_EQ(get_mm_counter(t->mm, MM_ANONPAGES), 2);
	KT_ASSERT(mm_is_valid(t->mm));
	KT_ASSERT(mm_mapcounts_are_valid(m));
	sys_exit_group(0);
	put_task_struct(t);
}

/* The task dies of @sig with @code; the log holds @text (if not NULL). */
static void expect_death(struct mmsim *m, struct task_struct *t, long ret, int sig, int code,
			 unsigned long addr, size_t mark, const char *text)
{
	char *log = log_since(m, &mark);

	KT_EQ(ret, -EFAULT);
	KT_ASSERT(current == NULL);
	KT_ASSERT(t->exit_state != 0 || t->mm == NULL);
	KT_EQ(task_ext(t)->fault_code, code);
	KT_EQ(task_ext(t)->fault_addr, addr);
	KT_EQ(WTERMSIG(t->exit_code), sig);
	if (text)
		KT_STR_CONTAINS(log, text);
	free(log);
}

static void test_segv_maperr(struct mmsim *m)
{
	struct task_struct *t = spawn(m, "maperr");
	size_t mark = log_mark(m);
	char want[160], c;
	long ret;

	t->regs.ip = 0x401000;
	t->regs.sp = 0x7ffc0000;
	ret = mmsim_user_read(0x1000, &c, 1);
	if (is_x86()) {
		int w = current_layout->is_64bit ? 16 : 8;

		snprintf(want, sizeof(want),
			 "maperr[%d]: segfault at 1000 ip %0*lx sp %0*lx error 4 likely on CPU 0 (core 0, socket 0)\n",
			 t->pid, w, 0x401000UL, w, 0x7ffc0000UL);
	} else {
		snprintf(want, sizeof(want), "maperr[%d]: unhandled exception: DABT (lower EL), ESR 0x",
			 t->pid);
	}
	expect_death(m, t, ret, SIGSEGV, SEGV_MAPERR, 0x1000, mark, want);
	if (is_x86()) {
		char *log = log_since(m, &mark);

		KT_STR_CONTAINS(log, "Code: Unable to access opcode bytes at 0x400fd6.\n");
		free(log);
	}
	put_task_struct(t);
}

static void test_segv_accerr(struct mmsim *m)
{
	struct task_struct *t = spawn(m, "accerr");
	unsigned long a = map(2 * PAGE_SIZE, PROT_READ);
	size_t mark = log_mark(m);
	char want[160];
	long ret;

	KT_EQ(mmsim_user_read(a, want, 4), 0);
	ret = mmsim_user_write(a + 8, "z", 1);
	if (is_x86())
		snprintf(want, sizeof(want), "accerr[%d]: segfault at %lx ip ", t->pid, a + 8);
	else
		snprintf(want, sizeof(want),
			 "accerr[%d]: unhandled exception: DABT (lower EL), ESR 0x000000009200004f, level 3 permission fault\n",
			 t->pid);
	expect_death(m, t, ret, SIGSEGV, SEGV_ACCERR, a + 8, mark, want);
	if (is_x86()) {
		char *log = NULL;

		mark = 0;
		log = log_since(m, &mark);
		KT_STR_CONTAINS(log, " error 7 likely on CPU");	/* P|W|U: present, read-only */
		free(log);
	}
	put_task_struct(t);

	/* PROT_NONE: not present to the MMU, an access error to the kernel */
	t = spawn(m, "protnone");
	a = map(PAGE_SIZE, PROT_NONE);
	mark = log_mark(m);
	ret = mmsim_user_read(a, want, 1);
	expect_death(m, t, ret, SIGSEGV, SEGV_ACCERR, a, mark,
		     is_x86() ? " error 4 likely on CPU" : "translation fault");
	put_task_struct(t);
}

/* A user access to the kernel half: SEGV_MAPERR; x86's error code says
 * protection (sanitize_error_code), whatever the hardware reported. */
static void test_kernel_address(struct mmsim *m)
{
	struct task_struct *t = spawn(m, "kaddr");
	unsigned long k = (unsigned long)phys_to_kva(page_to_phys(mm_zero_page()));
	size_t mark = log_mark(m);
	char want[96], c;

	snprintf(want, sizeof(want), "kaddr[%d]: segfault at %lx ip ", t->pid, k);
	expect_death(m, t, mmsim_user_read(k, &c, 1), SIGSEGV, SEGV_MAPERR, k, mark,
		     is_x86() ? want : "unhandled exception: DABT (lower EL)");
	if (is_x86()) {
		char *log;

		mark = 0;
		log = log_since(m, &mark);
		KT_STR_CONTAINS(log, " error 5 likely on CPU");
		free(log);
	}
	put_task_struct(t);
}

static void test_exception_trace_off(struct mmsim *m)
{
	struct task_struct *t;
	size_t mark;
	char *log, c;

	KT_EQ(mmsim_write(m, "/proc/sys/debug/exception-trace", "0"), 0);
	t = spawn(m, "quiet");
	mark = log_mark(m);
	KT_EQ(mmsim_user_read(0x2000, &c, 1), -EFAULT);
	log = log_since(m, &mark);
	KT_ASSERT(!strstr(log, "quiet["));
	free(log);
	put_task_struct(t);
	KT_EQ(mmsim_write(m, "/proc/sys/debug/exception-trace", "1"), 0);
	log = mmsim_read(m, "/proc/sys/debug/exception-trace");
	KT_ASSERT(log && !strcmp(log, "1\n"));
	free(log);
}

static void test_noncanonical(struct mmsim *m)
{
	struct task_struct *t;
	size_t mark;
	char *log, c;

	if (current_layout->arch != ARCH_X86_64)
		return;
	t = spawn(m, "gp");
	mark = log_mark(m);
	KT_EQ(mmsim_user_read(0x0000800000000000UL, &c, 1), -EFAULT);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, " general protection fault ip:");
	free(log);
	KT_EQ(WTERMSIG(t->exit_code), SIGSEGV);
	put_task_struct(t);
}

static void test_fork_cow_syscalls(struct mmsim *m)
{
	struct task_struct *p = spawn(m, "parent"), *c;
	unsigned long a = map(4 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	long pid;
	char b = 0;

	KT_EQ(mmsim_user_write(a, "P", 1), 0);
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(c);
	KT_ASSERT(!pte_write(fx_pte(p->mm, a)));
	KT_EQ(fx_page(p->mm, a), fx_page(c->mm, a));
	KT_ASSERT(mm_mapcounts_are_valid(m));
	KT_EQ(mmsim_switch_to(c), 0);
	KT_EQ(mmsim_user_write(a, "C", 1), 0);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(mmsim_user_read(a, &b, 1), 0);
	KT_EQ(b, 'P');
	KT_ASSERT(mm_is_valid(p->mm) && mm_is_valid(c->mm));
	KT_ASSERT(mm_mapcounts_are_valid(m));
	KT_EQ(mmsim_switch_to(c), 0);
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(sys_wait4((pid_t)pid, NULL, 0, NULL), pid);
	sys_exit_group(0);
	put_task_struct(p);
}

/* VM_FAULT_OOM: Linux's warning, and (interim, no OOM killer yet) SIGKILL. */
static void test_fault_oom(struct mmsim *m)
{
	struct task_struct *t = spawn(m, "oom");
	unsigned long a = map(2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	size_t mark;
	char *log;

	KT_EQ(mmsim_user_write(a, "1", 1), 0);	/* anon_vma and page table exist */
	mark = log_mark(m);
	m->fail_page_alloc.ignore_gfp_reclaim = false;
	m->fail_page_alloc.ignore_gfp_highmem = false;
	m->fail_page_alloc.min_order = 0;
	m->fail_page_alloc.times = 1;
	m->fail_page_alloc.probability = 100;
	KT_EQ(mmsim_user_write(a + PAGE_SIZE, "2", 1), -EINTR);
	m->fail_page_alloc.probability = 0;
	KT_ASSERT(current == NULL);
	KT_EQ(WTERMSIG(t->exit_code), SIGKILL);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "Huh VM_FAULT_OOM leaked out to the #PF handler. Retrying PF\n");
	free(log);
	put_task_struct(t);
}

/* A huge sparse reservation: fork and exit skip its empty tables a whole
 * upper-level entry at a time (this would take minutes PMD by PMD). */
static void test_huge_sparse(struct mmsim *m)
{
	struct task_struct *t;
	unsigned long len = 1UL << 40, a;
	long pid;

	if (!current_layout->is_64bit)
		return;
	t = spawn(m, "sparse");
	a = sys_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		     -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(a));
	KT_EQ(mmsim_user_write(a + len / 2, "s", 1), 0);
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	KT_EQ(sys_munmap(a, len / 4), 0);
	KT_ASSERT(mm_is_valid(t->mm));
	KT_EQ(mmsim_switch_to(find_task_by_vpid((pid_t)pid)), 0);
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(t), 0);
	KT_EQ(sys_wait4((pid_t)pid, NULL, 0, NULL), pid);
	sys_exit_group(0);
	put_task_struct(t);
}

/* A VMA whose vm_ops cannot fault (no file behind it): VM_FAULT_SIGBUS,
 * SIGBUS with BUS_ADRERR; x86 logs nothing, arm64 its unhandled line. */
static const struct vm_operations_struct no_fault_ops = { .fault = NULL };

static void test_sigbus(struct mmsim *m)
{
	struct task_struct *t = spawn(m, "sigbus");
	struct vm_area_struct *vma;
	unsigned long a = 0x10000000UL;
	size_t mark;
	char *log, c;

	mmap_write_lock(t->mm);
	vma = vm_area_alloc(t->mm);
	KT_ASSERT(vma);
	vma->vm_start = a;
	vma->vm_end = a + PAGE_SIZE;
	vma->vm_flags = VM_READ | VM_MAYREAD;
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	vma->vm_ops = &no_fault_ops;
	KT_EQ(insert_vm_struct(t->mm, vma), 0);
	vm_stat_account(t->mm, vma->vm_flags, 1);
	mmap_write_unlock(t->mm);
	KT_ASSERT(mm_is_valid(t->mm));
	mark = log_mark(m);
	KT_EQ(mmsim_user_read(a + 3, &c, 1), -EFAULT);
	KT_EQ(WTERMSIG(t->exit_code), SIGBUS);
	KT_EQ(task_ext(t)->fault_code, BUS_ADRERR);
	KT_EQ(task_ext(t)->fault_addr, a + 3);
	log = log_since(m, &mark);
	if (is_x86())
		KT_ASSERT(!strstr(log, "sigbus["));
	else
		KT_STR_CONTAINS(log, "sigbus[");
	free(log);
	put_task_struct(t);
}

static void run(const char *spec)
{
	struct mmsim *m = boot_or_die(spec);
	unsigned long before;

	printf("# %s\n", spec);
	(void)mm_zero_page();
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	before = nr_free_pages();
	kt_begin("demand_faults_count");
	test_demand_faults_count(m);
	kt_end();
	kt_begin("segv_maperr");
	test_segv_maperr(m);
	kt_end();
	kt_begin("segv_accerr");
	test_segv_accerr(m);
	kt_end();
	kt_begin("kernel_address");
	test_kernel_address(m);
	kt_end();
	kt_begin("exception_trace_off");
	test_exception_trace_off(m);
	kt_end();
	kt_begin("noncanonical");
	test_noncanonical(m);
	kt_end();
	kt_begin("fault_oom");
	test_fault_oom(m);
	kt_end();
	kt_begin("sigbus");
	test_sigbus(m);
	kt_end();
	kt_begin("huge_sparse");
	test_huge_sparse(m);
	kt_end();
	kt_begin("fork_cow_syscalls");
	test_fork_cow_syscalls(m);
	kt_end();
	mmsim_switch_idle();
	switch_mm(NULL, &init_mm, NULL);	/* the lazily loaded mm (and its pgd) goes */
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	/* every process exited and was reaped: every page is back */
	KT_EQ(nr_free_pages(), before);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("arch=x86_64 ram=128M cpus=2");
	run("arch=i386 ram=2G cpus=2");
	run("arch=arm64 page_size=64K ram=256M cpus=2");
	return kt_done();
}
