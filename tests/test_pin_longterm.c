// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_pin_longterm.c - pin/unpin accounting and FOLL_LONGTERM
 * (mm/gup.c, drivers/infiniband/core/umem.c, docs/pinning.md):
 *   - FOLL_PIN adds GUP_PIN_COUNTING_BIAS and nr_foll_pin_acquired, unpin
 *     takes both back (nr_foll_pin_released); the zero page counts nothing;
 *   - a FOLL_LONGTERM pin of pages in ZONE_MOVABLE migrates them out first
 *     (pgmigrate_success), pins the copies, which are what the process
 *     maps, with the bytes intact;
 *   - a pinned page stays put through reclaim (MADV_PAGEOUT) and
 *     compaction (compact_memory), and fork copies it for the child;
 *   - ib_umem_get accounts mm->pinned_vm (VmPin) against RLIMIT_MEMLOCK
 *     unless CAP_IPC_LOCK; its errors; ib_umem_release un-accounts;
 *   - a randomized run of pin/unpin/fork/compaction/migration with every
 *     invariant checked after each step.
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/ib_umem.h>
#include <mmsim/migrate.h>
#include "mmtest.h"
#include "mm/fault_internal.h"
#include "pin_test.h"

#define SPEC	"ram=256M cpus=1 movablecore=128M swap=32M"
#define NP	64

static long long vmstat(struct mmsim *m, const char *label)
{
	char *s = mmsim_read(m, "/proc/vmstat");
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static long long status_kb(struct mmsim *m, int pid, const char *label)
{
	char path[64], *s;
	long long v;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	s = mmsim_read(m, path);
	v = s ? field(s, label) : -1;
	free(s);
	return v;
}

static void test_pin_accounting(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	struct task_struct *t = mmsim_spawn(m, "pin");
	struct page *pages[NP], *zero[4];
	long long acq, rel;
	unsigned long va;

	KT_EQ(mmsim_switch_to(t), 0);
	va = anon_map(NP);
	KT_ASSERT(fill_pattern(va, NP, 1));
	acq = vmstat(m, "nr_foll_pin_acquired");
	rel = vmstat(m, "nr_foll_pin_released");
	KT_EQ(acq, 0);
	KT_EQ(pin_user_pages(va, NP, FOLL_WRITE, pages), NP);
	KT_EQ(vmstat(m, "nr_foll_pin_acquired"), acq + NP);
	for (int i = 0; i < NP; i++) {
		KT_EQ(page_ref_count(pages[i]), 1 + (int)GUP_PIN_COUNTING_BIAS);
		KT_ASSERT(folio_maybe_dma_pinned(page_folio(pages[i])));
	}
	/* a second pin of the same pages stacks */
	KT_EQ(pin_user_pages_fast(va, 4, 0, zero), 4);
	KT_EQ(page_ref_count(pages[0]), 1 + 2 * (int)GUP_PIN_COUNTING_BIAS);
	unpin_user_pages(zero, 4);
	/* pin_user_pages does not account pinned_vm: its callers do (VmPin) */
	KT_EQ(atomic_long_read(&t->mm->pinned_vm), 0);
	KT_EQ(status_kb(m, t->pid, "VmPin:"), 0);
	unpin_user_pages(pages, NP);
	KT_EQ(vmstat(m, "nr_foll_pin_released"), rel + NP + 4);
	KT_EQ(vmstat(m, "nr_foll_pin_acquired"), acq + NP + 4);
	for (int i = 0; i < NP; i++)
		KT_ASSERT(!folio_maybe_dma_pinned(page_folio(pages[i])));
	KT_EQ(page_ref_count(pages[0]), 1);

	/* the zero page: a read pin of untouched memory takes and counts nothing */
	va = anon_map(4);
	acq = vmstat(m, "nr_foll_pin_acquired");
	KT_EQ(pin_user_pages(va, 4, 0, zero), 4);
	KT_EQ(zero[0], mm_zero_page());
	KT_EQ(vmstat(m, "nr_foll_pin_acquired"), acq);
	unpin_user_pages(zero, 4);
	KT_EQ(vmstat(m, "nr_foll_pin_released"), vmstat(m, "nr_foll_pin_acquired"));
	KT_ASSERT(mm_is_valid(t->mm));
	sys_exit_group(0);
	mmsim_shutdown(m);
}

static void test_longterm_migrates(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	struct task_struct *t = mmsim_spawn(m, "lt");
	struct page *pages[NP], *before[NP];
	long long migrated;
	unsigned long va;

	KT_EQ(mmsim_switch_to(t), 0);
	va = anon_map(NP);
	KT_ASSERT(fill_pattern(va, NP, 7));
	for (int i = 0; i < NP; i++) {
		before[i] = mapped_page(va + (unsigned long)i * PAGE_SIZE);
		KT_ASSERT(before[i]);
		KT_EQ(page_zonenum(before[i]), ZONE_MOVABLE);	/* movable allocations go high */
		KT_ASSERT(!folio_is_longterm_pinnable(page_folio(before[i])));
	}
	/* a short-term pin leaves them where they are */
	KT_EQ(pin_user_pages(va, NP, FOLL_WRITE, pages), NP);
	KT_EQ(pages[0], before[0]);
	unpin_user_pages(pages, NP);

	migrated = vmstat(m, "pgmigrate_success");
	KT_EQ(pin_user_pages(va, NP, FOLL_WRITE | FOLL_LONGTERM, pages), NP);
	KT_EQ(vmstat(m, "pgmigrate_success"), migrated + NP);
	for (int i = 0; i < NP; i++) {
		KT_ASSERT(page_zonenum(pages[i]) != ZONE_MOVABLE);
		KT_ASSERT(folio_is_longterm_pinnable(page_folio(pages[i])));
		KT_ASSERT(pages[i] != before[i]);
		KT_EQ(page_ref_count(pages[i]), 1 + (int)GUP_PIN_COUNTING_BIAS);
		/* the pinned page is the one the process maps */
		KT_EQ(mapped_page(va + (unsigned long)i * PAGE_SIZE), pages[i]);
	}
	KT_ASSERT(holds_pattern(va, NP, 7));
	/* the counters: the first round's pins were released before migrating */
	KT_EQ(vmstat(m, "nr_foll_pin_acquired") - vmstat(m, "nr_foll_pin_released"), NP);
	/* already pinnable: a second long-term pin moves nothing */
	{
		struct page *again[NP];

		KT_EQ(pin_user_pages(va, NP, FOLL_LONGTERM, again), NP);
		KT_EQ(vmstat(m, "pgmigrate_success"), migrated + NP);
		KT_EQ(again[3], pages[3]);
		unpin_user_pages(again, NP);
	}
	unpin_user_pages(pages, NP);
	KT_EQ(vmstat(m, "nr_foll_pin_acquired"), vmstat(m, "nr_foll_pin_released"));
	KT_EQ(node_page_state(NODE_DATA(0), NR_ISOLATED_ANON), 0);
	KT_ASSERT(mm_is_valid(t->mm));
	KT_ASSERT(mm_mapcounts_are_valid(m));
	sys_exit_group(0);
	mmsim_shutdown(m);
}

/* A pinned page is neither reclaimed nor moved by compaction; fork copies it. */
static void test_pinned_stays(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	struct task_struct *p = mmsim_spawn(m, "p"), *c;
	struct page *pages[NP];
	unsigned long va;
	long pid;
	int st;

	KT_EQ(mmsim_switch_to(p), 0);
	va = anon_map(NP);
	KT_ASSERT(fill_pattern(va, NP, 3));
	KT_EQ(pin_user_pages(va, NP, FOLL_WRITE | FOLL_LONGTERM, pages), NP);
	KT_EQ(sys_madvise(va, NP * PAGE_SIZE, MADV_PAGEOUT), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/compact_memory", "1"), 0);
	for (int i = 0; i < NP; i++) {
		KT_EQ(mapped_page(va + (unsigned long)i * PAGE_SIZE), pages[i]);
		KT_ASSERT(folio_maybe_dma_pinned(page_folio(pages[i])));
	}
	KT_ASSERT(holds_pattern(va, NP, 3));

	pid = sys_fork();
	KT_ASSERT(pid > 0);
	c = find_task_by_vpid((pid_t)pid);
	KT_ASSERT(c);
	KT_EQ(mmsim_switch_to(c), 0);
	/* page_needs_cow_for_dma: the child got its own copies at fork */
	for (int i = 0; i < NP; i += 7)
		KT_ASSERT(mapped_page(va + (unsigned long)i * PAGE_SIZE) != pages[i]);
	KT_ASSERT(holds_pattern(va, NP, 3));
	KT_ASSERT(fill_pattern(va, NP, 9));	/* the child's writes ... */
	sys_exit_group(0);
	KT_EQ(mmsim_switch_to(p), 0);
	KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
	KT_ASSERT(holds_pattern(va, NP, 3));	/* ... never reach the pinned pages */
	for (int i = 0; i < NP; i++)
		KT_EQ(mapped_page(va + (unsigned long)i * PAGE_SIZE), pages[i]);
	unpin_user_pages(pages, NP);
	KT_ASSERT(mm_is_valid(p->mm));
	sys_exit_group(0);
	mmsim_shutdown(m);
}

static void test_umem(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	struct task_struct *t = mmsim_spawn(m, "rdma");
	struct ib_device dev = { .name = "mlx5_0" };
	struct mmsim_rlimit lim = { 1UL << 20, 1UL << 20 };	/* 1 MiB: 256 pages */
	struct ib_umem *a, *b;
	unsigned long va, off = 100;
	size_t total = 0;

	KT_EQ(mmsim_switch_to(t), 0);
	va = anon_map(512);
	KT_ASSERT(fill_pattern(va, 512, 5));
	/* an unaligned range spans one page more */
	a = ib_umem_get(&dev, va + off, 16 * PAGE_SIZE, IB_ACCESS_LOCAL_WRITE);
	KT_ASSERT(!IS_ERR(a));
	if (IS_ERR(a))
		goto out;
	KT_EQ(ib_umem_num_pages(a), 17);
	KT_EQ(atomic_long_read(&t->mm->pinned_vm), 17);
	KT_EQ(status_kb(m, t->pid, "VmPin:"), (long long)(17 * PAGE_SIZE / 1024));
	KT_ASSERT(a->writable);
	KT_ASSERT(a->sgt.nents >= 1 && a->sgt.nents <= 17);
	for (unsigned int i = 0; i < a->sgt.nents; i++)
		total += a->sgt.sgl[i].dma_length;
	KT_EQ(total, 16 * PAGE_SIZE);
	KT_EQ(a->sgt.sgl[0].offset, off);
	KT_EQ(a->sgt.sgl[0].dma_address, PFN_PHYS(page_to_pfn(a->pages[0])) + off);
	for (unsigned long i = 0; i < 17; i++) {
		KT_ASSERT(page_zonenum(a->pages[i]) != ZONE_MOVABLE);
		KT_ASSERT(folio_maybe_dma_pinned(page_folio(a->pages[i])));
	}
	KT_ASSERT(holds_pattern(va, 512, 5));

	/* errors */
	KT_EQ(PTR_ERR(ib_umem_get(&dev, ~0UL - 10, 100, 0)), -EINVAL);
	KT_EQ(PTR_ERR(ib_umem_get(&dev, va, PAGE_SIZE, IB_ACCESS_ON_DEMAND)), -EOPNOTSUPP);
	KT_EQ(PTR_ERR(ib_umem_get(&dev, 0x1000, PAGE_SIZE, 0)), -EFAULT);
	KT_EQ(atomic_long_read(&t->mm->pinned_vm), 17);

	/* root passes the limit; without CAP_IPC_LOCK it binds */
	KT_EQ(sys_setrlimit(RLIMIT_MEMLOCK, &lim), 0);
	b = ib_umem_get(&dev, va + 32 * PAGE_SIZE, 300 * PAGE_SIZE, 0);
	KT_ASSERT(!IS_ERR(b));
	if (!IS_ERR(b))
		ib_umem_release(b);
	KT_EQ(atomic_long_read(&t->mm->pinned_vm), 17);
	KT_EQ(mmsim_cap_drop(t, 14), 0);
	KT_EQ(PTR_ERR(ib_umem_get(&dev, va + 32 * PAGE_SIZE, 300 * PAGE_SIZE, 0)), -ENOMEM);
	KT_EQ(atomic_long_read(&t->mm->pinned_vm), 17);	/* backed out */
	b = ib_umem_get(&dev, va + 32 * PAGE_SIZE, (256 - 17) * PAGE_SIZE, 0);	/* exactly the limit */
	KT_ASSERT(!IS_ERR(b));
	KT_EQ(status_kb(m, t->pid, "VmPin:"), (long long)(256 * PAGE_SIZE / 1024));
	if (!IS_ERR(b)) {
		KT_ASSERT(!b->writable);
		ib_umem_release(b);
	}
	lim.rlim_cur = lim.rlim_max = 0;
	KT_EQ(sys_setrlimit(RLIMIT_MEMLOCK, &lim), 0);
	KT_EQ(PTR_ERR(ib_umem_get(&dev, va, PAGE_SIZE, 0)), -EPERM);	/* can_do_mlock */
	lim.rlim_max = 1UL << 30;
	KT_EQ(mmsim_cap_drop(t, 24), 0);			/* CAP_SYS_RESOURCE */
	KT_EQ(sys_setrlimit(RLIMIT_MEMLOCK, &lim), -EPERM);	/* raising the hard limit */
	ib_umem_release(a);
	KT_EQ(atomic_long_read(&t->mm->pinned_vm), 0);
	KT_EQ(status_kb(m, t->pid, "VmPin:"), 0);
	KT_EQ(vmstat(m, "nr_foll_pin_acquired"), vmstat(m, "nr_foll_pin_released"));
out:
	sys_exit_group(0);
	mmsim_shutdown(m);
}

/* ---------------------------------------------------------------------
 * Randomized: pins, unpins, forks, compaction and migration
 */

#define SLOTS	8
#define SPAN	32

struct held {
	unsigned long va;	/* start of the pinned range */
	unsigned long n;	/* pages; 0: slot free */
	bool longterm;
	struct page *pages[SPAN];
};

static unsigned long rnd_state = 12345;
static unsigned long rnd(unsigned long n)
{
	rnd_state = rnd_state * 6364136223846793005UL + 1442695040888963407UL;
	return (rnd_state >> 33) % n;
}

/* Every invariant the pins must keep, checked against what the test holds. */
static bool pins_are_valid(struct mmsim *m, struct task_struct *t, struct held *h,
			   unsigned long base, unsigned char seed)
{
	long long held_pins = 0;
	bool ok = mm_is_valid(t->mm) && mm_mapcounts_are_valid(m);

	for (int s = 0; s < SLOTS; s++) {
		for (unsigned long i = 0; i < h[s].n; i++) {
			struct page *p = h[s].pages[i];
			int pins = 0;

			for (int s2 = 0; s2 < SLOTS; s2++)
				for (unsigned long j = 0; j < h[s2].n; j++)
					pins += h[s2].pages[j] == p;
			/* refcount: the mapping(s) + BIAS per pin, never a pin less */
			ok &= page_ref_count(p) >= 1 + pins * (int)GUP_PIN_COUNTING_BIAS;
			ok &= page_ref_count(p) < (pins + 1) * (int)GUP_PIN_COUNTING_BIAS;
			/* a pinned page stays the one mapped; a long-term one is pinnable */
			ok &= mapped_page(h[s].va + i * PAGE_SIZE) == p;
			if (h[s].longterm)
				ok &= folio_is_longterm_pinnable(page_folio(p));
			held_pins++;
		}
	}
	ok &= vmstat(m, "nr_foll_pin_acquired") - vmstat(m, "nr_foll_pin_released") == held_pins;
	ok &= holds_pattern(base, SPAN * 4, seed);
	ok &= node_page_state(NODE_DATA(0), NR_ISOLATED_ANON) == 0;
	return ok;
}

static void test_stress(void)
{
	struct mmsim *m = boot_or_die(SPEC);
	struct task_struct *t = mmsim_spawn(m, "stress");
	struct held *h = calloc(SLOTS, sizeof(*h));
	unsigned long base;
	int bad_step = -1;

	KT_EQ(mmsim_switch_to(t), 0);
	base = anon_map(SPAN * 4);
	KT_ASSERT(fill_pattern(base, SPAN * 4, 11));
	for (int step = 0; step < 200 && bad_step < 0; step++) {
		int s = (int)rnd(SLOTS);

		switch (rnd(5)) {
		case 0:
		case 1:	/* pin a random range into a free slot */
			if (!h[s].n) {
				unsigned long first = rnd(SPAN * 4 - 1), n = 1 + rnd(SPAN);
				bool lt = rnd(2);

				n = min(n, SPAN * 4 - first);
				h[s].va = base + first * PAGE_SIZE;
				h[s].longterm = lt;
				long got = pin_user_pages(h[s].va, n, FOLL_WRITE | (lt ? FOLL_LONGTERM : 0),
							  h[s].pages);

				/* Linux: a movable page that another pin holds cannot
				 * migrate, so a long-term pin of it fails with -ENOMEM
				 * (and holds nothing) */
				if (got == -ENOMEM && lt) {
					bool blocked = false;

					for (unsigned long i = 0; i < n; i++) {
						struct page *p = mapped_page(h[s].va + i * PAGE_SIZE);

						blocked |= p && folio_maybe_dma_pinned(page_folio(p)) &&
							   !folio_is_longterm_pinnable(page_folio(p));
					}
					KT_ASSERT(blocked);
					break;
				}
				KT_EQ(got, (long)n);
				h[s].n = got == (long)n ? n : 0;
			}
			break;
		case 2:	/* unpin */
			if (h[s].n) {
				unpin_user_pages(h[s].pages, h[s].n);
				h[s].n = 0;
			}
			break;
		case 3: {	/* fork: the child sees the bytes, writes its own, exits */
			long pid = sys_fork();
			struct task_struct *c = pid > 0 ? find_task_by_vpid((pid_t)pid) : NULL;
			int st;

			KT_ASSERT(c);
			if (!c)
				break;
			KT_EQ(mmsim_switch_to(c), 0);
			KT_ASSERT(holds_pattern(base, SPAN * 4, 11));
			KT_ASSERT(fill_pattern(base, SPAN * 4, 99));
			sys_exit_group(0);
			KT_EQ(mmsim_switch_to(t), 0);
			KT_EQ(sys_wait4((pid_t)pid, &st, 0, NULL), pid);
			break;
		}
		case 4:	/* compaction and a move_pages-style migration attempt */
			KT_EQ(mmsim_write(m, "/proc/sys/vm/compact_memory", "1"), 0);
			KT_EQ(sys_madvise(base, SPAN * 4 * PAGE_SIZE, MADV_PAGEOUT), 0);
			break;
		}
		if (!pins_are_valid(m, t, h, base, 11))
			bad_step = step;
	}
	KT_EQ(bad_step, -1);
	for (int s = 0; s < SLOTS; s++)
		if (h[s].n)
			unpin_user_pages(h[s].pages, h[s].n);
	KT_EQ(vmstat(m, "nr_foll_pin_acquired"), vmstat(m, "nr_foll_pin_released"));
	free(h);
	sys_exit_group(0);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_pin_accounting);
	KT_RUN(test_longterm_migrates);
	KT_RUN(test_pinned_stays);
	KT_RUN(test_umem);
	KT_RUN(test_stress);
	return kt_done();
}
