// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_swapfile_mt.c - swap slots under concurrency and at random
 * (mm/swapfile.c):
 *   - a randomized single-CPU stress against a model: allocate (cache
 *     bit), duplicate, drop the cache bit, free a user, swapcache_prepare,
 *     swapoff/swapon of an unused area, fail injection; after every step
 *     the model's count of each live entry equals swap_map, and
 *     swap_areas_are_valid holds;
 *   - three CPUs allocating, duplicating and freeing slots at once on
 *     areas of equal and different priorities: no slot is handed out
 *     twice, the counters add up, the checkers hold afterwards (TSan).
 */
#include <pthread.h>
#include <mmsim/swapops.h>
#include <mmsim/syscalls.h>
#include "mmtest.h"
#include "mm/swapfile_internal.h"

#define NLIVE	600

static struct mmsim *m;

struct live {
	swp_entry_t e;
	int count;		/* users */
	bool cache;		/* SWAP_HAS_CACHE */
};

static u64 rng = 88172645463325252ULL;

static unsigned long rnd(unsigned long n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return n ? (unsigned long)(rng % n) : 0;
}

static bool model_ok(struct live *l, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		struct swap_info_struct *si = swp_swap_info(l[i].e);
		unsigned char v = si->swap_map[swp_offset(l[i].e)];

		if (v != (unsigned char)(l[i].count | (l[i].cache ? SWAP_HAS_CACHE : 0))) {
			printf("# entry %#lx: map %#x, model %d%s\n", l[i].e.val, v, l[i].count,
			       l[i].cache ? "+cache" : "");
			return false;
		}
	}
	return true;
}

static void test_random_stress(void)
{
	struct live *l = calloc(NLIVE, sizeof(*l));
	unsigned int n = 0;
	bool ok = true;

	for (unsigned int step = 0; step < 6000 && ok; step++) {
		unsigned long op = rnd(100), i = n ? rnd(n) : 0;

		if (op < 30 && n < NLIVE) {
			swp_entry_t e = folio_alloc_swap(NULL);

			if (e.val)
				l[n++] = (struct live){ e, 0, true };
			else
				KT_ASSERT(get_nr_swap_pages() <= 0 || READ_ONCE(swapfile_state_of(m)->fail_nth));
		} else if (op < 50 && n) {
			int want = l[i].count >= SWAP_MAP_MAX ? -ENOMEM : 0;

			KT_EQ(swap_duplicate(l[i].e), want);
			if (!want)
				l[i].count++;
		} else if (op < 65 && n && l[i].cache) {
			put_swap_folio(NULL, l[i].e);
			l[i].cache = false;
		} else if (op < 80 && n && l[i].count) {
			swap_free(l[i].e);
			l[i].count--;
		} else if (op < 88 && n) {
			int want = l[i].cache ? -EEXIST : 0;

			KT_EQ(swapcache_prepare(l[i].e), want);
			l[i].cache = true;
		} else if (op < 90) {
			/* swapoff/swapon of an area nobody uses */
			static const char *const dev[] = { "/dev/vdb", "/dev/vdc", "/dev/vdd" };
			const char *d = dev[rnd(3)];
			long r = sys_swapoff(d);

			if (r == 0)
				KT_EQ(sys_swapon(d, rnd(2) ? SWAP_FLAG_PREFER | (int)rnd(3) : 0), 0);
			else
				KT_ASSERT(r == -EBUSY || r == -EINVAL);
		} else if (op < 91) {
			mmsim_write(m, "/sys/kernel/debug/fail_swap_alloc", rnd(2) ? "3" : "0");
		}
		/* A slot with nothing left is free: forget it. */
		if (n && !l[i].count && !l[i].cache)
			l[i] = l[--n];
		ok = model_ok(l, n) && swap_areas_are_valid(m);
		KT_ASSERT(ok);
	}
	mmsim_write(m, "/sys/kernel/debug/fail_swap_alloc", "0");
	for (unsigned int i = 0; i < n; i++) {
		while (l[i].count--)
			swap_free(l[i].e);
		if (l[i].cache)
			put_swap_folio(NULL, l[i].e);
	}
	KT_EQ(get_nr_swap_pages(), get_total_swap_pages());
	KT_ASSERT(swap_areas_are_valid(m));
	free(l);
}

#define NTHREADS	3
#define PER_THREAD	300

struct worker {
	pthread_t th;
	int cpu;
	swp_entry_t e[PER_THREAD];
	unsigned int n;
	int err;
};

static void *worker_fn(void *arg)
{
	struct worker *w = arg;

	if (mmsim_enter(m, w->cpu)) {
		w->err = 1;
		return NULL;
	}
	for (unsigned int round = 0; round < 5; round++) {
		w->n = 0;
		for (unsigned int i = 0; i < PER_THREAD; i++) {
			swp_entry_t e = folio_alloc_swap(NULL);

			if (!e.val)
				break;
			if (swap_duplicate(e))
				w->err = 2;
			w->e[w->n++] = e;
		}
		for (unsigned int i = 0; i < w->n; i++) {
			put_swap_folio(NULL, w->e[i]);
			if (round < 4 || i % 2)
				swap_free(w->e[i]);
		}
	}
	mmsim_leave();
	return NULL;
}

static void test_concurrent(void)
{
	struct worker w[NTHREADS] = { 0 };
	unsigned char *seen;
	long total = get_total_swap_pages();
	unsigned int kept = 0;

	KT_EQ(sys_swapoff("/dev/vdb"), 0);
	KT_EQ(sys_swapon("/dev/vdb", SWAP_FLAG_PREFER | 3), 0);
	KT_EQ(sys_swapoff("/dev/vdc"), 0);
	KT_EQ(sys_swapon("/dev/vdc", SWAP_FLAG_PREFER | 3), 0);
	mmsim_leave();
	for (int i = 0; i < NTHREADS; i++) {
		w[i].cpu = i;
		pthread_create(&w[i].th, NULL, worker_fn, &w[i]);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(w[i].th, NULL);
	mmsim_enter(m, 0);
	/* Each thread kept its even-numbered slots of the last round: all distinct. */
	seen = calloc(MAX_SWAPFILES, 1 << 16);
	for (int i = 0; i < NTHREADS; i++) {
		KT_EQ(w[i].err, 0);
		for (unsigned int j = 0; j < w[i].n; j += 2) {
			unsigned long key = (unsigned long)swp_type(w[i].e[j]) << 16 | swp_offset(w[i].e[j]);

			KT_EQ(seen[key], 0);
			seen[key] = 1;
			KT_EQ(__swap_count(w[i].e[j]), 1);
			kept++;
		}
	}
	KT_EQ(get_nr_swap_pages(), total - kept);
	KT_ASSERT(swap_areas_are_valid(m));
	for (int i = 0; i < NTHREADS; i++)
		for (unsigned int j = 0; j < w[i].n; j += 2)
			swap_free(w[i].e[j]);
	KT_EQ(get_nr_swap_pages(), total);
	KT_ASSERT(swap_areas_are_valid(m));
	free(seen);
}

int main(void)
{
	m = boot_or_die("ram=64M cpus=3 swap=1M,1M@2,2M");
	KT_RUN(test_random_stress);
	KT_RUN(test_concurrent);
	mmsim_shutdown(m);
	return kt_done();
}
