// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_filemap_read_mt.c - the page cache's read paths racing its
 * removal paths on host threads (TSan: label "threaded"): two CPUs read a
 * pcfs.h file through filemap_read (each with its own struct file, so its
 * own readahead state) in sequential and scattered chunks and check every
 * byte, while a third drops the cache under them (invalidate_mapping_pages,
 * truncate_inode_pages_range over whole pages, which the file's bytes
 * survive since they come back from ->read_folio) and reads single pages
 * with read_mapping_folio.  Afterwards the cache and the LRU lists are
 * valid and emptying the cache gives every page back.
 */
#include <pthread.h>
#include "pcfs.h"

#define NPAGES	48
#define ROUNDS	30

static struct mmsim *machine;
static struct pcfs *fs;
static pthread_barrier_t start;

struct worker {
	int cpu, bad, role;
	struct file file;
};

static void reader(struct worker *w)
{
	size_t len = 5 * PAGE_SIZE + 77;
	unsigned char *buf = malloc(len);
	unsigned int seed = (unsigned int)w->cpu * 7919u;

	for (int r = 0; r < ROUNDS; r++) {
		loff_t pos = r & 1 ? 0 : (loff_t)(rand_r(&seed) % (NPAGES * PAGE_SIZE));

		while (pos < (loff_t)NPAGES * (loff_t)PAGE_SIZE) {
			struct kiocb kiocb = { .ki_filp = &w->file, .ki_pos = pos };
			struct iov_iter iter;
			ssize_t n;

			iov_iter_kvec_buf(&iter, ITER_DEST, buf, len);
			n = filemap_read(&kiocb, &iter, 0);
			if (n <= 0 || !pcfs_check(buf, pos, (size_t)n)) {
				w->bad++;
				break;
			}
			pos += n;
			if (r & 2)
				pos += (loff_t)(rand_r(&seed) % (3 * PAGE_SIZE));
		}
	}
	free(buf);
}

static void dropper(struct worker *w)
{
	struct address_space *mapping = &fs->inode.i_data;

	for (int r = 0; r < ROUNDS * 4; r++) {
		loff_t first = (loff_t)(r % NPAGES) * (loff_t)PAGE_SIZE;

		if (r & 1)
			invalidate_mapping_pages(mapping, 0, (pgoff_t)-1);
		else
			truncate_inode_pages_range(mapping, first, first + 4 * (loff_t)PAGE_SIZE - 1);
		{
			struct folio *folio = read_mapping_folio(mapping, (pgoff_t)(r * 7 % NPAGES),
								 NULL);
			unsigned char *k;

			if (IS_ERR(folio)) {
				w->bad++;
				continue;
			}
			k = kmap_local_page(&folio->page);
			if (!pcfs_check(k, (loff_t)folio->page.index * (loff_t)PAGE_SIZE, PAGE_SIZE))
				w->bad++;
			kunmap_local(k);
			put_page(&folio->page);
		}
	}
}

static void *worker(void *arg)
{
	struct worker *w = arg;

	if (mmsim_enter(machine, w->cpu)) {
		w->bad++;
		pthread_barrier_wait(&start);
		return NULL;
	}
	pthread_barrier_wait(&start);
	if (w->role)
		dropper(w);
	else
		reader(w);
	mmsim_leave();
	return NULL;
}

static void test_read_vs_drop(void)
{
	struct worker w[3] = { { .cpu = 1 }, { .cpu = 2 }, { .cpu = 3, .role = 1 } };
	pthread_t th[3];
	unsigned long before;

	machine = boot_or_die("arch=x86_64 ram=128M cpus=4");
	KT_EQ(mmsim_enter(machine, 0), 0);
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	before = nr_free_pages();
	fs = pcfs_new((loff_t)NPAGES * (loff_t)PAGE_SIZE, true, false);
	for (int i = 0; i < 3; i++) {
		w[i].file = fs->file;
		file_ra_state_init(&w[i].file.f_ra, &fs->inode.i_data);
	}
	pthread_barrier_init(&start, NULL, 3);
	for (int i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, worker, &w[i]);
	for (int i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	pthread_barrier_destroy(&start);
	for (int i = 0; i < 3; i++)
		KT_EQ_WHAT(w[i].bad, 0, "worker %d", i);
	KT_ASSERT(mapping_is_valid(&fs->inode.i_data));
	KT_ASSERT(lru_all_valid());
	pcfs_free(fs);
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	KT_EQ(nr_free_pages(), before);
	mmsim_leave();
	mmsim_shutdown(machine);
}

int main(void)
{
	KT_RUN(test_read_vs_drop);
	return kt_done();
}
