// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_lab_record.c - what `mmsim record` captures (docs/record.md):
 * tests/lab/rec_target recorded with each backend, its trace read back
 * with trace_open(), checked against what the target is known to do.
 *
 * rec_target maps 4 MiB anonymous (1024 pages), writes each page, spins 30
 * ms of CPU, reads each page, forks a child that writes page 0, unmaps.  So
 * the trace must hold, in this order for the main pid: an MMAP of exactly
 * 4 MiB, anonymous, read-write; a WRITE on each of the 1024 pages; a READ
 * on each (the sampler's next epoch sees the reads: the spin spans several
 * 10 ms epochs); a FORK naming a child; a MUNMAP of the same 4 MiB; EXIT
 * last.  No access of the main pid may fall in the range outside
 * [MMAP, MUNMAP].  The child gets an EXIT; with the sample backend its
 * write of page 0 is there (lackey silences forked children).
 *
 * MMSIM_TOOL (set by CTest) is the mmsim binary; rec_target is beside it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ktest.h"
#include "tools/lab/trace.h"

#define TARGET_LEN	(4ull << 20)
#define TARGET_PAGES	(TARGET_LEN >> 12)

static char tool[PATH_MAX], target[PATH_MAX], dir[PATH_MAX];

/* Run mmsim record; its exit status (stdout and stderr to /dev/null). */
static int record(const char *backend, const char *out)
{
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);

		dup2(fd, 1);
		execl(tool, tool, "record", "-o", out, "--backend", backend, "--", target, "0", "30",
		      (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void check_backend(const char *backend)
{
	static unsigned char written[TARGET_PAGES], readp[TARGET_PAGES];
	struct trace_reader *r;
	struct trace_rec rec;
	char path[PATH_MAX + 32], err[256];
	uint64_t base = 0, nr = 0;
	uint32_t main_pid = 0, child = 0;
	bool mapped = false, unmapped = false, forked = false, main_exit = false;
	bool child_exit = false, child_wrote = false, after_exit = false;
	unsigned int nr_written = 0, nr_read = 0, stray = 0;
	const struct trace_info *info;
	int ret;

	memset(written, 0, sizeof(written));
	memset(readp, 0, sizeof(readp));
	snprintf(path, sizeof(path), "%s/%s.trace", dir, backend);
	KT_EQ(record(backend, path), 0);
	r = trace_open(path, TRACE_FMT_AUTO, err, sizeof(err));
	KT_ASSERT(r);
	if (!r) {
		fprintf(stderr, "%s\n", err);
		return;
	}
	info = trace_get_info(r);
	KT_EQ(info->format, TRACE_FMT_MMSIM);
	KT_ASSERT(info->has_layout && info->has_addresses);
	KT_ASSERT(!strcmp(info->backend, backend));
	KT_STR_CONTAINS(info->program, "rec_target 0 30");

	while ((ret = trace_read(r, &rec)) == 1) {
		bool in = mapped && rec.addr >= base && rec.addr < base + TARGET_LEN;
		bool access = rec.op == TRACE_READ || rec.op == TRACE_WRITE;

		nr++;
		if (!main_pid)
			main_pid = rec.pid;
		if (rec.pid == main_pid && main_exit)
			after_exit = true;
		if (rec.pid != main_pid) {
			if (rec.pid == child && rec.op == TRACE_WRITE && in && rec.addr < base + 4096)
				child_wrote = true;
			if (rec.pid == child && rec.op == TRACE_EXIT)
				child_exit = true;
			continue;
		}
		switch (rec.op) {
		case TRACE_MMAP:
			if (!mapped && rec.len == TARGET_LEN && (int64_t)rec.arg == -1 &&
			    rec.prot == (PROT_READ | PROT_WRITE) && (rec.flags & MAP_ANONYMOUS)) {
				mapped = true;
				base = rec.addr;
			}
			break;
		case TRACE_MUNMAP:
			if (mapped && rec.addr == base && rec.len == TARGET_LEN)
				unmapped = true;
			break;
		case TRACE_FORK:
			forked = true;
			child = (uint32_t)rec.arg;
			break;
		case TRACE_EXIT:
			main_exit = true;
			break;
		}
		if (!access || !mapped || rec.addr < base || rec.addr >= base + TARGET_LEN)
			continue;
		if (unmapped) {
			stray++;
			continue;
		}
		uint64_t page = (rec.addr - base) >> 12;

		KT_EQ(rec.id, rec.addr >> 12);
		if (rec.op == TRACE_WRITE && !written[page]++)
			nr_written++;
		/* the reads come after all the writes (lackey: a store is no load) */
		if (rec.op == TRACE_READ && nr_written == TARGET_PAGES && !readp[page]++)
			nr_read++;
	}
	KT_EQ(ret, 0);
	trace_close(r);
	printf("     %s: %llu records, main pid %u, 4 MiB map at %#llx: %u pages written, %u read\n",
	       backend, (unsigned long long)nr, main_pid, (unsigned long long)base, nr_written, nr_read);
	KT_ASSERT(mapped);
	KT_EQ(nr_written, TARGET_PAGES);
	KT_EQ(nr_read, TARGET_PAGES);
	KT_ASSERT(forked && child && child != main_pid);
	KT_ASSERT(unmapped);
	KT_EQ(stray, 0);
	KT_ASSERT(main_exit);
	KT_ASSERT(!after_exit);
	KT_ASSERT(child_exit);
	if (!strcmp(backend, "sample"))
		KT_ASSERT(child_wrote);
	unlink(path);
}

static void test_record_lackey(void)
{
	check_backend("lackey");
}

static void test_record_sample(void)
{
	check_backend("sample");
}

int main(void)
{
	const char *t = getenv("MMSIM_TOOL");
	char copy[PATH_MAX];

	if (!t || snprintf(tool, sizeof(tool), "%s", t) >= (int)sizeof(tool)) {
		fprintf(stderr, "test_lab_record: MMSIM_TOOL must name the mmsim binary\n");
		return 1;
	}
	snprintf(copy, sizeof(copy), "%s", tool);
	snprintf(target, sizeof(target), "%s/rec_target", dirname(copy));
	snprintf(dir, sizeof(dir), "/tmp/test_lab_record.XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	KT_RUN(test_record_lackey);
	KT_RUN(test_record_sample);
	rmdir(dir);
	return kt_done();
}
