// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kmsan/shadow.c - KMSAN's metadata: a shadow byte for every byte of
 * the machine's RAM and an origin for every 4 bytes (Linux's
 * mm/kmsan/shadow.c and the metadata half of core.c).
 *
 * Layout.  Linux keeps the metadata per struct page (page->kmsan_shadow,
 * page->kmsan_origin) and, for vmalloc, at a fixed offset from the
 * address.  mmsim keeps it per physical byte: two host arrays mapped
 * MAP_NORESERVE at boot, indexed by PFN_PHYS(pfn - base_pfn) + offset, so
 * a byte has one shadow whichever window it is reached through (direct
 * map, vmalloc, kmap, fixmap all alias the same page).  A direct-map
 * address converts by subtraction; another window's address by a walk
 * of init_mm's page tables.  Anything else (host memory: the caller's
 * stack, malloc) is untracked: never reported, and a copy from it
 * initialises its destination, as Linux treats untracked memory.
 *
 * Shadow bytes: 0 initialised, 0xff not (Linux sets whole bytes too).
 * Origins: a handle (depot.c) per aligned 4-byte slot; a slot with any
 * poisoned byte holds the origin of its poisoned bytes; a slot whose four
 * bytes are all initialised has origin 0 after an unpoison.
 *
 * Locking: none; the bytes' owner writes their metadata, as Linux's.
 */
#define _GNU_SOURCE
#include <string.h>
#include <stdlib.h>
#include "mm/kmsan/kmsan.h"

#ifdef CONFIG_KMSAN

/*
 * kmsan_meta_offset - where the metadata of @addr is: its offset into
 * st->shadow, with the number of bytes from @addr on whose metadata
 * follows contiguously in *@contig; -1 when @addr is untracked (then
 * *@contig is the number of bytes to the next page boundary).
 */
long __kmsan_runtime kmsan_meta_offset(struct kmsan_state *st, const void *addr, size_t *contig)
{
	const struct mm_layout *l = current_layout;
	const char *p = addr;
	unsigned long kva, size;
	phys_addr_t pa;
	u64 leaf;
	long off;

	if (p >= l->direct_map && (unsigned long)(p - l->direct_map) < l->direct_map_size) {
		off = (long)(p - l->direct_map) +
		      (long)(PFN_PHYS(PHYS_PFN(l->phys_offset)) - PFN_PHYS(st->base_pfn)) +
		      (long)(l->phys_offset & ~PAGE_MASK);
		*contig = l->direct_map_size - (size_t)(p - l->direct_map);
		return off;
	}
	*contig = PAGE_SIZE - ((unsigned long)p & ~PAGE_MASK);
	kva = host_to_kva(p);
	if (!kva || pgtable_lookup(&init_mm, kva, &pa, &size, &leaf))
		return -1;
	if (PHYS_PFN(pa) < st->base_pfn || PHYS_PFN(pa) - st->base_pfn >= st->nr_pfns)
		return -1;
	return (long)(pa - PFN_PHYS(st->base_pfn));
}

/* Set the origin slots of metadata bytes [off, off + n) (Linux's rule). */
static inline void set_origins(struct kmsan_state *st, size_t off, size_t n, kmsan_handle_t origin)
{
	size_t first = off / KMSAN_ORIGIN_SIZE, last = (off + n - 1) / KMSAN_ORIGIN_SIZE;

	for (size_t i = first; i <= last; i++) {
		/* A new origin overwrites; origin 0 only where the whole slot is clean. */
		if (origin || !*(const u32 *)(st->shadow + i * KMSAN_ORIGIN_SIZE))
			st->origin[i] = origin;
	}
}

/*
 * kmsan_internal_set_shadow_origin - bytes [addr, addr + size) get shadow
 * @b (0 or KMSAN_POISON) and, where Linux's rule says, @origin.
 */
void __kmsan_runtime kmsan_internal_set_shadow_origin(struct kmsan_state *st, const void *addr,
						      size_t size, int b, kmsan_handle_t origin)
{
	const char *p = addr;

	while (size) {
		size_t contig;
		long off = kmsan_meta_offset(st, p, &contig);
		size_t n = min(size, contig);

		if (off >= 0) {
			memset(st->shadow + off, b, n);
			set_origins(st, (size_t)off, n, origin);
		}
		p += n;
		size -= n;
	}
}

/* Whole pages by pfn (the page allocator's hooks: highmem has no address). */
void __kmsan_runtime kmsan_internal_poison_pfns(struct kmsan_state *st, unsigned long pfn,
						unsigned long nr, int b, kmsan_handle_t origin)
{
	size_t off, n;

	if (pfn < st->base_pfn || pfn - st->base_pfn >= st->nr_pfns)
		return;
	nr = min(nr, st->nr_pfns - (pfn - st->base_pfn));
	off = PFN_PHYS(pfn - st->base_pfn);
	n = PFN_PHYS(nr);
	memset(st->shadow + off, b, n);
	if (origin) {
		for (size_t i = off / KMSAN_ORIGIN_SIZE; i < (off + n) / KMSAN_ORIGIN_SIZE; i++)
			st->origin[i] = origin;
	} else {
		memset(st->origin + off / KMSAN_ORIGIN_SIZE, 0, n);
	}
}

/* Poison with the calling stack as origin (@free: the UAF bit). */
void __kmsan_runtime kmsan_internal_poison_memory(struct kmsan_state *st, const void *addr,
						  size_t size, bool free)
{
	kmsan_handle_t h;

	if (!size)
		return;
	h = kmsan_save_stack(st, free ? KMSAN_HANDLE_UAF : 0);
	kmsan_internal_set_shadow_origin(st, addr, size, KMSAN_POISON, h);
}

void __kmsan_runtime kmsan_internal_unpoison_memory(struct kmsan_state *st, const void *addr,
						    size_t size)
{
	kmsan_internal_set_shadow_origin(st, addr, size, 0, 0);
}

/* Shadow and origin of one byte (0, 0 when untracked). */
static inline void byte_meta(struct kmsan_state *st, const char *p, u8 *sh, kmsan_handle_t *org)
{
	size_t contig;
	long off = kmsan_meta_offset(st, p, &contig);

	if (off < 0) {
		*sh = 0;
		*org = 0;
		return;
	}
	*sh = st->shadow[off];
	*org = st->origin[off / KMSAN_ORIGIN_SIZE];
}

/* Is any byte of [addr, addr + size) poisoned? */
static bool __kmsan_runtime range_poisoned(struct kmsan_state *st, const char *p, size_t size)
{
	while (size) {
		size_t contig;
		long off = kmsan_meta_offset(st, p, &contig);
		size_t n = min(size, contig);

		if (off >= 0) {
			const u8 *s = st->shadow + off;

			for (size_t i = 0; i < n; i++)
				if (s[i])
					return true;
		}
		p += n;
		size -= n;
	}
	return false;
}

/*
 * kmsan_internal_memmove_metadata - the metadata of @n bytes follows a
 * memmove(@dst, @src, @n): shadow byte for byte, and each destination slot
 * with a poisoned byte gets a chained origin (Linux's
 * kmsan_internal_memmove_metadata).  An untracked source initialises the
 * destination; an untracked destination keeps nothing.  The source's
 * metadata is read first, so overlapping ranges come out right.
 */
void __kmsan_runtime kmsan_internal_memmove_metadata(struct kmsan_state *st, void *dst,
						     const void *src, size_t n)
{
	u8 sh_small[256];
	kmsan_handle_t org_small[256];
	kmsan_handle_t prev_old = 0, prev_new = 0;
	u8 *sh = sh_small;
	kmsan_handle_t *org = org_small;
	const char *s = src;
	char *d = dst;

	if (!n)
		return;
	if (!range_poisoned(st, s, n)) {
		kmsan_internal_unpoison_memory(st, dst, n);
		return;
	}
	if (n > sizeof(sh_small)) {
		sh = malloc(n);
		org = malloc(n * sizeof(*org));
		if (!sh || !org) {	/* no host memory: forget rather than lie */
			free(sh);
			free(org);
			kmsan_internal_unpoison_memory(st, dst, n);
			return;
		}
	}
	for (size_t i = 0; i < n; i++)
		byte_meta(st, s + i, &sh[i], &org[i]);
	for (size_t i = 0; i < n;) {
		size_t contig;
		long off = kmsan_meta_offset(st, d + i, &contig);
		size_t len = min(n - i, contig);

		if (off < 0) {
			i += len;
			continue;
		}
		memcpy(st->shadow + off, sh + i, len);
		for (size_t j = 0; j < len; j++) {
			size_t slot = ((size_t)off + j) / KMSAN_ORIGIN_SIZE;

			if (!sh[i + j]) {
				if (!*(const u32 *)(st->shadow + slot * KMSAN_ORIGIN_SIZE))
					st->origin[slot] = 0;
				continue;
			}
			if (org[i + j] != prev_old) {
				prev_old = org[i + j];
				prev_new = kmsan_internal_chain_origin(st, prev_old);
				if (!prev_new)
					prev_new = prev_old;
			}
			st->origin[slot] = prev_new;
		}
		i += len;
	}
	if (sh != sh_small) {
		free(sh);
		free(org);
	}
}

/*
 * kmsan_internal_check_memory - report every run of poisoned bytes of
 * [addr, addr + size) that share an origin, one report per run (Linux's
 * kmsan_internal_check_memory).
 */
void __kmsan_runtime kmsan_internal_check_memory(struct kmsan_state *st, const void *addr,
						 size_t size, unsigned long user_addr,
						 enum kmsan_bug_reason reason)
{
	kmsan_handle_t cur_origin = 0;
	int cur_off_start = -1;
	const char *p = addr;
	size_t pos = 0;

	while (pos < size) {
		size_t contig;
		long off = kmsan_meta_offset(st, p + pos, &contig);
		size_t n = min(size - pos, contig);

		if (off < 0) {
			if (cur_origin)
				kmsan_report(st, cur_origin, addr, (int)size, cur_off_start,
					     (int)pos - 1, user_addr, reason);
			cur_origin = 0;
			cur_off_start = -1;
			pos += n;
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			kmsan_handle_t o;

			if (!st->shadow[off + i]) {
				if (cur_origin)
					kmsan_report(st, cur_origin, addr, (int)size,
						     cur_off_start, (int)(pos + i) - 1, user_addr,
						     reason);
				cur_origin = 0;
				cur_off_start = -1;
				continue;
			}
			o = st->origin[(off + i) / KMSAN_ORIGIN_SIZE];
			if (!o)
				o = 1;	/* poisoned without a stack: "not available" */
			if (o != cur_origin) {
				if (cur_origin)
					kmsan_report(st, cur_origin, addr, (int)size,
						     cur_off_start, (int)(pos + i) - 1, user_addr,
						     reason);
				cur_origin = o;
				cur_off_start = (int)(pos + i);
			}
		}
		pos += n;
	}
	if (cur_origin)
		kmsan_report(st, cur_origin, addr, (int)size, cur_off_start, (int)pos - 1,
			     user_addr, reason);
}

/* K2 over metadata bytes [off, off + n): a slot with a poisoned byte has an origin. */
static bool __kmsan_runtime origins_valid(struct kmsan_state *st, size_t off, size_t n)
{
	u32 nr = __atomic_load_n(&st->nr_stacks, __ATOMIC_ACQUIRE);

	for (size_t i = off / KMSAN_ORIGIN_SIZE; i < (off + n + KMSAN_ORIGIN_SIZE - 1) / KMSAN_ORIGIN_SIZE;
	     i++) {
		kmsan_handle_t o = st->origin[i];

		if (!*(const u32 *)(st->shadow + i * KMSAN_ORIGIN_SIZE))
			continue;
		if (!o || (o & KMSAN_HANDLE_INDEX_MASK) > nr) {
			pr_err("kmsan_is_valid: poisoned bytes at metadata offset %#zx have origin %#x (%u stacks)\n",
			       i * KMSAN_ORIGIN_SIZE, o, nr);
			return false;
		}
	}
	return true;
}

/**
 * kmsan_range_is_valid - K2 (docs/invariants.md) for the bytes
 * [@addr, @addr + @size): every origin slot holding a poisoned byte names
 * a stored stack.  True when KMSAN is off.
 */
bool __kmsan_runtime kmsan_range_is_valid(const void *addr, size_t size)
{
	struct kmsan_state *st = kmsan_state();
	const char *p = addr;

	if (!st)
		return true;
	while (size) {
		size_t contig;
		long off = kmsan_meta_offset(st, p, &contig);
		size_t n = min(size, contig);

		if (off >= 0 && !origins_valid(st, (size_t)off, n))
			return false;
		p += n;
		size -= n;
	}
	return true;
}

/**
 * kmsan_is_valid - the KMSAN invariants of the calling CPU's machine:
 * K1, the depot's buckets link only stored records that hash to them,
 * and chain links name stored records; K2 over all of RAM.  Prints the
 * first violation (KERN_ERR) and returns false; true when KMSAN is off.
 * Time: linear in RAM and in stored stacks.
 */
bool __kmsan_runtime kmsan_is_valid(void)
{
	struct kmsan_state *st = kmsan_state();
	bool ok = true;
	u32 nr;

	if (!st)
		return true;
	pthread_mutex_lock(&st->depot_lock);
	nr = st->nr_stacks;
	for (u32 b = 0; b < KMSAN_DEPOT_BUCKETS && ok; b++)
		for (u32 idx = st->buckets[b]; idx && ok; idx = st->stacks[idx].next) {
			const struct kmsan_stack *r = &st->stacks[idx];

			if (idx < 2 || idx > nr || (r->hash & (KMSAN_DEPOT_BUCKETS - 1)) != b ||
			    r->nr_entries > KMSAN_STACK_DEPTH ||
			    (r->chain && (((u32)r->entries[0] & KMSAN_HANDLE_INDEX_MASK) > nr ||
					  ((u32)r->entries[1] & KMSAN_HANDLE_INDEX_MASK) > nr ||
					  !((u32)r->entries[1] & KMSAN_HANDLE_INDEX_MASK)))) {
				pr_err("kmsan_is_valid: depot record %u in bucket %u is bad\n", idx, b);
				ok = false;
			}
		}
	pthread_mutex_unlock(&st->depot_lock);
	return ok && origins_valid(st, 0, st->bytes);
}

#else
typedef int kmsan_shadow_unused;	/* an empty file is not C */
#endif /* CONFIG_KMSAN */
