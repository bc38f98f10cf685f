// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_migrate_thp.c - large folios through migrate_pages()
 * (mm/migrate.c's try_split_folio, as Linux where THP migration is not
 * supported):
 *   - a PMD-mapped THP shared by a parent and its fork child, isolated
 *     whole and migrated: the PMD is split, the folio is split into
 *     HPAGE_PMD_NR order-0 folios, every one of them moves in the same
 *     call; every byte reads back identical in both processes, mapcounts
 *     and refcounts are right, the old frames are freed, NR_ISOLATED is
 *     back, thp_split_page and pgmigrate_success count it; the pages are
 *     still COW;
 *   - a pinned THP cannot be split: nothing moves, counted failed, back on
 *     the LRU still PMD-mapped;
 *   - move_pages(2) of a whole THP range to another node: every page
 *     lands there with its bytes;
 *   - move_pages(2) of a hugetlb page: -EBUSY (hugetlb folios do not move);
 *   - a randomized stress (THP faults, forks, partial munmaps, writes,
 *     migrations of whole THPs and of split pieces) with the invariant
 *     checkers and every page's bytes after every step.
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/mempolicy.h>
#include <mmsim/err.h>
#include <mmsim/rmap.h>
#include <mmsim/pagemap.h>
#include <mmsim/vmstat.h>
#include <mmsim/migrate.h>
#include <mmsim/huge_mm.h>
#include <mmsim/hugetlb.h>
#include "mmtest.h"
#include "mm/lru_internal.h"

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)

static struct mmsim *m;

static bool valid(void)
{
	return mm_is_valid(current->mm) && mm_mapcounts_are_valid(m) && lru_all_valid();
}

static unsigned long nr_isolated(void)
{
	return global_node_page_state(NR_ISOLATED_ANON) + global_node_page_state(NR_ISOLATED_FILE);
}

static unsigned char pattern(unsigned long page, unsigned int seed)
{
	return (unsigned char)(page * 7 + seed * 13 + 1);
}

static bool fill(unsigned long va, unsigned long first, unsigned long n, unsigned int seed)
{
	static unsigned char buf[65536];

	for (unsigned long i = first; i < first + n; i++) {
		memset(buf, pattern(i, seed), PAGE_SIZE);
		buf[i % PAGE_SIZE] ^= 0x5a;	/* not a page of one byte value */
		if (mmsim_user_write(va + i * PAGE_SIZE, buf, PAGE_SIZE))
			return false;
	}
	return true;
}

static bool holds(unsigned long va, unsigned long first, unsigned long n, unsigned int seed)
{
	static unsigned char buf[65536];

	for (unsigned long i = first; i < first + n; i++) {
		if (mmsim_user_read(va + i * PAGE_SIZE, buf, PAGE_SIZE))
			return false;
		for (unsigned long b = 0; b < PAGE_SIZE; b++) {
			unsigned char want = pattern(i, seed);

			if (b == i % PAGE_SIZE)
				want ^= 0x5a;
			if (buf[b] != want) {
				fprintf(stderr, "page %lu byte %lu: %#x, want %#x\n", i, b, buf[b],
					want);
				return false;
			}
		}
	}
	return true;
}

static pmd_t pmd_at(unsigned long va)
{
	pmd_t *pmd = mm_find_pmd(current->mm, va);

	return pmd ? pmdp_get(pmd) : __pmd(0);
}

static bool is_thp_at(unsigned long va)
{
	pmd_t pmd = pmd_at(va);

	return pmd_trans_huge(pmd) && !is_huge_zero_pmd(pmd);
}

/* A private anonymous region of @n huge pages, PMD-aligned. */
static unsigned long map_aligned(unsigned long n)
{
	unsigned long len = n * HPAGE_PMD_SIZE, va, start;

	va = sys_mmap(0, len + HPAGE_PMD_SIZE, RW, PRIV, (unsigned long)-1, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	start = ALIGN(va, HPAGE_PMD_SIZE);
	if (start > va)
		KT_EQ(sys_munmap(va, start - va), 0);
	if (start + len < va + len + HPAGE_PMD_SIZE)
		KT_EQ(sys_munmap(start + len, va + len + HPAGE_PMD_SIZE - start - len), 0);
	return start;
}

static struct page *page_at(unsigned long va)
{
	struct page *page = NULL;

	if (get_user_pages_remote(current->mm, va, 1, 0, &page, NULL) != 1)
		return NULL;
	put_page(page);
	return page;
}

/*
 * Destinations: from a pool filled beforehand when there is one, so that
 * a freed old frame is not handed out again as a later destination (the
 * per-CPU lists are LIFO) and the old frames' freeing can be checked.
 */
static struct page *pool[1024];
static int pool_nr;

static void pool_fill(int nr)
{
	for (pool_nr = 0; pool_nr < nr; pool_nr++) {
		pool[pool_nr] = alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
		KT_ASSERT(pool[pool_nr]);
	}
}

static void pool_drain(void)
{
	while (pool_nr)
		__free_page(pool[--pool_nr]);
}

static struct folio *alloc_dst(struct folio *src, unsigned long private)
{
	(void)src;
	(void)private;
	if (pool_nr)
		return (struct folio *)pool[--pool_nr];
	return (struct folio *)alloc_pages(GFP_HIGHUSER_MOVABLE, 0);
}

/* Isolate the folio of @page as a caller does (NR_ISOLATED: all its pages). */
static bool isolate(struct page *page, struct list_head *list)
{
	struct folio *folio = page_folio(page);

	if (!folio_isolate_lru(folio))
		return false;
	mod_node_page_state(page_pgdat(page), NR_ISOLATED_ANON, folio_nr_pages(folio));
	lru_list_add_tail(&folio->page.lru, list);
	return true;
}

/* Migrate the folio mapped at @va: migrate_pages' result; *@moved its count. */
static int migrate_at(unsigned long va, unsigned int *moved)
{
	LIST_HEAD(list);
	int ret;

	*moved = 0;
	if (!isolate(page_at(va), &list))
		return -EBUSY;
	ret = migrate_pages(&list, alloc_dst, NULL, 0, MIGRATE_SYNC, MR_SYSCALL, moved);
	if (!list_empty(&list))
		putback_movable_pages(&list);
	return ret;
}

static void done(void)
{
	char *log;

	if (current)
		sys_exit_group(0);
	log = mmsim_read(m, "/dev/kmsg");
	KT_ASSERT(log && !strstr(log, "WARNING") && !strstr(log, "BUG") && !strstr(log, "Bad page"));
	if (log && (strstr(log, "WARNING") || strstr(log, "BUG") || strstr(log, "Bad page")))
		fprintf(stderr, "%s\n", log);
	free(log);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
	m = NULL;
}

static struct task_struct *boot_task(const char *spec)
{
	struct task_struct *t;

	m = boot_or_die(spec);
	printf("# %s\n", spec);
	t = mmsim_spawn(m, "thpmig");
	KT_ASSERT(t);
	KT_EQ(mmsim_switch_to(t), 0);
	return t;
}

/* ---------------------------------------------------------------------
 * A THP shared after fork
 */

static void test_thp_fork(const char *spec)
{
	struct task_struct *parent, *child;
	unsigned long va, nr, head_pfn;
	unsigned long ok, splits, isolated;
	unsigned int moved;
	struct page *head;
	long pid;

	parent = boot_task(spec);
	nr = HPAGE_PMD_NR;
	ok = sum_vm_event(PGMIGRATE_SUCCESS);
	splits = sum_vm_event(THP_SPLIT_PAGE);
	isolated = nr_isolated();
	va = map_aligned(1);
	KT_ASSERT(fill(va, 0, nr, 3));
	KT_ASSERT(is_thp_at(va));
	pid = sys_fork();
	child = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(child);
	KT_ASSERT(valid());
	head = pfn_to_page(pmd_leaf_pfn(pmd_at(va)));
	head_pfn = page_to_pfn(head);
	KT_EQ(folio_mapcount(page_folio(head)), 2);

	pool_fill((int)nr);
	KT_EQ(migrate_at(va + 5 * PAGE_SIZE, &moved), 0);
	KT_EQ(pool_nr, 0);
	pool_drain();
	KT_EQ(moved, nr);
	KT_EQ(sum_vm_event(PGMIGRATE_SUCCESS) - ok, nr);
	KT_EQ(sum_vm_event(THP_SPLIT_PAGE) - splits, 1);
	KT_EQ(nr_isolated(), isolated);
	KT_ASSERT(!pmd_trans_huge(pmd_at(va)));
	KT_ASSERT(valid());
	/* Every old frame is free; every new one order 0, shared by both. */
	for (unsigned long i = 0; i < nr; i++) {
		struct page *now = page_at(va + i * PAGE_SIZE);

		KT_EQ(page_ref_count(pfn_to_page(head_pfn + i)), 0);
		KT_ASSERT(now && (page_to_pfn(now) < head_pfn || page_to_pfn(now) >= head_pfn + nr));
		KT_ASSERT(!PageCompound(now) && PageAnon(now) && PageLRU(now));
		KT_EQ(page_mapcount(now), 2);
		KT_EQ(page_ref_count(now), 2);
	}
	KT_ASSERT(holds(va, 0, nr, 3));
	KT_EQ(mmsim_switch_to(child), 0);
	KT_ASSERT(valid());
	KT_ASSERT(holds(va, 0, nr, 3));
	/* Still COW: the child's writes copy, the parent keeps its bytes. */
	KT_ASSERT(fill(va, 0, 8, 4));
	KT_ASSERT(holds(va, 0, 8, 4) && holds(va, 8, nr - 8, 3));
	KT_ASSERT(valid());
	KT_EQ(mmsim_switch_to(parent), 0);
	KT_ASSERT(holds(va, 0, nr, 3));
	KT_EQ(page_mapcount(page_at(va)), 1);
	KT_EQ(page_mapcount(page_at(va + 8 * PAGE_SIZE)), 2);
	KT_ASSERT(valid());
	done();
}

static void test_thp_fork_x86(void)
{
	test_thp_fork("arch=x86_64 ram=256M cpus=2 transparent_hugepage=always");
}

static void test_thp_fork_arm64(void)
{
	test_thp_fork("arch=arm64 ram=256M cpus=2 transparent_hugepage=always");
}

/* A pinned THP cannot be split: it stays whole, PMD-mapped, counted failed. */
static void test_thp_pinned(void)
{
	unsigned long va, nr, fails, failed_splits;
	unsigned long isolated;
	struct page *pinned = NULL, *head;
	unsigned int moved;

	boot_task("arch=x86_64 ram=256M cpus=2 transparent_hugepage=always");
	nr = HPAGE_PMD_NR;
	va = map_aligned(1);
	KT_ASSERT(fill(va, 0, nr, 5));
	head = pfn_to_page(pmd_leaf_pfn(pmd_at(va)));
	KT_EQ(pin_user_pages_remote(current->mm, va + 3 * PAGE_SIZE, 1,
				    FOLL_WRITE | FOLL_LONGTERM, &pinned, NULL), 1);
	KT_ASSERT(pinned == head + 3);
	fails = sum_vm_event(PGMIGRATE_FAIL);
	failed_splits = sum_vm_event(THP_SPLIT_PAGE_FAILED);
	isolated = nr_isolated();
	KT_EQ(migrate_at(va, &moved), 1);
	KT_EQ(moved, 0);
	KT_EQ(sum_vm_event(PGMIGRATE_FAIL) - fails, nr);
	KT_ASSERT(sum_vm_event(THP_SPLIT_PAGE_FAILED) > failed_splits);
	KT_EQ(nr_isolated(), isolated);
	KT_ASSERT(PageLRU(head) && PageHead(head));
	KT_ASSERT(page_at(va) == head);
	KT_ASSERT(holds(va, 0, nr, 5));
	KT_ASSERT(valid());
	unpin_user_page(pinned);
	/* Unpinned, it moves. */
	KT_EQ(migrate_at(va, &moved), 0);
	KT_EQ(moved, nr);
	KT_ASSERT(page_at(va) != head);
	KT_ASSERT(holds(va, 0, nr, 5));
	KT_ASSERT(valid());
	done();
}

/* move_pages(2) of every page of a THP to node 1. */
static void test_move_pages_thp(void)
{
	static unsigned long addrs[1024];
	static int nodes[1024], status[1024];
	unsigned long va, nr;
	unsigned long isolated;

	boot_task("arch=x86_64 ram=256M nodes=2 cpus=4 transparent_hugepage=always");
	nr = HPAGE_PMD_NR;
	KT_ASSERT(nr <= 1024);
	va = map_aligned(1);
	KT_ASSERT(fill(va, 0, nr, 6));
	KT_ASSERT(is_thp_at(va));
	KT_EQ(page_to_nid(page_at(va)), 0);
	for (unsigned long i = 0; i < nr; i++) {
		addrs[i] = va + i * PAGE_SIZE + 9;
		nodes[i] = 1;
	}
	isolated = nr_isolated();
	KT_EQ(sys_move_pages(0, nr, addrs, nodes, status, MPOL_MF_MOVE), 0);
	KT_EQ(nr_isolated(), isolated);
	for (unsigned long i = 0; i < nr; i++)
		KT_EQ(status[i], 1);
	KT_EQ(sys_move_pages(0, nr, addrs, NULL, status, 0), 0);
	for (unsigned long i = 0; i < nr; i++) {
		KT_EQ(status[i], 1);
		KT_EQ(page_to_nid(page_at(addrs[i])), 1);
	}
	KT_ASSERT(holds(va, 0, nr, 6));
	KT_ASSERT(valid());
	done();
}

/* hugetlb folios do not move: move_pages reports -EFAULT (Linux's
 * vma_migratable without hugepage migration), the page stays. */
static void test_move_pages_hugetlb(void)
{
	unsigned long va, addr;
	int node = 1, status = 0;
	unsigned char c = 0x77;
	struct page *before;

	boot_task("arch=x86_64 ram=256M nodes=2 cpus=4 hugepages=2");
	va = sys_mmap(0, HPAGE_PMD_SIZE, RW, PRIV | MAP_HUGETLB, (unsigned long)-1, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_EQ(mmsim_user_write(va + 100, &c, 1), 0);
	addr = va + 100;
	before = page_at(addr);
	KT_ASSERT(before && PageHuge(before));
	if (page_to_nid(before) == 1)
		node = 0;
	KT_EQ(sys_move_pages(0, 1, &addr, &node, &status, MPOL_MF_MOVE), 0);
	KT_EQ(status, -EFAULT);
	KT_ASSERT(page_at(addr) == before);
	c = 0;
	KT_EQ(mmsim_user_read(addr, &c, 1), 0);
	KT_EQ(c, 0x77);
	KT_ASSERT(valid());
	done();
}

/* ---------------------------------------------------------------------
 * Randomized stress
 */

#define ST_HUGE	3

static unsigned int st_rand(unsigned int *s)
{
	*s = *s * 1103515245u + 12345u;
	return (*s >> 16) & 0x7fff;
}

static void test_stress(void)
{
	struct task_struct *tasks[3];
	unsigned int seed = 15, rnd = 42, moved;
	unsigned long va, nr, total;
	unsigned char *present;
	int nt = 1;

	tasks[0] = boot_task("arch=x86_64 ram=256M cpus=2 swap=32M transparent_hugepage=always");
	nr = HPAGE_PMD_NR;
	total = ST_HUGE * nr;
	present = calloc(total, 1);
	KT_ASSERT(present);
	va = map_aligned(ST_HUGE);
	/* All the processes hold the same bytes (fills happen before forks or
	 * in every process with the same seed). */
	for (int step = 0; step < 120; step++) {
		unsigned int op = st_rand(&rnd) % 6;
		unsigned long h = st_rand(&rnd) % ST_HUGE, p = h * nr + st_rand(&rnd) % nr;

		switch (op) {
		case 0:		/* fault / refill a whole huge range in every process */
		case 1:
			seed++;
			for (int t = 0; t < nt; t++) {
				KT_EQ(mmsim_switch_to(tasks[t]), 0);
				KT_ASSERT(fill(va, h * nr, nr, seed));
			}
			for (unsigned long i = h * nr; i < (h + 1) * nr; i++)
				present[i] = (unsigned char)seed;
			break;
		case 2:		/* fork */
			if (nt < 3) {
				long pid;

				KT_EQ(mmsim_switch_to(tasks[0]), 0);
				pid = sys_fork();
				tasks[nt] = find_task_by_vpid((pid_t)pid);
				KT_ASSERT(tasks[nt]);
				nt++;
			}
			break;
		case 3:		/* migrate the folio at p, from some process */
		case 4:
			if (present[p]) {
				int t = (int)(st_rand(&rnd) % (unsigned int)nt);
				struct page *page;

				KT_EQ(mmsim_switch_to(tasks[t]), 0);
				page = page_at(va + p * PAGE_SIZE);
				if (page) {
					int r = migrate_at(va + p * PAGE_SIZE, &moved);

					KT_ASSERT(r >= 0);
				}
			}
			break;
		case 5:		/* a partial munmap-free: DONTNEED a few pages everywhere */
			for (int t = 0; t < nt; t++) {
				KT_EQ(mmsim_switch_to(tasks[t]), 0);
				KT_EQ(sys_madvise(va + p * PAGE_SIZE, 3 * PAGE_SIZE, MADV_DONTNEED), 0);
			}
			for (unsigned long i = p; i < p + 3 && i < total; i++)
				present[i] = 0;
			break;
		}
		for (int t = 0; t < nt; t++) {
			KT_EQ(mmsim_switch_to(tasks[t]), 0);
			KT_ASSERT(valid());
		}
		if (step % 10 == 9 || op >= 3) {
			for (int t = 0; t < nt; t++) {
				KT_EQ(mmsim_switch_to(tasks[t]), 0);
				for (unsigned long i = 0; i < total; i++) {
					if (present[i])
						KT_ASSERT(holds(va, i, 1, present[i]));
				}
			}
		}
	}
	KT_EQ(mmsim_switch_to(tasks[0]), 0);
	printf("# stress: thp_fault_alloc %lu thp_split_page %lu pgmigrate_success %lu\n",
	       sum_vm_event(THP_FAULT_ALLOC), sum_vm_event(THP_SPLIT_PAGE),
	       sum_vm_event(PGMIGRATE_SUCCESS));
	KT_ASSERT(sum_vm_event(THP_SPLIT_PAGE) > 0);
	free(present);
	done();
}

int main(void)
{
	KT_RUN(test_thp_fork_x86);
	KT_RUN(test_thp_fork_arm64);
	KT_RUN(test_thp_pinned);
	KT_RUN(test_move_pages_thp);
	KT_RUN(test_move_pages_hugetlb);
	KT_RUN(test_stress);
	return kt_done();
}
