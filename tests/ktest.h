/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktest.h - the tiny test harness every tests/test_*.c uses.
 *
 *   static void test_foo(void) { KT_ASSERT(x == 1); KT_EQ(a, b); }
 *   int main(void) { KT_RUN(test_foo); return kt_done(); }
 *
 * A test function fails if any assertion in it fails; the run ends with
 * the line "N passed, N failed" and a non-zero exit status on failure.
 */
#ifndef MMSIM_KTEST_H
#define MMSIM_KTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int kt_passed, kt_failed, kt_cur_failed;
static const char *kt_cur_name;

#define KT_ASSERT(cond)							\
	do {								\
		if (!(cond)) {						\
			fprintf(stderr, "%s:%d: %s: assertion failed: %s\n", \
				__FILE__, __LINE__, kt_cur_name, #cond); \
			kt_cur_failed++;				\
		}							\
	} while (0)

#define KT_EQ(a, b)							\
	do {								\
		long long __a = (long long)(a), __b = (long long)(b);	\
		if (__a != __b) {					\
			fprintf(stderr, "%s:%d: %s: %s == %s failed: %lld != %lld\n", \
				__FILE__, __LINE__, kt_cur_name, #a, #b, __a, __b); \
			kt_cur_failed++;				\
		}							\
	} while (0)

#define KT_STR_CONTAINS(hay, needle)					\
	do {								\
		const char *__h = (hay);				\
		if (!__h || !strstr(__h, (needle))) {			\
			fprintf(stderr, "%s:%d: %s: expected \"%s\" in text\n", \
				__FILE__, __LINE__, kt_cur_name, (needle)); \
			kt_cur_failed++;				\
		}							\
	} while (0)

#define KT_RUN(fn)							\
	do {								\
		kt_cur_name = #fn;					\
		kt_cur_failed = 0;					\
		fn();							\
		if (kt_cur_failed) {					\
			kt_failed++;					\
			fprintf(stderr, "FAIL %s\n", #fn);		\
		} else {						\
			kt_passed++;					\
			printf("ok   %s\n", #fn);			\
		}							\
	} while (0)

static inline int kt_done(void)
{
	printf("%d passed, %d failed\n", kt_passed, kt_failed);
	return kt_failed ? 1 : 0;
}

#endif
