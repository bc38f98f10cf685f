// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/record.c - `mmsim record -o TRACE [--backend lackey|sample]
 * [--interval MS] [--max-accesses N] [--no-instr] -- PROGRAM ARGS...`
 * (docs/record.md).
 *
 * Owns the command line, the trace file and the sink that both backends
 * feed (record.h); the backends live in record_lackey.c (valgrind's lackey
 * on the program: every access) and record_sample.c (an LD_PRELOAD shim in
 * the program: the first touch of each page per epoch).
 *
 * The trace is written through trace.h's writer, which writes beside the
 * destination and renames on trace_commit: a program that cannot be
 * started, exits non-zero or dies of a signal leaves no TRACE (one line on
 * stderr, and mmsim record exits with the program's status, or 128 + the
 * signal, or 1 when it could not be started).  --max-accesses N stops the
 * program (SIGKILL) once N accesses are written; that trace is kept.
 *
 * Invariant: every pid that appears in a record gets exactly one EXIT
 * record, the last of its records (rec_finish adds the missing ones).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <time.h>
#include "tools/lab/lab.h"
#include "tools/lab/record.h"

#define REC_PAGE_SHIFT 12

uint64_t rec_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static unsigned int rec_pid_slot(struct rec_sink *s, uint32_t pid)
{
	for (unsigned int i = 0; i < s->nr_pids; i++)
		if (s->pids[i].pid == pid)
			return i;
	if (s->nr_pids == REC_MAX_PIDS)
		return REC_MAX_PIDS;
	s->pids[s->nr_pids].pid = pid;
	s->pids[s->nr_pids].exited = false;
	return s->nr_pids++;
}

bool rec_pid_live(const struct rec_sink *s, uint32_t pid)
{
	for (unsigned int i = 0; i < s->nr_pids; i++)
		if (s->pids[i].pid == pid)
			return !s->pids[i].exited;
	return false;
}

bool rec_emit(struct rec_sink *s, const struct trace_rec *in)
{
	struct trace_rec rec = *in;
	unsigned int slot;
	int ret;

	if (s->full || s->err)
		return false;
	rec.id = rec.addr >> REC_PAGE_SHIFT;
	rec.next_access = CACHE_NEXT_NEVER;
	slot = rec_pid_slot(s, rec.pid);
	if (slot < REC_MAX_PIDS) {
		if (s->pids[slot].exited && rec.op != TRACE_EXIT)
			s->pids[slot].exited = false;	/* a reused pid */
		else if (s->pids[slot].exited)
			return true;			/* one EXIT per process */
		if (rec.op == TRACE_EXIT)
			s->pids[slot].exited = true;
	}
	if (rec.op == TRACE_FORK)
		rec_pid_slot(s, (uint32_t)rec.arg);	/* the child ends too (rec_finish) */
	ret = trace_write(s->w, &rec);
	if (ret) {
		s->err = ret;
		return false;
	}
	s->nr_records++;
	if (rec.op == TRACE_READ || rec.op == TRACE_WRITE) {
		s->nr_accesses++;
		if (s->max_accesses && s->nr_accesses >= s->max_accesses)
			s->full = true;
	}
	return true;
}

/* An EXIT for every process that has none yet (killed, cut, or stopped sampling). */
static void rec_finish(struct rec_sink *s)
{
	bool full = s->full;

	s->full = false;
	for (unsigned int i = 0; i < s->nr_pids; i++) {
		if (!s->pids[i].exited) {
			struct trace_rec rec = {
				.op = TRACE_EXIT,
				.pid = s->pids[i].pid,
				.time = rec_now_ns() - s->t0,
			};
			rec_emit(s, &rec);
		}
	}
	s->full = full;
}

int rec_check_program(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[PATH_MAX];
	int err = -ENOENT;

	if (!*prog)
		return -ENOENT;
	if (strchr(prog, '/'))
		return access(prog, X_OK) ? -errno : 0;
	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);

		if (snprintf(buf, sizeof(buf), "%.*s/%s", (int)n, n ? path : ".", prog) < (int)sizeof(buf)) {
			if (!access(buf, X_OK))
				return 0;
			if (errno != ENOENT)
				err = -errno;
		}
		path += n + (colon ? 1 : 0);
	}
	return err;
}

int rec_start_error(const char *prog, int err)
{
	fprintf(stderr, "mmsim: record: %s: cannot run it: %s; no trace written\n", prog, strerror(err));
	return 1;
}

static int rec_usage(const char *fmt, const char *arg)
{
	fputs("mmsim: record: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return 2;
}

/* Parse a decimal count in [1, max]: 0 if @arg is not one. */
static uint64_t rec_parse_count(const char *arg, uint64_t max)
{
	char *end;
	unsigned long long v;

	if (!arg || *arg < '0' || *arg > '9')
		return 0;
	errno = 0;
	v = strtoull(arg, &end, 10);
	if (errno || *end || v == 0 || v > max)
		return 0;
	return v;
}

static int rec_parse(int argc, char **argv, struct rec_opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->backend = REC_LACKEY;
	o->interval_ms = 10;
	for (i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-')
			break;
		if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
			if (!v || !*v)
				return rec_usage("%s needs a file name", a);
			o->out = v;
			i++;
		} else if (!strcmp(a, "--backend")) {
			if (!v)
				return rec_usage("%s needs lackey or sample", a);
			if (!strcmp(v, "lackey"))
				o->backend = REC_LACKEY;
			else if (!strcmp(v, "sample"))
				o->backend = REC_SAMPLE;
			else
				return rec_usage("--backend '%s': not lackey or sample", v);
			i++;
		} else if (!strcmp(a, "--interval")) {
			uint64_t ms = rec_parse_count(v, 60000);

			if (!ms)
				return rec_usage("--interval '%s': not a number of milliseconds in 1..60000",
						 v ? v : "");
			o->interval_ms = (unsigned int)ms;
			i++;
		} else if (!strcmp(a, "--max-accesses")) {
			o->max_accesses = rec_parse_count(v, UINT64_MAX);
			if (!o->max_accesses)
				return rec_usage("--max-accesses '%s': not a positive count", v ? v : "");
			i++;
		} else if (!strcmp(a, "--no-instr")) {
			o->no_instr = true;
		} else {
			return rec_usage("unknown option '%s'", a);
		}
	}
	if (!o->out)
		return rec_usage("%s", "-o TRACE is required (usage: mmsim record -o TRACE "
			"[--backend lackey|sample] [--interval MS] [--max-accesses N] -- PROGRAM ARGS...)");
	if (i >= argc)
		return rec_usage("%s", "no PROGRAM to record (usage: mmsim record -o TRACE ... -- PROGRAM ARGS...)");
	if (o->no_instr && o->backend != REC_LACKEY)
		return rec_usage("%s", "--no-instr is lackey's (the sample backend sees no instruction fetches)");
	o->argv = argv + i;
	return 0;
}

/* The program's wait status as mmsim record's exit status; 0 if it succeeded. */
static int rec_program_status(const struct rec_opts *o, int wstatus)
{
	if (WIFEXITED(wstatus) && WEXITSTATUS(wstatus) == 0)
		return 0;
	if (WIFEXITED(wstatus)) {
		fprintf(stderr, "mmsim: record: %s exited with status %d; no trace written\n",
			o->argv[0], WEXITSTATUS(wstatus));
		return WEXITSTATUS(wstatus);
	}
	if (WIFSIGNALED(wstatus)) {
		fprintf(stderr, "mmsim: record: %s was killed by signal %d (%s); no trace written\n",
			o->argv[0], WTERMSIG(wstatus), strsignal(WTERMSIG(wstatus)));
		return 128 + WTERMSIG(wstatus);
	}
	fprintf(stderr, "mmsim: record: %s: unexpected wait status %#x; no trace written\n",
		o->argv[0], wstatus);
	return 1;
}

int cmd_record(int argc, char **argv)
{
	struct trace_info info;
	struct rec_opts o;
	struct rec_sink *s;
	char err[512];
	int ret, wstatus = 0, status;
	size_t off = 0;

	ret = rec_parse(argc, argv, &o);
	if (ret)
		return ret;

	ret = rec_check_program(o.argv[0]);
	if (ret)
		return rec_start_error(o.argv[0], -ret);

	memset(&info, 0, sizeof(info));
	info.format = TRACE_FMT_MMSIM;
	info.has_addresses = true;
	info.has_layout = true;
	info.page_shift = REC_PAGE_SHIFT;
	for (char **a = o.argv; *a && off + 2 < sizeof(info.program); a++)
		off += (size_t)snprintf(info.program + off, sizeof(info.program) - off, "%s%s",
					a == o.argv ? "" : " ", *a);
	snprintf(info.backend, sizeof(info.backend), "%s", o.backend == REC_LACKEY ? "lackey" : "sample");

	s = calloc(1, sizeof(*s));
	if (!s) {
		fputs("mmsim: record: out of memory\n", stderr);
		return 1;
	}
	s->w = trace_create(o.out, TRACE_FMT_MMSIM, &info, err, sizeof(err));
	if (!s->w) {
		fprintf(stderr, "mmsim: record: %s\n", err);
		free(s);
		return 1;
	}
	s->max_accesses = o.max_accesses;
	s->t0 = rec_now_ns();

	ret = o.backend == REC_LACKEY ? record_lackey(&o, s, &wstatus) : record_sample(&o, s, &wstatus);
	if (ret) {
		trace_abort(s->w);
		free(s);
		return 1;
	}
	if (s->err) {
		fprintf(stderr, "mmsim: record: %s: %s; no trace written\n", o.out, strerror(-s->err));
		trace_abort(s->w);
		free(s);
		return 1;
	}
	/* Cut by --max-accesses: the kill is ours, the trace is what we wanted. */
	status = s->full ? 0 : rec_program_status(&o, wstatus);
	if (status) {
		trace_abort(s->w);
		free(s);
		return status;
	}
	rec_finish(s);
	if (s->err || trace_commit(s->w, err, sizeof(err))) {
		if (s->err) {
			fprintf(stderr, "mmsim: record: %s: %s; no trace written\n", o.out, strerror(-s->err));
			trace_abort(s->w);
		} else {
			fprintf(stderr, "mmsim: record: %s\n", err);
		}
		free(s);
		return 1;
	}
	fprintf(stderr, "mmsim: record: %s: %" PRIu64 " records, %" PRIu64 " accesses, %u process%s (%s)%s\n",
		o.out, s->nr_records, s->nr_accesses, s->nr_pids, s->nr_pids == 1 ? "" : "es",
		info.backend, s->full ? ", cut by --max-accesses" : "");
	free(s);
	return 0;
}
