// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_procps.c - the real procps tools read mmsim's files.
 *
 * A machine is booted and its counters given recognizable values; its
 * /proc/meminfo, /proc/vmstat and /proc/stat are written to a temporary
 * directory and bind-mounted over the host's in a private mount namespace
 * (docs/proc-formats.md, "Checking with procps"), where `free -k` and
 * `vmstat -s` run.  Every number they print that comes from our files must
 * equal ours: the memory figures, the paging counters, and the CPU ticks,
 * interrupts, context switches, boot time and forks of /proc/stat (which
 * the host's would give if our /proc/stat were missing or not read).
 * Likewise our /proc/slabinfo, with a cache of known contents, is bound
 * over the host's for `slabtop -o` and `vmstat -m`, which reject a file
 * that is not slabinfo 2.1.
 *
 * Needs root (unshare -m, mount --bind) and procps; without them the test
 * prints "SKIP: ..." and passes (the slabinfo part alone is skipped when
 * slabtop or the host's /proc/slabinfo is missing).  The host's /proc is
 * never touched: the mounts live and die with the namespace.
 */
#include <unistd.h>
#include <sys/wait.h>
#include <mmsim/mmsim.h>
#include "mm/internal.h"
#include "mmtest.h"

static char dir[64];

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
		 "mount --bind %s/vmstat /proc/vmstat && mount --bind %s/stat /proc/stat && "
		 "%s' >%s/%s 2>&1",
		 dir, dir, dir, tool, dir, out);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Run @tool with our slabinfo bound over /proc/slabinfo. */
static int run_slab_tool(const char *tool, const char *out)
{
	char cmd[512];
	int st;

	snprintf(cmd, sizeof(cmd),
		 "unshare -m sh -c 'mount --bind %s/slabinfo /proc/slabinfo && %s' >%s/%s 2>&1",
		 dir, tool, dir, out);
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

/* The boot's reads of the root file system's metadata (kB). */
static long long pgpgin_at_boot;

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

/* The tick column @col (0 user .. 9 guest_nice) of the "cpu" line of @st. */
static long long stat_ticks(const char *st, int col)
{
	const char *p = strncmp(st, "cpu  ", 5) ? NULL : st + 5;
	char *end;
	long long v = -1;

	for (int i = 0; p && i <= col; i++, p = end) {
		v = strtoll(p, &end, 10);
		if (end == p)
			return -1;
	}
	return v;
}

static void check_vmstat_s(const char *mi, const char *vm, const char *st)
{
	static const char *const ticks[] = {
		"non-nice user cpu ticks", "nice user cpu ticks", "system cpu ticks",
		"idle cpu ticks", "IO-wait cpu ticks", "IRQ cpu ticks", "softirq cpu ticks",
		"stolen cpu ticks",
	};
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
	KT_EQ(field(vm, "pgpgin ") - pgpgin_at_boot, 1234);
	KT_EQ(field(vm, "pswpout "), 9);
	/* /proc/stat: mmsim's ticks and task counts, not the host's. */
	for (size_t i = 0; i < ARRAY_SIZE(ticks); i++)
		KT_EQ(vmstat_s(out, ticks[i]), stat_ticks(st, (int)i));
	KT_EQ(vmstat_s(out, "idle cpu ticks"), 7531);	/* 75.31 s of virtual time */
	KT_EQ(vmstat_s(out, "non-nice user cpu ticks"), 0);
	KT_EQ(vmstat_s(out, "interrupts"), field(st, "intr "));
	KT_EQ(vmstat_s(out, "CPU context switches"), field(st, "ctxt "));
	KT_EQ(vmstat_s(out, "boot time"), field(st, "btime "));
	KT_EQ(vmstat_s(out, "forks"), field(st, "processes "));
	KT_EQ(vmstat_s(out, "forks"), 1);
	printf("%s", out);
	free(out);
}

static void test_procps(void)
{
	struct mmsim *m = mmsim_boot("ram=256M cpus=1");
	char *mi, *vm, *st;

	KT_ASSERT(m);
	vm = mmsim_read(m, "/proc/vmstat");
	pgpgin_at_boot = field(vm, "pgpgin ");
	free(vm);
	set_counters(1);
	mmsim_advance_clock(m, 75310000000ULL);
	mi = mmsim_read(m, "/proc/meminfo");
	vm = mmsim_read(m, "/proc/vmstat");
	st = mmsim_read(m, "/proc/stat");
	KT_ASSERT(mi && vm && st);
	KT_EQ(field(mi, "Cached:"), 1200);
	KT_EQ(write_file("meminfo", mi), 0);
	KT_EQ(write_file("vmstat", vm), 0);
	KT_EQ(write_file("stat", st), 0);
	check_free(mi);
	check_vmstat_s(mi, vm, st);
	free(mi);
	free(vm);
	free(st);
	set_counters(-1);
	mmsim_shutdown(m);
}

/* i386: `free -l` reads the HighTotal/LowTotal block. */
static void test_procps_highmem(void)
{
	struct mmsim *m = mmsim_boot("arch=i386 ram=1G cpus=1");
	long long lt, lu, lf, ht, hu, hf;
	char *mi, *vm, *st, *out;
	const char *low, *high;

	KT_ASSERT(m);
	mi = mmsim_read(m, "/proc/meminfo");
	vm = mmsim_read(m, "/proc/vmstat");
	st = mmsim_read(m, "/proc/stat");
	KT_EQ(write_file("meminfo", mi), 0);
	KT_EQ(write_file("vmstat", vm), 0);
	KT_EQ(write_file("stat", st), 0);
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
	free(st);
	mmsim_shutdown(m);
}

/* The counts of cache @name in slabinfo @text; false if it has no row. */
struct slabinfo_row {
	long long active_objs, num_objs, objsize, objperslab, pagesperslab;
	long long active_slabs, num_slabs;
};

static bool slabinfo_row(const char *text, const char *name, struct slabinfo_row *r)
{
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		char got[64];

		if (sscanf(p, "%63s %lld %lld %lld %lld %lld : tunables %*d %*d %*d : slabdata %lld "
			      "%lld", got, &r->active_objs, &r->num_objs, &r->objsize,
			   &r->objperslab, &r->pagesperslab, &r->active_slabs, &r->num_slabs) == 8 &&
		    !strcmp(got, name))
			return true;
	}
	return false;
}

/* The line of tool output @text whose last word is @name, or NULL. */
static const char *row_named(const char *text, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *end = strchr(p, '\n');

		if (!end)
			end = p + strlen(p);
		while (end > p && end[-1] == ' ')
			end--;
		if ((size_t)(end - p) > len && !strncmp(end - len, name, len) && end[-len - 1] == ' ')
			return p;
	}
	return NULL;
}

/*
 * A cache of ours with 100 objects of 200 bytes, half of them freed and the
 * cache shrunk (so the half-used slabs sit on the node's partial list and
 * slabinfo counts exactly the live objects): `slabtop -o` and `vmstat -m`
 * must accept our /proc/slabinfo and show the cache with our counts.
 */
static void test_procps_slab(void)
{
	long long total_active = 0, total_num = 0, objs, active, slabs, objperslab, size_k;
	long long num, total, objsize, pages, a, b;
	struct mmsim *m = mmsim_boot("ram=256M cpus=2");
	struct slabinfo_row r;
	struct kmem_cache *kc;
	void *objs_p[100];
	char *si, *out;
	const char *row;

	KT_ASSERT(m);
	kc = kmem_cache_create("procps_cache", 200, 0, 0, NULL);
	KT_ASSERT(kc);
	for (int i = 0; i < 100; i++) {
		objs_p[i] = kmem_cache_alloc(kc, GFP_KERNEL);
		KT_ASSERT(objs_p[i]);
	}
	for (int i = 0; i < 100; i += 2)
		kmem_cache_free(kc, objs_p[i]);
	kmem_cache_shrink(kc);
	si = mmsim_read(m, "/proc/slabinfo");
	KT_ASSERT(si);
	KT_EQ(write_file("slabinfo", si), 0);
	KT_ASSERT(slabinfo_row(si, "procps_cache", &r));
	KT_EQ(r.active_objs, 50);
	KT_EQ(r.num_objs, 100);
	KT_EQ(r.objsize, 200);
	for (const char *p = strchr(si, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
		struct slabinfo_row x;
		char name[64];

		if (sscanf(p + 1, "%63s", name) == 1 && name[0] != '#' && slabinfo_row(p + 1, name, &x)) {
			total_active += x.active_objs;
			total_num += x.num_objs;
		}
	}

	if (system("command -v slabtop >/dev/null 2>&1")) {
		printf("SKIP: slabtop not installed\n");
	} else {
		KT_EQ(run_slab_tool("slabtop -o", "slabtop.out"), 0);
		out = read_file("slabtop.out");
		KT_ASSERT(out);
		row = out ? row_named(out, "procps_cache") : NULL;
		KT_ASSERT(row);
		/* OBJS ACTIVE USE OBJ-SIZE SLABS OBJ/SLAB CACHE-SIZE NAME */
		if (row) {
			KT_EQ(sscanf(row, "%lld %lld %*s %*s %lld %lld %lldK", &objs, &active, &slabs,
				     &objperslab, &size_k), 5);
			KT_EQ(objs, r.num_objs);
			KT_EQ(active, r.active_objs);
			KT_EQ(slabs, r.num_slabs);
			KT_EQ(objperslab, r.objperslab);
			KT_EQ(size_k, r.num_slabs * r.pagesperslab * 4);
		}
		row = out ? strstr(out, "Active / Total Objects (% used)") : NULL;
		KT_ASSERT(row);
		if (row) {
			KT_EQ(sscanf(strchr(row, ':') + 1, "%lld / %lld", &a, &b), 2);
			KT_EQ(a, total_active);
			KT_EQ(b, total_num);
		}
		printf("%s", out ? out : "");
		free(out);
	}

	KT_EQ(run_slab_tool("vmstat -m", "vmstat-m.out"), 0);
	out = read_file("vmstat-m.out");
	KT_ASSERT(out);
	row = out ? strstr(out, "\nprocps_cache ") : NULL;
	KT_ASSERT(row);
	/* Cache Num Total Size Pages: the name comes first here. */
	if (row) {
		KT_EQ(sscanf(row + 1, "procps_cache %lld %lld %lld %lld", &num, &total, &objsize, &pages),
		      4);
		KT_EQ(num, r.active_objs);
		KT_EQ(total, r.num_objs);
		KT_EQ(objsize, r.objsize);
		/* procps 4.0.2 prints objects per slab under "Pages"; older ones pages. */
		KT_ASSERT(pages == r.objperslab || pages == r.pagesperslab);
	}
	printf("%s", out ? out : "");
	free(out);
	free(si);
	for (int i = 1; i < 100; i += 2)
		kmem_cache_free(kc, objs_p[i]);
	kmem_cache_destroy(kc);
	mmsim_shutdown(m);
}

static void cleanup(void)
{
	static const char *const files[] = { "meminfo", "vmstat", "stat", "probe.out", "free.out",
					     "vmstat.out", "slabinfo", "slabtop.out",
					     "vmstat-m.out" };
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
	/* The probe mounts these three files. */
	write_file("meminfo", "MemTotal:        1 kB\n");
	write_file("vmstat", "nr_free_pages 0\n");
	write_file("stat", "cpu  0 0 0 0 0 0 0 0 0 0\n");
	why = skip_reason();
	if (why) {
		printf("SKIP: %s\n", why);
		cleanup();
		return 0;
	}
	KT_RUN(test_procps);
	KT_RUN(test_procps_highmem);
	/* The probe mounted meminfo, vmstat and stat; slabinfo needs the host's file. */
	write_file("slabinfo", "slabinfo - version: 2.1\n");
	if (access("/proc/slabinfo", F_OK) || run_slab_tool("true", "probe.out"))
		printf("SKIP: cannot bind a file over /proc/slabinfo here\n");
	else
		KT_RUN(test_procps_slab);
	cleanup();
	return kt_done();
}
