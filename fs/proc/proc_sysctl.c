// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/proc_sysctl.c - /proc/sys: register_sysctl() and the standard
 * handlers proc_dointvec() and proc_dointvec_minmax() (Linux's
 * fs/proc/proc_sysctl.c and kernel/sysctl.c).
 *
 * register_sysctl("vm", table) copies each entry of the table and creates
 * /proc/sys/vm/<procname> in the current machine's tree (fs/proc/
 * registry.c), which then owns the copy and its path.  A read calls the
 * entry's handler with write == 0 and a seq_file to print into; a write
 * calls it with the text, under sysctl_lock.
 *
 * Locking: sysctl_lock, one mutex for every machine, serializes writers and
 * whatever a handler recomputes after a write (watermarks, pcp sizes);
 * readers read an int once, without it.
 *
 * Invariants: a write either stores the whole new value or returns -EINVAL
 * and leaves the value as it was; a value outside [*extra1, *extra2] is
 * never stored by proc_dointvec_minmax().
 */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs/proc/internal.h"

const int sysctl_vals[] = { 0, 1, INT_MAX };

static pthread_mutex_t sysctl_lock = PTHREAD_MUTEX_INITIALIZER;

static int sysctl_show(struct seq_file *sf, struct proc_file *f)
{
	const struct ctl_table *t = f->entry->data;

	return t->proc_handler(t, 0, sf, NULL);
}

static int sysctl_store(struct proc_file *f, const char *text)
{
	const struct ctl_table *t = f->entry->data;
	int ret;

	pthread_mutex_lock(&sysctl_lock);
	ret = t->proc_handler(t, 1, NULL, text);
	pthread_mutex_unlock(&sysctl_lock);
	return ret;
}

/**
 * register_sysctl_sz - create /proc/sys/@path/<procname> for each entry
 * @path: the directory under /proc/sys ("vm", "kernel", "vm/foo")
 * @table: the entries; copied, so .data may point at this machine's state
 * @n: how many
 *
 * Context: an initcall of the booting machine.
 * Return: 0, or -ENOMEM / -EEXIST / -EINVAL (entries created before the
 * failing one stay, freed with the machine).
 */
int register_sysctl_sz(const char *path, const struct ctl_table *table, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct ctl_table *t = &table[i];
		struct ctl_table *copy = malloc(sizeof(*copy));
		char *full = NULL;
		struct proc_entry e;
		int ret;

		if (!copy || asprintf(&full, "/proc/sys/%s/%s", path, t->procname) < 0) {
			free(copy);
			return -ENOMEM;
		}
		*copy = *t;
		e = (struct proc_entry){
			.path = full,
			.show = (t->mode & 0444) ? sysctl_show : NULL,
			.store = (t->mode & 0222) ? sysctl_store : NULL,
			.data = copy,
		};
		ret = proc_add(&e, full, copy);
		if (ret) {
			free(full);
			free(copy);
			return ret;
		}
	}
	return 0;
}

/* Print the int vector of @t, tab-separated, as proc_dointvec does. */
static void print_ints(const struct ctl_table *t, struct seq_file *sf)
{
	const int *v = t->data;
	int n = t->maxlen / (int)sizeof(int);

	for (int i = 0; i < n; i++)
		seq_printf(sf, "%s%d", i ? "\t" : "", READ_ONCE(v[i]));
	seq_putc(sf, '\n');
}

static int store_ints(const struct ctl_table *t, const char *text, const int *min,
		      const int *max)
{
	int vals[16], n = t->maxlen / (int)sizeof(int), nr;
	int *v = t->data;

	if (n > (int)ARRAY_SIZE(vals))
		return -EINVAL;
	nr = proc_parse_ints(text, vals, n);
	if (nr < 0)
		return nr;
	for (int i = 0; i < nr; i++)
		if ((min && vals[i] < *min) || (max && vals[i] > *max))
			return -EINVAL;
	for (int i = 0; i < nr; i++)
		WRITE_ONCE(v[i], vals[i]);
	return 0;
}

int proc_dointvec(const struct ctl_table *t, int write, struct seq_file *sf, const char *text)
{
	if (!write) {
		print_ints(t, sf);
		return 0;
	}
	return store_ints(t, text, NULL, NULL);
}

int proc_dointvec_minmax(const struct ctl_table *t, int write, struct seq_file *sf,
			 const char *text)
{
	if (!write) {
		print_ints(t, sf);
		return 0;
	}
	return store_ints(t, text, t->extra1, t->extra2);
}
