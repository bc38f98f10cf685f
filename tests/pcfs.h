/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/pcfs.h - a tiny in-test file system for the page cache's tests
 * (test_filemap_read.c, test_readahead.c, test_truncate.c,
 * test_file_fault.c): one regular file whose bytes are a known pattern,
 * read either synchronously (->read_folio fills the page and unlocks it)
 * or from the disk "vda" by bios that complete in virtual time (the folio
 * stays locked until the clock reaches the completion), optionally through
 * ->readahead (which records each batch: the readahead windows).  Writes
 * go through ->write_begin/->write_end; ->dirty_folio sets PG_dirty and the
 * cache's dirty mark as Linux's __folio_mark_dirty (no accounting: the
 * file's bdi is the noop one, nothing is written back).
 *
 * The pattern: byte P of the file is pcfs_byte(P).
 */
#ifndef MMSIM_TESTS_PCFS_H
#define MMSIM_TESTS_PCFS_H

#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/fcntl.h>
#include <mmsim/err.h>
#include <mmsim/fs.h>
#include <mmsim/uio.h>
#include <mmsim/pagemap.h>
#include <mmsim/highmem.h>
#include <mmsim/blkdev.h>
#include <mmsim/vmstat.h>
#include <mmsim/swap.h>
#include <mmsim/rmap.h>
#include <mmsim/slab.h>
#include <mmsim/backing-dev.h>
#include <mmsim/writeback.h>
#include "mmtest.h"
#include "mm/fault_internal.h"

#define PCFS_MAX_LOG	4096

struct pcfs {
	struct super_block sb;
	struct inode inode;
	struct file file;
	bool use_disk;			/* read from vda by bios (async) */
	bool fail_reads;		/* ->read_folio ends with an error */
	sector_t disk_base;		/* where the file's bytes are on vda */
	unsigned int reads;		/* pages read (->read_folio or ->readahead) */
	unsigned int nr_ra;		/* ->readahead calls */
	pgoff_t ra_index[PCFS_MAX_LOG];	/* each call's first index */
	unsigned int ra_count[PCFS_MAX_LOG];	/* and its pages */
	unsigned int writes;		/* ->write_end calls */
	struct backing_dev_info *bdi;	/* its own (no writeback), or NULL */
	unsigned char *store;		/* the file's bytes (NULL: the pattern) */
	size_t store_size;
};

static inline unsigned char pcfs_byte(loff_t pos)
{
	return (unsigned char)((pos * 7 + (pos >> 12) * 13 + 1) & 0xff);
}

static inline struct pcfs *pcfs_of(struct address_space *mapping)
{
	return mapping->host->i_private;
}

/* The bytes of page @index: the store's (zero past it), or the pattern. */
static inline void pcfs_fill_from(struct pcfs *fs, struct page *page, pgoff_t index)
{
	unsigned char *k = kmap_local_page(page);

	for (size_t i = 0; i < PAGE_SIZE; i++) {
		size_t pos = (size_t)index * PAGE_SIZE + i;

		if (fs && fs->store)
			k[i] = pos < fs->store_size ? fs->store[pos] : 0;
		else
			k[i] = pcfs_byte((loff_t)pos);
	}
	kunmap_local(k);
}

static inline void pcfs_fill(struct page *page, pgoff_t index)
{
	pcfs_fill_from(NULL, page, index);
}

static inline void pcfs_end_read(struct bio *bio)
{
	struct folio *folio = bio->bi_private;

	if (!bio->bi_status)
		__atomic_fetch_or(&folio->page.flags, 1UL << PG_uptodate, __ATOMIC_RELEASE);
	folio_unlock(folio);
	bio_put(bio);
}

static inline void pcfs_read_one(struct pcfs *fs, struct folio *folio)
{
	__atomic_fetch_add(&fs->reads, 1, __ATOMIC_RELAXED);
	if (fs->fail_reads) {
		folio_unlock(folio);
		return;
	}
	if (fs->use_disk) {
		struct bio *bio = bio_alloc(mmsim_root_bdev(current_machine()), 1, REQ_OP_READ,
					    GFP_KERNEL);

		bio->bi_iter.bi_sector = fs->disk_base +
					 (folio->page.index << (PAGE_SHIFT - SECTOR_SHIFT));
		bio_add_page(bio, &folio->page, PAGE_SIZE, 0);
		bio->bi_end_io = pcfs_end_read;
		bio->bi_private = folio;
		submit_bio(bio);
		return;
	}
	pcfs_fill_from(fs, &folio->page, folio->page.index);
	__atomic_fetch_or(&folio->page.flags, 1UL << PG_uptodate, __ATOMIC_RELEASE);
	folio_unlock(folio);
}

static inline int pcfs_read_folio(struct file *file, struct folio *folio)
{
	(void)file;
	pcfs_read_one(pcfs_of(folio->page.mapping), folio);
	return 0;
}

static inline void pcfs_readahead(struct readahead_control *rac)
{
	struct pcfs *fs = pcfs_of(rac->mapping);
	struct folio *folio;

	/* Readers on several CPUs may read ahead at once: claim a log slot. */
	unsigned int i = __atomic_fetch_add(&fs->nr_ra, 1, __ATOMIC_RELAXED);

	if (i < PCFS_MAX_LOG) {
		fs->ra_index[i] = readahead_index(rac);
		fs->ra_count[i] = readahead_count(rac);
	}
	while ((folio = readahead_folio(rac)) != NULL)
		pcfs_read_one(fs, folio);
}

/* Linux's __folio_mark_dirty without the accounting. */
static inline bool pcfs_dirty_folio(struct address_space *mapping, struct folio *folio)
{
	if (__atomic_fetch_or(&folio->page.flags, 1UL << PG_dirty, __ATOMIC_RELAXED) &
	    (1UL << PG_dirty))
		return false;
	xa_lock_irq(&mapping->i_pages);
	if (folio->page.mapping == mapping)
		__xa_set_mark(&mapping->i_pages, folio->page.index, PAGECACHE_TAG_DIRTY);
	xa_unlock_irq(&mapping->i_pages);
	return true;
}

static inline int pcfs_write_begin(struct file *file, struct address_space *mapping, loff_t pos,
				   unsigned int len, struct folio **foliop, void **fsdata)
{
	struct folio *folio = filemap_grab_folio(mapping, (pgoff_t)(pos >> PAGE_SHIFT));

	(void)file;
	(void)fsdata;
	if (IS_ERR(folio))
		return (int)PTR_ERR(folio);
	if (!page_flag_test(&folio->page, PG_uptodate) && len < PAGE_SIZE) {
		/* a partial write: the rest of the page is the file's or zero */
		if (((loff_t)folio->page.index << PAGE_SHIFT) < i_size_read(mapping->host)) {
			pcfs_fill_from(pcfs_of(mapping), &folio->page, folio->page.index);
		} else {
			char *k = kmap_local_page(&folio->page);

			memset(k, 0, PAGE_SIZE);
			kunmap_local(k);
		}
	}
	*foliop = folio;
	return 0;
}

static inline int pcfs_write_end(struct file *file, struct address_space *mapping, loff_t pos,
				 unsigned int len, unsigned int copied, struct folio *folio,
				 void *fsdata)
{
	struct inode *inode = mapping->host;

	(void)file;
	(void)len;
	(void)fsdata;
	pcfs_of(mapping)->writes++;
	page_flag_set(&folio->page, PG_uptodate);
	if (pos + copied > i_size_read(inode))
		i_size_write(inode, pos + copied);
	pcfs_dirty_folio(mapping, folio);
	folio_unlock(folio);
	put_page(&folio->page);
	return (int)copied;
}

static const struct address_space_operations pcfs_aops = {
	.read_folio = pcfs_read_folio,
	.dirty_folio = pcfs_dirty_folio,
	.write_begin = pcfs_write_begin,
	.write_end = pcfs_write_end,
};

static const struct address_space_operations pcfs_ra_aops = {
	.read_folio = pcfs_read_folio,
	.readahead = pcfs_readahead,
	.dirty_folio = pcfs_dirty_folio,
	.write_begin = pcfs_write_begin,
	.write_end = pcfs_write_end,
};

static const struct file_operations pcfs_fops = {
	.read_iter = generic_file_read_iter,
	.write_iter = generic_file_write_iter,
	.mmap = generic_file_mmap,
};

/* Write the pattern of [0, size) onto the disk at @base (for use_disk). */
static inline void pcfs_write_disk(sector_t base, loff_t size)
{
	struct page *page = alloc_page(GFP_KERNEL);

	KT_ASSERT(page);
	for (pgoff_t i = 0; (loff_t)i * (loff_t)PAGE_SIZE < size; i++) {
		struct bio *bio = bio_alloc(mmsim_root_bdev(current_machine()), 1, REQ_OP_WRITE,
					    GFP_KERNEL);

		pcfs_fill(page, i);
		bio->bi_iter.bi_sector = base + (i << (PAGE_SHIFT - SECTOR_SHIFT));
		bio_add_page(bio, page, PAGE_SIZE, 0);
		KT_EQ(submit_bio_wait(bio), 0);
		bio_put(bio);
	}
	__free_page(page);
}

/* A new file of @size bytes; @ra: read through ->readahead. */
static inline struct pcfs *pcfs_new(loff_t size, bool ra, bool use_disk)
{
	struct pcfs *fs = calloc(1, sizeof(*fs));
	struct inode *inode = &fs->inode;

	KT_ASSERT(fs);
	fs->sb.s_maxbytes = (loff_t)1 << 40;
	fs->sb.s_blocksize = PAGE_SIZE;
	strcpy(fs->sb.s_id, "pcfs");
	/* A bdi of its own, so that fadvise works on it (not the noop one):
	 * the default window, no writeback. */
	fs->bdi = bdi_alloc("pcfs");
	if (fs->bdi) {
		fs->bdi->ra_pages = VM_READAHEAD_PAGES_BYTES / PAGE_SIZE;
		fs->bdi->io_pages = fs->bdi->ra_pages;
		fs->bdi->capabilities = 0;
		fs->sb.s_bdi = fs->bdi;
	}
	inode->i_sb = &fs->sb;
	inode->i_mode = S_IFREG | 0644;
	inode->i_ino = 42;
	atomic_set(&inode->i_count, 1);
	inode->i_size = size;
	inode->i_private = fs;
	init_rwsem(&inode->i_rwsem);
	spin_lock_init(&inode->i_lock);
	inode->i_mapping = &inode->i_data;
	inode->i_data.host = inode;
	address_space_init_once(&inode->i_data);
	inode->i_data.a_ops = ra ? &pcfs_ra_aops : &pcfs_aops;
	atomic_long_set(&fs->file.f_count, 1L << 30);	/* never the last fput */
	fs->file.f_mode = FMODE_READ | FMODE_WRITE | FMODE_LSEEK;
	fs->file.f_flags = O_RDWR;
	fs->file.f_inode = inode;
	fs->file.f_mapping = inode->i_mapping;
	fs->file.f_op = &pcfs_fops;
	fs->file.f_name = "/pcfs/file";
	file_ra_state_init(&fs->file.f_ra, inode->i_mapping);
	fs->use_disk = use_disk;
	if (use_disk) {
		struct block_device *bdev = mmsim_root_bdev(current_machine());

		KT_ASSERT(bdev);
		/* the last 16 MiB of the disk, away from any file system */
		fs->disk_base = bdev_nr_sectors(bdev) - (16u << (20 - SECTOR_SHIFT));
		pcfs_write_disk(fs->disk_base, size);
	}
	return fs;
}

/* Empty the cache (every folio must be unmapped by now) and free it. */
static inline void pcfs_free(struct pcfs *fs)
{
	truncate_inode_pages_final(&fs->inode.i_data);
	KT_EQ(atomic_long_read(&fs->inode.i_data.nrpages), 0);
	xa_destroy(&fs->inode.i_data.i_pages);
	if (fs->bdi)
		bdi_put(fs->bdi);
	free(fs->store);
	free(fs);
}

/* Read [pos, pos + len) through filemap_read into a host buffer. */
static inline ssize_t pcfs_kread(struct pcfs *fs, void *buf, size_t len, loff_t pos)
{
	struct kiocb kiocb = { .ki_filp = &fs->file, .ki_pos = pos };
	struct iov_iter iter;

	iov_iter_kvec_buf(&iter, ITER_DEST, buf, len);
	return generic_file_read_iter(&kiocb, &iter);
}

static inline ssize_t pcfs_kwrite(struct pcfs *fs, const void *buf, size_t len, loff_t pos,
				  int flags)
{
	struct kiocb kiocb = { .ki_filp = &fs->file, .ki_pos = pos, .ki_flags = flags };
	struct iov_iter iter;

	iov_iter_kvec_buf(&iter, ITER_SOURCE, (void *)buf, len);
	return generic_file_write_iter(&kiocb, &iter);
}

static inline bool pcfs_check(const unsigned char *buf, loff_t pos, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != pcfs_byte(pos + (loff_t)i)) {
			fprintf(stderr, "pcfs: byte %lld is %02x, want %02x\n",
				(long long)(pos + (loff_t)i), buf[i], pcfs_byte(pos + (loff_t)i));
			return false;
		}
	return true;
}

static inline bool pcfs_cached(struct pcfs *fs, pgoff_t index)
{
	struct folio *folio = filemap_get_folio(&fs->inode.i_data, index);

	if (IS_ERR(folio))
		return false;
	put_page(&folio->page);
	return true;
}

static inline unsigned long pcfs_nrpages(struct pcfs *fs)
{
	return (unsigned long)atomic_long_read(&fs->inode.i_data.nrpages);
}

static inline u64 vclock(struct mmsim *mm)
{
	return atomic_load_explicit(&mm->hw.clock_ns, memory_order_relaxed);
}

/* Map the file in current's mm (do_mmap as sys_mmap does with an fd). */
static inline unsigned long pcfs_mmap_at(struct pcfs *fs, unsigned long hint, unsigned long len,
					 unsigned long prot, unsigned long flags, loff_t off)
{
	struct mm_struct *mm = current->mm;
	unsigned long populate = 0, addr;

	mmap_write_lock(mm);
	addr = do_mmap(&fs->file, hint, len, prot, flags, 0, (unsigned long)(off >> PAGE_SHIFT),
		       &populate, NULL);
	mmap_write_unlock(mm);
	if (populate && !IS_ERR_VALUE(addr))
		mm_populate(addr, populate);
	return addr;
}

static inline unsigned long pcfs_mmap(struct pcfs *fs, unsigned long len, unsigned long prot,
				      unsigned long flags, loff_t off)
{
	return pcfs_mmap_at(fs, 0, len, prot, flags, off);
}

static inline long long vmstat_field(struct mmsim *mm, const char *label)
{
	char *s = mmsim_read(mm, "/proc/vmstat");
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

#endif
