// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_do_swap_page.c - swap-in (mm/memory_swap.c) and the swap PTE
 * everywhere else, on a machine with a boot swap area (swap=), pages
 * swapped out by hand as reclaim does (tests/swap_fixture.h):
 *   - a read of a swapped-out page is a major fault (PGMAJFAULT, maj_flt,
 *     pswpin) that brings the data back; MM_SWAPENTS -> MM_ANONPAGES;
 *     VmSwap and smaps Swap/SwapPss count it while out; the page comes
 *     back writable when its PTE carried the exclusive bit, and its slot
 *     is freed once nobody needs it;
 *   - a page still in the swap cache comes back with a minor fault;
 *   - readahead: faulting one of several adjacent swapped pages reads the
 *     others (swap_ra) and faulting those counts swap_ra_hit, minor;
 *   - fork shares the slot (count 2, exclusive bit cleared in both), each
 *     side reads the data, a write copies (COW) and the other keeps its
 *     bytes; exit frees the slot;
 *   - munmap, MADV_DONTNEED and MADV_FREE drop swap PTEs and their slots;
 *     MADV_WILLNEED reads them into the swap cache and mincore then says
 *     resident (not before);
 *   - mprotect and mremap keep swap PTEs (data intact after the move);
 *   - try_to_unuse (swapoff's walk) brings every page back;
 *   - after every step: mm_is_valid, mm_mapcounts_are_valid,
 *     swap_counts_are_valid, and the checkers catch an injected wrong
 *     MM_SWAPENTS and a wrong slot count.
 * On x86_64, i386 and arm64 with 64K pages.
 */
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/shmem_fs.h>
#include "mmtest.h"
#include "swap_fixture.h"
#include "mm/swap_internal.h"
#include "mm/shmem_internal.h"

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)

static struct mmsim *m;

static long long proc_field(const char *path, const char *label)
{
	char *s = mmsim_read(m, path);
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static long long vmstat_val(const char *label)
{
	return proc_field("/proc/vmstat", label);
}

static long long status_kb(struct task_struct *t, const char *label)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", t->pid);
	return proc_field(path, label);
}

static long long smaps_kb(struct task_struct *t, unsigned long start, const char *label)
{
	char path[64], head[32], *s, *p;
	long long v = -1;

	snprintf(path, sizeof(path), "/proc/%d/smaps", t->pid);
	snprintf(head, sizeof(head), "%08lx-", start);
	s = mmsim_read(m, path);
	p = s ? strstr(s, head) : NULL;
	if (p)
		v = field(strchr(p, '\n') + 1, label);
	free(s);
	return v;
}

#define KB(pages) ((long long)(pages) * (long long)(PAGE_SIZE / 1024))

/* Fill page @i of @va with a pattern of @seed. */
static void fill(unsigned long va, unsigned long i, unsigned int seed)
{
	unsigned int buf[64];

	for (unsigned int k = 0; k < 64; k++)
		buf[k] = seed * 2654435761u + (unsigned int)i * 40503u + k;
	KT_EQ(mmsim_user_write(va + i * PAGE_SIZE, buf, sizeof(buf)), 0);
	KT_EQ(mmsim_user_write(va + i * PAGE_SIZE + PAGE_SIZE - sizeof(buf), buf, sizeof(buf)), 0);
}

static bool check(unsigned long va, unsigned long i, unsigned int seed)
{
	unsigned int buf[64], back[64];

	for (unsigned int k = 0; k < 64; k++)
		buf[k] = seed * 2654435761u + (unsigned int)i * 40503u + k;
	if (mmsim_user_read(va + i * PAGE_SIZE, back, sizeof(back)) || memcmp(buf, back, sizeof(buf)))
		return false;
	if (mmsim_user_read(va + i * PAGE_SIZE + PAGE_SIZE - sizeof(back), back, sizeof(back)))
		return false;
	return !memcmp(buf, back, sizeof(buf));
}

/* Let the swap I/O in flight (readahead) complete: virtual time passes. */
static void settle(void)
{
	mmsim_advance_clock(m, 100 * 1000 * 1000ULL);
}

static bool valid(struct task_struct *t)
{
	return mm_is_valid(t->mm) && mm_mapcounts_are_valid(m) && swap_counts_are_valid(m);
}

static struct task_struct *do_fork(void)
{
	long pid = sys_fork();

	KT_ASSERT(pid > 0);
	return pid > 0 ? find_task_by_vpid((pid_t)pid) : NULL;
}

static void reap(struct task_struct *parent, struct task_struct *child)
{
	pid_t pid = child->pid;
	int st = -1;

	KT_EQ(mmsim_switch_to(child), 0);
	settle();
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(parent), 0);
	KT_EQ(sys_wait4(pid, &st, 0, NULL), pid);
}

static unsigned long map_filled(unsigned long pages, unsigned int seed)
{
	unsigned long va = sys_mmap(0, pages * PAGE_SIZE, RW, PRIV, -1UL, 0);

	KT_ASSERT(!IS_ERR_VALUE(va));
	for (unsigned long i = 0; i < pages; i++)
		fill(va, i, seed);
	return va;
}

static void test_major_fault(void)
{
	struct task_struct *t = mmsim_spawn(m, "swapin");
	long long maj0, pswpin0, free0 = get_nr_swap_pages();
	unsigned long va, majflt0;
	swp_entry_t e;
	pte_t pte;

	KT_EQ(mmsim_switch_to(t), 0);
	va = map_filled(4, 1);
	e = swap_out_page(t->mm, va + PAGE_SIZE, false);
	KT_ASSERT(e.val);
	pte = pte_at(t->mm, va + PAGE_SIZE);
	KT_ASSERT(is_swap_pte(pte) && pte_swp_exclusive(pte));
	KT_EQ(pte_to_swp_entry(pte).val, e.val);
	KT_EQ(get_mm_counter(t->mm, MM_SWAPENTS), 1);
	KT_EQ(get_mm_counter(t->mm, MM_ANONPAGES), 3);
	KT_EQ(__swap_count(e), 1);
	KT_EQ(get_nr_swap_pages(), free0 - 1);
	KT_EQ(status_kb(t, "VmSwap:"), KB(1));
	KT_EQ(smaps_kb(t, va, "Swap:"), KB(1));
	KT_EQ(smaps_kb(t, va, "SwapPss:"), KB(1));
	KT_ASSERT(valid(t));

	maj0 = vmstat_val("pgmajfault ");
	pswpin0 = vmstat_val("pswpin ");
	majflt0 = t->maj_flt;
	KT_ASSERT(check(va, 1, 1));
	KT_EQ(vmstat_val("pgmajfault "), maj0 + 1);
	KT_ASSERT(vmstat_val("pswpin ") >= pswpin0 + 1);
	KT_EQ(t->maj_flt, majflt0 + 1);
	pte = pte_at(t->mm, va + PAGE_SIZE);
	KT_ASSERT(pte_present(pte));
	/* it was exclusive: mapped writable at once */
	KT_ASSERT(pte_write(pte));
	KT_EQ(get_mm_counter(t->mm, MM_SWAPENTS), 0);
	KT_EQ(get_mm_counter(t->mm, MM_ANONPAGES), 4);
	KT_EQ(status_kb(t, "VmSwap:"), 0);
	KT_ASSERT(valid(t));
	/* a write needs no copy */
	fill(va, 1, 7);
	KT_ASSERT(check(va, 1, 7) && check(va, 0, 1) && check(va, 2, 1));
	/* drop the swap cache the readahead left behind; the slot is free */
	settle();
	KT_EQ(sys_munmap(va, 4 * PAGE_SIZE), 0);
	KT_ASSERT(valid(t));
	settle();
	sys_exit_group(0);
	KT_EQ(get_nr_swap_pages(), free0);
}

static void test_swap_cache_hit(void)
{
	struct task_struct *t = mmsim_spawn(m, "minor");
	long long maj0, free0 = get_nr_swap_pages();
	unsigned long va;
	swp_entry_t e;
	struct folio *folio;

	KT_EQ(mmsim_switch_to(t), 0);
	va = map_filled(2, 2);
	e = swap_out_page(t->mm, va, true);
	KT_ASSERT(e.val);
	folio = swap_cache_get_folio(e, NULL, 0);
	KT_ASSERT(folio && !folio_mapped(folio));
	if (folio)
		put_page(&folio->page);
	KT_ASSERT(valid(t));
	maj0 = vmstat_val("pgmajfault ");
	KT_ASSERT(check(va, 0, 2));
	KT_EQ(vmstat_val("pgmajfault "), maj0);		/* minor: it was in the cache */
	KT_ASSERT(pte_present(pte_at(t->mm, va)));
	KT_ASSERT(valid(t));
	settle();
	sys_exit_group(0);
	KT_EQ(get_nr_swap_pages(), free0);
	KT_ASSERT(swap_counts_are_valid(m));
}

static void test_readahead(void)
{
	struct task_struct *t = mmsim_spawn(m, "ra");
	long long ra0, hit0, maj0;
	unsigned long va;

	KT_EQ(mmsim_switch_to(t), 0);
	va = map_filled(8, 3);
	for (unsigned long i = 0; i < 8; i++)
		KT_ASSERT(swap_out_page(t->mm, va + i * PAGE_SIZE, false).val);
	KT_EQ(get_mm_counter(t->mm, MM_SWAPENTS), 8);
	KT_ASSERT(valid(t));
	ra0 = vmstat_val("swap_ra ");
	hit0 = vmstat_val("swap_ra_hit ");
	maj0 = vmstat_val("pgmajfault ");
	/* sequential faults: the window opens up and the neighbours come in ahead */
	for (unsigned long i = 0; i < 8; i++)
		KT_ASSERT(check(va, i, 3));
	KT_ASSERT(vmstat_val("swap_ra ") > ra0);
	KT_ASSERT(vmstat_val("swap_ra_hit ") > hit0);
	KT_ASSERT(vmstat_val("pgmajfault ") < maj0 + 8);
	KT_EQ(get_mm_counter(t->mm, MM_SWAPENTS), 0);
	KT_ASSERT(valid(t));
	settle();
	sys_exit_group(0);
	KT_ASSERT(swap_counts_are_valid(m));
}

static void test_fork(void)
{
	struct task_struct *p = mmsim_spawn(m, "parent"), *c;
	long long free0 = get_nr_swap_pages();
	unsigned long va;
	swp_entry_t e;
	pte_t pte;

	KT_EQ(mmsim_switch_to(p), 0);
	va = map_filled(2, 4);
	e = swap_out_page(p->mm, va, false);
	KT_ASSERT(e.val);
	c = do_fork();
	if (!c)
		return;
	KT_EQ(__swap_count(e), 2);
	KT_ASSERT(!pte_swp_exclusive(pte_at(p->mm, va)));
	KT_ASSERT(!pte_swp_exclusive(pte_at(c->mm, va)));
	KT_EQ(get_mm_counter(c->mm, MM_SWAPENTS), 1);
	KT_ASSERT(valid(p) && mm_is_valid(c->mm));
	KT_EQ(smaps_kb(p, va, "SwapPss:"), KB(1) / 2);

	/* the child reads: shared read-only, both see the bytes */
	KT_EQ(mmsim_switch_to(c), 0);
	KT_ASSERT(check(va, 0, 4));
	pte = pte_at(c->mm, va);
	KT_ASSERT(pte_present(pte) && !pte_write(pte));
	KT_EQ(__swap_count(e), 1);
	KT_ASSERT(valid(c) && mm_is_valid(p->mm));
	/* the child writes: its own copy */
	fill(va, 0, 5);
	KT_ASSERT(check(va, 0, 5));
	KT_EQ(mmsim_switch_to(p), 0);
	KT_ASSERT(check(va, 0, 4));
	KT_ASSERT(valid(p) && mm_is_valid(c->mm));
	reap(p, c);
	KT_ASSERT(valid(p));
	settle();
	sys_exit_group(0);
	KT_EQ(get_nr_swap_pages(), free0);
	KT_ASSERT(swap_counts_are_valid(m));
}

/* Swapped out before the fork; the parent exits first: the child keeps the data. */
static void test_fork_parent_exits(void)
{
	struct task_struct *p = mmsim_spawn(m, "parent2"), *c;
	long long free0 = get_nr_swap_pages();
	unsigned long va;

	KT_EQ(mmsim_switch_to(p), 0);
	va = map_filled(3, 6);
	for (unsigned long i = 0; i < 3; i++)
		KT_ASSERT(swap_out_page(p->mm, va + i * PAGE_SIZE, i == 1).val);
	c = do_fork();
	if (!c)
		return;
	settle();
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(c), 0);
	KT_ASSERT(swap_counts_are_valid(m));
	for (unsigned long i = 0; i < 3; i++)
		KT_ASSERT(check(va, i, 6));
	fill(va, 2, 9);
	KT_ASSERT(check(va, 2, 9));
	KT_ASSERT(valid(c));
	settle();
	sys_exit_group(0);
	KT_EQ(get_nr_swap_pages(), free0);
	KT_ASSERT(swap_counts_are_valid(m));
}

static void test_zap_and_madvise(void)
{
	struct task_struct *t = mmsim_spawn(m, "zap");
	long long free0 = get_nr_swap_pages();
	unsigned char vec[8];
	unsigned long va;

	KT_EQ(mmsim_switch_to(t), 0);
	va = map_filled(8, 8);
	for (unsigned long i = 0; i < 8; i++)
		KT_ASSERT(swap_out_page(t->mm, va + i * PAGE_SIZE, false).val);
	KT_EQ(get_nr_swap_pages(), free0 - 8);
	/* mincore: swapped out and not cached: not resident */
	KT_EQ(sys_mincore(va, 8 * PAGE_SIZE, vec), 0);
	for (int i = 0; i < 8; i++)
		KT_EQ(vec[i], 0);
	/* WILLNEED reads pages 0-1 into the swap cache, unmapped */
	KT_EQ(sys_madvise(va, 2 * PAGE_SIZE, MADV_WILLNEED), 0);
	settle();
	KT_EQ(sys_mincore(va, 8 * PAGE_SIZE, vec), 0);
	KT_EQ(vec[0], 1);
	KT_EQ(vec[1], 1);
	KT_ASSERT(is_swap_pte(pte_at(t->mm, va)));
	KT_ASSERT(valid(t));
	/* munmap of 0-1, DONTNEED of 2-3, FREE of 4-5: their slots go */
	KT_EQ(sys_munmap(va, 2 * PAGE_SIZE), 0);
	KT_EQ(sys_madvise(va + 2 * PAGE_SIZE, 2 * PAGE_SIZE, MADV_DONTNEED), 0);
	KT_EQ(sys_madvise(va + 4 * PAGE_SIZE, 2 * PAGE_SIZE, MADV_FREE), 0);
	KT_EQ(get_mm_counter(t->mm, MM_SWAPENTS), 2);
	KT_EQ(get_nr_swap_pages(), free0 - 2);
	KT_ASSERT(valid(t));
	/* DONTNEED/FREE pages read back as zeroes */
	{
		unsigned int z = 1;

		KT_EQ(mmsim_user_read(va + 2 * PAGE_SIZE, &z, sizeof(z)), 0);
		KT_EQ(z, 0);
		z = 1;
		KT_EQ(mmsim_user_read(va + 5 * PAGE_SIZE, &z, sizeof(z)), 0);
		KT_EQ(z, 0);
	}
	/* mprotect keeps the swap PTEs; a read through PROT_READ swaps in */
	KT_EQ(sys_mprotect(va + 6 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ), 0);
	KT_ASSERT(is_swap_pte(pte_at(t->mm, va + 6 * PAGE_SIZE)));
	KT_ASSERT(check(va, 6, 8));
	KT_ASSERT(!pte_write(pte_at(t->mm, va + 6 * PAGE_SIZE)));
	KT_ASSERT(valid(t));
	settle();
	sys_exit_group(0);
	KT_EQ(get_nr_swap_pages(), free0);
	KT_ASSERT(swap_counts_are_valid(m));
}

static void test_mremap(void)
{
	struct task_struct *t = mmsim_spawn(m, "mremap");
	unsigned long va, nva;

	KT_EQ(mmsim_switch_to(t), 0);
	va = map_filled(4, 10);
	for (unsigned long i = 0; i < 4; i += 2)
		KT_ASSERT(swap_out_page(t->mm, va + i * PAGE_SIZE, false).val);
	/* grow with a move: the swap PTEs move with the pages */
	(void)sys_mmap(va + 4 * PAGE_SIZE, PAGE_SIZE, PROT_READ, PRIV | MAP_FIXED, -1UL, 0);
	nva = sys_mremap(va, 4 * PAGE_SIZE, 16 * PAGE_SIZE, MREMAP_MAYMOVE, 0);
	KT_ASSERT(!IS_ERR_VALUE(nva) && nva != va);
	KT_ASSERT(is_swap_pte(pte_at(t->mm, nva)));
	KT_ASSERT(valid(t));
	for (unsigned long i = 0; i < 4; i++)
		KT_ASSERT(check(nva, i, 10));
	KT_ASSERT(valid(t));
	settle();
	sys_exit_group(0);
	KT_ASSERT(swap_counts_are_valid(m));
}

static void test_unuse(void)
{
	struct task_struct *p = mmsim_spawn(m, "unuse"), *c;
	long long free0 = get_nr_swap_pages();
	unsigned long va;
	swp_entry_t e;

	KT_EQ(mmsim_switch_to(p), 0);
	va = map_filled(6, 11);
	for (unsigned long i = 0; i < 6; i++)
		KT_ASSERT((e = swap_out_page(p->mm, va + i * PAGE_SIZE, i & 1)).val);
	c = do_fork();
	if (!c)
		return;
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(try_to_unuse(swp_type(e)), 0);
	KT_EQ(get_nr_swap_pages(), free0);
	KT_EQ(get_mm_counter(p->mm, MM_SWAPENTS), 0);
	KT_EQ(get_mm_counter(c->mm, MM_SWAPENTS), 0);
	KT_EQ(get_mm_counter(p->mm, MM_ANONPAGES), 6);
	KT_ASSERT(valid(p) && mm_is_valid(c->mm));
	for (unsigned long i = 0; i < 6; i++)
		KT_ASSERT(check(va, i, 11));
	KT_EQ(mmsim_switch_to(c), 0);
	for (unsigned long i = 0; i < 6; i++)
		KT_ASSERT(check(va, i, 11));
	fill(va, 0, 12);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_ASSERT(check(va, 0, 11));
	reap(p, c);
	settle();
	sys_exit_group(0);
	KT_ASSERT(swap_counts_are_valid(m));
}

/*
 * sys_swapoff of the area holding pages of two processes (one shared by
 * fork, one left in the swap cache): try_to_unuse brings them all back,
 * the area goes, the data stays; then swapon again.
 */
static void test_swapoff(void)
{
	struct task_struct *p = mmsim_spawn(m, "swapoff"), *c;
	unsigned long va;
	char *swaps;

	KT_EQ(mmsim_switch_to(p), 0);
	va = map_filled(8, 19);
	for (unsigned long i = 0; i < 8; i++)
		KT_ASSERT(swap_out_page(p->mm, va + i * PAGE_SIZE, i == 3).val);
	c = do_fork();
	if (!c)
		return;
	KT_EQ(mmsim_switch_to(c), 0);
	fill(va, 5, 20);		/* the child's own copy of page 5 */
	KT_EQ(mmsim_switch_to(p), 0);
	settle();
	KT_EQ(sys_swapoff("/dev/vdb"), 0);
	KT_EQ(get_total_swap_pages(), 0);
	KT_EQ(get_mm_counter(p->mm, MM_SWAPENTS), 0);
	KT_EQ(get_mm_counter(c->mm, MM_SWAPENTS), 0);
	KT_EQ(global_node_page_state(NR_SWAPCACHE), 0);
	swaps = mmsim_read(m, "/proc/swaps");
	KT_ASSERT(swaps && !strstr(swaps, "/dev/vdb"));
	free(swaps);
	KT_ASSERT(valid(p) && mm_is_valid(c->mm));
	for (unsigned long i = 0; i < 8; i++)
		KT_ASSERT(check(va, i, 19));
	KT_EQ(mmsim_switch_to(c), 0);
	for (unsigned long i = 0; i < 8; i++)
		KT_ASSERT(check(va, i, i == 5 ? 20 : 19));
	KT_EQ(mmsim_switch_to(p), 0);
	reap(p, c);
	sys_exit_group(0);
	KT_EQ(sys_swapon("/dev/vdb", 0), 0);
	KT_ASSERT(get_total_swap_pages() > 0);
	KT_ASSERT(swap_counts_are_valid(m));
}

/* Write faults on swap PTEs: exclusive (in place), shared (copied), shared no more (reused). */
static void test_write_fault(void)
{
	struct task_struct *p = mmsim_spawn(m, "wfault"), *c;
	long long free0 = get_nr_swap_pages();
	unsigned long va;
	struct page *pg;
	pte_t pte;

	KT_EQ(mmsim_switch_to(p), 0);
	va = map_filled(3, 14);
	for (unsigned long i = 0; i < 3; i++)
		KT_ASSERT(swap_out_page(p->mm, va + i * PAGE_SIZE, false).val);
	/* exclusive: the write maps the page read in, writable and dirty */
	fill(va, 0, 15);
	pte = pte_at(p->mm, va);
	KT_ASSERT(pte_present(pte) && pte_write(pte) && pte_dirty(pte));
	KT_ASSERT(PageAnonExclusive(pfn_to_page(pte_pfn(pte))));
	KT_ASSERT(!PageSwapCache(pfn_to_page(pte_pfn(pte))));	/* no use for the slot now */
	KT_ASSERT(valid(p));
	c = do_fork();
	if (!c)
		return;
	/* shared with the child's swap PTE: the parent's write copies */
	KT_EQ(mmsim_switch_to(p), 0);
	fill(va, 1, 16);
	pte = pte_at(p->mm, va + PAGE_SIZE);
	KT_ASSERT(pte_present(pte) && pte_write(pte));
	pg = pfn_to_page(pte_pfn(pte));
	KT_ASSERT(!PageSwapCache(pg) && PageAnonExclusive(pg));
	KT_ASSERT(is_swap_pte(pte_at(c->mm, va + PAGE_SIZE)));
	KT_ASSERT(valid(p) && mm_is_valid(c->mm));
	KT_EQ(mmsim_switch_to(c), 0);
	KT_ASSERT(check(va, 1, 14) && check(va, 0, 15));
	settle();
	reap(p, c);
	/* shared no more (the child exited): the write reuses the page */
	fill(va, 2, 17);
	pte = pte_at(p->mm, va + 2 * PAGE_SIZE);
	KT_ASSERT(pte_present(pte) && pte_write(pte));
	KT_ASSERT(check(va, 0, 15) && check(va, 1, 16) && check(va, 2, 17));
	KT_ASSERT(valid(p));
	settle();
	sys_exit_group(0);
	KT_EQ(get_nr_swap_pages(), free0);
	KT_ASSERT(swap_counts_are_valid(m));
}

/* vm.page-cluster=0: one page per fault, no readahead. */
static void test_no_readahead(void)
{
	struct task_struct *t = mmsim_spawn(m, "nora");
	long long ra0, maj0;
	unsigned long va;

	KT_EQ(mmsim_write(m, "/proc/sys/vm/page-cluster", "0"), 0);
	KT_EQ(mmsim_switch_to(t), 0);
	va = map_filled(4, 18);
	for (unsigned long i = 0; i < 4; i++)
		KT_ASSERT(swap_out_page(t->mm, va + i * PAGE_SIZE, false).val);
	ra0 = vmstat_val("swap_ra ");
	maj0 = vmstat_val("pgmajfault ");
	for (unsigned long i = 0; i < 4; i++)
		KT_ASSERT(check(va, i, 18));
	KT_EQ(vmstat_val("swap_ra "), ra0);
	KT_EQ(vmstat_val("pgmajfault "), maj0 + 4);
	KT_ASSERT(valid(t));
	settle();
	sys_exit_group(0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/page-cluster", "3"), 0);
}

/* mincore of @n swapped-out shmem pages at @va: resident iff in the swap cache, uptodate. */
static void shmem_mincore_check(struct task_struct *t, unsigned long va, unsigned long n)
{
	struct vm_area_struct *vma = vma_lookup(t->mm, va);
	unsigned char vec[8];

	KT_ASSERT(vma && vma->vm_file && n <= 8);
	if (!vma || !vma->vm_file)
		return;
	KT_EQ(sys_mincore(va, n * PAGE_SIZE, vec), 0);
	for (unsigned long i = 0; i < n; i++) {
		void *e = xa_load(&vma->vm_file->f_mapping->i_pages, vma->vm_pgoff + i);
		struct folio *folio;
		int want = 0;

		KT_ASSERT(xa_is_value(e));
		if (!xa_is_value(e))
			continue;
		folio = swap_cache_get_folio((swp_entry_t){ shmem_radix_to_swp_val(e) }, NULL, 0);
		if (folio) {
			want = folio_test_uptodate(folio);
			put_page(&folio->page);
		}
		KT_EQ(vec[i], want);
	}
}

/*
 * Shared anonymous memory (shmem) paged out with MADV_PAGEOUT: its VMA's
 * smaps Swap counts the swap entries of its range (shmem_swapped), VmSwap
 * does not (no swap PTEs); mincore says resident iff the swap cache holds
 * the page; the data comes back.  Skipped while
 * MADV_PAGEOUT does not move shmem to swap.
 */
static void test_shmem_smaps(void)
{
	struct task_struct *t = mmsim_spawn(m, "shm");
	unsigned long va;

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, 4 * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	for (unsigned long i = 0; i < 4; i++)
		fill(va, i, 21);
	KT_EQ(smaps_kb(t, va, "Swap:"), 0);
	KT_EQ(sys_madvise(va, 2 * PAGE_SIZE, MADV_PAGEOUT), 0);
	settle();
	if (smaps_kb(t, va, "Swap:") == 0) {
		printf("# MADV_PAGEOUT kept shmem in memory: skipped\n");
	} else {
		KT_EQ(smaps_kb(t, va, "Swap:"), KB(2));
		KT_EQ(smaps_kb(t, va, "SwapPss:"), 0);
		shmem_mincore_check(t, va, 2);
		KT_EQ(status_kb(t, "VmSwap:"), 0);
		KT_ASSERT(valid(t));
		for (unsigned long i = 0; i < 4; i++)
			KT_ASSERT(check(va, i, 21));
		KT_EQ(smaps_kb(t, va, "Swap:"), 0);
		KT_ASSERT(valid(t));
	}
	settle();
	sys_exit_group(0);
	KT_ASSERT(swap_counts_are_valid(m));
}

static void test_checkers(void)
{
	struct task_struct *t = mmsim_spawn(m, "checkers");
	unsigned long va;
	swp_entry_t e;

	KT_EQ(mmsim_switch_to(t), 0);
	va = map_filled(1, 13);
	e = swap_out_page(t->mm, va, false);
	KT_ASSERT(e.val);
	KT_ASSERT(valid(t));
	add_mm_counter(t->mm, MM_SWAPENTS, 1);
	KT_ASSERT(!mm_is_valid(t->mm));
	add_mm_counter(t->mm, MM_SWAPENTS, -1);
	/* one count too many on the slot */
	KT_EQ(swap_duplicate(e), 0);
	KT_ASSERT(!swap_counts_are_valid(m));
	swap_free(e);
	KT_ASSERT(valid(t));
	settle();
	sys_exit_group(0);
}

static void run(const char *spec)
{
	m = mmsim_boot(spec);
	if (!m) {
		printf("# %s: no boot (%s): skipped\n", spec, mmsim_last_error());
		return;
	}
	printf("# %s\n", spec);
	if (get_total_swap_pages() <= 0) {
		printf("# no swap area: skipped\n");
		mmsim_shutdown(m);
		return;
	}
	KT_RUN(test_major_fault);
	KT_RUN(test_swap_cache_hit);
	KT_RUN(test_readahead);
	KT_RUN(test_fork);
	KT_RUN(test_fork_parent_exits);
	KT_RUN(test_zap_and_madvise);
	KT_RUN(test_mremap);
	KT_RUN(test_unuse);
	KT_RUN(test_swapoff);
	KT_RUN(test_write_fault);
	KT_RUN(test_no_readahead);
	KT_RUN(test_shmem_smaps);
	KT_RUN(test_checkers);
	KT_ASSERT(swap_counts_are_valid(m));
	/* the checkers' own complaints (test_checkers) aside, nothing went wrong */
	KT_ASSERT(log_is_clean(m));
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=64M swap=16M");
	run("arch=i386 ram=1G swap=16M");
	run("arch=arm64 page_size=64K ram=256M swap=64M");
	return kt_done();
}
