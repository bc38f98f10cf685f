// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_readahead.c - the readahead windows (mm/readahead.c) against
 * Linux's formulas, on pcfs.h's file system with ->readahead recording
 * each batch:
 *   - a sequential scan of one-page reads of a 128-page file with the
 *     default 128 KiB window: get_init_ra_size(1, 32) = 4 (x4 a small
 *     request), then get_next_ra_size: 8, 16, 32, 32, ..., the last cut
 *     at EOF: windows (0,4) (4,8) (12,16) (28,32) (60,32) (92,32) (124,4);
 *     with 64 KiB pages the window is 2 pages: (0,2) (2,2) ...;
 *   - PG_readahead sits on the folio at start + size - async_size; a read
 *     that reaches it clears it and starts the next window (async);
 *   - a large first read: init size = the window max (32), async = 0...;
 *   - random one-page reads read just their page (no readahead), and a
 *     later sequential miss after cached history is context readahead;
 *   - POSIX_FADV_RANDOM: only the request; SEQUENTIAL: the window doubled
 *     (64 pages: windows 4, 16, 32, 64); NORMAL restores; ra_pages 0 reads
 *     only the request; WILLNEED (force_page_cache_readahead) reads the
 *     range without waiting, up to EOF; DONTNEED drops the clean whole
 *     pages of the range, keeps partial pages and dirty ones;
 *   - the readahead folios come in the cache uptodate, on the LRU.
 */
#include "pcfs.h"
#include "mm/pagecache_internal.h"

static struct mmsim *m;

static void read_page(struct pcfs *fs, pgoff_t index)
{
	unsigned char buf[16];

	KT_EQ(pcfs_kread(fs, buf, sizeof(buf), (loff_t)index * (loff_t)PAGE_SIZE),
	      (ssize_t)sizeof(buf));
	KT_ASSERT(pcfs_check(buf, (loff_t)index * (loff_t)PAGE_SIZE, sizeof(buf)));
}

static bool window_is(struct pcfs *fs, unsigned int i, pgoff_t index, unsigned int count)
{
	if (i >= fs->nr_ra || fs->ra_index[i] != index || fs->ra_count[i] != count) {
		fprintf(stderr, "window %u: want (%lu,%u), got (%lu,%u) of %u\n", i, index, count,
			i < fs->nr_ra ? fs->ra_index[i] : 0UL, i < fs->nr_ra ? fs->ra_count[i] : 0,
			fs->nr_ra);
		return false;
	}
	return true;
}

static bool marked(struct pcfs *fs, pgoff_t index)
{
	struct folio *folio = filemap_get_folio(&fs->inode.i_data, index);
	bool ret;

	if (IS_ERR(folio))
		return false;
	ret = folio_test_readahead(folio);
	put_page(&folio->page);
	return ret;
}

static void test_sequential_windows(void)
{
	bool small = PAGE_SIZE == 4096;
	pgoff_t npages = small ? 128 : 16;
	struct pcfs *fs = pcfs_new((loff_t)npages * (loff_t)PAGE_SIZE, true, false);

	KT_EQ(fs->file.f_ra.ra_pages, VM_READAHEAD_PAGES_BYTES / PAGE_SIZE);
	read_page(fs, 0);
	if (small) {
		KT_ASSERT(window_is(fs, 0, 0, 4));
		KT_ASSERT(marked(fs, 1));		/* start + size - async_size */
		KT_ASSERT(!marked(fs, 0) && !marked(fs, 2));
		read_page(fs, 1);			/* hits the marker: async */
		KT_ASSERT(!marked(fs, 1));
		KT_ASSERT(window_is(fs, 1, 4, 8));
		KT_ASSERT(marked(fs, 4));
		for (pgoff_t i = 2; i < npages; i++)
			read_page(fs, i);
		KT_EQ(fs->nr_ra, 7U);
		KT_ASSERT(window_is(fs, 2, 12, 16));
		KT_ASSERT(window_is(fs, 3, 28, 32));
		KT_ASSERT(window_is(fs, 4, 60, 32));
		KT_ASSERT(window_is(fs, 5, 92, 32));
		KT_ASSERT(window_is(fs, 6, 124, 4));	/* cut at EOF */
	} else {
		for (pgoff_t i = 1; i < npages; i++)
			read_page(fs, i);
		KT_EQ(fs->nr_ra, (unsigned int)npages / 2);
		for (unsigned int i = 0; i < npages / 2; i++)
			KT_ASSERT(window_is(fs, i, 2 * i, 2));
	}
	KT_EQ(fs->reads, (unsigned int)npages);		/* each page once */
	KT_EQ(pcfs_nrpages(fs), npages);
	KT_ASSERT(mapping_is_valid(&fs->inode.i_data));
	pcfs_free(fs);
}

/* A first read of 40 pages: one window of the request, no async part. */
static void test_large_read(void)
{
	struct pcfs *fs = pcfs_new(200 * (loff_t)PAGE_SIZE, true, false);
	size_t len = 40 * PAGE_SIZE;
	unsigned char *buf = malloc(len);
	unsigned long max = VM_READAHEAD_PAGES_BYTES / PAGE_SIZE;

	KT_EQ(pcfs_kread(fs, buf, len, 0), (ssize_t)len);
	KT_ASSERT(pcfs_check(buf, 0, len));
	/* the first window is the maximum (the request is larger), the rest
	 * of the request follows window by window */
	KT_ASSERT(fs->nr_ra >= 1);
	KT_EQ(fs->ra_index[0], 0UL);
	KT_EQ(fs->ra_count[0], (unsigned int)max);
	KT_ASSERT(fs->reads >= 40U);
	KT_ASSERT(mapping_is_valid(&fs->inode.i_data));
	free(buf);
	pcfs_free(fs);
}

static void test_random_reads(void)
{
	struct pcfs *fs = pcfs_new(128 * (loff_t)PAGE_SIZE, true, false);
	static const pgoff_t idx[] = { 50, 10, 90, 33, 70 };

	for (unsigned int i = 0; i < ARRAY_SIZE(idx); i++) {
		read_page(fs, idx[i]);
		KT_ASSERT(window_is(fs, i, idx[i], 1));
	}
	KT_EQ(pcfs_nrpages(fs), ARRAY_SIZE(idx));
	KT_EQ(fs->reads, (unsigned int)ARRAY_SIZE(idx));
	/* a miss right after the previous read is sequential again */
	read_page(fs, 71);
	KT_ASSERT(fs->ra_count[fs->nr_ra - 1] > 1);
	pcfs_free(fs);

	/* context readahead: reading page 20 after 10..19 are cached */
	if (PAGE_SIZE == 4096) {
		fs = pcfs_new(128 * (loff_t)PAGE_SIZE, true, false);
		force_page_cache_readahead(&fs->inode.i_data, NULL, 10, 10);
		fs->nr_ra = 0;
		fs->file.f_ra.prev_pos = 100 * (loff_t)PAGE_SIZE;	/* elsewhere */
		read_page(fs, 20);
		/* history 10 pages > request 1: start 20, size min(10 + 1, 32) */
		KT_ASSERT(window_is(fs, 0, 20, 11));
		pcfs_free(fs);
	}
}

static void test_fadvise(void)
{
	struct pcfs *fs = pcfs_new(128 * (loff_t)PAGE_SIZE, true, false);
	struct file *file = &fs->file;
	unsigned long def = VM_READAHEAD_PAGES_BYTES / PAGE_SIZE;
	unsigned char buf[64];

	KT_EQ(generic_fadvise(file, 0, 0, 99), -EINVAL);
	KT_EQ(generic_fadvise(file, 0, -1, POSIX_FADV_NORMAL), -EINVAL);
	/* RANDOM: just the request */
	KT_EQ(generic_fadvise(file, 0, 0, POSIX_FADV_RANDOM), 0);
	KT_ASSERT(file->f_mode & FMODE_RANDOM);
	read_page(fs, 0);
	read_page(fs, 1);
	KT_EQ(pcfs_nrpages(fs), 2UL);
	/* SEQUENTIAL: FMODE_RANDOM off, the window doubled */
	KT_EQ(generic_fadvise(file, 0, 0, POSIX_FADV_SEQUENTIAL), 0);
	KT_ASSERT(!(file->f_mode & FMODE_RANDOM));
	KT_EQ(file->f_ra.ra_pages, (unsigned int)(2 * def));
	KT_EQ(generic_fadvise(file, 0, 0, POSIX_FADV_NORMAL), 0);
	KT_EQ(file->f_ra.ra_pages, (unsigned int)def);
	/* ra_pages 0: only the page asked for */
	file->f_ra.ra_pages = 0;
	read_page(fs, 5);
	KT_EQ(pcfs_nrpages(fs), 3UL);
	file->f_ra.ra_pages = (unsigned int)def;
	truncate_inode_pages(&fs->inode.i_data, 0);

	/* WILLNEED: [offset, offset + len) read ahead, partial pages included */
	KT_EQ(generic_fadvise(file, PAGE_SIZE + 1, 3 * PAGE_SIZE, POSIX_FADV_WILLNEED), 0);
	/* pages 1..4, at most max(ra_pages, io_pages) of them (2 of 64K) */
	KT_EQ(pcfs_nrpages(fs), min(4UL, def));
	KT_ASSERT(pcfs_cached(fs, 1) && pcfs_cached(fs, min(4UL, def)) &&
		  !pcfs_cached(fs, min(4UL, def) + 1));
	/* past EOF: nothing */
	KT_EQ(generic_fadvise(file, 200 * PAGE_SIZE, PAGE_SIZE, POSIX_FADV_WILLNEED), 0);
	KT_EQ(pcfs_nrpages(fs), min(4UL, def));

	/* DONTNEED: whole clean pages only */
	KT_EQ(pcfs_kwrite(fs, "d", 1, 3 * PAGE_SIZE, 0), 1);	/* page 3 dirty */
	KT_EQ(generic_fadvise(file, PAGE_SIZE + 1, 4 * PAGE_SIZE, POSIX_FADV_DONTNEED), 0);
	/* [P+1, 5P]: whole pages 2..4, page 3 dirty stays, 1 partial stays */
	KT_ASSERT(pcfs_cached(fs, 1) && !pcfs_cached(fs, 2) && pcfs_cached(fs, 3) &&
		  !pcfs_cached(fs, 4));
	/* len 0: to the end of the file */
	KT_EQ(generic_fadvise(file, 0, 0, POSIX_FADV_DONTNEED), 0);
	KT_EQ(pcfs_nrpages(fs), 1UL);		/* the dirty one */
	KT_EQ(pcfs_kread(fs, buf, 1, 3 * PAGE_SIZE), 1);
	KT_EQ(buf[0], 'd');
	KT_ASSERT(mapping_is_valid(&fs->inode.i_data));
	pcfs_free(fs);
}

/* Readahead over a partly cached range reads only the holes. */
static void test_partly_cached(void)
{
	struct pcfs *fs;

	if (PAGE_SIZE != 4096)		/* force_page_cache_ra reads <= 2 pages of 64K */
		return;
	fs = pcfs_new(64 * (loff_t)PAGE_SIZE, true, false);
	force_page_cache_readahead(&fs->inode.i_data, &fs->file, 3, 1);
	force_page_cache_readahead(&fs->inode.i_data, &fs->file, 6, 1);
	KT_EQ(fs->reads, 2U);
	fs->nr_ra = 0;
	force_page_cache_readahead(&fs->inode.i_data, &fs->file, 0, 10);
	KT_EQ(fs->reads, 10U);
	KT_ASSERT(window_is(fs, 0, 0, 3));
	KT_ASSERT(window_is(fs, 1, 4, 2));
	KT_ASSERT(window_is(fs, 2, 7, 3));
	KT_EQ(pcfs_nrpages(fs), 10UL);
	for (pgoff_t i = 0; i < 10; i++) {
		struct folio *folio = filemap_get_folio(&fs->inode.i_data, i);

		KT_ASSERT(!IS_ERR(folio));
		KT_ASSERT(PageUptodate(&folio->page) && PageLRU(&folio->page) &&
			  !folio_test_locked(folio));
		put_page(&folio->page);
	}
	KT_ASSERT(mapping_is_valid(&fs->inode.i_data));
	KT_ASSERT(lru_all_valid());
	pcfs_free(fs);
}

/* Reads from the disk: the pipeline reads ahead while the reader copies. */
static void test_disk_readahead(void)
{
	struct pcfs *fs = pcfs_new(64 * (loff_t)PAGE_SIZE, true, true);
	size_t len = 64 * PAGE_SIZE;
	unsigned char *buf = malloc(len);

	for (pgoff_t i = 0; i < 64; i++)
		read_page(fs, i);
	KT_EQ(fs->reads, 64U);
	KT_EQ(pcfs_kread(fs, buf, len, 0), (ssize_t)len);
	KT_ASSERT(pcfs_check(buf, 0, len));
	KT_ASSERT(mapping_is_valid(&fs->inode.i_data));
	free(buf);
	pcfs_free(fs);
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_sequential_windows);
	KT_RUN(test_large_read);
	KT_RUN(test_random_reads);
	KT_RUN(test_fadvise);
	KT_RUN(test_partly_cached);
	KT_RUN(test_disk_readahead);
	KT_ASSERT(lru_all_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=64M");
	run("arch=arm64 page_size=64K ram=256M");
	return kt_done();
}
