// SPDX-License-Identifier: GPL-2.0
/*
 * mm/mmap.c - the process address space: VMA lookup, the layout of a new
 * process, get_unmapped_area, mmap/munmap/brk, stack growth, and the
 * lifetime of an address space (dup_mmap at fork, exit_mmap at exit).
 * Linux 6.x's mm/mmap.c semantics (with fork's dup_mmap, which 6.15 moved
 * here from kernel/fork.c).
 *
 * Layout (deterministic: randomize_va_space 0, so no ASLR of any kind):
 *  - TASK_SIZE is the arch's (pgt_geom()->task_size); the default mmap
 *    window is 47 bits on x86_64 even with la57 (DEFAULT_MAP_WINDOW: a hint
 *    above it opens the rest) and TASK_SIZE elsewhere.
 *  - The stack: one VM_GROWSDOWN VMA ending at STACK_TOP (the window's
 *    top: 0x7ffffffff000 on x86_64, 0xc0000000 on i386, 1 << 48 on arm64),
 *    made as setup_arg_pages() makes it: the page holding the arguments
 *    expanded by 128 KiB (132 KiB with 4K pages, 192 KiB with 64K pages).
 *  - mmap_base = PAGE_ALIGN(STACK_TOP - gap), gap = RLIMIT_STACK +
 *    stack_guard_gap clamped to [128 MiB, STACK_TOP / 6 * 5] (x86: the
 *    window size); the legacy base (TASK_UNMAPPED_BASE) is a third of the
 *    window on x86, a quarter on arm64.  Mappings are placed
 *    top-down below mmap_base (vm_unmapped_area, keeping stack_guard_gap
 *    below VM_GROWSDOWN VMAs) with a bottom-up fallback from the legacy
 *    base; legacy_va_layout=1 (or an unlimited stack on arm64) places them
 *    bottom-up.  64-bit anonymous mappings whose length is a multiple of
 *    PMD_SIZE are PMD aligned (thp_get_unmapped_area).
 *  - The program: as a static non-PIE binary with no sections mapped:
 *    start_code == end_code == start_data == end_data == start_brk == brk
 *    == 0x400000 (x86_64, arm64: GNU ld's default text address) or
 *    0x08048000 (i386).  brk grows a "[heap]" VMA from there.
 *
 * MAP_SHARED|MAP_ANONYMOUS: a VM_SHARED VMA with vm_pgoff 0 that
 * shmem_zero_setup (mm/shmem.c) backs with a new shmem object, as Linux:
 * vm_file is the object's file, vm_ops shmem_anon_vm_ops; the object owns
 * the pages (by page offset), is charged to Committed_AS once when made
 * and lives as long as a VMA maps it.
 *
 * A file mapping (sys_mmap with an fd, do_mmap with a file): Linux's
 * checks first (a shared writable map needs FMODE_WRITE, any map
 * FMODE_READ: EACCES; a shared map of a file not open for writing loses
 * VM_MAYWRITE and VM_SHARED), then the file's f_op->mmap (Linux's
 * call_mmap) sets up the new VMA after it takes a file reference --
 * generic_file_mmap, shmem_mmap, or SysV shm's shm_mmap (ipc/shm.c), whose
 * vm_ops count attaches.  A file mapping merges with an adjacent VMA of
 * the same file whose vm_pgoff continues it (SysV shm's never: their
 * vm_private_data differs).  A shared writable VMA whose file wants write
 * notification (->page_mkwrite, or a bdi that writes back) is mapped
 * read-only (vma_set_page_prot), so its first write to each page faults.
 *
 * Locking: the system calls take current->mm's mmap_lock for writing
 * (brk, mmap, munmap) and populate after dropping it; find_vma & co. need
 * it held (read or write); lock_mm_and_find_vma takes it for reading and
 * upgrades by dropping and retaking it for writing to grow a stack.
 * dup_mmap holds both mms' locks for writing, oldmm first.
 */
#include <stdlib.h>
#include <string.h>
#include <mmsim/shmem_fs.h>
#include <mmsim/fs.h>
#include <mmsim/backing-dev.h>
#include "mm/vma.h"
#include <mmsim/hugetlb.h>

/* The flags plain MAP_SHARED accepts (Linux's LEGACY_MAP_MASK). */
#define LEGACY_MAP_MASK	(MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | 0x0800 | \
			 0x1000 | 0x4000000 | MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | \
			 MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB)

/* Linux's file_mmap_ok: [pgoff, pgoff + len) addressable in the file. */
static bool file_mmap_ok(struct file *file, unsigned long pgoff, unsigned long len)
{
	struct inode *inode = file_inode(file);
	u64 maxsize = (u64)0x7fffffffffffffffULL;	/* MAX_LFS_FILESIZE */

	if (inode && !S_ISREG(inode->i_mode) && !S_ISBLK(inode->i_mode))
		maxsize = ~0UL;
	if (len > maxsize)
		return false;
	maxsize -= len;
	return pgoff <= (maxsize >> PAGE_SHIFT);
}

/* --- lookup ---------------------------------------------------------- */

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	MA_STATE(mas, &mm->mm_mt, addr, addr);

	return mas_find(&mas, ~0UL);
}

struct vm_area_struct *find_vma_intersection(struct mm_struct *mm, unsigned long start,
					     unsigned long end)
{
	MA_STATE(mas, &mm->mm_mt, start, start);

	if (end <= start)
		return NULL;
	return mas_find(&mas, end - 1);
}

struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr)
{
	MA_STATE(mas, &mm->mm_mt, addr, addr);

	return mas_walk(&mas);
}

struct vm_area_struct *find_vma_prev(struct mm_struct *mm, unsigned long addr,
				     struct vm_area_struct **pprev)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	*pprev = vma_prev_of(mm, vma ? vma->vm_start : ~0UL);
	return vma;
}

/* --- protections ----------------------------------------------------- */

/*
 * protection_map: private writable maps are PAGE_COPY (read-only: the
 * write fault copies or reuses), shared writable ones PAGE_SHARED.
 */
pgprot_t vm_get_page_prot(vm_flags_t vm_flags)
{
	bool shared = vm_flags & VM_SHARED, r = vm_flags & VM_READ, w = vm_flags & VM_WRITE;
	bool x = vm_flags & VM_EXEC;

	if (!r && !w && !x)
		return PAGE_NONE;
	if (w && shared)
		return x ? PAGE_SHARED_EXEC : PAGE_SHARED;
	if (w)
		return x ? PAGE_COPY_EXEC : PAGE_COPY;
	return x ? PAGE_READONLY_EXEC : PAGE_READONLY;
}

/*
 * vma_wants_writenotify - Linux's: a shared writable VMA whose file wants
 * to hear of the first write to each page (->page_mkwrite) or whose pages
 * are dirty-accounted (its bdi writes back) is mapped read-only, so that
 * the first write faults (do_wp_page -> wp_page_shared) and dirties the
 * page.  Soft-dirty tracking and uffd-wp are not modelled.
 */
static bool vma_wants_writenotify(struct vm_area_struct *vma)
{
	struct backing_dev_info *bdi;

	if ((vma->vm_flags & (VM_SHARED | VM_WRITE)) != (VM_SHARED | VM_WRITE))
		return false;
	if (vma->vm_ops && vma->vm_ops->page_mkwrite)
		return true;
	if (vma->vm_flags & VM_PFNMAP)
		return false;
	if (!vma->vm_file || !vma->vm_file->f_mapping || !vma->vm_file->f_mapping->host)
		return false;
	bdi = inode_to_bdi(vma->vm_file->f_mapping->host);
	return bdi && (bdi->capabilities & BDI_CAP_WRITEBACK);
}

void vma_set_page_prot(struct vm_area_struct *vma)
{
	vm_flags_t vm_flags = vma->vm_flags;

	if (vma_wants_writenotify(vma))
		vm_flags &= ~VM_SHARED;
	vma->vm_page_prot = vm_get_page_prot(vm_flags);
}

/* x86_64 builds CONFIG_MEM_SOFT_DIRTY: new VMAs are VM_SOFTDIRTY there. */
static vm_flags_t vm_softdirty(void)
{
	enum mmsim_arch a = current_layout->arch;

	return (a == ARCH_X86_64 || a == ARCH_X86_64_LA57) ? VM_SOFTDIRTY : 0;
}

/* --- layout ---------------------------------------------------------- */

static bool arch_is_64bit(void)
{
	enum mmsim_arch a = current_layout->arch;

	return a == ARCH_X86_64 || a == ARCH_X86_64_LA57 || a == ARCH_ARM64;
}

/* DEFAULT_MAP_WINDOW: the part of the user half used without a high hint. */
static unsigned long default_map_window(void)
{
	enum mmsim_arch a = current_layout->arch;

	if (a == ARCH_X86_64 || a == ARCH_X86_64_LA57)
		return (1UL << 47) - PAGE_SIZE;
	return TASK_SIZE;
}

unsigned long mm_stack_top(void)
{
	return default_map_window();
}

static unsigned long mmap_min_addr(void)
{
	return READ_ONCE(mm_user_sysctls()->mmap_min_addr);
}

unsigned long vm_start_gap(const struct vm_area_struct *vma)
{
	unsigned long start = vma->vm_start;

	if (vma->vm_flags & VM_GROWSDOWN) {
		start -= stack_guard_gap_bytes();
		if (start > vma->vm_start)
			start = 0;
	}
	return start;
}

unsigned long vm_end_gap(const struct vm_area_struct *vma)
{
	return vma->vm_end;
}

static bool mm_is_legacy_layout(struct mm_struct *mm)
{
	return mm->mmap_base == mm->mmap_legacy_base;
}

void arch_pick_mmap_layout(struct mm_struct *mm)
{
	unsigned long top = default_map_window(), gap = mm_rlimit(RLIMIT_STACK);
	unsigned long pad = stack_guard_gap_bytes(), gap_max = top / 6 * 5;
	bool legacy = READ_ONCE(mm_user_sysctls()->legacy_va_layout);

	if (gap + pad > gap)
		gap += pad;
	if (gap < (128UL << 20))
		gap = 128UL << 20;
	else if (gap > gap_max)
		gap = gap_max;
	mm->task_size = TASK_SIZE;
	/* TASK_UNMAPPED_BASE: a third of the window on x86, a quarter on arm64 */
	mm->mmap_legacy_base = PAGE_ALIGN(current_layout->arch == ARCH_ARM64 ? top / 4 : top / 3);
	mm->mmap_base = PAGE_ALIGN(top - gap);
	/* generic mmap_is_legacy(): an unlimited stack means bottom-up too */
	if (current_layout->arch == ARCH_ARM64 && mm_rlimit(RLIMIT_STACK) == RLIM_INFINITY_UL)
		legacy = true;
	if (legacy)
		mm->mmap_base = mm->mmap_legacy_base;
}

/* --- get_unmapped_area ----------------------------------------------- */

struct vm_unmapped_area_info {
	bool topdown;
	unsigned long length, low_limit, high_limit;
};

static unsigned long unmapped_area(struct mm_struct *mm, struct vm_unmapped_area_info *info)
{
	unsigned long length = info->length, low_limit = info->low_limit, gap;
	unsigned long high_limit = info->high_limit;
	struct vm_area_struct *tmp;
	MA_STATE(mas, &mm->mm_mt, 0, 0);

	if (low_limit < mmap_min_addr())
		low_limit = mmap_min_addr();
	for (;;) {
		if (high_limit <= low_limit || high_limit - low_limit < length)
			return -ENOMEM;
		mas_reset(&mas);
		if (mas_empty_area(&mas, low_limit, high_limit - 1, length))
			return -ENOMEM;
		gap = mas.index;
		tmp = find_vma(mm, gap);
		if (tmp && (tmp->vm_flags & VM_STARTGAP_FLAGS) &&
		    vm_start_gap(tmp) < gap + length - 1) {
			low_limit = tmp->vm_end;
			continue;
		}
		return gap;
	}
}

static unsigned long unmapped_area_topdown(struct mm_struct *mm,
					   struct vm_unmapped_area_info *info)
{
	unsigned long length = info->length, low_limit = info->low_limit, gap, gap_end;
	unsigned long high_limit = info->high_limit;
	struct vm_area_struct *tmp;
	MA_STATE(mas, &mm->mm_mt, 0, 0);

	if (low_limit < mmap_min_addr())
		low_limit = mmap_min_addr();
	for (;;) {
		if (high_limit <= low_limit || high_limit - low_limit < length)
			return -ENOMEM;
		mas_reset(&mas);
		if (mas_empty_area_rev(&mas, low_limit, high_limit - 1, length))
			return -ENOMEM;
		gap_end = mas.last;
		gap = gap_end + 1 - length;
		tmp = find_vma(mm, gap_end);
		if (tmp && (tmp->vm_flags & VM_STARTGAP_FLAGS) && vm_start_gap(tmp) <= gap_end) {
			high_limit = vm_start_gap(tmp);
			continue;
		}
		return gap;
	}
}

static unsigned long vm_unmapped_area(struct mm_struct *mm, struct vm_unmapped_area_info *info)
{
	return info->topdown ? unmapped_area_topdown(mm, info) : unmapped_area(mm, info);
}

static bool mmap_address_hint_valid(unsigned long addr, unsigned long len)
{
	if (TASK_SIZE - len < addr)
		return false;
	if (current_layout->arch != ARCH_X86_64 && current_layout->arch != ARCH_X86_64_LA57)
		return true;
	return (addr > default_map_window()) == (addr + len > default_map_window());
}

/*
 * x86_64's MAP_32BIT (find_start_end): bottom-up in [1 GiB, 2 GiB), the
 * hint honoured only inside it, whatever the layout.  (Linux also
 * randomizes the start within 32 MiB; mmsim's layouts are not randomized.)
 * Other arches have no MAP_32BIT, and i386 is 32-bit anyway: the bit is
 * ignored there, as Linux does.
 */
static unsigned long map_32bit_area(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	struct vm_unmapped_area_info info = { 0 };
	const unsigned long begin = 0x40000000UL, end = 0x80000000UL;
	struct vm_area_struct *vma;

	if (addr) {
		addr = PAGE_ALIGN(addr);
		vma = find_vma(mm, addr);
		if (len <= end && end - len >= addr && addr >= mmap_min_addr() &&
		    (!vma || addr + len <= vm_start_gap(vma)))
			return addr;
	}
	info.length = len;
	info.low_limit = begin;
	info.high_limit = end;
	return vm_unmapped_area(mm, &info);
}

/* arch_get_unmapped_area(_topdown) of x86 and the generic ones of arm64. */
static unsigned long arch_get_unmapped_area(struct mm_struct *mm, unsigned long addr,
					    unsigned long len, unsigned long flags)
{
	unsigned long window = default_map_window(), end;
	struct vm_unmapped_area_info info = { 0 };
	struct vm_area_struct *vma;

	if (len > TASK_SIZE)
		return -ENOMEM;
	if (flags & MAP_FIXED)
		return addr;
	end = addr > window ? TASK_SIZE : window;
	if ((flags & MAP_32BIT) && (current_layout->arch == ARCH_X86_64 ||
				    current_layout->arch == ARCH_X86_64_LA57))
		return map_32bit_area(mm, addr, len);
	if (addr) {
		addr = PAGE_ALIGN(addr);
		if (mmap_address_hint_valid(addr, len) && addr >= mmap_min_addr() &&
		    end - len >= addr) {
			vma = find_vma(mm, addr);
			if (!vma || addr + len <= vm_start_gap(vma))
				return addr;
		}
	}
	if (!mm_is_legacy_layout(mm)) {
		info.topdown = true;
		info.length = len;
		info.low_limit = PAGE_SIZE;
		info.high_limit = mm->mmap_base;
		if (addr > window)
			info.high_limit += TASK_SIZE - window;
		addr = vm_unmapped_area(mm, &info);
		if (!(addr & ~PAGE_MASK))
			return addr;
	}
	/* bottom-up (legacy, or the fallback when the top-down search failed) */
	info.topdown = false;
	info.length = len;
	info.low_limit = mm->mmap_legacy_base;
	info.high_limit = end;
	return vm_unmapped_area(mm, &info);
}

/* __thp_get_unmapped_area: PMD-align anonymous mappings of whole PMDs. */
static unsigned long thp_get_unmapped_area(struct mm_struct *mm, unsigned long addr,
					   unsigned long len, unsigned long pgoff,
					   unsigned long flags)
{
	unsigned long size = PMD_SIZE, off = pgoff << PAGE_SHIFT, off_end = off + len;
	unsigned long off_align = ALIGN(off, size), len_pad, ret, off_sub;

	if (!arch_is_64bit())
		return 0;
	if (off_end <= off_align || (off_end - off_align) < size)
		return 0;
	len_pad = len + size;
	if (len_pad < len || (off + len_pad) < off)
		return 0;
	ret = arch_get_unmapped_area(mm, addr, len_pad, flags);
	if (IS_ERR_VALUE(ret))
		return 0;
	if (ret == addr)
		return addr;
	off_sub = (off - ret) & (size - 1);
	if (!mm_is_legacy_layout(mm) && !off_sub)
		return ret + size;
	return ret + off_sub;
}

/*
 * hugetlb_get_unmapped_area - a huge-page aligned area for a hugetlbfs
 * file: the length must be whole huge pages and a MAP_FIXED address
 * aligned (-EINVAL, Linux's prepare_hugepage_range); otherwise the area
 * is searched one huge page longer and aligned inside.
 */
static unsigned long hugetlb_get_unmapped_area(struct mm_struct *mm, struct file *file,
					       unsigned long addr, unsigned long len,
					       unsigned long flags)
{
	unsigned long size = huge_page_size(hstate_file(file)), ret;

	if (len & (size - 1))
		return -EINVAL;
	if (flags & MAP_FIXED)
		return (addr & (size - 1)) ? (unsigned long)-EINVAL : addr;
	if (len + size < len)
		return -ENOMEM;
	ret = arch_get_unmapped_area(mm, addr ? ALIGN(addr, size) : 0, len + size, flags);
	if (IS_ERR_VALUE(ret))
		return ret;
	if (addr && ret == ALIGN(addr, size))
		return ret;
	return mm_is_legacy_layout(mm) ? ALIGN(ret, size) : (ret + size) & ~(size - 1);
}

unsigned long get_unmapped_area_mm(struct mm_struct *mm, struct file *file, unsigned long addr,
				   unsigned long len, unsigned long pgoff, unsigned long flags,
				   vm_flags_t vm_flags)
{
	unsigned long ret = 0;

	(void)vm_flags;
	if (len > TASK_SIZE)
		return -ENOMEM;
	if (is_file_hugepages(file))
		ret = hugetlb_get_unmapped_area(mm, file, addr, len, flags);
	else if (!file && !(flags & MAP_SHARED) && !addr && !(flags & MAP_FIXED) &&
	    !(len & (PMD_SIZE - 1)))
		ret = thp_get_unmapped_area(mm, addr, len, pgoff, flags);
	if (!ret)
		ret = arch_get_unmapped_area(mm, addr, len, flags);
	addr = ret;
	if (IS_ERR_VALUE(addr))
		return addr;
	if (addr > TASK_SIZE - len)
		return -ENOMEM;
	if (addr & ~PAGE_MASK)
		return -EINVAL;
	/* security_mmap_addr -> cap_mmap_addr: below mmap_min_addr needs CAP_SYS_RAWIO */
	if (addr < mmap_min_addr() && !capable(CAP_SYS_RAWIO))
		return -EPERM;
	return addr;
}

unsigned long get_unmapped_area(struct file *file, unsigned long addr, unsigned long len,
				unsigned long pgoff, unsigned long flags)
{
	struct mm_struct *mm = current_user_mm();

	if (!mm)
		return -ESRCH;
	return get_unmapped_area_mm(mm, file, addr, len, pgoff, flags, 0);
}

/* --- mmap ------------------------------------------------------------ */

static unsigned long calc_vm_prot_bits(unsigned long prot)
{
	return ((prot & PROT_READ) ? VM_READ : 0) | ((prot & PROT_WRITE) ? VM_WRITE : 0) |
	       ((prot & PROT_EXEC) ? VM_EXEC : 0);
}

static unsigned long calc_vm_flag_bits(unsigned long flags)
{
	return ((flags & MAP_GROWSDOWN) ? VM_GROWSDOWN : 0) |
	       ((flags & MAP_LOCKED) ? VM_LOCKED : 0) |
	       ((flags & MAP_STACK) ? VM_NOHUGEPAGE : 0);
}

static bool accountable_mapping(struct file *file, vm_flags_t vm_flags)
{
	/* hugetlb pages are accounted by their reservations, not Committed_AS */
	if (is_file_hugepages(file))
		return false;
	return (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) == VM_WRITE;
}

/* The pages of [start, end) in VM_ACCOUNT VMAs. */
static unsigned long count_accounted_pages(struct mm_struct *mm, unsigned long start,
					   unsigned long end)
{
	unsigned long nr = 0;
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, start);

	for_each_vma_range(vmi, vma, end) {
		if (vma->vm_flags & VM_ACCOUNT)
			nr += (min(vma->vm_end, end) - max(vma->vm_start, start)) >> PAGE_SHIFT;
	}
	return nr;
}

unsigned long mmap_region(struct mm_struct *mm, struct file *file, unsigned long addr,
			  unsigned long len, vm_flags_t vm_flags, unsigned long pgoff)
{
	unsigned long end = addr + len, pglen = len >> PAGE_SHIFT, charged = 0;
	unsigned long old_pages = 0, old_acct = 0;
	struct vma_merge_struct vmg;
	struct vm_area_struct *vma = NULL;
	bool overlap = find_vma_intersection(mm, addr, end) != NULL;
	int err;

	if (overlap) {
		old_pages = count_vma_pages_range(mm, addr, end);
		old_acct = count_accounted_pages(mm, addr, end);
	}
	/* Check against address space limit. */
	if (!may_expand_vm(mm, vm_flags, pglen - old_pages))
		return -ENOMEM;
	/* Private writable mapping: check memory availability */
	if (accountable_mapping(file, vm_flags)) {
		charged = pglen - old_acct;
		if (charged && security_vm_enough_memory_mm(mm, (long)charged))
			return -ENOMEM;
		vm_flags |= VM_ACCOUNT;
	}
	/* Unmap any existing mapping in the area */
	if (overlap) {
		err = do_vmi_align_munmap(mm, addr, end);
		if (err) {
			vm_unacct_memory((long)charged);
			return (unsigned long)(long)err;
		}
		/* The old commit moves to the new VMA (Linux: nr_accounted = 0). */
		if (vm_flags & VM_ACCOUNT)
			vm_acct_memory((long)old_acct);
	}

	memset(&vmg, 0, sizeof(vmg));
	vmg.mm = mm;
	vmg.start = addr;
	vmg.end = end;
	vmg.pgoff = pgoff;
	vmg.flags = vm_flags;
	vmg.file = file;
	vmg.prev = vma_prev_of(mm, addr);
	vmg.next = find_vma(mm, addr);
	/*
	 * A shared anonymous mapping is a new object: it merges with none.
	 * A file mapping merges with a neighbour of the same file whose
	 * vm_pgoff continues it (Linux's vma_merge_new_range); SysV shm's
	 * attaches never do (their vm_private_data holds shmem's vm_ops and
	 * their ->close counts attaches).
	 */
	if (file || !(vm_flags & VM_SHARED))
		vma = vma_merge_new_range(&vmg);
	if (!vma) {
		vma = vm_area_alloc(mm);
		if (!vma)
			goto unacct;
		vma->vm_start = addr;
		vma->vm_end = end;
		vma->vm_pgoff = pgoff;
		vma->vm_flags = vm_flags;
		vma->vm_page_prot = vm_get_page_prot(vm_flags);
		/* shmem_zero_setup: the new object, charged unless VM_NORESERVE */
		if (!file && (vm_flags & VM_SHARED) && shmem_zero_setup(vma)) {
			vm_area_free(vma);
			goto unacct;
		}
		/* call_mmap: the VMA takes a file reference, the file sets vm_ops */
		if (file) {
			vma->vm_file = get_file(file);
			err = file->f_op->mmap(file, vma);
			if (err) {
				fput(vma->vm_file);
				vma->vm_file = NULL;
				vm_area_free(vma);
				goto unacct;
			}
			vma_link_file(vma);
		}
		if (vma_tree_store(mm, vma)) {
			vm_area_free(vma);
			goto unacct;
		}
		mm->map_count++;
	}
	vm_stat_account(mm, vm_flags, (long)pglen);
	if (vm_flags & VM_LOCKED) {
		if (vm_flags & VM_SPECIAL)
			vma->vm_flags &= ~VM_LOCKED_MASK;
		else
			mm->locked_vm += pglen;
	}
	vma->vm_flags |= vm_softdirty();
	vma_set_page_prot(vma);
	return addr;
unacct:
	if (vm_flags & VM_ACCOUNT)
		vm_unacct_memory((long)(charged + old_acct));
	return -ENOMEM;
}

static unsigned long round_hint_to_min(unsigned long hint)
{
	hint &= PAGE_MASK;
	if (hint && hint < mmap_min_addr())
		return PAGE_ALIGN(mmap_min_addr());
	return hint;
}

unsigned long do_mmap_mm(struct mm_struct *mm, struct file *file, unsigned long addr,
			 unsigned long len, unsigned long prot, unsigned long flags,
			 vm_flags_t vm_flags, unsigned long pgoff, unsigned long *populate)
{
	*populate = 0;
	if (!len)
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	if (!(flags & MAP_FIXED))
		addr = round_hint_to_min(addr);
	len = PAGE_ALIGN(len);
	if (!len)
		return -ENOMEM;
	if ((pgoff + (len >> PAGE_SHIFT)) < pgoff)
		return -EOVERFLOW;
	if (mm->map_count > READ_ONCE(mm_user_sysctls()->max_map_count))
		return -ENOMEM;
	addr = get_unmapped_area_mm(mm, file, addr, len, pgoff, flags, vm_flags);
	if (IS_ERR_VALUE(addr))
		return addr;
	if ((flags & MAP_FIXED_NOREPLACE) && find_vma_intersection(mm, addr, addr + len))
		return -EEXIST;
	vm_flags |= calc_vm_prot_bits(prot) | calc_vm_flag_bits(flags) | mm->def_flags |
		    VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
	if ((flags & MAP_LOCKED) && !can_do_mlock())
		return -EPERM;
	if (!mlock_future_ok(mm, vm_flags, len))
		return -EAGAIN;
	if (file) {
		fmode_t fmode = file->f_mode;	/* Linux's file->f_mode checks */

		/*
		 * Linux's do_mmap for a file: a shared writable map needs a
		 * file opened for writing (EACCES); a shared map of a
		 * read-only file may never become writable (no VM_MAYWRITE)
		 * and is not VM_SHARED; any map needs it opened for reading.
		 */
		if (!file_mmap_ok(file, pgoff, len))
			return -EOVERFLOW;
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
		case MAP_SHARED_VALIDATE:
			if ((flags & MAP_TYPE) == MAP_SHARED_VALIDATE &&
			    (flags & ~LEGACY_MAP_MASK))
				return -EOPNOTSUPP;
			if ((prot & PROT_WRITE) && !(fmode & FMODE_WRITE))
				return -EACCES;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			if (!(fmode & FMODE_WRITE))
				vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
			__attribute__((fallthrough));
		case MAP_PRIVATE:
			if (!(fmode & FMODE_READ))
				return -EACCES;
			if (!file->f_op || !file->f_op->mmap)
				return -ENODEV;
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			break;
		default:
			return -EINVAL;
		}
	} else {
		switch (flags & MAP_TYPE) {
		case MAP_SHARED:
			if (vm_flags & VM_GROWSDOWN)
				return -EINVAL;
			pgoff = 0;
			vm_flags |= VM_SHARED | VM_MAYSHARE;
			break;
		case MAP_PRIVATE:
			pgoff = addr >> PAGE_SHIFT;
			break;
		default:
			return -EINVAL;
		}
	}
	if ((flags & MAP_NORESERVE) &&
	    (READ_ONCE(mm_user_sysctls()->overcommit_memory) != OVERCOMMIT_NEVER ||
	     is_file_hugepages(file)))
		vm_flags |= VM_NORESERVE;	/* hugetlbfs honours it always */
	addr = mmap_region(mm, file, addr, len, vm_flags, pgoff);
	if (!IS_ERR_VALUE(addr) &&
	    ((vm_flags & VM_LOCKED) || (flags & (MAP_POPULATE | MAP_NONBLOCK)) == MAP_POPULATE))
		*populate = len;
	return addr;
}

unsigned long do_mmap(struct file *file, unsigned long addr, unsigned long len,
		      unsigned long prot, unsigned long flags, vm_flags_t vm_flags,
		      unsigned long pgoff, unsigned long *populate, struct list_head *uf)
{
	struct mm_struct *mm = current_user_mm();

	(void)uf;
	if (!mm)
		return -ESRCH;
	return do_mmap_mm(mm, file, addr, len, prot, flags, vm_flags, pgoff, populate);
}

/**
 * sys_mmap - mmap(2): anonymous mappings, or of the file open at @fd
 * (-EBADF if none).  @off is in bytes.
 */
unsigned long sys_mmap(unsigned long addr, unsigned long len, unsigned long prot,
		       unsigned long flags, unsigned long fd, unsigned long off)
{
	unsigned long populate, ret;
	struct mm_struct *mm;
	struct file *file = NULL;
	long err = syscall_enter_check();

	if (err)
		return (unsigned long)err;
	if (off & ~PAGE_MASK)
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS)) {
		file = fget((unsigned int)fd);
		if (!file)
			return -EBADF;
	}
	if (is_file_hugepages(file)) {
		len = ALIGN(len, huge_page_size(hstate_file(file)));
	} else if (file && (flags & MAP_HUGETLB)) {
		fput(file);
		return -EINVAL;
	} else if (flags & MAP_HUGETLB) {
		/* Linux's ksys_mmap_pgoff: an unlinked file of the MAP_HUGE_* size */
		struct hstate *hs = hstate_from_mmap_flags(flags);

		if (!hs)
			return -EINVAL;
		len = ALIGN(len, huge_page_size(hs));
		file = hugetlb_file_setup("/anon_hugepage", len, hs,
					  (flags & MAP_TYPE) != MAP_PRIVATE);
		if (IS_ERR(file))
			return (unsigned long)PTR_ERR(file);
		off = 0;
	}
	mm = current_user_mm();
	mmap_write_lock(mm);
	ret = do_mmap_mm(mm, file, addr, len, prot, flags, 0, off >> PAGE_SHIFT, &populate);
	mmap_write_unlock(mm);
	if (file)
		fput(file);
	if (populate)
		mm_populate(ret, populate);
	return ret;
}

long sys_munmap(unsigned long addr, size_t len)
{
	struct mm_struct *mm;
	long err = syscall_enter_check();

	if (err)
		return err;
	mm = current_user_mm();
	mmap_write_lock(mm);
	err = do_vmi_munmap(NULL, mm, addr, len, NULL, false);
	mmap_write_unlock(mm);
	return err;
}

/* --- brk ------------------------------------------------------------- */

unsigned long do_brk_flags(struct mm_struct *mm, unsigned long addr, unsigned long len,
			   vm_flags_t flags)
{
	struct vm_area_struct *vma = vma_prev_of(mm, addr + 1);
	unsigned long pages = len >> PAGE_SHIFT;

	flags |= VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | mm->def_flags;
	if (!may_expand_vm(mm, flags, pages))
		return -ENOMEM;
	if (mm->map_count > READ_ONCE(mm_user_sysctls()->max_map_count))
		return -ENOMEM;
	if (security_vm_enough_memory_mm(mm, (long)pages))
		return -ENOMEM;
	if (vma && vma->vm_end == addr) {
		struct vma_merge_struct vmg = {
			.mm = mm, .prev = vma, .start = addr, .end = addr + len,
			.pgoff = addr >> PAGE_SHIFT, .flags = flags,
		};
		struct vm_area_struct *merged = vma_merge_new_range(&vmg);

		if (merged) {
			vma = merged;
			goto out;
		}
	}
	vma = vm_area_alloc(mm);
	if (!vma)
		goto unacct;
	vma->vm_start = addr;
	vma->vm_end = addr + len;
	vma->vm_pgoff = addr >> PAGE_SHIFT;
	vma->vm_flags = flags;
	vma->vm_page_prot = vm_get_page_prot(flags);
	if (vma_tree_store(mm, vma)) {
		vm_area_free(vma);
		goto unacct;
	}
	mm->map_count++;
out:
	mm->total_vm += pages;
	mm->data_vm += pages;
	if (flags & VM_LOCKED)
		mm->locked_vm += pages;
	vma->vm_flags |= vm_softdirty();
	return 0;
unacct:
	vm_unacct_memory((long)pages);
	return -ENOMEM;
}

/**
 * sys_brk - brk(2): the new break, or the old one when refused (below
 * start_brk, past RLIMIT_DATA, into another mapping or its guard gap,
 * past RLIMIT_AS or the commit limit).
 */
unsigned long sys_brk(unsigned long brk)
{
	unsigned long newbrk, oldbrk, origbrk, min_brk, rlim;
	struct vm_area_struct *next, *brkvma;
	struct mm_struct *mm;
	bool populate = false;
	long err = syscall_enter_check();

	if (err)
		return (unsigned long)err;
	mm = current_user_mm();
	mmap_write_lock(mm);
	origbrk = mm->brk;
	min_brk = mm->start_brk;
	if (brk < min_brk)
		goto out;
	rlim = mm_rlimit(RLIMIT_DATA);
	if (rlim < RLIM_INFINITY_UL &&
	    (brk - mm->start_brk) + (mm->end_data - mm->start_data) > rlim)
		goto out;
	newbrk = PAGE_ALIGN(brk);
	oldbrk = PAGE_ALIGN(mm->brk);
	if (oldbrk == newbrk) {
		mm->brk = brk;
		goto success;
	}
	/* Always allow shrinking brk. */
	if (brk <= mm->brk) {
		brkvma = find_vma_intersection(mm, newbrk, oldbrk);
		if (!brkvma || brkvma->vm_start >= oldbrk)
			goto out;
		mm->brk = brk;
		if (do_vmi_align_munmap(mm, newbrk, oldbrk))
			goto out;
		goto success;
	}
	/* Only check if the next VMA is within the stack_guard_gap of the expansion area */
	next = find_vma_intersection(mm, oldbrk, newbrk + PAGE_SIZE + stack_guard_gap_bytes());
	if (next && newbrk + PAGE_SIZE > vm_start_gap(next))
		goto out;
	if (IS_ERR_VALUE(do_brk_flags(mm, oldbrk, newbrk - oldbrk, 0)))
		goto out;
	mm->brk = brk;
	if (mm->def_flags & VM_LOCKED)
		populate = true;
success:
	mmap_write_unlock(mm);
	if (populate)
		mm_populate(oldbrk, newbrk - oldbrk);
	return brk;
out:
	mm->brk = origbrk;
	mmap_write_unlock(mm);
	return origbrk;
}

/* --- stacks ---------------------------------------------------------- */

static int acct_stack_growth(struct vm_area_struct *vma, unsigned long size, unsigned long grow)
{
	struct mm_struct *mm = vma->vm_mm;

	if (!may_expand_vm(mm, vma->vm_flags, grow))
		return -ENOMEM;
	if (size > mm_rlimit(RLIMIT_STACK))
		return -ENOMEM;
	if (!mlock_future_ok(mm, vma->vm_flags, grow << PAGE_SHIFT))
		return -ENOMEM;
	if (security_vm_enough_memory_mm(mm, (long)grow))
		return -ENOMEM;
	return 0;
}

/**
 * expand_downwards - grow the VM_GROWSDOWN @vma down to @address, keeping
 * stack_guard_gap from an accessible non-stack VMA below; the limits are
 * RLIMIT_STACK, RLIMIT_AS, RLIMIT_MEMLOCK (locked stacks) and overcommit.
 */
int expand_downwards(struct vm_area_struct *vma, unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev;
	int error = 0;

	if (!(vma->vm_flags & VM_GROWSDOWN))
		return -EFAULT;
	mmap_assert_write_locked(mm);
	address &= PAGE_MASK;
	if (address < mmap_min_addr())
		return -EPERM;
	prev = vma_prev_of(mm, vma->vm_start);
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) && vma_is_accessible(prev) &&
	    (address < prev->vm_end || address - prev->vm_end < stack_guard_gap_bytes()))
		return -ENOMEM;
	if (unlikely(anon_vma_prepare(vma)))
		return -ENOMEM;
	if (address < vma->vm_start) {
		unsigned long size = vma->vm_end - address;
		unsigned long grow = (vma->vm_start - address) >> PAGE_SHIFT;
		MA_STATE(mas, &mm->mm_mt, address, vma->vm_end - 1);

		if (mas_preallocate(&mas, vma, GFP_KERNEL))
			return -ENOMEM;
		anon_vma_lock_write(vma->anon_vma);
		error = -ENOMEM;
		if (grow <= vma->vm_pgoff) {
			error = acct_stack_growth(vma, size, grow);
			if (!error) {
				if (vma->vm_flags & VM_LOCKED)
					mm->locked_vm += grow;
				vm_stat_account(mm, vma->vm_flags, (long)grow);
				anon_vma_interval_tree_pre_update_vma(vma);
				vma->vm_start = address;
				vma->vm_pgoff -= grow;
				mas_store_prealloc(&mas, vma);
				anon_vma_interval_tree_post_update_vma(vma);
			}
		}
		mas_destroy(&mas);
		anon_vma_unlock_write(vma->anon_vma);
	}
	return error;
}

int expand_stack_locked(struct vm_area_struct *vma, unsigned long addr)
{
	return expand_downwards(vma, addr);
}

struct vm_area_struct *lock_mm_and_find_vma(struct mm_struct *mm, unsigned long addr,
					    struct pt_regs *regs)
{
	struct vm_area_struct *vma;

	(void)regs;
	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (likely(vma && vma->vm_start <= addr))
		return vma;
	if (!vma || !(vma->vm_flags & VM_GROWSDOWN)) {
		mmap_read_unlock(mm);
		return NULL;
	}
	/* Upgrade: drop the read lock and take the write lock. */
	mmap_read_unlock(mm);
	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (!vma)
		goto fail;
	if (vma->vm_start <= addr)
		goto success;
	if (!(vma->vm_flags & VM_GROWSDOWN))
		goto fail;
	if (expand_stack_locked(vma, addr))
		goto fail;
success:
	mmap_write_downgrade(mm);
	return vma;
fail:
	mmap_write_unlock(mm);
	return NULL;
}

/* --- a new process --------------------------------------------------- */

static unsigned long elf_base(void)
{
	enum mmsim_arch a = current_layout->arch;

	return (a == ARCH_I386 || a == ARCH_I386_PAE) ? 0x08048000UL : 0x400000UL;
}

/**
 * setup_new_exec_mm - the address space of a freshly exec'ed static
 * program (mmsim_spawn): the layout, the stack VMA as setup_arg_pages
 * leaves it, an empty heap at the program's end.  0 or -ENOMEM.
 */
int setup_new_exec_mm(struct mm_struct *mm)
{
	unsigned long top = mm_stack_top(), expand = 131072UL, rlim, size;
	struct vm_area_struct *vma;
	int err;

	mmap_write_lock(mm);
	arch_pick_mmap_layout(mm);
	vma = vm_area_alloc(mm);
	if (!vma) {
		err = -ENOMEM;
		goto out;
	}
	vma->vm_end = top;
	vma->vm_start = top - PAGE_SIZE;
	vma->vm_flags = vm_softdirty() | VM_STACK_FLAGS | mm->def_flags;
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	err = insert_vm_struct(mm, vma);
	if (err) {
		vm_area_free(vma);
		goto out;
	}
	mm->stack_vm = mm->total_vm = 1;
	/* setup_arg_pages: the stack is the argument page + 128 KiB */
	rlim = mm_rlimit(RLIMIT_STACK) & PAGE_MASK;
	size = vma->vm_end - vma->vm_start;
	expand = min(rlim, size + expand);
	err = expand_stack_locked(vma, vma->vm_end - expand);
	if (err)
		goto out;
	mm->start_code = mm->end_code = elf_base();
	mm->start_data = mm->end_data = elf_base();
	mm->start_brk = mm->brk = elf_base();
	/* argv[0] and an empty environment at the top of the stack page */
	mm->env_end = top - sizeof(unsigned long);
	mm->env_start = mm->env_end;
	mm->arg_end = mm->env_start;
	mm->arg_start = mm->arg_end;
	mm->start_stack = (top - 64) & ~15UL;
	update_hiwater_vm(mm);
out:
	mmap_write_unlock(mm);
	return err;
}

/* --- fork and exit --------------------------------------------------- */

/**
 * dup_mmap - fork's copy of @oldmm's VMAs into the new, empty @mm:
 * VM_DONTCOPY VMAs are left out, VM_WIPEONFORK ones copied empty, the rest
 * get anon_vma_fork and copy_page_range; VM_LOCKED is not inherited.
 * 0, or -ENOMEM (what was copied stays for exit_mmap to free).
 */
int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *mpnt, *tmp;
	unsigned long charge;
	int retval = 0;
	VMA_ITERATOR(vmi, oldmm, 0);

	mmap_write_lock(oldmm);
	mmap_write_lock(mm);
	mm->total_vm = oldmm->total_vm;
	mm->data_vm = oldmm->data_vm;
	mm->exec_vm = oldmm->exec_vm;
	mm->stack_vm = oldmm->stack_vm;
	mm->locked_vm = 0;
	mm->mmap_base = oldmm->mmap_base;
	mm->mmap_legacy_base = oldmm->mmap_legacy_base;
	mm->task_size = oldmm->task_size;
	mm->start_code = oldmm->start_code;
	mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data;
	mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk;
	mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->arg_start = oldmm->arg_start;
	mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start;
	mm->env_end = oldmm->env_end;
	mm->def_flags = oldmm->def_flags & VM_NOHUGEPAGE;	/* VM_INIT_DEF_MASK */

	for_each_vma(vmi, mpnt) {
		if (mpnt->vm_flags & VM_DONTCOPY) {
			vm_stat_account(mm, mpnt->vm_flags, -(long)vma_pages(mpnt));
			continue;
		}
		charge = 0;
		if (mpnt->vm_flags & VM_ACCOUNT) {
			unsigned long len = vma_pages(mpnt);

			if (security_vm_enough_memory_mm(oldmm, (long)len))
				goto fail_nomem;
			charge = len;
		}
		tmp = vm_area_dup(mpnt);
		if (!tmp)
			goto fail_nomem_unacct;
		tmp->vm_mm = mm;
		if (tmp->vm_flags & VM_WIPEONFORK)
			tmp->anon_vma = NULL;
		else if (anon_vma_fork(tmp, mpnt))
			goto fail_free;
		tmp->vm_flags &= ~VM_LOCKED_MASK;
		if (is_vm_hugetlb_page(tmp))
			hugetlb_dup_vma_private(tmp);
		if (tmp->vm_file)
			vma_link_file(tmp);	/* complete now: rmap walks may see it */
		if (vma_tree_store(mm, tmp)) {
			if (tmp->anon_vma)
				unlink_anon_vmas(tmp);
			goto fail_free;
		}
		mm->map_count++;
		if (tmp->vm_ops && tmp->vm_ops->open)
			tmp->vm_ops->open(tmp);
		if (!(tmp->vm_flags & VM_WIPEONFORK)) {
			retval = copy_page_range(tmp, mpnt);
			if (retval)
				goto out_fail;
		}
	}
	goto out;
fail_free:
	vm_area_free(tmp);
fail_nomem_unacct:
	vm_unacct_memory((long)charge);
fail_nomem:
	retval = -ENOMEM;
out_fail:
	/* The VMAs not copied are not the child's: count only what it has. */
	{
		VMA_ITERATOR(cvmi, mm, 0);
		struct vm_area_struct *v;

		mm->total_vm = mm->data_vm = mm->exec_vm = mm->stack_vm = 0;
		for_each_vma(cvmi, v)
			vm_stat_account(mm, v->vm_flags, (long)vma_pages(v));
	}
	__atomic_fetch_or(&mm->flags, 1UL << MMF_UNSTABLE, __ATOMIC_RELAXED);
out:
	mm->hiwater_vm = mm->total_vm;
	mmap_write_unlock(mm);
	flush_tlb_mm(oldmm);
	mmap_write_unlock(oldmm);
	return retval;
}

/**
 * exit_mmap - tear the address space down: zap every VMA's pages, free
 * the page tables, unaccount the committed pages, free the VMAs and the
 * tree.  The mm is dead (no users): nothing else looks at it.
 */
void exit_mmap(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	unsigned long nr_accounted = 0;
	struct mmu_gather tlb;
	int count = 0;
	MA_STATE(mas, &mm->mm_mt, 0, 0);

	mmap_write_lock(mm);
	vma = mas_find(&mas, ~0UL);
	if (!vma)
		goto destroy;
	tlb_gather_mmu_fullmm(&tlb, mm);
	mas_set(&mas, vma->vm_end);
	unmap_vmas(&tlb, &mas, vma, 0, ~0UL, ~0UL);
	__atomic_fetch_or(&mm->flags, 1UL << MMF_OOM_SKIP, __ATOMIC_RELAXED);
	mas_set(&mas, vma->vm_end);
	free_pgtables(&tlb, &mas, vma, FIRST_USER_ADDRESS, USER_PGTABLES_CEILING);
	tlb_finish_mmu(&tlb);
	mas_set(&mas, 0);
	while ((vma = mas_find(&mas, ~0UL)) != NULL) {
		if (vma->vm_flags & VM_ACCOUNT)
			nr_accounted += vma_pages(vma);
		remove_vma(vma);
		count++;
	}
	WARN_ON(count != mm->map_count);
destroy:
	__mt_destroy(&mm->mm_mt);
	mm->map_count = 0;
	mmap_write_unlock(mm);
	vm_unacct_memory((long)nr_accounted);
}
