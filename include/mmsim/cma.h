/* SPDX-License-Identifier: GPL-2.0 */
/*
 * include/mmsim/cma.h - the Contiguous Memory Allocator (Linux's
 * include/linux/cma.h): areas reserved at boot (cma=SIZE) whose pageblocks
 * are MIGRATE_CMA, lent to movable allocations until cma_alloc() takes a
 * range back (mm/cma.c).
 */
#ifndef MMSIM_CMA_H
#define MMSIM_CMA_H

#include <stdbool.h>
#include <mmsim/types.h>
#include <mmsim/mm_types.h>

#define MAX_CMA_AREAS	8
#define CMA_MAX_NAME	64

struct cma;

/* Pages of every CMA area (Linux's totalcma_pages: /proc/meminfo CmaTotal). */
unsigned long totalcma_pages(void);
/* Is @page in a MIGRATE_CMA pageblock (Linux's is_migrate_cma_page)? */
bool page_in_cma(const struct page *page);

/* The machine's default area (cma=), Linux's dma_contiguous_default_area, or NULL. */
struct cma *cma_default_area(void);
struct cma *cma_find(const char *name);
unsigned long cma_get_base_pfn(const struct cma *cma);
unsigned long cma_get_size(const struct cma *cma);	/* bytes */
const char *cma_get_name(const struct cma *cma);
unsigned long cma_used_pages(const struct cma *cma);	/* taken by cma_alloc */

/*
 * cma_alloc - @count contiguous pages of @cma, the first aligned to
 * 2^@align pages: the movable pages lent out of the range are migrated
 * away (alloc_contig_range).  NULL when no range could be had ("cma_alloc:
 * ... failed" unless @no_warn).  cma_release gives them back: false when
 * @pages is not @cma's.
 */
struct page *cma_alloc(struct cma *cma, unsigned long count, unsigned int align, bool no_warn);
bool cma_release(struct cma *cma, const struct page *pages, unsigned long count);

#endif
