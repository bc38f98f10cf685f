/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mm.h - page frames: PAGE_SIZE and the layout constants of the current
 * machine, pfn/page/address conversions, refcounts, flags and compound
 * pages.
 *
 * The constants are per machine and read at run time through the calling
 * thread's CPU (mmsim_enter): `PAGE_SIZE` is an expression, not a literal.
 *
 * Address translation: RAM is a host memfd.  The direct map is a host
 * mapping of the low RAM, so __va(phys) = direct_map + (phys - phys_offset),
 * and the memmap is mapped virtually contiguous (like SPARSEMEM_VMEMMAP),
 * so pfn_to_page(pfn) = vmemmap + pfn.  Both are one add.
 */
#ifndef MMSIM_MM_H
#define MMSIM_MM_H

#include <mmsim/types.h>
#include <mmsim/mm_types.h>
#include <mmsim/mmzone.h>
#include <mmsim/gfp.h>
#include <mmsim/printk.h>

enum mmsim_arch {
	ARCH_X86_64,
	ARCH_X86_64_LA57,
	ARCH_I386,
	ARCH_I386_PAE,
	ARCH_ARM64,
};

/* Per-machine constants and host addresses, fixed at boot. */
struct mm_layout {
	enum mmsim_arch arch;
	const char *arch_name;
	unsigned int page_shift;	/* log2 PAGE_SIZE */
	unsigned long page_size;	/* bytes */
	unsigned int max_page_order;	/* MAX_PAGE_ORDER */
	unsigned int pb_order;		/* pageblock_order */
	bool is_64bit;			/* the simulated arch */
	struct page *vmemmap;		/* pfn_to_page(pfn) == vmemmap + pfn */
	char *direct_map;		/* host address of phys_offset */
	unsigned long direct_map_size;	/* bytes: PFN_PHYS(max_low_pfn) - phys_offset */
	phys_addr_t phys_offset;	/* first physical address of RAM */
	unsigned long min_low_pfn;	/* first RAM pfn */
	unsigned long max_low_pfn;	/* end of the direct map (pfn) */
	unsigned long max_pfn;		/* end of RAM (pfn) */
	unsigned long device_pfn_start;	/* physical window of ZONE_DEVICE ranges */
	unsigned long device_pfn_end;	/* (memremap_pages); start == end: none */
	unsigned long page_offset;	/* simulated PAGE_OFFSET */
	/* Host windows reserved at boot for later mappings. */
	char *vmalloc_host;		/* host address of simulated VMALLOC_START */
	unsigned long vmalloc_start, vmalloc_end;	/* simulated addresses */
	unsigned long vmalloc_host_size;		/* bytes backed by the host window */
	char *pkmap_host;
	unsigned long pkmap_base;	/* simulated PKMAP_BASE (32-bit) */
	unsigned int last_pkmap;	/* LAST_PKMAP */
	char *fixmap_host;
	unsigned long fixaddr_start, fixaddr_top;	/* simulated */
	pg_data_t *node_data[MAX_NUMNODES];	/* NODE_DATA(nid) */
};

/*
 * The initial-exec TLS model: the library is built -fPIC, and with the
 * default model every read of these would be a __tls_get_addr() call as
 * far as the compiler knows, making the allocators' fast paths save
 * registers around it.  Initial-exec makes a read one %fs-relative load;
 * libmmsim.so then takes its few hundred bytes of TLS from the static TLS
 * block, which glibc's surplus covers even for a dlopen()ed copy.
 */
#define __tls_ie __attribute__((tls_model("initial-exec")))
extern _Thread_local const struct mm_layout *current_layout __tls_ie;

static inline pg_data_t *NODE_DATA(int nid)
{
	return current_layout->node_data[nid];
}

#define PAGE_SHIFT	(current_layout->page_shift)
#define PAGE_SIZE	(current_layout->page_size)
#define PAGE_MASK	(~(PAGE_SIZE - 1))
#define MAX_PAGE_ORDER	(current_layout->max_page_order)
#define NR_PAGE_ORDERS	(MAX_PAGE_ORDER + 1)
#define MAX_ORDER_NR_PAGES (1UL << MAX_PAGE_ORDER)
#define pageblock_order	(current_layout->pb_order)
#define pageblock_nr_pages (1UL << pageblock_order)
#define PAGE_ALIGN(addr) ALIGN(addr, PAGE_SIZE)
#define PFN_PHYS(pfn)	((phys_addr_t)(pfn) << PAGE_SHIFT)
#define PHYS_PFN(x)	((unsigned long)((x) >> PAGE_SHIFT))
#define PFN_UP(x)	(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)	((x) >> PAGE_SHIFT)
#define KMALLOC_MAX_SIZE (1UL << (MAX_PAGE_ORDER + PAGE_SHIFT))

/* get_order - the smallest order whose block holds @size bytes. */
static inline unsigned int get_order(unsigned long size)
{
	if (size <= PAGE_SIZE)
		return 0;
	return (unsigned int)fls64((size - 1) >> PAGE_SHIFT);
}

static inline struct page *pfn_to_page(unsigned long pfn)
{
	return current_layout->vmemmap + pfn;
}
static inline unsigned long page_to_pfn(const struct page *page)
{
	return (unsigned long)(page - current_layout->vmemmap);
}
bool pfn_valid(unsigned long pfn);	/* RAM with a struct page */
#define nth_page(page, n) ((page) + (n))

static inline void *__va(phys_addr_t pa)
{
	return current_layout->direct_map + (pa - current_layout->phys_offset);
}
static inline phys_addr_t __pa(const void *va)
{
	return (phys_addr_t)((const char *)va - current_layout->direct_map) +
	       current_layout->phys_offset;
}
static inline phys_addr_t page_to_phys(const struct page *page)
{
	return PFN_PHYS(page_to_pfn(page));
}
#define virt_to_pfn(v)	 PHYS_PFN(__pa(v))
#define virt_to_page(v)	 pfn_to_page(virt_to_pfn(v))
#define virt_addr_valid(v) virt_addr_valid_fn(v)
bool virt_addr_valid_fn(const void *v);

/*
 * __is_lm_address - @v lies in the direct map (the linear map): one
 * subtract and one compare, for the checked frees' fast paths.  Holes in
 * the direct map pass; virt_addr_valid() also wants a struct page.
 */
static inline bool __is_lm_address(const void *v)
{
	const struct mm_layout *l = current_layout;

	return (uintptr_t)v - (uintptr_t)l->direct_map < l->direct_map_size;
}

/* @page points at a struct page of the memmap: in range and aligned. */
static inline bool page_in_memmap(const struct page *page)
{
	const struct mm_layout *l = current_layout;
	uintptr_t off = (uintptr_t)page - (uintptr_t)l->vmemmap;

	return off < l->max_pfn * sizeof(struct page) && !(off % sizeof(struct page));
}
#define pfn_to_virt(pfn) __va(PFN_PHYS(pfn))

/*
 * Flags.  As Linux's: PageX/SetPageX/ClearPageX are atomic bit operations
 * (other CPUs change other bits of the same word: the folio lock,
 * PG_referenced from rmap, PG_dirty from a fault); SetPageX releases and
 * PageX acquires, so a page seen uptodate has its contents visible (the
 * smp_wmb of Linux's SetPageUptodate).  __SetPageX/__ClearPageX are the
 * non-atomic forms for pages nobody else can see yet (being allocated or
 * freed).
 */
static inline bool test_page_flag(const struct page *p, int nr)
{
	return (__atomic_load_n(&p->flags, __ATOMIC_ACQUIRE) >> nr) & 1;
}
static inline void set_page_flag(struct page *p, int nr)
{
	__atomic_fetch_or(&p->flags, 1UL << nr, __ATOMIC_RELEASE);
}
static inline void clear_page_flag(struct page *p, int nr)
{
	__atomic_fetch_and(&p->flags, ~(1UL << nr), __ATOMIC_RELEASE);
}
/*
 * The non-atomic forms are for a page nobody else may change (being
 * allocated or freed), but pfn walkers (compaction, an LRU policy switch)
 * may read its flags meanwhile, as Linux's do: the store itself is a
 * relaxed atomic (a plain mov), so such a read sees the old or the new word.
 */
static inline void __set_page_flag(struct page *p, int nr)
{
	__atomic_store_n(&p->flags, p->flags | (1UL << nr), __ATOMIC_RELAXED);
}
static inline void __clear_page_flag(struct page *p, int nr)
{
	__atomic_store_n(&p->flags, p->flags & ~(1UL << nr), __ATOMIC_RELAXED);
}

#define PAGEFLAG(uname, lname)						\
	static inline bool Page##uname(const struct page *p)		\
	{ return test_page_flag(p, PG_##lname); }			\
	static inline void SetPage##uname(struct page *p)		\
	{ set_page_flag(p, PG_##lname); }				\
	static inline void ClearPage##uname(struct page *p)		\
	{ clear_page_flag(p, PG_##lname); }				\
	static inline void __SetPage##uname(struct page *p)		\
	{ __set_page_flag(p, PG_##lname); }				\
	static inline void __ClearPage##uname(struct page *p)		\
	{ __clear_page_flag(p, PG_##lname); }

PAGEFLAG(Locked, locked)
PAGEFLAG(Referenced, referenced)
PAGEFLAG(Uptodate, uptodate)
PAGEFLAG(Dirty, dirty)
PAGEFLAG(LRU, lru)
PAGEFLAG(Head, head)
PAGEFLAG(Active, active)
PAGEFLAG(Slab, slab)
PAGEFLAG(Reserved, reserved)
PAGEFLAG(Private, private)
PAGEFLAG(Reclaim, reclaim)
PAGEFLAG(SwapBacked, swapbacked)
PAGEFLAG(Unevictable, unevictable)
PAGEFLAG(Mlocked, mlocked)
PAGEFLAG(Writeback, writeback)
PAGEFLAG(Workingset, workingset)
#undef PAGEFLAG

/* PG_swapcache (PG_owner_priv_1 on a swap-backed folio): in the swap
 * cache, page->private holding its swp_entry_t. */
static inline bool PageSwapCache(const struct page *p)
{
	return test_page_flag(p, PG_swapbacked) && test_page_flag(p, PG_swapcache);
}
static inline void SetPageSwapCache(struct page *p) { set_page_flag(p, PG_swapcache); }
static inline void ClearPageSwapCache(struct page *p) { clear_page_flag(p, PG_swapcache); }

/* The zone and node bits never change, but other CPUs set PG_* bits of the
 * same word atomically (a page mapped by several mms): read it as such. */
static inline enum zone_type page_zonenum(const struct page *page)
{
	return (enum zone_type)((__atomic_load_n(&page->flags, __ATOMIC_RELAXED) >> ZONES_PGSHIFT) &
				ZONES_MASK);
}
static inline int page_to_nid(const struct page *page)
{
	return (int)((__atomic_load_n(&page->flags, __ATOMIC_RELAXED) >> NODES_PGSHIFT) &
		     NODES_MASK);
}
static inline struct zone *page_zone(const struct page *page)
{
	return &NODE_DATA(page_to_nid(page))->node_zones[page_zonenum(page)];
}
static inline pg_data_t *page_pgdat(const struct page *page)
{
	return NODE_DATA(page_to_nid(page));
}
/* ZONE_DEVICE (mm/memremap.c, <mmsim/memremap.h>): never in the buddy;
 * put_page() hands a device folio whose count drops to 0 to the driver. */
static inline bool is_zone_device_page(const struct page *page)
{
	return page_zonenum(page) == ZONE_DEVICE;
}
void free_zone_device_folio(struct folio *folio);
static inline bool PageHighMem(const struct page *page)
{
	return page_zonenum(page) == ZONE_HIGHMEM;
}

/* Page types living in page_type (mapcount unused while set). */
/*
 * page_type shares its word with _mapcount and is read without locks (the
 * buddy allocator looks at neighbours that may be in use), so it is always
 * loaded and stored atomically; the type bits change under zone->lock.
 */
static inline unsigned int page_type_read(const struct page *p)
{
	return __atomic_load_n(&p->page_type, __ATOMIC_RELAXED);
}
static inline void page_type_write(struct page *p, unsigned int v)
{
	__atomic_store_n(&p->page_type, v, __ATOMIC_RELAXED);
}
static inline bool page_has_type(const struct page *p, unsigned int t)
{
	return (page_type_read(p) & (PAGE_TYPE_BASE | t)) == PAGE_TYPE_BASE;
}
static inline bool PageBuddy(const struct page *p) { return page_has_type(p, PG_buddy); }
static inline void __SetPageBuddy(struct page *p) { page_type_write(p, page_type_read(p) & ~PG_buddy); }
static inline void __ClearPageBuddy(struct page *p) { page_type_write(p, page_type_read(p) | PG_buddy); }
static inline bool PageTable(const struct page *p) { return page_has_type(p, PG_table); }
static inline void __SetPageTable(struct page *p) { page_type_write(p, page_type_read(p) & ~PG_table); }
static inline void __ClearPageTable(struct page *p) { page_type_write(p, page_type_read(p) | PG_table); }

/* Reference counts. */
static inline int page_ref_count(const struct page *page)
{
	return atomic_load_explicit(&((struct page *)page)->_refcount, memory_order_relaxed);
}
static inline void set_page_count(struct page *page, int v)
{
	atomic_store_explicit(&page->_refcount, v, memory_order_relaxed);
}
/* The first tail page's counters of a large folio (struct page of mm_types.h). */
#define ENTIRELY_MAPPED		0x800000
#define FOLIO_PAGES_MAPPED	(ENTIRELY_MAPPED - 1)
static inline int compound_entire_mapcount(const struct page *head)
{
	return atomic_load_explicit(&((struct page *)head)[1]._entire_mapcount,
				    memory_order_relaxed) + 1;
}
/*
 * page_mapcount - the mappings of this page: its PTEs, plus (a page of a
 * large folio) the PMD leaves mapping the whole folio (Linux's).
 */
static inline int page_mapcount(const struct page *page)
{
	int mapcount = atomic_load_explicit(&((struct page *)page)->_mapcount,
					    memory_order_relaxed) + 1;

	if (unlikely(READ_ONCE(page->compound_head) & 1))
		mapcount += compound_entire_mapcount((struct page *)(READ_ONCE(page->compound_head) - 1));
	else if (unlikely(PageHead(page)))
		mapcount += compound_entire_mapcount(page);
	return mapcount;
}
static inline void page_mapcount_reset(struct page *page)
{
	atomic_store_explicit(&page->_mapcount, -1, memory_order_relaxed);
}

/* Compound pages. */
static inline struct page *compound_head(const struct page *page)
{
	unsigned long head = READ_ONCE(page->compound_head);

	if (unlikely(head & 1))
		return (struct page *)(head - 1);
	return (struct page *)page;
}
static inline bool PageTail(const struct page *page)
{
	return READ_ONCE(page->compound_head) & 1;
}
static inline bool PageCompound(const struct page *page)
{
	return PageHead(page) || PageTail(page);
}
static inline unsigned int compound_order(const struct page *page)
{
	if (!PageHead(page))
		return 0;
	return page[1].compound_order_;
}
static inline unsigned long compound_nr(const struct page *page)
{
	return 1UL << compound_order(page);
}
void prep_compound_page(struct page *page, unsigned int order);
void split_page(struct page *page, unsigned int order);

int page_count(const struct page *page);		/* of the compound head */
void get_page(struct page *page);
void put_page(struct page *page);
bool get_page_unless_zero(struct page *page);
#define put_page_testzero(p) put_page_testzero_fn(p)
bool put_page_testzero_fn(struct page *page);

/* Addresses: NULL for highmem pages that are not kmapped. */
void *page_address(const struct page *page);
#define lowmem_page_address(page) __va(page_to_phys(page))

void mark_page_reserved(struct page *page);
void free_reserved_page(struct page *page);
void adjust_managed_page_count(struct page *page, long count);

/* Page isolation (mm/page_isolation.c). */
int start_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype);
void undo_isolate_page_range(unsigned long start_pfn, unsigned long end_pfn, int migratetype);

/* Totals (mm/page_alloc.c, mm/show_mem.c). */
struct sysinfo {
	long uptime;
	unsigned long loads[3];
	unsigned long totalram;		/* in mem_unit */
	unsigned long freeram;
	unsigned long sharedram;
	unsigned long bufferram;
	unsigned long totalswap;
	unsigned long freeswap;
	unsigned short procs;
	unsigned long totalhigh;
	unsigned long freehigh;
	unsigned int mem_unit;
};
void si_meminfo(struct sysinfo *val);
void si_meminfo_node(struct sysinfo *val, int nid);
unsigned long nr_free_pages(void);
unsigned long totalram_pages(void);
unsigned long totalhigh_pages(void);
unsigned long nr_free_buffer_pages(void);
long si_mem_available(void);
void show_mem(void);

/* Invariant checkers, called by tests (mm/debug.c). */
bool zone_is_valid(struct zone *zone);
bool mm_allocator_is_valid(void);	/* every zone and pcp list */
void dump_page(const struct page *page, const char *reason);

#include <mmsim/mm_vma.h>

#endif
