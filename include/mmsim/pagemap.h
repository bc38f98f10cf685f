/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagemap.h - the page cache's interface (mm/filemap.c; Linux's
 * include/linux/pagemap.h names): adding, finding and removing folios of
 * an address_space, whose i_pages is an XArray (lib/xarray.c) guarded by
 * its xa_lock, and the folio lock (PG_locked).
 */
#ifndef MMSIM_PAGEMAP_H
#define MMSIM_PAGEMAP_H

#include <mmsim/fs.h>
#include <mmsim/mm_types.h>
#include <mmsim/gfp.h>

/* __filemap_get_folio's fgp_flags (Linux's values). */
#define FGP_ACCESSED	0x00000001u	/* mark it accessed (folio_mark_accessed) */
#define FGP_LOCK	0x00000002u	/* return it locked */
#define FGP_CREAT	0x00000004u	/* allocate and add it when absent */
#define FGP_WRITE	0x00000008u	/* accepted */
#define FGP_NOFS	0x00000010u	/* accepted */
#define FGP_NOWAIT	0x00000020u	/* FGP_LOCK: trylock only, -EAGAIN */

/* A batch of folios with a reference each (Linux's <linux/pagevec.h>). */
#define PAGEVEC_SIZE	31
struct folio_batch {
	unsigned char nr;
	struct folio *folios[PAGEVEC_SIZE];
};

static inline void folio_batch_init(struct folio_batch *fbatch)
{
	fbatch->nr = 0;
}

static inline unsigned int folio_batch_count(const struct folio_batch *fbatch)
{
	return fbatch->nr;
}

static inline unsigned int folio_batch_space(const struct folio_batch *fbatch)
{
	return PAGEVEC_SIZE - fbatch->nr;
}

static inline unsigned int folio_batch_add(struct folio_batch *fbatch, struct folio *folio)
{
	fbatch->folios[fbatch->nr++] = folio;
	return folio_batch_space(fbatch);
}

/* Drops the batch's references (Linux's folio_batch_release). */
void folio_batch_release(struct folio_batch *fbatch);

static inline void mapping_set_gfp_mask(struct address_space *m, gfp_t mask)
{
	m->gfp_mask = mask;
}

static inline gfp_t mapping_gfp_mask(const struct address_space *m)
{
	return m->gfp_mask;
}

/* The folio lock: PG_locked, a bit lock; contended, the host thread waits. */
bool folio_trylock(struct folio *folio);
void folio_lock(struct folio *folio);
void folio_unlock(struct folio *folio);
bool folio_test_locked(const struct folio *folio);

/* Initialise a new mapping's i_pages (Linux's address_space_init_once). */
void address_space_init_once(struct address_space *mapping);

int __filemap_add_folio(struct address_space *mapping, struct folio *folio,
			pgoff_t index, gfp_t gfp, void **shadowp);
int filemap_add_folio(struct address_space *mapping, struct folio *folio,
		      pgoff_t index, gfp_t gfp);
void __filemap_remove_folio(struct folio *folio, void *shadow);
void filemap_remove_folio(struct folio *folio);
#define delete_from_page_cache(page)	filemap_remove_folio(page_folio(page))

struct folio *__filemap_get_folio(struct address_space *mapping, pgoff_t index,
				  unsigned int fgp_flags, gfp_t gfp);
/* A referenced folio, or ERR_PTR(-ENOENT) (Linux 6.3+). */
static inline struct folio *filemap_get_folio(struct address_space *mapping, pgoff_t index)
{
	return __filemap_get_folio(mapping, index, 0, 0);
}
/* The page at @index with a reference, or NULL. */
struct page *find_get_page(struct address_space *mapping, pgoff_t index);
/* Up to a batch of the folios at [*start, end], referenced; *start moves past them. */
unsigned int filemap_get_folios(struct address_space *mapping, pgoff_t *start,
				pgoff_t end, struct folio_batch *fbatch);

#endif
