/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/kasan_test.h - what the two halves of test_kasan share.
 *
 * tests/kasan_test_c.c is compiled with KASAN's instrumentation
 * (mmsim_kasan_sources in CMakeLists.txt): it plays the kernel code under
 * test, ported from Linux's mm/kasan/kasan_test_c.c.  tests/test_kasan.c
 * is built as every test is (host ASan in the test build): it boots the
 * machine, runs each case and reads the reports.
 *
 * A case does its bad accesses through KASAN_EXPECT(bug, expr): the
 * access, then kasan_expect_report(), which the driver defines: the log
 * since the last check must hold "BUG: KASAN: <bug> in <func>+".  With
 * bug NULL no report may appear.
 */
#ifndef MMSIM_TESTS_KASAN_TEST_H
#define MMSIM_TESTS_KASAN_TEST_H

#include <stddef.h>

void kasan_expect_report(const char *bug, const char *func, int line);

#define KASAN_EXPECT(bug, expr)						\
	do {								\
		expr;							\
		kasan_expect_report((bug), __func__, __LINE__);		\
	} while (0)

/* Keep the compiler from reasoning about a pointer (Linux's OPTIMIZER_HIDE_VAR). */
#define OPTIMIZER_HIDE_VAR(var)	__asm__("" : "=r"(var) : "0"(var))

struct kmem_cache;

/* The instrumented cases (tests/kasan_test_c.c), and their helpers (global: reports name them). */
void krealloc_more_oob_helper(size_t size1, size_t size2);
void krealloc_less_oob_helper(size_t size1, size_t size2);
void kmalloc_oob_memset(size_t n, size_t back);
void kasan_bitops_modify(unsigned long nr, unsigned long *addr);
void kasan_bitops_test_and_modify(unsigned long nr, unsigned long *addr);
void kmalloc_oob_right(void);
void kmalloc_oob_left(void);
void kmalloc_node_oob_right(void);
void kmalloc_large_oob_right(void);
void krealloc_more_oob(void);
void krealloc_less_oob(void);
void kmalloc_oob_16(void);
void kmalloc_uaf(void);
void kmalloc_uaf_memset(void);
void kmalloc_uaf2(void);
void kmalloc_double_kzfree(void);
void kmalloc_oob_memset_2(void);
void kmalloc_oob_memset_4(void);
void kmalloc_oob_memset_8(void);
void kmalloc_oob_memset_16(void);
void kmalloc_memmove_negative_size(void);
void kmalloc_memmove_invalid_size(void);
void kmalloc_large_uaf(void);
void kmalloc_large_invalid_free(void);
void kmem_cache_oob(void);
void kmem_cache_double_free(void);
void kmem_cache_invalid_free(void);
void vmalloc_oob(void);
void pagealloc_oob_right(void);
void pagealloc_uaf(void);
void kasan_bitops_generic(void);
void copy_user_test(unsigned long user_addr);
void kasan_clean_accesses(void);
void kasan_oob_write_raw(char *p, size_t i);
unsigned long kasan_loads(const volatile unsigned long *p, unsigned long n);

#endif
