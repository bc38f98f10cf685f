// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_segment.c - what a segmented access costs on top of the
 * paging path (arch/segment.c, docs/segmentation.md): 16 pages that hit
 * the L1 TLB, translated
 *
 *   flat        mmu_translate(va) alone: the path every flat access takes
 *               (the reference, measured in the same rounds);
 *   DS flat     seg_translate(DS, va) then mmu_translate(linear): the
 *               segment checks of Linux's flat __USER_DS in front;
 *   LDT base    the same through an LDT data segment with a base and a
 *               limit (ES), where the checks and the base matter.
 *
 * On i386 (protected mode) and x86_64 (64-bit mode: DS is not checked,
 * only the canonical test; FS with an arch_prctl base stands in for the
 * LDT row).  Method: bench/bench_common.h.
 */
#include "bench_common.h"
#include <mmsim/segment.h>
#include <mmsim/syscalls.h>
#include <mmsim/sched.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>

#define NPAGES	16
#define BASE	0x10000000UL

struct ctx {
	unsigned long va[NPAGES];	/* the pages' addresses (flat offsets) */
	unsigned long off[NPAGES];	/* their offsets in the based segment */
	int reg;			/* the based row's register */
};

static void flat_loop(void *p, long iters)
{
	struct ctx *c = p;

	for (long i = 0; i < iters; i++)
		for (int j = 0; j < NPAGES; j++) {
			phys_addr_t pa;

			mmu_translate(c->va[j], MMU_READ | MMU_USER, &pa, NULL);
			bench_keep((void *)(uintptr_t)pa);
		}
}

static void seg_loop(const unsigned long *offs, int reg, long iters)
{
	for (long i = 0; i < iters; i++)
		for (int j = 0; j < NPAGES; j++) {
			unsigned long lin;
			phys_addr_t pa;

			seg_translate(reg, offs[j], 8, MMU_READ, &lin, NULL);
			mmu_translate(lin, MMU_READ | MMU_USER, &pa, NULL);
			bench_keep((void *)(uintptr_t)pa);
		}
}

static void ds_loop(void *p, long iters)
{
	struct ctx *c = p;

	seg_loop(c->va, SEG_DS, iters);
}

static void based_loop(void *p, long iters)
{
	struct ctx *c = p;

	seg_loop(c->off, c->reg, iters);
}

static void row(const char *label, const struct bench_meas *m, const struct bench_meas *ref)
{
	char a[96], b[96], r[32];

	bench_fmt_med(m, a, sizeof(a));
	bench_fmt_med(ref, b, sizeof(b));
	printf("  %-26s %26s | flat %24s (%s)\n", label, a, b,
	       bench_fmt_ratio(m->med_ns / ref->med_ns, r, sizeof(r)));
	fflush(stdout);
}

static void bench_arch(const char *spec)
{
	struct mmsim *m = mmsim_boot(spec);
	struct task_struct *t;
	struct ctx c = { .reg = SEG_DS };
	unsigned char byte = 1;
	bool x32;

	if (!m || !(t = mmsim_spawn(m, "bench")) || mmsim_switch_to(t)) {
		fprintf(stderr, "bench_segment: boot '%s' failed: %s\n", spec, mmsim_last_error());
		exit(1);
	}
	x32 = seg_x86_32();
	if (IS_ERR_VALUE(sys_mmap(BASE, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0)))
		exit(1);
	for (int j = 0; j < NPAGES; j++) {
		c.off[j] = (unsigned long)j * PAGE_SIZE;
		c.va[j] = BASE + c.off[j];
		mmsim_user_write(c.va[j], &byte, 1);
	}
	if (x32) {
		struct user_desc u = { .entry_number = 0, .base_addr = BASE,
				       .limit = NPAGES * PAGE_SIZE - 1, .seg_32bit = 1 };

		if (sys_modify_ldt(0x11, &u, sizeof(u)) || seg_user_load(SEG_ES, LDT_SELECTOR(0)))
			exit(1);
		c.reg = SEG_ES;
	} else {
		if (sys_arch_prctl(ARCH_SET_FS, BASE))
			exit(1);
		c.reg = SEG_FS;
	}
	printf("%s\n", spec);
	{
		struct bench_meas ms[3] = {
			BENCH_MEAS(flat_loop, &c, NPAGES),
			BENCH_MEAS(ds_loop, &c, NPAGES),
			BENCH_MEAS(based_loop, &c, NPAGES),
		};

		bench_compare(ms, 3);
		row(x32 ? "DS flat (__USER_DS)" : "DS (64-bit mode)", &ms[1], &ms[0]);
		row(x32 ? "ES LDT base+limit" : "FS arch_prctl base", &ms[2], &ms[0]);
	}
	sys_exit_group(0);
	mmsim_shutdown(m);
}

int main(void)
{
	printf("Segmented access: ns per access (segment check + translation) on L1 TLB hits,\n"
	       "median of %d runs [range], against mmu_translate alone (flat)\n", BENCH_REPS);
	bench_rule();
	bench_arch("arch=i386 ram=64M cpus=1");
	bench_arch("arch=x86_64 ram=64M cpus=1");
	return 0;
}
