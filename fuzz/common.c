// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz/common.c - the boot-spec filter and the invariant checks every fuzz
 * target of fuzz/ runs (fuzz/common.h, docs/fuzzing.md).
 *
 * The checks are the ones the tests and the scenario commands `check` and
 * `slabcheck` use (mm/debug.c, mm/slub_debug.c, mm/vmalloc.c), plus reading
 * the /proc files a user reads most, so a renderer that trips on a state
 * the input made is found too.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz/common.h"
#include "init/machine.h"
#include "lib/cmdline.h"
#include "mm/internal.h"
#include "mm/slab.h"

static FILE *fuzz_err;

void fuzz_init(void)
{
	int fd = dup(2);

	fuzz_err = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!fuzz_err)
		fuzz_err = stderr;
}

void fuzz_fail(struct mmsim *m, const char *fmt, ...)
{
	FILE *f = fuzz_err ? fuzz_err : stderr;
	char *log = m ? printk_render_dmesg(m) : NULL;
	va_list ap;

	if (log)
		fprintf(f, "---- kernel log ----\n%s---- end of kernel log ----\n", log);
	free(log);
	fprintf(f, "FUZZ FINDING: ");
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fputc('\n', f);
	fflush(f);
	abort();
}

char *fuzz_spec_filter(const char *spec)
{
	char *copy = strdup(spec), *word, *save = NULL, *out;
	bool has_ram = false, ok = true;

	if (!copy)
		return NULL;
	/* Split as init/main.c's parse_args() does. */
	for (word = strtok_r(copy, " \t\n", &save); word && ok;
	     word = strtok_r(NULL, " \t\n", &save)) {
		uint64_t ram;

		if (!strncmp(word, "panic_on_warn", 13)) {
			ok = false;
		} else if (!strncmp(word, "ram=", 4)) {
			has_ram = true;
			if (!memparse_strict(word + 4, &ram) && ram > FUZZ_RAM_MAX)
				ok = false;
		}
	}
	free(copy);
	if (!ok)
		return NULL;
	if (asprintf(&out, "%s%s", spec, has_ram ? "" : " " FUZZ_RAM_DEFAULT) < 0)
		return NULL;
	return out;
}

static void check_file(struct mmsim *m, const char *what, const char *path)
{
	char *text = mmsim_read(m, path);

	if (!text)
		fuzz_fail(m, "%s: reading %s failed: %m", what, path);
	free(text);
}

/* The number after "@label" at the start of a line of @text; -1 if absent. */
static long long field(const char *text, const char *label)
{
	size_t len = strlen(label);

	for (const char *p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, label, len))
			return strtoll(p + len, NULL, 10);
	return -1;
}

void fuzz_check_machine(struct mmsim *m, const char *what)
{
	static const char *const files[] = {
		"/proc/zoneinfo", "/proc/buddyinfo", "/proc/pagetypeinfo", "/proc/vmstat",
		"/proc/slabinfo", "/proc/vmallocinfo", "/dev/kmsg",
	};
	struct slab_globals *sg = slab_globals();
	struct kmem_cache *kc;
	long long total, free_kb;
	char *meminfo;
	bool ok = true;

	if (!mm_allocator_is_valid())
		fuzz_fail(m, "%s: mm_allocator_is_valid() failed", what);
	pthread_mutex_lock(&sg->slab_mutex);
	list_for_each_entry(kc, &sg->slab_caches, list)
		ok &= slab_is_valid(kc);
	pthread_mutex_unlock(&sg->slab_mutex);
	if (!ok)
		fuzz_fail(m, "%s: slab_is_valid() failed", what);
	if (!vmap_area_is_valid())
		fuzz_fail(m, "%s: vmap_area_is_valid() failed", what);
	if (nr_free_pages() > totalram_pages())
		fuzz_fail(m, "%s: nr_free_pages() %lu > totalram_pages() %lu", what,
			  nr_free_pages(), totalram_pages());

	meminfo = mmsim_read(m, "/proc/meminfo");
	if (!meminfo)
		fuzz_fail(m, "%s: reading /proc/meminfo failed: %m", what);
	total = field(meminfo, "MemTotal:");
	free_kb = field(meminfo, "MemFree:");
	free(meminfo);
	if (total <= 0 || free_kb < 0 || free_kb > total)
		fuzz_fail(m, "%s: /proc/meminfo: MemTotal %lld kB, MemFree %lld kB", what, total,
			  free_kb);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		check_file(m, what, files[i]);

	/* BUG() taints with 'D' (kernel/printk.c); text written to /dev/kmsg does not. */
	if (atomic_load(&m->taint) & (1UL << TAINT_DIE))
		fuzz_fail(m, "%s: a BUG() (taint D): see the kernel log", what);
}
