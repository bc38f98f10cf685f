// SPDX-License-Identifier: GPL-2.0
/*
 * mm/vmalloc_info.c - what the vmalloc space shows of itself: the walk
 * behind /proc/vmallocinfo and the names of its callers, the statistics,
 * the invariant check of the vmap trees, and the boot log's "Virtual kernel
 * memory layout:" block.  The allocator itself is mm/vmalloc.c.
 *
 * What it owns.  Nothing that changes vmalloc state: every function here
 * reads the trees and counters of mm/vmalloc.c (struct vmalloc_globals,
 * mm/vmalloc_internal.h) or, for the layout, the machine's struct
 * mm_layout and kernel image sizes with the arch addresses of
 * arch/layout.h.  No allocation path calls into this file; tests, /proc
 * renderers and vmalloc_init() do.
 *
 * Data structures: none of its own.  vmap_area_is_valid() builds a
 * temporary array of every area (busy, lazy, free), sorted by address, and
 * frees it before it returns.
 *
 * Locking.  Each walk holds the lock of the tree it walks, as mm/vmalloc.c
 * orders them: vmap_area_for_each() and vmalloc_get_stats() take
 * vmap_area_lock, purge_vmap_area_lock and free_vmap_area_lock one at a
 * time; vmap_area_is_valid() holds all three together, in that (outer
 * first) order, so it sees one consistent snapshot.  vmap_area_for_each()
 * calls @fn under the lock: @fn must not call into vmalloc.
 *
 * Invariants it checks (vmap_area_is_valid(); mm/vmalloc.c keeps them):
 *   every busy, lazy and free area is page aligned and non-empty, and each
 *       tree is in address order without overlap
 *   busy, lazy and free areas together tile [vstart, vend) exactly
 *   no two free areas touch (they are merged)
 *   the free list walks the free tree's nodes in the tree's order
 *   for every free node: subtree_max_size == max(va_size(node),
 *       left->subtree_max_size, right->subtree_max_size)
 *   vmap_lazy_nr == the pages of all lazy areas
 * and of its own output: vmalloc_get_stats() counts are those of one moment
 * per tree, not one moment for all (the locks are taken one at a time).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "arch/layout.h"
#include "mm/vmalloc_internal.h"

/* ---------------------------------------------------------------------
 * /proc/vmallocinfo, callers, statistics
 */

void vm_caller_name(const void *caller, char *buf, size_t len)
{
	uintptr_t c = (uintptr_t)caller;
	Dl_info info;

	/* A tagged site is 8-aligned + 1; an odd return address that is not
	 * is never read as one (a misaligned load, UBSan's complaint). */
	if ((c & 7) == 1) {
		const struct vm_caller_site *site = (const void *)(c & ~(uintptr_t)1);

		if (site->magic == VM_CALLER_MAGIC) {
			snprintf(buf, len, "%s+0x0/0x0", site->func);
			return;
		}
	}
	if (dladdr(caller, &info) && info.dli_sname) {
		snprintf(buf, len, "%s+0x%lx/0x0", info.dli_sname,
			 (unsigned long)(c - (uintptr_t)info.dli_saddr));
		return;
	}
	snprintf(buf, len, "0x%lx", (unsigned long)c);
}

void vmap_area_for_each(void (*fn)(const struct vmap_area *va, bool lazy, void *arg), void *arg)
{
	struct vmalloc_globals *vg = VG();
	struct rb_node *n;

	if (!vg)
		return;
	spin_lock(&vg->vmap_area_lock);
	for (n = rb_first(&vg->vmap_area_root); n; n = rb_next(n))
		fn(rb_entry(n, struct vmap_area, rb_node), false, arg);
	spin_unlock(&vg->vmap_area_lock);
	spin_lock(&vg->purge_vmap_area_lock);
	for (n = rb_first(&vg->purge_vmap_area_root); n; n = rb_next(n))
		fn(rb_entry(n, struct vmap_area, rb_node), true, arg);
	spin_unlock(&vg->purge_vmap_area_lock);
}

void vmalloc_get_stats(struct vmalloc_stats *st)
{
	struct vmalloc_globals *vg = VG();
	struct rb_node *n;

	memset(st, 0, sizeof(*st));
	spin_lock(&vg->vmap_area_lock);
	st->nr_busy = vg->nr_busy;
	spin_unlock(&vg->vmap_area_lock);
	spin_lock(&vg->free_vmap_area_lock);
	for (n = rb_first(&vg->free_vmap_area_root); n; n = rb_next(n))
		st->nr_free++;
	spin_unlock(&vg->free_vmap_area_lock);
	spin_lock(&vg->purge_vmap_area_lock);
	for (n = rb_first(&vg->purge_vmap_area_root); n; n = rb_next(n))
		st->nr_lazy++;
	spin_unlock(&vg->purge_vmap_area_lock);
	st->lazy_pages = (unsigned long)atomic_load(&vg->vmap_lazy_nr);
	st->nr_purges = atomic_load(&vg->nr_purges);
	st->nr_host_maps = atomic_load(&vg->nr_host_maps);
	st->nr_host_unmaps = atomic_load(&vg->nr_host_unmaps);
	st->vmalloc_pages = (unsigned long)atomic_load(&vg->nr_vmalloc_pages);
}

/* ---------------------------------------------------------------------
 * Invariants
 */

struct va_range {
	unsigned long start, end;
	char kind;	/* 'b' busy, 'l' lazy, 'f' free */
};

static int va_range_cmp(const void *a, const void *b)
{
	const struct va_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

static bool check_tree_order(struct rb_root *root, const char *name, size_t *count)
{
	unsigned long prev_end = 0;
	bool ok = true;

	*count = 0;
	for (struct rb_node *n = rb_first(root); n; n = rb_next(n)) {
		struct vmap_area *va = rb_entry(n, struct vmap_area, rb_node);

		if (va->va_start >= va->va_end || va->va_start < prev_end ||
		    !IS_ALIGNED(va->va_start, PAGE_SIZE) || !IS_ALIGNED(va->va_end, PAGE_SIZE)) {
			pr_err("vmap check: %s area 0x%lx-0x%lx out of order or empty\n", name,
			       va->va_start, va->va_end);
			ok = false;
		}
		prev_end = va->va_end;
		(*count)++;
	}
	return ok;
}

static unsigned long compute_subtree_max(struct rb_node *n, bool *ok)
{
	struct vmap_area *va;
	unsigned long max, l, r;

	if (!n)
		return 0;
	va = rb_entry(n, struct vmap_area, rb_node);
	l = compute_subtree_max(n->rb_left, ok);
	r = compute_subtree_max(n->rb_right, ok);
	max = max(va_size(va), max(l, r));
	if (va->subtree_max_size != max) {
		pr_err("vmap check: free area 0x%lx-0x%lx subtree_max_size %lu, should be %lu\n",
		       va->va_start, va->va_end, va->subtree_max_size, max);
		*ok = false;
	}
	return max;
}

static size_t collect(struct rb_root *root, struct va_range *r, size_t i, char kind)
{
	for (struct rb_node *n = rb_first(root); n; n = rb_next(n)) {
		struct vmap_area *va = rb_entry(n, struct vmap_area, rb_node);

		r[i].start = va->va_start;
		r[i].end = va->va_end;
		r[i++].kind = kind;
	}
	return i;
}

bool vmap_area_is_valid(void)
{
	struct vmalloc_globals *vg = VG();
	size_t nb, nl, nf, i;
	struct va_range *r;
	unsigned long lazy = 0, pos;
	struct list_head *lh;
	struct rb_node *n;
	bool ok = true;

	spin_lock(&vg->vmap_area_lock);
	spin_lock(&vg->purge_vmap_area_lock);
	spin_lock(&vg->free_vmap_area_lock);
	ok &= check_tree_order(&vg->vmap_area_root, "busy", &nb);
	ok &= check_tree_order(&vg->purge_vmap_area_root, "lazy", &nl);
	ok &= check_tree_order(&vg->free_vmap_area_root, "free", &nf);
	compute_subtree_max(vg->free_vmap_area_root.rb_node, &ok);
	/* The free list walks the tree's order. */
	n = rb_first(&vg->free_vmap_area_root);
	list_for_each(lh, &vg->free_vmap_area_list) {
		if (!n || &rb_entry(n, struct vmap_area, rb_node)->list != lh) {
			pr_err("vmap check: free list and free tree disagree\n");
			ok = false;
			break;
		}
		n = rb_next(n);
	}
	if (n) {
		pr_err("vmap check: free tree has nodes the list lacks\n");
		ok = false;
	}
	for (n = rb_first(&vg->purge_vmap_area_root); n; n = rb_next(n))
		lazy += va_size(rb_entry(n, struct vmap_area, rb_node)) >> PAGE_SHIFT;
	if (lazy != (unsigned long)atomic_load(&vg->vmap_lazy_nr)) {
		pr_err("vmap check: vmap_lazy_nr %ld, lazy areas hold %lu pages\n",
		       (long)atomic_load(&vg->vmap_lazy_nr), lazy);
		ok = false;
	}
	r = malloc((nb + nl + nf + 1) * sizeof(*r));
	if (r) {
		i = collect(&vg->vmap_area_root, r, 0, 'b');
		i = collect(&vg->purge_vmap_area_root, r, i, 'l');
		i = collect(&vg->free_vmap_area_root, r, i, 'f');
	}
	spin_unlock(&vg->free_vmap_area_lock);
	spin_unlock(&vg->purge_vmap_area_lock);
	spin_unlock(&vg->vmap_area_lock);
	if (!r)
		return ok;
	/* Together they tile [vstart, vend); free ones never touch. */
	qsort(r, i, sizeof(*r), va_range_cmp);
	pos = vg->vstart;
	for (size_t k = 0; k < i; k++) {
		if (r[k].start != pos) {
			pr_err("vmap check: %s at 0x%lx-0x%lx, expected start 0x%lx\n",
			       r[k].start < pos ? "overlap" : "hole", r[k].start, r[k].end, pos);
			ok = false;
		}
		if (k && r[k].kind == 'f' && r[k - 1].kind == 'f' && r[k - 1].end == r[k].start) {
			pr_err("vmap check: free areas 0x%lx and 0x%lx not merged\n", r[k - 1].start,
			       r[k].start);
			ok = false;
		}
		pos = r[k].end;
	}
	if (pos != vg->vend) {
		pr_err("vmap check: areas end at 0x%lx, space at 0x%lx\n", pos, vg->vend);
		ok = false;
	}
	free(r);
	return ok;
}

/* ---------------------------------------------------------------------
 * The boot layout print
 */

static void print_ml(const char *name, unsigned long b, unsigned long e, char unit)
{
	unsigned long size = ALIGN(e - b, PAGE_SIZE);

	if (!unit)
		unit = size >> 40 ? 'T' : size >> 30 ? 'G' : size >> 20 ? 'M' : 'k';
	switch (unit) {
	case 'T':
		size >>= 40;
		break;
	case 'G':
		size >>= 30;
		break;
	case 'M':
		size >>= 20;
		break;
	default:
		size >>= 10;
	}
	if (current_layout->is_64bit)
		pr_info("%-12s: 0x%016lx - 0x%016lx   (%4lu %cB)\n", name, b, e, size, unit);
	else
		pr_info("%-12s: 0x%08lx - 0x%08lx   (%4lu %cB)\n", name, b, e, size, unit);
}

/* Linux's "Virtual kernel memory layout:" block (x86_32 mem_init style). */
void print_vm_layout(struct mmsim *m)
{
	const struct mm_layout *l = &m->hw.layout;
	unsigned long lowmem_end = l->page_offset + (unsigned long)(PFN_PHYS(l->max_low_pfn) - l->phys_offset);
	unsigned long ks = arch_kimage_vaddr(l, m->hw.kernel_start);
	unsigned long text, data, init;

	text = ks + m->hw.kernel_code;
	data = text + m->hw.kernel_rodata + m->hw.kernel_rwdata;
	init = data + m->hw.kernel_init;

	pr_info("Virtual kernel memory layout:\n");
	print_ml("    fixmap", l->fixaddr_start, l->fixaddr_top, 'k');
	if (l->last_pkmap)
		print_ml("    pkmap", l->pkmap_base,
			 l->pkmap_base + ((unsigned long)l->last_pkmap << l->page_shift), 'k');
	if (l->is_64bit) {
		unsigned long vmemmap = arch_vmemmap_start(l);

		print_ml("    vmemmap", vmemmap, vmemmap + l->max_pfn * 64UL, 0);
		print_ml("    vmalloc", l->vmalloc_start, l->vmalloc_end, 0);
		print_ml("    lowmem", l->page_offset, lowmem_end, 0);
	} else {
		print_ml("    vmalloc", l->vmalloc_start, l->vmalloc_end, 'M');
		print_ml("    lowmem", l->page_offset, lowmem_end, 'M');
	}
	print_ml("      .init", data, init, 'k');
	print_ml("      .data", text, data, 'k');
	print_ml("      .text", ks, text, 'k');
}
