/* SPDX-License-Identifier: GPL-2.0 */
/*
 * block/blk.h - what block/blk-core.c and block/genhd.c share: the device
 * state (one per machine, the blkdev subsystem's state) and its requests.
 */
#ifndef MMSIM_BLOCK_BLK_H
#define MMSIM_BLOCK_BLK_H

#include <pthread.h>
#include <mmsim/blkdev.h>

#define VDA_MAJOR		253	/* virtio-blk's dynamic major on a typical machine */
#define BLK_DEF_NR_REQUESTS	64
#define BLK_DEF_MAX_SECTORS	2560	/* max_sectors_kb 1280 */

/* One request: bios of one op on adjacent sectors, bi_next-linked. */
struct request {
	struct request *next;		/* in the plug, the queue or in flight */
	enum req_op op;
	sector_t sector;
	unsigned int nr_sectors;
	struct bio *bio, *biotail;
	u64 start_ns;			/* created (accounting starts: blk_account_io_start) */
	u64 deadline_ns;		/* dispatched: completes at this virtual time */
};

struct blk_dev_state {
	/* Boot words (genhd.c), parsed before the initcalls. */
	u64 size;			/* disk=: bytes */
	char path[256];			/* disk=FILE:SIZE, or "" for a memfd */
	char word[300];			/* the disk= word as written, for errors */
	u64 latency_us;			/* disk_latency= */
	bool latency_set;

	/* The device (from the core initcall on). */
	struct mmsim *m;
	bool ready;
	int fd;				/* the bytes: a memfd or the host file */
	char *map;			/* a memfd's bytes mapped shared (blk_map_memfd), or
					 * NULL: pread/pwrite on fd (a host file) */
	unsigned long *populated;	/* map: bit c set once chunk c (BLK_MAP_CHUNK
					 * bytes) was populated for writing (atomic) */
	struct gendisk disk;
	struct block_device bdev;
	struct request_queue q;

	pthread_mutex_t lock;		/* everything below */
	struct request *queued_head, *queued_tail;	/* waiting for a slot (scheduler) */
	struct request *inflight_head, *inflight_tail;	/* dispatched, deadline order */
	unsigned int nr_inflight, nr_queued;
	unsigned int in_flight;		/* requests started and not completed (accounting) */
	u64 busy_since;			/* when in_flight last went 0 -> 1 */
	struct disk_stats stats;
	struct blk_plug *plug[64];	/* current->plug, per CPU (cpu % 64) */

	/* The machine's other disks (vdb, vdc, ...: blk_add_disk), linked from
	 * vda's state; appended at boot only, freed by blkdev_exit. */
	struct blk_dev_state *next;
	bool extra;			/* not vda: calloc'd, freed at exit */
};

#define BLK_MAP_CHUNK		(256u << 10)	/* populated at once on its first write */

struct blk_dev_state *blk_state(struct mmsim *m);
/* Map a memfd disk's bytes (d->fd, d->size) for the data copy; on failure
 * d->map stays NULL and the copy uses pread/pwrite. */
void blk_map_memfd(struct blk_dev_state *d);
void blk_unmap(struct blk_dev_state *d);
/* Complete what is due at @now; the bios to end are returned, bi_next-linked. */
void blk_complete_all(struct blk_dev_state *d);

#endif
