/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tests/file_fixture.h - helpers of the file tests (test_file_integrity.c,
 * test_file_selftests.c, test_pagecache_stress*.c): byte patterns that
 * say where they belong, a user buffer for sys_read/sys_write, and the
 * machine's knobs (drop_caches, meminfo, the flusher's clock).
 *
 * The pattern.  Every 8-byte word of a file at byte position P (P a
 * multiple of 8) written in generation G of a file tagged T holds
 *     (G << 56 | T << 48 | P) ^ PAT_XOR        (little-endian)
 * and a byte at any position is that word's byte.  A misplaced page,
 * a stale one (an older generation), one of another file, or a hole
 * (zeroes: PAT_XOR keeps every pattern byte-wise far from zero) is told
 * apart on the first mismatching byte: pat_check() decodes the word found
 * there and prints what it is.
 */
#ifndef MMSIM_FILE_FIXTURE_H
#define MMSIM_FILE_FIXTURE_H

#include <mmsim/sched.h>
#include <mmsim/signal.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/fcntl.h>
#include <mmsim/err.h>
#include <mmsim/fs.h>
#include <mmsim/pagemap.h>
#include <mmsim/writeback.h>
#include <mmsim/swap.h>
#include "mmtest.h"

#define PAT_XOR		0xa5c3a5c3a5c3a5c3ULL

static inline u64 pat_word(unsigned int tag, unsigned int gen, u64 pos8)
{
	return (((u64)gen & 0xff) << 56 | ((u64)tag & 0xff) << 48 |
		(pos8 & 0xffffffffffffULL)) ^ PAT_XOR;
}

static inline unsigned char pat_byte(unsigned int tag, unsigned int gen, u64 pos)
{
	return (unsigned char)(pat_word(tag, gen, pos & ~7ULL) >> ((pos & 7) * 8));
}

static inline void pat_fill(unsigned char *buf, unsigned int tag, unsigned int gen, u64 pos,
			    size_t len)
{
	for (size_t i = 0; i < len; i++)
		buf[i] = pat_byte(tag, gen, pos + i);
}

/*
 * Compare @len bytes @got read at file position @pos with @want; on the
 * first mismatch, print what the word there decodes to.  True if equal.
 */
static inline bool pat_check(const unsigned char *got, const unsigned char *want, u64 pos,
			     size_t len, const char *what)
{
	size_t i;

	if (!memcmp(got, want, len))
		return true;
	for (i = 0; i < len && got[i] == want[i]; i++)
		;
	{
		u64 p = pos + i, p8 = p & ~7ULL, w = 0, d;
		size_t s = (size_t)(p8 - pos);	/* may wrap: checked below */
		size_t bad = 0;

		for (size_t k = i; k < len; k++)
			bad += got[k] != want[k];
		if (p8 >= pos && s + 8 <= len) {
			memcpy(&w, got + s, 8);
			d = w ^ PAT_XOR;
			fprintf(stderr, "%s: %s: pos %#llx (page %llu + %#llx): got %#x want %#x "
				"(%zu bytes differ); the word at %#llx is %s gen %llu tag %llu pos %#llx\n",
				kt_cur_name, what, (unsigned long long)p,
				(unsigned long long)(p / PAGE_SIZE), (unsigned long long)(p % PAGE_SIZE),
				got[i], want[i], bad, (unsigned long long)p8, w ? "pattern" : "zero",
				(unsigned long long)(d >> 56), (unsigned long long)((d >> 48) & 0xff),
				(unsigned long long)(d & 0xffffffffffffULL));
		} else {
			fprintf(stderr, "%s: %s: pos %#llx: got %#x want %#x (%zu bytes differ)\n",
				kt_cur_name, what, (unsigned long long)p, got[i], want[i], bad);
		}
	}
	return false;
}

/* --- a user buffer of the current task ------------------------------- */

struct ubuf {
	unsigned long va;
	size_t len;
};

static inline bool ubuf_init(struct ubuf *u, size_t len)
{
	u->len = len;
	u->va = sys_mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 (unsigned long)-1, 0);
	return !IS_ERR_VALUE(u->va);
}

/* pwrite @len bytes of @src at @pos through the user buffer: bytes or -errno. */
static inline long upwrite(struct ubuf *u, int fd, const void *src, size_t len, long pos)
{
	size_t done = 0;

	while (done < len) {
		size_t n = len - done < u->len ? len - done : u->len;
		long r;

		if (mmsim_user_write(u->va, (const char *)src + done, n))
			return -EFAULT;
		r = sys_pwrite64(fd, u->va, n, pos + (long)done);
		if (r < 0)
			return done ? (long)done : r;
		done += (size_t)r;
		if ((size_t)r < n)
			break;
	}
	return (long)done;
}

/* pread up to @len bytes at @pos into @dst: bytes or -errno. */
static inline long upread(struct ubuf *u, int fd, void *dst, size_t len, long pos)
{
	size_t done = 0;

	while (done < len) {
		size_t n = len - done < u->len ? len - done : u->len;
		long r = sys_pread64(fd, u->va, n, pos + (long)done);

		if (r < 0)
			return done ? (long)done : r;
		if (r && mmsim_user_read(u->va, (char *)dst + done, (size_t)r))
			return -EFAULT;
		done += (size_t)r;
		if ((size_t)r < n)
			break;
	}
	return (long)done;
}

/* --- the machine -------------------------------------------------------- */

static inline long long fx_meminfo_kb(struct mmsim *m, const char *label)
{
	char *s = mmsim_read(m, "/proc/meminfo");
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static inline long long fx_vmstat(struct mmsim *m, const char *label)
{
	char *s = mmsim_read(m, "/proc/vmstat");
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static inline int fx_drop_caches(struct mmsim *m, int what)
{
	char v[4];

	snprintf(v, sizeof(v), "%d", what);
	return mmsim_write(m, "/proc/sys/vm/drop_caches", v);
}

/* Past dirty_expire_centisecs (30 s) and a flusher period (5 s), and the I/O. */
static inline void fx_let_flusher_run(struct mmsim *m)
{
	for (int i = 0; i < 8; i++)
		mmsim_advance_clock(m, 5000000000ULL);
}

/* The file behind @fd of current (its mapping), without a reference kept. */
static inline struct address_space *fx_fd_mapping(int fd)
{
	struct file *f = fget((unsigned int)fd);
	struct address_space *mapping;

	if (!f)
		return NULL;
	mapping = f->f_mapping;
	fput(f);
	return mapping;
}

static inline bool fx_mapping_dirty(struct address_space *mapping)
{
	return xa_marked(&mapping->i_pages, PAGECACHE_TAG_DIRTY);
}

#endif
