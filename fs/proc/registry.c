// SPDX-License-Identifier: GPL-2.0
/*
 * fs/proc/registry.c - the /proc, /sys and /dev tree of each machine, and
 * mmsim_read()/mmsim_write(), run on a CPU of the machine.
 *
 * Design.  The tree is per machine: the state of subsystem "procfs"
 * (init/init.h), an array of struct proc_entry filled while the machine
 * boots by the initcalls of the code that owns the data --
 * proc_create_table(), proc_create_data() (<mmsim/proc_fs.h>) and
 * register_sysctl() (<mmsim/sysctl.h>, fs/proc/proc_sysctl.c).  A read
 * looks the path up, renders the whole file into a seq_file and returns
 * its text; a write hands the text to the entry's store.  Exact paths win
 * over patterns; a pattern component "*" matches one name and is passed on
 * in proc_file.arg.  Creating a path that exists fails with -EEXIST.
 *
 * Adding files: in the file that owns the data, an initcall
 *        static int foo_proc_init(struct mmsim *m, char *err, size_t len)
 *        {
 *                return proc_create_single("/proc/foo", foo_show);
 *        }
 * listed in the subsystem's DEFINE_SUBSYSTEM(..., SUBSYS_INITCALLS(...)).
 * A renderer of fs/proc/ with a static table uses PROC_SUBSYSTEM().
 *
 * Invariants: the tree changes only during boot (initcalls) and is freed
 * with the machine, so lookups take no lock; no two entries share a path.
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
#include <mmsim/panic.h>
#include <string.h>
#include <unistd.h>
#include "fs/proc/internal.h"

/* One file of a machine's tree; @owned is what to free with it. */
struct proc_node {
	struct proc_entry e;
	void *owned_path, *owned_data;
};

struct proc_root {
	struct proc_node *nodes;
	size_t nr, cap;
};

static void proc_root_release(void *state)
{
	struct proc_root *root = state;

	for (size_t i = 0; i < root->nr; i++) {
		free(root->nodes[i].owned_path);
		free(root->nodes[i].owned_data);
	}
	free(root->nodes);
}

DEFINE_SUBSYSTEM(procfs, SUBSYS_STATE(struct proc_root, NULL), .state_release = proc_root_release);

/* ---------------------------------------------------------------------
 * Creating files
 */

static struct proc_root *proc_root_of(struct mmsim *m)
{
	return subsys_state(m, procfs);
}

static const struct proc_entry *proc_lookup_exact(struct proc_root *root, const char *path)
{
	for (size_t i = 0; i < root->nr; i++)
		if (!strcmp(root->nodes[i].e.path, path))
			return &root->nodes[i].e;
	return NULL;
}

/*
 * proc_add - add @e to the current machine's tree; on success the tree owns
 * @owned_path and @owned_data (freed with the machine), on failure the
 * caller still does.
 */
int proc_add(const struct proc_entry *e, void *owned_path, void *owned_data)
{
	struct mmsim *m = current_machine();
	struct proc_root *root;

	if (!m || !e->path || e->path[0] != '/')
		return -EINVAL;
	root = proc_root_of(m);
	if (proc_lookup_exact(root, e->path))
		return -EEXIST;
	if (root->nr == root->cap) {
		size_t cap = root->cap ? root->cap * 2 : 64;
		struct proc_node *n = realloc(root->nodes, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		root->nodes = n;
		root->cap = cap;
	}
	root->nodes[root->nr++] = (struct proc_node){ *e, owned_path, owned_data };
	return 0;
}

int proc_create_entries(const struct proc_entry *entries, size_t nr)
{
	for (size_t i = 0; i < nr; i++) {
		int ret = proc_add(&entries[i], NULL, NULL);

		if (ret)
			return ret;
	}
	return 0;
}

int proc_create_data(const char *path, int (*show)(struct seq_file *sf, struct proc_file *f),
		     int (*store)(struct proc_file *f, const char *text), const void *data)
{
	char *copy = strdup(path);
	struct proc_entry e = { copy, show, store, data };
	int ret;

	if (!copy)
		return -ENOMEM;
	ret = proc_add(&e, copy, NULL);
	if (ret)
		free(copy);
	return ret;
}

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

static const struct proc_entry *proc_lookup(struct mmsim *m, const char *path, char *arg,
					    size_t arglen)
{
	struct proc_root *root = proc_root_of(m);
	const struct proc_entry *e = proc_lookup_exact(root, path);

	arg[0] = '\0';
	if (e)
		return e;
	for (size_t i = 0; i < root->nr; i++) {
		e = &root->nodes[i].e;
		if (strchr(e->path, '*') && path_match(e->path, path, arg, arglen))
			return e;
	}
	return NULL;
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
	current_layout = &m->hw.layout;
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
	f.entry = proc_lookup(m, path, f.arg, sizeof(f.arg));
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
 * mmsim_for_each_file - list the files of a machine's tree
 * @m: the machine
 * @fn: called with each file's path (a component "*" stands for any name:
 *      a pid, a slab cache, a node) and its access, R_OK | W_OK bits
 * @arg: passed to @fn
 *
 * In creation order.  The tree changes only while the machine boots, so
 * this takes no lock and any thread may call it (mmsim serve's readdir).
 * Return: 0, -EINVAL (no machine), or the first nonzero return of @fn,
 * which stops the walk.
 */
int mmsim_for_each_file(struct mmsim *m, int (*fn)(void *arg, const char *path, int access),
			void *arg)
{
	struct proc_root *root;

	if (!m || !fn)
		return -EINVAL;
	root = proc_root_of(m);
	for (size_t i = 0; i < root->nr; i++) {
		const struct proc_entry *e = &root->nodes[i].e;
		int ret = fn(arg, e->path, (e->show ? R_OK : 0) | (e->store ? W_OK : 0));

		if (ret)
			return ret;
	}
	return 0;
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
	if (mmsim_halted(m))
		return -EIO;	/* a panicked kernel takes no more writes */
	f.entry = proc_lookup(m, path, f.arg, sizeof(f.arg));
	if (!f.entry)
		return -ENOENT;
	if (!f.entry->store)
		return -EACCES;
	proc_get_cpu(m, &pc);
	ret = f.entry->store(&f, text);
	proc_put_cpu(&pc);
	return ret;
}
