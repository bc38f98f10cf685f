// SPDX-License-Identifier: GPL-2.0
/*
 * mm/kasan/generic.c - generic KASAN's compiler runtime (Linux's
 * mm/kasan/generic.c and the __asan_report_* of report_generic.c): what
 * code compiled with -fsanitize=kernel-address calls, and the checked
 * memset/memcpy/memmove.
 *
 * Outline instrumentation (the flags of docs/kasan.md: GCC's
 * --param asan-instrumentation-with-call-threshold=0, clang's
 * -mllvm -asan-instrumentation-with-call-threshold=0) turns every load and
 * store of 1, 2, 4, 8 or 16 bytes into a call of __asan_{load,store}N_noabort
 * and every other size into __asan_{load,store}N_noabort(addr, size); the
 * callback checks and returns, and the access then happens (reported or
 * not, as in Linux).  Inline instrumentation would read the shadow at
 * (addr >> 3) + a fixed offset, which needs one shadow for the whole host
 * address space: mmsim supports outline mode only, and defines
 * __asan_report_*_noabort only so that inline-built code links and reports.
 *
 * The callback's fast path: an address outside the hull of every kasan=on
 * machine's covered ranges (kasan_range_lo/hi, init.c) - host memory: the
 * caller's stack, malloc(), its globals - is let through after two
 * compares.  Inside, the region table names the machine and its shadow,
 * which is checked byte-exactly (memory_is_poisoned).
 *
 * Stack and global instrumentation (asan-stack, asan-globals) are off in
 * the documented flags: the stacks and globals of the program are host
 * memory with no shadow.  __asan_register_globals and
 * __asan_handle_no_return exist for KASAN's sake only to link, and pass
 * the call on to the host's ASan runtime when the program has one.
 *
 * The checks themselves (kasan_check_range) are in shadow.c: nothing in
 * the library calls into this file, so a program links it only when its
 * own code was instrumented.  That matters with a host sanitizer whose
 * runtime defines the same __asan_* names (clang links its ASan runtime
 * statically): the library alone never brings a second definition.
 *
 * No state of its own but two cached function pointers; no locks (init.c's
 * table is read lock-free).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>
#include "mm/kasan/kasan.h"

/*
 * Named by mmsim_kasan_sources()'s link option (-u mmsim_kasan_runtime,
 * pkg-config's kasan_libs) so that this file is linked into the program
 * even when a host ASan runtime already defines the __asan_* names: a
 * program's own definitions then win over the shared runtime's.
 */
const int mmsim_kasan_runtime = 1;

#ifdef CONFIG_KASAN

/*
 * The callbacks' fast path: outside every covered range (and not in the
 * NULL page, 4K on every arch mmsim has), or a clean access.
 */
static __always_inline void check_access(uintptr_t addr, size_t size, bool write, unsigned long ip)
{
	uintptr_t lo = atomic_load_explicit(&kasan_range_lo, memory_order_relaxed);
	uintptr_t hi = atomic_load_explicit(&kasan_range_hi, memory_order_relaxed);

	if (likely(addr - lo >= hi - lo || hi <= lo) && likely(addr >= 4096))
		return;
	kasan_check_range((const void *)addr, size, write, ip);
}

#else /* !CONFIG_KASAN: the runtime exists so that instrumented code links */

static __always_inline void check_access(uintptr_t addr, size_t size, bool write, unsigned long ip)
{
	(void)addr; (void)size; (void)write; (void)ip;
}

#endif /* CONFIG_KASAN */

#ifdef CONFIG_KMSAN
#define STORE_HOOK(addr, size)	kmsan_instrumented_store((const void *)(addr), (size))
#else
#define STORE_HOOK(addr, size)	do { } while (0)
#endif

/* Exported to instrumented code only: no header declares these. */
#define DEFINE_ASAN_LOAD_STORE(size)						\
	void __asan_load##size##_noabort(void *addr);			\
	void __asan_load##size##_noabort(void *addr)			\
	{									\
		check_access((uintptr_t)addr, (size_t)size, false, _RET_IP_);			\
	}									\
	void __asan_store##size##_noabort(void *addr);			\
	void __asan_store##size##_noabort(void *addr)			\
	{									\
		check_access((uintptr_t)addr, (size_t)size, true, _RET_IP_);			\
		STORE_HOOK(addr, (size_t)size);						\
	}

DEFINE_ASAN_LOAD_STORE(1)
DEFINE_ASAN_LOAD_STORE(2)
DEFINE_ASAN_LOAD_STORE(4)
DEFINE_ASAN_LOAD_STORE(8)
DEFINE_ASAN_LOAD_STORE(16)

void __asan_loadN_noabort(void *addr, long size);
void __asan_loadN_noabort(void *addr, long size)
{
	check_access((uintptr_t)addr, (size_t)size, false, _RET_IP_);
}

void __asan_storeN_noabort(void *addr, long size);
void __asan_storeN_noabort(void *addr, long size)
{
	check_access((uintptr_t)addr, (size_t)size, true, _RET_IP_);
	STORE_HOOK(addr, (size_t)size);
}

/*
 * Inline mode's reports: the compiler found the shadow bad itself.  mmsim
 * does not support inline mode (no fixed shadow offset), but a report
 * call still reports through the region table.
 */
#ifdef CONFIG_KASAN
#define REPORT(addr, size, write)						\
	do {									\
		struct kasan_state *ks = kasan_state_of((const void *)(addr));	\
		if (!ks)							\
			ks = kasan_current();					\
		if (ks)								\
			kasan_report(ks, (const void *)(addr), (size), (write),	\
				     _RET_IP_);					\
	} while (0)
#else
#define REPORT(addr, size, write)	do { (void)(addr); } while (0)
#endif

#define DEFINE_ASAN_REPORT(size)						\
	void __asan_report_load##size##_noabort(void *addr);		\
	void __asan_report_load##size##_noabort(void *addr)		\
	{									\
		REPORT(addr, (size_t)size, false);					\
	}									\
	void __asan_report_store##size##_noabort(void *addr);		\
	void __asan_report_store##size##_noabort(void *addr)		\
	{									\
		REPORT(addr, (size_t)size, true);					\
	}

DEFINE_ASAN_REPORT(1)
DEFINE_ASAN_REPORT(2)
DEFINE_ASAN_REPORT(4)
DEFINE_ASAN_REPORT(8)
DEFINE_ASAN_REPORT(16)

void __asan_report_load_n_noabort(void *addr, long size);
void __asan_report_load_n_noabort(void *addr, long size)
{
	REPORT(addr, (size_t)size, false);
}

void __asan_report_store_n_noabort(void *addr, long size);
void __asan_report_store_n_noabort(void *addr, long size)
{
	REPORT(addr, (size_t)size, true);
}

/*
 * The host's own AddressSanitizer (a test built with -fsanitize=address
 * that also links instrumented kernel code) defines these three too and
 * needs them: this definition, linked into the program, is the one its
 * host-instrumented code calls, so each passes the call on to the next
 * definition (libasan's) when there is one.
 */
static void *next_asan_fn(const char *name, void *self)
{
	void *fn = dlsym(RTLD_NEXT, name);

	return fn == self ? NULL : fn;
}

#define FORWARD(name, self, type, ...)						\
	do {									\
		static _Atomic(type) next;					\
		static atomic_bool looked;					\
		type fn;							\
										\
		if (!atomic_load_explicit(&looked, memory_order_acquire)) {	\
			atomic_store(&next, (type)next_asan_fn(name, (void *)(self))); \
			atomic_store_explicit(&looked, true, memory_order_release); \
		}								\
		fn = atomic_load_explicit(&next, memory_order_relaxed);		\
		if (fn)								\
			fn(__VA_ARGS__);					\
	} while (0)

/* A noreturn call (longjmp, exit): the stack's redzones would go; we keep none. */
typedef void (*no_return_fn)(void);
void __asan_handle_no_return(void);
void __asan_handle_no_return(void)
{
	FORWARD("__asan_handle_no_return", __asan_handle_no_return, no_return_fn);
}

/*
 * Globals (asan-globals=1): Linux poisons each global's redzone.  A
 * program's globals are host memory, outside every shadow: nothing to do
 * for KASAN.
 */
typedef void (*globals_fn)(void *, long);
void __asan_register_globals(void *globals, long nr);
void __asan_register_globals(void *globals, long nr)
{
	FORWARD("__asan_register_globals", __asan_register_globals, globals_fn, globals, nr);
}

void __asan_unregister_globals(void *globals, long nr);
void __asan_unregister_globals(void *globals, long nr)
{
	FORWARD("__asan_unregister_globals", __asan_unregister_globals, globals_fn, globals, nr);
}

/*
 * The checked mem* functions: the whole range is checked before a byte
 * moves (Linux's __asan_memset & co); a bad range is reported and, as in
 * Linux, nothing is written and NULL returned, so the simulation goes on
 * with its memory intact.  Each also tells KMSAN (when that tool is on)
 * that the bytes were written.  Not instrumented by a host ASan build
 * either: its compiler would turn their own memset() into __asan_memset,
 * that is, into themselves.
 */
__attribute__((no_sanitize_address))
void *__asan_memset(void *addr, int c, size_t len)
{
#ifdef CONFIG_KASAN
	if (!kasan_check_range(addr, len, true, _RET_IP_))
		return NULL;
#endif
#ifdef CONFIG_KMSAN
	kmsan_instrumented_store(addr, len);
#endif
	return memset(addr, c, len);
}

__attribute__((no_sanitize_address))
void *__asan_memmove(void *dst, const void *src, size_t len)
{
#ifdef CONFIG_KASAN
	if (!kasan_check_range(src, len, false, _RET_IP_) ||
	    !kasan_check_range(dst, len, true, _RET_IP_))
		return NULL;
#endif
#ifdef CONFIG_KMSAN
	kmsan_instrumented_memmove(dst, src, len);
#endif
	return memmove(dst, src, len);
}

__attribute__((no_sanitize_address))
void *__asan_memcpy(void *dst, const void *src, size_t len)
{
#ifdef CONFIG_KASAN
	if (!kasan_check_range(src, len, false, _RET_IP_) ||
	    !kasan_check_range(dst, len, true, _RET_IP_))
		return NULL;
#endif
#ifdef CONFIG_KMSAN
	kmsan_instrumented_memmove(dst, src, len);
#endif
	return memcpy(dst, src, len);
}
