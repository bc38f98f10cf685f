// SPDX-License-Identifier: GPL-2.0
/*
 * lib/cmdline.c - the size parser every layer shares (Linux's memparse()
 * in lib/cmdline.c), strict: the boot spec, the sysfs/proc writers and the
 * scenario language all take "512M", "0x1000", "4k", "2G" the same way.
 *
 * No state, no locking.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
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
