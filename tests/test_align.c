// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_align.c - host pointers keep the alignment the API promises
 * (DESIGN §1.2): every kernel window of the host agrees with its simulated
 * addresses modulo 1 GiB, so kmalloc()'s natural alignment of power-of-two
 * sizes, __vmalloc_node()'s @align, page_address() and kmap() hold for the
 * host pointer the caller gets, not only for the simulated address the
 * page tables show.  Checked on every arch.
 */
#include "mmtest.h"

static const char *const specs[] = {
	"ram=256M", "ram=256M arch=x86_64-la57", "ram=256M arch=i386", "ram=1200M arch=i386",
	"ram=256M arch=i386-pae", "ram=256M arch=arm64", "ram=256M arch=arm64 page_size=64K",
};

static bool host_aligned(const void *p, unsigned long a)
{
	return ((uintptr_t)p & (a - 1)) == 0;
}

/* The invariant itself: host and simulated addresses agree modulo 1G. */
static void check_congruent(const void *p)
{
	unsigned long kva = host_to_kva(p);

	KT_ASSERT(kva != 0);
	KT_EQ((uintptr_t)p & (SZ_1G - 1), kva & (SZ_1G - 1));
}

static void test_kmalloc_natural_alignment(void)
{
	for (size_t s = 0; s < ARRAY_SIZE(specs); s++) {
		struct mmsim *m = mmsim_boot(specs[s]);

		KT_ASSERT(m);
		for (unsigned long size = 8; size <= 4 * PAGE_SIZE; size <<= 1) {
			void *p[8];

			for (int i = 0; i < 8; i++) {
				p[i] = kmalloc(size, GFP_KERNEL);
				KT_ASSERT(p[i]);
				KT_ASSERT(host_aligned(p[i], size));
				KT_ASSERT((host_to_kva(p[i]) & (size - 1)) == 0);
				check_congruent(p[i]);
			}
			for (int i = 0; i < 8; i++)
				kfree(p[i]);
		}
		mmsim_shutdown(m);
	}
}

static void test_vmalloc_align(void)
{
	for (size_t s = 0; s < ARRAY_SIZE(specs); s++) {
		struct mmsim *m = mmsim_boot(specs[s]);

		KT_ASSERT(m);
		for (unsigned long align = PAGE_SIZE; align <= 64 * PAGE_SIZE; align <<= 1) {
			void *p = __vmalloc_node(3 * PAGE_SIZE, align, GFP_KERNEL, NUMA_NO_NODE,
						 __builtin_return_address(0));

			KT_ASSERT(p);
			KT_ASSERT(host_aligned(p, align));
			KT_ASSERT((host_to_kva(p) & (align - 1)) == 0);
			check_congruent(p);
			vfree(p);
		}
		mmsim_shutdown(m);
	}
}

static void test_pages_and_kmap(void)
{
	for (size_t s = 0; s < ARRAY_SIZE(specs); s++) {
		struct mmsim *m = mmsim_boot(specs[s]);
		struct page *page;
		void *p;

		KT_ASSERT(m);
		page = alloc_pages(GFP_KERNEL, 4);
		KT_ASSERT(page);
		p = page_address(page);
		KT_ASSERT(host_aligned(p, PAGE_SIZE << 4));
		check_congruent(p);
		__free_pages(page, 4);
		page = alloc_pages(GFP_HIGHUSER, 0);
		KT_ASSERT(page);
		p = kmap(page);
		KT_ASSERT(host_aligned(p, PAGE_SIZE));
		check_congruent(p);
		kunmap(page);
		p = kmap_local_page(page);
		check_congruent(p);
		kunmap_local(p);
		__free_pages(page, 0);
		mmsim_shutdown(m);
	}
}

int main(void)
{
	KT_RUN(test_kmalloc_natural_alignment);
	KT_RUN(test_vmalloc_align);
	KT_RUN(test_pages_and_kmap);
	return kt_done();
}
