// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_swap_full.c - vm_swap_full(): once more than half of the swap
 * space is in use, the slots of swap-cache folios that are in memory anyway
 * are given back (Linux's rule; mm/swapfile.c, mm/memory_swap.c,
 * mm/vmscan.c):
 *   - swap-in (do_swap_page's should_try_to_free_swap): pages paged out
 *     with MADV_PAGEOUT past half the swap space and read back leave the
 *     swap cache while swap is over half full: SwapCached falls, SwapFree
 *     recovers to half (and stops there: below half the cache is kept);
 *   - the last swap PTE going away while the folio is still mapped
 *     elsewhere (free_swap_and_cache, TTRS_UNMAPPED | TTRS_FULL): after
 *     fork, MADV_PAGEOUT and a read in the child, the parent's munmap frees
 *     the slots only because swap is over half full -- with plenty of swap
 *     they stay with the child's folios (the same test, a bigger area);
 *   - a clean swap-cache folio moved by migrate_pages (compaction's path)
 *     keeps PG_swapcache, its entry and its slot's count, stays clean, and
 *     is found by the next fault without a write or a read;
 *   - examples/swap.scn's workload with proactive compaction at Linux's
 *     default (20) on a machine with one zone (arm64: all of 64 MiB is
 *     ZONE_DMA, so no zone-restricted reclaim, see the example's comment):
 *     96 MiB written 16 MiB a second with 64 MiB of swap (three areas) completes, no OOM
 *     kill, kcompactd passes on the clock, and every byte reads back.
 * Every checker after each phase; the bytes read back are the ones written.
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/fcntl.h>
#include <mmsim/err.h>
#include <mmsim/rmap.h>
#include <mmsim/pagemap.h>
#include <mmsim/vmstat.h>
#include <mmsim/swap.h>
#include <mmsim/swapops.h>
#include <mmsim/migrate.h>
#include "mmtest.h"
#include "swap_fixture.h"

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)
#define SEC	1000000000ULL

static struct mmsim *m;

static long long meminfo(const char *label)
{
	char *s = mmsim_read(m, "/proc/meminfo");
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static long long vmstat(const char *name)
{
	char label[64], *s = mmsim_read(m, "/proc/vmstat");
	long long v;

	snprintf(label, sizeof(label), "%s ", name);
	v = s ? field(s, label) : -1;
	free(s);
	return v;
}

static bool checkers(void)
{
	bool ok = lru_all_valid() && swap_counts_are_valid(m) && swap_areas_are_valid(m) &&
		  mm_mapcounts_are_valid(m);

	if (current && current->mm)
		ok &= mm_is_valid(current->mm);
	return ok;
}

static void fill(unsigned long va, unsigned long npages, unsigned char seed)
{
	for (unsigned long i = 0; i < npages; i++) {
		unsigned char b = (unsigned char)(i * 7 + seed);

		KT_EQ(mmsim_user_write(va + i * PAGE_SIZE + (i % 61), &b, 1), 0);
	}
}

static long verify(unsigned long va, unsigned long npages, unsigned char seed)
{
	long bad = 0;

	for (unsigned long i = 0; i < npages; i++) {
		unsigned char b = 0;

		if (mmsim_user_read(va + i * PAGE_SIZE + (i % 61), &b, 1) ||
		    b != (unsigned char)(i * 7 + seed))
			bad++;
	}
	return bad;
}

/* Three quarters of the swap space paged out, then read back. */
static void test_swapin_frees_slots(void)
{
	long total = get_total_swap_pages();
	unsigned long npages = (unsigned long)total * 3 / 4, va;
	struct task_struct *t = mmsim_spawn(m, "swapin");
	long long cached0, cached1;

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, npages * PAGE_SIZE, RW, PRIV, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	fill(va, npages, 1);
	KT_ASSERT(!vm_swap_full());
	KT_EQ(sys_madvise(va, npages * PAGE_SIZE, MADV_PAGEOUT), 0);
	mmsim_advance_clock(m, SEC);		/* the writes complete */
	KT_EQ(get_mm_counter(t->mm, MM_SWAPENTS), npages);
	KT_ASSERT(vm_swap_full());
	cached0 = meminfo("SwapCached:");
	printf("# paged out %lu of %ld slots: SwapFree %lld kB, SwapCached %lld kB\n", npages,
	       total, meminfo("SwapFree:"), cached0);
	KT_ASSERT(checkers());

	KT_EQ(verify(va, npages, 1), 0);
	cached1 = meminfo("SwapCached:");
	printf("# read back: SwapFree %lld kB, SwapCached %lld kB\n", meminfo("SwapFree:"),
	       cached1);
	/* Slots were given back until swap was no longer more than half full. */
	KT_ASSERT(!vm_swap_full());
	KT_ASSERT(get_nr_swap_pages() * 2 <= total + 2);
	KT_ASSERT(cached1 < cached0);
	/* What is left in the swap cache has its slot; nothing more was freed. */
	KT_EQ(total - get_nr_swap_pages(), (long)(global_node_page_state(NR_SWAPCACHE)));
	KT_EQ(get_mm_counter(t->mm, MM_SWAPENTS), 0);
	KT_ASSERT(checkers());
	/* The folios that left the swap cache are dirty: their only copy. */
	KT_EQ(sys_munmap(va, npages * PAGE_SIZE), 0);
	KT_EQ(get_nr_swap_pages(), total);
	KT_ASSERT(checkers());
	sys_exit_group(0);
}

/*
 * Parent pages out @npages, then forks: parent and child share the slots;
 * the child reads them back (the slots keep the parent's count); the
 * parent unmaps.  Returns the
 * slots still in use then.
 */
static long shared_then_unmap(unsigned long npages)
{
	struct task_struct *t = mmsim_spawn(m, "parent"), *child;
	long free0 = get_nr_swap_pages(), used;
	unsigned long va;
	long pid;

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, npages * PAGE_SIZE, RW, PRIV, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	fill(va, npages, 5);
	/* Out first (MADV_PAGEOUT leaves shared folios alone), then shared:
	 * fork copies the swap PTEs, two users per slot. */
	KT_EQ(sys_madvise(va, npages * PAGE_SIZE, MADV_PAGEOUT), 0);
	mmsim_advance_clock(m, SEC);
	KT_EQ(get_mm_counter(t->mm, MM_SWAPENTS), npages);
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	child = find_task_by_vpid((pid_t)pid);
	KT_EQ(mmsim_switch_to(child), 0);
	KT_EQ(get_mm_counter(child->mm, MM_SWAPENTS), npages);
	KT_EQ(verify(va, npages, 5), 0);	/* mapped again, in the swap cache */
	KT_ASSERT(checkers());
	KT_EQ(free0 - get_nr_swap_pages(), (long)npages);	/* the parent's PTEs hold them */
	KT_EQ(mmsim_switch_to(t), 0);
	KT_EQ(sys_munmap(va, npages * PAGE_SIZE), 0);
	used = free0 - get_nr_swap_pages();
	KT_ASSERT(checkers());
	KT_EQ(mmsim_switch_to(child), 0);
	KT_EQ(verify(va, npages, 5), 0);
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(t), 0);
	KT_EQ(sys_wait4((pid_t)pid, NULL, 0, NULL), pid);
	sys_exit_group(0);
	mmsim_advance_clock(m, SEC);
	KT_EQ(get_nr_swap_pages(), free0);
	return used;
}

static void test_unmap_frees_slots_when_full(void)
{
	long total = get_total_swap_pages();
	unsigned long npages = (unsigned long)total * 3 / 4;
	long used = shared_then_unmap(npages);

	printf("# shared %lu pages, %ld slots: %ld still used after the parent's munmap\n",
	       npages, total, used);
	/* Over half full: the slots go, the child's folios leave the cache
	 * (until swap is no longer over half full). */
	KT_ASSERT(used * 2 <= total + 2);
	KT_ASSERT(used < (long)npages);
}

static void test_unmap_keeps_slots_when_not_full(void)
{
	long total = get_total_swap_pages();
	unsigned long npages = (unsigned long)total / 4;
	long used = shared_then_unmap(npages);

	printf("# shared %lu pages, %ld slots: %ld still used after the parent's munmap\n",
	       npages, total, used);
	KT_EQ(used, (long)npages);	/* still mapped by the child: kept */
}

static struct folio *alloc_dst(struct folio *src, unsigned long private)
{
	(void)src;
	(void)private;
	return page_folio(alloc_pages(GFP_HIGHUSER_MOVABLE, 0));
}

/* A clean, unmapped swap-cache folio moved as compaction moves it. */
static void test_migrate_clean_swapcache(void)
{
	struct task_struct *t = mmsim_spawn(m, "migrate");
	long long out0, in0, cached0;
	struct folio *folio, *moved;
	unsigned long va, pfn;
	unsigned int nr_ok = 0;
	swp_entry_t entry;
	pte_t pte;
	LIST_HEAD(list);

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, PAGE_SIZE, RW, PRIV, -1UL, 0);
	fill(va, 1, 9);
	KT_EQ(sys_madvise(va, PAGE_SIZE, MADV_PAGEOUT), 0);
	mmsim_advance_clock(m, SEC);
	pte = pte_at(t->mm, va);
	KT_ASSERT(is_swap_pte(pte));
	entry = pte_to_swp_entry(pte);
	folio = filemap_get_folio(swap_address_space(entry), swap_cache_index(entry));
	KT_ASSERT(!IS_ERR_OR_NULL(folio));
	KT_ASSERT(folio_test_swapcache(folio) && !folio_test_dirty(folio) &&
		  !folio_test_writeback(folio) && !folio_mapped(folio));
	pfn = page_to_pfn(&folio->page);
	KT_ASSERT(folio_isolate_lru(folio));
	put_page(&folio->page);			/* the lookup's; isolation holds one */
	mod_node_page_state(page_pgdat(&folio->page), NR_ISOLATED_ANON, 1);
	out0 = vmstat("pswpout");
	cached0 = meminfo("SwapCached:");
	list_add(&folio->page.lru, &list);
	KT_EQ(migrate_pages(&list, alloc_dst, NULL, 0, MIGRATE_SYNC, MR_COMPACTION, &nr_ok), 0);
	KT_EQ(nr_ok, 1u);
	moved = filemap_get_folio(swap_address_space(entry), swap_cache_index(entry));
	KT_ASSERT(!IS_ERR_OR_NULL(moved));
	KT_ASSERT(page_to_pfn(&moved->page) != pfn);
	KT_ASSERT(folio_test_swapcache(moved));
	KT_EQ(folio_swap_entry(moved).val, entry.val);
	KT_ASSERT(!folio_test_dirty(moved));
	KT_EQ(__swap_count(entry), 1);		/* the PTE's */
	KT_EQ(meminfo("SwapCached:"), cached0);
	put_page(&moved->page);
	KT_ASSERT(checkers());
	/* Read back from the swap cache: no write, no read from the disk. */
	in0 = vmstat("pswpin");
	KT_EQ(verify(va, 1, 9), 0);
	KT_EQ(vmstat("pswpout"), out0);
	KT_EQ(vmstat("pswpin"), in0);
	KT_ASSERT(checkers());
	sys_exit_group(0);
}

/* examples/swap.scn's steps 4 and 6, proactive compaction on. */
static void test_example_workload_with_compaction(void)
{
	unsigned long chunk = 4096, npages = 6 * chunk, va, buf;
	struct task_struct *t;
	long fd;
	char *s;

	m = mmsim_boot("arch=arm64 ram=64M cpus=1 swap=24M@5,24M,16M@10 disk=256M");
	KT_ASSERT(m);
	if (!m)
		return;
	s = mmsim_read(m, "/proc/sys/vm/compaction_proactiveness");
	KT_ASSERT(s && atoi(s) == 20);
	free(s);
	t = mmsim_spawn(m, "app");
	KT_EQ(mmsim_switch_to(t), 0);
	/* As the example: 4 MiB of clean page cache first. */
	buf = sys_mmap(0, 1UL << 20, RW, PRIV, -1UL, 0);
	fd = sys_open("/data", O_RDWR | O_CREAT | O_TRUNC, 0644);
	KT_ASSERT(fd >= 0);
	for (int i = 0; i < 4 && fd >= 0; i++)
		KT_EQ(sys_write((int)fd, buf, 1UL << 20), (long)(1UL << 20));
	if (fd >= 0) {
		KT_EQ(sys_fsync((int)fd), 0);
		sys_close((int)fd);
	}
	KT_EQ(sys_munmap(buf, 1UL << 20), 0);
	va = sys_mmap(0, npages * PAGE_SIZE, RW, PRIV, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	for (unsigned long i = 0; i < 6; i++) {
		fill(va + i * chunk * PAGE_SIZE, chunk, (unsigned char)(i + 1));
		mmsim_advance_clock(m, SEC);	/* the example's tick 1000 */
	}
	printf("# 96 MiB written: pswpout %lld pgmigrate_success %lld compact_daemon_migrate_scanned %lld SwapFree %lld kB\n",
	       vmstat("pswpout"), vmstat("pgmigrate_success"),
	       vmstat("compact_daemon_migrate_scanned"), meminfo("SwapFree:"));
	KT_ASSERT(vmstat("pswpout") > 0);
	KT_ASSERT(vmstat("pgmigrate_success") > 0);	/* kcompactd moved pages */
	KT_EQ(vmstat("oom_kill"), 0);
	KT_ASSERT(checkers());
	for (unsigned long i = 0; i < 6; i++)
		KT_EQ(verify(va + i * chunk * PAGE_SIZE, chunk, (unsigned char)(i + 1)), 0);
	KT_EQ(vmstat("oom_kill"), 0);
	KT_ASSERT(checkers());
	sys_exit_group(0);
	mmsim_shutdown(m);
	m = NULL;
}

static void test_clean_log(void)
{
	size_t mark = 0;
	char *log = log_since(m, &mark);

	KT_ASSERT(log && !strstr(log, "cut here") && !strstr(log, "Bad page"));
	if (log && strstr(log, "cut here"))
		fprintf(stderr, "%s", strstr(log, "cut here"));
	free(log);
}

int main(void)
{
	KT_RUN(test_example_workload_with_compaction);
	m = mmsim_boot("ram=64M disk=64M swap=8M");
	if (!m || get_total_swap_pages() <= 0) {
		printf("# skip: no swap (%s)\n", m ? "no area" : mmsim_last_error());
		return kt_done();
	}
	KT_RUN(test_swapin_frees_slots);
	KT_RUN(test_unmap_frees_slots_when_full);
	KT_RUN(test_unmap_keeps_slots_when_not_full);
	KT_RUN(test_migrate_clean_swapcache);
	KT_RUN(test_clean_log);
	mmsim_shutdown(m);
	return kt_done();
}
