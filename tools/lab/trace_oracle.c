// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/trace_oracle.c - libCacheSim's oracleGeneral format.
 *
 * A file of 24-byte little-endian records, no header (libCacheSim's
 * traceReader/customizedReader/oracle/oracleGeneralBin.h):
 *   off 0  uint32 clock_time   (libCacheSim's clock, usually seconds)
 *   off 4  uint64 obj_id
 *   off 12 uint32 obj_size     (bytes)
 *   off 16 int64  next_access_vtime
 * next_access_vtime is libCacheSim's traceConv convention: the 1-based
 * number of the next request for the same object (request i, counted from
 * 0, whose next request is j has j + 1), and -1 when there is none.  The
 * reader turns it into trace_rec.next_access = j (CACHE_NEXT_NEVER for -1,
 * INT64_MAX or anything < 1).  Records of size 0 are skipped, as
 * libCacheSim's readers do by default.
 *
 * The writer keeps every record in memory (24 bytes each) and at commit
 * walks them backwards with an id -> next index hash table (open
 * addressing, linear probing, at most half full) to fill next_access_vtime,
 * then writes them out.  Time is saturated to 32 bits; the size is the page
 * size for an address trace (every page is one object), else the record's
 * len (1 if 0, so no request is dropped by a size-0 filter).
 *
 * trc_oracle_load_ids reads a plain file with pread in 1.5 MiB blocks into
 * an array sized from the file size, trc_oracle_load_stream a compressed
 * one from the decoder's 1 MiB buffer: no per-record calls.
 *
 * Single-threaded.  WHERE in an error is the record index, from 0.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "tools/lab/trace_internal.h"

static inline uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static inline void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

int trc_oracle_read(struct trace_reader *r, struct trace_rec *rec)
{
	uint8_t b[ORACLE_REC];
	int64_t next;

	for (;;) {
		int ret;

		r->rec_no = r->line++;
		ret = bstream_read(r->in, b, sizeof(b));
		if (ret < 0)
			return trace_fail_stream(r, r->in);
		if (ret == 0)
			return 0;
		if (le32(b + 12) != 0)
			break;
	}
	memset(rec, 0, sizeof(*rec));
	rec->op = TRACE_READ;
	rec->time = le32(b);
	rec->id = le64(b + 4);
	rec->len = le32(b + 12);
	rec->addr = rec->id << r->info.page_shift;
	rec->pid = 1;
	next = (int64_t)le64(b + 16);
	rec->next_access = next >= 1 && next != INT64_MAX ? (uint64_t)next - 1 : CACHE_NEXT_NEVER;
	return 1;
}

int trc_oracle_write(struct trace_writer *w, const struct trace_rec *rec)
{
	uint64_t t = trace_out_time(w, rec), size;
	uint8_t *p;

	if ((w->nr + 1) * ORACLE_REC > w->orecs_cap) {
		size_t cap = w->orecs_cap ? 2 * w->orecs_cap : (size_t)ORACLE_REC << 16;
		uint8_t *n = realloc(w->orecs, cap);

		if (!n)
			return -ENOMEM;
		w->orecs = n;
		w->orecs_cap = cap;
	}
	size = trace_out_size(w, rec);
	p = w->orecs + w->nr * ORACLE_REC;
	put32(p, t > UINT32_MAX ? UINT32_MAX : (uint32_t)t);
	put64(p + 4, rec->id);
	put32(p + 12, size > UINT32_MAX ? UINT32_MAX : (uint32_t)size);
	put64(p + 16, (uint64_t)-1);
	return 0;
}

/* id -> index of its next request, while walking backwards. */
struct nextmap {
	uint64_t *keys, *vals;
	uint64_t mask, nr;
	uint64_t none_val;	/* the value of the id CACHE_ID_NONE (the empty key) */
	bool none_set;
};

static int nextmap_init(struct nextmap *m, uint64_t size)
{
	m->keys = malloc(size * sizeof(*m->keys));
	m->vals = malloc(size * sizeof(*m->vals));
	if (!m->keys || !m->vals) {
		free(m->keys);
		free(m->vals);
		return -ENOMEM;
	}
	memset(m->keys, 0xff, size * sizeof(*m->keys));
	m->mask = size - 1;
	m->nr = 0;
	m->none_set = false;
	return 0;
}

static inline uint64_t nextmap_slot(const struct nextmap *m, uint64_t key)
{
	uint64_t i = (key * 0x9e3779b97f4a7c15ULL) >> 17;

	for (i &= m->mask; m->keys[i] != key && m->keys[i] != CACHE_ID_NONE; i = (i + 1) & m->mask)
		;
	return i;
}

static int nextmap_grow(struct nextmap *m)
{
	struct nextmap n;

	if (nextmap_init(&n, 2 * (m->mask + 1)))
		return -ENOMEM;
	for (uint64_t i = 0; i <= m->mask; i++) {
		if (m->keys[i] != CACHE_ID_NONE) {
			uint64_t j = nextmap_slot(&n, m->keys[i]);

			n.keys[j] = m->keys[i];
			n.vals[j] = m->vals[i];
		}
	}
	n.nr = m->nr;
	n.none_val = m->none_val;
	n.none_set = m->none_set;
	free(m->keys);
	free(m->vals);
	*m = n;
	return 0;
}

/* The previous value for @key (or -1) and store @val. */
static int nextmap_swap(struct nextmap *m, uint64_t key, uint64_t val, int64_t *old)
{
	uint64_t i;

	if (key == CACHE_ID_NONE) {
		*old = m->none_set ? (int64_t)m->none_val : -1;
		m->none_val = val;
		m->none_set = true;
		return 0;
	}
	i = nextmap_slot(m, key);
	if (m->keys[i] == key) {
		*old = (int64_t)m->vals[i];
		m->vals[i] = val;
		return 0;
	}
	*old = -1;
	if (2 * (m->nr + 1) > m->mask + 1) {
		if (nextmap_grow(m))
			return -ENOMEM;
		i = nextmap_slot(m, key);
	}
	m->keys[i] = key;
	m->vals[i] = val;
	m->nr++;
	return 0;
}

int trc_oracle_wcommit(struct trace_writer *w)
{
	struct nextmap m;
	int ret;

	if (nextmap_init(&m, 1 << 16))
		return -ENOMEM;
	for (uint64_t i = w->nr; i-- > 0;) {
		uint8_t *p = w->orecs + i * ORACLE_REC;
		int64_t next;

		if (nextmap_swap(&m, le64(p + 4), i, &next)) {
			free(m.keys);
			free(m.vals);
			return -ENOMEM;
		}
		/* libCacheSim: the next request's number counted from 1. */
		put64(p + 16, next < 0 ? (uint64_t)-1 : (uint64_t)next + 1);
	}
	free(m.keys);
	free(m.vals);
	ret = bsink_write(&w->sink, w->orecs, w->nr * ORACLE_REC);
	free(w->orecs);
	w->orecs = NULL;
	return ret;
}

/* The same for a compressed file: whole records straight from the decoded buffer. */
int trc_oracle_load_stream(struct trace_reader *r, cache_id_t **ids, uint64_t *n,
			   char *err, size_t errlen)
{
	struct bstream *s = r->in;
	uint64_t cap = 1 << 20, nr = 0, idx = 0;
	cache_id_t *a = malloc(cap * sizeof(*a));

	if (!a)
		goto nomem;
	for (;;) {
		long avail = bstream_ensure(s, BSTREAM_CAP);
		size_t whole;

		if (avail < 0) {
			snprintf(err, errlen, "%s:%llu: %s", r->path, (unsigned long long)idx, s->msg);
			free(a);
			return -1;
		}
		if ((size_t)avail < ORACLE_REC) {
			if (avail == 0)
				break;
			snprintf(err, errlen, "%s:%llu: truncated record", r->path,
				 (unsigned long long)idx);
			free(a);
			return -1;
		}
		whole = (size_t)avail / ORACLE_REC;
		if (nr + whole > cap) {
			cache_id_t *b;

			while (nr + whole > cap)
				cap *= 2;
			b = realloc(a, cap * sizeof(*a));
			if (!b)
				goto nomem;
			a = b;
		}
		for (const uint8_t *p = s->buf + s->pos, *end = p + whole * ORACLE_REC; p < end;
		     p += ORACLE_REC)
			if (__builtin_expect(le32(p + 12) != 0, 1))
				a[nr++] = le64(p + 4);
		s->pos += whole * ORACLE_REC;
		idx += whole;
	}
	*ids = a;
	*n = nr;
	return 0;
nomem:
	free(a);
	snprintf(err, errlen, "%s: out of memory", r->path);
	return -1;
}

int trc_oracle_load_ids(const char *path, int fd, cache_id_t **ids, uint64_t *n, char *err, size_t errlen)
{
	enum { BLOCK = ORACLE_REC * 65536 };
	struct stat st;
	uint64_t total, nr = 0, idx = 0;
	cache_id_t *a;
	uint8_t *buf;
	off_t off = 0;

	if (fstat(fd, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	total = (uint64_t)st.st_size / ORACLE_REC;
	if ((uint64_t)st.st_size % ORACLE_REC) {
		snprintf(err, errlen, "%s:%llu: truncated record (%llu of %d bytes)", path,
			 (unsigned long long)total,
			 (unsigned long long)((uint64_t)st.st_size % ORACLE_REC), ORACLE_REC);
		return -1;
	}
	a = malloc((total ? total : 1) * sizeof(*a));
	buf = malloc(BLOCK);
	if (!a || !buf) {
		free(a);
		free(buf);
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	while (idx < total) {
		size_t want = (total - idx) * ORACLE_REC < BLOCK ? (size_t)(total - idx) * ORACLE_REC : BLOCK;
		ssize_t got = pread(fd, buf, want, off);

		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0 || got % ORACLE_REC) {
			/* A short read mid-record: take the whole records, re-read the rest. */
			if (got > 0) {
				got -= got % ORACLE_REC;
				if (got == 0)
					continue;
			} else {
				snprintf(err, errlen, "%s:%llu: %s", path, (unsigned long long)idx,
					 got < 0 ? strerror(errno) : "truncated record");
				free(a);
				free(buf);
				return -1;
			}
		}
		for (const uint8_t *p = buf, *end = buf + got; p < end; p += ORACLE_REC) {
			uint64_t id;

			if (__builtin_expect(le32(p + 12) == 0, 0))
				continue;
			memcpy(&id, p + 4, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
			id = __builtin_bswap64(id);
#endif
			a[nr++] = id;
		}
		idx += (uint64_t)got / ORACLE_REC;
		off += got;
	}
	free(buf);
	*ids = a;
	*n = nr;
	return 0;
}
