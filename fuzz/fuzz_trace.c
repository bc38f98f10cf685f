// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz/fuzz_trace.c - libFuzzer target: the trace readers and the mmsim
 * writer (tools/lab/trace*.c, docs/trace-formats.md).
 *
 * The input's first byte picks the format the reader is told (auto, mmsim,
 * lackey, csv, txt, oracleGeneral, or csv/lackey with options); the rest is
 * the file, written to a temporary directory made once.  Then:
 *   - every record is read (at most FUZZ_TRACE_MAX); a failure must leave
 *     one non-empty line starting "PATH:" and keep failing;
 *   - the records read are written as an mmsim trace and read back: every
 *     field but next_access must come back (id traces keep their ids);
 *   - trace_load_ids on the same file must fail exactly when the reader
 *     failed (when the whole file was read), else give the accesses' ids.
 * A mismatch is a finding (fuzz_fail aborts).
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz/common.h"
#include "tools/lab/trace.h"

#define FUZZ_TRACE_MAX	4096

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64], in_path[96], out_path[96];
static struct trace_rec recs[FUZZ_TRACE_MAX];

static const char *const specs[] = {
	"auto", "mmsim", "lackey", "csv", "txt", "oracleGeneral",
	"csv:time-col=2,obj-id-col=1,has-header=false,delimiter=;", "lackey:ifetch=0",
	"csv:obj-id-col=3,obj-id-is-num=true",
};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_init();
	snprintf(dir, sizeof(dir), "/tmp/fuzz_trace.XXXXXX");
	if (!mkdtemp(dir))
		abort();
	snprintf(in_path, sizeof(in_path), "%s/in", dir);
	snprintf(out_path, sizeof(out_path), "%s/out.mmsim", dir);
	return 0;
}

static void check_error(const char *err, const char *what)
{
	if (!err || !err[0] || strchr(err, '\n') || strncmp(err, in_path, strlen(in_path)))
		fuzz_fail(NULL, "%s: bad error line '%s'", what, err ? err : "(null)");
}

static bool same(const struct trace_rec *a, const struct trace_rec *b, bool ids)
{
	return a->op == b->op && a->time == b->time && a->len == b->len && a->pid == b->pid &&
	       a->prot == b->prot && a->flags == b->flags && a->arg == b->arg &&
	       (ids ? a->id == b->id : a->addr == b->addr && a->id == b->id);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *spec = specs[size ? data[0] % (sizeof(specs) / sizeof(specs[0])) : 0];
	struct trace_info info;
	struct trace_reader *r;
	struct trace_writer *w;
	struct trace_rec rec;
	char err[512];
	size_t n = 0, acc = 0;
	cache_id_t *ids = NULL;
	uint64_t nids = 0;
	int ret, lret;
	FILE *f = fopen(in_path, "wb");

	if (!f || (size > 1 && fwrite(data + 1, 1, size - 1, f) != size - 1) || fclose(f))
		abort();
	r = trace_open_spec(in_path, spec, err, sizeof(err));
	if (!r) {
		check_error(err, "open");
		return 0;
	}
	info = *trace_get_info(r);
	while (n < FUZZ_TRACE_MAX && (ret = trace_read(r, &rec)) > 0) {
		recs[n++] = rec;
		acc += rec.op <= TRACE_WRITE;
	}
	if (n == FUZZ_TRACE_MAX)
		ret = 2;	/* not read to the end */
	if (ret < 0) {
		char first[512];

		snprintf(first, sizeof(first), "%s", trace_error(r));
		check_error(first, "read");
		if (trace_read(r, &rec) != -1 || strcmp(first, trace_error(r)))
			fuzz_fail(NULL, "a failed reader read again");
	}
	trace_close(r);

	lret = trace_load_ids_spec(in_path, spec, &ids, &nids, err, sizeof(err));
	if (ret <= 0 && (lret < 0) != (ret < 0))
		fuzz_fail(NULL, "load_ids %d but the reader %d (%s)", lret, ret, err);
	if (ret == 0) {
		size_t k = 0;

		if (nids != acc)
			fuzz_fail(NULL, "load_ids gave %llu ids, the reader %zu accesses",
				  (unsigned long long)nids, acc);
		for (size_t i = 0; i < n; i++)
			if (recs[i].op <= TRACE_WRITE && recs[i].id != ids[k++])
				fuzz_fail(NULL, "load_ids: id %zu differs", k - 1);
	}
	free(ids);
	if (ret < 0)
		return 0;

	w = trace_create(out_path, TRACE_FMT_MMSIM, &info, err, sizeof(err));
	if (!w)
		fuzz_fail(NULL, "create: %s", err);
	for (size_t i = 0; i < n; i++)
		if (trace_write(w, &recs[i]))
			fuzz_fail(NULL, "write %zu failed", i);
	if (trace_commit(w, err, sizeof(err)))
		fuzz_fail(NULL, "commit: %s", err);
	r = trace_open(out_path, TRACE_FMT_MMSIM, err, sizeof(err));
	if (!r)
		fuzz_fail(NULL, "reopen: %s", err);
	for (size_t i = 0; i < n; i++)
		if (trace_read(r, &rec) != 1 || !same(&rec, &recs[i], !info.has_addresses))
			fuzz_fail(NULL, "mmsim round trip: record %zu differs (%s)", i, trace_error(r));
	if (trace_read(r, &rec) != 0)
		fuzz_fail(NULL, "mmsim round trip: more records than written");
	trace_close(r);
	return 0;
}
