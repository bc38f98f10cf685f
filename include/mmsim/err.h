/* SPDX-License-Identifier: GPL-2.0 */
/*
 * err.h - error values in pointers and addresses (Linux's linux/err.h):
 * the top MAX_ERRNO values of the address space are -errno.
 */
#ifndef MMSIM_ERR_H
#define MMSIM_ERR_H

#include <stdbool.h>
#include <mmsim/compiler.h>

#ifndef MAX_ERRNO
#define MAX_ERRNO	4095
#endif
#ifndef IS_ERR_VALUE
#define IS_ERR_VALUE(x) unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
#endif

static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR_VALUE((unsigned long)ptr); }
static inline int PTR_ERR_OR_ZERO(const void *ptr) { return IS_ERR(ptr) ? (int)PTR_ERR(ptr) : 0; }

#endif
