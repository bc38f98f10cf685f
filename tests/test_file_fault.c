// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_file_fault.c - faults on file mappings (mm/memory.c do_fault,
 * mm/filemap_fault.c) on pcfs.h's file system:
 *   - the first touch of an uncached file is a major fault (maj_flt,
 *     pgmajfault) that reads around the address (ra_pages); a touch of a
 *     cached page is minor, and fault-around (fault_around_bytes, 64 KiB)
 *     maps the cached neighbours old without faults of their own, but not
 *     the PG_readahead folio; /sys/kernel/debug/fault_around_bytes reads
 *     and writes as Linux's (a power of two, at most a PTE table, at least
 *     a page: no fault-around);
 *   - a cold file mapped MADV_RANDOM reads only the faulting page;
 *     MADV_WILLNEED reads the range ahead; mincore reports cache residency;
 *   - MAP_PRIVATE: a write copies the cached page (anon, MM_ANONPAGES)
 *     and leaves the file unchanged, whether the page was mapped before
 *     (do_wp_page) or not (do_cow_fault);
 *   - MAP_SHARED: a read maps the page read-only (write notification); a
 *     write goes through ->page_mkwrite and dirties the folio; a write to
 *     an unmapped page (do_shared_fault) too; the bytes reach the cache;
 *   - beyond EOF: SIGBUS (the task dies, -EFAULT);
 *   - mmap checks: MAP_SHARED|PROT_WRITE of a file not open for writing
 *     -EACCES (and mprotect cannot add it), a file not open for reading
 *     -EACCES; adjacent mappings of the file with contiguous offsets merge;
 *     MAP_POPULATE maps every page;
 *   - the checkers (mm_is_valid, mm_mapcounts_are_valid, mapping_is_valid,
 *     lru_all_valid) after each step.
 */
#include "pcfs.h"
#include "mm/pagecache_internal.h"

static struct mmsim *m;

#define RO	PROT_READ
#define RW	(PROT_READ | PROT_WRITE)

static int get_byte(unsigned long va)
{
	unsigned char c;

	return mmsim_user_read(va, &c, 1) ? -1 : c;
}

static pte_t pte_at(unsigned long va)
{
	pte_t *ptep = mm_find_pte(current->mm, va);

	return ptep ? ptep_get(ptep) : __pte(0);
}

static struct page *page_at(unsigned long va)
{
	pte_t pte = pte_at(va);

	return pte_present(pte) ? pfn_to_page(pte_pfn(pte)) : NULL;
}

static bool checkers_ok(struct pcfs *fs)
{
	return mm_is_valid(current->mm) && mm_mapcounts_are_valid(m) &&
	       mapping_is_valid(&fs->inode.i_data) && lru_all_valid();
}

/* Does folio_mark_dirty reach ->dirty_folio yet (mm/page-writeback.c)? */
static bool dirtying_works(void)
{
	struct pcfs *fs = pcfs_new(PAGE_SIZE, false, false);
	struct folio *folio;
	bool ret;

	read_mapping_page(&fs->inode.i_data, 0, NULL);
	folio = filemap_get_folio(&fs->inode.i_data, 0);
	put_page(&folio->page);		/* read_mapping_page's */
	folio_lock(folio);
	folio_mark_dirty(folio);
	ret = PageDirty(&folio->page);
	folio_unlock(folio);
	put_page(&folio->page);
	pcfs_free(fs);
	return ret;
}

static void test_major_minor_faultaround(void)
{
	struct task_struct *t = mmsim_spawn(m, "faulter");
	pgoff_t npages = 32;
	struct pcfs *fs = pcfs_new((loff_t)npages * (loff_t)PAGE_SIZE, false, false);
	unsigned long fa = fault_around_pages();
	long long majs = vmstat_field(m, "pgmajfault ");
	unsigned long va, maj, min;

	KT_EQ(mmsim_switch_to(t), 0);
	/* at a 2 MiB-aligned hint: the fault-around windows are PTE-index aligned */
	va = pcfs_mmap_at(fs, 0x20000000UL, npages * PAGE_SIZE, RO, MAP_SHARED, 0);
	KT_EQ(va, 0x20000000UL);
	KT_ASSERT(!IS_ERR_VALUE(va));
	maj = t->maj_flt;
	min = t->min_flt;
	/* cold: major, reads around */
	KT_EQ(get_byte(va + 3), pcfs_byte(3));
	KT_EQ(t->maj_flt, maj + 1);
	KT_EQ(t->min_flt, min);
	KT_EQ(vmstat_field(m, "pgmajfault "), majs + 1);
	KT_ASSERT(pcfs_nrpages(fs) > 1);
	KT_EQ(pcfs_nrpages(fs), min((unsigned long)npages, VM_READAHEAD_PAGES_BYTES / PAGE_SIZE));
	/* warm: minor; fault-around maps the neighbours */
	KT_EQ(get_byte(va + PAGE_SIZE + 5), pcfs_byte(PAGE_SIZE + 5));
	KT_EQ(t->maj_flt, maj + 1);
	KT_EQ(t->min_flt, min + 1);
	if (fs->file.f_ra.ra_pages < npages)
		fa = 1;		/* 64K pages: no fault-around (one page) */
	if (fa > 1) {
		KT_EQ(fa, 16UL);
		/* pages 0..15 mapped by that fault; the neighbours old */
		KT_ASSERT(pte_present(pte_at(va + 5 * PAGE_SIZE)));
		KT_ASSERT(!pte_young(pte_at(va + 5 * PAGE_SIZE)));
		KT_ASSERT(!pte_present(pte_at(va + 16 * PAGE_SIZE)));
		for (unsigned long i = 2; i < 16; i++)
			KT_EQ(get_byte(va + i * PAGE_SIZE), pcfs_byte((loff_t)(i * PAGE_SIZE)));
		KT_EQ(t->min_flt, min + 1);		/* no fault for them */
		/* the readahead marker (24 = 32 - 32/4) is left to a real fault */
		KT_EQ(get_byte(va + 17 * PAGE_SIZE), pcfs_byte(17 * (loff_t)PAGE_SIZE));
		KT_EQ(t->min_flt, min + 2);
		KT_ASSERT(!pte_present(pte_at(va + 24 * PAGE_SIZE)));
		KT_ASSERT(pte_present(pte_at(va + 25 * PAGE_SIZE)));
	}
	for (unsigned long i = 0; i < npages; i++)
		KT_EQ(get_byte(va + i * PAGE_SIZE + 1), pcfs_byte((loff_t)(i * PAGE_SIZE + 1)));
	if (fs->file.f_ra.ra_pages >= npages)
		KT_EQ(t->maj_flt, maj + 1);
	else		/* 64K pages: a 2-page read-around window */
		KT_ASSERT(t->maj_flt > maj + 1);
	KT_EQ(fs->reads, (unsigned int)npages);
	KT_EQ(get_mm_counter(t->mm, MM_FILEPAGES), (long)npages);
	KT_ASSERT(checkers_ok(fs));
	sys_exit_group(0);
	pcfs_free(fs);
}

static void test_fault_around_knob(void)
{
	char *s = mmsim_read(m, "/sys/kernel/debug/fault_around_bytes");
	char want[32];

	snprintf(want, sizeof(want), "%lu\n", max(65536UL, (unsigned long)PAGE_SIZE));
	KT_ASSERT(s && !strcmp(s, want));
	free(s);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/fault_around_bytes", "100000"), 0);
	s = mmsim_read(m, "/sys/kernel/debug/fault_around_bytes");
	snprintf(want, sizeof(want), "%lu\n", max(65536UL, (unsigned long)PAGE_SIZE));
	KT_ASSERT(s && !strcmp(s, want));	/* rounded down to a power of two */
	free(s);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/fault_around_bytes", "1"), 0);
	s = mmsim_read(m, "/sys/kernel/debug/fault_around_bytes");
	snprintf(want, sizeof(want), "%lu\n", (unsigned long)PAGE_SIZE);
	KT_ASSERT(s && !strcmp(s, want));	/* at least a page */
	free(s);
	KT_EQ(fault_around_pages(), 1UL);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/fault_around_bytes", "1073741824"), -EINVAL);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/fault_around_bytes", "x"), -EINVAL);
	KT_EQ(mmsim_write(m, "/sys/kernel/debug/fault_around_bytes", "65536"), 0);
}

static void test_random_willneed_mincore(void)
{
	struct task_struct *t = mmsim_spawn(m, "advisor");
	struct pcfs *fs = pcfs_new(64 * (loff_t)PAGE_SIZE, false, false);
	unsigned char vec[64];
	unsigned long va;

	KT_EQ(mmsim_switch_to(t), 0);
	va = pcfs_mmap(fs, 64 * PAGE_SIZE, RO, MAP_PRIVATE, 0);
	KT_EQ(sys_madvise(va, 64 * PAGE_SIZE, MADV_RANDOM), 0);
	KT_EQ(get_byte(va + 10 * PAGE_SIZE), pcfs_byte(10 * (loff_t)PAGE_SIZE));
	KT_EQ(pcfs_nrpages(fs), 1UL);		/* VM_RAND_READ: no read-around */
	KT_EQ(t->maj_flt, 1UL);
	KT_EQ(sys_mincore(va, 64 * PAGE_SIZE, vec), 0);
	for (int i = 0; i < 64; i++)
		KT_EQ_WHAT(vec[i], i == 10, "vec[%d]", i);
	/* WILLNEED reads the range in (not mapped) */
	KT_EQ(sys_madvise(va + 20 * PAGE_SIZE, 2 * PAGE_SIZE, MADV_WILLNEED), 0);
	KT_ASSERT(pcfs_cached(fs, 20) && pcfs_cached(fs, 21) && !pcfs_cached(fs, 22));
	KT_ASSERT(!pte_present(pte_at(va + 20 * PAGE_SIZE)));
	KT_EQ(sys_mincore(va, 64 * PAGE_SIZE, vec), 0);
	KT_ASSERT(vec[20] && vec[21] && !vec[22]);
	/* a cached page faults minor */
	KT_EQ(get_byte(va + 21 * PAGE_SIZE), pcfs_byte(21 * (loff_t)PAGE_SIZE));
	KT_EQ(t->maj_flt, 1UL);
	/* MADV_DONTNEED unmaps; the cache keeps the pages */
	KT_EQ(sys_madvise(va, 64 * PAGE_SIZE, MADV_DONTNEED), 0);
	KT_ASSERT(!pte_present(pte_at(va + 21 * PAGE_SIZE)));
	KT_ASSERT(pcfs_cached(fs, 21));
	KT_EQ(get_mm_counter(t->mm, MM_FILEPAGES), 0L);
	KT_ASSERT(checkers_ok(fs));
	sys_exit_group(0);
	pcfs_free(fs);
}

static void test_private_cow(void)
{
	struct task_struct *t = mmsim_spawn(m, "cow");
	struct pcfs *fs = pcfs_new(4 * (loff_t)PAGE_SIZE, false, false);
	unsigned char c = 0x77, buf[8];
	struct page *file_page;
	unsigned long va;

	KT_EQ(mmsim_switch_to(t), 0);
	va = pcfs_mmap(fs, 4 * PAGE_SIZE, RW, MAP_PRIVATE, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	/* read first: the cache's page, read-only */
	KT_EQ(get_byte(va + 9), pcfs_byte(9));
	file_page = page_at(va);
	KT_ASSERT(file_page && !page_is_anon(file_page));
	KT_ASSERT(!pte_write(pte_at(va)));
	KT_EQ(mmsim_user_write(va + 9, &c, 1), 0);		/* do_wp_page: copy */
	KT_ASSERT(page_at(va) != file_page && page_is_anon(page_at(va)));
	KT_EQ(get_byte(va + 9), 0x77);
	KT_EQ(get_byte(va + 10), pcfs_byte(10));		/* the rest copied */
	/* write first (do_cow_fault) */
	KT_EQ(mmsim_user_write(va + 3 * PAGE_SIZE + 1, &c, 1), 0);
	KT_ASSERT(page_is_anon(page_at(va + 3 * PAGE_SIZE)));
	KT_EQ(get_byte(va + 3 * PAGE_SIZE), pcfs_byte(3 * (loff_t)PAGE_SIZE));
	/* the file is unchanged */
	KT_EQ(pcfs_kread(fs, buf, 8, 8), 8);
	KT_ASSERT(pcfs_check(buf, 8, 8));
	KT_EQ(pcfs_kread(fs, buf, 8, 3 * (loff_t)PAGE_SIZE), 8);
	KT_ASSERT(pcfs_check(buf, 3 * (loff_t)PAGE_SIZE, 8));
	KT_ASSERT(!PageDirty(file_page));
	KT_EQ(get_mm_counter(t->mm, MM_ANONPAGES), 2L);
	KT_ASSERT(checkers_ok(fs));
	/* fork: the child sees the private copy, COW again */
	{
		long pid = sys_fork();
		struct task_struct *child = find_task_by_vpid((pid_t)pid);

		KT_ASSERT(pid > 0 && child);
		KT_EQ(mmsim_switch_to(child), 0);
		KT_EQ(get_byte(va + 9), 0x77);
		c = 0x11;
		KT_EQ(mmsim_user_write(va + 9, &c, 1), 0);
		sys_exit_group(0);
		KT_EQ(mmsim_switch_to(t), 0);
		KT_EQ(get_byte(va + 9), 0x77);
		KT_EQ(sys_wait4((pid_t)pid, NULL, 0, NULL), pid);
	}
	KT_ASSERT(checkers_ok(fs));
	sys_exit_group(0);
	pcfs_free(fs);
}

static void test_shared_write(void)
{
	struct task_struct *t = mmsim_spawn(m, "writer");
	struct pcfs *fs = pcfs_new(4 * (loff_t)PAGE_SIZE, false, false);
	struct address_space *mapping = &fs->inode.i_data;
	bool dirty_ok = dirtying_works();
	unsigned char c = 0x42, buf[4];
	struct folio *folio;
	unsigned long va;

	KT_EQ(mmsim_switch_to(t), 0);
	va = pcfs_mmap(fs, 4 * PAGE_SIZE, RW, MAP_SHARED, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_EQ(get_byte(va), pcfs_byte(0));
	KT_ASSERT(pte_present(pte_at(va)) && !pte_write(pte_at(va)));	/* write-notify */
	KT_EQ(mmsim_user_write(va + 1, &c, 1), 0);			/* wp_page_shared */
	KT_ASSERT(pte_write(pte_at(va)) && pte_dirty(pte_at(va)));
	folio = filemap_get_folio(mapping, 0);
	KT_ASSERT(!IS_ERR(folio) && &folio->page == page_at(va));
	if (dirty_ok) {
		KT_ASSERT(PageDirty(&folio->page));
		KT_ASSERT(xa_get_mark(&mapping->i_pages, 0, PAGECACHE_TAG_DIRTY));
	} else {
		printf("# folio_mark_dirty does not reach ->dirty_folio yet: dirty checks skipped\n");
	}
	put_page(&folio->page);
	/* do_shared_fault: a write to an unmapped page */
	KT_EQ(mmsim_user_write(va + 2 * PAGE_SIZE + 3, &c, 1), 0);
	KT_ASSERT(pte_write(pte_at(va + 2 * PAGE_SIZE)));
	if (dirty_ok)
		KT_ASSERT(xa_get_mark(&mapping->i_pages, 2, PAGECACHE_TAG_DIRTY));
	/* the bytes are the cache's */
	KT_EQ(pcfs_kread(fs, buf, 4, 0), 4);
	KT_EQ(buf[1], 0x42);
	KT_ASSERT(pcfs_check(buf, 0, 1) && pcfs_check(buf + 2, 2, 2));
	KT_EQ(pcfs_kread(fs, buf, 1, 2 * (loff_t)PAGE_SIZE + 3), 1);
	KT_EQ(buf[0], 0x42);
	/* and write(2) shows through the mapping */
	KT_EQ(pcfs_kwrite(fs, "Q", 1, PAGE_SIZE + 7, 0), 1);
	KT_EQ(get_byte(va + PAGE_SIZE + 7), 'Q');
	KT_ASSERT(checkers_ok(fs));
	sys_exit_group(0);
	pcfs_free(fs);
}

static void test_sigbus_beyond_eof(void)
{
	struct task_struct *t = mmsim_spawn(m, "bus");
	struct pcfs *fs = pcfs_new(2 * (loff_t)PAGE_SIZE + 100, false, false);
	unsigned long va;

	KT_EQ(mmsim_switch_to(t), 0);
	va = pcfs_mmap(fs, 4 * PAGE_SIZE, RO, MAP_SHARED, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_EQ(get_byte(va + 2 * PAGE_SIZE + 50), pcfs_byte(2 * (loff_t)PAGE_SIZE + 50));
	KT_EQ(get_byte(va + 3 * PAGE_SIZE), -1);		/* SIGBUS */
	KT_ASSERT(current == NULL);
	KT_EQ(t->exit_code & 0x7f, SIGBUS);
	pcfs_free(fs);
}

static void test_mmap_checks(void)
{
	struct task_struct *t = mmsim_spawn(m, "checks");
	struct pcfs *fs = pcfs_new(8 * (loff_t)PAGE_SIZE, false, false);
	struct vm_area_struct *vma;
	unsigned long va, va2, min;

	KT_EQ(mmsim_switch_to(t), 0);
	fs->file.f_mode = FMODE_READ;
	KT_EQ(pcfs_mmap(fs, PAGE_SIZE, RW, MAP_SHARED, 0), (unsigned long)-EACCES);
	va = pcfs_mmap(fs, PAGE_SIZE, RO, MAP_SHARED, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_EQ(sys_mprotect(va, PAGE_SIZE, RW), -EACCES);	/* no VM_MAYWRITE */
	va2 = pcfs_mmap(fs, PAGE_SIZE, RW, MAP_PRIVATE, 0);	/* private is fine */
	KT_ASSERT(!IS_ERR_VALUE(va2));
	KT_EQ(sys_munmap(va, PAGE_SIZE), 0);
	KT_EQ(sys_munmap(va2, PAGE_SIZE), 0);
	fs->file.f_mode = FMODE_WRITE;
	KT_EQ(pcfs_mmap(fs, PAGE_SIZE, RO, MAP_PRIVATE, 0), (unsigned long)-EACCES);
	KT_EQ(pcfs_mmap(fs, PAGE_SIZE, RW, MAP_SHARED, 0), (unsigned long)-EACCES);
	fs->file.f_mode = FMODE_READ | FMODE_WRITE;
	/* generic_file_readonly_mmap refuses what may become shared-writable */
	{
		struct vm_area_struct v = { .vm_flags = VM_SHARED | VM_MAYWRITE };

		KT_EQ(generic_file_readonly_mmap(&fs->file, &v), -EINVAL);
		v.vm_flags = VM_SHARED | VM_MAYSHARE;
		KT_EQ(generic_file_readonly_mmap(&fs->file, &v), 0);
		KT_ASSERT(v.vm_ops == &generic_file_vm_ops);
		v.vm_flags = VM_MAYWRITE;		/* private: fine */
		KT_EQ(generic_file_readonly_mmap(&fs->file, &v), 0);
	}

	/* adjacent mappings with contiguous offsets merge */
	va = pcfs_mmap(fs, 2 * PAGE_SIZE, RO, MAP_SHARED, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	{
		unsigned long populate = 0, r;

		mmap_write_lock(current->mm);
		r = do_mmap(&fs->file, va + 2 * PAGE_SIZE, 2 * PAGE_SIZE, RO, MAP_SHARED | MAP_FIXED,
			    0, 2, &populate, NULL);
		KT_EQ(r, va + 2 * PAGE_SIZE);
		vma = vma_lookup(current->mm, va);
		KT_ASSERT(vma && vma->vm_start == va && vma->vm_end == va + 4 * PAGE_SIZE);
		/* a gap in the offsets does not */
		r = do_mmap(&fs->file, va + 4 * PAGE_SIZE, PAGE_SIZE, RO, MAP_SHARED | MAP_FIXED,
			    0, 6, &populate, NULL);
		KT_EQ(r, va + 4 * PAGE_SIZE);
		vma = vma_lookup(current->mm, va);
		KT_ASSERT(vma && vma->vm_end == va + 4 * PAGE_SIZE);
		mmap_write_unlock(current->mm);
	}
	KT_EQ(get_byte(va + 3 * PAGE_SIZE), pcfs_byte(3 * (loff_t)PAGE_SIZE));
	KT_EQ(get_byte(va + 4 * PAGE_SIZE), pcfs_byte(6 * (loff_t)PAGE_SIZE));
	KT_EQ(sys_munmap(va, 5 * PAGE_SIZE), 0);

	/* MAP_POPULATE: every page mapped at once */
	truncate_inode_pages(&fs->inode.i_data, 0);
	va = pcfs_mmap(fs, 8 * PAGE_SIZE, RO, MAP_PRIVATE | MAP_POPULATE, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	for (unsigned long i = 0; i < 8; i++)
		KT_ASSERT(pte_present(pte_at(va + i * PAGE_SIZE)));
	min = t->min_flt;
	for (unsigned long i = 0; i < 8; i++)
		KT_EQ(get_byte(va + i * PAGE_SIZE), pcfs_byte((loff_t)(i * PAGE_SIZE)));
	KT_EQ(t->min_flt, min);
	KT_ASSERT(checkers_ok(fs));
	sys_exit_group(0);
	pcfs_free(fs);
}

/* A disk-backed file: the major fault waits in virtual time. */
static void test_disk_fault(void)
{
	struct task_struct *t = mmsim_spawn(m, "disk");
	struct pcfs *fs = pcfs_new(8 * (loff_t)PAGE_SIZE, false, true);
	u64 t0 = vclock(m);
	unsigned long va;

	KT_EQ(mmsim_switch_to(t), 0);
	va = pcfs_mmap(fs, 8 * PAGE_SIZE, RO, MAP_SHARED, 0);
	for (unsigned long i = 0; i < 8; i++)
		KT_EQ(get_byte(va + i * PAGE_SIZE + 7), pcfs_byte((loff_t)(i * PAGE_SIZE + 7)));
	KT_ASSERT(vclock(m) > t0);
	/* one read-around covers the file with 4K pages; 64K pages have a
	 * 2-page window, so more of the faults are major */
	if (fs->file.f_ra.ra_pages >= 8)
		KT_EQ(t->maj_flt, 1UL);
	else
		KT_ASSERT(t->maj_flt > 1UL);
	KT_ASSERT(checkers_ok(fs));
	sys_exit_group(0);
	pcfs_free(fs);
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_major_minor_faultaround);
	KT_RUN(test_fault_around_knob);
	KT_RUN(test_random_willneed_mincore);
	KT_RUN(test_private_cow);
	KT_RUN(test_shared_write);
	KT_RUN(test_sigbus_beyond_eof);
	KT_RUN(test_mmap_checks);
	KT_RUN(test_disk_fault);
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
