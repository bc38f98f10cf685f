// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/record_lackey.c - `mmsim record --backend lackey`: the program
 * runs under valgrind's lackey and every load, store and instruction fetch
 * becomes a record (docs/record.md).
 *
 *   valgrind --tool=lackey --trace-mem=yes --trace-syscalls=yes
 *            --child-silent-after-fork=yes -d --log-fd=LOG PROGRAM ARGS...
 *
 * Two pipes, read with poll(2) and parsed a line at a time (never the whole
 * log: programs make hundreds of millions of accesses):
 *  - LOG (--log-fd) carries lackey's " L|S|M addr,size" / "I  addr,size"
 *    lines and --trace-syscalls' "SYSCALL[pid,tid](nr) sys_NAME ( args )
 *    --> ... Success(0x..)" lines, written by the same thread in program
 *    order: the mmap/munmap/mprotect/mremap/brk records land exactly
 *    between the accesses before and after the call.  An [async] call's
 *    result comes on a later "... [async] --> Success" line; the args wait
 *    in a slot per thread.  fork is valgrind's own "clone(fork): process P
 *    created child C" note; exit_group is "exit_group( N )".
 *  - stderr (valgrind's, and so the program's) carries the -d debug log:
 *    its "SHOW_SEGMENTS: Memory layout at client startup" block lists the
 *    mappings valgrind's loader made before the program's first
 *    instruction (the program, ld.so, the stack), which no syscall shows:
 *    they become the first MMAP records.  Lines that are not debug lines
 *    are the program's stderr and are copied to ours.  LOG is not read
 *    until that block has been seen, so the layout precedes every access.
 *
 * What it misses (docs/record.md): the accesses of forked children
 * (--child-silent-after-fork silences them: the FORK record is there, the
 * child's accesses are not) and of exec'd images (valgrind does not follow
 * exec: the process's EXIT is synthesised at the end); the kernel's own
 * accesses on the program's behalf (read(2) into a buffer).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tools/lab/record.h"

#define LK_BUF		(1u << 20)
#define LK_PENDING	16		/* [async] slots, by tid */
#define LK_SEGS		256

struct lk_line_buf {
	char *buf;
	size_t len;
	bool eof;
};

struct lk_pending {
	unsigned long tid;
	unsigned long nr;
	uint64_t a[6];
	bool used;
};

struct lk_seg {
	char kind[8];		/* file, anon, RSVN, FILE, ANON, "" (free) */
	uint64_t start, end;	/* [start, end] inclusive, as aspacem prints */
	char perms[8];
	bool sm_lower, sm_upper;
};

struct lk_state {
	const struct rec_opts *o;
	struct rec_sink *s;
	pid_t pid;		/* valgrind's = the program's */
	uint64_t now;		/* ns since the start, per read batch */
	uint64_t brk;		/* last break recorded */
	bool layout_done;	/* the startup segment block has been parsed */
	bool in_block;
	unsigned int nr_segs;
	struct lk_seg segs[LK_SEGS];
	struct lk_pending pending[LK_PENDING];
};

static bool lk_emit(struct lk_state *st, uint8_t op, uint64_t addr, uint64_t len)
{
	struct trace_rec rec = {
		.op = op, .addr = addr, .len = len, .pid = (uint32_t)st->pid, .time = st->now,
	};

	return rec_emit(st->s, &rec);
}

/* Hex digits at *@p (no 0x): the value; *@p moves past them. */
static inline uint64_t lk_hex(const char **p)
{
	const char *c = *p;
	uint64_t v = 0;

	for (;; c++) {
		unsigned int d = (unsigned char)*c;

		if (d - '0' < 10)
			v = v << 4 | (d - '0');
		else if ((d | 0x20) - 'a' < 6)
			v = v << 4 | ((d | 0x20) - 'a' + 10);
		else
			break;
	}
	*p = c;
	return v;
}

/* A number as --trace-syscalls prints it: 0x... hex or decimal. */
static uint64_t lk_num(const char **p)
{
	const char *c = *p;

	while (*c == ' ')
		c++;
	if (c[0] == '0' && c[1] == 'x') {
		c += 2;
		*p = c;
		return lk_hex(p);
	}
	*p = c;
	return strtoull(c, (char **)p, 10);
}

/* An access line: "I  addr,size" or " L|S|M addr,size". */
static bool lk_access(struct lk_state *st, const char *line)
{
	const char *p = line + 3;
	uint64_t addr, len;
	char kind = line[0] == 'I' ? 'I' : line[1];

	addr = lk_hex(&p);
	len = *p == ',' ? strtoull(p + 1, NULL, 10) : 0;
	switch (kind) {
	case 'I':
		if (st->o->no_instr)
			return true;
#ifdef TRACE_REC_IFETCH
		{
			struct trace_rec rec = {
				.op = TRACE_READ, .addr = addr, .len = len, .pid = (uint32_t)st->pid,
				.time = st->now, .flags = TRACE_REC_IFETCH,
			};
			return rec_emit(st->s, &rec);
		}
#else
		return lk_emit(st, TRACE_READ, addr, len);
#endif
	case 'L':
		return lk_emit(st, TRACE_READ, addr, len);
	case 'S':
		return lk_emit(st, TRACE_WRITE, addr, len);
	case 'M':
		return lk_emit(st, TRACE_READ, addr, len) && lk_emit(st, TRACE_WRITE, addr, len);
	}
	return true;
}

static bool lk_layout_call(struct lk_state *st, unsigned long nr, const uint64_t *a, uint64_t res)
{
	struct trace_rec rec = { .pid = (uint32_t)st->pid, .time = st->now };

	switch (nr) {
	case 9:		/* mmap(addr, len, prot, flags, fd, off) */
		rec.op = TRACE_MMAP;
		rec.addr = res;
		rec.len = a[1];
		rec.prot = (uint32_t)a[2];
		rec.flags = (uint32_t)a[3];
		rec.arg = (uint64_t)(int64_t)(int32_t)(uint32_t)a[4];
		if (rec.flags & MAP_ANONYMOUS)
			rec.arg = (uint64_t)-1;
		return rec_emit(st->s, &rec);
	case 10:	/* mprotect(addr, len, prot) */
		rec.op = TRACE_MPROTECT;
		rec.addr = a[0];
		rec.len = a[1];
		rec.prot = (uint32_t)a[2];
		return rec_emit(st->s, &rec);
	case 11:	/* munmap(addr, len) */
		rec.op = TRACE_MUNMAP;
		rec.addr = a[0];
		rec.len = a[1];
		return rec_emit(st->s, &rec);
	case 12:	/* brk(addr): the result is the break */
		if (res == st->brk)
			return true;
		st->brk = res;
		rec.op = TRACE_BRK;
		rec.addr = res;
		return rec_emit(st->s, &rec);
	case 25:	/* mremap(old, oldlen, newlen, flags, new): unmap + anonymous map */
		rec.op = TRACE_MUNMAP;
		rec.addr = a[0];
		rec.len = a[1];
		if (!rec_emit(st->s, &rec))
			return false;
		rec.op = TRACE_MMAP;
		rec.addr = res;
		rec.len = a[2];
		rec.prot = PROT_READ | PROT_WRITE;
		rec.flags = MAP_PRIVATE | MAP_ANONYMOUS;
		rec.arg = (uint64_t)-1;
		return rec_emit(st->s, &rec);
	}
	return true;
}

static bool lk_is_layout(unsigned long nr)
{
	return nr == 9 || nr == 10 || nr == 11 || nr == 12 || nr == 25;
}

/* The result of "... Success(0x..)" in @p, or false for a failure / none. */
static bool lk_success(const char *p, uint64_t *res)
{
	const char *s = strstr(p, "Success(");

	if (!s)
		return false;
	s += 8;
	*res = lk_num(&s);
	return true;
}

static struct lk_pending *lk_slot(struct lk_state *st, unsigned long tid)
{
	return &st->pending[tid % LK_PENDING];
}

/* "SYSCALL[pid,tid](nr) ..." */
static bool lk_syscall(struct lk_state *st, const char *line)
{
	const char *p = line + 8, *q;
	unsigned long tid, nr;
	uint64_t a[6] = { 0 }, res;
	struct lk_pending *pd;

	strtoul(p, (char **)&p, 10);
	if (*p != ',')
		return true;
	tid = strtoul(p + 1, (char **)&p, 10);
	if (p[0] != ']' || p[1] != '(')
		return true;
	nr = strtoul(p + 2, (char **)&p, 10);
	if (*p != ')')
		return true;
	p++;
	if (nr == 231 || nr == 60)	/* exit_group / exit: EXIT when the last thread goes (rec_finish) */
		return nr == 60 || lk_emit(st, TRACE_EXIT, 0, 0);
	q = strstr(p, "clone(fork): process ");
	if (q) {
		unsigned long parent, child;

		if (sscanf(q, "clone(fork): process %lu created child %lu", &parent, &child) == 2) {
			struct trace_rec rec = {
				.op = TRACE_FORK, .pid = (uint32_t)parent, .arg = child, .time = st->now,
			};
			return rec_emit(st->s, &rec);
		}
		return true;
	}
	if (!lk_is_layout(nr))
		return true;
	pd = lk_slot(st, tid);
	if (!strncmp(p, " ... [async]", 12)) {
		if (pd->used && pd->tid == tid && pd->nr == nr) {
			pd->used = false;
			if (lk_success(p, &res))
				return lk_layout_call(st, nr, pd->a, res);
		}
		return true;
	}
	q = strstr(p, " ( ");
	if (!q)
		return true;
	q += 3;
	for (int i = 0; i < 6 && *q && *q != ')'; i++) {
		a[i] = lk_num(&q);
		while (*q && *q != ',' && *q != ')')
			q++;
		if (*q == ',')
			q++;
	}
	if (strstr(q, "[async] ...")) {
		pd->used = true;
		pd->tid = tid;
		pd->nr = nr;
		memcpy(pd->a, a, sizeof(a));
		return true;
	}
	/* The result may follow on the next line (" --> ..."): keep it pending too. */
	if (!lk_success(q, &res)) {
		if (!strstr(q, "-->")) {
			pd->used = true;
			pd->tid = tid;
			pd->nr = nr;
			memcpy(pd->a, a, sizeof(a));
		}
		return true;
	}
	return lk_layout_call(st, nr, a, res);
}

static bool lk_log_line(struct lk_state *st, const char *line)
{
	if (line[0] == 'I' && line[1] == ' ')
		return lk_access(st, line);
	if (line[0] == ' ' && line[2] == ' ' && (line[1] == 'L' || line[1] == 'S' || line[1] == 'M'))
		return lk_access(st, line);
	if (!strncmp(line, "SYSCALL[", 8))
		return lk_syscall(st, line);
	if (!strncmp(line, " --> ", 5)) {	/* a call's result on its own line */
		for (unsigned int i = 0; i < LK_PENDING; i++) {
			struct lk_pending *pd = &st->pending[i];
			uint64_t res;

			if (pd->used && lk_is_layout(pd->nr)) {
				pd->used = false;
				if (lk_success(line, &res))
					return lk_layout_call(st, pd->nr, pd->a, res);
			}
		}
	}
	return true;
}

static uint32_t lk_prot(const char *perms)
{
	return (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0) |
	       (perms[2] == 'x' ? PROT_EXEC : 0);
}

/* The startup block's client segments as MMAP records. */
static void lk_layout(struct lk_state *st)
{
	for (unsigned int i = 0; i < st->nr_segs; i++) {
		struct lk_seg *g = &st->segs[i], *next = i + 1 < st->nr_segs ? &st->segs[i + 1] : NULL;
		struct trace_rec rec = { .op = TRACE_MMAP, .pid = (uint32_t)st->pid, .time = st->now };

		if (!strcmp(g->kind, "RSVN") && g->sm_upper && next && !strcmp(next->kind, "anon")) {
			/* The stack: valgrind's reservation below it is where it grows. */
			rec.addr = g->start;
			rec.len = next->end + 1 - g->start;
			rec.prot = lk_prot(next->perms);
			rec.flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN;
			rec.arg = (uint64_t)-1;
			i++;
		} else if (!strcmp(g->kind, "anon") && next && next->sm_lower) {
			continue;	/* valgrind's placeholder at the break: brk records follow */
		} else if (!strcmp(g->kind, "file") || !strcmp(g->kind, "anon")) {
			rec.addr = g->start;
			rec.len = g->end + 1 - g->start;
			rec.prot = lk_prot(g->perms);
			rec.flags = MAP_PRIVATE | (g->kind[0] == 'a' ? MAP_ANONYMOUS : 0);
			rec.arg = g->kind[0] == 'a' ? (uint64_t)-1 : (uint64_t)-2;	/* -2: a file, fd unknown */
		} else {
			continue;	/* reservations, free space, valgrind's own (upper case) */
		}
		rec_emit(st->s, &rec);
	}
}

/* "--PID:1: aspacem  NN: kind start-end size perms ..." */
static void lk_seg_line(struct lk_state *st, const char *p)
{
	struct lk_seg g;
	const char *c;

	memset(&g, 0, sizeof(g));
	while (*p == ' ')
		p++;
	strtoul(p, (char **)&p, 10);
	if (*p != ':' || st->nr_segs == LK_SEGS)
		return;
	p++;
	while (*p == ' ')
		p++;
	if (*p >= '0' && *p <= '9') {
		g.kind[0] = '\0';	/* free space has no kind */
	} else {
		size_t n = strcspn(p, " ");

		if (n >= sizeof(g.kind))
			return;
		memcpy(g.kind, p, n);
		p += n;
		while (*p == ' ')
			p++;
	}
	g.start = lk_hex(&p);
	if (*p != '-')
		return;
	p++;
	g.end = lk_hex(&p);
	while (*p == ' ')
		p++;
	p += strcspn(p, " ");	/* size */
	while (*p == ' ')
		p++;
	c = p;
	if (g.kind[0] && strlen(c) >= 3)
		memcpy(g.perms, c, 3);
	g.sm_lower = strstr(p, "SmLower") != NULL;
	g.sm_upper = strstr(p, "SmUpper") != NULL;
	st->segs[st->nr_segs++] = g;
}

/* A line of valgrind's stderr: the debug log or the program's own stderr. */
static void lk_err_line(struct lk_state *st, const char *line, size_t len)
{
	const char *p;

	/* "--PID:LEVEL:subsys text" */
	p = line + 2;
	while (line[0] == '-' && line[1] == '-' && *p >= '0' && *p <= '9')
		p++;
	if (p > line + 2 && p[0] == ':' && p[1] >= '0' && p[1] <= '9' && p[2] == ':') {
		p += 3;
		while (*p == ' ')
			p++;
		if (st->layout_done)
			return;
		if (strstr(p, "SHOW_SEGMENTS: Memory layout at client startup")) {
			st->in_block = true;
			st->nr_segs = 0;
		} else if (st->in_block && !strncmp(p, "aspacem >>>", 11)) {
			st->in_block = false;
			st->layout_done = true;
			lk_layout(st);
		} else if (st->in_block && !strncmp(p, "aspacem ", 8)) {
			lk_seg_line(st, p + 8);
		}
		return;
	}
	fwrite(line, 1, len, stderr);
	fputc('\n', stderr);
}

/*
 * Read what @fd has into @b and hand each complete line (NUL-terminated in
 * place) to @fn.  Returns false once the sink is full (the caller stops).
 */
static bool lk_pump(struct lk_state *st, int fd, struct lk_line_buf *b, bool is_log)
{
	ssize_t n = read(fd, b->buf + b->len, LK_BUF - 1 - b->len);
	char *start, *nl;
	bool ok = true;

	if (n < 0 && errno == EINTR)
		return true;
	if (n <= 0) {
		b->eof = true;
		if (b->len && !is_log) {	/* the program's last stderr line, no newline */
			b->buf[b->len] = '\0';
			lk_err_line(st, b->buf, b->len);
		}
		b->len = 0;
		return true;
	}
	b->len += (size_t)n;
	st->now = rec_now_ns() - st->s->t0;
	start = b->buf;
	while (ok && (nl = memchr(start, '\n', b->len - (size_t)(start - b->buf)))) {
		*nl = '\0';
		if (is_log)
			ok = lk_log_line(st, start);
		else
			lk_err_line(st, start, (size_t)(nl - start));
		start = nl + 1;
	}
	b->len -= (size_t)(start - b->buf);
	memmove(b->buf, start, b->len);
	if (b->len == LK_BUF - 1)	/* a line longer than the buffer: drop it */
		b->len = 0;
	return ok;
}

int record_lackey(const struct rec_opts *o, struct rec_sink *s, int *wstatus)
{
	int logp[2], errp[2], execp[2], exec_err = 0, argc = 0;
	struct lk_line_buf lb = { 0 }, eb = { 0 };
	struct lk_state *st;
	char logarg[32];
	char **args;
	pid_t pid;

	if (rec_check_program("valgrind"))
		return fprintf(stderr, "mmsim: record: --backend lackey needs valgrind "
			       "(scripts/install-deps.sh test installs it)\n"), -1;
	while (o->argv[argc])
		argc++;
	args = calloc((size_t)argc + 16, sizeof(*args));
	st = calloc(1, sizeof(*st));
	lb.buf = malloc(LK_BUF);
	eb.buf = malloc(LK_BUF);
	if (!args || !st || !lb.buf || !eb.buf || pipe(logp) || pipe2(errp, O_CLOEXEC) ||
	    pipe2(execp, O_CLOEXEC)) {
		fprintf(stderr, "mmsim: record: cannot start: %s\n", strerror(errno));
		free(args), free(st), free(lb.buf), free(eb.buf);
		return -1;
	}
	fcntl(logp[0], F_SETFD, FD_CLOEXEC);
	/* lackey writes a line at a time: a deep pipe lets it run ahead of us */
	fcntl(logp[0], F_SETPIPE_SZ, 1 << 20);
	snprintf(logarg, sizeof(logarg), "--log-fd=%d", logp[1]);
	int k = 0;
	args[k++] = "valgrind";
	args[k++] = "--tool=lackey";
	args[k++] = "--trace-mem=yes";
	args[k++] = "--trace-syscalls=yes";
	args[k++] = "--child-silent-after-fork=yes";
	args[k++] = "--vgdb=no";
	args[k++] = "-d";
	args[k++] = logarg;
	for (int i = 0; i < argc; i++)
		args[k++] = o->argv[i];
	args[k] = NULL;

	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(errp[1], 2);
		execvp("valgrind", args);
		exec_err = errno;
		if (write(execp[1], &exec_err, sizeof(exec_err)) < 0)
			_exit(127);
		_exit(127);
	}
	close(logp[1]);
	close(errp[1]);
	close(execp[1]);
	if (pid < 0 || read(execp[0], &exec_err, sizeof(exec_err)) == (ssize_t)sizeof(exec_err)) {
		int e = pid < 0 ? errno : exec_err;

		if (pid > 0)
			waitpid(pid, NULL, 0);
		close(logp[0]), close(errp[0]), close(execp[0]);
		free(args), free(st), free(lb.buf), free(eb.buf);
		return rec_start_error("valgrind", e);
	}
	close(execp[0]);
	st->o = o;
	st->s = s;
	st->pid = pid;

	bool go = true;
	while (go && (!lb.eof || !eb.eof)) {
		struct pollfd pf[2] = {
			{ .fd = eb.eof ? -1 : errp[0], .events = POLLIN },
			/* accesses wait until the startup layout is in */
			{ .fd = lb.eof || (!st->layout_done && !eb.eof) ? -1 : logp[0], .events = POLLIN },
		};

		if (poll(pf, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[0].revents)
			lk_pump(st, errp[0], &eb, false);
		if (pf[1].revents)
			go = lk_pump(st, logp[0], &lb, true);
	}
	if (!go)		/* --max-accesses: enough */
		kill(pid, SIGKILL);
	close(logp[0]);
	close(errp[0]);
	while (waitpid(pid, wstatus, 0) < 0 && errno == EINTR)
		;
	free(args), free(st), free(lb.buf), free(eb.buf);
	return 0;
}
