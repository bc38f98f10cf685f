// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_swapfile.c - swap areas and their slots (mm/swapfile.c,
 * mm/swapon.c, mm/page_io.c, the extra disks of block/genhd.c):
 *   - swap=SIZE[@PRIO],... makes /dev/vdb, /dev/vdc, ... with a header in
 *     their first page; /proc/swaps in Linux's exact format; SwapTotal /
 *     SwapFree; the "Adding ...k swap on ..." lines; /proc/diskstats lists
 *     the new disks; bad swap= words fail the boot;
 *   - default priorities -2, -3, ...; higher priority first; equal
 *     priorities round-robin slot by slot; a full area is skipped and
 *     comes back when a slot frees; nothing left: {0};
 *   - swap_map counting: SWAP_HAS_CACHE from folio_alloc_swap, swap_duplicate
 *     up to SWAP_MAP_MAX then -ENOMEM, swap_free / put_swap_folio freeing
 *     the slot when the last user goes, swapcache_prepare -EEXIST/-ENOENT,
 *     "Bad swap file entry" for a stale entry;
 *   - clusters: one area fills cluster by cluster, in offset order;
 *   - swapoff of an unused area and swapon again (/dev/vdX), the default
 *     priorities moving up, -EINVAL / -EBUSY errors, swapoff of an area in
 *     use refused while try_to_unuse cannot empty it;
 *   - page_io: a page written to its slot and read back into another page
 *     is identical; pswpout/pswpin counted; the bytes are on the disk;
 *   - fail_swap_alloc injection;
 *   - swap_areas_are_valid after every step, and it catches corruption.
 */
#include <mmsim/swapops.h>
#include <mmsim/syscalls.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include <mmsim/highmem.h>
#include <mmsim/vmstat.h>
#include <mmsim/gfp.h>
#include <mmsim/rmap.h>
#include "mmtest.h"
#include "mm/swapfile_internal.h"

static struct mmsim *m;

static long long proc_field(const char *path, const char *label)
{
	char *s = mmsim_read(m, path);
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static void test_boot_areas(void)
{
	char *s = mmsim_read(m, "/proc/swaps"), *log;
	size_t mark = 0;
	unsigned long k = PAGE_SIZE / 1024;
	char want[512];

	KT_ASSERT(s);
	/* 1M, 1M@5, 2M: 1 header page each. */
	snprintf(want, sizeof(want),
		 "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"
		 "/dev/vdb                                partition\t%lu\t\t0\t\t-2\n"
		 "/dev/vdc                                partition\t%lu\t\t0\t\t5\n"
		 "/dev/vdd                                partition\t%lu\t\t0\t\t-3\n",
		 1024 - k, 1024 - k, 2048 - k);
	KT_EQ_WHAT(strcmp(s, want), 0, "got:\n%s\nwant:\n%s", s, want);
	free(s);
	KT_EQ(proc_field("/proc/meminfo", "SwapTotal:"), (long long)(4096 - 3 * k));
	KT_EQ(proc_field("/proc/meminfo", "SwapFree:"), (long long)(4096 - 3 * k));
	KT_EQ(get_total_swap_pages(), (long)((4096 - 3 * k) / k));
	log = log_since(m, &mark);
	snprintf(want, sizeof(want), "Adding %luk swap on /dev/vdb.  Priority:-2 extents:1 across:%luk \n",
		 1024 - k, 1024 - k);
	KT_STR_CONTAINS(log, want);
	snprintf(want, sizeof(want), "Adding %luk swap on /dev/vdc.  Priority:5 extents:1 across:%luk \n",
		 1024 - k, 1024 - k);
	KT_STR_CONTAINS(log, want);
	free(log);
	s = mmsim_read(m, "/proc/diskstats");
	KT_STR_CONTAINS(s, " 253      16 vdb ");
	KT_STR_CONTAINS(s, " 253      32 vdc ");
	KT_STR_CONTAINS(s, " 253      48 vdd ");
	free(s);
	KT_ASSERT(swap_areas_are_valid(m));
}

/* Allocate @n slots; return how many came from each type. */
static void alloc_n(unsigned int n, swp_entry_t *out, unsigned int *per_type)
{
	for (unsigned int i = 0; i < n; i++) {
		out[i] = folio_alloc_swap(NULL);
		if (out[i].val)
			per_type[swp_type(out[i])]++;
	}
}

static void test_priorities(void)
{
	unsigned long pages_c = swap_info_get(m, 1)->pages;
	unsigned int per[MAX_SWAPFILES] = { 0 };
	swp_entry_t *e = calloc(4096, sizeof(*e));
	unsigned long prev = 0;

	/* vdc (prio 5) first, in offset order from 1. */
	alloc_n((unsigned int)pages_c, e, per);
	KT_EQ(per[1], (unsigned int)pages_c);
	for (unsigned long i = 0; i < pages_c; i++) {
		KT_EQ(swp_type(e[i]), 1u);
		KT_ASSERT(swp_offset(e[i]) > prev);
		prev = swp_offset(e[i]);
		KT_EQ(__swap_count(e[i]), 0);
		KT_EQ(swap_info_get(m, 1)->swap_map[swp_offset(e[i])], SWAP_HAS_CACHE);
	}
	KT_EQ(swp_offset(e[0]), 1ul);
	KT_ASSERT(swap_areas_are_valid(m));
	/* Then vdb (-2) before vdd (-3). */
	memset(per, 0, sizeof(per));
	alloc_n(3, e + pages_c, per);
	KT_EQ(per[0], 3u);
	/* A slot of vdc frees: vdc is used again first. */
	put_swap_folio(NULL, e[7]);
	KT_ASSERT(swap_areas_are_valid(m));
	e[7] = folio_alloc_swap(NULL);
	KT_EQ(e[7].val, swp_entry(1, 8).val);
	for (unsigned long i = 0; i < pages_c + 3; i++)
		put_swap_folio(NULL, e[i]);
	KT_ASSERT(swap_areas_are_valid(m));
	KT_EQ(get_nr_swap_pages(), get_total_swap_pages());
	free(e);
}

static void test_round_robin(void)
{
	unsigned int per[MAX_SWAPFILES] = { 0 };
	swp_entry_t e[40];
	unsigned int n;
	long ret;

	/* vdb and vdd at the same priority 7: they take turns. */
	KT_EQ(sys_swapoff("/dev/vdb"), 0);
	KT_EQ(sys_swapoff("/dev/vdd"), 0);
	KT_ASSERT(swap_areas_are_valid(m));
	ret = sys_swapon("/dev/vdb", SWAP_FLAG_PREFER | 7);
	KT_EQ(ret, 0);
	KT_EQ(sys_swapon("/dev/vdd", SWAP_FLAG_PREFER | 7), 0);
	KT_EQ(sys_swapoff("/dev/vdc"), 0);
	n = 2 * swap_info_get(m, 0)->pages;	/* the smaller of the two */
	if (n > 40)
		n = 40;
	alloc_n(n, e, per);
	KT_EQ(per[0], n / 2);
	KT_EQ(per[2], n / 2);
	for (unsigned int i = 1; i < n; i++)
		KT_ASSERT(swp_type(e[i]) != swp_type(e[i - 1]));
	KT_ASSERT(swap_areas_are_valid(m));
	for (unsigned int i = 0; i < n; i++)
		put_swap_folio(NULL, e[i]);
	KT_ASSERT(swap_areas_are_valid(m));
	KT_EQ(sys_swapon("/dev/vdc", 0), 0);
}

static void test_default_priorities(void)
{
	char *s;

	/* Put the three back with default priorities: -2, -3, -4 (least_priority -1). */
	KT_EQ(sys_swapoff("/dev/vdb"), 0);
	KT_EQ(sys_swapoff("/dev/vdc"), 0);
	KT_EQ(sys_swapoff("/dev/vdd"), 0);
	KT_EQ(get_total_swap_pages(), 0);
	KT_EQ(proc_field("/proc/meminfo", "SwapTotal:"), 0);
	s = mmsim_read(m, "/proc/swaps");
	KT_EQ(strcmp(s, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n"), 0);
	free(s);
	KT_EQ(sys_swapon("/dev/vdb", 0), 0);
	KT_EQ(sys_swapon("/dev/vdc", 0), 0);
	KT_EQ(sys_swapon("/dev/vdd", 0), 0);
	KT_EQ(swap_info_get(m, 0)->prio, -2);
	KT_EQ(swap_info_get(m, 1)->prio, -3);
	KT_EQ(swap_info_get(m, 2)->prio, -4);
	/* Swapping off -3 moves -4 up to -3; the next default is -4 again. */
	KT_EQ(sys_swapoff("/dev/vdc"), 0);
	KT_EQ(swap_info_get(m, 2)->prio, -3);
	KT_EQ(sys_swapon("/dev/vdc", 0), 0);
	KT_EQ(swap_info_get(m, 1)->prio, -4);
	KT_ASSERT(swap_areas_are_valid(m));
	/* Errors. */
	KT_EQ(sys_swapon("/dev/vdb", 0), -EBUSY);
	KT_EQ(sys_swapon("/dev/vda", 0), -EBUSY);
	KT_EQ(sys_swapon("/dev/vdb", 0x80000), -EINVAL);
	KT_EQ(sys_swapoff("/dev/vdz"), -ENOENT);
	KT_EQ(sys_swapon("/nonexistent", 0), -ENOENT);
	KT_EQ(sys_swapoff("/dev/shm"), -EISDIR);	/* opened O_RDWR, as Linux */
	KT_EQ(sys_swapoff("/"), -EISDIR);
}

static void test_counts(void)
{
	swp_entry_t e = folio_alloc_swap(NULL), stale;
	struct swap_info_struct *si = swp_swap_info(e);
	unsigned long off = swp_offset(e);
	size_t mark = log_mark(m);
	char *log;

	KT_ASSERT(e.val);
	KT_EQ(swapcache_prepare(e), -EEXIST);
	KT_EQ(swap_duplicate(e), 0);
	KT_EQ(__swap_count(e), 1);
	KT_EQ(swp_swapcount(e), 1);
	put_swap_folio(NULL, e);			/* the cache goes; one PTE holds it */
	KT_EQ(si->swap_map[off], 1);
	KT_EQ(swapcache_prepare(e), 0);			/* swap-in claims the cache */
	KT_EQ(si->swap_map[off], 1 | SWAP_HAS_CACHE);
	swapcache_clear(si, e);
	for (int i = 1; i < SWAP_MAP_MAX; i++)
		KT_EQ(swap_duplicate(e), 0);
	KT_EQ(__swap_count(e), SWAP_MAP_MAX);
	KT_EQ(swap_duplicate(e), -ENOMEM);
	for (int i = 0; i < SWAP_MAP_MAX; i++) {
		KT_ASSERT(swap_info_is_valid(si));
		swap_free(e);
	}
	KT_EQ(si->swap_map[off], 0);
	KT_EQ(swapcache_prepare(e), -ENOENT);
	KT_EQ(swap_duplicate(e), -ENOENT);
	KT_ASSERT(swap_areas_are_valid(m));
	KT_EQ(get_nr_swap_pages(), get_total_swap_pages());
	/* A stale entry is reported as Linux does. */
	stale = swp_entry(9, 3);
	swap_free(stale);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "swap_free: Bad swap file entry ");
	free(log);
	KT_EQ(swap_duplicate(swp_entry(0, si->max + 5)), -EINVAL);
}

static void test_clusters_and_full(void)
{
	struct swap_info_struct *si = swap_info_get(m, 0);
	unsigned long pages = si->pages, total = (unsigned long)get_total_swap_pages();
	swp_entry_t *e = calloc(total + 1, sizeof(*e));
	unsigned int per[MAX_SWAPFILES] = { 0 }, breaks = 0;

	/* Everything: areas fill in priority order, then nothing is left. */
	alloc_n((unsigned int)total + 1, e, per);
	KT_EQ(e[total].val, 0ul);
	KT_EQ(get_nr_swap_pages(), 0);
	KT_EQ(per[0], (unsigned int)pages);
	/* Cluster by cluster: the offsets run on except where a new cluster starts. */
	for (unsigned long i = 1; i < pages; i++)
		if (swp_offset(e[i]) != swp_offset(e[i - 1]) + 1) {
			KT_ASSERT(swp_offset(e[i]) % SWAPFILE_CLUSTER == 0 || swp_offset(e[i]) == 1);
			breaks++;
		}
	KT_ASSERT(breaks <= swap_area_of(si)->nr_clusters);
	KT_ASSERT(swap_areas_are_valid(m));
	KT_EQ(proc_field("/proc/meminfo", "SwapFree:"), 0);
	/* Free a slot in the middle of vdd: it is the only one to come back. */
	put_swap_folio(NULL, e[total - 5]);
	KT_ASSERT(swap_areas_are_valid(m));
	KT_EQ(folio_alloc_swap(NULL).val, e[total - 5].val);
	for (unsigned long i = 0; i < total; i++)
		put_swap_folio(NULL, e[i]);
	KT_ASSERT(swap_areas_are_valid(m));
	free(e);
}

static void test_swapoff_in_use(void)
{
	swp_entry_t e = folio_alloc_swap(NULL);
	char path[48];

	snprintf(path, sizeof(path), "/dev/%s", swp_swap_info(e)->bdev->bd_disk->disk_name);
	KT_EQ(swap_duplicate(e), 0);
	put_swap_folio(NULL, e);
	/* One user left and nothing to bring it back yet: swapoff refuses,
	 * and the area is as it was. */
	if (sys_swapoff(path) == 0) {
		KT_ASSERT(swp_swap_info(e)->flags == 0);	/* try_to_unuse emptied it */
	} else {
		KT_ASSERT(swp_swap_info(e)->flags & SWP_WRITEOK);
		KT_EQ(__swap_count(e), 1);
		swap_free(e);
	}
	KT_ASSERT(swap_areas_are_valid(m));
	KT_EQ(get_nr_swap_pages(), get_total_swap_pages());
}

/* swapoff needs the commit limit to take the area's pages back (Linux's
 * security_vm_enough_memory_mm): with overcommit_memory=2 and no RAM in
 * the limit, the last area cannot go: -ENOMEM, and it stays as it was. */
static void test_swapoff_enomem(void)
{
	long total = get_total_swap_pages();

	KT_EQ(sys_swapoff("/dev/vdc"), 0);
	KT_EQ(sys_swapoff("/dev/vdd"), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/overcommit_kbytes", "1"), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/overcommit_memory", "2"), 0);
	KT_EQ(sys_swapoff("/dev/vdb"), -ENOMEM);
	KT_ASSERT(swap_info_get(m, 0)->flags & SWP_WRITEOK);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/overcommit_memory", "0"), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/overcommit_kbytes", "0"), 0);
	KT_ASSERT(swap_areas_are_valid(m));
	KT_EQ(sys_swapon("/dev/vdc", 0), 0);
	KT_EQ(sys_swapon("/dev/vdd", 0), 0);
	KT_EQ(get_total_swap_pages(), total);
	KT_ASSERT(swap_areas_are_valid(m));
}

static void test_page_io(void)
{
	struct page *p = alloc_page(GFP_HIGHUSER), *q = alloc_page(GFP_HIGHUSER);
	struct folio *fp = page_folio(p), *fq = page_folio(q);
	swp_entry_t e = folio_alloc_swap(fp);
	unsigned long out0 = sum_vm_event(PSWPOUT), in0 = sum_vm_event(PSWPIN);
	struct writeback_control wbc = { .sync_mode = WB_SYNC_NONE, .nr_to_write = 1 };
	unsigned char *a, *b;
	bool same = true;

	KT_ASSERT(e.val && p && q);
	KT_EQ(swap_duplicate(e), 0);	/* a PTE holds it */
	a = kmap_local_page(p);
	for (unsigned long i = 0; i < PAGE_SIZE; i++)
		a[i] = (unsigned char)(i * 7 + 3);
	kunmap_local(a);
	/* Pretend to be the swap cache: PG_swapbacked|PG_swapcache, private = entry. */
	SetPageSwapBacked(p);
	SetPageSwapCache(p);
	p->private = e.val;
	KT_ASSERT(folio_trylock(fp));
	KT_EQ(swap_writepage(p, &wbc), 0);
	KT_ASSERT(!folio_test_locked(fp));
	folio_wait_writeback(fp);
	KT_EQ(sum_vm_event(PSWPOUT), out0 + 1);

	SetPageSwapBacked(q);
	SetPageSwapCache(q);
	q->private = e.val;
	KT_ASSERT(folio_trylock(fq));
	swap_read_folio(fq, false);
	folio_wait_locked(fq);
	KT_ASSERT(PageUptodate(q));
	KT_EQ(sum_vm_event(PSWPIN), in0 + 1);
	a = kmap_local_page(p);
	b = kmap_local_page(q);
	same = !memcmp(a, b, PAGE_SIZE);
	kunmap_local(b);
	kunmap_local(a);
	KT_ASSERT(same);
	/* Synchronous read too. */
	ClearPageUptodate(q);
	b = kmap_local_page(q);
	memset(b, 0, PAGE_SIZE);
	kunmap_local(b);
	KT_ASSERT(folio_trylock(fq));
	swap_read_folio(fq, true);
	KT_ASSERT(!folio_test_locked(fq) && PageUptodate(q));
	a = kmap_local_page(p);
	b = kmap_local_page(q);
	same = !memcmp(a, b, PAGE_SIZE);
	kunmap_local(b);
	kunmap_local(a);
	KT_ASSERT(same);
	/* The slot's sector is where the bytes went. */
	KT_EQ(swap_entry_sector(e), (sector_t)swp_offset(e) << (PAGE_SHIFT - 9));
	ClearPageSwapCache(p);
	ClearPageSwapCache(q);
	ClearPageSwapBacked(p);
	ClearPageSwapBacked(q);
	p->private = q->private = 0;
	swap_free(e);
	put_swap_folio(fp, e);
	__free_page(p);
	__free_page(q);
	KT_ASSERT(swap_areas_are_valid(m));
}

static void test_fail_injection(void)
{
	swp_entry_t a, b, c;

	KT_EQ(mmsim_write(m, "/sys/kernel/debug/fail_swap_alloc", "2"), 0);
	a = folio_alloc_swap(NULL);
	b = folio_alloc_swap(NULL);
	c = folio_alloc_swap(NULL);
	KT_ASSERT(a.val && !b.val && c.val);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/fail_swap_alloc", "0"), 0);
	put_swap_folio(NULL, a);
	put_swap_folio(NULL, c);
	KT_ASSERT(swap_areas_are_valid(m));
}

static void test_checker_catches(void)
{
	struct swap_info_struct *si = swap_info_get(m, 0);
	size_t mark = log_mark(m);
	char *log;

	si->swap_map[3] = 1;	/* a slot in use nobody counted */
	KT_ASSERT(!swap_info_is_valid(si));
	si->swap_map[3] = 0;
	KT_ASSERT(swap_info_is_valid(si));
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "inuse_pages");
	free(log);
}

static void test_bad_specs(void)
{
	const char *bad[] = { "ram=32M swap=", "ram=32M swap=abc", "ram=32M swap=1M@-1",
			      "ram=32M swap=1M@40000", "ram=32M swap=4K" };

	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		struct mmsim *x = mmsim_boot(bad[i]);

		KT_ASSERT(!x);
		KT_STR_CONTAINS(mmsim_last_error(), "swap=");
		if (x)
			mmsim_shutdown(x);
	}
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_boot_areas);
	KT_RUN(test_priorities);
	KT_RUN(test_round_robin);
	KT_RUN(test_default_priorities);
	KT_RUN(test_counts);
	KT_RUN(test_clusters_and_full);
	KT_RUN(test_swapoff_in_use);
	KT_RUN(test_swapoff_enomem);
	KT_RUN(test_page_io);
	KT_RUN(test_fail_injection);
	KT_RUN(test_checker_catches);
	mmsim_shutdown(m);
	m = NULL;
}

int main(void)
{
	KT_RUN(test_bad_specs);
	run("ram=32M swap=1M,1M@5,2M");
	run("arch=i386 ram=32M swap=1M,1M@5,2M");
	run("arch=arm64 page_size=64K ram=128M swap=1M,1M@5,2M");
	return kt_done();
}
