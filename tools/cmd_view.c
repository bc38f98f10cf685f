// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cmd_view.c - procps's views of the machine: `free` and `vmstat`,
 * computed from the machine's /proc files exactly as procps-ng 4.0.2
 * computes them from the host's, so the scenario prints what the real
 * tools would print for the same files (tests/test_procps_file.c runs the
 * real ones on our files and compares).
 *
 * free [-b|-k|-m|-g] [-w]  (procps src/free.c, libproc2 meminfo.c)
 *   Mem:  total = MemTotal; used = MemTotal - MemAvailable (MemTotal -
 *         MemFree if that is negative); free = MemFree; shared = Shmem;
 *         buff/cache = Buffers + Cached + SReclaimable (-w: buffers =
 *         Buffers, cache = Cached + SReclaimable); available =
 *         MemAvailable.  Swap: total, used = total - free, free.
 *   Columns: "Mem:" padded to 9 (print_head_col), the first number in 11,
 *   the others " %11s"; units KiB, -b bytes, -m MiB, -g GiB (truncated).
 *
 * vmstat  (procps src/vmstat.c, new_format)
 *   The two header lines, then one line.  The first `vmstat` after boot
 *   prints what `vmstat` does: averages since boot, bi = pgpgin * HZ /
 *   (the sum of /proc/stat's cpu ticks, rounded), bo from pgpgout, si/so
 *   from pswpin/pswpout, in/cs from intr/ctxt, the cpu percentages of
 *   the ticks; r/b are procs_running/procs_blocked; swpd, free, buff,
 *   cache (Cached + SReclaimable) from meminfo in KiB.  Each later one
 *   prints what `vmstat N` prints on its later lines, N being the virtual
 *   seconds since the previous `vmstat` (rounded, at least 1): bi, bo, in,
 *   cs are the deltas / N (rounded half up), the cpu percentages those of
 *   the tick deltas.  HZ is USER_HZ, 100.
 *
 * State: the previous vmstat sample in struct scn (forgotten at boot).
 * Single-threaded.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "init/machine.h"
#include "tools/scenario.h"

#define USER_HZ 100

/* The value of meminfo line @label ("MemTotal:"), in kB; 0 if absent. */
static unsigned long long mi_get(const char *text, const char *label)
{
	size_t n = strlen(label);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, label, n))
			return strtoull(p + n, NULL, 10);
	return 0;
}

/*
 * procps's scale_size(): @kb in the unit of exponent @exp (0: KiB; 1 bytes;
 * 2 KiB; 3 MiB; 4 GiB; truncated), or with @human the shortest of "%lldB",
 * "%.1f%ci", "%ld%ci" that fits in 4 (bytes) or 5 characters.
 */
static void free_col(FILE *f, const char *lead, unsigned long long kb, int exp, bool human)
{
	static const char up[] = { 'B', 'K', 'M', 'G', 'T', 'P' };
	unsigned long long v = kb;
	long long bytes = (long long)kb * 1024;
	char buf[64];

	if (human) {
		if (snprintf(buf, sizeof(buf), "%lldB", bytes) <= 4)
			goto print;
		for (int i = 1; i < (int)sizeof(up); i++) {
			double p = 1;

			for (int j = 0; j < i; j++)
				p *= 1024.0;
			if (snprintf(buf, sizeof(buf), "%.1f%ci", (double)(float)(bytes / p), up[i]) <= 5)
				goto print;
			if (snprintf(buf, sizeof(buf), "%ld%ci", (long)(bytes / p), up[i]) <= 5)
				goto print;
		}
		snprintf(buf, sizeof(buf), "%lld", bytes);
		goto print;
	}
	if (exp == 1)
		v = kb * 1024;
	else if (exp > 2)
		for (int i = 2; i < exp; i++)
			v /= 1024;
	snprintf(buf, sizeof(buf), "%llu", v);
print:
	fprintf(f, lead[0] ? " %11s" : "%11s", buf);
}

int cmd_free_view(struct scn *s, int argc, char **argv)
{
	unsigned long long total, avail, freem, used, buffers, cached, stot, sfree;
	bool wide = false, human = false, totals = false;
	int exp = 0;
	char *mi;

	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];

		if (o[0] != '-' || !o[1])
			return scn_fail(s, "'%s' is not an option (-b, -k, -m, -g, -h, -t, -w)", o);
		for (const char *c = o + 1; *c; c++) {
			int e = *c == 'b' ? 1 : *c == 'k' ? 2 : *c == 'm' ? 3 : *c == 'g' ? 4 : 0;

			if (*c == 'w') {
				wide = true;
			} else if (*c == 'h') {
				human = true;
			} else if (*c == 't') {
				totals = true;
			} else if (!e) {
				return scn_fail(s, "'-%c' is not an option (-b, -k, -m, -g, -h, -t, -w)",
						*c);
			} else if (exp) {
				return scn_fail(s, "multiple unit options doesn't make sense.");
			} else {
				exp = e;
			}
		}
	}
	mi = mmsim_read(s->m, "/proc/meminfo");
	if (!mi)
		return scn_fail(s, "/proc/meminfo: %s", strerror(errno));
	total = mi_get(mi, "MemTotal:");
	freem = mi_get(mi, "MemFree:");
	avail = mi_get(mi, "MemAvailable:");
	if (avail > total)
		avail = freem;
	used = total >= avail ? total - avail : total - freem;
	buffers = mi_get(mi, "Buffers:");
	cached = mi_get(mi, "Cached:") + mi_get(mi, "SReclaimable:");
	stot = mi_get(mi, "SwapTotal:");
	sfree = mi_get(mi, "SwapFree:");
	if (wide)
		fputs("               total        used        free      shared     buffers"
		      "       cache   available\n", s->out);
	else
		fputs("               total        used        free      shared  buff/cache"
		      "   available\n", s->out);
	fputs("Mem:     ", s->out);
	free_col(s->out, "", total, exp, human);
	free_col(s->out, " ", used, exp, human);
	free_col(s->out, " ", freem, exp, human);
	free_col(s->out, " ", mi_get(mi, "Shmem:"), exp, human);
	if (wide) {
		free_col(s->out, " ", buffers, exp, human);
		free_col(s->out, " ", cached, exp, human);
	} else {
		free_col(s->out, " ", buffers + cached, exp, human);
	}
	free_col(s->out, " ", avail, exp, human);
	fputs("\nSwap:    ", s->out);
	free_col(s->out, "", stot, exp, human);
	free_col(s->out, " ", stot - sfree, exp, human);
	free_col(s->out, " ", sfree, exp, human);
	fputc('\n', s->out);
	if (totals) {
		fputs("Total:   ", s->out);
		free_col(s->out, "", total + stot, exp, human);
		free_col(s->out, " ", used + stot - sfree, exp, human);
		free_col(s->out, " ", freem + sfree, exp, human);
		fputc('\n', s->out);
	}
	free(mi);
	return 0;
}

/* ---------------------------------------------------------------------
 * vmstat
 */

static unsigned long long line_value(const char *text, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		if (!strncmp(p, name, n) && p[n] == ' ')
			return strtoull(p + n + 1, NULL, 10);
	return 0;
}

static int vmstat_read(struct scn *s, struct vmstat_sample *v)
{
	char *vm = mmsim_read(s->m, "/proc/vmstat"), *st = mmsim_read(s->m, "/proc/stat");
	const char *p;

	if (!vm || !st) {
		int err = errno;

		free(vm);
		free(st);
		return scn_fail(s, "%s: %s", vm ? "/proc/stat" : "/proc/vmstat", strerror(err));
	}
	memset(v, 0, sizeof(*v));
	v->ns = atomic_load_explicit(&s->m->hw.clock_ns, memory_order_relaxed);
	v->pgpgin = line_value(vm, "pgpgin");
	v->pgpgout = line_value(vm, "pgpgout");
	v->pswpin = line_value(vm, "pswpin");
	v->pswpout = line_value(vm, "pswpout");
	if (!strncmp(st, "cpu ", 4)) {
		p = st + 4;
		for (int i = 0; i < VMS_NR_CPU; i++) {
			char *end;

			v->cpu[i] = strtoull(p, &end, 10);
			p = end;
		}
	}
	v->intr = line_value(st, "intr");
	v->ctxt = line_value(st, "ctxt");
	v->running = line_value(st, "procs_running");
	v->blocked = line_value(st, "procs_blocked");
	free(vm);
	free(st);
	return 0;
}

/* The memory columns of a vmstat line, from /proc/meminfo (kB). */
struct vmstat_mem {
	unsigned long long total, avail, swpd, freem, buff, cache, inact, active, stot, sfree;
};

static int vmstat_mem_read(struct scn *s, struct vmstat_mem *v)
{
	char *mi = mmsim_read(s->m, "/proc/meminfo");

	if (!mi)
		return scn_fail(s, "/proc/meminfo: %s", strerror(errno));
	v->total = mi_get(mi, "MemTotal:");
	v->avail = mi_get(mi, "MemAvailable:");
	v->stot = mi_get(mi, "SwapTotal:");
	v->sfree = mi_get(mi, "SwapFree:");
	v->swpd = v->stot - v->sfree;
	v->freem = mi_get(mi, "MemFree:");
	v->buff = mi_get(mi, "Buffers:");
	v->cache = mi_get(mi, "Cached:") + mi_get(mi, "SReclaimable:");
	v->inact = mi_get(mi, "Inactive:");
	v->active = mi_get(mi, "Active:");
	free(mi);
	return 0;
}

/*
 * One line of vmstat: @prev NULL gives the averages since boot (vmstat's
 * first line), else the rates since @prev (its later lines).  @active: -a's
 * inact/active columns instead of buff/cache.
 */
static void vmstat_line(struct scn *s, const struct vmstat_sample *now,
			const struct vmstat_sample *prev, const struct vmstat_mem *mem, bool active)
{
	unsigned long long cpu_use, cpu_sys, cpu_idl, cpu_iow, cpu_sto, cpu_gue, div, divo2;
	unsigned long long si, so, bi, bo, in, cs, d[VMS_NR_CPU];
	unsigned long kb_per_page = PAGE_SIZE / 1024;

	if (!prev) {
		const unsigned long long *c = now->cpu;

		cpu_use = c[VMS_USER] + c[VMS_NICE];
		cpu_sys = c[VMS_SYS] + c[VMS_IRQ] + c[VMS_SOFTIRQ];
		cpu_idl = c[VMS_IDLE];
		cpu_iow = c[VMS_IOWAIT];
		cpu_sto = c[VMS_STEAL];
		cpu_gue = c[VMS_GUEST] + c[VMS_GUEST_NICE];
		div = cpu_use + cpu_sys + cpu_idl + cpu_iow + cpu_sto;
		if (!div) {
			div = 1;
			cpu_idl = 1;
		}
		divo2 = div / 2;
		cpu_use = cpu_use >= cpu_gue ? cpu_use - cpu_gue : 0;
		si = (now->pswpin * kb_per_page * USER_HZ + divo2) / div;
		so = (now->pswpout * kb_per_page * USER_HZ + divo2) / div;
		bi = (now->pgpgin * USER_HZ + divo2) / div;
		bo = (now->pgpgout * USER_HZ + divo2) / div;
		in = (now->intr * USER_HZ + divo2) / div;
		cs = (now->ctxt * USER_HZ + divo2) / div;
	} else {
		unsigned long long secs, half;

		secs = (now->ns - prev->ns + 500000000ULL) / 1000000000ULL;
		if (!secs)
			secs = 1;
		half = secs / 2;
		for (int i = 0; i < VMS_NR_CPU; i++)
			d[i] = now->cpu[i] - prev->cpu[i];
		cpu_use = d[VMS_USER] + d[VMS_NICE];
		cpu_sys = d[VMS_SYS] + d[VMS_IRQ] + d[VMS_SOFTIRQ];
		cpu_idl = d[VMS_IDLE];
		cpu_iow = d[VMS_IOWAIT];
		cpu_sto = d[VMS_STEAL];
		cpu_gue = now->cpu[VMS_GUEST] + now->cpu[VMS_GUEST_NICE];
		div = cpu_use + cpu_sys + cpu_idl + cpu_iow + cpu_sto;
		if (!div) {
			div = 1;
			cpu_idl = 1;
		}
		divo2 = div / 2;
		cpu_use = cpu_use >= cpu_gue ? cpu_use - cpu_gue : 0;
		si = ((now->pswpin - prev->pswpin) * kb_per_page + half) / secs;
		so = ((now->pswpout - prev->pswpout) * kb_per_page + half) / secs;
		bi = (now->pgpgin - prev->pgpgin + half) / secs;
		bo = (now->pgpgout - prev->pgpgout + half) / secs;
		in = (now->intr - prev->intr + half) / secs;
		cs = (now->ctxt - prev->ctxt + half) / secs;
	}
	fprintf(s->out, "%2llu %2llu %6llu %6llu %6llu %6llu %4u %4u %5u %5u %4u %4u %2u %2u %2u "
		"%2u %2u\n", now->running, now->blocked, mem->swpd, mem->freem,
		active ? mem->inact : mem->buff, active ? mem->active : mem->cache, (unsigned)si,
		(unsigned)so, (unsigned)bi, (unsigned)bo, (unsigned)in, (unsigned)cs,
		(unsigned)((100 * cpu_use + divo2) / div), (unsigned)((100 * cpu_sys + divo2) / div),
		(unsigned)((100 * cpu_idl + divo2) / div), (unsigned)((100 * cpu_iow + divo2) / div),
		(unsigned)((100 * cpu_sto + divo2) / div));
}

/* vmstat -s: procps's sum_format(), the counters since boot. */
static int vmstat_sum(struct scn *s)
{
	char *vm = mmsim_read(s->m, "/proc/vmstat"), *st = mmsim_read(s->m, "/proc/stat");
	struct vmstat_sample now;
	struct vmstat_mem mem;
	unsigned long long used;
	static const char *const ticks[VMS_NR_CPU] = {
		"non-nice user cpu ticks", "nice user cpu ticks", "system cpu ticks",
		"idle cpu ticks", "IO-wait cpu ticks", "IRQ cpu ticks", "softirq cpu ticks",
		"stolen cpu ticks", "non-nice guest cpu ticks", "nice guest cpu ticks",
	};

	if (!vm || !st) {
		int err = errno;

		free(vm);
		free(st);
		return scn_fail(s, "%s: %s", vm ? "/proc/stat" : "/proc/vmstat", strerror(err));
	}
	if (vmstat_read(s, &now) || vmstat_mem_read(s, &mem)) {
		free(vm);
		free(st);
		return -1;
	}
	if (mem.avail > mem.total)
		mem.avail = mem.freem;
	used = mem.total >= mem.avail ? mem.total - mem.avail : mem.total - mem.freem;
	fprintf(s->out, "%13llu K total memory\n", mem.total);
	fprintf(s->out, "%13llu K used memory\n", used);
	fprintf(s->out, "%13llu K active memory\n", mem.active);
	fprintf(s->out, "%13llu K inactive memory\n", mem.inact);
	fprintf(s->out, "%13llu K free memory\n", mem.freem);
	fprintf(s->out, "%13llu K buffer memory\n", mem.buff);
	fprintf(s->out, "%13llu K swap cache\n", mem.cache);
	fprintf(s->out, "%13llu K total swap\n", mem.stot);
	fprintf(s->out, "%13llu K used swap\n", mem.swpd);
	fprintf(s->out, "%13llu K free swap\n", mem.sfree);
	for (int i = 0; i < VMS_NR_CPU; i++)
		fprintf(s->out, "%13llu %s\n", now.cpu[i], ticks[i]);
	fprintf(s->out, "%13llu K paged in\n", now.pgpgin);
	fprintf(s->out, "%13llu K paged out\n", now.pgpgout);
	fprintf(s->out, "%13llu pages swapped in\n", now.pswpin);
	fprintf(s->out, "%13llu pages swapped out\n", now.pswpout);
	fprintf(s->out, "%13llu interrupts\n", now.intr);
	fprintf(s->out, "%13llu CPU context switches\n", now.ctxt);
	fprintf(s->out, "%13llu boot time\n", line_value(st, "btime"));
	fprintf(s->out, "%13llu forks\n", line_value(st, "processes"));
	free(vm);
	free(st);
	return 0;
}

/* vmstat [-a] [-n] [DELAY [COUNT]] | vmstat -s */
static int cmd_vmstat(struct scn *s, int argc, char **argv)
{
	bool active = false, once = false, sum = false;
	unsigned long delay = 0, count = 1;
	int pos = 1;

	for (; pos < argc && argv[pos][0] == '-' && argv[pos][1]; pos++) {
		for (const char *c = argv[pos] + 1; *c; c++) {
			if (*c == 'a')
				active = true;
			else if (*c == 'n')
				once = true;
			else if (*c == 's')
				sum = true;
			else
				return scn_fail(s, "'-%c' is not an option (-a, -n, -s)", *c);
		}
	}
	if (sum) {
		if (active || once || pos < argc)
			return scn_fail(s, "-s takes no other option, delay or count");
		return vmstat_sum(s);
	}
	if (argc - pos > 2)
		return scn_fail(s, "usage: vmstat [-a] [-n] [DELAY [COUNT]]");
	if (pos < argc && scn_ulong(s, "delay", argv[pos], 1, 3600, &delay))
		return scn_fail(s, "'%s' is not a delay in seconds (1..3600)", argv[pos]);
	if (pos + 1 < argc && scn_ulong(s, "count", argv[pos + 1], 1, 10000, &count))
		return scn_fail(s, "'%s' is not a count (1..10000)", argv[pos + 1]);
	if (delay && pos + 1 >= argc)
		return scn_fail(s, "a delay needs a count (vmstat DELAY COUNT: the scenario goes on)");

	if (!once || !s->vmstat_have) {
		fputs("procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n",
		      s->out);
		fputs(active ? " r  b   swpd   free  inact active   si   so    bi    bo   in   cs us sy id wa st\n"
			     : " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st\n",
		      s->out);
	}
	for (unsigned long i = 0; i < count; i++) {
		struct vmstat_sample now;
		struct vmstat_mem mem;

		if (i)
			mmsim_advance_clock(s->m, (uint64_t)delay * 1000000000ULL);
		if (vmstat_read(s, &now) || vmstat_mem_read(s, &mem))
			return -1;
		vmstat_line(s, &now, s->vmstat_have ? &s->vmstat_prev : NULL, &mem, active);
		s->vmstat_prev = now;
		s->vmstat_have = true;
	}
	return 0;
}

const struct scn_command scn_view_commands[] = {
	/* Only for `mmsim help`: scenario.c's free hands `free` without a NAME here. */
	{ "free", cmd_free_view, true, 1, 5, "free [-b|-k|-m|-g|-h] [-t] [-w]",
	  "procps's free: Mem and Swap, with buff/cache (from /proc/meminfo)" },
	{ "vmstat", cmd_vmstat, true, 1, 5, "vmstat [-a] [-n] [DELAY COUNT] | vmstat -s",
	  "procps's vmstat: lines since the last vmstat (boot), then every DELAY s; -s: totals" },
	{ .name = NULL }
};
