/* SPDX-License-Identifier: GPL-2.0 */
/*
 * printk.h - the simulated kernel log: printk with Linux's levels, the
 * pr_* helpers, WARN/WARN_ON/WARN_ON_ONCE and the BUG splat helpers.
 *
 * Messages go to the log of the calling thread's machine and are read back
 * as /dev/kmsg (dmesg format).  Unlike Linux, BUG() does not kill anything:
 * it prints the splat, taints the machine and returns, so the simulation
 * goes on (panic_on_warn=1 turns WARN and BUG into a panic(), which halts
 * the machine: <mmsim/panic.h>).
 */
#ifndef MMSIM_PRINTK_H
#define MMSIM_PRINTK_H

#include <stdarg.h>
#include <mmsim/compiler.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_DEFAULT	""
#define KERN_CONT	KERN_SOH "c"

#define LOGLEVEL_DEFAULT 4	/* default_message_loglevel */

__printf(1, 2) int printk(const char *fmt, ...);
int vprintk(const char *fmt, va_list args);

#define pr_emerg(fmt, ...)	printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(KERN_ALERT fmt, ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG fmt, ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)

/* Taint flags, as in include/linux/panic.h (the subset mm raises). */
enum {
	TAINT_BAD_PAGE = 5,	/* 'B' */
	TAINT_DIE = 7,		/* 'D' */
	TAINT_WARN = 9,		/* 'W' */
};
void add_taint(unsigned int flag);
void print_tainted(char *buf, size_t len);

/* The "CPU: N PID: P Comm: C Tainted: ..." block and a call trace naming @fn. */
void dump_stack_fn(const char *fn);
#define dump_stack() dump_stack_fn(__func__)

/* Print Linux's "WARNING: CPU: ... at file:line fn" splat; returns true. */
__printf(4, 5) bool __warn_printk(const char *file, int line, const char *fn,
				  const char *fmt, ...);
/* Print Linux's "kernel BUG at file:line!" splat and go on. */
void __bug(const char *file, int line, const char *fn);

/* True the first time @key is seen on this machine (WARN_ONCE is per boot). */
bool warn_once_first(const void *key);

#define WARN(cond, fmt, ...)						\
	({								\
		bool __c = !!(cond);					\
		if (unlikely(__c))					\
			__warn_printk(__FILE__, __LINE__, __func__,	\
				      fmt, ##__VA_ARGS__);		\
		unlikely(__c);						\
	})
#define WARN_ON(cond) WARN(cond, "%s", "")
#define WARN_ONCE(cond, fmt, ...)					\
	({								\
		static const char __once_key;				\
		bool __c = !!(cond);					\
		if (unlikely(__c) && warn_once_first(&__once_key)) {	\
			__warn_printk(__FILE__, __LINE__, __func__,	\
				      fmt, ##__VA_ARGS__);		\
		}							\
		unlikely(__c);						\
	})
#define WARN_ON_ONCE(cond) WARN_ONCE(cond, "%s", "")
#define BUG() __bug(__FILE__, __LINE__, __func__)
#define BUG_ON(cond) do { if (unlikely(cond)) BUG(); } while (0)

#if MMSIM_DEBUG_VM
#define VM_WARN_ON(cond) WARN_ON(cond)
#define VM_WARN_ON_ONCE(cond) WARN_ON_ONCE(cond)
#define VM_BUG_ON(cond) BUG_ON(cond)
#else
#define VM_WARN_ON(cond) do { (void)sizeof(cond); } while (0)
#define VM_WARN_ON_ONCE(cond) do { (void)sizeof(cond); } while (0)
#define VM_BUG_ON(cond) do { (void)sizeof(cond); } while (0)
#endif

#endif
