/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/kasan/kasan.h - generic KASAN's private types (Linux's
 * mm/kasan/kasan.h): the per-machine state, the shadow regions, the
 * per-object metadata and the report's description of an access.
 *
 * Shadow: one byte per 8-byte granule of the direct map and of the vmalloc
 * window of each kasan=on machine, in two host mappings made at boot
 * (init.c).  0: all 8 bytes may be touched; 1..7: the first N may; any
 * value with the top bit set (KASAN_*): none may, and the value says why.
 *
 * Metadata: a cache of a kasan=on machine gets, after its object and any
 * slub_debug tracking, struct kasan_alloc_meta and struct kasan_free_meta
 * (kasan_cache_create); the rest of the object's stride up to the
 * optimal redzone is redzone.  All of it is poisoned while the object is
 * allocated, so instrumented code cannot reach it.
 */
#ifndef MM_KASAN_KASAN_H
#define MM_KASAN_KASAN_H

#include <stdatomic.h>
#include <stdint.h>
#include <mmsim/kasan.h>
#include <mmsim/spinlock.h>
#include "mm/internal.h"

#ifndef _RET_IP_
#define _RET_IP_ ((unsigned long)__builtin_return_address(0))
#endif

/*
 * KMSAN's side of the instrumented stores (mm/kmsan/, include/mmsim/kmsan.h
 * once merged): the bytes at @addr were written by instrumented code.
 */
#ifdef CONFIG_KMSAN
void kmsan_instrumented_store(const void *addr, size_t size);
void kmsan_instrumented_memmove(void *dst, const void *src, size_t n);
#endif

#ifdef CONFIG_KASAN

#define KASAN_STACK_DEPTH	16

/* An allocation's or a free's task and host call stack (Linux: a stack depot handle). */
struct kasan_track {
	int pid;
	unsigned int nr_entries;
	unsigned long stack[KASAN_STACK_DEPTH];
};

struct kasan_alloc_meta {
	struct kasan_track alloc_track;
	size_t requested;		/* bytes unpoisoned at allocation (or krealloc): KA1 */
};

struct kasan_free_meta {
	void *qnext;			/* next object in the quarantine, by age */
	struct kasan_track free_track;	/* valid while the shadow says KASAN_SLAB_FREETRACK */
};

/* Quarantine: freed objects wait here, poisoned, before reuse (quarantine.c). */
struct kasan_quarantine {
	spinlock_t lock;		/* the list and the counters */
	void *head, *tail;		/* oldest, newest object (free_meta.qnext links) */
	unsigned long bytes;		/* sum of the objects' cache->size */
	unsigned long objects;
	unsigned long max_bytes;	/* totalram / QUARANTINE_FRACTION */
	struct shrinker *shrinker;	/* "kasan-quarantine": memory pressure empties it */
};

enum kasan_fault { KASAN_FAULT_REPORT, KASAN_FAULT_PANIC, KASAN_FAULT_PANIC_ON_WRITE };

/* The per-machine state of subsystem "kasan". */
struct kasan_state {
	bool on;			/* kasan=on */
	bool multi_shot;		/* kasan_multi_shot: report every bug */
	bool no_stacktrace;		/* kasan.stacktrace=off: tracks without stacks */
	enum kasan_fault fault;		/* kasan.fault= */
	atomic_bool reported;		/* a report was printed (KASAN_BIT_REPORTED) */
	struct mmsim *m;
	char *dm_host;			/* host start of the direct map */
	unsigned long dm_size;		/* bytes covered */
	uint8_t *dm_shadow;		/* dm_size / 8 bytes */
	char *vm_host;			/* host start of the vmalloc window */
	unsigned long vm_size;
	uint8_t *vm_shadow;
	struct kasan_quarantine q;
	spinlock_t report_lock;		/* one report at a time */
};

/* init.c */
struct kasan_state *kasan_state_of(const void *addr);	/* the machine whose shadow covers @addr */
extern atomic_uintptr_t kasan_range_lo, kasan_range_hi;	/* hull of every covered range */
struct kasan_state *kasan_current(void);		/* this CPU's machine's, if kasan=on */

static inline uint8_t *kasan_shadow(const struct kasan_state *ks, const void *p)
{
	uintptr_t a = (uintptr_t)p;

	if (a - (uintptr_t)ks->dm_host < ks->dm_size)
		return ks->dm_shadow + ((a - (uintptr_t)ks->dm_host) >> KASAN_SHADOW_SCALE_SHIFT);
	if (a - (uintptr_t)ks->vm_host < ks->vm_size)
		return ks->vm_shadow + ((a - (uintptr_t)ks->vm_host) >> KASAN_SHADOW_SCALE_SHIFT);
	return NULL;
}

/* shadow.c */
void kasan_poison(struct kasan_state *ks, const void *addr, size_t size, uint8_t value);
void kasan_unpoison(struct kasan_state *ks, const void *addr, size_t size);
bool kasan_byte_accessible(struct kasan_state *ks, const void *addr);
const void *kasan_first_bad_addr(struct kasan_state *ks, const void *addr, size_t size);

/* generic.c */
bool kasan_check_range(const void *addr, size_t size, bool write, unsigned long ip);

/* common.c */
void kasan_save_track(struct kasan_state *ks, struct kasan_track *t);
struct kasan_alloc_meta *kasan_get_alloc_meta(struct kmem_cache *s, const void *object);
struct kasan_free_meta *kasan_get_free_meta(struct kmem_cache *s, const void *object);
void *kasan_nearest_obj(struct kmem_cache *s, struct slab *slab, const void *x);

/* quarantine.c */
void kasan_quarantine_init(struct kasan_state *ks);
void kasan_quarantine_put(struct kasan_state *ks, struct kmem_cache *s, void *object);
void kasan_quarantine_reduce(struct kasan_state *ks);
void kasan_quarantine_remove_cache(struct kasan_state *ks, struct kmem_cache *s);
void kasan_quarantine_flush(struct kasan_state *ks);
int kasan_quarantine_shrinker_init(struct kasan_state *ks);
void kasan_quarantine_shrinker_exit(struct kasan_state *ks);

/* debug.c: kasan_is_valid() is declared in <mmsim/kasan.h> */

/* report.c */
enum kasan_report_type { KASAN_REPORT_ACCESS, KASAN_REPORT_INVALID_FREE, KASAN_REPORT_DOUBLE_FREE };
bool kasan_report(struct kasan_state *ks, const void *addr, size_t size, bool is_write,
		  unsigned long ip);
void kasan_report_invalid_free(struct kasan_state *ks, const void *ptr, unsigned long ip,
			       enum kasan_report_type type);
bool kasan_report_suppressed(void);

#endif /* CONFIG_KASAN */
#endif /* MM_KASAN_KASAN_H */
