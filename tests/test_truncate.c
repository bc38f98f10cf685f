// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_truncate.c - taking pages out of the cache (mm/truncate.c,
 * unmap_mapping_range in mm/memory.c) on pcfs.h's file system:
 *   - truncate_inode_pages_range removes the whole pages of the range and
 *     zeroes the truncated bytes of the partial pages at its ends;
 *   - folios locked by a read in flight are waited for (virtual time
 *     passes), dirty ones are cancelled (PG_dirty and the mark go), and
 *     every page returns to the allocator;
 *   - truncate_setsize shrinking a mapped file: the pages beyond the new
 *     EOF are unmapped from every mm (private COW copies too) and a later
 *     access is SIGBUS; the page holding the new EOF stays mapped with its
 *     tail zeroed; extending again reads zeroes there;
 *   - truncate_pagecache_range (a hole) unmaps the shared mappings of its
 *     whole pages but keeps private COW copies;
 *   - invalidate_mapping_pages drops only clean, unmapped, unlocked
 *     folios nobody else holds and says how many; invalidate_inode_pages2
 *     unmaps mapped ones and is -EBUSY for a dirty one;
 *   - mapping_is_valid, mm_mapcounts_are_valid and lru_all_valid after
 *     each step.
 */
#include "pcfs.h"

static struct mmsim *m;

#define RO	PROT_READ
#define RW	(PROT_READ | PROT_WRITE)

static int get_byte(unsigned long va)
{
	unsigned char c;

	return mmsim_user_read(va, &c, 1) ? -1 : c;
}

static bool mapped(unsigned long va)
{
	pte_t *ptep = mm_find_pte(current->mm, va);

	return ptep && pte_present(ptep_get(ptep));
}

static unsigned char cache_byte(struct pcfs *fs, loff_t pos)
{
	struct folio *folio = filemap_get_folio(&fs->inode.i_data, (pgoff_t)(pos >> PAGE_SHIFT));
	unsigned char *k, c;

	KT_ASSERT(!IS_ERR(folio));
	if (IS_ERR(folio))
		return 0;
	k = kmap_local_page(&folio->page);
	c = k[pos & (PAGE_SIZE - 1)];
	kunmap_local(k);
	put_page(&folio->page);
	return c;
}

static bool valid(struct pcfs *fs)
{
	return mapping_is_valid(&fs->inode.i_data) && mm_mapcounts_are_valid(m) &&
	       lru_all_valid();
}

static void populate(struct pcfs *fs, pgoff_t npages)
{
	for (pgoff_t i = 0; i < npages; i++) {
		struct page *page = read_mapping_page(&fs->inode.i_data, i, &fs->file);

		KT_ASSERT(!IS_ERR(page));
		put_page(page);
	}
}

static void test_range(void)
{
	struct pcfs *fs = pcfs_new(6 * (loff_t)PAGE_SIZE, false, false);
	loff_t P = (loff_t)PAGE_SIZE;
	unsigned long files = global_node_page_state(NR_FILE_PAGES);

	populate(fs, 6);
	KT_EQ(global_node_page_state(NR_FILE_PAGES), files + 6);
	truncate_inode_pages_range(&fs->inode.i_data, P + 100, 3 * P + 50);
	KT_ASSERT(pcfs_cached(fs, 0) && pcfs_cached(fs, 1) && !pcfs_cached(fs, 2) &&
		  pcfs_cached(fs, 3) && pcfs_cached(fs, 4));
	KT_EQ(cache_byte(fs, P + 99), pcfs_byte(P + 99));
	KT_EQ(cache_byte(fs, P + 100), 0);
	KT_EQ(cache_byte(fs, 2 * P - 1), 0);
	KT_EQ(cache_byte(fs, 3 * P + 50), 0);
	KT_EQ(cache_byte(fs, 3 * P + 51), pcfs_byte(3 * P + 51));
	KT_EQ(pcfs_nrpages(fs), 5UL);
	KT_EQ(global_node_page_state(NR_FILE_PAGES), files + 5);
	/* a range within one page: zeroed, not removed */
	truncate_inode_pages_range(&fs->inode.i_data, 10, 20);
	KT_ASSERT(pcfs_cached(fs, 0));
	KT_EQ(cache_byte(fs, 9), pcfs_byte(9));
	KT_EQ(cache_byte(fs, 15), 0);
	KT_EQ(cache_byte(fs, 21), pcfs_byte(21));
	/* whole pages exactly */
	truncate_inode_pages_range(&fs->inode.i_data, 4 * P, 5 * P - 1);
	KT_ASSERT(!pcfs_cached(fs, 4) && pcfs_cached(fs, 5));
	KT_ASSERT(valid(fs));
	truncate_inode_pages(&fs->inode.i_data, 0);
	KT_EQ(pcfs_nrpages(fs), 0UL);
	KT_EQ(global_node_page_state(NR_FILE_PAGES), files);
	pcfs_free(fs);
}

/* Locked (reads in flight from the disk) and dirty folios. */
static void test_locked_and_dirty(void)
{
	struct pcfs *fs = pcfs_new(16 * (loff_t)PAGE_SIZE, false, true);
	struct address_space *mapping = &fs->inode.i_data;
	unsigned long free0 = nr_free_pages();
	struct folio *folio;
	u64 t0;

	force_page_cache_readahead(mapping, &fs->file, 0, 8);
	folio = filemap_get_folio(mapping, 1);	/* (64K pages: 2 are read) */
	KT_ASSERT(!IS_ERR(folio));
	KT_ASSERT(folio_test_locked(folio));	/* the read is in flight */
	put_page(&folio->page);
	t0 = vclock(m);
	truncate_inode_pages(mapping, 0);
	KT_EQ(pcfs_nrpages(fs), 0UL);
	KT_ASSERT(vclock(m) > t0);		/* it waited for the reads */

	/* dirty folios are thrown away, their dirty state with them */
	fs->use_disk = false;
	KT_EQ(pcfs_kwrite(fs, "abc", 3, 2 * (loff_t)PAGE_SIZE, 0), 3);
	folio = filemap_get_folio(mapping, 2);
	KT_ASSERT(PageDirty(&folio->page));
	KT_ASSERT(xa_get_mark(&mapping->i_pages, 2, PAGECACHE_TAG_DIRTY));
	truncate_inode_pages(mapping, 0);
	KT_ASSERT(!PageDirty(&folio->page) && !folio->page.mapping);
	KT_EQ(page_count(&folio->page), 1);	/* ours only */
	put_page(&folio->page);
	KT_ASSERT(valid(fs));
	drain_all_pages(NULL);
	KT_ASSERT(nr_free_pages() + 16 >= free0);
	pcfs_free(fs);
}

static void test_setsize_mapped(void)
{
	struct task_struct *t = mmsim_spawn(m, "trunc");
	loff_t P = (loff_t)PAGE_SIZE;
	struct pcfs *fs = pcfs_new(4 * P, false, false);
	unsigned char c = 0x99;
	unsigned long sh, pr;

	KT_EQ(mmsim_switch_to(t), 0);
	sh = pcfs_mmap(fs, 4 * PAGE_SIZE, RO, MAP_SHARED, 0);
	pr = pcfs_mmap(fs, 4 * PAGE_SIZE, RW, MAP_PRIVATE, 0);
	KT_ASSERT(!IS_ERR_VALUE(sh) && !IS_ERR_VALUE(pr));
	for (int i = 0; i < 4; i++)
		KT_EQ(get_byte(sh + (unsigned long)i * PAGE_SIZE + 200), pcfs_byte(i * P + 200));
	KT_EQ(mmsim_user_write(pr + 3 * PAGE_SIZE, &c, 1), 0);	/* a COW copy */
	KT_EQ(get_byte(pr + 2 * PAGE_SIZE), pcfs_byte(2 * P));
	KT_ASSERT(mapped(sh + 3 * PAGE_SIZE) && mapped(pr + 3 * PAGE_SIZE));

	truncate_setsize(&fs->inode, P + 100);
	KT_EQ(i_size_read(&fs->inode), P + 100);
	KT_EQ(pcfs_nrpages(fs), 2UL);
	KT_ASSERT(!mapped(sh + 2 * PAGE_SIZE) && !mapped(sh + 3 * PAGE_SIZE));
	KT_ASSERT(!mapped(pr + 2 * PAGE_SIZE) && !mapped(pr + 3 * PAGE_SIZE));	/* even COW */
	KT_ASSERT(mapped(sh + PAGE_SIZE));		/* the EOF page stays */
	KT_EQ(get_byte(sh + PAGE_SIZE + 99), pcfs_byte(P + 99));
	KT_EQ(get_byte(sh + PAGE_SIZE + 100), 0);	/* its tail zeroed */
	KT_EQ(get_mm_counter(t->mm, MM_ANONPAGES), 0L);
	KT_ASSERT(valid(fs) && mm_is_valid(t->mm));
	/* extending again: zeroes where the old bytes were */
	truncate_setsize(&fs->inode, 3 * P);
	KT_EQ(get_byte(sh + PAGE_SIZE + 200), 0);
	truncate_setsize(&fs->inode, P + 100);
	/* beyond EOF now: SIGBUS */
	KT_EQ(get_byte(sh + 2 * PAGE_SIZE), -1);
	KT_ASSERT(current == NULL);
	KT_EQ(t->exit_code & 0x7f, SIGBUS);
	KT_EQ(pcfs_nrpages(fs), 2UL);
	KT_ASSERT(mapping_is_valid(&fs->inode.i_data) && lru_all_valid());
	pcfs_free(fs);
}

/* A hole: the shared mappings of its whole pages go, private copies stay. */
static void test_hole(void)
{
	struct task_struct *t = mmsim_spawn(m, "hole");
	loff_t P = (loff_t)PAGE_SIZE;
	struct pcfs *fs = pcfs_new(4 * P, false, false);
	unsigned char c = 0x31;
	unsigned long sh, pr;

	KT_EQ(mmsim_switch_to(t), 0);
	sh = pcfs_mmap(fs, 4 * PAGE_SIZE, RO, MAP_SHARED, 0);
	pr = pcfs_mmap(fs, 4 * PAGE_SIZE, RW, MAP_PRIVATE, 0);
	for (int i = 0; i < 4; i++)
		KT_EQ(get_byte(sh + (unsigned long)i * PAGE_SIZE), pcfs_byte(i * P));
	KT_EQ(mmsim_user_write(pr + PAGE_SIZE, &c, 1), 0);
	truncate_pagecache_range(&fs->inode, P / 2, 3 * P - 1);
	KT_ASSERT(mapped(sh) && !mapped(sh + PAGE_SIZE) && !mapped(sh + 2 * PAGE_SIZE) &&
		  mapped(sh + 3 * PAGE_SIZE));
	KT_ASSERT(mapped(pr + PAGE_SIZE));		/* the COW copy */
	KT_EQ(get_byte(pr + PAGE_SIZE), 0x31);
	KT_EQ(get_byte(sh + P / 2 - 1), pcfs_byte(P / 2 - 1));
	KT_EQ(get_byte(sh + P / 2), 0);			/* zeroed in place */
	KT_ASSERT(!pcfs_cached(fs, 1) && !pcfs_cached(fs, 2));
	KT_ASSERT(valid(fs) && mm_is_valid(t->mm));
	sys_exit_group(0);
	pcfs_free(fs);
}

static void test_invalidate(void)
{
	struct task_struct *t = mmsim_spawn(m, "inval");
	struct pcfs *fs = pcfs_new(8 * (loff_t)PAGE_SIZE, false, false);
	struct address_space *mapping = &fs->inode.i_data;
	struct folio *locked, *held;
	unsigned long va;

	KT_EQ(mmsim_switch_to(t), 0);
	populate(fs, 8);
	va = pcfs_mmap(fs, PAGE_SIZE, RO, MAP_SHARED, 0);	/* page 0 mapped */
	KT_EQ(get_byte(va), pcfs_byte(0));
	KT_EQ(pcfs_kwrite(fs, "x", 1, (loff_t)PAGE_SIZE, 0), 1);	/* page 1 dirty */
	locked = filemap_get_folio(mapping, 2);		/* page 2 locked */
	folio_lock(locked);
	held = filemap_get_folio(mapping, 3);		/* page 3 referenced */
	KT_EQ(invalidate_mapping_pages(mapping, 0, (pgoff_t)-1), 4UL);	/* 4..7 */
	KT_EQ(pcfs_nrpages(fs), 4UL);
	folio_unlock(locked);
	put_page(&locked->page);
	put_page(&held->page);
	KT_EQ(invalidate_mapping_pages(mapping, 0, (pgoff_t)-1), 2UL);	/* 2, 3 */
	KT_ASSERT(pcfs_cached(fs, 0) && pcfs_cached(fs, 1));
	KT_ASSERT(valid(fs));
	/* invalidate_inode_pages2: unmaps page 0, -EBUSY for the dirty one */
	KT_EQ(invalidate_inode_pages2_range(mapping, 0, (pgoff_t)-1), -EBUSY);
	KT_ASSERT(!pcfs_cached(fs, 0) && pcfs_cached(fs, 1));
	KT_ASSERT(!mapped(va));
	KT_EQ(get_byte(va), pcfs_byte(0));		/* faults it back in */
	KT_ASSERT(valid(fs) && mm_is_valid(t->mm));
	sys_exit_group(0);
	pcfs_free(fs);
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_range);
	KT_RUN(test_locked_and_dirty);
	KT_RUN(test_setsize_mapped);
	KT_RUN(test_hole);
	KT_RUN(test_invalidate);
	KT_ASSERT(lru_all_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=64M");
	run("arch=i386 ram=64M");
	run("arch=arm64 page_size=64K ram=256M");
	return kt_done();
}
