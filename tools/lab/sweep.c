// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/sweep.c - `mmsim sweep`: one replay per trace x policy x size,
 * written as job lines for other people's schedulers (no scheduler here).
 *
 *   mmsim sweep --traces T... --policies P... --sizes S... -o DIR
 *               [--spec-template "ram={size} swap=1G"] [--cache-mode]
 *               [--mmsim PATH]
 *
 * A list option takes every following argument up to the next one that
 * starts with "--" (or is -o); an argument may also hold a comma-separated
 * list.  Kernel mode (the default): each size is a RAM size substituted for
 * every "{size}" of the spec template.  --cache-mode: each size is a page
 * count passed as replay's --size.
 *
 * Writes, each through a temporary file renamed into place:
 *   DIR/jobs.txt	one shell command line per run, in the order traces,
 *			then policies, then sizes (the outermost first):
 *			  MMSIM replay TRACE [--spec SPEC | --cache-mode --size N]
 *			    --policy P --json DIR/results/NAME.json --quiet
 *			every word shell-quoted; `parallel < DIR/jobs.txt`
 *   DIR/slurm.sh	an sbatch array script, task i runs line i of jobs.txt
 *   DIR/README		how to run either, and how to merge
 * and makes DIR/results/ and DIR/logs/.  NAME is trace-basename_policy_size
 * with characters outside [A-Za-z0-9._-] as '_', and "-2", "-3"... when two
 * runs would share a name; `mmsim merge` reads the results in name order.
 * Paths in the job lines are absolute (the traces, DIR, MMSIM: by default
 * this very binary, /proc/self/exe) so the jobs run from any directory.
 * Policies are not checked here: replay names an unknown one in its job's
 * output.  No state, no locking.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tools/lab/lab.h"

struct sweep_list {
	char **v;		/* the words (owned) */
	size_t nr, cap;
};

struct sweep {
	struct sweep_list traces, policies, sizes;
	struct sweep_list names;	/* result names taken so far */
	const char *dir;		/* -o, as given */
	char *adir;			/* DIR, absolute */
	const char *tmpl;		/* the spec template (kernel mode) */
	const char *mmsim;		/* the binary the jobs run */
	int cache_mode;
};

static void sweep_usage(FILE *f)
{
	fputs("usage: mmsim sweep --traces T... --policies P... --sizes S... -o DIR\n"
	      "                   [--spec-template \"ram={size} swap=1G\"] [--cache-mode]"
	      " [--mmsim PATH]\n"
	      "  writes DIR/jobs.txt (one `mmsim replay` per trace x policy x size,"
	      " for GNU parallel),\n"
	      "  DIR/slurm.sh (a Slurm array script) and DIR/README;"
	      " then `mmsim merge DIR -o OUT.csv`\n", f);
}

static int list_add(struct sweep_list *l, const char *s, size_t n)
{
	if (l->nr == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 8;
		char **v = realloc(l->v, cap * sizeof(*v));

		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->nr] = strndup(s, n);
	if (!l->v[l->nr])
		return -1;
	l->nr++;
	return 0;
}

static void list_free(struct sweep_list *l)
{
	while (l->nr)
		free(l->v[--l->nr]);
	free(l->v);
}

/* Adds the comma-separated words of @arg; -1 on an empty word. */
static int list_add_commas(struct sweep_list *l, const char *arg)
{
	const char *p = arg, *c;

	for (;;) {
		c = strchr(p, ',');
		if (c == p || !*p)
			return -1;
		if (list_add(l, p, c ? (size_t)(c - p) : strlen(p)))
			return -1;
		if (!c)
			return 0;
		p = c + 1;
	}
}

/* A word the shell takes as is. */
static int shell_plain(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789_./=:,+@%-", *s))
			return 0;
	return 1;
}

static void put_word(FILE *f, const char *s, int first)
{
	if (!first)
		putc(' ', f);
	if (shell_plain(s)) {
		fputs(s, f);
		return;
	}
	putc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", f);
		else
			putc(*s, f);
	}
	putc('\'', f);
}

/* Cache mode: a page count (digits, > 0).  Kernel mode: digits and at most
 * one unit letter, as the boot spec reads sizes. */
static int size_ok(const char *s, int cache_mode)
{
	const char *p = s;

	while (*p >= '0' && *p <= '9')
		p++;
	if (p == s || strspn(s, "0") == (size_t)(p - s))
		return 0;
	if (cache_mode)
		return !*p;
	return !*p || (strchr("kKmMgGtT", *p) && !p[1]);
}

/* The template with every {size} replaced by @size (malloc'd). */
static char *spec_for(const char *tmpl, const char *size)
{
	size_t n = 1, sl = strlen(size);
	const char *p;
	char *out, *o;

	for (p = tmpl; *p; )
		if (!strncmp(p, "{size}", 6)) {
			n += sl;
			p += 6;
		} else {
			n++;
			p++;
		}
	out = malloc(n);
	if (!out)
		return NULL;
	for (p = tmpl, o = out; *p; )
		if (!strncmp(p, "{size}", 6)) {
			memcpy(o, size, sl);
			o += sl;
			p += 6;
		} else {
			*o++ = *p++;
		}
	*o = '\0';
	return out;
}

/* A result name for this run not taken yet (owned by sw->names). */
static const char *result_name(struct sweep *sw, const char *trace,
			       const char *policy, const char *size)
{
	const char *base = strrchr(trace, '/');
	char buf[PATH_MAX / 4], cand[PATH_MAX / 4 + 16];
	unsigned int k;
	size_t i;
	char *c;

	snprintf(buf, sizeof(buf), "%s_%s_%s", base ? base + 1 : trace,
		 policy, size);
	for (c = buf; *c; c++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			    "0123456789._-", *c))
			*c = '_';
	for (k = 1;; k++) {
		if (k == 1)
			snprintf(cand, sizeof(cand), "%s", buf);
		else
			snprintf(cand, sizeof(cand), "%s-%u", buf, k);
		for (i = 0; i < sw->names.nr; i++)
			if (!strcmp(sw->names.v[i], cand))
				break;
		if (i == sw->names.nr)
			break;
	}
	if (list_add(&sw->names, cand, strlen(cand)))
		return NULL;
	return sw->names.v[sw->names.nr - 1];
}

/* Opens DIR/NAME's temporary file; sets *@tmp (malloc'd). */
static FILE *open_tmp(const struct sweep *sw, const char *name, char **tmp,
		      int mode)
{
	FILE *f;
	int fd;

	if (asprintf(tmp, "%s/%s.XXXXXX", sw->adir, name) < 0) {
		*tmp = NULL;
		return NULL;
	}
	fd = mkstemp(*tmp);
	if (fd < 0)
		return NULL;
	fchmod(fd, mode);
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(*tmp);
	}
	return f;
}

/* Closes @f and renames @tmp onto DIR/NAME; 0, or 1 after a message. */
static int commit_tmp(const struct sweep *sw, FILE *f, char *tmp,
		      const char *name)
{
	char *path = NULL;
	int bad = ferror(f);

	if (fclose(f) == EOF)
		bad = 1;
	if (!bad && asprintf(&path, "%s/%s", sw->adir, name) >= 0 &&
	    !rename(tmp, path)) {
		free(path);
		free(tmp);
		return 0;
	}
	fprintf(stderr, "mmsim: sweep: %s/%s: %s\n", sw->dir, name,
		errno ? strerror(errno) : "write failed");
	unlink(tmp);
	free(path);
	free(tmp);
	return 1;
}

static int write_jobs(struct sweep *sw, size_t *njobs)
{
	size_t t, p, s, n = 0;
	char *tmp, *spec, *json;
	const char *name;
	FILE *f;

	f = open_tmp(sw, "jobs.txt", &tmp, 0644);
	if (!f)
		goto fail;
	for (t = 0; t < sw->traces.nr; t++)
		for (p = 0; p < sw->policies.nr; p++)
			for (s = 0; s < sw->sizes.nr; s++) {
				name = result_name(sw, sw->traces.v[t],
						   sw->policies.v[p], sw->sizes.v[s]);
				if (!name || asprintf(&json, "%s/results/%s.json",
						      sw->adir, name) < 0)
					goto fail_file;
				put_word(f, sw->mmsim, 1);
				put_word(f, "replay", 0);
				put_word(f, sw->traces.v[t], 0);
				if (sw->cache_mode) {
					put_word(f, "--cache-mode", 0);
					put_word(f, "--size", 0);
					put_word(f, sw->sizes.v[s], 0);
				} else {
					spec = spec_for(sw->tmpl, sw->sizes.v[s]);
					if (!spec) {
						free(json);
						goto fail_file;
					}
					put_word(f, "--spec", 0);
					put_word(f, spec, 0);
					free(spec);
				}
				put_word(f, "--policy", 0);
				put_word(f, sw->policies.v[p], 0);
				put_word(f, "--json", 0);
				put_word(f, json, 0);
				put_word(f, "--quiet", 0);
				putc('\n', f);
				free(json);
				n++;
			}
	*njobs = n;
	return commit_tmp(sw, f, tmp, "jobs.txt");
fail_file:
	fclose(f);
	unlink(tmp);
fail:
	fprintf(stderr, "mmsim: sweep: %s/jobs.txt: %s\n", sw->dir,
		errno ? strerror(errno) : "out of memory");
	free(tmp);
	return 1;
}

static int write_slurm(const struct sweep *sw, size_t njobs)
{
	char *tmp;
	FILE *f;

	f = open_tmp(sw, "slurm.sh", &tmp, 0755);
	if (!f) {
		fprintf(stderr, "mmsim: sweep: %s/slurm.sh: %s\n", sw->dir,
			strerror(errno));
		free(tmp);
		return 1;
	}
	fprintf(f, "#!/bin/bash\n"
		"# mmsim sweep: %zu runs (%zu trace%s x %zu polic%s x %zu size%s),"
		" one per array task:\n"
		"# task i runs line i of jobs.txt.  Submit with: sbatch ",
		njobs, sw->traces.nr, sw->traces.nr == 1 ? "" : "s",
		sw->policies.nr, sw->policies.nr == 1 ? "y" : "ies",
		sw->sizes.nr, sw->sizes.nr == 1 ? "" : "s");
	put_word(f, sw->adir, 1);
	fprintf(f, "/slurm.sh\n"
		"# (more than MaxArraySize, 1001 by default, runs: split the"
		" array with --array=A-B.)\n"
		"#SBATCH --job-name=mmsim-sweep\n"
		"#SBATCH --array=1-%zu\n"
		"#SBATCH --ntasks=1\n"
		"#SBATCH --output=%s/logs/%%A_%%a.out\n"
		"set -euo pipefail\n"
		"jobs=", njobs, sw->adir);
	put_word(f, sw->adir, 1);
	fputs("/jobs.txt\n"
	      "line=$(sed -n \"${SLURM_ARRAY_TASK_ID:?not a Slurm array task}p\""
	      " \"$jobs\")\n"
	      "[ -n \"$line\" ] || { echo \"slurm.sh: no line $SLURM_ARRAY_TASK_ID"
	      " in $jobs\" >&2; exit 1; }\n"
	      "eval \"$line\"\n", f);
	return commit_tmp(sw, f, tmp, "slurm.sh");
}

static void put_readme(FILE *f, const struct sweep *sw, size_t njobs)
{
	fprintf(f, "mmsim sweep: %zu runs (%zu trace%s x %zu polic%s x %zu size%s"
		", %s mode) in %s\n",
		njobs, sw->traces.nr, sw->traces.nr == 1 ? "" : "s",
		sw->policies.nr, sw->policies.nr == 1 ? "y" : "ies",
		sw->sizes.nr, sw->sizes.nr == 1 ? "" : "s",
		sw->cache_mode ? "cache" : "kernel", sw->adir);
	fprintf(f, "  here (GNU parallel): parallel --will-cite --jobs \"$(nproc)\""
		" < %s/jobs.txt\n", sw->adir);
	fprintf(f, "  on a Slurm cluster:  sbatch %s/slurm.sh\n", sw->adir);
	fprintf(f, "  then:                mmsim merge %s -o %s/results.csv"
		" --report %s/report.html\n", sw->adir, sw->adir, sw->adir);
}

static int write_readme(const struct sweep *sw, size_t njobs)
{
	char *tmp;
	FILE *f;

	f = open_tmp(sw, "README", &tmp, 0644);
	if (!f) {
		fprintf(stderr, "mmsim: sweep: %s/README: %s\n", sw->dir,
			strerror(errno));
		free(tmp);
		return 1;
	}
	put_readme(f, sw, njobs);
	return commit_tmp(sw, f, tmp, "README");
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0755) && errno != EEXIST) {
		fprintf(stderr, "mmsim: sweep: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

/* Absolute paths for the job lines; 1 after a message. */
static int sweep_resolve(struct sweep *sw, char *self, size_t selfsz)
{
	char *sub, *abs;
	size_t i;
	ssize_t n;

	for (i = 0; i < sw->traces.nr; i++) {
		abs = realpath(sw->traces.v[i], NULL);
		if (!abs) {
			fprintf(stderr, "mmsim: sweep: %s: %s\n", sw->traces.v[i],
				strerror(errno));
			return 1;
		}
		free(sw->traces.v[i]);
		sw->traces.v[i] = abs;
	}
	if (make_dir(sw->dir))
		return 1;
	sw->adir = realpath(sw->dir, NULL);
	if (!sw->adir) {
		fprintf(stderr, "mmsim: sweep: %s: %s\n", sw->dir, strerror(errno));
		return 1;
	}
	if (asprintf(&sub, "%s/results", sw->adir) < 0)
		return 1;
	n = make_dir(sub);
	free(sub);
	if (n || asprintf(&sub, "%s/logs", sw->adir) < 0)
		return 1;
	n = make_dir(sub);
	free(sub);
	if (n)
		return 1;
	if (!sw->mmsim) {
		n = readlink("/proc/self/exe", self, selfsz - 1);
		if (n <= 0) {
			fprintf(stderr, "mmsim: sweep: /proc/self/exe: %s"
				" (name the binary with --mmsim)\n", strerror(errno));
			return 1;
		}
		self[n] = '\0';
		sw->mmsim = self;
	}
	return 0;
}

/* 0, or 2 after a message (bad command line). */
static int sweep_parse(struct sweep *sw, int argc, char **argv)
{
	struct sweep_list *list = NULL;
	const char *opt = NULL;
	size_t i;
	int a;

	for (a = 0; a < argc; a++) {
		const char *s = argv[a];

		if (!strcmp(s, "--traces") || !strcmp(s, "--policies") ||
		    !strcmp(s, "--sizes")) {
			list = s[2] == 't' ? &sw->traces :
			       s[2] == 'p' ? &sw->policies : &sw->sizes;
			opt = s;
			if (a + 1 >= argc || !strncmp(argv[a + 1], "--", 2)) {
				fprintf(stderr, "mmsim: sweep: %s needs at least"
					" one value\n", s);
				return 2;
			}
			continue;
		}
		if (!strcmp(s, "-o") || !strcmp(s, "--spec-template") ||
		    !strcmp(s, "--mmsim")) {
			if (a + 1 >= argc) {
				fprintf(stderr, "mmsim: sweep: %s needs a value\n", s);
				return 2;
			}
			if (s[1] == 'o')
				sw->dir = argv[++a];
			else if (s[2] == 's')
				sw->tmpl = argv[++a];
			else
				sw->mmsim = argv[++a];
			list = NULL;
			continue;
		}
		if (!strcmp(s, "--cache-mode")) {
			sw->cache_mode = 1;
			list = NULL;
			continue;
		}
		if (!strcmp(s, "-h") || !strcmp(s, "--help")) {
			sweep_usage(stdout);
			return -1;
		}
		if (!list || (s[0] == '-' && s[1] == '-')) {
			fprintf(stderr, "mmsim: sweep: unexpected '%s'\n", s);
			return 2;
		}
		if (list == &sw->traces ? list_add(list, s, strlen(s)) :
		    list_add_commas(list, s)) {
			fprintf(stderr, "mmsim: sweep: %s: bad value '%s'\n", opt, s);
			return 2;
		}
	}
	if (!sw->traces.nr || !sw->policies.nr || !sw->sizes.nr || !sw->dir) {
		fputs("mmsim: sweep: needs --traces, --policies, --sizes and -o DIR"
		      " (mmsim sweep --help)\n", stderr);
		return 2;
	}
	if (sw->cache_mode && sw->tmpl) {
		fputs("mmsim: sweep: --spec-template: not used with --cache-mode"
		      " (sizes are pages)\n", stderr);
		return 2;
	}
	if (!sw->cache_mode && !sw->tmpl)
		sw->tmpl = "ram={size} swap=1G";
	if (!sw->cache_mode && !strstr(sw->tmpl, "{size}")) {
		fprintf(stderr, "mmsim: sweep: --spec-template: '%s' has no {size}\n",
			sw->tmpl);
		return 2;
	}
	for (i = 0; i < sw->sizes.nr; i++)
		if (!size_ok(sw->sizes.v[i], sw->cache_mode)) {
			fprintf(stderr, "mmsim: sweep: --sizes: '%s' is not %s\n",
				sw->sizes.v[i], sw->cache_mode ?
				"a page count" : "a size (N, NK, NM, NG)");
			return 2;
		}
	return 0;
}

int cmd_sweep(int argc, char **argv)
{
	struct sweep sw = { 0 };
	char self[PATH_MAX];
	size_t njobs = 0;
	int rc;

	rc = sweep_parse(&sw, argc, argv);
	if (rc < 0)		/* --help */
		rc = 0;
	else if (!rc && !(rc = sweep_resolve(&sw, self, sizeof(self))) &&
		 !(rc = write_jobs(&sw, &njobs)) && !(rc = write_slurm(&sw, njobs)) &&
		 !(rc = write_readme(&sw, njobs)))
		put_readme(stdout, &sw, njobs);
	list_free(&sw.traces);
	list_free(&sw.policies);
	list_free(&sw.sizes);
	list_free(&sw.names);
	free(sw.adir);
	return rc;
}
