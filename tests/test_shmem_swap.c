// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_shmem_swap.c - tmpfs pages on swap (mm/shmem_swap.c):
 *   - without swap, shmem_writeout keeps the folio (AOP_WRITEPAGE_ACTIVATE,
 *     still locked and dirty) and the file is as it was; an SHM_LOCKed /
 *     unevictable mapping is refused the same way;
 *   - with swap: the folio leaves the page cache for the swap cache, the
 *     mapping holds a value entry, the slot has one user (the entry) plus
 *     the cache, info->swapped == 1, Shmem in meminfo drops, pswpout
 *     counts; after the swap cache lets go of it, read() brings the bytes
 *     back from disk (pswpin), identical, and the entry is gone;
 *   - truncating a file with pages on swap frees their slots; a partial
 *     page on swap is swapped in and zeroed past the new end;
 *   - shmem_unuse brings an area's pages back; shmem_count_swap_entries
 *     sees every entry; unlinking a file with swapped pages frees them;
 *     sys_swapoff brings them back (try_to_unuse), in the swap cache or not;
 *   - under real pressure (once reclaim is there), a shared anonymous
 *     mapping of 1.25x RAM goes to swap and comes back intact;
 *   - shmem_sb_is_valid and swap_areas_are_valid after every step.
 * The swap cache is mm/swap_state.c's: until it exists, the parts that
 * need it say so and are skipped.
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/fcntl.h>
#include <mmsim/fs.h>
#include <mmsim/err.h>
#include <mmsim/swapops.h>
#include <mmsim/shmem_fs.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include <mmsim/vmstat.h>
#include <mmsim/rmap.h>
#include <mmsim/mman.h>
#include <mmsim/uaccess.h>
#include <mmsim/lru_policy.h>
#include "mmtest.h"
#include "mm/shmem_internal.h"

static struct mmsim *m;

static long long proc_field(const char *path, const char *label)
{
	char *s = mmsim_read(m, path);
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static bool shm_valid(void)
{
	struct path p;
	bool ok;

	if (kern_path("/dev/shm", LOOKUP_FOLLOW, &p))
		return false;
	ok = shmem_sb_is_valid(p.dentry->d_sb);
	path_put(&p);
	return ok && swap_areas_are_valid(m);
}

static void fill(unsigned char *buf, size_t n, unsigned int tag)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (unsigned char)(i * 13 + tag);
}

/* A file of @pages pages of pattern @tag. */
static struct file *make_file(const char *path, unsigned int pages, unsigned int tag)
{
	struct file *f = filp_open(path, O_CREAT | O_RDWR | O_TRUNC, 0600);
	unsigned char *buf = malloc(PAGE_SIZE * pages);
	loff_t pos = 0;

	if (IS_ERR(f) || !buf) {
		free(buf);
		return NULL;
	}
	fill(buf, PAGE_SIZE * pages, tag);
	kernel_write(f, buf, PAGE_SIZE * pages, &pos);
	free(buf);
	return f;
}

static bool file_matches(struct file *f, unsigned int pages, unsigned int tag)
{
	unsigned char *buf = malloc(PAGE_SIZE * pages), *want = malloc(PAGE_SIZE * pages);
	loff_t pos = 0;
	bool ok;

	fill(want, PAGE_SIZE * pages, tag);
	ok = kernel_read(f, buf, PAGE_SIZE * pages, &pos) == (ssize_t)(PAGE_SIZE * pages) &&
	     !memcmp(buf, want, PAGE_SIZE * pages);
	free(buf);
	free(want);
	return ok;
}

/* Reclaim's pageout of page @index of @f: locked, for_reclaim.  Returns
 * shmem_writeout's value; *out the folio (referenced) it wrote. */
static int writeout(struct file *f, pgoff_t index, struct folio **out)
{
	struct folio *folio = filemap_get_folio(f->f_mapping, index);
	struct writeback_control wbc = { .sync_mode = WB_SYNC_NONE, .nr_to_write = 1,
					 .for_reclaim = 1 };
	int ret;

	*out = NULL;
	if (IS_ERR(folio))
		return -ENOENT;
	folio_lock(folio);
	ret = shmem_writeout(folio, &wbc);
	if (ret == AOP_WRITEPAGE_ACTIVATE)
		folio_unlock(folio);
	*out = folio;
	return ret;
}

/* What reclaim does once writeback is done: the swap cache lets go. */
static void drop_from_swap_cache(struct folio *folio)
{
	folio_wait_writeback(folio);
	folio_lock(folio);
	if (folio_test_swapcache(folio))
		delete_from_swap_cache(folio);
	folio_unlock(folio);
}

static bool have_swap_cache(void)
{
	return swap_address_space(swp_entry(0, 1)) != NULL;
}

static void test_no_swap(void)
{
	struct file *f = make_file("/dev/shm/noswap", 2, 1);
	struct folio *folio;

	KT_ASSERT(f);
	KT_EQ(writeout(f, 0, &folio), AOP_WRITEPAGE_ACTIVATE);
	KT_ASSERT(folio && PageDirty(&folio->page) && !folio_test_swapcache(folio));
	KT_ASSERT(folio->page.mapping == f->f_mapping);
	put_page(&folio->page);
	KT_ASSERT(file_matches(f, 2, 1));
	KT_EQ(shmem_swapped(f->f_mapping), 0ul);
	KT_ASSERT(shm_valid());
	fput(f);
}

static void test_out_and_in(void)
{
	struct file *f = make_file("/dev/shm/swapme", 4, 7);
	long long shmem0 = proc_field("/proc/meminfo", "Shmem:");
	unsigned long out0 = sum_vm_event(PSWPOUT), in0 = sum_vm_event(PSWPIN);
	struct folio *folio;
	swp_entry_t e;
	void *entry;
	int ret;

	KT_ASSERT(f);
	ret = writeout(f, 1, &folio);
	if (!have_swap_cache()) {
		printf("# no swap cache yet: writeout refused (%d)\n", ret);
		KT_EQ(ret, AOP_WRITEPAGE_ACTIVATE);
		KT_ASSERT(file_matches(f, 4, 7));
		KT_EQ(get_nr_swap_pages(), get_total_swap_pages());	/* the slot came back */
		put_page(&folio->page);
		fput(f);
		return;
	}
	KT_EQ(ret, 0);
	KT_ASSERT(folio_test_swapcache(folio));
	e = folio_swap_entry(folio);
	entry = xa_load(&f->f_mapping->i_pages, 1);
	KT_ASSERT(xa_is_value(entry));
	KT_EQ(shmem_swapped(f->f_mapping), 1ul);
	KT_EQ(__swap_count(e), 1);
	KT_ASSERT(swp_swap_info(e)->swap_map[swp_offset(e)] & SWAP_HAS_CACHE);
	KT_EQ(sum_vm_event(PSWPOUT), out0 + 1);
	KT_EQ(proc_field("/proc/meminfo", "Shmem:"), shmem0 - (long long)(PAGE_SIZE / 1024));
	KT_ASSERT(shm_valid());
	drop_from_swap_cache(folio);
	put_page(&folio->page);
	KT_EQ(swp_swap_info(e)->swap_map[swp_offset(e)], 1);
	/* read() brings it back from the disk. */
	KT_ASSERT(file_matches(f, 4, 7));
	KT_EQ(sum_vm_event(PSWPIN), in0 + 1);
	KT_EQ(shmem_swapped(f->f_mapping), 0ul);
	KT_ASSERT(!xa_is_value(xa_load(&f->f_mapping->i_pages, 1)));
	KT_EQ(__swap_count(e), 0);
	KT_ASSERT(shm_valid());
	fput(f);
}

static void test_truncate_and_unlink(void)
{
	struct file *f;
	struct folio *folio;
	long free0 = get_nr_swap_pages();
	unsigned char *buf;
	loff_t pos;

	if (!have_swap_cache())
		return;
	f = make_file("/dev/shm/trunc", 6, 3);
	KT_ASSERT(f);
	for (pgoff_t i = 0; i < 6; i++) {
		KT_EQ(writeout(f, i, &folio), 0);
		drop_from_swap_cache(folio);
		put_page(&folio->page);
	}
	KT_EQ(shmem_swapped(f->f_mapping), 6ul);
	KT_EQ(get_nr_swap_pages(), free0 - 6);
	KT_ASSERT(shm_valid());
	/* Cut in the middle of page 3: pages 4, 5 go; 3 comes back, zeroed past the end. */
	KT_EQ(vfs_truncate(&f->f_path, 3 * (long)PAGE_SIZE + 100), 0);
	KT_EQ(shmem_swapped(f->f_mapping), 3ul);
	KT_EQ(get_nr_swap_pages(), free0 - 3);
	buf = malloc(PAGE_SIZE);
	pos = 3 * (loff_t)PAGE_SIZE;
	KT_EQ(kernel_read(f, buf, PAGE_SIZE, &pos), 100);
	for (int i = 0; i < 100; i++)
		KT_EQ(buf[i], (unsigned char)((3 * PAGE_SIZE + i) * 13 + 3));
	free(buf);
	KT_ASSERT(shm_valid());
	fput(f);
	/* Unlink: the last reference frees the rest. */
	KT_EQ(sys_unlink("/dev/shm/trunc"), 0);
	KT_EQ(get_nr_swap_pages(), free0);
	KT_ASSERT(shm_valid());
}

static void count_entry(void *arg, unsigned long val)
{
	(void)val;
	(*(unsigned long *)arg)++;
}

static void test_unuse(void)
{
	struct file *f;
	struct folio *folio;
	unsigned long n = 0;

	if (!have_swap_cache())
		return;
	f = make_file("/dev/shm/unuse", 5, 9);
	for (pgoff_t i = 0; i < 5; i += 2) {
		KT_EQ(writeout(f, i, &folio), 0);
		drop_from_swap_cache(folio);
		put_page(&folio->page);
	}
	shmem_count_swap_entries(count_entry, &n);
	KT_EQ(n, 3ul);
	KT_EQ(shmem_unuse(0), 0);
	KT_EQ(shmem_swapped(f->f_mapping), 0ul);
	n = 0;
	shmem_count_swap_entries(count_entry, &n);
	KT_EQ(n, 0ul);
	KT_ASSERT(file_matches(f, 5, 9));
	KT_ASSERT(shm_valid());
	fput(f);
	sys_unlink("/dev/shm/unuse");
}

/* swapoff brings shmem pages back (try_to_unuse -> shmem_unuse). */
static void test_swapoff(void)
{
	struct file *f;
	struct folio *folio;

	if (!have_swap_cache())
		return;
	f = make_file("/dev/shm/off", 3, 5);
	for (pgoff_t i = 0; i < 3; i++) {
		KT_EQ(writeout(f, i, &folio), 0);
		if (i != 1)
			drop_from_swap_cache(folio);	/* one stays in the swap cache */
		else
			folio_wait_writeback(folio);
		put_page(&folio->page);
	}
	KT_EQ(shmem_swapped(f->f_mapping), 3ul);
	KT_EQ(sys_swapoff("/dev/vdb"), 0);
	KT_EQ(shmem_swapped(f->f_mapping), 0ul);
	KT_EQ(get_total_swap_pages(), 0);
	KT_ASSERT(file_matches(f, 3, 5));
	KT_ASSERT(shm_valid());
	/* Without swap, writeout refuses. */
	KT_EQ(writeout(f, 0, &folio), AOP_WRITEPAGE_ACTIVATE);
	put_page(&folio->page);
	KT_EQ(sys_swapon("/dev/vdb", 0), 0);
	fput(f);
	sys_unlink("/dev/shm/off");
	KT_ASSERT(shm_valid());
}

/*
 * Under real pressure (reclaim and the swap cache on main): a shared
 * anonymous mapping of 1.25x RAM written page by page and read back; shmem
 * pages go to swap through reclaim (shmem_writeout) and come back on
 * fault, every word intact.
 */
static void test_pressure(void)
{
	unsigned long len = (unsigned long)(totalram_pages() * PAGE_SIZE) / 4 * 5;
	unsigned long out0 = sum_vm_event(PSWPOUT), in0 = sum_vm_event(PSWPIN), va;
	unsigned long npages = len / PAGE_SIZE, bad = 0;
	u64 word[2];

	if (!have_swap_cache() || !lru_policy_current()->shrink_lruvec) {
		printf("# no reclaim or swap cache yet: skipped\n");
		return;
	}
	va = (unsigned long)sys_mmap(0, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
				     -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	if (IS_ERR_VALUE(va))
		return;
	for (unsigned long i = 0; i < npages; i++) {
		word[0] = i * 0x9e3779b97f4a7c15ULL;
		word[1] = ~word[0];
		if (mmsim_user_write(va + i * PAGE_SIZE + (i % 64) * 8, word, sizeof(word))) {
			bad++;
			break;
		}
	}
	KT_EQ(bad, 0ul);
	KT_ASSERT(sum_vm_event(PSWPOUT) > out0);
	for (unsigned long i = 0; i < npages && !bad; i++) {
		u64 got[2] = { 0, 0 };

		if (mmsim_user_read(va + i * PAGE_SIZE + (i % 64) * 8, got, sizeof(got)) ||
		    got[0] != i * 0x9e3779b97f4a7c15ULL || got[1] != ~got[0])
			bad++;
	}
	KT_EQ(bad, 0ul);
	KT_ASSERT(sum_vm_event(PSWPIN) > in0);
	printf("# %lu pages: pswpout +%lu, pswpin +%lu\n", npages, sum_vm_event(PSWPOUT) - out0,
	       sum_vm_event(PSWPIN) - in0);
	KT_EQ(sys_munmap(va, len), 0);
	KT_ASSERT(swap_areas_are_valid(m));
}

static void run(const char *spec, bool swap)
{
	struct task_struct *p;

	m = boot_or_die(spec);
	printf("# %s\n", spec);
	p = mmsim_spawn(m, "shmswap");
	KT_ASSERT(p && !mmsim_switch_to(p));
	if (!swap) {
		KT_RUN(test_no_swap);
	} else {
		KT_RUN(test_out_and_in);
		KT_RUN(test_truncate_and_unlink);
		KT_RUN(test_unuse);
		KT_RUN(test_swapoff);
		KT_RUN(test_pressure);
	}
	mmsim_switch_idle();
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=32M", false);
	run("ram=32M swap=64M", true);
	run("arch=i386 ram=32M swap=64M", true);
	run("arch=arm64 page_size=64K ram=128M swap=256M", true);
	return kt_done();
}
