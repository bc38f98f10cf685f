// SPDX-License-Identifier: GPL-2.0
/*
 * lib/iov_iter.c - Linux's iov_iter cut to mmsim's two kinds of buffer
 * (include/mmsim/uio.h): ITER_UBUF, one user buffer of `current`, and
 * ITER_KVEC, one kernel (host) buffer.
 *
 * Design.  An iterator is a cursor over one contiguous buffer: ubuf/kbuf
 * is where it started, iov_offset how far it went, count what is left.
 * Every copy moves at most count bytes and advances by what it moved.  A
 * user buffer is copied through copy_to_user/copy_from_user, which run as
 * current through the simulated MMU and fault handler: a hole or a
 * read-only page in the middle gives a short copy, as Linux's
 * copyout/copyin do, and the caller turns "nothing copied" into -EFAULT.
 * Page contents are reached through kmap_local_page (highmem pages on
 * i386 have no permanent kernel address).
 *
 * Locking: none of its own.  The caller must not hold a lock that the
 * fault handler takes (the folio lock of a page the user buffer may map,
 * the PTE lock): generic_perform_write copies into a bounce buffer before
 * it locks the folio, filemap_read copies from a referenced, unlocked one.
 *
 * Invariants: iov_offset + count == the length the iterator was made with
 * (less iov_iter_truncate's cut); a copy never returns more than it was
 * asked for or than count.
 */
#include <string.h>
#include <mmsim/uio.h>
#include <mmsim/uaccess.h>
#include <mmsim/highmem.h>
#include <mmsim/mm.h>
#include <mmsim/printk.h>

void iov_iter_ubuf(struct iov_iter *i, unsigned int direction, unsigned long buf, size_t count)
{
	WARN_ON(direction & ~(ITER_DEST | ITER_SOURCE));
	*i = (struct iov_iter){ .iter_type = ITER_UBUF, .data_source = direction == ITER_SOURCE,
				.count = count, .ubuf = buf };
}

void iov_iter_kvec_buf(struct iov_iter *i, unsigned int direction, void *buf, size_t count)
{
	WARN_ON(direction & ~(ITER_DEST | ITER_SOURCE));
	*i = (struct iov_iter){ .iter_type = ITER_KVEC, .data_source = direction == ITER_SOURCE,
				.count = count, .kbuf = buf };
}

void iov_iter_advance(struct iov_iter *i, size_t bytes)
{
	if (bytes > i->count)
		bytes = i->count;
	i->iov_offset += bytes;
	i->count -= bytes;
}

void iov_iter_revert(struct iov_iter *i, size_t bytes)
{
	if (WARN_ON(bytes > i->iov_offset))
		bytes = i->iov_offset;
	i->iov_offset -= bytes;
	i->count += bytes;
}

void iov_iter_truncate(struct iov_iter *i, size_t count)
{
	if (i->count > count)
		i->count = count;
}

/* The cursor's current address: user (ubuf) or host (kbuf). */
static inline unsigned long iter_uaddr(const struct iov_iter *i)
{
	return i->ubuf + i->iov_offset;
}

static inline char *iter_kaddr(const struct iov_iter *i)
{
	return (char *)i->kbuf + i->iov_offset;
}

/* What iterate_and_advance moves: @addr's bytes in or out, or zeroes in. */
enum iter_step { STEP_TO_ITER, STEP_FROM_ITER, STEP_ZERO };

/*
 * Linux's iterate_and_advance for one buffer: clamp @bytes to what is
 * left, move them between @addr and the cursor as @step says, advance by
 * what moved and return it.  A user buffer may stop short (a fault); a
 * kernel one never does.
 */
static size_t iterate_and_advance(struct iov_iter *i, size_t bytes, void *addr,
				  enum iter_step step)
{
	size_t done = bytes;

	if (bytes > i->count)
		bytes = done = i->count;
	if (!bytes)
		return 0;
	if (i->iter_type == ITER_UBUF) {
		unsigned long uaddr = iter_uaddr(i);

		if (step == STEP_TO_ITER)
			done -= copy_to_user(uaddr, addr, bytes);
		else if (step == STEP_FROM_ITER)
			done -= copy_from_user(addr, uaddr, bytes);
		else
			done -= clear_user(uaddr, bytes);
	} else {
		char *kaddr = iter_kaddr(i);

		if (step == STEP_TO_ITER) {
			memcpy(kaddr, addr, bytes);
			kmsan_memmove(kaddr, addr, bytes);
		} else if (step == STEP_FROM_ITER) {
			memcpy(addr, kaddr, bytes);
			kmsan_memmove(addr, kaddr, bytes);
		} else {
			memset(kaddr, 0, bytes);
			kmsan_unpoison_memory(kaddr, bytes);
		}
	}
	iov_iter_advance(i, done);
	return done;
}

size_t copy_to_iter(const void *addr, size_t bytes, struct iov_iter *i)
{
	if (WARN_ON_ONCE(i->data_source))
		return 0;
	return iterate_and_advance(i, bytes, (void *)addr, STEP_TO_ITER);
}

size_t copy_from_iter(void *addr, size_t bytes, struct iov_iter *i)
{
	if (WARN_ON_ONCE(!i->data_source))
		return 0;
	return iterate_and_advance(i, bytes, addr, STEP_FROM_ITER);
}

size_t iov_iter_zero(size_t bytes, struct iov_iter *i)
{
	return iterate_and_advance(i, bytes, NULL, STEP_ZERO);
}

/* Linux's page_copy_sane: the range stays inside the (compound) page. */
static bool page_copy_sane(struct page *page, size_t offset, size_t n)
{
	size_t v = n + offset;
	size_t size = PAGE_SIZE;

	/* PG_head read atomically: other CPUs set flags of the same word */
	if ((__atomic_load_n(&page->flags, __ATOMIC_RELAXED) >> PG_head) & 1)
		size <<= compound_order(page);
	if (likely(v <= size && v >= n))
		return true;
	WARN_ON(1);
	return false;
}

/*
 * Copy @bytes at @offset of @page (a compound page may be crossed) to the
 * iterator (@to_iter) or from it, a page at a time through kmap_local_page;
 * stops at a short copy or when the iterator is used up.
 */
static size_t copy_page_iter(struct page *page, size_t offset, size_t bytes,
			     struct iov_iter *i, bool to_iter)
{
	size_t res = 0;

	if (!page_copy_sane(page, offset, bytes))
		return 0;
	page += offset / PAGE_SIZE;
	offset %= PAGE_SIZE;
	while (bytes) {
		size_t n = min_t(size_t, bytes, PAGE_SIZE - offset);
		char *kaddr = kmap_local_page(page);
		size_t got = to_iter ? copy_to_iter(kaddr + offset, n, i) :
				       copy_from_iter(kaddr + offset, n, i);

		kunmap_local(kaddr);
		res += got;
		bytes -= got;
		if (got < n || !i->count)
			break;
		offset += got;
		if (offset == PAGE_SIZE) {
			page++;
			offset = 0;
		}
	}
	return res;
}

size_t copy_page_to_iter(struct page *page, size_t offset, size_t bytes, struct iov_iter *i)
{
	return copy_page_iter(page, offset, bytes, i, true);
}

size_t copy_page_from_iter(struct page *page, size_t offset, size_t bytes, struct iov_iter *i)
{
	return copy_page_iter(page, offset, bytes, i, false);
}

size_t copy_folio_to_iter(struct folio *folio, size_t offset, size_t bytes, struct iov_iter *i)
{
	return copy_page_to_iter(&folio->page, offset, bytes, i);
}

/*
 * Linux copies with page faults disabled here (the folio is locked); mmsim
 * has no pagefault_disable, so its callers pass a kernel (KVEC) source
 * here -- generic_perform_write bounces a user buffer first -- or accept
 * that the copy may fault.
 */
size_t copy_folio_from_iter_atomic(struct folio *folio, size_t offset, size_t bytes,
				   struct iov_iter *i)
{
	return copy_page_from_iter(&folio->page, offset, bytes, i);
}

/*
 * fault_in_iov_iter_readable - fault in the next @bytes of a user source
 * (Linux's fault_in_readable: one read per page); the bytes that could not
 * be faulted in, 0 when all could.  A kernel buffer is always readable.
 */
size_t fault_in_iov_iter_readable(const struct iov_iter *i, size_t bytes)
{
	unsigned long start, end, uaddr;

	if (i->iter_type != ITER_UBUF)
		return 0;
	if (bytes > i->count)
		bytes = i->count;
	if (!bytes)
		return 0;
	start = iter_uaddr(i);
	end = start + bytes;
	if (end < start)
		return bytes;
	for (uaddr = start; uaddr < end; uaddr = (uaddr & PAGE_MASK) + PAGE_SIZE) {
		unsigned char c;

		if (__get_user_bytes(&c, uaddr, 1))
			return end - uaddr;
		if ((uaddr & PAGE_MASK) + PAGE_SIZE < uaddr)	/* wrapped */
			break;
	}
	return 0;
}
