/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cache_policy.h - page-replacement policies on bare page ids (mm/policy/).
 *
 * The research lab (docs/lab.md) runs a replacement policy two ways:
 *  - cache mode: the policy alone on a stream of page ids, with a fixed
 *    capacity in pages and no kernel around it -- libCacheSim's model with
 *    --ignore-obj-size, so miss counts compare with libCacheSim and papers
 *    (cache_sim_run, mm/policy/cache_sim.c);
 *  - kernel mode: the same policy file behind the reclaim ops table
 *    (<mmsim/lru_policy.h>), as the boot word lru=NAME: mm/policy/
 *    lru_adapter.c turns these calls into lru_policy_ops, where ids are
 *    folios and the kernel learns of accesses only through the PTEs'
 *    accessed bits (docs/lab.md says what that changes).
 *
 * One policy is one file, mm/policy/<name>.c, defining one
 * `const struct cache_policy_ops cache_policy_<name>`, and one line in the
 * table of mm/policy/registry.c.  Its header comment states the algorithm
 * and cites its paper.
 *
 * The contract of an instance (single-threaded: the caller serializes):
 *  - access(id): if @id is resident, record a hit and return true; else
 *    return false and change nothing (ghost/history entries included).
 *  - a miss is then: while nr_resident() >= capacity: v = victim(id);
 *    remove(v, true); and finally insert(id).  cache_sim_run does exactly
 *    that; a capacity of 0 means the caller decides when to evict (kernel
 *    mode), and insert must then never evict by itself.
 *  - victim(incoming) chooses the next resident to evict WITHOUT removing
 *    it (a CLOCK hand may move and clear reference bits on the way);
 *    @incoming is the id about to be inserted (ARC's REPLACE looks at it)
 *    or CACHE_ID_NONE; CACHE_ID_NONE is returned when nothing is resident.
 *    The kernel adapter may answer a victim with access(v) instead of
 *    remove (the folio was found referenced or busy): the policy must then
 *    treat it as a hit, and a later victim() must be able to choose another.
 *  - remove(id, evicted): @id (resident) leaves; @evicted true: it was
 *    chosen by victim() and may enter ghost history; false: it left for
 *    another reason (freed, unmapped) and leaves no history.
 *  - @seq is the index of the current request in the trace (0, 1, ...);
 *    offline policies (CACHE_POLICY_OFFLINE, Belady's OPT) read
 *    params->next_use[seq], the index of the next request for the same id
 *    (CACHE_NEXT_NEVER if none).  Online policies ignore it.
 *  - is_valid() checks the instance's own structures (every resident id
 *    found once, list lengths equal the counters, ghost sizes within their
 *    bounds): WARN + false on error.  Tests call it after every step.
 */
#ifndef MMSIM_CACHE_POLICY_H
#define MMSIM_CACHE_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t cache_id_t;
#define CACHE_ID_NONE		UINT64_MAX
#define CACHE_NEXT_NEVER	UINT64_MAX

/* cache_policy_ops.flags */
#define CACHE_POLICY_OFFLINE	0x1	/* needs next_use: cache mode only */
#define CACHE_POLICY_STACK	0x2	/* a stack algorithm: one pass gives every size's misses */

struct cache_policy_params {
	uint64_t capacity;		/* pages; 0: unbounded, the caller evicts */
	const char *args;		/* "key=value,key=value" of the policy, or NULL */
	const uint64_t *next_use;	/* offline policies: per request index */
	uint64_t nr_requests;		/* length of next_use */
};

struct cache_policy_ops {
	const char *name;		/* "lru", "arc", ...: --policy and lru= */
	const char *title;		/* one line: algorithm, authors, venue, year */
	unsigned int flags;
	/* NULL + a message in @err (e.g. "s3fifo: bad argument 'small=2'"). */
	void *(*create)(const struct cache_policy_params *p, char *err, size_t errlen);
	void (*destroy)(void *st);
	bool (*access)(void *st, cache_id_t id, uint64_t seq);
	void (*insert)(void *st, cache_id_t id, uint64_t seq);
	cache_id_t (*victim)(void *st, cache_id_t incoming);
	void (*remove)(void *st, cache_id_t id, bool evicted);
	uint64_t (*nr_resident)(void *st);
	bool (*is_valid)(void *st);
	/*
	 * Optional (NULL: none), a hint with no effect on the outcome: @id
	 * will be requested soon, so load what access(@id) will touch into the
	 * CPU cache.  cache_sim_run calls it for each request at decreasing
	 * distances ahead, with @stage CACHE_PREFETCH_STAGES - 1 down to 0, so
	 * a stage may read what the stage before it prefetched (the hash
	 * bucket, then the node, then the node's neighbours).  It must not
	 * change the policy's state.
	 */
	void (*prefetch)(void *st, cache_id_t id, unsigned int stage);
};
#define CACHE_PREFETCH_STAGES	3

/* The registry (mm/policy/registry.c). */
const struct cache_policy_ops *cache_policy_find(const char *name);
/* The @i-th registered policy (registry order), NULL past the end. */
const struct cache_policy_ops *cache_policy_at(unsigned int i);

/* Cache mode (mm/policy/cache_sim.c). */
struct cache_sim_result {
	uint64_t requests;
	uint64_t hits;
	uint64_t misses;
	uint64_t evictions;
};

/*
 * Run @ops with @p->capacity pages over @ids[0..@n): each request is
 * access, or on a miss victim/remove until there is room, then insert.
 * 0, or -EINVAL (bad args: message in @err) / -ENOMEM.
 */
int cache_sim_run(const struct cache_policy_ops *ops, const struct cache_policy_params *p,
		  const cache_id_t *ids, uint64_t n, struct cache_sim_result *out,
		  char *err, size_t errlen);

/* next_use[i] for every request of @ids (CACHE_NEXT_NEVER: not again); malloc'd, NULL on ENOMEM. */
uint64_t *cache_next_use(const cache_id_t *ids, uint64_t n);

/*
 * Miss-ratio curves in one pass (mm/policy/mrc.c): Mattson's LRU stack
 * distances, exact with @sample_rate 1.0, or SHARDS fixed-rate spatial
 * sampling (Waldspurger et al., FAST 2015) with 0 < @sample_rate < 1.
 * misses[k] is the LRU miss count at sizes[k] pages (scaled back to the
 * whole trace when sampled).  0 or -EINVAL/-ENOMEM.
 */
int mrc_lru(const cache_id_t *ids, uint64_t n, double sample_rate,
	    const uint64_t *sizes, unsigned int nr_sizes, uint64_t *misses);

#endif
