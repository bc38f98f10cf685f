// SPDX-License-Identifier: GPL-2.0
/*
 * mm/shmem.c - shared memory objects, the first seed of Linux's shmem:
 * what MAP_SHARED|MAP_ANONYMOUS and SysV shm segments (ipc/shm.c, through
 * shmem_kernel_file_setup and the file's f_op->mmap = shmem_mmap) are made of.
 * tmpfs, memfd, swap and a real VFS inode come with the page-cache issue (12), which grows
 * this file and include/mmsim/fs.h in place; the names are Linux's.
 *
 * Design.  mmap_region() calls shmem_zero_setup(vma) for a new shared
 * anonymous VMA, as Linux does: it makes an unlinked shmem file
 * "/dev/zero" whose inode is as large as the mapping (i_size = len), makes
 * it the VMA's vm_file (the VMA holds a file reference) and sets
 * vm_ops = &shmem_anon_vm_ops.  The VMA is then not anonymous
 * (vma_is_anonymous() is false); its faults go through mm/memory.c's
 * do_fault -> shmem_fault -> shmem_get_folio, which finds the folio at
 * vmf->pgoff in the file's page cache (mapping->i_pages, an XArray, through
 * mm/filemap.c's filemap_get_folio) or allocates a zeroed, uptodate,
 * swap-backed one and adds it there (filemap_add_folio).  The cache holds
 * one reference on each of its pages (filemap_add_folio takes it); each
 * PTE holds another (folio_add_file_rmap_pte).  A page is
 *   page->mapping = the file's address_space (no PAGE_MAPPING_ANON bit),
 *   page->index   = its page offset in the file,
 *   PG_swapbacked, PG_uptodate,
 * counted in the node's NR_FILE_PAGES and NR_SHMEM (meminfo Cached and
 * Shmem) while in the cache, and in NR_FILE_MAPPED (Mapped) while mapped;
 * the mm of each PTE counts it in MM_SHMEMPAGES (mm_counter_file).
 * fork does not copy a shared VMA's PTEs (it has no anon_vma): the child
 * faults the same pages in from the cache.  rmap_walk reaches a page's
 * mappings through mapping->i_mmap, the VMAs whose vm_file it is.
 * mremap keeps the file: growing a VMA past i_size leaves pages that
 * fault with VM_FAULT_SIGBUS, as Linux's shmem (the object never grows).
 *
 * Accounting: the object is charged to Committed_AS when it is made
 * (shmem_acct_size: its pages, none with VM_NORESERVE outside overcommit
 * mode 2 -- mmap_region leaves VM_NORESERVE set only where it may) and
 * uncharged when it is freed; mapping it again, splitting it or forking
 * charges nothing.
 *
 * Lifetime: the file is freed with its last fput, i.e. when the last VMA
 * mapping it is freed (vm_area_free), or its owner's (SysV shm's segment,
 * ipc/shm.c, holds one until it is destroyed).  By then every PTE is gone
 * (munmap/exit zap before they free VMAs); shmem_evict_inode truncates
 * the whole object: it walks the cache in batches (filemap_get_folios)
 * and removes each folio locked (filemap_remove_folio), which drops the
 * cache's reference and clears page->mapping, so that pages no longer
 * pinned (GUP) go back to the buddy allocator.
 *
 * Locking.  i_pages is guarded by its xa_lock (mm/filemap.c, taken by
 * lookups too): a fault looks up, and adds with filemap_add_folio, failing
 * with -EEXIST when another CPU added first (the loser frees its page and
 * takes the winner's).  A new folio is complete (zeroed, uptodate) before
 * it is added, so a lookup may map it without waiting on its lock.  Folio
 * locks are taken only by eviction, when nobody else can reach the object.
 * No page leaves i_pages while a VMA maps the file,
 * so a page found there may be referenced without further locking.
 * i_mmap is changed under i_mmap_rwsem for writing and walked under it
 * for reading (rmap_walk); its users hold the VMA's mmap_lock.  A VMA
 * leaves i_mmap before its page tables are freed (free_pgtables, as
 * Linux's unlink_file_vma), so a walker never reaches freed tables, or
 * when it is freed (vm_area_free) if it never had tables freed.
 *
 * Invariants: page_count(page) == 1 (the cache) + the PTEs mapping it +
 * GUP references; nrpages == the entries of i_pages (no shadows: shmem
 * leaves none) == the pages whose mapping is this one; every VMA on i_mmap has vm_file->f_mapping == it.
 */
#include <string.h>
#include <errno.h>
#include <limits.h>
#include <mmsim/err.h>
#include <mmsim/shmem_fs.h>
#include <mmsim/pagemap.h>
#include <mmsim/rmap.h>
#include <mmsim/slab.h>
#include <mmsim/highmem.h>
#include <mmsim/vmstat.h>
#include "mm/fault_internal.h"

struct shmem_inode_info {
	unsigned long flags;		/* VM_NORESERVE: not charged */
	unsigned long charged;		/* pages charged by shmem_acct_size */
	struct inode vfs_inode;
};

/* One allocation: an anonymous shmem file and its inode. */
struct shmem_file {
	struct file file;
	struct shmem_inode_info info;
};

static inline struct shmem_inode_info *SHMEM_I(struct inode *inode)
{
	return container_of(inode, struct shmem_inode_info, vfs_inode);
}

static vm_fault_t shmem_fault(struct vm_fault *vmf);

static const struct vm_operations_struct shmem_anon_vm_ops = {
	.fault = shmem_fault,
};

bool vma_is_anon_shmem(const struct vm_area_struct *vma)
{
	return vma->vm_ops == &shmem_anon_vm_ops;
}

bool vma_is_shmem(const struct vm_area_struct *vma)
{
	return vma_is_anon_shmem(vma);
}

bool shmem_mapping(const struct address_space *mapping)
{
	return mapping && mapping->host;	/* every mapping is shmem's so far */
}

unsigned long shmem_charged_pages(const struct file *file)
{
	return file ? SHMEM_I(file->f_inode)->charged : 0;
}

/* --- the page cache -------------------------------------------------- */

/*
 * The last reference is gone: give every page back (shmem_evict_inode's
 * truncation of the whole object, Linux's shmem_undo_range): each folio,
 * locked, leaves the cache with the cache's reference.
 */
static void shmem_evict_inode(struct inode *inode)
{
	struct address_space *mapping = inode->i_mapping;
	struct folio_batch fbatch;
	pgoff_t index = 0;

	WARN_ON_ONCE(!list_empty(&mapping->i_mmap));
	folio_batch_init(&fbatch);
	while (filemap_get_folios(mapping, &index, (pgoff_t)-1, &fbatch)) {
		for (unsigned int i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *folio = fbatch.folios[i];

			folio_lock(folio);
			if (folio->page.mapping == mapping)
				filemap_remove_folio(folio);
			folio_unlock(folio);
		}
		folio_batch_release(&fbatch);
		if (index == (pgoff_t)-1)
			break;
	}
	xa_destroy(&mapping->i_pages);
	WARN_ON_ONCE(atomic_long_read(&mapping->nrpages));
	if (SHMEM_I(inode)->charged)
		vm_unacct_memory((long)SHMEM_I(inode)->charged);	/* shmem_unacct_size */
	destroy_rwsem(&mapping->i_mmap_rwsem);
}

static int shmem_release(struct inode *inode, struct file *file)
{
	struct shmem_file *sf = container_of(file, struct shmem_file, file);

	shmem_evict_inode(inode);
	kfree(sf);
	return 0;
}

const struct file_operations shmem_file_operations = {
	.mmap = shmem_mmap,
	.release = shmem_release,
};

/*
 * shmem_kernel_file_setup - an unlinked shmem file of @size bytes (Linux:
 * on the internal shm_mnt, S_PRIVATE).  @flags: VM_NORESERVE not to charge
 * its pages to Committed_AS.
 */
static struct file *__shmem_file_setup(struct mm_struct *mm, const char *name, loff_t size,
				       unsigned long flags)
{
	struct shmem_file *sf;
	struct inode *inode;
	unsigned long pages = (unsigned long)((size + PAGE_SIZE - 1) >> PAGE_SHIFT);

	if (size < 0)
		return ERR_PTR(-EINVAL);
	/* shmem_acct_size */
	if (!(flags & VM_NORESERVE) && security_vm_enough_memory_mm(mm, (long)pages))
		return ERR_PTR(-ENOMEM);
	sf = kzalloc(sizeof(*sf), GFP_KERNEL);
	if (!sf) {
		if (!(flags & VM_NORESERVE))
			vm_unacct_memory((long)pages);
		return ERR_PTR(-ENOMEM);
	}
	sf->info.flags = flags & VM_NORESERVE;
	sf->info.charged = (flags & VM_NORESERVE) ? 0 : pages;
	inode = &sf->info.vfs_inode;
	inode->i_ino = get_next_ino();
	atomic_set(&inode->i_count, 1);
	inode->i_size = size;
	inode->i_mapping = &inode->i_data;
	inode->i_data.host = inode;
	address_space_init_once(&inode->i_data);
	atomic_long_set(&sf->file.f_count, 1);
	sf->file.f_inode = inode;
	sf->file.f_mapping = inode->i_mapping;
	sf->file.f_name = name;
	sf->file.f_op = &shmem_file_operations;
	return &sf->file;
}

struct file *shmem_kernel_file_setup(const char *name, loff_t size, unsigned long flags)
{
	return __shmem_file_setup(current ? current->mm : NULL, name, size, flags);
}

/*
 * shmem_zero_setup - back a new shared anonymous VMA (not yet in the tree)
 * with a shmem file of its size, as Linux's mmap of /dev/zero or
 * MAP_SHARED|MAP_ANONYMOUS.  The VMA takes the file's first reference.
 */
int shmem_zero_setup(struct vm_area_struct *vma)
{
	loff_t size = (loff_t)(vma->vm_end - vma->vm_start);
	struct file *file = __shmem_file_setup(vma->vm_mm, "/dev/zero", size, vma->vm_flags);

	if (IS_ERR(file))
		return (int)PTR_ERR(file);
	if (vma->vm_file)
		fput(vma->vm_file);
	vma->vm_file = file;
	vma->vm_ops = &shmem_anon_vm_ops;
	vma_link_file(vma);
	return 0;
}

/*
 * shmem_file_setup - as shmem_kernel_file_setup (Linux's differ in the
 * inode's S_PRIVATE only, which mmsim does not have).
 */
struct file *shmem_file_setup(const char *name, loff_t size, unsigned long flags)
{
	return shmem_kernel_file_setup(name, size, flags);
}

/* ->mmap (do_mmap of a shmem file): its VMAs fault from the object. */
int shmem_mmap(struct file *file, struct vm_area_struct *vma)
{
	(void)file;
	vma->vm_ops = &shmem_anon_vm_ops;
	return 0;
}

/* --- i_mmap ---------------------------------------------------------- */

void i_mmap_lock_read(struct address_space *mapping)
{
	down_read(&mapping->i_mmap_rwsem);
}

void i_mmap_lock_write(struct address_space *mapping)
{
	down_write(&mapping->i_mmap_rwsem);
}

void i_mmap_unlock_write(struct address_space *mapping)
{
	up_write(&mapping->i_mmap_rwsem);
}

void i_mmap_unlock_read(struct address_space *mapping)
{
	up_read(&mapping->i_mmap_rwsem);
}

void vma_link_file(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file->f_mapping;

	down_write(&mapping->i_mmap_rwsem);
	list_add_tail(&vma->shared, &mapping->i_mmap);
	up_write(&mapping->i_mmap_rwsem);
}

/* free_pgtables unlinks a VMA before its tables go, vm_area_free any other. */
void vma_unlink_file(struct vm_area_struct *vma)
{
	struct address_space *mapping = vma->vm_file->f_mapping;

	down_write(&mapping->i_mmap_rwsem);
	if (!list_empty(&vma->shared))
		list_del_init(&vma->shared);
	up_write(&mapping->i_mmap_rwsem);
}

/* --- faults ---------------------------------------------------------- */

/*
 * shmem_get_folio: the folio at @index, with a reference for the caller;
 * allocated (zeroed, uptodate, swap-backed: complete before any other CPU
 * can find it) and added to the cache when absent.  Losing the race to
 * add (-EEXIST), it frees its own and takes the winner's.
 */
static int shmem_get_folio(struct inode *inode, pgoff_t index, struct folio **foliop)
{
	struct address_space *mapping = inode->i_mapping;
	struct folio *folio;
	struct page *page;
	int err;

	for (;;) {
		folio = filemap_get_folio(mapping, index);
		if (!IS_ERR(folio)) {
			*foliop = folio;
			return 0;
		}
		page = alloc_page(mapping_gfp_mask(mapping));
		if (!page)
			return -ENOMEM;
		clear_highpage(page);
		SetPageUptodate(page);
		page_flag_set(page, PG_swapbacked);
		folio = page_folio(page);
		err = filemap_add_folio(mapping, folio, index, GFP_KERNEL);
		if (!err)
			break;
		page_flag_clear(page, PG_swapbacked);
		__free_page(page);
		if (err != -EEXIST)
			return err;
	}
	folio_unlock(folio);
	*foliop = folio;		/* the allocation's reference; the cache took its own */
	return 0;
}

/* ->fault: vmf->page gets the page at vmf->pgoff, referenced for the PTE. */
static vm_fault_t shmem_fault(struct vm_fault *vmf)
{
	struct inode *inode = file_inode(vmf->vma->vm_file);
	struct folio *folio;
	int err;

	/* Beyond EOF (a VMA grown by mremap): SIGBUS, as Linux's shmem. */
	if (vmf->pgoff >= (pgoff_t)((inode->i_size + PAGE_SIZE - 1) >> PAGE_SHIFT))
		return VM_FAULT_SIGBUS;
	err = shmem_get_folio(inode, vmf->pgoff, &folio);
	if (!err)
		vmf->page = &folio->page;
	if (err)
		return err == -ENOMEM ? VM_FAULT_OOM : VM_FAULT_SIGBUS;
	return 0;
}
