// SPDX-License-Identifier: GPL-2.0
/*
 * tools/mmsim.c - the `mmsim` command: main() and its subcommands.
 *
 *   mmsim run [-x] [--import HOST:PATH]... [SCENARIO|-]	run a scenario; none: the built-in tour
 *   mmsim boot [SPEC...] [--import HOST:PATH]... [--cat PATH...]	boot, print files (default /dev/kmsg)
 *   mmsim sar -B [INTERVAL [COUNT]] [SCENARIO]	sysstat's paging view over virtual time
 *   mmsim serve [--mount DIR] SPEC|SCENARIO	a live machine's /proc and /sys over FUSE (tools/serve.c)
 *   mmsim record|trace|replay|sweep|merge ...	the research lab (tools/lab/, docs/lab.md)
 *   mmsim help | -h | --help		usage, with the scenario commands
 *
 * The scenario language and its interpreter live in tools/scenario.c, the
 * lab's subcommands in tools/lab/ (lab.h); docs/cli.md is the user's
 * reference.
 *
 * Exit status: 0 success; 1 the machine or the scenario failed (bad spec,
 * bad scenario line, unreadable file: one line on stderr naming the place);
 * 2 the command line itself is wrong (one line "mmsim: ..." on stderr).
 * Output goes to stdout only, so a failed run leaves no file behind.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <mmsim/fs.h>
#include "tools/scenario.h"
#include "tools/lab/lab.h"

#define EXIT_USAGE 2

static const char usage_text[] =
	"usage: mmsim COMMAND [ARGS]\n"
	"\n"
	"mmsim runs Linux's memory-management subsystem in user space.\n"
	"\n"
	"Commands:\n"
	"  run [-x] [SCENARIO]        run a scenario file ('-' reads stdin); with no\n"
	"                             file, a guided tour of the page and slab allocators\n"
	"  boot [SPEC...] [--import HOST:PATH]... [--cat PATH...]\n"
	"                             boot a machine from SPEC (e.g. \"ram=64M cpus=2\")\n"
	"                             and print each PATH (default: /dev/kmsg)\n"
	"  test-vmalloc [PRESET|PARAM=VALUE...] [SPEC...]\n"
	"                             run Linux's test_vmalloc (presets: performance,\n"
	"                             stress, smoke) on a machine booted from SPEC\n"
	"  sar -B [INTERVAL [COUNT]] [SCENARIO | --spec SPEC]\n"
	"                             sysstat's paging rates (pgpgin/s ... %vmeff) over\n"
	"                             virtual time, while SCENARIO runs (or the machine idles)\n"
	"  serve [--mount DIR] [--foreground] [--speed X] SPEC|SCENARIO\n"
	"                             keep a machine running and serve its /proc and /sys\n"
	"                             as a FUSE file system (docs/serve.md)\n"
	"  record -o TRACE [--backend lackey|sample] [--interval MS] [--max-accesses N]\n"
	"         [--no-instr] -- PROGRAM ARGS...\n"
	"                             record a host program's memory trace (docs/lab.md)\n"
	"  trace info|head|convert TRACE [-o OUT --to FORMAT]\n"
	"                             inspect or convert a trace\n"
	"  replay TRACE [--spec SPEC] [--policy NAME] [--json OUT] [--csv OUT] [--report OUT.html]\n"
	"  replay TRACE --cache-mode --policy NAME --size PAGES[,PAGES...]\n"
	"                             replay a trace through the kernel, or the bare policy\n"
	"  sweep --traces T... --policies P... --sizes S... -o DIR\n"
	"                             job lines for GNU parallel and a Slurm array script\n"
	"  merge DIR -o OUT.csv [--report OUT.html]\n"
	"                             join sweep results into one CSV and one report\n"
	"  help                       print this text\n"
	"\n"
	"Options of run:\n"
	"  -x                         print each command (\"$ cat /proc/buddyinfo\")\n"
	"                             before its output\n"
	"\n"
	"Options of run and boot:\n"
	"  --import HOST:PATH         copy host file HOST to PATH in the machine's file\n"
	"                             system after boot (parent directories made)\n"
	"\n"
	"Scenario commands (one a line; '#' starts a comment; docs/cli.md):\n";

static void usage(FILE *f)
{
	fputs(usage_text, f);
	scn_print_commands(f);
}

static __printf(1, 2) int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("mmsim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

/*
 * The whole of @f in a malloc'd NUL-terminated string, its length (which a
 * NUL byte in the file makes differ from strlen) in *@lenp; NULL + errno
 * on error.
 */
static char *read_all(FILE *f, size_t *lenp)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	for (;;) {
		size_t n = fread(buf + len, 1, cap - len - 1, f);
		char *bigger;

		len += n;
		if (len + 1 < cap) {
			if (ferror(f)) {
				int err = errno;

				free(buf);
				errno = err ? err : EIO;
				return NULL;
			}
			break;
		}
		bigger = realloc(buf, cap * 2);
		if (!bigger) {
			free(buf);
			errno = ENOMEM;
			return NULL;
		}
		buf = bigger;
		cap *= 2;
	}
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/* --import HOST:PATH (fs/mmfs/import.c does the copy). */
struct import_list {
	int nr;
	const char *arg[64];
};

/* Check and record @arg: 0, or the exit status after one error line. */
static int import_add(struct import_list *l, const char *cmd, const char *arg)
{
	const char *sep = arg ? strstr(arg, ":/") : NULL;
	char *host;
	FILE *f;

	if (!arg)
		return usage_error("%s: --import needs HOST:PATH", cmd);
	if (!sep || sep == arg)
		return usage_error("%s: --import '%s': not HOST:PATH with an absolute PATH", cmd, arg);
	if (l->nr == (int)(sizeof(l->arg) / sizeof(l->arg[0])))
		return usage_error("%s: --import: more than 64 files", cmd);
	host = strndup(arg, (size_t)(sep - arg));
	f = host ? fopen(host, "r") : NULL;
	if (!f) {
		fprintf(stderr, "mmsim: %s: --import '%s': cannot open %s: %s\n", cmd, arg,
			host ? host : "HOST", strerror(errno));
		free(host);
		return EXIT_FAILURE;
	}
	fclose(f);
	free(host);
	l->arg[l->nr++] = arg;
	return 0;
}

/* Copy every file of @l into the machine this thread is on: 0 or EXIT_FAILURE. */
static int import_all(const struct import_list *l, const char *cmd)
{
	for (int i = 0; i < l->nr; i++) {
		const char *sep = strstr(l->arg[i], ":/");
		char *host = strndup(l->arg[i], (size_t)(sep - l->arg[i]));
		int ret = host ? mmsim_import_file(host, sep + 1) : -ENOMEM;

		free(host);
		if (ret) {
			fflush(stdout);
			fprintf(stderr, "mmsim: %s: --import '%s': %s: %s\n", cmd, l->arg[i], sep + 1,
				strerror(-ret));
			return EXIT_FAILURE;
		}
	}
	return 0;
}

/* The scenario's after_line hook: import into each machine it boots. */
struct import_hook {
	const struct import_list *list;
	struct mmsim *done;
	int failed;
};

static void import_after_line(struct scn *s, void *arg)
{
	struct import_hook *h = arg;

	if (s->m && s->m != h->done && !h->failed) {
		h->done = s->m;
		h->failed = import_all(h->list, "run");
	}
}

/* Run @text (@len bytes); a file that is not text is refused before it runs. */
static int run_text(const char *name, const char *text, size_t len, bool trace,
		    const struct import_list *imports)
{
	struct import_hook hook = { .list = imports };
	struct scn s;
	int ret;

	scn_init(&s, name, stdout);
	s.trace = trace;
	if (imports->nr) {
		s.after_line = import_after_line;
		s.after_arg = &hook;
	}
	ret = scn_check_text(&s, text, len);
	if (!ret)
		ret = scn_run(&s, text);
	scn_destroy(&s);
	return ret || hook.failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

static int main_run(int argc, char **argv)
{
	const char *path = NULL;
	bool trace = false, opts = true;
	struct import_list imports = { 0 };
	size_t len = 0;
	char *text;
	FILE *f;
	int ret;

	for (int i = 0; i < argc; i++) {
		if (opts && !strcmp(argv[i], "--")) {
			opts = false;
		} else if (opts && !strcmp(argv[i], "-x")) {
			trace = true;
		} else if (opts && !strcmp(argv[i], "--import")) {
			ret = import_add(&imports, "run", ++i < argc ? argv[i] : NULL);
			if (ret)
				return ret;
		} else if (opts && argv[i][0] == '-' && argv[i][1]) {
			return usage_error("run: unknown option '%s'", argv[i]);
		} else if (path) {
			return usage_error("run: more than one scenario ('%s')", argv[i]);
		} else {
			path = argv[i];
		}
	}
	if (!path)
		return run_text("tour.scn", tour_scenario, strlen(tour_scenario), true, &imports);
	if (!strcmp(path, "-")) {
		text = read_all(stdin, &len);
		if (!text) {
			fprintf(stderr, "mmsim: run: <stdin>: %s\n", strerror(errno));
			return EXIT_FAILURE;
		}
		ret = run_text("<stdin>", text, len, trace, &imports);
		free(text);
		return ret;
	}
	f = fopen(path, "r");
	text = f ? read_all(f, &len) : NULL;
	if (!text) {
		fprintf(stderr, "mmsim: run: %s: %s\n", path, strerror(errno));
		if (f)
			fclose(f);
		return EXIT_FAILURE;
	}
	fclose(f);
	ret = run_text(path, text, len, trace, &imports);
	free(text);
	return ret;
}

static int main_boot(int argc, char **argv)
{
	char *spec = calloc(1, 1);
	const char **paths = calloc((size_t)argc + 1, sizeof(*paths));
	struct import_list imports = { 0 };
	int nr_paths = 0, ret = EXIT_SUCCESS;
	bool in_cat = false;
	struct mmsim *m;

	if (!spec || !paths) {
		free(spec);
		free(paths);
		fprintf(stderr, "mmsim: boot: out of memory\n");
		return EXIT_FAILURE;
	}
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--cat")) {
			in_cat = true;
		} else if (!strcmp(argv[i], "--import")) {
			in_cat = false;
			ret = import_add(&imports, "boot", ++i < argc ? argv[i] : NULL);
			if (ret)
				goto out;
		} else if (argv[i][0] == '-') {
			ret = usage_error("boot: unknown option '%s'", argv[i]);
			goto out;
		} else if (in_cat) {
			paths[nr_paths++] = argv[i];
		} else {
			size_t len = strlen(spec);
			char *more = realloc(spec, len + strlen(argv[i]) + 2);

			if (!more) {
				ret = EXIT_FAILURE;
				goto out;
			}
			spec = more;
			sprintf(spec + len, "%s%s", len ? " " : "", argv[i]);
		}
	}
	if (in_cat && !nr_paths) {
		ret = usage_error("boot: --cat needs at least one PATH");
		goto out;
	}
	if (!nr_paths)
		paths[nr_paths++] = "/dev/kmsg";

	m = mmsim_boot(spec);
	if (!m) {
		fprintf(stderr, "mmsim: boot: %s\n", mmsim_last_error());
		ret = EXIT_FAILURE;
		goto out;
	}
	ret = import_all(&imports, "boot");
	for (int i = 0; i < nr_paths && !ret; i++) {
		char *text = mmsim_read(m, paths[i]);

		if (!text) {
			fflush(stdout);
			fprintf(stderr, "mmsim: boot: %s: %s\n", paths[i], strerror(errno));
			ret = EXIT_FAILURE;
			break;
		}
		fputs(text, stdout);
		free(text);
	}
	mmsim_shutdown(m);
out:
	free(spec);
	free(paths);
	return ret;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd)
		return usage_error("missing command (try 'mmsim help')");
	if (!strcmp(cmd, "help") || !strcmp(cmd, "-h") || !strcmp(cmd, "--help")) {
		if (argc > 2)
			return usage_error("help: unexpected argument '%s'", argv[2]);
		usage(stdout);
		return EXIT_SUCCESS;
	}
	if (!strcmp(cmd, "record"))
		return cmd_record(argc - 2, argv + 2);
	if (!strcmp(cmd, "trace"))
		return cmd_trace(argc - 2, argv + 2);
	if (!strcmp(cmd, "replay"))
		return cmd_replay(argc - 2, argv + 2);
	if (!strcmp(cmd, "sweep"))
		return cmd_sweep(argc - 2, argv + 2);
	if (!strcmp(cmd, "merge"))
		return cmd_merge(argc - 2, argv + 2);
	if (!strcmp(cmd, "run"))
		return main_run(argc - 2, argv + 2);
	if (!strcmp(cmd, "boot"))
		return main_boot(argc - 2, argv + 2);
	if (!strcmp(cmd, "sar"))
		return main_sar(argc - 2, argv + 2);
	if (!strcmp(cmd, "serve"))
		return main_serve(argc - 2, argv + 2);
	if (!strcmp(cmd, "test-vmalloc"))
		return main_test_vmalloc(argc - 2, argv + 2);
	if (cmd[0] == '-')
		return usage_error("unknown option '%s' (try 'mmsim help')", cmd);
	return usage_error("unknown command '%s' (try 'mmsim help')", cmd);
}
