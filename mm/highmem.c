// SPDX-License-Identifier: GPL-2.0
/*
 * mm/highmem.c - kmap, kmap_local and kmap_atomic: temporary kernel
 * addresses for ZONE_HIGHMEM pages on i386 and i386-pae (Linux's
 * mm/highmem.c).
 *
 * pkmap (kmap/kunmap).  LAST_PKMAP slots at PKMAP_BASE.  pkmap_count[i]:
 *   0   free, and its PTE clear and flushed: usable now;
 *   1   free, but its PTE (and perhaps a TLB entry) still maps the old
 *       page: usable only after flush_all_zero_pkmaps();
 *   n>1 mapped, n - 1 users.
 * map_new_virtual() scans round-robin from last_pkmap_nr; when the scan
 * wraps to slot 0 every count-1 slot is cleared at once, with one
 * flush_tlb_kernel_range() over the area and one host unmap per run of
 * cleared slots.  With every slot busy, kmap() sleeps until a kunmap().
 * page_address() of a highmem page finds its slot through a small hash of
 * pfns (Linux's page_address_htable), valid from map to flush.
 *
 * kmap_local (and kmap_atomic, which is kmap_local with preemption
 * disabled).  Each CPU owns km_per_cpu fixmap slots used as a stack:
 * slot FIX_KMAP_BEGIN + idx + km_per_cpu * cpu, at __fix_to_virt(slot).
 * Map sets the PTE; unmap clears it and flushes the local TLB entry
 * (x86's flush_tlb_one_kernel: one invalidation, counted as
 * nr_tlb_local_flush_one).  The host mapping of a slot is left in place
 * after unmap and replaced only when the slot is next used for another
 * page, which keeps repeated kmap_local_page() of one page free of system
 * calls.
 *
 * The invalidation at unmap is simulated only when it can find something:
 * a simulated TLB entry exists only after a page walk on that CPU
 * (arch/mmu.c fills the TLBs from walks alone, and counts each walk in
 * stats.walks), so if the CPU has walked nothing since the slot's PTE was
 * set, and the slot had no entry then, it has none now.  The slot had none
 * then by induction: boot (PTE clear, a walk faults and fills nothing), and
 * every unmap either invalidates or proves there is nothing to invalidate.
 * A skipped invalidation still counts as done (the vm event and the CPU's
 * flush_pages), so /proc/vmstat and the TLB statistics read as in Linux.
 *
 * Host side: pkmap slot i is pkmap_host + i * PAGE_SIZE, fixmap index x is
 * fixmap_host + (__fix_to_virt(x) - FIXADDR_START); both are mapped from
 * the RAM memfd (arch/hostmap.c).
 *
 * Locks: kmap_lock (a mutex, with a condition variable standing in for
 * pkmap_map_wait) protects pkmap_count, last_pkmap_nr and the slots' PTEs;
 * pa_lock (a spinlock, taken inside kmap_lock) protects the page_address
 * hash.  A CPU's kmap_local stack is touched only by the thread on it.
 *
 * Invariants: a slot's page is in the hash iff pkmap_count[slot] >= 1;
 * pkmap_count[slot] >= 1 iff its PTE is set.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <mmsim/highmem.h>
#include <mmsim/pgtable.h>
#include <mmsim/tlbflush.h>
#include "arch/hostmap.h"
#include "arch/pgtable.h"
#include "mm/internal.h"

/* arch/hostmap.c */

/* mm/vmalloc.c keeps our state (the machine has one field for both). */
void *vmalloc_kmap_state(void);

#define PA_HASH_SIZE	256

/* One kmap_local slot of a CPU; touched only by the thread on that CPU. */
struct kmap_slot {
	unsigned long host_pfn;		/* pfn the host maps at the slot, or ~0 */
	unsigned long walks;		/* the CPU's stats.walks when the PTE was set */
};

struct kmap_cpu {
	unsigned int idx;		/* slots in use (stack depth) */
	struct kmap_slot *slot;		/* [km_per_cpu] */
} __attribute__((aligned(64)));

struct kmap_state {
	/* pkmap */
	pthread_mutex_t kmap_lock;
	pthread_cond_t pkmap_map_wait;
	unsigned int nr_waiters;	/* threads in pkmap_map_wait */
	unsigned int last_pkmap;	/* LAST_PKMAP */
	unsigned int last_pkmap_nr;	/* the last slot handed out */
	int *pkmap_count;		/* [LAST_PKMAP], see above */
	struct page **pkmap_page;	/* [LAST_PKMAP]: the page at each slot */
	pte_t **pkmap_pte;		/* [LAST_PKMAP]: each slot's PTE */
	spinlock_t pa_lock;
	int pa_head[PA_HASH_SIZE];	/* slot chains by pfn, -1 ends */
	int *pa_next;			/* [LAST_PKMAP] */
	/* kmap_local */
	unsigned int km_per_cpu;	/* slots per CPU */
	unsigned long fix_kmap_end;	/* FIX_KMAP_END: the last CPU's last slot */
	struct kmap_cpu *cpus;		/* [nr_cpus] */
	pte_t **fix_pte;		/* [km_per_cpu * nr_cpus] */
	/* statistics */
	atomic_ulong pkmap_flushes, host_maps;
};

static inline struct kmap_state *KS(void)
{
	return vmalloc_kmap_state();
}

static bool highmem_arch(const struct mm_layout *l)
{
	return !l->is_64bit && l->last_pkmap;
}

/* The kernel PTE of @addr, its tables allocated if needed. */
static pte_t *kernel_pte(unsigned long addr)
{
	struct mm_struct *mm = &init_mm;
	p4d_t *p4d = p4d_alloc(mm, pgd_offset_k(addr), addr);
	pud_t *pud = p4d ? pud_alloc(mm, p4d, addr) : NULL;
	pmd_t *pmd = pud ? pmd_alloc(mm, pud, addr) : NULL;

	return pmd ? pte_alloc_kernel(pmd, addr) : NULL;
}

static inline unsigned int pa_hash(unsigned long pfn)
{
	return (unsigned int)((pfn * 0x9e3779b97f4a7c15ULL) >> 56) & (PA_HASH_SIZE - 1);
}

/* Linux's set_page_address: enter (@slot >= 0) or remove @page. */
static void set_page_address(struct kmap_state *ks, struct page *page, int slot)
{
	unsigned int h = pa_hash(page_to_pfn(page));

	spin_lock(&ks->pa_lock);
	if (slot >= 0) {
		ks->pa_next[slot] = ks->pa_head[h];
		ks->pa_head[h] = slot;
	} else {
		for (int *p = &ks->pa_head[h]; *p >= 0; p = &ks->pa_next[*p]) {
			if (ks->pkmap_page[*p] == page) {
				*p = ks->pa_next[*p];
				break;
			}
		}
	}
	spin_unlock(&ks->pa_lock);
}

void *highmem_page_address(const struct page *page)
{
	struct kmap_state *ks;
	void *addr = NULL;

	ks = KS();
	if (!ks)
		return NULL;
	spin_lock(&ks->pa_lock);
	for (int s = ks->pa_head[pa_hash(page_to_pfn(page))]; s >= 0; s = ks->pa_next[s]) {
		if (ks->pkmap_page[s] == page) {
			addr = current_layout->pkmap_host + ((unsigned long)s << PAGE_SHIFT);
			break;
		}
	}
	spin_unlock(&ks->pa_lock);
	return addr;
}

/* ---------------------------------------------------------------------
 * pkmap
 */

static void flush_all_zero_pkmaps(struct kmap_state *ks)
{
	struct mmsim *m = current_machine();
	bool need_flush = false;
	int run = -1;

	for (unsigned int i = 0; i <= ks->last_pkmap; i++) {
		bool clear = i < ks->last_pkmap && ks->pkmap_count[i] == 1;

		if (clear) {
			/* Free but still mapped: unmap it now. */
			ks->pkmap_count[i] = 0;
			BUG_ON(pte_none(ptep_get(ks->pkmap_pte[i])));
			pte_clear(&init_mm, PKMAP_ADDR(i), ks->pkmap_pte[i]);
			set_page_address(ks, ks->pkmap_page[i], -1);
			ks->pkmap_page[i] = NULL;
			need_flush = true;
			if (run < 0)
				run = (int)i;
		} else if (run >= 0) {
			arch_unmap_range(m->hw.layout.pkmap_host + ((unsigned long)run << PAGE_SHIFT),
					 (i - (unsigned int)run) << PAGE_SHIFT);
			run = -1;
		}
	}
	if (need_flush) {
		flush_tlb_kernel_range(PKMAP_ADDR(0), PKMAP_ADDR(ks->last_pkmap));
		atomic_fetch_add(&ks->pkmap_flushes, 1);
	}
}

/* A free slot for @page, mapped; called and returns with kmap_lock held. */
static void *map_new_virtual(struct kmap_state *ks, struct page *page)
{
	struct mmsim *m = current_machine();
	unsigned int count;
	void *vaddr;

start:
	count = ks->last_pkmap;
	for (;;) {
		ks->last_pkmap_nr = (ks->last_pkmap_nr + 1) & (ks->last_pkmap - 1);
		if (!ks->last_pkmap_nr) {
			flush_all_zero_pkmaps(ks);
			count = ks->last_pkmap;
		}
		if (!ks->pkmap_count[ks->last_pkmap_nr])
			break;	/* found a usable slot */
		if (--count)
			continue;
		/* Every slot is busy: sleep until somebody kunmaps. */
		ks->nr_waiters++;
		pthread_cond_wait(&ks->pkmap_map_wait, &ks->kmap_lock);
		ks->nr_waiters--;
		/* Somebody else may have mapped it meanwhile. */
		vaddr = highmem_page_address(page);
		if (vaddr)
			return vaddr;
		goto start;
	}
	vaddr = m->hw.layout.pkmap_host + ((unsigned long)ks->last_pkmap_nr << PAGE_SHIFT);
	if (arch_map_pages_at(vaddr, &page, 1) < 0)
		return NULL;
	atomic_fetch_add(&ks->host_maps, 1);
	set_pte_at(&init_mm, PKMAP_ADDR(ks->last_pkmap_nr), ks->pkmap_pte[ks->last_pkmap_nr],
		   mk_pte(page, PAGE_KERNEL));
	ks->pkmap_count[ks->last_pkmap_nr] = 1;
	ks->pkmap_page[ks->last_pkmap_nr] = page;
	set_page_address(ks, page, (int)ks->last_pkmap_nr);
	return vaddr;
}

static void *kmap_high(struct page *page)
{
	struct kmap_state *ks = KS();
	unsigned long nr;
	void *vaddr;

	pthread_mutex_lock(&ks->kmap_lock);
	vaddr = highmem_page_address(page);
	if (!vaddr)
		vaddr = map_new_virtual(ks, page);
	if (vaddr) {
		nr = (unsigned long)((char *)vaddr - current_layout->pkmap_host) >> PAGE_SHIFT;
		ks->pkmap_count[nr]++;
		BUG_ON(ks->pkmap_count[nr] < 2);
	}
	pthread_mutex_unlock(&ks->kmap_lock);
	return vaddr;
}

static void kunmap_high(struct page *page)
{
	struct kmap_state *ks = KS();
	unsigned long nr;
	void *vaddr;

	pthread_mutex_lock(&ks->kmap_lock);
	vaddr = highmem_page_address(page);
	if (!vaddr) {
		pthread_mutex_unlock(&ks->kmap_lock);
		BUG();		/* kunmap of a page that is not kmapped */
		return;
	}
	nr = (unsigned long)((char *)vaddr - current_layout->pkmap_host) >> PAGE_SHIFT;
	/* A count never goes down to zero without a TLB flush. */
	switch (--ks->pkmap_count[nr]) {
	case 0:
		ks->pkmap_count[nr] = 1;
		pthread_mutex_unlock(&ks->kmap_lock);
		BUG();
		return;
	case 1:
		if (ks->nr_waiters)
			pthread_cond_broadcast(&ks->pkmap_map_wait);
		break;
	}
	pthread_mutex_unlock(&ks->kmap_lock);
}

/**
 * kmap - a kernel address for @page, usable until kunmap(@page)
 * Context: may sleep when every pkmap slot is in use.
 */
void *kmap(struct page *page)
{
	if (!PageHighMem(page))
		return page_address(page);
	return kmap_high(page);
}

void kunmap(struct page *page)
{
	if (!PageHighMem(page))
		return;
	kunmap_high(page);
}

/* ---------------------------------------------------------------------
 * kmap_local / kmap_atomic
 */

static inline unsigned long fix_slot(const struct kmap_state *ks, unsigned int idx, int cpu)
{
	return FIX_KMAP_BEGIN + idx + ks->km_per_cpu * (unsigned long)cpu;
}

static inline char *fix_host(unsigned long kva)
{
	return current_layout->fixmap_host + (kva - FIXADDR_START);
}

/**
 * kmap_local_page - a CPU-local kernel address for @page
 *
 * Nested mappings must be undone in reverse order (kunmap_local).
 * Return: the address; NULL (with a warning) past the per-CPU slots.
 */
void *kmap_local_page(struct page *page)
{
	struct kmap_state *ks;
	struct kmap_cpu *kc;
	unsigned long kva, pfn;
	unsigned int idx;
	int cpu;

	if (!PageHighMem(page))
		return page_address(page);
	ks = KS();
	cpu = smp_processor_id();
	kc = &ks->cpus[cpu];
	idx = kc->idx;
	if (WARN_ON_ONCE(idx >= ks->km_per_cpu))
		return NULL;
	kva = __fix_to_virt(fix_slot(ks, idx, cpu));
	pfn = page_to_pfn(page);
	if (kc->slot[idx].host_pfn != pfn) {
		if (arch_map_pages_at(fix_host(kva), &page, 1) < 0)
			return NULL;
		kc->slot[idx].host_pfn = pfn;
		atomic_fetch_add(&ks->host_maps, 1);
	}
	set_pte_at(&init_mm, kva, ks->fix_pte[(unsigned long)cpu * ks->km_per_cpu + idx],
		   mk_pte(page, PAGE_KERNEL));
	kc->slot[idx].walks = READ_ONCE(this_mmu_cpu()->stats.walks);
	kc->idx = idx + 1;
	return fix_host(kva);
}

/*
 * kunmap_local - undo the newest kmap_local_page() of this CPU
 *
 * As Linux's kunmap_local_indexed(): an address outside the kmap slots of
 * the fixmap is left alone (a lowmem page's page_address(), or another
 * kernel address), with a warning when it is no kernel address at all (in
 * Linux, below PAGE_OFFSET; here, a host pointer in none of the kernel's
 * windows, which host_to_kva() gives as 0).
 */
void kunmap_local(const void *vaddr)
{
	const struct mm_layout *l = current_layout;
	unsigned long addr;
	struct kmap_state *ks;
	struct kmap_cpu *kc;
	struct mmu_cpu *mc;
	int cpu;

	if (!highmem_arch(l))
		return;
	/* host_to_kva() of the fixmap window, the one kunmap_local() is about. */
	if ((uintptr_t)vaddr - (uintptr_t)l->fixmap_host <
	    l->fixaddr_top - l->fixaddr_start + PAGE_SIZE)
		addr = (l->fixaddr_start + ((const char *)vaddr - l->fixmap_host)) & PAGE_MASK;
	else
		addr = host_to_kva(vaddr) & PAGE_MASK;
	ks = KS();
	if (addr < __fix_to_virt(ks->fix_kmap_end) || addr > __fix_to_virt(FIX_KMAP_BEGIN)) {
		WARN_ON_ONCE(addr < l->page_offset);
		return;
	}
	cpu = smp_processor_id();
	kc = &ks->cpus[cpu];
	if (WARN_ON_ONCE(!kc->idx))
		return;
	/* Unmapping out of order is a bug, as in Linux. */
	WARN_ON_ONCE(addr != __fix_to_virt(fix_slot(ks, kc->idx - 1, cpu)));
	kc->idx--;
	pte_clear(&init_mm, addr, ks->fix_pte[(unsigned long)cpu * ks->km_per_cpu + kc->idx]);
	mc = this_mmu_cpu();
	if (READ_ONCE(mc->stats.walks) != kc->slot[kc->idx].walks) {
		local_flush_tlb_page(&init_mm, addr);
		return;
	}
	/* Nothing cached (see the top of this file): the flush, as counted. */
	WRITE_ONCE(mc->stats.flush_pages, READ_ONCE(mc->stats.flush_pages) + 1);
	count_vm_events(NR_TLB_LOCAL_FLUSH_ONE, 1);
}

void *kmap_atomic(struct page *page)
{
	return kmap_local_page(page);
}

void kunmap_atomic(const void *addr)
{
	kunmap_local(addr);
}

/* ---------------------------------------------------------------------
 * Counters, boot
 */

unsigned long nr_free_highpages(void)
{
	unsigned long pages = 0;
	struct mmsim *m = current_machine();

	for (int nid = 0; nid < m->nr_nodes; nid++)
		pages += zone_page_state(&m->node_data[nid]->node_zones[ZONE_HIGHMEM], NR_FREE_PAGES);
	return pages;
}

void kmap_get_stats(struct kmap_stats *st)
{
	struct kmap_state *ks = KS();

	memset(st, 0, sizeof(*st));
	if (!ks)
		return;
	pthread_mutex_lock(&ks->kmap_lock);
	for (unsigned int i = 0; i < ks->last_pkmap; i++)
		st->pkmap_in_use += ks->pkmap_count[i] > 1;
	pthread_mutex_unlock(&ks->kmap_lock);
	st->pkmap_flushes = atomic_load(&ks->pkmap_flushes);
	st->host_maps = atomic_load(&ks->host_maps);
}

int kmap_init(struct mmsim *m, void **state)
{
	const struct mm_layout *l = &m->hw.layout;
	struct kmap_state *ks;
	unsigned long nr_fix;

	*state = NULL;
	if (!highmem_arch(l))
		return 0;
	ks = calloc(1, sizeof(*ks));
	if (!ks)
		return -ENOMEM;
	*state = ks;
	pthread_mutex_init(&ks->kmap_lock, NULL);
	pthread_cond_init(&ks->pkmap_map_wait, NULL);
	spin_lock_init(&ks->pa_lock);
	ks->last_pkmap = l->last_pkmap;
	ks->pkmap_count = calloc(ks->last_pkmap, sizeof(int));
	ks->pkmap_page = calloc(ks->last_pkmap, sizeof(struct page *));
	ks->pkmap_pte = calloc(ks->last_pkmap, sizeof(pte_t *));
	ks->pa_next = calloc(ks->last_pkmap, sizeof(int));
	/* Fixmap indexes 1.. below FIXADDR_TOP, down to FIXADDR_START. */
	nr_fix = (l->fixaddr_top - l->fixaddr_start) >> l->page_shift;
	ks->km_per_cpu = (unsigned int)min((unsigned long)KM_MAX_IDX, nr_fix / (unsigned long)m->nr_cpus);
	ks->fix_kmap_end = FIX_KMAP_BEGIN + ks->km_per_cpu * (unsigned long)m->nr_cpus - 1;
	ks->cpus = aligned_alloc(64, (size_t)m->nr_cpus * sizeof(*ks->cpus));
	if (ks->cpus)
		memset(ks->cpus, 0, (size_t)m->nr_cpus * sizeof(*ks->cpus));
	ks->fix_pte = calloc((size_t)m->nr_cpus * ks->km_per_cpu, sizeof(pte_t *));
	if (!ks->pkmap_count || !ks->pkmap_page || !ks->pkmap_pte || !ks->pa_next || !ks->cpus ||
	    !ks->fix_pte || !ks->km_per_cpu)
		return -ENOMEM;
	for (int h = 0; h < PA_HASH_SIZE; h++)
		ks->pa_head[h] = -1;
	for (unsigned int i = 0; i < ks->last_pkmap; i++) {
		ks->pkmap_pte[i] = kernel_pte(PKMAP_ADDR(i));
		if (!ks->pkmap_pte[i])
			return -ENOMEM;
	}
	for (int cpu = 0; cpu < m->nr_cpus; cpu++) {
		ks->cpus[cpu].slot = calloc(ks->km_per_cpu, sizeof(struct kmap_slot));
		if (!ks->cpus[cpu].slot)
			return -ENOMEM;
		for (unsigned int i = 0; i < ks->km_per_cpu; i++) {
			unsigned long kva = __fix_to_virt(fix_slot(ks, i, cpu));

			ks->cpus[cpu].slot[i].host_pfn = ~0UL;
			ks->fix_pte[(unsigned long)cpu * ks->km_per_cpu + i] = kernel_pte(kva);
			if (!ks->fix_pte[(unsigned long)cpu * ks->km_per_cpu + i])
				return -ENOMEM;
		}
	}
	return 0;
}

void kmap_teardown(struct mmsim *m, void *state)
{
	struct kmap_state *ks = state;

	if (!ks)
		return;
	if (ks->cpus)
		for (int cpu = 0; cpu < m->nr_cpus; cpu++)
			free(ks->cpus[cpu].slot);
	free(ks->cpus);
	free(ks->fix_pte);
	free(ks->pkmap_count);
	free(ks->pkmap_page);
	free(ks->pkmap_pte);
	free(ks->pa_next);
	pthread_cond_destroy(&ks->pkmap_map_wait);
	pthread_mutex_destroy(&ks->kmap_lock);
	free(ks);
}
