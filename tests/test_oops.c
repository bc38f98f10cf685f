// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_oops.c - misuse must never corrupt or kill: vfree() unmaps
 * the host view of the area at once (its PTEs clear, the host range
 * PROT_NONE again).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <mmsim/vmalloc.h>
#include <mmsim/slab.h>
#include "mmtest.h"

/* The permissions of the host mapping holding @addr ("rw-s"), or "". */
static void host_prot(const void *addr, char out[5])
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	out[0] = 0;
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi;
		char perm[5];

		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perm) == 3 &&
		    (uintptr_t)addr >= lo && (uintptr_t)addr < hi) {
			memcpy(out, perm, 5);
			break;
		}
	}
	fclose(f);
}

static unsigned long free_pages_now(void)
{
	drain_all_pages(NULL);
	return nr_free_pages();
}

/* vfree of a 16-page area: PTEs clear and the host range PROT_NONE at once. */
static void test_vfree_unmaps_at_once(void)
{
	struct mmsim *m = boot_or_die("ram=256M cpus=2");
	unsigned long free0;
	unsigned char *p;
	struct page *pages[2000];
	char prot[5];
	int n = 0;

	/* The vmalloc page tables stay once made (as in Linux): make them first. */
	vfree(vmalloc(16 * PAGE_SIZE));
	vm_unmap_aliases();
	free0 = free_pages_now();
	p = vmalloc(16 * PAGE_SIZE);
	KT_ASSERT(p);
	memset(p, 0x5a, 16 * PAGE_SIZE);
	host_prot(p, prot);
	KT_ASSERT(prot[0] == 'r' && prot[1] == 'w');
	vfree(p);
	for (int i = 0; i < 16; i++) {
		KT_ASSERT(!vmalloc_to_page(p + i * PAGE_SIZE));
		host_prot(p + i * PAGE_SIZE, prot);
		KT_ASSERT(!strcmp(prot, "---p"));
	}
	/* The freed pages go to new owners; the old range still reaches none. */
	for (n = 0; n < 2000; n++) {
		pages[n] = alloc_page(GFP_KERNEL);
		if (!pages[n])
			break;
		memset(page_address(pages[n]), 0x11, PAGE_SIZE);
	}
	KT_EQ(n, 2000);
	host_prot(p, prot);
	KT_ASSERT(!strcmp(prot, "---p"));
	for (int i = 0; i < n; i++) {
		const unsigned char *b = page_address(pages[i]);

		KT_ASSERT(b[0] == 0x11 && b[PAGE_SIZE - 1] == 0x11);
		__free_page(pages[i]);
	}
	KT_ASSERT(vmap_area_is_valid());
	vm_unmap_aliases();
	KT_EQ(free_pages_now(), free0);
	mmsim_shutdown(m);
}

/* vunmap and vm_unmap_ram give the host range back at once too. */
static void test_vunmap_unmaps_at_once(void)
{
	struct mmsim *m = boot_or_die("ram=256M cpus=2");
	struct page *pages[4];
	unsigned char *v, *r;
	char prot[5];

	for (int i = 0; i < 4; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	v = vmap(pages, 4, VM_MAP, PAGE_KERNEL);
	r = vm_map_ram(pages, 4, NUMA_NO_NODE);
	KT_ASSERT(v && r);
	v[0] = 1;
	KT_EQ(r[0], 1);
	vunmap(v);
	vm_unmap_ram(r, 4);
	KT_ASSERT(!vmalloc_to_page(v) && !vmalloc_to_page(r));
	host_prot(v, prot);
	KT_ASSERT(!strcmp(prot, "---p"));
	host_prot(r + 3 * PAGE_SIZE, prot);
	KT_ASSERT(!strcmp(prot, "---p"));
	KT_EQ(((unsigned char *)page_address(pages[0]))[0], 1);
	for (int i = 0; i < 4; i++)
		__free_page(pages[i]);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_vfree_unmaps_at_once);
	KT_RUN(test_vunmap_unmaps_at_once);
	return kt_done();
}
