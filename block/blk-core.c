// SPDX-License-Identifier: GPL-2.0
/*
 * block/blk-core.c - bios and the request queue of the machine's disk, as
 * Linux's block/bio.c, blk-core.c, blk-mq.c and blk-merge.c do them, in
 * virtual time and without host threads (docs/block.md).
 *
 * Design.  submit_bio() moves the bytes at once between the bio's pages,
 * mapped with kmap_local_page, and the disk: memcpy through the shared
 * mapping of a memfd disk (d->map: no system call per page; each
 * BLK_MAP_CHUNK of it is populated writable with one madvise on its first
 * write, instead of a host fault per page), pwrite/pread on a host file's
 * fd.  It counts
 * pgpgin/pgpgout in sectors as Linux's submit_bio does, and turns the bio
 * into a request or merges it:
 *   - under a plug (blk_start_plug), bios collect in the CPU's plug and a
 *     bio that starts where the plug's last request ends back-merges into
 *     it; blk_finish_plug (or submit_bio_wait) hands the requests over;
 *   - without one, the bio back-merges into the last request still waiting
 *     for a slot, or becomes a new request.
 * A request is dispatched when one of the queue's nr_requests slots is free
 * and completes disk_latency later in virtual time: at dispatch time D it
 * gets deadline D + latency.  Requests that find every slot taken wait in
 * the queue, where later sequential bios keep merging into them, and are
 * dispatched when a slot frees, at that slot's completion time.  Nothing
 * completes until the virtual clock reaches the deadline:
 * mmsim_advance_clock() calls blk_clock_advanced(), and submit_bio_wait()
 * advances the clock itself to the next completion until its bio is done,
 * as a task sleeping in io_schedule() lets time pass.  Flushes are requests
 * too (REQ_OP_FLUSH: fdatasync of a file-backed disk at completion), never
 * merged.
 *
 * Accounting follows blk_account_io_start/done: a request counts in
 * in_flight from its creation, its ios/sectors/nsecs when it completes
 * (nsecs = completion - creation), merges when a bio merges; io_ticks is
 * the virtual time with in_flight > 0.
 *
 * Locking: d->lock (a mutex) around the queues, the plugs and the
 * counters; bi_end_io runs with it dropped, so a completion may submit.
 * The data copy runs in the submitter's context, outside the lock.
 *
 * Invariants (under d->lock):
 *   nr_inflight <= q.nr_requests (after nr_requests shrank, the excess drains
 *   first: nothing dispatches past it); nr_inflight, nr_queued == the list lengths
 *   the in-flight list is in deadline order (dispatch times never decrease)
 *   in_flight == nr_inflight + nr_queued + the requests held in plugs
 *   every request's nr_sectors == the sum of its bios' sectors
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <mmsim/workqueue.h>
#include <mmsim/highmem.h>
#include <mmsim/printk.h>
#include <mmsim/sched.h>
#include <mmsim/vmstat.h>
#include "init/machine.h"
#include "block/blk.h"

static u64 clock_now(struct blk_dev_state *d)
{
	return atomic_load_explicit(&d->m->hw.clock_ns, memory_order_relaxed);
}

static struct blk_dev_state *bio_dev(struct bio *bio)
{
	return bio->bi_bdev->bd_disk->dev;
}

struct bio *bio_alloc(struct block_device *bdev, unsigned short nr_vecs, blk_opf_t opf, gfp_t gfp)
{
	struct bio *bio;

	(void)gfp;
	if (nr_vecs > BIO_MAX_VECS)
		return NULL;
	bio = calloc(1, sizeof(*bio) + nr_vecs * sizeof(struct bio_vec));
	if (!bio)
		abort();	/* Linux's bio_alloc with a sleeping gfp never fails */
	bio->bi_bdev = bdev;
	bio->bi_opf = opf;
	bio->bi_max_vecs = nr_vecs;
	bio->bi_io_vec = bio->bi_inline_vecs;
	bio->__bi_cnt = 1;
	return bio;
}

void bio_get(struct bio *bio)
{
	__atomic_add_fetch(&bio->__bi_cnt, 1, __ATOMIC_RELAXED);
}

void bio_put(struct bio *bio)
{
	int left = __atomic_sub_fetch(&bio->__bi_cnt, 1, __ATOMIC_ACQ_REL);

	if (WARN_ON_ONCE(left < 0))
		return;
	if (!left)
		free(bio);
}

int bio_add_page(struct bio *bio, struct page *page, unsigned int len, unsigned int off)
{
	if (bio->bi_vcnt >= bio->bi_max_vecs || off + len > PAGE_SIZE || !len ||
	    bio->bi_iter.bi_size + len < bio->bi_iter.bi_size)
		return 0;
	bio->bi_io_vec[bio->bi_vcnt++] = (struct bio_vec){ page, len, off };
	bio->bi_iter.bi_size += len;
	return (int)len;
}

int blk_status_to_errno(blk_status_t status)
{
	switch (status) {
	case BLK_STS_OK:
		return 0;
	case BLK_STS_NOTSUPP:
		return -EOPNOTSUPP;
	default:
		return -EIO;
	}
}

void bio_endio(struct bio *bio)
{
	if (bio->bi_end_io)
		bio->bi_end_io(bio);
}

/*
 * The device's DMA read of a page being written out is not a CPU's load:
 * Linux lets a filesystem modify a metadata buffer (a block bitmap, say)
 * while its page is under writeback, and the disk gets the old or the new
 * bytes, the next writeback the new ones.  Under ThreadSanitizer the
 * host's pwrite of such a page would read as a data race with the CPU's
 * store, so the DMA read is hidden from it (reads only: a CPU touching a
 * page while a read fills it is still reported).  Through a memfd disk's
 * mapping the disk's own bytes are host memory that TSan would see, where
 * pread/pwrite hid them in the host kernel: a write's stores into the
 * mapping are hidden too, and a read's loads from it are hidden with the
 * DMA reads, so only the page's side is checked, as before.
 */
#if defined(__SANITIZE_THREAD__)
#define BLK_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define BLK_TSAN 1
#endif
#endif
#ifdef BLK_TSAN
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);
void AnnotateIgnoreWritesBegin(const char *file, int line);
void AnnotateIgnoreWritesEnd(const char *file, int line);
#define dma_read_begin() AnnotateIgnoreReadsBegin(__FILE__, __LINE__)
#define dma_read_end() AnnotateIgnoreReadsEnd(__FILE__, __LINE__)
#define disk_write_begin() AnnotateIgnoreWritesBegin(__FILE__, __LINE__)
#define disk_write_end() AnnotateIgnoreWritesEnd(__FILE__, __LINE__)
#else
#define dma_read_begin() do { } while (0)
#define dma_read_end() do { } while (0)
#define disk_write_begin() do { } while (0)
#define disk_write_end() do { } while (0)
#endif

static ssize_t dma_to_disk(int fd, const char *src, size_t len, off_t pos)
{
	ssize_t n;

	dma_read_begin();
	n = pwrite(fd, src, len, pos);
	dma_read_end();
	return n;
}

#define MAP_BITS	(8 * sizeof(unsigned long))	/* chunks per word of d->populated */

void blk_map_memfd(struct blk_dev_state *d)
{
	size_t chunks = (size_t)((d->size + BLK_MAP_CHUNK - 1) / BLK_MAP_CHUNK);
	void *p;

	d->map = NULL;
	d->populated = calloc((chunks + MAP_BITS - 1) / MAP_BITS, sizeof(unsigned long));
	if (!d->populated)
		return;
	p = mmap(NULL, (size_t)d->size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE, d->fd,
		 0);
	if (p == MAP_FAILED) {
		free(d->populated);
		d->populated = NULL;
		return;
	}
	d->map = p;
}

void blk_unmap(struct blk_dev_state *d)
{
	if (d->map)
		munmap(d->map, (size_t)d->size);
	free(d->populated);
	d->map = NULL;
	d->populated = NULL;
}

/*
 * Before writing [pos, pos + len) through the mapping: populate the chunks
 * not yet written (MADV_POPULATE_WRITE: the host allocates their pages in
 * one call rather than faulting on each).  Racing writers may both
 * populate a chunk, which is harmless.  A kernel without
 * MADV_POPULATE_WRITE says EINVAL: the pages fault in on use.
 */
static void map_populate(struct blk_dev_state *d, u64 pos, u64 len)
{
	for (u64 c = pos / BLK_MAP_CHUNK; c <= (pos + len - 1) / BLK_MAP_CHUNK; c++) {
		unsigned long *w = &d->populated[c / MAP_BITS];
		unsigned long bit = 1UL << (c % MAP_BITS);
		u64 start = c * BLK_MAP_CHUNK;

		if (__atomic_load_n(w, __ATOMIC_RELAXED) & bit)
			continue;
#ifdef MADV_POPULATE_WRITE
		(void)madvise(d->map + start, (size_t)min_t(u64, BLK_MAP_CHUNK, d->size - start),
			      MADV_POPULATE_WRITE);
#endif
		__atomic_fetch_or(w, bit, __ATOMIC_RELAXED);
	}
}

/* Move the bio's bytes between its pages and the disk; false on a host error. */
static bool bio_copy_data(struct blk_dev_state *d, struct bio *bio)
{
	off_t pos = (off_t)(bio->bi_iter.bi_sector << SECTOR_SHIFT);
	bool write = op_is_write(bio->bi_opf);
	struct bio_vec *bv;
	unsigned int i;
	bool ok = true;

	if (d->map) {
		if (write && bio->bi_iter.bi_size)
			map_populate(d, (u64)pos, bio->bi_iter.bi_size);
		bio_for_each_bvec_all(bv, bio, i) {
			char *kaddr = kmap_local_page(bv->bv_page);

			dma_read_begin();
			if (write) {
				disk_write_begin();
				memcpy(d->map + pos, kaddr + bv->bv_offset, bv->bv_len);
				disk_write_end();
			} else {
				memcpy(kaddr + bv->bv_offset, d->map + pos, bv->bv_len);
			}
			dma_read_end();
			kunmap_local(kaddr);
			if (!write)
				kmsan_handle_dma(bv->bv_page, bv->bv_offset, bv->bv_len,
						 DMA_FROM_DEVICE);
			pos += bv->bv_len;
		}
		return true;
	}
	bio_for_each_bvec_all(bv, bio, i) {
		char *kaddr = kmap_local_page(bv->bv_page);
		ssize_t n = write ? dma_to_disk(d->fd, kaddr + bv->bv_offset, bv->bv_len, pos)
				  : pread(d->fd, kaddr + bv->bv_offset, bv->bv_len, pos);

		kunmap_local(kaddr);
		if (!write)	/* the device wrote the bytes (writes: docs/kmsan.md) */
			kmsan_handle_dma(bv->bv_page, bv->bv_offset, bv->bv_len, DMA_FROM_DEVICE);
		if (n != (ssize_t)bv->bv_len)
			ok = false;
		pos += bv->bv_len;
	}
	return ok;
}

static void stat_busy(struct blk_dev_state *d, u64 now, int delta)
{
	if (delta > 0 && d->in_flight++ == 0)
		d->busy_since = now;
	if (delta < 0 && --d->in_flight == 0)
		d->stats.io_ticks_ns += now - d->busy_since;
}

static enum stat_group op_stat_group(enum req_op op)
{
	return op == REQ_OP_WRITE ? STAT_WRITE : op == REQ_OP_FLUSH ? STAT_FLUSH :
	       op == REQ_OP_DISCARD ? STAT_DISCARD : STAT_READ;
}

/* Back-merge @bio into @rq if it continues it (blk-merge.c's bio_attempt_back_merge). */
static bool try_back_merge(struct blk_dev_state *d, struct request *rq, struct bio *bio)
{
	if (!rq || rq->op != bio_op(bio) || rq->op == REQ_OP_FLUSH ||
	    (bio->bi_opf & REQ_NOMERGE) || rq->sector + rq->nr_sectors != bio->bi_iter.bi_sector ||
	    rq->nr_sectors + bio_sectors(bio) > d->q.max_sectors)
		return false;
	rq->biotail->bi_next = bio;
	rq->biotail = bio;
	rq->nr_sectors += bio_sectors(bio);
	d->stats.merges[op_stat_group(rq->op)]++;
	return true;
}

static struct request *new_request(struct blk_dev_state *d, struct bio *bio, u64 now)
{
	struct request *rq = calloc(1, sizeof(*rq));

	if (!rq)
		abort();
	rq->op = bio_op(bio);
	rq->sector = bio->bi_iter.bi_sector;
	rq->nr_sectors = bio_sectors(bio);
	rq->bio = rq->biotail = bio;
	rq->start_ns = now;
	stat_busy(d, now, +1);
	return rq;
}

/* Dispatch queued requests into free slots at virtual time @t. */
static void dispatch(struct blk_dev_state *d, u64 t)
{
	while (d->queued_head && d->nr_inflight < d->q.nr_requests) {
		struct request *rq = d->queued_head;

		d->queued_head = rq->next;
		if (!d->queued_head)
			d->queued_tail = NULL;
		d->nr_queued--;
		rq->next = NULL;
		rq->deadline_ns = t + d->q.latency_ns;
		if (d->inflight_tail)
			d->inflight_tail->next = rq;
		else
			d->inflight_head = rq;
		d->inflight_tail = rq;
		d->nr_inflight++;
	}
}

static void queue_request(struct blk_dev_state *d, struct request *rq, u64 now)
{
	rq->next = NULL;
	if (d->queued_tail)
		d->queued_tail->next = rq;
	else
		d->queued_head = rq;
	d->queued_tail = rq;
	d->nr_queued++;
	dispatch(d, now);
}

static int cpu_slot(void)
{
	int cpu = smp_processor_id();

	return cpu < 0 ? 0 : cpu % 64;
}

/* The end_io of a bio that failed before it became a request. */
static void bio_io_error(struct bio *bio)
{
	bio->bi_status = BLK_STS_IOERR;
	bio_endio(bio);
}

void submit_bio(struct bio *bio)
{
	struct blk_dev_state *d = bio_dev(bio);
	sector_t cap = d->disk.capacity;
	enum req_op op = bio_op(bio);
	struct blk_plug *plug;
	struct request *rq;
	u64 now;

	if (op == REQ_OP_READ)
		count_vm_events(PGPGIN, bio_sectors(bio));
	else if (op == REQ_OP_WRITE)
		count_vm_events(PGPGOUT, bio_sectors(bio));
	if (op != REQ_OP_READ && op != REQ_OP_WRITE && op != REQ_OP_FLUSH) {
		bio->bi_status = BLK_STS_NOTSUPP;
		bio_endio(bio);
		return;
	}
	if (op != REQ_OP_FLUSH &&
	    ((bio->bi_iter.bi_size & (SECTOR_SIZE - 1)) || !bio->bi_iter.bi_size ||
	     bio->bi_iter.bi_sector > cap || bio_sectors(bio) > cap - bio->bi_iter.bi_sector)) {
		struct task_struct *t = get_current();

		pr_info("%s: attempt to access beyond end of device\n"
			"%s: rw=%u, sector=%llu, nr_sectors = %u limit=%llu\n",
			t ? t->comm : "swapper/0", d->disk.disk_name, bio->bi_opf,
			(unsigned long long)bio->bi_iter.bi_sector, bio_sectors(bio),
			(unsigned long long)cap);
		bio_io_error(bio);
		return;
	}
	if (op != REQ_OP_FLUSH && !bio_copy_data(d, bio)) {
		pr_err("I/O error, dev %s, sector %llu op 0x%x\n", d->disk.disk_name,
		       (unsigned long long)bio->bi_iter.bi_sector, op);
		bio_io_error(bio);
		return;
	}
	bio->bi_next = NULL;
	bio->bi_status = BLK_STS_OK;

	pthread_mutex_lock(&d->lock);
	now = clock_now(d);
	plug = d->plug[cpu_slot()];
	if (plug) {
		if (!try_back_merge(d, plug->rq_tail, bio)) {
			rq = new_request(d, bio, now);
			if (plug->rq_tail)
				((struct request *)plug->rq_tail)->next = rq;
			else
				plug->rq_head = rq;
			plug->rq_tail = rq;
		}
	} else if (!try_back_merge(d, d->queued_tail, bio)) {
		queue_request(d, new_request(d, bio, now), now);
	}
	pthread_mutex_unlock(&d->lock);
}

void blk_start_plug(struct blk_plug *plug)
{
	struct blk_dev_state *d = blk_state(current_machine());
	int slot = cpu_slot();

	plug->rq_head = plug->rq_tail = NULL;
	plug->prev = NULL;
	if (!d || !d->ready)
		return;
	pthread_mutex_lock(&d->lock);
	plug->prev = d->plug[slot];
	/* Linux: a nested plug is ignored; the outermost one flushes. */
	if (!plug->prev)
		d->plug[slot] = plug;
	pthread_mutex_unlock(&d->lock);
}

/* Hand the requests of the CPU's plug to the queue (blk_flush_plug). */
static void flush_plug_locked(struct blk_dev_state *d, struct blk_plug *plug)
{
	struct request *rq = plug->rq_head, *next;
	u64 now = clock_now(d);

	plug->rq_head = plug->rq_tail = NULL;
	for (; rq; rq = next) {
		next = rq->next;
		queue_request(d, rq, now);
	}
}

void blk_finish_plug(struct blk_plug *plug)
{
	struct blk_dev_state *d = blk_state(current_machine());
	int slot = cpu_slot();

	if (!d || !d->ready)
		return;
	pthread_mutex_lock(&d->lock);
	if (d->plug[slot] == plug) {
		flush_plug_locked(d, plug);
		d->plug[slot] = NULL;
	}
	pthread_mutex_unlock(&d->lock);
}

/*
 * Complete the in-flight requests whose deadline is at or before @now, in
 * deadline order, dispatching waiting requests into the freed slots at the
 * freeing request's deadline.  Returns the completed bios, bi_next-linked.
 */
static struct bio *complete_due_locked(struct blk_dev_state *d, u64 now, unsigned int *nr)
{
	struct bio *done = NULL, **tail = &done;
	struct request *rq;

	while ((rq = d->inflight_head) && rq->deadline_ns <= now) {
		enum stat_group g = op_stat_group(rq->op);
		u64 t = rq->deadline_ns;

		d->inflight_head = rq->next;
		if (!d->inflight_head)
			d->inflight_tail = NULL;
		d->nr_inflight--;
		d->stats.ios[g]++;
		d->stats.sectors[g] += rq->nr_sectors;
		d->stats.nsecs[g] += t - rq->start_ns;
		stat_busy(d, t, -1);
		if (rq->op == REQ_OP_FLUSH && d->path[0])
			fdatasync(d->fd);
		*tail = rq->bio;
		while (*tail)
			tail = &(*tail)->bi_next;
		free(rq);
		(*nr)++;
		dispatch(d, t);
	}
	return done;
}

static void end_bios(struct bio *bio)
{
	while (bio) {
		struct bio *next = bio->bi_next;

		bio->bi_next = NULL;
		bio_endio(bio);
		bio = next;
	}
}

unsigned int blk_clock_advanced(struct mmsim *m)
{
	unsigned int nr = 0;

	for (struct blk_dev_state *d = blk_state(m); d && d->ready;
	     d = __atomic_load_n(&d->next, __ATOMIC_ACQUIRE)) {
		struct bio *done;

		pthread_mutex_lock(&d->lock);
		done = complete_due_locked(d, clock_now(d), &nr);
		pthread_mutex_unlock(&d->lock);
		end_bios(done);
	}
	return nr;
}

void blk_complete_all(struct blk_dev_state *d)
{
	unsigned int nr = 0;
	struct bio *done;

	pthread_mutex_lock(&d->lock);
	for (unsigned int i = 0; i < 64; i++)
		if (d->plug[i]) {
			flush_plug_locked(d, d->plug[i]);
			d->plug[i] = NULL;
		}
	done = complete_due_locked(d, UINT64_MAX, &nr);
	pthread_mutex_unlock(&d->lock);
	end_bios(done);
}

u64 blk_next_completion(struct block_device *bdev)
{
	struct blk_dev_state *d = bdev->bd_disk->dev;
	u64 t;

	pthread_mutex_lock(&d->lock);
	/* 0 means "nothing in flight": a request due at time 0 (disk_latency=0
	 * at boot) reads as due at 1 ns, so a waiter still sees it. */
	t = d->inflight_head ? (d->inflight_head->deadline_ns ?: 1) : 0;
	pthread_mutex_unlock(&d->lock);
	return t;
}

unsigned int blk_nr_inflight(struct block_device *bdev)
{
	return __atomic_load_n(&bdev->bd_disk->dev->nr_inflight, __ATOMIC_RELAXED);
}

unsigned int blk_nr_queued(struct block_device *bdev)
{
	return __atomic_load_n(&bdev->bd_disk->dev->nr_queued, __ATOMIC_RELAXED);
}

void blk_read_stats(struct block_device *bdev, struct disk_stats *out, unsigned int *inflight)
{
	struct blk_dev_state *d = bdev->bd_disk->dev;

	pthread_mutex_lock(&d->lock);
	*out = d->stats;
	if (d->in_flight)
		out->io_ticks_ns += clock_now(d) - d->busy_since;
	*inflight = d->in_flight;
	pthread_mutex_unlock(&d->lock);
}

struct bio_wait {
	bool done;
};

static void submit_bio_wait_endio(struct bio *bio)
{
	struct bio_wait *w = bio->bi_private;

	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
}

int submit_bio_wait(struct bio *bio)
{
	struct blk_dev_state *d = bio_dev(bio);
	struct bio_wait w = { false };
	int slot = cpu_slot();

	bio->bi_private = &w;
	bio->bi_end_io = submit_bio_wait_endio;
	bio->bi_opf |= REQ_SYNC;
	submit_bio(bio);
	/* Sleeping flushes the plug (schedule -> blk_flush_plug). */
	pthread_mutex_lock(&d->lock);
	if (d->plug[slot])
		flush_plug_locked(d, d->plug[slot]);
	pthread_mutex_unlock(&d->lock);
	while (!__atomic_load_n(&w.done, __ATOMIC_ACQUIRE)) {
		u64 t = blk_next_completion(bio->bi_bdev), now = clock_now(d);

		if (WARN_ON_ONCE(!t))	/* not queued anywhere: a lost bio */
			return -EIO;
		/* Let virtual time pass to the next completion (io_schedule). */
		io_wait_advance_clock(d->m, t > now ? t - now : 0);
		if (t <= now)
			blk_clock_advanced(d->m);
	}
	return blk_status_to_errno(bio->bi_status);
}

/* Count a request list and check its shape; false (with a log line) if bad. */
static bool rq_list_ok(struct request *rq, struct request *tail, unsigned int *n, bool sorted)
{
	struct request *last = NULL;

	for (*n = 0; rq; last = rq, rq = rq->next, (*n)++) {
		unsigned int sectors = 0;

		for (struct bio *b = rq->bio; b; b = b->bi_next)
			sectors += bio_sectors(b);
		if (sectors != rq->nr_sectors) {
			pr_err("blk: request at sector %llu has %u sectors, its bios %u\n",
			       (unsigned long long)rq->sector, rq->nr_sectors, sectors);
			return false;
		}
		if (sorted && last && last->deadline_ns > rq->deadline_ns) {
			pr_err("blk: in-flight list out of deadline order\n");
			return false;
		}
	}
	if (last != tail) {
		pr_err("blk: request list tail mismatch\n");
		return false;
	}
	return true;
}

bool blk_queue_is_valid(struct block_device *bdev)
{
	struct blk_dev_state *d = bdev->bd_disk->dev;
	unsigned int ni, nq, np = 0, n;
	bool ok;

	pthread_mutex_lock(&d->lock);
	ok = rq_list_ok(d->inflight_head, d->inflight_tail, &ni, true) &&
	     rq_list_ok(d->queued_head, d->queued_tail, &nq, false);
	for (unsigned int i = 0; ok && i < 64; i++)
		if (d->plug[i]) {
			ok = rq_list_ok(d->plug[i]->rq_head, d->plug[i]->rq_tail, &n, false);
			np += n;
		}
	if (ok && (ni != d->nr_inflight || nq != d->nr_queued ||
		   (ni > d->q.nr_requests && nq) ||
		   ni + nq + np != d->in_flight)) {
		pr_err("blk: %u in flight (counted %u, depth %lu), %u queued (counted %u), "
		       "%u plugged, in_flight %u\n", ni, d->nr_inflight, d->q.nr_requests, nq,
		       d->nr_queued, np, d->in_flight);
		ok = false;
	}
	pthread_mutex_unlock(&d->lock);
	return ok;
}
