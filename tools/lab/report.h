/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/lab/report.h - the lab's outputs over many runs: the HTML report
 * (tools/lab/report.c, its page script tools/lab/report_page.js) and the CSV
 * (tools/lab/report_csv.c).  A run is a jansson object in the format of
 * tools/lab/lab.h's comment; callers keep their references.
 */
#ifndef MMSIM_TOOLS_LAB_REPORT_H
#define MMSIM_TOOLS_LAB_REPORT_H

#include <stddef.h>
#include <stdio.h>
#include <jansson.h>

/**
 * lab_report_write - write one self-contained HTML page about @nr runs
 * @path: the page; written as a temporary file beside it, renamed at the end
 * @runs: @nr JSON objects (borrowed)
 * @err: on failure, one line (no newline) naming the path and the problem
 *
 * The page inlines the plotting library (Apache ECharts, vendored by
 * scripts/vendor-js.sh) and the runs as JSON: it needs no network to view.
 * Return: 0, or -1 with @err set and no file left behind.
 */
int lab_report_write(const char *path, json_t *const *runs, size_t nr,
		     char *err, size_t errlen);

/* The CSV's columns (lab.h's scalar fields), NULL-terminated. */
extern const char *const lab_csv_columns[];

/**
 * lab_csv_write - the header line, then one row per run of @runs
 *
 * A field absent from a run is an empty cell; strings are quoted (RFC 4180)
 * only when they hold a comma, a quote or a line break; reals as %.10g.
 * Return: 0, or -1 when writing to @f failed.
 */
int lab_csv_write(FILE *f, json_t *const *runs, size_t nr);

/* The embedded assets (tools/lab/report_assets.c). */
extern const char lab_asset_echarts_js[], lab_asset_echarts_js_end[];
extern const char lab_asset_report_js[], lab_asset_report_js_end[];
extern const char lab_asset_report_css[], lab_asset_report_css_end[];

#endif
