// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_shmem_anon.c - MAP_SHARED|MAP_ANONYMOUS memory is a shmem
 * object (mm/shmem.c), as in Linux:
 *   - a parent, its child and its grandchild see each other's writes,
 *     whether the page was first faulted before or after the forks;
 *   - munmap in one process leaves the others' view; the pages live in the
 *     object until its last VMA goes, and then every page is back in the
 *     buddy allocator (nr_free_pages exact after draining the caches);
 *   - /proc/meminfo Shmem (the object's pages) and Mapped (pages with a
 *     PTE), /proc/PID/status RssShmem, smaps (shared, a third of the
 *     Pss, not Anonymous), the mm counters (mm_is_valid) and
 *     the machine's mapcounts (mm_mapcounts_are_valid) along the way;
 *   - rmap_walk finds every mapping of a page and folio_referenced reads
 *     and clears their Accessed bits;
 *   - mremap growth past the object's size: SIGBUS (BUS_ADRERR) there;
 *   - Committed_AS is charged once per object (not by fork or splits),
 *     nothing with MAP_NORESERVE, given back with the object;
 *   - MADV_DONTNEED only unmaps (the data stays; mincore reports the page
 *     resident from the object), mlock marks the pages, a FOLL_WRITE pin
 *     takes the object's page (no copy-on-write) and outlives the object;
 *   - mm_is_valid and mm_mapcounts_are_valid catch a wrong MM_SHMEMPAGES
 *     and a wrong mapcount of a shmem page, mapped or only in the object.
 * On x86_64, i386 (highmem pages) and arm64 with 64K pages.
 */
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/slab.h>
#include <mmsim/rmap.h>
#include <mmsim/shmem_fs.h>
#include "mmtest.h"
#include "mm/fault_internal.h"
#include "kernel/internal.h"

#define NPAGES	8
#define RW	(PROT_READ | PROT_WRITE)
#define SHANON	(MAP_SHARED | MAP_ANONYMOUS)

static struct mmsim *m;

static unsigned long settled_free_pages(void)
{
	switch_mm(NULL, &init_mm, NULL);
	kmem_cache_shrink_all();
	drain_all_pages(NULL);
	return nr_free_pages();
}

static long long proc_field(const char *path, const char *label)
{
	char *s = mmsim_read(m, path);
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static long long status_kb(struct task_struct *t, const char *label)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/status", t->pid);
	return proc_field(path, label);
}

/* A field of the smaps block of the VMA starting at @start of @t. */
static long long smaps_kb(struct task_struct *t, unsigned long start, const char *label)
{
	char path[64], head[32], *s, *p;
	long long v = -1;

	snprintf(path, sizeof(path), "/proc/%d/smaps", t->pid);
	snprintf(head, sizeof(head), "%08lx-", start);
	s = mmsim_read(m, path);
	p = s ? strstr(s, head) : NULL;
	if (p)
		v = field(strchr(p, '\n') + 1, label);
	free(s);
	return v;
}

static long long meminfo_kb(const char *label)
{
	return proc_field("/proc/meminfo", label);
}

#define KB(pages) ((long long)(pages) * (long long)(PAGE_SIZE / 1024))

static void put_byte(unsigned long va, unsigned char c)
{
	KT_EQ(mmsim_user_write(va, &c, 1), 0);
}

static int get_byte(unsigned long va)
{
	unsigned char c = 0;

	if (mmsim_user_read(va, &c, 1))
		return -1;
	return c;
}

static struct task_struct *do_fork(void)
{
	long pid = sys_fork();

	KT_ASSERT(pid > 0);
	return pid > 0 ? find_task_by_vpid((pid_t)pid) : NULL;
}

static void reap(struct task_struct *parent, struct task_struct *child)
{
	pid_t pid = child->pid;
	int st = -1;

	KT_EQ(mmsim_switch_to(child), 0);
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(parent), 0);
	KT_EQ(sys_wait4(pid, &st, 0, NULL), pid);
	KT_ASSERT(WIFEXITED(st));
}

static struct page *page_at(struct mm_struct *mm, unsigned long va)
{
	pte_t *ptep = mm_find_pte(mm, va);
	pte_t pte = ptep ? ptep_get(ptep) : __pte(0);

	return pte_present(pte) ? pfn_to_page(pte_pfn(pte)) : NULL;
}

struct walk_count {
	struct page *page;
	int vmas, mapped;
};

static bool count_one(struct folio *folio, struct vm_area_struct *vma, unsigned long address,
		      void *arg)
{
	struct walk_count *w = arg;

	(void)folio;
	w->vmas++;
	if (page_at(vma->vm_mm, address) == w->page)
		w->mapped++;
	return true;
}

/* The mappings rmap_walk finds that really map @page. */
static int rmap_mappings(struct page *page)
{
	struct walk_count w = { .page = page };
	struct rmap_walk_control rwc = { .arg = &w, .rmap_one = count_one };

	rmap_walk(page_folio(page), &rwc);
	return w.mapped;
}

static bool all_valid(struct task_struct **t, int n)
{
	bool ok = mm_mapcounts_are_valid(m);

	for (int i = 0; i < n; i++)
		ok = ok && mm_is_valid(t[i]->mm);
	return ok;
}

/*
 * Sharing both ways: page 0 written before the forks, pages 1-3 by the
 * child, the parent and the grandchild after them; every process sees
 * every write.  Then munmap in the child, exits, and the accounting.
 */
static void shmem_run(bool check)
{
	unsigned long committed0 = vm_memory_committed(), va, cm;
	struct task_struct *p = mmsim_spawn(m, "app"), *c, *g, *all[3];
	long long shmem0 = meminfo_kb("Shmem:"), mapped0 = meminfo_kb("Mapped:");
	struct page *pg[4];

	KT_ASSERT(p);
	if (!p)
		return;
	KT_EQ(mmsim_switch_to(p), 0);
	cm = vm_memory_committed();
	va = sys_mmap(0, NPAGES * PAGE_SIZE, RW, SHANON, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_EQ(vm_memory_committed(), cm + NPAGES);
	put_byte(va, 0x10);
	c = do_fork();		/* charges the child's private memory, not the object */
	KT_ASSERT(c);
	if (!c)
		return;

	/* the child writes page 1, the parent reads it */
	KT_EQ(mmsim_switch_to(c), 0);
	KT_EQ(get_byte(va), 0x10);
	put_byte(va + PAGE_SIZE, 0x42);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(get_byte(va + PAGE_SIZE), 0x42);
	/* the parent writes page 2, the child reads it */
	put_byte(va + 2 * PAGE_SIZE, 0x43);
	KT_EQ(mmsim_switch_to(c), 0);
	KT_EQ(get_byte(va + 2 * PAGE_SIZE), 0x43);
	/* a grandchild writes page 3; it sees all the others */
	g = do_fork();
	KT_ASSERT(g);
	if (!g)
		return;
	KT_EQ(mmsim_switch_to(g), 0);
	KT_EQ(get_byte(va), 0x10);
	KT_EQ(get_byte(va + PAGE_SIZE), 0x42);
	KT_EQ(get_byte(va + 2 * PAGE_SIZE), 0x43);
	put_byte(va + 3 * PAGE_SIZE, 0x44);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(get_byte(va + 3 * PAGE_SIZE), 0x44);
	KT_EQ(mmsim_switch_to(c), 0);
	KT_EQ(get_byte(va + 3 * PAGE_SIZE), 0x44);

	all[0] = p;
	all[1] = c;
	all[2] = g;
	KT_ASSERT(all_valid(all, 3));
	for (int i = 0; i < 4; i++) {
		pg[i] = page_at(p->mm, va + (unsigned long)i * PAGE_SIZE);
		KT_ASSERT(pg[i]);
		if (!pg[i])
			return;
		KT_EQ(page_at(c->mm, va + (unsigned long)i * PAGE_SIZE), pg[i]);
		KT_EQ(page_at(g->mm, va + (unsigned long)i * PAGE_SIZE), pg[i]);
		KT_ASSERT(!page_is_anon(pg[i]));
		KT_EQ(pg[i]->index, i);
		KT_ASSERT(pg[i]->mapping == vma_lookup(p->mm, va)->vm_file->f_mapping);
	}
	if (check) {
		unsigned long flags;

		/* the object holds 4 pages, 4 are mapped; each process maps all 4 */
		KT_EQ(meminfo_kb("Shmem:") - shmem0, KB(4));
		KT_EQ(meminfo_kb("Mapped:") - mapped0, KB(4));
		for (int i = 0; i < 3; i++) {
			KT_EQ(get_mm_counter(all[i]->mm, MM_SHMEMPAGES), 4);
			KT_EQ(status_kb(all[i], "RssShmem:"), KB(4));
			/* smaps: shared by three (Pss a third), not anonymous */
			KT_EQ(smaps_kb(all[i], va, "Rss:"), KB(4));
			KT_EQ(smaps_kb(all[i], va, "Shared_Clean:") +
			      smaps_kb(all[i], va, "Shared_Dirty:"), KB(4));
			KT_EQ(smaps_kb(all[i], va, "Private_Dirty:"), 0);
			KT_EQ(smaps_kb(all[i], va, "Anonymous:"), 0);
			KT_ASSERT(smaps_kb(all[i], va, "Pss:") < KB(4));
			{
				char path[64];

				snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", all[i]->pid);
				KT_EQ(proc_field(path, "Pss_Shmem:"), smaps_kb(all[i], va, "Pss:"));
			}
		}
		for (int i = 0; i < 4; i++) {
			KT_EQ(page_mapcount(pg[i]), 3);
			KT_EQ(page_ref_count(pg[i]), 4);	/* the cache + 3 PTEs */
			KT_EQ(rmap_mappings(pg[i]), 3);
		}
		/* folio_referenced: the Accessed bits of the three mappings */
		KT_EQ(folio_referenced(page_folio(pg[1]), 0, NULL, &flags), 3);
		KT_ASSERT(flags & VM_SHARED);
		KT_EQ(folio_referenced(page_folio(pg[1]), 0, NULL, &flags), 0);
	}

	/* munmap in the child: the parent and the grandchild keep the data */
	cm = vm_memory_committed();
	KT_EQ(sys_munmap(va, NPAGES * PAGE_SIZE), 0);
	KT_ASSERT(mm_is_valid(c->mm));
	KT_EQ(get_mm_counter(c->mm, MM_SHMEMPAGES), 0);
	KT_EQ(vm_memory_committed(), cm);	/* the object is still mapped */
	if (check) {
		KT_EQ(rmap_mappings(pg[2]), 2);
		KT_EQ(status_kb(c, "RssShmem:"), 0);
	}
	KT_EQ(mmsim_switch_to(g), 0);
	put_byte(va + 4 * PAGE_SIZE, 0x45);	/* a fifth page, after the munmap */
	reap(c, g);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(get_byte(va + 4 * PAGE_SIZE), 0x45);
	reap(p, c);
	KT_EQ(get_byte(va), 0x10);
	KT_EQ(get_byte(va + PAGE_SIZE), 0x42);
	KT_EQ(get_byte(va + 2 * PAGE_SIZE), 0x43);
	KT_EQ(get_byte(va + 3 * PAGE_SIZE), 0x44);
	KT_ASSERT(all_valid(&p, 1));
	if (check) {
		KT_EQ(meminfo_kb("Shmem:") - shmem0, KB(5));
		KT_EQ(rmap_mappings(pg[0]), 1);
		KT_EQ(page_mapcount(pg[0]), 1);
	}
	sys_exit_group(0);
	KT_ASSERT(!current);
	KT_EQ(vm_memory_committed(), committed0);	/* the object's charge went with it */
	if (check) {
		KT_EQ(meminfo_kb("Shmem:"), shmem0);
		KT_EQ(meminfo_kb("Mapped:"), mapped0);
	}
}

static void test_fork_sharing(void)
{
	unsigned long before, after;

	shmem_run(false);		/* warm up: slab caches, page-table pages */
	before = settled_free_pages();
	shmem_run(true);
	after = settled_free_pages();
	KT_EQ(after, before);
	KT_ASSERT(mm_mapcounts_are_valid(m));
}

/* mremap growth: the object keeps its size; beyond it, SIGBUS. */
static void test_mremap_sigbus(void)
{
	struct task_struct *t = mmsim_spawn(m, "grow");
	unsigned long va, nva;
	struct file *file;

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, 2 * PAGE_SIZE, RW, SHANON, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	put_byte(va + PAGE_SIZE, 7);
	file = vma_lookup(t->mm, va)->vm_file;
	nva = sys_mremap(va, 2 * PAGE_SIZE, 4 * PAGE_SIZE, MREMAP_MAYMOVE, 0);
	KT_ASSERT(!IS_ERR_VALUE(nva));
	KT_EQ(vma_lookup(t->mm, nva)->vm_file, file);	/* the same object */
	KT_EQ(file_inode(file)->i_size, 2 * PAGE_SIZE);
	KT_EQ(get_byte(nva + PAGE_SIZE), 7);
	KT_ASSERT(mm_is_valid(t->mm));
	get_task_struct(t);
	KT_EQ(get_byte(nva + 2 * PAGE_SIZE), -1);
	KT_ASSERT(!current);
	KT_EQ(WTERMSIG(t->exit_code), SIGBUS);
	KT_EQ(task_ext(t)->fault_code, BUS_ADRERR);
	KT_EQ(task_ext(t)->fault_addr, nva + 2 * PAGE_SIZE);
	put_task_struct(t);
}

/* Committed_AS: once per object, none for MAP_NORESERVE, none for a split. */
static void test_committed(void)
{
	struct task_struct *t = mmsim_spawn(m, "commit");
	unsigned long c0, a, b;

	KT_EQ(mmsim_switch_to(t), 0);
	c0 = vm_memory_committed();
	a = sys_mmap(0, 4 * PAGE_SIZE, RW, SHANON, -1UL, 0);
	KT_EQ(vm_memory_committed(), c0 + 4);
	KT_EQ(shmem_charged_pages(vma_lookup(t->mm, a)->vm_file), 4);
	b = sys_mmap(0, 4 * PAGE_SIZE, RW, SHANON | MAP_NORESERVE, -1UL, 0);
	KT_EQ(vm_memory_committed(), c0 + 4);
	KT_EQ(sys_mprotect(a + PAGE_SIZE, PAGE_SIZE, PROT_READ), 0);	/* a split */
	KT_EQ(vm_memory_committed(), c0 + 4);
	KT_EQ(sys_munmap(a, 2 * PAGE_SIZE), 0);		/* part of it: still charged */
	KT_EQ(vm_memory_committed(), c0 + 4);
	KT_EQ(sys_munmap(a, 4 * PAGE_SIZE), 0);
	KT_EQ(vm_memory_committed(), c0);
	KT_EQ(sys_munmap(b, 4 * PAGE_SIZE), 0);
	KT_EQ(vm_memory_committed(), c0);
	sys_exit_group(0);
}

/* MADV_DONTNEED, mincore, mlock, a FOLL_WRITE pin. */
static void test_dontneed_mincore_mlock_pin(void)
{
	struct task_struct *t = mmsim_spawn(m, "misc"), *c;
	long long mlocked0 = meminfo_kb("Mlocked:");
	unsigned char vec[4];
	struct page *page, *pinned;
	unsigned long va;

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, 4 * PAGE_SIZE, RW, SHANON, -1UL, 0);
	put_byte(va, 0x5a);
	page = page_at(t->mm, va);
	KT_EQ(sys_madvise(va, 4 * PAGE_SIZE, MADV_DONTNEED), 0);
	KT_ASSERT(!page_at(t->mm, va));
	KT_EQ(get_mm_counter(t->mm, MM_SHMEMPAGES), 0);
	KT_EQ(sys_mincore(va, 4 * PAGE_SIZE, vec), 0);
	KT_EQ(vec[0], 1);		/* in the object */
	KT_EQ(vec[1], 0);
	KT_EQ(get_byte(va), 0x5a);	/* the data stayed */
	KT_EQ(page_at(t->mm, va), page);
	KT_ASSERT(mm_is_valid(t->mm));

	/* mlock faults the range in and marks the pages */
	KT_EQ(sys_mlock(va, 4 * PAGE_SIZE), 0);
	KT_EQ(get_mm_counter(t->mm, MM_SHMEMPAGES), 4);
	KT_EQ(meminfo_kb("Mlocked:") - mlocked0, KB(4));
	KT_EQ(sys_munlock(va, 4 * PAGE_SIZE), 0);
	KT_EQ(meminfo_kb("Mlocked:"), mlocked0);

	/* a FOLL_WRITE pin of a shared page is the object's page: no COW */
	c = do_fork();
	KT_EQ(pin_user_pages_remote(t->mm, va + PAGE_SIZE, 1, FOLL_WRITE | FOLL_LONGTERM,
				    &pinned, NULL), 1);
	KT_EQ(pinned, page_at(t->mm, va + PAGE_SIZE));
	KT_EQ(mmsim_switch_to(c), 0);
	put_byte(va + PAGE_SIZE, 0x77);
	KT_EQ(page_at(c->mm, va + PAGE_SIZE), pinned);
	unpin_user_page(pinned);
	{
		struct task_struct *all[2] = { t, c };

		KT_ASSERT(all_valid(all, 2));
	}
	reap(t, c);
	KT_EQ(get_byte(va + PAGE_SIZE), 0x77);
	sys_exit_group(0);
}

/* A pinned page outlives its object: out of the cache, freed at the unpin. */
static void test_pin_outlives_object(void)
{
	struct task_struct *t = mmsim_spawn(m, "pin");
	long long shmem0 = meminfo_kb("Shmem:");
	struct page *pinned;
	unsigned long va;

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, 2 * PAGE_SIZE, RW, SHANON, -1UL, 0);
	put_byte(va, 9);
	KT_EQ(pin_user_pages_remote(t->mm, va, 1, FOLL_WRITE | FOLL_LONGTERM, &pinned, NULL), 1);
	KT_EQ(sys_munmap(va, 2 * PAGE_SIZE), 0);	/* the last VMA: the object goes */
	KT_EQ(meminfo_kb("Shmem:"), shmem0);
	KT_ASSERT(!pinned->mapping);
	KT_ASSERT(page_ref_count(pinned) > 0);
	KT_EQ(page_mapcount(pinned), 0);
	unpin_user_page(pinned);
	KT_EQ(page_ref_count(pinned), 0);		/* back to the allocator */
	sys_exit_group(0);
}

/* The checkers see a wrong MM_SHMEMPAGES and a wrong shmem mapcount. */
static void test_checkers(void)
{
	struct task_struct *t = mmsim_spawn(m, "check");
	struct page *page;
	unsigned long va;

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, 2 * PAGE_SIZE, RW, SHANON, -1UL, 0);
	put_byte(va, 1);
	page = page_at(t->mm, va);
	KT_ASSERT(mm_is_valid(t->mm) && mm_mapcounts_are_valid(m));
	add_mm_counter(t->mm, MM_SHMEMPAGES, 1);
	KT_ASSERT(!mm_is_valid(t->mm));
	add_mm_counter(t->mm, MM_SHMEMPAGES, -1);
	atomic_fetch_add(&page->_mapcount, 1);
	KT_ASSERT(!mm_mapcounts_are_valid(m));
	atomic_fetch_sub(&page->_mapcount, 1);
	/* a page the object holds but nobody maps must have no mapcount */
	KT_EQ(sys_madvise(va, PAGE_SIZE, MADV_DONTNEED), 0);
	KT_ASSERT(mm_mapcounts_are_valid(m));
	atomic_fetch_add(&page->_mapcount, 1);
	KT_ASSERT(!mm_mapcounts_are_valid(m));
	atomic_fetch_sub(&page->_mapcount, 1);
	KT_ASSERT(mm_is_valid(t->mm) && mm_mapcounts_are_valid(m));
	sys_exit_group(0);
}

static void run(const char *spec)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_fork_sharing);
	KT_RUN(test_mremap_sigbus);
	KT_RUN(test_committed);
	KT_RUN(test_dontneed_mincore_mlock_pin);
	KT_RUN(test_pin_outlives_object);
	KT_RUN(test_checkers);
	KT_ASSERT(mm_mapcounts_are_valid(m));
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=64M");
	run("arch=i386 ram=64M");
	run("arch=arm64 page_size=64K ram=256M");
	return kt_done();
}
