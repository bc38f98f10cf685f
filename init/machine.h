/* SPDX-License-Identifier: GPL-2.0 */
/*
 * init/machine.h - struct mmsim, the machine that ties the subsystems
 * together, and struct cpu_state, the kernel's per-CPU area.
 *
 * A machine is its hardware (struct machine_hw, arch/machine.h, the first
 * member so that current_layout and current_hw() point at the same
 * place), the kernel's core globals that Linux keeps as plain variables in
 * mm/ and kernel/ (memblock, the node data, the page totals, the vm
 * sysctls, the log), and one block of state per registered subsystem
 * (init/init.h: subsys_state()).  Everything Linux would keep in a global
 * variable lives here, found through the calling thread's CPU
 * (current_cpu), so several machines can live in one process.
 *
 * Lifetime: init/main.c allocates it in mmsim_boot() and frees it in
 * mmsim_shutdown(); nothing else does.  Internal: not installed.
 *
 * Invariants:
 *   - (void *)m == (void *)&m->hw and (void *)c == (void *)&c->hw for every
 *     machine m and CPU c (arch/ relies on both);
 *   - cpus[i].hw.id == cpus[i].id == i, cpus[i].m == m, cpus[i].hw.hw == &m->hw;
 *   - subsys_state[i] != NULL iff subsystems[i]->state_size != 0.
 */
#ifndef MMSIM_INIT_MACHINE_H
#define MMSIM_INIT_MACHINE_H

#include <pthread.h>
#include "arch/machine.h"
#include "init/init.h"

/* Sysctls of the vm layer (/proc/sys/vm), owned by mm/page_alloc.c. */
struct vm_sysctls {
	int min_free_kbytes;
	int user_min_free_kbytes;	/* -1 until written */
	int watermark_scale_factor;
	int watermark_boost_factor;
	int lowmem_reserve_ratio[MAX_NR_ZONES];
	int percpu_pagelist_high_fraction;
	int extfrag_threshold;
};

/* Linux's struct fault_attr (lib/fault-inject.c): the knobs of one injector. */
struct fault_attr {
	unsigned long probability;	/* percent */
	unsigned long interval;
	long times;			/* -1 = no limit */
	long space;
	unsigned long verbose;
	bool ignore_gfp_highmem;
	bool ignore_gfp_reclaim;
	unsigned int min_order;
	unsigned long count;		/* calls seen */
	unsigned long nr_injected;
	uint64_t rng;			/* xorshift state, from seed */
};

/*
 * One simulated CPU's per-CPU area.  The hardware part comes first; the
 * rest is the kernel's (Linux's cpu_number and numa_node per-CPU
 * variables, the event counters, a shortcut to the slab state).
 */
struct cpu_state {
	struct cpu_hw hw;		/* first: arch/ sees only this */
	struct mmsim *m;
	struct slab_globals *slab;	/* subsys_state(m, slab), one load nearer kmalloc */
	int id;				/* == hw.id */
	int node;			/* cpu_to_node() */
	atomic_int state;		/* CPU_FREE, CPU_ENTERED, CPU_BORROWED */
	struct task_struct *curr;	/* current: the task this CPU runs, or NULL (kernel/sched.c) */
	unsigned int memalloc_flags;	/* PF_MEMALLOC while this CPU reclaims (memalloc_noreclaim_save);
					 * PF_KSWAPD while it runs kswapd */
	unsigned long vm_events[NR_VM_EVENT_ITEMS];	/* owner-written, relaxed */
} __attribute__((aligned(64)));

enum { CPU_FREE, CPU_ENTERED, CPU_BORROWED };

/* kernel/printk.c: the log. */
struct log_record {
	uint64_t seq;
	uint64_t ts_ns;			/* virtual time */
	int level;			/* 0..7 */
	char *text;			/* one line, no newline */
};

/*
 * The records are a ring: recs[(first + i) % cap] for i < nr, oldest first,
 * with seq first_seq + i.  @bytes counts them as Linux's ring buffer does
 * (kernel/printk.c: log_record_size()) and stays within log_buf_len.
 */
struct printk_log {
	pthread_mutex_t lock;
	struct log_record *recs;
	size_t first, nr, cap;
	size_t bytes;			/* record bytes in the ring */
	uint64_t next_seq;		/* seq of the next record; never reused */
	char cont[1024];		/* a line being built with KERN_CONT */
	size_t cont_len;
	int cont_level;
	const void *once_keys[256];	/* WARN_ONCE keys already fired */
	int nr_once;
};

struct slab_globals;	/* mm/slab.h */
struct kmsan_state;	/* mm/kmsan/kmsan.h */

struct mmsim {
	struct machine_hw hw;		/* first: the hardware (arch/) */
	char *spec;			/* the command line as given */

	/* The kernel's per-CPU areas. */
	int nr_cpus;			/* nr_cpu_ids */
	struct cpu_state *cpus;		/* [nr_cpus] */
	pthread_mutex_t cpu_lock;	/* serializes drain_all_pages() */

	/* Per-machine state of the registered subsystems (init/init.h). */
	void **subsys_state;		/* [nr_subsystems] */
	unsigned int nr_initcalls_done;	/* how many initcalls ran (for the exits) */
	const struct initcall **initcalls_done;	/* [that many], in order */

	/* mm core state (Linux globals of mm/). */
	struct memblock_state mb;	/* Linux's global `memblock` */
	pg_data_t *node_data[MAX_NUMNODES];
	int nr_nodes;
	atomic_long_t totalram_pages;	/* managed pages of all zones */
	unsigned long totalcma_pages;	/* pages of the CMA areas (mm/cma.c) */
	unsigned long totalreserve_pages;
	atomic_long_t totalhigh_pages;
	unsigned long physpages;	/* present pages */
	unsigned long nr_kernel_pages, nr_all_pages;
	bool page_group_by_mobility_disabled;
	unsigned long max_zone_pfn[MAX_NR_ZONES];
	unsigned long zone_movable_pfn[MAX_NUMNODES];
	struct vm_sysctls vm;
	struct fault_attr fail_page_alloc;	/* read on every allocation */
	bool buddy_up;			/* memblock_free_all() ran: allocate from the buddy */
	bool booted;			/* boot finished: memblock allocations are over */
	bool init_on_alloc, init_on_free;
	bool page_owner;		/* page_owner=on: mm/page_owner.c records every allocation */
	bool kasan;			/* kasan=on and its shadow mapped (mm/kasan/init.c) */
	struct kmsan_state *kmsan;	/* kmsan=on: mm/kmsan/ metadata; NULL when off */
	char *kfence_pool;		/* mm/kfence/core.c: the pool's host address; NULL: KFENCE off */
	bool debug_pagealloc;		/* debug_pagealloc=on: mm/debug_page_alloc.c */
	bool page_poisoning;		/* page_poison=on: mm/page_poison.c */

	/* Kernel. */
	struct printk_log log;
	atomic_ulong taint;
	atomic_bool halted;		/* panic() ran: entry points refuse (kernel/panic.c) */
	char comm[16];			/* "current" task name for splats */
	int pid;
};

_Static_assert(offsetof(struct mmsim, hw) == 0, "arch/ finds the hardware at the machine");
_Static_assert(offsetof(struct cpu_state, hw) == 0, "arch/ finds cpu_hw at the per-CPU area");

static inline struct mmsim *current_machine(void)
{
	return current_cpu ? current_cpu->m : NULL;
}

/* init/main.c: the CPU hand-over remote operations use (drain_all_pages). */
bool cpu_borrow(struct cpu_state *c);
void cpu_return(struct cpu_state *c);

/* kernel/printk.c */
void printk_init(struct printk_log *log);
void printk_free(struct printk_log *log);
char *printk_render_dmesg(struct mmsim *m);
char *printk_render_dmesg_since(struct mmsim *m, uint64_t *seq);

/* kernel/oops.c: panic_on_oops= (or oops=panic) was given to @m. */
bool oops_panics(struct mmsim *m);

/* The @i-th record still in the log, oldest first (@i < log->nr); under log->lock. */
static inline struct log_record *log_record_at(const struct printk_log *log, size_t i)
{
	return &log->recs[(log->first + i) % log->cap];
}

#endif
