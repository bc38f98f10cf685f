// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_filemap_read.c - reads and writes through the page cache
 * (mm/filemap.c, lib/iov_iter.c) on the in-test file system of pcfs.h:
 *   - filemap_read copies the file's bytes at any offset and length, stops
 *     at EOF (a short read; 0 at or past it), reads each page once (the
 *     second read is served from the cache), leaves the folios uptodate,
 *     unlocked, on the LRU, counted in NR_FILE_PAGES; mapping_is_valid;
 *   - the second touch of a page (another read of it later) activates it
 *     (folio_mark_accessed), a sequential stream marks once per folio;
 *   - a read from the disk (bios in virtual time): the reader waits on the
 *     folio lock and the virtual clock advances to the completion;
 *     read_mapping_folio likewise;
 *   - ->read_folio failing: -EIO from filemap_read and read_mapping_folio;
 *   - ITER_UBUF: into a user buffer of current; a hole in it gives a
 *     short read, a wholly bad buffer -EFAULT;
 *   - generic_file_write_iter: data, i_size growth, partial pages, the
 *     folios dirty (mark and flag), O_APPEND (IOCB_APPEND), -EFBIG at
 *     s_maxbytes and the cut of a write crossing it; a write from a bad
 *     user buffer is -EFAULT; fault_in_iov_iter_readable;
 *   - filemap_range_has_page; mapping_is_valid catches a wrong index,
 *     a dirty mark without PG_dirty and a wrong nrpages.
 * On x86_64, i386 (highmem) and arm64 with 64K pages.
 */
#include "pcfs.h"

static struct mmsim *m;

static void test_read_sync(void)
{
	loff_t size = 5 * (loff_t)PAGE_SIZE + 123;
	struct pcfs *fs = pcfs_new(size, false, false);
	unsigned long files = global_node_page_state(NR_FILE_PAGES);
	unsigned char *buf = malloc((size_t)size + 100);
	struct folio *folio;

	KT_EQ(pcfs_kread(fs, buf, 10, 0), 10);
	KT_ASSERT(pcfs_check(buf, 0, 10));
	KT_ASSERT(pcfs_cached(fs, 0));
	/* any offset and length; short at EOF */
	KT_EQ(pcfs_kread(fs, buf, (size_t)size + 100, 0), size);
	KT_ASSERT(pcfs_check(buf, 0, (size_t)size));
	KT_EQ(pcfs_kread(fs, buf, PAGE_SIZE, PAGE_SIZE - 7), (ssize_t)PAGE_SIZE);
	KT_ASSERT(pcfs_check(buf, PAGE_SIZE - 7, PAGE_SIZE));
	KT_EQ(pcfs_kread(fs, buf, 1000, size - 3), 3);
	KT_ASSERT(pcfs_check(buf, size - 3, 3));
	KT_EQ(pcfs_kread(fs, buf, 10, size), 0);
	KT_EQ(pcfs_kread(fs, buf, 10, size + 5 * (loff_t)PAGE_SIZE), 0);
	KT_EQ(pcfs_kread(fs, buf, 0, 0), 0);
	/* six pages, each read once, none beyond EOF */
	KT_EQ(pcfs_nrpages(fs), 6UL);
	KT_EQ(fs->reads, 6U);
	KT_ASSERT(!pcfs_cached(fs, 6));
	KT_EQ(global_node_page_state(NR_FILE_PAGES), files + 6);
	KT_EQ(pcfs_kread(fs, buf, (size_t)size, 0), size);
	KT_EQ(fs->reads, 6U);
	folio = filemap_get_folio(&fs->inode.i_data, 2);
	KT_ASSERT(!IS_ERR(folio));
	KT_ASSERT(PageUptodate(&folio->page) && !folio_test_locked(folio));
	KT_ASSERT(PageLRU(&folio->page));
	/* read three times by now: the second touch activated it */
	KT_ASSERT(PageActive(&folio->page));
	put_page(&folio->page);
	KT_ASSERT(mapping_is_valid(&fs->inode.i_data));
	KT_ASSERT(lru_all_valid());
	KT_EQ(filemap_range_has_page(&fs->inode.i_data, 0, 10), 1);
	KT_EQ(filemap_range_has_page(&fs->inode.i_data, 7 * (loff_t)PAGE_SIZE,
				     9 * (loff_t)PAGE_SIZE), 0);
	pcfs_free(fs);
	KT_EQ(global_node_page_state(NR_FILE_PAGES), files);
	free(buf);
}

/* Reads from the disk complete in virtual time: the reader lets it pass. */
static void test_read_disk(void)
{
	loff_t size = 40 * (loff_t)PAGE_SIZE;
	struct pcfs *fs = pcfs_new(size, false, true);
	unsigned char *buf = malloc((size_t)size);
	struct folio *folio;
	u64 t0 = vclock(m);

	KT_EQ(pcfs_kread(fs, buf, (size_t)size, 0), size);
	KT_ASSERT(pcfs_check(buf, 0, (size_t)size));
	KT_ASSERT(vclock(m) > t0);		/* the reads took virtual time */
	KT_EQ(fs->reads, 40U);
	t0 = vclock(m);
	KT_EQ(pcfs_kread(fs, buf, (size_t)size, 0), size);
	KT_EQ(vclock(m), t0);			/* cached: no time passes */
	truncate_inode_pages(&fs->inode.i_data, 0);
	KT_EQ(pcfs_nrpages(fs), 0UL);

	folio = read_mapping_folio(&fs->inode.i_data, 3, NULL);
	KT_ASSERT(!IS_ERR(folio));
	KT_ASSERT(PageUptodate(&folio->page) && !folio_test_locked(folio));
	{
		unsigned char *k = kmap_local_page(&folio->page);

		KT_ASSERT(pcfs_check(k, 3 * (loff_t)PAGE_SIZE, PAGE_SIZE));
		kunmap_local(k);
	}
	put_page(&folio->page);
	KT_ASSERT(mapping_is_valid(&fs->inode.i_data));
	pcfs_free(fs);
	free(buf);
}

static void test_read_errors(void)
{
	struct pcfs *fs = pcfs_new(3 * (loff_t)PAGE_SIZE, false, false);
	unsigned char buf[64];
	struct folio *folio;

	fs->fail_reads = true;
	KT_EQ(pcfs_kread(fs, buf, sizeof(buf), 0), -EIO);
	folio = read_mapping_folio(&fs->inode.i_data, 1, NULL);
	KT_ASSERT(folio == ERR_PTR(-EIO));
	/* the failed folios stay cached, not uptodate; a later read retries */
	fs->fail_reads = false;
	KT_EQ(pcfs_kread(fs, buf, sizeof(buf), PAGE_SIZE), (ssize_t)sizeof(buf));
	KT_ASSERT(pcfs_check(buf, PAGE_SIZE, sizeof(buf)));
	KT_ASSERT(mapping_is_valid(&fs->inode.i_data));
	pcfs_free(fs);
}

/* ITER_UBUF: reads into (and writes from) user memory of current. */
static void test_user_buffers(void)
{
	struct task_struct *t = mmsim_spawn(m, "reader");
	loff_t size = 4 * (loff_t)PAGE_SIZE;
	struct pcfs *fs = pcfs_new(size, false, false);
	unsigned char *buf = malloc((size_t)size);
	struct kiocb kiocb = { .ki_filp = &fs->file };
	struct iov_iter iter;
	unsigned long va;

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, 4 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	iov_iter_ubuf(&iter, ITER_DEST, va + 5, (size_t)size - 100);
	KT_EQ(filemap_read(&kiocb, &iter, 0), size - 100);
	KT_EQ(mmsim_user_read(va + 5, buf, (size_t)size - 100), 0);
	KT_ASSERT(pcfs_check(buf, 0, (size_t)size - 100));
	/* a hole in the buffer: short */
	KT_EQ(sys_munmap(va + 2 * PAGE_SIZE, PAGE_SIZE), 0);
	kiocb.ki_pos = 0;
	iov_iter_ubuf(&iter, ITER_DEST, va + PAGE_SIZE, 2 * PAGE_SIZE);
	KT_EQ(filemap_read(&kiocb, &iter, 0), (ssize_t)PAGE_SIZE);
	KT_EQ(kiocb.ki_pos, (loff_t)PAGE_SIZE);
	kiocb.ki_pos = 0;
	iov_iter_ubuf(&iter, ITER_DEST, va + 2 * PAGE_SIZE, 16);
	KT_EQ(filemap_read(&kiocb, &iter, 0), -EFAULT);
	/* a read-only buffer cannot be read into */
	KT_EQ(sys_mprotect(va, PAGE_SIZE, PROT_READ), 0);
	iov_iter_ubuf(&iter, ITER_DEST, va, 16);
	KT_EQ(filemap_read(&kiocb, &iter, 0), -EFAULT);

	/* writes from user memory; from a hole: -EFAULT */
	memset(buf, 0x5c, PAGE_SIZE);
	KT_EQ(mmsim_user_write(va + PAGE_SIZE, buf, PAGE_SIZE), 0);
	kiocb.ki_pos = 10;
	iov_iter_ubuf(&iter, ITER_SOURCE, va + PAGE_SIZE, 100);
	KT_EQ(fault_in_iov_iter_readable(&iter, 100), 0UL);
	KT_EQ(generic_file_write_iter(&kiocb, &iter), 100);
	KT_EQ(kiocb.ki_pos, 110);
	iov_iter_ubuf(&iter, ITER_SOURCE, va + 2 * PAGE_SIZE, 100);
	KT_EQ(fault_in_iov_iter_readable(&iter, 100), 100UL);
	KT_EQ(generic_file_write_iter(&kiocb, &iter), -EFAULT);
	/* a source crossing into the hole writes what it could read */
	iov_iter_ubuf(&iter, ITER_SOURCE, va + 2 * PAGE_SIZE - 40, 100);
	KT_EQ(fault_in_iov_iter_readable(&iter, 100), 60UL);
	KT_EQ(generic_file_write_iter(&kiocb, &iter), 40);
	KT_EQ(pcfs_kread(fs, buf, 160, 0), 160);
	KT_ASSERT(pcfs_check(buf, 0, 10));
	for (int i = 10; i < 150; i++)
		KT_EQ_WHAT(buf[i], 0x5c, "byte %d", i);
	KT_ASSERT(pcfs_check(buf + 150, 150, 10));
	KT_ASSERT(mapping_is_valid(&fs->inode.i_data));
	sys_exit_group(0);
	pcfs_free(fs);
	free(buf);
}

static void test_write(void)
{
	struct pcfs *fs = pcfs_new(PAGE_SIZE + 10, false, false);
	struct address_space *mapping = &fs->inode.i_data;
	size_t n = 3 * PAGE_SIZE;
	unsigned char *src = malloc(n), *buf = malloc(n + PAGE_SIZE);
	struct folio *folio;

	memset(src, 0xab, n);
	/* overwrite the middle of the file and extend it */
	KT_EQ(pcfs_kwrite(fs, src, n, 100, 0), (ssize_t)n);
	KT_EQ(i_size_read(&fs->inode), (loff_t)n + 100);
	KT_EQ(pcfs_kread(fs, buf, n + PAGE_SIZE, 0), (ssize_t)n + 100);
	KT_ASSERT(pcfs_check(buf, 0, 100));
	for (size_t i = 100; i < n + 100; i++)
		KT_EQ_WHAT(buf[i], 0xab, "byte %zu", i);
	folio = filemap_get_folio(mapping, 1);
	KT_ASSERT(!IS_ERR(folio));
	KT_ASSERT(PageDirty(&folio->page) && PageUptodate(&folio->page));
	KT_ASSERT(xa_get_mark(&mapping->i_pages, 1, PAGECACHE_TAG_DIRTY));
	put_page(&folio->page);
	KT_EQ(fs->writes, 4U);		/* one write_begin/end per page touched */

	/* O_APPEND writes at i_size */
	KT_EQ(pcfs_kwrite(fs, "xyz", 3, 0, IOCB_APPEND), 3);
	KT_EQ(i_size_read(&fs->inode), (loff_t)n + 103);
	KT_EQ(pcfs_kread(fs, buf, 10, (loff_t)n + 100), 3);
	KT_ASSERT(!memcmp(buf, "xyz", 3));
	/* s_maxbytes: at it -EFBIG; across it, cut */
	KT_EQ(pcfs_kwrite(fs, src, 10, fs->sb.s_maxbytes, 0), -EFBIG);
	KT_EQ(pcfs_kwrite(fs, src, 10, fs->sb.s_maxbytes - 4, 0), 4);
	KT_EQ(i_size_read(&fs->inode), fs->sb.s_maxbytes);
	KT_EQ(pcfs_kwrite(fs, src, 0, 0, 0), 0);
	KT_ASSERT(mapping_is_valid(mapping));
	truncate_setsize(&fs->inode, 0);
	KT_EQ(pcfs_nrpages(fs), 0UL);
	pcfs_free(fs);
	free(src);
	free(buf);
}

/* The checker sees a wrong index, a stray dirty mark, a wrong nrpages. */
static void test_checker(void)
{
	struct pcfs *fs = pcfs_new(3 * (loff_t)PAGE_SIZE, false, false);
	struct address_space *mapping = &fs->inode.i_data;
	unsigned char buf[8];
	struct folio *folio;
	size_t mark = log_mark(m);
	char *log;

	KT_EQ(pcfs_kread(fs, buf, 8, 0), 8);
	KT_EQ(pcfs_kread(fs, buf, 8, PAGE_SIZE), 8);
	KT_ASSERT(mapping_is_valid(mapping));
	folio = filemap_get_folio(mapping, 1);
	folio->page.index = 7;
	KT_ASSERT(!mapping_is_valid(mapping));
	folio->page.index = 1;
	xa_set_mark(&mapping->i_pages, 1, PAGECACHE_TAG_DIRTY);
	KT_ASSERT(!mapping_is_valid(mapping));
	xa_clear_mark(&mapping->i_pages, 1, PAGECACHE_TAG_DIRTY);
	page_flag_set(&folio->page, PG_dirty);
	KT_ASSERT(!mapping_is_valid(mapping));		/* dirty, not tagged */
	page_flag_clear(&folio->page, PG_dirty);
	atomic_long_add(1, &mapping->nrpages);
	KT_ASSERT(!mapping_is_valid(mapping));
	atomic_long_add(-1, &mapping->nrpages);
	KT_ASSERT(mapping_is_valid(mapping));
	put_page(&folio->page);
	log = log_since(m, &mark);
	if (!strstr(log, "folios cached"))
		fprintf(stderr, "%s", log);
	KT_STR_CONTAINS(log, "pagecache: index 1:");
	KT_STR_CONTAINS(log, "pagecache: nrpages 4, 3 folios cached");
	free(log);
	pcfs_free(fs);
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_read_sync);
	KT_RUN(test_read_disk);
	KT_RUN(test_read_errors);
	KT_RUN(test_user_buffers);
	KT_RUN(test_write);
	KT_RUN(test_checker);
	KT_ASSERT(lru_all_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=64M");
	run("arch=i386 ram=64M");
	run("arch=arm64 page_size=64K ram=256M");
	return kt_done();
}
