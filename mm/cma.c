// SPDX-License-Identifier: GPL-2.0
/*
 * mm/cma.c - the Contiguous Memory Allocator (Linux's mm/cma.c and the
 * default area of kernel/dma/contiguous.c).
 *
 * Design.  cma=SIZE[@BASE[-LIMIT]] (Linux's early parameter) asks for one
 * area, named "reserved" as Linux's dma_contiguous_default_area; @BASE
 * alone places it exactly there, @BASE-LIMIT anywhere in that range.  At boot
 * (cma_reserve_boot, from mm_core_init before the buddy allocator starts:
 * Linux's dma_contiguous_reserve -> cma_declare_contiguous_nid) SIZE is
 * rounded up to the area alignment and allocated from memblock, top-down
 * below memblock's current limit, so memblock_free_all() leaves it alone.
 * The alignment is MAX_ORDER_NR_PAGES pages (Linux's before 5.18, when
 * alloc_contig_range still isolated whole MAX_ORDER blocks; mmsim's
 * alloc_contig_range widens the same way, and a CMA area must not share an
 * isolated MAX_ORDER block with non-CMA pageblocks).  After mem_init
 * (cma_activate_areas: Linux's cma_init_reserved_areas -> cma_activate_area
 * -> init_cma_reserved_pageblock) every pageblock of the area becomes
 * MIGRATE_CMA and is freed to the buddy allocator: managed and totalram
 * pages grow, zone->cma_pages counts it.  An area that spans two zones is
 * not activated: its pages are freed as ordinary memory, as Linux does.
 *
 * Allocation policy (the page allocator's side, helpers here):
 *   - only movable requests (ALLOC_CMA, gfp_to_alloc_flags_cma) ever take
 *     from a CMA free list; unmovable and reclaimable ones never do, and
 *     their watermark check does not count free CMA pages;
 *   - __rmqueue_cma_balance: a movable request takes from CMA first when
 *     more than half of the zone's free pages are CMA (Linux's __rmqueue);
 *   - __rmqueue_cma_fallback: otherwise CMA is the last resort after the
 *     movable lists and stealing from the other types;
 *   - CMA pageblocks are never stolen or converted (fallbacks[] has no
 *     CMA, HighAtomic reserves skip them); freed CMA pages return to the
 *     CMA lists (free_pcppages_bulk looks at the pageblock).
 *   NR_FREE_CMA_PAGES is kept by account_freepages() for CMA blocks and by
 *   the helpers here for what they take.
 *
 * cma_alloc(cma, count, align): a first-fit search of the area's bitmap
 * (one bit per page) for a free, 2^align-aligned run; the run is marked,
 * then alloc_contig_range(MIGRATE_CMA) migrates the movable pages lent out
 * of it and takes it; on -EBUSY the run is unmarked and the search goes on
 * past it.  cma_release frees the pages (free_contig_range) and clears
 * the bits.  The counters of /sys/kernel/mm/cma/<name>/ count pages.
 *
 * Locking: cma->lock (a mutex) guards the bitmap and the counters; it is
 * not held across alloc_contig_range (which sleeps and migrates), as
 * Linux.  The rmqueue helpers run under zone->lock.
 *
 * Invariants: every pageblock of an activated area is MIGRATE_CMA, or
 * MIGRATE_ISOLATE while cma_alloc works on it; a set bitmap bit is a page
 * owned by a cma_alloc caller or being taken; sum over zones of
 * NR_FREE_CMA_PAGES == the free pages on MIGRATE_CMA free lists.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mmsim/cma.h>
#include <mmsim/gfp.h>
#include <mmsim/memblock.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include "mm/internal.h"
#include "lib/cmdline.h"

struct cma {
	char name[CMA_MAX_NAME];
	unsigned long base_pfn, count;	/* pages */
	unsigned long *bitmap;		/* a bit per page: taken by cma_alloc */
	unsigned long used;
	bool active;
	pthread_mutex_t lock;
	unsigned long alloc_pages_success, alloc_pages_fail, release_pages_success;
};

struct cma_state {
	uint64_t size;			/* cma=, bytes; 0: none */
	uint64_t base, limit;		/* cma=SIZE@BASE[-LIMIT]; 0: anywhere */
	struct cma areas[MAX_CMA_AREAS];
	int nr;
};

#define CMA_STATE(m)	((struct cma_state *)subsys_state(m, cma))
#define BITS_PER_UL	(8 * sizeof(unsigned long))

static int early_cma(void *state, const struct kernel_param *kp, const char *word,
		     const char *val, char *err, size_t len)
{
	struct cma_state *cs = state;

	char buf[96], *at, *dash;

	(void)kp;
	/* Linux's syntax: SIZE[@BASE[-LIMIT]]; @BASE alone places it exactly. */
	if (strlen(val) >= sizeof(buf))
		return cmdline_fail(err, len, "'%s': invalid size", word);
	strcpy(buf, val);
	at = strchr(buf, '@');
	if (at)
		*at++ = '\0';
	dash = at ? strchr(at, '-') : NULL;
	if (dash)
		*dash++ = '\0';
	if (memparse_strict(buf, &cs->size) || (at && memparse_strict(at, &cs->base)) ||
	    (dash && memparse_strict(dash, &cs->limit)))
		return cmdline_fail(err, len, "'%s': invalid size", word);
	if (at && !dash)
		cs->limit = cs->base + cs->size;
	if (cs->limit && cs->limit < cs->base + cs->size)
		return cmdline_fail(err, len, "'%s': the area does not fit below its limit", word);
	return 0;
}

/* ---------------------------------------------------------------------
 * Boot: reserve, then activate
 */

int cma_reserve_boot(struct mmsim *m, char *err, size_t len)
{
	struct cma_state *cs = CMA_STATE(m);
	phys_addr_t align = (phys_addr_t)MAX_ORDER_NR_PAGES << PAGE_SHIFT;
	phys_addr_t size, base;
	struct cma *cma;

	(void)err;
	(void)len;
	m->totalcma_pages = 0;
	if (!cs->size)
		return 0;
	size = ALIGN((phys_addr_t)cs->size, align);
	if (cs->base && cs->limit == cs->base + cs->size) {
		/* fixed: exactly there, if that is free RAM (Linux's "fixed" case) */
		base = (phys_addr_t)cs->base;
		if (!IS_ALIGNED(base, align) || !memblock_is_region_memory(base, size) ||
		    memblock_is_region_reserved(base, size) || memblock_reserve(base, size))
			base = 0;
	} else {
		base = memblock_phys_alloc_range(size, align, ALIGN((phys_addr_t)cs->base, align),
						 cs->limit ? (phys_addr_t)cs->limit :
							     MEMBLOCK_ALLOC_ACCESSIBLE);
	}
	if (!base) {
		pr_err("cma: Failed to reserve %lu MiB\n", (unsigned long)(size >> 20));
		return 0;	/* Linux boots on without the area */
	}
	cma = &cs->areas[cs->nr++];
	snprintf(cma->name, sizeof(cma->name), "reserved");
	cma->base_pfn = PHYS_PFN(base);
	cma->count = (unsigned long)(size >> PAGE_SHIFT);
	m->totalcma_pages += cma->count;
	pr_info("cma: Reserved %lu MiB at 0x%016llx on node -1\n", (unsigned long)(size >> 20),
		(unsigned long long)base);
	return 0;
}

/* Linux's init_cma_reserved_pageblock: the block becomes CMA and is freed. */
static void init_cma_reserved_pageblock(struct page *page)
{
	set_pageblock_migratetype(page, MIGRATE_CMA);
	__free_pages_core(page, pageblock_order);	/* managed and totalram grow */
	page_zone(page)->cma_pages += pageblock_nr_pages;
}

static void cma_activate_area(struct mmsim *m, struct cma *cma)
{
	struct zone *zone = page_zone(pfn_to_page(cma->base_pfn));
	unsigned long end = cma->base_pfn + cma->count;

	for (unsigned long pfn = cma->base_pfn; pfn < end; pfn++)
		if (!pfn_valid(pfn) || page_zone(pfn_to_page(pfn)) != zone)
			goto not_in_one_zone;
	cma->bitmap = calloc((cma->count + BITS_PER_UL - 1) / BITS_PER_UL, sizeof(unsigned long));
	if (!cma->bitmap)
		goto not_in_one_zone;
	pthread_mutex_init(&cma->lock, NULL);
	for (unsigned long pfn = cma->base_pfn; pfn < end; pfn += pageblock_nr_pages)
		init_cma_reserved_pageblock(pfn_to_page(pfn));
	cma->active = true;
	return;
not_in_one_zone:
	pr_err("cma: CMA area %s could not be activated\n", cma->name);
	for (unsigned long pfn = cma->base_pfn; pfn < end; pfn++)
		if (pfn_valid(pfn))
			__free_pages_core(pfn_to_page(pfn), 0);
	m->totalcma_pages -= cma->count;
	cma->count = 0;
}

void cma_activate_areas(struct mmsim *m)
{
	struct cma_state *cs = CMA_STATE(m);

	for (int i = 0; i < cs->nr; i++)
		cma_activate_area(m, &cs->areas[i]);
}

/* ---------------------------------------------------------------------
 * The page allocator's side (zone->lock held)
 */

static struct page *rmqueue_cma(struct zone *zone, unsigned int order)
{
	struct page *page = __rmqueue_smallest(zone, order, MIGRATE_CMA);

	/* The caller accounts NR_FREE_PAGES as for its own type; CMA here. */
	if (page)
		__account_zone_free(zone, NR_FREE_CMA_PAGES, -(1L << order));
	return page;
}

struct page *__rmqueue_cma_balance(struct zone *zone, unsigned int order)
{
	unsigned long free_cma = zone_page_state(zone, NR_FREE_CMA_PAGES);

	if (!free_cma || free_cma <= zone_page_state(zone, NR_FREE_PAGES) / 2)
		return NULL;
	return rmqueue_cma(zone, order);
}

struct page *__rmqueue_cma_fallback(struct zone *zone, unsigned int order)
{
	if (!zone_page_state(zone, NR_FREE_CMA_PAGES))
		return NULL;
	return rmqueue_cma(zone, order);
}

/* ---------------------------------------------------------------------
 * cma_alloc / cma_release
 */

unsigned long totalcma_pages(void)
{
	return M()->totalcma_pages;
}

bool page_in_cma(const struct page *page)
{
	return is_migrate_cma_page(page);
}

struct cma *cma_default_area(void)
{
	struct cma_state *cs = CMA_STATE(M());

	return cs->nr && cs->areas[0].active ? &cs->areas[0] : NULL;
}

struct cma *cma_find(const char *name)
{
	struct cma_state *cs = CMA_STATE(M());

	for (int i = 0; i < cs->nr; i++)
		if (cs->areas[i].active && !strcmp(cs->areas[i].name, name))
			return &cs->areas[i];
	return NULL;
}

unsigned long cma_get_base_pfn(const struct cma *cma) { return cma->base_pfn; }
unsigned long cma_get_size(const struct cma *cma) { return cma->count << PAGE_SHIFT; }
const char *cma_get_name(const struct cma *cma) { return cma->name; }
unsigned long cma_used_pages(const struct cma *cma) { return READ_ONCE(cma->used); }

static bool bit_test(const unsigned long *map, unsigned long i)
{
	return map[i / BITS_PER_UL] & (1UL << (i % BITS_PER_UL));
}

static void bits_set(unsigned long *map, unsigned long i, unsigned long n, bool on)
{
	for (; n; n--, i++) {
		if (on)
			map[i / BITS_PER_UL] |= 1UL << (i % BITS_PER_UL);
		else
			map[i / BITS_PER_UL] &= ~(1UL << (i % BITS_PER_UL));
	}
}

/* The first free run of @count bits at or after @from, aligned to @mask + 1; or ULONG_MAX. */
static unsigned long find_free_run(const struct cma *cma, unsigned long from, unsigned long count,
				   unsigned long mask)
{
	for (unsigned long i = ALIGN(from, mask + 1); i + count <= cma->count; i += mask + 1) {
		unsigned long j = 0;

		while (j < count && !bit_test(cma->bitmap, i + j))
			j++;
		if (j == count)
			return i;
	}
	return ULONG_MAX;
}

struct page *cma_alloc(struct cma *cma, unsigned long count, unsigned int align, bool no_warn)
{
	unsigned long mask = (1UL << align) - 1, start = 0, i;
	int ret = -ENOMEM;

	if (!cma || !cma->active || !count || count > cma->count || align >= BITS_PER_UL)
		return NULL;
	/* The area's base is MAX_ORDER aligned, so bitmap alignment is pfn alignment. */
	for (;;) {
		pthread_mutex_lock(&cma->lock);
		i = find_free_run(cma, start, count, mask);
		if (i == ULONG_MAX) {
			cma->alloc_pages_fail += count;
			pthread_mutex_unlock(&cma->lock);
			break;
		}
		bits_set(cma->bitmap, i, count, true);
		pthread_mutex_unlock(&cma->lock);
		ret = alloc_contig_range(cma->base_pfn + i, cma->base_pfn + i + count, MIGRATE_CMA,
					 GFP_KERNEL | (no_warn ? __GFP_NOWARN : 0));
		pthread_mutex_lock(&cma->lock);
		if (!ret) {
			cma->used += count;
			cma->alloc_pages_success += count;
			pthread_mutex_unlock(&cma->lock);
			return pfn_to_page(cma->base_pfn + i);
		}
		bits_set(cma->bitmap, i, count, false);
		pthread_mutex_unlock(&cma->lock);
		if (ret != -EBUSY)
			break;
		start = i + mask + 1;	/* something there would not move: try further on */
	}
	if (!no_warn)
		pr_err("cma: %s: %s: alloc failed, req-size: %lu pages, ret: %d\n", __func__,
		       cma->name, count, ret);
	return NULL;
}

bool cma_release(struct cma *cma, const struct page *pages, unsigned long count)
{
	unsigned long pfn;

	if (!cma || !pages || !cma->active)
		return false;
	pfn = page_to_pfn(pages);
	if (pfn < cma->base_pfn || pfn + count > cma->base_pfn + cma->count || !count)
		return false;
	free_contig_range(pfn, count);
	pthread_mutex_lock(&cma->lock);
	bits_set(cma->bitmap, pfn - cma->base_pfn, count, false);
	cma->used -= count;
	cma->release_pages_success += count;
	pthread_mutex_unlock(&cma->lock);
	return true;
}

/* ---------------------------------------------------------------------
 * /sys/kernel/mm/cma/<name>/
 */

enum { CA_SUCCESS, CA_FAIL, CA_RELEASE, CA_NR };
static const char *const cattr_names[CA_NR] = {
	"alloc_pages_success", "alloc_pages_fail", "release_pages_success",
};

static int cattr_show(struct seq_file *sf, struct proc_file *f)
{
	uintptr_t d = (uintptr_t)f->entry->data;
	struct cma *cma = &CMA_STATE(M())->areas[d / CA_NR];
	unsigned long v;

	pthread_mutex_lock(&cma->lock);
	v = d % CA_NR == CA_SUCCESS ? cma->alloc_pages_success :
	    d % CA_NR == CA_FAIL ? cma->alloc_pages_fail : cma->release_pages_success;
	pthread_mutex_unlock(&cma->lock);
	seq_printf(sf, "%lu\n", v);
	return 0;
}

static int cma_sysfs_init(struct mmsim *m, char *err, size_t len)
{
	struct cma_state *cs = CMA_STATE(m);
	char path[160];
	int ret = 0;

	for (int i = 0; i < cs->nr && !ret; i++) {
		if (!cs->areas[i].active)
			continue;
		for (int a = 0; a < CA_NR && !ret; a++) {
			snprintf(path, sizeof(path), "/sys/kernel/mm/cma/%s/%s", cs->areas[i].name,
				 cattr_names[a]);
			ret = proc_create_single_data(path, cattr_show,
						      (const void *)(uintptr_t)(i * CA_NR + a));
		}
	}
	if (ret)
		snprintf(err, len, "cma: cannot create its files (%d)", ret);
	return ret;
}

static void cma_exit(struct mmsim *m)
{
	struct cma_state *cs = CMA_STATE(m);

	for (int i = 0; i < cs->nr; i++) {
		if (cs->areas[i].active)
			pthread_mutex_destroy(&cs->areas[i].lock);
		free(cs->areas[i].bitmap);
		cs->areas[i].bitmap = NULL;
		cs->areas[i].active = false;
	}
	cs->nr = 0;
}

static const struct kernel_param cma_params[] = {
	early_param("cma", early_cma),
};

static const struct initcall cma_initcalls[] = {
	fs_initcall(cma_sysfs_init, cma_exit),
};

DEFINE_SUBSYSTEM(cma, SUBSYS_STATE(struct cma_state, NULL), SUBSYS_PARAMS(cma_params),
		 SUBSYS_INITCALLS(cma_initcalls));
