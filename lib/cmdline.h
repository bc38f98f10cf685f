/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lib/cmdline.h - parsing sizes as the kernel command line does.  Internal.
 */
#ifndef MMSIM_LIB_CMDLINE_H
#define MMSIM_LIB_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * memparse_strict - a size with an optional K/M/G/T/P/E suffix (powers of
 * 1024) and nothing after it; base 0 like memparse() (0x.. hex).
 * Return: 0 and *@out set, -EINVAL (malformed) or -ERANGE (overflow).
 */
int memparse_strict(const char *s, uint64_t *out);

/* cmdline_int - an integer in [@lo, @hi], base 0, nothing after it: 0 or -EINVAL. */
int cmdline_int(const char *s, long lo, long hi, long *out);

/* cmdline_bool - "1"/"on"/"y" or "0"/"off"/"n": 0 or -EINVAL. */
int cmdline_bool(const char *s, bool *out);

/* cmdline_fail - print the one-line error into @err; returns -EINVAL. */
__attribute__((format(printf, 3, 4))) int cmdline_fail(char *err, size_t len, const char *fmt, ...);

#endif
