/* SPDX-License-Identifier: GPL-2.0 */
/*
 * migrate.h - page migration (Linux's include/linux/migrate.h and
 * migrate_mode.h).  Implementation, locking and invariants: mm/migrate.c.
 *
 * The contract the rest of mm keeps with migration:
 *   - a caller isolates folios first (folio_isolate_lru() for LRU folios,
 *     isolate_movable_page() for non-LRU movable ones), each holding the
 *     reference isolation took, and puts them on a list through folio->lru;
 *   - migrate_pages() moves each to a folio that @get_new_folio hands out:
 *     it locks the old one, replaces every PTE that maps it by a migration
 *     entry (try_to_migrate, through rmap), moves the mapping (page cache
 *     XArray slot, swap cache, or the anon_vma), copies the bytes and the
 *     flags, and turns the migration entries into PTEs of the new folio
 *     (remove_migration_ptes), flushing TLBs on every CPU of each mm;
 *   - a folio whose reference count shows an extra user (a GUP pin, a
 *     concurrent lookup) is not moved: -EAGAIN, retried up to
 *     NR_MAX_MIGRATE_PAGES_RETRY times, then left on @from;
 *   - a dirty page-cache folio whose mapping has no ->migrate_folio is
 *     written back first (MIGRATE_SYNC) or skipped (MIGRATE_ASYNC);
 *   - folios that did not move stay on @from; the caller puts them back
 *     with putback_movable_pages().
 * A fault on a migration entry waits for the folio's lock
 * (migration_entry_wait) and then retries.
 */
#ifndef MMSIM_MIGRATE_H
#define MMSIM_MIGRATE_H

#include <mmsim/mm.h>
#include <mmsim/list.h>
#include <mmsim/migrate_mode.h>

struct folio;
struct address_space;


enum migrate_reason {
	MR_COMPACTION,
	MR_MEMORY_FAILURE,
	MR_MEMORY_HOTPLUG,
	MR_SYSCALL,		/* move_pages(2), migrate_pages(2) */
	MR_MEMPOLICY_MBIND,
	MR_NUMA_MISPLACED,
	MR_CONTIG_RANGE,
	MR_LONGTERM_PIN,
	MR_DEMOTION,
	MR_DAMON,
	MR_TYPES
};

#define NR_MAX_MIGRATE_PAGES_RETRY	10

/* Hand out the destination for @src (NULL: no memory); give an unused one back. */
typedef struct folio *new_folio_t(struct folio *src, unsigned long private);
typedef void free_folio_t(struct folio *dst, unsigned long private);

/*
 * migrate_pages - move the isolated folios on @from
 * Return: the number of folios that were not migrated (0: all moved), or
 * -errno (-ENOMEM when @get_new_folio failed); *@nr_succeeded (may be NULL)
 * counts the base pages moved.  Counts pgmigrate_success/pgmigrate_fail.
 */
int migrate_pages(struct list_head *from, new_folio_t get_new_folio, free_folio_t put_new_folio,
		  unsigned long private, enum migrate_mode mode, int reason,
		  unsigned int *nr_succeeded);
/* Put folios that were isolated (and not migrated) back on their LRU / owner. */
void putback_movable_pages(struct list_head *l);
/* Isolate a non-LRU movable page (none exist yet; false for every other page). */
bool isolate_movable_page(struct page *page, unsigned int mode);

/* The a_ops->migrate_folio of mappings without private data (mm/migrate.c). */
int migrate_folio(struct address_space *mapping, struct folio *dst, struct folio *src,
		  enum migrate_mode mode);
int filemap_migrate_folio(struct address_space *mapping, struct folio *dst, struct folio *src,
			  enum migrate_mode mode);
/* The steps, for callers that move folios their own way. */
int folio_migrate_mapping(struct address_space *mapping, struct folio *newfolio,
			  struct folio *folio, int extra_count);
void folio_migrate_flags(struct folio *newfolio, struct folio *folio);
void folio_migrate_copy(struct folio *newfolio, struct folio *folio);

/* ---- the page-table side (mm/migrate_ptes.c) ---- */

#define RMP_LOCKED	1	/* remove_migration_ptes: the caller holds the rmap lock */
/* Map @dst where migration entries name @src (@dst == @src: undo). */
void remove_migration_ptes(struct folio *src, struct folio *dst, int flags);
/* A fault met a migration entry at @address: wait for the folio's unlock. */
void migration_entry_wait(struct mm_struct *mm, pmd_t *pmd, unsigned long address);

#endif
