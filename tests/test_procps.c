// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_procps.c - the real procps tools read mmsim's files.
 *
 * A machine is booted and its counters given recognizable values; its
 * /proc/meminfo and /proc/vmstat are written to a temporary directory and
 * bind-mounted over the host's in a private mount namespace
 * (docs: /work/shared/REAL-CLIENTS.md), where `free -k` and `vmstat -s`
 * run.  Every number they print that comes from our files must equal ours.
 *
 * Needs root (unshare -m, mount --bind) and procps; without them the test
 * prints "SKIP: ..." and passes.  The host's /proc is never touched: the
 * mounts live and die with the namespace.
 */
#include <unistd.h>
#include <sys/wait.h>
#include <mmsim/mmsim.h>
#include "mm/internal.h"
#include "ktest.h"

static char dir[64];

/* The number after "@label" at the start of a line of @text; -1 if absent. */
static long long field(const char *text, const char *label)
{
	size_t len = strlen(label);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, label, len))
			return strtoll(p + len, NULL, 10);
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -1;
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

/* Run @tool with our files bound over /proc; its stdout goes to @out. */
static int run_tool(const char *tool, const char *out)
{
	char cmd[512];
	int st;

	snprintf(cmd, sizeof(cmd),
		 "unshare -m sh -c 'mount --bind %s/meminfo /proc/meminfo && "
		 "mount --bind %s/vmstat /proc/vmstat && %s' >%s/%s 2>&1",
		 dir, dir, tool, dir, out);
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
	if (run_tool("true", "probe.out"))
		return "unshare -m / mount --bind not permitted here";
	return NULL;
}

/* Counters with values a tool would show if it read the host's files instead. */
static void set_counters(long sign)
{
	pg_data_t *pgdat = NODE_DATA(0);

	mod_node_page_state(pgdat, NR_FILE_PAGES, sign * 300);
	mod_node_page_state(pgdat, NR_ACTIVE_FILE, sign * 100);
	mod_node_page_state(pgdat, NR_INACTIVE_FILE, sign * 200);
	mod_node_page_state(pgdat, NR_ACTIVE_ANON, sign * 20);
	mod_node_page_state(pgdat, NR_INACTIVE_ANON, sign * 30);
	mod_node_page_state(pgdat, NR_SHMEM, sign * 10);
	if (sign > 0) {
		count_vm_events(PGPGIN, 2468);	/* sectors: 1234 kB */
		count_vm_events(PGPGOUT, 864);
		count_vm_events(PSWPIN, 7);
		count_vm_events(PSWPOUT, 9);
	}
}

static void check_free(const char *mi)
{
	long long total, used, freem, shared, buffcache, avail;
	long long cached = field(mi, "Buffers:") + field(mi, "Cached:") + field(mi, "SReclaimable:");
	char *out;
	const char *mem;

	KT_EQ(run_tool("free -k", "free.out"), 0);
	out = read_file("free.out");
	mem = out ? strstr(out, "\nMem:") : NULL;
	KT_ASSERT(mem);
	if (!mem) {
		free(out);
		return;
	}
	KT_EQ(sscanf(mem + 5, "%lld %lld %lld %lld %lld %lld", &total, &used, &freem, &shared,
		     &buffcache, &avail), 6);
	KT_EQ(total, field(mi, "MemTotal:"));
	KT_EQ(freem, field(mi, "MemFree:"));
	KT_EQ(shared, field(mi, "Shmem:"));
	KT_EQ(buffcache, cached);
	KT_EQ(avail, field(mi, "MemAvailable:"));
	/* procps >= 4.0.1: total - available; older: total - free - buff/cache. */
	KT_ASSERT(used == total - avail || used == total - freem - buffcache);
	KT_ASSERT(strstr(out, "\nSwap:              0           0           0"));
	printf("%s", out);
	free(out);
}

static void check_vmstat_s(const char *mi, const char *vm)
{
	char *out;

	KT_EQ(run_tool("vmstat -s", "vmstat.out"), 0);
	out = read_file("vmstat.out");
	KT_ASSERT(out);
	if (!out)
		return;
	KT_EQ(vmstat_s(out, "K total memory"), field(mi, "MemTotal:"));
	KT_EQ(vmstat_s(out, "K free memory"), field(mi, "MemFree:"));
	KT_EQ(vmstat_s(out, "K active memory"), field(mi, "Active:"));
	KT_EQ(vmstat_s(out, "K inactive memory"), field(mi, "Inactive:"));
	KT_EQ(vmstat_s(out, "K buffer memory"), field(mi, "Buffers:"));
	KT_EQ(vmstat_s(out, "K swap cache"), field(mi, "Cached:") + field(mi, "SReclaimable:"));
	KT_EQ(vmstat_s(out, "K total swap"), field(mi, "SwapTotal:"));
	KT_EQ(vmstat_s(out, "K paged in"), field(vm, "pgpgin "));
	KT_EQ(vmstat_s(out, "K paged out"), field(vm, "pgpgout "));
	KT_EQ(vmstat_s(out, "pages swapped in"), field(vm, "pswpin "));
	KT_EQ(vmstat_s(out, "pages swapped out"), field(vm, "pswpout "));
	KT_EQ(field(vm, "pgpgin "), 1234);
	KT_EQ(field(vm, "pswpout "), 9);
	printf("%s", out);
	free(out);
}

static void test_procps(void)
{
	struct mmsim *m = mmsim_boot("ram=256M cpus=1");
	char *mi, *vm;

	KT_ASSERT(m);
	set_counters(1);
	mi = mmsim_read(m, "/proc/meminfo");
	vm = mmsim_read(m, "/proc/vmstat");
	KT_ASSERT(mi && vm);
	KT_EQ(field(mi, "Cached:"), 1200);
	KT_EQ(write_file("meminfo", mi), 0);
	KT_EQ(write_file("vmstat", vm), 0);
	check_free(mi);
	check_vmstat_s(mi, vm);
	free(mi);
	free(vm);
	set_counters(-1);
	mmsim_shutdown(m);
}

/* i386: `free -l` reads the HighTotal/LowTotal block. */
static void test_procps_highmem(void)
{
	struct mmsim *m = mmsim_boot("arch=i386 ram=1G cpus=1");
	long long lt, lu, lf, ht, hu, hf;
	char *mi, *vm, *out;
	const char *low, *high;

	KT_ASSERT(m);
	mi = mmsim_read(m, "/proc/meminfo");
	vm = mmsim_read(m, "/proc/vmstat");
	KT_EQ(write_file("meminfo", mi), 0);
	KT_EQ(write_file("vmstat", vm), 0);
	KT_EQ(run_tool("free -k -l", "free.out"), 0);
	out = read_file("free.out");
	low = out ? strstr(out, "\nLow:") : NULL;
	high = out ? strstr(out, "\nHigh:") : NULL;
	KT_ASSERT(low && high);
	if (low && high) {
		KT_EQ(sscanf(low + 5, "%lld %lld %lld", &lt, &lu, &lf), 3);
		KT_EQ(sscanf(high + 6, "%lld %lld %lld", &ht, &hu, &hf), 3);
		KT_EQ(lt, field(mi, "LowTotal:"));
		KT_EQ(lf, field(mi, "LowFree:"));
		KT_EQ(ht, field(mi, "HighTotal:"));
		KT_EQ(hf, field(mi, "HighFree:"));
		KT_ASSERT(ht > 0);
	}
	printf("%s", out ? out : "");
	free(out);
	free(mi);
	free(vm);
	mmsim_shutdown(m);
}

static void cleanup(void)
{
	static const char *const files[] = { "meminfo", "vmstat", "probe.out", "free.out",
					     "vmstat.out" };
	char path[128];

	for (size_t i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		unlink(path);
	}
	rmdir(dir);
}

int main(void)
{
	const char *why;

	snprintf(dir, sizeof(dir), "/tmp/mmsim-procps-XXXXXX");
	if (!mkdtemp(dir)) {
		printf("SKIP: cannot make a temporary directory\n");
		return 0;
	}
	/* The probe mounts these two files. */
	write_file("meminfo", "MemTotal:        1 kB\n");
	write_file("vmstat", "nr_free_pages 0\n");
	why = skip_reason();
	if (why) {
		printf("SKIP: %s\n", why);
		cleanup();
		return 0;
	}
	KT_RUN(test_procps);
	KT_RUN(test_procps_highmem);
	cleanup();
	return kt_done();
}
