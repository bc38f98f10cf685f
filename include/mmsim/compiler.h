/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compiler.h - the small compiler vocabulary the kernel code uses:
 * likely/unlikely, READ_ONCE/WRITE_ONCE, container_of, BUILD_BUG_ON.
 */
#ifndef MMSIM_COMPILER_H
#define MMSIM_COMPILER_H

#include <mmsim/config.h>

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#ifndef __always_inline
#define __always_inline	inline __attribute__((always_inline))
#endif
#define noinline	__attribute__((noinline))
#define __cold		__attribute__((cold))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __maybe_unused	__attribute__((unused))
#define __must_check	__attribute__((warn_unused_result))

#define READ_ONCE(x)	 __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

/*
 * Linux's data_race() for one unsigned long: a read that may race by design
 * and whose value the caller only trusts as a hint (compaction's pfn scanner
 * reading a page's order while the page may be allocated under it: its
 * writers use plain stores).  ThreadSanitizer does not watch it.
 */
static __attribute__((no_sanitize("thread"), __noinline__, __unused__)) unsigned long
data_race_read_ulong(const unsigned long *p)
{
	return *(const volatile unsigned long *)p;
}

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

#define BUILD_BUG_ON(cond) _Static_assert(!(cond), #cond)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define min(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a < _b ? _a : _b; })
#define max(a, b) ({ __typeof__(a) _a = (a); __typeof__(b) _b = (b); _a > _b ? _a : _b; })
#define swap(a, b) do { __typeof__(a) _t = (a); (a) = (b); (b) = _t; } while (0)
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define clamp(v, lo, hi) min(max(v, lo), hi)

#define ALIGN(x, a)		(((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))

#define SZ_1K	0x00000400UL
#define SZ_2K	0x00000800UL
#define SZ_4K	0x00001000UL
#define SZ_8K	0x00002000UL
#define SZ_16K	0x00004000UL
#define SZ_32K	0x00008000UL
#define SZ_64K	0x00010000UL
#define SZ_128K	0x00020000UL
#define SZ_256K	0x00040000UL
#define SZ_512K	0x00080000UL
#define SZ_1M	0x00100000UL
#define SZ_2M	0x00200000UL
#define SZ_4M	0x00400000UL
#define SZ_8M	0x00800000UL
#define SZ_16M	0x01000000UL
#define SZ_32M	0x02000000UL
#define SZ_64M	0x04000000UL
#define SZ_128M	0x08000000UL
#define SZ_256M	0x10000000UL
#define SZ_512M	0x20000000UL
#define SZ_1G	0x40000000UL
#define SZ_2G	0x80000000UL
#define SZ_4G	0x100000000UL

static inline int fls64(uint64_t x) { return x ? 64 - __builtin_clzll(x) : 0; }
static inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
static inline int __ffs64(uint64_t x) { return __builtin_ctzll(x); }
static inline int ilog2_u64(uint64_t x) { return fls64(x) - 1; }
static inline bool is_power_of_2(unsigned long n) { return n && !(n & (n - 1)); }
static inline unsigned long rounddown_pow_of_two(unsigned long n)
{
	return n ? 1UL << (fls64(n) - 1) : 0;
}
static inline unsigned long roundup_pow_of_two(unsigned long n)
{
	return n <= 1 ? 1 : 1UL << fls64(n - 1);
}
/* int_sqrt - integer square root, rounded down (lib/math/int_sqrt.c). */
static inline unsigned long int_sqrt(unsigned long x)
{
	unsigned long b, m, y = 0;

	if (x <= 1)
		return x;
	m = 1UL << (fls64(x) & ~1UL);
	while (m != 0) {
		b = y + m;
		y >>= 1;
		if (x >= b) {
			x -= b;
			y += m;
		}
		m >>= 2;
	}
	return y;
}

#endif
