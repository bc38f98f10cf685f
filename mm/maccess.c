// SPDX-License-Identifier: GPL-2.0
/*
 * mm/maccess.c - access to user memory: the kernel's uaccess helpers
 * (copy_to_user & co., Linux's return conventions) and a running
 * program's own loads, stores and instruction fetches
 * (mmsim_user_read/write/exec, DESIGN §3b).
 *
 * Design.  Both go through the simulated MMU of the calling CPU
 * (mmu_access: TLB, then a page walk that sets Accessed/Dirty) one page
 * at a time: a translation covers the rest of its page, so a large copy
 * costs one translation per page, not per byte.  When the MMU faults, the
 * fault goes to the arch entry (arch_handle_fault: do_user_addr_fault on
 * x86, do_mem_abort on arm64), which resolves it (demand fault, COW) and
 * the access is retried, or fails:
 *   - kernel helpers access in kernel mode: a failing fault is fixed up,
 *     no signal; they return what Linux's do (bytes not copied, -EFAULT);
 *     access_ok() keeps them below TASK_SIZE;
 *   - mmsim_user_* access in user mode (MMU_USER): a failing fault sent
 *     current SIGSEGV/SIGBUS (logged by the arch entry); after the access
 *     (no lock held) exit_to_user_mode() acts on it: the task dies and
 *     -EFAULT is returned (-EINTR when it died of another signal).
 * A fault that would repeat forever (a bug) is cut after a few tries with
 * a WARN.
 *
 * Also here: /proc/sys/debug/exception-trace (show_unhandled_signals,
 * read by arch/fault.c through show_unhandled_signals_value()).
 *
 * On a halted (panicked) machine access_ok() is false, so the kernel
 * helpers copy nothing (get_user/put_user/strncpy_from_user: -EFAULT), and
 * mmsim_user_* return -EIO (<mmsim/panic.h>).
 *
 * Locking: none held across the access; the fault path takes mmap_lock.
 */
#include <string.h>
#include "mm/fault_internal.h"
#include "mm/internal.h"
#include <mmsim/uaccess.h>
#include <mmsim/fault.h>
#include <mmsim/mmu.h>
#include <mmsim/sysctl.h>
#include <mmsim/panic.h>
#include <mmsim/kmsan.h>

#define UACCESS_MAX_FAULTS	8	/* per page; more means a bug */

int exception_trace_sysctl_init(struct memory_state *ms)
{
	const struct ctl_table table[] = {
		{ .procname = "exception-trace", .data = &ms->show_unhandled_signals,
		  .maxlen = sizeof(int), .mode = 0644, .proc_handler = proc_dointvec },
	};

	return register_sysctl("debug", table);
}

int show_unhandled_signals_value(void)
{
	return __atomic_load_n(&memory_state()->show_unhandled_signals, __ATOMIC_RELAXED);
}

static unsigned long user_limit(void)
{
	struct task_struct *tsk = current;

	if (tsk && tsk->mm && tsk->mm->task_size)
		return tsk->mm->task_size;
	return TASK_SIZE;
}

bool access_ok(unsigned long addr, unsigned long size)
{
	unsigned long limit = user_limit();

	RETURN_IF_HALTED(false);	/* a halted machine copies nothing */
	return size <= limit && addr <= limit - size;
}

/*
 * Translate @va for @acc; on a fault let the arch entry handle it.  The
 * host address of @va, or NULL when the access cannot be made.
 */
static void *uaccess_translate(unsigned long va, unsigned int acc, struct pt_regs *regs)
{
	struct pt_regs kregs = { 0 };
	struct mmu_fault f;

	for (int tries = 0; tries < UACCESS_MAX_FAULTS; tries++) {
		void *p = mmu_access(va, acc, &f);

		if (p)
			return p;
		if (arch_handle_fault(&f, regs ? regs : &kregs))
			return NULL;
	}
	WARN_ONCE(1, "mmsim: fault at %lx not resolved after %d tries\n", va,
		  UACCESS_MAX_FAULTS);
	return NULL;
}

static inline unsigned long page_left(unsigned long va)
{
	return PAGE_SIZE - (va & ~PAGE_MASK);
}

/* The kernel's copy loop: bytes not done. */
static unsigned long kernel_copy(unsigned long uaddr, void *kbuf, const void *src,
				 unsigned long n, unsigned int acc)
{
	while (n) {
		unsigned long chunk = min(n, page_left(uaddr));
		void *p = uaccess_translate(uaddr, acc, NULL);

		if (!p)
			break;
		if (!mmu_access_begin())
			continue;	/* a shootdown came in: translate again */
		if (acc == MMU_WRITE) {
			if (src) {
				memcpy(p, src, chunk);
				src = (const char *)src + chunk;
			} else {
				memset(p, 0, chunk);
			}
		} else {
			memcpy(kbuf, p, chunk);
			kbuf = (char *)kbuf + chunk;
		}
		mmu_access_end();
		uaddr += chunk;
		n -= chunk;
	}
	return n;
}

unsigned long copy_to_user(unsigned long to, const void *from, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	if (kasan_enabled())	/* instrument_copy_to_user */
		kasan_check_read(from, (unsigned int)n);
	instrument_copy_to_user(to, from, n);
	return kernel_copy(to, NULL, from, n, MMU_WRITE);
}

unsigned long copy_from_user(void *to, unsigned long from, unsigned long n)
{
	unsigned long left = n;

	if (access_ok(from, n)) {
		if (kasan_enabled())	/* instrument_copy_from_user_before */
			kasan_check_write(to, (unsigned int)n);
		left = kernel_copy(from, to, NULL, n, MMU_READ);
	}
	if (left)
		memset((char *)to + (n - left), 0, left);
	instrument_copy_from_user_after(to, from, n, 0);	/* copied or zeroed: all written */
	return left;
}

unsigned long clear_user(unsigned long to, unsigned long n)
{
	if (!access_ok(to, n))
		return n;
	return kernel_copy(to, NULL, NULL, n, MMU_WRITE);
}

int __get_user_bytes(void *dst, unsigned long src, size_t size)
{
	if (copy_from_user(dst, src, size))
		return -EFAULT;
	return 0;
}

int __put_user_bytes(unsigned long dst, const void *src, size_t size)
{
	if (copy_to_user(dst, src, size))
		return -EFAULT;
	return 0;
}

long strncpy_from_user(char *dst, unsigned long src, long count)
{
	long res = 0;

	if (count <= 0)
		return 0;
	if (!access_ok(src, 1))
		return -EFAULT;
	if (kasan_enabled())
		kasan_check_write(dst, (unsigned int)count);
	while (res < count) {
		unsigned long chunk = min((unsigned long)(count - res), page_left(src));
		const char *p;

		if (!access_ok(src, chunk))
			return -EFAULT;
		p = uaccess_translate(src, MMU_READ, NULL);
		if (!p)
			return -EFAULT;
		for (unsigned long i = 0; i < chunk; i++) {
			dst[res] = p[i];
			if (!p[i])
				return res;
			res++;
		}
		src += chunk;
	}
	return res;
}

long strnlen_user(unsigned long src, long n)
{
	long res = 0;

	if (n <= 0 || !access_ok(src, 1))
		return 0;
	while (res < n) {
		unsigned long chunk = min((unsigned long)(n - res), page_left(src));
		const char *p;

		if (!access_ok(src, chunk))
			return 0;
		p = uaccess_translate(src, MMU_READ, NULL);
		if (!p)
			return 0;
		for (unsigned long i = 0; i < chunk; i++) {
			res++;
			if (!p[i])
				return res;
		}
		src += chunk;
	}
	return n + 1;
}

/* ---------------------------------------------------------------------
 * The running program's own accesses
 */

static long user_access_end(bool failed)
{
	int sig = exit_to_user_mode();

	if (sig == SIGSEGV || sig == SIGBUS)
		return -EFAULT;
	if (sig)
		return -EINTR;
	return failed ? -EFAULT : 0;
}

static long user_access(unsigned long va, void *buf, const void *src, size_t len,
			unsigned int acc)
{
	struct task_struct *tsk = current;
	bool failed = false;

	RETURN_IF_HALTED(-EIO);
	if (!tsk || !tsk->mm)
		return -EFAULT;
	while (len) {
		unsigned long chunk = min((unsigned long)len, page_left(va));
		void *p = uaccess_translate(va, acc | MMU_USER, &tsk->regs);

		if (!p) {
			failed = true;
			break;
		}
		if (!mmu_access_begin())
			continue;	/* a shootdown came in: translate again */
		if (acc == MMU_WRITE) {
			memcpy(p, src, chunk);
			src = (const char *)src + chunk;
		} else if (acc == MMU_READ) {
			memcpy(buf, p, chunk);
			buf = (char *)buf + chunk;
		}
		mmu_access_end();
		va += chunk;
		len -= chunk;
	}
	return user_access_end(failed);
}

long mmsim_user_read(unsigned long va, void *buf, size_t len)
{
	return user_access(va, buf, NULL, len, MMU_READ);
}

long mmsim_user_write(unsigned long va, const void *buf, size_t len)
{
	return user_access(va, NULL, buf, len, MMU_WRITE);
}

long mmsim_user_exec(unsigned long va)
{
	struct task_struct *tsk = current;

	if (tsk)
		tsk->regs.ip = va;
	return user_access(va, NULL, NULL, 1, MMU_EXEC);
}
