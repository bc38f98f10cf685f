// SPDX-License-Identifier: GPL-2.0
/*
 * arch/paging.c - the kernel page table and the MMU of a machine, as
 * Linux's arch/x86/mm/init*.c and arch/arm64/mm/mmu.c build them:
 * paging_init() maps the direct map (the largest leaves that fit) with
 * tables from memblock and sets up every CPU's TLBs with init_mm loaded;
 * paging_late_init() preallocates the tables under the kernel windows
 * once the buddy allocator runs; paging_teardown() undoes both.
 *
 * Invariants:
 *   - after paging_init, the top-level entries of swapper_pg_dir at and
 *     above pgd_index(kernel_base) never change on x86 (every one that
 *     covers a kernel window points at a preallocated table), so the copy
 *     each user pgd takes at pgd_alloc stays valid;
 *   - sum over classes of dm_pages[c] << class_shift(c) == bytes of RAM in
 *     the direct map; a walk from pgd_offset_k(phys_to_kva(pa)) ends at pa.
 *
 * Simplifications: the direct map is mapped with blocks on arm64 too (as
 * with rodata=on, not rodata=full); PGDs are a whole page even where Linux
 * uses a smaller slab object (PAE, arm64 16K/64K).
 *
 * Locking: boot and shutdown run on CPU 0 alone; the counters the /proc
 * files read (dm_pages, kernel_pt_pages) are written only then or
 * atomically.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/seq_file.h>
#include "arch/pgtable.h"
#include "arch/kvm.h"

/* ---------------------------------------------------------------------
 * The kernel page table
 */

static int map_kernel_leaf(struct arch_mmu *mmu, unsigned long va, phys_addr_t pa, int cls)
{
	struct mm_struct *mm = &mmu->kernel_mm;
	unsigned long pfn = PHYS_PFN(pa);
	p4d_t *p4d = p4d_alloc(mm, pgd_offset(mm, va), va);
	pud_t *pud = p4d ? pud_alloc(mm, p4d, va) : NULL;
	pmd_t *pmd;
	pte_t *pte;

	if (!pud)
		return -ENOMEM;
	if (cls == 2) {
		set_pud(pud, pfn_pud(pfn, PAGE_KERNEL));
		return 0;
	}
	pmd = pmd_alloc(mm, pud, va);
	if (!pmd)
		return -ENOMEM;
	if (cls == 1) {
		set_pmd(pmd, pfn_pmd(pfn, PAGE_KERNEL));
		return 0;
	}
	pte = pte_alloc_kernel(pmd, va);
	if (!pte)
		return -ENOMEM;
	set_pte(pte, pfn_pte(pfn, PAGE_KERNEL));
	return 0;
}

/* The largest leaf that maps @pa at @va within @size bytes. */
static int leaf_class_for(unsigned long va, phys_addr_t pa, unsigned long size)
{
	const struct pgtable_geom *g = pgt_geom();
	unsigned long both = va | (unsigned long)pa;

	if (g->pud_leaf && IS_ALIGNED(both, PUD_SIZE) && size >= PUD_SIZE)
		return 2;
	if (g->pmd_leaf && IS_ALIGNED(both, PMD_SIZE) && size >= PMD_SIZE)
		return 1;
	return 0;
}

static int map_direct_range(struct arch_mmu *mmu, phys_addr_t start, phys_addr_t end,
			    bool small_only)
{
	while (start < end) {
		unsigned long va = phys_to_kva(start);
		int cls = small_only ? 0 : leaf_class_for(va, start, (unsigned long)(end - start));
		unsigned long size = cls == 2 ? PUD_SIZE : cls == 1 ? PMD_SIZE : PAGE_SIZE;
		int ret = map_kernel_leaf(mmu, va, start, cls);

		if (ret)
			return ret;
		mmu->dm_pages[cls]++;
		start += size;
	}
	return 0;
}

/* x86 maps the ISA range below 1M with 4K pages (init_memory_mapping). */
#define ISA_END_ADDRESS 0x100000UL

static int map_direct(struct machine_hw *hw, struct arch_mmu *mmu)
{
	const struct mm_layout *l = &hw->layout;
	phys_addr_t low_end = PFN_PHYS(l->max_low_pfn);
	int ret = 0;

	for (int i = 0; i < hw->nr_banks && !ret; i++) {
		phys_addr_t s = hw->banks[i].start;
		phys_addr_t e = min(s + hw->banks[i].size, low_end);

		if (s >= e)
			continue;
		if (!pgt_geom()->arm64 && s < ISA_END_ADDRESS) {
			ret = map_direct_range(mmu, s, min(e, (phys_addr_t)ISA_END_ADDRESS), true);
			s = min(e, (phys_addr_t)ISA_END_ADDRESS);
		}
		if (!ret)
			ret = map_direct_range(mmu, s, e, false);
	}
	return ret;
}

/* Populate the top-level entries of swapper_pg_dir over [start, end]. */
static int prealloc_kernel_top(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	const struct pgtable_geom *g = pgt_geom();

	for (unsigned long a = start & PGDIR_MASK; a <= end; a += PGDIR_SIZE) {
		pgd_t *pgd = pgd_offset(mm, a);
		p4d_t *p4d;
		pud_t *pud;
		pmd_t *pmd;

		if (!g->folded[PGT_P4D]) {
			if (!p4d_alloc(mm, pgd, a))
				return -ENOMEM;
		} else if (!g->folded[PGT_PUD]) {
			if (!pud_alloc(mm, p4d_offset(pgd, a), a))
				return -ENOMEM;
		} else if (!g->folded[PGT_PMD]) {
			p4d = p4d_offset(pgd, a);
			pud = pud_offset(p4d, a);
			if (!pmd_alloc(mm, pud, a))
				return -ENOMEM;
		} else {
			pmd = pmd_offset(pud_offset(p4d_offset(pgd, a), a), a);
			if (!pmd_leaf(pmdp_get(pmd)) && !pte_alloc_kernel(pmd, a))
				return -ENOMEM;
		}
		if (a + PGDIR_SIZE < a)
			break;		/* wrapped at the top of the address space */
	}
	return 0;
}

static int prealloc_kernel_windows(struct machine_hw *hw, struct arch_mmu *mmu)
{
	const struct mm_layout *l = &hw->layout;
	struct mm_struct *mm = &mmu->kernel_mm;
	int ret;

	ret = prealloc_kernel_top(mm, l->vmalloc_start, l->vmalloc_end);
	if (!ret)
		ret = prealloc_kernel_top(mm, l->fixaddr_start, l->fixaddr_top);
	if (!ret && l->last_pkmap)
		ret = prealloc_kernel_top(mm, l->pkmap_base,
					  l->pkmap_base + ((unsigned long)l->last_pkmap << l->page_shift) - 1);
	return ret;
}

static int mmu_init_cpus(struct machine_hw *hw, struct arch_mmu *mmu)
{
	mmu->nr_cpus = hw->nr_cpus;
	mmu->cpus = aligned_alloc(64, sizeof(*mmu->cpus) * (size_t)hw->nr_cpus);
	if (!mmu->cpus)
		return -ENOMEM;
	memset(mmu->cpus, 0, sizeof(*mmu->cpus) * (size_t)hw->nr_cpus);
	for (int i = 0; i < hw->nr_cpus; i++) {
		struct mmu_cpu *c = &mmu->cpus[i];
		const struct pgtable_geom *g = mmu->geom;

		c->hw = hw;
		c->cpu = i;
		/* arm64: bits 63..48 all equal, so 49 bits tell the halves apart. */
		c->va_bits = g->arm64 ? g->va_bits + 1 : g->va_bits;
		c->page_shift = g->page_shift;
		c->cls_shift[0] = g->page_shift;
		c->cls_shift[1] = g->shift[PGT_PMD];
		c->cls_shift[2] = g->shift[PGT_PUD];
		c->va_mask = (1ULL << c->va_bits) - 1;
		c->canon_add = c->va_bits == 32 ? 0 : 1UL << (c->va_bits - 1);
		spin_lock_init(&c->qlock);
		atomic_init(&c->flush_pending, 0);
		atomic_init(&c->access_seq, 0);
		atomic_init(&c->active_asid, 0);
		atomic_init(&c->rollover_flush, false);
		if (tlb_init_cpu(c, &mmu->cfg))
			return -ENOMEM;
		c->walk = g->arm64 ? arm64_walker(g) : x86_walker(g);
		if (!c->walk)
			return -EINVAL;		/* a geometry without its walker */
		mmu_set_ctx(c, 0);
		c->active_mm = &mmu->kernel_mm;
		mmgrab(&mmu->kernel_mm);
		c->root = mmu_root_of(&mmu->kernel_mm);
		c->kroot = g->arm64 ? mmu->kernel_mm.pgd : NULL;
	}
	return 0;
}

/**
 * paging_init - build the kernel page table and the MMU state of a machine.
 * @hw: the machine's hardware, with memblock up and the buddy allocator
 *      not yet.
 *
 * Maps the direct map (large leaves where aligned) with tables from
 * memblock, sets up every CPU's TLBs with init_mm loaded, and the ASID
 * allocator.  paging_late_init() finishes once the buddy allocator runs.
 * Return: 0, or -errno with @err filled.
 */
int paging_init(struct machine_hw *hw, char *err, size_t errlen)
{
	struct arch_mmu *mmu = calloc(1, sizeof(*mmu));
	int ret = -ENOMEM;

	if (!mmu) {
		snprintf(err, errlen, "out of host memory");
		return -ENOMEM;
	}
	hw->mmu = mmu;
	mmu->geom = pgt_geom();
	atomic_init(&mmu->kernel_pt_pages, 0);
	atomic_init(&mmu->next_ctx_id, 1);
	tlb_default_cfg(hw->layout.arch, &mmu->cfg);
	tlb_apply_boot_geometry(hw, &mmu->cfg);
	mmu->pcid = hw->layout.arch == ARCH_X86_64 || hw->layout.arch == ARCH_X86_64_LA57;
	mmu->nr_slots = mmu->pcid ? TLB_NR_DYN_ASIDS : 1;
	mm_init_kernel(&mmu->kernel_mm, hw->machine);
	mmu->kernel_mm.pgd = pgtable_alloc_table(&mmu->kernel_mm, PGT_PGD);
	if (!mmu->kernel_mm.pgd)
		goto fail;
	if (mmu->geom->arm64) {
		mmu->reserved_pg_dir = pgtable_alloc_table(&mmu->kernel_mm, PGT_PGD);
		if (!mmu->reserved_pg_dir)
			goto fail;
	}
	if (map_direct(hw, mmu))
		goto fail;
	ret = asid_init(mmu);
	if (!ret)
		ret = mmu_init_cpus(hw, mmu);
	if (!ret)
		return 0;
fail:
	snprintf(err, errlen, "paging_init: cannot build the kernel page table");
	return ret ? ret : -ENOMEM;
}

/**
 * paging_late_init - preallocate the tables under the kernel windows
 * @hw: the machine's hardware, with its buddy allocator up.
 *
 * Like Linux's preallocate_vmalloc_pages() in mem_init(): on x86 every
 * top-level entry over the vmalloc, pkmap and fixmap windows gets its
 * table now, so the kernel half that user pgds copy never goes stale.
 * Return: 0, or -errno with @err filled.
 */
int paging_late_init(struct machine_hw *hw, char *err, size_t errlen)
{
	if (!pgt_geom()->arm64 && prealloc_kernel_windows(hw, hw->mmu)) {
		snprintf(err, errlen, "paging_late_init: cannot preallocate the kernel tables");
		return -ENOMEM;
	}
	if (hw->hp.nopcid)
		mmu_set_pcid(hw->machine, false);	/* early_param("nopcid") */
	return 0;
}

/* Free the kernel's tables below @table (host) at hardware level @hw. */
static void free_kernel_tables(struct arch_mmu *mmu, void *table, int hw)
{
	const struct pgtable_geom *g = mmu->geom;
	const struct pgt_hw_level *hl = &g->hw[hw];

	if (hw + 1 < g->nr_hw) {
		for (unsigned int i = 0; i < hl->ptrs; i++) {
			u64 v = __pt_load(__pt_entry(table, i));

			if (!(v & g->b_present) || (hl->leaf_class < 3 && hl->leaf_class > 0 &&
						   __pt_is_block(v)))
				continue;
			free_kernel_tables(mmu, __pt_table(v), hw + 1);
		}
	}
	pgtable_free_table(&mmu->kernel_mm, table, hl->lvl);
}

/*
 * The inverse of paging_init.  With the machine @live (shutdown), the
 * tables go back to the buddy allocator and CPUs drop their mm references;
 * after a failed boot RAM is about to vanish, so only the host memory is
 * freed.
 */
void paging_teardown(struct machine_hw *hw, bool live)
{
	struct arch_mmu *mmu = hw->mmu;

	if (!mmu)
		return;
	kvm_host_teardown(mmu, live);	/* VMs left running (arch/kvm_vmid.c) */
	/* The calling CPU's cached pointer into mmu->cpus (this_mmu_cpu);
	 * the other CPUs' per-CPU areas go with the machine. */
	if (this_cpu_hw() && this_cpu_hw()->hw == hw)
		this_cpu_hw()->mmu = NULL;
	for (int i = 0; mmu->cpus && i < mmu->nr_cpus; i++) {
		struct mmu_cpu *c = &mmu->cpus[i];

		/* A CPU left with a user mm loaded holds a reference. */
		if (live && c->active_mm && c->active_mm != &mmu->kernel_mm)
			mmdrop(c->active_mm);
		c->active_mm = NULL;
		tlb_free_cpu(c);
	}
	free(mmu->cpus);
	if (live && mmu->kernel_mm.pgd)
		free_kernel_tables(mmu, mmu->kernel_mm.pgd, 0);
	if (live && mmu->reserved_pg_dir)
		pgtable_free_table(&mmu->kernel_mm, mmu->reserved_pg_dir, PGT_PGD);
	asid_free(mmu);
	free(mmu);
	hw->mmu = NULL;
}

void arch_direct_map_sizes(unsigned long *kb4k, unsigned long *kb2m_or_4m, unsigned long *kb1g)
{
	struct arch_mmu *mmu = machine_mmu();
	unsigned long pmd_kb = 0, pud_kb = 0;

	if (mmu->geom->pmd_leaf)
		pmd_kb = 1UL << (mmu->geom->shift[PGT_PMD] - 10);
	if (mmu->geom->pud_leaf)
		pud_kb = 1UL << (mmu->geom->shift[PGT_PUD] - 10);
	*kb4k = mmu->dm_pages[0] << (mmu->geom->page_shift - 10);
	*kb2m_or_4m = mmu->dm_pages[1] * pmd_kb;
	*kb1g = mmu->dm_pages[2] * pud_kb;
}

unsigned long nr_kernel_pgtable_pages(void)
{
	return (unsigned long)atomic_load_explicit(&machine_mmu()->kernel_pt_pages,
						   memory_order_relaxed);
}

/*
 * arch_report_meminfo - the x86 DirectMap lines of /proc/meminfo (Linux's,
 * in arch/x86/mm/pat/set_memory.c): the sizes of the leaves that map the
 * direct map, 4M instead of 2M on non-PAE i386; nothing on arm64.
 */
void arch_report_meminfo(struct seq_file *sf)
{
	const struct mm_layout *l = current_layout;
	unsigned long kb4k, kb_pmd, kb1g;

	if (l->arch == ARCH_ARM64)
		return;
	arch_direct_map_sizes(&kb4k, &kb_pmd, &kb1g);
	seq_printf(sf, "DirectMap4k:    %8lu kB\n", kb4k);
	if (l->arch == ARCH_I386)
		seq_printf(sf, "DirectMap4M:    %8lu kB\n", kb_pmd);
	else
		seq_printf(sf, "DirectMap2M:    %8lu kB\n", kb_pmd);
	if (l->is_64bit)
		seq_printf(sf, "DirectMap1G:    %8lu kB\n", kb1g);
}
