// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_lab_report_api.c - tools/lab/report.h without a browser:
 * lab_csv_write's cells (absent, integer, real, quoted strings) against
 * hand-written expected text; lab_report_write's page holds the library,
 * the page script and the runs' JSON with every '<' escaped, and on failure
 * (a run that is not an object, a directory that does not exist) returns -1
 * with a message naming the path and leaves no file.  The page in a real
 * browser: tests/test_lab_report.sh.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ktest.h"
#include "tools/lab/report.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc(n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	if (buf)
		buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (; (hay = strstr(hay, needle)); hay += strlen(needle))
		n++;
	return n;
}

static void test_csv(void)
{
	json_t *runs[2];
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	runs[0] = json_pack("{s:i,s:s,s:s,s:s,s:i,s:I,s:i,s:f}", "mmsim_lab", 1,
			    "mode", "cache", "trace", "a,b \"q\".txt", "policy", "lru",
			    "size_pages", 100, "requests", (json_int_t)5000000000LL,
			    "misses", 7, "miss_ratio", 0.25);
	runs[1] = json_pack("{s:i,s:s,s:s,s:s,s:i,s:n}", "mmsim_lab", 1, "mode",
			    "kernel", "spec", "ram=64M swap=1G", "policy", "mglru",
			    "major_faults", 3, "trace", "x\ny");
	KT_ASSERT(runs[0] && runs[1]);
	KT_EQ(lab_csv_write(f, runs, 2), 0);
	fclose(f);
	KT_ASSERT(!strcmp(text,
		"mode,trace,format,policy,size_pages,spec,requests,hits,misses,"
		"miss_ratio,faults,minor_faults,major_faults,pswpin,pswpout,"
		"refaults,oom_kills,tlb_hits,tlb_misses,tlb_hit_ratio,"
		"virtual_seconds,wall_seconds,requests_per_second\n"
		"cache,\"a,b \"\"q\"\".txt\",,lru,100,,5000000000,,7,0.25,,,,,,,,,,,,,\n"
		"kernel,,,mglru,,ram=64M swap=1G,,,,,,,3,,,,,,,,,,\n"));
	free(text);
	json_decref(runs[0]);
	json_decref(runs[1]);
}

/* No file in @dir whose name starts with @prefix except @keep. */
static int others_in(const char *dir, const char *prefix, const char *keep)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, prefix, strlen(prefix)) &&
		    (!keep || strcmp(de->d_name, keep)))
			n++;
	closedir(d);
	return n;
}

static void test_page(void)
{
	char dir[] = "/tmp/test_lab_report_XXXXXX", path[256], err[256];
	json_t *run, *bad[2];
	size_t len = 0, jslen;
	char *page;

	KT_ASSERT(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/r.html", dir);
	run = json_pack("{s:i,s:s,s:s,s:s,s:i}", "mmsim_lab", 1, "mode", "cache",
			"trace", "</script><!-- x", "policy", "lru", "size_pages", 8);
	KT_EQ(lab_report_write(path, &run, 1, err, sizeof(err)), 0);
	page = slurp(path, &len);
	KT_ASSERT(page);
	jslen = (size_t)(lab_asset_echarts_js_end - lab_asset_echarts_js);
	KT_ASSERT(jslen > 100000);	/* the minified library, not a stub */
	KT_ASSERT(len > jslen);
	if (page) {
		KT_ASSERT(memmem(page, len, lab_asset_echarts_js, jslen) != NULL);
		KT_STR_CONTAINS(page, "\\u003c/script>\\u003c!-- x");
		KT_STR_CONTAINS(page, "id=\"mmsim-data\"");
		KT_STR_CONTAINS(page, "mmsim-status");
		/* The data hold no raw '<': only the page's own tags close. */
		KT_EQ(count(page, "</script>"), 4);
		KT_ASSERT(strstr(page, "</html>\n") == page + len - 8);
	}
	free(page);
	KT_EQ(others_in(dir, "r.html", "r.html"), 0);

	/* Failures: -1, a message naming the path, no file at all. */
	bad[0] = run;
	bad[1] = json_integer(3);
	snprintf(path, sizeof(path), "%s/bad.html", dir);
	KT_EQ(lab_report_write(path, bad, 2, err, sizeof(err)), -1);
	KT_STR_CONTAINS(err, "run 2 is not a JSON object");
	KT_STR_CONTAINS(err, path);
	KT_EQ(others_in(dir, "bad.html", NULL), 0);
	snprintf(path, sizeof(path), "%s/nodir/r.html", dir);
	KT_EQ(lab_report_write(path, &run, 1, err, sizeof(err)), -1);
	KT_STR_CONTAINS(err, "nodir/r.html: No such file or directory");
	json_decref(bad[1]);
	json_decref(run);
	snprintf(path, sizeof(path), "%s/r.html", dir);
	unlink(path);
	KT_EQ(rmdir(dir), 0);
}

int main(void)
{
	KT_RUN(test_csv);
	KT_RUN(test_page);
	return kt_done();
}
