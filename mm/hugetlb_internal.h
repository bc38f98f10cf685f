/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm/hugetlb_internal.h - what mm/hugetlb.c (pools, objects, faults) and
 * mm/hugetlb_files.c (boot parameters, sysfs, sysctl, meminfo) share.
 * Not installed.
 */
#ifndef MMSIM_MM_HUGETLB_INTERNAL_H
#define MMSIM_MM_HUGETLB_INTERNAL_H

#include <pthread.h>
#include <mmsim/hugetlb.h>
#include <mmsim/fs.h>
#include "mm/fault_internal.h"

#define HUGETLB_MAX_BOOT_PARAMS	8
#define HUGETLB_MAX_BOOTMEM	64	/* gigantic boot pages per size */

/* One hugepagesz=/hugepages= pair of the command line, in order. */
struct hugetlb_boot_param {
	unsigned long size;		/* bytes; 0: the default size (hugepages= came first) */
	long count;			/* pages; -1: hugepagesz= without hugepages= */
	long node_count[MAX_NUMNODES];	/* hugepages=N:C,...; -1 where not given */
	bool per_node;
};

/*
 * struct hugetlb_state - the subsystem's per-machine state.
 * @lock is Linux's hugetlb_lock: every count and list of every hstate, the
 * reservation bitmaps and page caches of the objects.  @fault_mutex is
 * Linux's hugetlb_fault_mutex_table reduced to one entry: faults on hugetlb
 * VMAs are serialized (taken before any mm's page_table_lock).  Lock order:
 * fault_mutex -> mm->page_table_lock -> hugetlb_lock.  Page allocation and
 * zeroing happen with neither spinlock held.
 */
struct hugetlb_state {
	spinlock_t lock;
	pthread_mutex_t fault_mutex;
	struct hstate hstates[HUGE_MAX_HSTATE];
	int nr_hstates;				/* hugetlb_max_hstate */
	int default_idx;			/* default_hstate_idx */
	bool ready;				/* hstates built (hugetlb_bootmem_alloc) */
	/* the command line */
	struct hugetlb_boot_param params[HUGETLB_MAX_BOOT_PARAMS];
	int nr_params;
	unsigned long default_size_param;	/* default_hugepagesz=, bytes; 0: none */
	/* gigantic pages taken from memblock, made folios by hugetlb_init */
	phys_addr_t bootmem[HUGE_MAX_HSTATE][HUGETLB_MAX_BOOTMEM];
	int nr_bootmem[HUGE_MAX_HSTATE];
	int bootmem_nid[HUGE_MAX_HSTATE][HUGETLB_MAX_BOOTMEM];
};

struct hugetlb_state *hugetlb_state(void);

/*
 * struct hugetlb_obj - what a hugetlbfs inode is to Linux: the object a
 * MAP_HUGETLB or SHM_HUGETLB mapping maps.  Its struct file is the one the
 * VMAs hold (vm_file; f_count is the object's refcount, ->release frees it).
 * Huge page index i covers bytes [i << huge_page_shift, ...) of the object.
 *  - resv: bit i set == a page of index i is reserved (counted in
 *    h->resv_huge_pages) and not yet faulted.  Shared objects keep
 *    their reservations until the object goes (Linux: the inode's
 *    resv_map); private ones hold the bits of their owner VMAs (Linux:
 *    the VMA's resv_map, HPAGE_RESV_OWNER), given back by munmap.
 *  - pages (shared objects only): the page cache, index -> folio, one
 *    reference each.  Private pages belong to the leaves mapping them.
 * Under hugetlb_lock: resv, nr_resv, pages.
 */
struct hugetlb_obj {
	struct file file;		/* f_count: the references (VMAs, SysV segment) */
	struct inode inode;		/* i_ino, i_size, i_data (i_mmap of the VMAs) */
	struct hstate *h;
	bool shared;
	bool shm;			/* a SysV segment: reserved at shmget, never at attach */
	unsigned long nr;		/* huge pages the object spans */
	unsigned long *resv;		/* bitmap of nr bits */
	unsigned long nr_resv;		/* bits set */
	struct folio **pages;		/* shared: nr slots */
	char name[32];
};

/* The reservation bitmap, under hugetlb_lock (Linux keeps regions). */
#define RESV_BITS	(8 * sizeof(unsigned long))
static inline bool resv_test(const struct hugetlb_obj *obj, unsigned long i)
{
	return obj->resv[i / RESV_BITS] & (1UL << (i % RESV_BITS));
}
static inline void resv_set(struct hugetlb_obj *obj, unsigned long i)
{
	obj->resv[i / RESV_BITS] |= 1UL << (i % RESV_BITS);
	obj->nr_resv++;
}
static inline void resv_clear(struct hugetlb_obj *obj, unsigned long i)
{
	obj->resv[i / RESV_BITS] &= ~(1UL << (i % RESV_BITS));
	obj->nr_resv--;
}

/* vm_private_data of a private hugetlb VMA: HPAGE_RESV_OWNER in the one whose
 * mmap reserved the pages (and its splits), NULL in fork's copies. */
#define HPAGE_RESV_OWNER	1UL

/* The object of a hugetlb VMA: its file's (SysV shm keeps vm_private_data). */
static inline struct hugetlb_obj *vma_hugetlb_obj(const struct vm_area_struct *vma)
{
	return container_of(vma->vm_file, struct hugetlb_obj, file);
}
static inline bool vma_resv_owner(const struct vm_area_struct *vma)
{
	return (unsigned long)vma->vm_private_data & HPAGE_RESV_OWNER;
}
/* The object index of @addr in @vma. */
static inline unsigned long vma_hugecache_offset(struct hstate *h, const struct vm_area_struct *vma,
						 unsigned long addr)
{
	return ((addr - vma->vm_start) >> huge_page_shift(h)) +
	       (vma->vm_pgoff >> huge_page_order(h));
}

/* mm/hugetlb.c: a folio for index @idx of @vma's object: from the reservation
 * when one is held for it (and @may_reserve), else from what is unreserved,
 * else a surplus page; NULL when the pool is dry.  Refcount 1, not zeroed. */
struct folio *alloc_hugetlb_folio(struct vm_area_struct *vma, unsigned long idx,
				  bool may_reserve);
/* The shared object's page at @idx with a reference, or NULL. */
struct folio *hugetlb_obj_find_get(struct hugetlb_obj *obj, unsigned long idx);
/* Put @folio at @idx of the shared object (its reference moves there);
 * false if another fault put one there first. */
bool hugetlb_obj_add(struct hugetlb_obj *obj, unsigned long idx, struct folio *folio);
void hugetlb_lock_acquire(void);
void hugetlb_lock_release(void);

/* mm/hugetlb.c: the pool operations the files use (hugetlb_lock not held). */
int set_max_huge_pages(struct hstate *h, unsigned long count, int nid);
void set_nr_overcommit_huge_pages(struct hstate *h, unsigned long count);
int hugetlb_init_hstates(struct hugetlb_state *hs, char *err, size_t len);
void hugetlb_prep_bootmem(struct hugetlb_state *hs);
void hugetlb_free_all_pools(struct hugetlb_state *hs);
/* "2.00 MiB", "1.00 GiB" (Linux's string_get_size in HugeTLB's boot lines). */
void hugetlb_size_string(unsigned long bytes, char *buf, size_t len);

#endif
