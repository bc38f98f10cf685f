/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uaccess.h - the kernel's access to user memory, and a running program's
 * own accesses (DESIGN §3b).
 *
 * Kernel helpers (Linux's return conventions; no signal on a bad address:
 * the fault is fixed up, as an exception-table entry does):
 *   copy_to_user/copy_from_user/clear_user: bytes NOT copied (0 = all);
 *     copy_from_user zeroes the uncopied tail of the kernel buffer;
 *   get_user/put_user: 0 or -EFAULT (macros, as in Linux);
 *   strncpy_from_user: length without the NUL, @count if no NUL within it,
 *     or -EFAULT.
 * They run as current (its mm, user permissions) through the MMU and the
 * fault handler (demand faults and copy-on-write happen as usual).
 *
 * mmsim_user_read/mmsim_user_write: what the user program itself does:
 * 0, or -EFAULT after the task got SIGSEGV/SIGBUS (it died of the default
 * action and current is NULL), or -EINTR when it died of another signal
 * during the access.
 *
 * On a halted (panicked) machine (<mmsim/panic.h>) access_ok() is false,
 * so the kernel helpers copy nothing, and mmsim_user_* return -EIO.
 */
#ifndef MMSIM_UACCESS_H
#define MMSIM_UACCESS_H

#include <stddef.h>
#include <mmsim/types.h>

unsigned long copy_to_user(unsigned long to, const void *from, unsigned long n);
unsigned long copy_from_user(void *to, unsigned long from, unsigned long n);
unsigned long clear_user(unsigned long to, unsigned long n);
long strncpy_from_user(char *dst, unsigned long src, long count);
long strnlen_user(unsigned long src, long n);
int __get_user_bytes(void *dst, unsigned long src, size_t size);
int __put_user_bytes(unsigned long dst, const void *src, size_t size);
bool access_ok(unsigned long addr, unsigned long size);

#define get_user(x, ptr)							\
	({									\
		__typeof__(x) __gu_val = 0;					\
		int __gu_err = __get_user_bytes(&__gu_val, (unsigned long)(ptr), sizeof(x)); \
		(x) = __gu_val;							\
		__gu_err;							\
	})
#define put_user(x, ptr)							\
	({									\
		__typeof__(x) __pu_val = (x);					\
		__put_user_bytes((unsigned long)(ptr), &__pu_val, sizeof(__pu_val)); \
	})

long mmsim_user_read(unsigned long va, void *buf, size_t len);
long mmsim_user_write(unsigned long va, const void *buf, size_t len);
/* An instruction fetch at @va (as current): 0 or -EFAULT after SIGSEGV. */
long mmsim_user_exec(unsigned long va);

#endif
