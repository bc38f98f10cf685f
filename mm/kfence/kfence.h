/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/kfence/kfence.h - KFENCE's internal types, shared by mm/kfence/core.c
 * (the pool, allocation, free, the fault) and mm/kfence/report.c (the
 * reports and the debugfs object list).  Linux's mm/kfence/kfence.h.
 */
#ifndef MMSIM_MM_KFENCE_H
#define MMSIM_MM_KFENCE_H

#include <mmsim/kfence.h>
#include <mmsim/spinlock.h>
#include <mmsim/list.h>
#include "mm/slab.h"

#define KFENCE_STACK_DEPTH	64

/* Canary bytes: 0xaa XOR the low three bits of the byte's address. */
#define KFENCE_CANARY_PATTERN_U8(addr)	((u8)0xaa ^ (u8)((unsigned long)(addr) & 0x7))

enum kfence_object_state {
	KFENCE_OBJECT_UNUSED,		/* never allocated */
	KFENCE_OBJECT_ALLOCATED,	/* in use */
	KFENCE_OBJECT_FREED,		/* freed, page protected */
};

/* Who allocated or freed an object, and when. */
struct kfence_track {
	pid_t pid;			/* the task, or the machine's pid in kernel context */
	int cpu;			/* the simulated CPU */
	u64 ts_nsec;			/* virtual time */
	int num_stack_entries;
	void *stack_entries[KFENCE_STACK_DEPTH];	/* host return addresses */
};

/*
 * One object slot.  @lock protects every field but @list (the freelist's
 * lock); the fault handler takes it on the signal stack, so nothing holds
 * it while touching a protected page.
 */
struct kfence_metadata {
	struct list_head list;		/* on the freelist (freelist_lock) */
	spinlock_t lock;
	enum kfence_object_state state;
	unsigned long addr;		/* host address of the object (page address when unused) */
	size_t size;			/* bytes asked for */
	struct kmem_cache *cache;	/* NULL: its cache was destroyed */
	unsigned long unprotected_page;	/* a guard page a fault opened (host), 0: none */
	struct kfence_track alloc_track, free_track;
	u32 alloc_stack_hash;
};

enum kfence_counter_id {
	KFENCE_COUNTER_ALLOCATED,
	KFENCE_COUNTER_ALLOCS,
	KFENCE_COUNTER_FREES,
	KFENCE_COUNTER_ZOMBIES,
	KFENCE_COUNTER_BUGS,
	KFENCE_COUNTER_SKIP_INCOMPAT,
	KFENCE_COUNTER_SKIP_CAPACITY,
	KFENCE_COUNTER_SKIP_COVERED,
	KFENCE_COUNTER_COUNT,
};

enum kfence_error_type {
	KFENCE_ERROR_OOB,
	KFENCE_ERROR_UAF,
	KFENCE_ERROR_CORRUPTION,
	KFENCE_ERROR_INVALID,
	KFENCE_ERROR_INVALID_FREE,
};

/* Linux's ALLOC_COVERED_*: a counting Bloom filter of allocation stacks. */
#define ALLOC_COVERED_HNUM	2
#define ALLOC_COVERED_ORDER	9	/* ilog2(CONFIG_KFENCE_NUM_OBJECTS) + 2 */
#define ALLOC_COVERED_SIZE	(1 << ALLOC_COVERED_ORDER)

/* Per machine (subsystem "kfence"). */
struct kfence_state {
	unsigned long sample_interval;	/* kfence.sample_interval=, ms; 0: off */
	int skip_covered_thresh;	/* kfence.skip_covered_thresh=, percent of the pool */
	bool enabled;			/* the pool is set up (kfence_enabled) */
	char *pool;			/* host address of the pool (direct map), or NULL */
	size_t pool_size;		/* bytes */
	struct kfence_metadata *meta;	/* [CONFIG_KFENCE_NUM_OBJECTS], or NULL */
	spinlock_t freelist_lock;
	struct list_head freelist;	/* least recently freed first */
	atomic_ulong next_gate_ns;	/* virtual time the gate next opens */
	atomic_ulong rand;		/* xorshift state: left or right */
	atomic_long counters[KFENCE_COUNTER_COUNT];
	atomic_int alloc_covered[ALLOC_COVERED_SIZE];
};

struct kfence_state *kfence_state_of(struct mmsim *m);

static inline long kfence_meta_index(const struct kfence_state *st, const struct kfence_metadata *m)
{
	return m - st->meta;
}

/* mm/kfence/report.c */
void kfence_report_error(struct kfence_state *st, unsigned long address, bool is_write,
			 unsigned long ip, void *const *frames, int nr_frames,
			 const struct kfence_metadata *meta, enum kfence_error_type type);
void kfence_print_object(struct seq_file *seq, struct kfence_state *st,
			 const struct kfence_metadata *meta);

#endif
