// SPDX-License-Identifier: GPL-2.0
/*
 * fs/file.c - per-task file descriptor tables (Linux's fs/file.c):
 * files_struct, get_unused_fd_flags, fd_install, close_fd, fget,
 * copy_files (fork), exit_files (exit), dup.
 *
 * Design.  A files_struct starts with NR_OPEN_DEFAULT (64) slots inline
 * and grows by powers of two (expand_files) up to fs.nr_open; a task may
 * not use a descriptor at or above its RLIMIT_NOFILE (1024 by default):
 * -EMFILE.  Descriptors are handed out lowest free first (next_fd is a
 * hint: no free slot below it).  A slot is reserved by
 * get_unused_fd_flags (its open_fds bit) and filled by fd_install;
 * put_unused_fd gives a reserved slot back.  fork (copy_files) gives the
 * child a copy of the table whose slots point at the same struct files,
 * each with one more reference (dup_fd): parent and child share the file
 * offsets, as in Linux.  CLONE_FILES shares the table itself (count).
 * exit_files drops the task's table; the last user closes every file.
 *
 * Locking: files->file_lock (spinlock) guards the table, the bitmaps and
 * next_fd; fget takes its file reference under it, so a concurrent close
 * cannot free the file first.  fput is called after the lock is dropped.
 * task->files is set at fork/spawn and cleared by exit_files with an
 * atomic exchange; only the task itself and /proc readers (who hold a
 * reference on the task) look at it.
 *
 * Invariants: open_fds has a bit for every reserved or installed slot;
 * every installed slot holds one reference on its file; next_fd <= the
 * lowest free slot; nr_open == the bits set in open_fds.
 */
#include <errno.h>
#include <string.h>
#include <mmsim/err.h>
#include <mmsim/fcntl.h>
#include <mmsim/printk.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/panic.h>
#include <mmsim/seq_file.h>
#include "fs/internal.h"
#include "kernel/internal.h"

#define BITS_PER_LONG_	(8 * sizeof(long))

static bool fd_is_set(const unsigned long *map, unsigned int fd)
{
	return map[fd / BITS_PER_LONG_] & (1ul << (fd % BITS_PER_LONG_));
}

static void fd_set_bit(unsigned long *map, unsigned int fd)
{
	map[fd / BITS_PER_LONG_] |= 1ul << (fd % BITS_PER_LONG_);
}

static void fd_clear_bit(unsigned long *map, unsigned int fd)
{
	map[fd / BITS_PER_LONG_] &= ~(1ul << (fd % BITS_PER_LONG_));
}

static void files_init(struct files_struct *files)
{
	atomic_set(&files->count, 1);
	spin_lock_init(&files->file_lock);
	files->max_fds = NR_OPEN_DEFAULT;
	files->fd = files->fd_array;
	files->open_fds = files->open_fds_init;
	files->close_on_exec = files->close_on_exec_init;
}

struct files_struct *files_alloc(void)
{
	struct files_struct *files = kzalloc(sizeof(*files), GFP_KERNEL);

	if (files)
		files_init(files);
	return files;
}

static void free_fdtable(struct files_struct *files)
{
	if (files->fd != files->fd_array) {
		kfree(files->fd);
		kfree(files->open_fds);
		kfree(files->close_on_exec);
	}
}

/*
 * Make room for descriptor @nr (file_lock held; dropped and retaken
 * around the allocation).  0: grown (look again), or -EMFILE/-ENOMEM.
 */
static int expand_files(struct files_struct *files, unsigned int nr)
{
	struct vfs_state *vfs = vfs_state();
	unsigned int n = files->max_fds, limit = (unsigned int)READ_ONCE(vfs->nr_open);
	struct file **fd;
	unsigned long *open, *cloexec;
	size_t words;

	if (nr < files->max_fds)
		return 0;
	if (nr >= limit)
		return -EMFILE;
	while (n <= nr)
		n *= 2;
	if (n > limit)
		n = limit;
	words = (n + BITS_PER_LONG_ - 1) / BITS_PER_LONG_;
	spin_unlock(&files->file_lock);
	fd = kzalloc(n * sizeof(*fd), GFP_KERNEL);
	open = kzalloc(words * sizeof(long), GFP_KERNEL);
	cloexec = kzalloc(words * sizeof(long), GFP_KERNEL);
	spin_lock(&files->file_lock);
	if (!fd || !open || !cloexec) {
		kfree(fd);
		kfree(open);
		kfree(cloexec);
		return -ENOMEM;
	}
	if (files->max_fds >= n) {	/* someone else grew it meanwhile */
		kfree(fd);
		kfree(open);
		kfree(cloexec);
		return 0;
	}
	memcpy(fd, files->fd, files->max_fds * sizeof(*fd));
	memcpy(open, files->open_fds, files->max_fds / 8);
	memcpy(cloexec, files->close_on_exec, files->max_fds / 8);
	free_fdtable(files);
	files->fd = fd;
	files->open_fds = open;
	files->close_on_exec = cloexec;
	files->max_fds = n;
	return 0;
}

/* The lowest free descriptor >= @start, reserved, or -EMFILE/-ENOMEM. */
static int alloc_fd(struct files_struct *files, unsigned int start, unsigned int end,
		    unsigned int flags)
{
	unsigned int fd;
	int ret;

	spin_lock(&files->file_lock);
	for (;;) {
		fd = start < files->next_fd ? files->next_fd : start;
		while (fd < files->max_fds && fd_is_set(files->open_fds, fd))
			fd++;
		if (fd >= end) {
			ret = -EMFILE;
			goto out;
		}
		if (fd < files->max_fds)
			break;
		ret = expand_files(files, fd);
		if (ret)
			goto out;
	}
	fd_set_bit(files->open_fds, fd);
	if (flags & O_CLOEXEC)
		fd_set_bit(files->close_on_exec, fd);
	else
		fd_clear_bit(files->close_on_exec, fd);
	if (start <= files->next_fd)
		files->next_fd = fd + 1;
	files->nr_open++;
	ret = (int)fd;
out:
	spin_unlock(&files->file_lock);
	return ret;
}

int get_unused_fd_flags(unsigned int flags)
{
	struct task_struct *t = current;

	if (!t || !t->files)
		return -EMFILE;
	return alloc_fd(t->files, 0, (unsigned int)task_rlimit(t, RLIMIT_NOFILE), flags);
}

static void __put_unused_fd(struct files_struct *files, unsigned int fd)
{
	fd_clear_bit(files->open_fds, fd);
	if (fd < files->next_fd)
		files->next_fd = fd;
	files->nr_open--;
}

void put_unused_fd(unsigned int fd)
{
	struct files_struct *files = current ? current->files : NULL;

	if (!files)
		return;
	spin_lock(&files->file_lock);
	if (fd < files->max_fds && fd_is_set(files->open_fds, fd) && !files->fd[fd])
		__put_unused_fd(files, fd);
	spin_unlock(&files->file_lock);
}

void fd_install(unsigned int fd, struct file *file)
{
	struct files_struct *files = current ? current->files : NULL;

	if (!files) {
		fput(file);
		return;
	}
	spin_lock(&files->file_lock);
	if (WARN_ON(fd >= files->max_fds || files->fd[fd] || !fd_is_set(files->open_fds, fd))) {
		spin_unlock(&files->file_lock);
		fput(file);
		return;
	}
	files->fd[fd] = file;
	spin_unlock(&files->file_lock);
}

/* Take @fd out of @files: its file (the table's reference), or NULL. */
static struct file *pick_file(struct files_struct *files, unsigned int fd)
{
	struct file *file = NULL;

	spin_lock(&files->file_lock);
	if (fd < files->max_fds && files->fd[fd]) {
		file = files->fd[fd];
		files->fd[fd] = NULL;
		__put_unused_fd(files, fd);
	}
	spin_unlock(&files->file_lock);
	return file;
}

int close_fd(unsigned int fd)
{
	struct files_struct *files = current ? current->files : NULL;
	struct file *file = files ? pick_file(files, fd) : NULL;

	if (!file)
		return -EBADF;
	return filp_close(file);
}

static struct file *fget_files(struct files_struct *files, unsigned int fd)
{
	struct file *file = NULL;

	spin_lock(&files->file_lock);
	if (fd < files->max_fds && files->fd[fd])
		file = get_file(files->fd[fd]);
	spin_unlock(&files->file_lock);
	return file;
}

struct file *fget(unsigned int fd)
{
	struct task_struct *t = current;

	return t && t->files ? fget_files(t->files, fd) : NULL;
}

long vfs_fget_entry(int fd, struct file **fp)
{
	long ret = vfs_syscall_check();

	if (ret)
		return ret;
	*fp = fd < 0 ? NULL : fget((unsigned int)fd);
	return *fp ? 0 : -EBADF;
}

/* dup_fd: a copy of @old whose slots share old's files. */
static struct files_struct *dup_fd(struct files_struct *old)
{
	struct files_struct *files = files_alloc();
	unsigned int n;

	if (!files)
		return ERR_PTR(-ENOMEM);
	spin_lock(&old->file_lock);
	while (files->max_fds < old->max_fds) {
		/* grow the copy first (expand_files drops only the copy's lock) */
		n = old->max_fds;
		spin_unlock(&old->file_lock);
		spin_lock(&files->file_lock);
		if (expand_files(files, n - 1)) {
			spin_unlock(&files->file_lock);
			put_files_struct(files);
			return ERR_PTR(-ENOMEM);
		}
		spin_unlock(&files->file_lock);
		spin_lock(&old->file_lock);
	}
	for (unsigned int fd = 0; fd < old->max_fds; fd++) {
		struct file *f = old->fd[fd];

		if (!f)
			continue;	/* a reserved, not yet installed slot stays free */
		files->fd[fd] = get_file(f);
		fd_set_bit(files->open_fds, fd);
		if (fd_is_set(old->close_on_exec, fd))
			fd_set_bit(files->close_on_exec, fd);
		files->nr_open++;
	}
	files->next_fd = 0;
	while (files->next_fd < files->max_fds && fd_is_set(files->open_fds, files->next_fd))
		files->next_fd++;
	spin_unlock(&old->file_lock);
	return files;
}

#define CLONE_FILES	0x00000400

int copy_files(unsigned long clone_flags, struct task_struct *tsk)
{
	struct task_struct *parent = current;
	struct files_struct *old = parent ? parent->files : NULL, *files;

	tsk->files = NULL;
	if (!old)
		return 0;	/* kernel threads and init have none */
	if (clone_flags & CLONE_FILES) {
		atomic_inc(&old->count);
		tsk->files = old;
		return 0;
	}
	files = dup_fd(old);
	if (IS_ERR(files))
		return (int)PTR_ERR(files);
	tsk->files = files;
	return 0;
}

void put_files_struct(struct files_struct *files)
{
	if (!atomic_dec_and_test(&files->count))
		return;
	/* close_files: every installed descriptor, lowest first */
	for (unsigned int fd = 0; fd < files->max_fds; fd++) {
		struct file *f = files->fd[fd];

		if (f) {
			files->fd[fd] = NULL;
			filp_close(f);
		}
	}
	free_fdtable(files);
	kfree(files);
}

void exit_files(struct task_struct *tsk)
{
	struct task_state *ts = task_state_of(tsk->machine);
	struct files_struct *files;

	tasklist_lock(ts);	/* Linux: task_lock; /proc readers pin the table under it */
	files = tsk->files;
	tsk->files = NULL;
	tasklist_unlock(ts);
	if (files)
		put_files_struct(files);
}

/* @t's table with a reference (put_files_struct), or NULL (/proc readers). */
static struct files_struct *get_files_struct(struct task_struct *t)
{
	struct task_state *ts = task_state_of(t->machine);
	struct files_struct *files;

	tasklist_lock(ts);
	files = t->files;
	if (files)
		atomic_inc(&files->count);
	tasklist_unlock(ts);
	return files;
}

/*
 * /proc/PID/fd (mmsim: a file, not a directory of symlinks): one line per
 * open descriptor, "FD -> PATH" as `ls -l /proc/PID/fd` ends its lines.
 */
int task_fd_show(struct seq_file *sf, struct task_struct *t)
{
	struct files_struct *files = get_files_struct(t);

	if (!files)
		return 0;
	spin_lock(&files->file_lock);
	for (unsigned int fd = 0; fd < files->max_fds; fd++) {
		struct file *f = files->fd[fd];

		if (f)
			seq_printf(sf, "%u -> %s\n", fd, f->f_name ? f->f_name : "?");
	}
	spin_unlock(&files->file_lock);
	put_files_struct(files);
	return 0;
}

unsigned int files_count_open(struct files_struct *files)
{
	unsigned int n = 0;

	if (!files)
		return 0;
	spin_lock(&files->file_lock);
	for (unsigned int fd = 0; fd < files->max_fds; fd++)
		if (files->fd[fd])
			n++;
	spin_unlock(&files->file_lock);
	return n;
}

long sys_dup(int fd)
{
	struct file *file;
	long ret = vfs_fget_entry(fd, &file);
	int newfd;

	if (ret)
		return ret;
	newfd = get_unused_fd_flags(0);
	if (newfd < 0) {
		fput(file);
		return newfd;
	}
	fd_install((unsigned int)newfd, file);
	return newfd;
}
