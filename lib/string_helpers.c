// SPDX-License-Identifier: GPL-2.0
/*
 * lib/string_helpers.c - string_get_size(), the arithmetic of Linux's
 * lib/string_helpers.c: scale size * blk_size down by 1000 or 1024 while
 * it is at least that, keep a remainder in thousandths, print three
 * significant digits with the digit below rounded (500, 50, 5 added).
 * No state, no locking.
 */
#include <stdio.h>
#include "lib/string_helpers.h"

void string_get_size(uint64_t size, uint64_t blk_size, enum string_size_units units,
		     char *buf, size_t len)
{
	static const char *const units_10[] = {
		"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"
	};
	static const char *const units_2[] = {
		"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"
	};
	static const unsigned int divisor[] = { 1000, 1024 };
	static const unsigned int rounding[] = { 500, 50, 5 };
	unsigned int i = 0, j;
	uint32_t remainder = 0, sf_cap;
	char tmp[16] = "";

	if (blk_size == 0)
		size = 0;
	if (size == 0)
		goto out;
	while (blk_size >> 32) {
		blk_size /= divisor[units];
		i++;
	}
	if (size >= divisor[units] / (uint32_t)blk_size) {
		remainder = (uint32_t)(size % divisor[units]);
		size /= divisor[units];
		remainder *= (uint32_t)blk_size;
		i++;
	} else {
		remainder *= (uint32_t)size;
	}
	size *= blk_size;
	size += remainder / divisor[units];
	remainder %= divisor[units];
	while (size >= divisor[units]) {
		remainder = (uint32_t)(size % divisor[units]);
		size /= divisor[units];
		i++;
	}
	sf_cap = (uint32_t)size;
	for (j = 0; sf_cap * 10 < 1000; j++)
		sf_cap *= 10;
	if (units == STRING_UNITS_2) {
		remainder *= 1000;
		remainder >>= 10;
	}
	remainder += rounding[j];
	if (remainder >= 1000) {
		remainder -= 1000;
		size += 1;
	}
	if (j) {
		snprintf(tmp, sizeof(tmp), ".%03u", remainder);
		tmp[j + 1] = '\0';
	}
out:
	if (i >= 9)
		i = 8;
	snprintf(buf, len, "%u%s %s", (uint32_t)size, tmp,
		 units == STRING_UNITS_2 ? units_2[i] : units_10[i]);
}
