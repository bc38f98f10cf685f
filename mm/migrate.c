// SPDX-License-Identifier: GPL-2.0
/*
 * mm/migrate.c - page migration (Linux's mm/migrate.c): moving the
 * contents of an in-use folio to another physical page while every user
 * keeps working -- the PTEs that map it, the page cache or swap cache that
 * holds it, the LRU it sits on.  Compaction moves movable pages out of the
 * way of free ranges with it; move_pages(2)/migrate_pages(2) move a
 * process's pages between NUMA nodes (mm/migrate_syscalls.c).  The
 * page-table half (migration entries) is mm/migrate_ptes.c.
 *
 * One folio's migration (migrate_folio_one; Linux's migrate_folio_unmap +
 * migrate_folio_move, without batching):
 *   1. the old folio (src), isolated by the caller with one reference of
 *      its own, is locked (MIGRATE_ASYNC, or inside an allocation --
 *      PF_MEMALLOC, direct compaction --: trylock, else -EAGAIN); one under
 *      writeback is waited for in MIGRATE_SYNC, refused (-EBUSY) otherwise;
 *      a folio whose only reference is ours was freed meanwhile: done;
 *   2. the destination (dst) comes from the caller's get_new_folio and is
 *      locked (nobody else knows it yet);
 *   3. an anon src pins its anon_vma (the rmap walk after unmapping needs
 *      it), and every PTE mapping src becomes a migration entry
 *      (try_to_migrate); src still mapped afterwards (a lock was busy, a
 *      pinned exclusive page): -EAGAIN;
 *   4. the mapping's ->migrate_folio moves it (move_to_new_folio):
 *      migrate_folio copies the bytes, then folio_migrate_mapping freezes
 *      src's refcount at the expected value (ours + the cache's) under the
 *      XArray lock -- any other reference (a GUP pin, a lookup in flight)
 *      fails it, -EAGAIN -- and stores dst in src's page-cache or swap-cache
 *      slot, moving the cache's reference, PG_dirty and the per-node and
 *      per-zone counters; folio_migrate_flags moves the rest of the state.
 *      A mapping without ->migrate_folio (fallback_migrate_folio) has its
 *      dirty folio written back first in MIGRATE_SYNC (the attempt ends
 *      -EAGAIN; the retry finds it clean), -EBUSY otherwise;
 *   5. the entries become PTEs of dst (remove_migration_ptes), or of src
 *      again on failure; dst goes to the LRU; src loses our reference and
 *      is freed.
 * migrate_pages() runs that over the list up to NR_MAX_MIGRATE_PAGES_RETRY
 * passes while some folio answers -EAGAIN; -ENOMEM from get_new_folio
 * stops it.  Folios that did not move stay on @from for the caller's
 * putback_movable_pages().  A large anonymous folio (THP) is split
 * first (split_folio_to_list: PMD mappings become PTEs, then 512 order-0
 * folios, isolated like their head) and the pieces are migrated in the
 * same call, as Linux does where THP migration is not supported; a pinned
 * THP cannot be split and stays, failed.  hugetlb folios never move.
 *
 * References (order-0): src has ours (isolation) + 1 per PTE + 1 if in
 * the page cache or swap cache (+1 with PG_private).  try_to_migrate drops
 * the PTEs' ones, so src is movable iff its count is exactly
 * folio_expected_refs(); dst starts with the allocation's, gains the
 * cache's in folio_migrate_mapping and one per PTE restored, and drops the
 * allocation's when it is put on the LRU.
 *
 * Counting, as Linux: the caller that isolates a folio adds it to
 * NR_ISOLATED_ANON/FILE (Linux's isolate_migratepages_block and
 * add_folio_for_migration do); migrate_pages uncounts the folios it moves
 * (migrate_folio_done) and putback_movable_pages the ones it puts back.
 * pgmigrate_success/pgmigrate_fail count base pages.
 *
 * Locking, in order: src's folio lock -> dst's folio lock -> the rmap lock
 * (anon_vma rwsem / i_mmap_rwsem) -> a PTE lock -> the mapping's xa_lock
 * -> lru_lock -> zone->lock.  No mmap_lock: migration reaches the page
 * tables through the rmap only, so a fault waiting on a migration entry
 * with mmap_lock held cannot block it.
 *
 * Invariants while src is being migrated: src is locked and isolated (not
 * PG_lru); no present PTE maps it; every migration entry naming it lies
 * where the rmap walk of src (and, once the mapping moved, of dst) finds
 * it.  After a success: dst has src's mapping, index, cache slot, flags and
 * bytes; its mapcount equals the entries restored; src is freed.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <mmsim/migrate.h>
#include <mmsim/huge_mm.h>
#include <mmsim/hugetlb.h>
#include <mmsim/swap.h>
#include <mmsim/swapops.h>
#include <mmsim/rmap.h>
#include <mmsim/pagemap.h>
#include <mmsim/highmem.h>
#include <mmsim/writeback.h>
#include <mmsim/shmem_fs.h>
#include <mmsim/backing-dev.h>
#include <mmsim/vmstat.h>
#include "mm/internal.h"
#include "mm/fault_internal.h"
#include "mm/pagecache_internal.h"
#include "mm/lru_internal.h"
#include "mm/lru_gen.h"

#define MIGRATEPAGE_SUCCESS	0

static inline bool ftest(const struct folio *f, int nr) { return page_flag_test(&f->page, nr); }
static inline void fset(struct folio *f, int nr) { page_flag_set(&f->page, nr); }
static inline void fclear(struct folio *f, int nr) { page_flag_clear(&f->page, nr); }
static inline bool ftest_clear(struct folio *f, int nr)
{
	return __atomic_fetch_and(&f->page.flags, ~(1UL << nr), __ATOMIC_RELAXED) & (1UL << nr);
}

/* The cache a folio is in: its page cache, or its area's swap cache (Linux's folio_mapping). */
static struct address_space *folio_mapping_of(struct folio *folio)
{
	struct address_space *mapping;

	if (folio_test_swapcache(folio))
		return swap_address_space(folio_swap_entry(folio));
	mapping = __atomic_load_n(&folio->page.mapping, __ATOMIC_ACQUIRE);
	if ((unsigned long)mapping & PAGE_MAPPING_FLAGS)
		return NULL;
	return mapping;
}

/* The references a movable, unmapped folio has: ours, its cache's, PG_private's. */
static int folio_expected_refs(struct address_space *mapping, struct folio *folio)
{
	int refs = 1;

	if (!mapping)
		return refs;
	refs += 1;		/* order 0: the cache holds one per page */
	if (ftest(folio, PG_private))
		refs++;
	return refs;
}

/* ---------------------------------------------------------------------
 * Moving the mapping, the flags and the bytes
 */

static void node_stat_move(struct folio *from, struct folio *to, enum node_stat_item item)
{
	mod_node_page_state(page_pgdat(&from->page), item, -1);
	mod_node_page_state(page_pgdat(&to->page), item, 1);
}

/**
 * folio_migrate_mapping - move @folio's place in @mapping to @newfolio
 * @extra_count: references the caller knows of beyond the expected ones
 *
 * With no mapping (an anon folio outside the swap cache) only the count
 * is checked and ->mapping/->index copied.  Otherwise the count is frozen
 * at the expected value under the XArray lock, so no lookup can take a
 * new reference; the slot then holds @newfolio, which takes the cache's
 * reference, PG_dirty, PG_swapbacked/PG_swapcache and the swap entry.
 * Return: 0, or -EAGAIN when someone else holds a reference.
 * Context: both folios locked; @folio unmapped.
 */
int folio_migrate_mapping(struct address_space *mapping, struct folio *newfolio,
			  struct folio *folio, int extra_count)
{
	int expected = folio_expected_refs(mapping, folio) + extra_count;
	bool swapcache, dirty;
	pgoff_t index;

	if (!mapping) {
		if (page_ref_count(&folio->page) != expected)
			return -EAGAIN;
		/* No turning back from here. */
		newfolio->page.index = folio->page.index;
		__atomic_store_n(&newfolio->page.mapping, folio->page.mapping, __ATOMIC_RELEASE);
		if (ftest(folio, PG_swapbacked))
			fset(newfolio, PG_swapbacked);
		return MIGRATEPAGE_SUCCESS;
	}

	swapcache = folio_test_swapcache(folio);
	index = swapcache ? swap_cache_index(folio_swap_entry(folio)) : folio->page.index;
	{
		XA_STATE(xas, &mapping->i_pages, index);
		int frozen = expected;

		xas_lock_irq(&xas);
		if (!atomic_compare_exchange_strong_explicit(&folio->page._refcount, &frozen, 0,
							     memory_order_acquire,
							     memory_order_relaxed)) {
			xas_unlock_irq(&xas);
			return -EAGAIN;
		}
		/* Nobody else can look at the folio now. */
		get_page(&newfolio->page);		/* the cache's reference */
		if (ftest(folio, PG_swapbacked)) {
			fset(newfolio, PG_swapbacked);
			if (swapcache) {
				newfolio->page.private = folio->page.private;
				fset(newfolio, PG_swapcache);
			}
		}
		/* The page cache's mapping, or (swap cache) the anon_vma of an
		 * anon folio -- none for a shmem folio that left its file. */
		newfolio->page.index = folio->page.index;
		__atomic_store_n(&newfolio->page.mapping, folio->page.mapping, __ATOMIC_RELEASE);
		/* Move dirty while the refs are frozen and newfolio not yet seen. */
		dirty = ftest(folio, PG_dirty);
		if (dirty) {
			fclear(folio, PG_dirty);
			fset(newfolio, PG_dirty);
		}
		xas_store(&xas, newfolio);
		/* Drop the cache's reference of the old folio: unfreeze one lower. */
		atomic_store_explicit(&folio->page._refcount, expected - 1, memory_order_release);
		xas_unlock_irq(&xas);
	}

	if (page_pgdat(&folio->page) != page_pgdat(&newfolio->page)) {
		node_stat_move(folio, newfolio, NR_FILE_PAGES);
		if (ftest(folio, PG_swapbacked) && !swapcache)
			node_stat_move(folio, newfolio, NR_SHMEM);
		if (swapcache)
			node_stat_move(folio, newfolio, NR_SWAPCACHE);
		if (dirty && mapping_writeback_capable(mapping))
			node_stat_move(folio, newfolio, NR_FILE_DIRTY);
	}
	if (page_zone(&folio->page) != page_zone(&newfolio->page) && dirty &&
	    mapping_writeback_capable(mapping)) {
		mod_zone_page_state(page_zone(&folio->page), NR_ZONE_WRITE_PENDING, -1);
		mod_zone_page_state(page_zone(&newfolio->page), NR_ZONE_WRITE_PENDING, 1);
	}
	return MIGRATEPAGE_SUCCESS;
}

/**
 * folio_migrate_flags - give @newfolio the state bits of @folio (Linux's
 * list): referenced, uptodate, active or unevictable (so putback places
 * it on the list -- or, with the multi-gen LRU, in the generation -- src
 * was on), workingset, mappedtodisk, dirty, readahead, the multi-gen LRU's
 * access count, mlocked (with NR_MLOCK); src leaves the swap cache's
 * flags and private data behind.
 */
void folio_migrate_flags(struct folio *newfolio, struct folio *folio)
{
	unsigned long refs;

	if (ftest(folio, PG_referenced))
		fset(newfolio, PG_referenced);
	if (ftest(folio, PG_uptodate))
		fset(newfolio, PG_uptodate);
	if (ftest_clear(folio, PG_active)) {
		WARN_ON_ONCE(ftest(folio, PG_unevictable));
		fset(newfolio, PG_active);
	} else if (ftest_clear(folio, PG_unevictable)) {
		fset(newfolio, PG_unevictable);
	}
	if (ftest(folio, PG_workingset))
		fset(newfolio, PG_workingset);
	if (ftest(folio, PG_mappedtodisk))	/* PG_anon_exclusive: see try_to_migrate */
		fset(newfolio, PG_mappedtodisk);
	/* Dirty on folios folio_migrate_mapping did not handle (anon). */
	if (ftest(folio, PG_dirty))
		fset(newfolio, PG_dirty);
	/* The multi-gen LRU's tier (Linux's folio_migrate_refs). */
	refs = __atomic_load_n(&folio->page.flags, __ATOMIC_RELAXED) & LRU_REFS_MASK;
	if (refs)
		__atomic_fetch_or(&newfolio->page.flags, refs, __ATOMIC_RELAXED);
	if (ftest_clear(folio, PG_mlocked)) {
		mod_zone_page_state(page_zone(&folio->page), NR_MLOCK, -1);
		fset(newfolio, PG_mlocked);
		mod_zone_page_state(page_zone(&newfolio->page), NR_MLOCK, 1);
	}
	if (folio_test_swapcache(folio))
		fclear(folio, PG_swapcache);
	fclear(folio, PG_private);
	folio->page.private = 0;
	if (ftest(newfolio, PG_writeback))
		folio_end_writeback(newfolio);
	if (folio_test_readahead(folio))
		folio_set_readahead(newfolio);
}

/* The bytes (Linux's folio_copy; highmem pages through kmap). */
static void folio_copy(struct folio *dst, struct folio *src)
{
	copy_highpage(&dst->page, &src->page);
}

void folio_migrate_copy(struct folio *newfolio, struct folio *folio)
{
	folio_copy(newfolio, folio);
	folio_migrate_flags(newfolio, folio);
}

/* Linux's __migrate_folio: copy, move the mapping, then the flags (and private data). */
static int __migrate_folio(struct address_space *mapping, struct folio *dst, struct folio *src,
			   bool move_private)
{
	int rc;

	folio_copy(dst, src);
	rc = folio_migrate_mapping(mapping, dst, src, 0);
	if (rc != MIGRATEPAGE_SUCCESS)
		return rc;
	if (move_private && ftest(src, PG_private)) {
		dst->page.private = src->page.private;
		fset(dst, PG_private);
	}
	folio_migrate_flags(dst, src);
	return MIGRATEPAGE_SUCCESS;
}

/**
 * migrate_folio - ->migrate_folio of mappings whose folios carry no
 * private data (anon, swap cache, shmem)
 * Return: 0 or -EAGAIN (an extra reference).
 */
int migrate_folio(struct address_space *mapping, struct folio *dst, struct folio *src,
		  enum migrate_mode mode)
{
	(void)mode;
	return __migrate_folio(mapping, dst, src, false);
}

/**
 * filemap_migrate_folio - ->migrate_folio of page-cache file systems
 * (mmfs): dirty folios move as they are, with their private data.
 */
int filemap_migrate_folio(struct address_space *mapping, struct folio *dst, struct folio *src,
			  enum migrate_mode mode)
{
	(void)mode;
	return __migrate_folio(mapping, dst, src, true);
}

/*
 * Write a dirty folio of a mapping that cannot migrate dirty folios
 * (Linux's writeout): the entries go back to src, the folio lock is
 * dropped for the file system's writepages, which cleans it and starts
 * writeback.  The attempt has failed either way: -EAGAIN, so the retry
 * finds the folio under writeback (waited for in MIGRATE_SYNC) or clean.
 */
static int writeout(struct address_space *mapping, struct folio *folio, bool was_mapped)
{
	struct writeback_control wbc = {
		.sync_mode = WB_SYNC_NONE,
		.nr_to_write = 1,
		.range_start = folio_pos(folio),
		.range_end = folio_pos(folio) + (loff_t)PAGE_SIZE - 1,
	};
	int rc;

	if (!mapping->a_ops || !mapping->a_ops->writepages)
		return -EINVAL;
	if (was_mapped)
		remove_migration_ptes(folio, folio, 0);
	folio_unlock(folio);
	rc = do_writepages(mapping, &wbc);
	folio_lock(folio);
	return rc < 0 ? -EIO : -EAGAIN;
}

/* Linux's fallback_migrate_folio: no ->migrate_folio. */
static int fallback_migrate_folio(struct address_space *mapping, struct folio *dst,
				  struct folio *src, enum migrate_mode mode, bool was_mapped)
{
	if (ftest(src, PG_dirty)) {
		if (mode != MIGRATE_SYNC)
			return -EBUSY;
		return writeout(mapping, src, was_mapped);
	}
	if (ftest(src, PG_private) && mapping->a_ops && mapping->a_ops->release_folio &&
	    !mapping->a_ops->release_folio(src, GFP_KERNEL))
		return mode == MIGRATE_SYNC ? -EAGAIN : -EBUSY;
	return migrate_folio(mapping, dst, src, mode);
}

/* Linux's move_to_new_folio: the mapping's own way, or the fallback. */
static int move_to_new_folio(struct folio *dst, struct folio *src, enum migrate_mode mode,
			     bool was_mapped)
{
	struct address_space *mapping = folio_mapping_of(src);
	int rc;

	WARN_ON_ONCE(!folio_test_locked(src) || !folio_test_locked(dst));
	if (!mapping)
		rc = migrate_folio(mapping, dst, src, mode);
	else if (mapping->a_ops && mapping->a_ops->migrate_folio)
		rc = mapping->a_ops->migrate_folio(mapping, dst, src, mode);
	else
		rc = fallback_migrate_folio(mapping, dst, src, mode, was_mapped);
	/* A page-cache folio's mapping goes; an anon one stays anon until freed. */
	if (rc == MIGRATEPAGE_SUCCESS &&
	    !((unsigned long)src->page.mapping & PAGE_MAPPING_FLAGS))
		__atomic_store_n(&src->page.mapping, NULL, __ATOMIC_RELEASE);
	return rc;
}

/* ---------------------------------------------------------------------
 * One folio
 */

static void isolated_stat(struct folio *folio, long nr)
{
	mod_node_page_state(page_pgdat(&folio->page),
			    folio_is_file_lru(folio) ? NR_ISOLATED_FILE : NR_ISOLATED_ANON, nr);
}

/* Linux's migrate_folio_done: our reference goes; a moved src is freed by it. */
static void migrate_folio_done(struct folio *src)
{
	isolated_stat(src, -1);
	put_page(&src->page);
}

/*
 * migrate_folio_one - move @src, which is on a caller's list; on success
 * it is off the list and freed.  Return: 0, -EAGAIN (try again), -ENOMEM
 * (no destination), or another -errno (give up on this folio).
 */
static int migrate_folio_one(new_folio_t get_new_folio, free_folio_t put_new_folio,
			     unsigned long private, struct folio *src, enum migrate_mode mode)
{
	struct anon_vma *anon_vma = NULL;
	bool was_mapped = false;
	struct folio *dst;
	int rc;

	if (page_ref_count(&src->page) == 1) {
		/* Freed from under us (only our isolation reference is left). */
		fclear(src, PG_active);
		fclear(src, PG_unevictable);
		lru_list_del(&src->page.lru);
		migrate_folio_done(src);
		return MIGRATEPAGE_SUCCESS;
	}
	dst = get_new_folio(src, private);
	if (!dst)
		return -ENOMEM;
	dst->page.private = 0;

	if (!folio_trylock(src)) {
		/*
		 * Direct compaction (PF_MEMALLOC) never sleeps on a folio lock:
		 * the allocating path may hold this very lock (a readahead
		 * batch's folios are locked until their I/O ends) -- Linux's rule.
		 */
		if (mode == MIGRATE_ASYNC || current_in_memalloc()) {
			rc = -EAGAIN;
			goto out_put_dst;
		}
		folio_lock(src);
	}
	if (ftest(src, PG_writeback)) {
		/* Only MIGRATE_SYNC waits: the others must not stall on I/O. */
		if (mode != MIGRATE_SYNC) {
			rc = -EBUSY;
			goto out_unlock_src;
		}
		folio_wait_writeback(src);
	}
	if (folio_test_anon(src))
		anon_vma = folio_get_anon_vma(src);
	if (!folio_trylock(dst)) {
		WARN_ON_ONCE(1);	/* Linux: __folio_set_locked on the new folio */
		rc = -EAGAIN;
		goto out_put_anon;
	}

	if (!src->page.mapping) {
		/* Truncated from under us, unmapped: migrate it as a bare page
		 * (Linux does; it is freed when our reference goes). */
		if (folio_mapped(src)) {
			rc = -EAGAIN;
			goto out_unlock_dst;
		}
	} else if (folio_mapped(src)) {
		/* An anon folio without a pinned anon_vma cannot be walked back. */
		if (folio_test_anon(src) && !anon_vma) {
			rc = -EAGAIN;
			goto out_unlock_dst;
		}
		try_to_migrate(src, mode == MIGRATE_ASYNC ? TTU_BATCH_FLUSH : 0);
		was_mapped = true;
	}

	if (folio_mapped(src))
		rc = -EAGAIN;		/* a PTE stayed: a busy lock or a pin */
	else
		rc = move_to_new_folio(dst, src, mode, was_mapped);

	if (rc == MIGRATEPAGE_SUCCESS) {
		/* To the LRU first, so that an mlocked dst goes to unevictable. */
		folio_add_lru(dst);
		if (was_mapped)
			remove_migration_ptes(src, dst, 0);
		folio_unlock(dst);
		put_page(&dst->page);	/* the allocation's: PTEs and cache hold it */
		lru_list_del(&src->page.lru);
		if (anon_vma)
			put_anon_vma(anon_vma);
		folio_unlock(src);
		migrate_folio_done(src);
		return MIGRATEPAGE_SUCCESS;
	}
	if (was_mapped)
		remove_migration_ptes(src, src, 0);
out_unlock_dst:
	folio_unlock(dst);
out_put_anon:
	if (anon_vma)
		put_anon_vma(anon_vma);
out_unlock_src:
	folio_unlock(src);
out_put_dst:
	if (put_new_folio)
		put_new_folio(dst, private);
	else
		put_page(&dst->page);
	return rc;
}

/* ---------------------------------------------------------------------
 * The list
 */

/*
 * try_split_folio - Linux's: split an isolated large folio so that its
 * pieces can be migrated one by one.  The pieces but the head join @split
 * (isolated, each with the reference and the NR_ISOLATED page the
 * isolater counted for it); the head, now order 0, stays where it was.
 * A PMD mapping is split into PTEs first (split_huge_page_to_list does
 * it through the rmap).  -EBUSY: pinned, or a lock was busy.
 */
static int try_split_folio(struct folio *folio, struct list_head *split, enum migrate_mode mode)
{
	int rc;

	if (!folio_trylock(folio)) {
		if (mode == MIGRATE_ASYNC || current_in_memalloc())
			return -EAGAIN;
		folio_lock(folio);
	}
	rc = split_folio_to_list(folio, split);
	folio_unlock(folio);
	return rc;
}

struct migrate_stats {
	unsigned long nr_ok, nr_failed_pages, nr_split;
	unsigned long nr_thp_failed;	/* THPs neither moved nor split (thp_migration_fail) */
	int nr_failed;
};

/*
 * Linux's migrate_pages_batch: the passes over @from.  A large folio is
 * split (its pieces go to @split, or stay on @from when @split is NULL,
 * i.e. the second round, which never meets a large folio); a hugetlb
 * folio is not moved (mmsim has no hugetlb migration).
 */
static int migrate_pages_batch(struct list_head *from, struct list_head *split,
			       new_folio_t get_new_folio, free_folio_t put_new_folio,
			       unsigned long private, enum migrate_mode mode,
			       struct list_head *ret_folios, struct migrate_stats *st)
{
	int retry = 1, rc = 0;
	unsigned long retry_pages = 0, retry_thp = 0;
	struct page *page, *next;

	for (int pass = 0; pass < NR_MAX_MIGRATE_PAGES_RETRY && retry; pass++) {
		retry = 0;
		retry_pages = 0;
		retry_thp = 0;
		list_for_each_entry_safe(page, next, from, lru) {
			struct folio *folio = page_folio(page);

			if (folio_test_large(folio)) {
				long nr = folio_nr_pages(folio);

				if (!folio_test_hugetlb(folio) && split &&
				    (rc = try_split_folio(folio, split, mode)) == 0) {
					/* The head is order 0 now: migrate it below. */
					st->nr_split++;
				} else if (!folio_test_hugetlb(folio) && split && rc == -EAGAIN) {
					retry++;
					retry_pages += (unsigned long)nr;
					retry_thp++;
					continue;
				} else {
					if (!folio_test_hugetlb(folio))
						st->nr_thp_failed++;
					st->nr_failed++;
					st->nr_failed_pages += (unsigned long)nr;
					lru_list_del(&folio->page.lru);
					lru_list_add_tail(&folio->page.lru, ret_folios);
					continue;
				}
			}
			rc = migrate_folio_one(get_new_folio, put_new_folio, private, folio, mode);
			switch (rc) {
			case MIGRATEPAGE_SUCCESS:
				st->nr_ok++;
				break;
			case -EAGAIN:
				retry++;
				retry_pages++;
				break;
			case -ENOMEM:
				st->nr_failed++;
				st->nr_failed_pages++;
				return -ENOMEM;
			default:
				/* Permanent failure (-EBUSY, -EIO, ...): keep it aside. */
				st->nr_failed++;
				st->nr_failed_pages++;
				lru_list_del(&folio->page.lru);
				lru_list_add_tail(&folio->page.lru, ret_folios);
				break;
			}
		}
	}
	st->nr_failed += retry;
	st->nr_failed_pages += retry_pages;
	st->nr_thp_failed += retry_thp;
	return 0;
}

/* Move what is left on @src to the tail of @dst (atomic links, as vmscan). */
static void splice_lru_tail(struct list_head *src, struct list_head *dst)
{
	while (!list_empty(src)) {
		struct page *page = list_first_entry(src, struct page, lru);

		lru_list_del(&page->lru);
		lru_list_add_tail(&page->lru, dst);
	}
}

/**
 * migrate_pages - move the isolated folios on @from (see <mmsim/migrate.h>)
 * @reason: an enum migrate_reason (recorded for tracing only)
 *
 * A large (THP) folio is split first and its order-0 pieces are migrated
 * in the same call (Linux's try_split_folio + split_folios list, since
 * mmsim has no PMD migration entries); one that cannot be split (pinned)
 * stays on @from, counted failed.  hugetlb folios are never moved.
 *
 * Return: the folios not moved (they stay on @from), or -ENOMEM when
 * @get_new_folio failed (the rest stay on @from too).
 */
int migrate_pages(struct list_head *from, new_folio_t get_new_folio, free_folio_t put_new_folio,
		  unsigned long private, enum migrate_mode mode, int reason,
		  unsigned int *nr_succeeded)
{
	struct migrate_stats st = { 0 };
	LIST_HEAD(ret_folios);
	LIST_HEAD(split_folios);
	int rc;

	(void)reason;
	rc = migrate_pages_batch(from, &split_folios, get_new_folio, put_new_folio, private, mode,
				 &ret_folios, &st);
	/* The pieces of the folios split above, in the same call. */
	if (!rc && !list_empty(&split_folios))
		rc = migrate_pages_batch(&split_folios, NULL, get_new_folio, put_new_folio,
					 private, mode, &ret_folios, &st);
	/* Put the failed folios (and unreached pieces) back on @from. */
	splice_lru_tail(&split_folios, from);
	splice_lru_tail(&ret_folios, from);
	if (st.nr_ok)
		count_vm_events(PGMIGRATE_SUCCESS, (long)st.nr_ok);
	if (st.nr_failed_pages)
		count_vm_events(PGMIGRATE_FAIL, (long)st.nr_failed_pages);
	/* THPs never move whole here (no PMD migration entries), so
	 * thp_migration_success stays 0; each split is thp_migration_split
	 * (and thp_split_page), each THP left behind thp_migration_fail. */
	if (st.nr_split)
		count_vm_events(THP_MIGRATION_SPLIT, (long)st.nr_split);
	if (st.nr_thp_failed)
		count_vm_events(THP_MIGRATION_FAIL, (long)st.nr_thp_failed);
	if (nr_succeeded)
		*nr_succeeded = (unsigned int)st.nr_ok;
	return rc ? rc : st.nr_failed;
}

/**
 * putback_movable_pages - the folios a migration left on @l go back to
 * their LRU, losing the isolation reference and their NR_ISOLATED count.
 */
void putback_movable_pages(struct list_head *l)
{
	while (!list_empty(l)) {
		struct page *page = list_first_entry(l, struct page, lru);
		struct folio *folio = page_folio(page);

		lru_list_del(&page->lru);
		isolated_stat(folio, -(long)folio_nr_pages_lru(folio));
		folio_putback_lru(folio);
	}
}

/*
 * isolate_movable_page - isolate a non-LRU movable page (Linux: zsmalloc,
 * balloon, z3fold pages with movable_operations).  mmsim has none, so no
 * page is one: false, the page untouched.
 */
bool isolate_movable_page(struct page *page, unsigned int mode)
{
	(void)page;
	(void)mode;
	return false;
}
