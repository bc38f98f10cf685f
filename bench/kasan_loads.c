// SPDX-License-Identifier: GPL-2.0
/*
 * bench/kasan_loads.c - bench_kasan's instrumented half, compiled with
 * KASAN's flags (mmsim_kasan_sources in bench/CMakeLists.txt): the same
 * loop as bench_kasan.c's plain_loads(), each 8-byte load a call of
 * __asan_load8_noabort.  Not a bench_*.c: it is no program of its own.
 */
unsigned long kasan_loads(const volatile unsigned long *p, unsigned long n);

unsigned long kasan_loads(const volatile unsigned long *p, unsigned long n)
{
	unsigned long sum = 0;

	for (unsigned long i = 0; i < n; i++)
		sum += p[i & 7];
	return sum;
}
