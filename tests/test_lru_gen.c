// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_lru_gen.c - the multi-gen LRU's bookkeeping and aging
 * (mm/lru_gen.c, mm/lru_gen_walk.c, mm/lru_gen_files.c):
 *   - lru=mglru: every node runs lru_gen_ops, `enabled` reads 0x0007, the
 *     debugfs file starts with generations 0..3; new anon folios go to
 *     max_seq - 1 and count as Active(anon); munmap takes them off;
 *   - aging: the page-table walk moves the folios whose PTEs are young to
 *     the youngest generation, clears the Accessed bits, and the new
 *     generation demotes the rest to Inactive; generations never exceed
 *     MAX_NR_GENS (the oldest is folded into the next);
 *   - tiers: folio_mark_accessed sets PG_referenced, PG_workingset, then
 *     counts refs up to the saturating maximum;
 *   - mlock moves a folio to the classic unevictable list and back;
 *   - eviction bookkeeping: "- 0 0 gen" through debugfs scans the oldest
 *     generation (shrink_folio_list reclaims what it can) and whatever
 *     comes back is on the lists with the counters exact;
 *   - the files: enabled (y, n, masks, garbage), min_ttl_ms (tick
 *     rounding), lru_gen's commands and errors, lru_gen_full;
 *   - run-time switching classic <-> mglru with folios on the lists keeps
 *     the totals, maps the two youngest generations to the active lists,
 *     and lru_all_valid holds after every step of a randomized run.
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/rmap.h>
#include <mmsim/vmstat.h>
#include <mmsim/mm_vma.h>
#include <mmsim/lru_policy.h>
#include "mmtest.h"
#include "mm/vmscan_internal.h"
#include "mm/lru_internal.h"
#include "mm/lru_gen.h"
#include "mm/vma_internal.h"

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)

static struct mmsim *m;

#define KT_STR_EQ(a, b)							\
	do {								\
		const char *__a = (a), *__b = (b);			\
		if (!__a || strcmp(__a, __b)) {				\
			fprintf(stderr, "%s:%d: %s: \"%s\" != \"%s\"\n", __FILE__, \
				__LINE__, kt_cur_name, __a ? __a : "(null)", __b); \
			kt_cur_failed++;				\
		}							\
	} while (0)

static unsigned long nr_lru(enum lru_list lru)
{
	return node_page_state(NODE_DATA(0), (enum node_stat_item)(NR_INACTIVE_ANON + lru));
}

static struct lru_gen_folio *lrugen0(void)
{
	return lru_gen_of(&NODE_DATA(0)->__lruvec);
}

static unsigned long touch(unsigned long va, unsigned long npages)
{
	if (!va)
		va = sys_mmap(0, npages * PAGE_SIZE, RW, PRIV, -1UL, 0);
	for (unsigned long i = 0; i < npages; i++) {
		unsigned char c = (unsigned char)i;

		KT_EQ(mmsim_user_write(va + i * PAGE_SIZE, &c, 1), 0);
	}
	return va;
}

static struct folio *folio_at(unsigned long va)
{
	pte_t *ptep = mm_find_pte(current->mm, va);

	if (!ptep || !pte_present(ptep_get(ptep)))
		return NULL;
	return page_folio(pfn_to_page(pte_pfn(ptep_get(ptep))));
}

static unsigned long gen_anon(unsigned long seq)
{
	struct lru_gen_folio *g = lrugen0();
	long n = 0;

	for (int z = 0; z < MAX_NR_ZONES; z++)
		n += g->nr_pages[lru_gen_from_seq(seq)][LRU_GEN_ANON][z];
	return (unsigned long)n;
}

static char *rd(const char *path)
{
	char *s = mmsim_read(m, path);

	KT_ASSERT(s != NULL);
	return s ? s : strdup("");
}

static void age(void)
{
	struct lruvec *lruvec = &NODE_DATA(0)->__lruvec;

	KT_ASSERT(lru_gen_try_inc_max_seq(lruvec, lrugen0()->max_seq, true, true));
	KT_ASSERT(lru_all_valid());
}

static void test_boot_state(void)
{
	struct task_struct *t = mmsim_spawn(m, "boot");
	struct lru_gen_folio *g;
	unsigned long va, before_active, before_inactive;
	char *s;

	KT_EQ(mmsim_switch_to(t), 0);
	KT_ASSERT(lru_policy_current() == &lru_gen_ops);
	KT_ASSERT(NODE_DATA(0)->__lruvec.ops == &lru_gen_ops);
	g = lrugen0();
	KT_ASSERT(g != NULL);
	s = rd("/sys/kernel/mm/lru_gen/enabled");
	KT_STR_EQ(s, "0x0007\n");
	free(s);
	s = rd("/sys/kernel/debug/lru_gen");
	KT_STR_CONTAINS(s, "memcg     0 \n node     0\n");
	KT_STR_CONTAINS(s, "          0 ");
	KT_STR_CONTAINS(s, "          3 ");
	free(s);
	before_active = nr_lru(LRU_ACTIVE_ANON);
	before_inactive = nr_lru(LRU_INACTIVE_ANON);
	va = touch(0, 16);
	/* anon not in the swap cache: max_seq - 1, one of the two youngest */
	KT_EQ(nr_lru(LRU_ACTIVE_ANON), before_active + 16);
	KT_EQ(nr_lru(LRU_INACTIVE_ANON), before_inactive);
	KT_EQ(folio_lru_gen(folio_at(va)), lru_gen_from_seq(g->max_seq - 1));
	KT_ASSERT(!PageActive(&folio_at(va)->page));
	KT_ASSERT(lru_all_valid());
	KT_EQ(sys_munmap(va, 16 * PAGE_SIZE), 0);
	KT_EQ(nr_lru(LRU_ACTIVE_ANON), before_active);
	KT_ASSERT(lru_all_valid());
	sys_exit_group(0);
}

static void test_aging_walk(void)
{
	struct task_struct *t = mmsim_spawn(m, "aging");
	struct lru_gen_folio *g = lrugen0();
	unsigned long va, seq0, young_before;
	struct folio *hot, *cold;

	KT_EQ(mmsim_switch_to(t), 0);
	va = touch(0, 32);
	seq0 = g->max_seq;
	young_before = g->walk_young;
	/* first aging: every PTE is young -> the current youngest generation */
	age();
	KT_EQ(g->max_seq, seq0 + 1);
	KT_ASSERT(g->walk_young >= young_before + 32);
	hot = folio_at(va);
	cold = folio_at(va + 31 * PAGE_SIZE);
	KT_EQ(folio_lru_gen(hot), lru_gen_from_seq(seq0));
	KT_ASSERT(!pte_young(ptep_get(mm_find_pte(t->mm, va))));
	/* touch the first half only, age twice: the rest become inactive */
	touch(va, 16);
	age();
	KT_EQ(folio_lru_gen(hot), lru_gen_from_seq(seq0 + 1));
	KT_EQ(folio_lru_gen(cold), lru_gen_from_seq(seq0));
	touch(va, 16);
	age();
	KT_EQ(folio_lru_gen(hot), lru_gen_from_seq(seq0 + 2));
	KT_EQ(folio_lru_gen(cold), lru_gen_from_seq(seq0));
	KT_ASSERT(gen_anon(seq0) >= 16);
	KT_ASSERT(nr_lru(LRU_INACTIVE_ANON) >= 16);
	/* many agings: never more than MAX_NR_GENS, the cold folded forward */
	for (int i = 0; i < 6; i++) {
		touch(va, 16);
		age();
		KT_ASSERT(g->max_seq - g->min_seq[LRU_GEN_ANON] + 1 <= MAX_NR_GENS);
		KT_ASSERT(g->max_seq - g->min_seq[LRU_GEN_FILE] + 1 <= MAX_NR_GENS);
		KT_ASSERT(g->max_seq - g->min_seq[LRU_GEN_ANON] + 1 >= MIN_NR_GENS);
	}
	KT_EQ(folio_lru_gen(hot), lru_gen_from_seq(g->max_seq - 1));
	KT_EQ(folio_lru_gen(cold), lru_gen_from_seq(g->min_seq[LRU_GEN_ANON]));
	/* the walk takes the mmap_lock with a trylock: a held one is skipped */
	mmap_write_lock(t->mm);
	{
		unsigned long skipped = g->walk_skipped_mms;

		KT_ASSERT(lru_gen_try_inc_max_seq(&NODE_DATA(0)->__lruvec, g->max_seq, true, true));
		KT_ASSERT(g->walk_skipped_mms > skipped);
	}
	mmap_write_unlock(t->mm);
	KT_ASSERT(lru_all_valid());
	KT_EQ(sys_munmap(va, 32 * PAGE_SIZE), 0);
	KT_ASSERT(lru_all_valid());
	sys_exit_group(0);
}

static void test_tiers(void)
{
	struct task_struct *t = mmsim_spawn(m, "tiers");
	unsigned long va;
	struct folio *f;

	KT_EQ(mmsim_switch_to(t), 0);
	va = touch(0, 1);
	f = folio_at(va);
	KT_EQ(folio_lru_refs(f), 0);
	folio_mark_accessed(f);
	KT_ASSERT(PageReferenced(&f->page));
	KT_EQ(lru_tier_from_refs(folio_lru_refs(f)), 0);
	folio_mark_accessed(f);
	KT_ASSERT(test_page_flag(&f->page, PG_workingset));
	KT_EQ(folio_lru_refs(f), 1);
	KT_EQ(lru_tier_from_refs(folio_lru_refs(f)), 1);
	folio_mark_accessed(f);
	KT_EQ(folio_lru_refs(f), 2);
	KT_EQ(lru_tier_from_refs(folio_lru_refs(f)), 2);
	for (int i = 0; i < 10; i++)
		folio_mark_accessed(f);
	KT_EQ(folio_lru_refs(f), 1 << LRU_REFS_WIDTH);
	KT_EQ(lru_tier_from_refs(folio_lru_refs(f)), MAX_NR_TIERS - 1);
	/* marking does not move it */
	KT_ASSERT(!PageActive(&f->page));
	KT_ASSERT(lru_all_valid());
	KT_EQ(sys_munmap(va, PAGE_SIZE), 0);
	sys_exit_group(0);
}

static void test_mlock(void)
{
	struct task_struct *t = mmsim_spawn(m, "mlock");
	unsigned long va, unev;

	KT_EQ(mmsim_switch_to(t), 0);
	va = touch(0, 8);
	unev = nr_lru(LRU_UNEVICTABLE);
	KT_EQ(sys_mlock(va, 8 * PAGE_SIZE), 0);
	KT_EQ(nr_lru(LRU_UNEVICTABLE), unev + 8);
	KT_EQ(folio_lru_gen(folio_at(va)), -1);
	KT_ASSERT(lru_all_valid());
	age();
	KT_EQ(sys_munlock(va, 8 * PAGE_SIZE), 0);
	KT_EQ(nr_lru(LRU_UNEVICTABLE), unev);
	KT_ASSERT(folio_lru_gen(folio_at(va)) >= 0);
	KT_ASSERT(lru_all_valid());
	KT_EQ(sys_munmap(va, 8 * PAGE_SIZE), 0);
	KT_ASSERT(lru_all_valid());
	sys_exit_group(0);
}

static void test_evict_bookkeeping(void)
{
	struct task_struct *t = mmsim_spawn(m, "evict");
	struct lru_gen_folio *g = lrugen0();
	unsigned long va, total;
	char cmd[64];

	KT_EQ(mmsim_switch_to(t), 0);
	va = touch(0, 64);
	total = nr_lru(LRU_ACTIVE_ANON) + nr_lru(LRU_INACTIVE_ANON);
	age();
	age();
	age();
	/* evict the oldest generation, anon only (swappiness 200) */
	snprintf(cmd, sizeof(cmd), "- 0 0 %lu 200", g->min_seq[LRU_GEN_ANON]);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/lru_gen", cmd), 0);
	KT_ASSERT(lru_all_valid());
	/* what shrink_folio_list could not reclaim is back on the lists */
	KT_ASSERT(nr_lru(LRU_ACTIVE_ANON) + nr_lru(LRU_INACTIVE_ANON) <= total);
	/* a generation too young to evict */
	snprintf(cmd, sizeof(cmd), "- 0 0 %lu", g->max_seq);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/lru_gen", cmd), -EINVAL);
	KT_EQ(sys_munmap(va, 64 * PAGE_SIZE), 0);
	KT_ASSERT(lru_all_valid());
	sys_exit_group(0);
}

static void test_files(void)
{
	struct lru_gen_folio *g = lrugen0();
	char *s, cmd[64];
	unsigned long max_seq;

	/* min_ttl_ms: milliseconds, stored in ticks (4 ms at HZ=250) */
	s = rd("/sys/kernel/mm/lru_gen/min_ttl_ms");
	KT_STR_EQ(s, "0\n");
	free(s);
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/lru_gen/min_ttl_ms", "1000"), 0);
	s = rd("/sys/kernel/mm/lru_gen/min_ttl_ms");
	KT_STR_EQ(s, "1000\n");
	free(s);
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/lru_gen/min_ttl_ms", "1001\n"), 0);
	s = rd("/sys/kernel/mm/lru_gen/min_ttl_ms");
	KT_STR_EQ(s, "1004\n");
	free(s);
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/lru_gen/min_ttl_ms", "abc"), -EINVAL);
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/lru_gen/min_ttl_ms", "-1"), -EINVAL);
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/lru_gen/min_ttl_ms", "0"), 0);

	/* enabled: masks keep the main switch as asked */
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/lru_gen/enabled", "5"), 0);
	s = rd("/sys/kernel/mm/lru_gen/enabled");
	KT_STR_EQ(s, "0x0005\n");
	free(s);
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/lru_gen/enabled", "bogus"), -EINVAL);
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/lru_gen/enabled", "y"), 0);
	s = rd("/sys/kernel/mm/lru_gen/enabled");
	KT_STR_EQ(s, "0x0007\n");
	free(s);

	/* lru_gen: "+ memcg node max_seq" ages; wrong numbers are -EINVAL */
	max_seq = g->max_seq;
	snprintf(cmd, sizeof(cmd), "+ 0 0 %lu", max_seq);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/lru_gen", cmd), 0);
	KT_EQ(g->max_seq, max_seq + 1);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/lru_gen", cmd), 0);	/* stale: nothing */
	KT_EQ(g->max_seq, max_seq + 1);
	snprintf(cmd, sizeof(cmd), "+ 0 0 %lu", max_seq + 5);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/lru_gen", cmd), -EINVAL);
	snprintf(cmd, sizeof(cmd), "+ 1 0 %lu", max_seq + 1);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/lru_gen", cmd), -EINVAL);
	snprintf(cmd, sizeof(cmd), "+ 0 7 %lu", max_seq + 1);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/lru_gen", cmd), -EINVAL);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/lru_gen", "+ 0 0"), -EINVAL);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/lru_gen", "* 0 0 1"), -EINVAL);
	/* several commands: ',' ';' and newlines */
	snprintf(cmd, sizeof(cmd), "+ 0 0 %lu 1 1; + 0 0 %lu 1 1\n", max_seq + 1, max_seq + 2);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/lru_gen", cmd), 0);
	KT_EQ(g->max_seq, max_seq + 3);
	/* every line is a generation: seq, age, anon, file */
	s = rd("/sys/kernel/debug/lru_gen");
	{
		char want[64];

		snprintf(want, sizeof(want), "\n %10lu %10u ", g->max_seq, 0u);
		KT_STR_CONTAINS(s, want);
	}
	free(s);
	s = rd("/sys/kernel/debug/lru_gen_full");
	KT_STR_CONTAINS(s, "0R          0T          0 ");
	KT_STR_CONTAINS(s, "L");
	KT_STR_CONTAINS(s, "0r ");
	free(s);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/lru_gen_full", "+ 0 0 1"), -EACCES);
	KT_ASSERT(lru_all_valid());
}

static void test_switch(void)
{
	struct task_struct *t = mmsim_spawn(m, "switch");
	unsigned long va, anon, active;
	char *s;

	KT_EQ(mmsim_switch_to(t), 0);
	va = touch(0, 48);
	age();
	touch(va, 8);
	age();
	anon = nr_lru(LRU_ACTIVE_ANON) + nr_lru(LRU_INACTIVE_ANON);
	active = nr_lru(LRU_ACTIVE_ANON);
	/* to classic: the two youngest generations become the active list */
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/lru_gen/enabled", "n"), 0);
	s = rd("/sys/kernel/mm/lru_gen/enabled");
	KT_STR_EQ(s, "0x0000\n");
	free(s);
	KT_ASSERT(lru_policy_current() == &lru_classic_ops);
	KT_ASSERT(NODE_DATA(0)->__lruvec.lrugen == NULL);
	KT_EQ(nr_lru(LRU_ACTIVE_ANON) + nr_lru(LRU_INACTIVE_ANON), anon);
	KT_EQ(nr_lru(LRU_ACTIVE_ANON), active);
	KT_ASSERT(PageActive(&folio_at(va)->page));
	KT_ASSERT(lru_all_valid());
	/* the debugfs file shows the node without generations */
	s = rd("/sys/kernel/debug/lru_gen");
	KT_STR_EQ(s, "memcg     0 \n node     0\n");
	free(s);
	/* back: the active ones go to the youngest generation */
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/lru_gen/enabled", "1"), 0);
	s = rd("/sys/kernel/mm/lru_gen/enabled");
	KT_STR_EQ(s, "0x0001\n");
	free(s);
	KT_ASSERT(lru_policy_current() == &lru_gen_ops);
	KT_EQ(nr_lru(LRU_ACTIVE_ANON) + nr_lru(LRU_INACTIVE_ANON), anon);
	KT_EQ(folio_lru_gen(folio_at(va)), lru_gen_from_seq(lrugen0()->max_seq));
	KT_ASSERT(!PageActive(&folio_at(va)->page));
	KT_ASSERT(lru_all_valid());
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/lru_gen/enabled", "y"), 0);
	KT_EQ(sys_munmap(va, 48 * PAGE_SIZE), 0);
	KT_ASSERT(lru_all_valid());
	sys_exit_group(0);
}

/* A randomized run: touch, unmap, mark, mlock, age, evict, switch. */
static void test_random(void)
{
	struct task_struct *t = mmsim_spawn(m, "random");
	unsigned long va;
	unsigned int seed = 13;

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, 128 * PAGE_SIZE, RW, PRIV, -1UL, 0);
	for (int step = 0; step < 300; step++) {
		unsigned int r = (unsigned int)rand_r(&seed);
		unsigned long page = (r >> 8) % 120, n = 1 + (r >> 16) % 8;
		unsigned long a = va + page * PAGE_SIZE;
		struct folio *f;
		char cmd[64];

		switch (r % 9) {
		case 0:
		case 1:
			touch(a, n);
			break;
		case 2:
			/* -EINVAL on mlocked pages, as Linux */
			KT_ASSERT(sys_madvise(a, n * PAGE_SIZE, MADV_DONTNEED) == 0 ||
				  sys_madvise(a, n * PAGE_SIZE, MADV_DONTNEED) == -EINVAL);
			break;
		case 3:
			f = folio_at(a);
			if (f)
				folio_mark_accessed(f);
			break;
		case 4:
			KT_EQ(sys_mlock(a, n * PAGE_SIZE), 0);
			break;
		case 5:
			KT_EQ(sys_munlock(a, n * PAGE_SIZE), 0);
			break;
		case 6:
			if (lru_gen_enabled())
				age();
			break;
		case 7:
			if (lru_gen_enabled()) {
				snprintf(cmd, sizeof(cmd), "- 0 0 %lu %u", lrugen0()->min_seq[r & 1],
					 (r >> 4) % 201);
				mmsim_write(m, "/sys/kernel/debug/lru_gen", cmd);
			}
			break;
		case 8:
			if ((r >> 12) % 4 == 0)
				KT_EQ(mmsim_write(m, "/sys/kernel/mm/lru_gen/enabled",
						  lru_gen_enabled() ? "n" : "y"), 0);
			break;
		}
		if (!lru_all_valid() || !mm_is_valid(t->mm)) {
			KT_ASSERT(!"invalid after a step");
			printf("step %d op %u\n", step, r % 9);
			break;
		}
	}
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/lru_gen/enabled", "y"), 0);
	KT_ASSERT(mm_mapcounts_are_valid(m));
	sys_exit_group(0);
	KT_ASSERT(lru_all_valid());
}

/* Boots: classic shows 0x0000 and no generations; switching via the API gets the walk. */
static void test_boot_classic(void)
{
	struct mmsim *m2 = boot_or_die("ram=32M");
	char *s = mmsim_read(m2, "/sys/kernel/mm/lru_gen/enabled");

	KT_STR_EQ(s, "0x0000\n");
	free(s);
	KT_EQ(lru_policy_switch(m2, "mglru"), 0);
	s = mmsim_read(m2, "/sys/kernel/mm/lru_gen/enabled");
	KT_STR_EQ(s, "0x0007\n");
	free(s);
	KT_ASSERT(lru_all_valid());
	mmsim_shutdown(m2);
}

int main(void)
{
	m = boot_or_die("ram=64M lru=mglru");
	KT_RUN(test_boot_state);
	KT_RUN(test_aging_walk);
	KT_RUN(test_tiers);
	KT_RUN(test_mlock);
	KT_RUN(test_evict_bookkeeping);
	KT_RUN(test_files);
	KT_RUN(test_switch);
	KT_RUN(test_random);
	mmsim_shutdown(m);
	KT_RUN(test_boot_classic);
	return kt_done();
}
