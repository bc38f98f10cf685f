// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/report.c - the lab's HTML report: one self-contained page about
 * one run or many (`mmsim replay --report`, `mmsim merge --report`).
 *
 * The page, in order:
 *   <head>: a first inline script that records every error (window.onerror,
 *	unhandled rejections, console.error) into window.__mmsimErrors and,
 *	once the body exists, into #mmsim-status; the style; the plotting
 *	library (Apache ECharts, inlined verbatim: scripts/vendor-js.sh has
 *	checked that it holds no "</script").
 *   <body>: the status element, the runs as JSON in
 *	<script type="application/json" id="mmsim-data">, and the page's own
 *	script (tools/lab/report_page.js) that builds the summary table and
 *	the charts from that JSON.
 *
 * The JSON is jansson's compact dump of the array of runs with every '<'
 * written as \u003c, so no "</script" or "<!--" can end the element early:
 * JSON syntax has no '<' outside strings, and inside a string \u003c is the
 * same character once parsed.
 *
 * Output discipline (the tool's rule for bad input): the page is written to
 * PATH.XXXXXX beside PATH (same file system) and renamed onto PATH only once
 * every byte is written and closed; any failure unlinks the temporary file.
 * No state, no locking: each call builds its own page.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tools/lab/report.h"

static void report_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/* Bytes [@start, @end) of an embedded asset. */
static int put_asset(FILE *f, const char *start, const char *end)
{
	size_t n = (size_t)(end - start);

	return fwrite(start, 1, n, f) == n ? 0 : -1;
}

/* The runs' JSON with '<' as \u003c (see the header comment). */
static int put_data(FILE *f, const char *json)
{
	const char *p;

	for (p = json; *p; p++) {
		if (*p == '<') {
			if (fputs("\\u003c", f) == EOF)
				return -1;
		} else if (putc(*p, f) == EOF) {
			return -1;
		}
	}
	return 0;
}

/*
 * The error recorder: first in <head>, so that it sees errors of the
 * library's own evaluation too.  The test (tests/test_lab_report.sh) reads
 * #mmsim-status's data-errors and the messages in #mmsim-errors.
 */
static const char error_recorder[] =
	"<script>\n"
	"(function () {\n"
	"  'use strict';\n"
	"  var errs = window.__mmsimErrors = [];\n"
	"  function show() {\n"
	"    var st = document.getElementById('mmsim-status');\n"
	"    var box = document.getElementById('mmsim-errors');\n"
	"    if (!st || !box) return;\n"
	"    st.setAttribute('data-errors', String(errs.length));\n"
	"    box.textContent = errs.join('\\n');\n"
	"    box.style.display = errs.length ? 'block' : 'none';\n"
	"  }\n"
	"  function note(msg) { errs.push(String(msg)); show(); }\n"
	"  window.__mmsimShowErrors = show;\n"
	"  window.addEventListener('error', function (e) {\n"
	"    note('error: ' + (e.message || e.type) + (e.filename ? ' at ' +\n"
	"         e.filename + ':' + e.lineno : ''));\n"
	"  }, true);\n"
	"  window.addEventListener('unhandledrejection', function (e) {\n"
	"    note('unhandled rejection: ' + e.reason);\n"
	"  });\n"
	"  var ce = console.error;\n"
	"  console.error = function () {\n"
	"    note('console.error: ' + Array.prototype.join.call(arguments, ' '));\n"
	"    return ce.apply(console, arguments);\n"
	"  };\n"
	"})();\n"
	"</script>\n";

static int write_page(FILE *f, const char *json, size_t nr)
{
	if (fprintf(f,
		    "<!DOCTYPE html>\n"
		    "<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<meta name=\"generator\" content=\"mmsim lab report\">\n"
		    "<title>mmsim lab report (%zu run%s)</title>\n",
		    nr, nr == 1 ? "" : "s") < 0)
		return -1;
	if (fputs(error_recorder, f) == EOF || fputs("<style>\n", f) == EOF ||
	    put_asset(f, lab_asset_report_css, lab_asset_report_css_end) ||
	    fputs("</style>\n<script>\n", f) == EOF ||
	    put_asset(f, lab_asset_echarts_js, lab_asset_echarts_js_end) ||
	    fputs("\n</script>\n</head>\n<body>\n", f) == EOF)
		return -1;
	if (fputs("<div id=\"mmsim-status\" data-charts=\"0\" data-drawn=\"0\""
		  " data-errors=\"0\" data-resources=\"0\" data-done=\"0\"></div>\n"
		  "<pre id=\"mmsim-errors\" style=\"display:none\"></pre>\n"
		  "<main id=\"mmsim-app\"><noscript>This report draws its "
		  "charts with JavaScript.</noscript></main>\n"
		  "<script type=\"application/json\" id=\"mmsim-data\">", f) == EOF ||
	    put_data(f, json) ||
	    fputs("</script>\n<script>\n", f) == EOF ||
	    put_asset(f, lab_asset_report_js, lab_asset_report_js_end) ||
	    fputs("\n</script>\n</body>\n</html>\n", f) == EOF)
		return -1;
	return 0;
}

int lab_report_write(const char *path, json_t *const *runs, size_t nr,
		     char *err, size_t errlen)
{
	json_t *arr;
	char *json, *tmp;
	size_t i, len;
	FILE *f;
	int fd, failed;

	arr = json_array();
	if (!arr) {
		report_err(err, errlen, "%s: out of memory", path);
		return -1;
	}
	for (i = 0; i < nr; i++) {
		if (!json_is_object(runs[i])) {
			json_decref(arr);
			report_err(err, errlen, "%s: run %zu is not a JSON object",
				   path, i + 1);
			return -1;
		}
		json_array_append(arr, runs[i]);
	}
	json = json_dumps(arr, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(arr);
	if (!json) {
		report_err(err, errlen, "%s: cannot encode the runs as JSON", path);
		return -1;
	}

	len = strlen(path) + sizeof(".XXXXXX");
	tmp = malloc(len);
	if (!tmp) {
		free(json);
		report_err(err, errlen, "%s: out of memory", path);
		return -1;
	}
	snprintf(tmp, len, "%s.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		report_err(err, errlen, "%s: %s", path, strerror(errno));
		free(tmp);
		free(json);
		return -1;
	}
	fchmod(fd, 0644);
	f = fdopen(fd, "w");
	if (!f) {
		report_err(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		free(json);
		return -1;
	}
	errno = 0;
	failed = write_page(f, json, nr);
	free(json);
	if (fflush(f) == EOF || ferror(f))
		failed = -1;
	if (fclose(f) == EOF)
		failed = -1;
	if (!failed && rename(tmp, path) != 0)
		failed = -1;
	if (failed) {
		report_err(err, errlen, "%s: %s", path,
			   errno ? strerror(errno) : "write failed");
		unlink(tmp);
	}
	free(tmp);
	return failed ? -1 : 0;
}
