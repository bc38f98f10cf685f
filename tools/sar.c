// SPDX-License-Identifier: GPL-2.0
/*
 * tools/sar.c - a `sar -B` view of a machine over virtual time: the
 * scenario command `sar` and the tool's `mmsim sar`.
 *
 * What it prints is sysstat's `sar -B` (pr_stats.c, print_paging_stats),
 * in the C locale: a banner "Linux RELEASE (NODE) \tMM/DD/YY \t_ARCH_\t(N CPU)",
 * an empty line, a header stamped with the first sample's time, then one
 * line per interval and an "Average:" line over all of them:
 *
 *   00:00:00     pgpgin/s pgpgout/s   fault/s  majflt/s  pgfree/s pgscank/s pgscand/s pgsteal/s    %vmeff
 *   00:00:01         0.00      0.00     12.00      0.00     45.00      0.00      0.00      0.00      0.00
 *
 * The time stamp is "%-11s", each value " %9.2f".  The values are the
 * deltas of /proc/vmstat counters divided by the interval in seconds, as
 * sysstat reads them (rd_stats.c, read_vmstat_paging): pgpgin/s and
 * pgpgout/s from pgpgin and pgpgout (kB), fault/s from pgfault, majflt/s
 * from pgmajfault, pgfree/s from pgfree, pgscank/s from pgscan_kswapd,
 * pgscand/s from pgscan_direct, pgsteal/s from pgsteal_anon + pgsteal_file
 * (Linux counts each reclaimed page twice, by reclaimer -- pgsteal_kswapd,
 * _direct, _khugepaged -- and by type; sysstat 12.7 summed every pgsteal_*
 * and showed %vmeff up to 200%, which sysstat's PR #426 fixed by summing
 * the two by-type counters, as here); %vmeff is pgsteal / (pgscank +
 * pgscand) * 100 over the interval, or 0.00 when nothing was scanned.
 *
 * Time is the machine's virtual clock (boot at btime 0, 1970-01-01
 * 00:00:00, so the date is 01/01/70 and the stamps are the time since
 * boot); an interval is virtual seconds, which `tick` and this command
 * advance (mmsim_advance_clock), never host time.  The release is the
 * kernel's ("6.8.0-mmsim", as its boot log says), the node name "mmsim",
 * the machine uname -m's name for the arch (x86_64, i686, aarch64).
 *
 * The scenario command:
 *   sar -B INTERVAL [COUNT]  advances the clock INTERVAL seconds COUNT
 *                            times (default 1), a line each, and Average;
 *   sar -B                   one line: the rates since the previous `sar`
 *                            of this machine (since boot the first time).
 * `mmsim sar -B [INTERVAL [COUNT]] [SCENARIO]` runs SCENARIO quietly (its
 * output discarded; its errors reported as `mmsim run` reports them) and
 * prints a line each time the scenario's virtual clock has moved INTERVAL
 * seconds past the last sample (at the end of the line that moved it), up
 * to COUNT lines; then, if COUNT lines were asked for and not yet printed,
 * idles the machine INTERVAL at a time to finish them.  Without a scenario
 * it boots `--spec SPEC` (default "ram=64M cpus=2") and watches it idle.
 *
 * State: the previous sample of the scenario command is struct scn's
 * sar_prev; `mmsim sar` keeps its own.  Single-threaded.
 */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "init/machine.h"
#include "tools/scenario.h"

static const char *const sar_titles[] = {
	"pgpgin/s", "pgpgout/s", "fault/s", "majflt/s", "pgfree/s", "pgscank/s", "pgscand/s",
	"pgsteal/s",
};

static uint64_t sar_clock(struct mmsim *m)
{
	return atomic_load_explicit(&m->hw.clock_ns, memory_order_relaxed);
}

/* The counter of a /proc/vmstat line @line ("name value"), into @smp. */
static void sar_take_line(const char *line, struct sar_sample *smp)
{
	static const struct {
		const char *name;
		int item;
		bool prefix;
	} map[] = {
		{ "pgpgin", SAR_PGPGIN, false }, { "pgpgout", SAR_PGPGOUT, false },
		{ "pgfault", SAR_FAULT, false }, { "pgmajfault", SAR_MAJFLT, false },
		{ "pgfree", SAR_PGFREE, false }, { "pgscan_kswapd", SAR_PGSCANK, false },
		{ "pgscan_direct", SAR_PGSCAND, false }, { "pgsteal_anon", SAR_PGSTEAL, false },
		{ "pgsteal_file", SAR_PGSTEAL, false },
	};
	size_t n = strcspn(line, " ");

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		size_t len = strlen(map[i].name);

		if (map[i].prefix ? !strncmp(line, map[i].name, len) :
				    (n == len && !strncmp(line, map[i].name, len))) {
			smp->v[map[i].item] += strtoull(line + n, NULL, 10);
			return;
		}
	}
}

int sar_read(struct scn *s, struct sar_sample *out)
{
	char *text = mmsim_read(s->m, "/proc/vmstat");

	if (!text)
		return scn_fail(s, "/proc/vmstat: %s", strerror(errno));
	memset(out, 0, sizeof(*out));
	out->ns = sar_clock(s->m);
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
		sar_take_line(p, out);
	free(text);
	return 0;
}

static const char *sar_machine(struct mmsim *m)
{
	switch (m->hw.layout.arch) {
	case ARCH_I386:
	case ARCH_I386_PAE:
		return "i686";
	case ARCH_ARM64:
		return "aarch64";
	default:
		return "x86_64";
	}
}

void sar_print_banner(FILE *f, struct mmsim *m)
{
	fprintf(f, "Linux 6.8.0-mmsim (mmsim) \t01/01/70 \t_%s_\t(%d CPU)\n\n", sar_machine(m),
		nr_cpu_ids_of(m));
}

static void sar_stamp(char *buf, size_t len, uint64_t ns)
{
	uint64_t sec = ns / 1000000000ULL;

	snprintf(buf, len, "%02u:%02u:%02u", (unsigned int)(sec / 3600 % 24),
		 (unsigned int)(sec / 60 % 60), (unsigned int)(sec % 60));
}

void sar_print_header(FILE *f, uint64_t ns)
{
	char stamp[16];

	sar_stamp(stamp, sizeof(stamp), ns);
	fprintf(f, "%-11s", stamp);
	for (size_t i = 0; i < sizeof(sar_titles) / sizeof(sar_titles[0]); i++)
		fprintf(f, " %9s", sar_titles[i]);
	fprintf(f, " %9s\n", "%vmeff");
}

void sar_print_line(FILE *f, const char *label, const struct sar_sample *a,
		    const struct sar_sample *b)
{
	double secs = (double)(b->ns - a->ns) / 1e9;
	unsigned long long scanned, stolen;
	char stamp[16];

	if (!label) {
		sar_stamp(stamp, sizeof(stamp), b->ns);
		label = stamp;
	}
	fprintf(f, "%-11s", label);
	for (int i = 0; i < SAR_NR; i++)
		fprintf(f, " %9.2f", secs > 0 ? (double)(b->v[i] - a->v[i]) / secs : 0.0);
	scanned = b->v[SAR_PGSCANK] - a->v[SAR_PGSCANK] + b->v[SAR_PGSCAND] - a->v[SAR_PGSCAND];
	stolen = b->v[SAR_PGSTEAL] - a->v[SAR_PGSTEAL];
	fprintf(f, " %9.2f\n", scanned ? (double)stolen / (double)scanned * 100.0 : 0.0);
}

/* ---------------------------------------------------------------------
 * The scenario command
 */

static int cmd_sar(struct scn *s, int argc, char **argv)
{
	unsigned long interval = 0, count = 1;
	struct sar_sample first, prev, now;

	if (strcmp(argv[1], "-B"))
		return scn_fail(s, "only -B (paging statistics) is shown");
	if (argc > 2 && scn_ulong(s, "interval", argv[2], 1, 86400, &interval))
		return -1;
	if (argc > 3 && scn_ulong(s, "count", argv[3], 1, 100000, &count))
		return -1;
	if (sar_read(s, &now))
		return -1;
	sar_print_banner(s->out, s->m);
	if (!interval) {
		if (!s->sar_have)
			memset(&s->sar_prev, 0, sizeof(s->sar_prev));	/* boot */
		sar_print_header(s->out, s->sar_prev.ns);
		sar_print_line(s->out, NULL, &s->sar_prev, &now);
		s->sar_prev = now;
		s->sar_have = true;
		return 0;
	}
	first = prev = now;
	sar_print_header(s->out, first.ns);
	for (unsigned long i = 0; i < count; i++) {
		mmsim_advance_clock(s->m, (uint64_t)interval * 1000000000ULL);
		if (sar_read(s, &now))
			return -1;
		sar_print_line(s->out, NULL, &prev, &now);
		prev = now;
	}
	sar_print_line(s->out, "Average:", &first, &now);
	s->sar_prev = now;
	s->sar_have = true;
	return 0;
}

const struct scn_command scn_sar_commands[] = {
	{ "sar", cmd_sar, true, 2, 4, "sar -B [INTERVAL [COUNT]]",
	  "sysstat's paging rates over virtual time (INTERVAL: advance the clock)" },
	{ .name = NULL }
};

/* ---------------------------------------------------------------------
 * mmsim sar
 */

struct sar_run {
	struct mmsim *m;		/* the machine the samples are of */
	uint64_t interval_ns;
	unsigned long count, lines;	/* count 0: no limit */
	struct sar_sample first, prev;
	int failed;
};

/* A sample of the run's machine, printed if @force or an interval passed. */
static void sar_run_sample(struct scn *s, struct sar_run *r, bool force)
{
	struct sar_sample now;

	if (!s->m || r->failed || (r->count && r->lines >= r->count))
		return;
	if (s->m != r->m) {		/* a (new) machine: start over */
		if (r->m && r->lines)
			sar_print_line(stdout, "Average:", &r->first, &r->prev);
		r->m = s->m;
		r->lines = 0;
		if (sar_read(s, &r->first)) {
			r->failed = 1;
			return;
		}
		r->prev = r->first;
		sar_print_banner(stdout, s->m);
		sar_print_header(stdout, r->first.ns);
		return;
	}
	if (!force && sar_clock(s->m) - r->prev.ns < r->interval_ns)
		return;
	if (sar_read(s, &now)) {
		r->failed = 1;
		return;
	}
	sar_print_line(stdout, NULL, &r->prev, &now);
	r->prev = now;
	r->lines++;
}

static void sar_after_line(struct scn *s, void *arg)
{
	sar_run_sample(s, arg, false);
}

static int sar_usage(const char *fmt, const char *arg)
{
	fputs("mmsim: sar: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (usage: mmsim sar -B [INTERVAL [COUNT]] [SCENARIO | --spec SPEC])\n", stderr);
	return 2;
}

static char *sar_slurp(const char *path, size_t *lenp)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	size_t cap = 4096, len = 0;
	char *buf = f ? malloc(cap) : NULL;

	while (buf) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		char *more;

		len += n;
		if (len + 1 < cap)
			break;
		more = realloc(buf, cap * 2);
		if (!more) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = more;
		cap *= 2;
	}
	if (buf && ferror(f)) {
		free(buf);
		buf = NULL;
	}
	if (f && f != stdin)
		fclose(f);
	if (buf) {
		buf[len] = '\0';
		*lenp = len;
	}
	return buf;
}

int main_sar(int argc, char **argv)
{
	const char *path = NULL, *spec = "ram=64M cpus=2";
	unsigned long nums[2] = { 1, 0 };
	int nr_nums = 0, ret = 0;
	struct sar_run r = { 0 };
	bool paging = false;
	struct scn s;
	char *text = NULL;
	size_t len = 0;
	FILE *quiet;

	for (int i = 0; i < argc; i++) {
		char *end;

		if (!strcmp(argv[i], "-B")) {
			paging = true;
		} else if (!strcmp(argv[i], "--spec")) {
			if (++i == argc)
				return sar_usage("%s needs a SPEC", "--spec");
			spec = argv[i];
		} else if (argv[i][0] >= '0' && argv[i][0] <= '9') {
			unsigned long v = strtoul(argv[i], &end, 10);

			if (*end || !v || nr_nums == 2)
				return sar_usage("'%s': bad INTERVAL or COUNT", argv[i]);
			nums[nr_nums++] = v;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return sar_usage("unknown option '%s'", argv[i]);
		} else if (path) {
			return sar_usage("more than one scenario ('%s')", argv[i]);
		} else {
			path = argv[i];
		}
	}
	if (!paging)
		return sar_usage("%s: only paging statistics are shown", "-B is needed");
	r.interval_ns = (uint64_t)nums[0] * 1000000000ULL;
	r.count = nr_nums == 2 ? nums[1] : (path ? 0 : 1);

	quiet = fopen("/dev/null", "w");
	if (!quiet) {
		fprintf(stderr, "mmsim: sar: /dev/null: %s\n", strerror(errno));
		return 1;
	}
	scn_init(&s, path ? path : "<spec>", quiet);
	s.after_line = sar_after_line;
	s.after_arg = &r;
	if (path) {
		text = sar_slurp(path, &len);
		if (!text) {
			fprintf(stderr, "mmsim: sar: %s: %s\n", path, strerror(errno ? errno : EIO));
			fclose(quiet);
			return 1;
		}
		if (!strcmp(path, "-"))
			s.file = "<stdin>";
		ret = scn_check_text(&s, text, len) || scn_run(&s, text);
	} else {
		char *line = malloc(strlen(spec) + 8);

		if (line) {
			sprintf(line, "boot %s\n", spec);
			ret = scn_run(&s, line);
			free(line);
		} else {
			ret = 1;
		}
	}
	/* Idle the machine to the lines asked for. */
	while (!ret && s.m && !r.failed && r.count && r.lines < r.count) {
		mmsim_advance_clock(s.m, r.interval_ns);
		sar_run_sample(&s, &r, true);
	}
	if (r.m && r.lines && !r.failed)
		sar_print_line(stdout, "Average:", &r.first, &r.prev);
	if (r.failed) {
		fprintf(stderr, "mmsim: sar: %s\n", s.err);
		ret = 1;
	}
	scn_destroy(&s);
	fclose(quiet);
	free(text);
	return ret ? 1 : 0;
}
