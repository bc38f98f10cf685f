// SPDX-License-Identifier: GPL-2.0
/*
 * tools/lab/trace_mmsim.c - mmsim's own trace format, version 1
 * (docs/trace-formats.md gives it byte by byte).
 *
 * A raw little-endian header, then one zstd stream of records:
 *
 *   off size
 *    0   8  magic "MMSIMTRC"
 *    8   2  version (1)
 *   10   1  page_shift of the recorded machine
 *   11   1  flags: 0x1 IDS (records carry page ids, not byte addresses),
 *               0x2 LAYOUT (mmap/munmap/brk/mprotect/fork/exit present)
 *   12   4  header length H (the zstd stream starts at H)
 *   16   8  number of records
 *   24   2  program length P
 *   26   1  backend length B
 *   27   1  reserved, 0
 *   28   P  program (the recorded command line, bytes, no NUL)
 *   28+P B  backend ("lackey", "sample", "convert", ...)
 *
 * A record is a tag byte and varints (LEB128; "z" = zigzag of a signed
 * delta from the previous record's value):
 *   tag: bits 0-3 op (enum trace_op), 0x10 P, 0x20 T, 0x40 L, 0x80 X
 *   [P] pid                 when it differs from the previous (first: 1)
 *   [T] z(time - prev time) when it differs
 *   z(addr - prev addr)     always (IDS: the id instead of the address)
 *   [L] len                 when it differs from the previous record's
 *   [X] prot, flags, z(arg) when any of them is non-zero
 * An access to the next word of the same process costs 2-3 bytes before
 * zstd.  Lost: next_access (recomputed by whoever needs it).
 *
 * The writer emits the header with a count of 0 and flags without LAYOUT,
 * and patches both at commit (pwrite: the header is not compressed).  The
 * reader checks the count against the stream: a stream that ends early or
 * runs long is malformed.
 *
 * Single-threaded.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "tools/lab/trace_internal.h"

#define TAG_P	0x10
#define TAG_T	0x20
#define TAG_L	0x40
#define TAG_X	0x80

static uint64_t get_le(const uint8_t *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void put_le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = (uint8_t)v;
}

int trc_mmsim_open(struct trace_reader *r)
{
	uint8_t h[MMSIM_HDR_FIXED];
	uint64_t hlen, plen, blen, extra;
	unsigned int version;
	int ret;

	ret = bstream_read(r->in, h, sizeof(h));
	if (ret <= 0 || memcmp(h, MMSIM_MAGIC, 8)) {
		snprintf(r->err, sizeof(r->err), "%s:header: %s", r->path,
			 ret < 0 && r->in->msg[0] && strcmp(r->in->msg, "truncated record") ?
			 r->in->msg : ret <= 0 ? "truncated header" : "wrong magic (not an mmsim trace)");
		return -1;
	}
	version = (unsigned int)get_le(h + 8, 2);
	if (version != MMSIM_VERSION) {
		snprintf(r->err, sizeof(r->err), "%s:header: unsupported version %u (this mmsim reads %d)",
			 r->path, version, MMSIM_VERSION);
		return -1;
	}
	r->info.page_shift = h[10];
	if (r->info.page_shift < 9 || r->info.page_shift > 30) {
		snprintf(r->err, sizeof(r->err), "%s:header: bad page_shift %u", r->path, h[10]);
		return -1;
	}
	r->ids_only = h[11] & MMSIM_F_IDS;
	r->info.has_addresses = !r->ids_only;
	r->info.has_layout = h[11] & MMSIM_F_LAYOUT;
	hlen = get_le(h + 12, 4);
	r->info.nr_records = get_le(h + 16, 8);
	plen = get_le(h + 24, 2);
	blen = h[26];
	if (hlen < MMSIM_HDR_FIXED + plen + blen) {
		snprintf(r->err, sizeof(r->err), "%s:header: header length %llu too short",
			 r->path, (unsigned long long)hlen);
		return -1;
	}
	{
		uint8_t s[65536 + 256];

		if (bstream_read(r->in, s, plen + blen) != 1 && plen + blen) {
			snprintf(r->err, sizeof(r->err), "%s:header: truncated header", r->path);
			return -1;
		}
		plen = plen < sizeof(r->info.program) ? plen : sizeof(r->info.program) - 1;
		memcpy(r->info.program, s, plen);
		r->info.program[plen] = '\0';
		blen = blen < sizeof(r->info.backend) ? blen : sizeof(r->info.backend) - 1;
		memcpy(r->info.backend, s + get_le(h + 24, 2), blen);
		r->info.backend[blen] = '\0';
	}
	for (extra = hlen - MMSIM_HDR_FIXED - get_le(h + 24, 2) - h[26]; extra; extra--) {
		if (bstream_getc(r->in) < 0) {
			snprintf(r->err, sizeof(r->err), "%s:header: truncated header", r->path);
			return -1;
		}
	}
	if (bstream_init_zstd(&r->recs, r->in)) {
		snprintf(r->err, sizeof(r->err), "%s: out of memory", r->path);
		return -1;
	}
	r->recs_open = true;
	r->prev_pid = 1;
	return 0;
}

int trc_mmsim_read(struct trace_reader *r, struct trace_rec *rec)
{
	struct bstream *s = &r->recs;
	const char *problem;
	uint64_t v;
	int tag;

	r->rec_no = r->nr_read;
	tag = bstream_getc(s);
	if (tag < 0) {
		if (s->msg[0])
			return trace_fail_stream(r, s);
		if (r->nr_read != r->info.nr_records)
			return trace_fail(r, "truncated trace: the header says %llu records",
					  (unsigned long long)r->info.nr_records);
		return 0;
	}
	if (r->nr_read >= r->info.nr_records)
		return trace_fail(r, "more records than the header's %llu",
				  (unsigned long long)r->info.nr_records);
	memset(rec, 0, sizeof(*rec));
	rec->op = tag & 0x0f;
	if (rec->op > TRACE_EXIT)
		return trace_fail(r, "unknown op %u", rec->op);
	if (tag & TAG_P) {
		if (trc_varint_get(s, &v, &problem))
			goto bad;
		if (v > UINT32_MAX)
			return trace_fail(r, "bad pid %llu", (unsigned long long)v);
		r->prev_pid = (uint32_t)v;
	}
	if (tag & TAG_T) {
		if (trc_varint_get(s, &v, &problem))
			goto bad;
		r->prev_time += (uint64_t)unzigzag(v);
	}
	if (trc_varint_get(s, &v, &problem))
		goto bad;
	r->prev_addr += (uint64_t)unzigzag(v);
	if (tag & TAG_L) {
		if (trc_varint_get(s, &v, &problem))
			goto bad;
		r->prev_len = v;
	}
	if (tag & TAG_X) {
		uint64_t prot, flags;

		if (trc_varint_get(s, &prot, &problem) || trc_varint_get(s, &flags, &problem) ||
		    trc_varint_get(s, &v, &problem))
			goto bad;
		if (prot > UINT32_MAX || flags > UINT32_MAX)
			return trace_fail(r, "bad prot/flags");
		rec->prot = (uint32_t)prot;
		rec->flags = (uint32_t)flags;
		rec->arg = (uint64_t)unzigzag(v);
	}
	rec->pid = r->prev_pid;
	rec->time = r->prev_time;
	rec->len = r->prev_len;
	if (r->ids_only) {
		rec->id = r->prev_addr;
		rec->addr = rec->id << r->info.page_shift;
	} else {
		rec->addr = r->prev_addr;
		rec->id = rec->addr >> r->info.page_shift;
	}
	rec->next_access = CACHE_NEXT_NEVER;
	return 1;
bad:
	return trace_fail(r, "%s", problem);
}

int trc_mmsim_wopen(struct trace_writer *w)
{
	size_t plen = strnlen(w->info.program, sizeof(w->info.program) - 1);
	size_t blen = strnlen(w->info.backend, sizeof(w->info.backend) - 1);
	uint8_t h[MMSIM_HDR_FIXED];
	int ret;

	memcpy(h, MMSIM_MAGIC, 8);
	put_le(h + 8, MMSIM_VERSION, 2);
	h[10] = (uint8_t)w->info.page_shift;
	h[11] = w->info.has_addresses ? 0 : MMSIM_F_IDS;
	put_le(h + 12, MMSIM_HDR_FIXED + plen + blen, 4);
	put_le(h + 16, 0, 8);
	put_le(h + 24, plen, 2);
	h[26] = (uint8_t)blen;
	h[27] = 0;
	w->hdr_flags_off = 11;
	w->prev_pid = 1;
	ret = bsink_write(&w->sink, h, sizeof(h));
	if (!ret)
		ret = bsink_write(&w->sink, w->info.program, plen);
	if (!ret)
		ret = bsink_write(&w->sink, w->info.backend, blen);
	if (!ret)
		ret = bsink_zstd_begin(&w->sink, 3);
	return ret;
}

int trc_mmsim_write(struct trace_writer *w, const struct trace_rec *rec)
{
	uint8_t b[1 + 5 * 10 + 3 * 10];
	uint64_t a = w->info.has_addresses ? rec->addr : rec->id;
	size_t n = 1;
	uint8_t tag = rec->op;

	if (rec->pid != w->prev_pid) {
		tag |= TAG_P;
		n += varint_put(b + n, rec->pid);
		w->prev_pid = rec->pid;
	}
	if (rec->time != w->prev_time) {
		tag |= TAG_T;
		n += varint_put(b + n, zigzag((int64_t)(rec->time - w->prev_time)));
		w->prev_time = rec->time;
	}
	n += varint_put(b + n, zigzag((int64_t)(a - w->prev_addr)));
	w->prev_addr = a;
	if (rec->len != w->prev_len) {
		tag |= TAG_L;
		n += varint_put(b + n, rec->len);
		w->prev_len = rec->len;
	}
	if (rec->prot || rec->flags || rec->arg) {
		tag |= TAG_X;
		n += varint_put(b + n, rec->prot);
		n += varint_put(b + n, rec->flags);
		n += varint_put(b + n, zigzag((int64_t)rec->arg));
	}
	b[0] = tag;
	return bsink_write(&w->sink, b, n);
}

int trc_mmsim_wcommit(struct trace_writer *w)
{
	uint8_t flags = (w->info.has_addresses ? 0 : MMSIM_F_IDS) |
			(w->has_layout ? MMSIM_F_LAYOUT : 0);
	uint8_t cnt[8];

	put_le(cnt, w->nr, 8);
	if (pwrite(w->sink.fd, &flags, 1, w->hdr_flags_off) != 1 ||
	    pwrite(w->sink.fd, cnt, 8, 16) != 8)
		return -errno ? -errno : -EIO;
	return 0;
}
