// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_cow.c - copy-on-write with fork, GUP and pins: the semantics
 * of the anonymous-memory matrix of Linux's
 * tools/testing/selftests/mm/cow.c.  For each way of holding the page
 * {nothing, a R/O long-term pin, a R/W long-term pin, a GUP FOLL_WRITE
 * reference} and each sequence {fork then the parent writes, fork then
 * the child writes, fork and the child exits then the parent writes,
 * mprotect RO->RW then write, a pin taken after fork}: the parent and the
 * child never see each other's writes, and what a pin sees stays
 * coherent with the parent's mapping (a pinned page is never silently
 * replaced).  Every step ends with mm_is_valid and the mapcount census.
 */
#include "fault_fixture.h"
#include <mmsim/mman.h>
#include <mmsim/syscalls.h>
#include <mmsim/sched.h>
#include <mmsim/err.h>

#define VA	0x20000000UL

/* A user access through the MMU of @mm, faulting as the arch would. */
static char *uptr(struct mm_struct *mm, unsigned long va, bool write)
{
	switch_mm(NULL, mm, NULL);
	for (int i = 0; i < 4; i++) {
		char *p = mmu_access(va, (write ? MMU_WRITE : MMU_READ) | MMU_USER, NULL);

		if (p)
			return p;
		KT_EQ(fx_fault(mm, va, write), 0);
	}
	KT_ASSERT(0);
	return NULL;
}

static void uwrite(struct mm_struct *mm, unsigned long va, char c)
{
	*uptr(mm, va, true) = c;
}

static char uread(struct mm_struct *mm, unsigned long va)
{
	return *uptr(mm, va, false);
}

static char page_byte(struct page *page)
{
	char c;

	memcpy_from_page(&c, page, 0, 1);
	return c;
}

static bool all_valid(struct mm_struct *a, struct mm_struct *b)
{
	struct mm_struct *mms[2] = { a, b };

	return fx_valid(mms, b ? 2 : 1);
}

enum hold { HOLD_NONE, HOLD_RO_PIN, HOLD_RW_PIN, HOLD_GUP_WRITE, NR_HOLDS };
static const char *const hold_name[] = { "none", "R/O pin", "R/W pin", "GUP FOLL_WRITE" };

static struct page *take(struct mm_struct *mm, enum hold h)
{
	struct page *page = NULL;
	long n = 0;

	switch (h) {
	case HOLD_NONE:
		return NULL;
	case HOLD_RO_PIN:
		n = pin_user_pages_remote(mm, VA, 1, FOLL_LONGTERM, &page, NULL);
		break;
	case HOLD_RW_PIN:
		n = pin_user_pages_remote(mm, VA, 1, FOLL_WRITE | FOLL_LONGTERM, &page, NULL);
		break;
	case HOLD_GUP_WRITE:
		n = get_user_pages_remote(mm, VA, 1, FOLL_WRITE, &page, NULL);
		break;
	default:
		break;
	}
	KT_EQ(n, 1);
	/* the page handed out is the one mapped now */
	KT_ASSERT(page == fx_page(mm, VA));
	if (h != HOLD_GUP_WRITE)
		KT_ASSERT(folio_maybe_dma_pinned(page_folio(page)));
	return page;
}

static void drop(struct page *page, enum hold h)
{
	if (!page)
		return;
	if (h == HOLD_GUP_WRITE)
		put_page(page);
	else
		unpin_user_page(page);
}

static struct mm_struct *setup(void)
{
	struct mm_struct *mm = fx_mm();

	fx_vma(mm, VA, 4 * PAGE_SIZE, VM_READ | VM_WRITE);
	uwrite(mm, VA, 'a');
	return mm;
}

/* A pin must see what the parent's mapping holds. */
static void check_coherent(struct mm_struct *parent, struct page *page, enum hold h)
{
	if (h == HOLD_RO_PIN || h == HOLD_RW_PIN) {
		KT_ASSERT(page == fx_page(parent, VA));
		KT_EQ(page_byte(page), uread(parent, VA));
	}
}

static void test_fork_parent_writes(enum hold h)
{
	struct mm_struct *parent = setup(), *child;
	struct page *page = take(parent, h);

	child = fx_fork(parent);
	KT_ASSERT(all_valid(parent, child));
	uwrite(parent, VA, 'p');
	KT_EQ(uread(child, VA), 'a');
	KT_EQ(uread(parent, VA), 'p');
	check_coherent(parent, page, h);
	KT_ASSERT(all_valid(parent, child));
	drop(page, h);
	fx_destroy(child);
	fx_destroy(parent);
}

static void test_fork_child_writes(enum hold h)
{
	struct mm_struct *parent = setup(), *child;
	struct page *page = take(parent, h);

	child = fx_fork(parent);
	uwrite(child, VA, 'c');
	KT_EQ(uread(parent, VA), 'a');
	KT_EQ(uread(child, VA), 'c');
	check_coherent(parent, page, h);
	if (page && h != HOLD_GUP_WRITE)
		KT_EQ(page_byte(page), 'a');
	KT_ASSERT(all_valid(parent, child));
	drop(page, h);
	fx_destroy(child);
	fx_destroy(parent);
}

static void test_fork_child_exits(enum hold h)
{
	struct mm_struct *parent = setup(), *child;
	struct page *page = take(parent, h);

	child = fx_fork(parent);
	KT_EQ(uread(child, VA), 'a');
	fx_destroy(child);
	uwrite(parent, VA, 'p');
	check_coherent(parent, page, h);
	KT_ASSERT(all_valid(parent, NULL));
	drop(page, h);
	fx_destroy(parent);
}

/* mprotect(PROT_READ) then mprotect(PROT_READ|PROT_WRITE), as
 * change_protection does it (write-protect, then only the VMA changes). */
static void test_mprotect_ro_rw(enum hold h)
{
	struct mm_struct *parent = setup();
	struct page *page = take(parent, h);
	struct vm_area_struct *vma = vma_lookup(parent, VA);
	pte_t *ptep = mm_find_pte(parent, VA);

	vma->vm_flags &= ~(VM_WRITE);
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	ptep_set_wrprotect(parent, VA, ptep);
	flush_tlb_mm(parent);
	vma->vm_flags |= VM_WRITE;
	vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
	uwrite(parent, VA, 'p');
	check_coherent(parent, page, h);
	if (h == HOLD_RW_PIN || h == HOLD_RO_PIN || h == HOLD_NONE)
		KT_ASSERT(PageAnonExclusive(fx_page(parent, VA)));
	KT_ASSERT(all_valid(parent, NULL));
	drop(page, h);
	fx_destroy(parent);
}

/* The pin is taken after fork, while the page is shared. */
static void test_pin_after_fork(enum hold h)
{
	struct mm_struct *parent = setup(), *child = fx_fork(parent);
	struct page *page = take(parent, h);

	if (page)
		KT_ASSERT(PageAnonExclusive(page));	/* unshared (or COW broken) first */
	uwrite(parent, VA, 'p');
	check_coherent(parent, page, h);
	KT_EQ(uread(child, VA), 'a');
	uwrite(child, VA, 'c');
	KT_EQ(uread(parent, VA), 'p');
	check_coherent(parent, page, h);
	KT_ASSERT(all_valid(parent, child));
	drop(page, h);
	fx_destroy(child);
	fx_destroy(parent);
}

static void test_matrix(void)
{
	static void (*const seqs[])(enum hold) = {
		test_fork_parent_writes, test_fork_child_writes, test_fork_child_exits,
		test_mprotect_ro_rw, test_pin_after_fork,
	};
	static const char *const seq_name[] = {
		"fork, parent writes", "fork, child writes", "fork, child exits",
		"mprotect RO->RW", "pin after fork",
	};

	for (unsigned int s = 0; s < ARRAY_SIZE(seqs); s++) {
		for (int h = 0; h < NR_HOLDS; h++) {
			int failed = kt_failed;

			seqs[s](h);
			if (kt_failed != failed)
				printf("#   in: %s with %s\n", seq_name[s], hold_name[h]);
		}
	}
}

/* Fork shares an unpinned page: both PTEs read-only, mapcount 2, not
 * exclusive; a pinned one is copied for the child at once. */
static void test_fork_mapcounts(void)
{
	struct mm_struct *parent = setup(), *child;
	struct page *page = fx_page(parent, VA), *pinned;

	child = fx_fork(parent);
	KT_EQ(fx_page(child, VA), page);
	KT_EQ(page_mapcount(page), 2);
	KT_EQ(page_ref_count(page), 2);
	KT_ASSERT(!PageAnonExclusive(page));
	KT_ASSERT(!pte_write(fx_pte(parent, VA)) && !pte_write(fx_pte(child, VA)));
	KT_EQ(get_mm_counter(child, MM_ANONPAGES), 1);
	/* the child's write copies; the parent's next write reuses its page */
	uwrite(child, VA, 'c');
	KT_ASSERT(fx_page(child, VA) != page);
	KT_EQ(page_mapcount(page), 1);
	uwrite(parent, VA, 'p');
	KT_EQ(fx_page(parent, VA), page);
	KT_ASSERT(PageAnonExclusive(page));
	fx_destroy(child);

	KT_EQ(pin_user_pages_remote(parent, VA, 1, FOLL_WRITE | FOLL_LONGTERM, &pinned, NULL), 1);
	KT_ASSERT(parent->flags & (1UL << MMF_HAS_PINNED));
	child = fx_fork(parent);
	KT_ASSERT(fx_page(child, VA) != pinned);
	KT_EQ(page_mapcount(pinned), 1);
	KT_ASSERT(pte_write(fx_pte(parent, VA)));	/* the parent keeps it writable */
	KT_EQ(uread(child, VA), 'p');
	KT_ASSERT(all_valid(parent, child));
	unpin_user_page(pinned);
	fx_destroy(child);
	fx_destroy(parent);
}

/* ---------------------------------------------------------------------
 * The same matrix through the system calls: a spawned process, sys_fork,
 * sys_mprotect, pin_user_pages/get_user_pages on current, user accesses.
 */

static char sread(unsigned long va)
{
	char c = 0;

	KT_EQ(mmsim_user_read(va, &c, 1), 0);
	return c;
}

static void swrite(unsigned long va, char c)
{
	KT_EQ(mmsim_user_write(va, &c, 1), 0);
}

static struct page *stake(unsigned long va, enum hold h)
{
	struct page *page = NULL;
	long n = 0;

	switch (h) {
	case HOLD_NONE:
		return NULL;
	case HOLD_RO_PIN:
		n = pin_user_pages(va, 1, FOLL_LONGTERM, &page);
		break;
	case HOLD_RW_PIN:
		n = pin_user_pages_fast(va, 1, FOLL_WRITE | FOLL_LONGTERM, &page);
		break;
	default:
		n = get_user_pages(va, 1, FOLL_WRITE, &page);
		break;
	}
	KT_EQ(n, 1);
	KT_ASSERT(page == fx_page(current->mm, va));
	return page;
}

/* A child that writes @c (or only reads when c == 0) and exits. */
static void run_child(long pid, unsigned long va, char c, char expect)
{
	struct task_struct *parent = current;

	KT_EQ(mmsim_switch_to(find_task_by_vpid((pid_t)pid)), 0);
	KT_EQ(sread(va), expect);
	if (c)
		swrite(va, c);
	KT_ASSERT(mm_is_valid(current->mm));
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(parent), 0);
	KT_EQ(sys_wait4((pid_t)pid, NULL, 0, NULL), pid);
}

static void sys_matrix_one(int seq, enum hold h)
{
	struct task_struct *t = mmsim_spawn(mmsim_current(), "cow");
	unsigned long va;
	struct page *page;
	long pid;

	KT_ASSERT(t);
	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	swrite(va, 'a');
	page = seq == 4 ? NULL : stake(va, h);
	switch (seq) {
	case 0:		/* fork, parent writes (the child still maps it) */
		pid = sys_fork();
		swrite(va, 'p');
		run_child(pid, va, 0, 'a');
		break;
	case 1:		/* fork, child writes */
		pid = sys_fork();
		run_child(pid, va, 'c', 'a');
		KT_EQ(sread(va), 'a');
		swrite(va, 'p');
		break;
	case 2:		/* mprotect RO -> RW, write */
		KT_EQ(sys_mprotect(va, PAGE_SIZE, PROT_READ), 0);
		KT_EQ(sys_mprotect(va, PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
		swrite(va, 'p');
		break;
	case 3:		/* fork, the child exits, the parent writes */
		pid = sys_fork();
		run_child(pid, va, 0, 'a');
		swrite(va, 'p');
		break;
	default:	/* the hold is taken after fork, while shared */
		pid = sys_fork();
		page = stake(va, h);
		swrite(va, 'p');
		run_child(pid, va, 'c', 'a');
		break;
	}
	KT_EQ(sread(va), 'p');
	if (h == HOLD_RO_PIN || h == HOLD_RW_PIN) {
		KT_ASSERT(page == fx_page(current->mm, va));
		KT_EQ(page_byte(page), 'p');
	}
	KT_ASSERT(mm_is_valid(current->mm));
	KT_ASSERT(mm_mapcounts_are_valid(mmsim_current()));
	if (page) {
		if (h == HOLD_GUP_WRITE)
			put_page(page);
		else
			unpin_user_page(page);
	}
	sys_exit_group(0);
}

static void test_matrix_syscalls(void)
{
	for (int s = 0; s < 5; s++) {
		for (int h = 0; h < NR_HOLDS; h++) {
			int failed = kt_failed;

			sys_matrix_one(s, h);
			if (kt_failed != failed)
				printf("#   in: sequence %d with %s\n", s, hold_name[h]);
		}
	}
}

static void run(const char *spec)
{
	struct mmsim *m = boot_or_die(spec);

	printf("# %s\n", spec);
	KT_RUN(test_fork_mapcounts);
	KT_RUN(test_matrix);
	KT_RUN(test_matrix_syscalls);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("arch=x86_64 ram=128M cpus=2");
	run("arch=i386 ram=2G cpus=2");
	run("arch=arm64 page_size=64K ram=256M cpus=2");
	return kt_done();
}
