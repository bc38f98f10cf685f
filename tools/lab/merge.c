// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/merge.c - `mmsim merge DIR -o OUT.csv [--report OUT.html]`:
 * joins the results of a sweep (tools/lab/sweep.c) into one CSV and,
 * optionally, one HTML report.
 *
 * Input: every DIR/results/ *.json, in strcmp order of the file names (a
 * stable order: the same directory gives the same CSV), each holding JSON
 * lines - one run (tools/lab/lab.h's object, "mmsim_lab": 1) per line;
 * blank lines are skipped.  Everything is read and checked before anything
 * is written: the first problem is one line "FILE:LINE: problem" on stderr,
 * exit 1, and no output file.  Output: OUT.csv through a temporary file
 * renamed at the end (tools/lab/report_csv.c's columns), then the report
 * (tools/lab/report.c, which does the same); if the report fails the CSV's
 * temporary file is removed.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tools/lab/lab.h"
#include "tools/lab/report.h"

struct merge_runs {
	json_t **v;		/* the runs, in input order (owned) */
	size_t nr, cap;
};

static void merge_usage(FILE *f)
{
	fputs("usage: mmsim merge DIR -o OUT.csv [--report OUT.html]\n"
	      "  joins DIR/results/*.json (one run per line, as `mmsim replay"
	      " --json` writes)\n", f);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* The *.json names in @dir, sorted; NULL with a message on failure. */
static char **list_results(const char *dir, size_t *nr)
{
	char **names = NULL, **grown;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "mmsim: merge: %s: %s\n", dir, strerror(errno));
		return NULL;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || !ends_with(de->d_name, ".json"))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown)
				goto oom;
			names = grown;
		}
		names[n] = strdup(de->d_name);
		if (!names[n])
			goto oom;
		n++;
	}
	closedir(d);
	if (!n) {
		fprintf(stderr, "mmsim: merge: %s: no results (*.json)\n", dir);
		free(names);
		return NULL;
	}
	qsort(names, n, sizeof(*names), cmp_names);
	*nr = n;
	return names;
oom:
	closedir(d);
	while (n)
		free(names[--n]);
	free(names);
	fputs("mmsim: merge: out of memory\n", stderr);
	return NULL;
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

/* Why @run is not a run of lab.h's format, or NULL. */
static const char *run_problem(json_t *run)
{
	json_t *mode;

	if (!json_is_object(run))
		return "not a JSON object";
	if (json_integer_value(json_object_get(run, "mmsim_lab")) != 1)
		return "not an mmsim lab result (no \"mmsim_lab\": 1)";
	mode = json_object_get(run, "mode");
	if (!json_is_string(mode) ||
	    (strcmp(json_string_value(mode), "cache") &&
	     strcmp(json_string_value(mode), "kernel")))
		return "\"mode\" is not \"cache\" or \"kernel\"";
	return NULL;
}

/* Appends every run of @path to @runs; 0, or 1 after one line on stderr. */
static int read_results(const char *path, struct merge_runs *runs)
{
	char *line = NULL;
	size_t len = 0, lineno = 0;
	json_error_t jerr;
	const char *why;
	json_t *run;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return 1;
	}
	while (getline(&line, &len, f) != -1) {
		lineno++;
		if (blank(line))
			continue;
		run = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
		if (!run) {
			fprintf(stderr, "%s:%zu: invalid JSON at column %d: %s\n",
				path, lineno, jerr.column, jerr.text);
			goto fail;
		}
		why = run_problem(run);
		if (why) {
			fprintf(stderr, "%s:%zu: %s\n", path, lineno, why);
			json_decref(run);
			goto fail;
		}
		if (runs->nr == runs->cap) {
			size_t cap = runs->cap ? 2 * runs->cap : 64;
			json_t **v = realloc(runs->v, cap * sizeof(*v));

			if (!v) {
				json_decref(run);
				fprintf(stderr, "%s:%zu: out of memory\n", path, lineno);
				goto fail;
			}
			runs->v = v;
			runs->cap = cap;
		}
		runs->v[runs->nr++] = run;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s:%zu: read error\n", path, lineno + 1);
		goto fail;
	}
	free(line);
	fclose(f);
	return 0;
fail:
	free(line);
	fclose(f);
	return 1;
}

/* The CSV into a temporary file beside @out; its name, or NULL. */
static char *write_csv_tmp(const char *out, struct merge_runs *runs)
{
	size_t len = strlen(out) + sizeof(".XXXXXX");
	char *tmp = malloc(len);
	FILE *f;
	int fd, failed;

	if (!tmp) {
		fprintf(stderr, "mmsim: merge: %s: out of memory\n", out);
		return NULL;
	}
	snprintf(tmp, len, "%s.XXXXXX", out);
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "mmsim: merge: %s: %s\n", out, strerror(errno));
		free(tmp);
		return NULL;
	}
	fchmod(fd, 0644);
	f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		failed = 1;
	} else {
		failed = lab_csv_write(f, runs->v, runs->nr) != 0;
		if (fclose(f) == EOF)
			failed = 1;
	}
	if (failed) {
		fprintf(stderr, "mmsim: merge: %s: write failed\n", out);
		unlink(tmp);
		free(tmp);
		return NULL;
	}
	return tmp;
}

int cmd_merge(int argc, char **argv)
{
	const char *dir = NULL, *out = NULL, *report = NULL;
	struct merge_runs runs = { 0 };
	char **names = NULL, *path, *tmp, err[512];
	size_t nnames = 0, i;
	int i_arg, rc = 1;

	for (i_arg = 0; i_arg < argc; i_arg++) {
		const char *a = argv[i_arg];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			merge_usage(stdout);
			return 0;
		} else if (!strcmp(a, "-o") || !strcmp(a, "--report")) {
			if (i_arg + 1 >= argc) {
				fprintf(stderr, "mmsim: merge: %s needs a file\n", a);
				return 2;
			}
			*(a[1] == 'o' ? &out : &report) = argv[++i_arg];
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "mmsim: merge: unknown option '%s'\n", a);
			return 2;
		} else if (!dir) {
			dir = a;
		} else {
			fprintf(stderr, "mmsim: merge: one DIR only ('%s')\n", a);
			return 2;
		}
	}
	if (!dir || !out) {	/* one line: the first of the usage */
		fputs("usage: mmsim merge DIR -o OUT.csv [--report OUT.html]\n",
		      stderr);
		return 2;
	}

	if (asprintf(&path, "%s/results", dir) < 0)
		return 1;
	names = list_results(path, &nnames);
	free(path);
	if (!names)
		return 1;
	for (i = 0; i < nnames; i++) {
		if (asprintf(&path, "%s/results/%s", dir, names[i]) < 0)
			goto out;
		if (read_results(path, &runs)) {
			free(path);
			goto out;
		}
		free(path);
	}
	if (!runs.nr) {
		fprintf(stderr, "mmsim: merge: %s/results: no runs in %zu file%s\n",
			dir, nnames, nnames == 1 ? "" : "s");
		goto out;
	}

	tmp = write_csv_tmp(out, &runs);
	if (!tmp)
		goto out;
	if (report && lab_report_write(report, runs.v, runs.nr, err, sizeof(err))) {
		fprintf(stderr, "mmsim: merge: %s\n", err);
		unlink(tmp);
		free(tmp);
		goto out;
	}
	if (rename(tmp, out)) {
		fprintf(stderr, "mmsim: merge: %s: %s\n", out, strerror(errno));
		unlink(tmp);
		if (report)
			unlink(report);
		free(tmp);
		goto out;
	}
	free(tmp);
	printf("mmsim merge: %zu run%s from %zu file%s -> %s%s%s\n", runs.nr,
	       runs.nr == 1 ? "" : "s", nnames, nnames == 1 ? "" : "s", out,
	       report ? ", " : "", report ? report : "");
	rc = 0;
out:
	for (i = 0; i < runs.nr; i++)
		json_decref(runs.v[i]);
	free(runs.v);
	for (i = 0; i < nnames; i++)
		free(names[i]);
	free(names);
	return rc;
}
