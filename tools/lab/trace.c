// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/trace.c - opening a trace of any format, reading it record by
 * record, and writing one through a temporary file (docs/trace-formats.md).
 *
 * Opening: the file's first four bytes decide whether it is zstd (magic
 * 0xFD2FB528): then a decoding bstream is stacked on it and every later
 * decision looks at the decoded bytes.  The format is then, unless given:
 *   1. by magic: "MMSIMTRC" is mmsim;
 *   2. by name (".zst" stripped): ".mmsim", "lackey" anywhere in the base
 *      name, "oracleGeneral" anywhere, ".csv", ".txt";
 *   3. by content (the first 64 KiB): bytes that are not text are
 *      oracleGeneral; a first non-"==" line like " L 1ff0,8" or "I  4010,3"
 *      is lackey; a comma, tab or semicolon in the first line is csv;
 *      otherwise txt.
 * A format spec ("csv:obj-id-col=2,delimiter=;" or "lackey:ifetch=0")
 * carries options after a colon (trace_open_spec); trace_open takes none.
 *
 * Errors: a reader keeps one line "FILE:WHERE: problem" in r->err and,
 * once it has returned -1, returns -1 forever (r->failed).  WHERE is the
 * line number (text, from 1) or the record index (binary, from 0), or
 * "header".
 *
 * Writing: trace_create makes "DEST.tmpXXXXXX" beside DEST (mkstemp, then
 * the mode a plain creat would give); trace_commit flushes it and renames
 * it over DEST; trace_abort and every failure unlink it.  So DEST is
 * either the whole new trace or untouched.
 *
 * Single-threaded: one reader or writer per thread.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tools/lab/trace_internal.h"

static const char *const format_names[] = {
	[TRACE_FMT_AUTO] = "auto",
	[TRACE_FMT_MMSIM] = "mmsim",
	[TRACE_FMT_LACKEY] = "lackey",
	[TRACE_FMT_CSV] = "csv",
	[TRACE_FMT_TXT] = "txt",
	[TRACE_FMT_ORACLE] = "oracleGeneral",
};

const char *trace_format_name(enum trace_format fmt)
{
	if ((unsigned int)fmt < sizeof(format_names) / sizeof(format_names[0]))
		return format_names[fmt];
	return "?";
}

int trace_format_parse(const char *name)
{
	size_t n = strcspn(name, ":");

	for (unsigned int i = 0; i < sizeof(format_names) / sizeof(format_names[0]); i++)
		if (strlen(format_names[i]) == n && !strncasecmp(name, format_names[i], n))
			return (int)i;
	return -1;
}

int trace_fail(struct trace_reader *r, const char *fmt, ...)
{
	char problem[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(problem, sizeof(problem), fmt, ap);
	va_end(ap);
	snprintf(r->err, sizeof(r->err), "%s:%llu: %s", r->path,
		 (unsigned long long)r->rec_no, problem);
	r->failed = true;
	return -1;
}

int trace_fail_stream(struct trace_reader *r, struct bstream *s)
{
	return trace_fail(r, "%s", s->msg[0] ? s->msg : "truncated record");
}

/* The basename without a trailing ".zst". */
static void base_name(const char *path, char *out, size_t outlen)
{
	const char *b = strrchr(path, '/');
	size_t n;

	b = b ? b + 1 : path;
	n = strlen(b);
	if (n > 4 && !strcmp(b + n - 4, ".zst"))
		n -= 4;
	if (n >= outlen)
		n = outlen - 1;
	memcpy(out, b, n);
	out[n] = '\0';
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && !strcasecmp(s + n - k, suffix);
}

static enum trace_format detect_by_name(const char *path)
{
	char b[256];

	base_name(path, b, sizeof(b));
	if (ends_with(b, ".mmsim"))
		return TRACE_FMT_MMSIM;
	if (strstr(b, "lackey"))
		return TRACE_FMT_LACKEY;
	if (strstr(b, "oracleGeneral"))
		return TRACE_FMT_ORACLE;
	if (ends_with(b, ".csv"))
		return TRACE_FMT_CSV;
	if (ends_with(b, ".txt"))
		return TRACE_FMT_TXT;
	return TRACE_FMT_AUTO;
}

static bool looks_lackey(const char *l, size_t n)
{
	size_t i = 0;

	if (n >= 3 && l[0] == 'I' && l[1] == ' ' && l[2] == ' ')
		i = 3;
	else if (n >= 3 && l[0] == ' ' && l[1] && strchr("LSM", l[1]) && l[2] == ' ')
		i = 3;
	else
		return false;
	if (i >= n || !isxdigit((unsigned char)l[i]))
		return false;
	while (i < n && isxdigit((unsigned char)l[i]))
		i++;
	return i < n && l[i] == ',';
}

static enum trace_format detect_by_content(struct trace_reader *r)
{
	long n = bstream_ensure(r->in, 65536);
	const char *p = (const char *)r->in->buf + r->in->pos, *end;

	if (n <= 0)
		return TRACE_FMT_TXT;
	end = p + n;
	for (long i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
			return TRACE_FMT_ORACLE;
	}
	for (const char *l = p; l < end;) {
		const char *e = memchr(l, '\n', (size_t)(end - l));
		size_t len = e ? (size_t)(e - l) : (size_t)(end - l);

		if (len == 0 || (len >= 2 && l[0] == '=' && l[1] == '=')) {
			if (!e)
				break;
			l = e + 1;
			continue;
		}
		if (looks_lackey(l, len))
			return TRACE_FMT_LACKEY;
		if (memchr(l, ',', len) || memchr(l, '\t', len) || memchr(l, ';', len))
			return TRACE_FMT_CSV;
		return TRACE_FMT_TXT;
	}
	return TRACE_FMT_TXT;
}

static void reader_free(struct trace_reader *r)
{
	if (r->recs_open)
		bstream_destroy(&r->recs);
	if (r->zst)
		bstream_destroy(&r->unz);
	if (r->file.fd >= 0)
		close(r->file.fd);
	bstream_destroy(&r->file);
	free(r->path);
	free(r);
}

/* Split "NAME:OPTS" into a format and its options. */
static int parse_spec(const char *spec, enum trace_format *fmt, const char **opts)
{
	int f = trace_format_parse(spec ? spec : "auto");
	const char *colon = spec ? strchr(spec, ':') : NULL;

	if (f < 0)
		return -1;
	*fmt = (enum trace_format)f;
	*opts = colon ? colon + 1 : NULL;
	return 0;
}

static struct trace_reader *open_common(const char *path, enum trace_format fmt,
					const char *opts, char *err, size_t errlen)
{
	struct trace_reader *r = calloc(1, sizeof(*r));
	uint8_t magic[8];
	long n;
	int fd, ret = 0;

	if (!r || !(r->path = strdup(path))) {
		free(r);
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	r->file.fd = -1;
	r->ifetch = true;
	r->csv.has_header = -1;
	r->csv.delim = 0;
	if (opts && trace_parse_opts(r, opts, err, errlen)) {
		reader_free(r);
		return NULL;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		reader_free(r);
		return NULL;
	}
	if (bstream_init_fd(&r->file, fd)) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		reader_free(r);
		return NULL;
	}
	r->in = &r->file;
	n = bstream_ensure(&r->file, 4);
	if (n < 0)
		goto stream_err;
	if (n >= 4) {
		const uint8_t *b = r->file.buf + r->file.pos;
		uint32_t m = (uint32_t)b[0] | (uint32_t)b[1] << 8 |
			     (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;

		if (m == ZSTD_MAGIC) {
			if (bstream_init_zstd(&r->unz, &r->file)) {
				snprintf(err, errlen, "%s: out of memory", path);
				reader_free(r);
				return NULL;
			}
			r->zst = true;
			r->in = &r->unz;
		}
	}
	n = bstream_ensure(r->in, 8);
	if (n < 0)
		goto stream_err;
	memset(magic, 0, sizeof(magic));
	memcpy(magic, r->in->buf + r->in->pos, (size_t)(n < 8 ? n : 8));
	if (fmt == TRACE_FMT_AUTO) {
		if (n >= 8 && !memcmp(magic, MMSIM_MAGIC, 8))
			fmt = TRACE_FMT_MMSIM;
		else
			fmt = detect_by_name(path);
		if (fmt == TRACE_FMT_AUTO)
			fmt = detect_by_content(r);
		if (bstream_ensure(r->in, 1) < 0)
			goto stream_err;
	}
	r->info.format = fmt;
	r->info.page_shift = 12;
	r->info.has_addresses = fmt == TRACE_FMT_MMSIM || fmt == TRACE_FMT_LACKEY;
	r->rec_no = fmt == TRACE_FMT_ORACLE || fmt == TRACE_FMT_MMSIM ? 0 : 1;
	switch (fmt) {
	case TRACE_FMT_MMSIM:
		ret = trc_mmsim_open(r);
		break;
	case TRACE_FMT_CSV:
		ret = trc_csv_open(r);
		break;
	case TRACE_FMT_ORACLE:
		if (!r->zst) {
			struct stat st;

			if (fstat(fd, &st) == 0)
				r->info.nr_records = (uint64_t)st.st_size / ORACLE_REC;
		}
		break;
	case TRACE_FMT_LACKEY:
		snprintf(r->info.backend, sizeof(r->info.backend), "lackey");
		break;
	default:
		break;
	}
	if (ret) {
		snprintf(err, errlen, "%s", r->err);
		reader_free(r);
		return NULL;
	}
	return r;

stream_err:
	snprintf(err, errlen, "%s:0: %s", path, r->in->msg);
	reader_free(r);
	return NULL;
}

struct trace_reader *trace_open_spec(const char *path, const char *spec, char *err, size_t errlen)
{
	enum trace_format fmt;
	const char *opts;

	if (parse_spec(spec, &fmt, &opts)) {
		snprintf(err, errlen, "unknown trace format '%s'", spec);
		return NULL;
	}
	return open_common(path, fmt, opts, err, errlen);
}

struct trace_reader *trace_open(const char *path, enum trace_format fmt, char *err, size_t errlen)
{
	if ((unsigned int)fmt > TRACE_FMT_ORACLE) {
		snprintf(err, errlen, "%s: unknown trace format %d", path, (int)fmt);
		return NULL;
	}
	return open_common(path, fmt, NULL, err, errlen);
}

int trace_read(struct trace_reader *r, struct trace_rec *rec)
{
	int ret;

	if (r->failed)
		return -1;
	switch (r->info.format) {
	case TRACE_FMT_MMSIM:
		ret = trc_mmsim_read(r, rec);
		break;
	case TRACE_FMT_LACKEY:
		ret = trc_lackey_read(r, rec);
		break;
	case TRACE_FMT_CSV:
		ret = trc_csv_read(r, rec);
		break;
	case TRACE_FMT_TXT:
		ret = trc_txt_read(r, rec);
		break;
	case TRACE_FMT_ORACLE:
		ret = trc_oracle_read(r, rec);
		break;
	default:
		ret = trace_fail(r, "no reader for this format");
	}
	if (ret > 0)
		r->nr_read++;
	return ret;
}

const struct trace_info *trace_get_info(const struct trace_reader *r)
{
	return &r->info;
}

const char *trace_error(const struct trace_reader *r)
{
	return r->err;
}

void trace_close(struct trace_reader *r)
{
	if (r)
		reader_free(r);
}

/* Writers. */

static void writer_free(struct trace_writer *w)
{
	if (w->sink.fd >= 0)
		close(w->sink.fd);
	bsink_destroy(&w->sink);
	free(w->orecs);
	free(w->path);
	free(w->tmp);
	free(w);
}

void trace_abort(struct trace_writer *w)
{
	if (!w)
		return;
	if (w->tmp)
		unlink(w->tmp);
	writer_free(w);
}

struct trace_writer *trace_create(const char *path, enum trace_format fmt,
				  const struct trace_info *info, char *err, size_t errlen)
{
	struct trace_writer *w;
	mode_t mask;
	int fd, ret = 0;

	if (fmt != TRACE_FMT_MMSIM && fmt != TRACE_FMT_CSV && fmt != TRACE_FMT_TXT &&
	    fmt != TRACE_FMT_ORACLE) {
		snprintf(err, errlen, "%s: cannot write %s traces", path, trace_format_name(fmt));
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (!w)
		goto nomem;
	w->sink.fd = -1;
	w->fmt = fmt;
	if (info)
		w->info = *info;
	else
		w->info.page_shift = 12;
	if (w->info.page_shift == 0 || w->info.page_shift > 30)
		w->info.page_shift = 12;
	w->info.format = fmt;
	w->path = strdup(path);
	w->tmp = malloc(strlen(path) + 16);
	if (!w->path || !w->tmp)
		goto nomem;
	sprintf(w->tmp, "%s.tmpXXXXXX", path);
	fd = mkstemp(w->tmp);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(w->tmp);
		w->tmp = NULL;
		writer_free(w);
		return NULL;
	}
	mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	if (bsink_init(&w->sink, fd)) {
		close(fd);
		goto nomem;
	}
	if (fmt != TRACE_FMT_MMSIM && ends_with(path, ".zst"))
		ret = bsink_zstd_begin(&w->sink, 3);
	if (!ret && fmt == TRACE_FMT_MMSIM)
		ret = trc_mmsim_wopen(w);
	else if (!ret && fmt == TRACE_FMT_CSV)
		ret = trc_csv_wopen(w);
	if (ret) {
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		trace_abort(w);
		return NULL;
	}
	return w;

nomem:
	snprintf(err, errlen, "%s: out of memory", path);
	if (w)
		trace_abort(w);
	return NULL;
}

int trace_write(struct trace_writer *w, const struct trace_rec *rec)
{
	int ret;

	if (rec->op > TRACE_EXIT)
		return -EINVAL;
	if (rec->op > TRACE_WRITE)
		w->has_layout = true;
	switch (w->fmt) {
	case TRACE_FMT_MMSIM:
		ret = trc_mmsim_write(w, rec);
		break;
	case TRACE_FMT_CSV:
		ret = rec->op > TRACE_WRITE ? 0 : trc_csv_write(w, rec);
		break;
	case TRACE_FMT_TXT:
		ret = rec->op > TRACE_WRITE ? 0 : trc_txt_write(w, rec);
		break;
	case TRACE_FMT_ORACLE:
		ret = rec->op > TRACE_WRITE ? 0 : trc_oracle_write(w, rec);
		break;
	default:
		ret = -EINVAL;
	}
	if (!ret)
		w->nr++;
	return ret;
}

int trace_commit(struct trace_writer *w, char *err, size_t errlen)
{
	int ret = 0;

	if (w->fmt == TRACE_FMT_ORACLE)
		ret = trc_oracle_wcommit(w);
	if (!ret)
		ret = bsink_finish(&w->sink);
	if (!ret && w->fmt == TRACE_FMT_MMSIM)
		ret = trc_mmsim_wcommit(w);
	if (!ret && close(w->sink.fd))
		ret = -errno;
	w->sink.fd = -1;
	if (!ret && rename(w->tmp, w->path))
		ret = -errno;
	if (ret) {
		snprintf(err, errlen, "%s: %s", w->path, strerror(-ret));
		trace_abort(w);
		return ret;
	}
	free(w->tmp);
	w->tmp = NULL;
	writer_free(w);
	return 0;
}

uint64_t trace_out_time(const struct trace_writer *w, const struct trace_rec *rec)
{
	return w->info.has_addresses ? rec->time / 1000000000ull : rec->time;
}

uint64_t trace_out_size(const struct trace_writer *w, const struct trace_rec *rec)
{
	if (w->info.has_addresses)
		return 1ull << w->info.page_shift;
	return rec->len ? rec->len : 1;
}

/* Cache mode's loader. */

static int load_generic(struct trace_reader *r, cache_id_t **ids, uint64_t *n,
			char *err, size_t errlen)
{
	/* The header's count is a hint only: a damaged one must not size the array. */
	uint64_t cap = r->info.nr_records && r->info.nr_records < (1 << 24) ? r->info.nr_records :
		       1 << 16, nr = 0;
	cache_id_t *a = malloc(cap * sizeof(*a));
	struct trace_rec rec;
	int ret;

	if (!a) {
		snprintf(err, errlen, "%s: out of memory", r->path);
		return -1;
	}
	while ((ret = trace_read(r, &rec)) > 0) {
		if (rec.op > TRACE_WRITE)
			continue;
		if (nr == cap) {
			cache_id_t *b = realloc(a, 2 * cap * sizeof(*a));

			if (!b) {
				free(a);
				snprintf(err, errlen, "%s: out of memory", r->path);
				return -1;
			}
			a = b;
			cap *= 2;
		}
		a[nr++] = rec.id;
	}
	if (ret < 0) {
		free(a);
		snprintf(err, errlen, "%s", r->err);
		return -1;
	}
	*ids = a;
	*n = nr;
	return 0;
}

int trace_load_ids_spec(const char *path, const char *spec, cache_id_t **ids, uint64_t *n,
			char *err, size_t errlen)
{
	struct trace_reader *r = trace_open_spec(path, spec, err, errlen);
	int ret;

	if (!r)
		return -1;
	if (r->info.format == TRACE_FMT_ORACLE) {
		ret = r->zst ? trc_oracle_load_stream(r, ids, n, err, errlen) :
			       trc_oracle_load_ids(path, r->file.fd, ids, n, err, errlen);
		trace_close(r);
		return ret;
	}
	ret = load_generic(r, ids, n, err, errlen);
	trace_close(r);
	return ret;
}

int trace_load_ids(const char *path, enum trace_format fmt, cache_id_t **ids, uint64_t *n,
		   char *err, size_t errlen)
{
	return trace_load_ids_spec(path, trace_format_name(fmt), ids, n, err, errlen);
}
