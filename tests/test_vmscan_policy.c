// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_vmscan_policy.c - the LRU policy seam (mm/lru_policy.c,
 * <mmsim/lru_policy.h>) and mm/swap.c routed through lruvec->ops:
 *   - every node starts classic; new anon folios land on the classic
 *     inactive anon list and the counters follow (lru_is_valid);
 *   - a research policy ("fifo": one list of its own) registers, is found,
 *     refuses a duplicate name; switching moves every folio to it with the
 *     counters unchanged; folios added/freed meanwhile go through its ops;
 *     switching back refills the classic lists; exit frees its state;
 *   - lru=fifo at boot selects it; lru=nosuch fails the boot naming the word;
 *   - folio_rotate_reclaimable moves a clean folio to the cold end of its
 *     inactive list (pgrotated), deactivating an active one; a dirty one stays.
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/rmap.h>
#include <mmsim/vmstat.h>
#include <mmsim/lru_policy.h>
#include "mmtest.h"
#include "mm/vmscan_internal.h"
#include "mm/lru_internal.h"
#include "mm/vma_internal.h"

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)

static struct mmsim *m;

/* ---- a tiny research policy: one FIFO list per lruvec ---- */
struct fifo {
	struct list_head list;
	long nr;
	int inits, exits;
};
static int fifo_live;

static int fifo_init(struct lruvec *lruvec)
{
	struct fifo *f = calloc(1, sizeof(*f));

	if (!f)
		return -ENOMEM;
	INIT_LIST_HEAD(&f->list);
	lruvec->lrugen = f;
	fifo_live++;
	return 0;
}

static void fifo_exit(struct lruvec *lruvec)
{
	struct fifo *f = lruvec->lrugen;

	WARN_ON(f && f->nr);
	free(f);
	lruvec->lrugen = NULL;
	fifo_live--;
}

static void fifo_add(struct lruvec *lruvec, struct folio *folio, bool tail)
{
	struct fifo *f = lruvec->lrugen;

	update_lru_size(lruvec, folio_lru_list(folio), folio_nr_pages_lru(folio));
	if (tail)
		lru_list_add_tail(&folio->page.lru, &f->list);
	else
		lru_list_add(&folio->page.lru, &f->list);
	f->nr += folio_nr_pages_lru(folio);
}

static void fifo_del(struct lruvec *lruvec, struct folio *folio)
{
	struct fifo *f = lruvec->lrugen;

	lru_list_del(&folio->page.lru);
	update_lru_size(lruvec, folio_lru_list(folio), -folio_nr_pages_lru(folio));
	f->nr -= folio_nr_pages_lru(folio);
}

static void fifo_shrink(struct lruvec *lruvec, struct scan_control *sc)
{
	(void)lruvec;
	(void)sc;
}

static bool fifo_valid(struct lruvec *lruvec)
{
	struct fifo *f = lruvec->lrugen;
	struct page *page;
	long n = 0;
	unsigned long want = 0;

	spin_lock(&lruvec->lru_lock);
	list_for_each_entry(page, &f->list, lru)
		n += folio_nr_pages_lru(page_folio(page));
	for (int lru = 0; lru < NR_LRU_LISTS; lru++)
		want += lruvec->nr_pages[lru];
	spin_unlock(&lruvec->lru_lock);
	return !WARN(n != f->nr || (unsigned long)n != want, "fifo: %ld on list, %ld counted, %lu in nr_pages\n",
		     n, f->nr, want);
}

static const struct lru_policy_ops fifo_ops = {
	.name = "fifo",
	.init = fifo_init,
	.exit = fifo_exit,
	.add_folio = fifo_add,
	.del_folio = fifo_del,
	.shrink_lruvec = fifo_shrink,
	.is_valid = fifo_valid,
};

static long long vmstat(const char *name)
{
	char label[64], *s = mmsim_read(m, "/proc/vmstat");
	long long v;

	snprintf(label, sizeof(label), "%s ", name);
	v = s ? field(s, label) : -1;
	free(s);
	return v;
}

static unsigned long nr_lru(enum lru_list lru)
{
	return node_page_state(NODE_DATA(0), (enum node_stat_item)(NR_INACTIVE_ANON + lru));
}

static unsigned long touch(unsigned long npages)
{
	unsigned long va = sys_mmap(0, npages * PAGE_SIZE, RW, PRIV, -1UL, 0);

	for (unsigned long i = 0; i < npages; i++) {
		unsigned char c = (unsigned char)i;

		KT_EQ(mmsim_user_write(va + i * PAGE_SIZE, &c, 1), 0);
	}
	return va;
}

static void test_classic_default(void)
{
	struct task_struct *t = mmsim_spawn(m, "classic");
	unsigned long before, va;

	KT_EQ(mmsim_switch_to(t), 0);
	KT_ASSERT(lru_policy_current() == &lru_classic_ops);
	KT_ASSERT(NODE_DATA(0)->__lruvec.ops == &lru_classic_ops);
	KT_ASSERT(lru_policy_find("classic") == &lru_classic_ops);
	KT_ASSERT(lru_policy_find("mglru") == &lru_gen_ops);
	KT_ASSERT(lru_policy_find("nosuch") == NULL);
	before = nr_lru(LRU_INACTIVE_ANON);
	va = touch(32);
	KT_EQ(nr_lru(LRU_INACTIVE_ANON), before + 32);
	KT_ASSERT(lru_all_valid());
	KT_EQ(sys_munmap(va, 32 * PAGE_SIZE), 0);
	KT_EQ(nr_lru(LRU_INACTIVE_ANON), before);
	KT_ASSERT(lru_all_valid());
	sys_exit_group(0);
}

static void test_switch(void)
{
	struct task_struct *t = mmsim_spawn(m, "switch");
	unsigned long counts[NR_LRU_LISTS], va, va2;
	struct lruvec *lruvec = &NODE_DATA(0)->__lruvec;
	enum lru_list lru;

	KT_EQ(mmsim_switch_to(t), 0);
	va = touch(40);
	for_each_lru(lru)
		counts[lru] = nr_lru(lru);
	KT_EQ(lru_policy_switch(m, "nosuch"), -EINVAL);
	KT_EQ(lru_policy_switch(m, "fifo"), 0);
	KT_ASSERT(lru_policy_current() == &fifo_ops);
	KT_ASSERT(lruvec->ops == &fifo_ops);
	KT_EQ(fifo_live, 1);
	for_each_lru(lru) {
		KT_EQ_WHAT(nr_lru(lru), counts[lru], "list %d", (int)lru);
		KT_ASSERT(list_empty(&lruvec->lists[lru]));
	}
	KT_ASSERT(lru_all_valid());
	/* new folios and frees go through the policy */
	va2 = touch(8);
	KT_EQ(nr_lru(LRU_INACTIVE_ANON), counts[LRU_INACTIVE_ANON] + 8);
	KT_EQ(((struct fifo *)lruvec->lrugen)->nr, (long)(lruvec->nr_pages[0] + lruvec->nr_pages[1] +
						     lruvec->nr_pages[2] + lruvec->nr_pages[3] +
						     lruvec->nr_pages[4]));
	KT_EQ(sys_munmap(va2, 8 * PAGE_SIZE), 0);
	KT_ASSERT(lru_all_valid());
	KT_EQ(lru_policy_switch(m, "fifo"), 0);		/* no-op */
	KT_EQ(lru_policy_switch(m, "classic"), 0);
	KT_EQ(fifo_live, 0);
	KT_ASSERT(lruvec->ops == &lru_classic_ops && !lruvec->lrugen);
	for_each_lru(lru)
		KT_EQ_WHAT(nr_lru(lru), counts[lru], "list %d after", (int)lru);
	KT_ASSERT(lru_all_valid());
	KT_EQ(sys_munmap(va, 40 * PAGE_SIZE), 0);
	KT_ASSERT(lru_all_valid());
	sys_exit_group(0);
}

static void test_rotate(void)
{
	struct task_struct *t = mmsim_spawn(m, "rotate");
	struct lruvec *lruvec = &NODE_DATA(0)->__lruvec;
	unsigned long va;
	long long rotated;
	struct page *p0, *p1, *tail;

	KT_EQ(mmsim_switch_to(t), 0);
	va = touch(2);
	p0 = pfn_to_page(pte_pfn(ptep_get(mm_find_pte(t->mm, va))));
	p1 = pfn_to_page(pte_pfn(ptep_get(mm_find_pte(t->mm, va + PAGE_SIZE))));
	rotated = vmstat("pgrotated");
	folio_rotate_reclaimable(page_folio(p1));
	spin_lock(&lruvec->lru_lock);
	tail = list_last_entry(&lruvec->lists[LRU_INACTIVE_ANON], struct page, lru);
	spin_unlock(&lruvec->lru_lock);
	KT_ASSERT(tail == p1);
	KT_EQ(vmstat("pgrotated"), rotated + 1);
	/* an active folio is deactivated to the inactive tail (lru_move_tail) */
	folio_activate(page_folio(p0));
	folio_rotate_reclaimable(page_folio(p0));
	KT_EQ(vmstat("pgrotated"), rotated + 2);
	KT_ASSERT(!PageActive(p0));
	spin_lock(&lruvec->lru_lock);
	tail = list_last_entry(&lruvec->lists[LRU_INACTIVE_ANON], struct page, lru);
	spin_unlock(&lruvec->lru_lock);
	KT_ASSERT(tail == p0);
	/* a locked or dirty one stays */
	SetPageDirty(p1);
	folio_rotate_reclaimable(page_folio(p1));
	KT_EQ(vmstat("pgrotated"), rotated + 2);
	ClearPageDirty(p1);
	KT_ASSERT(lru_all_valid());
	sys_exit_group(0);
}

static void test_boot_word(void)
{
	struct mmsim *m2;

	KT_ASSERT(mmsim_boot("ram=32M lru=nosuch") == NULL);
	KT_STR_CONTAINS(mmsim_last_error(), "lru=nosuch");
	m2 = mmsim_boot("ram=32M lru=fifo");
	KT_ASSERT(m2 != NULL);
	if (!m2)
		return;
	KT_ASSERT(lru_policy_current() == &fifo_ops);
	KT_ASSERT(NODE_DATA(0)->__lruvec.ops == &fifo_ops);
	KT_ASSERT(lru_all_valid());
	mmsim_shutdown(m2);
	KT_EQ(fifo_live, 0);
}

int main(void)
{
	KT_EQ(lru_policy_register(&fifo_ops), 0);
	KT_EQ(lru_policy_register(&fifo_ops), -EEXIST);
	KT_EQ(lru_policy_register(&lru_classic_ops), -EEXIST);
	m = boot_or_die("ram=64M");
	KT_RUN(test_classic_default);
	KT_RUN(test_switch);
	KT_RUN(test_rotate);
	mmsim_shutdown(m);
	KT_RUN(test_boot_word);
	return kt_done();
}
