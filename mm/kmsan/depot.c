// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kmsan/depot.c - KMSAN's stack depot: each allocation stack (and each
 * link of an origin chain) stored once, named by a 32-bit handle that the
 * origin slots hold (Linux's lib/stackdepot.c as KMSAN uses it, with
 * KMSAN's extra bits in the handle).
 *
 * Data: a table of records (MAP_NORESERVE, so untouched records cost no
 * host memory) and a hash table of KMSAN_DEPOT_BUCKETS chains of record
 * indexes.  Record 1 is a stack with no frames: the handle given out when
 * the table is full ("(stack is not available)" in a report), so that a
 * poisoned byte always has a non-zero origin, as a report needs.
 *
 * Locking: depot_lock serialises lookups and insertions; a record is
 * written in full before its index is linked, and never changes after, so
 * kmsan_depot_fetch() reads without the lock.
 *
 * Invariants: 1 <= nr_stacks <= max_stacks; every index reachable from a
 * bucket is < nr_stacks + 1 and its record hashes to that bucket.
 *
 * Frames: backtrace(3) of the host.  The runtime's own frames (the
 * kmsan_text section) are skipped, so a stack starts at the allocator's
 * caller of the hook, as Linux's get_stack_skipnr() makes it.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "mm/kmsan/kmsan.h"

#ifdef CONFIG_KMSAN

#define KMSAN_DEPOT_MAX		(1u << 20)	/* records */
#define KMSAN_BT_MAX		(KMSAN_STACK_DEPTH + 8)	/* + the runtime's frames */

extern const char __start_kmsan_text[] __attribute__((weak));
extern const char __stop_kmsan_text[] __attribute__((weak));

bool __kmsan_runtime kmsan_frame_is_runtime(unsigned long addr)
{
	return addr >= (unsigned long)__start_kmsan_text && addr < (unsigned long)__stop_kmsan_text;
}

/*
 * Is @addr in one of the __asan_* callbacks (by its dynamic symbol)?
 * dladdr() costs a symbol search, and a stack's first frame is mostly one
 * of a few call sites: a small per-thread cache of answers.
 */
#define ASAN_CB_CACHE	64
static _Thread_local unsigned long asan_cb_addr[ASAN_CB_CACHE];
static _Thread_local bool asan_cb_is[ASAN_CB_CACHE];

static bool asan_callback(unsigned long addr)
{
	unsigned int slot = (unsigned int)(addr ^ (addr >> 6)) % ASAN_CB_CACHE;
	Dl_info info;
	bool is;

	if (asan_cb_addr[slot] == addr)
		return asan_cb_is[slot];
	is = dladdr((void *)addr, &info) && info.dli_sname &&
	     !strncmp(info.dli_sname, "__asan_", 7);
	asan_cb_addr[slot] = addr;
	asan_cb_is[slot] = is;
	return is;
}

/*
 * The first frame of a backtrace(3) that is not the runtime's: past the
 * host's own frames (libc's backtrace, a sanitizer's interceptor), then
 * past the runtime's (Linux's get_stack_skipnr()).
 */
int __kmsan_runtime kmsan_skip_runtime(void *const *bt, int n)
{
	int i = 0;

	while (i < n && !kmsan_frame_is_runtime((unsigned long)bt[i]))
		i++;
	if (i == n)
		return 0;
	while (i < n && kmsan_frame_is_runtime((unsigned long)bt[i]))
		i++;
	/* KASAN's instrumentation callbacks (__asan_memcpy ...) too, as
	 * Linux skips __msan_*: the instrumented caller is the frame to see. */
	while (i < n - 1 && asan_callback((unsigned long)bt[i]))
		i++;
	return i;
}

int __kmsan_runtime kmsan_depot_init(struct kmsan_state *st)
{
	size_t bytes = (size_t)KMSAN_DEPOT_MAX * sizeof(struct kmsan_stack);

	st->stacks = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (st->stacks == MAP_FAILED) {
		st->stacks = NULL;
		return -ENOMEM;
	}
	st->buckets = calloc(KMSAN_DEPOT_BUCKETS, sizeof(*st->buckets));
	if (!st->buckets) {
		munmap(st->stacks, bytes);
		st->stacks = NULL;
		return -ENOMEM;
	}
	pthread_mutex_init(&st->depot_lock, NULL);
	st->max_stacks = KMSAN_DEPOT_MAX - 1;
	st->nr_stacks = 1;		/* record 1: no frames */
	return 0;
}

void __kmsan_runtime kmsan_depot_exit(struct kmsan_state *st)
{
	if (st->stacks)
		munmap(st->stacks, (size_t)KMSAN_DEPOT_MAX * sizeof(struct kmsan_stack));
	free(st->buckets);
	st->stacks = NULL;
	st->buckets = NULL;
	pthread_mutex_destroy(&st->depot_lock);
}

static u32 hash_entries(const unsigned long *e, unsigned int n, bool chain)
{
	u64 h = 0x9e3779b97f4a7c15ULL ^ n ^ ((u64)chain << 32);

	for (unsigned int i = 0; i < n; i++) {
		h ^= e[i];
		h *= 0xff51afd7ed558ccdULL;
		h ^= h >> 33;
	}
	return (u32)h;
}

/* The record of @entries, stored if new; its index (1 when full). */
static u32 __kmsan_runtime depot_save(struct kmsan_state *st, const unsigned long *entries,
				      unsigned int n, bool chain)
{
	u32 hash = hash_entries(entries, n, chain);
	u32 *bucket = &st->buckets[hash & (KMSAN_DEPOT_BUCKETS - 1)];
	u32 idx;

	pthread_mutex_lock(&st->depot_lock);
	for (idx = *bucket; idx; idx = st->stacks[idx].next) {
		struct kmsan_stack *r = &st->stacks[idx];

		if (r->hash == hash && r->nr_entries == n && r->chain == chain &&
		    !memcmp(r->entries, entries, n * sizeof(*entries)))
			goto out;
	}
	if (st->nr_stacks >= st->max_stacks) {
		idx = 1;
		goto out;
	}
	idx = st->nr_stacks + 1;
	st->stacks[idx].hash = hash;
	st->stacks[idx].nr_entries = (u16)n;
	st->stacks[idx].chain = chain;
	memcpy(st->stacks[idx].entries, entries, n * sizeof(*entries));
	st->stacks[idx].next = *bucket;
	__atomic_store_n(&st->nr_stacks, idx, __ATOMIC_RELEASE);	/* publish */
	*bucket = idx;
out:
	pthread_mutex_unlock(&st->depot_lock);
	return idx;
}

/*
 * kmsan_save_stack - the calling stack, without the runtime's frames, as a
 * handle with @extra bits (depth, UAF).
 */
kmsan_handle_t __kmsan_runtime kmsan_save_stack(struct kmsan_state *st, u32 extra)
{
	void *bt[KMSAN_BT_MAX];
	unsigned long entries[KMSAN_STACK_DEPTH];
	int n = backtrace(bt, KMSAN_BT_MAX), skip, nr = 0;

	skip = kmsan_skip_runtime(bt, n);
	for (int i = skip; i < n && nr < KMSAN_STACK_DEPTH; i++)
		entries[nr++] = (unsigned long)bt[i];
	return depot_save(st, entries, (unsigned int)nr, false) | extra;
}

/*
 * kmsan_internal_chain_origin - a new origin for bytes copied from bytes
 * of origin @id: a link naming where the copy happened and @id (Linux's
 * "Uninit was stored to memory at:").  Chains stop growing at
 * KMSAN_MAX_ORIGIN_DEPTH.
 */
kmsan_handle_t __kmsan_runtime kmsan_internal_chain_origin(struct kmsan_state *st,
							   kmsan_handle_t id)
{
	unsigned long entries[2];
	unsigned int depth = kmsan_handle_depth(id);

	if (!id || depth == KMSAN_MAX_ORIGIN_DEPTH)
		return id;
	entries[0] = kmsan_save_stack(st, 0);
	entries[1] = id;
	return depot_save(st, entries, 2, true) | ((depth + 1) << KMSAN_HANDLE_DEPTH_SHIFT) |
	       (id & KMSAN_HANDLE_UAF);
}

const struct kmsan_stack *kmsan_depot_fetch(struct kmsan_state *st, kmsan_handle_t h)
{
	u32 idx = h & KMSAN_HANDLE_INDEX_MASK;

	if (!idx || idx > __atomic_load_n(&st->nr_stacks, __ATOMIC_ACQUIRE))
		return NULL;
	return &st->stacks[idx];
}

#else
typedef int kmsan_depot_unused;		/* an empty file is not C */
#endif /* CONFIG_KMSAN */
