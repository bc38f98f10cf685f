/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tools/lab/trace.h - memory traces: the record model, the readers and the
 * writers of every format the lab takes (docs/trace-formats.md).
 *
 * Formats (enum trace_format):
 *  - mmsim: mmsim's own binary format: a versioned header, then the records
 *    delta-encoded, in zstd frames (libzstd).  The only format that carries
 *    the whole program: processes, mmap/munmap/brk, reads and writes.
 *  - lackey: valgrind --tool=lackey --trace-mem=yes text (" L addr,size",
 *    " S", " M", "I  ..."): accesses of one process, no layout.
 *  - csv: libCacheSim's csv (header line "time,id,size" or its -t column
 *    options), txt: one id a line, oracleGeneral: libCacheSim's binary
 *    records (uint32 time, uint64 id, uint32 size, int64 next access vtime,
 *    little-endian, 24 bytes), each optionally zstd-compressed (".zst").
 *    Ids only: every id is one page.
 *
 * A reader yields struct trace_rec one at a time; an address trace gives
 * addr (bytes) and id = addr >> page_shift; an id trace gives id, and
 * addr = id << page_shift.  Malformed input: trace_read returns -1 and
 * trace_error() is one line "FILE:RECORD: problem" (RECORD is a line number
 * for text formats, a record index for binary ones).
 *
 * A writer writes to a temporary file beside its destination; only
 * trace_commit renames it into place, so a failed conversion or recording
 * leaves nothing half-written.
 */
#ifndef MMSIM_TOOLS_LAB_TRACE_H
#define MMSIM_TOOLS_LAB_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <mmsim/cache_policy.h>

enum trace_format {
	TRACE_FMT_AUTO,		/* by magic, then by name (.zst, .csv, .txt, .oracleGeneral, lackey text) */
	TRACE_FMT_MMSIM,
	TRACE_FMT_LACKEY,
	TRACE_FMT_CSV,
	TRACE_FMT_TXT,
	TRACE_FMT_ORACLE,	/* libCacheSim oracleGeneral */
};

enum trace_op {
	TRACE_READ,		/* addr, len: a load (lackey L, I) */
	TRACE_WRITE,		/* a store (lackey S; M is a READ then a WRITE) */
	TRACE_MMAP,		/* addr, len, prot, flags (MAP_*), fd -1 anon; arg: the result */
	TRACE_MUNMAP,		/* addr, len */
	TRACE_BRK,		/* addr: the new break */
	TRACE_MPROTECT,		/* addr, len, prot */
	TRACE_FORK,		/* pid: the parent, arg: the child */
	TRACE_EXIT,		/* pid */
};

/* trace_rec.flags of a TRACE_READ: an instruction fetch (lackey "I"). */
#define TRACE_REC_IFETCH	0x1

struct trace_rec {
	uint64_t time;		/* ns from the trace's start, or the source's clock; 0 if none */
	uint64_t addr;		/* byte address (accesses, mmap/munmap/brk) */
	uint64_t len;		/* bytes (mmap/munmap/mprotect; access size) */
	cache_id_t id;		/* page id: addr >> page_shift, or the trace's object id */
	uint64_t next_access;	/* index (from 0) of the next request for this id: oracleGeneral's
				   next_access_vtime - 1; CACHE_NEXT_NEVER if none/unknown */
	uint64_t arg;		/* fork: child pid; mmap: fd (int64), -1 anon */
	uint32_t pid;		/* the traced process (1 when the format has none) */
	uint32_t prot;		/* PROT_* (mmap, mprotect) */
	uint32_t flags;		/* MAP_* (mmap); TRACE_REC_IFETCH (read) */
	uint8_t op;		/* enum trace_op */
};

struct trace_info {
	enum trace_format format;
	bool has_addresses;	/* byte addresses (mmsim, lackey), not ids only */
	bool has_layout;	/* mmap/munmap/brk/fork events (mmsim) */
	unsigned int page_shift;	/* of the recorded machine (12) */
	uint64_t nr_records;	/* when the header or size tells, else 0 */
	char program[256];	/* the recorded command line, or "" */
	char backend[32];	/* "lackey", "sample", "convert", or "" */
};

struct trace_reader;
struct trace_writer;

/* NULL and a one-line message in @err on failure (no such file, unknown format, bad header). */
struct trace_reader *trace_open(const char *path, enum trace_format fmt, char *err, size_t errlen);
/*
 * The same with a format spec: a name as trace_format_parse takes, then
 * optionally ':' and options "key=value,...": csv takes libCacheSim's -t
 * keys (time-col, obj-id-col, obj-size-col: columns from 1; delimiter;
 * has-header; obj-id-is-num), lackey takes ifetch=0|1 (default 1:
 * instruction fetches are reads).  "csv:obj-id-col=2,delimiter=;".
 */
struct trace_reader *trace_open_spec(const char *path, const char *spec, char *err, size_t errlen);
/* 1: a record in *@rec; 0: end; -1: malformed or I/O error (trace_error). */
int trace_read(struct trace_reader *r, struct trace_rec *rec);
const struct trace_info *trace_get_info(const struct trace_reader *r);
const char *trace_error(const struct trace_reader *r);
void trace_close(struct trace_reader *r);

/* Writers: mmsim, csv, txt and oracleGeneral (path ending .zst: compressed). */
struct trace_writer *trace_create(const char *path, enum trace_format fmt,
				  const struct trace_info *info, char *err, size_t errlen);
int trace_write(struct trace_writer *w, const struct trace_rec *rec);	/* 0 or -errno */
int trace_commit(struct trace_writer *w, char *err, size_t errlen);	/* flush, rename; frees w */
void trace_abort(struct trace_writer *w);				/* unlink; frees w */

/* "auto", "mmsim", "lackey", "csv", "txt", "oracleGeneral" (a ":options" tail is ignored); -1 if unknown. */
int trace_format_parse(const char *name);
const char *trace_format_name(enum trace_format fmt);

/*
 * Cache mode's input: the page id of every access of the trace at @path, in
 * order (layout events skipped), in a malloc'd array.  0 or -1 with the
 * one-line message in @err.
 */
int trace_load_ids(const char *path, enum trace_format fmt, cache_id_t **ids, uint64_t *n,
		   char *err, size_t errlen);
/* The same with a format spec (trace_open_spec). */
int trace_load_ids_spec(const char *path, const char *spec, cache_id_t **ids, uint64_t *n,
			char *err, size_t errlen);

#endif
