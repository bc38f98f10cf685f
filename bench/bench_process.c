// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_process.c - the paths of a simulated process, each against
 * the host kernel doing the same operation in the same run:
 *
 *   demand-zero fault   mmsim: a write to each page of a fresh anonymous
 *                       mapping (mmsim_user_write: TLB miss, walk, fault,
 *                       zeroed page, PTE), with its share of the mmap and
 *                       munmap; host: the same on a host mapping.
 *   COW fault           a write to each page that fork shared: the cost of
 *                       (fork + N writes + child exit) minus (fork + child
 *                       exit), over N; same on the host, the child blocked
 *                       on a pipe so the pages stay shared.  A derived row:
 *                       the four loops (mmsim and host, with and without
 *                       the writes) take turns in one comparison, and each
 *                       round's difference is one run, so the median and
 *                       range printed are those of the per-round
 *                       differences.
 *   mmap+munmap         one anonymous page, mapped and unmapped untouched.
 *   find_vma            lookups of random addresses in 10,000 VMAs (the
 *                       maple tree; bench_vma compares it with an rbtree).
 *                       No host reference: the host has no call that does
 *                       only this.
 *   fork, 1 GiB touched fork of a process with 1 GiB written, the child
 *                       exiting at once, the parent reaping it; host: fork,
 *                       _exit, waitpid of a process with 1 GiB written.
 *
 * Every host reference is the same operation as mmsim's row, seen from the
 * program: the same calls on the same amount of memory.  The host pays what
 * a real kernel pays for it and mmsim does not: a hardware trap per fault,
 * a system call's mode switch, and for the fork rows a real task that is
 * scheduled (on another CPU or after the parent) and a pipe to hold it.
 * That is why the goal is at most the host's cost, not a bound mmsim could
 * miss by doing less: a ratio below 1 is expected.
 *
 * Each cell is the median of BENCH_REPS timed runs and their range
 * [lowest-highest]; a ratio "(x0.8)" is mmsim's median over the host's:
 * below 1, mmsim is faster.  Method: bench/bench_common.h.
 */
#include <sys/wait.h>
#include "bench_common.h"
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>

#define FAULT_PAGES	256		/* pages per demand-fault iteration */
#define COW_PAGES	256
#define NR_VMAS		10000
#define FORK_BYTES	(1UL << 30)

struct ctx {
	struct mmsim *m;
	struct task_struct *task;
	unsigned long addr;		/* mmsim mapping of the COW/fork rows */
	char *host;			/* host mapping of the same */
	size_t len;
	unsigned long *probe;		/* find_vma probe addresses */
	long nr_probe;
	bool write;			/* COW rows: write the pages after fork */
};

static void die(const char *what, long err)
{
	fprintf(stderr, "bench_process: %s failed (%ld)\n", what, err);
	exit(1);
}

static unsigned long anon_map(size_t len)
{
	unsigned long a = sys_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				   (unsigned long)-1, 0);

	if (IS_ERR_VALUE(a))
		die("sys_mmap", (long)a);
	return a;
}

static void touch_pages(unsigned long a, size_t len)
{
	char one = 1;

	for (size_t off = 0; off < len; off += PAGE_SIZE)
		if (mmsim_user_write(a + off, &one, 1))
			die("mmsim_user_write", -1);
}

/* --- demand-zero faults --- */
static void mmsim_fault_loop(void *p, long iters)
{
	(void)p;
	for (long i = 0; i < iters; i++) {
		size_t len = FAULT_PAGES * PAGE_SIZE;
		unsigned long a = anon_map(len);

		touch_pages(a, len);
		sys_munmap(a, len);
	}
}

static void host_fault_loop(void *p, long iters)
{
	(void)p;
	for (long i = 0; i < iters; i++) {
		void *a = host_get(FAULT_PAGES * HOST_PAGE);

		host_put(a, FAULT_PAGES * HOST_PAGE);
	}
}

/* --- fork (+ writes) + exit + wait --- */
static void mmsim_fork_once(struct ctx *c)
{
	struct task_struct *child;
	long pid = sys_fork();
	int status;

	if (pid < 0)
		die("sys_fork", pid);
	if (c->write)
		touch_pages(c->addr, c->len);
	child = find_task_by_vpid((pid_t)pid);
	if (!child || mmsim_switch_to(child))
		die("switch to the child", pid);
	sys_exit_group(0);
	if (mmsim_switch_to(c->task))
		die("switch to the parent", 0);
	if (sys_wait4((pid_t)pid, &status, 0, NULL) != pid)
		die("sys_wait4", pid);
}

static void mmsim_fork_loop(void *p, long iters)
{
	for (long i = 0; i < iters; i++)
		mmsim_fork_once(p);
}

static void host_fork_once(struct ctx *c)
{
	int fds[2];
	char b;
	pid_t pid;

	if (pipe(fds))
		die("pipe", errno);
	pid = fork();
	if (pid < 0)
		die("fork", errno);
	if (pid == 0) {
		close(fds[1]);
		if (read(fds[0], &b, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(fds[0]);
	if (c->write)
		for (size_t off = 0; off < c->len; off += HOST_PAGE)
			((volatile char *)c->host)[off]++;
	close(fds[1]);		/* the child's read returns 0: it exits */
	waitpid(pid, NULL, 0);
}

static void host_fork_loop(void *p, long iters)
{
	for (long i = 0; i < iters; i++)
		host_fork_once(p);
}

/* --- mmap + munmap --- */
static void mmsim_mmap_loop(void *p, long iters)
{
	(void)p;
	for (long i = 0; i < iters; i++) {
		unsigned long a = anon_map(PAGE_SIZE);

		bench_keep((void *)a);
		sys_munmap(a, PAGE_SIZE);
	}
}

static void host_mmap_loop(void *p, long iters)
{
	(void)p;
	for (long i = 0; i < iters; i++) {
		void *a = mmap(NULL, HOST_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		bench_keep(a);
		munmap(a, HOST_PAGE);
	}
}

/* --- find_vma --- */
static void find_vma_loop(void *p, long iters)
{
	struct ctx *c = p;
	struct mm_struct *mm = c->task->mm;

	mmap_read_lock(mm);
	for (long i = 0; i < iters; i++)
		for (long j = 0; j < c->nr_probe; j++)
			bench_keep(find_vma(mm, c->probe[j]));
	mmap_read_unlock(mm);
}

static void row(const char *label, const struct bench_meas *mine, const char *ref_name,
		const struct bench_meas *ref)
{
	char a[80], b[80], r[32];

	printf("%-30s %-26s | %-22s %-26s (%s)\n", label, bench_fmt_med(mine, a, sizeof(a)),
	       ref_name, bench_fmt_med(ref, b, sizeof(b)),
	       bench_fmt_ratio(mine->med_ns / ref->med_ns, r, sizeof(r)));
	fflush(stdout);
}

/* Time two loops against each other into @ms (mmsim's, the host's). */
static void pair(struct ctx *c, bench_fn mine, bench_fn host, long ops, struct bench_meas ms[2])
{
	ms[0] = (struct bench_meas)BENCH_MEAS(mine, c, ops);
	ms[1] = (struct bench_meas)BENCH_MEAS(host, c, ops);
	bench_compare(ms, 2);
}

/*
 * A derived measurement: run r is (@with's run r - @without's run r) / @n.
 * The two were timed in the same rounds of one bench_compare, so each
 * difference compares runs that saw the same host.
 */
static struct bench_meas derive(const struct bench_meas *with, const struct bench_meas *without,
				long n)
{
	struct bench_meas d = { .ops_per_iter = 1 };

	d.nr_runs = min(with->nr_runs, without->nr_runs);
	for (int r = 0; r < d.nr_runs; r++)
		d.runs[r] = (with->runs[r] - without->runs[r]) / (double)n;
	bench_summarize(&d);
	return d;
}

static void bench_arch(const char *spec)
{
	struct ctx c = { 0 }, cw;
	struct bench_meas ms[4];

	c.m = mmsim_boot(spec);
	if (!c.m)
		die(mmsim_last_error(), 0);
	c.task = mmsim_spawn(c.m, "bench");
	if (!c.task || mmsim_switch_to(c.task))
		die("mmsim_spawn", errno);
	printf("%s\n", spec);

	pair(&c, mmsim_fault_loop, host_fault_loop, FAULT_PAGES, ms);
	row("demand-zero fault", &ms[0], "host demand-zero fault", &ms[1]);

	/*
	 * COW: the same fork without and with the writes, the four loops
	 * taking turns, so that each round gives one difference.
	 */
	c.len = COW_PAGES * PAGE_SIZE;
	c.addr = anon_map(c.len);
	touch_pages(c.addr, c.len);
	c.host = host_get(COW_PAGES * HOST_PAGE);
	c.write = false;
	cw = c;
	cw.write = true;
	ms[0] = (struct bench_meas)BENCH_MEAS(mmsim_fork_loop, &c, 1);
	ms[1] = (struct bench_meas)BENCH_MEAS(host_fork_loop, &c, 1);
	ms[2] = (struct bench_meas)BENCH_MEAS(mmsim_fork_loop, &cw, 1);
	ms[3] = (struct bench_meas)BENCH_MEAS(host_fork_loop, &cw, 1);
	bench_compare(ms, 4);
	{
		struct bench_meas mcow = derive(&ms[2], &ms[0], COW_PAGES);
		struct bench_meas hcow = derive(&ms[3], &ms[1], COW_PAGES);

		row("COW fault (derived)", &mcow, "host COW fault (derived)", &hcow);
	}
	row("fork+exit+wait, 1 MiB touched", &ms[0], "host fork+_exit+wait", &ms[1]);
	sys_munmap(c.addr, c.len);
	host_put(c.host, COW_PAGES * HOST_PAGE);

	pair(&c, mmsim_mmap_loop, host_mmap_loop, 1, ms);
	row("mmap+munmap (1 page)", &ms[0], "host mmap+munmap", &ms[1]);

	/* 10,000 VMAs that cannot merge (alternating protections). */
	c.nr_probe = 4096;
	c.probe = malloc(sizeof(*c.probe) * (size_t)c.nr_probe);
	{
		unsigned long base = anon_map(2 * NR_VMAS * PAGE_SIZE);
		uint64_t x = 88172645463325252ULL;
		char a[80];

		for (long i = 0; i < 2 * NR_VMAS; i += 2)
			sys_mprotect(base + (unsigned long)i * PAGE_SIZE, PAGE_SIZE, PROT_READ);
		for (long j = 0; j < c.nr_probe; j++) {
			x ^= x << 13, x ^= x >> 7, x ^= x << 17;
			c.probe[j] = base + (x % (2 * NR_VMAS)) * PAGE_SIZE;
		}
		ms[0] = (struct bench_meas)BENCH_MEAS(find_vma_loop, &c, c.nr_probe);
		bench_compare(ms, 1);
		printf("%-30s %-26s | no host reference; bench_vma compares the maple tree with an "
		       "rbtree\n", "find_vma, 10,000+ VMAs", bench_fmt_med(&ms[0], a, sizeof(a)));
		fflush(stdout);
		sys_munmap(base, 2 * NR_VMAS * PAGE_SIZE);
	}
	free(c.probe);

	if (totalram_pages() * PAGE_SIZE > FORK_BYTES + (FORK_BYTES >> 1)) {
		c.len = FORK_BYTES;
		c.addr = anon_map(c.len);
		touch_pages(c.addr, c.len);
		c.host = host_get(FORK_BYTES);
		c.write = false;
		pair(&c, mmsim_fork_loop, host_fork_loop, 1, ms);
		row("fork+exit+wait, 1 GiB touched", &ms[0], "host fork+_exit+wait", &ms[1]);
		sys_munmap(c.addr, c.len);
		host_put(c.host, FORK_BYTES);
	}
	sys_exit_group(0);
	mmsim_shutdown(c.m);
}

int main(void)
{
	const char *specs[] = { "arch=x86_64 ram=2G cpus=2", "arch=arm64 ram=2G cpus=2" };

	printf("bench_process: mmsim's process paths vs the host kernel's (same run)\n");
	printf("median of %d runs [range]; every host reference is the same operation (the host "
	       "also pays traps,\nsystem calls and real tasks); COW rows are derived: (fork with "
	       "writes - without) / pages,\nmedian and range of the per-round differences; "
	       "(xR) = mmsim median / host median\n", BENCH_REPS);
	bench_rule();
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		bench_arch(specs[i]);
	return 0;
}
