// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cmd_proc.c - the scenario commands of processes: spawn, switch,
 * the memory system calls (mmap, munmap, mprotect, mremap, brk, madvise,
 * mlock, munlock, mlockall, munlockall), touch and peek (what the program
 * itself does with its memory, through the simulated MMU), fork, exit,
 * kill, wait, and ps.
 *
 * Design.  A system call runs as `current`, the task the scenario's CPU
 * runs (spawn and switch choose it; fork keeps the parent running, as
 * sys_fork does).  Each call prints one line in strace's notation, with
 * the caller's pid as `strace -f` writes it:
 *
 *   [pid 2] mmap(NULL, 65536, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7ffff7ff0000
 *   [pid 2] munmap(0x7ffff7ff0000, 4096) = -1 EINVAL (Invalid argument)
 *
 * A call that fails is what the kernel answered, not an error of the
 * scenario: the run goes on (use `expect output`).  The scenario fails on
 * what cannot be run at all: no task on the CPU, a malformed argument.
 * `as VAR` keeps the result (a pid, an address) in a variable, used as
 * $VAR in any word, or by its bare name where a pid or an address is taken
 * (parse_pid, scn_addr).
 *
 * touch and peek go through mmsim_user_write/mmsim_user_read: TLB, page
 * walk, and on a miss the arch's fault entry, so they show demand faults
 * (the task's min_flt/maj_flt before and after), copy-on-write and, on a
 * bad address, the task's death by SIGSEGV ("+++ killed by SIGSEGV +++";
 * the kernel log has Linux's segfault line).
 *
 * State: none of its own beyond struct scn's variables; tasks are found by
 * pid (find_task_by_vpid) each time, so a reaped task is simply not found.
 * Single-threaded, like the interpreter.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/mman.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/err.h>
#include <mmsim/ipc.h>
#include <mmsim/shm.h>
#include <mmsim/fcntl.h>
#include "tools/scenario.h"

/* ---------------------------------------------------------------------
 * Names of values, both ways
 */

static const struct scn_flag_name prot_names[] = {
	{ "PROT_READ", PROT_READ }, { "PROT_WRITE", PROT_WRITE }, { "PROT_EXEC", PROT_EXEC },
	{ "PROT_SEM", PROT_SEM }, { "PROT_GROWSDOWN", PROT_GROWSDOWN },
	{ "PROT_GROWSUP", PROT_GROWSUP },
};

/* mmap's flags in strace's order (by bit); the short names the scenario takes. */
static const struct {
	const char *name, *alias;
	unsigned long value;
} map_names[] = {
	{ "MAP_SHARED", "shared", MAP_SHARED },
	{ "MAP_PRIVATE", "private", MAP_PRIVATE },
	{ "MAP_SHARED_VALIDATE", "shared_validate", MAP_SHARED_VALIDATE },
	{ "MAP_FIXED", "fixed", MAP_FIXED },
	{ "MAP_ANONYMOUS", "anon", MAP_ANONYMOUS },
	{ "MAP_32BIT", "32bit", MAP_32BIT },
	{ "MAP_GROWSDOWN", "growsdown", MAP_GROWSDOWN },
	{ "MAP_DENYWRITE", "denywrite", MAP_DENYWRITE },
	{ "MAP_EXECUTABLE", "executable", MAP_EXECUTABLE },
	{ "MAP_LOCKED", "locked", MAP_LOCKED },
	{ "MAP_NORESERVE", "noreserve", MAP_NORESERVE },
	{ "MAP_POPULATE", "populate", MAP_POPULATE },
	{ "MAP_NONBLOCK", "nonblock", MAP_NONBLOCK },
	{ "MAP_STACK", "stack", MAP_STACK },
	{ "MAP_HUGETLB", "hugetlb", MAP_HUGETLB },
	{ "MAP_SYNC", "sync", MAP_SYNC },
	{ "MAP_FIXED_NOREPLACE", "fixed_noreplace", MAP_FIXED_NOREPLACE },
	{ "MAP_UNINITIALIZED", "uninitialized", MAP_UNINITIALIZED },
};

static const struct scn_flag_name mremap_names[] = {
	{ "MREMAP_MAYMOVE", MREMAP_MAYMOVE }, { "MREMAP_FIXED", MREMAP_FIXED },
	{ "MREMAP_DONTUNMAP", MREMAP_DONTUNMAP },
};

static const struct scn_flag_name mcl_names[] = {
	{ "MCL_CURRENT", MCL_CURRENT }, { "MCL_FUTURE", MCL_FUTURE }, { "MCL_ONFAULT", MCL_ONFAULT },
};

static const struct scn_flag_name madv_names[] = {
	{ "MADV_NORMAL", MADV_NORMAL }, { "MADV_RANDOM", MADV_RANDOM },
	{ "MADV_SEQUENTIAL", MADV_SEQUENTIAL }, { "MADV_WILLNEED", MADV_WILLNEED },
	{ "MADV_DONTNEED", MADV_DONTNEED }, { "MADV_FREE", MADV_FREE },
	{ "MADV_REMOVE", MADV_REMOVE }, { "MADV_DONTFORK", MADV_DONTFORK },
	{ "MADV_DOFORK", MADV_DOFORK }, { "MADV_MERGEABLE", MADV_MERGEABLE },
	{ "MADV_UNMERGEABLE", MADV_UNMERGEABLE }, { "MADV_HUGEPAGE", MADV_HUGEPAGE },
	{ "MADV_NOHUGEPAGE", MADV_NOHUGEPAGE }, { "MADV_DONTDUMP", MADV_DONTDUMP },
	{ "MADV_DODUMP", MADV_DODUMP }, { "MADV_WIPEONFORK", MADV_WIPEONFORK },
	{ "MADV_KEEPONFORK", MADV_KEEPONFORK }, { "MADV_COLD", MADV_COLD },
	{ "MADV_PAGEOUT", MADV_PAGEOUT }, { "MADV_POPULATE_READ", MADV_POPULATE_READ },
	{ "MADV_POPULATE_WRITE", MADV_POPULATE_WRITE },
	{ "MADV_DONTNEED_LOCKED", MADV_DONTNEED_LOCKED }, { "MADV_COLLAPSE", MADV_COLLAPSE },
};

static const struct scn_flag_name signal_names[] = {
	{ "SIGHUP", SIGHUP }, { "SIGINT", SIGINT }, { "SIGQUIT", SIGQUIT }, { "SIGILL", SIGILL },
	{ "SIGTRAP", SIGTRAP }, { "SIGABRT", SIGABRT }, { "SIGBUS", SIGBUS }, { "SIGFPE", SIGFPE },
	{ "SIGKILL", SIGKILL }, { "SIGUSR1", SIGUSR1 }, { "SIGSEGV", SIGSEGV },
	{ "SIGUSR2", SIGUSR2 }, { "SIGPIPE", SIGPIPE }, { "SIGALRM", SIGALRM },
	{ "SIGTERM", SIGTERM }, { "SIGSTKFLT", SIGSTKFLT }, { "SIGCHLD", SIGCHLD },
	{ "SIGCONT", SIGCONT }, { "SIGSTOP", SIGSTOP }, { "SIGTSTP", SIGTSTP },
	{ "SIGXCPU", SIGXCPU }, { "SIGXFSZ", SIGXFSZ }, { "SIGSYS", SIGSYS },
};

static const struct {
	int err;
	const char *name;
} errno_names[] = {
	{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" }, { EINTR, "EINTR" },
	{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { E2BIG, "E2BIG" }, { EBADF, "EBADF" },
	{ ECHILD, "ECHILD" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
	{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { ENODEV, "ENODEV" },
	{ EINVAL, "EINVAL" }, { ENFILE, "ENFILE" }, { EMFILE, "EMFILE" }, { EFBIG, "EFBIG" },
	{ ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" }, { ENOSYS, "ENOSYS" },
	{ EOVERFLOW, "EOVERFLOW" }, { EOPNOTSUPP, "EOPNOTSUPP" },
};

#define NAMES(t) (t), sizeof(t) / sizeof((t)[0])

static const char *name_of(const struct scn_flag_name *t, size_t n, unsigned long v)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == v)
			return t[i].name;
	return NULL;
}

/* @v as NAME|NAME|0x..., strace-style; @zero when v is 0. */
static void print_flags(FILE *f, const struct scn_flag_name *t, size_t n, unsigned long v,
			const char *zero)
{
	bool first = true;

	if (!v) {
		fputs(zero, f);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if (t[i].value && (v & t[i].value) == t[i].value) {
			fprintf(f, "%s%s", first ? "" : "|", t[i].name);
			v &= ~t[i].value;
			first = false;
		}
	}
	if (v)
		fprintf(f, "%s%#lx", first ? "" : "|", v);
}

static void print_map_flags(FILE *f, unsigned long v)
{
	unsigned long type = v & MAP_TYPE;
	bool first = true;

	for (size_t i = 0; i < 3; i++) {
		if (map_names[i].value == type) {
			fputs(map_names[i].name, f);
			v &= ~MAP_TYPE;
			first = false;
			break;
		}
	}
	for (size_t i = 3; i < sizeof(map_names) / sizeof(map_names[0]); i++) {
		if (v & map_names[i].value) {
			fprintf(f, "%s%s", first ? "" : "|", map_names[i].name);
			v &= ~map_names[i].value;
			first = false;
		}
	}
	if (v || first)
		fprintf(f, "%s%#lx", first ? "" : "|", v);
}

/* " = RESULT\n": a value (hex for addresses), or "-1 ENAME (message)". */
static void print_ret(FILE *f, long ret, bool hex)
{
	if (IS_ERR_VALUE((unsigned long)ret)) {
		const char *name = NULL;

		for (size_t i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
			if (errno_names[i].err == (int)-ret)
				name = errno_names[i].name;
		if (name)
			fprintf(f, " = -1 %s (%s)\n", name, strerror((int)-ret));
		else
			fprintf(f, " = -1 E%ld (%s)\n", -ret, strerror((int)-ret));
	} else if (hex) {
		fprintf(f, " = %#lx\n", (unsigned long)ret);
	} else {
		fprintf(f, " = %ld\n", ret);
	}
}

static void print_addr(FILE *f, unsigned long addr)
{
	if (addr)
		fprintf(f, "%#lx", addr);
	else
		fputs("NULL", f);
}

/* ---------------------------------------------------------------------
 * Parsing arguments
 */

/* "rw", "r-x", "none", or PROT_* names joined by '|'. */
static int parse_prot(struct scn *s, const char *word, unsigned long *prot)
{
	char bad[64];

	if (!strcmp(word, "none") || !strcmp(word, "PROT_NONE") || !strcmp(word, "---")) {
		*prot = PROT_NONE;
		return 0;
	}
	if (strspn(word, "rwx-") == strlen(word)) {
		*prot = (strchr(word, 'r') ? PROT_READ : 0) | (strchr(word, 'w') ? PROT_WRITE : 0) |
			(strchr(word, 'x') ? PROT_EXEC : 0);
		return 0;
	}
	if (scn_parse_flags(NAMES(prot_names), word, ~0UL, prot, bad, sizeof(bad)))
		return scn_fail(s, "'%s' is not a protection (rwx letters, none, or PROT_* names)",
				bad);
	return 0;
}

/* mmap flags: short names or MAP_* names, joined by ',' or '|'. */
static int parse_map_flags(struct scn *s, const char *word, unsigned long *flags)
{
	const char *p = word;

	*flags = 0;
	while (*p) {
		size_t n = strcspn(p, ",|"), i;

		for (i = 0; i < sizeof(map_names) / sizeof(map_names[0]); i++)
			if ((strlen(map_names[i].name) == n && !strncmp(p, map_names[i].name, n)) ||
			    (strlen(map_names[i].alias) == n && !strncmp(p, map_names[i].alias, n)))
				break;
		if (n == 9 && !strncmp(p, "anonymous", n))
			i = 4;
		if (i == sizeof(map_names) / sizeof(map_names[0]))
			return scn_fail(s, "'%.*s' is not an mmap flag (private, shared, anon, fixed, "
					   "fixed_noreplace, populate, noreserve, locked, growsdown, "
					   "stack, or MAP_* names)", (int)n, p);
		*flags |= map_names[i].value;
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* A name of @t, its lower-case short form without the prefix, or a number. */
static int parse_named(struct scn *s, const char *what, const struct scn_flag_name *t, size_t n,
		       const char *prefix, const char *word, unsigned long *out)
{
	size_t plen = strlen(prefix);
	char bad[64];

	for (size_t i = 0; i < n; i++) {
		const char *short_name = t[i].name + plen;

		if (!strcmp(word, t[i].name) || !strcasecmp(word, short_name)) {
			*out = t[i].value;
			return 0;
		}
	}
	if (scn_parse_flags(t, n, word, ~0UL, out, bad, sizeof(bad)))
		return scn_fail(s, "'%s' is not %s", word, what);
	return 0;
}

/* Names of parse_named() joined by ',' or '|', ORed. */
static int parse_list(struct scn *s, const char *what, const struct scn_flag_name *t, size_t n,
		      const char *prefix, const char *word, unsigned long *out)
{
	char token[64];

	*out = 0;
	for (const char *p = word; *p;) {
		size_t len = strcspn(p, ",|");
		unsigned long v;

		if (!len || len >= sizeof(token))
			return scn_fail(s, "'%s' is not a list of %s", word, what);
		memcpy(token, p, len);
		token[len] = '\0';
		if (parse_named(s, what, t, n, prefix, token, &v))
			return -1;
		*out |= v;
		p += len;
		if (*p)
			p++;
	}
	return 0;
}

/* Words "as VAR" at the end of argv: strips them, VAR in *@var (or NULL). */
static int take_as(struct scn *s, int *argc, char **argv, const char **var)
{
	*var = NULL;
	if (*argc >= 3 && !strcmp(argv[*argc - 2], "as")) {
		*var = argv[*argc - 1];
		*argc -= 2;
	}
	for (int i = 1; i < *argc; i++)
		if (!strcmp(argv[i], "as"))
			return scn_fail(s, "'as' takes one name, at the end");
	return 0;
}

/* A pid: a number, or a variable's name (spawn/fork ... as VAR). */
static int parse_pid(struct scn *s, const char *word, pid_t *pid)
{
	unsigned long v;

	if (scn_var_get(s, word, &v) && v <= 0x7fffffff) {
		*pid = (pid_t)v;
		return 0;
	}
	if (scn_ulong(s, "pid", word, 0, 0x7fffffff, &v))
		return scn_fail(s, "'%s' is not a pid or a variable", word);
	*pid = (pid_t)v;
	return 0;
}

/* current, or NULL after scn_fail(). */
static struct task_struct *running(struct scn *s)
{
	struct task_struct *t = current;

	if (!t)
		scn_fail(s, "no process runs on CPU %d (spawn or switch first)",
			 smp_processor_id());
	return t;
}

static void print_pid(struct scn *s, struct task_struct *t)
{
	fprintf(s->out, "[pid %d] ", task_pid_nr(t));
}

/* After a call that may have killed current: strace's last line for it. */
static void print_death(struct scn *s, pid_t pid, struct task_struct *t)
{
	int code = t->exit_code, sig = code & 0x7f;

	if (!t->exit_state && !(t->flags & PF_EXITING))
		return;
	fprintf(s->out, "[pid %d] ", pid);
	if (sig) {
		const char *name = name_of(NAMES(signal_names), (unsigned long)sig);

		fprintf(s->out, "+++ killed by %s%s +++\n", name ? name : "signal",
			WCOREDUMP(code) ? " (core dumped)" : "");
	} else {
		fprintf(s->out, "+++ exited with %d +++\n", WEXITSTATUS(code));
	}
}

/* ---------------------------------------------------------------------
 * Tasks
 */

static int cmd_spawn(struct scn *s, int argc, char **argv)
{
	struct task_struct *t;
	const char *var;
	int ret;

	if (take_as(s, &argc, argv, &var))
		return -1;
	if (argc != 2)
		return scn_fail(s, "usage: spawn COMM [as VAR]");
	t = mmsim_spawn(s->m, argv[1]);
	if (!t) {
		fprintf(s->out, "spawn %s: failed: %s\n", argv[1], strerror(errno));
		return 0;
	}
	fprintf(s->out, "spawn %s: pid %d\n", t->comm, task_pid_nr(t));
	ret = mmsim_switch_to(t);
	if (ret)
		return scn_fail(s, "cannot run pid %d: %s", task_pid_nr(t), strerror(-ret));
	return var ? scn_var_set(s, var, (unsigned long)task_pid_nr(t), false) : 0;
}

static int cmd_switch(struct scn *s, int argc, char **argv)
{
	struct task_struct *t;
	pid_t pid;
	int ret;

	if (parse_pid(s, argv[1], &pid))
		return -1;
	t = find_task_by_vpid(pid);
	if (!t)
		return scn_fail(s, "no process %d", pid);
	ret = mmsim_switch_to(t);
	if (ret)
		return scn_fail(s, "cannot run pid %d: %s", pid, strerror(-ret));
	return 0;
}

static int cmd_fork(struct scn *s, int argc, char **argv)
{
	struct task_struct *t;
	const char *var;
	long ret;

	if (take_as(s, &argc, argv, &var))
		return -1;
	if (argc != 1)
		return scn_fail(s, "usage: fork [as VAR]");
	t = running(s);
	if (!t)
		return -1;
	ret = sys_fork();
	print_pid(s, t);
	fputs("fork()", s->out);
	print_ret(s->out, ret, false);
	if (ret > 0 && var)
		return scn_var_set(s, var, (unsigned long)ret, false);
	return 0;
}

static int cmd_exit(struct scn *s, int argc, char **argv)
{
	struct task_struct *t = running(s);
	unsigned long code = 0;
	pid_t pid;

	if (!t || (argc > 1 && scn_ulong(s, "code", argv[1], 0, 255, &code)))
		return -1;
	pid = task_pid_nr(t);
	get_task_struct(t);
	print_pid(s, t);
	fprintf(s->out, "exit_group(%lu) = ?\n", code);
	sys_exit_group((int)code);
	print_death(s, pid, t);
	put_task_struct(t);
	return 0;
}

static int cmd_kill(struct scn *s, int argc, char **argv)
{
	struct task_struct *t = running(s), *self = t;
	unsigned long sig;
	pid_t pid, me;
	long ret;

	if (!t || parse_pid(s, argv[1], &pid))
		return -1;
	if (parse_named(s, "a signal (SIGKILL, kill, 9)", NAMES(signal_names), "SIG", argv[2],
			&sig))
		return -1;
	me = task_pid_nr(t);
	get_task_struct(self);
	ret = sys_kill(pid, (int)sig);
	print_pid(s, self);
	if (name_of(NAMES(signal_names), sig))
		fprintf(s->out, "kill(%d, %s)", pid, name_of(NAMES(signal_names), sig));
	else
		fprintf(s->out, "kill(%d, %lu)", pid, sig);
	print_ret(s->out, ret, false);
	if (pid == me)
		print_death(s, me, self);
	put_task_struct(self);
	return 0;
}

static void print_wstatus(FILE *f, int st)
{
	if (WIFEXITED(st)) {
		fprintf(f, "[{WIFEXITED(s) && WEXITSTATUS(s) == %d}]", WEXITSTATUS(st));
	} else if (WIFSIGNALED(st)) {
		const char *name = name_of(NAMES(signal_names), (unsigned long)WTERMSIG(st));

		fprintf(f, "[{WIFSIGNALED(s) && WTERMSIG(s) == %s%s}]", name ? name : "?",
			WCOREDUMP(st) ? " && WCOREDUMP(s)" : "");
	} else {
		fprintf(f, "[%#x]", st);
	}
}

static int cmd_wait(struct scn *s, int argc, char **argv)
{
	struct task_struct *t = running(s);
	unsigned long options = 0;
	int st = 0;
	pid_t pid = -1;
	long ret;

	if (!t)
		return -1;
	if (argc > 1 && strcmp(argv[1], "-1") && parse_pid(s, argv[1], &pid))
		return -1;
	if (argc > 2) {
		if (strcmp(argv[2], "nohang") && strcmp(argv[2], "WNOHANG"))
			return scn_fail(s, "'%s' is not nohang", argv[2]);
		options = WNOHANG;
	}
	ret = sys_wait4(pid, &st, (int)options, NULL);
	print_pid(s, t);
	fprintf(s->out, "wait4(%d, ", pid);
	if (ret > 0)
		print_wstatus(s->out, st);
	else
		fputs("&s", s->out);	/* nothing stored: strace shows the address */
	fprintf(s->out, ", %s, NULL)", options ? "WNOHANG" : "0");
	print_ret(s->out, ret, false);
	return 0;
}

static char task_state_char(struct task_struct *t)
{
	if (t->exit_state & EXIT_ZOMBIE)
		return 'Z';
	if (t->exit_state & EXIT_DEAD)
		return 'X';
	return t->on_cpu >= 0 ? 'R' : 'S';
}

/* procps's `ps -o pid,ppid,s,comm`: PID and PPID as wide as pid_max's digits. */
static int cmd_ps(struct scn *s, int argc, char **argv)
{
	char *max = mmsim_read(s->m, "/proc/sys/kernel/pid_max");
	int w = 5;

	if (max) {
		w = (int)strcspn(max, "\n");
		w = w < 5 ? 5 : w;
		free(max);
	}
	fprintf(s->out, "%*s %*s S COMMAND\n", w, "PID", w, "PPID");
	for (struct task_struct *t = next_task_of(s->m, NULL); t; t = next_task_of(s->m, t))
		fprintf(s->out, "%*d %*d %c %s\n", w, task_pid_nr(t), w,
			t->real_parent ? task_pid_nr(t->real_parent) : 0, task_state_char(t),
			t->comm);
	return 0;
}

/* ---------------------------------------------------------------------
 * The memory system calls
 */

/*
 * mmap LEN [PROT] [FLAGS] [FILE] [addr=ADDR] [fd=FD] [offset=OFF] [as VAR]
 *
 * Without FILE or fd= the mapping is anonymous (default anon,private).  A
 * FILE (a path: it starts with '/') is opened first, O_RDWR for a shared
 * writable mapping and O_RDONLY otherwise, and closed after the call, as a
 * program does (the mapping keeps the file); fd=FD maps a descriptor the
 * scenario opened.  With a file the flags default to private.
 */
static int cmd_mmap(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "addr", "fd", "offset", NULL };
	unsigned long len, prot = PROT_READ | PROT_WRITE, flags = MAP_PRIVATE | MAP_ANONYMOUS;
	unsigned long addr = 0, ret, fd = ~0UL, off = 0;
	struct task_struct *t = running(s);
	const char *vals[3], *var, *path = NULL;
	bool flags_given = false;
	int pos = 1;

	if (!t || take_as(s, &argc, argv, &var))
		return -1;
	if (pos >= argc || strchr(argv[pos], '='))
		return scn_fail(s, "usage: mmap LEN [PROT] [FLAGS] [FILE] [addr=ADDR] [fd=FD] "
				   "[offset=OFF] [as VAR]");
	if (scn_addr(s, "length", argv[pos++], &len))
		return -1;
	if (pos < argc && !strchr(argv[pos], '=') && argv[pos][0] != '/' &&
	    parse_prot(s, argv[pos++], &prot))
		return -1;
	if (pos < argc && !strchr(argv[pos], '=') && argv[pos][0] != '/') {
		if (parse_map_flags(s, argv[pos++], &flags))
			return -1;
		flags_given = true;
	}
	if (pos < argc && argv[pos][0] == '/')
		path = argv[pos++];
	if (scn_kv_args(s, argc, argv, pos, keys, vals))
		return -1;
	if (vals[0] && scn_addr(s, "addr=", vals[0], &addr))
		return -1;
	if (vals[1] && path)
		return scn_fail(s, "a FILE or fd=, not both");
	if (vals[1] && scn_addr(s, "fd=", vals[1], &fd))
		return -1;
	if (vals[2] && scn_addr(s, "offset=", vals[2], &off))
		return -1;
	if ((path || vals[1]) && !flags_given)
		flags = MAP_PRIVATE;
	if (path) {
		int oflags = (flags & MAP_TYPE) != MAP_PRIVATE && (prot & PROT_WRITE) ?
			     O_RDWR : O_RDONLY;
		long r = sys_open(path, oflags, 0);

		print_pid(s, t);
		fprintf(s->out, "openat(AT_FDCWD, \"%s\", %s)", path,
			oflags == O_RDWR ? "O_RDWR" : "O_RDONLY");
		print_ret(s->out, r, false);
		if (r < 0)
			return 0;
		fd = (unsigned long)r;
	}
	ret = sys_mmap(addr, len, prot, flags, fd, off);
	print_pid(s, t);
	fputs("mmap(", s->out);
	print_addr(s->out, addr);
	fprintf(s->out, ", %lu, ", len);
	print_flags(s->out, NAMES(prot_names), prot, "PROT_NONE");
	fputs(", ", s->out);
	print_map_flags(s->out, flags);
	if (fd == ~0UL)
		fprintf(s->out, ", -1, %#lx)", off);
	else
		fprintf(s->out, ", %ld, %#lx)", (long)fd, off);
	print_ret(s->out, (long)ret, true);
	if (path) {
		long r = sys_close((int)fd);

		print_pid(s, t);
		fprintf(s->out, "close(%ld)", (long)fd);
		print_ret(s->out, r, false);
	}
	if (!IS_ERR_VALUE(ret) && var)
		return scn_var_set(s, var, ret, true);
	return 0;
}

/* ADDR LEN: the two positional numbers most calls take. */
static int addr_len(struct scn *s, char **argv, unsigned long *addr, unsigned long *len)
{
	return scn_addr(s, "address", argv[1], addr) || scn_addr(s, "length", argv[2], len) ?
	       -1 : 0;
}

static int cmd_munmap(struct scn *s, int argc, char **argv)
{
	struct task_struct *t = running(s);
	unsigned long addr, len;
	long ret;

	if (!t || addr_len(s, argv, &addr, &len))
		return -1;
	ret = sys_munmap(addr, len);
	print_pid(s, t);
	fprintf(s->out, "munmap(%#lx, %lu)", addr, len);
	print_ret(s->out, ret, false);
	return 0;
}

static int cmd_mprotect(struct scn *s, int argc, char **argv)
{
	struct task_struct *t = running(s);
	unsigned long addr, len, prot;
	long ret;

	if (!t || addr_len(s, argv, &addr, &len) || parse_prot(s, argv[3], &prot))
		return -1;
	ret = sys_mprotect(addr, len, prot);
	print_pid(s, t);
	fprintf(s->out, "mprotect(%#lx, %lu, ", addr, len);
	print_flags(s->out, NAMES(prot_names), prot, "PROT_NONE");
	fputc(')', s->out);
	print_ret(s->out, ret, false);
	return 0;
}

/* mremap ADDR OLD_LEN NEW_LEN [FLAGS] [new_addr=ADDR] [as VAR] */
static int cmd_mremap(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "new_addr", NULL };
	struct task_struct *t = running(s);
	unsigned long addr, old_len, new_len, flags = 0, new_addr = 0, ret;
	const char *vals[1], *var;
	int pos = 4;

	if (!t || take_as(s, &argc, argv, &var))
		return -1;
	if (argc < 4)
		return scn_fail(s, "usage: mremap ADDR OLD_LEN NEW_LEN [FLAGS] [new_addr=ADDR] "
				   "[as VAR]");
	if (addr_len(s, argv, &addr, &old_len) || scn_addr(s, "length", argv[3], &new_len))
		return -1;
	if (pos < argc && !strchr(argv[pos], '=') &&
	    parse_list(s, "an mremap flag (maymove, fixed, dontunmap)", NAMES(mremap_names),
		       "MREMAP_", argv[pos++], &flags))
		return -1;
	if (scn_kv_args(s, argc, argv, pos, keys, vals))
		return -1;
	if (vals[0] && scn_addr(s, "new_addr=", vals[0], &new_addr))
		return -1;
	ret = sys_mremap(addr, old_len, new_len, flags, new_addr);
	print_pid(s, t);
	fprintf(s->out, "mremap(%#lx, %lu, %lu, ", addr, old_len, new_len);
	print_flags(s->out, NAMES(mremap_names), flags, "0");
	if (flags & MREMAP_FIXED)
		fprintf(s->out, ", %#lx", new_addr);
	fputc(')', s->out);
	print_ret(s->out, (long)ret, true);
	if (!IS_ERR_VALUE(ret) && var)
		return scn_var_set(s, var, ret, true);
	return 0;
}

/* brk [ADDR|+LEN] [as VAR]: brk(NULL) asks; +LEN grows from the current break. */
static int cmd_brk(struct scn *s, int argc, char **argv)
{
	struct task_struct *t = running(s);
	unsigned long addr = 0, ret;
	const char *var;

	if (!t || take_as(s, &argc, argv, &var))
		return -1;
	if (argc > 2)
		return scn_fail(s, "usage: brk [ADDR|+LEN|-LEN] [as VAR]");
	if (argc == 2 && (argv[1][0] == '+' || argv[1][0] == '-')) {
		unsigned long delta, cur = sys_brk(0);

		if (scn_addr(s, "length", argv[1] + 1, &delta))
			return -1;
		print_pid(s, t);
		fputs("brk(NULL)", s->out);
		print_ret(s->out, (long)cur, true);
		addr = argv[1][0] == '+' ? cur + delta : cur - delta;
	} else if (argc == 2 && strcmp(argv[1], "NULL") && scn_addr(s, "address", argv[1], &addr)) {
		return -1;
	}
	ret = sys_brk(addr);
	print_pid(s, t);
	fputs("brk(", s->out);
	print_addr(s->out, addr);
	fputc(')', s->out);
	print_ret(s->out, (long)ret, true);
	return var ? scn_var_set(s, var, ret, true) : 0;
}

static int cmd_madvise(struct scn *s, int argc, char **argv)
{
	struct task_struct *t = running(s);
	unsigned long addr, len, advice;
	long ret;

	if (!t || addr_len(s, argv, &addr, &len))
		return -1;
	if (parse_named(s, "an advice (dontneed, free, willneed, populate_read, ...)",
			NAMES(madv_names), "MADV_", argv[3], &advice))
		return -1;
	ret = sys_madvise(addr, len, (int)advice);
	print_pid(s, t);
	fprintf(s->out, "madvise(%#lx, %lu, ", addr, len);
	if (name_of(NAMES(madv_names), advice))
		fputs(name_of(NAMES(madv_names), advice), s->out);
	else
		fprintf(s->out, "%#lx /* MADV_??? */", advice);
	fputc(')', s->out);
	print_ret(s->out, ret, false);
	return 0;
}

static int cmd_mlock(struct scn *s, int argc, char **argv)
{
	bool unlock = !strcmp(argv[0], "munlock");
	struct task_struct *t = running(s);
	unsigned long addr, len;
	long ret;

	if (!t || addr_len(s, argv, &addr, &len))
		return -1;
	if (argc > 3) {
		if (unlock || (strcmp(argv[3], "onfault") && strcmp(argv[3], "MLOCK_ONFAULT")))
			return scn_fail(s, "'%s' is not onfault", argv[3]);
		ret = sys_mlock2(addr, len, MLOCK_ONFAULT);
	} else {
		ret = unlock ? sys_munlock(addr, len) : sys_mlock(addr, len);
	}
	print_pid(s, t);
	if (argc > 3)
		fprintf(s->out, "mlock2(%#lx, %lu, MLOCK_ONFAULT)", addr, len);
	else
		fprintf(s->out, "%s(%#lx, %lu)", argv[0], addr, len);
	print_ret(s->out, ret, false);
	return 0;
}

static int cmd_mlockall(struct scn *s, int argc, char **argv)
{
	struct task_struct *t = running(s);
	unsigned long flags = 0;
	long ret;

	if (!t)
		return -1;
	if (!strcmp(argv[0], "munlockall")) {
		ret = sys_munlockall();
		print_pid(s, t);
		fputs("munlockall()", s->out);
		print_ret(s->out, ret, false);
		return 0;
	}
	if (parse_list(s, "an mlockall flag (current, future, onfault)", NAMES(mcl_names),
		       "MCL_", argv[1], &flags))
		return -1;
	ret = sys_mlockall((int)flags);
	print_pid(s, t);
	fputs("mlockall(", s->out);
	print_flags(s->out, NAMES(mcl_names), flags, "0");
	fputc(')', s->out);
	print_ret(s->out, ret, false);
	return 0;
}

/* ---------------------------------------------------------------------
 * What the program does with its memory
 */

#define TOUCH_CHUNK 65536UL	/* the largest page (arm64 64K) */
#define TOUCH_MAX (1UL << 30)	/* a scenario line stays quick: 262144 faults at most */

/* touch ADDR LEN read|write [byte=B] */
static int cmd_touch(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "byte", NULL };
	struct task_struct *t = running(s);
	unsigned long addr, len, byte = 0xaa, done = 0, min0, maj0;
	const char *vals[1];
	bool write;
	pid_t pid;
	long ret = 0;
	char *buf;

	if (!t || addr_len(s, argv, &addr, &len))
		return -1;
	if (len > TOUCH_MAX)
		return scn_fail(s, "length %lu is above 1G (touch a range at a time)", len);
	if (strcmp(argv[3], "read") && strcmp(argv[3], "write"))
		return scn_fail(s, "'%s' is not read or write", argv[3]);
	write = !strcmp(argv[3], "write");
	if (scn_kv_args(s, argc, argv, 4, keys, vals))
		return -1;
	if (vals[0] && scn_ulong(s, "byte", vals[0], 0, 255, &byte))
		return -1;
	if (vals[0] && !write)
		return scn_fail(s, "byte= is for write");
	buf = malloc(TOUCH_CHUNK);
	if (!buf)
		return scn_fail(s, "out of host memory");
	memset(buf, (int)byte, TOUCH_CHUNK);
	pid = task_pid_nr(t);
	get_task_struct(t);
	min0 = t->min_flt;
	maj0 = t->maj_flt;
	while (done < len) {
		/* Up to the next page boundary: a fault names its page. */
		size_t n = PAGE_SIZE - ((addr + done) & (PAGE_SIZE - 1));

		if (n > len - done)
			n = len - done;

		ret = write ? mmsim_user_write(addr + done, buf, n) :
			      mmsim_user_read(addr + done, buf, n);
		if (ret)
			break;
		done += n;
	}
	free(buf);
	print_pid(s, t);
	fprintf(s->out, "%s %#lx-%#lx: %lu minor, %lu major faults", argv[3], addr, addr + len,
		t->min_flt - min0, t->maj_flt - maj0);
	if (ret)
		fprintf(s->out, "; %s at %#lx", ret == -EFAULT ? "fault" : strerror((int)-ret),
			addr + done);
	fputc('\n', s->out);
	if (ret)
		print_death(s, pid, t);
	put_task_struct(t);
	return 0;
}

/* peek ADDR [LEN]: bytes as `xxd` shows them, 16 a line (LEN <= 4096, default 16). */
static int cmd_peek(struct scn *s, int argc, char **argv)
{
	struct task_struct *t = running(s);
	unsigned long addr, len = 16;
	unsigned char buf[4096];
	pid_t pid;
	long ret;

	if (!t || scn_addr(s, "address", argv[1], &addr))
		return -1;
	if (argc > 2 && scn_addr(s, "length", argv[2], &len))
		return -1;
	if (!len || len > sizeof(buf))
		return scn_fail(s, "length %lu is out of range [1, %zu]", len, sizeof(buf));
	pid = task_pid_nr(t);
	get_task_struct(t);
	ret = mmsim_user_read(addr, buf, len);
	if (ret) {
		print_pid(s, t);
		fprintf(s->out, "read %#lx-%#lx: %s\n", addr, addr + len,
			ret == -EFAULT ? "fault" : strerror((int)-ret));
		print_death(s, pid, t);
	} else {
		for (unsigned long i = 0; i < len; i += 16) {
			fprintf(s->out, "%#lx:", addr + i);
			for (unsigned long j = i; j < i + 16 && j < len; j++)
				fprintf(s->out, " %02x", buf[j]);
			fputc('\n', s->out);
		}
	}
	put_task_struct(t);
	return 0;
}

/* --- SysV shm ------------------------------------------------------- */

static const struct { const char *name, *word; unsigned long value; } shm_flag_names[] = {
	{ "IPC_CREAT", "create", IPC_CREAT }, { "IPC_EXCL", "excl", IPC_EXCL },
	{ "SHM_NORESERVE", "noreserve", SHM_NORESERVE }, { "SHM_RDONLY", "rdonly", SHM_RDONLY },
	{ "SHM_RND", "rnd", SHM_RND }, { "SHM_REMAP", "remap", SHM_REMAP },
	{ "SHM_EXEC", "exec", SHM_EXEC }, { "SHM_HUGETLB", "hugetlb", SHM_HUGETLB },
};

/* FLAGS: comma-separated short names of shm_flag_names, or "0". */
static int parse_shm_flags(struct scn *s, const char *word, unsigned long *flags)
{
	char buf[128], *save = NULL, *w;

	*flags = 0;
	if (!strcmp(word, "0"))
		return 0;
	snprintf(buf, sizeof(buf), "%s", word);
	for (w = strtok_r(buf, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		size_t i;

		for (i = 0; i < sizeof(shm_flag_names) / sizeof(shm_flag_names[0]); i++)
			if (!strcmp(w, shm_flag_names[i].word))
				break;
		if (i == sizeof(shm_flag_names) / sizeof(shm_flag_names[0]))
			return scn_fail(s, "unknown shm flag '%s' (create, excl, noreserve, rdonly, "
					"rnd, remap, exec)", w);
		*flags |= shm_flag_names[i].value;
	}
	return 0;
}

static void print_shm_flags(FILE *f, unsigned long flags, unsigned long mode)
{
	bool first = true;

	for (size_t i = 0; i < sizeof(shm_flag_names) / sizeof(shm_flag_names[0]); i++)
		if (flags & shm_flag_names[i].value) {
			fprintf(f, "%s%s", first ? "" : "|", shm_flag_names[i].name);
			first = false;
		}
	if (mode || first)
		fprintf(f, "%s%#lo", first ? "" : "|", mode);
}

static int cmd_shmget(struct scn *s, int argc, char **argv)
{
	unsigned long key = 0, size, flags = 0;
	struct task_struct *t;
	const char *var;
	long ret;

	if (take_as(s, &argc, argv, &var))
		return -1;
	if (argc < 3 || argc > 4)
		return scn_fail(s, "usage: shmget KEY|private SIZE [create,excl,noreserve] [as VAR]");
	t = running(s);
	if (!t || (strcmp(argv[1], "private") && scn_addr(s, "key", argv[1], &key)) ||
	    scn_addr(s, "size", argv[2], &size) ||
	    (argc == 4 && parse_shm_flags(s, argv[3], &flags)))
		return -1;
	ret = sys_shmget((long)(int)key, size, (int)(flags | 0600));
	print_pid(s, t);
	if (key)
		fprintf(s->out, "shmget(%#lx, %lu, ", key, size);
	else
		fprintf(s->out, "shmget(IPC_PRIVATE, %lu, ", size);
	print_shm_flags(s->out, flags, 0600);
	fputc(')', s->out);
	print_ret(s->out, ret, false);
	if (ret >= 0 && var)
		return scn_var_set(s, var, (unsigned long)ret, false);
	return 0;
}

static int cmd_shmat(struct scn *s, int argc, char **argv)
{
	unsigned long id, addr = 0, flags = 0, ret;
	struct task_struct *t;
	const char *var;

	if (take_as(s, &argc, argv, &var))
		return -1;
	if (argc < 2 || argc > 4)
		return scn_fail(s, "usage: shmat ID [ADDR] [rdonly,rnd,remap,exec] [as VAR]");
	t = running(s);
	if (!t || scn_addr(s, "id", argv[1], &id) ||
	    (argc > 2 && scn_addr(s, "address", argv[2], &addr)) ||
	    (argc > 3 && parse_shm_flags(s, argv[3], &flags)))
		return -1;
	ret = sys_shmat((int)id, addr, (int)flags);
	print_pid(s, t);
	fprintf(s->out, "shmat(%lu, %#lx, ", id, addr);
	print_shm_flags(s->out, flags, 0);
	fputc(')', s->out);
	print_ret(s->out, (long)ret, true);
	if (!IS_ERR_VALUE(ret) && var)
		return scn_var_set(s, var, ret, true);
	return 0;
}

static int cmd_shmdt(struct scn *s, int argc, char **argv)
{
	struct task_struct *t = running(s);
	unsigned long addr;
	long ret;

	(void)argc;
	if (!t || scn_addr(s, "address", argv[1], &addr))
		return -1;
	ret = sys_shmdt(addr);
	print_pid(s, t);
	fprintf(s->out, "shmdt(%#lx)", addr);
	print_ret(s->out, ret, false);
	return 0;
}

static int cmd_shmctl(struct scn *s, int argc, char **argv)
{
	static const struct { const char *word, *name; int cmd; } cmds[] = {
		{ "rmid", "IPC_RMID", IPC_RMID }, { "lock", "SHM_LOCK", SHM_LOCK },
		{ "unlock", "SHM_UNLOCK", SHM_UNLOCK }, { "stat", "IPC_STAT", IPC_STAT },
	};
	struct task_struct *t = running(s);
	struct shmid64_ds ds;
	unsigned long id;
	size_t i;
	long ret;

	(void)argc;
	if (!t || scn_addr(s, "id", argv[1], &id))
		return -1;
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[2], cmds[i].word))
			break;
	if (i == sizeof(cmds) / sizeof(cmds[0]))
		return scn_fail(s, "rmid, lock, unlock or stat, not '%s'", argv[2]);
	ret = sys_shmctl((int)id, cmds[i].cmd, &ds);
	print_pid(s, t);
	fprintf(s->out, "shmctl(%lu, %s, ...)", id, cmds[i].name);
	print_ret(s->out, ret, false);
	if (!ret && cmds[i].cmd == IPC_STAT)
		fprintf(s->out, "  key=%#x size=%zu nattch=%lu mode=%#o cpid=%d lpid=%d\n",
			(unsigned int)ds.shm_perm.key, ds.shm_segsz, ds.shm_nattch,
			ds.shm_perm.mode, ds.shm_cpid, ds.shm_lpid);
	return 0;
}

/* ---------------------------------------------------------------------
 * What tools/cmd_file.c shares (declared in tools/scenario.h)
 */

struct task_struct *scn_running(struct scn *s)
{
	return running(s);
}

void scn_print_pid(struct scn *s)
{
	if (current)
		print_pid(s, current);
}

void scn_print_ret(struct scn *s, long ret, bool hex)
{
	print_ret(s->out, ret, hex);
}

int scn_take_as(struct scn *s, int *argc, char **argv, const char **var)
{
	return take_as(s, argc, argv, var);
}

const struct scn_command scn_proc_commands[] = {
	{ "spawn", cmd_spawn, true, 2, 4, "spawn COMM [as VAR]",
	  "start a process (mmsim_spawn) and run it on this CPU" },
	{ "switch", cmd_switch, true, 2, 2, "switch PID|VAR",
	  "run process PID on this CPU (mmsim_switch_to)" },
	{ "ps", cmd_ps, true, 1, 1, "ps", "the processes, as ps -o pid,ppid,s,comm shows them" },
	{ "mmap", cmd_mmap, true, 2, 10,
	  "mmap LEN [PROT] [FLAGS] [FILE] [addr=ADDR] [fd=FD] [offset=OFF] [as VAR]",
	  "sys_mmap: PROT rw (rwx letters, none), FLAGS anon,private (shared, fixed, populate...);"
	  " FILE or fd= maps a file" },
	{ "munmap", cmd_munmap, true, 3, 3, "munmap ADDR LEN", "sys_munmap" },
	{ "mprotect", cmd_mprotect, true, 4, 4, "mprotect ADDR LEN PROT", "sys_mprotect" },
	{ "mremap", cmd_mremap, true, 4, 8,
	  "mremap ADDR OLD NEW [maymove,fixed,dontunmap] [new_addr=A] [as VAR]", "sys_mremap" },
	{ "brk", cmd_brk, true, 1, 4, "brk [ADDR|+LEN|-LEN] [as VAR]",
	  "sys_brk: move the program break (none: ask where it is)" },
	{ "madvise", cmd_madvise, true, 4, 4, "madvise ADDR LEN ADVICE",
	  "sys_madvise: dontneed, free, willneed, populate_read, populate_write, dontfork, ..." },
	{ "mlock", cmd_mlock, true, 3, 4, "mlock ADDR LEN [onfault]", "sys_mlock (sys_mlock2)" },
	{ "munlock", cmd_mlock, true, 3, 3, "munlock ADDR LEN", "sys_munlock" },
	{ "mlockall", cmd_mlockall, true, 2, 2, "mlockall current,future,onfault",
	  "sys_mlockall" },
	{ "munlockall", cmd_mlockall, true, 1, 1, "munlockall", "sys_munlockall" },
	{ "touch", cmd_touch, true, 4, 5, "touch ADDR LEN read|write [byte=B]",
	  "the program reads or writes its memory through the MMU (faults, COW, SIGSEGV)" },
	{ "peek", cmd_peek, true, 2, 3, "peek ADDR [LEN]",
	  "the program reads LEN bytes (default 16) and they are printed in hex" },
	{ "fork", cmd_fork, true, 1, 3, "fork [as VAR]",
	  "sys_fork: the child's pid; the parent keeps running" },
	{ "exit", cmd_exit, true, 1, 2, "exit [CODE]", "sys_exit_group(CODE)" },
	{ "kill", cmd_kill, true, 3, 3, "kill PID|VAR SIG", "sys_kill (SIGKILL, kill, 9)" },
	{ "wait", cmd_wait, true, 1, 3, "wait [PID|VAR|-1] [nohang]",
	  "sys_wait4: reap a child, print its status" },
	{ "shmget", cmd_shmget, true, 3, 6, "shmget KEY|private SIZE [create,excl,noreserve] [as VAR]",
	  "sys_shmget (mode 0600): the segment's id" },
	{ "shmat", cmd_shmat, true, 2, 6, "shmat ID [ADDR] [rdonly,rnd,remap,exec] [as VAR]",
	  "sys_shmat: attach a SysV shm segment" },
	{ "shmdt", cmd_shmdt, true, 2, 2, "shmdt ADDR", "sys_shmdt" },
	{ "shmctl", cmd_shmctl, true, 3, 3, "shmctl ID rmid|lock|unlock|stat", "sys_shmctl" },
	{ .name = NULL }
};
