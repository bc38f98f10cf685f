// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_compaction_huge.c - compaction serving huge pages:
 *   - Linux's compaction_test as it runs it: lock 80% of MemFree
 *     (MAP_LOCKED), unmap every other 64 KiB, write a large number to
 *     /proc/sys/vm/nr_hugepages, read back how many the pool got; the bar
 *     is a third of that 80% as 2 MiB pages.  Pool pages are allocated with
 *     __GFP_RETRY_MAYFAIL, so the slow path compacts: compact_stall rises.
 *     Every locked page reads back as written;
 *   - direct compaction for a THP fault: after the same fragmentation (and
 *     with the free order >= 9 blocks taken away), a MADV_HUGEPAGE fault
 *     with defrag=never falls back to base pages (thp_fault_fallback),
 *     with defrag=madvise it compacts (compact_stall, compact_success) and
 *     gets a PMD-mapped THP (thp_fault_alloc);
 *   - the migration scanner steps over THPs: compact_memory leaves a
 *     PMD-mapped THP where it is, whole.
 * The invariant checkers run after each step.
 */
#include <mmsim/compaction.h>
#include <mmsim/swap.h>
#include <mmsim/huge_mm.h>
#include <mmsim/hugetlb.h>
#include "vma_test.h"
#include "compaction_test.h"

#define CHUNK	(64UL << 10)	

static long readnum(const char *path)
{
	char *s = mmsim_read(vt_m, path);
	long v = s ? strtol(s, NULL, 10) : -1;

	free(s);
	return v;
}

static bool all_valid(void)
{
	return vt_valid() && mm_mapcounts_are_valid(vt_m) && lru_all_valid() &&
	       hugetlb_pool_is_valid() && compaction_is_valid(vt_m);
}

/*
 * compaction_test through nr_hugepages (Linux's selftest): the pool gets
 * at least a third of the fragmented 80% as huge pages, compacting.
 */
static void test_nr_hugepages_bar(void)
{
	long mem_free_kb, stall, got, want, hpage_kb;
	unsigned long len, a;

	vt_spawn("compaction_test");
	KT_EQ(readnum("/proc/sys/vm/nr_hugepages"), 0);
	hpage_kb = meminfo_kb("Hugepagesize:");
	a = fragment_locked(&len, &mem_free_kb);
	stall = vmstat_of("compact_stall");
	KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/nr_hugepages", "100000"), 0);
	got = readnum("/proc/sys/vm/nr_hugepages");
	want = mem_free_kb / 10 * 8 / hpage_kb / 3;
	printf("   nr_hugepages %ld (bar %ld, %ld kB free before locking), compact_stall +%ld, "
	       "compact_success %ld\n", got, want, mem_free_kb, vmstat_of("compact_stall") - stall,
	       vmstat_of("compact_success"));
	KT_ASSERT(got >= want);
	KT_ASSERT(vmstat_of("compact_stall") > stall);
	KT_ASSERT(vmstat_of("pgmigrate_success") > 0);
	KT_EQ(meminfo_kb("HugePages_Total:"), got);
	KT_ASSERT(all_valid());
	KT_ASSERT(check_pages(a, len, false));
	KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/nr_hugepages", "0"), 0);
	KT_EQ(readnum("/proc/sys/vm/nr_hugepages"), 0);
	KT_ASSERT(all_valid());
	sys_exit_group(0);
}

static bool is_thp_at(unsigned long va)
{
	pmd_t *pmd = mm_find_pmd(current->mm, va);

	return pmd && pmd_trans_huge(pmdp_get(pmd)) && !is_huge_zero_pmd(pmdp_get(pmd));
}

/* A PMD-aligned private anonymous range of one huge page, MADV_HUGEPAGE. */
static unsigned long map_huge_aligned(void)
{
	unsigned long va = vt_mmap(0, 2 * HPAGE_PMD_SIZE, RW, PRIV), start;

	KT_ASSERT(!IS_ERR_VALUE(va));
	start = ALIGN(va, HPAGE_PMD_SIZE);
	KT_EQ(sys_madvise(start, HPAGE_PMD_SIZE, MADV_HUGEPAGE), 0);
	return start;
}

/* Take every free block of order >= @order without reclaim or compaction. */
static unsigned long take_free(unsigned int order, struct page **got, unsigned long max)
{
	gfp_t gfp = (GFP_HIGHUSER_MOVABLE | __GFP_NOWARN) & ~__GFP_RECLAIM;
	unsigned long n = 0;

	while (n < max) {
		struct page *p = alloc_pages(gfp, order);

		if (!p)
			break;
		got[n++] = p;
	}
	return n;
}

/* Direct compaction gives a MADV_HUGEPAGE fault its THP. */
static void test_thp_fault_compacts(void)
{
	unsigned int order = HPAGE_PMD_ORDER;
	struct page *held[256];
	unsigned long len, a, nheld, va;
	long mem_free_kb, fallback, stall, success, allocs;
	unsigned char c = 0x42;

	vt_spawn("thp_compact");
	a = fragment_locked(&len, &mem_free_kb);
	nheld = take_free(order, held, 256);
	KT_ASSERT(all_valid());

	/* defrag=never: no compaction for the fault, base pages instead. */
	KT_EQ(mmsim_write(vt_m, "/sys/kernel/mm/transparent_hugepage/defrag", "never"), 0);
	fallback = vmstat_of("thp_fault_fallback");
	stall = vmstat_of("compact_stall");
	va = map_huge_aligned();
	KT_EQ(mmsim_user_write(va + 5 * PAGE_SIZE, &c, 1), 0);
	KT_ASSERT(!is_thp_at(va));
	KT_EQ(vmstat_of("thp_fault_fallback"), fallback + 1);
	KT_EQ(vmstat_of("compact_stall"), stall);
	KT_ASSERT(all_valid());

	/* defrag=madvise (the default): the fault compacts and gets its THP. */
	KT_EQ(mmsim_write(vt_m, "/sys/kernel/mm/transparent_hugepage/defrag", "madvise"), 0);
	success = vmstat_of("compact_success");
	allocs = vmstat_of("thp_fault_alloc");
	va = map_huge_aligned();
	KT_EQ(mmsim_user_write(va + 7 * PAGE_SIZE, &c, 1), 0);
	KT_ASSERT(is_thp_at(va));
	KT_EQ(vmstat_of("thp_fault_alloc"), allocs + 1);
	KT_ASSERT(vmstat_of("compact_stall") > stall);
	KT_ASSERT(vmstat_of("compact_success") > success);
	printf("   %lu free order-%u blocks held; THP fault: compact_stall +%ld, "
	       "compact_success +%ld\n", nheld, order, vmstat_of("compact_stall") - stall,
	       vmstat_of("compact_success") - success);
	c = 0;
	KT_EQ(mmsim_user_read(va + 7 * PAGE_SIZE, &c, 1), 0);
	KT_EQ(c, 0x42);
	KT_ASSERT(all_valid());
	KT_ASSERT(check_pages(a, len, false));

	/* compact_memory steps over the THP: it stays where it is, whole. */
	{
		unsigned long pfn = pmd_leaf_pfn(pmdp_get(mm_find_pmd(current->mm, va)));

		KT_EQ(mmsim_write(vt_m, "/proc/sys/vm/compact_memory", "1"), 0);
		KT_ASSERT(is_thp_at(va));
		KT_EQ(pmd_leaf_pfn(pmdp_get(mm_find_pmd(current->mm, va))), pfn);
		KT_ASSERT(all_valid());
	}
	for (unsigned long i = 0; i < nheld; i++)
		__free_pages(held[i], order);
	KT_ASSERT(all_valid());
	sys_exit_group(0);
}

/* No splat on the way (WARN, BUG, Bad page state). */
static void no_splat(void)
{
	char *log = mmsim_read(vt_m, "/dev/kmsg");
	bool bad = !log || strstr(log, "WARNING") || strstr(log, "BUG") || strstr(log, "Bad page");

	KT_ASSERT(!bad);
	if (bad && log)
		fprintf(stderr, "%s\n", log);
	free(log);
}

static void run(const char *spec)
{
	vt_boot(spec);
	printf("# %s\n", spec);
	KT_RUN(test_nr_hugepages_bar);
	no_splat();
	vt_exit();
	vt_boot(spec);
	KT_RUN(test_thp_fault_compacts);
	no_splat();
	vt_exit();
}

int main(void)
{
	run("arch=x86_64 ram=128M cpus=2");
	run("arch=arm64 ram=128M cpus=2");
	return kt_done();
}
