/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ib_umem.h - RDMA user-memory registration (Linux's include/rdma/ib_umem.h
 * and the parts of ib_verbs.h and scatterlist.h it needs).  Implementation:
 * drivers/infiniband/core/umem.c; the model: docs/pinning.md.
 *
 * ib_umem_get() pins a user buffer of current's mm for DMA the way an RDMA
 * driver's reg_mr does: the pages are accounted in mm->pinned_vm (VmPin)
 * against RLIMIT_MEMLOCK, pinned with pin_user_pages_fast(FOLL_LONGTERM)
 * -- so pages in ZONE_MOVABLE are migrated out first -- and described by a
 * scatter-gather table of DMA addresses.  ib_umem_release() unpins them
 * (dirtying them if the registration was writable) and un-accounts them.
 */
#ifndef MMSIM_IB_UMEM_H
#define MMSIM_IB_UMEM_H

#include <mmsim/mm.h>
#include <mmsim/mm_struct.h>

/* enum ib_access_flags (the ones umem reads) */
enum ib_access_flags {
	IB_ACCESS_LOCAL_WRITE = 1,
	IB_ACCESS_REMOTE_WRITE = (1 << 1),
	IB_ACCESS_REMOTE_READ = (1 << 2),
	IB_ACCESS_REMOTE_ATOMIC = (1 << 3),
	IB_ACCESS_MW_BIND = (1 << 4),
	IB_ZERO_BASED = (1 << 5),
	IB_ACCESS_ON_DEMAND = (1 << 6),
	IB_ACCESS_HUGETLB = (1 << 7),
	IB_ACCESS_RELAXED_ORDERING = (1 << 20),
};

/* A device doing DMA (mmsim: a name; DMA is direct, no IOMMU). */
struct ib_device {
	char name[64];
};

/* One run of physically contiguous pinned pages. */
struct scatterlist {
	struct page *page;		/* first page */
	unsigned int offset;		/* bytes into it */
	unsigned int length;		/* bytes */
	dma_addr_t dma_address;		/* the device's address: the physical one */
	unsigned int dma_length;
};

struct sg_table {
	struct scatterlist *sgl;
	unsigned int nents;		/* DMA-mapped entries */
	unsigned int orig_nents;	/* entries built */
};

struct ib_umem {
	struct ib_device *ibdev;
	struct mm_struct *owning_mm;	/* grabbed (mmgrab) until release */
	u64 iova;
	size_t length;			/* bytes */
	unsigned long address;		/* user start */
	u32 writable : 1;		/* FOLL_WRITE pin; pages dirtied at release */
	u32 is_odp : 1;
	struct sg_table sgt;
	struct page **pages;		/* mmsim: the pinned pages, for release */
	unsigned long nr_pinned;	/* pages pinned (== ib_umem_num_pages when done) */
};

static inline bool ib_access_writable(int access_flags)
{
	/* Linux: a remote write needs a local write too, so all of these write */
	return access_flags & (IB_ACCESS_LOCAL_WRITE | IB_ACCESS_REMOTE_WRITE |
			       IB_ACCESS_REMOTE_ATOMIC | IB_ACCESS_MW_BIND);
}

static inline unsigned long ib_umem_offset(const struct ib_umem *umem)
{
	return umem->address & ~PAGE_MASK;
}

/* Pages the registration spans (Linux's ib_umem_num_pages, PAGE_SIZE blocks). */
static inline size_t ib_umem_num_pages(const struct ib_umem *umem)
{
	return (ALIGN(umem->address + umem->length, PAGE_SIZE) -
		ALIGN_DOWN(umem->address, PAGE_SIZE)) >> PAGE_SHIFT;
}

/**
 * ib_umem_get - pin and DMA-map a user buffer of current's mm
 * @device: the device that will DMA to it
 * @addr: user address
 * @size: bytes
 * @access: IB_ACCESS_* flags
 *
 * Return: the umem, or ERR_PTR: -EINVAL (wraps, empty), -EPERM (memlock
 * limit 0 without CAP_IPC_LOCK), -EOPNOTSUPP (ON_DEMAND), -ENOMEM (over
 * RLIMIT_MEMLOCK without CAP_IPC_LOCK, or out of memory), or what
 * pin_user_pages_fast() returned (-EFAULT).
 */
struct ib_umem *ib_umem_get(struct ib_device *device, unsigned long addr, size_t size,
			    int access);
void ib_umem_release(struct ib_umem *umem);

#endif
