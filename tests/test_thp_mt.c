// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_thp_mt.c - transparent huge pages shared by two processes
 * running at once on two CPUs (host threads): after fork, parent and
 * child map the same THPs; each, on its own CPU, writes (COW: the PMD
 * splits and one page is copied), reads back what it wrote, splits a THP
 * with split_huge_page (which walks the other process's page tables under
 * its PTE lock, or fails with -EBUSY while the other holds it), and hands
 * ranges to reclaim (MADV_PAGEOUT).  Each process keeps a shadow of its
 * own bytes; at the end every byte of both is checked and the invariant
 * checkers run.  The huge zero page's first use races on both CPUs.
 *
 * Labelled `threaded` (the _mt suffix): `make test` runs it under TSan.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/pagemap.h>
#include <mmsim/huge_mm.h>
#include "mmtest.h"
#include "mm/vma_internal.h"

#define NHUGE	4
#ifdef __SANITIZE_THREAD__
#define STEPS	150
#else
#define STEPS	400
#endif

static struct mmsim *machine;
static unsigned long va, zva;
static atomic_int failures;

struct side {
	struct task_struct *task;
	int cpu;
	unsigned long rng;
	unsigned char *shadow;		/* per page: the byte at its offset (page % 64) */
};

static unsigned long rnd(struct side *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

static void step(struct side *s, unsigned long npages)
{
	unsigned long p = rnd(s) % npages, op = rnd(s) % 6;
	unsigned char c = (unsigned char)(1 + rnd(s) % 255), got = 0;

	switch (op) {
	case 0: case 1:		/* write (COW of a shared THP) */
		if (mmsim_user_write(va + p * PAGE_SIZE + p % 64, &c, 1))
			atomic_fetch_add(&failures, 1);
		s->shadow[p] = c;
		break;
	case 2:			/* read back */
		if (mmsim_user_read(va + p * PAGE_SIZE + p % 64, &got, 1) || got != s->shadow[p])
			atomic_fetch_add(&failures, 1);
		break;
	case 3: {		/* split the THP under p, if it is still PMD-mapped here */
		pmd_t *pmd;
		struct page *head = NULL;

		mmap_read_lock(current->mm);
		spin_lock(&current->mm->page_table_lock);
		pmd = mm_find_pmd(current->mm, va + p * PAGE_SIZE);
		if (pmd && pmd_trans_huge(pmdp_get(pmd)) && !is_huge_zero_pmd(pmdp_get(pmd))) {
			head = pfn_to_page(pmd_leaf_pfn(pmdp_get(pmd)));
			get_page(head);
		}
		spin_unlock(&current->mm->page_table_lock);
		mmap_read_unlock(current->mm);
		if (head) {
			int ret;

			folio_lock(page_folio(head));
			ret = split_huge_page(head);
			if (ret && ret != -EBUSY)
				atomic_fetch_add(&failures, 1);
			folio_unlock(page_folio(head));
			put_page(head);
		}
		break;
	}
	case 4:			/* reclaim a range */
		if (sys_madvise(va + (p & ~(HPAGE_PMD_NR - 1)) * PAGE_SIZE, HPAGE_PMD_SIZE,
				MADV_PAGEOUT))
			atomic_fetch_add(&failures, 1);
		break;
	case 5:			/* the huge zero page */
		if (mmsim_user_read(zva + (p % HPAGE_PMD_NR) * PAGE_SIZE, &got, 1) || got)
			atomic_fetch_add(&failures, 1);
		break;
	}
}

static void *worker(void *arg)
{
	struct side *s = arg;
	unsigned long npages;

	if (mmsim_enter(machine, s->cpu) || mmsim_switch_to(s->task)) {
		atomic_fetch_add(&failures, 1);
		return NULL;
	}
	npages = NHUGE * HPAGE_PMD_NR;	/* the machine's page size: after entering it */
	for (int i = 0; i < STEPS; i++)
		step(s, npages);
	mmsim_switch_idle();
	mmsim_leave();
	return NULL;
}

static unsigned long map_aligned(unsigned long n)
{
	unsigned long len = n * HPAGE_PMD_SIZE;
	unsigned long v = sys_mmap(0, len + HPAGE_PMD_SIZE, PROT_READ | PROT_WRITE,
				   MAP_PRIVATE | MAP_ANONYMOUS, (unsigned long)-1, 0);

	KT_ASSERT(!IS_ERR_VALUE(v));
	return ALIGN(v, HPAGE_PMD_SIZE);
}

static void test_shared_thp_two_cpus(void)
{
	struct side sides[2] = { { .cpu = 0, .rng = 0x1234567 }, { .cpu = 1, .rng = 0x7654321 } };
	unsigned long npages;
	pthread_t th[2];
	long pid;

	machine = boot_or_die("cpus=2 ram=256M swap=64M transparent_hugepage=always");
	sides[0].task = mmsim_spawn(machine, "parent");
	KT_ASSERT(sides[0].task);
	KT_EQ(mmsim_switch_to(sides[0].task), 0);
	npages = NHUGE * HPAGE_PMD_NR;
	va = map_aligned(NHUGE);
	zva = map_aligned(1);
	for (int i = 0; i < 2; i++)
		sides[i].shadow = calloc(npages, 1);
	for (unsigned long p = 0; p < npages; p++) {
		unsigned char c = (unsigned char)(p * 3 + 1);

		KT_EQ(mmsim_user_write(va + p * PAGE_SIZE + p % 64, &c, 1), 0);
		sides[0].shadow[p] = sides[1].shadow[p] = c;
	}
	pid = sys_fork();
	KT_ASSERT(pid > 0);
	sides[1].task = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(sides[1].task);
	mmsim_switch_idle();
	mmsim_leave();
	for (int i = 0; i < 2; i++)
		pthread_create(&th[i], NULL, worker, &sides[i]);
	for (int i = 0; i < 2; i++)
		pthread_join(th[i], NULL);
	KT_EQ(mmsim_enter(machine, 0), 0);
	KT_EQ(atomic_load(&failures), 0);
	{
		char *v = mmsim_read(machine, "/proc/vmstat");

		fprintf(stderr, "  thp_split_page %lld, failed %lld, thp_swpout_fallback %lld, "
			"pswpout %lld\n", field(v, "thp_split_page "), field(v, "thp_split_page_failed "),
			field(v, "thp_swpout_fallback "), field(v, "pswpout "));
		KT_ASSERT(field(v, "thp_split_page ") > 0);
		free(v);
	}
	KT_ASSERT(mm_mapcounts_are_valid(machine));
	for (int i = 1; i >= 0; i--) {
		KT_EQ(mmsim_switch_to(sides[i].task), 0);
		KT_ASSERT(mm_is_valid(current->mm));
		for (unsigned long p = 0; p < npages; p++) {
			unsigned char got = 0;

			KT_EQ(mmsim_user_read(va + p * PAGE_SIZE + p % 64, &got, 1), 0);
			if (got != sides[i].shadow[p]) {
				fprintf(stderr, "side %d page %lu: %#x, want %#x\n", i, p, got,
					sides[i].shadow[p]);
				KT_ASSERT(0);
				break;
			}
		}
		sys_exit_group(0);
	}
	for (int i = 0; i < 2; i++)
		free(sides[i].shadow);
	mmsim_shutdown(machine);
}

int main(void)
{
	KT_RUN(test_shared_thp_two_cpus);
	return kt_done();
}
