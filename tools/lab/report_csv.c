// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/report_csv.c - the lab's CSV: one row per run, the scalar
 * fields of tools/lab/lab.h's JSON result in a fixed column order
 * (lab_csv_columns, agreed with `mmsim replay --csv`'s helper, so
 * that one run's CSV and a merged sweep's have the same header).
 *
 * Cells: a field absent from the run (or null) is empty; an integer is
 * printed as one; a real with %.10g; true/false as 1/0; a string as is, or
 * quoted RFC 4180-style ("..." with "" for a quote) when it holds a comma,
 * a quote, CR or LF.  Arrays and objects (series, mrc) are not columns.
 * No state, no locking.
 */
#include <string.h>
#include "tools/lab/report.h"

const char *const lab_csv_columns[] = {
	"mode", "trace", "format", "policy", "size_pages", "spec",
	"requests", "hits", "misses", "miss_ratio",
	"faults", "minor_faults", "major_faults", "pswpin", "pswpout",
	"refaults", "oom_kills", "tlb_hits", "tlb_misses", "tlb_hit_ratio",
	"virtual_seconds", "wall_seconds", "requests_per_second",
	NULL
};

static int csv_put_string(FILE *f, const char *s)
{
	const char *p;

	if (!strpbrk(s, ",\"\r\n"))
		return fputs(s, f) == EOF ? -1 : 0;
	if (putc('"', f) == EOF)
		return -1;
	for (p = s; *p; p++) {
		if (*p == '"' && putc('"', f) == EOF)
			return -1;
		if (putc(*p, f) == EOF)
			return -1;
	}
	return putc('"', f) == EOF ? -1 : 0;
}

static int csv_put_cell(FILE *f, json_t *v)
{
	switch (v ? json_typeof(v) : JSON_NULL) {
	case JSON_STRING:
		return csv_put_string(f, json_string_value(v));
	case JSON_INTEGER:
		return fprintf(f, "%" JSON_INTEGER_FORMAT,
			       json_integer_value(v)) < 0 ? -1 : 0;
	case JSON_REAL:
		return fprintf(f, "%.10g", json_real_value(v)) < 0 ? -1 : 0;
	case JSON_TRUE:
		return putc('1', f) == EOF ? -1 : 0;
	case JSON_FALSE:
		return putc('0', f) == EOF ? -1 : 0;
	default:		/* absent, null, array, object: empty */
		return 0;
	}
}

int lab_csv_write(FILE *f, json_t *const *runs, size_t nr)
{
	size_t i, c;

	for (c = 0; lab_csv_columns[c]; c++)
		if (fprintf(f, "%s%s", c ? "," : "", lab_csv_columns[c]) < 0)
			return -1;
	if (putc('\n', f) == EOF)
		return -1;
	for (i = 0; i < nr; i++) {
		for (c = 0; lab_csv_columns[c]; c++) {
			if (c && putc(',', f) == EOF)
				return -1;
			if (csv_put_cell(f, json_object_get(runs[i],
							    lab_csv_columns[c])))
				return -1;
		}
		if (putc('\n', f) == EOF)
			return -1;
	}
	return ferror(f) ? -1 : 0;
}
