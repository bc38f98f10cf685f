// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_filemap_mt.c - two CPUs race __filemap_get_folio(FGP_CREAT |
 * FGP_LOCK) over the same indices of one address_space: exactly one folio
 * per index wins (the loser's add fails -EEXIST and it retries the
 * lookup), both CPUs get that folio, the folio lock excludes them while
 * each bumps a counter in the folio's memory, and everything goes back
 * to the buddy allocator.  Under TSan in the "threaded" label.
 */
#include <pthread.h>
#include <mmsim/err.h>
#include <mmsim/slab.h>
#include <mmsim/rmap.h>
#include <mmsim/pagemap.h>
#include <mmsim/highmem.h>
#include "mmtest.h"

#define NIDX	64
#define ROUNDS	20

static struct mmsim *machine;
static struct address_space as;
static pthread_barrier_t start;

struct worker {
	int cpu, bad;
	struct folio *got[NIDX];
};

static void *worker(void *arg)
{
	struct worker *w = arg;

	if (mmsim_enter(machine, w->cpu)) {
		w->bad++;
		pthread_barrier_wait(&start);
		return NULL;
	}
	pthread_barrier_wait(&start);
	for (int r = 0; r < ROUNDS; r++) {
		for (pgoff_t i = 0; i < NIDX; i++) {
			struct folio *f = __filemap_get_folio(&as, i, FGP_CREAT | FGP_LOCK,
							      GFP_KERNEL);
			unsigned long *p;

			if (IS_ERR(f)) {
				w->bad++;
				continue;
			}
			if (!r && f->page.index == i && f->page.mapping == &as && !w->got[i])
				w->got[i] = f;
			else if (w->got[i] != f)
				w->bad++;
			p = kmap_local_page(&f->page);
			p[0]++;		/* under the folio lock */
			kunmap_local(p);
			folio_unlock(f);
			put_page(&f->page);
		}
	}
	mmsim_leave();
	return NULL;
}

static void test_race(void)
{
	struct worker w[2] = { { .cpu = 1 }, { .cpu = 2 } };
	struct folio_batch fbatch;
	pthread_t th[2];
	unsigned long before;
	pgoff_t index = 0;
	unsigned int n = 0;

	machine = boot_or_die("arch=x86_64 ram=128M cpus=3");
	KT_EQ(mmsim_enter(machine, 0), 0);
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	before = nr_free_pages();
	address_space_init_once(&as);
	pthread_barrier_init(&start, NULL, 2);
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, worker, &w[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	KT_EQ(w[0].bad, 0);
	KT_EQ(w[1].bad, 0);
	KT_EQ(atomic_long_read(&as.nrpages), NIDX);
	for (int i = 0; i < NIDX; i++)
		KT_ASSERT(w[0].got[i] == w[1].got[i]);

	folio_batch_init(&fbatch);
	while (filemap_get_folios(&as, &index, NIDX - 1, &fbatch)) {
		for (unsigned int i = 0; i < folio_batch_count(&fbatch); i++) {
			struct folio *f = fbatch.folios[i];
			unsigned long *p = kmap_local_page(&f->page);

			KT_EQ(p[0], 2UL * ROUNDS);
			kunmap_local(p);
			folio_lock(f);
			filemap_remove_folio(f);
			folio_unlock(f);
			n++;
		}
		folio_batch_release(&fbatch);
	}
	KT_EQ(n, (unsigned int)NIDX);
	KT_EQ(atomic_long_read(&as.nrpages), 0);
	xa_destroy(&as.i_pages);
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), before);
	mmsim_leave();
	mmsim_shutdown(machine);
}

int main(void)
{
	KT_RUN(test_race);
	return kt_done();
}
