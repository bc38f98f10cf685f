// SPDX-License-Identifier: GPL-2.0
/*
 * arch/setup.c - the hardware of each simulated arch: its constants and
 * kernel address layout, its physical memory map (e820 on x86, one bank at
 * 1 GiB on arm64), and the host mappings that make simulated RAM real.
 *
 * Host side: RAM is one memfd of ram= bytes.  Each RAM bank is a run of the
 * memfd at a simulated physical address.  One host address window is
 * reserved PROT_NONE at boot and carved, in this order, into
 *
 *   direct map   low RAM, mapped shared from the memfd (page_address())
 *   vmemmap      the struct page array, mapped from the memblock-allocated
 *                memmap pieces in simulated RAM, so pfn_to_page = vmemmap+pfn
 *   vmalloc      the host face of VMALLOC_START.. (mapped by mm/vmalloc.c)
 *   pkmap        32-bit arches: LAST_PKMAP pages for kmap()
 *   fixmap       FIXADDR_START..FIXADDR_TOP (kmap_atomic slots)
 *
 * Where part of RAM is highmem (32-bit arches) a second mapping of all of
 * RAM, the physport, is what the hardware uses to reach any physical page
 * (the MMU model's memory accesses, clearing highmem pages); the kernel
 * itself reaches highmem only through kmap.
 *
 * with a PROT_NONE guard between parts.  Each kernel window (direct map,
 * vmalloc, pkmap, fixmap) starts at a host address that agrees with its
 * simulated start modulo 1 GiB, so host_to_kva(p) % 1G == p % 1G and every
 * alignment the API promises holds for host pointers too (DESIGN §1.2);
 * the reservation has the slack for that.  Only this file and
 * arch/hostmap.c call mmap.  Layout numbers follow each arch's Linux
 * headers (x86 Documentation/arch/x86/x86_64/mm.rst, asm/pgtable_32_areas.h,
 * arm64 asm/memory.h); where mmsim simplifies, it says so below.
 *
 * Simplifications: the x86 PCI hole is modelled as RAM above 3 GiB moved to
 * 4 GiB; the 64-bit vmalloc window is backed by twice the RAM, at least
 * 4 GiB and at most 64 GiB, of host address space (the simulated VMALLOC
 * range keeps its Linux size; addresses past the window cannot be used).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <mmsim/mm_types.h>
#include "arch/machine.h"

#define HOST_PAGE	4096UL
#define VMALLOC_HOST_MAX (64UL << 30)	/* host window for vmalloc: at most */
#define VMALLOC_HOST_MIN (4UL << 30)	/* and at least (if the arch has that much) */
#define DEVICE_WINDOW_SIZE (16UL << 30)	/* physical room for ZONE_DEVICE ranges (64-bit) */
#define X86_LOW_RAM_TOP	(3UL << 30)	/* RAM above this moves to 4G */

static void set_x86_layout(struct machine_hw *hw)
{
	struct mm_layout *l = &hw->layout;

	l->page_shift = 12;
	l->max_page_order = 10;
	l->phys_offset = 0;
	if (hw->hp.arch == ARCH_X86_64) {
		l->arch_name = "x86_64";
		l->is_64bit = true;
		l->pb_order = 9;
		l->page_offset = 0xffff888000000000UL;
		l->vmalloc_start = 0xffffc90000000000UL;
		l->vmalloc_end = 0xffffe8ffffffffffUL;
		l->fixaddr_top = 0xffffffffff7ff000UL;
		l->fixaddr_start = l->fixaddr_top - 0x400000UL;
	} else if (hw->hp.arch == ARCH_X86_64_LA57) {
		l->arch_name = "x86_64-la57";
		l->is_64bit = true;
		l->pb_order = 9;
		l->page_offset = 0xff11000000000000UL;
		l->vmalloc_start = 0xffa0000000000000UL;
		l->vmalloc_end = 0xffd1ffffffffffffUL;
		l->fixaddr_top = 0xffffffffff7ff000UL;
		l->fixaddr_start = l->fixaddr_top - 0x400000UL;
	} else {
		bool pae = hw->hp.arch == ARCH_I386_PAE;
		unsigned long pmd_size = pae ? SZ_2M : SZ_4M;
		unsigned long cpu_entry = 0xffa00000UL;

		l->arch_name = pae ? "i386-pae" : "i386";
		l->is_64bit = false;
		/* HUGETLB_PAGE_ORDER: 4M pages without PAE, 2M with. */
		l->pb_order = pae ? 9 : 10;
		l->page_offset = 0xc0000000UL;
		l->fixaddr_top = 0xfffff000UL;
		l->fixaddr_start = 0xfff14000UL;
		l->last_pkmap = pae ? 512 : 1024;
		l->pkmap_base = (cpu_entry - HOST_PAGE * (l->last_pkmap + 1)) & ~(pmd_size - 1);
		/* VMALLOC_END = PKMAP_BASE - 2 pages; lowmem ends 128M below it. */
		l->vmalloc_end = l->pkmap_base - 2 * HOST_PAGE;
	}
}

static void set_arm64_layout(struct machine_hw *hw)
{
	struct mm_layout *l = &hw->layout;

	l->arch_name = "arm64";
	l->is_64bit = true;
	l->page_shift = (unsigned int)__ffs64(hw->hp.page_size);
	/* ARCH_FORCE_MAX_ORDER defaults: 4K: 10, 16K: 11, 64K: 13. */
	l->max_page_order = l->page_shift == 12 ? 10 : l->page_shift == 14 ? 11 : 13;
	/* pageblock_order = min(PMD_SHIFT - PAGE_SHIFT, MAX_PAGE_ORDER). */
	l->pb_order = min(l->page_shift - 3, l->max_page_order);
	l->phys_offset = 0x40000000UL;
	l->page_offset = 0xffff000000000000UL;
	l->vmalloc_start = 0xffff800080000000UL;
	l->vmalloc_end = 0xfffffbfff0000000UL;
	l->fixaddr_top = 0xfffffbfffe800000UL;
	l->fixaddr_start = l->fixaddr_top - 0x400000UL;
}

static void add_e820(struct machine_hw *hw, phys_addr_t addr, phys_addr_t size, enum e820_type t)
{
	struct e820_entry *e = &hw->e820[hw->nr_e820++];

	e->addr = addr;
	e->size = size;
	e->type = t;
}

static void add_bank(struct machine_hw *hw, phys_addr_t start, phys_addr_t size, off_t off)
{
	struct ram_bank *b = &hw->banks[hw->nr_banks++];

	b->start = start;
	b->size = size;
	b->memfd_offset = off;
}

/* The BIOS map QEMU gives a PC: low 640K, the BIOS holes, RAM, RAM above 4G. */
static void x86_memory_map(struct machine_hw *hw)
{
	uint64_t ram = hw->hp.ram;
	uint64_t low = min(ram, (uint64_t)X86_LOW_RAM_TOP);

	add_bank(hw, 0, low, 0);
	add_e820(hw, 0, 0x9fc00, E820_TYPE_RAM);
	add_e820(hw, 0x9fc00, 0x400, E820_TYPE_RESERVED);
	add_e820(hw, 0xf0000, 0x10000, E820_TYPE_RESERVED);
	add_e820(hw, 0x100000, low - 0x100000, E820_TYPE_RAM);
	add_e820(hw, 0xfeffc000, 0x4000, E820_TYPE_RESERVED);
	add_e820(hw, 0xfffc0000, 0x40000, E820_TYPE_RESERVED);
	if (ram > low) {
		add_bank(hw, SZ_4G, ram - low, (off_t)low);
		add_e820(hw, SZ_4G, ram - low, E820_TYPE_RAM);
	}
}

/* "2T", "1536M", "5000K" or bytes: @ram in the largest unit that is exact. */
static void format_ram(char *buf, size_t len, uint64_t ram)
{
	static const char units[] = "KMGTPE";
	int u = -1;

	while (u < 5 && ram && !(ram & 1023)) {
		ram >>= 10;
		u++;
	}
	if (u < 0)
		snprintf(buf, len, "%llu", (unsigned long long)ram);
	else
		snprintf(buf, len, "%llu%c", (unsigned long long)ram, units[u]);
}

/*
 * What the arch can address (MAX_PHYSMEM_BITS): x86_64 46 bits (64T),
 * x86_64-la57 52 bits (4P), arm64 48 bits (256T, from PHYS_OFFSET);
 * i386 stops at the 3G PCI hole, i386-pae at 64G.  RAM that moves above
 * the x86 hole or starts at arm64's PHYS_OFFSET must end below the limit.
 */
static int ram_too_large(struct machine_hw *hw, char *err, size_t len)
{
	static const struct {
		const char *name;
		unsigned int bits;
	} lim[] = {
		[ARCH_X86_64] = { "x86_64", 46 },
		[ARCH_X86_64_LA57] = { "x86_64-la57", 52 },
		[ARCH_ARM64] = { "arm64", 48 },
	};
	uint64_t ram = hw->hp.ram, base;
	char word[32];

	format_ram(word, sizeof(word), ram);
	if (hw->hp.arch == ARCH_I386 && ram > X86_LOW_RAM_TOP) {
		snprintf(err, len,
			 "'ram=%s': i386 without PAE reaches only RAM below the 3G PCI hole (use arch=i386-pae)",
			 word);
		return -EINVAL;
	}
	if (hw->hp.arch == ARCH_I386_PAE && ram > (64ULL << 30)) {
		snprintf(err, len, "'ram=%s': too large: i386-pae addresses at most 64G", word);
		return -EINVAL;
	}
	if (hw->hp.arch == ARCH_I386 || hw->hp.arch == ARCH_I386_PAE)
		return 0;
	/* x86: what is above 3G starts at 4G; arm64: RAM starts at 1G. */
	base = SZ_1G;
	if (ram > (1ULL << lim[hw->hp.arch].bits) - base) {
		char max[32];

		format_ram(max, sizeof(max), 1ULL << lim[hw->hp.arch].bits);
		snprintf(err, len,
			 "'ram=%s': too large: the physical address space of %s is %s (MAX_PHYSMEM_BITS %u)",
			 word, lim[hw->hp.arch].name, max, lim[hw->hp.arch].bits);
		return -EINVAL;
	}
	return 0;
}

/*
 * Host memory a machine has to have at boot, whatever the workload: the
 * memfd is sparse, but the boot writes every struct page (the memmap, one
 * per page of RAM, rounded out to MAX_ORDER chunks), the pageblock flags
 * (4 bits a pageblock), and the kernel page tables of the direct map
 * (counted with 2M leaves: one 8-byte entry per 2M, and a table per 1G).
 * The per-CPU page sets and the rest are a few pages; HOST_MARGIN covers
 * them and the process.  What the host has is MemAvailable of
 * /proc/meminfo, or less if the process's memory cgroup allows less.
 */
#define HOST_MARGIN	(256ULL << 20)

/* One number from a cgroup file; false for "max", a missing file or junk. */
static bool read_u64_file(const char *path, uint64_t *out)
{
	FILE *f = fopen(path, "re");
	unsigned long long v;
	bool ok;

	if (!f)
		return false;
	ok = fscanf(f, "%llu", &v) == 1;
	fclose(f);
	if (ok)
		*out = v;
	return ok;
}

/* What the process's memory cgroup still allows (v2, then v1); UINT64_MAX if unlimited. */
static uint64_t cgroup_memory_left(void)
{
	static const char *const files[][2] = {
		{ "/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current" },
		{ "/sys/fs/cgroup/memory/memory.limit_in_bytes",
		  "/sys/fs/cgroup/memory/memory.usage_in_bytes" },
	};
	uint64_t max, cur;

	for (size_t i = 0; i < ARRAY_SIZE(files); i++)
		if (read_u64_file(files[i][0], &max) && read_u64_file(files[i][1], &cur))
			return max > cur ? max - cur : 0;
	return UINT64_MAX;
}

static uint64_t meminfo_available(void)
{
	char line[128];
	unsigned long long kb;
	FILE *f = fopen("/proc/meminfo", "re");
	long avail = sysconf(_SC_AVPHYS_PAGES), size = sysconf(_SC_PAGESIZE);

	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "MemAvailable: %llu kB", &kb) == 1) {
				fclose(f);
				return (uint64_t)kb << 10;
			}
		fclose(f);
	}
	if (avail <= 0 || size <= 0)
		return UINT64_MAX;	/* cannot tell: do not refuse */
	return (uint64_t)avail * (uint64_t)size;	/* free memory, without the caches */
}

static uint64_t host_memory_available(void)
{
	return min(meminfo_available(), cgroup_memory_left());
}

static int host_memory_check(struct machine_hw *hw, char *err, size_t len)
{
	const struct mm_layout *l = &hw->layout;
	uint64_t pages = hw->hp.ram >> l->page_shift, chunk = 1ULL << l->max_page_order;
	uint64_t memmap = (pages + chunk - 1) / chunk * chunk * sizeof(struct page);
	uint64_t flags = (pages >> l->pb_order) / 2 + 1;
	uint64_t tables = (hw->hp.ram >> 21) * 8 + ((hw->hp.ram >> 30) + 1) * HOST_PAGE;
	uint64_t need = memmap + flags + tables + HOST_MARGIN, avail = host_memory_available();
	char word[32];

	if (need <= avail)
		return 0;
	format_ram(word, sizeof(word), hw->hp.ram);
	if (memmap > avail)
		snprintf(err, len,
			 "'ram=%s': the memmap alone needs %llu MiB of host memory, the host has %llu MiB available",
			 word, (unsigned long long)(memmap >> 20), (unsigned long long)(avail >> 20));
	else
		snprintf(err, len,
			 "'ram=%s': the machine needs %llu MiB of host memory at boot (the memmap %llu MiB), the host has %llu MiB available",
			 word, (unsigned long long)(need >> 20), (unsigned long long)(memmap >> 20),
			 (unsigned long long)(avail >> 20));
	return -ENOMEM;
}

int arch_setup_layout(struct machine_hw *hw, char *err, size_t len)
{
	struct mm_layout *l = &hw->layout;
	phys_addr_t end;

	l->arch = hw->hp.arch;
	if (hw->hp.ram < SZ_32M) {
		snprintf(err, len, "'ram=%lluK': at least 32M of RAM is needed",
			 (unsigned long long)(hw->hp.ram >> 10));
		return -EINVAL;
	}
	if (ram_too_large(hw, err, len))
		return -EINVAL;
	if (hw->hp.arch == ARCH_ARM64) {
		set_arm64_layout(hw);
		if (hw->hp.ram & (hw->hp.page_size - 1)) {
			snprintf(err, len, "'ram=': not a multiple of the %luK page size",
				 hw->hp.page_size >> 10);
			return -EINVAL;
		}
		add_bank(hw, l->phys_offset, hw->hp.ram, 0);
	} else {
		set_x86_layout(hw);
		if (hw->hp.ram & (HOST_PAGE - 1)) {
			snprintf(err, len, "'ram=': not a multiple of 4K");
			return -EINVAL;
		}
		x86_memory_map(hw);
	}
	l->page_size = 1UL << l->page_shift;
	end = hw->banks[hw->nr_banks - 1].start + hw->banks[hw->nr_banks - 1].size;
	l->min_low_pfn = (unsigned long)(l->phys_offset >> l->page_shift);
	l->max_pfn = (unsigned long)(end >> l->page_shift);
	if (l->is_64bit) {
		l->max_low_pfn = l->max_pfn;
	} else {
		/* MAXMEM: lowmem is what fits below VMALLOC_END less the 128M reserve. */
		unsigned long maxmem = l->vmalloc_end - l->page_offset - SZ_128M;

		l->max_low_pfn = min(l->max_pfn, maxmem >> l->page_shift);
		/* VMALLOC_START: 8M above high_memory, 8M aligned. */
		l->vmalloc_start = (l->page_offset + (l->max_low_pfn << l->page_shift) +
				    2 * SZ_4M) & ~(2 * SZ_4M - 1);
	}
	return host_memory_check(hw, err, len);
}

static size_t host_align(size_t x)
{
	return (x + HOST_PAGE - 1) & ~(HOST_PAGE - 1);
}

static int map_physport(struct machine_hw *hw, char *err, size_t len);

/*
 * The first host address at or above @cur that agrees with the simulated
 * address @kva modulo 1 GiB (PUD_SIZE, the largest alignment the API
 * promises): then a pointer is as aligned in the host as its simulated
 * address is in the kernel, for kmalloc's natural alignment and for
 * __vmalloc_node()'s align alike.
 */
static char *place_congruent(char *cur, unsigned long kva)
{
	return cur + ((kva - (unsigned long)cur) & (SZ_1G - 1));
}

/* Reserve the window and map low RAM into its direct-map part. */
int arch_map_ram(struct machine_hw *hw, char *err, size_t len)
{
	struct mm_layout *l = &hw->layout;
	size_t dm_size, vmemmap_size, vmalloc_size, pkmap_size, fixmap_size;
	char *p;

	hw->memfd = memfd_create("mmsim-ram", MFD_CLOEXEC);
	if (hw->memfd < 0 || ftruncate(hw->memfd, (off_t)hw->hp.ram)) {
		snprintf(err, len, "'ram=%lluM': cannot create the RAM memfd: %s",
			 (unsigned long long)(hw->hp.ram >> 20), strerror(errno));
		return -ENOMEM;
	}
	dm_size = host_align(((phys_addr_t)l->max_low_pfn << l->page_shift) - l->phys_offset);
	/* ZONE_DEVICE (64-bit): device ranges get pfns in a window above RAM
	 * whose memmap memremap_pages() maps into the vmemmap on demand. */
	l->device_pfn_start = l->device_pfn_end = l->max_pfn;
	if (l->is_64bit) {
		l->device_pfn_start = ALIGN(l->max_pfn, (unsigned long)(SZ_1G >> l->page_shift));
		l->device_pfn_end = l->device_pfn_start + (DEVICE_WINDOW_SIZE >> l->page_shift);
	}
	vmemmap_size = host_align(l->device_pfn_end * sizeof(struct page));
	/* Back twice the RAM (4G..64G) so tools like valgrind can still run us. */
	vmalloc_size = l->vmalloc_end - l->vmalloc_start + 1;
	vmalloc_size = min(vmalloc_size, clamp((size_t)(2 * hw->hp.ram), VMALLOC_HOST_MIN,
					       VMALLOC_HOST_MAX));
	vmalloc_size = host_align(vmalloc_size);
	pkmap_size = (size_t)l->last_pkmap << l->page_shift;
	fixmap_size = host_align(l->fixaddr_top - l->fixaddr_start + l->page_size);
	/* Each kernel window may need up to 1G of slack to agree with its
	 * simulated address modulo 1G (place_congruent). */
	hw->window_map_size = dm_size + vmemmap_size + vmalloc_size + pkmap_size + fixmap_size +
			      5 * SZ_64K + 4 * SZ_1G;
	p = mmap(NULL, hw->window_map_size, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(err, len, "'ram=%lluM': cannot reserve %zu MiB of host address space",
			 (unsigned long long)(hw->hp.ram >> 20), hw->window_map_size >> 20);
		return -ENOMEM;
	}
	hw->window_map = p;
	p = place_congruent(p, l->page_offset);
	hw->window = p;
	l->direct_map = p;
	l->direct_map_size = (unsigned long)(((phys_addr_t)l->max_low_pfn << l->page_shift) -
					     l->phys_offset);
	p += dm_size + SZ_64K;
	hw->vmemmap_host = p;
	hw->vmemmap_size = vmemmap_size;
	l->vmemmap = (struct page *)p;
	p = place_congruent(p + vmemmap_size + SZ_64K, l->vmalloc_start);
	l->vmalloc_host = p;
	l->vmalloc_host_size = vmalloc_size;
	p += vmalloc_size + SZ_64K;
	if (pkmap_size) {
		p = place_congruent(p, l->pkmap_base);
		l->pkmap_host = p;
		p += pkmap_size + SZ_64K;
	}
	p = place_congruent(p, l->fixaddr_start);
	l->fixmap_host = p;
	hw->window_size = (size_t)(p + fixmap_size - hw->window);

	for (int i = 0; i < hw->nr_banks; i++) {
		const struct ram_bank *b = &hw->banks[i];
		phys_addr_t lowend = (phys_addr_t)l->max_low_pfn << l->page_shift;
		phys_addr_t end = min(b->start + b->size, lowend);

		if (b->start >= end)
			continue;
		if (mmap(l->direct_map + (b->start - l->phys_offset), end - b->start,
			 PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED | MAP_NORESERVE, hw->memfd,
			 b->memfd_offset) == MAP_FAILED) {
			snprintf(err, len, "cannot map RAM bank %d: %s", i, strerror(errno));
			return -ENOMEM;
		}
	}
	return map_physport(hw, err, len);
}

/* The physport: every bank at its physical offset, for highmem machines. */
static int map_physport(struct machine_hw *hw, char *err, size_t len)
{
	const struct ram_bank *last = &hw->banks[hw->nr_banks - 1];
	size_t size = (size_t)(last->start + last->size - hw->layout.phys_offset);
	char *p;

	if (hw->layout.max_pfn <= hw->layout.max_low_pfn)
		return 0;
	p = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(err, len, "cannot reserve the physical-memory window");
		return -ENOMEM;
	}
	hw->physport = p;
	hw->physport_size = size;
	for (int i = 0; i < hw->nr_banks; i++) {
		const struct ram_bank *b = &hw->banks[i];

		if (mmap(p + (b->start - hw->layout.phys_offset), b->size, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_FIXED | MAP_NORESERVE, hw->memfd, b->memfd_offset) ==
		    MAP_FAILED) {
			snprintf(err, len, "cannot map RAM bank %d: %s", i, strerror(errno));
			return -ENOMEM;
		}
	}
	return 0;
}

/* Where simulated physical address @pa lives in the memfd, or -1. */
static off_t phys_to_memfd(struct machine_hw *hw, phys_addr_t pa)
{
	for (int i = 0; i < hw->nr_banks; i++) {
		const struct ram_bank *b = &hw->banks[i];

		if (pa >= b->start && pa < b->start + b->size)
			return b->memfd_offset + (off_t)(pa - b->start);
	}
	return -1;
}

/*
 * Map the memmap piece for pfns [start_pfn, end_pfn) (start aligned to 64
 * pfns, so its host address is page aligned) from simulated RAM at
 * @backing into the vmemmap window.
 */
int arch_map_memmap(struct machine_hw *hw, unsigned long start_pfn, unsigned long end_pfn,
		    phys_addr_t backing, char *err, size_t len)
{
	size_t bytes = host_align((end_pfn - start_pfn) * sizeof(struct page));
	char *addr = (char *)(hw->layout.vmemmap + start_pfn);
	off_t off = phys_to_memfd(hw, backing);

	if (off < 0 || ((uintptr_t)addr & (HOST_PAGE - 1)) ||
	    mmap(addr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, hw->memfd, off) ==
		    MAP_FAILED) {
		snprintf(err, len, "cannot map the memmap for pfns %#lx-%#lx", start_pfn, end_pfn);
		return -ENOMEM;
	}
	/*
	 * Every struct page is written at boot: fault the memmap in writable
	 * at once (MAP_POPULATE would map a shared file read-only, and each
	 * first write would fault again).  Older kernels say EINVAL: then the
	 * pages fault in on use.
	 */
	(void)madvise(addr, bytes, MADV_POPULATE_WRITE);
	return 0;
}

/* Give the vmemmap of pfns [@start_pfn, @end_pfn) back to the reserved window. */
void arch_unmap_memmap(struct machine_hw *hw, unsigned long start_pfn, unsigned long end_pfn)
{
	size_t bytes = host_align((end_pfn - start_pfn) * sizeof(struct page));
	char *addr = (char *)(hw->layout.vmemmap + start_pfn);

	(void)mmap(addr, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED,
		   -1, 0);
}

void arch_unmap_ram(struct machine_hw *hw)
{
	if (hw->window_map)
		munmap(hw->window_map, hw->window_map_size);
	if (hw->physport)
		munmap(hw->physport, hw->physport_size);
	hw->physport = NULL;
	if (hw->memfd >= 0)
		close(hw->memfd);
	hw->window_map = hw->window = NULL;
	hw->memfd = -1;
}

static const char *e820_type_name(enum e820_type t)
{
	return t == E820_TYPE_RAM ? "usable" : "reserved";
}

void arch_print_memory_map(struct machine_hw *hw)
{
	if (hw->hp.arch == ARCH_ARM64) {
		pr_info("Machine model: linux,dummy-virt\n");
		pr_info("efi: UEFI not found.\n");
		return;
	}
	pr_info("BIOS-provided physical RAM map:\n");
	for (int i = 0; i < hw->nr_e820; i++) {
		const struct e820_entry *e = &hw->e820[i];

		pr_info("BIOS-e820: [mem 0x%016llx-0x%016llx] %s\n", (unsigned long long)e->addr,
			(unsigned long long)(e->addr + e->size - 1), e820_type_name(e->type));
	}
}

/* ---------------------------------------------------------------------
 * What setup_arch tells the memory core: RAM into memblock (x86's
 * e820__memblock_setup, arm64's arm64_memblock_init), the kernel image and
 * the low reservations, the zone limits (zone_sizes_init).
 */

/* Simulated kernel image sections (bytes). */
#define KERNEL_CODE	(2048UL << 10)
#define KERNEL_RWDATA	(512UL << 10)
#define KERNEL_RODATA	(1024UL << 10)
#define KERNEL_INIT	(512UL << 10)
#define KERNEL_BSS	(512UL << 10)

static bool is_x86(const struct machine_hw *hw)
{
	return hw->hp.arch != ARCH_ARM64;
}

/* RAM into memblock; @mem_limit: mem= (0 = none), x86's and arm64's meaning. */
void arch_memblock_setup(struct machine_hw *hw, phys_addr_t mem_limit)
{
	if (is_x86(hw)) {
		pr_info("e820: update [mem 0x00000000-0x%08lx] usable ==> reserved\n",
			PAGE_SIZE - 1);
		pr_info("e820: remove [mem 0x000a0000-0x000fffff] usable\n");
		for (int i = 0; i < hw->nr_e820; i++) {
			const struct e820_entry *e = &hw->e820[i];
			phys_addr_t start = e->addr;

			if (e->type != E820_TYPE_RAM)
				continue;
			if (start < PAGE_SIZE)
				start = PAGE_SIZE;	/* trim_bios_range() */
			memblock_add(start, e->addr + e->size - start);
		}
		memblock_trim_memory(PAGE_SIZE);
	} else {
		memblock_add(hw->banks[0].start, hw->banks[0].size);
	}
	if (mem_limit) {
		if (is_x86(hw)) {
			/* x86 mem= limits the highest address (e820__range_remove). */
			pr_info("e820: remove [mem 0x%08llx-0x%016llx] usable\n",
				(unsigned long long)mem_limit, ~0ULL - 1);
			memblock_remove(mem_limit, PHYS_ADDR_MAX - mem_limit);
		} else {
			memblock_enforce_memory_limit(mem_limit);
		}
	}
	if (is_x86(hw))
		pr_info("last_pfn = %#lx max_arch_pfn = %#lx\n",
			(unsigned long)PHYS_PFN(memblock_end_of_DRAM()),
			hw->layout.is_64bit ? 0x400000000UL :
			hw->hp.arch == ARCH_I386_PAE ? 0x1000000UL : 0x100000UL);
}

/* Place and reserve the kernel image (and x86's first 1M); false: no room. */
bool arch_reserve_kernel(struct machine_hw *hw)
{
	phys_addr_t total = KERNEL_CODE + KERNEL_RWDATA + KERNEL_RODATA + KERNEL_INIT +
			    KERNEL_BSS;

	hw->kernel_code = KERNEL_CODE;
	hw->kernel_rwdata = KERNEL_RWDATA;
	hw->kernel_rodata = KERNEL_RODATA;
	hw->kernel_init = KERNEL_INIT;
	hw->kernel_bss = KERNEL_BSS;
	/* CONFIG_PHYSICAL_START is 16M on x86; arm64 loads 2M into RAM. */
	hw->kernel_start = is_x86(hw) ? SZ_16M : hw->layout.phys_offset + SZ_2M;
	if (!memblock_is_region_memory(hw->kernel_start, total))
		return false;
	if (is_x86(hw))
		memblock_reserve(0, SZ_1M);	/* x86: the first 1M is always reserved */
	memblock_reserve(hw->kernel_start, total);
	return true;
}

/* How the NUMA boot lines start: "" on x86, "NUMA: " on arm64. */
const char *arch_numa_prefix(const struct machine_hw *hw)
{
	return is_x86(hw) ? "" : "NUMA: ";
}

/* The highest pfn of each zone type (max_zone_pfn[] of zone_sizes_init). */
void arch_zone_limits(const struct machine_hw *hw, unsigned long *max)
{
	const struct mm_layout *l = &hw->layout;

	memset(max, 0, sizeof(*max) * MAX_NR_ZONES);
	if (hw->hp.arch == ARCH_ARM64) {
		/* zone_dma_bits = 32: DMA covers RAM below 4G, DMA32 is empty. */
		max[ZONE_DMA] = min(l->max_pfn, (unsigned long)(SZ_4G >> l->page_shift));
		max[ZONE_DMA32] = max[ZONE_DMA];
		max[ZONE_NORMAL] = l->max_pfn;
	} else {
		max[ZONE_DMA] = SZ_16M >> l->page_shift;
		if (l->is_64bit) {
			max[ZONE_DMA32] = min(l->max_pfn, (unsigned long)(SZ_4G >> l->page_shift));
			max[ZONE_NORMAL] = l->max_pfn;
		} else {
			max[ZONE_NORMAL] = l->max_low_pfn;
			max[ZONE_HIGHMEM] = l->max_pfn;
		}
	}
}

/* Whether the arch's kernel is built with zone type @zt (CONFIG_ZONE_DMA32, CONFIG_HIGHMEM). */
bool arch_zone_configured(const struct machine_hw *hw, int zt)
{
	if (zt == ZONE_HIGHMEM)
		return !hw->layout.is_64bit;
	if (zt == ZONE_DMA32 || zt == ZONE_DEVICE)	/* ZONE_DEVICE needs SPARSEMEM_VMEMMAP */
		return hw->layout.is_64bit;
	return true;
}
