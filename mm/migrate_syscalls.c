// SPDX-License-Identifier: GPL-2.0
/*
 * mm/migrate_syscalls.c - move_pages(2) and migrate_pages(2) (Linux's
 * kernel_move_pages in mm/migrate.c and kernel_migrate_pages in
 * mm/mempolicy.c): a process's pages moved to other NUMA nodes through
 * migrate_pages(MR_SYSCALL).
 *
 * move_pages(pid, nr, pages, nodes, status, flags): for each user address
 * pages[i], the page there moves to nodes[i]; status[i] then says the node
 * it is on, or -errno for it (-EFAULT: no VMA there, or the zero page;
 * -ENOENT: no page; -EACCES: mapped by several processes without
 * MPOL_MF_MOVE_ALL; -EBUSY: could not be isolated).  nodes == NULL only
 * reports where the pages are.  Consecutive entries for one node are
 * migrated as one list (Linux's do_pages_move); a failed migration stops
 * the call, which returns the pages not moved (those of the list that
 * failed plus the ones not tried), else 0.  A node out of range or
 * without memory: -ENODEV.  As every mmsim task has every capability,
 * MPOL_MF_MOVE_ALL is allowed.
 *
 * migrate_pages(pid, maxnode, old_nodes, new_nodes): every page of the
 * process on a node of old_nodes moves to a node of new_nodes (Linux's
 * do_migrate_pages): a source node also in new_nodes stays; the others are
 * paired in order with the new nodes not in old_nodes (the nth such
 * source to the nth such destination, wrapping) -- a simplification of
 * Linux's node_remap walk with the same result for the usual one-to-one
 * and many-to-one calls.  Returns the pages not moved, or -errno.
 *
 * Arrays are host memory (as sys_mincore's vec and sys_wait4's wstatus):
 * the user addresses in pages[] are the process's.
 *
 * Locking: the target mm's mmap_lock for reading while pages are looked up
 * and isolated (as Linux); the migration itself runs without it.
 */
#include <errno.h>
#include <mmsim/migrate.h>
#include <mmsim/hugetlb.h>
#include <mmsim/huge_mm.h>
#include <mmsim/mempolicy.h>
#include <mmsim/syscalls.h>
#include <mmsim/sched.h>
#include <mmsim/swap.h>
#include <mmsim/rmap.h>
#include <mmsim/pagemap.h>
#include <mmsim/err.h>
#include "mm/vma.h"
#include "mm/lru_internal.h"


/* Linux's vma_migratable: no I/O or PFN mappings. */
static bool vma_migratable(struct vm_area_struct *vma)
{
	return !(vma->vm_flags & (VM_IO | VM_PFNMAP));
}

/* The page mapped at @addr with a reference, or an ERR_PTR (-EFAULT, -ENOENT). */
static struct page *follow_user_page(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);
	struct page *page = ERR_PTR(-ENOENT);
	pte_t *ptep, pte;

	if (!vma || !vma_migratable(vma))
		return ERR_PTR(-EFAULT);
	spin_lock(&mm->page_table_lock);
	ptep = mm_find_pte(mm, addr);
	if (!ptep) {
		/* A PMD leaf (a THP, a 2 MiB hugetlb page): the subpage. */
		pmd_t *pmdp = mm_find_pmd(mm, addr);
		pmd_t pmd = pmdp ? pmdp_get(pmdp) : __pmd(0);

		if (pmd_trans_huge(pmd)) {
			if (is_huge_zero_pmd(pmd)) {
				page = ERR_PTR(-EFAULT);
			} else {
				page = pfn_to_page(pmd_leaf_pfn(pmd)) +
				       ((addr & ~HPAGE_PMD_MASK) >> PAGE_SHIFT);
				get_page(page);
			}
			spin_unlock(&mm->page_table_lock);
			return page;
		}
	}
	pte = ptep ? ptep_get(ptep) : __pte(0);
	if (pte_present(pte)) {
		if (is_zero_pfn(pte_pfn(pte))) {
			page = ERR_PTR(-EFAULT);
		} else {
			page = vm_normal_page(vma, addr, pte);
			if (page)
				get_page(page);
			else
				page = ERR_PTR(-EFAULT);
		}
	}
	spin_unlock(&mm->page_table_lock);
	return page;
}

static bool folio_on_list(struct folio *folio, struct list_head *list)
{
	struct page *p;

	list_for_each_entry(p, list, lru)
		if (p == &folio->page)
			return true;
	return false;
}

/*
 * Linux's add_folio_for_migration: 0 (already on @node), 1 (isolated onto
 * @list), or -errno for status[].
 */
static int add_page_for_migration(struct mm_struct *mm, unsigned long addr, int node,
				  struct list_head *list, bool migrate_all)
{
	struct page *page = follow_user_page(mm, addr & PAGE_MASK);
	struct folio *folio;
	int err;

	if (IS_ERR(page))
		return (int)PTR_ERR(page);
	folio = page_folio(page);
	/* Linux's vma_migratable: no hugetlb migration here, so -EFAULT. */
	err = -EFAULT;
	if (folio_test_hugetlb(folio))
		goto out;
	err = 0;
	if (page_to_nid(page) == node)
		goto out;
	err = -EACCES;
	if (folio_mapcount(folio) > 1 && !migrate_all)
		goto out;
	/* Another page of a THP queued already (migrate_pages splits it and
	 * moves every piece): queued too. */
	err = 1;
	if (folio_test_large(folio) && folio_on_list(folio, list))
		goto out;
	err = -EBUSY;
	if (!folio_isolate_lru(folio))
		goto out;
	lru_list_add_tail(&folio->page.lru, list);
	mod_node_page_state(page_pgdat(page),
			    folio_is_file_lru(folio) ? NR_ISOLATED_FILE : NR_ISOLATED_ANON,
			    folio_nr_pages(folio));
	err = 1;
out:
	put_page(page);
	return err;
}

/* Linux's alloc_migration_target: a page on the node in private, and only there. */
static struct folio *alloc_on_node(struct folio *src, unsigned long private)
{
	struct page *page = alloc_pages_node((int)private, GFP_HIGHUSER_MOVABLE | __GFP_THISNODE |
					     __GFP_NOWARN | __GFP_NORETRY, 0);

	(void)src;
	return page ? page_folio(page) : NULL;
}

/* Migrate @list to @node; the folios left go back.  The pages not moved. */
static int move_list_to_node(struct list_head *list, int node)
{
	int err;

	if (list_empty(list))
		return 0;
	err = migrate_pages(list, alloc_on_node, NULL, (unsigned long)node, MIGRATE_SYNC,
			    MR_SYSCALL, NULL);
	putback_movable_pages(list);
	return err;
}

static bool node_has_memory(int node)
{
	pg_data_t *pgdat;

	if (node < 0 || node >= MAX_NUMNODES || node >= (int)num_online_nodes())
		return false;
	pgdat = NODE_DATA(node);
	return pgdat && pgdat->node_present_pages;
}

/* The mm of @pid (0: current's), referenced; NULL with *err set. */
static struct mm_struct *target_mm(pid_t pid, long *err)
{
	struct task_struct *t = pid ? find_task_by_vpid(pid) : current;
	struct mm_struct *mm;

	if (!t) {
		*err = -ESRCH;
		return NULL;
	}
	mm = get_task_mm(t);
	if (!mm)
		*err = -EINVAL;
	return mm;
}

/* The node each page is on, or -errno (Linux's do_pages_stat). */
static void pages_stat(struct mm_struct *mm, unsigned long nr, const unsigned long *pages,
		       int *status)
{
	mmap_read_lock(mm);
	for (unsigned long i = 0; i < nr; i++) {
		struct page *page = follow_user_page(mm, pages[i] & PAGE_MASK);

		if (IS_ERR(page)) {
			status[i] = (int)PTR_ERR(page);
			continue;
		}
		status[i] = page_to_nid(page);
		put_page(page);
	}
	mmap_read_unlock(mm);
}

/*
 * Linux's do_pages_move: consecutive entries for one node are isolated
 * onto one list, migrated when the node changes or at the end.  status[]
 * holds the node of each queued page (all of a list moved: it is there)
 * or its error.
 */
static long pages_move(struct mm_struct *mm, unsigned long nr, const unsigned long *pages,
		       const int *nodes, int *status, bool migrate_all)
{
	int current_node = NUMA_NO_NODE;
	LIST_HEAD(list);
	unsigned long i;
	long err = 0;

	for (i = 0; i < nr; i++) {
		int node = nodes[i], r;

		if (!node_has_memory(node)) {
			err = -ENODEV;
			break;
		}
		if (current_node != NUMA_NO_NODE && node != current_node) {
			err = move_list_to_node(&list, current_node);
			if (err)
				break;
		}
		current_node = node;
		mmap_read_lock(mm);
		r = add_page_for_migration(mm, pages[i], node, &list, migrate_all);
		mmap_read_unlock(mm);
		status[i] = r < 0 ? r : node;
	}
	if (err > 0)
		return err + (long)(nr - i);	/* failed ones, and the ones not tried */
	if (current_node != NUMA_NO_NODE) {
		long left = move_list_to_node(&list, current_node);

		if (!err && left)
			err = left;
	}
	return err;
}

/**
 * sys_move_pages - move_pages(2)
 * @pages: host array of @nr user addresses; @nodes: host array of target
 * nodes, or NULL to only query; @status: host array of results
 * Return: 0, the pages not moved, or -errno.
 */
long sys_move_pages(pid_t pid, unsigned long nr, const unsigned long *pages, const int *nodes,
		    int *status, int flags)
{
	struct mm_struct *mm;
	long err = syscall_enter_check();

	if (err)
		return err;
	if (flags & ~(MPOL_MF_MOVE | MPOL_MF_MOVE_ALL))
		return -EINVAL;
	if (nr && (!pages || !status))
		return -EFAULT;
	mm = target_mm(pid, &err);
	if (!mm)
		return err;
	if (nodes)
		err = pages_move(mm, nr, pages, nodes, status, flags & MPOL_MF_MOVE_ALL);
	else
		pages_stat(mm, nr, pages, status);
	mmput(mm);
	return err;
}

static bool node_isset(int node, const unsigned long *mask)
{
	return (mask[node / BITS_PER_LONG] >> (node % BITS_PER_LONG)) & 1;
}

/* Every page of @mm on @source moves to @dest: the pages not moved. */
static long migrate_node(struct mm_struct *mm, int source, int dest)
{
	struct vm_area_struct *vma;
	long not_moved = 0;
	LIST_HEAD(list);
	VMA_ITERATOR(vmi, mm, 0);

	mmap_read_lock(mm);
	for_each_vma(vmi, vma) {
		if (!vma_migratable(vma))
			continue;
		for (unsigned long addr = vma->vm_start; addr < vma->vm_end; addr += PAGE_SIZE) {
			struct page *page = follow_user_page(mm, addr);
			struct folio *folio;

			if (IS_ERR(page))
				continue;
			folio = page_folio(page);
			if (page_to_nid(page) == source && !folio_test_hugetlb(folio) &&
			    folio_isolate_lru(folio)) {
				lru_list_add_tail(&folio->page.lru, &list);
				mod_node_page_state(page_pgdat(page), folio_is_file_lru(folio) ?
						    NR_ISOLATED_FILE : NR_ISOLATED_ANON,
						    folio_nr_pages(folio));
			}
			put_page(page);
		}
	}
	mmap_read_unlock(mm);
	not_moved = move_list_to_node(&list, dest);
	return not_moved;
}

/**
 * sys_migrate_pages - migrate_pages(2)
 * @old_nodes, @new_nodes: host bitmaps of @maxnode bits
 * Return: the pages not moved, or -errno.
 */
long sys_migrate_pages(pid_t pid, unsigned long maxnode, const unsigned long *old_nodes,
		       const unsigned long *new_nodes)
{
	int src[MAX_NUMNODES], dst[MAX_NUMNODES], nsrc = 0, ndst = 0;
	int nodes = (int)num_online_nodes();
	struct mm_struct *mm;
	long err = syscall_enter_check(), left = 0;

	if (err)
		return err;
	if (!old_nodes || !new_nodes)
		return -EFAULT;
	if (maxnode == 0 || maxnode > MAX_NUMNODES + 1)
		return -EINVAL;
	for (int n = 0; n < (int)maxnode - 1 && n < MAX_NUMNODES; n++) {
		if (node_isset(n, new_nodes) && !node_has_memory(n))
			return -EINVAL;
	}
	for (int n = 0; n < nodes && n < (int)maxnode - 1; n++) {
		bool in_old = node_isset(n, old_nodes), in_new = node_isset(n, new_nodes);

		if (in_old && !in_new)
			src[nsrc++] = n;
		else if (in_new && !in_old)
			dst[ndst++] = n;
	}
	mm = target_mm(pid, &err);
	if (!mm)
		return err;
	if (!ndst) {
		/* Every new node is an old one too: pair with any new node. */
		for (int n = 0; n < nodes && n < (int)maxnode - 1; n++)
			if (node_isset(n, new_nodes))
				dst[ndst++] = n;
	}
	for (int i = 0; i < nsrc && ndst; i++) {
		long r = migrate_node(mm, src[i], dst[i % ndst]);

		if (r < 0) {
			err = r;
			break;
		}
		left += r;
	}
	mmput(mm);
	return err ? err : left;
}
