// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/registry.c - mmsim_read() and mmsim_write(): the path table of
 * the /proc, /sys and /dev files, and the CPU the calling thread runs them on.
 *
 * Design.  Each renderer file (meminfo.c, zoneinfo.c, ...) defines a table
 * of struct proc_entry {path, show, store, data} and exports it with
 * PROC_TABLE(); proc_tables[] below lists the tables.  A read looks the path
 * up, renders the whole file into a seq_file and returns its text; a write
 * hands the text to the entry's store.  Exact paths win over patterns; a
 * pattern component "*" matches one name and is passed on in proc_file.arg.
 *
 * Adding files (slab, vmalloc, processes, ...):
 *   1. in your fs/proc/foo.c, write
 *        static int foo_show(struct seq_file *sf, struct proc_file *f);
 *        static int foo_store(struct proc_file *f, const char *text);
 *        static const struct proc_entry foo_entries[] = {
 *                { "/proc/foo", foo_show, NULL, NULL },
 *                { "/proc/PATTERN/bar", bar_show, bar_store, NULL },  (PATTERN = "*")
 *        };
 *        PROC_TABLE(proc_foo_table, foo_entries);
 *   2. declare `extern const struct proc_table proc_foo_table;` in
 *      fs/proc/internal.h and add &proc_foo_table to proc_tables[] here.
 * The list is explicit, not built by constructors or linker sections: a
 * static libmmsim.a would silently drop an object file nothing refers to.
 *
 * The CPU.  A renderer runs kernel code (NODE_DATA(), PAGE_SIZE, zone
 * locks), which needs the calling thread on a CPU of the machine.
 *   - A thread already on a CPU of @m stays there.
 *   - Otherwise it borrows a free CPU of @m for the call (cpu_borrow(), the
 *     FREE -> BORROWED transition remote drains use), points its
 *     thread-local current_cpu/current_layout at it, and puts both back
 *     afterwards.  A thread that was on a CPU of another machine keeps that
 *     CPU held the whole time, so it cannot lose it to another thread (which
 *     leaving and re-entering could).
 *   - If every CPU of @m is taken, the call runs as an observer on CPU 0's
 *     identity without owning it: renderers only read per-CPU data (with
 *     READ_ONCE) and change global state under its own locks, so this is
 *     safe, and a monitor thread never waits for a busy workload.
 *
 * Locking: none here; each renderer takes what its data needs (zone->lock
 * for free lists, the log mutex for /dev/kmsg, sysctl_lock for sysctls).
 *
 * Errors: mmsim_read returns NULL with errno ENOENT (no such file), EACCES
 * (write-only), EINVAL (no machine), ENOMEM, or what the show returned;
 * mmsim_write returns 0 or -ENOENT, -EACCES (read-only), -EINVAL (bad
 * value: nothing changed), or what the store returned.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fs/proc/internal.h"

static const struct proc_table *const proc_tables[] = {
	&proc_meminfo_table,
	&proc_zoneinfo_table,
	&proc_vmstat_table,
	&proc_sysctl_vm_table,
	&proc_fail_page_alloc_table,
	&proc_kmsg_table,
	&proc_slab_table,
	&proc_tlb_table,
	&proc_vmallocinfo_table,
	&proc_stat_table,
};

/* ---------------------------------------------------------------------
 * Path lookup
 */

/* Match @path against @pattern; a "*" component's match goes to @arg. */
static bool path_match(const char *pattern, const char *path, char *arg, size_t arglen)
{
	const char *start = pattern;

	while (*pattern && *path) {
		bool star = pattern[0] == '*' && (pattern[1] == '/' || !pattern[1]) &&
			    pattern > start && pattern[-1] == '/';

		if (star) {
			size_t n = strcspn(path, "/");

			if (!n || n >= arglen)
				return false;
			memcpy(arg, path, n);
			arg[n] = '\0';
			pattern++;
			path += n;
			continue;
		}
		if (*pattern++ != *path++)
			return false;
	}
	return !*pattern && !*path;
}

static const struct proc_entry *proc_lookup(const char *path, char *arg, size_t arglen)
{
	size_t t, i;

	arg[0] = '\0';
	for (t = 0; t < ARRAY_SIZE(proc_tables); t++)
		for (i = 0; i < proc_tables[t]->nr; i++)
			if (!strcmp(proc_tables[t]->entries[i].path, path))
				return &proc_tables[t]->entries[i];
	for (t = 0; t < ARRAY_SIZE(proc_tables); t++)
		for (i = 0; i < proc_tables[t]->nr; i++) {
			const struct proc_entry *e = &proc_tables[t]->entries[i];

			if (strchr(e->path, '*') && path_match(e->path, path, arg, arglen))
				return e;
		}
	return NULL;
}

void proc_for_each_entry(void (*fn)(const struct proc_entry *e, void *arg), void *arg)
{
	for (size_t t = 0; t < ARRAY_SIZE(proc_tables); t++)
		for (size_t i = 0; i < proc_tables[t]->nr; i++)
			fn(&proc_tables[t]->entries[i], arg);
}

/* ---------------------------------------------------------------------
 * Running on a CPU of the machine
 */

struct proc_cpu {
	struct cpu_state *prev_cpu;		/* the thread's CPU before the call */
	const struct mm_layout *prev_layout;
	struct cpu_state *borrowed;		/* the CPU of @m we hold, or NULL */
};

static void proc_get_cpu(struct mmsim *m, struct proc_cpu *pc)
{
	struct cpu_state *c = NULL;

	pc->prev_cpu = current_cpu;
	pc->prev_layout = current_layout;
	pc->borrowed = NULL;
	if (current_cpu && current_cpu->m == m)
		return;
	for (int cpu = 0; cpu < m->nr_cpus && !c; cpu++)
		if (cpu_borrow(&m->cpus[cpu]))
			c = pc->borrowed = &m->cpus[cpu];
	if (!c)
		c = &m->cpus[0];	/* every CPU is busy: observe as CPU 0 */
	current_cpu = c;
	current_layout = &m->layout;
}

static void proc_put_cpu(struct proc_cpu *pc)
{
	current_cpu = pc->prev_cpu;
	current_layout = pc->prev_layout;
	if (pc->borrowed)
		cpu_return(pc->borrowed);
}

/* ---------------------------------------------------------------------
 * The API
 */

static char *proc_render(struct proc_file *f, int *err)
{
	struct seq_file sf;
	int ret;

	if (seq_init(&sf)) {
		*err = ENOMEM;
		return NULL;
	}
	ret = f->entry->show(&sf, f);
	if (!ret && sf.nomem)
		ret = -ENOMEM;
	if (ret) {
		seq_free(&sf);
		*err = -ret;
		return NULL;
	}
	return sf.buf;
}

/**
 * mmsim_read - the text of a /proc, /sys or /dev file of a machine
 * @m: the machine
 * @path: absolute path, e.g. "/proc/meminfo"
 *
 * Context: any thread, on a CPU of any machine or of none.
 * Return: malloc'd NUL-terminated text, or NULL with errno set.
 */
char *mmsim_read(struct mmsim *m, const char *path)
{
	struct proc_file f = { .m = m };
	struct proc_cpu pc;
	char *text;
	int err = 0;

	if (!m || !path) {
		errno = EINVAL;
		return NULL;
	}
	f.entry = proc_lookup(path, f.arg, sizeof(f.arg));
	if (!f.entry) {
		errno = ENOENT;
		return NULL;
	}
	if (!f.entry->show) {
		errno = EACCES;
		return NULL;
	}
	proc_get_cpu(m, &pc);
	text = proc_render(&f, &err);
	proc_put_cpu(&pc);
	if (!text)
		errno = err;
	return text;
}

/**
 * mmsim_write - write @text to a writable file of a machine
 * @m: the machine
 * @path: absolute path, e.g. "/proc/sys/vm/min_free_kbytes"
 * @text: the value, as `echo` would write it (a trailing newline is fine)
 *
 * Context: any thread, on a CPU of any machine or of none.
 * Return: 0, or -errno; on -EINVAL nothing was changed.
 */
int mmsim_write(struct mmsim *m, const char *path, const char *text)
{
	struct proc_file f = { .m = m };
	struct proc_cpu pc;
	int ret;

	if (!m || !path || !text)
		return -EINVAL;
	f.entry = proc_lookup(path, f.arg, sizeof(f.arg));
	if (!f.entry)
		return -ENOENT;
	if (!f.entry->store)
		return -EACCES;
	proc_get_cpu(m, &pc);
	ret = f.entry->store(&f, text);
	proc_put_cpu(&pc);
	return ret;
}
