// SPDX-License-Identifier: GPL-2.0
/*
 * mm/vmalloc.c - the kernel's vmalloc space: virtually contiguous areas
 * made of scattered pages (Linux's mm/vmalloc.c, Uladzislau Rezki's 5.2
 * design for the address allocator).
 *
 * The space.  VMALLOC_START..VMALLOC_END of the arch, cut to the part the
 * host window backs (all of it on 32-bit; the first 64 GiB on 64-bit,
 * arch/setup.c).  Every address in it is described by exactly one
 * vmap_area in one of three places:
 *
 *   busy tree   rb-tree by address of areas in use: vmalloc/vmap areas with
 *               their vm_struct, vm_map_ram areas and vmap blocks (vm NULL)
 *   purge tree  areas freed lazily: unmapped from the page tables but not
 *               yet TLB-flushed, so their addresses are not reused; adjacent
 *               ones are merged
 *   free tree   the gaps: rb-tree by address, augmented with each subtree's
 *               largest free block (subtree_max_size), plus a list in
 *               address order; adjacent free blocks are always merged
 *
 * Allocation is lowest-address fit in O(log n): find_vmap_lowest_match()
 * descends left while the left subtree has a block big enough (size plus
 * the alignment overhead), then clips the block found (va_clip: full fit,
 * left edge, right edge, or a split into two).  Each area gets a guard page
 * after it (unless VM_NO_GUARD), included in vm_struct.size.
 *
 * Freeing is lazy (Linux's KVA lazy purge): vfree() frees the pages and
 * clears the page-table entries at once, but the area waits in the purge
 * tree until vmap_lazy_nr (pages) exceeds lazy_max_pages(), fls(nr CPUs)
 * times 32 MiB worth of pages, or an allocation runs out of space, or
 * vm_unmap_aliases().  A purge then makes the host range inaccessible
 * over the lazy areas (one arch_protect_none_range per run of lazy areas
 * that touch or have only small free gaps between them), makes one
 * flush_tlb_kernel_range() over their span and merges them into the free
 * tree.  In Linux the purge runs from a workqueue; here it runs in the
 * freeing thread.
 *
 * Host mappings.  vmap_pages_range() sets the init_mm PTEs and maps the
 * pages at the same address of the host window from the RAM memfd
 * (arch_map_pages_at: one mmap per run of pfn-contiguous pages; pages come
 * in large orders, so an area is one run or a few).  Like a TLB entry, the
 * host mapping outlives the PTE until the purge: before it a stale pointer
 * reaches the freed pages, as through a stale TLB entry in Linux; after it
 * the range is PROT_NONE and an access is an oops (arch/traps.c).  The
 * purge uses mprotect (arch_protect_none_range), which keeps the host
 * VMAs, so an area mapped there later replaces a VMA instead of splitting
 * the reservation; the span of such purged ranges is bounded by a quarter
 * of vm.max_map_count pages, beyond which the purge collapses it back into
 * the anonymous reservation (collapse_kept_host_vmas).  The host's
 * vm.max_map_count bounds live plus lazy areas; a refused host mapping
 * purges, collapses and tries again (docs/vmalloc.md).
 *
 * vm_map_ram (mm/vmalloc_map_ram.c).  Up to VMAP_MAX_ALLOC pages come from
 * per-CPU vmap blocks of VMAP_BBMAP_BITS pages, handed out bump-pointer
 * style; a block whose pages have all been unmapped again is freed
 * (lazily) as a whole.  Larger requests get an area of their own.  Both
 * show as "vm_map_ram" in /proc/vmallocinfo.
 *
 * Locks, in order (outer first):
 *   vmap_purge_lock  mutex: one purge at a time
 *   vbq->lock        a CPU's vmap block queue
 *   vmap_area_lock   the busy tree
 *   purge_vmap_area_lock  the purge tree and list
 *   free_vmap_area_lock   the free tree and list
 * The allocator never holds two of the last three together (vbq->lock is
 * held with a block's vb->lock); only the invariant check takes all three,
 * in this order.
 *
 * Where things are.  This file is the allocator and the API: the trees,
 * lowest-address fit, lazy purge, the page-table and host mappings,
 * vm_struct areas, vmalloc/vfree, vmap/vunmap, lookups, boot and
 * teardown; every fast path stays in it.  vm_map_ram and its vmap blocks
 * are mm/vmalloc_map_ram.c, on the allocator and mappings declared in
 * mm/vmalloc_internal.h.  What vmalloc shows of itself
 * (/proc/vmallocinfo's walk and caller names, statistics, the invariant
 * check, the boot layout print) is mm/vmalloc_info.c; struct
 * vmalloc_globals, which both read, is in mm/vmalloc_internal.h.
 *
 * Invariants (vmap_area_is_valid(), mm/vmalloc_info.c):
 *   busy, purge and free areas are page aligned, non-empty and disjoint,
 *   and together tile [vstart, vend) exactly;
 *   free areas are never adjacent (merged); free list order == tree order;
 *   for every free node: subtree_max_size ==
 *       max(va_size(node), left->subtree_max_size, right->subtree_max_size);
 *   vmap_lazy_nr == sum of the purge areas' pages.
 *
 * mmsim simplifications: vmap_area, vm_struct and page arrays are host
 * allocations (Linux: slab caches and kmalloc/vmalloc); there are no huge
 * vmalloc mappings (vmalloc_huge maps base pages); one busy tree instead of
 * per-node pools; vm_unmap_ram() of part of a vmap block gives its host
 * range back at once (no per-block dirty range to unmap at the purge).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/vmalloc.h>
#include <mmsim/highmem.h>
#include <mmsim/ratelimit.h>
#include <mmsim/rbtree_augmented.h>
#include <mmsim/tlbflush.h>
#include <mmsim/kmemleak.h>
#include "arch/hostmap.h"
#include "mm/vmalloc_internal.h"

/* arch/hostmap.c */

#define VMAP_BBMAP_BITS_MAX	1024UL

/* mm/highmem.c's state, kept here. */
void *vmalloc_kmap_state(void);
void *vmalloc_kmap_state(void)
{
	struct mmsim *m = current_machine();

	struct vmalloc_globals *vg = m ? subsys_state(m, vmalloc) : NULL;

	return vg && vg->up ? vg->highmem : NULL;
}

bool is_vmalloc_addr(const void *x)
{
	const struct mm_layout *l = current_layout;
	const char *p = x;

	return l && p >= l->vmalloc_host && (unsigned long)(p - l->vmalloc_host) < l->vmalloc_host_size;
}

unsigned long vmalloc_nr_pages(void)
{
	struct mmsim *m = current_machine();

	struct vmalloc_globals *vg = m ? subsys_state(m, vmalloc) : NULL;

	return vg && vg->up ? (unsigned long)atomic_load(&vg->nr_vmalloc_pages) : 0;
}

unsigned long lazy_max_pages(void)
{
	return (unsigned long)fls((unsigned int)num_online_cpus()) * (32UL * 1024 * 1024 / PAGE_SIZE);
}

static struct vmap_area *va_alloc(void)
{
	/* malloc + memset, not calloc: glibc's calloc skips its thread cache. */
	struct vmap_area *va = malloc(sizeof(*va));

	if (va) {
		memset(va, 0, sizeof(*va));
		INIT_LIST_HEAD(&va->list);
	}
	return va;
}

static void va_free(struct vmap_area *va)
{
	free(va);
}

/* ---------------------------------------------------------------------
 * The trees
 */

static inline unsigned long get_subtree_max_size(struct rb_node *node)
{
	struct vmap_area *va = rb_entry_safe(node, struct vmap_area, rb_node);

	return va ? va->subtree_max_size : 0;
}

RB_DECLARE_CALLBACKS_MAX(static, free_vmap_area_rb_augment_cb, struct vmap_area, rb_node,
			 unsigned long, subtree_max_size, va_size)

/* The busy area containing @addr, or NULL. */
struct vmap_area *__find_vmap_area(unsigned long addr, struct rb_root *root)
{
	struct rb_node *n = root->rb_node;

	while (n) {
		struct vmap_area *va = rb_entry(n, struct vmap_area, rb_node);

		if (addr < va->va_start)
			n = n->rb_left;
		else if (addr >= va->va_end)
			n = n->rb_right;
		else
			return va;
	}
	return NULL;
}

/*
 * Where @va would be linked in @root; NULL (with Linux's "vmalloc bug"
 * warning) when it overlaps an area already there.
 */
static struct rb_node **find_va_links(struct vmap_area *va, struct rb_root *root,
				      struct rb_node **parent)
{
	struct rb_node **link = &root->rb_node;
	struct vmap_area *tmp_va = NULL;

	*parent = NULL;
	while (*link) {
		tmp_va = rb_entry(*link, struct vmap_area, rb_node);
		*parent = *link;
		if (va->va_end <= tmp_va->va_start) {
			link = &(*link)->rb_left;
		} else if (va->va_start >= tmp_va->va_end) {
			link = &(*link)->rb_right;
		} else {
			WARN(1, "vmalloc bug: 0x%lx-0x%lx overlaps with 0x%lx-0x%lx", va->va_start,
			     va->va_end, tmp_va->va_start, tmp_va->va_end);
			return NULL;
		}
	}
	return link;
}

/* The list position after which a node linked at @link goes. */
static struct list_head *get_va_next_sibling(struct rb_node *parent, struct rb_node **link,
					     struct list_head *head)
{
	struct list_head *list;

	if (!parent)
		return head;	/* empty tree: next is the head itself */
	list = &rb_entry(parent, struct vmap_area, rb_node)->list;
	return &parent->rb_right == link ? list->next : list;
}

static void __link_va(struct vmap_area *va, struct rb_root *root, struct rb_node *parent,
		      struct rb_node **link, struct list_head *head, bool augment)
{
	struct list_head *next = get_va_next_sibling(parent, link, head);

	rb_link_node(&va->rb_node, parent, link);
	if (augment) {
		/* Summaries right before the rotations, then rebalance. */
		va->subtree_max_size = va_size(va);
		if (parent)
			free_vmap_area_rb_augment_cb_propagate(parent, NULL);
		rb_insert_augmented(&va->rb_node, root, &free_vmap_area_rb_augment_cb);
	} else {
		rb_insert_color(&va->rb_node, root);
	}
	if (head)
		list_add_tail(&va->list, next);
}

static void __unlink_va(struct vmap_area *va, struct rb_root *root, bool augment)
{
	if (WARN_ON(RB_EMPTY_NODE(&va->rb_node)))
		return;
	if (augment)
		rb_erase_augmented(&va->rb_node, root, &free_vmap_area_rb_augment_cb);
	else
		rb_erase(&va->rb_node, root);
	if (!list_empty(&va->list))
		list_del_init(&va->list);
	RB_CLEAR_NODE(&va->rb_node);
}

static void insert_vmap_area(struct vmap_area *va, struct rb_root *root, struct list_head *head)
{
	struct rb_node *parent;
	struct rb_node **link = find_va_links(va, root, &parent);

	if (link)
		__link_va(va, root, parent, link, head, false);
}

static void insert_vmap_area_augment(struct vmap_area *va, struct rb_root *root,
				     struct list_head *head)
{
	struct rb_node *parent;
	struct rb_node **link = find_va_links(va, root, &parent);

	if (link)
		__link_va(va, root, parent, link, head, true);
}

/*
 * Insert @va into a tree whose areas are kept merged (free, purge), or
 * merge it with the neighbour(s) it touches.  Returns the area now holding
 * @va's range (@va may have been freed), or NULL on overlap.
 */
static struct vmap_area *__merge_or_add_vmap_area(struct vmap_area *va, struct rb_root *root,
						  struct list_head *head, bool augment)
{
	struct vmap_area *sibling;
	struct list_head *next;
	struct rb_node **link;
	struct rb_node *parent;
	bool merged = false;

	link = find_va_links(va, root, &parent);
	if (!link)
		return NULL;
	next = get_va_next_sibling(parent, link, head);

	/* |<--- va --->|<--- next --->| */
	if (next != head) {
		sibling = list_entry(next, struct vmap_area, list);
		if (sibling->va_start == va->va_end) {
			sibling->va_start = va->va_start;
			va_free(va);
			va = sibling;
			merged = true;
		}
	}
	/* |<--- prev --->|<--- va --->| */
	if (next->prev != head) {
		sibling = list_entry(next->prev, struct vmap_area, list);
		if (sibling->va_end == va->va_start) {
			/*
			 * Merged with both: unlink "next" first, then grow
			 * "prev", so no summary is computed from a node that is
			 * about to go away.
			 */
			if (merged)
				__unlink_va(va, root, augment);
			sibling->va_end = va->va_end;
			va_free(va);
			va = sibling;
			merged = true;
		}
	}
	if (!merged)
		__link_va(va, root, parent, link, head, augment);
	else if (augment)
		free_vmap_area_rb_augment_cb_propagate(&va->rb_node, NULL);
	return va;
}

/* ---------------------------------------------------------------------
 * Lowest-address fit
 */

/* Does [ALIGN(max(va_start, vstart)), +size) fit in @va? */
static bool is_within_this_va(struct vmap_area *va, unsigned long size, unsigned long align,
			      unsigned long vstart)
{
	unsigned long nva_start_addr;

	if (va->va_start > vstart)
		nva_start_addr = ALIGN(va->va_start, align);
	else
		nva_start_addr = ALIGN(vstart, align);
	/* Can overflow with a big size or alignment. */
	if (nva_start_addr + size < nva_start_addr || nva_start_addr < vstart)
		return false;
	return nva_start_addr + size <= va->va_end;
}

/*
 * The lowest free block where @size bytes aligned to @align fit at or
 * above @vstart.  With @adjust_search_size, subtrees are entered only if
 * they hold a block of size + align - 1 (enough for any alignment).
 */
static struct vmap_area *find_vmap_lowest_match(struct rb_root *root, unsigned long size,
						unsigned long align, unsigned long vstart,
						bool adjust_search_size)
{
	struct rb_node *node = root->rb_node;
	unsigned long length = adjust_search_size ? size + align - 1 : size;
	struct vmap_area *va;

	if (length < size)
		length = ~0UL;	/* overflow: nothing that big */
	while (node) {
		va = rb_entry(node, struct vmap_area, rb_node);
		if (get_subtree_max_size(node->rb_left) >= length && vstart < va->va_start) {
			node = node->rb_left;
		} else {
			if (is_within_this_va(va, size, align, vstart))
				return va;
			/* Only go right if a big enough block is there. */
			if (get_subtree_max_size(node->rb_right) >= length) {
				node = node->rb_right;
				continue;
			}
			/*
			 * Back up to the first ancestor whose right subtree
			 * can satisfy the request (needed because of vstart or
			 * an alignment bigger than a page).
			 */
			while ((node = rb_parent(node))) {
				va = rb_entry(node, struct vmap_area, rb_node);
				if (is_within_this_va(va, size, align, vstart))
					return va;
				if (get_subtree_max_size(node->rb_right) >= length &&
				    vstart <= va->va_start) {
					/* +1: do not enter the subtree just checked again. */
					vstart = va->va_start + 1;
					node = node->rb_right;
					break;
				}
			}
		}
	}
	return NULL;
}

enum fit_type { NOTHING_FIT, FL_FIT_TYPE, LE_FIT_TYPE, RE_FIT_TYPE, NE_FIT_TYPE };

static enum fit_type classify_va_fit_type(struct vmap_area *va, unsigned long nva_start_addr,
					  unsigned long size)
{
	if (nva_start_addr < va->va_start || nva_start_addr + size > va->va_end)
		return NOTHING_FIT;
	if (va->va_start == nva_start_addr)
		return va->va_end == nva_start_addr + size ? FL_FIT_TYPE : LE_FIT_TYPE;
	if (va->va_end == nva_start_addr + size)
		return RE_FIT_TYPE;
	return NE_FIT_TYPE;
}

/* Take [nva_start_addr, +size) out of the free block @va. */
static int va_clip(struct rb_root *root, struct list_head *head, struct vmap_area *va,
		   unsigned long nva_start_addr, unsigned long size)
{
	struct vmap_area *lva = NULL;
	enum fit_type type = classify_va_fit_type(va, nva_start_addr, size);

	switch (type) {
	case FL_FIT_TYPE:
		/* |<------- va ------->|  all of it */
		__unlink_va(va, root, true);
		va_free(va);
		return 0;
	case LE_FIT_TYPE:
		/* |<-- size -->|<- va ->| */
		va->va_start += size;
		break;
	case RE_FIT_TYPE:
		/* |<- va ->|<-- size -->| */
		va->va_end = nva_start_addr;
		break;
	case NE_FIT_TYPE:
		/* |<- lva ->|<-- size -->|<- va ->| */
		lva = va_alloc();
		if (!lva)
			return -1;
		lva->va_start = va->va_start;
		lva->va_end = nva_start_addr;
		va->va_start = nva_start_addr + size;
		break;
	default:
		return -1;
	}
	free_vmap_area_rb_augment_cb_propagate(&va->rb_node, NULL);
	if (lva)
		insert_vmap_area_augment(lva, root, head);
	return 0;
}

static unsigned long __alloc_vmap_area(struct rb_root *root, struct list_head *head,
				       unsigned long size, unsigned long align,
				       unsigned long vstart, unsigned long vend)
{
	bool adjust_search_size = true;
	unsigned long nva_start_addr;
	struct vmap_area *va;

	/*
	 * No adjustment for page alignment (every block is page aligned) or
	 * when the range is exactly the size asked for.
	 */
	if (align <= PAGE_SIZE || vend - vstart == size)
		adjust_search_size = false;
	va = find_vmap_lowest_match(root, size, align, vstart, adjust_search_size);
	if (unlikely(!va))
		return vend;
	if (va->va_start > vstart)
		nva_start_addr = ALIGN(va->va_start, align);
	else
		nva_start_addr = ALIGN(vstart, align);
	if (nva_start_addr + size > vend || nva_start_addr + size < nva_start_addr)
		return vend;
	if (WARN_ON_ONCE(va_clip(root, head, va, nva_start_addr, size)))
		return vend;
	return nva_start_addr;
}

static void purge_vmap_area_lazy(void);

/*
 * alloc_vmap_area - a busy area of @size bytes aligned to @align within
 * [vstart, vend); ERR (NULL here) when the space is exhausted even after a
 * purge of the lazily freed areas.
 */
struct vmap_area *alloc_vmap_area(unsigned long size, unsigned long align,
					 unsigned long vstart, unsigned long vend, gfp_t gfp_mask,
					 unsigned long va_flags, struct vm_struct *vm)
{
	struct vmalloc_globals *vg = VG();
	struct vmap_area *va;
	unsigned long addr;
	bool purged = false;

	if (unlikely(!size || !is_power_of_2(align) || (size & ~PAGE_MASK)))
		return NULL;
	vstart = max(vstart, vg->vstart);
	vend = min(vend, vg->vend);
	if (vstart >= vend)
		return NULL;
	va = va_alloc();
	if (unlikely(!va))
		return NULL;
retry:
	spin_lock(&vg->free_vmap_area_lock);
	addr = __alloc_vmap_area(&vg->free_vmap_area_root, &vg->free_vmap_area_list, size, align,
				 vstart, vend);
	spin_unlock(&vg->free_vmap_area_lock);
	if (unlikely(addr == vend)) {
		if (!purged) {
			purge_vmap_area_lazy();
			purged = true;
			goto retry;
		}
		if (!(gfp_mask & __GFP_NOWARN) && printk_ratelimit())
			pr_warn("vmap allocation for size %lu failed: use vmalloc=<size> to increase size\n",
				size);
		va_free(va);
		return NULL;
	}
	va->va_start = addr;
	va->va_end = addr + size;
	va->vm = NULL;
	va->flags = va_flags;
	if (vm) {
		vm->addr = kva_host(vg, addr);
		vm->size = size;
		va->vm = vm;
	}
	if (kasan_enabled())	/* a freed vmalloc left it KASAN_VMALLOC_INVALID */
		kasan_unpoison_vmap_area(kva_host(vg, addr), size);
	spin_lock(&vg->vmap_area_lock);
	insert_vmap_area(va, &vg->vmap_area_root, NULL);
	vg->nr_busy++;
	spin_unlock(&vg->vmap_area_lock);
	return va;
}

/* ---------------------------------------------------------------------
 * Lazy freeing and purging
 */

/*
 * A free range of at most this many bytes between two lazy runs is
 * unmapped with them, so that one host call covers both (see below).
 */
#define PURGE_GAP_MAX		(64UL << 20)
#define VMAP_PURGE_GAP		0x100	/* flags: a free gap taken into a purge */

/*
 * Take the free gaps between the lazy runs of @list into it, where a gap
 * is one free area exactly (nothing busy, nothing half-allocated in it)
 * and at most PURGE_GAP_MAX: out of the free tree, no allocation can map
 * there while the purge puts PROT_NONE over the gap again (it is PROT_NONE
 * already, so that changes nothing), and a run of lazy areas with free
 * gaps between them is one host call instead of one per area.  An
 * allocation that needed the gap finds no space meanwhile, purges, and so
 * waits for this purge on vmap_purge_lock before it tries again.
 */
static void purge_take_free_gaps(struct vmalloc_globals *vg, struct list_head *list)
{
	struct vmap_area *va, *next, *gap;

	spin_lock(&vg->free_vmap_area_lock);
	list_for_each_entry(va, list, list) {
		if (va->list.next == list)
			break;
		next = list_next_entry(va, list);
		if (next->va_start == va->va_end || next->va_start - va->va_end > PURGE_GAP_MAX)
			continue;
		gap = __find_vmap_area(va->va_end, &vg->free_vmap_area_root);
		if (!gap || gap->va_start != va->va_end || gap->va_end != next->va_start)
			continue;
		__unlink_va(gap, &vg->free_vmap_area_root, true);
		gap->flags = VMAP_PURGE_GAP;
		list_add(&gap->list, &va->list);
		va = gap;
	}
	spin_unlock(&vg->free_vmap_area_lock);
}

/*
 * Make the purged run [start, end) inaccessible on the host: mprotect, which
 * keeps the host VMAs of its areas (and their pages, PROT_NONE), so that a
 * new area mapped at the same place later replaces a VMA rather than
 * splitting the reservation.  The span of such ranges is recorded for
 * collapse_kept_host_vmas().  If the host refuses (vm.max_map_count), the
 * reservation goes back over the run instead.  vmap_purge_lock held.
 */
static void purge_host_range(struct vmalloc_globals *vg, unsigned long start, unsigned long end)
{
	if (arch_protect_none_range(kva_host(vg, start), end - start)) {
		vunmap_host_range(vg, start, end);
		return;
	}
	atomic_fetch_add(&vg->nr_host_unmaps, 1);
	if (!vg->kept_end) {
		vg->kept_start = start;
		vg->kept_end = end;
	} else {
		vg->kept_start = min(vg->kept_start, start);
		vg->kept_end = max(vg->kept_end, end);
	}
}

/*
 * Put the PROT_NONE reservation back over every free area within the kept
 * span, so that the host VMAs purged ranges kept there go (one anonymous
 * mapping per free area).  Each host VMA covers a page at least, so the
 * span's pages bound the VMAs it holds: kept_max_pages, a quarter of
 * vm.max_map_count, bounds what the purges leave behind.  Under
 * free_vmap_area_lock no free area can be handed out and mapped meanwhile;
 * busy and lazy areas are not touched.  vmap_purge_lock held.
 */
static void collapse_kept_host_vmas(struct vmalloc_globals *vg)
{
	struct vmap_area *va;

	if (!vg->kept_end)
		return;
	spin_lock(&vg->free_vmap_area_lock);
	list_for_each_entry(va, &vg->free_vmap_area_list, list) {
		unsigned long s = max(va->va_start, vg->kept_start);
		unsigned long e = min(va->va_end, vg->kept_end);

		if (va->va_start >= vg->kept_end)
			break;
		if (s < e)
			vunmap_host_range(vg, s, e);
	}
	spin_unlock(&vg->free_vmap_area_lock);
	vg->kept_start = vg->kept_end = 0;
}

/*
 * Purge every lazily freed area: their host mappings become PROT_NONE
 * (one mprotect per run of lazy areas that are adjacent or separated only
 * by free gaps, purge_take_free_gaps), one TLB flush over their span, then
 * into the free tree.  The host unmap comes before the free tree sees the
 * range, so no new area can be mapped there and then lose its mapping.
 * Returns true if any was.
 */
static bool __purge_vmap_area_lazy(unsigned long start, unsigned long end)
{
	struct vmalloc_globals *vg = VG();
	struct vmap_area *va, *n_va;
	unsigned long run_start = 0, run_end = 0;
	LIST_HEAD(local_purge_list);

	spin_lock(&vg->purge_vmap_area_lock);
	vg->purge_vmap_area_root = RB_ROOT;
	if (!list_empty(&vg->purge_vmap_area_list))
		list_splice_tail_init(&vg->purge_vmap_area_list, &local_purge_list);
	spin_unlock(&vg->purge_vmap_area_lock);
	if (list_empty(&local_purge_list))
		return false;

	start = min(start, list_first_entry(&local_purge_list, struct vmap_area, list)->va_start);
	end = max(end, list_last_entry(&local_purge_list, struct vmap_area, list)->va_end);
	purge_take_free_gaps(vg, &local_purge_list);
	list_for_each_entry(va, &local_purge_list, list) {
		if (va->va_start != run_end) {
			if (run_end)
				purge_host_range(vg, run_start, run_end);
			run_start = va->va_start;
		}
		run_end = va->va_end;
	}
	purge_host_range(vg, run_start, run_end);
	flush_tlb_kernel_range(start, end);
	atomic_fetch_add(&vg->nr_purges, 1);

	list_for_each_entry_safe(va, n_va, &local_purge_list, list) {
		unsigned long nr = va->flags & VMAP_PURGE_GAP ? 0 : va_size(va) >> PAGE_SHIFT;

		list_del_init(&va->list);
		RB_CLEAR_NODE(&va->rb_node);
		va->flags = 0;
		spin_lock(&vg->free_vmap_area_lock);
		__merge_or_add_vmap_area(va, &vg->free_vmap_area_root, &vg->free_vmap_area_list,
					 true);
		spin_unlock(&vg->free_vmap_area_lock);
		if (nr)
			atomic_fetch_sub(&vg->vmap_lazy_nr, (long)nr);
	}
	if ((vg->kept_end - vg->kept_start) >> PAGE_SHIFT > vg->kept_max_pages)
		collapse_kept_host_vmas(vg);
	return true;
}

static void purge_vmap_area_lazy(void)
{
	struct vmalloc_globals *vg = VG();

	pthread_mutex_lock(&vg->vmap_purge_lock);
	__purge_vmap_area_lazy(~0UL, 0);
	pthread_mutex_unlock(&vg->vmap_purge_lock);
}

/* Purge, then collapse the kept host VMAs whatever their span: the host refused a mapping. */
static void purge_vmap_area_lazy_collapse(void)
{
	struct vmalloc_globals *vg = VG();

	pthread_mutex_lock(&vg->vmap_purge_lock);
	__purge_vmap_area_lazy(~0UL, 0);
	collapse_kept_host_vmas(vg);
	pthread_mutex_unlock(&vg->vmap_purge_lock);
}

/* Put @va (unmapped from the page tables) on the purge tree. */
void free_vmap_area_noflush(struct vmap_area *va)
{
	struct vmalloc_globals *vg = VG();
	unsigned long nr_lazy;

	nr_lazy = (unsigned long)atomic_fetch_add(&vg->vmap_lazy_nr, (long)(va_size(va) >> PAGE_SHIFT)) +
		  (va_size(va) >> PAGE_SHIFT);
	va->vm = NULL;
	va->flags = 0;
	spin_lock(&vg->purge_vmap_area_lock);
	__merge_or_add_vmap_area(va, &vg->purge_vmap_area_root, &vg->purge_vmap_area_list, false);
	spin_unlock(&vg->purge_vmap_area_lock);
	/* Linux schedules drain_vmap_work; a purge already running will do. */
	if (unlikely(nr_lazy > lazy_max_pages()) && !pthread_mutex_trylock(&vg->vmap_purge_lock)) {
		__purge_vmap_area_lazy(~0UL, 0);
		pthread_mutex_unlock(&vg->vmap_purge_lock);
	}
}

/* ---------------------------------------------------------------------
 * Mapping: init_mm's page tables and the host window
 */

/* Set the PTEs of [addr, addr + nr pages) to @pages.  0 or -ENOMEM. */
static int vmap_pte_range(unsigned long addr, struct page **pages, unsigned int nr, pgprot_t prot)
{
	struct mm_struct *mm = &init_mm;

	for (unsigned int i = 0; i < nr; i++, addr += PAGE_SIZE) {
		pgd_t *pgd = pgd_offset_k(addr);
		p4d_t *p4d = p4d_alloc(mm, pgd, addr);
		pud_t *pud = p4d ? pud_alloc(mm, p4d, addr) : NULL;
		pmd_t *pmd = pud ? pmd_alloc(mm, pud, addr) : NULL;
		pte_t *pte = pmd ? pte_alloc_kernel(pmd, addr) : NULL;

		if (!pte)
			return -ENOMEM;
		if (WARN_ON(!pte_none(ptep_get(pte))))
			return -EBUSY;
		set_pte_at(mm, addr, pte, mk_pte(pages[i], prot));
	}
	return 0;
}

/* Clear the PTEs of [addr, end); tables stay (Linux keeps them too). */
static void vunmap_pte_range(unsigned long addr, unsigned long end)
{
	struct mm_struct *mm = &init_mm;

	while (addr < end) {
		pgd_t *pgd = pgd_offset_k(addr);
		p4d_t *p4d;
		pud_t *pud;
		pmd_t *pmd;
		pte_t *pte;
		unsigned long next = pmd_addr_end(addr, end);

		if (pgd_none(pgdp_get(pgd)))
			goto skip;
		p4d = p4d_offset(pgd, addr);
		if (p4d_none(p4dp_get(p4d)))
			goto skip;
		pud = pud_offset(p4d, addr);
		if (pud_none(pudp_get(pud)))
			goto skip;
		pmd = pmd_offset(pud, addr);
		if (pmd_none(pmdp_get(pmd)))
			goto skip;
		pte = pte_offset_kernel(pmd, addr);
		for (; addr < next; addr += PAGE_SIZE, pte = pte_next(pte))
			ptep_get_and_clear(mm, addr, pte);
		continue;
skip:
		addr = next;
	}
}

/*
 * vmap_pages_range - map @pages at simulated [addr, end): page tables and
 * the host window.  The TLB needs no flush: the range was unmapped and
 * flushed before it was handed out.  When the host refuses the mapping
 * (vm.max_map_count: lazily freed areas keep their host mappings until the
 * purge, purged ones keep their VMAs until a collapse), the lazy areas are
 * purged, the kept VMAs collapsed and the mapping tried once more.
 * 0 or -errno.
 */
int vmap_pages_range(unsigned long addr, unsigned long end, pgprot_t prot,
			    struct page **pages)
{
	struct vmalloc_globals *vg = VG();
	unsigned int nr = (unsigned int)((end - addr) >> PAGE_SHIFT);
	int ret = vmap_pte_range(addr, pages, nr, prot);

	if (ret)
		return ret;
	ret = arch_map_pages_at(kva_host(vg, addr), pages, nr);
	if (unlikely(ret == -ENOMEM)) {
		purge_vmap_area_lazy_collapse();
		ret = arch_map_pages_at(kva_host(vg, addr), pages, nr);
	}
	if (ret < 0)
		return ret;
	atomic_fetch_add(&vg->nr_host_maps, (unsigned long)ret);
	return 0;
}

/*
 * Linux's vunmap_range_noflush: the PTEs only.  As Linux leaves the TLB
 * stale until the lazy purge flushes it, the host mapping of the range
 * stays until the purge (purge_host_range from __purge_vmap_area_lazy):
 * see "Host mappings" atop this file for what that means for an access
 * through a stale pointer.
 */
void vunmap_range_noflush(unsigned long start, unsigned long end)
{
	vunmap_pte_range(start, end);
}

/* Put the PROT_NONE reservation back over simulated [start, end): one host call. */
void vunmap_host_range(struct vmalloc_globals *vg, unsigned long start, unsigned long end)
{
	if (!arch_unmap_range(kva_host(vg, start), end - start))
		atomic_fetch_add(&vg->nr_host_unmaps, 1);
}

/* ---------------------------------------------------------------------
 * vm_struct areas
 */

static struct vm_struct *__get_vm_area_node(unsigned long size, unsigned long align,
					    unsigned long flags, unsigned long start,
					    unsigned long end, int node, gfp_t gfp_mask,
					    const void *caller)
{
	struct vm_struct *area;
	struct vmap_area *va;

	(void)node;
	size = PAGE_ALIGN(size);
	if (unlikely(!size))
		return NULL;
	area = malloc(sizeof(*area));	/* not calloc: see va_alloc() */
	if (unlikely(!area))
		return NULL;
	memset(area, 0, sizeof(*area));
	if (!(flags & VM_NO_GUARD))
		size += PAGE_SIZE;
	area->flags = flags;
	area->caller = caller;
	va = alloc_vmap_area(size, align, start, end, gfp_mask, 0, area);
	if (!va) {
		free(area);
		return NULL;
	}
	if (kasan_enabled() && !(flags & VM_NO_GUARD))	/* the guard page */
		kasan_poison_vmalloc((char *)area->addr + get_vm_area_size(area), PAGE_SIZE);
	return area;
}

struct vm_struct *__get_vm_area_caller(unsigned long size, unsigned long flags,
				       unsigned long start, unsigned long end, const void *caller)
{
	return __get_vm_area_node(size, 1, flags, start, end, NUMA_NO_NODE, GFP_KERNEL, caller);
}

struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags, const void *caller)
{
	return __get_vm_area_node(size, 1, flags, VMALLOC_START, VMALLOC_END, NUMA_NO_NODE,
				  GFP_KERNEL, caller);
}

struct vm_struct *get_vm_area(unsigned long size, unsigned long flags)
{
	return get_vm_area_caller(size, flags, __builtin_return_address(0));
}

static struct vmap_area *find_vmap_area_host(const void *addr)
{
	struct vmalloc_globals *vg = VG();
	struct vmap_area *va;

	if (!is_vmalloc_addr(addr))
		return NULL;
	spin_lock(&vg->vmap_area_lock);
	va = __find_vmap_area(host_kva(vg, addr), &vg->vmap_area_root);
	spin_unlock(&vg->vmap_area_lock);
	return va;
}

struct vm_struct *find_vm_area(const void *addr)
{
	struct vmap_area *va = find_vmap_area_host(addr);

	return va ? va->vm : NULL;
}

/*
 * remove_vm_area - unmap the area at @addr and free its range lazily.
 * Return: its vm_struct (the caller frees the pages and the struct), or NULL.
 */
struct vm_struct *remove_vm_area(const void *addr)
{
	struct vmalloc_globals *vg = VG();
	struct vmap_area *va;
	struct vm_struct *vm;

	if (unlikely(!IS_ALIGNED((uintptr_t)addr, PAGE_SIZE))) {
		char a[24];

		WARN(1, "Trying to vfree() bad address (%s)", kaddr_str(addr, a, sizeof(a)));
		return NULL;
	}
	if (!is_vmalloc_addr(addr))
		return NULL;
	spin_lock(&vg->vmap_area_lock);
	va = __find_vmap_area(host_kva(vg, addr), &vg->vmap_area_root);
	/* Only the area's start frees it (an address inside is a bug). */
	if (!va || !va->vm || va->va_start != host_kva(vg, addr)) {
		spin_unlock(&vg->vmap_area_lock);
		return NULL;
	}
	rb_erase(&va->rb_node, &vg->vmap_area_root);
	RB_CLEAR_NODE(&va->rb_node);
	vg->nr_busy--;
	spin_unlock(&vg->vmap_area_lock);
	vm = va->vm;
	if (kasan_enabled())
		kasan_poison_vmalloc(vm->addr, vm->size);
	vunmap_range_noflush(va->va_start, va->va_end);
	free_vmap_area_noflush(va);
	return vm;
}

void free_vm_area(struct vm_struct *area)
{
	struct vm_struct *ret = remove_vm_area(area->addr);

	BUG_ON(ret != area);
	free(area);
}

/* ---------------------------------------------------------------------
 * vmalloc and vfree
 */

/*
 * Fill @pages with @nr order-0 pages.  As Linux's vm_area_alloc_pages()
 * (since "mm/vmalloc: request large order pages from buddy allocator",
 * 2025): first the largest orders that fit in what is left, without direct
 * reclaim and without warning, each split into order-0 pages (a failed
 * order is not tried again, smaller ones are); then the bulk allocator,
 * then one by one.  Here it also keeps an area to a few runs of
 * pfn-contiguous pages, which is a few host mmaps (arch_map_pages_at).
 */
static unsigned int vm_area_alloc_pages(gfp_t gfp, int node, unsigned int nr,
					struct page **pages)
{
	gfp_t large_gfp = (gfp & ~(__GFP_DIRECT_RECLAIM | __GFP_NOFAIL | __GFP_COMP)) |
			  __GFP_NOWARN;
	unsigned int max_attempt_order = MAX_PAGE_ORDER;
	unsigned int got = 0;

	while (nr - got > 1) {
		unsigned int order = min((unsigned int)ilog2_u64(nr - got), max_attempt_order);
		struct page *page;

		if (!order)
			break;
		page = node == NUMA_NO_NODE ? alloc_pages(large_gfp, order) :
					      alloc_pages_node(node, large_gfp, order);
		if (unlikely(!page)) {
			max_attempt_order = order - 1;
			continue;
		}
		split_page(page, order);
		for (unsigned int i = 0; i < (1U << order); i++)
			pages[got + i] = page + i;
		got += 1U << order;
	}
	if (got < nr && node == NUMA_NO_NODE)
		got += (unsigned int)alloc_pages_bulk(gfp, nr - got, pages + got);
	while (got < nr) {
		struct page *page = node == NUMA_NO_NODE ? alloc_pages(gfp, 0) :
							   alloc_pages_node(node, gfp, 0);

		if (!page)
			break;
		pages[got++] = page;
	}
	return got;
}

static void *__vmalloc_area_node(struct vm_struct *area, gfp_t gfp_mask, pgprot_t prot, int node)
{
	struct vmalloc_globals *vg = VG();
	unsigned long addr = host_kva(vg, area->addr);
	unsigned long size = get_vm_area_size(area);
	unsigned int nr_small_pages = (unsigned int)(size >> PAGE_SHIFT);

	if (!(gfp_mask & (GFP_DMA | GFP_DMA32)))
		gfp_mask |= __GFP_HIGHMEM;
	area->pages = malloc(nr_small_pages * sizeof(struct page *));	/* see va_alloc() */
	if (area->pages)
		memset(area->pages, 0, nr_small_pages * sizeof(struct page *));
	if (!area->pages) {
		warn_alloc(gfp_mask, "vmalloc error: size %lu, page array size %lu, failed to allocated page array size",
			   nr_small_pages * PAGE_SIZE, (unsigned long)nr_small_pages * sizeof(struct page *));
		goto fail;
	}
	area->page_order = 0;
	area->nr_pages = vm_area_alloc_pages(gfp_mask | __GFP_NOWARN, node, nr_small_pages,
					     area->pages);
	atomic_fetch_add(&vg->nr_vmalloc_pages, (long)area->nr_pages);
	if (area->nr_pages != nr_small_pages) {
		warn_alloc(gfp_mask, "vmalloc error: size %lu, failed to allocate pages",
			   (unsigned long)area->nr_pages * PAGE_SIZE);
		goto fail;
	}
	if (vmap_pages_range(addr, addr + size, prot, area->pages) < 0) {
		warn_alloc(gfp_mask, "vmalloc error: size %lu, failed to map pages",
			   (unsigned long)area->nr_pages * PAGE_SIZE);
		goto fail;
	}
	return area->addr;
fail:
	vfree(area->addr);
	return NULL;
}

/**
 * __vmalloc_node_range - allocate virtually contiguous memory
 * @size: bytes (rounded up to pages)
 * @align: alignment of the start, a power of two
 * @start, @end: the range of simulated addresses to place it in
 * @gfp_mask: for the pages (and the warnings)
 * @prot: protection of the mapping
 * @vm_flags: VM_* besides VM_ALLOC
 * @node: the node of the pages, or NUMA_NO_NODE
 * @caller: recorded for /proc/vmallocinfo
 *
 * Context: may sleep (direct reclaim), like Linux's.
 * Return: the host address of the area, or NULL.
 */
void *__vmalloc_node_range(unsigned long size, unsigned long align, unsigned long start,
			   unsigned long end, gfp_t gfp_mask, pgprot_t prot,
			   unsigned long vm_flags, int node, const void *caller)
{
	unsigned long real_size = size;
	struct vm_struct *area;
	void *addr;

	if (WARN_ON_ONCE(!size))
		return NULL;
	if ((size >> PAGE_SHIFT) > totalram_pages()) {
		warn_alloc(gfp_mask, "vmalloc error: size %lu, exceeds total pages", real_size);
		return NULL;
	}
	area = __get_vm_area_node(real_size, align, VM_ALLOC | VM_UNINITIALIZED | vm_flags, start,
				  end, node, gfp_mask, caller);
	if (!area) {
		warn_alloc(gfp_mask, "vmalloc error: size %lu, vm_struct allocation failed%s",
			   real_size, (gfp_mask & __GFP_NOFAIL) ? ". Retrying." : "");
		return NULL;
	}
	addr = __vmalloc_area_node(area, gfp_mask, prot, node);
	if (!addr)
		return NULL;
	if (kasan_enabled())	/* the tail past @size is out of bounds */
		kasan_unpoison_vmalloc(addr, real_size, get_vm_area_size(area));
	/* Publish the finished area to /proc/vmallocinfo readers. */
	__atomic_and_fetch(&area->flags, ~(unsigned long)VM_UNINITIALIZED, __ATOMIC_RELEASE);
	kmemleak_vmalloc(area, PAGE_ALIGN(real_size), gfp_mask);
	return addr;
}

void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp_mask, int node,
		     const void *caller)
{
	return __vmalloc_node_range(size, align, VMALLOC_START, VMALLOC_END, gfp_mask, PAGE_KERNEL,
				    0, node, caller);
}

#define RET_IP __builtin_return_address(0)

void *(vmalloc)(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL, NUMA_NO_NODE, RET_IP);
}

void *(vzalloc)(unsigned long size)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE, RET_IP);
}

void *(vmalloc_node)(unsigned long size, int node)
{
	return __vmalloc_node(size, 1, GFP_KERNEL, node, RET_IP);
}

void *(vzalloc_node)(unsigned long size, int node)
{
	return __vmalloc_node(size, 1, GFP_KERNEL | __GFP_ZERO, node, RET_IP);
}

void *(__vmalloc)(unsigned long size, gfp_t gfp_mask)
{
	return __vmalloc_node(size, 1, gfp_mask, NUMA_NO_NODE, RET_IP);
}

void *(vmalloc_huge)(unsigned long size, gfp_t gfp_mask)
{
	return __vmalloc_node(size, 1, gfp_mask, NUMA_NO_NODE, RET_IP);
}

void *(vmalloc_user)(unsigned long size)
{
	return __vmalloc_node_range(size, SHMLBA, VMALLOC_START, VMALLOC_END,
				    GFP_KERNEL | __GFP_ZERO, PAGE_KERNEL, VM_USERMAP, NUMA_NO_NODE,
				    RET_IP);
}

/* GFP_VMALLOC32: pages below 4G (DMA32 on 64-bit, lowmem on 32-bit). */
void *(vmalloc_32)(unsigned long size)
{
	gfp_t gfp = current_layout->is_64bit ? GFP_DMA32 | GFP_KERNEL : GFP_KERNEL;

	return __vmalloc_node(size, 1, gfp, NUMA_NO_NODE, RET_IP);
}

/* Linux's __vmalloc_array(): @n elements of @size bytes, NULL on overflow. */
static void *__vmalloc_array(size_t n, size_t size, gfp_t flags, const void *caller)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return __vmalloc_node(bytes, 1, flags, NUMA_NO_NODE, caller);
}

void *(vmalloc_array)(size_t n, size_t size)
{
	return __vmalloc_array(n, size, GFP_KERNEL, RET_IP);
}

void *(vcalloc)(size_t n, size_t size)
{
	return __vmalloc_array(n, size, GFP_KERNEL | __GFP_ZERO, RET_IP);
}

/**
 * vfree - release memory allocated by vmalloc()
 * @addr: the host address vmalloc returned; NULL does nothing
 *
 * The pages go back to the page allocator at once; the address range is
 * reused only after the next purge.  An address that is no vmalloc area
 * (or not its start) gets Linux's warning and nothing else happens.
 */
void vfree(const void *addr)
{
	struct vmalloc_globals *vg = VG();
	struct vm_struct *vm;

	if (!addr)
		return;
	kmemleak_free(addr);
	vm = remove_vm_area(addr);
	if (unlikely(!vm)) {
		char a[24];

		WARN(1, "Trying to vfree() nonexistent vm area (%s)", kaddr_str(addr, a, sizeof(a)));
		return;
	}
	for (unsigned int i = 0; i < vm->nr_pages; i++)
		__free_page(vm->pages[i]);
	if (!(vm->flags & VM_MAP_PUT_PAGES))
		atomic_fetch_sub(&vg->nr_vmalloc_pages, (long)vm->nr_pages);
	free(vm->pages);
	free(vm);
}

void vfree_atomic(const void *addr)
{
	vfree(addr);
}

/* ---------------------------------------------------------------------
 * vmap
 */

void *__vmap_caller(struct page **pages, unsigned int count, unsigned long flags,
		    pgprot_t prot, const void *caller)
{
	struct vmalloc_globals *vg = VG();
	struct vm_struct *area;
	unsigned long addr, size;

	if (WARN_ON_ONCE(flags & VM_FLUSH_RESET_PERMS))
		return NULL;
	if (WARN_ON_ONCE(flags & VM_NO_GUARD))
		return NULL;
	if (!count || count > totalram_pages())
		return NULL;
	size = (unsigned long)count << PAGE_SHIFT;
	area = get_vm_area_caller(size, flags, caller);
	if (!area)
		return NULL;
	addr = host_kva(vg, area->addr);
	if (vmap_pages_range(addr, addr + size, prot, pages) < 0) {
		vunmap(area->addr);
		return NULL;
	}
	if (flags & VM_MAP_PUT_PAGES) {
		/* vfree() puts the pages; the array stays the caller's here. */
		area->pages = calloc(count, sizeof(*pages));
		if (area->pages) {
			memcpy(area->pages, pages, count * sizeof(*pages));
			area->nr_pages = count;
		}
	}
	return area->addr;
}

void *(vmap)(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot)
{
	return __vmap_caller(pages, count, flags, prot, RET_IP);
}

void vunmap(const void *addr)
{
	struct vm_struct *vm;

	if (!addr)
		return;
	vm = remove_vm_area(addr);
	if (unlikely(!vm)) {
		char a[24];

		WARN(1, "Trying to vunmap() nonexistent vm area (%s)", kaddr_str(addr, a, sizeof(a)));
		return;
	}
	free(vm->pages);
	free(vm);
}

void vm_unmap_aliases(void)
{
	purge_vmap_area_lazy();
}

/* ---------------------------------------------------------------------
 * Lookups
 */

struct page *vmalloc_to_page(const void *addr)
{
	unsigned long size;
	phys_addr_t pa;
	u64 leaf;

	if (!is_vmalloc_addr(addr))
		return NULL;
	if (pgtable_lookup(&init_mm, host_kva(VG(), addr), &pa, &size, &leaf))
		return NULL;
	return pfn_to_page(PHYS_PFN(pa));
}

unsigned long vmalloc_to_pfn(const void *addr)
{
	struct page *page = vmalloc_to_page(addr);

	return page ? page_to_pfn(page) : 0;
}

/* ---------------------------------------------------------------------
 * Boot and teardown
 */

/**
 * vmalloc_init - set up the vmalloc space of @m: one free area spanning
 * it, the vmap block queues, kmap's pkmap and fixmap state; print the
 * layout.  Called at the end of mm_core_init(), page tables up.
 */
int vmalloc_init(struct mmsim *m, char *err, size_t len)
{
	const struct mm_layout *l = &m->hw.layout;
	struct vmalloc_globals *vg = subsys_state(m, vmalloc);
	struct vmap_area *va;
	unsigned long pages;

	vg->vstart = l->vmalloc_start;
	vg->vend = min(l->vmalloc_end, l->vmalloc_start + l->vmalloc_host_size) & ~(l->page_size - 1);
	vg->host = l->vmalloc_host;
	spin_lock_init(&vg->free_vmap_area_lock);
	spin_lock_init(&vg->vmap_area_lock);
	spin_lock_init(&vg->purge_vmap_area_lock);
	pthread_mutex_init(&vg->vmap_purge_lock, NULL);
	vg->free_vmap_area_root = RB_ROOT;
	vg->vmap_area_root = RB_ROOT;
	vg->purge_vmap_area_root = RB_ROOT;
	INIT_LIST_HEAD(&vg->free_vmap_area_list);
	INIT_LIST_HEAD(&vg->purge_vmap_area_list);
	/* VMAP_BBMAP_BITS: space / 16 / CPUs, in [2 * VMAP_MAX_ALLOC, 1024]. */
	vg->kept_max_pages = arch_max_map_count() / 4;
	pages = (vg->vend - vg->vstart) >> l->page_shift;
	vg->vmap_bbmap_bits = clamp(pages / 16 / roundup_pow_of_two((unsigned long)m->nr_cpus),
				    2 * VMAP_MAX_ALLOC, VMAP_BBMAP_BITS_MAX);
	/* Blocks are aligned to their size: a power of two. */
	vg->vmap_bbmap_bits = rounddown_pow_of_two(vg->vmap_bbmap_bits);
	vg->vbq = aligned_alloc(64, (size_t)m->nr_cpus * sizeof(*vg->vbq));
	if (vg->vbq)
		memset(vg->vbq, 0, (size_t)m->nr_cpus * sizeof(*vg->vbq));
	va = va_alloc();
	if (!vg->vbq || !va) {
		free(va);
		goto nomem;
	}
	for (int i = 0; i < m->nr_cpus; i++)
		spin_lock_init(&vg->vbq[i].lock);
	vg->up = true;
	va->va_start = vg->vstart;
	va->va_end = vg->vend;
	insert_vmap_area_augment(va, &vg->free_vmap_area_root, &vg->free_vmap_area_list);
	if (kmap_init(m, &vg->highmem)) {
		snprintf(err, len, "out of host memory for kmap");
		return -ENOMEM;
	}
	print_vm_layout(m);
	return 0;
nomem:
	free(vg->vbq);
	vg->vbq = NULL;
	snprintf(err, len, "out of host memory for vmalloc");
	return -ENOMEM;
}

static void free_tree(struct rb_root *root, bool busy)
{
	struct vmap_area *va, *n;

	rbtree_postorder_for_each_entry_safe(va, n, root, rb_node) {
		if (busy && va->vm) {
			free(va->vm->pages);
			free(va->vm);
		}
		va_free(va);
	}
	*root = RB_ROOT;
}

/* Free the host memory of @m's vmalloc state (the pages go with the RAM). */
void vmalloc_teardown(struct mmsim *m)
{
	struct vmalloc_globals *vg = subsys_state(m, vmalloc);

	if (!vg->up)
		return;
	kmap_teardown(m, vg->highmem);
	for (struct rb_node *n = rb_first(&vg->vmap_area_root); n; n = rb_next(n)) {
		struct vmap_area *va = rb_entry(n, struct vmap_area, rb_node);

		if (va->flags & VMAP_BLOCK)
			free(va->vb);
	}
	free_tree(&vg->vmap_area_root, true);
	free_tree(&vg->purge_vmap_area_root, false);
	free_tree(&vg->free_vmap_area_root, false);
	pthread_mutex_destroy(&vg->vmap_purge_lock);
	free(vg->vbq);
	vg->vbq = NULL;
	vg->up = false;
}

DEFINE_SUBSYSTEM(vmalloc, SUBSYS_STATE(struct vmalloc_globals, NULL));
