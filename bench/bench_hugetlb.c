// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_hugetlb.c - a hugetlb fault against the base-page faults of
 * the same range, in the same run:
 *
 *   hugetlb, one fault   mmap of one huge page (MAP_HUGETLB: its
 *                        reservation), a write to each 4K of it through
 *                        the simulated MMU (mmsim_user_write: the first
 *                        faults and maps a zeroed huge page with one PMD
 *                        leaf, the others hit the TLB's huge entry),
 *                        munmap (the leaf cleared, flushed, the page back
 *                        in the pool).
 *   base pages           the same on an anonymous mapping of the same
 *                        size: 512 demand-zero faults (x86_64; 2M / 4K),
 *                        each a zeroed page, a PTE, rmap and RSS.
 *   host                 the host kernel's anonymous mmap of the same size
 *                        with the same writes (THP as the host has it).
 *
 * A row prints the median ns per iteration (one mapping) of BENCH_REPS
 * timed runs and their range; the ratio is against the base-page row (the
 * host row against it too).  Method: bench/bench_common.h.
 */
#include "bench_common.h"
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/hugetlb.h>

struct ctx {
	unsigned long len;		/* one huge page */
};

static void touch_all(unsigned long va, unsigned long len)
{
	char c = 1;

	for (unsigned long off = 0; off < len; off += PAGE_SIZE)
		if (mmsim_user_write(va + off, &c, 1))
			abort();
}

static void hugetlb_loop(void *p, long iters)
{
	struct ctx *c = p;

	for (long i = 0; i < iters; i++) {
		unsigned long va = sys_mmap(0, c->len, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB,
					    (unsigned long)-1, 0);

		if (IS_ERR_VALUE(va))
			abort();
		touch_all(va, c->len);
		sys_munmap(va, c->len);
	}
}

static void base_loop(void *p, long iters)
{
	struct ctx *c = p;

	for (long i = 0; i < iters; i++) {
		unsigned long va = sys_mmap(0, c->len, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, (unsigned long)-1, 0);

		if (IS_ERR_VALUE(va))
			abort();
		touch_all(va, c->len);
		sys_munmap(va, c->len);
	}
}

static void host_loop(void *p, long iters)
{
	struct ctx *c = p;

	for (long i = 0; i < iters; i++) {
		char *a = mmap(NULL, c->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (a == MAP_FAILED)
			abort();
		for (unsigned long off = 0; off < c->len; off += HOST_PAGE)
			((volatile char *)a)[off] = 1;
		bench_keep(a);
		munmap(a, c->len);
	}
}

static void bench_arch(const char *spec)
{
	struct mmsim *m = mmsim_boot(spec);
	struct bench_meas ms[3];
	struct ctx c;
	char a[80], b[80], r[32], label[64];
	struct task_struct *t;

	if (!m) {
		fprintf(stderr, "boot '%s': %s\n", spec, mmsim_last_error());
		exit(1);
	}
	t = mmsim_spawn(m, "bench");
	if (!t || mmsim_switch_to(t))
		exit(1);
	c.len = huge_page_size_default();
	printf("%s: one %lu kB page, %lu base pages of %lu kB\n", spec, c.len >> 10,
	       c.len / PAGE_SIZE, PAGE_SIZE >> 10);
	ms[0] = (struct bench_meas)BENCH_MEAS(hugetlb_loop, &c, 1);
	ms[1] = (struct bench_meas)BENCH_MEAS(base_loop, &c, 1);
	ms[2] = (struct bench_meas)BENCH_MEAS(host_loop, &c, 1);
	bench_compare(ms, 3);
	snprintf(label, sizeof(label), "hugetlb: 1 fault + %lu hits", c.len / PAGE_SIZE - 1);
	printf("%-34s %-26s | %-22s %-26s (%s)\n", label, bench_fmt_med(&ms[0], a, sizeof(a)),
	       "base pages", bench_fmt_med(&ms[1], b, sizeof(b)),
	       bench_fmt_ratio(ms[0].med_ns / ms[1].med_ns, r, sizeof(r)));
	printf("%-34s %-26s | %-22s %-26s (%s)\n", "host anonymous (same writes)",
	       bench_fmt_med(&ms[2], a, sizeof(a)), "base pages",
	       bench_fmt_med(&ms[1], b, sizeof(b)),
	       bench_fmt_ratio(ms[2].med_ns / ms[1].med_ns, r, sizeof(r)));
	fflush(stdout);
	sys_exit_group(0);
	mmsim_shutdown(m);
}

int main(void)
{
	const char *specs[] = { "arch=x86_64 ram=256M cpus=2 hugepages=4",
				"arch=arm64 ram=256M cpus=2 hugepages=4" };

	printf("bench_hugetlb: mmap + a write to each 4K + munmap of one huge page: hugetlb "
	       "against base pages\n");
	printf("median of %d runs [range] per mapping; (xR) = row median / base-page median\n",
	       BENCH_REPS);
	bench_rule();
	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++)
		bench_arch(specs[i]);
	return 0;
}
