// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/task_mmu.c - /proc/PID/maps, /proc/PID/smaps and
 * /proc/PID/smaps_rollup, in Linux 6.x's formats (fs/proc/task_mmu.c).
 *
 * Design.  Each file is a pattern entry "/proc/ * /NAME" of the /proc tree
 * (fs/proc/registry.c); the PID is the component the '*' matched
 * (proc_file.arg), a decimal number as Linux's name_to_int() takes it, or
 * "self" for the task the reading CPU runs.  A read finds the task
 * (find_task_by_vpid), takes a reference on its mm (get_task_mm), holds
 * mmap_lock for reading for the whole file, and prints one entry per VMA
 * in address order (the VMA iterator over mm->mm_mt).
 *
 *   maps:   show_map_vma(): "start-end perms offset major:minor inode",
 *           padded to Linux's column (25 + 6 * sizeof(void *) - 1 bytes
 *           after the line's start, with the simulated arch's pointer
 *           size), then the name.  A file's VMA shows vm_pgoff in bytes,
 *           MAJOR:MINOR of its inode's i_sb->s_dev, i_ino, and the path
 *           (file->f_name, d_path's) with " (deleted)" once unlinked
 *           (i_nlink 0) or for a file without a name (shmem_file_setup's);
 *           otherwise the name is ([vm_ops->name] for special
 *           mappings), [heap] for the VMA that overlaps start_brk..brk,
 *           [stack] for the one holding start_stack, [anon:NAME] for a
 *           named anonymous VMA.  A line without a name ends in "0 ", as
 *           Linux's does.
 *   smaps:  the maps line, then Size .. VmFlags, with the figures gathered
 *           by walking the VMA's page tables (smaps_account below).
 *   smaps_rollup: one header "first-last ---p 00000000 00:00 0 [rollup]"
 *           and the sums of every VMA, with Pss_Anon/Pss_File/Pss_Shmem.
 *
 * The page-table walk.  For each present PTE, vm_normal_page() gives the
 * page (the shared zero page and special PTEs give none and are not
 * resident, as in Linux).  A page whose refcount is 1 is private to this
 * mapping; otherwise its mapcount decides: >= 2 shared (its Pss is
 * PAGE_SIZE / mapcount in Linux's PSS_SHIFT fixed point), else private.
 * A page-cache page always has the cache's reference besides its
 * mapping's, so its mapcount decides: mapped once it is Private_*, as in
 * Linux; its Pss goes to Pss_File (Pss_Shmem when swap-backed: tmpfs).
 * The PTE's young bit or PG_referenced count it as Referenced, the PTE's
 * dirty bit or PG_dirty as *_Dirty and Pss_Dirty; VM_LOCKED VMAs count
 * their Pss as Locked; an anonymous page that is not swap-backed and not
 * dirty is LazyFree (MADV_FREE).  A swap PTE counts in Swap, and in
 * SwapPss its share of the slot's users (swp_swapcount); a shmem VMA adds
 * the swap entries of its file range (the holes of our PTEs only, for a
 * private writable one), to Swap only, as Linux.  Huge leaves (PMD/PUD) are counted whole,
 * as AnonHugePages when anonymous.
 *
 * Locking: the task reference (get_task_struct), the mm reference
 * (get_task_mm / mmput) and mmap_read_lock() for the whole render, so the
 * VMA tree and the page tables (which are freed only under mmap_lock for
 * writing) stay put; each PTE table is scanned under the PTE lock
 * (pte_lockptr, mm/memory.c's: Linux's pte_offset_map_lock), so no zap
 * (MADV_DONTNEED runs under the read lock) or COW changes an entry or
 * frees its page meanwhile.  The MMU may still set A/D bits: entries are
 * read once each with ptep_get().  Lock order: mmap_lock, then the PTE
 * lock, as in the fault path.  A render is a snapshot, as Linux's is.
 *
 * Invariants: a file never shows a host address; Rss of every VMA is the
 * count of present normal pages in its range, so the smaps_rollup Rss of a
 * process equals the sum of its smaps Rss lines; Pss <= Rss; every line of
 * a VMA's smaps block appears in Linux's order.
 *
 * Departures (docs/processes.md): THPeligible is 0 (no transparent huge
 * pages yet), KSM 0; there is no
 * ProtectionKey line (the simulated CPUs have no protection keys), no
 * [vdso]/[vsyscall] (mmsim maps no vDSO); a task without an mm (init, a
 * zombie) shows empty maps/smaps and smaps_rollup fails with ESRCH.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "fs/proc/internal.h"
#include <mmsim/sched.h>
#include <mmsim/shmem_fs.h>
#include <mmsim/swapops.h>
#include <mmsim/fs.h>
#include <mmsim/blkdev.h>
#include "mm/fault_internal.h"

/* ---------------------------------------------------------------------
 * Finding the task of a /proc/PID file
 */

/* Linux's name_to_int(): decimal digits, no leading zero, fits an int. */
static int proc_name_to_pid(const char *name)
{
	unsigned long pid = 0;

	if (!name[0] || (name[0] == '0' && name[1]))
		return -1;
	for (const char *p = name; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		pid = pid * 10 + (unsigned long)(*p - '0');
		if (pid > 0x7fffffffUL)
			return -1;
	}
	return (int)pid;
}

/* The task of @f's PID with a reference, or NULL (ENOENT: no such entry). */
static struct task_struct *proc_pid_task(struct proc_file *f)
{
	struct task_struct *t;
	int pid;

	if (!strcmp(f->arg, "self")) {
		t = current;
	} else {
		pid = proc_name_to_pid(f->arg);
		if (pid <= 0)
			return NULL;
		t = find_task_by_vpid(pid);
	}
	if (t)
		get_task_struct(t);
	return t;
}

/* ---------------------------------------------------------------------
 * The maps line
 */

/* Linux's seq_setwidth(m, 25 + sizeof(void *) * 6 - 1), the simulated arch's pointer. */
static size_t maps_name_column(void)
{
	return current_layout->is_64bit ? 25 + 8 * 6 - 1 : 25 + 4 * 6 - 1;
}

/* seq_pad(m, ' '): spaces up to the column of the line begun at @line_start, then one. */
static void maps_pad(struct seq_file *sf, size_t line_start)
{
	size_t until = line_start + maps_name_column();

	while (sf->count < until && !sf->nomem)
		seq_putc(sf, ' ');
	seq_putc(sf, ' ');
}

static void show_vma_header_prefix(struct seq_file *sf, unsigned long start, unsigned long end,
				   vm_flags_t flags, unsigned long long pgoff, unsigned int major,
				   unsigned int minor, unsigned long ino)
{
	seq_printf(sf, "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu ", start, end,
		   flags & VM_READ ? 'r' : '-', flags & VM_WRITE ? 'w' : '-',
		   flags & VM_EXEC ? 'x' : '-', flags & VM_MAYSHARE ? 's' : 'p', pgoff, major,
		   minor, ino);
}

/* vma_is_initial_heap(): overlaps [start_brk, brk). */
static bool vma_is_initial_heap(const struct vm_area_struct *vma)
{
	return vma->vm_start < vma->vm_mm->brk && vma->vm_end > vma->vm_mm->start_brk;
}

/* vma_is_initial_stack(): holds start_stack. */
static bool vma_is_initial_stack(const struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->start_stack &&
	       vma->vm_end >= vma->vm_mm->start_stack;
}

static void show_map_vma(struct seq_file *sf, struct vm_area_struct *vma)
{
	size_t line_start = sf->count;
	const char *name = NULL;

	/*
	 * A file's VMA: offset (vm_pgoff in bytes), the device of the file's
	 * super block (MAJOR:MINOR of s_dev), the inode number, then the
	 * path as d_path() prints it: " (deleted)" after it when the file has
	 * no name any more (unlinked while mapped, i_nlink 0) or never had
	 * one: shared anonymous memory is a shmem file "/dev/zero (deleted)"
	 * and a SysV shm attach its segment's "/SYSV%08x (deleted)", both on
	 * the internal shm mount (Linux's device 00:01; 00:01 too when the
	 * inode has no super block or a zero s_dev, which Linux never gives:
	 * anonymous devices start at minor 1).
	 */
	if (vma->vm_file) {
		struct file *file = vma->vm_file;
		struct inode *inode = file_inode(file);
		dev_t dev = inode->i_sb && inode->i_sb->s_dev ? inode->i_sb->s_dev : MKDEV(0, 1);
		bool deleted = !file->f_path.dentry || !inode->i_nlink;

		show_vma_header_prefix(sf, vma->vm_start, vma->vm_end, vma->vm_flags,
				       (unsigned long long)vma->vm_pgoff << PAGE_SHIFT, MAJOR(dev),
				       MINOR(dev), inode->i_ino);
		maps_pad(sf, line_start);
		seq_printf(sf, "%s%s\n", file->f_name ? file->f_name : "",
			   deleted ? " (deleted)" : "");
		return;
	}
	show_vma_header_prefix(sf, vma->vm_start, vma->vm_end, vma->vm_flags, 0, 0, 0, 0);
	if (vma->vm_ops && vma->vm_ops->name)
		name = vma->vm_ops->name(vma);
	if (!name) {
		if (vma_is_initial_heap(vma)) {
			name = "[heap]";
		} else if (vma_is_initial_stack(vma)) {
			name = "[stack]";
		} else if (vma->anon_name) {
			maps_pad(sf, line_start);
			seq_printf(sf, "[anon:%s]\n", vma->anon_name);
			return;
		}
	}
	if (name) {
		maps_pad(sf, line_start);
		seq_puts(sf, name);
	}
	seq_putc(sf, '\n');
}

/* ---------------------------------------------------------------------
 * smaps: gathering
 */

/* (pss >> PSS_SHIFT) is bytes; the fixed point keeps the division errors small. */
#define PSS_SHIFT 12

struct mem_size_stats {
	unsigned long resident;
	unsigned long shared_clean;
	unsigned long shared_dirty;
	unsigned long private_clean;
	unsigned long private_dirty;
	unsigned long referenced;
	unsigned long anonymous;
	unsigned long lazyfree;
	unsigned long anonymous_thp;
	unsigned long shmem_thp;
	unsigned long file_thp;
	unsigned long swap;
	unsigned long shared_hugetlb;
	unsigned long private_hugetlb;
	unsigned long ksm;
	u64 pss;
	u64 pss_anon;
	u64 pss_file;
	u64 pss_shmem;
	u64 pss_dirty;
	u64 pss_locked;
	u64 swap_pss;
};

static bool page_flag_once(const struct page *page, int nr)
{
	return (READ_ONCE(page->flags) >> nr) & 1;
}

static void smaps_page_accumulate(struct mem_size_stats *mss, struct page *head,
				  unsigned long size, u64 pss, bool dirty, bool locked,
				  bool private)
{
	mss->pss += pss;
	if (PageAnon(head))
		mss->pss_anon += pss;
	else if (page_flag_once(head, PG_swapbacked))
		mss->pss_shmem += pss;
	else
		mss->pss_file += pss;
	if (locked)
		mss->pss_locked += pss;
	if (dirty || page_flag_once(head, PG_dirty)) {
		mss->pss_dirty += pss;
		if (private)
			mss->private_dirty += size;
		else
			mss->shared_dirty += size;
	} else {
		if (private)
			mss->private_clean += size;
		else
			mss->shared_clean += size;
	}
}

/* Account @nr pages from @page (a PTE's one, or a huge leaf's), mapped young/dirty. */
static void smaps_account(struct mem_size_stats *mss, struct page *page, unsigned long nr,
			  bool young, bool dirty, bool locked)
{
	struct page *head = &page_folio(page)->page;
	unsigned long size = nr * PAGE_SIZE;

	if (PageAnon(head)) {
		mss->anonymous += size;
		if (!page_flag_once(head, PG_swapbacked) && !dirty &&
		    !page_flag_once(head, PG_dirty))
			mss->lazyfree += size;
	}
	mss->resident += size;
	if (young || page_flag_once(head, PG_referenced))
		mss->referenced += size;

	/* A refcount of 1: mapped exactly once, by this entry. */
	if (page_count(head) == 1) {
		smaps_page_accumulate(mss, head, size, (u64)size << PSS_SHIFT, dirty, locked, true);
		return;
	}
	for (unsigned long i = 0; i < nr; i++, page++) {
		int mapcount = page_mapcount(page);
		u64 pss = (u64)PAGE_SIZE << PSS_SHIFT;

		if (mapcount >= 2)
			pss /= (u64)mapcount;
		smaps_page_accumulate(mss, head, PAGE_SIZE, pss, dirty, locked, mapcount < 2);
	}
}

/*
 * A swap PTE (Linux's smaps_pte_entry): Swap counts it whole, SwapPss its
 * share among the PTEs and shmem entries holding the slot (swp_swapcount).
 */
static void smaps_swap_entry(struct mem_size_stats *mss, pte_t pte)
{
	swp_entry_t entry = pte_to_swp_entry(pte);
	u64 pss = (u64)PAGE_SIZE << PSS_SHIFT;
	int mapcount;

	if (non_swap_entry(entry))
		return;
	mss->swap += PAGE_SIZE;
	mapcount = swp_swapcount(entry);
	if (mapcount >= 2)
		pss /= (u64)mapcount;
	mss->swap_pss += pss;
}

/*
 * The swapped-out pages of a shmem VMA's file range (Linux's
 * shmem_swap_usage / shmem_partial_swap_usage, and the hole walk of
 * smaps_shmem_walk_ops): the swap entries its mapping holds there -- for a
 * private writable mapping only those our PTEs do not replace with a page
 * of our own.  Counted into Swap (not SwapPss, as Linux).
 */
static void smaps_shmem_swap(struct vm_area_struct *vma, struct mem_size_stats *mss)
{
	struct address_space *mapping = vma->vm_file->f_mapping;
	bool holes_only = (vma->vm_flags & VM_SHARED) == 0 && (vma->vm_flags & VM_WRITE);
	pgoff_t first = vma->vm_pgoff, last = vma->vm_pgoff + vma_pages(vma) - 1;
	unsigned long index, swapped = 0;
	void *e;

	if (!shmem_swapped(mapping))
		return;
	xa_for_each_range(&mapping->i_pages, index, e, first, last) {
		if (!xa_is_value(e))
			continue;
		if (holes_only) {
			unsigned long addr = vma->vm_start + ((index - first) << PAGE_SHIFT);
			pte_t *ptep = mm_find_pte(vma->vm_mm, addr);

			if (ptep && !pte_none(ptep_get(ptep)))
				continue;
		}
		swapped++;
	}
	mss->swap += swapped << PAGE_SHIFT;
}

static void smaps_pte_range(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr,
			    unsigned long end, struct mem_size_stats *mss)
{
	bool locked = vma->vm_flags & VM_LOCKED;
	spinlock_t *ptl = pte_lockptr(vma->vm_mm);
	pte_t *ptep;

	/* pte_offset_map_lock(): no zap or COW changes these entries meanwhile. */
	spin_lock(ptl);
	ptep = pte_offset_map(pmd, addr);
	for (; addr != end; addr += PAGE_SIZE, ptep = pte_next(ptep)) {
		pte_t pte = ptep_get(ptep);
		struct page *page;

		if (is_swap_pte(pte)) {
			swp_entry_t entry = pte_to_swp_entry(pte);

			/* A page under migration (Linux's smaps_pte_entry with
			 * present == false): counted, but not resident. */
			if (is_migration_entry(entry)) {
				smaps_account(mss, pfn_swap_entry_to_page(entry), 1, false, false, locked);
				mss->resident -= PAGE_SIZE;
				continue;
			}
			smaps_swap_entry(mss, pte);
			continue;
		}
		if (!pte_present(pte))
			continue;
		page = vm_normal_page(vma, addr, pte);
		if (page)
			smaps_account(mss, page, 1, pte_young(pte), pte_dirty(pte), locked);
	}
	pte_unmap(ptep);
	spin_unlock(ptl);
}

/* A huge leaf at PMD or PUD level mapping @nr pages from @pfn. */
static void smaps_huge_entry(struct vm_area_struct *vma, unsigned long pfn, unsigned long nr,
			     bool young, bool dirty, struct mem_size_stats *mss)
{
	spinlock_t *ptl = pte_lockptr(vma->vm_mm);	/* pmd_trans_huge_lock() */
	struct page *page = pfn_to_page(pfn);

	spin_lock(ptl);
	if (PageAnon(page))
		mss->anonymous_thp += nr * PAGE_SIZE;
	else if (page_flag_once(page, PG_swapbacked))
		mss->shmem_thp += nr * PAGE_SIZE;
	else
		mss->file_thp += nr * PAGE_SIZE;
	smaps_account(mss, page, nr, young, dirty, vma->vm_flags & VM_LOCKED);
	spin_unlock(ptl);
}

static void smaps_pmd_range(struct vm_area_struct *vma, pud_t *pud, unsigned long addr,
			    unsigned long end, struct mem_size_stats *mss)
{
	pmd_t *pmd = pmd_offset(pud, addr);

	for (unsigned long next; addr != end; pmd = pmd_next(pmd), addr = next) {
		pmd_t e = pmdp_get(pmd);

		next = pmd_addr_end(addr, end);
		if (pmd_none(e))
			continue;
		if (pmd_leaf(e))
			smaps_huge_entry(vma, pmd_leaf_pfn(e), PMD_SIZE >> PAGE_SHIFT,
					 pmd_young(e), pmd_dirty(e), mss);
		else if (!pmd_bad(e))
			smaps_pte_range(vma, pmd, addr, next, mss);
	}
}

static void smaps_pud_range(struct vm_area_struct *vma, p4d_t *p4d, unsigned long addr,
			    unsigned long end, struct mem_size_stats *mss)
{
	pud_t *pud = pud_offset(p4d, addr);

	for (unsigned long next; addr != end; pud = pud_next(pud), addr = next) {
		pud_t e = pudp_get(pud);

		next = pud_addr_end(addr, end);
		if (pud_none(e))
			continue;
		if (pud_leaf(e))
			smaps_huge_entry(vma, pud_leaf_pfn(e), PUD_SIZE >> PAGE_SHIFT,
					 pte_young(__pte(pud_val(e))),
					 pte_dirty(__pte(pud_val(e))), mss);
		else if (!pud_bad(e))
			smaps_pmd_range(vma, pud, addr, next, mss);
	}
}

static void smaps_p4d_range(struct vm_area_struct *vma, pgd_t *pgd, unsigned long addr,
			    unsigned long end, struct mem_size_stats *mss)
{
	p4d_t *p4d = p4d_offset(pgd, addr);

	for (unsigned long next; addr != end; p4d = p4d_next(p4d), addr = next) {
		p4d_t e = p4dp_get(p4d);

		next = p4d_addr_end(addr, end);
		if (!p4d_none(e) && !p4d_bad(e))
			smaps_pud_range(vma, p4d, addr, next, mss);
	}
}

/* Walk @vma's page tables (Linux's walk_page_vma with smaps_walk_ops). */
static void smap_gather_stats(struct vm_area_struct *vma, struct mem_size_stats *mss)
{
	unsigned long addr = vma->vm_start, end = vma->vm_end;
	pgd_t *pgd = pgd_offset(vma->vm_mm, addr);

	for (unsigned long next; addr != end; pgd = pgd_next(pgd), addr = next) {
		pgd_t e = pgdp_get(pgd);

		next = pgd_addr_end(addr, end);
		if (!pgd_none(e) && !pgd_bad(e))
			smaps_p4d_range(vma, pgd, addr, next, mss);
	}
	if (vma->vm_file && shmem_mapping(vma->vm_file->f_mapping))
		smaps_shmem_swap(vma, mss);
}

/* ---------------------------------------------------------------------
 * smaps: printing
 */

/* SEQ_PUT_DEC(): the label, then the byte count in kB, right-aligned in 8. */
static void seq_put_kb(struct seq_file *sf, const char *label, u64 bytes)
{
	seq_printf(sf, "%s%8llu", label, (unsigned long long)(bytes >> 10));
}

static void __show_smap(struct seq_file *sf, const struct mem_size_stats *mss, bool rollup)
{
	seq_put_kb(sf, "Rss:            ", mss->resident);
	seq_put_kb(sf, " kB\nPss:            ", mss->pss >> PSS_SHIFT);
	seq_put_kb(sf, " kB\nPss_Dirty:      ", mss->pss_dirty >> PSS_SHIFT);
	if (rollup) {
		seq_put_kb(sf, " kB\nPss_Anon:       ", mss->pss_anon >> PSS_SHIFT);
		seq_put_kb(sf, " kB\nPss_File:       ", mss->pss_file >> PSS_SHIFT);
		seq_put_kb(sf, " kB\nPss_Shmem:      ", mss->pss_shmem >> PSS_SHIFT);
	}
	seq_put_kb(sf, " kB\nShared_Clean:   ", mss->shared_clean);
	seq_put_kb(sf, " kB\nShared_Dirty:   ", mss->shared_dirty);
	seq_put_kb(sf, " kB\nPrivate_Clean:  ", mss->private_clean);
	seq_put_kb(sf, " kB\nPrivate_Dirty:  ", mss->private_dirty);
	seq_put_kb(sf, " kB\nReferenced:     ", mss->referenced);
	seq_put_kb(sf, " kB\nAnonymous:      ", mss->anonymous);
	seq_put_kb(sf, " kB\nKSM:            ", mss->ksm);
	seq_put_kb(sf, " kB\nLazyFree:       ", mss->lazyfree);
	seq_put_kb(sf, " kB\nAnonHugePages:  ", mss->anonymous_thp);
	seq_put_kb(sf, " kB\nShmemPmdMapped: ", mss->shmem_thp);
	seq_put_kb(sf, " kB\nFilePmdMapped:  ", mss->file_thp);
	seq_put_kb(sf, " kB\nShared_Hugetlb: ", mss->shared_hugetlb);
	seq_printf(sf, " kB\nPrivate_Hugetlb: %7lu", mss->private_hugetlb >> 10);
	seq_put_kb(sf, " kB\nSwap:           ", mss->swap);
	seq_put_kb(sf, " kB\nSwapPss:        ", mss->swap_pss >> PSS_SHIFT);
	seq_put_kb(sf, " kB\nLocked:         ", mss->pss_locked >> PSS_SHIFT);
	seq_puts(sf, " kB\n");
}

/* Linux's VmFlags mnemonics, by bit; NULL: not shown on this arch. */
static const char *vm_flag_mnemonic(unsigned int bit)
{
	static const char *const names[32] = {
		"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms",	/* 0-7 */
		"gd", "um", "pf", NULL, "uw", "lo", "io", "sr",	/* 8-15 */
		"rr", "dc", "de", "lf", "ac", "nr", "ht", "sf",	/* 16-23 */
		"ar", "wf", "dd", "sd", "mm", "hg", "nh", "mg",	/* 24-31 */
	};
	enum mmsim_arch arch = current_layout->arch;

	if (bit >= 32)
		return NULL;
	/* VM_ARCH_1 is x86's VM_PAT ("ar") and arm64's VM_ARM64_BTI ("bt"). */
	if ((1UL << bit) == VM_ARCH_1 && arch == ARCH_ARM64)
		return "bt";
	/* CONFIG_MEM_SOFT_DIRTY: x86_64 only. */
	if ((1UL << bit) == VM_SOFTDIRTY && arch != ARCH_X86_64 && arch != ARCH_X86_64_LA57)
		return NULL;
	return names[bit];
}

static void show_smap_vma_flags(struct seq_file *sf, struct vm_area_struct *vma)
{
	seq_puts(sf, "VmFlags: ");
	for (unsigned int i = 0; i < 8 * sizeof(vma->vm_flags); i++) {
		const char *name = vm_flag_mnemonic(i);

		if (name && (vma->vm_flags & (1UL << i))) {
			seq_puts(sf, name);
			seq_putc(sf, ' ');
		}
	}
	seq_putc(sf, '\n');
}

static void show_smap(struct seq_file *sf, struct vm_area_struct *vma)
{
	struct mem_size_stats mss = { 0 };

	smap_gather_stats(vma, &mss);
	show_map_vma(sf, vma);
	seq_put_kb(sf, "Size:           ", vma->vm_end - vma->vm_start);
	seq_put_kb(sf, " kB\nKernelPageSize: ", PAGE_SIZE);
	seq_put_kb(sf, " kB\nMMUPageSize:    ", PAGE_SIZE);
	seq_puts(sf, " kB\n");
	__show_smap(sf, &mss, false);
	/* thp_vma_allowable_orders(): no transparent huge pages yet. */
	seq_printf(sf, "THPeligible:    %8u\n", 0u);
	show_smap_vma_flags(sf, vma);
}

/* ---------------------------------------------------------------------
 * The files
 */

enum task_mmu_file { TMF_MAPS, TMF_SMAPS, TMF_ROLLUP };

static int task_mmu_show(struct seq_file *sf, struct proc_file *f, enum task_mmu_file which)
{
	struct task_struct *task = proc_pid_task(f);
	struct mem_size_stats mss = { 0 };
	unsigned long first = 0, last = 0;
	struct vm_area_struct *vma;
	struct mm_struct *mm;

	if (!task)
		return -ENOENT;
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm)
		return which == TMF_ROLLUP ? -ESRCH : 0;

	mmap_read_lock(mm);
	{
		VMA_ITERATOR(vmi, mm, 0);

		for_each_vma(vmi, vma) {
			if (which == TMF_MAPS) {
				show_map_vma(sf, vma);
			} else if (which == TMF_SMAPS) {
				show_smap(sf, vma);
			} else {
				if (!last)
					first = vma->vm_start;
				smap_gather_stats(vma, &mss);
				last = vma->vm_end;
			}
		}
	}
	if (which == TMF_ROLLUP) {
		size_t line_start = sf->count;

		show_vma_header_prefix(sf, first, last, 0, 0, 0, 0, 0);
		maps_pad(sf, line_start);
		seq_puts(sf, "[rollup]\n");
		__show_smap(sf, &mss, true);
	}
	mmap_read_unlock(mm);
	mmput(mm);
	return 0;
}

static int pid_maps_show(struct seq_file *sf, struct proc_file *f)
{
	return task_mmu_show(sf, f, TMF_MAPS);
}

static int pid_smaps_show(struct seq_file *sf, struct proc_file *f)
{
	return task_mmu_show(sf, f, TMF_SMAPS);
}

static int pid_smaps_rollup_show(struct seq_file *sf, struct proc_file *f)
{
	return task_mmu_show(sf, f, TMF_ROLLUP);
}

static const struct proc_entry task_mmu_entries[] = {
	{ "/proc/*/maps", pid_maps_show, NULL, NULL },
	{ "/proc/*/smaps", pid_smaps_show, NULL, NULL },
	{ "/proc/*/smaps_rollup", pid_smaps_rollup_show, NULL, NULL },
};

PROC_SUBSYSTEM(proc_task_mmu, task_mmu_entries);
