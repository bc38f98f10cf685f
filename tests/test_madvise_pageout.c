// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_madvise_pageout.c - MADV_COLD and MADV_PAGEOUT (mm/madvise.c
 * -> reclaim_pages in mm/vmscan.c), as Linux 6.x:
 *   - PAGEOUT of a clean file mapping drops its pages from the cache and
 *     the page tables (Cached, RSS, mincore all drop; pgsteal is not
 *     counted: reclaim_pages is not LRU reclaim), and they read back
 *     intact through a later fault;
 *   - PAGEOUT of dirty MAP_SHARED file pages does not write them (only
 *     kswapd writes file pages): they stay, marked for reclaim
 *     (nr_vmscan_immediate_reclaim) and activated; after fsync they go;
 *   - PAGEOUT of anon memory with no swap keeps every page (activated:
 *     pgactivate) with its data;
 *   - pages another process also maps are left alone;
 *   - COLD deactivates active pages (pgdeactivate) and ages their PTEs;
 *   - -EINVAL on an mlocked VMA; lists and counters valid throughout.
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/fcntl.h>
#include <mmsim/err.h>
#include <mmsim/fs.h>
#include <mmsim/rmap.h>
#include <mmsim/pagemap.h>
#include <mmsim/vmstat.h>
#include <mmsim/swap.h>
#include "mmtest.h"
#include "mm/vma_internal.h"

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)
#define NP	16

static struct mmsim *m;

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

static int resident(unsigned long va, unsigned long npages)
{
	unsigned char vec[NP * 4];
	int n = 0;

	if (sys_mincore(va, npages * PAGE_SIZE, vec))
		return -1;
	for (unsigned long i = 0; i < npages; i++)
		n += vec[i] & 1;
	return n;
}

static int get_byte(unsigned long va)
{
	unsigned char c;

	return mmsim_user_read(va, &c, 1) ? -1 : c;
}

static void put_byte(unsigned long va, unsigned char c)
{
	KT_EQ(mmsim_user_write(va, &c, 1), 0);
}

static struct page *page_at(struct mm_struct *mm, unsigned long va)
{
	pte_t *ptep = mm_find_pte(mm, va);
	pte_t pte = ptep ? ptep_get(ptep) : __pte(0);

	return pte_present(pte) ? pfn_to_page(pte_pfn(pte)) : NULL;
}

/* A file of NP pages, byte i of page p == p + i. */
static long make_file(const char *path, unsigned long ubuf)
{
	long fd = sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);

	KT_ASSERT(fd >= 0);
	for (int p = 0; p < NP; p++) {
		for (int i = 0; i < 8; i++)
			put_byte(ubuf + (unsigned long)i, (unsigned char)(p + i));
		KT_EQ(sys_pwrite64((int)fd, ubuf, 8, (long)p * (long)PAGE_SIZE), 8);
	}
	KT_EQ(sys_ftruncate((int)fd, NP * PAGE_SIZE), 0);
	KT_EQ(sys_fsync((int)fd), 0);
	return fd;
}

static void test_pageout_clean_file(void)
{
	struct task_struct *t = mmsim_spawn(m, "cleanfile");
	unsigned long ubuf, va;
	long long cached, steal;
	long fd;
	int bad = 0;

	KT_EQ(mmsim_switch_to(t), 0);
	ubuf = sys_mmap(0, PAGE_SIZE, RW, PRIV, -1UL, 0);
	fd = make_file("/pageout1", ubuf);
	va = sys_mmap(0, NP * PAGE_SIZE, PROT_READ, MAP_SHARED, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	for (int p = 0; p < NP; p++)
		bad += get_byte(va + (unsigned long)p * PAGE_SIZE + 3) != p + 3;
	KT_EQ(bad, 0);
	KT_EQ(resident(va, NP), NP);
	KT_EQ(get_mm_counter(t->mm, MM_FILEPAGES), NP);
	cached = meminfo_kb("Cached:");
	steal = vmstat("pgsteal_direct") + vmstat("pgsteal_kswapd");

	KT_EQ(sys_madvise(va, NP * PAGE_SIZE, MADV_PAGEOUT), 0);
	KT_EQ(resident(va, NP), 0);
	KT_EQ(get_mm_counter(t->mm, MM_FILEPAGES), 0);
	KT_EQ(meminfo_kb("Cached:"), cached - NP * (long long)(PAGE_SIZE / 1024));
	KT_EQ(vmstat("pgsteal_direct") + vmstat("pgsteal_kswapd"), steal);
	KT_ASSERT(lru_all_valid() && mm_is_valid(t->mm) && mm_mapcounts_are_valid(m));
	/* back through a fault, intact */
	for (int p = 0; p < NP; p++)
		bad += get_byte(va + (unsigned long)p * PAGE_SIZE + 5) != p + 5;
	KT_EQ(bad, 0);
	KT_EQ(resident(va, NP), NP);
	sys_close((int)fd);
	sys_exit_group(0);
}

static void test_pageout_dirty_file(void)
{
	struct task_struct *t = mmsim_spawn(m, "dirtyfile");
	unsigned long ubuf, va;
	long long immediate, written;
	long fd;
	int bad = 0;

	KT_EQ(mmsim_switch_to(t), 0);
	ubuf = sys_mmap(0, PAGE_SIZE, RW, PRIV, -1UL, 0);
	fd = make_file("/pageout2", ubuf);
	va = sys_mmap(0, NP * PAGE_SIZE, RW, MAP_SHARED, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	for (int p = 0; p < NP; p++)
		put_byte(va + (unsigned long)p * PAGE_SIZE + 100, (unsigned char)(0xa0 + p));
	immediate = vmstat("nr_vmscan_immediate_reclaim");
	written = vmstat("nr_vmscan_write");
	KT_EQ(sys_madvise(va, NP * PAGE_SIZE, MADV_PAGEOUT), 0);
	/* not written by reclaim_pages: still there, dirty, active */
	KT_EQ(vmstat("nr_vmscan_write"), written);
	KT_EQ(vmstat("nr_vmscan_immediate_reclaim"), immediate + NP);
	KT_EQ(get_mm_counter(t->mm, MM_FILEPAGES), 0);	/* unmapped, though */
	{
		struct address_space *mapping = NULL;
		struct file *file = fget((unsigned int)fd);
		struct folio *folio;

		if (file) {
			mapping = file->f_mapping;
			fput(file);
		}
		folio = mapping ? filemap_get_folio(mapping, 0) : NULL;
		KT_ASSERT(folio && !IS_ERR(folio));
		if (folio && !IS_ERR(folio)) {
			KT_ASSERT(PageDirty(&folio->page) && PageActive(&folio->page));
			put_page(&folio->page);
		}
	}
	for (int p = 0; p < NP; p++)
		bad += get_byte(va + (unsigned long)p * PAGE_SIZE + 100) != 0xa0 + p;
	KT_EQ(bad, 0);
	/* once written they are clean and go */
	KT_EQ(sys_fsync((int)fd), 0);
	KT_EQ(sys_madvise(va, NP * PAGE_SIZE, MADV_PAGEOUT), 0);
	KT_EQ(resident(va, NP), 0);
	for (int p = 0; p < NP; p++)
		bad += get_byte(va + (unsigned long)p * PAGE_SIZE + 100) != 0xa0 + p;
	KT_EQ(bad, 0);
	KT_ASSERT(lru_all_valid() && mm_is_valid(t->mm) && mm_mapcounts_are_valid(m));
	sys_close((int)fd);
	sys_exit_group(0);
}

static void test_pageout_anon_no_swap(void)
{
	struct task_struct *t = mmsim_spawn(m, "anon");
	unsigned long va;
	long long act;
	int bad = 0;

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, NP * PAGE_SIZE, RW, PRIV, -1UL, 0);
	for (int p = 0; p < NP; p++)
		put_byte(va + (unsigned long)p * PAGE_SIZE, (unsigned char)(p * 3 + 1));
	act = vmstat("pgactivate");
	if (get_nr_swap_pages() > 0) {
		printf("# swap present: anon is swapped, see the swap tests\n");
		sys_exit_group(0);
		return;
	}
	KT_EQ(sys_madvise(va, NP * PAGE_SIZE, MADV_PAGEOUT), 0);
	KT_EQ(resident(va, NP), NP);
	KT_EQ(get_mm_counter(t->mm, MM_ANONPAGES), NP);
	KT_EQ(vmstat("pgactivate"), act + NP);
	KT_ASSERT(PageActive(page_at(t->mm, va)));
	for (int p = 0; p < NP; p++)
		bad += get_byte(va + (unsigned long)p * PAGE_SIZE) != p * 3 + 1;
	KT_EQ(bad, 0);
	KT_ASSERT(lru_all_valid() && mm_is_valid(t->mm) && mm_mapcounts_are_valid(m));
	sys_exit_group(0);
}

static void test_shared_left_alone_and_cold(void)
{
	struct task_struct *t = mmsim_spawn(m, "cold");
	struct task_struct *child;
	unsigned long ubuf, va;
	long long deact;
	struct page *page;
	long fd, pid;
	int st;

	KT_EQ(mmsim_switch_to(t), 0);
	ubuf = sys_mmap(0, PAGE_SIZE, RW, PRIV, -1UL, 0);
	fd = make_file("/pageout3", ubuf);
	va = sys_mmap(0, NP * PAGE_SIZE, PROT_READ, MAP_SHARED, (unsigned long)fd, 0);
	for (int p = 0; p < NP; p++)
		get_byte(va + (unsigned long)p * PAGE_SIZE);
	/* a second mapping of page 0 in a child: PAGEOUT leaves it */
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	child = find_task_by_vpid((pid_t)pid);
	KT_EQ(mmsim_switch_to(child), 0);
	get_byte(va);
	KT_EQ(mmsim_switch_to(t), 0);
	{
		int shared = 0;

		/* fork may have copied the PTEs too: whatever two mms map stays */
		for (int p = 0; p < NP; p++) {
			struct page *pg = page_at(t->mm, va + (unsigned long)p * PAGE_SIZE);

			shared += pg && folio_mapcount(page_folio(pg)) > 1;
		}
		KT_ASSERT(shared >= 1);
		KT_EQ(sys_madvise(va, NP * PAGE_SIZE, MADV_PAGEOUT), 0);
		KT_EQ(resident(va, NP), shared);
	}
	KT_EQ(mmsim_switch_to(child), 0);
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(t), 0);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);

	/* COLD: activate page 0, then cold moves it to inactive with an old PTE */
	page = page_at(t->mm, va);
	KT_ASSERT(page != NULL);
	if (page) {
		folio_activate(page_folio(page));
		KT_ASSERT(PageActive(page));
		deact = vmstat("pgdeactivate");
		KT_EQ(sys_madvise(va, PAGE_SIZE, MADV_COLD), 0);
		KT_ASSERT(!PageActive(page) && !PageReferenced(page));
		KT_ASSERT(!pte_young(ptep_get(mm_find_pte(t->mm, va))));
		KT_EQ(vmstat("pgdeactivate"), deact + 1);
		KT_EQ(resident(va, 1), 1);
	}
	/* locked VMA */
	KT_EQ(sys_mlock(va, PAGE_SIZE), 0);
	KT_EQ(sys_madvise(va, PAGE_SIZE, MADV_PAGEOUT), -EINVAL);
	KT_EQ(sys_madvise(va, PAGE_SIZE, MADV_COLD), -EINVAL);
	KT_ASSERT(lru_all_valid() && mm_is_valid(t->mm) && mm_mapcounts_are_valid(m));
	sys_close((int)fd);
	sys_exit_group(0);
}

/* A clean kernel log: no WARN, BUG or bad page. */
static void test_clean_log(void)
{
	size_t mark = 0;
	char *log = log_since(m, &mark);

	KT_ASSERT(lru_all_valid());
	KT_ASSERT(log && !strstr(log, "cut here") && !strstr(log, "Bad page"));
	if (log && strstr(log, "cut here"))
		fprintf(stderr, "%s", strstr(log, "cut here"));
	free(log);
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_pageout_clean_file);
	KT_RUN(test_pageout_dirty_file);
	KT_RUN(test_pageout_anon_no_swap);
	KT_RUN(test_shared_left_alone_and_cold);
	KT_RUN(test_clean_log);
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=64M disk=64M");
	run("arch=arm64 page_size=64K ram=256M disk=64M");
	return kt_done();
}
