// SPDX-License-Identifier: GPL-2.0
/*
 * lib/cmdline.c - the size parser every layer shares (Linux's memparse()
 * in lib/cmdline.c), strict: the boot spec, the sysfs/proc writers and the
 * scenario language all take "512M", "0x1000", "4k", "2G" the same way;
 * and the small value parsers the boot parameters' handlers share.
 *
 * No state, no locking.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lib/cmdline.h"

/* memparse() with nothing left over: "512M", "0x1000", "4k", "2G". */
int memparse_strict(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned int shift = 0;

	if (!*s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -EINVAL;
	switch (toupper((unsigned char)*end)) {
	case 'E': shift += 10; /* fall through */
	case 'P': shift += 10; /* fall through */
	case 'T': shift += 10; /* fall through */
	case 'G': shift += 10; /* fall through */
	case 'M': shift += 10; /* fall through */
	case 'K': shift += 10;
		end++;
		break;
	default:
		break;
	}
	if (*end)
		return -EINVAL;
	if (shift && v > (~0ULL >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

/* An int in [lo, hi], base 0, nothing left over. */
int cmdline_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (!*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 0);
	if (errno || *end || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

/* 1/on/y or 0/off/n, as the kernel's boolean boot parameters take them. */
int cmdline_bool(const char *s, bool *out)
{
	if (!strcmp(s, "1") || !strcmp(s, "on") || !strcmp(s, "y")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "0") || !strcmp(s, "off") || !strcmp(s, "n")) {
		*out = false;
		return 0;
	}
	return -EINVAL;
}

int cmdline_fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -EINVAL;
}
