// SPDX-License-Identifier: GPL-2.0
/*
 * mm/policy/clockpro.c - CLOCK-Pro, LIRS' reuse-distance idea on a clock.
 *
 * S. Jiang, F. Chen and X. Zhang, "CLOCK-Pro: An Effective Improvement of
 * the CLOCK Replacement", USENIX ATC 2005 (Section 4).
 *
 * The algorithm.  m pages of memory.  One circular list (the clock) holds
 * three kinds of pages, in the order they were last moved to its head:
 *   hot pages (resident; LIRS' LIR pages),
 *   cold resident pages, some "in their test period",
 *   non-resident cold pages still in their test period (history only).
 * Each resident page has a reference bit, set by a hit (nothing moves on a
 * hit).  The head of the list is the position just behind HAND_hot; three
 * hands go round in the same direction, from the oldest to the newest:
 *  HAND_cold (looks for a victim) at a cold resident page:
 *    bit 0: the victim; when evicted it stays on the clock as a
 *      non-resident page if in its test period, else leaves the clock;
 *    bit 1, in test period: it becomes hot (bit cleared, moved to the
 *      head), m_c += 1, and HAND_hot runs while hot pages exceed m - m_c;
 *    bit 1, not in test period: bit cleared, a new test period, moved to
 *      the head.
 *    Other pages are passed over.
 *  HAND_hot at a hot page: bit 1: clear it; bit 0: the page becomes cold
 *    (with no test period).  At a cold resident page it ends the test
 *    period, at a non-resident page it removes the page (doing HAND_test's
 *    work).  It runs while the hot pages exceed their target m - m_c.
 *  HAND_test at a cold resident page ends its test period; at a
 *    non-resident page it removes it.  It runs while the non-resident
 *    pages number more than m.
 * A miss on x: HAND_cold finds a victim (when memory is full).  If x is a
 * non-resident page on the clock (re-accessed within its test period) it
 * becomes a hot page at the head, m_c += 1, and HAND_hot runs; else x is a
 * cold page at the head, in its test period, and HAND_test runs.
 * Adaptation of m_c (the cold pages' target): +1 when a cold page is
 * re-accessed within its test period (a non-resident one faulting, or a
 * resident one found with its bit set by HAND_cold), -1 when a test
 * period ends without a re-access (a non-resident page removed, or a
 * resident one with bit 0 whose period HAND_hot or HAND_test ends);
 * 1 <= m_c <= m.
 *
 * Choices the paper leaves open, stated here: m_c starts at its lower
 * bound 1, so the cache starts LIRS-like (LIRS' HIR share is 1%), every
 * page that proves its reuse within its test period may turn hot, and m_c
 * grows only as test periods see re-accesses (starting from m instead, as
 * the Python clockpro and its Go port go-clockpro do, demotes the first hot
 * pages at once and lets a scan flush them: tests/test_lab_policies.c's
 * scan test fails that way); a page demoted from hot has no test period;
 * a resident cold page with its bit set whose test period HAND_hot or
 * HAND_test ends does not lower m_c (it was re-accessed).  libCacheSim has
 * no CLOCK-Pro, so the golden figures of tests/test_lab_policies.c come
 * from an independent model in the test.
 *
 * The contract: access() sets the bit of a resident page.  victim() runs
 * HAND_cold (its promotions, moves and HAND_hot runs are hand movements)
 * and returns the page it stops at without evicting it; remove(v, true)
 * evicts it (it stays non-resident when in its test period, and HAND_test
 * runs); insert() is the rest of the miss.  A page that leaves while a hand
 * points at it moves that hand to the next page.
 *
 * Capacity 0 (kernel mode): m is the number of resident pages at the
 * moment (at least 1); m_c is clamped to it where used.
 *
 * Invariants (clockpro_is_valid): the clock's links match its counter;
 * the kinds' counters match the clock; every node is in the id map once,
 * nothing else is; the hands point at clock members (all PL_NONE iff the
 * clock is empty); non-resident pages <= m; 1 <= m_c; with a capacity,
 * m_c <= m and resident <= m.
 * Single-threaded: the caller serializes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <mmsim/cache_policy.h>
#include <mmsim/printk.h>
#include "mm/policy/idmap.h"
#include "mm/policy/plist.h"

enum cp_kind { CP_HOT, CP_COLD, CP_TEST, CP_NR };	/* CP_TEST: non-resident */

struct cp_node {
	struct plist_link lk;	/* on the clock */
	cache_id_t id;
	uint8_t kind;		/* enum cp_kind */
	uint8_t ref;		/* the reference bit (resident pages) */
	uint8_t test;		/* a cold page in its test period */
};

struct clockpro {
	uint64_t capacity;	/* pages; 0: the caller evicts */
	uint64_t m_c;		/* target of cold resident pages */
	uint64_t nr[CP_NR];	/* pages of each kind on the clock */
	uint32_t hand_hot, hand_cold, hand_test;	/* node indexes */
	struct plist clock;	/* circular: the tail's next is the head */
	struct plist_pool pool;
	struct idmap map;
};

static inline struct cp_node *cp_node(struct clockpro *s, uint32_t i)
{
	return pl_node(&s->pool, i);
}

static uint64_t cp_m(const struct clockpro *s)
{
	uint64_t r = s->nr[CP_HOT] + s->nr[CP_COLD];

	if (s->capacity)
		return s->capacity;
	return r ? r : 1;
}

static uint64_t cp_hot_target(const struct clockpro *s)
{
	uint64_t m = cp_m(s);

	return m - (s->m_c < m ? s->m_c : m);
}

static uint32_t cp_next(struct clockpro *s, uint32_t i)
{
	uint32_t n = cp_node(s, i)->lk.next;

	return n != PL_NONE ? n : s->clock.head;
}

static void *cp_create(const struct cache_policy_params *p, char *err, size_t errlen)
{
	struct clockpro *s;

	if (p->args && *p->args) {
		snprintf(err, errlen, "clockpro: takes no arguments ('%s')", p->args);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		goto nomem;
	s->capacity = p->capacity;
	s->m_c = 1;		/* its lower bound: see above */
	s->hand_hot = s->hand_cold = s->hand_test = PL_NONE;
	plist_init(&s->clock, offsetof(struct cp_node, lk));
	if (plist_table_init(&s->pool, &s->map, sizeof(struct cp_node), 2 * p->capacity + 1))
		goto nomem_s;
	return s;
nomem_s:
	free(s);
nomem:
	snprintf(err, errlen, "clockpro: out of memory");
	return NULL;
}

static void cp_destroy(void *st)
{
	struct clockpro *s = st;

	plist_table_destroy(&s->pool, &s->map);
	free(s);
}

/* Take @i off the clock; a hand on it moves to the next page. */
static void cp_unlink(struct clockpro *s, uint32_t i)
{
	uint32_t next = s->clock.nr > 1 ? cp_next(s, i) : PL_NONE;

	if (s->hand_hot == i)
		s->hand_hot = next;
	if (s->hand_cold == i)
		s->hand_cold = next;
	if (s->hand_test == i)
		s->hand_test = next;
	plist_del(&s->pool, &s->clock, i);
	s->nr[cp_node(s, i)->kind]--;
}

/* Put @i at the clock's head: just behind HAND_hot. */
static void cp_link_head(struct clockpro *s, uint32_t i)
{
	if (!s->clock.nr) {
		plist_push_head(&s->pool, &s->clock, i);
		s->hand_hot = s->hand_cold = s->hand_test = i;
	} else {
		plist_insert_before(&s->pool, &s->clock, s->hand_hot, i);
	}
	s->nr[cp_node(s, i)->kind]++;
}

static void cp_forget(struct clockpro *s, uint32_t i)
{
	cp_unlink(s, i);
	idmap_del(&s->map, cp_node(s, i)->id);
	plist_free(&s->pool, i);
}

static void cp_mc_inc(struct clockpro *s)
{
	uint64_t m = cp_m(s);

	if (s->m_c >= m)
		s->m_c = m;
	else
		s->m_c++;
}

static void cp_mc_dec(struct clockpro *s)
{
	uint64_t m = cp_m(s);

	if (s->m_c > m)
		s->m_c = m;
	if (s->m_c > 1)
		s->m_c--;
}

/* A cold resident page's test period ends (HAND_hot or HAND_test). */
static void cp_end_test(struct clockpro *s, struct cp_node *n)
{
	if (n->test) {
		n->test = 0;
		if (!n->ref)
			cp_mc_dec(s);
	}
}

/* One step of HAND_hot. */
static void cp_step_hot(struct clockpro *s)
{
	uint32_t i = s->hand_hot;
	struct cp_node *n = cp_node(s, i);

	switch (n->kind) {
	case CP_HOT:
		if (n->ref) {
			n->ref = 0;
		} else {
			n->kind = CP_COLD;
			n->test = 0;
			s->nr[CP_HOT]--;
			s->nr[CP_COLD]++;
		}
		break;
	case CP_COLD:
		cp_end_test(s, n);
		break;
	default:
		cp_mc_dec(s);
		cp_forget(s, i);	/* moves the hand */
		return;
	}
	s->hand_hot = cp_next(s, i);
}

static void cp_balance_hot(struct clockpro *s)
{
	while (s->nr[CP_HOT] && s->nr[CP_HOT] > cp_hot_target(s))
		cp_step_hot(s);
}

/* HAND_test runs while there are more than m non-resident pages. */
static void cp_run_test(struct clockpro *s)
{
	while (s->nr[CP_TEST] > cp_m(s)) {
		uint32_t i = s->hand_test;
		struct cp_node *n = cp_node(s, i);

		if (n->kind == CP_TEST) {
			cp_mc_dec(s);
			cp_forget(s, i);
			continue;
		}
		if (n->kind == CP_COLD)
			cp_end_test(s, n);
		s->hand_test = cp_next(s, i);
	}
}

static bool cp_access(void *st, cache_id_t id, uint64_t seq)
{
	struct clockpro *s = st;
	uint32_t i = idmap_get(&s->map, id);

	(void)seq;
	if (i == IDMAP_NONE || cp_node(s, i)->kind == CP_TEST)
		return false;
	cp_node(s, i)->ref = 1;
	return true;
}

static cache_id_t cp_victim(void *st, cache_id_t incoming)
{
	struct clockpro *s = st;

	(void)incoming;
	if (!s->nr[CP_HOT] && !s->nr[CP_COLD])
		return CACHE_ID_NONE;
	for (;;) {
		uint32_t i;
		struct cp_node *n;

		if (!s->nr[CP_COLD]) {
			/* All hot (only a capacity-0 cache): HAND_hot makes a cold page. */
			cp_step_hot(s);
			continue;
		}
		i = s->hand_cold;
		n = cp_node(s, i);
		if (n->kind != CP_COLD) {
			s->hand_cold = cp_next(s, i);
			continue;
		}
		if (!n->ref)
			return n->id;
		n->ref = 0;
		cp_unlink(s, i);
		if (n->test) {
			n->kind = CP_HOT;
			n->test = 0;
			cp_link_head(s, i);
			cp_mc_inc(s);
			cp_balance_hot(s);
		} else {
			n->test = 1;
			cp_link_head(s, i);
		}
	}
}

static void cp_remove(void *st, cache_id_t id, bool evicted)
{
	struct clockpro *s = st;
	uint32_t i = idmap_get(&s->map, id);
	struct cp_node *n;

	if (WARN(i == IDMAP_NONE || cp_node(s, i)->kind == CP_TEST,
		 "clockpro: remove of %llu, not resident\n", (unsigned long long)id))
		return;
	n = cp_node(s, i);
	if (evicted && n->kind == CP_COLD && n->test) {
		/* Stays in place as a non-resident page, its test period running. */
		s->nr[CP_COLD]--;
		s->nr[CP_TEST]++;
		n->kind = CP_TEST;
		n->ref = 0;
	} else {
		cp_forget(s, i);
	}
	cp_run_test(s);
}

static void cp_insert(void *st, cache_id_t id, uint64_t seq)
{
	struct clockpro *s = st;
	uint32_t i = idmap_get(&s->map, id);
	struct cp_node *n;

	(void)seq;
	if (i != IDMAP_NONE) {
		n = cp_node(s, i);
		if (WARN(n->kind != CP_TEST, "clockpro: insert of %llu, already resident\n",
			 (unsigned long long)id))
			return;
		/* Re-accessed within its test period: hot. */
		cp_unlink(s, i);
		n->kind = CP_HOT;
		n->ref = 0;
		n->test = 0;
		cp_link_head(s, i);
		cp_mc_inc(s);
		cp_balance_hot(s);
	} else {
		i = plist_alloc(&s->pool);
		if (i == PL_NONE || idmap_put(&s->map, id, i)) {
			fprintf(stderr, "clockpro: out of memory\n");
			abort();
		}
		n = cp_node(s, i);
		n->id = id;
		n->kind = CP_COLD;
		n->ref = 0;
		n->test = 1;
		cp_link_head(s, i);
	}
	cp_run_test(s);
}

static uint64_t cp_nr_resident(void *st)
{
	struct clockpro *s = st;

	return s->nr[CP_HOT] + s->nr[CP_COLD];
}

static bool cp_is_valid(void *st)
{
	struct clockpro *s = st;
	uint64_t nr[CP_NR] = { 0 }, m = cp_m(s);
	bool hh = false, hc = false, ht = false;
	uint32_t i;

	if (WARN(!plist_check(&s->pool, &s->clock), "clockpro: clock corrupt\n"))
		return false;
	for (i = s->clock.head; i != PL_NONE; i = cp_node(s, i)->lk.next) {
		struct cp_node *n = cp_node(s, i);

		if (WARN(n->kind >= CP_NR || idmap_get(&s->map, n->id) != i ||
			 (n->kind == CP_HOT && n->test) || (n->kind == CP_TEST && !n->test),
			 "clockpro: node %llu bad (kind %u test %u)\n",
			 (unsigned long long)n->id, n->kind, n->test))
			return false;
		nr[n->kind]++;
		hh |= s->hand_hot == i;
		hc |= s->hand_cold == i;
		ht |= s->hand_test == i;
	}
	if (WARN(nr[CP_HOT] != s->nr[CP_HOT] || nr[CP_COLD] != s->nr[CP_COLD] ||
		 nr[CP_TEST] != s->nr[CP_TEST] || s->map.nr != s->clock.nr,
		 "clockpro: counters disagree with the clock\n"))
		return false;
	if (WARN(s->clock.nr ? !(hh && hc && ht) :
		 (s->hand_hot != PL_NONE || s->hand_cold != PL_NONE || s->hand_test != PL_NONE),
		 "clockpro: a hand is off the clock\n"))
		return false;
	if (WARN(nr[CP_TEST] > m || s->m_c < 1 || (s->capacity && s->m_c > m),
		 "clockpro: %llu non-resident, m_c %llu, m %llu\n",
		 (unsigned long long)nr[CP_TEST], (unsigned long long)s->m_c,
		 (unsigned long long)m))
		return false;
	if (WARN(s->capacity && nr[CP_HOT] + nr[CP_COLD] > m, "clockpro: over capacity\n"))
		return false;
	return true;
}

const struct cache_policy_ops cache_policy_clockpro = {
	.name = "clockpro",
	.title = "CLOCK-Pro: Jiang, Chen & Zhang, USENIX ATC 2005",
	.access = cp_access,
	.insert = cp_insert,
	.victim = cp_victim,
	.remove = cp_remove,
	.create = cp_create,
	.destroy = cp_destroy,
	.nr_resident = cp_nr_resident,
	.is_valid = cp_is_valid,
};
