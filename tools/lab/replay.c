// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/replay.c - `mmsim replay`: the command line, the outputs and
 * the progress bar (DESIGN §3c, docs/lab.md).
 *
 *   mmsim replay TRACE [--format F] [--spec "BOOT SPEC"] [--policy NAME[,NAME...]]
 *                [--sysctl KEY=VALUE]... [--access-ns N] [--interval MS] [--verify] [--check]
 *                [--json OUT] [--csv OUT] [--report OUT.html] [--kmsg FILE]
 *                [--verbose] [--progress|--quiet]
 *   mmsim replay TRACE --cache-mode --policy NAME[,NAME...] --size PAGES[,PAGES...]
 *                [--format F] [--mrc] [--shards RATE] [--threads 1|2]
 *                [--json OUT] [--csv OUT] [--report OUT.html]
 *   mmsim replay --policy help
 *
 * Kernel mode runs once per policy (a fresh machine each, the spec plus
 * lru=NAME), cache mode once per policy x size (replay_cache.c).  Each run
 * is one JSON object (lab.h); they are printed as a table on stdout and
 * written at the end: --json one object a line, --csv a header and a row a
 * run (lab_csv_write: the columns `mmsim merge` writes too), --report an
 * HTML page (lab_report_write, tools/lab/report.h).  Every output goes to "OUT.tmp" and
 * is renamed into place only when all of them are written, so a bad trace
 * record, found mid-way, leaves no output file: one line "FILE:RECORD:
 * problem" on stderr, exit 1.  A bad command line: one line "mmsim:
 * replay: ...", exit 2.
 *
 * The progress bar is on stderr when it is a terminal or with --progress,
 * never with --quiet; it is one line rewritten in place and erased at the
 * end.  The machine's own log (the OOM killer's report) goes to --kmsg
 * FILE, or to stderr with --verbose, else nowhere.
 *
 * Single-threaded except cache mode's workers (replay_cache.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "tools/lab/lab.h"
#include "tools/lab/replay.h"
#include "tools/lab/report.h"

#define MAX_OUTPUTS	4
#define MAX_SYSCTLS	32

struct replay_cli {
	const char *trace;
	const char *format;		/* a trace_open_spec format, or NULL (auto) */
	const char *spec;
	const char *policies;
	const char *sizes;
	const char *json, *csv, *report, *kmsg;
	bool cache_mode, mrc, verify, check, verbose;
	int progress;			/* -1 --quiet, 0 terminal only, 1 --progress */
	int threads;
	double shards;
	uint64_t access_ns, interval_ns;
	const char *sysctls[MAX_SYSCTLS + 1];	/* --sysctl KEY=VALUE, NULL-ended */
	int nr_sysctls;
};

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("mmsim: replay: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 2;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* ---------------------------------------------------------------------
 * The command line
 */

static int parse_u64(const char *opt, const char *s, uint64_t min, uint64_t *out)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || end == s || *end || s[0] == '-' || v < min)
		return usage_error("%s: '%s' is not a number >= %llu", opt, s,
				   (unsigned long long)min);
	*out = v;
	return 0;
}

static int parse_double(const char *opt, const char *s, double lo, double hi, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || !(v > lo) || v > hi)
		return usage_error("%s: '%s' is not a number in (%g, %g]", opt, s, lo, hi);
	*out = v;
	return 0;
}

static int parse_args(int argc, char **argv, struct replay_cli *c)
{
	memset(c, 0, sizeof(*c));
	c->access_ns = 10;
	c->threads = 2;
	c->shards = 1.0;
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char **str = NULL;
		double ms;

		if (a[0] != '-' || !a[1]) {
			if (c->trace)
				return usage_error("unexpected argument '%s'", a);
			c->trace = a;
			continue;
		}
		if (!strcmp(a, "--cache-mode")) {
			c->cache_mode = true;
		} else if (!strcmp(a, "--mrc")) {
			c->mrc = true;
		} else if (!strcmp(a, "--verify")) {
			c->verify = true;
		} else if (!strcmp(a, "--check")) {
			c->check = true;
		} else if (!strcmp(a, "--verbose")) {
			c->verbose = true;
		} else if (!strcmp(a, "--progress")) {
			c->progress = 1;
		} else if (!strcmp(a, "--quiet")) {
			c->progress = -1;
		} else if (!strcmp(a, "--sysctl")) {
			if (++i == argc)
				return usage_error("%s needs a value", a);
			if (!strchr(argv[i], '=') || argv[i][0] == '=')
				return usage_error("--sysctl: '%s' is not KEY=VALUE (vm.swappiness=100)",
						   argv[i]);
			if (c->nr_sysctls == MAX_SYSCTLS)
				return usage_error("--sysctl: more than %d", MAX_SYSCTLS);
			c->sysctls[c->nr_sysctls++] = argv[i];
		} else if (!strcmp(a, "--format")) {
			str = &c->format;
		} else if (!strcmp(a, "--spec")) {
			str = &c->spec;
		} else if (!strcmp(a, "--policy")) {
			str = &c->policies;
		} else if (!strcmp(a, "--size")) {
			str = &c->sizes;
		} else if (!strcmp(a, "--json")) {
			str = &c->json;
		} else if (!strcmp(a, "--csv")) {
			str = &c->csv;
		} else if (!strcmp(a, "--report")) {
			str = &c->report;
		} else if (!strcmp(a, "--kmsg")) {
			str = &c->kmsg;
		} else if (!strcmp(a, "--access-ns") || !strcmp(a, "--interval") ||
			   !strcmp(a, "--shards") || !strcmp(a, "--threads")) {
			uint64_t v;

			if (++i == argc)
				return usage_error("%s needs a value", a);
			if (!strcmp(a, "--access-ns")) {
				if (parse_u64(a, argv[i], 0, &c->access_ns))
					return 2;
			} else if (!strcmp(a, "--interval")) {
				if (parse_double(a, argv[i], 0, 1e9, &ms))
					return 2;
				c->interval_ns = (uint64_t)(ms * 1e6);
				if (!c->interval_ns)
					return usage_error("--interval: '%s' is below 1 ns", argv[i]);
			} else if (!strcmp(a, "--shards")) {
				if (parse_double(a, argv[i], 0, 1, &c->shards))
					return 2;
			} else {
				if (parse_u64(a, argv[i], 1, &v) || v > 2)
					return v > 2 ? usage_error("--threads: 1 or 2") : 2;
				c->threads = (int)v;
			}
		} else {
			return usage_error("unknown option '%s'", a);
		}
		if (str) {
			if (++i == argc)
				return usage_error("%s needs a value", a);
			*str = argv[i];
		}
	}
	if (c->policies && !strcmp(c->policies, "help"))
		return 0;
	if (!c->trace)
		return usage_error("missing TRACE (mmsim replay TRACE [options]; see docs/lab.md)");
	if (c->cache_mode) {
		if (!c->policies || !c->sizes)
			return usage_error("--cache-mode needs --policy NAME[,NAME...] and --size PAGES[,PAGES...]");
		if (c->spec || c->verify || c->check || c->kmsg || c->nr_sysctls)
			return usage_error("--spec, --sysctl, --verify, --check and --kmsg are for kernel mode");
	} else if (c->sizes || c->mrc || c->shards != 1.0) {
		return usage_error("--size, --mrc and --shards are for --cache-mode");
	}
	if (c->format && trace_format_parse(c->format) < 0)
		return usage_error("--format: unknown format '%s' (auto, mmsim, lackey, csv, txt, oracleGeneral)",
				   c->format);
	return 0;
}

/* ---------------------------------------------------------------------
 * Progress
 */

struct progress {
	bool on;
	double t0, last;
	const char *what;
};

static void progress_show(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;
	double now = now_seconds(), rate;

	if (!p->on || (now - p->last < 0.2 && (!total || done < total)))
		return;
	p->last = now;
	rate = now > p->t0 ? (double)done / (now - p->t0) : 0;
	if (total)
		fprintf(stderr, "\r%s: %3.0f%% %.1fM/%.1fM records, %.2fM/s\033[K", p->what,
			100.0 * (double)done / (double)total, (double)done / 1e6,
			(double)total / 1e6, rate / 1e6);
	else
		fprintf(stderr, "\r%s: %.1fM records, %.2fM/s\033[K", p->what, (double)done / 1e6,
			rate / 1e6);
	fflush(stderr);
}

static void progress_end(struct progress *p)
{
	if (p->on) {
		fputs("\r\033[K", stderr);
		fflush(stderr);
	}
}

/* ---------------------------------------------------------------------
 * Outputs: written to PATH.tmp, renamed at the end
 */

struct outputs {
	const char *path[MAX_OUTPUTS];
	char *tmp[MAX_OUTPUTS];
	int nr;
};

static void outputs_abort(struct outputs *o)
{
	for (int i = 0; i < o->nr; i++) {
		if (o->tmp[i])
			unlink(o->tmp[i]);
		free(o->tmp[i]);
	}
	o->nr = 0;
}

/* A FILE on @path's temporary name, or NULL with the message printed. */
static FILE *output_open(struct outputs *o, const char *path)
{
	char *tmp;
	FILE *f;

	if (asprintf(&tmp, "%s.tmp", path) < 0)
		return NULL;
	f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "mmsim: replay: %s: %s\n", path, strerror(errno));
		free(tmp);
		return NULL;
	}
	o->path[o->nr] = path;
	o->tmp[o->nr++] = tmp;
	return f;
}

static int output_close(FILE *f, const char *path)
{
	bool bad = ferror(f);

	if (fclose(f) || bad) {
		fprintf(stderr, "mmsim: replay: %s: write error\n", path);
		return -1;
	}
	return 0;
}

static int outputs_commit(struct outputs *o)
{
	for (int i = 0; i < o->nr; i++) {
		if (rename(o->tmp[i], o->path[i])) {
			fprintf(stderr, "mmsim: replay: %s: %s\n", o->path[i], strerror(errno));
			outputs_abort(o);
			return -1;
		}
		free(o->tmp[i]);
		o->tmp[i] = NULL;
	}
	o->nr = 0;
	return 0;
}

static int write_outputs(const struct replay_cli *c, json_t *runs)
{
	size_t i, nr = json_array_size(runs);
	json_t **v = calloc(nr + 1, sizeof(*v));
	struct outputs o = { .nr = 0 };
	char err[512];
	json_t *run;
	FILE *f;

	if (!v) {
		fputs("mmsim: replay: out of memory\n", stderr);
		return -1;
	}
	json_array_foreach(runs, i, run)
		v[i] = run;

	if (c->json) {
		f = output_open(&o, c->json);
		if (!f)
			goto fail;
		json_array_foreach(runs, i, run) {
			if (json_dumpf(run, f, JSON_COMPACT | JSON_REAL_PRECISION(10)))
				break;
			fputc('\n', f);
		}
		if (output_close(f, c->json))
			goto fail;
	}
	if (c->csv) {
		f = output_open(&o, c->csv);
		if (!f)
			goto fail;
		lab_csv_write(f, v, nr);
		if (output_close(f, c->csv))
			goto fail;
	}
	/* the report renames its own file: last, so that a failure leaves nothing */
	if (c->report && lab_report_write(c->report, v, nr, err, sizeof(err))) {
		fprintf(stderr, "mmsim: replay: %s\n", err);
		goto fail;
	}
	free(v);
	return outputs_commit(&o);
fail:
	free(v);
	outputs_abort(&o);
	return -1;
}

/* ---------------------------------------------------------------------
 * Kernel mode
 */

static int src_read(void *arg, struct trace_rec *rec)
{
	return trace_read(arg, rec);
}

static const char *src_error(void *arg)
{
	return trace_error(arg);
}

/* The value of boot word @key= in @spec ("" if absent), into @buf. */
static const char *spec_word(const char *spec, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key);
	const char *p = spec;

	buf[0] = '\0';
	while (p && *p) {
		p += strspn(p, " \t");
		if (!strncmp(p, key, klen) && p[klen] == '=') {
			size_t n = strcspn(p + klen + 1, " \t");

			snprintf(buf, len, "%.*s", (int)n, p + klen + 1);
		}
		p += strcspn(p, " \t");
	}
	return buf;
}

static void print_kernel_row(const char *policy, const struct replay_kresult *r, bool header)
{
	double tlb = r->tlb_hits + r->tlb_misses ?
		     100.0 * (double)r->tlb_hits / (double)(r->tlb_hits + r->tlb_misses) : 0;

	if (header)
		printf("%-10s %12s %10s %10s %10s %10s %5s %7s %9s %8s %9s\n", "policy",
		       "requests", "faults", "major", "pswpin", "pswpout", "oom", "tlb%",
		       "virt_s", "wall_s", "Macc/s");
	printf("%-10s %12llu %10llu %10llu %10llu %10llu %5llu %7.2f %9.3f %8.3f %9.3f\n", policy,
	       (unsigned long long)r->requests, (unsigned long long)r->faults,
	       (unsigned long long)r->major_faults, (unsigned long long)r->pswpin,
	       (unsigned long long)r->pswpout, (unsigned long long)r->oom_kills, tlb,
	       (double)r->virtual_ns * 1e-9, r->wall_seconds,
	       r->wall_seconds > 0 ? (double)r->requests / r->wall_seconds / 1e6 : 0);
}

static int kernel_one(const struct replay_cli *c, const char *policy, const char *spec,
		      struct progress *prog, json_t *runs, FILE *kmsg, bool first)
{
	struct replay_kopts ko = {
		.spec = spec, .access_ns = c->access_ns, .interval_ns = c->interval_ns,
		.verify = c->verify, .check = c->check, .sysctls = c->sysctls,
		.progress = progress_show,
		.progress_arg = prog,
	};
	struct replay_source src = { .read = src_read, .error = src_error, .name = c->trace };
	const struct trace_info *info;
	struct replay_kresult res;
	struct trace_reader *r;
	struct replay_meta meta;
	char err[512];
	json_t *run;
	int ret;

	r = trace_open_spec(c->trace, c->format ? c->format : "auto", err, sizeof(err));
	if (!r) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	info = trace_get_info(r);
	src.arg = r;
	src.has_addresses = info->has_addresses;
	src.has_layout = info->has_layout;
	src.page_shift = info->page_shift;
	src.nr_records = info->nr_records;
	prog->t0 = now_seconds();
	prog->last = 0;
	ret = replay_kernel(&src, &ko, &res, err, sizeof(err));
	progress_end(prog);
	if (ret) {
		trace_close(r);
		if (ret == -2)	/* the boot refused the spec, lru=NAME included */
			fprintf(stderr, "mmsim: replay: boot \"%s\": %s\n", spec,
				err + strlen("--spec: "));
		else if (ret == -3)
			fprintf(stderr, "mmsim: replay: %s\n", err);
		else
			fprintf(stderr, "%s\n", err);
		return 1;
	}
	meta = (struct replay_meta){ .trace = c->trace, .format = trace_format_name(info->format),
				     .policy = policy, .spec = spec };
	run = replay_kernel_json(&meta, &res);
	trace_close(r);
	print_kernel_row(policy, &res, first);
	if (res.kmsg && kmsg)
		fputs(res.kmsg, kmsg);
	if (res.kmsg && c->verbose)
		fputs(res.kmsg, stderr);
	if (res.check_errors)
		fprintf(stderr, "mmsim: replay: %s: %llu invariant checks failed (the kernel log says which: --kmsg)\n",
			policy, (unsigned long long)res.check_errors);
	if (res.halted)
		fprintf(stderr, "mmsim: replay: the machine halted (a panic) after %llu records; see --kmsg\n",
			(unsigned long long)res.records);
	replay_kresult_free(&res);
	if (!run || json_array_append_new(runs, run)) {
		fputs("mmsim: replay: out of memory\n", stderr);
		return 1;
	}
	return 0;
}

static int kernel_mode(const struct replay_cli *c, json_t *runs, struct outputs *extra)
{
	struct progress prog = { .what = "replay" };
	char lru[64], *list = NULL, *save = NULL, *name;
	FILE *kmsg = NULL;
	bool first = true;
	int ret = 0;

	prog.on = c->progress > 0 || (c->progress == 0 && isatty(2));
	spec_word(c->spec, "lru", lru, sizeof(lru));
	if (c->policies && lru[0])
		return usage_error("--policy and lru= in --spec: give the policy once");
	if (c->kmsg) {
		kmsg = output_open(extra, c->kmsg);
		if (!kmsg)
			return 1;
	}
	list = strdup(c->policies ? c->policies : (lru[0] ? lru : "classic"));
	for (name = strtok_r(list, ",", &save); name && !ret; name = strtok_r(NULL, ",", &save)) {
		char *spec;

		/* the spec's own lru= (no --policy) is not repeated */
		if (asprintf(&spec, "cpus=1%s%s%s%s", c->spec && c->spec[0] ? " " : "",
			     c->spec ? c->spec : "", lru[0] ? "" : " lru=", lru[0] ? "" : name) < 0) {
			ret = 1;
			break;
		}
		ret = kernel_one(c, name, spec, &prog, runs, kmsg, first);
		first = false;
		free(spec);
	}
	free(list);
	if (kmsg && output_close(kmsg, c->kmsg) && !ret)
		ret = 1;
	return ret;
}

/* ---------------------------------------------------------------------
 * Cache mode
 */

static int cache_mode(const struct replay_cli *c, json_t *runs)
{
	struct replay_copts co = { .policies = c->policies, .sizes = c->sizes, .mrc = c->mrc,
				   .shards = c->shards, .threads = c->threads };
	struct replay_meta meta = { .trace = c->trace };
	struct trace_reader *r;
	char err[512];
	cache_id_t *ids = NULL;
	uint64_t n = 0;
	int ret;

	/* the format's name for the JSON: open the header only */
	r = trace_open_spec(c->trace, c->format ? c->format : "auto", err, sizeof(err));
	if (!r) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	meta.format = trace_format_name(trace_get_info(r)->format);
	trace_close(r);
	if (trace_load_ids_spec(c->trace, c->format ? c->format : "auto", &ids, &n, err,
				sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	ret = replay_cache(&co, &meta, ids, n, runs, stdout, err, sizeof(err));
	free(ids);
	if (ret == 1)
		return usage_error("%s", err);
	if (ret) {
		fprintf(stderr, "mmsim: replay: %s\n", err[0] ? err : strerror(-ret));
		return 1;
	}
	return 0;
}

int cmd_replay(int argc, char **argv)
{
	struct outputs extra = { .nr = 0 };
	struct replay_cli c;
	json_t *runs;
	int ret;

	ret = parse_args(argc, argv, &c);
	if (ret)
		return ret;
	if (c.policies && !strcmp(c.policies, "help")) {
		replay_cache_list_policies(stdout);
		return 0;
	}
	runs = json_array();
	if (!runs)
		return 1;
	ret = c.cache_mode ? cache_mode(&c, runs) : kernel_mode(&c, runs, &extra);
	fflush(stdout);
	if (!ret && write_outputs(&c, runs))
		ret = 1;
	if (!ret && outputs_commit(&extra))
		ret = 1;
	outputs_abort(&extra);
	json_decref(runs);
	return ret;
}
