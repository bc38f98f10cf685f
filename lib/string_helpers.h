/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lib/string_helpers.h - Linux's string_get_size() (lib/string_helpers.c).
 */
#ifndef MMSIM_LIB_STRING_HELPERS_H
#define MMSIM_LIB_STRING_HELPERS_H

#include <stddef.h>
#include <stdint.h>

enum string_size_units { STRING_UNITS_10, STRING_UNITS_2 };

/*
 * string_get_size - @size blocks of @blk_size bytes as "4.29 GB" (units of
 * 1000) or "4.00 GiB" (units of 1024): three significant digits, rounded
 * as Linux rounds them.
 */
void string_get_size(uint64_t size, uint64_t blk_size, enum string_size_units units,
		     char *buf, size_t len);

#endif
