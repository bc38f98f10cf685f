/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hugetlb_test.h - helpers shared by the hugetlb tests (test_hugetlb.c,
 * test_hugetlb_cont.c): a meminfo field, the kernel log's tail on failure,
 * and filling / checking a user range through the MMU.
 */
#ifndef MMSIM_HUGETLB_TEST_H
#define MMSIM_HUGETLB_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/uaccess.h>
#include "mmtest.h"

static inline long long meminfo(struct mmsim *m, const char *label)
{
	char *s = mmsim_read(m, "/proc/meminfo");
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static inline void log_tail(struct mmsim *m)
{
	char *s = mmsim_read(m, "/dev/kmsg");
	size_t n = s ? strlen(s) : 0;

	if (s)
		fprintf(stderr, "--- kernel log tail ---\n%s\n", s + (n > 3000 ? n - 3000 : 0));
	free(s);
}

static inline bool fill(unsigned long va, size_t len, unsigned char c)
{
	unsigned char buf[4096];

	memset(buf, c, sizeof(buf));
	for (size_t off = 0; off < len; off += sizeof(buf))
		if (mmsim_user_write(va + off, buf, min(sizeof(buf), len - off)))
			return false;
	return true;
}

static inline bool holds(unsigned long va, size_t len, unsigned char c)
{
	unsigned char buf[4096];

	for (size_t off = 0; off < len; off += sizeof(buf)) {
		size_t n = min(sizeof(buf), len - off);

		if (mmsim_user_read(va + off, buf, n))
			return false;
		for (size_t i = 0; i < n; i++)
			if (buf[i] != c)
				return false;
	}
	return true;
}

#endif
