// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_procps_pid.c - procps's `pmap -x PID` and
 * `ps -o pid,vsz,rss,comm -p PID` read mmsim's /proc/PID files unmodified.
 *
 * A process of a machine maps and touches memory and forks; its
 * /proc/PID/{maps,smaps,smaps_rollup,status,stat,statm} are written into a
 * fake /proc tree in a temporary directory, which a private mount namespace
 * (unshare -m) binds over /proc.  The tree's other entries are symbolic
 * links into a fresh mount of the host's procfs (meminfo, uptime, self,
 * ...), and each tool is started by a shell that first links its own
 * /proc/<its pid> there (procps reads its own stat), then execs it.  The
 * host's /proc is untouched: the mounts live and die with the namespace.
 *
 * pmap -x must print a row per VMA with our Size, Rss and dirty kB
 * (Shared_Dirty + Private_Dirty) and the totals; ps must print our pid,
 * VmSize, VmRSS and comm.  Needs root, unshare, and procps (pmap, ps);
 * without them the test prints "SKIP: <why>" and passes.  The fake tree
 * holds a cmdline of the comm and a NUL (mmsim keeps no argv): pmap's
 * first line shows it.
 */
#include <unistd.h>
#include <errno.h>
#include <sys/stat.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/mman.h>
#include <mmsim/uaccess.h>
#include <mmsim/err.h>
#include "mmtest.h"

static char dir[64];

static int write_path(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fwrite(text, 1, len, f);
	return fclose(f);
}

static char *read_path(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0, n;

	if (!f)
		return NULL;
	do {
		char *more = realloc(buf, cap + 4097);

		if (!more) {
			free(buf);
			fclose(f);
			return NULL;
		}
		buf = more;
		cap += 4096;
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n);
	buf[len] = '\0';
	fclose(f);
	return buf;
}

/*
 * Run @tool (a shell command; "$$" is the tool's pid) inside a namespace
 * whose /proc is the fake tree; its stdout and stderr go to dir/@out.
 */
static int run_tool(const char *tool, const char *out)
{
	char cmd[1024];
	int st;

	snprintf(cmd, sizeof(cmd),
		 "unshare -m sh -c 'mount -t proc proc %s/real && "
		 "for e in %s/real/*; do n=${e##*/}; case $n in *[!0-9]*) "
		 "[ -e %s/tree/$n ] || ln -s $e %s/tree/$n;; esac; done && "
		 "mount --bind %s/tree /proc && "
		 "exec sh -c \"ln -s %s/real/\\$\\$ /proc/\\$\\$ && exec %s\"' >%s/%s 2>&1",
		 dir, dir, dir, dir, dir, dir, tool, dir, out);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *skip_reason(void)
{
	if (system("command -v pmap >/dev/null 2>&1 && command -v ps >/dev/null 2>&1 && "
		   "command -v unshare >/dev/null 2>&1"))
		return "procps (pmap, ps) or unshare not installed";
	if (geteuid() != 0)
		return "not root: cannot unshare the mount namespace";
	if (run_tool("true", "probe.out"))
		return "unshare -m, mount -t proc or mount --bind not permitted here";
	return NULL;
}

/* Put the files of @pid into the fake tree. */
static void export_pid(struct mmsim *m, pid_t pid, const char *comm)
{
	static const char *const files[] = { "maps", "smaps", "smaps_rollup", "status", "stat",
					     "statm" };
	char path[256];

	snprintf(path, sizeof(path), "%s/tree/%d", dir, pid);
	mkdir(path, 0755);
	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		char src[64], *text;

		snprintf(src, sizeof(src), "/proc/%d/%s", pid, files[i]);
		text = mmsim_read(m, src);
		KT_ASSERT(text);
		if (!text) {
			fprintf(stderr, "%s: %s\n", src, strerror(errno));
			continue;
		}
		snprintf(path, sizeof(path), "%s/tree/%d/%s", dir, pid, files[i]);
		KT_EQ(write_path(path, text, strlen(text)), 0);
		free(text);
	}
	snprintf(path, sizeof(path), "%s/tree/%d/cmdline", dir, pid);
	KT_EQ(write_path(path, comm, strlen(comm) + 1), 0);
}

struct vma_row {
	unsigned long start;
	long long size, rss, dirty;
};

/* Our smaps as pmap -x should show it: per VMA Size, Rss, dirty. */
static int smaps_rows(const char *smaps, struct vma_row *rows, int max)
{
	int n = -1;

	for (const char *p = smaps; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		unsigned long s, e;

		if (sscanf(p, "%lx-%lx ", &s, &e) == 2 && strchr(p, ' ') &&
		    strchr(p, ' ') < strchr(p, '\n') && n + 1 < max) {
			rows[++n] = (struct vma_row){ s, 0, 0, 0 };
		} else if (n >= 0) {
			if (!strncmp(p, "Size:", 5))
				rows[n].size = strtoll(p + 5, NULL, 10);
			else if (!strncmp(p, "Rss:", 4))
				rows[n].rss = strtoll(p + 4, NULL, 10);
			else if (!strncmp(p, "Shared_Dirty:", 13) || !strncmp(p, "Private_Dirty:", 14))
				rows[n].dirty += strtoll(strchr(p, ':') + 1, NULL, 10);
		}
	}
	return n + 1;
}

static void check_pmap(struct mmsim *m, pid_t pid, const char *comm)
{
	struct vma_row rows[64];
	long long tsize = 0, trss = 0, tdirty = 0, a, b, c;
	char path[128], cmd[64], first[64], *smaps, *out;
	int nr;

	snprintf(path, sizeof(path), "/proc/%d/smaps", pid);
	smaps = mmsim_read(m, path);
	KT_ASSERT(smaps);
	nr = smaps_rows(smaps, rows, 64);
	KT_ASSERT(nr >= 2);
	snprintf(cmd, sizeof(cmd), "pmap -x %d", pid);
	KT_EQ(run_tool(cmd, "pmap.out"), 0);
	snprintf(path, sizeof(path), "%s/pmap.out", dir);
	out = read_path(path);
	KT_ASSERT(out);
	printf("%s", out ? out : "");
	snprintf(first, sizeof(first), "%d:   %s\n", pid, comm);
	KT_ASSERT(out && !strncmp(out, first, strlen(first)));
	for (int i = 0; out && i < nr; i++) {
		char addr[32];
		const char *row;

		snprintf(addr, sizeof(addr), "\n%016lx ", rows[i].start);
		row = strstr(out, addr);
		KT_ASSERT(row);
		if (!row)
			continue;
		KT_EQ(sscanf(row + strlen(addr), "%lld %lld %lld", &a, &b, &c), 3);
		KT_EQ_WHAT(a, rows[i].size, "pmap Kbytes of %lx", rows[i].start);
		KT_EQ_WHAT(b, rows[i].rss, "pmap RSS of %lx", rows[i].start);
		KT_EQ_WHAT(c, rows[i].dirty, "pmap Dirty of %lx", rows[i].start);
		tsize += rows[i].size;
		trss += rows[i].rss;
		tdirty += rows[i].dirty;
	}
	KT_ASSERT(out && strstr(out, "\ntotal kB"));
	if (out && strstr(out, "\ntotal kB")) {
		KT_EQ(sscanf(strstr(out, "\ntotal kB") + 9, "%lld %lld %lld", &a, &b, &c), 3);
		KT_EQ(a, tsize);
		KT_EQ(b, trss);
		KT_EQ(c, tdirty);
	}
	free(out);
	free(smaps);
}

static void check_ps(struct mmsim *m, pid_t pid, const char *comm)
{
	char path[128], cmd[96], name[64], *status, *out;
	long long p = -1, vsz = -1, rss = -1;
	const char *line;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	status = mmsim_read(m, path);
	KT_ASSERT(status);
	snprintf(cmd, sizeof(cmd), "ps -o pid,vsz,rss,comm -p %d", pid);
	KT_EQ(run_tool(cmd, "ps.out"), 0);
	snprintf(path, sizeof(path), "%s/ps.out", dir);
	out = read_path(path);
	KT_ASSERT(out);
	printf("%s", out ? out : "");
	line = out ? strchr(out, '\n') : NULL;
	KT_ASSERT(line && sscanf(line + 1, "%lld %lld %lld %63s", &p, &vsz, &rss, name) == 4);
	KT_EQ(p, pid);
	KT_EQ(vsz, status ? field(status, "VmSize:") : -2);
	KT_EQ(rss, status ? field(status, "VmRSS:") : -2);
	KT_ASSERT(line && !strcmp(name, comm));
	free(out);
	free(status);
}

static void fill(unsigned long addr, unsigned long len, int byte)
{
	char buf[4096];

	memset(buf, byte, sizeof(buf));
	for (unsigned long off = 0; off < len; off += sizeof(buf))
		KT_EQ(mmsim_user_write(addr + off, buf, sizeof(buf)), 0);
}

static void test_procps_pid(void)
{
	struct mmsim *m = boot_or_die("ram=256M cpus=1");
	struct task_struct *t = mmsim_spawn(m, "app");
	unsigned long a, b;
	char got;
	long child;

	KT_ASSERT(t);
	if (!t)
		return;
	KT_EQ(mmsim_switch_to(t), 0);
	a = sys_mmap(0, 256 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, ~0UL, 0);
	b = sys_mmap(0, 64 * 1024, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, ~0UL, 0);
	KT_ASSERT(!IS_ERR_VALUE(a) && !IS_ERR_VALUE(b));
	fill(a, 40 * 1024, 0x5a);
	KT_EQ(mmsim_user_read(b, &got, 1), 0);
	fill(sys_brk(sys_brk(0) + 16384) - 16384, 16384, 0x11);
	child = sys_fork();
	KT_ASSERT(child > 0);
	export_pid(m, task_pid_nr(t), "app");
	export_pid(m, (pid_t)child, "app");
	check_pmap(m, task_pid_nr(t), "app");
	check_ps(m, task_pid_nr(t), "app");
	check_ps(m, (pid_t)child, "app");
	mmsim_shutdown(m);
}

int main(void)
{
	char path[128];
	const char *why;

	snprintf(dir, sizeof(dir), "/tmp/mmsim-procps-pid-XXXXXX");
	if (!mkdtemp(dir)) {
		printf("SKIP: cannot make a temporary directory\n");
		return 0;
	}
	snprintf(path, sizeof(path), "%s/tree", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/real", dir);
	mkdir(path, 0755);
	why = skip_reason();
	if (why)
		printf("SKIP: %s\n", why);
	else
		KT_RUN(test_procps_pid);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path))
		fprintf(stderr, "could not remove %s\n", dir);
	return kt_done();
}
