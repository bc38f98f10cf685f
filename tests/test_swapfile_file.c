// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_swapfile_file.c - swap files (mm/swapon.c) on mmfs:
 *   - mmsim_mkswap_file makes a file with a version-1 header
 *     ("SWAPSPACE2" at the end of its first page, last_page); swapon of it
 *     shows in /proc/swaps as "file" with its path, SwapTotal grows, the
 *     log says "Adding ...k swap on /swapfile.  Priority:... extents:N
 *     across:...k";
 *   - the area's extents map every slot to the file's own blocks on vda:
 *     a page written to a slot lands in the file's block (read back with
 *     bmap), and reads back identical;
 *   - errors as Linux: swapon twice -EBUSY; a file without a signature
 *     -EINVAL with "Unable to find swap-space signature"; a sparse file
 *     -EINVAL with "swapon: swapfile has holes"; a tmpfs file
 *     -EINVAL (no bmap); a directory -EISDIR; mkswap of a too-small file
 *     -EINVAL; swapoff of a file that is not swap -EINVAL;
 *   - swapoff of the unused file: it goes from /proc/swaps and SwapTotal.
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/fcntl.h>
#include <mmsim/fs.h>
#include <mmsim/err.h>
#include <mmsim/swapops.h>
#include <mmsim/highmem.h>
#include <mmsim/rmap.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
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

static void test_swapfile_on_root(void)
{
	unsigned long k = PAGE_SIZE / 1024, pages = (4UL << 20) / PAGE_SIZE, usable;
	size_t mark = log_mark(m);
	char *s, want[256];
	struct file *f;
	char hdr[16];
	loff_t pos;

	KT_EQ(mmsim_mkswap_file("/swapfile", 4UL << 20), 0);
	f = filp_open("/swapfile", O_RDONLY, 0);
	KT_ASSERT(!IS_ERR(f));
	pos = (loff_t)PAGE_SIZE - 10;
	KT_EQ(kernel_read(f, hdr, 10, &pos), 10);
	KT_ASSERT(!memcmp(hdr, "SWAPSPACE2", 10));
	pos = 1024;
	KT_EQ(kernel_read(f, hdr, 8, &pos), 8);
	KT_EQ(*(u32 *)hdr, 1u);				/* version */
	KT_EQ(*(u32 *)(hdr + 4), (u32)(pages - 1));	/* last_page */
	fput(f);

	KT_EQ(sys_swapon("/swapfile", SWAP_FLAG_PREFER | 10), 0);
	/* With 64K pages on 4K blocks, a page whose blocks are not 64K-aligned
	 * on disk is skipped (generic_swapfile_activate): fewer slots. */
	usable = swap_info_get(m, 0)->pages;
	KT_ASSERT(usable <= pages - 1 && usable >= (pages - 1) * 3 / 4);
	if (PAGE_SIZE == 4096)
		KT_EQ(usable, pages - 1);
	s = mmsim_read(m, "/proc/swaps");
	snprintf(want, sizeof(want), "/swapfile                               file\t\t%lu\t\t0\t\t10\n",
		 usable * k);
	KT_STR_CONTAINS(s, want);
	free(s);
	KT_EQ(proc_field("/proc/meminfo", "SwapTotal:"), (long long)(usable * k));
	s = log_since(m, &mark);
	snprintf(want, sizeof(want), "Adding %luk swap on /swapfile.  Priority:10 extents:", usable * k);
	KT_STR_CONTAINS(s, want);
	free(s);
	KT_ASSERT(swap_areas_are_valid(m));
	KT_EQ(sys_swapon("/swapfile", 0), -EBUSY);
}

static void test_slot_in_file_block(void)
{
	struct page *p = alloc_page(GFP_HIGHUSER);
	struct folio *fp = page_folio(p);
	swp_entry_t e = folio_alloc_swap(fp);
	struct writeback_control wbc = { .sync_mode = WB_SYNC_ALL, .nr_to_write = 1 };
	struct swap_info_struct *si = swp_swap_info(e);
	struct inode *inode;
	sector_t blk;
	unsigned char *a;
	bool found;

	KT_ASSERT(e.val && si && si->swap_file);
	if (!e.val || !si || !si->swap_file)
		return;
	KT_EQ(swap_duplicate(e), 0);
	a = kmap_local_page(p);
	memset(a, 0x5a, PAGE_SIZE);
	a[17] = 0x17;
	kunmap_local(a);
	SetPageSwapBacked(p);
	SetPageSwapCache(p);
	p->private = e.val;
	KT_ASSERT(folio_trylock(fp));
	KT_EQ(swap_writepage(p, &wbc), 0);
	folio_wait_writeback(fp);
	/* The slot lies on the file's own blocks: with 4K pages, file page
	 * swp_offset(e); with 64K pages on 4K blocks, some 64K-aligned run of
	 * 16 file blocks (generic_swapfile_activate probes block by block). */
	inode = file_inode(si->swap_file);
	found = false;
	for (sector_t j = 0; j < (sector_t)(i_size_read(inode) >> inode->i_blkbits) && !found; j++) {
		if (PAGE_SIZE == 4096)
			j = swp_offset(e);
		blk = inode->i_mapping->a_ops->bmap(inode->i_mapping, j);
		found = swap_entry_sector(e) == blk << (inode->i_blkbits - 9);
		if (PAGE_SIZE == 4096)
			break;
	}
	KT_ASSERT(found);
	ClearPageSwapCache(p);
	ClearPageSwapBacked(p);
	p->private = 0;
	swap_free(e);
	put_swap_folio(fp, e);
	__free_page(p);
	KT_ASSERT(swap_areas_are_valid(m));
}

static void test_errors(void)
{
	size_t mark = log_mark(m);
	char *s;
	int fd;

	fd = (int)sys_open("/notswap", O_CREAT | O_RDWR, 0644);
	KT_ASSERT(fd >= 0);
	KT_EQ(sys_ftruncate(fd, 1 << 20), 0);
	sys_close(fd);
	KT_EQ(sys_swapon("/notswap", 0), -EINVAL);
	s = log_since(m, &mark);
	KT_STR_CONTAINS(s, "Unable to find swap-space signature\n");
	free(s);
	/* A sparse file with a good header: its holes are refused. */
	fd = (int)sys_open("/sparse", O_CREAT | O_RDWR, 0644);
	KT_ASSERT(fd >= 0);
	KT_EQ(sys_ftruncate(fd, 1 << 20), 0);
	sys_close(fd);
	KT_EQ(mmsim_mkswap("/sparse"), 0);
	mark = log_mark(m);
	KT_EQ(sys_swapon("/sparse", 0), -EINVAL);
	s = log_since(m, &mark);
	KT_STR_CONTAINS(s, "swapon: swapfile has holes\n");
	free(s);
	/* tmpfs has no bmap: -EINVAL (after a good header). */
	KT_EQ(mmsim_mkswap_file("/tmp/swap", 1 << 20), 0);
	KT_EQ(sys_swapon("/tmp/swap", 0), -EINVAL);
	KT_EQ(sys_swapon("/tmp", 0), -EISDIR);
	KT_EQ(mmsim_mkswap_file("/small", 4 * PAGE_SIZE), -EINVAL);
	KT_EQ(sys_swapoff("/notswap"), -EINVAL);
	KT_EQ(sys_swapoff("/nothere"), -ENOENT);
	KT_ASSERT(swap_areas_are_valid(m));
}

static void test_swapoff_file(void)
{
	char *s;

	KT_EQ(sys_swapoff("/swapfile"), 0);
	s = mmsim_read(m, "/proc/swaps");
	KT_ASSERT(!strstr(s, "/swapfile"));
	free(s);
	KT_EQ(proc_field("/proc/meminfo", "SwapTotal:"), 0);
	KT_EQ(sys_swapoff("/swapfile"), -EINVAL);
	/* And on again, default priority -2. */
	KT_EQ(sys_swapon("/swapfile", 0), 0);
	KT_EQ(swap_info_get(m, 0)->prio, -2);
	KT_ASSERT(swap_areas_are_valid(m));
}

static void run(const char *spec)
{
	struct task_struct *p;

	m = boot_or_die(spec);
	printf("# %s\n", spec);
	p = mmsim_spawn(m, "swapon");
	KT_ASSERT(p && !mmsim_switch_to(p));
	KT_RUN(test_swapfile_on_root);
	KT_RUN(test_slot_in_file_block);
	KT_RUN(test_errors);
	KT_RUN(test_swapoff_file);
	mmsim_switch_idle();
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=64M disk=64M");
	run("arch=arm64 page_size=64K ram=128M disk=64M");
	return kt_done();
}
