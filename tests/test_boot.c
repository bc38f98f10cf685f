// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_boot.c - the machine: every arch and granule boots with the
 * right constants and zones, the memmap and direct map are real and agree,
 * bad specs fail with a message naming the word, machines coexist in one
 * process, CPUs are entered and left, and hundreds of boots leak nothing.
 */
#include <dirent.h>
#include <pthread.h>
#include "mmtest.h"
#include "arch/pgtable.h"

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	while (d && readdir(d))
		n++;
	if (d)
		closedir(d);
	return n;
}

static int count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0, c;

	while (f && (c = fgetc(f)) != EOF)
		n += c == '\n';
	if (f)
		fclose(f);
	return n;
}

/* Walk every pfn of the machine: struct page <-> pfn <-> address agree. */
static void check_memmap(void)
{
	const struct mm_layout *l = current_layout;
	unsigned long checked = 0;

	for (unsigned long pfn = l->min_low_pfn; pfn < l->max_pfn; pfn++) {
		struct page *page;

		if (!pfn_valid(pfn))
			continue;
		page = pfn_to_page(pfn);
		if (page_to_pfn(page) != pfn) {
			KT_EQ(page_to_pfn(page), pfn);
			return;
		}
		if (page_zone(page)->zone_start_pfn > pfn && !PageReserved(page)) {
			KT_ASSERT(!"page outside its zone");
			return;
		}
		if (!PageHighMem(page) && !PageReserved(page)) {
			void *va = page_address(page);

			if (virt_to_page(va) != page) {
				KT_ASSERT(virt_to_page(va) == page);
				return;
			}
		}
		checked++;
	}
	KT_ASSERT(checked > 0);
}

static void boot_arch(const char *spec, unsigned long page_size, unsigned int max_order,
		      unsigned int pb_order, int expect_zones)
{
	struct mmsim *m = boot_or_die(spec);
	struct page *p;
	int populated = 0;
	struct zone *zone;

	KT_EQ(PAGE_SIZE, page_size);
	KT_EQ(MAX_PAGE_ORDER, max_order);
	KT_EQ(pageblock_order, pb_order);
	for_each_populated_zone(zone)
		populated |= 1 << zone_idx(zone);
	KT_EQ(populated, expect_zones);
	check_memmap();
	p = alloc_pages(GFP_KERNEL, MAX_PAGE_ORDER);
	KT_ASSERT(p != NULL);
	memset(page_address(p), 0x42, PAGE_SIZE << MAX_PAGE_ORDER);	/* real memory */
	__free_pages(p, MAX_PAGE_ORDER);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(m);
}

static void test_arches(void)
{
	int dma = 1 << ZONE_DMA, dma32 = 1 << ZONE_DMA32, normal = 1 << ZONE_NORMAL;
	int high = 1 << ZONE_HIGHMEM;

	boot_arch("ram=1G", 4096, 10, 9, dma | dma32);
	boot_arch("ram=5G", 4096, 10, 9, dma | dma32 | normal);
	boot_arch("arch=x86_64-la57 ram=512M", 4096, 10, 9, dma | dma32);
	boot_arch("arch=i386 ram=512M", 4096, 10, 10, dma | normal);
	boot_arch("arch=i386 ram=2G", 4096, 10, 10, dma | normal | high);
	boot_arch("arch=i386-pae ram=6G", 4096, 10, 9, dma | normal | high);
	boot_arch("arch=arm64 ram=1G", 4096, 10, 9, dma);
	boot_arch("arch=arm64 page_size=16K ram=1G", 16384, 11, 11, dma);
	boot_arch("arch=arm64 page_size=64K ram=5G", 65536, 13, 13, dma | normal);
}

static void test_boot_log(void)
{
	struct mmsim *m = boot_or_die("ram=1G cpus=2");
	size_t mark = 0;
	char *log = log_since(m, &mark);

	KT_STR_CONTAINS(log, "[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\n");
	KT_STR_CONTAINS(log, "] Zone ranges:\n");
	KT_STR_CONTAINS(log, "]   DMA      [mem 0x0000000000001000-0x0000000000ffffff]\n");
	KT_STR_CONTAINS(log, "]   DMA32    [mem 0x0000000001000000-0x000000003fffffff]\n");
	KT_STR_CONTAINS(log, "]   Normal   empty\n");
	KT_STR_CONTAINS(log, "] Movable zone start for each node\n");
	KT_STR_CONTAINS(log, "] Early memory node ranges\n");
	KT_STR_CONTAINS(log, "]   node   0: [mem 0x0000000000001000-0x000000000009efff]\n");
	KT_STR_CONTAINS(log, "] On node 0, zone DMA: 1 pages in unavailable ranges\n");
	KT_STR_CONTAINS(log, "]   DMA32 zone: 254016 pages, LIFO batch:63\n");
	KT_STR_CONTAINS(log, "] Built 1 zonelists, mobility grouping on.  Total pages: ");
	KT_STR_CONTAINS(log, "] Memory: ");
	KT_STR_CONTAINS(log, "K available (2048K kernel code, 512K rwdata, 1024K rodata, 512K init, 512K bss, ");
	free(log);
	mmsim_shutdown(m);
	m = boot_or_die("arch=i386 ram=2G");
	mark = 0;
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "MB HIGHMEM available.");
	KT_STR_CONTAINS(log, "]   HighMem  [mem 0x00000000373fe000-0x000000007fffffff]\n");
	KT_STR_CONTAINS(log, "K highmem)\n");
	free(log);
	mmsim_shutdown(m);
}

static void expect_boot_error(const char *spec, const char *needle)
{
	struct mmsim *m = mmsim_boot(spec);

	KT_ASSERT(m == NULL);
	if (m)
		mmsim_shutdown(m);
	KT_STR_CONTAINS(mmsim_last_error(), needle);
}

/* ram=64G: a sparse memfd, 1 GiB of memmap written at boot; it fits a small host. */
static void test_boot_64g(void)
{
	struct mmsim *m = mmsim_boot("ram=64G cpus=1");

	KT_ASSERT(m != NULL);
	if (!m) {
		fprintf(stderr, "%s\n", mmsim_last_error());
		return;
	}
	KT_ASSERT(totalram_pages() > (62UL << 30) / PAGE_SIZE);
	mmsim_shutdown(m);
}

/* Words that only switch a later feature off boot (DESIGN §2). */
static void test_later_features_off(void)
{
	struct mmsim *m = mmsim_boot("ram=256M transparent_hugepage=never kasan=off kmemleak=off "
				     "kfence.sample_interval=0 hugepages=0");

	KT_ASSERT(m != NULL);
	if (!m) {
		fprintf(stderr, "%s\n", mmsim_last_error());
		return;
	}
	mmsim_shutdown(m);
}

static void test_bad_specs(void)
{
	expect_boot_error("ram=1G bogus=1", "'bogus=1': unknown boot parameter");
	expect_boot_error("ram=12Q", "'ram=12Q': invalid size");
	/* Too large for the arch, or for the host: one line naming the sizes. */
	expect_boot_error("ram=0xffffffffffffffff", "'ram=18446744073709551615': too large: "
			  "the physical address space of x86_64 is 64T (MAX_PHYSMEM_BITS 46)");
	expect_boot_error("ram=16E", "'ram=16E': too large");
	expect_boot_error("ram=64T", "'ram=64T': too large: the physical address space of x86_64");
	expect_boot_error("arch=arm64 ram=256T", "'ram=256T': too large: the physical address space of arm64 is 256T");
	expect_boot_error("arch=i386-pae ram=65G", "'ram=65G': too large: i386-pae addresses at most 64G");
	expect_boot_error("arch=x86_64-la57 ram=1P",
			  "'ram=1P': the memmap alone needs 16777216 MiB of host memory, the host has ");
	expect_boot_error("cpus=0", "'cpus=0'");
	expect_boot_error("cpus=99999", "'cpus=99999'");
	expect_boot_error("nodes=65", "'nodes=65'");
	expect_boot_error("arch=sparc", "'arch=sparc': unknown arch");
	expect_boot_error("page_size=16K", "only arm64");
	expect_boot_error("arch=arm64 page_size=8K", "'page_size=8K'");
	expect_boot_error("arch=i386 ram=4G", "i386 without PAE");
	expect_boot_error("ram=16M", "at least 32M");
	expect_boot_error("numa=on", "'numa=on': only numa=off is supported");
	expect_boot_error("memblock=trace", "'memblock=trace': only memblock=debug is supported");
	expect_boot_error("loglevel=16", "'loglevel=16': loglevel must be 0..15");
	expect_boot_error("panic_on_warn=2", "'panic_on_warn=2': expected 0 or 1");
	expect_boot_error("slab_nomerge=1", "'slab_nomerge=1': unknown boot parameter");
	expect_boot_error("failslab", "'failslab': unknown boot parameter");
	expect_boot_error("nopcid arch=arm64", "'nopcid': only x86_64 has PCIDs");
	expect_boot_error("kernelcore=150%", "'kernelcore=150%'");
	expect_boot_error("swap=1G@99999", "'swap=1G@99999': invalid priority");
	expect_boot_error("transparent_hugepage=sometimes",
			  "'transparent_hugepage=sometimes': transparent_hugepage= takes always, madvise or never");
#ifdef CONFIG_KASAN
	expect_boot_error("kasan=maybe", "'kasan=maybe': kasan takes on or off");
	expect_boot_error("kasan.fault=oops", "'kasan.fault=oops': kasan.fault takes report, panic or panic_on_write");
#else
	expect_boot_error("kasan=on", "'kasan=on': built without CONFIG_KASAN");
#endif
	expect_boot_error("fail_page_alloc=1,2", "'fail_page_alloc=1,2'");
	expect_boot_error("ram=128M nodes=16", "'nodes=16'");
	/* The message names the limit that binds: 16M, or one MAX_ORDER block. */
	expect_boot_error("arch=arm64 ram=32M nodes=4",
			  "'nodes=4': each node needs at least 16M of RAM, and would have 8M");
	expect_boot_error("arch=arm64 page_size=64K nodes=2 ram=64M",
			  "'nodes=2': each node must hold at least one MAX_ORDER block of 512M "
			  "(64K pages), and would have 32M");
	expect_boot_error("arch=arm64 page_size=16K nodes=2 ram=48M",
			  "'nodes=2': each node must hold at least one MAX_ORDER block of 32M "
			  "(16K pages), and would have 24M");
	expect_boot_error("threaded=1", "'threaded=1'");
	/* A good spec after a bad one boots, and the error is cleared. */
	struct mmsim *m = boot_or_die("ram=64M");

	KT_EQ(mmsim_last_error()[0], 0);
	mmsim_shutdown(m);
}

static void test_mem_and_movable(void)
{
	struct mmsim *m = boot_or_die("ram=2G mem=1G");
	unsigned long total = totalram_pages() << (PAGE_SHIFT - 10);

	KT_ASSERT(total < 1024 * 1024 && total > 900 * 1024);
	mmsim_shutdown(m);
	m = boot_or_die("ram=2G kernelcore=512M");
	KT_ASSERT(populated_zone(zone_of(0, ZONE_MOVABLE)));
	KT_ASSERT(zone_of(0, ZONE_MOVABLE)->present_pages > 256 * 1024);
	mmsim_shutdown(m);
	m = boot_or_die("ram=2G movablecore=25%");
	KT_ASSERT(populated_zone(zone_of(0, ZONE_MOVABLE)));
	KT_ASSERT(zone_of(0, ZONE_MOVABLE)->present_pages <= 128 * 1024 + 1024);
	mmsim_shutdown(m);
	m = boot_or_die("ram=1G nodes=4 cpus=8 numa=off");
	KT_EQ(num_online_nodes(), 1);
	mmsim_shutdown(m);
	m = boot_or_die("ram=1G nodes=4 cpus=8");
	KT_EQ(num_online_nodes(), 4);
	KT_EQ(cpu_to_node(0), 0);
	KT_EQ(cpu_to_node(7), 3);
	for (int nid = 0; nid < 4; nid++)
		KT_ASSERT(NODE_DATA(nid)->node_present_pages > 60000);
	mmsim_shutdown(m);
}

static void test_memblock_debug_prints(void)
{
	struct mmsim *m = boot_or_die("ram=64M memblock=debug");
	size_t mark = 0;
	char *log = log_since(m, &mark);

	KT_STR_CONTAINS(log, "memblock_reserve: [0x");
	free(log);
	mmsim_shutdown(m);
}

static void test_two_machines(void)
{
	struct mmsim *a = boot_or_die("ram=64M");
	struct mmsim *b = boot_or_die("arch=arm64 page_size=64K ram=128M");
	struct page *pb;

	KT_ASSERT(mmsim_current() == b);
	KT_EQ(PAGE_SIZE, 65536);
	pb = alloc_pages(GFP_KERNEL, 0);
	KT_EQ(mmsim_enter(a, 1), 0);
	KT_EQ(PAGE_SIZE, 4096);
	KT_ASSERT(mmsim_current() == a);
	__free_pages(alloc_pages(GFP_KERNEL, 0), 0);
	KT_EQ(mmsim_enter(b, 0), 0);
	__free_pages(pb, 0);
	KT_ASSERT(mm_allocator_is_valid());
	mmsim_shutdown(a);
	KT_ASSERT(mmsim_current() == b);
	mmsim_shutdown(b);
	KT_ASSERT(mmsim_current() == NULL);
}

static void *try_enter(void *arg)
{
	long r = mmsim_enter(arg, 0);

	if (!r)
		mmsim_leave();
	return (void *)r;
}

static void test_enter_leave(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=2");
	pthread_t t;
	void *r;

	KT_EQ(smp_processor_id(), 0);
	KT_EQ(mmsim_enter(m, 2), -EINVAL);
	KT_EQ(mmsim_enter(m, -1), -EINVAL);
	pthread_create(&t, NULL, try_enter, m);
	pthread_join(t, &r);
	KT_EQ((long)r, -EBUSY);		/* CPU 0 is ours */
	KT_EQ(mmsim_enter(m, 1), 0);
	KT_EQ(smp_processor_id(), 1);
	pthread_create(&t, NULL, try_enter, m);
	pthread_join(t, &r);
	KT_EQ((long)r, 0);		/* CPU 0 is free now */
	mmsim_leave();
	KT_ASSERT(mmsim_current() == NULL);
	mmsim_enter(m, 0);
	mmsim_shutdown(m);
}

static void test_no_leaks_over_many_boots(void)
{
	int fds, maps;
	struct mmsim *m;

	/* Warm up the host allocator (malloc arenas, sanitizer pools) first. */
	for (int i = 0; i < 50; i++) {
		m = boot_or_die(i & 1 ? "ram=64M cpus=4" : "arch=i386 ram=1G");
		__free_pages(alloc_pages(GFP_KERNEL, 1), 1);
		mmsim_shutdown(m);
	}
	fds = count_fds();
	maps = count_maps();
	for (int i = 0; i < 200; i++) {
		m = boot_or_die(i & 1 ? "ram=64M cpus=4" : "arch=i386 ram=1G");
		__free_pages(alloc_pages(GFP_KERNEL, 1), 1);
		mmsim_shutdown(m);
	}
	KT_EQ(count_fds(), fds);
	/*
	 * A leaked window would add a mapping per boot (200 here); the host
	 * allocator (and the sanitizers' pools) may merge or split a few of
	 * their own mappings meanwhile, so allow that much.
	 */
	KT_ASSERT(count_maps() <= maps + 8);
}

/* The TLB geometry words of the spec reach every CPU's TLBs. */
static void test_tlb_geometry_words(void)
{
	struct mmsim *m = boot_or_die("ram=64M cpus=2 tlb_l1d=4x2 tlb_l1i=8x1 tlb_l2=64x8");
	const struct mmu_cpu *c = &m->hw.mmu->cpus[1];

	KT_EQ(c->l1d.arr[0]->set_mask, 3);
	KT_EQ(c->l1d.arr[0]->ways, 2);
	KT_EQ(c->l1i.arr[0]->set_mask, 7);
	KT_EQ(c->l2.arr[0]->set_mask, 63);
	KT_EQ(c->l2.arr[0]->ways, 8);
	mmsim_shutdown(m);
	expect_boot_error("tlb_l2=100x4", "'tlb_l2=100x4': expected SETSxWAYS");
	expect_boot_error("tlb_l1d=4", "'tlb_l1d=4'");
}

static void test_clock(void)
{
	struct mmsim *m = boot_or_die("ram=64M");
	size_t mark = log_mark(m);
	char *log;

	/* Mounting the root file system took the disk's virtual time: from 1 s on. */
	KT_ASSERT(atomic_load(&m->hw.clock_ns) < 1000000000ULL);
	mmsim_advance_clock(m, 1000000000ULL - atomic_load(&m->hw.clock_ns));
	mmsim_advance_clock(m, 500000000ULL);
	pr_info("hello\n");
	log = log_since(m, &mark);
	KT_STR_CONTAINS(log, "[    1.500000] hello\n");
	free(log);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_arches);
	KT_RUN(test_boot_log);
	KT_RUN(test_bad_specs);
	KT_RUN(test_later_features_off);
	KT_RUN(test_boot_64g);
	KT_RUN(test_mem_and_movable);
	KT_RUN(test_memblock_debug_prints);
	KT_RUN(test_two_machines);
	KT_RUN(test_enter_leave);
	KT_RUN(test_no_leaks_over_many_boots);
	KT_RUN(test_clock);
	KT_RUN(test_tlb_geometry_words);
	return kt_done();
}
