// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_lru_gen_reclaim.c - the multi-gen LRU under memory pressure
 * (a 32M machine booted with lru=mglru; swap if the tree has it):
 *   - a file streamed through the page cache at 1.5x RAM, read back byte
 *     for byte; a shared file mapping read; anonymous memory written and
 *     read back: MGLRU evicts (pgsteal) and nothing read back is stale;
 *   - after every phase the same checks as the classic policy's tests:
 *     lru_all_valid (lru_gen_is_valid: lists, generations, counters),
 *     mm_is_valid, mm_mapcounts_are_valid, mapping_is_valid, no folio left
 *     isolated;
 *   - a hot mapped set touched between streaming chunks keeps more of its
 *     pages resident than the stream (the page-table walk finds its young
 *     PTEs and moves it to the youngest generation);
 *   - the policy switched to classic and back in the middle of the
 *     pressure, with every folio on the lists;
 *   - the debugfs file's generations add up to the LRU counters.
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
#include <mmsim/swap.h>
#include <mmsim/lru_policy.h>
#include "mmtest.h"
#include "mm/vmscan_internal.h"
#include "mm/lru_gen.h"
#include "mm/vma_internal.h"

#define RW	(PROT_READ | PROT_WRITE)
#define PRIV	(MAP_PRIVATE | MAP_ANONYMOUS)
#define CHUNK	(64 * 1024UL)

static struct mmsim *m;
static unsigned long ubuf;

static unsigned char pat(unsigned long pos, unsigned int seed)
{
	return (unsigned char)((pos * 13u) ^ (pos >> 12) ^ seed);
}

static long long vmstat(const char *name)
{
	char label[64], *s = mmsim_read(m, "/proc/vmstat");
	long long v;

	snprintf(label, sizeof(label), "%s ", name);
	v = s ? field(s, label) : -1;
	free(s);
	return v;
}

static void check_all(const char *when)
{
	bool ok = lru_all_valid() && mm_is_valid(current->mm) && mm_mapcounts_are_valid(m);

	KT_ASSERT(ok);
	if (!ok) {
		size_t mark = 0;
		char *log = log_since(m, &mark);
		size_t len = log ? strlen(log) : 0;

		printf("# invalid after %s; log tail:\n%s\n", when, log ? log + (len > 3000 ? len - 3000 : 0) : "");
		free(log);
	}
	KT_EQ(vmstat("nr_isolated_anon"), 0);
	KT_EQ(vmstat("nr_isolated_file"), 0);
}

static bool fd_mapping_valid(long fd)
{
	struct file *file = fget((unsigned int)fd);
	bool ok = file && mapping_is_valid(file->f_mapping);

	if (file)
		fput(file);
	return ok;
}

/* Write @mb of a file with @seed, optionally touching @hot (npages) after each chunk. */
static long stream(const char *path, unsigned long mb, unsigned int seed, unsigned long hot,
		   unsigned long hot_pages)
{
	unsigned char *buf = malloc(CHUNK);
	long fd = sys_open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	long bad = 0;

	KT_ASSERT(fd >= 0);
	for (unsigned long off = 0; off < (mb << 20); off += CHUNK) {
		for (unsigned long i = 0; i < CHUNK; i++)
			buf[i] = pat(off + i, seed);
		if (mmsim_user_write(ubuf, buf, CHUNK) ||
		    sys_pwrite64((int)fd, ubuf, CHUNK, (long)off) != (long)CHUNK)
			bad++;
		for (unsigned long p = 0; p < hot_pages; p++) {
			unsigned char c;

			bad += mmsim_user_read(hot + p * PAGE_SIZE, &c, 1) != 0;
		}
	}
	for (unsigned long off = 0; off < (mb << 20); off += CHUNK) {
		if (sys_pread64((int)fd, ubuf, CHUNK, (long)off) != (long)CHUNK ||
		    mmsim_user_read(ubuf, buf, CHUNK)) {
			bad++;
			continue;
		}
		for (unsigned long i = 0; i < CHUNK; i++)
			bad += buf[i] != pat(off + i, seed);
	}
	free(buf);
	KT_EQ(bad, 0);
	return fd;
}

static void test_stream(void)
{
	long long steal = vmstat("pgsteal_direct") + vmstat("pgsteal_kswapd");
	long fd = stream("/stream", 48, 1, 0, 0);

	KT_ASSERT(vmstat("pgsteal_direct") + vmstat("pgsteal_kswapd") > steal);
	KT_ASSERT(fd_mapping_valid(fd));
	check_all("stream");
	KT_EQ(sys_close((int)fd), 0);
	KT_EQ(sys_unlink("/stream"), 0);
}

static void test_mapped_and_anon(void)
{
	unsigned long npages = (8UL << 20) / PAGE_SIZE, va, anon;
	long fd = stream("/mapped", 8, 77, 0, 0), bad = 0;

	va = sys_mmap(0, 8UL << 20, PROT_READ, MAP_SHARED, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	anon = sys_mmap(0, 8UL << 20, RW, PRIV, -1UL, 0);
	for (int r = 0; r < 2; r++) {
		for (unsigned long p = 0; p < npages; p++) {
			unsigned char c = 0;
			unsigned long pos = p * PAGE_SIZE + (p % 97);

			bad += mmsim_user_read(va + pos, &c, 1) || c != pat(pos, 77);
			c = (unsigned char)(p + (unsigned long)r);
			bad += mmsim_user_write(anon + p * PAGE_SIZE, &c, 1) != 0;
		}
		KT_EQ(sys_close((int)stream("/s2", 24, (unsigned int)r + 5, 0, 0)), 0);
		check_all("mapped round");
	}
	for (unsigned long p = 0; p < npages; p++) {
		unsigned char c = 0;

		bad += mmsim_user_read(anon + p * PAGE_SIZE, &c, 1) || c != (unsigned char)(p + 1);
	}
	KT_EQ(bad, 0);
	KT_ASSERT(fd_mapping_valid(fd));
	KT_EQ(sys_munmap(va, 8UL << 20), 0);
	KT_EQ(sys_munmap(anon, 8UL << 20), 0);
	check_all("mapped");
}

/* Resident pages of [va, va + npages) (present PTEs). */
static unsigned long resident(unsigned long va, unsigned long npages)
{
	unsigned long n = 0;

	for (unsigned long p = 0; p < npages; p++) {
		pte_t *ptep = mm_find_pte(current->mm, va + p * PAGE_SIZE);

		n += ptep && pte_present(ptep_get(ptep));
	}
	return n;
}

static void test_hot_set(void)
{
	unsigned long hot_pages = (4UL << 20) / PAGE_SIZE, va, left;
	long fd = stream("/hot", 4, 9, 0, 0), sfd;

	va = sys_mmap(0, 4UL << 20, PROT_READ, MAP_SHARED, (unsigned long)fd, 0);
	KT_ASSERT(!IS_ERR_VALUE(va));
	for (unsigned long p = 0; p < hot_pages; p++) {
		unsigned char c;

		KT_EQ(mmsim_user_read(va + p * PAGE_SIZE, &c, 1), 0);
	}
	sfd = stream("/cold", 40, 3, va, hot_pages);
	left = resident(va, hot_pages);
	printf("# hot set: %lu of %lu pages resident after streaming 40M\n", left, hot_pages);
	KT_ASSERT(left >= hot_pages / 2);
	check_all("hot set");
	KT_EQ(sys_munmap(va, 4UL << 20), 0);
	KT_EQ(sys_close((int)sfd), 0);
	KT_EQ(sys_close((int)fd), 0);
}

static void test_switch_under_pressure(void)
{
	long fd;

	KT_EQ(mmsim_write(m, "/sys/kernel/mm/lru_gen/enabled", "n"), 0);
	fd = stream("/sw1", 40, 11, 0, 0);
	check_all("classic stream");
	KT_EQ(mmsim_write(m, "/sys/kernel/mm/lru_gen/enabled", "y"), 0);
	KT_ASSERT(lru_policy_current() == &lru_gen_ops);
	check_all("switch back");
	KT_EQ(sys_close((int)fd), 0);
	fd = stream("/sw2", 40, 12, 0, 0);
	check_all("mglru stream");
	KT_EQ(sys_close((int)fd), 0);
}

/* The histogram adds up to the LRU counters (no lazy moves to hide). */
static void test_histogram(void)
{
	char *s = mmsim_read(m, "/sys/kernel/debug/lru_gen_full"), *line;
	unsigned long anon = 0, file = 0;
	long long want_anon = vmstat("nr_inactive_anon") + vmstat("nr_active_anon");
	long long want_file = vmstat("nr_inactive_file") + vmstat("nr_active_file");

	KT_ASSERT(s != NULL);
	for (line = s; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		unsigned long seq, a, f;
		unsigned int age;
		char ma, mf;

		if (sscanf(line, " %lu %u %lu%c %lu%c", &seq, &age, &a, &ma, &f, &mf) == 6 &&
		    (ma == ' ' || ma == 'x') && line[0] == ' ' && line[10] != ' ') {
			anon += a;
			file += f;
		}
	}
	free(s);
	KT_EQ((long long)anon, want_anon);
	KT_EQ((long long)file, want_file);
}

int main(void)
{
	struct task_struct *t;

	m = mmsim_boot("ram=32M disk=160M swap=32M lru=mglru");
	if (!m)
		m = boot_or_die("ram=32M disk=160M lru=mglru");
	printf("# swap: %ld pages\n", get_total_swap_pages());
	t = mmsim_spawn(m, "pressure");
	KT_EQ(mmsim_switch_to(t), 0);
	ubuf = sys_mmap(0, CHUNK, RW, PRIV, -1UL, 0);
	KT_RUN(test_stream);
	KT_RUN(test_mapped_and_anon);
	KT_RUN(test_hot_set);
	KT_RUN(test_switch_under_pressure);
	KT_RUN(test_histogram);
	sys_exit_group(0);
	KT_ASSERT(lru_all_valid());
	mmsim_shutdown(m);
	return kt_done();
}
