// SPDX-License-Identifier: GPL-2.0
/*
 * mm/hugetlb.c - the hugetlb page pools, their reservations and the
 * objects that huge mappings map (Linux's mm/hugetlb.c pool half and
 * fs/hugetlbfs/inode.c; Documentation/admin-guide/mm/hugetlbpage.rst).
 * The page-table side (fault, unmap, fork, mprotect, GUP) is in
 * mm/hugetlb_fault.c; boot parameters and files in mm/hugetlb_files.c.
 *
 * Pools.  One struct hstate per size.  A pool folio is a compound page of
 * the hstate's order whose head carries the PG_hugetlb page type.  Free
 * folios (refcount 0) wait on hugepage_freelists[nid] (head->lru);
 * handed-out ones (refcount >= 1) are on no list: their head's lru word is
 * also compound_head, which put_page reads without hugetlb_lock, so no
 * list of in-use folios may link through it (Linux keeps an active list
 * there and lets KCSAN know the race is benign).  The pool grows by buddy
 * allocations of the huge order (alloc_pool_huge_folio: __GFP_COMP |
 * __GFP_THISNODE | __GFP_RETRY_MAYFAIL, round robin over the nodes,
 * htlb_buddy_alloc_success/fail) or, for gigantic sizes (order >
 * MAX_PAGE_ORDER), at boot from memblock (hugetlb_bootmem_alloc) and at
 * run time from the contiguous allocator (alloc_gigantic_page ->
 * alloc_contig_pages, mm/page_contig.c, which migrates movable pages away).
 * Shrinking frees free folios back to the buddy allocator; folios in use
 * past the new size become surplus (set_max_huge_pages, Linux's).
 *
 * Surplus.  With nr_overcommit_hugepages > 0 the pool may hold up to that
 * many folios past nr_hugepages (surplus_huge_pages), allocated when a
 * reservation or a fault needs one and freed to the buddy allocator when
 * they come back (free_huge_folio) or stop being needed
 * (return_unused_surplus_pages).
 *
 * Reservations (Linux's resv_huge_pages).  A mapping reserves the pages it
 * may fault at mmap time (hugetlb_reserve_pages): hugetlb_acct_memory
 * raises resv_huge_pages, first growing the pool by surplus pages when
 * free - resv is short (gather_surplus_pages), or fails with -ENOMEM.  A
 * fault of a reserved index takes a free folio and lowers resv by one; a
 * fault elsewhere (MAP_NORESERVE, a fork child of a private mapping) takes
 * only what is unreserved (free - resv) or a new surplus page, and gets
 * SIGBUS when there is none.  Which indices hold a reservation is the
 * object's bitmap (struct hugetlb_obj, mm/hugetlb_internal.h): shared
 * objects keep theirs until they go; a private mapping's owner VMA gives
 * the bits of its range back when it is unmapped (hugetlb_vm_op_close).
 *
 * Objects.  MAP_HUGETLB and SHM_HUGETLB map a struct hugetlb_obj through
 * its own struct file (hugetlb_file_setup; Linux's anonymous hugetlbfs
 * inode, named "/anon_hugepage" or "/SYSV%08x" in /proc/PID/maps, shown
 * deleted).  A shared object's pages live in its page cache (pages[]).
 *
 * Locking: hugetlb_lock (struct hugetlb_state.lock, a spinlock) guards all
 * of the above; it is never held across a page allocation, a zeroing or a
 * free to the buddy allocator.  See mm/hugetlb_internal.h for the order.
 *
 * Invariants (hugetlb_pool_is_valid, called by the stress tests):
 *   for each hstate: free_huge_pages == sum of the free lists' lengths ==
 *   sum of free_huge_pages_node; nr_huge_pages == sum of
 *   nr_huge_pages_node; surplus <= nr; surplus_node <= nr_node; resv <=
 *   free; every folio on a free list is a PG_hugetlb head of the right
 *   order and node, refcount 0, entire mapcount 0, never PageBuddy nor
 *   PageLRU.  (The folios in use are checked from the leaves that map
 *   them: mm/hugetlb_fault.c.)
 */
#include <stdio.h>
#include <string.h>
#include <mmsim/highmem.h>
#include <mmsim/vmstat.h>
#include <mmsim/memblock.h>
#include <mmsim/slab.h>
#include <mmsim/fcntl.h>
#include <mmsim/mman.h>
#include "mm/hugetlb_internal.h"
#include "mm/internal.h"
#include "init/init.h"
#include "init/machine.h"

struct hugetlb_state *hugetlb_state(void)
{
	return subsys_state(current_machine(), hugetlb);
}

void hugetlb_lock_acquire(void)
{
	spin_lock(&hugetlb_state()->lock);
}

void hugetlb_lock_release(void)
{
	spin_unlock(&hugetlb_state()->lock);
}

/* ---------------------------------------------------------------------
 * hstates
 */

struct hstate *hstate_array(int *nr)
{
	struct hugetlb_state *hs = hugetlb_state();

	*nr = hs->ready ? hs->nr_hstates : 0;
	return hs->hstates;
}

struct hstate *default_hstate(void)
{
	struct hugetlb_state *hs = hugetlb_state();

	return hs->ready && hs->nr_hstates ? &hs->hstates[hs->default_idx] : NULL;
}

unsigned long huge_page_size_default(void)
{
	struct hstate *h = default_hstate();

	return h ? huge_page_size(h) : 0;
}

struct hstate *size_to_hstate(unsigned long size)
{
	int nr;
	struct hstate *h = hstate_array(&nr);

	for (int i = 0; i < nr; i++)
		if (huge_page_size(&h[i]) == size)
			return &h[i];
	return NULL;
}

struct hstate *hstate_vma(const struct vm_area_struct *vma)
{
	return vma_hugetlb_obj(vma)->h;
}

/* string_get_size(size, 1, STRING_UNITS_2): three significant digits
 * ("2.00 MiB", "32.0 MiB", "512 MiB", "1.00 GiB"); sizes here are powers
 * of two, so the fraction is always zero. */
void hugetlb_size_string(unsigned long bytes, char *buf, size_t len)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (bytes >= 1024 && u < 4) {
		bytes >>= 10;
		u++;
	}
	snprintf(buf, len, bytes >= 100 ? "%lu %s" : bytes >= 10 ? "%lu.0 %s" : "%lu.00 %s", bytes,
		 units[u]);
}

static void hstate_init_one(struct hstate *h, unsigned int order, int level)
{
	memset(h, 0, sizeof(*h));
	h->order = order;
	h->level = level;
	h->gigantic = order > MAX_PAGE_ORDER;
	snprintf(h->name, sizeof(h->name), "hugepages-%lukB", (PAGE_SIZE << order) >> 10);
	for (int nid = 0; nid < MAX_NUMNODES; nid++)
		INIT_LIST_HEAD(&h->hugepage_freelists[nid]);
}

/*
 * hugetlb_init_hstates - the sizes of the machine's geometry, smallest
 * first (arm64's contiguous PTE runs, PMD leaves, arm64's contiguous PMD
 * runs, PUD leaves where the arch has them), and the default one
 * (default_hugepagesz=, else the PMD size).
 */
int hugetlb_init_hstates(struct hugetlb_state *hs, char *err, size_t len)
{
	const struct pgtable_geom *g = pgt_geom();

	spin_lock_init(&hs->lock);
	pthread_mutex_init(&hs->fault_mutex, NULL);
	hs->nr_hstates = 0;
	hs->default_idx = 0;
	/* arm64: runs of CONT_PTES PTEs / CONT_PMDS blocks (hugetlbpage_init) */
	if (g->cont_pte_shift)
		hstate_init_one(&hs->hstates[hs->nr_hstates++], CONT_PTE_SHIFT - PAGE_SHIFT,
				PGT_PTE);
	if (g->pmd_leaf) {
		hs->default_idx = hs->nr_hstates;	/* HPAGE_SIZE */
		hstate_init_one(&hs->hstates[hs->nr_hstates++], PMD_SHIFT - PAGE_SHIFT, PGT_PMD);
	}
	if (g->cont_pmd_shift)
		hstate_init_one(&hs->hstates[hs->nr_hstates++], CONT_PMD_SHIFT - PAGE_SHIFT,
				PGT_PMD);
	if (g->pud_leaf)
		hstate_init_one(&hs->hstates[hs->nr_hstates++], PUD_SHIFT - PAGE_SHIFT, PGT_PUD);
	hs->ready = true;
	if (hs->default_size_param) {
		struct hstate *h = NULL;

		for (int i = 0; i < hs->nr_hstates; i++)
			if (huge_page_size(&hs->hstates[i]) == hs->default_size_param)
				h = &hs->hstates[i];
		if (!h) {
			snprintf(err, len, "'default_hugepagesz=%luK': unsupported huge page size",
				 hs->default_size_param >> 10);
			return -EINVAL;
		}
		hs->default_idx = (int)(h - hs->hstates);
	}
	for (int i = 0; i < hs->nr_params; i++)
		if (hs->params[i].size) {
			bool ok = false;

			for (int j = 0; j < hs->nr_hstates; j++)
				ok |= huge_page_size(&hs->hstates[j]) == hs->params[i].size;
			if (!ok) {
				snprintf(err, len, "'hugepagesz=%luK': unsupported huge page size",
					 hs->params[i].size >> 10);
				return -EINVAL;
			}
		}
	return 0;
}

/* ---------------------------------------------------------------------
 * Folios of the pool
 */

static void folio_set_hugetlb(struct folio *folio)
{
	struct page *head = &folio->page;

	page_type_write(head, page_type_read(head) & ~PG_hugetlb);
	atomic_store_explicit(&head[1]._entire_mapcount, -1, memory_order_relaxed);
	atomic_store_explicit(&head[1]._large_mapcount, -1, memory_order_relaxed);
	INIT_LIST_HEAD(&head->lru);
}

static void folio_clear_hugetlb(struct folio *folio)
{
	struct page *head = &folio->page;

	page_type_write(head, 0xffffffffu);	/* page_mapcount_reset */
	atomic_store_explicit(&head[1]._entire_mapcount, -1, memory_order_relaxed);
	atomic_store_explicit(&head[1]._large_mapcount, -1, memory_order_relaxed);
	head->mapping = NULL;
}

/* A new folio joins the pool (Linux's __prep_new_hugetlb_folio + account). */
static void prep_new_hugetlb_folio(struct hstate *h, struct folio *folio, int nid)
{
	folio_set_hugetlb(folio);
	h->nr_huge_pages++;
	h->nr_huge_pages_node[nid]++;
}

static void enqueue_hugetlb_folio(struct hstate *h, struct folio *folio)
{
	int nid = page_to_nid(&folio->page);

	set_page_count(&folio->page, 0);
	list_move(&folio->page.lru, &h->hugepage_freelists[nid]);
	h->free_huge_pages++;
	h->free_huge_pages_node[nid]++;
}

static struct folio *dequeue_hugetlb_folio_node(struct hstate *h, int nid)
{
	struct folio *folio;

	if (list_empty(&h->hugepage_freelists[nid]))
		return NULL;
	folio = list_first_entry(&h->hugepage_freelists[nid], struct folio, page.lru);
	list_del_init(&folio->page.lru);
	set_page_count(&folio->page, 1);
	h->free_huge_pages--;
	h->free_huge_pages_node[nid]--;
	return folio;
}

/* The local node first, then the others in order (the zonelist's order). */
static struct folio *dequeue_hugetlb_folio(struct hstate *h)
{
	int nodes = num_online_nodes(), local = numa_node_id();

	for (int i = 0; i < nodes; i++) {
		struct folio *folio = dequeue_hugetlb_folio_node(h, (local + i) % nodes);

		if (folio)
			return folio;
	}
	return NULL;
}

/* A folio leaves the pool (remove_hugetlb_folio): off its free list
 * (@on_freelist) or the active list.  hugetlb_lock held. */
static void remove_hugetlb_folio(struct hstate *h, struct folio *folio, bool adjust_surplus,
				 bool on_freelist)
{
	int nid = page_to_nid(&folio->page);

	if (on_freelist) {
		list_del_init(&folio->page.lru);
		h->free_huge_pages--;
		h->free_huge_pages_node[nid]--;
	}
	if (adjust_surplus) {
		h->surplus_huge_pages--;
		h->surplus_huge_pages_node[nid]--;
	}
	h->nr_huge_pages--;
	h->nr_huge_pages_node[nid]--;
}

/*
 * A gigantic folio goes back to the buddy allocator as MAX_PAGE_ORDER
 * blocks (Linux's free_contig_range); it came from memblock, so its pages
 * join the managed count now.
 */
static void free_gigantic_folio(struct hstate *h, struct folio *folio)
{
	struct page *head = &folio->page;
	unsigned long nr = pages_per_huge_page(h), chunk = MAX_ORDER_NR_PAGES;

	ClearPageHead(head);
	for (unsigned long i = 1; i < nr; i++) {
		head[i].compound_head = 0;
		head[i].compound_order_ = 0;
		head[i].compound_nr_pages_ = 0;
		INIT_LIST_HEAD(&head[i].lru);
	}
	head[1].mapping = NULL;		/* page[1]'s folio counters (mm_types.h) */
	head[1].index = 0;
	for (unsigned long i = 0; i < nr; i += chunk) {
		set_page_count(head + i, 1);
		adjust_managed_page_count(head + i, (long)chunk);
		__free_pages(head + i, MAX_PAGE_ORDER);
	}
}

/* update_and_free_hugetlb_folio: the folio (already off the pool's counts)
 * goes back to the buddy allocator.  hugetlb_lock not held. */
static void update_and_free_hugetlb_folio(struct hstate *h, struct folio *folio)
{
	folio_clear_hugetlb(folio);
	if (h->gigantic) {
		free_gigantic_folio(h, folio);
		return;
	}
	set_page_count(&folio->page, 1);
	__free_pages(&folio->page, h->order);
}

/*
 * alloc_gigantic_folio (Linux's): a gigantic page at run time from the
 * contiguous allocator (mm/page_contig.c), which migrates the movable pages
 * in the way.  Its pages leave the managed count as memblock's boot pages
 * do (free_gigantic_folio gives them back), and become one compound page.
 */
static struct page *alloc_gigantic_page(struct hstate *h, gfp_t gfp, int nid)
{
	unsigned long nr = pages_per_huge_page(h);
	struct page *head = alloc_contig_pages(nr, gfp, nid);

	if (!head)
		return NULL;
	for (unsigned long k = 0; k < nr; k += MAX_ORDER_NR_PAGES)
		adjust_managed_page_count(head + k, -(long)MAX_ORDER_NR_PAGES);
	for (unsigned long k = 0; k < nr; k++) {
		set_page_count(head + k, 0);
		/* No order-0 allocation records: it is freed in MAX_PAGE_ORDER
		 * blocks, as a boot page (which never had one). */
		__atomic_fetch_and(&head[k].flags, ~(ALLOC_ORDER_MASK << ALLOC_ORDER_PGSHIFT),
				   __ATOMIC_RELAXED);
	}
	prep_compound_page(head, h->order);
	set_page_count(head, 1);
	return head;
}

/* A fresh folio from the buddy allocator on @nid (alloc_buddy_hugetlb_folio). */
static struct folio *alloc_fresh_hugetlb_folio(struct hstate *h, int nid, bool this_node)
{
	gfp_t gfp = GFP_HIGHUSER | __GFP_COMP | __GFP_RETRY_MAYFAIL | __GFP_NOWARN;
	struct page *page;

	if (this_node)
		gfp |= __GFP_THISNODE;
	if (h->gigantic)
		page = alloc_gigantic_page(h, gfp, nid);
	else
		page = alloc_pages_node(nid, gfp, h->order);
	if (!page) {
		count_vm_event(HTLB_BUDDY_PGALLOC_FAIL);
		return NULL;
	}
	count_vm_event(HTLB_BUDDY_PGALLOC);
	return (struct folio *)page;
}

static int next_node_allowed(int nid)
{
	return (nid + 1) % num_online_nodes();
}

/* alloc_pool_huge_folio: one new free folio, nodes round robin; false: none. */
static bool alloc_pool_huge_folio(struct hstate *h, int only_nid)
{
	struct hugetlb_state *hs = hugetlb_state();
	int tries = only_nid >= 0 ? 1 : num_online_nodes();

	for (int i = 0; i < tries; i++) {
		int nid = only_nid >= 0 ? only_nid : h->next_nid_to_alloc;
		struct folio *folio;

		if (only_nid < 0)
			h->next_nid_to_alloc = next_node_allowed(nid);
		folio = alloc_fresh_hugetlb_folio(h, nid, true);
		if (!folio)
			continue;
		spin_lock(&hs->lock);
		prep_new_hugetlb_folio(h, folio, page_to_nid(&folio->page));
		enqueue_hugetlb_folio(h, folio);
		spin_unlock(&hs->lock);
		return true;
	}
	return false;
}

/* remove_pool_hugetlb_folio: a free folio to give back, nodes round robin
 * (or of @only_nid); hugetlb_lock held; NULL when none is free. */
static struct folio *remove_pool_hugetlb_folio(struct hstate *h, int only_nid, bool acct_surplus)
{
	int tries = only_nid >= 0 ? 1 : num_online_nodes();

	for (int i = 0; i < tries; i++) {
		int nid = only_nid >= 0 ? only_nid : h->next_nid_to_free;
		struct folio *folio;

		if (only_nid < 0)
			h->next_nid_to_free = next_node_allowed(nid);
		if (acct_surplus && !h->surplus_huge_pages_node[nid])
			continue;
		if (list_empty(&h->hugepage_freelists[nid]))
			continue;
		folio = list_first_entry(&h->hugepage_freelists[nid], struct folio, page.lru);
		remove_hugetlb_folio(h, folio, acct_surplus, true);
		return folio;
	}
	return NULL;
}

/*
 * free_huge_folio - the last reference went (put_page).  A surplus folio
 * leaves the pool for the buddy allocator; any other waits on the free
 * list of its node.
 */
void free_huge_folio(struct folio *folio)
{
	struct hugetlb_state *hs = hugetlb_state();
	struct hstate *h = size_to_hstate(PAGE_SIZE << compound_order(&folio->page));
	int nid = page_to_nid(&folio->page);

	if (WARN_ON_ONCE(!h))
		return;
	if (WARN_ON_ONCE(folio_entire_mapcount(folio) != 0))
		dump_page(&folio->page, "hugetlb folio freed while mapped");
	folio->page.mapping = NULL;
	spin_lock(&hs->lock);
	if (h->surplus_huge_pages_node[nid]) {
		remove_hugetlb_folio(h, folio, true, false);
		spin_unlock(&hs->lock);
		update_and_free_hugetlb_folio(h, folio);
		return;
	}
	enqueue_hugetlb_folio(h, folio);
	spin_unlock(&hs->lock);
}

/* ---------------------------------------------------------------------
 * Pool size: nr_hugepages, nr_overcommit_hugepages
 */

/* adjust_pool_surplus: turn one folio persistent (@delta -1) or surplus (+1). */
static bool adjust_pool_surplus(struct hstate *h, int only_nid, int delta)
{
	int nodes = num_online_nodes();

	for (int i = 0; i < nodes; i++) {
		int nid = only_nid >= 0 ? only_nid : i;

		if (delta < 0 && !h->surplus_huge_pages_node[nid])
			continue;
		if (delta > 0 && h->surplus_huge_pages_node[nid] >= h->nr_huge_pages_node[nid])
			continue;
		h->surplus_huge_pages += delta;
		h->surplus_huge_pages_node[nid] += delta;
		return true;
	}
	return false;
}

/*
 * set_max_huge_pages - Linux's: grow first by making surplus folios
 * persistent, then by new folios; shrink by freeing free folios (never
 * below what is in use or reserved), and make the in-use rest surplus.
 * @nid >= 0: the count is that node's (the per-node sysfs file).
 */
int set_max_huge_pages(struct hstate *h, unsigned long count, int nid)
{
	struct hugetlb_state *hs = hugetlb_state();
	unsigned long min_count;

	spin_lock(&hs->lock);
	if (nid >= 0) {
		/* the node's count becomes @count: the others' stay */
		unsigned long others = h->nr_huge_pages - h->nr_huge_pages_node[nid];

		count += others;
	}
	while (h->surplus_huge_pages && count > persistent_huge_pages(h))
		if (!adjust_pool_surplus(h, nid, -1))
			break;
	while (count > persistent_huge_pages(h)) {
		bool ok;

		spin_unlock(&hs->lock);
		ok = alloc_pool_huge_folio(h, nid);
		spin_lock(&hs->lock);
		if (!ok)
			break;
	}
	min_count = h->resv_huge_pages + h->nr_huge_pages - h->free_huge_pages;
	min_count = max(min_count, count);
	while (min_count < persistent_huge_pages(h)) {
		struct folio *folio = remove_pool_hugetlb_folio(h, nid, false);

		if (!folio)
			break;
		spin_unlock(&hs->lock);
		update_and_free_hugetlb_folio(h, folio);
		spin_lock(&hs->lock);
	}
	while (count < persistent_huge_pages(h))
		if (!adjust_pool_surplus(h, nid, 1))
			break;
	h->max_huge_pages = persistent_huge_pages(h);
	spin_unlock(&hs->lock);
	return 0;
}

void set_nr_overcommit_huge_pages(struct hstate *h, unsigned long count)
{
	struct hugetlb_state *hs = hugetlb_state();

	spin_lock(&hs->lock);
	h->nr_overcommit_huge_pages = count;
	spin_unlock(&hs->lock);
}

/* ---------------------------------------------------------------------
 * Surplus pages and reservations
 */

/* alloc_surplus_hugetlb_folio: a new folio past the persistent pool,
 * in use (refcount 1); NULL past nr_overcommit_hugepages or without memory. */
static struct folio *alloc_surplus_hugetlb_folio(struct hstate *h)
{
	struct hugetlb_state *hs = hugetlb_state();
	struct folio *folio;
	int nid;

	spin_lock(&hs->lock);
	if (h->surplus_huge_pages >= h->nr_overcommit_huge_pages) {
		spin_unlock(&hs->lock);
		return NULL;
	}
	spin_unlock(&hs->lock);
	folio = alloc_fresh_hugetlb_folio(h, numa_node_id(), false);
	if (!folio)
		return NULL;
	nid = page_to_nid(&folio->page);
	spin_lock(&hs->lock);
	if (h->surplus_huge_pages >= h->nr_overcommit_huge_pages) {
		spin_unlock(&hs->lock);
		set_page_count(&folio->page, 1);
		__free_pages(&folio->page, h->order);
		return NULL;
	}
	prep_new_hugetlb_folio(h, folio, nid);
	h->surplus_huge_pages++;
	h->surplus_huge_pages_node[nid]++;
	spin_unlock(&hs->lock);
	return folio;
}

/*
 * gather_surplus_pages - make free - resv cover @delta more reservations,
 * with surplus folios if need be; then resv += delta.  hugetlb_lock held
 * (dropped and retaken around allocations).  0 or -ENOMEM.
 */
static int gather_surplus_pages(struct hstate *h, long delta)
{
	struct hugetlb_state *hs = hugetlb_state();
	struct folio *folio, *tmp;
	struct list_head got;
	long allocated = 0, needed;

	INIT_LIST_HEAD(&got);
	for (;;) {
		needed = (long)(h->resv_huge_pages + delta) -
			 (long)(h->free_huge_pages + allocated);
		if (needed <= 0)
			break;
		spin_unlock(&hs->lock);
		for (long i = 0; i < needed; i++) {
			folio = alloc_surplus_hugetlb_folio(h);
			spin_lock(&hs->lock);
			if (!folio)
				goto fail;
			list_add(&folio->page.lru, &got);	/* in use, ours alone: no put_page races */
			allocated++;
			spin_unlock(&hs->lock);
		}
		spin_lock(&hs->lock);
	}
	h->resv_huge_pages += delta;
	list_for_each_entry_safe(folio, tmp, &got, page.lru)
		enqueue_hugetlb_folio(h, folio);
	return 0;
fail:
	/* back out: the folios gathered are surplus and in use */
	list_for_each_entry_safe(folio, tmp, &got, page.lru) {
		list_del_init(&folio->page.lru);
		remove_hugetlb_folio(h, folio, true, false);
		spin_unlock(&hs->lock);
		update_and_free_hugetlb_folio(h, folio);
		spin_lock(&hs->lock);
	}
	return -ENOMEM;
}

/* return_unused_surplus_pages: drop @unused reservations and free as many
 * free surplus folios.  hugetlb_lock held (dropped around the frees). */
static void return_unused_surplus_pages(struct hstate *h, unsigned long unused)
{
	struct hugetlb_state *hs = hugetlb_state();
	unsigned long nr;

	h->resv_huge_pages -= unused;
	nr = min(unused, h->surplus_huge_pages);
	while (nr--) {
		struct folio *folio = remove_pool_hugetlb_folio(h, -1, true);

		if (!folio)
			break;
		spin_unlock(&hs->lock);
		update_and_free_hugetlb_folio(h, folio);
		spin_lock(&hs->lock);
	}
}

/* hugetlb_acct_memory: +delta reservations (0 or -ENOMEM) or -delta back. */
static int hugetlb_acct_memory(struct hstate *h, long delta)
{
	if (delta > 0)
		return gather_surplus_pages(h, delta);
	if (delta < 0)
		return_unused_surplus_pages(h, (unsigned long)-delta);
	return 0;
}

struct folio *alloc_hugetlb_folio(struct vm_area_struct *vma, unsigned long idx,
				  bool may_reserve)
{
	struct hugetlb_state *hs = hugetlb_state();
	struct hugetlb_obj *obj = vma_hugetlb_obj(vma);
	struct hstate *h = obj->h;
	struct folio *folio = NULL;
	bool owner = obj->shared || vma_resv_owner(vma);

	spin_lock(&hs->lock);
	if (may_reserve && owner && idx < obj->nr && resv_test(obj, idx)) {
		folio = dequeue_hugetlb_folio(h);
		if (!WARN_ON_ONCE(!folio)) {
			resv_clear(obj, idx);
			h->resv_huge_pages--;
		}
	} else if (h->free_huge_pages > h->resv_huge_pages) {
		folio = dequeue_hugetlb_folio(h);
	}
	spin_unlock(&hs->lock);
	if (!folio)
		folio = alloc_surplus_hugetlb_folio(h);
	return folio;
}

/* ---------------------------------------------------------------------
 * Objects: the anonymous hugetlbfs files
 */

struct folio *hugetlb_obj_find_get(struct hugetlb_obj *obj, unsigned long idx)
{
	struct folio *folio = NULL;

	hugetlb_lock_acquire();
	if (idx < obj->nr && obj->pages[idx]) {
		folio = obj->pages[idx];
		get_page(&folio->page);
	}
	hugetlb_lock_release();
	return folio;
}

bool hugetlb_obj_add(struct hugetlb_obj *obj, unsigned long idx, struct folio *folio)
{
	bool ok = false;

	hugetlb_lock_acquire();
	if (idx < obj->nr && !obj->pages[idx]) {
		obj->pages[idx] = folio;
		ok = true;
	}
	hugetlb_lock_release();
	return ok;
}

/* The last reference: the cache's pages and the unused reservations go. */
static int hugetlbfs_release(struct inode *inode, struct file *file)
{
	struct hugetlb_obj *obj = container_of(file, struct hugetlb_obj, file);
	struct hugetlb_state *hs = hugetlb_state();

	(void)inode;
	if (obj->pages) {
		for (unsigned long i = 0; i < obj->nr; i++) {
			struct folio *folio;

			spin_lock(&hs->lock);
			folio = obj->pages[i];
			obj->pages[i] = NULL;
			spin_unlock(&hs->lock);
			if (folio)
				put_page(&folio->page);
		}
	}
	spin_lock(&hs->lock);
	if (obj->nr_resv)
		hugetlb_acct_memory(obj->h, -(long)obj->nr_resv);
	obj->nr_resv = 0;
	spin_unlock(&hs->lock);
	kvfree(obj->pages);
	kvfree(obj->resv);
	kfree(obj);
	return 0;
}

int hugetlb_file_release(struct file *file)
{
	return hugetlbfs_release(file_inode(file), file);
}

static const struct file_operations hugetlbfs_file_operations = {
	.mmap = hugetlbfs_file_mmap,
	.release = hugetlbfs_release,
};

/* The inode marks the file (SysV shm puts its own f_op on it, as mmsim's
 * shm does with shmem files). */
bool is_file_hugepages(const struct file *file)
{
	return file && file->f_inode &&
	       file->f_inode->i_private == (void *)&hugetlbfs_file_operations;
}

struct hstate *hstate_file(struct file *file)
{
	return container_of(file, struct hugetlb_obj, file)->h;
}

/*
 * hugetlb_file_setup - an unlinked hugetlbfs file of @size bytes (rounded
 * up to the huge size) of @h, named @name in /proc/PID/maps; its pages
 * are reserved by the mappings (hugetlb_reserve_pages), not here.
 */
struct file *hugetlb_file_setup(const char *name, unsigned long size, struct hstate *h,
				bool shared)
{
	struct hugetlb_obj *obj;
	unsigned long nr;

	if (!h)
		return ERR_PTR(-EINVAL);
	nr = (size + huge_page_size(h) - 1) >> huge_page_shift(h);
	if (!nr || nr > (1UL << 24))
		return ERR_PTR(-ENOMEM);
	obj = kzalloc(sizeof(*obj), GFP_KERNEL);
	if (!obj)
		return ERR_PTR(-ENOMEM);
	obj->h = h;
	obj->shared = shared;
	obj->nr = nr;
	obj->resv = kvzalloc(((nr + RESV_BITS - 1) / RESV_BITS) * sizeof(long), GFP_KERNEL);
	obj->pages = shared ? kvzalloc(nr * sizeof(*obj->pages), GFP_KERNEL) : NULL;
	if (!obj->resv || (shared && !obj->pages)) {
		kvfree(obj->resv);
		kvfree(obj->pages);
		kfree(obj);
		return ERR_PTR(-ENOMEM);
	}
	snprintf(obj->name, sizeof(obj->name), "%s", name);	/* maps adds " (deleted)": i_nlink 0 */
	obj->inode.i_mode = S_IFREG | 0600;
	obj->inode.i_ino = get_next_ino();
	obj->inode.i_size = (loff_t)(nr << huge_page_shift(h));
	atomic_set(&obj->inode.i_count, 1);
	obj->inode.i_mapping = &obj->inode.i_data;
	obj->inode.i_private = (void *)&hugetlbfs_file_operations;
	obj->inode.i_data.host = NULL;	/* no bdi, no writeback, no page cache */
	init_rwsem(&obj->inode.i_data.i_mmap_rwsem);
	init_rwsem(&obj->inode.i_data.invalidate_lock);
	INIT_LIST_HEAD(&obj->inode.i_data.i_mmap);
	xa_init(&obj->inode.i_data.i_pages);
	atomic_long_set(&obj->file.f_count, 1);
	obj->file.f_mode = FMODE_READ | FMODE_WRITE;
	obj->file.f_flags = O_RDWR;
	init_rwsem(&obj->file.f_pos_lock);
	obj->file.f_inode = &obj->inode;
	obj->file.f_mapping = &obj->inode.i_data;
	obj->file.f_op = &hugetlbfs_file_operations;
	obj->file.f_name = obj->name;
	obj->file.private_data = obj;
	return &obj->file;
}

/* ---------------------------------------------------------------------
 * VMAs
 */

static void hugetlb_vm_op_open(struct vm_area_struct *vma)
{
	(void)vma;	/* the VMA's file reference keeps the object */
}

/* A private owner's unfaulted reservations of its range go back. */
static void hugetlb_vm_op_close(struct vm_area_struct *vma)
{
	struct hugetlb_obj *obj = vma_hugetlb_obj(vma);
	struct hugetlb_state *hs = hugetlb_state();
	unsigned long start, end, n = 0;

	if (obj->shared || !vma_resv_owner(vma))
		return;
	start = vma_hugecache_offset(obj->h, vma, vma->vm_start);
	end = vma_hugecache_offset(obj->h, vma, vma->vm_end);
	spin_lock(&hs->lock);
	for (unsigned long i = start; i < end && i < obj->nr; i++)
		if (resv_test(obj, i)) {
			resv_clear(obj, i);
			n++;
		}
	if (n)
		hugetlb_acct_memory(obj->h, -(long)n);
	spin_unlock(&hs->lock);
}

/* A hugetlb VMA splits only at a huge page boundary (-EINVAL otherwise). */
static int hugetlb_vm_op_split(struct vm_area_struct *vma, unsigned long addr)
{
	if (addr & ~huge_page_mask(hstate_vma(vma)))
		return -EINVAL;
	return 0;
}

/* The generic fault path never comes here: handle_mm_fault dispatches. */
static vm_fault_t hugetlb_vm_op_fault(struct vm_fault *vmf)
{
	(void)vmf;
	WARN_ON_ONCE(1);
	return VM_FAULT_SIGBUS;
}

static const struct vm_operations_struct hugetlb_vm_ops = {
	.open = hugetlb_vm_op_open,
	.close = hugetlb_vm_op_close,
	.may_split = hugetlb_vm_op_split,
	.fault = hugetlb_vm_op_fault,
};

void hugetlb_dup_vma_private(struct vm_area_struct *vma)
{
	/* The child of a private mapping owns no reservation (Linux). */
	if (!(vma->vm_flags & VM_MAYSHARE))
		vma->vm_private_data = NULL;
}

/*
 * hugetlb_reserve_pages - Linux's: the pages of indices [from, to) a new
 * VMA may fault.  Shared objects reserve the indices that have neither a
 * page nor a reservation yet; private mappings all of them (and own
 * them).  VM_NORESERVE reserves nothing.
 */
bool hugetlb_reserve_pages(struct inode *inode, long from, long to, struct vm_area_struct *vma,
			   vm_flags_t vm_flags)
{
	struct hugetlb_obj *obj = vma ? vma_hugetlb_obj(vma) :
				      container_of(inode, struct hugetlb_obj, inode);
	struct hugetlb_state *hs = hugetlb_state();
	long chg = 0;

	if (from > to || to > (long)obj->nr)
		return false;
	if (!obj->shared && vma)
		vma->vm_private_data = (void *)HPAGE_RESV_OWNER;
	if (vm_flags & VM_NORESERVE)
		return true;
	spin_lock(&hs->lock);
	for (long i = from; i < to; i++)
		if (!resv_test(obj, i) && !(obj->pages && obj->pages[i]))
			chg++;
	if (hugetlb_acct_memory(obj->h, chg)) {
		spin_unlock(&hs->lock);
		return false;
	}
	for (long i = from; i < to; i++)
		if (!resv_test(obj, i) && !(obj->pages && obj->pages[i]))
			resv_set(obj, i);
	spin_unlock(&hs->lock);
	return true;
}

/* hugetlbfs_file_mmap: the f_op->mmap of the objects (mmap_region's call_mmap). */
int hugetlbfs_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct hugetlb_obj *obj = container_of(file, struct hugetlb_obj, file);
	struct hstate *h = obj->h;
	long from, to;

	if (vma->vm_pgoff & (~huge_page_mask(h) >> PAGE_SHIFT))
		return -EINVAL;
	if ((vma->vm_start | vma->vm_end) & ~huge_page_mask(h))
		return -EINVAL;
	vma->vm_flags |= VM_HUGETLB | VM_DONTEXPAND;
	vma->vm_ops = &hugetlb_vm_ops;
	vma->vm_private_data = NULL;
	from = (long)(vma->vm_pgoff >> huge_page_order(h));
	to = from + (long)((vma->vm_end - vma->vm_start) >> huge_page_shift(h));
	/* SHM_HUGETLB: shmget reserved (or, SHM_NORESERVE, did not); Linux
	 * tells by S_PRIVATE on the inode */
	if (!hugetlb_reserve_pages(&obj->inode, from, to, vma,
				   vma->vm_flags | (obj->shm ? VM_NORESERVE : 0)))
		return -ENOMEM;
	return 0;
}

/* SysV shm: a SHM_HUGETLB segment reserves all its pages at shmget. */
bool hugetlb_file_reserve(struct file *file, vm_flags_t acctflag)
{
	struct hugetlb_obj *obj = container_of(file, struct hugetlb_obj, file);

	obj->shm = true;
	return hugetlb_reserve_pages(&obj->inode, 0, (long)obj->nr, NULL, acctflag);
}

struct hstate *hstate_from_mmap_flags(unsigned long flags)
{
	unsigned int log = (flags >> MAP_HUGE_SHIFT) & MAP_HUGE_MASK;

	if (!log)
		return default_hstate();
	if (log >= 8 * sizeof(long))
		return NULL;
	return size_to_hstate(1UL << log);
}

/* ---------------------------------------------------------------------
 * Boot pages and shutdown
 */

/* The gigantic pages memblock gave hugetlb_bootmem_alloc become pool folios. */
void hugetlb_prep_bootmem(struct hugetlb_state *hs)
{
	for (int i = 0; i < hs->nr_hstates; i++) {
		struct hstate *h = &hs->hstates[i];

		for (int j = 0; j < hs->nr_bootmem[i]; j++) {
			struct page *head = pfn_to_page(PHYS_PFN(hs->bootmem[i][j]));
			unsigned long nr = pages_per_huge_page(h);

			for (unsigned long k = 0; k < nr; k++) {
				__ClearPageReserved(head + k);
				set_page_count(head + k, 0);
			}
			prep_compound_page(head, h->order);
			spin_lock(&hs->lock);
			prep_new_hugetlb_folio(h, (struct folio *)head, page_to_nid(head));
			enqueue_hugetlb_folio(h, (struct folio *)head);
			h->max_huge_pages++;
			spin_unlock(&hs->lock);
		}
		hs->nr_bootmem[i] = 0;
	}
}

/* Shutdown: every free folio back to the buddy allocator. */
void hugetlb_free_all_pools(struct hugetlb_state *hs)
{
	for (int i = 0; i < hs->nr_hstates; i++) {
		struct hstate *h = &hs->hstates[i];
		struct folio *folio;

		spin_lock(&hs->lock);
		while ((folio = remove_pool_hugetlb_folio(h, -1, false))) {
			spin_unlock(&hs->lock);
			update_and_free_hugetlb_folio(h, folio);
			spin_lock(&hs->lock);
		}
		h->max_huge_pages = persistent_huge_pages(h);
		spin_unlock(&hs->lock);
	}
}

/* ---------------------------------------------------------------------
 * The pool checker
 */

static bool pool_folio_is_bad(struct hstate *h, struct folio *folio, int nid)
{
	struct page *head = &folio->page;
	const char *why = NULL;

	if (!folio_test_hugetlb(folio))
		why = "not a hugetlb folio";
	else if (compound_order(head) != h->order)
		why = "wrong order";
	else if (page_to_nid(head) != nid)
		why = "on another node's free list";
	else if (page_ref_count(head) != 0)
		why = "free with a reference";
	else if (folio_entire_mapcount(folio) != 0)
		why = "free but mapped";
	else if (PageLRU(head))
		why = "on the LRU";
	if (!why)
		return false;
	pr_err("hugetlb_pool_is_valid: %s: folio pfn %lx %s\n", h->name, page_to_pfn(head), why);
	dump_page(head, why);
	return true;
}

/**
 * hugetlb_pool_is_valid - every count and list of every hstate agrees (the
 * invariants of the file comment).  Logs the first problem and returns false.
 */
bool hugetlb_pool_is_valid(void)
{
	struct hugetlb_state *hs = hugetlb_state();
	bool ok = true;

	if (!hs->ready)
		return true;
	spin_lock(&hs->lock);
	for (int i = 0; i < hs->nr_hstates && ok; i++) {
		struct hstate *h = &hs->hstates[i];
		unsigned long free = 0, nr_node = 0, free_node = 0, surp_node = 0;
		struct folio *folio;

		for (int nid = 0; nid < num_online_nodes() && ok; nid++) {
			unsigned long n = 0;

			list_for_each_entry(folio, &h->hugepage_freelists[nid], page.lru) {
				if (pool_folio_is_bad(h, folio, nid)) {
					ok = false;
					break;
				}
				n++;
			}
			if (ok && n != h->free_huge_pages_node[nid]) {
				pr_err("hugetlb_pool_is_valid: %s node %d: %lu on the free list, free_huge_pages_node %lu\n",
				       h->name, nid, n, h->free_huge_pages_node[nid]);
				ok = false;
			}
			free += n;
			nr_node += h->nr_huge_pages_node[nid];
			free_node += h->free_huge_pages_node[nid];
			surp_node += h->surplus_huge_pages_node[nid];
			if (h->surplus_huge_pages_node[nid] > h->nr_huge_pages_node[nid]) {
				pr_err("hugetlb_pool_is_valid: %s node %d: surplus %lu > nr %lu\n",
				       h->name, nid, h->surplus_huge_pages_node[nid],
				       h->nr_huge_pages_node[nid]);
				ok = false;
			}
		}
		if (!ok)
			break;
		if (free != h->free_huge_pages || free_node != free || nr_node != h->nr_huge_pages ||
		    surp_node != h->surplus_huge_pages || free > h->nr_huge_pages ||
		    h->surplus_huge_pages > h->nr_huge_pages ||
		    h->resv_huge_pages > h->free_huge_pages) {
			pr_err("hugetlb_pool_is_valid: %s: nr %lu (nodes %lu) free %lu (lists %lu, nodes %lu) resv %lu surplus %lu (nodes %lu)\n",
			       h->name, h->nr_huge_pages, nr_node, h->free_huge_pages, free, free_node,
			       h->resv_huge_pages, h->surplus_huge_pages, surp_node);
			ok = false;
		}
	}
	spin_unlock(&hs->lock);
	return ok;
}
