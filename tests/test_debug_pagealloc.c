// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_debug_pagealloc.c - debug_pagealloc=on (mm/debug_page_alloc.c)
 * and page_poison=on (mm/page_poison.c):
 *   - a freed page is PROT_NONE in the host view of the direct map and
 *     read-write again once allocated; a read and a write after free trap
 *     and give Linux's page-fault oops (not-present page), back to the
 *     recovery point, the machine consistent after;
 *   - slab, init_on_free and compaction-free paths work with pages
 *     unmapped (nothing reads a free page's bytes);
 *   - a randomized alloc/free stress of orders 0..3 with the invariant
 *     checkers (mm_allocator_is_valid, debug_pagealloc_is_valid) after
 *     every step;
 *   - running out of host mappings (vm.max_map_count): one warning, every
 *     page opened, debug_pagealloc off for that machine;
 *   - page_poison: a byte changed in a free page is reported at its next
 *     allocation ("pagealloc: single bit error" / "pagealloc: memory
 *     corruption", the hex dump, dump_page), and poisoning turns
 *     init_on_free off with Linux's message.
 * Traps need the library's SEGV handler first (ASAN_OPTIONS=handle_segv=0,
 * CMakeLists.txt).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <mmsim/kfence.h>
#include <mmsim/oops.h>
#include <mmsim/slab.h>
#include "arch/hostmap.h"
#include "mm/slab.h"
#include "mmtest.h"

#if defined(CONFIG_DEBUG_PAGEALLOC) && defined(CONFIG_PAGE_POISONING)
void touch_freed(volatile unsigned char *p, bool write);

noinline void touch_freed(volatile unsigned char *p, bool write)
{
	if (write)
		*p = 0x6b;
	else
		(void)*p;
}

static bool prot_is(const void *p, const char *want)
{
	char prot[5];

	host_prot(p, prot);
	return !strncmp(prot, want, 3);
}

static void check_uaf(bool write)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=2 debug_pagealloc=on");
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned char *p = page_address(page);
	struct mmsim_recovery r;
	volatile bool came_back = false;
	char want[128], *log;
	size_t mark;

	KT_ASSERT(m->debug_pagealloc);
	KT_ASSERT(prot_is(p, "rw-"));
	memset(p, 0x11, PAGE_SIZE);
	__free_page(page);
	KT_ASSERT(prot_is(p, "---"));
	KT_ASSERT(!kernel_page_present(page));
	mark = log_mark(m);
	if (!mmsim_try(&r))
		touch_freed(p + 8, write);
	else
		came_back = true;
	mmsim_try_end(&r);
	KT_ASSERT(came_back);
	log = log_since(m, &mark);
	snprintf(want, sizeof(want), "BUG: unable to handle page fault for address: %016lx\n",
		 host_to_kva(p + 8));
	KT_STR_CONTAINS(log, want);
	KT_STR_CONTAINS(log, write ? "#PF: error_code(0x0002) - not-present page\n"
				   : "#PF: error_code(0x0000) - not-present page\n");
	KT_STR_CONTAINS(log, "RIP: 0010:touch_freed+");
	free(log);
	/* The machine goes on: the page comes back mapped when allocated. */
	drain_all_pages(NULL);
	KT_ASSERT(mm_allocator_is_valid());
	KT_ASSERT(debug_pagealloc_is_valid(m));
	page = alloc_page(GFP_KERNEL);
	KT_ASSERT(page && prot_is(page_address(page), "rw-"));
	memset(page_address(page), 0x22, PAGE_SIZE);
	__free_page(page);
	mmsim_shutdown(m);
}

static void test_uaf_read(void)
{
	check_uaf(false);
}

static void test_uaf_write(void)
{
	check_uaf(true);
}

/* Slabs, kmalloc, init_on_free and vmalloc with every free page unmapped. */
static void test_users(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=2 debug_pagealloc=on init_on_free=1");
	void *objs[512];
	struct page *page;
	void *v;

	for (int i = 0; i < 512; i++) {
		objs[i] = kmalloc(64 + (size_t)(i % 7) * 100, GFP_KERNEL);
		KT_ASSERT(objs[i]);
		memset(objs[i], 0x33, 64);
	}
	for (int i = 0; i < 512; i++)
		kfree(objs[i]);
	kmem_cache_shrink(slab_globals()->kmalloc_caches[KMALLOC_NORMAL][kmalloc_index(64)]);
	v = vmalloc(8 * PAGE_SIZE);
	KT_ASSERT(v);
	memset(v, 0x44, 8 * PAGE_SIZE);
	vfree(v);
	page = alloc_pages(GFP_KERNEL, 2);
	memset(page_address(page), 0x55, 4 * PAGE_SIZE);
	__free_pages(page, 2);
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO, 2);
	for (size_t i = 0; i < 4 * PAGE_SIZE; i++)
		if (((unsigned char *)page_address(page))[i]) {
			KT_ASSERT(!"zeroed");
			break;
		}
	__free_pages(page, 2);
	drain_all_pages(NULL);
	KT_ASSERT(mm_allocator_is_valid());
	KT_ASSERT(debug_pagealloc_is_valid(m));
	mmsim_shutdown(m);
}

/* Random orders 0..3, each block's bytes checked, the checkers after every step. */
static void test_stress(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1 debug_pagealloc=on");
	struct { struct page *page; unsigned int order; unsigned char tag; } held[64];
	unsigned int seed = 12345;
	int nr = 0, bad = 0;

	for (int step = 0; step < 600; step++) {
		seed = seed * 1103515245u + 12345u;
		if (nr < 64 && (nr == 0 || (seed >> 16) % 3)) {
			unsigned int order = (seed >> 8) % 4;
			struct page *page = alloc_pages(GFP_KERNEL, order);

			if (page) {
				memset(page_address(page), step & 0xff, PAGE_SIZE << order);
				held[nr].page = page;
				held[nr].order = order;
				held[nr].tag = (unsigned char)step;
				nr++;
			}
		} else {
			int i = (int)((seed >> 4) % (unsigned int)nr);
			unsigned char *b = page_address(held[i].page);

			bad += b[0] != held[i].tag || b[(PAGE_SIZE << held[i].order) - 1] != held[i].tag;
			__free_pages(held[i].page, held[i].order);
			KT_ASSERT(prot_is(b, "---"));
			held[i] = held[--nr];
		}
		if (!mm_allocator_is_valid() || !debug_pagealloc_is_valid(m)) {
			KT_ASSERT(!"checkers");
			break;
		}
	}
	KT_EQ(bad, 0);
	while (nr)
		__free_pages(held[nr - 1].page, held[nr - 1].order), nr--;
	drain_all_pages(NULL);
	KT_ASSERT(mm_allocator_is_valid());
	KT_ASSERT(debug_pagealloc_is_valid(m));
	mmsim_shutdown(m);
}

/* Write @val at @off of a free page, then allocate until the page comes back. */
static char *poison_case(struct mmsim *m, size_t off, const unsigned char *val, size_t n)
{
	struct page *page = alloc_page(GFP_KERNEL), *again;
	unsigned char *p = page_address(page);
	size_t mark;

	__free_page(page);
	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (p[i] != PAGE_POISON) {
			KT_ASSERT(!"poisoned at free");
			break;
		}
	memcpy(p + off, val, n);	/* the write after free */
	mark = log_mark(m);
	again = alloc_page(GFP_KERNEL);	/* the per-CPU list gives it back first */
	KT_ASSERT(again == page);
	__free_page(again);
	return log_since(m, &mark);
}

static void test_page_poison(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1 page_poison=on init_on_free=1");
	const unsigned char one = 0xab, two[3] = { 0x00, 0xaa, 0x01 };
	char want[160], *log, *boot;

	boot = log_since(m, &(size_t){ 0 });
	KT_STR_CONTAINS(boot, "mem auto-init: CONFIG_PAGE_POISONING is on, will take precedence over init_on_alloc and init_on_free\n");
	KT_STR_CONTAINS(boot, "heap free:off");
	free(boot);
	KT_ASSERT(!m->init_on_free && m->page_poisoning);

	log = poison_case(m, 100, &one, 1);
	KT_STR_CONTAINS(log, "pagealloc: single bit error\n");
	snprintf(want, sizeof(want), ": %-47s  %s\n", "ab", ".");
	KT_STR_CONTAINS(log, want);
	KT_STR_CONTAINS(log, "pagealloc: corrupted page details");
	free(log);

	log = poison_case(m, 200, two, 3);
	KT_STR_CONTAINS(log, "pagealloc: memory corruption\n");
	snprintf(want, sizeof(want), ": %-47s  %s\n", "00 aa 01", "...");
	KT_STR_CONTAINS(log, want);
	free(log);

	/* An untouched free page: nothing. */
	log = poison_case(m, 0, (const unsigned char[]){ PAGE_POISON }, 1);
	KT_ASSERT(!strstr(log, "pagealloc:"));
	free(log);
	drain_all_pages(NULL);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

/* Both on: poison, then unmap; map, then check. */
static void test_poison_and_unmap(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1 page_poison=on debug_pagealloc=on");
	char *log;
	size_t mark = log_mark(m);

	for (int i = 0; i < 200; i++) {
		struct page *page = alloc_pages(GFP_KERNEL, (unsigned int)(i % 3));

		KT_ASSERT(page);
		memset(page_address(page), 0x5a, PAGE_SIZE << (i % 3));
		__free_pages(page, (unsigned int)(i % 3));
	}
	log = log_since(m, &mark);
	KT_ASSERT(!strstr(log, "pagealloc:"));
	free(log);
	drain_all_pages(NULL);
	KT_ASSERT(mm_allocator_is_valid());
	KT_ASSERT(debug_pagealloc_is_valid(m));
	mmsim_shutdown(m);
}

#endif

#if !defined(CONFIG_DEBUG_PAGEALLOC) || !defined(CONFIG_PAGE_POISONING)
/* Built without them: the boot words are refused by name, their off values taken. */
static void test_refused(void)
{
	char err[256];

	KT_ASSERT(!mmsim_boot("ram=64M debug_pagealloc=on"));
	snprintf(err, sizeof(err), "%s", mmsim_last_error());
	KT_STR_CONTAINS(err, "'debug_pagealloc=on': built without CONFIG_DEBUG_PAGEALLOC");
	KT_ASSERT(!mmsim_boot("ram=64M page_poison=on"));
	snprintf(err, sizeof(err), "%s", mmsim_last_error());
	KT_STR_CONTAINS(err, "'page_poison=on': built without CONFIG_PAGE_POISONING");
	mmsim_shutdown(boot_or_die("ram=64M debug_pagealloc=off page_poison=off"));
}

int main(void)
{
	KT_RUN(test_refused);
	return kt_done();
}
#else
/*
 * Out of host mappings: freeing every other page makes a protected run
 * per page; past vm.max_map_count / 4 runs the machine warns once, opens
 * every page and goes on without debug_pagealloc.
 */
static void test_out_of_mappings(void)
{
	unsigned long want = arch_max_map_count() / 4 * 2 + 1024, nr = 0;
	struct mmsim *m;
	struct page **pages;
	size_t mark;
	char *log;

	if (want > 60000) {	/* a host with vm.max_map_count raised: 256M is too small */
		printf("skip test_out_of_mappings: vm.max_map_count %lu\n", arch_max_map_count());
		return;
	}
	m = boot_or_die("ram=256M cpus=1 debug_pagealloc=on");
	pages = calloc(want, sizeof(*pages));
	mark = log_mark(m);
	KT_ASSERT(pages);
	if (!pages)
		return;
	while (nr < want && (pages[nr] = alloc_page(GFP_KERNEL)) != NULL)
		nr++;
	KT_ASSERT(nr == want);
	for (unsigned long i = 0; i < nr; i += 2)
		__free_page(pages[i]);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "debug_pagealloc: too many host mappings (vm.max_map_count ");
	KT_STR_CONTAINS(log, "): freed pages are no longer unmapped\n");
	free(log);
	KT_ASSERT(!m->debug_pagealloc);
	KT_ASSERT(prot_is(page_address(pages[0]), "rw-"));
	KT_ASSERT(kernel_page_present(pages[0]));
	for (unsigned long i = 1; i < nr; i += 2)
		__free_page(pages[i]);
	free(pages);
	drain_all_pages(NULL);
	KT_ASSERT(mm_allocator_is_valid());
	KT_ASSERT(debug_pagealloc_is_valid(m));
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_out_of_mappings);
	KT_RUN(test_uaf_read);
	KT_RUN(test_uaf_write);
	KT_RUN(test_users);
	KT_RUN(test_stress);
	KT_RUN(test_page_poison);
	KT_RUN(test_poison_and_unmap);
	return kt_done();
}
#endif
