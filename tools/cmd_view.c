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

/* procps's scale_size() for exponent @exp (0: KiB; 1 bytes; 2 KiB; 3 MiB; 4 GiB). */
static void free_col(FILE *f, const char *lead, unsigned long long kb, int exp)
{
	unsigned long long v = kb;

	if (exp == 1)
		v = kb * 1024;
	else if (exp > 2)
		for (int i = 2; i < exp; i++)
			v /= 1024;
	fprintf(f, lead[0] ? " %11llu" : "%11llu", v);
}

int cmd_free_view(struct scn *s, int argc, char **argv)
{
	unsigned long long total, avail, freem, used, buffers, cached, stot, sfree;
	bool wide = false;
	int exp = 0;
	char *mi;

	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];

		if (o[0] != '-' || !o[1])
			return scn_fail(s, "'%s' is not an option (-b, -k, -m, -g, -w)", o);
		for (const char *c = o + 1; *c; c++) {
			int e = *c == 'b' ? 1 : *c == 'k' ? 2 : *c == 'm' ? 3 : *c == 'g' ? 4 : 0;

			if (*c == 'w') {
				wide = true;
			} else if (!e) {
				return scn_fail(s, "'-%c' is not an option (-b, -k, -m, -g, -w)", *c);
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
	free_col(s->out, "", total, exp);
	free_col(s->out, " ", used, exp);
	free_col(s->out, " ", freem, exp);
	free_col(s->out, " ", mi_get(mi, "Shmem:"), exp);
	if (wide) {
		free_col(s->out, " ", buffers, exp);
		free_col(s->out, " ", cached, exp);
	} else {
		free_col(s->out, " ", buffers + cached, exp);
	}
	free_col(s->out, " ", avail, exp);
	fputs("\nSwap:    ", s->out);
	free_col(s->out, "", stot, exp);
	free_col(s->out, " ", stot - sfree, exp);
	free_col(s->out, " ", sfree, exp);
	fputc('\n', s->out);
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

static int cmd_vmstat(struct scn *s, int argc, char **argv)
{
	unsigned long long cpu_use, cpu_sys, cpu_idl, cpu_iow, cpu_sto, cpu_gue, div, divo2;
	unsigned long long swpd, freem, buff, cache, si, so, bi, bo, in, cs;
	struct vmstat_sample now, *prev = &s->vmstat_prev;
	unsigned long kb_per_page = PAGE_SIZE / 1024;
	char *mi;

	(void)argc;
	(void)argv;
	if (vmstat_read(s, &now))
		return -1;
	mi = mmsim_read(s->m, "/proc/meminfo");
	if (!mi)
		return scn_fail(s, "/proc/meminfo: %s", strerror(errno));
	swpd = mi_get(mi, "SwapTotal:") - mi_get(mi, "SwapFree:");
	freem = mi_get(mi, "MemFree:");
	buff = mi_get(mi, "Buffers:");
	cache = mi_get(mi, "Cached:") + mi_get(mi, "SReclaimable:");
	free(mi);

	if (!s->vmstat_have) {
		const unsigned long long *c = now.cpu;

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
		si = (now.pswpin * kb_per_page * USER_HZ + divo2) / div;
		so = (now.pswpout * kb_per_page * USER_HZ + divo2) / div;
		bi = (now.pgpgin * USER_HZ + divo2) / div;
		bo = (now.pgpgout * USER_HZ + divo2) / div;
		in = (now.intr * USER_HZ + divo2) / div;
		cs = (now.ctxt * USER_HZ + divo2) / div;
	} else {
		unsigned long long d[VMS_NR_CPU], secs, half;

		secs = (now.ns - prev->ns + 500000000ULL) / 1000000000ULL;
		if (!secs)
			secs = 1;
		half = secs / 2;
		for (int i = 0; i < VMS_NR_CPU; i++)
			d[i] = now.cpu[i] - prev->cpu[i];
		cpu_use = d[VMS_USER] + d[VMS_NICE];
		cpu_sys = d[VMS_SYS] + d[VMS_IRQ] + d[VMS_SOFTIRQ];
		cpu_idl = d[VMS_IDLE];
		cpu_iow = d[VMS_IOWAIT];
		cpu_sto = d[VMS_STEAL];
		cpu_gue = now.cpu[VMS_GUEST] + now.cpu[VMS_GUEST_NICE];
		div = cpu_use + cpu_sys + cpu_idl + cpu_iow + cpu_sto;
		if (!div) {
			div = 1;
			cpu_idl = 1;
		}
		divo2 = div / 2;
		cpu_use = cpu_use >= cpu_gue ? cpu_use - cpu_gue : 0;
		si = ((now.pswpin - prev->pswpin) * kb_per_page + half) / secs;
		so = ((now.pswpout - prev->pswpout) * kb_per_page + half) / secs;
		bi = (now.pgpgin - prev->pgpgin + half) / secs;
		bo = (now.pgpgout - prev->pgpgout + half) / secs;
		in = (now.intr - prev->intr + half) / secs;
		cs = (now.ctxt - prev->ctxt + half) / secs;
	}
	fputs("procs -----------memory---------- ---swap-- -----io---- -system-- ------cpu-----\n"
	      " r  b   swpd   free   buff  cache   si   so    bi    bo   in   cs us sy id wa st\n",
	      s->out);
	fprintf(s->out, "%2llu %2llu %6llu %6llu %6llu %6llu %4u %4u %5u %5u %4u %4u %2u %2u %2u "
		"%2u %2u\n", now.running, now.blocked, swpd, freem, buff, cache, (unsigned)si,
		(unsigned)so, (unsigned)bi, (unsigned)bo, (unsigned)in, (unsigned)cs,
		(unsigned)((100 * cpu_use + divo2) / div), (unsigned)((100 * cpu_sys + divo2) / div),
		(unsigned)((100 * cpu_idl + divo2) / div), (unsigned)((100 * cpu_iow + divo2) / div),
		(unsigned)((100 * cpu_sto + divo2) / div));
	*prev = now;
	s->vmstat_have = true;
	return 0;
}

const struct scn_command scn_view_commands[] = {
	/* Only for `mmsim help`: scenario.c's free hands `free` without a NAME here. */
	{ "free", cmd_free_view, true, 1, 3, "free [-b|-k|-m|-g] [-w]",
	  "procps's free: Mem and Swap, with buff/cache (from /proc/meminfo)" },
	{ "vmstat", cmd_vmstat, true, 1, 1, "vmstat",
	  "procps's vmstat line: since boot, then since the last vmstat (bi/bo in KiB/s)" },
	{ .name = NULL }
};
