// SPDX-License-Identifier: GPL-2.0
/*
 * mm/rmap.c - the reverse map of anonymous and shmem memory (Linux's
 * mm/rmap.c and mm/interval_tree.c): from a page to every PTE that maps it.
 *
 * Design (Linux's).  An anonymous page's ->mapping is the anon_vma of the
 * VMA it was first faulted in (| PAGE_MAPPING_ANON) -- that anon_vma's
 * root when the page is not exclusive to the VMA (a swap-in of a page
 * shared since a fork) -- and ->index its linear page index there
 * (linear_page_index: vm_pgoff + the page's offset).  A
 * VMA is linked to its own anon_vma and, after fork, to every ancestor's,
 * by one anon_vma_chain per anon_vma; each anon_vma keeps the chains of
 * all the VMAs that may map its pages in an interval tree keyed by the
 * VMAs' page ranges [vm_pgoff, vm_pgoff + pages - 1] (an augmented rbtree
 * whose nodes carry the largest last-pgoff of their subtree).  rmap_walk()
 * looks the page's index up in its anon_vma's tree: every VMA found may
 * map the page, at vm_start + (index - vm_pgoff) pages.
 *
 * A file (shmem) page's ->mapping is its file's address_space (no flag
 * bit) and ->index its offset in the file; rmap_walk_file visits the VMAs
 * on the mapping's i_mmap (every VMA whose vm_file it is: linked by
 * vm_area_dup and shmem_zero_setup, unlinked by vm_area_free) whose range
 * covers the offset.  i_mmap is a list under i_mmap_rwsem until the page
 * cache brings Linux's vma_interval_tree.
 *
 * fork (anon_vma_fork): the child's VMA is chained to all of the parent
 * VMA's anon_vmas (anon_vma_clone) and gets an anon_vma of its own whose
 * parent is the parent VMA's and whose root is the root's, so that pages
 * the child faults later are found from its own anon_vma only, and pages
 * inherited from the parent are found through the parent's.
 *
 * Mapcounts: page->_mapcount is -1 when no PTE maps the page; each PTE
 * adds one.  PageAnonExclusive marks a page mapped by one process only:
 * set when a fault maps a new page, cleared on both sides by fork's
 * folio_try_dup_anon_rmap_pte (which refuses, -EBUSY, when the page may be
 * DMA-pinned: the child then gets a copy).  NR_ANON_MAPPED (AnonPages)
 * counts anon pages with at least one mapping; NR_FILE_MAPPED (Mapped)
 * file pages.
 *
 * Locking.  The anon_vma tree is protected by the root anon_vma's rwsem
 * (anon_vma_lock_write/read), i_mmap by the mapping's i_mmap_rwsem (both
 * before the PTE lock); chains and vma->anon_vma change under
 * mmap_lock for writing, or for reading plus the mm's page_table_lock in
 * __anon_vma_prepare (two faults racing).  _mapcount and the counters are
 * atomic; PTEs are read and changed under the mm's PTE lock.
 *
 * Lifetime.  anon_vma->refcount: one for itself while any VMA is chained
 * (dropped by unlink_anon_vmas once its tree is empty), plus one per
 * non-root anon_vma that has it as root.  Pages hold no reference: a page
 * with no mapping left is never walked (rmap_walk checks folio_mapped()).
 *
 * Invariants: every VMA with ->anon_vma is in that anon_vma's tree; each
 * anon_vma's num_active_vmas == the VMAs whose ->anon_vma it is, and
 * num_children == the anon_vmas whose parent it is (itself counted once);
 * a tree node's rb_subtree_last == the max last-pgoff below it.
 */
#include <string.h>
#include <mmsim/fs.h>
#include <mmsim/swapops.h>
#include <mmsim/tlbflush.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include <mmsim/mmsim.h>
#include "mm/fault_internal.h"
#include "mm/lru_internal.h"
#include "mm/huge_memory_internal.h"
#include <mmsim/rbtree_augmented.h>

/* <mmsim/list.h> lacks these two of Linux's list.h. */
static inline bool list_is_singular(const struct list_head *head)
{
	return head->next != head && head->next == head->prev;
}
#define list_for_each_entry_reverse(pos, head, member)				\
	for (pos = list_entry((head)->prev, __typeof__(*pos), member);		\
	     &pos->member != (head);						\
	     pos = list_entry(pos->member.prev, __typeof__(*pos), member))

/* ---------------------------------------------------------------------
 * The interval tree of anon_vma_chains (Linux's mm/interval_tree.c)
 */

/* folio_anon_vma with an acquire load (folio_move_anon_rmap may run). */
static struct anon_vma *folio_anon_vma_once(const struct folio *folio)
{
	unsigned long m = (unsigned long)__atomic_load_n(&folio->page.mapping, __ATOMIC_ACQUIRE);

	if ((m & PAGE_MAPPING_FLAGS) != PAGE_MAPPING_ANON)
		return NULL;
	return (struct anon_vma *)(m - PAGE_MAPPING_ANON);
}

static inline unsigned long avc_start_pgoff(const struct anon_vma_chain *avc)
{
	return avc->vma->vm_pgoff;
}

static inline unsigned long avc_last_pgoff(const struct anon_vma_chain *avc)
{
	return avc->vma->vm_pgoff + vma_pages(avc->vma) - 1;
}

RB_DECLARE_CALLBACKS_MAX(static, avc_augment, struct anon_vma_chain, rb, unsigned long,
			 rb_subtree_last, avc_last_pgoff)

static void avc_tree_fix_leftmost(struct rb_root_cached *root)
{
	root->rb_leftmost = rb_first(&root->rb_root);
}

static void anon_vma_interval_tree_insert(struct anon_vma_chain *node, struct rb_root_cached *root)
{
	struct rb_node **link = &root->rb_root.rb_node, *rb_parent = NULL;
	unsigned long start = avc_start_pgoff(node), last = avc_last_pgoff(node);

	while (*link) {
		struct anon_vma_chain *parent;

		rb_parent = *link;
		parent = rb_entry(rb_parent, struct anon_vma_chain, rb);
		if (parent->rb_subtree_last < last)
			parent->rb_subtree_last = last;
		if (start < avc_start_pgoff(parent))
			link = &parent->rb.rb_left;
		else
			link = &parent->rb.rb_right;
	}
	node->rb_subtree_last = last;
	rb_link_node(&node->rb, rb_parent, link);
	rb_insert_augmented(&node->rb, &root->rb_root, &avc_augment);
	avc_tree_fix_leftmost(root);
}

static void anon_vma_interval_tree_remove(struct anon_vma_chain *node, struct rb_root_cached *root)
{
	rb_erase_augmented(&node->rb, &root->rb_root, &avc_augment);
	avc_tree_fix_leftmost(root);
}

/* Visit every chain whose range contains [first, last]; stop when @fn says so. */
static bool avc_tree_visit(struct rb_node *rb, unsigned long first, unsigned long last,
			   bool (*fn)(struct anon_vma_chain *avc, void *arg), void *arg)
{
	while (rb) {
		struct anon_vma_chain *avc = rb_entry(rb, struct anon_vma_chain, rb);

		if (avc->rb_subtree_last < first)
			return true;
		if (rb->rb_left && !avc_tree_visit(rb->rb_left, first, last, fn, arg))
			return false;
		if (avc_start_pgoff(avc) > last)
			return true;
		if (avc_last_pgoff(avc) >= first && !fn(avc, arg))
			return false;
		rb = rb->rb_right;
	}
	return true;
}

/* ---------------------------------------------------------------------
 * anon_vma objects
 */

int anon_vma_init(struct memory_state *ms)
{
	ms->anon_vma_cachep = kmem_cache_create("anon_vma", sizeof(struct anon_vma), 0,
						SLAB_TYPESAFE_BY_RCU | SLAB_PANIC | SLAB_ACCOUNT,
						NULL);
	ms->anon_vma_chain_cachep = kmem_cache_create("anon_vma_chain",
						      sizeof(struct anon_vma_chain), 0,
						      SLAB_PANIC | SLAB_ACCOUNT, NULL);
	return ms->anon_vma_cachep && ms->anon_vma_chain_cachep ? 0 : -ENOMEM;
}

void anon_vma_exit(struct memory_state *ms)
{
	if (ms->anon_vma_chain_cachep)
		kmem_cache_destroy(ms->anon_vma_chain_cachep);
	if (ms->anon_vma_cachep)
		kmem_cache_destroy(ms->anon_vma_cachep);
}

static struct anon_vma *anon_vma_alloc(void)
{
	struct anon_vma *anon_vma = kmem_cache_alloc(memory_state()->anon_vma_cachep, GFP_KERNEL);

	if (!anon_vma)
		return NULL;
	memset(anon_vma, 0, sizeof(*anon_vma));
	atomic_set(&anon_vma->refcount, 1);
	init_rwsem(&anon_vma->rwsem);
	anon_vma->root = anon_vma;
	anon_vma->parent = anon_vma;
	anon_vma->rb_root = (struct rb_root_cached){ { NULL }, NULL };
	return anon_vma;
}

static void anon_vma_free(struct anon_vma *anon_vma)
{
	destroy_rwsem(&anon_vma->rwsem);
	kmem_cache_free(memory_state()->anon_vma_cachep, anon_vma);
}

static void get_anon_vma(struct anon_vma *anon_vma)
{
	atomic_inc(&anon_vma->refcount);
}

void put_anon_vma(struct anon_vma *anon_vma)
{
	struct anon_vma *root = anon_vma->root;

	if (!atomic_dec_and_test(&anon_vma->refcount))
		return;
	VM_WARN_ON(anon_vma->rb_root.rb_root.rb_node);
	anon_vma_free(anon_vma);
	if (root != anon_vma && atomic_dec_and_test(&root->refcount))
		anon_vma_free(root);
}

/*
 * folio_get_anon_vma - Linux's: pin the anon_vma of a mapped anon folio
 * (migration walks it again after the folio is unmapped).  The reference
 * is taken only while it is not zero, and the folio must still be mapped
 * afterwards (its anon_vma was alive when the reference was taken);
 * NULL otherwise.  The slab is SLAB_TYPESAFE_BY_RCU, as Linux's.
 */
struct anon_vma *folio_get_anon_vma(const struct folio *folio)
{
	struct anon_vma *anon_vma = folio_anon_vma_once(folio);
	int old;

	if (!anon_vma || !folio_mapped(folio))
		return NULL;
	old = atomic_read(&anon_vma->refcount);
	do {
		if (!old)
			return NULL;
	} while (!atomic_compare_exchange_weak(&anon_vma->refcount.counter, &old, old + 1));
	if (!folio_mapped(folio)) {
		put_anon_vma(anon_vma);
		return NULL;
	}
	return anon_vma;
}

static struct anon_vma_chain *anon_vma_chain_alloc(void)
{
	struct anon_vma_chain *avc = kmem_cache_alloc(memory_state()->anon_vma_chain_cachep,
						      GFP_KERNEL);

	if (avc)
		memset(avc, 0, sizeof(*avc));
	return avc;
}

static void anon_vma_chain_free(struct anon_vma_chain *avc)
{
	kmem_cache_free(memory_state()->anon_vma_chain_cachep, avc);
}

static void anon_vma_chain_link(struct vm_area_struct *vma, struct anon_vma_chain *avc,
				struct anon_vma *anon_vma)
{
	avc->vma = vma;
	avc->anon_vma = anon_vma;
	list_add(&avc->same_vma, &vma->anon_vma_chain);
	anon_vma_interval_tree_insert(avc, &anon_vma->rb_root);
}

void anon_vma_lock_write(struct anon_vma *anon_vma)
{
	down_write(&anon_vma->root->rwsem);
}

void anon_vma_unlock_write(struct anon_vma *anon_vma)
{
	up_write(&anon_vma->root->rwsem);
}

void anon_vma_lock_read(struct anon_vma *anon_vma)
{
	down_read(&anon_vma->root->rwsem);
}

void anon_vma_unlock_read(struct anon_vma *anon_vma)
{
	up_read(&anon_vma->root->rwsem);
}

static struct anon_vma *lock_anon_vma_root(struct anon_vma *root, struct anon_vma *anon_vma)
{
	struct anon_vma *new_root = anon_vma->root;

	if (new_root != root) {
		if (root)
			up_write(&root->rwsem);
		root = new_root;
		down_write(&root->rwsem);
	}
	return root;
}

static void unlock_anon_vma_root(struct anon_vma *root)
{
	if (root)
		up_write(&root->rwsem);
}

/*
 * A neighbour's anon_vma this VMA may share (Linux's
 * find_mergeable_anon_vma): the VMAs are adjacent, their flags agree but
 * for the access bits, their offsets continue each other, and the
 * neighbour's anon_vma is its only one (not inherited through fork).
 */
static bool anon_vma_compatible(struct vm_area_struct *a, struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_file == b->vm_file &&
	       !((a->vm_flags ^ b->vm_flags) & ~(VM_ACCESS_FLAGS | VM_SOFTDIRTY)) &&
	       b->vm_pgoff == a->vm_pgoff + vma_pages(a);
}

static struct anon_vma *reusable_anon_vma(struct vm_area_struct *old, struct vm_area_struct *a,
					  struct vm_area_struct *b)
{
	if (anon_vma_compatible(a, b) && old->anon_vma &&
	    list_is_singular(&old->anon_vma_chain))
		return old->anon_vma;
	return NULL;
}

static struct anon_vma *find_mergeable_anon_vma(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *next = find_vma(mm, vma->vm_end);
	struct vm_area_struct *prev = vma->vm_start ? vma_lookup(mm, vma->vm_start - 1) : NULL;
	struct anon_vma *anon_vma = NULL;

	if (next && next->vm_start == vma->vm_end)
		anon_vma = reusable_anon_vma(next, vma, next);
	if (!anon_vma && prev)
		anon_vma = reusable_anon_vma(prev, prev, vma);
	return anon_vma;
}

int __anon_vma_prepare(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;
	struct anon_vma *anon_vma, *allocated = NULL;
	struct anon_vma_chain *avc;

	mmap_assert_locked(mm);
	avc = anon_vma_chain_alloc();
	if (!avc)
		return -ENOMEM;
	anon_vma = find_mergeable_anon_vma(vma);
	if (!anon_vma) {
		anon_vma = anon_vma_alloc();
		if (!anon_vma) {
			anon_vma_chain_free(avc);
			return -ENOMEM;
		}
		anon_vma->num_children++;	/* self-parent link for the new anon_vma */
		allocated = anon_vma;
	}
	anon_vma_lock_write(anon_vma);
	spin_lock(&mm->page_table_lock);
	if (likely(!vma->anon_vma)) {
		__atomic_store_n(&vma->anon_vma, anon_vma, __ATOMIC_RELEASE);
		anon_vma_chain_link(vma, avc, anon_vma);
		anon_vma->num_active_vmas++;
		allocated = NULL;
		avc = NULL;
	}
	spin_unlock(&mm->page_table_lock);
	anon_vma_unlock_write(anon_vma);
	if (unlikely(allocated))
		put_anon_vma(allocated);
	if (unlikely(avc))
		anon_vma_chain_free(avc);
	return 0;
}

int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	struct anon_vma_chain *pavc;
	struct anon_vma *root = NULL;

	list_for_each_entry_reverse(pavc, &src->anon_vma_chain, same_vma) {
		struct anon_vma_chain *avc = anon_vma_chain_alloc();
		struct anon_vma *anon_vma;

		if (!avc) {
			unlock_anon_vma_root(root);
			dst->anon_vma = NULL;
			unlink_anon_vmas(dst);
			return -ENOMEM;
		}
		anon_vma = pavc->anon_vma;
		root = lock_anon_vma_root(root, anon_vma);
		anon_vma_chain_link(dst, avc, anon_vma);
		/* Reuse an anon_vma no VMA uses any more, with at most one child. */
		if (!dst->anon_vma && src->anon_vma && anon_vma->num_children < 2 &&
		    anon_vma->num_active_vmas == 0)
			dst->anon_vma = anon_vma;
	}
	if (dst->anon_vma)
		dst->anon_vma->num_active_vmas++;
	unlock_anon_vma_root(root);
	return 0;
}

int anon_vma_fork(struct vm_area_struct *vma, struct vm_area_struct *pvma)
{
	struct anon_vma_chain *avc;
	struct anon_vma *anon_vma;
	int error;

	if (!pvma->anon_vma)
		return 0;
	vma->anon_vma = NULL;
	INIT_LIST_HEAD(&vma->anon_vma_chain);
	error = anon_vma_clone(vma, pvma);
	if (error)
		return error;
	if (vma->anon_vma)
		return 0;	/* an existing anon_vma was reused */
	anon_vma = anon_vma_alloc();
	if (!anon_vma)
		goto out_error;
	anon_vma->num_active_vmas++;
	avc = anon_vma_chain_alloc();
	if (!avc) {
		put_anon_vma(anon_vma);
		goto out_error;
	}
	anon_vma->root = pvma->anon_vma->root;
	anon_vma->parent = pvma->anon_vma;
	get_anon_vma(anon_vma->root);
	vma->anon_vma = anon_vma;
	anon_vma_lock_write(anon_vma);
	anon_vma_chain_link(vma, avc, anon_vma);
	anon_vma->parent->num_children++;
	anon_vma_unlock_write(anon_vma);
	return 0;

out_error:
	unlink_anon_vmas(vma);
	return -ENOMEM;
}

void unlink_anon_vmas(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc, *next;
	struct anon_vma *root = NULL;

	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		struct anon_vma *anon_vma = avc->anon_vma;

		root = lock_anon_vma_root(root, anon_vma);
		anon_vma_interval_tree_remove(avc, &anon_vma->rb_root);
		/* Leave empty anon_vmas on the list: freed below, unlocked. */
		if (!anon_vma->rb_root.rb_root.rb_node) {
			anon_vma->parent->num_children--;
			continue;
		}
		list_del(&avc->same_vma);
		anon_vma_chain_free(avc);
	}
	if (vma->anon_vma) {
		vma->anon_vma->num_active_vmas--;
		vma->anon_vma = NULL;
	}
	unlock_anon_vma_root(root);

	list_for_each_entry_safe(avc, next, &vma->anon_vma_chain, same_vma) {
		struct anon_vma *anon_vma = avc->anon_vma;

		VM_WARN_ON(anon_vma->num_children);
		VM_WARN_ON(anon_vma->num_active_vmas);
		put_anon_vma(anon_vma);
		list_del(&avc->same_vma);
		anon_vma_chain_free(avc);
	}
}

void anon_vma_interval_tree_pre_update_vma(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;

	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		anon_vma_interval_tree_remove(avc, &avc->anon_vma->rb_root);
}

void anon_vma_interval_tree_post_update_vma(struct vm_area_struct *vma)
{
	struct anon_vma_chain *avc;

	list_for_each_entry(avc, &vma->anon_vma_chain, same_vma)
		anon_vma_interval_tree_insert(avc, &avc->anon_vma->rb_root);
}

/* ---------------------------------------------------------------------
 * Mapping and unmapping pages
 */

static void folio_stat_mapped(struct folio *folio, long nr)
{
	mod_node_page_state(page_pgdat(&folio->page),
			    page_is_anon(&folio->page) ? NR_ANON_MAPPED : NR_FILE_MAPPED, nr);
}

/*
 * A new anon folio's ->mapping and ->index (Linux's __folio_set_anon).  A
 * folio that is not exclusive to @vma (a swap-in of a page shared since a
 * fork, its swap PTE in several mms) must point at the OLDEST anon_vma,
 * the root, to which every VMA that may map it is chained: the faulting
 * VMA's own anon_vma (a child's, made by anon_vma_fork) has in its tree
 * only the VMAs forked from it, so the other processes' PTEs would never
 * be found by rmap_walk (try_to_unmap would leave the folio mapped), and
 * that anon_vma may be freed while they still map the folio.
 */
static void __folio_set_anon(struct folio *folio, struct vm_area_struct *vma,
			     unsigned long address, bool exclusive)
{
	struct anon_vma *anon_vma = vma->anon_vma;

	if (!exclusive)
		anon_vma = anon_vma->root;
	folio->page.index = linear_page_index(vma, address);
	__atomic_store_n(&folio->page.mapping,
			 (struct address_space *)((unsigned long)anon_vma | PAGE_MAPPING_ANON),
			 __ATOMIC_RELEASE);
}

/* The first tail page's counters of a large folio. */
static inline atomic_int *folio_large_mapcount_ptr(struct folio *folio)
{
	return &folio_page(folio, 1)->_large_mapcount;
}
static inline atomic_int *folio_entire_mapcount_ptr(struct folio *folio)
{
	return &folio_page(folio, 1)->_entire_mapcount;
}
static inline atomic_int *folio_nr_pages_mapped_ptr(struct folio *folio)
{
	return &folio_page(folio, 1)->_nr_pages_mapped;
}

/*
 * A PTE of @page was added (+1) or removed (-1) and its _mapcount crossed
 * -1/0 (@crossed): does the folio's count of mapped pages change?  For a
 * large folio only if no PMD maps it whole (Linux's ENTIRELY_MAPPED).
 */
static bool large_pte_crossed(struct folio *folio, int delta, bool crossed)
{
	int nr;

	atomic_fetch_add_explicit(folio_large_mapcount_ptr(folio), delta, memory_order_relaxed);
	if (!crossed)
		return false;
	nr = atomic_fetch_add_explicit(folio_nr_pages_mapped_ptr(folio), delta,
				       memory_order_relaxed) + delta;
	return nr < ENTIRELY_MAPPED;
}

void folio_add_new_anon_rmap(struct folio *folio, struct vm_area_struct *vma,
			     unsigned long address, rmap_t flags)
{
	long nr = folio_nr_pages(folio);

	VM_WARN_ON(!vma->anon_vma);
	VM_WARN_ON(address < vma->vm_start || address >= vma->vm_end);
	page_flag_set(&folio->page, PG_swapbacked);
	__folio_set_anon(folio, vma, address, flags & RMAP_EXCLUSIVE);
	if (flags & RMAP_EXCLUSIVE)
		page_flag_set(&folio->page, PG_anon_exclusive);
	else
		page_flag_clear(&folio->page, PG_anon_exclusive);
	if (likely(!folio_test_large(folio))) {
		atomic_store_explicit(&folio->page._mapcount, 0, memory_order_relaxed);
	} else {
		/* A PMD-mappable folio is mapped whole by one PMD leaf. */
		atomic_store_explicit(folio_entire_mapcount_ptr(folio), 0, memory_order_relaxed);
		atomic_store_explicit(folio_large_mapcount_ptr(folio), 0, memory_order_relaxed);
		atomic_store_explicit(folio_nr_pages_mapped_ptr(folio), ENTIRELY_MAPPED,
				      memory_order_relaxed);
		mod_node_page_state(page_pgdat(&folio->page), NR_ANON_THPS, nr);
	}
	folio_stat_mapped(folio, nr);
}

void folio_add_anon_rmap_pte(struct folio *folio, struct page *page,
			     struct vm_area_struct *vma, unsigned long address, rmap_t flags)
{
	bool first = atomic_fetch_add(&page->_mapcount, 1) == -1;

	VM_WARN_ON(!page_is_anon(&folio->page));
	/* Linux's __page_check_anon_rmap: the walk from the folio must find this PTE. */
	VM_WARN_ON_ONCE(folio_anon_vma_once(folio)->root != vma->anon_vma->root ||
			folio->page.index + (unsigned long)(page - &folio->page) !=
				linear_page_index(vma, address));
	if (unlikely(folio_test_large(folio)))
		first = large_pte_crossed(folio, 1, first);
	if (flags & RMAP_EXCLUSIVE)
		page_flag_set(page, PG_anon_exclusive);
	if (first)
		folio_stat_mapped(folio, 1);
}

void folio_add_file_rmap_pte(struct folio *folio, struct page *page, struct vm_area_struct *vma)
{
	bool first = atomic_fetch_add(&page->_mapcount, 1) == -1;

	(void)vma;
	if (unlikely(folio_test_large(folio)))
		first = large_pte_crossed(folio, 1, first);
	if (first)
		folio_stat_mapped(folio, 1);
}

void folio_dup_file_rmap_pte(struct folio *folio, struct page *page)
{
	atomic_fetch_add(&page->_mapcount, 1);
	if (unlikely(folio_test_large(folio)))
		atomic_fetch_add_explicit(folio_large_mapcount_ptr(folio), 1, memory_order_relaxed);
}

void folio_remove_rmap_pte(struct folio *folio, struct page *page, struct vm_area_struct *vma)
{
	int old = atomic_fetch_sub(&page->_mapcount, 1);
	bool last;

	if (unlikely(old < 0)) {
		/* Linux: VM_BUG_ON_PAGE(page_mapcount(page) < 0) */
		atomic_fetch_add(&page->_mapcount, 1);
		dump_page(page, "folio_remove_rmap_pte of an unmapped page");
		return;
	}
	last = old == 0;
	if (unlikely(folio_test_large(folio)))
		last = large_pte_crossed(folio, -1, last);
	if (last)
		folio_stat_mapped(folio, -1);
	if (unlikely(vma->vm_flags & VM_LOCKED))
		munlock_vma_folio(folio, vma);
}

/*
 * PMD level (a THP: mm/huge_memory.c).  The first PMD mapping adds to
 * NR_ANON_MAPPED the pages no PTE maps yet and NR_ANON_THPS the folio; the
 * last one takes them back (Linux's __folio_add/remove_rmap, RMAP_LEVEL_PMD).
 */
void folio_add_anon_rmap_pmd(struct folio *folio, struct vm_area_struct *vma,
			     unsigned long address, rmap_t flags)
{
	long nr_pages = folio_nr_pages(folio);

	(void)vma;
	(void)address;
	atomic_fetch_add_explicit(folio_large_mapcount_ptr(folio), 1, memory_order_relaxed);
	if (atomic_fetch_add(folio_entire_mapcount_ptr(folio), 1) == -1) {
		int nr = atomic_fetch_add(folio_nr_pages_mapped_ptr(folio), ENTIRELY_MAPPED) +
			 ENTIRELY_MAPPED;

		if (nr < 2 * ENTIRELY_MAPPED) {
			folio_stat_mapped(folio, nr_pages - (nr & FOLIO_PAGES_MAPPED));
			mod_node_page_state(page_pgdat(&folio->page), NR_ANON_THPS, nr_pages);
		}
	}
	if (flags & RMAP_EXCLUSIVE)
		page_flag_set(&folio->page, PG_anon_exclusive);
}

void __folio_remove_rmap_pmd(struct folio *folio)
{
	long nr_pages = folio_nr_pages(folio);
	int old;

	atomic_fetch_sub_explicit(folio_large_mapcount_ptr(folio), 1, memory_order_relaxed);
	old = atomic_fetch_sub(folio_entire_mapcount_ptr(folio), 1);
	if (unlikely(old < 0)) {
		atomic_fetch_add(folio_entire_mapcount_ptr(folio), 1);
		atomic_fetch_add_explicit(folio_large_mapcount_ptr(folio), 1, memory_order_relaxed);
		dump_page(&folio->page, "folio_remove_rmap_pmd of a folio no PMD maps");
		return;
	}
	if (old == 0) {
		int nr = atomic_fetch_sub(folio_nr_pages_mapped_ptr(folio), ENTIRELY_MAPPED) -
			 ENTIRELY_MAPPED;

		if (nr < ENTIRELY_MAPPED) {
			folio_stat_mapped(folio, -(nr_pages - nr));
			mod_node_page_state(page_pgdat(&folio->page), NR_ANON_THPS, -nr_pages);
		}
	}
}

void folio_remove_rmap_pmd(struct folio *folio, struct vm_area_struct *vma)
{
	__folio_remove_rmap_pmd(folio);
	if (unlikely(vma->vm_flags & VM_LOCKED))
		munlock_vma_folio(folio, vma);
}

/* fork of a PMD leaf: -EBUSY when the folio may be pinned (the caller splits). */
int folio_try_dup_anon_rmap_pmd(struct folio *folio, struct vm_area_struct *src_vma)
{
	if (PageAnonExclusive(&folio->page)) {
		if (unlikely(test_bit_mm_pinned(src_vma->vm_mm) && folio_maybe_dma_pinned(folio)))
			return -EBUSY;
		ClearPageAnonExclusive(&folio->page);
	}
	atomic_fetch_add(folio_entire_mapcount_ptr(folio), 1);
	atomic_fetch_add_explicit(folio_large_mapcount_ptr(folio), 1, memory_order_relaxed);
	return 0;
}

int folio_try_dup_anon_rmap_pte(struct folio *folio, struct page *page,
				struct vm_area_struct *src_vma)
{
	bool maybe_pinned = test_bit_mm_pinned(src_vma->vm_mm) && folio_maybe_dma_pinned(folio);

	if (page_anon_exclusive(page)) {
		if (unlikely(maybe_pinned))
			return -EBUSY;
		page_flag_clear(page, PG_anon_exclusive);
	}
	atomic_fetch_add(&page->_mapcount, 1);
	if (unlikely(folio_test_large(folio)))
		atomic_fetch_add_explicit(folio_large_mapcount_ptr(folio), 1, memory_order_relaxed);
	return 0;
}

void folio_move_anon_rmap(struct folio *folio, struct vm_area_struct *vma)
{
	VM_WARN_ON(!vma->anon_vma);
	__atomic_store_n(&folio->page.mapping,
			 (struct address_space *)((unsigned long)vma->anon_vma | PAGE_MAPPING_ANON),
			 __ATOMIC_RELEASE);
}

static unsigned long vma_address(const struct vm_area_struct *vma, pgoff_t pgoff)
{
	if (pgoff < vma->vm_pgoff)
		return -EFAULT;
	return vma->vm_start + ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);
}

unsigned long page_address_in_vma(const struct folio *folio, const struct page *page,
				  const struct vm_area_struct *vma)
{
	unsigned long address;

	if (page_is_anon(&folio->page)) {
		struct anon_vma *anon_vma = folio_anon_vma_once(folio);

		if (!vma->anon_vma || !anon_vma || vma->anon_vma->root != anon_vma->root)
			return -EFAULT;
	} else if (!vma->vm_file ||
		   vma->vm_file->f_mapping != __atomic_load_n(&folio->page.mapping, __ATOMIC_RELAXED)) {
		return -EFAULT;
	}
	/* A page of a large folio: the folio's index plus its place in it. */
	address = vma_address(vma, folio->page.index + (unsigned long)(page - &folio->page));
	if (address < vma->vm_start || address >= vma->vm_end)
		return -EFAULT;
	return address;
}

/* ---------------------------------------------------------------------
 * Walking the mappings of a folio
 */

pte_t *page_vma_mapped_pte(struct mm_struct *mm, unsigned long address, unsigned long pfn)
{
	pte_t *ptep = mm_find_pte(mm, address);
	pte_t pte;

	if (!ptep)
		return NULL;
	pte = ptep_get(ptep);
	if (!pte_present(pte) || pte_pfn(pte) != pfn)
		return NULL;
	return ptep;
}

struct rmap_walk_arg {
	struct folio *folio;
	struct rmap_walk_control *rwc;
	bool stopped;
};

static bool rmap_walk_one_avc(struct anon_vma_chain *avc, void *arg)
{
	struct rmap_walk_arg *a = arg;
	struct vm_area_struct *vma = avc->vma;
	unsigned long address = vma_address(vma, a->folio->page.index);

	/* A large folio may begin before the VMA: its first page in it. */
	if (address == (unsigned long)-EFAULT && a->folio->page.index + folio_nr_pages(a->folio) >
							  vma->vm_pgoff)
		address = vma->vm_start;

	if (address < vma->vm_start || address >= vma->vm_end)
		return true;
	if (a->rwc->invalid_vma && a->rwc->invalid_vma(vma, a->rwc->arg))
		return true;
	if (!a->rwc->rmap_one(a->folio, vma, address, a->rwc->arg) ||
	    (a->rwc->done && a->rwc->done(a->folio))) {
		a->stopped = true;
		return false;
	}
	return true;
}

static void rmap_walk_anon(struct folio *folio, struct rmap_walk_control *rwc, bool locked)
{
	struct anon_vma *anon_vma = folio_anon_vma_once(folio);
	struct rmap_walk_arg a = { .folio = folio, .rwc = rwc };
	pgoff_t pgoff = folio->page.index;

	if (!anon_vma)
		return;
	if (!locked && rwc->try_lock) {
		if (!down_read_trylock(&anon_vma->root->rwsem)) {
			rwc->contended = true;
			return;
		}
	} else if (!locked) {
		anon_vma_lock_read(anon_vma);
	}
	avc_tree_visit(anon_vma->rb_root.rb_root.rb_node, pgoff,
		       pgoff + (unsigned long)folio_nr_pages(folio) - 1, rmap_walk_one_avc, &a);
	if (!locked)
		anon_vma_unlock_read(anon_vma);
}

/*
 * A file folio (shmem's): the VMAs of its mapping's i_mmap whose range
 * covers its offset (Linux walks the vma_interval_tree; i_mmap is a list
 * until the page cache).  Under i_mmap_rwsem, which keeps the mapping
 * alive: the caller holds a reference on the folio, and a mapped folio's
 * mapping has a VMA, which holds the file.
 */
static void rmap_walk_file(struct folio *folio, struct rmap_walk_control *rwc, bool locked)
{
	struct address_space *mapping = __atomic_load_n(&folio->page.mapping, __ATOMIC_ACQUIRE);
	pgoff_t pgoff = folio->page.index;
	struct vm_area_struct *vma;

	if (!mapping)
		return;
	if (!locked && rwc->try_lock) {
		if (!down_read_trylock(&mapping->i_mmap_rwsem)) {
			rwc->contended = true;
			return;
		}
	} else if (!locked) {
		i_mmap_lock_read(mapping);
	}
	list_for_each_entry(vma, &mapping->i_mmap, shared) {
		unsigned long address = vma_address(vma, pgoff);

		if (address < vma->vm_start || address >= vma->vm_end)
			continue;
		if (rwc->invalid_vma && rwc->invalid_vma(vma, rwc->arg))
			continue;
		if (!rwc->rmap_one(folio, vma, address, rwc->arg) ||
		    (rwc->done && rwc->done(folio)))
			break;
	}
	if (!locked)
		i_mmap_unlock_read(mapping);
}

/*
 * folio_lock_anon_vma_read - the anon_vma of a mapped anonymous folio,
 * locked for reading (as rmap_walk takes it), or NULL when it has none.
 */
struct anon_vma *folio_lock_anon_vma_read(struct folio *folio)
{
	struct anon_vma *anon_vma = folio_anon_vma_once(folio);

	if (!anon_vma || !folio_mapped(folio))
		return NULL;
	anon_vma_lock_read(anon_vma);
	return anon_vma;
}

/*
 * rmap_walk - call rwc->rmap_one for every VMA that may map @folio, with
 * the address the folio has there: through its anon_vma's interval tree
 * (anonymous folios) or its mapping's i_mmap (shmem).  An unmapped folio
 * is not walked: its anon_vma or mapping may be gone.
 */
void rmap_walk(struct folio *folio, struct rmap_walk_control *rwc)
{
	if (!folio_mapped(folio) && !rwc->unmapped)
		return;
	if (page_is_anon(&folio->page))
		rmap_walk_anon(folio, rwc, false);
	else
		rmap_walk_file(folio, rwc, false);
}

void rmap_walk_locked(struct folio *folio, struct rmap_walk_control *rwc)
{
	if (!folio_mapped(folio) && !rwc->unmapped)
		return;
	if (page_is_anon(&folio->page))
		rmap_walk_anon(folio, rwc, true);
	else
		rmap_walk_file(folio, rwc, true);
}

struct folio_referenced_arg {
	int mapcount;
	int referenced;
	unsigned long vm_flags;
	bool contended;
};

static bool folio_referenced_one(struct folio *folio, struct vm_area_struct *vma,
				 unsigned long address, void *arg)
{
	struct folio_referenced_arg *pra = arg;
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl = pte_lockptr(mm);
	pte_t *ptep;
	int referenced = 0;

	/* Reclaim may run inside an allocation that holds this PTE lock. */
	if (!spin_trylock(ptl)) {
		pra->contended = true;
		return false;
	}
	ptep = page_vma_mapped_pte(mm, address, page_to_pfn(&folio->page));
	if (!ptep && folio_test_large(folio)) {
		/* A THP mapped by a PMD leaf (Linux's page_vma_mapped_walk). */
		pmd_t *pmd = mm_find_pmd(mm, address);

		if (pmd && pmd_trans_huge(pmdp_get(pmd)) &&
		    pmd_leaf_pfn(pmdp_get(pmd)) == page_to_pfn(&folio->page)) {
			if (vma->vm_flags & VM_LOCKED) {
				spin_unlock(ptl);
				pra->vm_flags |= VM_LOCKED;
				return false;
			}
			if (pmdp_clear_flush_young(vma, address, pmd))
				referenced++;
			goto done;
		}
	}
	if (!ptep) {
		spin_unlock(ptl);
		return true;
	}
	if (vma->vm_flags & VM_LOCKED) {
		spin_unlock(ptl);
		pra->vm_flags |= VM_LOCKED;
		return false;	/* an mlocked page is not reclaimed: stop */
	}
	if (ptep_clear_flush_young(vma, address, ptep))
		referenced++;
done:
	spin_unlock(ptl);
	if (referenced) {
		pra->referenced++;
		pra->vm_flags |= vma->vm_flags & ~VM_LOCKED;
	}
	pra->mapcount--;
	return pra->mapcount > 0;
}

/*
 * Linux's folio_referenced: the walk trylocks (rwc.try_lock); -1 when a
 * lock was contended (reclaim keeps the folio: FOLIOREF_KEEP).  A file
 * folio is locked for the walk unless @is_locked (trylock: 1 if busy).
 */
int folio_referenced(struct folio *folio, int is_locked, void *memcg, unsigned long *vm_flags)
{
	struct folio_referenced_arg pra = { .mapcount = folio_mapcount(folio) };
	struct rmap_walk_control rwc = { .arg = &pra, .rmap_one = folio_referenced_one,
					 .try_lock = true };
	bool we_locked = false;

	(void)memcg;
	*vm_flags = 0;
	if (!pra.mapcount)
		return 0;
	if (!is_locked && !folio_test_anon(folio)) {
		we_locked = folio_trylock(folio);
		if (!we_locked)
			return 1;
	}
	rmap_walk(folio, &rwc);
	*vm_flags = pra.vm_flags;
	if (we_locked)
		folio_unlock(folio);
	return rwc.contended || pra.contended ? -1 : pra.referenced;
}

/* ---------------------------------------------------------------------
 * try_to_unmap: reclaim's unmapping (swap PTEs for swap-cache anon folios)
 */

static struct tlbflush_unmap_batch *tlb_ubc(void)
{
	return &vmscan_state()->tlb_ubc[smp_processor_id()];
}

/* Linux's set_tlb_ubc_flush_pending: remember @mm for one flush later. */
static void set_tlb_ubc_flush_pending(struct mm_struct *mm, pte_t pteval, unsigned long address)
{
	struct tlbflush_unmap_batch *ubc = tlb_ubc();
	int i;

	for (i = 0; i < ubc->nr; i++)
		if (ubc->mms[i] == mm)
			break;
	if (i == ubc->nr) {
		if (ubc->nr == TLB_UBC_MMS) {
			/* full: flush this one now (Linux's cpumask never overflows) */
			flush_tlb_mm_range(mm, address, address + PAGE_SIZE, PAGE_SHIFT, false);
			return;
		}
		mmgrab(mm);
		ubc->mms[ubc->nr++] = mm;
	}
	ubc->flush_required = true;
	if (pte_dirty(pteval))
		ubc->writable = true;
}

void try_to_unmap_flush(void)
{
	struct tlbflush_unmap_batch *ubc = tlb_ubc();

	if (!ubc->flush_required)
		return;
	for (int i = 0; i < ubc->nr; i++) {
		flush_tlb_mm(ubc->mms[i]);
		mmdrop(ubc->mms[i]);
		ubc->mms[i] = NULL;
	}
	ubc->nr = 0;
	ubc->flush_required = false;
	ubc->writable = false;
}

void try_to_unmap_flush_dirty(void)
{
	if (tlb_ubc()->writable)
		try_to_unmap_flush();
}

static bool try_to_unmap_one(struct folio *folio, struct vm_area_struct *vma,
			     unsigned long address, void *arg)
{
	enum ttu_flags flags = (enum ttu_flags)(unsigned long)arg;
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *ptl = pte_lockptr(mm);
	struct page *page = &folio->page;
	bool anon_exclusive;
	pte_t *ptep, pteval;

	if (!spin_trylock(ptl))
		return false;		/* held by the allocating path, perhaps: keep it mapped */
	ptep = page_vma_mapped_pte(mm, address, page_to_pfn(page));
	if (!ptep) {
		spin_unlock(ptl);
		return true;
	}
	if ((vma->vm_flags & VM_LOCKED) && !(flags & TTU_IGNORE_MLOCK)) {
		spin_unlock(ptl);
		return false;		/* mlocked: stays (Linux moves it to unevictable) */
	}
	anon_exclusive = folio_test_anon(folio) && PageAnonExclusive(page);
	pteval = ptep_get_and_clear(mm, address, ptep);
	if (flags & TTU_BATCH_FLUSH)
		set_tlb_ubc_flush_pending(mm, pteval, address);
	else
		flush_tlb_page(vma, address);
	if (pte_dirty(pteval))
		folio_mark_dirty(folio);

	if (folio_test_anon(folio)) {
		swp_entry_t entry = folio_swap_entry(folio);

		if (!page_flag_test(page, PG_swapbacked)) {
			/* MADV_FREE: discard it unless it was written since. */
			if (!page_flag_test(page, PG_dirty)) {
				dec_mm_counter(mm, MM_ANONPAGES);
				goto discard;
			}
			set_pte_at(mm, address, ptep, pteval);
			page_flag_set(page, PG_swapbacked);	/* redirtied: swap it like any anon */
			spin_unlock(ptl);
			return false;
		}
		if (WARN_ON_ONCE(!PageSwapCache(page)) || swap_duplicate(entry) < 0) {
			set_pte_at(mm, address, ptep, pteval);
			spin_unlock(ptl);
			return false;
		}
		/* Linux's folio_try_share_anon_rmap_pte: a maybe-pinned page keeps its PTE. */
		if (anon_exclusive) {
			if (folio_maybe_dma_pinned(folio)) {
				swap_free(entry);
				set_pte_at(mm, address, ptep, pteval);
				spin_unlock(ptl);
				return false;
			}
			ClearPageAnonExclusive(page);
		}
		pteval = swp_entry_to_pte(entry);
		if (anon_exclusive)
			pteval = pte_swp_mkexclusive(pteval);
		set_pte_at(mm, address, ptep, pteval);
		dec_mm_counter(mm, MM_ANONPAGES);
		inc_mm_counter(mm, MM_SWAPENTS);
	} else {
		dec_mm_counter(mm, mm_counter_file(folio));
	}
discard:
	folio_remove_rmap_pte(folio, page, vma);
	spin_unlock(ptl);
	put_page(page);			/* the PTE's reference; reclaim holds its own */
	return true;
}

static int folio_not_mapped(struct folio *folio)
{
	return !folio_mapped(folio);
}

void try_to_unmap(struct folio *folio, enum ttu_flags flags)
{
	struct rmap_walk_control rwc = {
		.rmap_one = try_to_unmap_one,
		.arg = (void *)(unsigned long)flags,
		.done = folio_not_mapped,
		.try_lock = true,
	};

	if (flags & TTU_RMAP_LOCKED)
		rmap_walk_locked(folio, &rwc);
	else
		rmap_walk(folio, &rwc);
}
