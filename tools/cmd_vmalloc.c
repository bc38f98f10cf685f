// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cmd_vmalloc.c - the vmalloc layer in the mmsim tool.
 *
 * Top-level command (tools/mmsim.c):
 *   mmsim test-vmalloc [PRESET|PARAM=VALUE...] [SPEC...]
 *	boot a machine from SPEC (default "ram=2G cpus=1"), run Linux's
 *	test_vmalloc with the given preset (performance, stress, smoke) and
 *	parameters (nr_threads, sequential_test_order, test_repeat_count,
 *	test_loop_count, nr_pages, use_huge, run_test_mask), and print the
 *	"Summary:" and "All test took" lines of the kernel log.  A word whose
 *	key is not a test_vmalloc parameter is a boot spec word.  Exit 1 if a
 *	test that should pass failed.  On a terminal, a progress line on
 *	stderr names the test being run (the presets take minutes).
 *
 * Scenario commands:
 *   vmalloc NAME size=BYTES [gfp=FLAGS] [node=N]
 *	__vmalloc_node(), kept as the object NAME (kind "vmalloc memory");
 *	prints the simulated address range, guard page included, as
 *	/proc/vmallocinfo shows it, and the number of pages.  BYTES is a size
 *	(8M, 4k, 0x1000).  A failure is the kernel's answer ("vmalloc NAME:
 *	failed").
 *   vfree NAME
 *   test-vmalloc [PRESET|PARAM=VALUE...]
 *	test_vmalloc on the running machine; Summary lines go to the log.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <mmsim/vmalloc.h>
#include "tools/scenario.h"

#define KIND_VMALLOC	"vmalloc memory"	/* reads in "'x' is not pages but ..." */

int main_test_vmalloc(int argc, char **argv);

static bool is_test_word(const char *w)
{
	static const char *const keys[] = { "nr_threads=", "sequential_test_order=",
					    "test_repeat_count=", "test_loop_count=", "nr_pages=",
					    "use_huge=", "run_test_mask=", NULL };

	if (!strcmp(w, "performance") || !strcmp(w, "stress") || !strcmp(w, "smoke"))
		return true;
	for (int i = 0; keys[i]; i++)
		if (!strncmp(w, keys[i], strlen(keys[i])))
			return true;
	return false;
}

/*
 * Progress of a long test_vmalloc run: on a terminal only, one line on
 * stderr, rewritten in place ("\rtest-vmalloc: 3/11 fix_size_alloc_test
 * ...") as each test starts, and erased when the run ends, so the summary
 * that follows reads as it would without it.  In a pipe or a file (tests,
 * scripts) nothing is written.
 */
struct tv_progress_line {
	int width;			/* columns of the line on screen, 0: none */
};

static void show_progress(void *arg, int nr, int total, const char *test_name)
{
	struct tv_progress_line *pl = arg;
	int n = fprintf(stderr, "\rtest-vmalloc: %d/%d %s ...", nr, total, test_name) - 1;

	if (n < pl->width)
		fprintf(stderr, "%*s", pl->width - n, "");
	if (n > pl->width)
		pl->width = n;
	fflush(stderr);
}

/* Turn progress on in @p if stderr is a terminal. */
static void progress_start(struct test_vmalloc_params *p, struct tv_progress_line *pl)
{
	pl->width = 0;
	if (!isatty(STDERR_FILENO))
		return;
	fflush(stdout);		/* what came before goes above the line */
	p->progress = show_progress;
	p->progress_arg = pl;
}

static void progress_end(struct tv_progress_line *pl)
{
	if (pl->width)
		fprintf(stderr, "\r%*s\r", pl->width, "");
	pl->width = 0;
}

static void print_summary(struct mmsim *m, FILE *out)
{
	char *log = mmsim_read(m, "/dev/kmsg"), *line, *save = NULL;

	if (!log)
		return;
	for (line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *text = strstr(line, "] ");

		/* dmesg format: "[    0.000000] text" */
		text = text ? text + 2 : line;
		if (!strncmp(text, "Summary: ", 9) || !strncmp(text, "All test took", 13))
			fprintf(out, "%s\n", text);
	}
	free(log);
}

int main_test_vmalloc(int argc, char **argv)
{
	struct test_vmalloc_params p;
	struct tv_progress_line pl;
	char *spec = strdup("ram=2G cpus=1");
	char err[160];
	struct mmsim *m;
	int failed;

	test_vmalloc_default_params(&p);
	for (int i = 0; i < argc; i++) {
		if (is_test_word(argv[i])) {
			if (test_vmalloc_parse(&p, argv[i], err, sizeof(err))) {
				fprintf(stderr, "mmsim: test-vmalloc: %s\n", err);
				free(spec);
				return 2;
			}
		} else {
			size_t len = strlen(spec);
			char *more = realloc(spec, len + strlen(argv[i]) + 2);

			if (!more) {
				free(spec);
				return 1;
			}
			spec = more;
			sprintf(spec + len, " %s", argv[i]);
		}
	}
	m = mmsim_boot(spec);
	if (!m) {
		fprintf(stderr, "mmsim: test-vmalloc: %s\n", mmsim_last_error());
		free(spec);
		return 1;
	}
	progress_start(&p, &pl);
	failed = test_vmalloc_run(m, &p);
	progress_end(&pl);
	print_summary(m, stdout);
	mmsim_shutdown(m);
	free(spec);
	return failed ? 1 : 0;
}

int cmd_vmalloc(struct scn *s, int argc, char **argv)
{
	static const char *const keys[] = { "size", "gfp", "node", NULL };
	const char *vals[ARRAY_SIZE(keys)];
	unsigned long size = 0, node = 0;
	gfp_t gfp = GFP_KERNEL;
	struct scn_obj *obj;
	struct vm_struct *vm;
	char bad[64];
	void *p;

	if (scn_kv_args(s, argc, argv, 2, keys, vals))
		return -1;
	if (!vals[0])
		return scn_fail(s, "size= is required");
	if (scn_size(s, "size", vals[0], 0, ~0UL, &size))
		return -1;
	if (vals[1] && gfp_parse(vals[1], &gfp, bad, sizeof(bad)))
		return scn_fail(s, "unknown gfp flag '%s'", bad);
	if (vals[2] && scn_ulong(s, "node", vals[2], 0, ~0UL, &node))
		return -1;
	if (node >= (unsigned long)num_online_nodes())
		return scn_fail(s, "node=%lu is not online (the machine has %d node%s)", node,
				num_online_nodes(), num_online_nodes() > 1 ? "s" : "");
	obj = scn_obj_new(s, argv[1], KIND_VMALLOC, 1);
	if (!obj)
		return -1;
	p = __vmalloc_node(size, 1, gfp, vals[2] ? (int)node : NUMA_NO_NODE, __VM_CALLER);
	if (!p) {
		scn_obj_del(s, obj);
		fprintf(s->out, "vmalloc %s: failed\n", argv[1]);
		return 0;
	}
	obj->ptrs[0] = p;
	obj->gfp = gfp;
	vm = find_vm_area(p);
	fprintf(s->out, "vmalloc %s: 0x%lx-0x%lx, %u page%s\n", argv[1],
		current_layout->vmalloc_start + (unsigned long)((char *)p - current_layout->vmalloc_host),
		current_layout->vmalloc_start + (unsigned long)((char *)p - current_layout->vmalloc_host) +
			vm->size,
		vm->nr_pages, vm->nr_pages == 1 ? "" : "s");
	return 0;
}

int cmd_vfree(struct scn *s, int argc, char **argv)
{
	struct scn_obj *obj = scn_obj_find(s, argv[1]);

	(void)argc;
	if (!obj)
		return scn_fail(s, "no allocation named '%s'", argv[1]);
	if (strcmp(obj->kind, KIND_VMALLOC))
		return scn_fail(s, "'%s' is %s, not vmalloc memory", argv[1], obj->kind);
	vfree(obj->ptrs[0]);
	scn_obj_del(s, obj);
	return 0;
}

int cmd_test_vmalloc(struct scn *s, int argc, char **argv)
{
	struct test_vmalloc_params p;
	struct tv_progress_line pl;
	char err[160];
	int failed;

	test_vmalloc_default_params(&p);
	for (int i = 1; i < argc; i++)
		if (test_vmalloc_parse(&p, argv[i], err, sizeof(err)))
			return scn_fail(s, "%s", err);
	progress_start(&p, &pl);
	failed = test_vmalloc_run(s->m, &p);
	progress_end(&pl);
	fprintf(s->out, "test-vmalloc: %d failed\n", failed);
	return 0;
}
