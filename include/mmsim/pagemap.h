/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagemap.h - the page cache's interface (mm/filemap.c; Linux's
 * include/linux/pagemap.h names): adding, finding and removing folios of
 * an address_space, whose i_pages is an XArray (lib/xarray.c) guarded by
 * its xa_lock, and the folio lock (PG_locked).
 */
#ifndef MMSIM_PAGEMAP_H
#define MMSIM_PAGEMAP_H

#include <mmsim/fs.h>
#include <mmsim/mm_types.h>
#include <mmsim/gfp.h>
#include <mmsim/uio.h>
#include <mmsim/mm.h>
#include <mmsim/mm_vma.h>

struct vm_fault;

/* __filemap_get_folio's fgp_flags (Linux's values). */
#define FGP_ACCESSED	0x00000001u	/* mark it accessed (folio_mark_accessed) */
#define FGP_LOCK	0x00000002u	/* return it locked */
#define FGP_CREAT	0x00000004u	/* allocate and add it when absent */
#define FGP_WRITE	0x00000008u	/* accepted */
#define FGP_NOFS	0x00000010u	/* accepted */
#define FGP_NOWAIT	0x00000020u	/* FGP_LOCK: trylock only, -EAGAIN */

/* A batch of folios with a reference each (Linux's <linux/pagevec.h>). */
#define PAGEVEC_SIZE	31
struct folio_batch {
	unsigned char nr;
	struct folio *folios[PAGEVEC_SIZE];
};

static inline void folio_batch_init(struct folio_batch *fbatch)
{
	fbatch->nr = 0;
}

static inline unsigned int folio_batch_count(const struct folio_batch *fbatch)
{
	return fbatch->nr;
}

static inline unsigned int folio_batch_space(const struct folio_batch *fbatch)
{
	return PAGEVEC_SIZE - fbatch->nr;
}

static inline unsigned int folio_batch_add(struct folio_batch *fbatch, struct folio *folio)
{
	fbatch->folios[fbatch->nr++] = folio;
	return folio_batch_space(fbatch);
}

/* Drops the batch's references (Linux's folio_batch_release). */
void folio_batch_release(struct folio_batch *fbatch);

static inline void mapping_set_gfp_mask(struct address_space *m, gfp_t mask)
{
	m->gfp_mask = mask;
}

static inline gfp_t mapping_gfp_mask(const struct address_space *m)
{
	return m->gfp_mask;
}

/* The folio lock: PG_locked, a bit lock; contended, the host thread waits. */
bool folio_trylock(struct folio *folio);
void folio_lock(struct folio *folio);
void folio_unlock(struct folio *folio);
bool folio_test_locked(const struct folio *folio);

/* Initialise a new mapping's i_pages (Linux's address_space_init_once). */
void address_space_init_once(struct address_space *mapping);

int __filemap_add_folio(struct address_space *mapping, struct folio *folio,
			pgoff_t index, gfp_t gfp, void **shadowp);
int filemap_add_folio(struct address_space *mapping, struct folio *folio,
		      pgoff_t index, gfp_t gfp);
void __filemap_remove_folio(struct folio *folio, void *shadow);
void filemap_remove_folio(struct folio *folio);
#define delete_from_page_cache(page)	filemap_remove_folio(page_folio(page))

struct folio *__filemap_get_folio(struct address_space *mapping, pgoff_t index,
				  unsigned int fgp_flags, gfp_t gfp);
/* A referenced folio, or ERR_PTR(-ENOENT) (Linux 6.3+). */
static inline struct folio *filemap_get_folio(struct address_space *mapping, pgoff_t index)
{
	return __filemap_get_folio(mapping, index, 0, 0);
}
/* The page at @index with a reference, or NULL. */
struct page *find_get_page(struct address_space *mapping, pgoff_t index);
/* Up to a batch of the folios at [*start, end], referenced; *start moves past them. */
unsigned int filemap_get_folios(struct address_space *mapping, pgoff_t *start,
				pgoff_t end, struct folio_batch *fbatch);

/* --- mm/filemap.c: reads, writes and faults through the cache -------- */

struct folio *filemap_alloc_folio(gfp_t gfp, unsigned int order);
/* A locked folio at @index, created if absent (write_begin's usual helper). */
static inline struct folio *filemap_grab_folio(struct address_space *mapping, pgoff_t index)
{
	return __filemap_get_folio(mapping, index, FGP_LOCK | FGP_ACCESSED | FGP_CREAT,
				   mapping_gfp_mask(mapping));
}
/* The uptodate folio at @index, read through ->read_folio if needed; ERR_PTR(-EIO). */
struct folio *read_mapping_folio(struct address_space *mapping, pgoff_t index, struct file *file);
struct page *read_mapping_page(struct address_space *mapping, pgoff_t index, struct file *file);
/* Wait for PG_locked / PG_writeback to clear. */
void folio_wait_locked(struct folio *folio);
/* Buffered I/O: the bytes moved, or -errno when none were. */
ssize_t filemap_read(struct kiocb *iocb, struct iov_iter *to, ssize_t already_read);
ssize_t generic_file_read_iter(struct kiocb *iocb, struct iov_iter *to);
ssize_t generic_perform_write(struct kiocb *iocb, struct iov_iter *from);
ssize_t __generic_file_write_iter(struct kiocb *iocb, struct iov_iter *from);
ssize_t generic_file_write_iter(struct kiocb *iocb, struct iov_iter *from);	/* inode_lock */
ssize_t generic_write_checks(struct kiocb *iocb, struct iov_iter *from);
ssize_t generic_write_sync(struct kiocb *iocb, ssize_t count);	/* O_SYNC/O_DSYNC */
/* mmap of a cached file: vm_ops = generic_file_vm_ops. */
int generic_file_mmap(struct file *file, struct vm_area_struct *vma);
int generic_file_readonly_mmap(struct file *file, struct vm_area_struct *vma);
vm_fault_t filemap_fault(struct vm_fault *vmf);
/* Fault-around: map the cached, uptodate pages of [start, end] around vmf. */
vm_fault_t filemap_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff, pgoff_t end_pgoff);
vm_fault_t filemap_page_mkwrite(struct vm_fault *vmf);
extern const struct vm_operations_struct generic_file_vm_ops;
/* Read-only helpers (the disk file system's simple paths). */
int filemap_range_has_page(struct address_space *mapping, loff_t start, loff_t end);
/* mmsim: the cache's invariants for @mapping (every folio on one LRU list,
 * dirty marks == dirty folios, nrpages == entries, index/mapping right);
 * false with a log line when one fails (mm/filemap.c). */
bool mapping_is_valid(struct address_space *mapping);

/* --- mm/readahead.c -------------------------------------------------- */

struct readahead_control {
	struct file *file;
	struct address_space *mapping;
	struct file_ra_state *ra;
	pgoff_t _index;			/* the next folio's index */
	unsigned int _nr_pages;		/* pages left in the batch */
	unsigned int _batch_count;	/* pages handed out by readahead_folio */
};

static inline pgoff_t readahead_index(const struct readahead_control *rac) { return rac->_index; }
static inline unsigned int readahead_count(const struct readahead_control *rac)
{
	return rac->_nr_pages;
}
static inline loff_t readahead_pos(const struct readahead_control *rac)
{
	return (loff_t)rac->_index << PAGE_SHIFT;
}
/* The next locked folio of the batch (the cache holds it; no extra ref), or NULL. */
struct folio *readahead_folio(struct readahead_control *rac);

#define VM_READAHEAD_PAGES_BYTES	(128 * 1024)	/* the default window, 128 KiB */
void file_ra_state_init(struct file_ra_state *ra, struct address_space *mapping);
void page_cache_sync_readahead(struct address_space *mapping, struct file_ra_state *ra,
			       struct file *file, pgoff_t index, unsigned long req_count);
void page_cache_async_readahead(struct address_space *mapping, struct file_ra_state *ra,
				struct file *file, struct folio *folio, unsigned long req_count);
/* Read [index, index + nr) ahead ignoring the window (force_page_cache_ra). */
void force_page_cache_readahead(struct address_space *mapping, struct file *file,
				pgoff_t index, unsigned long nr_to_read);
void page_cache_ra_unbounded(struct readahead_control *rac, unsigned long nr_to_read,
			     unsigned long lookahead_count);

/* --- mm/truncate.c --------------------------------------------------- */

void truncate_inode_pages(struct address_space *mapping, loff_t lstart);
void truncate_inode_pages_range(struct address_space *mapping, loff_t lstart, loff_t lend);
void truncate_inode_pages_final(struct address_space *mapping);	/* eviction */
void truncate_pagecache(struct inode *inode, loff_t newsize);	/* unmap + truncate */
void truncate_setsize(struct inode *inode, loff_t newsize);	/* i_size + truncate_pagecache */
void truncate_pagecache_range(struct inode *inode, loff_t lstart, loff_t lend);
/* Drop clean, unmapped, unlocked folios of [start, end] (drop_caches, fadvise). */
unsigned long invalidate_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t end);
int invalidate_inode_pages2_range(struct address_space *mapping, pgoff_t start, pgoff_t end);
/* mm/memory.c: zap the PTEs of every VMA mapping [holebegin, +holelen) of the file. */
void unmap_mapping_range(struct address_space *mapping, loff_t const holebegin,
			 loff_t const holelen, int even_cows);

#endif
