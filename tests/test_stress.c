// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_stress.c - randomized, deterministic stress of the page
 * allocator from one host thread that hops between simulated CPUs, with
 * every invariant checked after every step (zone_is_valid on all zones),
 * on several arches.  At the end everything is freed and drained and the
 * free page count must equal the count at the start.
 */
#include "mmtest.h"

struct held {
	struct page *page;
	unsigned int order;
	bool compound;
};

static uint64_t rng_state;

static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static const gfp_t gfps[] = {
	GFP_KERNEL, GFP_KERNEL | __GFP_ZERO, GFP_ATOMIC, GFP_HIGHUSER_MOVABLE, GFP_DMA,
	GFP_KERNEL | __GFP_RECLAIMABLE, GFP_NOWAIT, GFP_KERNEL | __GFP_COMP, GFP_DMA32,
	GFP_HIGHUSER,
};

static unsigned int random_order(void)
{
	unsigned int r = (unsigned int)(rnd() % 100);

	if (r < 60)
		return 0;
	if (r < 85)
		return 1 + (unsigned int)(rnd() % 3);
	return (unsigned int)(rnd() % (MAX_PAGE_ORDER + 1));
}

static void stress(const char *spec, int steps, int check_every)
{
	struct mmsim *m = boot_or_die(spec);
	int ncpus = nr_cpu_ids_of(m);
	struct held *held = calloc((size_t)steps, sizeof(*held));
	unsigned long free0;
	int nheld = 0, failures = 0;

	rng_state = 0x9e3779b97f4a7c15ULL ^ (uint64_t)steps;
	drain_all_pages(NULL);
	free0 = nr_free_pages();
	for (int step = 0; step < steps; step++) {
		unsigned int op = (unsigned int)(rnd() % 100);

		mmsim_enter(m, (int)(rnd() % (uint64_t)ncpus));
		if (op < 55 || nheld == 0) {
			gfp_t gfp = gfps[rnd() % ARRAY_SIZE(gfps)] | __GFP_NOWARN;
			unsigned int order = random_order();
			struct page *p = alloc_pages(gfp, order);

			if (!p) {
				failures++;
				continue;
			}
			if (!PageHighMem(p))
				memset(page_address(p), 0x77, PAGE_SIZE);
			held[nheld++] = (struct held){ p, order, !!(gfp & __GFP_COMP) && order };
		} else if (op < 95) {
			int i = (int)(rnd() % (uint64_t)nheld);

			if (held[i].compound && (rnd() & 1))
				put_page(held[i].page + (1UL << held[i].order) - 1);
			else
				__free_pages(held[i].page, held[i].order);
			held[i] = held[--nheld];
		} else if (op < 98) {
			drain_local_pages(NULL);
		} else {
			drain_all_pages(NULL);
		}
		if (step % check_every == 0 && !mm_allocator_is_valid()) {
			KT_ASSERT(!"invariants broken");
			break;
		}
	}
	while (nheld) {
		nheld--;
		mmsim_enter(m, nheld % ncpus);
		__free_pages(held[nheld].page, held[nheld].order);
	}
	drain_all_pages(NULL);
	KT_ASSERT(mm_allocator_is_valid());
	KT_EQ(nr_free_pages(), free0);
	free(held);
	mmsim_shutdown(m);
}

static void test_stress_x86_64(void) { stress("ram=64M cpus=4", 6000, 1); }
static void test_stress_x86_64_numa(void) { stress("ram=256M cpus=4 nodes=2 movablecore=64M", 4000, 3); }
static void test_stress_i386(void) { stress("arch=i386 ram=1G cpus=2", 3000, 5); }
static void test_stress_arm64_16k(void) { stress("arch=arm64 page_size=16K ram=256M cpus=3", 3000, 3); }
static void test_stress_pressure(void) { stress("ram=32M cpus=2", 20000, 7); }

int main(void)
{
	KT_RUN(test_stress_x86_64);
	KT_RUN(test_stress_x86_64_numa);
	KT_RUN(test_stress_i386);
	KT_RUN(test_stress_arm64_16k);
	KT_RUN(test_stress_pressure);
	return kt_done();
}
