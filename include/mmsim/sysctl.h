/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sysctl.h - /proc/sys tables, as Linux's <linux/sysctl.h>: a subsystem
 * describes its knobs with struct ctl_table and registers them under a
 * directory with register_sysctl("vm", table) from an initcall, next to the
 * data.  The table is copied, so it may be built on the stack with the
 * machine's own addresses in .data.
 *
 * proc_handler: on a read (@write == 0) print the value into @sf; on a
 * write parse @text and either apply the whole value or return -EINVAL and
 * change nothing.  Writes of every machine are serialized by one mutex
 * (sysctl_lock), which a handler's follow-up work (recomputing watermarks,
 * ...) runs under.  Values are printed and parsed as Linux's proc_dointvec()
 * does: "%d\n", vectors tab-separated, base 0 on input.
 */
#ifndef MMSIM_SYSCTL_H
#define MMSIM_SYSCTL_H

#include <stddef.h>

struct seq_file;

struct ctl_table {
	const char *procname;		/* the file's name under the directory */
	void *data;			/* the value (an int, or int[maxlen / sizeof(int)]) */
	int maxlen;			/* bytes at @data */
	unsigned short mode;		/* 0644, 0444 or 0200 */
	int (*proc_handler)(const struct ctl_table *table, int write, struct seq_file *sf,
			    const char *text);
	const void *extra1, *extra2;	/* proc_dointvec_minmax: const int *min, *max */
};

/* Register @n entries of @table under /proc/sys/@path on the current machine. */
int register_sysctl_sz(const char *path, const struct ctl_table *table, size_t n);
#define register_sysctl(path, table) \
	register_sysctl_sz((path), (table), sizeof(table) / sizeof((table)[0]))

int proc_dointvec(const struct ctl_table *table, int write, struct seq_file *sf, const char *text);
int proc_dointvec_minmax(const struct ctl_table *table, int write, struct seq_file *sf,
			 const char *text);

/* Up to @max ints separated by white space, base 0 as proc_dointvec reads
 * them; the count read (>= 1) or -EINVAL (fs/proc/seq.c). */
int proc_parse_ints(const char *text, int *vals, int max);

extern const int sysctl_vals[];		/* SYSCTL_ZERO, SYSCTL_ONE, SYSCTL_INT_MAX */
#define SYSCTL_ZERO	(&sysctl_vals[0])
#define SYSCTL_ONE	(&sysctl_vals[1])
#define SYSCTL_INT_MAX	(&sysctl_vals[2])

#endif
