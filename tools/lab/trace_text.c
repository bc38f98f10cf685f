// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/trace_text.c - the text formats: valgrind lackey (read),
 * libCacheSim csv and txt (read and write), and the format options.
 *
 * lackey (valgrind --tool=lackey --trace-mem=yes): one access a line,
 *   "I  04010f0,3" (instruction fetch), " L 1ffefff6f8,8" (load),
 *   " S addr,size" (store), " M addr,size" (modify: a load then a store,
 *   returned as two records).  Lines starting "==" are valgrind's own and
 *   blank lines are skipped; anything else is malformed.  Instruction
 *   fetches are reads flagged TRACE_REC_IFETCH (option ifetch=0 drops
 *   them): the MMU sees them, so a replay that leaves them out would miss
 *   every text page fault.
 * csv: libCacheSim's layout.  Columns come from the options (time-col,
 *   obj-id-col, obj-size-col, counted from 1), else from a header line that
 *   names them (id/obj_id/obj-id/key/object..., time/timestamp/ts...,
 *   size/obj_size...), else the default layout time,id,size (a single
 *   column is the id).  Whether the first line is a header is detected as
 *   libCacheSim does (more letters than digits) unless has-header says.
 *   The delimiter is the option's, else the first of , \t ; found in the
 *   first line.  Ids that are numbers (decimal, 0x hex) are taken as
 *   numbers, others hashed (FNV-1a 64), unless obj-id-is-num=true makes
 *   them an error.  A request of size 0 is skipped, as libCacheSim does by
 *   default (ignore_size_zero_req).
 * txt: one id a line, numeric or hashed as in csv; blank lines skipped.
 *
 * WHERE in an error is the line number, from 1.
 *
 * Single-threaded.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "tools/lab/trace_internal.h"

/* Format options. */

static bool opt_bool(const char *v, bool *out)
{
	if (!strcasecmp(v, "true") || !strcmp(v, "1") || !strcasecmp(v, "yes")) {
		*out = true;
		return true;
	}
	if (!strcasecmp(v, "false") || !strcmp(v, "0") || !strcasecmp(v, "no")) {
		*out = false;
		return true;
	}
	return false;
}

static bool opt_col(const char *v, int *out)
{
	char *end;
	long c = strtol(v, &end, 10);

	if (end == v || *end || c < 1 || c > 1024)
		return false;
	*out = (int)c;
	return true;
}

int trace_parse_opts(struct trace_reader *r, const char *opts, char *err, size_t errlen)
{
	const char *p = opts;

	while (*p) {
		char key[64], val[64];
		size_t k = strcspn(p, "=,"), v;
		bool b, ok = true;

		if (k == 0 || k >= sizeof(key) || p[k] != '=') {
			snprintf(err, errlen, "format option '%.*s': expected key=value", (int)strcspn(p, ","), p);
			return -1;
		}
		memcpy(key, p, k);
		key[k] = '\0';
		for (char *c = key; *c; c++)
			if (*c == '_')
				*c = '-';
		p += k + 1;
		if (!strcasecmp(key, "delimiter")) {
			/* "delimiter=,," is a comma; "\t" or "tab" a tab. */
			if (!strncmp(p, "\\t", 2) || !strncasecmp(p, "tab", 3)) {
				r->csv.delim = '\t';
				p += p[0] == '\\' ? 2 : 3;
			} else if (*p && *p != '\\') {
				r->csv.delim = *p++;
			} else if (*p == '\\' && p[1] == ',') {
				r->csv.delim = ',';
				p += 2;
			} else {
				snprintf(err, errlen, "format option 'delimiter': missing character");
				return -1;
			}
			if (*p == ',')
				p++;
			else if (*p) {
				snprintf(err, errlen, "format option 'delimiter': one character expected");
				return -1;
			}
			continue;
		}
		v = strcspn(p, ",");
		if (v >= sizeof(val)) {
			snprintf(err, errlen, "format option '%s': value too long", key);
			return -1;
		}
		memcpy(val, p, v);
		val[v] = '\0';
		p += v;
		if (*p == ',')
			p++;
		if (!strcasecmp(key, "time-col") || !strcasecmp(key, "time-field")) {
			ok = opt_col(val, &r->csv.time_col);
			r->csv.cols_set = true;
		} else if (!strcasecmp(key, "obj-id-col") || !strcasecmp(key, "obj-id-field") ||
			   !strcasecmp(key, "id-col")) {
			ok = opt_col(val, &r->csv.id_col);
			r->csv.cols_set = true;
		} else if (!strcasecmp(key, "obj-size-col") || !strcasecmp(key, "obj-size-field") ||
			   !strcasecmp(key, "size-col") || !strcasecmp(key, "size-field")) {
			ok = opt_col(val, &r->csv.size_col);
			r->csv.cols_set = true;
		} else if (!strcasecmp(key, "has-header") || !strcasecmp(key, "header")) {
			ok = opt_bool(val, &b);
			r->csv.has_header = b;
		} else if (!strcasecmp(key, "obj-id-is-num")) {
			ok = opt_bool(val, &r->csv.id_is_num);
		} else if (!strcasecmp(key, "ifetch")) {
			ok = opt_bool(val, &r->ifetch);
		} else {
			snprintf(err, errlen, "format option '%s': unknown (time-col, obj-id-col, "
				 "obj-size-col, delimiter, has-header, obj-id-is-num, ifetch)", key);
			return -1;
		}
		if (!ok) {
			snprintf(err, errlen, "format option '%s': bad value '%s'", key, val);
			return -1;
		}
	}
	if (r->csv.cols_set && !r->csv.id_col) {
		snprintf(err, errlen, "format option 'obj-id-col': needed with other columns");
		return -1;
	}
	return 0;
}

/* lackey */

static int lackey_hex(const char *s, const char **end, uint64_t *v)
{
	uint64_t x = 0;
	const char *p = s;

	while (isxdigit((unsigned char)*p)) {
		int d = isdigit((unsigned char)*p) ? *p - '0' : (tolower((unsigned char)*p) - 'a' + 10);

		if (p - s >= 16)
			return -1;
		x = x << 4 | (uint64_t)d;
		p++;
	}
	if (p == s)
		return -1;
	*end = p;
	*v = x;
	return 0;
}

int trc_lackey_read(struct trace_reader *r, struct trace_rec *rec)
{
	struct bstream *s = r->in;
	char *l, *p;
	const char *end;
	size_t n;
	uint64_t addr, size;
	uint8_t op;
	bool ifetch = false;

	if (r->has_pending) {
		*rec = r->pending;
		r->has_pending = false;
		return 1;
	}
	for (;;) {
		int ret = bstream_getline(s, &l, &n);

		r->rec_no = ++r->line;
		if (ret < 0)
			return trace_fail_stream(r, s);
		if (ret == 0)
			return 0;
		if (n == 0 || (l[0] == '=' && l[1] == '='))
			continue;
		ifetch = false;
		if (l[0] == 'I' && l[1] == ' ') {
			op = TRACE_READ;
			ifetch = true;
		} else if (l[0] == ' ' && l[1] == 'L' && l[2] == ' ') {
			op = TRACE_READ;
		} else if (l[0] == ' ' && (l[1] == 'S' || l[1] == 'M') && l[2] == ' ') {
			op = l[1] == 'S' ? TRACE_WRITE : TRACE_MMAP; /* MMAP: "modify", below */
		} else if (l[0] == ' ' && isalpha((unsigned char)l[1])) {
			return trace_fail(r, "unknown op '%c'", l[1]);
		} else {
			return trace_fail(r, "not a lackey line: '%.40s'", l);
		}
		if (ifetch && !r->ifetch)
			continue;
		break;
	}
	p = l + 2;
	while (*p == ' ')
		p++;
	if (lackey_hex(p, &end, &addr) || (*end != ',' && *end != '\0'))
		return trace_fail(r, "bad hex address '%.*s'", (int)strcspn(p, ","), p);
	if (*end != ',')
		return trace_fail(r, "missing ',SIZE' after the address");
	p = (char *)end + 1;
	if (!isdigit((unsigned char)*p))
		return trace_fail(r, "bad size '%s'", p);
	errno = 0;
	size = strtoull(p, &p, 10);
	while (*p == ' ')
		p++;
	if (*p || errno)
		return trace_fail(r, "bad size '%s'", end + 1);
	memset(rec, 0, sizeof(*rec));
	rec->op = op == TRACE_MMAP ? TRACE_READ : op;
	rec->addr = addr;
	rec->len = size;
	rec->id = addr >> r->info.page_shift;
	rec->pid = 1;
	rec->flags = ifetch ? TRACE_REC_IFETCH : 0;
	rec->next_access = CACHE_NEXT_NEVER;
	if (op == TRACE_MMAP) {
		r->pending = *rec;
		r->pending.op = TRACE_WRITE;
		r->has_pending = true;
	}
	return 1;
}

/* csv and txt */

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	if (e - s >= 2 && s[0] == '"' && e[-1] == '"') {
		e[-1] = '\0';
		s++;
	}
	return s;
}

/* A numeric id (decimal or 0x hex, the whole field): true and *v. */
static bool parse_num(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	*v = strtoull(s, &end, 0);
	return !*end && !errno;
}

/* Split @l at @delim into at most @max fields; the count. */
static int split(char *l, char delim, char **f, int max)
{
	int n = 0;

	for (;;) {
		char *d = strchr(l, delim);

		if (n < max)
			f[n] = l;
		n++;
		if (!d)
			break;
		*d = '\0';
		l = d + 1;
	}
	for (int i = 0; i < n && i < max; i++)
		f[i] = trim(f[i]);
	return n;
}

static int col_of(const char *name, const char *const *names)
{
	for (; *names; names++)
		if (!strcasecmp(name, *names))
			return 1;
	return 0;
}

static const char *const id_names[] = { "id", "obj_id", "obj-id", "objid", "object", "obj", "lbn", "lba",
					"object_id", "key", "obj_key", "page", NULL };
static const char *const time_names[] = { "time", "timestamp", "ts", "clock_time", "real_time",
					  "clock", NULL };
static const char *const size_names[] = { "size", "obj_size", "obj-size", "object_size",
					  "bytes", NULL };

int trc_csv_open(struct trace_reader *r)
{
	struct bstream *s = r->in;
	char line[4096], *f[256];
	long avail = bstream_ensure(s, sizeof(line));
	size_t n;
	int nf, letters = 0, digits = 0;

	if (avail < 0) {
		snprintf(r->err, sizeof(r->err), "%s:1: %s", r->path, s->msg);
		return -1;
	}
	{
		const uint8_t *nl = memchr(s->buf + s->pos, '\n', (size_t)avail);

		n = nl ? (size_t)(nl - (s->buf + s->pos)) : (size_t)avail;
	}
	if (n >= sizeof(line))
		n = sizeof(line) - 1;
	memcpy(line, s->buf + s->pos, n);
	line[n] = '\0';
	if (n && line[n - 1] == '\r')
		line[--n] = '\0';
	if (!r->csv.delim)
		r->csv.delim = strchr(line, ',') ? ',' : strchr(line, '\t') ? '\t' :
			       strchr(line, ';') ? ';' : ',';
	for (size_t i = 0; i < n; i++) {
		digits += !!isdigit((unsigned char)line[i]);
		letters += !!isalpha((unsigned char)line[i]);
	}
	if (r->csv.has_header < 0)
		r->csv.has_header = !(digits > letters) && n > 0;
	nf = split(line, r->csv.delim, f, 256);
	if (r->csv.has_header && !r->csv.cols_set) {
		for (int i = 0; i < nf && i < 256; i++) {
			char *name = f[i];

			while (*name == '#' || *name == ' ')
				name++;
			if (!r->csv.id_col && col_of(name, id_names))
				r->csv.id_col = i + 1;
			else if (!r->csv.time_col && col_of(name, time_names))
				r->csv.time_col = i + 1;
			else if (!r->csv.size_col && col_of(name, size_names))
				r->csv.size_col = i + 1;
		}
		if (!r->csv.id_col) {
			snprintf(r->err, sizeof(r->err), "%s:1: no id column in the header "
				 "(name one id, obj_id or key, or give the option obj-id-col=N)", r->path);
			return -1;
		}
	} else if (!r->csv.cols_set) {
		if (nf == 1) {
			r->csv.id_col = 1;
		} else {
			r->csv.time_col = 1;
			r->csv.id_col = 2;
			r->csv.size_col = nf >= 3 ? 3 : 0;
		}
	}
	if (r->csv.has_header) {
		char *l;

		if (bstream_getline(s, &l, &n) < 0) {
			snprintf(r->err, sizeof(r->err), "%s:1: %s", r->path, s->msg);
			return -1;
		}
		r->line = 1;
	}
	return 0;
}

static int id_field(struct trace_reader *r, const char *s, cache_id_t *id)
{
	if (parse_num(s, id))
		return 0;
	if (r->csv.id_is_num || !*s)
		return trace_fail(r, "bad id '%.40s'", s);
	*id = trace_hash_str(s, strlen(s));
	return 0;
}

int trc_csv_read(struct trace_reader *r, struct trace_rec *rec)
{
	struct bstream *s = r->in;
	char *l, *f[256];
	size_t n;
	int nf, ret;
	uint64_t size = 0, time = 0;
	cache_id_t id;

	for (;;) {
		ret = bstream_getline(s, &l, &n);
		r->rec_no = ++r->line;
		if (ret < 0)
			return trace_fail_stream(r, s);
		if (ret == 0)
			return 0;
		if (n == 0 || l[0] == '#')
			continue;
		nf = split(l, r->csv.delim, f, 256);
		if (r->csv.id_col > nf || r->csv.time_col > nf || r->csv.size_col > nf)
			return trace_fail(r, "%d columns, column %d expected", nf,
					  r->csv.id_col > nf ? r->csv.id_col :
					  r->csv.time_col > nf ? r->csv.time_col : r->csv.size_col);
		if (id_field(r, f[r->csv.id_col - 1], &id))
			return -1;
		if (r->csv.time_col) {
			char *end;
			double t = strtod(f[r->csv.time_col - 1], &end);

			if (end == f[r->csv.time_col - 1] || *end || t < 0 || t >= 1.8e19)
				return trace_fail(r, "bad time '%.40s'", f[r->csv.time_col - 1]);
			time = (uint64_t)t;
		}
		if (r->csv.size_col) {
			if (!parse_num(f[r->csv.size_col - 1], &size))
				return trace_fail(r, "bad size '%.40s'", f[r->csv.size_col - 1]);
			if (size == 0)
				continue;
		}
		break;
	}
	memset(rec, 0, sizeof(*rec));
	rec->op = TRACE_READ;
	rec->time = time;
	rec->id = id;
	rec->addr = id << r->info.page_shift;
	rec->len = size;
	rec->pid = 1;
	rec->next_access = CACHE_NEXT_NEVER;
	return 1;
}

int trc_txt_read(struct trace_reader *r, struct trace_rec *rec)
{
	struct bstream *s = r->in;
	char *l;
	size_t n;
	cache_id_t id;

	for (;;) {
		int ret = bstream_getline(s, &l, &n);

		r->rec_no = ++r->line;
		if (ret < 0)
			return trace_fail_stream(r, s);
		if (ret == 0)
			return 0;
		l = trim(l);
		if (*l)
			break;
	}
	if (id_field(r, l, &id))
		return -1;
	memset(rec, 0, sizeof(*rec));
	rec->op = TRACE_READ;
	rec->id = id;
	rec->addr = id << r->info.page_shift;
	rec->pid = 1;
	rec->next_access = CACHE_NEXT_NEVER;
	return 1;
}

/* Writers */

int trc_csv_wopen(struct trace_writer *w)
{
	static const char hdr[] = "time,id,size\n";

	return bsink_write(&w->sink, hdr, sizeof(hdr) - 1);
}

int trc_csv_write(struct trace_writer *w, const struct trace_rec *rec)
{
	char b[80];
	int n = snprintf(b, sizeof(b), "%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n",
			 trace_out_time(w, rec), rec->id, trace_out_size(w, rec));

	return bsink_write(&w->sink, b, (size_t)n);
}

int trc_txt_write(struct trace_writer *w, const struct trace_rec *rec)
{
	char b[32];
	int n = snprintf(b, sizeof(b), "%" PRIu64 "\n", rec->id);

	return bsink_write(&w->sink, b, (size_t)n);
}
