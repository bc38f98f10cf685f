// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_blkdev.c - block/: the machine's disk vda.  Bytes written
 * through bios read back identical (memfd and, across two boots, a host
 * file); a request completes disk_latency later in virtual time and not
 * before; sequential bios merge under a plug and while queued; at most
 * nr_requests are in flight; /proc/diskstats and /sys/block/vda/stat lines
 * exactly; pgpgin/pgpgout in KiB; the boot words' errors.
 */
#include <unistd.h>
#include <mmsim/blkdev.h>
#include <mmsim/highmem.h>
#include "mmtest.h"

#define KT_STR_EQ(got, want)						\
	do {								\
		const char *__g = (got), *__w = (want);			\
		if (!__g || strcmp(__g, __w)) {				\
			fprintf(stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n", \
				__FILE__, __LINE__, kt_cur_name, __g ? __g : "(null)", __w); \
			kt_cur_failed++;				\
		}							\
	} while (0)

static u64 now_ns(struct mmsim *m)
{
	return atomic_load(&m->hw.clock_ns);
}

static void fill(struct page *p, unsigned int seed)
{
	unsigned char *k = kmap_local_page(p);

	for (unsigned int i = 0; i < PAGE_SIZE; i++)
		k[i] = (unsigned char)(i * 7 + seed);
	kunmap_local(k);
}

static bool same(struct page *a, struct page *b)
{
	unsigned char *ka = kmap_local_page(a), *kb = kmap_local_page(b);
	bool eq = !memcmp(ka, kb, PAGE_SIZE);

	kunmap_local(kb);
	kunmap_local(ka);
	return eq;
}

/* One synchronous I/O of @n pages at @sector. */
static int rw_pages(struct block_device *bdev, blk_opf_t op, sector_t sector, struct page **pages,
		    unsigned int n)
{
	struct bio *bio = bio_alloc(bdev, (unsigned short)n, op, GFP_NOIO);
	int ret;

	bio->bi_iter.bi_sector = sector;
	for (unsigned int i = 0; i < n; i++)
		KT_EQ(bio_add_page(bio, pages[i], PAGE_SIZE, 0), (int)PAGE_SIZE);
	ret = submit_bio_wait(bio);
	bio_put(bio);
	return ret;
}

static unsigned int ended;

static void count_end(struct bio *bio)
{
	KT_EQ(bio->bi_status, BLK_STS_OK);
	ended++;
	bio_put(bio);
}

/* An asynchronous one-page read at @sector. */
static void read_async(struct block_device *bdev, sector_t sector, struct page *page)
{
	struct bio *bio = bio_alloc(bdev, 1, REQ_OP_READ, GFP_NOIO);

	bio->bi_iter.bi_sector = sector;
	bio_add_page(bio, page, PAGE_SIZE, 0);
	bio->bi_end_io = count_end;
	submit_bio(bio);
}

static long long vmstat_field(struct mmsim *m, const char *name)
{
	char *text = mmsim_read(m, "/proc/vmstat");
	long long v = field(text, name);

	free(text);
	return v;
}

/*
 * The disk's counters since @base (a /proc/diskstats or /sys/block/vda/stat
 * text read after boot: mounting the root file system reads its metadata),
 * printed as the file prints them (@sys: the width-8 stat file).  The
 * in-flight count (field 9) is shown as it is now, not as a difference.
 */
static char *stats_since(struct mmsim *m, const char *base, bool sys)
{
	char *now = mmsim_read(m, sys ? "/sys/block/vda/stat" : "/proc/diskstats");
	unsigned long long a[17], b[17];
	const char *pa = base, *pb = now;
	char *out = malloc(256);
	size_t n = 0;

	if (!sys) {
		pa = strstr(base, "vda ") + 4;
		pb = strstr(now, "vda ") + 4;
		n = (size_t)snprintf(out, 256, " 253       0 vda");
	}
	for (int i = 0; i < 17; i++) {
		a[i] = strtoull(pa, (char **)&pa, 10);
		b[i] = strtoull(pb, (char **)&pb, 10);
		unsigned long long v = i == 8 ? b[i] : b[i] - a[i];

		if (sys)
			n += (size_t)snprintf(out + n, 256 - n, "%s%8llu", i ? " " : "", v);
		else
			n += (size_t)snprintf(out + n, 256 - n, " %llu", v);
	}
	snprintf(out + n, 256 - n, "\n");
	free(now);
	return out;
}

static void test_roundtrip_latency_pgpg(void)
{
	struct mmsim *m = boot_or_die("ram=256M disk=64M disk_latency=250");
	struct block_device *bdev = mmsim_root_bdev(m);
	struct page *w[4], *r[4];
	long long in0, out0;
	u64 t0;

	KT_ASSERT(bdev);
	KT_EQ(bdev_nr_sectors(bdev), 64ull << 11);
	for (int i = 0; i < 4; i++) {
		w[i] = alloc_page(GFP_KERNEL);
		r[i] = alloc_page(GFP_KERNEL);
		fill(w[i], (unsigned int)i + 1);
	}
	in0 = vmstat_field(m, "pgpgin ");
	out0 = vmstat_field(m, "pgpgout ");
	t0 = now_ns(m);
	KT_EQ(rw_pages(bdev, REQ_OP_WRITE, 8, w, 4), 0);
	KT_EQ(now_ns(m) - t0, 250000);		/* one request, one latency */
	KT_EQ(rw_pages(bdev, REQ_OP_READ, 8, r, 4), 0);
	KT_EQ(now_ns(m) - t0, 500000);
	for (int i = 0; i < 4; i++)
		KT_ASSERT(same(w[i], r[i]));
	/* pgpgin/pgpgout in KiB: 16 KiB each way. */
	KT_EQ(vmstat_field(m, "pgpgin ") - in0, 4 * PAGE_SIZE / 1024);
	KT_EQ(vmstat_field(m, "pgpgout ") - out0, 4 * PAGE_SIZE / 1024);

	/* Not complete a nanosecond early, complete on time. */
	ended = 0;
	read_async(bdev, 1000, r[0]);
	KT_EQ(blk_nr_inflight(bdev), 1);
	mmsim_advance_clock(m, 249999);
	KT_EQ(ended, 0);
	mmsim_advance_clock(m, 1);
	KT_EQ(ended, 1);
	KT_EQ(blk_nr_inflight(bdev), 0);

	/* Beyond the end: -EIO and Linux's message. */
	{
		size_t mark = log_mark(m);
		char *log;

		KT_EQ(rw_pages(bdev, REQ_OP_READ, (64ull << 11) - 4, r, 1), -EIO);
		log = log_since(m, &mark);
		KT_STR_CONTAINS(log, "attempt to access beyond end of device");
		KT_STR_CONTAINS(log, "vda: rw=2048, sector=131068, nr_sectors = 8 limit=131072");
		free(log);
	}
	for (int i = 0; i < 4; i++) {
		__free_page(w[i]);
		__free_page(r[i]);
	}
	mmsim_shutdown(m);
}

static void test_merge_depth_diskstats(void)
{
	struct mmsim *m = boot_or_die("ram=256M disk=64M disk_latency=2000");
	struct block_device *bdev = mmsim_root_bdev(m);
	struct page *pages[80];
	struct blk_plug plug;
	char *text;
	char *base = mmsim_read(m, "/proc/diskstats");
	char *sysbase = mmsim_read(m, "/sys/block/vda/stat");

	for (int i = 0; i < 80; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	KT_EQ(rw_pages(bdev, REQ_OP_WRITE, 0, pages, 1), 0);

	/* Eight sequential reads under a plug: one request, seven merges. */
	ended = 0;
	blk_start_plug(&plug);
	for (int i = 0; i < 8; i++)
		read_async(bdev, 64 + (sector_t)i * 8, pages[i]);
	KT_EQ(blk_nr_inflight(bdev), 0);
	KT_ASSERT(blk_queue_is_valid(bdev));
	blk_finish_plug(&plug);
	KT_EQ(blk_nr_inflight(bdev), 1);
	mmsim_advance_clock(m, 2000000);
	KT_EQ(ended, 8);

	/* A flush is a request of its own. */
	{
		struct bio *bio = bio_alloc(bdev, 0, REQ_OP_FLUSH | REQ_PREFLUSH, GFP_NOIO);

		KT_EQ(submit_bio_wait(bio), 0);
		bio_put(bio);
	}
	text = stats_since(m, base, false);
	KT_STR_EQ(text, " 253       0 vda 1 7 64 2 1 0 8 2 0 6 6 0 0 0 0 1 2\n");
	free(text);
	text = stats_since(m, sysbase, true);
	KT_STR_EQ(text, "       1        7       64        2        1        0        8        2"
		  "        0        6        6        0        0        0        0        1        2\n");
	free(text);

	/* Queue depth: 70 scattered reads, 64 in flight, 6 wait. */
	ended = 0;
	for (int i = 0; i < 70; i++)
		read_async(bdev, 4096 + (sector_t)i * 64, pages[i]);
	KT_EQ(blk_nr_inflight(bdev), 64);
	KT_EQ(blk_nr_queued(bdev), 6);
	KT_ASSERT(blk_queue_is_valid(bdev));
	text = mmsim_read(m, "/proc/diskstats");
	KT_STR_CONTAINS(text, " 70 ");		/* ios_in_progress */
	free(text);
	mmsim_advance_clock(m, 2000000);
	KT_EQ(ended, 64);
	KT_EQ(blk_nr_inflight(bdev), 6);
	KT_EQ(blk_nr_queued(bdev), 0);
	mmsim_advance_clock(m, 2000000);
	KT_EQ(ended, 70);

	/* nr_requests=4: the fifth request waits, and sequential bios merge into it. */
	KT_EQ(mmsim_write(m, "/sys/block/vda/queue/nr_requests", "4"), 0);
	text = mmsim_read(m, "/sys/block/vda/queue/nr_requests");
	KT_STR_EQ(text, "4\n");
	free(text);
	ended = 0;
	for (int i = 0; i < 4; i++)
		read_async(bdev, 20000 + (sector_t)i * 64, pages[i]);
	for (int i = 0; i < 3; i++)
		read_async(bdev, 30000 + (sector_t)i * 8, pages[4 + i]);
	KT_EQ(blk_nr_inflight(bdev), 4);
	KT_EQ(blk_nr_queued(bdev), 1);
	KT_ASSERT(blk_queue_is_valid(bdev));
	mmsim_advance_clock(m, 4000000);
	KT_EQ(ended, 7);
	KT_ASSERT(blk_queue_is_valid(bdev));
	text = stats_since(m, base, false);
	/* reads: 1 + 70 + 4 + 1 requests, 7 + 2 merges, 64 + 70*8 + 4*8 + 24 sectors. */
	KT_STR_CONTAINS(text, "vda 76 9 680 ");
	free(text);
	for (int i = 0; i < 80; i++)
		__free_page(pages[i]);
	free(base);
	free(sysbase);
	mmsim_shutdown(m);
}

static void test_file_backed(void)
{
	char path[64], spec[128];
	struct page *w, *r;
	struct mmsim *m;

	snprintf(path, sizeof(path), "/tmp/mmsim-test-blkdev-%d.img", (int)getpid());
	unlink(path);
	snprintf(spec, sizeof(spec), "ram=128M disk=%s:8M", path);
	m = boot_or_die(spec);
	w = alloc_page(GFP_KERNEL);
	fill(w, 99);
	KT_EQ(rw_pages(mmsim_root_bdev(m), REQ_OP_WRITE, 2048, &w, 1), 0);
	__free_page(w);
	mmsim_shutdown(m);
	KT_EQ(access(path, F_OK), 0);

	m = boot_or_die(spec);
	w = alloc_page(GFP_KERNEL);
	r = alloc_page(GFP_KERNEL);
	fill(w, 99);
	KT_EQ(rw_pages(mmsim_root_bdev(m), REQ_OP_READ, 2048, &r, 1), 0);
	KT_ASSERT(same(w, r));
	__free_page(w);
	__free_page(r);
	mmsim_shutdown(m);

	snprintf(spec, sizeof(spec), "ram=128M disk=%s:16M", path);
	KT_ASSERT(mmsim_boot(spec) == NULL);
	KT_STR_CONTAINS(mmsim_last_error(), "holds 8388608 bytes, not 16777216");
	KT_STR_CONTAINS(mmsim_last_error(), "'disk=/tmp/mmsim-test-blkdev-");
	unlink(path);
}

/* i386: highmem pages have no address; the copy goes through kmap_local_page. */
static void test_highmem_pages(void)
{
	struct mmsim *m = boot_or_die("arch=i386 ram=1G disk=16M");
	struct page *w = alloc_page(GFP_HIGHUSER), *r = alloc_page(GFP_HIGHUSER);

	KT_ASSERT(PageHighMem(w) && PageHighMem(r));
	fill(w, 42);
	KT_EQ(rw_pages(mmsim_root_bdev(m), REQ_OP_WRITE, 0, &w, 1), 0);
	KT_EQ(rw_pages(mmsim_root_bdev(m), REQ_OP_READ, 0, &r, 1), 0);
	KT_ASSERT(same(w, r));
	/* Partial segments: (w+1024, 512) then (w+0, 1024) land in sectors 200..202. */
	{
		struct bio *bio = bio_alloc(mmsim_root_bdev(m), 2, REQ_OP_WRITE, GFP_NOIO);
		unsigned char *kw, *kr;

		bio->bi_iter.bi_sector = 200;
		KT_EQ(bio_add_page(bio, w, 512, 1024), 512);
		KT_EQ(bio_add_page(bio, w, 1024, 0), 1024);
		KT_EQ(bio_add_page(bio, w, 512, 0), 0);		/* full */
		KT_EQ(submit_bio_wait(bio), 0);
		bio_put(bio);
		KT_EQ(rw_pages(mmsim_root_bdev(m), REQ_OP_READ, 200, &r, 1), 0);
		kw = kmap_local_page(w);
		kr = kmap_local_page(r);
		KT_ASSERT(!memcmp(kr, kw + 1024, 512));
		KT_ASSERT(!memcmp(kr + 512, kw, 1024));
		kunmap_local(kr);
		kunmap_local(kw);
	}
	__free_page(w);
	__free_page(r);
	mmsim_shutdown(m);
}

static void expect_boot_error(const char *spec, const char *needle)
{
	struct mmsim *m = mmsim_boot(spec);

	KT_ASSERT(m == NULL);
	if (m)
		mmsim_shutdown(m);
	KT_STR_CONTAINS(mmsim_last_error(), needle);
}

static void test_defaults_and_errors(void)
{
	struct mmsim *m = boot_or_die("ram=128M");
	char *text = mmsim_read(m, "/sys/block/vda/size");
	size_t mark;

	KT_STR_EQ(text, "8388608\n");	/* 4G */
	free(text);
	/* Mounting the root file system read its superblock and bitmaps: no write. */
	text = mmsim_read(m, "/proc/diskstats");
	KT_STR_CONTAINS(text, " 253       0 vda ");
	KT_STR_CONTAINS(text, " 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n");
	free(text);
	text = mmsim_read(m, "/sys/block/vda/queue/nr_requests");
	KT_STR_EQ(text, "64\n");
	free(text);
	mark = 0;
	text = log_since(m, &mark);
	KT_STR_CONTAINS(text, "virtio_blk virtio0: [vda] 8388608 512-byte logical blocks "
			"(4.29 GB/4.00 GiB)\n");
	free(text);
	mmsim_shutdown(m);
	m = boot_or_die("ram=128M disk=1536M");
	mark = 0;
	text = log_since(m, &mark);
	KT_STR_CONTAINS(text, "[vda] 3145728 512-byte logical blocks (1.61 GB/1.50 GiB)\n");
	free(text);
	mmsim_shutdown(m);

	expect_boot_error("ram=128M disk=12Q", "'disk=12Q': invalid size");
	expect_boot_error("ram=128M disk=1000000", "'disk=1000000': not a multiple of 512 bytes");
	expect_boot_error("ram=128M disk=512", "'disk=512': too small");
	expect_boot_error("ram=128M disk=:8M", "'disk=:8M': file name missing");
	expect_boot_error("ram=128M disk=/nonexistent/dir/x.img:8M",
			  "'disk=/nonexistent/dir/x.img:8M': cannot open /nonexistent/dir/x.img");
	expect_boot_error("ram=128M disk_latency=-1", "'disk_latency=-1': invalid value");
	expect_boot_error("ram=128M disk_latency=abc", "'disk_latency=abc': invalid value");
}

/* disk_latency=0: requests due at time 0 at boot still complete (a fuzz
 * finding: the "nothing in flight" 0 hid them, the mount read failed and the
 * bio was freed while queued). */
static void test_zero_latency_boot(void)
{
	struct mmsim *m = boot_or_die("ram=64M disk=64M disk_latency=0");
	char *log = mmsim_read(m, "/dev/kmsg");

	KT_ASSERT(log);
	KT_ASSERT(!strstr(log, "I/O error"));
	KT_ASSERT(!strstr(log, "WARNING"));
	KT_ASSERT(strstr(log, "Mounted root"));
	free(log);
	mmsim_shutdown(m);
}

int main(void)
{
	KT_RUN(test_roundtrip_latency_pgpg);
	KT_RUN(test_merge_depth_diskstats);
	KT_RUN(test_file_backed);
	KT_RUN(test_highmem_pages);
	KT_RUN(test_defaults_and_errors);
	KT_RUN(test_zero_latency_boot);
	return kt_done();
}
