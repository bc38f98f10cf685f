// SPDX-License-Identifier: GPL-2.0
/*
 * block/genhd.c - the machine's disk "vda": its boot words, its bytes, and
 * its counters in /proc/diskstats and /sys/block/vda/ (Linux's
 * block/genhd.c, block/blk-sysfs.c, drivers/block/virtio_blk.c).
 *
 * Boot words (docs/boot-spec.md):
 *   disk=SIZE        a disk of SIZE bytes (default 4G) whose bytes live in a
 *                    sparse host memfd, gone with the machine;
 *   disk=FILE:SIZE   the bytes live in host file FILE, kept after the run:
 *                    created (sparse, ftruncate) if missing; an existing
 *                    file must have exactly SIZE bytes (a disk does not
 *                    change size under its file system), else boot fails
 *                    with one line naming the word;
 *   disk_latency=US  the virtual time one request costs (default 100 us).
 * SIZE is a multiple of 512 (sectors), at least 1M.
 *
 * More disks: blk_add_disk() makes vdb, vdc, ... (253:16, 253:32, ...)
 * for the swap= areas at boot: memfd-backed, the same latency and queue
 * depth, linked from vda's state (d->next), each with its own queue and
 * counters; /proc/diskstats lists them all, the clock completes them all.
 *
 * A memfd disk's bytes are also mapped shared into the host (d->map,
 * blk_map_memfd in blk-core.c) and bios copy through that mapping with
 * memcpy instead of one pread/pwrite system call per page; a host file
 * keeps pread/pwrite (and fdatasync on a flush).  Either way the disk's
 * bytes are the fd's: whoever reads the fd (mkfs, a test) sees them.
 *
 * Locking: the device state is built by the core initcall before anything
 * submits and torn down by its exit after everything stopped; the counters
 * are read under d->lock (blk_read_stats).
 * Invariants: d->ready iff d->fd is open and d->disk describes it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <mmsim/proc_fs.h>
#include <mmsim/seq_file.h>
#include "init/init.h"
#include "init/machine.h"
#include "lib/cmdline.h"
#include "lib/string_helpers.h"
#include <mmsim/printk.h>
#include "block/blk.h"
#include <mmsim/backing-dev.h>

#define DISK_DEFAULT_SIZE	(4ull << 30)
#define DISK_DEFAULT_LATENCY_US	100
#define DISK_MIN_SIZE		(1ull << 20)

struct blk_dev_state *blk_state(struct mmsim *m)
{
	return m && m->subsys_state ? subsys_state(m, blkdev) : NULL;
}

struct block_device *mmsim_root_bdev(struct mmsim *m)
{
	struct blk_dev_state *d = blk_state(m);

	return d && d->ready ? &d->bdev : NULL;
}

static int parse_disk_size(const char *s, const char *word, u64 *out, char *err, size_t len)
{
	int ret = memparse_strict(s, out);

	if (ret || !*s)
		return cmdline_fail(err, len, "'%s': invalid size", word);
	if (*out % SECTOR_SIZE)
		return cmdline_fail(err, len, "'%s': not a multiple of 512 bytes", word);
	if (*out < DISK_MIN_SIZE)
		return cmdline_fail(err, len, "'%s': too small: a disk has at least 1M", word);
	if (*out > (1ull << 50))
		return cmdline_fail(err, len, "'%s': too large: at most 1P", word);
	return 0;
}

/* disk=SIZE or disk=FILE:SIZE (the last ':' splits: a FILE may hold ':'). */
static int setup_disk(void *state, const struct kernel_param *kp, const char *word,
		      const char *val, char *err, size_t len)
{
	struct blk_dev_state *d = state;
	const char *colon = strrchr(val, ':');

	(void)kp;
	snprintf(d->word, sizeof(d->word), "%s", word);
	if (!*val)
		return cmdline_fail(err, len, "'%s': value missing", word);
	if (colon) {
		size_t n = (size_t)(colon - val);

		if (!n)
			return cmdline_fail(err, len, "'%s': file name missing", word);
		if (n >= sizeof(d->path))
			return cmdline_fail(err, len, "'%s': file name too long", word);
		memcpy(d->path, val, n);
		d->path[n] = '\0';
		return parse_disk_size(colon + 1, word, &d->size, err, len);
	}
	d->path[0] = '\0';
	return parse_disk_size(val, word, &d->size, err, len);
}

static int setup_disk_latency(void *state, const struct kernel_param *kp, const char *word,
			      const char *val, char *err, size_t len)
{
	struct blk_dev_state *d = state;
	long us;

	(void)kp;
	if (cmdline_int(val, 0, 10L * 1000 * 1000, &us))
		return cmdline_fail(err, len, "'%s': invalid value (microseconds, 0 to 10000000)", word);
	d->latency_us = (u64)us;
	d->latency_set = true;
	return 0;
}

static const struct kernel_param blkdev_params[] = {
	__setup("disk", setup_disk),
	__setup("disk_latency", setup_disk_latency),
};

static int open_disk(struct blk_dev_state *d, char *err, size_t len)
{
	struct stat st;

	if (!d->path[0]) {
		d->fd = memfd_create("mmsim-disk", MFD_CLOEXEC);
		if (d->fd < 0 || ftruncate(d->fd, (off_t)d->size))
			return cmdline_fail(err, len, "'disk=%llu': cannot make its memfd: %s",
					    (unsigned long long)d->size, strerror(errno));
		blk_map_memfd(d);
		return 0;
	}
	d->fd = open(d->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (d->fd < 0)
		return cmdline_fail(err, len, "'%s': cannot open %s: %s", d->word, d->path,
				    strerror(errno));
	if (fstat(d->fd, &st) || !S_ISREG(st.st_mode))
		return cmdline_fail(err, len, "'%s': %s is not a regular file", d->word, d->path);
	if (st.st_size == 0) {
		if (ftruncate(d->fd, (off_t)d->size))
			return cmdline_fail(err, len, "'%s': cannot size %s: %s", d->word,
					    d->path, strerror(errno));
	} else if ((u64)st.st_size != d->size) {
		return cmdline_fail(err, len, "'%s': %s holds %llu bytes, not %llu", d->word,
				    d->path, (unsigned long long)st.st_size,
				    (unsigned long long)d->size);
	}
	return 0;
}

/* Tear down one disk: what is queued ends now, its bytes go. */
static void disk_release(struct blk_dev_state *d)
{
	blk_complete_all(d);	/* the machine stops: what is queued ends now */
	d->ready = false;
	if (d->disk.bdi)
		bdi_put(d->disk.bdi);	/* its flusher stops */
	d->disk.bdi = NULL;
	if (d->path[0])
		fsync(d->fd);
	blk_unmap(d);
	close(d->fd);
	d->fd = -1;
	pthread_mutex_destroy(&d->lock);
}

static void blkdev_exit(struct mmsim *m)
{
	struct blk_dev_state *d = blk_state(m), *x, *next;

	if (!d->ready)
		return;
	for (x = d->next; x; x = next) {
		next = x->next;
		disk_release(x);
		free(x);
	}
	d->next = NULL;
	disk_release(d);
}

/* The queue and gendisk of a disk whose fd is open. */
static void disk_setup(struct blk_dev_state *d, const char *name, int minor)
{
	pthread_mutex_init(&d->lock, NULL);
	d->q = (struct request_queue){
		.nr_requests = BLK_DEF_NR_REQUESTS,
		.max_sectors = BLK_DEF_MAX_SECTORS,
		.logical_block_size = SECTOR_SIZE,
		.latency_ns = d->latency_us * 1000,
	};
	d->disk = (struct gendisk){
		.major = VDA_MAJOR,
		.first_minor = minor,
		.capacity = d->size >> SECTOR_SHIFT,
		.queue = &d->q,
		.part0 = &d->bdev,
		.dev = d,
	};
	snprintf(d->disk.disk_name, sizeof(d->disk.disk_name), "%s", name);
	d->bdev = (struct block_device){ .bd_dev = MKDEV(VDA_MAJOR, minor), .bd_disk = &d->disk };
}

static int blkdev_init(struct mmsim *m, char *err, size_t len)
{
	struct blk_dev_state *d = blk_state(m);
	int ret;

	d->m = m;
	d->fd = -1;
	if (!d->size)
		d->size = DISK_DEFAULT_SIZE;
	if (!d->latency_set)
		d->latency_us = DISK_DEFAULT_LATENCY_US;
	ret = open_disk(d, err, len);
	if (ret) {
		if (d->fd >= 0)
			close(d->fd);
		d->fd = -1;
		return ret;
	}
	disk_setup(d, "vda", 0);
	d->disk.bdi = bdi_alloc("253:0");	/* /sys/class/bdi/253:0 (MAJOR:MINOR) */
	if (!d->disk.bdi) {
		blk_unmap(d);
		close(d->fd);
		d->fd = -1;
		pthread_mutex_destroy(&d->lock);
		return cmdline_fail(err, len, "vda: cannot allocate its backing_dev_info");
	}
	d->disk.bdi->io_pages = d->q.max_sectors / (PAGE_SIZE >> SECTOR_SHIFT);
	d->ready = true;
	return 0;
}

struct block_device *blk_add_disk(struct mmsim *m, u64 bytes, char *err, size_t len)
{
	struct blk_dev_state *vda = blk_state(m), *d, **tail;
	int idx = 1;
	char name[8];

	if (!vda || !vda->ready) {
		cmdline_fail(err, len, "block layer not up");
		return NULL;
	}
	for (tail = &vda->next; *tail; tail = &(*tail)->next)
		idx++;
	if (idx >= 26) {
		cmdline_fail(err, len, "virtio_blk: too many disks");
		return NULL;
	}
	snprintf(name, sizeof(name), "vd%c", 'a' + idx);
	if (!bytes || bytes % SECTOR_SIZE) {
		cmdline_fail(err, len, "%s: invalid size", name);
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d) {
		cmdline_fail(err, len, "%s: out of memory", name);
		return NULL;
	}
	d->m = m;
	d->extra = true;
	d->size = bytes;
	d->latency_us = vda->latency_us;
	d->fd = memfd_create("mmsim-disk", MFD_CLOEXEC);
	if (d->fd < 0 || ftruncate(d->fd, (off_t)bytes)) {
		cmdline_fail(err, len, "%s: cannot make its memfd: %s", name, strerror(errno));
		if (d->fd >= 0)
			close(d->fd);
		free(d);
		return NULL;
	}
	blk_map_memfd(d);
	disk_setup(d, name, idx * 16);	/* virtio_blk: 16 minors a disk */
	d->ready = true;
	__atomic_store_n(tail, d, __ATOMIC_RELEASE);
	{
		char cap2[16], cap10[16];

		string_get_size(d->disk.capacity, d->q.logical_block_size, STRING_UNITS_2, cap2,
				sizeof(cap2));
		string_get_size(d->disk.capacity, d->q.logical_block_size, STRING_UNITS_10, cap10,
				sizeof(cap10));
		pr_notice("virtio_blk virtio%d: [%s] %llu %u-byte logical blocks (%s/%s)\n", idx, name,
			  (unsigned long long)d->disk.capacity, d->q.logical_block_size, cap10, cap2);
	}
	return &d->bdev;
}

struct block_device *blk_lookup_disk(struct mmsim *m, const char *name)
{
	for (struct blk_dev_state *d = blk_state(m); d && d->ready;
	     d = __atomic_load_n(&d->next, __ATOMIC_ACQUIRE))
		if (!strcmp(d->disk.disk_name, name))
			return &d->bdev;
	return NULL;
}

u64 blk_machine_next_completion(struct mmsim *m)
{
	u64 best = 0;

	for (struct blk_dev_state *d = blk_state(m); d && d->ready;
	     d = __atomic_load_n(&d->next, __ATOMIC_ACQUIRE)) {
		u64 t = blk_next_completion(&d->bdev);

		if (t && (!best || t < best))
			best = t;
	}
	return best;
}

/*
 * The 17 counters of a disk, as diskstats_show and part_stat_show print
 * them: @width 0 for /proc/diskstats (single spaces), 8 for the sysfs
 * stat file (%8 columns).  Times in ms.
 */
static void show_disk_stats(struct seq_file *sf, struct block_device *bdev, int w)
{
	struct disk_stats st;
	unsigned int inflight;
	u64 all;

	blk_read_stats(bdev, &st, &inflight);
	all = st.nsecs[STAT_READ] + st.nsecs[STAT_WRITE] + st.nsecs[STAT_DISCARD] +
	      st.nsecs[STAT_FLUSH];
	seq_printf(sf, "%*lu %*lu %*lu %*u "
		   "%*lu %*lu %*lu %*u "
		   "%*u %*u %*u "
		   "%*lu %*lu %*lu %*u "
		   "%*lu %*u\n",
		   w, st.ios[STAT_READ], w, st.merges[STAT_READ], w, st.sectors[STAT_READ],
		   w, (unsigned int)(st.nsecs[STAT_READ] / 1000000),
		   w, st.ios[STAT_WRITE], w, st.merges[STAT_WRITE], w, st.sectors[STAT_WRITE],
		   w, (unsigned int)(st.nsecs[STAT_WRITE] / 1000000),
		   w, inflight, w, (unsigned int)(st.io_ticks_ns / 1000000),
		   w, (unsigned int)(all / 1000000),
		   w, st.ios[STAT_DISCARD], w, st.merges[STAT_DISCARD], w, st.sectors[STAT_DISCARD],
		   w, (unsigned int)(st.nsecs[STAT_DISCARD] / 1000000),
		   w, st.ios[STAT_FLUSH], w, (unsigned int)(st.nsecs[STAT_FLUSH] / 1000000));
}

/* /proc/diskstats: diskstats_show, 17 fields after the name, 20 in all (Linux 5.5+). */
static int diskstats_show(struct seq_file *sf, struct proc_file *f)
{
	for (struct blk_dev_state *d = blk_state(f->m); d && d->ready;
	     d = __atomic_load_n(&d->next, __ATOMIC_ACQUIRE)) {
		seq_printf(sf, "%4d %7d %s ", d->disk.major, d->disk.first_minor,
			   d->disk.disk_name);
		show_disk_stats(sf, &d->bdev, 0);
	}
	return 0;
}

/* /sys/block/vda/stat: part_stat_show, the same counters in %8 columns. */
static int sys_stat_show(struct seq_file *sf, struct proc_file *f)
{
	struct blk_dev_state *d = blk_state(f->m);

	show_disk_stats(sf, &d->bdev, 8);
	return 0;
}

static int sys_size_show(struct seq_file *sf, struct proc_file *f)
{
	seq_printf(sf, "%llu\n", (unsigned long long)blk_state(f->m)->disk.capacity);
	return 0;
}

static int nr_requests_show(struct seq_file *sf, struct proc_file *f)
{
	seq_printf(sf, "%lu\n", blk_state(f->m)->q.nr_requests);
	return 0;
}

/* queue/nr_requests is writable in Linux: 4 (BLKDEV_MIN_RQ) and up. */
static int nr_requests_store(struct proc_file *f, const char *text)
{
	struct blk_dev_state *d = blk_state(f->m);
	long v;
	char buf[32];

	snprintf(buf, sizeof(buf), "%s", text);
	buf[strcspn(buf, "\n")] = '\0';
	if (cmdline_int(buf, 1, 1 << 20, &v))
		return -EINVAL;
	pthread_mutex_lock(&d->lock);
	d->q.nr_requests = v < 4 ? 4 : (unsigned long)v;
	pthread_mutex_unlock(&d->lock);
	return 0;
}

static int max_sectors_kb_show(struct seq_file *sf, struct proc_file *f)
{
	seq_printf(sf, "%u\n", blk_state(f->m)->q.max_sectors / 2);
	return 0;
}

static int lbs_show(struct seq_file *sf, struct proc_file *f)
{
	seq_printf(sf, "%u\n", blk_state(f->m)->q.logical_block_size);
	return 0;
}

/* read_ahead_kb (queue/ and /sys/class/bdi/253:0/): the bdi's ra_pages in KiB. */
static int read_ahead_kb_show(struct seq_file *sf, struct proc_file *f)
{
	struct backing_dev_info *bdi = blk_state(f->m)->disk.bdi;

	seq_printf(sf, "%lu\n", __atomic_load_n(&bdi->ra_pages, __ATOMIC_RELAXED) *
		   (PAGE_SIZE / 1024));
	return 0;
}

static int read_ahead_kb_store(struct proc_file *f, const char *text)
{
	struct backing_dev_info *bdi = blk_state(f->m)->disk.bdi;
	unsigned long kb;
	char buf[32], *end;

	snprintf(buf, sizeof(buf), "%s", text);
	buf[strcspn(buf, "\n")] = '\0';
	if (!buf[0] || buf[0] == '-')
		return -EINVAL;
	errno = 0;
	kb = strtoul(buf, &end, 10);
	if (errno || *end)
		return -EINVAL;
	__atomic_store_n(&bdi->ra_pages, kb / (PAGE_SIZE / 1024), __ATOMIC_RELAXED);
	return 0;
}

static const struct proc_entry blkdev_files[] = {
	{ "/proc/diskstats", diskstats_show, NULL, NULL },
	{ "/sys/block/vda/stat", sys_stat_show, NULL, NULL },
	{ "/sys/block/vda/size", sys_size_show, NULL, NULL },
	{ "/sys/block/vda/queue/nr_requests", nr_requests_show, nr_requests_store, NULL },
	{ "/sys/block/vda/queue/max_sectors_kb", max_sectors_kb_show, NULL, NULL },
	{ "/sys/block/vda/queue/logical_block_size", lbs_show, NULL, NULL },
	{ "/sys/block/vda/queue/read_ahead_kb", read_ahead_kb_show, read_ahead_kb_store, NULL },
	{ "/sys/class/bdi/253:0/read_ahead_kb", read_ahead_kb_show, read_ahead_kb_store, NULL },
};

static int blkdev_proc_init(struct mmsim *m, char *err, size_t len)
{
	(void)m, (void)err, (void)len;
	return proc_create_table(blkdev_files);
}

/* virtio_blk's probe line (virtblk_update_capacity), at module_init time. */
static int virtblk_probe(struct mmsim *m, char *err, size_t len)
{
	struct blk_dev_state *d = blk_state(m);
	char cap_str_2[16], cap_str_10[16];
	u64 nblocks = d->disk.capacity;

	(void)err, (void)len;
	string_get_size(nblocks, d->q.logical_block_size, STRING_UNITS_2, cap_str_2,
			sizeof(cap_str_2));
	string_get_size(nblocks, d->q.logical_block_size, STRING_UNITS_10, cap_str_10,
			sizeof(cap_str_10));
	pr_notice("virtio_blk virtio0: [%s] %llu %u-byte logical blocks (%s/%s)\n",
		  d->disk.disk_name, (unsigned long long)nblocks, d->q.logical_block_size,
		  cap_str_10, cap_str_2);
	return 0;
}

static const struct initcall blkdev_initcalls[] = {
	core_initcall(blkdev_init, blkdev_exit),
	device_initcall(virtblk_probe, NULL),
	fs_initcall(blkdev_proc_init, NULL),
};

DEFINE_SUBSYSTEM(blkdev, SUBSYS_STATE(struct blk_dev_state, NULL),
		 SUBSYS_PARAMS(blkdev_params), SUBSYS_INITCALLS(blkdev_initcalls));
