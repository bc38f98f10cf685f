/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch/machine.h - the simulated hardware, and nothing else: the hardware
 * words of the boot spec, physical RAM (a host memfd cut into banks), the
 * firmware memory map, the host address window that makes simulated
 * addresses real, the CPUs as the hardware numbers them, the MMU and TLB
 * state (struct arch_mmu, arch/pgtable.h) and the clock.
 *
 * This is arch/'s half of a machine, as Linux's arch/ owns boot_cpu_data,
 * e820 and the page-table hardware.  The kernel's half (memblock, nodes,
 * the allocators, the log) lives in struct mmsim (init/machine.h), which
 * embeds struct machine_hw as its first member.  arch/ never sees that
 * struct: it reaches the hardware of the calling thread's machine with
 * current_hw() and of its CPU with this_cpu_hw(), and includes only the
 * public <mmsim/...> headers and its own.  Internal: not installed.
 *
 * Invariants:
 *   - current_hw() == the machine_hw of the machine whose CPU the calling
 *     thread is on (current_layout points at its first member);
 *   - banks[] are sorted, disjoint, and their memfd runs do not overlap;
 *   - host_to_kva(p) % 1G == (unsigned long)p % 1G for every pointer of a
 *     kernel window (arch/setup.c places the window so).
 */
#ifndef MMSIM_ARCH_MACHINE_H
#define MMSIM_ARCH_MACHINE_H

#include <sys/types.h>
#include <mmsim/mmsim.h>

#define E820_MAX_ENTRIES 16
#define MAX_RAM_BANKS	 4

enum e820_type { E820_TYPE_RAM = 1, E820_TYPE_RESERVED = 2 };

struct e820_entry {
	phys_addr_t addr, size;
	enum e820_type type;
};

/* A physically contiguous piece of RAM and where it lives in the memfd. */
struct ram_bank {
	phys_addr_t start, size;	/* simulated physical range */
	off_t memfd_offset;		/* bytes */
};

/* The hardware words of the boot spec (DESIGN §2), parsed by arch/spec.c. */
struct hw_params {
	uint64_t ram;			/* bytes */
	int cpus, nodes;		/* nodes: what the firmware describes */
	enum mmsim_arch arch;
	unsigned long page_size;	/* arm64 granule, bytes */
	bool page_size_given;
	uint64_t seed;
	bool threaded;
	bool nopcid;			/* x86_64: do not use PCIDs (arch/x86 early_param) */
	unsigned short tlb_geom[3][2];	/* tlb_l1d=, tlb_l1i=, tlb_l2=: {sets, ways}, 0 = default */
};

struct mmsim;			/* init/machine.h: opaque to arch/ */
struct arch_mmu;		/* arch/pgtable.h */
struct cpu_state;		/* init/machine.h: the per-CPU area, cpu_hw first */

struct machine_hw {
	struct mm_layout layout;	/* first: current_layout points here */
	struct hw_params hp;
	struct mmsim *machine;		/* the machine this is the hardware of */

	/* RAM and the firmware map. */
	int memfd;
	struct ram_bank banks[MAX_RAM_BANKS];
	int nr_banks;
	struct e820_entry e820[E820_MAX_ENTRIES];
	int nr_e820;

	/* The host address window (arch/setup.c). */
	char *window_map;		/* what mmap returned (over-reserved for alignment) */
	size_t window_map_size;
	char *window;			/* start of the direct map part */
	size_t window_size;
	char *vmemmap_host;		/* start of the vmemmap part of the window */
	size_t vmemmap_size;
	char *physport;			/* host view of all RAM when some is highmem */
	size_t physport_size;

	/* The kernel image (simulated, physical). */
	phys_addr_t kernel_start;
	unsigned long kernel_code, kernel_rwdata, kernel_rodata, kernel_init, kernel_bss; /* bytes */

	int nr_cpus;
	struct arch_mmu *mmu;		/* page tables, TLBs, ASIDs (arch/paging.c) */
	atomic_ullong clock_ns;		/* virtual time */
};

/*
 * struct cpu_hw - a CPU as the hardware knows it: the first member of the
 * kernel's per-CPU area (struct cpu_state), so arch/ reaches it from
 * current_cpu without knowing the rest.
 */
struct mmu_cpu;			/* arch/pgtable.h */

struct cpu_hw {
	struct machine_hw *hw;
	int id;
	struct mmu_cpu *mmu;		/* == &hw->mmu->cpus[id] once looked up (this_mmu_cpu),
					 * NULL before; written by the thread on the CPU */
};

extern _Thread_local struct cpu_state *current_cpu __tls_ie;	/* see mm.h */

static inline struct cpu_hw *this_cpu_hw(void)
{
	return (struct cpu_hw *)(void *)current_cpu;
}

static inline struct machine_hw *current_hw(void)
{
	return (struct machine_hw *)(void *)current_layout;
}

/* init/main.c: the hardware of a machine handed to a public arch function. */
struct machine_hw *mmsim_hw(struct mmsim *m);

/* arch/spec.c: the hardware words of the boot spec. */
void hw_params_defaults(struct hw_params *hp);
/* 1: @word is a hardware word (parsed, or *err set and -EINVAL); 0: not one. */
int hw_parse_word(struct hw_params *hp, const char *word, const char *val, char *err,
		  size_t errlen);
int hw_params_check(const struct hw_params *hp, char *err, size_t errlen);

/* arch/setup.c */
int arch_setup_layout(struct machine_hw *hw, char *err, size_t errlen);
int arch_map_ram(struct machine_hw *hw, char *err, size_t errlen);
void arch_unmap_ram(struct machine_hw *hw);
void arch_print_memory_map(struct machine_hw *hw);
int arch_map_memmap(struct machine_hw *hw, unsigned long start_pfn, unsigned long end_pfn,
		    phys_addr_t backing, char *err, size_t errlen);
void arch_unmap_memmap(struct machine_hw *hw, unsigned long start_pfn, unsigned long end_pfn);
void arch_memblock_setup(struct machine_hw *hw, phys_addr_t mem_limit);
bool arch_reserve_kernel(struct machine_hw *hw);
const char *arch_numa_prefix(const struct machine_hw *hw);
void arch_zone_limits(const struct machine_hw *hw, unsigned long *max_zone_pfn);
bool arch_zone_configured(const struct machine_hw *hw, int zt);

/* arch/paging.c: the kernel page table and the MMU of a machine. */
int paging_init(struct machine_hw *hw, char *err, size_t errlen);
int paging_late_init(struct machine_hw *hw, char *err, size_t errlen);
void paging_teardown(struct machine_hw *hw, bool live);

#endif
