// SPDX-License-Identifier: GPL-2.0
/*
 * tools/tour.c - the built-in tour that `mmsim run` runs with no file.
 *
 * The tour is an ordinary scenario (docs/cli.md), kept here as a string so
 * the binary needs no data files; it runs with tracing on, so every command
 * shows as "$ command" above its output, and its "# ..." echo lines are the
 * commentary.  Errors in it are reported as "tour.scn:LINE".
 *
 * It boots a 64 MiB, 2-CPU x86_64 machine and walks through: the boot log's
 * memory lines, /proc/buddyinfo, a buddy split (with migratetype fallback
 * in /proc/pagetypeinfo), the per-CPU lists and merging, zones and
 * watermarks, a high-order allocation, a failing allocation and its kernel
 * report, and min_free_kbytes moving the watermarks.
 *
 * The commentary describes what the kernel does on this machine; when the
 * allocator's behaviour changes on purpose, tests/test_tour.sh shows the
 * diff against tests/golden/tour.txt: update the commentary with the golden
 * (MMSIM_REGEN=1, see docs/cli.md).  Keep it deterministic: no command here
 * may print a host address (the Bad page state dump does: not in the tour).
 */
#include "tools/scenario.h"

const char tour_scenario[] =
	"echo \"# mmsim: Linux's page allocator, running in user space.\"\n"
	"echo \"# Lines that start with '$' are scenario commands (docs/cli.md); the\"\n"
	"echo \"# lines under them are what the kernel printed.  'mmsim run FILE' runs\"\n"
	"echo \"# a scenario of your own.\"\n"
	"echo\n"
	"echo \"# == 1. Boot ==\"\n"
	"echo \"# A 64 MiB x86_64 machine with 2 CPUs.  The kernel log tells how the\"\n"
	"echo \"# firmware's memory map (e820) became zones: DMA below 16M, DMA32 below\"\n"
	"echo \"# 4G (all the rest here, so Normal is empty), each with its memmap.\"\n"
	"boot ram=64M cpus=2\n"
	"dmesg \"BIOS-e820|Zone ranges|  (DMA|DMA32|Normal) |zone|zonelists|Memory:\"\n"
	"echo\n"
	"echo \"# == 2. Free memory: /proc/buddyinfo ==\"\n"
	"echo \"# The buddy allocator keeps free memory in blocks of 2^order pages.\"\n"
	"echo \"# A row per zone, a column per order (0 = 4K ... 10 = 4M), and in each\"\n"
	"echo \"# the number of free blocks.  Boot left free pages on CPU 0's per-CPU\"\n"
	"echo \"# list; drain gives them back first, so the counts are the whole story.\"\n"
	"drain\n"
	"cat /proc/buddyinfo\n"
	"echo\n"
	"echo \"# == 3. A buddy split ==\"\n"
	"echo \"# One page, GFP_KERNEL (unmovable).  DMA32 has no free unmovable block,\"\n"
	"echo \"# so the allocator falls back: it takes the largest movable block\"\n"
	"echo \"# (order 10), turns its pageblocks unmovable, and halves it down to one\"\n"
	"echo \"# page.  One block of each order 0..9 appears; order 10 loses one.\"\n"
	"alloc a order=0\n"
	"cat /proc/buddyinfo\n"
	"grep \"at order|DMA32, type +(Unmovable|Movable) \" /proc/pagetypeinfo\n"
	"echo\n"
	"echo \"# == 4. Per-CPU lists and merging ==\"\n"
	"echo \"# Freeing the page leaves buddyinfo alone: an order-0 page goes to the\"\n"
	"echo \"# freeing CPU's per-CPU list (zoneinfo's pagesets), where the next\"\n"
	"echo \"# allocation on that CPU finds it without taking the zone lock.\"\n"
	"free a\n"
	"cat /proc/buddyinfo\n"
	"grep \"^Node|cpu:|count:\" /proc/zoneinfo\n"
	"echo \"# Draining the lists returns the page to the buddy allocator.  It merges\"\n"
	"echo \"# with its buddy (pfn ^ 1), the pair with its buddy, and so on up to\"\n"
	"echo \"# order 10: buddyinfo is back where it started.\"\n"
	"drain\n"
	"cat /proc/buddyinfo\n"
	"echo\n"
	"echo \"# == 5. Zones and watermarks ==\"\n"
	"echo \"# Each zone guards its free pages with three watermarks (in pages).\"\n"
	"echo \"# Below low, kswapd is woken to reclaim until free is above high; below\"\n"
	"echo \"# min, only allocations that cannot wait (GFP_ATOMIC) may go on.\"\n"
	"grep \"^Node|^ +(min|low|high|managed) \" /proc/zoneinfo\n"
	"echo\n"
	"echo \"# == 6. A high-order allocation ==\"\n"
	"echo \"# 512 contiguous pages (2M) as one compound page.  The unmovable order-10\"\n"
	"echo \"# block that merged in step 4 is split once: one half is ours, the\"\n"
	"echo \"# other goes on the order-9 list.\"\n"
	"alloc huge order=9 gfp=GFP_KERNEL|__GFP_COMP\n"
	"cat /proc/buddyinfo\n"
	"free huge\n"
	"echo\n"
	"echo \"# == 7. An allocation that fails ==\"\n"
	"echo \"# Twenty 4M blocks do not fit in 64M.  DMA32 gives what it has, then the\"\n"
	"echo \"# zonelist falls back to DMA; when no zone can help, alloc_pages returns\"\n"
	"echo \"# NULL and the kernel logs Linux's report: the request and its flags, a\"\n"
	"echo \"# stack, and the Mem-Info dump of every zone and order.\"\n"
	"alloc big order=10 count=20\n"
	"dmesg\n"
	"free big\n"
	"echo\n"
	"echo \"# == 8. Moving the watermarks: /proc/sys/vm/min_free_kbytes ==\"\n"
	"echo \"# min_free_kbytes is the sum of the zones' min watermarks, shared out by\"\n"
	"echo \"# zone size; low and high follow min.  The kernel derives it from the\"\n"
	"echo \"# size of low memory.  Ask for 4M instead and every watermark moves:\"\n"
	"cat /proc/sys/vm/min_free_kbytes\n"
	"write /proc/sys/vm/min_free_kbytes 4096\n"
	"grep \"^Node|^ +(min|low|high) \" /proc/zoneinfo\n"
	"echo\n"
	"echo \"# == 9. Checking ==\"\n"
	"echo \"# check walks every free list and per-CPU list and verifies the\"\n"
	"echo \"# allocator's invariants (mm_allocator_is_valid).\"\n"
	"check\n"
	"echo\n"
	"echo \"# That was the page allocator.  Next: mmsim run examples/buddy.scn,\"\n"
	"echo \"# examples/fragmentation.scn and examples/numa.scn; docs/cli.md tells\"\n"
	"echo \"# how to write your own.\"\n";
