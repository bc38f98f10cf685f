/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lib/cmdline.h - parsing sizes as the kernel command line does.  Internal.
 */
#ifndef MMSIM_LIB_CMDLINE_H
#define MMSIM_LIB_CMDLINE_H

#include <stdint.h>

/*
 * memparse_strict - a size with an optional K/M/G/T/P/E suffix (powers of
 * 1024) and nothing after it; base 0 like memparse() (0x.. hex).
 * Return: 0 and *@out set, -EINVAL (malformed) or -ERANGE (overflow).
 */
int memparse_strict(const char *s, uint64_t *out);

#endif
