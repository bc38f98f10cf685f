// SPDX-License-Identifier: GPL-2.0
/*
 * drivers/infiniband/core/umem.c - pinning user memory for RDMA
 * (Linux's ib_umem_get / ib_umem_release), the model long-term pinning is
 * written for: a device will DMA to these pages for as long as the memory
 * region is registered, so they must neither move nor be reclaimed.
 *
 * ib_umem_get(), as Linux's:
 *   1. reject a range that wraps or overflows when page-aligned (-EINVAL),
 *      a zero memlock limit without CAP_IPC_LOCK (can_do_mlock: -EPERM),
 *      and IB_ACCESS_ON_DEMAND (ODP: not modelled, -EOPNOTSUPP);
 *   2. account the span in mm->pinned_vm first (atomic add) and back it
 *      out with -ENOMEM if that passes RLIMIT_MEMLOCK without CAP_IPC_LOCK;
 *   3. pin in batches with pin_user_pages_fast(FOLL_LONGTERM, + FOLL_WRITE
 *      for writable access): GUP migrates ZONE_MOVABLE pages out before
 *      the pins stay (mm/gup.c);
 *   4. build the scatter-gather table, merging physically contiguous
 *      pages into one entry (sg_alloc_append_table_from_pages), and
 *      "DMA-map" it: direct mapping, the DMA address is the physical one;
 *   5. on any failure, unpin what was pinned and un-account the span.
 * ib_umem_release() unpins (unpin_user_page_range_dirty_lock: dirty if
 * writable), subtracts the span from pinned_vm and drops the mm.
 *
 * Invariant: while a umem lives, its owning mm's pinned_vm includes
 * ib_umem_num_pages(umem), and each of its pages holds one FOLL_PIN
 * (folio_maybe_dma_pinned).
 *
 * Locking: as Linux, none of its own: pin_user_pages_fast takes the mmap
 * lock; pinned_vm is atomic.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/ib_umem.h>
#include <mmsim/mm_vma.h>
#include <mmsim/sched.h>
#include <mmsim/slab.h>
#include <mmsim/err.h>

bool can_do_mlock(void);	/* mm/mlock.c */
bool capable(int cap);		/* mm/util.c */
#define UMEM_CAP_IPC_LOCK	14

/* Build @umem->sgt from its pages: physically contiguous runs merge. */
static int umem_build_sgt(struct ib_umem *umem)
{
	unsigned long n = umem->nr_pinned, off = ib_umem_offset(umem), left = umem->length;
	struct scatterlist *sg;
	unsigned int nents = 0;

	sg = kcalloc(n ? n : 1, sizeof(*sg), GFP_KERNEL);
	if (!sg)
		return -ENOMEM;
	for (unsigned long i = 0; i < n; i++) {
		unsigned int len = (unsigned int)min(left, (unsigned long)PAGE_SIZE - off);
		struct scatterlist *prev = nents ? &sg[nents - 1] : NULL;

		if (prev && page_to_pfn(umem->pages[i]) ==
				    page_to_pfn(prev->page) + ((prev->offset + prev->length) >> PAGE_SHIFT) &&
		    !((prev->offset + prev->length) & ~PAGE_MASK)) {
			prev->length += len;
		} else {
			sg[nents].page = umem->pages[i];
			sg[nents].offset = (unsigned int)off;
			sg[nents].length = len;
			nents++;
		}
		left -= len;
		off = 0;
	}
	/* dma_map_sgtable with dma-direct: the bus address is the physical one */
	for (unsigned int i = 0; i < nents; i++) {
		sg[i].dma_address = (dma_addr_t)PFN_PHYS(page_to_pfn(sg[i].page)) + sg[i].offset;
		sg[i].dma_length = sg[i].length;
	}
	umem->sgt.sgl = sg;
	umem->sgt.orig_nents = umem->sgt.nents = nents;
	return 0;
}

static void __ib_umem_release(struct ib_umem *umem, bool dirty)
{
	if (umem->nr_pinned)
		unpin_user_pages_dirty_lock(umem->pages, umem->nr_pinned, umem->writable && dirty);
	umem->nr_pinned = 0;
	kfree(umem->sgt.sgl);
	umem->sgt.sgl = NULL;
	kvfree(umem->pages);
	umem->pages = NULL;
}

struct ib_umem *ib_umem_get(struct ib_device *device, unsigned long addr, size_t size,
			    int access)
{
	struct task_struct *t = current;
	struct mm_struct *mm = t ? t->mm : NULL;
	unsigned long lock_limit, new_pinned, npages, cur_base;
	unsigned int gup_flags = FOLL_LONGTERM;
	struct ib_umem *umem;
	long ret;

	if (!mm)
		return ERR_PTR(-EFAULT);
	if (addr + size < addr || PAGE_ALIGN(addr + size) < addr + size)
		return ERR_PTR(-EINVAL);
	if (!can_do_mlock())
		return ERR_PTR(-EPERM);
	if (access & IB_ACCESS_ON_DEMAND)
		return ERR_PTR(-EOPNOTSUPP);
	umem = kzalloc(sizeof(*umem), GFP_KERNEL);
	if (!umem)
		return ERR_PTR(-ENOMEM);
	umem->ibdev = device;
	umem->length = size;
	umem->address = addr;
	umem->iova = addr;
	umem->writable = ib_access_writable(access);
	umem->owning_mm = mm;
	mmgrab(mm);

	npages = ib_umem_num_pages(umem);
	if (npages == 0 || npages > UINT_MAX) {
		ret = -EINVAL;
		goto out;
	}
	umem->pages = kvmalloc_array(npages, sizeof(*umem->pages), GFP_KERNEL);
	if (!umem->pages) {
		ret = -ENOMEM;
		goto out;
	}
	lock_limit = rlimit(RLIMIT_MEMLOCK) >> PAGE_SHIFT;
	new_pinned = (unsigned long)atomic_fetch_add_explicit(&mm->pinned_vm.counter, (long)npages,
							      memory_order_relaxed) + npages;
	if (new_pinned > lock_limit && !capable(UMEM_CAP_IPC_LOCK)) {
		atomic_fetch_sub_explicit(&mm->pinned_vm.counter, (long)npages, memory_order_relaxed);
		ret = -ENOMEM;
		goto out;
	}
	cur_base = addr & PAGE_MASK;
	if (umem->writable)
		gup_flags |= FOLL_WRITE;
	while (umem->nr_pinned < npages) {
		unsigned long batch = min(npages - umem->nr_pinned, 512UL);
		int pinned = pin_user_pages_fast(cur_base, (int)batch, gup_flags,
						 umem->pages + umem->nr_pinned);

		if (pinned <= 0) {
			ret = pinned ? pinned : -EFAULT;
			goto umem_release;
		}
		umem->nr_pinned += (unsigned long)pinned;
		cur_base += (unsigned long)pinned * PAGE_SIZE;
	}
	ret = umem_build_sgt(umem);
	if (ret)
		goto umem_release;
	return umem;

umem_release:
	__ib_umem_release(umem, false);
	atomic_fetch_sub_explicit(&mm->pinned_vm.counter, (long)npages, memory_order_relaxed);
out:
	kvfree(umem->pages);
	mmdrop(mm);
	kfree(umem);
	return ERR_PTR(ret);
}

void ib_umem_release(struct ib_umem *umem)
{
	if (!umem)
		return;
	__ib_umem_release(umem, true);
	atomic_fetch_sub_explicit(&umem->owning_mm->pinned_vm.counter,
				  (long)ib_umem_num_pages(umem), memory_order_relaxed);
	mmdrop(umem->owning_mm);
	kfree(umem);
}
