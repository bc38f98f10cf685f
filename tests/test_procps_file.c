// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_procps_file.c - procps's `free` and `vmstat` on the files of
 * a machine whose page cache holds files: buff/cache, Dirty, bi and bo.
 *
 * A process writes an 8 MiB file through sys_write and fsyncs it (pgpgout
 * grows by its 8192 kB), drops the clean cache (vm.drop_caches = 1: the
 * file's pages go, Cached falls), reads it back through sys_read (pgpgin
 * grows by at least 8192 kB: the pages come from the disk) and writes a
 * 2 MiB file it does not sync (Dirty >= 2048 kB).  Then the machine's
 * /proc/meminfo, /proc/vmstat and /proc/stat are bound over the host's in
 * a private mount namespace (unshare -m) where the real tools run:
 *
 *   free -k      Mem's buff/cache = Buffers + Cached + SReclaimable of our
 *                meminfo, and holds both files (>= 10 MiB);
 *   vmstat -s    "K paged in"/"K paged out" = our pgpgin/pgpgout;
 *   vmstat       the first line's bi/bo = pgpgin/pgpgout * HZ / the ticks
 *                of /proc/stat (rounded), its buff and cache our Buffers
 *                and Cached + SReclaimable.
 *
 * Needs root (unshare -m, mount --bind), procps, and the file system calls;
 * without them the test prints "SKIP: <why>" and passes.  The host's /proc
 * is never touched: the mounts live and die with the namespace.
 */
#include <unistd.h>
#include <sys/wait.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/mman.h>
#include <mmsim/uaccess.h>
#include <mmsim/fcntl.h>
#include <mmsim/err.h>
#include "mmtest.h"

#define BIG	(8L << 20)
#define SMALL	(2L << 20)
#define CHUNK	(128L << 10)

static char dir[64];

static int write_file(const char *name, const char *text)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static char *read_file(const char *name)
{
	char path[128], *buf;
	long len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)len + 1);
	if (buf && fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int run_tool(const char *tool, const char *out)
{
	char cmd[512];
	int st;

	snprintf(cmd, sizeof(cmd),
		 "unshare -m sh -c 'mount --bind %s/meminfo /proc/meminfo && "
		 "mount --bind %s/vmstat /proc/vmstat && mount --bind %s/stat /proc/stat && "
		 "%s' >%s/%s 2>&1",
		 dir, dir, dir, tool, dir, out);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *skip_reason(void)
{
	if (system("command -v free >/dev/null 2>&1 && command -v vmstat >/dev/null 2>&1 && "
		   "command -v unshare >/dev/null 2>&1"))
		return "procps (free, vmstat) or unshare not installed";
	if (geteuid() != 0)
		return "not root: cannot unshare the mount namespace";
	if (write_file("meminfo", "") || write_file("vmstat", "") || write_file("stat", ""))
		return "cannot write the temporary files";
	if (run_tool("true", "probe.out"))
		return "unshare -m / mount --bind not permitted here";
	return NULL;
}

/* The number before " @what" on a line of `vmstat -s` output; -1 if absent. */
static long long vmstat_s(const char *text, const char *what)
{
	const char *p = strstr(text, what);
	const char *line;

	if (!p)
		return -1;
	for (line = p; line > text && line[-1] != '\n'; line--)
		;
	return strtoll(line, NULL, 10);
}

/* Write or read @len bytes of @fd through the task's buffer @ubuf. */
static long file_io(int fd, unsigned long ubuf, long len, bool write)
{
	long done = 0;

	while (done < len) {
		long ret = write ? sys_write(fd, ubuf, CHUNK) : sys_read(fd, ubuf, CHUNK);

		if (ret <= 0)
			return ret < 0 ? ret : done;
		done += ret;
	}
	return done;
}

/* Fill the cache; 0, or -errno when the file calls are not there yet. */
static long fill_cache(struct mmsim *m, long long *in0, long long *out0)
{
	unsigned long ubuf = sys_mmap(0, CHUNK, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, ~0UL, 0);
	char pattern[4096], *vm;
	long fd, ret;

	KT_ASSERT(!IS_ERR_VALUE(ubuf));
	memset(pattern, 0x5a, sizeof(pattern));
	for (long off = 0; off < CHUNK; off += (long)sizeof(pattern))
		KT_EQ(mmsim_user_write(ubuf + (unsigned long)off, pattern, sizeof(pattern)), 0);
	vm = mmsim_read(m, "/proc/vmstat");
	*in0 = field(vm, "pgpgin ");
	*out0 = field(vm, "pgpgout ");
	free(vm);

	fd = sys_open("/procps-big", O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return fd;
	ret = file_io((int)fd, ubuf, BIG, true);
	if (ret != BIG)
		return ret < 0 ? ret : -EIO;
	ret = sys_fsync((int)fd);
	if (ret)
		return ret;
	sys_close((int)fd);
	ret = mmsim_write(m, "/proc/sys/vm/drop_caches", "1");
	if (ret)
		return ret;
	fd = sys_open("/procps-big", O_RDONLY, 0);
	KT_ASSERT(fd >= 0);
	KT_EQ(file_io((int)fd, ubuf, BIG, false), BIG);
	sys_close((int)fd);

	fd = sys_open("/procps-dirty", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	KT_ASSERT(fd >= 0);
	KT_EQ(file_io((int)fd, ubuf, SMALL, true), SMALL);
	sys_close((int)fd);
	sys_munmap(ubuf, CHUNK);
	return 0;
}

static void check_free(const char *mi)
{
	long long total, used, freem, shared, buffcache, avail;
	long long cached = field(mi, "Buffers:") + field(mi, "Cached:") + field(mi, "SReclaimable:");
	const char *mem;
	char *out;

	KT_EQ(run_tool("free -k", "free.out"), 0);
	out = read_file("free.out");
	mem = out ? strstr(out, "\nMem:") : NULL;
	KT_ASSERT(mem);
	if (!mem) {
		free(out);
		return;
	}
	printf("%s", out);
	KT_EQ(sscanf(mem + 5, "%lld %lld %lld %lld %lld %lld", &total, &used, &freem, &shared,
		     &buffcache, &avail), 6);
	KT_EQ(buffcache, cached);
	KT_ASSERT(buffcache >= (BIG + SMALL) >> 10);
	KT_EQ(freem, field(mi, "MemFree:"));
	KT_EQ(avail, field(mi, "MemAvailable:"));
	free(out);
}

static void check_vmstat(const char *mi, const char *vm, const char *st, long long in0,
			 long long out0)
{
	long long in = field(vm, "pgpgin "), outk = field(vm, "pgpgout "), div = 0, v[17];
	const char *line;
	char *out;

	/*
	 * The disk did the work: at least the big file went out (fsync) and
	 * came back in (after drop_caches).  Without writeback (yet), fsync
	 * writes nothing and the dirty pages cannot be dropped: only the
	 * tools' reading of our files is checked then.
	 */
	if (outk - out0 < BIG >> 10) {
		printf("note: fsync wrote %lld kB (no writeback yet?): bi/bo not checked\n",
		       outk - out0);
	} else {
		KT_ASSERT(in - in0 >= BIG >> 10);
		KT_ASSERT(field(mi, "Dirty:") >= SMALL >> 10);
	}

	KT_EQ(run_tool("vmstat -s", "vmstat-s.out"), 0);
	out = read_file("vmstat-s.out");
	KT_ASSERT(out);
	if (out) {
		KT_EQ(vmstat_s(out, "K paged in"), in);
		KT_EQ(vmstat_s(out, "K paged out"), outk);
		KT_EQ(vmstat_s(out, "K buffer memory"), field(mi, "Buffers:"));
		KT_EQ(vmstat_s(out, "K swap cache"),
		      field(mi, "Cached:") + field(mi, "SReclaimable:"));
	}
	free(out);

	KT_EQ(run_tool("vmstat", "vmstat.out"), 0);
	out = read_file("vmstat.out");
	line = out ? strchr(out, '\n') : NULL;
	line = line ? strchr(line + 1, '\n') : NULL;
	KT_ASSERT(line);
	if (!line) {
		free(out);
		return;
	}
	printf("%s", out);
	for (int i = 0; i < 17; i++) {
		char *end;

		v[i] = strtoll(line, &end, 10);
		line = end;
	}
	/* The cpu line's user..steal ticks: vmstat's divisor. */
	{
		const char *p = st + 4;

		for (int i = 0; i < 8; i++) {
			char *end;

			div += strtoll(p, &end, 10);
			p = end;
		}
	}
	if (!div)
		div = 1;
	KT_EQ(v[4], field(mi, "Buffers:"));
	KT_EQ(v[5], field(mi, "Cached:") + field(mi, "SReclaimable:"));
	KT_EQ(v[8], (in * 100 + div / 2) / div);
	KT_EQ(v[9], (outk * 100 + div / 2) / div);
	free(out);
}

static void test_procps_file(void)
{
	struct mmsim *m = boot_or_die("ram=256M cpus=1");
	struct task_struct *t = mmsim_spawn(m, "app");
	long long in0 = 0, out0 = 0;
	char *mi, *vm, *st;
	long ret;

	KT_ASSERT(t);
	KT_EQ(mmsim_switch_to(t), 0);
	ret = fill_cache(m, &in0, &out0);
	if (ret) {
		printf("SKIP: the page cache cannot be filled yet (%s)\n", strerror((int)-ret));
		mmsim_shutdown(m);
		return;
	}
	mmsim_advance_clock(m, 2000000000ULL);
	mi = mmsim_read(m, "/proc/meminfo");
	vm = mmsim_read(m, "/proc/vmstat");
	st = mmsim_read(m, "/proc/stat");
	KT_ASSERT(mi && vm && st);
	KT_EQ(write_file("meminfo", mi), 0);
	KT_EQ(write_file("vmstat", vm), 0);
	KT_EQ(write_file("stat", st), 0);
	check_free(mi);
	check_vmstat(mi, vm, st, in0, out0);
	free(mi);
	free(vm);
	free(st);
	mmsim_shutdown(m);
}

int main(void)
{
	char path[128];
	const char *why;

	snprintf(dir, sizeof(dir), "/tmp/mmsim-procps-file-XXXXXX");
	if (!mkdtemp(dir)) {
		printf("SKIP: cannot make a temporary directory\n");
		return 0;
	}
	why = skip_reason();
	if (why)
		printf("SKIP: %s\n", why);
	else
		KT_RUN(test_procps_file);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path))
		fprintf(stderr, "could not remove %s\n", dir);
	return kt_done();
}
