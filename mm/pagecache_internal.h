/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/pagecache_internal.h - what the page cache's own files share
 * (mm/filemap.c, mm/filemap_fault.c, mm/readahead.c, mm/truncate.c,
 * mm/fadvise.c, and the file-fault parts of mm/memory.c, mm/madvise.c,
 * mm/mincore.c): the PG_readahead marker, the per-machine state of the
 * "filemap" subsystem (fault_around_bytes), and safe views of the bdi.
 * Not installed.
 */
#ifndef MMSIM_MM_PAGECACHE_INTERNAL_H
#define MMSIM_MM_PAGECACHE_INTERNAL_H

#include <mmsim/fs.h>
#include <mmsim/pagemap.h>
#include <mmsim/backing-dev.h>
#include "mm/fault_internal.h"

/* Linux's PG_readahead shares its bit with PG_reclaim (page-flags.h). */
#define PG_readahead	PG_reclaim

/* file->f_mode bits fadvise sets (Linux's values; fs.h has the others). */
#ifndef FMODE_RANDOM
#define FMODE_RANDOM	(1u << 12)
#endif
#ifndef FMODE_NOREUSE
#define FMODE_NOREUSE	(1u << 23)
#endif

/* MMAP_LOTSAMISS: mmap read-around stops after this many more misses than hits. */
#define MMAP_LOTSAMISS	100

static inline bool folio_test_readahead(const struct folio *f) { return page_flag_test(&f->page, PG_readahead); }
static inline void folio_set_readahead(struct folio *f) { page_flag_set(&f->page, PG_readahead); }
static inline void folio_clear_readahead(struct folio *f) { page_flag_clear(&f->page, PG_readahead); }
/* Acquire: the folio's contents, written before PG_uptodate was set (with
 * release, or before the folio lock was released), are visible. */
static inline bool folio_test_uptodate(const struct folio *f)
{
	return (__atomic_load_n(&f->page.flags, __ATOMIC_ACQUIRE) >> PG_uptodate) & 1;
}
static inline bool folio_test_dirty(const struct folio *f) { return page_flag_test(&f->page, PG_dirty); }
static inline bool folio_test_writeback(const struct folio *f) { return page_flag_test(&f->page, PG_writeback); }
static inline bool folio_test_lru(const struct folio *f) { return page_flag_test(&f->page, PG_lru); }
static inline struct address_space *folio_mapping_raw(const struct folio *f)
{
	return __atomic_load_n(&f->page.mapping, __ATOMIC_ACQUIRE);
}
static inline loff_t folio_pos(const struct folio *f) { return (loff_t)f->page.index << PAGE_SHIFT; }

/* The bdi of @mapping's host, or NULL (a bare mapping, or before W's bdi). */
static inline struct backing_dev_info *mapping_bdi(struct address_space *mapping)
{
	return mapping && mapping->host ? inode_to_bdi(mapping->host) : NULL;
}
/* mapping_can_writeback without a NULL bdi (a bare mapping in a test). */
static inline bool mapping_writeback_capable(struct address_space *mapping)
{
	struct backing_dev_info *bdi = mapping_bdi(mapping);

	return bdi && (bdi->capabilities & BDI_CAP_WRITEBACK);
}

static inline void filemap_invalidate_lock_shared(struct address_space *m) { down_read(&m->invalidate_lock); }
static inline void filemap_invalidate_unlock_shared(struct address_space *m) { up_read(&m->invalidate_lock); }
static inline void filemap_invalidate_lock(struct address_space *m) { down_write(&m->invalidate_lock); }
static inline void filemap_invalidate_unlock(struct address_space *m) { up_write(&m->invalidate_lock); }

/* mm/filemap.c: the machine's fault-around window in pages (Linux's
 * fault_around_pages; /sys/kernel/debug/fault_around_bytes). */
unsigned long fault_around_pages(void);
/* mm/filemap.c: read @folio (locked, in the cache) through ->read_folio and
 * wait for it: 0, -EIO, or AOP_TRUNCATED_PAGE when it left the cache. */
#define AOP_TRUNCATED_PAGE	0x80001
int filemap_read_folio(struct file *file, struct folio *folio);
/* mm/filemap.c: the first index in [index, index + max_scan) with no folio
 * (page_cache_next_miss), or the last before it going down (prev_miss). */
pgoff_t page_cache_next_miss(struct address_space *mapping, pgoff_t index, unsigned long max_scan);
pgoff_t page_cache_prev_miss(struct address_space *mapping, pgoff_t index, unsigned long max_scan);
/* mm/readahead.c: the async trigger and readahead on a missing range. */
void page_cache_sync_ra(struct readahead_control *rac, unsigned long req_count);
void page_cache_async_ra(struct readahead_control *rac, struct folio *folio, unsigned long req_count);
void force_page_cache_ra(struct readahead_control *rac, unsigned long nr_to_read);
/* mm/fadvise.c: Linux's generic_fadvise (MADV_WILLNEED calls it). */
int generic_fadvise(struct file *file, loff_t offset, loff_t len, int advice);
/* mm/memory.c: unmap the pages [start, start + nr) of every mapping VMA. */
void unmap_mapping_pages(struct address_space *mapping, pgoff_t start, pgoff_t nr, bool even_cows);
/* mm/filemap.c: touch the file's mtime/ctime (file_update_time). */
int file_update_time(struct file *file);

#endif
