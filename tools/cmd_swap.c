// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cmd_swap.c - the scenario commands of swap and the OOM killer, as a
 * Linux user types them: mkswap, swapon, swapoff, swapon --show, and
 * choom / oom_score_adj.
 *
 * Design.  Each command is the user-space program of util-linux (or the
 * system call it makes), run by `current` (spawn/switch choose it):
 *
 *   mkswap PATH [SIZE]   util-linux's mkswap: with SIZE, the file is first
 *                        made (created, truncated, SIZE bytes of zeros,
 *                        as `mkswap --file --size` does); then its first
 *                        page gets a swap header (version 1, last_page =
 *                        pages - 1, no bad pages, a UUID, the magic
 *                        "SWAPSPACE2" in the page's last 10 bytes) and the
 *                        file is fsynced.  Prints mkswap's two lines:
 *                          Setting up swapspace version 1, size = 32 MiB (33550336 bytes)
 *                          no label, UUID=...
 *                        The UUID is a hash of the path and the size (a
 *                        version-4 layout), so a run is deterministic.
 *                        The header is written here, through the file's
 *                        system calls, as the real mkswap writes it: the
 *                        kernel's swapon (mm/swapfile.c) reads it back.
 *   swapon PATH [PRIO]   sys_swapon(PATH, PRIO given ? SWAP_FLAG_PREFER |
 *                        PRIO : 0), printed in strace's notation:
 *                          [pid 2] swapon("/swapfile", SWAP_FLAG_PREFER|10) = 0
 *   swapon --show [--bytes]  util-linux's table (NAME TYPE SIZE USED PRIO)
 *                        from /proc/swaps: columns as wide as their widest
 *                        cell, NAME and TYPE left-aligned, the others
 *                        right-aligned, sizes as size_to_human_string()
 *                        writes them with a one-letter suffix (64M, 1.5G,
 *                        0B) or, with --bytes, in bytes.  Nothing at all
 *                        when no area is on.
 *   swapon -s            /proc/swaps as it is (swapon --summary).
 *   swapoff PATH         sys_swapoff(PATH), printed with the virtual time
 *                        it took (it reads every page of the area back):
 *                          [pid 2] swapoff("/swapfile") = 0 <12.345 ms>
 *   choom -p PID [-n ADJ]     util-linux's choom: reads /proc/PID/oom_score
 *   oom_score_adj PID [ADJ]   and oom_score_adj, writes oom_score_adj, and
 *                        prints choom's lines:
 *                          pid 2's current OOM score: 667
 *                          pid 2's current OOM score adjust value: 0
 *                          pid 2's OOM score adjust value changed from 0 to 500
 *
 * A failing system call is what the kernel answered (the run goes on: use
 * `expect output`); a malformed argument or no task is an error of the
 * scenario ("FILE:LINE: COMMAND: problem").  mkswap's own refusals are
 * printed as mkswap prints them ("mkswap: error: ...") and stop nothing.
 *
 * State: none.  Single-threaded, like the interpreter.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <mmsim/sched.h>
#include <mmsim/mman.h>
#include <mmsim/syscalls.h>
#include <mmsim/uaccess.h>
#include <mmsim/err.h>
#include <mmsim/fcntl.h>
#include <mmsim/swap.h>
#include "init/machine.h"
#include "tools/scenario.h"

#define MKSWAP_BUF	(128UL << 10)	/* the zeros are written 128K a call */
#define MKSWAP_MAX	(1UL << 32)	/* 4 GiB, as `write` */
#define MIN_GOODPAGES	10		/* util-linux's smallest area */

static uint64_t swap_clock(struct scn *s)
{
	return atomic_load_explicit(&s->m->hw.clock_ns, memory_order_relaxed);
}

/*
 * util-linux's size_to_human_string(): the largest power-of-1024 unit
 * below the value, one decimal rounded half up (dropped when it is 0),
 * then the unit: "B", "K", "M", ... (@three: "KiB", "MiB"; @space: a space
 * before it).
 */
static void human_size(char *buf, size_t len, uint64_t bytes, bool three, bool space)
{
	static const char letters[] = "BKMGTPE";
	unsigned long long dec, frac;
	char suffix[8], *p = suffix;
	int exp;

	for (exp = 10; exp <= 60; exp += 10)
		if (bytes < (1ULL << exp))
			break;
	exp -= 10;
	dec = exp ? bytes >> exp : bytes;
	frac = exp ? bytes & ((1ULL << exp) - 1) : 0;
	if (space)
		*p++ = ' ';
	*p++ = letters[exp / 10];
	if (three && exp) {
		*p++ = 'i';
		*p++ = 'B';
	}
	*p = '\0';
	if (frac) {
		if (frac >= UINT64_MAX / 1000)
			frac = ((frac / 1024) * 1000) / (1ULL << (exp - 10));
		else
			frac = (frac * 1000) / (1ULL << exp);
		frac = ((frac + 50) / 100) * 10;
		if (frac == 100) {
			dec++;
			frac = 0;
		}
	}
	if (frac) {
		/* "%d.%02d", then the trailing zero dropped: 1.50 -> 1.5 */
		snprintf(buf, len, "%llu.%llu%s", dec, frac / 10, suffix);
	} else {
		snprintf(buf, len, "%llu%s", dec, suffix);
	}
}

/* FNV-1a over @n bytes, continuing @h. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		h = (h ^ *c++) * 0x100000001b3ULL;
	return h;
}

/* ---------------------------------------------------------------------
 * mkswap
 */

/* Write @n bytes of @host at @pos of @fd through a buffer of the task. */
static long pwrite_host(unsigned long ubuf, int fd, const void *host, size_t n, long pos)
{
	long ret = mmsim_user_write(ubuf, host, n);

	return ret ? ret : sys_pwrite64(fd, ubuf, n, pos);
}

/* mkswap PATH [SIZE] */
static int cmd_mkswap(struct scn *s, int argc, char **argv)
{
	unsigned long size = 0, page = PAGE_SIZE, ubuf, npages;
	const char *path = argv[1];
	unsigned char *hdr, uuid[16];
	char human[32];
	struct stat st;
	uint64_t h, done = 0;
	long fd, ret = 0;
	uint32_t v;

	if (!scn_running(s))
		return -1;
	if (argc > 2 && scn_size(s, "size", argv[2], 0, MKSWAP_MAX, &size))
		return -1;
	fd = sys_open(path, argc > 2 ? O_RDWR | O_CREAT | O_TRUNC : O_RDWR, 0600);
	if (fd < 0) {
		fprintf(s->out, "mkswap: cannot open %s: %s\n", path, strerror((int)-fd));
		return 0;
	}
	ubuf = sys_mmap(0, MKSWAP_BUF, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			~0UL, 0);
	if (IS_ERR_VALUE(ubuf)) {
		sys_close((int)fd);
		return scn_fail(s, "no room for a %lu-byte buffer in the task: %s", MKSWAP_BUF,
				strerror((int)-(long)ubuf));
	}
	/* --size: the file's bytes, zeros from the untouched buffer. */
	while (argc > 2 && done < size) {
		size_t n = size - done < MKSWAP_BUF ? (size_t)(size - done) : MKSWAP_BUF;

		ret = sys_write((int)fd, ubuf, n);
		if (ret <= 0)
			break;
		done += (uint64_t)ret;
	}
	if (ret < 0) {
		fprintf(s->out, "mkswap: %s: write failed: %s\n", path, strerror((int)-ret));
		goto out;
	}
	ret = sys_fstat((int)fd, &st);
	if (ret < 0) {
		fprintf(s->out, "mkswap: stat of %s failed: %s\n", path, strerror((int)-ret));
		goto out;
	}
	npages = (unsigned long)st.st_size / page;
	if (npages < MIN_GOODPAGES) {
		fprintf(s->out, "mkswap: error: swap area needs to be at least %lu KiB\n",
			MIN_GOODPAGES * page / 1024);
		goto out;
	}
	if (npages - 1 > 0xffffffffUL)
		npages = 0x100000000UL;	/* last_page is 32 bits: the rest is unused */

	hdr = calloc(1, page);
	if (!hdr) {
		ret = scn_fail(s, "out of host memory");
		goto out;
	}
	h = fnv(0xcbf29ce484222325ULL, path, strlen(path));
	h = fnv(h, &npages, sizeof(npages));
	for (int i = 0; i < 16; i++) {
		h = fnv(h, &i, sizeof(i));
		uuid[i] = (unsigned char)(h >> 24);
	}
	uuid[6] = (unsigned char)((uuid[6] & 0x0f) | 0x40);	/* version 4 */
	uuid[8] = (unsigned char)((uuid[8] & 0x3f) | 0x80);	/* RFC 4122 variant */
	/* union swap_header: bootbits[1024], version, last_page, nr_badpages, uuid, volume. */
	v = 1;
	memcpy(hdr + 1024, &v, 4);
	v = (uint32_t)(npages - 1);
	memcpy(hdr + 1028, &v, 4);
	memcpy(hdr + 1036, uuid, 16);
	memcpy(hdr + page - 10, "SWAPSPACE2", 10);
	for (unsigned long off = 0; off < page && ret >= 0; off += MKSWAP_BUF) {
		size_t n = page - off < MKSWAP_BUF ? page - off : MKSWAP_BUF;

		ret = pwrite_host(ubuf, (int)fd, hdr + off, n, (long)off);
	}
	free(hdr);
	if (ret >= 0)
		ret = sys_fsync((int)fd);
	if (ret < 0) {
		fprintf(s->out, "mkswap: %s: unable to write signature page: %s\n", path,
			strerror((int)-ret));
		ret = 0;
		goto out;
	}
	human_size(human, sizeof(human), (uint64_t)(npages - 1) * page, true, true);
	fprintf(s->out, "Setting up swapspace version 1, size = %s (%llu bytes)\n", human,
		(unsigned long long)(npages - 1) * page);
	fprintf(s->out, "no label, UUID=%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		"%02x%02x%02x%02x%02x%02x\n", uuid[0], uuid[1], uuid[2], uuid[3], uuid[4],
		uuid[5], uuid[6], uuid[7], uuid[8], uuid[9], uuid[10], uuid[11], uuid[12],
		uuid[13], uuid[14], uuid[15]);
	ret = 0;
out:
	sys_munmap(ubuf, MKSWAP_BUF);
	sys_close((int)fd);
	return ret < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------------
 * swapon, swapoff
 */

/* One row of /proc/swaps. */
struct swaps_row {
	char name[256], type[16];
	unsigned long long size_kb, used_kb;
	long prio;
};

/* The rows of /proc/swaps (after its header) into a malloc'd array; -1 after scn_fail(). */
static int read_swaps(struct scn *s, struct swaps_row **rows, size_t *nr)
{
	char *text = mmsim_read(s->m, "/proc/swaps"), *p;

	*rows = NULL;
	*nr = 0;
	if (!text && errno == ENOENT)
		return 0;	/* a kernel without swap (no CONFIG_SWAP): no areas */
	if (!text)
		return scn_fail(s, "/proc/swaps: %s", strerror(errno));
	p = strchr(text, '\n');
	while (p && p[1]) {
		struct swaps_row r, *more;

		p++;
		if (sscanf(p, "%255s %15s %llu %llu %ld", r.name, r.type, &r.size_kb, &r.used_kb,
			   &r.prio) != 5) {
			free(text);
			free(*rows);
			return scn_fail(s, "/proc/swaps: a malformed line");
		}
		more = realloc(*rows, (*nr + 1) * sizeof(*more));
		if (!more) {
			free(text);
			free(*rows);
			return scn_fail(s, "out of host memory");
		}
		*rows = more;
		(*rows)[(*nr)++] = r;
		p = strchr(p, '\n');
	}
	free(text);
	return 0;
}

/* swapon --show [--bytes]: util-linux's table (libsmartcols, one space between columns). */
static int swapon_show(struct scn *s, bool bytes)
{
	static const char *const head[] = { "NAME", "TYPE", "SIZE", "USED", "PRIO" };
	struct swaps_row *rows;
	size_t nr, w[5];
	char (*cells)[5][264];

	if (read_swaps(s, &rows, &nr))
		return -1;
	if (!nr) {
		free(rows);
		return 0;
	}
	cells = calloc(nr, sizeof(*cells));
	if (!cells) {
		free(rows);
		return scn_fail(s, "out of host memory");
	}
	for (int c = 0; c < 5; c++)
		w[c] = strlen(head[c]);
	for (size_t i = 0; i < nr; i++) {
		snprintf(cells[i][0], 264, "%s", rows[i].name);
		snprintf(cells[i][1], 264, "%s", rows[i].type);
		if (bytes) {
			snprintf(cells[i][2], 264, "%llu", rows[i].size_kb * 1024);
			snprintf(cells[i][3], 264, "%llu", rows[i].used_kb * 1024);
		} else {
			human_size(cells[i][2], 264, rows[i].size_kb * 1024, false, false);
			human_size(cells[i][3], 264, rows[i].used_kb * 1024, false, false);
		}
		snprintf(cells[i][4], 264, "%ld", rows[i].prio);
		for (int c = 0; c < 5; c++)
			if (strlen(cells[i][c]) > w[c])
				w[c] = strlen(cells[i][c]);
	}
	fprintf(s->out, "%-*s %-*s %*s %*s %*s\n", (int)w[0], head[0], (int)w[1], head[1],
		(int)w[2], head[2], (int)w[3], head[3], (int)w[4], head[4]);
	for (size_t i = 0; i < nr; i++)
		fprintf(s->out, "%-*s %-*s %*s %*s %*s\n", (int)w[0], cells[i][0], (int)w[1],
			cells[i][1], (int)w[2], cells[i][2], (int)w[3], cells[i][3], (int)w[4],
			cells[i][4]);
	free(cells);
	free(rows);
	return 0;
}

/* swapon PATH [PRIO] | swapon --show [--bytes] | swapon -s */
static int cmd_swapon(struct scn *s, int argc, char **argv)
{
	unsigned long prio = 0;
	int flags = 0;
	long ret;

	if (!strcmp(argv[1], "--show")) {
		if (argc > 3 || (argc == 3 && strcmp(argv[2], "--bytes")))
			return scn_fail(s, "usage: swapon --show [--bytes]");
		return swapon_show(s, argc == 3);
	}
	if (!strcmp(argv[1], "-s") || !strcmp(argv[1], "--summary")) {
		char *text;

		if (argc > 2)
			return scn_fail(s, "usage: swapon -s");
		text = mmsim_read(s->m, "/proc/swaps");
		if (!text && errno == ENOENT)
			return 0;	/* no swap in this kernel: nothing to list */
		if (!text)
			return scn_fail(s, "/proc/swaps: %s", strerror(errno));
		fputs(text, s->out);
		free(text);
		return 0;
	}
	if (argv[1][0] == '-')
		return scn_fail(s, "'%s' is not an option (--show, --bytes, -s)", argv[1]);
	if (argc > 3)
		return scn_fail(s, "usage: swapon PATH [PRIO]");
	if (argc == 3) {
		if (scn_ulong(s, "PRIO", argv[2], 0, SWAP_FLAG_PRIO_MASK, &prio))
			return scn_fail(s, "'%s' is not a priority (0..%d)", argv[2],
					SWAP_FLAG_PRIO_MASK);
		flags = SWAP_FLAG_PREFER | (int)((prio << SWAP_FLAG_PRIO_SHIFT) & SWAP_FLAG_PRIO_MASK);
	}
	if (!scn_running(s))
		return -1;
	ret = sys_swapon(argv[1], flags);
	scn_print_pid(s);
	if (flags)
		fprintf(s->out, "swapon(\"%s\", SWAP_FLAG_PREFER|%lu)", argv[1], prio);
	else
		fprintf(s->out, "swapon(\"%s\", 0)", argv[1]);
	scn_print_ret(s, ret, false);
	return 0;
}

/* swapoff PATH */
static int cmd_swapoff(struct scn *s, int argc, char **argv)
{
	uint64_t t0, ns;
	long ret;

	(void)argc;
	if (argv[1][0] == '-')
		return scn_fail(s, "'%s' is not a path (swapoff PATH)", argv[1]);
	if (!scn_running(s))
		return -1;
	t0 = swap_clock(s);
	ret = sys_swapoff(argv[1]);
	ns = swap_clock(s) - t0;
	scn_print_pid(s);
	fprintf(s->out, "swapoff(\"%s\")", argv[1]);
	if (ret >= 0)
		fprintf(s->out, " = %ld <%llu.%03llu ms>\n", ret,
			(unsigned long long)(ns / 1000000), (unsigned long long)(ns / 1000 % 1000));
	else
		scn_print_ret(s, ret, false);
	return 0;
}

/* ---------------------------------------------------------------------
 * choom, oom_score_adj
 */

/* The number in /proc/PID/@file into *@v; -1 after scn_fail(). */
static int read_proc_int(struct scn *s, unsigned long pid, const char *file, long *v)
{
	char path[64], *text, *end;

	snprintf(path, sizeof(path), "/proc/%lu/%s", pid, file);
	text = mmsim_read(s->m, path);
	if (!text)
		return scn_fail(s, "failed to read %s: %s", path, strerror(errno));
	*v = strtol(text, &end, 10);
	free(text);
	return 0;
}

static int choom(struct scn *s, const char *pidw, const char *adjw)
{
	unsigned long pid;
	long old, score, adj = 0;
	char path[64];
	int ret;

	if (scn_addr(s, "pid", pidw, &pid))
		return -1;
	if (adjw) {
		char *end;

		errno = 0;
		adj = strtol(adjw, &end, 10);
		if (errno || *end || !adjw[0])
			return scn_fail(s, "failed to parse adjust value: '%s'", adjw);
	}
	if (read_proc_int(s, pid, "oom_score_adj", &old))
		return -1;
	if (!adjw) {
		if (read_proc_int(s, pid, "oom_score", &score))
			return -1;
		fprintf(s->out, "pid %lu's current OOM score: %ld\n", pid, score);
		fprintf(s->out, "pid %lu's current OOM score adjust value: %ld\n", pid, old);
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%lu/oom_score_adj", pid);
	ret = mmsim_write(s->m, path, adjw);
	if (ret < 0) {
		/* choom's message for a refused write (err(3): "choom: ...: Invalid argument") */
		fprintf(s->out, "choom: failed to set score adjust value: %s\n", strerror(-ret));
		return 0;
	}
	fprintf(s->out, "pid %lu's OOM score adjust value changed from %ld to %ld\n", pid, old,
		adj);
	return 0;
}

/* choom -p PID [-n ADJ] */
static int cmd_choom(struct scn *s, int argc, char **argv)
{
	const char *pid = NULL, *adj = NULL;

	for (int i = 1; i < argc; i += 2) {
		if (i + 1 >= argc)
			return scn_fail(s, "usage: choom -p PID [-n ADJ]");
		if (!strcmp(argv[i], "-p") || !strcmp(argv[i], "--pid"))
			pid = argv[i + 1];
		else if (!strcmp(argv[i], "-n") || !strcmp(argv[i], "--adjust"))
			adj = argv[i + 1];
		else
			return scn_fail(s, "'%s' is not an option (-p PID, -n ADJ)", argv[i]);
	}
	if (!pid)
		return scn_fail(s, "usage: choom -p PID [-n ADJ]");
	return choom(s, pid, adj);
}

/* oom_score_adj PID [ADJ] */
static int cmd_oom_score_adj(struct scn *s, int argc, char **argv)
{
	return choom(s, argv[1], argc > 2 ? argv[2] : NULL);
}

const struct scn_command scn_swap_commands[] = {
	{ "mkswap", cmd_mkswap, true, 2, 3, "mkswap PATH [SIZE]",
	  "util-linux's mkswap: a swap header on PATH (made SIZE bytes first if given)" },
	{ "swapon", cmd_swapon, true, 2, 3, "swapon PATH [PRIO] | --show [--bytes] | -s",
	  "sys_swapon (priority PRIO), or util-linux's view of /proc/swaps" },
	{ "swapoff", cmd_swapoff, true, 2, 2, "swapoff PATH",
	  "sys_swapoff: every page of the area is read back (the virtual time it took)" },
	{ "choom", cmd_choom, true, 3, 5, "choom -p PID [-n ADJ]",
	  "util-linux's choom: a process's OOM score, and its oom_score_adj set" },
	{ "oom_score_adj", cmd_oom_score_adj, true, 2, 3, "oom_score_adj PID [ADJ]",
	  "choom -p PID [-n ADJ]: /proc/PID/oom_score_adj read, or written" },
	{ .name = NULL }
};
