/* SPDX-License-Identifier: GPL-2.0 */
/*
 * init/subsystems.h - the subsystems of a machine, once, in order.
 *
 * Each line names a `struct subsystem subsys_<name>` that its own file
 * defines with DEFINE_SUBSYSTEM() (init/init.h).  The order is the order
 * of the initcalls within one level (and of their exits, reversed, at
 * shutdown); a boot parameter belongs to exactly one subsystem.  No
 * include guard: included with different definitions of SUBSYSTEM().
 *
 * Where the next subsystems go (docs/design.md, "Registration seams"):
 * processes, the page cache, swap, reclaim, OOM, compaction, huge pages,
 * the debugging tools and the trace lab each add one line here, after
 * the ones they depend on.
 */
SUBSYSTEM(procfs)		/* fs/proc/registry.c: the tree every file goes into */
SUBSYSTEM(printk)		/* kernel/printk.c: loglevel=, log_buf_len=, panic_on_warn= */
SUBSYSTEM(ratelimit)		/* lib/ratelimit.c: the counters of DEFINE_RATELIMIT_STATE sites */
SUBSYSTEM(oops)			/* kernel/oops.c: panic_on_oops=, oops=panic */
SUBSYSTEM(mm_init)		/* mm/mm_init.c: mem=, kernelcore=, movablecore=, numa=, ... */
SUBSYSTEM(cma)			/* mm/cma.c: cma=; /sys/kernel/mm/cma/ */
SUBSYSTEM(fail_page_alloc)	/* mm/fail_page_alloc.c: fail_page_alloc= */
SUBSYSTEM(page_owner)		/* mm/page_owner.c: page_owner=on; /sys/kernel/debug/page_owner */
SUBSYSTEM(kasan)		/* mm/kasan/init.c: kasan=, kasan_multi_shot, kasan.fault= */
SUBSYSTEM(kmsan)		/* mm/kmsan/: kmsan=on; shadow and origins of every byte of RAM */
SUBSYSTEM(kfence)		/* mm/kfence/: kfence.sample_interval=; /sys/kernel/debug/kfence/ */
SUBSYSTEM(debug_pagealloc)	/* mm/debug_page_alloc.c: debug_pagealloc=, debug_guardpage_minorder= */
SUBSYSTEM(page_poison)		/* mm/page_poison.c: page_poison= */
SUBSYSTEM(page_alloc)		/* mm/page_alloc_init.c: the vm sysctls of the allocator */
SUBSYSTEM(vmstat)		/* mm/vmstat.c: vm.stat_refresh */
SUBSYSTEM(slab)			/* mm/slab_common.c: slub_debug=, ...; /proc/slabinfo, /sys/kernel/slab */
SUBSYSTEM(vmalloc)		/* mm/vmalloc.c: the vmap trees, vm_map_ram, kmap state */
SUBSYSTEM(mm_user)		/* mm/util.c: the mmap family's vm sysctls, overcommit, stack_guard_gap= */
SUBSYSTEM(failslab)		/* mm/failslab.c: failslab=; /sys/kernel/debug/failslab */
SUBSYSTEM(memory)		/* mm/memory.c: the zero page, anon_vma caches, debug.exception-trace */
SUBSYSTEM(memremap)		/* mm/memremap.c: ZONE_DEVICE pgmaps (memremap_pages) */
SUBSYSTEM(thp)			/* mm/huge_memory_files.c: transparent_hugepage=; /sys/kernel/mm/transparent_hugepage/ */
SUBSYSTEM(workqueue)		/* kernel/workqueue.c: deferred work and timers in virtual time */
SUBSYSTEM(kmemleak)		/* mm/kmemleak*.c: kmemleak=; /sys/kernel/debug/kmemleak */
SUBSYSTEM(vmscan)		/* mm/vmscan.c, mm/lru_policy.c: vm.swappiness, lru=; the LRU policy of each node */
SUBSYSTEM(lru_gen)		/* mm/lru_gen.c: MGLRU; /sys/kernel/mm/lru_gen/ */
SUBSYSTEM(shrinker)		/* mm/shrinker.c: the shrinker list; vm.vfs_cache_pressure; debugfs shrinker/ */
SUBSYSTEM(workingset)		/* mm/workingset.c: shadow entries and their node shrinker */
SUBSYSTEM(kswapd)		/* mm/kswapd.c: one kswapd per node; the root memory.reclaim file */
SUBSYSTEM(compaction)		/* mm/compaction*.c, mm/kcompactd.c: kcompactd per node; vm.compact_*; debugfs extfrag/ */
SUBSYSTEM(psi)			/* kernel/psi.c: /proc/pressure/memory */
SUBSYSTEM(oom_kill)		/* mm/oom_kill.c: vm.panic_on_oom, oom_kill_allocating_task, oom_dump_tasks; the reaper */
SUBSYSTEM(writeback)		/* mm/page-writeback.c, mm/backing-dev.c: vm.dirty_*, drop_caches, bdis */
SUBSYSTEM(filemap)		/* mm/filemap.c, mm/readahead.c: fault_around_bytes */
SUBSYSTEM(hugetlb)		/* mm/hugetlb*.c: hugepages=, hugepagesz=; the pools; /sys/kernel/mm/hugepages */
SUBSYSTEM(vfs)			/* fs/super.c, fs/inode.c, fs/dcache.c, fs/namespace.c: the tables; /proc/mounts */
SUBSYSTEM(tmpfs)		/* mm/shmem.c: register tmpfs; the internal shm mount */
SUBSYSTEM(proc_meminfo)		/* fs/proc/meminfo.c */
SUBSYSTEM(proc_zoneinfo)	/* fs/proc/zoneinfo.c: zoneinfo, buddyinfo, pagetypeinfo */
SUBSYSTEM(proc_vmstat)		/* fs/proc/vmstat.c */
SUBSYSTEM(proc_fail_page_alloc)	/* fs/proc/debugfs_fail.c */
SUBSYSTEM(proc_kmsg)		/* fs/proc/kmsg.c: /dev/kmsg */
SUBSYSTEM(proc_sysrq)		/* fs/proc/sysrq.c: /proc/sysrq-trigger */
SUBSYSTEM(proc_tlb)		/* fs/proc/tlb.c */
SUBSYSTEM(proc_vmallocinfo)	/* fs/proc/vmallocinfo.c */
SUBSYSTEM(proc_stat)		/* fs/proc/stat.c */
SUBSYSTEM(proc_task_mmu)	/* fs/proc/task_mmu.c: /proc/PID/maps, smaps, smaps_rollup */
SUBSYSTEM(blkdev)		/* block/genhd.c: disk=, disk_latency=; /proc/diskstats, /sys/block/vda */
SUBSYSTEM(mmfs)			/* fs/mmfs/: register mmfs; mkfs on a disk without one */
SUBSYSTEM(mount_root)		/* fs/namespace.c: mount / (mmfs on vda), tmpfs on /dev/shm and /tmp */
SUBSYSTEM(swapfile)		/* mm/swapfile.c, mm/page_io.c: swap=; the areas, /proc/swaps, sys_swapon/off */
SUBSYSTEM(swap_state)		/* mm/swap_state.c: the swap cache; vm.page-cluster */
SUBSYSTEM(shm)			/* ipc/shm.c: SysV shm ids; kernel.shm*; /proc/sysvipc/shm */
SUBSYSTEM(proc_pid)		/* fs/proc/base.c, array.c: /proc/PID/{status,stat,statm,comm,oom_*} */
SUBSYSTEM(pid)			/* kernel/pid.c: tasks, init; pid_max.  Last: its exit kills the tasks first */
