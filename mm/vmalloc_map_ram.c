// SPDX-License-Identifier: GPL-2.0
/*
 * mm/vmalloc_map_ram.c - vm_map_ram()/vm_unmap_ram(): short-lived virtually
 * contiguous mappings of given pages (Linux's vm_map_ram in mm/vmalloc.c).
 *
 * Up to VMAP_MAX_ALLOC pages come from per-CPU vmap blocks of
 * vmap_bbmap_bits pages (one vmap_area each, VMAP_RAM | VMAP_BLOCK, in the
 * busy tree), handed out bump-pointer style; a block whose pages have all
 * been unmapped again is freed (lazily, as any area) as a whole.  Larger
 * requests get an area of their own (VMAP_RAM).  The allocator, the lazy
 * purge and the page-table and host mappings are mm/vmalloc.c's.
 *
 * Locking: vbq->lock (a CPU's queue) is held with a block's vb->lock; both
 * nest outside vmap_area_lock (mm/vmalloc.c's lock order).
 *
 * Invariant: a block's free + dirty pages never exceed vmap_bbmap_bits;
 * a block is freed only once all of it is dirty and it is no longer its
 * CPU's current block.
 *
 * mmsim simplification: no per-block dirty range (Linux's dirty_min and
 * dirty_max) to unmap at the purge, so vm_unmap_ram() of part of a block
 * gives the host range back at once.
 */
#include <stdlib.h>
#include <mmsim/vmalloc.h>
#include "mm/vmalloc_internal.h"

static struct vmap_block *new_vmap_block(struct vmalloc_globals *vg, int cpu)
{
	unsigned long size = vg->vmap_bbmap_bits << PAGE_SHIFT;
	struct vmap_block *vb = calloc(1, sizeof(*vb));
	struct vmap_area *va;

	if (!vb)
		return NULL;
	va = alloc_vmap_area(size, size, VMALLOC_START, VMALLOC_END, GFP_KERNEL,
			     VMAP_RAM | VMAP_BLOCK, NULL);
	if (!va) {
		free(vb);
		return NULL;
	}
	spin_lock_init(&vb->lock);
	vb->va = va;
	vb->free = vg->vmap_bbmap_bits;
	vb->cpu = cpu;
	va->vb = vb;
	return vb;
}

static void free_vmap_block(struct vmalloc_globals *vg, struct vmap_block *vb)
{
	struct vmap_area *va = vb->va;

	spin_lock(&vg->vmap_area_lock);
	rb_erase(&va->rb_node, &vg->vmap_area_root);
	RB_CLEAR_NODE(&va->rb_node);
	vg->nr_busy--;
	spin_unlock(&vg->vmap_area_lock);
	free_vmap_area_noflush(va);
	free(vb);
}

/* @nr pages from this CPU's block (a new block when it is used up). */
static unsigned long vb_alloc(struct vmalloc_globals *vg, unsigned long nr)
{
	int cpu = smp_processor_id();
	struct vmap_block_queue *vbq = &vg->vbq[cpu];
	struct vmap_block *vb, *old = NULL;
	unsigned long addr;

	spin_lock(&vbq->lock);
	vb = vbq->cur;
	if (!vb || vb->free < nr) {
		struct vmap_block *nvb = new_vmap_block(vg, cpu);

		if (!nvb) {
			spin_unlock(&vbq->lock);
			return 0;
		}
		old = vb;
		vbq->cur = vb = nvb;
	}
	spin_lock(&vb->lock);
	addr = vb->va->va_start + ((vg->vmap_bbmap_bits - vb->free) << PAGE_SHIFT);
	vb->free -= nr;
	spin_unlock(&vb->lock);
	if (old) {
		/* Retired: what it never handed out counts as dirty. */
		spin_lock(&old->lock);
		old->dirty += old->free;
		old->free = 0;
		if (old->dirty == vg->vmap_bbmap_bits) {
			spin_unlock(&old->lock);
			spin_unlock(&vbq->lock);
			free_vmap_block(vg, old);
			return addr;
		}
		spin_unlock(&old->lock);
	}
	spin_unlock(&vbq->lock);
	return addr;
}

static void vb_free(struct vmalloc_globals *vg, struct vmap_area *va, unsigned long addr,
		    unsigned long nr)
{
	struct vmap_block *vb = va->vb;
	struct vmap_block_queue *vbq = &vg->vbq[vb->cpu];
	bool free_it;

	/*
	 * A block lives on while other parts of it are mapped, and mmsim keeps
	 * no per-block dirty range (Linux's dirty_min/dirty_max) to unmap at
	 * the purge: the host view of these pages goes at once.
	 */
	vunmap_range_noflush(addr, addr + (nr << PAGE_SHIFT));
	vunmap_host_range(vg, addr, addr + (nr << PAGE_SHIFT));
	spin_lock(&vbq->lock);
	spin_lock(&vb->lock);
	vb->dirty += nr;
	free_it = vb->dirty == vg->vmap_bbmap_bits && vbq->cur != vb;
	spin_unlock(&vb->lock);
	spin_unlock(&vbq->lock);
	if (free_it)
		free_vmap_block(vg, vb);
}

/**
 * vm_map_ram - map @count pages virtually contiguously, for a short time
 * @pages: the pages
 * @count: how many
 * @node: preferred node of the bookkeeping (unused)
 *
 * Return: the host address, or NULL.  Undo with vm_unmap_ram(addr, count).
 */
void *vm_map_ram(struct page **pages, unsigned int count, int node)
{
	struct vmalloc_globals *vg = VG();
	unsigned long size = (unsigned long)count << PAGE_SHIFT;
	unsigned long addr;

	(void)node;
	if (!count)
		return NULL;
	if (count <= VMAP_MAX_ALLOC) {
		addr = vb_alloc(vg, count);
		if (!addr)
			return NULL;
	} else {
		struct vmap_area *va = alloc_vmap_area(size, PAGE_SIZE, VMALLOC_START, VMALLOC_END,
						       GFP_KERNEL, VMAP_RAM, NULL);

		if (!va)
			return NULL;
		addr = va->va_start;
	}
	if (vmap_pages_range(addr, addr + size, PAGE_KERNEL, pages) < 0) {
		vm_unmap_ram(kva_host(vg, addr), count);
		return NULL;
	}
	return kva_host(vg, addr);
}

void vm_unmap_ram(const void *mem, unsigned int count)
{
	struct vmalloc_globals *vg = VG();
	unsigned long addr, size = (unsigned long)count << PAGE_SHIFT;
	struct vmap_area *va;

	BUG_ON(!mem || !is_vmalloc_addr(mem));
	BUG_ON(!IS_ALIGNED((uintptr_t)mem, PAGE_SIZE));
	addr = host_kva(vg, mem);
	spin_lock(&vg->vmap_area_lock);
	va = __find_vmap_area(addr, &vg->vmap_area_root);
	if (!va || !(va->flags & VMAP_RAM) || addr + size > va->va_end) {
		spin_unlock(&vg->vmap_area_lock);
		BUG();
		return;
	}
	if (va->flags & VMAP_BLOCK) {
		spin_unlock(&vg->vmap_area_lock);
		vb_free(vg, va, addr, count);
		return;
	}
	rb_erase(&va->rb_node, &vg->vmap_area_root);
	RB_CLEAR_NODE(&va->rb_node);
	vg->nr_busy--;
	spin_unlock(&vg->vmap_area_lock);
	vunmap_range_noflush(va->va_start, va->va_end);
	free_vmap_area_noflush(va);
}

