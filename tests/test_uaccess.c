// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_uaccess.c - the kernel's user-access helpers with Linux's
 * return conventions (bytes not copied; -EFAULT; strncpy_from_user's
 * length or count; strnlen_user's length + 1, n + 1 or 0), no signal for
 * a bad address from kernel code, access_ok's bound at TASK_SIZE, demand
 * faults and COW breaks on the way, one fault per page for a large copy,
 * and mmsim_user_exec against NX.
 */
#include "fault_fixture.h"
#include <mmsim/mman.h>
#include <mmsim/syscalls.h>
#include <mmsim/sched.h>
#include <mmsim/err.h>

static struct task_struct *spawn(struct mmsim *m, const char *comm)
{
	struct task_struct *t = mmsim_spawn(m, comm);

	KT_ASSERT(t);
	KT_EQ(mmsim_switch_to(t), 0);
	return t;
}

static unsigned long map(unsigned long len, int prot)
{
	unsigned long a = sys_mmap(0, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);

	KT_ASSERT(!IS_ERR_VALUE(a));
	return a;
}

static void test_copy(struct mmsim *m)
{
	struct task_struct *t = spawn(m, "copy");
	unsigned long a = map(2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	unsigned long ro = map(PAGE_SIZE, PROT_READ);
	char buf[64], out[64];

	KT_EQ(copy_to_user(a + 10, "hello", 6), 0);
	KT_EQ(mmsim_user_read(a + 10, buf, 6), 0);
	KT_ASSERT(!strcmp(buf, "hello"));
	KT_EQ(copy_from_user(out, a + 10, 6), 0);
	KT_ASSERT(!strcmp(out, "hello"));
	/* the second page is unmapped after munmap: the bytes past the end */
	KT_EQ(sys_munmap(a + PAGE_SIZE, PAGE_SIZE), 0);
	KT_EQ(copy_to_user(a + PAGE_SIZE - 4, "0123456789", 10), 6);
	memset(out, 'x', sizeof(out));
	KT_EQ(copy_from_user(out, a + PAGE_SIZE - 4, 10), 6);
	KT_ASSERT(!memcmp(out, "0123\0\0\0\0\0\0", 10));	/* tail zeroed */
	/* read-only: nothing written, no signal, the task lives */
	KT_EQ(copy_to_user(ro, "z", 1), 1);
	KT_EQ(clear_user(ro, 8), 8);
	KT_ASSERT(current == t);
	/* beyond TASK_SIZE: access_ok refuses */
	KT_ASSERT(access_ok(TASK_SIZE - 1, 1));
	KT_ASSERT(!access_ok(TASK_SIZE, 1));
	KT_ASSERT(!access_ok(TASK_SIZE - 8, 16));
	KT_ASSERT(!access_ok(~0UL, 2));
	KT_EQ(copy_to_user(TASK_SIZE, "k", 1), 1);
	memset(out, 'x', 4);
	KT_EQ(copy_from_user(out, TASK_SIZE + PAGE_SIZE, 4), 4);
	KT_ASSERT(!memcmp(out, "\0\0\0\0", 4));
	KT_EQ(clear_user(a, 32), 0);
	KT_EQ(mmsim_user_read(a + 10, buf, 1), 0);
	KT_EQ(buf[0], 0);
	KT_ASSERT(mm_is_valid(t->mm));
	sys_exit_group(0);
}

static void test_get_put_user(struct mmsim *m)
{
	unsigned long a, v = 0;
	unsigned int u32v = 7;
	int err;

	spawn(m, "getput");
	a = map(PAGE_SIZE, PROT_READ | PROT_WRITE);
	err = put_user(0x1122334455667788UL, (unsigned long *)a);
	KT_EQ(err, 0);
	err = get_user(v, (unsigned long *)a);
	KT_EQ(err, 0);
	KT_EQ(v, 0x1122334455667788UL);
	err = get_user(u32v, (unsigned int *)(a + 2 * PAGE_SIZE));
	KT_EQ(err, -EFAULT);
	KT_EQ(u32v, 0);		/* zeroed on a fault, as Linux's */
	err = put_user(1, (int *)8);
	KT_EQ(err, -EFAULT);
	KT_ASSERT(current != NULL);
	sys_exit_group(0);
}

static void test_strings(struct mmsim *m)
{
	unsigned long a;
	char buf[32];

	spawn(m, "strings");
	a = map(2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	KT_EQ(copy_to_user(a, "hello", 6), 0);
	KT_EQ(strncpy_from_user(buf, a, sizeof(buf)), 5);
	KT_ASSERT(!strcmp(buf, "hello"));
	KT_EQ(strncpy_from_user(buf, a, 3), 3);		/* no NUL within count */
	KT_EQ(strnlen_user(a, 10), 6);			/* with the NUL */
	KT_EQ(strnlen_user(a, 3), 4);			/* n + 1: too long */
	KT_EQ(strnlen_user(a + 4 * PAGE_SIZE, 10), 0);	/* fault: 0 */
	KT_EQ(strncpy_from_user(buf, a + 4 * PAGE_SIZE, 10), -EFAULT);
	/* a string running into an unmapped page */
	KT_EQ(sys_munmap(a + PAGE_SIZE, PAGE_SIZE), 0);
	memset(buf, 'a', sizeof(buf));
	KT_EQ(copy_to_user(a + PAGE_SIZE - 4, buf, 4), 0);
	KT_EQ(strncpy_from_user(buf, a + PAGE_SIZE - 4, 16), -EFAULT);
	KT_EQ(strnlen_user(a + PAGE_SIZE - 4, 16), 0);
	sys_exit_group(0);
}

static void test_large_copy_faults_per_page(struct mmsim *m)
{
	unsigned long n = 64 * PAGE_SIZE, a, faults;
	struct task_struct *t = spawn(m, "large");
	char *src = malloc(n), *dst = malloc(n);

	a = map(n, PROT_READ | PROT_WRITE);
	for (unsigned long i = 0; i < n; i++)
		src[i] = (char)(i * 7);
	faults = sum_vm_event(PGFAULT);
	KT_EQ(mmsim_user_write(a, src, n), 0);
	KT_EQ(sum_vm_event(PGFAULT), faults + 64);
	KT_EQ(copy_from_user(dst, a, n), 0);
	KT_ASSERT(!memcmp(src, dst, n));
	KT_EQ(sum_vm_event(PGFAULT), faults + 64);
	KT_EQ(get_mm_counter(t->mm, MM_ANONPAGES), 64);
	free(src);
	free(dst);
	sys_exit_group(0);
}

static void test_copy_breaks_cow(struct mmsim *m)
{
	struct task_struct *p = spawn(m, "cowk");
	unsigned long a = map(PAGE_SIZE, PROT_READ | PROT_WRITE);
	long pid;
	char c = 0;

	KT_EQ(mmsim_user_write(a, "p", 1), 0);
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	KT_EQ(copy_to_user(a, "k", 1), 0);	/* the kernel writes for the parent */
	KT_EQ(mmsim_switch_to(find_task_by_vpid((pid_t)pid)), 0);
	KT_EQ(mmsim_user_read(a, &c, 1), 0);
	KT_EQ(c, 'p');
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(mmsim_user_read(a, &c, 1), 0);
	KT_EQ(c, 'k');
	KT_EQ(sys_wait4((pid_t)pid, NULL, 0, NULL), pid);
	sys_exit_group(0);
}

static void test_exec(struct mmsim *m)
{
	unsigned long x, rw;
	struct task_struct *t = spawn(m, "exec");

	x = map(PAGE_SIZE, PROT_READ | PROT_EXEC);
	rw = map(PAGE_SIZE, PROT_READ | PROT_WRITE);
	KT_EQ(mmsim_user_exec(x), 0);
	if (current_layout->arch == ARCH_I386) {
		/* no NX without PAE: readable is executable */
		KT_EQ(mmsim_user_exec(rw), 0);
		sys_exit_group(0);
		return;
	}
	get_task_struct(t);
	KT_EQ(mmsim_user_exec(rw), -EFAULT);
	KT_EQ(WTERMSIG(t->exit_code), SIGSEGV);
	put_task_struct(t);
}

static void run(const char *spec)
{
	struct mmsim *m = boot_or_die(spec);

	printf("# %s\n", spec);
	kt_begin("copy");
	test_copy(m);
	kt_end();
	kt_begin("get_put_user");
	test_get_put_user(m);
	kt_end();
	kt_begin("strings");
	test_strings(m);
	kt_end();
	kt_begin("large_copy_faults_per_page");
	test_large_copy_faults_per_page(m);
	kt_end();
	kt_begin("copy_breaks_cow");
	test_copy_breaks_cow(m);
	kt_end();
	kt_begin("exec");
	test_exec(m);
	kt_end();
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
