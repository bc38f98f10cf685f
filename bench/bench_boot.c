// SPDX-License-Identifier: GPL-2.0
/*
 * bench/bench_boot.c - how long a machine takes to boot and shut down, and
 * that shutting down returns everything.
 *
 *   1. mmsim_boot() + mmsim_shutdown() of x86_64 machines with ram=1G, 16G
 *      and 64G, timed apart, a few runs each (7, 3 and 2: a 64G boot takes
 *      seconds); a cell is the median of the runs and their range
 *      [lowest-highest] (the median of two runs is their mean).  Boot is
 *      dominated by the memmap: one 64-byte struct page per 4K page is
 *      mapped, initialized and handed to the buddy allocator, so the
 *      reference, timed in the same runs (one after each boot), is the host
 *      writing a buffer of that size once (mmap with MAP_POPULATE, memset,
 *      munmap): the least any boot must do, a limit and not a peer.  (xR)
 *      is the boot's median over the reference's.  Targets: 16G boots in
 *      under a second (median); 64G boots at all on a 24 GiB host (its
 *      memfd RAM is sparse, only the 1 GiB memmap is populated).
 *   2. 200 machines of ram=64M booted and shut down in a loop, each timed
 *      with the same limit after it: the median boot+shutdown and its range
 *      over the 200; the number of open file descriptors (/proc/self/fd)
 *      and of mappings (/proc/self/maps lines) must be the same before and
 *      after.
 *
 * Exit status 1 if a boot fails or the loop leaks a descriptor or mapping;
 * the timing targets are reported, not enforced.
 */
#include "bench_common.h"
#include <dirent.h>
#include <sys/resource.h>

#define LOOP_MACHINES 200

static noinline void die(const char *what)
{
	fprintf(stderr, "bench_boot: %s\n", what);
	exit(1);
}

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		die("cannot open /proc/self/fd");
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own descriptor */
}

static int count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0, c;

	if (!f)
		die("cannot open /proc/self/maps");
	while ((c = getc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

/* A field of /proc/self/status in KiB ("VmRSS:", "VmHWM:"). */
static long status_kb(const char *field)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)))
			v = atol(line + strlen(field));
	if (f)
		fclose(f);
	return v;
}

/* Boot and shut down @spec; the two times in ns. */
static void boot_once(const char *spec, uint64_t *boot_ns, uint64_t *down_ns, long *rss_kb)
{
	uint64_t t0 = bench_now_ns(), t1;
	struct mmsim *m = mmsim_boot(spec);

	t1 = bench_now_ns();
	if (!m) {
		fprintf(stderr, "bench_boot: boot \"%s\": %s\n", spec, mmsim_last_error());
		exit(1);
	}
	if (rss_kb)
		*rss_kb = status_kb("VmRSS:");
	mmsim_shutdown(m);
	*boot_ns = t1 - t0;
	*down_ns = bench_now_ns() - t1;
}

/*
 * The reference: get @bytes of fresh host memory populated in one call (as
 * mmsim maps its memmap, MAP_POPULATE), write it once, give it back.
 */
static uint64_t memmap_write_ns(size_t bytes)
{
	uint64_t t0 = bench_now_ns();
	char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);

	if (p == MAP_FAILED)
		die("mmap for the reference failed");
	memset(p, 0, bytes);
	bench_keep(p);
	munmap(p, bytes);
	return bench_now_ns() - t0;
}

/* @m's median and range of the @n values of @v (sorted here). */
static void stats(struct bench_meas *m, double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), bench_cmp_double);
	m->med_ns = n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	m->lo_ns = v[0];
	m->hi_ns = v[n - 1];
}

#define MAX_REPS 7

static void time_boot(const char *ram, int reps, double *boot_out)
{
	uint64_t ram_bytes = strtoull(ram, NULL, 10) << 30;
	size_t memmap = ram_bytes / HOST_PAGE * sizeof(struct page);
	double boot[MAX_REPS], down[MAX_REPS], ref[MAX_REPS];
	struct bench_meas mb, md, mr;
	char spec[64], a[80], b[80], c[80], r[32];
	long rss = 0;

	snprintf(spec, sizeof(spec), "ram=%s", ram);
	for (int i = 0; i < reps; i++) {
		uint64_t bt, dt;
		long kb;

		boot_once(spec, &bt, &dt, &kb);
		boot[i] = (double)bt;
		down[i] = (double)dt;
		rss = max(rss, kb);
		ref[i] = (double)memmap_write_ns(memmap);
	}
	stats(&mb, boot, reps);
	stats(&md, down, reps);
	stats(&mr, ref, reps);
	printf("%-9s %d %-28s %-28s %6ld MiB | memmap write (%4lu MiB) %-28s (%s)\n", spec, reps,
	       bench_fmt_med(&mb, a, sizeof(a)), bench_fmt_med(&md, b, sizeof(b)), rss >> 10,
	       (unsigned long)(memmap >> 20), bench_fmt_med(&mr, c, sizeof(c)),
	       bench_fmt_ratio(mb.med_ns / mr.med_ns, r, sizeof(r)));
	fflush(stdout);
	if (boot_out)
		*boot_out = mb.med_ns;
}

int main(void)
{
	static double each[LOOP_MACHINES], ref[LOOP_MACHINES];
	double boot16, boot64;
	uint64_t bt, dt;
	int fds0, maps0, fds1, maps1;
	long rss0, rss1;
	struct bench_meas me, mr;
	char a[80], b[80], r[32];

	printf("bench_boot: mmsim_boot() + mmsim_shutdown() of x86_64 machines\n");
	printf("median of n runs [range]; reference, a limit and not a peer: the host writing the "
	       "memmap's size\nonce (64 B per 4K page), timed after each boot; "
	       "(xR) = boot median / reference median\n");
	bench_rule();
	printf("%-9s %s %-28s %-28s %10s |\n", "spec", "n", "boot", "shutdown", "RSS booted");
	time_boot("1G", 7, NULL);
	time_boot("16G", 3, &boot16);
	time_boot("64G", 2, &boot64);
	printf("target: ram=16G boots in under 1 s: %s (median %.0f ms); ram=64G boots: yes "
	       "(median %.0f ms)\n", boot16 < 1e9 ? "met" : "MISSED", boot16 / 1e6, boot64 / 1e6);
	bench_rule();

	/* One boot first, so that lazily made host state (stdio, malloc arenas) is made. */
	boot_once("ram=64M", &bt, &dt, NULL);
	fds0 = count_fds();
	maps0 = count_maps();
	rss0 = status_kb("VmRSS:");
	for (int i = 0; i < LOOP_MACHINES; i++) {
		boot_once("ram=64M", &bt, &dt, NULL);
		each[i] = (double)(bt + dt);
		ref[i] = (double)memmap_write_ns((64UL << 20) / HOST_PAGE * sizeof(struct page));
	}
	fds1 = count_fds();
	maps1 = count_maps();
	rss1 = status_kb("VmRSS:");
	stats(&me, each, LOOP_MACHINES);
	stats(&mr, ref, LOOP_MACHINES);
	printf("%d x ram=64M boot+shutdown, median [range] of the %d: %s | memmap write (1 MiB) "
	       "%s (%s)\n", LOOP_MACHINES, LOOP_MACHINES, bench_fmt_med(&me, a, sizeof(a)),
	       bench_fmt_med(&mr, b, sizeof(b)),
	       bench_fmt_ratio(me.med_ns / mr.med_ns, r, sizeof(r)));
	printf("  open fds:    before %d, after %d: %s\n", fds0, fds1,
	       fds0 == fds1 ? "unchanged" : "LEAKED");
	printf("  maps lines:  before %d, after %d: %s\n", maps0, maps1,
	       maps0 == maps1 ? "unchanged" : "LEAKED");
	printf("  VmRSS:       before %ld KiB, after %ld KiB; peak VmHWM %ld MiB\n", rss0, rss1,
	       status_kb("VmHWM:") >> 10);
	return fds0 == fds1 && maps0 == maps1 ? 0 : 1;
}
