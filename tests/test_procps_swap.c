// SPDX-License-Identifier: GPL-2.0
/*
 * tests/test_procps_swap.c - the real util-linux swapon and procps free and
 * vmstat read a machine with swap areas.
 *
 * A machine boots with two swap areas (swap=32M@7,16M: the disks vdb,
 * vdc) and a program writes 64 MiB of anonymous memory, more than the RAM
 * holds, so pages go to swap (Used > 0, pswpout > 0).  Its
 * /proc/swaps, /proc/meminfo, /proc/vmstat and /proc/stat are bound over
 * the host's in a private mount namespace (unshare -m), where:
 *
 *   swapon --show --raw --bytes --noheadings   NAME TYPE SIZE USED PRIO of
 *                each area equal our /proc/swaps (kB * 1024), in order,
 *                with the priorities 7 and -2 (the first default);
 *   free -k      Swap: total, used, free = SwapTotal, SwapTotal - SwapFree,
 *                SwapFree of our meminfo, and SwapTotal is the areas' sizes
 *                (a 32M area has 8191 usable pages: its first is the header);
 *   vmstat -s    "K total swap", "K used swap", "K free swap" likewise, and
 *                "pages swapped in"/"out" = our pswpin/pswpout.
 *
 * Needs root (unshare -m, mount --bind), util-linux and procps, and a
 * kernel with swap (the boot word swap=); without them the test prints
 * "SKIP: <why>" and passes.  The host's /proc is never touched.
 */
#include <unistd.h>
#include <sys/wait.h>
#include <mmsim/sched.h>
#include <mmsim/syscalls.h>
#include <mmsim/mman.h>
#include <mmsim/uaccess.h>
#include <mmsim/err.h>
#include "mmtest.h"

#define HOG	(64UL << 20)

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
	char cmd[768];
	int st;

	snprintf(cmd, sizeof(cmd),
		 "unshare -m sh -c 'mount --bind %s/swaps /proc/swaps && "
		 "mount --bind %s/meminfo /proc/meminfo && "
		 "mount --bind %s/vmstat /proc/vmstat && mount --bind %s/stat /proc/stat && "
		 "%s' >%s/%s 2>&1",
		 dir, dir, dir, dir, tool, dir, out);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *skip_reason(void)
{
	if (system("command -v free >/dev/null 2>&1 && command -v vmstat >/dev/null 2>&1 && "
		   "command -v swapon >/dev/null 2>&1 && command -v unshare >/dev/null 2>&1"))
		return "procps (free, vmstat), util-linux (swapon) or unshare not installed";
	if (geteuid() != 0)
		return "not root: cannot unshare the mount namespace";
	if (access("/proc/swaps", F_OK))
		return "the host has no /proc/swaps to bind over";
	if (write_file("swaps", "") || write_file("meminfo", "") || write_file("vmstat", "") ||
	    write_file("stat", ""))
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

struct area {
	char name[64], type[16];
	long long size, used, prio;
};

/* The areas of a /proc/swaps text (after its header); how many. */
static int parse_swaps(const char *text, struct area *a, int max)
{
	const char *p = strchr(text, '\n');
	int n = 0;

	while (p && p[1] && n < max) {
		if (sscanf(p + 1, "%63s %15s %lld %lld %lld", a[n].name, a[n].type, &a[n].size,
			   &a[n].used, &a[n].prio) == 5)
			n++;
		p = strchr(p + 1, '\n');
	}
	return n;
}

/* The program writes HOG bytes of anonymous memory; 0 or the error that stopped it. */
static long fill_memory(void)
{
	unsigned long buf = sys_mmap(0, HOG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				     ~0UL, 0);
	char page[4096];
	long ret = 0;

	if (IS_ERR_VALUE(buf))
		return (long)buf;
	memset(page, 0x77, sizeof(page));
	for (unsigned long off = 0; off < HOG && !ret; off += sizeof(page))
		ret = mmsim_user_write(buf + off, page, sizeof(page));
	return ret;
}

static void test_procps_swap(void)
{
	struct mmsim *m = mmsim_boot("ram=64M cpus=1 swap=32M@7,16M");
	struct task_struct *t;
	char *sw, *mi, *vm, *st, *out;
	struct area a[4], shown[4];
	long long total = 0, used = 0;
	int n;

	if (!m) {
		printf("SKIP: no swap in this kernel yet (%s)\n", mmsim_last_error());
		return;
	}
	KT_EQ(mmsim_write(m, "/proc/sys/vm/overcommit_memory", "1"), 0);
	t = mmsim_spawn(m, "hog");
	KT_ASSERT(t);
	KT_EQ(mmsim_switch_to(t), 0);
	KT_EQ(fill_memory(), 0);
	sw = mmsim_read(m, "/proc/swaps");
	mi = mmsim_read(m, "/proc/meminfo");
	vm = mmsim_read(m, "/proc/vmstat");
	st = mmsim_read(m, "/proc/stat");
	KT_ASSERT(sw && mi && vm && st);
	KT_EQ(write_file("swaps", sw), 0);
	KT_EQ(write_file("meminfo", mi), 0);
	KT_EQ(write_file("vmstat", vm), 0);
	KT_EQ(write_file("stat", st), 0);
	printf("%s", sw);

	n = parse_swaps(sw, a, 4);
	KT_EQ(n, 2);
	KT_ASSERT(!strcmp(a[0].name, "/dev/vdb"));
	KT_ASSERT(!strcmp(a[1].name, "/dev/vdc"));
	KT_ASSERT(!strcmp(a[0].type, "partition"));
	KT_EQ(a[0].size, 8191 * 4);
	KT_EQ(a[1].size, 4095 * 4);
	KT_EQ(a[0].prio, 7);
	KT_EQ(a[1].prio, -2);
	for (int i = 0; i < n; i++) {
		total += a[i].size;
		used += a[i].used;
	}
	KT_EQ(field(mi, "SwapTotal:"), total);
	KT_ASSERT(used > 0);
	KT_ASSERT(field(vm, "pswpout ") > 0);
	KT_EQ(field(mi, "SwapTotal:") - field(mi, "SwapFree:"), used);

	/* swapon --show: the same areas, in bytes. */
	KT_EQ(run_tool("swapon --show --raw --bytes --noheadings", "swapon.out"), 0);
	out = read_file("swapon.out");
	KT_ASSERT(out);
	for (int i = 0; out && i < n; i++) {
		const char *line = out;

		for (int j = 0; j < i && line; j++)
			line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL;
		KT_ASSERT(line && sscanf(line, "%63s %15s %lld %lld %lld", shown[i].name,
					 shown[i].type, &shown[i].size, &shown[i].used,
					 &shown[i].prio) == 5);
		KT_ASSERT(!strcmp(shown[i].name, a[i].name));
		KT_ASSERT(!strcmp(shown[i].type, a[i].type));
		KT_EQ(shown[i].size, a[i].size * 1024);
		KT_EQ(shown[i].used, a[i].used * 1024);
		KT_EQ(shown[i].prio, a[i].prio);
	}
	printf("%s", out ? out : "");
	free(out);

	/* free: the Swap line. */
	KT_EQ(run_tool("free -k", "free.out"), 0);
	out = read_file("free.out");
	KT_ASSERT(out && strstr(out, "\nSwap:"));
	if (out && strstr(out, "\nSwap:")) {
		long long stot, sused, sfree;

		KT_EQ(sscanf(strstr(out, "\nSwap:") + 6, "%lld %lld %lld", &stot, &sused, &sfree), 3);
		KT_EQ(stot, field(mi, "SwapTotal:"));
		KT_EQ(sused, field(mi, "SwapTotal:") - field(mi, "SwapFree:"));
		KT_EQ(sfree, field(mi, "SwapFree:"));
	}
	printf("%s", out ? out : "");
	free(out);

	/* vmstat -s: the swap totals and the swap traffic. */
	KT_EQ(run_tool("vmstat -s", "vmstat.out"), 0);
	out = read_file("vmstat.out");
	KT_ASSERT(out);
	if (out) {
		KT_EQ(vmstat_s(out, "K total swap"), field(mi, "SwapTotal:"));
		KT_EQ(vmstat_s(out, "K used swap"), field(mi, "SwapTotal:") - field(mi, "SwapFree:"));
		KT_EQ(vmstat_s(out, "K free swap"), field(mi, "SwapFree:"));
		KT_EQ(vmstat_s(out, "pages swapped in"), field(vm, "pswpin "));
		KT_EQ(vmstat_s(out, "pages swapped out"), field(vm, "pswpout "));
	}
	free(out);
	free(sw);
	free(mi);
	free(vm);
	free(st);
	mmsim_shutdown(m);
}

int main(void)
{
	char path[128];
	const char *why;

	snprintf(dir, sizeof(dir), "/tmp/mmsim-procps-swap-XXXXXX");
	if (!mkdtemp(dir)) {
		printf("SKIP: cannot make a temporary directory\n");
		return 0;
	}
	why = skip_reason();
	if (why)
		printf("SKIP: %s\n", why);
	else
		KT_RUN(test_procps_swap);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path))
		fprintf(stderr, "could not remove %s\n", dir);
	return kt_done();
}
