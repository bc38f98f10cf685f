// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cmd_file.c - the scenario commands of files: open, close, the file
 * half of write, read, fsync, sync, unlink, mkdir, rmdir, ls, drop_caches.
 * (mmap of a file is tools/cmd_proc.c's mmap with a FILE or fd=.)
 *
 * Design.  A file call runs as `current` (spawn/switch choose it), through
 * the system calls of <mmsim/syscalls.h>, and prints what it did in
 * strace's notation with the caller's pid, as the memory calls of
 * tools/cmd_proc.c do:
 *
 *   [pid 2] openat(AT_FDCWD, "/data", O_RDWR|O_CREAT, 0644) = 3
 *
 * A failing call is what the kernel answered (the run goes on; use
 * `expect output`); a malformed argument or no task is an error of the
 * scenario, "FILE:LINE: COMMAND: problem".
 *
 * Data moves through a buffer of the task, as a program's would: `write`
 * and `read` map a 128 KiB private anonymous buffer in current (the size
 * of cat's and cp's buffer), fill it through the MMU (mmsim_user_write)
 * for a write, call sys_write/sys_read once per 128 KiB, and unmap the
 * buffer; the buffer's mmap and munmap are not printed.  The repeated
 * calls print as one line, "N x read(FD, buf, 131072) = BYTES bytes in T
 * ms", T being the virtual time they took (a read from the disk waits
 * for its bios; a read from the cache takes none).
 *
 * ls is `ls -l` (GNU coreutils' columns, owner root, times from the
 * virtual clock, which started at the epoch): the directory is read
 * through its ->iterate_shared (filp_open + dir_context), each entry
 * stat'ed with kern_path + vfs_getattr, so ls needs no task.  drop_caches N writes N to
 * /proc/sys/vm/drop_caches, as `echo N > /proc/sys/vm/drop_caches`.
 *
 * State: none beyond the variables of struct scn (`open ... as VAR` keeps
 * the descriptor).  Single-threaded, like the interpreter.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <time.h>
#include <mmsim/sched.h>
#include <mmsim/mman.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/err.h>
#include <mmsim/fs.h>
#include <mmsim/fcntl.h>
#include "init/machine.h"
#include "tools/scenario.h"

#define FILE_BUF	(128UL << 10)	/* cat's and cp's buffer */
#define FILE_IO_MAX	(1UL << 32)	/* one command moves at most 4 GiB */

static const struct {
	const char *name, *alias;
	unsigned int value;
} open_names[] = {
	{ "O_CREAT", "creat", O_CREAT }, { "O_EXCL", "excl", O_EXCL },
	{ "O_NOCTTY", "noctty", O_NOCTTY }, { "O_TRUNC", "trunc", O_TRUNC },
	{ "O_APPEND", "append", O_APPEND }, { "O_NONBLOCK", "nonblock", O_NONBLOCK },
	{ "O_DSYNC", "dsync", O_DSYNC }, { "O_DIRECT", "direct", O_DIRECT },
	{ "O_LARGEFILE", "largefile", O_LARGEFILE }, { "O_DIRECTORY", "directory", O_DIRECTORY },
	{ "O_NOFOLLOW", "nofollow", O_NOFOLLOW }, { "O_NOATIME", "noatime", O_NOATIME },
	{ "O_CLOEXEC", "cloexec", O_CLOEXEC },
};

static uint64_t file_clock(struct scn *s)
{
	return atomic_load_explicit(&s->m->hw.clock_ns, memory_order_relaxed);
}

/* open(2)'s flags as strace prints them: O_RDONLY|O_CREAT|... */
static void print_open_flags(FILE *f, unsigned int flags)
{
	unsigned int acc = flags & O_ACCMODE;

	fputs(acc == O_RDONLY ? "O_RDONLY" : acc == O_WRONLY ? "O_WRONLY" :
	      acc == O_RDWR ? "O_RDWR" : "O_ACCMODE", f);
	flags &= ~O_ACCMODE;
	if ((flags & O_SYNC) == O_SYNC) {
		fputs("|O_SYNC", f);
		flags &= ~O_SYNC;
	}
	for (size_t i = 0; i < sizeof(open_names) / sizeof(open_names[0]); i++) {
		if (flags & open_names[i].value) {
			fprintf(f, "|%s", open_names[i].name);
			flags &= ~open_names[i].value;
		}
	}
	if (flags)
		fprintf(f, "|%#o", flags);
}

/* FLAGS: rdonly|wronly|rdwr and creat, trunc, ... (or O_* names), joined by ',' or '|'. */
static int parse_open_flags(struct scn *s, const char *word, unsigned int *flags)
{
	*flags = O_RDONLY;
	for (const char *p = word; *p;) {
		size_t n = strcspn(p, ",|"), i;

#define IS(str) (strlen(str) == n && !strncmp(p, str, n))
		if (IS("rdonly") || IS("O_RDONLY") || IS("r")) {
			*flags = (*flags & ~O_ACCMODE) | O_RDONLY;
		} else if (IS("wronly") || IS("O_WRONLY") || IS("w")) {
			*flags = (*flags & ~O_ACCMODE) | O_WRONLY;
		} else if (IS("rdwr") || IS("O_RDWR") || IS("rw")) {
			*flags = (*flags & ~O_ACCMODE) | O_RDWR;
		} else if (IS("sync") || IS("O_SYNC")) {
			*flags |= O_SYNC;
		} else {
			for (i = 0; i < sizeof(open_names) / sizeof(open_names[0]); i++)
				if (IS(open_names[i].name) || IS(open_names[i].alias))
					break;
			if (i == sizeof(open_names) / sizeof(open_names[0]))
				return scn_fail(s, "'%.*s' is not an open flag (rdonly, wronly, rdwr, "
						   "creat, excl, trunc, append, sync, direct, or O_* "
						   "names)", (int)n, p);
			*flags |= open_names[i].value;
		}
#undef IS
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* A descriptor: a number or a variable (open ... as VAR). */
static int parse_fd(struct scn *s, const char *word, int *fd)
{
	unsigned long v = 0;

	if (scn_addr(s, "descriptor", word, &v))
		return -1;
	if (v > 0x7fffffffUL)
		return scn_fail(s, "descriptor '%s' is out of range", word);
	*fd = (int)v;
	return 0;
}

/* openat(AT_FDCWD, "PATH", FLAGS[, MODE]) = RET, printed; the call's result. */
static long file_open(struct scn *s, const char *path, unsigned int flags, unsigned int mode)
{
	long ret = sys_open(path, (int)flags, (int)mode);

	scn_print_pid(s);
	fprintf(s->out, "openat(AT_FDCWD, \"%s\", ", path);
	print_open_flags(s->out, flags);
	if (flags & O_CREAT)
		fprintf(s->out, ", %04o", mode);
	fputc(')', s->out);
	scn_print_ret(s, ret, false);
	return ret;
}

static void file_close(struct scn *s, int fd)
{
	long ret = sys_close(fd);

	scn_print_pid(s);
	fprintf(s->out, "close(%d)", fd);
	scn_print_ret(s, ret, false);
}

/* open PATH [FLAGS] [mode=MODE] [as VAR] */
static int cmd_open(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "mode", NULL };
	unsigned int flags = O_RDONLY;
	unsigned long mode = 0644;
	const char *vals[1], *var;
	int pos = 2;
	long fd;

	if (!scn_running(s) || scn_take_as(s, &argc, argv, &var))
		return -1;
	if (argc < 2)
		return scn_fail(s, "usage: open PATH [FLAGS] [mode=MODE] [as VAR]");
	if (pos < argc && !strchr(argv[pos], '=') && parse_open_flags(s, argv[pos++], &flags))
		return -1;
	if (scn_kv_args(s, argc, argv, pos, keys, vals))
		return -1;
	if (vals[0]) {
		char *end;

		errno = 0;
		mode = strtoul(vals[0], &end, 8);
		if (errno || *end || !vals[0][0] || mode > 07777)
			return scn_fail(s, "mode=%s is not an octal mode (e.g. 0644)", vals[0]);
	}
	fd = file_open(s, argv[1], flags, (unsigned int)mode);
	if (fd >= 0 && var)
		return scn_var_set(s, var, (unsigned long)fd, false);
	return 0;
}

static int cmd_close(struct scn *s, int argc, char **argv)
{
	int fd = -1;

	(void)argc;
	if (!scn_running(s) || parse_fd(s, argv[1], &fd))
		return -1;
	file_close(s, fd);
	return 0;
}

/* A buffer of FILE_BUF bytes in current's address space; 0 after scn_fail(). */
static unsigned long task_buffer(struct scn *s)
{
	unsigned long buf = sys_mmap(0, FILE_BUF, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS, ~0UL, 0);

	if (IS_ERR_VALUE(buf)) {
		scn_fail(s, "no room for a %lu-byte buffer in the task: %s", FILE_BUF,
			 strerror((int)-(long)buf));
		return 0;
	}
	return buf;
}

/* Fill the task's buffer: @pattern is a byte (0..255) or -1 for "offset". */
static int fill_buffer(struct scn *s, unsigned long buf, size_t n, long pattern, uint64_t pos)
{
	unsigned char *host = malloc(n);
	long ret;

	if (!host)
		return scn_fail(s, "out of host memory");
	if (pattern >= 0) {
		memset(host, (int)pattern, n);
	} else {
		/* Each 8-byte word holds its own offset in the file (little-endian). */
		for (size_t i = 0; i < n; i++)
			host[i] = (unsigned char)(((pos + i) & ~7ULL) >> (8 * ((pos + i) & 7)));
	}
	ret = mmsim_user_write(buf, host, n);
	free(host);
	if (ret)
		return scn_fail(s, "cannot fill the task's buffer: %s", strerror((int)-ret));
	return 0;
}

/* "N x CALL(FD, buf, CHUNK) = BYTES bytes in T ms", then the failing call if any. */
static void print_io(struct scn *s, const char *call, int fd, unsigned long calls,
		     unsigned long chunk, uint64_t bytes, uint64_t ns, long err, bool eof)
{
	if (calls) {
		scn_print_pid(s);
		fprintf(s->out, "%lu x %s(%d, buf, %lu) = %llu bytes in %llu.%03llu ms%s\n", calls,
			call, fd, chunk, (unsigned long long)bytes,
			(unsigned long long)(ns / 1000000), (unsigned long long)(ns / 1000 % 1000),
			eof ? ", EOF" : "");
	}
	if (err < 0) {
		scn_print_pid(s);
		fprintf(s->out, "%s(%d, buf, %lu)", call, fd, chunk);
		scn_print_ret(s, err, false);
	}
}

/*
 * Move up to @size bytes between @fd and a task buffer (write when @pattern
 * is given); *@bytes gets what moved.  A short read ends the loop (EOF).
 */
static int file_io(struct scn *s, int fd, bool write, uint64_t size, long pattern)
{
	unsigned long buf = task_buffer(s), calls = 0;
	uint64_t done = 0, t0 = file_clock(s);
	long err = 0;
	bool eof = false;

	if (!buf)
		return -1;
	while (done < size) {
		size_t n = size - done < FILE_BUF ? (size_t)(size - done) : FILE_BUF;
		long ret;

		if (write && (calls < 2 || pattern < 0) && fill_buffer(s, buf, n, pattern, done)) {
			sys_munmap(buf, FILE_BUF);
			return -1;
		}
		ret = write ? sys_write(fd, buf, n) : sys_read(fd, buf, n);
		if (ret < 0) {
			err = ret;
			break;
		}
		calls++;
		done += (uint64_t)ret;
		if ((size_t)ret < n) {
			eof = !write;
			break;
		}
	}
	sys_munmap(buf, FILE_BUF);
	print_io(s, write ? "write" : "read", fd, calls,
		 size < FILE_BUF ? (unsigned long)size : FILE_BUF, done, file_clock(s) - t0, err,
		 eof);
	return 0;
}

/* A path of the machine's file system (not a descriptor): it has a '/'. */
static bool is_path(const char *word)
{
	return strchr(word, '/') != NULL;
}

/* write FILE|FD SIZE [pattern=BYTE|offset] */
int cmd_file_write(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "pattern", NULL };
	const char *vals[1];
	unsigned long size, byte;
	long pattern = 0xaa;
	int fd = -1, ret;

	if (!scn_running(s))
		return -1;
	if (argc < 3)
		return scn_fail(s, "usage: write FILE|FD SIZE [pattern=BYTE|offset]");
	if (scn_size(s, "size", argv[2], 0, FILE_IO_MAX, &size))
		return -1;
	if (scn_kv_args(s, argc, argv, 3, keys, vals))
		return -1;
	if (vals[0] && !strcmp(vals[0], "offset"))
		pattern = -1;
	else if (vals[0] && scn_ulong(s, "pattern", vals[0], 0, 255, &byte))
		return scn_fail(s, "pattern=%s is not a byte (0..255) or offset", vals[0]);
	else if (vals[0])
		pattern = (long)byte;
	if (!is_path(argv[1])) {
		if (parse_fd(s, argv[1], &fd))
			return -1;
		return file_io(s, fd, true, size, pattern);
	}
	/* As the shell's "> FILE" opens it. */
	fd = (int)file_open(s, argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 0;
	ret = file_io(s, fd, true, size, pattern);
	file_close(s, fd);
	return ret;
}

/* read FILE|FD [SIZE]: to EOF without SIZE */
static int cmd_read(struct scn *s, int argc, char **argv)
{
	unsigned long size = FILE_IO_MAX;
	int fd = -1, ret;

	if (!scn_running(s))
		return -1;
	if (argc > 2 && scn_size(s, "size", argv[2], 0, FILE_IO_MAX, &size))
		return -1;
	if (!is_path(argv[1])) {
		if (parse_fd(s, argv[1], &fd))
			return -1;
		return file_io(s, fd, false, size, 0);
	}
	fd = (int)file_open(s, argv[1], O_RDONLY, 0);
	if (fd < 0)
		return 0;
	ret = file_io(s, fd, false, size, 0);
	file_close(s, fd);
	return ret;
}

/* fsync FD, fdatasync FD */
static int cmd_fsync(struct scn *s, int argc, char **argv)
{
	bool data = !strcmp(argv[0], "fdatasync");
	uint64_t t0;
	long ret;
	int fd = -1;

	(void)argc;
	if (!scn_running(s) || parse_fd(s, argv[1], &fd))
		return -1;
	t0 = file_clock(s);
	ret = data ? sys_fdatasync(fd) : sys_fsync(fd);
	scn_print_pid(s);
	fprintf(s->out, "%s(%d)", argv[0], fd);
	if (ret >= 0) {
		uint64_t ns = file_clock(s) - t0;

		fprintf(s->out, " = %ld <%llu.%03llu ms>\n", ret,
			(unsigned long long)(ns / 1000000), (unsigned long long)(ns / 1000 % 1000));
	} else {
		scn_print_ret(s, ret, false);
	}
	return 0;
}

static int cmd_sync(struct scn *s, int argc, char **argv)
{
	uint64_t t0 = file_clock(s), ns;
	long ret;

	(void)argc;
	(void)argv;
	if (current) {
		ret = sys_sync();
	} else {
		ksys_sync();	/* no task: the kernel's own sync, as at shutdown */
		ret = 0;
	}
	ns = file_clock(s) - t0;
	scn_print_pid(s);
	fputs("sync()", s->out);
	if (ret >= 0)
		fprintf(s->out, " = %ld <%llu.%03llu ms>\n", ret,
			(unsigned long long)(ns / 1000000), (unsigned long long)(ns / 1000 % 1000));
	else
		scn_print_ret(s, ret, false);
	return 0;
}

/* unlink PATH, rmdir PATH, mkdir PATH [mode=MODE] */
static int cmd_path_call(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "mode", NULL };
	unsigned long mode = 0755;
	const char *vals[1];
	long ret;

	if (!scn_running(s) || scn_kv_args(s, argc, argv, 2, keys, vals))
		return -1;
	if (vals[0]) {
		char *end;

		errno = 0;
		mode = strtoul(vals[0], &end, 8);
		if (errno || *end || !vals[0][0] || mode > 07777)
			return scn_fail(s, "mode=%s is not an octal mode (e.g. 0755)", vals[0]);
	}
	if (!strcmp(argv[0], "mkdir"))
		ret = sys_mkdir(argv[1], (int)mode);
	else if (!strcmp(argv[0], "rmdir"))
		ret = sys_rmdir(argv[1]);
	else
		ret = sys_unlink(argv[1]);
	scn_print_pid(s);
	if (!strcmp(argv[0], "mkdir"))
		fprintf(s->out, "mkdir(\"%s\", %04lo)", argv[1], mode);
	else
		fprintf(s->out, "%s(\"%s\")", argv[0], argv[1]);
	scn_print_ret(s, ret, false);
	return 0;
}

/* ---------------------------------------------------------------------
 * ls: GNU ls -l
 */

struct ls_ent {
	char name[256];
	struct kstat st;
};

struct ls_ctx {
	struct dir_context ctx;
	struct ls_ent *ents;
	size_t nr, cap;
	bool nomem;
};

static bool ls_actor(struct dir_context *ctx, const char *name, int namelen, loff_t offset,
		     u64 ino, unsigned int d_type)
{
	struct ls_ctx *l = container_of(ctx, struct ls_ctx, ctx);

	(void)offset;
	(void)ino;
	(void)d_type;
	if (namelen <= 0 || name[0] == '.')
		return true;		/* ls without -a: no dot files, no "." or ".." */
	if (l->nr == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct ls_ent *more = realloc(l->ents, cap * sizeof(*more));

		if (!more) {
			l->nomem = true;
			return false;
		}
		l->ents = more;
		l->cap = cap;
	}
	snprintf(l->ents[l->nr].name, sizeof(l->ents[0].name), "%.*s", namelen, name);
	l->nr++;
	return true;
}

static int ls_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ls_ent *)a)->name, ((const struct ls_ent *)b)->name);
}

static void ls_mode(char *out, mode_t mode)
{
	static const char rwx[] = "rwxrwxrwx";

	out[0] = S_ISDIR(mode) ? 'd' : S_ISREG(mode) ? '-' : S_ISLNK(mode) ? 'l' :
		 S_ISCHR(mode) ? 'c' : S_ISBLK(mode) ? 'b' : '?';
	for (int i = 0; i < 9; i++)
		out[1 + i] = mode & (1u << (8 - i)) ? rwx[i] : '-';
	/* setuid, setgid, sticky: s/S, s/S, t/T over the x columns */
	if (mode & S_ISUID)
		out[3] = out[3] == 'x' ? 's' : 'S';
	if (mode & S_ISGID)
		out[6] = out[6] == 'x' ? 's' : 'S';
	if (mode & S_ISVTX)
		out[9] = out[9] == 'x' ? 't' : 'T';
	out[10] = '\0';
}

static int digits(unsigned long long v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static void ls_print(struct scn *s, struct ls_ent *e, size_t nr, bool total)
{
	int wl = 1, ws = 1;
	unsigned long long blocks = 0;

	for (size_t i = 0; i < nr; i++) {
		wl = digits(e[i].st.nlink) > wl ? digits(e[i].st.nlink) : wl;
		ws = digits((unsigned long long)e[i].st.size) > ws ?
		     digits((unsigned long long)e[i].st.size) : ws;
		blocks += (unsigned long long)e[i].st.blocks;
	}
	if (total)
		fprintf(s->out, "total %llu\n", (blocks + 1) / 2);
	for (size_t i = 0; i < nr; i++) {
		time_t when = e[i].st.mtime.tv_sec;
		char mode[11], date[32];
		struct tm tm;

		ls_mode(mode, e[i].st.mode);
		gmtime_r(&when, &tm);
		strftime(date, sizeof(date), "%b %e %H:%M", &tm);
		fprintf(s->out, "%s %*u root root %*lld %s %s\n", mode, wl, e[i].st.nlink, ws,
			(long long)e[i].st.size, date, e[i].name);
	}
}

/* kern_path + vfs_getattr (no task needed, unlike sys_stat); 0 or -errno. */
static int ls_stat(const char *path, struct kstat *st)
{
	struct path p;
	int ret = kern_path(path, LOOKUP_FOLLOW, &p);

	if (ret)
		return ret;
	ret = vfs_getattr(&p, st);
	path_put(&p);
	return ret;
}

/* ls [PATH]: the directory's entries (or the file) as ls -l prints them. */
static int cmd_ls(struct scn *s, int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/";
	struct ls_ctx l = { .ctx = { .actor = ls_actor, .pos = 0 } };
	struct ls_ent one;
	struct file *dir;
	int ret, err = 0;

	ret = ls_stat(path, &one.st);
	if (ret < 0) {
		fprintf(s->out, "ls: cannot access '%s': %s\n", path, strerror(-ret));
		return 0;
	}
	if (!S_ISDIR(one.st.mode)) {
		snprintf(one.name, sizeof(one.name), "%s", path);
		ls_print(s, &one, 1, false);
		return 0;
	}
	dir = filp_open(path, O_RDONLY | O_DIRECTORY, 0);
	if (IS_ERR(dir)) {
		fprintf(s->out, "ls: cannot open directory '%s': %s\n", path,
			strerror((int)-PTR_ERR(dir)));
		return 0;
	}
	if (dir->f_op && dir->f_op->iterate_shared) {
		inode_lock_shared(file_inode(dir));
		err = dir->f_op->iterate_shared(dir, &l.ctx);
		inode_unlock_shared(file_inode(dir));
	} else {
		err = -ENOTDIR;
	}
	filp_close(dir);
	if (l.nomem) {
		free(l.ents);
		return scn_fail(s, "out of host memory");
	}
	if (err < 0) {
		free(l.ents);
		fprintf(s->out, "ls: reading directory '%s': %s\n", path, strerror(-err));
		return 0;
	}
	for (size_t i = 0; i < l.nr; i++) {
		char full[512];

		snprintf(full, sizeof(full), "%s%s%s", path,
			 path[strlen(path) - 1] == '/' ? "" : "/", l.ents[i].name);
		if (ls_stat(full, &l.ents[i].st) < 0)
			memset(&l.ents[i].st, 0, sizeof(l.ents[i].st));
	}
	qsort(l.ents, l.nr, sizeof(*l.ents), ls_cmp);
	ls_print(s, l.ents, l.nr, true);
	free(l.ents);
	return 0;
}

/* drop_caches 1|2|3: echo N > /proc/sys/vm/drop_caches */
static int cmd_drop_caches(struct scn *s, int argc, char **argv)
{
	unsigned long n;
	int ret;

	(void)argc;
	if (scn_ulong(s, "N", argv[1], 1, 4, &n))
		return scn_fail(s, "'%s' is not 1 (page cache), 2 (inodes) or 3 (both)", argv[1]);
	ret = mmsim_write(s->m, "/proc/sys/vm/drop_caches", argv[1]);
	if (ret < 0)
		return scn_fail(s, "/proc/sys/vm/drop_caches: %s", strerror(-ret));
	return 0;
}

static int cmd_write_help(struct scn *s, int argc, char **argv)
{
	return cmd_file_write(s, argc, argv);
}

const struct scn_command scn_file_commands[] = {
	{ "open", cmd_open, true, 2, 6, "open PATH [FLAGS] [mode=MODE] [as VAR]",
	  "sys_open: FLAGS rdonly (default), wronly, rdwr, creat, trunc, append, excl, sync" },
	{ "close", cmd_close, true, 2, 2, "close FD", "sys_close" },
	/* Only for `mmsim help`: scenario.c's write hands these lines here. */
	{ "write", cmd_write_help, true, 3, 4, "write FILE|FD SIZE [pattern=BYTE|offset]",
	  "write SIZE bytes to a file (created, truncated) or FD, 128K a call" },
	{ "read", cmd_read, true, 2, 3, "read FILE|FD [SIZE]",
	  "read a file (to EOF, or SIZE bytes) into the task's buffer, 128K a call" },
	{ "fsync", cmd_fsync, true, 2, 2, "fsync FD", "sys_fsync: write the file back, wait" },
	{ "fdatasync", cmd_fsync, true, 2, 2, "fdatasync FD", "sys_fdatasync" },
	{ "sync", cmd_sync, true, 1, 1, "sync", "sys_sync: write back every dirty page, wait" },
	{ "unlink", cmd_path_call, true, 2, 2, "unlink PATH", "sys_unlink" },
	{ "mkdir", cmd_path_call, true, 2, 3, "mkdir PATH [mode=MODE]", "sys_mkdir (0755)" },
	{ "rmdir", cmd_path_call, true, 2, 2, "rmdir PATH", "sys_rmdir" },
	{ "ls", cmd_ls, true, 1, 2, "ls [PATH]", "the directory (default /) as ls -l shows it" },
	{ "drop_caches", cmd_drop_caches, true, 2, 2, "drop_caches 1|2|3",
	  "echo N > /proc/sys/vm/drop_caches: clean page cache (1), inodes (2), both (3)" },
	{ .name = NULL }
};
