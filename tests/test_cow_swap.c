// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_cow_swap.c - the swap cases of Linux's
 * tools/testing/selftests/mm/cow.c (its "... swapped out" runs of the
 * anonymous test cases): the page is populated, swapped out -- by
 * MADV_PAGEOUT as cow.c does (skipped when it did not swap, as cow.c), and
 * by hand as reclaim does (tests/swap_fixture.h), freed or left in the swap
 * cache -- then:
 *   - Basic COW after fork(): the child writes, the parent keeps its bytes;
 *   - Basic COW after fork() with mprotect() optimization: the child
 *     mprotects RO then RW and writes, the parent keeps its bytes;
 *   - R/O GUP pin on R/O-mapped shared page: after fork the parent takes a
 *     R/O long-term pin and writes: the pin sees the write, the child not;
 *   - R/O GUP pin on R/O-mapped previously-shared page: the child exited
 *     first; same;
 *   - R/O GUP pin on R/O-mapped exclusive page: mprotect RO, pin, RW,
 *     write: the pin sees it (no copy behind its back).
 * Each step ends with mm_is_valid, the mapcount census and
 * swap_counts_are_valid; the slots are all free at the end.
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include "mmtest.h"
#include "swap_fixture.h"

static struct mmsim *m;

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

static char page_byte(struct page *page)
{
	char c;

	memcpy_from_page(&c, page, 0, 1);
	return c;
}

static bool valid(void)
{
	return mm_is_valid(current->mm) && mm_mapcounts_are_valid(m) && swap_counts_are_valid(m);
}

/* Run the child @pid: check it reads @expect, write @c unless 0, mprotect first if @mp. */
static void run_child(long pid, unsigned long va, char c, char expect, bool mp)
{
	struct task_struct *parent = current;

	KT_EQ(mmsim_switch_to(find_task_by_vpid((pid_t)pid)), 0);
	if (mp) {
		KT_EQ(sys_mprotect(va, PAGE_SIZE, PROT_READ), 0);
		KT_EQ(sys_mprotect(va, PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
	}
	KT_EQ(sread(va), expect);
	if (c)
		swrite(va, c);
	KT_ASSERT(valid());
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(parent), 0);
	KT_EQ(sys_wait4((pid_t)pid, NULL, 0, NULL), pid);
}

static struct page *ro_pin(unsigned long va)
{
	struct page *page = NULL;

	KT_EQ(pin_user_pages(va, 1, FOLL_LONGTERM, &page), 1);
	return page;
}

static const char *const case_name[] = {
	"Basic COW after fork()",
	"Basic COW after fork() with mprotect() optimization",
	"R/O GUP pin on R/O-mapped shared page",
	"R/O GUP pin on R/O-mapped previously-shared page",
	"R/O GUP pin on R/O-mapped exclusive page",
};

enum swap_how { SWAP_FIXTURE, SWAP_FIXTURE_CACHED, SWAP_PAGEOUT, NR_SWAP_HOW };
static const char *const how_name[] = {
	"swapped out", "swapped out, still in the swap cache", "MADV_PAGEOUT",
};
static int skipped_pageout;

static void cow_case(int c, enum swap_how how)
{
	struct task_struct *t = mmsim_spawn(m, "cow");
	long long free0 = get_nr_swap_pages();
	struct page *pin = NULL;
	unsigned long va;
	long pid;

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	swrite(va, 'a');
	if (how == SWAP_PAGEOUT) {
		/* cow.c: "MADV_PAGEOUT did not work, is swap enabled?" -> skip */
		KT_EQ(sys_madvise(va, PAGE_SIZE, MADV_PAGEOUT), 0);
		/* its write completes (in virtual time) before the test goes on */
		mmsim_advance_clock(m, 100 * 1000 * 1000ULL);
		if (!is_swap_pte(pte_at(t->mm, va))) {
			skipped_pageout++;
			sys_exit_group(0);
			return;
		}
	} else {
		KT_ASSERT(swap_out_page(t->mm, va, how == SWAP_FIXTURE_CACHED).val);
	}
	KT_ASSERT(is_swap_pte(pte_at(t->mm, va)));
	KT_ASSERT(valid());
	switch (c) {
	case 0:
	case 1:
		pid = sys_fork();
		KT_ASSERT(pid > 0);
		run_child(pid, va, 'c', 'a', c == 1);
		KT_EQ(sread(va), 'a');
		break;
	case 2:
		pid = sys_fork();
		KT_ASSERT(pid > 0);
		KT_EQ(sys_mprotect(va, PAGE_SIZE, PROT_READ), 0);
		pin = ro_pin(va);
		KT_EQ(sys_mprotect(va, PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
		swrite(va, 'p');
		run_child(pid, va, 0, 'a', false);
		break;
	case 3:
		pid = sys_fork();
		KT_ASSERT(pid > 0);
		run_child(pid, va, 0, 'a', false);
		KT_EQ(sys_mprotect(va, PAGE_SIZE, PROT_READ), 0);
		pin = ro_pin(va);
		KT_EQ(sys_mprotect(va, PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
		swrite(va, 'p');
		break;
	default:
		KT_EQ(sys_mprotect(va, PAGE_SIZE, PROT_READ), 0);
		pin = ro_pin(va);
		KT_EQ(sys_mprotect(va, PAGE_SIZE, PROT_READ | PROT_WRITE), 0);
		swrite(va, 'p');
		break;
	}
	if (pin) {
		/* the pin sees what the mapping holds: the same page, the write */
		KT_ASSERT(pin == pfn_to_page(pte_pfn(pte_at(t->mm, va))));
		KT_EQ(page_byte(pin), 'p');
		unpin_user_page(pin);
	}
	KT_ASSERT(valid());
	mmsim_advance_clock(m, 100 * 1000 * 1000ULL);	/* readahead I/O done */
	sys_exit_group(0);
	KT_EQ(get_nr_swap_pages(), free0);
	KT_ASSERT(swap_counts_are_valid(m));
}

static void test_cow_swapped_out(void)
{
	skipped_pageout = 0;
	for (int how = 0; how < NR_SWAP_HOW; how++) {
		for (unsigned int c = 0; c < ARRAY_SIZE(case_name); c++) {
			int failed = kt_failed + kt_cur_failed;

			cow_case((int)c, how);
			if (kt_failed + kt_cur_failed != failed)
				printf("#   in: %s (%s)\n", case_name[c], how_name[how]);
		}
	}
	if (skipped_pageout)
		printf("# MADV_PAGEOUT did not swap out (no reclaim yet): %d cases skipped\n",
		       skipped_pageout);
}

static void run(const char *spec)
{
	m = mmsim_boot(spec);
	if (!m) {
		printf("# %s: no boot (%s): skipped\n", spec, mmsim_last_error());
		return;
	}
	printf("# %s\n", spec);
	if (get_total_swap_pages() <= 0) {
		printf("# no swap area: skipped\n");
		mmsim_shutdown(m);
		return;
	}
	KT_RUN(test_cow_swapped_out);
	KT_ASSERT(log_is_clean(m));
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=64M swap=16M");
	run("arch=i386 ram=1G swap=16M");
	run("arch=arm64 page_size=64K ram=256M swap=64M");
	return kt_done();
}
