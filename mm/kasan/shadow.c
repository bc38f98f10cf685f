// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kasan/shadow.c - writing and reading the shadow (Linux's
 * mm/kasan/shadow.c): kasan_poison(), kasan_unpoison(), and the checked
 * memory functions __asan_memset/__asan_memcpy/__asan_memmove that
 * instrumented code calls for memset()/memcpy()/memmove().
 *
 * Poisoning rounds the start down and the end up to granules; unpoisoning
 * [addr, addr + size) leaves the last granule partial (size % 8 bytes),
 * as Linux's kasan_unpoison does, so an object's tail is caught to the
 * byte.  Callers poison or unpoison memory they own (the allocator that
 * hands it out or takes it back), so shadow writes need no lock: two
 * writers never share a granule (objects and pages are granule aligned).
 *
 * Invariant: for an allocated kmalloc object of size n in cache s,
 * shadow(obj) .. covers n accessible bytes exactly, and every granule
 * from round_up(n, 8) to s->size - red_left_pad past the object start is
 * poisoned (KASAN_SLAB_REDZONE).
 */
#include <string.h>
#include "mm/kasan/kasan.h"

#ifdef CONFIG_KASAN

/* Shadow bytes of [addr, addr + size) in @ks, clipped to the covered region. */
static uint8_t *shadow_range(struct kasan_state *ks, const void *addr, size_t size, size_t *n)
{
	uint8_t *s = kasan_shadow(ks, addr);
	uint8_t *e;

	if (!s || !size)
		return NULL;
	e = kasan_shadow(ks, (const char *)addr + size - 1);
	if (!e)
		return NULL;
	*n = (size_t)(e - s) + 1;
	return s;
}

void kasan_poison(struct kasan_state *ks, const void *addr, size_t size, uint8_t value)
{
	uintptr_t a = (uintptr_t)addr & ~KASAN_GRANULE_MASK;
	size_t n;
	uint8_t *s;

	size += (uintptr_t)addr - a;
	s = shadow_range(ks, (const void *)a, size, &n);
	if (s)
		memset(s, value, n);
}

void kasan_unpoison(struct kasan_state *ks, const void *addr, size_t size)
{
	size_t n;
	uint8_t *s = shadow_range(ks, addr, size, &n);

	if (!s)
		return;
	memset(s, 0, n);
	if (size & KASAN_GRANULE_MASK)
		s[n - 1] = (uint8_t)(((uintptr_t)addr + size) & KASAN_GRANULE_MASK);
}

/* One byte at @addr may be touched (Linux's kasan_byte_accessible). */
bool kasan_byte_accessible(struct kasan_state *ks, const void *addr)
{
	uint8_t *s = kasan_shadow(ks, addr);
	int8_t v;

	if (!s)
		return true;
	v = (int8_t)*s;
	return v == 0 || (v > 0 && ((uintptr_t)addr & KASAN_GRANULE_MASK) < (uintptr_t)v);
}

/* The first byte of [addr, addr + size) that may not be touched, or addr + size. */
const void *kasan_first_bad_addr(struct kasan_state *ks, const void *addr, size_t size)
{
	const char *p = addr, *end = (const char *)addr + size;

	while (p < end) {
		if (!kasan_byte_accessible(ks, p))
			return p;
		p++;
	}
	return end;
}

/* Some byte of [addr, addr + size) may not be touched (size > 0). */
static bool memory_is_poisoned(struct kasan_state *ks, uintptr_t addr, size_t size)
{
	uintptr_t last = addr + size - 1;
	uint8_t *s = kasan_shadow(ks, (const void *)addr);
	uint8_t *e = kasan_shadow(ks, (const void *)last);
	uintptr_t g = addr & ~KASAN_GRANULE_MASK;

	if (unlikely(!s || !e)) {	/* runs off the covered range: byte by byte */
		for (uintptr_t a = addr; a <= last; a++)
			if (!kasan_byte_accessible(ks, (const void *)a))
				return true;
		return false;
	}
	for (; s <= e; s++, g += KASAN_GRANULE_SIZE) {
		int8_t v = (int8_t)*s;
		uintptr_t need;

		if (likely(!v))
			continue;
		if (v < 0)
			return true;
		need = (last < g + KASAN_GRANULE_MASK ? last : g + KASAN_GRANULE_MASK) - g;
		if (need >= (uintptr_t)v)
			return true;
	}
	return false;
}

/**
 * kasan_check_range - may [addr, addr + size) be touched?  Report if not.
 * Return: false when a report was printed (the caller may skip the
 * access), true otherwise (also when the address is host memory).
 */
bool kasan_check_range(const void *addr, size_t size, bool write, unsigned long ip)
{
	uintptr_t a = (uintptr_t)addr;
	struct kasan_state *ks;

	if (unlikely(!size))
		return true;
	if (unlikely(a + size < a)) {
		ks = kasan_current();
		return !ks || !kasan_report(ks, addr, size, write, ip);
	}
	ks = kasan_state_of(addr);
	if (!ks) {
		/* A NULL pointer's page: what the instrumented access would fault on. */
		if (a < 4096 && (ks = kasan_current()))
			return !kasan_report(ks, addr, size, write, ip);
		return true;
	}
	if (likely(!memory_is_poisoned(ks, a, size)))
		return true;
	return !kasan_report(ks, addr, size, write, ip);
}

bool __kasan_check_read(const volatile void *p, unsigned int size)
{
	return kasan_check_range((const void *)p, size, false, _RET_IP_);
}

bool __kasan_check_write(const volatile void *p, unsigned int size)
{
	return kasan_check_range((const void *)p, size, true, _RET_IP_);
}

void kasan_unpoison_range(const void *addr, size_t size)
{
	struct kasan_state *ks = kasan_current();

	if (ks)
		kasan_unpoison(ks, addr, size);
}

#endif /* CONFIG_KASAN */

