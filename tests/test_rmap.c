// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_rmap.c - the reverse map: rmap_walk finds every PTE mapping
 * an anonymous page (one process, after fork across generations, after a
 * VMA split moved part of the range), folio_referenced reads and clears
 * the Accessed bits the MMU set, and the anon_vma chains are built and
 * torn down as Linux's (the child's own anon_vma has the parent's as
 * parent and the root's root; pages the child faults are found from it).
 */
#include "fault_fixture.h"
#include <mmsim/mman.h>
#include <mmsim/syscalls.h>
#include <mmsim/sched.h>
#include <mmsim/err.h>

#define VA	0x30000000UL

struct found {
	int n;
	struct mm_struct *mm[8];
	unsigned long addr[8];
};

static bool record(struct folio *folio, struct vm_area_struct *vma, unsigned long address,
		   void *arg)
{
	struct found *f = arg;
	pte_t *pte = page_vma_mapped_pte(vma->vm_mm, address, page_to_pfn(&folio->page));

	if (pte && f->n < 8) {
		f->mm[f->n] = vma->vm_mm;
		f->addr[f->n++] = address;
	}
	return true;
}

static int walk(struct page *page, struct found *f)
{
	struct rmap_walk_control rwc = { .arg = f, .rmap_one = record };

	memset(f, 0, sizeof(*f));
	rmap_walk(page_folio(page), &rwc);
	return f->n;
}

static bool found_in(struct found *f, struct mm_struct *mm, unsigned long addr)
{
	for (int i = 0; i < f->n; i++)
		if (f->mm[i] == mm && f->addr[i] == addr)
			return true;
	return false;
}

static void test_walk_after_fork(void)
{
	struct mm_struct *a = fx_mm(), *b, *c;
	struct page *page, *cpage;
	struct found f;

	fx_vma(a, VA, 8 * PAGE_SIZE, VM_READ | VM_WRITE);
	KT_EQ(fx_fault(a, VA + 3 * PAGE_SIZE, true), 0);
	page = fx_page(a, VA + 3 * PAGE_SIZE);
	KT_EQ(walk(page, &f), 1);
	KT_ASSERT(found_in(&f, a, VA + 3 * PAGE_SIZE));
	KT_EQ(page_address_in_vma(page_folio(page), page, vma_lookup(a, VA)), VA + 3 * PAGE_SIZE);

	b = fx_fork(a);
	c = fx_fork(b);		/* a grandchild */
	KT_EQ(walk(page, &f), 3);
	KT_ASSERT(found_in(&f, a, VA + 3 * PAGE_SIZE));
	KT_ASSERT(found_in(&f, b, VA + 3 * PAGE_SIZE));
	KT_ASSERT(found_in(&f, c, VA + 3 * PAGE_SIZE));

	/* anon_vma structure: b's own anon_vma has a's as parent, a's root */
	{
		struct anon_vma *av = vma_lookup(a, VA)->anon_vma;
		struct anon_vma *bv = vma_lookup(b, VA)->anon_vma;
		struct anon_vma *cv = vma_lookup(c, VA)->anon_vma;

		KT_ASSERT(bv != av && cv != bv);
		KT_ASSERT(bv->parent == av && cv->parent == bv);
		KT_ASSERT(bv->root == av && cv->root == av);
	}

	/* b's COW copy is found from b's anon_vma only: in b and in c? no --
	 * c forked before it existed, so only b maps it */
	KT_EQ(fx_fault(b, VA + 3 * PAGE_SIZE, true), 0);
	cpage = fx_page(b, VA + 3 * PAGE_SIZE);
	KT_ASSERT(cpage != page);
	KT_EQ(walk(cpage, &f), 1);
	KT_ASSERT(found_in(&f, b, VA + 3 * PAGE_SIZE));
	KT_EQ(walk(page, &f), 2);
	KT_ASSERT(!found_in(&f, b, VA + 3 * PAGE_SIZE));
	{
		struct mm_struct *mms[3] = { a, b, c };

		KT_ASSERT(fx_valid(mms, 3));
	}
	fx_destroy(c);
	KT_EQ(walk(page, &f), 1);
	fx_destroy(b);
	fx_destroy(a);
}

/* Split a VMA by hand as split_vma does (new VMA above, same anon_vma). */
static void test_walk_after_split(void)
{
	struct mm_struct *a = fx_mm(), *b;
	struct vm_area_struct *vma, *hi;
	struct page *lo_page, *hi_page;
	struct found f;

	vma = fx_vma(a, VA, 8 * PAGE_SIZE, VM_READ | VM_WRITE);
	KT_EQ(fx_fault(a, VA + PAGE_SIZE, true), 0);
	KT_EQ(fx_fault(a, VA + 6 * PAGE_SIZE, true), 0);
	b = fx_fork(a);
	lo_page = fx_page(a, VA + PAGE_SIZE);
	hi_page = fx_page(a, VA + 6 * PAGE_SIZE);

	mmap_write_lock(a);
	hi = malloc(sizeof(*hi));
	*hi = *vma;
	INIT_LIST_HEAD(&hi->anon_vma_chain);
	KT_EQ(anon_vma_clone(hi, vma), 0);
	anon_vma_interval_tree_pre_update_vma(vma);
	vma->vm_end = VA + 4 * PAGE_SIZE;
	anon_vma_interval_tree_post_update_vma(vma);
	anon_vma_interval_tree_pre_update_vma(hi);
	hi->vm_start = VA + 4 * PAGE_SIZE;
	hi->vm_pgoff = hi->vm_start >> PAGE_SHIFT;
	anon_vma_interval_tree_post_update_vma(hi);
	KT_EQ(mtree_store_range(&a->mm_mt, hi->vm_start, hi->vm_end - 1, hi, GFP_KERNEL), 0);
	a->map_count++;
	mmap_write_unlock(a);

	KT_EQ(walk(hi_page, &f), 2);
	KT_ASSERT(found_in(&f, a, VA + 6 * PAGE_SIZE));
	KT_ASSERT(found_in(&f, b, VA + 6 * PAGE_SIZE));
	KT_EQ(walk(lo_page, &f), 2);
	KT_ASSERT(found_in(&f, a, VA + PAGE_SIZE));
	{
		struct mm_struct *mms[2] = { a, b };

		KT_ASSERT(fx_valid(mms, 2));
	}
	fx_destroy(b);
	fx_destroy(a);
}

static void test_folio_referenced(void)
{
	struct mm_struct *a = fx_mm(), *b;
	unsigned long vm_flags;
	struct page *page;

	fx_vma(a, VA, PAGE_SIZE, VM_READ | VM_WRITE);
	KT_EQ(fx_fault(a, VA, true), 0);
	page = fx_page(a, VA);
	b = fx_fork(a);		/* the child's PTE starts old */
	KT_ASSERT(!pte_young(fx_pte(b, VA)));
	KT_EQ(folio_referenced(page_folio(page), 0, NULL, &vm_flags), 1);
	KT_EQ(folio_referenced(page_folio(page), 0, NULL, &vm_flags), 0);
	/* both touch it through the MMU: two references */
	switch_mm(NULL, a, NULL);
	KT_ASSERT(mmu_access(VA, MMU_READ | MMU_USER, NULL));
	switch_mm(NULL, b, NULL);
	KT_ASSERT(mmu_access(VA, MMU_READ | MMU_USER, NULL));
	KT_EQ(folio_referenced(page_folio(page), 0, NULL, &vm_flags), 2);
	KT_ASSERT(!pte_young(fx_pte(a, VA)) && !pte_young(fx_pte(b, VA)));
	/* VM_LOCKED stops the walk and says so */
	vma_lookup(a, VA)->vm_flags |= VM_LOCKED;
	KT_EQ(folio_referenced(page_folio(page), 0, NULL, &vm_flags), 0);
	KT_ASSERT(vm_flags & VM_LOCKED);
	vma_lookup(a, VA)->vm_flags &= ~VM_LOCKED;
	fx_destroy(b);
	fx_destroy(a);
}

static void test_anon_vma_reuse_and_free(void)
{
	struct mm_struct *a = fx_mm();
	unsigned long before;

	kmem_cache_shrink(memory_state()->anon_vma_cachep);
	before = nr_free_pages();
	for (int round = 0; round < 3; round++) {
		struct mm_struct *b;

		fx_vma(a, VA + round * 16 * PAGE_SIZE, PAGE_SIZE, VM_READ | VM_WRITE);
		KT_EQ(fx_fault(a, VA + round * 16 * PAGE_SIZE, true), 0);
		b = fx_fork(a);
		fx_destroy(b);
	}
	fx_destroy(a);
	kmem_cache_shrink(memory_state()->anon_vma_cachep);
	kmem_cache_shrink(memory_state()->anon_vma_chain_cachep);
	drain_all_pages(NULL);
	KT_ASSERT(nr_free_pages() >= before);
}

/* Through the system calls: mprotect splits, mremap moves, fork copies;
 * every page is still found wherever it is mapped. */
static void test_walk_syscalls(void)
{
	struct mmsim *m = mmsim_current();
	struct task_struct *p = mmsim_spawn(m, "rmap");
	struct page *pages[8];
	unsigned long a, b;
	struct found f;
	long pid;
	struct task_struct *c;

	KT_ASSERT(p);
	KT_EQ(mmsim_switch_to(p), 0);
	a = sys_mmap(0, 8 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(a));
	for (int i = 0; i < 8; i++) {
		KT_EQ(mmsim_user_write(a + i * PAGE_SIZE, "r", 1), 0);
		pages[i] = fx_page(p->mm, a + i * PAGE_SIZE);
	}
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	KT_EQ(sys_mprotect(a + 2 * PAGE_SIZE, 2 * PAGE_SIZE, PROT_READ), 0);	/* 3 VMAs */
	b = sys_mremap(a + 6 * PAGE_SIZE, 2 * PAGE_SIZE, 2 * PAGE_SIZE,
		       MREMAP_MAYMOVE | MREMAP_FIXED, a + 64 * PAGE_SIZE);
	KT_EQ(b, a + 64 * PAGE_SIZE);
	for (int i = 0; i < 8; i++) {
		unsigned long pa = i < 6 ? a + i * PAGE_SIZE : b + (i - 6) * PAGE_SIZE;

		KT_EQ(walk(pages[i], &f), 2);
		KT_ASSERT(found_in(&f, p->mm, pa));
		KT_ASSERT(found_in(&f, c->mm, a + i * PAGE_SIZE));
	}
	KT_ASSERT(mm_is_valid(p->mm) && mm_is_valid(c->mm));
	KT_ASSERT(mm_mapcounts_are_valid(m));
	KT_EQ(mmsim_switch_to(c), 0);
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(sys_wait4((pid_t)pid, NULL, 0, NULL), pid);
	for (int i = 0; i < 8; i++)
		KT_EQ(walk(pages[i], &f), 1);
	sys_exit_group(0);
}

static void run(const char *spec)
{
	struct mmsim *m = boot_or_die(spec);

	printf("# %s\n", spec);
	KT_RUN(test_walk_after_fork);
	KT_RUN(test_walk_after_split);
	KT_RUN(test_folio_referenced);
	KT_RUN(test_anon_vma_reuse_and_free);
	KT_RUN(test_walk_syscalls);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("arch=x86_64 ram=128M cpus=2");
	run("arch=arm64 page_size=64K ram=256M cpus=2");
	return kt_done();
}
