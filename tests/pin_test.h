/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/pin_test.h - what the pinning tests (test_pin_longterm.c,
 * test_cma.c) share: an anonymous mapping of the current task, the page
 * it maps at an address, and a byte pattern written and checked through
 * the uaccess path (so a migration that lost a byte shows).  Include after
 * mmtest.h and the mmsim headers the tests use.
 */
#ifndef MMSIM_TESTS_PIN_TEST_H
#define MMSIM_TESTS_PIN_TEST_H

#include <stdlib.h>

/* Page i of [va, ...) holds bytes (seed + i + j) & 0xff. */
static inline bool fill_pattern(unsigned long va, unsigned long n, unsigned char seed)
{
	unsigned char *buf = malloc(PAGE_SIZE);
	bool ok = buf != NULL;

	for (unsigned long i = 0; ok && i < n; i++) {
		for (unsigned long j = 0; j < PAGE_SIZE; j++)
			buf[j] = (unsigned char)(seed + i + j);
		ok = !mmsim_user_write(va + i * PAGE_SIZE, buf, PAGE_SIZE);
	}
	free(buf);
	return ok;
}

static inline bool holds_pattern(unsigned long va, unsigned long n, unsigned char seed)
{
	unsigned char *buf = malloc(PAGE_SIZE);
	bool ok = buf != NULL;

	for (unsigned long i = 0; ok && i < n; i++) {
		ok = !mmsim_user_read(va + i * PAGE_SIZE, buf, PAGE_SIZE);
		for (unsigned long j = 0; ok && j < PAGE_SIZE; j++)
			ok = buf[j] == (unsigned char)(seed + i + j);
	}
	free(buf);
	return ok;
}

/* The page current maps at @va (no reference kept). */
static inline struct page *mapped_page(unsigned long va)
{
	struct page *p = NULL;

	if (get_user_pages(va, 1, 0, &p) != 1)
		return NULL;
	put_page(p);
	return p;
}

/* @n pages of private anonymous memory in current's mm. */
static inline unsigned long anon_map(unsigned long n)
{
	unsigned long va = sys_mmap(0, n * PAGE_SIZE, PROT_READ | PROT_WRITE,
				    MAP_PRIVATE | MAP_ANONYMOUS, (unsigned long)-1, 0);

	KT_ASSERT(!IS_ERR_VALUE(va));
	return va;
}

#endif /* MMSIM_TESTS_PIN_TEST_H */
