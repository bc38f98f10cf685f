// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/cache_sim.c - cache mode: one replacement policy alone on a
 * stream of page ids (<mmsim/cache_policy.h>), libCacheSim's model with
 * --ignore-obj-size: every id is one page, the capacity counts pages, and a
 * request is a hit or a miss; a miss evicts (victim + remove) while the
 * cache is full, then inserts.  Nothing else: no warm-up, no admission.
 *
 * cache_next_use() is the offline first pass Belady's OPT needs: for each
 * request, the index of the next request for the same id.  It walks the
 * trace backwards with an idmap from id to a dense number and one uint64
 * "next seen at" per distinct id.
 *
 * The loop is the hot path of `mmsim replay --cache-mode`: the policy's
 * access() is called once a request through the ops table (an indirect call
 * the branch predictor learns), the miss path in its own function.
 * Single-threaded; the policy instance lives for one run.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/compiler.h>
#include "mm/policy/idmap.h"

/* The miss path: evict while full, then insert.  0 or -EINVAL (the policy had no victim). */
static noinline int cache_sim_miss(const struct cache_policy_ops *ops, void *st, uint64_t cap,
				   cache_id_t id, uint64_t seq, uint64_t *evictions)
{
	while (ops->nr_resident(st) >= cap) {
		cache_id_t v = ops->victim(st, id);

		if (unlikely(v == CACHE_ID_NONE))
			return -EINVAL;
		ops->remove(st, v, true);
		(*evictions)++;
	}
	ops->insert(st, id, seq);
	return 0;
}

int cache_sim_run(const struct cache_policy_ops *ops, const struct cache_policy_params *p,
		  const cache_id_t *ids, uint64_t n, struct cache_sim_result *out,
		  char *err, size_t errlen)
{
	bool (*access)(void *, cache_id_t, uint64_t);
	uint64_t cap, i, misses = 0, evictions = 0;
	int ret = 0;
	void *st;

	memset(out, 0, sizeof(*out));
	if (errlen)
		err[0] = '\0';
	if (!ops || !p || (!ids && n)) {
		snprintf(err, errlen, "cache mode: no policy, parameters or trace");
		return -EINVAL;
	}
	cap = p->capacity;
	if (!cap) {
		snprintf(err, errlen, "%s: cache mode needs a size of at least 1 page", ops->name);
		return -EINVAL;
	}
	if ((ops->flags & CACHE_POLICY_OFFLINE) && (!p->next_use || p->nr_requests < n)) {
		snprintf(err, errlen, "%s: an offline policy needs the trace's next-use pass",
			 ops->name);
		return -EINVAL;
	}
	st = ops->create(p, err, errlen);
	if (!st)
		return errlen && err[0] && !strstr(err, "memory") ? -EINVAL : -ENOMEM;

	access = ops->access;
	for (i = 0; i < n; i++) {
		cache_id_t id = ids[i];

		if (unlikely(id == CACHE_ID_NONE)) {
			snprintf(err, errlen, "request %llu: page id %llu is reserved",
				 (unsigned long long)i, (unsigned long long)id);
			ret = -EINVAL;
			break;
		}
		if (likely(access(st, id, i)))
			continue;
		misses++;
		ret = cache_sim_miss(ops, st, cap, id, i, &evictions);
		if (unlikely(ret)) {
			snprintf(err, errlen, "%s: request %llu: full with no victim", ops->name,
				 (unsigned long long)i);
			break;
		}
	}
	ops->destroy(st);
	if (ret)
		return ret;
	out->requests = n;
	out->misses = misses;
	out->hits = n - misses;
	out->evictions = evictions;
	return 0;
}

uint64_t *cache_next_use(const cache_id_t *ids, uint64_t n)
{
	uint64_t *next = malloc((n ? n : 1) * sizeof(*next));
	uint64_t *seen = NULL, nr_seen = 0, cap_seen = 0, i;
	struct idmap map;

	if (!next || idmap_init(&map, 1024)) {
		free(next);
		return NULL;
	}
	for (i = n; i-- > 0;) {
		uint32_t d = ids[i] == CACHE_ID_NONE ? IDMAP_NONE : idmap_get(&map, ids[i]);

		if (ids[i] == CACHE_ID_NONE) {
			next[i] = CACHE_NEXT_NEVER;
			continue;
		}
		if (d == IDMAP_NONE) {
			if (nr_seen == cap_seen) {
				uint64_t c = cap_seen ? 2 * cap_seen : 1024;
				uint64_t *s = c < IDMAP_NONE ? realloc(seen, c * sizeof(*s)) : NULL;

				if (!s)
					goto nomem;
				seen = s;
				cap_seen = c;
			}
			d = (uint32_t)nr_seen++;
			if (idmap_put(&map, ids[i], d))
				goto nomem;
			next[i] = CACHE_NEXT_NEVER;
		} else {
			next[i] = seen[d];
		}
		seen[d] = i;
	}
	idmap_destroy(&map);
	free(seen);
	return next;
nomem:
	idmap_destroy(&map);
	free(seen);
	free(next);
	return NULL;
}
