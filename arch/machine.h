/* SPDX-License-Identifier: GPL-2.0 */
/*
 * arch/machine.h - the simulated machine: its spec, its hardware (RAM as a
 * host memfd, the host address windows), its CPUs, and the state that Linux
 * keeps in globals (memblock, node data, totals, sysctls, the log).
 *
 * Everything Linux would keep in a global variable lives in struct mmsim,
 * found through the calling thread's CPU (current_cpu), so several
 * machines can live in one process.  Internal: not installed.
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

/* Parsed boot spec (DESIGN §2): hardware words and Linux parameters. */
struct boot_params {
	uint64_t ram;			/* bytes */
	int cpus, nodes;
	enum mmsim_arch arch;
	unsigned long page_size;	/* arm64 granule */
	uint64_t seed;
	bool threaded;
	uint64_t mem_limit;		/* mem=, 0 = none */
	uint64_t kernelcore, movablecore;	/* bytes; 0 = not given */
	int kernelcore_pct, movablecore_pct;	/* 0..100 when given with '%', else -1 */
	bool kernelcore_mirror;
	bool numa_off;
	bool memblock_debug;
	bool panic_on_warn;
	bool init_on_alloc, init_on_free;
	bool nopcid;			/* x86_64: do not use PCIDs */
	unsigned short tlb_geom[3][2];	/* tlb_l1d=, tlb_l1i=, tlb_l2=: {sets, ways}, 0 = default */
	int loglevel;			/* console loglevel (ignored for the log) */
	char fail_page_alloc[64];	/* fail_page_alloc=<interval>,<prob>,<space>,<times> */
	char *raw_other;		/* words left for later layers (slub_debug=, ...) */
	/* Slab allocator (raw values, parsed by mm/slab_common.c). */
	char slub_debug[256];		/* slub_debug=VALUE ("" when bare) */
	bool slub_debug_set;
	char slub_min_order[16], slub_max_order[16], slub_min_objects[16];
	bool slab_nomerge;
	char failslab[64];		/* failslab=<interval>,<prob>,<space>,<times> */
};

/* Sysctls of the vm layer (/proc/sys/vm). */
struct vm_sysctls {
	int min_free_kbytes;
	int user_min_free_kbytes;	/* -1 until written */
	int watermark_scale_factor;
	int watermark_boost_factor;
	int lowmem_reserve_ratio[MAX_NR_ZONES];
	int percpu_pagelist_high_fraction;
	int extfrag_threshold;
};

/* fail_page_alloc (mm/fail_page_alloc.c): Linux's fault_attr knobs. */
struct fault_attr {
	unsigned long probability;	/* percent */
	unsigned long interval;
	long times;			/* -1 = no limit */
	long space;
	unsigned long verbose;
	bool ignore_gfp_highmem;
	bool ignore_gfp_reclaim;
	unsigned int min_order;
	unsigned long count;		/* calls seen */
	unsigned long nr_injected;
	uint64_t rng;			/* xorshift state, from seed */
};

/* One simulated CPU. */
struct cpu_state {
	struct mmsim *m;
	struct slab_globals *slab;	/* m->slab, one load nearer kmalloc's fast path */
	int id;
	int node;
	atomic_int state;		/* CPU_FREE, CPU_ENTERED, CPU_BORROWED */
	unsigned long vm_events[NR_VM_EVENT_ITEMS];	/* owner-written, relaxed */
} __attribute__((aligned(64)));

enum { CPU_FREE, CPU_ENTERED, CPU_BORROWED };

struct log_record {
	uint64_t seq;
	uint64_t ts_ns;			/* virtual time */
	int level;			/* 0..7 */
	char *text;			/* one line, no newline */
};

struct printk_log {
	pthread_mutex_t lock;
	struct log_record *recs;
	size_t nr, cap;
	uint64_t next_seq;
	char cont[1024];		/* a line being built with KERN_CONT */
	size_t cont_len;
	int cont_level;
	const void *once_keys[256];	/* WARN_ONCE keys already fired */
	int nr_once;
};

struct slab_globals;	/* mm/slab_common.c */
struct arch_mmu;	/* arch/: page tables, MMU and TLB state */

struct mmsim {
	struct mm_layout layout;	/* PAGE_SIZE & co., host windows */
	char *spec;
	struct boot_params bp;

	/* Hardware. */
	int memfd;
	struct ram_bank banks[MAX_RAM_BANKS];
	int nr_banks;
	struct e820_entry e820[E820_MAX_ENTRIES];
	int nr_e820;
	char *window;			/* reserved host address window */
	size_t window_size;
	char *vmemmap_host;		/* start of the vmemmap part of the window */
	char *physport;			/* host view of all RAM when some is highmem */
	size_t physport_size;
	size_t vmemmap_size;
	phys_addr_t kernel_start;	/* simulated kernel image (physical) */
	unsigned long kernel_code, kernel_rwdata, kernel_rodata, kernel_init, kernel_bss; /* bytes */

	/* CPUs. */
	int nr_cpus;
	struct cpu_state *cpus;		/* [nr_cpus] */
	pthread_mutex_t cpu_lock;	/* serializes drain_all_pages() */

	/* mm state (Linux globals). */
	struct memblock_state mb;	/* Linux's global `memblock` */
	pg_data_t *node_data[MAX_NUMNODES];
	int nr_nodes;
	atomic_long_t totalram_pages;	/* managed pages of all zones */
	unsigned long totalreserve_pages;
	atomic_long_t totalhigh_pages;
	unsigned long physpages;	/* present pages */
	unsigned long nr_kernel_pages, nr_all_pages;
	bool page_group_by_mobility_disabled;
	unsigned long max_zone_pfn[MAX_NR_ZONES];
	unsigned long zone_movable_pfn[MAX_NUMNODES];
	struct vm_sysctls vm;
	struct fault_attr fail_page_alloc;
	bool buddy_up;			/* memblock_free_all() ran: allocate from the buddy */
	bool booted;			/* boot finished: memblock allocations are over */
	bool init_on_alloc, init_on_free;
	void *mm_private;		/* mm/mm_init.c boot state (memmap chunks) */
	struct slab_globals *slab;	/* the slab allocator's global state */
	struct arch_mmu *mmu;		/* page tables, TLBs, ASIDs */

	/* Kernel. */
	struct printk_log log;
	atomic_ullong clock_ns;		/* virtual time */
	atomic_ulong taint;
	char comm[16];			/* "current" task name for splats */
	int pid;
	struct vmalloc_globals *vmalloc;	/* mm/vmalloc.c: vmap trees, kmap state */
};

extern _Thread_local struct cpu_state *current_cpu __tls_ie;	/* see mm.h */

static inline struct mmsim *current_machine(void)
{
	return current_cpu ? current_cpu->m : NULL;
}

/* arch/setup.c */
int arch_setup_layout(struct mmsim *m, char *err, size_t errlen);
int arch_map_ram(struct mmsim *m, char *err, size_t errlen);
void arch_unmap_ram(struct mmsim *m);
void arch_print_memory_map(struct mmsim *m);
int arch_map_memmap(struct mmsim *m, unsigned long start_pfn, unsigned long end_pfn,
		    phys_addr_t backing, char *err, size_t errlen);

/* arch/spec.c */
int parse_boot_spec(const char *spec, struct boot_params *bp, char *err, size_t errlen);

/* kernel/printk.c */
void printk_init(struct printk_log *log);
void printk_free(struct printk_log *log);
char *printk_render_dmesg(struct mmsim *m);

#endif
