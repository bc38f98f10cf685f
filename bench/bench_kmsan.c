// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_kmsan.c - what kmsan=on costs a kmalloc user (docs/kmsan.md).
 *
 * Two machines in one process, the same spec but for kmsan=on; each loop
 * enters its machine (mmsim_enter) before its iterations, and the loops
 * take turns (bench_compare: median of 7 runs and range).  Rows:
 *   pair64        kmalloc(64)+kfree: kmsan=on | off
 *   pair64 zero   kzalloc(64)+kfree: kmsan=on | off
 *   page pair     alloc_page+__free_page: kmsan=on | off
 *   copy_to_user  of 256 initialised bytes: kmsan=on | off
 * With kmsan=on an allocation and a free each take a host backtrace and a
 * depot lookup (the origin), and write the object's shadow and origins;
 * with it off the only cost is the s->hooks test the fast path always
 * makes.  The build-time question (the code compiled in, kmsan off, vs
 * -DMMSIM_DEBUG_TOOLS=OFF) is bench_slab's pair64 in the two builds.
 */
#include "bench_common.h"
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/syscalls.h>
#include <mmsim/sched.h>
#include <mmsim/err.h>

struct side {
	struct mmsim *m;
	unsigned long ubuf;	/* a user buffer of the side's task */
	char *kbuf;		/* 256 initialised bytes */
};

static void enter(struct side *s)
{
	if (mmsim_current() != s->m)
		mmsim_enter(s->m, 0);
}

static void loop_pair(void *ctx, long iters)
{
	enter(ctx);
	for (long i = 0; i < iters; i++) {
		void *p = kmalloc(64, GFP_KERNEL);

		bench_keep(p);
		kfree(p);
	}
}

static void loop_zpair(void *ctx, long iters)
{
	enter(ctx);
	for (long i = 0; i < iters; i++) {
		void *p = kzalloc(64, GFP_KERNEL);

		bench_keep(p);
		kfree(p);
	}
}

static void loop_page(void *ctx, long iters)
{
	enter(ctx);
	for (long i = 0; i < iters; i++) {
		struct page *p = alloc_page(GFP_KERNEL);

		bench_keep(p);
		__free_page(p);
	}
}

static void loop_copy(void *ctx, long iters)
{
	struct side *s = ctx;

	enter(s);
	for (long i = 0; i < iters; i++)
		bench_keep((void *)copy_to_user(s->ubuf, s->kbuf, 256));
}

static int setup(struct side *s, const char *spec)
{
	struct task_struct *t;

	s->m = mmsim_boot(spec);
	if (!s->m) {
		fprintf(stderr, "boot '%s': %s\n", spec, mmsim_last_error());
		return -1;
	}
	t = mmsim_spawn(s->m, "bench");
	if (!t || mmsim_switch_to(t))
		return -1;
	s->ubuf = sys_mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	s->kbuf = kzalloc(256, GFP_KERNEL);
	return IS_ERR_VALUE(s->ubuf) || !s->kbuf ? -1 : 0;
}

int main(void)
{
	static const struct {
		const char *label;
		bench_fn fn;
	} rows[] = {
		{ "pair64 kmalloc+kfree", loop_pair },
		{ "pair64 kzalloc+kfree", loop_zpair },
		{ "alloc_page+__free_page", loop_page },
		{ "copy_to_user 256 B", loop_copy },
	};
	struct side on, off;

	if (setup(&off, "arch=x86_64 ram=256M cpus=1") ||
	    setup(&on, "arch=x86_64 ram=256M cpus=1 kmsan=on"))
		return 1;
	printf("bench_kmsan: kmsan=on against off, same spec, median of %d [range]\n",
	       BENCH_REPS);
	bench_rule();
	for (size_t i = 0; i < ARRAY_SIZE(rows); i++) {
		struct bench_meas ms[2] = {
			BENCH_MEAS(rows[i].fn, &on, 1),
			BENCH_MEAS(rows[i].fn, &off, 1),
		};

		bench_compare(ms, 2);
		bench_row_med(rows[i].label, &ms[0], "kmsan=off", &ms[1], "");
	}
	return 0;
}
