// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/s3fifo.c - S3-FIFO: three static FIFO queues.
 *
 * J. Yang, Y. Zhang, Z. Qiu, Y. Yue and K. V. Rashmi, "FIFO queues are all
 * you need for cache eviction", ACM SOSP 2023 (Algorithm 1).
 *
 * The algorithm.  c pages split into a small FIFO S (10% of c) and a main
 * FIFO M (the rest); a ghost FIFO G remembers ids (no data) recently
 * evicted from S.  Each resident page has a 2-bit frequency (0..3).
 *   hit:   freq = min(freq + 1, 3); nothing moves.
 *   miss on x: if x is in G, x goes to M's head, else to S's head, with
 *          freq 0 (x leaves G); when the cache is full, first evict:
 *   evict: if |M| > its share (c - |S|'s share) or S is empty, evictM,
 *          else evictS.
 *   evictS: take S's tail t: if t.freq >= 2 move t to M's head with freq 0
 *          and look at the next tail; else evict t into G's head (G drops
 *          its own tail first when full).  If S empties without an
 *          eviction, evictM.
 *   evictM: take M's tail t: if t.freq >= 1, reinsert it at M's head with
 *          freq - 1 and look again; else evict t (no ghost).
 *
 * Sizes and thresholds follow libCacheSim (cache/eviction/S3FIFO.c,
 * defaults "fifo-size-ratio=0.10,ghost-size-ratio=0.90,
 * move-to-main-threshold=2") so that miss counts are equal: S's share is
 * floor(0.1 c), M's share c - floor(0.1 c), G holds floor(0.9 c) ids (for c
 * a multiple of 10 exactly M's share, as the paper sizes it); a page leaves S
 * for M when it was hit at least twice in S ("freq > 1" in the paper's
 * Algorithm 1).  A ghost hit leaves G before the evictions it causes, as
 * in libCacheSim (so it does not take room in G from the page evicted to
 * make room for it).  One deliberate difference: libCacheSim refuses to
 * admit an object whose size is >= S's share, so for c < 20 (S's share
 * 0 or 1 page) it caches nothing new; here S's share may be any size, so
 * small caches work (miss counts differ from libCacheSim only there).
 *
 * Parameters (args): small=F (S's share, 0 < F < 1, default 0.1),
 * ghost=F (G's size over c, default 0.9), threshold=N (hits in S that
 * promote to M, 1..3, default 2).
 *
 * The contract: victim() runs evictS/evictM's moves (promotions to M,
 * reinsertions in M: "hands" that may move) and returns the page it would
 * evict, without evicting it; remove(v, true) evicts it (into G when it
 * is in S).  victim(x) with x in G takes x out of G first (as above) and
 * remembers it in ghost_hit, so insert(x) puts x in M.
 *
 * Capacity 0 (kernel mode): c is the number of resident pages when victim()
 * or remove() runs, so M's share and G's size follow the cache's size.
 *
 * Invariants (s3fifo_is_valid): the three lists' links match their
 * counters; every node is in the id map under its id, nothing else is;
 * freq <= 3; |G| <= floor(ghost * c); with a capacity, |S|+|M| <= c.
 * Single-threaded: the caller serializes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mmsim/cache_policy.h>
#include <mmsim/printk.h>
#include "mm/policy/idmap.h"
#include "mm/policy/plist.h"

enum s3_where { S3_SMALL, S3_MAIN, S3_GHOST, S3_NR };

struct s3_node {
	struct plist_link lk;	/* on list[where] */
	cache_id_t id;
	uint8_t where;		/* enum s3_where */
	uint8_t freq;		/* 0..3, hits since insertion or last pass */
};

struct s3fifo {
	uint64_t capacity;	/* pages; 0: the caller evicts */
	double small_ratio;	/* S's share of c */
	double ghost_ratio;	/* G's size over c */
	unsigned int threshold;	/* S hits that promote to M */
	cache_id_t ghost_hit;	/* id taken out of G by victim(), for insert() */
	struct plist list[S3_NR];
	struct plist_pool pool;
	struct idmap map;
};

static inline struct s3_node *s3_node(struct s3fifo *s, uint32_t i)
{
	return pl_node(&s->pool, i);
}

static uint64_t s3_c(const struct s3fifo *s)
{
	return s->capacity ? s->capacity : s->list[S3_SMALL].nr + s->list[S3_MAIN].nr;
}

static uint64_t s3_ghost_max(const struct s3fifo *s)
{
	return (uint64_t)((double)s3_c(s) * s->ghost_ratio);
}

static int s3_arg(void *arg, const char *key, const char *val)
{
	struct s3fifo *s = arg;

	if (!strcmp(key, "small"))
		return policy_parse_ratio(val, &s->small_ratio);
	if (!strcmp(key, "ghost"))
		return policy_parse_ratio(val, &s->ghost_ratio);
	if (!strcmp(key, "threshold")) {
		if (strlen(val) != 1 || val[0] < '1' || val[0] > '3')
			return -EINVAL;
		s->threshold = (unsigned int)(val[0] - '0');
		return 0;
	}
	return -EINVAL;
}

static void *s3_create(const struct cache_policy_params *p, char *err, size_t errlen)
{
	struct s3fifo *s = calloc(1, sizeof(*s));
	int i;

	if (!s)
		goto nomem;
	s->capacity = p->capacity;
	s->small_ratio = 0.1;
	s->ghost_ratio = 0.9;
	s->threshold = 2;
	s->ghost_hit = CACHE_ID_NONE;
	if (policy_parse_args(p->args, s3_arg, s)) {
		snprintf(err, errlen,
			 "s3fifo: bad argument '%s' (small=F,ghost=F with 0<F<1, threshold=1..3)",
			 p->args);
		free(s);
		return NULL;
	}
	for (i = 0; i < S3_NR; i++)
		plist_init(&s->list[i], offsetof(struct s3_node, lk));
	if (plist_table_init(&s->pool, &s->map, sizeof(struct s3_node), 2 * p->capacity + 1))
		goto nomem_s;
	return s;
nomem_s:
	free(s);
nomem:
	snprintf(err, errlen, "s3fifo: out of memory");
	return NULL;
}

static void s3_destroy(void *st)
{
	struct s3fifo *s = st;

	plist_table_destroy(&s->pool, &s->map);
	free(s);
}

static bool s3_access(void *st, cache_id_t id, uint64_t seq)
{
	struct s3fifo *s = st;
	uint32_t i = idmap_get(&s->map, id);
	struct s3_node *n;

	(void)seq;
	if (i == IDMAP_NONE)
		return false;
	n = s3_node(s, i);
	if (n->where == S3_GHOST)
		return false;
	if (n->freq < 3)
		n->freq++;
	return true;
}

static void s3_free_node(struct s3fifo *s, uint32_t i)
{
	idmap_del(&s->map, s3_node(s, i)->id);
	plist_free(&s->pool, i);
}

static void s3_ghost_trim(struct s3fifo *s, uint64_t max)
{
	while (s->list[S3_GHOST].nr > max) {
		uint32_t t = s->list[S3_GHOST].tail;

		plist_del(&s->pool, &s->list[S3_GHOST], t);
		s3_free_node(s, t);
	}
}

static cache_id_t s3_victim(void *st, cache_id_t incoming)
{
	struct s3fifo *s = st;
	struct plist *small = &s->list[S3_SMALL], *main = &s->list[S3_MAIN];
	uint64_t c = s3_c(s), main_share = c - (uint64_t)((double)c * s->small_ratio);
	uint32_t i;

	if (!small->nr && !main->nr)
		return CACHE_ID_NONE;
	if (incoming != CACHE_ID_NONE && incoming != s->ghost_hit &&
	    (i = idmap_get(&s->map, incoming)) != IDMAP_NONE &&
	    s3_node(s, i)->where == S3_GHOST) {
		plist_del(&s->pool, &s->list[S3_GHOST], i);
		s3_free_node(s, i);
		s->ghost_hit = incoming;
	}
	if (main->nr <= main_share) {
		/* evictS */
		while (small->nr) {
			struct s3_node *t;

			i = small->tail;
			t = s3_node(s, i);
			if (t->freq < s->threshold)
				return t->id;
			plist_del(&s->pool, small, i);
			t->where = S3_MAIN;
			t->freq = 0;
			plist_push_head(&s->pool, main, i);
		}
	}
	/* evictM: terminates, each pass lowers a freq */
	for (;;) {
		struct s3_node *t;

		i = main->tail;
		t = s3_node(s, i);
		if (!t->freq)
			return t->id;
		t->freq--;
		plist_move_head(&s->pool, main, i);
	}
}

static void s3_remove(void *st, cache_id_t id, bool evicted)
{
	struct s3fifo *s = st;
	uint32_t i = idmap_get(&s->map, id);
	struct s3_node *n;
	bool to_ghost;

	if (WARN(i == IDMAP_NONE || s3_node(s, i)->where == S3_GHOST,
		 "s3fifo: remove of %llu, not resident\n", (unsigned long long)id))
		return;
	n = s3_node(s, i);
	to_ghost = evicted && n->where == S3_SMALL;
	plist_del(&s->pool, &s->list[n->where], i);
	if (to_ghost) {
		uint64_t max = s3_ghost_max(s);

		if (max) {
			s3_ghost_trim(s, max - 1);
			n->where = S3_GHOST;
			n->freq = 0;
			plist_push_head(&s->pool, &s->list[S3_GHOST], i);
			return;
		}
	}
	s3_free_node(s, i);
	s3_ghost_trim(s, s3_ghost_max(s));
}

static void s3_insert(void *st, cache_id_t id, uint64_t seq)
{
	struct s3fifo *s = st;
	uint32_t i = idmap_get(&s->map, id);
	enum s3_where w = S3_SMALL;
	struct s3_node *n;

	(void)seq;
	if (i != IDMAP_NONE) {
		if (WARN(s3_node(s, i)->where != S3_GHOST,
			 "s3fifo: insert of %llu, already resident\n", (unsigned long long)id))
			return;
		plist_del(&s->pool, &s->list[S3_GHOST], i);
		w = S3_MAIN;
	} else {
		if (s->ghost_hit == id)
			w = S3_MAIN;
		i = plist_alloc(&s->pool);
		if (i == PL_NONE || idmap_put(&s->map, id, i)) {
			fprintf(stderr, "s3fifo: out of memory\n");
			abort();
		}
	}
	s->ghost_hit = CACHE_ID_NONE;
	n = s3_node(s, i);
	n->id = id;
	n->where = w;
	n->freq = 0;
	plist_push_head(&s->pool, &s->list[w], i);
	s3_ghost_trim(s, s3_ghost_max(s));
}

static uint64_t s3_nr_resident(void *st)
{
	struct s3fifo *s = st;

	return s->list[S3_SMALL].nr + s->list[S3_MAIN].nr;
}

static bool s3_is_valid(void *st)
{
	struct s3fifo *s = st;
	uint64_t total = 0;
	int w;

	for (w = 0; w < S3_NR; w++) {
		uint32_t i;

		if (WARN(!plist_check(&s->pool, &s->list[w]), "s3fifo: list %d corrupt\n", w))
			return false;
		for (i = s->list[w].head; i != PL_NONE; i = s3_node(s, i)->lk.next) {
			struct s3_node *n = s3_node(s, i);

			if (WARN(n->where != w || n->freq > 3 || idmap_get(&s->map, n->id) != i,
				 "s3fifo: node %u (id %llu) misplaced\n", i,
				 (unsigned long long)n->id))
				return false;
		}
		total += s->list[w].nr;
	}
	if (WARN(s->map.nr != total, "s3fifo: map holds %llu ids, lists %llu\n",
		 (unsigned long long)s->map.nr, (unsigned long long)total))
		return false;
	if (WARN(s->list[S3_GHOST].nr > s3_ghost_max(s), "s3fifo: ghost over its size\n"))
		return false;
	if (WARN(s->capacity && s3_nr_resident(s) > s->capacity, "s3fifo: over capacity\n"))
		return false;
	return true;
}

const struct cache_policy_ops cache_policy_s3fifo = {
	.name = "s3fifo",
	.title = "S3-FIFO: Yang, Zhang, Qiu, Yue & Rashmi, SOSP 2023",
	.access = s3_access,
	.insert = s3_insert,
	.victim = s3_victim,
	.remove = s3_remove,
	.create = s3_create,
	.destroy = s3_destroy,
	.nr_resident = s3_nr_resident,
	.is_valid = s3_is_valid,
};
