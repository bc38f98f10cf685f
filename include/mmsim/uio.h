/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uio.h - Linux's iov_iter and kiocb (include/linux/uio.h, fs.h), cut to
 * the two kinds of buffer mmsim's read and write paths move bytes between
 * page-cache folios and: ITER_UBUF, a user buffer of `current` (copied
 * through copy_to_user/copy_from_user, so it faults as Linux's does), and
 * ITER_KVEC, one kernel buffer (kernel_read/kernel_write).  lib/iov_iter.c.
 */
#ifndef MMSIM_UIO_H
#define MMSIM_UIO_H

#include <stddef.h>
#include <sys/types.h>
#include <mmsim/types.h>

struct file;
struct folio;
struct page;

enum iter_type {
	ITER_UBUF,
	ITER_KVEC,
};

#define ITER_SOURCE	1	/* == WRITE: the iterator is read from */
#define ITER_DEST	0	/* == READ: the iterator is written to */

struct iov_iter {
	u8 iter_type;
	bool data_source;		/* ITER_SOURCE */
	size_t iov_offset;		/* bytes consumed */
	size_t count;			/* bytes left */
	union {
		unsigned long ubuf;	/* ITER_UBUF: user address of the start */
		void *kbuf;		/* ITER_KVEC: host address of the start */
	};
};

void iov_iter_ubuf(struct iov_iter *i, unsigned int direction, unsigned long buf, size_t count);
void iov_iter_kvec_buf(struct iov_iter *i, unsigned int direction, void *buf, size_t count);
static inline size_t iov_iter_count(const struct iov_iter *i) { return i->count; }
static inline bool user_backed_iter(const struct iov_iter *i) { return i->iter_type == ITER_UBUF; }
void iov_iter_advance(struct iov_iter *i, size_t bytes);
void iov_iter_revert(struct iov_iter *i, size_t bytes);
void iov_iter_truncate(struct iov_iter *i, size_t count);
/* Bytes copied (short at a fault in a user buffer, as Linux's). */
size_t copy_page_to_iter(struct page *page, size_t offset, size_t bytes, struct iov_iter *i);
size_t copy_page_from_iter(struct page *page, size_t offset, size_t bytes, struct iov_iter *i);
size_t copy_folio_to_iter(struct folio *folio, size_t offset, size_t bytes, struct iov_iter *i);
size_t copy_folio_from_iter_atomic(struct folio *folio, size_t offset, size_t bytes,
				   struct iov_iter *i);
size_t iov_iter_zero(size_t bytes, struct iov_iter *i);
size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i);
size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i);
/* Fault in the next @bytes of a user source; the bytes that could not be. */
size_t fault_in_iov_iter_readable(const struct iov_iter *i, size_t bytes);

/* kiocb flags. */
#define IOCB_APPEND	(1 << 1)
#define IOCB_DSYNC	(1 << 4)
#define IOCB_SYNC	(1 << 5)
#define IOCB_NOWAIT	(1 << 7)
#define IOCB_NOIO	(1 << 20)

struct kiocb {
	struct file *ki_filp;
	loff_t ki_pos;
	int ki_flags;
};

void init_sync_kiocb(struct kiocb *kiocb, struct file *filp);	/* fs/read_write.c */

#endif
