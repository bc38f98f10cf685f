/* SPDX-License-Identifier: GPL-2.0 */
/*
 * fs/proc/internal.h - what the /proc, /sys and /dev renderers share: the
 * text buffer they print into (struct seq_file, from <mmsim/seq_file.h>),
 * the registry entry type, and the parsers for written values.  Not
 * installed.
 *
 * A renderer reads counters and prints them; it never decides policy.  It
 * runs with the calling thread on a CPU of the machine (fs/proc/registry.c
 * arranges that), so PAGE_SIZE, NODE_DATA() and the other Linux-named
 * helpers work as in kernel code.
 */
#ifndef MMSIM_FS_PROC_INTERNAL_H
#define MMSIM_FS_PROC_INTERNAL_H

#include <mmsim/pgtable.h>
#include <mmsim/seq_file.h>
#include <mmsim/proc_fs.h>
#include <mmsim/sysctl.h>
#include "mm/internal.h"

/*
 * PROC_SUBSYSTEM(name, entries): a renderer file's subsystem (init/init.h),
 * whose fs_initcall creates the files of its static table on each machine.
 * The name goes into init/subsystems.h.
 */
#define PROC_SUBSYSTEM(name, entries)						\
static int name##_init(struct mmsim *m, char *err, size_t errlen)		\
{										\
	return proc_create_table(entries);					\
}										\
static const struct initcall name##_initcalls[] = { fs_initcall(name##_init, NULL) }; \
DEFINE_SUBSYSTEM(name, SUBSYS_INITCALLS(name##_initcalls))

/* fs/proc/registry.c: add @e; the tree then owns @owned_path and @owned_data. */
int proc_add(const struct proc_entry *e, void *owned_path, void *owned_data);

/*
 * Parsers for written values (fs/proc/seq.c).  Each takes the whole write:
 * leading and trailing white space (a trailing newline from `echo`) is
 * allowed, anything else is -EINVAL.
 */
/* proc_parse_ints (<mmsim/sysctl.h>): up to @max ints, base 0 like Linux. */
/* kstrtoull / kstrtoll, base 0. */
int proc_parse_ull(const char *text, unsigned long long *val);
int proc_parse_ll(const char *text, long long *val);
/* kstrtobool: first character y/Y/1 or "on" true, n/N/0 or "off" false. */
int proc_parse_bool(const char *text, bool *val);

/* Shared values. */
#define K(x) ((unsigned long)(x) << (PAGE_SHIFT - 10))

/* HPAGE_PMD_SIZE: the PMD-mapped huge page of the arch (its geometry), in bytes. */
static inline unsigned long proc_hpage_pmd_size(void)
{
	return PMD_SIZE;
}

static inline unsigned long proc_hpage_pmd_nr(void)
{
	return proc_hpage_pmd_size() >> PAGE_SHIFT;
}

/* node_page_state_pages: the *_B items are kept in bytes, shown in pages. */
static inline bool vmstat_item_in_bytes(int item)
{
	return item == NR_SLAB_RECLAIMABLE_B || item == NR_SLAB_UNRECLAIMABLE_B;
}

/* THP counters are kept in base pages and shown in huge pages. */
static inline bool vmstat_item_print_in_thp(int item)
{
	return item == NR_ANON_THPS || item == NR_FILE_THPS || item == NR_SHMEM_THPS ||
	       item == NR_SHMEM_PMDMAPPED || item == NR_FILE_PMDMAPPED;
}

static inline unsigned long global_node_page_state_pages(enum node_stat_item item)
{
	unsigned long x = global_node_page_state(item);

	return vmstat_item_in_bytes(item) ? x >> PAGE_SHIFT : x;
}

static inline unsigned long node_page_state_pages(pg_data_t *pgdat, enum node_stat_item item)
{
	unsigned long x = node_page_state(pgdat, item);

	return vmstat_item_in_bytes(item) ? x >> PAGE_SHIFT : x;
}

#endif
