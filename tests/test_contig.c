// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_contig.c - the contiguous allocator (mm/page_contig.c):
 *   - alloc_contig_range over a range holding a process's anonymous pages
 *     (some of them a THP): they move out (bytes identical, PTEs
 *     rewritten), the range comes back as order-0 pages with refcount 1,
 *     free_contig_range gives it back; a pinned page in the range makes it
 *     -EBUSY and the blocks get their migratetype back;
 *   - alloc_contig_pages finds an aligned range;
 *   - a 1 GiB hugetlb pool grows at run time (nr_hugepages of
 *     hugepages-1048576kB) with a process's movable pages in the way: they
 *     are migrated (pgmigrate_success), every byte reads back identical,
 *     the new page maps and holds what is written; shrinking gives it back
 *     (MemTotal and MemFree return).
 * The invariant checkers run after every step.
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/rmap.h>
#include <mmsim/vmstat.h>
#include <mmsim/hugetlb.h>
#include <mmsim/swap.h>
#include <mmsim/compaction.h>
#include "mmtest.h"

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)

static struct mmsim *m;

static long long meminfo(const char *label)
{
	char *s = mmsim_read(m, "/proc/meminfo");
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static long long readnum(const char *path)
{
	char *s = mmsim_read(m, path);
	long long v = s ? strtoll(s, NULL, 10) : -1;

	free(s);
	return v;
}

static bool valid(void)
{
	return mm_is_valid(current->mm) && mm_mapcounts_are_valid(m) && lru_all_valid() &&
	       hugetlb_pool_is_valid();
}

static unsigned long word(unsigned long i, unsigned int seed)
{
	return i * 2654435761UL + seed;
}

/* One word at the start and one in the middle of each page. */
static void fill(unsigned long va, unsigned long n, unsigned int seed)
{
	for (unsigned long i = 0; i < n; i++) {
		unsigned long w = word(i, seed);

		KT_EQ(mmsim_user_write(va + i * PAGE_SIZE, &w, sizeof(w)), 0);
		w = ~w;
		KT_EQ(mmsim_user_write(va + i * PAGE_SIZE + PAGE_SIZE / 2, &w, sizeof(w)), 0);
	}
}

static bool holds(unsigned long va, unsigned long n, unsigned int seed)
{
	for (unsigned long i = 0; i < n; i++) {
		unsigned long a = 0, b = 0;

		if (mmsim_user_read(va + i * PAGE_SIZE, &a, sizeof(a)) ||
		    mmsim_user_read(va + i * PAGE_SIZE + PAGE_SIZE / 2, &b, sizeof(b)))
			return false;
		if (a != word(i, seed) || b != ~word(i, seed)) {
			fprintf(stderr, "page %lu: %#lx %#lx\n", i, a, b);
			return false;
		}
	}
	return true;
}

static unsigned long pfn_at(unsigned long va)
{
	struct page *page = NULL;
	unsigned long pfn;

	if (get_user_pages_remote(current->mm, va, 1, 0, &page, NULL) != 1)
		return 0;
	pfn = page_to_pfn(page);
	put_page(page);
	return pfn;
}

static void boot_task(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_EQ(mmsim_switch_to(mmsim_spawn(m, "contig")), 0);
}

static void done(void)
{
	char *log = mmsim_read(m, "/dev/kmsg");

	KT_ASSERT(log && !strstr(log, "WARNING") && !strstr(log, "BUG") && !strstr(log, "Bad page"));
	if (log && (strstr(log, "WARNING") || strstr(log, "BUG") || strstr(log, "Bad page")))
		fprintf(stderr, "%s\n", log);
	free(log);
	sys_exit_group(0);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
	m = NULL;
}

/*
 * Try alloc_contig_range on the MAX_ORDER blocks holding the process's
 * pages, in turn (a block may also hold unmovable kernel pages: -EBUSY),
 * until one succeeds: its start pfn, or 0.
 */
static unsigned long grab_block(unsigned long va, unsigned long n)
{
	unsigned long tried[64];
	int nt = 0;

	for (unsigned long i = 0; i < n && nt < 64; i += 64) {
		unsigned long pfn = pfn_at(va + i * PAGE_SIZE), start;
		bool seen = false;

		start = ALIGN_DOWN(pfn, MAX_ORDER_NR_PAGES);
		for (int k = 0; k < nt; k++)
			seen = seen || tried[k] == start;
		if (seen)
			continue;
		tried[nt++] = start;
		if (!alloc_contig_range(start, start + MAX_ORDER_NR_PAGES, MIGRATE_MOVABLE,
					GFP_KERNEL))
			return start;
		KT_ASSERT(mm_allocator_is_valid());
	}
	return 0;
}

/* The pages of a process in a MAX_ORDER block move out; the block is ours. */
static void test_range(void)
{
	unsigned long n = 4096, va, start, end, moved;
	long long free_before;
	bool pinned_case = false;

	boot_task("arch=x86_64 ram=256M cpus=2 transparent_hugepage=always");
	va = sys_mmap(0, n * PAGE_SIZE, RW, PRIV, (unsigned long)-1, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	fill(va, n, 1);
	KT_ASSERT(valid());
	free_before = meminfo("MemFree:");
	moved = sum_vm_event(PGMIGRATE_SUCCESS);
	start = grab_block(va, n);
	KT_ASSERT(start);
	if (!start)
		goto out;
	end = start + MAX_ORDER_NR_PAGES;
	KT_ASSERT(sum_vm_event(PGMIGRATE_SUCCESS) > moved);
	for (unsigned long p = start; p < end; p++) {
		struct page *page = pfn_to_page(p);

		KT_EQ(page_ref_count(page), 1);
		KT_ASSERT(!PageBuddy(page) && !PageLRU(page) && !PageCompound(page));
	}
	for (unsigned long i = 0; i < n; i++) {
		unsigned long q = pfn_at(va + i * PAGE_SIZE);

		KT_ASSERT(q < start || q >= end);
	}
	KT_ASSERT(holds(va, n, 1));
	KT_ASSERT(valid());
	free_contig_range(start, end - start);
	KT_ASSERT(valid());
	KT_ASSERT(mm_allocator_is_valid());

	/*
	 * A pinned page: -EBUSY, the blocks are not left isolated, the page
	 * stays; unpinned, the same block can be had.
	 */
	for (unsigned long i = 0; i < n && !pinned_case; i += 64) {
		struct page *pinned = NULL;
		unsigned long pfn;
		int r;

		KT_EQ(pin_user_pages_remote(current->mm, va + i * PAGE_SIZE, 1,
					    FOLL_WRITE | FOLL_LONGTERM, &pinned, NULL), 1);
		pfn = page_to_pfn(pinned);
		start = ALIGN_DOWN(pfn, MAX_ORDER_NR_PAGES);
		end = start + MAX_ORDER_NR_PAGES;
		KT_EQ(alloc_contig_range(start, end, MIGRATE_MOVABLE, GFP_KERNEL), -EBUSY);
		for (unsigned long p = start; p < end; p += pageblock_nr_pages)
			KT_ASSERT(get_pageblock_migratetype(pfn_to_page(p)) != MIGRATE_ISOLATE);
		KT_ASSERT(pfn_at(va + i * PAGE_SIZE) == pfn);
		unpin_user_page(pinned);
		KT_ASSERT(mm_allocator_is_valid());
		r = alloc_contig_range(start, end, MIGRATE_MOVABLE, GFP_KERNEL);
		if (!r) {
			pinned_case = true;
			KT_ASSERT(pfn_at(va + i * PAGE_SIZE) != pfn);
			free_contig_range(start, end - start);
		}
	}
	KT_ASSERT(pinned_case);
	KT_ASSERT(holds(va, n, 1));
	KT_ASSERT(valid());
	KT_ASSERT(mm_allocator_is_valid());

	/* alloc_contig_pages: an aligned range of 4 MAX_ORDER blocks. */
	{
		unsigned long nr = 4 * MAX_ORDER_NR_PAGES;
		struct page *page = alloc_contig_pages(nr, GFP_KERNEL, NUMA_NO_NODE);

		KT_ASSERT(page);
		if (page) {
			KT_EQ(page_to_pfn(page) % nr, 0);
			KT_EQ(page_ref_count(page + nr - 1), 1);
			free_contig_range(page_to_pfn(page), nr);
		}
	}
	KT_ASSERT(holds(va, n, 1));
	KT_ASSERT(valid());
	KT_ASSERT(meminfo("MemFree:") >= free_before - 1024);
out:
	done();
}

#define NR_1G	"/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages"

/* A 1 GiB pool grows at run time, moving a process's pages out of the way. */
static void test_gigantic(void)
{
	/* More than ZONE_NORMAL holds (RAM above 4 GiB), so that the process's
	 * pages also land in DMA32, first in the blocks the pool gave back
	 * (the newest on the free lists). */
	unsigned long n, va, hva, head_pfn, in_range = 0, moved;
	long long total, free0;
	unsigned long w;

	boot_task("arch=x86_64 ram=4G cpus=2 transparent_hugepage=always");
	n = 1280UL << (20 - PAGE_SHIFT);
	total = meminfo("MemTotal:");
	free0 = meminfo("MemFree:");
	/* First growth: the range the allocator picks (nothing in the way). */
	KT_EQ(mmsim_write(m, NR_1G, "1"), 0);
	KT_EQ(readnum(NR_1G), 1);
	KT_EQ(meminfo("Hugetlb:"), 1048576);
	KT_ASSERT(valid());
	/* Back to the buddy allocator: the range is free again, the freshest
	 * blocks on the free lists, where the next allocations come from. */
	KT_EQ(mmsim_write(m, NR_1G, "0"), 0);
	KT_EQ(readnum(NR_1G), 0);
	KT_EQ(meminfo("MemTotal:"), total);
	KT_ASSERT(meminfo("MemFree:") >= free0 - 1024);
	va = sys_mmap(0, n * PAGE_SIZE, RW, PRIV, (unsigned long)-1, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	fill(va, n, 2);
	KT_ASSERT(valid());

	moved = sum_vm_event(PGMIGRATE_SUCCESS);
	KT_EQ(mmsim_write(m, NR_1G, "1"), 0);
	KT_EQ(readnum(NR_1G), 1);
	KT_EQ(meminfo("HugePages_Free:") >= 0, 1);
	KT_ASSERT(valid());
	/* Map it and see where it is. */
	hva = sys_mmap(0, 1UL << 30, RW, PRIV | MAP_HUGETLB | (30 << MAP_HUGE_SHIFT), (unsigned long)-1, 0);
	KT_ASSERT(!IS_ERR_VALUE(hva));
	w = 0x1234567;
	KT_EQ(mmsim_user_write(hva + 12345 * 8, &w, sizeof(w)), 0);
	head_pfn = pfn_at(hva);
	KT_ASSERT(head_pfn && head_pfn % (1UL << (30 - PAGE_SHIFT)) == 0);
	/* The process's pages are outside it, and some were moved out of it. */
	for (unsigned long i = 0; i < n; i++) {
		unsigned long q = pfn_at(va + i * PAGE_SIZE);

		KT_ASSERT(q < head_pfn || q >= head_pfn + (1UL << (30 - PAGE_SHIFT)));
	}
	in_range = sum_vm_event(PGMIGRATE_SUCCESS) - moved;
	KT_ASSERT(in_range > 0);
	printf("# 1G page at pfn %#lx; %lu pages migrated out of its way\n", head_pfn, in_range);
	KT_ASSERT(holds(va, n, 2));
	w = 0;
	KT_EQ(mmsim_user_read(hva + 12345 * 8, &w, sizeof(w)), 0);
	KT_EQ(w, 0x1234567UL);
	KT_ASSERT(valid());
	KT_EQ(sys_munmap(hva, 1UL << 30), 0);
	KT_EQ(mmsim_write(m, NR_1G, "0"), 0);
	KT_EQ(meminfo("MemTotal:"), total);
	KT_EQ(meminfo("Hugetlb:"), 0);
	KT_ASSERT(holds(va, n, 2));
	KT_ASSERT(valid());
	done();
}

int main(void)
{
	KT_RUN(test_range);
	KT_RUN(test_gigantic);
	return kt_done();
}
