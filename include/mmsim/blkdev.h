/* SPDX-License-Identifier: GPL-2.0 */
/*
 * blkdev.h - the machine's disk, in Linux's shapes (<linux/blkdev.h>,
 * <linux/bio.h>, <linux/blk_types.h>): a gendisk "vda" (virtio-blk's name)
 * with its block_device, a request queue, and bios of (page, len, offset)
 * segments submitted with submit_bio() and completed in virtual time.
 * docs/block.md has the design and what is simplified.
 *
 * Sectors are 512 bytes (SECTOR_SHIFT), whatever the page size.
 */
#ifndef MMSIM_BLKDEV_H
#define MMSIM_BLKDEV_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>	/* dev_t */
#include <mmsim/types.h>

struct mmsim;
struct page;
struct gendisk;
struct blk_dev_state;
struct backing_dev_info;


typedef u8 blk_status_t;
typedef unsigned int blk_opf_t;

#define SECTOR_SHIFT		9
#define SECTOR_SIZE		(1u << SECTOR_SHIFT)
#define MINORBITS		20
#define MKDEV(ma, mi)		(((dev_t)(ma) << MINORBITS) | (dev_t)(mi))
#define MAJOR(dev)		((unsigned int)((dev) >> MINORBITS))
#define MINOR(dev)		((unsigned int)((dev) & ((1u << MINORBITS) - 1)))

/* blk_status_t values (include/linux/blk_types.h). */
#define BLK_STS_OK		0
#define BLK_STS_NOTSUPP		1
#define BLK_STS_IOERR		10

/* bi_opf: the operation in the low 8 bits, then flags (enum req_flag_bits). */
enum req_op {
	REQ_OP_READ = 0,
	REQ_OP_WRITE = 1,
	REQ_OP_FLUSH = 2,
	REQ_OP_DISCARD = 3,
};
#define REQ_OP_BITS		8
#define REQ_OP_MASK		((1u << REQ_OP_BITS) - 1)
#define REQ_FAILFAST_DEV	(1u << 8)
#define REQ_SYNC		(1u << 11)
#define REQ_META		(1u << 12)
#define REQ_PRIO		(1u << 13)
#define REQ_NOMERGE		(1u << 14)
#define REQ_IDLE		(1u << 15)
#define REQ_FUA			(1u << 17)
#define REQ_PREFLUSH		(1u << 18)
#define REQ_RAHEAD		(1u << 19)

static inline enum req_op bio_op_of(blk_opf_t opf) { return (enum req_op)(opf & REQ_OP_MASK); }
static inline bool op_is_write(blk_opf_t opf) { return opf & 1; }

#define BIO_MAX_VECS		256

struct bio_vec {
	struct page *bv_page;
	unsigned int bv_len;
	unsigned int bv_offset;
};

struct bvec_iter {
	sector_t bi_sector;		/* device address in 512-byte sectors */
	unsigned int bi_size;		/* residual I/O count in bytes */
	unsigned int bi_idx;		/* current index into bvl_vec */
};

struct bio;
typedef void (bio_end_io_t)(struct bio *);

struct bio {
	struct bio *bi_next;		/* the request's list of bios */
	struct block_device *bi_bdev;
	blk_opf_t bi_opf;
	blk_status_t bi_status;
	struct bvec_iter bi_iter;
	bio_end_io_t *bi_end_io;
	void *bi_private;
	unsigned short bi_vcnt;		/* how many bio_vecs are filled */
	unsigned short bi_max_vecs;
	int __bi_cnt;			/* references (bio_get/bio_put) */
	struct bio_vec *bi_io_vec;
	struct bio_vec bi_inline_vecs[];
};

#define bio_op(bio)		bio_op_of((bio)->bi_opf)
#define bio_sectors(bio)	((bio)->bi_iter.bi_size >> SECTOR_SHIFT)
#define bio_end_sector(bio)	((bio)->bi_iter.bi_sector + bio_sectors(bio))
#define bio_for_each_bvec_all(bv, bio, i) \
	for ((i) = 0, (bv) = (bio)->bi_io_vec; (i) < (bio)->bi_vcnt; (i)++, (bv)++)

/* The statistics groups of /proc/diskstats (enum stat_group). */
enum stat_group { STAT_READ, STAT_WRITE, STAT_DISCARD, STAT_FLUSH, NR_STAT_GROUPS };

/* struct disk_stats: what part_stat_read() sums; io_ticks kept in ns here. */
struct disk_stats {
	u64 nsecs[NR_STAT_GROUPS];
	unsigned long sectors[NR_STAT_GROUPS];
	unsigned long ios[NR_STAT_GROUPS];
	unsigned long merges[NR_STAT_GROUPS];
	u64 io_ticks_ns;
};

struct request_queue {
	unsigned long nr_requests;	/* requests the device holds at once (queue depth) */
	unsigned int max_sectors;	/* the largest request, max_sectors_kb * 2 */
	unsigned int logical_block_size;
	u64 latency_ns;			/* disk_latency=: the virtual time one request costs */
};

struct block_device {
	dev_t bd_dev;
	struct gendisk *bd_disk;
};

struct gendisk {
	int major;
	int first_minor;
	char disk_name[32];
	sector_t capacity;		/* in 512-byte sectors */
	struct request_queue *queue;
	struct block_device *part0;
	struct blk_dev_state *dev;	/* mmsim: the device behind it */
	struct backing_dev_info *bdi;	/* its writeback and read-ahead (mm/backing-dev.c) */
};

static inline sector_t get_capacity(const struct gendisk *disk) { return disk->capacity; }
static inline sector_t bdev_nr_sectors(const struct block_device *bdev)
{
	return bdev->bd_disk->capacity;
}

/*
 * bio_alloc - a bio for @nr_vecs segments (at most BIO_MAX_VECS) with one
 * reference; never fails for a valid @nr_vecs (Linux's mempool promise).
 */
struct bio *bio_alloc(struct block_device *bdev, unsigned short nr_vecs, blk_opf_t opf, gfp_t gfp);
void bio_get(struct bio *bio);
void bio_put(struct bio *bio);
/* Add @len bytes of @page from @off; returns @len, or 0 when the bio is full. */
int bio_add_page(struct bio *bio, struct page *page, unsigned int len, unsigned int off);
/* Start the I/O; bi_end_io runs when the virtual clock reaches its completion. */
void submit_bio(struct bio *bio);
/* Submit and wait: lets virtual time pass until the bio completes; 0 or -EIO. */
int submit_bio_wait(struct bio *bio);
void bio_endio(struct bio *bio);
int blk_status_to_errno(blk_status_t status);

/* Plugging (blk_start_plug): bios of the CPU queue up, merged, until finish. */
struct blk_plug {
	struct blk_plug *prev;		/* mmsim: the plug this one nests in */
	void *rq_head, *rq_tail;	/* requests held, in submission order */
};
void blk_start_plug(struct blk_plug *plug);
void blk_finish_plug(struct blk_plug *plug);

/* Building page-cache bios (block/bdev.c): a run of pages contiguous on
 * disk goes out as one bio; the write completion ends each folio's writeback. */
struct bio *bio_add_page_run(struct bio *bio, struct block_device *bdev, blk_opf_t opf,
			     bio_end_io_t *end_io, struct page *page, unsigned int len,
			     sector_t sector);
void mpage_write_end_io(struct bio *bio);

/* Pages in the block devices' own page cache (meminfo Buffers; block/bdev.c). */
long nr_blockdev_pages(void);
/* The block device's inode: its mapping caches the disk's blocks (block/bdev.c). */
struct inode *bdev_inode(struct block_device *bdev);

/* mmsim: the disk under `/`, or NULL before the block layer is up. */
struct block_device *mmsim_root_bdev(struct mmsim *m);
/*
 * mmsim: another virtio disk of the machine (vdb, vdc, ... in order: major
 * 253, minors 16, 32, ...), @bytes (a multiple of 512) in a sparse memfd,
 * with the machine's disk_latency; it shows in /proc/diskstats.  Called
 * during boot (the swap= areas); gone with the machine.  NULL, with a
 * message in @err, if it cannot be made.
 */
struct block_device *blk_add_disk(struct mmsim *m, u64 bytes, char *err, size_t len);
/* mmsim: the machine's disk named @name ("vda", "vdb"), or NULL. */
struct block_device *blk_lookup_disk(struct mmsim *m, const char *name);
/* mmsim: the earliest completion queued on any of the machine's disks (0 if idle). */
u64 blk_machine_next_completion(struct mmsim *m);

/*
 * mmsim: complete every request whose completion time the virtual clock has
 * reached (called by mmsim_advance_clock).  Returns how many completed.
 */
unsigned int blk_clock_advanced(struct mmsim *m);
/* mmsim: the earliest completion time queued (virtual ns), or 0 if idle. */
u64 blk_next_completion(struct block_device *bdev);
/* mmsim: requests in flight and waiting for a slot, as the tests see them. */
unsigned int blk_nr_inflight(struct block_device *bdev);
unsigned int blk_nr_queued(struct block_device *bdev);
/*
 * mmsim: the queue's invariants (block/blk-core.c's header): list lengths,
 * depth, deadline order, in_flight, request sizes.  False, with a log line
 * saying what is wrong, if one fails.
 */
bool blk_queue_is_valid(struct block_device *bdev);
/* mmsim: a copy of the device's counters (part_stat_read_all). */
void blk_read_stats(struct block_device *bdev, struct disk_stats *out, unsigned int *inflight);

#endif
