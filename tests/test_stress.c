// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_stress.c - randomized, deterministic stress of the page
 * allocator from one host thread that hops between simulated CPUs, with
 * every invariant checked after every step (zone_is_valid on all zones),
 * on several arches.  At the end everything is freed and drained and the
 * free page count must equal the count at the start.
 *
 * The memory is used, not only counted: every page of every block gets a
 * pattern of its own (a stamp with the allocation's number and the page's
 * index, then a fill byte that both decide), written through
 * page_address() or kmap_local_page() for highmem.  The pattern is checked
 * before each free and for every block still held at the end, so an
 * allocator that hands one page out twice, or writes into an allocated
 * page, is caught.  __GFP_ZERO blocks are checked to be zero first.
 */
#include "mmtest.h"

struct held {
	struct page *page;
	unsigned int order;
	bool compound;
	uint64_t id;		/* the allocation's number: picks its pattern */
};

/* The stamp at the start of each page of a held block. */
struct stamp {
	uint64_t id;
	uint64_t index;		/* page index in the block */
};

static unsigned char fill_byte(uint64_t id, unsigned long index)
{
	return (unsigned char)(id * 31 + index * 7 + 1);
}

/* Write (@check false) or check the pattern of page @index of @h. */
static bool page_pattern(const struct held *h, unsigned long index, bool check)
{
	struct stamp want = { h->id, index };
	unsigned char b = fill_byte(h->id, index);
	unsigned char *p = kmap_local_page(h->page + index);
	bool ok = true;

	if (!check) {
		memcpy(p, &want, sizeof(want));
		memset(p + sizeof(want), b, PAGE_SIZE - sizeof(want));
	} else {
		static unsigned char expect[65536];	/* the largest page */

		memcpy(expect, &want, sizeof(want));
		memset(expect + sizeof(want), b, PAGE_SIZE - sizeof(want));
		ok = !memcmp(p, expect, PAGE_SIZE);
	}
	kunmap_local(p);
	return ok;
}

/* Write @h's pattern on every page; false if __GFP_ZERO memory was not zero. */
static bool fill(const struct held *h, bool zeroed)
{
	bool ok = true;

	for (unsigned long i = 0; i < (1UL << h->order); i++) {
		if (zeroed) {
			static const unsigned char zero[65536];
			unsigned char *p = kmap_local_page(h->page + i);

			ok &= !memcmp(p, zero, PAGE_SIZE);
			kunmap_local(p);
		}
		page_pattern(h, i, false);
	}
	return ok;
}

/* Is @h's pattern intact on every page?  Names the first bad page. */
static bool verify(const struct held *h)
{
	for (unsigned long i = 0; i < (1UL << h->order); i++) {
		if (!page_pattern(h, i, true)) {
			fprintf(stderr, "allocation %llu (order %u, pfn %#lx): page %lu corrupted\n",
				(unsigned long long)h->id, h->order, page_to_pfn(h->page), i);
			return false;
		}
	}
	return true;
}

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
	int nheld = 0, failures = 0, corrupted = 0;
	uint64_t next_id = 1;

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
			held[nheld] = (struct held){ p, order, !!(gfp & __GFP_COMP) && order,
						     next_id++ };
			if (!fill(&held[nheld], gfp & __GFP_ZERO)) {
				KT_ASSERT(!"__GFP_ZERO memory is not zero");
				corrupted++;
			}
			nheld++;
		} else if (op < 95) {
			int i = (int)(rnd() % (uint64_t)nheld);

			if (!verify(&held[i]))
				corrupted++;
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
	for (int i = 0; i < nheld; i++)
		if (!verify(&held[i]))
			corrupted++;
	KT_EQ(corrupted, 0);
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
