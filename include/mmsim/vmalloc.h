/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmalloc.h - virtually contiguous kernel memory (include/linux/vmalloc.h).
 *
 * vmalloc() hands out memory that is contiguous in kernel virtual addresses
 * but made of single pages scattered in physical memory.  In mmsim the
 * address returned is a host address inside the machine's vmalloc window,
 * where each page of the area is mapped from the RAM memfd: writing through
 * the vmalloc address and reading through page_address() of the page gives
 * the same bytes.  VMALLOC_START..VMALLOC_END are the simulated addresses
 * (what /proc/vmallocinfo and the page tables show); the host address of a
 * simulated one is window arithmetic (kva_to_host() in pgtable.h).
 *
 * Callers.  Linux records the caller of each allocation (%pS in
 * /proc/vmallocinfo).  The allocation functions below are also macros that
 * pass the calling function's name, so the file reads "caller_name" the
 * same in every run; called through a pointer they record the return
 * address instead.  See docs/vmalloc.md.
 */
#ifndef MMSIM_VMALLOC_H
#define MMSIM_VMALLOC_H

#include <mmsim/types.h>
#include <mmsim/gfp.h>
#include <mmsim/mm.h>
#include <mmsim/list.h>
#include <mmsim/rbtree.h>
#include <mmsim/pgtable.h>

#ifndef NUMA_NO_NODE
#define NUMA_NO_NODE (-1)
#endif

/* vm_struct.flags, Linux's values. */
#define VM_IOREMAP		0x00000001	/* ioremap() and friends */
#define VM_ALLOC		0x00000002	/* vmalloc() */
#define VM_MAP			0x00000004	/* vmap()ed pages */
#define VM_USERMAP		0x00000008	/* suitable for remap_vmalloc_range */
#define VM_DMA_COHERENT		0x00000010	/* dma_alloc_coherent */
#define VM_UNINITIALIZED	0x00000020	/* vm_struct is not fully initialized */
#define VM_NO_GUARD		0x00000040	/* no guard page after the area */
#define VM_KASAN		0x00000080
#define VM_FLUSH_RESET_PERMS	0x00000100	/* reset direct map and flush TLB on unmap */
#define VM_MAP_PUT_PAGES	0x00000200	/* put pages and free the array in vfree */
#define VM_ALLOW_HUGE_VMAP	0x00000400
#define VM_DEFER_KMEMLEAK	0x00000800
#define VM_SPARSE		0x00001000

/* vmap_area.flags: vm_map_ram areas (no vm_struct). */
#define VMAP_RAM		0x1	/* a vm_map_ram area (whole or a block) */
#define VMAP_BLOCK		0x2	/* a per-CPU vmap block */

/* Bounds of the vmalloc space (simulated addresses) of this machine. */
#define VMALLOC_START	(current_layout->vmalloc_start)
#define VMALLOC_END	(current_layout->vmalloc_end)
#define VMALLOC_TOTAL	(VMALLOC_END - VMALLOC_START)

struct vmap_block;

/* A mapped area: what vmalloc/vmap/get_vm_area hand out. */
struct vm_struct {
	struct vm_struct *next;		/* unused (Linux's early vmlist) */
	void *addr;			/* host address of the first byte */
	unsigned long size;		/* bytes, the guard page included */
	unsigned long flags;		/* VM_* */
	struct page **pages;		/* nr_pages pages (vmalloc, VM_MAP_PUT_PAGES) */
	unsigned int page_order;	/* always 0: no huge vmalloc mappings */
	unsigned int nr_pages;		/* pages mapped */
	phys_addr_t phys_addr;		/* ioremap */
	const void *caller;		/* see "Callers" above */
};

/*
 * A range of the vmalloc space: busy (with a vm_struct or a vm_map_ram
 * block), free (in the free tree) or lazily freed (waiting for a purge).
 */
struct vmap_area {
	unsigned long va_start;		/* simulated address, page aligned */
	unsigned long va_end;		/* exclusive */
	struct rb_node rb_node;		/* busy, free or purge tree */
	struct list_head list;		/* free list (address order) */
	union {
		unsigned long subtree_max_size;	/* free tree: largest size below, bytes */
		struct vm_struct *vm;		/* busy tree: the area, or NULL */
	};
	unsigned long flags;		/* VMAP_RAM, VMAP_BLOCK */
	struct vmap_block *vb;		/* VMAP_BLOCK: the per-CPU block */
};

/* Caller records made by the macros below (docs/vmalloc.md). */
struct vm_caller_site {
	unsigned long magic;		/* VM_CALLER_MAGIC */
	const char *func;
};
#define VM_CALLER_MAGIC 0x6d6d73696d766d63UL
#define __VM_CALLER							\
	({								\
		static const struct vm_caller_site __vm_site		\
			__attribute__((aligned(8))) = { VM_CALLER_MAGIC, __func__ }; \
		(const void *)((uintptr_t)&__vm_site | 1);		\
	})
/* Write the caller as /proc/vmallocinfo shows it (Linux's %pS) into @buf. */
void vm_caller_name(const void *caller, char *buf, size_t len);

/* ---------------------------------------------------------------------
 * Allocation.  Sizes are bytes, rounded up to pages.  Return a host
 * address, or NULL (with Linux's "vmalloc error: ..." warning unless
 * __GFP_NOWARN).
 */
void *__vmalloc_node_range(unsigned long size, unsigned long align, unsigned long start,
			   unsigned long end, gfp_t gfp_mask, pgprot_t prot,
			   unsigned long vm_flags, int node, const void *caller);
void *__vmalloc_node(unsigned long size, unsigned long align, gfp_t gfp_mask, int node,
		     const void *caller);

void *(vmalloc)(unsigned long size);
void *(vzalloc)(unsigned long size);
void *(vmalloc_node)(unsigned long size, int node);
void *(vzalloc_node)(unsigned long size, int node);
void *(vmalloc_user)(unsigned long size);
void *(vmalloc_32)(unsigned long size);
void *(vmalloc_huge)(unsigned long size, gfp_t gfp_mask);
void *(__vmalloc)(unsigned long size, gfp_t gfp_mask);
void *(vmalloc_array)(size_t n, size_t size);
void *(vcalloc)(size_t n, size_t size);

#define vmalloc(size)	__vmalloc_node((size), 1, GFP_KERNEL, NUMA_NO_NODE, __VM_CALLER)
#define vzalloc(size)	__vmalloc_node((size), 1, GFP_KERNEL | __GFP_ZERO, NUMA_NO_NODE, __VM_CALLER)
#define vmalloc_node(size, node) __vmalloc_node((size), 1, GFP_KERNEL, (node), __VM_CALLER)
#define vzalloc_node(size, node) \
	__vmalloc_node((size), 1, GFP_KERNEL | __GFP_ZERO, (node), __VM_CALLER)
#define __vmalloc(size, gfp) __vmalloc_node((size), 1, (gfp), NUMA_NO_NODE, __VM_CALLER)
#define vmalloc_huge(size, gfp) __vmalloc_node((size), 1, (gfp), NUMA_NO_NODE, __VM_CALLER)
#define vmalloc_user(size)						\
	__vmalloc_node_range((size), PAGE_SIZE /* SHMLBA */, VMALLOC_START,	\
			     VMALLOC_END, GFP_KERNEL | __GFP_ZERO, PAGE_KERNEL,	\
			     VM_USERMAP, NUMA_NO_NODE, __VM_CALLER)
/* Guarded: the host's <sys/shm.h> (getpagesize()) may come first. */
#ifndef SHMLBA
#define SHMLBA		PAGE_SIZE
#endif

void vfree(const void *addr);
void vfree_atomic(const void *addr);

/* ---------------------------------------------------------------------
 * Mapping pages the caller owns.
 */
void *(vmap)(struct page **pages, unsigned int count, unsigned long flags, pgprot_t prot);
void *__vmap_caller(struct page **pages, unsigned int count, unsigned long flags,
		    pgprot_t prot, const void *caller);
#define vmap(pages, count, flags, prot) __vmap_caller((pages), (count), (flags), (prot), __VM_CALLER)
void vunmap(const void *addr);

/* Short-lived mappings: small ones from per-CPU vmap blocks. */
void *vm_map_ram(struct page **pages, unsigned int count, int node);
void vm_unmap_ram(const void *mem, unsigned int count);
/* Purge lazily freed areas and vmap-block fragments: TLB flushed. */
void vm_unmap_aliases(void);

/* ---------------------------------------------------------------------
 * Areas without pages, lookups.
 */
struct vm_struct *get_vm_area(unsigned long size, unsigned long flags);
struct vm_struct *get_vm_area_caller(unsigned long size, unsigned long flags,
				     const void *caller);
struct vm_struct *__get_vm_area_caller(unsigned long size, unsigned long flags,
				       unsigned long start, unsigned long end,
				       const void *caller);
void free_vm_area(struct vm_struct *area);
struct vm_struct *find_vm_area(const void *addr);
struct vm_struct *remove_vm_area(const void *addr);

static inline size_t get_vm_area_size(const struct vm_struct *area)
{
	if (!(area->flags & VM_NO_GUARD))
		return area->size - PAGE_SIZE;
	return area->size;
}

bool is_vmalloc_addr(const void *x);
static inline bool is_vmalloc_or_module_addr(const void *x)
{
	return is_vmalloc_addr(x);
}
struct page *vmalloc_to_page(const void *addr);
unsigned long vmalloc_to_pfn(const void *addr);

/* Pages held by vmalloc areas (meminfo VmallocUsed). */
unsigned long vmalloc_nr_pages(void);

/* ---------------------------------------------------------------------
 * mmsim: checks and knobs for tests, the tool and benchmarks.
 */
struct mmsim;

/*
 * vmap_area_is_valid - the invariants of the vmap trees: busy areas sorted
 * and disjoint; free areas sorted, disjoint, not adjacent (merged), and
 * exactly the gaps between busy and lazily freed areas over the whole
 * space; every free node's subtree_max_size the maximum of its subtree;
 * the free list in tree order.  Prints what is wrong.
 */
bool vmap_area_is_valid(void);

struct vmalloc_stats {
	unsigned long nr_busy;		/* areas in the busy tree */
	unsigned long nr_free;		/* free-tree nodes */
	unsigned long nr_lazy;		/* areas waiting for a purge */
	unsigned long lazy_pages;	/* their pages (vmap_lazy_nr) */
	unsigned long nr_purges;	/* purges done */
	unsigned long nr_host_maps;	/* host mmap calls that mapped pages */
	unsigned long nr_host_unmaps;	/* host mmap calls that put PROT_NONE back */
	unsigned long vmalloc_pages;	/* vmalloc_nr_pages() */
};
void vmalloc_get_stats(struct vmalloc_stats *st);

/* lazy_max_pages(): lazily freed pages that trigger a purge. */
unsigned long lazy_max_pages(void);

/*
 * Call @fn on every busy area in address order (@lazy false), then on
 * every lazily freed one (@lazy true), under the trees' locks: @fn must
 * not allocate or free vmalloc memory.  The /proc/vmallocinfo renderer.
 */
void vmap_area_for_each(void (*fn)(const struct vmap_area *va, bool lazy, void *arg), void *arg);

/*
 * Linux's test_vmalloc module (lib/test_vmalloc.c), built in: its 11 tests,
 * its module parameters, its "Summary:" lines in the kernel log, and the
 * presets of tools/testing/selftests/mm/test_vmalloc.sh.
 */
struct test_vmalloc_params {
	int nr_threads;			/* workers (0: 1), each on a CPU */
	bool sequential_test_order;	/* else shuffled per worker */
	int test_repeat_count;		/* repeats of each test */
	int test_loop_count;		/* iterations inside a test */
	int nr_pages;			/* fix_size_alloc_test, vm_map_ram_test */
	bool use_huge;			/* vmalloc_huge in fix_size_alloc_test */
	int run_test_mask;		/* bit i: test i (1 fix_size ... 1024 vm_map_ram) */
	/*
	 * Progress, for a caller that shows it (NULL: none): called as a
	 * worker starts a test, with @nr the number of test runs started so
	 * far over all workers, this one included, of @total.  Called from
	 * the workers' threads, one call at a time.
	 */
	void (*progress)(void *arg, int nr, int total, const char *test_name);
	void *progress_arg;
};
void test_vmalloc_default_params(struct test_vmalloc_params *p);
/* Apply one word: a preset ("performance", "stress", "smoke") or a
 * parameter ("test_loop_count=1000").  0 or -EINVAL with @err set. */
int test_vmalloc_parse(struct test_vmalloc_params *p, const char *word, char *err, size_t len);
/* Run on @m (the calling thread's machine); the Summary lines go to the
 * kernel log.  Returns the number of failed test runs (align_shift_alloc_test
 * is expected to fail, as in Linux, and is not counted). */
int test_vmalloc_run(struct mmsim *m, const struct test_vmalloc_params *p);

/* Boot and shutdown of a machine's vmalloc space (mm/mm_init.c). */
struct mmsim;
int vmalloc_init(struct mmsim *m, char *err, size_t len);
void vmalloc_teardown(struct mmsim *m);

#endif
