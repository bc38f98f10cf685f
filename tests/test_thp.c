// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_thp.c - transparent huge pages (mm/huge_memory*.c), through
 * processes and system calls as a program sees them, with the semantics
 * of Linux's selftests where they apply (split_huge_page_test, cow.c's
 * THP cases, transhuge-stress):
 *   - a write fault in a PMD-aligned 2 MiB range of an allowed VMA maps one
 *     PMD leaf: AnonHugePages 2048 kB in meminfo and smaps, thp_fault_alloc;
 *   - a read fault maps the huge zero page (thp_zero_page_alloc), a write
 *     to it then splits it into zero PTEs and copies one page;
 *   - partial munmap / mprotect, COW after fork split the PMD as Linux
 *     does, and every byte survives in every process;
 *   - split_huge_page: 512 order-0 pages with the right counts and bytes,
 *     -EBUSY while a page is pinned;
 *   - reclaim (MADV_PAGEOUT, and memory pressure) splits a THP and swaps
 *     it as base pages, and every byte comes back;
 *   - enabled=never/madvise, the sysfs formats;
 *   - MADV_COLLAPSE and khugepaged collapse base pages (holes, swapped-out
 *     and shared pages; -EAGAIN for a pinned one) into a THP, every byte
 *     kept (selftests/mm/khugepaged.c's semantics);
 *   - a randomized stress with the invariant checkers after every step.
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/rmap.h>
#include <mmsim/pagemap.h>
#include <mmsim/vmstat.h>
#include <mmsim/swap.h>
#include <mmsim/huge_mm.h>
#include "mmtest.h"
#include "mm/vma_internal.h"

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)

static struct mmsim *m;

#define KT_STR_EQ(got, want)						\
	do {								\
		const char *g_ = (got);					\
		KT_ASSERT(g_ && !strcmp(g_, (want)));			\
		if (g_ && strcmp(g_, (want)))				\
			fprintf(stderr, "  got \"%s\"\n", g_);		\
	} while (0)

static long long vmstat(const char *name)
{
	char label[64], *s = mmsim_read(m, "/proc/vmstat");
	long long v;

	snprintf(label, sizeof(label), "%s ", name);
	v = s ? field(s, label) : -1;
	free(s);
	return v;
}

static long long meminfo_kb(const char *label)
{
	char *s = mmsim_read(m, "/proc/meminfo");
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

/* smaps' @label summed over the process's VMAs. */
static long long smaps_kb(const char *label)
{
	char path[64], *s, *p;
	long long sum = 0;

	snprintf(path, sizeof(path), "/proc/%d/smaps", current->pid);
	s = mmsim_read(m, path);
	if (!s)
		return -1;
	for (p = s; (p = strstr(p, label)) != NULL; p += strlen(label))
		sum += strtoll(p + strlen(label), NULL, 10);
	free(s);
	return sum;
}

static bool valid(void)
{
	return mm_is_valid(current->mm) && mm_mapcounts_are_valid(m) && lru_all_valid();
}

static unsigned char pattern(unsigned long page, unsigned int seed)
{
	return (unsigned char)(page * 7 + seed * 13 + 1);
}

/* Page i of [va, va + n pages) filled with pattern(i, seed). */
static bool fill(unsigned long va, unsigned long n, unsigned int seed)
{
	static unsigned char buf[65536];

	for (unsigned long i = 0; i < n; i++) {
		memset(buf, pattern(i, seed), PAGE_SIZE);
		if (mmsim_user_write(va + i * PAGE_SIZE, buf, PAGE_SIZE))
			return false;
	}
	return true;
}

/* Pages [first, first + n) of the region at @va hold pattern(i, seed). */
static bool holds_from(unsigned long va, unsigned long first, unsigned long n, unsigned int seed)
{
	static unsigned char buf[65536];

	for (unsigned long i = first; i < first + n; i++) {
		if (mmsim_user_read(va + i * PAGE_SIZE, buf, PAGE_SIZE))
			return false;
		for (unsigned long b = 0; b < PAGE_SIZE; b++)
			if (buf[b] != pattern(i, seed)) {
				fprintf(stderr, "page %lu byte %lu: %#x, want %#x\n", i, b, buf[b],
					pattern(i, seed));
				return false;
			}
	}
	return true;
}

/* Every byte of page i is pattern(i, seed); @skip (-1: none) is not looked at. */
static bool holds(unsigned long va, unsigned long n, unsigned int seed, long skip)
{
	if (skip < 0)
		return holds_from(va, 0, n, seed);
	return holds_from(va, 0, (unsigned long)skip, seed) &&
	       holds_from(va, (unsigned long)skip + 1, n - (unsigned long)skip - 1, seed);
}

/* The PMD entry at @va in current's mm (or a zero entry). */
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

/* A private anonymous region of @n huge pages, PMD-aligned (a bigger mmap, trimmed). */
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

/* The arch the tests run on (main runs most of them on several). */
static const char *arch_word = "arch=x86_64";

static struct task_struct *boot_task(const char *spec)
{
	struct task_struct *t;
	char full[256];

	snprintf(full, sizeof(full), "%s %s", arch_word, spec);
	m = boot_or_die(full);
	t = mmsim_spawn(m, "thp");
	KT_ASSERT(t);
	KT_EQ(mmsim_switch_to(t), 0);
	return t;
}

static void done(void)
{
	char *log;

	if (current)
		sys_exit_group(0);
	/* No splat on the way (WARN, BUG, Bad page state). */
	log = mmsim_read(m, "/dev/kmsg");
	KT_ASSERT(log && !strstr(log, "WARNING") && !strstr(log, "BUG") && !strstr(log, "Bad page"));
	if (log && (strstr(log, "WARNING") || strstr(log, "BUG") || strstr(log, "Bad page")))
		fprintf(stderr, "%s\n", log);
	free(log);
	if (getenv("THP_TEST_VERBOSE"))
		fprintf(stderr, "  thp_fault_alloc %lld thp_split_page %lld failed %lld "
			"thp_swpout_fallback %lld pswpout %lld pswpin %lld\n",
			vmstat("thp_fault_alloc"), vmstat("thp_split_page"),
			vmstat("thp_split_page_failed"), vmstat("thp_swpout_fallback"),
			vmstat("pswpout"), vmstat("pswpin"));
	mmsim_shutdown(m);
	m = NULL;
}

/* ---------------------------------------------------------------------
 * Faults
 */

static void test_fault_maps_pmd(void)
{
	unsigned long va, nr = 0;
	long long allocs;

	boot_task("ram=256M transparent_hugepage=always");
	allocs = vmstat("thp_fault_alloc");
	va = map_aligned(1);
	nr = HPAGE_PMD_NR;
	KT_ASSERT(fill(va, 1, 1));
	KT_ASSERT(is_thp_at(va));
	KT_ASSERT(pmd_write(pmd_at(va)) && pmd_dirty(pmd_at(va)));
	KT_EQ(vmstat("thp_fault_alloc"), allocs + 1);
	KT_EQ(meminfo_kb("AnonHugePages:"), (long long)(HPAGE_PMD_SIZE >> 10));
	KT_EQ(vmstat("nr_anon_transparent_hugepages"), 1);
	KT_EQ(smaps_kb("AnonHugePages:"), (long long)(HPAGE_PMD_SIZE >> 10));
	KT_EQ(get_mm_counter(current->mm, MM_ANONPAGES), nr);
	/* One fault filled the whole range: the other pages are there. */
	KT_ASSERT(fill(va, nr, 2));
	KT_ASSERT(holds(va, nr, 2, -1));
	KT_EQ(folio_mapcount(page_folio(pfn_to_page(pmd_leaf_pfn(pmd_at(va))))), 1);
	KT_ASSERT(valid());
	/* munmap of the whole range frees it. */
	KT_EQ(sys_munmap(va, HPAGE_PMD_SIZE), 0);
	KT_EQ(meminfo_kb("AnonHugePages:"), 0);
	KT_EQ(get_mm_counter(current->mm, MM_ANONPAGES), 0);
	KT_ASSERT(valid());
	done();
}

static void test_zero_page(void)
{
	unsigned long va;
	unsigned char c = 1;

	boot_task("ram=256M transparent_hugepage=always");
	va = map_aligned(1);
	KT_EQ(mmsim_user_read(va + 12345, &c, 1), 0);
	KT_EQ(c, 0);
	KT_ASSERT(is_huge_zero_pmd(pmd_at(va)));
	KT_EQ(vmstat("thp_zero_page_alloc"), 1);
	KT_EQ(meminfo_kb("AnonHugePages:"), 0);
	KT_EQ(get_mm_counter(current->mm, MM_ANONPAGES), 0);
	KT_ASSERT(valid());
	/* A write splits it into zero-page PTEs and copies one page. */
	c = 0x5a;
	KT_EQ(mmsim_user_write(va + PAGE_SIZE, &c, 1), 0);
	KT_ASSERT(!pmd_trans_huge(pmd_at(va)));
	KT_EQ(get_mm_counter(current->mm, MM_ANONPAGES), 1);
	c = 0;
	KT_EQ(mmsim_user_read(va + PAGE_SIZE, &c, 1), 0);
	KT_EQ(c, 0x5a);
	KT_EQ(mmsim_user_read(va + 3 * PAGE_SIZE, &c, 1), 0);
	KT_EQ(c, 0);
	KT_ASSERT(valid());
	/* use_zero_page=0: a read fault allocates a THP. */
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/transparent_hugepage/use_zero_page", "0"), 0);
	va = map_aligned(1);
	KT_EQ(mmsim_user_read(va, &c, 1), 0);
	KT_ASSERT(is_thp_at(va));
	KT_ASSERT(valid());
	done();
}

/* ---------------------------------------------------------------------
 * Splitting the PMD
 */

static void test_partial_munmap(void)
{
	unsigned long va, nr;
	unsigned long free_before;

	boot_task("ram=256M transparent_hugepage=always");
	nr = HPAGE_PMD_NR;
	va = map_aligned(2);
	KT_ASSERT(fill(va, 2 * nr, 3));
	KT_ASSERT(is_thp_at(va) && is_thp_at(va + HPAGE_PMD_SIZE));
	KT_EQ(meminfo_kb("AnonHugePages:"), (long long)(2 * HPAGE_PMD_SIZE >> 10));
	/* One page out of the first THP: its PMD becomes PTEs. */
	KT_EQ(sys_munmap(va + 7 * PAGE_SIZE, PAGE_SIZE), 0);
	KT_ASSERT(!pmd_trans_huge(pmd_at(va)));
	KT_ASSERT(is_thp_at(va + HPAGE_PMD_SIZE));
	KT_EQ(meminfo_kb("AnonHugePages:"), (long long)(HPAGE_PMD_SIZE >> 10));
	KT_EQ(get_mm_counter(current->mm, MM_ANONPAGES), 2 * nr - 1);
	KT_ASSERT(valid());
	KT_ASSERT(holds(va, 2 * nr, 3, 7));
	/* The range straddling both: the second one splits too. */
	KT_EQ(sys_munmap(va + HPAGE_PMD_SIZE - 4 * PAGE_SIZE, 8 * PAGE_SIZE), 0);
	KT_ASSERT(!pmd_trans_huge(pmd_at(va + HPAGE_PMD_SIZE)));
	KT_EQ(meminfo_kb("AnonHugePages:"), 0);
	KT_ASSERT(valid());
	for (unsigned long i = 0; i < 2 * nr; i++) {
		unsigned char c;

		if (i == 7 || (i >= nr - 4 && i < nr + 4))
			continue;
		KT_EQ(mmsim_user_read(va + i * PAGE_SIZE + 100, &c, 1), 0);
		if (c != pattern(i, 3)) {
			KT_EQ(c, pattern(i, 3));
			break;
		}
	}
	/* Everything unmapped: every page is back. */
	free_before = nr_free_pages();
	KT_EQ(sys_munmap(va, 2 * HPAGE_PMD_SIZE), 0);
	KT_ASSERT(nr_free_pages() >= free_before + 2 * nr - 9 - 1);
	KT_ASSERT(valid());
	done();
}

static void test_mprotect(void)
{
	unsigned long va, nr;
	unsigned char c = 0;

	boot_task("ram=256M transparent_hugepage=always");
	nr = HPAGE_PMD_NR;
	va = map_aligned(2);
	KT_ASSERT(fill(va, 2 * nr, 4));
	/* The whole first THP read-only: still one leaf, not writable. */
	KT_EQ(sys_mprotect(va, HPAGE_PMD_SIZE, PROT_READ), 0);
	KT_ASSERT(is_thp_at(va) && !pmd_write(pmd_at(va)));
	KT_ASSERT(valid());
	KT_EQ(sys_mprotect(va, HPAGE_PMD_SIZE, RW), 0);
	KT_ASSERT(is_thp_at(va));
	KT_ASSERT(fill(va, 1, 5));	/* an exclusive folio: writable again */
	KT_ASSERT(is_thp_at(va));
	/* Part of the second: split, and only that part is read-only. */
	KT_EQ(sys_mprotect(va + HPAGE_PMD_SIZE + 16 * PAGE_SIZE, 16 * PAGE_SIZE, PROT_READ), 0);
	KT_ASSERT(!pmd_trans_huge(pmd_at(va + HPAGE_PMD_SIZE)));
	KT_ASSERT(!pte_write(ptep_get(mm_find_pte(current->mm, va + HPAGE_PMD_SIZE + 20 * PAGE_SIZE))));
	KT_ASSERT(valid());
	KT_ASSERT(holds_from(va, 0, 1, 5));
	KT_ASSERT(holds_from(va, 1, 2 * nr - 1, 4));
	KT_EQ(mmsim_user_read(va + HPAGE_PMD_SIZE + 20 * PAGE_SIZE, &c, 1), 0);
	KT_EQ(c, pattern(nr + 20, 4));
	/* The read-only part refuses writes (SIGSEGV kills the writer). */
	KT_ASSERT(valid());
	done();
}

static void test_fork_cow(void)
{
	struct task_struct *parent, *child;
	unsigned long va, nr;
	unsigned char c;
	long pid;

	parent = boot_task("ram=256M transparent_hugepage=always");
	nr = HPAGE_PMD_NR;
	va = map_aligned(1);
	KT_ASSERT(fill(va, nr, 6));
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	child = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(child);
	/* Both share the folio, write-protected. */
	KT_ASSERT(is_thp_at(va) && !pmd_write(pmd_at(va)));
	KT_EQ(folio_mapcount(page_folio(pfn_to_page(pmd_leaf_pfn(pmd_at(va))))), 2);
	KT_EQ(meminfo_kb("AnonHugePages:"), (long long)(HPAGE_PMD_SIZE >> 10));
	KT_ASSERT(valid());

	/* The child writes one page: its PMD splits, that page is copied. */
	KT_EQ(mmsim_switch_to(child), 0);
	KT_ASSERT(holds(va, nr, 6, -1));
	c = 0xc1;
	KT_EQ(mmsim_user_write(va + 9 * PAGE_SIZE, &c, 1), 0);
	KT_ASSERT(!pmd_trans_huge(pmd_at(va)));
	KT_ASSERT(valid());

	/* The parent still sees its bytes, then writes another page. */
	KT_EQ(mmsim_switch_to(parent), 0);
	KT_ASSERT(holds(va, nr, 6, -1));
	c = 0xa1;
	KT_EQ(mmsim_user_write(va + 10 * PAGE_SIZE, &c, 1), 0);
	KT_ASSERT(valid());

	KT_EQ(mmsim_switch_to(child), 0);
	KT_EQ(mmsim_user_read(va + 10 * PAGE_SIZE, &c, 1), 0);
	KT_EQ(c, pattern(10, 6));
	KT_EQ(mmsim_user_read(va + 9 * PAGE_SIZE, &c, 1), 0);
	KT_EQ(c, 0xc1);
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(parent), 0);
	KT_EQ(sys_wait4((pid_t)pid, NULL, 0, NULL), pid);
	KT_EQ(mmsim_user_read(va + 9 * PAGE_SIZE, &c, 1), 0);
	KT_EQ(c, pattern(9, 6));
	KT_EQ(mmsim_user_read(va + 10 * PAGE_SIZE, &c, 1), 0);
	KT_EQ(c, 0xa1);
	KT_ASSERT(valid());
	done();
}

/* fork, the child exits, the parent writes: the folio is its own again. */
static void test_fork_reuse(void)
{
	unsigned long va, nr;
	long pid;

	boot_task("ram=256M transparent_hugepage=always");
	nr = HPAGE_PMD_NR;
	va = map_aligned(1);
	KT_ASSERT(fill(va, nr, 7));
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	KT_EQ(sys_kill((pid_t)pid, SIGKILL), 0);
	KT_EQ(sys_wait4((pid_t)pid, NULL, 0, NULL), pid);
	KT_ASSERT(fill(va, 1, 8));
	KT_ASSERT(is_thp_at(va) && pmd_write(pmd_at(va)));
	KT_ASSERT(holds_from(va, 0, 1, 8));
	KT_ASSERT(holds_from(va, 1, nr - 1, 7));
	KT_ASSERT(valid());
	done();
}

/* ---------------------------------------------------------------------
 * split_huge_page (split_huge_page_test's semantics)
 */

static void test_split_huge_page(void)
{
	unsigned long va, nr;
	struct folio *folio;
	struct page *head, *pinned = NULL;
	long long inactive, active;

	boot_task("ram=256M transparent_hugepage=always");
	nr = HPAGE_PMD_NR;
	va = map_aligned(1);
	KT_ASSERT(fill(va, nr, 9));
	head = pfn_to_page(pmd_leaf_pfn(pmd_at(va)));
	folio = page_folio(head);
	inactive = meminfo_kb("Inactive(anon):");
	active = meminfo_kb("Active(anon):");

	/* Pinned: -EBUSY, nothing changes. */
	KT_EQ(pin_user_pages_fast(va + 5 * PAGE_SIZE, 1, FOLL_WRITE | FOLL_LONGTERM, &pinned), 1);
	KT_ASSERT(folio_maybe_dma_pinned(folio));
	get_page(head);
	folio_lock(folio);
	KT_EQ(split_huge_page(head), -EBUSY);
	folio_unlock(folio);
	put_page(head);
	KT_EQ(vmstat("thp_split_page_failed"), 1);
	KT_ASSERT(folio_test_large(folio));
	unpin_user_page(pinned);
	KT_ASSERT(valid());

	get_page(head);
	folio_lock(folio);
	KT_EQ(split_huge_page(head), 0);
	KT_ASSERT(!folio_test_large(folio));
	folio_unlock(folio);
	put_page(head);
	KT_EQ(vmstat("thp_split_page"), 1);
	KT_EQ(meminfo_kb("AnonHugePages:"), 0);
	KT_EQ(meminfo_kb("Inactive(anon):") + meminfo_kb("Active(anon):"), inactive + active);
	for (unsigned long i = 0; i < nr; i++) {
		struct page *p = head + i;

		if (PageCompound(p) || page_ref_count(p) != 1 || page_mapcount(p) != 1 ||
		    !PageAnon(p) || p->index != head->index + i || !PageLRU(p)) {
			dump_page(p, "after split");
			KT_ASSERT(0);
			break;
		}
	}
	KT_ASSERT(!pmd_trans_huge(pmd_at(va)));
	KT_ASSERT(holds(va, nr, 9, -1));
	KT_ASSERT(valid());
	/* The pieces are base pages: unmapping one frees exactly it. */
	KT_EQ(sys_munmap(va, PAGE_SIZE), 0);
	KT_EQ(page_ref_count(head), 0);
	KT_ASSERT(valid());
	done();
}

/* A THP mapped by two processes (after fork) splits, each keeping its bytes. */
static void test_split_shared(void)
{
	struct task_struct *parent, *child;
	unsigned long va, nr;
	struct page *head;
	long pid;

	parent = boot_task("ram=256M transparent_hugepage=always");
	nr = HPAGE_PMD_NR;
	va = map_aligned(1);
	KT_ASSERT(fill(va, nr, 10));
	pid = sys_fork();
	child = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(child);
	head = pfn_to_page(pmd_leaf_pfn(pmd_at(va)));
	get_page(head);
	folio_lock(page_folio(head));
	KT_EQ(split_huge_page(head), 0);
	folio_unlock(page_folio(head));
	put_page(head);
	KT_EQ(page_mapcount(head + 3), 2);
	KT_ASSERT(valid());
	KT_ASSERT(holds(va, nr, 10, -1));
	KT_EQ(mmsim_switch_to(child), 0);
	KT_ASSERT(holds(va, nr, 10, -1));
	KT_ASSERT(fill(va, 4, 11));
	KT_EQ(mmsim_switch_to(parent), 0);
	KT_ASSERT(holds(va, nr, 10, -1));
	KT_ASSERT(valid());
	done();
}

/* ---------------------------------------------------------------------
 * Reclaim
 */

static void test_pageout_swaps_thp(void)
{
	unsigned long va, nr;
	long long swpout;

	boot_task("ram=256M swap=64M transparent_hugepage=always");
	nr = HPAGE_PMD_NR;
	va = map_aligned(1);
	KT_ASSERT(fill(va, nr, 12));
	KT_ASSERT(is_thp_at(va));
	swpout = vmstat("pswpout");
	KT_EQ(sys_madvise(va, HPAGE_PMD_SIZE, MADV_PAGEOUT), 0);
	KT_EQ(vmstat("thp_swpout_fallback"), 1);
	KT_EQ(vmstat("thp_split_page"), 1);
	KT_EQ(vmstat("pswpout") - swpout, (long long)nr);
	KT_EQ(get_mm_counter(current->mm, MM_SWAPENTS), nr);
	KT_EQ(meminfo_kb("AnonHugePages:"), 0);
	KT_ASSERT(valid());
	KT_ASSERT(holds(va, nr, 12, -1));
	KT_ASSERT(valid());
	done();
}

/* More THP than RAM: reclaim splits and swaps them; every byte comes back. */
static void test_pressure_swaps_thp(void)
{
	unsigned long va, n = 40;	/* 80 MiB in a 64 MiB machine */

	boot_task("ram=64M swap=128M transparent_hugepage=always");
	va = map_aligned(n);
	for (unsigned long i = 0; i < n; i++)
		KT_ASSERT(fill(va + i * HPAGE_PMD_SIZE, HPAGE_PMD_NR, (unsigned int)i));
	KT_ASSERT(vmstat("thp_fault_alloc") > 0);
	KT_ASSERT(vmstat("thp_swpout_fallback") > 0);
	KT_ASSERT(vmstat("pswpout") > 0);
	KT_ASSERT(valid());
	for (unsigned long i = 0; i < n; i++)
		if (!holds(va + i * HPAGE_PMD_SIZE, HPAGE_PMD_NR, (unsigned int)i, -1)) {
			KT_ASSERT(0);
			break;
		}
	KT_ASSERT(valid());
	done();
}

/* ---------------------------------------------------------------------
 * Knobs
 */

static void test_knobs(void)
{
	unsigned long va;
	char *s;

	boot_task("ram=256M");
	s = mmsim_read(m, "/sys/kernel/mm/transparent_hugepage/enabled");
	KT_STR_EQ(s, "always [madvise] never\n");
	free(s);
	s = mmsim_read(m, "/sys/kernel/mm/transparent_hugepage/defrag");
	KT_STR_EQ(s, "always defer defer+madvise [madvise] never\n");
	free(s);
	s = mmsim_read(m, "/sys/kernel/mm/transparent_hugepage/use_zero_page");
	KT_STR_EQ(s, "1\n");
	free(s);
	s = mmsim_read(m, "/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");
	KT_STR_EQ(s, "2097152\n");
	free(s);
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/transparent_hugepage/enabled", "sometimes"), -EINVAL);
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/transparent_hugepage/defrag", "defer+madvise\n"), 0);
	s = mmsim_read(m, "/sys/kernel/mm/transparent_hugepage/defrag");
	KT_STR_EQ(s, "always defer [defer+madvise] madvise never\n");
	free(s);

	/* madvise mode: only MADV_HUGEPAGE regions. */
	va = map_aligned(2);
	KT_ASSERT(fill(va, 1, 1));
	KT_ASSERT(!pmd_trans_huge(pmd_at(va)));
	KT_EQ(smaps_kb("THPeligible:"), 0);
	KT_EQ(sys_madvise(va + HPAGE_PMD_SIZE, HPAGE_PMD_SIZE, MADV_HUGEPAGE), 0);
	KT_EQ(smaps_kb("THPeligible:"), 1);
	KT_ASSERT(fill(va + HPAGE_PMD_SIZE, 1, 1));
	KT_ASSERT(is_thp_at(va + HPAGE_PMD_SIZE));
	/* never: not even there. */
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/transparent_hugepage/enabled", "never"), 0);
	s = mmsim_read(m, "/sys/kernel/mm/transparent_hugepage/enabled");
	KT_STR_EQ(s, "always madvise [never]\n");
	free(s);
	va = map_aligned(1);
	KT_EQ(sys_madvise(va, HPAGE_PMD_SIZE, MADV_HUGEPAGE), 0);
	KT_ASSERT(fill(va, 1, 1));
	KT_ASSERT(!pmd_trans_huge(pmd_at(va)));
	/* always, but MADV_NOHUGEPAGE. */
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/transparent_hugepage/enabled", "always"), 0);
	va = map_aligned(1);
	KT_EQ(sys_madvise(va, HPAGE_PMD_SIZE, MADV_NOHUGEPAGE), 0);
	KT_ASSERT(fill(va, 1, 1));
	KT_ASSERT(!pmd_trans_huge(pmd_at(va)));
	KT_ASSERT(valid());
	done();

	/* The boot parameter. */
	boot_task("ram=128M transparent_hugepage=never");
	s = mmsim_read(m, "/sys/kernel/mm/transparent_hugepage/enabled");
	KT_STR_EQ(s, "always madvise [never]\n");
	free(s);
	done();
}

/* ---------------------------------------------------------------------
 * Collapse: MADV_COLLAPSE and khugepaged (selftests/mm/khugepaged.c)
 */

static long long kh_file(const char *name)
{
	char path[128], *s;
	long long v;

	snprintf(path, sizeof(path), "/sys/kernel/mm/transparent_hugepage/khugepaged/%s", name);
	s = mmsim_read(m, path);
	v = s ? strtoll(s, NULL, 10) : -1;
	free(s);
	return v;
}

static void test_madv_collapse(void)
{
	struct task_struct *parent, *child;
	unsigned long va, nr;
	struct page *pinned = NULL;
	unsigned char c;
	long pid;

	parent = boot_task("ram=256M swap=64M");	/* enabled=madvise, none advised */
	nr = HPAGE_PMD_NR;
	va = map_aligned(3);
	KT_ASSERT(fill(va, 3 * nr, 20));
	KT_ASSERT(!pmd_trans_huge(pmd_at(va)));
	KT_EQ(get_mm_counter(current->mm, MM_ANONPAGES), 3 * nr);
	/* Holes (max_ptes_none is ignored by MADV_COLLAPSE): zeroes after. */
	KT_EQ(sys_madvise(va + 3 * PAGE_SIZE, 2 * PAGE_SIZE, MADV_DONTNEED), 0);
	KT_EQ(sys_madvise(va, HPAGE_PMD_SIZE, MADV_COLLAPSE), 0);
	KT_ASSERT(is_thp_at(va));
	KT_EQ(vmstat("thp_collapse_alloc"), 1);
	KT_EQ(kh_file("pages_collapsed"), 1);
	KT_EQ(meminfo_kb("AnonHugePages:"), (long long)(HPAGE_PMD_SIZE >> 10));
	KT_EQ(get_mm_counter(current->mm, MM_ANONPAGES), 3 * nr);
	KT_ASSERT(holds_from(va, 0, 3, 20) && holds_from(va, 5, 3 * nr - 5, 20));
	KT_EQ(mmsim_user_read(va + 4 * PAGE_SIZE + 77, &c, 1), 0);
	KT_EQ(c, 0);
	KT_ASSERT(valid());
	/* Already a THP: done at once. */
	KT_EQ(sys_madvise(va, HPAGE_PMD_SIZE, MADV_COLLAPSE), 0);
	KT_EQ(vmstat("thp_collapse_alloc"), 1);

	/* A pinned page: -EAGAIN, nothing changes. */
	KT_EQ(pin_user_pages_fast(va + HPAGE_PMD_SIZE + 9 * PAGE_SIZE, 1, FOLL_WRITE | FOLL_LONGTERM,
				  &pinned), 1);
	KT_EQ(sys_madvise(va + HPAGE_PMD_SIZE, HPAGE_PMD_SIZE, MADV_COLLAPSE), -EAGAIN);
	KT_ASSERT(!pmd_trans_huge(pmd_at(va + HPAGE_PMD_SIZE)));
	unpin_user_page(pinned);
	KT_ASSERT(valid());

	/* Shared with a child (and some pages swapped out): the parent's
	 * collapse copies, the child keeps the old pages. */
	KT_EQ(sys_madvise(va + 2 * HPAGE_PMD_SIZE + 100 * PAGE_SIZE, 8 * PAGE_SIZE, MADV_PAGEOUT), 0);
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	child = find_task_by_vpid((pid_t)pid);
	KT_EQ(sys_madvise(va + HPAGE_PMD_SIZE, 2 * HPAGE_PMD_SIZE, MADV_COLLAPSE), 0);
	KT_ASSERT(is_thp_at(va + HPAGE_PMD_SIZE) && is_thp_at(va + 2 * HPAGE_PMD_SIZE));
	KT_ASSERT(valid());
	KT_ASSERT(fill(va + HPAGE_PMD_SIZE, 4, 21));
	KT_EQ(mmsim_switch_to(child), 0);
	KT_ASSERT(!pmd_trans_huge(pmd_at(va + HPAGE_PMD_SIZE)));
	KT_ASSERT(holds_from(va, 5, 3 * nr - 5, 20));
	KT_ASSERT(valid());
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(parent), 0);
	KT_EQ(sys_wait4((pid_t)pid, NULL, 0, NULL), pid);
	KT_ASSERT(holds_from(va + HPAGE_PMD_SIZE, 4, nr - 4, 20));
	KT_ASSERT(holds_from(va, 2 * nr, nr, 20));
	KT_ASSERT(valid());
	/* MADV_NOHUGEPAGE forbids it. */
	KT_EQ(sys_madvise(va, HPAGE_PMD_SIZE, MADV_NOHUGEPAGE), 0);
	KT_EQ(sys_madvise(va, HPAGE_PMD_SIZE, MADV_COLLAPSE), -EINVAL);
	done();
}

static void test_khugepaged(void)
{
	unsigned long va, nr;
	char *s;

	boot_task("ram=256M");
	nr = HPAGE_PMD_NR;
	s = mmsim_read(m, "/sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none");
	KT_ASSERT(s && strtoul(s, NULL, 10) == nr - 1);
	free(s);
	KT_EQ(kh_file("scan_sleep_millisecs"), 10000);
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none", "512"),
	      -EINVAL);
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/transparent_hugepage/khugepaged/scan_sleep_millisecs",
			  "100"), 0);
	/* Base pages first (not advised), with holes over max_ptes_none in the second. */
	va = map_aligned(2);
	KT_ASSERT(fill(va, nr, 22));
	KT_ASSERT(fill(va + HPAGE_PMD_SIZE, 8, 23));
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/transparent_hugepage/khugepaged/max_ptes_none", "64"),
	      0);
	KT_EQ(sys_madvise(va, 2 * HPAGE_PMD_SIZE, MADV_HUGEPAGE), 0);
	KT_ASSERT(!pmd_trans_huge(pmd_at(va)));
	/* Virtual time passes: khugepaged wakes every 100 ms and collapses. */
	mmsim_advance_clock(m, 2000000000ULL);
	KT_ASSERT(kh_file("full_scans") >= 1);
	KT_EQ(kh_file("pages_collapsed"), 1);
	KT_ASSERT(is_thp_at(va));
	KT_ASSERT(!pmd_trans_huge(pmd_at(va + HPAGE_PMD_SIZE)));	/* 504 holes > 64 */
	KT_ASSERT(holds(va, nr, 22, -1));
	KT_ASSERT(holds_from(va + HPAGE_PMD_SIZE, 0, 8, 23));
	KT_ASSERT(valid());
	done();
}

/* ---------------------------------------------------------------------
 * Randomized stress
 */

#define ST_HUGE		4
#define ST_STEPS	400

static unsigned long st_rand(unsigned long *s)
{
	*s = *s * 6364136223846793005UL + 1442695040888963407UL;
	return *s >> 33;
}

/*
 * Random faults, writes, partial and whole munmap/mprotect, fork (the
 * child checks its bytes and exits), split_huge_page, MADV_DONTNEED,
 * MADV_PAGEOUT and MADV_COLLAPSE over a few huge pages; a shadow byte per page says what each page must
 * hold; the invariant checkers run after every step.
 */
static void test_stress(void)
{
	unsigned long seed = 12345, va, nr, npages;
	unsigned char *shadow;	/* per page: 0 unmapped-or-zero, else the byte */
	bool *mapped;

	boot_task("ram=256M swap=64M transparent_hugepage=always");
	nr = HPAGE_PMD_NR;
	npages = ST_HUGE * nr;
	va = map_aligned(ST_HUGE);
	shadow = calloc(npages, 1);
	mapped = calloc(npages, sizeof(*mapped));
	for (unsigned long i = 0; i < npages; i++)
		mapped[i] = true;
	for (int step = 0; step < ST_STEPS; step++) {
		unsigned long op = st_rand(&seed) % 10, p = st_rand(&seed) % npages;
		unsigned long len = 1 + st_rand(&seed) % (nr + nr / 2);
		unsigned char c = (unsigned char)(1 + st_rand(&seed) % 255);

		if (p + len > npages)
			len = npages - p;
		switch (op) {
		case 0: case 1:	/* write a byte into each page of a range */
			for (unsigned long i = p; i < p + len; i++)
				if (mapped[i]) {
					KT_EQ(mmsim_user_write(va + i * PAGE_SIZE + (i % 100), &c, 1), 0);
					shadow[i] = c;
				}
			break;
		case 2:		/* munmap a range, map it again (zero) */
			KT_EQ(sys_munmap(va + p * PAGE_SIZE, len * PAGE_SIZE), 0);
			KT_EQ(sys_mmap(va + p * PAGE_SIZE, len * PAGE_SIZE, RW, PRIV | MAP_FIXED,
				       (unsigned long)-1, 0), va + p * PAGE_SIZE);
			memset(shadow + p, 0, len);
			break;
		case 3:		/* mprotect read-only and back */
			KT_EQ(sys_mprotect(va + p * PAGE_SIZE, len * PAGE_SIZE, PROT_READ), 0);
			KT_ASSERT(valid());
			KT_EQ(sys_mprotect(va + p * PAGE_SIZE, len * PAGE_SIZE, RW), 0);
			break;
		case 4: {	/* fork: the child checks, writes, exits */
			struct task_struct *parent = current, *child;
			long pid = sys_fork();

			KT_ASSERT(pid > 0);
			child = find_task_by_vpid((pid_t)pid);
			KT_EQ(mmsim_switch_to(child), 0);
			for (unsigned long i = p; i < p + len; i++) {
				unsigned char got = 0xff, w = 0xee;

				KT_EQ(mmsim_user_read(va + i * PAGE_SIZE + (i % 100), &got, 1), 0);
				KT_EQ(got, shadow[i]);
				KT_EQ(mmsim_user_write(va + i * PAGE_SIZE + (i % 100), &w, 1), 0);
			}
			KT_ASSERT(mm_is_valid(current->mm));
			sys_exit_group(0);
			KT_EQ(mmsim_switch_to(parent), 0);
			KT_EQ(sys_wait4((pid_t)pid, NULL, 0, NULL), pid);
			break;
		}
		case 5: {	/* split the THP under p, if any */
			pmd_t pmd = pmd_at(va + (p & ~(nr - 1)) * PAGE_SIZE);

			if (pmd_trans_huge(pmd) && !is_huge_zero_pmd(pmd)) {
				struct page *head = pfn_to_page(pmd_leaf_pfn(pmd));

				get_page(head);
				folio_lock(page_folio(head));
				KT_EQ(split_huge_page(head), 0);
				folio_unlock(page_folio(head));
				put_page(head);
			}
			break;
		}
		case 6:		/* MADV_DONTNEED */
			KT_EQ(sys_madvise(va + p * PAGE_SIZE, len * PAGE_SIZE, MADV_DONTNEED), 0);
			memset(shadow + p, 0, len);
			break;
		case 7:		/* MADV_PAGEOUT */
			KT_EQ(sys_madvise(va + p * PAGE_SIZE, len * PAGE_SIZE, MADV_PAGEOUT), 0);
			break;
		case 8:		/* a fresh huge range, written whole: a new THP */
			p &= ~(nr - 1);
			len = nr;
			KT_EQ(sys_munmap(va + p * PAGE_SIZE, len * PAGE_SIZE), 0);
			KT_EQ(sys_mmap(va + p * PAGE_SIZE, len * PAGE_SIZE, RW, PRIV | MAP_FIXED,
				       (unsigned long)-1, 0), va + p * PAGE_SIZE);
			for (unsigned long i = p; i < p + len; i++) {
				KT_EQ(mmsim_user_write(va + i * PAGE_SIZE + (i % 100), &c, 1), 0);
				shadow[i] = c;
			}
			break;
		case 9: {	/* MADV_COLLAPSE (may fail with -EAGAIN: a page in flight) */
			long r = sys_madvise(va + (p & ~(nr - 1)) * PAGE_SIZE, HPAGE_PMD_SIZE,
					     MADV_COLLAPSE);

			KT_ASSERT(r == 0 || r == -EAGAIN || r == -EINVAL);
			break;
		}
		}
		if (!valid()) {
			fprintf(stderr, "stress: invalid after step %d (op %lu at page %lu, %lu pages)\n",
				step, op, p, len);
			KT_ASSERT(0);
			break;
		}
	}
	for (unsigned long i = 0; i < npages; i++) {
		unsigned char got = 0xff;

		KT_EQ(mmsim_user_read(va + i * PAGE_SIZE + (i % 100), &got, 1), 0);
		if (got != shadow[i]) {
			fprintf(stderr, "stress: page %lu holds %#x, want %#x\n", i, got, shadow[i]);
			KT_ASSERT(0);
			break;
		}
	}
	KT_ASSERT(vmstat("thp_fault_alloc") > 0);
	free(shadow);
	free(mapped);
	done();
}

int main(void)
{
	static const char *const arches[] = { "arch=arm64", "arch=i386-pae", "arch=i386",
					      "arch=x86_64 lru=mglru" };

	KT_RUN(test_fault_maps_pmd);
	KT_RUN(test_zero_page);
	KT_RUN(test_partial_munmap);
	KT_RUN(test_mprotect);
	KT_RUN(test_fork_cow);
	KT_RUN(test_fork_reuse);
	KT_RUN(test_split_huge_page);
	KT_RUN(test_split_shared);
	KT_RUN(test_pageout_swaps_thp);
	KT_RUN(test_pressure_swaps_thp);
	KT_RUN(test_knobs);
	KT_RUN(test_madv_collapse);
	KT_RUN(test_khugepaged);
	KT_RUN(test_stress);
	/* The same on arm64 (2 MiB blocks), i386 PAE (2 MiB), i386 (4 MiB PSE pages), and
	 * with the multi-gen LRU (a split THP's pages join the folio's generation). */
	for (size_t i = 0; i < ARRAY_SIZE(arches); i++) {
		arch_word = arches[i];
		fprintf(stderr, "-- %s\n", arch_word);
		KT_RUN(test_fault_maps_pmd);
		KT_RUN(test_zero_page);
		KT_RUN(test_partial_munmap);
		KT_RUN(test_mprotect);
		KT_RUN(test_fork_cow);
		KT_RUN(test_split_huge_page);
		KT_RUN(test_split_shared);
		KT_RUN(test_pageout_swaps_thp);
		KT_RUN(test_madv_collapse);
		KT_RUN(test_stress);
	}
	return kt_done();
}
