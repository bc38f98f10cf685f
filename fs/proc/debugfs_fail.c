// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/debugfs_fail.c - /sys/kernel/debug/fail_page_alloc/: the knobs of
 * the page allocator's fault injection (mm/fail_page_alloc.c), as Linux's
 * fault_create_debugfs_attr() and fail_page_alloc_debugfs() create them.
 *
 *   file                 debugfs type      struct fault_attr field
 *   probability          ulong   %llu      probability (percent)
 *   interval             ulong   %llu      interval
 *   times                atomic  %lld      times (-1: no limit)
 *   space                atomic  %lld      space (bytes)
 *   verbose              ulong   %llu      verbose
 *   ignore-gfp-wait      bool    Y/N       ignore_gfp_reclaim
 *   ignore-gfp-highmem   bool    Y/N       ignore_gfp_highmem
 *   min-order            u32     %llu      min_order
 *
 * Writes parse like debugfs: unsigned and signed numbers in base 0
 * (kstrtoull/kstrtoll), booleans with kstrtobool.  A value that does not
 * fit its field is -EINVAL (Linux truncates it).  Linux's other fault
 * attributes (task-filter, stacktrace-depth, require-start, ...,
 * verbose_ratelimit_*) have no mmsim meaning and are not created.
 *
 * Locking: as mm/fail_page_alloc.c says, the attributes are set by the
 * configuring thread; single fields are written with WRITE_ONCE.
 */
#include <stdio.h>
#include <limits.h>
#include "fs/proc/internal.h"

enum fa_type { FA_ULONG, FA_LONG, FA_BOOL, FA_U32 };

struct fa_knob {
	size_t offset;			/* in struct fault_attr */
	enum fa_type type;
};

#define FA_KNOB(field, type) { offsetof(struct fault_attr, field), type }

static const struct fa_knob fa_probability = FA_KNOB(probability, FA_ULONG);
static const struct fa_knob fa_interval = FA_KNOB(interval, FA_ULONG);
static const struct fa_knob fa_times = FA_KNOB(times, FA_LONG);
static const struct fa_knob fa_space = FA_KNOB(space, FA_LONG);
static const struct fa_knob fa_verbose = FA_KNOB(verbose, FA_ULONG);
static const struct fa_knob fa_ignore_gfp_wait = FA_KNOB(ignore_gfp_reclaim, FA_BOOL);
static const struct fa_knob fa_ignore_gfp_highmem = FA_KNOB(ignore_gfp_highmem, FA_BOOL);
static const struct fa_knob fa_min_order = FA_KNOB(min_order, FA_U32);

static void *fa_field(struct proc_file *f)
{
	const struct fa_knob *k = f->entry->data;

	return (char *)&f->m->fail_page_alloc + k->offset;
}

static int fa_show(struct seq_file *sf, struct proc_file *f)
{
	const struct fa_knob *k = f->entry->data;
	void *p = fa_field(f);

	switch (k->type) {
	case FA_ULONG:
		seq_printf(sf, "%lu\n", READ_ONCE(*(unsigned long *)p));
		break;
	case FA_LONG:
		seq_printf(sf, "%ld\n", READ_ONCE(*(long *)p));
		break;
	case FA_BOOL:
		seq_puts(sf, READ_ONCE(*(bool *)p) ? "Y\n" : "N\n");
		break;
	case FA_U32:
		seq_printf(sf, "%u\n", READ_ONCE(*(unsigned int *)p));
		break;
	}
	return 0;
}

static int fa_store(struct proc_file *f, const char *text)
{
	const struct fa_knob *k = f->entry->data;
	void *p = fa_field(f);
	unsigned long long u;
	long long s;
	bool b;

	switch (k->type) {
	case FA_ULONG:
		if (proc_parse_ull(text, &u) || u > ULONG_MAX)
			return -EINVAL;
		WRITE_ONCE(*(unsigned long *)p, (unsigned long)u);
		break;
	case FA_LONG:
		if (proc_parse_ll(text, &s) || s < LONG_MIN || s > LONG_MAX)
			return -EINVAL;
		WRITE_ONCE(*(long *)p, (long)s);
		break;
	case FA_BOOL:
		if (proc_parse_bool(text, &b))
			return -EINVAL;
		WRITE_ONCE(*(bool *)p, b);
		break;
	case FA_U32:
		if (proc_parse_ull(text, &u) || u > UINT_MAX)
			return -EINVAL;
		WRITE_ONCE(*(unsigned int *)p, (unsigned int)u);
		break;
	}
	return 0;
}

#define FA_DIR "/sys/kernel/debug/fail_page_alloc/"

static const struct proc_entry fail_page_alloc_entries[] = {
	{ FA_DIR "probability", fa_show, fa_store, &fa_probability },
	{ FA_DIR "interval", fa_show, fa_store, &fa_interval },
	{ FA_DIR "times", fa_show, fa_store, &fa_times },
	{ FA_DIR "space", fa_show, fa_store, &fa_space },
	{ FA_DIR "verbose", fa_show, fa_store, &fa_verbose },
	{ FA_DIR "ignore-gfp-wait", fa_show, fa_store, &fa_ignore_gfp_wait },
	{ FA_DIR "ignore-gfp-highmem", fa_show, fa_store, &fa_ignore_gfp_highmem },
	{ FA_DIR "min-order", fa_show, fa_store, &fa_min_order },
};

PROC_SUBSYSTEM(proc_fail_page_alloc, fail_page_alloc_entries);
