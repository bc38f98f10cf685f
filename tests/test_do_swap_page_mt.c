// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_do_swap_page_mt.c - swap-in from several CPUs at once on one
 * address space (a spawned process's mm, driven from three CPUs): each
 * worker writes, reads, swaps out (by hand, as reclaim does:
 * tests/swap_fixture.h) and zaps its own pages and faults everyone's in,
 * so swap-ins race with
 * swap-outs and readahead of the neighbours' slots (swap-cache hits,
 * -EEXIST retries in __read_swap_cache_async, PTEs changed under a fault),
 * while CPU 0 also forks (copy_page_range's swap_duplicate under the write
 * lock) and tears the child down.  Afterwards every page holds what its
 * owner wrote last (zero after a zap) and mm_is_valid, the mapcount census
 * and swap_counts_are_valid hold; the slots are all free after the exit.
 * Run under ThreadSanitizer by `make test` (the _mt suffix).
 */
#include <pthread.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include "fault_fixture.h"
#include "swap_fixture.h"

#define NPAGES		96
#define NTHREADS	3
#define ROUNDS		5000

static struct mmsim *machine;
static struct mm_struct *mm;
static unsigned long base;

struct worker {
	int cpu;
	unsigned int seed;
	unsigned long long expect[NPAGES];	/* for the pages it owns */
	pthread_t thread;
};

static unsigned int next_rand(unsigned int *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* A user access of 8 bytes at @va through the MMU, faulting as the arch would. */
static bool access8(unsigned long va, bool write, unsigned long long *val)
{
	for (int i = 0; i < 16; i++) {
		unsigned long long *p = mmu_access(va, (write ? MMU_WRITE : MMU_READ) | MMU_USER,
						   NULL);

		if (p) {
			if (write)
				__atomic_store_n(p, *val, __ATOMIC_RELAXED);
			else
				*val = __atomic_load_n(p, __ATOMIC_RELAXED);
			return true;
		}
		if (fx_fault(mm, va, write) & VM_FAULT_ERROR)
			return false;
	}
	return false;
}

static void *worker(void *arg)
{
	struct worker *w = arg;

	KT_EQ(mmsim_enter(machine, w->cpu), 0);
	switch_mm(NULL, mm, NULL);
	for (int i = 0; i < ROUNDS; i++) {
		unsigned int r = next_rand(&w->seed);
		unsigned long idx = r % NPAGES, va = base + idx * PAGE_SIZE;
		bool mine = idx % NTHREADS == (unsigned long)w->cpu;
		unsigned long long v;

		switch ((r >> 8) % 8) {
		case 0:
			if (mine) {
				fx_zap(mm, va, PAGE_SIZE);
				w->expect[idx] = 0;
			}
			break;
		case 1:
		case 2:
			if (mine)
				swap_out_page(mm, va, r & 1024);
			break;
		case 3:
			if (w->cpu == 0 && (r & 0x3000) == 0) {
				struct mm_struct *child = fx_fork(mm);

				switch_mm(NULL, mm, NULL);
				fx_destroy(child);
				switch_mm(NULL, mm, NULL);
			}
			break;
		case 4:
		case 5:
			if (mine) {
				v = ((unsigned long long)w->cpu << 56) | ((unsigned long long)i << 16) | idx;
				KT_ASSERT(access8(va, true, &v));
				w->expect[idx] = v;
				break;
			}
			/* fall through */
		default:
			if (mine) {
				KT_ASSERT(access8(va, false, &v));
				KT_EQ(v, w->expect[idx]);
			} else {
				/*
				 * Someone else's page: fault it in, touch no
				 * data (its owner may free the frame at any
				 * time; a stale translation's access would race
				 * with the frame's next user in the simulator).
				 */
				KT_ASSERT(!(fx_fault(mm, va, false) & VM_FAULT_ERROR));
			}
			break;
		}
	}
	switch_mm(NULL, &init_mm, NULL);
	mmsim_leave();
	return NULL;
}

/* Reclaim's part for folios only the swap cache holds (try_to_free_swap). */
static void drop_unused_swap_cache(void)
{
	for (int type = 0; type < MAX_SWAPFILES; type++) {
		struct swap_info_struct *si = swap_info_get(machine, type);

		if (!si || !si->swap_map)
			continue;
		for (unsigned int o = 1; o < si->max; o++) {
			struct folio *folio;

			if (__atomic_load_n(&si->swap_map[o], __ATOMIC_RELAXED) != SWAP_HAS_CACHE)
				continue;
			folio = swap_cache_get_folio(swp_entry((unsigned long)type, o), NULL, 0);
			if (!folio)
				continue;
			folio_lock(folio);
			KT_ASSERT(!folio_mapped(folio));
			KT_ASSERT(folio_free_swap(folio));
			folio_unlock(folio);
			put_page(&folio->page);
		}
	}
}

static void test_concurrent_swapin(void)
{
	struct task_struct *t = mmsim_spawn(machine, "swapmt");
	static struct worker w[NTHREADS];
	long long free0 = get_nr_swap_pages();
	unsigned long majflt = sum_vm_event(PGMAJFAULT);

	KT_EQ(mmsim_switch_to(t), 0);
	mm = t->mm;
	base = sys_mmap(0, NPAGES * PAGE_SIZE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(base));
	mmsim_switch_idle();
	mmsim_leave();
	for (int i = 0; i < NTHREADS; i++) {
		memset(w[i].expect, 0, sizeof(w[i].expect));
		w[i].cpu = i;
		w[i].seed = 91u * (unsigned int)i + 7;
		pthread_create(&w[i].thread, NULL, worker, &w[i]);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(w[i].thread, NULL);
	KT_EQ(mmsim_enter(machine, 0), 0);
	KT_EQ(mmsim_switch_to(t), 0);
	KT_ASSERT(sum_vm_event(PGMAJFAULT) > majflt);
	printf("# %lu major faults, %lu pages swapped out\n", sum_vm_event(PGMAJFAULT) - majflt,
	       sum_vm_event(PSWPOUT));
	for (unsigned long idx = 0; idx < NPAGES; idx++) {
		unsigned long long v = 0;

		KT_EQ(mmsim_user_read(base + idx * PAGE_SIZE, &v, sizeof(v)), 0);
		KT_EQ(v, w[idx % NTHREADS].expect[idx]);
	}
	KT_ASSERT(mm_is_valid(mm));
	KT_ASSERT(mm_mapcounts_are_valid(machine));
	KT_ASSERT(swap_counts_are_valid(machine));
	mmsim_advance_clock(machine, 100 * 1000 * 1000ULL);
	sys_exit_group(0);
	/*
	 * A folio whose last PTE went while another CPU held its lock (a
	 * racing swap-in backing out) stays in the swap cache with no user
	 * of its slot, as in Linux, until reclaim frees it: do that here.
	 */
	drop_unused_swap_cache();
	KT_EQ(get_nr_swap_pages(), free0);
	KT_ASSERT(swap_counts_are_valid(machine));
}

int main(void)
{
	static const char *const specs[] = {
		"arch=x86_64 ram=64M cpus=3 swap=16M",
		"arch=arm64 page_size=64K ram=256M cpus=3 swap=64M",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(specs); i++) {
		machine = mmsim_boot(specs[i]);
		if (!machine) {
			printf("# %s: no boot (%s): skipped\n", specs[i], mmsim_last_error());
			continue;
		}
		printf("# %s\n", specs[i]);
		if (get_total_swap_pages() > 0)
			KT_RUN(test_concurrent_swapin);
		mmsim_shutdown(machine);
	}
	return kt_done();
}
