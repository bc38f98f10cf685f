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

#include <stdarg.h>
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

/*
 * A test by a name made at run time (a row of a table of cases):
 * kt_begin(name), its checks, kt_end().  KT_RUN(fn) is that for a function.
 */
static inline void kt_begin(const char *name)
{
	kt_cur_name = name;
	kt_cur_failed = 0;
}

static inline void kt_end(void)
{
	if (kt_cur_failed) {
		kt_failed++;
		fprintf(stderr, "FAIL %s\n", kt_cur_name);
	} else {
		kt_passed++;
		printf("ok   %s\n", kt_cur_name);
	}
}

#define KT_RUN(fn)							\
	do {								\
		kt_begin(#fn);						\
		fn();							\
		kt_end();						\
	} while (0)

/*
 * KT_EQ for checks in a loop over cases, where the expression text would
 * not say which case and field failed: the message is printf-formatted.
 *   KT_EQ_WHAT(r->base, exp->base, "%s[%d].base", type->name, i);
 */
#define KT_EQ_WHAT(a, b, ...)						\
	kt_eq_what((long long)(a), (long long)(b), __FILE__, __LINE__, __VA_ARGS__)

static inline __attribute__((format(printf, 5, 6)))
void kt_eq_what(long long a, long long b, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	if (a == b)
		return;
	fprintf(stderr, "%s:%d: %s: ", file, line, kt_cur_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, ": %#llx, expected %#llx\n", (unsigned long long)a, (unsigned long long)b);
	kt_cur_failed++;
}

static inline int kt_done(void)
{
	printf("%d passed, %d failed\n", kt_passed, kt_failed);
	return kt_failed ? 1 : 0;
}

#endif
