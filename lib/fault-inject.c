// SPDX-License-Identifier: GPL-2.0
/*
 * lib/fault-inject.c - the decision shared by every fault injector
 * (fail_page_alloc, failslab), Linux's lib/fault-inject.c.
 *
 * A struct fault_attr (init/machine.h) holds Linux's knobs: a failure is
 * injected every `interval` calls with `probability` percent, once `space`
 * bytes have been asked for, at most `times` times (-1: no limit); with
 * `verbose` each injection is logged ("FAULT_INJECTION: forcing a
 * failure.") and, above 1, a stack.  Randomness is xorshift64* seeded from
 * the machine's seed, so runs repeat.
 *
 * Locking: the caller serializes calls on one fault_attr (each injector
 * says how).
 */
#include <stdio.h>
#include <string.h>
#include "mm/internal.h"

void fault_attr_init(struct fault_attr *fa, uint64_t seed)
{
	memset(fa, 0, sizeof(*fa));
	fa->interval = 1;
	fa->times = 1;
	fa->rng = seed * 0x9E3779B97F4A7C15ULL + 1;
}

/**
 * setup_fault_attr - apply a boot parameter NAME=<interval>,<probability>,
 * <space>,<times> to @fa, as Linux's setup_fault_attr() does
 *
 * Any interval is taken, 0 included: should_fail() only skips calls for an
 * interval above 1, so 0 and 1 both mean every call, as in Linux.
 * Return: 0, or -EINVAL with @err naming the word.
 */
int setup_fault_attr(struct fault_attr *fa, const char *name, const char *str, char *err,
		     size_t len)
{
	unsigned long interval, probability;
	long space, times;

	if (sscanf(str, "%lu,%lu,%ld,%ld", &interval, &probability, &space, &times) != 4 ||
	    probability > 100) {
		snprintf(err, len, "'%s=%s': expected <interval>,<probability>,<space>,<times>",
			 name, str);
		return -EINVAL;
	}
	fa->interval = interval;
	fa->probability = probability;
	fa->space = space;
	fa->times = times;
	pr_info("FAULT_INJECTION: %s: interval:%lu probability:%lu space:%ld times:%ld\n", name,
		interval, probability, space, times);
	return 0;
}

static uint64_t fault_random(struct fault_attr *fa)
{
	uint64_t x = fa->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	fa->rng = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/**
 * should_fail - does this call of the injector named @name fail?
 * @size: bytes the call asks for (counted against `space`)
 */
bool should_fail(struct fault_attr *fa, const char *name, size_t size)
{
	if (fa->times == 0)
		return false;
	if (fa->space > 0) {
		fa->space -= (long)size;
		if (fa->space > 0)
			return false;
	}
	fa->count++;
	if (fa->interval > 1 && fa->count % fa->interval)
		return false;
	if (fa->probability == 0 || (fault_random(fa) % 100) >= fa->probability)
		return false;
	if (fa->times != -1)
		fa->times--;
	fa->nr_injected++;
	if (fa->verbose) {
		pr_notice("FAULT_INJECTION: forcing a failure.\n"
			  "name %s, interval %lu, probability %lu, space %ld, times %ld\n", name,
			  fa->interval, fa->probability, fa->space, fa->times);
		if (fa->verbose > 1)
			dump_stack();
	}
	return true;
}
