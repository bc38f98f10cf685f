// SPDX-License-Identifier: GPL-2.0
/*
 * mm/mm_init.c - bringing memory up: from the firmware memory map to a
 * running buddy allocator.
 *
 * mm_core_init() follows Linux's order (init/main.c ran setup_arch and
 * parsed the command line before it; the early parameters it applies --
 * mem=, kernelcore=, movablecore=, numa=, memblock=, init_on_alloc=,
 * init_on_free= -- are registered here, subsystem "mm_init"):
 *
 *  1. memblock learns RAM from the memory map (e820 / the arm64 bank), with
 *     mem= applied, and reserves what is in use: the first 1M on x86 and the
 *     kernel image.
 *  2. NUMA: RAM is split evenly across nodes (like numa=fake); each node's
 *     pg_data_t is allocated on the node from memblock.
 *  3. Zones: the arch's zone limits, ZONE_MOVABLE from kernelcore= or
 *     movablecore= (find_zone_movable_pfns_for_nodes), spanned and present
 *     pages per zone, the "Zone ranges:" report.
 *  4. The memmap: for every run of RAM a struct page array is allocated from
 *     memblock on its node and mapped into the vmemmap window; every struct
 *     page gets its zone and node, refcount 1, and holes are PG_reserved.
 *  5. Per-CPU page sets; paging_init() builds the kernel page table of the
 *     direct map with tables from memblock (arch/paging.c); zonelists.
 *  6. mem_init: memblock_free_all() releases every free range to the buddy
 *     allocator (zone managed pages count them), "Memory: ..." is printed.
 *  7. Watermarks and lowmem_reserve from min_free_kbytes; the slab
 *     allocator starts; the init section of the kernel image is freed; the
 *     kernel windows' page tables are preallocated (paging_late_init);
 *     vmalloc starts.  mm_core_exit() undoes it at shutdown.
 *
 * Runs single-threaded on CPU 0 during mmsim_boot(); no locks needed.
 *
 * Invariants after boot, per zone: managed <= present <= spanned; every pfn
 * of a memmap chunk has a struct page with its zone/node; every RAM pfn is
 * either PG_reserved or owned by the buddy allocator.
 */
#include <mmsim/swap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <mmsim/vmalloc.h>
#include <mmsim/kfence.h>
#include "mm/internal.h"
#include "lib/cmdline.h"
#include <mmsim/hugetlb.h>

const char *const zone_names[MAX_NR_ZONES] = {
	"DMA", "DMA32", "Normal", "HighMem", "Movable", "Device",
};

/*
 * Memmap chunks are whole MAX_ORDER blocks: a buddy always lies in the same
 * MAX_ORDER block as its page, so its struct page exists (Linux gets the
 * same guarantee from SPARSEMEM sections).  This also keeps each chunk's
 * host address page aligned.
 */
#define MEMMAP_PFN_ALIGN MAX_ORDER_NR_PAGES

struct memmap_chunk {
	unsigned long start_pfn, end_pfn;
	int nid;
};

/*
 * The subsystem's per-machine state: its boot parameters (Linux's early
 * params of mm_init.c, page_alloc.c, memblock.c and numa.c, all applied
 * here) and the chunks of the memmap (pfn_valid).
 */
struct mm_boot_state {
	uint64_t mem_limit;		/* mem=, bytes; 0 = none */
	uint64_t kernelcore, movablecore;	/* bytes; 0 = not given */
	int kernelcore_pct, movablecore_pct;	/* 0..100 when given with '%', else -1 */
	bool kernelcore_mirror;
	bool numa_off;
	bool memblock_debug;
	bool init_on_alloc, init_on_free;
	struct memmap_chunk chunks[64];
	int nr_chunks;
};

static struct mm_boot_state *boot_state(struct mmsim *m)
{
	return subsys_state(m, mm_init);
}

static int early_mem(void *state, const struct kernel_param *kp, const char *word,
		     const char *val, char *err, size_t len)
{
	struct mm_boot_state *bs = state;

	if (memparse_strict(val, &bs->mem_limit) || !bs->mem_limit)
		return cmdline_fail(err, len, "'%s': invalid size", word);
	return 0;
}

/* kernelcore= / movablecore=: a size, a percentage, or (kernelcore) mirror. */
static int parse_core(const char *word, const char *val, uint64_t *bytes, int *pct,
		      bool *mirror, char *err, size_t len)
{
	size_t n = strlen(val);
	long p;

	if (mirror && !strcmp(val, "mirror")) {
		*mirror = true;
		return 0;
	}
	if (n > 1 && val[n - 1] == '%') {
		char tmp[32];

		if (n >= sizeof(tmp))
			return cmdline_fail(err, len, "'%s': invalid percentage", word);
		memcpy(tmp, val, n - 1);
		tmp[n - 1] = '\0';
		if (cmdline_int(tmp, 0, 100, &p))
			return cmdline_fail(err, len, "'%s': percentage must be 0..100", word);
		*pct = (int)p;
		return 0;
	}
	if (memparse_strict(val, bytes))
		return cmdline_fail(err, len, "'%s': invalid size", word);
	return 0;
}

static int cmdline_parse_kernelcore(void *state, const struct kernel_param *kp,
				    const char *word, const char *val, char *err, size_t len)
{
	struct mm_boot_state *bs = state;

	return parse_core(word, val, &bs->kernelcore, &bs->kernelcore_pct, &bs->kernelcore_mirror,
			  err, len);
}

static int cmdline_parse_movablecore(void *state, const struct kernel_param *kp,
				     const char *word, const char *val, char *err, size_t len)
{
	struct mm_boot_state *bs = state;

	return parse_core(word, val, &bs->movablecore, &bs->movablecore_pct, NULL, err, len);
}

static const struct mm_boot_state mm_boot_defaults = {
	.kernelcore_pct = -1,
	.movablecore_pct = -1,
};

static const struct kernel_param mm_init_params[] = {
	early_param("mem", early_mem),
	early_param("kernelcore", cmdline_parse_kernelcore),
	early_param("movablecore", cmdline_parse_movablecore),
	core_param_only("numa", "off", struct mm_boot_state, numa_off),
	core_param_only("memblock", "debug", struct mm_boot_state, memblock_debug),
	core_param_bool("init_on_alloc", struct mm_boot_state, init_on_alloc),
	core_param_bool("init_on_free", struct mm_boot_state, init_on_free),
};

DEFINE_SUBSYSTEM(mm_init, SUBSYS_STATE(struct mm_boot_state, &mm_boot_defaults),
		 SUBSYS_PARAMS(mm_init_params));

/* The nodes the kernel makes: the firmware's, or one with numa=off. */
int mm_nr_nodes_wanted(struct mmsim *m)
{
	return boot_state(m)->numa_off ? 1 : m->hw.hp.nodes;
}

bool pfn_valid(unsigned long pfn)
{
	struct mm_boot_state *bs = boot_state(current_machine());

	for (int i = 0; i < bs->nr_chunks; i++)
		if (pfn >= bs->chunks[i].start_pfn && pfn < bs->chunks[i].end_pfn)
			return true;
	return false;
}

bool virt_addr_valid_fn(const void *v)
{
	return __is_lm_address(v) && pfn_valid(virt_to_pfn(v));
}

/* Step 1: memblock from the firmware's memory map, the kernel image reserved. */
static void memblock_from_firmware(struct mmsim *m)
{
	memblock_init_state(&m->mb);
	m->mb.debug = boot_state(m)->memblock_debug;
	arch_memblock_setup(&m->hw, boot_state(m)->mem_limit);
}

static int reserve_kernel(struct mmsim *m, char *err, size_t len)
{
	if (arch_reserve_kernel(&m->hw))
		return 0;
	snprintf(err, len, "'mem=%lluK': too little memory left for the kernel image",
		 (unsigned long long)(boot_state(m)->mem_limit >> 10));
	return -EINVAL;
}

/* Step 2: nodes.  RAM split evenly, boundaries on MAX_ORDER blocks. */
static int setup_nodes(struct mmsim *m, char *err, size_t len)
{
	phys_addr_t total = memblock_phys_mem_size();
	phys_addr_t align = PFN_PHYS(MAX_ORDER_NR_PAGES);
	phys_addr_t each = total / (phys_addr_t)mm_nr_nodes_wanted(m);
	phys_addr_t share = ALIGN_DOWN(each, align);
	struct memblock_region *r;
	int nid = 0;
	phys_addr_t done = 0;

	m->nr_nodes = mm_nr_nodes_wanted(m);
	/*
	 * A node holds at least 16M, and whole MAX_ORDER blocks (the cuts
	 * below): with 64K pages one block is 512M, which is then the limit.
	 */
	if (m->nr_nodes > 1 && each < max_t(phys_addr_t, SZ_16M, align)) {
		/* What each would have, in M when it is whole megabytes. */
		bool mb = !(each & (SZ_1M - 1));
		unsigned long long have = each >> (mb ? 20 : 10);

		if (align > SZ_16M)
			snprintf(err, len, "'nodes=%d': each node must hold at least one "
				 "MAX_ORDER block of %lluM (%luK pages), and would have %llu%c",
				 m->nr_nodes, (unsigned long long)(align >> 20),
				 PAGE_SIZE >> 10, have, mb ? 'M' : 'K');
		else
			snprintf(err, len, "'nodes=%d': each node needs at least 16M of RAM, "
				 "and would have %llu%c", m->nr_nodes, have, mb ? 'M' : 'K');
		return -EINVAL;
	}
	if (m->nr_nodes == 1) {
		/* x86's numa_init() and arm64's arch_numa_init() word it differently. */
		if (arch_numa_prefix(&m->hw)[0])
			pr_info("NUMA: No NUMA configuration found\n");
		else
			pr_info("%s\n", boot_state(m)->numa_off ? "NUMA turned off" :
							 "No NUMA configuration found");
		pr_info("%sFaking a node at [mem 0x%016llx-0x%016llx]\n", arch_numa_prefix(&m->hw),
			(unsigned long long)memblock_start_of_DRAM(),
			(unsigned long long)memblock_end_of_DRAM() - 1);
		memblock_set_node(0, PHYS_ADDR_MAX, &memblock.memory, 0);
	} else {
		/*
		 * Walk the memory regions, cutting a new node once `share` bytes
		 * are assigned; cuts land on MAX_ORDER boundaries so that no
		 * buddy block (and no memmap chunk) spans two nodes.
		 */
		phys_addr_t node_start = memblock_start_of_DRAM();
		phys_addr_t rb[64], re[64];
		int nr = 0;

		/* Snapshot: memblock_set_node() splits the array we would walk. */
		for_each_mem_region(r)
			if (nr < 64) {
				rb[nr] = r->base;
				re[nr++] = r->base + r->size;
			}
		for (int ri = 0; ri < nr; ri++) {
			phys_addr_t base = rb[ri], end = re[ri];

			while (base < end) {
				phys_addr_t cut = end;

				if (nid < m->nr_nodes - 1 && done + (end - base) >= share)
					cut = min(end, ALIGN(base + (share - done), align));
				memblock_set_node(base, cut - base, &memblock.memory, nid);
				done += cut - base;
				base = cut;
				if (nid < m->nr_nodes - 1 && done >= share) {
					pr_info("Faking node %d at [mem 0x%016llx-0x%016llx] (%lluMB)\n",
						nid, (unsigned long long)node_start,
						(unsigned long long)base - 1,
						(unsigned long long)(done >> 20));
					nid++;
					done = 0;
					node_start = base;
				}
			}
		}
		pr_info("Faking node %d at [mem 0x%016llx-0x%016llx] (%lluMB)\n", nid,
			(unsigned long long)node_start,
			(unsigned long long)memblock_end_of_DRAM() - 1,
			(unsigned long long)(done >> 20));
	}
	for (nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = memblock_alloc_try_nid(PAGE_ALIGN(sizeof(pg_data_t)), 64, 0,
							  MEMBLOCK_ALLOC_ACCESSIBLE, nid);

		if (!pgdat) {
			snprintf(err, len, "cannot allocate NODE_DATA(%d)", nid);
			return -ENOMEM;
		}
		pr_info("NODE_DATA(%d) allocated [mem 0x%08llx-0x%08llx]\n", nid,
			(unsigned long long)__pa(pgdat),
			(unsigned long long)__pa(pgdat) + PAGE_ALIGN(sizeof(pg_data_t)) - 1);
		pgdat->node_id = nid;
		lruvec_init(&pgdat->__lruvec);
		m->node_data[nid] = pgdat;
		m->hw.layout.node_data[nid] = pgdat;
	}
	return 0;
}

static void report_zone_sizes(pg_data_t *pgdat);
static unsigned long memmap_pages_estimate(const struct zone *zone);

/* Step 3: zones. */
static bool zone_type_configured(const struct mmsim *m, int zt)
{
	return arch_zone_configured(&m->hw, zt);
}

/* Lowest and highest possible pfn of each zone type (Linux's arch_zone_*). */
static void zone_pfn_limits(struct mmsim *m, unsigned long *lo, unsigned long *hi)
{
	unsigned long start = PHYS_PFN(memblock_start_of_DRAM());

	for (int i = 0; i < MAX_NR_ZONES; i++) {
		lo[i] = hi[i] = 0;
		if (i == ZONE_MOVABLE || !zone_type_configured(m, i))
			continue;
		lo[i] = start;
		hi[i] = max(m->max_zone_pfn[i], start);
		start = hi[i];
	}
}

/* The highest zone below Movable with memory: the one Movable is taken from. */
static int movable_source_zone(struct mmsim *m, const unsigned long *lo, const unsigned long *hi)
{
	for (int i = ZONE_MOVABLE - 1; i >= 0; i--)
		if (zone_type_configured(m, i) && hi[i] > lo[i])
			return i;
	return ZONE_NORMAL;
}

static unsigned long pages_in_range(int nid, unsigned long s, unsigned long e)
{
	unsigned long start, end, n = 0;
	int i, rnid;

	for_each_mem_pfn_range(i, nid, &start, &end, &rnid) {
		start = max(start, s);
		end = min(end, e);
		if (start < end)
			n += end - start;
	}
	return n;
}

/*
 * find_zone_movable_pfns_for_nodes, simplified: kernelcore is spread evenly
 * over the nodes; on each node kernel memory is taken from the lowest
 * addresses (everything below the source zone counts as kernel) and
 * ZONE_MOVABLE starts where the node's share ends, on a MAX_ORDER boundary.
 */
static void find_zone_movable_pfns(struct mmsim *m, const unsigned long *lo, const unsigned long *hi)
{
	unsigned long total = PHYS_PFN(memblock_phys_mem_size());
	unsigned long kernelcore = 0, usable_start;
	int src = movable_source_zone(m, lo, hi);

	memset(m->zone_movable_pfn, 0, sizeof(m->zone_movable_pfn));
	if (boot_state(m)->movablecore_pct >= 0)
		kernelcore = total - total * (unsigned long)boot_state(m)->movablecore_pct / 100;
	else if (boot_state(m)->movablecore)
		kernelcore = total - min(total, (unsigned long)PHYS_PFN(boot_state(m)->movablecore));
	else if (boot_state(m)->kernelcore_pct >= 0)
		kernelcore = total * (unsigned long)boot_state(m)->kernelcore_pct / 100;
	else if (boot_state(m)->kernelcore)
		kernelcore = PHYS_PFN(boot_state(m)->kernelcore);
	else
		return;		/* no ZONE_MOVABLE */
	if (boot_state(m)->kernelcore_mirror)
		return;		/* no mirrored memory: Linux falls back to no ZONE_MOVABLE */
	usable_start = lo[src];
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		unsigned long share = kernelcore / (unsigned long)m->nr_nodes;
		unsigned long start, end, counted;
		int i, rnid;

		/* Memory below the source zone is kernel memory whatever happens. */
		counted = pages_in_range(nid, 0, usable_start);
		for_each_mem_pfn_range(i, nid, &start, &end, &rnid) {
			start = max(start, usable_start);
			if (start >= end)
				continue;
			if (counted + (end - start) >= share) {
				unsigned long pfn = start + (share > counted ? share - counted : 0);

				m->zone_movable_pfn[nid] = ALIGN(pfn, MAX_ORDER_NR_PAGES);
				break;
			}
			counted += end - start;
		}
		if (m->zone_movable_pfn[nid]) {
			unsigned long node_end = 0;

			for_each_mem_pfn_range(i, nid, &start, &end, &rnid)
				node_end = max(node_end, end);
			if (m->zone_movable_pfn[nid] >= node_end)
				m->zone_movable_pfn[nid] = 0;
		}
	}
}

static void print_zone_ranges(struct mmsim *m, const unsigned long *lo, const unsigned long *hi)
{
	unsigned long start, end;
	int i, nid;

	pr_info("Zone ranges:\n");
	for (i = 0; i < MAX_NR_ZONES; i++) {
		if (i == ZONE_MOVABLE || !zone_type_configured(m, i))
			continue;
		if (lo[i] == hi[i])
			pr_info("  %-8s empty\n", zone_names[i]);
		else
			pr_info("  %-8s [mem 0x%016llx-0x%016llx]\n", zone_names[i],
				(unsigned long long)PFN_PHYS(lo[i]),
				(unsigned long long)PFN_PHYS(hi[i]) - 1);
	}
	pr_info("Movable zone start for each node\n");
	for (nid = 0; nid < m->nr_nodes; nid++)
		if (m->zone_movable_pfn[nid])
			pr_info("  Node %d: 0x%016llx\n", nid,
				(unsigned long long)PFN_PHYS(m->zone_movable_pfn[nid]));
	pr_info("Early memory node ranges\n");
	for_each_mem_pfn_range(i, MAX_NUMNODES, &start, &end, &nid)
		pr_info("  node %3d: [mem 0x%016llx-0x%016llx]\n", nid,
			(unsigned long long)PFN_PHYS(start), (unsigned long long)PFN_PHYS(end) - 1);
}

/* Zone spans of one node, adjusted for ZONE_MOVABLE (adjust_zone_range_for_zone_movable). */
static void node_zone_span(struct mmsim *m, int nid, int zt, unsigned long node_start,
			   unsigned long node_end, const unsigned long *lo, const unsigned long *hi,
			   unsigned long *zs, unsigned long *ze)
{
	unsigned long mv = m->zone_movable_pfn[nid];

	*zs = *ze = 0;
	if (zt == ZONE_MOVABLE) {
		if (mv) {
			*zs = max(mv, node_start);
			*ze = node_end;
		}
		return;
	}
	if (!zone_type_configured(m, zt))
		return;
	*zs = clamp(lo[zt], node_start, node_end);
	*ze = clamp(hi[zt], node_start, node_end);
	if (mv && *ze > mv)
		*ze = max(mv, *zs);
	if (*zs >= *ze)
		*zs = *ze = 0;
}

static void init_zone_struct(struct mmsim *m, pg_data_t *pgdat, int zt, unsigned long zs,
			     unsigned long ze)
{
	struct zone *zone = &pgdat->node_zones[zt];

	zone->name = zone_names[zt];
	zone->node = pgdat->node_id;
	zone->zone_pgdat = pgdat;
	zone->configured = zone_type_configured(m, zt);
	zone->zone_start_pfn = zs;
	zone->spanned_pages = ze - zs;
	zone->present_pages = ze > zs ? pages_in_range(pgdat->node_id, zs, ze) : 0;
	spin_lock_init(&zone->lock);
	for (unsigned int o = 0; o < NR_PAGE_ORDERS_MAX; o++)
		for (int t = 0; t < MIGRATE_TYPES; t++)
			INIT_LIST_HEAD(&zone->free_area[o].free_list[t]);
}

/* Pages a zone will lose to its memmap, as calc_memmap_size() estimates. */
static unsigned long memmap_pages_estimate(const struct zone *zone)
{
	return PAGE_ALIGN(zone->spanned_pages * sizeof(struct page)) >> PAGE_SHIFT;
}

static int setup_zones(struct mmsim *m, char *err, size_t len)
{
	unsigned long lo[MAX_NR_ZONES], hi[MAX_NR_ZONES];

	arch_zone_limits(&m->hw, m->max_zone_pfn);
	zone_pfn_limits(m, lo, hi);
	find_zone_movable_pfns(m, lo, hi);
	print_zone_ranges(m, lo, hi);
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = m->node_data[nid];
		unsigned long start, end, node_start = ~0UL, node_end = 0, totalpages = 0;
		int i, rnid;

		for_each_mem_pfn_range(i, nid, &start, &end, &rnid) {
			node_start = min(node_start, start);
			node_end = max(node_end, end);
		}
		if (node_start == ~0UL)
			node_start = node_end = 0;
		pgdat->node_start_pfn = node_start;
		pgdat->node_spanned_pages = node_end - node_start;
		pr_info("Initmem setup node %d [mem 0x%016llx-0x%016llx]\n", nid,
			(unsigned long long)PFN_PHYS(node_start),
			(unsigned long long)PFN_PHYS(node_end) - 1);
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			unsigned long zs, ze;

			node_zone_span(m, nid, zt, node_start, node_end, lo, hi, &zs, &ze);
			init_zone_struct(m, pgdat, zt, zs, ze);
			pgdat->node_present_pages += pgdat->node_zones[zt].present_pages;
			if (pgdat->node_zones[zt].present_pages)
				pgdat->nr_zones = zt + 1;
		}
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *zone = &pgdat->node_zones[zt];
			unsigned long memmap = memmap_pages_estimate(zone);

			totalpages += zone->present_pages;
			/* Linux's managed-page estimate until the buddy allocator counts. */
			atomic_long_set(&zone->managed_pages,
					zone->present_pages > memmap ?
					(long)(zone->present_pages - memmap) : 0);
			zone_pcp_init(zone);
		}
		pr_debug("On node %d totalpages: %lu\n", nid, totalpages);
		report_zone_sizes(pgdat);
	}
	(void)err;
	(void)len;
	return 0;
}

/* The zone of @pfn on @pgdat; holes outside every zone go to the nearest below. */
static int pfn_zone_type(pg_data_t *pgdat, unsigned long pfn)
{
	int best = -1;

	for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
		struct zone *z = &pgdat->node_zones[zt];

		if (!z->spanned_pages)
			continue;
		if (zone_spans_pfn(z, pfn))
			return zt;
		if (z->zone_start_pfn <= pfn || best < 0)
			best = zt;
	}
	return best < 0 ? ZONE_NORMAL : best;
}

static void init_single_page(struct page *page, int zt, int nid)
{
	memset(page, 0, sizeof(*page));
	page->flags = ((unsigned long)zt << ZONES_PGSHIFT) | ((unsigned long)nid << NODES_PGSHIFT);
	set_page_count(page, 1);
	page_mapcount_reset(page);
	INIT_LIST_HEAD(&page->lru);
}

/*
 * Is @pfn RAM?  Callers walk pfns upwards, so a cursor into the sorted
 * memory regions answers in O(1) amortized instead of a search per pfn.
 */
static bool pfn_is_ram(unsigned long pfn, unsigned long *cursor)
{
	const struct memblock_type *mem = &memblock.memory;

	while (*cursor < mem->cnt &&
	       PHYS_PFN(mem->regions[*cursor].base + mem->regions[*cursor].size) <= pfn)
		(*cursor)++;
	return *cursor < mem->cnt && PHYS_PFN(mem->regions[*cursor].base) <= pfn;
}

/* Initialize the struct pages of one chunk; report holes as Linux does. */
static void memmap_init_chunk(struct mmsim *m, const struct memmap_chunk *c)
{
	pg_data_t *pgdat = m->node_data[c->nid];
	int zt = pfn_zone_type(pgdat, c->start_pfn), hole_zt = zt;
	struct zone *zone = &pgdat->node_zones[zt];
	unsigned long hole = 0, cursor = 0;

	for (unsigned long pfn = c->start_pfn; pfn < c->end_pfn; pfn++) {
		struct page *page = pfn_to_page(pfn);
		bool ram = pfn_is_ram(pfn, &cursor);

		if (!zone_spans_pfn(zone, pfn)) {
			zt = pfn_zone_type(pgdat, pfn);
			zone = &pgdat->node_zones[zt];
		}
		if (hole && (ram || zt != hole_zt)) {
			pr_info("On node %d, zone %s: %lu pages in unavailable ranges\n", c->nid,
				zone_names[hole_zt], hole);
			hole = 0;
		}
		init_single_page(page, zt, c->nid);
		if (!ram) {
			__SetPageReserved(page);
			hole_zt = zt;
			hole++;
		}
	}
	if (hole)
		pr_info("On node %d, zone %s: %lu pages in unavailable ranges\n", c->nid,
			zone_names[hole_zt], hole);
}

/* Step 4: the memmap, chunk by chunk, on the chunk's node. */
static int alloc_memmap(struct mmsim *m, char *err, size_t len)
{
	struct mm_boot_state *bs = boot_state(m);
	unsigned long start, end;
	int i, nid;

	bs->nr_chunks = 0;
	for_each_mem_pfn_range(i, MAX_NUMNODES, &start, &end, &nid) {
		struct memmap_chunk *last = bs->nr_chunks ? &bs->chunks[bs->nr_chunks - 1] : NULL;
		unsigned long s = ALIGN_DOWN(start, MEMMAP_PFN_ALIGN);
		unsigned long e = ALIGN(end, MEMMAP_PFN_ALIGN);

		if (last && last->nid == nid && s <= last->end_pfn) {
			last->end_pfn = max(last->end_pfn, e);
			continue;
		}
		if (last && s < last->end_pfn)
			s = last->end_pfn;	/* never map one memmap page twice */
		if (s >= e)
			continue;
		if (bs->nr_chunks == (int)ARRAY_SIZE(bs->chunks)) {
			snprintf(err, len, "too many memory ranges for the memmap");
			return -ENOMEM;
		}
		bs->chunks[bs->nr_chunks++] = (struct memmap_chunk){ s, e, nid };
	}
	for (i = 0; i < bs->nr_chunks; i++) {
		struct memmap_chunk *c = &bs->chunks[i];
		phys_addr_t bytes = PAGE_ALIGN((c->end_pfn - c->start_pfn) * sizeof(struct page));
		void *p = memblock_alloc_try_nid_raw(bytes, PAGE_SIZE, 0,
						     MEMBLOCK_ALLOC_ACCESSIBLE, c->nid);

		if (!p) {
			snprintf(err, len,
				 "'ram=%lluM': cannot allocate the memmap (%lluK of struct page) in %s",
				 (unsigned long long)(m->hw.hp.ram >> 20),
				 (unsigned long long)(bytes >> 10),
				 m->hw.layout.is_64bit ? "RAM" : "lowmem");
			return -ENOMEM;
		}
		if (arch_map_memmap(&m->hw, c->start_pfn, c->end_pfn, __pa(p), err, len))
			return -ENOMEM;
		memmap_init_chunk(m, c);
	}
	for (nid = 0; nid < m->nr_nodes; nid++)
		m->node_data[nid]->node_mem_map = pfn_to_page(m->node_data[nid]->node_start_pfn);
	return 0;
}

/* Pageblock migratetypes: every block starts Movable, as memmap_init marks them. */
static int setup_pageblock_flags(struct mmsim *m, char *err, size_t len)
{
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *zone = &m->node_data[nid]->node_zones[zt];
			unsigned long first = zone->zone_start_pfn >> pageblock_order;
			unsigned long last = (zone_end_pfn(zone) + pageblock_nr_pages - 1) >>
					     pageblock_order;
			size_t n = zone->spanned_pages ? last - first + 1 : 1;

			zone->pageblock_flags = malloc(n);
			if (!zone->pageblock_flags) {
				snprintf(err, len, "out of host memory");
				return -ENOMEM;
			}
			memset(zone->pageblock_flags, MIGRATE_MOVABLE, n);
		}
	}
	return 0;
}

void set_pageblock_migratetype(struct page *page, int migratetype)
{
	struct zone *zone = page_zone(page);

	WRITE_ONCE(zone->pageblock_flags[(page_to_pfn(page) - zone->zone_start_pfn) >>
					 pageblock_order], (uint8_t)migratetype);
}

/* Linux's pre-6.8 debug report of each zone's pages and batch. */
static void report_zone_sizes(pg_data_t *pgdat)
{
	for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
		struct zone *zone = &pgdat->node_zones[zt];
		unsigned long memmap = memmap_pages_estimate(zone);
		unsigned long size = zone->present_pages;

		if (!size)
			continue;
		pr_debug("  %s zone: %lu pages used for memmap\n", zone->name, memmap);
		pr_debug("  %s zone: %lu pages, LIFO batch:%d\n", zone->name,
			 size > memmap ? size - memmap : 0, zone_batchsize(zone));
	}
}

static unsigned long estimated_total_pages(struct mmsim *m)
{
	unsigned long total = 0;

	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			struct zone *zone = &m->node_data[nid]->node_zones[zt];
			unsigned long memmap = memmap_pages_estimate(zone);

			if (zone->present_pages > memmap)
				total += zone->present_pages - memmap;
		}
	return total;
}

static void print_memory_line(struct mmsim *m)
{
	unsigned long physpages = 0, total = totalram_pages();
	unsigned long k = PAGE_SIZE >> 10;
	char high[48] = "";

	for (int nid = 0; nid < m->nr_nodes; nid++)
		physpages += m->node_data[nid]->node_present_pages;
	m->physpages = physpages;
	if (!m->hw.layout.is_64bit)
		snprintf(high, sizeof(high), ", %luK highmem", totalhigh_pages() * k);
	pr_info("Memory: %luK/%luK available (%luK kernel code, %luK rwdata, %luK rodata, "
		"%luK init, %luK bss, %luK reserved, %luK cma-reserved%s)\n",
		nr_free_pages() * k, physpages * k, m->hw.kernel_code >> 10, m->hw.kernel_rwdata >> 10,
		m->hw.kernel_rodata >> 10, m->hw.kernel_init >> 10, m->hw.kernel_bss >> 10,
		(physpages - total - m->totalcma_pages) * k, m->totalcma_pages * k, high);
}

static void print_highmem_split(struct mmsim *m)
{
	const struct mm_layout *l = &m->hw.layout;

	if (l->is_64bit)
		return;
	pr_notice("%luMB HIGHMEM available.\n",
		  (unsigned long)(PFN_PHYS(l->max_pfn - l->max_low_pfn) >> 20));
	pr_notice("%luMB LOWMEM available.\n",
		  (unsigned long)((PFN_PHYS(l->max_low_pfn) - l->phys_offset) >> 20));
	pr_info("  mapped low ram: 0 - %08llx\n", (unsigned long long)PFN_PHYS(l->max_low_pfn));
	pr_info("  low ram: 0 - %08llx\n", (unsigned long long)PFN_PHYS(l->max_low_pfn));
}

static void free_initmem(struct mmsim *m)
{
	phys_addr_t init = m->hw.kernel_start + m->hw.kernel_code + m->hw.kernel_rodata + m->hw.kernel_rwdata;

	free_reserved_area(__va(init), __va(init + m->hw.kernel_init), -1, "unused kernel image (initmem)");
}

static void vm_sysctl_defaults(struct mmsim *m)
{
	static const int ratio[MAX_NR_ZONES] = { 256, 256, 32, 0, 0 };

	m->vm.user_min_free_kbytes = -1;
	m->vm.watermark_scale_factor = 10;
	m->vm.watermark_boost_factor = 15000;
	memcpy(m->vm.lowmem_reserve_ratio, ratio, sizeof(ratio));
	m->vm.percpu_pagelist_high_fraction = 0;
	m->vm.extfrag_threshold = 500;
}

int mm_core_init(struct mmsim *m, char *err, size_t len)
{
	int ret;

	vm_sysctl_defaults(m);
	fail_page_alloc_init(m);
	m->init_on_alloc = boot_state(m)->init_on_alloc;
	m->init_on_free = boot_state(m)->init_on_free;
	page_poisoning_init(m);		/* takes precedence over init_on_* */
	debug_pagealloc_init(m);
	memblock_from_firmware(m);
	if (!memblock_phys_mem_size()) {
		snprintf(err, len, "'mem=%lluK': no memory left", (unsigned long long)(boot_state(m)->mem_limit >> 10));
		return -EINVAL;
	}
	/* The direct map now covers low RAM: memblock may allocate below it. */
	if (!m->hw.layout.is_64bit)
		memblock_set_current_limit(PFN_PHYS(m->hw.layout.max_low_pfn));
	ret = reserve_kernel(m, err, len);
	if (ret)
		return ret;
	memblock_allow_resize();
	print_highmem_split(m);
	ret = setup_nodes(m, err, len);
	if (!ret)
		ret = setup_zones(m, err, len);
	if (!ret)
		ret = alloc_memmap(m, err, len);
	if (!ret)
		ret = setup_pageblock_flags(m, err, len);
	if (ret)
		return ret;
	m->page_group_by_mobility_disabled =
		estimated_total_pages(m) < pageblock_nr_pages * MIGRATE_TYPES;
	/* The direct map's page tables, from memblock as Linux's early ones. */
	ret = paging_init(&m->hw, err, len);
	if (!ret)
		ret = kasan_init(m, err, len);	/* the shadow, before any page is freed */
	if (ret)
		return ret;
	build_all_zonelists(m);
	pr_info("Kernel command line: %s\n", m->spec);
	pr_info("mem auto-init: stack:off, heap alloc:%s, heap free:%s\n",
		m->init_on_alloc ? "on" : "off", m->init_on_free ? "on" : "off");
	/* dma_contiguous_reserve: the cma= area, from memblock (mm/cma.c). */
	ret = cma_reserve_boot(m, err, len);
	if (ret)
		return ret;
	/* hugetlb_cma_reserve / gigantic boot pages: memblock's last users. */
	ret = hugetlb_bootmem_alloc(m, err, len);
	if (ret)
		return ret;
	/* KFENCE's pool: from memblock, before the buddy allocator takes the rest. */
	kfence_alloc_pool(m);
	/* mem_init(): hand everything free to the buddy allocator. */
	for (int nid = 0; nid < m->nr_nodes; nid++)
		for (int zt = 0; zt < MAX_NR_ZONES; zt++)
			atomic_long_set(&m->node_data[nid]->node_zones[zt].managed_pages, 0);
	atomic_long_set(&m->totalram_pages, 0);
	atomic_long_set(&m->totalhigh_pages, 0);
	ret = kmsan_init_shadow(m, err, len);	/* Linux: before mem_init() */
	if (ret)
		return ret;
	memblock_free_all();
	m->buddy_up = true;
	print_memory_line(m);
	cma_activate_areas(m);		/* Linux's cma_init_reserved_areas (core_initcall) */
	init_per_zone_wmark_min();
	ret = kmem_cache_init(m, err, len);
	if (ret)
		return ret;
	free_initmem(m);
	ret = paging_late_init(&m->hw, err, len);
	if (ret)
		return ret;
	ret = vmalloc_init(m, err, len);
	if (ret)
		return ret;
	m->booted = true;
	return 0;
}

void mm_core_exit(struct mmsim *m)
{
	vmalloc_teardown(m);
	paging_teardown(&m->hw, current_cpu && current_cpu->m == m);
	kmem_cache_teardown(m);
	for (int nid = 0; nid < m->nr_nodes; nid++) {
		pg_data_t *pgdat = m->node_data[nid];

		if (!pgdat)
			continue;
		for (int zt = 0; zt < MAX_NR_ZONES; zt++) {
			zone_pcp_free(&pgdat->node_zones[zt]);
			free(pgdat->node_zones[zt].pageblock_flags);
			pgdat->node_zones[zt].pageblock_flags = NULL;
		}
	}
	kasan_exit(m);
}
