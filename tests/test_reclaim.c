// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_reclaim.c - page reclaim of the page cache (mm/vmscan.c,
 * mm/vmscan_lru.c) on small machines, checked against /proc/vmstat:
 *   - a file larger than RAM is written and read back through the page
 *     cache: allocations that find no free memory reclaim clean cache
 *     (allocstall, pgscan_direct == pgscan_file, pgsteal_direct ==
 *     pgsteal_file > 0, no anon scanned without swap), the data is intact
 *     and the lists, counters and mapping stay valid;
 *   - an anonymous working set larger than the free memory pushes the
 *     cache out (Cached shrinks, the anon pages all stay: no swap);
 *   - pgsteal never exceeds pgscan; pgrefill/pgdeactivate move active
 *     cache to the inactive list when the active list dominates;
 *   - vm.swappiness: default 60, 0..200 accepted, 201 and -1 refused;
 *   - proactive reclaim (try_to_free_mem_cgroup_pages) returns about what
 *     was asked, all of it counted in pgsteal, and the data reads back.
 * x86_64 and i386 with highmem (the lowmem zone reclaimed for lowmem
 * allocations).
 */
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/mman.h>
#include <mmsim/fcntl.h>
#include <mmsim/err.h>
#include <mmsim/fs.h>
#include <mmsim/rmap.h>
#include <mmsim/pagemap.h>
#include <mmsim/vmstat.h>
#include <mmsim/swap.h>
#include "mmtest.h"
#include "mm/vmscan_internal.h"

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)
#define CHUNK	(256 * 1024UL)

static struct mmsim *m;

static long long vmstat(const char *name)
{
	char label[64], *s = mmsim_read(m, "/proc/vmstat");
	long long v;

	snprintf(label, sizeof(label), "%s ", name);
	v = s ? field(s, label) : -1;
	free(s);
	return v;
}

static long long meminfo_kb(const char *label)
{
	char *s = mmsim_read(m, "/proc/meminfo");
	long long v = s ? field(s, label) : -1;

	free(s);
	return v;
}

static unsigned char pat(unsigned long pos, unsigned int seed)
{
	return (unsigned char)((pos * 7u) ^ (pos >> 12) ^ seed);
}

static struct address_space *fd_mapping(long fd)
{
	struct file *file = fget((unsigned int)fd);
	struct address_space *mapping = file ? file->f_mapping : NULL;

	if (file)
		fput(file);
	return mapping;
}

/* Write @size bytes of the pattern to @path; 0 or the failing return. */
static long write_file(const char *path, unsigned long size, unsigned int seed, unsigned long ubuf)
{
	unsigned char *buf = malloc(CHUNK);
	long fd = sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0644), ret = 0;

	if (fd < 0) {
		free(buf);
		return fd;
	}
	for (unsigned long off = 0; off < size; off += CHUNK) {
		for (unsigned long i = 0; i < CHUNK; i++)
			buf[i] = pat(off + i, seed);
		if (mmsim_user_write(ubuf, buf, CHUNK)) {
			ret = -EFAULT;
			break;
		}
		ret = sys_write((int)fd, ubuf, CHUNK);
		if (ret != (long)CHUNK)
			break;
		ret = 0;
	}
	sys_close((int)fd);
	free(buf);
	return ret;
}

/* Read it back and compare; the number of bad bytes (or -1). */
static long check_file(const char *path, unsigned long size, unsigned int seed, unsigned long ubuf)
{
	unsigned char *buf = malloc(CHUNK);
	long fd = sys_open(path, O_RDONLY, 0), bad = 0;

	if (fd < 0) {
		free(buf);
		return -1;
	}
	for (unsigned long off = 0; off < size; off += CHUNK) {
		if (sys_read((int)fd, ubuf, CHUNK) != (long)CHUNK ||
		    mmsim_user_read(ubuf, buf, CHUNK)) {
			bad = -1;
			break;
		}
		for (unsigned long i = 0; i < CHUNK; i++)
			bad += buf[i] != pat(off + i, seed);
	}
	sys_close((int)fd);
	free(buf);
	return bad;
}

static void test_swappiness_sysctl(void)
{
	char *t = mmsim_read(m, "/proc/sys/vm/swappiness");

	KT_ASSERT(t && !strcmp(t, "60\n"));
	free(t);
	KT_EQ(vm_swappiness(), 60);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/swappiness", "200"), 0);
	KT_EQ(vm_swappiness(), 200);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/swappiness", "0"), 0);
	KT_EQ(vm_swappiness(), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/swappiness", "201"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/swappiness", "-1"), -EINVAL);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/swappiness", "60"), 0);
	KT_EQ(vm_swappiness(), 60);
}

/* A file 1.5x RAM through the page cache: only reclaim makes room. */
static void test_file_larger_than_ram(unsigned long ram)
{
	struct task_struct *t = mmsim_spawn(m, "writer");
	unsigned long size = ram + ram / 2, ubuf;
	long long stall0 = vmstat("allocstall_normal") + vmstat("allocstall_dma32") +
			   vmstat("allocstall_dma") + vmstat("allocstall_movable") +
			   vmstat("allocstall_high");
	long long scan0 = vmstat("pgscan_direct") + vmstat("pgscan_kswapd");
	long long steal0 = vmstat("pgsteal_direct") + vmstat("pgsteal_kswapd");
	long long sfile0 = vmstat("pgsteal_file"), scfile0 = vmstat("pgscan_file");
	long long sanon0 = vmstat("pgscan_anon");
	long long scan, steal, stall;

	KT_EQ(mmsim_switch_to(t), 0);
	ubuf = sys_mmap(0, CHUNK, RW, PRIV, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(ubuf));
	KT_EQ(write_file("/big", size, 1, ubuf), 0);
	KT_EQ(check_file("/big", size, 1, ubuf), 0);
	scan = vmstat("pgscan_direct") + vmstat("pgscan_kswapd") - scan0;
	steal = vmstat("pgsteal_direct") + vmstat("pgsteal_kswapd") - steal0;
	stall = vmstat("allocstall_normal") + vmstat("allocstall_dma32") + vmstat("allocstall_dma") +
		vmstat("allocstall_movable") + vmstat("allocstall_high") - stall0;
	printf("# file %lu MiB: allocstall %lld pgscan %lld pgsteal %lld\n", size >> 20, stall,
	       scan, steal);
	KT_ASSERT(steal > 0);
	KT_ASSERT(steal <= scan);
	/* Only file pages: no swap, so anon is never scanned. */
	KT_EQ(vmstat("pgscan_anon") - sanon0, 0);
	KT_EQ(vmstat("pgscan_file") - scfile0, scan);
	KT_EQ(vmstat("pgsteal_file") - sfile0, steal);
	/* the cache cannot hold the whole file */
	KT_ASSERT(meminfo_kb("Cached:") * 1024 < (long long)size);
	KT_ASSERT(lru_all_valid());
	{
		long fd = sys_open("/big", O_RDONLY, 0);

		KT_ASSERT(fd >= 0 && mapping_is_valid(fd_mapping(fd)));
		sys_close((int)fd);
	}
	KT_EQ(vmstat("nr_isolated_file"), 0);
	KT_EQ(vmstat("nr_isolated_anon"), 0);
	sys_exit_group(0);
}

/* Anon memory beyond what is free pushes the cache out; the anon stays. */
static void test_anon_pushes_cache(unsigned long ram)
{
	struct task_struct *t = mmsim_spawn(m, "anon");
	unsigned long npages = (ram / 2) / PAGE_SIZE, va;
	long long cached0 = meminfo_kb("Cached:"), steal0 = vmstat("pgsteal_file");
	long bad = 0;

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, npages * PAGE_SIZE, RW, PRIV, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	for (unsigned long i = 0; i < npages; i++) {
		unsigned char c = (unsigned char)(i * 13);

		if (mmsim_user_write(va + i * PAGE_SIZE, &c, 1)) {
			bad++;
			break;
		}
	}
	KT_EQ(bad, 0);
	for (unsigned long i = 0; i < npages && !bad; i++) {
		unsigned char c = 0;

		mmsim_user_read(va + i * PAGE_SIZE + 0, &c, 1);
		bad += c != (unsigned char)(i * 13);
	}
	KT_EQ(bad, 0);
	printf("# anon %lu MiB: Cached %lld -> %lld kB, pgsteal_file +%lld\n", (npages * PAGE_SIZE) >> 20,
	       cached0, meminfo_kb("Cached:"), vmstat("pgsteal_file") - steal0);
	KT_ASSERT(meminfo_kb("Cached:") < cached0);
	KT_ASSERT(lru_all_valid());
	KT_ASSERT(mm_is_valid(t->mm));
	KT_ASSERT(mm_mapcounts_are_valid(m));
	sys_exit_group(0);
}

/* Proactive reclaim (the root's memory.reclaim): about what was asked. */
static void test_proactive(void)
{
	struct task_struct *t = mmsim_spawn(m, "proactive");
	unsigned long ubuf, want = 1024;	/* pages */
	long long cached, steal;
	unsigned long got;

	KT_EQ(mmsim_switch_to(t), 0);
	ubuf = sys_mmap(0, CHUNK, RW, PRIV, -1UL, 0);
	KT_EQ(write_file("/cache", 8UL << 20, 3, ubuf), 0);
	{
		long fd = sys_open("/cache", O_RDONLY, 0);

		KT_EQ(sys_fsync((int)fd), 0);
		sys_close((int)fd);
	}
	mmsim_advance_clock(m, 1000000000ULL);
	cached = meminfo_kb("Cached:");
	steal = vmstat("pgsteal_direct") + vmstat("pgsteal_kswapd");
	got = try_to_free_mem_cgroup_pages(NULL, want, GFP_KERNEL,
					   MEMCG_RECLAIM_MAY_SWAP | MEMCG_RECLAIM_PROACTIVE, -1);
	printf("# proactive: asked %lu, got %lu; Cached %lld -> %lld kB\n", want, got, cached,
	       meminfo_kb("Cached:"));
	KT_ASSERT(got >= want);
	KT_ASSERT(got < 2 * want);		/* kswapd-like: stops once it has enough */
	KT_EQ(vmstat("pgsteal_direct") + vmstat("pgsteal_kswapd"), steal + (long long)got);
	KT_ASSERT(meminfo_kb("Cached:") <= cached - (long long)(want * (PAGE_SIZE / 1024)));
	KT_EQ(check_file("/cache", 8UL << 20, 3, ubuf), 0);
	KT_ASSERT(lru_all_valid());
	sys_exit_group(0);
}

/* A clean kernel log: no WARN, BUG or bad page. */
static void test_clean_log(void)
{
	size_t mark = 0;
	char *log = log_since(m, &mark);

	KT_ASSERT(lru_all_valid());
	KT_ASSERT(log && !strstr(log, "cut here") && !strstr(log, "Bad page"));
	if (log && strstr(log, "cut here"))
		fprintf(stderr, "%s", strstr(log, "cut here"));
	free(log);
}

static void run(const char *spec, unsigned long ram)
{
	m = boot_or_die(spec);
	printf("# %s\n", spec);
	KT_RUN(test_swappiness_sysctl);
	kt_begin("test_file_larger_than_ram");
	test_file_larger_than_ram(ram);
	kt_end();
	kt_begin("test_anon_pushes_cache");
	test_anon_pushes_cache(ram);
	kt_end();
	KT_RUN(test_proactive);
	KT_RUN(test_clean_log);
	KT_ASSERT(lru_all_valid());
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=32M disk=128M", 32UL << 20);
	run("arch=i386 ram=32M disk=128M", 32UL << 20);
	return kt_done();
}
