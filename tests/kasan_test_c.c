// SPDX-License-Identifier: GPL-2.0
/*
 * tests/kasan_test_c.c - the instrumented half of test_kasan: the cases of
 * Linux's mm/kasan/kasan_test_c.c (6.8) that apply to mmsim, compiled with
 * -fsanitize=kernel-address in outline mode (mmsim_kasan_sources), so
 * every access below goes through mm/kasan/generic.c's callbacks, and
 * memset/memcpy/memmove are the checked ones (<mmsim/kasan.h>).
 *
 * Each bad access is wrapped in KASAN_EXPECT(bug type, access): the driver
 * (tests/test_kasan.c) then finds its report in the log.  The accesses
 * are Linux's, byte for byte (sizes and offsets), so the reports say what
 * Linux's say.  Departures: pagealloc_oob_right, which Linux skips for
 * generic KASAN (page allocations have no red zone), here frees the page
 * after the allocation first so the access is a use-after-free; the
 * bitops are GCC's __atomic builtins (the compiler instruments them),
 * not Linux's arch bitops.
 */
#include <stdint.h>
#include <mmsim/gfp.h>
#include <mmsim/mm.h>
#include <mmsim/slab.h>
#include <mmsim/uaccess.h>
#include <mmsim/vmalloc.h>
#include <mmsim/kasan.h>
#include "kasan_test.h"

#define BITS_PER_LONG_T	(8 * sizeof(unsigned long))

void kmalloc_oob_right(void)
{
	size_t size = 128 - KASAN_GRANULE_SIZE - 5;
	char *ptr = kmalloc(size, GFP_KERNEL);

	OPTIMIZER_HIDE_VAR(ptr);
	/* An unaligned access past the requested size: generic KASAN sees it. */
	KASAN_EXPECT("slab-out-of-bounds", ptr[size] = 'x');
	/* An aligned access into the first out-of-bounds granule. */
	KASAN_EXPECT("slab-out-of-bounds", ptr[size + 5] = 'y');
	/* Past the aligned object. */
	KASAN_EXPECT("slab-out-of-bounds", ptr[0] = ptr[size + KASAN_GRANULE_SIZE + 5]);
	kfree(ptr);
}

void kmalloc_oob_left(void)
{
	size_t size = 15;
	char *keep[64];
	int n = 0;
	char *ptr;

	/* Not the first object of its slab: its left is another object's red zone. */
	while ((ptr = kmalloc(size, GFP_KERNEL)) && !((uintptr_t)ptr & 4095) && n < 64)
		keep[n++] = ptr;
	OPTIMIZER_HIDE_VAR(ptr);
	KASAN_EXPECT("slab-out-of-bounds", *ptr = *(ptr - 1));
	kfree(ptr);
	while (n)
		kfree(keep[--n]);
}

void kmalloc_node_oob_right(void)
{
	size_t size = 4096;
	char *ptr = kmalloc_node(size, GFP_KERNEL, 0);

	OPTIMIZER_HIDE_VAR(ptr);
	KASAN_EXPECT("slab-out-of-bounds", ptr[0] = ptr[size]);
	kfree(ptr);
}

/* A kmalloc too big for the caches: pages, with KASAN_PAGE_REDZONE past it. */
void kmalloc_large_oob_right(void)
{
	size_t size = KMALLOC_MAX_CACHE_SIZE + 10;
	char *ptr = kmalloc(size, GFP_KERNEL);

	OPTIMIZER_HIDE_VAR(ptr);
	KASAN_EXPECT("slab-out-of-bounds", ptr[size] = 0);
	kfree(ptr);
}

void kmalloc_large_uaf(void)
{
	size_t size = KMALLOC_MAX_CACHE_SIZE + 10;
	char *ptr = kmalloc(size, GFP_KERNEL);

	kfree(ptr);
	OPTIMIZER_HIDE_VAR(ptr);
	KASAN_EXPECT("use-after-free", ((volatile char *)ptr)[0]);
}

void kmalloc_large_invalid_free(void)
{
	size_t size = KMALLOC_MAX_CACHE_SIZE + 10;
	char *ptr = kmalloc(size, GFP_KERNEL);

	KASAN_EXPECT("invalid-free", kfree(ptr + 1));
	kfree(ptr);
}

void krealloc_more_oob_helper(size_t size1, size_t size2)
{
	char *ptr1 = kmalloc(size1, GFP_KERNEL), *ptr2;

	for (size_t i = 0; i < size1; i++)
		ptr1[i] = 'x';
	ptr2 = krealloc(ptr1, size2, GFP_KERNEL);
	OPTIMIZER_HIDE_VAR(ptr2);
	/* All offsets up to size2 must be accessible. */
	ptr2[size1 - 1] = 'x';
	ptr2[size1] = 'x';
	ptr2[size2 - 1] = 'x';
	kasan_expect_report(NULL, __func__, __LINE__);
	/* Generic mode is precise: the unaligned size2 is not. */
	KASAN_EXPECT("slab-out-of-bounds", ptr2[size2] = 'x');
	KASAN_EXPECT("slab-out-of-bounds", ptr2[(size2 + 7) & ~7UL] = 'x');
	kfree(ptr2);
}

void krealloc_less_oob_helper(size_t size1, size_t size2)
{
	char *ptr1 = kmalloc(size1, GFP_KERNEL), *ptr2;

	for (size_t i = 0; i < size1; i++)
		ptr1[i] = 'x';
	ptr2 = krealloc(ptr1, size2, GFP_KERNEL);
	OPTIMIZER_HIDE_VAR(ptr2);
	ptr2[size2 - 1] = 'x';
	kasan_expect_report(NULL, __func__, __LINE__);
	KASAN_EXPECT("slab-out-of-bounds", ptr2[size2] = 'x');
	KASAN_EXPECT("slab-out-of-bounds", ptr2[(size2 + 7) & ~7UL] = 'x');
	/* What lay between the two sizes is gone. */
	KASAN_EXPECT("slab-out-of-bounds", ptr2[size2 + 2] = 'x');
	KASAN_EXPECT("slab-out-of-bounds", ptr2[size1 - 1] = 'x');
	KASAN_EXPECT("slab-out-of-bounds", ptr2[size1] = 'x');
	kfree(ptr2);
}

void krealloc_more_oob(void)
{
	krealloc_more_oob_helper(201, 235);
	/* Past the caches: a large kmalloc grown in place. */
	krealloc_more_oob_helper(KMALLOC_MAX_CACHE_SIZE + 201, KMALLOC_MAX_CACHE_SIZE + 235);
}

void krealloc_less_oob(void)
{
	krealloc_less_oob_helper(235, 201);
	krealloc_less_oob_helper(KMALLOC_MAX_CACHE_SIZE + 235, KMALLOC_MAX_CACHE_SIZE + 201);
}

void kmalloc_oob_16(void)
{
	struct {
		uint64_t words[2];
	} *ptr1, *ptr2;

	ptr1 = kmalloc(sizeof(*ptr1) - 3, GFP_KERNEL);
	ptr2 = kmalloc(sizeof(*ptr2), GFP_KERNEL);
	OPTIMIZER_HIDE_VAR(ptr1);
	OPTIMIZER_HIDE_VAR(ptr2);
	KASAN_EXPECT("slab-out-of-bounds", *ptr1 = *ptr2);
	kfree(ptr1);
	kfree(ptr2);
}

void kmalloc_uaf(void)
{
	char *ptr = kmalloc(10, GFP_KERNEL);

	kfree(ptr);
	OPTIMIZER_HIDE_VAR(ptr);
	KASAN_EXPECT("slab-use-after-free", ((volatile char *)ptr)[8]);
}

void kmalloc_uaf_memset(void)
{
	size_t size = 33;
	char *ptr = kmalloc(size, GFP_KERNEL);

	kfree(ptr);
	OPTIMIZER_HIDE_VAR(ptr);
	KASAN_EXPECT("slab-use-after-free", memset(ptr, 0, size));
}

void kmalloc_uaf2(void)
{
	size_t size = 43;
	char *ptr1 = kmalloc(size, GFP_KERNEL), *ptr2;

	kfree(ptr1);
	ptr2 = kmalloc(size, GFP_KERNEL);	/* not ptr1: it is in the quarantine */
	OPTIMIZER_HIDE_VAR(ptr1);
	KASAN_EXPECT("slab-use-after-free", ((volatile char *)ptr1)[40]);
	kasan_expect_report(ptr1 == ptr2 ? "reused" : NULL, __func__, __LINE__);
	kfree(ptr2);
}

void kmalloc_double_kzfree(void)
{
	char *ptr = kmalloc(16, GFP_KERNEL);

	kfree_sensitive(ptr);
	KASAN_EXPECT("double-free", kfree_sensitive(ptr));
}

void kmalloc_oob_memset(size_t n, size_t back)
{
	size_t size = 128 - KASAN_GRANULE_SIZE;
	char *ptr = kmalloc(size, GFP_KERNEL);

	OPTIMIZER_HIDE_VAR(ptr);
	OPTIMIZER_HIDE_VAR(size);
	OPTIMIZER_HIDE_VAR(n);
	KASAN_EXPECT("slab-out-of-bounds", memset(ptr + size - back, 0, n));
	kfree(ptr);
}

void kmalloc_oob_memset_2(void)
{
	kmalloc_oob_memset(2, 1);
}

void kmalloc_oob_memset_4(void)
{
	kmalloc_oob_memset(4, 3);
}

void kmalloc_oob_memset_8(void)
{
	kmalloc_oob_memset(8, 7);
}

void kmalloc_oob_memset_16(void)
{
	kmalloc_oob_memset(16, 15);
}

void kmalloc_memmove_negative_size(void)
{
	size_t size = 64;
	long invalid = -2;
	char *ptr = kmalloc(size, GFP_KERNEL);

	memset(ptr, 0, size);
	OPTIMIZER_HIDE_VAR(ptr);
	OPTIMIZER_HIDE_VAR(invalid);
	KASAN_EXPECT("out-of-bounds", memmove(ptr, ptr + 4, (size_t)invalid));
	kfree(ptr);
}

void kmalloc_memmove_invalid_size(void)
{
	size_t size = 64, invalid = size;
	char *ptr = kmalloc(size, GFP_KERNEL);

	memset(ptr, 0, size);
	OPTIMIZER_HIDE_VAR(ptr);
	OPTIMIZER_HIDE_VAR(invalid);
	KASAN_EXPECT("slab-out-of-bounds", memmove(ptr, ptr + 4, invalid));
	kfree(ptr);
}

void kmem_cache_oob(void)
{
	size_t size = 200;
	struct kmem_cache *cache = kmem_cache_create("test_cache", (unsigned int)size, 0, 0, NULL);
	char *p = kmem_cache_alloc(cache, GFP_KERNEL);

	OPTIMIZER_HIDE_VAR(p);
	KASAN_EXPECT("slab-out-of-bounds", *p = p[size]);
	kmem_cache_free(cache, p);
	kmem_cache_destroy(cache);
}

void kmem_cache_double_free(void)
{
	struct kmem_cache *cache = kmem_cache_create("test_cache", 200, 0, 0, NULL);
	char *p = kmem_cache_alloc(cache, GFP_KERNEL);

	kmem_cache_free(cache, p);
	KASAN_EXPECT("double-free", kmem_cache_free(cache, p));
	kmem_cache_destroy(cache);
}

void kmem_cache_invalid_free(void)
{
	struct kmem_cache *cache = kmem_cache_create("test_cache", 200, 0, 0, NULL);
	char *p = kmem_cache_alloc(cache, GFP_KERNEL);

	/* Trigger an invalid free: the object is not freed. */
	KASAN_EXPECT("invalid-free", kmem_cache_free(cache, p + 1));
	kmem_cache_free(cache, p);
	kmem_cache_destroy(cache);
}

void vmalloc_oob(void)
{
	size_t size = 4096 / 2 - KASAN_GRANULE_SIZE - 5;
	char *v_ptr = vmalloc(size), *p_ptr;
	struct page *page;

	OPTIMIZER_HIDE_VAR(v_ptr);
	KASAN_EXPECT("vmalloc-out-of-bounds", ((volatile char *)v_ptr)[size]);
	KASAN_EXPECT("vmalloc-out-of-bounds", ((volatile char *)v_ptr)[size + 5]);
	/* Not the guard page: it is not mapped, the access would oops after the report. */
	/* In-bounds accesses to the physical page are valid. */
	page = vmalloc_to_page(v_ptr);
	p_ptr = page_address(page);
	KASAN_EXPECT(NULL, p_ptr[0] = 0);
	KASAN_EXPECT(NULL, p_ptr[PAGE_SIZE - 1] = 0);
	vfree(v_ptr);
}

void pagealloc_oob_right(void)
{
	struct page *pages = alloc_pages(GFP_KERNEL, 1);
	char *ptr = page_address(pages);

	/* Keep the first page, give the second back: right past ours is free. */
	split_page(pages, 1);
	__free_page(pages + 1);
	OPTIMIZER_HIDE_VAR(ptr);
	KASAN_EXPECT(NULL, ptr[PAGE_SIZE - 1] = 0);
	KASAN_EXPECT("use-after-free", ptr[0] = ptr[PAGE_SIZE]);
	__free_page(pages);
}

void pagealloc_uaf(void)
{
	unsigned int order = 4;
	struct page *pages = alloc_pages(GFP_KERNEL, order);
	char *ptr = page_address(pages);

	free_pages((unsigned long)ptr, order);
	OPTIMIZER_HIDE_VAR(ptr);
	KASAN_EXPECT("use-after-free", ptr[0] = ptr[PAGE_SIZE]);
}

/* Linux's bitops work on the whole long that holds the bit. */
void kasan_bitops_modify(unsigned long nr, unsigned long *addr)
{
	unsigned long *w = addr + nr / BITS_PER_LONG_T, mask = 1UL << (nr % BITS_PER_LONG_T);

	KASAN_EXPECT("slab-out-of-bounds", __atomic_fetch_or(w, mask, __ATOMIC_RELAXED));	/* set_bit */
	KASAN_EXPECT("slab-out-of-bounds", *w |= mask);						/* __set_bit */
	KASAN_EXPECT("slab-out-of-bounds", __atomic_fetch_and(w, ~mask, __ATOMIC_RELAXED));	/* clear_bit */
	KASAN_EXPECT("slab-out-of-bounds", __atomic_fetch_and(w, ~mask, __ATOMIC_RELEASE));	/* clear_bit_unlock */
	KASAN_EXPECT("slab-out-of-bounds", *w &= ~mask);					/* __clear_bit */
	KASAN_EXPECT("slab-out-of-bounds", __atomic_fetch_xor(w, mask, __ATOMIC_RELAXED));	/* change_bit */
	KASAN_EXPECT("slab-out-of-bounds", *w ^= mask);						/* __change_bit */
}

void kasan_bitops_test_and_modify(unsigned long nr, unsigned long *addr)
{
	unsigned long *w = addr + nr / BITS_PER_LONG_T, mask = 1UL << (nr % BITS_PER_LONG_T);
	volatile unsigned long r = 0;

	KASAN_EXPECT("slab-out-of-bounds", r = __atomic_fetch_or(w, mask, __ATOMIC_SEQ_CST) & mask);	/* test_and_set_bit */
	KASAN_EXPECT("slab-out-of-bounds", r = __atomic_fetch_and(w, ~mask, __ATOMIC_SEQ_CST) & mask);	/* test_and_clear_bit */
	KASAN_EXPECT("slab-out-of-bounds", r = __atomic_fetch_xor(w, mask, __ATOMIC_SEQ_CST) & mask);	/* test_and_change_bit */
	KASAN_EXPECT("slab-out-of-bounds", r = *(volatile unsigned long *)w & mask);		/* test_bit */
	(void)r;
}

void kasan_bitops_generic(void)
{
	/* One byte more than a long: kzalloc rounds to 16, nothing else is hurt. */
	unsigned long *bits = kzalloc(sizeof(*bits) + 1, GFP_KERNEL);

	OPTIMIZER_HIDE_VAR(bits);
	kasan_bitops_modify(BITS_PER_LONG_T, bits);
	kasan_bitops_test_and_modify(BITS_PER_LONG_T + 8, bits);
	kfree(bits);
}

/* Linux's copy_user_test_oob: the copy helpers check the kernel buffer. */
void copy_user_test(unsigned long usermem)
{
	size_t size = 128 - KASAN_GRANULE_SIZE;
	char *kmem = kmalloc(size, GFP_KERNEL);
	volatile unsigned long unused;

	OPTIMIZER_HIDE_VAR(size);
	KASAN_EXPECT("slab-out-of-bounds", unused = copy_from_user(kmem, usermem, size + 1));
	KASAN_EXPECT("slab-out-of-bounds", unused = copy_to_user(usermem, kmem, size + 1));
	KASAN_EXPECT("slab-out-of-bounds",
		     unused = (unsigned long)strncpy_from_user(kmem, usermem, (long)size + 1));
	KASAN_EXPECT(NULL, unused = copy_to_user(usermem, kmem, size));
	(void)unused;
	kfree(kmem);
}

/* Accesses that are all in bounds: no report may come. */
void kasan_clean_accesses(void)
{
	char *p = kmalloc(100, GFP_KERNEL), *q, *v;
	struct kmem_cache *cache = kmem_cache_create("test_clean", 24, 0, 0, NULL);
	unsigned long *o = kmem_cache_alloc(cache, GFP_KERNEL);
	size_t ks;

	for (int i = 0; i < 100; i++)
		p[i] = (char)i;
	memset(p, 1, 100);
	o[0] = o[1] = o[2] = 3;
	q = krealloc(p, 300, GFP_KERNEL);
	memset(q + 100, 2, 200);
	ks = ksize(q);			/* all of the object may be used now */
	q[ks - 1] = 1;
	v = vmalloc(3 * 4096 + 1);
	memset(v, 0, 3 * 4096 + 1);
	vfree(v);
	kfree(q);
	kmem_cache_free(cache, o);
	kmem_cache_destroy(cache);
	kasan_expect_report(NULL, __func__, __LINE__);
}

/* The bench's loop: n instrumented 8-byte loads. */
unsigned long kasan_loads(const volatile unsigned long *p, unsigned long n)
{
	unsigned long sum = 0;

	for (unsigned long i = 0; i < n; i++)
		sum += p[i & 7];
	return sum;
}

/* A bad write with no expectation (test_kasan's kasan=off machine). */
void kasan_oob_write_raw(char *p, size_t i)
{
	OPTIMIZER_HIDE_VAR(p);
	p[i] = 1;
}
