// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/trace_io.c - the byte layer under the trace formats.
 *
 * struct bstream reads a file through a 1 MiB buffer; a second bstream
 * stacked on the first decodes zstd frames from it (a .zst file; mmsim's
 * record stream, which sits behind a raw header, and a .mmsim.zst file
 * stacks three).  Every level keeps buf[pos..len) unconsumed and refills
 * only when its reader asks for more than it holds (bstream_ensure).
 *
 * zstd: ZSTD_decompressStream's return is 0 exactly at a frame's end; a
 * stream that reaches EOF with a non-zero return ended inside a frame
 * ("truncated zstd frame").  Bytes after a frame that are not a frame are a
 * decoder error ("bad zstd frame: ...").  Several frames in a row are one
 * stream, as zstd(1) treats them.
 *
 * struct bsink writes through a staging buffer to a file descriptor,
 * compressing from bsink_zstd_begin on (ZSTD_compressStream2, ending the
 * frame in bsink_finish).  Errors are sticky: the first -errno stays in
 * s->err and every later call returns it.
 *
 * Single-threaded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tools/lab/trace_internal.h"

int bstream_init_fd(struct bstream *s, int fd)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->cap = BSTREAM_CAP;
	s->buf = malloc(s->cap + 1);	/* +1: getline's NUL after a last line */
	return s->buf ? 0 : -ENOMEM;
}

int bstream_init_zstd(struct bstream *s, struct bstream *below)
{
	int ret = bstream_init_fd(s, -1);

	if (ret)
		return ret;
	s->below = below;
	s->z = ZSTD_createDCtx();
	if (!s->z) {
		free(s->buf);
		s->buf = NULL;
		return -ENOMEM;
	}
	return 0;
}

void bstream_destroy(struct bstream *s)
{
	if (s->z)
		ZSTD_freeDCtx(s->z);
	free(s->buf);
	s->buf = NULL;
	s->z = NULL;
}

static void bstream_compact(struct bstream *s)
{
	if (s->pos == 0)
		return;
	memmove(s->buf, s->buf + s->pos, s->len - s->pos);
	s->consumed += s->pos;
	s->len -= s->pos;
	s->pos = 0;
}

/* Add bytes from the file: >0 added, 0 EOF, -1 error. */
static long bstream_fill_fd(struct bstream *s)
{
	for (;;) {
		ssize_t n = read(s->fd, s->buf + s->len, s->cap - s->len);

		if (n > 0) {
			s->len += (size_t)n;
			return n;
		}
		if (n == 0) {
			s->eof = true;
			return 0;
		}
		if (errno == EINTR)
			continue;
		snprintf(s->msg, sizeof(s->msg), "read error: %s", strerror(errno));
		return -1;
	}
}

/* Add decoded bytes: >0 added, 0 EOF, -1 error. */
static long bstream_fill_zstd(struct bstream *s)
{
	struct bstream *b = s->below;

	for (;;) {
		ZSTD_inBuffer in = { b->buf + b->pos, b->len - b->pos, 0 };
		ZSTD_outBuffer out = { s->buf + s->len, s->cap - s->len, 0 };
		size_t r;

		if (in.size == 0 && !b->eof) {
			long got = bstream_ensure(b, 1);

			if (got < 0) {
				snprintf(s->msg, sizeof(s->msg), "%s", b->msg);
				return -1;
			}
			continue;
		}
		if (in.size == 0 && s->zret == 0) {
			s->eof = true;
			return 0;
		}
		r = ZSTD_decompressStream(s->z, &out, &in);
		b->pos += in.pos;
		if (ZSTD_isError(r)) {
			snprintf(s->msg, sizeof(s->msg), "bad zstd frame: %s",
				 ZSTD_getErrorName(r));
			return -1;
		}
		s->zret = r;
		s->len += out.pos;
		if (out.pos > 0)
			return (long)out.pos;
		if (in.size == 0 && in.pos == 0) {
			/* Input exhausted inside a frame, nothing left to flush. */
			snprintf(s->msg, sizeof(s->msg), "truncated zstd frame");
			return -1;
		}
	}
}

long bstream_ensure(struct bstream *s, size_t want)
{
	if (want > s->cap)
		want = s->cap;
	if (s->len - s->pos >= want)
		return (long)(s->len - s->pos);
	bstream_compact(s);
	while (s->len < want && !s->eof) {
		long n = s->below ? bstream_fill_zstd(s) : bstream_fill_fd(s);

		if (n < 0)
			return -1;
	}
	return (long)(s->len - s->pos);
}

int bstream_read(struct bstream *s, void *dst, size_t n)
{
	uint8_t *d = dst;
	size_t done = 0;

	while (done < n) {
		long avail = bstream_ensure(s, n - done);
		size_t k;

		if (avail < 0)
			return -1;
		if (avail == 0) {
			if (done == 0)
				return 0;
			snprintf(s->msg, sizeof(s->msg), "truncated record");
			return -1;
		}
		k = (size_t)avail < n - done ? (size_t)avail : n - done;
		memcpy(d + done, s->buf + s->pos, k);
		s->pos += k;
		done += k;
	}
	return 1;
}

int bstream_getline(struct bstream *s, char **line, size_t *len)
{
	size_t scan = s->pos;

	for (;;) {
		uint8_t *nl = memchr(s->buf + scan, '\n', s->len - scan);
		long avail;

		if (nl) {
			*line = (char *)s->buf + s->pos;
			*len = (size_t)(nl - (s->buf + s->pos));
			*nl = '\0';
			s->pos = (size_t)(nl - s->buf) + 1;
			if (*len && (*line)[*len - 1] == '\r')
				(*line)[--*len] = '\0';
			return 1;
		}
		if (s->eof) {
			if (s->pos == s->len)
				return 0;
			/* A last line without its newline. */
			*line = (char *)s->buf + s->pos;
			*len = s->len - s->pos;
			s->buf[s->len] = '\0';
			s->pos = s->len;
			if (*len && (*line)[*len - 1] == '\r')
				(*line)[--*len] = '\0';
			return 1;
		}
		if (s->pos == 0 && s->len == s->cap) {
			snprintf(s->msg, sizeof(s->msg), "line longer than %u bytes", BSTREAM_CAP);
			return -1;
		}
		scan = s->len - s->pos;
		avail = bstream_ensure(s, s->len - s->pos + 1);
		if (avail < 0)
			return -1;
		/* compaction moved the bytes to 0: scan from where we stopped */
		scan += s->pos;
	}
}

int trc_varint_get(struct bstream *s, uint64_t *v, const char **problem)
{
	uint64_t x = 0;
	unsigned int shift = 0;

	for (;;) {
		int c = bstream_getc(s);

		if (c < 0) {
			*problem = s->msg[0] ? s->msg : "truncated record";
			return -1;
		}
		if (shift == 63 && (c & 0xfe)) {
			*problem = "bad varint (over 64 bits)";
			return -1;
		}
		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			break;
		shift += 7;
	}
	*v = x;
	return 0;
}

uint64_t trace_hash_str(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < n; i++) {
		h ^= (uint8_t)s[i];
		h *= 0x100000001b3ULL;
	}
	return h == CACHE_ID_NONE ? h - 1 : h;
}

int bsink_init(struct bsink *s, int fd)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->cap = 1u << 20;
	s->buf = malloc(s->cap);
	return s->buf ? 0 : -ENOMEM;
}

static int write_all(struct bsink *s, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t k = write(s->fd, p, n);

		if (k < 0) {
			if (errno == EINTR)
				continue;
			return s->err = -errno;
		}
		p += k;
		n -= (size_t)k;
		s->raw_off += (uint64_t)k;
	}
	return 0;
}

/* Pass the staged bytes on; @end ends the zstd frame. */
static int bsink_flush(struct bsink *s, bool end)
{
	ZSTD_inBuffer in = { s->buf, s->len, 0 };

	if (s->err)
		return s->err;
	if (!s->z) {
		int ret = write_all(s, s->buf, s->len);

		s->len = 0;
		return ret;
	}
	for (;;) {
		ZSTD_outBuffer out = { s->zbuf, s->zcap, 0 };
		size_t r = ZSTD_compressStream2(s->z, &out, &in,
						end ? ZSTD_e_end : ZSTD_e_continue);

		if (ZSTD_isError(r))
			return s->err = -EIO;
		if (out.pos && write_all(s, s->zbuf, out.pos))
			return s->err;
		if (end ? r == 0 : in.pos == in.size)
			break;
	}
	s->len = 0;
	return 0;
}

int bsink_zstd_begin(struct bsink *s, int level)
{
	if (bsink_flush(s, false))
		return s->err;
	s->z = ZSTD_createCCtx();
	s->zcap = ZSTD_CStreamOutSize();
	s->zbuf = malloc(s->zcap);
	if (!s->z || !s->zbuf)
		return s->err = -ENOMEM;
	ZSTD_CCtx_setParameter(s->z, ZSTD_c_compressionLevel, level);
	ZSTD_CCtx_setParameter(s->z, ZSTD_c_checksumFlag, 1);
	return 0;
}

int bsink_write(struct bsink *s, const void *p, size_t n)
{
	const uint8_t *src = p;

	if (s->err)
		return s->err;
	while (n) {
		size_t k = s->cap - s->len < n ? s->cap - s->len : n;

		memcpy(s->buf + s->len, src, k);
		s->len += k;
		src += k;
		n -= k;
		if (s->len == s->cap && bsink_flush(s, false))
			return s->err;
	}
	return 0;
}

int bsink_finish(struct bsink *s)
{
	return bsink_flush(s, true);
}

void bsink_destroy(struct bsink *s)
{
	if (s->z)
		ZSTD_freeCCtx(s->z);
	free(s->buf);
	free(s->zbuf);
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}
