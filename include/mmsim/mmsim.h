/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmsim.h - the machine glue, and every public header.
 *
 * These few names are the only ones that are not Linux's.  A machine is
 * made by mmsim_boot() from a spec (a kernel command line with hardware
 * words, see docs/cli.md); the Linux-named API acts on the machine of the
 * calling thread's current CPU.
 */
#ifndef MMSIM_MMSIM_H
#define MMSIM_MMSIM_H

#include <mmsim/types.h>
#include <mmsim/compiler.h>
#include <mmsim/list.h>
#include <mmsim/printk.h>
#include <mmsim/gfp.h>
#include <mmsim/mm_types.h>
#include <mmsim/mmzone.h>
#include <mmsim/mm.h>
#include <mmsim/memblock.h>
#include <mmsim/vmstat.h>
#include <mmsim/mm_struct.h>
#include <mmsim/pgtable.h>
#include <mmsim/tlbflush.h>
#include <mmsim/mmu.h>
#include <mmsim/slab.h>
#include <mmsim/device.h>
#include <mmsim/vmalloc.h>
#include <mmsim/highmem.h>
#include <mmsim/rbtree.h>
#include <mmsim/seq_file.h>
#include <mmsim/proc_fs.h>
#include <mmsim/sysctl.h>
#include <mmsim/jiffies.h>
#include <mmsim/ratelimit.h>
#include <mmsim/oops.h>
#include <mmsim/panic.h>

struct mmsim;

/* Boot a machine; NULL on a bad spec (see mmsim_last_error()).  The calling
 * thread enters CPU 0 of the new machine. */
struct mmsim *mmsim_boot(const char *spec);
const char *mmsim_last_error(void);
/* Return every host resource of @m; the calling thread leaves its CPU if it
 * was on @m. */
void mmsim_shutdown(struct mmsim *m);
/* Make the calling thread CPU @cpu of @m: 0, -EINVAL (no such CPU), or
 * -EBUSY (another thread is on it).  A thread already on a CPU leaves it. */
int mmsim_enter(struct mmsim *m, int cpu);
void mmsim_leave(void);
/* The machine and CPU of the calling thread (NULL / -1 when none). */
struct mmsim *mmsim_current(void);
int smp_processor_id(void);
int nr_cpu_ids_of(struct mmsim *m);

/* Read a /proc, /sys or /dev/kmsg file: malloc'd NUL-terminated text, or
 * NULL with errno set (ENOENT unknown path, EACCES write-only). */
char *mmsim_read(struct mmsim *m, const char *path);
/* Write a writable file: 0 or -errno (-EINVAL bad value, -ENOENT, -EACCES,
 * -EIO on a halted machine). */
int mmsim_write(struct mmsim *m, const char *path, const char *text);

/* List every file mmsim_read/mmsim_write serve: @fn(@arg, path, access)
 * for each, access being R_OK | W_OK bits (<unistd.h>); a path component
 * "*" stands for any name (a pid, a slab cache, a node).  0, -EINVAL, or
 * the first nonzero return of @fn (which stops the walk). */
int mmsim_for_each_file(struct mmsim *m, int (*fn)(void *arg, const char *path, int access),
			void *arg);

/* True once @m panicked (panic_on_warn, panic_on_oops, sysrq c): it is
 * halted; system calls and user accesses return -EIO, mmsim_read still works
 * (<mmsim/panic.h>). */
bool mmsim_halted(struct mmsim *m);

/* Advance the virtual clock by @ns nanoseconds (timestamps, jiffies). */
void mmsim_advance_clock(struct mmsim *m, uint64_t ns);

/* The virtual clock: nanoseconds since boot (disk latencies, timers and
 * mmsim_advance_clock move it; host time does not). */
uint64_t mmsim_clock_ns(struct mmsim *m);

#endif
