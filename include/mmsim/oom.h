/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oom.h - the OOM killer (mm/oom_kill.c), Linux's <linux/oom.h> names.
 * out_of_memory() is called from the page allocator's slow path
 * (__alloc_pages_may_oom) when reclaim makes no progress, from
 * pagefault_out_of_memory() for a VM_FAULT_OOM, and from sysrq 'f'.
 */
#ifndef MMSIM_OOM_H
#define MMSIM_OOM_H

#include <stdbool.h>
#include <mmsim/types.h>
#include <mmsim/gfp.h>

struct task_struct;
struct zonelist;
struct mm_struct;

#define OOM_SCORE_ADJ_MIN	(-1000)
#define OOM_SCORE_ADJ_MAX	1000
/* The legacy /proc/PID/oom_adj scale. */
#define OOM_DISABLE		(-17)
#define OOM_ADJUST_MIN		(-16)
#define OOM_ADJUST_MAX		15

enum oom_constraint {
	CONSTRAINT_NONE,
	CONSTRAINT_CPUSET,
	CONSTRAINT_MEMORY_POLICY,
	CONSTRAINT_MEMCG,
};

struct oom_control {
	struct zonelist *zonelist;	/* the allocation's, or NULL (sysrq, page fault) */
	const unsigned long *nodemask;	/* NULL: all nodes */
	void *memcg;			/* always NULL: no memory cgroups */
	gfp_t gfp_mask;			/* the failing allocation's; 0 for sysrq */
	int order;			/* -1: sysrq (forced), else the allocation's order */
	/* Filled in by out_of_memory: */
	unsigned long totalpages;	/* RAM + swap pages the badness scales against */
	struct task_struct *chosen;	/* the victim */
	long chosen_points;
	enum oom_constraint constraint;
};

/* Choose and kill a victim (or panic, per vm.panic_on_oom); true if memory
 * will be freed (a victim was killed or one is already dying). */
bool out_of_memory(struct oom_control *oc);
/* The badness of @p: RSS + swap entries + page tables (pages), plus
 * oom_score_adj * totalpages / 1000; LONG_MIN if it must not be killed. */
long oom_badness(struct task_struct *p, unsigned long totalpages);
/* RAM + swap pages (the totalpages of /proc/PID/oom_score). */
unsigned long oom_totalpages(void);
/* A page fault returned VM_FAULT_OOM. */
void pagefault_out_of_memory(void);
/* Is @t being killed by the OOM killer (a fatal signal pending from it)? */
bool tsk_is_oom_victim(struct task_struct *t);
/* The OOM victims' records are consistent (tests; WARN + false if not). */
struct mmsim;
bool oom_victims_are_valid(struct mmsim *m);

#endif
