/* SPDX-License-Identifier: GPL-2.0 */
/*
 * types.h - the kernel's basic types as mm uses them.
 */
#ifndef MMSIM_TYPES_H
#define MMSIM_TYPES_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <errno.h>
#include <mmsim/compiler.h>

typedef uint64_t phys_addr_t;	/* simulated physical address (bytes) */
typedef uint64_t dma_addr_t;
typedef unsigned long pgoff_t;
typedef uint64_t sector_t;	/* a 512-byte sector of a disk (<mmsim/blkdev.h>) */
typedef unsigned int gfp_t;
typedef int8_t s8;
typedef uint8_t u8;
typedef int16_t s16;
typedef uint16_t u16;
typedef int32_t s32;
typedef uint32_t u32;
typedef int64_t s64;
typedef uint64_t u64;

typedef struct { atomic_int counter; } atomic_t;
typedef struct { atomic_long counter; } atomic_long_t;

static inline int atomic_read(const atomic_t *v)
{
	return atomic_load_explicit(&((atomic_t *)v)->counter, memory_order_relaxed);
}
static inline void atomic_set(atomic_t *v, int i)
{
	atomic_store_explicit(&v->counter, i, memory_order_relaxed);
}
static inline int atomic_add_return(int i, atomic_t *v)
{
	return atomic_fetch_add(&v->counter, i) + i;
}
static inline void atomic_inc(atomic_t *v) { atomic_fetch_add(&v->counter, 1); }
static inline void atomic_dec(atomic_t *v) { atomic_fetch_sub(&v->counter, 1); }
static inline bool atomic_dec_and_test(atomic_t *v)
{
	return atomic_fetch_sub(&v->counter, 1) == 1;
}
static inline long atomic_long_read(const atomic_long_t *v)
{
	return atomic_load_explicit(&((atomic_long_t *)v)->counter, memory_order_relaxed);
}
static inline void atomic_long_set(atomic_long_t *v, long i)
{
	atomic_store_explicit(&v->counter, i, memory_order_relaxed);
}
static inline void atomic_long_add(long i, atomic_long_t *v)
{
	atomic_fetch_add_explicit(&v->counter, i, memory_order_relaxed);
}

/* A page-table entry's protection bits (arch format); pgtable.h builds on it. */
typedef struct { u64 pgprot; } pgprot_t;
/* Page-table entries (pgtable.h has their accessors). */
struct page;
typedef struct { u64 pgd; } pgd_t;
typedef struct { u64 p4d; } p4d_t;
typedef struct { u64 pud; } pud_t;
typedef struct { u64 pmd; } pmd_t;
typedef struct { u64 pte; } pte_t;
typedef struct page *pgtable_t;

#define PHYS_ADDR_MAX (~(phys_addr_t)0)

#endif
