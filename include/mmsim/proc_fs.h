/* SPDX-License-Identifier: GPL-2.0 */
/*
 * proc_fs.h - creating /proc, /sys and /dev files of a machine, as Linux's
 * <linux/proc_fs.h> does: the code that owns the data creates its files
 * from an initcall (init/init.h), and fs/proc/registry.c serves them
 * through mmsim_read() and mmsim_write().
 *
 * A file is a struct proc_entry: its absolute path, a show that prints it
 * into a seq_file, a store that takes a write, and a constant of its own.
 * A path component that is exactly "*" matches any single name, which the
 * handlers find in proc_file.arg ("/sys/kernel/slab/ * /order" without the
 * spaces).  Files are created on the machine of the calling thread's CPU;
 * the tree of a machine changes only while it boots (initcalls), so
 * readers need no lock.  Differences from Linux: paths are absolute
 * strings instead of a proc_dir_entry parent; the create functions return
 * 0 or -errno; a table of files can be created at once.
 */
#ifndef MMSIM_PROC_FS_H
#define MMSIM_PROC_FS_H

#include <stddef.h>

struct mmsim;
struct seq_file;
struct proc_entry;

/* One open file: the entry, its machine, and what a '*' component matched. */
struct proc_file {
	struct mmsim *m;			/* == current_machine() */
	const struct proc_entry *entry;
	char arg[64];				/* the component '*' matched, or "" */
};

/*
 * struct proc_entry - one file of the tree.
 * @path:  the absolute path ("/proc/meminfo")
 * @show:  prints the file into @sf; 0 or -errno.  NULL: write-only (EACCES).
 * @store: takes a write of @text (NUL-terminated); 0 or -errno.  NULL:
 *         read-only (EACCES).  A store either applies the whole value or
 *         changes nothing.
 * @data:  the entry's own constant (a knob descriptor, ...).
 */
struct proc_entry {
	const char *path;
	int (*show)(struct seq_file *sf, struct proc_file *f);
	int (*store)(struct proc_file *f, const char *text);
	const void *data;
};

/* Create the files of @entries (which must outlive the machine: a static table). */
int proc_create_entries(const struct proc_entry *entries, size_t nr);
#define proc_create_table(arr) proc_create_entries((arr), sizeof(arr) / sizeof((arr)[0]))

/* proc_create_data: one file; @path is copied. */
int proc_create_data(const char *path, int (*show)(struct seq_file *sf, struct proc_file *f),
		     int (*store)(struct proc_file *f, const char *text), const void *data);
/* proc_create_single_data: a read-only file shown by @show. */
#define proc_create_single_data(path, show, data) proc_create_data((path), (show), NULL, (data))
#define proc_create_single(path, show) proc_create_data((path), (show), NULL, NULL)

#endif
