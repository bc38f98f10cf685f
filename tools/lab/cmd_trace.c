// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/cmd_trace.c - `mmsim trace info|head|convert` (docs/trace-formats.md).
 *
 *   mmsim trace info TRACE [--format SPEC]
 *   mmsim trace head TRACE [-n N] [--format SPEC]
 *   mmsim trace convert TRACE -o OUT --to mmsim|csv|txt|oracleGeneral [--format SPEC]
 *
 * info reads the whole trace once and prints what it holds: format,
 * records, accesses (reads, instruction fetches, writes), layout events,
 * processes, distinct pages (ids), the address or id range, the time
 * range, and the header's program and backend.  head prints the first N
 * records (default 10), one a line.  convert writes OUT through the
 * writers' temporary file: a malformed record anywhere leaves no OUT.
 *
 * Exit status (tools/lab/lab.h): 0; 1 bad input (one line on stderr:
 * "mmsim: FILE:WHERE: problem"); 2 bad command line.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "mm/policy/idmap.h"
#include "tools/lab/lab.h"
#include "tools/lab/trace.h"

#define EXIT_BAD	1
#define EXIT_USAGE	2

static int usage_err(const char *fmt, const char *arg)
{
	fputs("mmsim: trace: ", stderr);
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

struct trace_args {
	const char *sub, *path, *spec, *out, *to;
	unsigned long long n;
};

static int parse_args(int argc, char **argv, struct trace_args *a)
{
	memset(a, 0, sizeof(*a));
	a->spec = "auto";
	a->n = 10;
	if (argc < 1)
		return usage_err("missing subcommand (info, head or convert)%s", "");
	a->sub = argv[0];
	if (strcmp(a->sub, "info") && strcmp(a->sub, "head") && strcmp(a->sub, "convert"))
		return usage_err("unknown subcommand '%s' (info, head or convert)", a->sub);
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];

		if (!strcmp(o, "--format") || !strcmp(o, "-n") || !strcmp(o, "-o") ||
		    !strcmp(o, "--to")) {
			if (i + 1 >= argc)
				return usage_err("%s needs a value", o);
			if (!strcmp(o, "--format")) {
				a->spec = argv[++i];
				if (trace_format_parse(a->spec) < 0)
					return usage_err("--format '%s': unknown format (auto, mmsim, "
							 "lackey, csv, txt, oracleGeneral)", a->spec);
			} else if (!strcmp(o, "-n")) {
				char *end;

				a->n = strtoull(argv[++i], &end, 10);
				if (end == argv[i] || *end || argv[i][0] == '-')
					return usage_err("-n '%s': not a count", argv[i]);
			} else if (!strcmp(o, "-o")) {
				a->out = argv[++i];
			} else {
				a->to = argv[++i];
			}
		} else if (o[0] == '-' && o[1]) {
			return usage_err("unknown option '%s'", o);
		} else if (!a->path) {
			a->path = o;
		} else {
			return usage_err("unexpected argument '%s'", o);
		}
	}
	if (!a->path)
		return usage_err("%s: missing TRACE", a->sub);
	if (strcmp(a->sub, "convert") && (a->out || a->to))
		return usage_err("%s: -o and --to are convert's", a->sub);
	if (strcmp(a->sub, "head") && a->n != 10)
		return usage_err("%s: -n is head's", a->sub);
	if (!strcmp(a->sub, "convert")) {
		int f;

		if (!a->out || !a->to)
			return usage_err("convert: needs -o OUT and --to FORMAT%s", "");
		f = trace_format_parse(a->to);
		if (f != TRACE_FMT_MMSIM && f != TRACE_FMT_CSV && f != TRACE_FMT_TXT &&
		    f != TRACE_FMT_ORACLE)
			return usage_err("--to '%s': not a format mmsim writes (mmsim, csv, txt, "
					 "oracleGeneral)", a->to);
	}
	return 0;
}

static struct trace_reader *open_or_report(const struct trace_args *a, int *status)
{
	char err[512];
	struct trace_reader *r = trace_open_spec(a->path, a->spec, err, sizeof(err));

	if (!r) {
		fprintf(stderr, "mmsim: %s%s\n", strncmp(err, "format option", 13) ? "" : "--format: ",
			err);
		*status = strncmp(err, "format option", 13) ? EXIT_BAD : EXIT_USAGE;
	}
	return r;
}

static const char *op_name(unsigned int op)
{
	static const char *const names[] = { "read", "write", "mmap", "munmap", "brk",
					     "mprotect", "fork", "exit" };

	return op < 8 ? names[op] : "?";
}

static void print_rec(uint64_t i, const struct trace_rec *r, const struct trace_info *in)
{
	printf("%" PRIu64 "\tt=%" PRIu64 "\tpid=%u\t%s", i, r->time, r->pid, op_name(r->op));
	if (r->op <= TRACE_WRITE) {
		if (in->has_addresses)
			printf("\t0x%" PRIx64 "+%" PRIu64 "\tpage=0x%" PRIx64 "%s", r->addr, r->len,
			       r->id, r->flags & TRACE_REC_IFETCH ? "\tifetch" : "");
		else
			printf("\tid=%" PRIu64 "\tsize=%" PRIu64, r->id, r->len);
		if (r->next_access != CACHE_NEXT_NEVER)
			printf("\tnext=%" PRIu64, r->next_access);
		else if (in->format == TRACE_FMT_ORACLE)
			printf("\tnext=never");
	} else if (r->op == TRACE_FORK) {
		printf("\tchild=%" PRIu64, r->arg);
	} else if (r->op == TRACE_BRK) {
		printf("\t0x%" PRIx64, r->addr);
	} else if (r->op != TRACE_EXIT) {
		printf("\t0x%" PRIx64 "+%" PRIu64, r->addr, r->len);
		if (r->op != TRACE_MUNMAP)
			printf("\tprot=%u", r->prot);
		if (r->op == TRACE_MMAP)
			printf("\tflags=0x%x\tfd=%" PRId64, r->flags, (int64_t)r->arg);
	}
	putchar('\n');
}

static int do_head(struct trace_reader *r, uint64_t n)
{
	struct trace_rec rec;
	int ret = 0;

	for (uint64_t i = 0; i < n && (ret = trace_read(r, &rec)) > 0; i++)
		print_rec(i, &rec, trace_get_info(r));
	return ret;
}

struct info_stats {
	uint64_t records, ops[8], ifetch;
	uint64_t lo, hi, tlo, thi;
	struct idmap pages, pids;
	bool none_seen;		/* the id CACHE_ID_NONE (the maps' empty key) */
};

static int do_info(struct trace_reader *r, const char *path)
{
	const struct trace_info *in = trace_get_info(r);
	struct info_stats s = { .lo = UINT64_MAX, .tlo = UINT64_MAX };
	struct trace_rec rec;
	bool oom = false;
	int ret;

	if (idmap_init(&s.pages, 1 << 16) || idmap_init(&s.pids, 64)) {
		fprintf(stderr, "mmsim: %s: out of memory\n", path);
		return -2;
	}
	while ((ret = trace_read(r, &rec)) > 0) {
		uint64_t key = in->has_addresses ? rec.addr : rec.id;

		s.records++;
		s.ops[rec.op & 7]++;
		if (rec.time < s.tlo)
			s.tlo = rec.time;
		if (rec.time > s.thi)
			s.thi = rec.time;
		if (idmap_get(&s.pids, rec.pid) == IDMAP_NONE && idmap_put(&s.pids, rec.pid, 0))
			oom = true;
		if (rec.op > TRACE_WRITE)
			continue;
		if (rec.flags & TRACE_REC_IFETCH)
			s.ifetch++;
		if (key < s.lo)
			s.lo = key;
		if (key > s.hi)
			s.hi = key;
		if (rec.id == CACHE_ID_NONE)
			s.none_seen = true;
		else if (idmap_get(&s.pages, rec.id) == IDMAP_NONE && idmap_put(&s.pages, rec.id, 0))
			oom = true;
		if (oom)
			break;
	}
	if (oom)
		ret = -2;
	if (ret == 0) {
		uint64_t acc = s.ops[TRACE_READ] + s.ops[TRACE_WRITE];

		printf("file:        %s\n", path);
		printf("format:      %s\n", trace_format_name(in->format));
		if (in->program[0])
			printf("program:     %s\n", in->program);
		if (in->backend[0])
			printf("backend:     %s\n", in->backend);
		printf("page_shift:  %u\n", in->page_shift);
		printf("records:     %" PRIu64 "\n", s.records);
		printf("accesses:    %" PRIu64 " (reads %" PRIu64 ", of them ifetch %" PRIu64
		       "; writes %" PRIu64 ")\n", acc, s.ops[TRACE_READ], s.ifetch, s.ops[TRACE_WRITE]);
		printf("layout:      mmap %" PRIu64 ", munmap %" PRIu64 ", brk %" PRIu64
		       ", mprotect %" PRIu64 ", fork %" PRIu64 ", exit %" PRIu64 "\n",
		       s.ops[TRACE_MMAP], s.ops[TRACE_MUNMAP], s.ops[TRACE_BRK],
		       s.ops[TRACE_MPROTECT], s.ops[TRACE_FORK], s.ops[TRACE_EXIT]);
		printf("pids:        %" PRIu64 "\n", s.pids.nr);
		printf("%s %" PRIu64 "\n", in->has_addresses ? "pages:      " : "ids:        ",
		       s.pages.nr + s.none_seen);
		if (!acc)
			printf("%s -\n", in->has_addresses ? "addresses:  " : "id range:   ");
		else if (in->has_addresses)
			printf("addresses:   0x%" PRIx64 "-0x%" PRIx64 "\n", s.lo, s.hi);
		else
			printf("id range:    %" PRIu64 "-%" PRIu64 "\n", s.lo, s.hi);
		if (s.records)
			printf("time:        %" PRIu64 "-%" PRIu64 "%s\n", s.tlo, s.thi,
			       in->format == TRACE_FMT_MMSIM ? " ns" : "");
	} else if (ret == -2) {
		fprintf(stderr, "mmsim: %s: out of memory\n", path);
	}
	idmap_destroy(&s.pages);
	idmap_destroy(&s.pids);
	return ret;
}

static int do_convert(struct trace_reader *r, const struct trace_args *a)
{
	struct trace_info info = *trace_get_info(r);
	struct trace_writer *w;
	struct trace_rec rec;
	char err[512];
	int ret, wret = 0;

	if (!info.backend[0])
		snprintf(info.backend, sizeof(info.backend), "convert");
	w = trace_create(a->out, (enum trace_format)trace_format_parse(a->to), &info, err, sizeof(err));
	if (!w) {
		fprintf(stderr, "mmsim: %s\n", err);
		return -2;
	}
	while ((ret = trace_read(r, &rec)) > 0) {
		wret = trace_write(w, &rec);
		if (wret)
			break;
	}
	if (ret < 0) {
		trace_abort(w);
		return -1;
	}
	if (wret) {
		fprintf(stderr, "mmsim: %s: %s\n", a->out, strerror(-wret));
		trace_abort(w);
		return -2;
	}
	if (trace_commit(w, err, sizeof(err))) {
		fprintf(stderr, "mmsim: %s\n", err);
		return -2;
	}
	return 0;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_args a;
	struct trace_reader *r;
	int status = 0, ret;

	ret = parse_args(argc, argv, &a);
	if (ret)
		return ret;
	r = open_or_report(&a, &status);
	if (!r)
		return status;
	if (!strcmp(a.sub, "head"))
		ret = do_head(r, a.n);
	else if (!strcmp(a.sub, "info"))
		ret = do_info(r, a.path);
	else
		ret = do_convert(r, &a);
	if (ret == -1) {
		fflush(stdout);
		fprintf(stderr, "mmsim: %s\n", trace_error(r));
	}
	trace_close(r);
	if (fflush(stdout) && ret >= 0) {
		perror("mmsim: stdout");
		return EXIT_BAD;
	}
	return ret < 0 ? EXIT_BAD : 0;
}
