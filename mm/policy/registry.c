// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/registry.c - the table of page-replacement policies
 * (<mmsim/cache_policy.h>).  A new policy is its own file and one line
 * here.  The table is code, not machine state: constant, no locking.
 */
#include <string.h>
#include <mmsim/cache_policy.h>

/* One line a policy, in the order `mmsim replay --policy help` lists them. */
#define POLICIES(X) \
	X(lru) \
	X(fifo) \
	X(clock) \
	X(sieve) \
	X(opt) \


#define DECLARE_POLICY(n) extern const struct cache_policy_ops cache_policy_##n;
POLICIES(DECLARE_POLICY)
#define POLICY_ENTRY(n) &cache_policy_##n,
static const struct cache_policy_ops *const policies[] = {
	POLICIES(POLICY_ENTRY)
	NULL
};

const struct cache_policy_ops *cache_policy_at(unsigned int i)
{
	unsigned int nr = sizeof(policies) / sizeof(policies[0]);

	return i + 1 < nr ? policies[i] : NULL;
}

const struct cache_policy_ops *cache_policy_find(const char *name)
{
	const struct cache_policy_ops *ops;
	unsigned int i;

	for (i = 0; (ops = cache_policy_at(i)); i++)
		if (!strcmp(ops->name, name))
			return ops;
	return NULL;
}
