// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_vmalloc.c - mm/vmalloc.c: placement (lowest fit, guard page,
 * alignment), real host mappings (bytes written through the vmalloc
 * address read back through page_address/kmap of each page), lazy free
 * and purge, vfree misuse, vmap, vm_map_ram, /proc/vmallocinfo and
 * meminfo, vmalloc on memory too fragmented for kmalloc, the tree
 * invariants under a random workload, and the test_vmalloc smoke preset.
 * The host side: an area is a few host mappings (its pages come in large
 * orders); a freed area keeps its host mapping until the purge, which
 * gives the range back with one host call per run of lazy areas (free
 * gaps between them included, busy areas never), after which the range
 * is PROT_NONE and is reused with the right bytes.
 */
#include <mmsim/vmalloc.h>
#include <mmsim/highmem.h>
#include <mmsim/slab.h>
#include "mmtest.h"

static char *cat(struct mmsim *m, const char *path)
{
	char *t = mmsim_read(m, path);

	return t ? t : strdup("");
}

/* The bytes of every page of @p (nr pages) read through a kernel alias. */
static bool pages_match(const unsigned char *p, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++) {
		struct page *page = vmalloc_to_page(p + i * PAGE_SIZE);
		unsigned char *k;
		bool same;

		if (!page)
			return false;
		k = kmap_local_page(page);
		same = !memcmp(k, p + i * PAGE_SIZE, PAGE_SIZE);
		kunmap_local(k);
		if (!same)
			return false;
	}
	return true;
}

static void check_aliasing(const char *spec)
{
	struct mmsim *m = boot_or_die(spec);
	unsigned char *p = vmalloc(5 * PAGE_SIZE + 100);

	KT_ASSERT(p);
	KT_ASSERT(is_vmalloc_addr(p));
	KT_ASSERT(!is_vmalloc_addr(&p));
	for (unsigned long i = 0; i < 6 * PAGE_SIZE; i++)
		p[i] = (unsigned char)(i * 7 + 3);
	KT_ASSERT(pages_match(p, 6));
	/* Through the direct map the other way round (lowmem pages). */
	if (!PageHighMem(vmalloc_to_page(p))) {
		unsigned char *k = page_address(vmalloc_to_page(p + PAGE_SIZE));

		k[10] = 0xab;
		KT_EQ(p[PAGE_SIZE + 10], 0xab);
	}
	KT_EQ(vmalloc_to_pfn(p), page_to_pfn(vmalloc_to_page(p)));
	KT_ASSERT(vmap_area_is_valid());
	vfree(p);
	KT_ASSERT(vmap_area_is_valid());
	mmsim_shutdown(m);
}

static void test_alias_x86_64(void)
{
	check_aliasing("ram=256M");
}

static void test_alias_i386_highmem(void)
{
	check_aliasing("ram=2G arch=i386");
}

static void test_alias_arm64_64k(void)
{
	check_aliasing("ram=512M arch=arm64 page_size=64K");
}

static void test_placement(void)
{
	struct mmsim *m = boot_or_die("ram=256M");
	char *a = vmalloc(PAGE_SIZE), *b = vmalloc(3 * PAGE_SIZE), *c;
	struct vm_struct *vm;

	/* Lowest fit, each area followed by its guard page. */
	KT_ASSERT(b == a + 2 * PAGE_SIZE);
	vm = find_vm_area(b);
	KT_ASSERT(vm && vm->size == 4 * PAGE_SIZE && vm->nr_pages == 3);
	KT_EQ(get_vm_area_size(vm), 3 * PAGE_SIZE);
	c = __vmalloc_node(PAGE_SIZE, 1UL << 20, GFP_KERNEL, NUMA_NO_NODE, __VM_CALLER);
	KT_ASSERT(c && ((uintptr_t)(c - (char *)current_layout->vmalloc_host) & ((1UL << 20) - 1)) == 0);
	KT_ASSERT(vmap_area_is_valid());
	vfree(a);
	vfree(b);
	vfree(c);
	/* Freed lazily: the range is not reused before a purge. */
	a = vmalloc(PAGE_SIZE);
	KT_ASSERT(a && a != b);
	vfree(a);
	vm_unmap_aliases();
	a = vmalloc(PAGE_SIZE);
	KT_ASSERT(a == (char *)current_layout->vmalloc_host);
	vfree(a);
	KT_ASSERT(vmap_area_is_valid());
	mmsim_shutdown(m);
}

static void test_zero_and_misuse(void)
{
	struct mmsim *m = boot_or_die("ram=256M");
	size_t mark = log_mark(m);
	unsigned char *p = vzalloc(3 * PAGE_SIZE);
	int nonzero = 0;
	char *log;

	for (unsigned long i = 0; i < 3 * PAGE_SIZE; i++)
		nonzero += p[i] != 0;
	KT_EQ(nonzero, 0);
	vfree(NULL);
	vfree(p + PAGE_SIZE * 100);
	vfree(p);
	vfree(p);	/* double free */
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "Trying to vfree() nonexistent vm area");
	free(log);
	KT_ASSERT(vmalloc(0) == NULL);
	KT_ASSERT(vmap_area_is_valid());
	mmsim_shutdown(m);
}

static void test_vmallocinfo_meminfo(void)
{
	struct mmsim *m = boot_or_die("ram=256M");
	char *p = vmalloc(3 * PAGE_SIZE), *u = vmalloc_user(PAGE_SIZE), *text;
	char line[256];

	text = cat(m, "/proc/vmallocinfo");
	snprintf(line, sizeof(line), "0x%016lx-0x%016lx   16384 test_vmallocinfo_meminfo+0x0/0x0 pages=3 vmalloc N0=3\n",
		 current_layout->vmalloc_start, current_layout->vmalloc_start + 16384);
	KT_STR_CONTAINS(text, line);
	KT_STR_CONTAINS(text, "pages=1 vmalloc user N0=1");
	free(text);
	text = cat(m, "/proc/meminfo");
	KT_STR_CONTAINS(text, "VmallocUsed:          16 kB");
	free(text);
	vfree(p);
	text = cat(m, "/proc/vmallocinfo");
	KT_STR_CONTAINS(text, "   16384 unpurged vm_area");
	free(text);
	vm_unmap_aliases();
	text = cat(m, "/proc/vmallocinfo");
	KT_ASSERT(!strstr(text, "unpurged"));
	free(text);
	vfree(u);
	mmsim_shutdown(m);
}

static void test_vmap_and_map_ram(void)
{
	struct mmsim *m = boot_or_die("ram=2G arch=i386");
	struct page *pages[100];
	unsigned char *v, *r, *big;
	char *text;

	for (int i = 0; i < 100; i++) {
		pages[i] = alloc_page(GFP_HIGHUSER);
		KT_ASSERT(pages[i]);
	}
	v = vmap(pages, 4, VM_MAP, PAGE_KERNEL);
	KT_ASSERT(v);
	memset(v, 0x5a, 4 * PAGE_SIZE);
	r = vm_map_ram(pages, 4, NUMA_NO_NODE);
	KT_ASSERT(r && r != v);
	KT_EQ(r[3 * PAGE_SIZE + 17], 0x5a);
	r[5] = 0x11;
	KT_EQ(v[5], 0x11);
	big = vm_map_ram(pages, 100, NUMA_NO_NODE);
	KT_ASSERT(big);
	KT_EQ(big[5], 0x11);
	KT_ASSERT(vmalloc_to_page(big + 99 * PAGE_SIZE) == pages[99]);
	text = cat(m, "/proc/vmallocinfo");
	KT_STR_CONTAINS(text, "test_vmap_and_map_ram+0x0/0x0 vmap\n");
	KT_STR_CONTAINS(text, "vm_map_ram\n");
	free(text);
	vm_unmap_ram(r, 4);
	vm_unmap_ram(big, 100);
	vunmap(v);
	KT_ASSERT(vmap_area_is_valid());
	/* Many small ones: blocks fill and are freed. */
	for (int i = 0; i < 2000; i++) {
		r = vm_map_ram(pages, 1 + i % 8, NUMA_NO_NODE);
		KT_ASSERT(r);
		r[0] = (unsigned char)i;
		vm_unmap_ram(r, 1 + i % 8);
	}
	KT_ASSERT(vmap_area_is_valid());
	for (int i = 0; i < 100; i++)
		__free_page(pages[i]);
	mmsim_shutdown(m);
}

/* vmalloc needs no contiguous memory: it works when no order-1 block is left. */
static void test_fragmented(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=1");
	struct page **all = calloc(1 << 15, sizeof(*all)), *big[256];
	unsigned int nr = 0, nr_big = 0;
	char *p;

	/* Everything, the reserves below the watermarks included. */
	while (nr < (1 << 15) && (all[nr] = alloc_page(GFP_ATOMIC | __GFP_MEMALLOC | __GFP_NOWARN)))
		nr++;
	/* Free every page whose buddy stays allocated. */
	for (unsigned int i = 0; i < nr; i++)
		if (page_to_pfn(all[i]) & 1) {
			__free_page(all[i]);
			all[i] = NULL;
		}
	drain_all_pages(NULL);
	/* Blocks others freed meanwhile (boot-time slabs): take them too. */
	while (nr_big < 256 && (big[nr_big] = alloc_pages(GFP_ATOMIC | __GFP_MEMALLOC | __GFP_NOWARN, 1)))
		nr_big++;
	KT_ASSERT(nr_big < 256);
	KT_ASSERT(alloc_pages(GFP_KERNEL | __GFP_NOWARN, 1) == NULL);
	p = vmalloc(64 * PAGE_SIZE);
	KT_ASSERT(p);
	if (p) {
		memset(p, 1, 64 * PAGE_SIZE);
		KT_ASSERT(pages_match((unsigned char *)p, 64));
	}
	vfree(p);
	for (unsigned int i = 0; i < nr; i++)
		if (all[i])
			__free_page(all[i]);
	for (unsigned int i = 0; i < nr_big; i++)
		__free_pages(big[i], 1);
	free(all);
	mmsim_shutdown(m);
}

static void test_exhaust_i386(void)
{
	struct mmsim *m = boot_or_die("ram=2G arch=i386");
	size_t mark = log_mark(m);
	void *areas[256];
	int n = 0;
	char *log;

	/* 1M areas (no pages) until the ~120M space is full. */
	while (n < 256) {
		struct vm_struct *vm = get_vm_area(SZ_1M, VM_IOREMAP);

		if (!vm)
			break;
		areas[n++] = vm;
	}
	KT_ASSERT(n > 50 && n < 256);
	KT_ASSERT(vmap_area_is_valid());
	log = log_since(m, &mark);
	free(log);
	for (int i = 0; i < n; i++)
		free_vm_area(areas[i]);
	vm_unmap_aliases();
	KT_ASSERT(vmap_area_is_valid());
	mmsim_shutdown(m);
}

/* A 100-page area on a fresh machine: 64 + 32 + 4 pages, one host mapping each at most. */
static void test_large_orders(void)
{
	struct mmsim *m = boot_or_die("ram=256M cpus=1");
	struct vmalloc_stats st0, st;
	unsigned char *p;

	vmalloc_get_stats(&st0);
	p = vmalloc(100 * PAGE_SIZE);
	KT_ASSERT(p);
	vmalloc_get_stats(&st);
	KT_ASSERT(st.nr_host_maps - st0.nr_host_maps <= 3);
	/* Split pages: each is an order-0 page of its own, freed one by one. */
	KT_EQ(page_count(vmalloc_to_page(p + 70 * PAGE_SIZE)), 1);
	memset(p, 0x42, 100 * PAGE_SIZE);
	KT_ASSERT(pages_match(p, 100));
	vfree(p);
	KT_ASSERT(vmap_area_is_valid());
	mmsim_shutdown(m);
}

/*
 * Lazy host unmap: a freed area's host mapping stays until the purge (its
 * PTEs go at once); the purge makes it PROT_NONE with one host call per
 * run of lazy areas, free gaps taken in, busy areas left alone; the range
 * is then reused, mapped again, with the new area's bytes.
 */
static void test_lazy_host_unmap(void)
{
	struct mmsim *m = boot_or_die("ram=256M cpus=1");
	struct vmalloc_stats st0, st;
	unsigned char *a, *b, *c, *g[4], *again;
	char prot[5];

	/* The vmalloc page tables stay once made: make them first. */
	vfree(vmalloc(PAGE_SIZE));
	vm_unmap_aliases();
	a = vmalloc(PAGE_SIZE);
	b = vmalloc(PAGE_SIZE);
	c = vmalloc(PAGE_SIZE);
	KT_ASSERT(a && b == a + 2 * PAGE_SIZE && c == b + 2 * PAGE_SIZE);
	memset(b, 0xbb, PAGE_SIZE);
	vmalloc_get_stats(&st0);
	vfree(a);
	vfree(c);
	KT_ASSERT(!vmalloc_to_page(a) && !vmalloc_to_page(c));
	host_prot(a, prot);
	KT_ASSERT(prot[0] == 'r');	/* stale until the purge, like a TLB entry */
	vmalloc_get_stats(&st);
	KT_EQ(st.nr_host_unmaps, st0.nr_host_unmaps);
	KT_EQ(st.nr_lazy, 2);
	vm_unmap_aliases();
	vmalloc_get_stats(&st);
	/* a and c are two runs: b, busy, lies between them. */
	KT_EQ(st.nr_host_unmaps, st0.nr_host_unmaps + 2);
	/* No access; the purge keeps the host VMAs (mprotect), shared mappings of RAM. */
	host_prot(a, prot);
	KT_ASSERT(!strcmp(prot, "---s"));
	host_prot(c, prot);
	KT_ASSERT(!strcmp(prot, "---s"));
	host_prot(b, prot);
	KT_ASSERT(prot[0] == 'r' && prot[1] == 'w');
	KT_EQ(b[0], 0xbb);
	KT_EQ(b[PAGE_SIZE - 1], 0xbb);
	/* Reuse: a's range again, mapped, with the new bytes. */
	again = vmalloc(PAGE_SIZE);
	KT_ASSERT(again == a);
	memset(again, 0x5e, PAGE_SIZE);
	KT_ASSERT(pages_match(again, 1));
	vfree(again);
	vfree(b);
	vm_unmap_aliases();
	KT_ASSERT(vmap_area_is_valid());
	/* Aligned areas with free gaps between them: one host call for all. */
	for (int i = 0; i < 4; i++) {
		g[i] = __vmalloc_node(PAGE_SIZE, 16 * PAGE_SIZE, GFP_KERNEL, NUMA_NO_NODE,
				      __VM_CALLER);
		KT_ASSERT(g[i]);
		g[i][0] = (unsigned char)i;
	}
	KT_ASSERT(g[1] == g[0] + 16 * PAGE_SIZE);
	vmalloc_get_stats(&st0);
	for (int i = 0; i < 4; i++)
		vfree(g[i]);
	vm_unmap_aliases();
	vmalloc_get_stats(&st);
	KT_EQ(st.nr_host_unmaps, st0.nr_host_unmaps + 1);
	for (int i = 0; i < 4; i++) {
		host_prot(g[i], prot);
		KT_ASSERT(!strncmp(prot, "---", 3));
	}
	KT_EQ(st.nr_lazy, 0);
	KT_EQ(st.lazy_pages, 0);
	KT_EQ(st.nr_free, 1);
	KT_ASSERT(vmap_area_is_valid());
	mmsim_shutdown(m);
}

/* The host VMAs in the vmalloc window, as /proc/self/maps lists them. */
static unsigned long vmalloc_host_vmas(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];
	unsigned long lo, n = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%lx-", &lo) == 1 && is_vmalloc_addr((void *)lo))
			n++;
	fclose(f);
	return n;
}

/*
 * Purged ranges keep their host VMAs (a later area at the same place
 * replaces one), but only over a span of a quarter of vm.max_map_count
 * pages: beyond it a purge collapses them back into the anonymous
 * reservation, so kept VMAs never crowd out the host's limit.
 */
static void test_kept_vmas_bounded(void)
{
	FILE *f = fopen("/proc/sys/vm/max_map_count", "r");
	unsigned long max = 0, n, vmas0, vmas;
	struct mmsim *m;
	unsigned char **p;
	char prot[5];

	if (f) {
		if (fscanf(f, "%lu", &max) != 1)
			max = 0;
		fclose(f);
	}
	if (!max || max > 262144) {
		printf("# skipped: vm.max_map_count %lu\n", max);
		return;
	}
	m = boot_or_die("ram=512M cpus=1");
	/* One-page areas with a guard page: 2 pages each, a span over max / 4 pages. */
	n = max / 8 + 512;
	p = malloc(n * sizeof(*p));
	KT_ASSERT(p);
	vfree(vmalloc(PAGE_SIZE));
	vm_unmap_aliases();
	vmas0 = vmalloc_host_vmas();
	for (unsigned long i = 0; i < n; i++) {
		p[i] = vmalloc(PAGE_SIZE);
		KT_ASSERT(p[i]);
		p[i][0] = 1;
	}
	KT_ASSERT(vmalloc_host_vmas() >= vmas0 + n);
	for (unsigned long i = 0; i < n; i++)
		vfree(p[i]);
	vm_unmap_aliases();
	vmas = vmalloc_host_vmas();
	KT_ASSERT(vmas <= vmas0 + max / 4);
	/* The first areas' span was collapsed: the anonymous reservation again. */
	host_prot(p[0], prot);
	KT_ASSERT(!strcmp(prot, "---p"));
	/* The last ones, purged since, in a small span: their VMAs are kept. */
	host_prot(p[n - 1], prot);
	KT_ASSERT(!strcmp(prot, "---s"));
	KT_ASSERT(vmap_area_is_valid());
	free(p);
	mmsim_shutdown(m);
}

static uint64_t rng = 88172645463325252ULL;
static unsigned int rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned int)rng;
}

static void test_random_invariants(void)
{
	struct mmsim *m = boot_or_die("ram=512M");
	char *slot[64] = { NULL };
	struct vmalloc_stats st;

	for (int step = 0; step < 4000; step++) {
		int i = (int)(rnd() % 64);

		if (slot[i]) {
			KT_EQ(slot[i][0], (char)i);
			vfree(slot[i]);
			slot[i] = NULL;
		} else {
			unsigned long align = 1UL << (rnd() % 20);

			slot[i] = __vmalloc_node((1 + rnd() % 16) * PAGE_SIZE, align, GFP_KERNEL,
						 NUMA_NO_NODE, __VM_CALLER);
			KT_ASSERT(slot[i]);
			if (slot[i])
				slot[i][0] = (char)i;
		}
		if (step % 500 == 0)
			KT_ASSERT(vmap_area_is_valid());
	}
	for (int i = 0; i < 64; i++)
		vfree(slot[i]);
	KT_ASSERT(vmap_area_is_valid());
	vmalloc_get_stats(&st);
	KT_EQ(st.nr_busy, 0);
	KT_EQ(st.vmalloc_pages, 0);
	vm_unmap_aliases();
	vmalloc_get_stats(&st);
	KT_EQ(st.nr_free, 1);
	KT_EQ(st.nr_lazy, 0);
	KT_ASSERT(st.nr_purges > 0);
	mmsim_shutdown(m);
}

static void test_smoke_preset(void)
{
	struct mmsim *m = boot_or_die("ram=1G cpus=1");
	struct test_vmalloc_params p;
	char err[128];
	size_t mark = log_mark(m);
	char *log;

	test_vmalloc_default_params(&p);
	KT_EQ(test_vmalloc_parse(&p, "smoke", err, sizeof(err)), 0);
	KT_EQ(test_vmalloc_parse(&p, "bogus=1", err, sizeof(err)), -EINVAL);
	KT_EQ(test_vmalloc_run(m, &p), 0);
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "Summary: fix_size_alloc_test passed: 10 failed: 0 repeat: 10 loops: 10000 avg: ");
	KT_STR_CONTAINS(log, "Summary: align_shift_alloc_test passed: 0 failed: 10 repeat: 10 loops: 10000");
	KT_STR_CONTAINS(log, "Summary: vm_map_ram_test passed: 10 failed: 0");
	KT_STR_CONTAINS(log, "All test took worker0=");
	free(log);
	KT_ASSERT(vmap_area_is_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_alias_x86_64);
	KT_RUN(test_alias_i386_highmem);
	KT_RUN(test_alias_arm64_64k);
	KT_RUN(test_placement);
	KT_RUN(test_zero_and_misuse);
	KT_RUN(test_vmallocinfo_meminfo);
	KT_RUN(test_vmap_and_map_ram);
	KT_RUN(test_fragmented);
	KT_RUN(test_exhaust_i386);
	KT_RUN(test_large_orders);
	KT_RUN(test_lazy_host_unmap);
	KT_RUN(test_kept_vmas_bounded);
	KT_RUN(test_random_invariants);
	KT_RUN(test_smoke_preset);
	return kt_done();
}
