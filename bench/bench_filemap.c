// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_filemap.c - the page cache's paths, each against the host
 * kernel doing the same in the same run:
 *
 *   cached read         sys_pread64 of a file that is in the cache, in
 *                       chunks of 4 KiB, 64 KiB and 1 MiB, into a buffer of
 *                       the task (copy_to_user through the simulated MMU);
 *                       host: pread(2) of a host file in its page cache (a
 *                       file of /dev/shm, tmpfs, or else one of /tmp read
 *                       once), into a host buffer.  Reported per call and
 *                       as GB/s.
 *   cold mmap scan      per MiB: drop the file's clean pages (sync, then
 *                       echo 1 > /proc/sys/vm/drop_caches), mmap the file,
 *                       read one byte of every page (a major fault each, or
 *                       a minor one where fault-around or readahead mapped
 *                       it), munmap; host: posix_fadvise(POSIX_FADV_DONTNEED)
 *                       on a host file of /var/tmp (or /tmp), mmap, touch,
 *                       munmap.  Where the host cannot drop the file (tmpfs
 *                       keeps its pages: mincore says they stayed) the row
 *                       says so: its host figure is then a warm scan.  The
 *                       simulated disk's time is virtual: the row gives the
 *                       virtual ms per MiB as well.
 *   page-cache lookup   filemap_get_folio + put_page at random indices of a
 *                       1 GiB file (262,144 cached pages, an XArray three
 *                       levels deep); reference: xa_load on a bare XArray
 *                       holding the same indices.
 *
 * What the references are.  The cached read's host pread is the same work:
 * a copy out of a page cache that holds the file.  The cold scan's host
 * figure is not: the host's faults wait for its real device (or, where it
 * cannot drop the file, do not read at all), while mmsim's simulated disk
 * costs virtual time only, which the row gives beside its host time; the
 * row is there to show the host cost of mmsim's fault and readahead paths,
 * not to compare disks.  The lookup's bare xa_load is a limit, not a peer:
 * the XArray walk filemap_get_folio does, without taking and dropping a
 * folio reference and checking it against the mapping.
 *
 * Each cell is the median of BENCH_REPS timed runs and their range
 * [lowest..highest], the two loops of a row taking turns; a ratio "(x0.8)"
 * is mmsim's median over the reference's median: below 1, mmsim is faster.
 * Method: bench/bench_common.h.  If the mmsim file cannot be written, the
 * rows that read it print why and are skipped; any other failure stops the
 * bench with the call that failed.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include "bench_common.h"
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/err.h>
#include <mmsim/gfp.h>
#include <mmsim/rmap.h>
#include <mmsim/pagemap.h>

#define FILE_BYTES	(16UL << 20)	/* the read and scan file */
#define LOOKUP_PAGES	(1UL << 18)	/* 1 GiB of 4 KiB pages */
#define NR_PROBE	4096

/* The mmsim file's flags: <mmsim/fcntl.h> would clash with the host's <fcntl.h>. */
#define MM_O_RDONLY	00
#define MM_O_RDWR	02
#define MM_O_CREAT	0100
#define MM_O_TRUNC	01000

struct ctx {
	struct mmsim *m;
	int fd;				/* mmsim file, FILE_BYTES */
	unsigned long ubuf;		/* the task's 1 MiB buffer */
	size_t chunk;
	int hfd;			/* host file, FILE_BYTES */
	char *hbuf;
	struct address_space *as;	/* the 1 GiB mapping */
	struct xarray bare;
	unsigned long *probe;
	uint64_t virt_ns;		/* virtual time of the cold scans */
	long scans;
};

static void die(const char *what, long err)
{
	fprintf(stderr, "bench_filemap: %s failed (%ld)\n", what, err);
	exit(1);
}

/* Time two loops against each other into @ms (mmsim's, the reference's). */
static void pair(struct ctx *c, bench_fn mine, bench_fn ref, long ops, struct bench_meas ms[2])
{
	ms[0] = (struct bench_meas)BENCH_MEAS(mine, c, ops);
	ms[1] = (struct bench_meas)BENCH_MEAS(ref, c, ops);
	bench_compare(ms, 2);
}

/* @m with its median and range divided by @div (per MiB of a whole-file scan). */
static struct bench_meas per(const struct bench_meas *m, double div)
{
	struct bench_meas d = *m;

	d.med_ns /= div;
	d.lo_ns /= div;
	d.hi_ns /= div;
	return d;
}

/* --- cached read --- */
static void mmsim_read_loop(void *p, long iters)
{
	struct ctx *c = p;
	long off = 0;

	for (long i = 0; i < iters; i++) {
		long ret = sys_pread64(c->fd, c->ubuf, c->chunk, off);

		if (ret != (long)c->chunk)
			die("sys_pread64", ret);
		off += (long)c->chunk;
		if (off >= (long)FILE_BYTES)
			off = 0;
	}
}

static void host_read_loop(void *p, long iters)
{
	struct ctx *c = p;
	off_t off = 0;

	for (long i = 0; i < iters; i++) {
		if (pread(c->hfd, c->hbuf, c->chunk, off) != (ssize_t)c->chunk)
			die("pread", errno);
		bench_keep(c->hbuf);
		off += (off_t)c->chunk;
		if (off >= (off_t)FILE_BYTES)
			off = 0;
	}
}

/* --- cold mmap scan --- */
static void mmsim_scan_loop(void *p, long iters)
{
	struct ctx *c = p;

	for (long i = 0; i < iters; i++) {
		uint64_t t0;
		unsigned long a;
		char b;

		sys_sync();
		if (mmsim_write(c->m, "/proc/sys/vm/drop_caches", "1"))
			die("drop_caches", -1);
		t0 = mmsim_clock_ns(c->m);
		a = sys_mmap(0, FILE_BYTES, PROT_READ, MAP_PRIVATE, (unsigned long)c->fd, 0);
		if (IS_ERR_VALUE(a))
			die("sys_mmap", (long)a);
		for (unsigned long off = 0; off < FILE_BYTES; off += PAGE_SIZE)
			if (mmsim_user_read(a + off, &b, 1))
				die("mmsim_user_read", (long)off);
		sys_munmap(a, FILE_BYTES);
		c->virt_ns += mmsim_clock_ns(c->m) - t0;
		c->scans++;
	}
}

static void host_scan_loop(void *p, long iters)
{
	struct ctx *c = p;

	for (long i = 0; i < iters; i++) {
		volatile char *a;

		posix_fadvise(c->hfd, 0, FILE_BYTES, POSIX_FADV_DONTNEED);
		a = mmap(NULL, FILE_BYTES, PROT_READ, MAP_PRIVATE, c->hfd, 0);
		if (a == MAP_FAILED)
			die("mmap", errno);
		for (size_t off = 0; off < FILE_BYTES; off += HOST_PAGE)
			(void)a[off];
		munmap((void *)a, FILE_BYTES);
	}
}

/* Does DONTNEED drop the host file's pages?  mincore after it says. */
static bool host_can_drop(int fd)
{
	unsigned char vec[16];
	void *a;
	bool dropped;

	posix_fadvise(fd, 0, FILE_BYTES, POSIX_FADV_DONTNEED);
	a = mmap(NULL, 16 * HOST_PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (a == MAP_FAILED)
		return false;
	dropped = !mincore(a, 16 * HOST_PAGE, vec) && !(vec[0] & 1) && !(vec[15] & 1);
	munmap(a, 16 * HOST_PAGE);
	return dropped;
}

/* --- page-cache lookup --- */
static void lookup_loop(void *p, long iters)
{
	struct ctx *c = p;

	for (long i = 0; i < iters; i++) {
		for (long j = 0; j < NR_PROBE; j++) {
			struct folio *f = filemap_get_folio(c->as, c->probe[j]);

			bench_keep(f);
			put_page(&f->page);
		}
	}
}

static void xa_loop(void *p, long iters)
{
	struct ctx *c = p;

	for (long i = 0; i < iters; i++)
		for (long j = 0; j < NR_PROBE; j++)
			bench_keep(xa_load(&c->bare, c->probe[j]));
}

/* A host file of FILE_BYTES in @dir; -1 if it cannot be made. */
static int host_file(const char *dir, char *path, size_t len)
{
	int fd;

	snprintf(path, len, "%s/bench_filemap.XXXXXX", dir);
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	unlink(path);
	for (size_t off = 0; off < FILE_BYTES; off += 1UL << 20) {
		static char mib[1 << 20];

		memset(mib, 0x5a, sizeof(mib));
		if (write(fd, mib, sizeof(mib)) != (ssize_t)sizeof(mib)) {
			close(fd);
			return -1;
		}
	}
	fsync(fd);
	return fd;
}

/* The mmsim file: written through sys_write, read once; fd or -errno. */
static long mmsim_file(struct ctx *c)
{
	long fd = sys_open("/bench_filemap", MM_O_RDWR | MM_O_CREAT | MM_O_TRUNC, 0644);

	if (fd < 0)
		return fd;
	for (unsigned long off = 0; off < FILE_BYTES; off += 1UL << 20) {
		long ret = sys_write((int)fd, c->ubuf, 1UL << 20);

		if (ret != 1L << 20) {
			sys_close((int)fd);
			return ret < 0 ? ret : -EIO;
		}
	}
	for (unsigned long off = 0; off < FILE_BYTES; off += 1UL << 20)
		sys_pread64((int)fd, c->ubuf, 1UL << 20, (long)off);
	return fd;
}

static void bench_reads(struct ctx *c)
{
	static const size_t chunks[] = { 4096, 65536, 1UL << 20 };
	char hpath[64];
	long fd = mmsim_file(c);
	struct bench_meas ms[2];

	if (fd < 0) {
		printf("%-30s skipped: the file cannot be written (%s)\n", "cached read, cold scan",
		       strerror((int)-fd));
		return;
	}
	c->fd = (int)fd;
	c->hfd = host_file("/dev/shm", hpath, sizeof(hpath));
	if (c->hfd < 0)
		c->hfd = host_file("/tmp", hpath, sizeof(hpath));
	if (c->hfd < 0)
		die("a host file", errno);
	c->hbuf = aligned_alloc(4096, 1UL << 20);
	for (size_t i = 0; i < sizeof(chunks) / sizeof(chunks[0]); i++) {
		char label[64], note[64];

		c->chunk = chunks[i];
		pair(c, mmsim_read_loop, host_read_loop, 1, ms);
		snprintf(label, sizeof(label), "cached read, %zu KiB", chunks[i] >> 10);
		snprintf(note, sizeof(note), "  %.2f GB/s vs %.2f GB/s",
			 (double)chunks[i] / ms[0].med_ns, (double)chunks[i] / ms[1].med_ns);
		bench_row_med(label, &ms[0], "host pread (page cache)", &ms[1], note);
	}
	close(c->hfd);

	/* Cold scans: a host file on a disk, if there is one. */
	c->hfd = host_file("/var/tmp", hpath, sizeof(hpath));
	if (c->hfd < 0)
		c->hfd = host_file("/tmp", hpath, sizeof(hpath));
	if (c->hfd < 0)
		die("a host file", errno);
	{
		bool dropped = host_can_drop(c->hfd);
		char note[128];
		double mib = (double)(FILE_BYTES >> 20);
		struct bench_meas mm, hm;

		c->virt_ns = 0;
		c->scans = 0;
		pair(c, mmsim_scan_loop, host_scan_loop, 1, ms);
		mm = per(&ms[0], mib);
		hm = per(&ms[1], mib);
		snprintf(note, sizeof(note), "  mmsim virtual %.2f ms/MiB; not the same work%s",
			 c->scans ? (double)c->virt_ns / (double)c->scans / mib / 1e6 : 0.0,
			 dropped ? "" : "; host could not drop its file (tmpfs?): warm");
		bench_row_med("cold mmap scan, per MiB", &mm,
		    dropped ? "host cold scan (its real disk)" : "host warm scan (no I/O)", &hm,
		    note);
	}
	close(c->hfd);
	free(c->hbuf);
	sys_close(c->fd);
	sys_unlink("/bench_filemap");
}

static void bench_lookup(struct ctx *c)
{
	static struct address_space as;
	uint64_t x = 88172645463325252ULL;
	struct bench_meas ms[2];

	address_space_init_once(&as);
	c->as = &as;
	xa_init(&c->bare);
	for (unsigned long i = 0; i < LOOKUP_PAGES; i++) {
		struct page *page = alloc_page(GFP_HIGHUSER_MOVABLE);
		struct folio *f;

		if (!page)
			die("alloc_page", (long)i);
		f = page_folio(page);
		if (filemap_add_folio(&as, f, i, GFP_KERNEL))
			die("filemap_add_folio", (long)i);
		folio_unlock(f);
		put_page(&f->page);		/* the cache holds it */
		xa_store(&c->bare, i, f, GFP_KERNEL);
	}
	c->probe = malloc(sizeof(*c->probe) * NR_PROBE);
	for (long j = 0; j < NR_PROBE; j++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		c->probe[j] = x % LOOKUP_PAGES;
	}
	pair(c, lookup_loop, xa_loop, NR_PROBE, ms);
	bench_row_med("filemap_get_folio, 1 GiB file", &ms[0], "bare xa_load (a limit)", &ms[1],
	    "  not a peer: no folio reference");
	for (unsigned long i = 0; i < LOOKUP_PAGES; i++) {
		struct folio *f = filemap_get_folio(&as, i);

		if (IS_ERR_OR_NULL(f))
			continue;
		folio_lock(f);
		filemap_remove_folio(f);
		folio_unlock(f);
		put_page(&f->page);
	}
	xa_destroy(&c->bare);
	free(c->probe);
}

int main(void)
{
	const char *spec = "arch=x86_64 ram=2G cpus=2";
	struct task_struct *t;
	struct ctx c = { 0 };
	char fill[4096];

	printf("bench_filemap: mmsim's page cache vs the host kernel's (same run)\n");
	printf("median of %d runs [range]; (xR) = mmsim median / reference median; host pread is "
	       "the same work,\nthe cold scan's host side is not (a real disk against mmsim's "
	       "virtual one), bare xa_load is a limit\n", BENCH_REPS);
	bench_rule();
	c.m = mmsim_boot(spec);
	if (!c.m)
		die(mmsim_last_error(), 0);
	t = mmsim_spawn(c.m, "bench");
	if (!t || mmsim_switch_to(t))
		die("mmsim_spawn", errno);
	printf("%s\n", spec);
	c.ubuf = sys_mmap(0, 1UL << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			  ~0UL, 0);
	if (IS_ERR_VALUE(c.ubuf))
		die("sys_mmap", (long)c.ubuf);
	memset(fill, 0x5a, sizeof(fill));
	for (unsigned long off = 0; off < 1UL << 20; off += sizeof(fill))
		mmsim_user_write(c.ubuf + off, fill, sizeof(fill));
	bench_reads(&c);
	bench_lookup(&c);
	sys_exit_group(0);
	mmsim_shutdown(c.m);
	return 0;
}
