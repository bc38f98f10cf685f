// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_reclaim_swap.c - reclaim of anonymous and shmem memory to
 * swap (mm/vmscan.c shrink_folio_list -> add_to_swap, try_to_unmap's swap
 * PTEs, swap_writeout / shmem_writeout), checked against /proc/vmstat and
 * every checker:
 *   - an anonymous working set 1.5x RAM on a machine with swap: written,
 *     then read back intact; pgscan_anon/pgsteal_anon and pswpout > 0,
 *     pswpin and pgmajfault > 0 on the way back; pgsteal <= pgscan;
 *     MM_ANONPAGES + MM_SWAPENTS == the pages touched; swap_counts_are_valid,
 *     swap_areas_are_valid, mm_is_valid, mm_mapcounts_are_valid,
 *     lru_all_valid after each phase;
 *   - MADV_PAGEOUT of anon memory with swap: every PTE becomes a swap PTE
 *     (MM_SWAPENTS, VmSwap) and the pages come back intact;
 *   - shared anonymous memory (shmem) 1.25x RAM goes out through
 *     shmem_writeout and reads back intact;
 *   - vm.swappiness=0 with plenty of clean cache reclaims the cache first.
 * Skipped (passing) on a tree without swap (swap= unknown or no area).
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
#include <mmsim/jiffies.h>
#include "mmtest.h"

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)

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

static long long status_kb(struct task_struct *t, const char *label)
{
	char path[64], *s;
	long long v;

	snprintf(path, sizeof(path), "/proc/%d/status", t->pid);
	s = mmsim_read(m, path);
	v = s ? field(s, label) : -1;
	free(s);
	return v;
}

static bool checkers(struct task_struct *t)
{
	bool ok = true;

	ok &= lru_all_valid();
	ok &= swap_counts_are_valid(m);
	ok &= swap_areas_are_valid(m);
	ok &= mm_mapcounts_are_valid(m);
	if (t && t->mm)
		ok &= mm_is_valid(t->mm);
	return ok;
}

static unsigned int word(unsigned long i, unsigned int seed)
{
	return (unsigned int)(i * 2654435761u) ^ seed;
}

static long fill(unsigned long va, unsigned long npages, unsigned int seed)
{
	for (unsigned long i = 0; i < npages; i++) {
		unsigned int w = word(i, seed);

		if (mmsim_user_write(va + i * PAGE_SIZE + (i % 64) * 8, &w, sizeof(w)))
			return (long)i + 1;
	}
	return 0;
}

static long verify(unsigned long va, unsigned long npages, unsigned int seed)
{
	long bad = 0;

	for (unsigned long i = 0; i < npages; i++) {
		unsigned int w = 0;

		if (mmsim_user_read(va + i * PAGE_SIZE + (i % 64) * 8, &w, sizeof(w)) ||
		    w != word(i, seed))
			bad++;
	}
	return bad;
}

static void test_anon_working_set(unsigned long ram)
{
	struct task_struct *t = mmsim_spawn(m, "anon");
	unsigned long npages = (ram + ram / 2) / PAGE_SIZE, va;
	long long out0 = vmstat("pswpout"), in0 = vmstat("pswpin");
	long long scan0 = vmstat("pgscan_anon"), steal0 = vmstat("pgsteal_anon");
	long long maj0 = vmstat("pgmajfault");

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, npages * PAGE_SIZE, RW, PRIV, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_EQ(fill(va, npages, 7), 0);
	printf("# anon %lu MiB: pswpout %lld pgscan_anon %lld pgsteal_anon %lld\n",
	       (npages * PAGE_SIZE) >> 20, vmstat("pswpout") - out0, vmstat("pgscan_anon") - scan0,
	       vmstat("pgsteal_anon") - steal0);
	KT_ASSERT(vmstat("pswpout") > out0);
	KT_ASSERT(vmstat("pgsteal_anon") > steal0);
	KT_ASSERT(vmstat("pgsteal_anon") - steal0 <= vmstat("pgscan_anon") - scan0);
	KT_EQ(get_mm_counter(t->mm, MM_ANONPAGES) + get_mm_counter(t->mm, MM_SWAPENTS), npages);
	KT_ASSERT(checkers(t));
	KT_EQ(verify(va, npages, 7), 0);
	printf("# read back: pswpin %lld pgmajfault %lld\n", vmstat("pswpin") - in0,
	       vmstat("pgmajfault") - maj0);
	KT_ASSERT(vmstat("pswpin") > in0);
	KT_ASSERT(vmstat("pgmajfault") > maj0);
	KT_ASSERT(checkers(t));
	/* once more, the other way round: the slots are reused */
	KT_EQ(fill(va, npages, 11), 0);
	KT_EQ(verify(va, npages, 11), 0);
	KT_ASSERT(checkers(t));
	KT_EQ(vmstat("nr_isolated_anon"), 0);
	sys_exit_group(0);
	mmsim_advance_clock(m, 1000000000ULL);
}

static void test_pageout_anon(void)
{
	struct task_struct *t = mmsim_spawn(m, "pageout");
	unsigned long npages = 64, va;
	long long out0 = vmstat("pswpout");

	KT_EQ(mmsim_switch_to(t), 0);
	va = sys_mmap(0, npages * PAGE_SIZE, RW, PRIV, -1UL, 0);
	KT_EQ(fill(va, npages, 3), 0);
	KT_EQ(get_mm_counter(t->mm, MM_ANONPAGES), npages);
	KT_EQ(sys_madvise(va, npages * PAGE_SIZE, MADV_PAGEOUT), 0);
	KT_EQ(get_mm_counter(t->mm, MM_ANONPAGES), 0);
	KT_EQ(get_mm_counter(t->mm, MM_SWAPENTS), npages);
	KT_EQ(status_kb(t, "VmSwap:"), (long long)(npages * (PAGE_SIZE / 1024)));
	KT_EQ(vmstat("pswpout"), out0 + (long long)npages);
	KT_ASSERT(checkers(t));
	mmsim_advance_clock(m, 1000000000ULL);	/* the writes complete */
	KT_ASSERT(checkers(t));
	KT_EQ(verify(va, npages, 3), 0);
	KT_EQ(get_mm_counter(t->mm, MM_ANONPAGES), npages);
	KT_EQ(get_mm_counter(t->mm, MM_SWAPENTS), 0);
	KT_ASSERT(checkers(t));
	sys_exit_group(0);
}

/* MAP_SHARED|MAP_ANONYMOUS is a shmem object: out through shmem_writeout. */
static void test_shmem(unsigned long ram)
{
	struct task_struct *t = mmsim_spawn(m, "shmem");
	unsigned long npages = (ram + ram / 4) / PAGE_SIZE, va;
	long long out0 = vmstat("pswpout");

	KT_EQ(mmsim_switch_to(t), 0);
	/* Probe: can a shmem page go to swap yet (shmem_writeout)? */
	va = sys_mmap(0, PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS, -1UL, 0);
	KT_EQ(fill(va, 1, 1), 0);
	KT_EQ(sys_madvise(va, PAGE_SIZE, MADV_PAGEOUT), 0);
	KT_EQ(sys_munmap(va, PAGE_SIZE), 0);
	if (vmstat("pswpout") == out0) {
		printf("# skip: shmem pages do not go to swap yet\n");
		sys_exit_group(0);
		return;
	}
	out0 = vmstat("pswpout");
	va = sys_mmap(0, npages * PAGE_SIZE, RW, MAP_SHARED | MAP_ANONYMOUS, -1UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	KT_EQ(fill(va, npages, 5), 0);
	printf("# shmem %lu MiB: pswpout %lld\n", (npages * PAGE_SIZE) >> 20,
	       vmstat("pswpout") - out0);
	KT_ASSERT(vmstat("pswpout") > out0);
	KT_ASSERT(checkers(t));
	KT_EQ(verify(va, npages, 5), 0);
	KT_ASSERT(checkers(t));
	KT_EQ(sys_munmap(va, npages * PAGE_SIZE), 0);
	sys_exit_group(0);
	mmsim_advance_clock(m, 1000000000ULL);
	KT_ASSERT(checkers(NULL));
}

/* vm.swappiness=0 with clean cache to take: anon is never scanned. */
static void test_swappiness_zero(unsigned long ram)
{
	struct task_struct *t = mmsim_spawn(m, "swappiness");
	unsigned long chunk = 64 * 1024, size = ram / 2, npages = (ram / 2) / PAGE_SIZE, ubuf, va;
	long long scan0, fsteal0;
	long fd;

	KT_EQ(mmsim_switch_to(t), 0);
	ubuf = sys_mmap(0, chunk, RW, PRIV, -1UL, 0);
	fd = sys_open("/cache", O_RDWR | O_CREAT | O_TRUNC, 0644);
	KT_ASSERT(fd >= 0);
	for (unsigned long off = 0; off < size && fd >= 0; off += chunk)
		KT_EQ(sys_write((int)fd, ubuf, chunk), (long)chunk);
	KT_EQ(sys_fsync((int)fd), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/swappiness", "0"), 0);
	scan0 = vmstat("pgscan_anon");
	fsteal0 = vmstat("pgsteal_file");
	va = sys_mmap(0, npages * PAGE_SIZE, RW, PRIV, -1UL, 0);
	KT_EQ(fill(va, npages, 9), 0);
	printf("# swappiness 0: pgscan_anon +%lld pgsteal_file +%lld\n",
	       vmstat("pgscan_anon") - scan0, vmstat("pgsteal_file") - fsteal0);
	KT_EQ(vmstat("pgscan_anon"), scan0);
	KT_ASSERT(vmstat("pgsteal_file") > fsteal0);
	KT_EQ(verify(va, npages, 9), 0);
	KT_EQ(mmsim_write(m, "/proc/sys/vm/swappiness", "60"), 0);
	KT_ASSERT(checkers(t));
	if (fd >= 0)
		sys_close((int)fd);
	sys_exit_group(0);
	mmsim_advance_clock(m, 1000000000ULL);
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
	m = mmsim_boot(spec);
	if (!m || get_total_swap_pages() <= 0) {
		printf("# skip %s: no swap (%s)\n", spec, m ? "no area" : mmsim_last_error());
		if (m)
			mmsim_shutdown(m);
		return;
	}
	printf("# %s\n", spec);
	kt_begin("test_anon_working_set");
	test_anon_working_set(ram);
	kt_end();
	KT_RUN(test_pageout_anon);
	kt_begin("test_swappiness_zero");
	test_swappiness_zero(ram);
	kt_end();
	kt_begin("test_shmem");
	test_shmem(ram);
	kt_end();
	KT_RUN(test_clean_log);
	mmsim_shutdown(m);
}

int main(void)
{
	run("ram=32M disk=64M swap=96M", 32UL << 20);
	run("arch=i386 ram=32M disk=64M swap=96M", 32UL << 20);
	return kt_done();
}
