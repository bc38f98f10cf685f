// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_cma.c - the Contiguous Memory Allocator (mm/cma.c,
 * docs/pinning.md):
 *   - cma=SIZE[@BASE[-LIMIT]] reserves a MAX_ORDER-aligned area at boot
 *     (exactly at BASE, or in [BASE, LIMIT)) whose pageblocks
 *     are MIGRATE_CMA: CmaTotal/CmaFree, nr_free_cma, pagetypeinfo's CMA
 *     blocks, zone->cma_pages, the boot log; a bad size is refused;
 *   - movable allocations land in CMA when most of the zone's free pages
 *     are CMA, not while they are few; unmovable ones never do;
 *   - a FOLL_LONGTERM pin of a CMA-placed page migrates it out (to a
 *     non-CMA, non-movable place) with the bytes intact; a plain pin
 *     leaves it where it is;
 *   - cma_alloc migrates the movable pages lent out of the range, fails
 *     for a range a pinned page holds, counts in /sys/kernel/mm/cma/;
 *     cma_release gives the pages back;
 *   - a randomized run of alloc/free/pin/cma_alloc with nr_free_cma and
 *     the free lists checked after every step (zone_is_valid).
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/cma.h>
#include <mmsim/migrate.h>
#include <mmsim/swap.h>
#include "mmtest.h"
#include "mm/fault_internal.h"
#include "pin_test.h"

#define SPEC_BIG	"ram=256M cpus=1 cma=160M"	/* CMA: most of DMA32's free pages */
#define SPEC_SMALL	"ram=256M cpus=1 cma=16M"	/* CMA: a small share */

static long long file_field(struct mmsim *m, const char *path, const char *label)
{
	char *s = mmsim_read(m, path);
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static long long free_cma_pages(void)
{
	long long sum = 0;

	for (int zt = 0; zt < MAX_NR_ZONES; zt++)
		sum += (long long)zone_page_state(zone_of(0, zt), NR_FREE_CMA_PAGES);
	return sum;
}

static bool zones_valid(void)
{
	bool ok = true;

	for (int zt = 0; zt < MAX_NR_ZONES; zt++)
		ok &= zone_is_valid(zone_of(0, zt));
	return ok;
}

static void test_boot_area(void)
{
	struct mmsim *m = boot_or_die("ram=256M cpus=1 cma=64M");
	struct cma *cma = cma_default_area();
	struct zone *zone;
	unsigned long base;
	size_t mark = 0;
	char *log, *pti;

	KT_ASSERT(cma);
	if (!cma)
		return;
	base = cma_get_base_pfn(cma);
	KT_EQ(cma_get_size(cma), 64UL << 20);
	KT_EQ(base % MAX_ORDER_NR_PAGES, 0);
	KT_STR_CONTAINS(cma_get_name(cma), "reserved");
	zone = page_zone(pfn_to_page(base));
	KT_EQ(zone->cma_pages, 16384);
	for (unsigned long pfn = base; pfn < base + 16384; pfn += pageblock_nr_pages)
		KT_EQ(get_pfnblock_migratetype(zone, pfn), MIGRATE_CMA);
	KT_EQ(get_pfnblock_migratetype(zone, base - 1), MIGRATE_MOVABLE);
	KT_EQ(file_field(m, "/proc/meminfo", "CmaTotal:"), 65536);
	KT_EQ(file_field(m, "/proc/meminfo", "CmaFree:"), 65536);
	KT_EQ(file_field(m, "/proc/vmstat", "nr_free_cma"), 16384);
	KT_EQ(free_cma_pages(), 16384);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "cma: Reserved 64 MiB at 0x");
	KT_STR_CONTAINS(log, "K reserved, 65536K cma-reserved)");
	free(log);
	pti = mmsim_read(m, "/proc/pagetypeinfo");
	KT_ASSERT(pti && strstr(pti, "  Reclaimable   HighAtomic          CMA      Isolate"));
	free(pti);
	/* the area counts in MemTotal (managed pages) */
	KT_ASSERT(file_field(m, "/proc/meminfo", "MemTotal:") > 200 * 1024);
	KT_EQ(file_field(m, "/sys/kernel/mm/cma/reserved/alloc_pages_success", ""), 0);
	KT_ASSERT(zones_valid());
	mmsim_shutdown(m);

	/* no cma=: no area, zero counts, the column is still there */
	m = boot_or_die("ram=64M cpus=1");
	KT_ASSERT(!cma_default_area());
	KT_EQ(file_field(m, "/proc/meminfo", "CmaTotal:"), 0);
	KT_EQ(file_field(m, "/proc/meminfo", "CmaFree:"), 0);
	mmsim_shutdown(m);

	KT_ASSERT(!mmsim_boot("ram=64M cma=lots"));
	KT_STR_CONTAINS(mmsim_last_error(), "cma=lots");
	KT_ASSERT(!mmsim_boot("ram=64M cma=32M@1M-16M"));
	KT_STR_CONTAINS(mmsim_last_error(), "does not fit");

	/* @BASE: exactly there; @BASE-LIMIT: somewhere in the range */
	m = boot_or_die("ram=256M cpus=1 cma=64M@64M");
	cma = cma_default_area();
	KT_ASSERT(cma && cma_get_base_pfn(cma) == (64UL << 20) >> PAGE_SHIFT);
	mmsim_shutdown(m);
	m = boot_or_die("ram=256M cpus=1 cma=32M@16M-128M");
	cma = cma_default_area();
	KT_ASSERT(cma && cma_get_base_pfn(cma) >= (16UL << 20) >> PAGE_SHIFT &&
		  cma_get_base_pfn(cma) + ((32UL << 20) >> PAGE_SHIFT) <= (128UL << 20) >> PAGE_SHIFT);
	KT_EQ(file_field(m, "/proc/meminfo", "CmaTotal:"), 32768);
	mmsim_shutdown(m);
	/* a fixed place that is not MAX_ORDER aligned: no area, the boot goes on */
	m = boot_or_die("ram=256M cpus=1 cma=64M@63M");
	KT_ASSERT(!cma_default_area());
	KT_EQ(file_field(m, "/proc/meminfo", "CmaTotal:"), 0);
	mark = 0;
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "cma: Failed to reserve 64 MiB");
	free(log);
	mmsim_shutdown(m);
}

/* How many of @n movable (or not) order-0 allocations land in CMA pageblocks. */
static unsigned long alloc_count_cma(struct page **pages, int n, gfp_t gfp)
{
	unsigned long in_cma = 0;

	for (int i = 0; i < n; i++) {
		pages[i] = alloc_pages(gfp, 0);
		KT_ASSERT(pages[i]);
		if (pages[i])
			in_cma += is_migrate_cma_page(pages[i]);
	}
	return in_cma;
}

static void free_all(struct page **pages, int n)
{
	for (int i = 0; i < n; i++)
		if (pages[i])
			__free_pages(pages[i], 0);
}

#define NALLOC 1024

static void test_placement(void)
{
	struct page **pages = calloc(NALLOC, sizeof(*pages));
	struct mmsim *m = boot_or_die(SPEC_BIG);
	unsigned long in_cma;

	KT_ASSERT(pages);
	/* CMA holds most free pages: movable requests take from it */
	in_cma = alloc_count_cma(pages, NALLOC, GFP_HIGHUSER_MOVABLE);
	KT_ASSERT(in_cma >= NALLOC / 2);
	free_all(pages, NALLOC);
	/* unmovable and reclaimable ones never do, orders 0 and 3 */
	KT_EQ(alloc_count_cma(pages, NALLOC, GFP_KERNEL), 0);
	free_all(pages, NALLOC);
	KT_EQ(alloc_count_cma(pages, NALLOC / 4, GFP_KERNEL | __GFP_RECLAIMABLE), 0);
	free_all(pages, NALLOC / 4);
	for (int i = 0; i < 64; i++) {
		pages[i] = alloc_pages(GFP_KERNEL, 3);
		KT_ASSERT(pages[i] && !is_migrate_cma_page(pages[i]));
	}
	for (int i = 0; i < 64; i++)
		if (pages[i])
			__free_pages(pages[i], 3);
	KT_ASSERT(zones_valid());
	mmsim_shutdown(m);

	/* A small area: movable requests use their own blocks first. */
	m = boot_or_die(SPEC_SMALL);
	KT_EQ(alloc_count_cma(pages, NALLOC, GFP_HIGHUSER_MOVABLE), 0);
	free_all(pages, NALLOC);
	KT_ASSERT(zones_valid());
	mmsim_shutdown(m);
	free(pages);
}

#define NP 256

static void test_longterm_pin(void)
{
	struct mmsim *m = boot_or_die(SPEC_BIG);
	struct task_struct *t = mmsim_spawn(m, "cma");
	struct page *pages[NP], *before[NP];
	unsigned long va, in_cma = 0;
	long long migrated;

	KT_EQ(mmsim_switch_to(t), 0);
	va = anon_map(NP);
	KT_ASSERT(fill_pattern(va, NP, 7));
	for (int i = 0; i < NP; i++) {
		before[i] = mapped_page(va + i * PAGE_SIZE);
		in_cma += before[i] && is_migrate_cma_page(before[i]);
	}
	KT_ASSERT(in_cma > 0);		/* anonymous memory is movable: lent CMA pages */
	/* a plain pin leaves them where they are */
	KT_EQ(pin_user_pages(va, NP, FOLL_WRITE, pages), NP);
	for (int i = 0; i < NP; i++)
		KT_EQ(pages[i], before[i]);
	unpin_user_pages(pages, NP);
	/* a long-term pin moves the CMA ones out first */
	migrated = file_field(m, "/proc/vmstat", "pgmigrate_success");
	KT_EQ(pin_user_pages(va, NP, FOLL_WRITE | FOLL_LONGTERM, pages), NP);
	KT_ASSERT(file_field(m, "/proc/vmstat", "pgmigrate_success") - migrated >= (long long)in_cma);
	for (int i = 0; i < NP; i++) {
		KT_ASSERT(!is_migrate_cma_page(pages[i]));
		KT_ASSERT(page_zonenum(pages[i]) != ZONE_MOVABLE);
		KT_ASSERT(folio_is_longterm_pinnable(page_folio(pages[i])));
		KT_EQ(mapped_page(va + i * PAGE_SIZE), pages[i]);
		if (!is_migrate_cma_page(before[i]))
			KT_EQ(pages[i], before[i]);	/* the others stayed */
	}
	KT_ASSERT(holds_pattern(va, NP, 7));
	unpin_user_pages(pages, NP);
	KT_ASSERT(zones_valid());
	sys_exit_group(0);
	mmsim_shutdown(m);
}

static void test_cma_alloc(void)
{
	struct mmsim *m = boot_or_die(SPEC_BIG);
	struct task_struct *t = mmsim_spawn(m, "cma");
	struct cma *cma = cma_default_area();
	unsigned long va, count, base;
	struct page *got, *pin, *p;
	long long migrated;

	KT_ASSERT(cma);
	if (!cma)
		return;
	count = cma_get_size(cma) >> PAGE_SHIFT;
	base = cma_get_base_pfn(cma);
	KT_EQ(mmsim_switch_to(t), 0);
	va = anon_map(NP);
	KT_ASSERT(fill_pattern(va, NP, 3));
	lru_add_drain_all();
	/* the whole area: every lent page must move out */
	migrated = file_field(m, "/proc/vmstat", "pgmigrate_success");
	got = cma_alloc(cma, count, 0, false);
	KT_ASSERT(got);
	if (!got)
		return;
	KT_EQ(page_to_pfn(got), base);
	KT_ASSERT(file_field(m, "/proc/vmstat", "pgmigrate_success") > migrated);
	for (int i = 0; i < NP; i++) {
		p = mapped_page(va + i * PAGE_SIZE);
		KT_ASSERT(p && (page_to_pfn(p) < base || page_to_pfn(p) >= base + count));
	}
	KT_ASSERT(holds_pattern(va, NP, 3));
	KT_EQ(free_cma_pages(), 0);
	KT_EQ(cma_used_pages(cma), count);
	KT_EQ(file_field(m, "/sys/kernel/mm/cma/reserved/alloc_pages_success", ""), (long long)count);
	/* nothing more to have */
	KT_ASSERT(!cma_alloc(cma, 1, 0, true));
	KT_EQ(file_field(m, "/sys/kernel/mm/cma/reserved/alloc_pages_fail", ""), 1);
	KT_ASSERT(!cma_release(cma, pfn_to_page(base - 1), 1));
	KT_ASSERT(cma_release(cma, got, count));
	KT_EQ(file_field(m, "/sys/kernel/mm/cma/reserved/release_pages_success", ""),
	      (long long)count);
	KT_EQ(cma_used_pages(cma), 0);
	drain_all_pages(NULL);
	KT_EQ(free_cma_pages(), (long long)count);

	/* A pinned page in the area: its range cannot be had, the next one can. */
	p = NULL;
	KT_EQ(sys_madvise(va, NP * PAGE_SIZE, MADV_DONTNEED), 0);
	drain_all_pages(NULL);		/* the freed pages must not come straight back */
	KT_ASSERT(fill_pattern(va, NP, 5));
	for (int i = 0; i < NP && !p; i++) {
		struct page *q = mapped_page(va + i * PAGE_SIZE);

		if (q && is_migrate_cma_page(q))
			p = q;
	}
	KT_ASSERT(p);
	if (p) {
		unsigned long off = page_to_pfn(p) - base, start = off & ~(unsigned long)(MAX_ORDER_NR_PAGES - 1);
		unsigned long va_p = 0;

		for (int i = 0; i < NP; i++)
			if (mapped_page(va + i * PAGE_SIZE) == p)
				va_p = va + (unsigned long)i * PAGE_SIZE;
		KT_EQ(pin_user_pages(va_p, 1, FOLL_WRITE, &pin), 1);
		/* every MAX_ORDER block of the area can be had but the pinned page's */
		struct page *blk[64];
		unsigned long nblk = 0, nr = count / MAX_ORDER_NR_PAGES;

		while (nblk < 64 && (blk[nblk] = cma_alloc(cma, MAX_ORDER_NR_PAGES, MAX_PAGE_ORDER,
							   true)))
			nblk++;
		KT_EQ(nblk, nr - 1);
		for (unsigned long b = 0; b < nblk; b++) {
			KT_ASSERT(page_to_pfn(blk[b]) - base != start);
			KT_ASSERT(cma_release(cma, blk[b], MAX_ORDER_NR_PAGES));
		}
		KT_ASSERT(!cma_alloc(cma, count, 0, true));	/* the pin holds its page */
		KT_EQ(mapped_page(va_p), p);
		unpin_user_pages(&pin, 1);
	}
	KT_ASSERT(holds_pattern(va, NP, 5));
	KT_ASSERT(zones_valid());
	sys_exit_group(0);
	mmsim_shutdown(m);
}

static unsigned long rnd_state = 12345;
static unsigned long rnd(unsigned long n)
{
	rnd_state = rnd_state * 6364136223846793005UL + 1442695040888963407UL;
	return (rnd_state >> 33) % n;
}

#define SLOTS 32

static void test_random(void)
{
	struct mmsim *m = boot_or_die(SPEC_BIG);
	struct task_struct *t = mmsim_spawn(m, "cma");
	struct cma *cma = cma_default_area();
	struct { struct page *page; unsigned int order; } a[SLOTS] = { { 0 } };
	struct page *pins[16], *c = NULL;
	unsigned long va, c_count = 0;
	long npins = 0;
	int bad = -1;

	KT_EQ(mmsim_switch_to(t), 0);
	va = anon_map(64);
	KT_ASSERT(fill_pattern(va, 64, 9));
	for (int step = 0; step < 300 && bad < 0; step++) {
		int s = (int)rnd(SLOTS);

		switch (rnd(6)) {
		case 0:
		case 1:	/* allocate or free a block of some type */
			if (a[s].page) {
				__free_pages(a[s].page, a[s].order);
				a[s].page = NULL;
			} else {
				static const gfp_t g[] = { GFP_KERNEL, GFP_HIGHUSER_MOVABLE,
							   GFP_KERNEL | __GFP_RECLAIMABLE };
				gfp_t gfp = g[rnd(3)];

				a[s].order = (unsigned int)rnd(4);
				a[s].page = alloc_pages(gfp, a[s].order);
				if (a[s].page && !(gfp & __GFP_MOVABLE) &&
				    is_migrate_cma_page(a[s].page))
					bad = step;	/* unmovable in CMA */
			}
			break;
		case 2:	/* long-term pin (or unpin) part of the buffer */
			if (npins) {
				unpin_user_pages(pins, (unsigned long)npins);
				npins = 0;
			} else {
				npins = pin_user_pages(va + rnd(48) * PAGE_SIZE, 16,
						       FOLL_WRITE | FOLL_LONGTERM, pins);
				if (npins != 16)
					bad = step;
				for (long i = 0; i < npins; i++)
					if (is_migrate_cma_page(pins[i]))
						bad = step;
			}
			break;
		case 3:	/* cma_alloc or cma_release */
			if (c) {
				KT_ASSERT(cma_release(cma, c, c_count));
				c = NULL;
			} else {
				c_count = 1 + rnd(2048);
				c = cma_alloc(cma, c_count, (unsigned int)rnd(4), true);
			}
			break;
		case 4:	/* fresh anonymous pages */
			if (!npins) {
				KT_EQ(sys_madvise(va, 64 * PAGE_SIZE, MADV_DONTNEED), 0);
				KT_ASSERT(fill_pattern(va, 64, 9));
			}
			break;
		case 5:
			drain_all_pages(NULL);
			break;
		}
		if (!zones_valid() || !holds_pattern(va, 64, 9))
			bad = step;
		if (file_field(m, "/proc/vmstat", "nr_free_cma") != free_cma_pages())
			bad = step;
	}
	KT_EQ(bad, -1);
	if (npins)
		unpin_user_pages(pins, (unsigned long)npins);
	if (c)
		KT_ASSERT(cma_release(cma, c, c_count));
	for (int s = 0; s < SLOTS; s++)
		if (a[s].page)
			__free_pages(a[s].page, a[s].order);
	sys_exit_group(0);
	/* everything back: the area is all free again */
	drain_all_pages(NULL);
	KT_EQ(free_cma_pages(), (long long)(cma_get_size(cma) >> PAGE_SHIFT));
	KT_ASSERT(zones_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_boot_area);
	KT_RUN(test_placement);
	KT_RUN(test_longterm_pin);
	KT_RUN(test_cma_alloc);
	KT_RUN(test_random);
	return kt_done();
}
