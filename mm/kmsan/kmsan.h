/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/kmsan/kmsan.h - what the files of mm/kmsan/ share (Linux's
 * mm/kmsan/kmsan.h): the per-machine state, the metadata of a byte, the
 * stack depot and its handles, the runtime guard.
 */
#ifndef MM_KMSAN_KMSAN_H
#define MM_KMSAN_KMSAN_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <mmsim/kmsan.h>
#include "mm/internal.h"

#ifdef CONFIG_KMSAN

/*
 * Every function of the runtime lives in its own section: a stack saved or
 * printed skips the frames inside it (Linux skips kmsan_* and __msan_*
 * by name; the section also covers functions the host cannot name).
 */
#define __kmsan_runtime	__attribute__((section("kmsan_text"), __noinline__))

#define KMSAN_STACK_DEPTH	16	/* frames kept per stack (Linux: 64) */
#define KMSAN_ORIGIN_SIZE	4	/* bytes per origin slot, as Linux */
#define KMSAN_MAX_ORIGIN_DEPTH	7	/* chained origins kept, as Linux */
#define KMSAN_POISON		0xff	/* shadow byte of an uninitialised byte */

/*
 * A handle (Linux's depot_stack_handle_t with KMSAN's extra bits):
 * bits 0-23 the depot record (1-based; 0 = none), bits 24-27 the chain
 * depth, bit 28 "poisoned by a free" (the report says ...-after-free).
 */
typedef u32 kmsan_handle_t;
#define KMSAN_HANDLE_INDEX_MASK	0x00ffffffu
#define KMSAN_HANDLE_DEPTH_SHIFT 24
#define KMSAN_HANDLE_UAF	(1u << 28)

static inline unsigned int kmsan_handle_depth(kmsan_handle_t h)
{
	return (h >> KMSAN_HANDLE_DEPTH_SHIFT) & 0xf;
}

/* A depot record: a stack, or a chain link (Linux's KMSAN_CHAIN_MAGIC_ORIGIN). */
struct kmsan_stack {
	u32 hash;
	u32 next;			/* next record in its bucket (index, 0 = end) */
	u16 nr_entries;
	u16 chain;			/* a chain link: entries[0] = stack, [1] = older origin */
	unsigned long entries[KMSAN_STACK_DEPTH];
};

#define KMSAN_DEPOT_BUCKETS	(1u << 16)

struct kmsan_state {
	bool on;			/* kmsan=on on the command line */
	/* The metadata: byte i of RAM above base_pfn (physical address
	 * PFN_PHYS(base_pfn) + i) has shadow[i] and origin[i / 4]. */
	unsigned long base_pfn, nr_pfns;
	size_t bytes;			/* nr_pfns << PAGE_SHIFT */
	u8 *shadow;			/* [bytes], MAP_NORESERVE */
	u32 *origin;			/* [bytes / 4], MAP_NORESERVE */
	/* The stack depot (written under depot_lock, read unlocked once
	 * published: records never change after their handle is out). */
	pthread_mutex_t depot_lock;
	struct kmsan_stack *stacks;	/* [max_stacks], MAP_NORESERVE */
	u32 nr_stacks, max_stacks;	/* record 1 is "stack is not available" */
	u32 *buckets;			/* [KMSAN_DEPOT_BUCKETS] */
	/* Reports (one at a time, as Linux's kmsan_report_lock). */
	pthread_mutex_t report_lock;
	unsigned long nr_reports;
};

/* The machine's state when kmsan=on took effect, else NULL. */
static inline struct kmsan_state *kmsan_state(void)
{
	struct mmsim *m = current_machine();

	return m ? m->kmsan : NULL;
}

/* Runtime re-entry guard (Linux's kmsan_in_runtime()). */
extern _Thread_local int kmsan_runtime_depth;
static inline bool kmsan_in_runtime(void)
{
	return kmsan_runtime_depth != 0;
}
static inline void kmsan_enter_runtime(void)
{
	kmsan_runtime_depth++;
}
static inline void kmsan_leave_runtime(void)
{
	kmsan_runtime_depth--;
}

enum kmsan_bug_reason {
	REASON_ANY,
	REASON_COPY_TO_USER,
};

/* shadow.c */
long kmsan_meta_offset(struct kmsan_state *st, const void *addr, size_t *contig);
void kmsan_internal_set_shadow_origin(struct kmsan_state *st, const void *addr, size_t size,
				      int b, kmsan_handle_t origin);
void kmsan_internal_poison_memory(struct kmsan_state *st, const void *addr, size_t size,
				  bool free);
void kmsan_internal_unpoison_memory(struct kmsan_state *st, const void *addr, size_t size);
void kmsan_internal_memmove_metadata(struct kmsan_state *st, void *dst, const void *src,
				     size_t n);
void kmsan_internal_check_memory(struct kmsan_state *st, const void *addr, size_t size,
				 unsigned long user_addr, enum kmsan_bug_reason reason);
void kmsan_internal_poison_pfns(struct kmsan_state *st, unsigned long pfn, unsigned long nr,
				int b, kmsan_handle_t origin);

/* depot.c */
int kmsan_depot_init(struct kmsan_state *st);
void kmsan_depot_exit(struct kmsan_state *st);
kmsan_handle_t kmsan_save_stack(struct kmsan_state *st, u32 extra);
kmsan_handle_t kmsan_internal_chain_origin(struct kmsan_state *st, kmsan_handle_t id);
const struct kmsan_stack *kmsan_depot_fetch(struct kmsan_state *st, kmsan_handle_t h);
bool kmsan_frame_is_runtime(unsigned long addr);
int kmsan_skip_runtime(void *const *bt, int n);

/* report.c */
void kmsan_report(struct kmsan_state *st, kmsan_handle_t origin, const void *address, int size,
		  int off_first, int off_last, unsigned long user_addr,
		  enum kmsan_bug_reason reason);

#endif /* CONFIG_KMSAN */
#endif /* MM_KMSAN_KMSAN_H */
