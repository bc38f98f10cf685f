// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz/fuzz_sysctl.c - libFuzzer target: writes to the writable files of a
 * machine (the files of /proc/sys/vm/, /sys/kernel/debug/fail_page_alloc/
 * and /sys/kernel/debug/failslab/, /sys/kernel/slab/CACHE/{failslab,
 * validate,shrink}, /dev/kmsg), and to a few that are not writable or do
 * not exist.
 *
 * Each input boots its own small machine (cheap: a few milliseconds), so a
 * finding replays from its input alone.  The first byte picks the machine
 * (FUZZ_SPECS); the rest is up to 16 records, one a line: a record's first
 * byte picks the file (modulo the table's size, the last index meaning
 * "the path is the record's first word"), the rest of the line is the text
 * written.  After each write: a small workload that the knobs act on
 * (pages, kmalloc, a debug cache, vmalloc), the invariant checks
 * (fuzz_check_machine()), and a read of the same file.  The machine keeps
 * objects of a debug cache and of kmalloc-64 for validate and shrink to
 * find, and gives them back before its shutdown.
 *
 * The file table is written out here: the registry has no listing call.
 * FUZZ_FILES must follow what the kernel registers (the initializer checks
 * that each writable one exists on the first machine).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz/common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define VM "/proc/sys/vm/"
#define FA "/sys/kernel/debug/fail_page_alloc/"
#define FS "/sys/kernel/debug/failslab/"
#define SL(cache, attr) "/sys/kernel/slab/" cache "/" attr

static const char *const fuzz_specs[] = {
	"ram=64M", "ram=64M cpus=3 nodes=2", "arch=i386 ram=64M", "ram=32M cpus=1 slub_debug",
};

static const char *const fuzz_files[] = {
	VM "min_free_kbytes", VM "watermark_scale_factor", VM "watermark_boost_factor",
	VM "lowmem_reserve_ratio", VM "percpu_pagelist_high_fraction", VM "extfrag_threshold",
	VM "stat_refresh",
	FA "probability", FA "interval", FA "times", FA "space", FA "verbose",
	FA "ignore-gfp-wait", FA "ignore-gfp-highmem", FA "min-order",
	FS "probability", FS "interval", FS "times", FS "space", FS "verbose",
	FS "ignore-gfp-wait", FS "cache-filter",
	SL("fuzz_debug", "failslab"), SL("fuzz_debug", "validate"), SL("fuzz_debug", "shrink"),
	SL("kmalloc-64", "failslab"), SL("kmalloc-64", "validate"), SL("kmalloc-64", "shrink"),
	SL("kmalloc-8k", "shrink"),
	"/dev/kmsg",
	/* the first writable ones above; these refuse a write */
	SL("kmalloc-64", "order"), "/proc/meminfo", VM "no_such_sysctl",
	SL("no_such_cache", "validate"),
};
#define NR_WRITABLE	30	/* the first entries of fuzz_files[] */
#define NR_FILES	(sizeof(fuzz_files) / sizeof(fuzz_files[0]))
#define MAX_RECORDS	16
#define NR_HELD		8

struct held {
	struct kmem_cache *dbg;
	void *dbg_objs[NR_HELD], *km_objs[NR_HELD];
};

static struct mmsim *fuzz_boot(unsigned int which, struct held *h)
{
	struct mmsim *m = mmsim_boot(fuzz_specs[which % (sizeof(fuzz_specs) /
							 sizeof(fuzz_specs[0]))]);

	if (!m)
		fuzz_fail(NULL, "boot failed: %s", mmsim_last_error());
	h->dbg = kmem_cache_create("fuzz_debug", 100, 0,
				   SLAB_CONSISTENCY_CHECKS | SLAB_RED_ZONE | SLAB_POISON |
				   SLAB_STORE_USER, NULL);
	if (!h->dbg)
		fuzz_fail(m, "kmem_cache_create failed");
	for (int i = 0; i < NR_HELD; i++) {
		h->dbg_objs[i] = kmem_cache_alloc(h->dbg, GFP_KERNEL);
		h->km_objs[i] = kmalloc(64, GFP_KERNEL);
	}
	return m;
}

static void fuzz_unboot(struct mmsim *m, struct held *h)
{
	for (int i = 0; i < NR_HELD; i++) {
		if (h->dbg_objs[i])
			kmem_cache_free(h->dbg, h->dbg_objs[i]);
		kfree(h->km_objs[i]);
	}
	kmem_cache_destroy(h->dbg);
	mmsim_shutdown(m);
}

/* What the knobs act on; any allocation may fail (fault injection). */
static void workload(struct held *h)
{
	struct page *pages[4];
	void *p, *v;

	for (unsigned int order = 0; order < 4; order++)
		pages[order] = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
	for (unsigned int order = 0; order < 4; order++)
		if (pages[order])
			__free_pages(pages[order], order);
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	p = kmem_cache_alloc(h->dbg, GFP_KERNEL);
	if (p)
		kmem_cache_free(h->dbg, p);
	v = vmalloc(3 * PAGE_SIZE);
	vfree(v);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct held h;
	struct mmsim *m;

	fuzz_init();
	m = fuzz_boot(0, &h);
	for (size_t i = 0; i < NR_WRITABLE; i++) {
		char *text = mmsim_read(m, fuzz_files[i]);

		if (!text)
			fuzz_fail(m, "fuzz_files[]: %s cannot be read: %m", fuzz_files[i]);
		free(text);
	}
	fuzz_unboot(m, &h);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *input, *rec, *save = NULL;
	struct held h;
	struct mmsim *m;
	int nr = 0;

	if (!size)
		return -1;
	input = strndup((const char *)data + 1, size - 1);
	if (!input)
		return 0;
	m = fuzz_boot(data[0], &h);
	for (rec = strtok_r(input, "\n", &save); rec && nr < MAX_RECORDS;
	     rec = strtok_r(NULL, "\n", &save), nr++) {
		size_t idx = (unsigned char)rec[0] % (NR_FILES + 1);
		const char *path, *text = rec + 1;
		char own[128];
		char *back;
		int ret;

		if (idx == NR_FILES) {	/* "PATH TEXT" */
			size_t n = strcspn(text, " ");

			snprintf(own, sizeof(own), "%.*s", (int)n, text);
			path = own;
			text += n + (text[n] == ' ');
		} else {
			path = fuzz_files[idx];
		}
		ret = mmsim_write(m, path, text);
		if (ret > 0 || (ret && idx < NR_WRITABLE && ret == -EACCES) ||
		    (ret == 0 && idx >= NR_WRITABLE && idx < NR_FILES))
			fuzz_fail(m, "write '%s' to %s: %d", text, path, ret);
		workload(&h);
		fuzz_check_machine(m, path);
		back = mmsim_read(m, path);
		if (!back && ret == 0 && errno != EACCES)
			fuzz_fail(m, "%s was written but cannot be read: %m", path);
		free(back);
	}
	free(input);
	fuzz_unboot(m, &h);
	return 0;
}
