/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/lab/trace_internal.h - what the trace*.c files share: the byte
 * streams they read (struct bstream: a file, or zstd frames decoded from
 * another stream), the byte sink they write (struct bsink: a temporary
 * file, optionally a zstd stream), LEB128 varints, and the reader and
 * writer objects with each format's state.
 *
 * Files:
 *   trace_io.c      bstream, bsink, varints, the temporary file
 *   trace.c         trace_open/read/close, format detection and options,
 *                   trace_create/write/commit/abort dispatch, trace_load_ids
 *   trace_mmsim.c   mmsim's binary format (reader and writer)
 *   trace_text.c    lackey, csv and txt (readers; csv and txt writers)
 *   trace_oracle.c  libCacheSim's oracleGeneral (reader, writer with the
 *                   next-access pass, the fast id loader)
 *
 * Single-threaded: a reader or writer belongs to one thread at a time.
 */
#ifndef MMSIM_TOOLS_LAB_TRACE_INTERNAL_H
#define MMSIM_TOOLS_LAB_TRACE_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <zstd.h>
#include "tools/lab/trace.h"

#define BSTREAM_CAP	(1u << 20)	/* bytes buffered per stream level */
#define ZSTD_MAGIC	0xFD2FB528u	/* a zstd frame's first four bytes, little-endian */
#define MMSIM_MAGIC	"MMSIMTRC"
#define MMSIM_VERSION	1
#define MMSIM_HDR_FIXED	28		/* bytes of the header before its strings */
#define MMSIM_F_IDS	0x1		/* header flags: records carry ids, not addresses */
#define MMSIM_F_LAYOUT	0x2		/* the trace has layout events */
#define ORACLE_REC	24		/* bytes per oracleGeneral record */

/*
 * A buffered byte stream.  Bytes come from @fd (when @below is NULL) or are
 * zstd-decoded from @below.  buf[pos..len) are the bytes not yet consumed.
 * Invariant: pos <= len <= cap.
 */
struct bstream {
	int fd;			/* the file (level 0), or -1 */
	struct bstream *below;	/* the compressed bytes' stream, or NULL */
	ZSTD_DCtx *z;		/* decoder when @below is set */
	size_t zret;		/* last ZSTD_decompressStream result: 0 = between frames */
	uint8_t *buf;
	size_t cap, pos, len;
	uint64_t consumed;	/* bytes consumed before buf[0] (offset of buf[0]) */
	bool eof;		/* no more bytes will come */
	char msg[160];		/* the problem when a fill failed */
};

int bstream_init_fd(struct bstream *s, int fd);
int bstream_init_zstd(struct bstream *s, struct bstream *below);
void bstream_destroy(struct bstream *s);
/* Make at least @want bytes available (fewer at EOF): the number available, or -1 (s->msg). */
long bstream_ensure(struct bstream *s, size_t want);
/* Copy @n bytes out: 1, 0 at a clean EOF (nothing read), -1 error or short (msg set). */
int bstream_read(struct bstream *s, void *dst, size_t n);
/* The next line without its '\n' (NUL-terminated in place): 1, 0 at EOF, -1 (msg). */
int bstream_getline(struct bstream *s, char **line, size_t *len);

static inline int bstream_getc(struct bstream *s)
{
	if (s->pos < s->len)
		return s->buf[s->pos++];
	if (bstream_ensure(s, 1) <= 0)
		return -1;
	return s->buf[s->pos++];
}

/* Writers' byte sink: a file, and from bsink_zstd_begin on a zstd stream. */
struct bsink {
	int fd;
	ZSTD_CCtx *z;		/* NULL: raw bytes */
	uint8_t *buf, *zbuf;
	size_t len, cap, zcap;
	uint64_t raw_off;	/* bytes written to the file so far */
	int err;		/* first -errno, sticky */
};

int bsink_init(struct bsink *s, int fd);
int bsink_zstd_begin(struct bsink *s, int level);
int bsink_write(struct bsink *s, const void *p, size_t n);
int bsink_finish(struct bsink *s);	/* flush (ending the zstd frame); 0 or -errno */
void bsink_destroy(struct bsink *s);

/* LEB128 varints; zigzag maps signed deltas onto them. */
static inline size_t varint_put(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	while (v >= 0x80) {
		p[n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	p[n++] = (uint8_t)v;
	return n;
}

static inline uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static inline int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* 0 and *v, or -1 (truncated: msg "truncated record"; overlong: "bad varint"). */
int trc_varint_get(struct bstream *s, uint64_t *v, const char **problem);

/* The 64-bit hash of a non-numeric id (csv, txt): FNV-1a. */
uint64_t trace_hash_str(const char *s, size_t n);

/* csv column options (libCacheSim's -t keys); columns count from 1, 0: none. */
struct csv_opts {
	int time_col, id_col, size_col;
	char delim;
	int has_header;		/* -1: detect */
	bool id_is_num;		/* ids must be numbers (else non-numeric ids are hashed) */
	bool cols_set;		/* some column was given explicitly */
};

struct trace_reader {
	char *path;
	struct trace_info info;
	struct bstream file;	/* the bytes of the file */
	struct bstream unz;	/* decoded .zst, when the file is zstd */
	struct bstream recs;	/* mmsim: the record stream */
	struct bstream *in;	/* what the format parser reads: &file or &unz */
	bool zst, recs_open;
	bool failed;		/* a -1 was returned; every later read returns -1 */
	uint64_t rec_no;	/* binary: index of the record being read; text: line number */
	uint64_t nr_read;	/* records returned */
	uint64_t line;		/* text: lines read so far */
	char err[512];
	/* options */
	struct csv_opts csv;
	bool ifetch;		/* lackey: instruction fetches are reads */
	/* state of the formats */
	struct trace_rec pending;	/* lackey M: the write after its read */
	bool has_pending;
	uint64_t prev_time, prev_addr, prev_len;
	uint32_t prev_pid;
	bool ids_only;		/* mmsim: records carry ids */
};

struct trace_writer {
	enum trace_format fmt;
	char *path, *tmp;
	struct bsink sink;
	struct trace_info info;
	uint64_t nr;
	bool has_layout;
	long hdr_flags_off;		/* mmsim: where the flags byte is */
	uint64_t prev_time, prev_addr, prev_len;
	uint32_t prev_pid;
	uint8_t *orecs;			/* oracleGeneral: every record, written at commit */
	size_t orecs_cap;
};

/* Set the reader's one-line error "FILE:WHERE: problem" and return -1. */
int trace_fail(struct trace_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The same for a failed stream read: "truncated record" at a clean EOF, else s->msg. */
int trace_fail_stream(struct trace_reader *r, struct bstream *s);

/* Per-format entry points (trace_mmsim.c, trace_text.c, trace_oracle.c). */
int trc_mmsim_open(struct trace_reader *r);
int trc_mmsim_read(struct trace_reader *r, struct trace_rec *rec);
int trc_mmsim_wopen(struct trace_writer *w);
int trc_mmsim_write(struct trace_writer *w, const struct trace_rec *rec);
int trc_mmsim_wcommit(struct trace_writer *w);

int trc_lackey_read(struct trace_reader *r, struct trace_rec *rec);
int trc_csv_open(struct trace_reader *r);
int trc_csv_read(struct trace_reader *r, struct trace_rec *rec);
int trc_txt_read(struct trace_reader *r, struct trace_rec *rec);
int trc_csv_wopen(struct trace_writer *w);
int trc_csv_write(struct trace_writer *w, const struct trace_rec *rec);
int trc_txt_write(struct trace_writer *w, const struct trace_rec *rec);
/* The time a text writer writes: an address trace's ns as seconds. */
uint64_t trace_out_time(const struct trace_writer *w, const struct trace_rec *rec);
/* The object size csv and oracleGeneral get: an address trace's page size, else len (1 if 0). */
uint64_t trace_out_size(const struct trace_writer *w, const struct trace_rec *rec);

int trc_oracle_read(struct trace_reader *r, struct trace_rec *rec);
int trc_oracle_write(struct trace_writer *w, const struct trace_rec *rec);
int trc_oracle_wcommit(struct trace_writer *w);
/* ids of a plain (uncompressed) oracleGeneral file read in big blocks. */
int trc_oracle_load_ids(const char *path, int fd, cache_id_t **ids, uint64_t *n, char *err, size_t errlen);
/* ids of a compressed oracleGeneral file, from the decoded stream in bulk. */
int trc_oracle_load_stream(struct trace_reader *r, cache_id_t **ids, uint64_t *n,
			   char *err, size_t errlen);

/* Parse "key=value,..." format options into @r; 0 or -1 with @err set. */
int trace_parse_opts(struct trace_reader *r, const char *opts, char *err, size_t errlen);

#endif
