// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_highmem.c - mm/highmem.c on i386 and i386-pae: highmem pages
 * have no address until kmapped; kmap, kmap_local_page and vmap of one
 * page alias the same bytes; page_address() answers for a kmapped page;
 * pkmap slots are counted, flushed and reused when the area wraps;
 * kmap_local nests per CPU; kmap_local of the same page again keeps the
 * slot's host mapping and of another page replaces it, and a simulated
 * translation of the slot never sees the old page after kunmap_local
 * (whether the unmap had a TLB entry to invalidate or proved it had none);
 * on 64-bit everything is page_address().
 */
#include <mmsim/highmem.h>
#include <mmsim/mmu.h>
#include <mmsim/vmalloc.h>
#include <mmsim/vmstat.h>
#include "mmtest.h"

static void check_arch(const char *spec, unsigned int last_pkmap)
{
	struct mmsim *m = boot_or_die(spec);
	struct page *page = alloc_page(GFP_HIGHUSER), *pages[8], **many;
	unsigned char *k, *k2, *l, *v;
	struct kmap_stats st;
	char *text;

	KT_EQ(LAST_PKMAP, last_pkmap);
	KT_ASSERT(page && PageHighMem(page));
	KT_ASSERT(page_address(page) == NULL);
	k = kmap(page);
	KT_ASSERT(k);
	KT_ASSERT(page_address(page) == k);
	k2 = kmap(page);	/* same slot, count 3 */
	KT_ASSERT(k2 == k);
	memset(k, 0x3c, PAGE_SIZE);
	l = kmap_local_page(page);
	KT_ASSERT(l && l != k);
	KT_EQ(l[100], 0x3c);
	l[200] = 0x77;
	KT_EQ(k[200], 0x77);
	pages[0] = page;
	v = vmap(pages, 1, VM_MAP, PAGE_KERNEL);
	KT_ASSERT(v);
	KT_EQ(v[200], 0x77);
	vunmap(v);
	kunmap_local(l);
	kunmap(page);
	kunmap(page);
	/* Still addressable until the pkmap area wraps and flushes. */
	KT_ASSERT(page_address(page) == k);
	for (unsigned int i = 0; i < 8; i++)
		pages[i] = alloc_page(GFP_HIGHUSER);
	/* Distinct pages: a page still in a count-1 slot reuses it. */
	many = calloc(2 * last_pkmap + 10, sizeof(*many));
	for (unsigned int i = 0; i < 2 * last_pkmap + 10; i++)
		many[i] = alloc_page(GFP_HIGHUSER);
	for (unsigned int i = 0; i < 2 * last_pkmap + 10; i++) {
		unsigned char *a = kmap(many[i]);

		KT_ASSERT(a);
		a[0] = (unsigned char)i;
		kunmap(many[i]);
	}
	for (unsigned int i = 0; i < 2 * last_pkmap + 10; i++)
		__free_page(many[i]);
	free(many);
	KT_ASSERT(page_address(page) == NULL);
	kmap_get_stats(&st);
	KT_ASSERT(st.pkmap_flushes >= 2);
	KT_EQ(st.pkmap_in_use, 0);
	/* Nested kmap_local and kmap_atomic, in reverse order. */
	k = kmap_local_page(pages[0]);
	k2 = kmap_atomic(pages[1]);
	l = kmap_local_page(pages[0]);
	KT_ASSERT(k && k2 && l && k != l);
	k[5] = 9;
	KT_EQ(l[5], 9);
	kunmap_local(l);
	kunmap_atomic(k2);
	kunmap_local(k);
	/* Lowmem pages: page_address. */
	k = kmap(alloc_page(GFP_KERNEL));
	KT_ASSERT(k && !is_vmalloc_addr(k));
	text = mmsim_read(m, "/proc/meminfo");
	KT_STR_CONTAINS(text, "HighTotal:");
	free(text);
	for (unsigned int i = 0; i < 8; i++)
		__free_page(pages[i]);
	__free_page(page);
	mmsim_shutdown(m);
}

static void test_i386(void)
{
	check_arch("ram=2G arch=i386", 1024);
}

static void test_i386_pae(void)
{
	check_arch("ram=3G arch=i386-pae", 512);
}

static void test_64bit(void)
{
	struct mmsim *m = boot_or_die("ram=256M");
	struct page *page = alloc_page(GFP_HIGHUSER);

	KT_ASSERT(!PageHighMem(page));
	KT_ASSERT(kmap(page) == page_address(page));
	KT_ASSERT(kmap_local_page(page) == page_address(page));
	kunmap_local(page_address(page));
	kunmap(page);
	__free_page(page);
	mmsim_shutdown(m);
}

static void test_out_of_order_warns(void)
{
	struct mmsim *m = boot_or_die("ram=2G arch=i386");
	struct page *a = alloc_page(GFP_HIGHUSER), *b = alloc_page(GFP_HIGHUSER);
	size_t mark = log_mark(m);
	void *ka = kmap_local_page(a), *kb = kmap_local_page(b);
	char *log;

	kunmap_local(ka);	/* wrong order: Linux warns */
	kunmap_local(kb);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "WARNING:");
	free(log);
	__free_page(a);
	__free_page(b);
	mmsim_shutdown(m);
}

/*
 * kunmap_local() of an address that no kmap_local_page() gave: Linux's
 * kunmap_local_indexed() warns for one below PAGE_OFFSET (here, a pointer
 * in none of the kernel's windows) and leaves the slots alone; a lowmem
 * page's address is silently ignored.
 */
static void test_unmap_stray_address(void)
{
	struct mmsim *m = boot_or_die("ram=2G arch=i386");
	struct page *hi = alloc_page(GFP_HIGHUSER), *lo = alloc_page(GFP_KERNEL);
	size_t mark = log_mark(m);
	char *k, *log;

	KT_ASSERT(hi && lo && PageHighMem(hi) && !PageHighMem(lo));
	k = kmap_local_page(hi);
	KT_ASSERT(k);
	memset(k, 0x5a, PAGE_SIZE);
	kunmap_local(page_address(lo));		/* lowmem: nothing to undo */
	log = log_since(m, &mark);
	KT_ASSERT(log && !strstr(log, "WARNING:"));
	free(log);
	kunmap_local((void *)0x1234);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "WARNING:");
	KT_STR_CONTAINS(log, "kunmap_local");
	free(log);
	/* The real mapping is still there, and still the newest. */
	KT_ASSERT(k[0] == 0x5a && k[PAGE_SIZE - 1] == 0x5a);
	kunmap_local(k);
	log = log_since(m, &mark);
	KT_ASSERT(log && !strstr(log, "WARNING:"));
	free(log);
	k = kmap_local_page(hi);
	KT_ASSERT(k && k[7] == 0x5a);
	kunmap_local(k);
	__free_page(hi);
	__free_page(lo);
	mmsim_shutdown(m);
}

/* kmap_local_page of the same page again, then of another page, in one slot. */
static void test_kmap_local_remap(void)
{
	struct mmsim *m = boot_or_die("ram=2G arch=i386 cpus=1");
	struct page *a = alloc_page(GFP_HIGHUSER), *b = alloc_page(GFP_HIGHUSER);
	unsigned long flushes = sum_vm_event(NR_TLB_LOCAL_FLUSH_ONE);
	struct kmap_stats st0, st;
	unsigned char *ka, *kb;
	unsigned long kva;
	phys_addr_t pa;

	KT_ASSERT(a && b && PageHighMem(a) && PageHighMem(b));
	ka = kmap_local_page(a);
	memset(ka, 0xa1, PAGE_SIZE);
	kunmap_local(ka);
	kb = kmap_local_page(b);
	memset(kb, 0xb2, PAGE_SIZE);
	kunmap_local(kb);
	KT_ASSERT(ka == kb);	/* the same slot, the top of the CPU's stack */
	kmap_get_stats(&st0);
	/* The same page again: no host call, the bytes are b's. */
	kb = kmap_local_page(b);
	KT_EQ(kb[0], 0xb2);
	kunmap_local(kb);
	kmap_get_stats(&st);
	KT_EQ(st.host_maps, st0.host_maps);
	/* Another page: the host slot is replaced, the bytes are a's. */
	ka = kmap_local_page(a);
	KT_EQ(ka[PAGE_SIZE - 1], 0xa1);
	kunmap_local(ka);
	kmap_get_stats(&st);
	KT_EQ(st.host_maps, st0.host_maps + 1);
	/* Every kunmap_local counted one local flush, as Linux's invlpg does. */
	KT_EQ(sum_vm_event(NR_TLB_LOCAL_FLUSH_ONE) - flushes, 4);
	/* A translation of the slot caches it: the unmap must invalidate it. */
	ka = kmap_local_page(a);
	kva = host_to_kva(ka);
	KT_EQ(mmu_translate(kva, MMU_READ, &pa, NULL), 0);
	KT_EQ(PHYS_PFN(pa), page_to_pfn(a));
	KT_EQ(mmu_translate(kva, MMU_READ, &pa, NULL), 0);	/* a TLB hit now */
	kunmap_local(ka);
	KT_EQ(mmu_translate(kva, MMU_READ, &pa, NULL), -EFAULT);
	kb = kmap_local_page(b);
	KT_EQ(mmu_translate(kva, MMU_READ, &pa, NULL), 0);
	KT_EQ(PHYS_PFN(pa), page_to_pfn(b));
	kunmap_local(kb);
	/* Cached, then unmapped with no walk since: still nothing stale. */
	ka = kmap_local_page(a);
	kunmap_local(ka);
	kb = kmap_local_page(b);
	KT_EQ(mmu_translate(kva, MMU_READ, &pa, NULL), 0);
	KT_EQ(PHYS_PFN(pa), page_to_pfn(b));
	kunmap_local(kb);
	KT_EQ(mmu_translate(kva, MMU_READ, &pa, NULL), -EFAULT);
	__free_page(a);
	__free_page(b);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_i386);
	KT_RUN(test_i386_pae);
	KT_RUN(test_64bit);
	KT_RUN(test_out_of_order_warns);
	KT_RUN(test_unmap_stray_address);
	KT_RUN(test_kmap_local_remap);
	return kt_done();
}
