/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmstat.h - the counters behind /proc/vmstat, /proc/zoneinfo and meminfo.
 *
 * Each list is an X-macro so the enum and the /proc names cannot drift.
 * Zone and node counters are atomic longs in the zone/node (updated with
 * relaxed atomics: exact, and readable from any thread).  VM events are
 * per-CPU plain counters owned by the CPU's thread and summed on read,
 * like Linux's count_vm_event().
 */
#ifndef MMSIM_VMSTAT_H
#define MMSIM_VMSTAT_H

#include <mmsim/types.h>

#define ZONE_STAT_ITEMS(X)						\
	X(NR_FREE_PAGES, "nr_free_pages")				\
	X(NR_ZONE_INACTIVE_ANON, "nr_zone_inactive_anon")		\
	X(NR_ZONE_ACTIVE_ANON, "nr_zone_active_anon")			\
	X(NR_ZONE_INACTIVE_FILE, "nr_zone_inactive_file")		\
	X(NR_ZONE_ACTIVE_FILE, "nr_zone_active_file")			\
	X(NR_ZONE_UNEVICTABLE, "nr_zone_unevictable")			\
	X(NR_ZONE_WRITE_PENDING, "nr_zone_write_pending")		\
	X(NR_MLOCK, "nr_mlock")						\
	X(NR_BOUNCE, "nr_bounce")					\
	X(NR_ZSPAGES, "nr_zspages")					\
	X(NR_FREE_CMA_PAGES, "nr_free_cma")

#define NUMA_STAT_ITEMS(X)						\
	X(NUMA_HIT, "numa_hit")						\
	X(NUMA_MISS, "numa_miss")					\
	X(NUMA_FOREIGN, "numa_foreign")					\
	X(NUMA_INTERLEAVE_HIT, "numa_interleave")			\
	X(NUMA_LOCAL, "numa_local")					\
	X(NUMA_OTHER, "numa_other")

#define NODE_STAT_ITEMS(X)						\
	X(NR_INACTIVE_ANON, "nr_inactive_anon")				\
	X(NR_ACTIVE_ANON, "nr_active_anon")				\
	X(NR_INACTIVE_FILE, "nr_inactive_file")				\
	X(NR_ACTIVE_FILE, "nr_active_file")				\
	X(NR_UNEVICTABLE, "nr_unevictable")				\
	X(NR_SLAB_RECLAIMABLE_B, "nr_slab_reclaimable")			\
	X(NR_SLAB_UNRECLAIMABLE_B, "nr_slab_unreclaimable")		\
	X(NR_ISOLATED_ANON, "nr_isolated_anon")				\
	X(NR_ISOLATED_FILE, "nr_isolated_file")				\
	X(WORKINGSET_NODES, "workingset_nodes")				\
	X(WORKINGSET_REFAULT_ANON, "workingset_refault_anon")		\
	X(WORKINGSET_REFAULT_FILE, "workingset_refault_file")		\
	X(WORKINGSET_ACTIVATE_ANON, "workingset_activate_anon")		\
	X(WORKINGSET_ACTIVATE_FILE, "workingset_activate_file")		\
	X(WORKINGSET_RESTORE_ANON, "workingset_restore_anon")		\
	X(WORKINGSET_RESTORE_FILE, "workingset_restore_file")		\
	X(WORKINGSET_NODERECLAIM, "workingset_nodereclaim")		\
	X(NR_ANON_MAPPED, "nr_anon_pages")				\
	X(NR_FILE_MAPPED, "nr_mapped")					\
	X(NR_FILE_PAGES, "nr_file_pages")				\
	X(NR_FILE_DIRTY, "nr_dirty")					\
	X(NR_WRITEBACK, "nr_writeback")					\
	X(NR_WRITEBACK_TEMP, "nr_writeback_temp")			\
	X(NR_SHMEM, "nr_shmem")						\
	X(NR_SHMEM_THPS, "nr_shmem_hugepages")				\
	X(NR_SHMEM_PMDMAPPED, "nr_shmem_pmdmapped")			\
	X(NR_FILE_THPS, "nr_file_hugepages")				\
	X(NR_FILE_PMDMAPPED, "nr_file_pmdmapped")			\
	X(NR_ANON_THPS, "nr_anon_transparent_hugepages")		\
	X(NR_VMSCAN_WRITE, "nr_vmscan_write")				\
	X(NR_VMSCAN_IMMEDIATE, "nr_vmscan_immediate_reclaim")		\
	X(NR_DIRTIED, "nr_dirtied")					\
	X(NR_WRITTEN, "nr_written")					\
	X(NR_THROTTLED_WRITTEN, "nr_throttled_written")			\
	X(NR_KERNEL_MISC_RECLAIMABLE, "nr_kernel_misc_reclaimable")	\
	X(NR_FOLL_PIN_ACQUIRED, "nr_foll_pin_acquired")			\
	X(NR_FOLL_PIN_RELEASED, "nr_foll_pin_released")			\
	X(NR_KERNEL_STACK_KB, "nr_kernel_stack")			\
	X(NR_PAGETABLE, "nr_page_table_pages")				\
	X(NR_SECONDARY_PAGETABLE, "nr_sec_page_table_pages")		\
	X(NR_SWAPCACHE, "nr_swapcached")

#define VM_EVENT_ITEMS(X)						\
	X(PGPGIN, "pgpgin")						\
	X(PGPGOUT, "pgpgout")						\
	X(PSWPIN, "pswpin")						\
	X(PSWPOUT, "pswpout")						\
	X(PGALLOC_DMA, "pgalloc_dma")					\
	X(PGALLOC_DMA32, "pgalloc_dma32")				\
	X(PGALLOC_NORMAL, "pgalloc_normal")				\
	X(PGALLOC_HIGH, "pgalloc_high")					\
	X(PGALLOC_MOVABLE, "pgalloc_movable")				\
	X(PGALLOC_DEVICE, "pgalloc_device")				\
	X(ALLOCSTALL_DMA, "allocstall_dma")				\
	X(ALLOCSTALL_DMA32, "allocstall_dma32")				\
	X(ALLOCSTALL_NORMAL, "allocstall_normal")			\
	X(ALLOCSTALL_HIGH, "allocstall_high")				\
	X(ALLOCSTALL_MOVABLE, "allocstall_movable")			\
	X(ALLOCSTALL_DEVICE, "allocstall_device")			\
	X(PGSKIP_DMA, "pgskip_dma")					\
	X(PGSKIP_DMA32, "pgskip_dma32")					\
	X(PGSKIP_NORMAL, "pgskip_normal")				\
	X(PGSKIP_HIGH, "pgskip_high")					\
	X(PGSKIP_MOVABLE, "pgskip_movable")				\
	X(PGSKIP_DEVICE, "pgskip_device")				\
	X(PGFREE, "pgfree")						\
	X(PGACTIVATE, "pgactivate")					\
	X(PGDEACTIVATE, "pgdeactivate")					\
	X(PGLAZYFREE, "pglazyfree")					\
	X(PGFAULT, "pgfault")						\
	X(PGMAJFAULT, "pgmajfault")					\
	X(PGLAZYFREED, "pglazyfreed")					\
	X(PGREFILL, "pgrefill")						\
	X(PGREUSE, "pgreuse")						\
	X(PGSTEAL_KSWAPD, "pgsteal_kswapd")				\
	X(PGSTEAL_DIRECT, "pgsteal_direct")				\
	X(PGSTEAL_KHUGEPAGED, "pgsteal_khugepaged")			\
	X(PGSCAN_KSWAPD, "pgscan_kswapd")				\
	X(PGSCAN_DIRECT, "pgscan_direct")				\
	X(PGSCAN_KHUGEPAGED, "pgscan_khugepaged")			\
	X(PGSCAN_DIRECT_THROTTLE, "pgscan_direct_throttle")		\
	X(PGSCAN_ANON, "pgscan_anon")					\
	X(PGSCAN_FILE, "pgscan_file")					\
	X(PGSTEAL_ANON, "pgsteal_anon")					\
	X(PGSTEAL_FILE, "pgsteal_file")					\
	X(PGINODESTEAL, "pginodesteal")					\
	X(SLABS_SCANNED, "slabs_scanned")				\
	X(KSWAPD_INODESTEAL, "kswapd_inodesteal")			\
	X(KSWAPD_LOW_WMARK_HIT_QUICKLY, "kswapd_low_wmark_hit_quickly")	\
	X(KSWAPD_HIGH_WMARK_HIT_QUICKLY, "kswapd_high_wmark_hit_quickly") \
	X(PAGEOUTRUN, "pageoutrun")					\
	X(PGROTATED, "pgrotated")					\
	X(DROP_PAGECACHE, "drop_pagecache")				\
	X(DROP_SLAB, "drop_slab")					\
	X(OOM_KILL, "oom_kill")						\
	X(PGMIGRATE_SUCCESS, "pgmigrate_success")			\
	X(PGMIGRATE_FAIL, "pgmigrate_fail")				\
	X(THP_MIGRATION_SUCCESS, "thp_migration_success")		\
	X(THP_MIGRATION_FAIL, "thp_migration_fail")			\
	X(THP_MIGRATION_SPLIT, "thp_migration_split")			\
	X(COMPACTMIGRATE_SCANNED, "compact_migrate_scanned")		\
	X(COMPACTFREE_SCANNED, "compact_free_scanned")			\
	X(COMPACTISOLATED, "compact_isolated")				\
	X(COMPACTSTALL, "compact_stall")				\
	X(COMPACTFAIL, "compact_fail")					\
	X(COMPACTSUCCESS, "compact_success")				\
	X(KCOMPACTD_WAKE, "compact_daemon_wake")			\
	X(KCOMPACTD_MIGRATE_SCANNED, "compact_daemon_migrate_scanned")	\
	X(KCOMPACTD_FREE_SCANNED, "compact_daemon_free_scanned")	\
	X(HTLB_BUDDY_PGALLOC, "htlb_buddy_alloc_success")		\
	X(HTLB_BUDDY_PGALLOC_FAIL, "htlb_buddy_alloc_fail")		\
	X(UNEVICTABLE_PGCULLED, "unevictable_pgs_culled")		\
	X(UNEVICTABLE_PGSCANNED, "unevictable_pgs_scanned")		\
	X(UNEVICTABLE_PGRESCUED, "unevictable_pgs_rescued")		\
	X(UNEVICTABLE_PGMLOCKED, "unevictable_pgs_mlocked")		\
	X(UNEVICTABLE_PGMUNLOCKED, "unevictable_pgs_munlocked")		\
	X(UNEVICTABLE_PGCLEARED, "unevictable_pgs_cleared")		\
	X(UNEVICTABLE_PGSTRANDED, "unevictable_pgs_stranded")		\
	X(THP_FAULT_ALLOC, "thp_fault_alloc")				\
	X(THP_FAULT_FALLBACK, "thp_fault_fallback")			\
	X(THP_FAULT_FALLBACK_CHARGE, "thp_fault_fallback_charge")	\
	X(THP_COLLAPSE_ALLOC, "thp_collapse_alloc")			\
	X(THP_COLLAPSE_ALLOC_FAILED, "thp_collapse_alloc_failed")	\
	X(THP_FILE_ALLOC, "thp_file_alloc")				\
	X(THP_FILE_FALLBACK, "thp_file_fallback")			\
	X(THP_FILE_FALLBACK_CHARGE, "thp_file_fallback_charge")	\
	X(THP_FILE_MAPPED, "thp_file_mapped")				\
	X(THP_SPLIT_PAGE, "thp_split_page")				\
	X(THP_SPLIT_PAGE_FAILED, "thp_split_page_failed")		\
	X(THP_DEFERRED_SPLIT_PAGE, "thp_deferred_split_page")		\
	X(THP_SPLIT_PMD, "thp_split_pmd")				\
	X(THP_SCAN_EXCEED_NONE_PTE, "thp_scan_exceed_none_pte")	\
	X(THP_SCAN_EXCEED_SWAP_PTE, "thp_scan_exceed_swap_pte")	\
	X(THP_SCAN_EXCEED_SHARED_PTE, "thp_scan_exceed_share_pte")	\
	X(THP_SPLIT_PUD, "thp_split_pud")				\
	X(THP_ZERO_PAGE_ALLOC, "thp_zero_page_alloc")			\
	X(THP_ZERO_PAGE_ALLOC_FAILED, "thp_zero_page_alloc_failed")	\
	X(THP_SWPOUT, "thp_swpout")					\
	X(THP_SWPOUT_FALLBACK, "thp_swpout_fallback")			\
	X(SWAP_RA, "swap_ra")						\
	X(SWAP_RA_HIT, "swap_ra_hit")					\
	X(DIRECT_MAP_LEVEL2_SPLIT, "direct_map_level2_splits")		\
	X(DIRECT_MAP_LEVEL3_SPLIT, "direct_map_level3_splits")		\
	X(NR_TLB_REMOTE_FLUSH, "nr_tlb_remote_flush")			\
	X(NR_TLB_REMOTE_FLUSH_RECEIVED, "nr_tlb_remote_flush_received")	\
	X(NR_TLB_LOCAL_FLUSH_ALL, "nr_tlb_local_flush_all")		\
	X(NR_TLB_LOCAL_FLUSH_ONE, "nr_tlb_local_flush_one")

#define __VMSTAT_ENUM(e, s) e,
enum zone_stat_item { ZONE_STAT_ITEMS(__VMSTAT_ENUM) NR_VM_ZONE_STAT_ITEMS };
enum numa_stat_item { NUMA_STAT_ITEMS(__VMSTAT_ENUM) NR_VM_NUMA_EVENT_ITEMS };
enum node_stat_item { NODE_STAT_ITEMS(__VMSTAT_ENUM) NR_VM_NODE_STAT_ITEMS };
enum vm_event_item { VM_EVENT_ITEMS(__VMSTAT_ENUM) NR_VM_EVENT_ITEMS };
#undef __VMSTAT_ENUM

extern const char *const zone_stat_names[NR_VM_ZONE_STAT_ITEMS];
extern const char *const numa_stat_names[NR_VM_NUMA_EVENT_ITEMS];
extern const char *const node_stat_names[NR_VM_NODE_STAT_ITEMS];
extern const char *const vm_event_names[NR_VM_EVENT_ITEMS];

struct zone;
struct pglist_data;

void count_vm_event(enum vm_event_item item);
void count_vm_events(enum vm_event_item item, long delta);
unsigned long sum_vm_event(enum vm_event_item item);	/* over all CPUs */
void all_vm_events(unsigned long *ret);			/* NR_VM_EVENT_ITEMS */

void __mod_zone_page_state(struct zone *zone, enum zone_stat_item item, long delta);
#define mod_zone_page_state __mod_zone_page_state
unsigned long global_zone_page_state(enum zone_stat_item item);
void __count_numa_event(struct zone *zone, enum numa_stat_item item);
unsigned long zone_numa_event_state(struct zone *zone, enum numa_stat_item item);
unsigned long global_numa_event_state(enum numa_stat_item item);
void mod_node_page_state(struct pglist_data *pgdat, enum node_stat_item item, long delta);
unsigned long node_page_state(struct pglist_data *pgdat, enum node_stat_item item);
unsigned long global_node_page_state(enum node_stat_item item);

#endif
