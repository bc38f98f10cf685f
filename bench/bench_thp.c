// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_thp.c - transparent huge pages (mm/huge_memory.c) against
 * base pages, in a simulated process on x86_64:
 *
 *   fault 2 MiB   one THP fault (do_huge_pmd_anonymous_page: a 2 MiB
 *                 folio zeroed, one PMD leaf) and 511 TLB-hit writes,
 *                 against 512 base-page faults (do_anonymous_page) of the
 *                 same 2 MiB; each loop then zaps the range
 *                 (MADV_DONTNEED), so a run repeats the fault.  A write
 *                 to every page either way, so both do the same user work.
 *   TLB reach     random reads (mmu_translate) over a 64 MiB region,
 *                 larger than the L2 TLB's base-page reach (1536 x 4K = 6
 *                 MiB), mapped by 32 PMD leaves against 16384 PTEs:
 *                 translations per second, and per translation the TLB
 *                 counters (L1 hits, L2 hits, page walks) from
 *                 tlb_get_stats.
 *
 * Each row prints the median ns of BENCH_REPS timed runs and their range
 * (bench_fmt_med), the THP loop and the base-page loop timed in the same
 * rounds (bench_compare), and the ratio THP / base pages: below 1, THP is
 * faster.  Method: bench/bench_common.h.
 */
#include "bench_common.h"
#include <mmsim/huge_mm.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/mmu.h>

#define REACH_HUGE	32		/* 64 MiB */
#define NR_ADDRS	4096

struct ctx {
	unsigned long va;		/* PMD-aligned region */
	unsigned long nr_huge;
	unsigned long addrs[NR_ADDRS];	/* random addresses in it */
	struct tlb_stats before;
};

static unsigned long map_aligned(unsigned long nr_huge, int advice)
{
	unsigned long len = nr_huge * HPAGE_PMD_SIZE;
	unsigned long va = sys_mmap(0, len + HPAGE_PMD_SIZE, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, (unsigned long)-1, 0);
	unsigned long start;

	if (IS_ERR_VALUE(va)) {
		fprintf(stderr, "bench_thp: mmap failed\n");
		exit(1);
	}
	start = ALIGN(va, HPAGE_PMD_SIZE);
	if (sys_madvise(start, len, advice)) {
		fprintf(stderr, "bench_thp: madvise failed\n");
		exit(1);
	}
	return start;
}

/* Write a byte into every page of the 2 MiB at c->va, then zap it. */
static void fault_loop(void *p, long iters)
{
	struct ctx *c = p;
	char b = 1;

	for (long i = 0; i < iters; i++) {
		for (unsigned long off = 0; off < HPAGE_PMD_SIZE; off += PAGE_SIZE)
			if (mmsim_user_write(c->va + off, &b, 1)) {
				fprintf(stderr, "bench_thp: write failed\n");
				exit(1);
			}
		sys_madvise(c->va, HPAGE_PMD_SIZE, MADV_DONTNEED);
	}
}

static void reach_loop(void *p, long iters)
{
	struct ctx *c = p;

	for (long i = 0; i < iters; i++)
		for (int j = 0; j < NR_ADDRS; j++) {
			phys_addr_t pa;

			mmu_translate(c->addrs[j], MMU_READ | MMU_USER, &pa, NULL);
			bench_keep((void *)(uintptr_t)pa);
		}
}

static void row(const char *label, const struct bench_meas *thp, const struct bench_meas *base,
		const char *extra)
{
	char a[96], b[96], r[32];

	bench_fmt_med(thp, a, sizeof(a));
	bench_fmt_med(base, b, sizeof(b));
	printf("  %-14s THP %24s | base pages %24s (%s)%s\n", label, a, b,
	       bench_fmt_ratio(thp->med_ns / base->med_ns, r, sizeof(r)), extra);
	fflush(stdout);
}

static void prefault(struct ctx *c)
{
	char b = 1;

	for (unsigned long off = 0; off < c->nr_huge * HPAGE_PMD_SIZE; off += PAGE_SIZE)
		if (mmsim_user_write(c->va + off, &b, 1)) {
			fprintf(stderr, "bench_thp: prefault failed\n");
			exit(1);
		}
}

/* TLB counters per translation of one pass over the addresses. */
static void tlb_profile(struct mmsim *m, struct ctx *c, char *out, size_t len)
{
	struct tlb_stats a, b;
	double n = NR_ADDRS;

	reach_loop(c, 1);		/* warm */
	tlb_get_stats(m, smp_processor_id(), &a);
	reach_loop(c, 1);
	tlb_get_stats(m, smp_processor_id(), &b);
	snprintf(out, len, "L1 %.2f L2 %.2f walks %.2f per translation",
		 (double)(b.l1_hits - a.l1_hits) / n, (double)(b.l2_hits - a.l2_hits) / n,
		 (double)(b.walks - a.walks) / n);
}

int main(void)
{
	struct mmsim *m = mmsim_boot("arch=x86_64 ram=512M");
	struct task_struct *t;
	struct ctx *thp = calloc(1, sizeof(*thp)), *base = calloc(1, sizeof(*base));
	char extra_thp[96], extra_base[96], line[256];
	unsigned long seed = 42;

	if (!m || !thp || !base) {
		fprintf(stderr, "bench_thp: boot failed: %s\n", m ? "" : mmsim_last_error());
		return 1;
	}
	t = mmsim_spawn(m, "bench_thp");
	if (!t || mmsim_switch_to(t)) {
		fprintf(stderr, "bench_thp: no process\n");
		return 1;
	}
	printf("THP against base pages (x86_64, enabled=madvise, MADV_HUGEPAGE / MADV_NOHUGEPAGE):\n"
	       "median of %d runs [range]; (ratio THP / base pages: below 1, THP is faster)\n",
	       BENCH_REPS);
	bench_rule();

	thp->nr_huge = base->nr_huge = 1;
	thp->va = map_aligned(1, MADV_HUGEPAGE);
	base->va = map_aligned(1, MADV_NOHUGEPAGE);
	{
		struct bench_meas ms[2] = {
			BENCH_MEAS(fault_loop, thp, 1),
			BENCH_MEAS(fault_loop, base, 1),
		};

		bench_compare(ms, 2);
		row("fault 2 MiB", &ms[0], &ms[1], " per 2 MiB, touch + zap");
	}

	thp->nr_huge = base->nr_huge = REACH_HUGE;
	thp->va = map_aligned(REACH_HUGE, MADV_HUGEPAGE);
	base->va = map_aligned(REACH_HUGE, MADV_NOHUGEPAGE);
	prefault(thp);
	prefault(base);
	for (int j = 0; j < NR_ADDRS; j++) {
		unsigned long off;

		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		off = ((seed >> 17) % (REACH_HUGE * HPAGE_PMD_SIZE)) & ~7UL;
		thp->addrs[j] = thp->va + off;
		base->addrs[j] = base->va + off;
	}
	{
		struct bench_meas ms[2] = {
			BENCH_MEAS(reach_loop, thp, NR_ADDRS),
			BENCH_MEAS(reach_loop, base, NR_ADDRS),
		};

		bench_compare(ms, 2);
		snprintf(line, sizeof(line), "; %.1f vs %.1f M translations/s", 1e3 / ms[0].med_ns,
			 1e3 / ms[1].med_ns);
		row("TLB reach 64M", &ms[0], &ms[1], line);
	}
	tlb_profile(m, thp, extra_thp, sizeof(extra_thp));
	tlb_profile(m, base, extra_base, sizeof(extra_base));
	printf("  %-14s THP: %s\n  %-14s base pages: %s\n", "", extra_thp, "", extra_base);
	sys_exit_group(0);
	mmsim_shutdown(m);
	free(thp);
	free(base);
	return 0;
}
