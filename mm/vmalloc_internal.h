/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/vmalloc_internal.h - what mm/vmalloc.c (the vmap_area allocator and the
 * vmalloc/vmap API) shares with mm/vmalloc_map_ram.c (vm_map_ram and its
 * per-CPU vmap blocks) and mm/vmalloc_info.c (what vmalloc shows:
 * /proc/vmallocinfo's walk, statistics, the invariant check, the boot
 * layout print); not part of the API and not for other files.
 * Grouped by the file that owns each name.
 */
#ifndef MMSIM_MM_VMALLOC_INTERNAL_H
#define MMSIM_MM_VMALLOC_INTERNAL_H

#include <pthread.h>
#include <mmsim/vmalloc.h>
#include <mmsim/spinlock.h>
#include "mm/internal.h"

/*
 * mm/vmalloc.c: a machine's vmalloc state, the state of subsystem
 * "vmalloc" (init/init.h: subsys_state(m, vmalloc)), allocated with the
 * machine and set up by vmalloc_init().  Which lock guards which field,
 * and the lock order, are in the header comment of mm/vmalloc.c.
 */
struct vmap_block_queue;

struct vmalloc_globals {
	bool up;			/* vmalloc_init() ran (vmalloc_teardown() undoes it) */
	unsigned long vstart, vend;	/* the allocatable space (simulated) */
	char *host;			/* host address of vstart */

	spinlock_t free_vmap_area_lock;
	struct rb_root free_vmap_area_root;
	struct list_head free_vmap_area_list;	/* address order */

	spinlock_t vmap_area_lock;
	struct rb_root vmap_area_root;		/* busy */
	unsigned long nr_busy;

	spinlock_t purge_vmap_area_lock;
	struct rb_root purge_vmap_area_root;
	struct list_head purge_vmap_area_list;	/* address order */
	pthread_mutex_t vmap_purge_lock;

	atomic_long vmap_lazy_nr;		/* pages in the purge tree */
	atomic_long nr_vmalloc_pages;		/* pages of vmalloc areas */
	atomic_ulong nr_purges, nr_host_maps, nr_host_unmaps;

	/*
	 * vmap_purge_lock: the span purged with arch_protect_none_range()
	 * since the last collapse (kept_end 0: none), whose host VMAs were
	 * kept; collapsed when it exceeds kept_max_pages.
	 */
	unsigned long kept_start, kept_end, kept_max_pages;

	unsigned long vmap_bbmap_bits;		/* pages per vmap block */
	struct vmap_block_queue *vbq;		/* [nr_cpus] */

	void *highmem;				/* mm/highmem.c's state */
};

static inline struct vmalloc_globals *VG(void)
{
	return subsys_state(current_machine(), vmalloc);
}

static inline unsigned long va_size(const struct vmap_area *va)
{
	return va->va_end - va->va_start;
}

/*
 * mm/vmalloc_map_ram.c: vm_map_ram's per-CPU vmap blocks (the queues hang
 * off vmalloc_globals.vbq; vmalloc_init() sets them up).
 */
#define VMAP_MAX_ALLOC		64UL	/* BITS_PER_LONG: vm_map_ram from blocks */

/* A CPU's current vmap block (vm_map_ram). */
struct vmap_block {
	spinlock_t lock;
	struct vmap_area *va;
	unsigned long free;		/* pages not handed out yet */
	unsigned long dirty;		/* pages handed out and unmapped again */
	int cpu;
};

struct vmap_block_queue {
	spinlock_t lock;
	struct vmap_block *cur;		/* the block small requests come from */
} __attribute__((aligned(64)));

static inline void *kva_host(struct vmalloc_globals *vg, unsigned long kva)
{
	return vg->host + (kva - vg->vstart);
}

static inline unsigned long host_kva(struct vmalloc_globals *vg, const void *p)
{
	return vg->vstart + (unsigned long)((const char *)p - vg->host);
}


/* mm/vmalloc.c: the allocator and the mappings, for mm/vmalloc_map_ram.c. */
struct vmap_area *__find_vmap_area(unsigned long addr, struct rb_root *root);
struct vmap_area *alloc_vmap_area(unsigned long size, unsigned long align, unsigned long vstart,
				  unsigned long vend, gfp_t gfp_mask, unsigned long va_flags,
				  struct vm_struct *vm);
void free_vmap_area_noflush(struct vmap_area *va);
int vmap_pages_range(unsigned long addr, unsigned long end, pgprot_t prot, struct page **pages);
void vunmap_range_noflush(unsigned long start, unsigned long end);
void vunmap_host_range(struct vmalloc_globals *vg, unsigned long start, unsigned long end);

/* mm/vmalloc_info.c: the boot "Virtual kernel memory layout:" block. */
void print_vm_layout(struct mmsim *m);

#endif
