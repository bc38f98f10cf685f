// SPDX-License-Identifier: GPL-2.0
/*
 * mm/page-writeback.c - dirty pages: their accounting, writing them back
 * and throttling the tasks that dirty them (Linux's mm/page-writeback.c).
 *
 * Design.
 *   - The vm sysctls dirty_ratio (20), dirty_background_ratio (10),
 *     dirty_bytes, dirty_background_bytes (a ratio and its bytes exclude
 *     each other: writing one zeroes the other, as Linux's handlers),
 *     dirty_writeback_centisecs (500), dirty_expire_centisecs (3000),
 *     dirtytime_expire_seconds (43200), laptop_mode (0, shown in seconds)
 *     live in the writeback subsystem's state (mm/wb_internal.h).
 *   - global_dirty_limits: Linux's domain_dirty_limits on the global
 *     domain: dirtyable memory = free pages above totalreserve + the file
 *     LRU (- dirtyable highmem) + 1; thresh = dirty_bytes in pages (rounded
 *     up) or dirty_ratio% of it (ratio in 1/PAGE_SIZE units); bg_thresh
 *     likewise; bg_thresh >= thresh -> thresh / 2.  (The real-time bonus is
 *     left out: mmsim has no RT tasks.)
 *   - A folio gets dirty through ->dirty_folio (filemap_dirty_folio):
 *     PG_dirty, then under the mapping's xa_lock NR_FILE_DIRTY,
 *     NR_ZONE_WRITE_PENDING, NR_DIRTIED, WB_RECLAIMABLE, WB_DIRTIED and the
 *     PAGECACHE_TAG_DIRTY mark, then __mark_inode_dirty(I_DIRTY_PAGES).
 *     Writeback takes it back (folio_clear_dirty_for_io, write-protecting
 *     shared PTEs first as folio_mkclean does), __folio_start_writeback
 *     sets PG_writeback, NR_WRITEBACK, the writeback mark and clears
 *     TOWRITE; the bio's completion calls folio_end_writeback (NR_WRITTEN,
 *     WB_WRITTEN).  folio_wait_writeback lets virtual time pass to the
 *     disk's next completion while PG_writeback is set.
 *   - writeback_iter is Linux 6.10's loop (tagged for WB_SYNC_ALL and
 *     tagged_writepages, range_cyclic from writeback_index); mmsim's
 *     writeback_control has no folio batch, so the iterator holds a
 *     reference on the folio it returns and drops it when it is handed back.
 *     For WB_SYNC_NONE it only trylocks a folio (a busy one is skipped and
 *     stays dirty): the flusher runs on whatever thread advances the clock,
 *     which may hold a folio lock itself.
 *   - balance_dirty_pages_ratelimited: every task has nr_dirtied and
 *     nr_dirtied_pause (32 pages at 4K at first), per-CPU counters add up to
 *     ratelimit_pages = thresh / (CPUs * 32) (at least 16); then
 *     balance_dirty_pages: below the freerun ceiling (thresh + bg) / 2 the
 *     task goes on; else the flusher is kicked, and the task's rate is
 *     dirty_ratelimit * pos_ratio (Linux's cubic pos_ratio_polynom around
 *     setpoint = (freerun + limit) / 2, 0 at the limit); the pause is
 *     HZ * pages / rate minus the time since the last pause, bounded by
 *     wb_max_pause (<= MAX_PAUSE = HZ/5), skipped under wb_min_pause.  The
 *     pause is virtual time: mmsim_advance_clock, which completes I/O and
 *     runs the flusher.  Simplified: one wb per bdi, the global domain's
 *     pos_ratio only (no per-wb share), dirty_ratelimit follows the
 *     measured write bandwidth (a single dirtier's balanced rate).
 *   - Errors: address_space->wb_err is an errseq_t (errno in 12 bits, a
 *     SEEN bit, a counter above), as lib/errseq.c.
 *
 * Locking: the mapping's xa_lock around the dirty/writeback marks and the
 * counters changed with them; PG_dirty and PG_writeback change with atomic
 * bit operations; the folio lock is held for clear_dirty_for_io and
 * start_writeback.  Sysctl writes run under sysctl_lock.
 *
 * Invariants (for a mapping that can write back, with no writer between):
 *   PG_dirty  iff  PAGECACHE_TAG_DIRTY (except inside the two windows
 *     above, as Linux);  PG_writeback  iff  PAGECACHE_TAG_WRITEBACK
 *   sum over such folios of PG_dirty == NR_FILE_DIRTY (global)
 *   NR_ZONE_WRITE_PENDING == NR_FILE_DIRTY + NR_WRITEBACK
 *   bg_thresh < thresh whenever thresh > 1
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <mmsim/workqueue.h>
#include <mmsim/pagemap.h>
#include <mmsim/printk.h>
#include <mmsim/rmap.h>
#include <mmsim/sched.h>
#include <mmsim/sysctl.h>
#include <mmsim/seq_file.h>
#include <mmsim/tlbflush.h>
#include <mmsim/vmstat.h>
#include <mmsim/blkdev.h>
#include "init/init.h"
#include "init/machine.h"
#include "mm/internal.h"
#include "mm/fault_internal.h"
#include "mm/wb_internal.h"
#include "mm/lru_internal.h"

#define BANDWIDTH_INTERVAL	max_t(unsigned long, HZ / 5, 1)
#define MAX_ERRNO		4095
#define ERRSEQ_SEEN		(1 << 12)
#define ERRSEQ_CTR_INC		(1 << 13)

struct wb_state *wb_state_of(struct mmsim *m)
{
	return m && m->subsys_state ? subsys_state(m, writeback) : NULL;
}

struct wb_state *wb_state(void)
{
	return wb_state_of(current_machine());
}

/* --- the dirty limits -------------------------------------------------- */

/* Highmem that would count as dirtyable (vm.highmem_is_dirtyable = 0); 0 on 64-bit. */
static unsigned long highmem_dirtyable_memory(unsigned long total)
{
	unsigned long x = 0;
	int nid;

	for_each_online_node(nid) {
		struct zone *z = &NODE_DATA(nid)->node_zones[ZONE_HIGHMEM];
		unsigned long nr_pages;

		if (!z->configured || !populated_zone(z))
			continue;
		nr_pages = zone_page_state(z, NR_FREE_PAGES);
		nr_pages -= min(nr_pages, high_wmark_pages(z));
		nr_pages += zone_page_state(z, NR_ZONE_INACTIVE_FILE);
		nr_pages += zone_page_state(z, NR_ZONE_ACTIVE_FILE);
		x += nr_pages;
	}
	return min(x, total);
}

/**
 * global_dirtyable_memory - pages that may be dirty: free pages above the
 * reserves plus the file LRU, less dirtyable highmem, plus 1 (never 0).
 */
unsigned long global_dirtyable_memory(void)
{
	struct mmsim *m = current_machine();
	unsigned long x = global_zone_page_state(NR_FREE_PAGES);

	x -= min(x, READ_ONCE(m->totalreserve_pages));
	x += global_node_page_state(NR_INACTIVE_FILE);
	x += global_node_page_state(NR_ACTIVE_FILE);
	x -= highmem_dirtyable_memory(x);
	return x + 1;
}

static void domain_dirty_limits(struct wb_state *ws, unsigned long avail,
				unsigned long *pbg, unsigned long *pthresh)
{
	unsigned long bytes = READ_ONCE(ws->vm_dirty_bytes);
	unsigned long bg_bytes = READ_ONCE(ws->dirty_background_bytes);
	/* Ratios in 1/PAGE_SIZE units, for precision. */
	unsigned long ratio = (unsigned long)READ_ONCE(ws->vm_dirty_ratio) * PAGE_SIZE / 100;
	unsigned long bg_ratio = (unsigned long)READ_ONCE(ws->dirty_background_ratio) * PAGE_SIZE / 100;
	unsigned long thresh, bg_thresh;

	if (bytes)
		thresh = DIV_ROUND_UP(bytes, PAGE_SIZE);
	else
		thresh = ratio * avail / PAGE_SIZE;
	if (bg_bytes)
		bg_thresh = DIV_ROUND_UP(bg_bytes, PAGE_SIZE);
	else
		bg_thresh = bg_ratio * avail / PAGE_SIZE;
	if (thresh > UINT_MAX)
		thresh = UINT_MAX;
	if (bg_thresh >= thresh)
		bg_thresh = thresh / 2;
	*pbg = bg_thresh;
	*pthresh = thresh;
}

/**
 * global_dirty_limits - the background and the foreground dirty thresholds
 * in pages, as Linux's global_dirty_limits (what /proc/vmstat shows as
 * nr_dirty_background_threshold and nr_dirty_threshold).
 */
void global_dirty_limits(unsigned long *pbackground, unsigned long *pdirty)
{
	struct wb_state *ws = wb_state();

	if (!ws) {
		*pbackground = *pdirty = 0;
		return;
	}
	domain_dirty_limits(ws, global_dirtyable_memory(), pbackground, pdirty);
}

void get_dirty_sysctls(struct dirty_sysctls *out)
{
	struct wb_state *ws = wb_state();

	memset(out, 0, sizeof(*out));
	if (!ws)
		return;
	out->dirty_background_ratio = READ_ONCE(ws->dirty_background_ratio);
	out->vm_dirty_ratio = READ_ONCE(ws->vm_dirty_ratio);
	out->dirty_background_bytes = READ_ONCE(ws->dirty_background_bytes);
	out->vm_dirty_bytes = READ_ONCE(ws->vm_dirty_bytes);
	out->dirty_writeback_interval = READ_ONCE(ws->dirty_writeback_interval);
	out->dirty_expire_interval = READ_ONCE(ws->dirty_expire_interval);
}

/* ratelimit_pages: the per-CPU pages between two balance calls (Linux's). */
void writeback_set_ratelimit(void)
{
	struct wb_state *ws = wb_state();
	unsigned long bg, thresh, r;

	if (!ws)
		return;
	global_dirty_limits(&bg, &thresh);
	WRITE_ONCE(ws->dirty_limit, thresh);
	r = thresh / ((unsigned long)num_online_cpus() * 32);
	WRITE_ONCE(ws->ratelimit_pages, r < 16 ? 16 : r);
}

unsigned long wb_stat(struct bdi_writeback *wb, enum wb_stat_item item)
{
	long v = atomic_long_read(&wb->stat[item]);

	return v < 0 ? 0 : (unsigned long)v;
}

static void wb_stat_mod(struct bdi_writeback *wb, enum wb_stat_item item, long nr)
{
	atomic_long_add(nr, &wb->stat[item]);
}

/* Over the background threshold (Linux's wb_over_bg_thresh, global part). */
bool wb_over_bg_thresh(struct bdi_writeback *wb)
{
	unsigned long bg, thresh;

	(void)wb;
	global_dirty_limits(&bg, &thresh);
	return global_node_page_state(NR_FILE_DIRTY) > bg;
}

/* --- folio state changes ----------------------------------------------- */

static struct address_space *wb_folio_mapping(struct folio *folio)
{
	struct address_space *mapping = folio->page.mapping;

	if ((unsigned long)mapping & PAGE_MAPPING_FLAGS)
		return NULL;	/* anonymous */
	return mapping;
}

static bool folio_test_set_flag(struct folio *folio, int nr)
{
	return __atomic_fetch_or(&folio->page.flags, 1ul << nr, __ATOMIC_ACQ_REL) & (1ul << nr);
}

static bool folio_test_clear_flag(struct folio *folio, int nr)
{
	return __atomic_fetch_and(&folio->page.flags, ~(1ul << nr), __ATOMIC_ACQ_REL) & (1ul << nr);
}

static bool folio_test_flag(const struct folio *folio, int nr)
{
	return (__atomic_load_n(&folio->page.flags, __ATOMIC_ACQUIRE) >> nr) & 1;
}

static void folio_stat_mod(struct folio *folio, enum node_stat_item item, long nr)
{
	mod_node_page_state(NODE_DATA(page_to_nid(&folio->page)), item, nr);
}

static void folio_write_pending_mod(struct folio *folio, long nr)
{
	mod_zone_page_state(page_zone(&folio->page), NR_ZONE_WRITE_PENDING, nr);
}

static void folio_account_dirtied(struct folio *folio, struct address_space *mapping)
{
	struct inode *inode = mapping->host;
	struct task_struct *tsk = current;
	struct wb_state *ws;

	if (!inode || !mapping_can_writeback(mapping))
		return;
	folio_stat_mod(folio, NR_FILE_DIRTY, 1);
	folio_write_pending_mod(folio, 1);
	folio_stat_mod(folio, NR_DIRTIED, 1);
	wb_stat_mod(inode_to_wb(inode), WB_RECLAIMABLE, 1);
	wb_stat_mod(inode_to_wb(inode), WB_DIRTIED, 1);
	if (tsk)
		tsk->nr_dirtied++;
	ws = wb_state();
	if (ws && current_cpu)
		__atomic_fetch_add(&ws->bdp_ratelimits[current_cpu->id % WB_MAX_CPUS], 1,
				   __ATOMIC_RELAXED);
}

void folio_account_cleaned(struct folio *folio, struct bdi_writeback *wb)
{
	folio_stat_mod(folio, NR_FILE_DIRTY, -1);
	folio_write_pending_mod(folio, -1);
	wb_stat_mod(wb, WB_RECLAIMABLE, -1);
}

/**
 * filemap_dirty_folio - ->dirty_folio of most file systems
 * Return: true if the folio was clean (and is now dirty, counted, tagged,
 * and its inode I_DIRTY_PAGES).
 */
bool filemap_dirty_folio(struct address_space *mapping, struct folio *folio)
{
	if (folio_test_set_flag(folio, PG_dirty))
		return false;
	xa_lock(&mapping->i_pages);
	if (folio->page.mapping) {	/* not truncated meanwhile */
		WARN_ON_ONCE(!folio_test_flag(folio, PG_uptodate) &&
			     !folio_test_flag(folio, PG_private));
		folio_account_dirtied(folio, mapping);
		__xa_set_mark(&mapping->i_pages, folio->page.index, PAGECACHE_TAG_DIRTY);
	}
	xa_unlock(&mapping->i_pages);
	if (mapping->host)
		__mark_inode_dirty(mapping->host, I_DIRTY_PAGES);
	return true;
}

bool folio_mark_dirty(struct folio *folio)
{
	struct address_space *mapping = wb_folio_mapping(folio);

	if (mapping) {
		folio_test_clear_flag(folio, PG_reclaim);
		if (mapping->a_ops && mapping->a_ops->dirty_folio)
			return mapping->a_ops->dirty_folio(mapping, folio);
		return filemap_dirty_folio(mapping, folio);
	}
	return !folio_test_set_flag(folio, PG_dirty);	/* noop_dirty_folio */
}

bool folio_mark_dirty_lock(struct folio *folio)
{
	bool ret;

	folio_lock(folio);
	ret = folio_mark_dirty(folio);
	folio_unlock(folio);
	return ret;
}

/* Write-protect and clean the PTEs of shared mappings (Linux's page_mkclean_one). */
static bool mkclean_one(struct folio *folio, struct vm_area_struct *vma, unsigned long address,
			void *arg)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl = pte_lockptr(mm);
	int *cleaned = arg;
	pte_t *ptep, entry;

	if (!(vma->vm_flags & VM_SHARED))
		return true;
	spin_lock(ptl);
	ptep = page_vma_mapped_pte(mm, address, page_to_pfn(&folio->page));
	if (ptep) {
		entry = ptep_get(ptep);
		if (pte_dirty(entry) || pte_write(entry)) {
			entry = ptep_get_and_clear(mm, address, ptep);
			flush_tlb_page(vma, address);
			entry = pte_mkclean(pte_wrprotect(entry));
			set_pte_at(mm, address, ptep, entry);
			(*cleaned)++;
		}
	}
	spin_unlock(ptl);
	return true;
}

static int folio_mkclean(struct folio *folio)
{
	int cleaned = 0;
	struct rmap_walk_control rwc = { .arg = &cleaned, .rmap_one = mkclean_one };

	if (!folio_mapped(folio) || !wb_folio_mapping(folio))
		return 0;
	rmap_walk(folio, &rwc);
	return cleaned;
}

bool folio_clear_dirty_for_io(struct folio *folio)
{
	struct address_space *mapping = wb_folio_mapping(folio);

	WARN_ON_ONCE(!folio_test_locked(folio));
	if (mapping && mapping->host && mapping_can_writeback(mapping)) {
		if (folio_mkclean(folio))
			folio_mark_dirty(folio);
		if (folio_test_clear_flag(folio, PG_dirty)) {
			folio_account_cleaned(folio, inode_to_wb(mapping->host));
			return true;
		}
		return false;
	}
	return folio_test_clear_flag(folio, PG_dirty);
}

bool folio_redirty_for_writepage(struct writeback_control *wbc, struct folio *folio)
{
	struct address_space *mapping = wb_folio_mapping(folio);
	bool ret;

	wbc->pages_skipped++;
	ret = folio_mark_dirty(folio);
	if (mapping && mapping->host && mapping_can_writeback(mapping)) {
		/* The dirtying was counted again: take that back (Linux does). */
		struct bdi_writeback *wb = inode_to_wb(mapping->host);

		folio_stat_mod(folio, NR_DIRTIED, -1);
		wb_stat_mod(wb, WB_DIRTIED, -1);
		if (current)
			current->nr_dirtied--;
	}
	return ret;
}

void __folio_start_writeback(struct folio *folio, bool keep_write)
{
	struct address_space *mapping = wb_folio_mapping(folio);

	WARN_ON_ONCE(!folio_test_locked(folio));
	if (mapping && mapping->host) {
		struct inode *inode = mapping->host;
		pgoff_t index = folio->page.index;

		xa_lock(&mapping->i_pages);
		WARN_ON_ONCE(folio_test_set_flag(folio, PG_writeback));
		__xa_set_mark(&mapping->i_pages, index, PAGECACHE_TAG_WRITEBACK);
		if (inode_to_bdi(inode)->capabilities & BDI_CAP_WRITEBACK_ACCT)
			wb_stat_mod(inode_to_wb(inode), WB_WRITEBACK, 1);
		if (!folio_test_flag(folio, PG_dirty))
			__xa_clear_mark(&mapping->i_pages, index, PAGECACHE_TAG_DIRTY);
		if (!keep_write)
			__xa_clear_mark(&mapping->i_pages, index, PAGECACHE_TAG_TOWRITE);
		xa_unlock(&mapping->i_pages);
	} else {
		WARN_ON_ONCE(folio_test_set_flag(folio, PG_writeback));
	}
	folio_stat_mod(folio, NR_WRITEBACK, 1);
	folio_write_pending_mod(folio, 1);
}

void folio_end_writeback(struct folio *folio)
{
	struct address_space *mapping = wb_folio_mapping(folio);

	if (WARN_ON_ONCE(!folio_test_flag(folio, PG_writeback)))
		return;
	get_page(&folio->page);
	if (mapping && mapping->host) {
		struct inode *inode = mapping->host;

		xa_lock(&mapping->i_pages);
		folio_test_clear_flag(folio, PG_writeback);
		__xa_clear_mark(&mapping->i_pages, folio->page.index, PAGECACHE_TAG_WRITEBACK);
		if (inode_to_bdi(inode)->capabilities & BDI_CAP_WRITEBACK_ACCT) {
			wb_stat_mod(inode_to_wb(inode), WB_WRITEBACK, -1);
			wb_stat_mod(inode_to_wb(inode), WB_WRITTEN, 1);
		}
		xa_unlock(&mapping->i_pages);
	} else {
		folio_test_clear_flag(folio, PG_writeback);
	}
	folio_stat_mod(folio, NR_WRITEBACK, -1);
	folio_write_pending_mod(folio, -1);
	folio_stat_mod(folio, NR_WRITTEN, 1);
	/* Reclaim wanted it: to the inactive tail for the next scan (mm/swap.c). */
	if (folio_test_clear_flag(folio, PG_reclaim))
		folio_rotate_reclaimable(folio);
	put_page(&folio->page);
}

/*
 * Let virtual time pass until PG_writeback clears: the disk's next
 * completion each time (io_schedule).  With nothing queued on the disk,
 * the bio is still in another thread's plug: give that thread the CPU.
 */
void folio_wait_writeback(struct folio *folio)
{
	struct mmsim *m = current_machine();
	unsigned int idle = 0;

	while (folio_test_flag(folio, PG_writeback)) {
		u64 t = m ? blk_machine_next_completion(m) : 0;
		u64 now = m ? atomic_load(&m->hw.clock_ns) : 0;

		if (t) {
			io_wait_advance_clock(m, t > now ? t - now : 0);
			idle = 0;
			continue;
		}
		if (++idle > 1000000) {
			WARN_ONCE(1, "folio_wait_writeback: no I/O in flight for a folio under writeback\n");
			return;
		}
		sched_yield();
	}
}

void folio_wait_stable(struct folio *folio)
{
	folio_wait_writeback(folio);	/* every bdi asks for stable pages here */
}

/**
 * mapping_dirty_is_valid - for every folio of @mapping: PG_dirty iff the
 * DIRTY mark, PG_writeback iff the WRITEBACK mark, TOWRITE only on dirty
 * ones.  Call with no writer of the mapping running.
 * Return: false with a log line naming the first bad index.
 */
bool mapping_dirty_is_valid(struct address_space *mapping)
{
	XA_STATE(xas, &mapping->i_pages, 0);
	bool ok = true;
	void *entry;

	xa_lock(&mapping->i_pages);
	for (entry = xas_find(&xas, ULONG_MAX); entry; entry = xas_find(&xas, ULONG_MAX)) {
		struct folio *folio = entry;
		bool dirty, wb, tdirty, twb, ttowrite;

		if (xa_is_value(entry))
			continue;
		dirty = folio_test_flag(folio, PG_dirty);
		wb = folio_test_flag(folio, PG_writeback);
		tdirty = xas_get_mark(&xas, PAGECACHE_TAG_DIRTY);
		twb = xas_get_mark(&xas, PAGECACHE_TAG_WRITEBACK);
		ttowrite = xas_get_mark(&xas, PAGECACHE_TAG_TOWRITE);
		if (dirty != tdirty || wb != twb || (ttowrite && !tdirty)) {
			pr_err("mapping %p index %lu: dirty %d/%d writeback %d/%d towrite %d\n",
			       (void *)mapping, (unsigned long)xas.xa_index, dirty, tdirty, wb,
			       twb, ttowrite);
			ok = false;
			break;
		}
	}
	xa_unlock(&mapping->i_pages);
	return ok;
}

/* --- writeback_iter and the writepages helpers ------------------------- */

static pgoff_t wbc_end(const struct writeback_control *wbc)
{
	if (wbc->range_cyclic)
		return (pgoff_t)-1;
	return (pgoff_t)(wbc->range_end >> PAGE_SHIFT);
}

static void tag_pages_for_writeback(struct address_space *mapping, pgoff_t start, pgoff_t end)
{
	XA_STATE(xas, &mapping->i_pages, start);
	void *entry;

	xa_lock(&mapping->i_pages);
	for (entry = xas_find_marked(&xas, end, PAGECACHE_TAG_DIRTY); entry;
	     entry = xas_find_marked(&xas, end, PAGECACHE_TAG_DIRTY))
		xas_set_mark(&xas, PAGECACHE_TAG_TOWRITE);
	xa_unlock(&mapping->i_pages);
}

/* The next folio tagged @tag at [*index, end], referenced; *index moves past it. */
static struct folio *next_tagged_folio(struct address_space *mapping, pgoff_t *index,
				       pgoff_t end, xa_mark_t tag)
{
	XA_STATE(xas, &mapping->i_pages, *index);
	struct folio *folio = NULL;
	void *entry;

	if (*index > end)
		return NULL;
	xa_lock(&mapping->i_pages);
	entry = xas_find_marked(&xas, end, tag);
	if (entry && !xa_is_value(entry)) {
		folio = entry;
		get_page(&folio->page);
		*index = folio->page.index + 1;
		if (!*index)
			*index = (pgoff_t)-1;	/* wrapped: nothing after the last index */
	}
	xa_unlock(&mapping->i_pages);
	return folio;
}

/* Linux's folio_prepare_writeback: false if someone else wrote it or it went away. */
static bool folio_prepare_writeback(struct address_space *mapping, struct writeback_control *wbc,
				    struct folio *folio)
{
	if (folio->page.mapping != mapping)
		return false;
	if (!folio_test_flag(folio, PG_dirty))
		return false;
	if (folio_test_flag(folio, PG_writeback)) {
		if (wbc->sync_mode == WB_SYNC_NONE)
			return false;
		folio_wait_writeback(folio);
	}
	return folio_clear_dirty_for_io(folio);
}

static struct folio *writeback_get_folio(struct address_space *mapping,
					 struct writeback_control *wbc)
{
	xa_mark_t tag = (wbc->sync_mode == WB_SYNC_ALL || wbc->tagged_writepages) ?
			PAGECACHE_TAG_TOWRITE : PAGECACHE_TAG_DIRTY;
	struct folio *folio;

	for (;;) {
		folio = next_tagged_folio(mapping, &wbc->index, wbc_end(wbc), tag);
		if (!folio)
			return NULL;
		if (wbc->sync_mode == WB_SYNC_NONE) {
			if (!folio_trylock(folio)) {
				wbc->pages_skipped++;
				put_page(&folio->page);
				continue;
			}
		} else {
			folio_lock(folio);
		}
		if (folio_prepare_writeback(mapping, wbc, folio))
			return folio;
		folio_unlock(folio);
		put_page(&folio->page);
	}
}

/**
 * writeback_iter - the next dirty folio of @mapping to write, locked
 * @folio: NULL at first, then the folio the caller just wrote
 * @error: the caller's error for @folio; the first one is returned at the end
 *
 * Use: while ((folio = writeback_iter(mapping, wbc, folio, &error)))
 *          error = write_one(folio);
 * Return: a locked folio with PG_dirty cleared (its reference is the
 * iterator's, dropped at the next call), or NULL when done.
 */
struct folio *writeback_iter(struct address_space *mapping, struct writeback_control *wbc,
			     struct folio *folio, int *error)
{
	if (!folio) {
		wbc->err = *error = 0;
		if (wbc->range_cyclic)
			wbc->index = mapping->writeback_index;
		else
			wbc->index = (pgoff_t)(wbc->range_start >> PAGE_SHIFT);
		if (wbc->sync_mode == WB_SYNC_ALL || wbc->tagged_writepages)
			tag_pages_for_writeback(mapping, wbc->index, wbc_end(wbc));
	} else {
		pgoff_t next = folio->page.index + 1;

		wbc->nr_to_write--;
		put_page(&folio->page);
		WARN_ON_ONCE(*error > 0);
		if (wbc->sync_mode == WB_SYNC_ALL) {
			if (*error && !wbc->err)
				wbc->err = *error;
		} else if (*error || wbc->nr_to_write <= 0) {
			if (wbc->range_cyclic)
				mapping->writeback_index = next;
			return NULL;
		}
	}
	folio = writeback_get_folio(mapping, wbc);
	if (!folio) {
		if (wbc->range_cyclic)
			mapping->writeback_index = 0;
		*error = wbc->err;
		return NULL;
	}
	return folio;
}

int write_cache_pages(struct address_space *mapping, struct writeback_control *wbc,
		      writepage_t writepage, void *data)
{
	struct folio *folio = NULL;
	int error = 0;

	while ((folio = writeback_iter(mapping, wbc, folio, &error)))
		error = writepage(folio, wbc, data);
	return error;
}

int do_writepages(struct address_space *mapping, struct writeback_control *wbc)
{
	struct bdi_writeback *wb;
	int ret = 0;

	if (wbc->nr_to_write <= 0)
		return 0;
	wb = mapping->host ? inode_to_wb(mapping->host) : NULL;
	if (mapping->a_ops && mapping->a_ops->writepages)
		ret = mapping->a_ops->writepages(mapping, wbc);
	if (wb && time_is_before_jiffies(READ_ONCE(wb->bw_time_stamp) + BANDWIDTH_INTERVAL))
		wb_update_bandwidth(wb);
	return ret;
}

static int __filemap_fdatawrite_range(struct address_space *mapping, loff_t start, loff_t end,
				      enum writeback_sync_modes mode)
{
	struct writeback_control wbc = {
		.sync_mode = mode,
		.nr_to_write = LONG_MAX,
		.range_start = start,
		.range_end = end,
	};

	if (!mapping->host || !mapping_can_writeback(mapping) ||
	    !wb_mapping_tagged(mapping, PAGECACHE_TAG_DIRTY))
		return 0;
	return do_writepages(mapping, &wbc);
}

int filemap_fdatawrite_range(struct address_space *mapping, loff_t start, loff_t end)
{
	return __filemap_fdatawrite_range(mapping, start, end, WB_SYNC_ALL);
}

int filemap_fdatawrite(struct address_space *mapping)
{
	return __filemap_fdatawrite_range(mapping, 0, LLONG_MAX, WB_SYNC_ALL);
}

int filemap_flush(struct address_space *mapping)
{
	return __filemap_fdatawrite_range(mapping, 0, LLONG_MAX, WB_SYNC_NONE);
}

static void __filemap_fdatawait_range(struct address_space *mapping, loff_t start, loff_t end)
{
	pgoff_t index = (pgoff_t)(start >> PAGE_SHIFT), last = (pgoff_t)(end >> PAGE_SHIFT);
	struct folio *folio;

	if (end < start)
		return;
	while ((folio = next_tagged_folio(mapping, &index, last, PAGECACHE_TAG_WRITEBACK))) {
		folio_wait_writeback(folio);
		put_page(&folio->page);
		if (index == (pgoff_t)-1)
			break;
	}
}

int filemap_check_errors(struct address_space *mapping)
{
	int ret = 0;

	if (__atomic_fetch_and(&mapping->flags, ~(1ul << AS_ENOSPC), __ATOMIC_ACQ_REL) &
	    (1ul << AS_ENOSPC))
		ret = -ENOSPC;
	if (__atomic_fetch_and(&mapping->flags, ~(1ul << AS_EIO), __ATOMIC_ACQ_REL) &
	    (1ul << AS_EIO))
		ret = -EIO;
	return ret;
}

int filemap_fdatawait_range(struct address_space *mapping, loff_t start, loff_t end)
{
	__filemap_fdatawait_range(mapping, start, end);
	return filemap_check_errors(mapping);
}

/*
 * The common part of filemap_write_and_wait_range and
 * file_write_and_wait_range: write [lstart, lend] out (WB_SYNC_ALL) and,
 * unless that failed with -EIO, wait for it; the write's error (the
 * callers then check the mapping's errors each in its own way).
 */
static int __filemap_write_and_wait_range(struct address_space *mapping, loff_t lstart,
					  loff_t lend)
{
	int err = 0;

	if (atomic_long_read(&mapping->nrpages)) {	/* mapping_needs_writeback */
		err = __filemap_fdatawrite_range(mapping, lstart, lend, WB_SYNC_ALL);
		if (err != -EIO)
			__filemap_fdatawait_range(mapping, lstart, lend);
	}
	return err;
}

int filemap_write_and_wait_range(struct address_space *mapping, loff_t lstart, loff_t lend)
{
	int err, err2;

	if (lend < lstart)
		return 0;
	err = __filemap_write_and_wait_range(mapping, lstart, lend);
	err2 = filemap_check_errors(mapping);
	return err ? err : err2;
}

/* errseq_set: record @err; the counter moves only if the last one was seen. */
static void errseq_set(int *eseq, int err)
{
	int old = __atomic_load_n(eseq, __ATOMIC_ACQUIRE), new;

	if (WARN(err == 0 || -err > MAX_ERRNO, "err = %d\n", err))
		return;
	do {
		new = (old & ~(MAX_ERRNO | ERRSEQ_SEEN)) | -err;
		if (old & ERRSEQ_SEEN)
			new += ERRSEQ_CTR_INC;
		if (new == old)
			return;
	} while (!__atomic_compare_exchange_n(eseq, &old, new, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
}

void mapping_set_error(struct address_space *mapping, int error)
{
	if (!error)
		return;
	errseq_set(&mapping->wb_err, error);
	__atomic_fetch_or(&mapping->flags, 1ul << (error == -ENOSPC ? AS_ENOSPC : AS_EIO),
			  __ATOMIC_ACQ_REL);
}

int file_check_and_advance_wb_err(struct file *file)
{
	struct address_space *mapping = file->f_mapping;
	int old = __atomic_load_n(&mapping->wb_err, __ATOMIC_ACQUIRE), err = 0;

	if (old != __atomic_load_n(&file->f_wb_err, __ATOMIC_ACQUIRE)) {
		int new = old | ERRSEQ_SEEN;

		if (new != old)
			__atomic_compare_exchange_n(&mapping->wb_err, &old, new, false,
						    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
		__atomic_store_n(&file->f_wb_err, new, __ATOMIC_RELEASE);
		err = -(new & MAX_ERRNO);
	}
	__atomic_fetch_and(&mapping->flags, ~((1ul << AS_EIO) | (1ul << AS_ENOSPC)),
			   __ATOMIC_ACQ_REL);
	return err;
}

int file_write_and_wait_range(struct file *file, loff_t lstart, loff_t lend)
{
	int err, err2;

	if (lend < lstart)
		return 0;
	err = __filemap_write_and_wait_range(file->f_mapping, lstart, lend);
	err2 = file_check_and_advance_wb_err(file);
	return err ? err : err2;
}
